/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file proto.h
 * @brief sbrguard link protocol, version 1: frames, commands, statuses, TLV tags.
 *
 * A frame is an 8-byte header followed by a payload:
 *
 *     offset 0  'S' 'G'      magic
 *     offset 2  version      SG_PROTO_VERSION
 *     offset 3  cmd/status   request: SG_CMD_*, response: SG_ST_*
 *     offset 4  length       payload length, u32 big-endian, <= SG_MAX_PAYLOAD
 *
 * The payload is a sequence of TLVs: tag (u8), length (u16 big-endian), value.
 * Integers inside values are big-endian. A request gets exactly one response.
 * A malformed header (bad magic, version, oversized length) is answered with
 * an error status and the link is reset, since the stream can no longer be
 * trusted to be in sync. The full description is in docs/protocol.md.
 */
#ifndef SBRGUARD_PROTO_H
#define SBRGUARD_PROTO_H

#define SG_PROTO_VERSION 1u
#define SG_FRAME_HDR_LEN 8u
/** Largest payload either side may send. */
#define SG_MAX_PAYLOAD 8192u
#define SG_MAX_FRAME (SG_FRAME_HDR_LEN + SG_MAX_PAYLOAD)

/* Field limits (checked by the token, mirrored by the host). */
#define SG_MAX_LABEL 32u
#define SG_MIN_PIN 4u
#define SG_MAX_PIN 64u
#define SG_MAX_ID 64u
#define SG_MAX_APPLICATION 64u
#define SG_MAX_HOST_ATTRS 1024u
#define SG_MAX_VALUE 3072u     /**< certificate or data object value */
#define SG_MAX_RANDOM 1024u    /**< per SG_CMD_RANDOM request */
#define SG_MAX_SIGN_DATA 6144u /**< data of one SG_CMD_SIGN or SG_CMD_AUTHORIZE */
#define SG_MAX_EVIDENCE 4096u  /**< signed evidence of one SIGN or AUTHORIZE, single or batched (docs/evidence.md) */
#define SG_AUTHZ_WINDOW 60u    /**< seconds a pre-authorization stays usable */
#define SG_SERIAL_LEN 16u
#define SG_USER_MAX_TRIES 3u
#define SG_SO_MAX_TRIES 5u

/* Commands. */
enum sg_cmd {
    SG_CMD_INFO = 0x01,          /**< -> token info TLVs */
    SG_CMD_INIT_TOKEN = 0x02,    /**< PIN (SO), LABEL; wipes objects */
    SG_CMD_LOGIN = 0x03,         /**< USER_TYPE, PIN */
    SG_CMD_LOGOUT = 0x04,
    SG_CMD_INIT_PIN = 0x05,      /**< PIN (new user PIN); SO logged in */
    SG_CMD_SET_PIN = 0x06,       /**< USER_TYPE, PIN (old), NEW_PIN */
    SG_CMD_GENERATE_KEY = 0x07,  /**< KEY_TYPE, ID, LABEL, [FLAGS, HOST_ATTRS] -> HANDLE, PUBKEY */
    SG_CMD_LIST = 0x08,          /**< -> LIST_ENTRY* */
    SG_CMD_GET_OBJECT = 0x09,    /**< HANDLE -> object TLVs */
    SG_CMD_SIGN = 0x0A,          /**< HANDLE, MECH, DATA, [PSS_*, EVIDENCE] -> SIGNATURE */
    SG_CMD_CREATE_OBJECT = 0x0B, /**< CLASS, VALUE, [ID, LABEL, APPLICATION, FLAGS, HOST_ATTRS] -> HANDLE */
    SG_CMD_DESTROY_OBJECT = 0x0C,/**< HANDLE, [KEY_PART] */
    SG_CMD_RANDOM = 0x0D,        /**< COUNT -> VALUE */
    SG_CMD_BIND_CA = 0x0E,       /**< HANDLE (key), VALUE (CA cert DER), [LABEL, HOST_ATTRS] -> HANDLE (cert) */
    /* 0x0F stays unassigned. */
    SG_CMD_AUTHORIZE = 0x10,     /**< HANDLE (CA key), MECH (hash-and-sign), DATA (TBS), [PSS_*, EVIDENCE] -> MECH (raw), DIGEST, EXPIRES */
    /* 0x11..0x16: the enforcement log, SG_CMD_LOG_* in sbrguard/log.h. */
    /* 0x18..0x1D: policy bundle and key escrow, sbrguard/bundle.h. */
    SG_CMD_HELLO = 0x17,         /**< NONCE -> NONCE, BOARD; ends the link's login and authorization */
    SG_CMD_SET_TIME = 0x1E,      /**< TIME; SO logged in: sets the token clock */
    SG_CMD_BOARD_INFO = 0x1F,    /**< -> BOARD, BOARD_RESET, BOARD_STACK, BOARD_ARENA, BOARD_COST */
    /* 0x20, 0x21: the blocklist, sbrguard/blocklist.h. */
    SG_CMD_SESSION_KEY_DROP = 0x22, /**< HANDLE (this channel's session key), [KEY_PART]; with or without a login (RAM only) */
};

/* Response statuses (one byte on the wire; 0 = success). */
enum sg_status {
    SG_ST_OK = 0,
    SG_ST_FRAME = 1,            /**< malformed frame or TLV payload */
    SG_ST_VERSION = 2,          /**< unsupported protocol version */
    SG_ST_TOO_LARGE = 3,        /**< declared length above SG_MAX_PAYLOAD */
    SG_ST_UNKNOWN_CMD = 4,
    SG_ST_ARGS = 5,             /**< missing, duplicated or out-of-range argument */
    SG_ST_NOT_INITIALIZED = 6,
    SG_ST_PIN_INCORRECT = 7,
    SG_ST_PIN_LOCKED = 8,
    SG_ST_NOT_LOGGED_IN = 9,
    SG_ST_ALREADY_LOGGED_IN = 10,
    SG_ST_OTHER_USER_LOGGED_IN = 11,
    SG_ST_NO_OBJECT = 12,
    SG_ST_MECHANISM = 13,       /**< mechanism not supported or not allowed for the key */
    SG_ST_MECH_PARAM = 14,
    SG_ST_KEY_TYPE = 15,
    SG_ST_DATA_LEN = 16,
    SG_ST_NO_SPACE = 17,        /**< object store full */
    SG_ST_FLASH = 18,           /**< persistent storage failed */
    SG_ST_CRYPTO = 19,
    SG_ST_POLICY_REJECTED = 20, /**< CA key: the policy refused this request */
    SG_ST_PIN_LEN = 21,
    SG_ST_USER_PIN_NOT_SET = 22,
    SG_ST_CERT_MISMATCH = 23,   /**< CA certificate does not carry the key's public key */
    SG_ST_PROHIBITED = 24,      /**< action not allowed on this object */
    SG_ST_TIMEOUT = 25,         /**< frame not completed in time (link layer) */
    SG_ST_INTERNAL = 26,
    SG_ST_LOG_FULL = 27,        /**< the enforcement log cannot take the entry: nothing was signed */
    SG_ST_LOG_PRUNED = 28,      /**< the entries asked for were freed by LOG_ACK */
    SG_ST_LOG_CORRUPT = 29,     /**< the log failed an integrity or consistency check: nothing was signed */
    /* 30..39: policy bundle and key escrow, SG_ST_* in sbrguard/bundle.h. */
    /* 40..43: the link and the board. */
    SG_ST_RESET = 40,           /**< unsolicited, sent at boot: the token reset; a request in flight and the login are gone */
    SG_ST_BUSY = 41,            /**< unsolicited, then closed: every link connection is in use ([MESSAGE]) */
};

/* TLV tags. */
enum sg_tag {
    SG_T_LABEL = 0x01,
    SG_T_PIN = 0x02,
    SG_T_NEW_PIN = 0x03,
    SG_T_USER_TYPE = 0x04,   /**< u8: SG_USER_SO or SG_USER_USER */
    SG_T_HANDLE = 0x05,      /**< u16 */
    SG_T_CLASS = 0x06,       /**< u8: SG_CLASS_* */
    SG_T_KEY_TYPE = 0x07,    /**< u8: SG_KEY_* */
    SG_T_ID = 0x08,
    SG_T_PUBKEY = 0x09,      /**< SubjectPublicKeyInfo DER */
    SG_T_VALUE = 0x0A,
    SG_T_MECH = 0x0B,        /**< u32: PKCS#11 CKM_* value */
    SG_T_DATA = 0x0C,
    SG_T_SIGNATURE = 0x0D,   /**< ECDSA: r||s, each the order's length; RSA: modulus length */
    SG_T_PSS_HASH = 0x0E,    /**< u32: CKM_SHA256/384/512 */
    SG_T_PSS_MGF = 0x0F,     /**< u32: CKG_MGF1_SHA256/384/512 */
    SG_T_PSS_SLEN = 0x10,    /**< u32 */
    SG_T_FLAGS = 0x11,       /**< u32: SG_OBJ_* */
    SG_T_APPLICATION = 0x12,
    SG_T_EVIDENCE = 0x13,    /**< signed validation evidence for the TBS (docs/evidence.md) */
    SG_T_COUNT = 0x14,       /**< u16 */
    SG_T_KEY_PART = 0x15,    /**< u8 SG_PART_*: DESTROY_OBJECT of one half of a key pair */
    SG_T_FW_VERSION = 0x20,  /**< u8 major, u8 minor */
    SG_T_SERIAL = 0x21,      /**< SG_SERIAL_LEN printable characters */
    SG_T_TOKEN_FLAGS = 0x22, /**< u32: SG_TF_* */
    SG_T_USER_TRIES = 0x23,  /**< u8: attempts left */
    SG_T_SO_TRIES = 0x24,    /**< u8 */
    SG_T_FREE_SLOTS = 0x25,  /**< u16 */
    SG_T_TIME = 0x26,        /**< u64: token clock, seconds since 1970 UTC */
    SG_T_MAX_PAYLOAD = 0x27, /**< u32 */
    SG_T_LOGIN_STATE = 0x28, /**< u8: SG_LOGIN_* of this link channel */
    SG_T_TOTAL_SLOTS = 0x29, /**< u16 */
    SG_T_BOUND_KEY = 0x2A,   /**< u16: the key a CA certificate is bound to */
    SG_T_KEY_BITS = 0x2B,    /**< u16 */
    SG_T_HOST_ATTRS = 0x2F,  /**< opaque: extra attributes kept for the host */
    SG_T_LIST_ENTRY = 0x30,  /**< u16 handle, u8 class, u32 flags */
    SG_T_REASON = 0x31,      /**< policy refusal, repeated: "CODE SECTION" (printable ASCII, one space) */
    SG_T_DIGEST = 0x32,      /**< AUTHORIZE: the exact data the one raw signature must be given */
    SG_T_EXPIRES = 0x33,     /**< u64: token time after which an authorization lapses */
    SG_T_MESSAGE = 0x3F,     /**< error detail, printable ASCII */
    /* 0x50..0x62: the enforcement log, SG_T_LOG_* in sbrguard/log.h. */
    /* 0x70..0x7F: policy bundle and key escrow, sbrguard/bundle.h. */
    /* 0x68..0x6F: the link and the board (docs/protocol.md, "Serial links and boards"). */
    SG_T_BOARD = 0x68,       /**< board name, printable ASCII ("sim", "mps2-an386") */
    SG_T_BOARD_RESET = 0x69, /**< u8 SG_RESET_*, u32 resets since power-on, u32 fault PC, u32 CFSR, u32 HFSR */
    SG_T_BOARD_STACK = 0x6A, /**< u32 deepest stack use since reset, u32 stack size (bytes) */
    SG_T_BOARD_ARENA = 0x6B, /**< u32 peak bytes allocated, u32 peak blocks (since the last BOARD_INFO), u32 arena size */
    SG_T_BOARD_COST = 0x6C,  /**< u32 last policy check, u32 last signature, [u32 last evidence check, u32 last SIGN command]: emulated ns (= instructions with -icount shift=0) */
    SG_T_NONCE = 0x6D,       /**< HELLO: 1..32 bytes echoed back */
    SG_T_BOARD_TEST = 0x6E,  /**< test images only: a fault to inject (u8 SG_FAULT_*, u32 argument) */
};

/* Why the token last reset (SG_T_BOARD_RESET). */
enum sg_reset { SG_RESET_POWER_ON = 0, SG_RESET_SOFTWARE = 1, SG_RESET_HARDFAULT = 2, SG_RESET_WATCHDOG = 3 };
/* Faults a test image injects (SG_T_BOARD_TEST). */
enum sg_fault { SG_FAULT_HARDFAULT = 1, SG_FAULT_HANG = 2, SG_FAULT_FLASH_CUT = 3 };

enum sg_user_type { SG_USER_SO = 0, SG_USER_USER = 1 }; /* = CKU_SO, CKU_USER */
enum sg_login_state { SG_LOGIN_NONE = 0, SG_LOGIN_SO = 1, SG_LOGIN_USER = 2 };

enum sg_class { SG_CLASS_KEY = 1, SG_CLASS_CERT = 2, SG_CLASS_DATA = 3 }; /* 4: SG_CLASS_ESCROW, bundle.h */

enum sg_key_type {
    SG_KEY_EC_P256 = 1,
    SG_KEY_EC_P384 = 2,
    SG_KEY_EC_P521 = 3,
    SG_KEY_RSA_2048 = 4,
    SG_KEY_RSA_3072 = 5,
    SG_KEY_RSA_4096 = 6,
};

/* Object flags (SG_T_FLAGS). */
#define SG_OBJ_CA 0x0001u      /**< key: CA key, signs only what the policy accepts */
#define SG_OBJ_PRIVATE 0x0002u /**< data object: readable only after user login */
#define SG_OBJ_CA_CERT 0x0004u /**< certificate bound to a key as its CA certificate */
#define SG_OBJ_PUB_GONE 0x0008u  /**< key: its public key object was destroyed; the private key stays */
#define SG_OBJ_PRIV_GONE 0x0010u /**< key: its private key was destroyed (scrubbed); only the public key remains */
#define SG_OBJ_SESSION 0x0020u   /**< key: a session key (CKA_TOKEN = FALSE): RAM only, this connection's, never a CA key */
/** Handles of session keys (SG_OBJ_SESSION) have this bit; token objects are 1..SG_T_TOTAL_SLOTS. */
#define SG_HANDLE_SESSION 0x8000u
/* The halves of a key pair (SG_T_KEY_PART): each is destroyed on its own;
 * the record goes with the second. The CA binding is the private key's. */
enum sg_key_part { SG_PART_PRIVATE = 1, SG_PART_PUBLIC = 2 };

/* Token flags (SG_T_TOKEN_FLAGS). */
#define SG_TF_INITIALIZED 0x0001u
#define SG_TF_USER_PIN_SET 0x0002u
#define SG_TF_USER_LOCKED 0x0004u
#define SG_TF_SO_LOCKED 0x0008u

/* Mechanisms, numerically equal to PKCS#11 CKM_* (the token has no pkcs11.h). */
#define SG_MECH_RSA_PKCS 0x00000001u
#define SG_MECH_RSA_PKCS_PSS 0x0000000Du
#define SG_MECH_SHA256_RSA_PKCS 0x00000040u
#define SG_MECH_SHA384_RSA_PKCS 0x00000041u
#define SG_MECH_SHA512_RSA_PKCS 0x00000042u
#define SG_MECH_SHA256_RSA_PKCS_PSS 0x00000043u
#define SG_MECH_SHA384_RSA_PKCS_PSS 0x00000044u
#define SG_MECH_SHA512_RSA_PKCS_PSS 0x00000045u
#define SG_MECH_ECDSA 0x00001041u
#define SG_MECH_ECDSA_SHA256 0x00001044u
#define SG_MECH_ECDSA_SHA384 0x00001045u
#define SG_MECH_ECDSA_SHA512 0x00001046u
#define SG_MECH_SHA256 0x00000250u
#define SG_MECH_SHA384 0x00000260u
#define SG_MECH_SHA512 0x00000270u
#define SG_MGF1_SHA256 0x00000002u
#define SG_MGF1_SHA384 0x00000003u
#define SG_MGF1_SHA512 0x00000004u

#include "sbrguard/log.h"
#include "sbrguard/bundle.h"

#endif
