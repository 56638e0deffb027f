/* SPDX-License-Identifier: Apache-2.0 */
/* Firmware core: internal interfaces between the firmware modules. */
#ifndef FW_H
#define FW_H
#include <stddef.h>
#include <stdint.h>
#include "sbrguard/proto.h"

#define FW_VERSION_MAJOR 0
#define FW_VERSION_MINOR 1
#ifndef FW_MAX_CHANNELS
#define FW_MAX_CHANNELS 8   /**< concurrent link connections (sim); 1 on a UART (board CFLAGS) */
#endif
#define FW_MAX_OBJECTS 32   /**< object slots; handles are 1..FW_MAX_OBJECTS */

/* Errors of the firmware layer; mapped to SG_ST_* in one table (fw_codec.c). */
enum fw_err {
    FW_OK = 0,
    FW_E_FRAME = -1,
    FW_E_VERSION = -2,
    FW_E_TOO_LARGE = -3,
    FW_E_UNKNOWN_CMD = -4,
    FW_E_ARGS = -5,
    FW_E_NOT_INITIALIZED = -6,
    FW_E_PIN_INCORRECT = -7,
    FW_E_PIN_LOCKED = -8,
    FW_E_NOT_LOGGED_IN = -9,
    FW_E_ALREADY_LOGGED_IN = -10,
    FW_E_OTHER_USER = -11,
    FW_E_NO_OBJECT = -12,
    FW_E_MECHANISM = -13,
    FW_E_MECH_PARAM = -14,
    FW_E_KEY_TYPE = -15,
    FW_E_DATA_LEN = -16,
    FW_E_NO_SPACE = -17,
    FW_E_FLASH = -18,
    FW_E_CRYPTO = -19,
    FW_E_POLICY = -20,
    FW_E_PIN_LEN = -21,
    FW_E_USER_PIN_NOT_SET = -22,
    FW_E_CERT_MISMATCH = -23,
    FW_E_PROHIBITED = -24,
    FW_E_INTERNAL = -25,
    FW_E_CORRUPT = -26, /**< store record failed its integrity check */
    FW_E_LOG_FULL = -27,    /**< the enforcement log cannot take the entry */
    FW_E_LOG_PRUNED = -28,  /**< log entries freed by LOG_ACK */
    FW_E_LOG_CORRUPT = -29, /**< log failed an integrity or consistency check */
    FW_E_BUNDLE_SIG = -30,       /**< policy bundle signature does not verify */
    FW_E_BUNDLE_ROLLBACK = -31,  /**< policy bundle version not above the loaded one */
    FW_E_BUNDLE_MALFORMED = -32, /**< policy bundle structure or values */
    FW_E_NO_POLICY_KEY = -33,    /**< token initialized without a policy key */
    FW_E_ESCROW = -34,           /**< escrow, delivery or recovery refused (REASONs attached) */
    FW_E_BUNDLE_TOO_LARGE = -35, /**< policy bundle above SG_BUNDLE_MAX */
    FW_E_BL_SIG = -36,           /**< blocklist signature does not verify */
    FW_E_BL_ROLLBACK = -37,      /**< blocklist sequence not above the loaded one */
    FW_E_BL_MALFORMED = -38,     /**< blocklist format, order, truncation, piece order */
    FW_E_BL_TOO_LARGE = -39,     /**< blocklist above the token's capacity */
};

/** One request being served: arguments in, TLVs out. */
typedef struct {
    unsigned chan;
    const uint8_t *args;
    size_t args_len;
    uint8_t *out;
    size_t out_cap, out_len;
    const char *msg; /**< optional detail for an error response */
    int detail;      /**< on error, out already holds detail TLVs to send (fw_refuse) */
} fw_req;

/* fw_dispatch.c: boot, frames served through the command table. */
int fw_init(void);
/**
 * Serves one complete frame from channel chan; writes the response frame to
 * out (capacity SG_MAX_FRAME, or less on a board short of RAM: at least
 * SG_FRAME_HDR_LEN + 64). Returns the response length; *reset is set
 * when the link must be reset because the stream lost sync.
 */
size_t fw_handle_frame(unsigned chan, const uint8_t *in, size_t in_len, uint8_t *out,
                       size_t out_cap, int *reset);
/** The channel's end (fw_channel.c): its login, authorization, session keys. */
void fw_channel_closed(unsigned chan);

/* fw_codec.c: frames, argument and output helpers, the error map. */
/** Header check for link layers that read a frame incrementally. */
int fw_frame_check_header(const uint8_t hdr[SG_FRAME_HDR_LEN], size_t *payload_len);
/** Builds an error response frame without a request (link-layer timeout). */
size_t fw_error_frame(uint8_t status, uint8_t *out, size_t out_cap);
/** The wire status of a firmware error (the one table). */
uint8_t fw_status_of(int err);
/** Writes a frame header for body_len bytes already at out + header. */
size_t fw_frame_out(uint8_t st, uint8_t *out, size_t body_len);
/** sg_tlv_next and sg_tlv_append (sbrguard/tlv.h), once for the firmware. */
int fw_tlv_next(const uint8_t *p, size_t len, size_t *off, uint8_t *tag, const uint8_t **val, size_t *val_len);
int fw_tlv_append(uint8_t *buf, size_t cap, size_t *off, uint8_t tag, const void *val, size_t len);
/** FW_OK if the argument TLVs are well formed, each tag at most once. */
int fw_args_check(const uint8_t *p, size_t len);
int fw_arg(const fw_req *r, uint8_t tag, const uint8_t **val, size_t *len);
int fw_arg_opt(const fw_req *r, uint8_t tag, const uint8_t **val, size_t *len);
int fw_arg_u(const fw_req *r, uint8_t tag, size_t width, uint32_t *v);
int fw_put(fw_req *r, uint8_t tag, const void *val, size_t len);
int fw_put_u(fw_req *r, uint8_t tag, uint64_t v, size_t width);
/** Appends one SG_T_REASON to an error response (the first also becomes msg). */
void fw_refuse(fw_req *r, const char *code, const char *section);

/* fw_store.c: power-safe record store over the HAL flash. Slot 0 is the
 * token's metadata, slots 1..FW_MAX_OBJECTS hold objects. */
#define FW_REC_TYPE_FREE 0
#define FW_REC_TYPE_META 0x4D
#define FW_STORE_SLOTS (FW_MAX_OBJECTS + 1)
/* One more slot after the objects holds the log's key and state. */
#define FW_LOG_SLOT FW_STORE_SLOTS
#define FW_STORE_ALL_SLOTS (FW_STORE_SLOTS + 1)
#define FW_REC_TYPE_LOG 0x4C
/* And one more the CA's policy bundle (fw_policy.c); the log region follows. */
#define FW_POLICY_SLOT (FW_STORE_SLOTS + 1)
#define FW_REC_TYPE_POLICY 0x50
#undef FW_STORE_ALL_SLOTS
#define FW_STORE_ALL_SLOTS (FW_STORE_SLOTS + 2)
/** First flash byte after the store (where the log region begins). */
uint32_t fw_store_end(void);
int fw_store_mount(void);
/** Type and epoch of a slot's current record (FREE if none or erased). */
uint8_t fw_store_type(unsigned slot, uint32_t *epoch);
/** Reads a slot's current record; body stays valid until the next store call. */
int fw_store_read(unsigned slot, const uint8_t **body, size_t *len);
/** Buffer in which to compose a new record body before fw_store_commit. */
uint8_t *fw_store_compose(size_t *cap);
int fw_store_commit(unsigned slot, uint8_t type, uint32_t epoch, size_t len);
/** Wipes the store's RAM buffer (after a private key was read). */
void fw_store_wipe(void);
/** Erases both copies of a slot (after its deletion is committed). */
int fw_store_scrub(unsigned slot);

/* fw_rng.c: DRBG and the static arena. */
int fw_rng_init(const uint8_t *pers, size_t pers_len);
int fw_rng(void *ctx, unsigned char *out, size_t len);
size_t fw_rng_arena_size(void);
void fw_zeroize(void *p, size_t n);

/* fw_token.c: token metadata, PINs, login state per channel. */
int fw_token_mount(void);
uint32_t fw_token_epoch(void);
/** The token serial: SG_SERIAL_LEN characters, not NUL-terminated. */
const char *fw_token_serial(void);
int fw_token_initialized(void);
/** SG_TF_* of the metadata. */
uint32_t fw_token_flags(void);
int fw_login_state(unsigned chan);
void fw_token_set_login(unsigned chan, uint8_t state);
/** Tries left of the SO's PIN (so) or the user's. */
unsigned fw_token_tries(int so);
/** Sets a PIN's salt and hash in RAM; the next save commits them. */
int fw_token_pin_set(int so, const uint8_t *pin, size_t len);
/** Checks a PIN, its decremented counter committed first; on success the
 * counter is full again in RAM (the caller saves). */
int fw_token_pin_check(int so, const uint8_t *pin, size_t len);
/** Commits the metadata record. */
int fw_token_save(void);
/** INIT_PIN's metadata: the user's PIN set, its counter full, committed. */
int fw_token_init_user_pin(const uint8_t *pin, size_t len);
/** INIT_TOKEN's metadata: a new epoch (one commit), label, policy key (or
 * none), a new escrow KEK, the user's PIN cleared. */
int fw_token_reinit(const uint8_t *label, size_t label_len, const uint8_t *pkey, size_t pkey_len);
/** INFO's metadata TLVs: version, serial, label, flags, tries. */
int fw_token_put_info(fw_req *r);
/* fw_channel.c: a logout (login state, loaded keys, the channel's session
 * private keys); fw_channel_closed (above) drops the rest of it too. */
void fw_logout_channel(unsigned chan);
/** Who may call a command (fw_dispatch.c's table, enforced before the handler). */
enum fw_role {
    FW_ROLE_PUBLIC = 0, /**< anyone, any state */
    FW_ROLE_INIT = 1,   /**< an initialized token, no login needed */
    FW_ROLE_LOGIN = 2,  /**< either user logged in on this channel */
    FW_ROLE_USER = 3,   /**< the user logged in on this channel */
    FW_ROLE_SO = 4,     /**< the security officer logged in on this channel */
};
typedef struct {
    uint8_t cmd;     /**< SG_CMD_* */
    uint8_t role;    /**< enum fw_role */
    uint8_t changes; /**< may change flash or the token's state */
    uint8_t logged;  /**< may write log entries */
    int (*fn)(fw_req *r);
} fw_cmd;
/** The command table and its length (tests walk it). */
const fw_cmd *fw_cmd_table(size_t *n);

/* fw_cmd_token.c */
int fw_cmd_info(fw_req *r);
int fw_cmd_init_token(fw_req *r);
int fw_cmd_login(fw_req *r);
int fw_cmd_logout(fw_req *r);
int fw_cmd_init_pin(fw_req *r);
int fw_cmd_set_pin(fw_req *r);
int fw_cmd_random(fw_req *r);
/* fw_token.c */
/** The policy key (SPKI DER) INIT_TOKEN was given, in the store's buffer
 * (valid until the next store call); FW_E_NO_POLICY_KEY if none. */
int fw_token_policy_key(const uint8_t **spki, size_t *len);
/** The token's escrow KEK (AES-256), created on first use; never exported. */
int fw_token_escrow_kek(uint8_t kek[32]);

/* fw_policy.c: the CA's signed policy bundle (docs/bundle.md). */
int fw_policy_mount(void);
/** SHA-256 of the loaded bundle, or NULL when none is loaded. */
const uint8_t *fw_policy_hash(void);
/** 1 if a bundle is loaded, its version in *version. */
int fw_policy_version(uint32_t *version);
/** The loaded bundle's DER, in the store's buffer (valid until the next store call). */
int fw_policy_der(const uint8_t **der, size_t *len);
/** Commits a verified and logged bundle to its slot; it is then in force. */
int fw_policy_adopt(const uint8_t *der, size_t len, uint32_t version, const uint8_t hash[32]);
/* fw_policy_ca: in fw_policy.h (it speaks pol_bundle_ca). */
/* fw_cmd_policy.c */
int fw_cmd_policy_load(fw_req *r);
int fw_cmd_policy_info(fw_req *r);

/* fw_blocklist.c: the SBR 6.1.1.3 compromised-key blocklist (docs/blocklist.md). */
int fw_blocklist_mount(void);
/** The list in force for pol_ctx.blocklist, or NULL when none is loaded. */
const struct pol_blocklist *fw_blocklist(void);
/** SHA-256 of the signed list in force, or NULL. */
const uint8_t *fw_blocklist_hash(void);
/** 1 if a list is in force: its sequence number and entry count. */
int fw_blocklist_in_force(uint32_t *seq, uint32_t *count);
/** Entries a bank holds (0: the board has no blocklist area). */
uint32_t fw_blocklist_capacity(void);
/** Takes one piece of an upload at off into the bank not in force; *done
 * once the whole file is in, else *next is the offset of the next piece. */
int fw_blocklist_feed(fw_req *r, uint32_t off, const uint8_t *data, size_t len, uint32_t *next, int *done);
#define FW_BL_HDR_LEN 116u /**< magic gen epoch seq count | file hash | prefix hash | header hash */
/** The whole file is in: verifies it (signature, sequence above the list in
 * force) and builds its bank's header; fh is the file's hash. */
int fw_blocklist_seal(fw_req *r, uint8_t hdr[FW_BL_HDR_LEN], uint8_t fh[32], uint32_t *seq, uint32_t *count);
/** Writes the header (the commit point): the new list is in force. */
int fw_blocklist_adopt(const uint8_t hdr[FW_BL_HDR_LEN]);
/** Ends an upload (done or failed): its stream state freed. */
void fw_blocklist_upload_end(void);
/* fw_cmd_blocklist.c */
int fw_cmd_blocklist_load(fw_req *r);
int fw_cmd_blocklist_info(fw_req *r);

/* fw_objects.c: object slots, listing, certificates and data. */
#define FW_T_PRIVKEY 0x40 /* record-only tag: private key DER, never sent */
/** A slot's entry in the RAM index. */
typedef struct {
    uint8_t type;       /**< FW_REC_TYPE_*, FREE if none */
    uint32_t flags;     /**< SG_OBJ_* of the record */
    uint16_t bound_key; /**< a CA certificate: the key it binds */
} fw_obj_entry;
int fw_objects_index(void);
/** Deletes every object of an older epoch (after INIT_TOKEN; a cut wipe
 * resumes at boot). */
int fw_objects_wipe_stale(void);
/** Refreshes the index entry of one slot after its record changed. */
void fw_objects_reindex(unsigned slot);
unsigned fw_objects_free(void);
int fw_object_load(unsigned handle, uint8_t want_type, const uint8_t **body, size_t *len);
int fw_key_is_ca(unsigned handle);
/** The index, read-only: FW_STORE_SLOTS entries, by slot. */
const fw_obj_entry *fw_objects_idx(void);
int fw_object_live(unsigned h);
/** Private data objects are visible only to the logged-in user. */
int fw_object_visible(const fw_req *r, unsigned h);
/** Flags as LIST and GET_OBJECT show them: the CA binding folded in. */
uint32_t fw_object_listed_flags(unsigned h);
/** Destroys one half of key pair h (SG_PART_*), once logged. */
int fw_object_drop_part(unsigned h, uint32_t part);
/** Frees slot h, once logged: both copies erased. */
int fw_object_free_slot(unsigned h);
int fw_objects_new_slot(unsigned *slot);
/** Starts a record in the store's compose buffer with the request's ID,
 * LABEL, APPLICATION and HOST_ATTRS (length-checked). */
int fw_object_begin(const fw_req *r, uint8_t **b, size_t *cap, size_t *off);
int fw_cert_spki(const uint8_t *cert, size_t len, const uint8_t **spki, size_t *spki_len);
/* fw_cmd_objects.c */
int fw_cmd_list(fw_req *r);
int fw_cmd_get_object(fw_req *r);
int fw_cmd_create_object(fw_req *r);
int fw_cmd_destroy_object(fw_req *r);
int fw_cmd_bind_ca(fw_req *r);

/* fw_cmd_keys.c: key generation, signing, pre-authorization. */
int fw_cmd_generate_key(fw_req *r);
int fw_cmd_sign(fw_req *r);
int fw_cmd_authorize(fw_req *r);
/* fw_keys.c: key types, mechanisms, signatures (the signing path: fw_keys.h). */
/** rsa 1/0 and *bits of key type SG_KEY_* t; -1 if the token does not make it. */
int fw_key_type(uint32_t t, unsigned *bits);
/** The one buffer a private key is written to in clear, from mbedTLS's
 * arena (NULL if it is full); fw_keys_scratch_free wipes and frees it. */
uint8_t *fw_keys_scratch(size_t *cap);
void fw_keys_scratch_free(uint8_t *p);

/* fw_skeys.c: session key pairs (CKA_TOKEN = FALSE) in RAM, never in flash,
 * FW_SESSION_KEYS of them (a board define, at most 8) of up to
 * FW_SESSION_KEY_BYTES of record each; owned by one channel. Handles are
 * FW_SKEY_BASE | serial << 3 | index, apart from the store's 1..32. */
#ifndef FW_SESSION_KEYS
#define FW_SESSION_KEYS 8
#endif
#ifndef FW_SESSION_KEY_BYTES /* an RSA-4096 record with every optional field */
#define FW_SESSION_KEY_BYTES (2464 + 600 + SG_MAX_ID + SG_MAX_LABEL + SG_MAX_HOST_ATTRS + 64)
#endif
#define FW_SKEY_BASE SG_HANDLE_SESSION
#define FW_SKEY_HANDLE(h) (((h) & FW_SKEY_BASE) != 0)
/** SESSION_KEY_DROP: the channel's own session key, in any login state (a
 * public half outlives LOGOUT); RAM only, not logged. */
int fw_cmd_session_key_drop(fw_req *r);
#if FW_SESSION_KEYS > 0
/** A free entry's handle-to-be for chan; FW_E_NO_SPACE when the table is full. */
int fw_skey_reserve(unsigned chan, unsigned *handle);
/** Stores a key record (fw_keys.c's layout) under the reserved handle. */
int fw_skey_commit(unsigned chan, unsigned handle, const uint8_t *rec, size_t len);
size_t fw_skey_capacity(void);
/** The record of chan's session key handle, if its private half exists. */
int fw_skey_load(unsigned chan, unsigned handle, const uint8_t **rec, size_t *len);
/** LIST entries of r's channel (flags carry SG_OBJ_SESSION). */
int fw_skey_list(fw_req *r);
int fw_skey_get(fw_req *r, unsigned handle);
/** DESTROY_OBJECT of one half (part) or the pair (part 0); not logged. */
int fw_skey_destroy(unsigned chan, unsigned handle, uint32_t part);
/** Logout: the private halves of chan's session keys are zeroized. */
void fw_skeys_logout(unsigned chan);
/** Zeroizes chan's session keys, or all (chan >= FW_MAX_CHANNELS). */
void fw_skeys_drop(unsigned chan);
unsigned fw_skeys_used(void);
#else
static inline int fw_skey_reserve(unsigned c, unsigned *h) { (void)c, (void)h; return FW_E_NO_SPACE; }
static inline int fw_skey_commit(unsigned c, unsigned h, const uint8_t *p, size_t l)
{
    (void)c, (void)h, (void)p, (void)l;
    return FW_E_NO_SPACE;
}
static inline size_t fw_skey_capacity(void) { return 0; }
static inline int fw_skey_load(unsigned c, unsigned h, const uint8_t **p, size_t *l)
{
    (void)c, (void)h, (void)p, (void)l;
    return FW_E_NO_OBJECT;
}
static inline int fw_skey_list(fw_req *r) { (void)r; return FW_OK; }
static inline int fw_skey_get(fw_req *r, unsigned h) { (void)r, (void)h; return FW_E_NO_OBJECT; }
static inline int fw_skey_destroy(unsigned c, unsigned h, uint32_t p) { (void)c, (void)h, (void)p; return FW_E_NO_OBJECT; }
static inline void fw_skeys_logout(unsigned c) { (void)c; }
static inline void fw_skeys_drop(unsigned c) { (void)c; }
static inline unsigned fw_skeys_used(void) { return 0; }
#endif

/* fw_escrow.c: an escrow record (docs/bundle.md). */
/** An escrow record's fields (record-only tags >= FW_T_PRIVKEY: GET_OBJECT never sends them). */
typedef struct {
    uint8_t key_type, wrap, usage, type, gen;
    uint64_t until;
    uint8_t ca_key_id[32], consent[32], key_id[32];
    const uint8_t *wrapped; /* in the store's buffer */
    size_t wrapped_len;
} fw_escrow_rec;
/** Reads escrow object h into e (wrapped points into the store's buffer). */
int fw_escrow_load(unsigned h, fw_escrow_rec *e);
/** FW_E_PROHIBITED while an escrow record's period runs. */
int fw_escrow_may_destroy(unsigned handle);
/* fw_cmd_escrow.c: key escrow under the CA's bundle. */
int fw_cmd_escrow_generate(fw_req *r);
int fw_cmd_escrow_deliver(fw_req *r);
int fw_cmd_escrow_recover(fw_req *r);

/* Signature schemes of the mechanisms. */
enum fw_scheme { FW_SIG_ECDSA = 0, FW_SIG_PKCS1 = 1, FW_SIG_PSS = 2 };

/** A signing request with a CA key, as fw_keys.c resolved it. */
typedef struct {
    unsigned key;            /**< key handle */
    uint32_t key_type;       /**< SG_KEY_* */
    uint8_t key_id[32];      /**< SHA-256 of the key's SubjectPublicKeyInfo */
    uint32_t mech;           /**< SG_MECH_* */
    uint8_t scheme;          /**< FW_SIG_* */
    int md;                  /**< HAL_MD_* of a hash-and-sign mechanism, else HAL_MD_NONE */
    int pss_md;              /**< PSS: HAL_MD_* of the parameters (message and MGF1), else HAL_MD_NONE */
    size_t pss_slen;
    const uint8_t *data;     /**< TBSCertificate (hash-and-sign) or digest / DigestInfo (raw) */
    size_t data_len;
    const uint8_t *evidence; /**< signed validation evidence (SG_T_EVIDENCE), or NULL */
    size_t evidence_len;
    uint8_t evidence_hash[32]; /**< for the decision and the log: the SHA-256 of the evidence, or of a batched
                                    evidence's record (pol_ev_log_hashes) */
    uint8_t batch_root[32];  /**< batched evidence: the root hash of the VA's tree holding the record; zeros
                                  otherwise (for the log entry's batch_root, docs/evidence.md) */
    uint8_t tbs_hash[32];    /**< CA key, hash-and-sign: SHA-256 of data, taken once for the log entry, the
                                  authorization and (SHA-256 mechanisms) the signature */
} fw_sign_req;

/* fw_keycache.c: loaded keys kept in the board's crypto engine, FW_KEY_CACHE
 * of them (a board define; 0: a key is loaded and freed per signature). */
#ifndef FW_KEY_CACHE
#define FW_KEY_CACHE 8
#endif
struct hal_key;
#if FW_KEY_CACHE > 0
/** The loaded key of handle (record fields pub, priv); give it back with fw_keycache_put. */
int fw_keycache_get(unsigned handle, uint32_t key_type, const uint8_t *pub, size_t pub_len, const uint8_t *priv,
                    size_t priv_len, struct hal_key **k);
static inline void fw_keycache_put(struct hal_key *k) { (void)k; /* stays loaded */ }
/** Frees the entry of handle (its slot changed). */
void fw_keycache_drop(unsigned handle);
/** Frees every entry (logout, INIT_TOKEN, boot). */
void fw_keycache_clear(void);
#else /* no cache: a key is loaded for its signature and freed right after */
int hal_crypto_key_load(uint32_t kt, const uint8_t *priv, size_t len, struct hal_key **k);
void hal_crypto_key_free(struct hal_key *k);
static inline int fw_keycache_get(unsigned handle, uint32_t key_type, const uint8_t *pub, size_t pub_len,
                                  const uint8_t *priv, size_t priv_len, struct hal_key **k)
{
    (void)handle, (void)pub, (void)pub_len;
    return hal_crypto_key_load(key_type, priv, priv_len, k) ? FW_E_CRYPTO : FW_OK;
}
static inline void fw_keycache_put(struct hal_key *k) { hal_crypto_key_free(k); }
static inline void fw_keycache_drop(unsigned handle) { (void)handle; }
static inline void fw_keycache_clear(void) {}
#endif
/** Entries loaded now; *hits and *loads since boot. */
unsigned fw_keycache_stats(uint32_t *hits, uint32_t *loads);

/* fw_evcache.c: the batch roots whose VA signature the token verified
 * (docs/evidence.md "Batched evidence"), in RAM only, FW_EV_ROOTS of them
 * (a board define), the oldest replaced first. */
#ifndef FW_EV_ROOTS
#define FW_EV_ROOTS 16
#endif
/** pol_ev_roots.seen: 1 if the SignedBatchRoot hashing to id is cached. */
int fw_evcache_seen(void *ctx, const uint8_t id[32]);
/** Remembers a root whose signature just verified. */
void fw_evcache_add(const uint8_t id[32]);
/** Forgets every root (reset, INIT_TOKEN). */
void fw_evcache_clear(void);
/** Signature verifications avoided and roots added since the last clear. */
void fw_evcache_stats(uint32_t *hits, uint32_t *added);

/* fw_authz.c: what a CA key may sign. A refusal (FW_E_POLICY) carries one
 * SG_T_REASON per finding; an acceptance sets *verdict to POL_ACCEPT. Both
 * read the store (the CA certificate): reload records afterwards. */
/** Inline: judges the TBSCertificate q->data against the key's CA binding. */
int fw_ca_judge(fw_req *r, const fw_sign_req *q, volatile uint32_t *verdict);
/** Raw digest: consumes this channel's authorization if q matches it exactly. */
int fw_authz_consume(fw_req *r, const fw_sign_req *q, volatile uint32_t *verdict);
/** Records an accepted TBS's authorization for the channel (replaces any). */
int fw_authz_grant(fw_req *r, const fw_sign_req *q, const uint8_t *digest, size_t hlen);
/** Forgets authorizations: of one channel, or all (chan >= FW_MAX_CHANNELS). */
void fw_authz_drop(unsigned chan);
/** Seconds an authorization lives (default SG_AUTHZ_WINDOW; the policy bundle sets it). */
void fw_authz_set_window(uint32_t seconds);
/** SHA-256 of the TBS behind the channel's last authorization (for the log). */
void fw_authz_tbs_hash(unsigned chan, uint8_t out[32]);
/** SHA-256 of the evidence it was judged with (zeros: none). */
void fw_authz_evidence_hash(unsigned chan, uint8_t out[32]);
/** The batch root of that evidence (zeros: none, or the single form). */
void fw_authz_batch_root(unsigned chan, uint8_t out[32]);

/* fw_cmd_link.c: link and board commands. */
int fw_cmd_hello(fw_req *r);
int fw_cmd_set_time(fw_req *r);
int fw_cmd_board_info(fw_req *r);

/* fw_merkle.c: RFC 9162 tree hashes. */
#define FW_LOG_MAX_HEIGHT 32 /**< tree sizes below 2^32 */
/** Frontier of a tree of `size` leaves: h[l] is the root of the perfect
 * subtree of 2^l leaves that bit l of size stands for. */
typedef struct {
    uint64_t size;
    uint8_t h[FW_LOG_MAX_HEIGHT][32];
} fw_frontier;
/** A tree whose leaves below base->size are known only through base. */
typedef struct {
    const fw_frontier *base;
    int (*leaf)(void *ctx, uint64_t i, uint8_t out[32]);
    void *ctx;
} fw_tree;
void fw_mk_leaf(const uint8_t *entry, size_t len, uint8_t out[32]);
void fw_mk_node(const uint8_t l[32], const uint8_t r[32], uint8_t out[32]);
int fw_frontier_push(fw_frontier *f, const uint8_t leaf[32]);
void fw_frontier_root(const fw_frontier *f, uint8_t out[32]);
/** MTH(D[a:b]); FW_E_LOG_PRUNED if it needs hashes inside the pruned prefix. */
int fw_mth(const fw_tree *t, uint64_t a, uint64_t b, uint8_t out[32]);
int fw_inclusion(const fw_tree *t, uint64_t i, uint64_t n, uint8_t (*proof)[32], size_t cap, size_t *len);
int fw_consistency(const fw_tree *t, uint64_t m, uint64_t n, uint8_t (*proof)[32], size_t cap, size_t *len);

/* fw_log.c: the enforcement log (docs/log.md). */
/** One event to log; NULL hashes are zeros. */
typedef struct {
    uint8_t event, key_type, flags;
    uint32_t mech;
    unsigned handle;
    uint64_t value;
    const uint8_t *key_id, *policy_hash, *tbs_hash, *evidence_hash, *cert_hash;
    const uint8_t *blocklist_hash; /**< NULL: the list in force (as policy_hash) */
    const uint8_t *batch_root;     /**< batched evidence: the VA tree's root (docs/evidence.md), else NULL */
    const fw_req *reasons; /**< take SG_T_REASON TLVs from this response, or NULL */
} fw_log_ev;
int fw_log_mount(void);
/** Creates the log (its key) if the token has none yet. */
int fw_log_create(void);
/** FW_OK if an entry of ev's class fits now (checked before costly work);
 * a miss begins a log-full episode (SG_LOG_EV_LOG_FULL). */
int fw_log_room(uint8_t event);
/** fw_log_room without the side effect (LOG_INFO's status). */
int fw_log_fits(uint8_t event);
/** At boot: a RESET entry when the board reports why it reset. */
void fw_log_boot(void);
/** Appends and commits one entry; FW_OK only once it is in flash. */
int fw_log_append(const fw_log_ev *ev);
/** Logs a refusal under the flood rule; never fails the refused command. */
void fw_log_refusal(const fw_log_ev *ev);
/** After every command: refusal summaries, batched checkpoints. */
void fw_log_idle(void);
/** SHA-256 of the Certificate DER that tbs, its own signature algorithm
 * and sig (ECDSA: DER ECDSA-Sig-Value) make. */
int fw_log_cert_hash(const uint8_t *tbs, size_t tbs_len, const uint8_t *sig, size_t sig_len, uint8_t out[32]);
int fw_cmd_log_info(fw_req *r);
int fw_cmd_log_read(fw_req *r);
int fw_cmd_log_checkpoint(fw_req *r);
int fw_cmd_log_pubkey(fw_req *r);
int fw_cmd_log_proof(fw_req *r);
int fw_cmd_log_ack(fw_req *r);

/* Record types of objects (= SG_CLASS_*). */
#define FW_REC_TYPE_KEY SG_CLASS_KEY
#define FW_REC_TYPE_CERT SG_CLASS_CERT
#define FW_REC_TYPE_DATA SG_CLASS_DATA
#define FW_REC_TYPE_ESCROW SG_CLASS_ESCROW

#endif
