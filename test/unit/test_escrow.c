/* SPDX-License-Identifier: Apache-2.0 */
/* Key escrow under the CA's bundle (docs/bundle.md; SBR 4.12, 6.1.2, 6.3.2):
 * allowed; each refusal with its own reason code; delivery decrypts (RSA-OAEP
 * + AES-256 KWP, unwrapped here with mbedTLS) to the escrowed key; recovery
 * by the SO only, within the period, as the current rule allows; the agent
 * mode; the log entries. */
#include <stdio.h>
#include "check.h"
#include "logtest.h"
#include "mbedtls/nist_kw.h"
#include "mbedtls/rsa.h"

#define DAY 86400ull

static lt_ca ca;
static uint8_t tr_priv[2048], tr_pub[600], ec_pub[200];
static size_t tr_priv_len, tr_pub_len, ec_pub_len;
static const uint8_t consent[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                     17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 };

/* The subscriber's transport key (also the escrow agent's here) and an EC key too weak for transport. */
static int keys(void)
{
    mbedtls_pk_context pk;
    uint8_t b[2048];
    int n, m, rc = -1;
    mbedtls_pk_init(&pk);
    if (!mbedtls_pk_setup(&pk, mbedtls_pk_info_from_type(MBEDTLS_PK_RSA)) &&
        !mbedtls_rsa_gen_key(mbedtls_pk_rsa(pk), bf_rng, NULL, 2048, 65537) &&
        (n = mbedtls_pk_write_key_der(&pk, b, sizeof b)) > 0 && (m = mbedtls_pk_write_pubkey_der(&pk, tr_pub, sizeof tr_pub)) > 0) {
        memcpy(tr_priv, b + sizeof b - n, (size_t)n);
        tr_priv_len = (size_t)n;
        memmove(tr_pub, tr_pub + sizeof tr_pub - m, (size_t)m);
        tr_pub_len = (size_t)m;
        rc = 0;
    }
    mbedtls_pk_free(&pk);
    mbedtls_pk_init(&pk);
    if (rc == 0 && !mbedtls_pk_setup(&pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)) &&
        !mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(pk), bf_rng, NULL) &&
        (m = mbedtls_pk_write_pubkey_der(&pk, b, sizeof b)) > 0) {
        memcpy(ec_pub, b + sizeof b - m, (size_t)m);
        ec_pub_len = (size_t)m;
    } else {
        rc = -1;
    }
    mbedtls_pk_free(&pk);
    return rc;
}

/* RSA-OAEP-SHA256(K) || KWP_K(PKCS#8) -> does the key's public half equal spki? */
static int unwraps_to(const uint8_t *w, size_t wl, const uint8_t *spki, size_t spki_len)
{
    mbedtls_pk_context pk, key;
    uint8_t k[32], p8[2600], pub[600];
    size_t kl = 0, pl = 0;
    int ok = 0, m;
    mbedtls_pk_init(&pk);
    mbedtls_pk_init(&key);
    mbedtls_nist_kw_context kw;
    mbedtls_nist_kw_init(&kw);
    if (wl > 256 && !mbedtls_pk_parse_key(&pk, tr_priv, tr_priv_len, NULL, 0, bf_rng, NULL) &&
        !mbedtls_rsa_set_padding(mbedtls_pk_rsa(pk), MBEDTLS_RSA_PKCS_V21, MBEDTLS_MD_SHA256) &&
        !mbedtls_rsa_rsaes_oaep_decrypt(mbedtls_pk_rsa(pk), bf_rng, NULL, NULL, 0, &kl, w, k, sizeof k) && kl == 32 &&
        !mbedtls_nist_kw_setkey(&kw, MBEDTLS_CIPHER_ID_AES, k, 256, 0) &&
        !mbedtls_nist_kw_unwrap(&kw, MBEDTLS_KW_MODE_KWP, w + 256, wl - 256, p8, &pl, sizeof p8) && p8[0] == 0x30 &&
        !mbedtls_pk_parse_key(&key, p8, pl, NULL, 0, bf_rng, NULL) &&
        (m = mbedtls_pk_write_pubkey_der(&key, pub, sizeof pub)) > 0)
        ok = (size_t)m == spki_len && !memcmp(pub + sizeof pub - m, spki, spki_len);
    mbedtls_nist_kw_free(&kw);
    mbedtls_pk_free(&pk);
    mbedtls_pk_free(&key);
    return ok;
}

/* ESCROW_GENERATE; consent_len 0: none. */
static th_resp gen(int type, int genr, int kt, int usage, const uint8_t *c, size_t consent_len)
{
    uint8_t prof[2] = { (uint8_t)type, (uint8_t)genr };
    th_begin();
    th_put_u(SG_T_HANDLE, ca.handle, 2);
    th_put(SG_T_PROFILE, prof, 2);
    th_put_u(SG_T_KEY_TYPE, (uint64_t)kt, 1);
    th_put_u(SG_T_ESCROW_USAGE, (uint64_t)usage, 1);
    if (consent_len)
        th_put(SG_T_CONSENT, c, consent_len);
    th_put_s(SG_T_LABEL, "escrowed");
    return th_send(0, SG_CMD_ESCROW_GENERATE);
}

static th_resp xport(unsigned chan, uint8_t cmd, unsigned h, const uint8_t *t, size_t tl)
{
    th_begin();
    th_put_u(SG_T_HANDLE, h, 2);
    if (tl)
        th_put(SG_T_TRANSPORT_KEY, t, tl);
    return th_send(chan, cmd);
}

static int refused(th_resp r, const char *code) { return r.status == SG_ST_ESCROW_REFUSED && th_has_reason(r, code, NULL); }

int main(void)
{
    CHECK(keys() == 0, "transport/agent RSA-2048 key and an EC key made with mbedTLS");
    FILE *f = fopen("/tmp/sbrguard-test-escrow-agent.der", "wb");
    CHECK(f && fwrite(tr_pub, 1, tr_pub_len, f) == tr_pub_len && !fclose(f), "agent key file for the bundle source");
    CHECK(lt_setup(0, &ca) == 0, "token, bound CA key, fixture bundle");
    static char extra[2048];
    snprintf(extra, sizeof extra,
             "[escrow]\nprofiles = mailbox-strict\nperiod-days = 30\nwrap = token-aes256\nkey-types = rsa-2048 ec-p256\n"
             "recovery = yes\nencryption-only = yes\n"
             "[escrow]\nprofiles = mailbox-multipurpose\nperiod-days = 30\nwrap = token-aes256\nrecovery = no\nencryption-only = no\n"
             "[escrow]\nprofiles = organization-strict\nperiod-days = 10\nwrap = agent-rsa-oaep\n"
             "agent-key = /tmp/sbrguard-test-escrow-agent.der\nrecovery = yes\nencryption-only = no\n");
    CHECK(bf_load(LT_SO, (const uint8_t *const[]){ ca.spki }, &ca.spki_len, 1, extra) == SG_ST_OK,
          "bundle with escrow rules for mailbox-strict (token, recovery), mailbox-multipurpose (no recovery), "
          "organization-strict (agent)");
    remove("/tmp/sbrguard-test-escrow-agent.der");
    lt_info l0 = lt_log_info();

    /* Allowed. */
    th_resp r = gen(POL_MAILBOX, POL_STRICT, SG_KEY_RSA_2048, SG_ESCROW_USE_ENCRYPT, consent, 32);
    size_t sl = 0;
    const uint8_t *s = th_get(r, SG_T_PUBKEY, &sl);
    static uint8_t spki[600];
    memcpy(spki, s ? s : spki, sl);
    unsigned h = (unsigned)th_get_u(r, SG_T_HANDLE);
    CHECK(r.status == SG_ST_OK && s && sl > 256 && th_get_u(r, SG_T_ESCROW_UNTIL) == LT_NOW + 30 * DAY &&
              th_get_u(r, SG_T_WRAP) == SG_WRAP_TOKEN_AES256,
          "allowed: RSA-2048 escrowed for mailbox-strict, until now + the bundle's 30 days (not the validity)");
    th_begin();
    th_put_u(SG_T_HANDLE, h, 2);
    th_resp o = th_send(0, SG_CMD_GET_OBJECT);
    size_t l = 0;
    CHECK(o.status == SG_ST_OK && th_get_u(o, SG_T_CLASS) == SG_CLASS_ESCROW && th_get(o, SG_T_PUBKEY, &l) &&
              !th_get(o, SG_T_WRAPPED_KEY, &l) && !th_get(o, FW_T_PRIVKEY, &l),
          "the escrow record: class 4, public key; the wrapped key never leaves through GET_OBJECT");
    lt_read(l0.size);
    uint8_t kid[32];
    mbedtls_sha256(spki, sl, kid, 0);
    const uint8_t *e = lt_e[l0.size].b;
    CHECK(e[1] == SG_LOG_EV_ESCROW && !memcmp(e + SG_LOG_OFF_KEY_ID, kid, 32) && !memcmp(e + SG_LOG_OFF_TBS_HASH, consent, 32) &&
              !memcmp(e + SG_LOG_OFF_CERT_HASH, ca.key_id, 32) && sg_be_get(e + SG_LOG_OFF_VALUE, 8) == LT_NOW + 30 * DAY,
          "log: ESCROW with the key id, consent hash, CA key id and escrow-until");
    CHECK(gen(POL_MAILBOX, POL_STRICT, SG_KEY_EC_P256, SG_ESCROW_USE_ENCRYPT, consent, 32).status == SG_ST_OK,
          "allowed: EC P-256 (key agreement) for mailbox-strict");

    /* Denied, each with its own code. */
    CHECK(refused(gen(POL_SPONSOR, POL_STRICT, SG_KEY_RSA_2048, SG_ESCROW_USE_ENCRYPT, consent, 32), "sbrguard.escrow.no-rule"),
          "denied: no escrow rule for sponsor-strict (sbrguard.escrow.no-rule, 4.12.1)");
    CHECK(refused(gen(POL_MAILBOX, POL_STRICT, SG_KEY_RSA_2048, SG_ESCROW_USE_ENCRYPT, consent, 0), "sbrguard.escrow.no-consent"),
          "denied: no subscriber authorization (sbrguard.escrow.no-consent, 6.1.2)");
    static const uint8_t zeros[32];
    CHECK(refused(gen(POL_MAILBOX, POL_STRICT, SG_KEY_RSA_2048, SG_ESCROW_USE_ENCRYPT, zeros, 32), "sbrguard.escrow.no-consent"),
          "denied: an all-zero consent hash is no consent");
    CHECK(refused(gen(POL_MAILBOX, POL_STRICT, SG_KEY_RSA_2048, SG_ESCROW_USE_SIGN, consent, 32), "sbrguard.escrow.encryption-only") &&
              refused(gen(POL_MAILBOX, POL_STRICT, SG_KEY_RSA_2048, SG_ESCROW_USE_BOTH, consent, 32), "sbrguard.escrow.encryption-only"),
          "denied: signing or dual-use key under an encryption-only rule (sbrguard.escrow.encryption-only)");
    CHECK(refused(gen(POL_MAILBOX, POL_STRICT, SG_KEY_RSA_3072, SG_ESCROW_USE_ENCRYPT, consent, 32), "sbrguard.escrow.key-type") &&
              refused(gen(POL_MAILBOX, POL_STRICT, SG_KEY_EC_P384, SG_ESCROW_USE_ENCRYPT, consent, 32), "sbrguard.escrow.key-type"),
          "denied: RSA-3072 and P-384 not among the rule's key types (sbrguard.escrow.key-type)");
    CHECK(gen(POL_MAILBOX, POL_STRICT, 9, SG_ESCROW_USE_ENCRYPT, consent, 32).status == SG_ST_KEY_TYPE,
          "an unknown key type: KEY_TYPE");
    lt_info l1 = lt_log_info();
    lt_read(l1.size - 7);
    int n_ref = 0;
    for (uint64_t i = l1.size - 7; i < l1.size; i++)
        n_ref += lt_e[i].b[1] == SG_LOG_EV_ESCROW_REFUSED;
    CHECK(n_ref == 7, "log: each of the 7 refusals is an ESCROW_REFUSED entry with its reason");

    /* Delivery (SBR 6.1.2). */
    r = xport(0, SG_CMD_ESCROW_DELIVER, h, tr_pub, tr_pub_len);
    const uint8_t *w = th_get(r, SG_T_WRAPPED_KEY, &l);
    CHECK(r.status == SG_ST_OK && w && unwraps_to(w, l, spki, sl),
          "delivery: RSA-OAEP-SHA256(K) || KWP_K(PKCS#8) decrypts with the transport key to the escrowed key");
    CHECK(refused(xport(0, SG_CMD_ESCROW_DELIVER, h, ec_pub, ec_pub_len), "sbrguard.escrow.transport-key"),
          "delivery to an EC transport key: refused (sbrguard.escrow.transport-key, 6.1.2)");
    lt_info l2 = lt_log_info();
    lt_read(l2.size - 2);
    CHECK(lt_e[l2.size - 2].b[1] == SG_LOG_EV_DELIVERY, "log: DELIVERY");

    /* Recovery: SO only, as the rule allows, within the period. */
    CHECK(xport(0, SG_CMD_ESCROW_RECOVER, h, tr_pub, tr_pub_len).status == SG_ST_NOT_LOGGED_IN,
          "recovery by the user: NOT_LOGGED_IN (SO only)");
    CHECK(th_login(2, SG_USER_SO, LT_SO) == SG_ST_OK, "SO logged in on channel 2");
    r = xport(2, SG_CMD_ESCROW_RECOVER, h, tr_pub, tr_pub_len);
    w = th_get(r, SG_T_WRAPPED_KEY, &l);
    CHECK(r.status == SG_ST_OK && w && unwraps_to(w, l, spki, sl), "recovery by the SO: decrypts to the escrowed key");
    th_login(0, SG_USER_USER, LT_PIN);
    r = gen(POL_MAILBOX, POL_MULTIPURPOSE, SG_KEY_EC_P256, SG_ESCROW_USE_BOTH, consent, 32);
    unsigned hm = (unsigned)th_get_u(r, SG_T_HANDLE);
    CHECK(r.status == SG_ST_OK && refused(xport(2, SG_CMD_ESCROW_RECOVER, hm, tr_pub, tr_pub_len), "sbrguard.escrow.recovery-forbidden"),
          "recovery where the rule forbids it: refused (sbrguard.escrow.recovery-forbidden, 4.12.1)");

    /* Agent mode. */
    r = gen(POL_ORGANIZATION, POL_STRICT, SG_KEY_RSA_2048, SG_ESCROW_USE_SIGN, consent, 32);
    unsigned ha = (unsigned)th_get_u(r, SG_T_HANDLE);
    static uint8_t aspki[600];
    s = th_get(r, SG_T_PUBKEY, &sl);
    size_t asl = sl;
    memcpy(aspki, s ? s : aspki, asl);
    CHECK(r.status == SG_ST_OK && th_get_u(r, SG_T_WRAP) == SG_WRAP_AGENT_RSA_OAEP, "agent mode: escrowed to the agent's key");
    CHECK(refused(xport(0, SG_CMD_ESCROW_DELIVER, ha, tr_pub, tr_pub_len), "sbrguard.escrow.agent-wrapped"),
          "agent mode: the token cannot deliver it (sbrguard.escrow.agent-wrapped)");
    r = xport(2, SG_CMD_ESCROW_RECOVER, ha, NULL, 0);
    w = th_get(r, SG_T_WRAPPED_KEY, &l);
    CHECK(r.status == SG_ST_OK && w && unwraps_to(w, l, aspki, asl), "agent mode: recovery hands out the blob only the agent decrypts");

    /* The period (SBR 6.3.2): not the certificate's validity, and then over. */
    th_begin();
    th_put_u(SG_T_HANDLE, h, 2);
    CHECK(th_send(0, SG_CMD_DESTROY_OBJECT).status == SG_ST_PROHIBITED, "an escrow record cannot be destroyed within its period");
    sim_clock_set(LT_NOW + 30 * DAY + 1);
    CHECK(refused(xport(2, SG_CMD_ESCROW_RECOVER, h, tr_pub, tr_pub_len), "sbrguard.escrow.period-over"),
          "recovery after the period (sim clock + 30 days + 1 s): refused (sbrguard.escrow.period-over, 6.3.2)");
    CHECK(refused(xport(0, SG_CMD_ESCROW_DELIVER, h, tr_pub, tr_pub_len), "sbrguard.escrow.period-over"),
          "delivery after the period: refused");
    th_begin();
    th_put_u(SG_T_HANDLE, h, 2);
    CHECK(th_send(0, SG_CMD_DESTROY_OBJECT).status == SG_ST_OK, "after its period the record can be destroyed");
    sim_clock_set(LT_NOW);
    return CHECK_DONE();
}
