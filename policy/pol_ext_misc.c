/* SPDX-License-Identifier: Apache-2.0 */
/* The values of the optional extensions of SBR 7.1.2.3 (i), (j), (l), (m),
 * (n), decoded to their whole ASN.1 definitions; findings as XB_* bits. */
#include "pol_int.h"
#include "pol_mailbox.h"
#include "pol_tables.h"

int pol_oid_valid(pol_slice o)
{
    /* Subidentifiers in base 128, minimal (no leading 0x80), last octet ends one. */
    if (o.len == 0 || (o.p[o.len - 1] & 0x80))
        return 0;
    for (size_t i = 0; i < o.len; i++)
        if (o.p[i] == 0x80 && (i == 0 || !(o.p[i - 1] & 0x80)))
            return 0;
    return 1;
}

int pol_int_valid(pol_slice v)
{
    return v.len > 0 && !(v.len > 1 && ((v.p[0] == 0 && !(v.p[1] & 0x80)) || (v.p[0] == 0xFF && (v.p[1] & 0x80))));
}

static int bits_valid(pol_slice v)
{
    if (v.len == 0 || v.p[0] > 7 || (v.len == 1 && v.p[0] != 0))
        return 0;
    return (v.p[v.len - 1] & ((1u << v.p[0]) - 1)) == 0; /* X.690 11.2.1: unused bits zero */
}

int pol_der_wellformed(pol_slice v, int depth)
{
    pol_der c = pol_der_of(v);
    while (pol_der_more(&c)) {
        uint8_t tag;
        pol_slice x;
        int b;
        if (pol_der_next(&c, &tag, &x, NULL))
            return 0;
        if (tag & 0x20) {
            /* X.690 10.2: universal strings are primitive in DER. */
            if ((tag & 0xC0) == 0 && tag != DER_SEQUENCE && tag != DER_SET)
                return 0;
            if (depth <= 0 || !pol_der_wellformed(x, depth - 1))
                return 0;
            continue;
        }
        switch (tag) {
        case DER_BOOLEAN: if (pol_der_bool(x, &b)) return 0; break;
        case DER_INTEGER: if (!pol_int_valid(x)) return 0; break;
        case DER_NULL: if (x.len) return 0; break;
        case DER_OID: if (!pol_oid_valid(x)) return 0; break;
        case DER_BIT_STRING: if (!bits_valid(x)) return 0; break;
        case 0x00: return 0; /* end-of-contents: BER only */
        default:
            if (x.len && pol_str_valid(tag, x) == 0)
                return 0;
        }
    }
    return 1;
}

/* Compares two TLVs as DER orders SET OF elements: as octet strings, the
 * shorter one padded with zero octets at its end (X.690 11.6). */
static int der_cmp(pol_slice a, pol_slice b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    for (size_t i = 0; i < n; i++)
        if (a.p[i] != b.p[i])
            return a.p[i] < b.p[i] ? -1 : 1;
    return a.len < b.len ? -1 : a.len > b.len;
}

int pol_set_of_sorted(pol_slice body)
{
    pol_der c = pol_der_of(body);
    pol_slice prev = { NULL, 0 }, x, tlv;
    uint8_t tag;
    while (pol_der_more(&c)) {
        if (pol_der_next(&c, &tag, &x, &tlv))
            return 0;
        if (prev.p && der_cmp(prev, tlv) > 0)
            return 0;
        prev = tlv;
    }
    return 1;
}

/* The value is one TLV of tag and nothing else. */
static int only(pol_slice v, uint8_t tag, pol_slice *x)
{
    pol_der c = pol_der_of(v);
    return pol_der_expect(&c, tag, x, NULL) == 0 && !pol_der_more(&c);
}

/* version INTEGER { v1(1) }: Adobe defines no other version. */
static int version_1(pol_der *s)
{
    pol_slice x;
    return pol_der_expect(s, DER_INTEGER, &x, NULL) == 0 && x.len == 1 && x.p[0] == 1;
}

/* Adobe Timestamp ::= SEQUENCE { version INTEGER { v1(1) }, location
 * GeneralName, requiresAuth BOOLEAN DEFAULT FALSE } (1.2.840.113583.1.1.9.1). */
uint32_t pol_ext_adobe_ts(pol_slice v)
{
    pol_slice body, x;
    pol_der s;
    pol_gname g;
    uint32_t bad = 0;
    int r, b = 0;
    if (!only(v, DER_SEQUENCE, &body))
        return XB(XB_ADOBE_TS_MALFORMED);
    s = pol_der_of(body);
    if (!version_1(&s) || pol_general_name(&s, &g))
        return XB(XB_ADOBE_TS_MALFORMED);
    /* The location is fetched over the web: an http(s) URI. */
    if (g.type != 6 || !(pol_has_scheme(g.value, "http://") || pol_has_scheme(g.value, "https://")))
        bad |= XB(XB_ADOBE_TS_LOCATION);
    r = pol_der_optional(&s, DER_BOOLEAN, &x, NULL);
    if (r < 0 || (r == 1 && pol_der_bool(x, &b)) || pol_der_more(&s))
        return bad | XB(XB_ADOBE_TS_MALFORMED);
    if (r == 1 && !b)
        bad |= XB(XB_ADOBE_TS_DEFAULT); /* X.690 11.5: a DEFAULT value is not encoded */
    return bad;
}

/* ArchiveRevInfo ::= SEQUENCE { version INTEGER { v1(1) } } (1.2.840.113583.1.1.9.2). */
uint32_t pol_ext_adobe_archive(pol_slice v)
{
    pol_slice body;
    pol_der s;
    if (!only(v, DER_SEQUENCE, &body))
        return XB(XB_ADOBE_ARCHIVE);
    s = pol_der_of(body);
    return version_1(&s) && !pol_der_more(&s) ? 0 : XB(XB_ADOBE_ARCHIVE);
}

/* SMIMECapabilities ::= SEQUENCE OF SMIMECapability; SMIMECapability ::=
 * SEQUENCE { capabilityID OID, parameters ANY DEFINED BY capabilityID
 * OPTIONAL } (RFC 8551 2.5.2, RFC 4262). Unknown capabilities are a sender's
 * business: any OID, with parameters that are one well-formed DER value. */
uint32_t pol_ext_smimecap(pol_slice v)
{
    pol_slice body, cap, id, par, tlv;
    pol_der s;
    uint8_t tag;
    if (!only(v, DER_SEQUENCE, &body) || body.len == 0)
        return XB(XB_SMIMECAP);
    s = pol_der_of(body);
    while (pol_der_more(&s)) {
        pol_der c;
        if (pol_der_expect(&s, DER_SEQUENCE, &cap, NULL))
            return XB(XB_SMIMECAP);
        c = pol_der_of(cap);
        if (pol_der_expect(&c, DER_OID, &id, NULL) || !pol_oid_valid(id))
            return XB(XB_SMIMECAP);
        if (pol_der_more(&c) && (pol_der_next(&c, &tag, &par, &tlv) || !pol_der_wellformed(tlv, 8)))
            return XB(XB_SMIMECAP);
        if (pol_der_more(&c))
            return XB(XB_SMIMECAP);
    }
    return 0;
}

/* ISO 17442-2:2020 4: LEI ::= PrintableString (SIZE (20)), 18 of [0-9A-Z]
 * and two check digits (SBR 7.1.2.3(l)). */
uint32_t pol_ext_lei(pol_slice v)
{
    pol_slice x;
    if (!only(v, DER_PRINTABLE, &x) || x.len != 20)
        return XB(XB_LEI_SYNTAX);
    for (size_t i = 0; i < x.len; i++)
        if (!((x.p[i] >= '0' && x.p[i] <= '9') || (x.p[i] >= 'A' && x.p[i] <= 'Z')))
            return XB(XB_LEI_SYNTAX);
    return pol_lei_valid(x.p, x.len) ? 0 : XB(XB_LEI_CHECK);
}

/* ISO 17442-2:2020 4: Role ::= PrintableString (SIZE (1..ub-leiRole-length)),
 * ub-leiRole-length = 100. */
uint32_t pol_ext_lei_role(pol_slice v)
{
    pol_slice x;
    return only(v, DER_PRINTABLE, &x) && x.len <= 100 && pol_str_valid(DER_PRINTABLE, x) == 1 ? 0 : XB(XB_LEI_ROLE);
}

/* SubjectKeyIdentifier ::= KeyIdentifier ::= OCTET STRING (RFC 5280 4.2.1.2). */
uint32_t pol_ext_ski(pol_slice v)
{
    pol_slice x;
    return only(v, DER_OCTET_STRING, &x) && x.len > 0 ? 0 : XB(XB_SKI);
}

/* --- subjectDirectoryAttributes (RFC 5280 4.2.1.8, RFC 3739 3.2.2) --------- */

/* id-pda: 1.3.6.1.5.5.7.9.x */
static const uint8_t id_pda[] = { 0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x09 };
enum { PDA_DOB = 1, PDA_POB, PDA_GENDER, PDA_CITIZENSHIP, PDA_RESIDENCE };

static int two_digits(const uint8_t *p, unsigned *out)
{
    if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
        return 0;
    *out = (unsigned)(p[0] - '0') * 10 + (unsigned)(p[1] - '0');
    return 1;
}

/* dateOfBirth: GeneralizedTime YYYYMMDD120000Z (RFC 3739 3.2.2: noon GMT,
 * so that the date reads the same in every time zone). */
static int dob_ok(uint8_t tag, pol_slice x)
{
    static const uint8_t mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    unsigned c, y, m, d;
    const uint8_t *p = x.p;
    if (tag != DER_GEN_TIME || x.len != 15 || !two_digits(p, &c) || !two_digits(p + 2, &y) ||
        !two_digits(p + 4, &m) || !two_digits(p + 6, &d))
        return 0;
    for (int i = 0; i < 7; i++)
        if (p[8 + i] != "120000Z"[i])
            return 0;
    y += c * 100;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m >= 1 && m <= 12 && d >= 1 && d <= mdays[m - 1] && !(m == 2 && d == 29 && !leap);
}

/* placeOfBirth: DirectoryString (SIZE (1..ub-name)), ub-name 128 (RFC 3739 A.1). */
static int pob_ok(uint8_t tag, pol_slice x)
{
    if (tag != DER_UTF8 && tag != DER_PRINTABLE && tag != DER_T61 && tag != DER_UNIVERSAL && tag != DER_BMP)
        return 0;
    long n = pol_str_chars(tag, x);
    return pol_str_valid(tag, x) == 1 && n >= 1 && n <= 128;
}

/* gender: PrintableString (SIZE(1)), "M", "F", "m" or "f" (RFC 3739 3.2.2). */
static int gender_ok(uint8_t tag, pol_slice x)
{
    return tag == DER_PRINTABLE && x.len == 1 && (x.p[0] == 'M' || x.p[0] == 'F' || x.p[0] == 'm' || x.p[0] == 'f');
}

/* countryOfCitizenship/Residence: PrintableString (SIZE (2)), ISO 3166 (RFC 3739 3.2.2). */
static int country_ok(uint8_t tag, pol_slice x)
{
    return tag == DER_PRINTABLE && x.len == 2 && pol_iso3166_1_find(x.p) >= 0;
}

/* Attribute ::= SEQUENCE { type OID, values SET SIZE (1..MAX) OF value }.
 * Only the five attributes of RFC 3739 3.2.2, which SBR 7.1.2.3(j) names:
 * any other type is refused (its syntax could not be checked). A person has
 * one date, place of birth and gender: those are single-valued. */
uint32_t pol_ext_sda(pol_slice v)
{
    pol_slice body, at, type, vals;
    pol_der s;
    uint32_t bad = 0;
    if (!only(v, DER_SEQUENCE, &body) || body.len == 0)
        return XB(XB_SDA_MALFORMED);
    s = pol_der_of(body);
    while (pol_der_more(&s)) {
        pol_der a, vs;
        int kind = 0, n = 0;
        if (pol_der_expect(&s, DER_SEQUENCE, &at, NULL))
            return bad | XB(XB_SDA_MALFORMED);
        a = pol_der_of(at);
        if (pol_der_expect(&a, DER_OID, &type, NULL) || !pol_oid_valid(type) ||
            pol_der_expect(&a, DER_SET, &vals, NULL) || vals.len == 0 || pol_der_more(&a) ||
            !pol_set_of_sorted(vals))
            return bad | XB(XB_SDA_MALFORMED);
        if (type.len == sizeof id_pda + 1 && pol_eq((pol_slice){ type.p, sizeof id_pda }, id_pda, sizeof id_pda) &&
            type.p[sizeof id_pda] >= PDA_DOB && type.p[sizeof id_pda] <= PDA_RESIDENCE)
            kind = type.p[sizeof id_pda];
        vs = pol_der_of(vals);
        while (pol_der_more(&vs)) {
            uint8_t tag;
            pol_slice x;
            if (pol_der_next(&vs, &tag, &x, NULL))
                return bad | XB(XB_SDA_MALFORMED);
            n++;
            switch (kind) {
            case PDA_DOB: if (!dob_ok(tag, x) || n > 1) bad |= XB(XB_SDA_DOB); break;
            case PDA_POB: if (!pob_ok(tag, x) || n > 1) bad |= XB(XB_SDA_POB); break;
            case PDA_GENDER: if (!gender_ok(tag, x) || n > 1) bad |= XB(XB_SDA_GENDER); break;
            case PDA_CITIZENSHIP: case PDA_RESIDENCE: if (!country_ok(tag, x)) bad |= XB(XB_SDA_COUNTRY); break;
            default: bad |= XB(XB_SDA_UNKNOWN);
            }
        }
    }
    return bad;
}

int pol_iso639_1_has(const uint8_t code[2])
{
    if (code[0] < 'a' || code[0] > 'z' || code[1] < 'a' || code[1] > 'z')
        return 0;
    unsigned i = (unsigned)(code[0] - 'a') * 26 + (unsigned)(code[1] - 'a');
    return pol_iso639_1[i >> 3] >> (i & 7) & 1;
}
