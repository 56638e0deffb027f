/* SPDX-License-Identifier: Apache-2.0 */
/* DER encoding of validation evidence (docs/evidence.md), VA side. Each
 * constructed value is written after its content, then its header is put
 * in front (one memmove): no length pre-computation. */
#include <string.h>
#include <time.h>
#include "sbrguard/evidence_enc.h"
#include "sbrguard/sbrguard.h"

typedef struct {
    uint8_t *b;
    size_t n, cap;
    int err;
} wbuf;

static void put(wbuf *w, const void *p, size_t n)
{
    if (w->err || n > w->cap - w->n) {
        w->err = 1;
        return;
    }
    if (n)
        memcpy(w->b + w->n, p, n);
    w->n += n;
}

static size_t hdr(uint8_t tag, size_t len, uint8_t h[6])
{
    size_t k = len < 0x80 ? 0 : len < 0x100 ? 1 : len < 0x10000 ? 2 : 3;
    h[0] = tag;
    h[1] = (uint8_t)(k ? 0x80 | k : len);
    for (size_t i = 0; i < k; i++)
        h[2 + i] = (uint8_t)(len >> (8 * (k - 1 - i)));
    return 2 + k;
}

/* Puts the header of the content written since start in front of it. */
static void close_at(wbuf *w, size_t start, uint8_t tag)
{
    uint8_t h[6];
    size_t hl;
    if (w->err)
        return;
    hl = hdr(tag, w->n - start, h);
    if (hl > w->cap - w->n) {
        w->err = 1;
        return;
    }
    memmove(w->b + start + hl, w->b + start, w->n - start);
    memcpy(w->b + start, h, hl);
    w->n += hl;
}

static void tlv(wbuf *w, uint8_t tag, const void *p, size_t n)
{
    uint8_t h[6];
    put(w, h, hdr(tag, n, h));
    put(w, p, n);
}

static void uint_(wbuf *w, uint8_t tag, uint64_t v)
{
    uint8_t b[9];
    size_t n = 0;
    do
        b[8 - n++] = (uint8_t)v;
    while ((v >>= 8) != 0);
    if (b[9 - n] & 0x80)
        b[8 - n++] = 0;
    tlv(w, tag, b + 9 - n, n);
}

/* RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050. */
static void time_(wbuf *w, int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    char s[20];
    if (!gmtime_r(&tt, &tm)) {
        w->err = 1;
        return;
    }
    if (tm.tm_year + 1900 < 2050 && tm.tm_year + 1900 >= 1950) {
        strftime(s, sizeof s, "%y%m%d%H%M%SZ", &tm);
        tlv(w, 0x17, s, 13);
    } else {
        strftime(s, sizeof s, "%Y%m%d%H%M%SZ", &tm);
        tlv(w, 0x18, s, strlen(s));
    }
}

static void str(wbuf *w, uint8_t tag, const char *s) { tlv(w, tag, s ? s : "", s ? strlen(s) : 0); }

static void mailbox(wbuf *w, const sg_ev_mailbox *m)
{
    size_t rec = w->n, in;
    str(w, 0x0C, m->mailbox);
    uint_(w, 0x02, m->method);
    if (m->tls_method)
        uint_(w, SG_EV_TAG_TLS_METHOD, m->tls_method);
    str(w, 0x0C, m->reqs);
    time_(w, m->validated_at);
    if (m->has_rv) {
        in = w->n;
        time_(w, m->rv_created);
        time_(w, m->rv_used);
        uint_(w, 0x02, m->rv_bits);
        close_at(w, in, SG_EV_TAG_RANDOM);
    }
    if (m->has_caa) {
        in = w->n;
        time_(w, m->caa_at);
        uint_(w, 0x02, m->caa_ttl);
        size_t names = w->n;
        for (size_t i = 0; i < m->n_caa_issuers; i++)
            str(w, 0x16, m->caa_issuers[i]);
        close_at(w, names, 0x30);
        close_at(w, in, SG_EV_TAG_CAA);
    }
    if (m->has_mpic) {
        in = w->n;
        time_(w, m->mpic_at);
        uint_(w, 0x02, m->mpic_remote);
        uint_(w, 0x02, m->mpic_ok);
        uint_(w, 0x02, m->mpic_rirs);
        close_at(w, in, SG_EV_TAG_MPIC);
    }
    close_at(w, rec, 0x30);
}

static void identity(wbuf *w, const sg_ev_identity *r)
{
    size_t rec = w->n;
    tlv(w, 0x06, r->attr_type, r->attr_type_len < sizeof r->attr_type ? r->attr_type_len : sizeof r->attr_type);
    tlv(w, 0x04, r->value_hash, sizeof r->value_hash);
    uint_(w, 0x02, r->method);
    str(w, 0x0C, r->reqs);
    time_(w, r->validated_at);
    close_at(w, rec, 0x30);
}

int sg_evidence_encode_tbs(const sg_ev_tbs *t, uint8_t *out, size_t cap, size_t *len)
{
    wbuf w = { out, 0, cap, 0 };
    size_t list;
    if (!t || !out || !len)
        return SG_E_ARGS;
    uint_(&w, 0x02, t->version ? t->version : SG_EV_VERSION);
    tlv(&w, 0x04, t->va_key_id, sizeof t->va_key_id);
    time_(&w, t->produced_at);
    tlv(&w, 0x04, t->key_hash, sizeof t->key_hash);
    if (t->has_tbs_hash)
        tlv(&w, SG_EV_TAG_TBS_HASH, t->tbs_hash, sizeof t->tbs_hash);
    if (t->n_mailboxes) {
        list = w.n;
        for (size_t i = 0; i < t->n_mailboxes; i++)
            mailbox(&w, &t->mailboxes[i]);
        close_at(&w, list, SG_EV_TAG_MAILBOXES);
    }
    if (t->n_identities) {
        list = w.n;
        for (size_t i = 0; i < t->n_identities; i++)
            identity(&w, &t->identities[i]);
        close_at(&w, list, SG_EV_TAG_IDENTITIES);
    }
    close_at(&w, 0, 0x30);
    *len = w.n;
    return w.err ? SG_E_BUFFER : SG_OK;
}

int sg_evidence_encode(const uint8_t *tbs, size_t tbs_len, const uint8_t *alg, size_t alg_len, const uint8_t *sig,
                       size_t sig_len, uint8_t *out, size_t cap, size_t *len)
{
    wbuf w = { out, 0, cap, 0 };
    uint8_t zero = 0, h[6];
    if (!tbs || !alg || !sig || !out || !len)
        return SG_E_ARGS;
    put(&w, tbs, tbs_len);
    put(&w, alg, alg_len);
    put(&w, h, hdr(0x03, sig_len + 1, h));
    put(&w, &zero, 1);
    put(&w, sig, sig_len);
    close_at(&w, 0, 0x30);
    *len = w.n;
    return w.err ? SG_E_BUFFER : SG_OK;
}
