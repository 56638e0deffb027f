/* SPDX-License-Identifier: Apache-2.0 */
/* sbrguard audit verify, reading: an exported log directory (C2SP
 * tlog-tiles layout) into memory: the checkpoint, the entry bundles and the
 * hash tiles, each length-checked, every failure naming the entry or the
 * file. The checks are audit_verify.c's. */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "audit.h"
#include "cli.h"

/* Trees larger than this are not a token's log (and would not fit in memory). */
#define MAX_TREE (1ull << 26)
#define MAX_BUNDLE (AU_TILE_WIDTH * (2u + 65535u))

int au_failf(au_failure *f, int64_t entry, const char *file, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->msg, sizeof f->msg, fmt, ap);
    va_end(ap);
    f->entry = entry;
    snprintf(f->file, sizeof f->file, "%s", file ? file : "");
    return 1;
}

uint8_t *au_read(const char *dir, const char *rel, size_t *len, size_t max)
{
    char path[4096 + 256];
    if (snprintf(path, sizeof path, rel ? "%s/%s" : "%s", dir, rel) >= (int)sizeof path) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    FILE *fp = fopen(path, "rb");
    struct stat st;
    if (!fp)
        return NULL;
    if (fstat(fileno(fp), &st) || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > max) {
        fclose(fp);
        errno = S_ISREG(st.st_mode) ? EFBIG : EISDIR;
        return NULL;
    }
    uint8_t *b = malloc((size_t)st.st_size + 1);
    size_t n = b ? fread(b, 1, (size_t)st.st_size, fp) : 0;
    if (b && (n != (size_t)st.st_size || ferror(fp))) {
        free(b);
        b = NULL;
        errno = EIO;
    }
    fclose(fp);
    *len = n;
    return b;
}

void au_log_free(au_log *l)
{
    for (size_t i = 0; i < l->nbufs; i++)
        free(l->bufs[i]);
    free(l->bufs);
    free(l->entries);
    free(l->leaves);
    free(l->cp_raw);
    memset(l, 0, sizeof *l);
}

int au_log_checkpoint(au_log *l, const char *dir, const au_vkey *k, au_failure *f)
{
    char err[512];
    memset(l, 0, sizeof *l);
    snprintf(l->dir, sizeof l->dir, "%s", dir);
    l->cp_raw = au_read(dir, "checkpoint", &l->cp_len, 1u << 16);
    if (!l->cp_raw)
        return au_failf(f, -1, "checkpoint", "%s/checkpoint: %s", dir, strerror(errno));
    if (au_checkpoint_verify(l->cp_raw, l->cp_len, k, &l->cp, err, sizeof err))
        return au_failf(f, -1, "checkpoint", "%s", err);
    if (l->cp.size > MAX_TREE)
        return au_failf(f, -1, "checkpoint", "tree size %llu is beyond what this verifier reads (%llu)",
                     (unsigned long long)l->cp.size, MAX_TREE);
    return 0;
}

/* A missing partial tile: say which width is there instead (a checkpoint
 * older or newer than the tiles). */
static void other_widths(const char *dir, const char *path, char *out, size_t cap)
{
    char base[4096 + 256];
    const char *p = strstr(path, ".p/");
    out[0] = 0;
    if (!p)
        return;
    snprintf(base, sizeof base, "%s/%.*s.p", dir, (int)(p - path), path);
    DIR *d = opendir(base);
    if (!d)
        return;
    size_t off = 0;
    struct dirent *e;
    while ((e = readdir(d)) && off + 32 < cap)
        if (e->d_name[0] != '.')
            off += (size_t)snprintf(out + off, cap - off, "%s%.*s.p/%s",
                                    off ? ", " : " (present instead: ", (int)(p - path), path, e->d_name);
    closedir(d);
    if (off && off + 2 < cap)
        snprintf(out + off, cap - off, ")");
}

/* A partial tile or bundle that is gone may be read from the full one
 * (tlog-tiles: clients MAY fetch the full tile as a fallback). *full: the
 * width of the tile read instead, else 0. */
static uint8_t *read_or_full(const au_log *l, const au_tile *t, const char *path, size_t *len, size_t max, int *full)
{
    uint8_t *b = au_read(l->dir, path, len, max);
    *full = 0;
    if (b || t->width == AU_TILE_WIDTH || errno != ENOENT)
        return b;
    au_tile ft = *t;
    char fp[128];
    /* The full tile, else a wider partial one (a later checkpoint's): their
     * first hashes are the same, and all is checked against the root. */
    for (ft.width = AU_TILE_WIDTH; ft.width > t->width; ft.width--) {
        au_tile_path(&ft, fp, sizeof fp);
        b = au_read(l->dir, fp, len, max);
        if (b) {
            *full = (int)ft.width;
            return b;
        }
    }
    errno = ENOENT;
    return NULL;
}

static uint64_t be64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

static int alloc_tree(au_log *l)
{
    l->n = l->cp.size;
    l->leaves = malloc((size_t)(l->n ? l->n : 1) * AU_HASH_LEN);
    l->entries = calloc((size_t)(l->n ? l->n : 1), sizeof *l->entries);
    l->bufs = calloc((size_t)(l->n / AU_TILE_WIDTH + 1), sizeof *l->bufs);
    return l->leaves && l->entries && l->bufs ? 0 : -1;
}

int au_log_entries(au_log *l, au_failure *f)
{
    if (alloc_tree(l))
        return au_failf(f, -1, NULL, "out of memory");
    for (uint64_t start = 0; start < l->n; start += AU_TILE_WIDTH) {
        uint64_t w = l->n - start < AU_TILE_WIDTH ? l->n - start : AU_TILE_WIDTH;
        au_tile t = { AU_LEVEL_ENTRIES, start / AU_TILE_WIDTH, (unsigned)w };
        char path[128], hint[512];
        size_t len, cnt = 0;
        int full;
        au_tile_path(&t, path, sizeof path);
        uint8_t *b = read_or_full(l, &t, path, &len, MAX_BUNDLE, &full);
        if (!b) {
            other_widths(l->dir, path, hint, sizeof hint);
            return au_failf(f, (int64_t)start, path,
                         "entry bundle %s: %s%s; the checkpoint's tree of %llu entries needs it", path, strerror(errno),
                         hint, (unsigned long long)l->n);
        }
        l->bufs[l->nbufs++] = b;
        if (full) { /* the first w entries of a wider bundle */
            t.width = (unsigned)full;
            au_tile_path(&t, path, sizeof path);
        }
        int rc = au_bundle_parse(b, len, l->entries + start, (size_t)w, &cnt);
        if (full && (rc == AU_OK || rc == AU_E_ARGS) && cnt >= w)
            cnt = w;
        if (rc == AU_E_FORMAT)
            return au_failf(f, (int64_t)(start + cnt), path,
                         "entry bundle %s ends inside entry %llu (its length prefix "
                         "runs past the end of the file)",
                         path, (unsigned long long)(start + cnt));
        if (cnt != w) {
            /* Name the first entry out of place by its sequence number (docs/log.md: entry i has seq i). */
            for (uint64_t j = 0; j < cnt && j < w; j++)
                if (l->entries[start + j].len >= 10 && be64(l->entries[start + j].p + 2) != start + j)
                    return au_failf(f, (int64_t)(start + j), path,
                                 "entry bundle %s holds %zu entries, the checkpoint's tree needs %llu; the entry at "
                                 "index %llu carries sequence number %llu: entries dropped or inserted",
                                 path, cnt, (unsigned long long)w, (unsigned long long)(start + j),
                                 (unsigned long long)be64(l->entries[start + j].p + 2));
            if (cnt < w)
                return au_failf(f, (int64_t)(start + cnt), path,
                             "entry bundle %s holds %zu entries, the checkpoint's tree needs %llu there (entries "
                             "%llu..%llu): entry %llu is missing",
                             path, cnt, (unsigned long long)w, (unsigned long long)start,
                             (unsigned long long)(start + w - 1), (unsigned long long)(start + cnt));
            return au_failf(f, (int64_t)(start + w), path,
                         "entry bundle %s holds %zu entries, the checkpoint's tree has only %llu there (entries "
                         "%llu..%llu): an entry was added after entry %llu",
                         path, cnt, (unsigned long long)w, (unsigned long long)start,
                         (unsigned long long)(start + w - 1), (unsigned long long)(start + w - 1));
        }
        for (uint64_t i = start; i < start + w; i++)
            au_leaf_hash(l->entries[i].p, l->entries[i].len, l->leaves + i * AU_HASH_LEN);
    }
    return 0;
}

uint8_t *au_read_tile(const au_log *l, const au_tile *t, char *path, size_t pcap, au_failure *f)
{
    size_t len;
    char hint[512];
    int full;
    au_tile_path(t, path, pcap);
    uint8_t *b = read_or_full(l, t, path, &len, AU_TILE_WIDTH * AU_HASH_LEN, &full);
    if (b && full) {
        au_tile ft = *t;
        ft.width = (unsigned)full;
        au_tile_path(&ft, path, pcap);
        if (len == (size_t)full * AU_HASH_LEN)
            return b; /* the caller reads the first width hashes */
    }
    if (!b) {
        other_widths(l->dir, path, hint, sizeof hint);
        au_failf(f, -1, path, "hash tile %s: %s%s; the checkpoint's tree of %llu entries needs it", path, strerror(errno),
              hint, (unsigned long long)l->cp.size);
        return NULL;
    }
    unsigned tw = full ? (unsigned)full : t->width;
    if (len != (size_t)tw * AU_HASH_LEN) {
        au_failf(f, -1, path, "hash tile %s is %zu bytes, a tile of width %u has %u", path, len, tw, tw * AU_HASH_LEN);
        free(b);
        return NULL;
    }
    return b;
}

int au_log_leaves_from_tiles(au_log *l, au_failure *f)
{
    if (alloc_tree(l))
        return au_failf(f, -1, NULL, "out of memory");
    for (uint64_t start = 0; start < l->n; start += AU_TILE_WIDTH) {
        uint64_t w = l->n - start < AU_TILE_WIDTH ? l->n - start : AU_TILE_WIDTH;
        au_tile t = { 0, start / AU_TILE_WIDTH, (unsigned)w };
        char path[128];
        uint8_t *b = au_read_tile(l, &t, path, sizeof path, f);
        if (!b)
            return 1;
        memcpy(l->leaves + start * AU_HASH_LEN, b, (size_t)w * AU_HASH_LEN);
        free(b);
    }
    return 0;
}

int au_vkey_load_file(const char *path, au_vkey *k)
{
    size_t len;
    char err[512];
    uint8_t *b = au_read(path, NULL, &len, 1u << 16);
    if (!b)
        return cli_fail("key %s: %s", path, strerror(errno));
    int rc = au_vkey_load(b, len, k, err, sizeof err);
    free(b);
    return rc ? cli_fail("key %s: %s", path, err) : 0;
}
