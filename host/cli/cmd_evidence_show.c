/* SPDX-License-Identifier: Apache-2.0 */
/* sbrguard evidence show: an evidence record (docs/evidence.md) decoded by
 * the token's own parser (pol_ev_der.c) and printed as "key: value" lines
 * or JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "sbrguard/evidence_enc.h"
#include "../../policy/pol_ev.h"
#include "cli.h"

/* One writer for both forms: JSON, or "key: value" lines indented by depth. */
typedef struct {
    int json, depth;
    uint8_t first[8];
} emit;

static void e_key(emit *e, const char *k)
{
    if (e->json) {
        printf("%s", e->first[e->depth] ? "" : ",");
        if (k)
            printf("\"%s\":", k);
    } else {
        printf("%*s%s%s", 2 * e->depth, "", k ? k : "-", k ? ": " : " ");
    }
    e->first[e->depth] = 0;
}
static void e_end(emit *e)
{
    if (!e->json)
        putchar('\n');
}
static void e_text(emit *e, const char *k, const char *s)
{
    e_key(e, k);
    if (e->json)
        cli_json_str(s);
    else
        fputs(s, stdout);
    e_end(e);
}
static void e_uint(emit *e, const char *k, unsigned long v)
{
    e_key(e, k);
    printf("%lu", v);
    e_end(e);
}
static void e_str(emit *e, const char *k, pol_slice s)
{
    char buf[SG_EV_MAX_MAILBOX_LEN + 1]; /* every string of the format is at most this long */
    size_t n = s.len < sizeof buf - 1 ? s.len : sizeof buf - 1;
    memcpy(buf, s.p, n);
    buf[n] = 0;
    e_text(e, k, buf);
}
static void e_hex(emit *e, const char *k, pol_slice s)
{
    char buf[2 * SG_EV_HASH_LEN + 1];
    for (size_t i = 0; i < s.len && i < SG_EV_HASH_LEN; i++)
        snprintf(buf + 2 * i, 3, "%02x", s.p[i]);
    buf[2 * (s.len < SG_EV_HASH_LEN ? s.len : SG_EV_HASH_LEN)] = 0;
    e_text(e, k, buf);
}
static void e_time(emit *e, const char *k, int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    char s[32];
    if (!gmtime_r(&tt, &tm) || !strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(s, sizeof s, "%lld", (long long)t);
    e_text(e, k, s);
}
static void e_open(emit *e, const char *k, char bracket)
{
    e_key(e, k);
    if (e->json)
        putchar(bracket);
    else
        putchar('\n');
    if (e->depth < 7)
        e->first[++e->depth] = 1;
}
static void e_close(emit *e, char bracket)
{
    if (e->json)
        putchar(bracket);
    if (e->depth)
        e->depth--;
}

static const char *method_name(uint32_t m)
{
    switch (m) {
    case SG_EV_M_DOMAIN: return "3.2.2.1";
    case SG_EV_M_EMAIL: return "3.2.2.2";
    case SG_EV_M_MAIL_SERVER: return "3.2.2.3";
    case SG_EV_M_ACME: return "3.2.2.4";
    case SG_EV_ID_ORGANIZATION: return "3.2.3";
    case SG_EV_ID_INDIVIDUAL: return "3.2.4";
    case SG_EV_ID_AUTHORITY: return "3.2.6";
    default: return "unknown";
    }
}

/* Dotted form of an OID's content. */
static void oid_text(pol_slice o, char *out, size_t cap)
{
    unsigned long v = 0;
    size_t n = 0;
    out[0] = 0;
    for (size_t i = 0; i < o.len && n < cap; i++) {
        v = (v << 7) | (o.p[i] & 0x7F);
        if (o.p[i] & 0x80)
            continue;
        int w = n ? snprintf(out + n, cap - n, ".%lu", v)
                  : snprintf(out, cap, "%lu.%lu", v < 80 ? v / 40 : 2, v < 80 ? v % 40 : v - 80);
        n += w > 0 ? (size_t)w : 0;
        v = 0;
    }
}

static void show_mailbox(emit *e, const pol_ev_mailbox *m)
{
    char num[32];
    e_open(e, NULL, '{');
    e_str(e, "mailbox", m->mailbox);
    e_text(e, "method", method_name(m->method));
    e_uint(e, "method_number", m->method);
    if (m->tls_method) {
        snprintf(num, sizeof num, "3.2.2.4.%u", m->tls_method);
        e_text(e, "tls_br_method", num);
    }
    e_str(e, "requirements", m->reqs);
    e_time(e, "validated_at", m->validated_at);
    if (m->has_rv) {
        e_open(e, "random_value", '{');
        e_time(e, "created_at", m->rv_created);
        e_time(e, "used_at", m->rv_used);
        e_uint(e, "entropy_bits", m->rv_bits);
        e_close(e, '}');
    }
    if (m->has_caa) {
        pol_der n = pol_der_of(m->caa_issuers);
        pol_slice v;
        uint8_t tag;
        e_open(e, "caa", '{');
        e_time(e, "checked_at", m->caa_at);
        e_uint(e, "ttl", m->caa_ttl);
        e_open(e, "issuemail", '[');
        while (pol_der_next(&n, &tag, &v, NULL) == 0)
            e_str(e, NULL, v);
        e_close(e, ']');
        e_close(e, '}');
    }
    if (m->has_mpic) {
        e_open(e, "mpic", '{');
        e_time(e, "corroborated_at", m->mpic_at);
        e_uint(e, "remote_perspectives", m->mpic_remote);
        e_uint(e, "corroborating", m->mpic_ok);
        e_uint(e, "distinct_rirs", m->mpic_rirs);
        e_close(e, '}');
    }
    e_close(e, '}');
}

int cmd_evidence_show(cli_args *a)
{
    static const char *const algs[] = { "sha256WithRSAEncryption", "sha384WithRSAEncryption",
                                        "sha512WithRSAEncryption", "RSASSA-PSS/SHA-256", "RSASSA-PSS/SHA-384",
                                        "RSASSA-PSS/SHA-512", "ecdsa-with-SHA256", "ecdsa-with-SHA384",
                                        "ecdsa-with-SHA512" };
    const char *file = NULL;
    emit e = { cli_flag(a, "--json"), 0, { 1 } };
    int r, alg;
    size_t len;
    uint8_t *der;
    pol_ev ev;
    pol_ev_mailbox m;
    pol_ev_identity id;
    pol_der c;
    char oid[64];
    for (int i = 1; i < a->argc; i++) {
        if (!strcmp(a->argv[i], "--json"))
            continue;
        if (a->argv[i][0] == '-' && a->argv[i][1])
            return cli_fail("unknown option '%s' (see --help)", a->argv[i]) ? 2 : 0;
        if (file)
            return cli_fail("evidence show takes one FILE") ? 2 : 0;
        file = a->argv[i];
    }
    if (!file)
        return cli_fail("evidence show needs a FILE") ? 2 : 0;
    if (!(der = cli_read_der(file, &len)))
        return 2;
    pol_evb b;
    int batched = pol_evb_is(der, len);
    r = batched ? pol_evb_parse(der, len, &b, &ev) : pol_ev_parse(der, len, &ev);
    if (r != POL_EV_OK) {
        cli_fail("%s: %s", file, r == POL_EV_BAD_VERSION ? "evidence format version is not 1 or 2 (sbrguard.evidence.version)"
                                                          : "not evidence of docs/evidence.md (sbrguard.evidence.malformed)");
        free(der);
        return 1;
    }
    alg = pol_sig_alg_id(ev.sig_alg.p, ev.sig_alg.len);
    if (e.json)
        putchar('{');
    if (batched) { /* the record's inclusion in its VA-signed batch, then the record */
        e_open(&e, "batch", '{');
        e_uint(&e, "leaf_index", b.index);
        e_uint(&e, "tree_size", b.size);
        e_hex(&e, "root_hash", b.root);
        e_time(&e, "signed_at", b.signed_at);
        e_hex(&e, "va_key_id", b.va_key_id);
        e_uint(&e, "path_hashes", b.path_len);
        e_close(&e, '}');
    }
    e_uint(&e, "version", ev.version);
    e_hex(&e, "va_key_id", ev.va_key_id);
    e_time(&e, "produced_at", ev.produced_at);
    e_hex(&e, "subject_key_hash", ev.key_hash);
    if (ev.tbs_hash.len)
        e_hex(&e, "tbs_hash", ev.tbs_hash);
    e_text(&e, "signature_algorithm", alg >= 0 && alg < 9 ? algs[alg] : "unknown");
    e_open(&e, "mailboxes", '[');
    c = pol_der_of(ev.mailboxes);
    while (pol_ev_next_mailbox(&c, &m) == 1)
        show_mailbox(&e, &m);
    e_close(&e, ']');
    e_open(&e, "identities", '[');
    c = pol_der_of(ev.identities);
    while (pol_ev_next_identity(&c, &id) == 1) {
        const char *n = cli_attr_name(id.attr_type.p, id.attr_type.len);
        oid_text(id.attr_type, oid, sizeof oid);
        e_open(&e, NULL, '{');
        e_text(&e, "attribute", oid);
        if (n)
            e_text(&e, "name", n);
        e_hex(&e, "value_hash", id.value_hash);
        e_text(&e, "method", method_name(id.method));
        e_uint(&e, "method_number", id.method);
        e_str(&e, "requirements", id.reqs);
        e_time(&e, "validated_at", id.validated_at);
        e_close(&e, '}');
    }
    e_close(&e, ']');
    if (e.json)
        printf("}\n");
    free(der);
    return 0;
}
