# SPDX-License-Identifier: Apache-2.0
"""Valid certificates: the 24 of the profiles, and more at the edges of what the SBR allows."""
import datetime

from .der import octets, seq, t
from .oids import PROFILE_GENS, PROFILE_TYPES, policy_oid
from .keys import key, mldsa44_spki, mlkem768_spki, rsa_spki, ski_of
from .exts import (
    ADOBE_ARCHIVE_VALUE, ADOBE_TS_VALUE, LEI_VALUE, QC_VALUE, SDA_VALUE, SMIMECAP, aia_value, cp_value,
    crldp_value, eku_value, ku_value, rfc822, smtputf8, unotice,
)
from .profiles import base, subscriber_spki
from .cases import CA_OPT, at, case, issue, mut


def valid_cases():
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
    mldsa = mldsa44_spki("sub-mldsa44")
    ok("ok-mldsa44.der", B("mailbox", "strict", "rsa"),
       lambda c: (setattr(c, "spki", mldsa), c.set_ext("ku", ku_value("digitalSignature"), True),
                  c.set_ext("ski", octets(ski_of(mldsa)))),
       "6.1.5, 7.1.2.3(e) valid: ML-DSA-44 key with digitalSignature")
    mlkem = mlkem768_spki("sub-mlkem768")
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
