/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The policy engine against the S/MIME corpus (test/vectors/smime/, made by
 * test/vectors/gen_smime.py): for every row of expected.tsv, pol_check's set
 * of reason codes must equal the expected set exactly. Then every rule of
 * the engine must fail on at least one vector and stay silent on another
 * (rows without a function judge evidence, not the TBS: test_evidence).
 *
 * Runs from the repository root. The judging clock is the row's --at time,
 * else the TBS's notBefore; --ca binds the CA certificate (as `sbrguard lint`
 * does, with no clock skew allowed).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "sbrguard/sbrguard.h"
#include "../../policy/pol_blocklist.h"
#include "../../policy/pol.h"

#define DIR "test/vectors/smime/"
#define MAX_CODES 64
#define MAX_RULES 256

static uint8_t *read_file(const char *name, size_t *len)
{
    char path[512];
    FILE *f;
    uint8_t *buf = NULL;
    long n;
    snprintf(path, sizeof path, DIR "%s", name);
    f = fopen(path, "rb");
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        buf = malloc((size_t)n + 1);
        if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
            free(buf);
            buf = NULL;
        }
        *len = (size_t)n;
    }
    fclose(f);
    return buf;
}

/* YYYY-MM-DDTHH:MM:SSZ or seconds since 1970; 0 on success. */
static int parse_time(const char *s, int64_t *out)
{
    int y, mo, d, h, mi, sec, n = 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (*s && !*end) {
        *out = v;
        return 0;
    }
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 || s[n])
        return -1;
    /* days from civil (proleptic Gregorian) */
    y -= mo <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
    int64_t doy = (153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5 + d - 1;
    int64_t days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
    *out = days * 86400 + h * 3600 + mi * 60 + sec;
    return 0;
}

/* Splits s at sep in place; returns the number of fields. */
static int split(char *s, char sep, char **out, int max)
{
    int n = 0;
    while (n < max) {
        out[n++] = s;
        char *p = strchr(s, sep);
        if (!p)
            break;
        *p = 0;
        s = p + 1;
    }
    return n;
}

static int in_list(const char *code, char **list, int n)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(code, list[i]))
            return 1;
    return 0;
}

/* What `sbrguard lint` judges: a Certificate's TBS, else the bytes as a TBS. */
static void tbs_of(const uint8_t *der, size_t len, const uint8_t **tbs, size_t *tbs_len)
{
    if (pol_cert_tbs(der, len, tbs, tbs_len) == 0 && *tbs_len < len && (*tbs)[0] == 0x30)
        return;
    *tbs = der;
    *tbs_len = len;
}

static unsigned fired[MAX_RULES], silent[MAX_RULES];

/* One row: file, verdict, codes, options, why. Returns 0 when it matched. */
static void run_row(char **f, int lineno)
{
    static pol_workspace w, wca;
    char opts[512], *tok[16], *want[MAX_CODES], codes[1024];
    const char *ca_file = NULL, *at = NULL, *bl_file = NULL;
    sg_blocklist bl = { 0 };
    pol_blocklist blv;
    int ntok, nwant = 0, bad_row = 0;
    size_t len = 0, ca_len = 0;
    uint8_t *der = read_file(f[0], &len), *ca_der = NULL;
    pol_ca ca;
    pol_ctx ctx = { 0 };
    pol_decision d;
    const uint8_t *tbs;
    size_t tbs_len;

    snprintf(opts, sizeof opts, "%s", f[3]);
    ntok = strcmp(opts, "-") ? split(opts, ' ', tok, 16) : 0;
    for (int i = 0; i + 1 < ntok; i += 2) {
        if (!strcmp(tok[i], "--ca"))
            ca_file = tok[i + 1];
        else if (!strcmp(tok[i], "--at"))
            at = tok[i + 1];
        else if (!strcmp(tok[i], "--blocklist"))
            bl_file = tok[i + 1];
        else
            bad_row = 1;
    }
    if (ntok % 2)
        bad_row = 1;
    snprintf(codes, sizeof codes, "%s", f[2]);
    if (strcmp(codes, "-"))
        nwant = split(codes, ',', want, MAX_CODES);
    for (int i = 0; i < nwant; i++)
        if (pol_rule_find(want[i]) < 0) {
            CHECK(0, "%s [%s]: expected code %s is not a rule of the engine", f[0], f[3], want[i]);
            bad_row = 1;
        }
    if (!der || bad_row || (strcmp(f[1], "accept") && strcmp(f[1], "refuse")) ||
        (!strcmp(f[1], "accept")) != (nwant == 0)) {
        CHECK(0, "%s [%s]: line %d of expected.tsv is unusable (file missing or bad fields)", f[0], f[3], lineno);
        free(der);
        return;
    }
    tbs_of(der, len, &tbs, &tbs_len);
    if (at && parse_time(at, &ctx.now))
        bad_row = 1;
    else if (!at && pol_tbs_not_before(tbs, tbs_len, &w, &ctx.now))
        ctx.now = 0; /* a TBS that is not DER: no notBefore, any clock */
    if (ca_file) {
        ca_der = read_file(ca_file, &ca_len);
        if (!ca_der || pol_ca_from_cert(ca_der, ca_len, &wca, &ca))
            bad_row = 1;
        ctx.ca = &ca;
    }
    if (bl_file) {
        /* The plain list lint --blocklist takes (docs/blocklist.md). */
        size_t bl_len;
        uint8_t *raw = read_file(bl_file, &bl_len);
        if (!raw || sg_blocklist_read(raw, bl_len, NULL, 0, &bl))
            bad_row = 1;
        free(raw);
        sg_blocklist_view(&bl, &blv);
        ctx.blocklist = &blv;
    }
    if (bad_row) {
        sg_blocklist_free(&bl);
        CHECK(0, "%s [%s]: options of line %d cannot be used", f[0], f[3], lineno);
        free(der);
        free(ca_der);
        return;
    }

    pol_check(tbs, tbs_len, &ctx, &w, &d);
    sg_blocklist_free(&bl);

    /* got - want, want - got */
    char extra[1024] = "", missing[1024] = "", got[1024] = "";
    int match = d.dropped == 0 && (d.verdict == POL_ACCEPT) == (nwant == 0) &&
                (d.verdict == POL_ACCEPT || d.verdict == POL_REFUSE);
    char *got_codes[POL_MAX_FINDINGS];
    for (uint16_t i = 0; i < d.n; i++) {
        const pol_rule *r = pol_rule_at(d.findings[i]);
        got_codes[i] = (char *)r->code;
        size_t gl = strlen(got);
        snprintf(got + gl, sizeof got - gl, "%s%s", gl ? "," : "", r->code);
        if (!in_list(r->code, want, nwant)) {
            size_t el = strlen(extra);
            snprintf(extra + el, sizeof extra - el, " +%s", r->code);
            match = 0;
        }
    }
    for (int i = 0; i < nwant; i++)
        if (!in_list(want[i], got_codes, d.n)) {
            size_t ml = strlen(missing);
            snprintf(missing + ml, sizeof missing - ml, " -%s", want[i]);
            match = 0;
        }
    if (match)
        CHECK(1, "%s%s%s: %s", f[0], ca_file || at ? " " : "", ca_file || at ? f[3] : "", d.n ? got : "accept");
    else
        CHECK(0, "%s%s%s: expected %s, got %s;%s%s%s (%s)", f[0], ca_file || at ? " " : "", ca_file || at ? f[3] : "",
              nwant ? f[2] : "accept", d.n ? got : "accept", extra, missing, d.dropped ? " (findings dropped)" : "",
              f[4]);
    for (size_t r = 0; r < pol_rule_count() && r < MAX_RULES; r++) {
        int hit = 0;
        for (uint16_t i = 0; i < d.n; i++)
            hit |= d.findings[i] == r;
        if (hit)
            fired[r]++;
        else
            silent[r]++;
    }
    free(der);
    free(ca_der);
}

int main(void)
{
    FILE *f = fopen(DIR "expected.tsv", "r");
    char line[2048];
    int lineno = 0, rows = 0;
    CHECK(f != NULL, "open " DIR "expected.tsv (run from the repository root)");
    if (!f)
        return 1;
    CHECK(pol_rule_count() <= MAX_RULES, "the engine has %zu rules", pol_rule_count());
    while (fgets(line, sizeof line, f)) {
        char *fields[8];
        lineno++;
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0] || line[0] == '#')
            continue;
        if (split(line, '\t', fields, 8) != 5) {
            CHECK(0, "expected.tsv line %d has not 5 tab-separated fields", lineno);
            continue;
        }
        run_row(fields, lineno);
        rows++;
    }
    fclose(f);
    CHECK(rows > 0, "expected.tsv has %d rows", rows);

    /* Coverage: every rule fails somewhere and passes somewhere. */
    char no_fail[4096] = "", no_pass[4096] = "";
    for (size_t r = 0; r < pol_rule_count() && r < MAX_RULES; r++) {
        const char *code = pol_rule_at(r)->code;
        if (!pol_rule_at(r)->violated) /* evidence rows: test_evidence covers them */
            continue;
        /* The CA's own rules need a bundle: test_bundle.c fails and passes each. */
        if (!fired[r] && strncmp(code, "sbrguard.bundle.", 16)) {
            size_t l = strlen(no_fail);
            snprintf(no_fail + l, sizeof no_fail - l, " %s", code);
        }
        if (!silent[r]) {
            size_t l = strlen(no_pass);
            snprintf(no_pass + l, sizeof no_pass - l, " %s", code);
        }
    }
    CHECK(!no_fail[0], "every one of the %zu rules fires on some vector%s%s", pol_rule_count(),
          no_fail[0] ? "; never fired:" : "", no_fail);
    CHECK(!no_pass[0], "every rule stays silent on some vector%s%s", no_pass[0] ? "; always fired:" : "", no_pass);
    return CHECK_DONE();
}
