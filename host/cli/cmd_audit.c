/* SPDX-License-Identifier: Apache-2.0 */
/* sbrguard audit export|verify|proof: the auditor's side of the enforcement
 * log (docs/log.md). verify and proof work offline on an exported
 * directory in the C2SP tlog-tiles layout; only export talks to the token. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "audit.h"
#include "audit_report.h"
#include "cli.h"
#include "mbedtls/base64.h"

#define EXIT_FAILED 1
#define EXIT_USAGE 2

typedef struct {
    const char *name;
    int takes_value;
    const char *value;
    int set;
} aopt;

/* Options from o (in any order) and up to maxpos positional arguments. */
static int parse(const cli_args *a, aopt *o, size_t no, const char **pos, int maxpos, int *npos)
{
    *npos = 0;
    for (int i = 0; i < a->argc; i++) {
        const char *s = a->argv[i];
        size_t k;
        if (s[0] != '-' || !s[1]) {
            if (*npos >= maxpos)
                return cli_fail("unexpected argument '%s' (see --help)", s);
            pos[(*npos)++] = s;
            continue;
        }
        for (k = 0; k < no && strcmp(o[k].name, s); k++)
            ;
        if (k == no)
            return cli_fail("unknown option '%s' (see --help)", s);
        if (o[k].set)
            return cli_fail("option %s given twice", s);
        o[k].set = 1;
        if (o[k].takes_value) {
            if (++i >= a->argc)
                return cli_fail("option %s needs a value", s);
            o[k].value = a->argv[i];
        }
    }
    return 0;
}

static void hex_line(const uint8_t *p, size_t n)
{
    cli_hex_print(p, n);
    putchar('\n');
}

static void b64(const uint8_t *p, size_t n, char *out, size_t cap)
{
    size_t ol;
    if (mbedtls_base64_encode((unsigned char *)out, cap, &ol, p, n))
        out[0] = 0;
}

/* --- audit verify ------------------------------------------------------------------ */

/* One DIR, or several (one token's log each): --key, --since and --certs
 * then come once per DIR, in the same order (--since and --certs: or none). */
static int audit_verify(const cli_args *a)
{
    static const char usage[] =
        "usage: sbrguard audit verify DIR... --key LOGKEY.pub... [--since CHECKPOINT]... [--certs DIR]... "
        "[--format text|json] [--max-gap SECONDS|Nd|Nh]";
    const char *dirs[AU_MAX_EXPORTS], *keys[AU_MAX_EXPORTS], *sinces[AU_MAX_EXPORTS], *certs[AU_MAX_EXPORTS];
    const char *fmt = NULL, *gap = NULL;
    size_t nd = 0, nk = 0, ns = 0, nc = 0;
    for (int i = 0; i < a->argc; i++) {
        const char *s = a->argv[i];
        int more = i + 1 < a->argc;
        if (!strcmp(s, "--key") && more && nk < AU_MAX_EXPORTS)
            keys[nk++] = a->argv[++i];
        else if (!strcmp(s, "--since") && more && ns < AU_MAX_EXPORTS)
            sinces[ns++] = a->argv[++i];
        else if (!strcmp(s, "--certs") && more && nc < AU_MAX_EXPORTS)
            certs[nc++] = a->argv[++i];
        else if (!strcmp(s, "--format") && more && !fmt)
            fmt = a->argv[++i];
        else if (!strcmp(s, "--max-gap") && more && !gap)
            gap = a->argv[++i];
        else if (s[0] == '-' && s[1])
            return cli_fail("%s: unknown option, given too often or without its value (see --help)", s) ? EXIT_USAGE : 0;
        else if (nd < AU_MAX_EXPORTS)
            dirs[nd++] = s;
        else
            return cli_fail("at most %d exports in one run", AU_MAX_EXPORTS) ? EXIT_USAGE : 0;
    }
    if (!nd || nk != nd)
        return cli_fail("%s%s", usage, nd > 1 ? " (one --key per DIR, in the same order)" : "") ? EXIT_USAGE : 0;
    if ((ns && ns != nd) || (nc && nc != nd))
        return cli_fail("--since and --certs: one per DIR, in the same order, or none") ? EXIT_USAGE : 0;
    if (fmt && strcmp(fmt, "json") && strcmp(fmt, "text"))
        return cli_fail("--format must be text or json") ? EXIT_USAGE : 0;
    au_verify_opts v[AU_MAX_EXPORTS];
    memset(v, 0, sizeof v);
    for (size_t i = 0; i < nd; i++) {
        v[i].dir = dirs[i];
        v[i].since = ns ? sinces[i] : NULL;
        v[i].certs = nc ? certs[i] : NULL;
        v[i].json = fmt && !strcmp(fmt, "json");
        if (gap && au_parse_gap(gap, &v[i].max_gap))
            return cli_fail("--max-gap %s: seconds, or a number with s, m, h or d", gap) ? EXIT_USAGE : 0;
        if (au_vkey_load_file(keys[i], &v[i].key))
            return EXIT_USAGE;
    }
    return nd == 1 ? au_verify(&v[0]) : au_verify_many(v, nd);
}

/* --- audit proof ------------------------------------------------------------------- */

/* --key, else DIR/log.pub (the export's own copy: said so). */
static int proof_key(const char *opt, const char *dir, au_vkey *k)
{
    char path[4096];
    if (opt)
        return au_vkey_load_file(opt, k);
    snprintf(path, sizeof path, "%s/log.pub", dir);
    fprintf(stderr, "sbrguard: note: no --key: checking signatures with %s from the export itself\n", path);
    return au_vkey_load_file(path, k);
}

static int fail_log(const au_failure *f)
{
    cli_fail("%s", f->msg);
    return EXIT_FAILED;
}

static int cert_hashes(const char *path, uint8_t cert[32], uint8_t tbs[32])
{
    size_t len;
    uint8_t *der = cli_read_der(path, &len);
    if (!der)
        return -1;
    int rc = au_cert_hashes(der, len, cert, tbs);
    free(der);
    return rc ? cli_fail("%s: not a DER or PEM certificate", path) : 0;
}

static int proof_inclusion(const char *cert, const char *dir, const char *key, const char *out)
{
    au_vkey k;
    au_log l;
    au_failure f;
    uint8_t ch[32], th[32], root[32], proof[AU_MAX_PROOF * AU_HASH_LEN];
    char r64[64], err[512];
    if (proof_key(key, dir, &k) || cert_hashes(cert, ch, th))
        return EXIT_USAGE;
    if (au_log_checkpoint(&l, dir, &k, &f) || au_log_entries(&l, &f)) {
        au_log_free(&l);
        return fail_log(&f);
    }
    int rc = EXIT_FAILED;
    int64_t idx = -1;
    au_entry e;
    au_mth(l.leaves, l.n, root);
    if (memcmp(root, l.cp.root, 32)) {
        cli_fail("%s: the entries do not give the checkpoint's root (run audit verify)", dir);
        goto out;
    }
    for (uint64_t i = 0; i < l.n && idx < 0; i++) {
        if (au_entry_parse(l.entries[i].p, l.entries[i].len, i, &e, err, sizeof err)) {
            cli_fail("entry %llu: %s (run audit verify)", (unsigned long long)i, err);
            goto out;
        }
        if (e.event == AU_EV_ISSUE_ACCEPTED &&
            (e.flags & AU_F_PREAUTHORIZED ? !memcmp(e.tbs_hash, th, 32) : !memcmp(e.cert_hash, ch, 32)))
            idx = (int64_t)i;
    }
    printf("certificate: %s\nsha256: ", cert);
    hex_line(ch, 32);
    if (idx < 0) {
        cli_fail("%s is in no accepted-issuance entry of the log in %s (tree size %llu)", cert, dir,
                 (unsigned long long)l.n);
        goto out;
    }
    size_t cnt;
    const uint8_t *leaf = l.leaves + idx * AU_HASH_LEN;
    b64(l.cp.root, 32, r64, sizeof r64);
    char when[32];
    printf("entry: %lld (issue-accepted%s, token time %s)\nleaf hash: ", (long long)idx,
           e.flags & AU_F_PREAUTHORIZED ? ", pre-authorized: matched by its TBS hash" : "",
           au_time_iso(e.time, when, sizeof when));
    hex_line(leaf, 32);
    printf("checkpoint: %s, tree size %llu, root %s (signature verified, key ID %08x)\n", l.cp.origin,
           (unsigned long long)l.cp.size, r64, (unsigned)l.cp.key_id);
    au_inclusion_proof(l.leaves, l.n, (uint64_t)idx, proof, AU_MAX_PROOF, &cnt);
    printf("inclusion proof: %zu hashes\n", cnt);
    for (size_t i = 0; i < cnt; i++) {
        printf("  ");
        hex_line(proof + i * AU_HASH_LEN, 32);
    }
    if (au_inclusion_verify((uint64_t)idx, l.n, leaf, proof, cnt, l.cp.root)) {
        printf("inclusion: FAILED\n");
        cli_fail("the inclusion proof of entry %lld does not verify against the checkpoint", (long long)idx);
        goto out;
    }
    printf("inclusion: OK (RFC 9162 2.1.3.2: entry %lld is in the checkpointed tree of %llu entries)\n", (long long)idx,
           (unsigned long long)l.n);
    if (out) { /* c2sp.org/tlog-proof@v1 */
        FILE *fp = fopen(out, "w");
        if (!fp) {
            cli_fail("%s: %s", out, strerror(errno));
            goto out;
        }
        fprintf(fp, "c2sp.org/tlog-proof@v1\nindex %lld\n", (long long)idx);
        for (size_t i = 0; i < cnt; i++) {
            char h64[64];
            b64(proof + i * AU_HASH_LEN, 32, h64, sizeof h64);
            fprintf(fp, "%s\n", h64);
        }
        fputc('\n', fp);
        fwrite(l.cp_raw, 1, l.cp_len, fp);
        if (fclose(fp)) {
            cli_fail("%s: %s", out, strerror(errno));
            goto out;
        }
        printf("tlog-proof: %s\n", out);
    }
    rc = 0;
out:
    au_log_free(&l);
    return rc;
}

static int read_checkpoint(const char *path, const au_vkey *k, au_checkpoint *c)
{
    size_t len;
    char err[512];
    uint8_t *b = au_read(path, NULL, &len, 1u << 16);
    if (!b)
        return cli_fail("%s: %s", path, strerror(errno));
    int rc = au_checkpoint_verify(b, len, k, c, err, sizeof err);
    free(b);
    return rc ? cli_fail("%s: %s", path, err) : 0;
}

static int proof_consistency(const char *oldf, const char *newf, const char *dir, const char *key)
{
    au_vkey k;
    au_checkpoint c1, c2;
    au_log l;
    au_failure f;
    uint8_t r[32], proof[AU_MAX_PROOF * AU_HASH_LEN];
    char r64[64];
    size_t cnt = 0;
    if (proof_key(key, dir, &k))
        return EXIT_USAGE;
    if (read_checkpoint(oldf, &k, &c1) || read_checkpoint(newf, &k, &c2))
        return EXIT_FAILED;
    if (strcmp(c1.origin, c2.origin))
        return cli_fail("%s and %s are checkpoints of different logs (%s, %s)", oldf, newf, c1.origin, c2.origin);
    b64(c1.root, 32, r64, sizeof r64);
    printf("old: %s, tree size %llu, root %s\n", oldf, (unsigned long long)c1.size, r64);
    b64(c2.root, 32, r64, sizeof r64);
    printf("new: %s, tree size %llu, root %s\n", newf, (unsigned long long)c2.size, r64);
    if (c1.size > c2.size) {
        printf("consistency: FAILED\n");
        return cli_fail("%s (tree size %llu) is newer than %s (tree size %llu): the older checkpoint is presented as "
                        "newer",
                        oldf, (unsigned long long)c1.size, newf, (unsigned long long)c2.size);
    }
    /* The proof is computed from the hash tiles, the way a tlog-tiles client does. */
    if (au_log_checkpoint(&l, dir, &k, &f) || au_log_leaves_from_tiles(&l, &f)) {
        au_log_free(&l);
        return fail_log(&f);
    }
    int rc = EXIT_FAILED;
    au_mth(l.leaves, l.n, r);
    if (memcmp(r, l.cp.root, 32)) {
        cli_fail("%s: the level-0 hash tiles do not give the checkpoint's root (run audit verify)", dir);
        goto out;
    }
    if (c2.size > l.n) {
        cli_fail("%s holds %llu entries, fewer than %s's %llu: export the log again", dir, (unsigned long long)l.n,
                 newf, (unsigned long long)c2.size);
        goto out;
    }
    au_mth(l.leaves, c2.size, r);
    if (memcmp(r, c2.root, 32)) {
        printf("consistency: FAILED\n");
        cli_fail("%s: the tree of the export at size %llu does not have %s's root", dir, (unsigned long long)c2.size,
                 newf);
        goto out;
    }
    if (c1.size && au_consistency_proof(l.leaves, c2.size, c1.size, proof, AU_MAX_PROOF, &cnt))
        goto out;
    printf("consistency proof: %zu hashes\n", cnt);
    for (size_t i = 0; i < cnt; i++) {
        printf("  ");
        hex_line(proof + i * AU_HASH_LEN, 32);
    }
    if (au_consistency_verify(c1.size, c2.size, c1.root, c2.root, proof, cnt)) {
        printf("consistency: FAILED\n");
        cli_fail("the consistency proof from %llu to %llu entries does not verify: %s is not a prefix of %s",
                 (unsigned long long)c1.size, (unsigned long long)c2.size, oldf, newf);
        goto out;
    }
    printf("consistency: OK (RFC 9162 2.1.4.2: the tree of %llu entries is a prefix of the tree of %llu)\n",
           (unsigned long long)c1.size, (unsigned long long)c2.size);
    rc = 0;
out:
    au_log_free(&l);
    return rc;
}

static int audit_proof(const cli_args *a)
{
    aopt o[] = { { "--inclusion", 1, 0, 0 }, { "--consistency", 1, 0, 0 }, { "--key", 1, 0, 0 }, { "--out", 1, 0, 0 } };
    const char *pos[2];
    int np;
    if (parse(a, o, 4, pos, 2, &np))
        return EXIT_USAGE;
    if (o[0].set && !o[1].set && np == 1)
        return proof_inclusion(o[0].value, pos[0], o[2].value, o[3].value);
    if (o[1].set && !o[0].set && np == 2 && !o[3].set)
        return proof_consistency(o[1].value, pos[0], pos[1], o[2].value);
    return cli_fail("usage: sbrguard audit proof --inclusion CERT DIR [--key LOGKEY.pub] [--out FILE.tlog-proof]\n"
                    "       sbrguard audit proof --consistency OLD NEW DIR [--key LOGKEY.pub]")
               ? EXIT_USAGE
               : 0;
}

/* --- audit export ------------------------------------------------------------------ */

int audit_export(const cli_args *a);

/* --- audit ack: the security officer frees log space after an export ----------------- */

/* The export must be verified (audit verify) before it is acknowledged: the
 * token checks only that the checkpoint is its own and matches its tree. */
static int audit_ack(const cli_args *a)
{
    static const char *const known[] = { "--so-pin", NULL };
    const char *so = cli_opt(a, "--so-pin");
    char path[4096];
    if (a->argc < 1 || a->argv[0][0] == '-')
        return cli_fail("usage: sbrguard audit ack DIR --so-pin SOPIN") ? EXIT_USAGE : 0;
    cli_args rest = { a->argc - 1, a->argv + 1 };
    if (cli_check(&rest, known))
        return EXIT_USAGE;
    so = so ? so : getenv("SBRGUARD_SO_PIN");
    if (!so)
        return cli_fail("security officer PIN needed: --so-pin PIN or SBRGUARD_SO_PIN") ? EXIT_USAGE : 0;
    if (snprintf(path, sizeof path, "%s/checkpoint", a->argv[0]) >= (int)sizeof path)
        return cli_fail("DIR path too long") ? EXIT_USAGE : 0;
    size_t len;
    uint8_t *note = cli_read_file(path, &len);
    if (!note)
        return 1;
    sg_client *c;
    uint64_t min = 0;
    uint32_t free_bytes = 0;
    int rc = cli_connect(&c);
    if (!rc) {
        if ((rc = sg_login(c, SG_USER_SO, so, strlen(so))))
            rc = cli_token_fail(c, rc, "SO login");
        else if ((rc = sg_log_ack(c, (const char *)note, len, &min, &free_bytes)))
            rc = cli_token_fail(c, rc, "log ack");
        else
            printf("acknowledged %s: entries below %llu freed, %u bytes of log free\n", path,
                   (unsigned long long)min, free_bytes);
        sg_free(c);
    }
    free(note);
    return rc ? 1 : 0;
}

int cmd_audit(cli_args *a)
{
    if (a->argc < 1)
        return cli_fail("usage: sbrguard audit export|verify|report|proof|ack ... (see sbrguard audit --help)") ? EXIT_USAGE : 0;
    cli_args rest = { a->argc - 1, a->argv + 1 };
    if (!strcmp(a->argv[0], "export"))
        return audit_export(&rest);
    if (!strcmp(a->argv[0], "verify"))
        return audit_verify(&rest);
    if (!strcmp(a->argv[0], "proof"))
        return audit_proof(&rest);
    if (!strcmp(a->argv[0], "ack"))
        return audit_ack(&rest);
    if (!strcmp(a->argv[0], "report"))
        return audit_report(rest.argc, rest.argv);
    return cli_fail("unknown audit command '%s': export, verify, report, proof or ack", a->argv[0]) ? EXIT_USAGE : 0;
}
