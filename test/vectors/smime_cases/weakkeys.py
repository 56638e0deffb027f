# SPDX-License-Identifier: Apache-2.0
"""SBR 6.1.1.3 weak subscriber keys: each sbr.6.1.1.3.* row with a key that
breaks it and one just beside it that passes. The moduli come from
../gen_weakkeys.py, built from first principles (no published keys)."""
import importlib.util
import os

_spec = importlib.util.spec_from_file_location("gen_weakkeys", os.path.join(os.path.dirname(__file__), "..", "gen_weakkeys.py"))
wk = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(wk)

SF, CLOSE, ROCA = "sbr.6.1.1.3.rsa.small-factor", "sbr.6.1.1.3.rsa.close-primes", "sbr.6.1.1.3.rsa.roca"


def cases(g):
    def rsa(fname, n, codes, why):
        # the expectation, recomputed by definition, must agree with the case
        want = {SF: wk.small_factor(n) != 0, CLOSE: wk.fermat_round(n) != 0, ROCA: wk.is_roca(n)}
        assert n.bit_length() > 4096 or {c for c, v in want.items() if v} == {c for c in codes if c in want}, fname
        g.mut(fname, g.base("mailbox", "strict", "rsa"), lambda c: setattr(c, "spki", g.rsa_spki(n, 65537)), codes,
              why)

    def ec(fname, point, codes, why):
        g.mut(fname, g.base("mailbox", "strict", "ec"), lambda c: setattr(c, "spki", g.seq(g.ALG_P256, g.bits(point))),
              codes, why)

    # -- a prime factor below 2^16 (every one of the 6542 is tried) ----------
    rsa("bad-key-rsa-factor-2.der", wk.with_small_factor(2, 2048, "corpus-sf-2"), [SF],
        "6.1.1.3 weak key: an even RSA modulus (factor 2)")
    rsa("bad-key-rsa-factor-3.der", wk.with_small_factor(3, 2048, "corpus-sf-3"), [SF],
        "6.1.1.3 weak key: RSA modulus divisible by 3")
    rsa("bad-key-rsa-factor-65521.der", wk.with_small_factor(65521, 2048, "corpus-sf-65521"), [SF],
        "6.1.1.3 weak key: RSA modulus divisible by 65521, the largest prime below 2^16")
    rsa("ok-key-rsa-factor-65537.der", wk.with_small_factor(65537, 2048, "corpus-sf-65537"), [],
        "6.1.1.3 valid: a factor 65537, the first prime above the bound 2^16, is not tried")

    # -- close primes: Fermat from ceil(sqrt(n)), 100 rounds -------------------
    rsa("bad-key-rsa-close-primes-round-1.der", wk.close_primes(2048, 1, "corpus-fermat-1")[0], [CLOSE],
        "6.1.1.3 weak key: p and q so close that Fermat's method factors n in its first round")
    rsa("bad-key-rsa-close-primes-round-100.der", wk.close_primes(2048, 100, "corpus-fermat-100")[0], [CLOSE],
        "6.1.1.3 weak key: Fermat's method factors n in round 100, the last one tried")
    rsa("ok-key-rsa-close-primes-round-101.der", wk.close_primes(2048, 101, "corpus-fermat-101")[0], [],
        "6.1.1.3 valid: Fermat's method would need round 101, beyond the 100 rounds")

    # -- ROCA (CVE-2017-15361): p = k*M + (65537^a mod M) -------------------------
    rsa("bad-key-rsa-roca.der", wk.roca_modulus("corpus-roca"), [ROCA],
        "6.1.1.3 weak key: both primes of the form k*M + 65537^a mod M (ROCA, Nemec et al. 2017)")
    rsa("ok-key-rsa-roca-one-prime.der", wk.roca_modulus("corpus-roca-half", both=False), [],
        "6.1.1.3 valid: one prime of the ROCA form and one random: no fingerprint")

    # -- too large to check -----------------------------------------------------
    s = wk.Stream("corpus-4104")
    rsa("bad-key-rsa-4104-unchecked.der", s.bits(4104) | (1 << 4103) | 1, ["sbr.6.1.1.3.rsa.unchecked"],
        "6.1.1.3 an RSA modulus of 4104 bits, above the 4096 the weak-key checks take")

    # -- EC: the point at infinity (SEC 1 2.3.3) -----------------------------------
    ec("bad-key-ec-infinity.der", b"\x00", ["sbr.6.1.1.3.ec.infinity"],
       "6.1.1.3 weak key: the P-256 point at infinity, encoded as the single octet 00")
    ec("bad-key-ec-infinity-zeros.der", b"\x04" + bytes(64), ["sbr.6.1.1.3.ec.infinity"],
       "6.1.1.3 weak key: the point at infinity written as 04 with zero coordinates")
