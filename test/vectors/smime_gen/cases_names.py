# SPDX-License-Identifier: Apache-2.0
"""Name rules (SBR 7.1.4). Codes are written without their "sbr." prefix."""
from .der import ctx, oid, seq, tlv, utf8
from .oids import OID
from .names import name
from .exts import dns, rfc822, smtputf8, uri
from .profiles import ORG, ORG_ID
from .cases import mut


def name_cases(B):
    def nm(fname, b, fn, codes, why, opts="-"):
        mut(fname, b, fn, ["sbr." + x for x in codes], why, opts)

    def subj(*attrs):
        return lambda c: setattr(c, "subject", name(*attrs))

    GB_ORG = [("c", "GB"), ("o", ORG), ("organizationIdentifier", ORG_ID)]
    IND = [("c", "GB"), ("givenName", "Bob"), ("surname", "Example"), ("cn", "Bob Example")]
    SP = [("givenName", "Alice"), ("surname", "Liddell"), ("cn", "Alice Liddell")]

    # -- 7.1.4.2.1 subjectAltName ---------------------------------------------
    nm("bad-san-dirname-only.der", B("individual", "strict", "rsa"),
       lambda c: c.set_ext("san", seq(ctx(4, c.subject))), ["7.1.4.2.1.san.no-mailbox"],
       "7.1.4.2.1 subjectAltName with a directoryName and no rfc822Name or SmtpUTF8Mailbox")
    nm("ok-san-dirname-too.der", B("individual", "strict", "rsa"),
       lambda c: c.set_ext("san", seq(rfc822(c.mbx), ctx(4, c.subject))), [],
       "7.1.4.2.1 valid: a directoryName that complies with 7.1.4.2.6, next to the mailbox")
    nm("bad-san-dirname-content.der", B("mailbox", "strict", "rsa"),
       lambda c: c.set_ext("san", seq(rfc822(c.mbx), ctx(4, name(("o", ORG), ("cn", c.mbx))))),
       ["7.1.4.2.1.dirname.content"], "7.1.4.2.1 a directoryName with organizationName in a mailbox-validated certificate")
    nm("bad-san-dns.der", B("mailbox", "strict", "rsa"),
       lambda c: c.set_ext("san", seq(rfc822(c.mbx), dns("example.com"))), ["7.1.4.2.1.san.name-type"],
       "7.1.4.2.1 a dNSName entry (SHALL NOT include other GeneralName types)")
    nm("bad-san-uri.der", B("mailbox", "legacy", "rsa"),
       lambda c: c.set_ext("san", seq(rfc822(c.mbx), uri("mailto:" + c.mbx))), ["7.1.4.2.1.san.name-type"],
       "7.1.4.2.1 legacy: a uniformResourceIdentifier entry")
    nm("bad-san-ip.der", B("individual", "multipurpose", "ec"),
       lambda c: c.set_ext("san", seq(rfc822(c.mbx), tlv(0x87, bytes([192, 0, 2, 1])))), ["7.1.4.2.1.san.name-type"],
       "7.1.4.2.1 an iPAddress entry")
    upn = ctx(0, oid("1.3.6.1.4.1.311.20.2.3") + ctx(0, utf8("bob@example.com")))
    nm("bad-san-upn-strict.der", B("individual", "strict", "rsa"),
       lambda c: c.set_ext("san", seq(rfc822(c.mbx), upn)), ["7.1.4.2.1.san.name-type"],
       "7.1.4.2.1 strict: an otherName that is not id-on-SmtpUTF8Mailbox")
    nm("ok-san-upn-multipurpose.der", B("individual", "multipurpose", "rsa"),
       lambda c: c.set_ext("san", seq(rfc822(c.mbx), upn)), [],
       "7.1.4.2.1 valid: multipurpose may carry otherName entries of any type")
    nm("bad-cn-mailbox-not-in-san.der", B("sponsor", "strict", "rsa"),
       subj(*(GB_ORG + [("givenName", "Alice"), ("surname", "Liddell"), ("cn", "liddell@example.com")])),
       ["7.1.4.2.1.subject-mailbox.not-in-san", "7.1.4.2.2.cn.mailbox-not-in-san"],
       "7.1.4.2.1, 7.1.4.2.2(a) the commonName mailbox is not repeated in subjectAltName")
    nm("bad-email-not-in-san.der", B("mailbox", "multipurpose", "ec"),
       lambda c: c.set_ext("san", seq(rfc822("alice.other@example.com"))), ["7.1.4.2.1.subject-mailbox.not-in-san"],
       "7.1.4.2.1, 7.1.4.2.2(h) the emailAddress is not repeated in subjectAltName")
    nm("bad-dirname-mailbox-not-in-san.der", B("individual", "strict", "rsa"),
       lambda c: c.set_ext("san", seq(rfc822(c.mbx), ctx(4, name(*(IND + [("emailAddress", "bob.other@example.com")]))))),
       ["7.1.4.2.1.dirname-mailbox.not-in-san"], "7.1.4.2.1 a directoryName mailbox is not repeated as rfc822Name")
    for fname, mbx, why in [
        ("bad-mailbox-no-at.der", "alice.example.com", "no '@'"),
        ("bad-mailbox-two-at.der", "alice@bob@example.com", "two '@'"),
        ("bad-mailbox-padding.der", " alice@example.com", "leading space (no additional padding)"),
        ("bad-mailbox-angle.der", "<alice@example.com>", "angle brackets (no additional structure)"),
        ("bad-mailbox-empty-domain.der", "alice@", "empty domain"),
        ("bad-mailbox-dot-local.der", "alice.@example.com", "local part ends with a dot (RFC 5321 Dot-string)"),
        ("bad-mailbox-long-local.der", "a" * 65 + "@example.com", "local part of 65 octets (RFC 5321 4.5.3.1.1)"),
    ]:
        nm(fname, B("mailbox", "strict", "ec"), lambda c, mbx=mbx: c.set_ext("san", seq(rfc822(mbx)), True),
           ["7.1.4.2.1.rfc822.syntax"], "7.1.4.2.1, 1.6.1 rfc822Name is not an RFC 5321 Mailbox: " + why)
    nm("ok-mailbox-quoted-local.der", B("mailbox", "strict", "ec"),
       lambda c: c.set_ext("san", seq(rfc822('"alice smith"@example.com')), True), [],
       "7.1.4.2.1, 1.6.1 valid: a Quoted-string local part (RFC 5321 4.1.2)")
    nm("bad-rfc822-non-ascii.der", B("mailbox", "strict", "ec"),
       lambda c: c.set_ext("san", seq(tlv(0x81, "j\u00fcrgen@example.com".encode())), True),
       ["7.1.4.2.1.rfc822.non-ascii"], "7.1.4.2.1 rfc822Name (an IA5String) with a UTF-8 local part: RFC 9598 needs SmtpUTF8Mailbox")
    for fname, dom, code, why in [
        ("bad-mailbox-domain-suffix.der", "co.uk", "domain.public-suffix", "co.uk is a public suffix, not a domain of its own"),
        ("bad-mailbox-domain-bare-tld.der", "com", "domain.public-suffix", "a bare top-level domain"),
        ("bad-mailbox-domain-tld.der", "example.notatld", "domain.tld", "notatld is not an ICANN top-level domain"),
    ]:
        nm(fname, B("mailbox", "strict", "ec"), lambda c, dom=dom: c.set_ext("san", seq(rfc822("alice@" + dom)), True),
           ["7.1.4.2.1." + code], "7.1.4.2.1, 3.2.2 the mailbox domain is not a real domain: " + why)
    nm("ok-mailbox-subdomain.der", B("mailbox", "strict", "ec"),
       lambda c: c.set_ext("san", seq(rfc822("alice@mail.example.co.uk")), True), [],
       "7.1.4.2.1 valid: a mailbox at a domain under the public suffix co.uk")
    nm("bad-smtputf8-ascii.der", B("individual", "strict", "rsa"),
       lambda c: c.set_ext("san", seq(smtputf8("bob@example.com"))), ["7.1.4.2.1.smtputf8.ascii-local"],
       "7.1.4.2.1 SmtpUTF8Mailbox with an ASCII local part (RFC 9598 3: rfc822Name MUST be used)")
    nm("bad-smtputf8-ia5.der", B("individual", "strict", "rsa"),
       lambda c: c.set_ext("san", seq(ctx(0, oid(OID["on_smtputf8"]) + ctx(0, tlv(0x16, "j\u00fcrgen@example.com".encode()))))),
       ["7.1.4.2.1.smtputf8.encoding"], "7.1.4.2.1 SmtpUTF8Mailbox value that is not a UTF8String (RFC 9598 3)")
    nm("bad-smtputf8-no-at.der", B("individual", "strict", "rsa"),
       lambda c: c.set_ext("san", seq(smtputf8("j\u00fcrgen.example.com"))), ["7.1.4.2.1.smtputf8.syntax"],
       "7.1.4.2.1 SmtpUTF8Mailbox that is not a Mailbox (no '@')")

    # -- 7.1.4 attribute encodings ---------------------------------------------------
    nm("bad-country-utf8.der", B("individual", "strict", "ec"),
       subj(("c", "GB", "utf8"), ("givenName", "Bob"), ("surname", "Example"), ("cn", "Bob Example")),
       ["7.1.4.attr.string-type"], "7.1.4 countryName SHALL be a PrintableString (RFC 5280 Appendix A)")
    nm("bad-email-utf8.der", B("mailbox", "multipurpose", "rsa"),
       subj(("cn", "alice@example.com"), ("emailAddress", "alice@example.com", "utf8")),
       ["7.1.4.attr.string-type"], "7.1.4 emailAddress SHALL be an IA5String (RFC 5280 Appendix A)")
    nm("bad-given-name-bmp.der", B("individual", "multipurpose", "rsa"),
       subj(("c", "GB"), ("givenName", "Bob", "bmp"), ("surname", "Example"), ("cn", "Bob Example")),
       ["7.1.4.attr.directorystring"], "7.1.4, RFC 5280 4.1.2.6: DirectoryString SHALL be PrintableString or UTF8String (BMPString here)")
    nm("bad-org-printable-charset.der", B("organization", "strict", "rsa"),
       subj(("c", "GB"), ("o", "Smith & Sons Ltd", "printable"), ("organizationIdentifier", ORG_ID)),
       ["7.1.4.attr.value-encoding"], "7.1.4 '&' is not in the PrintableString character set (X.680 41.4)")
    nm("bad-locality-bad-utf8.der", B("individual", "strict", "rsa"),
       subj(("c", "GB"), ("l", b"Lond\xc3\x28n"), ("givenName", "Bob"), ("surname", "Example"), ("cn", "Bob Example")),
       ["7.1.4.attr.value-encoding"], "7.1.4 a UTF8String that is not UTF-8 (RFC 3629)")
    nm("bad-title-empty.der", B("individual", "strict", "rsa"),
       subj(*(IND + [("title", "")])), ["7.1.4.attr.value-encoding"], "7.1.4 an empty title (DirectoryString SIZE (1..MAX))")

    # -- 7.1.4.2.2 subject fields ------------------------------------------------
    nm("bad-cn-org-other-name.der", B("organization", "strict", "rsa"),
       subj(*(GB_ORG + [("cn", "Other Company Ltd")])), ["7.1.4.2.2.cn.organization"],
       "7.1.4.2.2(a) organization: commonName neither the organizationName nor a mailbox")
    nm("bad-cn-mailbox-not-mailbox.der", B("mailbox", "multipurpose", "rsa"),
       subj(("cn", "Alice"), ("emailAddress", "alice@example.com")), ["7.1.4.2.2.cn.mailbox"],
       "7.1.4.2.2(a) mailbox: commonName that is not a Mailbox Address")
    nm("bad-pseudonym-and-names.der", B("sponsor", "multipurpose", "ec"),
       subj(*(GB_ORG + [("givenName", "Alice"), ("pseudonym", "Cheshire Cat"), ("cn", "Cheshire Cat")])),
       ["7.1.4.2.2.pseudonym.with-name"], "7.1.4.2.2(e)(f) pseudonym together with givenName")
    nm("bad-cn-not-pseudonym.der", B("individual", "strict", "ec"),
       subj(("pseudonym", "Dormouse"), ("cn", "Mad Hatter")), ["7.1.4.2.2.cn.pseudonym"],
       "7.1.4.2.2(a) commonName is neither the pseudonym nor a mailbox while a pseudonym is present")
    for fname, oid_value, c_, code, why in [
        ("bad-orgid-no-country.der", "NTR-12345678", "GB", "syntax", "no country code"),
        ("bad-orgid-no-hyphen.der", "NTRGB12345678", "GB", "syntax", "no hyphen-minus before the Registration Reference"),
        ("bad-orgid-scheme.der", "ABCGB-12345678", "GB", "syntax", "ABC is not a Registration Scheme of Appendix A"),
        ("bad-orgid-empty-ref.der", "NTRGB-", "GB", "syntax", "empty Registration Reference"),
        ("bad-orgid-not-iso.der", "NTRQQ-12345678", None, "country", "QQ is not an ISO 3166-1 code"),
        ("bad-orgid-lei-country.der", "LEIGB-529900T8BM49AURSDO55", "GB", "country", "the LEI scheme SHALL use XG"),
        ("bad-orgid-subdivision.der", "NTRUS+QQ-12345678", "US", "subdivision", "QQ is not an ISO 3166-2 subdivision of US"),
        ("bad-orgid-lei-check.der", "LEIXG-529900T8BM49AURSDO56", "GB", "lei", "ISO 17442 check digits are wrong"),
        ("bad-orgid-psd-no-nca.der", "PSDBE-12345678", "BE", "psd", "PSD without the NCA identifier (ETSI TS 119 495)"),
    ]:
        attrs = ([("c", c_)] if c_ else []) + [("o", ORG), ("organizationIdentifier", oid_value), ("cn", ORG)]
        nm(fname, B("organization", "strict", "rsa"), subj(*attrs), ["7.1.4.2.2.orgid." + code],
           "7.1.4.2.2(d) organizationIdentifier %r: %s" % (oid_value, why))
    nm("bad-orgid-country-mismatch.der", B("organization", "multipurpose", "rsa"),
       subj(("c", "FR"), ("o", ORG), ("organizationIdentifier", ORG_ID), ("cn", ORG)), ["7.1.4.2.2.orgid.country-mismatch"],
       "7.1.4.2.2(d) Note 1: NTRGB with countryName FR")
    nm("bad-orgid-ia5.der", B("organization", "strict", "ec"),
       subj(("c", "GB"), ("o", ORG), ("organizationIdentifier", ORG_ID, "ia5"), ("cn", ORG)),
       ["7.1.4.2.2.orgid.string-type"], "7.1.4.2.2(d) organizationIdentifier SHALL be a PrintableString or UTF8String")
    for fname, oid_value, c_, why in [
        ("ok-orgid-subdivision.der", "NTRUS+CA-12345678", "US", "state-level NTRUS+CA"),
        ("ok-orgid-vat-el.der", "VATEL-123456789", "GR", "VAT with the Article 215 prefix EL for Greece"),
        ("ok-orgid-lei.der", "LEIXG-529900T8BM49AURSDO55", "GB", "LEI with XG, country not matched (Note 1)"),
        ("ok-orgid-gov.der", "GOVUS", "US", "a Government Entity: GOV and the country only (Note 2)"),
        ("ok-orgid-gov-subdivision.der", "GOVUS+CA", "US", "a state Government Entity (Note 2)"),
        ("ok-orgid-int.der", "INTXG", None, "an International Organization Entity (Note 2)"),
        ("ok-orgid-psd.der", "PSDBE-NBB-1234.567.890", "BE", "PSD, more hyphens in the Registration Reference"),
        ("ok-orgid-euid.der", "NTRDE-DER3306.HRB12345", "DE", "NTR with an EUID (Note 3)"),
    ]:
        attrs = ([("c", c_)] if c_ else []) + [("o", ORG), ("organizationIdentifier", oid_value, "utf8"), ("cn", ORG)]
        nm(fname, B("organization", "strict", "rsa"), subj(*attrs), [],
           "7.1.4.2.2(d) valid: organizationIdentifier %r, %s" % (oid_value, why))
    nm("bad-email-two.der", B("mailbox", "multipurpose", "ec"),
       lambda c: (c.set_ext("san", seq(rfc822("alice@example.com"), rfc822("bob@example.com"))),
                  setattr(c, "subject", name(("emailAddress", "alice@example.com,bob@example.com")))),
       ["7.1.4.2.2.email.syntax", "7.1.4.2.1.subject-mailbox.not-in-san"],
       "7.1.4.2.2(h) an emailAddress with two mailboxes (SHALL contain a single Mailbox Address; the value is not in the SAN)")
    nm("bad-street-without-locality.der", B("individual", "legacy", "rsa"),
       subj(("c", "GB"), ("street", "2 Example Road"), ("givenName", "Bob"), ("surname", "Example"), ("cn", "Bob Example")),
       ["7.1.4.2.2.street.no-locality"], "7.1.4.2.2(j) streetAddress without localityName or stateOrProvinceName")
    nm("bad-locality-without-country.der", B("individual", "strict", "rsa"),
       subj(("l", "London"), ("givenName", "Bob"), ("surname", "Example"), ("cn", "Bob Example")),
       ["7.1.4.2.2.locality.no-country"], "7.1.4.2.2(k) localityName without countryName")
    nm("bad-state-without-country.der", B("organization", "strict", "rsa"),
       subj(("st", "England"), ("o", ORG), ("organizationIdentifier", ORG_ID), ("cn", ORG)),
       ["7.1.4.2.2.state.no-country"], "7.1.4.2.2(l) stateOrProvinceName without countryName")
    nm("bad-postal-without-country.der", B("sponsor", "legacy", "rsa"),
       subj(("l", "London"), ("postalCode", "EC1A 1AA"), ("o", ORG), ("organizationIdentifier", "LEIXG-529900T8BM49AURSDO55"),
            ("cn", "Alice Liddell")),
       ["7.1.4.2.2.locality.no-country", "7.1.4.2.2.postal-code.no-country"],
       "7.1.4.2.2(k)(m) localityName and postalCode without countryName")
    nm("bad-country-uk.der", B("individual", "strict", "rsa"),
       subj(("c", "UK"), ("givenName", "Bob"), ("surname", "Example"), ("cn", "Bob Example")),
       ["7.1.4.2.2.country.code"], "7.1.4.2.2(n) UK is not an ISO 3166-1 alpha-2 code (GB is)")
    nm("bad-country-lowercase.der", B("individual", "multipurpose", "rsa"),
       subj(("c", "gb"), ("givenName", "Bob"), ("surname", "Example"), ("cn", "Bob Example")),
       ["7.1.4.2.2.country.code"], "7.1.4.2.2(n) lowercase 'gb' is not an ISO 3166-1 code")
    nm("ok-country-xx.der", B("individual", "strict", "rsa"),
       subj(("c", "XX"), ("l", "Somewhere"), ("givenName", "Bob"), ("surname", "Example"), ("cn", "Bob Example")), [],
       "7.1.4.2.2(n) valid: XX where a country has no ISO 3166-1 code")
    nm("bad-cn-too-long.der", B("organization", "strict", "rsa"),
       subj(*(GB_ORG + [("cn", "Example Widgets Ltd " + "x" * 45)])),
       ["7.1.4.2.2.attr.upper-bound", "7.1.4.2.2.cn.organization"],
       "7.1.4.2.2(a) Note: a commonName of 64 characters plus one (ub-common-name 64)")
    nm("bad-org-too-long.der", B("organization", "strict", "rsa"),
       subj(("c", "GB"), ("o", "O" * 65), ("organizationIdentifier", ORG_ID)), ["7.1.4.2.2.attr.upper-bound"],
       "7.1.4 an organizationName of 65 characters (ub-organization-name 64)")
    nm("ok-org-64.der", B("organization", "strict", "rsa"),
       subj(("c", "GB"), ("o", "\u00d6" * 64), ("organizationIdentifier", ORG_ID)), [],
       "7.1.4 valid: an organizationName of 64 characters (128 UTF-8 octets): bounds count characters")
    nm("bad-metadata-locality.der", B("individual", "legacy", "rsa"),
       subj(*(IND[:1] + [("l", "-")] + IND[1:])), ["7.1.4.2.attr.metadata-only"],
       "7.1.4.2 localityName '-' is only metadata")
    nm("bad-metadata-ou.der", B("organization", "multipurpose", "rsa"),
       subj(*(GB_ORG + [("ou", ". ."), ("cn", ORG)])), ["7.1.4.2.attr.metadata-only"],
       "7.1.4.2 organizationalUnitName '. .' is only metadata")

    # -- 7.1.4.2.3-6 the attributes of each certificate type --------------------
    nm("bad-mailbox-with-org.der", B("mailbox", "strict", "rsa"),
       subj(("o", ORG), ("cn", "alice@example.com")), ["7.1.4.2.3.attr.prohibited"],
       "7.1.4.2.3 mailbox: organizationName SHALL NOT")
    nm("bad-mailbox-with-given-name.der", B("mailbox", "multipurpose", "rsa"),
       subj(("givenName", "Alice"), ("cn", "alice@example.com")), ["7.1.4.2.3.attr.prohibited"],
       "7.1.4.2.3 mailbox: givenName SHALL NOT")
    nm("bad-mailbox-with-country.der", B("mailbox", "legacy", "ec"),
       subj(("c", "GB"), ("cn", "alice@example.com")), ["7.1.4.2.3.attr.prohibited"],
       "7.1.4.2.3 mailbox: countryName SHALL NOT")
    nm("bad-mailbox-with-title.der", B("mailbox", "strict", "ec"),
       subj(("title", "Engineer"), ("emailAddress", "alice@example.com")), ["7.1.4.2.3.attr.prohibited"],
       "7.1.4.2.3 mailbox: title SHALL NOT")
    nm("bad-mailbox-with-other.der", B("mailbox", "legacy", "rsa"),
       subj(("uid", "alice"), ("cn", "alice@example.com")), ["7.1.4.2.3.attr.other"],
       "7.1.4.2.3 mailbox legacy: Other SHALL NOT")
    nm("bad-org-without-o.der", B("organization", "strict", "rsa"),
       subj(("c", "GB"), ("organizationIdentifier", ORG_ID), ("cn", "info@example.com")), ["7.1.4.2.4.attr.required"],
       "7.1.4.2.4 organization: organizationName SHALL be present")
    nm("bad-org-without-orgid.der", B("organization", "legacy", "ec"),
       subj(("c", "GB"), ("o", ORG), ("cn", ORG)), ["7.1.4.2.4.attr.required"],
       "7.1.4.2.4 organization: organizationIdentifier SHALL be present")
    nm("bad-org-with-surname.der", B("organization", "multipurpose", "rsa"),
       subj(*(GB_ORG + [("surname", "Liddell"), ("cn", ORG)])), ["7.1.4.2.4.attr.prohibited"],
       "7.1.4.2.4 organization: surname SHALL NOT")
    nm("bad-org-strict-street.der", B("organization", "strict", "rsa"),
       subj(("c", "GB"), ("l", "London"), ("street", "1 Example Street"), ("o", ORG), ("organizationIdentifier", ORG_ID),
            ("cn", ORG)), ["7.1.4.2.4.attr.prohibited"], "7.1.4.2.4 organization strict: streetAddress SHALL NOT")
    nm("bad-org-strict-postal.der", B("organization", "strict", "ec"),
       subj(("c", "GB"), ("postalCode", "EC1A 1AA"), ("o", ORG), ("organizationIdentifier", ORG_ID), ("cn", ORG)),
       ["7.1.4.2.4.attr.prohibited"], "7.1.4.2.4 organization strict: postalCode SHALL NOT")
    nm("bad-org-mp-other.der", B("organization", "multipurpose", "rsa"),
       subj(*(GB_ORG + [("businessCategory", "Private Organization"), ("cn", ORG)])), ["7.1.4.2.4.attr.other"],
       "7.1.4.2.4 organization multipurpose: Other (businessCategory) SHALL NOT")
    nm("ok-org-legacy-other.der", B("organization", "legacy", "rsa"),
       subj(*(GB_ORG + [("businessCategory", "Private Organization"), ("cn", ORG)])), [],
       "7.1.4.2.4 valid: organization legacy: Other MAY")
    nm("bad-sponsor-without-orgid.der", B("sponsor", "strict", "rsa"),
       subj(*([("c", "GB"), ("o", ORG)] + SP)), ["7.1.4.2.5.attr.required"],
       "7.1.4.2.5 sponsor: organizationIdentifier SHALL be present")
    nm("bad-sponsor-mp-cn-only.der", B("sponsor", "multipurpose", "rsa"),
       subj(*(GB_ORG + [("cn", "Alice Liddell")])), ["7.1.4.2.5.name.absent"],
       "7.1.4.2.5 Note 2: multipurpose sponsor without givenName, surname or pseudonym")
    nm("bad-sponsor-strict-street.der", B("sponsor", "strict", "ec"),
       subj(*([("c", "GB"), ("l", "London"), ("street", "1 Example Street"), ("o", ORG), ("organizationIdentifier", ORG_ID)]
              + SP)), ["7.1.4.2.5.attr.prohibited"], "7.1.4.2.5 sponsor strict: streetAddress SHALL NOT")
    nm("bad-sponsor-mp-other.der", B("sponsor", "multipurpose", "rsa"),
       subj(*(GB_ORG + SP + [("uid", "alice")])), ["7.1.4.2.5.attr.other"],
       "7.1.4.2.5 sponsor multipurpose: Other (uid) SHALL NOT")
    nm("ok-sponsor-legacy-other.der", B("sponsor", "legacy", "rsa"),
       subj(*(GB_ORG + SP + [("uid", "alice")])), [], "7.1.4.2.5 valid: sponsor legacy: Other MAY")
    nm("bad-individual-with-org.der", B("individual", "multipurpose", "rsa"),
       subj(*(IND[:1] + [("o", ORG)] + IND[1:])), ["7.1.4.2.6.attr.prohibited"],
       "7.1.4.2.6 individual: organizationName SHALL NOT")
    nm("bad-individual-with-orgid.der", B("individual", "legacy", "rsa"),
       subj(*(IND[:1] + [("organizationIdentifier", ORG_ID)] + IND[1:])), ["7.1.4.2.6.attr.prohibited"],
       "7.1.4.2.6 individual: organizationIdentifier SHALL NOT")
    nm("bad-individual-strict-cn-only.der", B("individual", "strict", "rsa"),
       subj(("c", "GB"), ("cn", "Bob Example")), ["7.1.4.2.6.name.absent"],
       "7.1.4.2.6 Note 2: strict individual without givenName, surname or pseudonym")
    nm("bad-individual-strict-postal.der", B("individual", "strict", "rsa"),
       subj(*(IND[:1] + [("l", "London"), ("postalCode", "SW1A 1AA")] + IND[1:])), ["7.1.4.2.6.attr.prohibited"],
       "7.1.4.2.6 individual strict: postalCode SHALL NOT")
    nm("bad-individual-mp-other.der", B("individual", "multipurpose", "ec"),
       subj(*(IND + [("uid", "bob")])), ["7.1.4.2.6.attr.other"],
       "7.1.4.2.6 individual multipurpose: Other (uid) SHALL NOT")
    # more valid names, to catch rules that refuse too much
    nm("ok-individual-cn-mailbox.der", B("individual", "strict", "rsa"),
       subj(("c", "GB"), ("givenName", "Bob"), ("surname", "Example"), ("cn", "bob@example.com"),
            ("emailAddress", "bob@example.com")), [],
       "7.1.4.2.2(a) valid: individual commonName holding the SAN mailbox")
    nm("ok-individual-unicode-name.der", B("individual", "multipurpose", "rsa"),
       subj(("c", "DE"), ("l", "M\u00fcnchen"), ("givenName", "Jos\u00e9"), ("surname", "M\u00fcller-L\u00fcdenscheidt"),
            ("cn", "Jos\u00e9 M\u00fcller-L\u00fcdenscheidt")), [],
       "7.1.4.2.2(e) valid: a Personal Name with non-ASCII characters in UTF8String")
    nm("ok-cn-printable.der", B("sponsor", "strict", "rsa"),
       subj(*(GB_ORG + [("givenName", "Alice"), ("surname", "Liddell"), ("cn", "Alice Liddell", "printable")])), [],
       "7.1.4, RFC 5280 4.1.2.6 valid: commonName as PrintableString")
    nm("ok-multivalued-rdn.der", B("mailbox", "multipurpose", "rsa"),
       lambda c: setattr(c, "subject", name([("cn", c.mbx), ("emailAddress", c.mbx)])), [],
       "7.1.4.2.3 valid: commonName and emailAddress in one multi-valued RDN")
    nm("ok-mailbox-plus-tag.der", B("mailbox", "strict", "ec"),
       lambda c: c.set_ext("san", seq(rfc822("alice+smime@example.com")), True), [],
       "7.1.4.2.1 valid: a local part with '+' (atext)")
    nm("ok-mailbox-alabel.der", B("mailbox", "strict", "ec"),
       lambda c: c.set_ext("san", seq(rfc822("alice@xn--bcher-kva.com")), True), [],
       "7.1.4.2.1 valid: an A-label domain (b\u00fccher.com) in an rfc822Name")
    nm("ok-smtputf8-alabel.der", B("individual", "strict", "rsa"),
       lambda c: c.set_ext("san", seq(smtputf8("j\u00fcrgen@xn--bcher-kva.com"))), [],
       "7.1.4.2.1 valid: SmtpUTF8Mailbox with a non-ASCII local part and an A-label domain")
    nm("ok-sponsor-title-ou.der", B("sponsor", "multipurpose", "rsa"),
       subj(("c", "GB"), ("o", ORG), ("ou", "Example Widgets Research Ltd"), ("organizationIdentifier", ORG_ID),
            ("givenName", "Alice"), ("surname", "Liddell"), ("title", "Chief Engineer"), ("cn", "Alice Liddell"),
            ("emailAddress", "alice.liddell@example.com")), [],
       "7.1.4.2.5 valid: sponsor with organizationalUnitName, title and emailAddress")
    nm("ok-surname-only.der", B("individual", "strict", "rsa"),
       subj(("surname", "Madonna"), ("cn", "Madonna")), [],
       "7.1.4.2.2(e) valid: a single legal name in surname")
    nm("ok-individual-title-serial.der", B("individual", "strict", "rsa"),
       subj(*(IND + [("title", "Engineer"), ("serialNumber", "PNOGB-1234567890")])), [],
       "7.1.4.2.6 valid: individual with title and a Natural Person Identifier serialNumber")
