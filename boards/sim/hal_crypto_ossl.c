/* SPDX-License-Identifier: Apache-2.0 */
/* hal_crypto of the sim board with Debian's OpenSSL libcrypto: the stand-in
 * for a token's crypto engine (docs/crypto.md). The keys stay in the token
 * process; its DRBG is the engine's, as a coprocessor's TRNG would be. A
 * loaded key keeps its signing context, so a signature re-initializes it
 * only when the scheme changes. Single-threaded, as the firmware is (the
 * parsed-public-key cache is shared). */
#include <stdlib.h>
#include <string.h>
/* The low-level SHA-2 calls keep their state in the caller's memory and use
 * the CPU's SHA extensions; EVP would allocate a context per running hash. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>
#include <openssl/sha.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include "sbrguard/hal_crypto.h"
#include "sbrguard/proto.h"

struct hal_pub {
    EVP_PKEY *pk;
};

struct hal_key {
    EVP_PKEY *pk;
    EVP_PKEY_CTX *ctx;
    int scheme, md, pss_md; /* what ctx is set up for; scheme -1: nothing */
    size_t salt;
};

static const EVP_MD *ossl_md(int md)
{
    return md == HAL_MD_SHA256 ? EVP_sha256() : md == HAL_MD_SHA384 ? EVP_sha384() : md == HAL_MD_SHA512 ? EVP_sha512() : NULL;
}

size_t hal_md_size(int md)
{
    return md == HAL_MD_SHA256 ? 32 : md == HAL_MD_SHA384 ? 48 : md == HAL_MD_SHA512 ? 64 : 0;
}

typedef char md_ctx_fits[sizeof(SHA512_CTX) <= sizeof(((hal_md_ctx *)0)->st) &&
                                 sizeof(SHA256_CTX) <= sizeof(((hal_md_ctx *)0)->st) ? 1 : -1];

int hal_md_start(hal_md_ctx *c, int md)
{
    c->md = md;
    if (md == HAL_MD_SHA256)
        return SHA256_Init((SHA256_CTX *)c->st) ? HAL_CRYPTO_OK : HAL_CRYPTO_E_FAIL;
    if (md == HAL_MD_SHA384)
        return SHA384_Init((SHA512_CTX *)c->st) ? HAL_CRYPTO_OK : HAL_CRYPTO_E_FAIL;
    if (md == HAL_MD_SHA512)
        return SHA512_Init((SHA512_CTX *)c->st) ? HAL_CRYPTO_OK : HAL_CRYPTO_E_FAIL;
    return HAL_CRYPTO_E_ARGS;
}

int hal_md_update(hal_md_ctx *c, const uint8_t *in, size_t len)
{
    if (len == 0)
        return HAL_CRYPTO_OK;
    if (c->md == HAL_MD_SHA256)
        return SHA256_Update((SHA256_CTX *)c->st, in, len) ? HAL_CRYPTO_OK : HAL_CRYPTO_E_FAIL;
    if (c->md == HAL_MD_SHA384 || c->md == HAL_MD_SHA512)
        return SHA512_Update((SHA512_CTX *)c->st, in, len) ? HAL_CRYPTO_OK : HAL_CRYPTO_E_FAIL;
    return HAL_CRYPTO_E_ARGS;
}

int hal_md_finish(hal_md_ctx *c, uint8_t *out)
{
    int ok = c->md == HAL_MD_SHA256   ? SHA256_Final(out, (SHA256_CTX *)c->st)
             : c->md == HAL_MD_SHA384 ? SHA384_Final(out, (SHA512_CTX *)c->st)
             : c->md == HAL_MD_SHA512 ? SHA512_Final(out, (SHA512_CTX *)c->st)
                                      : -1;
    OPENSSL_cleanse(c, sizeof *c);
    return ok == 1 ? HAL_CRYPTO_OK : ok < 0 ? HAL_CRYPTO_E_ARGS : HAL_CRYPTO_E_FAIL;
}

int hal_hash(int md, const uint8_t *in, size_t len, uint8_t *out)
{
    hal_md_ctx c;
    int rc = hal_md_start(&c, md);
    if (rc == HAL_CRYPTO_OK && (rc = hal_md_update(&c, in, len)) == HAL_CRYPTO_OK)
        return hal_md_finish(&c, out);
    OPENSSL_cleanse(&c, sizeof c);
    return rc;
}

int hal_crypto_keygen(uint32_t kt, uint8_t *priv, size_t priv_cap, size_t *priv_len, uint8_t *pub, size_t pub_cap,
                      size_t *pub_len)
{
    static const char *const curves[] = { "P-256", "P-384", "P-521" };
    static const size_t rsa_bits[] = { 2048, 3072, 4096 };
    EVP_PKEY *pk = NULL;
    int rc = HAL_CRYPTO_E_FAIL, n, m;
    if (kt >= SG_KEY_EC_P256 && kt <= SG_KEY_EC_P521)
        pk = EVP_PKEY_Q_keygen(NULL, NULL, "EC", curves[kt - SG_KEY_EC_P256]);
    else if (kt >= SG_KEY_RSA_2048 && kt <= SG_KEY_RSA_4096)
        pk = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", rsa_bits[kt - SG_KEY_RSA_2048]);
    else
        return HAL_CRYPTO_E_ARGS;
    if (!pk)
        return HAL_CRYPTO_E_FAIL;
    /* Sizes first: i2d writes past nothing it was not told about. */
    n = i2d_PrivateKey(pk, NULL);
    m = i2d_PUBKEY(pk, NULL);
    if (n > 0 && m > 0 && (size_t)n <= priv_cap && (size_t)m <= pub_cap) {
        unsigned char *p = priv + priv_cap - n, *q = pub + pub_cap - m;
        if (i2d_PrivateKey(pk, &p) == n && i2d_PUBKEY(pk, &q) == m) {
            *priv_len = (size_t)n;
            *pub_len = (size_t)m;
            rc = HAL_CRYPTO_OK;
        }
    }
    EVP_PKEY_free(pk); /* clears the key's numbers */
    return rc;
}

int hal_crypto_key_load(uint32_t kt, const uint8_t *priv, size_t len, hal_key **k)
{
    const unsigned char *p = priv;
    hal_key *h;
    int want = kt >= SG_KEY_RSA_2048 ? EVP_PKEY_RSA : EVP_PKEY_EC;
    if (len > 65536 || !(h = OPENSSL_zalloc(sizeof *h)))
        return HAL_CRYPTO_E_MEM;
    h->scheme = -1;
    if (!(h->pk = d2i_AutoPrivateKey(NULL, &p, (long)len)) || p != priv + len || EVP_PKEY_get_base_id(h->pk) != want ||
        !(h->ctx = EVP_PKEY_CTX_new(h->pk, NULL))) {
        hal_crypto_key_free(h);
        return HAL_CRYPTO_E_FAIL;
    }
    *k = h;
    return HAL_CRYPTO_OK;
}

void hal_crypto_key_free(hal_key *k)
{
    if (!k)
        return;
    EVP_PKEY_CTX_free(k->ctx);
    EVP_PKEY_free(k->pk);
    OPENSSL_clear_free(k, sizeof *k);
}

/* Sets ctx up for a scheme, once per change. */
static int setup(EVP_PKEY_CTX *c, int scheme, int md, int pss_md, size_t salt)
{
    if (EVP_PKEY_sign_init(c) <= 0)
        return -1;
    if (scheme == HAL_SIG_ECDSA)
        return 0;
    if (scheme == HAL_SIG_PKCS1)
        return EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PADDING) > 0 &&
                       (md == HAL_MD_NONE || EVP_PKEY_CTX_set_signature_md(c, ossl_md(md)) > 0)
                   ? 0
                   : -1;
    if (scheme == HAL_SIG_PSS && ossl_md(pss_md) && salt <= 1024)
        return EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PSS_PADDING) > 0 &&
                       EVP_PKEY_CTX_set_signature_md(c, ossl_md(pss_md)) > 0 &&
                       EVP_PKEY_CTX_set_rsa_mgf1_md(c, ossl_md(pss_md)) > 0 &&
                       EVP_PKEY_CTX_set_rsa_pss_saltlen(c, (int)salt) > 0
                   ? 0
                   : -1;
    return -1;
}

int hal_crypto_sign(hal_key *k, int scheme, int md, int pss_md, size_t salt, const uint8_t *h, size_t hlen,
                    uint8_t *sig, size_t cap, size_t *sig_len)
{
    if (!k || (scheme == HAL_SIG_ECDSA) != (EVP_PKEY_get_base_id(k->pk) == EVP_PKEY_EC))
        return HAL_CRYPTO_E_ARGS;
    if (scheme == HAL_SIG_PKCS1 && md != HAL_MD_NONE && hlen != hal_md_size(md))
        return HAL_CRYPTO_E_ARGS;
    if (k->scheme != scheme || k->md != md || k->pss_md != pss_md || k->salt != salt) {
        k->scheme = -1;
        if (setup(k->ctx, scheme, md, pss_md, salt))
            return HAL_CRYPTO_E_FAIL;
        k->scheme = scheme;
        k->md = md;
        k->pss_md = pss_md;
        k->salt = salt;
    }
    size_t n = cap;
    if ((size_t)EVP_PKEY_get_size(k->pk) > cap || EVP_PKEY_sign(k->ctx, sig, &n, h, hlen) <= 0) {
        k->scheme = -1; /* set up again next time */
        return HAL_CRYPTO_E_FAIL;
    }
    *sig_len = n;
    return HAL_CRYPTO_OK;
}

/* Public keys parsed before (VA keys, the SO's policy key): OpenSSL 3's
 * decoder costs more than the verification itself, so a few parsed keys
 * are kept, found by their exact SPKI bytes. Public data only. */
#define VKEYS 8
#define VKEY_SPKI_MAX 1100 /* RSA-8192 SubjectPublicKeyInfo */
static struct {
    uint8_t spki[VKEY_SPKI_MAX];
    size_t len;
    EVP_PKEY *pk;
} vkeys[VKEYS];
static unsigned vkeys_next;

static EVP_PKEY *pubkey(const uint8_t *spki, size_t len)
{
    const unsigned char *p = spki;
    EVP_PKEY *pk;
    for (unsigned i = 0; i < VKEYS; i++)
        if (vkeys[i].pk && vkeys[i].len == len && !memcmp(vkeys[i].spki, spki, len))
            return EVP_PKEY_up_ref(vkeys[i].pk) ? vkeys[i].pk : NULL;
    if (!(pk = d2i_PUBKEY(NULL, &p, (long)len)) || p != spki + len) {
        EVP_PKEY_free(pk);
        return NULL;
    }
    if (len <= VKEY_SPKI_MAX && EVP_PKEY_up_ref(pk)) {
        unsigned i = vkeys_next++ % VKEYS;
        EVP_PKEY_free(vkeys[i].pk);
        memcpy(vkeys[i].spki, spki, len);
        vkeys[i].len = len;
        vkeys[i].pk = pk;
    }
    return pk;
}

int hal_crypto_verify(const uint8_t *spki, size_t spki_len, int scheme, int md, const uint8_t *h, size_t hlen,
                      const uint8_t *sig, size_t sig_len)
{
    const EVP_MD *m = ossl_md(md);
    EVP_PKEY *pk;
    EVP_PKEY_CTX *c = NULL;
    int ok = 0;
    if (!m || hlen != hal_md_size(md) || spki_len > 65536)
        return HAL_CRYPTO_E_ARGS;
    if (!(pk = pubkey(spki, spki_len)))
        return HAL_CRYPTO_E_FAIL;
    if (scheme == HAL_SIG_ECDSA) {
        /* The curves the mbedTLS boards know, so that both boards decide alike. */
        char g[32];
        size_t gl;
        if (EVP_PKEY_get_base_id(pk) != EVP_PKEY_EC || !EVP_PKEY_get_group_name(pk, g, sizeof g, &gl) ||
            (strcmp(g, "prime256v1") && strcmp(g, "secp384r1") && strcmp(g, "secp521r1")))
            goto out;
        ok = (c = EVP_PKEY_CTX_new(pk, NULL)) && EVP_PKEY_verify_init(c) > 0 && EVP_PKEY_CTX_set_signature_md(c, m) > 0 &&
             EVP_PKEY_verify(c, sig, sig_len, h, hlen) == 1;
    } else if (scheme == HAL_SIG_PKCS1 || scheme == HAL_SIG_PSS) {
        if (EVP_PKEY_get_base_id(pk) != EVP_PKEY_RSA || EVP_PKEY_get_bits(pk) < 2048 ||
            sig_len != (size_t)EVP_PKEY_get_size(pk))
            goto out;
        ok = (c = EVP_PKEY_CTX_new(pk, NULL)) && EVP_PKEY_verify_init(c) > 0 && EVP_PKEY_CTX_set_signature_md(c, m) > 0;
        if (ok && scheme == HAL_SIG_PSS)
            ok = EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PSS_PADDING) > 0 && EVP_PKEY_CTX_set_rsa_mgf1_md(c, m) > 0 &&
                 EVP_PKEY_CTX_set_rsa_pss_saltlen(c, (int)hlen) > 0;
        else if (ok)
            ok = EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PADDING) > 0;
        ok = ok && EVP_PKEY_verify(c, sig, sig_len, h, hlen) == 1;
    }
out:
    EVP_PKEY_CTX_free(c);
    EVP_PKEY_free(pk);
    return ok ? HAL_CRYPTO_OK : HAL_CRYPTO_E_FAIL;
}

int hal_crypto_ec_point_check(uint32_t kt, const uint8_t *point, size_t len)
{
    static const int nids[3] = { NID_X9_62_prime256v1, NID_secp384r1, NID_secp521r1 };
    static const size_t sizes[3] = { 32, 48, 66 };
    /* Loaded once and kept (public values only): a check allocates nothing. */
    static EC_GROUP *grp[3];
    static EC_POINT *pt[3];
    static BN_CTX *bn;
    unsigned i = kt - SG_KEY_EC_P256;
    if (kt < SG_KEY_EC_P256 || i > 2 || len != 1 + 2 * sizes[i] || point[0] != 0x04)
        return HAL_CRYPTO_E_ARGS;
    if ((!bn && !(bn = BN_CTX_new())) || (!grp[i] && !(grp[i] = EC_GROUP_new_by_curve_name(nids[i]))) ||
        (!pt[i] && !(pt[i] = EC_POINT_new(grp[i]))))
        return HAL_CRYPTO_E_MEM;
    /* oct2point refuses coordinates of p or more and, through
     * EC_POINT_set_affine_coordinates, points off the curve. */
    return EC_POINT_oct2point(grp[i], pt[i], point, len, bn) == 1 && !EC_POINT_is_at_infinity(grp[i], pt[i])
               ? HAL_CRYPTO_OK
               : HAL_CRYPTO_E_FAIL;
}

int hal_crypto_pub_load(const uint8_t *spki, size_t len, hal_pub **k, int *alg, unsigned *bits)
{
    EVP_PKEY *pk = len <= 65536 ? pubkey(spki, len) : NULL; /* the whole SPKI, as for a verification */
    int id = pk ? EVP_PKEY_get_base_id(pk) : 0;
    hal_pub *h = NULL;
    if ((id != EVP_PKEY_RSA && id != EVP_PKEY_EC) || (k && !(h = calloc(1, sizeof *h)))) {
        EVP_PKEY_free(pk);
        return HAL_CRYPTO_E_FAIL;
    }
    *alg = id == EVP_PKEY_RSA ? HAL_PK_RSA : HAL_PK_EC;
    *bits = (unsigned)EVP_PKEY_get_bits(pk);
    if (k) {
        h->pk = pk;
        *k = h;
    } else {
        EVP_PKEY_free(pk);
    }
    return HAL_CRYPTO_OK;
}

void hal_crypto_pub_free(hal_pub *k)
{
    if (k) {
        EVP_PKEY_free(k->pk);
        free(k);
    }
}

int hal_crypto_rsa_oaep_encrypt(hal_pub *k, const uint8_t *in, size_t in_len, uint8_t *out, size_t cap,
                                size_t *out_len)
{
    EVP_PKEY_CTX *c;
    size_t n = cap;
    int ok;
    if (!k || EVP_PKEY_get_base_id(k->pk) != EVP_PKEY_RSA || (size_t)EVP_PKEY_get_size(k->pk) > cap)
        return HAL_CRYPTO_E_ARGS;
    ok = (c = EVP_PKEY_CTX_new(k->pk, NULL)) && EVP_PKEY_encrypt_init(c) > 0 &&
         EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_OAEP_PADDING) > 0 && EVP_PKEY_CTX_set_rsa_oaep_md(c, EVP_sha256()) > 0 &&
         EVP_PKEY_CTX_set_rsa_mgf1_md(c, EVP_sha256()) > 0 && EVP_PKEY_encrypt(c, out, &n, in, in_len) > 0;
    EVP_PKEY_CTX_free(c);
    if (!ok)
        return HAL_CRYPTO_E_FAIL;
    *out_len = n;
    return HAL_CRYPTO_OK;
}

int hal_crypto_aes_kwp(int wrap, const uint8_t key[32], const uint8_t *in, size_t in_len, uint8_t *out, size_t cap,
                       size_t *out_len)
{
    /* RFC 5649: the wrap is the input padded to 8 bytes plus 8; an unwrap
     * is at most its input less 8. OpenSSL writes no more than that. */
    size_t need = wrap ? ((in_len + 7) / 8) * 8 + 8 : (in_len >= 8 ? in_len - 8 : 0);
    EVP_CIPHER_CTX *c;
    int l1 = 0, l2 = 0, ok;
    if (in_len == 0 || in_len > 0x7fffffff || need > cap || (!wrap && (in_len < 16 || in_len % 8)))
        return HAL_CRYPTO_E_ARGS;
    ok = (c = EVP_CIPHER_CTX_new()) != NULL;
    if (ok) {
        EVP_CIPHER_CTX_set_flags(c, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
        ok = EVP_CipherInit_ex(c, EVP_aes_256_wrap_pad(), NULL, key, NULL, wrap) == 1 &&
             EVP_CipherUpdate(c, out, &l1, in, (int)in_len) == 1 && EVP_CipherFinal_ex(c, out + l1, &l2) == 1;
    }
    EVP_CIPHER_CTX_free(c); /* clears the key schedule */
    if (!ok) {
        OPENSSL_cleanse(out, need);
        return HAL_CRYPTO_E_FAIL;
    }
    *out_len = (size_t)l1 + (size_t)l2;
    return HAL_CRYPTO_OK;
}
