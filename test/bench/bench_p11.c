/* SPDX-License-Identifier: Apache-2.0 */
/*
 * make bench-p11: signatures per second through two PKCS#11 modules in one
 * run, alternating round by round so that the machine's load falls on both
 * alike. The reference (SoftHSM2) and ours each generate a P-256 and an
 * RSA-2048 key; threads loop C_SignInit + C_Sign on their own session. On
 * ours, an enforced issuance too: inline CKM_ECDSA_SHA256 over a real S/MIME
 * TBS with its evidence object, judged, logged, then signed; once with a
 * single evidence (one VA signature verified per issuance) and once with
 * batched evidence (docs/evidence.md: the batch root's VA signature is
 * verified by its first request, the token then only hashes; here the
 * steady state of a batch, its first request being in the first round).
 * Prints the median ops/s of the rounds and the median of the rounds'
 * ratios to the reference's bare signature (a round measures both moments
 * apart, so a load that comes and goes on the machine falls on both). A
 * measurement, not a test.
 *
 *   bench_p11 REF.so REF_PIN OURS.so OURS_PIN TBS.der EVIDENCE.der BATCHED.der CA_LABEL [BETWEEN_CMD]
 *
 * BETWEEN_CMD runs (sh) before each round of issuances on ours: the log is
 * exported and acknowledged there, as a CA would, so that it never fills.
 * BENCH_SECONDS (default 0.5) per measurement, BENCH_ROUNDS (default 9, at most 31); an
 * issuance round stops earlier, after BENCH_ISSUES (default 600) issuances,
 * as many as the sim token's log holds between two exports. BENCH_CASES
 * (e.g. "02") runs only those cases: 0 raw ECDSA, 1 RSA, 2 issuance with
 * single evidence, 3 with batched evidence (an issuance case runs 0 too).
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <p11-kit-1/p11-kit/pkcs11.h>
#include "sbrguard/pkcs11_vendor.h"

#define MAX_THREADS 2
#define MAX_ROUNDS 31

typedef struct {
    const char *name, *pin;
    CK_FUNCTION_LIST_PTR f;
    CK_SLOT_ID slot;
    CK_SESSION_HANDLE login;
    CK_OBJECT_HANDLE ec, rsa, ca;
} module;

typedef struct {
    const char *label;
    CK_MECHANISM_TYPE mech;
    int which; /* 0 ec, 1 rsa, 2 and 3: ca (issuance, ours only; 3 with batched evidence) */
} bench_case;

static const bench_case cases[] = {
    { "raw CKM_ECDSA P-256", CKM_ECDSA, 0 },
    { "CKM_SHA256_RSA_PKCS 2048", CKM_SHA256_RSA_PKCS, 1 },
    { "issuance ECDSA_SHA256, single ev.", CKM_ECDSA_SHA256, 2 },
    { "issuance ECDSA_SHA256, batched ev.", CKM_ECDSA_SHA256, 3 },
};
#define NCASES (sizeof cases / sizeof *cases)

static const uint8_t *g_tbs, *g_ev[2];
static size_t g_tbs_len, g_ev_len[2];
static double g_seconds = 0.5;
/* Issuances per round: what the sim token's log region holds between two
 * acknowledged exports, with margin. */
static unsigned long g_issues = 600;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *b = malloc(1 << 16);
    if (!f || !b) {
        fprintf(stderr, "bench_p11: cannot read %s\n", path);
        exit(2);
    }
    *len = fread(b, 1, 1 << 16, f);
    fclose(f);
    return b;
}

static void die(const module *m, const char *what, CK_RV rv)
{
    fprintf(stderr, "bench_p11: %s: %s failed: CKR 0x%lx\n", m->name, what, (unsigned long)rv);
    exit(1);
}

static void load(module *m, const char *path)
{
    CK_C_GetFunctionList gfl;
    CK_C_INITIALIZE_ARGS ia = { .flags = CKF_OS_LOCKING_OK };
    CK_SLOT_ID slots[8];
    CK_ULONG n = 8;
    CK_RV rv;
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h || !(gfl = (CK_C_GetFunctionList)dlsym(h, "C_GetFunctionList"))) {
        fprintf(stderr, "bench_p11: cannot load %s: %s\n", path, dlerror());
        exit(2);
    }
    if ((rv = gfl(&m->f)))
        die(m, "C_GetFunctionList", rv);
    if ((rv = m->f->C_Initialize(&ia)))
        die(m, "C_Initialize", rv);
    if ((rv = m->f->C_GetSlotList(CK_TRUE, slots, &n)) || n == 0)
        die(m, "C_GetSlotList (a token present)", rv ? rv : CKR_TOKEN_NOT_PRESENT);
    m->slot = slots[0];
    if ((rv = m->f->C_OpenSession(m->slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &m->login)))
        die(m, "C_OpenSession", rv);
    if ((rv = m->f->C_Login(m->login, CKU_USER, (CK_UTF8CHAR_PTR)m->pin, strlen(m->pin))))
        die(m, "C_Login", rv);
}

static void keygen(module *m)
{
    static CK_BYTE p256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };
    static CK_BYTE e65537[] = { 0x01, 0x00, 0x01 };
    CK_BBOOL t = CK_TRUE;
    CK_ULONG bits = 2048;
    CK_OBJECT_HANDLE pub;
    CK_MECHANISM ecg = { CKM_EC_KEY_PAIR_GEN, NULL, 0 }, rsag = { CKM_RSA_PKCS_KEY_PAIR_GEN, NULL, 0 };
    CK_ATTRIBUTE ecpub[] = { { CKA_EC_PARAMS, p256, sizeof p256 }, { CKA_TOKEN, &t, 1 }, { CKA_VERIFY, &t, 1 } };
    CK_ATTRIBUTE rsapub[] = { { CKA_MODULUS_BITS, &bits, sizeof bits },
                              { CKA_PUBLIC_EXPONENT, e65537, sizeof e65537 },
                              { CKA_TOKEN, &t, 1 },
                              { CKA_VERIFY, &t, 1 } };
    CK_ATTRIBUTE priv[] = { { CKA_TOKEN, &t, 1 }, { CKA_SIGN, &t, 1 }, { CKA_PRIVATE, &t, 1 } };
    CK_RV rv;
    if ((rv = m->f->C_GenerateKeyPair(m->login, &ecg, ecpub, 3, priv, 3, &pub, &m->ec)))
        die(m, "C_GenerateKeyPair EC P-256", rv);
    if ((rv = m->f->C_GenerateKeyPair(m->login, &rsag, rsapub, 4, priv, 3, &pub, &m->rsa)))
        die(m, "C_GenerateKeyPair RSA-2048", rv);
}

static void find_ca(module *m, const char *label)
{
    CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof cls }, { CKA_LABEL, (void *)label, strlen(label) } };
    CK_ULONG n = 0;
    CK_RV rv;
    if ((rv = m->f->C_FindObjectsInit(m->login, t, 2)) || (rv = m->f->C_FindObjects(m->login, &m->ca, 1, &n)) ||
        (rv = m->f->C_FindObjectsFinal(m->login)) || n != 1)
        die(m, "finding the CA key by label", rv ? rv : CKR_KEY_HANDLE_INVALID);
}

typedef struct {
    module *m;
    const bench_case *c;
    pthread_barrier_t *bar;
    unsigned long ops, limit; /* limit: at most this many (0: none) */
    CK_RV rv;
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    module *m = w->m;
    CK_SESSION_HANDLE s;
    CK_MECHANISM mech = { w->c->mech, NULL, 0 };
    CK_OBJECT_HANDLE key = w->c->which == 0 ? m->ec : w->c->which == 1 ? m->rsa : m->ca, evo;
    int issue = w->c->which >= 2;
    uint8_t digest[32], msg[100], sig[512];
    const uint8_t *data = w->c->which == 0 ? digest : w->c->which == 1 ? msg : g_tbs;
    CK_ULONG dlen = w->c->which == 0 ? sizeof digest : w->c->which == 1 ? sizeof msg : g_tbs_len, sl;
    const uint8_t *ev = issue ? g_ev[w->c->which - 2] : NULL;
    size_t ev_len = issue ? g_ev_len[w->c->which - 2] : 0;
    memset(digest, 0x5a, sizeof digest);
    memset(msg, 0xa5, sizeof msg);
    w->rv = m->f->C_OpenSession(m->slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &s);
    if (w->rv == CKR_OK && issue) { /* the evidence goes with the session's issuances */
        CK_OBJECT_CLASS cls = CKO_SBRGUARD_EVIDENCE;
        CK_BBOOL f = CK_FALSE;
        CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof cls },
                             { CKA_TOKEN, &f, 1 },
                             { CKA_VALUE, (void *)ev, ev_len } };
        w->rv = m->f->C_CreateObject(s, t, 3, &evo);
    }
    pthread_barrier_wait(w->bar);
    if (w->rv)
        return NULL;
    double end = now_s() + g_seconds;
    while (now_s() < end && (!w->limit || w->ops < w->limit)) {
        sl = sizeof sig;
        if ((w->rv = m->f->C_SignInit(s, &mech, key)) || (w->rv = m->f->C_Sign(s, (CK_BYTE_PTR)data, dlen, sig, &sl)))
            break;
        w->ops++;
    }
    m->f->C_CloseSession(s);
    return NULL;
}

/* ops/s of c on m with n threads. */
static double measure(module *m, const bench_case *c, int n)
{
    pthread_t th[MAX_THREADS];
    worker w[MAX_THREADS];
    pthread_barrier_t bar;
    pthread_barrier_init(&bar, NULL, (unsigned)n + 1);
    for (int i = 0; i < n; i++) {
        w[i] = (worker){ .m = m, .c = c, .bar = &bar, .limit = c->which >= 2 ? g_issues / (unsigned long)n : 0 };
        pthread_create(&th[i], NULL, work, &w[i]);
    }
    pthread_barrier_wait(&bar);
    double t0 = now_s();
    unsigned long ops = 0;
    for (int i = 0; i < n; i++)
        pthread_join(th[i], NULL);
    double dt = now_s() - t0;
    pthread_barrier_destroy(&bar);
    for (int i = 0; i < n; i++) {
        if (w[i].rv) {
            char what[96];
            snprintf(what, sizeof what, "%s (thread %d)", c->label, i);
            die(m, what, w[i].rv);
        }
        ops += w[i].ops;
    }
    return ops / dt;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
    if (argc < 9) {
        fprintf(stderr, "usage: bench_p11 REF.so REF_PIN OURS.so OURS_PIN TBS.der EVIDENCE.der BATCHED.der CA_LABEL "
                        "[BETWEEN_CMD]\n");
        return 2;
    }
    module mods[2] = { { .name = "SoftHSM2", .pin = argv[2] }, { .name = "sbrguard", .pin = argv[4] } };
    const char *between = argc > 9 ? argv[9] : NULL, *only = getenv("BENCH_CASES");
    int rounds = getenv("BENCH_ROUNDS") ? atoi(getenv("BENCH_ROUNDS")) : 9;
    if (getenv("BENCH_ISSUES"))
        g_issues = strtoul(getenv("BENCH_ISSUES"), NULL, 10);
    if (getenv("BENCH_SECONDS"))
        g_seconds = atof(getenv("BENCH_SECONDS"));
    if (rounds < 1 || rounds > MAX_ROUNDS || g_seconds <= 0) {
        fprintf(stderr, "bench_p11: BENCH_ROUNDS 1..%d, BENCH_SECONDS > 0\n", MAX_ROUNDS);
        return 2;
    }
    g_tbs = slurp(argv[5], &g_tbs_len);
    g_ev[0] = slurp(argv[6], &g_ev_len[0]);
    g_ev[1] = slurp(argv[7], &g_ev_len[1]);
    load(&mods[0], argv[1]);
    load(&mods[1], argv[3]);
    keygen(&mods[0]);
    keygen(&mods[1]);
    find_ca(&mods[1], argv[8]);

    /* r[case][threads-1][module][round] */
    static double r[NCASES][MAX_THREADS][2][MAX_ROUNDS];
    for (int k = 0; k < rounds; k++)
        for (size_t c = 0; c < NCASES; c++)
            for (int n = 1; n <= MAX_THREADS; n++)
                for (int mi = 0; mi < 2; mi++) {
                    /* Case 0 is every issuance's reference. */
                    if (only && !strchr(only, (char)('0' + c)) && !(c == 0 && strpbrk(only, "23")))
                        continue;
                    if (cases[c].which >= 2 && mi == 0)
                        continue; /* the reference has no policy to enforce */
                    if (cases[c].which >= 2 && between && system(between) != 0) {
                        fprintf(stderr, "bench_p11: '%s' failed\n", between);
                        return 1;
                    }
                    r[c][n - 1][mi][k] = measure(&mods[mi], &cases[c], n);
                }

    printf("bench-p11: medians of %d rounds of %.2f s, modules alternating; ratio = median over the rounds of ops/s "
           "over SoftHSM2's bare signature in the same round (same threads; issuance: over SoftHSM2's raw CKM_ECDSA "
           "P-256)\n",
           rounds, g_seconds);
    printf("%-38s %7s %12s %12s %7s\n", "case", "threads", "SoftHSM2/s", "sbrguard/s", "ratio");
    for (size_t c = 0; c < NCASES; c++)
        for (int n = 1; n <= MAX_THREADS; n++) {
            if (only && !strchr(only, (char)('0' + c)))
                continue;
            /* The ratio of each round (both modules measured moments apart,
             * under the same load), then the median of those. */
            double ratio[MAX_ROUNDS];
            const double *ref_r = r[cases[c].which >= 2 ? 0 : c][n - 1][0];
            for (int k = 0; k < rounds; k++)
                ratio[k] = ref_r[k] > 0 ? r[c][n - 1][1][k] / ref_r[k] : 0;
            double q = median(ratio, rounds);
            double ours = median(r[c][n - 1][1], rounds);
            double ref = median(r[cases[c].which >= 2 ? 0 : c][n - 1][0], rounds);
            if (cases[c].which >= 2)
                printf("%-38s %7d %12s %12.0f %6.2fx\n", cases[c].label, n, "-", ours, q);
            else
                printf("%-38s %7d %12.0f %12.0f %6.2fx\n", cases[c].label, n, ref, ours, q);
        }
    for (int mi = 0; mi < 2; mi++) {
        mods[mi].f->C_DestroyObject(mods[mi].login, mods[mi].ec);
        mods[mi].f->C_DestroyObject(mods[mi].login, mods[mi].rsa);
        mods[mi].f->C_Logout(mods[mi].login);
        mods[mi].f->C_Finalize(NULL);
    }
    return 0;
}
