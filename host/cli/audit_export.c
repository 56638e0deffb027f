/* SPDX-License-Identifier: Apache-2.0 */
/* sbrguard audit export DIR: the token's log as C2SP tlog-tiles (entry
 * bundles, hash tiles, checkpoint) plus the log's public key. The tree is
 * rebuilt from the entries and must give the token's freshly signed
 * checkpoint before anything is written. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "audit.h"
#include "cli.h"
#include "sbrguard/log.h"
#include "mbedtls/base64.h"

int audit_export(const cli_args *a);

/* mkdir -p of the parent folders of dir/rel. */
static int mkparents(const char *dir, const char *rel)
{
    char path[4096 + 256];
    int n = snprintf(path, sizeof path, "%s/%s", dir, rel);
    if (n < 0 || (size_t)n >= sizeof path)
        return -1;
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        if (mkdir(path, 0755) && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return 0;
}

/* Writes dir/rel through a temporary file and a rename. */
static int put(const char *dir, const char *rel, const void *p, size_t len)
{
    char path[4096 + 256], tmp[4096 + 300];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid());
    if (mkparents(dir, rel))
        return cli_fail("%s: cannot create its folder: %s", path, strerror(errno));
    FILE *f = fopen(tmp, "wb");
    if (!f || (len && fwrite(p, 1, len, f) != len) || fclose(f) || rename(tmp, path)) {
        int e = errno;
        unlink(tmp);
        return cli_fail("%s: cannot write: %s", path, strerror(e));
    }
    return 0;
}

/* --- the token side (libsbrguard's sg_log_*) ------------------------------------------ */

typedef struct {
    sg_log_key key;
    sg_log_state info;
    uint64_t size;
    uint8_t root[32];
    char note[SG_LOG_MAX_NOTE + 1];
    size_t note_len;
} token_log;

static int token_state(sg_client *c, int export_flag, token_log *t)
{
    int rc;
    if ((rc = sg_log_pubkey(c, &t->key)))
        return cli_token_fail(c, rc, "log public key");
    if ((rc = sg_log_info(c, &t->info)))
        return cli_token_fail(c, rc, "log info");
    if ((rc = sg_log_checkpoint(c, export_flag, t->note, sizeof t->note, &t->note_len, &t->size, t->root)))
        return cli_token_fail(c, rc, "log checkpoint");
    return 0;
}

/* Entries [from, to) into out (pointers into one buffer of entry bundles). */
static int token_entries(sg_client *c, uint64_t from, uint64_t to, uint8_t **store, au_slice *out)
{
    static uint8_t chunk[SG_MAX_PAYLOAD];
    size_t total = 0, cap = 0;
    uint8_t *buf = NULL;
    uint64_t i = from;
    while (i < to) {
        size_t len = 0, count = to - i > 0xffff ? 0xffff : (size_t)(to - i);
        int rc = sg_log_read(c, i, chunk, sizeof chunk, &len, &count);
        if (rc) {
            free(buf);
            return cli_token_fail(c, rc, "log read");
        }
        if (!count) {
            free(buf);
            return cli_fail("log read: the token returned no entry at index %llu of %llu", (unsigned long long)i,
                            (unsigned long long)to);
        }
        if (total + len > cap) {
            size_t nc = cap ? cap : 65536;
            while (nc < total + len)
                nc *= 2;
            uint8_t *nb = realloc(buf, nc);
            if (!nb) {
                free(buf);
                return cli_fail("out of memory");
            }
            buf = nb;
            cap = nc;
        }
        memcpy(buf + total, chunk, len);
        total += len;
        i += count;
    }
    /* Split the concatenated bundles; entries past `to` (none asked) are ignored. */
    size_t n = 0;
    int rc = au_bundle_parse(buf, total, out, (size_t)(to - from), &n);
    if ((rc && rc != AU_E_ARGS) || n < to - from) {
        free(buf);
        return cli_fail("log read: malformed entries from the token");
    }
    *store = buf;
    return 0;
}

/* --- writing the tiles ------------------------------------------------------------- */

static int write_tiles(const char *dir, const au_slice *e, const uint8_t *leaves, uint64_t n, size_t *nb, size_t *nh)
{
    static uint8_t bundle[AU_TILE_WIDTH * (2 + AU_ENTRY_MAX)], hashes[AU_TILE_WIDTH * AU_HASH_LEN];
    char path[128];
    *nb = *nh = 0;
    for (uint64_t start = 0; start < n; start += AU_TILE_WIDTH) {
        uint64_t w = n - start < AU_TILE_WIDTH ? n - start : AU_TILE_WIDTH;
        au_tile t = { AU_LEVEL_ENTRIES, start / AU_TILE_WIDTH, (unsigned)w };
        size_t off = 0;
        for (uint64_t i = start; i < start + w; i++) {
            if (e[i].len > AU_ENTRY_MAX)
                return cli_fail("entry %llu is %zu bytes, more than an entry may have", (unsigned long long)i,
                                e[i].len);
            bundle[off++] = (uint8_t)(e[i].len >> 8);
            bundle[off++] = (uint8_t)e[i].len;
            memcpy(bundle + off, e[i].p, e[i].len);
            off += e[i].len;
        }
        au_tile_path(&t, path, sizeof path);
        if (put(dir, path, bundle, off))
            return -1;
        (*nb)++;
    }
    size_t nt = au_tiles_of(n, NULL, 0);
    au_tile *ts = calloc(nt ? nt : 1, sizeof *ts);
    if (!ts)
        return cli_fail("out of memory");
    au_tiles_of(n, ts, nt);
    for (size_t i = 0; i < nt; i++) {
        au_tile_path(&ts[i], path, sizeof path);
        if (au_tile_hashes(leaves, n, &ts[i], hashes) || put(dir, path, hashes, (size_t)ts[i].width * AU_HASH_LEN)) {
            free(ts);
            return -1;
        }
        (*nh)++;
    }
    free(ts);
    return 0;
}

int audit_export(const cli_args *a)
{
    const char *dir = NULL;
    for (int i = 0; i < a->argc; i++) {
        const char *s = a->argv[i];
        if (!strcmp(s, "--pin") || !strcmp(s, "--prev")) {
            if (++i >= a->argc)
                return cli_fail("option %s needs a value", s) + 1;
        } else if (s[0] == '-' && s[1]) {
            return cli_fail("unknown option '%s' (see --help)", s) + 1;
        } else if (dir) {
            return cli_fail("unexpected argument '%s' (see --help)", s) + 1;
        } else {
            dir = s;
        }
    }
    if (!dir)
        return cli_fail("usage: sbrguard audit export DIR [--pin PIN] [--prev EARLIER-EXPORT-DIR]") + 1;
    const char *prev = cli_opt(a, "--prev"), *pin = cli_opt(a, "--pin");
    if (!pin)
        pin = getenv("SBRGUARD_PIN");
    sg_client *c;
    if (cli_connect(&c))
        return 1;
    static token_log t;
    au_log old = { 0 };
    au_failure f;
    uint8_t *store = NULL, *leaves = NULL, root[32];
    au_slice *e = NULL;
    int rc = 1;
    char err[512];
    memset(&t, 0, sizeof t);
    if (pin && cli_login_user(c, a))
        goto out;
    /* With a login the checkpoint records the export (a LOG_EXPORT entry first). */
    if (token_state(c, pin != NULL, &t))
        goto out;
    if (t.info.status & SG_LOG_ST_CORRUPT)
        fprintf(stderr, "sbrguard: warning: the token reports its log corrupt (LOG_STATUS 0x%x)\n",
                (unsigned)t.info.status);
    au_vkey k;
    au_checkpoint cp;
    if (au_vkey_load(t.key.spki, t.key.spki_len, &k, err, sizeof err)) {
        cli_fail("log public key: %s", err);
        goto out;
    }
    uint32_t tid = (uint32_t)t.key.key_id[0] << 24 | (uint32_t)t.key.key_id[1] << 16 | (uint32_t)t.key.key_id[2] << 8 |
                   t.key.key_id[3];
    if (tid != au_keyid_spki(k.spki, k.spki_len))
        fprintf(stderr, "sbrguard: warning: the token's log key ID %08x is not SHA-256(SPKI)[:4] = %08x\n",
                (unsigned)tid, (unsigned)au_keyid_spki(k.spki, k.spki_len));
    snprintf(k.name, sizeof k.name, "%s", t.key.origin);
    if (au_checkpoint_verify((const uint8_t *)t.note, t.note_len, &k, &cp, err, sizeof err)) {
        cli_fail("the token's checkpoint does not verify: %s", err);
        goto out;
    }
    if (cp.size != t.size || memcmp(cp.root, t.root, 32)) {
        cli_fail("the token's checkpoint note (size %llu) differs from the size and root it returned (%llu)",
                 (unsigned long long)cp.size, (unsigned long long)t.size);
        goto out;
    }
    e = calloc((size_t)(t.size ? t.size : 1), sizeof *e);
    leaves = malloc((size_t)(t.size ? t.size : 1) * AU_HASH_LEN);
    if (!e || !leaves) {
        cli_fail("out of memory");
        goto out;
    }
    /* Entries the token freed (below LOG_MIN, after an acknowledged export)
     * come from that earlier export, checked against the new checkpoint below. */
    if (t.info.min_index > 0) {
        if (!prev) {
            cli_fail("the token freed entries 0..%llu after an acknowledged export: give that export with --prev DIR",
                     (unsigned long long)t.info.min_index - 1);
            goto out;
        }
        if (au_log_checkpoint(&old, prev, &k, &f) || au_log_entries(&old, &f)) {
            cli_fail("--prev %s: %s", prev, f.msg);
            goto out;
        }
        if (old.n < t.info.min_index) {
            cli_fail("--prev %s holds %llu entries, the token freed %llu", prev, (unsigned long long)old.n,
                     (unsigned long long)t.info.min_index);
            goto out;
        }
        memcpy(e, old.entries, (size_t)t.info.min_index * sizeof *e);
    }
    if (token_entries(c, t.info.min_index, t.size, &store, e + t.info.min_index))
        goto out;
    for (uint64_t i = 0; i < t.size; i++)
        au_leaf_hash(e[i].p, e[i].len, leaves + i * AU_HASH_LEN);
    au_mth(leaves, t.size, root);
    if (memcmp(root, cp.root, 32)) {
        cli_fail("the %llu entries read%s do not give the root of the token's checkpoint: nothing written",
                 (unsigned long long)t.size, t.info.min_index ? " (and those of --prev)" : "");
        goto out;
    }
    au_entry pe;
    for (uint64_t i = 0; i < t.size; i++)
        if (au_entry_parse(e[i].p, e[i].len, i, &pe, err, sizeof err))
            fprintf(stderr, "sbrguard: warning: entry %llu: %s (exported as is; audit verify will refuse it)\n",
                    (unsigned long long)i, err);
    size_t nb, nh;
    if (mkdir(dir, 0755) && errno != EEXIST) {
        cli_fail("%s: %s", dir, strerror(errno));
        goto out;
    }
    char vk[700];
    k.id = au_keyid_spki(k.spki, k.spki_len);
    if (write_tiles(dir, e, leaves, t.size, &nb, &nh))
        goto out;
    char pub[4096 + 16];
    snprintf(pub, sizeof pub, "%s/log.pub", dir);
    if (cli_write_pem(pub, "PUBLIC KEY", k.spki, k.spki_len))
        goto out;
    if (au_vkey_format(&k, vk, sizeof vk - 1) == 0) {
        size_t vl = strlen(vk);
        vk[vl++] = '\n';
        if (put(dir, "log.vkey", vk, vl))
            goto out;
    }
    if (put(dir, "checkpoint", t.note, t.note_len)) /* last: the tiles it needs are in place */
        goto out;
    char r64[64];
    size_t ol;
    mbedtls_base64_encode((unsigned char *)r64, sizeof r64, &ol, cp.root, 32);
    printf("exported %llu entr%s to %s: %zu entry bundle%s, %zu hash tile%s, checkpoint (tree size %llu, root %s), "
           "log.pub, log.vkey\n",
           (unsigned long long)t.size, t.size == 1 ? "y" : "ies", dir, nb, nb == 1 ? "" : "s", nh, nh == 1 ? "" : "s",
           (unsigned long long)cp.size, r64);
    printf("log key: %s (key ID %08x)%s\n", t.key.origin, (unsigned)k.id,
           pin ? "; the export is recorded in the log" : "");
    if (t.info.min_index)
        printf("entries 0..%llu (freed on the token) taken from %s\n", (unsigned long long)t.info.min_index - 1, prev);
    rc = 0;
out:
    sg_free(c);
    au_log_free(&old);
    free(store);
    free(e);
    free(leaves);
    return rc;
}
