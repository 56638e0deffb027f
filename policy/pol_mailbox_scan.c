/* SPDX-License-Identifier: Apache-2.0 */
/* The Mailbox Addresses inside an attribute value (SBR 7.1.4.2.1: "All
 * Mailbox Addresses in the subject field or entries of type directoryName
 * ... SHALL be repeated"). docs/policy.md gives the interpretation: the
 * whole value if it is a Mailbox; else every token between delimiters
 * that is local-part "@" dotted-domain (RFC 5321 4.1.2, RFC 6531 3.3). */
#include "pol_mailbox.h"

/* A local part of 64 octets, "@", a domain of 253, and room for one more
 * character: anything longer is no Mailbox (RFC 5321 4.5.3.1). */
#define TOK_MAX 320
#define LOCAL_MAX 64

typedef struct {
    uint8_t buf[TOK_MAX];
    size_t len, at;
    int in_domain, too_long, ulabel;
} tok;

/* Characters that no Mailbox written in text has outside a quoted local
 * part: ASCII space and controls, the specials of RFC 5322 3.2.3 other
 * than "@" and ".", and Unicode spaces, quotes and brackets. */
static int delimiter(uint32_t c)
{
    switch (c) {
    case ' ': case '<': case '>': case ',': case ';': case ':': case '(': case ')': case '[': case ']':
    case '"': case '\\': case 0x7F:
        return 1;
    default:
        return c < 0x20 || c == 0xA0 || c == 0xAB || c == 0xBB || (c >= 0x2000 && c <= 0x206F) ||
               (c >= 0x3000 && c <= 0x303F) || c == 0xFEFF || (c >= 0xFF01 && c <= 0xFF0F) ||
               (c >= 0xFF1A && c <= 0xFF20);
    }
}
static int ldh_dot(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

/* Appends c in UTF-8; 0, or -1 when it does not fit under limit. */
static int put(tok *t, uint32_t c, size_t limit)
{
    uint8_t u[4];
    size_t n = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    if (n == 1)
        u[0] = (uint8_t)c;
    else if (n == 2)
        u[0] = (uint8_t)(0xC0 | c >> 6), u[1] = (uint8_t)(0x80 | (c & 0x3F));
    else if (n == 3)
        u[0] = (uint8_t)(0xE0 | c >> 12), u[1] = (uint8_t)(0x80 | (c >> 6 & 0x3F)), u[2] = (uint8_t)(0x80 | (c & 0x3F));
    else
        u[0] = (uint8_t)(0xF0 | c >> 18), u[1] = (uint8_t)(0x80 | (c >> 12 & 0x3F)),
        u[2] = (uint8_t)(0x80 | (c >> 6 & 0x3F)), u[3] = (uint8_t)(0x80 | (c & 0x3F));
    if (t->len + n > limit)
        return -1;
    for (size_t i = 0; i < n; i++)
        t->buf[t->len++] = u[i];
    return 0;
}

static void reset(tok *t) { t->len = t->at = 0, t->in_domain = t->too_long = t->ulabel = 0; }

/* The token local "@" domain ends: 1 if it is a Mailbox Address that
 * visit refuses. The domain ends before trailing dots and hyphens (the
 * full stop of a sentence). A domain with non-ASCII characters (U-labels,
 * RFC 6532 3.2) is an address too, reported as written: a SAN mailbox
 * carries A-labels (RFC 9598 3), so it is never repeated as such. */
static int finish(tok *t, pol_mb_visit visit, const void *arg)
{
    size_t end = t->len;
    pol_mbox mb;
    pol_slice addr;
    int r, dot = 0;
    while (end > t->at + 1 && (t->buf[end - 1] == '.' || t->buf[end - 1] == '-'))
        end--;
    for (size_t i = t->at + 1; i < end; i++)
        dot |= t->buf[i] == '.';
    if (t->too_long || !dot)
        return 0;
    r = pol_mailbox_parse(t->buf, end, POL_MB_UTF8_LOCAL, &mb);
    if (r != 0 && !(r == POL_MB_NON_ASCII && t->ulabel))
        return 0;
    addr.p = t->buf;
    addr.len = end;
    return visit(arg, DER_UTF8, addr) != 0;
}

static int string_tag(uint8_t tag)
{
    switch (tag) {
    case DER_UTF8: case DER_PRINTABLE: case DER_T61: case DER_IA5: case DER_VISIBLE: case DER_UNIVERSAL: case DER_BMP:
    case 0x12: case 0x15: case 0x19: case 0x1B: /* Numeric, Videotex, Graphic, General */
        return 1;
    default:
        return 0;
    }
}

int pol_mailbox_scan(uint8_t tag, pol_slice v, pol_mb_visit visit, const void *arg)
{
    tok t;
    pol_str s = pol_str_of(tag, v);
    pol_mbox mb;
    uint32_t c;
    int r;
    if (!string_tag(tag) || !pol_str_has(tag, v, '@'))
        return 0;
    /* The whole value, when it is one Mailbox (quoted local parts and
     * one-label domains included) in a string whose octets are its text. */
    if ((tag == DER_UTF8 || tag == DER_IA5 || tag == DER_VISIBLE) &&
        pol_mailbox_parse(v.p, v.len, POL_MB_UTF8_LOCAL, &mb) == 0)
        return visit(arg, tag, v) != 0;
    reset(&t);
    while ((r = pol_str_next(&s, &c)) == 1) {
        if (t.in_domain) {
            if (ldh_dot(c) || (c >= 0x80 && !delimiter(c))) {
                t.ulabel |= c >= 0x80;
                if (!t.too_long && put(&t, c, TOK_MAX))
                    t.too_long = 1;
                continue;
            }
            if (finish(&t, visit, arg))
                return 1;
            reset(&t);
            if (delimiter(c) || c == '@')
                continue;
            /* another character: the start of a new token */
        }
        if (delimiter(c)) {
            reset(&t);
        } else if (c == '@') {
            if (t.len == 0 || t.too_long) {
                reset(&t);
            } else {
                t.at = t.len;
                t.buf[t.len++] = '@';
                t.in_domain = 1;
            }
        } else if (!t.too_long && put(&t, c, LOCAL_MAX)) {
            t.too_long = 1;
        }
    }
    /* a malformed string ends the scan (value-encoding refuses it) */
    return r == 0 && t.in_domain ? finish(&t, visit, arg) : 0;
}
