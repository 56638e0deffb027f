/* SPDX-License-Identifier: Apache-2.0 */
/* PBKDF2 with HMAC-SHA-256 (RFC 8018 5.2) over the board's hash (hal_md). */
#ifndef FW_PBKDF2_H
#define FW_PBKDF2_H
#include <stddef.h>
#include <stdint.h>

/* out[0..out_len) = PBKDF2-HMAC-SHA256(pw, salt, iter); FW_OK or FW_E_CRYPTO. */
int fw_pbkdf2_sha256(const uint8_t *pw, size_t pw_len, const uint8_t *salt, size_t salt_len, uint32_t iter,
                     uint8_t *out, size_t out_len);

#endif
