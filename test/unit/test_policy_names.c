/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SBR 7.1.4 name rules on whole TBSCertificates built here from
 * test/vectors/der/base.der with other subjects and SANs, and mutations of
 * a name-rich TBS. The helpers (mailbox syntax, public suffixes, ISO 3166,
 * strings) are test_policy_syntax.c's. Runs from the repository root.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "../../policy/pol.h"
#include "../../policy/pol_der.h"

/* --- whole TBSCertificates -------------------------------------------------------- */

typedef struct {
    uint8_t b[3000];
    size_t n;
} dbuf;

static void raw(dbuf *o, const void *p, size_t n)
{
    if (o->n + n > sizeof o->b) {
        fprintf(stderr, "test buffer overflow\n");
        exit(2);
    }
    memcpy(o->b + o->n, p, n);
    o->n += n;
}
static void tlv(dbuf *o, uint8_t tag, const void *v, size_t n)
{
    uint8_t h[4] = { tag };
    size_t hl = 2;
    if (n < 0x80) {
        h[1] = (uint8_t)n;
    } else if (n < 0x100) {
        h[1] = 0x81, h[2] = (uint8_t)n, hl = 3;
    } else {
        h[1] = 0x82, h[2] = (uint8_t)(n >> 8), h[3] = (uint8_t)n, hl = 4;
    }
    raw(o, h, hl);
    raw(o, v, n);
}

/* One attribute, each in its own RDN. */
typedef struct {
    const char *oid;
    size_t oid_len;
    uint8_t tag;
    const char *val;
    size_t len; /* 0: strlen */
} attr;
#define OID(s) s, sizeof(s) - 1
#define CN OID("\x55\x04\x03")
#define SN OID("\x55\x04\x04")
#define SERIAL OID("\x55\x04\x05")
#define C OID("\x55\x04\x06")
#define L OID("\x55\x04\x07")
#define ST OID("\x55\x04\x08")
#define STREET OID("\x55\x04\x09")
#define O OID("\x55\x04\x0a")
#define OU OID("\x55\x04\x0b")
#define TITLE OID("\x55\x04\x0c")
#define POSTAL OID("\x55\x04\x11")
#define GN OID("\x55\x04\x2a")
#define PSEUDO OID("\x55\x04\x41")
#define ORGID OID("\x55\x04\x61")
#define EMAIL OID("\x2a\x86\x48\x86\xf7\x0d\x01\x09\x01")
#define DC OID("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x19")
#define U8 DER_UTF8
#define PR DER_PRINTABLE
#define IA DER_IA5
#define END { NULL, 0, 0, NULL, 0 }

static void name(dbuf *o, const attr *a)
{
    dbuf seq = { .n = 0 };
    for (; a && a->oid; a++) {
        dbuf atv = { .n = 0 }, set = { .n = 0 };
        tlv(&atv, DER_OID, a->oid, a->oid_len);
        tlv(&atv, a->tag, a->val, a->len ? a->len : strlen(a->val));
        tlv(&set, DER_SEQUENCE, atv.b, atv.n);
        tlv(&seq, DER_SET, set.b, set.n);
    }
    tlv(o, DER_SEQUENCE, seq.b, seq.n);
}

/* GeneralNames */
static void gn_rfc822(dbuf *o, const char *s) { tlv(o, DER_CTX(1), s, strlen(s)); }
static void gn_dns(dbuf *o, const char *s) { tlv(o, DER_CTX(2), s, strlen(s)); }
static void gn_other(dbuf *o, const char *oid, size_t oid_len, uint8_t tag, const char *s)
{
    dbuf in = { .n = 0 }, v = { .n = 0 };
    tlv(&v, tag, s, strlen(s));
    tlv(&in, DER_OID, oid, oid_len);
    tlv(&in, DER_CTX_C(0), v.b, v.n);
    tlv(o, DER_CTX_C(0), in.b, in.n);
}
#define SMTPUTF8 OID("\x2b\x06\x01\x05\x05\x07\x08\x09")
#define UPN OID("\x2b\x06\x01\x04\x01\x82\x37\x14\x02\x03")
static void gn_smtputf8(dbuf *o, const char *s) { gn_other(o, SMTPUTF8, U8, s); }
static void gn_dirname(dbuf *o, const attr *a)
{
    dbuf n = { .n = 0 };
    name(&n, a);
    tlv(o, DER_CTX_C(4), n.b, n.n);
}

static uint8_t cert[4096];
static const uint8_t *base;
static size_t base_len;
static int64_t base_nb;
static pol_workspace ws;
static dbuf tbs;

/* base.der's TBS with this subject, this SAN (NULL: none) and the reserved
 * policy 2.23.140.1.5.type.gen. */
static void build(int type, int gen, const attr *subject, const dbuf *san)
{
    pol_slice all = { base, base_len }, t = { 0 }, v = { 0 }, tl = { 0 }, exts = { 0 }, seq = { 0 }, x = { 0 };
    pol_der top = pol_der_of(all), c, e3, s;
    dbuf body = { .n = 0 }, ext = { .n = 0 }, list = { .n = 0 }, w3 = { .n = 0 };
    uint8_t tag;
    pol_der_expect(&top, DER_SEQUENCE, &t, NULL);
    c = pol_der_of(t);
    for (int i = 0; i < 7; i++) { /* version .. subjectPublicKeyInfo */
        pol_der_next(&c, &tag, &v, &tl);
        if (i == 5)
            name(&body, subject);
        else
            raw(&body, tl.p, tl.len);
    }
    pol_der_expect(&c, DER_CTX_C(3), &exts, NULL);
    e3 = pol_der_of(exts);
    pol_der_expect(&e3, DER_SEQUENCE, &seq, NULL);
    s = pol_der_of(seq);
    while (pol_der_more(&s)) {
        pol_der_expect(&s, DER_SEQUENCE, &x, &tl);
        /* keep all but certificatePolicies and subjectAltName */
        if (x.p[0] == DER_OID && x.p[1] == 3 && x.p[2] == 0x55 && x.p[3] == 0x1D && (x.p[4] == 0x20 || x.p[4] == 0x11))
            continue;
        raw(&list, tl.p, tl.len);
    }
    {
        uint8_t pol_oid[] = { 0x67, 0x81, 0x0C, 0x01, 0x05, (uint8_t)(type + 1), (uint8_t)(gen + 1) };
        dbuf pi = { .n = 0 }, pis = { .n = 0 }, val = { .n = 0 }, e = { .n = 0 };
        tlv(&pi, DER_OID, pol_oid, sizeof pol_oid);
        tlv(&pis, DER_SEQUENCE, pi.b, pi.n);
        tlv(&val, DER_SEQUENCE, pis.b, pis.n);
        tlv(&e, DER_OID, "\x55\x1d\x20", 3);
        tlv(&e, DER_OCTET_STRING, val.b, val.n);
        tlv(&list, DER_SEQUENCE, e.b, e.n);
    }
    if (san) {
        dbuf val = { .n = 0 }, e = { .n = 0 };
        tlv(&val, DER_SEQUENCE, san->b, san->n);
        tlv(&e, DER_OID, "\x55\x1d\x11", 3);
        tlv(&e, DER_OCTET_STRING, val.b, val.n);
        tlv(&list, DER_SEQUENCE, e.b, e.n);
    }
    tlv(&ext, DER_SEQUENCE, list.b, list.n);
    tlv(&w3, DER_CTX_C(3), ext.b, ext.n);
    raw(&body, w3.b, w3.n);
    tbs.n = 0;
    tlv(&tbs, DER_SEQUENCE, body.b, body.n);
}

static pol_decision decide(int64_t now)
{
    pol_ctx ctx = { .now = now };
    pol_decision d;
    pol_check(tbs.b, tbs.n, &ctx, &ws, &d);
    return d;
}

/* The findings of the 7.1.4 rules (others' rules are not this test's). */
static void name_codes(const pol_decision *d, char *out, size_t cap)
{
    out[0] = 0;
    for (uint16_t i = 0; i < d->n; i++) {
        const char *code = pol_rule_at(d->findings[i])->code;
        if (strncmp(code, "sbr.7.1.4.", 10) || !strncmp(code, "sbr.7.1.4.1.", 12))
            continue;
        if (strlen(out) + strlen(code) + 2 < cap) {
            if (out[0])
                strcat(out, " ");
            strcat(out, code);
        }
    }
}

/* 1 if the 7.1.4 findings are exactly want (space-separated, in table order; "" = none). */
static int expect(int type, int gen, const attr *subject, const dbuf *san, int64_t now, const char *want)
{
    char got[1024];
    pol_decision d;
    build(type, gen, subject, san);
    d = decide(now);
    name_codes(&d, got, sizeof got);
    if (strcmp(got, want)) {
        fprintf(stderr, "  got  [%s]\n  want [%s]\n", got, want);
        return 0;
    }
    return 1;
}

/* 2025-01-01: legacy profiles are still issued then. */
#define PRE_SUNSET 1735689600

static void test_tbs(void)
{
    FILE *f = fopen("test/vectors/der/base.der", "rb");
    size_t clen = f ? fread(cert, 1, sizeof cert, f) : 0;
    dbuf san = { .n = 0 };
    if (f)
        fclose(f);
    CHECK(clen > 0 && pol_cert_tbs(cert, clen, &base, &base_len) == 0 &&
              pol_tbs_not_before(base, base_len, &ws, &base_nb) == 0,
          "base certificate loads (test/vectors/der/base.der)");
    if (!clen)
        return;
    int64_t now = base_nb;

    /* Mailbox-validated */
    static const attr mbx[] = { { CN, U8, "alice@example.com", 0 }, END };
    gn_rfc822(&san, "alice@example.com");
    build(POL_MAILBOX, POL_STRICT, mbx, &san);
    pol_decision d = decide(now);
    CHECK(d.verdict == POL_ACCEPT, "rebuilt mailbox/strict TBS (CN and rfc822Name alice@example.com) is accepted");
    CHECK(expect(POL_MAILBOX, POL_STRICT, NULL, &san, now, ""), "mailbox: empty subject, rfc822Name: accepted");
    static const attr mbx_email[] = { { CN, U8, "alice@example.com", 0 }, { EMAIL, IA, "alice@EXAMPLE.com", 0 },
                                      { SERIAL, PR, "1234", 0 }, END };
    CHECK(expect(POL_MAILBOX, POL_LEGACY, mbx_email, &san, PRE_SUNSET, ""),
          "mailbox legacy: emailAddress repeated (domain case ignored), serialNumber MAY");
    static const attr mbx_bob[] = { { CN, U8, "alice@example.com", 0 }, { EMAIL, IA, "bob@example.com", 0 }, END };
    CHECK(expect(POL_MAILBOX, POL_STRICT, mbx_bob, &san, now, "sbr.7.1.4.2.1.subject-mailbox.not-in-san"),
          "7.1.4.2.1: subject emailAddress not in the SAN");
    static const attr mbx_case[] = { { CN, U8, "Alice@example.com", 0 }, END };
    CHECK(expect(POL_MAILBOX, POL_STRICT, mbx_case, &san, now,
                 "sbr.7.1.4.2.1.subject-mailbox.not-in-san sbr.7.1.4.2.2.cn.mailbox"),
          "7.1.4.2.1, 7.1.4.2.2(a): CN with another local-part case is not the SAN mailbox");
    static const attr mbx_name[] = { { CN, U8, "Alice", 0 }, END };
    CHECK(expect(POL_MAILBOX, POL_STRICT, mbx_name, &san, now, "sbr.7.1.4.2.2.cn.mailbox"),
          "7.1.4.2.2(a): mailbox-validated CN must be a Mailbox Address");
    static const attr mbx_c[] = { { CN, U8, "alice@example.com", 0 }, { C, PR, "GB", 0 }, END };
    CHECK(expect(POL_MAILBOX, POL_MULTIPURPOSE, mbx_c, &san, now, "sbr.7.1.4.2.3.attr.prohibited"),
          "7.1.4.2.3: countryName SHALL NOT in mailbox-validated");
    static const attr mbx_dc[] = { { DC, IA, "example", 0 }, END };
    CHECK(expect(POL_MAILBOX, POL_LEGACY, mbx_dc, &san, PRE_SUNSET, "sbr.7.1.4.2.3.attr.other"),
          "7.1.4.2.3: Other attributes SHALL NOT, even in legacy");
    static const attr mbx_bad_email[] = { { EMAIL, IA, "alice", 0 }, END };
    CHECK(expect(POL_MAILBOX, POL_STRICT, mbx_bad_email, &san, now,
                 "sbr.7.1.4.2.1.subject-mailbox.not-in-san sbr.7.1.4.2.2.email.syntax"),
          "7.1.4.2.2(h): emailAddress that is not a Mailbox");
    static const attr mbx_email_utf8[] = { { EMAIL, U8, "alice@example.com", 0 }, END };
    CHECK(expect(POL_MAILBOX, POL_STRICT, mbx_email_utf8, &san, now, "sbr.7.1.4.attr.string-type"),
          "7.1.4: emailAddress must be an IA5String (RFC 5280 Appendix A)");
    char long_cn[80];
    memset(long_cn, 'a', 65);
    strcpy(long_cn + 65, "@example.com");
    san.n = 0;
    gn_rfc822(&san, long_cn);
    static attr mbx_long[] = { { CN, IA, NULL, 0 }, END };
    mbx_long[0].val = long_cn;
    CHECK(expect(POL_MAILBOX, POL_STRICT, mbx_long, &san, now,
                 "sbr.7.1.4.2.1.rfc822.syntax sbr.7.1.4.attr.string-type sbr.7.1.4.2.2.attr.upper-bound"),
          "ub-common-name 64 and a 65-octet local part (a CN with '@' needs UTF8String, IA5 is no DirectoryString)");

    /* SAN contents */
    static const attr none[] = { END };
    san.n = 0;
    gn_rfc822(&san, "alice@example.com");
    gn_rfc822(&san, "bob@example.org");
    CHECK(expect(POL_MAILBOX, POL_STRICT, none, &san, now, ""), "two rfc822Names: accepted");
    san.n = 0;
    gn_dns(&san, "example.com");
    CHECK(expect(POL_MAILBOX, POL_STRICT, none, &san, now,
                 "sbr.7.1.4.2.1.san.no-mailbox sbr.7.1.4.2.1.san.name-type"),
          "only a dNSName: no mailbox, and a refused GeneralName type");
    san.n = 0;
    gn_rfc822(&san, "alice@example.com");
    gn_other(&san, UPN, U8, "alice@corp.example.com");
    CHECK(expect(POL_MAILBOX, POL_MULTIPURPOSE, none, &san, now, ""), "multipurpose: otherName of any type MAY");
    CHECK(expect(POL_MAILBOX, POL_STRICT, none, &san, now, "sbr.7.1.4.2.1.san.name-type"),
          "strict: an otherName other than SmtpUTF8Mailbox is refused");
    san.n = 0;
    gn_rfc822(&san, "alice@co.uk");
    CHECK(expect(POL_MAILBOX, POL_STRICT, none, &san, now, "sbr.7.1.4.2.1.domain.public-suffix"),
          "mailbox at a bare public suffix (co.uk)");
    san.n = 0;
    gn_rfc822(&san, "alice@mail.corp.local");
    CHECK(expect(POL_MAILBOX, POL_STRICT, none, &san, now, "sbr.7.1.4.2.1.domain.tld"),
          "mailbox under an internal TLD (.local)");
    san.n = 0;
    gn_rfc822(&san, "alice@[192.0.2.1]");
    CHECK(expect(POL_MAILBOX, POL_STRICT, none, &san, now, "sbr.7.1.4.2.1.rfc822.syntax"),
          "rfc822Name with an address-literal");
    san.n = 0;
    gn_rfc822(&san, "j\xc3\xbcrgen@example.com");
    CHECK(expect(POL_MAILBOX, POL_STRICT, none, &san, now, "sbr.7.1.4.2.1.rfc822.non-ascii"),
          "rfc822Name with a non-ASCII local part");
    san.n = 0;
    gn_smtputf8(&san, "j\xc3\xbcrgen@example.com");
    static const attr mbx_utf8[] = { { CN, U8, "j\xc3\xbcrgen@EXAMPLE.com", 0 }, END };
    CHECK(expect(POL_MAILBOX, POL_STRICT, mbx_utf8, &san, now, ""),
          "SmtpUTF8Mailbox with a UTF-8 local part, CN the same mailbox: accepted");
    san.n = 0;
    gn_smtputf8(&san, "juergen@example.com");
    CHECK(expect(POL_MAILBOX, POL_STRICT, none, &san, now, "sbr.7.1.4.2.1.smtputf8.ascii-local"),
          "SmtpUTF8Mailbox with an ASCII local part (RFC 9598: rfc822Name)");
    san.n = 0;
    gn_smtputf8(&san, "j\xc3\xbcrgen@b\xc3\xbc" "cher.example.com");
    CHECK(expect(POL_MAILBOX, POL_STRICT, none, &san, now, "sbr.7.1.4.2.1.smtputf8.syntax"),
          "SmtpUTF8Mailbox with a U-label domain");
    san.n = 0;
    gn_smtputf8(&san, "j\xc3\xbcrgen@xn--bcher-kva.de");
    CHECK(expect(POL_MAILBOX, POL_STRICT, none, &san, now, ""), "SmtpUTF8Mailbox with an A-label domain: accepted");
    san.n = 0;
    gn_other(&san, SMTPUTF8, IA, "j@example.com");
    CHECK(expect(POL_MAILBOX, POL_STRICT, none, &san, now, "sbr.7.1.4.2.1.smtputf8.encoding"),
          "SmtpUTF8Mailbox as IA5String");
    san.n = 0;
    gn_smtputf8(&san, "\xef\xbb\xbfj\xc3\xbc@example.com");
    CHECK(expect(POL_MAILBOX, POL_STRICT, none, &san, now, "sbr.7.1.4.2.1.smtputf8.encoding"),
          "SmtpUTF8Mailbox with a byte-order mark");

    /* directoryName entries */
    static const attr dn_ok[] = { { EMAIL, IA, "alice@example.com", 0 }, END };
    static const attr dn_bob[] = { { EMAIL, IA, "bob@example.com", 0 }, END };
    static const attr dn_org[] = { { O, U8, "Example Ltd", 0 }, END };
    san.n = 0;
    gn_rfc822(&san, "alice@example.com");
    gn_dirname(&san, dn_ok);
    CHECK(expect(POL_MAILBOX, POL_STRICT, none, &san, now, ""), "directoryName whose mailbox is repeated: accepted");
    san.n = 0;
    gn_rfc822(&san, "alice@example.com");
    gn_dirname(&san, dn_bob);
    CHECK(expect(POL_MAILBOX, POL_STRICT, none, &san, now, "sbr.7.1.4.2.1.dirname-mailbox.not-in-san"),
          "directoryName with a mailbox not repeated");
    san.n = 0;
    gn_rfc822(&san, "alice@example.com");
    gn_dirname(&san, dn_org);
    CHECK(expect(POL_MAILBOX, POL_STRICT, none, &san, now, "sbr.7.1.4.2.1.dirname.content"),
          "directoryName with organizationName in a mailbox-validated certificate");

    /* Organization-validated */
    san.n = 0;
    gn_rfc822(&san, "info@example.com");
    static const attr org[] = { { C, PR, "GB", 0 }, { O, U8, "Example Ltd", 0 }, { ORGID, PR, "NTRGB-12345678", 0 },
                                { CN, U8, "Example Ltd", 0 }, END };
    CHECK(expect(POL_ORGANIZATION, POL_STRICT, org, &san, now, ""), "organization strict: C, O, orgId, CN = O");
    static const attr org_cn_mail[] = { { O, PR, "Example Ltd", 0 }, { ORGID, U8, "LEIXG-5493001KJTIIGC8Y1R12", 0 },
                                        { CN, U8, "info@example.com", 0 }, { L, U8, "London", 0 },
                                        { C, PR, "GB", 0 }, END };
    CHECK(expect(POL_ORGANIZATION, POL_MULTIPURPOSE, org_cn_mail, &san, now, ""),
          "organization: CN a SAN mailbox, LEI orgId (Note 1 exempts it from countryName)");
    static const attr org_no_id[] = { { O, PR, "Example Ltd", 0 }, END };
    CHECK(expect(POL_ORGANIZATION, POL_STRICT, org_no_id, &san, now, "sbr.7.1.4.2.4.attr.required"),
          "7.1.4.2.4: organizationIdentifier SHALL be present");
    static const attr org_street[] = { { O, PR, "Example Ltd", 0 }, { ORGID, PR, "NTRGB-1", 0 },
                                       { STREET, U8, "1 High Street", 0 }, { L, U8, "London", 0 },
                                       { C, PR, "GB", 0 }, { POSTAL, U8, "SW1A 1AA", 0 }, END };
    CHECK(expect(POL_ORGANIZATION, POL_STRICT, org_street, &san, now, "sbr.7.1.4.2.4.attr.prohibited"),
          "7.1.4.2.4: streetAddress and postalCode SHALL NOT in strict");
    CHECK(expect(POL_ORGANIZATION, POL_MULTIPURPOSE, org_street, &san, now, ""),
          "7.1.4.2.4: streetAddress and postalCode MAY in multipurpose");
    static const attr org_other[] = { { O, PR, "Example Ltd", 0 }, { ORGID, PR, "NTRGB-1", 0 }, { DC, IA, "example", 0 }, END };
    CHECK(expect(POL_ORGANIZATION, POL_STRICT, org_other, &san, now, "sbr.7.1.4.2.4.attr.other"),
          "7.1.4.2.4: Other attributes SHALL NOT in strict");
    CHECK(expect(POL_ORGANIZATION, POL_LEGACY, org_other, &san, PRE_SUNSET, ""),
          "7.1.4.2.4: Other attributes MAY in legacy");
    static const attr org_cn_bad[] = { { O, PR, "Example Ltd", 0 }, { ORGID, PR, "NTRGB-1", 0 }, { CN, U8, "Marketing", 0 }, END };
    CHECK(expect(POL_ORGANIZATION, POL_STRICT, org_cn_bad, &san, now, "sbr.7.1.4.2.2.cn.organization"),
          "7.1.4.2.2(a): organization CN neither O nor a mailbox");
    static const attr org_mismatch[] = { { C, PR, "GB", 0 }, { O, PR, "Example Ltd", 0 }, { ORGID, PR, "NTRFR-1", 0 }, END };
    CHECK(expect(POL_ORGANIZATION, POL_STRICT, org_mismatch, &san, now, "sbr.7.1.4.2.2.orgid.country-mismatch"),
          "7.1.4.2.2(d) Note 1: orgId country differs from countryName");
    static const attr org_vat_el[] = { { C, PR, "GR", 0 }, { O, PR, "Example AE", 0 }, { ORGID, PR, "VATEL-123456789", 0 }, END };
    CHECK(expect(POL_ORGANIZATION, POL_STRICT, org_vat_el, &san, now, ""),
          "7.1.4.2.2(d) Note 1: VATEL with countryName GR");
    static const attr org_vat_el_bad[] = { { C, PR, "EL", 0 }, { O, PR, "Example AE", 0 }, { ORGID, PR, "VATEL-1", 0 }, END };
    CHECK(expect(POL_ORGANIZATION, POL_STRICT, org_vat_el_bad, &san, now,
                 "sbr.7.1.4.2.2.country.code sbr.7.1.4.2.2.orgid.country-mismatch"),
          "countryName EL: not ISO 3166-1, and not the code VATEL stands for");
    static const attr org_lei_bad[] = { { O, PR, "Example Ltd", 0 }, { ORGID, PR, "LEIXG-5493001KJTIIGC8Y1R13", 0 }, END };
    CHECK(expect(POL_ORGANIZATION, POL_STRICT, org_lei_bad, &san, now, "sbr.7.1.4.2.2.orgid.lei"),
          "Appendix A.1: LEI with a wrong check digit");
    static const attr org_bmp_id[] = { { O, PR, "Example Ltd", 0 }, { ORGID, DER_BMP, "\x00N\x00T\x00R\x00G\x00" "B\x00-\x00" "1", 14 }, END };
    CHECK(expect(POL_ORGANIZATION, POL_STRICT, org_bmp_id, &san, now, "sbr.7.1.4.2.2.orgid.string-type"),
          "7.1.4.2.2(d): organizationIdentifier as BMPString");
    static const attr org_syntax[] = { { O, PR, "Example Ltd", 0 }, { ORGID, PR, "NTR-GB-1", 0 }, END };
    CHECK(expect(POL_ORGANIZATION, POL_STRICT, org_syntax, &san, now, "sbr.7.1.4.2.2.orgid.syntax"),
          "7.1.4.2.2(d): malformed organizationIdentifier");
    static const attr org_sub[] = { { C, PR, "US", 0 }, { O, PR, "Example Inc", 0 }, { ORGID, PR, "NTRUS+ZZ-1", 0 }, END };
    CHECK(expect(POL_ORGANIZATION, POL_STRICT, org_sub, &san, now, "sbr.7.1.4.2.2.orgid.subdivision"),
          "7.1.4.2.2(d): subdivision that ISO 3166-2 does not have");
    static const attr org_gov[] = { { C, PR, "US", 0 }, { ST, U8, "California", 0 }, { O, U8, "State of California", 0 },
                                    { ORGID, PR, "GOVUS+CA", 0 }, END };
    CHECK(expect(POL_ORGANIZATION, POL_STRICT, org_gov, &san, now, ""), "Note 2: GOVUS+CA accepted");
    static const attr org_int[] = { { C, PR, "CH", 0 }, { O, U8, "Example Organization", 0 }, { ORGID, PR, "INTXG", 0 }, END };
    CHECK(expect(POL_ORGANIZATION, POL_STRICT, org_int, &san, now, ""), "Note 2: INTXG accepted with any countryName");
    static const attr org_psd[] = { { C, PR, "BE", 0 }, { O, U8, "Example Bank", 0 }, { ORGID, PR, "PSDBE-1234", 0 }, END };
    CHECK(expect(POL_ORGANIZATION, POL_STRICT, org_psd, &san, now, "sbr.7.1.4.2.2.orgid.psd"),
          "Appendix A.1: PSD reference without NCA identifier");
    static const attr org_uk[] = { { C, PR, "UK", 0 }, { O, PR, "Example Ltd", 0 }, { ORGID, PR, "NTRUK-1", 0 }, END };
    CHECK(expect(POL_ORGANIZATION, POL_STRICT, org_uk, &san, now,
                 "sbr.7.1.4.2.2.country.code sbr.7.1.4.2.2.orgid.country"),
          "7.1.4.2.2(n), (d): UK is not an ISO 3166-1 code");
    static const attr org_xx[] = { { C, PR, "XX", 0 }, { L, U8, "Somewhere", 0 }, { O, PR, "Example", 0 },
                                   { ORGID, PR, "NTRXX-1", 0 }, END };
    CHECK(expect(POL_ORGANIZATION, POL_STRICT, org_xx, &san, now, ""), "7.1.4.2.2(n): countryName XX accepted");

    /* Sponsor-validated and individual-validated */
    san.n = 0;
    gn_rfc822(&san, "alice@example.com");
    static const attr sp[] = { { C, PR, "GB", 0 }, { O, PR, "Example Ltd", 0 }, { ORGID, PR, "NTRGB-1", 0 },
                               { GN, U8, "Alice", 0 }, { SN, U8, "Liddell", 0 }, { CN, U8, "Alice Liddell", 0 },
                               { TITLE, U8, "Engineer", 0 }, END };
    CHECK(expect(POL_SPONSOR, POL_STRICT, sp, &san, now, ""), "sponsor strict: givenName, surname, title");
    static const attr sp_noname[] = { { O, PR, "Example Ltd", 0 }, { ORGID, PR, "NTRGB-1", 0 },
                                      { CN, U8, "Alice Liddell", 0 }, END };
    CHECK(expect(POL_SPONSOR, POL_STRICT, sp_noname, &san, now, "sbr.7.1.4.2.5.name.absent"),
          "7.1.4.2.5 Note 2: strict needs givenName/surname or pseudonym");
    CHECK(expect(POL_SPONSOR, POL_LEGACY, sp_noname, &san, PRE_SUNSET, ""), "7.1.4.2.5 Note 1: legacy MAY omit them");
    static const attr sp_pseudo[] = { { O, PR, "Example Ltd", 0 }, { ORGID, PR, "NTRGB-1", 0 },
                                      { PSEUDO, U8, "Officer 42", 0 }, { CN, U8, "Officer 42", 0 }, END };
    CHECK(expect(POL_SPONSOR, POL_STRICT, sp_pseudo, &san, now, ""), "sponsor: pseudonym with CN = pseudonym");
    static const attr sp_pseudo_cn[] = { { O, PR, "Example Ltd", 0 }, { ORGID, PR, "NTRGB-1", 0 },
                                         { PSEUDO, U8, "Officer 42", 0 }, { CN, U8, "Alice Liddell", 0 }, END };
    CHECK(expect(POL_SPONSOR, POL_STRICT, sp_pseudo_cn, &san, now, "sbr.7.1.4.2.2.cn.pseudonym"),
          "7.1.4.2.2(a): with a pseudonym, a CN that is not it nor a mailbox");
    static const attr sp_both[] = { { O, PR, "Example Ltd", 0 }, { ORGID, PR, "NTRGB-1", 0 },
                                    { PSEUDO, U8, "Officer 42", 0 }, { SN, U8, "Liddell", 0 }, END };
    CHECK(expect(POL_SPONSOR, POL_STRICT, sp_both, &san, now, "sbr.7.1.4.2.2.pseudonym.with-name"),
          "7.1.4.2.2(e),(f): pseudonym together with surname");
    static const attr ind[] = { { C, PR, "GB", 0 }, { L, U8, "London", 0 }, { GN, U8, "Bob", 0 },
                                { SN, U8, "Example", 0 }, { CN, U8, "alice@example.com", 0 }, END };
    CHECK(expect(POL_INDIVIDUAL, POL_STRICT, ind, &san, now, ""), "individual strict: CN a SAN mailbox");
    static const attr ind_cn_mail[] = { { GN, U8, "Bob", 0 }, { CN, U8, "bob@example.com", 0 }, END };
    CHECK(expect(POL_INDIVIDUAL, POL_STRICT, ind_cn_mail, &san, now,
                 "sbr.7.1.4.2.1.subject-mailbox.not-in-san sbr.7.1.4.2.2.cn.mailbox-not-in-san"),
          "individual: CN mailbox not in the SAN");
    static const attr ind_o[] = { { GN, U8, "Bob", 0 }, { O, PR, "Example Ltd", 0 }, END };
    CHECK(expect(POL_INDIVIDUAL, POL_MULTIPURPOSE, ind_o, &san, now, "sbr.7.1.4.2.6.attr.prohibited"),
          "7.1.4.2.6: organizationName SHALL NOT");
    static const attr ind_noname[] = { { CN, U8, "Bob Example", 0 }, END };
    CHECK(expect(POL_INDIVIDUAL, POL_MULTIPURPOSE, ind_noname, &san, now, "sbr.7.1.4.2.6.name.absent"),
          "7.1.4.2.6 Note 2: multipurpose needs givenName/surname or pseudonym");
    static const attr ind_nc[] = { { GN, U8, "Bob", 0 }, { L, U8, "London", 0 }, END };
    CHECK(expect(POL_INDIVIDUAL, POL_STRICT, ind_nc, &san, now, "sbr.7.1.4.2.2.locality.no-country"),
          "7.1.4.2.2(k): localityName without countryName");
    static const attr ind_st[] = { { GN, U8, "Bob", 0 }, { ST, U8, "Kent", 0 }, { POSTAL, U8, "CT1", 0 }, END };
    CHECK(expect(POL_INDIVIDUAL, POL_MULTIPURPOSE, ind_st, &san, now,
                 "sbr.7.1.4.2.2.state.no-country sbr.7.1.4.2.2.postal-code.no-country"),
          "7.1.4.2.2(l),(m): stateOrProvinceName and postalCode without countryName");
    static const attr ind_street[] = { { GN, U8, "Bob", 0 }, { STREET, U8, "1 High St", 0 }, { C, PR, "GB", 0 }, END };
    CHECK(expect(POL_INDIVIDUAL, POL_MULTIPURPOSE, ind_street, &san, now, "sbr.7.1.4.2.2.street.no-locality"),
          "7.1.4.2.2(j): streetAddress without localityName or stateOrProvinceName");

    /* Encodings and metadata */
    static const char *const meta[] = { "-", ".", " ", "...", "- -", "?", "N/A", "n/a", "n.a.", "Not Applicable",
                                         "not available", "\xe2\x80\x94" };
    int meta_bad = 0;
    for (size_t i = 0; i < sizeof meta / sizeof *meta; i++) {
        attr a[] = { { GN, U8, "Bob", 0 }, { L, U8, meta[i], 0 }, { C, PR, "GB", 0 }, END };
        meta_bad += !expect(POL_INDIVIDUAL, POL_STRICT, a, &san, now, "sbr.7.1.4.2.attr.metadata-only");
    }
    CHECK(meta_bad == 0, "7.1.4.2: %zu metadata-only values refused", sizeof meta / sizeof *meta);
    static const char *const names[] = { "NA", "Null", "None", "O'Neil", "Jean-Luc", "\xc3\x85sa", "X" };
    int names_bad = 0;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        attr a[] = { { SN, U8, names[i], 0 }, END };
        names_bad += !expect(POL_INDIVIDUAL, POL_STRICT, a, &san, now, "");
    }
    CHECK(names_bad == 0, "7.1.4.2: %zu real names (NA, Null, None, ...) are not metadata", sizeof names / sizeof *names);
    static const attr enc_bmp[] = { { GN, DER_BMP, "\x00" "B\x00o\x00" "b", 6 }, END };
    CHECK(expect(POL_INDIVIDUAL, POL_STRICT, enc_bmp, &san, now, "sbr.7.1.4.attr.directorystring"),
          "RFC 5280 4.1.2.6: BMPString DirectoryString refused");
    static const attr enc_c_utf8[] = { { GN, U8, "Bob", 0 }, { C, U8, "GB", 0 }, END };
    CHECK(expect(POL_INDIVIDUAL, POL_STRICT, enc_c_utf8, &san, now, "sbr.7.1.4.attr.string-type"),
          "RFC 5280 Appendix A: countryName must be a PrintableString");
    static const attr enc_bad_utf8[] = { { GN, U8, "B\xc3", 0 }, END };
    CHECK(expect(POL_INDIVIDUAL, POL_STRICT, enc_bad_utf8, &san, now, "sbr.7.1.4.attr.value-encoding"),
          "malformed UTF-8 value refused");
    static const attr enc_bad_pr[] = { { GN, PR, "B_b", 0 }, END };
    CHECK(expect(POL_INDIVIDUAL, POL_STRICT, enc_bad_pr, &san, now, "sbr.7.1.4.attr.value-encoding"),
          "PrintableString with '_' refused");
    char cn64[200] = "";
    for (int i = 0; i < 64; i++)
        strcat(cn64, "\xc3\xa9");
    attr ub_ok[] = { { GN, U8, "Bob", 0 }, { CN, U8, cn64, 0 }, END };
    CHECK(expect(POL_INDIVIDUAL, POL_STRICT, ub_ok, &san, now, ""), "a CN of 64 characters (128 octets) fits ub-common-name");
    strcat(cn64, "e");
    CHECK(expect(POL_INDIVIDUAL, POL_STRICT, ub_ok, &san, now, "sbr.7.1.4.2.2.attr.upper-bound"),
          "a CN of 65 characters does not");
    static const attr c_low[] = { { GN, U8, "Bob", 0 }, { C, PR, "gb", 0 }, END };
    CHECK(expect(POL_INDIVIDUAL, POL_STRICT, c_low, &san, now, "sbr.7.1.4.2.2.country.code"),
          "7.1.4.2.2(n): lowercase country code refused");
}

/* Every byte of a TBS rich in names flipped, three ways: the name rules
 * never read outside the input (ASan/UBSan build) and refusals carry
 * findings. */
static void test_mutations(void)
{
    static const attr rich[] = { { C, PR, "GB", 0 }, { O, U8, "Example Ltd", 0 }, { ORGID, PR, "LEIXG-5493001KJTIIGC8Y1R12", 0 },
                                 { GN, U8, "J\xc3\xbcrgen", 0 }, { SN, U8, "Example", 0 },
                                 { CN, U8, "j\xc3\xbcrgen@xn--bcher-kva.de", 0 }, { EMAIL, IA, "a@example.co.uk", 0 },
                                 { PSEUDO, U8, "N/A", 0 }, { L, U8, "London", 0 }, END };
    static const attr dn[] = { { CN, U8, "a@example.co.uk", 0 }, { O, U8, "Example Ltd", 0 }, END };
    dbuf san = { .n = 0 };
    uint8_t copy[sizeof tbs.b];
    size_t incoherent = 0, n;
    gn_smtputf8(&san, "j\xc3\xbcrgen@xn--bcher-kva.de");
    gn_rfc822(&san, "a@example.co.uk");
    gn_dirname(&san, dn);
    gn_other(&san, UPN, U8, "x@corp.example");
    build(POL_SPONSOR, POL_MULTIPURPOSE, rich, &san);
    n = tbs.n;
    memcpy(copy, tbs.b, n);
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < 3; k++) {
            static const uint8_t masks[] = { 0xFF, 0x80, 0x01 };
            pol_decision d;
            pol_ctx ctx = { .now = base_nb };
            memcpy(tbs.b, copy, n);
            tbs.b[i] ^= masks[k];
            pol_check(tbs.b, n, &ctx, &ws, &d);
            incoherent += (d.verdict == POL_REFUSE) != (d.n + d.dropped > 0);
        }
    CHECK(incoherent == 0, "%zu bytes of a name-rich TBS flipped three ways: decisions coherent", n);
}

int main(void)
{
    test_tbs();
    test_mutations();
    return CHECK_DONE();
}
