/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file pol.h
 * @brief The S/MIME BR policy engine (SBR 1.0.11): one decision for a
 * TBSCertificate, the same in the token and in `sbrguard lint`.
 *
 * Freestanding C: no allocation, bounded stack, every length checked. The
 * input is only read; the view points into it.
 */
#ifndef POL_H
#define POL_H
#include <stddef.h>
#include <stdint.h>

/** Verdicts are distinct non-zero constants, re-checked before signing. */
#define POL_ACCEPT 0x3CA5A55Au
#define POL_REFUSE 0xC35A5AA5u

/** Certificate types and generations of SBR 7.1.6.1. */
enum pol_type { POL_MAILBOX = 0, POL_ORGANIZATION = 1, POL_SPONSOR = 2, POL_INDIVIDUAL = 3 };
enum pol_gen { POL_LEGACY = 0, POL_MULTIPURPOSE = 1, POL_STRICT = 2 };

/** One rule: a row of the table, with its stable code and SBR section. */
typedef struct pol_eval pol_eval;
typedef struct {
    const char *code;    /**< e.g. "sbr.7.1.2.3.eku.prohibited" */
    const char *section; /**< e.g. "7.1.2.3(f)" */
    const char *message;
    /** nonzero if the TBS breaks the rule; NULL for rows another check
     * records (evidence: pol_evidence_check) */
    int (*violated)(const pol_eval *e);
} pol_rule;

/** What the CA key's binding adds (SBR 7.1.4.1, 7.1.2.3(g), 7.1.3.2). */
typedef struct {
    const uint8_t *ca_subject;  /**< the CA certificate's subject Name (full TLV) */
    size_t ca_subject_len;
    const uint8_t *ca_ski;      /**< the CA's subjectKeyIdentifier value */
    size_t ca_ski_len;
    const uint8_t *sig_alg;     /**< AlgorithmIdentifier the CA key produces (full TLV) */
    size_t sig_alg_len;
} pol_ca;

/** The CA's own rules from its policy bundle entry (docs/bundle.md), checked
 * by the rows of pol_rules_bundle.c. Prefix lists are IA5String TLVs; empty:
 * any URL. */
typedef struct {
    uint32_t profiles;          /**< bit (type * 3 + gen): profiles the CA may issue */
    uint32_t max_validity_days; /**< the CA's own maximum (SBR 6.3.2 day arithmetic) */
    const uint8_t *crldp_prefixes;
    size_t crldp_prefixes_len;
    const uint8_t *aia_prefixes;
    size_t aia_prefixes_len;
} pol_ca_rules;

/** Context of one decision. */
typedef struct {
    int64_t now;              /**< the judging clock, seconds since 1970 UTC */
    const pol_ca *ca;         /**< NULL: no binding checks */
    int64_t not_before_skew;  /**< with a CA: |notBefore - now| allowed, seconds (the bundle's skewSeconds) */
    const pol_ca_rules *rules; /**< NULL: no bundle rules (lint without a bundle) */
    const struct pol_blocklist *blocklist; /**< NULL: no compromised-key list (pol_blocklist.h) */
} pol_ctx;

#define POL_MAX_FINDINGS 48

typedef struct {
    uint32_t verdict;         /**< POL_ACCEPT or POL_REFUSE */
    int type, gen;            /**< profile, or -1 when it could not be told */
    uint16_t n;               /**< findings recorded */
    uint16_t dropped;         /**< findings beyond POL_MAX_FINDINGS */
    uint16_t findings[POL_MAX_FINDINGS]; /**< indices into the rule table */
} pol_decision;

/** Scratch space of one decision (the decoded view), owned by the caller
 * so that the engine keeps no state and bounds its stack. */
#define POL_WORKSPACE_SIZE 4096
typedef union {
    uint64_t align;
    uint8_t bytes[POL_WORKSPACE_SIZE];
} pol_workspace;

/** Judges a DER TBSCertificate; always fills d (refusal on any doubt). */
void pol_check(const uint8_t *tbs, size_t len, const pol_ctx *ctx, pol_workspace *w, pol_decision *d);

/**
 * The DER Certificate that a TBS and a signature of sig_len bytes make
 * (RFC 5280 4.1): header || tbs || alg || bitstring header || 0x00 || sig,
 * with alg the TBS's own signature field (4.1.1.2). The token hashes these
 * parts for its log and `sbrguard cert assemble` writes them: one layout,
 * the same bytes. 0 on success.
 */
typedef struct {
    uint8_t head[6], bit_head[6];
    size_t head_len, bit_head_len;
    const uint8_t *alg; /**< points into the TBS */
    size_t alg_len;
} pol_cert_layout;
int pol_cert_layout_of(const uint8_t *tbs, size_t tbs_len, size_t sig_len, pol_cert_layout *l);

/** Extracts the TBSCertificate from a DER Certificate; 0 on success. */
int pol_cert_tbs(const uint8_t *cert, size_t len, const uint8_t **tbs, size_t *tbs_len);

/**
 * Fills ca from a DER CA certificate: its subject and subjectKeyIdentifier,
 * and the signature AlgorithmIdentifier its key produces when that follows
 * from the key (ECDSA, SBR 7.1.3.2.2); for other keys sig_alg stays NULL
 * and the caller supplies it. Pointers refer into cert. 0 on success.
 */
int pol_ca_from_cert(const uint8_t *cert, size_t len, pol_workspace *w, pol_ca *ca);
/** notBefore of a DER TBSCertificate, for defaults; 0 on success. */
int pol_tbs_not_before(const uint8_t *tbs, size_t len, pol_workspace *w, int64_t *nb);
/** The SubjectPublicKeyInfo TLV of a DER TBSCertificate (points into tbs); 0 on success. */
int pol_tbs_spki(const uint8_t *tbs, size_t len, pol_workspace *w, const uint8_t **spki, size_t *spki_len);

/** Signature AlgorithmIdentifiers of SBR 7.1.3.2, byte-exact (pol_sig.c). */
enum pol_sig_alg {
    POL_SIG_RSA_SHA256, POL_SIG_RSA_SHA384, POL_SIG_RSA_SHA512,
    POL_SIG_PSS_SHA256, POL_SIG_PSS_SHA384, POL_SIG_PSS_SHA512,
    POL_SIG_ECDSA_SHA256, POL_SIG_ECDSA_SHA384, POL_SIG_ECDSA_SHA512,
    POL_SIG_ED25519, POL_SIG_ED448, POL_SIG_MLDSA44, POL_SIG_MLDSA65, POL_SIG_MLDSA87,
};
/** POL_SIG_* of a full AlgorithmIdentifier TLV, or -1 if not one of them. */
int pol_sig_alg_id(const uint8_t *alg, size_t len);
/** The full AlgorithmIdentifier TLV of a POL_SIG_*; NULL if out of range. */
const uint8_t *pol_sig_alg_der(int id, size_t *len);
/**
 * Verifies sig over msg with the key of a DER SubjectPublicKeyInfo, under
 * the AlgorithmIdentifier alg (RSA PKCS#1 v1.5, RSASSA-PSS or ECDSA with
 * SHA-256/384/512, encoded as SBR 7.1.3.2 requires; ECDSA sig is a DER
 * Ecdsa-Sig-Value, as in X.509). The key must suit the algorithm; RSA keys
 * below 2048 bits are refused. 0 if valid; mbedTLS allocates from its arena.
 */
int pol_sig_verify(const uint8_t *spki, size_t spki_len, const uint8_t *alg, size_t alg_len,
                   const uint8_t *msg, size_t msg_len, const uint8_t *sig, size_t sig_len);

/** pol_sig_verify over a digest already taken with the hash of POL_SIG_* id
 * (a streamed message: the blocklist, pol_blocklist.h). 0 if valid. */
int pol_sig_verify_digest(const uint8_t *spki, size_t spki_len, int id, const uint8_t *hash, size_t hlen,
                          const uint8_t *sig, size_t sig_len);

/** The rule table. */
size_t pol_rule_count(void);
const pol_rule *pol_rule_at(size_t i);
/** Index of a rule by code, or -1. */
int pol_rule_find(const char *code);

const char *pol_type_name(int type);
const char *pol_gen_name(int gen);

#endif
