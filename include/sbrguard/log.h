/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file log.h
 * @brief The enforcement log: entry format version 2, event types, link
 *        commands and TLV tags. The full description is docs/log.md.
 *
 * An entry is a byte string (at most SG_LOG_MAX_ENTRY bytes); the Merkle
 * leaf of entry i is SHA-256(0x00 || entry), interior nodes are
 * SHA-256(0x01 || left || right) (RFC 9162 2.1.1). Integers are big-endian.
 *
 *     off  len  field
 *     0    1    format        SG_LOG_FORMAT (2)
 *     1    1    event         SG_LOG_EV_*
 *     2    8    seq           leaf index of this entry
 *     10   8    time          token clock, seconds since 1970 UTC
 *     18   4    mech          SG_MECH_* (issuance, authorization), else 0
 *     22   2    handle        key handle, else 0
 *     24   1    key_type      SG_KEY_*, else 0
 *     25   1    flags         SG_LOG_F_*
 *     26   8    value         event-specific (see SG_LOG_EV_*)
 *     34   32   key_id        SHA-256 of the key's SubjectPublicKeyInfo, else zeros
 *     66   32   policy_hash   SHA-256 of the policy bundle in force (docs/bundle.md), zeros if none
 *     98   32   tbs_hash      SHA-256 of the DER TBSCertificate, else zeros
 *     130  32   evidence_hash SHA-256 of the evidence DER the decision used, else zeros
 *     162  32   cert_hash     SHA-256 of the DER Certificate (accepted issuance),
 *                             SHA-256 of the CA certificate (CA_BIND),
 *                             root hash of the acknowledged tree (LOG_ACK),
 *                             CA key id (ESCROW), transport key hash (DELIVERY, RECOVERY), else zeros
 *     194  32   blocklist_hash SHA-256 of the SBR 6.1.1.3 blocklist in force (docs/blocklist.md;
 *                             BLOCKLIST_LOAD: the new one's), zeros if none
 *     226  32   batch_root    batched evidence (docs/evidence.md): the root hash of the VA tree holding the
 *                             record whose SHA-256 is evidence_hash (issuances, authorizations, refusals), else zeros
 *     258  1    n_reasons     at most SG_LOG_MAX_REASONS
 *     259  ...  n_reasons x { count u32, len u8 (1..SG_LOG_MAX_CODE), code (printable ASCII) }
 *
 * Nothing follows the last reason; an entry with trailing bytes is malformed.
 */
#ifndef SBRGUARD_LOG_H
#define SBRGUARD_LOG_H

#define SG_LOG_FORMAT 2u
#define SG_LOG_HASH_LEN 32u
#define SG_LOG_FIXED_LEN 259u   /**< entry bytes before the first reason */
#define SG_LOG_MAX_ENTRY 704u   /**< largest entry the token writes (445 bytes of reasons, as in format 1) */
#define SG_LOG_MAX_REASONS 12u
#define SG_LOG_MAX_CODE 64u

/* Field offsets. */
#define SG_LOG_OFF_FORMAT 0u
#define SG_LOG_OFF_EVENT 1u
#define SG_LOG_OFF_SEQ 2u
#define SG_LOG_OFF_TIME 10u
#define SG_LOG_OFF_MECH 18u
#define SG_LOG_OFF_HANDLE 22u
#define SG_LOG_OFF_KEY_TYPE 24u
#define SG_LOG_OFF_FLAGS 25u
#define SG_LOG_OFF_VALUE 26u
#define SG_LOG_OFF_KEY_ID 34u
#define SG_LOG_OFF_POLICY_HASH 66u
#define SG_LOG_OFF_TBS_HASH 98u
#define SG_LOG_OFF_EVIDENCE_HASH 130u
#define SG_LOG_OFF_CERT_HASH 162u
#define SG_LOG_OFF_BLOCKLIST_HASH 194u
#define SG_LOG_OFF_BATCH_ROOT 226u
#define SG_LOG_OFF_N_REASONS 258u
#define SG_LOG_OFF_REASONS 259u

/* Event types (the entry's `event` byte). `value` per event in brackets. */
#define SG_LOG_EV_TOKEN_INIT 0x01u      /**< INIT_TOKEN [new epoch] */
#define SG_LOG_EV_KEY_GEN 0x02u         /**< key pair generated [object flags SG_OBJ_*] */
#define SG_LOG_EV_CA_BIND 0x03u         /**< CA certificate bound to a key [certificate handle] */
#define SG_LOG_EV_KEY_DESTROY 0x04u     /**< key or escrow record destroyed [record class SG_CLASS_*] */
#define SG_LOG_EV_CA_UNBIND 0x05u       /**< CA certificate destroyed [the key handle it was bound to] */
#define SG_LOG_EV_RESET 0x06u           /**< the token booted after a reset its board reports (BOARD_INFO's
                                             SG_T_BOARD_RESET) [fault PC << 32 | (resets & 0xFFFFFF) << 8 | SG_RESET_*] */
#define SG_LOG_EV_ISSUE_ACCEPTED 0x10u  /**< CA key signed a TBS [0] */
#define SG_LOG_EV_ISSUE_REFUSED 0x11u   /**< CA key refused to sign [0]; reasons */
#define SG_LOG_EV_AUTHZ_ACCEPTED 0x12u  /**< AUTHORIZE accepted [expiry time] */
#define SG_LOG_EV_AUTHZ_REFUSED 0x13u   /**< AUTHORIZE refused [0]; reasons */
#define SG_LOG_EV_REFUSAL_SUMMARY 0x14u /**< refusals folded by the flood rule [requests folded]; reasons with counts */
#define SG_LOG_EV_POLICY_LOAD 0x20u     /**< policy bundle loaded [bundle version]; policy_hash = the new bundle's */
#define SG_LOG_EV_BLOCKLIST_LOAD 0x25u  /**< SBR 6.1.1.3 blocklist loaded [sequence << 32 | entries]; blocklist_hash = the new list's */
#define SG_LOG_EV_ESCROW 0x21u          /**< key pair generated and escrowed [escrow-until]; tbs_hash = consent hash */
#define SG_LOG_EV_DELIVERY 0x22u        /**< escrowed key delivered to the subscriber [escrow-until] */
#define SG_LOG_EV_RECOVERY 0x23u        /**< escrowed key recovered by the SO [escrow-until] */
#define SG_LOG_EV_ESCROW_REFUSED 0x24u  /**< escrow, delivery or recovery refused [SG_CMD_ESCROW_*]; reasons */
#define SG_LOG_EV_PIN_LOCKOUT 0x30u     /**< a PIN's retry counter reached 0 [SG_USER_SO / SG_USER_USER] */
#define SG_LOG_EV_PIN_INIT 0x31u        /**< the SO set the user PIN (INIT_PIN) [SG_USER_USER] */
#define SG_LOG_EV_PIN_CHANGE 0x32u      /**< a PIN was changed (SET_PIN) [SG_USER_SO / SG_USER_USER] */
#define SG_LOG_EV_LOG_EXPORT 0x40u      /**< export started (LOG_CHECKPOINT with SG_LOG_CP_EXPORT) [this entry's seq] */
#define SG_LOG_EV_LOG_ACK 0x41u         /**< SO acknowledged an exported checkpoint [its tree size]; cert_hash = its root */
#define SG_LOG_EV_LOG_FULL 0x42u        /**< a log-full episode began: an entry of the accepted class did not fit
                                             [that entry's event]; once until the next LOG_ACK or boot */
#define SG_LOG_EV_SET_TIME 0x50u        /**< SO set the clock [the old time]; time = the new time */

/* Entry flags (`flags` byte). */
#define SG_LOG_F_PREAUTHORIZED 0x01u    /**< raw-digest request: the token never saw the TBS at
                                             signing time; an accepted one has the tbs_hash AUTHORIZE
                                             judged and cert_hash zeros, a refused one no tbs_hash */
#define SG_LOG_F_REASONS_TRUNCATED 0x02u /**< more reasons than the entry holds */

/* Reason code used in refusal summaries when more distinct codes were
 * folded than the token can count separately. */
#define SG_LOG_CODE_OTHER "sbrguard.log.other"

/* Checkpoints: C2SP tlog-checkpoint in a C2SP signed note. */
#define SG_LOG_ORIGIN_PREFIX "sbrguard.invalid/" /**< origin = prefix + token serial */
#define SG_LOG_SIG_TYPE 0x02u                    /**< signed-note type: ECDSA P-256 / SHA-256 */
#define SG_LOG_MAX_NOTE 512u                     /**< largest signed checkpoint note, bytes */

/* Link commands (numbers continue proto.h's enum sg_cmd). */
#define SG_CMD_LOG_INFO 0x11u       /**< -> LOG_FORMAT, LOG_SIZE, LOG_MIN, LOG_FREE, LOG_CAPACITY, LOG_FOLDED,
                                         LOG_STATUS, LOG_CP_SIZE, [LOG_ROOT, LOG_NOTE of the last checkpoint] */
#define SG_CMD_LOG_READ 0x12u       /**< LOG_INDEX, [COUNT] -> LOG_ENTRY... (consecutive from LOG_INDEX) */
#define SG_CMD_LOG_CHECKPOINT 0x13u /**< [FLAGS: SG_LOG_CP_EXPORT] -> LOG_SIZE, LOG_ROOT, LOG_NOTE */
#define SG_CMD_LOG_PUBKEY 0x14u     /**< -> PUBKEY (SPKI DER), LOG_ORIGIN, LOG_KEY_ID, LOG_VKEY */
#define SG_CMD_LOG_PROOF 0x15u      /**< LOG_SIZE n and LOG_INDEX i (inclusion) or LOG_OLD_SIZE m (consistency)
                                         -> LOG_ROOT, LOG_LEAF (inclusion) or LOG_OLD_ROOT, LOG_PROOF */
#define SG_CMD_LOG_ACK 0x16u        /**< SO: LOG_NOTE (a checkpoint the token signed) -> LOG_MIN, LOG_FREE */

/* LOG_CHECKPOINT flags (SG_T_FLAGS, u32). */
#define SG_LOG_CP_EXPORT 0x0001u /**< append a LOG_EXPORT entry first (login required) */

/* LOG_STATUS bits (u32). */
#define SG_LOG_ST_FULL 0x0001u    /**< no room for an accepted issuance: signing with CA keys refused */
#define SG_LOG_ST_CORRUPT 0x0002u /**< a committed entry failed its check: signing refused */
#define SG_LOG_ST_NO_LOG 0x0004u  /**< no log yet (token never initialized) */

/* TLV tags (continue proto.h's enum sg_tag). */
#define SG_T_LOG_INDEX 0x50u    /**< u64: leaf index */
#define SG_T_LOG_SIZE 0x51u     /**< u64: tree size */
#define SG_T_LOG_OLD_SIZE 0x52u /**< u64: older tree size (consistency proof) */
#define SG_T_LOG_MIN 0x53u      /**< u64: first retained index (entries below were freed by LOG_ACK) */
#define SG_T_LOG_ENTRY 0x54u    /**< one entry (repeated, in index order) */
#define SG_T_LOG_ROOT 0x55u     /**< 32 bytes: root hash at LOG_SIZE */
#define SG_T_LOG_NOTE 0x56u     /**< signed checkpoint note text (UTF-8) */
#define SG_T_LOG_PROOF 0x57u    /**< k x 32 bytes: RFC 9162 inclusion or consistency proof */
#define SG_T_LOG_FREE 0x58u     /**< u32: bytes still available to accepted issuances */
#define SG_T_LOG_CAPACITY 0x59u /**< u32: bytes of the log region */
#define SG_T_LOG_ORIGIN 0x5Au   /**< checkpoint origin = note key name */
#define SG_T_LOG_KEY_ID 0x5Bu   /**< 4 bytes: signed-note key ID */
#define SG_T_LOG_VKEY 0x5Cu     /**< signed-note verifier key: name+hex(id)+base64(0x02 || SPKI) */
#define SG_T_LOG_FOLDED 0x5Du   /**< u32: refusals counted in RAM, not yet in a summary entry */
#define SG_T_LOG_STATUS 0x5Eu   /**< u32: SG_LOG_ST_* */
#define SG_T_LOG_LEAF 0x5Fu     /**< 32 bytes: leaf hash of LOG_INDEX */
#define SG_T_LOG_CP_SIZE 0x60u  /**< u64: tree size of the last signed checkpoint (0: none) */
#define SG_T_LOG_OLD_ROOT 0x61u /**< 32 bytes: root hash at LOG_OLD_SIZE */
#define SG_T_LOG_FORMAT 0x62u   /**< u8: SG_LOG_FORMAT */

#endif
