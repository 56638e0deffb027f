/* SPDX-License-Identifier: Apache-2.0 */
/* The audit report as data: CSV (one row per entry in the report's scope)
 * and JSON (the same figures as the HTML report). */
#include <stdio.h>
#include <string.h>
#include "audit_report.h"
#include "mbedtls/base64.h"

static void csv_field(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', fp);
        fputc(*s, fp);
    }
    fputc('"', fp);
}

static void hexf(FILE *fp, const uint8_t *h)
{
    char hx[65];
    ar_hex(h, 32, hx);
    fputs(ar_zero(h) ? "" : hx, fp);
}

void ar_write_csv(const ar_report *r, FILE *fp)
{
    char words[512], t[40], reasons[1024], secs[1024];
    fputs("token,entry,time,event,description,ca_key,outcome,reasons,sbr_sections,policy_hash,blocklist_hash\r\n", fp);
    for (size_t k = 0; k < r->nt; k++) {
        const ar_token *tk = &r->t[k];
        for (uint64_t i = 0; i < tk->v.log.n; i++) {
            const au_entry *e = &tk->v.parsed[i];
            if (!ar_in_scope(r, tk, i))
                continue;
            const char *ev = au_event_name(e->event), *outcome = "";
            if (e->event == AU_EV_ISSUE_ACCEPTED || e->event == AU_EV_AUTHZ_ACCEPTED)
                outcome = "accepted";
            else if (e->event == AU_EV_ISSUE_REFUSED || e->event == AU_EV_AUTHZ_REFUSED ||
                     e->event == AU_EV_ESCROW_REFUSED || e->event == AU_EV_REFUSAL_SUMMARY)
                outcome = "refused";
            ar_event_words(e, words, sizeof words);
            size_t ro = 0, so = 0;
            reasons[0] = secs[0] = 0;
            for (unsigned j = 0; j < e->n_reasons; j++) {
                char code[AU_MAX_CODE + 1], sec[80];
                const char *msg;
                memcpy(code, e->reasons[j].code, e->reasons[j].len);
                code[e->reasons[j].len] = 0;
                ar_reason_words(code, sec, sizeof sec, &msg);
                if (e->event == AU_EV_REFUSAL_SUMMARY)
                    ro += (size_t)snprintf(reasons + ro, ro < sizeof reasons ? sizeof reasons - ro : 0, "%s%s x%u",
                                           j ? "; " : "", code, (unsigned)e->reasons[j].count);
                else
                    ro += (size_t)snprintf(reasons + ro, ro < sizeof reasons ? sizeof reasons - ro : 0, "%s%s",
                                           j ? "; " : "", code);
                so += (size_t)snprintf(secs + so, so < sizeof secs ? sizeof secs - so : 0, "%s%s", j ? "; " : "", sec);
            }
            csv_field(fp, tk->v.log.cp.origin);
            fprintf(fp, ",%llu,%s,%s,", (unsigned long long)i, au_time_iso(e->time, t, sizeof t), ev ? ev : "unknown");
            csv_field(fp, words);
            fputc(',', fp);
            hexf(fp, e->key_id);
            fprintf(fp, ",%s,", outcome);
            csv_field(fp, reasons);
            fputc(',', fp);
            csv_field(fp, secs);
            fputc(',', fp);
            hexf(fp, e->policy_hash);
            fputc(',', fp);
            hexf(fp, e->blocklist_hash);
            fputs("\r\n", fp);
        }
    }
}

static void js(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(fp, "\\%c", c);
        else if (c < 0x20)
            fprintf(fp, "\\u%04x", c);
        else
            fputc(c, fp);
    }
    fputc('"', fp);
}

static void jhash(FILE *fp, const uint8_t *h)
{
    if (ar_zero(h)) {
        fputs("null", fp);
        return;
    }
    fputc('"', fp);
    hexf(fp, h);
    fputc('"', fp);
}

static void jtime(FILE *fp, uint64_t t)
{
    char b[40];
    js(fp, au_time_iso(t, b, sizeof b));
}

static void jruns(FILE *fp, const ar_run *u, size_t n, int policy)
{
    fputc('[', fp);
    for (size_t i = 0; i < n; i++) {
        fprintf(fp, "%s{\"sha256\":", i ? "," : "");
        jhash(fp, u[i].hash);
        fprintf(fp, ",\"first_entry\":%llu,\"last_entry\":%llu,\"from\":", (unsigned long long)u[i].first,
                (unsigned long long)u[i].last);
        jtime(fp, u[i].t_first);
        fputs(",\"to\":", fp);
        jtime(fp, u[i].t_last);
        if (u[i].load_entry >= 0) {
            fprintf(fp, ",\"loaded_at_entry\":%lld", (long long)u[i].load_entry);
            if (policy)
                fprintf(fp, ",\"version\":%llu", (unsigned long long)u[i].value);
            else
                fprintf(fp, ",\"list_number\":%llu,\"keys\":%llu", (unsigned long long)(u[i].value >> 32),
                        (unsigned long long)(u[i].value & 0xffffffffu));
        }
        fputc('}', fp);
    }
    fputc(']', fp);
}

static int wanted(unsigned ev, const unsigned *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (set[i] == ev)
            return 1;
    return 0;
}

static void jevents(FILE *fp, const ar_report *r, const ar_token *t, const unsigned *set, size_t n, int findings)
{
    char words[512];
    int first = 1;
    fputc('[', fp);
    for (uint64_t i = 0; i < t->v.log.n; i++) {
        const au_entry *e = &t->v.parsed[i];
        uint64_t from = 0;
        const char *kind = NULL;
        int f = findings && au_clock_finding(t->v.parsed, i, t->vo.max_gap, &from, &kind);
        if (!ar_in_scope(r, t, i) || (!wanted(e->event, set, n) && !f))
            continue;
        ar_event_words(e, words, sizeof words);
        fprintf(fp, "%s{\"entry\":%llu,\"time\":", first ? "" : ",", (unsigned long long)i);
        jtime(fp, e->time);
        fputs(",\"event\":", fp);
        js(fp, au_event_name(e->event));
        fputs(",\"description\":", fp);
        js(fp, words);
        if (f) {
            fputs(",\"finding\":", fp);
            js(fp, kind);
        }
        fputc('}', fp);
        first = 0;
    }
    fputc(']', fp);
}

void ar_write_json(const ar_report *r, FILE *fp)
{
    static const unsigned keys[] = { AU_EV_KEY_GEN, AU_EV_CA_BIND, AU_EV_KEY_DESTROY, AU_EV_CA_UNBIND,
                                     AU_EV_ESCROW, AU_EV_DELIVERY, AU_EV_RECOVERY, AU_EV_ESCROW_REFUSED };
    static const unsigned state[] = { AU_EV_SET_TIME, AU_EV_TOKEN_INIT, AU_EV_RESET, AU_EV_LOG_FULL, AU_EV_PIN_INIT,
                                      AU_EV_PIN_CHANGE, AU_EV_PIN_LOCKOUT, AU_EV_LOG_EXPORT, AU_EV_LOG_ACK };
    char r64[64];
    fputs("{\"report\":\"sbrguard audit report\",\"generated\":", fp);
    jtime(fp, (uint64_t)r->generated);
    fputs(",\"period\":{\"from\":", fp);
    if (r->has_from)
        jtime(fp, (uint64_t)r->from);
    else
        fputs("null", fp);
    fputs(",\"to\":", fp);
    if (r->has_to)
        jtime(fp, (uint64_t)r->to);
    else
        fputs("null", fp);
    fputs("},\"tokens\":[", fp);
    for (size_t k = 0; k < r->nt; k++) {
        const ar_token *t = &r->t[k];
        size_t ol;
        if (mbedtls_base64_encode((unsigned char *)r64, sizeof r64, &ol, t->v.log.cp.root, 32))
            r64[0] = 0;
        fprintf(fp, "%s{\"dir\":", k ? "," : "");
        js(fp, t->dir);
        fputs(",\"origin\":", fp);
        js(fp, t->v.log.cp.origin);
        fprintf(fp, ",\"verification\":{\"result\":\"ok\",\"checkpoint\":{\"size\":%llu,\"root\":\"%s\",\"key_id\":"
                    "\"%08x\"},\"tiles\":%u,\"key_source\":",
                (unsigned long long)t->v.log.cp.size, r64, (unsigned)t->v.log.cp.key_id, t->v.tiles);
        js(fp, t->key_source);
        if (t->v.since_done)
            fprintf(fp, ",\"since\":{\"size\":%llu,\"proof_hashes\":%zu}", (unsigned long long)t->v.since_size,
                    t->v.since_proof);
        fprintf(fp, "},\"entries_in_scope\":%llu,\"accepted\":%llu,\"preauthorized\":%llu,\"refused\":%llu,"
                    "\"refusals_folded\":%llu,\"authorizations\":%llu,\"by_ca_key\":[",
                (unsigned long long)t->in_scope, (unsigned long long)t->accepted, (unsigned long long)t->preauthorized,
                (unsigned long long)t->refused, (unsigned long long)t->folded, (unsigned long long)t->authorized);
        for (size_t i = 0; i < t->nkeys; i++) {
            const ar_key *a = &t->keys[i];
            fprintf(fp, "%s{\"kind\":\"%s\"", i ? "," : "",
                    a->handle == 0xfff1 ? "folded-refusals" : a->handle == 0xfff2 ? "escrow" : "ca-key");
            if (a->handle < 0xfff0) {
                fprintf(fp, ",\"handle\":%u,\"key_type\":", a->handle);
                js(fp, ar_key_type(a->key_type));
                fputs(",\"key_id\":", fp);
                jhash(fp, a->key_id);
            }
            fprintf(fp, ",\"accepted\":%llu,\"preauthorized\":%llu,\"refused\":%llu,\"authorizations\":%llu}",
                    (unsigned long long)a->accepted, (unsigned long long)a->preauthorized,
                    (unsigned long long)a->refused, (unsigned long long)a->authorized);
        }
        fputs("],\"by_profile\":{", fp);
        static const char *const ty[] = { "mailbox", "organization", "sponsor", "individual" };
        static const char *const ge[] = { "legacy", "multipurpose", "strict" };
        int first = 1;
        for (int a = 0; a < 4; a++)
            for (int b = 0; b < 3; b++)
                if (t->profile_accepted[a][b]) {
                    fprintf(fp, "%s\"%s-%s\":%llu", first ? "" : ",", ty[a], ge[b],
                            (unsigned long long)t->profile_accepted[a][b]);
                    first = 0;
                }
        fprintf(fp, "%s\"unknown\":%llu},\"by_reason\":[", first ? "" : ",", (unsigned long long)t->profile_unknown);
        for (size_t i = 0; i < t->nreasons; i++) {
            char sec[80];
            const char *msg;
            ar_reason_words(t->reasons[i].code, sec, sizeof sec, &msg);
            fprintf(fp, "%s{\"code\":", i ? "," : "");
            js(fp, t->reasons[i].code);
            fputs(",\"section\":", fp);
            js(fp, sec);
            fputs(",\"description\":", fp);
            js(fp, msg);
            fprintf(fp, ",\"count\":%llu}", (unsigned long long)t->reasons[i].count);
        }
        fputs("],\"policy_history\":", fp);
        jruns(fp, t->pol, t->npol, 1);
        fputs(",\"blocklist_history\":", fp);
        jruns(fp, t->blk, t->nblk, 0);
        fputs(",\"key_events\":", fp);
        jevents(fp, r, t, keys, sizeof keys / sizeof *keys, 0);
        fputs(",\"state_events\":", fp);
        jevents(fp, r, t, state, sizeof state / sizeof *state, 1);
        fputc('}', fp);
    }
    fputs("],\"certs\":[", fp);
    for (size_t i = 0; i < r->ncerts; i++) {
        const ar_cert *c = &r->certs[i];
        fprintf(fp, "%s{\"file\":", i ? "," : "");
        js(fp, c->path);
        fputs(",\"sha256\":", fp);
        if (c->readable)
            jhash(fp, c->hash);
        else
            fputs("null", fp);
        fprintf(fp, ",\"included\":%s", c->token >= 0 ? "true" : "false");
        if (c->token >= 0) {
            fputs(",\"origin\":", fp);
            js(fp, r->t[c->token].v.log.cp.origin);
            fprintf(fp, ",\"entry\":%lld,\"in_scope\":%s", (long long)c->entry, c->in_scope ? "true" : "false");
        }
        fputc('}', fp);
    }
    fputs("]}\n", fp);
}
