/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file blocklist.h
 * @brief The SBR 6.1.1.3 compromised-key blocklist: link commands, statuses
 *        and TLV tags. File format (policy/pol_blocklist.h) and semantics:
 *        docs/blocklist.md.
 */
#ifndef SBRGUARD_BLOCKLIST_H
#define SBRGUARD_BLOCKLIST_H

/* Link commands (continue proto.h's enum sg_cmd). */
#define SG_CMD_BLOCKLIST_LOAD 0x20u /**< SO: BL_OFFSET, DATA (a piece of the file, in order from 0)
                                         -> BL_NEXT while incomplete; the last piece -> BL_SEQ, BL_COUNT, BL_HASH */
#define SG_CMD_BLOCKLIST_INFO 0x21u /**< -> BL_CAPACITY, [BL_SEQ, BL_COUNT, BL_HASH of the list in force] */

/* Statuses (continue proto.h's enum sg_status; bundle.h has 30..35). */
#define SG_ST_BLOCKLIST_SIGNATURE 36 /**< signature does not verify with the token's policy key */
#define SG_ST_BLOCKLIST_ROLLBACK 37  /**< sequence not above the loaded list's */
#define SG_ST_BLOCKLIST_MALFORMED 38 /**< not the format, unsorted or repeated entries, truncated, piece out of order */
#define SG_ST_BLOCKLIST_TOO_LARGE 39 /**< more entries than the token's capacity (BL_CAPACITY) */

/* TLV tags. */
#define SG_T_BL_OFFSET 0x80u   /**< u32: offset in the file of this piece (0 starts a new load) */
#define SG_T_BL_NEXT 0x81u     /**< u32: offset of the next piece the token expects */
#define SG_T_BL_SEQ 0x82u      /**< u32: the list's sequence number */
#define SG_T_BL_COUNT 0x83u    /**< u32: entries */
#define SG_T_BL_HASH 0x84u     /**< 32 bytes: SHA-256 of the whole signed file (blocklist_hash of log entries) */
#define SG_T_BL_CAPACITY 0x85u /**< u32: most entries this token holds */

/** Piece size the host uses: fits a frame with room for the TLV headers. */
#define SG_BL_PIECE 7936u

#endif
