/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file pol_evidence.h
 * @brief Validation evidence: does the signed evidence cover every mailbox
 * and identity attribute of a TBS, freshly enough (SBR 3.2.2, 3.2.3, 3.2.4,
 * 3.2.6, 4.2.1, 4.2.2)? Format: docs/evidence.md, constants:
 * sbrguard/evidence.h. The same code in the token and in `sbrguard lint`.
 */
#ifndef POL_EVIDENCE_H
#define POL_EVIDENCE_H
#include "pol_bundle.h"

/** What the CA's bundle says about evidence (slices of a pol_bundle_ca). */
typedef struct {
    pol_bytes va_keys;     /**< SubjectPublicKeyInfo TLVs of trusted validation authorities */
    pol_bytes caa_domains; /**< IA5String TLVs: the CA's CAA issuer domain names */
    int64_t mpic_from;     /**< MPIC required from this time */
    int64_t skew;          /**< how far the VA's times may run ahead of the judging clock (the bundle's skew-seconds) */
} pol_ev_trust;

/**
 * Judges evidence ev for the TBSCertificate tbs at time now (the token's
 * clock at signing). Adds one finding per problem to d (rule rows of the
 * table, each with its own code and SBR section) and sets d->verdict to
 * POL_REFUSE if it added any; never clears earlier findings. ev == NULL or
 * ev_len == 0 means no evidence was given. The workspace is reused.
 */
void pol_evidence_check(const uint8_t *tbs, size_t tbs_len, const uint8_t *ev, size_t ev_len,
                        const pol_ev_trust *trust, int64_t now, pol_workspace *w, pol_decision *d);

#endif
