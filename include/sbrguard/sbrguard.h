/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file sbrguard.h
 * @brief libsbrguard: the host-side client of the sbrguard token.
 *
 * One sg_client is one link connection to the token; login state lives on
 * the token per connection. A client is not thread-safe: callers serialize
 * (the PKCS#11 module holds a mutex around every call).
 *
 * Every function returns SG_OK (0) or a negative SG_E_* code. Token refusals
 * are SG_E_TOKEN with the token's status in sg_last_status() and an optional
 * detail string in sg_last_message().
 */
#ifndef SBRGUARD_H
#define SBRGUARD_H

#include <stddef.h>
#include <stdint.h>
#include "sbrguard/proto.h"

#ifdef __cplusplus
extern "C" {
#endif

enum sg_error {
    SG_OK = 0,
    SG_E_CONNECT = -1,   /**< the token's socket cannot be reached */
    SG_E_IO = -2,        /**< the link failed mid-request (token gone) */
    SG_E_PROTOCOL = -3,  /**< the token sent something we cannot parse */
    SG_E_TOKEN = -4,     /**< the token answered with an error status */
    SG_E_ARGS = -5,      /**< caller error: bad argument or too long */
    SG_E_BUFFER = -6,    /**< output buffer too small (needed length is returned) */
    SG_E_NOMEM = -7,
    SG_E_BUSY = -8,      /**< the token serves its maximum of connections; sg_connect_detail() */
};

typedef struct sg_client sg_client;

/** Token information (SG_CMD_INFO). */
typedef struct {
    uint8_t fw_major, fw_minor;
    char serial[SG_SERIAL_LEN + 1];
    char label[SG_MAX_LABEL + 1];
    uint32_t flags;        /**< SG_TF_* */
    uint8_t user_tries, so_tries;
    uint16_t free_slots, total_slots;
    uint64_t time;
    uint32_t max_payload;
    uint8_t login_state;   /**< SG_LOGIN_* of this connection */
} sg_info;

/** One object as listed by the token. */
typedef struct {
    uint16_t handle;
    uint8_t cls;           /**< SG_CLASS_* */
    uint32_t flags;        /**< SG_OBJ_* */
} sg_list_entry;

/** One object's attributes. Pointers refer into the sg_object's own buffer. */
typedef struct {
    uint16_t handle;
    uint8_t cls, key_type;
    uint16_t key_bits;
    uint32_t flags;
    uint16_t bound_key;    /**< certificate: key it is bound to, else 0 */
    const uint8_t *id; size_t id_len;
    const uint8_t *label; size_t label_len;
    const uint8_t *pubkey; size_t pubkey_len;   /**< keys: SPKI DER */
    const uint8_t *value; size_t value_len;     /**< certs and data */
    const uint8_t *application; size_t application_len;
    const uint8_t *host_attrs; size_t host_attrs_len;
    uint8_t buf[SG_MAX_PAYLOAD];
} sg_object;

/** Signing mechanism with its optional PSS parameters. */
typedef struct {
    uint32_t mech;         /**< SG_MECH_* */
    uint32_t pss_hash, pss_mgf, pss_slen;
    int has_pss;
} sg_mech;

/**
 * Socket path of the token: $SBRGUARD_SOCKET, else `socket = PATH` from the
 * config file ($SBRGUARD_CONF, else ~/.config/sbrguard/sbrguard.conf, else
 * /etc/sbrguard/sbrguard.conf), else $SBRGUARD_HOME/token.sock (default
 * SBRGUARD_HOME: ~/.sbrguard). Writes at most cap bytes including the NUL.
 */
int sg_socket_path(char *out, size_t cap);
/** Room for a socket path (struct sockaddr_un's sun_path) and how many
 * tokens a config file may name. */
#define SG_SOCKET_MAX 108
#define SG_MAX_TOKENS 8
/**
 * The configured tokens' sockets, in config order (the PKCS#11 module's slot
 * order): $SBRGUARD_SOCKET alone; else in the config file (see
 * sg_socket_path) its first `socket = PATH`, then every `token = PATH` line;
 * else the default socket. The first is sg_socket_path(). SG_E_ARGS with
 * sg_conf_detail() ("FILE:LINE: what") for more than SG_MAX_TOKENS (or cap),
 * a path of SG_SOCKET_MAX bytes or more, an empty `token =`, the same path
 * twice, a line over 1023 bytes.
 */
int sg_token_list(char socks[][SG_SOCKET_MAX], size_t cap, size_t *n);
/** Why this thread's last sg_token_list() failed ("" if it did not). */
const char *sg_conf_detail(void);
/** A `key = value` line of the config file that sg_socket_path() reads;
 * SG_E_ARGS if absent. */
int sg_conf_get(const char *key, char *out, size_t cap);
/** The token's board: $SBRGUARD_BOARD, else the config's `board`, else "sim". */
int sg_board(char *out, size_t cap);

/** Sets the token clock (seconds since 1970 UTC); the SO must be logged in. */
int sg_set_time(sg_client *c, uint64_t now);

/** BOARD_INFO: what the board says about itself (zeros where it is silent). */
typedef struct {
    char board[32];
    uint8_t reset_reason;      /**< SG_RESET_* of the last reset */
    uint32_t resets;           /**< resets since power-on */
    uint32_t fault_pc, cfsr, hfsr;
    uint32_t stack_used, stack_size;
    uint32_t arena_peak, arena_blocks, arena_size; /**< peak since the last BOARD_INFO */
    uint32_t cost_policy, cost_sign; /**< emulated ns of the last policy check / signature */
} sg_board_status;
int sg_board_info(sg_client *c, sg_board_status *b);

/** Connects to the token at path (NULL: sg_socket_path()). SG_E_BUSY when
 * the token serves as many connections as it can (it drops idle ones after
 * its idle timeout), with the token's detail in sg_connect_detail(). */
int sg_connect(sg_client **out, const char *path);
/** Detail of this thread's last failed sg_connect() ("" if none). */
const char *sg_connect_detail(void);
/** Between requests: 0 if the token has closed the connection (its idle
 * timeout) or said something unasked (a reset), so login and authorizations
 * are gone; 1 if it looks usable. */
int sg_alive(const sg_client *c);
void sg_free(sg_client *c);

/** Token status of the last SG_E_TOKEN result, detail message (may be ""). */
int sg_last_status(const sg_client *c);
const char *sg_last_message(const sg_client *c);
/** Short stable name of an sg_error or token status, for messages. */
const char *sg_strerror(int err);
const char *sg_status_name(int status);

/**
 * Raw request: sends cmd with payload, waits for the response. On success
 * *status holds the token status and resp, *resp_len the payload.
 */
int sg_transact(sg_client *c, uint8_t cmd, const uint8_t *req, size_t req_len,
                uint8_t *status, uint8_t *resp, size_t resp_cap, size_t *resp_len);

int sg_get_info(sg_client *c, sg_info *info);
int sg_init_token(sg_client *c, const char *so_pin, size_t so_pin_len, const char *label);
int sg_login(sg_client *c, int user_type, const char *pin, size_t pin_len);
int sg_logout(sg_client *c);
int sg_init_pin(sg_client *c, const char *pin, size_t pin_len);
int sg_set_pin(sg_client *c, int user_type, const char *old_pin, size_t old_len,
               const char *new_pin, size_t new_len);

/**
 * Generates a key pair on the token. flags: SG_OBJ_CA to reserve it as a CA
 * key. host_attrs is an opaque blob the token stores for the caller.
 * pubkey (SPKI DER) may be NULL.
 */
int sg_generate_key(sg_client *c, int key_type, const uint8_t *id, size_t id_len,
                    const char *label, uint32_t flags,
                    const uint8_t *host_attrs, size_t host_attrs_len,
                    uint16_t *handle, uint8_t *pubkey, size_t *pubkey_len);

/** Lists objects; *n in: capacity of out, out: number of objects. */
int sg_list(sg_client *c, sg_list_entry *out, size_t *n);
int sg_get_object(sg_client *c, uint16_t handle, sg_object *obj);

/** Creates a certificate or data object (cls = SG_CLASS_CERT / SG_CLASS_DATA). */
int sg_create_object(sg_client *c, int cls, const uint8_t *value, size_t value_len,
                     const uint8_t *id, size_t id_len, const char *label,
                     const uint8_t *application, size_t application_len, uint32_t flags,
                     const uint8_t *host_attrs, size_t host_attrs_len, uint16_t *handle);
int sg_destroy_object(sg_client *c, uint16_t handle);
/** Destroys one half (SG_PART_PRIVATE or SG_PART_PUBLIC) of a key pair; the
 * other stays (its flags say SG_OBJ_PRIV_GONE / SG_OBJ_PUB_GONE), and the
 * second half destroyed takes the record. */
int sg_destroy_key_part(sg_client *c, uint16_t handle, int part);
/** Destroys this connection's session key (SG_OBJ_SESSION), one half (part
 * SG_PART_*) or both (0), logged in or not (SG_CMD_SESSION_KEY_DROP). */
int sg_drop_session_key(sg_client *c, uint16_t handle, int part);

/** Binds CA certificate cert (DER) to key; the key becomes a CA key. */
int sg_bind_ca(sg_client *c, uint16_t key, const uint8_t *cert, size_t cert_len,
               const char *label, const uint8_t *host_attrs, size_t host_attrs_len,
               uint16_t *cert_handle);

/**
 * Signs data with key. *sig_len in: capacity, out: signature length.
 * Returns SG_E_BUFFER with the needed length in *sig_len if sig is too small
 * (the signature is then lost: size sig for the key, see sg_signature_len()).
 */
int sg_sign(sg_client *c, uint16_t key, const sg_mech *mech, const uint8_t *data,
            size_t data_len, uint8_t *sig, size_t *sig_len);

/**
 * Attaches signed validation evidence (docs/evidence.md) to the following
 * sg_sign and sg_authorize calls of this connection, until replaced;
 * NULL or 0 detaches it. The token judges a CA key's TBS with it.
 */
int sg_set_evidence(sg_client *c, const uint8_t *ev, size_t len);

/** A pre-authorization granted by the token (SG_CMD_AUTHORIZE). */
typedef struct {
    uint32_t raw_mech;     /**< the raw mechanism that may sign once: SG_MECH_ECDSA, _RSA_PKCS, _RSA_PKCS_PSS */
    uint8_t data[96];      /**< exactly what that signature must be given: the TBS's digest,
                                for SG_MECH_RSA_PKCS its DigestInfo */
    size_t data_len;
    uint64_t expires;      /**< token time (seconds since 1970) after which it lapses */
} sg_authz;

/**
 * Submits a TBSCertificate for CA key `key` with the hash-and-sign mechanism
 * whose signature it announces (e.g. SG_MECH_ECDSA_SHA256; PSS with its
 * parameters). If the policy accepts it, the token allows exactly one raw
 * signature (out->raw_mech over out->data) with that key, on this connection
 * only, within SG_AUTHZ_WINDOW seconds; a new authorization replaces it.
 * A refusal is SG_E_TOKEN with SG_ST_POLICY_REJECTED and sg_last_reasons().
 * out may be NULL.
 */
int sg_authorize(sg_client *c, uint16_t key, const sg_mech *mech, const uint8_t *tbs,
                 size_t tbs_len, sg_authz *out);

/** One reason of a policy refusal. */
typedef struct {
    char code[96];         /**< stable code, e.g. "sbr.7.1.2.3.eku.prohibited" */
    char section[32];      /**< SBR section, e.g. "7.1.2.3(f)"; may be "" */
} sg_reason;

/**
 * Reasons the token gave for refusing the last request on c (one per policy
 * finding, SG_T_REASON). Fills at most cap entries of out (may be NULL) and
 * returns how many the token sent; 0 if the last request was not refused.
 * Valid until the next request on c.
 */
size_t sg_last_reasons(const sg_client *c, sg_reason *out, size_t cap);

/** Signature length for a key type (ECDSA r||s, RSA modulus), 0 if unknown. */
size_t sg_signature_len(int key_type);
/** Key size in bits for a key type, 0 if unknown. */
unsigned sg_key_bits(int key_type);

int sg_random(sg_client *c, uint8_t *out, size_t len);

/* ---- the enforcement log (docs/log.md, sbrguard/log.h) ---- */

/** State of the token's enforcement log (SG_CMD_LOG_INFO). */
typedef struct {
    uint8_t format;        /**< entry format, SG_LOG_FORMAT */
    uint64_t size;         /**< tree size: entries ever appended */
    uint64_t min_index;    /**< first retained entry (earlier ones were freed by sg_log_ack) */
    uint32_t free_bytes;   /**< room left for accepted issuances */
    uint32_t capacity;     /**< bytes of the log region */
    uint32_t folded;       /**< refusals counted in RAM, not yet in a summary entry */
    uint32_t status;       /**< SG_LOG_ST_* */
    uint64_t cp_size;      /**< tree size of the last signed checkpoint */
    int has_cp;            /**< a checkpoint was signed: cp_root and cp_note are set */
    uint8_t cp_root[32];
    char cp_note[SG_LOG_MAX_NOTE + 1]; /**< last signed checkpoint, NUL-terminated */
    size_t cp_note_len;
} sg_log_state;

int sg_log_info(sg_client *c, sg_log_state *out);

/**
 * Reads entries index, index+1, ... (as many as one response holds, at most
 * *count if *count > 0) into buf as a C2SP entry bundle: each entry as a
 * big-endian uint16 length and its bytes. *len: bytes written; *count: the
 * number of entries. 0 entries when index is the tree size.
 * SG_E_BUFFER if buf cannot hold what the token sent.
 */
int sg_log_read(sg_client *c, uint64_t index, uint8_t *buf, size_t cap, size_t *len, size_t *count);

/**
 * The token signs a checkpoint of its current tree (or returns the last one
 * if the tree did not grow). export_: record an SG_LOG_EV_LOG_EXPORT entry
 * first (needs a login). note (may be NULL) receives the signed note,
 * NUL-terminated; size and root (may be NULL) its tree size and root.
 */
int sg_log_checkpoint(sg_client *c, int export_, char *note, size_t note_cap, size_t *note_len,
                      uint64_t *size, uint8_t root[32]);

/** The log's public key (SG_CMD_LOG_PUBKEY). */
typedef struct {
    uint8_t spki[128];     /**< ECDSA P-256 SubjectPublicKeyInfo DER */
    size_t spki_len;
    char origin[64];       /**< checkpoint origin = note key name */
    uint8_t key_id[4];     /**< signed-note key ID: SHA-256(spki)[:4] */
    char vkey[256];        /**< verifier key: origin+hex(key_id)+base64(0x02 || spki) */
} sg_log_key;

int sg_log_pubkey(sg_client *c, sg_log_key *out);

/** A proof served by the token (SG_CMD_LOG_PROOF). */
typedef struct {
    uint8_t root[32];      /**< root at size */
    uint8_t first[32];     /**< inclusion: leaf hash of index; consistency: root at old size */
    uint8_t hashes[64][32];
    size_t n;
} sg_log_proof_data;

/**
 * consistency = 0: inclusion proof of entry `a` in the tree of `size`;
 * consistency = 1: consistency proof from tree size `a` to `size`.
 * SG_E_TOKEN with SG_ST_LOG_PRUNED when it needs entries already freed.
 */
int sg_log_proof(sg_client *c, int consistency, uint64_t a, uint64_t size, sg_log_proof_data *out);

/**
 * Security officer: acknowledges an exported checkpoint (a signed note the
 * token made); the token frees the entries below its size. min_index and
 * free_bytes (may be NULL) receive the new state.
 */
int sg_log_ack(sg_client *c, const char *note, size_t note_len, uint64_t *min_index, uint32_t *free_bytes);

/** One entry, parsed (format version 1). Hash pointers point into the entry. */
typedef struct {
    uint8_t format, event, key_type, flags;
    uint64_t seq, time, value;
    uint32_t mech;
    uint16_t handle;
    const uint8_t *key_id, *policy_hash, *tbs_hash, *evidence_hash, *cert_hash;
    const uint8_t *blocklist_hash, *batch_root; /**< format 2: SBR 6.1.1.3 list in force; reserved */
    size_t n_reasons;
    struct {
        uint32_t count;
        char code[SG_LOG_MAX_CODE + 1];
    } reasons[SG_LOG_MAX_REASONS];
} sg_log_entry;

/**
 * Parses and checks one entry: known format and event, reason count and
 * lengths, printable codes, nothing after the last reason. SG_E_PROTOCOL
 * if malformed.
 */
int sg_log_entry_parse(const uint8_t *e, size_t len, sg_log_entry *out);
/** Name of an SG_LOG_EV_* event ("issue-accepted", ...), NULL if unknown. */
const char *sg_log_event_name(int event);

/* ---- the CA's policy bundle and key escrow (docs/bundle.md, sbrguard/bundle.h) ---- */

/** INIT_TOKEN with the security officer's policy-signing key (SPKI DER:
 * ECDSA P-256/P-384 or RSA >= 2048); policy_key_len 0: none. */
int sg_init_token_policy(sg_client *c, const char *so_pin, size_t so_pin_len, const char *label,
                         const uint8_t *policy_key, size_t policy_key_len);

/**
 * Compiles the human-writable bundle source (docs/bundle.md, "Source
 * format") to TBSBundle DER in out. Files it names (key, va-key, agent-key)
 * are read relative to dir (NULL: the current folder). On SG_E_ARGS err
 * (may be NULL) holds "line N: what".
 */
int sg_policy_compile(const char *text, const char *dir, uint8_t *out, size_t cap, size_t *len, char *err,
                      size_t err_cap);
/** Signs a TBSBundle with the SO's private key (DER: PKCS#8, SEC1 or PKCS#1;
 * ECDSA P-256/P-384 or RSA >= 2048) into a SignedPolicyBundle. */
int sg_policy_sign(const uint8_t *tbs, size_t tbs_len, const uint8_t *key, size_t key_len, uint8_t *out, size_t cap,
                   size_t *out_len);
/** SO logged in: loads a signed bundle; version and hash (may be NULL) of the new one. */
int sg_policy_load(sg_client *c, const uint8_t *bundle, size_t len, uint32_t *version, uint8_t hash[32]);

/* ---- the SBR 6.1.1.3 compromised-key blocklist (docs/blocklist.md, sbrguard/blocklist.h) ---- */

/** A list read from a file: SHA-256 hashes of SPKIs, sorted, distinct (malloc'd). */
typedef struct {
    uint8_t *hashes; /**< count x 32 bytes */
    uint32_t count, seq;
    int sig;         /**< 1: a signed file (seq set), 0: a plain list */
} sg_blocklist;
struct pol_blocklist;
/** Sorts n hashes (32 bytes each) and drops repeats; the new count. */
size_t sg_blocklist_sort(uint8_t *hashes, size_t n);
/** Signs a sorted, distinct list with the SO's key (ECDSA P-256/P-384, RSA >= 2048) into *out (malloc'd). */
int sg_blocklist_build(const uint8_t *hashes, uint32_t n, uint32_t seq, const uint8_t *key, size_t key_len,
                       uint8_t **out, size_t *out_len);
/**
 * Reads a signed file (checked as the token checks it; its signature only
 * if spki is given: SG_E_TOKEN if it does not verify) or a plain list (one
 * 64-hex-digit hash a line, '#' comments). SG_E_ARGS: malformed.
 */
int sg_blocklist_read(const uint8_t *data, size_t len, const uint8_t *spki, size_t spki_len, sg_blocklist *bl);
/** A pol_blocklist over bl for pol_ctx (the lookup the token runs). */
void sg_blocklist_view(const sg_blocklist *bl, struct pol_blocklist *view);
/** 1 if the whole SHA-256 is listed: confirms a hit of the token's prefix
 * lookup (docs/blocklist.md, false positives). */
int sg_blocklist_contains(const sg_blocklist *bl, const uint8_t hash[32]);
void sg_blocklist_free(sg_blocklist *bl);
/** SO logged in: loads a signed file in pieces; its sequence, entries and hash. */
int sg_blocklist_load(sg_client *c, const uint8_t *file, size_t len, uint32_t *seq, uint32_t *count, uint8_t hash[32]);
/** The token's capacity and its list in force (*present 0: none). */
int sg_blocklist_info(sg_client *c, uint32_t *capacity, int *present, uint32_t *seq, uint32_t *count, uint8_t hash[32]);

/** The token's policy key and loaded bundle (SG_CMD_POLICY_INFO). */
typedef struct {
    int has_key;
    uint8_t key[SG_BUNDLE_MAX_POLICY_KEY];
    size_t key_len;
    int has_bundle;
    uint32_t version;
    uint8_t hash[32];
    uint8_t bundle[SG_BUNDLE_MAX];
    size_t bundle_len;
} sg_policy_state;
int sg_policy_info(sg_client *c, sg_policy_state *out);

/** An escrowed key pair to generate (SG_CMD_ESCROW_GENERATE, user logged in). */
typedef struct {
    uint16_t ca_key;       /**< CA key whose bundle entry's escrow rule applies */
    int type, gen;         /**< profile of the certificate (pol_type, pol_gen) */
    int key_type;          /**< SG_KEY_* of the subscriber key */
    int usage;             /**< SG_ESCROW_USE_* */
    uint8_t consent[32];   /**< SHA-256 of the subscriber's signed escrow consent */
    const char *label;     /**< may be NULL */
    const uint8_t *id;
    size_t id_len;
} sg_escrow_req;

typedef struct {
    uint16_t handle;       /**< the escrow record */
    uint64_t until;        /**< end of the escrow period (token time) */
    int wrap;              /**< SG_WRAP_* */
    uint8_t spki[SG_BUNDLE_MAX_POLICY_KEY]; /**< the subscriber's public key, for the TBS */
    size_t spki_len;
} sg_escrow_out;

int sg_escrow_generate(sg_client *c, const sg_escrow_req *q, sg_escrow_out *out);
/** User: the escrowed private key for the subscriber, RSA-OAEP-SHA256(K) ||
 * KWP_K(PKCS#8) to the subscriber's transport key (RSA >= 2048 SPKI DER). */
int sg_escrow_deliver(sg_client *c, uint16_t handle, const uint8_t *transport, size_t tlen, uint8_t *out, size_t cap,
                      size_t *len);
/** SO: recovery, to a transport key (token-wrapped records) or, with tlen 0,
 * the record as wrapped to its escrow agent (agent-wrapped records). */
int sg_escrow_recover(sg_client *c, uint16_t handle, const uint8_t *transport, size_t tlen, uint8_t *out, size_t cap,
                      size_t *len);

/* TLV helpers, shared by the module and the CLI. */

/** Appends tag/len/value at *off; returns SG_E_BUFFER if it does not fit. */
int sg_tlv_put(uint8_t *buf, size_t cap, size_t *off, uint8_t tag,
               const void *val, size_t len);
/**
 * Finds the first TLV with tag in a payload; SG_E_PROTOCOL if the payload is
 * malformed, SG_E_ARGS if absent.
 */
int sg_tlv_find(const uint8_t *p, size_t len, uint8_t tag, const uint8_t **val,
                size_t *val_len);

#ifdef __cplusplus
}
#endif
#endif
