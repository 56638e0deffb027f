# SPDX-License-Identifier: Apache-2.0
"""Keys, derived from labels and kept as PEM under smime/keys/; SPKIs and key identifiers."""
import hashlib
import os

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from miller_rabin import miller_rabin  # test/vectors/, beside gen_smime.py

from .paths import KEYS
from .der import bits, int_content, integer, read_tlv, seq, tlv
from .oids import ALG_MLDSA44, ALG_MLKEM768, ALG_RSA
from .ecdsa import CURVES


def drbg(label):
    """An endless deterministic byte stream for a label (SHA-256 in counter mode)."""
    counter = 0
    while True:
        yield from hashlib.sha256(b"sbrguard-test-vectors/" + label.encode() + counter.to_bytes(8, "big")).digest()
        counter += 1


SMALL_PRIMES = [p for p in range(3, 2000) if all(p % q for q in range(2, int(p ** 0.5) + 1))]


def is_probable_prime(n, stream):
    if any(n % p == 0 for p in SMALL_PRIMES):
        return n in SMALL_PRIMES
    return miller_rabin(n, 40, lambda: int.from_bytes(bytes(next(stream) for _ in range(32)), "big"))


def gen_prime(bitlen, stream, top2=True):
    while True:
        x = int.from_bytes(bytes(next(stream) for _ in range(bitlen // 8)), "big")
        x |= 1 | (1 << (bitlen - 1)) | ((1 << (bitlen - 2)) if top2 else 0)
        x &= (1 << bitlen) - 1
        if is_probable_prime(x, stream):
            return x


def derive_rsa(label, nbits):
    stream = drbg(label)
    e = 65537
    while True:
        # For an exact modulus size: primes of half the size, the top two bits
        # set when nbits is even; otherwise retried until n has nbits bits.
        half = (nbits + 1) // 2
        p = gen_prime(half, stream, top2=nbits % 2 == 0)
        q = gen_prime(nbits - half if nbits % 2 == 0 else half, stream, top2=nbits % 2 == 0)
        n = p * q
        phi = (p - 1) * (q - 1)
        if p != q and n.bit_length() == nbits and phi % e:
            break
    d = pow(e, -1, phi)
    pub = rsa.RSAPublicNumbers(e, n)
    priv = rsa.RSAPrivateNumbers(p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p), pub)
    return priv.private_key()


def derive_ec(label, curve):
    c = CURVES[curve]
    d = int.from_bytes(hashlib.sha512(b"sbrguard-test-vectors/" + label.encode()).digest(), "big") % (c["n"] - 1) + 1
    return ec.derive_private_key(d, c["crypto"]())


def key(label, kind):
    """A private key from keys/<label>.pem, derived (and written) when missing."""
    path = os.path.join(KEYS, label + ".pem")
    if os.path.exists(path):
        with open(path, "rb") as f:
            k = serialization.load_pem_private_key(f.read(), None)
    else:
        if kind.startswith("rsa"):
            k = derive_rsa(label, int(kind[3:]))
        elif kind == "ed25519":
            k = ed25519.Ed25519PrivateKey.from_private_bytes(
                hashlib.sha256(b"sbrguard-test-vectors/" + label.encode()).digest())
        else:
            k = derive_ec(label, kind)
        os.makedirs(KEYS, exist_ok=True)
        with open(path, "wb") as f:
            f.write(k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()))
    return k


def spki_of(k):
    return k.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def rsa_spki(n, e, modulus=None):
    m = int_content(n) if modulus is None else modulus
    return seq(ALG_RSA, bits(seq(tlv(0x02, m), integer(e))))


def spki_key_bits(spki):
    """Content of the subjectPublicKey BIT STRING (without the unused-bits byte)."""
    _, h, _ = read_tlv(spki)
    inner = spki[h:]
    _, h1, l1 = read_tlv(inner)
    rest = inner[h1 + l1:]
    _, h2, l2 = read_tlv(rest)
    return rest[h2 + 1:h2 + l2]


def ski_of(spki):
    """RFC 5280 4.2.1.2 method (1): SHA-1 of the subjectPublicKey bits."""
    return hashlib.sha1(spki_key_bits(spki)).digest()


def mlkem768_key(label):
    """An ML-KEM-768 encapsulation key of the right shape (FIPS 203: every
    12-bit coefficient below q = 3329, then the 32-byte seed)."""
    stream = drbg(label)
    coeffs = []
    while len(coeffs) < 3 * 256:
        v = next(stream) | (next(stream) & 0x0F) << 8
        if v < 3329:
            coeffs.append(v)
    out = bytearray()
    for i in range(0, len(coeffs), 2):
        a, b = coeffs[i], coeffs[i + 1]
        out += bytes([a & 0xFF, (a >> 8) | ((b & 0x0F) << 4), b >> 4])
    return bytes(out) + bytes(next(stream) for _ in range(32))


def mldsa44_key(label):
    """An ML-DSA-44 public key of the right shape (rho || packed t1: any bytes)."""
    stream = drbg(label)
    return bytes(next(stream) for _ in range(1312))




def mldsa44_spki(label):
    """A SubjectPublicKeyInfo of mldsa44_key(label)."""
    return seq(ALG_MLDSA44, bits(mldsa44_key(label)))


def mlkem768_spki(label):
    """A SubjectPublicKeyInfo of mlkem768_key(label)."""
    return seq(ALG_MLKEM768, bits(mlkem768_key(label)))
