/* SPDX-License-Identifier: Apache-2.0 */
/* The audit report's words, shared by its formats: hashes, times and
 * durations as text, each log event and reason code in a sentence, and
 * whether an entry is in the report's scope. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "../../policy/pol.h"
#include "audit_report.h"
#include "sbrguard/proto.h" /* SG_OBJ_SESSION */

int ar_zero(const uint8_t *h)
{
    for (unsigned i = 0; i < AU_HASH_LEN; i++)
        if (h[i])
            return 0;
    return 1;
}

void ar_hex(const uint8_t *h, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", h[i]);
    out[2 * n] = 0;
}

const char *ar_fpr(const uint8_t *h, char *buf, size_t cap)
{
    char hx[17];
    ar_hex(h, 8, hx);
    snprintf(buf, cap, "%.4s %.4s %.4s %.4s", hx, hx + 4, hx + 8, hx + 12);
    return buf;
}

const char *ar_time(uint64_t t, char *buf, size_t cap)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (t > 253402300799ull || !gmtime_r(&tt, &tm) || !strftime(buf, cap, "%Y-%m-%d %H:%M:%S UTC", &tm))
        snprintf(buf, cap, "%llu s", (unsigned long long)t);
    return buf;
}

const char *ar_duration(uint64_t s, char *buf, size_t cap)
{
    static const struct {
        uint64_t sec;
        const char *one, *many;
    } u[] = { { 86400, "day", "days" }, { 3600, "hour", "hours" }, { 60, "minute", "minutes" }, { 1, "second", "seconds" } };
    size_t off = 0;
    int parts = 0;
    buf[0] = 0;
    for (size_t i = 0; i < 4 && parts < 2; i++) {
        uint64_t k = s / u[i].sec;
        if (!k && !(i == 3 && !parts))
            continue;
        s -= k * u[i].sec;
        off += (size_t)snprintf(buf + off, off < cap ? cap - off : 0, "%s%llu %s", parts ? " " : "",
                                (unsigned long long)k, k == 1 ? u[i].one : u[i].many);
        parts++;
    }
    return buf;
}

const char *ar_key_type(unsigned t)
{
    static const char *const n[] = { "key", "ECDSA P-256", "ECDSA P-384", "ECDSA P-521", "RSA 2048", "RSA 3072", "RSA 4096" };
    return t < sizeof n / sizeof *n ? n[t] : "key";
}

static const char *who(uint64_t user)
{
    return user == 0 ? "Security officer" : "User";
}

const char *ar_event_title(unsigned ev)
{
    switch (ev) {
    case AU_EV_TOKEN_INIT: return "Token initialized";
    case AU_EV_RESET: return "Token reset";
    case AU_EV_LOG_FULL: return "Log full";
    case AU_EV_KEY_GEN: return "Key generated";
    case AU_EV_CA_BIND: return "CA certificate bound";
    case AU_EV_KEY_DESTROY: return "Key destroyed";
    case AU_EV_CA_UNBIND: return "CA certificate removed";
    case AU_EV_ISSUE_ACCEPTED: return "Issuance accepted";
    case AU_EV_ISSUE_REFUSED: return "Issuance refused";
    case AU_EV_AUTHZ_ACCEPTED: return "Authorization granted";
    case AU_EV_AUTHZ_REFUSED: return "Authorization refused";
    case AU_EV_REFUSAL_SUMMARY: return "Refusals counted together";
    case AU_EV_POLICY_LOAD: return "Policy bundle loaded";
    case AU_EV_ESCROW: return "Key escrowed";
    case AU_EV_DELIVERY: return "Escrowed key delivered";
    case AU_EV_RECOVERY: return "Escrowed key recovered";
    case AU_EV_ESCROW_REFUSED: return "Escrow request refused";
    case AU_EV_BLOCKLIST_LOAD: return "Blocklist loaded";
    case AU_EV_PIN_LOCKOUT: return "PIN locked";
    case AU_EV_PIN_INIT: return "User PIN set";
    case AU_EV_PIN_CHANGE: return "PIN changed";
    case AU_EV_LOG_EXPORT: return "Log exported";
    case AU_EV_LOG_ACK: return "Log export acknowledged";
    case AU_EV_SET_TIME: return "Clock set";
    default: return "Event";
    }
}

void ar_event_words(const au_entry *e, char *out, size_t cap)
{
    char t1[40], t2[40], d[64];
    unsigned long long v = (unsigned long long)e->value;
    switch (e->event) {
    case AU_EV_TOKEN_INIT:
        if (e->value > 1)
            snprintf(out, cap, "Token RE-initialized (epoch %llu): every key and object wiped, both PINs set anew; "
                     "the log and its key continue", v);
        else
            snprintf(out, cap, "Token initialized (epoch %llu): PINs set; the log begins", v);
        break;
    case AU_EV_RESET: {
        static const char *const cause[] = { "power-on", "software reset", "HardFault (a crash of the core)",
                                             "watchdog or unexplained reset" };
        unsigned c = (unsigned)(e->value & 0xff);
        snprintf(out, cap, "Token started after a %s%s (reset number %llu since power-on%s)",
                 c < 4 ? cause[c] : "reset of unknown cause", c >= 2 ? ": to be explained" : "",
                 (unsigned long long)(e->value >> 8 & 0xffffff), c == 2 ? ", fault address recorded" : "");
        break;
    }
    case AU_EV_LOG_FULL:
        snprintf(out, cap, "Log full: a %s entry did not fit; CA keys sign nothing until the log is exported and the "
                 "export acknowledged", ar_event_title((unsigned)e->value));
        break;
    case AU_EV_KEY_GEN:
        snprintf(out, cap, "%s %s generated on the token as key %u%s", ar_key_type(e->key_type),
                 e->value & SG_OBJ_SESSION ? "session key pair (RAM only, gone with its session, never a CA key)"
                                           : "key pair",
                 e->handle, e->value & 1 ? ", reserved as a CA key" : "");
        break;
    case AU_EV_CA_BIND:
        snprintf(out, cap, "CA certificate (object %llu) bound to key %u: from here on it signs only what the "
                 "policy accepts", v, e->handle);
        break;
    case AU_EV_KEY_DESTROY:
        snprintf(out, cap, "%s %u destroyed", e->value == 4 ? "Escrow record" : "Key", e->handle);
        break;
    case AU_EV_CA_UNBIND:
        snprintf(out, cap, "CA certificate (object %u) destroyed: key %llu is no longer bound to it", e->handle, v);
        break;
    case AU_EV_ISSUE_ACCEPTED:
        snprintf(out, cap, "Certificate signed by CA key %u (%s)%s", e->handle, ar_key_type(e->key_type),
                 e->flags & AU_F_PREAUTHORIZED ? " after a separate authorization of its TBS" : "");
        break;
    case AU_EV_ISSUE_REFUSED:
        snprintf(out, cap, "CA key %u (%s) refused to sign%s", e->handle, ar_key_type(e->key_type),
                 e->flags & AU_F_PREAUTHORIZED ? " a digest that was not authorized" : " a TBS that breaks the rules");
        break;
    case AU_EV_AUTHZ_ACCEPTED:
        snprintf(out, cap, "TBS authorized for one signature by CA key %u until %s", e->handle, ar_time(e->value, t1, sizeof t1));
        break;
    case AU_EV_AUTHZ_REFUSED:
        snprintf(out, cap, "Authorization of a TBS refused for CA key %u", e->handle);
        break;
    case AU_EV_REFUSAL_SUMMARY:
        snprintf(out, cap, "%llu refused request%s beyond the flood budget, counted together per reason", v, v == 1 ? "" : "s");
        break;
    case AU_EV_POLICY_LOAD:
        snprintf(out, cap, "Policy bundle version %llu signed by the security officer loaded", v);
        break;
    case AU_EV_ESCROW:
        snprintf(out, cap, "Subscriber %s key pair generated and escrowed (record %u) until %s", ar_key_type(e->key_type),
                 e->handle, ar_time(e->value, t1, sizeof t1));
        break;
    case AU_EV_DELIVERY:
        snprintf(out, cap, "Escrowed key %u delivered to the subscriber, wrapped to their transport key", e->handle);
        break;
    case AU_EV_RECOVERY:
        snprintf(out, cap, "Escrowed key %u recovered by the security officer, wrapped", e->handle);
        break;
    case AU_EV_ESCROW_REFUSED:
        snprintf(out, cap, "Escrow request refused (command 0x%02llx)", v);
        break;
    case AU_EV_BLOCKLIST_LOAD:
        snprintf(out, cap, "Compromised-key blocklist number %llu with %llu key%s loaded (SBR 6.1.1.3)", v >> 32,
                 v & 0xffffffffu, (v & 0xffffffffu) == 1 ? "" : "s");
        break;
    case AU_EV_PIN_LOCKOUT:
        snprintf(out, cap, "%s PIN locked after too many wrong tries", who(e->value));
        break;
    case AU_EV_PIN_INIT:
        snprintf(out, cap, "User PIN set by the security officer");
        break;
    case AU_EV_PIN_CHANGE:
        snprintf(out, cap, "%s PIN changed", who(e->value));
        break;
    case AU_EV_LOG_EXPORT:
        snprintf(out, cap, "Log exported for audit");
        break;
    case AU_EV_LOG_ACK:
        snprintf(out, cap, "Security officer acknowledged the export of the first %llu entries: the token freed them", v);
        break;
    case AU_EV_SET_TIME:
        if (e->value > e->time)
            snprintf(out, cap, "Clock set BACK from %s to %s (%s earlier)", ar_time(e->value, t1, sizeof t1),
                     ar_time(e->time, t2, sizeof t2), ar_duration(e->value - e->time, d, sizeof d));
        else
            snprintf(out, cap, "Clock set forward from %s to %s (%s later)", ar_time(e->value, t1, sizeof t1),
                     ar_time(e->time, t2, sizeof t2), ar_duration(e->time - e->value, d, sizeof d));
        break;
    default:
        snprintf(out, cap, "Event 0x%02x", e->event);
    }
}

/* Token-side codes (docs/protocol.md "Token-side reason codes"). */
static const struct {
    const char *prefix, *section, *message;
} token_codes[] = {
    { "sbrguard.bundle.none", "4.3.1", "no policy bundle loaded" },
    { "sbrguard.bundle.no-entry", "4.3.1", "the policy bundle has no entry for this CA key" },
    { "sbrguard.ca.unbound", "7.1.4.1", "CA key without a bound CA certificate" },
    { "sbrguard.ca.cert-malformed", "7.1.4.1", "the bound CA certificate cannot be read" },
    { "sbrguard.sign.hash-curve", "7.1.3.2.2", "ECDSA hash other than the curve's" },
    { "sbrguard.sign.pss-params", "7.1.3.2.1", "PSS parameters other than the SBR's" },
    { "sbrguard.policy.more-findings", NULL, "more findings than the response holds" },
    { "sbrguard.log.other", NULL, "other reasons, beyond the distinct codes the token counts" },
    { "sbrguard.authz.", "4.3.1.2", "pre-authorization rules" },
};

void ar_reason_words(const char *code, char *section, size_t scap, const char **message)
{
    int i = pol_rule_find(code);
    *message = "";
    if (i >= 0) {
        const pol_rule *r = pol_rule_at((size_t)i);
        snprintf(section, scap, "SBR %s", r->section);
        *message = r->message ? r->message : "";
        return;
    }
    for (size_t k = 0; k < sizeof token_codes / sizeof *token_codes; k++)
        if (!strncmp(code, token_codes[k].prefix, strlen(token_codes[k].prefix))) {
            if (token_codes[k].section)
                snprintf(section, scap, "SBR %s", token_codes[k].section);
            else
                snprintf(section, scap, "no SBR section (token rule)");
            *message = token_codes[k].message;
            return;
        }
    /* sbr.7.1.2.3.qc.malformed: the numeric components after "sbr." are the section. */
    if (!strncmp(code, "sbr.", 4)) {
        const char *p = code + 4, *end = p;
        while (*end >= '0' && *end <= '9') {
            while (*end >= '0' && *end <= '9')
                end++;
            if (*end == '.' && end[1] >= '0' && end[1] <= '9')
                end++;
            else
                break;
        }
        if (end > p) {
            snprintf(section, scap, "SBR %.*s", (int)(end - p), p);
            return;
        }
    }
    snprintf(section, scap, "no SBR section");
}

int ar_in_scope(const ar_report *r, const ar_token *t, uint64_t i)
{
    const au_entry *e = &t->v.parsed[i];
    if (i < t->lo)
        return 0;
    if (r->has_from && (int64_t)e->time < r->from)
        return 0;
    if (r->has_to && (int64_t)e->time >= r->to)
        return 0;
    return 1;
}
