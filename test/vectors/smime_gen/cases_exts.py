# SPDX-License-Identifier: Apache-2.0
"""Extensions (SBR 7.1.2.4 in general, 7.1.2.3 (a) to (n))."""
from .der import NULL, bits, boolean, ctx, integer, oid, seq, tlv
from .oids import OID, policy_oid
from .keys import mldsa44_spki, mlkem768_spki
from .names import name
from .exts import (
    ADOBE_ARCHIVE_VALUE, ADOBE_TS_VALUE, Ext, LEI_VALUE, QC_VALUE, SDA_VALUE, SMIMECAP, aia_value,
    aki_value, cp_value, cps, crldp_value, eku_value, ku_value, unotice,
)
from .certs import CA_NAME, CA_SKI, serial_for
from .profiles import base, subscriber_spki
from .cases import mut


def ext_cases():
    B = base  # shorthand
    mldsa = mldsa44_spki("sub-mldsa44")
    mlkem = mlkem768_spki("sub-mlkem768")

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
        ["sbr.7.1.2.3.crldp.no-http", "sbr.7.1.2.3.crldp.crl-issuer"], "7.1.2.3(b) a DistributionPoint with only a cRLIssuer, no fullName URI")
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
