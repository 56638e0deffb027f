/* SPDX-License-Identifier: Apache-2.0 */
/* DER the module reads: curve parameters, SubjectPublicKeyInfo (for the
 * public key attributes) and the few certificate fields PKCS#11 exposes. */
#include <string.h>
#include "mbedtls/asn1.h"
#include "p11.h"

static const uint8_t p11_oid_p256[] = {0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07};
static const uint8_t p11_oid_p384[] = {0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x22};
static const uint8_t p11_oid_p521[] = {0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x23};
/* Algorithm OIDs, value only. */
static const uint8_t p11_oid_ec_pub[] = {0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01};
static const uint8_t p11_oid_rsa[] = {0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01};

static const struct {
    int key_type;           /* SG_KEY_EC_* */
    const uint8_t *oid;     /* namedCurve OID with its tag */
    size_t oid_len;
} p11_curves[] = {
    {SG_KEY_EC_P256, p11_oid_p256, sizeof(p11_oid_p256)},
    {SG_KEY_EC_P384, p11_oid_p384, sizeof(p11_oid_p384)},
    {SG_KEY_EC_P521, p11_oid_p521, sizeof(p11_oid_p521)},
};

/* Curve names some applications pass as a PrintableString instead of the OID. */
static const struct {
    const char *name;
    int key_type;
} p11_curve_names[] = {
    {"prime256v1", SG_KEY_EC_P256}, {"secp256r1", SG_KEY_EC_P256},
    {"nistp256", SG_KEY_EC_P256},   {"P-256", SG_KEY_EC_P256},
    {"secp384r1", SG_KEY_EC_P384},  {"nistp384", SG_KEY_EC_P384},
    {"P-384", SG_KEY_EC_P384},      {"secp521r1", SG_KEY_EC_P521},
    {"nistp521", SG_KEY_EC_P521},   {"P-521", SG_KEY_EC_P521},
};

int p11_curve_from_params(const uint8_t *p, size_t len)
{
    for (size_t i = 0; i < sizeof(p11_curves) / sizeof(p11_curves[0]); i++)
        if (len == p11_curves[i].oid_len && memcmp(p, p11_curves[i].oid, len) == 0)
            return p11_curves[i].key_type;
    /* PrintableString / UTF8String / IA5String with a short length. */
    if (len >= 2 && (p[0] == 0x13 || p[0] == 0x0C || p[0] == 0x16) && p[1] == len - 2) {
        for (size_t i = 0; i < sizeof(p11_curve_names) / sizeof(p11_curve_names[0]); i++) {
            size_t n = strlen(p11_curve_names[i].name);
            if (n == len - 2 && memcmp(p + 2, p11_curve_names[i].name, n) == 0)
                return p11_curve_names[i].key_type;
        }
    }
    return 0;
}

size_t p11_der_hdr(uint8_t tag, size_t len, uint8_t out[4])
{
    out[0] = tag;
    if (len < 0x80) {
        out[1] = (uint8_t)len;
        return 2;
    }
    if (len < 0x100) {
        out[1] = 0x81;
        out[2] = (uint8_t)len;
        return 3;
    }
    out[1] = 0x82;
    out[2] = (uint8_t)(len >> 8);
    out[3] = (uint8_t)len;
    return 4;
}

/* Reads one TLV with the expected tag: *tlv spans the whole element, *p
 * moves past it, and (val, vlen) is its content. */
static int p11_der_get(unsigned char **p, const unsigned char *end, int tag,
                       const uint8_t **tlv, size_t *tlv_len, unsigned char **val, size_t *vlen)
{
    unsigned char *start = *p;
    size_t len;
    if (mbedtls_asn1_get_tag(p, end, &len, tag) != 0)
        return -1;
    if (val)
        *val = *p;
    if (vlen)
        *vlen = len;
    *p += len;
    if (tlv) {
        *tlv = start;
        *tlv_len = (size_t)(*p - start);
    }
    return 0;
}

static void p11_strip_zeros(const uint8_t **p, size_t *len)
{
    while (*len > 1 && (*p)[0] == 0) {
        (*p)++;
        (*len)--;
    }
}

int p11_spki_parse(const uint8_t *der, size_t der_len, struct p11_spki *out)
{
    const int seq = MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE;
    unsigned char *p = (unsigned char *)der, *end = p + der_len, *alg, *oid, *bits, *rsa;
    size_t alg_len, oid_len, bits_len, rsa_len;
    memset(out, 0, sizeof(*out));
    if (mbedtls_asn1_get_tag(&p, end, &der_len, seq) != 0 || p + der_len != end)
        return -1;
    if (p11_der_get(&p, end, seq, NULL, NULL, &alg, &alg_len) != 0)
        return -1;
    unsigned char *alg_end = alg + alg_len;
    if (p11_der_get(&alg, alg_end, MBEDTLS_ASN1_OID, NULL, NULL, &oid, &oid_len) != 0)
        return -1;
    if (mbedtls_asn1_get_bitstring_null(&p, end, &bits_len) != 0)
        return -1;
    bits = p;
    if (p + bits_len != end)
        return -1;
    if (oid_len == sizeof(p11_oid_ec_pub) && memcmp(oid, p11_oid_ec_pub, oid_len) == 0) {
        /* namedCurve only: the parameters are exactly one OID. */
        if (p11_der_get(&alg, alg_end, MBEDTLS_ASN1_OID, &out->ec_params,
                        &out->ec_params_len, NULL, NULL) != 0 || alg != alg_end)
            return -1;
        if (bits_len < 1 || bits[0] != 0x04)
            return -1;
        out->ec_point = bits;
        out->ec_point_len = bits_len;
        return 0;
    }
    if (oid_len == sizeof(p11_oid_rsa) && memcmp(oid, p11_oid_rsa, oid_len) == 0) {
        unsigned char *q = bits, *qend = bits + bits_len, *n, *e;
        size_t n_len, e_len;
        if (p11_der_get(&q, qend, seq, NULL, NULL, &rsa, &rsa_len) != 0 || q != qend)
            return -1;
        q = rsa;
        qend = rsa + rsa_len;
        if (p11_der_get(&q, qend, MBEDTLS_ASN1_INTEGER, NULL, NULL, &n, &n_len) != 0 ||
            p11_der_get(&q, qend, MBEDTLS_ASN1_INTEGER, NULL, NULL, &e, &e_len) != 0 ||
            q != qend || n_len == 0 || e_len == 0)
            return -1;
        out->modulus = n;
        out->modulus_len = n_len;
        out->exponent = e;
        out->exponent_len = e_len;
        p11_strip_zeros(&out->modulus, &out->modulus_len);
        p11_strip_zeros(&out->exponent, &out->exponent_len);
        return 0;
    }
    return -1;
}

int p11_cert_parse(const uint8_t *der, size_t der_len, struct p11_cert *out)
{
    const int seq = MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE;
    const int v0 = MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_ASN1_CONSTRUCTED | 0;
    unsigned char *p = (unsigned char *)der, *end = p + der_len, *tbs;
    size_t len, tbs_len;
    memset(out, 0, sizeof(*out));
    if (mbedtls_asn1_get_tag(&p, end, &len, seq) != 0 || p + len != end)
        return -1;
    if (p11_der_get(&p, end, seq, NULL, NULL, &tbs, &tbs_len) != 0)
        return -1;
    unsigned char *tend = tbs + tbs_len;
    if (tbs < tend && *tbs == v0 && p11_der_get(&tbs, tend, v0, NULL, NULL, NULL, NULL) != 0)
        return -1;
    if (p11_der_get(&tbs, tend, MBEDTLS_ASN1_INTEGER, &out->serial, &out->serial_len,
                    NULL, NULL) != 0 ||
        p11_der_get(&tbs, tend, seq, NULL, NULL, NULL, NULL) != 0 || /* signature */
        p11_der_get(&tbs, tend, seq, &out->issuer, &out->issuer_len, NULL, NULL) != 0 ||
        p11_der_get(&tbs, tend, seq, NULL, NULL, NULL, NULL) != 0 || /* validity */
        p11_der_get(&tbs, tend, seq, &out->subject, &out->subject_len, NULL, NULL) != 0 ||
        p11_der_get(&tbs, tend, seq, &out->spki, &out->spki_len, NULL, NULL) != 0) {
        memset(out, 0, sizeof(*out));
        return -1;
    }
    return 0;
}
