/* SPDX-License-Identifier: Apache-2.0 */
/* The token's DRBG (fw_drbg.c: HMAC_DRBG SHA-256 on the board's hash,
 * seeded from the board's entropy) and mbedTLS's one static arena: the
 * firmware has no other heap. fw_rng is also mbedTLS's f_rng on boards
 * where mbedTLS signs. */
#include <string.h>
#include "fw.h"
#include "fw_drbg.h"
#include "mbedtls/memory_buffer_alloc.h"
#include "sbrguard/hal.h"

#ifndef FW_ARENA_SIZE
#define FW_ARENA_SIZE (24u * 1024u)
#endif

static unsigned char arena[FW_ARENA_SIZE] __attribute__((aligned(8)));
static fw_drbg drbg;
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

static int entropy(uint8_t *out, size_t len) { return hal_rng_fill(out, len); }

int fw_rng_init(const uint8_t *pers, size_t pers_len)
{
    static int arena_ready;
    if (!arena_ready) {
        mbedtls_memory_buffer_alloc_init(arena, sizeof arena);
        arena_ready = 1;
    }
    fw_zeroize(&drbg, sizeof drbg);
    drbg_ready = fw_drbg_seed(&drbg, entropy, pers, pers_len) == FW_OK;
    return drbg_ready ? FW_OK : FW_E_CRYPTO;
}

/* Not an FW_E_* code: mbedTLS reads a non-zero f_rng result as failure. */
#define RNG_FAILED (-1)

int fw_rng(void *ctx, unsigned char *out, size_t len)
{
    (void)ctx;
    if (!drbg_ready)
        return RNG_FAILED;
    while (len) {
        size_t n = len > FW_DRBG_MAX_REQUEST ? FW_DRBG_MAX_REQUEST : len;
        if (fw_drbg_generate(&drbg, out, n))
            return RNG_FAILED;
        out += n;
        len -= n;
    }
    return 0;
}
