/* SPDX-License-Identifier: Apache-2.0 */
/* A small DER builder for tests that make certificates and TBSs from parts. */
#ifndef DERBUILD_H
#define DERBUILD_H
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    uint8_t b[4096];
    size_t n;
} dbuf;

#define DB_BYTES(...) ((const uint8_t[]){ __VA_ARGS__ }), sizeof((const uint8_t[]){ __VA_ARGS__ })

static inline void db_put(dbuf *d, const void *p, size_t n)
{
    if (d->n + n > sizeof d->b)
        abort();
    memcpy(d->b + d->n, p, n);
    d->n += n;
}

/* Tag, definite length (up to 0xFFFF), value. */
static inline void db_tlv(dbuf *d, uint8_t tag, const void *p, size_t n)
{
    uint8_t h[4] = { tag };
    size_t hl = 2;
    if (n < 0x80) {
        h[1] = (uint8_t)n;
    } else if (n < 0x100) {
        h[1] = 0x81;
        h[2] = (uint8_t)n;
        hl = 3;
    } else {
        h[1] = 0x82;
        h[2] = (uint8_t)(n >> 8);
        h[3] = (uint8_t)n;
        hl = 4;
    }
    db_put(d, h, hl);
    db_put(d, p, n);
}

static inline void db_wrap(dbuf *d, uint8_t tag, const dbuf *in) { db_tlv(d, tag, in->b, in->n); }

static inline void db_utc(dbuf *d, time_t t)
{
    struct tm tm;
    char s[16];
    gmtime_r(&t, &tm);
    strftime(s, sizeof s, "%y%m%d%H%M%SZ", &tm);
    db_tlv(d, 0x17, s, 13);
}

/* Name: [O=o,] CN=cn, UTF8Strings. */
static inline void db_name(dbuf *d, const char *o, const char *cn)
{
    dbuf n = { .n = 0 }, set, atv;
    if (o) {
        atv.n = set.n = 0;
        db_put(&atv, DB_BYTES(0x06, 0x03, 0x55, 0x04, 0x0a));
        db_tlv(&atv, 0x0c, o, strlen(o));
        db_wrap(&set, 0x30, &atv);
        db_wrap(&n, 0x31, &set);
    }
    atv.n = set.n = 0;
    db_put(&atv, DB_BYTES(0x06, 0x03, 0x55, 0x04, 0x03));
    db_tlv(&atv, 0x0c, cn, strlen(cn));
    db_wrap(&set, 0x30, &atv);
    db_wrap(&n, 0x31, &set);
    db_wrap(d, 0x30, &n);
}

/* Extension { OID, [critical TRUE], OCTET STRING value } appended to exts. */
static inline void db_ext(dbuf *exts, const uint8_t *oid, size_t oid_len, int critical, const dbuf *value)
{
    dbuf e = { .n = 0 };
    db_tlv(&e, 0x06, oid, oid_len);
    if (critical)
        db_put(&e, DB_BYTES(0x01, 0x01, 0xff));
    db_wrap(&e, 0x04, value);
    db_wrap(exts, 0x30, &e);
}

/* The extensions of a CA certificate: basicConstraints CA:TRUE and
 * keyUsage keyCertSign|cRLSign (both critical), SKI = ski; appended to exts. */
static inline void db_ca_exts(dbuf *exts, const uint8_t *ski, size_t ski_len)
{
    dbuf val;
    val.n = 0;
    db_put(&val, DB_BYTES(0x30, 0x03, 0x01, 0x01, 0xff));
    db_ext(exts, DB_BYTES(0x55, 0x1d, 0x13), 1, &val);
    val.n = 0;
    db_put(&val, DB_BYTES(0x03, 0x02, 0x01, 0x06));
    db_ext(exts, DB_BYTES(0x55, 0x1d, 0x0f), 1, &val);
    val.n = 0;
    db_tlv(&val, 0x04, ski, ski_len);
    db_ext(exts, DB_BYTES(0x55, 0x1d, 0x0e), 0, &val);
}

/* The extensions of a mailbox-strict subscriber TBS for alice@example.com
 * (SBR 7.1.2.3): policy 2.23.140.1.5.1.3, CRL DP, AIA, key usage, EKU
 * emailProtection (server_auth: also id-kp-serverAuth, which the policy
 * refuses), AKI = ca_ski, SKI, SAN; appended to exts. */
static inline void db_smime_exts(dbuf *exts, const uint8_t *ca_ski, size_t ski_len, int server_auth)
{
    dbuf val;
    val.n = 0;
    db_put(&val, DB_BYTES(0x30, 0x0b, 0x30, 0x09, 0x06, 0x07, 0x67, 0x81, 0x0c, 0x01, 0x05, 0x01, 0x03));
    db_ext(exts, DB_BYTES(0x55, 0x1d, 0x20), 0, &val);
    val.n = 0;
    static const char crl[] = "http://crl.example.com/ca.crl";
    db_put(&val, DB_BYTES(0x30, 0x25, 0x30, 0x23, 0xa0, 0x21, 0xa0, 0x1f, 0x86, 0x1d));
    db_put(&val, crl, sizeof crl - 1);
    db_ext(exts, DB_BYTES(0x55, 0x1d, 0x1f), 0, &val);
    val.n = 0;
    static const char ca_url[] = "http://ca.example.com/ca.crt";
    db_put(&val, DB_BYTES(0x30, 0x2a, 0x30, 0x28, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x02, 0x86,
                          0x1c));
    db_put(&val, ca_url, sizeof ca_url - 1);
    db_ext(exts, DB_BYTES(0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x01), 0, &val);
    val.n = 0;
    db_put(&val, DB_BYTES(0x03, 0x02, 0x07, 0x80)); /* digitalSignature: the subscriber key is EC */
    db_ext(exts, DB_BYTES(0x55, 0x1d, 0x0f), 1, &val);
    val.n = 0;
    if (server_auth)
        db_put(&val, DB_BYTES(0x30, 0x14, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x04, 0x06, 0x08,
                              0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01));
    else
        db_put(&val, DB_BYTES(0x30, 0x0a, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x04));
    db_ext(exts, DB_BYTES(0x55, 0x1d, 0x25), 0, &val);
    val.n = 0;
    db_put(&val, DB_BYTES(0x30, 0x16, 0x80, 0x14));
    db_put(&val, ca_ski, ski_len);
    db_ext(exts, DB_BYTES(0x55, 0x1d, 0x23), 0, &val);
    val.n = 0;
    db_put(&val, DB_BYTES(0x04, 0x14, 0x7a, 0x2f, 0x78, 0x43, 0x0a, 0xf9, 0xae, 0x2e, 0xb2, 0xdc, 0x32, 0x43, 0x66,
                          0x4a, 0x1a, 0xc8, 0xa5, 0x80, 0x7b, 0xa4));
    db_ext(exts, DB_BYTES(0x55, 0x1d, 0x0e), 0, &val);
    val.n = 0;
    static const char mbox[] = "alice@example.com";
    db_put(&val, DB_BYTES(0x30, 0x13, 0x81, 0x11));
    db_put(&val, mbox, sizeof mbox - 1);
    db_ext(exts, DB_BYTES(0x55, 0x1d, 0x11), 0, &val);
}

#endif
