/* SPDX-License-Identifier: Apache-2.0 */
/* The sign path of CA keys in the in-process firmware: inline TBS judged by
 * the policy (accept, refusals with reason codes in the response), the
 * signature algorithm of key + mechanism, and pre-authorizations of one
 * raw-digest signature (single use, expiry, mismatches, channel close).
 * TBSCertificates are built here from parts; signatures are verified with
 * mbedTLS. */
#include <time.h>
#include <unistd.h>
#include "../../policy/pol.h"
#include "check.h"
#include "harness.h"
#include "derbuild.h"
#include "sigcheck.h"
#include "bundle_fixture.h"
#include "mbedtls/md.h"
#include "mbedtls/pk.h"
#include "mbedtls/rsa.h"

#define SO "so-pin-1"
#define PIN "user-1234"

/* Signature AlgorithmIdentifiers of SBR 7.1.3.2. */
enum { ALG_ECDSA256, ALG_ECDSA384, ALG_RSA256, ALG_PSS256 };
static void sig_alg(dbuf *d, int alg)
{
    switch (alg) {
    case ALG_ECDSA256: db_put(d, DB_BYTES(0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02)); break;
    case ALG_ECDSA384: db_put(d, DB_BYTES(0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03)); break;
    case ALG_RSA256:
        db_put(d, DB_BYTES(0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00));
        break;
    default:
        db_put(d, DB_BYTES(0x30, 0x41, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a, 0x30, 0x34, 0xa0,
                     0x0f, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00,
                     0xa1, 0x1c, 0x30, 0x1a, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08, 0x30,
                     0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0xa2, 0x03,
                     0x02, 0x01, 0x20));
    }
}

static const uint8_t ca_ski[20] = { 0x5b, 0x1e, 0x0c, 0x77, 0x93, 0x21, 0xaa, 0x10, 0x42, 0x07,
                                    0xde, 0x63, 0xe4, 0xd1, 0x8e, 0x43, 0x1e, 0x7f, 0x79, 0x18 };

/* A CA certificate for spki: subject O=sbrguard tests, CN=Test Issuing CA,
 * subjectKeyIdentifier ca_ski. Its signature is not checked by anyone. */
static size_t ca_cert(const uint8_t *spki, size_t spki_len, int alg, uint8_t *out)
{
    static dbuf tbs, v, exts, x, cert;
    time_t now = time(NULL);
    tbs.n = v.n = exts.n = x.n = cert.n = 0;
    db_put(&tbs, DB_BYTES(0xa0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x01, 0x01));
    sig_alg(&tbs, alg);
    db_name(&tbs, "sbrguard tests", "Test Issuing CA");
    db_utc(&v, now - 86400);
    db_utc(&v, now + 3650L * 86400);
    db_wrap(&tbs, 0x30, &v);
    db_name(&tbs, "sbrguard tests", "Test Issuing CA");
    db_put(&tbs, spki, spki_len);
    db_ca_exts(&exts, ca_ski, sizeof ca_ski);
    db_wrap(&x, 0x30, &exts);
    db_wrap(&tbs, 0xa3, &x);
    x.n = 0;
    db_wrap(&x, 0x30, &tbs);
    sig_alg(&x, alg);
    db_put(&x, DB_BYTES(0x03, 0x03, 0x00, 0x01, 0x02));
    db_wrap(&cert, 0x30, &x);
    memcpy(out, cert.b, cert.n);
    return cert.n;
}

/* A subscriber TBS, mailbox strict (SBR 7.1.6.1 2.23.140.1.5.1.3). */
typedef struct {
    int alg;
    int server_auth; /* adds id-kp-serverAuth to the EKU */
    long nb_offset;  /* notBefore - now */
    int no_exts;     /* no extensions at all */
} tbs_opts;

static size_t make_tbs(const uint8_t *spki, size_t spki_len, const tbs_opts *o, uint8_t *out)
{
    static dbuf tbs, v, exts, x;
    time_t now = time(NULL) + o->nb_offset;
    tbs.n = v.n = exts.n = x.n = 0;
    db_put(&tbs, DB_BYTES(0xa0, 0x03, 0x02, 0x01, 0x02));
    db_put(&tbs, DB_BYTES(0x02, 0x10, 0x4f, 0x3a, 0x9b, 0x1c, 0x2d, 0x7e, 0x8f, 0x6a, 0x5b, 0x4c, 0x3d, 0x2e, 0x1f, 0x0a,
                    0x9b, 0x8c));
    sig_alg(&tbs, o->alg);
    db_name(&tbs, "sbrguard tests", "Test Issuing CA");
    db_utc(&v, now);
    db_utc(&v, now + 365L * 86400);
    db_wrap(&tbs, 0x30, &v);
    db_name(&tbs, NULL, "alice@example.com");
    db_put(&tbs, spki, spki_len);
    db_smime_exts(&exts, ca_ski, sizeof ca_ski, o->server_auth);
    db_wrap(&x, 0x30, &exts);
    if (!o->no_exts)
        db_wrap(&tbs, 0xa3, &x);
    x.n = 0;
    db_wrap(&x, 0x30, &tbs);
    memcpy(out, x.b, x.n);
    return x.n;
}

/* ---- token helpers -------------------------------------------------------- */

static void sha(mbedtls_md_type_t md, const uint8_t *p, size_t n, uint8_t *out)
{
    mbedtls_md(mbedtls_md_info_from_type(md), p, n, out);
}

static int count_reasons(th_resp r)
{
    size_t off = 0, vl;
    uint8_t t;
    const uint8_t *v;
    int n = 0;
    while (sg_tlv_next(r.p, r.len, &off, &t, &v, &vl) == 1)
        n += t == SG_T_REASON;
    return n;
}

static int refused(th_resp r, const char *code)
{
    size_t l;
    return r.status == SG_ST_POLICY_REJECTED && th_has_reason(r, code, NULL) && th_get(r, SG_T_MESSAGE, &l) &&
           !th_get(r, SG_T_SIGNATURE, &l);
}

static th_resp sign_pss(unsigned chan, unsigned h, uint32_t mech, const void *data, size_t len, uint32_t slen)
{
    th_begin();
    th_put_u(SG_T_HANDLE, h, 2);
    th_put_u(SG_T_MECH, mech, 4);
    th_put(SG_T_DATA, data, len);
    th_put_u(SG_T_PSS_HASH, SG_MECH_SHA256, 4);
    th_put_u(SG_T_PSS_MGF, SG_MGF1_SHA256, 4);
    th_put_u(SG_T_PSS_SLEN, slen, 4);
    return th_send(chan, SG_CMD_SIGN);
}

static th_resp authorize(unsigned chan, unsigned h, uint32_t mech, const void *tbs, size_t len, int pss)
{
    th_begin();
    th_put_u(SG_T_HANDLE, h, 2);
    th_put_u(SG_T_MECH, mech, 4);
    th_put(SG_T_DATA, tbs, len);
    if (pss) {
        th_put_u(SG_T_PSS_HASH, SG_MECH_SHA256, 4);
        th_put_u(SG_T_PSS_MGF, SG_MGF1_SHA256, 4);
        th_put_u(SG_T_PSS_SLEN, 32, 4);
    }
    return th_send(chan, SG_CMD_AUTHORIZE);
}

typedef struct {
    unsigned h;
    uint8_t spki[600];
    size_t spki_len;
} key;

static int keygen(int type, uint32_t flags, key *k)
{
    size_t l = 0;
    th_resp r = th_keygen(0, type, "k", flags);
    const uint8_t *p = th_get(r, SG_T_PUBKEY, &l);
    if (r.status != SG_ST_OK || !p || l > sizeof k->spki)
        return -1;
    k->h = (unsigned)th_get_u(r, SG_T_HANDLE);
    memcpy(k->spki, p, l);
    k->spki_len = l;
    return 0;
}

static int bind(const key *k, int alg)
{
    static uint8_t cert[2048];
    size_t n = ca_cert(k->spki, k->spki_len, alg, cert);
    th_begin();
    th_put_u(SG_T_HANDLE, k->h, 2);
    th_put(SG_T_VALUE, cert, n);
    return th_send(0, SG_CMD_BIND_CA).status;
}

/* ---- the checks ------------------------------------------------------------ */

static key ca, sub, rsa, reserved;

/* The fixture's bundle for the three CA keys, with extra [ca] lines. */
static uint8_t load_bundle(const char *extra)
{
    const uint8_t *spki[3] = { ca.spki, rsa.spki, reserved.spki };
    size_t len[3] = { ca.spki_len, rsa.spki_len, reserved.spki_len };
    return bf_load(SO, spki, len, 3, extra);
}
static uint8_t tbs[2048], bad[2048];
static size_t tbs_len, bad_len;

static void inline_ec(void)
{
    uint8_t hash[64];
    size_t sl = 0;
    tbs_opts o = { ALG_ECDSA256, 0, 0, 0 };
    tbs_len = make_tbs(sub.spki, sub.spki_len, &o, tbs);
    th_resp r = th_sign(0, ca.h, SG_MECH_ECDSA_SHA256, tbs, tbs_len);
    const uint8_t *s = th_get(r, SG_T_SIGNATURE, &sl);
    sha(MBEDTLS_MD_SHA256, tbs, tbs_len, hash);
    CHECK(r.status == SG_ST_OK && s && sl == 64 && sig_verify_hash(ca.spki, ca.spki_len, MBEDTLS_MD_SHA256, hash, s, sl, -1),
          "inline: a conforming TBS is signed by the CA key (ECDSA P-256, SHA-256), signature verifies");

    r = th_sign(0, ca.h, SG_MECH_ECDSA_SHA384, tbs, tbs_len);
    CHECK(refused(r, "sbrguard.sign.hash-curve") && th_has_reason(r, "sbrguard.sign.hash-curve", "7.1.3.2.2"),
          "inline: ECDSA-SHA384 with a P-256 CA key is refused (hash must match the curve, 7.1.3.2.2)");

    o.alg = ALG_ECDSA384;
    bad_len = make_tbs(sub.spki, sub.spki_len, &o, bad);
    r = th_sign(0, ca.h, SG_MECH_ECDSA_SHA256, bad, bad_len);
    CHECK(refused(r, "sbr.7.1.3.2.sigalg.ca-mismatch"),
          "inline: a TBS announcing ecdsa-with-SHA384 is refused for what the key produces (ca-mismatch)");

    o = (tbs_opts){ ALG_ECDSA256, 1, 0, 0 };
    bad_len = make_tbs(sub.spki, sub.spki_len, &o, bad);
    r = th_sign(0, ca.h, SG_MECH_ECDSA_SHA256, bad, bad_len);
    size_t ml = 0;
    const uint8_t *m = th_get(r, SG_T_MESSAGE, &ml);
    CHECK(refused(r, "sbr.7.1.2.3.eku.prohibited") && th_has_reason(r, "sbr.7.1.2.3.eku.prohibited", "7.1.2.3(f)"),
          "inline: EKU serverAuth refused, code and SBR section in a REASON");
    CHECK(m && ml == strlen("sbr.7.1.2.3.eku.prohibited") && !memcmp(m, "sbr.7.1.2.3.eku.prohibited", ml),
          "refusal: MESSAGE is the first reason code (older hosts)");

    /* Many findings: each one is a REASON, the same the engine finds on the host. */
    o = (tbs_opts){ ALG_ECDSA256, 0, 0, 1 };
    bad_len = make_tbs(sub.spki, sub.spki_len, &o, bad);
    r = th_sign(0, ca.h, SG_MECH_ECDSA_SHA256, bad, bad_len);
    static uint8_t cert[2048];
    static pol_workspace w;
    static const uint8_t alg[] = { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02 };
    pol_ca pc;
    pol_decision dec;
    size_t cl = ca_cert(ca.spki, ca.spki_len, ALG_ECDSA256, cert);
    int same = pol_ca_from_cert(cert, cl, &w, &pc) == 0;
    pc.sig_alg = alg;
    pc.sig_alg_len = sizeof alg;
    pol_ctx ctx = { .now = (int64_t)time(NULL), .ca = &pc, .not_before_skew = 3600 };
    pol_check(bad, bad_len, &ctx, &w, &dec);
    for (uint16_t i = 0; i < dec.n; i++)
        same &= th_has_reason(r, pol_rule_at(dec.findings[i])->code, pol_rule_at(dec.findings[i])->section);
    CHECK(r.status == SG_ST_POLICY_REJECTED && dec.n >= 5 && same && count_reasons(r) == dec.n,
          "inline: a TBS without extensions: all %u findings of the host engine come back as REASONs", dec.n);

    o = (tbs_opts){ ALG_ECDSA256, 0, -3 * 86400, 0 };
    bad_len = make_tbs(sub.spki, sub.spki_len, &o, bad);
    r = th_sign(0, ca.h, SG_MECH_ECDSA_SHA256, bad, bad_len);
    CHECK(refused(r, "sbrguard.clock.not-before"),
          "inline: notBefore three days off the token clock is refused");
    r = th_sign(0, ca.h, SG_MECH_ECDSA_SHA256, tbs, tbs_len - 1);
    CHECK(refused(r, "sbr.7.1.2.4.der.malformed"), "inline: a truncated TBS is refused as malformed DER");
    r = th_sign(0, reserved.h, SG_MECH_ECDSA_SHA256, tbs, tbs_len);
    CHECK(refused(r, "sbrguard.ca.unbound"), "a key generated as CA with no bound certificate keeps refusing");
    r = th_sign(0, sub.h, SG_MECH_ECDSA_SHA256, "anything", 8);
    CHECK(r.status == SG_ST_OK, "a plain key still signs anything");
}

static void inline_rsa(void)
{
    uint8_t hash[64];
    size_t sl = 0;
    tbs_opts o = { ALG_RSA256, 0, 0, 0 };
    static uint8_t rt[2048], pt[2048];
    size_t rl = make_tbs(sub.spki, sub.spki_len, &o, rt);
    o.alg = ALG_PSS256;
    size_t pl = make_tbs(sub.spki, sub.spki_len, &o, pt);
    th_resp r = th_sign(0, rsa.h, SG_MECH_SHA256_RSA_PKCS, rt, rl);
    const uint8_t *s = th_get(r, SG_T_SIGNATURE, &sl);
    sha(MBEDTLS_MD_SHA256, rt, rl, hash);
    CHECK(r.status == SG_ST_OK && s && sig_verify_hash(rsa.spki, rsa.spki_len, MBEDTLS_MD_SHA256, hash, s, sl, -1),
          "inline RSA: sha256WithRSAEncryption TBS signed with SHA256-RSA-PKCS, verifies");
    r = th_sign(0, rsa.h, SG_MECH_SHA256_RSA_PKCS, pt, pl);
    CHECK(refused(r, "sbr.7.1.3.2.sigalg.ca-mismatch"), "inline RSA: a PSS TBS under PKCS#1 v1.5 is refused");
    r = sign_pss(0, rsa.h, SG_MECH_SHA256_RSA_PKCS_PSS, pt, pl, 32);
    s = th_get(r, SG_T_SIGNATURE, &sl);
    sha(MBEDTLS_MD_SHA256, pt, pl, hash);
    CHECK(r.status == SG_ST_OK && s && sig_verify_hash(rsa.spki, rsa.spki_len, MBEDTLS_MD_SHA256, hash, s, sl, 32),
          "inline RSA: RSASSA-PSS TBS signed with SHA256-RSA-PKCS-PSS, salt 32, verifies");
    r = sign_pss(0, rsa.h, SG_MECH_SHA256_RSA_PKCS_PSS, pt, pl, 20);
    CHECK(refused(r, "sbrguard.sign.pss-params") && th_has_reason(r, "sbrguard.sign.pss-params", "7.1.3.2.1"),
          "inline RSA: PSS salt 20 is refused (salt = hash length, 7.1.3.2.1)");
}

static void preauthorized(void)
{
    uint8_t hash[64], other[32];
    size_t l = 0, sl = 0;
    sha(MBEDTLS_MD_SHA256, tbs, tbs_len, hash);
    memcpy(other, hash, 32);
    other[0] ^= 1;

    th_resp r = th_sign(0, ca.h, SG_MECH_ECDSA, hash, 32);
    CHECK(refused(r, "sbrguard.authz.none"), "raw ECDSA with a CA key and no authorization: refused (authz.none)");
    r = authorize(0, sub.h, SG_MECH_ECDSA_SHA256, tbs, tbs_len, 0);
    CHECK(r.status == SG_ST_PROHIBITED, "AUTHORIZE with a plain key: PROHIBITED");
    r = authorize(0, ca.h, SG_MECH_ECDSA, hash, 32, 0);
    CHECK(r.status == SG_ST_MECHANISM, "AUTHORIZE with a raw mechanism: MECHANISM");
    r = authorize(0, ca.h, SG_MECH_ECDSA_SHA256, bad, bad_len, 0);
    CHECK(refused(r, "sbrguard.clock.not-before"), "AUTHORIZE of a non-conforming TBS: refused with its reasons");

    r = authorize(0, ca.h, SG_MECH_ECDSA_SHA256, tbs, tbs_len, 0);
    const uint8_t *d = th_get(r, SG_T_DIGEST, &l);
    uint64_t exp = th_get_u(r, SG_T_EXPIRES), now = (uint64_t)time(NULL);
    CHECK(r.status == SG_ST_OK && d && l == 32 && !memcmp(d, hash, 32) && th_get_u(r, SG_T_MECH) == SG_MECH_ECDSA &&
              exp >= now + SG_AUTHZ_WINDOW - 2 && exp <= now + SG_AUTHZ_WINDOW,
          "AUTHORIZE: accepted, answers raw ECDSA, the TBS's SHA-256 and an expiry of now + 60 s");
    CHECK(th_login(1, SG_USER_USER, PIN) == SG_ST_OK &&
              refused(th_sign(1, ca.h, SG_MECH_ECDSA, hash, 32), "sbrguard.authz.none"),
          "the authorization belongs to its channel: another connection is refused");
    CHECK(refused(th_sign(0, ca.h, SG_MECH_ECDSA, other, 32), "sbrguard.authz.digest-mismatch"),
          "raw ECDSA of another digest: refused (digest-mismatch)");
    CHECK(refused(th_sign(0, ca.h, SG_MECH_ECDSA, hash, 31), "sbrguard.authz.digest-mismatch"),
          "raw ECDSA of a truncated digest: refused (digest-mismatch)");
    CHECK(refused(th_sign(0, reserved.h, SG_MECH_ECDSA, hash, 32), "sbrguard.authz.key-mismatch"),
          "the digest with another CA key: refused (key-mismatch)");
    r = th_sign(0, ca.h, SG_MECH_ECDSA, hash, 32);
    const uint8_t *s = th_get(r, SG_T_SIGNATURE, &sl);
    CHECK(r.status == SG_ST_OK && s && sig_verify_hash(ca.spki, ca.spki_len, MBEDTLS_MD_SHA256, hash, s, sl, -1),
          "raw ECDSA of exactly the authorized digest: signed, verifies");
    CHECK(refused(th_sign(0, ca.h, SG_MECH_ECDSA, hash, 32), "sbrguard.authz.used"),
          "the same digest a second time: refused (authz.used)");

    /* Replacement, channel close, expiry. */
    authorize(0, ca.h, SG_MECH_ECDSA_SHA256, tbs, tbs_len, 0);
    fw_channel_closed(0);
    CHECK(th_login(0, SG_USER_USER, PIN) == SG_ST_OK &&
              refused(th_sign(0, ca.h, SG_MECH_ECDSA, hash, 32), "sbrguard.authz.none"),
          "closing the connection ends its authorization");
    CHECK(load_bundle("authz-seconds = 1\n") == SG_ST_OK, "a bundle with a 1 s pre-authorization window loaded");
    r = authorize(0, ca.h, SG_MECH_ECDSA_SHA256, tbs, tbs_len, 0);
    CHECK(r.status == SG_ST_OK && th_get_u(r, SG_T_EXPIRES) <= (uint64_t)time(NULL) + 1,
          "the bundle's 1 s window is reported (authzSeconds)");
    sleep(3);
    CHECK(refused(th_sign(0, ca.h, SG_MECH_ECDSA, hash, 32), "sbrguard.authz.expired"),
          "after its window the authorization is refused (authz.expired)");
    CHECK(load_bundle(NULL) == SG_ST_OK, "back to the bundle's 60 s window");
    authorize(0, ca.h, SG_MECH_ECDSA_SHA256, tbs, tbs_len, 0);
    CHECK(th_boot() == FW_OK && th_login(0, SG_USER_USER, PIN) == SG_ST_OK &&
              refused(th_sign(0, ca.h, SG_MECH_ECDSA, hash, 32), "sbrguard.authz.none"),
          "a reboot ends every authorization");
}

static void preauthorized_rsa(void)
{
    static const uint8_t di256[19] = { 0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                       0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20 };
    uint8_t hash[64], info[19 + 32];
    static uint8_t rt[2048], pt[2048];
    size_t l = 0, sl = 0;
    tbs_opts o = { ALG_RSA256, 0, 0, 0 };
    size_t rl = make_tbs(sub.spki, sub.spki_len, &o, rt);
    o.alg = ALG_PSS256;
    size_t pl = make_tbs(sub.spki, sub.spki_len, &o, pt);
    sha(MBEDTLS_MD_SHA256, rt, rl, hash);
    memcpy(info, di256, 19);
    memcpy(info + 19, hash, 32);
    th_resp r = authorize(0, rsa.h, SG_MECH_SHA256_RSA_PKCS, rt, rl, 0);
    const uint8_t *d = th_get(r, SG_T_DIGEST, &l);
    CHECK(r.status == SG_ST_OK && d && l == sizeof info && !memcmp(d, info, l) &&
              th_get_u(r, SG_T_MECH) == SG_MECH_RSA_PKCS,
          "AUTHORIZE RSA PKCS#1: answers raw RSA-PKCS over the SHA-256 DigestInfo");
    CHECK(refused(th_sign(0, rsa.h, SG_MECH_RSA_PKCS, hash, 32), "sbrguard.authz.digest-mismatch"),
          "raw RSA-PKCS of the bare digest (no DigestInfo): refused");
    CHECK(refused(sign_pss(0, rsa.h, SG_MECH_RSA_PKCS_PSS, hash, 32, 32), "sbrguard.authz.mechanism-mismatch"),
          "raw PSS under a PKCS#1 authorization: refused (mechanism-mismatch)");
    r = th_sign(0, rsa.h, SG_MECH_RSA_PKCS, info, sizeof info);
    const uint8_t *s = th_get(r, SG_T_SIGNATURE, &sl);
    CHECK(r.status == SG_ST_OK && s && sig_verify_hash(rsa.spki, rsa.spki_len, MBEDTLS_MD_SHA256, hash, s, sl, -1),
          "raw RSA-PKCS of exactly the DigestInfo: signed, verifies");

    sha(MBEDTLS_MD_SHA256, pt, pl, hash);
    r = authorize(0, rsa.h, SG_MECH_SHA256_RSA_PKCS_PSS, pt, pl, 1);
    CHECK(r.status == SG_ST_OK && th_get_u(r, SG_T_MECH) == SG_MECH_RSA_PKCS_PSS, "AUTHORIZE RSA PSS");
    CHECK(refused(sign_pss(0, rsa.h, SG_MECH_RSA_PKCS_PSS, hash, 32, 20), "sbrguard.authz.mechanism-mismatch"),
          "raw PSS with salt 20 under a salt-32 authorization: refused");
    r = sign_pss(0, rsa.h, SG_MECH_RSA_PKCS_PSS, hash, 32, 32);
    s = th_get(r, SG_T_SIGNATURE, &sl);
    CHECK(r.status == SG_ST_OK && s && sig_verify_hash(rsa.spki, rsa.spki_len, MBEDTLS_MD_SHA256, hash, s, sl, 32),
          "raw PSS with the authorized digest and parameters: signed, verifies");
}

int main(void)
{
    (void)th_set_pin; /* harness helper this test does not need */
    CHECK(th_boot() == FW_OK && bf_init_token(SO, "signpath") == SG_ST_OK && th_init_pin(SO, PIN) == SG_ST_OK &&
              th_login(0, SG_USER_USER, PIN) == SG_ST_OK,
          "token initialized, user logged in");
    CHECK(keygen(SG_KEY_EC_P256, 0, &ca) == 0 && keygen(SG_KEY_EC_P256, 0, &sub) == 0 &&
              keygen(SG_KEY_RSA_2048, 0, &rsa) == 0 && keygen(SG_KEY_EC_P256, SG_OBJ_CA, &reserved) == 0,
          "keys: EC CA, EC subscriber, RSA CA, EC reserved CA");
    CHECK(bind(&ca, ALG_ECDSA256) == SG_ST_OK && bind(&rsa, ALG_RSA256) == SG_ST_OK, "CA certificates bound");
    CHECK(load_bundle(NULL) == SG_ST_OK, "policy bundle for the three CA keys loaded (bundle_fixture.h)");
    inline_ec();
    inline_rsa();
    preauthorized();
    preauthorized_rsa();
    return CHECK_DONE();
}
