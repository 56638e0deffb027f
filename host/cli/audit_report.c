/* SPDX-License-Identifier: Apache-2.0 */
/* sbrguard audit report: the options, one au_verify_run() per token export
 * (no report over a log that does not verify), and the report's figures. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "../../policy/pol.h"
#include "audit_report.h"
#include "cli.h"

#define EXIT_REFUSED 1
#define EXIT_USAGE 2
#define MAX_TOKENS 16
#define MAX_CERTS 4096

static const char usage[] =
    "usage: sbrguard audit report DIR... [--key LOGKEY]... [--since CHECKPOINT]... [--period FROM..TO]\n"
    "                             [--certs FILE|DIR...] [--max-gap DURATION] [--format html|csv|json] [--out FILE]";

/* --- figures -------------------------------------------------------------------------- */

enum { KIND_CA, KIND_FOLDED, KIND_ESCROW };

static ar_key *key_of(ar_token *t, const uint8_t *id, int kind)
{
    static const uint8_t zeros[AU_HASH_LEN];
    const uint8_t *k = kind == KIND_CA ? id : zeros;
    uint16_t h = kind == KIND_CA ? 0 : (uint16_t)(0xfff0 + kind);
    for (size_t i = 0; i < t->nkeys; i++)
        if (!memcmp(t->keys[i].key_id, k, AU_HASH_LEN) && (kind == KIND_CA ? t->keys[i].handle < 0xfff0 : t->keys[i].handle == h))
            return &t->keys[i];
    ar_key *n = realloc(t->keys, (t->nkeys + 1) * sizeof *n);
    if (!n)
        return NULL;
    t->keys = n;
    n = &t->keys[t->nkeys++];
    memset(n, 0, sizeof *n);
    memcpy(n->key_id, k, AU_HASH_LEN);
    n->handle = h;
    n->bound_entry = -1;
    return n;
}

static int add_reason(ar_token *t, const au_reason *rs, uint64_t count)
{
    for (size_t i = 0; i < t->nreasons; i++)
        if (strlen(t->reasons[i].code) == rs->len && !memcmp(t->reasons[i].code, rs->code, rs->len)) {
            t->reasons[i].count += count;
            return 0;
        }
    ar_reason *n = realloc(t->reasons, (t->nreasons + 1) * sizeof *n);
    if (!n)
        return -1;
    t->reasons = n;
    memcpy(n[t->nreasons].code, rs->code, rs->len);
    n[t->nreasons].code[rs->len] = 0;
    n[t->nreasons++].count = count;
    return 0;
}

/* Runs of one hash field (at offset off of the entry) over the entries in scope. */
static int runs(const ar_report *r, ar_token *t, int policy, ar_run **out, size_t *nout)
{
    unsigned load_ev = policy ? AU_EV_POLICY_LOAD : AU_EV_BLOCKLIST_LOAD;
    for (uint64_t i = 0; i < t->v.log.n; i++) {
        if (!ar_in_scope(r, t, i))
            continue;
        const au_entry *e = &t->v.parsed[i];
        const uint8_t *h = policy ? e->policy_hash : e->blocklist_hash;
        ar_run *last = *nout ? &(*out)[*nout - 1] : NULL;
        if (last && !memcmp(last->hash, h, AU_HASH_LEN) && e->event != load_ev) {
            last->last = i;
            last->t_last = e->time;
            continue;
        }
        ar_run *n = realloc(*out, (*nout + 1) * sizeof *n);
        if (!n)
            return -1;
        *out = n;
        n = &n[(*nout)++];
        n->hash = h;
        n->first = n->last = i;
        n->t_first = n->t_last = e->time;
        n->load_entry = -1;
        n->value = 0;
        for (uint64_t j = i + 1; j-- > 0;) { /* the load that put it in force, in scope or before */
            const au_entry *l = &t->v.parsed[j];
            if (l->event == load_ev && !memcmp(policy ? l->policy_hash : l->blocklist_hash, h, AU_HASH_LEN)) {
                n->load_entry = (int64_t)j;
                n->value = l->value;
                break;
            }
        }
    }
    return 0;
}

static int figures(const ar_report *r, ar_token *t)
{
    const au_entry *p = t->v.parsed;
    int first = 1;
    for (uint64_t i = 0; i < t->v.log.n; i++) {
        const au_entry *e = &p[i];
        if (!ar_in_scope(r, t, i))
            continue;
        t->in_scope++;
        if (first || e->time < t->t_min)
            t->t_min = e->time;
        if (first || e->time > t->t_max)
            t->t_max = e->time;
        first = 0;
        ar_key *k = NULL;
        switch (e->event) {
        case AU_EV_ISSUE_ACCEPTED:
        case AU_EV_ISSUE_REFUSED:
        case AU_EV_AUTHZ_ACCEPTED:
        case AU_EV_AUTHZ_REFUSED:
            if (!(k = key_of(t, e->key_id, KIND_CA)))
                return -1;
            if (!k->handle) {
                k->handle = e->handle;
                k->key_type = e->key_type;
            }
            break;
        case AU_EV_REFUSAL_SUMMARY:
            if (!(k = key_of(t, NULL, KIND_FOLDED)))
                return -1;
            break;
        case AU_EV_ESCROW_REFUSED:
            if (!(k = key_of(t, NULL, KIND_ESCROW)))
                return -1;
            break;
        default:
            break;
        }
        switch (e->event) {
        case AU_EV_ISSUE_ACCEPTED:
            t->accepted++;
            k->accepted++;
            if (e->flags & AU_F_PREAUTHORIZED) {
                t->preauthorized++;
                k->preauthorized++;
            }
            break;
        case AU_EV_AUTHZ_ACCEPTED:
            t->authorized++;
            k->authorized++;
            break;
        case AU_EV_ISSUE_REFUSED:
        case AU_EV_AUTHZ_REFUSED:
        case AU_EV_ESCROW_REFUSED:
            t->refused++;
            k->refused++;
            break;
        case AU_EV_REFUSAL_SUMMARY:
            t->refused += e->value;
            t->folded += e->value;
            k->refused += e->value;
            break;
        default:
            break;
        }
        if (e->event == AU_EV_ISSUE_REFUSED || e->event == AU_EV_AUTHZ_REFUSED || e->event == AU_EV_ESCROW_REFUSED ||
            e->event == AU_EV_REFUSAL_SUMMARY)
            for (unsigned j = 0; j < e->n_reasons; j++)
                if (add_reason(t, &e->reasons[j], e->event == AU_EV_REFUSAL_SUMMARY ? e->reasons[j].count : 1))
                    return -1;
    }
    /* The CA binding that made each key a CA key (the last one before its first use in scope). */
    for (size_t k = 0; k < t->nkeys; k++)
        for (uint64_t i = 0; i < t->v.log.n; i++)
            if (p[i].event == AU_EV_CA_BIND && !memcmp(p[i].key_id, t->keys[k].key_id, AU_HASH_LEN))
                t->keys[k].bound_entry = (int64_t)i;
    for (size_t i = 0; i + 1 < t->nreasons; i++) /* most frequent first */
        for (size_t j = i + 1; j < t->nreasons; j++)
            if (t->reasons[j].count > t->reasons[i].count ||
                (t->reasons[j].count == t->reasons[i].count && strcmp(t->reasons[j].code, t->reasons[i].code) < 0)) {
                ar_reason x = t->reasons[i];
                t->reasons[i] = t->reasons[j];
                t->reasons[j] = x;
            }
    if (runs(r, t, 1, &t->pol, &t->npol) || runs(r, t, 0, &t->blk, &t->nblk))
        return -1;
    return 0;
}

/* --- certificates ------------------------------------------------------------------------ */

static void cert_profile(const uint8_t *der, size_t len, ar_cert *c)
{
    const uint8_t *tbs;
    size_t tl;
    static pol_workspace w;
    pol_decision d;
    int64_t nb = 0;
    c->type = c->gen = -1;
    if (pol_cert_tbs(der, len, &tbs, &tl) || pol_tbs_not_before(tbs, tl, &w, &nb))
        return;
    pol_ctx ctx = { .now = nb };
    pol_check(tbs, tl, &ctx, &w, &d);
    c->type = d.type;
    c->gen = d.gen;
}

static int add_cert_file(ar_report *r, const char *path, char *owned)
{
    if (r->ncerts >= MAX_CERTS) {
        free(owned);
        return cli_fail("--certs: more than %d certificates", MAX_CERTS);
    }
    ar_cert *c = &r->certs[r->ncerts++];
    memset(c, 0, sizeof *c);
    c->path = path;
    c->owned = owned;
    c->token = -1;
    c->entry = -1;
    c->type = c->gen = -1;
    size_t len;
    uint8_t th[AU_HASH_LEN];
    uint8_t *der = cli_read_der(path, &len);
    if (der && !au_cert_hashes(der, len, c->hash, th)) {
        c->readable = 1;
        cert_profile(der, len, c);
        for (size_t k = 0; k < r->nt && c->token < 0; k++) {
            ar_token *t = &r->t[k];
            int64_t e = au_cert_find(t->v.parsed, t->v.log.n, c->hash, th);
            if (e >= 0) {
                c->token = (int)k;
                c->entry = e;
                c->in_scope = ar_in_scope(r, t, (uint64_t)e);
            }
        }
    }
    free(der);
    if (!c->readable)
        fprintf(stderr, "sbrguard: warning: --certs: %s is not a DER or PEM certificate\n", path);
    else if (c->token < 0)
        fprintf(stderr, "sbrguard: warning: %s is in no accepted-issuance entry of the logs given\n", path);
    return 0;
}

static int by_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* FILE, or every regular file of a DIR (as audit verify --certs DIR). The
 * names are kept for the life of the process. */
static int add_certs(ar_report *r, const char *arg)
{
    struct stat st;
    if (stat(arg, &st))
        return cli_fail("--certs %s: %s", arg, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return add_cert_file(r, arg, NULL);
    DIR *d = opendir(arg);
    if (!d)
        return cli_fail("--certs %s: %s", arg, strerror(errno));
    char **names = NULL;
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        char *path;
        if (de->d_name[0] == '.' || asprintf(&path, "%s/%s", arg, de->d_name) < 0)
            continue;
        if (stat(path, &st) || !S_ISREG(st.st_mode)) {
            free(path);
            continue;
        }
        char **nn = realloc(names, (n + 1) * sizeof *nn);
        if (!nn) {
            free(path);
            break;
        }
        names = nn;
        names[n++] = path;
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_str);
    int rc = 0;
    for (size_t i = 0; i < n; i++)
        if (rc)
            free(names[i]);
        else
            rc = add_cert_file(r, names[i], names[i]);
    free(names);
    return rc;
}

/* --- options ------------------------------------------------------------------------------- */

static int parse_when(const char *s, size_t len, int64_t *out)
{
    char buf[64];
    if (len >= sizeof buf - 10)
        return -1;
    memcpy(buf, s, len);
    buf[len] = 0;
    if (len == 10 && buf[4] == '-' && buf[7] == '-') /* a day: its midnight, UTC */
        strcat(buf, "T00:00:00Z");
    return cli_parse_time(buf, (int64_t)time(NULL), out);
}

static int parse_period(const char *s, ar_report *r)
{
    const char *dots = strstr(s, "..");
    if (!dots)
        return cli_fail("--period %s: FROM..TO (either may be empty), times as YYYY-MM-DD, "
                        "YYYY-MM-DDTHH:MM:SSZ or seconds since 1970", s);
    if (dots > s) {
        if (parse_when(s, (size_t)(dots - s), &r->from))
            return cli_fail("--period: cannot read the start '%.*s'", (int)(dots - s), s);
        r->has_from = 1;
    }
    if (dots[2]) {
        if (parse_when(dots + 2, strlen(dots + 2), &r->to))
            return cli_fail("--period: cannot read the end '%s'", dots + 2);
        r->has_to = 1;
    }
    if (r->has_from && r->has_to && r->to <= r->from)
        return cli_fail("--period %s: the end is not after the start", s);
    return 0;
}

/* The first line (the origin) of a checkpoint file. */
static int origin_of(const char *dir, const char *rel, char *out, size_t cap)
{
    size_t len;
    uint8_t *b = au_read(dir, rel, &len, 1u << 16);
    if (!b)
        return -1;
    size_t n = 0;
    while (n < len && b[n] != '\n')
        n++;
    snprintf(out, cap, "%.*s", (int)n, (const char *)b);
    free(b);
    return 0;
}

static int write_out(const ar_report *r, const char *fmt, const char *out)
{
    char tmp[4200];
    FILE *fp = stdout;
    if (out) {
        if (snprintf(tmp, sizeof tmp, "%s.tmp%ld", out, (long)getpid()) >= (int)sizeof tmp)
            return cli_fail("--out: path too long");
        if (!(fp = fopen(tmp, "w")))
            return cli_fail("%s: %s", tmp, strerror(errno));
    }
    if (!strcmp(fmt, "csv"))
        ar_write_csv(r, fp);
    else if (!strcmp(fmt, "json"))
        ar_write_json(r, fp);
    else
        ar_write_html(r, fp);
    if (!out)
        return fflush(stdout) ? cli_fail("stdout: %s", strerror(errno)) : 0;
    if (ferror(fp) | fclose(fp) || rename(tmp, out)) {
        int e = errno;
        unlink(tmp);
        return cli_fail("%s: %s", out, strerror(e));
    }
    return 0;
}

int audit_report(int argc, char **argv)
{
    static ar_token toks[MAX_TOKENS];
    static ar_cert certs[MAX_CERTS];
    ar_report r = { .t = toks, .certs = certs, .generated = (int64_t)time(NULL) };
    const char *keys[MAX_TOKENS], *sinces[MAX_TOKENS], *fmt = "html", *out = NULL, *period = NULL;
    const char *certargs[MAX_CERTS], *gap = NULL;
    uint64_t max_gap = 0;
    size_t nk = 0, ns = 0, nc = 0;
    int rc = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (!strcmp(a, "--key") && more && nk < MAX_TOKENS)
            keys[nk++] = argv[++i];
        else if (!strcmp(a, "--since") && more && ns < MAX_TOKENS)
            sinces[ns++] = argv[++i];
        else if (!strcmp(a, "--period") && more && !period)
            period = argv[++i];
        else if (!strcmp(a, "--max-gap") && more && !gap)
            gap = argv[++i];
        else if (!strcmp(a, "--format") && more)
            fmt = argv[++i];
        else if (!strcmp(a, "--out") && more && !out)
            out = argv[++i];
        else if (!strcmp(a, "--certs") && more) {
            while (i + 1 < argc && strncmp(argv[i + 1], "--", 2) && nc < MAX_CERTS)
                certargs[nc++] = argv[++i];
        } else if (a[0] == '-' && a[1])
            return cli_fail("%s: unknown option, given twice or without its value\n%s", a, usage) ? EXIT_USAGE : 0;
        else if (r.nt < MAX_TOKENS)
            r.t[r.nt++].dir = a;
        else
            return cli_fail("at most %d token exports in one report", MAX_TOKENS) ? EXIT_USAGE : 0;
    }
    if (!r.nt)
        return cli_fail("%s", usage) ? EXIT_USAGE : 0;
    if (strcmp(fmt, "html") && strcmp(fmt, "csv") && strcmp(fmt, "json"))
        return cli_fail("--format must be html, csv or json") ? EXIT_USAGE : 0;
    if (nk && nk != r.nt)
        return cli_fail("--key: give one per DIR, in the same order, or none (each DIR's log.pub is used)") ? EXIT_USAGE
                                                                                                         : 0;
    if (period && parse_period(period, &r))
        return EXIT_USAGE;
    if (gap && au_parse_gap(gap, &max_gap))
        return cli_fail("--max-gap %s: seconds, or a number with s, m, h or d", gap) ? EXIT_USAGE : 0;
    /* Each --since checkpoint goes to the export of the same log (its origin). */
    for (size_t s = 0; s < ns; s++) {
        char o1[AU_MAX_ORIGIN], o2[AU_MAX_ORIGIN];
        size_t k;
        if (origin_of(sinces[s], NULL, o1, sizeof o1))
            return cli_fail("--since %s: %s", sinces[s], strerror(errno)) ? EXIT_USAGE : 0;
        for (k = 0; k < r.nt; k++)
            if (!r.t[k].since && !origin_of(r.t[k].dir, "checkpoint", o2, sizeof o2) && !strcmp(o1, o2))
                break;
        if (k == r.nt)
            return cli_fail("--since %s: a checkpoint of %s, which is none of the exports given", sinces[s], o1)
                       ? EXIT_USAGE
                       : 0;
        r.t[k].since = sinces[s];
    }
    for (size_t k = 0; k < r.nt; k++) {
        ar_token *t = &r.t[k];
        char kp[4200];
        const char *kf = nk ? keys[k] : kp;
        snprintf(kp, sizeof kp, "%s/log.pub", t->dir);
        if (au_vkey_load_file(kf, &t->vo.key))
            return EXIT_USAGE;
        snprintf(t->key_source, sizeof t->key_source,
                 nk ? "the log key given to the auditor (%s)"
                    : "the log key in the export itself (%s); compare it with the token's setup record",
                 kf);
        t->vo.dir = t->dir;
        t->vo.max_gap = max_gap;
        t->vo.since = t->since;
        if (au_verify_run(&t->vo, &t->v)) {
            fprintf(stderr, "audit report: REFUSED: the log in %s does not verify, so no report is drawn over it\n",
                    t->dir);
            cli_fail("%s: %s", t->dir, t->v.f.msg);
            rc = EXIT_REFUSED;
            break;
        }
        t->lo = t->since ? t->v.old.size : 0;
        if (figures(&r, t)) {
            rc = cli_fail("out of memory") ? EXIT_REFUSED : 0;
            break;
        }
    }
    for (size_t i = 0; !rc && i < nc; i++)
        if (add_certs(&r, certargs[i]))
            rc = EXIT_USAGE;
    for (size_t i = 0; !rc && i < r.ncerts; i++) {
        ar_cert *c = &r.certs[i];
        int dup = 0;
        for (size_t j = 0; j < i; j++)
            dup |= r.certs[j].token == c->token && r.certs[j].entry == c->entry;
        if (c->token >= 0 && c->in_scope && !dup) {
            if (c->type >= 0 && c->type < 4 && c->gen >= 0 && c->gen < 3)
                r.t[c->token].profile_accepted[c->type][c->gen]++;
        }
    }
    for (size_t k = 0; !rc && k < r.nt; k++) {
        uint64_t known = 0;
        for (int a = 0; a < 4; a++)
            for (int b = 0; b < 3; b++)
                known += r.t[k].profile_accepted[a][b];
        r.t[k].profile_unknown = r.t[k].accepted - known;
    }
    if (!rc && write_out(&r, fmt, out))
        rc = EXIT_REFUSED;
    if (!rc && out)
        fprintf(stderr, "audit report: %s (%s, %zu token%s)\n", out, fmt, r.nt, r.nt == 1 ? "" : "s");
    for (size_t k = 0; k < r.nt; k++) {
        au_vres_free(&r.t[k].v);
        free(r.t[k].keys);
        free(r.t[k].reasons);
        free(r.t[k].pol);
        free(r.t[k].blk);
    }
    for (size_t i = 0; i < r.ncerts; i++)
        free(r.certs[i].owned);
    return rc;
}
