/* SPDX-License-Identifier: Apache-2.0 */
/* The SBR 6.1.1.3 compromised-key blocklist (docs/blocklist.md): a parser that
 * takes the file in pieces (the token gets it in frames) and checks order as
 * it goes, and a binary search over the entries' 8-byte prefixes. */
#include <string.h>
#include "pol_blocklist.h"

static const uint8_t magic[4] = { 'S', 'G', 'B', 'L' };

int pol_blocklist_find(const pol_blocklist *bl, const uint8_t hash[32])
{
    uint32_t lo = 0, hi = bl->count;
    uint8_t e[POL_BL_PREFIX_LEN];
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (bl->read(bl->arg, mid, e))
            return -1;
        int c = memcmp(e, hash, POL_BL_PREFIX_LEN);
        if (c == 0)
            return 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* The hash of ECDSA with SHA-256/384/512 (POL_SIG_ECDSA_SHA256 + 0..2). */
static int sig_md(const pol_bl_stream *s)
{
    return s->sig_alg % 3 == 0 ? HAL_MD_SHA256 : s->sig_alg % 3 == 1 ? HAL_MD_SHA384 : HAL_MD_SHA512;
}

static void md_update(pol_bl_stream *s, const uint8_t *p, size_t len) { hal_md_update(&s->md, p, len); }

void pol_bl_stream_init(pol_bl_stream *s, uint32_t max_entries)
{
    (void)max_entries;
    memset(s, 0, sizeof *s);
    s->sig_alg = -1;
}

void pol_bl_stream_free(pol_bl_stream *s)
{
    memset(&s->md, 0, sizeof s->md); /* public data: no secret to wipe */
    s->sig_alg = -1;
}

static int fail(pol_bl_stream *s, int rc)
{
    if (!s->failed)
        s->failed = rc;
    return s->failed;
}

/* The header is complete: check it and start the signature's hash. */
static int header(pol_bl_stream *s, uint32_t max_entries)
{
    const uint8_t *h = s->hdr;
    if (memcmp(h, magic, 4) || h[4] != POL_BL_FORMAT || h[5] > POL_SIG_ECDSA_SHA512 || h[6] || h[7])
        return POL_BL_E_MALFORMED;
    s->seq = (uint32_t)h[8] << 24 | (uint32_t)h[9] << 16 | (uint32_t)h[10] << 8 | h[11];
    s->count = (uint32_t)h[12] << 24 | (uint32_t)h[13] << 16 | (uint32_t)h[14] << 8 | h[15];
    if (s->seq == 0)
        return POL_BL_E_MALFORMED;
    if (s->count > POL_BL_MAX_ENTRIES || s->count > max_entries)
        return POL_BL_E_SIZE;
    s->sig_alg = h[5];
    hal_md_start(&s->md, sig_md(s));
    md_update(s, h, POL_BL_HDR_LEN);
    return 0;
}

int pol_bl_stream_feed(pol_bl_stream *s, const uint8_t *p, size_t len, uint32_t max_entries,
                       int (*on_entry)(void *arg, uint32_t i, const uint8_t e[POL_BL_ENTRY_LEN]), void *arg)
{
    int rc;
    while (len && !s->failed) {
        size_t take;
        if (s->off < POL_BL_HDR_LEN) {
            take = POL_BL_HDR_LEN - (size_t)s->off;
            take = take < len ? take : len;
            memcpy(s->hdr + s->off, p, take);
            if (s->off + take == POL_BL_HDR_LEN && (rc = header(s, max_entries)))
                return fail(s, rc);
        } else if (s->n < s->count) {
            take = POL_BL_ENTRY_LEN - s->cur_n;
            take = take < len ? take : len;
            memcpy(s->cur + s->cur_n, p, take);
            md_update(s, p, take);
            s->cur_n += take;
            if (s->cur_n == POL_BL_ENTRY_LEN) {
                /* Strictly ascending: sorted and no entry twice. */
                if (s->n > 0 && memcmp(s->last, s->cur, POL_BL_ENTRY_LEN) >= 0)
                    return fail(s, POL_BL_E_ORDER);
                if (on_entry && on_entry(arg, s->n, s->cur))
                    return fail(s, POL_BL_E_SIZE);
                memcpy(s->last, s->cur, POL_BL_ENTRY_LEN);
                s->cur_n = 0;
                s->n++;
            }
        } else if (s->sig_n < 2 && !s->done) {
            take = 1;
            s->sig_len = (uint16_t)(s->sig_len << 8 | p[0]);
            if (++s->sig_n == 2 && (s->sig_len == 0 || s->sig_len > POL_BL_MAX_SIG))
                return fail(s, POL_BL_E_MALFORMED);
        } else if (!s->done) {
            take = (size_t)s->sig_len - (s->sig_n - 2);
            take = take < len ? take : len;
            memcpy(s->sig + s->sig_n - 2, p, take);
            s->sig_n += take;
            s->done = s->sig_n - 2 == s->sig_len;
        } else {
            return fail(s, POL_BL_E_MALFORMED); /* trailing bytes */
        }
        s->off += take;
        p += take;
        len -= take;
    }
    return s->failed;
}

int pol_bl_stream_finish(pol_bl_stream *s, const uint8_t *spki, size_t spki_len)
{
    uint8_t h[64];
    int rc = s->failed;
    if (!rc && !s->done)
        rc = POL_BL_E_MALFORMED; /* truncated */
    if (!rc && spki) {
        size_t hl = hal_md_size(sig_md(s));
        if (hal_md_finish(&s->md, h) || pol_sig_verify_digest(spki, spki_len, s->sig_alg, h, hl, s->sig, s->sig_len))
            rc = POL_BL_E_SIGNATURE;
    }
    pol_bl_stream_free(s);
    return rc;
}
