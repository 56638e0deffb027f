# SPDX-License-Identifier: Apache-2.0
"""organizationIdentifier scheme by scheme (SBR 7.1.4.2.2(d), Appendix A.1,
7.1.2.3(l)) and the Mailbox Addresses of every subject / directoryName
attribute (SBR 7.1.4.2.1, 7.1.2.3(h)). Derived from the SBR 1.0.11 text."""

LEI_OK = "529900T8BM49AURSDO55"    # ISO 7064 MOD 97-10 remainder 1
LEI_OTHER = "5493001KJTIIGC8Y1R12"  # another valid LEI


def cases(g):
    B = g.base

    def nm(fname, b, fn, codes, why):
        # codes without "sbr."; those not starting with a section are 7.1.4.2.2's
        g.mut(fname, b, fn, ["sbr." + (x if x.startswith("7.") else "7.1.4.2.2." + x) for x in codes], why)

    def subj(*attrs):
        return lambda c: setattr(c, "subject", g.name(*attrs))

    def org(value, country, typ="organization", kind="utf8"):
        """An organization (or sponsor) subject with the given identifier."""
        attrs = ([("c", country)] if country else []) + [("o", g.ORG), ("organizationIdentifier", value, kind)]
        if typ == "organization":
            attrs += [("cn", g.ORG)]
        else:
            attrs += [("givenName", "Alice"), ("surname", "Liddell"), ("cn", "Alice Liddell")]
        return subj(*attrs)

    D = "7.1.4.2.2(d)"
    # -- 7.1.4.2.2(d): which schemes may carry "+" subdivision ----------------
    for fname, value, country, codes, why in [
        ("bad-orgid-vat-subdivision.der", "VATDE+BY-DE123456789", "DE", ["orgid.subdivision-not-allowed"],
         "VAT: a national tax authority's identifier (A.1) has no subdivision"),
        ("bad-orgid-vat-el-subdivision.der", "VATEL+I-123456789", "GR", ["orgid.subdivision-not-allowed"],
         "VAT with the Article 215 prefix EL and a subdivision of Greece"),
        ("bad-orgid-psd-subdivision.der", "PSDBE+VLG-NBB-1234.567.890", "BE", ["orgid.subdivision-not-allowed"],
         "PSD: a national authorization number (A.1) has no subdivision"),
        ("bad-orgid-lei-subdivision.der", "LEIXG+AB-" + LEI_OK, "GB", ["orgid.subdivision-not-allowed"],
         "LEI: the global ISO 17442 code with XG has no subdivision"),
        ("bad-orgid-int-subdivision.der", "INTXG+AB", None, ["orgid.subdivision-not-allowed"],
         "INT: Note 2 gives 'INT' followed by 'XG' only"),
        ("bad-orgid-gov-subdivision-unknown.der", "GOVUS+ZZ", "US", ["orgid.subdivision"],
         "GOV: Note 2 allows '+' and an ISO 3166-2 identifier; ZZ is no subdivision of US"),
        ("bad-orgid-ntr-subdivision-lowercase.der", "NTRUS+ca-12345678", "US", ["orgid.syntax"],
         "NTR: an ISO 3166-2 identifier is uppercase alphanumerics"),
        ("bad-orgid-ntr-subdivision-four.der", "NTRUS+CALI-12345678", "US", ["orgid.syntax"],
         "NTR: 'up-to-3 character ISO 3166-2 identifier'"),
    ]:
        nm(fname, B("organization", "strict", "rsa"), org(value, country), codes,
           "%s, Appendix A.1 organizationIdentifier %r: %s" % (D, value, why))
    for fname, value, country, why in [
        ("ok-orgid-ntr-gb-subdivision.der", "NTRGB+ENG-12345678", "GB", "NTR at the level of England (a state trade register)"),
        ("ok-orgid-gov-de-subdivision.der", "GOVDE+BY", "DE", "a Government Entity of Bavaria (Note 2)"),
        ("ok-orgid-gov-no-subdivision.der", "GOVGB", "GB", "a national Government Entity (Note 2)"),
        ("ok-orgid-vat-no-subdivision.der", "VATDE-DE123456789", "DE", "VAT at the national level"),
        ("ok-orgid-psd-no-subdivision.der", "PSDBE-NBB-1234.567.890", None, "PSD without a countryName"),
    ]:
        nm(fname, B("organization", "strict", "rsa"), org(value, country), [],
           "%s valid: organizationIdentifier %r, %s" % (D, value, why))
    nm("bad-orgid-sponsor-vat-subdivision.der", B("sponsor", "strict", "rsa"), org("VATFR+IDF-12345678901", "FR", "sponsor"),
       ["orgid.subdivision-not-allowed"], D + " sponsor-validated: the same scheme rules (VAT with a subdivision)")
    nm("ok-orgid-sponsor-ntr-subdivision.der", B("sponsor", "multipurpose", "rsa"),
       org("NTRUS+NY-98765", "US", "sponsor"), [], D + " valid: sponsor-validated with an NTR state-level identifier")

    # -- country rules per scheme ------------------------------------------------
    for fname, value, country, codes, why in [
        ("bad-orgid-vat-el-country-el.der", "VATEL-123456789", "EL", ["country.code", "orgid.country-mismatch"],
         "Note 1: with the prefix EL, countryName SHALL be the ISO 3166-1 code GR (EL is none)"),
        ("bad-orgid-vat-el-country-cy.der", "VATEL-123456789", "CY", ["orgid.country-mismatch"],
         "Note 1: EL stands for Greece, countryName CY"),
        ("bad-orgid-ntr-el.der", "NTREL-123456", None, ["orgid.country"],
         "the Article 215 prefix EL is for the VAT scheme only (NTR takes ISO 3166-1 GR)"),
        ("bad-orgid-vat-xi-country-xi.der", "VATXI-123456789", "XI", ["country.code", "orgid.country-mismatch"],
         "Note 1: with the prefix XI, countryName SHALL be GB (XI is no ISO 3166-1 code)"),
        ("bad-orgid-vat-xi-country-ie.der", "VATXI-123456789", "IE", ["orgid.country-mismatch"],
         "Note 1: XI stands for Northern Ireland (GB), countryName IE"),
        ("bad-orgid-ntr-xi.der", "NTRXI-NI123456", "GB", ["orgid.country", "orgid.country-mismatch"],
         "XI is an Article 215 VAT prefix, not an ISO 3166-1 code for NTR"),
        ("bad-orgid-int-country.der", "INTCH", "CH", ["orgid.country"],
         "Note 2: 'INT' followed by the ISO 3166-1 code 'XG', not a nation"),
        ("bad-orgid-int-reference.der", "INTXG-12345", None, ["orgid.syntax"],
         "Note 2: INTXG carries no Registration Reference"),
        ("bad-orgid-gov-xg.der", "GOVXG", None, ["orgid.country"],
         "Note 2: GOV takes the country 'in which the Government Entity is located'"),
        ("bad-orgid-gov-reference.der", "GOVUS-12345", "US", ["orgid.syntax"],
         "Note 2: GOV and the country (and subdivision) only"),
        ("bad-orgid-lei-lowercase.der", "LEIXG-" + LEI_OK.lower(), None, ["orgid.lei"],
         "ISO 17442: the LEI is uppercase alphanumerics"),
        ("bad-orgid-lei-short.der", "LEIXG-" + LEI_OK[:19], None, ["orgid.lei"],
         "ISO 17442 / 7.1.2.3(l): 20 characters"),
        ("bad-orgid-lei-check-swap.der", "LEIXG-" + LEI_OK[:16] + LEI_OK[17] + LEI_OK[16] + LEI_OK[18:], None,
         ["orgid.lei"], "ISO 7064 MOD 97-10: two characters swapped"),
        ("bad-orgid-psd-lowercase-nca.der", "PSDBE-nbb-1234", "BE", ["orgid.psd"],
         "A.1 PSD: ETSI TS 119 495 5.2.1 NCA identifier of A-Z"),
    ]:
        nm(fname, B("organization", "strict", "rsa"), org(value, country), codes,
           "%s organizationIdentifier %r: %s" % (D, value, why))
    for fname, value, country, why in [
        ("ok-orgid-vat-gr.der", "VATGR-123456789", "GR", "VAT may use the ISO code GR as well as EL"),
        ("ok-orgid-vat-xi.der", "VATXI-123456789", "GB", "VAT with the Article 215 prefix XI (Northern Ireland), countryName GB"),
        ("ok-orgid-vat-xi-no-country.der", "VATXI-123456789", None, "VAT XI without a countryName"),
        ("ok-orgid-int-with-country.der", "INTXG", "CH", "INT is excepted from the countryName match (Note 1)"),
        ("ok-orgid-lei-country-fr.der", "LEIXG-" + LEI_OTHER, "FR", "LEI with XG is excepted from the countryName match"),
        ("ok-orgid-ntr-xx.der", "NTRXX-12345", "XX", "XX where the nation has no ISO 3166-1 code (7.1.4.2.2(n))"),
    ]:
        nm(fname, B("organization", "strict", "rsa"), org(value, country), [],
           "%s valid: organizationIdentifier %r, %s" % (D, value, why))

    # -- the identifier repeated: a directoryName, the LEI extension -------------
    def dirname_with(value, country):
        return lambda c: c.set_ext("san", g.seq(g.rfc822(c.mbx), g.ctx(4, g.name(
            ("c", country), ("o", g.ORG), ("organizationIdentifier", value), ("cn", g.ORG)))))
    nm("bad-dirname-orgid-vat-subdivision.der", B("organization", "multipurpose", "rsa"),
       dirname_with("VATDE+BY-DE123456789", "DE"), ["7.1.4.2.1.dirname.content"],
       "7.1.4.2.1, 7.1.4.2.2(d): a directoryName's organizationIdentifier follows the same scheme rules")
    nm("bad-dirname-orgid-xi-mismatch.der", B("organization", "multipurpose", "rsa"),
       dirname_with("VATXI-123456789", "IE"), ["7.1.4.2.1.dirname.content"],
       "7.1.4.2.1, 7.1.4.2.2(d) Note 1 in a directoryName: XI with countryName IE")
    nm("ok-dirname-orgid-gov-subdivision.der", B("organization", "multipurpose", "rsa"),
       dirname_with("GOVUS+CA", "US"), [], "7.1.4.2.1 valid: a directoryName with GOVUS+CA")

    def lei_org(orgid_lei, ext_lei, typ="organization"):
        def fn(c):
            org("LEIXG-" + orgid_lei, "GB", typ)(c)
            c.set_ext("lei", g.printable(ext_lei))
        return fn
    nm("bad-lei-ext-orgid-mismatch.der", B("organization", "strict", "rsa"), lei_org(LEI_OK, LEI_OTHER),
       ["7.1.2.3.lei.orgid-mismatch"],
       "7.1.2.3(l), A.1: the LEI extension and the LEI organizationIdentifier name two entities")
    nm("ok-lei-ext-orgid-same.der", B("organization", "strict", "rsa"), lei_org(LEI_OK, LEI_OK), [],
       "7.1.2.3(l), A.1 valid: the LEI extension repeats the organizationIdentifier's LEI")
    nm("ok-lei-ext-orgid-ntr.der", B("organization", "multipurpose", "rsa"),
       lambda c: c.set_ext("lei", g.printable(LEI_OTHER)), [],
       "7.1.2.3(l) valid: an LEI extension next to an NTR organizationIdentifier (nothing to match)")

    # -- 7.1.4.2.1: Mailbox Addresses in any attribute ---------------------------
    M = "7.1.4.2.1, 7.1.2.3(h)"
    IND = [("c", "GB"), ("givenName", "Bob")]
    SP = [("c", "GB"), ("o", g.ORG), ("organizationIdentifier", g.ORG_ID)]

    def with_san(*mailboxes, smtputf8=()):
        return lambda c: c.set_ext("san", g.seq(*([g.rfc822(m) for m in mailboxes] + [g.smtputf8(m) for m in smtputf8])))

    def both(*fns):
        return lambda c: [f(c) for f in fns]

    for fname, b, attrs, san, codes, why in [
        ("bad-mbox-in-surname.der", ("individual", "strict", "rsa"),
         IND + [("surname", "Example <bob.other@example.com>"), ("cn", "Bob Example")], ["bob@example.com"],
         ["subject-mailbox.not-in-san"], "a surname holding an address in angle brackets"),
        ("ok-mbox-in-surname-repeated.der", ("individual", "strict", "rsa"),
         IND + [("surname", "Example <bob.other@example.com>"), ("cn", "Bob Example")],
         ["bob@example.com", "bob.other@example.com"], [], "the surname's address is repeated in the SAN"),
        ("bad-mbox-surname-whole.der", ("individual", "multipurpose", "rsa"),
         IND + [("surname", "bob.other@example.com"), ("cn", "Bob Example")], ["bob@example.com"],
         ["subject-mailbox.not-in-san"], "a surname that is one Mailbox"),
        ("bad-mbox-in-pseudonym.der", ("individual", "strict", "ec"),
         [("pseudonym", "Dormouse (dormouse@example.org)"), ("cn", "Dormouse (dormouse@example.org)")],
         ["bob@example.com"], ["subject-mailbox.not-in-san"],
         "a pseudonym (and the commonName that repeats it, 7.1.4.2.2(a)) holding an address"),
        ("ok-mbox-in-pseudonym-repeated.der", ("individual", "strict", "ec"),
         [("pseudonym", "Dormouse dormouse@example.org"), ("cn", "Dormouse dormouse@example.org")],
         ["dormouse@example.org"], [], "a pseudonym whose address is in the SAN (the commonName is the pseudonym)"),
        ("bad-mbox-in-o.der", ("organization", "strict", "rsa"),
         [("c", "GB"), ("o", "Example Widgets Ltd, info@other.example.com"), ("organizationIdentifier", g.ORG_ID),
          ("cn", "info@example.com")], ["info@example.com"], ["subject-mailbox.not-in-san"],
         "an organizationName with an address after a comma"),
        ("bad-mbox-in-ou.der", ("organization", "multipurpose", "rsa"),
         [("c", "GB"), ("o", g.ORG), ("ou", "Sales: sales@example.com"), ("organizationIdentifier", g.ORG_ID),
          ("cn", g.ORG)], ["info@example.com"], ["subject-mailbox.not-in-san"],
         "an organizationalUnitName with an address after a colon"),
        ("ok-mbox-in-ou-repeated.der", ("organization", "multipurpose", "rsa"),
         [("c", "GB"), ("o", g.ORG), ("ou", "Sales: sales@example.com"), ("organizationIdentifier", g.ORG_ID),
          ("cn", g.ORG)], ["info@example.com", "sales@example.com"], [], "the organizationalUnitName's address is in the SAN"),
        ("bad-mbox-in-title.der", ("sponsor", "strict", "rsa"),
         SP + [("givenName", "Alice"), ("surname", "Liddell"), ("title", "Postmaster (postmaster@example.com)"),
               ("cn", "Alice Liddell")], ["alice.liddell@example.com"], ["subject-mailbox.not-in-san"],
         "a title holding an address in parentheses"),
        ("ok-mbox-in-title-repeated.der", ("sponsor", "strict", "rsa"),
         SP + [("givenName", "Alice"), ("surname", "Liddell"), ("title", "Postmaster (postmaster@example.com)"),
               ("cn", "Alice Liddell")], ["alice.liddell@example.com", "postmaster@example.com"], [],
         "the title's address is in the SAN"),
        ("bad-mbox-in-locality.der", ("individual", "strict", "rsa"),
         [("c", "GB"), ("l", "mailto:town@example.net"), ("givenName", "Bob"), ("surname", "Example"),
          ("cn", "Bob Example")], ["bob@example.com"], ["subject-mailbox.not-in-san"],
         "a localityName with a mailto: address"),
        ("bad-mbox-in-other-attr.der", ("organization", "legacy", "rsa"),
         SP + [("businessCategory", "contact: ops@example.com"), ("cn", g.ORG)], ["info@example.com"],
         ["subject-mailbox.not-in-san"], "an attribute outside the tables (Other, legacy MAY) holding an address"),
        ("ok-mbox-domain-case.der", ("individual", "strict", "rsa"),
         IND + [("surname", "Example <bob@EXAMPLE.COM>"), ("cn", "Bob Example")], ["bob@example.com"], [],
         "the domain compared ignoring case (RFC 5321 2.4)"),
        ("bad-mbox-local-case.der", ("individual", "strict", "rsa"),
         IND + [("surname", "Example <Bob@example.com>"), ("cn", "Bob Example")], ["bob@example.com"],
         ["subject-mailbox.not-in-san"], "the local part compared exactly (RFC 5321 2.4: case-sensitive)"),
        ("ok-mbox-full-stop.der", ("individual", "strict", "rsa"),
         IND + [("surname", "Example, write to bob@example.com."), ("cn", "Bob Example")], ["bob@example.com"], [],
         "the full stop after the address is not part of its domain"),
        ("ok-mbox-at-not-address.der", ("sponsor", "strict", "rsa"),
         SP + [("givenName", "Alice"), ("surname", "Liddell"), ("title", "Engineer @ R&D@Home"), ("cn", "Alice Liddell")],
         ["alice.liddell@example.com"], [], "an '@' that is no address: no local part, or a domain without a dot"),
        ("bad-mbox-ulabel-domain.der", ("individual", "strict", "rsa"),
         IND + [("surname", "M\u00fcller <bob@b\u00fccher.com>"), ("cn", "Bob Example")],
         ["bob@example.com", "bob@xn--bcher-kva.com"], ["subject-mailbox.not-in-san"],
         "an address with a U-label domain (RFC 6532): the SAN carries A-labels, so it is not repeated as written"),
        ("ok-mbox-utf8-local-repeated.der", ("individual", "strict", "rsa"),
         IND + [("surname", "M\u00fcller \u00abj\u00fcrgen@example.com\u00bb"), ("cn", "Bob Example")],
         ["bob@example.com"], [], "an RFC 6531 address in guillemets, repeated as SmtpUTF8Mailbox"),
    ]:
        smtp = ["j\u00fcrgen@example.com"] if fname == "ok-mbox-utf8-local-repeated.der" else []
        nm(fname, B(*b), both(subj(*attrs), with_san(*san, smtputf8=smtp)),
           [x if x.startswith("7.") else "7.1.4.2.1." + x for x in codes], "%s: %s" % (M, why))

    # -- in a directoryName of the SAN --------------------------------------------
    def dn(*attrs, extra=()):
        return lambda c: c.set_ext("san", g.seq(*([g.rfc822(c.mbx)] + [g.rfc822(m) for m in extra] +
                                                 [g.ctx(4, g.name(*attrs))])))
    DIR = [("c", "GB"), ("givenName", "Bob")]
    nm("bad-dirname-mbox-in-surname.der", B("individual", "strict", "rsa"),
       dn(*(DIR + [("surname", "Example <bob.home@example.com>"), ("cn", "Bob Example")])),
       ["7.1.4.2.1.dirname-mailbox.not-in-san"], M + ": a directoryName's surname holding an address")
    nm("ok-dirname-mbox-in-surname-repeated.der", B("individual", "strict", "rsa"),
       dn(*(DIR + [("surname", "Example <bob.home@example.com>"), ("cn", "Bob Example")]), extra=["bob.home@example.com"]),
       [], M + " valid: a directoryName's surname address repeated as rfc822Name")
    nm("bad-dirname-mbox-in-title.der", B("sponsor", "strict", "rsa"),
       dn(*(SP + [("givenName", "Alice"), ("surname", "Liddell"), ("title", "Postmaster postmaster@example.com"),
                  ("cn", "Alice Liddell")])),
       ["7.1.4.2.1.dirname-mailbox.not-in-san"], M + ": a directoryName's title holding an address")
