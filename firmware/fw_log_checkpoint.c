/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The log's checkpoints: C2SP signed notes (ECDSA P-256, signature type
 * 0x02) of the tree, never two inconsistent ones, signed after a batch of
 * entries or when the oldest unsigned one is old (fw_log_idle), or when
 * asked (LOG_CHECKPOINT, fw_cmd_log.c).
 */
#include <string.h>
#include "fw_log_int.h"
#include "mbedtls/base64.h"
#include "sbrguard/hal.h"
#include "sbrguard/hal_crypto.h"

#define TEXT_MAX (FW_LOG_ORIGIN_MAX + 24 + 48)

/* A note is at most ~240 bytes: origin (33), size, root, and one signature
 * line (4 + 33 + 1 + base64 of 76 bytes). */
char fw_log_note[320];
static uint8_t priv[160];

/* "origin\nsize\nbase64(root)\n" into out (TEXT_MAX); returns its length. */
static size_t note_text(uint64_t size, const uint8_t root[32], char *out)
{
    char dec[24];
    size_t n = 0, d = 0, olen = 0;
    memcpy(out, fw_lg.origin, fw_lg.origin_len);
    n = fw_lg.origin_len;
    out[n++] = '\n';
    do {
        dec[d++] = (char)('0' + size % 10);
        size /= 10;
    } while (size);
    while (d)
        out[n++] = dec[--d];
    out[n++] = '\n';
    mbedtls_base64_encode((unsigned char *)out + n, TEXT_MAX - n, &olen, root, 32);
    n += olen;
    out[n++] = '\n';
    return n;
}

/* The signed note of the last checkpoint into fw_log_note; returns its length. */
size_t fw_log_note_signed(void)
{
    const fw_log_persist *p = &fw_lg.p;
    uint8_t raw[4 + FW_LOG_SIG_MAX];
    size_t n = note_text(p->cp_size, p->cp_root, fw_log_note), olen = 0;
    memcpy(raw, fw_lg.key_id, 4);
    memcpy(raw + 4, p->cp_sig, p->cp_sig_len);
    fw_log_note[n++] = '\n';
    memcpy(fw_log_note + n, FW_LOG_EM_DASH " ", 4);
    n += 4;
    memcpy(fw_log_note + n, fw_lg.origin, fw_lg.origin_len);
    n += fw_lg.origin_len;
    fw_log_note[n++] = ' ';
    if (mbedtls_base64_encode((unsigned char *)fw_log_note + n, sizeof fw_log_note - n - 1, &olen, raw, 4 + p->cp_sig_len))
        return 0;
    n += olen;
    fw_log_note[n++] = '\n';
    return n;
}

/* Root of the tree at size n (n >= first retained index). */
int fw_log_root_at(uint64_t n, uint8_t out[32])
{
    fw_tree t;
    if (n == fw_lg.cur.size) {
        fw_frontier_root(&fw_lg.cur, out);
        return FW_OK;
    }
    if (n < fw_lg.p.min)
        return FW_E_LOG_PRUNED;
    fw_log_tree(&t);
    return fw_mth(&t, 0, n, out);
}

int fw_log_checkpoint_sign(void)
{
    fw_log_persist *np = &fw_log_scratch;
    uint8_t root[32], old[32], h[32], sig[FW_LOG_SIG_MAX];
    char text[TEXT_MAX];
    size_t plen = 0, slen = 0;
    int rc;
    if (!fw_lg.present)
        return FW_E_LOG_FULL;
    if (fw_lg.corrupt)
        return FW_E_LOG_CORRUPT;
    fw_log_flush_summary(); /* the checkpoint covers folded refusals if it can */
    uint64_t n = fw_lg.cur.size;
    fw_frontier_root(&fw_lg.cur, root);
    if (fw_lg.p.cp_sig_len) {
        /* Only an extension of what was signed before is ever signed. */
        if (n < fw_lg.p.cp_size)
            return fw_log_corrupt();
        if (n == fw_lg.p.cp_size)
            return memcmp(root, fw_lg.p.cp_root, 32) ? fw_log_corrupt() : FW_OK;
        if ((rc = fw_log_root_at(fw_lg.p.cp_size, old)) || memcmp(old, fw_lg.p.cp_root, 32))
            return fw_log_corrupt();
    }
    hal_hash(HAL_MD_SHA256, (const uint8_t *)text, note_text(n, root, text), h);
    if ((rc = fw_log_privkey(priv, sizeof priv, &plen)))
        return rc == FW_E_NO_OBJECT ? fw_log_corrupt() : rc;
    struct hal_key *k = NULL;
    rc = FW_E_CRYPTO;
    /* Loaded once, like a CA key: parsing a key costs more than a checkpoint's
     * signature on the sim board's engine. The log's slot is no object's. */
    if (!fw_keycache_get(FW_LOG_SLOT, SG_KEY_EC_P256, fw_lg.pub, fw_lg.pub_len, priv, plen, &k) &&
        !hal_crypto_sign(k, HAL_SIG_ECDSA, HAL_MD_NONE, HAL_MD_NONE, 0, h, 32, sig, sizeof sig, &slen) &&
        slen <= FW_LOG_SIG_MAX)
        rc = FW_OK;
    fw_keycache_put(k);
    fw_zeroize(priv, sizeof priv);
    if (rc)
        return rc;
    *np = fw_lg.p;
    np->cp_size = n;
    memcpy(np->cp_root, root, 32);
    np->cp_time = hal_clock_now();
    memcpy(np->cp_sig, sig, slen);
    np->cp_sig_len = slen;
    /* Persisted before anyone sees it: the next one is checked against it. */
    if ((rc = fw_log_persist_save(np)))
        return rc;
    fw_lg.pending = 0;
    return FW_OK;
}

void fw_log_idle(void)
{
    uint64_t now = hal_clock_now();
    if (!fw_lg.present || fw_lg.corrupt)
        return;
    fw_log_summary_idle(now);
    if (fw_lg.cur.size > fw_lg.p.cp_size || !fw_lg.p.cp_sig_len) {
        uint64_t since = fw_lg.pending_since;
        if (fw_lg.cur.size - fw_lg.p.cp_size >= FW_LOG_CP_EVERY ||
            (fw_lg.pending && (now < since || now - since >= FW_LOG_CP_SECONDS)))
            fw_log_checkpoint_sign();
    }
}
