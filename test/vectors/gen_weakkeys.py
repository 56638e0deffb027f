#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Weak RSA moduli from first principles (SBR 6.1.1.3), deterministic:
  - a prime factor below 2^16 (3, 65521 the largest below the bound, and
    65537 just above it);
  - close primes, |p - q| so small that Fermat's method from
    a = ceil(sqrt(n)) finds b^2 = a^2 - n square within 100 rounds;
  - ROCA primes p = k*M + (65537^a mod M) (Nemec et al., CCS 2017: M the
    product of the first 126 primes for 2048-bit keys).
Writes test/vectors/weakkey/vectors.txt for test/unit/test_weakkey.c:
one modulus a line, `hex small_factor fermat_round roca`, the expectations
computed here by plain Python (trial division, math.isqrt, pow).
test/vectors/smime_cases/weakkeys.py imports this module for the corpus."""
import hashlib
import math
import os

from miller_rabin import miller_rabin

HERE = os.path.dirname(os.path.abspath(__file__))
BOUND = 1 << 16
ROUNDS = 100
PRIMES = [p for p in range(2, BOUND) if all(p % q for q in range(2, math.isqrt(p) + 1))]
assert len(PRIMES) == 6542 and PRIMES[-1] == 65521


class Stream:
    """SHA-256 in counter mode over a label: deterministic random integers."""

    def __init__(self, label):
        self.label, self.n = label.encode(), 0

    def bits(self, k):
        out = b""
        while len(out) * 8 < k:
            out += hashlib.sha256(b"sbrguard-weakkeys/" + self.label + self.n.to_bytes(8, "big")).digest()
            self.n += 1
        return int.from_bytes(out, "big") >> (len(out) * 8 - k)


PRIMORIAL = math.prod(PRIMES)


def is_prime(n, s=None):
    """Miller-Rabin, 8 rounds after a gcd with every prime below 2^16."""
    if n < BOUND:
        return n in PRIMES
    if math.gcd(n, PRIMORIAL) != 1:
        return False
    s = s or Stream("mr-%d" % (n % 1000003))
    return miller_rabin(n, 8, lambda: s.bits(n.bit_length() + 8))


def prime(bits, s):
    """A random prime of exactly `bits` bits, top two bits set."""
    while True:
        x = s.bits(bits) | 1 | (3 << (bits - 2))
        if is_prime(x):
            return x


def next_prime(x):
    x |= 1
    while not is_prime(x):
        x += 2
    return x


# --- the expectations, by definition ----------------------------------------
def small_factor(n):
    for p in PRIMES:
        if n % p == 0:
            return p
    return 0


def fermat_round(n):
    r = math.isqrt(n)
    a = r if r * r == n else r + 1
    for i in range(ROUNDS):
        b2 = (a + i) ** 2 - n
        if math.isqrt(b2) ** 2 == b2:
            return i + 1
    return 0


def roca_primes():
    """The fingerprint primes: r among the first 39 primes where 65537
    generates a proper subgroup of Z_r^*."""
    out = []
    for r in PRIMES[1:39]:
        o, x = 1, 65537 % r
        while x != 1:
            x, o = x * 65537 % r, o + 1
        if o < r - 1:
            out.append((r, o))
    return out


def is_roca(n):
    # n mod r in <65537> for every fingerprint prime: n^ord = 1 mod r
    return all(pow(n % r, o, r) == 1 for r, o in roca_primes())


# --- the weak moduli ----------------------------------------------------------
def with_small_factor(p, nbits, label):
    """n = p * q of exactly nbits bits, q without a prime factor below 2^16
    (not necessarily prime: the check sees only n, and p is its smallest
    factor below the bound)."""
    s = Stream(label)
    while True:
        q = s.bits(nbits - p.bit_length() + 1) | 1 | (1 << (nbits - p.bit_length()))
        while math.gcd(q, PRIMORIAL) != 1:
            q += 2
        n = p * q
        if n.bit_length() == nbits:
            return n


def close_primes(nbits, target, label):
    """n = p * q of nbits bits with Fermat's method succeeding exactly at
    round `target` (target 101: just outside the rounds)."""
    s = Stream(label)
    p = prime(nbits // 2, s)
    # (p+q)/2 - sqrt(pq) = (sqrt(q) - sqrt(p))^2 / 2 ~ (q-p)^2 / (8p)
    want = 8 * p * (2 * target - 1) // 2
    for _ in range(50):
        q = next_prime(p + math.isqrt(want))
        n = p * q
        r = math.isqrt(n)
        a0 = r if r * r == n else r + 1
        rnd = (p + q) // 2 - a0 + 1
        if rnd == target and n.bit_length() == nbits:
            return n, p, q
        want = want * (2 * target - 1) // (2 * rnd - 1)
    raise ValueError("no prime pair at round %d" % target)


ROCA_M = math.prod(PRIMES[:126])


def roca_prime(bits, s):
    """k*M + (65537^a mod M), M the product of the first 126 primes."""
    while True:
        a = s.bits(ROCA_M.bit_length())
        c = pow(65537, a, ROCA_M)
        k = s.bits(bits - ROCA_M.bit_length())
        p = k * ROCA_M + c
        if p.bit_length() == bits and p >> (bits - 2) == 3 and is_prime(p):
            return p


def roca_modulus(label, both=True):
    s = Stream(label)
    p = roca_prime(1024, s)
    q = roca_prime(1024, s) if both else prime(1024, s)
    return p * q


def vectors():
    out = []
    s = Stream("unit")
    for p in (2, 3, 5, 7, 97, 251, 257, 4099, 65521, 65537, 65539, 65521 * 65519):
        for bits in (1024, 2048, 4096):  # p times a number without factors below 2^16
            x = s.bits(bits - 32) | 1 | (1 << (bits - 33))
            while math.gcd(x, PRIMORIAL) != 1:
                x += 2
            out.append(p * x)
        out.append(p * (s.bits(2000) | 1))  # and times a random odd number
    for bits in (8, 17, 63, 64, 65, 127, 128, 129, 300, 1000, 2048, 3072, 4096):
        out.append(s.bits(bits) | (1 << (bits - 1)) | 1)
    for _ in range(12):  # random products of primes below and above the bound
        n = 1
        while n.bit_length() < 1500:
            n *= PRIMES[100 + s.bits(13) % 6400] if s.bits(2) == 0 else prime(64 + s.bits(7), s)
        out.append(n)
    for t in (1, 2, 50, 99, 100, 101, 150):
        out.append(close_primes(2048, t, "unit-fermat-%d" % t)[0])
    out.append(close_primes(1024, 100, "unit-fermat-1024")[0])
    p = prime(1024, s)
    out.append(p * p)  # p = q: round 1
    out.append(p * next_prime(p + 2))
    out.append(roca_modulus("unit-roca"))
    out.append(roca_modulus("unit-roca-half", both=False))
    r = Stream("unit-roca-3072")
    out.append(roca_prime(1536, r) * roca_prime(1536, r))
    out += [0, 1, 2, 3, 9, 15, 65521 * 65521, (1 << 4096) - 1]
    return out


def main():
    path = os.path.join(HERE, "weakkey", "vectors.txt")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("# modulus(hex) smallest-prime-factor<2^16 fermat-round(1..100,0) roca(0/1)"
                " -- test/vectors/gen_weakkeys.py\n")
        for n in vectors():
            f.write("%x %d %d %d\n" % (n, small_factor(n), fermat_round(n), int(is_roca(n))))
    print("gen_weakkeys: wrote", path)


if __name__ == "__main__":
    main()
