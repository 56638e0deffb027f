/* SPDX-License-Identifier: Apache-2.0 */
/* sbrguard audit verify: an exported log (C2SP tlog-tiles layout) checked
 * offline against the log's public key. Every failure names the first entry
 * (its index) or the file that does not match. Reading the export is
 * audit_load.c's; here are the checks and the report. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "audit.h"
#include "cli.h"
#include "mbedtls/base64.h"
#include "mbedtls/sha256.h"

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
        return au_failf(&v->f, -1, NULL, "out of memory");
    for (uint64_t i = 0; i < l->n; i++) {
        au_entry *e = &v->parsed[i];
        if (au_entry_parse(l->entries[i].p, l->entries[i].len, i, e, err, sizeof err)) {
            au_tile t = { AU_LEVEL_ENTRIES, i / AU_TILE_WIDTH, 0 };
            t.width = l->n - t.index * AU_TILE_WIDTH < AU_TILE_WIDTH ? (unsigned)(l->n - t.index * AU_TILE_WIDTH)
                                                                     : AU_TILE_WIDTH;
            au_tile_path(&t, path, sizeof path);
            return au_failf(&v->f, (int64_t)i, path, "entry %llu (%s, position %llu): %s", (unsigned long long)i, path,
                         (unsigned long long)(i % AU_TILE_WIDTH), err);
        }
        if (au_summary_add(&v->sum, e))
            return au_failf(&v->f, -1, NULL, "out of memory");
    }
    /* An acknowledgement names the root of the tree it acknowledged. */
    for (uint64_t i = 0; i < l->n; i++) {
        const au_entry *e = &v->parsed[i];
        uint8_t r[32];
        if (e->event != AU_EV_LOG_ACK)
            continue;
        au_mth(l->leaves, e->value, r);
        if (memcmp(r, e->cert_hash, 32))
            return au_failf(&v->f, (int64_t)i, NULL,
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
        return au_failf(&v->f, -1, NULL, "out of memory");
    au_mth(l->leaves, l->n, root);
    int root_ok = !memcmp(root, l->cp.root, 32);
    size_t nt = au_tiles_of(l->n, NULL, 0);
    au_tile *ts = calloc(nt ? nt : 1, sizeof *ts);
    if (!ts) {
        free(want);
        return au_failf(&v->f, -1, NULL, "out of memory");
    }
    au_tiles_of(l->n, ts, nt);
    int rc = 0;
    for (size_t i = 0; i < nt && !rc; i++) {
        uint8_t *got = au_read_tile(l, &ts[i], path, sizeof path, &v->f);
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
                au_failf(&v->f, -1, path,
                      "hash tile %s: hash %u is not the leaf hash of entry %llu, and the entries "
                      "match the signed checkpoint: the tile was altered",
                      path, j, (unsigned long long)first);
            else
                au_failf(&v->f, -1, path,
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
            au_failf(&v->f, (int64_t)first, bpath,
                  "entry %llu (%s, position %llu) does not hash to %s hash %u, and the "
                  "hash tiles match the signed checkpoint: the entry was altered",
                  (unsigned long long)first, bpath, (unsigned long long)(first % AU_TILE_WIDTH), path, j);
        else
            au_failf(&v->f, (int64_t)first, ts[i].level == 0 ? bpath : path,
                  "entries %llu..%llu do not match hash %u of %s, and neither the entries nor the tiles give the "
                  "signed checkpoint's root",
                  (unsigned long long)first, (unsigned long long)last, j, path);
    }
    if (!rc && !root_ok) {
        hexs(root, 32, hr);
        hexs(l->cp.root, 32, hc);
        rc = au_failf(&v->f, -1, "checkpoint",
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
        return au_failf(&v->f, -1, file, "--since %s: %s", file, strerror(errno));
    int rc = au_checkpoint_verify(raw, len, &o->key, &v->old, err, sizeof err);
    free(raw);
    if (rc)
        return au_failf(&v->f, -1, file, "--since %s: %s", file, err);
    v->since_size = v->old.size;
    if (strcmp(v->old.origin, l->cp.origin))
        return au_failf(&v->f, -1, file, "--since %s is a checkpoint of another log (origin %s, not %s)", file,
                     v->old.origin, l->cp.origin);
    if (v->old.size > l->cp.size)
        return au_failf(&v->f, -1, file,
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
        return au_failf(&v->f, -1, file,
                     "--since %s: the first %llu entries of the export do not give its root: the log "
                     "is not an extension of the older checkpoint (rewritten or forked)",
                     file, (unsigned long long)v->old.size);
    if (v->old.size) {
        uint8_t proof[AU_MAX_PROOF * AU_HASH_LEN];
        if (au_consistency_proof(l->leaves, l->n, v->old.size, proof, AU_MAX_PROOF, &v->since_proof) ||
            au_consistency_verify(v->old.size, l->n, v->old.root, l->cp.root, proof, v->since_proof))
            return au_failf(&v->f, -1, file, "--since %s: the consistency proof from %llu to %llu entries does not verify",
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
        return au_failf(&v->f, -1, o->certs, "--certs %s: %s", o->certs, strerror(errno));
    v->certs = calloc((size_t)n + 1, sizeof *v->certs);
    int rc = v->certs ? 0 : au_failf(&v->f, -1, NULL, "out of memory");
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
            rc = au_failf(&v->f, -1, path, "--certs: %s is not a DER or PEM certificate", path);
            continue;
        }
        free(der);
        m->entry = au_cert_find(v->parsed, v->log.n, m->hash, th);
        if (m->entry < 0) {
            char hx[65];
            hexs(m->hash, 32, hx);
            rc = au_failf(&v->f, -1, path,
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

int au_verify_many(const au_verify_opts *o, size_t n)
{
    size_t failed = 0;
    int json = n && o[0].json;
    if (json)
        printf("{\"exports\":[");
    for (size_t i = 0; i < n; i++) {
        au_vres v;
        au_verify_run(&o[i], &v);
        if (json) {
            printf("%s{\"dir\":", i ? "," : "");
            cli_json_str(o[i].dir);
            printf(",\"report\":");
            print_json(&v, &o[i]);
            printf("}");
        } else {
            printf("%s== export %zu of %zu: %s\n", i ? "\n" : "", i + 1, n, o[i].dir);
            print_text(&v, &o[i]);
        }
        if (v.failed) {
            failed++;
            cli_fail("audit verify: %s: %s", o[i].dir, v.f.msg);
        }
        au_vres_free(&v);
    }
    if (json)
        printf("],\"result\":\"%s\",\"failed\":%zu}\n", failed ? "failed" : "ok", failed);
    else if (failed)
        printf("\naudit verify: %zu of %zu exports FAILED\n", failed, n);
    else
        printf("\naudit verify: all %zu exports OK\n", n);
    return failed ? 1 : 0;
}
