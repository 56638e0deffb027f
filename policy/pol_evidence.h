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

/** The caller's memory of batch roots whose signature verified before (the
 * token's RAM cache, fw_evcache.c): the check itself keeps no state. */
typedef struct {
    /** 1 if the SignedBatchRoot whose DER hashes (SHA-256) to id verified */
    int (*seen)(void *ctx, const uint8_t id[32]);
    void *ctx;
} pol_ev_roots;

/** What a check found out besides its findings. */
typedef struct {
    uint8_t batched;       /**< the evidence has the batched form */
    uint8_t root_verified; /**< this call verified the root's signature: root_id may be remembered */
    uint8_t root_id[32];   /**< batched: SHA-256 of the SignedBatchRoot DER */
} pol_ev_info;

/**
 * Judges evidence ev for the TBSCertificate tbs at time now (the token's
 * clock at signing). Adds one finding per problem to d (rule rows of the
 * table, each with its own code and SBR section) and sets d->verdict to
 * POL_REFUSE if it added any; never clears earlier findings. ev == NULL or
 * ev_len == 0 means no evidence was given. The workspace is reused.
 */
void pol_evidence_check(const uint8_t *tbs, size_t tbs_len, const uint8_t *ev, size_t ev_len,
                        const pol_ev_trust *trust, int64_t now, pol_workspace *w, pol_decision *d);
/** The same, for either form: a batched root found by roots->seen (may be
 * NULL) is not verified again; info (may be NULL) says what was done. */
void pol_evidence_check_ex(const uint8_t *tbs, size_t tbs_len, const uint8_t *ev, size_t ev_len,
                           const pol_ev_trust *trust, int64_t now, const pol_ev_roots *roots, pol_ev_info *info,
                           pol_workspace *w, pol_decision *d);

/**
 * What the enforcement log keeps of evidence ev, without judging it: the
 * SHA-256 of the Evidence DER (single form), or of the record's TBSEvidence
 * DER and the tree's root hash (batched form that reads); batch_root is
 * zeros otherwise. 1 if batched.
 */
int pol_ev_log_hashes(const uint8_t *ev, size_t len, uint8_t record_hash[32], uint8_t batch_root[32]);

#endif
