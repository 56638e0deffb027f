# SPDX-License-Identifier: Apache-2.0
"""Extension values (SBR 7.1.2.3) and GeneralNames."""
from .der import (
    boolean, ctx, int_content, integer, named_bits, octets, oid, printable, seq, set_of, tlv, utf8,
)
from .oids import OID

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
