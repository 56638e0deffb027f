/* SPDX-License-Identifier: Apache-2.0 */
/*
 * make bench: what enforcement costs per issuance on the sim token, as a
 * ratio to the signature's own time, in one run. For ECDSA P-256 and
 * RSA-2048: the mean of a plain key's signature over a TBS, against the
 * mean of a CA key's inline issuance of the same TBS (policy check,
 * evidence, log append, signature), plus the checkpoint signature amortized
 * over its batch; with single evidence (one VA signature verified per
 * issuance) and with batched evidence of 1, 16 and 256 records per VA
 * signature (docs/evidence.md "Batched evidence": the first request of a
 * batch verifies the root, the others hit the token's cache). The evidence
 * is made by the VA before the clock starts. Means, since a batch's cost
 * falls on its first request. A measurement, not a test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "../unit/harness.h"
#include "../unit/ca_cert.h"
#include "../unit/bundle_fixture.h"

#define N 101
#define ISSUES 256           /* issuances per configuration (the log is reset to its state after setup between them) */
#define CHECKPOINT_BATCH 256 /* entries per batched checkpoint (docs/log.md) */

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *b = malloc(65536);
    *len = f && b ? fread(b, 1, 65536, f) : 0;
    if (f)
        fclose(f);
    return b;
}

/* Median time of N signatures; -1 if any failed. */
static double sign_median(unsigned key, uint32_t mech, const uint8_t *tbs, size_t len)
{
    double t[N];
    for (int i = 0; i < N; i++) {
        double t0 = now_ns();
        th_resp r = th_sign(0, key, mech, tbs, len);
        t[i] = now_ns() - t0;
        if (r.status != SG_ST_OK) {
            fprintf(stderr, "bench_issue: sign failed with status %u\n", r.status);
            return -1;
        }
    }
    qsort(t, N, sizeof *t, cmp);
    return t[N / 2];
}

/* One SIGN with explicit evidence (ev_len 0: the single form made here,
 * outside the clock): its time, or -1 if it failed. */
static double sign_once(unsigned key, uint32_t mech, const uint8_t *tbs, size_t len, const uint8_t *ev, size_t ev_len)
{
    th_begin();
    th_put_u(SG_T_HANDLE, key, 2);
    th_put_u(SG_T_MECH, mech, 4);
    th_put(SG_T_DATA, tbs, len);
    if (ev_len)
        th_put(SG_T_EVIDENCE, ev, ev_len);
    th_req[0] = 'S'; /* framed here: th_send would attach the fixture's evidence, made on the clock */
    th_req[1] = 'G';
    th_req[2] = SG_PROTO_VERSION;
    th_req[3] = SG_CMD_SIGN;
    sg_be_put(th_req + 4, th_off, 4);
    double t0 = now_ns();
    th_resp r = th_raw(0, th_req, SG_FRAME_HDR_LEN + th_off);
    double t = now_ns() - t0;
    if (r.status != SG_ST_OK) {
        fprintf(stderr, "bench_issue: sign failed with status %u\n", r.status);
        return -1;
    }
    return t;
}

/* Mean issuance time with evidence in batches of b records (0: the single
 * form), ISSUES issuances, a new batch (a new root) every b. */
static double issue_mean(unsigned key, uint32_t mech, const uint8_t *tbs, size_t len, size_t b)
{
    static ev_batch batch;
    static ev_spec s;
    static uint8_t recs[256][2048], ev[SG_MAX_EVIDENCE];
    static size_t lens[256];
    const uint8_t *p[256];
    int64_t now = (int64_t)hal_clock_now();
    double sum = 0;
    for (size_t done = 0, round = 0; done < ISSUES; round++) {
        size_t m = b ? b : 1;
        for (size_t i = 0; i < m; i++) {
            if (ev_spec_default(&s, tbs, len, now, SG_EV_M_EMAIL, &bf_va))
                return -1;
            s.t.produced_at = now - 60 - (int64_t)(round * m + i); /* every record, every root its own */
            if (b && !(lens[i] = ev_record(&s, recs[i], sizeof recs[i])))
                return -1;
            p[i] = recs[i];
        }
        if (b && ev_batch_make(&batch, p, lens, b, &bf_va, now - 30))
            return -1;
        for (size_t i = 0; i < m && done < ISSUES; i++, done++) {
            size_t n = b ? ev_batch_evidence(&batch, i, recs[i], lens[i], ev, sizeof ev) : ev_make(&s, &bf_va, ev, sizeof ev);
            double t = n ? sign_once(key, mech, tbs, len, ev, n) : -1;
            if (t < 0)
                return -1;
            sum += t;
        }
    }
    return sum / ISSUES;
}

static double plain_mean(unsigned key, uint32_t mech, const uint8_t *tbs, size_t len)
{
    double sum = 0;
    for (int i = 0; i < ISSUES; i++) {
        double t = sign_once(key, mech, tbs, len, NULL, 0);
        if (t < 0)
            return -1;
        sum += t;
    }
    return sum / ISSUES;
}

static unsigned keygen(int type, const char *label, uint8_t *spki, size_t *spki_len)
{
    th_resp r = th_keygen(0, type, label, 0);
    size_t l = 0;
    const uint8_t *p = th_get(r, SG_T_PUBKEY, &l);
    if (r.status || !p || l > *spki_len)
        return 0;
    memcpy(spki, p, l);
    *spki_len = l;
    return (unsigned)th_get_u(r, SG_T_HANDLE);
}

/* The CA keys' SPKIs, for the policy bundle (bundle_fixture.h). */
static uint8_t ca_spki[2][600];
static size_t ca_spki_len[2];
static unsigned n_ca;

static unsigned ca_key(int type, const pol_ca *ca)
{
    static uint8_t cert[4096];
    uint8_t *spki = ca_spki[n_ca];
    size_t sl = sizeof ca_spki[0];
    unsigned k = keygen(type, "CA", spki, &sl);
    ca_spki_len[n_ca++] = sl;
    size_t cl = make_ca(ca, spki, sl, cert);
    th_begin();
    th_put_u(SG_T_HANDLE, k, 2);
    th_put(SG_T_VALUE, cert, cl);
    return th_send(0, SG_CMD_BIND_CA).status == SG_ST_OK ? k : 0;
}

/* The same TBS announcing sha256WithRSAEncryption instead of ECDSA with
 * SHA-256 (SBR 7.1.3.2.1), for the RSA-2048 CA key. */
static size_t to_rsa_alg(const uint8_t *tbs, size_t len, uint8_t *out)
{
    static const uint8_t ec[] = { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02 };
    static const uint8_t rsa[] = { 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00 };
    size_t at = 4 + 5 + 2 + tbs[4 + 5 + 1]; /* 30 82 LL LL, [0] v3, serial */
    if (tbs[1] != 0x82 || memcmp(tbs + at, ec, sizeof ec))
        return 0;
    memcpy(out, tbs, at);
    memcpy(out + at, rsa, sizeof rsa);
    memcpy(out + at + sizeof rsa, tbs + at + sizeof ec, len - at - sizeof ec);
    size_t body = len - 4 + sizeof rsa - sizeof ec;
    out[2] = (uint8_t)(body >> 8);
    out[3] = (uint8_t)body;
    return len + sizeof rsa - sizeof ec;
}

int main(void)
{
    static pol_workspace w;
    static uint8_t spki[600], rsa_tbs[4096];
    size_t cl, el, sl;
    const uint8_t *tbs;
    size_t tbs_len;
    pol_ca ca;
    int64_t nb;
    uint8_t *ca_der = slurp("test/vectors/smime/ca.der", &cl);
    uint8_t *ee = slurp("test/vectors/smime/valid-mailbox-strict-ec.der", &el);
    if (!cl || !el || pol_ca_from_cert(ca_der, cl, &w, &ca) || pol_cert_tbs(ee, el, &tbs, &tbs_len) ||
        pol_tbs_not_before(tbs, tbs_len, &w, &nb)) {
        fprintf(stderr, "bench_issue: test/vectors/smime is missing (run from the repository root)\n");
        return 1;
    }
    if (th_boot() || bf_init_token("so-pin-1", "bench") || th_init_pin("so-pin-1", "user-1234") ||
        th_login(0, SG_USER_USER, "user-1234"))
        return 1;
    sim_clock_set((uint64_t)nb);
    size_t rsa_len = to_rsa_alg(tbs, tbs_len, rsa_tbs);

    sl = sizeof spki;
    unsigned ec_plain = keygen(SG_KEY_EC_P256, "plain EC", spki, &sl);
    sl = sizeof spki;
    unsigned rsa_plain = keygen(SG_KEY_RSA_2048, "plain RSA", spki, &sl);
    unsigned ec_ca = ca_key(SG_KEY_EC_P256, &ca), rsa_ca = ca_key(SG_KEY_RSA_2048, &ca);
    const uint8_t *spkis[2] = { ca_spki[0], ca_spki[1] };
    if (!ec_plain || !rsa_plain || !ec_ca || !rsa_ca || !rsa_len || bf_load("so-pin-1", spkis, ca_spki_len, 2, NULL)) {
        fprintf(stderr, "bench_issue: setup failed\n");
        return 1;
    }
    /* The checkpoint: one more ECDSA P-256 signature per batch of entries. */
    double cp[N];
    for (int i = 0; i < N; i++) {
        double t0 = now_ns();
        th_begin();
        th_resp r = th_send(0, SG_CMD_LOG_CHECKPOINT);
        cp[i] = now_ns() - t0;
        if (r.status)
            return 1;
        th_sign(0, ec_ca, SG_MECH_ECDSA_SHA256, tbs, tbs_len); /* a new entry: a new tree to sign */
        (void)sign_median;
    }
    qsort(cp, N, sizeof *cp, cmp);
    double cp_share = cp[N / 2] / CHECKPOINT_BATCH;

    struct {
        const char *name;
        unsigned plain, ca;
        uint32_t mech;
        const uint8_t *tbs;
        size_t len;
    } runs[] = {
        { "ECDSA P-256", ec_plain, ec_ca, SG_MECH_ECDSA_SHA256, tbs, tbs_len },
        { "RSA-2048", rsa_plain, rsa_ca, SG_MECH_SHA256_RSA_PKCS, rsa_tbs, rsa_len },
    };
    printf("issuance on the sim token (means of %d, one run; checkpoint every %d entries; the signature through\n"
           "the sim board's crypto as built here)\n", ISSUES, CHECKPOINT_BATCH);
    static const size_t sizes[] = { 0, 1, 16, 256 };
    static uint8_t snap[SIM_FLASH_SIZE];
    memcpy(snap, th_flash, sizeof snap);
    for (size_t i = 0; i < sizeof runs / sizeof *runs; i++) {
        memcpy(th_flash, snap, sizeof snap);
        if (th_boot() || th_login(0, SG_USER_USER, "user-1234"))
            return 1;
        double plain = plain_mean(runs[i].plain, runs[i].mech, runs[i].tbs, runs[i].len);
        if (plain < 0)
            return 1;
        printf("  %-12s signature %9.0f ns\n", runs[i].name, plain);
        for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
            memcpy(th_flash, snap, sizeof snap); /* an empty log (and, after the reboot, an empty root cache) */
            if (th_boot() || th_login(0, SG_USER_USER, "user-1234"))
                return 1;
            double issue = issue_mean(runs[i].ca, runs[i].mech, runs[i].tbs, runs[i].len, sizes[k]);
            if (issue < 0)
                return 1;
            char what[40];
            if (sizes[k])
                snprintf(what, sizeof what, "batches of %zu", sizes[k]);
            else
                snprintf(what, sizeof what, "single evidence");
            printf("    %-16s issuance %9.0f ns + checkpoint share %5.0f ns: enforcement + log overhead %7.2f %% "
                   "of the signature\n", what, issue, cp_share, 100.0 * (issue + cp_share - plain) / plain);
        }
    }
    free(ca_der);
    free(ee);
    return 0;
}
