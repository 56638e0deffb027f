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
    EV_RULE_COUNT
};
extern const pol_rule pol_rules_evidence[EV_RULE_COUNT];
extern const size_t pol_rules_evidence_n;

#endif
