/* SPDX-License-Identifier: Apache-2.0 */
/* SBR 6.1.5: an EdDSA key SHALL be a valid point on curve25519 or curve448.
 * The key is decoded as RFC 8032 5.1.3 / 5.2.3 decode it: y below p, and an
 * x with x^2 = u/v (u = y^2 - 1; v = d*y^2 + 1 for edwards25519, d*y^2 - 1
 * for edwards448). u/v is a square mod p exactly when the Legendre symbols
 * of u and v agree, i.e. when u*v is a square (v is never 0: d is not a
 * square); u = 0 gives x = 0, whose sign bit must be clear. No square root
 * and no exponentiation: four Montgomery products and one binary Jacobi
 * symbol on 32-bit limbs, nothing allocated. */
#include "pol_int.h"

#define NMAX 14 /* limbs of a curve448 field element */

typedef struct {
    uint8_t n, bytes; /* limbs of p; length of the encoded key */
    int8_t v_one;     /* v = d*y^2 + v_one */
    uint32_t n0;      /* -p^-1 mod 2^32 */
    uint32_t p[NMAX], r2[NMAX], dr2[NMAX]; /* p, R^2 mod p, d*R^2 mod p; R = 2^(32n), little-endian */
} curve;

/* The constants: p, (2^(32n))^2 mod p, d * (2^(32n))^2 mod p and -p^-1 mod
 * 2^32, for edwards25519 (d = -121665/121666) and edwards448 (d = -39081). */
static const curve c25519 = {
    8, 32, 1, 0x286BCA1Bu,
    { 0xFFFFFFED, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0x7FFFFFFF },
    { 0x000005A4 },
    { 0x24ACBC13, 0x2342C7D5, 0x176A2725, 0x77FA1BC4, 0xEBA3F962, 0x13E7AD25, 0x03B743C6, 0x1B526F6D },
};
static const curve c448 = {
    14, 57, -1, 0x00000001u,
    { 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFE,
      0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF },
    { 0x00000002, 0, 0, 0, 0, 0, 0, 0x00000003 },
    { 0xFFFECEAD, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFE3603,
      0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF },
};

static int geq(const uint32_t *a, const uint32_t *b, size_t n)
{
    for (size_t i = n; i-- > 0;)
        if (a[i] != b[i])
            return a[i] > b[i];
    return 1;
}
static void sub(uint32_t *a, const uint32_t *b, size_t n) /* a -= b, mod 2^(32n) */
{
    uint64_t borrow = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t d = (uint64_t)a[i] - b[i] - borrow;
        a[i] = (uint32_t)d;
        borrow = (d >> 32) & 1;
    }
}
static int is_zero(const uint32_t *a, size_t n)
{
    uint32_t x = 0;
    for (size_t i = 0; i < n; i++)
        x |= a[i];
    return x == 0;
}

/* out = a*b/R mod p (CIOS), for a, b < p. */
static void mont(const curve *c, const uint32_t *a, const uint32_t *b, uint32_t *out)
{
    uint32_t t[NMAX + 2] = { 0 };
    size_t n = c->n;
    for (size_t i = 0; i < n; i++) {
        uint64_t s, carry = 0;
        for (size_t j = 0; j < n; j++) {
            s = (uint64_t)a[j] * b[i] + t[j] + carry;
            t[j] = (uint32_t)s;
            carry = s >> 32;
        }
        s = (uint64_t)t[n] + carry;
        t[n] = (uint32_t)s;
        t[n + 1] = (uint32_t)(s >> 32);
        uint32_t m = t[0] * c->n0;
        carry = ((uint64_t)m * c->p[0] + t[0]) >> 32;
        for (size_t j = 1; j < n; j++) {
            s = (uint64_t)m * c->p[j] + t[j] + carry;
            t[j - 1] = (uint32_t)s;
            carry = s >> 32;
        }
        s = (uint64_t)t[n] + carry;
        t[n - 1] = (uint32_t)s;
        t[n] = t[n + 1] + (uint32_t)(s >> 32);
    }
    if (t[n] || geq(t, c->p, n)) /* t < 2p */
        sub(t, c->p, n);
    for (size_t i = 0; i < n; i++)
        out[i] = t[i];
}

/* Jacobi symbol (a | m) for odd m > a >= 0, by the binary algorithm: the
 * factors of 2 come off a at once ((2 | m) = -1 for m = 3, 5 mod 8), a
 * subtraction follows each, and the limbs still in use shrink with m;
 * at most 2 * 32n rounds. */
static int jacobi(const uint32_t *a0, const uint32_t *m0, size_t n)
{
    uint32_t a[NMAX], m[NMAX], x;
    int j = 1;
    for (size_t i = 0; i < n; i++) {
        a[i] = a0[i];
        m[i] = m0[i];
    }
    while (n > 0 && m[n - 1] == 0)
        n--;
    while (!is_zero(a, n)) {
        unsigned sh = 0;
        size_t w = 0;
        while (a[w] == 0)
            w++; /* whole limbs: an even number of halvings, no sign change */
        for (x = a[w]; !(x & 1); x >>= 1)
            sh++;
        if (w || sh) {
            for (size_t i = 0; i < n; i++) {
                uint32_t lo = i + w < n ? a[i + w] : 0, hi = i + w + 1 < n ? a[i + w + 1] : 0;
                a[i] = sh ? lo >> sh | hi << (32 - sh) : lo;
            }
            if ((sh & 1) && ((m[0] & 7) == 3 || (m[0] & 7) == 5))
                j = -j;
        }
        if (!geq(a, m, n)) { /* reciprocity: swap */
            for (size_t i = 0; i < n; i++) {
                x = a[i];
                a[i] = m[i];
                m[i] = x;
            }
            if ((a[0] & 3) == 3 && (m[0] & 3) == 3)
                j = -j;
            while (n > 1 && m[n - 1] == 0 && a[n - 1] == 0)
                n--;
        }
        sub(a, m, n);
    }
    x = m[0] ^ 1;
    for (size_t i = 1; i < n; i++)
        x |= m[i];
    return x == 0 ? j : 0;
}

/* a = a + k mod p, k = +1 or -1, for a < p. */
static void add_one(const curve *c, uint32_t *a, int k)
{
    static const uint32_t one[NMAX] = { 1 };
    size_t n = c->n;
    if (k > 0) {
        for (size_t i = 0; i < n && ++a[i] == 0; i++)
            ; /* no carry out: a < p < 2^(32n) - 1 */
        if (geq(a, c->p, n))
            sub(a, c->p, n);
        return;
    }
    if (is_zero(a, n))
        for (size_t i = 0; i < n; i++)
            a[i] = c->p[i];
    sub(a, one, n);
}

int pol_ed_point_valid(int key, const uint8_t *k, size_t len)
{
    const curve *c = key == KEY_ED25519 ? &c25519 : key == KEY_ED448 ? &c448 : NULL;
    uint32_t y[NMAX] = { 0 }, t[NMAX], u[NMAX], v[NMAX];
    if (!c || len != c->bytes)
        return 0;
    size_t n = c->n;
    int sign = k[len - 1] >> 7;
    /* y: little-endian, the top bit (x's sign) cleared; y >= p fails. */
    for (size_t i = 0; i < len; i++) {
        uint8_t b = i + 1 == len ? (uint8_t)(k[i] & 0x7F) : k[i];
        if (!b)
            continue;
        if (i / 4 >= n)
            return 0;
        y[i / 4] |= (uint32_t)b << (8 * (i % 4));
    }
    if (geq(y, c->p, n))
        return 0;
    mont(c, y, y, t);      /* y^2 / R */
    mont(c, t, c->r2, u);  /* y^2 */
    mont(c, t, c->dr2, v); /* d * y^2 */
    add_one(c, u, -1);
    add_one(c, v, c->v_one);
    if (is_zero(u, n))
        return !sign; /* x = 0 */
    /* (u/v | p) = (u | p)(v | p) = (u v / R | p): R = 2^(32n) with 32n even
     * is a square. */
    mont(c, u, v, t);
    return jacobi(t, c->p, n) == 1;
}
