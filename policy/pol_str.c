/* SPDX-License-Identifier: Apache-2.0 */
/* ASN.1 string characters (RFC 5280 Appendix A, X.680): decoding UTF-8
 * (RFC 3629), BMPString and UniversalString, validity, length in
 * characters, comparison. */
#include "pol_mailbox.h"

/* One UTF-8 character (RFC 3629 4): shortest form, no surrogates, at most
 * U+10FFFF. *p < end on entry. */
int pol_utf8_next(const uint8_t **pp, const uint8_t *end, uint32_t *cp)
{
    const uint8_t *p = *pp;
    uint32_t c = p[0], min;
    size_t n;
    if (c < 0x80) {
        *cp = c;
        *pp = p + 1;
        return 0;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        n = 1, c &= 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 2, c &= 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 3, c &= 0x07, min = 0x10000;
    } else {
        return -1;
    }
    if ((size_t)(end - p) <= n)
        return -1;
    for (size_t i = 1; i <= n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return -1;
        c = c << 6 | (p[i] & 0x3Fu);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return -1;
    *cp = c;
    *pp = p + n + 1;
    return 0;
}

/* --- ASN.1 strings --------------------------------------------------------- */

int pol_str_next(pol_str *s, uint32_t *cp)
{
    size_t left = (size_t)(s->end - s->p);
    const uint8_t *p = s->p;
    if (left == 0)
        return 0;
    switch (s->tag) {
    case DER_UTF8:
        return pol_utf8_next(&s->p, s->end, cp) ? -1 : 1;
    case DER_BMP:
        if (left < 2)
            return -1;
        *cp = (uint32_t)p[0] << 8 | p[1];
        s->p += 2;
        return *cp >= 0xD800 && *cp <= 0xDFFF ? -1 : 1;
    case DER_UNIVERSAL:
        if (left < 4)
            return -1;
        *cp = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
        s->p += 4;
        return *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF) ? -1 : 1;
    default:
        *cp = *s->p++;
        return 1;
    }
}

/* PrintableString (X.680 41.4): A-Z a-z 0-9 space ' ( ) + , - . / : = ?,
 * as a bit map of the ASCII code points. */
static const uint8_t printable_map[16] = {
    0x00, 0x00, 0x00, 0x00, 0x81, 0xFB, 0xFF, 0xA7, 0xFE, 0xFF, 0xFF, 0x07, 0xFE, 0xFF, 0xFF, 0x07,
};

#define DER_NUMERIC 0x12
#define DER_VIDEOTEX 0x15
#define DER_GRAPHIC 0x19
#define DER_GENERAL 0x1B

int pol_str_valid(uint8_t tag, pol_slice v)
{
    pol_str s = pol_str_of(tag, v);
    uint32_t cp;
    int r;
    switch (tag) {
    case DER_UTF8: case DER_BMP: case DER_UNIVERSAL: case DER_PRINTABLE: case DER_IA5: case DER_VISIBLE:
    case DER_NUMERIC: case DER_T61: case DER_VIDEOTEX: case DER_GRAPHIC: case DER_GENERAL:
        break;
    default:
        return -1;
    }
    if (v.len == 0)
        return 0;
    switch (tag) {
    case DER_UTF8:
        while (s.p < s.end)
            if (*s.p < 0x80)
                s.p++;
            else if (pol_utf8_next(&s.p, s.end, &cp))
                return 0;
        return 1;
    case DER_PRINTABLE:
        for (size_t i = 0; i < v.len; i++)
            if (v.p[i] >= 0x80 || !(printable_map[v.p[i] >> 3] >> (v.p[i] & 7) & 1))
                return 0;
        return 1;
    case DER_IA5:
        return !pol_has_non_ascii(v);
    case DER_VISIBLE: case DER_NUMERIC:
        for (size_t i = 0; i < v.len; i++)
            if (v.p[i] < 0x20 || v.p[i] > 0x7E || (tag == DER_NUMERIC && v.p[i] != ' ' && (v.p[i] < '0' || v.p[i] > '9')))
                return 0;
        return 1;
    default:
        while ((r = pol_str_next(&s, &cp)) == 1)
            ;
        return r == 0;
    }
}

long pol_str_chars(uint8_t tag, pol_slice v)
{
    long n = 0;
    switch (tag) {
    case DER_UTF8: /* lead octets; well-formedness is pol_str_valid's */
        for (size_t i = 0; i < v.len; i++)
            n += (v.p[i] & 0xC0) != 0x80;
        return n;
    case DER_BMP:
        return (long)(v.len / 2);
    case DER_UNIVERSAL:
        return (long)(v.len / 4);
    default:
        return (long)v.len;
    }
}

int pol_str_eq(uint8_t ta, pol_slice a, uint8_t tb, pol_slice b)
{
    pol_str x = pol_str_of(ta, a), y = pol_str_of(tb, b);
    uint32_t ca, cb;
    for (;;) {
        int ra = pol_str_next(&x, &ca), rb = pol_str_next(&y, &cb);
        if (ra < 0 || rb < 0 || ra != rb)
            return 0;
        if (ra == 0)
            return 1;
        if (ca != cb)
            return 0;
    }
}

int pol_str_has(uint8_t tag, pol_slice v, uint32_t c)
{
    pol_str s = pol_str_of(tag, v);
    uint32_t cp;
    if (c < 0x80 && (tag == DER_UTF8 || tag == DER_PRINTABLE || tag == DER_IA5 || tag == DER_VISIBLE))
        return pol_has_byte(v, (uint8_t)c); /* an ASCII octet is that character */
    while (pol_str_next(&s, &cp) == 1)
        if (cp == c)
            return 1;
    return 0;
}
