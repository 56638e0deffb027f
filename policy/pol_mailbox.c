/* SPDX-License-Identifier: Apache-2.0 */
/* Mailbox syntax (RFC 5321 4.1.2 and 4.5.3.1, RFC 6531 3.3, RFC 9598 3),
 * A-labels (RFC 5890 2.3.2.1, RFC 3492 6.2), domain reality against the
 * ICANN public suffix list, the other lookups over the generated tables
 * (ISO 3166), and ASN.1 string characters. */
#include "pol_mailbox.h"
#include "pol_tables.h"

static uint8_t lower(uint8_t c) { return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c; }

/* One UTF-8 character (RFC 3629 4): shortest form, no surrogates, at most
 * U+10FFFF. *p < end on entry. */
static int utf8_next(const uint8_t **pp, const uint8_t *end, uint32_t *cp)
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
    if (utf8_next(&q, end, &cp))
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
            c = lower(p[in++]);
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
            (lower(p[s]) != 'x' || lower(p[s + 1]) != 'n' || !pol_punycode_valid(p + s + 4, len - 4)))
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

/* --- Public suffixes -------------------------------------------------------
 * The main list is sorted and front-coded (policy/gen_tables.py). Scanning
 * a block from its restart point, m is the length the key shares with the
 * previous entry, which sorts below the key; an entry that shares fewer
 * than m bytes with it sorts above the key, one that shares more sorts
 * below, and only one that shares exactly m needs its bytes compared. */

static inline const uint8_t *entry_head(const uint8_t *q, const uint8_t *end, size_t *shared, size_t *ntok)
{
    if (q >= end)
        return NULL;
    *shared = *q & 31u;
    *ntok = *q++ >> 5;
    if (*shared == 31) {
        if (q >= end)
            return NULL;
        *shared = *q++;
    }
    if (*ntok == 0) {
        if (q >= end)
            return NULL;
        *ntok = *q++;
    }
    return (size_t)(end - q) >= *ntok ? q : NULL;
}

/* Compares the entry whose first *m bytes equal the key's, continued by the
 * tokens tok[0..ntok), with the key: <0, 0, >0 as the entry sorts below,
 * equal to, above the key; *m becomes their common length. */
static inline int entry_cmp(const uint8_t *tok, size_t ntok, const uint8_t *key, size_t len, size_t *m)
{
    size_t j = *m;
    for (size_t t = 0; t < ntok; t++) {
        const char *c = pol_psl_tok + pol_psl_tok_off[tok[t]], *e = pol_psl_tok + pol_psl_tok_off[tok[t] + 1];
        for (; c < e; c++, j++) {
            if (j == len || (uint8_t)*c != key[j]) {
                *m = j;
                return j == len || (uint8_t)*c > key[j] ? 1 : -1;
            }
        }
    }
    *m = j;
    return j == len ? 0 : -1;
}

static const uint8_t *block_end(size_t r)
{
    return pol_psl_blob + (r + 1 < pol_psl_restart_n ? pol_psl_restart[r + 1] : pol_psl_blob_n);
}

/* Block r's first key against the key: by the head bytes, and only on a tie
 * by the key itself. */
static int block_cmp(size_t r, unsigned head, const uint8_t *key, size_t len)
{
    size_t shared, ntok, m = 0;
    const uint8_t *q;
    if (pol_psl_head[r] != head)
        return pol_psl_head[r] < head ? -1 : 1;
    q = entry_head(pol_psl_blob + pol_psl_restart[r], block_end(r), &shared, &ntok);
    return q && shared == 0 ? entry_cmp(q, ntok, key, len, &m) : 1;
}

int pol_psl_has(const uint8_t *key, size_t len)
{
    size_t lo, hi, shared, ntok, m;
    const uint8_t *q, *end;
    unsigned head = 0;
    int c;
    if (len == 0 || key[0] < 'a' || key[0] > 'z')
        return 0; /* every key starts with a letter */
    for (size_t i = 1; i < 3; i++)
        head = head << 8 | (i < len ? key[i] : 0u);
    /* Blocks before lo start below the key's letter, blocks from hi above
     * it: the key is in the last block of [lo - 1, hi) whose first key is
     * not above it. */
    lo = pol_psl_first[key[0] - 'a'];
    hi = pol_psl_first[key[0] - 'a' + 1];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (block_cmp(mid, head, key, len) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return 0;
    end = block_end(lo - 1);
    q = pol_psl_blob + pol_psl_restart[lo - 1];
    m = 0;
    while ((q = entry_head(q, end, &shared, &ntok)) != NULL) {
        if (shared < m)
            return 0;
        if (shared == m) {
            c = entry_cmp(q, ntok, key, len, &m);
            if (c >= 0)
                return c == 0;
        }
        q += ntok;
    }
    return 0;
}

static int list_has(const char *const *list, const uint8_t *key, size_t len)
{
    for (; *list; list++) {
        const char *k = *list;
        size_t i = 0;
        if ((uint8_t)k[0] > key[0])
            return 0; /* sorted */
        while (i < len && (uint8_t)k[i] == key[i])
            i++;
        if (i == len && !k[i])
            return 1;
    }
    return 0;
}

/* key = the labels of d rightmost first, lowercase ("mail.example.co.uk"
 * -> "uk.co.example.mail"); *leftmost = where its last label's "." is (0
 * for one label). 0, or -1 if d does not fit. */
static int psl_key(pol_slice d, uint8_t key[253], size_t *leftmost)
{
    size_t k = 0, e = d.len;
    *leftmost = 0;
    if (d.len == 0 || d.len > 253)
        return -1;
    while (e > 0) {
        size_t s = e;
        while (s > 0 && d.p[s - 1] != '.')
            s--;
        if (k) {
            *leftmost = k;
            key[k++] = '.';
        }
        for (size_t i = s; i < e && k < 253; i++)
            key[k++] = lower(d.p[i]);
        e = s ? s - 1 : 0;
    }
    return k == d.len ? 0 : -1;
}

int pol_domain_tld_known(pol_slice d)
{
    uint8_t tld[63];
    size_t s = d.len, n = 0;
    while (s > 0 && d.p[s - 1] != '.')
        s--;
    if (d.len - s == 0 || d.len - s > sizeof tld)
        return 0;
    for (size_t i = s; i < d.len; i++)
        tld[n++] = lower(d.p[i]);
    return pol_psl_has(tld, n);
}

int pol_domain_is_suffix(pol_slice d)
{
    uint8_t key[253];
    size_t leftmost;
    if (psl_key(d, key, &leftmost))
        return 0;
    /* One label: a TLD, or a public suffix by the list's implicit "*" rule. */
    if (leftmost == 0 || pol_psl_has(key, d.len))
        return 1;
    return list_has(pol_psl_wild, key, leftmost) && !list_has(pol_psl_exc, key, d.len);
}

int pol_domain_public(pol_slice d)
{
    if (!pol_domain_tld_known(d))
        return POL_DOM_TLD;
    return pol_domain_is_suffix(d) ? POL_DOM_SUFFIX : POL_DOM_OK;
}

/* --- ISO 3166 ---------------------------------------------------------------- */

int pol_iso3166_1_find(const uint8_t cc[2])
{
    size_t lo = 0, hi = pol_iso3166_1_n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *c = pol_iso3166_1[mid];
        int d = (uint8_t)c[0] != cc[0] ? (uint8_t)c[0] - cc[0] : (uint8_t)c[1] - cc[1];
        if (d == 0)
            return (int)mid;
        if (d < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

int pol_iso3166_2_has(const uint8_t cc[2], const uint8_t *sub, size_t len)
{
    static const uint16_t bucket[4] = { 0, 0, 36, 36 + 36 * 36 };
    int c = pol_iso3166_1_find(cc);
    uint32_t want = 0, v = 0;
    int first = 1;
    if (c < 0 || len < 1 || len > 3)
        return 0;
    for (size_t i = 0; i < len; i++) {
        uint8_t ch = sub[i];
        if (ch >= '0' && ch <= '9')
            want = want * 36 + (uint32_t)(ch - '0');
        else if (ch >= 'A' && ch <= 'Z')
            want = want * 36 + (uint32_t)(ch - 'A') + 10;
        else
            return 0;
    }
    want += bucket[len];
    for (unsigned i = pol_iso3166_2_off[c]; i < pol_iso3166_2_off[c + 1];) {
        uint32_t d = 0;
        unsigned shift = 0;
        do {
            d |= (uint32_t)(pol_iso3166_2[i] & 0x7F) << shift;
            shift += 7;
        } while (pol_iso3166_2[i++] & 0x80 && i < pol_iso3166_2_off[c + 1] && shift < 21);
        v = first ? d : v + d + 1;
        first = 0;
        if (v >= want)
            return v == want;
    }
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
        return utf8_next(&s->p, s->end, cp) ? -1 : 1;
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
            else if (utf8_next(&s.p, s.end, &cp))
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
            if (a.p[i] != b.p[i] && (i < k || lower(a.p[i]) != lower(b.p[i])))
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
            ca = ca < 0x80 ? lower((uint8_t)ca) : ca;
            cb = cb < 0x80 ? lower((uint8_t)cb) : cb;
        }
        if (ca != cb)
            return 0;
    }
    return 1;
}
