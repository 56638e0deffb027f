/* SPDX-License-Identifier: Apache-2.0 */
/* HMAC_DRBG (SP 800-90A 10.1.2) with SHA-256 on the board's hash. Its
 * output matches mbedTLS's mbedtls_hmac_drbg for the same entropy
 * (test_drbg runs both). */
#include <string.h>
#include "fw.h"
#include "fw_drbg.h"
#include "fw_hmac.h"

/* HMAC_DRBG_Update (10.1.2.2) with provided_data = a || b. */
static int update(fw_drbg *d, const uint8_t *a, size_t al, const uint8_t *b, size_t bl)
{
    fw_hmac_key hk;
    int rc = FW_OK;
    for (uint8_t round = 0; rc == FW_OK && round < 2; round++) {
        /* K = HMAC(K, V || round || provided_data); V = HMAC(K, V) */
        rc = fw_hmac_key_init(&hk, d->k, sizeof d->k);
        if (rc == FW_OK) {
            uint8_t vr[33];
            memcpy(vr, d->v, 32);
            vr[32] = round;
            rc = fw_hmac(&hk, vr, sizeof vr, a, al, b, bl, d->k);
        }
        if (rc == FW_OK && (rc = fw_hmac_key_init(&hk, d->k, sizeof d->k)) == FW_OK)
            rc = fw_hmac(&hk, d->v, sizeof d->v, NULL, 0, NULL, 0, d->v);
        if (!al && !bl)
            break;
    }
    fw_zeroize(&hk, sizeof hk);
    return rc;
}

int fw_drbg_seed(fw_drbg *d, fw_entropy_fn e, const uint8_t *pers, size_t pers_len)
{
    uint8_t seed[FW_DRBG_ENTROPY_LEN * 3 / 2]; /* entropy_input || nonce (8.6.7) */
    memset(d->k, 0x00, sizeof d->k);
    memset(d->v, 0x01, sizeof d->v);
    d->entropy = e;
    d->reseed_interval = FW_DRBG_RESEED_INTERVAL;
    int rc = e(seed, sizeof seed) ? FW_E_CRYPTO : update(d, seed, sizeof seed, pers, pers_len);
    d->reseed_counter = 1;
    fw_zeroize(seed, sizeof seed);
    return rc;
}

int fw_drbg_generate(fw_drbg *d, uint8_t *out, size_t len)
{
    fw_hmac_key hk;
    int rc;
    if (!d->entropy || len > FW_DRBG_MAX_REQUEST)
        return FW_E_CRYPTO;
    if (d->reseed_counter > d->reseed_interval) { /* 10.1.2.4 */
        uint8_t seed[FW_DRBG_ENTROPY_LEN];
        rc = d->entropy(seed, sizeof seed) ? FW_E_CRYPTO : update(d, seed, sizeof seed, NULL, 0);
        fw_zeroize(seed, sizeof seed);
        if (rc)
            return rc;
        d->reseed_counter = 1;
    }
    /* 10.1.2.5: V = HMAC(K, V) for each block of output, then Update() */
    rc = fw_hmac_key_init(&hk, d->k, sizeof d->k);
    while (rc == FW_OK && len) {
        size_t n = len < sizeof d->v ? len : sizeof d->v;
        if ((rc = fw_hmac(&hk, d->v, sizeof d->v, NULL, 0, NULL, 0, d->v)) == FW_OK) {
            memcpy(out, d->v, n);
            out += n;
            len -= n;
        }
    }
    fw_zeroize(&hk, sizeof hk);
    if (rc == FW_OK && (rc = update(d, NULL, 0, NULL, 0)) == FW_OK)
        d->reseed_counter++;
    return rc;
}
