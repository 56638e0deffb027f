/* SPDX-License-Identifier: Apache-2.0 */
/* qcStatements (SBR 7.1.2.3(k): RFC 3739 3.2.6 and ETSI EN 319 412-5 4,
 * with the PSD2 statement of ETSI TS 119 495 5.1), every statement decoded
 * to its definition; findings as XB_QC_* bits. */
#include "pol_int.h"
#include "pol_mailbox.h"
#include "pol_tables.h"

/* id-etsi-qcs 0.4.0.1862.1.x (EN 319 412-5 5), id-qcs-pkixQCSyntax-v1/v2
 * 1.3.6.1.5.5.7.11.1/2 (RFC 3739 3.2.6.1), id-etsi-psd2-qcStatement
 * 0.4.0.19495.2 and its roles 0.4.0.19495.1.x (TS 119 495 5.1). */
static const uint8_t etsi_qcs[] = { 0x04, 0x00, 0x8E, 0x46, 0x01 };
static const uint8_t pkix_qcs[] = { 0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x0B };
static const uint8_t psd2_qcs[] = { 0x04, 0x00, 0x81, 0x98, 0x27, 0x02 };
static const uint8_t psd2_role[] = { 0x04, 0x00, 0x81, 0x98, 0x27, 0x01 };
enum { QCS_COMPLIANCE = 1, QCS_LIMIT, QCS_RETENTION, QCS_SSCD, QCS_PDS, QCS_TYPE, QCS_LEGISLATION };

/* o is arc followed by one subidentifier below 128: that one, else 0. */
static int arc_last(pol_slice o, const uint8_t *arc, size_t n)
{
    if (o.len != n + 1 || (o.p[n] & 0x80))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (o.p[i] != arc[i])
            return 0;
    return o.p[n];
}

static int only(pol_slice v, uint8_t tag, pol_slice *x)
{
    pol_der c = pol_der_of(v);
    return pol_der_expect(&c, tag, x, NULL) == 0 && !pol_der_more(&c);
}

/* UTF8String (SIZE (1..256)) of TS 119 495 5.1. */
static int utf8_256(pol_der *c, pol_slice *x)
{
    if (pol_der_expect(c, DER_UTF8, x, NULL))
        return 0;
    long n = pol_str_chars(DER_UTF8, *x);
    return pol_str_valid(DER_UTF8, *x) == 1 && n >= 1 && n <= 256;
}

/* MonetaryValue ::= SEQUENCE { currency Iso4217CurrencyCode, amount INTEGER,
 * exponent INTEGER }; Iso4217CurrencyCode ::= CHOICE { alphabetic
 * PrintableString (SIZE (3)), numeric INTEGER (1..999) } (EN 319 412-5 4.3.2). */
static int limit_ok(pol_slice info)
{
    pol_slice body, x;
    pol_der s;
    if (!only(info, DER_SEQUENCE, &body))
        return 0;
    s = pol_der_of(body);
    if (pol_der_optional(&s, DER_PRINTABLE, &x, NULL) == 1) {
        for (size_t i = 0; i < x.len; i++)
            if (x.p[i] < 'A' || x.p[i] > 'Z')
                return 0;
        if (x.len != 3)
            return 0;
    } else if (pol_der_expect(&s, DER_INTEGER, &x, NULL) || !pol_int_valid(x) || x.len > 2 || (x.p[0] & 0x80) ||
               (x.len == 1 ? x.p[0] == 0 : ((unsigned)x.p[0] << 8 | x.p[1]) > 999)) {
        return 0;
    }
    for (int i = 0; i < 2; i++)
        if (pol_der_expect(&s, DER_INTEGER, &x, NULL) || !pol_int_valid(x))
            return 0;
    return !pol_der_more(&s);
}

/* QcEuRetentionPeriod ::= INTEGER, a number of years (EN 319 412-5 4.3.3). */
static int retention_ok(pol_slice info)
{
    pol_slice x;
    return only(info, DER_INTEGER, &x) && pol_int_valid(x) && !(x.p[0] & 0x80);
}

/* QcEuPDS ::= PdsLocations ::= SEQUENCE SIZE (1..MAX) OF PdsLocation;
 * PdsLocation ::= SEQUENCE { url IA5String, language PrintableString
 * (SIZE(2)) } (EN 319 412-5 4.3.4): an https URL and an ISO 639-1 code. */
static int pds_ok(pol_slice info)
{
    pol_slice body, loc, url, lang;
    pol_der s;
    if (!only(info, DER_SEQUENCE, &body) || body.len == 0)
        return 0;
    s = pol_der_of(body);
    while (pol_der_more(&s)) {
        pol_der l;
        if (pol_der_expect(&s, DER_SEQUENCE, &loc, NULL))
            return 0;
        l = pol_der_of(loc);
        if (pol_der_expect(&l, DER_IA5, &url, NULL) || pol_der_expect(&l, DER_PRINTABLE, &lang, NULL) ||
            pol_der_more(&l))
            return 0;
        if (pol_str_valid(DER_IA5, url) != 1 || !pol_has_scheme(url, "https://") || pol_has_byte(url, ' '))
            return 0;
        if (lang.len != 2 || !pol_iso639_1_has(lang.p))
            return 0;
    }
    return 1;
}

/* QcType ::= SEQUENCE OF OBJECT IDENTIFIER: id-etsi-qct-esign, -eseal,
 * -web (0.4.0.1862.1.6.1..3, EN 319 412-5 4.2.3); at least one. */
static int type_ok(pol_slice info)
{
    static const uint8_t qct[] = { 0x04, 0x00, 0x8E, 0x46, 0x01, 0x06 };
    pol_slice body, o;
    pol_der s;
    if (!only(info, DER_SEQUENCE, &body) || body.len == 0)
        return 0;
    s = pol_der_of(body);
    while (pol_der_more(&s)) {
        int t;
        if (pol_der_expect(&s, DER_OID, &o, NULL) || (t = arc_last(o, qct, sizeof qct)) < 1 || t > 3)
            return 0;
    }
    return 1;
}

/* QcCClegislation ::= SEQUENCE OF CountryName; CountryName ::=
 * PrintableString (SIZE (2)), ISO 3166 (EN 319 412-5 4.2.4); at least one. */
static int legislation_ok(pol_slice info)
{
    pol_slice body, cc;
    pol_der s;
    if (!only(info, DER_SEQUENCE, &body) || body.len == 0)
        return 0;
    s = pol_der_of(body);
    while (pol_der_more(&s))
        if (pol_der_expect(&s, DER_PRINTABLE, &cc, NULL) || cc.len != 2 || pol_iso3166_1_find(cc.p) < 0)
            return 0;
    return 1;
}

/* PSD2QcType ::= SEQUENCE { rolesOfPSP RolesOfPSP, nCAName NCAName, nCAId
 * NCAId }; RolesOfPSP ::= SEQUENCE OF RoleOfPSP; RoleOfPSP ::= SEQUENCE {
 * roleOfPspOid, roleOfPspName UTF8String (SIZE(1..256)) } (TS 119 495 5.1):
 * each role one of the four of 5.1 with its name, at least one role. */
static int psd2_ok(pol_slice info)
{
    static const char *const names[] = { "PSP_AS", "PSP_PI", "PSP_AI", "PSP_IC" };
    pol_slice body, roles, role, o, x;
    pol_der s, r;
    if (!only(info, DER_SEQUENCE, &body))
        return 0;
    s = pol_der_of(body);
    if (pol_der_expect(&s, DER_SEQUENCE, &roles, NULL) || roles.len == 0)
        return 0;
    r = pol_der_of(roles);
    while (pol_der_more(&r)) {
        pol_der e;
        int k;
        if (pol_der_expect(&r, DER_SEQUENCE, &role, NULL))
            return 0;
        e = pol_der_of(role);
        if (pol_der_expect(&e, DER_OID, &o, NULL) || (k = arc_last(o, psd2_role, sizeof psd2_role)) < 1 || k > 4 ||
            !utf8_256(&e, &x) || pol_der_more(&e))
            return 0;
        const char *n = names[k - 1];
        size_t i = 0;
        while (n[i] && i < x.len && x.p[i] == (uint8_t)n[i])
            i++;
        if (n[i] || i != x.len)
            return 0;
    }
    return utf8_256(&s, &x) && utf8_256(&s, &x) && !pol_der_more(&s);
}

/* SemanticsInformation ::= SEQUENCE { semanticsIdentifier OID OPTIONAL,
 * nameRegistrationAuthorities SEQUENCE SIZE (1..MAX) OF GeneralName
 * OPTIONAL }, one of them at least (RFC 3739 3.2.6.1); statementInfo may be
 * absent. */
static int semantics_ok(pol_slice info, int present)
{
    pol_slice body, o, nras;
    pol_der s;
    int r1, r2;
    if (!present)
        return 1;
    if (!only(info, DER_SEQUENCE, &body))
        return 0;
    s = pol_der_of(body);
    if ((r1 = pol_der_optional(&s, DER_OID, &o, NULL)) < 0 || (r1 && !pol_oid_valid(o)))
        return 0;
    if ((r2 = pol_der_optional(&s, DER_SEQUENCE, &nras, NULL)) < 0 || pol_der_more(&s) || (!r1 && !r2))
        return 0;
    if (r2) {
        pol_der n = pol_der_of(nras);
        pol_gname g;
        if (nras.len == 0)
            return 0;
        while (pol_der_more(&n))
            if (pol_general_name(&n, &g))
                return 0;
    }
    return 1;
}

/* QCStatements ::= SEQUENCE OF QCStatement; QCStatement ::= SEQUENCE {
 * statementId OID, statementInfo ANY DEFINED BY statementId OPTIONAL }.
 * A statementId outside RFC 3739, EN 319 412-5 and TS 119 495 is refused:
 * 7.1.2.3(k) names those texts, and an unknown statement's meaning to
 * relying parties cannot be checked (docs/policy.md). */
uint32_t pol_ext_qc(pol_slice v)
{
    pol_slice body, st, id, info = { NULL, 0 };
    pol_der s;
    uint32_t bad = 0;
    if (!only(v, DER_SEQUENCE, &body) || body.len == 0)
        return XB(XB_QC_MALFORMED);
    s = pol_der_of(body);
    while (pol_der_more(&s)) {
        pol_der q;
        uint8_t tag;
        int has_info, k;
        if (pol_der_expect(&s, DER_SEQUENCE, &st, NULL))
            return bad | XB(XB_QC_MALFORMED);
        q = pol_der_of(st);
        if (pol_der_expect(&q, DER_OID, &id, NULL) || !pol_oid_valid(id))
            return bad | XB(XB_QC_MALFORMED);
        has_info = pol_der_more(&q);
        if (has_info && pol_der_next(&q, &tag, &info, &info))
            return bad | XB(XB_QC_MALFORMED);
        if (pol_der_more(&q))
            return bad | XB(XB_QC_MALFORMED);
        if ((k = arc_last(id, etsi_qcs, sizeof etsi_qcs)) != 0) {
            switch (k) {
            case QCS_COMPLIANCE: case QCS_SSCD: if (has_info) bad |= XB(XB_QC_FLAG_INFO); break;
            case QCS_LIMIT: if (!has_info || !limit_ok(info)) bad |= XB(XB_QC_LIMIT); break;
            case QCS_RETENTION: if (!has_info || !retention_ok(info)) bad |= XB(XB_QC_RETENTION); break;
            case QCS_PDS: if (!has_info || !pds_ok(info)) bad |= XB(XB_QC_PDS); break;
            case QCS_TYPE: if (!has_info || !type_ok(info)) bad |= XB(XB_QC_TYPE); break;
            case QCS_LEGISLATION: if (!has_info || !legislation_ok(info)) bad |= XB(XB_QC_LEGISLATION); break;
            default: bad |= XB(XB_QC_UNKNOWN);
            }
        } else if ((k = arc_last(id, pkix_qcs, sizeof pkix_qcs)) == 1 || k == 2) {
            if (!semantics_ok(info, has_info))
                bad |= XB(XB_QC_SEMANTICS);
        } else if (pol_eq(id, psd2_qcs, sizeof psd2_qcs)) {
            if (!has_info || !psd2_ok(info))
                bad |= XB(XB_QC_PSD2);
        } else {
            bad |= XB(XB_QC_UNKNOWN);
        }
    }
    return bad;
}
