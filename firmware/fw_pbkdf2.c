/* SPDX-License-Identifier: Apache-2.0 */
/* PBKDF2-HMAC-SHA256 (RFC 8018 5.2, HMAC of RFC 2104) on hal_md, so that the
 * PIN hash runs on the board's engine like every other hash. The keyed
 * inner and outer states are computed once and copied for each of the
 * iter HMACs; every state and block is wiped before return. */
#include <string.h>
#include "fw.h"
#include "fw_pbkdf2.h"
#include "sbrguard/hal_crypto.h"

#define BLOCK 64 /* SHA-256's block */
#define HLEN 32

typedef struct {
    hal_md_ctx in, out; /* after the key's ipad and opad blocks */
} hmac_key;

static int hmac_key_init(hmac_key *k, const uint8_t *key, size_t len)
{
    uint8_t pad[BLOCK], kh[HLEN];
    int rc = FW_E_CRYPTO;
    if (len > BLOCK) { /* RFC 2104 2: a long key is hashed first */
        if (hal_hash(HAL_MD_SHA256, key, len, kh))
            goto out;
        key = kh;
        len = HLEN;
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

/* mac = HMAC(k, a || b); b may be empty. */
static int hmac(const hmac_key *k, const uint8_t *a, size_t al, const uint8_t *b, size_t bl, uint8_t mac[HLEN])
{
    hal_md_ctx c = k->in;
    int rc = hal_md_update(&c, a, al) || hal_md_update(&c, b, bl) || hal_md_finish(&c, mac);
    if (!rc) {
        c = k->out;
        rc = hal_md_update(&c, mac, HLEN) || hal_md_finish(&c, mac);
    }
    fw_zeroize(&c, sizeof c);
    return rc ? FW_E_CRYPTO : FW_OK;
}

int fw_pbkdf2_sha256(const uint8_t *pw, size_t pw_len, const uint8_t *salt, size_t salt_len, uint32_t iter,
                     uint8_t *out, size_t out_len)
{
    hmac_key k;
    uint8_t u[HLEN], t[HLEN], idx[4];
    int rc = iter ? hmac_key_init(&k, pw, pw_len) : FW_E_CRYPTO;
    for (uint32_t block = 1; rc == FW_OK && out_len; block++) {
        idx[0] = (uint8_t)(block >> 24);
        idx[1] = (uint8_t)(block >> 16);
        idx[2] = (uint8_t)(block >> 8);
        idx[3] = (uint8_t)block;
        /* T_i = U_1 ^ ... ^ U_c, U_1 = PRF(P, S || INT(i)), U_j = PRF(P, U_j-1) */
        rc = hmac(&k, salt, salt_len, idx, sizeof idx, u);
        memcpy(t, u, HLEN);
        for (uint32_t j = 1; rc == FW_OK && j < iter; j++) {
            rc = hmac(&k, u, HLEN, NULL, 0, u);
            for (size_t b = 0; b < HLEN; b++)
                t[b] ^= u[b];
        }
        size_t n = out_len < HLEN ? out_len : HLEN;
        memcpy(out, t, n);
        out += n;
        out_len -= n;
    }
    fw_zeroize(&k, sizeof k);
    fw_zeroize(u, sizeof u);
    fw_zeroize(t, sizeof t);
    return rc;
}
