/* SPDX-License-Identifier: Apache-2.0 */
/* Validation evidence against a TBS (docs/evidence.md): authentic (a VA key
 * the CA policy trusts), for this request (subscriber key, optionally the
 * TBS), and covering every Mailbox Address (SBR 3.2.2, 4.2.1, 4.2.2.1,
 * 4.2.2.2) and identity attribute (3.2.3, 3.2.4, 3.2.6, 4.2.1) of the TBS,
 * judged at the token's clock. Streams over the evidence DER: the only RAM
 * is the decoded TBS in the caller's workspace and a few records on the
 * stack. */
#include <string.h>
#include "sbrguard/evidence.h"
#include "pol_ev.h"
#include "pol_evidence.h"
#include "pol_int.h"
#include "pol_mailbox.h"
#include "sbrguard/hal_crypto.h"

#define BIT(id) (1ull << (id))
#define DAYS(n) ((uint64_t)(n) * SG_EV_DAY)

typedef char rules_fit_mask[EV_RULE_COUNT <= 64 ? 1 : -1];

static void add(pol_decision *d, size_t idx)
{
    for (uint16_t i = 0; i < d->n; i++)
        if (d->findings[i] == idx)
            return;
    if (d->n < POL_MAX_FINDINGS)
        d->findings[d->n++] = (uint16_t)idx;
    else if (d->dropped < 0xFFFF)
        d->dropped++;
    d->verdict = POL_REFUSE;
}

static void add_mask(pol_decision *d, uint64_t mask)
{
    for (unsigned id = 0; id < EV_RULE_COUNT; id++)
        if (mask & BIT(id))
            add(d, pol_rule_index(&pol_rules_evidence[id]));
}

/* More than limit seconds from start to now (never for a start after now:
 * that is EV_FUTURE's finding). */
/* Later than the token's clock by more than the CA's skew allowance: the
 * VA's clock and the token's are not the same clock (the bundle's
 * skew-seconds, as for notBefore). */
static int future(int64_t at, int64_t now, const pol_ev_trust *t) { return at > now + t->skew; }

static int older(int64_t now, int64_t start, uint64_t limit)
{
    return start < now && (uint64_t)now - (uint64_t)start > limit;
}

static void sha256(const uint8_t *p, size_t n, uint8_t out[32])
{
    if (hal_hash(HAL_MD_SHA256, p, n, out))
        memset(out, 0, 32); /* cannot fail on the host or the token; never matches a real hash */
}

/* SHA-256 of a TLV rebuilt from its tag and value (DER: minimal header). */
static void sha256_tlv(uint8_t tag, pol_slice v, uint8_t out[32])
{
    hal_md_ctx c;
    uint8_t hdr[5];
    size_t hl = pol_der_hdr(tag, v.len, hdr);
    if (hal_md_start(&c, HAL_MD_SHA256) || hal_md_update(&c, hdr, hl) || hal_md_update(&c, v.p, v.len) ||
        hal_md_finish(&c, out))
        memset(out, 0, 32);
}

int pol_ev_find_va(const pol_ev_trust *t, pol_slice key_id, pol_slice *spki)
{
    pol_der c;
    uint8_t tag, h[32];
    pol_slice v;
    if (!t)
        return -1;
    pol_slice keys = { t->va_keys.p, t->va_keys.len };
    c = pol_der_of(keys);
    while (pol_der_more(&c)) {
        if (pol_der_next(&c, &tag, &v, spki) || tag != DER_SEQUENCE)
            return -1;
        sha256(spki->p, spki->len, h);
        if (pol_eq(key_id, h, sizeof h))
            return 0;
    }
    return -1;
}

/* --- Mailboxes -------------------------------------------------------------- */

/* TLS BR 3.2.2.4 methods approved when the validation was done. Retired
 * ones (1-3, 5, 6, 9-11, 15) never are; sunsets per their subsections. */
static int tls_method_ok(uint32_t n, int64_t at)
{
    switch (n) {
    case 7: case 12: case 18: case 19: case 20: case 21: case 22:
        return 1;
    case 8:
        return at < SG_EV_MPIC_3_FROM; /* 3.2.2.4.8: MUST NOT rely on it from 2026-03-15 */
    case 16: case 17:
        return at < 1805068800; /* 2027-03-15 */
    case 4: case 13: case 14:
        return at < 1836691200; /* 2028-03-15 */
    default:
        return 0;
    }
}

/* TLS BR 3.2.2.4.x whose text says "MUST implement Multi-Perspective
 * Issuance Corroboration"; SBR 4.2.2.1 extends it to their CAA check. */
static int tls_method_mpic(uint32_t n)
{
    return n == 7 || n == 8 || n == 13 || n == 14 || (n >= 16 && n <= 22);
}

static uint8_t lower(uint8_t c) { return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c; }

static int domain_eq(pol_slice a, pol_slice b)
{
    if (a.len != b.len)
        return 0;
    for (size_t i = 0; i < a.len; i++)
        if (lower(a.p[i]) != lower(b.p[i]))
            return 0;
    return 1;
}

/* RFC 9495 4 (with RFC 8659 4.2): no issuemail record permits any CA; else
 * one record must name one of the CA's issuer domain names. */
static int caa_permits(pol_slice issuers, const pol_ev_trust *t)
{
    pol_der c = pol_der_of(issuers);
    pol_slice v, mine, domains = { t->caa_domains.p, t->caa_domains.len };
    uint8_t tag;
    if (!pol_der_more(&c))
        return 1;
    while (pol_der_next(&c, &tag, &v, NULL) == 0) {
        pol_der k = pol_der_of(domains);
        while (v.len && pol_der_next(&k, &tag, &mine, NULL) == 0)
            if (tag == DER_IA5 && domain_eq(v, mine))
                return 1;
    }
    return 0;
}

/* TLS BR 3.2.2.9 phased timeline and quorum table, at the time of the
 * corroboration. */
static uint64_t judge_mpic(const pol_ev_mailbox *m, const pol_ev_trust *t, int64_t now)
{
    uint64_t f = 0;
    uint32_t need;
    int64_t at = m->mpic_at;
    if (future(at, now, t))
        f |= BIT(EV_FUTURE);
    if (older(now, at, DAYS(SG_EV_MPIC_REUSE_DAYS)))
        f |= BIT(EV_MPIC_STALE);
    need = at >= SG_EV_MPIC_5_FROM ? 5 : at >= SG_EV_MPIC_4_FROM ? 4 : at >= SG_EV_MPIC_3_FROM ? 3 : 2;
    if (m->mpic_remote < need)
        f |= BIT(EV_MPIC_PERSPECTIVES);
    if (at >= SG_EV_MPIC_QUORUM_FROM && m->mpic_remote >= 2 &&
        m->mpic_remote - m->mpic_ok > (m->mpic_remote >= 6 ? 2u : 1u))
        f |= BIT(EV_MPIC_QUORUM);
    if (at >= SG_EV_MPIC_3_FROM && m->mpic_rirs < 2)
        f |= BIT(EV_MPIC_RIRS);
    return f;
}

/* Every problem of one record (0: it validates its mailbox now). */
static uint64_t judge_mailbox(const pol_ev_mailbox *m, const pol_ev_trust *t, int64_t now)
{
    uint64_t f = 0;
    int64_t start = m->validated_at;
    unsigned reuse;
    int acme = m->method == SG_EV_M_ACME;
    switch (m->method) {
    case SG_EV_M_DOMAIN:
    case SG_EV_M_MAIL_SERVER:
        if (!tls_method_ok(m->tls_method, m->validated_at))
            f |= BIT(EV_TLS_METHOD);
        reuse = m->tls_method == 22 ? SG_EV_REUSE_PERSIST_DAYS : SG_EV_REUSE_DOMAIN_DAYS;
        if (tls_method_mpic(m->tls_method) && now >= t->mpic_from)
            f |= m->has_mpic ? judge_mpic(m, t, now) : BIT(EV_MPIC_MISSING);
        break;
    case SG_EV_M_EMAIL:
    case SG_EV_M_ACME:
        reuse = SG_EV_REUSE_EMAIL_DAYS;
        if (!m->has_rv) {
            f |= BIT(EV_RV_MISSING);
            break;
        }
        if (m->rv_used < m->rv_created || m->rv_used - m->rv_created > SG_EV_RV_LIFETIME)
            f |= BIT(acme ? EV_RV_ACME_LIFETIME : EV_RV_EMAIL_LIFETIME);
        if (m->rv_bits < (acme ? SG_EV_ACME_MIN_BITS : SG_EV_RV_MIN_BITS))
            f |= BIT(acme ? EV_RV_ACME_ENTROPY : EV_RV_EMAIL_ENTROPY);
        if (future(m->rv_created, now, t) || future(m->rv_used, now, t))
            f |= BIT(EV_FUTURE);
        /* SBR 3.2.2: the validation was initiated when the value was made. */
        if (m->rv_created < start)
            start = m->rv_created;
        break;
    default:
        return BIT(EV_MAILBOX_METHOD);
    }
    if (future(m->validated_at, now, t))
        f |= BIT(EV_FUTURE);
    if (older(now, start, DAYS(reuse)))
        f |= BIT(EV_MAILBOX_STALE);
    if (!m->has_caa) {
        if (now >= SG_EV_CAA_FROM)
            f |= BIT(EV_CAA_MISSING);
    } else {
        uint32_t window = m->caa_ttl > SG_EV_CAA_MIN_WINDOW ? m->caa_ttl : SG_EV_CAA_MIN_WINDOW;
        if (future(m->caa_at, now, t))
            f |= BIT(EV_FUTURE);
        if (older(now, m->caa_at, window))
            f |= BIT(EV_CAA_STALE);
        if (!caa_permits(m->caa_issuers, t))
            f |= BIT(EV_CAA_FORBIDDEN);
    }
    return f;
}

/* One Mailbox Address of the TBS: 0 if one record for it has no problem;
 * else the first record's problems, or "missing". */
static uint64_t cover_mailbox(const pol_ev *ev, uint8_t tag, pol_slice mb, const pol_ev_trust *t, int64_t now)
{
    pol_der c = pol_der_of(ev->mailboxes);
    pol_ev_mailbox m;
    uint64_t first = BIT(EV_MAILBOX_MISSING);
    int found = 0;
    while (pol_ev_next_mailbox(&c, &m) == 1) {
        if (!pol_mailbox_same(DER_UTF8, m.mailbox, tag, mb))
            continue;
        uint64_t f = judge_mailbox(&m, t, now);
        if (!f)
            return 0;
        if (!found++)
            first = f;
    }
    return first;
}

static const uint8_t oid_email[] = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x01 };
static const uint8_t oid_smtputf8[] = { 0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x08, 0x09 };

/* id-at-X (2.5.4.X) last arc, or 0 for any other attribute type. */
static unsigned id_at(pol_slice oid)
{
    return oid.len == 3 && oid.p[0] == 0x55 && oid.p[1] == 0x04 && oid.p[2] < 0x80 ? oid.p[2] : 0;
}
#define AT_CN 3
#define AT_SURNAME 4
#define AT_SERIAL 5
#define AT_O 10
#define AT_OU 11
#define AT_TITLE 12
#define AT_GIVEN 42
#define AT_PSEUDONYM 65
#define AT_ORGID 97

/* A Mailbox Address of a Name: emailAddress, and a commonName that holds
 * one (7.1.4.2.2(a): with "@"; in mailbox-validated every commonName). */
static int name_mailbox(const pol_attr *a, int type)
{
    if (POL_EQ(a->oid, oid_email))
        return 1;
    return id_at(a->oid) == AT_CN && (type == POL_MAILBOX || pol_str_has(a->tag, a->value, '@'));
}

static void need_mailbox(pol_ev_need_fn fn, void *ctx, uint8_t tag, pol_slice v)
{
    pol_ev_need n = { POL_EV_NEED_MAILBOX, tag, v, { NULL, 0 }, 0 };
    fn(ctx, &n);
}

/* The mailboxes of a directoryName of the SAN (streamed: no attribute table). */
static void dirname_needs(pol_slice name, int type, pol_ev_need_fn fn, void *ctx)
{
    pol_der c = pol_der_of(name), n, rdn;
    pol_slice body, set, atv;
    if (pol_der_expect(&c, DER_SEQUENCE, &body, NULL))
        return; /* not a Name: sbr.7.1.2.4.ext.malformed refuses it */
    n = pol_der_of(body);
    while (pol_der_expect(&n, DER_SET, &set, NULL) == 0) {
        rdn = pol_der_of(set);
        while (pol_der_expect(&rdn, DER_SEQUENCE, &atv, NULL) == 0) {
            pol_der a = pol_der_of(atv);
            pol_attr at;
            if (pol_der_expect(&a, DER_OID, &at.oid, NULL) || pol_der_next(&a, &at.tag, &at.value, NULL))
                return;
            if (name_mailbox(&at, type))
                need_mailbox(fn, ctx, at.tag, at.value);
        }
    }
}

static void san_needs(const pol_eval *e, pol_ev_need_fn fn, void *ctx)
{
    for (uint8_t i = 0; i < e->n_san; i++) {
        const pol_gname *g = &e->san[i];
        if (g->type == 1) {
            need_mailbox(fn, ctx, DER_IA5, g->value);
        } else if (g->type == 0 && POL_EQ(g->other_oid, oid_smtputf8)) {
            pol_der c = pol_der_of(g->value);
            pol_slice v = g->value;
            uint8_t tag = DER_UTF8;
            /* SmtpUTF8Mailbox ::= UTF8String (RFC 9598 3); anything else
             * stays the raw value, which no record matches. */
            if (pol_der_next(&c, &tag, &v, NULL) || pol_der_more(&c) || tag != DER_UTF8) {
                v = g->value;
                tag = DER_UTF8;
            }
            need_mailbox(fn, ctx, tag, v);
        } else if (g->type == 4) {
            dirname_needs(g->value, e->type, fn, ctx);
        }
    }
}

/* --- Identity --------------------------------------------------------------- */

/* ETSI EN 319 412-1 5.1.3 Natural Person Identifier: scheme, country, "-". */
static int npi_shaped(pol_slice v)
{
    static const char schemes[] = "PASIDCPNOTAXTIN";
    if (v.len < 7 || v.p[5] != '-' || v.p[3] < 'A' || v.p[3] > 'Z' || v.p[4] < 'A' || v.p[4] > 'Z')
        return 0;
    for (size_t s = 0; s + 3 <= sizeof schemes - 1; s += 3)
        if (!memcmp(v.p, schemes + s, 3))
            return 1;
    return 0;
}

/* The section that validates an attribute of a profile (SBR 3.2 table,
 * 7.1.4.2.2 (a)-(n)); 0: none needed. */
static uint32_t identity_section(const pol_attr *a, int type)
{
    int org_side = type == POL_ORGANIZATION || type == POL_SPONSOR || type == POL_MAILBOX;
    switch (id_at(a->oid)) {
    case AT_O: case AT_OU: case AT_ORGID:
        return SG_EV_ID_ORGANIZATION;                   /* (b), (c), (d): 3.2.3 */
    case AT_GIVEN: case AT_SURNAME: case AT_PSEUDONYM: case AT_TITLE:
        return SG_EV_ID_INDIVIDUAL;                     /* (e), (f), (i): 3.2.4 */
    case AT_CN:                                         /* (a): organizationName or Personal Name/Pseudonym */
        return type == POL_ORGANIZATION ? SG_EV_ID_ORGANIZATION : SG_EV_ID_INDIVIDUAL;
    case AT_SERIAL:                                     /* (g): CA-assigned, or a Natural Person Identifier */
        return (type == POL_SPONSOR || type == POL_INDIVIDUAL) && npi_shaped(a->value) ? SG_EV_ID_INDIVIDUAL : 0;
    default:                                            /* (j)-(n) address, and Other (3.2.5) */
        return org_side ? SG_EV_ID_ORGANIZATION : SG_EV_ID_INDIVIDUAL;
    }
}

/* Records for (type, value hash) with method want (or, when want is not
 * 326, any identity method other than 326): 0 covered, else a mask. */
static uint64_t cover_identity(const pol_ev *ev, pol_slice oid, const uint8_t h[32], uint32_t want,
                               const pol_ev_trust *t, int64_t now)
{
    pol_der c = pol_der_of(ev->identities);
    pol_ev_identity r;
    uint64_t first = 0;
    int authority = want == SG_EV_ID_AUTHORITY;
    while (pol_ev_next_identity(&c, &r) == 1) {
        uint64_t f = 0;
        if (!pol_eq(r.attr_type, oid.p, oid.len) || !pol_eq(r.value_hash, h, 32) ||
            authority != (r.method == SG_EV_ID_AUTHORITY))
            continue;
        if (r.method != want)
            f |= BIT(EV_IDENTITY_METHOD);
        if (future(r.validated_at, now, t))
            f |= BIT(EV_FUTURE);
        if (older(now, r.validated_at, DAYS(SG_EV_REUSE_IDENTITY_DAYS)))
            f |= BIT(want == SG_EV_ID_ORGANIZATION ? EV_ORG_STALE :
                     want == SG_EV_ID_INDIVIDUAL ? EV_INDIVIDUAL_STALE : EV_AUTHORITY_STALE);
        if (!f)
            return 0;
        if (!first)
            first = f;
    }
    if (first)
        return first;
    return BIT(want == SG_EV_ID_ORGANIZATION ? EV_ORG_MISSING :
               want == SG_EV_ID_INDIVIDUAL ? EV_INDIVIDUAL_MISSING : EV_AUTHORITY_MISSING);
}

/* Everything the SAN and the subject need evidence for. */
static void needs_of(const pol_eval *e, pol_ev_need_fn fn, void *ctx)
{
    int org = e->type == POL_ORGANIZATION || e->type == POL_SPONSOR;
    san_needs(e, fn, ctx);
    for (uint8_t i = 0; i < e->n_attrs; i++) {
        const pol_attr *a = &e->attrs[i];
        pol_ev_need n = { POL_EV_NEED_IDENTITY, a->tag, a->value, a->oid, identity_section(a, e->type) };
        if (name_mailbox(a, e->type)) {
            need_mailbox(fn, ctx, a->tag, a->value);
            continue;
        }
        if (n.section)
            fn(ctx, &n);
        /* 3.2.6: the Applicant Representative's authority, for the
         * organization the certificate names. */
        if (org && id_at(a->oid) == AT_O) {
            n.section = SG_EV_ID_AUTHORITY;
            fn(ctx, &n);
        }
    }
}

void pol_ev_value_hash(uint8_t tag, pol_slice value, uint8_t out[32]) { sha256_tlv(tag, value, out); }

static pol_eval *decode(const uint8_t *tbs, size_t len, pol_workspace *w, const pol_ctx *ctx)
{
    pol_eval *e = (pol_eval *)(void *)w->bytes;
    memset(e, 0, POL_EVAL_CLEAR);
    e->ctx = ctx;
    if (pol_decode(tbs, len, e))
        return NULL;
    pol_profile(e);
    return e;
}

int pol_ev_needs(const uint8_t *tbs, size_t len, pol_workspace *w, pol_ev_need_fn fn, void *ctx, int *type)
{
    static const pol_ctx none = { 0 };
    pol_eval *e = decode(tbs, len, w, &none);
    if (!e)
        return -1;
    *type = e->type;
    needs_of(e, fn, ctx);
    return 0;
}

/* --- The check -------------------------------------------------------------- */

/* SHA-256 of the TBS's SubjectPublicKeyInfo DER, rebuilt from its two
 * decoded parts (DER: one encoding). */
static void spki_hash(const pol_eval *e, uint8_t out[32])
{
    pol_slice body = { e->spki_alg.p, (size_t)(e->spki_key.p + e->spki_key.len - e->spki_alg.p) };
    sha256_tlv(DER_SEQUENCE, body, out);
}

int pol_ev_key_hash(const uint8_t *tbs, size_t len, pol_workspace *w, uint8_t out[32])
{
    static const pol_ctx none = { 0 };
    pol_eval *e = decode(tbs, len, w, &none);
    if (!e)
        return -1;
    spki_hash(e, out);
    return 0;
}

typedef struct {
    const pol_ev *ev;
    const pol_ev_trust *t;
    int64_t now;
    pol_decision *d;
    int authority;
} judge_ctx;

static void judge_need(void *ctx, const pol_ev_need *n)
{
    judge_ctx *j = ctx;
    uint8_t h[32];
    if (n->kind == POL_EV_NEED_MAILBOX) {
        add_mask(j->d, cover_mailbox(j->ev, n->tag, n->value, j->t, j->now));
        return;
    }
    j->authority |= n->section == SG_EV_ID_AUTHORITY;
    sha256_tlv(n->tag, n->value, h);
    add_mask(j->d, cover_identity(j->ev, n->oid, h, n->section, j->t, j->now));
}

void pol_ev_judge(const uint8_t *tbs, size_t tbs_len, const pol_ev *ev, const pol_ev_trust *trust, int64_t now,
                  pol_workspace *w, pol_decision *d)
{
    pol_ctx ctx = { .now = now };
    pol_eval *e = decode(tbs, tbs_len, w, &ctx);
    uint8_t h[32];
    if (!e) {
        add(d, POL_RULE_DER_MALFORMED);
        return;
    }
    if (e->ext_malformed) { /* a mailbox could hide in what did not decode */
        int r = pol_rule_find("sbr.7.1.2.4.ext.malformed");
        add(d, r < 0 ? POL_RULE_DER_MALFORMED : (size_t)r);
    }
    spki_hash(e, h);
    if (!pol_eq(ev->key_hash, h, sizeof h)) {
        add_mask(d, BIT(EV_BINDING_KEY));
        return;
    }
    if (ev->tbs_hash.len) {
        sha256(tbs, tbs_len, h);
        if (!pol_eq(ev->tbs_hash, h, sizeof h)) {
            add_mask(d, BIT(EV_BINDING_TBS));
            return;
        }
    }
    if (future(ev->produced_at, now, trust))
        add_mask(d, BIT(EV_FUTURE));
    judge_ctx j = { ev, trust, now, d, 0 };
    needs_of(e, judge_need, &j);
    if ((e->type == POL_ORGANIZATION || e->type == POL_SPONSOR) && !j.authority)
        add_mask(d, BIT(EV_AUTHORITY_MISSING)); /* no organizationName to bind it to */
}

void pol_evidence_check_ex(const uint8_t *tbs, size_t tbs_len, const uint8_t *evp, size_t ev_len,
                           const pol_ev_trust *trust, int64_t now, const pol_ev_roots *roots, pol_ev_info *info,
                           pol_workspace *w, pol_decision *d)
{
    static const pol_ev_trust none = { { NULL, 0 }, { NULL, 0 }, 0, 0 };
    pol_slice spki;
    pol_ev ev;
    pol_evb b;
    int r;
    if (!trust)
        trust = &none;
    if (info)
        memset(info, 0, sizeof *info);
    if (!evp || ev_len == 0) {
        add_mask(d, BIT(EV_ABSENT));
        return;
    }
    int batched = pol_evb_is(evp, ev_len);
    if (info)
        info->batched = (uint8_t)batched;
    r = batched ? pol_evb_parse(evp, ev_len, &b, &ev) : pol_ev_parse(evp, ev_len, &ev);
    if (r != POL_EV_OK) {
        add_mask(d, BIT(r == POL_EV_BAD_VERSION ? EV_VERSION : EV_MALFORMED));
        return;
    }
    /* Nothing of the content counts before the signature does: the VA's
     * over the evidence, or over the batch root the record is proven in. */
    if (batched) {
        if ((r = pol_evb_check(&b, &ev, trust, now, roots, info)) >= 0) {
            add_mask(d, BIT(r));
            return;
        }
    } else if (pol_ev_find_va(trust, ev.va_key_id, &spki)) {
        add_mask(d, BIT(EV_VA_UNTRUSTED));
        return;
    } else if (pol_sig_verify(spki.p, spki.len, ev.sig_alg.p, ev.sig_alg.len, ev.tbs.p, ev.tbs.len, ev.sig.p,
                              ev.sig.len)) {
        add_mask(d, BIT(EV_SIGNATURE));
        return;
    }
    pol_ev_judge(tbs, tbs_len, &ev, trust, now, w, d);
}

void pol_evidence_check(const uint8_t *tbs, size_t tbs_len, const uint8_t *evp, size_t ev_len,
                        const pol_ev_trust *trust, int64_t now, pol_workspace *w, pol_decision *d)
{
    pol_evidence_check_ex(tbs, tbs_len, evp, ev_len, trust, now, NULL, NULL, w, d);
}
