/* SPDX-License-Identifier: Apache-2.0 */
/* SBR 6.1.1.3 weak-key arithmetic (policy/pol_weakkey.c) against Python's
 * answers (test/vectors/gen_weakkeys.py -> test/vectors/weakkey/vectors.txt),
 * in both limb widths: the host's 64-bit build and the Cortex-M's 32-bit
 * one, compiled here a second time. The generated tables are re-derived. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../policy/pol_weakkey.h"
#include "check.h"

/* The 32-bit-limb build of the same source, under other names. */
#define POL_WK_LIMB32 1
#define POL_WK_NAME(f) w32_##f
long w32_pol_wk_small_factor(const uint8_t *n, size_t len);
int w32_pol_wk_fermat(const uint8_t *n, size_t len);
int w32_pol_wk_roca(const uint8_t *n, size_t len);
unsigned w32_pol_wk_rsa(const uint8_t *n, size_t len);
int w32_pol_wk_ec_infinity(const uint8_t *point, size_t len);
#include "../../policy/pol_weakkey.c"

static size_t unhex(const char *h, uint8_t *out, size_t cap)
{
    size_t l = strlen(h), n = (l + 1) / 2;
    if (n > cap)
        return 0;
    memset(out, 0, n);
    for (size_t i = 0; i < l; i++) {
        char c = h[l - 1 - i];
        unsigned v = c <= '9' ? (unsigned)(c - '0') : (unsigned)(c - 'a' + 10);
        out[n - 1 - i / 2] |= (uint8_t)(v << (4 * (i % 2)));
    }
    return n;
}

static void tables(void)
{
    static uint8_t comp[POL_WK_PRIME_BOUND];
    static const uint8_t wheel[8] = { 1, 7, 11, 13, 17, 19, 23, 29 };
    int bad = 0, count = 3;
    for (unsigned i = 2; i * i < POL_WK_PRIME_BOUND; i++)
        for (unsigned j = i * i; !comp[i] && j < POL_WK_PRIME_BOUND; j += i)
            comp[j] = 1;
    for (unsigned k = 0; k < POL_WK_PRIMES30_LEN; k++)
        for (int j = 0; j < 8; j++) {
            unsigned x = 30 * k + wheel[j];
            int bit = (pol_wk_primes30[k] >> j) & 1;
            if (x < POL_WK_PRIME_BOUND)
                bad += bit != (x > 1 && !comp[x]);
            else
                bad += bit;
            count += bit;
        }
    CHECK(!bad && count == 6542, "wheel-30 bitmap holds exactly the 6542 primes below 2^16 (%d)", count);
    /* ROCA: every prime 3..167 where ord(65537) < r - 1, with the order. */
    int n = 0;
    bad = 0;
    for (unsigned r = 3; r <= 167; r++) {
        if (comp[r])
            continue;
        unsigned o = 1, x = 65537 % r;
        while (x != 1) {
            x = x * 65537 % r;
            o++;
        }
        if (o == r - 1)
            continue;
        bad += n >= POL_WK_ROCA_N || pol_wk_roca_tab[n][0] != r || pol_wk_roca_tab[n][1] != o;
        n++;
    }
    CHECK(!bad && n == POL_WK_ROCA_N, "ROCA fingerprint primes re-derived from ord(65537) mod r (%d)", n);
    bad = 0;
    for (int j = 0; j < POL_WK_QR_N; j++) {
        uint64_t m = 0;
        for (unsigned x = 0; x < pol_wk_qr_mod[j]; x++)
            m |= (uint64_t)1 << (x * x % pol_wk_qr_mod[j]);
        bad += m != pol_wk_qr_mask[j];
    }
    CHECK(!bad, "quadratic-residue masks of the %d Fermat filters re-derived", POL_WK_QR_N);
}

int main(void)
{
    static char line[4096];
    static uint8_t n[1100];
    FILE *f = fopen("test/vectors/weakkey/vectors.txt", "r");
    int total = 0, bad64 = 0, bad32 = 0, sf = 0, fe = 0, ro = 0;
    tables();
    CHECK(f != NULL, "test/vectors/weakkey/vectors.txt opens");
    while (f && fgets(line, sizeof line, f)) {
        char hex[1200];
        long want_sf;
        int want_fe, want_ro;
        if (line[0] == '#' || sscanf(line, "%1199s %ld %d %d", hex, &want_sf, &want_fe, &want_ro) != 4)
            continue;
        /* with a leading zero byte, as DER writes a modulus with its top bit set */
        n[0] = 0;
        size_t len = unhex(hex, n + 1, sizeof n - 1) + 1;
        unsigned want = (want_sf ? POL_WK_SMALL_FACTOR : 0) | (want_fe ? POL_WK_CLOSE_PRIMES : 0) |
                        (want_ro ? POL_WK_ROCA : 0);
        int ok64 = pol_wk_small_factor(n, len) == want_sf && pol_wk_fermat(n, len) == want_fe &&
                   pol_wk_roca(n, len) == want_ro && pol_wk_rsa(n, len) == want;
        int ok32 = w32_pol_wk_small_factor(n, len) == want_sf && w32_pol_wk_fermat(n, len) == want_fe &&
                   w32_pol_wk_roca(n, len) == want_ro && w32_pol_wk_rsa(n, len) == want;
        if (!ok64 || !ok32)
            fprintf(stderr, "mismatch: %.40s... want %ld %d %d, 64: %ld %d %d, 32: %ld %d %d\n", hex, want_sf, want_fe,
                    want_ro, pol_wk_small_factor(n, len), pol_wk_fermat(n, len), pol_wk_roca(n, len),
                    w32_pol_wk_small_factor(n, len), w32_pol_wk_fermat(n, len), w32_pol_wk_roca(n, len));
        bad64 += !ok64;
        bad32 += !ok32;
        total++;
        sf += want_sf != 0;
        fe += want_fe != 0;
        ro += want_ro;
    }
    if (f)
        fclose(f);
    CHECK(total >= 50 && sf >= 10 && fe >= 5 && ro >= 1, "%d vectors: %d with a small factor, %d close, %d ROCA", total,
          sf, fe, ro);
    CHECK(bad64 == 0, "64-bit limbs agree with Python on every vector (%d wrong)", bad64);
    CHECK(bad32 == 0, "32-bit limbs agree with Python on every vector (%d wrong)", bad32);

    /* Above 4096 bits: unchecked, reported as such. */
    memset(n, 0xff, sizeof n);
    CHECK(pol_wk_rsa(n, 513) == POL_WK_TOO_LARGE && w32_pol_wk_rsa(n, 513) == POL_WK_TOO_LARGE &&
              pol_wk_small_factor(n, 513) == -1 && pol_wk_fermat(n, 513) == -1 && pol_wk_roca(n, 513) == -1,
          "a 4104-bit modulus is too large to check");
    CHECK(pol_wk_rsa(n, 512) != POL_WK_TOO_LARGE, "a 4096-bit modulus is checked");

    /* SEC 1 2.3.3: the point at infinity is the octet 00. */
    static const uint8_t inf[1] = { 0 }, gen[5] = { 4, 0, 0, 0, 1 };
    uint8_t zero[65] = { 4 };
    CHECK(pol_wk_ec_infinity(inf, 1) && pol_wk_ec_infinity(zero, 65) && !pol_wk_ec_infinity(gen, 5) &&
              !pol_wk_ec_infinity(zero, 0) && !w32_pol_wk_ec_infinity(gen, 5),
          "point at infinity: 00 and 04||0||0 are, 04||0||1 is not");
    return CHECK_DONE();
}
