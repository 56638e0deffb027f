/* SPDX-License-Identifier: Apache-2.0 */
/* HMAC-SHA256 (RFC 2104) on hal_md; every block and state is wiped. */
#include <string.h>
#include "fw.h"
#include "fw_hmac.h"

#define BLOCK 64 /* SHA-256's block */

int fw_hmac_key_init(fw_hmac_key *k, const uint8_t *key, size_t len)
{
    uint8_t pad[BLOCK], kh[FW_HMAC_LEN];
    int rc = FW_E_CRYPTO;
    if (len > BLOCK) { /* RFC 2104 2: a long key is hashed first */
        if (hal_hash(HAL_MD_SHA256, key, len, kh))
            goto out;
        key = kh;
        len = FW_HMAC_LEN;
    }
    memset(pad, 0x36, BLOCK);
    for (size_t i = 0; i < len; i++)
        pad[i] ^= key[i];
    if (hal_md_start(&k->in, HAL_MD_SHA256) || hal_md_update(&k->in, pad, BLOCK))
        goto out;
    for (size_t i = 0; i < BLOCK; i++)
        pad[i] ^= 0x36 ^ 0x5c;
    if (hal_md_start(&k->out, HAL_MD_SHA256) || hal_md_update(&k->out, pad, BLOCK))
        goto out;
    rc = FW_OK;
out:
    fw_zeroize(pad, sizeof pad);
    fw_zeroize(kh, sizeof kh);
    return rc;
}

int fw_hmac(const fw_hmac_key *k, const uint8_t *a, size_t al, const uint8_t *b, size_t bl, const uint8_t *c,
            size_t cl, uint8_t mac[FW_HMAC_LEN])
{
    hal_md_ctx h = k->in;
    int rc = hal_md_update(&h, a, al) || hal_md_update(&h, b, bl) || hal_md_update(&h, c, cl) || hal_md_finish(&h, mac);
    if (!rc) {
        h = k->out;
        rc = hal_md_update(&h, mac, FW_HMAC_LEN) || hal_md_finish(&h, mac);
    }
    fw_zeroize(&h, sizeof h);
    return rc ? FW_E_CRYPTO : FW_OK;
}
