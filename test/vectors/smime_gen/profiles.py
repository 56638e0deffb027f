# SPDX-License-Identifier: Apache-2.0
"""Valid subscriber certificates: the 12 profiles x {RSA-2048, P-256} (SBR 7.1.6.1)."""
from .der import octets, seq, t
from .oids import OID, policy_oid
from .keys import key, ski_of, spki_of
from .names import name
from .exts import (
    Ext, SMIMECAP, aia_value, aki_value, cp_value, cps, crldp_value, eku_value, ku_value, rfc822,
    unotice,
)
from .certs import CA_NAME, CA_SKI, Cert, serial_for

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
