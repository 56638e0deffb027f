/* SPDX-License-Identifier: Apache-2.0 */
/* SBR 7.1.4 and 7.1.4.2: the value of every attribute of a Name, whatever
 * its kind: string type (RFC 5280 Appendix A), encoding, upper bound, and
 * values that are only metadata. */
#include "pol_mailbox.h"
#include "pol_rules_name.h"

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
        int k = pol_attr_kind(v->a[i].oid);
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
        int k = pol_attr_kind(v->a[i].oid);
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
        unsigned ub = attr_info[pol_attr_kind(v->a[i].oid)].ub;
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

/* The rows: X(function, code, section, message). */
#define VALUE_ROWS(X)                                                                        \
    X(string_type, "sbr.7.1.4.attr.string-type", "7.1.4",                                    \
      "attribute value is not of the string type RFC 5280 Appendix A gives it")              \
    X(dirstring_legacy, "sbr.7.1.4.attr.directorystring", "7.1.4",                           \
      "DirectoryString attribute not PrintableString or UTF8String (RFC 5280 4.1.2.6 MUST)") \
    X(value_encoding, "sbr.7.1.4.attr.value-encoding", "7.1.4",                              \
      "attribute value is empty or malformed for its string type")                           \
    X(upper_bound, "sbr.7.1.4.2.2.attr.upper-bound", "7.1.4.2.2(a)",                         \
      "attribute value longer than its upper bound (RFC 5280 Appendix A, X.520)")            \
    X(metadata, "sbr.7.1.4.2.attr.metadata-only", "7.1.4.2",                                 \
      "attribute value is only metadata ('.', '-', ' ', \"N/A\", ...)")
POL_NAME_FAMILY(value, VALUE_ROWS)
