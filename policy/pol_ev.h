/* SPDX-License-Identifier: Apache-2.0 */
/* Validation evidence internals: the strict DER reading of the format of
 * docs/evidence.md (shared by the check and `sbrguard evidence show`) and
 * the rows of the evidence rule table. */
#ifndef POL_EV_H
#define POL_EV_H
#include "pol_der.h"
#include "pol.h"
#include "pol_evidence.h"

/** A parsed Evidence: slices into the input. */
typedef struct {
    pol_slice tbs;        /**< TBSEvidence TLV: what the signature covers */
    pol_slice sig_alg;    /**< AlgorithmIdentifier TLV */
    pol_slice sig;        /**< BIT STRING content after the unused-bits octet */
    uint32_t version;
    pol_slice va_key_id;  /**< 32 octets */
    int64_t produced_at;
    pol_slice key_hash;   /**< 32 octets: SHA-256 of the subscriber SPKI DER */
    pol_slice tbs_hash;   /**< 32 octets, or empty when absent */
    pol_slice mailboxes;  /**< contents of [1]: MailboxRecord TLVs */
    pol_slice identities; /**< contents of [2]: IdentityRecord TLVs */
} pol_ev;

typedef struct {
    pol_slice mailbox;    /**< UTF8String content */
    uint32_t method, tls_method; /**< tls_method 0: absent */
    pol_slice reqs;       /**< requirements version (UTF8String content) */
    int64_t validated_at;
    uint8_t has_rv, has_caa, has_mpic;
    int64_t rv_created, rv_used;
    uint32_t rv_bits;
    int64_t caa_at;
    uint32_t caa_ttl;
    pol_slice caa_issuers; /**< contents of the SEQUENCE OF IA5String */
    int64_t mpic_at;
    uint32_t mpic_remote, mpic_ok, mpic_rirs;
} pol_ev_mailbox;

typedef struct {
    pol_slice attr_type;  /**< OID content */
    pol_slice value_hash; /**< 32 octets: SHA-256 of the DER AttributeValue */
    uint32_t method;
    pol_slice reqs;
    int64_t validated_at;
} pol_ev_identity;

/** Parse results. */
#define POL_EV_OK 0
#define POL_EV_MALFORMED (-1)
#define POL_EV_BAD_VERSION (-2)

/** Reads an Evidence and every record in it (so that the record readers
 * below cannot fail afterwards). */
int pol_ev_parse(const uint8_t *p, size_t len, pol_ev *ev);
/** The same for a TBSEvidence TLV alone (a batch's record); ev->sig_alg
 * and ev->sig are left as they are. */
int pol_ev_parse_tbs(pol_slice tbs, pol_ev *ev);
/** SEQUENCE { tbs SEQUENCE, AlgorithmIdentifier, BIT STRING }: the shape
 * of Evidence and of SignedBatchRoot. sig is after the unused-bits octet. */
int pol_ev_signed(const uint8_t *p, size_t len, pol_slice *tbs, pol_slice *alg, pol_slice *sig);

/** A parsed BatchedEvidence (docs/evidence.md "Batched evidence"): slices
 * into the input. */
typedef struct {
    pol_slice record;      /**< TBSEvidence TLV: the leaf's data */
    uint32_t index;        /**< leafIndex */
    pol_slice path;        /**< inclusion path: OCTET STRING (32) TLVs */
    unsigned path_len;
    pol_slice signed_root; /**< SignedBatchRoot TLV (its SHA-256 keys the token's cache) */
    pol_slice root_tbs;    /**< BatchRoot TLV: what the VA signed */
    pol_slice sig_alg, sig;
    pol_slice va_key_id;   /**< 32 octets */
    int64_t signed_at;
    uint32_t size;         /**< treeSize */
    pol_slice root;        /**< rootHash, 32 octets */
} pol_evb;

/** 1 if p has the batched form's shape (a SEQUENCE whose first element is
 * an INTEGER), 0 if it can only be the single form. */
int pol_evb_is(const uint8_t *p, size_t len);
/** Reads a BatchedEvidence, its signed root and its record (into rec; NULL:
 * the record's outer TLV only). */
int pol_evb_parse(const uint8_t *p, size_t len, pol_evb *b, pol_ev *rec);
/** RFC 9162 2.1.1 leaf hash of the record: SHA-256(0x00 || record DER). */
int pol_evb_leaf(pol_slice record, uint8_t out[32]);
/** RFC 9162 2.1.3.2: 0 if b's path proves leaf at b->index in a tree of
 * b->size leaves with root b->root. */
int pol_evb_included(const pol_evb *b, const uint8_t leaf[32]);
/** Authenticates a parsed batch (trusted VA, proof, times, signature or
 * the caller's cache): -1 if it holds, else the EV_* rule it breaks. */
int pol_evb_check(const pol_evb *b, const pol_ev *rec, const pol_ev_trust *t, int64_t now, const pol_ev_roots *roots,
                  pol_ev_info *info);
/** The trusted VA key whose SPKI hashes to key_id: 0 and its SPKI TLV. */
int pol_ev_find_va(const pol_ev_trust *t, pol_slice key_id, pol_slice *spki);
/** Next record of pol_ev.mailboxes / .identities: 1 read, 0 at the end,
 * -1 malformed. */
int pol_ev_next_mailbox(pol_der *c, pol_ev_mailbox *m);
int pol_ev_next_identity(pol_der *c, pol_ev_identity *r);

/** What a TBS needs evidence for (the same list for the token's check and
 * the VA's `sbrguard evidence make`). */
enum { POL_EV_NEED_MAILBOX = 1, POL_EV_NEED_IDENTITY = 2 };
typedef struct {
    int kind;          /**< POL_EV_NEED_* */
    uint8_t tag;       /**< the value's string tag */
    pol_slice value;   /**< the Mailbox Address, or the attribute value's content */
    pol_slice oid;     /**< identity: the attribute type */
    uint32_t section;  /**< identity: SG_EV_ID_* that must validate it */
} pol_ev_need;
typedef void (*pol_ev_need_fn)(void *ctx, const pol_ev_need *n);
/** Calls fn for every need of a DER TBSCertificate; its type (POL_*, -1
 * unknown) in *type. 0, or -1 if the TBS does not decode. Needs point into
 * tbs. */
int pol_ev_needs(const uint8_t *tbs, size_t len, pol_workspace *w, pol_ev_need_fn fn, void *ctx, int *type);
/** SHA-256 of an AttributeValue's DER (tag, minimal length, content). */
void pol_ev_value_hash(uint8_t tag, pol_slice value, uint8_t out[32]);
/** SHA-256 of the TBS's SubjectPublicKeyInfo DER; 0, or -1 if it does not decode. */
int pol_ev_key_hash(const uint8_t *tbs, size_t len, pol_workspace *w, uint8_t out[32]);

/** The part of pol_evidence_check after the signature verified: binding
 * and coverage of a parsed ev (the fuzzer reaches it directly). */
void pol_ev_judge(const uint8_t *tbs, size_t tbs_len, const pol_ev *ev, const pol_ev_trust *trust, int64_t now,
                  pol_workspace *w, pol_decision *d);

/* The evidence rows (pol_rules_evidence.c), in table order. Their function
 * is NULL: pol_evidence_check records them, pol_check never runs them. */
enum pol_ev_rule {
    EV_ABSENT, EV_MALFORMED, EV_VERSION, EV_VA_UNTRUSTED, EV_SIGNATURE, EV_BINDING_KEY, EV_BINDING_TBS,
    EV_FUTURE,
    EV_MAILBOX_MISSING, EV_MAILBOX_METHOD, EV_TLS_METHOD, EV_MAILBOX_STALE,
    EV_RV_MISSING, EV_RV_EMAIL_LIFETIME, EV_RV_EMAIL_ENTROPY, EV_RV_ACME_LIFETIME, EV_RV_ACME_ENTROPY,
    EV_CAA_MISSING, EV_CAA_FORBIDDEN, EV_CAA_STALE,
    EV_MPIC_MISSING, EV_MPIC_PERSPECTIVES, EV_MPIC_QUORUM, EV_MPIC_RIRS, EV_MPIC_STALE,
    EV_ORG_MISSING, EV_INDIVIDUAL_MISSING, EV_AUTHORITY_MISSING, EV_IDENTITY_METHOD,
    EV_ORG_STALE, EV_INDIVIDUAL_STALE, EV_AUTHORITY_STALE,
    EV_BATCH_VA_UNTRUSTED, EV_BATCH_SIGNATURE, EV_BATCH_PROOF, EV_BATCH_STALE,
    EV_RULE_COUNT
};
extern const pol_rule pol_rules_evidence[EV_RULE_COUNT];
extern const size_t pol_rules_evidence_n;

#endif
