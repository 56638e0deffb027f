/* SPDX-License-Identifier: Apache-2.0 */
/* The escrow's crypto on both boards' engines (hal_boards.h): AES-256 KWP
 * (RFC 5649) must give the same bytes on OpenSSL and mbedTLS, each must
 * unwrap the other's and refuse a changed or foreign wrap; RSA-OAEP-SHA256
 * from either must decrypt with the private key (OpenSSL, outside the
 * HAL); a SubjectPublicKeyInfo is read alike (type, size, trailing bytes). */
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <stdio.h>
#include <string.h>
#include "check.h"
#include "hal_boards.h"

static void kwp(void)
{
    static const size_t lens[] = { 1, 7, 8, 9, 32, 100, 1217 };
    uint8_t key[32], other[32], in[1217], a[1240], b[1240], back[1240];
    for (size_t i = 0; i < sizeof key; i++) {
        key[i] = (uint8_t)(i * 13 + 5);
        other[i] = (uint8_t)(key[i] ^ 0x80);
    }
    for (size_t i = 0; i < sizeof in; i++)
        in[i] = (uint8_t)(i * 7 + 3);
    for (size_t k = 0; k < sizeof lens / sizeof *lens; k++) {
        size_t n = lens[k], al = 0, bl = 0, rl = 0, pad = (n + 7) / 8 * 8 + 8;
        int ra = hal_crypto_aes_kwp(1, key, in, n, a, sizeof a, &al), rb = mbed_kwp(1, key, in, n, b, sizeof b, &bl);
        CHECK(!ra && !rb && al == pad && bl == pad && !memcmp(a, b, al), "KWP of %zu bytes: the same %zu bytes on both", n,
              pad);
        CHECK(!hal_crypto_aes_kwp(0, key, b, bl, back, sizeof back, &rl) && rl == n && !memcmp(back, in, n),
              "KWP of %zu bytes: OpenSSL unwraps mbedTLS's", n);
        CHECK(!mbed_kwp(0, key, a, al, back, sizeof back, &rl) && rl == n && !memcmp(back, in, n),
              "KWP of %zu bytes: mbedTLS unwraps OpenSSL's", n);
        a[al / 2] ^= 1;
        CHECK(hal_crypto_aes_kwp(0, key, a, al, back, sizeof back, &rl) && mbed_kwp(0, key, a, al, back, sizeof back, &rl),
              "KWP of %zu bytes, one bit changed: both refuse", n);
        CHECK(hal_crypto_aes_kwp(0, other, b, bl, back, sizeof back, &rl) && mbed_kwp(0, other, b, bl, back, sizeof back, &rl),
              "KWP of %zu bytes under another key: both refuse", n);
        CHECK(hal_crypto_aes_kwp(1, key, in, n, a, pad - 1, &al) && mbed_kwp(1, key, in, n, b, pad - 1, &bl),
              "KWP of %zu bytes into one byte too few: both refuse", n);
    }
    size_t l;
    CHECK(hal_crypto_aes_kwp(0, key, a, 12, back, sizeof back, &l) && mbed_kwp(0, key, a, 12, back, sizeof back, &l),
          "an unwrap of 12 bytes (not a multiple of 8): both refuse");
}

/* The private key DER a keygen left at the end of priv, as an EVP_PKEY. */
static EVP_PKEY *private_key(const uint8_t *der, size_t len)
{
    const unsigned char *p = der;
    return d2i_AutoPrivateKey(NULL, &p, (long)len);
}

static int oaep_opens(EVP_PKEY *priv, const uint8_t *ct, size_t ctl, const uint8_t *want, size_t wl)
{
    uint8_t pt[512];
    size_t n = sizeof pt;
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(priv, NULL);
    int ok = c && EVP_PKEY_decrypt_init(c) > 0 && EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_OAEP_PADDING) > 0 &&
             EVP_PKEY_CTX_set_rsa_oaep_md(c, EVP_sha256()) > 0 && EVP_PKEY_CTX_set_rsa_mgf1_md(c, EVP_sha256()) > 0 &&
             EVP_PKEY_decrypt(c, pt, &n, ct, ctl) > 0 && n == wl && !memcmp(pt, want, wl);
    EVP_PKEY_CTX_free(c);
    return ok;
}

static void keys(void)
{
    static const struct {
        uint32_t kt;
        int alg;
        unsigned bits;
    } kinds[] = { { SG_KEY_EC_P256, HAL_PK_EC, 256 }, { SG_KEY_EC_P384, HAL_PK_EC, 384 },
                  { SG_KEY_EC_P521, HAL_PK_EC, 521 }, { SG_KEY_RSA_2048, HAL_PK_RSA, 2048 } };
    static uint8_t priv[4096], pub[1024], spki[1025];
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        size_t pl, ul;
        int a1 = 0, a2 = 0;
        unsigned b1 = 0, b2 = 0;
        hal_pub *k1 = NULL, *k2 = NULL;
        if (hal_crypto_keygen(kinds[i].kt, priv, sizeof priv, &pl, pub, sizeof pub, &ul)) {
            CHECK(0, "key generation of type %u", kinds[i].kt);
            continue;
        }
        memcpy(spki, pub + sizeof pub - ul, ul);
        CHECK(!hal_crypto_pub_load(spki, ul, &k1, &a1, &b1) && !mbed_pub_load(spki, ul, &k2, &a2, &b2) &&
                  a1 == kinds[i].alg && a2 == a1 && b1 == kinds[i].bits && b2 == b1,
              "%s-%u SPKI: the same type and size on both", kinds[i].alg == HAL_PK_RSA ? "RSA" : "EC", kinds[i].bits);
        spki[ul] = 0;
        CHECK(hal_crypto_pub_load(spki, ul + 1, NULL, &a1, &b1) && mbed_pub_load(spki, ul + 1, NULL, &a2, &b2),
              "type %u SPKI with a trailing byte: both refuse", kinds[i].kt);
        CHECK(hal_crypto_pub_load(spki, ul - 1, NULL, &a1, &b1) && mbed_pub_load(spki, ul - 1, NULL, &a2, &b2),
              "type %u SPKI one byte short: both refuse", kinds[i].kt);
        if (kinds[i].alg == HAL_PK_RSA) {
            static const uint8_t secret[32] = "a fresh AES-256 key, 32 bytes..";
            uint8_t c1[512], c2[512];
            size_t l1 = 0, l2 = 0;
            EVP_PKEY *sk = private_key(priv + sizeof priv - pl, pl);
            CHECK(!hal_crypto_rsa_oaep_encrypt(k1, secret, sizeof secret, c1, sizeof c1, &l1) && l1 == 256 &&
                      oaep_opens(sk, c1, l1, secret, sizeof secret),
                  "RSA-OAEP-SHA256 of OpenSSL's engine opens with the private key");
            CHECK(!mbed_oaep(k2, secret, sizeof secret, c2, sizeof c2, &l2) && l2 == 256 &&
                      oaep_opens(sk, c2, l2, secret, sizeof secret),
                  "RSA-OAEP-SHA256 of mbedTLS's engine opens with the private key");
            CHECK(hal_crypto_rsa_oaep_encrypt(k1, secret, sizeof secret, c1, 255, &l1) &&
                      mbed_oaep(k2, secret, sizeof secret, c2, 255, &l2),
                  "RSA-OAEP into 255 bytes: both refuse");
            EVP_PKEY_free(sk);
        } else {
            uint8_t c[512];
            size_t l;
            CHECK(hal_crypto_rsa_oaep_encrypt(k1, priv, 32, c, sizeof c, &l) && mbed_oaep(k2, priv, 32, c, sizeof c, &l),
                  "RSA-OAEP to an EC key: both refuse");
        }
        hal_crypto_pub_free(k1);
        mbed_pub_free(k2);
    }
}

int main(void)
{
    if (fw_rng_init((const uint8_t *)"test_hal_wrap", 13)) /* mbedTLS's engine draws from the firmware's DRBG */
        CHECK(0, "the firmware DRBG starts");
    kwp();
    keys();
    return CHECK_DONE();
}
