/* SPDX-License-Identifier: Apache-2.0 */
/* SBR 6.1.1.3 weak subscriber keys: the RSA modulus checks of
 * pol_weakkey.c (docs/policy.md "Weak keys"). Moduli are big-endian bytes,
 * leading zeros allowed; nothing is allocated, the stack is bounded. */
#ifndef POL_WEAKKEY_H
#define POL_WEAKKEY_H
#include <stddef.h>
#include <stdint.h>

/** Largest modulus the checks take; a larger one is refused unchecked. */
#define POL_WK_MAX_BITS 4096
/** Every prime below this bound is tried as a factor. */
#define POL_WK_PRIME_BOUND 65536u
/** Fermat rounds: a = ceil(sqrt(n)) ... ceil(sqrt(n)) + 99 (Boulder's 100). */
#define POL_WK_FERMAT_ROUNDS 100

#define POL_WK_SMALL_FACTOR 1u
#define POL_WK_CLOSE_PRIMES 2u
#define POL_WK_ROCA 4u
#define POL_WK_TOO_LARGE 8u

/** The smallest prime below POL_WK_PRIME_BOUND dividing n (2 for n = 0),
 * 0 if none, -1 if n is too large. */
long pol_wk_small_factor(const uint8_t *n, size_t len);
/** The Fermat round (1..POL_WK_FERMAT_ROUNDS) at which n = a^2 - b^2 with
 * a = ceil(sqrt(n)) + round - 1, 0 if none, -1 if n is too large. */
int pol_wk_fermat(const uint8_t *n, size_t len);
/** 1 if n has the ROCA fingerprint (CVE-2017-15361), 0 if not, -1 too large. */
int pol_wk_roca(const uint8_t *n, size_t len);
/** All of the above: POL_WK_* bits. */
unsigned pol_wk_rsa(const uint8_t *n, size_t len);

/** 1 if a subjectPublicKey EC point (SEC 1 2.3.3) is the point at infinity:
 * the single octet 00 (or any encoding starting 00), or 04 with X = Y = 0. */
int pol_wk_ec_infinity(const uint8_t *point, size_t len);

/* pol_primes.c (policy/gen_primes.py) */
#define POL_WK_PRIMES30_LEN 2185
#define POL_WK_ROCA_N 17
#define POL_WK_QR_N 11
extern const uint8_t pol_wk_primes30[POL_WK_PRIMES30_LEN];
extern const uint8_t pol_wk_roca_tab[POL_WK_ROCA_N][2];
extern const uint8_t pol_wk_qr_mod[POL_WK_QR_N];
extern const uint64_t pol_wk_qr_mask[POL_WK_QR_N];
#endif
