/* SPDX-License-Identifier: Apache-2.0 */
/*
 * make bench: the policy check (parse + every rule) of each certificate's
 * TBS against mbedTLS's mbedtls_x509_crt_parse_der and OpenSSL's d2i_X509 of
 * the same certificates, in the same run. Reports medians and ratios; it is
 * a measurement, not a test (no thresholds).
 */
#include <dirent.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../../policy/pol.h"
#include "../../policy/pol_weakkey.h"
#include "mbedtls/pk.h"
#include "mbedtls/x509_crt.h"

int pol_ec_point_valid(int key, const uint8_t *point, size_t len); /* policy/pol_ecpoint.c */

#define MAX_CERTS 512
#define ROUNDS 31
#define REPS 200

typedef struct {
    uint8_t *der;
    size_t len;
    const uint8_t *tbs;
    size_t tbs_len;
    int64_t nb;
} cert;

static cert certs[MAX_CERTS], all[MAX_CERTS];
static size_t n_certs, n_all;
static pol_workspace w;
static volatile uint32_t sink;

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void load_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    while (d && (de = readdir(d)) && n_certs < MAX_CERTS) {
        size_t l = strlen(de->d_name);
        if (l < 5 || strcmp(de->d_name + l - 4, ".der"))
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        FILE *f = fopen(path, "rb");
        cert *c = &certs[n_certs];
        c->der = malloc(16384);
        c->len = f ? fread(c->der, 1, 16384, f) : 0;
        if (f)
            fclose(f);
        if (c->len && !pol_cert_tbs(c->der, c->len, &c->tbs, &c->tbs_len) && c->tbs_len < c->len &&
            !pol_tbs_not_before(c->tbs, c->tbs_len, &w, &c->nb))
            n_certs++;
        else
            free(c->der);
    }
    if (d)
        closedir(d);
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median over ROUNDS of the mean time per certificate of up to REPS
 * passes: as many as fit in about 20 ms, so that slow parsers (OpenSSL) and
 * RSA keys' weak-key checks do not make the bench take minutes. */
static double measure(void (*fn)(const cert *))
{
    double r[ROUNDS], t1 = now_ns();
    for (size_t i = 0; i < n_certs; i++)
        fn(&certs[i]);
    double pass = now_ns() - t1;
    int reps = pass > 0 && pass * REPS > 20e6 ? (int)(20e6 / pass) + 1 : REPS;
    for (int k = 0; k < ROUNDS; k++) {
        double t0 = now_ns();
        for (int rep = 0; rep < reps; rep++)
            for (size_t i = 0; i < n_certs; i++)
                fn(&certs[i]);
        r[k] = (now_ns() - t0) / (reps * (double)n_certs);
    }
    qsort(r, ROUNDS, sizeof *r, cmp);
    return r[ROUNDS / 2];
}

static void run_policy(const cert *c)
{
    pol_ctx ctx = { .now = c->nb };
    pol_decision d;
    pol_check(c->tbs, c->tbs_len, &ctx, &w, &d);
    sink += d.verdict;
}

static void run_mbedtls(const cert *c)
{
    mbedtls_x509_crt crt;
    mbedtls_x509_crt_init(&crt);
    sink += (uint32_t)mbedtls_x509_crt_parse_der(&crt, c->der, c->len);
    mbedtls_x509_crt_free(&crt);
}

static void run_openssl(const cert *c)
{
    const unsigned char *p = c->der;
    X509 *x = d2i_X509(NULL, &p, (long)c->len);
    sink += x != NULL;
    X509_free(x);
}

static void report(const char *what)
{
    double pol = measure(run_policy), mbed = measure(run_mbedtls), ossl = measure(run_openssl);
    printf("%s: %zu certificates\n", what, n_certs);
    printf("  policy check (parse + every rule): %8.0f ns/cert (median of %d rounds)\n", pol, ROUNDS);
    printf("  mbedtls_x509_crt_parse_der:        %8.0f ns/cert\n", mbed);
    printf("  OpenSSL d2i_X509:                  %8.0f ns/cert\n", ossl);
    printf("  ratio policy/mbedTLS: %.3f   ratio policy/OpenSSL: %.4f\n", pol / mbed, pol / ossl);
}

/* SBR 6.1.1.3: the weak-key checks alone, on the keys of two valid
 * certificates of the corpus, against mbedTLS's parse of the same one. */
static uint8_t wk_key[600];
static size_t wk_len;
static void run_wk_rsa(const cert *c) { (void)c; sink += pol_wk_rsa(wk_key, wk_len); }
static void run_wk_ec(const cert *c) { (void)c; sink += (uint32_t)pol_wk_ec_infinity(wk_key, wk_len); }
static void run_wk_ec_point(const cert *c)
{
    (void)c;
    sink += (uint32_t)pol_wk_ec_infinity(wk_key, wk_len) + (uint32_t)pol_ec_point_valid(2 /* KEY_P256 */, wk_key, wk_len);
}

static void weak_keys(void)
{
    static const char *const files[2] = { "test/vectors/smime/valid-mailbox-strict-rsa.der",
                                          "test/vectors/smime/valid-mailbox-strict-ec.der" };
    for (int k = 0; k < 2; k++) {
        n_certs = 0;
        for (size_t i = 0; i < n_all; i++)
            if (all[i].len && n_certs == 0) {
                FILE *f = fopen(files[k], "rb");
                static uint8_t der[4096];
                size_t l = f ? fread(der, 1, sizeof der, f) : 0;
                if (f)
                    fclose(f);
                if (!l)
                    break;
                memcpy(all[i].der, der, l);
                all[i].len = l;
                certs[n_certs++] = all[i];
            }
        if (!n_certs)
            return;
        mbedtls_x509_crt crt;
        mbedtls_x509_crt_init(&crt);
        uint8_t spki[600];
        int sl = mbedtls_x509_crt_parse_der(&crt, certs[0].der, certs[0].len) ? -1
                                                                             : mbedtls_pk_write_pubkey_der(&crt.pk, spki, sizeof spki);
        if (sl > 0 && k == 0) {
            wk_len = mbedtls_pk_get_bitlen(&crt.pk) / 8;
            sl = mbedtls_rsa_export_raw(mbedtls_pk_rsa(crt.pk), wk_key, wk_len, NULL, 0, NULL, 0, NULL, 0, NULL, 0);
        } else if (sl > 0) {
            wk_len = 65;
            memcpy(wk_key, spki + sizeof spki - 65, 65);
            sl = 0;
        }
        mbedtls_x509_crt_free(&crt);
        if (sl)
            return;
        double mbed = measure(run_mbedtls);
        if (k == 0) {
            /* one key per pass: fewer repetitions of a slower check */
            double r[ROUNDS];
            for (int j = 0; j < ROUNDS; j++) {
                double t0 = now_ns();
                for (int rep = 0; rep < 20; rep++)
                    run_wk_rsa(NULL);
                r[j] = (now_ns() - t0) / 20;
            }
            qsort(r, ROUNDS, sizeof *r, cmp);
            printf("weak-key checks (SBR 6.1.1.3), per key, median of %d rounds:\n", ROUNDS);
            printf("  RSA-2048 (factors < 2^16, Fermat %d rounds, ROCA): %8.0f ns   mbedtls_x509_crt_parse_der of its certificate: %6.0f ns   ratio %.1f\n",
                   POL_WK_FERMAT_ROUNDS, r[ROUNDS / 2], mbed, r[ROUNDS / 2] / mbed);
            double part[3];
            const char *names[3] = { "small factors", "Fermat", "ROCA" };
            for (int c = 0; c < 3; c++) {
                for (int j = 0; j < ROUNDS; j++) {
                    double t0 = now_ns();
                    for (int rep = 0; rep < 20; rep++)
                        sink += (uint32_t)(c == 0 ? pol_wk_small_factor(wk_key, wk_len)
                                           : c == 1 ? pol_wk_fermat(wk_key, wk_len)
                                                    : pol_wk_roca(wk_key, wk_len));
                    r[j] = (now_ns() - t0) / 20;
                }
                qsort(r, ROUNDS, sizeof *r, cmp);
                part[c] = r[ROUNDS / 2];
            }
            printf("    of which %s %.0f ns, %s %.0f ns, %s %.0f ns\n", names[0], part[0], names[1], part[1], names[2], part[2]);
        } else {
            double inf = measure(run_wk_ec), pt = measure(run_wk_ec_point);
            printf("  P-256 point at infinity: %8.1f ns; with the point validation of 6.1.5: %6.0f ns   mbedTLS parse: %6.0f ns   ratio %.3f\n",
                   inf, pt, mbed, pt / mbed);
        }
    }
}

int main(int argc, char **argv)
{
    /* --profile: only the policy check, a few passes (for callgrind). */
    int profile = argc > 1 && !strcmp(argv[1], "--profile");
    for (int i = 1 + profile; i < argc; i++)
        load_dir(argv[i]);
    if (profile) {
        for (int rep = 0; rep < 20; rep++)
            for (size_t i = 0; i < n_certs; i++)
                run_policy(&certs[i]);
        return 0;
    }
    if (!n_certs) {
        fprintf(stderr, "bench_policy: no certificates (*.der) in the given folders\n");
        return 1;
    }
    size_t accepted = 0;
    for (size_t i = 0; i < n_certs; i++) {
        pol_ctx ctx = { .now = certs[i].nb };
        pol_decision d;
        pol_check(certs[i].tbs, certs[i].tbs_len, &ctx, &w, &d);
        accepted += d.verdict == POL_ACCEPT;
    }
    printf("policy engine: %zu rules\n", pol_rule_count());
    report("whole corpus (valid, mutated and malformed)");
    /* The typical subscriber TBS: the certificates the policy accepts. */
    memcpy(all, certs, sizeof certs);
    n_all = n_certs;
    n_certs = 0;
    for (size_t i = 0; i < n_all; i++) {
        pol_ctx ctx = { .now = all[i].nb };
        pol_decision d;
        pol_check(all[i].tbs, all[i].tbs_len, &ctx, &w, &d);
        if (d.verdict == POL_ACCEPT)
            certs[n_certs++] = all[i];
    }
    (void)accepted;
    report("accepted subscriber certificates");
    /* The same split by key: an RSA key adds the weak-key arithmetic of SBR
     * 6.1.1.3 (below), an EC key only the point validation of 6.1.5. */
    for (int rsa = 0; rsa < 2; rsa++) {
        size_t m = 0;
        for (size_t i = 0; i < n_all; i++) {
            mbedtls_x509_crt crt;
            mbedtls_x509_crt_init(&crt);
            pol_ctx ctx = { .now = all[i].nb };
            pol_decision d;
            pol_check(all[i].tbs, all[i].tbs_len, &ctx, &w, &d);
            if (d.verdict == POL_ACCEPT && !mbedtls_x509_crt_parse_der(&crt, all[i].der, all[i].len) &&
                (mbedtls_pk_get_type(&crt.pk) == MBEDTLS_PK_RSA) == rsa)
                certs[m++] = all[i];
            mbedtls_x509_crt_free(&crt);
        }
        n_certs = m;
        if (m)
            report(rsa ? "  of which with an RSA key" : "  of which with an EC key");
    }
    weak_keys();
    return 0;
}
