/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The enforcement log on the link: checkpoints as C2SP signed notes (ECDSA
 * P-256, signature type 0x02), never two inconsistent ones; proofs; reads;
 * and the security officer's acknowledgement that frees exported entries.
 */
#include <string.h>
#include "fw_log_int.h"
#include "mbedtls/base64.h"
#include "sbrguard/hal.h"
#include "sbrguard/hal_crypto.h"
#include "sbrguard/tlv.h"

#define EM_DASH "\xE2\x80\x94"
#define TEXT_MAX (FW_LOG_ORIGIN_MAX + 24 + 48)

/* A note is at most ~240 bytes: origin (33), size, root, and one signature
 * line (4 + 33 + 1 + base64 of 76 bytes). */
static char note[320];
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

/* The signed note of the last checkpoint into `note`; returns its length. */
static size_t note_signed(void)
{
    const fw_log_persist *p = &fw_lg.p;
    uint8_t raw[4 + FW_LOG_SIG_MAX];
    size_t n = note_text(p->cp_size, p->cp_root, note), olen = 0;
    memcpy(raw, fw_lg.key_id, 4);
    memcpy(raw + 4, p->cp_sig, p->cp_sig_len);
    note[n++] = '\n';
    memcpy(note + n, EM_DASH " ", 4);
    n += 4;
    memcpy(note + n, fw_lg.origin, fw_lg.origin_len);
    n += fw_lg.origin_len;
    note[n++] = ' ';
    if (mbedtls_base64_encode((unsigned char *)note + n, sizeof note - n - 1, &olen, raw, 4 + p->cp_sig_len))
        return 0;
    n += olen;
    note[n++] = '\n';
    return n;
}

static int corrupt(void)
{
    fw_lg.corrupt = 1;
    return FW_E_LOG_CORRUPT;
}

/* Root of the tree at size n (n >= first retained index). */
static int root_at(uint64_t n, uint8_t out[32])
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
            return corrupt();
        if (n == fw_lg.p.cp_size)
            return memcmp(root, fw_lg.p.cp_root, 32) ? corrupt() : FW_OK;
        if ((rc = root_at(fw_lg.p.cp_size, old)) || memcmp(old, fw_lg.p.cp_root, 32))
            return corrupt();
    }
    hal_hash(HAL_MD_SHA256, (const uint8_t *)text, note_text(n, root, text), h);
    if ((rc = fw_log_privkey(priv, sizeof priv, &plen)))
        return rc == FW_E_NO_OBJECT ? corrupt() : rc;
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

/* ---- commands ----------------------------------------------------------------- */

static int need_log(fw_req *r)
{
    if (!fw_lg.present) {
        r->msg = "no enforcement log on this token";
        return FW_E_LOG_CORRUPT;
    }
    return FW_OK;
}

static int arg_u64(const fw_req *r, uint8_t tag, uint64_t *v)
{
    const uint8_t *p;
    size_t l;
    if (fw_arg(r, tag, &p, &l) || l != 8)
        return FW_E_ARGS;
    *v = sg_be_get(p, 8);
    return FW_OK;
}

int fw_cmd_log_info(fw_req *r)
{
    uint32_t st = 0;
    if (!fw_lg.present)
        st |= SG_LOG_ST_NO_LOG;
    if (fw_lg.corrupt)
        st |= SG_LOG_ST_CORRUPT;
    if (fw_lg.present && fw_log_fits(SG_LOG_EV_ISSUE_ACCEPTED) == FW_E_LOG_FULL)
        st |= SG_LOG_ST_FULL;
    int bad = fw_put_u(r, SG_T_LOG_FORMAT, SG_LOG_FORMAT, 1) | fw_put_u(r, SG_T_LOG_SIZE, fw_lg.cur.size, 8) |
              fw_put_u(r, SG_T_LOG_MIN, fw_lg.p.min, 8) | fw_put_u(r, SG_T_LOG_FREE, fw_log_free(), 4) |
              fw_put_u(r, SG_T_LOG_CAPACITY, fw_lg.cap, 4) | fw_put_u(r, SG_T_LOG_FOLDED, fw_log_folded(), 4) |
              fw_put_u(r, SG_T_LOG_STATUS, st, 4) | fw_put_u(r, SG_T_LOG_CP_SIZE, fw_lg.p.cp_size, 8);
    if (fw_lg.present && fw_lg.p.cp_sig_len) {
        size_t n = note_signed();
        bad |= fw_put(r, SG_T_LOG_ROOT, fw_lg.p.cp_root, 32) | fw_put(r, SG_T_LOG_NOTE, note, n);
    }
    return bad ? FW_E_INTERNAL : FW_OK;
}

int fw_cmd_log_read(fw_req *r)
{
    uint64_t i;
    uint32_t max = 0xFFFF;
    const uint8_t *v, *e;
    size_t vl, len;
    int rc;
    if ((rc = need_log(r)))
        return rc;
    if (arg_u64(r, SG_T_LOG_INDEX, &i))
        return FW_E_ARGS;
    if (fw_arg_opt(r, SG_T_COUNT, &v, &vl) == FW_OK && (fw_arg_u(r, SG_T_COUNT, 2, &max) || max == 0))
        return FW_E_ARGS;
    if (i < fw_lg.p.min)
        return FW_E_LOG_PRUNED;
    if (i > fw_lg.cur.size)
        return FW_E_ARGS;
    for (uint32_t k = 0; k < max && i < fw_lg.cur.size; k++, i++) {
        if ((rc = fw_log_entry(i, &e, &len)))
            return rc;
        if (r->out_cap - r->out_len < 3 + len)
            break;
        if ((rc = fw_put(r, SG_T_LOG_ENTRY, e, len)))
            return rc;
    }
    return FW_OK;
}

/* Is the newest entry a LOG_EXPORT (nothing happened since)? */
static int last_is_export(void)
{
    size_t len;
    const uint8_t *e;
    uint64_t n = fw_lg.cur.size;
    return n > fw_lg.p.min && fw_log_entry(n - 1, &e, &len) == FW_OK && e[SG_LOG_OFF_EVENT] == SG_LOG_EV_LOG_EXPORT;
}

int fw_cmd_log_checkpoint(fw_req *r)
{
    uint32_t flags = 0;
    const uint8_t *v;
    size_t vl;
    int rc;
    if ((rc = need_log(r)))
        return rc;
    if (fw_arg_opt(r, SG_T_FLAGS, &v, &vl) == FW_OK && (fw_arg_u(r, SG_T_FLAGS, 4, &flags) || flags & ~SG_LOG_CP_EXPORT))
        return FW_E_ARGS;
    if (flags & SG_LOG_CP_EXPORT) {
        if (fw_login_state(r->chan) == SG_LOGIN_NONE)
            return FW_E_NOT_LOGGED_IN;
        /* A full log must still be exportable: then the export goes unrecorded. */
        if (!last_is_export()) {
            fw_log_ev ev = { .event = SG_LOG_EV_LOG_EXPORT, .value = fw_lg.cur.size };
            rc = fw_log_append(&ev);
            if (rc && rc != FW_E_LOG_FULL)
                return rc;
        }
    }
    if ((rc = fw_log_checkpoint_sign()))
        return rc;
    size_t n = note_signed();
    if (!n)
        return FW_E_INTERNAL;
    return fw_put_u(r, SG_T_LOG_SIZE, fw_lg.p.cp_size, 8) | fw_put(r, SG_T_LOG_ROOT, fw_lg.p.cp_root, 32) |
                   fw_put(r, SG_T_LOG_NOTE, note, n)
               ? FW_E_INTERNAL
               : FW_OK;
}

int fw_cmd_log_pubkey(fw_req *r)
{
    static char vkey[FW_LOG_ORIGIN_MAX + 16 + 4 * (FW_LOG_PUB_MAX + 3) / 3 + 4];
    static const char hex[] = "0123456789abcdef";
    uint8_t raw[1 + FW_LOG_PUB_MAX];
    size_t n, olen = 0;
    int rc;
    if ((rc = need_log(r)))
        return rc;
    memcpy(vkey, fw_lg.origin, fw_lg.origin_len);
    n = fw_lg.origin_len;
    vkey[n++] = '+';
    for (int i = 0; i < 4; i++) {
        vkey[n++] = hex[fw_lg.key_id[i] >> 4];
        vkey[n++] = hex[fw_lg.key_id[i] & 15];
    }
    vkey[n++] = '+';
    raw[0] = SG_LOG_SIG_TYPE;
    memcpy(raw + 1, fw_lg.pub, fw_lg.pub_len);
    if (mbedtls_base64_encode((unsigned char *)vkey + n, sizeof vkey - n, &olen, raw, 1 + fw_lg.pub_len))
        return FW_E_INTERNAL;
    n += olen;
    return fw_put(r, SG_T_PUBKEY, fw_lg.pub, fw_lg.pub_len) | fw_put(r, SG_T_LOG_ORIGIN, fw_lg.origin, fw_lg.origin_len) |
                   fw_put(r, SG_T_LOG_KEY_ID, fw_lg.key_id, 4) | fw_put(r, SG_T_LOG_VKEY, vkey, n)
               ? FW_E_INTERNAL
               : FW_OK;
}

int fw_cmd_log_proof(fw_req *r)
{
    uint64_t n, i = 0, m = 0;
    uint8_t root[32], first[32];
    const uint8_t *v;
    size_t vl, len = 0;
    fw_tree t;
    int rc, incl;
    if ((rc = need_log(r)))
        return rc;
    if (fw_lg.corrupt)
        return FW_E_LOG_CORRUPT;
    incl = fw_arg_opt(r, SG_T_LOG_INDEX, &v, &vl) == FW_OK;
    if (arg_u64(r, SG_T_LOG_SIZE, &n) || n > fw_lg.cur.size ||
        incl == (fw_arg_opt(r, SG_T_LOG_OLD_SIZE, &v, &vl) == FW_OK) ||
        (incl ? arg_u64(r, SG_T_LOG_INDEX, &i) || i >= n : arg_u64(r, SG_T_LOG_OLD_SIZE, &m) || m > n))
        return FW_E_ARGS;
    if (incl ? i < fw_lg.p.min : m < fw_lg.p.min)
        return FW_E_LOG_PRUNED;
    if ((rc = root_at(n, root)) || (rc = incl ? fw_log_leaf(NULL, i, first) : root_at(m, first)) ||
        (rc = fw_put(r, SG_T_LOG_ROOT, root, 32)) ||
        (rc = fw_put(r, incl ? SG_T_LOG_LEAF : SG_T_LOG_OLD_ROOT, first, 32)))
        return rc;
    /* The proof is written straight into the response's LOG_PROOF TLV. */
    uint8_t *tlv = r->out + r->out_len;
    size_t cap = (r->out_cap - r->out_len - 3) / 32;
    uint8_t (*proof)[32] = (uint8_t (*)[32])(tlv + 3);
    fw_log_tree(&t);
    if (cap > 2 * FW_LOG_MAX_HEIGHT)
        cap = 2 * FW_LOG_MAX_HEIGHT;
    rc = incl ? fw_inclusion(&t, i, n, proof, cap, &len) : fw_consistency(&t, m, n, proof, cap, &len);
    if (rc)
        return rc;
    tlv[0] = SG_T_LOG_PROOF;
    sg_be_put(tlv + 1, len * 32, 2);
    r->out_len += 3 + len * 32;
    return FW_OK;
}

/* ---- acknowledgement --------------------------------------------------------------- */

static int b64_decode(const uint8_t *in, size_t len, uint8_t *out, size_t cap, size_t *olen)
{
    return mbedtls_base64_decode(out, cap, olen, in, len) ? FW_E_ARGS : FW_OK;
}

/* A checkpoint note signed by this token's log key: its size and root. */
static int note_verify(const uint8_t *p, size_t len, uint64_t *size, uint8_t root[32])
{
    size_t i = 0, text_len, olen = 0, line;
    uint8_t raw[4 + FW_LOG_SIG_MAX], h[32];
    int found = 0;
    /* origin */
    if (len < fw_lg.origin_len + 1 || memcmp(p, fw_lg.origin, fw_lg.origin_len) || p[fw_lg.origin_len] != '\n')
        return FW_E_ARGS;
    i = fw_lg.origin_len + 1;
    /* size: decimal, no leading zeros */
    *size = 0;
    for (line = i; i < len && p[i] >= '0' && p[i] <= '9' && i - line < 20; i++)
        *size = *size * 10 + (uint64_t)(p[i] - '0');
    if (i == line || i >= len || p[i] != '\n' || (p[line] == '0' && i - line > 1))
        return FW_E_ARGS;
    i++;
    /* root */
    for (line = i; i < len && p[i] != '\n'; i++)
        ;
    if (i >= len || i - line != 44 || b64_decode(p + line, 44, root, 32, &olen) || olen != 32)
        return FW_E_ARGS;
    text_len = ++i;
    if (i >= len || p[i++] != '\n')
        return FW_E_ARGS;
    /* signature lines: ours is "— <origin> base64(key ID || sig)" */
    while (i < len && !found) {
        for (line = i; i < len && p[i] != '\n'; i++)
            ;
        if (i >= len)
            return FW_E_ARGS;
        size_t l = i - line, pre = 4 + fw_lg.origin_len + 1;
        const uint8_t *s = p + line;
        i++;
        if (l <= pre || memcmp(s, EM_DASH " ", 4) || memcmp(s + 4, fw_lg.origin, fw_lg.origin_len) ||
            s[pre - 1] != ' ')
            continue;
        if (b64_decode(s + pre, l - pre, raw, sizeof raw, &olen) || olen <= 4 || memcmp(raw, fw_lg.key_id, 4))
            continue;
        found = 1;
    }
    if (!found)
        return FW_E_ARGS;
    hal_hash(HAL_MD_SHA256, p, text_len, h);
    return hal_crypto_verify(fw_lg.pub, fw_lg.pub_len, HAL_SIG_ECDSA, HAL_MD_SHA256, h, 32, raw + 4, olen - 4)
               ? FW_E_ARGS
               : FW_OK;
}

int fw_cmd_log_ack(fw_req *r)
{
    const uint8_t *v;
    size_t vl;
    uint64_t k;
    uint8_t root[32], ours[32];
    int rc;
    if ((rc = need_log(r)))
        return rc;
    if (fw_lg.corrupt)
        return FW_E_LOG_CORRUPT;
    if (fw_arg(r, SG_T_LOG_NOTE, &v, &vl) || vl > SG_LOG_MAX_NOTE * 4)
        return FW_E_ARGS;
    if (note_verify(v, vl, &k, root)) {
        r->msg = "not a checkpoint signed by this token's log key";
        return FW_E_ARGS;
    }
    if (k > fw_lg.p.min) {
        if (k > fw_lg.cur.size || (rc = root_at(k, ours)) || memcmp(ours, root, 32)) {
            r->msg = "checkpoint does not match the log";
            return corrupt();
        }
        fw_log_ev ev = { .event = SG_LOG_EV_LOG_ACK, .value = k, .cert_hash = root };
        rc = fw_log_append(&ev);
        if (rc == FW_E_LOG_FULL) {
            /* Not even the reserve left: free first, then record it. */
            if ((rc = fw_log_truncate(k)) || (rc = fw_log_append(&ev)))
                return rc;
        } else if (rc || (rc = fw_log_truncate(k))) {
            return rc;
        }
    }
    return fw_put_u(r, SG_T_LOG_MIN, fw_lg.p.min, 8) | fw_put_u(r, SG_T_LOG_FREE, fw_log_free(), 4) ? FW_E_INTERNAL
                                                                                                      : FW_OK;
}
