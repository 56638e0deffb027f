/* SPDX-License-Identifier: Apache-2.0 */
/* The last FW_EV_ROOTS batch roots whose VA signature verified, so that
 * the other requests of a batch cost only hashing (docs/evidence.md
 * "Batched evidence"). An entry is the SHA-256 of the exact SignedBatchRoot
 * DER: a hit means these bytes verified before under the key they name;
 * whether that key is still trusted, the proof and the times are judged on
 * every request. RAM only: cleared at reset and at INIT_TOKEN. */
#include <string.h>
#include "fw.h"

typedef char ev_roots_fit[FW_EV_ROOTS >= 1 && FW_EV_ROOTS <= 255 ? 1 : -1];

static struct {
    uint8_t id[FW_EV_ROOTS][32];
    uint8_t n, next;
    uint32_t hits, added;
} cache;

int fw_evcache_seen(void *ctx, const uint8_t id[32])
{
    (void)ctx;
    for (unsigned i = 0; i < cache.n; i++)
        if (!memcmp(cache.id[i], id, 32)) {
            cache.hits++;
            return 1;
        }
    return 0;
}

void fw_evcache_add(const uint8_t id[32])
{
    for (unsigned i = 0; i < cache.n; i++)
        if (!memcmp(cache.id[i], id, 32))
            return;
    memcpy(cache.id[cache.next], id, 32);
    cache.next = (uint8_t)((cache.next + 1u) % FW_EV_ROOTS);
    if (cache.n < FW_EV_ROOTS)
        cache.n++;
    cache.added++;
}

void fw_evcache_clear(void) { fw_zeroize(&cache, sizeof cache); }

void fw_evcache_stats(uint32_t *hits, uint32_t *added)
{
    *hits = cache.hits;
    *added = cache.added;
}
