/* SPDX-License-Identifier: Apache-2.0 */
/* Log entries, format 1, read the way docs/log.md describes them (the
 * auditor does not use the firmware's code or header), and the verifier's
 * summary. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "audit.h"
#include "cli.h"

static const struct {
    uint8_t ev;
    const char *name;
} events[] = {
    { AU_EV_TOKEN_INIT, "token-init" },
    { AU_EV_KEY_GEN, "key-gen" },
    { AU_EV_CA_BIND, "ca-bind" },
    { AU_EV_KEY_DESTROY, "key-destroy" },
    { AU_EV_CA_UNBIND, "ca-unbind" },
    { AU_EV_RESET, "reset" },
    { AU_EV_ISSUE_ACCEPTED, "issue-accepted" },
    { AU_EV_ISSUE_REFUSED, "issue-refused" },
    { AU_EV_AUTHZ_ACCEPTED, "authz-accepted" },
    { AU_EV_AUTHZ_REFUSED, "authz-refused" },
    { AU_EV_REFUSAL_SUMMARY, "refusal-summary" },
    { AU_EV_POLICY_LOAD, "policy-load" },
    { AU_EV_ESCROW, "escrow" },
    { AU_EV_DELIVERY, "delivery" },
    { AU_EV_RECOVERY, "recovery" },
    { AU_EV_ESCROW_REFUSED, "escrow-refused" },
    { AU_EV_BLOCKLIST_LOAD, "blocklist-load" },
    { AU_EV_PIN_LOCKOUT, "pin-lockout" },
    { AU_EV_PIN_INIT, "pin-init" },
    { AU_EV_PIN_CHANGE, "pin-change" },
    { AU_EV_LOG_EXPORT, "log-export" },
    { AU_EV_LOG_ACK, "log-ack" },
    { AU_EV_LOG_FULL, "log-full" },
    { AU_EV_SET_TIME, "set-time" },
};

const char *au_event_name(unsigned ev)
{
    for (size_t i = 0; i < sizeof events / sizeof *events; i++)
        if (events[i].ev == ev)
            return events[i].name;
    return NULL;
}

static int efail(char *err, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int efail(char *err, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, cap, fmt, ap);
    va_end(ap);
    return AU_E_FORMAT;
}

static uint64_t be(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

static int zero(const uint8_t *h)
{
    for (unsigned i = 0; i < AU_HASH_LEN; i++)
        if (h[i])
            return 0;
    return 1;
}

int au_entry_parse(const uint8_t *p, size_t len, uint64_t index, au_entry *e, char *err, size_t cap)
{
    memset(e, 0, sizeof *e);
    if (len < 1)
        return efail(err, cap, "empty entry");
    e->format = p[0];
    if (e->format != AU_ENTRY_FORMAT)
        return efail(err, cap, "format version %u, only %u is known", e->format, AU_ENTRY_FORMAT);
    if (len < AU_ENTRY_FIXED)
        return efail(err, cap, "%zu bytes, shorter than the %u fixed bytes of format 2", len, AU_ENTRY_FIXED);
    if (len > AU_ENTRY_MAX)
        return efail(err, cap, "%zu bytes, longer than the %u bytes an entry may have", len, AU_ENTRY_MAX);
    e->event = p[1];
    e->seq = be(p + 2, 8);
    e->time = be(p + 10, 8);
    e->mech = (uint32_t)be(p + 18, 4);
    e->handle = (uint16_t)be(p + 22, 2);
    e->key_type = p[24];
    e->flags = p[25];
    e->value = be(p + 26, 8);
    e->key_id = p + 34;
    e->policy_hash = p + 66;
    e->tbs_hash = p + 98;
    e->evidence_hash = p + 130;
    e->cert_hash = p + 162;
    e->blocklist_hash = p + 194;
    e->batch_root = p + 226;
    e->n_reasons = p[258];
    const char *name = au_event_name(e->event);
    if (!name)
        return efail(err, cap, "unknown event type 0x%02x", e->event);
    if (e->seq != index)
        return efail(err, cap, "sequence number %llu at index %llu (entries dropped, reordered or inserted)",
                     (unsigned long long)e->seq, (unsigned long long)index);
    if (e->flags & ~(AU_F_PREAUTHORIZED | AU_F_REASONS_TRUNCATED))
        return efail(err, cap, "unknown flags 0x%02x", e->flags);
    if (e->n_reasons > AU_MAX_REASONS)
        return efail(err, cap, "%u reasons, at most %u", e->n_reasons, AU_MAX_REASONS);
    size_t off = AU_ENTRY_FIXED;
    for (unsigned i = 0; i < e->n_reasons; i++) {
        if (len - off < 5)
            return efail(err, cap, "reason %u runs past the end of the entry", i);
        au_reason *r = &e->reasons[i];
        r->count = (uint32_t)be(p + off, 4);
        r->len = p[off + 4];
        r->code = p + off + 5;
        if (r->len < 1 || r->len > AU_MAX_CODE)
            return efail(err, cap, "reason %u: code length %zu, must be 1..%u", i, r->len, AU_MAX_CODE);
        if (len - off - 5 < r->len)
            return efail(err, cap, "reason %u runs past the end of the entry", i);
        for (size_t j = 0; j < r->len; j++)
            if (r->code[j] < 0x20 || r->code[j] > 0x7e)
                return efail(err, cap, "reason %u: code byte 0x%02x is not printable ASCII", i, r->code[j]);
        off += 5 + r->len;
    }
    if (off != len)
        return efail(err, cap, "%zu trailing bytes after the last reason", len - off);
    /* Fields docs/log.md defines per event ("Events" table). */
    int pre = e->flags & AU_F_PREAUTHORIZED;
    int refusal = e->event == AU_EV_ISSUE_REFUSED || e->event == AU_EV_AUTHZ_REFUSED ||
                  e->event == AU_EV_REFUSAL_SUMMARY || e->event == AU_EV_ESCROW_REFUSED;
    switch (e->event) {
    case AU_EV_ISSUE_ACCEPTED:
        if (zero(e->tbs_hash))
            return efail(err, cap, "accepted issuance without a TBS hash");
        if (zero(e->key_id))
            return efail(err, cap, "accepted issuance without a key ID");
        if (pre ? !zero(e->cert_hash) : zero(e->cert_hash))
            return efail(err, cap,
                         pre ? "pre-authorized issuance with a certificate hash (must be zeros)"
                             : "accepted issuance without a certificate hash");
        break;
    case AU_EV_CA_BIND:
        if (zero(e->cert_hash))
            return efail(err, cap, "CA binding without the CA certificate's hash");
        break;
    case AU_EV_LOG_ACK:
        if (e->value > e->seq)
            return efail(err, cap, "acknowledges a tree of %llu entries, more than precede it",
                         (unsigned long long)e->value);
        break;
    case AU_EV_POLICY_LOAD:
        if (zero(e->policy_hash))
            return efail(err, cap, "policy load without the new bundle's hash");
        if (!zero(e->cert_hash))
            return efail(err, cap, "policy-load entry with a certificate hash (must be zeros)");
        break;
    case AU_EV_BLOCKLIST_LOAD:
        if (zero(e->blocklist_hash))
            return efail(err, cap, "blocklist load without the new list's hash");
        if (!zero(e->cert_hash))
            return efail(err, cap, "blocklist-load entry with a certificate hash (must be zeros)");
        break;
    case AU_EV_ESCROW:
    case AU_EV_DELIVERY:
    case AU_EV_RECOVERY:
        if (zero(e->key_id) || zero(e->tbs_hash) || zero(e->cert_hash))
            return efail(err, cap, "%s entry without the escrowed key id, consent hash and CA/transport key hash", name);
        break;
    case AU_EV_LOG_EXPORT:
        if (e->value != e->seq)
            return efail(err, cap, "export entry's value %llu is not its own sequence number",
                         (unsigned long long)e->value);
        /* fall through */
    default:
        if (!zero(e->cert_hash))
            return efail(err, cap, "%s entry with a certificate hash (must be zeros)", name);
    }
    /* batch_root: the VA tree of batched evidence, only beside the evidence hash of a decision (docs/log.md). */
    int decision = e->event == AU_EV_ISSUE_ACCEPTED || e->event == AU_EV_ISSUE_REFUSED ||
                   e->event == AU_EV_AUTHZ_ACCEPTED || e->event == AU_EV_AUTHZ_REFUSED;
    if (!zero(e->batch_root) && (!decision || zero(e->evidence_hash)))
        return efail(err, cap, "batch_root set on a %s entry without an evidence hash (only batched evidence has one)",
                     name);
    if (pre && e->event != AU_EV_ISSUE_ACCEPTED && e->event != AU_EV_ISSUE_REFUSED)
        return efail(err, cap, "pre-authorized flag on a %s entry", name);
    if ((e->event == AU_EV_PIN_LOCKOUT || e->event == AU_EV_PIN_CHANGE || e->event == AU_EV_PIN_INIT) && e->value > 1)
        return efail(err, cap, "PIN lockout of user type %llu (0 SO, 1 user)", (unsigned long long)e->value);
    if (refusal && e->n_reasons == 0)
        return efail(err, cap, "%s entry without a reason code", name);
    if (!refusal && e->n_reasons)
        return efail(err, cap, "%s entry with reason codes (only refusals carry them)", name);
    if (e->event == AU_EV_REFUSAL_SUMMARY && e->value == 0)
        return efail(err, cap, "refusal summary of 0 requests");
    for (unsigned i = 0; i < e->n_reasons; i++) {
        if (e->event != AU_EV_REFUSAL_SUMMARY && e->reasons[i].count != 1)
            return efail(err, cap, "reason %u: count %u in a single refusal (must be 1)", i,
                         (unsigned)e->reasons[i].count);
        if (e->event == AU_EV_REFUSAL_SUMMARY && (e->reasons[i].count == 0 || e->reasons[i].count > e->value))
            return efail(err, cap, "reason %u: count %u in a summary of %llu refusals", i,
                         (unsigned)e->reasons[i].count, (unsigned long long)e->value);
    }
    return AU_OK;
}

/* --- summary --------------------------------------------------------------------- */

void au_summary_init(au_summary *s)
{
    memset(s, 0, sizeof *s);
}

void au_summary_free(au_summary *s)
{
    free(s->codes);
    memset(s, 0, sizeof *s);
}

static int add_code(au_summary *s, const au_reason *r, uint64_t n)
{
    for (size_t i = 0; i < s->n_codes; i++)
        if (strlen(s->codes[i].code) == r->len && !memcmp(s->codes[i].code, r->code, r->len)) {
            s->codes[i].count += n;
            return AU_OK;
        }
    if (s->n_codes == s->cap_codes) {
        size_t nc = s->cap_codes ? s->cap_codes * 2 : 16;
        struct au_code_count *c = realloc(s->codes, nc * sizeof *c);
        if (!c)
            return AU_E_NOMEM;
        s->codes = c;
        s->cap_codes = nc;
    }
    memcpy(s->codes[s->n_codes].code, r->code, r->len);
    s->codes[s->n_codes].code[r->len] = 0;
    s->codes[s->n_codes++].count = n;
    return AU_OK;
}

int au_summary_add(au_summary *s, const au_entry *e)
{
    if (!s->entries) {
        s->first_time = s->min_time = s->max_time = e->time;
    }
    s->entries++;
    s->last_time = e->time;
    s->min_time = e->time < s->min_time ? e->time : s->min_time;
    s->max_time = e->time > s->max_time ? e->time : s->max_time;
    s->by_event[e->event]++;
    switch (e->event) {
    case AU_EV_ISSUE_ACCEPTED:
        s->accepted++;
        s->preauthorized += (e->flags & AU_F_PREAUTHORIZED) != 0;
        break;
    case AU_EV_ISSUE_REFUSED:
    case AU_EV_AUTHZ_REFUSED:
        s->refused_requests++;
        break;
    case AU_EV_REFUSAL_SUMMARY:
        s->refused_requests += e->value;
        s->folded += e->value;
        break;
    case AU_EV_POLICY_LOAD:
        s->policy_loads++;
        break;
    case AU_EV_ESCROW:
    case AU_EV_DELIVERY:
    case AU_EV_RECOVERY:
        s->escrow_events++;
        break;
    case AU_EV_ESCROW_REFUSED:
        s->refused_requests++;
        break;
    default:
        break;
    }
    if (e->event == AU_EV_ISSUE_REFUSED || e->event == AU_EV_AUTHZ_REFUSED || e->event == AU_EV_REFUSAL_SUMMARY ||
        e->event == AU_EV_ESCROW_REFUSED)
        for (unsigned i = 0; i < e->n_reasons; i++)
            if (add_code(s, &e->reasons[i], e->event == AU_EV_REFUSAL_SUMMARY ? e->reasons[i].count : 1))
                return AU_E_NOMEM;
    return AU_OK;
}

static const char *ev_name(unsigned ev)
{
    const char *n = au_event_name(ev);
    return n ? n : "unknown";
}

const char *au_time_iso(uint64_t t, char *buf, size_t cap)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (t > 253402300799ull || !gmtime_r(&tt, &tm) || !strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(buf, cap, "%llu", (unsigned long long)t);
    return buf;
}

static int by_count(const void *a, const void *b)
{
    const struct au_code_count *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->code, y->code);
}

void au_summary_print(const au_summary *s, int json)
{
    char t1[32], t2[32];
    if (s->n_codes) /* no refusals: codes may be NULL, which qsort must not get */
        qsort(s->codes, s->n_codes, sizeof *s->codes, by_count);
    uint64_t issue_refused = s->by_event[AU_EV_ISSUE_REFUSED], authz_refused = s->by_event[AU_EV_AUTHZ_REFUSED];
    if (json) {
        printf("{\"entries\":%llu,\"first_time\":\"%s\",\"last_time\":\"%s\",", (unsigned long long)s->entries,
               s->entries ? au_time_iso(s->first_time, t1, sizeof t1) : "",
               s->entries ? au_time_iso(s->last_time, t2, sizeof t2) : "");
        printf("\"accepted\":%llu,\"preauthorized\":%llu,\"refused\":%llu,\"refused_issuance\":%llu,"
               "\"refused_authorization\":%llu,\"refusals_folded\":%llu,\"refused_by_reason\":{",
               (unsigned long long)s->accepted, (unsigned long long)s->preauthorized,
               (unsigned long long)s->refused_requests, (unsigned long long)issue_refused,
               (unsigned long long)authz_refused, (unsigned long long)s->folded);
        for (size_t i = 0; i < s->n_codes; i++) {
            printf("%s", i ? "," : "");
            cli_json_str(s->codes[i].code);
            printf(":%llu", (unsigned long long)s->codes[i].count);
        }
        printf("},\"policy_loads\":%llu,\"escrow_events\":%llu,\"events\":{", (unsigned long long)s->policy_loads,
               (unsigned long long)s->escrow_events);
        int first = 1;
        for (unsigned ev = 0; ev < 256; ev++)
            if (s->by_event[ev]) {
                printf("%s\"%s\":%llu", first ? "" : ",", ev_name(ev), (unsigned long long)s->by_event[ev]);
                first = 0;
            }
        printf("}}");
        return;
    }
    printf("summary:\n  entries: %llu\n", (unsigned long long)s->entries);
    if (s->entries) {
        printf("  first time: %s\n  last time: %s\n", au_time_iso(s->first_time, t1, sizeof t1),
               au_time_iso(s->last_time, t2, sizeof t2));
        if (s->min_time < s->first_time || s->max_time > s->last_time)
            printf("  (token clock not monotonic: earliest %s, latest %s)\n", au_time_iso(s->min_time, t1, sizeof t1),
                   au_time_iso(s->max_time, t2, sizeof t2));
    }
    printf("  issuances accepted: %llu (pre-authorized: %llu)\n", (unsigned long long)s->accepted,
           (unsigned long long)s->preauthorized);
    printf("  requests refused: %llu (issuance %llu, authorization %llu, folded into summaries %llu)\n",
           (unsigned long long)s->refused_requests, (unsigned long long)issue_refused,
           (unsigned long long)authz_refused, (unsigned long long)s->folded);
    for (size_t i = 0; i < s->n_codes; i++)
        printf("    %-48s %llu\n", s->codes[i].code, (unsigned long long)s->codes[i].count);
    printf("  policy loads: %llu\n  escrow events: %llu (escrow %llu, delivery %llu, recovery %llu, refused %llu)\n",
           (unsigned long long)s->policy_loads, (unsigned long long)s->escrow_events,
           (unsigned long long)s->by_event[AU_EV_ESCROW], (unsigned long long)s->by_event[AU_EV_DELIVERY],
           (unsigned long long)s->by_event[AU_EV_RECOVERY], (unsigned long long)s->by_event[AU_EV_ESCROW_REFUSED]);
    printf("  events:");
    for (unsigned ev = 0; ev < 256; ev++)
        if (s->by_event[ev])
            printf(" %s %llu", ev_name(ev), (unsigned long long)s->by_event[ev]);
    printf("\n");
}
