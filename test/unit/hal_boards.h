/* SPDX-License-Identifier: Apache-2.0 */
/* Both boards' crypto engines in one test program: the sim's OpenSSL
 * (linked as the board, under the hal_* names) and mps2-an386's mbedTLS
 * (boards/common/hal_crypto_mbedtls.c, compiled here a second time under
 * mbed_* names), so a test can ask both the same question. */
#ifndef HAL_BOARDS_H
#define HAL_BOARDS_H
#include "sbrguard/hal_crypto.h" /* the sim's engine under its own names */
#include "sbrguard/proto.h"

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
/* The header's guard keeps these names out of its prototypes: those the
 * file calls before it defines them are declared here. */
size_t mbed_md_size(int md);
void mbed_key_free(hal_key *k);
void mbed_pub_free(hal_pub *k);
#include "../../boards/common/hal_crypto_mbedtls.c"
#undef hal_md_size
#undef hal_hash
#undef hal_md_start
#undef hal_md_update
#undef hal_md_finish
#undef hal_crypto_keygen
#undef hal_crypto_key_load
#undef hal_crypto_key_free
#undef hal_crypto_sign
#undef hal_crypto_verify
#undef hal_crypto_ec_point_check
#undef hal_crypto_pub_load
#undef hal_crypto_pub_free
#undef hal_crypto_rsa_oaep_encrypt
#undef hal_crypto_aes_kwp

#endif
