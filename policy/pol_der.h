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

/** Reads one TLV: its tag, its value, and (optional) the whole TLV. 0 if ok. */
int pol_der_next(pol_der *c, uint8_t *tag, pol_slice *val, pol_slice *tlv);
/** Reads one TLV that must have tag. */
int pol_der_expect(pol_der *c, uint8_t tag, pol_slice *val, pol_slice *tlv);
/** Reads an optional TLV: 1 if present and read, 0 if the next tag differs, -1 on error. */
int pol_der_optional(pol_der *c, uint8_t tag, pol_slice *val, pol_slice *tlv);

/** Equal slices (length first, then bytes). */
int pol_eq(pol_slice a, const uint8_t *b, size_t blen);
/* Equal to a byte array (not a string literal). */
#define POL_EQ(s, arr) pol_eq((s), (arr), sizeof(arr))

/** DER BOOLEAN value: 0x00 or 0xFF only. */
int pol_der_bool(pol_slice v, int *out);
/** Time (UTCTime before 2050, GeneralizedTime from 2050, RFC 5280 4.1.2.5). */
int pol_der_time(uint8_t tag, pol_slice v, int64_t *out);
/** Days since 1970-01-01 of a civil date. */
int64_t pol_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif
