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
#include "mbedtls/x509_crt.h"

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

/* Median over ROUNDS of the mean time per certificate of REPS passes. */
static double measure(void (*fn)(const cert *))
{
    double r[ROUNDS];
    for (int k = 0; k < ROUNDS; k++) {
        double t0 = now_ns();
        for (int rep = 0; rep < REPS; rep++)
            for (size_t i = 0; i < n_certs; i++)
                fn(&certs[i]);
        r[k] = (now_ns() - t0) / (REPS * (double)n_certs);
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
    return 0;
}
