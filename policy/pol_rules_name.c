/* SPDX-License-Identifier: Apache-2.0 */
/* SBR 7.1.4: names. The subjectAltName content (7.1.4.2.1), the subject
 * distinguished name fields (7.1.4.2.2) and the attribute tables per
 * certificate type and generation (7.1.4.2.3 to 7.1.4.2.6).
 *
 * The subject rules judge a "name view" (attributes of one Name), so that
 * the same rows also judge the directoryName entries of the SAN, which
 * 7.1.4.2.1 holds to 7.1.4.2.2-7.1.4.2.6 as well. */
#include <string.h>
#include "pol_int.h"
#include "pol_mailbox.h"
#include "pol_tables.h"

/* id-on-SmtpUTF8Mailbox 1.3.6.1.5.5.7.8.9 (RFC 9598); pkcs-9 emailAddress. */
static const uint8_t oid_smtputf8[] = { 0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x08, 0x09 };
static const uint8_t oid_email[] = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x01 };

/* --- Attributes --------------------------------------------------------- */

/* The attributes of the tables of 7.1.4.2.3-7.1.4.2.6, then "Other". */
enum attr_kind {
    A_CN, A_O, A_OU, A_ORGID, A_GIVEN, A_SURNAME, A_PSEUDONYM, A_SERIAL, A_EMAIL, A_TITLE, A_STREET,
    A_L, A_ST, A_POSTAL, A_C, A_OTHER, A_COUNT
};

/* Syntax (RFC 5280 Appendix A.1; X.520 for streetAddress, postalCode and
 * organizationIdentifier) and upper bound in characters (0: none). */
enum { SYN_NONE, SYN_DIRSTRING, SYN_PRINTABLE, SYN_IA5 };
static const struct {
    uint8_t syntax;
    uint16_t ub;
} attr_info[A_COUNT] = {
    [A_CN] = { SYN_DIRSTRING, 64 },          /* ub-common-name */
    [A_O] = { SYN_DIRSTRING, 64 },           /* ub-organization-name */
    [A_OU] = { SYN_DIRSTRING, 64 },          /* ub-organizational-unit-name */
    [A_ORGID] = { SYN_DIRSTRING, 0 },        /* X.520 UnboundedDirectoryString; see (d) */
    [A_GIVEN] = { SYN_DIRSTRING, 32768 },    /* X520name: ub-name */
    [A_SURNAME] = { SYN_DIRSTRING, 32768 },  /* X520name: ub-name */
    [A_PSEUDONYM] = { SYN_DIRSTRING, 128 },  /* ub-pseudonym */
    [A_SERIAL] = { SYN_PRINTABLE, 64 },      /* X520SerialNumber: ub-serial-number */
    [A_EMAIL] = { SYN_IA5, 255 },            /* EmailAddress: ub-emailaddress-length */
    [A_TITLE] = { SYN_DIRSTRING, 64 },       /* ub-title */
    [A_STREET] = { SYN_DIRSTRING, 128 },     /* X.520 ub-street-address */
    [A_L] = { SYN_DIRSTRING, 128 },          /* ub-locality-name */
    [A_ST] = { SYN_DIRSTRING, 128 },         /* ub-state-name */
    [A_POSTAL] = { SYN_DIRSTRING, 40 },      /* X.520 ub-postal-code */
    [A_C] = { SYN_PRINTABLE, 2 },            /* X520countryName: PrintableString (SIZE (2)) */
    [A_OTHER] = { SYN_NONE, 0 },
};

static inline int attr_kind(pol_slice oid)
{
    if (oid.len == 3 && oid.p[0] == 0x55 && oid.p[1] == 0x04) { /* id-at (2.5.4) */
        switch (oid.p[2]) {
        case 3: return A_CN;
        case 4: return A_SURNAME;
        case 5: return A_SERIAL;
        case 6: return A_C;
        case 7: return A_L;
        case 8: return A_ST;
        case 9: return A_STREET;
        case 10: return A_O;
        case 11: return A_OU;
        case 12: return A_TITLE;
        case 17: return A_POSTAL;
        case 42: return A_GIVEN;
        case 65: return A_PSEUDONYM;
        case 97: return A_ORGID;
        default: return A_OTHER;
        }
    }
    return oid.len == sizeof oid_email && !memcmp(oid.p, oid_email, sizeof oid_email) ? A_EMAIL : A_OTHER;
}

/* The attributes of one Name: the subject, or a directoryName. */
typedef struct {
    const pol_attr *a;
    uint8_t n;
} nview;

static nview subject_view(const pol_eval *e)
{
    nview v = { e->attrs, e->n_attrs };
    return v;
}

static void count_kinds(const nview *v, uint8_t cnt[A_COUNT])
{
    for (int k = 0; k < A_COUNT; k++)
        cnt[k] = 0;
    for (uint8_t i = 0; i < v->n; i++)
        cnt[attr_kind(v->a[i].oid)]++;
}

static int has_kind(const nview *v, int kind)
{
    for (uint8_t i = 0; i < v->n; i++)
        if (attr_kind(v->a[i].oid) == kind)
            return 1;
    return 0;
}

/* 1 if some attribute of the kind has the same characters as (tag, val). */
static int equals_some(const nview *v, int kind, uint8_t tag, pol_slice val)
{
    for (uint8_t i = 0; i < v->n; i++)
        if (attr_kind(v->a[i].oid) == kind && pol_str_eq(v->a[i].tag, v->a[i].value, tag, val))
            return 1;
    return 0;
}

/* --- SAN mailboxes ---------------------------------------------------------- */

static int is_smtputf8(const pol_gname *g) { return g->type == 0 && POL_EQ(g->other_oid, oid_smtputf8); }

/* The mailbox of an rfc822Name or of an SmtpUTF8Mailbox whose value is one
 * UTF8String (RFC 9598 3): 1 with its string tag and content. */
static int san_mailbox(const pol_gname *g, uint8_t *tag, pol_slice *val)
{
    if (g->type == 1) {
        *tag = DER_IA5;
        *val = g->value;
        return 1;
    }
    if (is_smtputf8(g)) {
        pol_der c = pol_der_of(g->value);
        if (pol_der_expect(&c, DER_UTF8, val, NULL) || pol_der_more(&c))
            return 0;
        *tag = DER_UTF8;
        return 1;
    }
    return 0;
}

/* 1 if (tag, val) is repeated as a SAN mailbox: the local part exact, the
 * domain ignoring case. */
static int in_san(const pol_eval *e, uint8_t tag, pol_slice val)
{
    for (uint8_t i = 0; i < e->n_san; i++) {
        uint8_t t;
        pol_slice m;
        if (san_mailbox(&e->san[i], &t, &m) && pol_mailbox_same(t, m, tag, val))
            return 1;
    }
    return 0;
}

/* --- Subject DN fields, SBR 7.1.4 and 7.1.4.2.2 ---------------------------- */

/* 7.1.4: "Attribute values SHALL be encoded according to RFC 5280." */
static int tag_allowed(int syntax, uint8_t tag)
{
    switch (syntax) {
    case SYN_DIRSTRING: /* DirectoryString CHOICE */
        return tag == DER_T61 || tag == DER_PRINTABLE || tag == DER_UNIVERSAL || tag == DER_UTF8 || tag == DER_BMP;
    case SYN_PRINTABLE:
        return tag == DER_PRINTABLE;
    case SYN_IA5:
        return tag == DER_IA5;
    default:
        return 1;
    }
}
static int n_string_type(const pol_eval *e, const nview *v)
{
    (void)e;
    for (uint8_t i = 0; i < v->n; i++) {
        int k = attr_kind(v->a[i].oid);
        if (k != A_ORGID && !tag_allowed(attr_info[k].syntax, v->a[i].tag))
            return 1;
    }
    return 0;
}

/* RFC 5280 4.1.2.6: "When encoding attribute values of type DirectoryString,
 * conforming CAs MUST use PrintableString or UTF8String encoding", the only
 * exceptions being for subjects that are CAs. */
static int n_dirstring_legacy(const pol_eval *e, const nview *v)
{
    (void)e;
    for (uint8_t i = 0; i < v->n; i++) {
        uint8_t t = v->a[i].tag;
        int k = attr_kind(v->a[i].oid);
        if (k != A_ORGID && attr_info[k].syntax == SYN_DIRSTRING &&
            (t == DER_T61 || t == DER_BMP || t == DER_UNIVERSAL))
            return 1;
    }
    return 0;
}

/* Values are SIZE (1..ub) strings of their type's repertoire. */
static int n_value_encoding(const pol_eval *e, const nview *v)
{
    (void)e;
    for (uint8_t i = 0; i < v->n; i++)
        if (pol_str_valid(v->a[i].tag, v->a[i].value) == 0)
            return 1;
    return 0;
}

/* 7.1.4.2.2(a) Note: "subject:commonName and subject:emailAddress SHALL
 * comply with the attribute upper bounds defined in RFC 5280", like all
 * other attributes; counted in characters. */
static int n_upper_bound(const pol_eval *e, const nview *v)
{
    (void)e;
    for (uint8_t i = 0; i < v->n; i++) {
        unsigned ub = attr_info[attr_kind(v->a[i].oid)].ub;
        if (ub && pol_str_chars(v->a[i].tag, v->a[i].value) > (long)ub)
            return 1;
    }
    return 0;
}

/* 7.1.4.2: "Subject attributes SHALL NOT contain only metadata such as '.',
 * '-', and ' ' (i.e., space) characters, and/or any other indication that
 * the value is absent, incomplete, or not applicable." A value without a
 * letter or digit is only metadata, and so are "N/A" (with its separator)
 * and the words "not applicable" / "not available". Words that are also
 * names ("None", "Null", "NA" for Namibia) are not refused. */
static const uint8_t alnum_map[16] = { 0, 0, 0, 0, 0, 0, 0xFF, 0x03, 0xFE, 0xFF, 0xFF, 0x07, 0xFE, 0xFF, 0xFF, 0x07 };
static int filler(uint32_t cp)
{
    if (cp < 0x80)
        return !(alnum_map[cp >> 3] >> (cp & 7) & 1);
    return cp == 0xA0 || cp == 0xAD || (cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x3000 && cp <= 0x3003) ||
           cp == 0xFEFF || cp == 0xFF0D || cp == 0xFF0E || cp == 0xFF3F;
}
static int placeholder(uint8_t tag, pol_slice val)
{
    static const char *const words[] = { "notapplicable", "notavailable" };
    pol_str s = pol_str_of(tag, val);
    char w[13];
    size_t n = 0;
    int sep = 0, letters = 0;
    uint32_t cp;
    int octets = tag == DER_UTF8 || tag == DER_PRINTABLE || tag == DER_IA5;
    if (octets) { /* the usual case: the first letter settles it */
        size_t i = 0;
        while (i < val.len && val.p[i] < 0x80 && filler(val.p[i]))
            i++;
        if (i < val.len && val.p[i] < 0x80 && (val.p[i] | 0x20) != 'n')
            return 0; /* a letter or digit, and every placeholder word starts with "n" */
    }
    while (s.p < s.end) {
        if (octets && *s.p < 0x80)
            cp = *s.p++;
        else if (pol_str_next(&s, &cp) != 1)
            break;
        if (!filler(cp)) {
            /* a letter in any script, or more than the longest word */
            if (cp >= 0x80 || n == 13)
                return 0;
            w[n++] = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
            letters = 1;
        } else if (cp == '/' || cp == '.') {
            sep = 1;
        }
    }
    if (!letters)
        return 1;
    if (n == 2 && w[0] == 'n' && w[1] == 'a' && sep)
        return 1;
    for (size_t k = 0; k < sizeof words / sizeof *words; k++) {
        size_t j = 0;
        while (j < n && words[k][j] == w[j])
            j++;
        if (j == n && !words[k][j])
            return 1;
    }
    return 0;
}
static int n_metadata(const pol_eval *e, const nview *v)
{
    (void)e;
    for (uint8_t i = 0; i < v->n; i++) {
        const pol_attr *a = &v->a[i];
        /* strings only; an empty or malformed one is value-encoding's */
        if (a->value.len && (a->tag == DER_UTF8 || a->tag == DER_PRINTABLE || a->tag == DER_IA5 ||
                             pol_str_valid(a->tag, a->value) == 1) &&
            placeholder(a->tag, a->value))
            return 1;
    }
    return 0;
}

/* (n) "the two-letter ISO 3166-1 country code ... If a Country is not
 * represented by an official ISO 3166-1 country code, the CA MUST specify
 * the ISO 3166-1 user-assigned code of XX". */
static int country_ok(const uint8_t cc[2]) { return (cc[0] == 'X' && cc[1] == 'X') || pol_iso3166_1_find(cc) >= 0; }
static int n_country_code(const pol_eval *e, const nview *v)
{
    (void)e;
    for (uint8_t i = 0; i < v->n; i++)
        if (attr_kind(v->a[i].oid) == A_C && (v->a[i].value.len != 2 || !country_ok(v->a[i].value.p)))
            return 1;
    return 0;
}

/* (h) "subject:emailAddress SHALL contain a single Mailbox Address"; the
 * attribute is an IA5String, so the RFC 5321 (ASCII) form. */
static int n_email_syntax(const pol_eval *e, const nview *v)
{
    pol_mbox mb;
    (void)e;
    for (uint8_t i = 0; i < v->n; i++)
        if (attr_kind(v->a[i].oid) == A_EMAIL && pol_mailbox_parse(v->a[i].value.p, v->a[i].value.len, 0, &mb))
            return 1;
    return 0;
}

/* (j) "The subject:streetAddress field SHALL only be used if the
 * subject:localityName or subject:stateOrProvinceName field is present."
 * (k), (l), (m): localityName, stateOrProvinceName, postalCode "SHALL only
 * be used if the subject:countryName field is present." */
static int n_street_alone(const pol_eval *e, const nview *v)
{
    (void)e;
    return has_kind(v, A_STREET) && !has_kind(v, A_L) && !has_kind(v, A_ST);
}
static int n_locality_alone(const pol_eval *e, const nview *v)
{
    (void)e;
    return has_kind(v, A_L) && !has_kind(v, A_C);
}
static int n_state_alone(const pol_eval *e, const nview *v)
{
    (void)e;
    return has_kind(v, A_ST) && !has_kind(v, A_C);
}
static int n_postal_alone(const pol_eval *e, const nview *v)
{
    (void)e;
    return has_kind(v, A_POSTAL) && !has_kind(v, A_C);
}

/* (e) "The subject:givenName and/or subject:surname SHALL NOT be present if
 * the subject:pseudonym is present." (f) the same, seen from pseudonym. */
static int n_pseudonym_with_name(const pol_eval *e, const nview *v)
{
    (void)e;
    return has_kind(v, A_PSEUDONYM) && (has_kind(v, A_GIVEN) || has_kind(v, A_SURNAME));
}

/* (a) commonName contents per certificate type:
 *   Mailbox-validated       Mailbox Address
 *   Organization-validated  subject:organizationName or Mailbox Address
 *   Sponsor-/Individual-    Personal Name, Pseudonym, or Mailbox Address
 * "If present, the Mailbox Address SHALL contain a rfc822Name or otherName
 * value of type id-on-SmtpUTF8Mailbox from extensions:subjectAltName." "If
 * present, the Pseudonym SHALL contain the subject:pseudonym if that
 * Subject attribute is also present." "If the subject:commonName contains a
 * Personal Name, then the subject:pseudonym attribute SHALL NOT be
 * present." A commonName with an "@" is read as a Mailbox Address (no
 * Personal Name has one); a Personal Name itself cannot be judged here. */
static int n_cn_mailbox_type(const pol_eval *e, const nview *v)
{
    if (e->type != POL_MAILBOX)
        return 0;
    for (uint8_t i = 0; i < v->n; i++)
        if (attr_kind(v->a[i].oid) == A_CN && !in_san(e, v->a[i].tag, v->a[i].value))
            return 1;
    return 0;
}
static int n_cn_organization_type(const pol_eval *e, const nview *v)
{
    if (e->type != POL_ORGANIZATION)
        return 0;
    for (uint8_t i = 0; i < v->n; i++) {
        const pol_attr *a = &v->a[i];
        if (attr_kind(a->oid) == A_CN && !in_san(e, a->tag, a->value) && !equals_some(v, A_O, a->tag, a->value))
            return 1;
    }
    return 0;
}
static int personal(const pol_eval *e) { return e->type == POL_SPONSOR || e->type == POL_INDIVIDUAL; }
static int n_cn_mailbox_not_in_san(const pol_eval *e, const nview *v)
{
    if (!personal(e))
        return 0;
    for (uint8_t i = 0; i < v->n; i++) {
        const pol_attr *a = &v->a[i];
        if (attr_kind(a->oid) == A_CN && pol_str_has(a->tag, a->value, '@') && !in_san(e, a->tag, a->value) &&
            !equals_some(v, A_PSEUDONYM, a->tag, a->value))
            return 1;
    }
    return 0;
}
static int n_cn_pseudonym(const pol_eval *e, const nview *v)
{
    if (!personal(e) || !has_kind(v, A_PSEUDONYM))
        return 0;
    for (uint8_t i = 0; i < v->n; i++) {
        const pol_attr *a = &v->a[i];
        if (attr_kind(a->oid) == A_CN && !pol_str_has(a->tag, a->value, '@') &&
            !equals_some(v, A_PSEUDONYM, a->tag, a->value))
            return 1;
    }
    return 0;
}

/* --- Attribute tables, 7.1.4.2.3 to 7.1.4.2.6 ------------------------------
 * One cell per type, attribute and generation (legacy, multipurpose,
 * strict), two bits each: MAY, SHALL (be present), SHALL NOT. */
enum { P_MAY = 0, P_SHALL = 1, P_NOT = 2 };
#define ALL(x) ((x) | (x) << 2 | (x) << 4)
#define GENS(l, m, s) ((l) | (m) << 2 | (s) << 4)
static const uint8_t presence[4][A_COUNT] = {
    [POL_MAILBOX] = { /* 7.1.4.2.3 */
        [A_CN] = ALL(P_MAY), [A_O] = ALL(P_NOT), [A_OU] = ALL(P_NOT), [A_ORGID] = ALL(P_NOT),
        [A_GIVEN] = ALL(P_NOT), [A_SURNAME] = ALL(P_NOT), [A_PSEUDONYM] = ALL(P_NOT), [A_SERIAL] = ALL(P_MAY),
        [A_EMAIL] = ALL(P_MAY), [A_TITLE] = ALL(P_NOT), [A_STREET] = ALL(P_NOT), [A_L] = ALL(P_NOT),
        [A_ST] = ALL(P_NOT), [A_POSTAL] = ALL(P_NOT), [A_C] = ALL(P_NOT), [A_OTHER] = ALL(P_NOT),
    },
    [POL_ORGANIZATION] = { /* 7.1.4.2.4 */
        [A_CN] = ALL(P_MAY), [A_O] = ALL(P_SHALL), [A_OU] = ALL(P_MAY), [A_ORGID] = ALL(P_SHALL),
        [A_GIVEN] = ALL(P_NOT), [A_SURNAME] = ALL(P_NOT), [A_PSEUDONYM] = ALL(P_NOT), [A_SERIAL] = ALL(P_MAY),
        [A_EMAIL] = ALL(P_MAY), [A_TITLE] = ALL(P_NOT), [A_STREET] = GENS(P_MAY, P_MAY, P_NOT), [A_L] = ALL(P_MAY),
        [A_ST] = ALL(P_MAY), [A_POSTAL] = GENS(P_MAY, P_MAY, P_NOT), [A_C] = ALL(P_MAY),
        [A_OTHER] = GENS(P_MAY, P_NOT, P_NOT),
    },
    [POL_SPONSOR] = { /* 7.1.4.2.5 */
        [A_CN] = ALL(P_MAY), [A_O] = ALL(P_SHALL), [A_OU] = ALL(P_MAY), [A_ORGID] = ALL(P_SHALL),
        [A_GIVEN] = ALL(P_MAY), [A_SURNAME] = ALL(P_MAY), [A_PSEUDONYM] = ALL(P_MAY), [A_SERIAL] = ALL(P_MAY),
        [A_EMAIL] = ALL(P_MAY), [A_TITLE] = ALL(P_MAY), [A_STREET] = GENS(P_MAY, P_MAY, P_NOT), [A_L] = ALL(P_MAY),
        [A_ST] = ALL(P_MAY), [A_POSTAL] = GENS(P_MAY, P_MAY, P_NOT), [A_C] = ALL(P_MAY),
        [A_OTHER] = GENS(P_MAY, P_NOT, P_NOT),
    },
    [POL_INDIVIDUAL] = { /* 7.1.4.2.6 */
        [A_CN] = ALL(P_MAY), [A_O] = ALL(P_NOT), [A_OU] = ALL(P_NOT), [A_ORGID] = ALL(P_NOT),
        [A_GIVEN] = ALL(P_MAY), [A_SURNAME] = ALL(P_MAY), [A_PSEUDONYM] = ALL(P_MAY), [A_SERIAL] = ALL(P_MAY),
        [A_EMAIL] = ALL(P_MAY), [A_TITLE] = ALL(P_MAY), [A_STREET] = GENS(P_MAY, P_MAY, P_NOT), [A_L] = ALL(P_MAY),
        [A_ST] = ALL(P_MAY), [A_POSTAL] = GENS(P_MAY, P_MAY, P_NOT), [A_C] = ALL(P_MAY),
        [A_OTHER] = GENS(P_MAY, P_NOT, P_NOT),
    },
};

/* 1 if, for the certificate's type (== type) and generation, an attribute in
 * [from, to) is absent though marked want == P_SHALL, or present though
 * marked want == P_NOT. */
static int presence_broken(const pol_eval *e, const nview *v, int type, int want, int from, int to)
{
    uint8_t cnt[A_COUNT];
    if (e->type != type || e->gen < 0 || e->gen > 2)
        return 0;
    count_kinds(v, cnt);
    for (int k = from; k < to; k++) {
        int cell = presence[type][k] >> (2 * e->gen) & 3;
        if (cell == want && (want == P_SHALL ? cnt[k] == 0 : cnt[k] != 0))
            return 1;
    }
    return 0;
}
#define REQUIRED(e, v, t) presence_broken(e, v, t, P_SHALL, 0, A_OTHER)
#define PROHIBITED(e, v, t) presence_broken(e, v, t, P_NOT, 0, A_OTHER)
#define OTHER(e, v, t) presence_broken(e, v, t, P_NOT, A_OTHER, A_COUNT)
static int n_mailbox_prohibited(const pol_eval *e, const nview *v) { return PROHIBITED(e, v, POL_MAILBOX); }
static int n_mailbox_other(const pol_eval *e, const nview *v) { return OTHER(e, v, POL_MAILBOX); }
static int n_org_required(const pol_eval *e, const nview *v) { return REQUIRED(e, v, POL_ORGANIZATION); }
static int n_org_prohibited(const pol_eval *e, const nview *v) { return PROHIBITED(e, v, POL_ORGANIZATION); }
static int n_org_other(const pol_eval *e, const nview *v) { return OTHER(e, v, POL_ORGANIZATION); }
static int n_sponsor_required(const pol_eval *e, const nview *v) { return REQUIRED(e, v, POL_SPONSOR); }
static int n_sponsor_prohibited(const pol_eval *e, const nview *v) { return PROHIBITED(e, v, POL_SPONSOR); }
static int n_sponsor_other(const pol_eval *e, const nview *v) { return OTHER(e, v, POL_SPONSOR); }
static int n_individual_prohibited(const pol_eval *e, const nview *v) { return PROHIBITED(e, v, POL_INDIVIDUAL); }
static int n_individual_other(const pol_eval *e, const nview *v) { return OTHER(e, v, POL_INDIVIDUAL); }

/* 7.1.4.2.5 and 7.1.4.2.6, Note 2: "Multipurpose and Strict Generation
 * profiles SHALL include either subject:givenName and/or subject:surname,
 * or the subject:pseudonym." (Note 1 lets Legacy carry only a commonName.) */
static int name_missing(const pol_eval *e, const nview *v, int type)
{
    return e->type == type && (e->gen == POL_MULTIPURPOSE || e->gen == POL_STRICT) && !has_kind(v, A_GIVEN) &&
           !has_kind(v, A_SURNAME) && !has_kind(v, A_PSEUDONYM);
}
static int n_sponsor_name(const pol_eval *e, const nview *v) { return name_missing(e, v, POL_SPONSOR); }
static int n_individual_name(const pol_eval *e, const nview *v) { return name_missing(e, v, POL_INDIVIDUAL); }

/* The rules on one Name, applied to the subject and to every directoryName:
 * X(function, code, section, message). */
#define NAME_RULES(X)                                                                                            \
    X(string_type, "sbr.7.1.4.attr.string-type", "7.1.4",                                                     \
      "attribute value is not of the string type RFC 5280 Appendix A gives it")                                 \
    X(dirstring_legacy, "sbr.7.1.4.attr.directorystring", "7.1.4",                                            \
      "DirectoryString attribute not PrintableString or UTF8String (RFC 5280 4.1.2.6 MUST)")                   \
    X(value_encoding, "sbr.7.1.4.attr.value-encoding", "7.1.4",                                               \
      "attribute value is empty or malformed for its string type")                                             \
    X(upper_bound, "sbr.7.1.4.2.2.attr.upper-bound", "7.1.4.2.2(a)",                                          \
      "attribute value longer than its upper bound (RFC 5280 Appendix A, X.520)")                               \
    X(metadata, "sbr.7.1.4.2.attr.metadata-only", "7.1.4.2",                                                  \
      "attribute value is only metadata ('.', '-', ' ', \"N/A\", ...)")                                        \
    X(cn_mailbox_type, "sbr.7.1.4.2.2.cn.mailbox", "7.1.4.2.2(a)",                                            \
      "mailbox-validated: commonName is not a Mailbox Address of the subjectAltName")                           \
    X(cn_organization_type, "sbr.7.1.4.2.2.cn.organization", "7.1.4.2.2(a)",                                  \
      "organization-validated: commonName is neither organizationName nor a subjectAltName mailbox")            \
    X(cn_mailbox_not_in_san, "sbr.7.1.4.2.2.cn.mailbox-not-in-san", "7.1.4.2.2(a)",                           \
      "commonName holds a Mailbox Address that is not in the subjectAltName")                                   \
    X(cn_pseudonym, "sbr.7.1.4.2.2.cn.pseudonym", "7.1.4.2.2(a)",                                             \
      "pseudonym present but commonName is neither the pseudonym nor a Mailbox Address")                        \
    X(pseudonym_with_name, "sbr.7.1.4.2.2.pseudonym.with-name", "7.1.4.2.2(e),(f)",                           \
      "pseudonym present together with givenName or surname")                                                   \
    X(email_syntax, "sbr.7.1.4.2.2.email.syntax", "7.1.4.2.2(h)",                                             \
      "emailAddress is not a single RFC 5321 Mailbox")                                                          \
    X(street_alone, "sbr.7.1.4.2.2.street.no-locality", "7.1.4.2.2(j)",                                       \
      "streetAddress without localityName or stateOrProvinceName")                                             \
    X(locality_alone, "sbr.7.1.4.2.2.locality.no-country", "7.1.4.2.2(k)",                                    \
      "localityName without countryName")                                                                      \
    X(state_alone, "sbr.7.1.4.2.2.state.no-country", "7.1.4.2.2(l)", "stateOrProvinceName without countryName") \
    X(postal_alone, "sbr.7.1.4.2.2.postal-code.no-country", "7.1.4.2.2(m)", "postalCode without countryName")  \
    X(country_code, "sbr.7.1.4.2.2.country.code", "7.1.4.2.2(n)",                                             \
      "countryName is not an ISO 3166-1 alpha-2 code or XX")                                                   \
    X(mailbox_prohibited, "sbr.7.1.4.2.3.attr.prohibited", "7.1.4.2.3",                                       \
      "mailbox-validated: attribute marked SHALL NOT for this generation")                                     \
    X(mailbox_other, "sbr.7.1.4.2.3.attr.other", "7.1.4.2.3",                                                 \
      "mailbox-validated: attribute not in the table (Other: SHALL NOT)")                                      \
    X(org_required, "sbr.7.1.4.2.4.attr.required", "7.1.4.2.4",                                               \
      "organization-validated: organizationName or organizationIdentifier absent")                             \
    X(org_prohibited, "sbr.7.1.4.2.4.attr.prohibited", "7.1.4.2.4",                                           \
      "organization-validated: attribute marked SHALL NOT for this generation")                                \
    X(org_other, "sbr.7.1.4.2.4.attr.other", "7.1.4.2.4",                                                     \
      "organization-validated: attribute not in the table (Other: SHALL NOT in multipurpose/strict)")          \
    X(sponsor_required, "sbr.7.1.4.2.5.attr.required", "7.1.4.2.5",                                           \
      "sponsor-validated: organizationName or organizationIdentifier absent")                                  \
    X(sponsor_prohibited, "sbr.7.1.4.2.5.attr.prohibited", "7.1.4.2.5",                                       \
      "sponsor-validated: attribute marked SHALL NOT for this generation")                                     \
    X(sponsor_other, "sbr.7.1.4.2.5.attr.other", "7.1.4.2.5",                                                 \
      "sponsor-validated: attribute not in the table (Other: SHALL NOT in multipurpose/strict)")               \
    X(sponsor_name, "sbr.7.1.4.2.5.name.absent", "7.1.4.2.5 Note 2",                                          \
      "sponsor-validated multipurpose/strict: no givenName, surname or pseudonym")                             \
    X(individual_prohibited, "sbr.7.1.4.2.6.attr.prohibited", "7.1.4.2.6",                                    \
      "individual-validated: attribute marked SHALL NOT for this generation")                                  \
    X(individual_other, "sbr.7.1.4.2.6.attr.other", "7.1.4.2.6",                                              \
      "individual-validated: attribute not in the table (Other: SHALL NOT in multipurpose/strict)")            \
    X(individual_name, "sbr.7.1.4.2.6.name.absent", "7.1.4.2.6 Note 2",                                       \
      "individual-validated multipurpose/strict: no givenName, surname or pseudonym")

typedef int (*name_check)(const pol_eval *e, const nview *v);
#define AS_CHECK(fn, code, section, message) n_##fn,
static const name_check name_checks[] = { NAME_RULES(AS_CHECK) };
#define AS_SUBJECT_RULE(fn, code, section, message)                                                            \
    static int s_##fn(const pol_eval *e)                                                                       \
    {                                                                                                          \
        nview v = subject_view(e);                                                                             \
        return n_##fn(e, &v);                                                                                  \
    }
NAME_RULES(AS_SUBJECT_RULE)

/* --- subjectAltName, 7.1.4.2.1 --------------------------------------------- */

/* "This extension SHALL contain at least one GeneralName entry of the
 * following types: Rfc822Name and/or otherName of type
 * id-on-SmtpUTF8Mailbox, encoded in accordance with RFC 9598". */
static int san_no_mailbox(const pol_eval *e)
{
    if (!pol_ext_get(e, EXT_SAN))
        return 0; /* 7.1.2.3(h) reports the absence */
    for (uint8_t i = 0; i < e->n_san; i++)
        if (e->san[i].type == 1 || is_smtputf8(&e->san[i]))
            return 0;
    return 1;
}

/* "For Legacy and Multipurpose Generation profiles, then the CA MAY include
 * otherName entries of any type ... The CA SHALL NOT include GeneralName
 * entries that do not conform to the requirements of this section." */
static int san_name_type(const pol_eval *e)
{
    for (uint8_t i = 0; i < e->n_san; i++) {
        const pol_gname *g = &e->san[i];
        if (g->type == 1 || g->type == 4 || is_smtputf8(g))
            continue;
        if (g->type == 0 && (e->gen == POL_LEGACY || e->gen == POL_MULTIPURPOSE))
            continue;
        return 1;
    }
    return 0;
}

/* rfc822Name: an RFC 5321 Mailbox in an IA5String; RFC 9598 3: non-ASCII
 * local parts go in SmtpUTF8Mailbox, and domains are A-labels. */
static int rfc822_non_ascii(const pol_eval *e)
{
    for (uint8_t i = 0; i < e->n_san; i++)
        if (e->san[i].type == 1 && pol_has_non_ascii(e->san[i].value))
            return 1;
    return 0;
}
static int rfc822_syntax(const pol_eval *e)
{
    pol_mbox mb;
    for (uint8_t i = 0; i < e->n_san; i++) {
        const pol_gname *g = &e->san[i];
        if (g->type == 1 && !pol_has_non_ascii(g->value) && pol_mailbox_parse(g->value.p, g->value.len, 0, &mb))
            return 1;
    }
    return 0;
}

/* SmtpUTF8Mailbox ::= UTF8String (SIZE (1..MAX)), without a Byte-Order Mark
 * (RFC 9598 3). */
static int smtputf8_encoding(const pol_eval *e)
{
    for (uint8_t i = 0; i < e->n_san; i++) {
        uint8_t tag;
        pol_slice v;
        if (!is_smtputf8(&e->san[i]))
            continue;
        if (!san_mailbox(&e->san[i], &tag, &v) || pol_str_valid(tag, v) != 1 || pol_str_has(tag, v, 0xFEFF))
            return 1;
    }
    return 0;
}
/* A Mailbox of RFC 6531 3.3 whose domain is in A-label or NR-LDH form. */
static int smtputf8_parse(const pol_gname *g, pol_mbox *mb)
{
    uint8_t tag;
    pol_slice v;
    return is_smtputf8(g) && san_mailbox(g, &tag, &v) && pol_str_valid(tag, v) == 1 ?
               pol_mailbox_parse(v.p, v.len, POL_MB_UTF8_LOCAL, mb) :
               1; /* not one, or smtputf8_encoding's */
}
static int smtputf8_syntax(const pol_eval *e)
{
    pol_mbox mb;
    for (uint8_t i = 0; i < e->n_san; i++)
        if (is_smtputf8(&e->san[i]) && smtputf8_parse(&e->san[i], &mb) < 0)
            return 1;
    return 0;
}
/* RFC 9598 3: "SmtpUTF8Mailbox subjectAltName MUST NOT be used unless the
 * local-part of the email address contains non-ASCII characters." */
static int smtputf8_ascii_local(const pol_eval *e)
{
    pol_mbox mb;
    for (uint8_t i = 0; i < e->n_san; i++)
        if (smtputf8_parse(&e->san[i], &mb) == 0 && !pol_has_non_ascii(mb.local))
            return 1;
    return 0;
}

/* Domains of the SAN mailboxes must be real (3.2.2: the CA validates
 * control of the mailbox or of its domain): under an ICANN TLD, with a
 * label beyond a public suffix. */
static int san_domains(const pol_eval *e, int suffix)
{
    for (uint8_t i = 0; i < e->n_san; i++) {
        uint8_t tag;
        pol_slice m, d;
        /* The domain is judged when it is well-formed, whatever the local
         * part (the syntax rows speak about that). */
        if (!san_mailbox(&e->san[i], &tag, &m) || pol_mailbox_domain(m, &d))
            continue;
        /* A one-label domain is a public suffix only if it is a TLD (else
         * domain.tld speaks); more labels need no TLD lookup here. */
        if (suffix ? pol_domain_is_suffix(d) && (pol_has_byte(d, '.') || pol_domain_tld_known(d))
                   : !pol_domain_tld_known(d))
            return 1;
    }
    return 0;
}
static int domain_tld(const pol_eval *e) { return san_domains(e, 0); }
static int domain_suffix(const pol_eval *e) { return san_domains(e, 1); }

/* "All Mailbox Addresses in the subject field or entries of type
 * directoryName of this extension SHALL be repeated as rfc822Name or
 * otherName values of type id-on-SmtpUTF8Mailbox in this extension." The
 * Mailbox Addresses of a Name: every emailAddress (7.1.4.2.2(h): the whole
 * value), and those pol_mailbox_scan finds in any other attribute. */
static int not_in_san(const void *e, uint8_t tag, pol_slice addr) { return !in_san(e, tag, addr); }
static int mailboxes_unrepeated(const pol_eval *e, const nview *v)
{
    for (uint8_t i = 0; i < v->n; i++) {
        const pol_attr *a = &v->a[i];
        if (attr_kind(a->oid) == A_EMAIL ? !in_san(e, a->tag, a->value)
                                         : pol_mailbox_scan(a->tag, a->value, not_in_san, e))
            return 1;
    }
    return 0;
}
static int subject_mailbox_unrepeated(const pol_eval *e)
{
    nview v = subject_view(e);
    return mailboxes_unrepeated(e, &v);
}

/* A directoryName's Name, decoded into attrs (as the subject's): the
 * number of attributes, or -1 if it is not a Name. */
static int dirname_attrs(const pol_gname *g, pol_attr *attrs)
{
    pol_der top = pol_der_of(g->value);
    pol_slice name;
    if (pol_der_expect(&top, DER_SEQUENCE, &name, NULL) || pol_der_more(&top))
        return -1;
    return pol_decode_name(name, attrs, POL_MAX_ATTRS);
}

static int dirname_mailbox_unrepeated(const pol_eval *e)
{
    pol_attr attrs[POL_MAX_ATTRS];
    for (uint8_t i = 0; i < e->n_san; i++) {
        int n = e->san[i].type == 4 ? dirname_attrs(&e->san[i], attrs) : -1;
        nview v = { attrs, (uint8_t)(n < 0 ? 0 : n) };
        if (n > 0 && mailboxes_unrepeated(e, &v))
            return 1;
    }
    return 0;
}

/* "The CA MAY include GeneralName entries of type directoryName provided
 * that the information contained in the Name complies with the
 * requirements set forth in Sections 7.1.4.2.2 through 7.1.4.2.6". */
static int dirname_content(const pol_eval *e)
{
    pol_attr attrs[POL_MAX_ATTRS];
    for (uint8_t i = 0; i < e->n_san; i++) {
        int n;
        if (e->san[i].type != 4)
            continue;
        if ((n = dirname_attrs(&e->san[i], attrs)) < 0)
            return 1;
        nview v = { attrs, (uint8_t)n };
        for (size_t k = 0; k < sizeof name_checks / sizeof *name_checks; k++)
            if (name_checks[k](e, &v))
                return 1;
        if (pol_orgid_view_fails(e, attrs, (uint8_t)n))
            return 1;
    }
    return 0;
}

#define AS_ROW(fn, code, section, message) { code, section, message, s_##fn },
const pol_rule pol_rules_name[] = {
    { "sbr.7.1.4.2.1.san.no-mailbox", "7.1.4.2.1", "subjectAltName has no rfc822Name or SmtpUTF8Mailbox", san_no_mailbox },
    { "sbr.7.1.4.2.1.san.name-type", "7.1.4.2.1",
      "GeneralName other than rfc822Name, SmtpUTF8Mailbox, directoryName (any otherName: legacy/multipurpose only)",
      san_name_type },
    { "sbr.7.1.4.2.1.rfc822.non-ascii", "7.1.4.2.1", "rfc822Name carries non-ASCII (RFC 9598 3: SmtpUTF8Mailbox, A-labels)",
      rfc822_non_ascii },
    { "sbr.7.1.4.2.1.rfc822.syntax", "7.1.4.2.1", "rfc822Name is not an RFC 5321 Mailbox within its length limits",
      rfc822_syntax },
    { "sbr.7.1.4.2.1.smtputf8.encoding", "7.1.4.2.1",
      "SmtpUTF8Mailbox is not one well-formed UTF8String without BOM (RFC 9598 3)", smtputf8_encoding },
    { "sbr.7.1.4.2.1.smtputf8.syntax", "7.1.4.2.1",
      "SmtpUTF8Mailbox is not an RFC 6531 Mailbox with an A-label domain (RFC 9598 3)", smtputf8_syntax },
    { "sbr.7.1.4.2.1.smtputf8.ascii-local", "7.1.4.2.1",
      "SmtpUTF8Mailbox with an all-ASCII local part (RFC 9598 3: use rfc822Name)", smtputf8_ascii_local },
    { "sbr.7.1.4.2.1.domain.tld", "7.1.4.2.1", "mailbox domain's TLD is not in the ICANN public suffix list",
      domain_tld },
    { "sbr.7.1.4.2.1.domain.public-suffix", "7.1.4.2.1", "mailbox domain is itself a public suffix",
      domain_suffix },
    { "sbr.7.1.4.2.1.subject-mailbox.not-in-san", "7.1.4.2.1",
      "a Mailbox Address of the subject is not repeated in the subjectAltName", subject_mailbox_unrepeated },
    { "sbr.7.1.4.2.1.dirname-mailbox.not-in-san", "7.1.4.2.1",
      "a Mailbox Address of a directoryName is not repeated in the subjectAltName", dirname_mailbox_unrepeated },
    { "sbr.7.1.4.2.1.dirname.content", "7.1.4.2.1",
      "a directoryName breaks 7.1.4.2.2-7.1.4.2.6 for the certificate type", dirname_content },
    NAME_RULES(AS_ROW)
};
const size_t pol_rules_name_n = sizeof pol_rules_name / sizeof *pol_rules_name;
