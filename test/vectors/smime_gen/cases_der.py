# SPDX-License-Identifier: Apache-2.0
"""TBSCertificates that are not DER (SBR 7.1.2.4, X.690): refused with sbr.7.1.2.4.der.malformed."""
from .der import boolean, ctx, integer, oid, read_tlv, seq, set_of, tlv, utf8
from .oids import OID, SIG_ECDSA_SHA256
from .certs import CA, certificate
from .profiles import base
from .cases import case, issue, mut


def der_cases():
    B = base  # shorthand

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
