/* SPDX-License-Identifier: Apache-2.0 */
/* SBR 6.1.1.3: a CA SHALL reject a certificate request whose public key
 * is weak (pol_weakkey.c; bounds and rounds in docs/policy.md). Each row
 * runs its own check once per decision; RSA keys that 7.1.3.1 / 6.1.5
 * already refuse as malformed are not judged again here. */
#include "pol_int.h"
#include "pol_weakkey.h"

static int rsa_ok(const pol_eval *e) { return e->key == KEY_RSA && !e->key_malformed; }
static int rsa_too_large(const pol_eval *e) { return rsa_ok(e) && e->rsa_bits > POL_WK_MAX_BITS; }
static int rsa_small_factor(const pol_eval *e)
{
    return rsa_ok(e) && pol_wk_small_factor(e->rsa_n.p, e->rsa_n.len) > 0;
}
static int rsa_close_primes(const pol_eval *e) { return rsa_ok(e) && pol_wk_fermat(e->rsa_n.p, e->rsa_n.len) > 0; }
static int rsa_roca(const pol_eval *e) { return rsa_ok(e) && pol_wk_roca(e->rsa_n.p, e->rsa_n.len) > 0; }
static int ec_infinity(const pol_eval *e) { return e->ec_infinity; }

const pol_rule pol_rules_key[] = {
    { "sbr.6.1.1.3.rsa.small-factor", "6.1.1.3", "RSA modulus has a prime factor below 2^16", rsa_small_factor },
    { "sbr.6.1.1.3.rsa.close-primes", "6.1.1.3", "RSA modulus factors by Fermat's method within 100 rounds (close primes)", rsa_close_primes },
    { "sbr.6.1.1.3.rsa.roca", "6.1.1.3", "RSA modulus has the ROCA fingerprint (CVE-2017-15361)", rsa_roca },
    { "sbr.6.1.1.3.rsa.unchecked", "6.1.1.3", "RSA modulus above 4096 bits: too large for the weak-key checks", rsa_too_large },
    { "sbr.6.1.1.3.ec.infinity", "6.1.1.3", "ECDSA public key is the point at infinity", ec_infinity },
};
const size_t pol_rules_key_n = sizeof pol_rules_key / sizeof *pol_rules_key;
