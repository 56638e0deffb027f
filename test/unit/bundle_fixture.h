/* SPDX-License-Identifier: Apache-2.0 */
/* The one fixture that lets CA keys sign in tests: "with no bundle loaded,
 * CA keys refuse" (docs/bundle.md). The token is initialized with the
 * security officer's policy key (a P-256 key made here once), and a bundle
 * signed with it names the CA keys. The bundle is built from the same
 * source format as `sbrguard policy sign` (libsbrguard's compiler). Later
 * fixtures (evidence) extend this file. */
#ifndef BUNDLE_FIXTURE_H
#define BUNDLE_FIXTURE_H
#include <stdio.h>
#include <sys/random.h>
#include <unistd.h>
#include "sbrguard/hal.h"
#include "../../policy/pol.h"
#include "evtest.h"
#include "harness.h"
#include "mbedtls/ecp.h"
#include "mbedtls/pk.h"
#include "mbedtls/sha256.h"
#include "sbrguard/sbrguard.h"

#define BF_SO_CHAN (FW_MAX_CHANNELS - 1) /* the SO logs in here, not on the tests' channel */

static uint8_t bf_priv[256], bf_pub[160];
static size_t bf_priv_len, bf_pub_len;
static uint32_t bf_version;

static int bf_rng(void *ctx, unsigned char *out, size_t len)
{
    (void)ctx;
    return getrandom(out, len, 0) == (ssize_t)len ? 0 : -1;
}

/* The SO's policy key pair (DER), made once per test process. */
static int bf_policy_key(void)
{
    if (bf_pub_len)
        return 0;
    mbedtls_pk_context pk;
    uint8_t b[256];
    int n, m, rc = -1;
    mbedtls_pk_init(&pk);
    if (!mbedtls_pk_setup(&pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)) &&
        !mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(pk), bf_rng, NULL) &&
        (n = mbedtls_pk_write_key_der(&pk, b, sizeof b)) > 0) {
        memcpy(bf_priv, b + sizeof b - n, (size_t)n);
        bf_priv_len = (size_t)n;
        if ((m = mbedtls_pk_write_pubkey_der(&pk, b, sizeof b)) > 0 && (size_t)m <= sizeof bf_pub) {
            memcpy(bf_pub, b + sizeof b - m, (size_t)m);
            bf_pub_len = (size_t)m;
            rc = 0;
        }
    }
    mbedtls_pk_free(&pk);
    return rc;
}

/* The validation authority the default bundle trusts (a test key of the
 * corpus), its SPKI in a file for the bundle compiler, and evidence it
 * signs for whatever TBS a test sends (th_evidence_fn): every mailbox by
 * e-mail random value (SBR 3.2.2.2) and every identity attribute, an hour
 * old on the token's clock. */
static ev_key bf_va;
static char bf_va_file[64];

static size_t bf_evidence(const uint8_t *tbs, size_t len, uint8_t *out, size_t cap)
{
    static ev_spec s;
    if (ev_spec_default(&s, tbs, len, (int64_t)hal_clock_now(), SG_EV_M_EMAIL, &bf_va))
        return 0; /* not a TBS: nothing to attach */
    return ev_make(&s, &bf_va, out, cap);
}

static void bf_va_cleanup(void) { unlink(bf_va_file); }

static int bf_va_key(void)
{
    if (bf_va_file[0])
        return 0;
    if (ev_key_load(&bf_va, "test/vectors/smime/keys/ca-p256.pem", POL_SIG_ECDSA_SHA256))
        return -1;
    snprintf(bf_va_file, sizeof bf_va_file, "/tmp/sg-bf-va-%d.der", (int)getpid());
    FILE *f = fopen(bf_va_file, "wb");
    int ok = f && fwrite(bf_va.spki, 1, bf_va.spki_len, f) == bf_va.spki_len;
    if (f)
        fclose(f);
    th_evidence_fn = bf_evidence;
    atexit(bf_va_cleanup);
    return ok ? 0 : -1;
}

/* INIT_TOKEN with the policy key; the token status. */
static uint8_t bf_init_token(const char *so, const char *label)
{
    if (bf_policy_key())
        return 0xFF;
    th_begin();
    th_put_s(SG_T_PIN, so);
    th_put_s(SG_T_LABEL, label);
    th_put(SG_T_POLICY_KEY, bf_pub, bf_pub_len);
    return th_send(0, SG_CMD_INIT_TOKEN).status;
}

/* A signed bundle from source text (its own "version = N" line first). */
static int bf_sign(const char *conf, uint8_t *out, size_t cap, size_t *len)
{
    static uint8_t tbs[SG_BUNDLE_MAX + 512];
    size_t tl;
    char err[256];
    if (!conf || bf_policy_key() || sg_policy_compile(conf, NULL, tbs, sizeof tbs, &tl, err, sizeof err)) {
        fprintf(stderr, "bundle fixture: %s\n", err);
        return -1;
    }
    return sg_policy_sign(tbs, tl, bf_priv, bf_priv_len, out, cap, len) ? -1 : 0;
}

/* POLICY_LOAD as the SO on its own channel; the token status. */
static uint8_t bf_load_der(const char *so, const uint8_t *der, size_t len)
{
    uint8_t st = th_login(BF_SO_CHAN, SG_USER_SO, so);
    if (st)
        return st;
    th_begin();
    th_put(SG_T_BUNDLE, der, len);
    st = th_send(BF_SO_CHAN, SG_CMD_POLICY_LOAD).status;
    uint8_t save[SG_MAX_FRAME];
    memcpy(save, th_out, sizeof save); /* the caller may read the load's response */
    th_begin();
    th_send(BF_SO_CHAN, SG_CMD_LOGOUT);
    memcpy(th_out, save, sizeof save);
    return st;
}

/* Source of a bundle that lets each CA key (by SPKI) issue every profile
 * for up to 825 days with a 1 h notBefore skew; ca_extra (may be NULL)
 * is added to every [ca] section (later lines override). */
static char *bf_conf(char *buf, size_t cap, const uint8_t *const *spki, const size_t *spki_len, size_t n,
                     const char *ca_extra)
{
    if (bf_va_key())
        return NULL;
    size_t off = (size_t)snprintf(buf, cap, "version = %u\n", ++bf_version);
    for (size_t i = 0; i < n && off < cap; i++) {
        uint8_t id[32];
        mbedtls_sha256(spki[i], spki_len[i], id, 0);
        off += (size_t)snprintf(buf + off, cap - off, "[ca]\nkey-id = ");
        for (int k = 0; k < 32 && off < cap; k++)
            off += (size_t)snprintf(buf + off, cap - off, "%02x", id[k]);
        off += (size_t)snprintf(buf + off, cap - off,
                                "\nprofiles = mailbox-legacy mailbox-multipurpose mailbox-strict organization-legacy "
                                "organization-multipurpose organization-strict sponsor-legacy sponsor-multipurpose "
                                "sponsor-strict individual-legacy individual-multipurpose individual-strict\n"
                                "max-validity-days = 825\nskew-seconds = 3600\nva-key = %s\n"
                                "caa-domain = ca.example\n%s",
                                bf_va_file, ca_extra ? ca_extra : "");
    }
    return buf;
}

/* Signs and loads the default bundle for these CA keys; the token status. */
static uint8_t bf_load(const char *so, const uint8_t *const *spki, const size_t *spki_len, size_t n,
                       const char *ca_extra)
{
    static char conf[16384];
    static uint8_t der[SG_BUNDLE_MAX + 1024];
    size_t len;
    if (bf_sign(bf_conf(conf, sizeof conf, spki, spki_len, n, ca_extra), der, sizeof der, &len))
        return 0xFF;
    return bf_load_der(so, der, len);
}

/* One CA key. */
static uint8_t bf_load1(const char *so, const uint8_t *spki, size_t spki_len)
{
    return bf_load(so, &spki, &spki_len, 1, NULL);
}

/* The rules of the default bundle, for host-side pol_check comparisons. */
static const pol_ca_rules bf_default_rules = { 07777u, 825, NULL, 0, NULL, 0 };

#endif
