/* SPDX-License-Identifier: Apache-2.0 */
/* The enforcement log's key record in the store (docs/log.md): the log key,
 * the first retained index and the tree frontier there, the last signed
 * checkpoint; creating the log, mounting it at boot (the walk over the
 * records, recovery from a cut append), and truncation after LOG_ACK. */
#include <string.h>
#include "fw_log_int.h"
#include "sbrguard/hal_crypto.h"
#include "sbrguard/hal.h"
#include "sbrguard/tlv.h"

/* Record-only tags of the log key's store record. */
#define T_MIN 0x70
#define T_BASE_POS 0x71
#define T_BASE_FRONTIER 0x72
#define T_CP_SIZE 0x73
#define T_CP_ROOT 0x74
#define T_CP_SIG 0x75
#define T_CP_TIME 0x76

static size_t frontier_put(const fw_frontier *f, uint8_t *out)
{
    size_t n = 0;
    for (unsigned h = 0; h < FW_LOG_MAX_HEIGHT; h++)
        if (f->size >> h & 1) {
            memcpy(out + n, f->h[h], 32);
            n += 32;
        }
    return n;
}

static int frontier_get(fw_frontier *f, uint64_t size, const uint8_t *v, size_t len)
{
    size_t n = 0;
    memset(f, 0, sizeof *f);
    f->size = size;
    for (unsigned h = 0; h < FW_LOG_MAX_HEIGHT; h++)
        if (size >> h & 1) {
            if (n + 32 > len)
                return FW_E_CORRUPT;
            memcpy(f->h[h], v + n, 32);
            n += 32;
        }
    return n == len && size >> FW_LOG_MAX_HEIGHT == 0 ? FW_OK : FW_E_CORRUPT;
}

static uint8_t priv_tmp[160];
static size_t priv_tmp_len;
fw_log_persist fw_log_scratch;

int fw_log_privkey(uint8_t *buf, size_t cap, size_t *len)
{
    const uint8_t *b, *v;
    size_t bl, off = 0, vl;
    uint8_t t;
    int rc;
    if (fw_store_type(FW_LOG_SLOT, NULL) != FW_REC_TYPE_LOG)
        return FW_E_NO_OBJECT;
    if ((rc = fw_store_read(FW_LOG_SLOT, &b, &bl)))
        return rc;
    rc = FW_E_CORRUPT;
    while (fw_tlv_next(b, bl, &off, &t, &v, &vl) == 1)
        if (t == FW_T_PRIVKEY && vl <= cap) {
            memcpy(buf, v, vl);
            *len = vl;
            rc = FW_OK;
        }
    fw_store_wipe();
    return rc;
}

/* Writes the record from priv_tmp and p. */
static int record_write(const fw_log_persist *p)
{
    size_t cap, off = 0;
    uint8_t *b = fw_store_compose(&cap), n8[8], n4[4], s8[8], t8[8];
    int bad = 0;
    sg_be_put(n8, p->min, 8);
    sg_be_put(n4, p->base_pos, 4);
    sg_be_put(s8, p->cp_size, 8);
    sg_be_put(t8, p->cp_time, 8);
    bad |= fw_tlv_append(b, cap, &off, FW_T_PRIVKEY, priv_tmp, priv_tmp_len);
    bad |= fw_tlv_append(b, cap, &off, SG_T_PUBKEY, fw_lg.pub, fw_lg.pub_len);
    bad |= fw_tlv_append(b, cap, &off, T_MIN, n8, 8);
    bad |= fw_tlv_append(b, cap, &off, T_BASE_POS, n4, 4);
    /* The frontier TLV is written in place: no second 1 KiB buffer. */
    if (cap - off < 3 + FW_LOG_MAX_HEIGHT * 32) {
        bad = 1;
    } else {
        size_t fl_len = frontier_put(&p->base, b + off + 3);
        b[off] = T_BASE_FRONTIER;
        sg_be_put(b + off + 1, fl_len, 2);
        off += 3 + fl_len;
    }
    bad |= fw_tlv_append(b, cap, &off, T_CP_SIZE, s8, 8);
    bad |= fw_tlv_append(b, cap, &off, T_CP_ROOT, p->cp_root, 32);
    bad |= fw_tlv_append(b, cap, &off, T_CP_SIG, p->cp_sig, p->cp_sig_len);
    bad |= fw_tlv_append(b, cap, &off, T_CP_TIME, t8, 8);
    fw_zeroize(priv_tmp, sizeof priv_tmp);
    if (bad) {
        fw_store_wipe();
        return FW_E_INTERNAL;
    }
    return fw_store_commit(FW_LOG_SLOT, FW_REC_TYPE_LOG, 0, off);
}

int fw_log_persist_save(const fw_log_persist *p)
{
    int rc = fw_log_privkey(priv_tmp, sizeof priv_tmp, &priv_tmp_len);
    if (rc == FW_OK)
        rc = record_write(p);
    fw_zeroize(priv_tmp, sizeof priv_tmp);
    if (rc == FW_OK && p != &fw_lg.p)
        fw_lg.p = *p;
    return rc;
}

static void identity(void)
{
    static const char pre[] = SG_LOG_ORIGIN_PREFIX;
    const char *serial = fw_token_serial();
    uint8_t h[32];
    memcpy(fw_lg.origin, pre, sizeof pre - 1);
    memcpy(fw_lg.origin + sizeof pre - 1, serial, SG_SERIAL_LEN);
    fw_lg.origin_len = sizeof pre - 1 + SG_SERIAL_LEN;
    /* signed-note type 0x02: key ID = SHA-256(SPKI DER)[:4] */
    hal_hash(HAL_MD_SHA256, fw_lg.pub, fw_lg.pub_len, h);
    memcpy(fw_lg.key_id, h, 4);
}

static void geometry(void)
{
    uint32_t ss = hal_flash_sector_size(), end = fw_store_end();
    uint64_t total = (uint64_t)hal_flash_sector_count() * ss;
    fw_lg.ss = ss;
    fw_lg.addr = end;
    fw_lg.cap = 0;
    /* At least two sectors, and a whole record must fit in one. */
    if (ss >= FW_LOG_REC_MAX + 4 && total >= (uint64_t)end + 2u * ss && total - end < 0x80000000u)
        fw_lg.cap = (uint32_t)((total - end) / ss * ss);
}

int fw_log_create(void)
{
    uint8_t pub[FW_LOG_PUB_MAX + 64];
    int rc = FW_E_CRYPTO;
    size_t n, m;
    if (fw_lg.present)
        return FW_OK;
    geometry();
    if (fw_lg.cap == 0)
        return FW_E_LOG_FULL;
    /* The log key, a P-256 key of the board's crypto engine (DER at the buffers' ends). */
    if (hal_crypto_keygen(SG_KEY_EC_P256, priv_tmp, sizeof priv_tmp, &n, pub, sizeof pub, &m) || m > FW_LOG_PUB_MAX)
        goto out;
    memmove(priv_tmp, priv_tmp + sizeof priv_tmp - n, n);
    priv_tmp_len = n;
    memcpy(fw_lg.pub, pub + sizeof pub - m, m);
    fw_lg.pub_len = m;
    memset(&fw_lg.p, 0, sizeof fw_lg.p);
    if ((rc = record_write(&fw_lg.p)))
        goto out;
    identity();
    memset(&fw_lg.cur, 0, sizeof fw_lg.cur);
    fw_lg.head = 0;
    fw_lg.head_erase = 1;
    fw_lg.corrupt = 0;
    fw_lg.pending = 0;
    fw_lg.present = 1;
out:
    fw_zeroize(priv_tmp, sizeof priv_tmp);
    return rc;
}

/* Reads the log key's record into fw_lg.p and the public key. */
static int record_read(void)
{
    const uint8_t *b, *v, *fr = NULL;
    size_t bl, off = 0, vl, fr_len = 0;
    uint8_t t;
    int rc, seen = 0;
    if ((rc = fw_store_read(FW_LOG_SLOT, &b, &bl)))
        return rc;
    memset(&fw_lg.p, 0, sizeof fw_lg.p);
    while (fw_tlv_next(b, bl, &off, &t, &v, &vl) == 1) {
        if (t == SG_T_PUBKEY && vl <= FW_LOG_PUB_MAX) {
            memcpy(fw_lg.pub, v, vl);
            fw_lg.pub_len = vl;
            seen |= 1;
        } else if (t == T_MIN && vl == 8) {
            fw_lg.p.min = sg_be_get(v, 8);
            seen |= 2;
        } else if (t == T_BASE_POS && vl == 4) {
            fw_lg.p.base_pos = (uint32_t)sg_be_get(v, 4);
            seen |= 4;
        } else if (t == T_BASE_FRONTIER) {
            fr = v; /* the store's buffer stays valid until fw_store_wipe */
            fr_len = vl;
        } else if (t == T_CP_SIZE && vl == 8) {
            fw_lg.p.cp_size = sg_be_get(v, 8);
        } else if (t == T_CP_ROOT && vl == 32) {
            memcpy(fw_lg.p.cp_root, v, 32);
        } else if (t == T_CP_SIG && vl <= FW_LOG_SIG_MAX) {
            memcpy(fw_lg.p.cp_sig, v, vl);
            fw_lg.p.cp_sig_len = vl;
        } else if (t == T_CP_TIME && vl == 8) {
            fw_lg.p.cp_time = sg_be_get(v, 8);
        }
    }
    rc = seen != 7 || fw_lg.p.base_pos >= fw_lg.cap || fw_lg.p.base_pos % 4 ||
                 frontier_get(&fw_lg.p.base, fw_lg.p.min, fr ? fr : b, fr_len)
             ? FW_E_CORRUPT
             : FW_OK;
    fw_store_wipe();
    return rc;
}

static int blank_from(uint32_t pos)
{
    uint8_t b[64];
    uint32_t end = fw_log_sector_start(pos) + fw_lg.ss;
    while (pos < end) {
        uint32_t n = end - pos < sizeof b ? end - pos : (uint32_t)sizeof b;
        if (hal_flash_read(fw_lg.addr + pos, b, n))
            return 0;
        for (uint32_t i = 0; i < n; i++)
            if (b[i] != 0xFF)
                return 0;
        pos += n;
    }
    return 1;
}

int fw_log_mount(void)
{
    uint32_t pos, sz;
    uint8_t leaf[32];
    int r = FW_LOG_R_NONE;
    memset(&fw_lg, 0, sizeof fw_lg);
    fw_log_ram_reset();
    geometry();
    if (fw_store_type(FW_LOG_SLOT, NULL) != FW_REC_TYPE_LOG) {
        /* A token initialized before the log existed gets one now (if that
         * fails the token still boots, and CA keys sign nothing). */
        if (fw_token_initialized())
            fw_log_create();
        return FW_OK;
    }
    fw_lg.present = 1;
    if (fw_lg.cap == 0 || record_read()) {
        fw_lg.corrupt = 1;
        return FW_OK; /* the token runs; CA keys sign nothing */
    }
    identity();
    fw_lg.cur = fw_lg.p.base;
    pos = fw_lg.p.base_pos;
    for (;;) {
        r = fw_log_walk(&pos, fw_lg.cur.size, 1, &sz, leaf);
        if (r != FW_LOG_R_OK)
            break;
        if (fw_frontier_push(&fw_lg.cur, leaf))
            break;
        pos = fw_log_advance(pos, sz);
    }
    if (r == FW_LOG_R_CORRUPT)
        fw_lg.corrupt = 1;
    if (pos % fw_lg.ss == 0) {
        fw_lg.head = pos;
        fw_lg.head_erase = 1;
    } else if (r == FW_LOG_R_NONE && blank_from(pos)) {
        fw_lg.head = pos;
    } else {
        /* A cut append left bytes here: the next record takes a fresh sector. */
        fw_lg.head = fw_log_next_sector(pos);
        fw_lg.head_erase = 1;
    }
    if (fw_lg.cur.size > fw_lg.p.cp_size) {
        fw_lg.pending = 1;
        fw_lg.pending_since = hal_clock_now();
    }
    fw_log_full_resume();
    return FW_OK;
}

void fw_log_boot(void)
{
    uint8_t info[192];
    size_t len = 0, off = 0, vl;
    uint8_t tag;
    const uint8_t *v;
    if (!fw_lg.present || fw_lg.corrupt || !fw_token_initialized() || hal_board_info(info, sizeof info, &len))
        return;
    while (fw_tlv_next(info, len, &off, &tag, &v, &vl) == 1)
        if (tag == SG_T_BOARD_RESET && vl >= 9) {
            /* Cause, resets since power-on and the fault PC; a token that cannot log it still boots. */
            fw_log_ev ev = { .event = SG_LOG_EV_RESET,
                             .value = sg_be_get(v + 5, 4) << 32 | (sg_be_get(v + 1, 4) & 0xFFFFFFu) << 8 | v[0] };
            if (fw_log_fits(SG_LOG_EV_RESET) == FW_OK)
                fw_log_append(&ev);
            return;
        }
}

int fw_log_truncate(uint64_t k)
{
    fw_log_persist *np = &fw_log_scratch;
    uint8_t leaf[32];
    uint32_t pos;
    int rc;
    if (k < fw_lg.p.min || k > fw_lg.cur.size)
        return FW_E_ARGS;
    if (k == fw_lg.p.min)
        return FW_OK;
    *np = fw_lg.p;
    for (uint64_t i = fw_lg.p.min; i < k; i++)
        if ((rc = fw_log_leaf(NULL, i, leaf)) || (rc = fw_frontier_push(&np->base, leaf)))
            return rc;
    if (k == fw_lg.cur.size)
        pos = fw_lg.head;
    else if ((rc = fw_log_locate(k, &pos)))
        return rc;
    uint32_t old_bss = fw_log_sector_start(fw_lg.p.base_pos);
    np->min = k;
    np->base_pos = pos;
    if ((rc = fw_log_persist_save(np)))
        return rc;
    fw_log_freed();
    /* Scrub sectors that hold only freed entries (the head's is never one). */
    for (uint32_t s = old_bss; s != fw_log_sector_start(pos) && s != fw_log_sector_start(fw_lg.head); s = fw_log_next_sector(s))
        hal_flash_erase((fw_lg.addr + s) / fw_lg.ss);
    return FW_OK;
}
