# SPDX-License-Identifier: Apache-2.0
"""Certificates: the TBSCertificate builder, signers, serials, and the test CAs."""
import hashlib

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from .der import bits, boolean, ctx, der_time, integer, octets, seq, t, tlv
from .oids import SIG_ECDSA_SHA256
from .ecdsa import rfc6979_sign
from .keys import key, ski_of, spki_of
from .names import name
from .exts import Ext, eku_value, ku_value


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
