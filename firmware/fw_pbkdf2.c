/* SPDX-License-Identifier: Apache-2.0 */
/* PBKDF2-HMAC-SHA256 (RFC 8018 5.2) on fw_hmac, so that the PIN hash runs
 * on the board's engine like every other hash. The password's keyed states
 * are computed once for all iter HMACs; everything is wiped before return. */
#include <string.h>
#include "fw.h"
#include "fw_hmac.h"
#include "fw_pbkdf2.h"

int fw_pbkdf2_sha256(const uint8_t *pw, size_t pw_len, const uint8_t *salt, size_t salt_len, uint32_t iter,
                     uint8_t *out, size_t out_len)
{
    fw_hmac_key k;
    uint8_t u[FW_HMAC_LEN], t[FW_HMAC_LEN], idx[4];
    int rc = iter ? fw_hmac_key_init(&k, pw, pw_len) : FW_E_CRYPTO;
    for (uint32_t block = 1; rc == FW_OK && out_len; block++) {
        idx[0] = (uint8_t)(block >> 24);
        idx[1] = (uint8_t)(block >> 16);
        idx[2] = (uint8_t)(block >> 8);
        idx[3] = (uint8_t)block;
        /* T_i = U_1 ^ ... ^ U_c, U_1 = PRF(P, S || INT(i)), U_j = PRF(P, U_j-1) */
        rc = fw_hmac(&k, salt, salt_len, idx, sizeof idx, NULL, 0, u);
        memcpy(t, u, FW_HMAC_LEN);
        for (uint32_t j = 1; rc == FW_OK && j < iter; j++) {
            rc = fw_hmac(&k, u, FW_HMAC_LEN, NULL, 0, NULL, 0, u);
            for (size_t b = 0; b < FW_HMAC_LEN; b++)
                t[b] ^= u[b];
        }
        size_t n = out_len < FW_HMAC_LEN ? out_len : FW_HMAC_LEN;
        memcpy(out, t, n);
        out += n;
        out_len -= n;
    }
    fw_zeroize(&k, sizeof k);
    fw_zeroize(u, sizeof u);
    fw_zeroize(t, sizeof t);
    return rc;
}
