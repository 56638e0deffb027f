/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Token metadata (slot 0): serial, label, PIN hashes, retry counters, epoch.
 * A retry counter is decremented and committed before a PIN is compared, so
 * cutting power during a guess never yields a free retry.
 */
#include <string.h>
#include "fw.h"
#include "fw_pbkdf2.h"
#include "sbrguard/hal.h"
#include "sbrguard/tlv.h"

#define PIN_HASH_LEN 32
#define PIN_SALT_LEN 16
#define PIN_ITERATIONS 1000
/* Record-only tags of the metadata record. */
#define T_SO_HASH 0x41
#define T_USER_HASH 0x42
#define T_SO_SALT 0x43
#define T_USER_SALT 0x44
#define T_POLICY_KEY 0x45 /* SO's policy-signing key (SPKI), kept in flash only */
#define T_ESCROW_KEK 0x46 /* AES-256 escrow key-encryption key, never exported */

typedef struct {
    char serial[SG_SERIAL_LEN];
    uint8_t label[SG_MAX_LABEL];
    size_t label_len;
    uint32_t flags; /* SG_TF_INITIALIZED | SG_TF_USER_PIN_SET */
    uint8_t so_tries, user_tries;
    uint32_t epoch;
    uint8_t so_hash[PIN_HASH_LEN], user_hash[PIN_HASH_LEN];
    uint8_t so_salt[PIN_SALT_LEN], user_salt[PIN_SALT_LEN];
    uint16_t policy_key_len; /* 0: none; the key itself is re-read from flash */
    uint8_t has_kek;
    uint8_t escrow_kek[32];
} token_meta;

static token_meta meta;
static uint8_t login[FW_MAX_CHANNELS];

/* Writes the metadata record. The policy key is new_key if given, else the
 * one in the current record, carried over in place (the store reads into
 * its compose buffer): no RAM copy of it. */
static int meta_save_key(const uint8_t *new_key, size_t new_len)
{
    size_t cap, off = 0;
    uint8_t *b = fw_store_compose(&cap), n[4];
    int bad = 0;
    if (new_key) {
        bad |= fw_tlv_append(b, cap, &off, T_POLICY_KEY, new_key, new_len);
    } else if (meta.policy_key_len) {
        const uint8_t *old, *v;
        size_t ol, vo = 0, vl = 0;
        uint8_t t = 0;
        if (fw_store_read(0, &old, &ol) || old != b)
            return FW_E_CORRUPT;
        int found = 0;
        while (!found && fw_tlv_next(old, ol, &vo, &t, &v, &vl) == 1)
            found = t == T_POLICY_KEY;
        if (!found || vl != meta.policy_key_len)
            return FW_E_CORRUPT;
        memmove(b, v - 3, vl + 3);
        off = vl + 3;
    }
    if (meta.has_kek)
        bad |= fw_tlv_append(b, cap, &off, T_ESCROW_KEK, meta.escrow_kek, sizeof meta.escrow_kek);
    bad |= fw_tlv_append(b, cap, &off, SG_T_SERIAL, meta.serial, SG_SERIAL_LEN);
    bad |= fw_tlv_append(b, cap, &off, SG_T_LABEL, meta.label, meta.label_len);
    sg_be_put(n, meta.flags, 4);
    bad |= fw_tlv_append(b, cap, &off, SG_T_TOKEN_FLAGS, n, 4);
    bad |= fw_tlv_append(b, cap, &off, SG_T_SO_TRIES, &meta.so_tries, 1);
    bad |= fw_tlv_append(b, cap, &off, SG_T_USER_TRIES, &meta.user_tries, 1);
    bad |= fw_tlv_append(b, cap, &off, T_SO_HASH, meta.so_hash, PIN_HASH_LEN);
    bad |= fw_tlv_append(b, cap, &off, T_USER_HASH, meta.user_hash, PIN_HASH_LEN);
    bad |= fw_tlv_append(b, cap, &off, T_SO_SALT, meta.so_salt, PIN_SALT_LEN);
    bad |= fw_tlv_append(b, cap, &off, T_USER_SALT, meta.user_salt, PIN_SALT_LEN);
    return bad ? FW_E_INTERNAL : fw_store_commit(0, FW_REC_TYPE_META, meta.epoch, off);
}

static int meta_save(void) { return meta_save_key(NULL, 0); }

/* Length of an optional field, 0 if absent. */
static size_t field_len(const uint8_t *b, size_t len, uint8_t tag)
{
    size_t off = 0, vl;
    uint8_t t;
    const uint8_t *v;
    while (fw_tlv_next(b, len, &off, &t, &v, &vl) == 1)
        if (t == tag)
            return vl;
    return 0;
}

static int field(const uint8_t *b, size_t len, uint8_t tag, void *out, size_t want)
{
    size_t off = 0, vl;
    uint8_t t;
    const uint8_t *v;
    while (fw_tlv_next(b, len, &off, &t, &v, &vl) == 1)
        if (t == tag) {
            if (vl > want)
                return FW_E_CORRUPT;
            memcpy(out, v, vl);
            return (int)vl;
        }
    return FW_E_CORRUPT;
}

/* A blank token (first boot) gets a random serial. */
static int meta_create(void)
{
    static const char hex[] = "0123456789ABCDEF";
    uint8_t rnd[SG_SERIAL_LEN / 2];
    memset(&meta, 0, sizeof meta);
    if (hal_rng_fill(rnd, sizeof rnd))
        return FW_E_CRYPTO;
    for (size_t i = 0; i < sizeof rnd; i++) {
        meta.serial[2 * i] = hex[rnd[i] >> 4];
        meta.serial[2 * i + 1] = hex[rnd[i] & 15];
    }
    meta.so_tries = SG_SO_MAX_TRIES;
    meta.user_tries = SG_USER_MAX_TRIES;
    return meta_save();
}

int fw_token_mount(void)
{
    const uint8_t *b;
    size_t len;
    uint8_t n[4];
    int rc;
    if (fw_store_type(0, &meta.epoch) != FW_REC_TYPE_META) {
        if ((rc = meta_create()))
            return rc;
    } else {
        if ((rc = fw_store_read(0, &b, &len)))
            return rc;
        if (field(b, len, SG_T_SERIAL, meta.serial, SG_SERIAL_LEN) != SG_SERIAL_LEN ||
            (rc = field(b, len, SG_T_LABEL, meta.label, SG_MAX_LABEL)) < 0 ||
            field(b, len, SG_T_TOKEN_FLAGS, n, 4) != 4 ||
            field(b, len, SG_T_SO_TRIES, &meta.so_tries, 1) != 1 ||
            field(b, len, SG_T_USER_TRIES, &meta.user_tries, 1) != 1 ||
            field(b, len, T_SO_HASH, meta.so_hash, PIN_HASH_LEN) != PIN_HASH_LEN ||
            field(b, len, T_USER_HASH, meta.user_hash, PIN_HASH_LEN) != PIN_HASH_LEN ||
            field(b, len, T_SO_SALT, meta.so_salt, PIN_SALT_LEN) != PIN_SALT_LEN ||
            field(b, len, T_USER_SALT, meta.user_salt, PIN_SALT_LEN) != PIN_SALT_LEN)
            return FW_E_CORRUPT;
        meta.label_len = (size_t)rc;
        meta.flags = (uint32_t)sg_be_get(n, 4);
        meta.policy_key_len = (uint16_t)field_len(b, len, T_POLICY_KEY);
        meta.has_kek = field(b, len, T_ESCROW_KEK, meta.escrow_kek, sizeof meta.escrow_kek) == 32;
        fw_store_wipe(); /* the KEK was in the buffer */
    }
    return fw_rng_init((const uint8_t *)meta.serial, SG_SERIAL_LEN);
}

uint32_t fw_token_epoch(void) { return meta.epoch; }
const char *fw_token_serial(void) { return meta.serial; }
int fw_token_initialized(void) { return (meta.flags & SG_TF_INITIALIZED) != 0; }
int fw_login_state(unsigned chan) { return chan < FW_MAX_CHANNELS ? login[chan] : SG_LOGIN_NONE; }
void fw_token_set_login(unsigned chan, uint8_t state)
{
    if (chan < FW_MAX_CHANNELS)
        login[chan] = state;
}
uint32_t fw_token_flags(void) { return meta.flags; }
unsigned fw_token_tries(int so) { return so ? meta.so_tries : meta.user_tries; }
int fw_token_save(void) { return meta_save(); }

static int pin_hash(const uint8_t *pin, size_t len, const uint8_t salt[PIN_SALT_LEN],
                    uint8_t out[PIN_HASH_LEN])
{
    return fw_pbkdf2_sha256(pin, len, salt, PIN_SALT_LEN, PIN_ITERATIONS, out, PIN_HASH_LEN);
}

int fw_token_pin_set(int so, const uint8_t *pin, size_t len)
{
    uint8_t *salt = so ? meta.so_salt : meta.user_salt;
    if (fw_rng(NULL, salt, PIN_SALT_LEN))
        return FW_E_CRYPTO;
    return pin_hash(pin, len, salt, so ? meta.so_hash : meta.user_hash);
}

/* Checks a PIN against the stored hash. The decremented counter is
 * committed first; the caller commits the reset on success. */
int fw_token_pin_check(int so, const uint8_t *pin, size_t len)
{
    uint8_t *tries = so ? &meta.so_tries : &meta.user_tries, h[PIN_HASH_LEN], diff = 0;
    const uint8_t *want = so ? meta.so_hash : meta.user_hash;
    int rc;
    if (*tries == 0)
        return FW_E_PIN_LOCKED;
    (*tries)--;
    if ((rc = meta_save()))
        return rc;
    if ((rc = pin_hash(pin, len, so ? meta.so_salt : meta.user_salt, h)))
        return rc;
    for (size_t i = 0; i < PIN_HASH_LEN; i++)
        diff |= h[i] ^ want[i];
    fw_zeroize(h, sizeof h);
    if (diff)
        return FW_E_PIN_INCORRECT;
    *tries = so ? SG_SO_MAX_TRIES : SG_USER_MAX_TRIES;
    return FW_OK;
}

int fw_token_policy_key(const uint8_t **spki, size_t *len)
{
    const uint8_t *b;
    size_t bl, off = 0, vl;
    uint8_t t;
    if (!meta.policy_key_len)
        return FW_E_NO_POLICY_KEY;
    if (fw_store_read(0, &b, &bl))
        return FW_E_CORRUPT;
    while (fw_tlv_next(b, bl, &off, &t, spki, &vl) == 1)
        if (t == T_POLICY_KEY) {
            *len = vl;
            return FW_OK;
        }
    return FW_E_CORRUPT;
}

int fw_token_escrow_kek(uint8_t kek[32])
{
    if (!meta.has_kek) {
        int rc;
        if (fw_rng(NULL, meta.escrow_kek, sizeof meta.escrow_kek))
            return FW_E_CRYPTO;
        meta.has_kek = 1;
        if ((rc = meta_save())) {
            fw_zeroize(meta.escrow_kek, sizeof meta.escrow_kek);
            meta.has_kek = 0;
            return rc;
        }
    }
    memcpy(kek, meta.escrow_kek, 32);
    return FW_OK;
}


/* INIT_PIN: the user's PIN set, its counter full, committed. */
int fw_token_init_user_pin(const uint8_t *pin, size_t len)
{
    int rc;
    if ((rc = fw_token_pin_set(0, pin, len)))
        return rc;
    meta.flags |= SG_TF_USER_PIN_SET;
    meta.user_tries = SG_USER_MAX_TRIES;
    return meta_save();
}

/* INIT_TOKEN's new metadata, after its TOKEN_INIT entry: a new epoch, the
 * SO's PIN hash already set, the user's cleared. */
int fw_token_reinit(const uint8_t *label, size_t label_len, const uint8_t *pkey, size_t pkey_len)
{
    int rc;
    /* One commit switches to the new epoch: every older object is gone at
     * once, even if the wipe below is cut short (it resumes at boot). */
    meta.epoch++;
    meta.flags = SG_TF_INITIALIZED;
    meta.so_tries = SG_SO_MAX_TRIES;
    meta.user_tries = SG_USER_MAX_TRIES;
    memset(meta.user_hash, 0, sizeof meta.user_hash);
    if (label_len)
        memcpy(meta.label, label, label_len);
    meta.label_len = label_len;
    /* A new epoch, a new escrow KEK and the policy key given (or none): the
     * old bundle belongs to the old epoch and is no longer read. */
    meta.policy_key_len = (uint16_t)pkey_len;
    if (fw_rng(NULL, meta.escrow_kek, sizeof meta.escrow_kek))
        return FW_E_CRYPTO;
    meta.has_kek = 1;
    if ((rc = meta_save_key(pkey_len ? pkey : NULL, pkey_len)))
        return rc;
    return FW_OK;
}

int fw_token_put_info(fw_req *r)
{
    uint32_t fl = meta.flags;
    if (meta.user_tries == 0)
        fl |= SG_TF_USER_LOCKED;
    if (meta.so_tries == 0)
        fl |= SG_TF_SO_LOCKED;
    uint8_t ver[2] = { FW_VERSION_MAJOR, FW_VERSION_MINOR };
    int bad = fw_put(r, SG_T_FW_VERSION, ver, 2) | fw_put(r, SG_T_SERIAL, meta.serial, SG_SERIAL_LEN) |
              fw_put(r, SG_T_LABEL, meta.label, meta.label_len) | fw_put_u(r, SG_T_TOKEN_FLAGS, fl, 4) |
              fw_put_u(r, SG_T_USER_TRIES, meta.user_tries, 1) | fw_put_u(r, SG_T_SO_TRIES, meta.so_tries, 1);
    return bad ? FW_E_INTERNAL : FW_OK;
}
