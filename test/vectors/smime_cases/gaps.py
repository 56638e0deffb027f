# SPDX-License-Identifier: Apache-2.0
"""Requirements found unchecked in a review of SBR 1.0.11 against the rule
table (issue 11): EdDSA points (6.1.5), the RFC 5280 / RFC 6818 rules that
7.1.2 and 7.1.2.4 make binding (critical subjectAltName for an empty
subject, no empty GeneralName, no IA5String explicitText, only the policy
qualifiers and access methods 7.1.2.3 names, no cRLIssuer), DER SET OF
order in multi-valued RDNs, and HTTP URLs with a host.
Each refused vector comes with an accepted one next to the line it crosses.
Written from the SBR, RFC 5280, RFC 6818, RFC 8032 and RFC 9110 texts."""
import hashlib

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed448, ed25519

# RFC 8032 5.1, 5.2: the two Edwards curves, x^2 = (y^2 - 1) / (d y^2 - a).
P25519 = 2 ** 255 - 19
D25519 = -121665 * pow(121666, -1, P25519) % P25519
P448 = 2 ** 448 - 2 ** 224 - 1
D448 = -39081 % P448


def on_curve(y, curve):
    """RFC 8032 5.1.3 / 5.2.3 decoding of y (already below p), x's sign aside:
    True if some x satisfies the curve equation."""
    p, d, a = (P25519, D25519, -1) if curve == 25519 else (P448, D448, 1)
    u, v = (y * y - 1) % p, (d * y * y - a) % p
    return u == 0 or pow(u * pow(v, -1, p) % p, (p - 1) // 2, p) == 1


def enc(y, sign, nbytes):
    return (y | sign << (8 * nbytes - 1)).to_bytes(nbytes, "little")


def raw_pub(k):
    return k.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def cases(g):
    B = g.base
    ALG_ED448 = g.seq(g.oid("1.3.101.113"))

    def bad(fname, b, fn, codes, why, opts="-"):
        g.mut("bad-" + fname + ".der", b, fn, ["sbr." + c for c in codes], why, opts)

    def ok(fname, b, fn, why, opts="-"):
        g.mut("ok-" + fname + ".der", b, fn, [], why, opts)

    # -- 6.1.5 EdDSA: "the key represents a valid point on the curve25519 or
    # curve 448 elliptic curve" -------------------------------------------------
    def ed_key(alg, point):
        def f(c):
            c.spki = g.seq(alg, g.bits(point))
            c.set_ext("ku", g.ku_value("digitalSignature"), True)  # 7.1.2.3(e) for id-Ed25519 / id-Ed448
            c.set_ext("ski", g.octets(g.ski_of(c.spki)))
        return f

    ED = lambda: B("mailbox", "strict", "ec")
    E = "6.1.5.eddsa.point"
    ok("eddsa-ed25519", ED(), ed_key(g.ALG_ED25519, g.spki_key_bits(g.subscriber_spki("ed25519"))),
       "6.1.5, 7.1.3.1.3: an Ed25519 public key made by an Ed25519 implementation")
    # A real key whose x is odd: the sign bit set (RFC 8032 5.1.2).
    n = 0
    while True:
        k = raw_pub(ed25519.Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"ed25519-odd-x/%d" % n).digest()))
        if k[31] & 0x80:
            break
        n += 1
    ok("eddsa-ed25519-odd-x", ED(), ed_key(g.ALG_ED25519, k),
       "6.1.5: an Ed25519 key whose x is odd (top bit of the encoding set, RFC 8032 5.1.2)")
    k448 = raw_pub(ed448.Ed448PrivateKey.from_private_bytes(hashlib.shake_256(b"ed448-key").digest(57)))
    ok("eddsa-ed448", ED(), ed_key(ALG_ED448, k448), "6.1.5, 7.1.3.1.3: an Ed448 public key of an Ed448 implementation")
    for curve, alg, nb, p in ((25519, g.ALG_ED25519, 32, P25519), (448, ALG_ED448, 57, P448)):
        y = 2
        while on_curve(y, curve):
            y += 1
        v = "d y^2 + 1" if curve == 25519 else "d y^2 - 1"
        bad("eddsa-ed%d-off-curve" % curve, ED(), ed_key(alg, enc(y, 0, nb)), [E],
            "6.1.5: y = %d has no x on edwards%d: (y^2 - 1)/(%s) is not a square mod p (RFC 8032 decoding, step 3)"
            % (y, curve, v))
        bad("eddsa-ed%d-y-not-reduced" % curve, ED(), ed_key(alg, enc(p + 1, 0, nb)), [E],
            "6.1.5: y = p + 1 (the neutral point's y plus p): RFC 8032 decoding fails when y >= p")
        bad("eddsa-ed%d-x-zero-odd" % curve, ED(), ed_key(alg, enc(1, 1, nb)), [E],
            "6.1.5: y = 1 gives x = 0, and the encoding says x is odd: RFC 8032 decoding fails (step 4)")
    ok("eddsa-ed25519-neutral-even", ED(), ed_key(g.ALG_ED25519, enc(1, 0, 32)),
       "6.1.5: y = 1, x = 0 (sign bit clear) is a point of edwards25519; the curve rule does not judge its order")

    # -- 7.1.2.3(h), RFC 5280 4.2.1.6: an empty subject needs a critical SAN ------
    bad("san-not-critical-empty-subject", B("mailbox", "strict", "ec"),
        lambda c: c.set_ext("san", c.ext("san").value, False), ["7.1.2.3.san.not-critical"],
        "7.1.2.3(h), 7.1.2.4 RFC 5280 4.2.1.6: the subject is an empty sequence and the subjectAltName is not critical")
    ok("san-critical-empty-subject-mp", B("mailbox", "multipurpose", "ec"),
       lambda c: (setattr(c, "subject", g.seq()), c.set_ext("san", c.ext("san").value, True)),
       "7.1.2.3(h), RFC 5280 4.2.1.6: a multipurpose mailbox certificate with an empty subject and a critical SAN")
    ok("san-not-critical-subject", B("mailbox", "strict", "rsa"), lambda c: c.set_ext("san", c.ext("san").value, False),
       "7.1.2.3(h): a subject that is not empty; the SAN is not critical, as (h) recommends")

    # -- 7.1.4.2.1, RFC 5280 4.2.1.6: no empty GeneralName -------------------------
    MP = lambda: B("mailbox", "multipurpose", "rsa")
    bad("san-dirname-empty", MP(), lambda c: c.set_ext("san", g.seq(g.rfc822(c.mbx), g.ctx(4, g.seq()))),
        ["7.1.4.2.1.dirname.empty"],
        "7.1.4.2.1, 7.1.2.4 RFC 5280 4.2.1.6: a directoryName that is an empty Name (an empty GeneralName field)")
    ok("san-dirname-serial", MP(),
       lambda c: c.set_ext("san", g.seq(g.rfc822(c.mbx), g.ctx(4, g.name(("serialNumber", "RA-0001"))))),
       "7.1.4.2.1: a directoryName holding serialNumber, which 7.1.4.2.3 allows a mailbox-validated Name")

    # -- 7.1.2.3(a), RFC 6818 3: explicitText is never an IA5String ----------------
    def notice(text_tlv):
        return lambda c: c.set_ext("cp", g.cp_value((g.policy_oid(c.typ, c.gen), [
            g.cps("http://pki.example.com/cps"), g.seq(g.oid(g.OID["qt_unotice"]), g.seq(text_tlv))])))
    S = lambda: B("mailbox", "strict", "rsa")
    bad("cp-explicit-text-ia5", S(), notice(g.ia5("No reliance on this certificate")), ["7.1.2.3.cp.explicit-text-ia5"],
        "7.1.2.3(a), 7.1.2 RFC 6818 3: \"Conforming CAs MUST NOT encode explicitText as IA5String\"")
    ok("cp-explicit-text-visible", S(), notice(g.tlv(0x1A, b"No reliance on this certificate")),
       "7.1.2.3(a), RFC 6818 3: VisibleString explicitText (\"acceptable but less preferred\")")
    ok("cp-explicit-text-bmp", S(), notice(g.tlv(0x1E, "No reliance on this certificate".encode("utf-16-be"))),
       "7.1.2.3(a), RFC 6818 3: BMPString explicitText")

    # -- 7.1.2.3(a), RFC 5280 4.2.1.4: only the two qualifiers --------------------
    def quals(*q):
        return lambda c: c.set_ext("cp", g.cp_value((g.policy_oid(c.typ, c.gen), list(q))))
    QU = "7.1.2.3.cp.qualifier-unknown"
    bad("cp-qualifier-private", S(), quals(g.seq(g.oid("2.999.7.1"), g.utf8("see the CPS"))), [QU],
        "7.1.2.3(a), 7.1.2.4: a qualifier 2.999.7.1; RFC 5280 4.2.1.4 PolicyQualifierId is id-qt-cps or id-qt-unotice")
    bad("cp-qualifier-id-qt-3", S(), quals(g.cps("http://pki.example.com/cps"),
                                           g.seq(g.oid("1.3.6.1.5.5.7.2.3"), g.ia5("http://pki.example.com/notice"))),
        [QU], "7.1.2.3(a), 7.1.2.4: next to a CPS qualifier, a qualifier 1.3.6.1.5.5.7.2.3 that RFC 5280 does not define")
    ok("cp-qualifiers-both", S(), quals(g.cps("https://pki.example.com/cps"), g.unotice("No reliance")),
       "7.1.2.3(a): an id-qt-cps and an id-qt-unotice qualifier, the two RFC 5280 4.2.1.4 defines")

    # -- 7.1.2.3(c): only id-ad-ocsp and id-ad-caIssuers ----------------------------
    def aia(*pairs):
        return lambda c: c.set_ext("aia", g.seq(*[g.seq(g.oid(m), g.uri(u)) for m, u in pairs]))
    OCSP, CAI = g.OID["ad_ocsp"], g.OID["ad_ca_issuers"]
    AM = "7.1.2.3.aia.access-method"
    bad("aia-ca-repository", S(), aia((CAI, "http://pki.example.com/ca.der"), ("1.3.6.1.5.5.7.48.5", "http://pki.example.com/")),
        [AM], "7.1.2.3(c), 7.1.2.4: id-ad-caRepository (an SIA method, RFC 5280 4.2.2.2) in the AIA")
    bad("aia-time-stamping", B("mailbox", "legacy", "rsa"), aia((OCSP, "http://ocsp.example.com"),
                                                                 ("1.3.6.1.5.5.7.48.3", "http://tsa.example.com/")),
        [AM], "7.1.2.3(c), 7.1.2.4: id-ad-timeStamping in a legacy certificate's AIA")
    ok("aia-ocsp-only-rsa", S(), aia((OCSP, "http://ocsp.example.com")),
       "7.1.2.3(c): an AIA with id-ad-ocsp alone (id-ad-caIssuers is a SHOULD)")

    # -- 7.1.2.3(b) "the Issuing CA's CRL", RFC 5280 4.2.1.13: no cRLIssuer ----------
    full = g.ctx(0, g.ctx(0, g.uri("http://crl.example.com/smime.crl")))
    dps = lambda *dp: (lambda c: c.set_ext("crldp", g.seq(*[g.seq(*parts) for parts in dp])))
    CI = "7.1.2.3.crldp.crl-issuer"
    bad("crldp-crl-issuer-self", S(), dps([full, g.ctx(2, g.ctx(4, g.CA_NAME))]), [CI],
        "7.1.2.3(b), RFC 5280 4.2.1.13: a cRLIssuer naming the certificate's own issuer, which \"conforming CAs MUST omit\"")
    bad("crldp-crl-issuer-indirect", S(), dps([full], [g.ctx(0, g.ctx(0, g.uri("http://crl.other.example/all.crl"))),
                                                   g.ctx(2, g.ctx(4, g.name(("cn", "Other CRL Issuer"))))]), [CI],
        "7.1.2.3(b), 7.1.2.4: next to the Issuing CA's own, an indirect CRL of another issuer (a cRLIssuer)")
    ok("crldp-two-points", S(), dps([full], [g.ctx(0, g.ctx(0, g.uri("http://crl2.example.com/smime.crl")))]),
       "7.1.2.3(b): two distributionPoints, each an HTTP URI of the Issuing CA's CRL")

    # -- 7.1.2.4: DER (RFC 5280 4.1), a multi-valued RDN is a sorted SET OF -----------
    given, sur = g.seq(g.oid(g.OID["givenName"]), g.utf8("Bob")), g.seq(g.oid(g.OID["surname"]), g.utf8("Example"))
    lo, hi = sorted([given, sur])  # X.690 11.6: by their encodings

    def rdn_subject(rdn):
        cn = g.seq(g.oid(g.OID["cn"]), g.utf8("Bob Example"))
        return lambda c: setattr(c, "subject", g.seq(g.set_of(g.seq(g.oid(g.OID["c"]), g.printable("GB"))), rdn,
                                                     g.set_of(cn)))
    IS = lambda: B("individual", "strict", "rsa")
    bad("rdn-set-unsorted", IS(), rdn_subject(g.tlv(0x31, hi + lo)), ["7.1.2.4.der.malformed"],
        "7.1.2.4, RFC 5280 4.1 DER: a givenName + surname RDN whose SET OF values are not in X.690 11.6 order")
    ok("rdn-set-sorted", IS(), rdn_subject(g.tlv(0x31, lo + hi)),
       "7.1.4.2.6: givenName and surname in one multi-valued RDN, its SET OF in DER order")

    # -- "HTTP URL": an http(s) URI has a host (RFC 9110 4.2.1, 4.2.2) ---------------
    bad("crldp-http-no-host", S(), lambda c: c.set_ext("crldp", g.crldp_value("http:///smime.crl")),
        ["7.1.2.3.crldp.no-http", "7.1.2.3.crldp.scheme"],
        "7.1.2.3(b): http:///smime.crl has an empty host, which RFC 9110 4.2.1 forbids: it is no HTTP URL")
    bad("aia-ocsp-port-no-host", S(), aia((OCSP, "http://:80/")), ["7.1.2.3.aia.ocsp-scheme"],
        "7.1.2.3(c)(1): http://:80/ has a port but no host (RFC 9110 4.2.1)")
    bad("cp-cps-userinfo-no-host", S(), quals(g.cps("https://cps@/")), ["7.1.2.3.cp.cps-uri"],
        "7.1.2.3(a): https://cps@/ has userinfo and an empty host (RFC 9110 4.2.2): not an HTTPS URL")
    ok("crldp-http-port-ipv6", S(), lambda c: c.set_ext("crldp", g.crldp_value("http://crl.example.com:8080/smime.crl",
                                                                                "http://[2001:db8::1]/smime.crl")),
       "7.1.2.3(b): HTTP URLs with a port, and with an IPv6 literal host (RFC 3986 3.2.2)")
