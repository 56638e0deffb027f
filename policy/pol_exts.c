/* SPDX-License-Identifier: Apache-2.0 */
/* Contents of the extensions SBR 7.1.2.3 constrains, decoded once for the
 * rules. A malformed value of the extensions the rules read makes
 * pol_prepare fail (SBR 7.1.2.4: RFC 5280); the optional extensions'
 * decoders (pol_ext_qc.c, pol_ext_misc.c) report each fault by class. */
#include "pol_int.h"
#include "pol_mailbox.h"

static const uint8_t oid_cps[] = { 0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x02, 0x01 };
static const uint8_t oid_unotice[] = { 0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x02, 0x02 };
static const uint8_t oid_ocsp[] = { 0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01 };
static const uint8_t oid_ca_issuers[] = { 0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x02 };

/* Case-insensitive prefix (RFC 3986: schemes are case-insensitive). */
int pol_has_scheme(pol_slice u, const char *prefix)
{
    size_t i = 0;
    for (; prefix[i]; i++) {
        uint8_t ch = i < u.len ? u.p[i] : 0;
        if (ch >= 'A' && ch <= 'Z')
            ch = (uint8_t)(ch + 32);
        if (ch != (uint8_t)prefix[i])
            return 0;
    }
    /* The authority runs to "/", "?" or "#"; its host follows any userinfo
     * "@" and ends at a ":" port. */
    size_t end = i, host = i;
    while (end < u.len && u.p[end] != '/' && u.p[end] != '?' && u.p[end] != '#') {
        if (u.p[end] == '@')
            host = end + 1;
        end++;
    }
    return host < end && u.p[host] != ':';
}

static int is_http(pol_slice u) { return pol_has_scheme(u, "http://"); }
static int is_http_or_https(pol_slice u) { return is_http(u) || pol_has_scheme(u, "https://"); }

static void count_uri(pol_uris *u, pol_slice uri)
{
    if (u->n < 255)
        u->n++;
    if (is_http(uri))
        u->n_http++;
    else
        u->n_other++;
}

/* IA5String contents of a dNSName or URI: 7-bit, no controls or spaces
 * (RFC 3986 2, RFC 1035 2.3.1), not empty (RFC 5280 4.2.1.6). */
static int ia5_name(pol_slice v)
{
    if (v.len == 0)
        return 0;
    for (size_t i = 0; i < v.len; i++)
        if (v.p[i] <= 0x20 || v.p[i] >= 0x7F)
            return 0;
    return 1;
}

/* One GeneralName (RFC 5280 4.2.1.6), its contents checked. rfc822Name is
 * left to the 7.1.4.2.1 rows (pol_rules_name_san.c), which name its faults. */
int pol_general_name(pol_der *c, pol_gname *g)
{
    uint8_t tag;
    pol_slice v, x;
    if (pol_der_next(c, &tag, &v, NULL))
        return -1;
    g->type = tag & 0x1F;
    g->value = v;
    g->other_oid.p = NULL;
    g->other_oid.len = 0;
    switch (tag) {
    case DER_CTX_C(0): { /* otherName: type-id OID, [0] EXPLICIT value */
        pol_der o = pol_der_of(v);
        pol_slice val;
        if (pol_der_expect(&o, DER_OID, &g->other_oid, NULL) || !pol_oid_valid(g->other_oid) ||
            pol_der_expect(&o, DER_CTX_C(0), &val, NULL) || pol_der_more(&o))
            return -1;
        g->value = val;
        return 0;
    }
    case DER_CTX(1):
        return 0;
    case DER_CTX(2): case DER_CTX(6):
        return ia5_name(v) ? 0 : -1;
    case DER_CTX(7): /* iPAddress: IPv4 or IPv6 (RFC 5280 4.2.1.6) */
        return v.len == 4 || v.len == 16 ? 0 : -1;
    case DER_CTX(8):
        return pol_oid_valid(v) ? 0 : -1;
    case DER_CTX_C(4): { /* directoryName: [4] EXPLICIT Name */
        pol_der d = pol_der_of(v);
        return pol_der_expect(&d, DER_SEQUENCE, &x, NULL) || pol_der_more(&d) ? -1 : 0;
    }
    case DER_CTX_C(5): { /* EDIPartyName ::= SEQUENCE { nameAssigner [0] DirectoryString OPTIONAL, partyName [1] } */
        pol_der d = pol_der_of(v);
        pol_slice y;
        x.p = NULL;
        if (pol_der_optional(&d, DER_CTX_C(0), &x, NULL) < 0 || pol_der_expect(&d, DER_CTX_C(1), &y, NULL) ||
            pol_der_more(&d) || !pol_der_wellformed(y, 0) || (x.p && !pol_der_wellformed(x, 0)))
            return -1;
        return 0;
    }
    default: /* x400Address (ORAddress) is not decoded: refused */
        return -1;
    }
}

/* The value is one non-empty SEQUENCE and nothing else: s walks its body. */
static int seq_body(pol_slice v, pol_der *s)
{
    pol_der c = pol_der_of(v);
    pol_slice seq;
    if (pol_der_expect(&c, DER_SEQUENCE, &seq, NULL) || pol_der_more(&c) || seq.len == 0)
        return -1;
    *s = pol_der_of(seq);
    return 0;
}

static int prep_ku(pol_eval *e, pol_slice v)
{
    pol_der c = pol_der_of(v);
    pol_slice b;
    if (pol_der_expect(&c, DER_BIT_STRING, &b, NULL) || pol_der_more(&c) || b.len < 2 || b.len > 3 || b.p[0] > 7)
        return -1;
    uint8_t last = b.p[b.len - 1];
    /* DER: unused bits are zero and the last byte carries a set bit. */
    if ((last & ((1u << b.p[0]) - 1)) || last == 0 || (last >> b.p[0] & 1) == 0)
        return -1;
    for (size_t i = 1; i < b.len; i++)
        for (int bit = 0; bit < 8; bit++)
            if (b.p[i] & (0x80 >> bit))
                e->ku |= 1u << ((i - 1) * 8 + (size_t)bit);
    return 0;
}

static int prep_eku(pol_eval *e, pol_slice v)
{
    pol_der s;
    if (seq_body(v, &s))
        return -1;
    while (pol_der_more(&s))
        if (e->n_eku == POL_MAX_EKU || pol_der_expect(&s, DER_OID, &e->eku[e->n_eku], NULL) ||
            !pol_oid_valid(e->eku[e->n_eku]))
            return -1;
        else
            e->n_eku++; /* counted only once whole: rules never see a half entry */
    return 0;
}

static int prep_bc(pol_eval *e, pol_slice v)
{
    pol_der c = pol_der_of(v), s;
    pol_slice seq, x;
    int r;
    if (pol_der_expect(&c, DER_SEQUENCE, &seq, NULL) || pol_der_more(&c))
        return -1;
    s = pol_der_of(seq);
    r = pol_der_optional(&s, DER_BOOLEAN, &x, NULL);
    if (r < 0 || (r == 1 && (pol_der_bool(x, &e->bc_ca) || !e->bc_ca)))
        return -1;
    r = pol_der_optional(&s, DER_INTEGER, &x, NULL);
    if (r < 0 || pol_der_more(&s))
        return -1;
    e->bc_pathlen = r;
    return 0;
}

static int prep_aki(pol_eval *e, pol_slice v)
{
    pol_der c = pol_der_of(v), s;
    pol_slice seq, x;
    int r;
    if (pol_der_expect(&c, DER_SEQUENCE, &seq, NULL) || pol_der_more(&c))
        return -1;
    s = pol_der_of(seq);
    if ((r = pol_der_optional(&s, DER_CTX(0), &e->aki_keyid_value, NULL)) < 0)
        return -1;
    e->aki_keyid = r;
    if ((r = pol_der_optional(&s, DER_CTX_C(1), &x, NULL)) < 0)
        return -1;
    e->aki_issuer_serial = r;
    if ((r = pol_der_optional(&s, DER_CTX(2), &x, NULL)) < 0 || pol_der_more(&s))
        return -1;
    e->aki_issuer_serial |= r;
    return 0;
}

static int prep_san(pol_eval *e, pol_slice v)
{
    pol_der s;
    if (seq_body(v, &s))
        return -1;
    while (pol_der_more(&s))
        if (e->n_san == POL_MAX_NAMES || pol_general_name(&s, &e->san[e->n_san]))
            return -1;
        else
            e->n_san++;
    return 0;
}

/* UserNotice ::= SEQUENCE { noticeRef OPTIONAL, explicitText OPTIONAL } */
static int user_notice_ok(pol_slice q)
{
    pol_der c = pol_der_of(q);
    pol_slice v;
    uint8_t tag;
    long n;
    if (!pol_der_more(&c) || c.p[0] == DER_SEQUENCE) /* absent text or a noticeRef */
        return 0;
    if (pol_der_next(&c, &tag, &v, NULL) || pol_der_more(&c) ||
        (tag != DER_UTF8 && tag != DER_IA5 && tag != DER_VISIBLE && tag != DER_BMP))
        return 0;
    /* DisplayText: SIZE (1..200), valid characters of its type (RFC 5280 4.2.1.4). */
    n = pol_str_chars(tag, v);
    if (pol_str_valid(tag, v) != 1 || n < 1 || n > 200)
        return -1;
    return tag == DER_IA5 ? 2 : 1; /* 2: RFC 6818 3 "MUST NOT encode explicitText as IA5String" */
}

static int prep_cp(pol_eval *e, pol_slice v)
{
    pol_der s;
    pol_slice pi;
    if (seq_body(v, &s))
        return -1;
    while (pol_der_more(&s)) {
        pol_der p, qs;
        pol_slice quals, qi;
        int r;
        if (e->n_policies == POL_MAX_POLICIES || pol_der_expect(&s, DER_SEQUENCE, &pi, NULL))
            return -1;
        p = pol_der_of(pi);
        pol_slice *po = &e->policies[e->n_policies];
        if (pol_der_expect(&p, DER_OID, po, NULL) || !pol_oid_valid(*po))
            return -1;
        /* RFC 5280 4.2.1.4: a policy OID appears at most once. */
        for (uint8_t k = 0; k < e->n_policies; k++)
            if (pol_eq(*po, e->policies[k].p, e->policies[k].len))
                return -1;
        e->n_policies++;
        if ((r = pol_der_optional(&p, DER_SEQUENCE, &quals, NULL)) < 0 || pol_der_more(&p) ||
            (r == 1 && quals.len == 0))
            return -1;
        qs = pol_der_of(r == 1 ? quals : (pol_slice){ NULL, 0 });
        while (r == 1 && pol_der_more(&qs)) {
            pol_der q;
            pol_slice qoid, qval;
            uint8_t tag;
            if (pol_der_expect(&qs, DER_SEQUENCE, &qi, NULL))
                return -1;
            q = pol_der_of(qi);
            if (pol_der_expect(&q, DER_OID, &qoid, NULL) || pol_der_next(&q, &tag, &qval, NULL) || pol_der_more(&q))
                return -1;
            if (POL_EQ(qoid, oid_cps) && (tag != DER_IA5 || !is_http_or_https(qval)))
                e->cps_bad = 1;
            if (POL_EQ(qoid, oid_unotice)) {
                int u = tag == DER_SEQUENCE ? user_notice_ok(qval) : 0;
                if (u < 0)
                    return -1;
                if (u == 0)
                    e->unotice_bad = 1;
                if (u == 2)
                    e->unotice_ia5 = 1;
            } else if (!POL_EQ(qoid, oid_cps)) {
                e->qualifier_other = 1;
            }
        }
    }
    return 0;
}

/* GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName (the body). */
static int gnames_ok(pol_slice body)
{
    pol_der f = pol_der_of(body);
    pol_gname g;
    if (body.len == 0)
        return 0;
    while (pol_der_more(&f))
        if (pol_general_name(&f, &g))
            return 0;
    return 1;
}

/* RelativeDistinguishedName ::= SET SIZE (1..MAX) OF AttributeTypeAndValue (the body). */
static int rdn_ok(pol_slice body)
{
    pol_der r = pol_der_of(body);
    pol_slice atv, o, x;
    uint8_t tag;
    if (body.len == 0)
        return 0;
    while (pol_der_more(&r)) {
        pol_der a;
        if (pol_der_expect(&r, DER_SEQUENCE, &atv, NULL))
            return 0;
        a = pol_der_of(atv);
        if (pol_der_expect(&a, DER_OID, &o, NULL) || !pol_oid_valid(o) || pol_der_next(&a, &tag, &x, NULL) ||
            pol_der_more(&a))
            return 0;
    }
    return 1;
}

/* DistributionPoint ::= SEQUENCE { distributionPoint [0] DistributionPointName
 * OPTIONAL, reasons [1] ReasonFlags OPTIONAL, cRLIssuer [2] GeneralNames
 * OPTIONAL }, with a distributionPoint or a cRLIssuer (RFC 5280 4.2.1.13);
 * DistributionPointName ::= CHOICE { fullName [0] GeneralNames,
 * nameRelativeToCRLIssuer [1] RelativeDistinguishedName }. */
static int prep_crldp(pol_eval *e, pol_slice v)
{
    pol_der s;
    pol_slice dp;
    if (seq_body(v, &s))
        return -1;
    while (pol_der_more(&s)) {
        pol_der d, n, f;
        pol_slice name = { NULL, 0 }, x, reasons = { NULL, 0 }, issuer = { NULL, 0 };
        pol_gname g;
        uint8_t tag;
        int r0, r1, r2;
        if (pol_der_expect(&s, DER_SEQUENCE, &dp, NULL))
            return -1;
        d = pol_der_of(dp);
        if ((r0 = pol_der_optional(&d, DER_CTX_C(0), &name, NULL)) < 0 ||
            (r1 = pol_der_optional(&d, DER_CTX(1), &reasons, NULL)) < 0 ||
            (r2 = pol_der_optional(&d, DER_CTX_C(2), &issuer, NULL)) < 0 || pol_der_more(&d) || (!r0 && !r2))
            return -1;
        /* ReasonFlags: a DER named-bit BIT STRING (X.690 11.2.2: no trailing zero bits). */
        if (r1 && (reasons.len < 2 || reasons.len > 3 || reasons.p[0] > 7 ||
                   (reasons.p[reasons.len - 1] & ((1u << reasons.p[0]) - 1)) ||
                   !(reasons.p[reasons.len - 1] >> reasons.p[0] & 1)))
            return -1;
        if (r2 && !gnames_ok(issuer))
            return -1;
        e->crl_issuer |= (uint8_t)r2;
        if (!r0)
            continue;
        n = pol_der_of(name);
        if (pol_der_next(&n, &tag, &x, NULL) || pol_der_more(&n))
            return -1;
        if (tag == DER_CTX_C(1)) {
            if (!rdn_ok(x))
                return -1;
            continue;
        }
        if (tag != DER_CTX_C(0) || x.len == 0)
            return -1;
        f = pol_der_of(x);
        while (pol_der_more(&f)) {
            if (pol_general_name(&f, &g))
                return -1;
            if (g.type == 6) {
                count_uri(&e->crl, g.value);
                if (e->ctx->rules && !pol_prefix_ok(e->ctx->rules->crldp_prefixes, e->ctx->rules->crldp_prefixes_len, g.value))
                    e->crl_unprefixed = 1;
            }
        }
    }
    return 0;
}

static int prep_aia(pol_eval *e, pol_slice v)
{
    pol_der s;
    pol_slice ad;
    if (seq_body(v, &s))
        return -1;
    while (pol_der_more(&s)) {
        pol_der a;
        pol_slice method;
        pol_gname g;
        if (pol_der_expect(&s, DER_SEQUENCE, &ad, NULL))
            return -1;
        a = pol_der_of(ad);
        if (pol_der_expect(&a, DER_OID, &method, NULL) || pol_general_name(&a, &g) || pol_der_more(&a))
            return -1;
        pol_uris *u = POL_EQ(method, oid_ocsp) ? &e->ocsp : POL_EQ(method, oid_ca_issuers) ? &e->ca_issuers : NULL;
        if (u && g.type == 6) {
            count_uri(u, g.value);
            if (e->ctx->rules && !pol_prefix_ok(e->ctx->rules->aia_prefixes, e->ctx->rules->aia_prefixes_len, g.value))
                e->aia_unprefixed = 1;
        }
        else if (u)
            u->n_other++;
        else
            e->aia_other = 1;
    }
    return 0;
}

int pol_prepare(pol_eval *e);
int pol_prepare(pol_eval *e)
{
    static const struct {
        int id;
        int (*fn)(pol_eval *e, pol_slice v);
    } preps[] = {
        { EXT_KU, prep_ku }, { EXT_EKU, prep_eku }, { EXT_BC, prep_bc }, { EXT_AKI, prep_aki },
        { EXT_SAN, prep_san }, { EXT_CP, prep_cp }, { EXT_CRLDP, prep_crldp }, { EXT_AIA, prep_aia },
    };
    /* The optional extensions: each class of fault has its own row (pol_rules_ext2.c). */
    static const struct {
        int id;
        uint32_t (*fn)(pol_slice v);
    } values[] = {
        { EXT_SKI, pol_ext_ski }, { EXT_SMIMECAP, pol_ext_smimecap }, { EXT_QC, pol_ext_qc }, { EXT_SDA, pol_ext_sda },
        { EXT_LEI, pol_ext_lei }, { EXT_LEI_ROLE, pol_ext_lei_role }, { EXT_ADOBE_TS, pol_ext_adobe_ts },
        { EXT_ADOBE_ARCHIVE, pol_ext_adobe_archive },
    };
    int bad = 0;
    for (size_t i = 0; i < sizeof preps / sizeof *preps; i++) {
        const pol_ext *x = pol_ext_get(e, preps[i].id);
        if (x && preps[i].fn(e, x->value))
            bad = 1;
    }
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        const pol_ext *x = pol_ext_get(e, values[i].id);
        if (x)
            e->ext_bad |= values[i].fn(x->value);
    }
    return bad;
}
