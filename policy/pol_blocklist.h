/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file pol_blocklist.h
 * @brief The compromised-key blocklist of SBR 6.1.1.3 (format: docs/blocklist.md):
 * a streamed parser (the token takes the list in chunks) and an O(log n)
 * lookup of the SHA-256 of a SubjectPublicKeyInfo, the same in the token and
 * in `sbrguard lint --blocklist`.
 *
 *     off len   field (integers big-endian)
 *     0   4     magic "SGBL"
 *     4   1     format POL_BL_FORMAT (1)
 *     5   1     sig_alg: POL_SIG_* (0..8) of the SO's signature
 *     6   2     zero
 *     8   4     sequence (1..2^32-1; rollback refused)
 *     12  4     count (0..POL_BL_MAX_ENTRIES)
 *     16  32*n  SHA-256(SPKI DER), strictly ascending
 *     ..  2     sig_len (1..POL_BL_MAX_SIG)
 *     ..  ...   signature over bytes [0, 16 + 32n) (ECDSA: DER Ecdsa-Sig-Value)
 */
#ifndef POL_BLOCKLIST_H
#define POL_BLOCKLIST_H
#include "pol.h"
#include "sbrguard/hal_crypto.h"

#define POL_BL_FORMAT 1u
#define POL_BL_HDR_LEN 16u
#define POL_BL_ENTRY_LEN 32u
/** What a lookup compares: the first 8 bytes (docs/blocklist.md: false positives). */
#define POL_BL_PREFIX_LEN 8u
#define POL_BL_MAX_ENTRIES 0x100000u
#define POL_BL_MAX_SIG 600u

/** A loaded list: entry i's first POL_BL_PREFIX_LEN bytes come from read(). */
struct pol_blocklist {
    uint32_t count;
    /** Copies entry i's prefix to out; 0 on success (a failure refuses). */
    int (*read)(const void *arg, uint32_t i, uint8_t out[POL_BL_PREFIX_LEN]);
    const void *arg;
};
typedef struct pol_blocklist pol_blocklist;

/** 1 if hash's prefix is listed, 0 if not, -1 if the list cannot be read. */
int pol_blocklist_find(const pol_blocklist *bl, const uint8_t hash[32]);

/** Parser state, fed the file in pieces of any size. */
typedef struct {
    uint64_t off;       /**< bytes consumed */
    uint32_t seq, count, n; /**< n: entries complete */
    int sig_alg;
    uint16_t sig_len;
    uint8_t hdr[POL_BL_HDR_LEN], cur[POL_BL_ENTRY_LEN], last[POL_BL_ENTRY_LEN];
    uint8_t sig[POL_BL_MAX_SIG];
    size_t cur_n, sig_n;
    int failed, done;
    hal_md_ctx md; /**< the signature's hash, from the header on */
} pol_bl_stream;

enum pol_bl_err {
    POL_BL_E_MALFORMED = -1, /**< not the format above, trailing bytes */
    POL_BL_E_ORDER = -2,     /**< an entry not above the one before (unsorted or repeated) */
    POL_BL_E_SIZE = -3,      /**< count above the limit given */
    POL_BL_E_SIGNATURE = -4, /**< the SO's signature does not verify */
};

/** Starts a parse; max_entries bounds count (the board's capacity). */
void pol_bl_stream_init(pol_bl_stream *s, uint32_t max_entries);
/**
 * Feeds len bytes; on_entry (may be NULL) gets every entry, in order. Returns
 * 0 or a POL_BL_E_*; once failed, stays failed. Bytes past the end are an error.
 */
int pol_bl_stream_feed(pol_bl_stream *s, const uint8_t *p, size_t len, uint32_t max_entries,
                       int (*on_entry)(void *arg, uint32_t i, const uint8_t e[POL_BL_ENTRY_LEN]), void *arg);
/** After the last byte: 0 if the file is complete and its signature verifies
 * with spki (NULL: structure only). Frees the hash state. */
int pol_bl_stream_finish(pol_bl_stream *s, const uint8_t *spki, size_t spki_len);
void pol_bl_stream_free(pol_bl_stream *s);

#endif
