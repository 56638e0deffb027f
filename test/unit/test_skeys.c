/* SPDX-License-Identifier: Apache-2.0 */
/* Session key pairs (SG_OBJ_SESSION, PKCS#11 CKA_TOKEN = FALSE) through real
 * frames: generated, logged, signing like token keys, seen only by their
 * channel, zeroized on close, logout, HELLO, re-init and reset, never in
 * flash (the store's bytes do not change, the public key appears nowhere in
 * flash, a power cut at each flash write leaves no key), never CA keys. */
#include "check.h"
#include "harness.h"
#include "sigcheck.h"
#include "ca_cert.h"

#define SO "so-pin-1"
#define PIN "user-1234"

static uint8_t snap[SIM_FLASH_SIZE];

static th_resp skeygen(unsigned chan, int type, uint32_t flags)
{
    th_begin();
    th_put_u(SG_T_KEY_TYPE, (uint64_t)type, 1);
    th_put_s(SG_T_LABEL, "sess");
    th_put_s(SG_T_ID, "\x42");
    th_put_u(SG_T_FLAGS, SG_OBJ_SESSION | flags, 4);
    return th_send(chan, SG_CMD_GENERATE_KEY);
}

static uint8_t get(unsigned chan, unsigned h, th_resp *out)
{
    th_begin();
    th_put_u(SG_T_HANDLE, h, 2);
    th_resp r = th_send(chan, SG_CMD_GET_OBJECT);
    if (out)
        *out = r;
    return r.status;
}

static uint8_t destroy_cmd(unsigned chan, unsigned h, uint32_t part, uint8_t cmd)
{
    th_begin();
    th_put_u(SG_T_HANDLE, h, 2);
    if (part)
        th_put_u(SG_T_KEY_PART, part, 1);
    return th_send(chan, cmd).status;
}
static uint8_t destroy(unsigned chan, unsigned h, uint32_t part)
{
    return destroy_cmd(chan, h, part, SG_CMD_DESTROY_OBJECT);
}
static uint8_t drop(unsigned chan, unsigned h, uint32_t part)
{
    return destroy_cmd(chan, h, part, SG_CMD_SESSION_KEY_DROP);
}

/* Flags of h in chan's LIST, or -1 if it is not listed. */
static long listed(unsigned chan, unsigned h)
{
    th_begin();
    th_resp r = th_send(chan, SG_CMD_LIST);
    size_t off = 0, vl;
    uint8_t t;
    const uint8_t *v;
    while (sg_tlv_next(r.p, r.len, &off, &t, &v, &vl) == 1)
        if (t == SG_T_LIST_ENTRY && vl == 7 && sg_be_get(v, 2) == h)
            return (long)sg_be_get(v + 3, 4);
    return -1;
}

static int sign_ok(unsigned chan, unsigned h, const uint8_t *pub, size_t pl)
{
    static const uint8_t msg[] = "signed by a session key";
    size_t sl = 0;
    th_resp r = th_sign(chan, h, SG_MECH_ECDSA_SHA256, msg, sizeof msg);
    const uint8_t *s = th_get(r, SG_T_SIGNATURE, &sl);
    return r.status == SG_ST_OK && s && sig_verify_msg(pub, pl, MBEDTLS_MD_SHA256, msg, sizeof msg, s, sl, -1);
}

static int contains(const uint8_t *hay, size_t n, const uint8_t *needle, size_t m)
{
    for (size_t i = 0; i + m <= n; i++)
        if (hay[i] == needle[0] && !memcmp(hay + i, needle, m))
            return 1;
    return 0;
}

/* The last log entry: its event, handle and value. */
static int last_entry(uint8_t *event, unsigned *handle, uint64_t *value)
{
    th_begin();
    th_resp r = th_send(0, SG_CMD_LOG_INFO);
    uint64_t n = th_get_u(r, SG_T_LOG_SIZE);
    if (r.status || n == 0 || n == 0xFFFFFFFFFFFFFFFFull)
        return -1;
    th_begin();
    th_put_u(SG_T_LOG_INDEX, n - 1, 8);
    r = th_send(0, SG_CMD_LOG_READ);
    size_t l = 0;
    const uint8_t *e = th_get(r, SG_T_LOG_ENTRY, &l);
    if (!e || l < 34)
        return -1;
    *event = e[1];
    *handle = (unsigned)sg_be_get(e + 22, 2);
    *value = sg_be_get(e + 26, 8);
    return 0;
}

static void generate_and_sign(void)
{
    static uint8_t pub[700];
    size_t pl = 0;
    uint8_t ev = 0;
    unsigned lh = 0;
    uint64_t val = 0;
    memcpy(snap, th_flash, sizeof snap);
    sim_flash_cut_at(0);
    th_resp r = skeygen(0, SG_KEY_EC_P256, 0);
    unsigned long ops = sim_flash_ops();
    unsigned h = (unsigned)th_get_u(r, SG_T_HANDLE);
    const uint8_t *p = th_get(r, SG_T_PUBKEY, &pl);
    CHECK(r.status == SG_ST_OK && p && pl <= sizeof pub && FW_SKEY_HANDLE(h), "session P-256 key generated (handle 0x%x)", h);
    if (!p || pl > sizeof pub)
        return;
    memcpy(pub, p, pl);
    CHECK(!memcmp(snap, th_flash, fw_store_end()), "no store slot written: the session key is not in flash");
    CHECK(!contains(th_flash, sizeof th_flash, pub, pl), "its public key appears nowhere in flash");
    CHECK(ops > 0, "the only flash writes (%lu) are its log entry", ops);
    CHECK(last_entry(&ev, &lh, &val) == 0 && ev == SG_LOG_EV_KEY_GEN && lh == h && (val & SG_OBJ_SESSION) &&
              !(val & SG_OBJ_CA),
          "generation logged as KEY_GEN with SG_OBJ_SESSION in its value");
    CHECK(listed(0, h) == SG_OBJ_SESSION, "LIST shows it to its channel with SG_OBJ_SESSION");
    CHECK(listed(1, h) == -1, "another channel does not see it in LIST");
    th_resp g;
    size_t gl = 0;
    CHECK(get(0, h, &g) == SG_ST_OK && th_get_u(g, SG_T_CLASS) == SG_CLASS_KEY && th_get(g, SG_T_PUBKEY, &gl) &&
              gl == pl && th_get_u(g, SG_T_FLAGS) == SG_OBJ_SESSION && !th_get(g, FW_T_PRIVKEY, &gl),
          "GET_OBJECT gives its public fields and flags, never the private key");
    CHECK(get(1, h, NULL) == SG_ST_NO_OBJECT, "GET_OBJECT from another channel: NO_OBJECT");
    memcpy(snap, th_flash, sizeof snap);
    CHECK(sign_ok(0, h, pub, pl), "it signs; the signature verifies");
    CHECK(sign_ok(0, h, pub, pl), "and again (from the loaded key)");
    CHECK(!memcmp(snap, th_flash, sizeof snap), "signing with it writes nothing to flash (not a CA key: not logged)");
    th_login(1, SG_USER_USER, PIN);
    CHECK(th_sign(1, h, SG_MECH_ECDSA_SHA256, "x", 1).status == SG_ST_NO_OBJECT, "another channel cannot sign with it");
    th_begin();
    th_send(1, SG_CMD_LOGOUT);
    CHECK(destroy(1, h, 0) == SG_ST_NOT_LOGGED_IN || destroy(1, h, 0) == SG_ST_NO_OBJECT,
          "another channel cannot destroy it");
    memcpy(snap, th_flash, sizeof snap);
    CHECK(destroy(0, h, SG_PART_PUBLIC) == SG_ST_OK && listed(0, h) == (SG_OBJ_SESSION | SG_OBJ_PUB_GONE),
          "its public half destroyed alone: PUB_GONE");
    CHECK(sign_ok(0, h, pub, pl), "the private half still signs");
    CHECK(destroy(0, h, SG_PART_PUBLIC) == SG_ST_NO_OBJECT, "the public half twice: NO_OBJECT");
    CHECK(destroy(0, h, SG_PART_PRIVATE) == SG_ST_OK && listed(0, h) == -1, "the second half takes the entry");
    CHECK(!memcmp(snap, th_flash, sizeof snap), "destroying it writes nothing to flash");
    CHECK(th_sign(0, h, SG_MECH_ECDSA_SHA256, "x", 1).status == SG_ST_NO_OBJECT, "a destroyed session key: NO_OBJECT");
    r = skeygen(0, SG_KEY_EC_P256, 0);
    CHECK(r.status == SG_ST_OK && th_get_u(r, SG_T_HANDLE) != h, "a new session key gets a new handle, not the old one");
    destroy(0, (unsigned)th_get_u(r, SG_T_HANDLE), 0);
}

static void every_type(void)
{
    static const int types[] = { SG_KEY_EC_P384, SG_KEY_EC_P521, SG_KEY_RSA_2048 };
    for (size_t i = 0; i < sizeof types / sizeof *types; i++) {
        th_resp r = skeygen(0, types[i], 0);
        unsigned h = (unsigned)th_get_u(r, SG_T_HANDLE);
        uint32_t mech = types[i] == SG_KEY_RSA_2048 ? SG_MECH_SHA256_RSA_PKCS : SG_MECH_ECDSA_SHA256;
        CHECK(r.status == SG_ST_OK && th_sign(0, h, mech, "m", 1).status == SG_ST_OK &&
                  destroy(0, h, 0) == SG_ST_OK,
              "session key type %d: generated, signs, destroyed", types[i]);
    }
}

static void lifetimes(void)
{
    th_resp r = skeygen(0, SG_KEY_EC_P256, 0);
    unsigned h = (unsigned)th_get_u(r, SG_T_HANDLE);
    th_begin();
    th_send(0, SG_CMD_LOGOUT);
    CHECK(listed(0, h) == (SG_OBJ_SESSION | SG_OBJ_PRIV_GONE), "logout zeroizes the private half; the public key stays");
    th_login(0, SG_USER_USER, PIN);
    CHECK(th_sign(0, h, SG_MECH_ECDSA_SHA256, "x", 1).status == SG_ST_NO_OBJECT, "no signature after a new login");
    fw_channel_closed(0);
    CHECK(listed(0, h) == -1 && fw_skeys_used() == 0, "channel closed: the session key is gone");

    /* SESSION_KEY_DROP: the public half left by a logout goes without a login. */
    th_login(0, SG_USER_USER, PIN);
    r = skeygen(0, SG_KEY_EC_P256, 0);
    h = (unsigned)th_get_u(r, SG_T_HANDLE);
    th_begin();
    th_send(0, SG_CMD_LOGOUT);
    memcpy(snap, th_flash, sizeof snap);
    CHECK(destroy(0, h, 0) == SG_ST_NOT_LOGGED_IN, "after logout DESTROY_OBJECT needs the user");
    CHECK(drop(1, h, 0) == SG_ST_NO_OBJECT && drop(0, 5, 0) == SG_ST_NO_OBJECT && drop(0, h, 3) == SG_ST_ARGS,
          "SESSION_KEY_DROP: another channel's key, a token handle: NO_OBJECT; bad KEY_PART: ARGS");
    CHECK(drop(0, h, SG_PART_PRIVATE) == SG_ST_NO_OBJECT, "SESSION_KEY_DROP of the private half already gone: NO_OBJECT");
    CHECK(drop(0, h, 0) == SG_ST_OK && fw_skeys_used() == 0 && !memcmp(snap, th_flash, sizeof snap),
          "SESSION_KEY_DROP without a login frees the entry; flash untouched");
    th_begin();
    th_put_u(SG_T_HANDLE, h, 2);
    CHECK(th_send(0, SG_CMD_GET_OBJECT).status == SG_ST_NO_OBJECT, "it is gone");

    th_login(0, SG_USER_USER, PIN);
    skeygen(0, SG_KEY_EC_P256, 0);
    th_begin();
    th_put_s(SG_T_NONCE, "n");
    th_send(0, SG_CMD_HELLO);
    CHECK(fw_skeys_used() == 0, "HELLO (a new host on the link) drops the session keys");

    th_login(0, SG_USER_USER, PIN);
    skeygen(0, SG_KEY_EC_P256, 0);
    CHECK(th_boot() == FW_OK && fw_skeys_used() == 0, "a reset drops the session keys");

    th_login(0, SG_USER_USER, PIN);
    skeygen(0, SG_KEY_EC_P256, 0);
    th_login(1, SG_USER_USER, PIN);
    skeygen(1, SG_KEY_EC_P256, 0);
    th_begin();
    th_send(0, SG_CMD_LOGOUT);
    CHECK(fw_skeys_used() == 2, "logout of one channel leaves the other channel's key whole");
    th_begin();
    th_send(1, SG_CMD_LOGOUT);
    CHECK(th_init_token(SO, "unit") == SG_ST_OK && fw_skeys_used() == 0, "re-initialization drops every session key");
    CHECK(th_init_pin(SO, PIN) == SG_ST_OK, "user PIN set again");
}

static void bad_input(void)
{
    th_login(0, SG_USER_USER, PIN);
    CHECK(skeygen(0, SG_KEY_EC_P256, SG_OBJ_CA).status == SG_ST_PROHIBITED && fw_skeys_used() == 0,
          "a session key with SG_OBJ_CA: PROHIBITED, nothing made");
    CHECK(skeygen(0, 99, 0).status == SG_ST_KEY_TYPE, "unknown key type: KEY_TYPE");
    CHECK(skeygen(0, SG_KEY_EC_P256, 0x40).status == SG_ST_ARGS, "unknown flag: ARGS");
    th_begin();
    th_send(0, SG_CMD_LOGOUT);
    CHECK(skeygen(0, SG_KEY_EC_P256, 0).status == SG_ST_NOT_LOGGED_IN, "without a login: NOT_LOGGED_IN");
    th_login(0, SG_USER_USER, PIN);
    th_login(1, SG_USER_USER, PIN);
    int ok = 1;
    for (unsigned i = 0; i < FW_SESSION_KEYS; i++)
        ok &= skeygen(i % 2, SG_KEY_EC_P256, 0).status == SG_ST_OK;
    memcpy(snap, th_flash, sizeof snap);
    th_resp r = skeygen(0, SG_KEY_EC_P256, 0);
    size_t ml = 0;
    CHECK(ok && r.status == SG_ST_NO_SPACE && th_get(r, SG_T_MESSAGE, &ml) && !memcmp(snap, th_flash, sizeof snap),
          "table full (%u keys over two channels): NO_SPACE with its message, nothing logged", FW_SESSION_KEYS);
    fw_channel_closed(1);
    CHECK(fw_skeys_used() < FW_SESSION_KEYS && skeygen(0, SG_KEY_EC_P256, 0).status == SG_ST_OK,
          "the other channel closes: room again");

    /* Never a CA key: BIND_CA refuses the handle, AUTHORIZE finds no CA key. */
    static uint8_t cert[1024], spki[200];
    static const uint8_t subject[] = { 0x30, 0x00 }, ski[20] = { 1 };
    pol_ca pc = { subject, sizeof subject, ski, sizeof ski, NULL, 0 };
    size_t pl = 0;
    r = skeygen(0, SG_KEY_EC_P256, 0);
    unsigned h = (unsigned)th_get_u(r, SG_T_HANDLE);
    const uint8_t *p = th_get(r, SG_T_PUBKEY, &pl);
    if (!p || pl > sizeof spki) {
        CHECK(0, "session key for the binding test");
        return;
    }
    memcpy(spki, p, pl);
    size_t cl = make_ca(&pc, spki, pl, cert);
    memcpy(snap, th_flash, sizeof snap);
    th_begin();
    th_put_u(SG_T_HANDLE, h, 2);
    th_put(SG_T_VALUE, cert, cl);
    r = th_send(0, SG_CMD_BIND_CA);
    CHECK(r.status == SG_ST_PROHIBITED && th_get(r, SG_T_MESSAGE, &ml) && !memcmp(snap, th_flash, sizeof snap),
          "BIND_CA of a session key: PROHIBITED, with its message, nothing written");
    CHECK(listed(0, h) == SG_OBJ_SESSION, "it is still a plain session key");
    th_begin();
    th_put_u(SG_T_HANDLE, h, 2);
    th_put_u(SG_T_MECH, SG_MECH_ECDSA_SHA256, 4);
    th_put(SG_T_DATA, "tbs", 3);
    CHECK(th_send(0, SG_CMD_AUTHORIZE).status == SG_ST_PROHIBITED, "AUTHORIZE with a session key: PROHIBITED (not a CA key)");
    CHECK(destroy(0, h, 3) == SG_ST_ARGS, "DESTROY_OBJECT with a bad KEY_PART: ARGS");
    CHECK(destroy(0, FW_SKEY_BASE | 7u, 0) == SG_ST_NO_OBJECT && get(0, 0xFFFF, NULL) == SG_ST_NO_OBJECT,
          "unknown session handles: NO_OBJECT");
    CHECK(th_sign(0, FW_SKEY_BASE, SG_MECH_ECDSA_SHA256, "x", 1).status == SG_ST_NO_OBJECT,
          "SIGN with a session handle never issued: NO_OBJECT");
    fw_channel_closed(0);
}

/* A power cut at each flash operation of a session key generation: the
 * token boots, no session key survives, the token's keys are intact. */
static void powercut(void)
{
    th_login(0, SG_USER_USER, PIN);
    th_resp t = th_keygen(0, SG_KEY_EC_P256, "token", 0);
    unsigned th = (unsigned)th_get_u(t, SG_T_HANDLE);
    static uint8_t before[SIM_FLASH_SIZE];
    memcpy(before, th_flash, sizeof before);
    sim_flash_cut_at(0);
    skeygen(0, SG_KEY_EC_P256, 0);
    unsigned long ops = sim_flash_ops();
    size_t objects_end = fw_store_end() / FW_STORE_ALL_SLOTS * FW_STORE_SLOTS;
    int bad = 0;
    for (unsigned long k = 1; k <= ops; k++) {
        memcpy(th_flash, before, sizeof before);
        th_boot();
        th_login(0, SG_USER_USER, PIN); /* writes the PIN counter: compare from here */
        memcpy(snap, th_flash, objects_end);
        sim_flash_cut_at(k);
        skeygen(0, SG_KEY_EC_P256, 0);
        int cut = sim_flash_was_cut();
        /* Recovery at boot may rewrite the log's own slot; the object slots
         * (metadata and objects, the first FW_STORE_SLOTS) stay as they were. */
        if (th_boot() != FW_OK || !cut || fw_skeys_used() != 0 || memcmp(snap, th_flash, objects_end)) {
            fprintf(stderr, "cut %lu: no boot, no cut, a session key left or an object slot changed\n", k);
            bad++;
            continue;
        }
        th_login(0, SG_USER_USER, PIN);
        th_resp sr = th_sign(0, th, SG_MECH_ECDSA_SHA256, "x", 1);
        if (sr.status != SG_ST_OK)
            fprintf(stderr, "cut %lu: sign %u\n", k, sr.status);
        bad += sr.status != SG_ST_OK;
    }
    CHECK(bad == 0 && ops > 0, "a power cut at each of the %lu flash operations of a session keygen: boots, no session key, store untouched", ops);
}

int main(void)
{
    CHECK(th_boot() == FW_OK, "firmware boots on blank flash");
    CHECK(th_init_token(SO, "unit") == SG_ST_OK && th_init_pin(SO, PIN) == SG_ST_OK, "token initialized");
    CHECK(th_login(0, SG_USER_USER, PIN) == SG_ST_OK, "user login");
    generate_and_sign();
    every_type();
    lifetimes();
    bad_input();
    powercut();
    return CHECK_DONE();
}
