/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer: the SBR 6.1.1.3 weak-key checks over arbitrary moduli (any
 * length, leading zeros, 0 and 1, even numbers) and EC point encodings:
 * no crash, no out-of-bounds, and the combined answer agrees with the
 * single checks. */
#include <stdint.h>
#include <stdlib.h>
#include "../../policy/pol_weakkey.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned all = pol_wk_rsa(data, size);
    long f = pol_wk_small_factor(data, size);
    int r = pol_wk_fermat(data, size), c = pol_wk_roca(data, size);
    unsigned want = f < 0 ? POL_WK_TOO_LARGE
                          : (f ? POL_WK_SMALL_FACTOR : 0) | (r ? POL_WK_CLOSE_PRIMES : 0) | (c ? POL_WK_ROCA : 0);
    if (all != want || f >= (long)POL_WK_PRIME_BOUND || r > POL_WK_FERMAT_ROUNDS)
        abort();
    (void)pol_wk_ec_infinity(data, size);
    return 0;
}
