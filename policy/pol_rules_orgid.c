/* SPDX-License-Identifier: Apache-2.0 */
/* SBR 7.1.4.2.2(d) and Appendix A.1: organizationIdentifier, scheme by
 * scheme, and the LEI extension of 7.1.2.3(l) that repeats an LEI
 * identifier. The rows judge the subject; pol_orgid_view_fails lets the
 * directoryName rule (7.1.4.2.1) apply the same rows to a SAN Name. */
#include "pol_int.h"
#include "pol_tables.h"

/* id-at-organizationIdentifier 2.5.4.97, id-at-countryName 2.5.4.6. */
static int is_orgid(const pol_attr *a) { return a->oid.len == 3 && a->oid.p[0] == 0x55 && a->oid.p[1] == 4 && a->oid.p[2] == 97; }
static int is_country(const pol_attr *a) { return a->oid.len == 3 && a->oid.p[0] == 0x55 && a->oid.p[1] == 4 && a->oid.p[2] == 6; }

static int upper(uint8_t c) { return c >= 'A' && c <= 'Z'; }

int pol_orgid_parse(const uint8_t *p, size_t n, pol_orgid *o)
{
    static const char schemes[][4] = { "NTR", "VAT", "PSD", "LEI", "GOV", "INT" };
    size_t i = 5;
    o->scheme = -1;
    o->sub = o->ref = NULL;
    o->sub_len = o->ref_len = 0;
    if (n < 5)
        return -1;
    for (int s = 0; s < (int)(sizeof schemes / sizeof *schemes); s++)
        if (p[0] == (uint8_t)schemes[s][0] && p[1] == (uint8_t)schemes[s][1] && p[2] == (uint8_t)schemes[s][2])
            o->scheme = s;
    if (o->scheme < 0 || !upper(p[3]) || !upper(p[4]))
        return -1;
    o->cc[0] = p[3];
    o->cc[1] = p[4];
    /* "+" and an up-to-3 character ISO 3166-2 identifier: the structure
     * of (d) for any scheme; whether the scheme may carry one is
     * orgid.subdivision-not-allowed's question. */
    if (i < n && p[i] == '+') {
        o->sub = p + ++i;
        while (i < n && p[i] != '-' && o->sub_len < 4) {
            if (!upper(p[i]) && !(p[i] >= '0' && p[i] <= '9'))
                return -1;
            i++;
            o->sub_len++;
        }
        if (o->sub_len < 1 || o->sub_len > 3)
            return -1;
    }
    if (o->scheme == ORGID_GOV || o->scheme == ORGID_INT) /* Note 2: no Registration Reference */
        return i == n ? 0 : -1;
    if (i >= n || p[i] != '-' || i + 1 == n)
        return -1;
    o->ref = p + i + 1;
    o->ref_len = n - i - 1;
    return 0;
}

/* ISO 17442: 18 alphanumerics and 2 check digits, ISO 7064 MOD 97-10 (the
 * letters counted as 10..35) giving 1. */
int pol_lei_valid(const uint8_t *p, size_t n)
{
    unsigned r = 0;
    if (n != 20 || p[18] < '0' || p[18] > '9' || p[19] < '0' || p[19] > '9')
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] >= '0' && p[i] <= '9')
            r = (r * 10 + (unsigned)(p[i] - '0')) % 97;
        else if (upper(p[i]))
            r = (r * 100 + (unsigned)(p[i] - 'A') + 10) % 97;
        else
            return 0;
    }
    return r == 1;
}

/* The ISO 3166-1 code an identifier's country stands for: Article 215 of
 * Council Directive 2006/112/EC, as amended, gives VAT the prefixes "EL"
 * (Greece) and "XI" (Northern Ireland, by Directive (EU) 2020/1756). */
static void orgid_iso(const pol_orgid *o, uint8_t cc[2])
{
    cc[0] = o->cc[0];
    cc[1] = o->cc[1];
    if (o->scheme == ORGID_VAT && cc[0] == 'E' && cc[1] == 'L')
        cc[0] = 'G', cc[1] = 'R';
    else if (o->scheme == ORGID_VAT && cc[0] == 'X' && cc[1] == 'I')
        cc[0] = 'G', cc[1] = 'B';
}

int pol_orgid_country_ok(const pol_orgid *o)
{
    uint8_t cc[2];
    /* A.1 LEI: "The 2 character ISO 3166-1 country code SHALL be set to
     * 'XG'"; Note 2: "INT" followed by "XG". XG is nobody else's. */
    if (o->scheme == ORGID_LEI || o->scheme == ORGID_INT)
        return o->cc[0] == 'X' && o->cc[1] == 'G';
    orgid_iso(o, cc);
    /* XX as 7.1.4.2.2(n) allows it for a country without an ISO code */
    return (cc[0] == 'X' && cc[1] == 'X') || pol_iso3166_1_find(cc) >= 0;
}

/* Which schemes may name a subdivision: (d) gives "+" for a Registration
 * Reference "assigned at the subdivision (state or province) level", and
 * A.1 says by whom each scheme's references are assigned: NTR "a national
 * or state trade register" (may be a state's); VAT "the national tax
 * authorities", PSD "a national authorization number", LEI the global
 * ISO 17442 system ("XG"), INT "XG" (Note 2) -- none of these at a
 * subdivision level. GOV: Note 2 adds the "+" for a Government Entity
 * "verified at a subdivision (state or province) level". */
int pol_orgid_sub_allowed(const pol_orgid *o) { return !o->sub || o->scheme == ORGID_NTR || o->scheme == ORGID_GOV; }

int pol_orgid_sub_ok(const pol_orgid *o)
{
    uint8_t cc[2];
    if (!o->sub)
        return 1;
    orgid_iso(o, cc);
    return pol_iso3166_2_has(cc, o->sub, o->sub_len);
}

/* ETSI TS 119 495 5.2.1, which A.1 names for PSD: after "PSD" and the
 * country, "-", the 2-8 character NCA identifier (A-Z only), "-", the PSP
 * identifier. */
int pol_orgid_psd_ok(const pol_orgid *o)
{
    size_t i = 0;
    while (i < o->ref_len && upper(o->ref[i]))
        i++;
    return i >= 2 && i <= 8 && i + 1 < o->ref_len && o->ref[i] == '-';
}

/* --- The rows, on the attributes of one Name ------------------------------ */

/* An organizationIdentifier in one of its two allowed string types that
 * parses (the others are string-type's or syntax's, not judged further). */
static int orgid_string(const pol_attr *a) { return is_orgid(a) && (a->tag == DER_PRINTABLE || a->tag == DER_UTF8); }
static int orgid_at(const pol_attr *a, pol_orgid *o)
{
    return orgid_string(a) && pol_orgid_parse(a->value.p, a->value.len, o) == 0;
}

/* "The subject:organizationIdentifier SHALL be encoded as a PrintableString
 * or UTF8String." */
static int o_string_type(const pol_eval *e, const pol_attr *a, uint8_t n)
{
    (void)e;
    for (uint8_t i = 0; i < n; i++)
        if (is_orgid(&a[i]) && a[i].tag != DER_PRINTABLE && a[i].tag != DER_UTF8)
            return 1;
    return 0;
}
/* The structure "in the presented order": 3 character scheme (Appendix A,
 * or GOV/INT of Note 2), 2 character country, optional "+" subdivision,
 * "-" and the Registration Reference (none for GOV and INT). */
static int o_syntax(const pol_eval *e, const pol_attr *a, uint8_t n)
{
    pol_orgid o;
    (void)e;
    for (uint8_t i = 0; i < n; i++)
        if (orgid_string(&a[i]) && pol_orgid_parse(a[i].value.p, a[i].value.len, &o))
            return 1;
    return 0;
}
static int o_country(const pol_eval *e, const pol_attr *a, uint8_t n)
{
    pol_orgid o;
    (void)e;
    for (uint8_t i = 0; i < n; i++)
        if (orgid_at(&a[i], &o) && !pol_orgid_country_ok(&o))
            return 1;
    return 0;
}
static int o_subdivision_not_allowed(const pol_eval *e, const pol_attr *a, uint8_t n)
{
    pol_orgid o;
    (void)e;
    for (uint8_t i = 0; i < n; i++)
        if (orgid_at(&a[i], &o) && !pol_orgid_sub_allowed(&o))
            return 1;
    return 0;
}
/* Judged where a subdivision is allowed (else the row above speaks). */
static int o_subdivision(const pol_eval *e, const pol_attr *a, uint8_t n)
{
    pol_orgid o;
    (void)e;
    for (uint8_t i = 0; i < n; i++)
        if (orgid_at(&a[i], &o) && pol_orgid_sub_allowed(&o) && pol_orgid_country_ok(&o) && !pol_orgid_sub_ok(&o))
            return 1;
    return 0;
}
/* Note 1: "With the exception of the LEI and INT Registration Schemes, if a
 * subject:countryName is present in the Certificate the country code used
 * in the Registration Scheme identifier SHALL match that of the
 * subject:countryName"; with the VAT prefix of Article 215, countryName
 * "SHALL contain the corresponding ISO 3166-1 country code". */
static int o_country_match(const pol_eval *e, const pol_attr *a, uint8_t n)
{
    pol_orgid o;
    uint8_t cc[2];
    (void)e;
    for (uint8_t i = 0; i < n; i++) {
        if (!orgid_at(&a[i], &o) || o.scheme == ORGID_LEI || o.scheme == ORGID_INT)
            continue;
        orgid_iso(&o, cc);
        for (uint8_t j = 0; j < n; j++)
            if (is_country(&a[j]) && !pol_eq(a[j].value, cc, 2))
                return 1;
    }
    return 0;
}
/* A.1 LEI: "a Legal Entity Identifier as specified in ISO 17442". */
static int o_lei(const pol_eval *e, const pol_attr *a, uint8_t n)
{
    pol_orgid o;
    (void)e;
    for (uint8_t i = 0; i < n; i++)
        if (orgid_at(&a[i], &o) && o.scheme == ORGID_LEI && !pol_lei_valid(o.ref, o.ref_len))
            return 1;
    return 0;
}
static int o_psd(const pol_eval *e, const pol_attr *a, uint8_t n)
{
    pol_orgid o;
    (void)e;
    for (uint8_t i = 0; i < n; i++)
        if (orgid_at(&a[i], &o) && o.scheme == ORGID_PSD && !pol_orgid_psd_ok(&o))
            return 1;
    return 0;
}

/* X(function, code, section, message): the rows on one Name. */
#define ORGID_RULES(X)                                                                                           \
    X(string_type, "sbr.7.1.4.2.2.orgid.string-type", "7.1.4.2.2(d)",                                         \
      "organizationIdentifier is not a PrintableString or UTF8String")                                         \
    X(syntax, "sbr.7.1.4.2.2.orgid.syntax", "7.1.4.2.2(d)",                                                   \
      "organizationIdentifier is not scheme, country, [+subdivision], -reference (or GOV/INT form)")            \
    X(country, "sbr.7.1.4.2.2.orgid.country", "7.1.4.2.2(d)",                                                 \
      "organizationIdentifier country is not an ISO 3166-1 code allowed for its scheme")                        \
    X(subdivision_not_allowed, "sbr.7.1.4.2.2.orgid.subdivision-not-allowed", "7.1.4.2.2(d), Appendix A.1",    \
      "organizationIdentifier of scheme VAT, PSD, LEI or INT carries a +subdivision (NTR and GOV only)")        \
    X(subdivision, "sbr.7.1.4.2.2.orgid.subdivision", "7.1.4.2.2(d)",                                         \
      "organizationIdentifier subdivision is not an ISO 3166-2 code of its country")                            \
    X(country_match, "sbr.7.1.4.2.2.orgid.country-mismatch", "7.1.4.2.2(d) Note 1",                           \
      "organizationIdentifier country differs from subject:countryName")                                        \
    X(lei, "sbr.7.1.4.2.2.orgid.lei", "Appendix A.1", "LEI organizationIdentifier reference is not a valid ISO 17442 LEI") \
    X(psd, "sbr.7.1.4.2.2.orgid.psd", "Appendix A.1",                                                         \
      "PSD organizationIdentifier reference is not NCA-ID \"-\" PSP-ID (ETSI TS 119 495 5.2.1)")

typedef int (*orgid_check)(const pol_eval *e, const pol_attr *a, uint8_t n);
#define AS_CHECK(fn, code, section, message) o_##fn,
static const orgid_check orgid_checks[] = { ORGID_RULES(AS_CHECK) };

int pol_orgid_view_fails(const pol_eval *e, const pol_attr *a, uint8_t n)
{
    for (size_t k = 0; k < sizeof orgid_checks / sizeof *orgid_checks; k++)
        if (orgid_checks[k](e, a, n))
            return 1;
    return 0;
}

#define AS_SUBJECT_RULE(fn, code, section, message) \
    static int s_##fn(const pol_eval *e) { return o_##fn(e, e->attrs, e->n_attrs); }
ORGID_RULES(AS_SUBJECT_RULE)

/* 7.1.2.3(l): the LEI extension (1.3.6.1.4.1.52266.1) carries "a 20-character,
 * alpha-numeric code used in accordance with ISO 17442-1:2020, Clause 6 and
 * ISO 17442-2:2020, Clause 4", the Legal Entity's own in an
 * Organization-validated certificate; A.1 LEI identifies "the entity named
 * in the subject:organizationName". ISO 17442 gives an entity one LEI, so
 * where both are present they SHALL be the same code. The value is read as
 * the PrintableString of ISO 17442-2; another form is the extension
 * decoder's to refuse. */
static int lei_ext_mismatch(const pol_eval *e)
{
    const pol_ext *x = pol_ext_get(e, EXT_LEI);
    pol_der c;
    pol_slice lei;
    pol_orgid o;
    if (!x || e->type != POL_ORGANIZATION)
        return 0;
    c = pol_der_of(x->value);
    if (pol_der_expect(&c, DER_PRINTABLE, &lei, NULL) || pol_der_more(&c))
        return 0;
    for (uint8_t i = 0; i < e->n_attrs; i++)
        if (orgid_at(&e->attrs[i], &o) && o.scheme == ORGID_LEI && !pol_eq(lei, o.ref, o.ref_len))
            return 1;
    return 0;
}

#define AS_ROW(fn, code, section, message) { code, section, message, s_##fn },
const pol_rule pol_rules_orgid[] = {
    ORGID_RULES(AS_ROW)
    { "sbr.7.1.2.3.lei.orgid-mismatch", "7.1.2.3(l), Appendix A.1",
      "organization: LEI extension differs from the LEI organizationIdentifier", lei_ext_mismatch },
};
const size_t pol_rules_orgid_n = sizeof pol_rules_orgid / sizeof *pol_rules_orgid;
