/* SPDX-License-Identifier: Apache-2.0 */
/* DER encoding of validation evidence (docs/evidence.md), VA side, both
 * forms, and the RFC 9162 tree of a batch. Each
 * constructed value is written after its content, then its header is put
 * in front (one memmove): no length pre-computation. */
#include <string.h>
#include <time.h>
#include "mbedtls/sha256.h"
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

/* --- Batched form ------------------------------------------------------------ */

static int hash2(uint8_t prefix, const uint8_t *a, size_t al, const uint8_t *b, size_t bl, uint8_t out[32])
{
    mbedtls_sha256_context c;
    int rc;
    mbedtls_sha256_init(&c);
    rc = mbedtls_sha256_starts(&c, 0) || mbedtls_sha256_update(&c, &prefix, 1) ||
         (al && mbedtls_sha256_update(&c, a, al)) || (bl && mbedtls_sha256_update(&c, b, bl)) ||
         mbedtls_sha256_finish(&c, out);
    mbedtls_sha256_free(&c);
    return rc ? SG_E_ARGS : SG_OK; /* mbedTLS SHA-256 does not fail on the host */
}

int sg_evidence_leaf_hash(const uint8_t *rec, size_t len, uint8_t out[SG_EV_HASH_LEN])
{
    return rec && out ? hash2(0x00, rec, len, NULL, 0, out) : SG_E_ARGS;
}

/* Level by level, an odd last node moving up as it is: the same tree as
 * RFC 9162 2.1.1's split at the largest power of two below n. */
int sg_evidence_tree(uint8_t (*tree)[SG_EV_HASH_LEN], size_t n, uint8_t root[SG_EV_HASH_LEN])
{
    size_t off = 0, l = n;
    if (!tree || !root || n == 0 || n > SG_EV_BATCH_MAX_LEAVES)
        return SG_E_ARGS;
    while (l > 1) {
        for (size_t i = 0; i + 1 < l; i += 2)
            if (hash2(0x01, tree[off + i], SG_EV_HASH_LEN, tree[off + i + 1], SG_EV_HASH_LEN, tree[off + l + i / 2]))
                return SG_E_ARGS;
        if (l & 1)
            memcpy(tree[off + l + l / 2], tree[off + l - 1], SG_EV_HASH_LEN);
        off += l;
        l = (l + 1) / 2;
    }
    memcpy(root, tree[off], SG_EV_HASH_LEN);
    return SG_OK;
}

int sg_evidence_path(const uint8_t (*tree)[SG_EV_HASH_LEN], size_t n, size_t index, uint8_t (*path)[SG_EV_HASH_LEN],
                     size_t cap, size_t *len)
{
    size_t off = 0, l = n, k = 0;
    if (!tree || !path || !len || index >= n || n > SG_EV_BATCH_MAX_LEAVES)
        return SG_E_ARGS;
    for (; l > 1; off += l, l = (l + 1) / 2, index /= 2) {
        size_t sib = index ^ 1u;
        if (sib >= l)
            continue; /* the odd last node: no sibling at this level */
        if (k == cap)
            return SG_E_BUFFER;
        memcpy(path[k++], tree[off + sib], SG_EV_HASH_LEN);
    }
    *len = k;
    return SG_OK;
}

int sg_evidence_encode_root(uint32_t version, const uint8_t va_key_id[SG_EV_KEY_ID_LEN], int64_t signed_at,
                            uint32_t size, const uint8_t root[SG_EV_HASH_LEN], uint8_t *out, size_t cap, size_t *len)
{
    wbuf w = { out, 0, cap, 0 };
    if (!va_key_id || !root || !out || !len)
        return SG_E_ARGS;
    uint_(&w, 0x02, version ? version : SG_EV_ROOT_VERSION);
    tlv(&w, 0x04, va_key_id, SG_EV_KEY_ID_LEN);
    time_(&w, signed_at);
    uint_(&w, 0x02, size);
    tlv(&w, 0x04, root, SG_EV_HASH_LEN);
    close_at(&w, 0, 0x30);
    *len = w.n;
    return w.err ? SG_E_BUFFER : SG_OK;
}

int sg_evidence_encode_batched(uint32_t version, const uint8_t *rec, size_t rec_len, uint32_t index,
                               const uint8_t (*path)[SG_EV_HASH_LEN], size_t path_len, const uint8_t *signed_root,
                               size_t signed_root_len, uint8_t *out, size_t cap, size_t *len)
{
    wbuf w = { out, 0, cap, 0 };
    size_t list;
    if (!rec || (path_len && !path) || !signed_root || !out || !len)
        return SG_E_ARGS;
    uint_(&w, 0x02, version ? version : SG_EV_BATCH_VERSION);
    put(&w, rec, rec_len);
    uint_(&w, 0x02, index);
    list = w.n;
    for (size_t i = 0; i < path_len; i++)
        tlv(&w, 0x04, path[i], SG_EV_HASH_LEN);
    close_at(&w, list, 0x30);
    put(&w, signed_root, signed_root_len);
    close_at(&w, 0, 0x30);
    *len = w.n;
    return w.err ? SG_E_BUFFER : SG_OK;
}
