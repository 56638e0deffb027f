/* SPDX-License-Identifier: Apache-2.0 */
/* Strict DER reader: a cursor over (p, end). Single-byte tags, definite and
 * minimal lengths, nothing past the end. */
#ifndef POL_DER_H
#define POL_DER_H
#include <stddef.h>
#include <stdint.h>

typedef struct {
    const uint8_t *p;
    size_t len;
} pol_slice;

typedef struct {
    const uint8_t *p, *end;
} pol_der;

#define DER_BOOLEAN 0x01
#define DER_INTEGER 0x02
#define DER_BIT_STRING 0x03
#define DER_OCTET_STRING 0x04
#define DER_NULL 0x05
#define DER_OID 0x06
#define DER_UTF8 0x0C
#define DER_PRINTABLE 0x13
#define DER_T61 0x14
#define DER_IA5 0x16
#define DER_UTC_TIME 0x17
#define DER_GEN_TIME 0x18
#define DER_VISIBLE 0x1A
#define DER_UNIVERSAL 0x1C
#define DER_BMP 0x1E
#define DER_SEQUENCE 0x30
#define DER_SET 0x31
#define DER_CTX(n) (0x80 | (n))
#define DER_CTX_C(n) (0xA0 | (n))

static inline pol_der pol_der_of(pol_slice s)
{
    pol_der d = { s.p, s.len ? s.p + s.len : s.p }; /* no arithmetic on NULL */
    return d;
}
static inline int pol_der_more(const pol_der *c) { return c->p < c->end; }

/* The hot path of every decision: inline. */

/** Reads one TLV: its tag, its value, and (optional) the whole TLV. 0 if ok.
 * Single-byte tags; definite, minimal lengths of at most 4 octets. */
static inline int pol_der_next(pol_der *c, uint8_t *tag, pol_slice *val, pol_slice *tlv)
{
    const uint8_t *start = c->p;
    size_t avail = (size_t)(c->end - c->p), len, n;
    if (avail < 2)
        return -1;
    *tag = c->p[0];
    if ((*tag & 0x1F) == 0x1F) /* high tag numbers: nothing in X.509 needs them */
        return -1;
    len = c->p[1];
    c->p += 2;
    if (len & 0x80) {
        n = len & 0x7F;
        /* Indefinite (0x80) and over-long forms are not DER. */
        if (n == 0 || n > 4 || (size_t)(c->end - c->p) < n || c->p[0] == 0)
            return -1;
        len = 0;
        for (size_t i = 0; i < n; i++)
            len = (len << 8) | c->p[i];
        c->p += n;
        if (len < 0x80)
            return -1;
    }
    if ((size_t)(c->end - c->p) < len)
        return -1;
    val->p = c->p;
    val->len = len;
    c->p += len;
    if (tlv) {
        tlv->p = start;
        tlv->len = (size_t)(c->p - start);
    }
    return 0;
}

/** Reads one TLV that must have tag. */
static inline int pol_der_expect(pol_der *c, uint8_t tag, pol_slice *val, pol_slice *tlv)
{
    uint8_t t;
    pol_der save = *c;
    if (pol_der_next(c, &t, val, tlv) || t != tag) {
        *c = save;
        return -1;
    }
    return 0;
}

/** Reads an optional TLV: 1 if present and read, 0 if the next tag differs, -1 on error. */
static inline int pol_der_optional(pol_der *c, uint8_t tag, pol_slice *val, pol_slice *tlv)
{
    if (!pol_der_more(c) || c->p[0] != tag)
        return 0;
    return pol_der_expect(c, tag, val, tlv) ? -1 : 1;
}

/** Equal slices (length first, then bytes). */
static inline int pol_eq(pol_slice a, const uint8_t *b, size_t blen)
{
    if (a.len != blen)
        return 0;
    for (size_t i = 0; i < blen; i++)
        if (a.p[i] != b[i])
            return 0;
    return 1;
}

/* Equal to a byte array (not a string literal). */
#define POL_EQ(s, arr) pol_eq((s), (arr), sizeof(arr))

/** Writes a DER header (definite length, up to 2^24 - 1); its length. */
static inline size_t pol_der_hdr(uint8_t tag, size_t len, uint8_t out[5])
{
    size_t k = len < 0x80 ? 0 : len < 0x100 ? 1 : len < 0x10000 ? 2 : 3;
    out[0] = tag;
    if (k == 0) {
        out[1] = (uint8_t)len;
        return 2;
    }
    out[1] = (uint8_t)(0x80 | k);
    for (size_t i = 0; i < k; i++)
        out[2 + i] = (uint8_t)(len >> (8 * (k - 1 - i)));
    return 2 + k;
}

/** DER BOOLEAN value: 0x00 or 0xFF only. */
int pol_der_bool(pol_slice v, int *out);
/** Time (UTCTime before 2050, GeneralizedTime from 2050, RFC 5280 4.1.2.5). */
int pol_der_time(uint8_t tag, pol_slice v, int64_t *out);
/** Days since 1970-01-01 of a civil date. */
int64_t pol_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif
