/* SPDX-License-Identifier: Apache-2.0 */
/* Key files for the CLI's software signers (keyfile.c). */
#ifndef CLI_KEYFILE_H
#define CLI_KEYFILE_H
#include "mbedtls/hmac_drbg.h"
#include "mbedtls/pk.h"

/** The process's random generator for mbedTLS (seeded once; NULL if it cannot be). */
mbedtls_hmac_drbg_context *cli_drbg(void);
int cli_rng(void *ctx, unsigned char *out, size_t len);
/** A private key (PEM or DER: PKCS#8, SEC1, PKCS#1), or with pub_ok a
 * public key; a message and nonzero if it is neither. */
int cli_key_load(const char *path, mbedtls_pk_context *pk, int pub_ok);
/** The SubjectPublicKeyInfo DER of a key. */
int cli_pk_spki(mbedtls_pk_context *pk, uint8_t *out, size_t cap, size_t *len);
#endif
