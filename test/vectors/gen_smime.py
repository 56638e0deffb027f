#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Generates the policy engine's S/MIME test corpus in test/vectors/smime/.

Deterministic: every key is derived from a label (and kept as PEM under
keys/), times and serials are fixed, and ECDSA signatures use RFC 6979
nonces, so a rerun writes byte-identical files.

What it writes:
  * a test CA (ECDSA P-256 with a subjectKeyIdentifier), plus two CAs for the
    binding cases (P-384; same name and key but no subjectKeyIdentifier);
  * for each of the 12 profiles of SBR 7.1.6.1, a valid subscriber
    certificate with an RSA-2048 key and one with an ECDSA P-256 key, and
    further valid certificates at the edges of what the SBR allows;
  * for every rule row of the engine's tables (policy/pol_rules_*.c, read at
    generation time: `{ "code", "section", "message", fn }` rows and
    `X(fn, "code", "section", "message")` X-macro rows), at least one
    certificate that breaks that rule,
    derived from the SBR 1.0.11 text, with the reason codes it must get;
  * TBSCertificates that are not DER (refused with sbr.7.1.2.4.der.malformed);
  * expected.tsv: <file> <accept|refuse> <codes> <options> <section: reason>.

Exits 1 (after writing) when a rule row of the engine has no failing case.
A case whose expected code is not in the engine's tables yet is left out
with a warning (the name rules are being written in parallel).

Runs with python3-cryptography 38 (Debian bookworm) or later; the DER is
built here, not by cryptography's x509 builder, so that bad inputs stay bad.
"""
import datetime
import hashlib
import hmac
import os
import re
import sys

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
OUT = os.path.join(HERE, "smime")
KEYS = os.path.join(OUT, "keys")
POLICY = os.path.join(ROOT, "policy")

# ---------------------------------------------------------------------------
# A tiny DER encoder
# ---------------------------------------------------------------------------


def der_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(tag, content):
    return bytes([tag]) + der_len(len(content)) + content


def seq(*items):
    return tlv(0x30, b"".join(items))


def set_of(*items):
    # DER: SET OF elements sorted by their encodings (X.690 11.6).
    return tlv(0x31, b"".join(sorted(items)))


def oid(dotted):
    arcs = [int(x) for x in dotted.split(".")]
    first = arcs[0] * 40 + arcs[1]
    out = b""
    for a in [first] + arcs[2:]:
        chunk = [a & 0x7F]
        a >>= 7
        while a:
            chunk.append(0x80 | (a & 0x7F))
            a >>= 7
        out += bytes(reversed(chunk))
    return tlv(0x06, out)


def int_content(n):
    """Minimal two's-complement content octets of an INTEGER."""
    if n == 0:
        return b"\x00"
    if n > 0:
        return n.to_bytes(n.bit_length() // 8 + 1, "big", signed=True)
    return n.to_bytes((n + 1).bit_length() // 8 + 1, "big", signed=True)


def integer(n):
    return tlv(0x02, int_content(n))


def octets(b):
    return tlv(0x04, b)


def bits(b, unused=0):
    return tlv(0x03, bytes([unused]) + b)


def boolean(v):
    return tlv(0x01, b"\xff" if v else b"\x00")


NULL = b"\x05\x00"


def utf8(s):
    return tlv(0x0C, s.encode("utf-8"))


def printable(s):
    return tlv(0x13, s.encode("ascii"))


def ia5(s):
    return tlv(0x16, s.encode("ascii"))


def ctx(n, content, constructed=True):
    return tlv((0xA0 if constructed else 0x80) | n, content)


def der_time(t):
    """RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050."""
    if t.year < 2050:
        return tlv(0x17, t.strftime("%y%m%d%H%M%SZ").encode())
    return tlv(0x18, t.strftime("%Y%m%d%H%M%SZ").encode())


def named_bits(positions):
    """A DER named-bit BIT STRING (X.690 11.2.2: trailing zero bits removed)."""
    if not positions:
        return bits(b"")
    top = max(positions)
    buf = bytearray(top // 8 + 1)
    for p in positions:
        buf[p // 8] |= 0x80 >> (p % 8)
    return bits(bytes(buf), 7 - top % 8)


def t(s):
    return datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ")


def read_tlv(b, off=0):
    """(tag, header length, content length) of the TLV at off."""
    tag, n = b[off], b[off + 1]
    if n < 0x80:
        return tag, 2, n
    k = n & 0x7F
    return tag, 2 + k, int.from_bytes(b[off + 2:off + 2 + k], "big")


# ---------------------------------------------------------------------------
# Object identifiers
# ---------------------------------------------------------------------------
OID = {
    "cn": "2.5.4.3", "surname": "2.5.4.4", "serialNumber": "2.5.4.5", "c": "2.5.4.6", "l": "2.5.4.7",
    "st": "2.5.4.8", "street": "2.5.4.9", "o": "2.5.4.10", "ou": "2.5.4.11", "title": "2.5.4.12",
    "postalCode": "2.5.4.17", "givenName": "2.5.4.42", "pseudonym": "2.5.4.65",
    "organizationIdentifier": "2.5.4.97", "emailAddress": "1.2.840.113549.1.9.1",
    "businessCategory": "2.5.4.15", "uid": "0.9.2342.19200300.100.1.1",
    # extensions
    "ku": "2.5.29.15", "eku": "2.5.29.37", "bc": "2.5.29.19", "cp": "2.5.29.32", "crldp": "2.5.29.31",
    "aia": "1.3.6.1.5.5.7.1.1", "aki": "2.5.29.35", "ski": "2.5.29.14", "san": "2.5.29.17",
    "smimecap": "1.2.840.113549.1.9.15", "sda": "2.5.29.9", "qc": "1.3.6.1.5.5.7.1.3",
    "lei": "1.3.6.1.4.1.52266.1", "lei_role": "1.3.6.1.4.1.52266.2",
    "adobe_ts": "1.2.840.113583.1.1.9.1", "adobe_archive": "1.2.840.113583.1.1.9.2",
    "name_constraints": "2.5.29.30", "private_ext": "2.999.2.1",
    # key purposes
    "kp_email": "1.3.6.1.5.5.7.3.4", "kp_server": "1.3.6.1.5.5.7.3.1", "kp_client": "1.3.6.1.5.5.7.3.2",
    "kp_code": "1.3.6.1.5.5.7.3.3", "kp_time": "1.3.6.1.5.5.7.3.8", "kp_any": "2.5.29.37.0",
    "kp_docsign": "1.3.6.1.5.5.7.3.36",
    # qualifiers, access methods, other names
    "qt_cps": "1.3.6.1.5.5.7.2.1", "qt_unotice": "1.3.6.1.5.5.7.2.2",
    "ad_ocsp": "1.3.6.1.5.5.7.48.1", "ad_ca_issuers": "1.3.6.1.5.5.7.48.2",
    "on_smtputf8": "1.3.6.1.5.5.7.8.9",
    "ca_policy": "2.999.1.1", "any_policy": "2.5.29.32.0",
}
PROFILE_TYPES = ["mailbox", "organization", "sponsor", "individual"]
PROFILE_GENS = ["legacy", "multipurpose", "strict"]


def policy_oid(typ, gen):
    return "2.23.140.1.5.%d.%d" % (PROFILE_TYPES.index(typ) + 1, PROFILE_GENS.index(gen) + 1)


# AlgorithmIdentifiers (SBR 7.1.3).
ALG_RSA = seq(oid("1.2.840.113549.1.1.1"), NULL)
ALG_P256 = seq(oid("1.2.840.10045.2.1"), oid("1.2.840.10045.3.1.7"))
ALG_P384 = seq(oid("1.2.840.10045.2.1"), oid("1.3.132.0.34"))
ALG_P521 = seq(oid("1.2.840.10045.2.1"), oid("1.3.132.0.35"))
ALG_ED25519 = seq(oid("1.3.101.112"))
ALG_MLDSA44 = seq(oid("2.16.840.1.101.3.4.3.17"))
ALG_MLKEM768 = seq(oid("2.16.840.1.101.3.4.4.2"))
SIG_ECDSA_SHA256 = seq(oid("1.2.840.10045.4.3.2"))
SIG_ECDSA_SHA384 = seq(oid("1.2.840.10045.4.3.3"))
SIG_RSA_SHA256 = seq(oid("1.2.840.113549.1.1.11"), NULL)

# ---------------------------------------------------------------------------
# Elliptic curves: deterministic ECDSA (RFC 6979) in pure Python
# ---------------------------------------------------------------------------
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


# ---------------------------------------------------------------------------
# Keys, derived from labels and kept as PEM under keys/
# ---------------------------------------------------------------------------


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
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for _ in range(40):
        a = 2 + int.from_bytes(bytes(next(stream) for _ in range(32)), "big") % (n - 3)
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


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


# ---------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------
STRING = {"utf8": 0x0C, "printable": 0x13, "ia5": 0x16, "bmp": 0x1E, "teletex": 0x14}
DEFAULT_STRING = {"c": "printable", "emailAddress": "ia5", "serialNumber": "printable",
                  "organizationIdentifier": "printable"}


def attr_value(name, value, kind=None):
    kind = kind or DEFAULT_STRING.get(name, "utf8")
    if isinstance(value, bytes):
        return tlv(STRING[kind], value)
    if kind == "bmp":
        return tlv(STRING[kind], value.encode("utf-16-be"))
    return tlv(STRING[kind], value.encode("utf-8"))


def name(*rdns):
    """Name from RDNs; each RDN is a (attr, value[, string kind]) tuple or a list of them."""
    out = []
    for rdn in rdns:
        atvs = rdn if isinstance(rdn, list) else [rdn]
        out.append(set_of(*[seq(oid(OID.get(a[0], a[0])), attr_value(*a)) for a in atvs]))
    return seq(*out)


# ---------------------------------------------------------------------------
# Extensions
# ---------------------------------------------------------------------------
KU = {"digitalSignature": 0, "nonRepudiation": 1, "keyEncipherment": 2, "dataEncipherment": 3,
      "keyAgreement": 4, "keyCertSign": 5, "cRLSign": 6, "encipherOnly": 7, "decipherOnly": 8}


def ku_value(*names):
    return named_bits([KU[n] for n in names])


def eku_value(*purposes):
    return seq(*[oid(OID[p]) for p in purposes])


def uri(s):
    return tlv(0x86, s.encode())


def rfc822(s):
    return tlv(0x81, s.encode())


def smtputf8(s):
    return ctx(0, oid(OID["on_smtputf8"]) + ctx(0, utf8(s)))


def dns(s):
    return tlv(0x82, s.encode())


def crldp_value(*uris):
    return seq(seq(ctx(0, ctx(0, b"".join(uri(u) for u in uris)))))


def aia_value(*pairs):
    return seq(*[seq(oid(OID[m]), uri(u)) for m, u in pairs])


def cps(url, tag=0x16):
    return seq(oid(OID["qt_cps"]), tlv(tag, url.encode()))


def unotice(text=None, notice_ref=False):
    parts = b""
    if notice_ref:
        parts += seq(utf8("Example CA"), seq(integer(1)))
    if text is not None:
        parts += utf8(text)
    return seq(oid(OID["qt_unotice"]), seq(parts) if parts else seq())


def cp_value(*policies):
    """policies: OID strings, or (OID, [qualifier DER...])."""
    out = []
    for p in policies:
        if isinstance(p, tuple):
            out.append(seq(oid(p[0]), seq(*p[1])))
        else:
            out.append(seq(oid(p)))
    return seq(*out)


def aki_value(keyid=None, issuer=None, serial=None):
    parts = b""
    if keyid is not None:
        parts += tlv(0x80, keyid)
    if issuer is not None:
        parts += ctx(1, ctx(4, issuer))
    if serial is not None:
        parts += tlv(0x82, int_content(serial))
    return seq(parts) if parts else seq()


SMIMECAP = seq(seq(oid("2.16.840.1.101.3.4.1.42")), seq(oid("2.16.840.1.101.3.4.1.2")))
QC_VALUE = seq(seq(oid("0.4.0.1862.1.1")))  # ETSI EN 319 412-5 QcCompliance
SDA_VALUE = seq(seq(oid("1.3.6.1.5.5.7.9.4"), set_of(printable("GB"))))  # countryOfCitizenship
LEI_VALUE = printable("529900T8BM49AURSDO55")
ADOBE_TS_VALUE = seq(integer(1), uri("http://tsa.example.com/"))  # Timestamp ::= SEQUENCE { version, location }
ADOBE_ARCHIVE_VALUE = seq(integer(1))  # ArchiveRevInfo ::= SEQUENCE { version }


class Ext:
    def __init__(self, key, value, critical=False, raw_oid=None):
        self.key, self.value, self.critical, self.raw_oid = key, value, critical, raw_oid

    def der(self):
        o = self.raw_oid if self.raw_oid is not None else oid(OID[self.key])
        if self.critical is True:
            crit = boolean(True)
        elif self.critical is False:
            crit = b""
        else:
            crit = self.critical  # raw bytes, for bad encodings
        return seq(o, crit, octets(self.value))


# ---------------------------------------------------------------------------
# Certificates
# ---------------------------------------------------------------------------


class Cert:
    """A TBSCertificate kept as parts, so that a mutation can change one."""

    def __init__(self):
        self.version = 2          # None: absent (v1)
        self.version_raw = None   # explicit [0] bytes, for bad encodings
        self.serial = b""         # INTEGER content octets
        self.sig_alg = SIG_ECDSA_SHA256
        self.issuer = b""
        self.not_before = self.not_after = None  # datetimes, or raw TLV bytes
        self.subject = seq()
        self.spki = b""
        self.unique_ids = b""
        self.exts = []
        self.exts_raw = None      # [3] content override
        self.tail = b""           # bytes after the extensions

    def ext(self, key):
        for x in self.exts:
            if x.key == key:
                return x
        return None

    def set_ext(self, key, value, critical=None):
        x = self.ext(key)
        if x is None:
            self.exts.append(Ext(key, value, bool(critical)))
        else:
            x.value = value
            if critical is not None:
                x.critical = critical
        return self

    def del_ext(self, key):
        self.exts = [x for x in self.exts if x.key != key]
        return self

    def tbs(self):
        parts = b""
        if self.version_raw is not None:
            parts += self.version_raw
        elif self.version is not None:
            parts += ctx(0, integer(self.version))
        tm = lambda v: v if isinstance(v, bytes) else der_time(v)
        parts += tlv(0x02, self.serial) + self.sig_alg + self.issuer
        parts += seq(tm(self.not_before), tm(self.not_after))
        parts += self.subject + self.spki + self.unique_ids
        if self.exts_raw is not None:
            parts += ctx(3, self.exts_raw)
        elif self.exts:
            parts += ctx(3, seq(*[x.der() for x in self.exts]))
        return seq(parts + self.tail)


class Signer:
    def __init__(self, label, curve):
        self.curve = curve
        self.key = key(label, curve)
        self.d = self.key.private_numbers().private_value

    def sign(self, data):
        sig = rfc6979_sign(self.curve, self.d, data)
        h = hashes.SHA256() if self.curve == "P-256" else hashes.SHA384()
        self.key.public_key().verify(sig, data, ec.ECDSA(h))  # raises if wrong
        return sig


def certificate(tbs, signer, sig_alg):
    return seq(tbs, sig_alg, bits(signer.sign(tbs)))


def serial_for(label):
    """16 octets from a label, positive, first octet non-zero: 128 bits."""
    s = bytearray(hashlib.sha256(b"serial/" + label.encode()).digest()[:16])
    s[0] = (s[0] & 0x7F) | 0x10
    return bytes(s)


# ---------------------------------------------------------------------------
# The CAs
# ---------------------------------------------------------------------------
CA_NAME = name(("c", "US"), ("o", "sbrguard Test"), ("cn", "sbrguard Test S/MIME CA"))
CA_NAME_PRINTABLE = name(("c", "US"), ("o", "sbrguard Test", "printable"), ("cn", "sbrguard Test S/MIME CA", "printable"))
CA384_NAME = name(("c", "US"), ("o", "sbrguard Test"), ("cn", "sbrguard Test S/MIME CA P-384"))


def make_ca(label, subject, signer, sig_alg, with_ski=True):
    c = Cert()
    c.serial = serial_for(label)
    c.sig_alg = sig_alg
    c.issuer = c.subject = subject
    c.not_before, c.not_after = t("2023-01-01T00:00:00Z"), t("2050-12-31T23:59:59Z")
    c.spki = spki_of(signer.key)
    c.exts = [Ext("bc", seq(boolean(True)), True), Ext("ku", ku_value("keyCertSign", "cRLSign"), True)]
    if with_ski:
        c.exts.append(Ext("ski", octets(ski_of(c.spki))))
    c.exts.append(Ext("eku", eku_value("kp_email")))
    return certificate(c.tbs(), signer, sig_alg)


CA = Signer("ca-p256", "P-256")
CA384 = Signer("ca-p384", "P-384")
CA_SKI = ski_of(spki_of(CA.key))

# ---------------------------------------------------------------------------
# Valid subscriber certificates: the 12 profiles x {RSA-2048, P-256}
# ---------------------------------------------------------------------------
DOMAIN = "example.com"
LEGACY_NB, LEGACY_NA = t("2025-03-01T00:00:00Z"), t("2027-02-28T23:59:59Z")   # 730 days
CURRENT_NB, CURRENT_NA = t("2025-09-01T00:00:00Z"), t("2026-08-31T23:59:59Z")  # 365 days
ORG = "Example Widgets Ltd"
ORG_ID = "NTRGB-12345678"


def subject_for(typ, gen, kind, mbx):
    """Subject DN attributes per SBR 7.1.4.2.3-6 (by type and generation)."""
    rsa_ = kind == "rsa"
    if typ == "mailbox":
        if gen == "strict":
            return name(("cn", mbx)) if rsa_ else seq()  # an empty subject: SAN is critical
        if gen == "multipurpose":
            return name(("cn", mbx), ("emailAddress", mbx)) if rsa_ else name(("emailAddress", mbx))
        return name(("serialNumber", "RA-0001"), ("cn", mbx)) if rsa_ else name(("cn", mbx))
    if typ == "organization":
        attrs = [("c", "GB")]
        if gen != "strict":
            attrs += [("st", "England"), ("l", "London")]
            if rsa_:
                attrs += [("street", "1 Example Street"), ("postalCode", "EC1A 1AA")]
        elif rsa_:
            attrs += [("l", "London")]
        attrs += [("o", ORG)]
        if rsa_ and gen == "multipurpose":
            attrs += [("ou", "Example Widgets Research Ltd")]
        attrs += [("organizationIdentifier", ORG_ID)]
        attrs += [("cn", ORG if rsa_ else mbx)]
        if not rsa_:
            attrs += [("emailAddress", mbx)]
        return name(*attrs)
    if typ == "sponsor":
        attrs = [("c", "GB"), ("o", ORG), ("organizationIdentifier", ORG_ID)]
        if gen == "legacy" and not rsa_:
            attrs += [("cn", "Alice Liddell")]  # Note 1: legacy may carry only the commonName
        elif gen == "multipurpose" and not rsa_:
            attrs += [("pseudonym", "Cheshire Cat"), ("cn", "Cheshire Cat")]
        else:
            attrs += [("givenName", "Alice"), ("surname", "Liddell"), ("cn", "Alice Liddell")]
            if rsa_:
                attrs += [("title", "Engineer")]
        if gen == "legacy" and rsa_:
            attrs = [("l", "London"), ("street", "1 Example Street"), ("postalCode", "EC1A 1AA")] + attrs
        return name(*attrs)
    # individual
    if gen == "legacy" and not rsa_:
        return name(("cn", "Bob Example"))
    if gen == "strict" and not rsa_:
        return name(("pseudonym", "Dormouse"), ("cn", "Dormouse"), ("emailAddress", mbx))
    attrs = [("c", "GB"), ("l", "London")]
    if gen == "legacy":
        attrs += [("street", "2 Example Road"), ("postalCode", "SW1A 1AA")]
    attrs += [("givenName", "Bob"), ("surname", "Example"), ("cn", "Bob Example")]
    return name(*attrs)


SUBSCRIBER_KEYS = {}


def subscriber_spki(kind):
    if kind not in SUBSCRIBER_KEYS:
        k = {"rsa": ("sub-rsa2048", "rsa2048"), "ec": ("sub-p256", "P-256"), "rsa3072": ("sub-rsa3072", "rsa3072"),
             "p384": ("sub-p384", "P-384"), "ed25519": ("sub-ed25519", "ed25519")}[kind]
        SUBSCRIBER_KEYS[kind] = spki_of(key(*k))
    return SUBSCRIBER_KEYS[kind]


def base(typ, gen, kind):
    """The valid certificate of profile (typ, gen) with key kind 'rsa' or 'ec'."""
    label = "%s-%s-%s" % (typ, gen, kind)
    mbx = {"mailbox": "alice", "organization": "info", "sponsor": "alice.liddell",
           "individual": "bob"}[typ] + "@" + DOMAIN
    c = Cert()
    c.typ, c.gen, c.kind, c.mbx = typ, gen, kind, mbx
    c.serial = serial_for(label)
    c.issuer = CA_NAME
    c.not_before, c.not_after = (LEGACY_NB, LEGACY_NA) if gen == "legacy" else (CURRENT_NB, CURRENT_NA)
    c.subject = subject_for(typ, gen, kind, mbx)
    c.spki = subscriber_spki(kind)
    rsa_ = kind == "rsa"
    if rsa_:
        ku = {"strict": ("digitalSignature", "keyEncipherment"),
              "multipurpose": ("digitalSignature", "keyEncipherment", "dataEncipherment"),
              "legacy": ("digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment")}[gen]
    else:
        ku = {"strict": ("digitalSignature",), "multipurpose": ("digitalSignature", "keyAgreement"),
              "legacy": ("digitalSignature", "nonRepudiation", "keyAgreement")}[gen]
    pol = policy_oid(typ, gen)
    if rsa_:
        cp = cp_value((pol, [cps("http://pki.example.com/cps")]), OID["ca_policy"])
    else:
        cp = cp_value((pol, [cps("https://pki.example.com/cps"), unotice("Test certificate: no reliance")]))
    eku = ("kp_email",) if gen == "strict" else ("kp_email", "kp_client") if rsa_ else ("kp_email",)
    c.exts = [Ext("ku", ku_value(*ku), True)]
    if rsa_:
        c.exts.append(Ext("bc", seq(), True))
    c.exts += [
        Ext("eku", eku_value(*eku)),
        Ext("cp", cp),
        Ext("crldp", crldp_value("http://crl.example.com/smime.crl")),
        Ext("aia", aia_value(("ad_ca_issuers", "http://pki.example.com/ca.der"), ("ad_ocsp", "http://ocsp.example.com"))),
        Ext("aki", aki_value(CA_SKI)),
        Ext("ski", octets(ski_of(c.spki))),
        Ext("san", seq(rfc822(mbx)), critical=c.subject == seq()),
    ]
    if rsa_:
        c.exts.append(Ext("smimecap", SMIMECAP))
    return c


# ---------------------------------------------------------------------------
# The cases
# ---------------------------------------------------------------------------
CASES = []  # dicts: file, der, codes, opts, why


def case(fname, der, codes, why, opts="-"):
    CASES.append(dict(file=fname, der=der, codes=sorted(set(codes)), opts=opts, why=why))


def issue(c):
    return certificate(c.tbs(), CA, c.sig_alg)


def mut(fname, b, fn, codes, why, opts="-"):
    """A case derived from base b by fn(cert) (fn returns nothing)."""
    fn(b)
    case(fname, issue(b), codes, why, opts)


def at(s):
    return "--at " + s


CA_OPT = "--ca ca.der"

# The bases and the cases are produced by build_cases().


def build_cases():
    # -- the 24 valid certificates, alone and against the CA ---------------
    for typ in PROFILE_TYPES:
        for gen in PROFILE_GENS:
            for kind in ("rsa", "ec"):
                b = base(typ, gen, kind)
                f = "valid-%s-%s-%s.der" % (typ, gen, kind)
                why = "7.1.6.1 valid %s-validated %s certificate, %s key" % (
                    typ, gen, "RSA-2048" if kind == "rsa" else "ECDSA P-256")
                case(f, issue(b), [], why)
                case(f, issue(b), [], why + ", bound to the issuing CA", CA_OPT)

    B = base  # shorthand

    # -- more valid certificates, at the edges of what the SBR allows ------
    def ok(fname, b, fn, why, opts="-"):
        mut(fname, b, fn, [], why, opts)

    case("ok-bare-tbs-mailbox-strict.der", B("mailbox", "strict", "ec").tbs(), [],
         "7.1.2.3 valid: a bare DER TBSCertificate is judged like a certificate")
    ok("ok-validity-825-days.der", B("mailbox", "strict", "rsa"),
       lambda c: setattr(c, "not_after", c.not_before + datetime.timedelta(days=825, seconds=-1)),
       "6.3.2 valid: exactly 825 days of 86,400 s (notBefore through notAfter inclusive)")
    ok("ok-validity-1185-days-legacy.der", B("individual", "legacy", "rsa"),
       lambda c: setattr(c, "not_after", c.not_before + datetime.timedelta(days=1185, seconds=-1)),
       "6.3.2 valid: legacy, exactly 1185 days")
    ok("ok-validity-one-second.der", B("mailbox", "multipurpose", "ec"),
       lambda c: setattr(c, "not_after", c.not_before), "6.3.2 valid: notAfter equal to notBefore")
    ok("ok-legacy-last-day.der", B("mailbox", "legacy", "rsa"),
       lambda c: (setattr(c, "not_before", t("2025-07-14T23:59:59Z")),
                  setattr(c, "not_after", t("2026-07-14T23:59:59Z"))),
       "7.1.6.1 valid: legacy issued the second before 2025-07-15")
    case("valid-sponsor-legacy-rsa.der", issue(B("sponsor", "legacy", "rsa")), [],
         "7.1.6.1 valid: a legacy certificate judged on 2025-07-14", at("2025-07-14T00:00:00Z"))
    ok("ok-notafter-2050-generalized.der", B("mailbox", "strict", "ec"),
       lambda c: (setattr(c, "not_before", t("2049-12-01T00:00:00Z")),
                  setattr(c, "not_after", t("2050-06-30T00:00:00Z"))),
       "6.3.2 valid: notAfter in 2050 as GeneralizedTime (RFC 5280 4.1.2.5)")
    ok("ok-serial-64-bits-top-bit.der", B("mailbox", "strict", "rsa"),
       lambda c: setattr(c, "serial", bytes.fromhex("00c3a1f09b5e27d486")),
       "7.1 valid: an 8-octet (64-bit) serial whose top bit needs a leading zero octet")
    ok("ok-serial-20-octets.der", B("mailbox", "strict", "rsa"),
       lambda c: setattr(c, "serial", bytes.fromhex("7fa3c5e7092b4d6f81a3c5e7092b4d6f81a3c5e7")),
       "7.1 valid: a 20-octet serial just below 2^159")
    ok("ok-rsa-3072.der", B("individual", "strict", "rsa"),
       lambda c: (setattr(c, "spki", subscriber_spki("rsa3072")),
                  c.set_ext("ski", octets(ski_of(subscriber_spki("rsa3072"))))),
       "6.1.5 valid: RSA-3072 key")
    n2048 = key("sub-rsa2048", "rsa2048").public_key().public_numbers().n
    ok("ok-rsa-exponent-3.der", B("individual", "strict", "rsa"),
       lambda c: setattr(c, "spki", rsa_spki(n2048, 3)),
       "6.1.6 valid: public exponent 3 is odd and at least 3 (2^16+1 is only a SHOULD)")
    ok("ok-p384.der", B("organization", "strict", "ec"),
       lambda c: (setattr(c, "spki", subscriber_spki("p384")),
                  c.set_ext("ski", octets(ski_of(subscriber_spki("p384"))))),
       "6.1.5 valid: ECDSA P-384 key")
    ok("ok-ed25519.der", B("individual", "strict", "rsa"),
       lambda c: (setattr(c, "spki", subscriber_spki("ed25519")),
                  c.set_ext("ku", ku_value("digitalSignature", "nonRepudiation"), True),
                  c.set_ext("ski", octets(ski_of(subscriber_spki("ed25519"))))),
       "6.1.5, 7.1.2.3(e) valid: Ed25519 key with digitalSignature and nonRepudiation")
    mldsa = seq(ALG_MLDSA44, bits(mldsa44_key("sub-mldsa44")))
    ok("ok-mldsa44.der", B("mailbox", "strict", "rsa"),
       lambda c: (setattr(c, "spki", mldsa), c.set_ext("ku", ku_value("digitalSignature"), True),
                  c.set_ext("ski", octets(ski_of(mldsa)))),
       "6.1.5, 7.1.2.3(e) valid: ML-DSA-44 key with digitalSignature")
    mlkem = seq(ALG_MLKEM768, bits(mlkem768_key("sub-mlkem768")))
    ok("ok-mlkem768.der", B("mailbox", "strict", "rsa"),
       lambda c: (setattr(c, "spki", mlkem), c.set_ext("ku", ku_value("keyEncipherment"), True),
                  c.set_ext("ski", octets(ski_of(mlkem)))),
       "6.1.5, 7.1.2.3(e) valid: ML-KEM-768 key with keyEncipherment only")
    # keyUsage combinations of the 7.1.2.3(e) table that are allowed
    for fname, kind, gen, ku, why in [
        ("ok-ku-rsa-signing.der", "rsa", "strict", ("digitalSignature",), "RSA signing only"),
        ("ok-ku-rsa-signing-nr.der", "rsa", "strict", ("digitalSignature", "nonRepudiation"), "RSA signing with nonRepudiation"),
        ("ok-ku-rsa-keymgmt.der", "rsa", "strict", ("keyEncipherment",), "RSA key management only"),
        ("ok-ku-rsa-keymgmt-de-mp.der", "rsa", "multipurpose", ("keyEncipherment", "dataEncipherment"),
         "multipurpose RSA key management with dataEncipherment"),
        ("ok-ku-rsa-dual-nr.der", "rsa", "strict", ("digitalSignature", "nonRepudiation", "keyEncipherment"),
         "RSA dual use with nonRepudiation"),
        ("ok-ku-ec-keymgmt.der", "ec", "strict", ("keyAgreement",), "ECDSA key management only"),
        ("ok-ku-ec-keymgmt-eo.der", "ec", "strict", ("keyAgreement", "encipherOnly"), "ECDSA keyAgreement with encipherOnly"),
        ("ok-ku-ec-keymgmt-do.der", "ec", "strict", ("keyAgreement", "decipherOnly"), "ECDSA keyAgreement with decipherOnly"),
        ("ok-ku-ec-dual-nr-do.der", "ec", "strict", ("digitalSignature", "nonRepudiation", "keyAgreement", "decipherOnly"),
         "ECDSA dual use with nonRepudiation and decipherOnly"),
        ("ok-ku-ec-signing-nr.der", "ec", "legacy", ("digitalSignature", "nonRepudiation"), "legacy ECDSA signing with nonRepudiation"),
    ]:
        ok(fname, B("individual", gen, kind), lambda c, ku=ku: c.set_ext("ku", ku_value(*ku), True),
           "7.1.2.3(e) valid: " + why)
    ok("ok-ku-not-critical.der", B("mailbox", "strict", "rsa"), lambda c: setattr(c.ext("ku"), "critical", False),
       "7.1.2.3(e) valid: keyUsage SHOULD (not SHALL) be critical")
    ok("ok-eku-mp-other.der", B("organization", "multipurpose", "ec"),
       lambda c: c.set_ext("eku", eku_value("kp_email", "kp_client", "kp_docsign")),
       "7.1.2.3(f) valid: multipurpose may carry other KeyPurposeIds")
    ok("ok-no-bc-no-aia-no-ski.der", B("mailbox", "strict", "rsa"),
       lambda c: [c.del_ext(k) for k in ("bc", "aia", "ski", "smimecap")],
       "7.1.2.3 valid: basicConstraints, authorityInformationAccess, subjectKeyIdentifier and smimeCapabilities are optional")
    ok("ok-bc-critical-empty.der", B("mailbox", "multipurpose", "ec"), lambda c: c.set_ext("bc", seq(), True),
       "7.1.2.3(d) valid: basicConstraints with cA absent (FALSE)")
    ok("ok-aia-ocsp-only.der", B("mailbox", "strict", "ec"),
       lambda c: c.set_ext("aia", aia_value(("ad_ocsp", "http://ocsp.example.com"))),
       "7.1.2.3(c) valid: only an OCSP accessMethod")
    ok("ok-uri-scheme-uppercase.der", B("mailbox", "strict", "ec"),
       lambda c: c.set_ext("crldp", crldp_value("HTTP://crl.example.com/smime.crl")),
       "7.1.2.3(b) valid: URI schemes are case-insensitive (RFC 3986 3.1)")
    ok("ok-legacy-crldp-ldap-too.der", B("mailbox", "legacy", "ec"),
       lambda c: c.set_ext("crldp", crldp_value("http://crl.example.com/smime.crl",
                                                "ldap://ldap.example.com/cn=CA?certificateRevocationList")),
       "7.1.2.3(b) valid: legacy may add other schemes next to HTTP")
    ok("ok-legacy-aia-ldap-too.der", B("mailbox", "legacy", "rsa"),
       lambda c: c.set_ext("aia", aia_value(("ad_ca_issuers", "http://pki.example.com/ca.der"),
                                            ("ad_ca_issuers", "ldap://ldap.example.com/cn=CA?cACertificate"),
                                            ("ad_ocsp", "http://ocsp.example.com"), ("ad_ocsp", "ftp://ocsp.example.com/"))),
       "7.1.2.3(c) valid: legacy may add other schemes next to HTTP")
    ok("ok-cp-unotice-only.der", B("mailbox", "strict", "ec"),
       lambda c: c.set_ext("cp", cp_value((policy_oid("mailbox", "strict"), [unotice("Relying party notice")])), ),
       "7.1.2.3(a) valid: id-qt-unotice with explicitText and no noticeRef")
    ok("ok-san-critical-with-subject.der", B("mailbox", "strict", "rsa"), lambda c: setattr(c.ext("san"), "critical", True),
       "7.1.2.3(h) valid: subjectAltName SHOULD NOT (not SHALL NOT) be critical with a subject")
    ok("ok-crldp-critical.der", B("organization", "strict", "ec"), lambda c: setattr(c.ext("crldp"), "critical", True),
       "7.1.2.3(b) valid: cRLDistributionPoints SHOULD NOT (not SHALL NOT) be critical")
    ok("ok-cp-critical.der", B("mailbox", "strict", "ec"), lambda c: setattr(c.ext("cp"), "critical", True),
       "7.1.2.3(a) valid: certificatePolicies SHOULD NOT (not SHALL NOT) be critical")
    ok("ok-legacy-sda.der", B("individual", "legacy", "rsa"), lambda c: c.set_ext("sda", SDA_VALUE),
       "7.1.2.3(j) valid: legacy may carry subjectDirectoryAttributes")
    ok("ok-qc.der", B("individual", "strict", "rsa"), lambda c: c.set_ext("qc", QC_VALUE),
       "7.1.2.3(k) valid: qcStatements, not critical")
    ok("ok-org-lei.der", B("organization", "strict", "rsa"), lambda c: c.set_ext("lei", LEI_VALUE),
       "7.1.2.3(l) valid: organization-validated may carry the LEI extension")
    ok("ok-sponsor-lei-role.der", B("sponsor", "strict", "rsa"),
       lambda c: (c.set_ext("lei", LEI_VALUE), c.set_ext("lei_role", LEI_VALUE)),
       "7.1.2.3(l) valid: sponsor-validated may carry the LEI and the LEI role extensions")
    ok("ok-mp-adobe.der", B("individual", "multipurpose", "rsa"),
       lambda c: (c.set_ext("adobe_ts", ADOBE_TS_VALUE), c.set_ext("adobe_archive", ADOBE_ARCHIVE_VALUE)),
       "7.1.2.3(m) valid: multipurpose may carry the Adobe extensions")
    ok("ok-smimecap-ec.der", B("mailbox", "strict", "ec"), lambda c: c.set_ext("smimecap", SMIMECAP),
       "7.1.2.3(i) valid: smimeCapabilities, not critical")
    ok("ok-two-mailboxes.der", B("mailbox", "strict", "rsa"),
       lambda c: c.set_ext("san", seq(rfc822("alice@example.com"), rfc822("alice.work@mail.example.com"))),
       "7.1.4.2.1 valid: two rfc822Name mailboxes")
    ok("ok-smtputf8-mailbox.der", B("individual", "strict", "rsa"),
       lambda c: c.set_ext("san", seq(smtputf8("j\u00fcrgen@example.com"))),
       "7.1.4.2.1 valid: an SmtpUTF8Mailbox otherName (RFC 9598) with a non-ASCII local part")
    case("valid-organization-strict-rsa.der", issue(B("organization", "strict", "rsa")), [],
         "7.1.2.4 valid: notBefore equal to the judging clock, bound to the CA",
         CA_OPT + " " + at("2025-09-01T00:00:00Z"))

    # -- 7.1.2.4 / X.690: TBSCertificates that are not DER ----------------
    MAL = ["sbr.7.1.2.4.der.malformed"]

    def mal(fname, b, fn, why):
        mut(fname, b, fn, MAL, "7.1.2.4 " + why)

    def raw_tbs(fname, tbs, why):
        case(fname, certificate(tbs, CA, SIG_ECDSA_SHA256), MAL, "7.1.2.4 " + why)

    mal("der-crit-false.der", B("mailbox", "strict", "rsa"),
        lambda c: setattr(c.ext("eku"), "critical", boolean(False)),
        "critical FALSE encoded explicitly (DER omits a DEFAULT, X.690 11.5)")
    mal("der-crit-bool-01.der", B("mailbox", "strict", "rsa"),
        lambda c: setattr(c.ext("ku"), "critical", tlv(0x01, b"\x01")),
        "BOOLEAN TRUE encoded as 0x01 (DER requires 0xFF, X.690 11.1)")
    mal("der-version-v1-explicit.der", B("mailbox", "strict", "rsa"),
        lambda c: (setattr(c, "version_raw", ctx(0, integer(0))), setattr(c, "exts", [])),
        "version v1 encoded explicitly (DEFAULT, X.690 11.5)")
    mal("der-serial-nonminimal.der", B("mailbox", "strict", "rsa"),
        lambda c: setattr(c, "serial", b"\x00" + c.serial), "serial INTEGER with a superfluous leading zero octet")
    mal("der-utctime-no-seconds.der", B("mailbox", "strict", "rsa"),
        lambda c: setattr(c, "not_before", tlv(0x17, b"2509010000Z")), "UTCTime without seconds (RFC 5280 4.1.2.5.1)")
    mal("der-utctime-offset.der", B("mailbox", "strict", "rsa"),
        lambda c: setattr(c, "not_before", tlv(0x17, b"250901000000+0100")), "UTCTime with a time-zone offset, not Z")
    mal("der-generalized-before-2050.der", B("mailbox", "strict", "rsa"),
        lambda c: setattr(c, "not_after", tlv(0x18, b"20260831235959Z")),
        "GeneralizedTime for a date before 2050 (RFC 5280 4.1.2.5)")
    mal("der-time-feb-30.der", B("mailbox", "strict", "rsa"),
        lambda c: setattr(c, "not_after", tlv(0x17, b"260230235959Z")), "notAfter on 30 February")
    mal("der-exts-in-v1.der", B("mailbox", "strict", "rsa"),
        lambda c: setattr(c, "version", None), "extensions in a v1 TBSCertificate (RFC 5280 4.1.2.9)")
    mal("der-exts-empty.der", B("mailbox", "strict", "rsa"),
        lambda c: setattr(c, "exts_raw", seq()), "empty Extensions SEQUENCE (SIZE (1..MAX))")
    mal("der-trailing-bytes.der", B("mailbox", "strict", "rsa"),
        lambda c: setattr(c, "tail", b"\x05\x00"), "bytes after the extensions")
    mal("der-rdn-empty-set.der", B("mailbox", "strict", "rsa"),
        lambda c: setattr(c, "subject", seq(tlv(0x31, b""), set_of(seq(oid(OID["cn"]), utf8(c.mbx))))),
        "an empty RelativeDistinguishedName (SET SIZE (1..MAX))")
    tbs = B("mailbox", "strict", "rsa").tbs()
    _, h, l = read_tlv(tbs)
    raw_tbs("der-long-form-length.der", b"\x30\x84" + l.to_bytes(4, "big") + tbs[h:],
            "a length in a longer form than needed (X.690 10.1)")
    raw_tbs("der-indefinite-length.der", b"\x30\x80" + tbs[h:] + b"\x00\x00",
            "indefinite length (BER, not DER: X.690 10.1)")
    full = issue(B("mailbox", "strict", "rsa"))
    case("der-truncated.der", full[:len(full) // 2], MAL, "7.1.2.4 a certificate cut in half")
    case("der-not-der.der", b"This is not a certificate.\n", MAL, "7.1.2.4 text, not DER")

    # -- 7.1.6.1 profile -----------------------------------------------------
    mut("bad-policy-absent.der", B("mailbox", "strict", "rsa"),
        lambda c: c.set_ext("cp", cp_value(OID["ca_policy"])),
        ["sbr.7.1.6.1.policy.absent"], "7.1.2.3(a), 7.1.6.4 certificatePolicies without a reserved identifier")
    mut("bad-policy-unreserved-arc.der", B("mailbox", "strict", "rsa"),
        lambda c: c.set_ext("cp", cp_value("2.23.140.1.5.5.1", "2.23.140.1.5.1.4")),
        ["sbr.7.1.6.1.policy.absent"], "7.1.6.1 2.23.140.1.5.5.1 and 2.23.140.1.5.1.4 are not reserved identifiers")
    mut("bad-policy-multiple.der", B("mailbox", "strict", "rsa"),
        lambda c: c.set_ext("cp", cp_value(policy_oid("mailbox", "strict"), policy_oid("mailbox", "multipurpose"))),
        ["sbr.7.1.6.1.policy.multiple"], "7.1.2.3(a) two reserved identifiers (exactly one is required)")
    mut("bad-policy-multiple-types.der", B("individual", "strict", "rsa"),
        lambda c: c.set_ext("cp", cp_value(policy_oid("individual", "strict"), policy_oid("mailbox", "strict"))),
        ["sbr.7.1.6.1.policy.multiple"], "7.1.2.3(a) reserved identifiers of two certificate types")
    mut("bad-legacy-after-sunset.der", B("mailbox", "legacy", "ec"),
        lambda c: (setattr(c, "not_before", t("2025-07-15T00:00:00Z")), setattr(c, "not_after", t("2026-07-14T23:59:59Z"))),
        ["sbr.7.1.6.1.legacy.sunset"], "7.1.6.1 legacy profile issued on 2025-07-15")
    for typ in PROFILE_TYPES:
        kind = "rsa" if typ in ("mailbox", "sponsor") else "ec"
        case("valid-%s-legacy-%s.der" % (typ, kind), issue(B(typ, "legacy", kind)), ["sbr.7.1.6.1.legacy.sunset"],
             "7.1.6.1 legacy profiles are not issued from 2025-07-15 on", at("2025-07-15T00:00:00Z"))

    # -- 7.1.1 version, 7.1.2.4 unique identifiers ------------------------
    def v1(c):
        c.version, c.exts = None, []
    v1_codes = ["sbr.7.1.1.version", "sbr.7.1.6.1.policy.absent", "sbr.7.1.2.3.cp.absent", "sbr.7.1.2.3.crldp.absent",
                "sbr.7.1.2.3.ku.absent", "sbr.7.1.2.3.eku.absent", "sbr.7.1.2.3.aki.absent", "sbr.7.1.2.3.san.absent"]
    mut("bad-version-v1.der", B("mailbox", "strict", "ec"), v1, v1_codes,
        "7.1.1 an X.509 v1 certificate (and so none of the required extensions)")
    mut("bad-version-v2.der", B("mailbox", "strict", "ec"),
        lambda c: (v1(c), setattr(c, "version", 1)), v1_codes, "7.1.1 an X.509 v2 certificate")
    mut("bad-unique-id.der", B("mailbox", "strict", "rsa"),
        lambda c: setattr(c, "unique_ids", tlv(0x82, b"\x00\x01\x02\x03")),
        ["sbr.7.1.2.4.unique-id"], "7.1.2.4 subjectUniqueID present (RFC 5280 4.1.2.8: CAs MUST NOT generate it)")
    mut("bad-issuer-unique-id.der", B("mailbox", "strict", "rsa"),
        lambda c: setattr(c, "unique_ids", tlv(0x81, b"\x00" + CA_SKI)),
        ["sbr.7.1.2.4.unique-id"], "7.1.2.4 issuerUniqueID present")

    # -- 7.1 serial ----------------------------------------------------------
    mut("bad-serial-zero.der", B("mailbox", "strict", "rsa"), lambda c: setattr(c, "serial", b"\x00"),
        ["sbr.7.1.serial.not-positive", "sbr.7.1.serial.low-entropy"], "7.1 serial number zero (and no random bits)")
    mut("bad-serial-negative.der", B("mailbox", "strict", "rsa"),
        lambda c: setattr(c, "serial", bytes.fromhex("9c3e5a7f0b1d2c4e6a8b9d0f1e2d3c4b")),
        ["sbr.7.1.serial.not-positive"], "7.1 a negative serial number (16 octets, top bit set)")
    mut("bad-serial-2-159.der", B("mailbox", "strict", "rsa"),
        lambda c: setattr(c, "serial", bytes.fromhex("0080a3c5e7092b4d6f81a3c5e7092b4d6f81a3c5e7")),
        ["sbr.7.1.serial.too-large"], "7.1 serial number not less than 2^159 (21 octets)")
    mut("bad-serial-7-octets.der", B("mailbox", "strict", "rsa"),
        lambda c: setattr(c, "serial", bytes.fromhex("5ac3e1f09b2d47")),
        ["sbr.7.1.serial.low-entropy"], "7.1 a 56-bit serial cannot hold 64 bits of CSPRNG output")
    mut("bad-serial-repeated.der", B("mailbox", "strict", "rsa"),
        lambda c: setattr(c, "serial", bytes.fromhex("01010101010101010101010101010101")),
        ["sbr.7.1.serial.low-entropy"], "7.1 a serial of one repeated octet is not CSPRNG output")

    # -- 6.3.2 validity ------------------------------------------------------
    mut("bad-validity-inverted.der", B("mailbox", "strict", "rsa"),
        lambda c: (setattr(c, "not_before", CURRENT_NA), setattr(c, "not_after", CURRENT_NB)),
        ["sbr.6.3.2.validity.inverted"], "6.3.2 notAfter before notBefore")
    mut("bad-validity-826-days.der", B("mailbox", "strict", "rsa"),
        lambda c: setattr(c, "not_after", c.not_before + datetime.timedelta(days=825)),
        ["sbr.6.3.2.validity.too-long"], "6.3.2 strict: 825 days and one second (a fraction is a whole day)")
    mut("bad-validity-mp-2-years.der", B("organization", "multipurpose", "ec"),
        lambda c: setattr(c, "not_after", c.not_before + datetime.timedelta(days=1000)),
        ["sbr.6.3.2.validity.too-long"], "6.3.2 multipurpose: 1000 days")
    mut("bad-validity-1186-days-legacy.der", B("individual", "legacy", "rsa"),
        lambda c: setattr(c, "not_after", c.not_before + datetime.timedelta(days=1185)),
        ["sbr.6.3.2.validity.too-long"], "6.3.2 legacy: 1185 days and one second")

    # -- 7.1.3.1 / 6.1.5 / 6.1.6 keys --------------------------------------
    k2048 = key("sub-rsa2048", "rsa2048").public_key().public_numbers()
    mut("bad-spki-rsa-no-null.der", B("mailbox", "strict", "rsa"),
        lambda c: setattr(c, "spki", seq(seq(oid("1.2.840.113549.1.1.1")), bits(seq(integer(k2048.n), integer(k2048.e))))),
        ["sbr.7.1.3.1.spki.encoding"], "7.1.3.1.1 rsaEncryption without the explicit NULL parameters")
    mut("bad-spki-rsa-pss.der", B("mailbox", "strict", "rsa"),
        lambda c: setattr(c, "spki", seq(seq(oid("1.2.840.113549.1.1.10")), bits(seq(integer(k2048.n), integer(k2048.e))))),
        ["sbr.7.1.3.1.spki.encoding"], "7.1.3.1.1 an RSA key as id-RSASSA-PSS")
    p256 = spki_key_bits(subscriber_spki("ec"))
    mut("bad-spki-ec-p224.der", B("mailbox", "strict", "ec"),
        lambda c: setattr(c, "spki", seq(seq(oid("1.2.840.10045.2.1"), oid("1.3.132.0.33")), bits(p256))),
        ["sbr.7.1.3.1.spki.encoding"], "7.1.3.1.2 namedCurve secp224r1 is not allowed")
    mut("bad-spki-ec-no-params.der", B("mailbox", "strict", "ec"),
        lambda c: setattr(c, "spki", seq(seq(oid("1.2.840.10045.2.1")), bits(p256))),
        ["sbr.7.1.3.1.spki.encoding"], "7.1.3.1.2 id-ecPublicKey without namedCurve parameters")
    mut("bad-spki-ed25519-null.der", B("individual", "strict", "rsa"),
        lambda c: (setattr(c, "spki", seq(seq(oid("1.3.101.112"), NULL), bits(spki_key_bits(subscriber_spki("ed25519"))))),
                   c.set_ext("ku", ku_value("digitalSignature"), True)),
        ["sbr.7.1.3.1.spki.encoding"], "7.1.3.1.3 EdDSA parameters SHALL be absent")
    mut("bad-key-ec-short-point.der", B("mailbox", "strict", "ec"),
        lambda c: setattr(c, "spki", seq(ALG_P256, bits(p256[:-1]))),
        ["sbr.6.1.5.key.malformed"], "6.1.5 a P-256 point one octet short")
    mut("bad-key-ec-hybrid.der", B("mailbox", "strict", "ec"),
        lambda c: setattr(c, "spki", seq(ALG_P256, bits(b"\x06" + p256[1:]))),
        ["sbr.6.1.5.key.malformed"], "6.1.5 hybrid point form 0x06 (RFC 5480 2.2: MUST NOT be used)")
    x, y = int.from_bytes(p256[1:33], "big"), int.from_bytes(p256[33:], "big")
    yy = y + 1
    while on_curve(CURVES["P-256"], x, yy):
        yy += 1
    mut("bad-key-ec-off-curve.der", B("mailbox", "strict", "ec"),
        lambda c: setattr(c, "spki", seq(ALG_P256, bits(b"\x04" + x.to_bytes(32, "big") + yy.to_bytes(32, "big")))),
        ["sbr.6.1.5.ec.point"], "6.1.5 the key is not a point on P-256 (SHALL be a valid point)")
    # (0, y) lies on P-256 when b is a square mod p; written with x = p, an
    # unreduced coordinate (SEC 1 2.3.4 requires 0 <= x < p).
    cv = CURVES["P-256"]
    y0 = pow(cv["b"], (cv["p"] + 1) // 4, cv["p"])
    y0 = y0 if on_curve(cv, 0, y0) else 1
    mut("bad-key-ec-x-not-reduced.der", B("mailbox", "multipurpose", "ec"),
        lambda c: setattr(c, "spki", seq(ALG_P256, bits(b"\x04" + cv["p"].to_bytes(32, "big") + y0.to_bytes(32, "big")))),
        ["sbr.6.1.5.ec.point"], "6.1.5 x coordinate equal to the field prime (SEC 1 2.3.4: x SHALL be below p)")
    mut("bad-key-rsa-modulus-nonminimal.der", B("mailbox", "strict", "rsa"),
        lambda c: setattr(c, "spki", rsa_spki(k2048.n, k2048.e, modulus=b"\x00" + int_content(k2048.n))),
        ["sbr.6.1.5.key.malformed"], "6.1.5 RSAPublicKey modulus INTEGER with a superfluous zero octet")
    mut("bad-key-rsa-trailing.der", B("mailbox", "strict", "rsa"),
        lambda c: setattr(c, "spki", seq(ALG_RSA, bits(seq(integer(k2048.n), integer(k2048.e), NULL)))),
        ["sbr.6.1.5.key.malformed"], "6.1.5 RSAPublicKey with a third element")
    mut("bad-key-mldsa-short.der", B("mailbox", "strict", "rsa"),
        lambda c: (setattr(c, "spki", seq(ALG_MLDSA44, bits(mldsa44_key("sub-mldsa44")[:-32]))),
                   c.set_ext("ku", ku_value("digitalSignature"), True)),
        ["sbr.6.1.5.key.malformed"], "6.1.5 an ML-DSA-44 key of the wrong length")
    k1024 = key("sub-rsa1024", "rsa1024").public_key().public_numbers()
    mut("bad-rsa-1024.der", B("mailbox", "strict", "rsa"), lambda c: setattr(c, "spki", rsa_spki(k1024.n, k1024.e)),
        ["sbr.6.1.5.rsa.size"], "6.1.5 RSA modulus of 1024 bits")
    k2047 = key("sub-rsa2047", "rsa2047").public_key().public_numbers()
    mut("bad-rsa-2047.der", B("mailbox", "strict", "rsa"), lambda c: setattr(c, "spki", rsa_spki(k2047.n, k2047.e)),
        ["sbr.6.1.5.rsa.size"], "6.1.5 RSA modulus of 2047 bits (below 2048, not a multiple of 8)")
    mut("bad-rsa-exponent-even.der", B("mailbox", "strict", "rsa"), lambda c: setattr(c, "spki", rsa_spki(k2048.n, 65536)),
        ["sbr.6.1.6.rsa.exponent"], "6.1.6 even public exponent 65536")
    mut("bad-rsa-exponent-1.der", B("mailbox", "strict", "rsa"), lambda c: setattr(c, "spki", rsa_spki(k2048.n, 1)),
        ["sbr.6.1.6.rsa.exponent"], "6.1.6 public exponent 1 (odd, but below 3)")

    # -- 7.1.3.2 signature AlgorithmIdentifier ------------------------------
    mut("bad-sigalg-ecdsa-null.der", B("mailbox", "strict", "rsa"),
        lambda c: setattr(c, "sig_alg", seq(oid("1.2.840.10045.4.3.2"), NULL)),
        ["sbr.7.1.3.2.sigalg.encoding"], "7.1.3.2.2 ecdsa-with-SHA256 with NULL parameters")
    mut("bad-sigalg-sha1-rsa.der", B("mailbox", "strict", "rsa"),
        lambda c: setattr(c, "sig_alg", seq(oid("1.2.840.113549.1.1.5"), NULL)),
        ["sbr.7.1.3.2.sigalg.encoding"], "7.1.3.2.1 sha1WithRSAEncryption is not allowed")
    mut("bad-sigalg-rsa-no-null.der", B("mailbox", "strict", "rsa"),
        lambda c: setattr(c, "sig_alg", seq(oid("1.2.840.113549.1.1.11"))),
        ["sbr.7.1.3.2.sigalg.encoding"], "7.1.3.2.1 sha256WithRSAEncryption without the NULL parameters")

    # -- 7.1.2.4 extensions in general ---------------------------------------
    mut("bad-ext-duplicate.der", B("mailbox", "strict", "rsa"),
        lambda c: c.exts.append(Ext("ski", c.ext("ski").value)),
        ["sbr.7.1.2.4.ext.duplicate"], "7.1.2.4 subjectKeyIdentifier twice (RFC 5280 4.2: at most one instance)")
    mut("bad-ext-duplicate-smimecap.der", B("mailbox", "strict", "rsa"),
        lambda c: c.exts.append(Ext("smimecap", SMIMECAP)),
        ["sbr.7.1.2.4.ext.duplicate"], "7.1.2.4 smimeCapabilities twice")
    mut("bad-ext-unknown.der", B("mailbox", "strict", "rsa"), lambda c: c.exts.append(Ext("private_ext", NULL)),
        ["sbr.7.1.2.4.ext.unknown"], "7.1.2.4 an extension not specified in 7.1.2.3 (private OID)")
    mut("bad-ext-name-constraints.der", B("mailbox", "strict", "rsa"),
        lambda c: c.exts.append(Ext("name_constraints", seq(ctx(0, seq(ctx(1, b"example.com", False)))), True)),
        ["sbr.7.1.2.4.ext.unknown"], "7.1.2.4 nameConstraints is a CA extension, not specified for subscribers")
    mut("bad-ext-bc-false-explicit.der", B("mailbox", "strict", "rsa"),
        lambda c: c.set_ext("bc", seq(boolean(False)), True),
        ["sbr.7.1.2.4.ext.malformed"], "7.1.2.4 basicConstraints cA FALSE encoded explicitly (DER)")
    mut("bad-ext-aki-trailing.der", B("mailbox", "strict", "rsa"),
        lambda c: c.set_ext("aki", seq(tlv(0x80, CA_SKI), NULL)),
        ["sbr.7.1.2.4.ext.malformed"], "7.1.2.4 authorityKeyIdentifier with an element not in its syntax")
    mut("bad-ext-ski-not-octets.der", B("mailbox", "strict", "rsa"),
        lambda c: c.set_ext("ski", integer(12345)),
        ["sbr.7.1.2.3.ski.malformed"], "7.1.2.3(n) subjectKeyIdentifier is not an OCTET STRING (RFC 5280 4.2.1.2)")

    # -- 7.1.2.3 (a) certificatePolicies ------------------------------------
    mut("bad-cp-absent.der", B("mailbox", "strict", "rsa"), lambda c: c.del_ext("cp"),
        ["sbr.7.1.2.3.cp.absent", "sbr.7.1.6.1.policy.absent"], "7.1.2.3(a) certificatePolicies absent")
    mut("bad-cp-cps-ftp.der", B("mailbox", "strict", "rsa"),
        lambda c: c.set_ext("cp", cp_value((policy_oid("mailbox", "strict"), [cps("ftp://pki.example.com/cps")]))),
        ["sbr.7.1.2.3.cp.cps-uri"], "7.1.2.3(a) id-qt-cps that is an FTP URL")
    mut("bad-cp-cps-no-scheme.der", B("mailbox", "strict", "rsa"),
        lambda c: c.set_ext("cp", cp_value((policy_oid("mailbox", "strict"), [cps("pki.example.com/cps")]))),
        ["sbr.7.1.2.3.cp.cps-uri"], "7.1.2.3(a) id-qt-cps that is not a URL")
    mut("bad-cp-unotice-ref.der", B("mailbox", "strict", "rsa"),
        lambda c: c.set_ext("cp", cp_value((policy_oid("mailbox", "strict"), [unotice("Notice", notice_ref=True)]))),
        ["sbr.7.1.2.3.cp.user-notice"], "7.1.2.3(a) id-qt-unotice with a noticeRef")
    mut("bad-cp-unotice-empty.der", B("mailbox", "strict", "rsa"),
        lambda c: c.set_ext("cp", cp_value((policy_oid("mailbox", "strict"), [unotice()]))),
        ["sbr.7.1.2.3.cp.user-notice"], "7.1.2.3(a) id-qt-unotice without explicitText")

    # -- (b) cRLDistributionPoints -----------------------------------------
    mut("bad-crldp-absent.der", B("mailbox", "strict", "rsa"), lambda c: c.del_ext("crldp"),
        ["sbr.7.1.2.3.crldp.absent"], "7.1.2.3(b) cRLDistributionPoints absent")
    mut("bad-crldp-legacy-ldap-only.der", B("mailbox", "legacy", "rsa"),
        lambda c: c.set_ext("crldp", crldp_value("ldap://ldap.example.com/cn=CA?certificateRevocationList")),
        ["sbr.7.1.2.3.crldp.no-http"], "7.1.2.3(b) legacy: no HTTP CRL URI (only LDAP)")
    mut("bad-crldp-legacy-https-only.der", B("organization", "legacy", "ec"),
        lambda c: c.set_ext("crldp", crldp_value("https://crl.example.com/smime.crl")),
        ["sbr.7.1.2.3.crldp.no-http"], "7.1.2.3(b) legacy: HTTPS is not the HTTP scheme")
    mut("bad-crldp-no-fullname.der", B("mailbox", "multipurpose", "rsa"),
        lambda c: c.set_ext("crldp", seq(seq(ctx(2, ctx(4, CA_NAME))))),
        ["sbr.7.1.2.3.crldp.no-http"], "7.1.2.3(b) a DistributionPoint with only a cRLIssuer, no fullName URI")
    mut("bad-crldp-strict-ldap-too.der", B("mailbox", "strict", "rsa"),
        lambda c: c.set_ext("crldp", crldp_value("http://crl.example.com/smime.crl",
                                                 "ldap://ldap.example.com/cn=CA?certificateRevocationList")),
        ["sbr.7.1.2.3.crldp.scheme"], "7.1.2.3(b) strict: an LDAP URI next to the HTTP one")
    mut("bad-crldp-mp-https.der", B("sponsor", "multipurpose", "rsa"),
        lambda c: c.set_ext("crldp", crldp_value("https://crl.example.com/smime.crl")),
        ["sbr.7.1.2.3.crldp.no-http", "sbr.7.1.2.3.crldp.scheme"], "7.1.2.3(b) multipurpose: only an HTTPS URI")

    # -- (c) authorityInformationAccess ---------------------------------------
    mut("bad-aia-critical.der", B("mailbox", "strict", "rsa"), lambda c: setattr(c.ext("aia"), "critical", True),
        ["sbr.7.1.2.3.aia.critical"], "7.1.2.3(c) authorityInformationAccess critical")
    mut("bad-aia-ocsp-ldap-strict.der", B("mailbox", "strict", "rsa"),
        lambda c: c.set_ext("aia", aia_value(("ad_ca_issuers", "http://pki.example.com/ca.der"),
                                             ("ad_ocsp", "http://ocsp.example.com"), ("ad_ocsp", "ldap://ocsp.example.com"))),
        ["sbr.7.1.2.3.aia.ocsp-scheme"], "7.1.2.3(c)(1) strict: an OCSP URI that is not HTTP")
    mut("bad-aia-ocsp-legacy-no-http.der", B("individual", "legacy", "ec"),
        lambda c: c.set_ext("aia", aia_value(("ad_ca_issuers", "http://pki.example.com/ca.der"),
                                             ("ad_ocsp", "https://ocsp.example.com"))),
        ["sbr.7.1.2.3.aia.ocsp-scheme"], "7.1.2.3(c)(1) legacy: no OCSP URI with the HTTP scheme")
    mut("bad-aia-ca-issuers-https-mp.der", B("organization", "multipurpose", "rsa"),
        lambda c: c.set_ext("aia", aia_value(("ad_ca_issuers", "https://pki.example.com/ca.der"),
                                             ("ad_ocsp", "http://ocsp.example.com"))),
        ["sbr.7.1.2.3.aia.ca-issuers-scheme"], "7.1.2.3(c)(2) multipurpose: a caIssuers URI that is HTTPS")
    mut("bad-aia-ca-issuers-legacy-ldap.der", B("sponsor", "legacy", "rsa"),
        lambda c: c.set_ext("aia", aia_value(("ad_ca_issuers", "ldap://ldap.example.com/cn=CA?cACertificate"))),
        ["sbr.7.1.2.3.aia.ca-issuers-scheme"], "7.1.2.3(c)(2) legacy: caIssuers without an HTTP URI")
    mut("bad-aia-ca-issuers-dirname.der", B("mailbox", "strict", "ec"),
        lambda c: c.set_ext("aia", seq(seq(oid(OID["ad_ca_issuers"]), ctx(4, CA_NAME)))),
        ["sbr.7.1.2.3.aia.ca-issuers-scheme"], "7.1.2.3(c)(2) strict: a caIssuers accessLocation that is not a URI")

    # -- (d) basicConstraints -------------------------------------------------
    mut("bad-bc-ca-true.der", B("mailbox", "strict", "rsa"), lambda c: c.set_ext("bc", seq(boolean(True)), True),
        ["sbr.7.1.2.3.bc.ca"], "7.1.2.3(d) basicConstraints cA TRUE")
    mut("bad-bc-pathlen.der", B("mailbox", "strict", "rsa"), lambda c: c.set_ext("bc", seq(integer(0)), True),
        ["sbr.7.1.2.3.bc.pathlen"], "7.1.2.3(d) pathLenConstraint present")
    mut("bad-bc-ca-pathlen.der", B("organization", "legacy", "rsa"),
        lambda c: c.set_ext("bc", seq(boolean(True), integer(0)), True),
        ["sbr.7.1.2.3.bc.ca", "sbr.7.1.2.3.bc.pathlen"], "7.1.2.3(d) cA TRUE with a pathLenConstraint")

    # -- (e) keyUsage ------------------------------------------------------------
    mut("bad-ku-absent.der", B("mailbox", "strict", "rsa"), lambda c: c.del_ext("ku"),
        ["sbr.7.1.2.3.ku.absent"], "7.1.2.3(e) keyUsage absent")
    for fname, typ, gen, kind, ku, why in [
        ("bad-ku-rsa-strict-data-enc.der", "mailbox", "strict", "rsa", ("digitalSignature", "keyEncipherment", "dataEncipherment"),
         "strict RSA: dataEncipherment"),
        ("bad-ku-rsa-strict-keymgmt-de.der", "individual", "strict", "rsa", ("keyEncipherment", "dataEncipherment"),
         "strict RSA key management: dataEncipherment"),
        ("bad-ku-rsa-key-agreement.der", "mailbox", "multipurpose", "rsa", ("digitalSignature", "keyAgreement"),
         "RSA: keyAgreement"),
        ("bad-ku-rsa-nr-only.der", "mailbox", "legacy", "rsa", ("nonRepudiation",),
         "RSA: nonRepudiation without digitalSignature"),
        ("bad-ku-rsa-nr-ke.der", "sponsor", "multipurpose", "rsa", ("nonRepudiation", "keyEncipherment"),
         "RSA: nonRepudiation with key management only"),
        ("bad-ku-rsa-cert-sign.der", "organization", "strict", "rsa", ("digitalSignature", "keyCertSign"),
         "RSA: keyCertSign in a subscriber certificate"),
        ("bad-ku-rsa-crl-sign.der", "organization", "legacy", "rsa", ("digitalSignature", "keyEncipherment", "cRLSign"),
         "RSA: cRLSign"),
        ("bad-ku-rsa-encipher-only.der", "individual", "multipurpose", "rsa", ("keyEncipherment", "encipherOnly"),
         "RSA: encipherOnly"),
        ("bad-ku-ec-key-enc.der", "mailbox", "strict", "ec", ("digitalSignature", "keyEncipherment"), "ECDSA: keyEncipherment"),
        ("bad-ku-ec-data-enc.der", "mailbox", "multipurpose", "ec", ("keyAgreement", "dataEncipherment"), "ECDSA: dataEncipherment"),
        ("bad-ku-ec-eo-without-ka.der", "sponsor", "strict", "ec", ("digitalSignature", "encipherOnly"),
         "ECDSA: encipherOnly without keyAgreement"),
        ("bad-ku-ec-eo-and-do.der", "individual", "legacy", "ec", ("keyAgreement", "encipherOnly", "decipherOnly"),
         "ECDSA: encipherOnly and decipherOnly together (one or the other)"),
        ("bad-ku-ec-nr-ka.der", "organization", "multipurpose", "ec", ("nonRepudiation", "keyAgreement"),
         "ECDSA: nonRepudiation with key management only"),
        ("bad-ku-ec-cert-sign.der", "individual", "strict", "ec", ("digitalSignature", "keyCertSign", "cRLSign"),
         "ECDSA: keyCertSign and cRLSign"),
    ]:
        mut(fname, B(typ, gen, kind), lambda c, ku=ku: c.set_ext("ku", ku_value(*ku), True), ["sbr.7.1.2.3.ku.bits"],
            "7.1.2.3(e) " + why)
    mut("bad-ku-empty.der", B("mailbox", "strict", "rsa"), lambda c: c.set_ext("ku", bits(b""), True),
        ["sbr.7.1.2.4.ext.malformed", "sbr.7.1.2.3.ku.bits"],
        "7.1.2.3(e), 7.1.2.4 keyUsage with no bit set (RFC 5280 4.2.1.3: at least one bit MUST be set)")
    mut("bad-ku-ed25519-ka.der", B("individual", "strict", "rsa"),
        lambda c: (setattr(c, "spki", subscriber_spki("ed25519")),
                   c.set_ext("ku", ku_value("digitalSignature", "keyAgreement"), True)),
        ["sbr.7.1.2.3.ku.bits"], "7.1.2.3(e) Ed25519: keyAgreement")
    mut("bad-ku-mlkem-ds.der", B("mailbox", "strict", "rsa"),
        lambda c: (setattr(c, "spki", mlkem), c.set_ext("ku", ku_value("digitalSignature", "keyEncipherment"), True)),
        ["sbr.7.1.2.3.ku.bits"], "7.1.2.3(e) ML-KEM: keyEncipherment SHALL be the only bit")
    mut("bad-ku-mldsa-ke.der", B("mailbox", "strict", "rsa"),
        lambda c: (setattr(c, "spki", mldsa), c.set_ext("ku", ku_value("digitalSignature", "keyEncipherment"), True)),
        ["sbr.7.1.2.3.ku.bits"], "7.1.2.3(e) ML-DSA: keyEncipherment")

    # -- (f) extKeyUsage ---------------------------------------------------------
    mut("bad-eku-absent.der", B("mailbox", "strict", "rsa"), lambda c: c.del_ext("eku"),
        ["sbr.7.1.2.3.eku.absent"], "7.1.2.3(f) extKeyUsage absent")
    mut("bad-eku-no-email.der", B("mailbox", "multipurpose", "rsa"), lambda c: c.set_ext("eku", eku_value("kp_client")),
        ["sbr.7.1.2.3.eku.no-email"], "7.1.2.3(f) multipurpose: id-kp-emailProtection missing")
    for p, what in [("kp_server", "serverAuth"), ("kp_code", "codeSigning"), ("kp_time", "timeStamping"),
                    ("kp_any", "anyExtendedKeyUsage")]:
        mut("bad-eku-%s.der" % what, B("organization", "multipurpose", "rsa"),
            lambda c, p=p: c.set_ext("eku", eku_value("kp_email", p)), ["sbr.7.1.2.3.eku.prohibited"],
            "7.1.2.3(f) %s with emailProtection" % what)
    mut("bad-eku-strict-client.der", B("mailbox", "strict", "ec"),
        lambda c: c.set_ext("eku", eku_value("kp_email", "kp_client")),
        ["sbr.7.1.2.3.eku.strict-other"], "7.1.2.3(f) strict: clientAuth next to emailProtection")
    mut("bad-eku-strict-server-only.der", B("individual", "strict", "rsa"),
        lambda c: c.set_ext("eku", eku_value("kp_server")),
        ["sbr.7.1.2.3.eku.no-email", "sbr.7.1.2.3.eku.prohibited"], "7.1.2.3(f) strict: serverAuth instead of emailProtection")

    # -- (g) authorityKeyIdentifier ----------------------------------------------
    mut("bad-aki-absent.der", B("mailbox", "strict", "rsa"), lambda c: c.del_ext("aki"),
        ["sbr.7.1.2.3.aki.absent"], "7.1.2.3(g) authorityKeyIdentifier absent")
    mut("bad-aki-critical.der", B("mailbox", "strict", "rsa"), lambda c: setattr(c.ext("aki"), "critical", True),
        ["sbr.7.1.2.3.aki.critical"], "7.1.2.3(g) authorityKeyIdentifier critical")
    mut("bad-aki-empty.der", B("mailbox", "strict", "rsa"), lambda c: c.set_ext("aki", aki_value()),
        ["sbr.7.1.2.3.aki.no-keyid"], "7.1.2.3(g) authorityKeyIdentifier without keyIdentifier")
    mut("bad-aki-issuer-serial.der", B("mailbox", "strict", "rsa"),
        lambda c: c.set_ext("aki", aki_value(CA_SKI, CA_NAME, int.from_bytes(serial_for("ca-p256"), "big"))),
        ["sbr.7.1.2.3.aki.issuer-serial"], "7.1.2.3(g) authorityCertIssuer and authorityCertSerialNumber present")
    mut("bad-aki-issuer-serial-only.der", B("mailbox", "strict", "ec"),
        lambda c: c.set_ext("aki", aki_value(None, CA_NAME, int.from_bytes(serial_for("ca-p256"), "big"))),
        ["sbr.7.1.2.3.aki.no-keyid", "sbr.7.1.2.3.aki.issuer-serial"],
        "7.1.2.3(g) authorityCertIssuer and serial instead of keyIdentifier")

    # -- (h) subjectAltName ------------------------------------------------------
    mut("bad-san-absent.der", B("mailbox", "strict", "ec"),
        lambda c: (c.del_ext("san"), setattr(c, "subject", name(("serialNumber", "RA-0002")))),
        ["sbr.7.1.2.3.san.absent"], "7.1.2.3(h) subjectAltName absent")

    # -- (i)-(n) ------------------------------------------------------------------
    mut("bad-smimecap-critical.der", B("mailbox", "strict", "rsa"), lambda c: setattr(c.ext("smimecap"), "critical", True),
        ["sbr.7.1.2.3.smimecap.critical"], "7.1.2.3(i) smimeCapabilities critical")
    mut("bad-sda-strict.der", B("individual", "strict", "rsa"), lambda c: c.set_ext("sda", SDA_VALUE),
        ["sbr.7.1.2.3.sda.prohibited"], "7.1.2.3(j) strict: subjectDirectoryAttributes prohibited")
    mut("bad-sda-mp.der", B("individual", "multipurpose", "ec"), lambda c: c.set_ext("sda", SDA_VALUE),
        ["sbr.7.1.2.3.sda.prohibited"], "7.1.2.3(j) multipurpose: subjectDirectoryAttributes prohibited")
    mut("bad-sda-critical-legacy.der", B("individual", "legacy", "rsa"), lambda c: c.set_ext("sda", SDA_VALUE, True),
        ["sbr.7.1.2.3.sda.critical"], "7.1.2.3(j) legacy: subjectDirectoryAttributes critical")
    mut("bad-qc-critical.der", B("individual", "strict", "rsa"), lambda c: c.set_ext("qc", QC_VALUE, True),
        ["sbr.7.1.2.3.qc.critical"], "7.1.2.3(k) qcStatements critical")
    mut("bad-lei-mailbox.der", B("mailbox", "multipurpose", "rsa"), lambda c: c.set_ext("lei", LEI_VALUE),
        ["sbr.7.1.2.3.lei.prohibited"], "7.1.2.3(l) mailbox-validated: LEI prohibited")
    mut("bad-lei-individual-role.der", B("individual", "strict", "ec"), lambda c: c.set_ext("lei_role", LEI_VALUE),
        ["sbr.7.1.2.3.lei.prohibited"], "7.1.2.3(l) individual-validated: LEI role prohibited")
    mut("bad-lei-org-role.der", B("organization", "strict", "rsa"), lambda c: c.set_ext("lei_role", LEI_VALUE),
        ["sbr.7.1.2.3.lei.role-prohibited"], "7.1.2.3(l) organization-validated: LEI role SHALL NOT be present")
    mut("bad-lei-critical.der", B("organization", "multipurpose", "rsa"), lambda c: c.set_ext("lei", LEI_VALUE, True),
        ["sbr.7.1.2.3.lei.critical"], "7.1.2.3(l) LEI critical")
    mut("bad-lei-role-critical-sponsor.der", B("sponsor", "strict", "ec"), lambda c: c.set_ext("lei_role", LEI_VALUE, True),
        ["sbr.7.1.2.3.lei.critical"], "7.1.2.3(l) sponsor-validated: LEI role critical")
    mut("bad-adobe-strict.der", B("individual", "strict", "rsa"), lambda c: c.set_ext("adobe_ts", ADOBE_TS_VALUE),
        ["sbr.7.1.2.3.adobe.prohibited"], "7.1.2.3(m) strict: Adobe Time-stamp extension prohibited")
    mut("bad-adobe-archive-strict.der", B("sponsor", "strict", "rsa"), lambda c: c.set_ext("adobe_archive", ADOBE_ARCHIVE_VALUE),
        ["sbr.7.1.2.3.adobe.prohibited"], "7.1.2.3(m) strict: Adobe ArchiveRevInfo prohibited")
    mut("bad-adobe-critical-mp.der", B("individual", "multipurpose", "rsa"),
        lambda c: c.set_ext("adobe_ts", ADOBE_TS_VALUE, True),
        ["sbr.7.1.2.3.adobe.critical"], "7.1.2.3(m) multipurpose: Adobe extension critical")
    mut("bad-ski-critical.der", B("mailbox", "strict", "rsa"), lambda c: setattr(c.ext("ski"), "critical", True),
        ["sbr.7.1.2.3.ski.critical"], "7.1.2.3(n) subjectKeyIdentifier critical")

    # -- CA binding (--ca) and the clock (--at) -------------------------------
    mut("bad-ca-issuer-printable.der", B("mailbox", "strict", "rsa"), lambda c: setattr(c, "issuer", CA_NAME_PRINTABLE),
        ["sbr.7.1.4.1.issuer.mismatch"],
        "7.1.4.1 issuer equal to the CA's subject under RFC 5280 7.1 but not byte for byte (PrintableString)", CA_OPT)
    mut("bad-ca-aki-other.der", B("mailbox", "strict", "rsa"),
        lambda c: c.set_ext("aki", aki_value(hashlib.sha1(b"another key").digest())),
        ["sbr.7.1.2.3.aki.mismatch"], "7.1.2.3(g) keyIdentifier is not the issuing CA's subjectKeyIdentifier", CA_OPT)
    mut("bad-ca-sigalg-sha384.der", B("mailbox", "strict", "rsa"), lambda c: setattr(c, "sig_alg", SIG_ECDSA_SHA384),
        ["sbr.7.1.3.2.sigalg.ca-mismatch"], "7.1.3.2.2 ecdsa-with-SHA384 from a P-256 CA key (SHALL be SHA-256)", CA_OPT)
    mut("bad-ca-sigalg-rsa.der", B("mailbox", "strict", "rsa"), lambda c: setattr(c, "sig_alg", SIG_RSA_SHA256),
        ["sbr.7.1.3.2.sigalg.ca-mismatch"], "7.1.3.2 an RSA signature algorithm from an ECDSA CA key", CA_OPT)
    b = B("mailbox", "strict", "rsa")
    case("valid-mailbox-strict-rsa.der", issue(b),
         ["sbr.7.1.4.1.issuer.mismatch", "sbr.7.1.2.3.aki.mismatch", "sbr.7.1.3.2.sigalg.ca-mismatch"],
         "7.1.4.1, 7.1.2.3(g), 7.1.3.2.2 judged against another CA (P-384: other name, key and algorithm)",
         "--ca ca-p384.der")
    case("valid-organization-strict-ec.der", issue(B("organization", "strict", "ec")), ["sbr.7.1.2.3.aki.mismatch"],
         "7.1.2.3(g) a CA certificate without subjectKeyIdentifier cannot match the keyIdentifier",
         "--ca ca-noski.der")
    case("valid-individual-strict-ec.der", issue(B("individual", "strict", "ec")), ["sbrguard.clock.not-before"],
         "7.1.2.4 notBefore (2025-09-01) is not the token's clock (2026-01-01)", CA_OPT + " " + at("2026-01-01T00:00:00Z"))
    case("valid-sponsor-strict-rsa.der", issue(B("sponsor", "strict", "rsa")), ["sbrguard.clock.not-before"],
         "7.1.2.4 notBefore one second after the token's clock", CA_OPT + " " + at("2025-08-31T23:59:59Z"))
    case("valid-mailbox-legacy-ec.der", issue(B("mailbox", "legacy", "ec")),
         ["sbrguard.clock.not-before", "sbr.7.1.6.1.legacy.sunset"],
         "7.1.6.1, 7.1.2.4 a legacy certificate dated 2025-03-01 signed on 2025-08-01", CA_OPT + " " + at("2025-08-01T00:00:00Z"))

    # -- 7.1.4 names ------------------------------------------------------------------
    name_cases(B)

    # -- further groups, one module each under smime_cases/ ----------------------------
    extra_cases()


def extra_cases():
    """Runs cases(g) of every test/vectors/smime_cases/*.py, in name order;
    g is this module, so a case module uses g.base, g.mut, g.case, g.ext ..."""
    import importlib.util
    folder = os.path.join(HERE, "smime_cases")
    if not os.path.isdir(folder):
        return
    g = sys.modules[__name__]
    for fn in sorted(os.listdir(folder)):
        if fn.endswith(".py") and not fn.startswith("_"):
            spec = importlib.util.spec_from_file_location("smime_cases_" + fn[:-3], os.path.join(folder, fn))
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)
            mod.cases(g)


# Name rules (SBR 7.1.4). Codes are written without their "sbr." prefix.


def name_cases(B):
    def nm(fname, b, fn, codes, why, opts="-"):
        mut(fname, b, fn, ["sbr." + x for x in codes], why, opts)

    def subj(*attrs):
        return lambda c: setattr(c, "subject", name(*attrs))

    GB_ORG = [("c", "GB"), ("o", ORG), ("organizationIdentifier", ORG_ID)]
    IND = [("c", "GB"), ("givenName", "Bob"), ("surname", "Example"), ("cn", "Bob Example")]
    SP = [("givenName", "Alice"), ("surname", "Liddell"), ("cn", "Alice Liddell")]

    # -- 7.1.4.2.1 subjectAltName ---------------------------------------------
    nm("bad-san-dirname-only.der", B("individual", "strict", "rsa"),
       lambda c: c.set_ext("san", seq(ctx(4, c.subject))), ["7.1.4.2.1.san.no-mailbox"],
       "7.1.4.2.1 subjectAltName with a directoryName and no rfc822Name or SmtpUTF8Mailbox")
    nm("ok-san-dirname-too.der", B("individual", "strict", "rsa"),
       lambda c: c.set_ext("san", seq(rfc822(c.mbx), ctx(4, c.subject))), [],
       "7.1.4.2.1 valid: a directoryName that complies with 7.1.4.2.6, next to the mailbox")
    nm("bad-san-dirname-content.der", B("mailbox", "strict", "rsa"),
       lambda c: c.set_ext("san", seq(rfc822(c.mbx), ctx(4, name(("o", ORG), ("cn", c.mbx))))),
       ["7.1.4.2.1.dirname.content"], "7.1.4.2.1 a directoryName with organizationName in a mailbox-validated certificate")
    nm("bad-san-dns.der", B("mailbox", "strict", "rsa"),
       lambda c: c.set_ext("san", seq(rfc822(c.mbx), dns("example.com"))), ["7.1.4.2.1.san.name-type"],
       "7.1.4.2.1 a dNSName entry (SHALL NOT include other GeneralName types)")
    nm("bad-san-uri.der", B("mailbox", "legacy", "rsa"),
       lambda c: c.set_ext("san", seq(rfc822(c.mbx), uri("mailto:" + c.mbx))), ["7.1.4.2.1.san.name-type"],
       "7.1.4.2.1 legacy: a uniformResourceIdentifier entry")
    nm("bad-san-ip.der", B("individual", "multipurpose", "ec"),
       lambda c: c.set_ext("san", seq(rfc822(c.mbx), tlv(0x87, bytes([192, 0, 2, 1])))), ["7.1.4.2.1.san.name-type"],
       "7.1.4.2.1 an iPAddress entry")
    upn = ctx(0, oid("1.3.6.1.4.1.311.20.2.3") + ctx(0, utf8("bob@example.com")))
    nm("bad-san-upn-strict.der", B("individual", "strict", "rsa"),
       lambda c: c.set_ext("san", seq(rfc822(c.mbx), upn)), ["7.1.4.2.1.san.name-type"],
       "7.1.4.2.1 strict: an otherName that is not id-on-SmtpUTF8Mailbox")
    nm("ok-san-upn-multipurpose.der", B("individual", "multipurpose", "rsa"),
       lambda c: c.set_ext("san", seq(rfc822(c.mbx), upn)), [],
       "7.1.4.2.1 valid: multipurpose may carry otherName entries of any type")
    nm("bad-cn-mailbox-not-in-san.der", B("sponsor", "strict", "rsa"),
       subj(*(GB_ORG + [("givenName", "Alice"), ("surname", "Liddell"), ("cn", "liddell@example.com")])),
       ["7.1.4.2.1.subject-mailbox.not-in-san", "7.1.4.2.2.cn.mailbox-not-in-san"],
       "7.1.4.2.1, 7.1.4.2.2(a) the commonName mailbox is not repeated in subjectAltName")
    nm("bad-email-not-in-san.der", B("mailbox", "multipurpose", "ec"),
       lambda c: c.set_ext("san", seq(rfc822("alice.other@example.com"))), ["7.1.4.2.1.subject-mailbox.not-in-san"],
       "7.1.4.2.1, 7.1.4.2.2(h) the emailAddress is not repeated in subjectAltName")
    nm("bad-dirname-mailbox-not-in-san.der", B("individual", "strict", "rsa"),
       lambda c: c.set_ext("san", seq(rfc822(c.mbx), ctx(4, name(*(IND + [("emailAddress", "bob.other@example.com")]))))),
       ["7.1.4.2.1.dirname-mailbox.not-in-san"], "7.1.4.2.1 a directoryName mailbox is not repeated as rfc822Name")
    for fname, mbx, why in [
        ("bad-mailbox-no-at.der", "alice.example.com", "no '@'"),
        ("bad-mailbox-two-at.der", "alice@bob@example.com", "two '@'"),
        ("bad-mailbox-padding.der", " alice@example.com", "leading space (no additional padding)"),
        ("bad-mailbox-angle.der", "<alice@example.com>", "angle brackets (no additional structure)"),
        ("bad-mailbox-empty-domain.der", "alice@", "empty domain"),
        ("bad-mailbox-dot-local.der", "alice.@example.com", "local part ends with a dot (RFC 5321 Dot-string)"),
        ("bad-mailbox-long-local.der", "a" * 65 + "@example.com", "local part of 65 octets (RFC 5321 4.5.3.1.1)"),
    ]:
        nm(fname, B("mailbox", "strict", "ec"), lambda c, mbx=mbx: c.set_ext("san", seq(rfc822(mbx)), True),
           ["7.1.4.2.1.rfc822.syntax"], "7.1.4.2.1, 1.6.1 rfc822Name is not an RFC 5321 Mailbox: " + why)
    nm("ok-mailbox-quoted-local.der", B("mailbox", "strict", "ec"),
       lambda c: c.set_ext("san", seq(rfc822('"alice smith"@example.com')), True), [],
       "7.1.4.2.1, 1.6.1 valid: a Quoted-string local part (RFC 5321 4.1.2)")
    nm("bad-rfc822-non-ascii.der", B("mailbox", "strict", "ec"),
       lambda c: c.set_ext("san", seq(tlv(0x81, "j\u00fcrgen@example.com".encode())), True),
       ["7.1.4.2.1.rfc822.non-ascii"], "7.1.4.2.1 rfc822Name (an IA5String) with a UTF-8 local part: RFC 9598 needs SmtpUTF8Mailbox")
    for fname, dom, code, why in [
        ("bad-mailbox-domain-suffix.der", "co.uk", "domain.public-suffix", "co.uk is a public suffix, not a domain of its own"),
        ("bad-mailbox-domain-bare-tld.der", "com", "domain.public-suffix", "a bare top-level domain"),
        ("bad-mailbox-domain-tld.der", "example.notatld", "domain.tld", "notatld is not an ICANN top-level domain"),
    ]:
        nm(fname, B("mailbox", "strict", "ec"), lambda c, dom=dom: c.set_ext("san", seq(rfc822("alice@" + dom)), True),
           ["7.1.4.2.1." + code], "7.1.4.2.1, 3.2.2 the mailbox domain is not a real domain: " + why)
    nm("ok-mailbox-subdomain.der", B("mailbox", "strict", "ec"),
       lambda c: c.set_ext("san", seq(rfc822("alice@mail.example.co.uk")), True), [],
       "7.1.4.2.1 valid: a mailbox at a domain under the public suffix co.uk")
    nm("bad-smtputf8-ascii.der", B("individual", "strict", "rsa"),
       lambda c: c.set_ext("san", seq(smtputf8("bob@example.com"))), ["7.1.4.2.1.smtputf8.ascii-local"],
       "7.1.4.2.1 SmtpUTF8Mailbox with an ASCII local part (RFC 9598 3: rfc822Name MUST be used)")
    nm("bad-smtputf8-ia5.der", B("individual", "strict", "rsa"),
       lambda c: c.set_ext("san", seq(ctx(0, oid(OID["on_smtputf8"]) + ctx(0, tlv(0x16, "j\u00fcrgen@example.com".encode()))))),
       ["7.1.4.2.1.smtputf8.encoding"], "7.1.4.2.1 SmtpUTF8Mailbox value that is not a UTF8String (RFC 9598 3)")
    nm("bad-smtputf8-no-at.der", B("individual", "strict", "rsa"),
       lambda c: c.set_ext("san", seq(smtputf8("j\u00fcrgen.example.com"))), ["7.1.4.2.1.smtputf8.syntax"],
       "7.1.4.2.1 SmtpUTF8Mailbox that is not a Mailbox (no '@')")

    # -- 7.1.4 attribute encodings ---------------------------------------------------
    nm("bad-country-utf8.der", B("individual", "strict", "ec"),
       subj(("c", "GB", "utf8"), ("givenName", "Bob"), ("surname", "Example"), ("cn", "Bob Example")),
       ["7.1.4.attr.string-type"], "7.1.4 countryName SHALL be a PrintableString (RFC 5280 Appendix A)")
    nm("bad-email-utf8.der", B("mailbox", "multipurpose", "rsa"),
       subj(("cn", "alice@example.com"), ("emailAddress", "alice@example.com", "utf8")),
       ["7.1.4.attr.string-type"], "7.1.4 emailAddress SHALL be an IA5String (RFC 5280 Appendix A)")
    nm("bad-given-name-bmp.der", B("individual", "multipurpose", "rsa"),
       subj(("c", "GB"), ("givenName", "Bob", "bmp"), ("surname", "Example"), ("cn", "Bob Example")),
       ["7.1.4.attr.directorystring"], "7.1.4, RFC 5280 4.1.2.6: DirectoryString SHALL be PrintableString or UTF8String (BMPString here)")
    nm("bad-org-printable-charset.der", B("organization", "strict", "rsa"),
       subj(("c", "GB"), ("o", "Smith & Sons Ltd", "printable"), ("organizationIdentifier", ORG_ID)),
       ["7.1.4.attr.value-encoding"], "7.1.4 '&' is not in the PrintableString character set (X.680 41.4)")
    nm("bad-locality-bad-utf8.der", B("individual", "strict", "rsa"),
       subj(("c", "GB"), ("l", b"Lond\xc3\x28n"), ("givenName", "Bob"), ("surname", "Example"), ("cn", "Bob Example")),
       ["7.1.4.attr.value-encoding"], "7.1.4 a UTF8String that is not UTF-8 (RFC 3629)")
    nm("bad-title-empty.der", B("individual", "strict", "rsa"),
       subj(*(IND + [("title", "")])), ["7.1.4.attr.value-encoding"], "7.1.4 an empty title (DirectoryString SIZE (1..MAX))")

    # -- 7.1.4.2.2 subject fields ------------------------------------------------
    nm("bad-cn-org-other-name.der", B("organization", "strict", "rsa"),
       subj(*(GB_ORG + [("cn", "Other Company Ltd")])), ["7.1.4.2.2.cn.organization"],
       "7.1.4.2.2(a) organization: commonName neither the organizationName nor a mailbox")
    nm("bad-cn-mailbox-not-mailbox.der", B("mailbox", "multipurpose", "rsa"),
       subj(("cn", "Alice"), ("emailAddress", "alice@example.com")), ["7.1.4.2.2.cn.mailbox"],
       "7.1.4.2.2(a) mailbox: commonName that is not a Mailbox Address")
    nm("bad-pseudonym-and-names.der", B("sponsor", "multipurpose", "ec"),
       subj(*(GB_ORG + [("givenName", "Alice"), ("pseudonym", "Cheshire Cat"), ("cn", "Cheshire Cat")])),
       ["7.1.4.2.2.pseudonym.with-name"], "7.1.4.2.2(e)(f) pseudonym together with givenName")
    nm("bad-cn-not-pseudonym.der", B("individual", "strict", "ec"),
       subj(("pseudonym", "Dormouse"), ("cn", "Mad Hatter")), ["7.1.4.2.2.cn.pseudonym"],
       "7.1.4.2.2(a) commonName is neither the pseudonym nor a mailbox while a pseudonym is present")
    for fname, oid_value, c_, code, why in [
        ("bad-orgid-no-country.der", "NTR-12345678", "GB", "syntax", "no country code"),
        ("bad-orgid-no-hyphen.der", "NTRGB12345678", "GB", "syntax", "no hyphen-minus before the Registration Reference"),
        ("bad-orgid-scheme.der", "ABCGB-12345678", "GB", "syntax", "ABC is not a Registration Scheme of Appendix A"),
        ("bad-orgid-empty-ref.der", "NTRGB-", "GB", "syntax", "empty Registration Reference"),
        ("bad-orgid-not-iso.der", "NTRQQ-12345678", None, "country", "QQ is not an ISO 3166-1 code"),
        ("bad-orgid-lei-country.der", "LEIGB-529900T8BM49AURSDO55", "GB", "country", "the LEI scheme SHALL use XG"),
        ("bad-orgid-subdivision.der", "NTRUS+QQ-12345678", "US", "subdivision", "QQ is not an ISO 3166-2 subdivision of US"),
        ("bad-orgid-lei-check.der", "LEIXG-529900T8BM49AURSDO56", "GB", "lei", "ISO 17442 check digits are wrong"),
        ("bad-orgid-psd-no-nca.der", "PSDBE-12345678", "BE", "psd", "PSD without the NCA identifier (ETSI TS 119 495)"),
    ]:
        attrs = ([("c", c_)] if c_ else []) + [("o", ORG), ("organizationIdentifier", oid_value), ("cn", ORG)]
        nm(fname, B("organization", "strict", "rsa"), subj(*attrs), ["7.1.4.2.2.orgid." + code],
           "7.1.4.2.2(d) organizationIdentifier %r: %s" % (oid_value, why))
    nm("bad-orgid-country-mismatch.der", B("organization", "multipurpose", "rsa"),
       subj(("c", "FR"), ("o", ORG), ("organizationIdentifier", ORG_ID), ("cn", ORG)), ["7.1.4.2.2.orgid.country-mismatch"],
       "7.1.4.2.2(d) Note 1: NTRGB with countryName FR")
    nm("bad-orgid-ia5.der", B("organization", "strict", "ec"),
       subj(("c", "GB"), ("o", ORG), ("organizationIdentifier", ORG_ID, "ia5"), ("cn", ORG)),
       ["7.1.4.2.2.orgid.string-type"], "7.1.4.2.2(d) organizationIdentifier SHALL be a PrintableString or UTF8String")
    for fname, oid_value, c_, why in [
        ("ok-orgid-subdivision.der", "NTRUS+CA-12345678", "US", "state-level NTRUS+CA"),
        ("ok-orgid-vat-el.der", "VATEL-123456789", "GR", "VAT with the Article 215 prefix EL for Greece"),
        ("ok-orgid-lei.der", "LEIXG-529900T8BM49AURSDO55", "GB", "LEI with XG, country not matched (Note 1)"),
        ("ok-orgid-gov.der", "GOVUS", "US", "a Government Entity: GOV and the country only (Note 2)"),
        ("ok-orgid-gov-subdivision.der", "GOVUS+CA", "US", "a state Government Entity (Note 2)"),
        ("ok-orgid-int.der", "INTXG", None, "an International Organization Entity (Note 2)"),
        ("ok-orgid-psd.der", "PSDBE-NBB-1234.567.890", "BE", "PSD, more hyphens in the Registration Reference"),
        ("ok-orgid-euid.der", "NTRDE-DER3306.HRB12345", "DE", "NTR with an EUID (Note 3)"),
    ]:
        attrs = ([("c", c_)] if c_ else []) + [("o", ORG), ("organizationIdentifier", oid_value, "utf8"), ("cn", ORG)]
        nm(fname, B("organization", "strict", "rsa"), subj(*attrs), [],
           "7.1.4.2.2(d) valid: organizationIdentifier %r, %s" % (oid_value, why))
    nm("bad-email-two.der", B("mailbox", "multipurpose", "ec"),
       lambda c: (c.set_ext("san", seq(rfc822("alice@example.com"), rfc822("bob@example.com"))),
                  setattr(c, "subject", name(("emailAddress", "alice@example.com,bob@example.com")))),
       ["7.1.4.2.2.email.syntax", "7.1.4.2.1.subject-mailbox.not-in-san"],
       "7.1.4.2.2(h) an emailAddress with two mailboxes (SHALL contain a single Mailbox Address; the value is not in the SAN)")
    nm("bad-street-without-locality.der", B("individual", "legacy", "rsa"),
       subj(("c", "GB"), ("street", "2 Example Road"), ("givenName", "Bob"), ("surname", "Example"), ("cn", "Bob Example")),
       ["7.1.4.2.2.street.no-locality"], "7.1.4.2.2(j) streetAddress without localityName or stateOrProvinceName")
    nm("bad-locality-without-country.der", B("individual", "strict", "rsa"),
       subj(("l", "London"), ("givenName", "Bob"), ("surname", "Example"), ("cn", "Bob Example")),
       ["7.1.4.2.2.locality.no-country"], "7.1.4.2.2(k) localityName without countryName")
    nm("bad-state-without-country.der", B("organization", "strict", "rsa"),
       subj(("st", "England"), ("o", ORG), ("organizationIdentifier", ORG_ID), ("cn", ORG)),
       ["7.1.4.2.2.state.no-country"], "7.1.4.2.2(l) stateOrProvinceName without countryName")
    nm("bad-postal-without-country.der", B("sponsor", "legacy", "rsa"),
       subj(("l", "London"), ("postalCode", "EC1A 1AA"), ("o", ORG), ("organizationIdentifier", "LEIXG-529900T8BM49AURSDO55"),
            ("cn", "Alice Liddell")),
       ["7.1.4.2.2.locality.no-country", "7.1.4.2.2.postal-code.no-country"],
       "7.1.4.2.2(k)(m) localityName and postalCode without countryName")
    nm("bad-country-uk.der", B("individual", "strict", "rsa"),
       subj(("c", "UK"), ("givenName", "Bob"), ("surname", "Example"), ("cn", "Bob Example")),
       ["7.1.4.2.2.country.code"], "7.1.4.2.2(n) UK is not an ISO 3166-1 alpha-2 code (GB is)")
    nm("bad-country-lowercase.der", B("individual", "multipurpose", "rsa"),
       subj(("c", "gb"), ("givenName", "Bob"), ("surname", "Example"), ("cn", "Bob Example")),
       ["7.1.4.2.2.country.code"], "7.1.4.2.2(n) lowercase 'gb' is not an ISO 3166-1 code")
    nm("ok-country-xx.der", B("individual", "strict", "rsa"),
       subj(("c", "XX"), ("l", "Somewhere"), ("givenName", "Bob"), ("surname", "Example"), ("cn", "Bob Example")), [],
       "7.1.4.2.2(n) valid: XX where a country has no ISO 3166-1 code")
    nm("bad-cn-too-long.der", B("organization", "strict", "rsa"),
       subj(*(GB_ORG + [("cn", "Example Widgets Ltd " + "x" * 45)])),
       ["7.1.4.2.2.attr.upper-bound", "7.1.4.2.2.cn.organization"],
       "7.1.4.2.2(a) Note: a commonName of 64 characters plus one (ub-common-name 64)")
    nm("bad-org-too-long.der", B("organization", "strict", "rsa"),
       subj(("c", "GB"), ("o", "O" * 65), ("organizationIdentifier", ORG_ID)), ["7.1.4.2.2.attr.upper-bound"],
       "7.1.4 an organizationName of 65 characters (ub-organization-name 64)")
    nm("ok-org-64.der", B("organization", "strict", "rsa"),
       subj(("c", "GB"), ("o", "\u00d6" * 64), ("organizationIdentifier", ORG_ID)), [],
       "7.1.4 valid: an organizationName of 64 characters (128 UTF-8 octets): bounds count characters")
    nm("bad-metadata-locality.der", B("individual", "legacy", "rsa"),
       subj(*(IND[:1] + [("l", "-")] + IND[1:])), ["7.1.4.2.attr.metadata-only"],
       "7.1.4.2 localityName '-' is only metadata")
    nm("bad-metadata-ou.der", B("organization", "multipurpose", "rsa"),
       subj(*(GB_ORG + [("ou", ". ."), ("cn", ORG)])), ["7.1.4.2.attr.metadata-only"],
       "7.1.4.2 organizationalUnitName '. .' is only metadata")

    # -- 7.1.4.2.3-6 the attributes of each certificate type --------------------
    nm("bad-mailbox-with-org.der", B("mailbox", "strict", "rsa"),
       subj(("o", ORG), ("cn", "alice@example.com")), ["7.1.4.2.3.attr.prohibited"],
       "7.1.4.2.3 mailbox: organizationName SHALL NOT")
    nm("bad-mailbox-with-given-name.der", B("mailbox", "multipurpose", "rsa"),
       subj(("givenName", "Alice"), ("cn", "alice@example.com")), ["7.1.4.2.3.attr.prohibited"],
       "7.1.4.2.3 mailbox: givenName SHALL NOT")
    nm("bad-mailbox-with-country.der", B("mailbox", "legacy", "ec"),
       subj(("c", "GB"), ("cn", "alice@example.com")), ["7.1.4.2.3.attr.prohibited"],
       "7.1.4.2.3 mailbox: countryName SHALL NOT")
    nm("bad-mailbox-with-title.der", B("mailbox", "strict", "ec"),
       subj(("title", "Engineer"), ("emailAddress", "alice@example.com")), ["7.1.4.2.3.attr.prohibited"],
       "7.1.4.2.3 mailbox: title SHALL NOT")
    nm("bad-mailbox-with-other.der", B("mailbox", "legacy", "rsa"),
       subj(("uid", "alice"), ("cn", "alice@example.com")), ["7.1.4.2.3.attr.other"],
       "7.1.4.2.3 mailbox legacy: Other SHALL NOT")
    nm("bad-org-without-o.der", B("organization", "strict", "rsa"),
       subj(("c", "GB"), ("organizationIdentifier", ORG_ID), ("cn", "info@example.com")), ["7.1.4.2.4.attr.required"],
       "7.1.4.2.4 organization: organizationName SHALL be present")
    nm("bad-org-without-orgid.der", B("organization", "legacy", "ec"),
       subj(("c", "GB"), ("o", ORG), ("cn", ORG)), ["7.1.4.2.4.attr.required"],
       "7.1.4.2.4 organization: organizationIdentifier SHALL be present")
    nm("bad-org-with-surname.der", B("organization", "multipurpose", "rsa"),
       subj(*(GB_ORG + [("surname", "Liddell"), ("cn", ORG)])), ["7.1.4.2.4.attr.prohibited"],
       "7.1.4.2.4 organization: surname SHALL NOT")
    nm("bad-org-strict-street.der", B("organization", "strict", "rsa"),
       subj(("c", "GB"), ("l", "London"), ("street", "1 Example Street"), ("o", ORG), ("organizationIdentifier", ORG_ID),
            ("cn", ORG)), ["7.1.4.2.4.attr.prohibited"], "7.1.4.2.4 organization strict: streetAddress SHALL NOT")
    nm("bad-org-strict-postal.der", B("organization", "strict", "ec"),
       subj(("c", "GB"), ("postalCode", "EC1A 1AA"), ("o", ORG), ("organizationIdentifier", ORG_ID), ("cn", ORG)),
       ["7.1.4.2.4.attr.prohibited"], "7.1.4.2.4 organization strict: postalCode SHALL NOT")
    nm("bad-org-mp-other.der", B("organization", "multipurpose", "rsa"),
       subj(*(GB_ORG + [("businessCategory", "Private Organization"), ("cn", ORG)])), ["7.1.4.2.4.attr.other"],
       "7.1.4.2.4 organization multipurpose: Other (businessCategory) SHALL NOT")
    nm("ok-org-legacy-other.der", B("organization", "legacy", "rsa"),
       subj(*(GB_ORG + [("businessCategory", "Private Organization"), ("cn", ORG)])), [],
       "7.1.4.2.4 valid: organization legacy: Other MAY")
    nm("bad-sponsor-without-orgid.der", B("sponsor", "strict", "rsa"),
       subj(*([("c", "GB"), ("o", ORG)] + SP)), ["7.1.4.2.5.attr.required"],
       "7.1.4.2.5 sponsor: organizationIdentifier SHALL be present")
    nm("bad-sponsor-mp-cn-only.der", B("sponsor", "multipurpose", "rsa"),
       subj(*(GB_ORG + [("cn", "Alice Liddell")])), ["7.1.4.2.5.name.absent"],
       "7.1.4.2.5 Note 2: multipurpose sponsor without givenName, surname or pseudonym")
    nm("bad-sponsor-strict-street.der", B("sponsor", "strict", "ec"),
       subj(*([("c", "GB"), ("l", "London"), ("street", "1 Example Street"), ("o", ORG), ("organizationIdentifier", ORG_ID)]
              + SP)), ["7.1.4.2.5.attr.prohibited"], "7.1.4.2.5 sponsor strict: streetAddress SHALL NOT")
    nm("bad-sponsor-mp-other.der", B("sponsor", "multipurpose", "rsa"),
       subj(*(GB_ORG + SP + [("uid", "alice")])), ["7.1.4.2.5.attr.other"],
       "7.1.4.2.5 sponsor multipurpose: Other (uid) SHALL NOT")
    nm("ok-sponsor-legacy-other.der", B("sponsor", "legacy", "rsa"),
       subj(*(GB_ORG + SP + [("uid", "alice")])), [], "7.1.4.2.5 valid: sponsor legacy: Other MAY")
    nm("bad-individual-with-org.der", B("individual", "multipurpose", "rsa"),
       subj(*(IND[:1] + [("o", ORG)] + IND[1:])), ["7.1.4.2.6.attr.prohibited"],
       "7.1.4.2.6 individual: organizationName SHALL NOT")
    nm("bad-individual-with-orgid.der", B("individual", "legacy", "rsa"),
       subj(*(IND[:1] + [("organizationIdentifier", ORG_ID)] + IND[1:])), ["7.1.4.2.6.attr.prohibited"],
       "7.1.4.2.6 individual: organizationIdentifier SHALL NOT")
    nm("bad-individual-strict-cn-only.der", B("individual", "strict", "rsa"),
       subj(("c", "GB"), ("cn", "Bob Example")), ["7.1.4.2.6.name.absent"],
       "7.1.4.2.6 Note 2: strict individual without givenName, surname or pseudonym")
    nm("bad-individual-strict-postal.der", B("individual", "strict", "rsa"),
       subj(*(IND[:1] + [("l", "London"), ("postalCode", "SW1A 1AA")] + IND[1:])), ["7.1.4.2.6.attr.prohibited"],
       "7.1.4.2.6 individual strict: postalCode SHALL NOT")
    nm("bad-individual-mp-other.der", B("individual", "multipurpose", "ec"),
       subj(*(IND + [("uid", "bob")])), ["7.1.4.2.6.attr.other"],
       "7.1.4.2.6 individual multipurpose: Other (uid) SHALL NOT")
    # more valid names, to catch rules that refuse too much
    nm("ok-individual-cn-mailbox.der", B("individual", "strict", "rsa"),
       subj(("c", "GB"), ("givenName", "Bob"), ("surname", "Example"), ("cn", "bob@example.com"),
            ("emailAddress", "bob@example.com")), [],
       "7.1.4.2.2(a) valid: individual commonName holding the SAN mailbox")
    nm("ok-individual-unicode-name.der", B("individual", "multipurpose", "rsa"),
       subj(("c", "DE"), ("l", "M\u00fcnchen"), ("givenName", "Jos\u00e9"), ("surname", "M\u00fcller-L\u00fcdenscheidt"),
            ("cn", "Jos\u00e9 M\u00fcller-L\u00fcdenscheidt")), [],
       "7.1.4.2.2(e) valid: a Personal Name with non-ASCII characters in UTF8String")
    nm("ok-cn-printable.der", B("sponsor", "strict", "rsa"),
       subj(*(GB_ORG + [("givenName", "Alice"), ("surname", "Liddell"), ("cn", "Alice Liddell", "printable")])), [],
       "7.1.4, RFC 5280 4.1.2.6 valid: commonName as PrintableString")
    nm("ok-multivalued-rdn.der", B("mailbox", "multipurpose", "rsa"),
       lambda c: setattr(c, "subject", name([("cn", c.mbx), ("emailAddress", c.mbx)])), [],
       "7.1.4.2.3 valid: commonName and emailAddress in one multi-valued RDN")
    nm("ok-mailbox-plus-tag.der", B("mailbox", "strict", "ec"),
       lambda c: c.set_ext("san", seq(rfc822("alice+smime@example.com")), True), [],
       "7.1.4.2.1 valid: a local part with '+' (atext)")
    nm("ok-mailbox-alabel.der", B("mailbox", "strict", "ec"),
       lambda c: c.set_ext("san", seq(rfc822("alice@xn--bcher-kva.com")), True), [],
       "7.1.4.2.1 valid: an A-label domain (b\u00fccher.com) in an rfc822Name")
    nm("ok-smtputf8-alabel.der", B("individual", "strict", "rsa"),
       lambda c: c.set_ext("san", seq(smtputf8("j\u00fcrgen@xn--bcher-kva.com"))), [],
       "7.1.4.2.1 valid: SmtpUTF8Mailbox with a non-ASCII local part and an A-label domain")
    nm("ok-sponsor-title-ou.der", B("sponsor", "multipurpose", "rsa"),
       subj(("c", "GB"), ("o", ORG), ("ou", "Example Widgets Research Ltd"), ("organizationIdentifier", ORG_ID),
            ("givenName", "Alice"), ("surname", "Liddell"), ("title", "Chief Engineer"), ("cn", "Alice Liddell"),
            ("emailAddress", "alice.liddell@example.com")), [],
       "7.1.4.2.5 valid: sponsor with organizationalUnitName, title and emailAddress")
    nm("ok-surname-only.der", B("individual", "strict", "rsa"),
       subj(("surname", "Madonna"), ("cn", "Madonna")), [],
       "7.1.4.2.2(e) valid: a single legal name in surname")
    nm("ok-individual-title-serial.der", B("individual", "strict", "rsa"),
       subj(*(IND + [("title", "Engineer"), ("serialNumber", "PNOGB-1234567890")])), [],
       "7.1.4.2.6 valid: individual with title and a Natural Person Identifier serialNumber")


# ---------------------------------------------------------------------------
# The engine's rule tables
# ---------------------------------------------------------------------------
STR = r'"(?:[^"\\]|\\.)*"'
# { "code", "section", "message" "..." , fn }
ROW = re.compile(r'\{\s*"((?:sbr|sbrguard)\.[^"]+)"\s*,\s*"([^"]*)"\s*,\s*((?:%s\s*)+),\s*([A-Za-z_]\w*)\s*\}' % STR)
# X(fn, "code", "section", "message" "...") inside an X-macro list of rows
XROW = re.compile(r'\bX\(\s*([A-Za-z_]\w*)\s*,\s*"((?:sbr|sbrguard)\.[^"]+)"\s*,\s*"([^"]*)"\s*,\s*((?:%s\s*)+)\)' % STR)


def engine_rules():
    """(code, section, message, function) of every row of policy/pol_rules_*.c."""
    rows = []
    for fn in sorted(os.listdir(POLICY)):
        if re.match(r"pol_rules_\w+\.c$", fn):
            with open(os.path.join(POLICY, fn)) as f:
                src = re.sub(r"/\*.*?\*/", "", f.read(), flags=re.S).replace("\\\n", " ")
            rows += [m.groups() + (fn,) for m in ROW.finditer(src)]
            rows += [(m.group(2), m.group(3), m.group(4), m.group(1), fn) for m in XROW.finditer(src)]
    return rows


def main():
    rules = engine_rules()
    live = {r[0] for r in rules if r[3] != "NULL"}
    pending = {r[0] for r in rules if r[3] == "NULL"}
    if not live:
        sys.exit("gen_smime: no rule rows found in policy/pol_rules_*.c")
    os.makedirs(OUT, exist_ok=True)
    build_cases()
    written, skipped = [], []
    for c in CASES:
        unknown = [code for code in c["codes"] if code not in live]
        if unknown:
            skipped.append((c["file"], unknown))
            continue
        written.append(c)
    # files: one per name (a file may have several rows, with other options)
    blobs = {}
    for c in written:
        if blobs.setdefault(c["file"], c["der"]) != c["der"]:
            sys.exit("gen_smime: two different certificates named %s" % c["file"])
    for stale in os.listdir(OUT):
        if stale.endswith(".der") and stale not in blobs and not stale.startswith("ca"):
            os.remove(os.path.join(OUT, stale))
    for fname, der in blobs.items():
        with open(os.path.join(OUT, fname), "wb") as f:
            f.write(der)
    for fname, der in [("ca.der", make_ca("ca-p256", CA_NAME, CA, SIG_ECDSA_SHA256)),
                       ("ca-p384.der", make_ca("ca-p384", CA384_NAME, CA384, SIG_ECDSA_SHA384)),
                       ("ca-noski.der", make_ca("ca-p256-noski", CA_NAME, CA, SIG_ECDSA_SHA256, with_ski=False))]:
        with open(os.path.join(OUT, fname), "wb") as f:
            f.write(der)
    with open(os.path.join(OUT, "expected.tsv"), "w") as f:
        f.write("# Generated by test/vectors/gen_smime.py; do not edit. Paths are relative to this folder.\n")
        f.write("# file\tverdict\tcodes\toptions\tSBR section: reason\n")
        for c in written:
            f.write("%s\t%s\t%s\t%s\t%s\n" % (c["file"], "refuse" if c["codes"] else "accept",
                                              ",".join(c["codes"]) or "-", c["opts"], c["why"]))
    covered = {code for c in written for code in c["codes"]}
    # Bundle rows need a CA's bundle entry, which lint's corpus options do not
    # give: test_bundle makes each of them fire.
    bundle_rows = {r[0] for r in rules if r[4] == "pol_rules_bundle.c"}
    missing = sorted(live - covered - bundle_rows)
    n_ok = sum(1 for c in written if not c["codes"])
    print("gen_smime: %d files, %d rows (%d accept, %d refuse), %d rules" % (
        len(blobs), len(written), n_ok, len(written) - n_ok, len(live)))
    for fname, unknown in skipped:
        print("gen_smime: warning: %s left out: no rule %s in the engine yet" % (fname, ", ".join(unknown)))
    if pending:
        print("gen_smime: note: rows without a function (evidence rows, or not written yet; not counted): %s" % ", ".join(sorted(pending)))
    if missing:
        print("gen_smime: ERROR: rules without a failing case: %s" % ", ".join(missing), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
