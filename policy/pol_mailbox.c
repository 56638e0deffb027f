/* SPDX-License-Identifier: Apache-2.0 */
/* Mailbox syntax (RFC 5321 4.1.2 and 4.5.3.1, RFC 6531 3.3, RFC 9598 3):
 * local part and domain, A-labels (RFC 5890 2.3.2.1, RFC 3492 6.2), and
 * whether two mailboxes are the same. Domain reality is pol_domain.c's,
 * the SAN rules that use these pol_rules_name_san.c's. */
#include "pol_mailbox.h"

/* --- Mailbox ---------------------------------------------------------------
 * RFC 5321 4.1.2:
 *   Mailbox       = Local-part "@" ( Domain / address-literal )
 *   Local-part    = Dot-string / Quoted-string
 *   Dot-string    = Atom *("."  Atom)          Atom = 1*atext (RFC 5322)
 *   Quoted-string = DQUOTE *QcontentSMTP DQUOTE
 *   QcontentSMTP  = qtextSMTP / quoted-pairSMTP
 *   quoted-pairSMTP = %d92 %d32-126
 *   qtextSMTP     = %d32-33 / %d35-91 / %d93-126
 *   Domain        = sub-domain *("." sub-domain)
 *   sub-domain    = Let-dig [Ldh-str]
 * RFC 6531 3.3 adds UTF8-non-ascii to atext and qtextSMTP (and U-labels to
 * sub-domain, which RFC 9598 3 takes back for SmtpUTF8Mailbox: its domain
 * is in A-label or NR-LDH form, as an rfc822Name's). */

/* atext (RFC 5322 3.2.3): ALPHA / DIGIT / "!#$%&'*+-/=?^_`{|}~", as a bit
 * map of the ASCII code points. */
static const uint8_t atext_map[16] = {
    0x00, 0x00, 0x00, 0x00, 0xFA, 0xAC, 0xFF, 0xA3, 0xFE, 0xFF, 0xFF, 0xC7, 0xFF, 0xFF, 0xFF, 0x7F,
};
static int is_atext(uint8_t c) { return c < 0x80 && (atext_map[c >> 3] >> (c & 7) & 1); }
static int is_qtext(uint8_t c) { return c == 32 || c == 33 || (c >= 35 && c <= 91) || (c >= 93 && c <= 126); }

/* A UTF8-non-ascii character at p: its length, or an error. */
static int non_ascii(const uint8_t *p, const uint8_t *end, unsigned flags)
{
    const uint8_t *q = p;
    uint32_t cp;
    if (!(flags & POL_MB_UTF8_LOCAL))
        return POL_MB_NON_ASCII;
    if (pol_utf8_next(&q, end, &cp))
        return POL_MB_UTF8;
    return (int)(q - p);
}

/* RFC 3492 6.1 */
static uint32_t adapt(uint32_t delta, uint32_t points, int first)
{
    uint32_t k = 0;
    delta = first ? delta / 700 : delta / 2;
    delta += delta / points;
    while (delta > ((36 - 1) * 26) / 2) {
        delta /= 36 - 1;
        k += 36;
    }
    return k + (36 - 1 + 1) * delta / (delta + 38);
}

int pol_punycode_valid(const uint8_t *p, size_t n)
{
    size_t b = 0, in = 0;
    uint32_t cp = 0x80, i = 0, bias = 72, out;
    int delim = 0;
    for (size_t j = 0; j < n; j++)
        if (p[j] == '-') {
            b = j;
            delim = 1;
        }
    if (delim)
        in = b + 1;
    out = (uint32_t)b;
    if (in >= n)
        return 0; /* nothing non-ASCII encoded: not an A-label */
    while (in < n) {
        uint32_t oldi = i, w = 1;
        for (uint32_t k = 36;; k += 36) {
            uint32_t digit, t;
            uint8_t c;
            if (in >= n)
                return 0;
            c = pol_lower(p[in++]);
            if (c >= 'a' && c <= 'z')
                digit = (uint32_t)(c - 'a');
            else if (c >= '0' && c <= '9')
                digit = (uint32_t)(c - '0') + 26;
            else
                return 0;
            if (digit > (UINT32_MAX - i) / w)
                return 0;
            i += digit * w;
            t = k <= bias ? 1 : k >= bias + 26 ? 26 : k - bias;
            if (digit < t)
                break;
            if (w > UINT32_MAX / (36 - t))
                return 0;
            w *= 36 - t;
        }
        out++;
        bias = adapt(i - oldi, out, oldi == 0);
        if (i / out > 0x10FFFF - cp)
            return 0;
        cp += i / out;
        i %= out;
        if (cp >= 0xD800 && cp <= 0xDFFF)
            return 0;
        i++;
    }
    return 1;
}

/* Domain = LDH labels; a label with "--" in its third and fourth positions
 * is an R-LDH label, of which only valid A-labels are allowed (RFC 5890
 * 2.3.1, RFC 9598 3: A-labels or NR-LDH labels). */
static const uint8_t ldh_map[16] = { 0, 0, 0, 0, 0, 0x20, 0xFF, 0x03, 0xFE, 0xFF, 0xFF, 0x07, 0xFE, 0xFF, 0xFF, 0x07 };
static int domain_syntax(const uint8_t *p, size_t n)
{
    size_t i = 0;
    for (;;) {
        size_t s = i, len;
        for (; i < n && p[i] != '.'; i++)
            if (p[i] >= 0x80 || !(ldh_map[p[i] >> 3] >> (p[i] & 7) & 1))
                return p[i] >= 0x80 ? POL_MB_NON_ASCII : POL_MB_DOMAIN;
        len = i - s;
        if (len == 0 || p[s] == '-' || p[i - 1] == '-')
            return POL_MB_DOMAIN;
        if (len > 63)
            return POL_MB_LABEL_LEN;
        if (len >= 4 && p[s + 2] == '-' && p[s + 3] == '-' &&
            (pol_lower(p[s]) != 'x' || pol_lower(p[s + 1]) != 'n' || !pol_punycode_valid(p + s + 4, len - 4)))
            return POL_MB_ALABEL;
        if (i == n)
            return 0;
        i++;
    }
}

int pol_mailbox_parse(const uint8_t *p, size_t n, unsigned flags, pol_mbox *mb)
{
    const uint8_t *end = p + n, *q = p;
    int r;
    if (n == 0)
        return POL_MB_NO_AT;
    if (*q == '"') {
        for (q++;;) {
            if (q == end)
                return POL_MB_LOCAL;
            if (*q == '"') {
                q++;
                break;
            }
            if (*q == '\\') {
                if (end - q < 2 || q[1] < 32 || q[1] > 126)
                    return POL_MB_LOCAL;
                q += 2;
            } else if (*q >= 0x80) {
                if ((r = non_ascii(q, end, flags)) < 0)
                    return r;
                q += r;
            } else if (is_qtext(*q)) {
                q++;
            } else {
                return POL_MB_LOCAL;
            }
        }
        if (q == end)
            return POL_MB_NO_AT;
        if (*q != '@')
            return POL_MB_LOCAL;
    } else {
        size_t atom = 0;
        for (;;) {
            if (q == end)
                return POL_MB_NO_AT;
            if (*q == '@')
                break;
            if (*q == '.') {
                if (!atom)
                    return POL_MB_LOCAL;
                atom = 0;
                q++;
            } else if (*q >= 0x80) {
                if ((r = non_ascii(q, end, flags)) < 0)
                    return r;
                q += r;
                atom++;
            } else if (is_atext(*q)) {
                q++;
                atom++;
            } else {
                return POL_MB_LOCAL;
            }
        }
        if (!atom)
            return POL_MB_LOCAL;
    }
    mb->local.p = p;
    mb->local.len = (size_t)(q - p);
    q++;
    mb->domain.p = q;
    mb->domain.len = (size_t)(end - q);
    if (q == end)
        return POL_MB_NO_AT;
    if (*q == '[')
        return POL_MB_LITERAL;
    if ((r = domain_syntax(q, mb->domain.len)) < 0)
        return r;
    /* RFC 5321 4.5.3.1.1, 4.5.3.1.2 (255 octets on the wire: 253 in text),
     * 4.5.3.1.3 (a Path of 256 octets holds "<" Mailbox ">"). */
    if (mb->local.len > 64)
        return POL_MB_LOCAL_LEN;
    if (mb->domain.len > 253)
        return POL_MB_DOMAIN_LEN;
    if (n > 254)
        return POL_MB_TOO_LONG;
    return 0;
}

int pol_mailbox_domain(pol_slice m, pol_slice *domain)
{
    size_t k = m.len;
    while (k > 0 && m.p[k - 1] != '@')
        k--;
    if (k == 0 || k == m.len || m.len - k > 253)
        return -1;
    domain->p = m.p + k;
    domain->len = m.len - k;
    return domain_syntax(domain->p, domain->len) ? -1 : 0;
}

int pol_has_byte(pol_slice s, uint8_t b)
{
    for (size_t i = 0; i < s.len; i++)
        if (s.p[i] == b)
            return 1;
    return 0;
}

int pol_has_non_ascii(pol_slice s)
{
    for (size_t i = 0; i < s.len; i++)
        if (s.p[i] >= 0x80)
            return 1;
    return 0;
}

/* Index of the last "@" and the number of characters; -1 if none or malformed. */
static long last_at(uint8_t tag, pol_slice v, long *count)
{
    pol_str s = pol_str_of(tag, v);
    uint32_t cp;
    long at = -1, n = 0;
    int r;
    while ((r = pol_str_next(&s, &cp)) == 1) {
        if (cp == '@')
            at = n;
        n++;
    }
    *count = n;
    return r == 0 ? at : -1;
}

/* Tags whose characters are their octets, as far as equal mailboxes go
 * (UTF-8 encodes one character one way). */
static int octets(uint8_t tag) { return tag == DER_IA5 || tag == DER_UTF8 || tag == DER_PRINTABLE || tag == DER_VISIBLE; }

int pol_mailbox_same(uint8_t ta, pol_slice a, uint8_t tb, pol_slice b)
{
    long na, nb, at;
    pol_str x, y;
    if (octets(ta) && octets(tb)) {
        size_t k = a.len;
        if (a.len != b.len)
            return 0;
        while (k > 0 && a.p[k - 1] != '@')
            k--;
        if (k == 0 || b.p[k - 1] != '@')
            return 0;
        for (size_t i = 0; i < a.len; i++)
            if (a.p[i] != b.p[i] && (i < k || pol_lower(a.p[i]) != pol_lower(b.p[i])))
                return 0;
        return 1;
    }
    at = last_at(ta, a, &na);
    x = pol_str_of(ta, a);
    y = pol_str_of(tb, b);
    if (at < 0 || last_at(tb, b, &nb) != at || na != nb)
        return 0;
    for (long i = 0; i < na; i++) {
        uint32_t ca = 0, cb = 0;
        pol_str_next(&x, &ca);
        pol_str_next(&y, &cb);
        if (i > at) { /* the domain: ASCII case-insensitive (RFC 5321 2.4) */
            ca = ca < 0x80 ? pol_lower((uint8_t)ca) : ca;
            cb = cb < 0x80 ? pol_lower((uint8_t)cb) : cb;
        }
        if (ca != cb)
            return 0;
    }
    return 1;
}
