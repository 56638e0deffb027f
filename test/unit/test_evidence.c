/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Validation evidence (docs/evidence.md) against the S/MIME corpus's valid
 * certificates: the happy path of every method and profile with EC P-256,
 * P-384 and RSA (PKCS#1 v1.5 and PSS) VA keys, then every refusal as its own
 * case with its own reason code, each limit probed one second inside and
 * one second outside. The expected results come from the SBR 1.0.11 text
 * (sections named per case) and TLS BR 3.2.2.4 / 3.2.2.9.
 *
 * VA keys are keys of the corpus (test/vectors/smime/keys/) reused as
 * validation authorities. Runs from the repository root.
 */
#include "check.h"
#include "evtest.h"

#define V "test/vectors/smime/"
#define DAY 86400
/* 2025-10-01T00:00:00Z: CAA and MPIC required, quorum binding, 2 perspectives. */
#define NOW 1759276800

static ev_key va_p256, va_p384, va_rsa, va_pss, stranger;
static uint8_t trust_keys[4096], trust_caa[128];
static pol_ev_trust trust;
static uint8_t ev[SG_MAX_EVIDENCE * 2];

/* The codes of judging spec s (signed by k) for tbs at now. */
static const char *judge_spec(const ev_spec *s, ev_key *k, const uint8_t *tbs, size_t tl, int64_t now)
{
    size_t n = ev_make(s, k, ev, sizeof ev);
    if (!n)
        return "(evidence could not be made)";
    pol_decision d = ev_judge(tbs, tl, ev, n, &trust, now);
    return ev_codes(&d);
}

#define EXPECT(s, tbs, tl, now, want, ...)                                                  \
    do {                                                                                 \
        const char *got_ = judge_spec((s), &va_p256, (tbs), (tl), (now));                \
        CHECK(!strcmp(got_, (want)), __VA_ARGS__);                                       \
        if (strcmp(got_, (want)))                                                        \
            fprintf(stderr, "  expected %s, got %s\n", (want), got_);                    \
    } while (0)

static uint8_t tbs[4096];
static size_t tl;
static ev_spec s;

/* Fresh default evidence for the current TBS, every mailbox by method. */
static void fresh(int method, int64_t now) { ev_spec_default(&s, tbs, tl, now, method, &va_p256); }

static int load(const char *file)
{
    return ev_tbs_of(file, tbs, sizeof tbs, &tl);
}

static void setup_trust(void)
{
    size_t o = 0;
    const ev_key *keys[] = { &va_p256, &va_p384, &va_rsa };
    for (size_t i = 0; i < 3; i++) {
        memcpy(trust_keys + o, keys[i]->spki, keys[i]->spki_len);
        o += keys[i]->spki_len;
    }
    trust.va_keys.p = trust_keys;
    trust.va_keys.len = o;
    /* IA5String "ca.example", IA5String "smime.ca.example" */
    static const char *d[] = { "ca.example", "smime.ca.example" };
    o = 0;
    for (size_t i = 0; i < 2; i++) {
        trust_caa[o++] = 0x16;
        trust_caa[o++] = (uint8_t)strlen(d[i]);
        memcpy(trust_caa + o, d[i], strlen(d[i]));
        o += strlen(d[i]);
    }
    trust.caa_domains.p = trust_caa;
    trust.caa_domains.len = o;
    trust.mpic_from = SG_EV_MPIC_FROM;
}

static void happy_paths(void)
{
    static const char *const profiles[] = { "mailbox", "organization", "sponsor", "individual" };
    static const char *const gens[] = { "legacy", "multipurpose", "strict" };
    static const struct {
        int method;
        const char *name;
    } methods[] = {
        { SG_EV_M_DOMAIN, "3.2.2.1 via TLS BR 3.2.2.4.7" },
        { SG_EV_M_EMAIL, "3.2.2.2 e-mail Random Value" },
        { SG_EV_M_MAIL_SERVER, "3.2.2.3 mail server operator via TLS BR 3.2.2.4.18" },
        { SG_EV_M_ACME, "3.2.2.4 ACME for S/MIME (RFC 8823)" },
    };
    char path[128];
    for (int p = 0; p < 4; p++)
        for (int g = 0; g < 3; g++)
            for (int k = 0; k < 2; k++) {
                snprintf(path, sizeof path, V "valid-%s-%s-%s.der", profiles[p], gens[g], k ? "rsa" : "ec");
                if (load(path)) {
                    CHECK(0, "load %s", path);
                    continue;
                }
                fresh(methods[(p + g + k) % 4].method, NOW);
                EXPECT(&s, tbs, tl, NOW, "accept", "%s: every mailbox (%s) and identity attribute covered: accepted",
                       path + sizeof V - 1, methods[(p + g + k) % 4].name);
            }
    const char *more[] = { "ok-two-mailboxes.der", "ok-smtputf8-mailbox.der", "ok-san-dirname-too.der",
                           "ok-individual-title-serial.der", "ok-sponsor-title-ou.der", "ok-org-legacy-other.der",
                           "ok-individual-cn-mailbox.der", "ok-smtputf8-alabel.der" };
    for (size_t i = 0; i < sizeof more / sizeof *more; i++) {
        snprintf(path, sizeof path, V "%s", more[i]);
        CHECK(load(path) == 0, "load %s", more[i]);
        for (size_t m = 0; m < 4; m++) {
            fresh(methods[m].method, NOW);
            EXPECT(&s, tbs, tl, NOW, "accept", "%s by %s: accepted", more[i], methods[m].name);
        }
    }
    /* Each VA key kind. */
    load(V "valid-sponsor-strict-ec.der");
    ev_key *keys[] = { &va_p256, &va_p384, &va_rsa, &va_pss };
    const char *kn[] = { "ECDSA P-256/SHA-256", "ECDSA P-384/SHA-384", "RSA-3072 PKCS#1 v1.5/SHA-256",
                         "RSA-3072 PSS/SHA-256" };
    for (size_t i = 0; i < 4; i++) {
        size_t n;
        ev_spec_default(&s, tbs, tl, NOW, SG_EV_M_EMAIL, keys[i]);
        n = ev_make(&s, keys[i], ev, sizeof ev);
        pol_decision d = ev_judge(tbs, tl, ev, n, &trust, NOW);
        CHECK(n > 0 && n <= SG_MAX_EVIDENCE && !strcmp(ev_codes(&d), "accept"),
              "VA key %s: accepted (%zu bytes <= SG_MAX_EVIDENCE)", kn[i], n);
    }
}

/* Refusals of the bundle as a whole. */
static void bundle_refusals(void)
{
    pol_decision d;
    size_t n;
    load(V "valid-mailbox-strict-ec.der");
    d = ev_judge(tbs, tl, NULL, 0, &trust, NOW);
    CHECK(!strcmp(ev_codes(&d), "sbr.3.2.evidence.absent"), "no evidence: sbr.3.2.evidence.absent (SBR 3.2)");

    static const uint8_t junk[] = { 0x30, 0x03, 0x02, 0x01, 0x01 };
    d = ev_judge(tbs, tl, junk, sizeof junk, &trust, NOW);
    CHECK(!strcmp(ev_codes(&d), "sbrguard.evidence.malformed"),
          "SEQUENCE { INTEGER 1 } is no Evidence: sbrguard.evidence.malformed (test_evidence_der: all the others)");

    fresh(SG_EV_M_EMAIL, NOW);
    s.t.version = 2;
    EXPECT(&s, tbs, tl, NOW, "sbrguard.evidence.version", "format version 2: sbrguard.evidence.version");

    fresh(SG_EV_M_EMAIL, NOW);
    memcpy(s.t.va_key_id, stranger.id, 32);
    n = ev_make(&s, &stranger, ev, sizeof ev);
    d = ev_judge(tbs, tl, ev, n, &trust, NOW);
    CHECK(!strcmp(ev_codes(&d), "sbr.3.2.2.evidence.va-untrusted"),
          "untrusted key naming itself: sbr.3.2.2.evidence.va-untrusted");
    d = ev_judge(tbs, tl, ev, n, NULL, NOW);
    CHECK(!strcmp(ev_codes(&d), "sbr.3.2.2.evidence.va-untrusted"), "no trust at all: va-untrusted");

    /* Names a trusted key but is signed by another one. */
    fresh(SG_EV_M_EMAIL, NOW);
    memcpy(s.t.va_key_id, va_p384.id, 32);
    EXPECT(&s, tbs, tl, NOW, "sbr.3.2.2.evidence.signature",
           "names the trusted P-384 VA but signed by the P-256 VA: sbr.3.2.2.evidence.signature");

    /* Tampered: one byte of the signed mailbox changed after signing. */
    fresh(SG_EV_M_EMAIL, NOW);
    n = ev_make(&s, &va_p256, ev, sizeof ev);
    uint8_t *at = memmem(ev, n, "alice@", 6);
    CHECK(at != NULL, "the evidence carries the mailbox in clear");
    if (at) {
        at[0] = 'b';
        d = ev_judge(tbs, tl, ev, n, &trust, NOW);
        CHECK(!strcmp(ev_codes(&d), "sbr.3.2.2.evidence.signature"),
              "mailbox changed after signing: sbr.3.2.2.evidence.signature");
    }
    n = ev_make(&s, &va_p256, ev, sizeof ev);
    ev[n - 1] ^= 1;
    d = ev_judge(tbs, tl, ev, n, &trust, NOW);
    CHECK(!strcmp(ev_codes(&d), "sbr.3.2.2.evidence.signature"), "signature's last byte flipped: signature");

    /* Bound to another request. */
    fresh(SG_EV_M_EMAIL, NOW);
    mbedtls_sha256(va_p384.spki, va_p384.spki_len, s.t.key_hash, 0);
    EXPECT(&s, tbs, tl, NOW, "sbr.3.2.evidence.other-key",
           "evidence made for another subscriber key: sbr.3.2.evidence.other-key");
    fresh(SG_EV_M_EMAIL, NOW);
    s.t.has_tbs_hash = 1;
    mbedtls_sha256(tbs, tl, s.t.tbs_hash, 0);
    EXPECT(&s, tbs, tl, NOW, "accept", "bound to this TBS by its hash too: accepted");
    s.t.tbs_hash[0] ^= 1;
    EXPECT(&s, tbs, tl, NOW, "sbr.3.2.evidence.other-tbs", "bound to another TBS: sbr.3.2.evidence.other-tbs");
    {
        uint8_t other[4096];
        size_t ol;
        int same_key;
        ev_tbs_of(V "ok-mailbox-plus-tag.der", other, sizeof other, &ol);
        fresh(SG_EV_M_EMAIL, NOW);
        same_key = 1;
        pol_decision d2 = ev_judge(other, ol, ev, ev_make(&s, &va_p256, ev, sizeof ev), &trust, NOW);
        (void)same_key;
        CHECK(d2.verdict == POL_REFUSE && strstr(ev_codes(&d2), "evidence.mailbox-missing") != NULL,
              "evidence of one certificate presented with another of the same key: its mailbox is missing (%s)",
              ev_codes(&d2));
    }

    fresh(SG_EV_M_EMAIL, NOW);
    s.t.produced_at = NOW + 1;
    EXPECT(&s, tbs, tl, NOW, "sbr.4.2.1.evidence.future", "produced one second after the token's clock: future");
    s.t.produced_at = NOW;
    EXPECT(&s, tbs, tl, NOW, "accept", "produced at the token's clock: accepted");
}

/* SBR 3.2.2 and 4.2.1: mailbox records. */
static void mailbox_refusals(void)
{
    load(V "ok-two-mailboxes.der");
    fresh(SG_EV_M_EMAIL, NOW);
    s.t.n_mailboxes = 1;
    EXPECT(&s, tbs, tl, NOW, "sbr.3.2.2.evidence.mailbox-missing",
           "second SAN mailbox without a record: sbr.3.2.2.evidence.mailbox-missing (SBR 3.2.2)");
    fresh(SG_EV_M_EMAIL, NOW);
    s.mbox[0][0] = 'A'; /* local parts are compared exactly (RFC 5321 2.4) */
    EXPECT(&s, tbs, tl, NOW, "sbr.3.2.2.evidence.mailbox-missing", "record for Alice@ does not cover alice@");
    fresh(SG_EV_M_EMAIL, NOW);
    for (char *c = strchr(s.mbox[0], '@'); c && *c; c++)
        if (*c >= 'a' && *c <= 'z')
            *c = (char)(*c - 32);
    EXPECT(&s, tbs, tl, NOW, "accept", "record for alice@EXAMPLE.COM covers alice@example.com (domain case-insensitive)");

    load(V "valid-organization-strict-ec.der"); /* CN and emailAddress hold info@example.com */
    fresh(SG_EV_M_EMAIL, NOW);
    strcpy(s.mbox[0], "other@example.com");
    EXPECT(&s, tbs, tl, NOW, "sbr.3.2.2.evidence.mailbox-missing",
           "SAN, subject CN and emailAddress mailbox without a record: mailbox-missing");
    load(V "ok-san-dirname-too.der");
    fresh(SG_EV_M_EMAIL, NOW);
    EXPECT(&s, tbs, tl, NOW, "accept", "directoryName in the SAN: its identity needs no second record");

    load(V "valid-mailbox-strict-ec.der");
    fresh(SG_EV_M_EMAIL, NOW);
    s.mb[0].method = 3225;
    EXPECT(&s, tbs, tl, NOW, "sbr.3.2.2.evidence.method-unknown", "method 3225: sbr.3.2.2.evidence.method-unknown");
    s.mb[0].method = SG_EV_ID_INDIVIDUAL;
    EXPECT(&s, tbs, tl, NOW, "sbr.3.2.2.evidence.method-unknown", "identity method on a mailbox: method-unknown");

    /* 3.2.2.1 / 3.2.2.3: a TLS BR 3.2.2.4 method approved at validation time. */
    static const uint32_t retired[] = { 0, 1, 2, 3, 5, 6, 9, 10, 11, 15, 23, 255 };
    for (size_t i = 0; i < sizeof retired / sizeof *retired; i++) {
        fresh(i % 2 ? SG_EV_M_DOMAIN : SG_EV_M_MAIL_SERVER, NOW);
        s.mb[0].tls_method = retired[i];
        s.mb[0].has_mpic = 0;
        EXPECT(&s, tbs, tl, NOW, "sbr.3.2.2.1.evidence.tls-method", "TLS BR method 3.2.2.4.%u (retired or none): tls-method",
               retired[i]);
    }
    static const uint32_t approved[] = { 4, 7, 8, 12, 13, 14, 16, 17, 18, 19, 20, 21, 22 };
    for (size_t i = 0; i < sizeof approved / sizeof *approved; i++) {
        fresh(SG_EV_M_DOMAIN, NOW);
        s.mb[0].tls_method = approved[i];
        EXPECT(&s, tbs, tl, NOW, "accept", "TLS BR method 3.2.2.4.%u: accepted", approved[i]);
    }
    static const struct {
        uint32_t m;
        int64_t sunset;
    } sunsets[] = { { 8, 1773532800 }, { 16, 1805068800 }, { 17, 1805068800 }, { 4, 1836691200 },
                    { 13, 1836691200 }, { 14, 1836691200 } };
    for (size_t i = 0; i < sizeof sunsets / sizeof *sunsets; i++) {
        int64_t t = sunsets[i].sunset;
        fresh(SG_EV_M_DOMAIN, t + 3600);
        s.mb[0].tls_method = sunsets[i].m;
        s.mb[0].validated_at = t - 1;
        s.mb[0].mpic_remote = s.mb[0].mpic_ok = 6;
        EXPECT(&s, tbs, tl, t + 3600, "accept",
               "3.2.2.4.%u validated 1 s before its sunset, reused after it (SBR 4.2.1 reuse): accepted", sunsets[i].m);
        s.mb[0].validated_at = t;
        EXPECT(&s, tbs, tl, t + 3600, "sbr.3.2.2.1.evidence.tls-method", "3.2.2.4.%u validated at its sunset: tls-method",
               sunsets[i].m);
    }

    /* SBR 4.2.1 reuse limits, measured from the start of the validation. */
    static const struct {
        int method;
        uint32_t tls;
        int days;
        const char *what;
    } reuse[] = {
        { SG_EV_M_DOMAIN, 7, 398, "3.2.2.1" },     { SG_EV_M_MAIL_SERVER, 18, 398, "3.2.2.3" },
        { SG_EV_M_DOMAIN, 22, 10, "3.2.2.1 via 3.2.2.4.22 (TLS BR: 10 days)" },
        { SG_EV_M_EMAIL, 0, 30, "3.2.2.2" },       { SG_EV_M_ACME, 0, 30, "3.2.2.4" },
    };
    for (size_t i = 0; i < sizeof reuse / sizeof *reuse; i++) {
        int64_t start = NOW - (int64_t)reuse[i].days * DAY;
        fresh(reuse[i].method, NOW);
        if (reuse[i].tls)
            s.mb[0].tls_method = reuse[i].tls;
        s.mb[0].validated_at = start;
        s.mb[0].rv_created = start;
        s.mb[0].rv_used = start + 60;
        s.mb[0].validated_at = reuse[i].tls ? start : start + 60;
        EXPECT(&s, tbs, tl, NOW, "accept", "%s started exactly %d days ago: accepted", reuse[i].what, reuse[i].days);
        s.mb[0].validated_at -= 1;
        s.mb[0].rv_created -= 1;
        s.mb[0].rv_used -= 1;
        EXPECT(&s, tbs, tl, NOW, "sbr.4.2.1.evidence.mailbox-stale", "%s started %d days and 1 s ago: mailbox-stale",
               reuse[i].what, reuse[i].days);
    }
    fresh(SG_EV_M_EMAIL, NOW);
    s.mb[0].rv_created = NOW - 30 * DAY - 1; /* used within the day, validated within 30 days */
    s.mb[0].rv_used = s.mb[0].validated_at = NOW - 30 * DAY + 3600;
    EXPECT(&s, tbs, tl, NOW, "sbr.4.2.1.evidence.mailbox-stale",
           "3.2.2.2 Random Value made 30 days and 1 s ago, confirmed later: stale (SBR 3.2.2: initiated)");
    fresh(SG_EV_M_EMAIL, NOW);
    s.mb[0].validated_at = NOW + 1;
    EXPECT(&s, tbs, tl, NOW, "sbr.4.2.1.evidence.future", "validated one second in the future: future");

    /* Two records for one mailbox: one fresh one suffices. */
    fresh(SG_EV_M_EMAIL, NOW);
    s.mb[1] = s.mb[0];
    s.mb[0].validated_at = s.mb[0].rv_created = s.mb[0].rv_used = NOW - 40 * DAY;
    s.t.n_mailboxes = 2;
    EXPECT(&s, tbs, tl, NOW, "accept", "a stale and a fresh record for the same mailbox: accepted");
    s.t.n_mailboxes = 1;
    EXPECT(&s, tbs, tl, NOW, "sbr.4.2.1.evidence.mailbox-stale", "the stale record alone: mailbox-stale");
}

/* SBR 3.2.2.2 and 3.2.2.4: Random Values. */
static void random_values(void)
{
    load(V "valid-mailbox-strict-ec.der");
    for (int acme = 0; acme < 2; acme++) {
        int m = acme ? SG_EV_M_ACME : SG_EV_M_EMAIL;
        const char *sec = acme ? "3.2.2.4" : "3.2.2.2";
        char code[96];
        fresh(m, NOW);
        s.mb[0].has_rv = 0;
        EXPECT(&s, tbs, tl, NOW, "sbr.3.2.2.2.evidence.random-value-missing", "%s without its Random Value: random-value-missing",
               sec);
        snprintf(code, sizeof code, "sbr.%s.evidence.random-value-expired", sec);
        fresh(m, NOW);
        s.mb[0].rv_created = NOW - 2 * DAY;
        s.mb[0].rv_used = NOW - DAY;
        EXPECT(&s, tbs, tl, NOW, "accept", "%s Random Value used exactly 24 h after its creation: accepted", sec);
        s.mb[0].rv_created -= 1;
        EXPECT(&s, tbs, tl, NOW, code, "%s Random Value used 24 h and 1 s after its creation: %s", sec, code);
        fresh(m, NOW);
        s.mb[0].rv_used = s.mb[0].rv_created - 1;
        EXPECT(&s, tbs, tl, NOW, code, "%s Random Value used before its creation: %s", sec, code);
        fresh(m, NOW);
        s.mb[0].rv_used = NOW + 1;
        s.mb[0].rv_created = NOW;
        EXPECT(&s, tbs, tl, NOW, "sbr.4.2.1.evidence.future", "%s Random Value used in the future: future", sec);

        snprintf(code, sizeof code, acme ? "sbr.3.2.2.4.evidence.token-entropy" : "sbr.3.2.2.2.evidence.random-value-entropy");
        unsigned min = acme ? 128 : 112;
        fresh(m, NOW);
        s.mb[0].rv_bits = min;
        EXPECT(&s, tbs, tl, NOW, "accept", "%s Random Value of %u bits: accepted", sec, min);
        s.mb[0].rv_bits = min - 1;
        EXPECT(&s, tbs, tl, NOW, code, "%s Random Value of %u bits: %s", sec, min - 1, code);
    }
}

/* SBR 4.2.2.1, RFC 9495: CAA issuemail. */
static void caa(void)
{
    const char *mixed[] = { "CA.Example" }, *other[] = { "other-ca.example", "third.example" },
               *both[] = { "other-ca.example", "smime.ca.example" }, *empty[] = { "" };
    load(V "valid-mailbox-strict-ec.der");
    fresh(SG_EV_M_EMAIL, NOW);
    s.mb[0].has_caa = 0;
    EXPECT(&s, tbs, tl, NOW, "sbr.4.2.2.1.evidence.caa-missing", "no CAA check since 2025-03-15: caa-missing");
    fresh(SG_EV_M_EMAIL, SG_EV_CAA_FROM - 1);
    s.mb[0].has_caa = 0;
    EXPECT(&s, tbs, tl, SG_EV_CAA_FROM - 1, "accept", "no CAA check on 2025-03-14T23:59:59 (SHOULD only): accepted");
    fresh(SG_EV_M_EMAIL, NOW);
    s.mb[0].caa_issuers = mixed;
    s.mb[0].n_caa_issuers = 1;
    EXPECT(&s, tbs, tl, NOW, "accept", "issuemail \"CA.Example\" names the CA (case-insensitive): accepted");
    s.mb[0].caa_issuers = both;
    s.mb[0].n_caa_issuers = 2;
    EXPECT(&s, tbs, tl, NOW, "accept", "two issuemail records, one naming the CA: accepted");
    s.mb[0].caa_issuers = other;
    EXPECT(&s, tbs, tl, NOW, "sbr.4.2.2.1.evidence.caa-forbidden", "issuemail records name other CAs only: caa-forbidden");
    s.mb[0].caa_issuers = empty;
    s.mb[0].n_caa_issuers = 1;
    EXPECT(&s, tbs, tl, NOW, "sbr.4.2.2.1.evidence.caa-forbidden", "issuemail \";\" (no CA may issue): caa-forbidden");
    {
        pol_ev_trust none = trust;
        size_t n;
        none.caa_domains.len = 0;
        s.mb[0].caa_issuers = mixed;
        n = ev_make(&s, &va_p256, ev, sizeof ev);
        pol_decision d = ev_judge(tbs, tl, ev, n, &none, NOW);
        CHECK(!strcmp(ev_codes(&d), "sbr.4.2.2.1.evidence.caa-forbidden"),
              "CA policy without issuer domain names, issuemail present: caa-forbidden");
    }
    static const uint32_t ttls[] = { 0, 3600, 28800, 86400 };
    for (size_t i = 0; i < 4; i++) {
        int64_t window = ttls[i] > 28800 ? ttls[i] : 28800;
        fresh(SG_EV_M_EMAIL, NOW);
        s.mb[0].caa_ttl = ttls[i];
        s.mb[0].caa_at = NOW - window;
        EXPECT(&s, tbs, tl, NOW, "accept", "CAA TTL %u, checked max(TTL, 8 h) ago: accepted", ttls[i]);
        s.mb[0].caa_at -= 1;
        EXPECT(&s, tbs, tl, NOW, "sbr.4.2.2.1.evidence.caa-stale", "CAA TTL %u, checked max(TTL, 8 h) + 1 s ago: caa-stale",
               ttls[i]);
    }
    fresh(SG_EV_M_EMAIL, NOW);
    s.mb[0].caa_at = NOW + 1;
    EXPECT(&s, tbs, tl, NOW, "sbr.4.2.1.evidence.future", "CAA checked in the future: future");
}

/* SBR 4.2.2.2 -> TLS BR 3.2.2.9. */
static void mpic(void)
{
    load(V "valid-mailbox-strict-ec.der");
    fresh(SG_EV_M_DOMAIN, NOW);
    s.mb[0].has_mpic = 0;
    EXPECT(&s, tbs, tl, NOW, "sbr.4.2.2.2.evidence.mpic-missing", "3.2.2.4.7 without corroboration: mpic-missing");
    fresh(SG_EV_M_DOMAIN, SG_EV_MPIC_FROM - 1);
    s.mb[0].has_mpic = 0;
    EXPECT(&s, tbs, tl, SG_EV_MPIC_FROM - 1, "accept", "... on 2025-05-14T23:59:59 (before SMC010 made it SHALL): accepted");
    fresh(SG_EV_M_MAIL_SERVER, NOW);
    s.mb[0].has_mpic = 0;
    EXPECT(&s, tbs, tl, NOW, "sbr.4.2.2.2.evidence.mpic-missing", "3.2.2.3 via 3.2.2.4.18 without corroboration: mpic-missing");
    fresh(SG_EV_M_DOMAIN, NOW);
    s.mb[0].has_mpic = 0;
    s.mb[0].tls_method = 4;
    EXPECT(&s, tbs, tl, NOW, "accept", "3.2.2.4.4 (its text requires no MPIC) without corroboration: accepted");
    {
        pol_ev_trust early = trust;
        size_t n;
        early.mpic_from = NOW + 1;
        fresh(SG_EV_M_DOMAIN, NOW);
        s.mb[0].has_mpic = 0;
        n = ev_make(&s, &va_p256, ev, sizeof ev);
        pol_decision d = ev_judge(tbs, tl, ev, n, &early, NOW);
        CHECK(!strcmp(ev_codes(&d), "accept"), "CA policy's mpic_from after the clock: not required");
    }

    /* Phases by the time of the corroboration. */
    static const struct {
        int64_t at;
        unsigned remote, ok, rirs;
        const char *want, *why;
    } cases[] = {
        { SG_EV_MPIC_QUORUM_FROM - 1, 2, 0, 0, "accept", "2 remote, none corroborating, before 2025-09-15 (quorum not binding)" },
        { SG_EV_MPIC_QUORUM_FROM - 1, 1, 1, 1, "sbr.4.2.2.2.evidence.mpic-perspectives", "1 remote perspective before 2025-09-15" },
        { SG_EV_MPIC_QUORUM_FROM, 2, 1, 1, "accept", "2 remote, 1 corroborating (1 allowed) from 2025-09-15" },
        { SG_EV_MPIC_QUORUM_FROM, 2, 0, 0, "sbr.4.2.2.2.evidence.mpic-quorum", "2 remote, 0 corroborating from 2025-09-15" },
        { SG_EV_MPIC_QUORUM_FROM, 5, 4, 1, "accept", "5 remote, 4 corroborating (table: 2-5 allow 1)" },
        { SG_EV_MPIC_QUORUM_FROM, 5, 3, 1, "sbr.4.2.2.2.evidence.mpic-quorum", "5 remote, 3 corroborating (table: 2-5 allow 1)" },
        { SG_EV_MPIC_QUORUM_FROM, 6, 4, 1, "accept", "6 remote, 4 corroborating (table: 6+ allow 2)" },
        { SG_EV_MPIC_QUORUM_FROM, 6, 3, 1, "sbr.4.2.2.2.evidence.mpic-quorum", "6 remote, 3 corroborating (table: 6+ allow 2)" },
        { SG_EV_MPIC_3_FROM - 1, 2, 2, 1, "accept", "2 remote, 1 RIR on 2026-03-14T23:59:59" },
        { SG_EV_MPIC_3_FROM, 2, 2, 2, "sbr.4.2.2.2.evidence.mpic-perspectives", "2 remote from 2026-03-15 (3 required)" },
        { SG_EV_MPIC_3_FROM, 3, 3, 2, "accept", "3 remote, 2 RIRs from 2026-03-15" },
        { SG_EV_MPIC_3_FROM, 3, 3, 1, "sbr.4.2.2.2.evidence.mpic-rirs", "3 remote in 1 RIR from 2026-03-15" },
        { SG_EV_MPIC_4_FROM - 1, 3, 3, 2, "accept", "3 remote on 2026-06-14T23:59:59" },
        { SG_EV_MPIC_4_FROM, 3, 3, 2, "sbr.4.2.2.2.evidence.mpic-perspectives", "3 remote from 2026-06-15 (4 required)" },
        { SG_EV_MPIC_5_FROM - 1, 4, 3, 2, "accept", "4 remote, 3 corroborating on 2026-12-14T23:59:59" },
        { SG_EV_MPIC_5_FROM, 4, 4, 2, "sbr.4.2.2.2.evidence.mpic-perspectives", "4 remote from 2026-12-15 (5 required)" },
        { SG_EV_MPIC_5_FROM, 5, 4, 2, "accept", "5 remote, 4 corroborating, 2 RIRs from 2026-12-15" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int64_t now = cases[i].at + 3600;
        fresh(SG_EV_M_DOMAIN, now);
        s.mb[0].mpic_at = cases[i].at;
        s.mb[0].mpic_remote = cases[i].remote;
        s.mb[0].mpic_ok = cases[i].ok;
        s.mb[0].mpic_rirs = cases[i].rirs;
        EXPECT(&s, tbs, tl, now, cases[i].want, "MPIC: %s: %s", cases[i].why, cases[i].want);
    }
    fresh(SG_EV_M_DOMAIN, NOW);
    s.mb[0].mpic_at = NOW - 398 * DAY;
    s.mb[0].mpic_remote = s.mb[0].mpic_ok = 2;
    s.mb[0].mpic_rirs = 1;
    EXPECT(&s, tbs, tl, NOW, "accept", "corroboration exactly 398 days old: accepted");
    s.mb[0].mpic_at -= 1;
    EXPECT(&s, tbs, tl, NOW, "sbr.4.2.2.2.evidence.mpic-stale", "corroboration 398 days and 1 s old: mpic-stale");
    fresh(SG_EV_M_DOMAIN, NOW);
    s.mb[0].mpic_at = NOW + 1;
    EXPECT(&s, tbs, tl, NOW, "sbr.4.2.1.evidence.future", "corroboration in the future: future");
}

/* The identity record of an attribute type (OID content) in s, or NULL. */
static sg_ev_identity *id_rec(const uint8_t *oid, size_t len, uint32_t method)
{
    for (size_t i = 0; i < s.t.n_identities; i++)
        if (s.id[i].attr_type_len == len && !memcmp(s.id[i].attr_type, oid, len) && s.id[i].method == method)
            return &s.id[i];
    return NULL;
}
static void drop_id(sg_ev_identity *r)
{
    size_t i = (size_t)(r - s.id);
    memmove(&s.id[i], &s.id[i + 1], (s.t.n_identities - i - 1) * sizeof *r);
    s.t.n_identities--;
}

/* SBR 3.2.3, 3.2.4, 3.2.6, 4.2.1. */
static void identities(void)
{
    static const uint8_t O[] = { 0x55, 0x04, 0x0A }, GN[] = { 0x55, 0x04, 0x2A }, C[] = { 0x55, 0x04, 0x06 },
                         SERIAL[] = { 0x55, 0x04, 0x05 }, PSEUDO[] = { 0x55, 0x04, 0x41 };
    sg_ev_identity *r;
    load(V "valid-sponsor-strict-rsa.der");
    fresh(SG_EV_M_EMAIL, NOW);
    CHECK(s.t.n_identities == 8, "sponsor-validated: C, O, orgId, GN, SN, CN, title need records, O also 3.2.6 (%zu)",
          s.t.n_identities);
    drop_id(id_rec(O, 3, SG_EV_ID_ORGANIZATION));
    EXPECT(&s, tbs, tl, NOW, "sbr.3.2.3.evidence.organization-missing",
           "sponsor: organizationName without a 3.2.3 record: organization-missing");
    fresh(SG_EV_M_EMAIL, NOW);
    drop_id(id_rec(GN, 3, SG_EV_ID_INDIVIDUAL));
    EXPECT(&s, tbs, tl, NOW, "sbr.3.2.4.evidence.individual-missing",
           "sponsor: givenName without a 3.2.4 record: individual-missing");
    fresh(SG_EV_M_EMAIL, NOW);
    drop_id(id_rec(O, 3, SG_EV_ID_AUTHORITY));
    EXPECT(&s, tbs, tl, NOW, "sbr.3.2.6.evidence.authority-missing",
           "sponsor: no 3.2.6 authority record for the organization: authority-missing");
    fresh(SG_EV_M_EMAIL, NOW);
    id_rec(GN, 3, SG_EV_ID_INDIVIDUAL)->method = SG_EV_ID_ORGANIZATION;
    EXPECT(&s, tbs, tl, NOW, "sbr.3.2.evidence.identity-method", "givenName validated under 3.2.3: identity-method");
    fresh(SG_EV_M_EMAIL, NOW);
    id_rec(C, 3, SG_EV_ID_ORGANIZATION)->method = SG_EV_ID_INDIVIDUAL;
    EXPECT(&s, tbs, tl, NOW, "sbr.3.2.evidence.identity-method",
           "sponsor: countryName validated under 3.2.4 (7.1.4.2.2(n): 3.2.3): identity-method");
    fresh(SG_EV_M_EMAIL, NOW);
    id_rec(GN, 3, SG_EV_ID_INDIVIDUAL)->method = 999;
    EXPECT(&s, tbs, tl, NOW, "sbr.3.2.evidence.identity-method", "givenName validated by unknown method 999: identity-method");
    fresh(SG_EV_M_EMAIL, NOW);
    r = id_rec(GN, 3, SG_EV_ID_INDIVIDUAL);
    r->value_hash[0] ^= 1;
    EXPECT(&s, tbs, tl, NOW, "sbr.3.2.4.evidence.individual-missing",
           "givenName record for another value (hash differs): individual-missing");

    static const struct {
        const uint8_t *oid;
        uint32_t method;
        const char *code, *what;
    } stale[] = {
        { O, SG_EV_ID_ORGANIZATION, "sbr.4.2.1.evidence.organization-stale", "organization identity (3.2.3)" },
        { GN, SG_EV_ID_INDIVIDUAL, "sbr.4.2.1.evidence.individual-stale", "individual identity (3.2.4)" },
        { O, SG_EV_ID_AUTHORITY, "sbr.4.2.1.evidence.authority-stale", "authority (3.2.6)" },
    };
    for (size_t i = 0; i < 3; i++) {
        fresh(SG_EV_M_EMAIL, NOW);
        r = id_rec(stale[i].oid, 3, stale[i].method);
        r->validated_at = NOW - 825 * DAY;
        EXPECT(&s, tbs, tl, NOW, "accept", "%s validated exactly 825 days ago: accepted", stale[i].what);
        r->validated_at -= 1;
        EXPECT(&s, tbs, tl, NOW, stale[i].code, "%s validated 825 days and 1 s ago: %s", stale[i].what, stale[i].code);
        r->validated_at = NOW + 1;
        EXPECT(&s, tbs, tl, NOW, "sbr.4.2.1.evidence.future", "%s validated in the future: future", stale[i].what);
    }

    load(V "valid-organization-strict-ec.der");
    fresh(SG_EV_M_EMAIL, NOW);
    CHECK(s.t.n_identities == 4, "organization-validated: C, O, orgId need 3.2.3 and O 3.2.6; CN and emailAddress "
                                 "are mailboxes (%zu)", s.t.n_identities);
    drop_id(id_rec(C, 3, SG_EV_ID_ORGANIZATION));
    EXPECT(&s, tbs, tl, NOW, "sbr.3.2.3.evidence.organization-missing", "organization: countryName without a record");

    load(V "valid-individual-strict-ec.der");
    fresh(SG_EV_M_EMAIL, NOW);
    CHECK(s.t.n_identities == 2, "individual-validated: pseudonym and CN need 3.2.4, no 3.2.6 (%zu)", s.t.n_identities);
    drop_id(id_rec(PSEUDO, 3, SG_EV_ID_INDIVIDUAL));
    EXPECT(&s, tbs, tl, NOW, "sbr.3.2.4.evidence.individual-missing", "individual: pseudonym without a record");

    load(V "ok-individual-title-serial.der");
    fresh(SG_EV_M_EMAIL, NOW);
    r = id_rec(SERIAL, 3, SG_EV_ID_INDIVIDUAL);
    CHECK(r != NULL, "individual: serialNumber PNOGB-... is a Natural Person Identifier (7.1.4.2.2(g)): 3.2.4 record");
    if (r)
        drop_id(r);
    EXPECT(&s, tbs, tl, NOW, "sbr.3.2.4.evidence.individual-missing", "individual: NPI serialNumber without a record");

    load(V "valid-mailbox-strict-ec.der");
    fresh(SG_EV_M_EMAIL, NOW);
    CHECK(s.t.n_identities == 0, "mailbox-validated: no identity record needed (SBR 3.2 table: NA)");
}

int main(void)
{
    CHECK(ev_key_load(&va_p256, V "keys/ca-p256.pem", POL_SIG_ECDSA_SHA256) == 0 &&
              ev_key_load(&va_p384, V "keys/ca-p384.pem", POL_SIG_ECDSA_SHA384) == 0 &&
              ev_key_load(&va_rsa, V "keys/sub-rsa3072.pem", POL_SIG_RSA_SHA256) == 0 &&
              ev_key_load(&va_pss, V "keys/sub-rsa3072.pem", POL_SIG_PSS_SHA256) == 0 &&
              ev_key_load(&stranger, V "keys/sub-p256.pem", POL_SIG_ECDSA_SHA256) == 0,
          "VA keys load (run from the repository root)");
    setup_trust();
    for (int i = 0; i < EV_RULE_COUNT; i++) {
        const pol_rule *r = &pol_rules_evidence[i];
        int idx = pol_rule_find(r->code);
        if (idx < 0 || pol_rule_at((size_t)idx) != r || r->violated)
            CHECK(0, "evidence row %s is a row of the engine's table without a TBS function", r->code);
    }
    CHECK(1, "the %d evidence rows are rows of the rule table (codes and SBR sections print like any finding)",
          EV_RULE_COUNT);
    happy_paths();
    bundle_refusals();
    mailbox_refusals();
    random_values();
    caa();
    mpic();
    identities();
    char never[1024] = "";
    for (int r = 0; r < EV_BATCH_VA_UNTRUSTED; r++) /* the batch rows: test_evidence_batch.c */
        if (!(ev_fired & (1ull << r))) {
            size_t l = strlen(never);
            snprintf(never + l, sizeof never - l, " %s", pol_rules_evidence[r].code);
        }
    CHECK(!never[0], "every one of the %d single-form evidence rows was the expected refusal of some case%s",
          EV_BATCH_VA_UNTRUSTED, never);
    return CHECK_DONE();
}
