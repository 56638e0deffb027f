/* SPDX-License-Identifier: Apache-2.0 */
/* Shared between fw_log.c (records, space, append, flood rule),
 * fw_log_mount.c (the key record, create, mount, truncate),
 * fw_log_checkpoint.c (signed checkpoints) and fw_cmd_log.c (LOG_*). */
#ifndef FW_LOG_INT_H
#define FW_LOG_INT_H
#include "fw.h"

#define FW_LOG_REC_HDR 40u     /* commit, length, 0, leaf hash */
#define FW_LOG_PUB_MAX 100u    /* P-256 SubjectPublicKeyInfo (91 bytes) */
#define FW_LOG_SIG_MAX 80u     /* DER ECDSA P-256 signature (<= 72 bytes) */
#define FW_LOG_ORIGIN_MAX 40u
#define FW_LOG_CP_EVERY 256u   /* sign a checkpoint after this many entries (one tile) */
#define FW_LOG_CP_SECONDS 300u /* ... or when the oldest unsigned entry is this old */
#define FW_LOG_REC_MAX (FW_LOG_REC_HDR + SG_LOG_MAX_ENTRY)
#define FW_LOG_EM_DASH "\xE2\x80\x94" /* before a signed note's signature line */

/* What the log key's store record keeps besides the key. */
typedef struct {
    uint64_t min;       /* first retained index */
    uint32_t base_pos;  /* region offset of record `min` (or where it will go) */
    fw_frontier base;   /* tree frontier at `min` */
    uint64_t cp_size;   /* last signed checkpoint */
    uint8_t cp_root[32];
    uint64_t cp_time;
    uint8_t cp_sig[FW_LOG_SIG_MAX];
    size_t cp_sig_len;  /* 0: no checkpoint signed yet */
} fw_log_persist;

typedef struct {
    int present, corrupt;
    uint32_t addr, cap, ss; /* region: flash address, bytes, sector size */
    fw_log_persist p;
    fw_frontier cur;        /* frontier at the current size */
    uint32_t head;          /* where the next record goes */
    int head_erase;         /* the head's sector must be erased first */
    int pending;            /* entries appended since the last checkpoint */
    uint64_t pending_since; /* token time of the first of them */
    uint8_t pub[FW_LOG_PUB_MAX];
    size_t pub_len;
    uint8_t key_id[4];
    char origin[FW_LOG_ORIGIN_MAX];
    size_t origin_len;
} fw_log_state;

extern fw_log_state fw_lg;

/* Region offsets: the sector holding pos, the next one, pos + n. */
static inline uint32_t fw_log_sector_start(uint32_t pos) { return pos - pos % fw_lg.ss; }
static inline uint32_t fw_log_next_sector(uint32_t pos) { return (fw_log_sector_start(pos) + fw_lg.ss) % fw_lg.cap; }
static inline uint32_t fw_log_advance(uint32_t pos, uint32_t n) { return (pos + n) % fw_lg.cap; }

/* What a record read finds (fw_log.c). */
enum { FW_LOG_R_NONE, FW_LOG_R_BAD, FW_LOG_R_OK, FW_LOG_R_CORRUPT };
/** Entry seq at *pos, or at the start of the next sector when the record
 * did not fit or an append was cut at *pos (*pos moved there): a
 * FW_LOG_R_* with its footprint and leaf hash; with full, the entry is
 * read and its hash checked. */
int fw_log_walk(uint32_t *pos, uint64_t seq, int full, uint32_t *size, uint8_t leaf[32]);
/** Position of record i (min <= i < size), read forward from a cursor. */
int fw_log_locate(uint64_t i, uint32_t *pos);
/** Forgets the RAM state of fw_log.c (read cursor, flood counters): mount. */
void fw_log_ram_reset(void);
/** After mount: a log-full episode recorded before this boot stays noted. */
void fw_log_full_resume(void);
/** After truncation: the read cursor is stale, the log-full episode over. */
void fw_log_freed(void);

/** Entry i (min <= i < size), verified against its leaf hash; *e stays
 * valid until the next log call. */
int fw_log_entry(uint64_t i, const uint8_t **e, size_t *len);
/** Scratch for building the next persisted state (one, to save RAM). */
extern fw_log_persist fw_log_scratch;
/** fw_tree leaf callback over the retained entries. */
int fw_log_leaf(void *ctx, uint64_t i, uint8_t out[32]);
void fw_log_tree(fw_tree *t);
/** Persists p (power-safe store commit) and adopts it in RAM. */
int fw_log_persist_save(const fw_log_persist *p);
/** Frees entries below k (min <= k <= size): new base, then erase. */
int fw_log_truncate(uint64_t k);
/** Bytes the accepted class may still use. */
uint32_t fw_log_free(void);
/** Refusals counted in RAM, not yet in a summary entry. */
uint32_t fw_log_folded(void);
/** Writes the pending refusal summary, if any and if it fits. */
int fw_log_flush_summary(void);
/** Writes the pending refusal summary when its window is over (fw_log_idle). */
void fw_log_summary_idle(uint64_t now);
/** Marks the log corrupt (it refuses from then on). */
static inline int fw_log_corrupt(void)
{
    fw_lg.corrupt = 1;
    return FW_E_LOG_CORRUPT;
}

/* fw_log_checkpoint.c */
/** Signs a checkpoint of the current tree if it grew. */
int fw_log_checkpoint_sign(void);
/** The signed note of the last checkpoint, into fw_log_note; its length. */
size_t fw_log_note_signed(void);
extern char fw_log_note[320];
/** Root of the tree at size n (n >= first retained index). */
int fw_log_root_at(uint64_t n, uint8_t out[32]);
/** Reads the log's private key DER from its store record into buf. */
int fw_log_privkey(uint8_t *buf, size_t cap, size_t *len);

#endif
