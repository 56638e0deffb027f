/* SPDX-License-Identifier: Apache-2.0 */
/* HMAC-SHA256 (RFC 2104) over the board's hash (hal_md), for the PIN's
 * PBKDF2 and the DRBG. */
#ifndef FW_HMAC_H
#define FW_HMAC_H
#include <stddef.h>
#include <stdint.h>
#include "sbrguard/hal_crypto.h"

#define FW_HMAC_LEN 32

/* A key's inner and outer states, after its ipad and opad blocks: computed
 * once, copied for every message under that key. The caller wipes it. */
typedef struct {
    hal_md_ctx in, out;
} fw_hmac_key;

/* FW_OK or FW_E_CRYPTO. */
int fw_hmac_key_init(fw_hmac_key *k, const uint8_t *key, size_t len);
/* mac = HMAC(k, a || b || c); any part may be empty (NULL, 0). mac may
 * overlap a part: the parts are read before mac is written. */
int fw_hmac(const fw_hmac_key *k, const uint8_t *a, size_t al, const uint8_t *b, size_t bl, const uint8_t *c,
            size_t cl, uint8_t mac[FW_HMAC_LEN]);

#endif
