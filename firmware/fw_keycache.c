/* SPDX-License-Identifier: Apache-2.0 */
/* Loaded keys kept in the board's crypto engine between signatures, so that
 * a signature neither parses the stored DER nor derives anything again. An
 * entry is found by handle, key type and the SHA-256 of the stored public
 * key; it is dropped when its slot changes (every store commit reindexes
 * the slot), and all are freed (zeroized by the engine) on logout of any
 * channel, at re-initialization and at boot. What a key may sign is decided
 * afresh each time (fw_keys.c); the cache only holds the arithmetic's state.
 * FW_KEY_CACHE entries per board; 0 loads and frees a key per signature. */
#include <string.h>
#include "fw.h"
#include "sbrguard/hal_crypto.h"

#if FW_KEY_CACHE > 0
static struct {
    hal_key *k;
    uint16_t handle;
    uint8_t key_type;
    uint8_t fp[32];
    uint32_t used; /* last use, for eviction */
} ent[FW_KEY_CACHE];
static uint32_t tick, hits, loads;

static void drop(unsigned i)
{
    hal_crypto_key_free(ent[i].k);
    fw_zeroize(&ent[i], sizeof ent[i]);
}

int fw_keycache_get(unsigned handle, uint32_t kt, const uint8_t *pub, size_t pub_len, const uint8_t *priv,
                    size_t priv_len, hal_key **k)
{
    uint8_t fp[32];
    unsigned i, victim;
    if (hal_hash(HAL_MD_SHA256, pub, pub_len, fp))
        return FW_E_CRYPTO;
    for (i = 0; i < FW_KEY_CACHE; i++)
        if (ent[i].k && ent[i].handle == handle && ent[i].key_type == kt && !memcmp(ent[i].fp, fp, 32)) {
            ent[i].used = ++tick;
            hits++;
            *k = ent[i].k;
            return FW_OK;
        }
    /* A stale entry of this handle (another key since) goes first, then an
     * empty entry is taken, else the least recently used one. */
    fw_keycache_drop(handle);
    for (victim = 0, i = 0; i < FW_KEY_CACHE; i++) {
        if (!ent[i].k) {
            victim = i;
            break;
        }
        if (ent[i].used < ent[victim].used)
            victim = i;
    }
    if (ent[victim].k)
        drop(victim);
    if (hal_crypto_key_load(kt, priv, priv_len, &ent[victim].k)) {
        ent[victim].k = NULL;
        return FW_E_CRYPTO;
    }
    loads++;
    ent[victim].handle = (uint16_t)handle;
    ent[victim].key_type = (uint8_t)kt;
    memcpy(ent[victim].fp, fp, 32);
    ent[victim].used = ++tick;
    *k = ent[victim].k;
    return FW_OK;
}

void fw_keycache_drop(unsigned handle)
{
    for (unsigned i = 0; i < FW_KEY_CACHE; i++)
        if (ent[i].k && ent[i].handle == handle)
            drop(i);
}

void fw_keycache_clear(void)
{
    for (unsigned i = 0; i < FW_KEY_CACHE; i++)
        if (ent[i].k)
            drop(i);
}

unsigned fw_keycache_stats(uint32_t *hit, uint32_t *load)
{
    unsigned n = 0;
    for (unsigned i = 0; i < FW_KEY_CACHE; i++)
        n += ent[i].k != NULL;
    *hit = hits;
    *load = loads;
    return n;
}
#endif
