/* SPDX-License-Identifier: Apache-2.0 */
/* Both boards' crypto engines in one test program: the sim's OpenSSL
 * (linked as the board, under the hal_* names) and mps2-an386's mbedTLS
 * (boards/common/hal_crypto_mbedtls.c, compiled here a second time under
 * mbed_* names), so a test can ask both the same question. */
#ifndef HAL_BOARDS_H
#define HAL_BOARDS_H
#define hal_md_size mbed_md_size
#define hal_hash mbed_hash
#define hal_md_start mbed_md_start
#define hal_md_update mbed_md_update
#define hal_md_finish mbed_md_finish
#define hal_crypto_keygen mbed_keygen
#define hal_crypto_key_load mbed_key_load
#define hal_crypto_key_free mbed_key_free
#define hal_crypto_sign mbed_sign
#define hal_crypto_verify mbed_verify
#define hal_crypto_ec_point_check mbed_ec_point_check
#define hal_crypto_pub_load mbed_pub_load
#define hal_crypto_pub_free mbed_pub_free
#define hal_crypto_rsa_oaep_encrypt mbed_oaep
#define hal_crypto_aes_kwp mbed_kwp
#include "../../boards/common/hal_crypto_mbedtls.c"
#undef hal_crypto_keygen
#undef hal_crypto_ec_point_check
#undef hal_crypto_pub_load
#undef hal_crypto_pub_free
#undef hal_crypto_rsa_oaep_encrypt
#undef hal_crypto_aes_kwp
#include "sbrguard/proto.h"
int hal_crypto_keygen(uint32_t kt, uint8_t *priv, size_t priv_cap, size_t *priv_len, uint8_t *pub, size_t pub_cap,
                      size_t *pub_len);
int hal_crypto_ec_point_check(uint32_t kt, const uint8_t *point, size_t len);
int hal_crypto_pub_load(const uint8_t *spki, size_t len, hal_pub **k, int *alg, unsigned *bits);
void hal_crypto_pub_free(hal_pub *k);
int hal_crypto_rsa_oaep_encrypt(hal_pub *k, const uint8_t *in, size_t in_len, uint8_t *out, size_t cap,
                                size_t *out_len);
int hal_crypto_aes_kwp(int wrap, const uint8_t key[32], const uint8_t *in, size_t in_len, uint8_t *out, size_t cap,
                       size_t *out_len);


#endif
