/* SPDX-License-Identifier: Apache-2.0 */
/* The CA's signed policy bundle (docs/bundle.md): the parser, the token's
 * POLICY_LOAD (signature, rollback, tampering, wrong key, no policy key,
 * size), POLICY_INFO, the bundle hash in the log, and every rule row of
 * pol_rules_bundle.c failing and passing on the token's sign path. */
#include <stdio.h>
#include "../../policy/pol_bundle.h"
#include "check.h"
#include "logtest.h"

static lt_ca ca;
static char conf[8192];
static uint8_t der[SG_BUNDLE_MAX + 1024];
static size_t der_len;

/* Source: version, one [ca] for the test CA key trusting the fixture's
 * validation authority, then body. */
static const char *src(uint32_t version, const char *body)
{
    if (bf_va_key())
        return NULL;
    size_t off = (size_t)snprintf(conf, sizeof conf, "version = %u\n[ca]\nkey-id = ", version);
    for (int i = 0; i < 32; i++)
        off += (size_t)snprintf(conf + off, sizeof conf - off, "%02x", ca.key_id[i]);
    snprintf(conf + off, sizeof conf - off, "\nva-key = %s\n%s", bf_va_file, body);
    return conf;
}

static const char *const base = "profiles = mailbox-strict mailbox-multipurpose\nmax-validity-days = 398\n";

static int sign(uint32_t version, const char *body)
{
    return bf_sign(src(version, body), der, sizeof der, &der_len);
}

static uint8_t load(void) { return bf_load_der(LT_SO, der, der_len); }

static void parser(void)
{
    pol_bundle b;
    pol_bundle_ca c;
    pol_escrow_rule r;
    CHECK(sign(7, "profiles = mailbox-strict organization-legacy\nmax-validity-days = 825\n"
                  "crldp-prefix = http://crl.example.com/\naia-prefix = http://ca.example.com/ http://ocsp.example.com/\n"
                  "caa-domain = example.com\nskew-seconds = 120\nauthz-seconds = 30\n"
                  "[escrow]\nprofiles = mailbox-strict\nperiod-days = 3650\nwrap = token-aes256\nkey-types = rsa-2048 ec-p256\n"
                  "recovery = yes\nencryption-only = yes\n") == 0 &&
              pol_bundle_parse(der, der_len, &b) == 0 && b.version == 7,
          "parse: a signed bundle, version 7");
    CHECK(pol_bundle_ca_find(&b, ca.key_id, &c) == 0 && c.profiles == ((1u << 2) | (1u << 3)) &&
              c.max_validity_days == 825 && c.skew_seconds == 120 && c.authz_seconds == 30 &&
              c.mpic_from == SG_BUNDLE_MPIC_LATEST && c.crldp_prefixes.len == 2 + 23 && c.aia_prefixes.len == 2 * 2 + 22 + 24,
          "parse: the CA entry's profiles, limits, windows and prefix lists");
    CHECK(pol_bundle_escrow_rule(&c, POL_MAILBOX, POL_STRICT, &r) == 0 && r.period_days == 3650 &&
              r.wrap == POL_WRAP_TOKEN_AES256 && r.recovery_allowed && r.encryption_only &&
              r.key_types == ((1u << SG_KEY_RSA_2048) | (1u << SG_KEY_EC_P256)) &&
              pol_bundle_escrow_rule(&c, POL_ORGANIZATION, POL_LEGACY, &r) == -1,
          "parse: the escrow rule of mailbox-strict, none for organization-legacy");
    uint8_t other[32];
    memcpy(other, ca.key_id, 32);
    other[0] ^= 1;
    CHECK(pol_bundle_ca_find(&b, other, &c) == -1, "parse: no entry for another key id");
    int all = 1;
    for (size_t n = 0; n < der_len; n++)
        all &= pol_bundle_parse(der, n, &b) != 0;
    CHECK(all, "parse: every truncation (%zu lengths) is refused", der_len);
    CHECK(sign(1, "profiles = mailbox-strict\nmax-validity-days = 826\n") == 0 && pol_bundle_parse(der, der_len, &b),
          "parse: maxValidityDays 826 with a strict profile refused (SBR 6.3.2: 825)");
    CHECK(sign(1, "profiles = mailbox-legacy\nmax-validity-days = 1185\n") == 0 && !pol_bundle_parse(der, der_len, &b),
          "parse: 1185 days with legacy profiles only accepted");
    CHECK(sign(1, "profiles = mailbox-strict\nmax-validity-days = 30\nmpic-from = 2025-05-15T00:00:01Z\n") == 0 &&
              pol_bundle_parse(der, der_len, &b),
          "parse: mpicFrom after 2025-05-15 refused (SBR 4.2.2.2)");
    CHECK(sign(1, "profiles = mailbox-strict\nmax-validity-days = 30\nskew-seconds = 86401\n") == 0 &&
              pol_bundle_parse(der, der_len, &b),
          "parse: skewSeconds above a day refused");
    CHECK(sign(1, "profiles = mailbox-strict\nmax-validity-days = 30\n[escrow]\nprofiles = sponsor-strict\nperiod-days = 1\n"
                  "wrap = token-aes256\nrecovery = no\nencryption-only = no\n") == 0 &&
              pol_bundle_parse(der, der_len, &b),
          "parse: an escrow rule for a profile the CA does not issue refused");
    static char two[8192];
    src(1, base);
    snprintf(two, sizeof two, "%s%s", conf, strchr(conf, '[')); /* the same [ca] twice */
    CHECK(bf_sign(two, der, sizeof der, &der_len) == 0 && pol_bundle_parse(der, der_len, &b),
          "parse: the same CA key id twice refused");
}

static uint8_t init_with_key(const uint8_t *key, size_t len)
{
    th_begin();
    th_put_s(SG_T_PIN, LT_SO);
    th_put_s(SG_T_LABEL, "bundle");
    if (len)
        th_put(SG_T_POLICY_KEY, key, len);
    return th_send(0, SG_CMD_INIT_TOKEN).status;
}

static void loading(void)
{
    pol_bundle b;
    /* No policy key: nothing can be loaded, CA keys refuse. */
    CHECK(init_with_key(NULL, 0) == SG_ST_OK && sign(1, base) == 0 && load() == SG_ST_NO_POLICY_KEY,
          "token initialized without a policy key: POLICY_LOAD answers NO_POLICY_KEY");
    CHECK(init_with_key((const uint8_t *)"\x30\x03\x02\x01\x01", 5) == SG_ST_ARGS,
          "INIT_TOKEN with a policy key that is no SubjectPublicKeyInfo: ARGS");

    CHECK(lt_setup(0, &ca) == 0, "token with the policy key, a bound CA key and the fixture's bundle");
    lt_info before = lt_log_info();
    CHECK(sign(bf_version + 1, base) == 0, "bundle signed");
    th_begin();
    th_put(SG_T_BUNDLE, der, der_len);
    CHECK(th_send(0, SG_CMD_POLICY_LOAD).status == SG_ST_NOT_LOGGED_IN, "POLICY_LOAD by the user: NOT_LOGGED_IN");
    uint8_t st = load();
    size_t hl = 0;
    const uint8_t *h = th_get((th_resp){ 0, 0, th_out[4] << 24 | th_out[5] << 16 | th_out[6] << 8 | th_out[7], th_out + 8 },
                              SG_T_POLICY_HASH, &hl);
    uint8_t want[32];
    mbedtls_sha256(der, der_len, want, 0);
    CHECK(st == SG_ST_OK && h && hl == 32 && !memcmp(h, want, 32), "POLICY_LOAD: accepted, hash = SHA-256 of the DER");
    bf_version++;
    th_begin();
    th_resp r = th_send(0, SG_CMD_POLICY_INFO);
    size_t bl = 0, kl = 0;
    const uint8_t *bd = th_get(r, SG_T_BUNDLE, &bl), *ph = th_get(r, SG_T_POLICY_HASH, &hl);
    CHECK(r.status == SG_ST_OK && th_get_u(r, SG_T_POLICY_VERSION) == bf_version && ph && !memcmp(ph, want, 32) && bd &&
              bl == der_len && !memcmp(bd, der, bl) && th_get(r, SG_T_POLICY_KEY, &kl) && kl == bf_pub_len,
          "POLICY_INFO: version, hash, the bundle and the policy key");
    long got = lt_read(before.size);
    CHECK(got == 1 && lt_e[before.size].b[1] == SG_LOG_EV_POLICY_LOAD &&
              !memcmp(lt_e[before.size].b + SG_LOG_OFF_POLICY_HASH, want, 32) &&
              sg_be_get(lt_e[before.size].b + SG_LOG_OFF_VALUE, 8) == bf_version,
          "log: POLICY_LOAD with the new hash and version");
    th_resp is = lt_issue(&ca, 1, 0);
    got = lt_read(before.size + 1);
    CHECK(is.status == SG_ST_OK && got == 1 && lt_e[before.size + 1].b[1] == SG_LOG_EV_ISSUE_ACCEPTED &&
              !memcmp(lt_e[before.size + 1].b + SG_LOG_OFF_POLICY_HASH, want, 32),
          "log: the issuance under it carries the bundle hash");

    /* Refusals of POLICY_LOAD, each its own status. */
    CHECK(load() == SG_ST_BUNDLE_ROLLBACK, "the same version again: BUNDLE_ROLLBACK");
    CHECK(sign(bf_version - 1, base) == 0 && load() == SG_ST_BUNDLE_ROLLBACK, "an older version: BUNDLE_ROLLBACK");
    CHECK(sign(bf_version + 1, base) == 0 && pol_bundle_parse(der, der_len, &b) == 0, "a newer bundle");
    size_t at = (size_t)(b.tbs.p - der) + b.tbs.len - 3; /* inside the last CA entry's escrow/authz fields */
    der[at] ^= 0x01;
    CHECK(load() == SG_ST_BUNDLE_SIGNATURE || load() == SG_ST_BUNDLE_MALFORMED, "a flipped bit in the signed part: refused");
    der[at] ^= 0x01;
    uint8_t last = der[der_len - 1];
    der[der_len - 1] ^= 0x55;
    CHECK(load() == SG_ST_BUNDLE_SIGNATURE, "a tampered signature value: BUNDLE_SIGNATURE");
    der[der_len - 1] = last;
    /* The same TBS signed by someone else's key. */
    uint8_t save_priv[256], save_pub[160];
    size_t spl = bf_priv_len, sbl = bf_pub_len;
    memcpy(save_priv, bf_priv, sizeof save_priv);
    memcpy(save_pub, bf_pub, sizeof save_pub);
    bf_pub_len = 0;
    bf_policy_key(); /* a fresh key pair */
    CHECK(sign(bf_version + 1, base) == 0 && load() == SG_ST_BUNDLE_SIGNATURE, "signed by another key: BUNDLE_SIGNATURE");
    memcpy(bf_priv, save_priv, sizeof save_priv);
    memcpy(bf_pub, save_pub, sizeof save_pub);
    bf_priv_len = spl;
    bf_pub_len = sbl;
    CHECK(sign(bf_version + 1, base) == 0 && (der_len -= 1, load() == SG_ST_BUNDLE_MALFORMED), "truncated: BUNDLE_MALFORMED");
    static uint8_t big[SG_BUNDLE_MAX + 1];
    memset(big, 0x30, sizeof big);
    CHECK(bf_load_der(LT_SO, big, sizeof big) == SG_ST_BUNDLE_TOO_LARGE, "4049 bytes: BUNDLE_TOO_LARGE");
    CHECK(lt_read(before.size + 2) == 0, "no refused load left a POLICY_LOAD entry");

    /* It survives a reboot; a re-initialization drops it. */
    th_boot();
    th_begin();
    r = th_send(0, SG_CMD_POLICY_INFO);
    CHECK(th_get_u(r, SG_T_POLICY_VERSION) == bf_version && th_get(r, SG_T_POLICY_HASH, &hl) && !memcmp(th_get(r, SG_T_POLICY_HASH, &hl), want, 32),
          "after a reboot the same bundle is in force");
}

static void rules(void)
{
    th_resp r;
    CHECK(lt_setup(0, &ca) == 0, "fresh token, CA key, fixture bundle");
    /* Before any bundle of the CA key: a bundle for another key only. */
    uint8_t keep = ca.key_id[0];
    ca.key_id[0] ^= 1;
    CHECK(sign(bf_version + 1, base) == 0 && load() == SG_ST_OK, "a bundle without an entry for the CA key");
    bf_version++;
    ca.key_id[0] = keep;
    CHECK(th_has_reason(r = lt_issue(&ca, 1, 0), "sbrguard.bundle.no-entry", NULL) && r.status == SG_ST_POLICY_REJECTED,
          "no entry for the CA key: refused (sbrguard.bundle.no-entry)");

    static const struct {
        const char *body, *code, *what;
        int refused;
    } rows[] = {
        { "profiles = mailbox-multipurpose\nmax-validity-days = 398\n", "sbrguard.bundle.profile-not-allowed",
          "mailbox-strict TBS, CA allows mailbox-multipurpose only", 1 },
        { "profiles = mailbox-strict\nmax-validity-days = 398\n", "sbrguard.bundle.profile-not-allowed",
          "mailbox-strict TBS, CA allows mailbox-strict", 0 },
        { "profiles = mailbox-strict\nmax-validity-days = 365\n", "sbrguard.bundle.validity-over-max",
          "365-day TBS (366 days by SBR 6.3.2 counting), CA maximum 365", 1 },
        { "profiles = mailbox-strict\nmax-validity-days = 366\n", "sbrguard.bundle.validity-over-max",
          "365-day TBS, CA maximum 366", 0 },
        { "profiles = mailbox-strict\nmax-validity-days = 398\ncrldp-prefix = http://crl.other.example/\n",
          "sbrguard.bundle.crldp-prefix", "CRLDP http://crl.example.com/ca.crl, prefix http://crl.other.example/", 1 },
        { "profiles = mailbox-strict\nmax-validity-days = 398\ncrldp-prefix = http://x.example/ http://crl.example.com/\n",
          "sbrguard.bundle.crldp-prefix", "CRLDP matches the second prefix", 0 },
        { "profiles = mailbox-strict\nmax-validity-days = 398\naia-prefix = http://ocsp.example.com/\n",
          "sbrguard.bundle.aia-prefix", "AIA caIssuers http://ca.example.com/ca.crt, prefix http://ocsp.example.com/", 1 },
        { "profiles = mailbox-strict\nmax-validity-days = 398\naia-prefix = http://ca.example.com/\n",
          "sbrguard.bundle.aia-prefix", "AIA matches its prefix", 0 },
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        CHECK(sign(bf_version + 1, rows[i].body) == 0 && load() == SG_ST_OK, "bundle: %s", rows[i].what);
        bf_version++;
        r = lt_issue(&ca, 10 + (unsigned)i, 0);
        if (rows[i].refused)
            CHECK(r.status == SG_ST_POLICY_REJECTED && th_has_reason(r, rows[i].code, NULL), "%s: refused (%s)", rows[i].what, rows[i].code);
        else
            CHECK(r.status == SG_ST_OK && !th_has_reason(r, rows[i].code, NULL), "%s: signed", rows[i].what);
    }
    /* The bundle's skew (the clock row) and pre-authorization window. */
    CHECK(sign(bf_version + 1, "profiles = mailbox-strict\nmax-validity-days = 398\nskew-seconds = 60\nauthz-seconds = 5\n") == 0 &&
              load() == SG_ST_OK,
          "bundle: skew 60 s, pre-authorization 5 s");
    bf_version++;
    sim_clock_set(LT_NOW + 600);
    CHECK(th_has_reason(lt_issue(&ca, 30, 0), "sbrguard.clock.not-before", NULL), "notBefore 600 s off with a 60 s skew: refused");
    sim_clock_set(LT_NOW + 30);
    CHECK(lt_issue(&ca, 31, 0).status == SG_ST_OK, "30 s off: signed");
    th_begin();
    th_put_u(SG_T_HANDLE, ca.handle, 2);
    th_put_u(SG_T_MECH, SG_MECH_ECDSA_SHA256, 4);
    th_put(SG_T_DATA, lt_tbs_buf, lt_tbs_len);
    r = th_send(0, SG_CMD_AUTHORIZE);
    CHECK(r.status == SG_ST_OK && th_get_u(r, SG_T_EXPIRES) == LT_NOW + 30 + 5, "AUTHORIZE expires after the bundle's 5 s");
    sim_clock_set(LT_NOW);

    /* A re-initialization drops the bundle: CA keys refuse again. */
    th_begin();
    th_send(0, SG_CMD_LOGOUT);
    CHECK(bf_init_token(LT_SO, "again") == SG_ST_OK && th_init_pin(LT_SO, LT_PIN) == SG_ST_OK &&
              th_login(0, SG_USER_USER, LT_PIN) == SG_ST_OK,
          "re-initialized");
    th_begin();
    r = th_send(0, SG_CMD_POLICY_INFO);
    size_t l = 0;
    CHECK(r.status == SG_ST_OK && !th_get(r, SG_T_POLICY_VERSION, &l) && th_get(r, SG_T_POLICY_KEY, &l),
          "after INIT_TOKEN: the policy key, no bundle");
    th_resp k = th_keygen(0, SG_KEY_EC_P256, "ca2", 0);
    const uint8_t *p = th_get(k, SG_T_PUBKEY, &l);
    static uint8_t cert[2048];
    lt_ca c2 = { .handle = (unsigned)th_get_u(k, SG_T_HANDLE) };
    memcpy(c2.spki, p, l);
    c2.spki_len = l;
    size_t cl = lt_ca_cert(c2.spki, c2.spki_len, cert);
    th_begin();
    th_put_u(SG_T_HANDLE, c2.handle, 2);
    th_put(SG_T_VALUE, cert, cl);
    CHECK(th_send(0, SG_CMD_BIND_CA).status == SG_ST_OK && th_has_reason(r = lt_issue(&c2, 40, 0), "sbrguard.bundle.none", NULL) &&
              r.status == SG_ST_POLICY_REJECTED,
          "a CA key with no bundle loaded refuses (sbrguard.bundle.none)");
}

int main(void)
{
    CHECK(lt_setup(0, &ca) == 0, "token with the fixture's bundle");
    parser();
    loading();
    rules();
    return CHECK_DONE();
}
