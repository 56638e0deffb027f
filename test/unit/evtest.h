/* SPDX-License-Identifier: Apache-2.0 */
/* Evidence for tests: VA keys from PEM files, a default TBSEvidence that
 * covers everything a TBS needs (pol_ev_needs, as `sbrguard evidence make`
 * does), signing, and one decision. Tests change the defaults to make each
 * defect. */
#ifndef EVTEST_H
#define EVTEST_H
#pragma GCC diagnostic ignored "-Wunused-function"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mbedtls/base64.h"
#include "mbedtls/hmac_drbg.h"
#include "mbedtls/md.h"
#include "mbedtls/pk.h"
#include "mbedtls/rsa.h"
#include "mbedtls/sha256.h"
#include "sbrguard/evidence_enc.h"
#include "../../policy/pol_ev.h"
#include "../../policy/pol_evidence.h"

static uint8_t *ev_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *b = NULL;
    long n;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (b = malloc((size_t)n + 1)) && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    if (b)
        *len = (size_t)n;
    fclose(f);
    return b;
}

/* The TBS of a DER certificate file. */
static int ev_tbs_of(const char *path, uint8_t *out, size_t cap, size_t *len)
{
    size_t n;
    uint8_t *der = ev_read(path, &n);
    const uint8_t *t;
    size_t tl;
    int rc = -1;
    if (der && pol_cert_tbs(der, n, &t, &tl) == 0 && tl <= cap) {
        memcpy(out, t, tl);
        *len = tl;
        rc = 0;
    }
    free(der);
    return rc;
}

typedef struct {
    mbedtls_pk_context pk;
    uint8_t spki[800];
    size_t spki_len;
    uint8_t id[32];
    int alg; /* POL_SIG_* it signs with */
} ev_key;

static mbedtls_hmac_drbg_context ev_drbg;
static int ev_rng(void *ctx, unsigned char *out, size_t len) { return mbedtls_hmac_drbg_random(ctx, out, len); }

static int ev_key_load(ev_key *k, const char *path, int alg)
{
    static int seeded;
    static const uint8_t seed[] = "sbrguard evidence tests";
    size_t n, olen = 0;
    uint8_t *pem = ev_read(path, &n), der[2500], tmp[800];
    char *b, *e;
    int rc = -1;
    if (!seeded) {
        mbedtls_hmac_drbg_init(&ev_drbg);
        seeded = !mbedtls_hmac_drbg_seed_buf(&ev_drbg, mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), seed, sizeof seed);
    }
    mbedtls_pk_init(&k->pk);
    k->alg = alg;
    if (!pem)
        return -1;
    pem[n] = 0;
    b = strstr((char *)pem, "-----\n");
    e = b ? strstr(b + 6, "-----END") : NULL;
    if (e && !mbedtls_base64_decode(der, sizeof der, &olen, (uint8_t *)b + 6, (size_t)(e - b - 6)) &&
        !mbedtls_pk_parse_key(&k->pk, der, olen, NULL, 0, ev_rng, &ev_drbg)) {
        int w = mbedtls_pk_write_pubkey_der(&k->pk, tmp, sizeof tmp);
        if (w > 0) {
            k->spki_len = (size_t)w;
            memcpy(k->spki, tmp + sizeof tmp - w, k->spki_len);
            mbedtls_sha256(k->spki, k->spki_len, k->id, 0);
            rc = 0;
        }
    }
    free(pem);
    return rc;
}

/* Signs msg as the key's algorithm (ECDSA DER, RSA PKCS#1 v1.5 or PSS
 * with a salt of the hash length). */
static size_t ev_sign(ev_key *k, const uint8_t *msg, size_t len, uint8_t *sig, size_t cap)
{
    static const mbedtls_md_type_t mds[3] = { MBEDTLS_MD_SHA256, MBEDTLS_MD_SHA384, MBEDTLS_MD_SHA512 };
    mbedtls_md_type_t md = mds[k->alg % 3];
    uint8_t h[64];
    size_t hl = mbedtls_md_get_size(mbedtls_md_info_from_type(md)), sl = 0;
    if (mbedtls_md(mbedtls_md_info_from_type(md), msg, len, h))
        return 0;
    if (k->alg >= POL_SIG_PSS_SHA256 && k->alg <= POL_SIG_PSS_SHA512) {
        mbedtls_rsa_context *rsa = mbedtls_pk_rsa(k->pk);
        sl = mbedtls_rsa_get_len(rsa);
        if (sl > cap || mbedtls_rsa_set_padding(rsa, MBEDTLS_RSA_PKCS_V21, md) ||
            mbedtls_rsa_rsassa_pss_sign(rsa, ev_rng, &ev_drbg, md, (unsigned)hl, h, sig))
            sl = 0;
        mbedtls_rsa_set_padding(rsa, MBEDTLS_RSA_PKCS_V15, MBEDTLS_MD_NONE);
        return sl;
    }
    return mbedtls_pk_sign(&k->pk, md, h, hl, sig, cap, &sl, ev_rng, &ev_drbg) ? 0 : sl;
}

/* A TBSEvidence under construction. */
typedef struct {
    sg_ev_tbs t;
    sg_ev_mailbox mb[SG_EV_MAX_MAILBOXES + 2];
    sg_ev_identity id[SG_EV_MAX_IDENTITIES + 2];
    char mbox[SG_EV_MAX_MAILBOXES + 2][320];
    const char *caa[SG_EV_MAX_CAA_ISSUERS + 2];
    int64_t now;
} ev_spec;

static void ev_default_mailbox(ev_spec *s, sg_ev_mailbox *m, int method)
{
    int64_t now = s->now;
    memset(m, 0, sizeof *m);
    m->method = (uint32_t)method;
    m->reqs = "SBR 1.0.11";
    m->validated_at = now - 3600;
    if (method == SG_EV_M_EMAIL || method == SG_EV_M_ACME) {
        m->has_rv = 1;
        m->rv_created = now - 7200;
        m->rv_used = now - 3600;
        m->rv_bits = 128;
    } else {
        m->tls_method = method == SG_EV_M_DOMAIN ? 7 : 18; /* DNS change; website v2 on the SMTP FQDN */
        m->reqs = "SBR 1.0.11 / TLS BR 2.2.6";
        m->has_mpic = 1;
        m->mpic_at = now - 3600;
        m->mpic_remote = m->mpic_ok = 6;
        m->mpic_rirs = 3;
    }
    m->has_caa = 1;
    m->caa_at = now - 3600;
    m->caa_ttl = 3600;
    m->caa_issuers = s->caa;
    m->n_caa_issuers = 0;
}

typedef struct {
    ev_spec *s;
    int method;
} ev_fill;

static void ev_need(void *ctx, const pol_ev_need *n)
{
    ev_fill *f = ctx;
    ev_spec *s = f->s;
    if (n->kind == POL_EV_NEED_MAILBOX) {
        size_t k = s->t.n_mailboxes, l = n->value.len < 319 ? n->value.len : 319;
        for (size_t i = 0; i < k; i++)
            if (strlen(s->mbox[i]) == l && !memcmp(s->mbox[i], n->value.p, l))
                return; /* same mailbox in the SAN and the subject */
        if (k >= SG_EV_MAX_MAILBOXES)
            return;
        memcpy(s->mbox[k], n->value.p, l);
        s->mbox[k][l] = 0;
        ev_default_mailbox(s, &s->mb[k], f->method);
        s->mb[k].mailbox = s->mbox[k];
        s->t.n_mailboxes++;
    } else if (s->t.n_identities < SG_EV_MAX_IDENTITIES) {
        sg_ev_identity *r = &s->id[s->t.n_identities++];
        memset(r, 0, sizeof *r);
        r->attr_type_len = n->oid.len < sizeof r->attr_type ? n->oid.len : sizeof r->attr_type;
        memcpy(r->attr_type, n->oid.p, r->attr_type_len);
        pol_ev_value_hash(n->tag, n->value, r->value_hash);
        r->method = n->section;
        r->reqs = "SBR 1.0.11";
        r->validated_at = s->now - 10 * 86400;
    }
}

/* Evidence for everything tbs needs, every mailbox by method, made by key. */
static int ev_spec_default(ev_spec *s, const uint8_t *tbs, size_t len, int64_t now, int method, const ev_key *k)
{
    static pol_workspace w;
    ev_fill f = { s, method };
    int type;
    memset(s, 0, sizeof *s);
    s->now = now;
    s->t.mailboxes = s->mb;
    s->t.identities = s->id;
    s->t.produced_at = now - 60;
    memcpy(s->t.va_key_id, k->id, 32);
    if (pol_ev_key_hash(tbs, len, &w, s->t.key_hash))
        return -1;
    return pol_ev_needs(tbs, len, &w, ev_need, &f, &type);
}

/* Encodes, signs and wraps: the evidence length, 0 on failure. */
static size_t ev_make(const ev_spec *s, ev_key *k, uint8_t *out, size_t cap)
{
    uint8_t tbs[8192], sig[600];
    size_t tl, sl, alg_len, n = 0;
    const uint8_t *alg = pol_sig_alg_der(k->alg, &alg_len);
    if (sg_evidence_encode_tbs(&s->t, tbs, sizeof tbs, &tl) || !(sl = ev_sign(k, tbs, tl, sig, sizeof sig)) ||
        sg_evidence_encode(tbs, tl, alg, alg_len, sig, sl, out, cap, &n))
        return 0;
    return n;
}

/* --- Batches (docs/evidence.md "Batched evidence") --------------------------- */

#define EV_BATCH_MAX 1024
typedef struct {
    size_t n;
    uint8_t tree[SG_EV_TREE_NODES(EV_BATCH_MAX)][32];
    uint8_t root[32];
    uint8_t signed_root[1200];
    size_t signed_root_len;
} ev_batch;

/* The TBSEvidence DER of a spec: one record of a batch. */
static size_t ev_record(const ev_spec *s, uint8_t *out, size_t cap)
{
    size_t n = 0;
    return sg_evidence_encode_tbs(&s->t, out, cap, &n) ? 0 : n;
}

/* The tree over n records and its root signed by k at signed_at (the
 * root naming root_key's id: k's own unless a test says otherwise). */
static int ev_batch_make_as(ev_batch *b, const uint8_t *const *recs, const size_t *lens, size_t n, ev_key *k,
                            const uint8_t root_key[32], int64_t signed_at)
{
    uint8_t tbs[256], sig[600];
    size_t tl, sl, al;
    const uint8_t *alg = pol_sig_alg_der(k->alg, &al);
    if (n == 0 || n > EV_BATCH_MAX)
        return -1;
    b->n = n;
    for (size_t i = 0; i < n; i++)
        if (sg_evidence_leaf_hash(recs[i], lens[i], b->tree[i]))
            return -1;
    if (sg_evidence_tree(b->tree, n, b->root) ||
        sg_evidence_encode_root(0, root_key, signed_at, (uint32_t)n, b->root, tbs, sizeof tbs, &tl) ||
        !(sl = ev_sign(k, tbs, tl, sig, sizeof sig)) ||
        sg_evidence_encode(tbs, tl, alg, al, sig, sl, b->signed_root, sizeof b->signed_root, &b->signed_root_len))
        return -1;
    return 0;
}
static int ev_batch_make(ev_batch *b, const uint8_t *const *recs, const size_t *lens, size_t n, ev_key *k,
                         int64_t signed_at)
{
    return ev_batch_make_as(b, recs, lens, n, k, k->id, signed_at);
}

/* The BatchedEvidence of record i (rec: its DER) of batch b. */
static size_t ev_batch_evidence(const ev_batch *b, size_t i, const uint8_t *rec, size_t rl, uint8_t *out, size_t cap)
{
    uint8_t path[SG_EV_BATCH_MAX_PATH][32];
    size_t pl, n = 0;
    if (sg_evidence_path((const uint8_t(*)[32])b->tree, b->n, i, path, SG_EV_BATCH_MAX_PATH, &pl) ||
        sg_evidence_encode_batched(0, rec, rl, (uint32_t)i, (const uint8_t(*)[32])path, pl, b->signed_root,
                                   b->signed_root_len, out, cap, &n))
        return 0;
    return n;
}

/* Evidence rows seen in any decision of ev_judge (bit = enum pol_ev_rule). */
static uint64_t ev_fired;

/* The decision on evidence alone (a fresh decision). */
static pol_decision ev_judge_ex(const uint8_t *tbs, size_t tl, const uint8_t *ev, size_t el, const pol_ev_trust *t,
                                int64_t now, const pol_ev_roots *roots, pol_ev_info *info)
{
    static pol_workspace w;
    pol_decision d;
    memset(&d, 0, sizeof d);
    d.verdict = POL_ACCEPT;
    d.type = d.gen = -1;
    pol_evidence_check_ex(tbs, tl, ev, el, t, now, roots, info, &w, &d);
    for (uint16_t i = 0; i < d.n; i++)
        for (int r = 0; r < EV_RULE_COUNT; r++)
            if (pol_rule_at(d.findings[i]) == &pol_rules_evidence[r])
                ev_fired |= 1ull << r;
    return d;
}

static pol_decision ev_judge(const uint8_t *tbs, size_t tl, const uint8_t *ev, size_t el, const pol_ev_trust *t,
                             int64_t now)
{
    return ev_judge_ex(tbs, tl, ev, el, t, now, NULL, NULL);
}

/* "accept" or the comma-separated codes of a decision. */
static const char *ev_codes(const pol_decision *d)
{
    static char buf[1024];
    size_t o = 0;
    buf[0] = 0;
    if (d->verdict == POL_ACCEPT && d->n == 0)
        return "accept";
    for (uint16_t i = 0; i < d->n && o < sizeof buf - 1; i++) {
        int n = snprintf(buf + o, sizeof buf - o, "%s%s", i ? "," : "", pol_rule_at(d->findings[i])->code);
        if (n < 0)
            break;
        o += (size_t)n;
    }
    return d->verdict == POL_REFUSE ? buf : "(refusal without a verdict)";
}

#endif
