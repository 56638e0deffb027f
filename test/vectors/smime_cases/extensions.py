# SPDX-License-Identifier: Apache-2.0
"""Extension values decoded to their whole ASN.1 definitions (SBR 7.1.2.3
(i)-(n), 7.1.2.4): for each fault class a refused and an accepted vector,
written from RFC 3739, ETSI EN 319 412-5, ETSI TS 119 495, RFC 5280,
RFC 8551, ISO 17442-2 and Adobe's extension definitions."""


def cases(g):
    B, seq, oid, tlv, ctx = g.base, g.seq, g.oid, g.tlv, g.ctx
    integer, printable, utf8, ia5, boolean = g.integer, g.printable, g.utf8, g.ia5, g.boolean

    def bad(fname, b, fn, codes, why):
        g.mut("bad-ext-" + fname + ".der", b, fn, ["sbr." + c for c in codes], why)

    def ok(fname, b, fn, why):
        g.mut("ok-ext-" + fname + ".der", b, fn, [], why)

    # -- qcStatements (k) ------------------------------------------------------
    ETSI = "0.4.0.1862.1."
    PSD2 = "0.4.0.19495."

    def st(sid, info=None):
        return seq(oid(sid), info) if info is not None else seq(oid(sid))

    def qc(*statements):
        return lambda c: c.set_ext("qc", seq(*statements))

    def psd2(roles, nca_name="Central Bank", nca_id="BE-NBB"):
        return seq(seq(*[seq(oid(PSD2 + "1." + str(r)), utf8(n)) for r, n in roles]), utf8(nca_name), utf8(nca_id))

    QI = lambda: B("individual", "strict", "rsa")
    full = [st(ETSI + "1"), st(ETSI + "4"), st(ETSI + "6", seq(oid(ETSI + "6.1"))),
            st(ETSI + "3", integer(15)),
            st(ETSI + "2", seq(printable("EUR"), integer(10000), integer(0))),
            st(ETSI + "5", seq(seq(ia5("https://pki.example.com/pds-en.pdf"), printable("en")),
                               seq(ia5("https://pki.example.com/pds-de.pdf"), printable("de")))),
            st("1.3.6.1.5.5.7.11.2", seq(oid("0.4.0.194121.1.1")))]
    ok("qc-full", QI(), qc(*full),
       "7.1.2.3(k) EN 319 412-5 4: QcCompliance, QcSSCD, QcType esign, QcRetentionPeriod, QcLimitValue, "
       "QcPDS (https, ISO 639-1) and RFC 3739 3.2.6.1 SemanticsInformation, each to its definition")
    bad("qc-trailing", QI(), lambda c: c.set_ext("qc", seq(st(ETSI + "1")) + b"\x05\x00"), ["7.1.2.3.qc.malformed"],
        "7.1.2.3(k) RFC 3739 3.2.6: bytes after the QCStatements SEQUENCE")
    bad("qc-not-sequence", QI(), qc(oid(ETSI + "1")), ["7.1.2.3.qc.malformed"],
        "7.1.2.3(k) RFC 3739 3.2.6: a QCStatement that is an OID, not a SEQUENCE { statementId, statementInfo }")
    bad("qc-unknown", QI(), qc(st(ETSI + "1"), st("1.2.3.4.5", integer(1))), ["7.1.2.3.qc.unknown-statement"],
        "7.1.2.3(k): statementId 1.2.3.4.5 is defined neither by RFC 3739 nor by EN 319 412-5")
    bad("qc-compliance-info", QI(), qc(st(ETSI + "1", g.tlv(0x05, b""))), ["7.1.2.3.qc.flag-info"],
        "7.1.2.3(k) EN 319 412-5 4.2.1: QcCompliance has no statementInfo")
    bad("qc-sscd-info", QI(), qc(st(ETSI + "4", boolean(True))), ["7.1.2.3.qc.flag-info"],
        "7.1.2.3(k) EN 319 412-5 4.2.2: QcSSCD has no statementInfo")
    bad("qc-limit-currency", QI(), qc(st(ETSI + "2", seq(printable("EURO"), integer(1), integer(0)))),
        ["7.1.2.3.qc.limit-value"], "7.1.2.3(k) EN 319 412-5 4.3.2: an alphabetic currency is PrintableString (SIZE (3))")
    ok("qc-limit-numeric", QI(), qc(st(ETSI + "2", seq(integer(978), integer(5), integer(3)))),
       "7.1.2.3(k) EN 319 412-5 4.3.2: MonetaryValue with a numeric ISO 4217 currency (1..999)")
    bad("qc-retention-string", QI(), qc(st(ETSI + "3", printable("15"))), ["7.1.2.3.qc.retention"],
        "7.1.2.3(k) EN 319 412-5 4.3.3: QcEuRetentionPeriod is an INTEGER, not a string")
    bad("qc-pds-http", QI(), qc(st(ETSI + "5", seq(seq(ia5("http://pki.example.com/pds.pdf"), printable("en"))))),
        ["7.1.2.3.qc.pds"], "7.1.2.3(k) EN 319 412-5 4.3.4: the PDS URL uses https")
    bad("qc-pds-language", QI(), qc(st(ETSI + "5", seq(seq(ia5("https://pki.example.com/pds.pdf"), printable("EN"))))),
        ["7.1.2.3.qc.pds"], "7.1.2.3(k) EN 319 412-5 4.3.4: language is a lowercase ISO 639-1 code")
    bad("qc-pds-lang-unknown", QI(), qc(st(ETSI + "5", seq(seq(ia5("https://pki.example.com/pds.pdf"), printable("qq"))))),
        ["7.1.2.3.qc.pds"], "7.1.2.3(k) EN 319 412-5 4.3.4: 'qq' is not an ISO 639-1 language code")
    bad("qc-pds-utf8-url", QI(), qc(st(ETSI + "5", seq(seq(utf8("https://pki.example.com/pds.pdf"), printable("en"))))),
        ["7.1.2.3.qc.pds"], "7.1.2.3(k) EN 319 412-5 4.3.4: url is an IA5String, not a UTF8String")
    bad("qc-type-unknown", QI(), qc(st(ETSI + "6", seq(oid(ETSI + "6.9")))), ["7.1.2.3.qc.type"],
        "7.1.2.3(k) EN 319 412-5 4.2.3: QcType values are id-etsi-qct-esign, -eseal or -web")
    bad("qc-type-empty", QI(), qc(st(ETSI + "6", seq())), ["7.1.2.3.qc.type"],
        "7.1.2.3(k) EN 319 412-5 4.2.3: a QcType names at least one type")
    ok("qc-type-eseal-web", B("organization", "strict", "rsa"), qc(st(ETSI + "6", seq(oid(ETSI + "6.2"), oid(ETSI + "6.3")))),
       "7.1.2.3(k) EN 319 412-5 4.2.3: QcType eseal and web")
    bad("qc-legislation-lower", QI(), qc(st(ETSI + "7", seq(printable("ch")))), ["7.1.2.3.qc.cc-legislation"],
        "7.1.2.3(k) EN 319 412-5 4.2.4: CountryName is an ISO 3166 alpha-2 code (uppercase)")
    ok("qc-legislation", QI(), qc(st(ETSI + "7", seq(printable("CH"), printable("GB")))),
       "7.1.2.3(k) EN 319 412-5 4.2.4: QcCClegislation with two ISO 3166 codes")
    ORG = lambda: B("organization", "multipurpose", "rsa")
    ok("qc-psd2", ORG(), qc(st(ETSI + "1"), st(PSD2 + "2", psd2([(2, "PSP_PI"), (3, "PSP_AI")]))),
       "7.1.2.3(k) ETSI TS 119 495 5.1: PSD2QcType with roles PSP_PI and PSP_AI, NCA name and id")
    bad("qc-psd2-role-name", ORG(), qc(st(PSD2 + "2", psd2([(1, "PSP_PI")]))), ["7.1.2.3.qc.psd2"],
        "7.1.2.3(k) ETSI TS 119 495 5.1: roleOfPspName of id-psd2-role-psp-as is PSP_AS")
    bad("qc-psd2-nca-empty", ORG(), qc(st(PSD2 + "2", psd2([(1, "PSP_AS")], nca_id=""))), ["7.1.2.3.qc.psd2"],
        "7.1.2.3(k) ETSI TS 119 495 5.1: NCAId is UTF8String (SIZE (1..256))")
    bad("qc-psd2-printable", ORG(),
        qc(st(PSD2 + "2", seq(seq(seq(oid(PSD2 + "1.1"), printable("PSP_AS"))), utf8("NBB"), utf8("BE-NBB")))),
        ["7.1.2.3.qc.psd2"], "7.1.2.3(k) ETSI TS 119 495 5.1: roleOfPspName is a UTF8String, not a PrintableString")
    bad("qc-semantics-empty", QI(), qc(st("1.3.6.1.5.5.7.11.2", seq())), ["7.1.2.3.qc.semantics"],
        "7.1.2.3(k) RFC 3739 3.2.6.1: SemanticsInformation has a semanticsIdentifier or nameRegistrationAuthorities")
    ok("qc-semantics-nra", QI(),
       qc(st("1.3.6.1.5.5.7.11.2", seq(seq(g.uri("https://registry.example.com/")))), st("1.3.6.1.5.5.7.11.1")),
       "7.1.2.3(k) RFC 3739 3.2.6.1: nameRegistrationAuthorities only, and a v1 statement without statementInfo")

    # -- Adobe extensions (m) --------------------------------------------------
    MP = lambda: B("individual", "multipurpose", "rsa")
    ts = lambda *parts: (lambda c: c.set_ext("adobe_ts", seq(*parts)))
    ok("adobe-ts-auth", MP(), ts(integer(1), g.uri("https://tsa.example.com/"), boolean(True)),
       "7.1.2.3(m) Adobe Timestamp: version 1, an https location and requiresAuth TRUE")
    bad("adobe-ts-version", MP(), ts(integer(2), g.uri("http://tsa.example.com/")), ["7.1.2.3.adobe.ts-malformed"],
        "7.1.2.3(m) Adobe Timestamp: version is v1(1)")
    bad("adobe-ts-trailing", MP(), ts(integer(1), g.uri("http://tsa.example.com/"), g.tlv(0x05, b"")),
        ["7.1.2.3.adobe.ts-malformed"], "7.1.2.3(m) Adobe Timestamp: a NULL after location is no requiresAuth BOOLEAN")
    bad("adobe-ts-rfc822", MP(), ts(integer(1), g.rfc822("tsa@example.com")), ["7.1.2.3.adobe.ts-location"],
        "7.1.2.3(m) Adobe Timestamp: the location is a uniformResourceIdentifier")
    bad("adobe-ts-ldap", MP(), ts(integer(1), g.uri("ldap://tsa.example.com/")), ["7.1.2.3.adobe.ts-location"],
        "7.1.2.3(m) Adobe Timestamp: the location is an http(s) URL")
    bad("adobe-ts-default", MP(), ts(integer(1), g.uri("http://tsa.example.com/"), boolean(False)),
        ["7.1.2.3.adobe.ts-default"], "7.1.2.3(m) X.690 11.5: requiresAuth FALSE is its DEFAULT and not encoded in DER")
    bad("adobe-archive-trailing", MP(), lambda c: c.set_ext("adobe_archive", seq(integer(1), integer(1))),
        ["7.1.2.3.adobe.archive-malformed"], "7.1.2.3(m) ArchiveRevInfo ::= SEQUENCE { version }: nothing after version")
    ok("adobe-archive", MP(), lambda c: c.set_ext("adobe_archive", seq(integer(1))),
       "7.1.2.3(m) ArchiveRevInfo: SEQUENCE { version 1 }")

    # -- subjectDirectoryAttributes (j), legacy only ---------------------------
    PDA = "1.3.6.1.5.5.7.9."
    LG = lambda: B("individual", "legacy", "rsa")
    attr = lambda n, *vals: seq(oid(PDA + str(n)), g.set_of(*vals))
    sda = lambda *attrs: (lambda c: c.set_ext("sda", seq(*attrs)))
    gt = lambda s: g.tlv(0x18, s.encode())
    ok("sda-all", LG(), sda(attr(1, gt("19800704120000Z")), attr(2, utf8("Zürich")), attr(3, printable("F")),
                            attr(4, printable("CH"), printable("GB")), attr(5, printable("DE"))),
       "7.1.2.3(j) RFC 3739 3.2.2: dateOfBirth at noon, placeOfBirth, gender, two citizenships, residence")
    bad("sda-empty-set", LG(), sda(seq(oid(PDA + "4"), g.set_of())), ["7.1.2.3.sda.malformed"],
        "7.1.2.3(j) RFC 5280 4.2.1.8: an Attribute has at least one value")
    bad("sda-unsorted", LG(), sda(seq(oid(PDA + "4"), tlv(0x31, printable("GB") + printable("CH")))), ["7.1.2.3.sda.malformed"],
        "7.1.2.3(j) X.690 11.6: the values of a SET OF are in DER order")
    bad("sda-unknown", LG(), sda(seq(oid("2.5.4.12"), g.set_of(utf8("Dr")))), ["7.1.2.3.sda.unknown-attribute"],
        "7.1.2.3(j): an attribute (title) other than the RFC 3739 3.2.2 ones")
    bad("sda-dob-midnight", LG(), sda(attr(1, gt("19800704000000Z"))), ["7.1.2.3.sda.date-of-birth"],
        "7.1.2.3(j) RFC 3739 3.2.2: dateOfBirth is GeneralizedTime at 12:00:00 GMT")
    bad("sda-dob-utctime", LG(), sda(attr(1, g.tlv(0x17, b"800704120000Z"))), ["7.1.2.3.sda.date-of-birth"],
        "7.1.2.3(j) RFC 3739 3.2.2: dateOfBirth is a GeneralizedTime, not a UTCTime")
    bad("sda-dob-feb30", LG(), sda(attr(1, gt("19800230120000Z"))), ["7.1.2.3.sda.date-of-birth"],
        "7.1.2.3(j) RFC 3739 3.2.2: dateOfBirth 1980-02-30 is no date")
    bad("sda-pob-ia5", LG(), sda(attr(2, ia5("Bern"))), ["7.1.2.3.sda.place-of-birth"],
        "7.1.2.3(j) RFC 3739 3.2.2: placeOfBirth is a DirectoryString, which has no IA5String")
    bad("sda-gender-x", LG(), sda(attr(3, printable("X"))), ["7.1.2.3.sda.gender"],
        "7.1.2.3(j) RFC 3739 3.2.2: gender is M, F, m or f")
    bad("sda-gender-utf8", LG(), sda(attr(3, utf8("M"))), ["7.1.2.3.sda.gender"],
        "7.1.2.3(j) RFC 3739 3.2.2: gender is a PrintableString")
    bad("sda-country-unknown", LG(), sda(attr(5, printable("QQ"))), ["7.1.2.3.sda.country"],
        "7.1.2.3(j) RFC 3739 3.2.2: countryOfResidence QQ is not ISO 3166")
    bad("sda-country-long", LG(), sda(attr(4, printable("CHE"))), ["7.1.2.3.sda.country"],
        "7.1.2.3(j) RFC 3739 3.2.2: countryOfCitizenship is PrintableString (SIZE (2))")

    # -- smimeCapabilities (i) -------------------------------------------------
    MS = lambda: B("mailbox", "strict", "rsa")
    ok("smimecap-params", MS(), lambda c: c.set_ext("smimecap", seq(
        seq(oid("2.16.840.1.101.3.4.1.42")), seq(oid("1.2.840.113549.3.2"), integer(128)),
        seq(oid("1.2.840.113549.1.1.7"), seq()))),
       "7.1.2.3(i) RFC 8551 2.5.2: capabilities with and without parameters (INTEGER, empty SEQUENCE)")
    bad("smimecap-trailing", MS(), lambda c: c.set_ext("smimecap", seq(seq(oid("2.16.840.1.101.3.4.1.42"), integer(1), integer(2)))),
        ["7.1.2.3.smimecap.malformed"], "7.1.2.3(i) RFC 8551 2.5.2: SMIMECapability has one parameters value at most")
    bad("smimecap-bad-int", MS(), lambda c: c.set_ext("smimecap", seq(seq(oid("1.2.840.113549.3.2"), g.tlv(0x02, b"\x00\x01")))),
        ["7.1.2.3.smimecap.malformed"], "7.1.2.3(i) X.690 8.3.2: the parameters INTEGER is not minimal")
    bad("smimecap-empty", MS(), lambda c: c.set_ext("smimecap", seq()), ["7.1.2.3.smimecap.malformed"],
        "7.1.2.3(i) RFC 8551 2.5.2: an empty list announces nothing (refused, docs/policy.md)")

    # -- LEI (l) ---------------------------------------------------------------
    OS = lambda: B("organization", "strict", "rsa")
    bad("lei-utf8", OS(), lambda c: c.set_ext("lei", utf8("529900T8BM49AURSDO55")), ["7.1.2.3.lei.syntax"],
        "7.1.2.3(l) ISO 17442-2 4: the LEI is a PrintableString")
    bad("lei-short", OS(), lambda c: c.set_ext("lei", printable("529900T8BM49AURSDO5")), ["7.1.2.3.lei.syntax"],
        "7.1.2.3(l): the LEI is a 20-character code")
    bad("lei-lower", OS(), lambda c: c.set_ext("lei", printable("529900t8bm49aursdo55")), ["7.1.2.3.lei.syntax"],
        "7.1.2.3(l) ISO 17442-1 6: LEI characters are digits and uppercase letters")
    bad("lei-check", OS(), lambda c: c.set_ext("lei", printable("529900T8BM49AURSDO56")), ["7.1.2.3.lei.check-digits"],
        "7.1.2.3(l) ISO 17442-1 6: check digits 56 do not give ISO 7064 MOD 97-10 remainder 1")
    SP = lambda: B("sponsor", "strict", "ec")
    ok("lei-role", SP(), lambda c: c.set_ext("lei_role", printable("Chief Financial Officer")),
       "7.1.2.3(l) sponsor: LEI role, a PrintableString (ISO 17442-2 4)")
    bad("lei-role-utf8", SP(), lambda c: c.set_ext("lei_role", utf8("Directrice générale")), ["7.1.2.3.lei.role-syntax"],
        "7.1.2.3(l) ISO 17442-2 4: the role is a PrintableString")
    bad("lei-role-long", SP(), lambda c: c.set_ext("lei_role", printable("R" * 101)), ["7.1.2.3.lei.role-syntax"],
        "7.1.2.3(l) ISO 17442-2 4: the role has at most 100 characters")

    # -- subjectKeyIdentifier (n) ----------------------------------------------
    bad("ski-empty", MS(), lambda c: c.set_ext("ski", g.octets(b"")), ["7.1.2.3.ski.malformed"],
        "7.1.2.3(n) RFC 5280 4.2.1.2: an empty key identifier identifies nothing")
    ok("ski-4bytes", MS(), lambda c: c.set_ext("ski", g.octets(b"\x01\x02\x03\x04")),
       "7.1.2.3(n) RFC 5280 4.2.1.2: a key identifier of any length (here 4 octets)")

    # -- the decoded extensions' remaining leniency (7.1.2.4: RFC 5280) --------
    MAL = ["7.1.2.4.ext.malformed"]
    # A CRLDP that does not decode has no URI to count: (b) speaks too.
    MALDP = MAL + ["7.1.2.3.crldp.no-http"]
    dp = lambda *parts: (lambda c: c.set_ext("crldp", seq(seq(*parts))))
    full_name = ctx(0, ctx(0, g.uri("http://crl.example.com/smime.crl")))
    bad("crldp-reasons-only", MS(), lambda c: c.set_ext("crldp", seq(seq(full_name), seq(g.tlv(0x81, b"\x07\x80")))),
        MAL, "7.1.2.4 RFC 5280 4.2.1.13: a DistributionPoint of only reasons")
    bad("crldp-trailing", MS(), dp(full_name, g.tlv(0x05, b"")), MALDP,
        "7.1.2.4 RFC 5280 4.2.1.13: a NULL after the distributionPoint")
    bad("crldp-reasons-der", MS(), dp(full_name, g.tlv(0x81, b"\x00\x40\x00")), MALDP,
        "7.1.2.4 X.690 11.2.2: ReasonFlags with trailing zero bits")
    ok("crldp-reasons", MS(), dp(full_name, g.tlv(0x81, b"\x06\x40")),  # a cRLIssuer: smime_cases/gaps.py
       "7.1.2.4 RFC 5280 4.2.1.13: a DistributionPoint with reasons")
    bad("crldp-uri-space", MS(), lambda c: c.set_ext("crldp", g.crldp_value("http://crl.example.com/a b.crl")), MALDP,
        "7.1.2.4 RFC 3986 2: a URI has no space")
    bad("cp-duplicate", MS(), lambda c: c.set_ext("cp", g.cp_value(g.policy_oid("mailbox", "strict"), g.OID["ca_policy"],
                                                                 g.OID["ca_policy"])), MAL,
        "7.1.2.4 RFC 5280 4.2.1.4: a policy OID appears at most once")
    bad("cp-explicit-text-long", MS(),
        lambda c: c.set_ext("cp", g.cp_value((g.policy_oid("mailbox", "strict"), [g.unotice("x" * 201)]))), MAL,
        "7.1.2.4 RFC 5280 4.2.1.4: explicitText is DisplayText (SIZE (1..200))")
    ok("cp-explicit-text-200", MS(),
       lambda c: c.set_ext("cp", g.cp_value((g.policy_oid("mailbox", "strict"), [g.unotice("x" * 200)]))),
       "7.1.2.4 RFC 5280 4.2.1.4: explicitText of exactly 200 characters")
    bad("eku-oid-bad", MS(), lambda c: c.set_ext("eku", seq(oid("1.3.6.1.5.5.7.3.4"), g.tlv(0x06, b"\x2b\x80"))), MAL,
        "7.1.2.4 X.690 8.19.2: an OID whose last subidentifier is unfinished")
