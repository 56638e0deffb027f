/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The enforcement log's storage (docs/log.md): entries appended as records
 * in a circular flash region after the store, body first and commit word
 * last; the fw_log_walk that finds them again at boot; space classes and the flood
 * rule; the log key's store record (key, first retained index and the tree
 * frontier there, last signed checkpoint).
 */
#include <string.h>
#include "../policy/pol.h"
#include "fw_log_int.h"
#include "sbrguard/hal.h"
#include "sbrguard/hal_crypto.h"
#include "sbrguard/tlv.h"

#define REC_MAGIC 0x53474C31u /* "SGL1" */
#define SYS_RESERVE (2u * FW_LOG_REC_MAX)
#define FLOOD_WINDOW 60u /* seconds of token time */
#define FLOOD_BUDGET 16u /* refusal entries per window */
#define FOLD_CODES 8u

enum { CLASS_REFUSAL, CLASS_ACCEPTED, CLASS_SYSTEM };

fw_log_state fw_lg;
static uint8_t lbuf[FW_LOG_REC_MAX + 4]; /* one record: append, reads, mount */
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

/* ---- records ------------------------------------------------------------- */

/* The record at pos if it is entry seq: FW_LOG_R_OK with its footprint and leaf
 * hash; with full, the entry is read into lbuf and its hash checked. */
static int rec_at(uint32_t pos, uint64_t seq, int full, uint32_t *size, uint8_t leaf[32])
{
    uint8_t h[FW_LOG_REC_HDR + 10];
    uint32_t in = pos % fw_lg.ss;
    if (in + FW_LOG_REC_HDR + SG_LOG_FIXED_LEN > fw_lg.ss)
        return FW_LOG_R_NONE;
    if (hal_flash_read(fw_lg.addr + pos, h, sizeof h))
        return FW_LOG_R_BAD;
    uint32_t commit = (uint32_t)sg_be_get(h, 4), len = (uint32_t)sg_be_get(h + 4, 2);
    if (commit == 0xFFFFFFFFu)
        return FW_LOG_R_NONE;
    if (commit != REC_MAGIC || len < SG_LOG_FIXED_LEN || len > SG_LOG_MAX_ENTRY || in + rec_size(len) > fw_lg.ss)
        return FW_LOG_R_BAD;
    /* Stale records (an older lap) and garbage carry another seq. */
    if (h[FW_LOG_REC_HDR] != SG_LOG_FORMAT || sg_be_get(h + FW_LOG_REC_HDR + 2, 8) != seq)
        return FW_LOG_R_BAD;
    memcpy(leaf, h + 8, 32);
    *size = rec_size(len);
    rec_len = len;
    if (full) {
        uint8_t want[32], diff = 0;
        if (hal_flash_read(fw_lg.addr + pos + FW_LOG_REC_HDR, lbuf, len))
            return FW_LOG_R_CORRUPT;
        fw_mk_leaf(lbuf, len, want);
        for (int i = 0; i < 32; i++)
            diff |= want[i] ^ leaf[i];
        if (diff)
            return FW_LOG_R_CORRUPT;
    }
    return FW_LOG_R_OK;
}

/* Entry seq is at *pos, or at the start of the next sector when the record
 * did not fit or an append was cut at *pos. */
int fw_log_walk(uint32_t *pos, uint64_t seq, int full, uint32_t *size, uint8_t leaf[32])
{
    int r = rec_at(*pos, seq, full, size, leaf);
    if (r == FW_LOG_R_OK || r == FW_LOG_R_CORRUPT)
        return r;
    uint32_t nxt = fw_log_next_sector(*pos);
    int r2 = rec_at(nxt, seq, full, size, leaf);
    if (r2 == FW_LOG_R_OK || r2 == FW_LOG_R_CORRUPT)
        *pos = nxt;
    return r2 == FW_LOG_R_OK || r2 == FW_LOG_R_CORRUPT ? r2 : r;
}

/* Position of record i (min <= i < size); reads go forward from a cursor. */
int fw_log_locate(uint64_t i, uint32_t *pos)
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
        if (fw_log_walk(&at, seq, 0, &sz, leaf) != FW_LOG_R_OK)
            return FW_E_LOG_CORRUPT;
        if (seq == i)
            break;
        at = fw_log_advance(at, sz);
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
    int rc = fw_log_locate(i, &pos);
    if (rc)
        return rc;
    if (rec_at(pos, i, 1, &sz, leaf) != FW_LOG_R_OK)
        return FW_E_LOG_CORRUPT;
    *e = lbuf;
    *len = rec_len;
    return FW_OK;
}

int fw_log_leaf(void *ctx, uint64_t i, uint8_t out[32])
{
    uint32_t pos, sz;
    (void)ctx;
    int rc = fw_log_locate(i, &pos);
    if (rc)
        return rc;
    if (rec_at(pos, i, 0, &sz, out) != FW_LOG_R_OK)
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
    uint32_t bss = fw_log_sector_start(fw_lg.p.base_pos);
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
    if (ev == SG_LOG_EV_LOG_ACK || ev == SG_LOG_EV_TOKEN_INIT || ev == SG_LOG_EV_PIN_LOCKOUT ||
        ev == SG_LOG_EV_LOG_FULL)
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
        *at = fw_log_next_sector(fw_lg.head);
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

int fw_log_fits(uint8_t event)
{
    uint32_t at;
    int erase;
    return place(rec_size(SG_LOG_FIXED_LEN), ev_class(event), &at, &erase);
}

/* Log-full episodes (issue 16): the first accepted-class entry that does not
 * fit since the last acknowledgement (or boot) is recorded as LOG_FULL, from
 * the system reserve, but only while a LOG_ACK still fits after it. */
static int full_noted;

static void note_full(uint8_t event)
{
    uint32_t at;
    int erase;
    if (full_noted || ev_class(event) != CLASS_ACCEPTED || !fw_lg.present || fw_lg.corrupt ||
        place(2u * rec_size(SG_LOG_FIXED_LEN), CLASS_SYSTEM, &at, &erase))
        return;
    fw_log_ev f = { .event = SG_LOG_EV_LOG_FULL, .value = event };
    if (fw_log_append(&f) == FW_OK)
        full_noted = 1;
}

void fw_log_full_resume(void)
{
    /* An episode already recorded before this boot is not recorded again. */
    const uint8_t *last;
    size_t ll;
    full_noted = !fw_lg.corrupt && fw_lg.cur.size > fw_lg.p.min && fw_log_entry(fw_lg.cur.size - 1, &last, &ll) == FW_OK &&
                 ll > SG_LOG_OFF_EVENT && last[SG_LOG_OFF_EVENT] == SG_LOG_EV_LOG_FULL;
}

void fw_log_freed(void)
{
    cursor.ok = 0;
    full_noted = 0; /* the episode ends with the acknowledgement that freed space */
}

int fw_log_room(uint8_t event)
{
    int rc = fw_log_fits(event);
    if (rc == FW_E_LOG_FULL)
        note_full(event);
    return rc;
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
        fw_lg.head = fw_log_next_sector(at);
        fw_lg.head_erase = 1;
        return rc;
    }
    if ((rc = fw_frontier_push(&fw_lg.cur, h + 8)))
        return rc;
    fw_lg.head = fw_log_advance(at, need);
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
    while (fw_tlv_next(r->out, r->out_len, off, &t, &v, &vl) == 1) {
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
    int rc = commit(n, ev_class(ev->event));
    if (rc == FW_E_LOG_FULL)
        note_full(ev->event);
    return rc;
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

void fw_log_summary_idle(uint64_t now)
{
    if (fl.total && window_over(now))
        fw_log_flush_summary();
}

void fw_log_ram_reset(void)
{
    memset(&fl, 0, sizeof fl);
    cursor.ok = 0;
}

/* ---- the certificate hash -------------------------------------------------------- */

int fw_log_cert_hash(const uint8_t *tbs, size_t tbs_len, const uint8_t *sig, size_t sig_len, uint8_t out[32])
{
    pol_cert_layout cl;
    uint8_t zero = 0;
    if (pol_cert_layout_of(tbs, tbs_len, sig_len, &cl))
        return FW_E_ARGS;
    hal_md_ctx h;
    hal_md_start(&h, HAL_MD_SHA256);
    hal_md_update(&h, cl.head, cl.head_len);
    hal_md_update(&h, tbs, tbs_len);
    hal_md_update(&h, cl.alg, cl.alg_len);
    hal_md_update(&h, cl.bit_head, cl.bit_head_len);
    hal_md_update(&h, &zero, 1);
    hal_md_update(&h, sig, sig_len);
    hal_md_finish(&h, out);
    return FW_OK;
}
