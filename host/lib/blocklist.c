/* SPDX-License-Identifier: Apache-2.0 */
/* libsbrguard: the SBR 6.1.1.3 blocklist (docs/blocklist.md): build and
 * sign a list, read a signed or plain one, load it into the token in pieces. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include "../../policy/pol_blocklist.h"
#include "client.h"
#include "mbedtls/pk.h"
#include "sbrguard/blocklist.h"
#include "sbrguard/tlv.h"

static int cmp32(const void *a, const void *b) { return memcmp(a, b, 32); }

size_t sg_blocklist_sort(uint8_t *hashes, size_t n)
{
    size_t k = 0;
    qsort(hashes, n, 32, cmp32);
    for (size_t i = 0; i < n; i++)
        if (k == 0 || memcmp(hashes + 32 * (k - 1), hashes + 32 * i, 32))
            memmove(hashes + 32 * k++, hashes + 32 * i, 32);
    return k;
}

static int rng(void *ctx, unsigned char *out, size_t len)
{
    (void)ctx;
    return getrandom(out, len, 0) == (ssize_t)len ? 0 : -1;
}

int sg_blocklist_build(const uint8_t *hashes, uint32_t n, uint32_t seq, const uint8_t *key, size_t key_len,
                       uint8_t **out, size_t *out_len)
{
    mbedtls_pk_context pk;
    uint8_t h[64];
    size_t m = POL_BL_HDR_LEN + (size_t)n * 32, sl = 0;
    int id, rc = SG_E_ARGS;
    mbedtls_md_type_t md;
    uint8_t *p = malloc(m + 2 + MBEDTLS_PK_SIGNATURE_MAX_SIZE);
    if (!p)
        return SG_E_NOMEM;
    mbedtls_pk_init(&pk);
    if (seq == 0 || mbedtls_pk_parse_key(&pk, key, key_len, NULL, 0, rng, NULL))
        goto out;
    /* The SO's key as for bundles: ECDSA P-256/P-384 or RSA >= 2048. */
    if (mbedtls_pk_get_type(&pk) == MBEDTLS_PK_RSA && mbedtls_pk_get_bitlen(&pk) >= 2048)
        id = POL_SIG_RSA_SHA256, md = MBEDTLS_MD_SHA256;
    else if (mbedtls_pk_get_type(&pk) == MBEDTLS_PK_ECKEY && mbedtls_pk_get_bitlen(&pk) == 256)
        id = POL_SIG_ECDSA_SHA256, md = MBEDTLS_MD_SHA256;
    else if (mbedtls_pk_get_type(&pk) == MBEDTLS_PK_ECKEY && mbedtls_pk_get_bitlen(&pk) == 384)
        id = POL_SIG_ECDSA_SHA384, md = MBEDTLS_MD_SHA384;
    else
        goto out;
    memcpy(p, "SGBL", 4);
    p[4] = POL_BL_FORMAT, p[5] = (uint8_t)id, p[6] = p[7] = 0;
    sg_be_put(p + 8, seq, 4);
    sg_be_put(p + 12, n, 4);
    memcpy(p + POL_BL_HDR_LEN, hashes, (size_t)n * 32);
    const mbedtls_md_info_t *mi = mbedtls_md_info_from_type(md);
    if (mbedtls_md(mi, p, m, h) ||
        mbedtls_pk_sign(&pk, md, h, mbedtls_md_get_size(mi), p + m + 2, MBEDTLS_PK_SIGNATURE_MAX_SIZE, &sl, rng, NULL) ||
        sl > POL_BL_MAX_SIG)
        goto out;
    sg_be_put(p + m, sl, 2);
    *out = p;
    *out_len = m + 2 + sl;
    p = NULL;
    rc = SG_OK;
out:
    mbedtls_pk_free(&pk);
    free(p);
    return rc;
}

typedef struct {
    uint8_t *h;
    size_t n;
} collect;

static int put(void *arg, uint32_t i, const uint8_t e[POL_BL_ENTRY_LEN])
{
    collect *c = arg;
    memcpy(c->h + 32 * (size_t)i, e, 32);
    c->n = i + 1u;
    return 0;
}

int sg_blocklist_read(const uint8_t *data, size_t len, const uint8_t *spki, size_t spki_len, sg_blocklist *bl)
{
    memset(bl, 0, sizeof *bl);
    if (len >= 4 && !memcmp(data, "SGBL", 4)) {
        /* A signed file: the token's own parser; the signature only with a key. */
        pol_bl_stream s;
        collect c = { NULL, 0 };
        if (len < POL_BL_HDR_LEN)
            return SG_E_ARGS;
        uint32_t n = (uint32_t)sg_be_get(data + 12, 4);
        if (n > POL_BL_MAX_ENTRIES || !(c.h = malloc((size_t)n * 32 + 1)))
            return n > POL_BL_MAX_ENTRIES ? SG_E_ARGS : SG_E_NOMEM;
        pol_bl_stream_init(&s, POL_BL_MAX_ENTRIES);
        int rc = pol_bl_stream_feed(&s, data, len, POL_BL_MAX_ENTRIES, put, &c);
        int f = pol_bl_stream_finish(&s, spki, spki_len);
        if (rc || f) {
            free(c.h);
            return (rc ? rc : f) == POL_BL_E_SIGNATURE ? SG_E_TOKEN : SG_E_ARGS;
        }
        bl->hashes = c.h;
        bl->count = n;
        bl->seq = s.seq;
        bl->sig = 1;
        return SG_OK;
    }
    /* A plain list: one 64-hex-digit SHA-256 per line, '#' comments. */
    size_t cap = len / 64 + 1, n = 0;
    uint8_t *h = malloc(cap * 32);
    if (!h)
        return SG_E_NOMEM;
    for (size_t i = 0; i < len;) {
        size_t e = i;
        while (e < len && data[e] != '\n')
            e++;
        size_t a = i, b = e;
        while (a < b && isspace(data[a]))
            a++;
        for (size_t k = a; k < b; k++)
            if (data[k] == '#')
                b = k;
        while (b > a && isspace(data[b - 1]))
            b--;
        if (b > a) {
            if (b - a != 64 || n >= cap) {
                free(h);
                return SG_E_ARGS;
            }
            for (size_t k = 0; k < 32; k++) {
                unsigned v;
                char x[3] = { (char)data[a + 2 * k], (char)data[a + 2 * k + 1], 0 };
                if (!isxdigit((unsigned char)x[0]) || !isxdigit((unsigned char)x[1]) || sscanf(x, "%2x", &v) != 1) {
                    free(h);
                    return SG_E_ARGS;
                }
                h[32 * n + k] = (uint8_t)v;
            }
            n++;
        }
        i = e + 1;
    }
    bl->count = (uint32_t)sg_blocklist_sort(h, n);
    bl->hashes = h;
    return SG_OK;
}

static int read_mem(const void *arg, uint32_t i, uint8_t out[POL_BL_PREFIX_LEN])
{
    memcpy(out, (const uint8_t *)arg + 32 * (size_t)i, POL_BL_PREFIX_LEN);
    return 0;
}

void sg_blocklist_view(const sg_blocklist *bl, struct pol_blocklist *view)
{
    view->count = bl->count;
    view->read = read_mem;
    view->arg = bl->hashes;
}

int sg_blocklist_contains(const sg_blocklist *bl, const uint8_t hash[32])
{
    return bl->count && bsearch(hash, bl->hashes, bl->count, 32, cmp32) != NULL;
}

void sg_blocklist_free(sg_blocklist *bl)
{
    free(bl->hashes);
    memset(bl, 0, sizeof *bl);
}

int sg_blocklist_load(sg_client *c, const uint8_t *file, size_t len, uint32_t *seq, uint32_t *count, uint8_t hash[32])
{
    int rc = SG_E_ARGS;
    for (size_t o = 0; o < len; o += SG_BL_PIECE) {
        size_t off = 0, n = len - o < SG_BL_PIECE ? len - o : SG_BL_PIECE;
        uint8_t ob[4];
        sg_be_put(ob, o, 4);
        if (sg_tlv_put(c->req, sizeof c->req, &off, SG_T_BL_OFFSET, ob, 4) ||
            sg_tlv_put(c->req, sizeof c->req, &off, SG_T_DATA, file + o, n))
            return SG_E_ARGS;
        if ((rc = sg_call(c, SG_CMD_BLOCKLIST_LOAD, off)))
            return rc;
    }
    uint64_t s, k;
    const uint8_t *h;
    size_t hl;
    if (rc || sg_get_u(c->resp, c->resp_len, SG_T_BL_SEQ, 4, &s) || sg_get_u(c->resp, c->resp_len, SG_T_BL_COUNT, 4, &k) ||
        sg_tlv_find(c->resp, c->resp_len, SG_T_BL_HASH, &h, &hl) || hl != 32)
        return rc ? rc : SG_E_PROTOCOL;
    *seq = (uint32_t)s, *count = (uint32_t)k;
    memcpy(hash, h, 32);
    return SG_OK;
}

int sg_blocklist_info(sg_client *c, uint32_t *capacity, int *present, uint32_t *seq, uint32_t *count, uint8_t hash[32])
{
    uint64_t v, s, k;
    const uint8_t *h;
    size_t hl;
    int rc = sg_call(c, SG_CMD_BLOCKLIST_INFO, 0);
    if (rc || (rc = sg_get_u(c->resp, c->resp_len, SG_T_BL_CAPACITY, 4, &v)))
        return rc;
    *capacity = (uint32_t)v;
    *present = !sg_get_u(c->resp, c->resp_len, SG_T_BL_SEQ, 4, &s) && !sg_get_u(c->resp, c->resp_len, SG_T_BL_COUNT, 4, &k) &&
               !sg_tlv_find(c->resp, c->resp_len, SG_T_BL_HASH, &h, &hl) && hl == 32;
    if (*present) {
        *seq = (uint32_t)s, *count = (uint32_t)k;
        memcpy(hash, h, 32);
    }
    return SG_OK;
}
