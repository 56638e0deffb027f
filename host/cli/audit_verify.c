/* SPDX-License-Identifier: Apache-2.0 */
/* sbrguard audit verify: an exported log (C2SP tlog-tiles layout) checked
 * offline against the log's public key. Every failure names the first entry
 * (its index) or the file that does not match. */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "audit.h"
#include "cli.h"
#include "mbedtls/base64.h"
#include "mbedtls/sha256.h"

/* Trees larger than this are not a token's log (and would not fit in memory). */
#define MAX_TREE (1ull << 26)
#define MAX_BUNDLE (AU_TILE_WIDTH * (2u + 65535u))

static int failf(au_failure *f, int64_t entry, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int failf(au_failure *f, int64_t entry, const char *file, const char *fmt, ...)
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
        return failf(f, -1, "checkpoint", "%s/checkpoint: %s", dir, strerror(errno));
    if (au_checkpoint_verify(l->cp_raw, l->cp_len, k, &l->cp, err, sizeof err))
        return failf(f, -1, "checkpoint", "%s", err);
    if (l->cp.size > MAX_TREE)
        return failf(f, -1, "checkpoint", "tree size %llu is beyond what this verifier reads (%llu)",
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
        return failf(f, -1, NULL, "out of memory");
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
            return failf(f, (int64_t)start, path,
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
            return failf(f, (int64_t)(start + cnt), path,
                         "entry bundle %s ends inside entry %llu (its length prefix "
                         "runs past the end of the file)",
                         path, (unsigned long long)(start + cnt));
        if (cnt != w) {
            /* Name the first entry out of place by its sequence number (docs/log.md: entry i has seq i). */
            for (uint64_t j = 0; j < cnt && j < w; j++)
                if (l->entries[start + j].len >= 10 && be64(l->entries[start + j].p + 2) != start + j)
                    return failf(f, (int64_t)(start + j), path,
                                 "entry bundle %s holds %zu entries, the checkpoint's tree needs %llu; the entry at "
                                 "index %llu carries sequence number %llu: entries dropped or inserted",
                                 path, cnt, (unsigned long long)w, (unsigned long long)(start + j),
                                 (unsigned long long)be64(l->entries[start + j].p + 2));
            if (cnt < w)
                return failf(f, (int64_t)(start + cnt), path,
                             "entry bundle %s holds %zu entries, the checkpoint's tree needs %llu there (entries "
                             "%llu..%llu): entry %llu is missing",
                             path, cnt, (unsigned long long)w, (unsigned long long)start,
                             (unsigned long long)(start + w - 1), (unsigned long long)(start + cnt));
            return failf(f, (int64_t)(start + w), path,
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

/* One hash tile, read and length-checked. */
static uint8_t *read_tile(const au_log *l, const au_tile *t, char *path, size_t pcap, au_failure *f)
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
        failf(f, -1, path, "hash tile %s: %s%s; the checkpoint's tree of %llu entries needs it", path, strerror(errno),
              hint, (unsigned long long)l->cp.size);
        return NULL;
    }
    unsigned tw = full ? (unsigned)full : t->width;
    if (len != (size_t)tw * AU_HASH_LEN) {
        failf(f, -1, path, "hash tile %s is %zu bytes, a tile of width %u has %u", path, len, tw, tw * AU_HASH_LEN);
        free(b);
        return NULL;
    }
    return b;
}

int au_log_leaves_from_tiles(au_log *l, au_failure *f)
{
    if (alloc_tree(l))
        return failf(f, -1, NULL, "out of memory");
    for (uint64_t start = 0; start < l->n; start += AU_TILE_WIDTH) {
        uint64_t w = l->n - start < AU_TILE_WIDTH ? l->n - start : AU_TILE_WIDTH;
        au_tile t = { 0, start / AU_TILE_WIDTH, (unsigned)w };
        char path[128];
        uint8_t *b = read_tile(l, &t, path, sizeof path, f);
        if (!b)
            return 1;
        memcpy(l->leaves + start * AU_HASH_LEN, b, (size_t)w * AU_HASH_LEN);
        free(b);
    }
    return 0;
}

/* --- the verifier -------------------------------------------------------------------- */



static void hexs(const uint8_t *p, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", p[i]);
    out[2 * n] = 0;
}

static void b64s(const uint8_t *p, size_t n, char *out, size_t cap)
{
    size_t ol = 0;
    if (mbedtls_base64_encode((unsigned char *)out, cap, &ol, p, n))
        out[0] = 0;
}

static int check_entries(au_vres *v)
{
    au_log *l = &v->log;
    char err[512], path[128];
    v->parsed = calloc((size_t)(l->n ? l->n : 1), sizeof *v->parsed);
    if (!v->parsed)
        return failf(&v->f, -1, NULL, "out of memory");
    for (uint64_t i = 0; i < l->n; i++) {
        au_entry *e = &v->parsed[i];
        if (au_entry_parse(l->entries[i].p, l->entries[i].len, i, e, err, sizeof err)) {
            au_tile t = { AU_LEVEL_ENTRIES, i / AU_TILE_WIDTH, 0 };
            t.width = l->n - t.index * AU_TILE_WIDTH < AU_TILE_WIDTH ? (unsigned)(l->n - t.index * AU_TILE_WIDTH)
                                                                     : AU_TILE_WIDTH;
            au_tile_path(&t, path, sizeof path);
            return failf(&v->f, (int64_t)i, path, "entry %llu (%s, position %llu): %s", (unsigned long long)i, path,
                         (unsigned long long)(i % AU_TILE_WIDTH), err);
        }
        if (au_summary_add(&v->sum, e))
            return failf(&v->f, -1, NULL, "out of memory");
    }
    /* An acknowledgement names the root of the tree it acknowledged. */
    for (uint64_t i = 0; i < l->n; i++) {
        const au_entry *e = &v->parsed[i];
        uint8_t r[32];
        if (e->event != AU_EV_LOG_ACK)
            continue;
        au_mth(l->leaves, e->value, r);
        if (memcmp(r, e->cert_hash, 32))
            return failf(&v->f, (int64_t)i, NULL,
                         "entry %llu (log-ack of the tree of %llu entries): the acknowledged "
                         "root is not the root of the first %llu entries",
                         (unsigned long long)i, (unsigned long long)e->value, (unsigned long long)e->value);
    }
    return 0;
}

/* Clock findings (issue 16): a SET_TIME to an earlier time, and any entry
 * older than the one before it that no SET_TIME explains. They do not fail
 * verification (the log is whole) but an auditor must see them. */
int au_clock_finding(const au_entry *parsed, uint64_t i, uint64_t max_gap, uint64_t *from, const char **kind)
{
    const au_entry *e = &parsed[i];
    if (e->event == AU_EV_SET_TIME && e->value > e->time) {
        *kind = "clock-set-backwards";
        *from = e->value;
        return 1;
    }
    if (i && e->event != AU_EV_SET_TIME && e->time < parsed[i - 1].time) {
        *kind = "time-went-backwards";
        *from = parsed[i - 1].time;
        return 1;
    }
    /* A long silence: the token was off, or entries of that time are missing
     * from what was exported. A SET_TIME's jump is not one: its old clock counts. */
    uint64_t t = e->event == AU_EV_SET_TIME ? e->value : e->time;
    if (i && t > parsed[i - 1].time && t - parsed[i - 1].time > (max_gap ? max_gap : AU_DEFAULT_MAX_GAP)) {
        *kind = "time-gap";
        *from = parsed[i - 1].time;
        return 1;
    }
    return 0;
}

static void clock_findings(const au_vres *v, int json, uint64_t max_gap)
{
    const au_log *l = &v->log;
    unsigned n = 0;
    if (json)
        printf(",\"clock_findings\":[");
    for (uint64_t i = 0; v->parsed && i < l->n; i++) {
        const au_entry *e = &v->parsed[i];
        uint64_t from;
        const char *kind;
        if (!au_clock_finding(v->parsed, i, max_gap, &from, &kind))
            continue;
        /* A silence before a SET_TIME ends at its old clock. */
        uint64_t to = e->event == AU_EV_SET_TIME && !strcmp(kind, "time-gap") ? e->value : e->time;
        if (json)
            printf("%s{\"entry\":%llu,\"kind\":\"%s\",\"from\":%llu,\"to\":%llu}", n ? "," : "",
                   (unsigned long long)i, kind, (unsigned long long)from, (unsigned long long)to);
        else
            printf("clock: FLAGGED  entry %llu: %s from %llu to %llu (%llu seconds %s)\n", (unsigned long long)i,
                   kind, (unsigned long long)from, (unsigned long long)to,
                   (unsigned long long)(from > to ? from - to : to - from), from > to ? "back" : "without an entry");
        n++;
    }
    if (json)
        printf("]");
    else if (!n && l->n)
        printf("clock: OK  never set or run backwards, no silence longer than %llu seconds\n",
               (unsigned long long)(max_gap ? max_gap : AU_DEFAULT_MAX_GAP));
}

/* Root from the level-0 tiles alone (NULL if they cannot be read). */
static int tiles_root(const au_log *l, uint8_t root[32])
{
    au_log t = *l;
    au_failure f;
    t.leaves = NULL;
    t.entries = NULL;
    t.bufs = NULL;
    t.nbufs = 0;
    t.cp_raw = NULL;
    int rc = au_log_leaves_from_tiles(&t, &f);
    if (!rc)
        au_mth(t.leaves, t.n, root);
    free(t.leaves);
    free(t.entries);
    free(t.bufs);
    return rc;
}

static int check_tiles(au_vres *v)
{
    au_log *l = &v->log;
    uint8_t root[32], *want = malloc(AU_TILE_WIDTH * AU_HASH_LEN);
    char path[128], bpath[128], hr[65], hc[65];
    if (!want)
        return failf(&v->f, -1, NULL, "out of memory");
    au_mth(l->leaves, l->n, root);
    int root_ok = !memcmp(root, l->cp.root, 32);
    size_t nt = au_tiles_of(l->n, NULL, 0);
    au_tile *ts = calloc(nt ? nt : 1, sizeof *ts);
    if (!ts) {
        free(want);
        return failf(&v->f, -1, NULL, "out of memory");
    }
    au_tiles_of(l->n, ts, nt);
    int rc = 0;
    for (size_t i = 0; i < nt && !rc; i++) {
        uint8_t *got = read_tile(l, &ts[i], path, sizeof path, &v->f);
        if (!got) {
            rc = 1;
            break;
        }
        au_tile_hashes(l->leaves, l->n, &ts[i], want);
        unsigned j = 0;
        while (j < ts[i].width && !memcmp(got + j * AU_HASH_LEN, want + j * AU_HASH_LEN, AU_HASH_LEN))
            j++;
        free(got);
        if (j == ts[i].width) {
            v->tiles++;
            continue;
        }
        rc = 1;
        uint64_t span = 1;
        for (int k = 0; k < ts[i].level; k++)
            span *= AU_TILE_WIDTH;
        uint64_t first = (ts[i].index * AU_TILE_WIDTH + j) * span, last = first + span - 1;
        if (root_ok) {
            if (span == 1)
                failf(&v->f, -1, path,
                      "hash tile %s: hash %u is not the leaf hash of entry %llu, and the entries "
                      "match the signed checkpoint: the tile was altered",
                      path, j, (unsigned long long)first);
            else
                failf(&v->f, -1, path,
                      "hash tile %s: hash %u (entries %llu..%llu) does not match the tree of the "
                      "entries, which matches the signed checkpoint: the tile was altered",
                      path, j, (unsigned long long)first, (unsigned long long)last);
            break;
        }
        uint8_t troot[32];
        int tiles_match = !tiles_root(l, troot) && !memcmp(troot, l->cp.root, 32);
        au_tile bt = { AU_LEVEL_ENTRIES, first / AU_TILE_WIDTH, 0 };
        bt.width = l->n - bt.index * AU_TILE_WIDTH < AU_TILE_WIDTH ? (unsigned)(l->n - bt.index * AU_TILE_WIDTH)
                                                                   : AU_TILE_WIDTH;
        au_tile_path(&bt, bpath, sizeof bpath);
        if (ts[i].level == 0 && tiles_match)
            failf(&v->f, (int64_t)first, bpath,
                  "entry %llu (%s, position %llu) does not hash to %s hash %u, and the "
                  "hash tiles match the signed checkpoint: the entry was altered",
                  (unsigned long long)first, bpath, (unsigned long long)(first % AU_TILE_WIDTH), path, j);
        else
            failf(&v->f, (int64_t)first, ts[i].level == 0 ? bpath : path,
                  "entries %llu..%llu do not match hash %u of %s, and neither the entries nor the tiles give the "
                  "signed checkpoint's root",
                  (unsigned long long)first, (unsigned long long)last, j, path);
    }
    if (!rc && !root_ok) {
        hexs(root, 32, hr);
        hexs(l->cp.root, 32, hc);
        rc = failf(&v->f, -1, "checkpoint",
                   "the %llu entries and the hash tiles agree, but their root %s is not the "
                   "signed checkpoint's root %s",
                   (unsigned long long)l->n, hr, hc);
    }
    free(ts);
    free(want);
    return rc;
}

/* --since, first part (right after the checkpoint): the older checkpoint
 * verifies, is of the same log and not larger. */
static int since_pre(au_vres *v, const au_verify_opts *o)
{
    au_log *l = &v->log;
    const char *file = o->since;
    size_t len;
    char err[512];
    uint8_t *raw = au_read(file, NULL, &len, 1u << 16);
    if (!raw)
        return failf(&v->f, -1, file, "--since %s: %s", file, strerror(errno));
    int rc = au_checkpoint_verify(raw, len, &o->key, &v->old, err, sizeof err);
    free(raw);
    if (rc)
        return failf(&v->f, -1, file, "--since %s: %s", file, err);
    v->since_size = v->old.size;
    if (strcmp(v->old.origin, l->cp.origin))
        return failf(&v->f, -1, file, "--since %s is a checkpoint of another log (origin %s, not %s)", file,
                     v->old.origin, l->cp.origin);
    if (v->old.size > l->cp.size)
        return failf(&v->f, -1, file,
                     "--since %s has tree size %llu, larger than the exported checkpoint's %llu: the "
                     "checkpoint presented as newer is older (or the log was truncated)",
                     file, (unsigned long long)v->old.size, (unsigned long long)l->cp.size);
    return 0;
}

/* --since, second part (once the tree is rebuilt): its root is the root of
 * the first old.size entries, and the RFC 9162 consistency proof verifies. */
static int since_post(au_vres *v, const au_verify_opts *o)
{
    au_log *l = &v->log;
    const char *file = o->since;
    uint8_t r[32];
    au_mth(l->leaves, v->old.size, r);
    if (memcmp(r, v->old.root, 32))
        return failf(&v->f, -1, file,
                     "--since %s: the first %llu entries of the export do not give its root: the log "
                     "is not an extension of the older checkpoint (rewritten or forked)",
                     file, (unsigned long long)v->old.size);
    if (v->old.size) {
        uint8_t proof[AU_MAX_PROOF * AU_HASH_LEN];
        if (au_consistency_proof(l->leaves, l->n, v->old.size, proof, AU_MAX_PROOF, &v->since_proof) ||
            au_consistency_verify(v->old.size, l->n, v->old.root, l->cp.root, proof, v->since_proof))
            return failf(&v->f, -1, file, "--since %s: the consistency proof from %llu to %llu entries does not verify",
                         file, (unsigned long long)v->old.size, (unsigned long long)l->n);
    }
    v->since_done = 1;
    return 0;
}

int au_cert_hashes(const uint8_t *p, size_t len, uint8_t cert[AU_HASH_LEN], uint8_t tbs[AU_HASH_LEN])
{
    /* Certificate ::= SEQUENCE { tbsCertificate SEQUENCE, ... } */
    size_t off = 0, l = 0;
    for (int depth = 0; depth < 2; depth++) {
        if (len - off < 2 || p[off] != 0x30)
            return -1;
        size_t h = 2, b = p[off + 1];
        if (b & 0x80) {
            unsigned nb = b & 0x7f;
            if (nb < 1 || nb > 3 || len - off < 2 + nb)
                return -1;
            b = 0;
            for (unsigned i = 0; i < nb; i++)
                b = b << 8 | p[off + 2 + i];
            h += nb;
        }
        if (len - off - h < b)
            return -1;
        l = h + b;
        if (depth == 0) {
            if (off + l != len)
                return -1;
            off += h;
        }
    }
    mbedtls_sha256(p, len, cert, 0);
    mbedtls_sha256(p + off, l, tbs, 0);
    return 0;
}

int64_t au_cert_find(const au_entry *parsed, uint64_t n, const uint8_t cert[AU_HASH_LEN], const uint8_t tbs[AU_HASH_LEN])
{
    for (uint64_t j = 0; j < n; j++) {
        const au_entry *e = &parsed[j];
        if (e->event != AU_EV_ISSUE_ACCEPTED)
            continue;
        /* A pre-authorized issuance logs the TBS hash only: the token never saw the signature. */
        if (e->flags & AU_F_PREAUTHORIZED ? !memcmp(e->tbs_hash, tbs, 32) : !memcmp(e->cert_hash, cert, 32))
            return (int64_t)j;
    }
    return -1;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int check_certs(au_vres *v, const au_verify_opts *o)
{
    struct dirent **names;
    int n = scandir(o->certs, &names, NULL, by_name);
    if (n < 0)
        return failf(&v->f, -1, o->certs, "--certs %s: %s", o->certs, strerror(errno));
    v->certs = calloc((size_t)n + 1, sizeof *v->certs);
    int rc = v->certs ? 0 : failf(&v->f, -1, NULL, "out of memory");
    for (int i = 0; i < n; i++) {
        char path[4096 + 256];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", o->certs, names[i]->d_name);
        if (rc || names[i]->d_name[0] == '.' || stat(path, &st) || !S_ISREG(st.st_mode)) {
            free(names[i]);
            continue;
        }
        struct au_cert_match *m = &v->certs[v->ncerts++];
        snprintf(m->file, sizeof m->file, "%s", names[i]->d_name);
        free(names[i]);
        m->entry = -1;
        size_t len;
        uint8_t *der = cli_read_der(path, &len), th[32];
        if (!der || au_cert_hashes(der, len, m->hash, th)) {
            free(der);
            rc = failf(&v->f, -1, path, "--certs: %s is not a DER or PEM certificate", path);
            continue;
        }
        free(der);
        m->entry = au_cert_find(v->parsed, v->log.n, m->hash, th);
        if (m->entry < 0) {
            char hx[65];
            hexs(m->hash, 32, hx);
            rc = failf(&v->f, -1, path,
                       "--certs: certificate %s (SHA-256 %s) is in no accepted-issuance entry: the "
                       "token never signed it",
                       path, hx);
        }
    }
    free(names);
    return rc;
}

static void print_json(const au_vres *v, const au_verify_opts *o)
{
    char r64[64], hx[65];
    printf("{\"result\":\"%s\"", v->failed ? "failed" : "ok");
    if (v->failed) {
        printf(",\"failure\":{\"message\":");
        cli_json_str(v->f.msg);
        if (v->f.entry >= 0)
            printf(",\"entry\":%lld", (long long)v->f.entry);
        else
            printf(",\"entry\":null");
        printf(",\"file\":");
        cli_json_str(v->f.file);
        printf("}");
    }
    if (v->stage >= AU_STAGE_CHECKPOINT) {
        b64s(v->log.cp.root, 32, r64, sizeof r64);
        printf(",\"checkpoint\":{\"origin\":");
        cli_json_str(v->log.cp.origin);
        printf(",\"size\":%llu,\"root\":\"%s\",\"key_id\":\"%08x\"}", (unsigned long long)v->log.cp.size, r64,
               (unsigned)v->log.cp.key_id);
    }
    if (v->since_done)
        printf(",\"since\":{\"size\":%llu,\"proof_hashes\":%zu}", (unsigned long long)v->since_size, v->since_proof);
    if (o->certs && !v->failed) {
        printf(",\"certs\":[");
        for (size_t i = 0; i < v->ncerts; i++) {
            hexs(v->certs[i].hash, 32, hx);
            printf("%s{\"file\":", i ? "," : "");
            cli_json_str(v->certs[i].file);
            printf(",\"sha256\":\"%s\",\"entry\":%lld}", hx, (long long)v->certs[i].entry);
        }
        printf("]");
    }
    if (!v->failed)
        clock_findings(v, 1, o->max_gap);
    if (v->sum.entries && !v->failed) {
        printf(",\"summary\":");
        au_summary_print(&v->sum, 1);
    }
    printf("}\n");
}

/* The text report: one line per stage that passed, in order. */
static void print_text(const au_vres *v, const au_verify_opts *o)
{
    const au_log *l = &v->log;
    char r64[64];
    if (v->stage >= AU_STAGE_CHECKPOINT) {
        b64s(l->cp.root, 32, r64, sizeof r64);
        printf("checkpoint: OK  origin %s, tree size %llu, root %s, signed by %s (key ID %08x)\n", l->cp.origin,
               (unsigned long long)l->cp.size, r64, o->key.name[0] ? o->key.name : l->cp.origin,
               (unsigned)l->cp.key_id);
    }
    if (v->stage >= AU_STAGE_ENTRIES) {
        uint64_t nb = (l->n + AU_TILE_WIDTH - 1) / AU_TILE_WIDTH;
        if (!l->n)
            printf("entries: OK  none (an empty tree)\n");
        else
            printf("entries: OK  %llu entr%s in %llu bundle%s, format %u, sequence numbers 0..%lld\n",
                   (unsigned long long)l->n, l->n == 1 ? "y" : "ies", (unsigned long long)nb, nb == 1 ? "" : "s",
                   AU_ENTRY_FORMAT, (long long)l->n - 1);
    }
    if (v->stage >= AU_STAGE_TILES)
        printf("tiles: OK  %u hash tile%s match%s the tree; its root is the checkpoint's\n", v->tiles,
               v->tiles == 1 ? "" : "s", v->tiles == 1 ? "es" : "");
    if (v->since_done)
        printf("since: OK  %s (tree size %llu) is a prefix of this log; consistency proof of %zu hashes verifies\n",
               o->since, (unsigned long long)v->old.size, v->since_proof);
    if (v->stage >= AU_STAGE_CERTS && o->certs) {
        printf("certs: OK  %zu certificate%s, each in an accepted-issuance entry (file@index):", v->ncerts,
               v->ncerts == 1 ? "" : "s");
        for (size_t i = 0; i < v->ncerts && i < 8; i++)
            printf(" %s@%lld", v->certs[i].file, (long long)v->certs[i].entry);
        if (v->ncerts > 8)
            printf(" ... (--format json lists all)");
        printf("\n");
    }
    if (!v->failed)
        clock_findings(v, 0, o->max_gap);
    if (!v->failed && v->sum.entries)
        au_summary_print(&v->sum, 0);
    if (v->failed)
        printf("audit verify: FAILED: %s\n", v->f.msg);
    else
        printf("audit verify: OK\n");
}

int au_parse_gap(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long n = strtoull(s, &end, 10);
    uint64_t mul = 1;
    if (end == s || *s == '-')
        return -1;
    if (*end && !end[1])
        mul = *end == 's' ? 1 : *end == 'm' ? 60 : *end == 'h' ? 3600 : *end == 'd' ? 86400 : 0;
    else if (*end)
        mul = 0;
    if (!mul || !n || n > UINT64_MAX / mul)
        return -1;
    *out = n * mul;
    return 0;
}

int au_verify_run(const au_verify_opts *o, au_vres *v)
{
    memset(v, 0, sizeof *v);
    v->f.entry = -1;
    au_summary_init(&v->sum);
    v->failed = au_log_checkpoint(&v->log, o->dir, &o->key, &v->f);
    if (!v->failed) {
        v->stage = AU_STAGE_CHECKPOINT;
        if (o->since)
            v->failed = since_pre(v, o);
        if (!v->failed)
            v->failed = au_log_entries(&v->log, &v->f);
    }
    if (!v->failed && !(v->failed = check_entries(v)))
        v->stage = AU_STAGE_ENTRIES;
    if (!v->failed && !(v->failed = check_tiles(v)))
        v->stage = AU_STAGE_TILES;
    if (!v->failed && o->since)
        v->failed = since_post(v, o);
    if (!v->failed && o->certs)
        v->failed = check_certs(v, o);
    if (!v->failed)
        v->stage = AU_STAGE_CERTS;
    return v->failed;
}

void au_vres_free(au_vres *v)
{
    au_log_free(&v->log);
    au_summary_free(&v->sum);
    free(v->parsed);
    free(v->certs);
    v->parsed = NULL;
    v->certs = NULL;
}

int au_verify(const au_verify_opts *o)
{
    au_vres v;
    au_verify_run(o, &v);
    if (o->json)
        print_json(&v, o);
    else
        print_text(&v, o);
    if (v.failed)
        cli_fail("audit verify: %s", v.f.msg);
    int rc = v.failed ? 1 : 0;
    au_vres_free(&v);
    return rc;
}
