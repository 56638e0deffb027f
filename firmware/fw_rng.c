/* SPDX-License-Identifier: Apache-2.0 */
/* The DRBG (HMAC-DRBG SHA-256 seeded through the HAL) and mbedTLS's one
 * static arena: the firmware has no other heap. */
#include <string.h>
#include "fw.h"
#include "mbedtls/hmac_drbg.h"
#include "mbedtls/memory_buffer_alloc.h"
#include "mbedtls/platform_util.h"
#include "sbrguard/hal.h"

#ifndef FW_ARENA_SIZE
#define FW_ARENA_SIZE (24u * 1024u)
#endif

static unsigned char arena[FW_ARENA_SIZE] __attribute__((aligned(8)));
static mbedtls_hmac_drbg_context drbg;
static int drbg_ready;

/* Until the arena is set up, mbedTLS allocations fail instead of reaching a
 * libc heap (SG_FREESTANDING builds route calloc/free here). */
void *fw_no_calloc(size_t n, size_t size);
void fw_no_free(void *p);
void *fw_no_calloc(size_t n, size_t size)
{
    (void)n;
    (void)size;
    return NULL;
}
void fw_no_free(void *p) { (void)p; }

size_t fw_rng_arena_size(void) { return sizeof arena; }

void fw_zeroize(void *p, size_t n) { mbedtls_platform_zeroize(p, n); }

static int entropy(void *ctx, unsigned char *out, size_t len)
{
    (void)ctx;
    return hal_rng_fill(out, len) ? MBEDTLS_ERR_HMAC_DRBG_ENTROPY_SOURCE_FAILED : 0;
}

int fw_rng_init(const uint8_t *pers, size_t pers_len)
{
    static int arena_ready;
    if (!arena_ready) {
        mbedtls_memory_buffer_alloc_init(arena, sizeof arena);
        arena_ready = 1;
    }
    if (drbg_ready)
        mbedtls_hmac_drbg_free(&drbg);
    mbedtls_hmac_drbg_init(&drbg);
    drbg_ready = 0;
    if (mbedtls_hmac_drbg_seed(&drbg, mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), entropy, NULL,
                               pers, pers_len))
        return FW_E_CRYPTO;
    mbedtls_hmac_drbg_set_prediction_resistance(&drbg, MBEDTLS_HMAC_DRBG_PR_OFF);
    drbg_ready = 1;
    return FW_OK;
}

int fw_rng(void *ctx, unsigned char *out, size_t len)
{
    (void)ctx;
    if (!drbg_ready)
        return MBEDTLS_ERR_HMAC_DRBG_ENTROPY_SOURCE_FAILED;
    while (len) {
        size_t n = len > MBEDTLS_HMAC_DRBG_MAX_REQUEST ? MBEDTLS_HMAC_DRBG_MAX_REQUEST : len;
        int rc = mbedtls_hmac_drbg_random(&drbg, out, n);
        if (rc)
            return rc;
        out += n;
        len -= n;
    }
    return 0;
}
