/* SPDX-License-Identifier: Apache-2.0 */
/* hal_crypto in software with mbedTLS (mps2-an386; docs/crypto.md). Loaded
 * keys live in mbedTLS's static arena, like everything mbedTLS holds. */
#include <string.h>
#include "../../firmware/fw.h"
#include "mbedtls/ecp.h"
#include "mbedtls/md.h"
#include "mbedtls/nist_kw.h"
#include "mbedtls/pk.h"
#include "mbedtls/platform.h"
#include "mbedtls/platform_util.h"
#include "mbedtls/rsa.h"
#include "mbedtls/sha256.h"
#include "mbedtls/sha512.h"
#include "sbrguard/hal_crypto.h"
#include "sbrguard/proto.h"

struct hal_key {
    mbedtls_pk_context pk;
};
struct hal_pub {
    mbedtls_pk_context pk;
};

static mbedtls_md_type_t mbed_md(int md)
{
    return md == HAL_MD_SHA256 ? MBEDTLS_MD_SHA256
           : md == HAL_MD_SHA384 ? MBEDTLS_MD_SHA384
           : md == HAL_MD_SHA512 ? MBEDTLS_MD_SHA512
                                 : MBEDTLS_MD_NONE;
}

size_t hal_md_size(int md)
{
    return md == HAL_MD_SHA256 ? 32 : md == HAL_MD_SHA384 ? 48 : md == HAL_MD_SHA512 ? 64 : 0;
}

int hal_hash(int md, const uint8_t *in, size_t len, uint8_t *out)
{
    /* The hash functions themselves, not the md dispatch: a policy check
     * hashes a key, and every instruction there counts on this board. */
    if (md == HAL_MD_SHA256)
        return mbedtls_sha256(in, len, out, 0) ? HAL_CRYPTO_E_FAIL : HAL_CRYPTO_OK;
    if (md == HAL_MD_SHA384 || md == HAL_MD_SHA512)
        return mbedtls_sha512(in, len, out, md == HAL_MD_SHA384) ? HAL_CRYPTO_E_FAIL : HAL_CRYPTO_OK;
    return HAL_CRYPTO_E_ARGS;
}

typedef char md_ctx_fits[sizeof(mbedtls_sha512_context) <= sizeof(((hal_md_ctx *)0)->st) &&
                                 sizeof(mbedtls_sha256_context) <= sizeof(((hal_md_ctx *)0)->st) ? 1 : -1];

int hal_md_start(hal_md_ctx *c, int md)
{
    c->md = md;
    if (md == HAL_MD_SHA256) {
        mbedtls_sha256_init((mbedtls_sha256_context *)c->st);
        return mbedtls_sha256_starts((mbedtls_sha256_context *)c->st, 0) ? HAL_CRYPTO_E_FAIL : HAL_CRYPTO_OK;
    }
    if (md == HAL_MD_SHA384 || md == HAL_MD_SHA512) {
        mbedtls_sha512_init((mbedtls_sha512_context *)c->st);
        return mbedtls_sha512_starts((mbedtls_sha512_context *)c->st, md == HAL_MD_SHA384) ? HAL_CRYPTO_E_FAIL
                                                                                           : HAL_CRYPTO_OK;
    }
    return HAL_CRYPTO_E_ARGS;
}

int hal_md_update(hal_md_ctx *c, const uint8_t *in, size_t len)
{
    int rc;
    if (len == 0)
        return HAL_CRYPTO_OK;
    if (c->md == HAL_MD_SHA256)
        rc = mbedtls_sha256_update((mbedtls_sha256_context *)c->st, in, len);
    else if (c->md == HAL_MD_SHA384 || c->md == HAL_MD_SHA512)
        rc = mbedtls_sha512_update((mbedtls_sha512_context *)c->st, in, len);
    else
        return HAL_CRYPTO_E_ARGS;
    return rc ? HAL_CRYPTO_E_FAIL : HAL_CRYPTO_OK;
}

int hal_md_finish(hal_md_ctx *c, uint8_t *out)
{
    int rc = HAL_CRYPTO_E_ARGS;
    if (c->md == HAL_MD_SHA256)
        rc = mbedtls_sha256_finish((mbedtls_sha256_context *)c->st, out) ? HAL_CRYPTO_E_FAIL : HAL_CRYPTO_OK;
    else if (c->md == HAL_MD_SHA384 || c->md == HAL_MD_SHA512)
        rc = mbedtls_sha512_finish((mbedtls_sha512_context *)c->st, out) ? HAL_CRYPTO_E_FAIL : HAL_CRYPTO_OK;
    mbedtls_platform_zeroize(c, sizeof *c);
    return rc;
}

int hal_crypto_keygen(uint32_t kt, uint8_t *priv, size_t priv_cap, size_t *priv_len, uint8_t *pub, size_t pub_cap,
                      size_t *pub_len)
{
    static const mbedtls_ecp_group_id grp[3] = { MBEDTLS_ECP_DP_SECP256R1, MBEDTLS_ECP_DP_SECP384R1,
                                                 MBEDTLS_ECP_DP_SECP521R1 };
    mbedtls_pk_context pk;
    int n, m, rc = HAL_CRYPTO_E_FAIL;
    int rsa = kt >= SG_KEY_RSA_2048 && kt <= SG_KEY_RSA_4096;
    if (!rsa && (kt < SG_KEY_EC_P256 || kt > SG_KEY_EC_P521))
        return HAL_CRYPTO_E_ARGS;
    mbedtls_pk_init(&pk);
    if (mbedtls_pk_setup(&pk, mbedtls_pk_info_from_type(rsa ? MBEDTLS_PK_RSA : MBEDTLS_PK_ECKEY)) ||
        (rsa ? mbedtls_rsa_gen_key(mbedtls_pk_rsa(pk), fw_rng, NULL, 2048u + 1024u * (kt - SG_KEY_RSA_2048), 65537)
             : mbedtls_ecp_gen_key(grp[kt - SG_KEY_EC_P256], mbedtls_pk_ec(pk), fw_rng, NULL)))
        goto out;
    if ((n = mbedtls_pk_write_key_der(&pk, priv, priv_cap)) <= 0 ||
        (m = mbedtls_pk_write_pubkey_der(&pk, pub, pub_cap)) <= 0)
        goto out;
    *priv_len = (size_t)n;
    *pub_len = (size_t)m;
    rc = HAL_CRYPTO_OK;
out:
    mbedtls_pk_free(&pk);
    return rc;
}

int hal_crypto_key_load(uint32_t kt, const uint8_t *priv, size_t len, hal_key **k)
{
    (void)kt;
    hal_key *h = mbedtls_calloc(1, sizeof *h);
    if (!h)
        return HAL_CRYPTO_E_MEM;
    mbedtls_pk_init(&h->pk);
    if (mbedtls_pk_parse_key(&h->pk, priv, len, NULL, 0, fw_rng, NULL)) {
        hal_crypto_key_free(h);
        return HAL_CRYPTO_E_FAIL;
    }
    *k = h;
    return HAL_CRYPTO_OK;
}

void hal_crypto_key_free(hal_key *k)
{
    if (k) {
        mbedtls_pk_free(&k->pk); /* zeroizes the key's numbers */
        mbedtls_free(k);
    }
}

int hal_crypto_sign(hal_key *k, int scheme, int md, int pss_md, size_t salt, const uint8_t *h, size_t hlen,
                    uint8_t *sig, size_t cap, size_t *sig_len)
{
    /* One type check: the RSA context below must be one. */
    if (!k || mbedtls_pk_get_type(&k->pk) != (scheme == HAL_SIG_ECDSA ? MBEDTLS_PK_ECKEY : MBEDTLS_PK_RSA))
        return HAL_CRYPTO_E_ARGS;
    if (scheme == HAL_SIG_ECDSA)
        return mbedtls_pk_sign(&k->pk, MBEDTLS_MD_NONE, h, hlen, sig, cap, sig_len, fw_rng, NULL) ? HAL_CRYPTO_E_FAIL
                                                                                                 : HAL_CRYPTO_OK;
    mbedtls_rsa_context *rsa = mbedtls_pk_rsa(k->pk);
    size_t olen = mbedtls_rsa_get_len(rsa);
    int pss = scheme == HAL_SIG_PSS;
    mbedtls_md_type_t pmd = mbed_md(pss ? pss_md : HAL_MD_NONE);
    if (olen > cap ||
        mbedtls_rsa_set_padding(rsa, pss ? MBEDTLS_RSA_PKCS_V21 : MBEDTLS_RSA_PKCS_V15, pmd) ||
        (pss ? mbedtls_rsa_rsassa_pss_sign_ext(rsa, fw_rng, NULL, pmd, (unsigned)hlen, h, (int)salt, sig)
             : mbedtls_rsa_pkcs1_sign(rsa, fw_rng, NULL, mbed_md(md), (unsigned)hlen, h, sig)))
        return HAL_CRYPTO_E_FAIL;
    *sig_len = olen;
    return HAL_CRYPTO_OK;
}

int hal_crypto_verify(const uint8_t *spki, size_t spki_len, int scheme, int md, const uint8_t *h, size_t hlen,
                      const uint8_t *sig, size_t sig_len)
{
    mbedtls_md_type_t mt = mbed_md(md);
    int rc = -1;
    mbedtls_pk_context pk;
    mbedtls_pk_init(&pk);
    if (mt == MBEDTLS_MD_NONE || hlen != hal_md_size(md) || mbedtls_pk_parse_public_key(&pk, spki, spki_len))
        goto out;
    if (scheme == HAL_SIG_ECDSA) {
        if (mbedtls_pk_get_type(&pk) == MBEDTLS_PK_ECKEY)
            rc = mbedtls_pk_verify(&pk, mt, h, hlen, sig, sig_len);
    } else if (mbedtls_pk_get_type(&pk) == MBEDTLS_PK_RSA && mbedtls_pk_get_bitlen(&pk) >= 2048 &&
               sig_len == mbedtls_pk_get_len(&pk)) {
        mbedtls_rsa_context *rsa = mbedtls_pk_rsa(pk);
        if (scheme == HAL_SIG_PKCS1)
            rc = mbedtls_rsa_pkcs1_verify(rsa, mt, (unsigned)hlen, h, sig);
        else if (scheme == HAL_SIG_PSS)
            rc = mbedtls_rsa_rsassa_pss_verify_ext(rsa, mt, (unsigned)hlen, h, mt, (int)hlen, sig);
    }
out:
    mbedtls_pk_free(&pk);
    return rc ? HAL_CRYPTO_E_FAIL : HAL_CRYPTO_OK;
}

int hal_crypto_ec_point_check(uint32_t kt, const uint8_t *point, size_t len)
{
    static const mbedtls_ecp_group_id ids[3] = { MBEDTLS_ECP_DP_SECP256R1, MBEDTLS_ECP_DP_SECP384R1,
                                                 MBEDTLS_ECP_DP_SECP521R1 };
    static const size_t sizes[3] = { 32, 48, 66 };
    static mbedtls_ecp_group grp[3]; /* loaded once, kept: the check allocates only the point */
    static uint8_t loaded[3];
    unsigned i = kt - SG_KEY_EC_P256;
    int ok;
    if (kt < SG_KEY_EC_P256 || i > 2 || len != 1 + 2 * sizes[i] || point[0] != 0x04)
        return HAL_CRYPTO_E_ARGS;
    if (!loaded[i]) {
        mbedtls_ecp_group_init(&grp[i]);
        if (mbedtls_ecp_group_load(&grp[i], ids[i]))
            return HAL_CRYPTO_E_MEM;
        loaded[i] = 1;
    }
    mbedtls_ecp_point p;
    mbedtls_ecp_point_init(&p);
    ok = mbedtls_ecp_point_read_binary(&grp[i], &p, point, len) == 0 && mbedtls_ecp_check_pubkey(&grp[i], &p) == 0;
    mbedtls_ecp_point_free(&p);
    return ok ? HAL_CRYPTO_OK : HAL_CRYPTO_E_FAIL;
}

int hal_crypto_pub_load(const uint8_t *spki, size_t len, hal_pub **k, int *alg, unsigned *bits)
{
    hal_pub *h = mbedtls_calloc(1, sizeof *h);
    mbedtls_pk_type_t t;
    if (!h)
        return HAL_CRYPTO_E_MEM;
    mbedtls_pk_init(&h->pk);
    if (mbedtls_pk_parse_public_key(&h->pk, spki, len) ||
        ((t = mbedtls_pk_get_type(&h->pk)) != MBEDTLS_PK_RSA && t != MBEDTLS_PK_ECKEY)) {
        hal_crypto_pub_free(h);
        return HAL_CRYPTO_E_FAIL;
    }
    *alg = t == MBEDTLS_PK_RSA ? HAL_PK_RSA : HAL_PK_EC;
    *bits = (unsigned)mbedtls_pk_get_bitlen(&h->pk);
    if (k)
        *k = h;
    else
        hal_crypto_pub_free(h);
    return HAL_CRYPTO_OK;
}

void hal_crypto_pub_free(hal_pub *k)
{
    if (k) {
        mbedtls_pk_free(&k->pk);
        mbedtls_free(k);
    }
}

int hal_crypto_rsa_oaep_encrypt(hal_pub *k, const uint8_t *in, size_t in_len, uint8_t *out, size_t cap,
                                size_t *out_len)
{
    if (!k || mbedtls_pk_get_type(&k->pk) != MBEDTLS_PK_RSA)
        return HAL_CRYPTO_E_ARGS;
    mbedtls_rsa_context *rsa = mbedtls_pk_rsa(k->pk);
    size_t n = mbedtls_rsa_get_len(rsa);
    if (n > cap || mbedtls_rsa_set_padding(rsa, MBEDTLS_RSA_PKCS_V21, MBEDTLS_MD_SHA256) ||
        mbedtls_rsa_rsaes_oaep_encrypt(rsa, fw_rng, NULL, NULL, 0, in_len, in, out))
        return HAL_CRYPTO_E_FAIL;
    *out_len = n;
    return HAL_CRYPTO_OK;
}

int hal_crypto_aes_kwp(int wrap, const uint8_t key[32], const uint8_t *in, size_t in_len, uint8_t *out, size_t cap,
                       size_t *out_len)
{
    mbedtls_nist_kw_context kw;
    mbedtls_nist_kw_init(&kw);
    int rc = mbedtls_nist_kw_setkey(&kw, MBEDTLS_CIPHER_ID_AES, key, 256, wrap) ||
             (wrap ? mbedtls_nist_kw_wrap(&kw, MBEDTLS_KW_MODE_KWP, in, in_len, out, out_len, cap)
                   : mbedtls_nist_kw_unwrap(&kw, MBEDTLS_KW_MODE_KWP, in, in_len, out, out_len, cap));
    mbedtls_nist_kw_free(&kw); /* zeroizes the key schedule */
    return rc ? HAL_CRYPTO_E_FAIL : HAL_CRYPTO_OK;
}
