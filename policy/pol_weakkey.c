/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SBR 6.1.1.3: weak RSA moduli (Boulder's goodkey and more), on a small
 * limb type of our own: 64-bit limbs where the compiler has a 128-bit type,
 * else 32-bit (Cortex-M4: UMULL). No division in the inner loops.
 *  - small factors: every prime below 2^16, multiplied into word-sized
 *    odd products m; n is reduced modulo four products at once from its
 *    low limb up by Montgomery steps (r = (r + limb) / 2^W mod m), which
 *    leaves n * 2^-Wk mod m: a prime p | m divides n iff it divides that,
 *    tested by p^-1 mod 2^W (Granlund-Montgomery exact division).
 *  - close primes: Fermat from a = ceil(sqrt(n)), b^2 = a^2 - n tracked
 *    modulo 11 small moduli; only a round that passes every
 *    quadratic-residue filter computes b^2 and its integer square root.
 *  - ROCA: n mod r for the fingerprint primes of pol_primes.c.
 */
#include "pol_weakkey.h"

#ifndef POL_WK_NAME
#define POL_WK_NAME(f) f
#endif

#if defined(__SIZEOF_INT128__) && !defined(POL_WK_LIMB32)
typedef uint64_t W;
typedef unsigned __int128 DW;
#define WBITS 64
#define WCLZ(x) __builtin_clzll(x)
#else
typedef uint32_t W;
typedef uint64_t DW;
#define WBITS 32
#define WCLZ(x) __builtin_clz(x)
#endif

#define KMAX (POL_WK_MAX_BITS / WBITS) /* limbs of the largest modulus */
#define HMAX (KMAX / 2 + 2)            /* limbs of a root, b^2, 2a+1 */
#define QMAX (KMAX / 4 + 3)            /* limbs of the root of b^2 */

/* n's big-endian bytes as limbs, least significant first: the count, or
 * -1 above POL_WK_MAX_BITS. */
static int to_limbs(const uint8_t *b, size_t len, W *out)
{
    while (len && *b == 0) {
        b++;
        len--;
    }
    if (len > POL_WK_MAX_BITS / 8)
        return -1;
    size_t k = (len + sizeof(W) - 1) / sizeof(W);
    for (size_t i = 0; i < k; i++)
        out[i] = 0;
    for (size_t i = 0; i < len; i++)
        out[i / sizeof(W)] |= (W)b[len - 1 - i] << (8 * (i % sizeof(W)));
    return (int)k;
}

static size_t norm(const W *a, size_t k)
{
    while (k && a[k - 1] == 0)
        k--;
    return k;
}

/* x^-1 mod 2^W for odd x: Newton from 5 correct bits (x*3 ^ 2). */
static W inv_w(W x)
{
    W y = (x * 3) ^ 2;
    for (int i = 0; i < (WBITS == 64 ? 4 : 3); i++)
        y *= 2 - x * y;
    return y;
}

/* --- small factors ------------------------------------------------------ */

#define GMAX 24 /* primes in one product (3*5*...*89 > 2^63 has 22) */
typedef struct {
    W m, minv;
    uint8_t np;
    uint16_t p[GMAX];
} group;

/* The products' residues, four Montgomery chains side by side. */
static void reduce4(const W *n, size_t k, const W *m, const W *minv, W *r)
{
    W r0 = 0, r1 = 0, r2 = 0, r3 = 0;
    for (size_t i = 0; i < k; i++) {
        DW t0 = (DW)r0 + n[i], t1 = (DW)r1 + n[i], t2 = (DW)r2 + n[i], t3 = (DW)r3 + n[i];
        r0 = (W)((t0 + (DW)((W)t0 * minv[0]) * m[0]) >> WBITS);
        r1 = (W)((t1 + (DW)((W)t1 * minv[1]) * m[1]) >> WBITS);
        r2 = (W)((t2 + (DW)((W)t2 * minv[2]) * m[2]) >> WBITS);
        r3 = (W)((t3 + (DW)((W)t3 * minv[3]) * m[3]) >> WBITS);
    }
    r[0] = r0;
    r[1] = r1;
    r[2] = r2;
    r[3] = r3;
}

/* The smallest prime of the batch dividing n, 0 if none. */
static long batch_check(const W *n, size_t k, group *g, int ng)
{
    W r[4], m[4], minv[4];
    for (int j = ng; j < 4; j++) {
        g[j].m = 1; /* padding: r stays below 3, no primes to test */
        g[j].minv = (W)-1;
        g[j].np = 0;
    }
    for (int j = 0; j < 4; j++) {
        m[j] = g[j].m;
        minv[j] = g[j].minv;
    }
    reduce4(n, k, m, minv, r);
    for (int j = 0; j < ng; j++)
        for (int i = 0; i < g[j].np; i++) {
            W p = g[j].p[i], y = r[j] * inv_w(p);
            if (((DW)y * p) >> WBITS == 0) /* r = y * p exactly */
                return (long)p;
        }
    return 0;
}

/* Products m < 2^(W-1) (the Montgomery steps' bound, see reduce4). */
static long trial(const W *n, size_t k)
{
    static const uint8_t wheel[8] = { 1, 7, 11, 13, 17, 19, 23, 29 };
    group g[4];
    int ng = 0;
    long f;
    if (k == 0 || !(n[0] & 1))
        return 2;
    g[0].m = 15;
    g[0].np = 2;
    g[0].p[0] = 3;
    g[0].p[1] = 5;
    for (size_t byte = 0; byte < POL_WK_PRIMES30_LEN; byte++) {
        unsigned bits = pol_wk_primes30[byte];
        while (bits) {
            W p = 30 * (W)byte + wheel[__builtin_ctz(bits)];
            bits &= bits - 1;
            group *c = &g[ng];
            if (((DW)c->m * p) >> (WBITS - 1) == 0 && c->np < GMAX) {
                c->m *= p;
                c->p[c->np++] = (uint16_t)p;
                continue;
            }
            c->minv = -inv_w(c->m);
            if (++ng == 4) {
                if ((f = batch_check(n, k, g, 4)) != 0)
                    return f;
                ng = 0;
            }
            g[ng].m = p;
            g[ng].np = 1;
            g[ng].p[0] = (uint16_t)p;
        }
    }
    g[ng].minv = -inv_w(g[ng].m);
    return batch_check(n, k, g, ng + 1);
}

#if WBITS == 64 && !defined(POL_WK_NO_TABLE) && !defined(__STDC_NO_ATOMICS__)
/* Hosts (64-bit limbs): the products, their Montgomery inverses and each
 * prime's inverse, built once by the first caller that claims the table;
 * until it is ready every caller takes trial() above. The result is the
 * same either way (test_weakkey). Not on the board: 80 KiB of RAM. */
#include <stdatomic.h>
#define TAB_PRIMES 6542 /* primes below 2^16 */
#define TAB_GROUPS 1800
static W tab_m[TAB_GROUPS], tab_minv[TAB_GROUPS], tab_pinv[TAB_PRIMES];
static uint16_t tab_first[TAB_GROUPS + 1], tab_p[TAB_PRIMES];
static int tab_groups;
static atomic_int tab_state; /* 0 none, 1 being built, 2 ready */

static int tab_build(void)
{
    static const uint8_t wheel[8] = { 1, 7, 11, 13, 17, 19, 23, 29 };
    int g = 0, np = 0;
    W m = 15;
    tab_p[np++] = 3;
    tab_p[np++] = 5;
    tab_first[0] = 0;
    for (size_t byte = 0; byte < POL_WK_PRIMES30_LEN; byte++)
        for (unsigned bits = pol_wk_primes30[byte]; bits; bits &= bits - 1) {
            W p = 30 * (W)byte + wheel[__builtin_ctz(bits)];
            if (np >= TAB_PRIMES)
                return -1;
            if (((DW)m * p) >> (WBITS - 1) != 0 || np - tab_first[g] >= GMAX) {
                if (g + 1 >= TAB_GROUPS)
                    return -1;
                tab_m[g] = m;
                tab_minv[g++] = -inv_w(m);
                tab_first[g] = (uint16_t)np;
                m = 1;
            }
            m *= p;
            tab_p[np++] = (uint16_t)p;
        }
    tab_m[g] = m;
    tab_minv[g++] = -inv_w(m);
    while (g % 4) { /* padding groups: no primes */
        tab_first[g] = (uint16_t)np;
        tab_m[g] = 1;
        tab_minv[g++] = (W)-1;
    }
    tab_first[g] = (uint16_t)np;
    for (int i = 0; i < np; i++)
        tab_pinv[i] = inv_w(tab_p[i]);
    tab_groups = g;
    return 0;
}

/* trial() over the ready table: 0 if not ready (the caller falls back). */
static long trial_tab(const W *n, size_t k, int *done)
{
    int st = atomic_load_explicit(&tab_state, memory_order_acquire), zero = 0;
    *done = 0;
    if (st == 0 && atomic_compare_exchange_strong(&tab_state, &zero, 1))
        atomic_store_explicit(&tab_state, tab_build() ? 3 : 2, memory_order_release);
    if (atomic_load_explicit(&tab_state, memory_order_acquire) != 2)
        return 0;
    *done = 1;
    if (k == 0 || !(n[0] & 1))
        return 2;
    for (int g = 0; g < tab_groups; g += 4) {
        W r[4];
        reduce4(n, k, tab_m + g, tab_minv + g, r);
        for (int j = 0; j < 4; j++)
            for (unsigned i = tab_first[g + j]; i < tab_first[g + j + 1]; i++) {
                W y = r[j] * tab_pinv[i];
                if (((DW)y * tab_p[i]) >> WBITS == 0) /* r = y * p exactly */
                    return (long)tab_p[i];
            }
    }
    return 0;
}

static long trial_any(const W *n, size_t k)
{
    int done;
    long f = trial_tab(n, k, &done);
    return done ? f : trial(n, k);
}
#else
#define trial_any trial
#endif

/* --- exact residues modulo small numbers --------------------------------- */

/* n mod d0 (d0 > 0): Horner with Moller-Granlund 2/1 steps by d = d0 * 2^s
 * normalized and its reciprocal, then mod d0 (d0 | d). */
static W mod_w(const W *n, size_t k, W d0)
{
    int s = WCLZ(d0);
    W d = d0 << s, v = (W)(~(DW)0 / d), r = 0;
    for (size_t i = k; i-- > 0;) {
        W u0 = n[i];
        DW q = (DW)v * r + ((DW)(W)(r + 1) << WBITS) + u0;
        W q0 = (W)q, q1 = (W)(q >> WBITS);
        r = u0 - q1 * d;
        if (r > q0)
            r += d;
        if (r >= d)
            r -= d;
    }
    return r % d0;
}

/* out[i] = n mod mods[i], the moduli grouped into word-sized products. */
static void residues(const W *n, size_t k, const uint8_t *mods, size_t stride, size_t cnt, uint8_t *out)
{
    size_t i = 0;
    while (i < cnt) {
        W m = 1;
        size_t j = i;
        while (j < cnt && ((DW)m * mods[j * stride]) >> WBITS == 0)
            m *= mods[j++ * stride];
        W r = mod_w(n, k, m);
        for (; i < j; i++)
            out[i] = (uint8_t)(r % mods[i * stride]);
    }
}

/* --- ROCA ----------------------------------------------------------------- */

static int roca(const W *n, size_t k)
{
    uint8_t x[POL_WK_ROCA_N];
    residues(n, k, &pol_wk_roca_tab[0][0], 2, POL_WK_ROCA_N, x);
    for (int i = 0; i < POL_WK_ROCA_N; i++) {
        unsigned r = pol_wk_roca_tab[i][0], e = pol_wk_roca_tab[i][1], y = 1, b = x[i];
        for (; e; e >>= 1, b = b * b % r) /* x^ord = 1 iff x in <65537> (cyclic) */
            if (e & 1)
                y = y * b % r;
        if (y != 1)
            return 0;
    }
    return 1;
}

/* --- integer square root --------------------------------------------------- */

static uint64_t isqrt64(uint64_t v)
{
    uint64_t r = 0, bit = (uint64_t)1 << 62;
    while (bit > v)
        bit >>= 2;
    for (; bit; bit >>= 2) {
        if (v >= r + bit) {
            v -= r + bit;
            r = (r >> 1) + bit;
        } else {
            r >>= 1;
        }
    }
    return r;
}

/* q = u / v (Knuth D; u has ku limbs, v kv >= 1 normalized limbs, ku >= kv):
 * the quotient's ku - kv + 1 limbs. un: ku + 1 limbs of scratch. */
static void divq(const W *u, size_t ku, const W *v, size_t kv, W *q, W *un, W *vn)
{
    int s = WCLZ(v[kv - 1]);
    for (size_t i = kv; i-- > 0;)
        vn[i] = (v[i] << s) | (s && i ? v[i - 1] >> (WBITS - s) : 0);
    un[ku] = s ? u[ku - 1] >> (WBITS - s) : 0;
    for (size_t i = ku; i-- > 0;)
        un[i] = (u[i] << s) | (s && i ? u[i - 1] >> (WBITS - s) : 0);
    for (size_t j = ku - kv + 1; j-- > 0;) {
        DW num = ((DW)un[j + kv] << WBITS) | un[j + kv - 1];
        DW qhat = num / vn[kv - 1], rhat = num % vn[kv - 1];
        while (qhat >> WBITS || (kv > 1 && qhat * vn[kv - 2] > ((rhat << WBITS) | un[j + kv - 2]))) {
            qhat--;
            rhat += vn[kv - 1];
            if (rhat >> WBITS)
                break;
        }
        W borrow = 0, carry = 0;
        for (size_t i = 0; i < kv; i++) {
            DW p = qhat * vn[i] + carry;
            carry = (W)(p >> WBITS);
            W t = un[i + j] - (W)p, b1 = t > un[i + j];
            un[i + j] = t - borrow;
            borrow = b1 | (un[i + j] > t);
        }
        W t = un[j + kv] - carry, b1 = t > un[j + kv];
        un[j + kv] = t - borrow;
        borrow = b1 | (un[j + kv] > t);
        if (borrow) { /* qhat one too large: add v back */
            qhat--;
            W c = 0;
            for (size_t i = 0; i < kv; i++) {
                DW sum = (DW)un[i + j] + vn[i] + c;
                un[i + j] = (W)sum;
                c = (W)(sum >> WBITS);
            }
            un[j + kv] += c;
        }
        q[j] = (W)qhat;
    }
}

/* x = floor(sqrt(a)): Newton from above, started within 2^-30 of the root
 * from a's top 62 bits. x: (ka + 1) / 2 + 1 limbs. The count of x. */
__attribute__((noinline)) static size_t isqrt(const W *a, size_t ka, W *x)
{
    W un[KMAX + 1], vn[HMAX], y[HMAX + 2];
    ka = norm(a, ka);
    if (ka == 0)
        return 0;
    size_t bits = ka * WBITS - (size_t)WCLZ(a[ka - 1]), s = bits > 62 ? (bits - 61) / 2 : 0;
    uint64_t top = 0;
    for (size_t b = 0; b < 62 && 2 * s + b < bits; b++)
        top |= (uint64_t)((a[(2 * s + b) / WBITS] >> ((2 * s + b) % WBITS)) & 1) << b;
    uint64_t r = isqrt64(top);
    if (s == 0) {
        for (size_t i = 0; i < 64 / WBITS; i++)
            x[i] = (W)(r >> (WBITS * i));
        return norm(x, 64 / WBITS);
    }
    size_t kx = (s + 33) / WBITS + 1; /* r + 1 <= 2^31 + 1 */
    for (size_t i = 0; i < kx; i++)
        x[i] = 0;
    for (size_t b = 0; b < 33; b++) /* x = (r + 1) << s, above the root */
        if (((r + 1) >> b) & 1)
            x[(s + b) / WBITS] |= (W)1 << ((s + b) % WBITS);
    kx = norm(x, kx);
    for (;;) {
        size_t kq = ka >= kx ? ka - kx + 1 : 0;
        if (kq)
            divq(a, ka, x, kx, y, un, vn); /* y = a / x */
        for (size_t i = kq; i < kx + 1; i++)
            y[i] = 0;
        size_t ky = kq > kx ? kq : kx;
        W c = 0;
        for (size_t i = 0; i < ky; i++) { /* y = (x + a/x) / 2 */
            DW sum = (DW)y[i] + (i < kx ? x[i] : 0) + c;
            y[i] = (W)sum;
            c = (W)(sum >> WBITS);
        }
        y[ky] = c;
        for (size_t i = 0; i <= ky; i++)
            y[i] = (y[i] >> 1) | (i < ky ? y[i + 1] << (WBITS - 1) : 0);
        ky = norm(y, ky + 1);
        int less = ky < kx;
        for (size_t i = kx; !less && ky == kx && i-- > 0;) {
            if (y[i] != x[i]) {
                less = y[i] < x[i];
                break;
            }
        }
        if (!less)
            return kx;
        for (size_t i = 0; i < ky; i++)
            x[i] = y[i];
        kx = ky;
    }
}

/* out = a * b: ka + kb limbs. */
static void mul(const W *a, size_t ka, const W *b, size_t kb, W *out)
{
    for (size_t i = 0; i < ka + kb; i++)
        out[i] = 0;
    for (size_t i = 0; i < ka; i++) {
        W c = 0;
        for (size_t j = 0; j < kb; j++) {
            DW t = (DW)a[i] * b[j] + out[i + j] + c;
            out[i + j] = (W)t;
            c = (W)(t >> WBITS);
        }
        out[i + kb] = c;
    }
}

/* 1 if a (ka <= HMAX + 1 limbs) is a perfect square. */
__attribute__((noinline)) static int is_square(const W *a, size_t ka)
{
    W x[QMAX], sq[2 * QMAX];
    size_t kx = isqrt(a, ka, x);
    mul(x, kx, x, kx, sq);
    ka = norm(a, ka);
    for (size_t i = 0; i < 2 * kx; i++)
        if (sq[i] != (i < ka ? a[i] : 0))
            return 0;
    return 2 * kx >= ka;
}

/* --- Fermat ------------------------------------------------------------------ */

/* a = ceil(sqrt(n)) and b2 = a^2 - n (below 2a + 1): the limbs of a. Not
 * inlined (here and below): each frame stays under the firmware bound. */
__attribute__((noinline)) static size_t start(const W *n, size_t k, W *a, W *b2, size_t *kb)
{
    W sq[KMAX + 4];
    size_t ka = isqrt(n, k, a);
    k = norm(n, k);
    mul(a, ka, a, ka, sq);
    size_t ks = 2 * ka;
    int below = 0; /* a^2 < n: a = a + 1 */
    for (size_t i = ks > k ? ks : k; i-- > 0;) {
        W x = i < ks ? sq[i] : 0, y = i < k ? n[i] : 0;
        if (x != y) {
            below = x < y;
            break;
        }
    }
    if (below) {
        W c = 1;
        for (size_t i = 0; i < ka && c; i++)
            c = ++a[i] == 0;
        a[ka] = c;
        ka += c;
        mul(a, ka, a, ka, sq);
        ks = 2 * ka;
    }
    W borrow = 0;
    for (size_t i = 0; i < ka + 1 && i < ks; i++) {
        W y = i < k ? n[i] : 0, d = sq[i] - y, b1 = d > sq[i];
        b2[i] = d - borrow;
        borrow = b1 | (b2[i] > d);
    }
    *kb = norm(b2, ka + 1 < ks ? ka + 1 : ks);
    return ka;
}

static int fermat(const W *n, size_t k)
{
    W a[HMAX], b2[HMAX + 1], t[HMAX + 1];
    uint8_t ra[POL_WK_QR_N], rb[POL_WK_QR_N];
    size_t kb, ka = start(n, k, a, b2, &kb);
    residues(a, ka, pol_wk_qr_mod, 1, POL_WK_QR_N, ra);
    residues(b2, kb, pol_wk_qr_mod, 1, POL_WK_QR_N, rb);
    for (int round = 0; round < POL_WK_FERMAT_ROUNDS; round++) {
        int pass = 1;
        for (int j = 0; j < POL_WK_QR_N; j++)
            pass &= (int)(pol_wk_qr_mask[j] >> rb[j]) & 1;
        if (pass) { /* b^2 = b2 + round * (2a + round) */
            W c = (W)round;
            for (size_t i = 0; i < ka; i++) {
                DW s2 = ((DW)a[i] << 1) + c;
                t[i] = (W)s2;
                c = (W)(s2 >> WBITS);
            }
            t[ka] = c;
            W cb = 0, cm = 0;
            for (size_t i = 0; i < ka + 2; i++) {
                DW pr = (DW)(i <= ka ? t[i] : 0) * (W)round + cm;
                cm = (W)(pr >> WBITS);
                DW s2 = (DW)(W)pr + (i < kb ? b2[i] : 0) + cb;
                t[i] = (W)s2;
                cb = (W)(s2 >> WBITS);
            }
            if (is_square(t, ka + 2))
                return round + 1;
        }
        for (int j = 0; j < POL_WK_QR_N; j++) { /* b2 += 2a + 1; a += 1 */
            unsigned m = pol_wk_qr_mod[j], v = rb[j] + 2u * ra[j] + 1;
            while (v >= m)
                v -= m;
            rb[j] = (uint8_t)v;
            ra[j] = (uint8_t)(ra[j] + 1u == m ? 0 : ra[j] + 1);
        }
    }
    return 0;
}

/* --- entry points -------------------------------------------------------- */

long POL_WK_NAME(pol_wk_small_factor)(const uint8_t *n, size_t len)
{
    W x[KMAX];
    int k = to_limbs(n, len, x);
    return k < 0 ? -1 : trial_any(x, (size_t)k);
}

int POL_WK_NAME(pol_wk_fermat)(const uint8_t *n, size_t len)
{
    W x[KMAX];
    int k = to_limbs(n, len, x);
    return k < 0 ? -1 : fermat(x, (size_t)k);
}

int POL_WK_NAME(pol_wk_roca)(const uint8_t *n, size_t len)
{
    W x[KMAX];
    int k = to_limbs(n, len, x);
    return k < 0 ? -1 : roca(x, (size_t)k);
}

unsigned POL_WK_NAME(pol_wk_rsa)(const uint8_t *n, size_t len)
{
    W x[KMAX];
    int k = to_limbs(n, len, x);
    if (k < 0)
        return POL_WK_TOO_LARGE;
    return (trial_any(x, (size_t)k) ? POL_WK_SMALL_FACTOR : 0) | (fermat(x, (size_t)k) ? POL_WK_CLOSE_PRIMES : 0) |
           (roca(x, (size_t)k) ? POL_WK_ROCA : 0);
}

int POL_WK_NAME(pol_wk_ec_infinity)(const uint8_t *point, size_t len)
{
    if (len && point[0] == 0x00)
        return 1;
    if (len < 3 || point[0] != 0x04 || (len - 1) % 2)
        return 0;
    for (size_t i = 1; i < len; i++)
        if (point[i])
            return 0;
    return 1;
}
