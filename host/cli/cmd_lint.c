/* SPDX-License-Identifier: Apache-2.0 */
/* sbrguard lint: the token's policy engine on the host, same decision. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "sbrguard/evidence.h"
#include "../../policy/pol.h"
#include "../../policy/pol_blocklist.h"
#include "../../policy/pol_evidence.h"
#include "cli.h"
#include "mbedtls/sha256.h"

#define EXIT_REFUSED 1
#define EXIT_UNREADABLE 2

static void report(const char *file, const pol_decision *d, int json, int first)
{
    int ok = d->verdict == POL_ACCEPT;
    if (!json) {
        printf("%s: %s (%s/%s)\n", file, ok ? "accepted" : "refused", pol_type_name(d->type), pol_gen_name(d->gen));
        for (uint16_t i = 0; i < d->n; i++) {
            const pol_rule *r = pol_rule_at(d->findings[i]);
            printf("  %s [SBR %s] %s\n", r->code, r->section, r->message);
        }
        if (d->dropped)
            printf("  (%u more findings not recorded)\n", d->dropped);
        return;
    }
    printf("%s{\"file\":", first ? "" : ",\n ");
    cli_json_str(file);
    printf(",\"verdict\":\"%s\",\"type\":\"%s\",\"generation\":\"%s\",\"findings\":[", ok ? "accept" : "refuse",
           pol_type_name(d->type), pol_gen_name(d->gen));
    for (uint16_t i = 0; i < d->n; i++) {
        const pol_rule *r = pol_rule_at(d->findings[i]);
        printf("%s{\"code\":", i ? "," : "");
        cli_json_str(r->code);
        printf(",\"section\":");
        cli_json_str(r->section);
        printf(",\"message\":");
        cli_json_str(r->message);
        printf("}");
    }
    printf("],\"dropped\":%u}", d->dropped);
}

/* The token compares 8-byte prefixes (docs/blocklist.md); the host has the
 * whole hashes and says whether a hit is the key itself or a prefix
 * collision. The decision stays the token's: refused either way. */
static void confirm_blocklist_hit(const char *file, const uint8_t *tbs, size_t tbs_len, const pol_decision *d,
                                  const sg_blocklist *bl)
{
    static pol_workspace ws;
    const uint8_t *spki;
    size_t sl;
    uint8_t h[32];
    for (uint16_t i = 0; i < d->n; i++)
        if (!strcmp(pol_rule_at(d->findings[i])->code, "sbr.6.1.1.3.key.compromised")) {
            int full = pol_tbs_spki(tbs, tbs_len, &ws, &spki, &sl) == 0 && mbedtls_sha256(spki, sl, h, 0) == 0 &&
                       sg_blocklist_contains(bl, h);
            fprintf(stderr, "%s: blocklist hit %s\n", file,
                    full ? "confirmed: the key's whole SHA-256 is listed"
                         : "NOT confirmed: only the 8-byte prefix matches (a collision, docs/blocklist.md)");
            return;
        }
}

/* A Certificate's first element is the TBS SEQUENCE; a TBS starts with
 * [0] version or the serial INTEGER. */
static int is_certificate(const uint8_t *p, size_t len)
{
    const uint8_t *tbs;
    size_t tl;
    return pol_cert_tbs(p, len, &tbs, &tl) == 0 && tl < len && tbs[0] == 0x30;
}

/* The evidence trust of --va-key (SPKI TLVs), --caa-domain (IA5String TLVs)
 * and --mpic-from, as a CA policy bundle would give it. */
static int lint_trust(const cli_args *a, pol_ev_trust *t, size_t kcap, size_t ccap)
{
    uint8_t *keys = (uint8_t *)t->va_keys.p, *caa = (uint8_t *)t->caa_domains.p;
    const char *mf = cli_opt(a, "--mpic-from");
    for (int i = 0; i + 1 < a->argc; i++) {
        const char *o = a->argv[i], *v = a->argv[i + 1];
        size_t n;
        if (!strcmp(o, "--va-key")) {
            if (cli_va_spki(v, keys + t->va_keys.len, kcap - t->va_keys.len, &n))
                return -1;
            t->va_keys.len += n;
        } else if (!strcmp(o, "--caa-domain")) {
            n = strlen(v);
            if (n == 0 || n > SG_EV_MAX_DOMAIN_LEN || n + 3 > ccap - t->caa_domains.len)
                return cli_fail("--caa-domain '%s': 1 to %d characters", v, SG_EV_MAX_DOMAIN_LEN);
            caa[t->caa_domains.len] = 0x16;
            /* DER length: one octet below 128, else 0x81 and one octet. */
            if (n < 0x80) {
                caa[t->caa_domains.len + 1] = (uint8_t)n;
                t->caa_domains.len += 2;
            } else {
                caa[t->caa_domains.len + 1] = 0x81;
                caa[t->caa_domains.len + 2] = (uint8_t)n;
                t->caa_domains.len += 3;
            }
            memcpy(caa + t->caa_domains.len, v, n);
            t->caa_domains.len += n;
        } else {
            continue;
        }
        i++;
    }
    if (!t->va_keys.len)
        return cli_fail("--evidence needs at least one --va-key");
    if (mf && cli_parse_time(mf, 0, &t->mpic_from))
        return cli_fail("--mpic-from: '%s' is not a time", mf);
    const char *sk = cli_opt(a, "--skew");
    char *end;
    if (sk && ((t->skew = strtoll(sk, &end, 10)) < 0 || !*sk || *end))
        return cli_fail("--skew: '%s' is not a number of seconds", sk);
    return 0;
}

int cmd_lint(cli_args *a)
{
    static const char *const known[] = { "--ca", "--at", "--format", NULL };
    static const char *const with_value[] = { "--ca", "--at", "--now", "--format", "--evidence", "--va-key",
                                              "--caa-domain", "--mpic-from", "--skew", "--blocklist", NULL };
    static pol_workspace w, wca;
    static uint8_t keys[16384], caa[4096];
    const char *ca_file = cli_opt(a, "--ca"), *at = cli_opt(a, "--at"), *fmt = cli_opt(a, "--format");
    const char *ev_file = cli_opt(a, "--evidence"), *bl_file = cli_opt(a, "--blocklist");
    sg_blocklist bl = { 0 };
    pol_blocklist blv = { 0 };
    pol_ev_trust trust = { { keys, 0 }, { caa, 0 }, SG_EV_MPIC_FROM, 0 };
    uint8_t *ev = NULL;
    size_t ev_len = 0;
    pol_ca ca;
    uint8_t *ca_der = NULL;
    size_t ca_len;
    int64_t at_time = 0;
    int json = fmt && !strcmp(fmt, "json"), rc = 0, nfiles = 0;
    if (cli_flag(a, "--rules")) {
        for (size_t i = 0; i < pol_rule_count(); i++) {
            const pol_rule *r = pol_rule_at(i);
            printf("%-40s SBR %-14s %s\n", r->code, r->section, r->message);
        }
        return 0;
    }
    /* cli_check takes every non-option as unknown: files are checked here. */
    for (int i = 0; i < a->argc; i++) {
        const char *s = a->argv[i];
        int value = 0;
        for (const char *const *k = with_value; *k; k++)
            value |= !strcmp(s, *k);
        if (value) {
            if (++i >= a->argc)
                return cli_fail("option %s needs a value", s) ? EXIT_UNREADABLE : 0;
        } else if (s[0] == '-' && s[1]) {
            cli_fail("unknown option '%s' (see --help)", s);
            return EXIT_UNREADABLE;
        } else {
            nfiles++;
        }
    }
    (void)known;
    if (fmt && !json && strcmp(fmt, "text"))
        return cli_fail("--format must be text or json") ? EXIT_UNREADABLE : 0;
    if (!nfiles)
        return cli_fail("lint needs at least one certificate or TBS file (see --help)") ? EXIT_UNREADABLE : 0;
    if (!at)
        at = cli_opt(a, "--now");
    if (at && cli_parse_time(at, 0, &at_time))
        return cli_fail("--at: '%s' is not seconds since 1970 or YYYY-MM-DDTHH:MM:SSZ", at) ? EXIT_UNREADABLE : 0;
    if (ev_file && lint_trust(a, &trust, sizeof keys, sizeof caa))
        return EXIT_UNREADABLE;
    if (!ev_file && (cli_opt(a, "--va-key") || cli_opt(a, "--caa-domain") || cli_opt(a, "--mpic-from") ||
                     cli_opt(a, "--skew")))
        return cli_fail("--va-key, --caa-domain and --mpic-from go with --evidence") ? EXIT_UNREADABLE : 0;
    if (ev_file && !(ev = cli_read_der(ev_file, &ev_len)))
        return EXIT_UNREADABLE;
    if (bl_file) {
        /* The signed file (structure as the token checks it) or a plain list. */
        size_t bl_len;
        uint8_t *raw = cli_read_file(bl_file, &bl_len);
        int brc = raw ? sg_blocklist_read(raw, bl_len, NULL, 0, &bl) : SG_E_ARGS;
        free(raw);
        if (brc) {
            cli_fail("--blocklist %s: not a blocklist (docs/blocklist.md: signed file or one hex SHA-256 a line)",
                     bl_file);
            return EXIT_UNREADABLE;
        }
        sg_blocklist_view(&bl, &blv);
    }
    if (ca_file) {
        ca_der = cli_read_der(ca_file, &ca_len);
        if (!ca_der || pol_ca_from_cert(ca_der, ca_len, &wca, &ca)) {
            cli_fail("--ca %s: not a DER or PEM X.509 certificate", ca_file);
            free(ca_der);
            return EXIT_UNREADABLE;
        }
    }
    if (json)
        printf("[");
    int first = 1;
    for (int i = 0; i < a->argc; i++) {
        const char *s = a->argv[i];
        if (s[0] == '-' && s[1]) {
            i++;
            continue;
        }
        size_t len;
        uint8_t *der = cli_read_der(s, &len);
        if (!der) {
            rc = EXIT_UNREADABLE;
            continue;
        }
        const uint8_t *tbs = der;
        size_t tbs_len = len;
        if (is_certificate(der, len))
            pol_cert_tbs(der, len, &tbs, &tbs_len);
        pol_ctx ctx = { .now = at_time, .ca = ca_file ? &ca : NULL, .not_before_skew = 0,
                        .blocklist = bl_file ? &blv : NULL };
        if (!at && pol_tbs_not_before(tbs, tbs_len, &w, &ctx.now))
            ctx.now = (int64_t)time(NULL);
        pol_decision d;
        pol_check(tbs, tbs_len, &ctx, &w, &d);
        if (ev_file) /* the token's second judgement, on the same clock */
            pol_evidence_check(tbs, tbs_len, ev, ev_len, &trust, ctx.now, &w, &d);
        report(s, &d, json, first);
        if (bl_file)
            confirm_blocklist_hit(s, tbs, tbs_len, &d, &bl);
        first = 0;
        if (d.verdict != POL_ACCEPT && rc == 0)
            rc = EXIT_REFUSED;
        free(der);
    }
    if (json)
        printf("]\n");
    free(ca_der);
    free(ev);
    sg_blocklist_free(&bl);
    return rc;
}
