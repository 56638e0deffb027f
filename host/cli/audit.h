/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file audit.h
 * @brief The auditor's side of the enforcement log: RFC 9162 Merkle tree,
 * C2SP tlog-tiles layout, C2SP signed-note / tlog-checkpoint, entry format.
 *
 * Written from the specifications and docs/log.md, independently of the
 * firmware's log code: this verifier shares no code with firmware/ on
 * purpose (an auditor must not trust the token's own implementation), so
 * its likeness to fw_log.c / fw_merkle.c is not duplication to factor out.
 * Functions return 0 on success, a negative AU_E_* code otherwise; the
 * verifier's messages name the failing entry or file.
 */
#ifndef AUDIT_H
#define AUDIT_H
#include <stddef.h>
#include <stdint.h>

#define AU_HASH_LEN 32u
/** Deepest proof for a tree of up to 2^64 leaves. */
#define AU_MAX_PROOF 64u
/** Tile height 8: 256 hashes per full tile. */
#define AU_TILE_WIDTH 256u
/** Pseudo level of entry bundles in au_tile_path(). */
#define AU_LEVEL_ENTRIES (-1)

enum au_error {
    AU_OK = 0,
    AU_E_ARGS = -1,   /**< index out of range, buffer too small */
    AU_E_PROOF = -2,  /**< proof does not verify */
    AU_E_FORMAT = -3, /**< malformed input */
    AU_E_SIG = -4,    /**< signature missing or invalid */
    AU_E_IO = -5,
    AU_E_NOMEM = -6,
};

/* --- RFC 9162 2.1 Merkle tree (audit_merkle.c) ------------------------------ */

/** SHA-256(0x00 || d). */
void au_leaf_hash(const uint8_t *d, size_t len, uint8_t out[AU_HASH_LEN]);
/** SHA-256(0x01 || l || r). */
void au_node_hash(const uint8_t l[AU_HASH_LEN], const uint8_t r[AU_HASH_LEN], uint8_t out[AU_HASH_LEN]);
/** MTH of n leaves given by their leaf hashes (n * 32 bytes); n = 0: SHA-256(""). */
void au_mth(const uint8_t *leaves, uint64_t n, uint8_t out[AU_HASH_LEN]);
/** PATH(m, D[n]) (RFC 9162 2.1.3.1) into proof (cap hashes); *count hashes. */
int au_inclusion_proof(const uint8_t *leaves, uint64_t n, uint64_t m, uint8_t *proof, size_t cap, size_t *count);
/** PROOF(m, D[n]) (RFC 9162 2.1.4.1), 0 < m <= n. */
int au_consistency_proof(const uint8_t *leaves, uint64_t n, uint64_t m, uint8_t *proof, size_t cap, size_t *count);
/** RFC 9162 2.1.3.2: AU_OK if leaf `index` of a tree of `size` has root `root`. */
int au_inclusion_verify(uint64_t index, uint64_t size, const uint8_t leaf[AU_HASH_LEN], const uint8_t *proof,
                        size_t count, const uint8_t root[AU_HASH_LEN]);
/** RFC 9162 2.1.4.2, with first = 0 and first = second handled as trivial cases. */
int au_consistency_verify(uint64_t first, uint64_t second, const uint8_t first_root[AU_HASH_LEN],
                          const uint8_t second_root[AU_HASH_LEN], const uint8_t *proof, size_t count);

/* --- C2SP tlog-tiles (audit_tiles.c) ---------------------------------------- */

/** One tile (or entry bundle) of a tree: width 1..256 (256: full). */
typedef struct {
    int level; /**< 0.., or AU_LEVEL_ENTRIES */
    uint64_t index;
    unsigned width;
} au_tile;

/** `x001/x234/067` form of a tile index. */
int au_tile_index(uint64_t n, char *out, size_t cap);
/** `tile/<L>/<N>[.p/<W>]` or `tile/entries/<N>[.p/<W>]` (no suffix when full). */
int au_tile_path(const au_tile *t, char *out, size_t cap);
/**
 * Hash tiles of a tree of `size` leaves, level by level, full tiles first then
 * the partial one. Fills at most cap entries of out (may be NULL) and returns
 * how many there are.
 */
size_t au_tiles_of(uint64_t size, au_tile *out, size_t cap);
/** The tile's hashes (width * 32 bytes) computed from all n leaf hashes. */
int au_tile_hashes(const uint8_t *leaves, uint64_t n, const au_tile *t, uint8_t *out);
/** Entry bundle: each entry as a big-endian uint16 length and its bytes. */
typedef struct {
    const uint8_t *p;
    size_t len;
} au_slice;
/** Splits a bundle into at most cap entries; *count found. AU_E_FORMAT if it
 * ends inside an entry (then *count is the number of whole entries). */
int au_bundle_parse(const uint8_t *b, size_t len, au_slice *out, size_t cap, size_t *count);

/* --- C2SP signed-note and tlog-checkpoint (audit_note.c) ------------------------ */

#define AU_MAX_ORIGIN 256u

/** A verifier key: name, key ID, and the P-256 public key (SPKI DER). */
typedef struct {
    char name[AU_MAX_ORIGIN]; /**< "" = take the checkpoint's origin */
    uint32_t id;              /**< valid if has_id */
    int has_id;
    uint8_t spki[160];
    size_t spki_len;
} au_vkey;

/** A parsed checkpoint. */
typedef struct {
    char origin[AU_MAX_ORIGIN];
    uint64_t size;
    uint8_t root[AU_HASH_LEN];
    size_t text_len; /**< note text: bytes [0, text_len) of the file */
    unsigned ext_lines;
    unsigned sigs;       /**< signature lines */
    unsigned sigs_known; /**< by the verifier key (name and ID) */
    uint32_t key_id;     /**< the ID the verified signature carried */
} au_checkpoint;

/** Key ID per signed-note for type 0x02: SHA-256(SPKI DER)[:4]. */
uint32_t au_keyid_spki(const uint8_t *spki, size_t len);
/** Key ID per signed-note's general rule: SHA-256(name || 0x0A || 0x02 || SPKI)[:4]. */
uint32_t au_keyid_named(const char *name, const uint8_t *spki, size_t len);
/**
 * Loads a verifier key: a PEM or DER SubjectPublicKeyInfo (P-256), or a
 * signed-note vkey line `name+hexid+base64(0x02 || SPKI)`.
 * err receives a message on failure.
 */
int au_vkey_load(const uint8_t *buf, size_t len, au_vkey *k, char *err, size_t errcap);
/** au_vkey_load of a file; 0, or -1 after cli_fail naming the file (audit_load.c). */
int au_vkey_load_file(const char *path, au_vkey *k);
/** `name+hexid+base64(0x02 || SPKI)` for key k (name and id must be set). */
int au_vkey_format(const au_vkey *k, char *out, size_t cap);
/**
 * Parses and verifies a checkpoint: note syntax, checkpoint text, then the
 * signature of key k (name: k->name or the origin; ID: k->id if has_id, else
 * au_keyid_spki() as signed-note requires for type 0x02 and docs/log.md
 * uses). Signatures of other keys are ignored; one by k that fails rejects
 * the note.
 */
int au_checkpoint_verify(const uint8_t *note, size_t len, const au_vkey *k, au_checkpoint *c, char *err, size_t errcap);

/* --- Log entries, format 1 (audit_entry.c, written from docs/log.md) ----------- */

#define AU_ENTRY_FORMAT 2u
#define AU_ENTRY_FIXED 259u /**< bytes before the first reason */
#define AU_ENTRY_MAX 704u   /**< largest entry the token writes */
#define AU_MAX_REASONS 12u
#define AU_MAX_CODE 64u

enum au_event {
    AU_EV_TOKEN_INIT = 0x01,
    AU_EV_KEY_GEN = 0x02,
    AU_EV_CA_BIND = 0x03,
    AU_EV_KEY_DESTROY = 0x04,
    AU_EV_CA_UNBIND = 0x05,
    AU_EV_RESET = 0x06,
    AU_EV_ISSUE_ACCEPTED = 0x10,
    AU_EV_ISSUE_REFUSED = 0x11,
    AU_EV_AUTHZ_ACCEPTED = 0x12,
    AU_EV_AUTHZ_REFUSED = 0x13,
    AU_EV_REFUSAL_SUMMARY = 0x14,
    AU_EV_POLICY_LOAD = 0x20,
    AU_EV_ESCROW = 0x21,
    AU_EV_DELIVERY = 0x22,
    AU_EV_RECOVERY = 0x23,
    AU_EV_ESCROW_REFUSED = 0x24,
    AU_EV_BLOCKLIST_LOAD = 0x25,
    AU_EV_PIN_LOCKOUT = 0x30,
    AU_EV_PIN_INIT = 0x31,
    AU_EV_PIN_CHANGE = 0x32,
    AU_EV_LOG_EXPORT = 0x40,
    AU_EV_LOG_ACK = 0x41,
    AU_EV_LOG_FULL = 0x42,
    AU_EV_SET_TIME = 0x50,
};
#define AU_F_PREAUTHORIZED 0x01u
#define AU_F_REASONS_TRUNCATED 0x02u

typedef struct {
    uint32_t count;
    const uint8_t *code;
    size_t len;
} au_reason;

/** A parsed entry; hashes point into the entry's bytes. */
typedef struct {
    uint8_t format, event, key_type, flags;
    uint64_t seq, time, value;
    uint32_t mech;
    uint16_t handle;
    const uint8_t *key_id, *policy_hash, *tbs_hash, *evidence_hash, *cert_hash;
    const uint8_t *blocklist_hash, *batch_root; /* format 2 */
    unsigned n_reasons;
    au_reason reasons[AU_MAX_REASONS];
} au_entry;

/** Event name ("issue-accepted", ...) or NULL if unknown. */
const char *au_event_name(unsigned ev);
/**
 * Parses entry `index` and checks its format: version, known event, lengths,
 * seq = index, reason codes, the fields docs/log.md says are zeros for the
 * event. err names the field on failure.
 */
int au_entry_parse(const uint8_t *p, size_t len, uint64_t index, au_entry *e, char *err, size_t cap);

/** Counts for the verifier's summary. */
typedef struct {
    uint64_t entries, by_event[256];
    uint64_t accepted, preauthorized, refused_requests, folded;
    uint64_t policy_loads, escrow_events;
    uint64_t first_time, last_time, min_time, max_time;
    struct au_code_count {
        char code[AU_MAX_CODE + 1];
        uint64_t count;
    } * codes;
    size_t n_codes, cap_codes;
} au_summary;

void au_summary_init(au_summary *s);
void au_summary_free(au_summary *s);
int au_summary_add(au_summary *s, const au_entry *e);
/** Text (indented lines) or a JSON object. */
void au_summary_print(const au_summary *s, int json);
/** Prints s as a JSON string (quotes, backslashes and controls escaped). */
/** Token time as YYYY-MM-DDTHH:MM:SSZ (decimal seconds if out of range). */
const char *au_time_iso(uint64_t t, char *buf, size_t cap);

/* --- An exported log directory (audit_load.c, audit_verify.c) ------------------------ */

/** Where a failure is: entry index (or -1) and file (or ""). */
typedef struct {
    char msg[768];
    int64_t entry;
    char file[128];
} au_failure;

/** A tiles directory read into memory. */
typedef struct {
    char dir[4096];
    uint8_t *cp_raw; /**< the checkpoint file */
    size_t cp_len;
    au_checkpoint cp;
    uint64_t n; /**< entries read (= cp.size once loaded) */
    au_slice *entries;
    uint8_t *leaves; /**< n leaf hashes */
    uint8_t **bufs;  /**< bundle file buffers */
    size_t nbufs;
} au_log;

/** Reads DIR/checkpoint and verifies it with k. */
int au_log_checkpoint(au_log *l, const char *dir, const au_vkey *k, au_failure *f);
/** Reads the entry bundles the checkpoint's tree needs; leaf hashes. */
int au_log_entries(au_log *l, au_failure *f);
/** Reads the level-0 hash tiles instead (no entries): leaf hashes only. */
int au_log_leaves_from_tiles(au_log *l, au_failure *f);
void au_log_free(au_log *l);
/** Reads a file below dir (rel may be NULL: dir is the file). NULL if absent. */
uint8_t *au_read(const char *dir, const char *rel, size_t *len, size_t max);
/** Sets f (message, entry or -1, file or NULL) and returns 1 (audit_load.c). */
int au_failf(au_failure *f, int64_t entry, const char *file, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/** One hash tile of l, read and length-checked (a full tile of which the
 * caller reads t->width hashes is accepted); the path read in path. */
uint8_t *au_read_tile(const au_log *l, const au_tile *t, char *path, size_t pcap, au_failure *f);

/**
 * SHA-256 of a DER Certificate and of its tbsCertificate (the first element);
 * -1 if der is not a SEQUENCE holding a SEQUENCE, with nothing after it.
 */
int au_cert_hashes(const uint8_t *der, size_t len, uint8_t cert[AU_HASH_LEN], uint8_t tbs[AU_HASH_LEN]);

/** audit verify: options. */
typedef struct {
    const char *dir, *since, *certs;
    au_vkey key;
    int json;
    uint64_t max_gap; /**< 0: AU_DEFAULT_MAX_GAP */
} au_verify_opts;
/** "3600", "90m", "36h", "7d" to seconds (> 0); 0 on success. */
int au_parse_gap(const char *s, uint64_t *out);
/** Prints the report; returns 0 if everything verified, 1 otherwise. */
int au_verify(const au_verify_opts *o);
/** Most exports (tokens' logs) one `audit verify` run takes. */
#define AU_MAX_EXPORTS 8
/** Several exports, each verified on its own (a section each), then one
 * line for all; 1 if any failed. */
int au_verify_many(const au_verify_opts *o, size_t n);

/** How far a verification got: each stage passed implies the ones before. */
enum au_stage { AU_STAGE_NONE, AU_STAGE_CHECKPOINT, AU_STAGE_ENTRIES, AU_STAGE_TILES, AU_STAGE_CERTS };

/** The outcome of au_verify_run: what `audit verify` and `audit report` print. */
typedef struct {
    au_log log;
    au_entry *parsed; /**< log.n parsed entries once AU_STAGE_ENTRIES */
    au_summary sum;
    au_failure f;
    int failed;
    int stage; /**< enum au_stage */
    unsigned tiles;
    uint64_t since_size;
    au_checkpoint old;
    size_t since_proof;
    int since_done;
    size_t ncerts;
    struct au_cert_match {
        char file[256];
        uint8_t hash[32];
        int64_t entry;
    } * certs;
} au_vres;
/** Every check of audit verify, printing nothing; 0 if all verified, 1 (v->f says why). */
int au_verify_run(const au_verify_opts *o, au_vres *v);
void au_vres_free(au_vres *v);
/** Index of the accepted-issuance entry of a certificate (by cert hash, or by TBS
 * hash for a pre-authorized one), or -1. */
int64_t au_cert_find(const au_entry *parsed, uint64_t n, const uint8_t cert[AU_HASH_LEN], const uint8_t tbs[AU_HASH_LEN]);
/** Default largest quiet time between two entries before audit verify flags a gap. */
#define AU_DEFAULT_MAX_GAP (7u * 86400u)
/** 1 if entry i is a clock finding (kind "clock-set-backwards",
 * "time-went-backwards", or "time-gap": more than max_gap seconds after the
 * entry before it; from = the clock before); parsed holds entries 0..i. */
int au_clock_finding(const au_entry *parsed, uint64_t i, uint64_t max_gap, uint64_t *from, const char **kind);

#endif
