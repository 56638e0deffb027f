/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file policy.h
 * @brief The S/MIME BR policy engine's entry point for CA-key signatures.
 *
 * Freestanding: no allocation, bounded stack, every length checked. The
 * engine itself arrives with the policy issue; until then every CA-key
 * request is refused, so no CA key ever signs unchecked.
 */
#ifndef POLICY_H
#define POLICY_H
#include <stddef.h>
#include <stdint.h>

/** Verdicts are distinct non-zero constants, re-checked before signing. */
#define POL_ACCEPT 0x3CA5A55Au
#define POL_REFUSE 0xC35A5AA5u

/** What a CA key is being asked to sign. */
typedef struct {
    uint32_t mech;        /**< SG_MECH_* of the request */
    const uint8_t *data;  /**< the TBSCertificate (hash-and-sign) or a digest */
    size_t data_len;
    const uint8_t *ca_cert; /**< the key's bound CA certificate, NULL if none */
    size_t ca_cert_len;
} pol_request;

typedef struct {
    uint32_t verdict;     /**< POL_ACCEPT or POL_REFUSE */
    const char *reason;   /**< stable reason code of the (first) refusal */
} pol_decision;

void pol_check_ca_sign(const pol_request *rq, pol_decision *d);

#endif
