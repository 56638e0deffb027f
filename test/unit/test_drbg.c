/* SPDX-License-Identifier: Apache-2.0 */
/* The token's HMAC_DRBG (firmware/fw_drbg.c, SP 800-90A 10.1.2 over the
 * board's hash) against mbedTLS's mbedtls_hmac_drbg, an independent
 * implementation of the same construction, fed the same entropy stream:
 * the same bytes at instantiation, through requests of every size up to
 * the maximum, across automatic reseeds, with and without a
 * personalization string; and refusals (entropy failing, oversized). */
#include <string.h>
#include "check.h"
#include "fw.h"
#include "fw_drbg.h"
#include "mbedtls/hmac_drbg.h"

/* A deterministic entropy stream, one per implementation. */
static uint8_t stream_byte(uint32_t *pos)
{
    uint32_t x = (*pos)++ * 2654435761u;
    return (uint8_t)(x >> 24 ^ x >> 7);
}
static uint32_t pos_fw, pos_mbed;
static int fail_fw;
static int entropy_fw(uint8_t *out, size_t len)
{
    if (fail_fw)
        return -1;
    for (size_t i = 0; i < len; i++)
        out[i] = stream_byte(&pos_fw);
    return 0;
}
static int entropy_mbed(void *ctx, unsigned char *out, size_t len)
{
    (void)ctx;
    for (size_t i = 0; i < len; i++)
        out[i] = stream_byte(&pos_mbed);
    return 0;
}

static int run(const char *pers, uint32_t interval, const size_t *sizes, size_t n_sizes, unsigned rounds)
{
    fw_drbg d;
    mbedtls_hmac_drbg_context m;
    uint8_t a[FW_DRBG_MAX_REQUEST], b[FW_DRBG_MAX_REQUEST];
    size_t pl = pers ? strlen(pers) : 0;
    int same = 1;
    pos_fw = pos_mbed = 0;
    mbedtls_hmac_drbg_init(&m);
    if (fw_drbg_seed(&d, entropy_fw, (const uint8_t *)pers, pl) ||
        mbedtls_hmac_drbg_seed(&m, mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), entropy_mbed, NULL,
                               (const unsigned char *)pers, pl))
        same = 0;
    d.reseed_interval = interval;
    mbedtls_hmac_drbg_set_reseed_interval(&m, (int)interval);
    for (unsigned r = 0; same && r < rounds; r++)
        for (size_t i = 0; same && i < n_sizes; i++)
            same = !fw_drbg_generate(&d, a, sizes[i]) && !mbedtls_hmac_drbg_random(&m, b, sizes[i]) &&
                   !memcmp(a, b, sizes[i]);
    same = same && pos_fw == pos_mbed; /* as much entropy drawn, as often */
    mbedtls_hmac_drbg_free(&m);
    return same;
}

int main(void)
{
    static const size_t sizes[] = { 1, 31, 32, 33, 64, 100, 1000, FW_DRBG_MAX_REQUEST };
    const size_t ns = sizeof sizes / sizeof *sizes;
    CHECK(run(NULL, FW_DRBG_RESEED_INTERVAL, sizes, ns, 4), "no personalization: the same bytes as mbedTLS's HMAC-DRBG");
    CHECK(run("sbrguard serial 0001", FW_DRBG_RESEED_INTERVAL, sizes, ns, 4),
          "with a personalization string: the same bytes");
    CHECK(run("p", 3, sizes, ns, 5), "reseeded every 3 requests: the same bytes and the same entropy drawn");
    CHECK(run(NULL, 1, sizes, 2, 10), "reseeded before every request: the same bytes");

    fw_drbg d;
    uint8_t out[FW_DRBG_MAX_REQUEST + 1], again[32];
    pos_fw = 0;
    CHECK(!fw_drbg_seed(&d, entropy_fw, NULL, 0) && fw_drbg_generate(&d, out, sizeof out) == FW_E_CRYPTO,
          "a request over FW_DRBG_MAX_REQUEST: refused");
    CHECK(!fw_drbg_generate(&d, out, 32) && !fw_drbg_generate(&d, again, 32) && memcmp(out, again, 32),
          "two requests: two different outputs");
    d.reseed_interval = 1;
    fail_fw = 1;
    (void)fw_drbg_generate(&d, out, 1);
    CHECK(fw_drbg_generate(&d, out, 1) == FW_E_CRYPTO, "a reseed whose entropy fails: no output");
    CHECK(fw_drbg_seed(&d, entropy_fw, NULL, 0) == FW_E_CRYPTO, "an instantiation whose entropy fails: refused");
    fail_fw = 0;
    return CHECK_DONE();
}
