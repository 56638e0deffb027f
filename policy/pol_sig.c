/* SPDX-License-Identifier: Apache-2.0 */
/* Signature AlgorithmIdentifiers of SBR 7.1.3.2 and the one signature check
 * that the evidence (VA keys) and the policy bundle (the SO's key) share. */
#include <string.h>
#include "mbedtls/md.h"
#include "mbedtls/pk.h"
#include "mbedtls/rsa.h"
#include "pol.h"

/* Indexed by POL_SIG_*. */
static const struct {
    uint8_t len;
    uint8_t der[67];
} algs[] = {
    { 15, { 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00 } },
    { 15, { 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c, 0x05, 0x00 } },
    { 15, { 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d, 0x05, 0x00 } },
#define PSS(h, s)                                                                                              \
    { 67,                                                                                                     \
      { 0x30, 0x41, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a, 0x30, 0x34, 0xa0, 0x0f, \
        0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, h,    0x05, 0x00, 0xa1, 0x1c, \
        0x30, 0x1a, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08, 0x30, 0x0d, 0x06, 0x09, \
        0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, h,    0x05, 0x00, 0xa2, 0x03, 0x02, 0x01, s } }
    PSS(0x01, 0x20), PSS(0x02, 0x30), PSS(0x03, 0x40),
#undef PSS
    { 12, { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02 } },
    { 12, { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03 } },
    { 12, { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04 } },
    { 7, { 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70 } },
    { 7, { 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x71 } },
    { 13, { 0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x11 } },
    { 13, { 0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x12 } },
    { 13, { 0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x13 } },
};

int pol_sig_alg_id(const uint8_t *alg, size_t len)
{
    for (size_t i = 0; i < sizeof algs / sizeof *algs; i++)
        if (len == algs[i].len && memcmp(alg, algs[i].der, len) == 0)
            return (int)i;
    return -1;
}

const uint8_t *pol_sig_alg_der(int id, size_t *len)
{
    if (id < 0 || (size_t)id >= sizeof algs / sizeof *algs)
        return NULL;
    *len = algs[id].len;
    return algs[id].der;
}

int pol_sig_verify_digest(const uint8_t *spki, size_t spki_len, int id, const uint8_t *hash, size_t hlen,
                          const uint8_t *sig, size_t sig_len)
{
    static const mbedtls_md_type_t mds[3] = { MBEDTLS_MD_SHA256, MBEDTLS_MD_SHA384, MBEDTLS_MD_SHA512 };
    int rc = -1;
    if (id < 0 || id > POL_SIG_ECDSA_SHA512)
        return -1;
    mbedtls_md_type_t md = mds[id % 3];
    const mbedtls_md_info_t *info = mbedtls_md_info_from_type(md);
    mbedtls_pk_context pk;
    mbedtls_pk_init(&pk);
    if (!info || hlen != mbedtls_md_get_size(info) || mbedtls_pk_parse_public_key(&pk, spki, spki_len))
        goto out;
    if (id >= POL_SIG_ECDSA_SHA256) {
        if (mbedtls_pk_get_type(&pk) == MBEDTLS_PK_ECKEY)
            rc = mbedtls_pk_verify(&pk, md, hash, hlen, sig, sig_len);
    } else if (mbedtls_pk_get_type(&pk) == MBEDTLS_PK_RSA && mbedtls_pk_get_bitlen(&pk) >= 2048 &&
               sig_len == mbedtls_pk_get_len(&pk)) {
        mbedtls_rsa_context *rsa = mbedtls_pk_rsa(pk);
        if (id <= POL_SIG_RSA_SHA512)
            rc = mbedtls_rsa_pkcs1_verify(rsa, md, (unsigned)hlen, hash, sig);
        else
            rc = mbedtls_rsa_rsassa_pss_verify_ext(rsa, md, (unsigned)hlen, hash, md, (int)hlen, sig);
    }
out:
    mbedtls_pk_free(&pk);
    return rc ? -1 : 0;
}

int pol_sig_verify(const uint8_t *spki, size_t spki_len, const uint8_t *alg, size_t alg_len,
                   const uint8_t *msg, size_t msg_len, const uint8_t *sig, size_t sig_len)
{
    static const mbedtls_md_type_t mds[3] = { MBEDTLS_MD_SHA256, MBEDTLS_MD_SHA384, MBEDTLS_MD_SHA512 };
    int id = pol_sig_alg_id(alg, alg_len);
    uint8_t hash[64];
    if (id < 0 || id > POL_SIG_ECDSA_SHA512)
        return -1;
    const mbedtls_md_info_t *info = mbedtls_md_info_from_type(mds[id % 3]);
    if (!info || mbedtls_md(info, msg, msg_len, hash))
        return -1;
    return pol_sig_verify_digest(spki, spki_len, id, hash, mbedtls_md_get_size(info), sig, sig_len);
}
