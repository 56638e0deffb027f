/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file hal_crypto.h
 * @brief The board's crypto engine (docs/crypto.md): key generation,
 * signatures, verification and the hashes the firmware needs. The sim board
 * implements it with OpenSSL's libcrypto (the stand-in for a token's crypto
 * coprocessor), mps2-an386 with mbedTLS in software. Keys at rest stay in
 * the store as DER (SEC1 ECPrivateKey or PKCS#1 RSAPrivateKey, SPKI); a
 * loaded key (hal_key) lives in the board's RAM until hal_crypto_key_free.
 */
#ifndef SBRGUARD_HAL_CRYPTO_H
#define SBRGUARD_HAL_CRYPTO_H
#include <stddef.h>
#include <stdint.h>

/** Hashes. HAL_MD_NONE: the data is already a digest (or a DigestInfo). */
enum { HAL_MD_NONE = 0, HAL_MD_SHA256 = 1, HAL_MD_SHA384 = 2, HAL_MD_SHA512 = 3 };
/** Signature schemes. */
enum { HAL_SIG_ECDSA = 0, HAL_SIG_PKCS1 = 1, HAL_SIG_PSS = 2 };
/** Errors: 0 = ok. */
enum { HAL_CRYPTO_OK = 0, HAL_CRYPTO_E_ARGS = -1, HAL_CRYPTO_E_FAIL = -2, HAL_CRYPTO_E_MEM = -3 };

/** A private key loaded into the engine (board-owned, opaque). */
typedef struct hal_key hal_key;
/** A public key loaded into the engine (board-owned, opaque). */
typedef struct hal_pub hal_pub;
/** Public-key algorithms (hal_crypto_pub_load). */
enum { HAL_PK_RSA = 1, HAL_PK_EC = 2 };

/** Digest length of md (0 for HAL_MD_NONE or an unknown md). */
size_t hal_md_size(int md);
/** out = md(in); out has room for hal_md_size(md) bytes. */
int hal_hash(int md, const uint8_t *in, size_t len, uint8_t *out);

/**
 * A running hash over data given in pieces, in caller-owned memory (no
 * allocation: a context may be dropped without a finish). The board keeps
 * its own state in st (sized for SHA-512 in OpenSSL and mbedTLS alike).
 */
typedef struct {
    int md;
    uint64_t st[28];
} hal_md_ctx;
/** Starts c for md (HAL_MD_SHA256/384/512). */
int hal_md_start(hal_md_ctx *c, int md);
/** Hashes len more bytes (len 0: nothing, in may be NULL). */
int hal_md_update(hal_md_ctx *c, const uint8_t *in, size_t len);
/** out = the digest (hal_md_size(c->md) bytes); wipes c. */
int hal_md_finish(hal_md_ctx *c, uint8_t *out);

/**
 * A new key pair of SG_KEY_* type kt: the private key DER in the last
 * *priv_len bytes of priv[0..priv_cap), the SubjectPublicKeyInfo DER in the
 * last *pub_len bytes of pub[0..pub_cap) (DER written backwards, as mbedTLS
 * does, leaves room for a wrapper in front). The caller wipes priv.
 */
int hal_crypto_keygen(uint32_t kt, uint8_t *priv, size_t priv_cap, size_t *priv_len, uint8_t *pub, size_t pub_cap,
                      size_t *pub_len);
/** Parses a stored private key of type kt into *k (once: a signature then uses it as is). */
int hal_crypto_key_load(uint32_t kt, const uint8_t *priv, size_t len, hal_key **k);
/** Zeroizes and frees a loaded key; NULL is a no-op. */
void hal_crypto_key_free(hal_key *k);
/**
 * Signs the digest h (HAL_MD_NONE with PKCS#1: an encoded DigestInfo) with k.
 * md names h's hash (PKCS#1 DigestInfo), pss_md and salt PSS's hash (message
 * and MGF1) and salt length. ECDSA: a DER ECDSA-Sig-Value; RSA: the modulus-size
 * signature.
 */
int hal_crypto_sign(hal_key *k, int scheme, int md, int pss_md, size_t salt, const uint8_t *h, size_t hlen,
                    uint8_t *sig, size_t cap, size_t *sig_len);
/**
 * Verifies sig over the md digest h under the SubjectPublicKeyInfo spki:
 * ECDSA on P-256/384/521 (DER signature), RSA of at least 2048 bits, PKCS#1
 * v1.5 or PSS with MGF1(md) and a salt of the hash's length. 0 if valid.
 */
int hal_crypto_verify(const uint8_t *spki, size_t spki_len, int scheme, int md, const uint8_t *h, size_t hlen,
                      const uint8_t *sig, size_t sig_len);
/**
 * Public-key validation of an uncompressed point 04 || X || Y on the NIST
 * curve of SG_KEY_EC_* type kt (SP 800-56A 5.6.2.3.3, with cofactor 1):
 * coordinates below p, on the curve, not the point at infinity. 0 if valid.
 */
int hal_crypto_ec_point_check(uint32_t kt, const uint8_t *point, size_t len);

/**
 * Parses a SubjectPublicKeyInfo (all of spki: no trailing bytes) into *k
 * and says what it is: *alg HAL_PK_RSA or HAL_PK_EC, *bits the modulus or
 * the curve size. k NULL: only the type and size. 0 if it parses.
 */
int hal_crypto_pub_load(const uint8_t *spki, size_t len, hal_pub **k, int *alg, unsigned *bits);
/** Frees a loaded public key; NULL is a no-op. */
void hal_crypto_pub_free(hal_pub *k);
/**
 * RSAES-OAEP (RFC 8017 7.1) with SHA-256, MGF1-SHA-256 and an empty label of
 * in to the RSA key k: *out_len (the modulus size) bytes into out.
 */
int hal_crypto_rsa_oaep_encrypt(hal_pub *k, const uint8_t *in, size_t in_len, uint8_t *out, size_t cap,
                                size_t *out_len);
/**
 * AES-256 key wrap with padding (RFC 5649, NIST SP 800-38F KWP) of in under
 * key (wrap 1), or its unwrap with the integrity check (wrap 0).
 */
int hal_crypto_aes_kwp(int wrap, const uint8_t key[32], const uint8_t *in, size_t in_len, uint8_t *out, size_t cap,
                       size_t *out_len);

#endif
