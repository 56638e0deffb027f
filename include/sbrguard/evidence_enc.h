/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file evidence_enc.h
 * @brief The validation authority's side of the evidence format
 * (docs/evidence.md): DER encoding of a TBSEvidence and of the signed
 * Evidence, and of the batched form (many records under one signed root),
 * in libsbrguard. The encoder writes what it is given, bounds
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

/* --- Batched form (docs/evidence.md "Batched evidence") -------------------- */

/** Hashes a tree of n leaves needs in sg_evidence_tree (leaves and levels). */
#define SG_EV_TREE_NODES(n) (2u * (size_t)(n) + SG_EV_BATCH_MAX_PATH + 1u)

/** RFC 9162 2.1.1 leaf hash of a record (TBSEvidence DER): SHA-256(0x00 || record). */
int sg_evidence_leaf_hash(const uint8_t *rec, size_t len, uint8_t out[SG_EV_HASH_LEN]);
/** The RFC 9162 tree of n (1..SG_EV_BATCH_MAX_LEAVES) leaf hashes: tree[0..n-1]
 * hold the leaves on entry, the levels above are written after them (tree
 * has SG_EV_TREE_NODES(n) entries); its root hash into root. */
int sg_evidence_tree(uint8_t (*tree)[SG_EV_HASH_LEN], size_t n, uint8_t root[SG_EV_HASH_LEN]);
/** Inclusion path of leaf index in a tree sg_evidence_tree built (RFC 9162
 * 2.1.3.1, from the leaf up). */
int sg_evidence_path(const uint8_t (*tree)[SG_EV_HASH_LEN], size_t n, size_t index, uint8_t (*path)[SG_EV_HASH_LEN],
                     size_t cap, size_t *len);
/** BatchRoot DER, what the VA signs (0 version: SG_EV_ROOT_VERSION). The
 * SignedBatchRoot is sg_evidence_encode(BatchRoot, alg, sig): the same shape
 * as Evidence. */
int sg_evidence_encode_root(uint32_t version, const uint8_t va_key_id[SG_EV_KEY_ID_LEN], int64_t signed_at,
                            uint32_t size, const uint8_t root[SG_EV_HASH_LEN], uint8_t *out, size_t cap, size_t *len);
/** BatchedEvidence DER: a record, its leaf index and path, the signed root
 * (0 version: SG_EV_BATCH_VERSION). */
int sg_evidence_encode_batched(uint32_t version, const uint8_t *rec, size_t rec_len, uint32_t index,
                               const uint8_t (*path)[SG_EV_HASH_LEN], size_t path_len, const uint8_t *signed_root,
                               size_t signed_root_len, uint8_t *out, size_t cap, size_t *len);

#endif
