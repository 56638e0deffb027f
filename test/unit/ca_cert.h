/* SPDX-License-Identifier: Apache-2.0 */
/* A CA certificate for tests: a given CA's subject and subjectKeyIdentifier
 * around a key generated on the token (the token checks only that the
 * certificate carries the key's SPKI; the policy reads subject and SKI). */
#ifndef CA_CERT_H
#define CA_CERT_H
#include "../../policy/pol.h"
#include "derbuild.h"

static inline size_t make_ca(const pol_ca *ca, const uint8_t *spki, size_t spki_len, uint8_t *out)
{
    static const uint8_t alg[] = { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02 };
    static dbuf tbs, v, ski, ext, exts, cert, whole;
    tbs.n = v.n = ski.n = ext.n = exts.n = cert.n = whole.n = 0;
    db_put(&tbs, DB_BYTES(0xA0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x01, 0x01));
    db_put(&tbs, alg, sizeof alg);
    db_put(&tbs, ca->ca_subject, ca->ca_subject_len);
    db_utc(&v, 1577836800);  /* 2020-01-01T00:00:00Z */
    db_utc(&v, 2524607999);  /* 2049-12-31T23:59:59Z */
    db_wrap(&tbs, 0x30, &v);
    db_put(&tbs, ca->ca_subject, ca->ca_subject_len);
    db_put(&tbs, spki, spki_len);
    db_tlv(&ski, 0x04, ca->ca_ski, ca->ca_ski_len);
    db_ext(&ext, DB_BYTES(0x55, 0x1D, 0x0E), 0, &ski);
    db_wrap(&exts, 0x30, &ext);
    db_wrap(&tbs, 0xA3, &exts);
    db_wrap(&cert, 0x30, &tbs);
    db_put(&cert, alg, sizeof alg);
    db_put(&cert, DB_BYTES(0x03, 0x03, 0x00, 0x30, 0x00)); /* the signature is never checked */
    db_wrap(&whole, 0x30, &cert);
    memcpy(out, whole.b, whole.n);
    return whole.n;
}

#endif
