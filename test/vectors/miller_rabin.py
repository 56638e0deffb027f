# SPDX-License-Identifier: Apache-2.0
"""The Miller-Rabin rounds both key generators use (gen_weakkeys.py and
smime_gen/keys.py); each brings its own small-prime screen and its own
deterministic witness stream, so their keys stay as they were."""


def miller_rabin(n, rounds, witness):
    """False if one of `rounds` witnesses 2 + witness() % (n - 3) proves the
    odd n > 3 composite (FIPS 186-5 B.3.1), True otherwise."""
    d, r = n - 1, 0
    while d % 2 == 0:
        d, r = d // 2, r + 1
    for _ in range(rounds):
        x = pow(2 + witness() % (n - 3), d, n)
        if x in (1, n - 1):
            continue
        for _ in range(r - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True
