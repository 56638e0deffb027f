/* SPDX-License-Identifier: Apache-2.0 */
/* What a CA key may sign (DESIGN.md, "Two ways a TBS reaches the policy"):
 * the policy decision on a whole TBSCertificate against the key's CA
 * certificate, and pre-authorizations of exactly one raw-digest signature,
 * one per link channel, short-lived and single-use. */
#include <string.h>
#include "../policy/pol.h"
#include "../policy/pol_evidence.h"
#include "fw_policy.h"
#include "mbedtls/md.h"
#include "mbedtls/platform.h"
#include "sbrguard/hal.h"
#include "sbrguard/hal_crypto.h"
#include "sbrguard/tlv.h"

/* SBR 7.1.3.2.2: ecdsa-with-SHA256/384/512, no parameters. */
static const uint8_t alg_ecdsa[3][12] = {
    { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02 },
    { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03 },
    { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04 },
};
/* SBR 7.1.3.2.1: sha256/384/512WithRSAEncryption, NULL parameters. */
static const uint8_t alg_pkcs1[3][15] = {
    { 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00 },
    { 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c, 0x05, 0x00 },
    { 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d, 0x05, 0x00 },
};
/* SBR 7.1.3.2.1: RSASSA-PSS, hash and MGF1 hash alike, salt = hash length. */
#define PSS(h, s)                                                                                          \
    { 0x30, 0x41, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a, 0x30, 0x34, 0xa0, 0x0f, \
      0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, h,    0x05, 0x00, 0xa1, 0x1c, \
      0x30, 0x1a, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08, 0x30, 0x0d, 0x06, 0x09, \
      0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, h,    0x05, 0x00, 0xa2, 0x03, 0x02, 0x01, s }
static const uint8_t alg_pss[3][67] = { PSS(0x01, 0x20), PSS(0x02, 0x30), PSS(0x03, 0x40) };
/* DigestInfo prefixes (RFC 8017 9.2 note 1) for a raw CKM_RSA_PKCS. */
static const uint8_t digest_info[3][19] = {
    { 0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20 },
    { 0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30 },
    { 0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40 },
};
static const uint32_t raw_mech[] = { SG_MECH_ECDSA, SG_MECH_RSA_PKCS, SG_MECH_RSA_PKCS_PSS };

/* SHA-256/384/512 -> 0/1/2, else -1. */
static int md_index(int md)
{
    return md == HAL_MD_SHA256 ? 0 : md == HAL_MD_SHA384 ? 1 : md == HAL_MD_SHA512 ? 2 : -1;
}

/* The curve's own hash (SBR 7.1.3.2.2): P-256 -> 0 ... P-521 -> 2, RSA -1. */
static int curve_index(uint32_t key_type)
{
    return key_type == SG_KEY_EC_P256 ? 0 : key_type == SG_KEY_EC_P384 ? 1 : key_type == SG_KEY_EC_P521 ? 2 : -1;
}

static int refuse(fw_req *r, const char *code, const char *section)
{
    fw_refuse(r, code, section);
    return FW_E_POLICY;
}

/* ---- inline: the policy decision ---------------------------------------- */

/* The CA's bundle rules for one decision: its scalars and URL prefixes
 * copied, since the CA certificate is read from the store next. */
static struct {
    pol_ca_rules rules;
    uint32_t skew;
    uint8_t crldp[SG_BUNDLE_MAX_PREFIX_BYTES], aia[SG_BUNDLE_MAX_PREFIX_BYTES];
} cr;

/* With no bundle, or none for this CA key, the CA key refuses (DESIGN.md
 * rule 6: the CA's own policy is part of every decision). The evidence
 * (SBR 3.2, 4.2.1, 4.2.2) is judged into ev here, while the CA's entry is
 * in the store's buffer: the CA certificate is read next. */
static int bundle_rules(fw_req *r, const fw_sign_req *q, pol_workspace *ws, pol_decision *ev)
{
    pol_bundle_ca ca;
    int rc = fw_policy_ca(q->key_id, &ca);
    if (rc == FW_E_NO_OBJECT || rc == FW_E_CORRUPT)
        return refuse(r, "sbrguard.bundle.none", "4.3.1");
    if (rc)
        return refuse(r, "sbrguard.bundle.no-entry", "4.3.1");
    if (ca.crldp_prefixes.len > sizeof cr.crldp || ca.aia_prefixes.len > sizeof cr.aia)
        return refuse(r, "sbrguard.bundle.none", "4.3.1"); /* the parser bounds them: never */
    memcpy(cr.crldp, ca.crldp_prefixes.p, ca.crldp_prefixes.len);
    memcpy(cr.aia, ca.aia_prefixes.p, ca.aia_prefixes.len);
    cr.rules.profiles = ca.profiles;
    cr.rules.max_validity_days = ca.max_validity_days;
    cr.rules.crldp_prefixes = cr.crldp;
    cr.rules.crldp_prefixes_len = ca.crldp_prefixes.len;
    cr.rules.aia_prefixes = cr.aia;
    cr.rules.aia_prefixes_len = ca.aia_prefixes.len;
    cr.skew = ca.skew_seconds;
    fw_authz_set_window(ca.authz_seconds);
    pol_ev_trust trust = { ca.va_keys, ca.caa_domains, ca.mpic_from, ca.skew_seconds };
    pol_ev_roots roots = { fw_evcache_seen, NULL };
    pol_ev_info info;
    ev->verdict = POL_ACCEPT;
    ev->n = ev->dropped = 0;
    pol_evidence_check_ex(q->data, q->data_len, q->evidence, q->evidence_len, &trust, (int64_t)hal_clock_now(),
                          &roots, &info, ws, ev);
    if (info.root_verified) /* a batch's later requests cost only hashing */
        fw_evcache_add(info.root_id);
    return FW_OK;
}

/* The certificate bound to key, in the store's buffer: valid until the next
 * store call, and fw_ca_judge makes none while it uses it (no copy: RAM).
 * The RAM index names the slot (as for fw_key_is_ca); one record is read. */
static int load_ca(unsigned key, const uint8_t **cert, size_t *cert_len)
{
    const fw_obj_entry *idx = fw_objects_idx();
    for (unsigned s = 1; s <= FW_MAX_OBJECTS; s++) {
        const uint8_t *b, *v, *val = NULL;
        size_t len, off = 0, vl, val_len = 0;
        uint32_t bound = 0;
        uint8_t t;
        if (idx[s].type != FW_REC_TYPE_CERT || idx[s].bound_key != key || fw_object_load(s, FW_REC_TYPE_CERT, &b, &len))
            continue;
        while (fw_tlv_next(b, len, &off, &t, &v, &vl) == 1) {
            if (t == SG_T_BOUND_KEY && vl == 2)
                bound = (uint32_t)sg_be_get(v, 2);
            else if (t == SG_T_VALUE) {
                val = v;
                val_len = vl;
            }
        }
        if (bound == key && val) { /* the record agrees with the index */
            *cert = val;
            *cert_len = val_len;
            return FW_OK;
        }
    }
    return FW_E_NO_OBJECT;
}

/* The AlgorithmIdentifier this key and mechanism produce (SBR 7.1.3.2). */
static int sig_alg(fw_req *r, const fw_sign_req *q, const uint8_t **alg, size_t *len)
{
    int h = md_index(q->md);
    if (h < 0)
        return refuse(r, "sbrguard.sign.hash", "7.1.3.2");
    if (q->scheme == FW_SIG_ECDSA) {
        if (curve_index(q->key_type) != h)
            return refuse(r, "sbrguard.sign.hash-curve", "7.1.3.2.2");
        *alg = alg_ecdsa[h];
        *len = sizeof alg_ecdsa[h];
    } else if (q->scheme == FW_SIG_PKCS1) {
        *alg = alg_pkcs1[h];
        *len = sizeof alg_pkcs1[h];
    } else {
        if (q->pss_md != q->md || q->pss_slen != 32u + 16u * (unsigned)h)
            return refuse(r, "sbrguard.sign.pss-params", "7.1.3.2.1");
        *alg = alg_pss[h];
        *len = sizeof alg_pss[h];
    }
    return FW_OK;
}

static int judge(fw_req *r, const fw_sign_req *q, volatile uint32_t *verdict, pol_workspace *ws)
{
    pol_ca ca;
    pol_decision d;
    const uint8_t *alg = NULL, *cert;
    size_t alg_len = 0, cert_len;
    int rc;
    *verdict = POL_REFUSE;
    pol_decision ev;
    if ((rc = bundle_rules(r, q, ws, &ev)))
        return rc;
    if (load_ca(q->key, &cert, &cert_len))
        return refuse(r, "sbrguard.ca.unbound", "7.1.4.1");
    if ((rc = sig_alg(r, q, &alg, &alg_len)))
        return rc;
    /* From here to the decision no store call: ca points into cert. */
    if (pol_ca_from_cert(cert, cert_len, ws, &ca))
        return refuse(r, "sbrguard.ca.cert-malformed", "7.1.4.1");
    ca.sig_alg = alg;
    ca.sig_alg_len = alg_len;
    pol_ctx ctx = { .now = (int64_t)hal_clock_now(), .ca = &ca, .not_before_skew = cr.skew, .rules = &cr.rules,
                    .blocklist = fw_blocklist() };
    pol_check(q->data, q->data_len, &ctx, ws, &d);
    for (uint16_t i = 0; i < ev.n; i++) { /* the TBS's findings first, then the evidence's, once each */
        uint16_t k = 0;
        while (k < d.n && d.findings[k] != ev.findings[i])
            k++;
        if (k < d.n)
            continue;
        if (d.n < POL_MAX_FINDINGS)
            d.findings[d.n++] = ev.findings[i];
        else
            d.dropped++;
    }
    d.dropped = (uint16_t)(d.dropped + ev.dropped);
    if (ev.verdict != POL_ACCEPT)
        d.verdict = POL_REFUSE;
    if (d.verdict != POL_ACCEPT || d.n || d.dropped) {
        for (uint16_t i = 0; i < d.n; i++) {
            const pol_rule *rule = pol_rule_at(d.findings[i]);
            if (rule)
                fw_refuse(r, rule->code, rule->section);
        }
        if (d.dropped || !r->detail)
            fw_refuse(r, "sbrguard.policy.more-findings", NULL);
        return FW_E_POLICY;
    }
    *verdict = d.verdict;
    return FW_OK;
}

/* The policy workspace lives in mbedTLS's arena only while a TBS is judged:
 * the arena's peak (an RSA signature) comes later, and RAM is short on a board. */
int fw_ca_judge(fw_req *r, const fw_sign_req *q, volatile uint32_t *verdict)
{
    pol_workspace *ws = mbedtls_calloc(1, sizeof *ws);
    *verdict = POL_REFUSE;
    if (!ws)
        return FW_E_CRYPTO;
    int rc = judge(r, q, verdict, ws);
    mbedtls_free(ws);
    return rc;
}

/* ---- pre-authorizations -------------------------------------------------- */

enum { AZ_FREE = 0, AZ_LIVE = 1, AZ_USED = 2 };

typedef struct {
    uint8_t state, scheme, hlen;
    int md;
    unsigned key;
    uint8_t key_id[32];
    uint8_t digest[64];
    uint8_t tbs_hash[32]; /* SHA-256 of the TBS judged, for the log */
    uint8_t evidence_hash[32]; /* and of the evidence it was judged with */
    uint8_t batch_root[32];    /* and that evidence's batch root (zeros: none) */
    uint64_t granted, expires;
} authz;

static authz az[FW_MAX_CHANNELS];
static uint32_t window = SG_AUTHZ_WINDOW;

void fw_authz_set_window(uint32_t seconds) { window = seconds; }

void fw_authz_tbs_hash(unsigned chan, uint8_t out[32])
{
    memcpy(out, az[chan < FW_MAX_CHANNELS ? chan : 0].tbs_hash, 32);
}

void fw_authz_evidence_hash(unsigned chan, uint8_t out[32])
{
    memcpy(out, az[chan < FW_MAX_CHANNELS ? chan : 0].evidence_hash, 32);
}

void fw_authz_batch_root(unsigned chan, uint8_t out[32])
{
    memcpy(out, az[chan < FW_MAX_CHANNELS ? chan : 0].batch_root, 32);
}

void fw_authz_drop(unsigned chan)
{
    if (chan < FW_MAX_CHANNELS)
        fw_zeroize(&az[chan], sizeof az[chan]);
    else
        fw_zeroize(az, sizeof az);
}

/* What the one raw signature must be given: the digest, or for PKCS#1 v1.5
 * its DigestInfo. */
static size_t expected(const authz *a, uint8_t *out)
{
    size_t off = 0;
    int h = md_index(a->md);
    if (a->scheme == FW_SIG_PKCS1 && h >= 0) {
        memcpy(out, digest_info[h], sizeof digest_info[h]);
        off = sizeof digest_info[h];
    }
    memcpy(out + off, a->digest, a->hlen);
    return off + a->hlen;
}

int fw_authz_grant(fw_req *r, const fw_sign_req *q, const uint8_t *digest, size_t hlen)
{
    authz *a = &az[r->chan];
    uint8_t want[19 + 64];
    if (hlen > sizeof a->digest || q->scheme > FW_SIG_PSS || md_index(q->md) < 0)
        return FW_E_INTERNAL;
    fw_authz_drop(r->chan); /* one per channel: a new one replaces the old */
    a->scheme = q->scheme;
    a->md = q->md;
    a->hlen = (uint8_t)hlen;
    a->key = q->key;
    memcpy(a->key_id, q->key_id, sizeof a->key_id);
    memcpy(a->digest, digest, hlen);
    a->granted = hal_clock_now();
    a->expires = a->granted + window;
    memcpy(a->tbs_hash, q->tbs_hash, sizeof a->tbs_hash);
    if (q->evidence_len) {
        memcpy(a->evidence_hash, q->evidence_hash, sizeof a->evidence_hash);
        memcpy(a->batch_root, q->batch_root, sizeof a->batch_root);
    }
    /* Logged before it is granted: no log, no authorization. */
    fw_log_ev ev = { .event = SG_LOG_EV_AUTHZ_ACCEPTED, .mech = q->mech, .handle = q->key,
                     .key_type = (uint8_t)q->key_type, .value = a->expires, .key_id = q->key_id,
                     .tbs_hash = a->tbs_hash, .evidence_hash = q->evidence_len ? a->evidence_hash : NULL,
                     .batch_root = q->evidence_len ? a->batch_root : NULL };
    int rc = fw_log_append(&ev);
    if (rc) {
        fw_authz_drop(r->chan);
        return rc;
    }
    a->state = AZ_LIVE;
    size_t n = expected(a, want);
    if (fw_put_u(r, SG_T_MECH, raw_mech[q->scheme], 4) || fw_put(r, SG_T_DIGEST, want, n) ||
        fw_put_u(r, SG_T_EXPIRES, a->expires, 8)) {
        fw_authz_drop(r->chan);
        return FW_E_INTERNAL;
    }
    return FW_OK;
}

int fw_authz_consume(fw_req *r, const fw_sign_req *q, volatile uint32_t *verdict)
{
    authz *a = &az[r->chan];
    uint8_t want[19 + 64], diff = 0;
    uint64_t now = hal_clock_now();
    *verdict = POL_REFUSE;
    if (a->state == AZ_FREE)
        return refuse(r, "sbrguard.authz.none", "4.3.1.2");
    if (a->state != AZ_LIVE)
        return refuse(r, "sbrguard.authz.used", "4.3.1.2");
    if (now < a->granted || now > a->expires)
        return refuse(r, "sbrguard.authz.expired", "4.3.1.2");
    if (a->key != q->key || memcmp(a->key_id, q->key_id, sizeof a->key_id))
        return refuse(r, "sbrguard.authz.key-mismatch", "4.3.1.2");
    if (a->scheme != q->scheme || (q->scheme == FW_SIG_PSS && (q->pss_md != a->md || q->pss_slen != a->hlen)))
        return refuse(r, "sbrguard.authz.mechanism-mismatch", "7.1.3.2");
    size_t n = expected(a, want);
    if (q->data_len != n)
        return refuse(r, "sbrguard.authz.digest-mismatch", "4.3.1.2");
    for (size_t i = 0; i < n; i++)
        diff |= (uint8_t)(want[i] ^ q->data[i]);
    if (diff)
        return refuse(r, "sbrguard.authz.digest-mismatch", "4.3.1.2");
    /* Spent before the key is used: a failing signature does not give it back. */
    a->state = AZ_USED;
    fw_zeroize(a->digest, sizeof a->digest);
    *verdict = POL_ACCEPT;
    return FW_OK;
}
