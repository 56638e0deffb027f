/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The enforcement log on the link: its state, reads, checkpoints
 * (fw_log_checkpoint.c signs them), proofs, and the security officer's
 * acknowledgement that frees exported entries.
 */
#include <string.h>
#include "fw_log_int.h"
#include "mbedtls/base64.h"
#include "sbrguard/hal.h"
#include "sbrguard/hal_crypto.h"
#include "sbrguard/tlv.h"

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
        size_t n = fw_log_note_signed();
        bad |= fw_put(r, SG_T_LOG_ROOT, fw_lg.p.cp_root, 32) | fw_put(r, SG_T_LOG_NOTE, fw_log_note, n);
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
    size_t n = fw_log_note_signed();
    if (!n)
        return FW_E_INTERNAL;
    return fw_put_u(r, SG_T_LOG_SIZE, fw_lg.p.cp_size, 8) | fw_put(r, SG_T_LOG_ROOT, fw_lg.p.cp_root, 32) |
                   fw_put(r, SG_T_LOG_NOTE, fw_log_note, n)
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
    if ((rc = fw_log_root_at(n, root)) || (rc = incl ? fw_log_leaf(NULL, i, first) : fw_log_root_at(m, first)) ||
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
        if (l <= pre || memcmp(s, FW_LOG_EM_DASH " ", 4) || memcmp(s + 4, fw_lg.origin, fw_lg.origin_len) ||
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
        if (k > fw_lg.cur.size || (rc = fw_log_root_at(k, ours)) || memcmp(ours, root, 32)) {
            r->msg = "checkpoint does not match the log";
            return fw_log_corrupt();
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
