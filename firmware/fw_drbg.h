/* SPDX-License-Identifier: Apache-2.0 */
/* HMAC_DRBG with SHA-256 (NIST SP 800-90A rev. 1, 10.1.2) over fw_hmac:
 * no prediction resistance, reseeded from its entropy source every
 * FW_DRBG_RESEED_INTERVAL requests, as mbedTLS's HMAC-DRBG it replaces. */
#ifndef FW_DRBG_H
#define FW_DRBG_H
#include <stddef.h>
#include <stdint.h>

#define FW_DRBG_RESEED_INTERVAL 10000u
#define FW_DRBG_MAX_REQUEST 1024u /* bytes per generate call */
#define FW_DRBG_ENTROPY_LEN 32u   /* per reseed; 48 (with the nonce) at instantiation */

/* The entropy source: fills out, 0 on success. */
typedef int (*fw_entropy_fn)(uint8_t *out, size_t len);

typedef struct {
    uint8_t k[32], v[32];
    uint32_t reseed_counter, reseed_interval;
    fw_entropy_fn entropy;
} fw_drbg;

/* Instantiate: entropy and nonce from e, then pers. FW_OK or FW_E_CRYPTO. */
int fw_drbg_seed(fw_drbg *d, fw_entropy_fn e, const uint8_t *pers, size_t pers_len);
/* len (<= FW_DRBG_MAX_REQUEST) bytes into out. FW_OK or FW_E_CRYPTO. */
int fw_drbg_generate(fw_drbg *d, uint8_t *out, size_t len);

#endif
