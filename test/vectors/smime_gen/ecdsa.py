# SPDX-License-Identifier: Apache-2.0
"""Elliptic curves: deterministic ECDSA (RFC 6979) in pure Python."""
import hashlib
import hmac

from cryptography.hazmat.primitives.asymmetric import ec

from .der import integer, seq

CURVES = {
    "P-256": dict(
        p=0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF,
        a=-3,
        b=0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B,
        n=0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
        gx=0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296,
        gy=0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5,
        size=32, hash=hashlib.sha256, crypto=ec.SECP256R1),
    "P-384": dict(
        p=int("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFFFF0000000000000000FFFFFFFF", 16),
        a=-3,
        b=int("B3312FA7E23EE7E4988E056BE3F82D19181D9C6EFE8141120314088F5013875AC656398D8A2ED19D2A85C8EDD3EC2AEF", 16),
        n=int("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973", 16),
        gx=int("AA87CA22BE8B05378EB1C71EF320AD746E1D3B628BA79B9859F741E082542A385502F25DBF55296C3A545E3872760AB7", 16),
        gy=int("3617DE4A96262C6F5D9E98BF9292DC29F8F41DBD289A147CE9DA3113B5F0B8C00A60B1CE1D7E819D7A431D7C90EA0E5F", 16),
        size=48, hash=hashlib.sha384, crypto=ec.SECP384R1),
}


def ec_add(c, P, Q):
    p = c["p"]
    if P is None:
        return Q
    if Q is None:
        return P
    if P[0] == Q[0]:
        if (P[1] + Q[1]) % p == 0:
            return None
        lam = (3 * P[0] * P[0] + c["a"]) * pow(2 * P[1], -1, p) % p
    else:
        lam = (Q[1] - P[1]) * pow(Q[0] - P[0], -1, p) % p
    x = (lam * lam - P[0] - Q[0]) % p
    return (x, (lam * (P[0] - x) - P[1]) % p)


def ec_mul(c, k, P):
    R = None
    while k:
        if k & 1:
            R = ec_add(c, R, P)
        P = ec_add(c, P, P)
        k >>= 1
    return R


def on_curve(c, x, y):
    p = c["p"]
    return (y * y - (x * x * x + c["a"] * x + c["b"])) % p == 0


def rfc6979_sign(curve, d, msg):
    """ECDSA with the curve's hash and an RFC 6979 nonce; DER Ecdsa-Sig-Value."""
    c = CURVES[curve]
    n, H = c["n"], c["hash"]
    qlen = n.bit_length()
    rlen = (qlen + 7) // 8

    def bits2int(b):
        x = int.from_bytes(b, "big")
        return x >> (len(b) * 8 - qlen) if len(b) * 8 > qlen else x

    h1 = H(msg).digest()
    bx = d.to_bytes(rlen, "big") + (bits2int(h1) % n).to_bytes(rlen, "big")
    V, K = b"\x01" * len(h1), b"\x00" * len(h1)
    K = hmac.new(K, V + b"\x00" + bx, H).digest()
    V = hmac.new(K, V, H).digest()
    K = hmac.new(K, V + b"\x01" + bx, H).digest()
    V = hmac.new(K, V, H).digest()
    while True:
        T = b""
        while len(T) < rlen:
            V = hmac.new(K, V, H).digest()
            T += V
        k = bits2int(T[:rlen])
        if 1 <= k < n:
            R = ec_mul(c, k, (c["gx"], c["gy"]))
            r = R[0] % n
            s = pow(k, -1, n) * (bits2int(h1) + r * d) % n
            if r and s:
                return seq(integer(r), integer(s))
        K = hmac.new(K, V + b"\x00", H).digest()
        V = hmac.new(K, V, H).digest()
