/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file evidence_enc.h
 * @brief The validation authority's side of the evidence format
 * (docs/evidence.md): DER encoding of a TBSEvidence and of the signed
 * Evidence, in libsbrguard. The encoder writes what it is given, bounds
 * included, so that tests can also make evidence the token must refuse.
 */
#ifndef SBRGUARD_EVIDENCE_ENC_H
#define SBRGUARD_EVIDENCE_ENC_H
#include <stddef.h>
#include <stdint.h>
#include "sbrguard/evidence.h"

/** One MailboxRecord. Times are seconds since 1970 (UTC). */
typedef struct {
    const char *mailbox;        /**< the Mailbox Address as validated (UTF-8) */
    uint32_t method;            /**< SG_EV_M_* */
    uint32_t tls_method;        /**< TLS BR 3.2.2.4.N, 0: absent */
    const char *reqs;           /**< requirements and version used, e.g. "SBR 1.0.11" */
    int64_t validated_at;
    int has_rv;                 /**< RandomValue present */
    int64_t rv_created, rv_used;
    uint32_t rv_bits;
    int has_caa;                /**< CaaCheck present */
    int64_t caa_at;
    uint32_t caa_ttl;
    const char *const *caa_issuers; /**< issuer domain names of the issuemail records found */
    size_t n_caa_issuers;
    int has_mpic;               /**< Corroboration present */
    int64_t mpic_at;
    uint32_t mpic_remote, mpic_ok, mpic_rirs;
} sg_ev_mailbox;

/** One IdentityRecord. */
typedef struct {
    uint8_t attr_type[32];      /**< OID content octets */
    size_t attr_type_len;
    uint8_t value_hash[SG_EV_HASH_LEN]; /**< SHA-256 of the DER AttributeValue */
    uint32_t method;            /**< SG_EV_ID_* */
    const char *reqs;
    int64_t validated_at;
} sg_ev_identity;

/** A TBSEvidence. */
typedef struct {
    uint32_t version;           /**< 0: SG_EV_VERSION */
    uint8_t va_key_id[SG_EV_KEY_ID_LEN];  /**< SHA-256 of the VA SPKI DER */
    int64_t produced_at;
    uint8_t key_hash[SG_EV_HASH_LEN];     /**< SHA-256 of the subscriber SPKI DER */
    int has_tbs_hash;
    uint8_t tbs_hash[SG_EV_HASH_LEN];     /**< SHA-256 of the TBSCertificate DER */
    const sg_ev_mailbox *mailboxes;
    size_t n_mailboxes;
    const sg_ev_identity *identities;
    size_t n_identities;
} sg_ev_tbs;

/** DER TBSEvidence into out; SG_OK, or SG_E_BUFFER if cap is too small. */
int sg_evidence_encode_tbs(const sg_ev_tbs *t, uint8_t *out, size_t cap, size_t *len);
/** Evidence ::= SEQUENCE { tbs, alg (AlgorithmIdentifier TLV), BIT STRING sig }. */
int sg_evidence_encode(const uint8_t *tbs, size_t tbs_len, const uint8_t *alg, size_t alg_len, const uint8_t *sig,
                       size_t sig_len, uint8_t *out, size_t cap, size_t *len);

#endif
