# SPDX-License-Identifier: Apache-2.0
"""TBSCertificate fields: profile (7.1.6.1), version and unique identifiers, serial, validity (6.3.2),
keys (7.1.3.1), signature algorithm (7.1.3.2); CA binding (--ca) and the clock (--at)."""
import datetime
import hashlib

from .der import NULL, bits, int_content, integer, oid, seq, t, tlv
from .oids import (
    ALG_MLDSA44, ALG_P256, ALG_RSA, OID, PROFILE_TYPES, SIG_ECDSA_SHA384, SIG_RSA_SHA256, policy_oid,
)
from .ecdsa import CURVES, on_curve
from .keys import key, mldsa44_key, rsa_spki, spki_key_bits
from .exts import aki_value, cp_value, ku_value
from .certs import CA_NAME_PRINTABLE, CA_SKI
from .profiles import CURRENT_NA, CURRENT_NB, base, subscriber_spki
from .cases import CA_OPT, at, case, issue, mut


def tbs_cases():
    B = base  # shorthand

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


def binding_cases():
    B = base  # shorthand

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
