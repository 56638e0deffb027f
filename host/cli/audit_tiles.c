/* SPDX-License-Identifier: Apache-2.0 */
/* C2SP tlog-tiles: tile paths, the tiles of a tree, tile hashes, entry bundles. */
#include <stdio.h>
#include <string.h>
#include "audit.h"

int au_tile_index(uint64_t n, char *out, size_t cap)
{
    /* Zero-padded 3-digit path elements, all but the last prefixed with 'x'. */
    char tmp[64];
    size_t off = sizeof tmp - 1;
    tmp[off] = 0;
    int first = 1;
    do {
        unsigned d = (unsigned)(n % 1000);
        off -= 3;
        tmp[off] = (char)('0' + d / 100);
        tmp[off + 1] = (char)('0' + d / 10 % 10);
        tmp[off + 2] = (char)('0' + d % 10);
        if (!first)
            tmp[--off] = 'x';
        n /= 1000;
        if (n)
            tmp[--off] = '/';
        first = 0;
    } while (n);
    /* The 'x' goes before each element that is followed by another one. */
    size_t len = sizeof tmp - 1 - off;
    if (len + 1 > cap)
        return AU_E_ARGS;
    memcpy(out, tmp + off, len + 1);
    return AU_OK;
}

int au_tile_path(const au_tile *t, char *out, size_t cap)
{
    char idx[48], lvl[16];
    if (t->width == 0 || t->width > AU_TILE_WIDTH || t->level < AU_LEVEL_ENTRIES || t->level > 63 ||
        au_tile_index(t->index, idx, sizeof idx))
        return AU_E_ARGS;
    if (t->level == AU_LEVEL_ENTRIES)
        snprintf(lvl, sizeof lvl, "entries");
    else
        snprintf(lvl, sizeof lvl, "%d", t->level);
    int n = t->width == AU_TILE_WIDTH ? snprintf(out, cap, "tile/%s/%s", lvl, idx)
                                      : snprintf(out, cap, "tile/%s/%s.p/%u", lvl, idx, t->width);
    return n < 0 || (size_t)n >= cap ? AU_E_ARGS : AU_OK;
}

size_t au_tiles_of(uint64_t size, au_tile *out, size_t cap)
{
    size_t n = 0;
    uint64_t span = 1; /* 256**level leaves per hash */
    for (int level = 0; level < 8 && size / span > 0; level++) {
        uint64_t hashes = size / span; /* complete subtrees of this height */
        uint64_t full = hashes / AU_TILE_WIDTH;
        unsigned w = (unsigned)(hashes % AU_TILE_WIDTH);
        for (uint64_t i = 0; i < full; i++, n++)
            if (n < cap)
                out[n] = (au_tile){ level, i, AU_TILE_WIDTH };
        if (w) {
            if (n < cap)
                out[n] = (au_tile){ level, full, w };
            n++;
        }
        if (span > UINT64_MAX / AU_TILE_WIDTH)
            break;
        span *= AU_TILE_WIDTH;
    }
    return n;
}

int au_tile_hashes(const uint8_t *leaves, uint64_t n, const au_tile *t, uint8_t *out)
{
    if (t->level < 0 || t->level > 7 || t->width == 0 || t->width > AU_TILE_WIDTH)
        return AU_E_ARGS;
    uint64_t span = 1;
    for (int l = 0; l < t->level; l++)
        span *= AU_TILE_WIDTH;
    /* Hash i is MTH(D[(index * 256 + i) * span : (index * 256 + i + 1) * span]). */
    if (t->index > (UINT64_MAX / AU_TILE_WIDTH - 1) / span)
        return AU_E_ARGS;
    uint64_t start = t->index * AU_TILE_WIDTH * span;
    if (start > n || (n - start) / span < t->width)
        return AU_E_ARGS;
    for (unsigned i = 0; i < t->width; i++)
        au_mth(leaves + (start + i * span) * AU_HASH_LEN, span, out + (size_t)i * AU_HASH_LEN);
    return AU_OK;
}

int au_bundle_parse(const uint8_t *b, size_t len, au_slice *out, size_t cap, size_t *count)
{
    size_t off = 0, n = 0;
    while (off < len) {
        if (len - off < 2) {
            *count = n;
            return AU_E_FORMAT;
        }
        size_t el = (size_t)b[off] << 8 | b[off + 1];
        if (len - off - 2 < el) {
            *count = n;
            return AU_E_FORMAT;
        }
        if (n < cap)
            out[n] = (au_slice){ b + off + 2, el };
        n++;
        off += 2 + el;
    }
    *count = n;
    return n <= cap ? AU_OK : AU_E_ARGS;
}
