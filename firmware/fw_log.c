/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The enforcement log's storage (docs/log.md): entries appended as records
 * in a circular flash region after the store, body first and commit word
 * last; the walk that finds them again at boot; space classes and the flood
 * rule; the log key's store record (key, first retained index and the tree
 * frontier there, last signed checkpoint).
 */
#include <string.h>
#include "../policy/pol.h"
#include "fw_log_int.h"
#include "mbedtls/sha256.h"
#include "sbrguard/hal.h"
#include "sbrguard/hal_crypto.h"
#include "sbrguard/tlv.h"

#define REC_MAGIC 0x53474C31u /* "SGL1" */
#define REC_MAX (FW_LOG_REC_HDR + SG_LOG_MAX_ENTRY)
#define SYS_RESERVE (2u * REC_MAX)
#define FLOOD_WINDOW 60u /* seconds of token time */
#define FLOOD_BUDGET 16u /* refusal entries per window */
#define FOLD_CODES 8u
/* Record-only tags of the log key's store record. */
#define T_MIN 0x70
#define T_BASE_POS 0x71
#define T_BASE_FRONTIER 0x72
#define T_CP_SIZE 0x73
#define T_CP_ROOT 0x74
#define T_CP_SIG 0x75
#define T_CP_TIME 0x76

enum { CLASS_REFUSAL, CLASS_ACCEPTED, CLASS_SYSTEM };
enum { R_NONE, R_BAD, R_OK, R_CORRUPT };

fw_log_state fw_lg;
static uint8_t lbuf[REC_MAX + 4]; /* one record: append, reads, mount */
static struct {
    uint64_t i;
    uint32_t pos;
    int ok;
} cursor;
static struct {
    uint64_t win_start;
    uint32_t win_count, total, other;
    uint8_t n, len[FOLD_CODES];
    char code[FOLD_CODES][SG_LOG_MAX_CODE];
    uint32_t cnt[FOLD_CODES];
} fl;

static uint32_t rec_len; /* entry length of the last record rec_at found */

static uint32_t rec_size(size_t len) { return (uint32_t)((FW_LOG_REC_HDR + len + 3u) & ~3u); }
static uint32_t sector_start(uint32_t pos) { return pos - pos % fw_lg.ss; }
static uint32_t next_sector(uint32_t pos) { return (sector_start(pos) + fw_lg.ss) % fw_lg.cap; }
static uint32_t advance(uint32_t pos, uint32_t n) { return (pos + n) % fw_lg.cap; }

/* ---- records ------------------------------------------------------------- */

/* The record at pos if it is entry seq: R_OK with its footprint and leaf
 * hash; with full, the entry is read into lbuf and its hash checked. */
static int rec_at(uint32_t pos, uint64_t seq, int full, uint32_t *size, uint8_t leaf[32])
{
    uint8_t h[FW_LOG_REC_HDR + 10];
    uint32_t in = pos % fw_lg.ss;
    if (in + FW_LOG_REC_HDR + SG_LOG_FIXED_LEN > fw_lg.ss)
        return R_NONE;
    if (hal_flash_read(fw_lg.addr + pos, h, sizeof h))
        return R_BAD;
    uint32_t commit = (uint32_t)sg_be_get(h, 4), len = (uint32_t)sg_be_get(h + 4, 2);
    if (commit == 0xFFFFFFFFu)
        return R_NONE;
    if (commit != REC_MAGIC || len < SG_LOG_FIXED_LEN || len > SG_LOG_MAX_ENTRY || in + rec_size(len) > fw_lg.ss)
        return R_BAD;
    /* Stale records (an older lap) and garbage carry another seq. */
    if (h[FW_LOG_REC_HDR] != SG_LOG_FORMAT || sg_be_get(h + FW_LOG_REC_HDR + 2, 8) != seq)
        return R_BAD;
    memcpy(leaf, h + 8, 32);
    *size = rec_size(len);
    rec_len = len;
    if (full) {
        uint8_t want[32], diff = 0;
        if (hal_flash_read(fw_lg.addr + pos + FW_LOG_REC_HDR, lbuf, len))
            return R_CORRUPT;
        fw_mk_leaf(lbuf, len, want);
        for (int i = 0; i < 32; i++)
            diff |= want[i] ^ leaf[i];
        if (diff)
            return R_CORRUPT;
    }
    return R_OK;
}

/* Entry seq is at *pos, or at the start of the next sector when the record
 * did not fit or an append was cut at *pos. */
static int walk(uint32_t *pos, uint64_t seq, int full, uint32_t *size, uint8_t leaf[32])
{
    int r = rec_at(*pos, seq, full, size, leaf);
    if (r == R_OK || r == R_CORRUPT)
        return r;
    uint32_t nxt = next_sector(*pos);
    int r2 = rec_at(nxt, seq, full, size, leaf);
    if (r2 == R_OK || r2 == R_CORRUPT)
        *pos = nxt;
    return r2 == R_OK || r2 == R_CORRUPT ? r2 : r;
}

/* Position of record i (min <= i < size); reads go forward from a cursor. */
static int locate(uint64_t i, uint32_t *pos)
{
    uint64_t seq = fw_lg.p.min;
    uint32_t at = fw_lg.p.base_pos, sz;
    uint8_t leaf[32];
    if (i < fw_lg.p.min)
        return FW_E_LOG_PRUNED;
    if (i >= fw_lg.cur.size)
        return FW_E_ARGS;
    if (cursor.ok && cursor.i <= i) {
        seq = cursor.i;
        at = cursor.pos;
    }
    for (;;) {
        if (walk(&at, seq, 0, &sz, leaf) != R_OK)
            return FW_E_LOG_CORRUPT;
        if (seq == i)
            break;
        at = advance(at, sz);
        seq++;
    }
    cursor.i = i;
    cursor.pos = at;
    cursor.ok = 1;
    *pos = at;
    return FW_OK;
}

int fw_log_entry(uint64_t i, const uint8_t **e, size_t *len)
{
    uint32_t pos, sz;
    uint8_t leaf[32];
    int rc = locate(i, &pos);
    if (rc)
        return rc;
    if (rec_at(pos, i, 1, &sz, leaf) != R_OK)
        return FW_E_LOG_CORRUPT;
    *e = lbuf;
    *len = rec_len;
    return FW_OK;
}

int fw_log_leaf(void *ctx, uint64_t i, uint8_t out[32])
{
    uint32_t pos, sz;
    (void)ctx;
    int rc = locate(i, &pos);
    if (rc)
        return rc;
    if (rec_at(pos, i, 0, &sz, out) != R_OK)
        return FW_E_LOG_CORRUPT;
    return FW_OK;
}

void fw_log_tree(fw_tree *t)
{
    t->base = &fw_lg.p.base;
    t->leaf = fw_log_leaf;
    t->ctx = NULL;
}

/* ---- space ----------------------------------------------------------------- */

/* Bytes from the head up to the start of the sector holding record min:
 * the log never writes into that sector from behind. */
static uint32_t room(void)
{
    uint32_t bss = sector_start(fw_lg.p.base_pos);
    if (fw_lg.head == bss)
        return fw_lg.p.base_pos == fw_lg.head ? fw_lg.cap : 0;
    return (bss + fw_lg.cap - fw_lg.head) % fw_lg.cap;
}

static uint32_t class_limit(int cls)
{
    if (cls == CLASS_SYSTEM)
        return fw_lg.cap;
    if (cls == CLASS_ACCEPTED)
        return fw_lg.cap > SYS_RESERVE ? fw_lg.cap - SYS_RESERVE : 0;
    return fw_lg.cap / 4u * 3u;
}

static int ev_class(uint8_t ev)
{
    if (ev == SG_LOG_EV_ISSUE_REFUSED || ev == SG_LOG_EV_AUTHZ_REFUSED || ev == SG_LOG_EV_REFUSAL_SUMMARY ||
        ev == SG_LOG_EV_ESCROW_REFUSED)
        return CLASS_REFUSAL;
    if (ev == SG_LOG_EV_LOG_ACK || ev == SG_LOG_EV_TOKEN_INIT || ev == SG_LOG_EV_PIN_LOCKOUT)
        return CLASS_SYSTEM;
    return CLASS_ACCEPTED;
}

/* Where a record of need bytes of class cls goes: FW_OK with *at and
 * whether that sector must be erased first. */
static int place(uint32_t need, int cls, uint32_t *at, int *erase)
{
    uint32_t in = fw_lg.head % fw_lg.ss, waste = 0, rm;
    if (!fw_lg.present || fw_lg.cap == 0)
        return FW_E_LOG_FULL;
    if (fw_lg.corrupt)
        return FW_E_LOG_CORRUPT;
    if (fw_lg.cur.size >= ((uint64_t)1 << FW_LOG_MAX_HEIGHT) - 1)
        return FW_E_LOG_FULL;
    *at = fw_lg.head;
    *erase = fw_lg.head_erase;
    if (in + need > fw_lg.ss) {
        waste = fw_lg.ss - in;
        *at = next_sector(fw_lg.head);
        *erase = 1;
    }
    rm = room();
    if (waste + need > rm || fw_lg.cap - rm + waste + need > class_limit(cls))
        return FW_E_LOG_FULL;
    return FW_OK;
}

uint32_t fw_log_free(void)
{
    if (!fw_lg.present || fw_lg.corrupt)
        return 0;
    uint32_t used = fw_lg.cap - room(), lim = class_limit(CLASS_ACCEPTED);
    return used < lim ? lim - used : 0;
}

int fw_log_room(uint8_t event)
{
    uint32_t at;
    int erase;
    return place(rec_size(SG_LOG_FIXED_LEN), ev_class(event), &at, &erase);
}

/* ---- append ----------------------------------------------------------------- */

/* Commits the entry in lbuf + FW_LOG_REC_HDR (len bytes, seq already set). */
static int commit(size_t len, int cls)
{
    uint32_t need = rec_size(len), at;
    int erase, rc;
    if ((rc = place(need, cls, &at, &erase)))
        return rc;
    uint8_t *h = lbuf;
    sg_be_put(h, 0xFFFFFFFFu, 4);
    sg_be_put(h + 4, len, 2);
    sg_be_put(h + 6, 0, 2);
    fw_mk_leaf(lbuf + FW_LOG_REC_HDR, len, h + 8);
    memset(lbuf + FW_LOG_REC_HDR + len, 0xFF, need - FW_LOG_REC_HDR - len);
    rc = FW_OK;
    if (erase && hal_flash_erase((fw_lg.addr + at) / fw_lg.ss))
        rc = FW_E_FLASH;
    /* Body first; the commit word last makes the entry count. */
    if (rc == FW_OK && hal_flash_write(fw_lg.addr + at + 4, h + 4, FW_LOG_REC_HDR - 4 + len))
        rc = FW_E_FLASH;
    if (rc == FW_OK) {
        uint8_t m[4];
        sg_be_put(m, REC_MAGIC, 4);
        if (hal_flash_write(fw_lg.addr + at, m, 4))
            rc = FW_E_FLASH;
    }
    if (rc != FW_OK) {
        /* Whatever is left there is not a record: go on in a fresh sector. */
        fw_lg.head = next_sector(at);
        fw_lg.head_erase = 1;
        return rc;
    }
    if ((rc = fw_frontier_push(&fw_lg.cur, h + 8)))
        return rc;
    fw_lg.head = advance(at, need);
    fw_lg.head_erase = fw_lg.head % fw_lg.ss == 0;
    if (!fw_lg.pending) {
        fw_lg.pending = 1;
        fw_lg.pending_since = hal_clock_now();
    }
    return FW_OK;
}

/* The fixed part of an entry in lbuf; returns its length. */
static size_t entry_head(const fw_log_ev *ev, uint8_t *e)
{
    /* Every entry names the policy bundle in force (DESIGN.md rule 6). */
    const uint8_t *ph = ev->policy_hash ? ev->policy_hash : fw_policy_hash();
    const uint8_t *bh = ev->blocklist_hash ? ev->blocklist_hash : fw_blocklist_hash();
    const uint8_t *hashes[6] = { ev->key_id, ph, ev->tbs_hash, ev->evidence_hash, ev->cert_hash, bh };
    memset(e, 0, SG_LOG_FIXED_LEN);
    e[SG_LOG_OFF_FORMAT] = SG_LOG_FORMAT;
    e[SG_LOG_OFF_EVENT] = ev->event;
    sg_be_put(e + SG_LOG_OFF_SEQ, fw_lg.cur.size, 8);
    sg_be_put(e + SG_LOG_OFF_TIME, hal_clock_now(), 8);
    sg_be_put(e + SG_LOG_OFF_MECH, ev->mech, 4);
    sg_be_put(e + SG_LOG_OFF_HANDLE, ev->handle, 2);
    e[SG_LOG_OFF_KEY_TYPE] = ev->key_type;
    e[SG_LOG_OFF_FLAGS] = ev->flags;
    sg_be_put(e + SG_LOG_OFF_VALUE, ev->value, 8);
    for (int i = 0; i < 6; i++)
        if (hashes[i])
            memcpy(e + SG_LOG_OFF_KEY_ID + 32 * i, hashes[i], 32);
    if (ev->batch_root)
        memcpy(e + SG_LOG_OFF_BATCH_ROOT, ev->batch_root, 32);
    return SG_LOG_FIXED_LEN;
}

/* Appends one reason; 0 if it does not fit (the entry is then flagged). */
static int entry_reason(uint8_t *e, size_t *n, const char *code, size_t len, uint32_t count)
{
    if (len == 0)
        return 1;
    if (len > SG_LOG_MAX_CODE || e[SG_LOG_OFF_N_REASONS] >= SG_LOG_MAX_REASONS ||
        *n + 5 + len > SG_LOG_MAX_ENTRY) {
        e[SG_LOG_OFF_FLAGS] |= SG_LOG_F_REASONS_TRUNCATED;
        return 0;
    }
    sg_be_put(e + *n, count, 4);
    e[*n + 4] = (uint8_t)len;
    memcpy(e + *n + 5, code, len);
    *n += 5 + len;
    e[SG_LOG_OFF_N_REASONS]++;
    return 1;
}

/* Reason codes of a refusal response: SG_T_REASON "CODE SECTION". */
static int next_reason(const fw_req *r, size_t *off, const char **code, size_t *len)
{
    uint8_t t;
    const uint8_t *v;
    size_t vl;
    while (sg_tlv_next(r->out, r->out_len, off, &t, &v, &vl) == 1) {
        if (t != SG_T_REASON)
            continue;
        size_t n = 0;
        while (n < vl && v[n] != ' ')
            n++;
        *code = (const char *)v;
        *len = n;
        return 1;
    }
    return 0;
}

int fw_log_append(const fw_log_ev *ev)
{
    uint8_t *e = lbuf + FW_LOG_REC_HDR;
    size_t n = entry_head(ev, e), off = 0, cl;
    const char *code;
    cursor.ok = 0;
    if (ev->reasons)
        while (next_reason(ev->reasons, &off, &code, &cl))
            entry_reason(e, &n, code, cl, 1);
    return commit(n, ev_class(ev->event));
}

/* ---- flood rule --------------------------------------------------------------- */

static void fold(const fw_log_ev *ev)
{
    size_t off = 0, cl;
    const char *code;
    if (fl.total < 0xFFFFFFFFu)
        fl.total++;
    while (ev->reasons && next_reason(ev->reasons, &off, &code, &cl)) {
        unsigned k;
        if (cl > SG_LOG_MAX_CODE)
            cl = SG_LOG_MAX_CODE;
        for (k = 0; k < fl.n; k++)
            if (fl.len[k] == cl && !memcmp(fl.code[k], code, cl))
                break;
        if (k == fl.n && fl.n < FOLD_CODES) {
            memcpy(fl.code[k], code, cl);
            fl.len[k] = (uint8_t)cl;
            fl.cnt[k] = 0;
            fl.n++;
        }
        if (k < fl.n) {
            if (fl.cnt[k] < 0xFFFFFFFFu)
                fl.cnt[k]++;
        } else if (fl.other < 0xFFFFFFFFu) {
            fl.other++;
        }
    }
}

uint32_t fw_log_folded(void) { return fl.total; }

int fw_log_flush_summary(void)
{
    if (!fl.total)
        return FW_OK;
    fw_log_ev ev = { .event = SG_LOG_EV_REFUSAL_SUMMARY, .value = fl.total };
    uint8_t *e = lbuf + FW_LOG_REC_HDR;
    size_t n = entry_head(&ev, e);
    cursor.ok = 0;
    for (unsigned k = 0; k < fl.n; k++)
        entry_reason(e, &n, fl.code[k], fl.len[k], fl.cnt[k]);
    if (fl.other)
        entry_reason(e, &n, SG_LOG_CODE_OTHER, sizeof SG_LOG_CODE_OTHER - 1, fl.other);
    int rc = commit(n, CLASS_REFUSAL);
    if (rc == FW_OK) {
        uint64_t ws = fl.win_start;
        uint32_t wc = fl.win_count;
        memset(&fl, 0, sizeof fl);
        fl.win_start = ws;
        fl.win_count = wc;
    }
    return rc;
}

static int window_over(uint64_t now) { return now < fl.win_start || now >= fl.win_start + FLOOD_WINDOW; }

void fw_log_refusal(const fw_log_ev *ev)
{
    uint64_t now = hal_clock_now();
    if (!fw_lg.present)
        return;
    if (window_over(now)) {
        fw_log_flush_summary();
        fl.win_start = now;
        fl.win_count = 0;
    }
    if (fl.win_count < FLOOD_BUDGET && fw_log_append(ev) == FW_OK) {
        fl.win_count++;
        return;
    }
    fold(ev);
}

void fw_log_idle(void)
{
    uint64_t now = hal_clock_now();
    if (!fw_lg.present || fw_lg.corrupt)
        return;
    if (fl.total && window_over(now))
        fw_log_flush_summary();
    if (fw_lg.cur.size > fw_lg.p.cp_size || !fw_lg.p.cp_sig_len) {
        uint64_t since = fw_lg.pending_since;
        if (fw_lg.cur.size - fw_lg.p.cp_size >= FW_LOG_CP_EVERY ||
            (fw_lg.pending && (now < since || now - since >= FW_LOG_CP_SECONDS)))
            fw_log_checkpoint_sign();
    }
}

/* ---- the log key's store record ------------------------------------------------ */

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
    while (sg_tlv_next(b, bl, &off, &t, &v, &vl) == 1)
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
    bad |= sg_tlv_append(b, cap, &off, FW_T_PRIVKEY, priv_tmp, priv_tmp_len);
    bad |= sg_tlv_append(b, cap, &off, SG_T_PUBKEY, fw_lg.pub, fw_lg.pub_len);
    bad |= sg_tlv_append(b, cap, &off, T_MIN, n8, 8);
    bad |= sg_tlv_append(b, cap, &off, T_BASE_POS, n4, 4);
    /* The frontier TLV is written in place: no second 1 KiB buffer. */
    if (cap - off < 3 + FW_LOG_MAX_HEIGHT * 32) {
        bad = 1;
    } else {
        size_t fl_len = frontier_put(&p->base, b + off + 3);
        b[off] = T_BASE_FRONTIER;
        sg_be_put(b + off + 1, fl_len, 2);
        off += 3 + fl_len;
    }
    bad |= sg_tlv_append(b, cap, &off, T_CP_SIZE, s8, 8);
    bad |= sg_tlv_append(b, cap, &off, T_CP_ROOT, p->cp_root, 32);
    bad |= sg_tlv_append(b, cap, &off, T_CP_SIG, p->cp_sig, p->cp_sig_len);
    bad |= sg_tlv_append(b, cap, &off, T_CP_TIME, t8, 8);
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
    if (ss >= REC_MAX + 4 && total >= (uint64_t)end + 2u * ss && total - end < 0x80000000u)
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
    while (sg_tlv_next(b, bl, &off, &t, &v, &vl) == 1) {
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
    uint32_t end = sector_start(pos) + fw_lg.ss;
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
    int r = R_NONE;
    memset(&fw_lg, 0, sizeof fw_lg);
    memset(&fl, 0, sizeof fl);
    cursor.ok = 0;
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
        r = walk(&pos, fw_lg.cur.size, 1, &sz, leaf);
        if (r != R_OK)
            break;
        if (fw_frontier_push(&fw_lg.cur, leaf))
            break;
        pos = advance(pos, sz);
    }
    if (r == R_CORRUPT)
        fw_lg.corrupt = 1;
    if (pos % fw_lg.ss == 0) {
        fw_lg.head = pos;
        fw_lg.head_erase = 1;
    } else if (r == R_NONE && blank_from(pos)) {
        fw_lg.head = pos;
    } else {
        /* A cut append left bytes here: the next record takes a fresh sector. */
        fw_lg.head = next_sector(pos);
        fw_lg.head_erase = 1;
    }
    if (fw_lg.cur.size > fw_lg.p.cp_size) {
        fw_lg.pending = 1;
        fw_lg.pending_since = hal_clock_now();
    }
    return FW_OK;
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
    else if ((rc = locate(k, &pos)))
        return rc;
    uint32_t old_bss = sector_start(fw_lg.p.base_pos);
    np->min = k;
    np->base_pos = pos;
    if ((rc = fw_log_persist_save(np)))
        return rc;
    cursor.ok = 0;
    /* Scrub sectors that hold only freed entries (the head's is never one). */
    for (uint32_t s = old_bss; s != sector_start(pos) && s != sector_start(fw_lg.head); s = next_sector(s))
        hal_flash_erase((fw_lg.addr + s) / fw_lg.ss);
    return FW_OK;
}

/* ---- the certificate hash -------------------------------------------------------- */

int fw_log_cert_hash(const uint8_t *tbs, size_t tbs_len, const uint8_t *sig, size_t sig_len, uint8_t out[32])
{
    pol_cert_layout cl;
    uint8_t zero = 0;
    if (pol_cert_layout_of(tbs, tbs_len, sig_len, &cl))
        return FW_E_ARGS;
    mbedtls_sha256_context h;
    mbedtls_sha256_init(&h);
    mbedtls_sha256_starts(&h, 0);
    mbedtls_sha256_update(&h, cl.head, cl.head_len);
    mbedtls_sha256_update(&h, tbs, tbs_len);
    mbedtls_sha256_update(&h, cl.alg, cl.alg_len);
    mbedtls_sha256_update(&h, cl.bit_head, cl.bit_head_len);
    mbedtls_sha256_update(&h, &zero, 1);
    mbedtls_sha256_update(&h, sig, sig_len);
    mbedtls_sha256_finish(&h, out);
    mbedtls_sha256_free(&h);
    return FW_OK;
}
