/* SPDX-License-Identifier: Apache-2.0 */
/* The audit report as one self-contained HTML file: inline CSS, inline SVG,
 * no script, nothing fetched from anywhere. Words first; hashes only where
 * the hash is what identifies the thing (bundle, blocklist, certificate). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "../../policy/pol.h"
#include "audit_report.h"
#include "mbedtls/base64.h"

static const char css[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;margin:2em auto;"
    "max-width:62em;color:#222;line-height:1.45;padding:0 1em}"
    "h1{font-size:1.7em;margin-bottom:.2em}h2{border-bottom:2px solid #444;padding-bottom:.2em;margin-top:2em}"
    "h3{margin-top:1.6em}table{border-collapse:collapse;margin:.6em 0 1em;width:100%}"
    "th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}th{background:#f0f0f0}"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}"
    ".ok{color:#1b5e20;font-weight:bold}.bad{color:#b71c1c;font-weight:bold}.warn{color:#e65100;font-weight:bold}"
    ".hash{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85em;word-break:break-all}"
    ".code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85em;color:#555}"
    ".muted{color:#666}.figs{display:flex;gap:1em;flex-wrap:wrap;margin:1em 0}"
    ".fig{border:1px solid #ccc;border-radius:6px;padding:.6em 1em;min-width:9em}"
    ".fig b{display:block;font-size:1.8em}svg.chart{max-width:100%;height:auto;display:block;margin:.5em 0}"
    "@media print{h2{page-break-before:always}}";

static void p(FILE *fp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void p(FILE *fp, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(fp, fmt, ap);
    va_end(ap);
}

static void hash_cell(FILE *fp, const uint8_t *h, const char *none)
{
    char hx[65];
    if (ar_zero(h)) {
        p(fp, "<td class=\"muted\">%s</td>", none);
        return;
    }
    ar_hex(h, 32, hx);
    p(fp, "<td class=\"hash\">%s</td>", hx);
}

static void when(FILE *fp, uint64_t t)
{
    char b[40];
    p(fp, "%s", ar_time(t, b, sizeof b));
}

static const char *profile_name(int type, int gen, char *buf, size_t cap)
{
    static const char *const ty[] = { "Mailbox-validated", "Organization-validated", "Sponsor-validated",
                                      "Individual-validated" };
    static const char *const ge[] = { "Legacy", "Multipurpose", "Strict" };
    if (type < 0 || type > 3 || gen < 0 || gen > 2)
        snprintf(buf, cap, "profile not recognized");
    else
        snprintf(buf, cap, "%s, %s", ty[type], ge[gen]);
    return buf;
}

static void verification(FILE *fp, const ar_token *t, int k)
{
    const au_vres *v = &t->v;
    char r64[64], kid[16];
    size_t ol;
    if (mbedtls_base64_encode((unsigned char *)r64, sizeof r64, &ol, v->log.cp.root, 32))
        r64[0] = 0;
    snprintf(kid, sizeof kid, "%08x", (unsigned)v->log.cp.key_id);
    p(fp, "<h3>Verification</h3>\n<p class=\"ok\" id=\"t%d-verified\">The log verifies: every entry, every hash tile "
          "and the signed checkpoint agree.</p>\n<table>\n", k);
    p(fp, "<tr><th>Checkpoint</th><td>signed by the token's log key (key ID <span class=\"hash\">%s</span>), "
          "checked with ", kid);
    ar_esc(fp, t->key_source);
    p(fp, "</td></tr>\n<tr><th>Tree size</th><td><span id=\"t%d-tree-size\">%llu</span> entries, root "
          "<span class=\"hash\">%s</span></td></tr>\n",
      k, (unsigned long long)v->log.cp.size, r64);
    p(fp, "<tr><th>Tiles</th><td><span id=\"t%d-tiles\">%u</span> hash tile%s checked against the entries</td></tr>\n", k,
      v->tiles, v->tiles == 1 ? "" : "s");
    if (v->since_done) {
        p(fp, "<tr><th>Previous audit</th><td>the earlier checkpoint (");
        ar_esc(fp, t->since);
        p(fp, ", %llu entries) is a prefix of this log: consistency proof of %zu hashes verified; this report covers "
              "the entries after it</td></tr>\n",
          (unsigned long long)v->since_size, v->since_proof);
    }
    p(fp, "<tr><th>Entries in this report</th><td><span id=\"t%d-in-scope\">%llu</span> of %llu",
      k, (unsigned long long)t->in_scope, (unsigned long long)v->log.n);
    if (t->in_scope) {
        p(fp, ", token time ");
        when(fp, t->t_min);
        p(fp, " to ");
        when(fp, t->t_max);
    }
    p(fp, "</td></tr>\n</table>\n");
}

static void issuance(FILE *fp, const ar_report *r, const ar_token *t, int k)
{
    char fp1[40], sec[80], prof[80];
    p(fp, "<h3>Issuance decisions</h3>\n<div class=\"figs\">"
          "<div class=\"fig\"><b id=\"t%d-accepted\">%llu</b>certificates signed</div>"
          "<div class=\"fig\"><b id=\"t%d-refused\">%llu</b>requests refused</div>"
          "<div class=\"fig\"><b id=\"t%d-preauthorized\">%llu</b>signed after a separate authorization</div>"
          "<div class=\"fig\"><b id=\"t%d-folded\">%llu</b>refusals counted together (flood rule)</div></div>\n",
      k, (unsigned long long)t->accepted, k, (unsigned long long)t->refused, k, (unsigned long long)t->preauthorized, k,
      (unsigned long long)t->folded);
    p(fp, "<h4>Per CA key</h4>\n<table><tr><th>CA key</th><th>Bound to its CA certificate</th><th class=\"n\">Signed</th>"
          "<th class=\"n\">Refused</th><th class=\"n\">Authorizations granted</th></tr>\n");
    for (size_t i = 0; i < t->nkeys; i++) {
        const ar_key *a = &t->keys[i];
        p(fp, "<tr><td>");
        if (a->handle == 0xfff0 + 1)
            p(fp, "Refusals beyond the flood budget (the log counts them per reason, not per key)");
        else if (a->handle == 0xfff0 + 2)
            p(fp, "Key escrow requests");
        else
            p(fp, "Key %u, %s<br><span class=\"muted\">fingerprint</span> <span class=\"hash\">%s</span>", a->handle,
              ar_key_type(a->key_type), ar_fpr(a->key_id, fp1, sizeof fp1));
        p(fp, "</td><td>");
        if (a->bound_entry >= 0) {
            p(fp, "entry %lld, ", (long long)a->bound_entry);
            when(fp, t->v.parsed[a->bound_entry].time);
        } else {
            p(fp, "<span class=\"muted\">–</span>");
        }
        p(fp, "</td><td class=\"n\">%llu</td><td class=\"n\">%llu</td><td class=\"n\">%llu</td></tr>\n",
          (unsigned long long)a->accepted, (unsigned long long)a->refused, (unsigned long long)a->authorized);
    }
    if (!t->nkeys)
        p(fp, "<tr><td colspan=\"5\" class=\"muted\">no issuance requests in this period</td></tr>\n");
    p(fp, "</table>\n<h4>Per certificate profile (SBR 7.1.6.1)</h4>\n");
    p(fp, "<p class=\"muted\">The log records each certificate's hash, not its profile: the profile is read from the "
          "certificates given to this report.</p>\n<table><tr><th>Profile</th><th class=\"n\">Signed</th></tr>\n");
    for (int a = 0; a < 4; a++)
        for (int b = 0; b < 3; b++)
            if (t->profile_accepted[a][b])
                p(fp, "<tr><td>%s</td><td class=\"n\">%llu</td></tr>\n", profile_name(a, b, prof, sizeof prof),
                  (unsigned long long)t->profile_accepted[a][b]);
    if (t->profile_unknown)
        p(fp, "<tr><td class=\"muted\">certificate not given to the report</td><td class=\"n\">%llu</td></tr>\n",
          (unsigned long long)t->profile_unknown);
    if (!t->accepted)
        p(fp, "<tr><td colspan=\"2\" class=\"muted\">no certificate signed in this period</td></tr>\n");
    p(fp, "</table>\n<h4>Refusals per reason</h4>\n");
    if (!t->nreasons) {
        p(fp, "<p>No request was refused in this period.</p>\n");
        return;
    }
    p(fp, "<table><tr><th>Requirement</th><th>What was wrong</th><th class=\"n\">Requests</th></tr>\n");
    const char *labels[64];
    uint64_t vals[64];
    static char labbuf[64][160];
    size_t nl = 0;
    for (size_t i = 0; i < t->nreasons; i++) {
        const char *msg;
        ar_reason_words(t->reasons[i].code, sec, sizeof sec, &msg);
        p(fp, "<tr><td>");
        ar_esc(fp, sec);
        p(fp, "</td><td>");
        ar_esc(fp, msg[0] ? msg : "(no description)");
        p(fp, "<br><span class=\"code\">");
        ar_esc(fp, t->reasons[i].code);
        p(fp, "</span></td><td class=\"n\">%llu</td></tr>\n", (unsigned long long)t->reasons[i].count);
        if (nl < 64) {
            snprintf(labbuf[nl], sizeof labbuf[nl], "%.70s: %.70s", sec, msg[0] ? msg : t->reasons[i].code);
            labels[nl] = labbuf[nl];
            vals[nl++] = t->reasons[i].count;
        }
    }
    p(fp, "</table>\n");
    ar_svg_bars(fp, "Refused requests per reason", labels, vals, nl, "#c62828");
    (void)r;
}

static void history(FILE *fp, const ar_token *t, int policy)
{
    const ar_run *runs = policy ? t->pol : t->blk;
    size_t n = policy ? t->npol : t->nblk;
    p(fp, "<h3>%s</h3>\n<table><tr><th>In force</th><th>Entries</th><th>%s</th><th>SHA-256</th></tr>\n",
      policy ? "Policy bundle in force" : "Compromised-key blocklist in force (SBR 6.1.1.3)",
      policy ? "Bundle" : "Blocklist");
    for (size_t i = 0; i < n; i++) {
        const ar_run *u = &runs[i];
        p(fp, "<tr><td>");
        when(fp, u->t_first);
        p(fp, " to ");
        when(fp, u->t_last);
        p(fp, "</td><td>%llu to %llu</td><td>", (unsigned long long)u->first, (unsigned long long)u->last);
        if (ar_zero(u->hash))
            p(fp, policy ? "<span class=\"warn\">none loaded: CA keys sign nothing</span>"
                         : "<span class=\"muted\">none loaded</span>");
        else if (u->load_entry >= 0 && policy)
            p(fp, "version %llu, loaded at entry %lld", (unsigned long long)u->value, (long long)u->load_entry);
        else if (u->load_entry >= 0)
            p(fp, "list number %llu (%llu keys), loaded at entry %lld", (unsigned long long)(u->value >> 32),
              (unsigned long long)(u->value & 0xffffffffu), (long long)u->load_entry);
        else
            p(fp, "loaded before the first entry exported");
        p(fp, "</td>");
        hash_cell(fp, u->hash, "–");
        p(fp, "</tr>\n");
    }
    if (!n)
        p(fp, "<tr><td colspan=\"4\" class=\"muted\">no entries in this period</td></tr>\n");
    p(fp, "</table>\n");
}

/* The entries of a set of events, in scope, one row each. */
static void event_table(FILE *fp, const ar_report *r, const ar_token *t, const char *title, const unsigned *evs,
                        size_t nev, int with_findings)
{
    char words[512];
    size_t rows = 0;
    p(fp, "<h3>%s</h3>\n<table><tr><th class=\"n\">Entry</th><th>Token time</th><th>Event</th><th>What happened</th></tr>\n",
      title);
    for (uint64_t i = 0; i < t->v.log.n; i++) {
        const au_entry *e = &t->v.parsed[i];
        uint64_t from;
        const char *kind;
        int finding = with_findings && au_clock_finding(t->v.parsed, i, t->vo.max_gap, &from, &kind);
        size_t j;
        for (j = 0; j < nev && evs[j] != e->event; j++)
            ;
        if (!ar_in_scope(r, t, i) || (j == nev && !finding))
            continue;
        rows++;
        ar_event_words(e, words, sizeof words);
        p(fp, "<tr><td class=\"n\">%llu</td><td>", (unsigned long long)i);
        when(fp, e->time);
        p(fp, "</td><td>%s</td><td>", ar_event_title(e->event));
        ar_esc(fp, words);
        if (finding && !strcmp(kind, "time-gap")) {
            char d[64];
            p(fp, "<br><span class=\"warn\">flagged: %s without any entry before this one</span>",
              ar_duration(e->time - from, d, sizeof d));
        } else if (finding && e->event != AU_EV_SET_TIME) {
            char d[64];
            p(fp, "<br><span class=\"warn\">the clock went backwards by %s since the previous entry, with no clock "
                  "change logged</span>", ar_duration(from - e->time, d, sizeof d));
        } else if (finding) {
            p(fp, "<br><span class=\"warn\">flagged: clock set backwards</span>");
        }
        p(fp, "</td></tr>\n");
    }
    if (!rows)
        p(fp, "<tr><td colspan=\"4\" class=\"muted\">none in this period</td></tr>\n");
    p(fp, "</table>\n");
}

static void token_section(FILE *fp, const ar_report *r, const ar_token *t, int k)
{
    static const unsigned keys[] = { AU_EV_KEY_GEN, AU_EV_CA_BIND, AU_EV_KEY_DESTROY, AU_EV_CA_UNBIND,
                                     AU_EV_ESCROW, AU_EV_DELIVERY, AU_EV_RECOVERY, AU_EV_ESCROW_REFUSED };
    static const unsigned state[] = { AU_EV_SET_TIME, AU_EV_TOKEN_INIT, AU_EV_RESET, AU_EV_LOG_FULL, AU_EV_PIN_INIT,
                                      AU_EV_PIN_CHANGE, AU_EV_PIN_LOCKOUT, AU_EV_LOG_EXPORT, AU_EV_LOG_ACK };
    p(fp, "<section id=\"token-%d\">\n<h2>Token ", k);
    ar_esc(fp, t->v.log.cp.origin);
    p(fp, "</h2>\n<p class=\"muted\">Export: ");
    ar_esc(fp, t->dir);
    p(fp, "</p>\n");
    verification(fp, t, k);
    issuance(fp, r, t, k);
    p(fp, "<h3>Timeline</h3>\n");
    if (t->in_scope)
        ar_svg_timeline(r, t, fp);
    else
        p(fp, "<p class=\"muted\">No entries in this period.</p>\n");
    history(fp, t, 1);
    history(fp, t, 0);
    event_table(fp, r, t, "Key lifecycle and escrow", keys, sizeof keys / sizeof *keys, 0);
    event_table(fp, r, t, "Clock, resets, initialization, PINs and log space", state, sizeof state / sizeof *state, 1);
    p(fp, "</section>\n");
}

static void certs_section(FILE *fp, const ar_report *r)
{
    char hx[65], prof[80];
    if (!r->ncerts)
        return;
    p(fp, "<section id=\"certs\">\n<h2>Certificates given to the report</h2>\n<table><tr><th>File</th><th>Profile</th>"
          "<th>In the log</th><th>SHA-256</th></tr>\n");
    for (size_t i = 0; i < r->ncerts; i++) {
        const ar_cert *c = &r->certs[i];
        p(fp, "<tr><td>");
        ar_esc(fp, c->path);
        p(fp, "</td><td>%s</td><td>", c->readable ? profile_name(c->type, c->gen, prof, sizeof prof) : "–");
        if (!c->readable) {
            p(fp, "<span class=\"bad\">not a certificate</span>");
        } else if (c->token < 0) {
            p(fp, "<span class=\"bad\">NOT FOUND: no token logged signing it</span>");
        } else {
            const ar_token *t = &r->t[c->token];
            p(fp, "<span class=\"ok\">included</span>: token ");
            ar_esc(fp, t->v.log.cp.origin);
            p(fp, ", entry %lld of the verified tree of %llu, signed ", (long long)c->entry,
              (unsigned long long)t->v.log.cp.size);
            when(fp, t->v.parsed[c->entry].time);
            if (!c->in_scope)
                p(fp, " <span class=\"muted\">(outside this report's period)</span>");
        }
        p(fp, "</td>");
        ar_hex(c->hash, 32, hx);
        p(fp, "<td class=\"hash\">%s</td></tr>\n", c->readable ? hx : "");
    }
    p(fp, "</table>\n</section>\n");
}

void ar_write_html(const ar_report *r, FILE *fp)
{
    char a[40];
    p(fp, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
          "<title>sbrguard enforcement log audit report</title>\n<style>%s</style>\n</head>\n<body>\n", css);
    p(fp, "<h1>Enforcement log audit report</h1>\n<p class=\"muted\">Generated %s by sbrguard audit report from %zu "
          "token export%s. Every figure below comes from logs whose signed checkpoints and Merkle trees were verified "
          "first; a log that does not verify gets no report.</p>\n",
      ar_time((uint64_t)r->generated, a, sizeof a), r->nt, r->nt == 1 ? "" : "s");
    p(fp, "<p>Audit period: <b id=\"period\">");
    if (!r->has_from && !r->has_to)
        p(fp, "the whole log");
    if (r->has_from) {
        p(fp, "from ");
        when(fp, (uint64_t)r->from);
    }
    if (r->has_to) {
        p(fp, "%suntil ", r->has_from ? " " : "");
        when(fp, (uint64_t)r->to);
        p(fp, " (exclusive)");
    }
    p(fp, "</b> (token time)</p>\n<h2>Overview</h2>\n<table><tr><th>Token</th><th>Log</th><th class=\"n\">Entries</th>"
          "<th class=\"n\">Certificates signed</th><th class=\"n\">Requests refused</th></tr>\n");
    for (size_t k = 0; k < r->nt; k++) {
        const ar_token *t = &r->t[k];
        p(fp, "<tr><td><a href=\"#token-%zu\">", k);
        ar_esc(fp, t->v.log.cp.origin);
        p(fp, "</a></td><td class=\"ok\">verified</td><td class=\"n\">%llu</td><td class=\"n\">%llu</td>"
              "<td class=\"n\">%llu</td></tr>\n",
          (unsigned long long)t->in_scope, (unsigned long long)t->accepted, (unsigned long long)t->refused);
    }
    p(fp, "</table>\n");
    for (size_t k = 0; k < r->nt; k++)
        token_section(fp, r, &r->t[k], (int)k);
    certs_section(fp, r);
    p(fp, "<p class=\"muted\">Reason codes are the stable codes of the token's policy rule table (sbrguard lint "
          "--rules); sections refer to the CA/Browser Forum S/MIME Baseline Requirements. Token times are the "
          "token's own clock; clock changes are listed above.</p>\n</body>\n</html>\n");
}
