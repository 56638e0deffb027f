/* SPDX-License-Identifier: Apache-2.0 */
/* Firmware core: lifecycle, PINs and lockout across reboots, keys, signing,
 * objects, CA binding. Signatures are verified with mbedTLS. */
#include "check.h"
#include "harness.h"
#include "sigcheck.h"

#define SO "so-pin-1"
#define PIN "user-1234"

/* pss: the PSS salt is the hash length (as the tests sign). */
static int verify(const uint8_t *spki, size_t spki_len, mbedtls_md_type_t md, const uint8_t *msg,
                  size_t msg_len, const uint8_t *sig, size_t sig_len, int pss)
{
    int slen = pss ? (int)mbedtls_md_get_size(mbedtls_md_info_from_type(md)) : -1;
    return sig_verify_msg(spki, spki_len, md, msg, msg_len, sig, sig_len, slen);
}

static void lifecycle(void)
{
    th_begin();
    th_resp r = th_send(0, SG_CMD_INFO);
    CHECK(r.status == SG_ST_OK && th_get_u(r, SG_T_TOKEN_FLAGS) == 0, "blank token answers INFO, not initialized");
    CHECK(th_login(0, SG_USER_USER, PIN) == SG_ST_NOT_INITIALIZED, "login before init: NOT_INITIALIZED");
    CHECK(th_init_token("123", "t") == SG_ST_PIN_LEN, "SO PIN shorter than 4: PIN_LEN");
    CHECK(th_init_token(SO, "a-label-that-is-longer-than-32-chars") == SG_ST_ARGS, "label over 32 bytes: ARGS");
    CHECK(th_init_token(SO, "unit") == SG_ST_OK, "init token");
    CHECK(th_login(0, SG_USER_USER, PIN) == SG_ST_USER_PIN_NOT_SET, "user login before InitPIN: USER_PIN_NOT_SET");
    CHECK(th_init_pin(SO, PIN) == SG_ST_OK, "SO sets the user PIN");
    CHECK(th_login(0, SG_USER_USER, PIN) == SG_ST_OK, "user login");
    CHECK(th_login(0, SG_USER_USER, PIN) == SG_ST_ALREADY_LOGGED_IN, "second login: ALREADY_LOGGED_IN");
    CHECK(th_login(0, SG_USER_SO, SO) == SG_ST_OTHER_USER_LOGGED_IN, "SO login while user: OTHER_USER_LOGGED_IN");
    CHECK(th_login(1, SG_USER_SO, SO) == SG_ST_OK, "another channel logs in as SO");
    th_begin();
    CHECK(th_send(0, SG_CMD_LOGOUT).status == SG_ST_OK, "logout");
    th_begin();
    CHECK(th_send(0, SG_CMD_LOGOUT).status == SG_ST_NOT_LOGGED_IN, "logout twice: NOT_LOGGED_IN");
    fw_channel_closed(1);
    CHECK(th_set_pin(0, SG_USER_USER, PIN, "new-pin-9") == SG_ST_OK, "user changes PIN");
    CHECK(th_login(0, SG_USER_USER, PIN) == SG_ST_PIN_INCORRECT, "old PIN refused");
    CHECK(th_login(0, SG_USER_USER, "new-pin-9") == SG_ST_OK, "new PIN accepted");
    th_begin();
    th_send(0, SG_CMD_LOGOUT);
    CHECK(th_set_pin(0, SG_USER_USER, "new-pin-9", PIN) == SG_ST_OK, "PIN changed back");
}

static void lockout(void)
{
    CHECK(th_login(0, SG_USER_USER, "wrong-1") == SG_ST_PIN_INCORRECT, "wrong PIN 1: PIN_INCORRECT");
    CHECK(th_login(0, SG_USER_USER, "wrong-2") == SG_ST_PIN_INCORRECT, "wrong PIN 2: PIN_INCORRECT");
    CHECK(th_boot() == FW_OK, "reboot between guesses");
    th_begin();
    th_resp r = th_send(0, SG_CMD_INFO);
    CHECK(th_get_u(r, SG_T_USER_TRIES) == 1, "retry counter survives a reboot (1 left)");
    CHECK(th_login(0, SG_USER_USER, "wrong-3") == SG_ST_PIN_INCORRECT, "wrong PIN 3: PIN_INCORRECT");
    CHECK(th_login(0, SG_USER_USER, PIN) == SG_ST_PIN_LOCKED, "right PIN after 3 failures: PIN_LOCKED");
    CHECK(th_boot() == FW_OK, "reboot while locked");
    CHECK(th_login(0, SG_USER_USER, PIN) == SG_ST_PIN_LOCKED, "still PIN_LOCKED after reboot");
    th_begin();
    r = th_send(0, SG_CMD_INFO);
    CHECK(th_get_u(r, SG_T_TOKEN_FLAGS) & SG_TF_USER_LOCKED, "INFO reports the user PIN locked");
    CHECK(th_init_pin(SO, PIN) == SG_ST_OK, "SO resets the user PIN");
    CHECK(th_login(0, SG_USER_USER, PIN) == SG_ST_OK, "user logs in again after the SO reset");
}

static void keys(void)
{
    static const struct {
        int type;
        uint32_t mech;
        mbedtls_md_type_t md;
        int pss;
        const char *name;
    } cases[] = {
        { SG_KEY_EC_P256, SG_MECH_ECDSA_SHA256, MBEDTLS_MD_SHA256, 0, "P-256 ECDSA-SHA256" },
        { SG_KEY_EC_P384, SG_MECH_ECDSA_SHA384, MBEDTLS_MD_SHA384, 0, "P-384 ECDSA-SHA384" },
        { SG_KEY_EC_P521, SG_MECH_ECDSA_SHA512, MBEDTLS_MD_SHA512, 0, "P-521 ECDSA-SHA512" },
        { SG_KEY_RSA_2048, SG_MECH_SHA256_RSA_PKCS, MBEDTLS_MD_SHA256, 0, "RSA-2048 SHA256-RSA-PKCS" },
        { SG_KEY_RSA_3072, SG_MECH_SHA384_RSA_PKCS_PSS, MBEDTLS_MD_SHA384, 1, "RSA-3072 SHA384-RSA-PSS" },
        { SG_KEY_RSA_4096, SG_MECH_SHA512_RSA_PKCS, MBEDTLS_MD_SHA512, 0, "RSA-4096 SHA512-RSA-PKCS" },
    };
    static const uint8_t msg[] = "a to-be-signed message";
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        th_resp r = th_keygen(0, cases[i].type, cases[i].name, 0);
        size_t pl = 0, sl = 0;
        static uint8_t pub[700], sig[600];
        const uint8_t *p = th_get(r, SG_T_PUBKEY, &pl);
        unsigned h = (unsigned)th_get_u(r, SG_T_HANDLE);
        CHECK(r.status == SG_ST_OK && p && pl <= sizeof pub, "generate %s key", cases[i].name);
        if (!p)
            continue;
        memcpy(pub, p, pl);
        th_begin();
        th_put_u(SG_T_HANDLE, h, 2);
        th_put_u(SG_T_MECH, cases[i].mech, 4);
        th_put(SG_T_DATA, msg, sizeof msg);
        if (cases[i].pss) {
            th_put_u(SG_T_PSS_HASH, SG_MECH_SHA384, 4);
            th_put_u(SG_T_PSS_MGF, SG_MGF1_SHA384, 4);
            th_put_u(SG_T_PSS_SLEN, 48, 4);
        }
        r = th_send(0, SG_CMD_SIGN);
        const uint8_t *s = th_get(r, SG_T_SIGNATURE, &sl);
        CHECK(r.status == SG_ST_OK && s && sl <= sizeof sig, "sign with %s", cases[i].name);
        if (!s)
            continue;
        memcpy(sig, s, sl);
        CHECK(verify(pub, pl, cases[i].md, msg, sizeof msg, sig, sl, cases[i].pss), "%s signature verifies", cases[i].name);
        sig[sl / 2] ^= 1;
        CHECK(!verify(pub, pl, cases[i].md, msg, sizeof msg, sig, sl, cases[i].pss), "%s: altered signature fails", cases[i].name);
        th_begin();
        th_put_u(SG_T_HANDLE, h, 2);
        r = th_send(0, SG_CMD_GET_OBJECT);
        CHECK(r.status == SG_ST_OK && th_get(r, FW_T_PRIVKEY, &sl) == NULL && th_get(r, SG_T_PUBKEY, &sl),
              "%s: public key readable, private key never sent", cases[i].name);
    }
    th_resp r = th_sign(0, 1, SG_MECH_SHA256_RSA_PKCS, msg, sizeof msg);
    CHECK(r.status == SG_ST_MECHANISM, "RSA mechanism on an EC key: MECHANISM");
    r = th_sign(0, 1, 0x12345, msg, sizeof msg);
    CHECK(r.status == SG_ST_MECHANISM, "unknown mechanism: MECHANISM");
    r = th_sign(0, 31, SG_MECH_ECDSA_SHA256, msg, sizeof msg);
    CHECK(r.status == SG_ST_NO_OBJECT, "sign with a missing key: NO_OBJECT");
    r = th_keygen(0, 99, "x", 0);
    CHECK(r.status == SG_ST_KEY_TYPE, "unknown key type: KEY_TYPE");
    r = th_sign(2, 1, SG_MECH_ECDSA_SHA256, msg, sizeof msg);
    CHECK(r.status == SG_ST_NOT_LOGGED_IN, "sign on a channel that is not logged in: NOT_LOGGED_IN");
    static uint8_t big[SG_MAX_SIGN_DATA + 1];
    r = th_sign(0, 1, SG_MECH_ECDSA_SHA256, big, sizeof big);
    CHECK(r.status == SG_ST_DATA_LEN, "sign data above SG_MAX_SIGN_DATA: DATA_LEN");
    r = th_sign(0, 4, SG_MECH_RSA_PKCS, big, 300);
    CHECK(r.status == SG_ST_DATA_LEN, "raw RSA_PKCS input longer than k-11: DATA_LEN");
}

/* Certificate whose SubjectPublicKeyInfo is spki (only the fields the
 * token reads need to be well formed). */
static size_t fake_cert(const uint8_t *spki, size_t spki_len, uint8_t *out)
{
    static const uint8_t head[] = {
        0xA0, 0x03, 0x02, 0x01, 0x02,                         /* [0] version v3 */
        0x02, 0x01, 0x01,                                     /* serial */
        0x30, 0x0A, 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02, /* ecdsa-with-SHA256 */
        0x30, 0x00,                                           /* issuer */
        0x30, 0x00,                                           /* validity (not read) */
        0x30, 0x00,                                           /* subject */
    };
    size_t tbs_len = sizeof head + spki_len, off = 0;
    out[off++] = 0x30;
    out[off++] = 0x82;
    out[off++] = (uint8_t)((tbs_len + 4) >> 8);
    out[off++] = (uint8_t)(tbs_len + 4);
    out[off++] = 0x30;
    out[off++] = 0x82;
    out[off++] = (uint8_t)(tbs_len >> 8);
    out[off++] = (uint8_t)tbs_len;
    memcpy(out + off, head, sizeof head);
    off += sizeof head;
    memcpy(out + off, spki, spki_len);
    return off + spki_len;
}

static void ca_binding(void)
{
    static uint8_t cert[1024], pub[200];
    static const uint8_t msg[] = "tbs";
    th_resp r = th_keygen(0, SG_KEY_EC_P256, "issuing CA", 0);
    unsigned key = (unsigned)th_get_u(r, SG_T_HANDLE);
    size_t pl = 0;
    const uint8_t *p = th_get(r, SG_T_PUBKEY, &pl);
    CHECK(r.status == SG_ST_OK && p, "generate the CA key");
    if (!p)
        return;
    memcpy(pub, p, pl);
    CHECK(th_sign(0, key, SG_MECH_ECDSA_SHA256, msg, sizeof msg).status == SG_ST_OK, "unbound key signs");
    size_t cl = fake_cert(pub, pl, cert);
    th_begin();
    th_put_u(SG_T_HANDLE, 1, 2); /* the P-256 key of keys(), not this one */
    th_put(SG_T_VALUE, cert, cl);
    CHECK(th_send(0, SG_CMD_BIND_CA).status == SG_ST_CERT_MISMATCH, "binding a certificate of another key: CERT_MISMATCH");
    th_begin();
    th_put_u(SG_T_HANDLE, key, 2);
    th_put(SG_T_VALUE, cert, cl - 1);
    CHECK(th_send(0, SG_CMD_BIND_CA).status == SG_ST_ARGS, "truncated certificate: ARGS");
    th_begin();
    th_put_u(SG_T_HANDLE, key, 2);
    th_put(SG_T_VALUE, cert, cl);
    r = th_send(0, SG_CMD_BIND_CA);
    unsigned crt = (unsigned)th_get_u(r, SG_T_HANDLE);
    CHECK(r.status == SG_ST_OK, "bind the CA certificate");
    r = th_sign(0, key, SG_MECH_ECDSA_SHA256, msg, sizeof msg);
    size_t ml = 0;
    CHECK(r.status == SG_ST_POLICY_REJECTED && th_get(r, SG_T_MESSAGE, &ml) && !th_get(r, SG_T_SIGNATURE, &ml),
          "bound CA key refuses to sign without the policy engine, with a reason");
    th_begin();
    th_put_u(SG_T_HANDLE, crt, 2);
    CHECK(th_send(0, SG_CMD_DESTROY_OBJECT).status == SG_ST_PROHIBITED, "the bound CA certificate cannot be deleted");
    th_begin();
    th_put_u(SG_T_HANDLE, key, 2);
    th_put(SG_T_VALUE, cert, cl);
    CHECK(th_send(0, SG_CMD_BIND_CA).status == SG_ST_PROHIBITED, "a key binds one CA certificate only");
    CHECK(th_boot() == FW_OK && th_login(0, SG_USER_USER, PIN) == SG_ST_OK, "reboot");
    CHECK(th_sign(0, key, SG_MECH_ECDSA_SHA256, msg, sizeof msg).status == SG_ST_POLICY_REJECTED,
          "the binding survives a reboot");
    r = th_keygen(0, SG_KEY_EC_P256, "reserved CA", SG_OBJ_CA);
    CHECK(th_sign(0, (unsigned)th_get_u(r, SG_T_HANDLE), SG_MECH_ECDSA_SHA256, msg, sizeof msg).status ==
              SG_ST_POLICY_REJECTED, "key generated as CA refuses before any binding");
}


/* The two halves of a key pair are destroyed on their own (KEY_PART): the
 * private key leaves the flash at once, the CA binding is the private key's. */
static th_resp destroy_part(unsigned h, unsigned part, size_t width)
{
    th_begin();
    th_put_u(SG_T_HANDLE, h, 2);
    th_put_u(SG_T_KEY_PART, part, width);
    return th_send(0, SG_CMD_DESTROY_OBJECT);
}

static uint32_t obj_flags(unsigned h, uint8_t *status)
{
    th_begin();
    th_put_u(SG_T_HANDLE, h, 2);
    th_resp r = th_send(0, SG_CMD_GET_OBJECT);
    *status = r.status;
    return (uint32_t)th_get_u(r, SG_T_FLAGS);
}

static void key_halves(void)
{
    static const uint8_t msg[] = "m";
    static uint8_t priv[200], cert[1024], pub[200];
    uint8_t st;
    th_resp r = th_keygen(0, SG_KEY_EC_P256, "halves", 0);
    unsigned k1 = (unsigned)th_get_u(r, SG_T_HANDLE);
    CHECK(r.status == SG_ST_OK, "halves: generate a key");
    CHECK(destroy_part(k1, 3, 1).status == SG_ST_ARGS, "halves: KEY_PART 3: ARGS");
    CHECK(destroy_part(k1, 0, 1).status == SG_ST_ARGS, "halves: KEY_PART 0: ARGS");
    CHECK(destroy_part(k1, SG_PART_PUBLIC, 2).status == SG_ST_ARGS, "halves: KEY_PART of 2 bytes: ARGS");
    CHECK(destroy_part(k1, SG_PART_PUBLIC, 1).status == SG_ST_OK, "halves: destroy the public key");
    CHECK(obj_flags(k1, &st) & SG_OBJ_PUB_GONE && st == SG_ST_OK, "halves: the record says PUB_GONE");
    CHECK(th_sign(0, k1, SG_MECH_ECDSA_SHA256, msg, sizeof msg).status == SG_ST_OK, "halves: the private key still signs");
    CHECK(destroy_part(k1, SG_PART_PUBLIC, 1).status == SG_ST_NO_OBJECT, "halves: the public key again: NO_OBJECT");
    CHECK(destroy_part(k1, SG_PART_PRIVATE, 1).status == SG_ST_OK, "halves: then the private key");
    obj_flags(k1, &st);
    CHECK(st == SG_ST_NO_OBJECT, "halves: the second half takes the record");

    r = th_keygen(0, SG_KEY_EC_P256, "halves 2", 0);
    unsigned k2 = (unsigned)th_get_u(r, SG_T_HANDLE);
    const uint8_t *b, *v;
    size_t len, off = 0, vl, pl = 0;
    uint8_t t;
    size_t privlen = 0;
    if (r.status == SG_ST_OK && fw_store_read(k2, &b, &len) == FW_OK)
        while (sg_tlv_next(b, len, &off, &t, &v, &vl) == 1)
            if (t == FW_T_PRIVKEY && vl <= sizeof priv) {
                memcpy(priv, v, vl);
                privlen = vl;
            }
    CHECK(privlen > 16 && memmem(th_flash, sizeof th_flash, priv, privlen), "halves: the private key is in the flash");
    CHECK(destroy_part(k2, SG_PART_PRIVATE, 1).status == SG_ST_OK, "halves: destroy only the private key");
    CHECK(!memmem(th_flash, sizeof th_flash, priv, privlen), "halves: no copy of the private key is left in the flash");
    uint32_t fl = obj_flags(k2, &st);
    CHECK(st == SG_ST_OK && (fl & SG_OBJ_PRIV_GONE), "halves: the public key stays, flagged PRIV_GONE");
    CHECK(th_sign(0, k2, SG_MECH_ECDSA_SHA256, msg, sizeof msg).status == SG_ST_NO_OBJECT,
          "halves: without its private key the key cannot sign: NO_OBJECT");
    CHECK(th_boot() == FW_OK && th_login(0, SG_USER_USER, PIN) == SG_ST_OK, "halves: reboot");
    fl = obj_flags(k2, &st);
    CHECK(st == SG_ST_OK && (fl & SG_OBJ_PRIV_GONE) && th_sign(0, k2, SG_MECH_ECDSA_SHA256, msg, sizeof msg).status == SG_ST_NO_OBJECT,
          "halves: the state survives a reboot");
    CHECK(destroy_part(k2, SG_PART_PRIVATE, 1).status == SG_ST_NO_OBJECT, "halves: the private key again: NO_OBJECT");
    CHECK(destroy_part(k2, SG_PART_PUBLIC, 1).status == SG_ST_OK, "halves: then the public key");

    /* A bound CA key: the binding goes with the private key. */
    r = th_keygen(0, SG_KEY_EC_P256, "halves CA", 0);
    unsigned k3 = (unsigned)th_get_u(r, SG_T_HANDLE);
    const uint8_t *p = th_get(r, SG_T_PUBKEY, &pl);
    if (!p || pl > sizeof pub) {
        CHECK(0, "halves: CA key");
        return;
    }
    memcpy(pub, p, pl);
    size_t cl = fake_cert(pub, pl, cert);
    th_begin();
    th_put_u(SG_T_HANDLE, k3, 2);
    th_put(SG_T_VALUE, cert, cl);
    r = th_send(0, SG_CMD_BIND_CA);
    unsigned crt = (unsigned)th_get_u(r, SG_T_HANDLE);
    CHECK(r.status == SG_ST_OK, "halves: bind a CA certificate");
    CHECK(destroy_part(k3, SG_PART_PUBLIC, 1).status == SG_ST_OK, "halves: destroy the CA key's public key");
    CHECK(th_sign(0, k3, SG_MECH_ECDSA_SHA256, msg, sizeof msg).status == SG_ST_POLICY_REJECTED,
          "halves: the private key stays a CA key (signs only what the policy accepts)");
    th_begin();
    th_put_u(SG_T_HANDLE, crt, 2);
    CHECK(th_send(0, SG_CMD_DESTROY_OBJECT).status == SG_ST_PROHIBITED, "halves: its CA certificate still cannot be deleted");
    r = th_keygen(0, SG_KEY_EC_P256, "halves CA 2", 0);
    unsigned k4 = (unsigned)th_get_u(r, SG_T_HANDLE);
    p = th_get(r, SG_T_PUBKEY, &pl);
    if (!p || pl > sizeof pub) {
        CHECK(0, "halves: CA key 2");
        return;
    }
    memcpy(pub, p, pl);
    cl = fake_cert(pub, pl, cert);
    th_begin();
    th_put_u(SG_T_HANDLE, k4, 2);
    th_put(SG_T_VALUE, cert, cl);
    r = th_send(0, SG_CMD_BIND_CA);
    unsigned crt4 = (unsigned)th_get_u(r, SG_T_HANDLE);
    CHECK(r.status == SG_ST_OK && destroy_part(k4, SG_PART_PRIVATE, 1).status == SG_ST_OK,
          "halves: bind a second CA key, destroy its private key");
    fl = obj_flags(k4, &st);
    CHECK(st == SG_ST_OK && !(fl & SG_OBJ_CA), "halves: its public key is no CA key");
    th_begin();
    th_put_u(SG_T_HANDLE, k4, 2);
    th_put(SG_T_VALUE, cert, cl);
    CHECK(th_send(0, SG_CMD_BIND_CA).status == SG_ST_NO_OBJECT, "halves: a public key alone cannot be bound");
    th_begin();
    th_put_u(SG_T_HANDLE, crt4, 2);
    CHECK(th_send(0, SG_CMD_DESTROY_OBJECT).status == SG_ST_OK, "halves: its certificate can now be deleted");
    th_begin();
    th_put_u(SG_T_HANDLE, crt, 2);
    th_put_u(SG_T_KEY_PART, SG_PART_PUBLIC, 1);
    CHECK(th_send(0, SG_CMD_DESTROY_OBJECT).status == SG_ST_ARGS, "halves: KEY_PART on a certificate: ARGS");
}

static void objects(void)
{
    th_begin();
    th_put_u(SG_T_CLASS, SG_CLASS_DATA, 1);
    th_put_s(SG_T_VALUE, "secret note");
    th_put_s(SG_T_LABEL, "note");
    th_put_u(SG_T_FLAGS, SG_OBJ_PRIVATE, 4);
    th_resp r = th_send(0, SG_CMD_CREATE_OBJECT);
    unsigned h = (unsigned)th_get_u(r, SG_T_HANDLE);
    CHECK(r.status == SG_ST_OK, "create a private data object");
    th_begin();
    th_put_u(SG_T_HANDLE, h, 2);
    CHECK(th_send(3, SG_CMD_GET_OBJECT).status == SG_ST_NO_OBJECT, "private data invisible without login");
    th_begin();
    th_put_u(SG_T_HANDLE, h, 2);
    r = th_send(0, SG_CMD_GET_OBJECT);
    size_t vl = 0;
    const uint8_t *v = th_get(r, SG_T_VALUE, &vl);
    CHECK(v && vl == 11 && !memcmp(v, "secret note", 11), "private data readable after login");
    th_begin();
    th_put_u(SG_T_CLASS, SG_CLASS_CERT, 1);
    th_put(SG_T_VALUE, "", 0);
    CHECK(th_send(0, SG_CMD_CREATE_OBJECT).status == SG_ST_ARGS, "empty certificate: ARGS");
    static uint8_t big[SG_MAX_VALUE + 1];
    th_begin();
    th_put_u(SG_T_CLASS, SG_CLASS_DATA, 1);
    th_put(SG_T_VALUE, big, sizeof big);
    CHECK(th_send(0, SG_CMD_CREATE_OBJECT).status == SG_ST_ARGS, "value above SG_MAX_VALUE: ARGS");
    th_begin();
    th_put_u(SG_T_HANDLE, h, 2);
    CHECK(th_send(0, SG_CMD_DESTROY_OBJECT).status == SG_ST_OK, "destroy the data object");
    th_begin();
    th_put_u(SG_T_HANDLE, h, 2);
    CHECK(th_send(0, SG_CMD_GET_OBJECT).status == SG_ST_NO_OBJECT, "destroyed object is gone");
    int full = 0, n;
    for (n = 0; n < FW_MAX_OBJECTS + 1 && !full; n++) {
        th_begin();
        th_put_u(SG_T_CLASS, SG_CLASS_DATA, 1);
        th_put_s(SG_T_VALUE, "x");
        full = th_send(0, SG_CMD_CREATE_OBJECT).status == SG_ST_NO_SPACE;
    }
    CHECK(full, "store full: NO_SPACE after %d more objects", n - 1);
    th_begin();
    th_resp ri = th_send(0, SG_CMD_INFO);
    CHECK(th_get_u(ri, SG_T_FREE_SLOTS) == 0, "INFO reports no free slot");
    CHECK(th_init_token(SO, "fresh") == SG_ST_OK, "re-initialize with the SO PIN");
    th_begin();
    ri = th_send(0, SG_CMD_INFO);
    CHECK(th_get_u(ri, SG_T_FREE_SLOTS) == FW_MAX_OBJECTS, "re-init wiped every object");
    CHECK(th_boot() == FW_OK, "reboot after re-init");
    th_begin();
    ri = th_send(0, SG_CMD_INFO);
    CHECK(th_get_u(ri, SG_T_FREE_SLOTS) == FW_MAX_OBJECTS, "wiped objects stay gone after reboot");
    CHECK(th_init_token("not-the-so", "x") == SG_ST_PIN_INCORRECT, "re-init with a wrong SO PIN: PIN_INCORRECT");
}

static void random_bytes(void)
{
    th_begin();
    th_put_u(SG_T_COUNT, 64, 2);
    th_resp r = th_send(0, SG_CMD_RANDOM);
    size_t l = 0;
    static uint8_t a[64];
    const uint8_t *v = th_get(r, SG_T_VALUE, &l);
    CHECK(r.status == SG_ST_OK && v && l == 64, "64 random bytes");
    if (v)
        memcpy(a, v, 64);
    th_begin();
    th_put_u(SG_T_COUNT, 64, 2);
    r = th_send(0, SG_CMD_RANDOM);
    v = th_get(r, SG_T_VALUE, &l);
    CHECK(v && memcmp(a, v, 64) != 0, "two random draws differ");
    th_begin();
    th_put_u(SG_T_COUNT, SG_MAX_RANDOM + 1, 2);
    CHECK(th_send(0, SG_CMD_RANDOM).status == SG_ST_ARGS, "random above SG_MAX_RANDOM: ARGS");
}

int main(void)
{
    CHECK(th_boot() == FW_OK, "firmware boots on blank flash");
    lifecycle();
    lockout();
    keys();
    ca_binding();
    key_halves();
    objects();
    random_bytes();
    return CHECK_DONE();
}
