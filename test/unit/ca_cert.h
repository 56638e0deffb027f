/* SPDX-License-Identifier: Apache-2.0 */
/* A CA certificate for tests: a given CA's subject and subjectKeyIdentifier
 * around a key generated on the token (the token checks only that the
 * certificate carries the key's SPKI; the policy reads subject and SKI). */
#ifndef CA_CERT_H
#define CA_CERT_H
#include <string.h>
#include "../../policy/pol.h"

/* DER length prefix. */
static inline size_t put_len(uint8_t *o, size_t n)
{
    if (n < 128) {
        o[0] = (uint8_t)n;
        return 1;
    }
    o[0] = 0x82;
    o[1] = (uint8_t)(n >> 8);
    o[2] = (uint8_t)n;
    return 3;
}

static inline size_t wrap(uint8_t tag, const uint8_t *body, size_t n, uint8_t *o)
{
    size_t h = 1;
    o[0] = tag;
    h += put_len(o + 1, n);
    memmove(o + h, body, n);
    return h + n;
}

/* A CA certificate: the corpus CA's subject and SKI, the token key's SPKI. */
static inline size_t make_ca(const pol_ca *ca, const uint8_t *spki, size_t spki_len, uint8_t *out)
{
    static uint8_t tbs[2048], tmp[2048];
    static const uint8_t head[] = { 0xA0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x01, 0x01,
                                    0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02 };
    static const uint8_t validity[] = { 0x30, 0x1e, 0x17, 0x0d, '2', '0', '0', '1', '0', '1', '0', '0', '0', '0', '0', '0', 'Z',
                                        0x17, 0x0d, '4', '9', '1', '2', '3', '1', '2', '3', '5', '9', '5', '9', 'Z' };
    size_t n = 0, e;
    memcpy(tbs, head, sizeof head);
    n = sizeof head;
    memcpy(tbs + n, ca->ca_subject, ca->ca_subject_len);
    n += ca->ca_subject_len;
    memcpy(tbs + n, validity, sizeof validity);
    n += sizeof validity;
    memcpy(tbs + n, ca->ca_subject, ca->ca_subject_len);
    n += ca->ca_subject_len;
    memcpy(tbs + n, spki, spki_len);
    n += spki_len;
    /* [3] { SEQUENCE { SEQUENCE { 2.5.29.14, OCTET STRING { OCTET STRING ski } } } } */
    size_t k = wrap(0x04, ca->ca_ski, ca->ca_ski_len, tmp + 512);
    k = wrap(0x04, tmp + 512, k, tmp + 1024);
    static const uint8_t ski_oid[] = { 0x06, 0x03, 0x55, 0x1D, 0x0E };
    memcpy(tmp, ski_oid, sizeof ski_oid);
    memcpy(tmp + sizeof ski_oid, tmp + 1024, k);
    e = wrap(0x30, tmp, sizeof ski_oid + k, tmp + 256);
    e = wrap(0x30, tmp + 256, e, tmp + 768);
    e = wrap(0xA3, tmp + 768, e, tbs + n);
    n += e;
    n = wrap(0x30, tbs, n, tmp);
    memcpy(tbs, tmp, n);
    static const uint8_t tail[] = { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02,
                                    0x03, 0x03, 0x00, 0x30, 0x00 };
    memcpy(tbs + n, tail, sizeof tail);
    return wrap(0x30, tbs, n + sizeof tail, out);
}

#endif
