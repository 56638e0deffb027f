/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Power cut at every flash operation of key generation, PIN changes, object
 * creation and deletion, CA binding and re-initialization: after each cut
 * the token must boot with either the old or the new state, intact. And
 * POLICY_LOAD: the old bundle or the new one, never none or a mix.
 */
#include "check.h"
#include "harness.h"
#include "sigcheck.h"
#include "bundle_fixture.h"
#include "ca_cert.h"

#define SO "so-pin-1"
#define PIN "user-1234"
#define PIN2 "user-5678"

static uint8_t before[SIM_FLASH_SIZE];
static unsigned long cuts_total;

typedef struct {
    int objects;      /* live objects */
    char label[40];
} token_view;

static int count_objects(void)
{
    th_begin();
    th_resp r = th_send(0, SG_CMD_LIST);
    size_t off = 0, vl;
    uint8_t t;
    const uint8_t *v;
    int n = 0;
    if (r.status != SG_ST_OK)
        return -1;
    while (sg_tlv_next(r.p, r.len, &off, &t, &v, &vl) == 1)
        n += t == SG_T_LIST_ENTRY;
    return n;
}

static void view(token_view *tv)
{
    size_t l = 0;
    th_begin();
    th_resp r = th_send(0, SG_CMD_INFO);
    const uint8_t *v = th_get(r, SG_T_LABEL, &l);
    memset(tv, 0, sizeof *tv);
    memcpy(tv->label, v ? (const char *)v : "", l < sizeof tv->label ? l : 0);
    tv->objects = count_objects();
}

/* Every key on the token signs, and the signature verifies with the public
 * key the token reports: no key record is half-written. */
static int keys_intact(void)
{
    static const uint8_t msg[] = "power-cut";
    for (unsigned h = 1; h <= FW_MAX_OBJECTS; h++) {
        th_begin();
        th_put_u(SG_T_HANDLE, h, 2);
        th_resp r = th_send(0, SG_CMD_GET_OBJECT);
        if (r.status == SG_ST_NO_OBJECT)
            continue;
        if (r.status != SG_ST_OK)
            return 0;
        if (th_get_u(r, SG_T_CLASS) != SG_CLASS_KEY || (th_get_u(r, SG_T_FLAGS) & SG_OBJ_CA))
            continue;
        static uint8_t pub[700];
        size_t pl = 0, sl = 0;
        const uint8_t *p = th_get(r, SG_T_PUBKEY, &pl);
        if (!p || pl > sizeof pub)
            return 0;
        memcpy(pub, p, pl);
        int ec = th_get_u(r, SG_T_KEY_TYPE) == SG_KEY_EC_P256;
        r = th_sign(0, h, ec ? SG_MECH_ECDSA_SHA256 : SG_MECH_SHA256_RSA_PKCS, msg, sizeof msg);
        const uint8_t *s = th_get(r, SG_T_SIGNATURE, &sl);
        int ok = s && sig_verify_msg(pub, pl, MBEDTLS_MD_SHA256, msg, sizeof msg, s, sl, -1);
        if (!ok)
            return 0;
    }
    return 1;
}

/* Which user PIN works now: 1 = old, 2 = new, 0 = neither. Leaves the
 * channel logged in with it. */
static int which_pin(const char *old, const char *nw)
{
    if (th_login(0, SG_USER_USER, nw) == SG_ST_OK)
        return 2;
    return th_login(0, SG_USER_USER, old) == SG_ST_OK ? 1 : 0;
}

typedef void (*step_fn)(void);

static void login_any(void)
{
    if (th_login(0, SG_USER_USER, PIN) != SG_ST_OK)
        th_login(0, SG_USER_USER, PIN2);
}

/* Runs step with a cut at every flash operation, then checks the state
 * after reboot against the views before and after the step. */
static void exercise(const char *name, step_fn step)
{
    token_view old, nw, now;
    unsigned long ops;
    memcpy(before, th_flash, sizeof before);
    if (th_boot() || th_login(0, SG_USER_USER, PIN) != SG_ST_OK) {
        CHECK(0, "%s: setup", name);
        return;
    }
    view(&old);
    th_begin();
    th_send(0, SG_CMD_LOGOUT);
    sim_flash_cut_at(0);
    step();
    ops = sim_flash_ops();
    th_boot();
    login_any();
    view(&nw);
    int bad = 0;
    for (unsigned long k = 1; k <= ops; k++) {
        memcpy(th_flash, before, sizeof before);
        th_boot();
        sim_flash_cut_at(k);
        step();
        if (!sim_flash_was_cut()) {
            bad++;
            fprintf(stderr, "%s: cut %lu never reached\n", name, k);
            continue;
        }
        if (th_boot() != FW_OK) {
            bad++;
            fprintf(stderr, "%s: no boot after cut %lu\n", name, k);
            continue;
        }
        login_any();
        view(&now);
        if (!keys_intact() ||
            !((now.objects == old.objects && !strcmp(now.label, old.label)) ||
              (now.objects == nw.objects && !strcmp(now.label, nw.label)))) {
            bad++;
            fprintf(stderr, "%s: cut %lu: objects %d (old %d, new %d), label '%s'\n", name, k, now.objects,
                    old.objects, nw.objects, now.label);
        }
        th_begin();
        th_send(0, SG_CMD_LOGOUT);
    }
    cuts_total += ops;
    CHECK(bad == 0 && ops > 0, "%s: old or new state after a cut at each of %lu flash operations", name, ops);
    /* Continue from the completed step. */
    memcpy(th_flash, before, sizeof before);
    th_boot();
    step();
    th_boot();
}

static void step_keygen_ec(void)
{
    th_login(0, SG_USER_USER, PIN);
    th_keygen(0, SG_KEY_EC_P256, "ec", 0);
}
static void step_keygen_rsa(void)
{
    th_login(0, SG_USER_USER, PIN);
    th_keygen(0, SG_KEY_RSA_2048, "rsa", 0);
}
static void step_set_pin(void) { th_set_pin(0, SG_USER_USER, PIN, PIN2); }
static void step_set_pin_back(void) { th_set_pin(0, SG_USER_USER, PIN2, PIN); }
static void step_create(void)
{
    th_login(0, SG_USER_USER, PIN);
    th_begin();
    th_put_u(SG_T_CLASS, SG_CLASS_DATA, 1);
    th_put_s(SG_T_VALUE, "payload");
    th_send(0, SG_CMD_CREATE_OBJECT);
}
static void step_destroy(void)
{
    th_login(0, SG_USER_USER, PIN);
    th_begin();
    th_put_u(SG_T_HANDLE, 1, 2);
    th_send(0, SG_CMD_DESTROY_OBJECT);
}
static void step_reinit(void) { th_init_token(SO, "reinit"); }

/* A CA key whose bundle entry lets mailbox-strict keys be escrowed. */
static unsigned escrow_ca;
static int escrow_setup(void)
{
    static const uint8_t subject[] = { 0x30, 0x00 }, ski[20] = { 1 };
    static uint8_t spki[200], cert[1024];
    pol_ca pc = { subject, sizeof subject, ski, sizeof ski, NULL, 0 };
    size_t l = 0;
    th_login(0, SG_USER_USER, PIN);
    th_resp r = th_keygen(0, SG_KEY_EC_P256, "ca", 0);
    const uint8_t *p = th_get(r, SG_T_PUBKEY, &l);
    if (r.status || !p || l > sizeof spki)
        return -1;
    memcpy(spki, p, l);
    escrow_ca = (unsigned)th_get_u(r, SG_T_HANDLE);
    size_t cl = make_ca(&pc, spki, l, cert);
    th_begin();
    th_put_u(SG_T_HANDLE, escrow_ca, 2);
    th_put(SG_T_VALUE, cert, cl);
    if (th_send(0, SG_CMD_BIND_CA).status)
        return -1;
    const uint8_t *k = spki;
    uint8_t st = bf_load(SO, &k, &l, 1, "[escrow]\nprofiles = mailbox-strict\nperiod-days = 365\nwrap = token-aes256\n"
                                          "recovery = yes\nencryption-only = no\n");
    th_begin();
    th_send(0, SG_CMD_LOGOUT);
    th_boot();
    return st ? -1 : 0;
}
static void step_escrow(void)
{
    static const uint8_t consent[32] = { 0xC0 }, prof[2] = { POL_MAILBOX, POL_STRICT };
    th_login(0, SG_USER_USER, PIN);
    th_begin();
    th_put_u(SG_T_HANDLE, escrow_ca, 2);
    th_put(SG_T_PROFILE, prof, 2);
    th_put_u(SG_T_KEY_TYPE, SG_KEY_EC_P256, 1);
    th_put_u(SG_T_ESCROW_USAGE, SG_ESCROW_USE_ENCRYPT, 1);
    th_put(SG_T_CONSENT, consent, 32);
    th_send(0, SG_CMD_ESCROW_GENERATE);
}

/* A PIN change: after the cut exactly one of the two PINs works. */
static int pin_judge(const char *old, const char *nw)
{
    int bad = 0;
    for (unsigned long k = 1;; k++) {
        memcpy(th_flash, before, sizeof before);
        th_boot();
        sim_flash_cut_at(k);
        step_set_pin();
        if (!sim_flash_was_cut())
            break;
        th_boot();
        int w = which_pin(old, nw);
        bad += w == 0;
        cuts_total++;
    }
    return bad;
}

/* The loaded bundle's version and hash (0 if none). */
static uint32_t policy_now(uint8_t hash[32])
{
    size_t l = 0;
    th_begin();
    th_resp r = th_send(0, SG_CMD_POLICY_INFO);
    const uint8_t *h = th_get(r, SG_T_POLICY_HASH, &l);
    if (r.status || !h || l != 32)
        return 0;
    memcpy(hash, h, 32);
    return (uint32_t)th_get_u(r, SG_T_POLICY_VERSION);
}

/* POLICY_LOAD of version 2 over version 1, cut at each flash operation. */
static void policy_cut(void)
{
    static uint8_t d1[SG_BUNDLE_MAX], d2[SG_BUNDLE_MAX];
    static const uint8_t spki[] = { 0x30, 0x00 }; /* any key id will do: the entries are not used */
    const uint8_t *k = spki;
    size_t kl = sizeof spki, l1, l2;
    uint8_t h1[32], h2[32], h[32];
    static char conf[4096];
    bf_version = 0;
    int ok = bf_sign(bf_conf(conf, sizeof conf, &k, &kl, 1, NULL), d1, sizeof d1, &l1) == 0 &&
             bf_sign(bf_conf(conf, sizeof conf, &k, &kl, 1, "caa-domain = example.com\n"), d2, sizeof d2, &l2) == 0 &&
             bf_load_der(SO, d1, l1) == SG_ST_OK && policy_now(h1) == 1;
    mbedtls_sha256(d2, l2, h2, 0);
    CHECK(ok, "bundle version 1 loaded");
    memcpy(before, th_flash, sizeof before);
    unsigned long k2, bad = 0, olds = 0, news = 0;
    for (k2 = 1;; k2++) {
        memcpy(th_flash, before, sizeof before);
        th_boot();
        sim_flash_cut_at(k2);
        bf_load_der(SO, d2, l2);
        if (!sim_flash_was_cut())
            break;
        if (th_boot() != FW_OK) {
            bad++;
            continue;
        }
        uint32_t v = policy_now(h);
        if (v == 1 && !memcmp(h, h1, 32))
            olds++;
        else if (v == 2 && !memcmp(h, h2, 32))
            news++;
        else
            bad++;
        cuts_total++;
    }
    /* The last write (the record header) is the commit point: a cut there
     * leaves it half-written, so every cut finds the old bundle. */
    CHECK(bad == 0 && olds == k2 - 1 && k2 > 4,
          "POLICY_LOAD: after a cut at each of %lu flash operations the old bundle (%lu) or the new (%lu), never none or a mix",
          k2 - 1, olds, news);
    memcpy(th_flash, before, sizeof before);
    th_boot();
    CHECK(bf_load_der(SO, d2, l2) == SG_ST_OK && th_boot() == FW_OK && policy_now(h) == 2 && !memcmp(h, h2, 32),
          "POLICY_LOAD completes without a cut");
}

int main(void)
{
    CHECK(th_boot() == FW_OK, "boot");
    CHECK(bf_init_token(SO, "cut") == SG_ST_OK && th_init_pin(SO, PIN) == SG_ST_OK, "init token (with a policy key) and PIN");
    policy_cut();
    exercise("EC key generation", step_keygen_ec);
    exercise("RSA key generation", step_keygen_rsa);
    exercise("data object creation", step_create);
    exercise("object deletion", step_destroy);

    memcpy(before, th_flash, sizeof before);
    CHECK(pin_judge(PIN, PIN2) == 0, "PIN change: after a cut at each flash operation exactly one PIN works");
    memcpy(th_flash, before, sizeof before);
    th_boot();
    step_set_pin();
    th_boot();
    CHECK(which_pin(PIN, PIN2) == 2, "PIN change completes without a cut");
    th_begin();
    th_send(0, SG_CMD_LOGOUT);
    step_set_pin_back();

    CHECK(escrow_setup() == 0, "CA key bound, bundle with an escrow rule loaded");
    exercise("ESCROW_GENERATE (escrow record)", step_escrow);
    exercise("re-initialization", step_reinit);
    CHECK(cuts_total > 40, "%lu cut points exercised in all", cuts_total);
    return CHECK_DONE();
}
