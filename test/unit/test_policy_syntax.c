/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The helpers of the SBR 7.1.4 name rules, case by case from the RFC and
 * SBR text: RFC 5321/6531 mailbox syntax and A-labels (pol_mailbox.c),
 * public suffixes (pol_domain.c; the generated list against every ASCII
 * rule of Debian's list), ISO 3166, organizationIdentifier and LEI
 * (pol_iso3166.c, pol_rules_orgid.c), ASN.1 strings (pol_str.c) and the
 * Mailbox Addresses inside attribute values (pol_mailbox_scan.c). Whole
 * TBSCertificates are test_policy_names.c's. Runs from the repository root.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "../../policy/pol.h"
#include "../../policy/pol_der.h"
#include "../../policy/pol_mailbox.h"
#include "../../policy/pol_tables.h"

#define S(x) (const uint8_t *)(x), (sizeof(x) - 1)

static pol_slice sl(const char *s, size_t n)
{
    pol_slice v = { (const uint8_t *)s, n };
    return v;
}
#define SL(x) sl((x), sizeof(x) - 1)

/* --- mailboxes ----------------------------------------------------------- */

static int mb(const char *s, unsigned flags)
{
    pol_mbox m;
    return pol_mailbox_parse((const uint8_t *)s, strlen(s), flags, &m);
}

static void test_mailbox(void)
{
    static const struct {
        const char *in;
        unsigned flags;
        int want;
    } cases[] = {
        /* RFC 5321 4.1.2 Dot-string and Quoted-string */
        { "alice@example.com", 0, POL_MB_OK },
        { "a.b.c@example.com", 0, POL_MB_OK },
        { "!#$%&'*+-/=?^_`{|}~@example.com", 0, POL_MB_OK },
        { "\"john doe\"@example.com", 0, POL_MB_OK },
        { "\"a\\\"b\"@example.com", 0, POL_MB_OK },
        { "\"a@b\"@example.com", 0, POL_MB_OK },
        { "\"\"@example.com", 0, POL_MB_OK },
        { "x@a-b.example", 0, POL_MB_OK },
        { "x@EXAMPLE.COM", 0, POL_MB_OK },
        { "x@1.2.example", 0, POL_MB_OK },
        { "x@xn--bcher-kva.example", 0, POL_MB_OK },
        { "x@XN--BCHER-KVA.example", 0, POL_MB_OK },
        { "", 0, POL_MB_NO_AT },
        { "alice", 0, POL_MB_NO_AT },
        { "alice@", 0, POL_MB_NO_AT },
        { "\"alice\"", 0, POL_MB_NO_AT },
        { "@example.com", 0, POL_MB_LOCAL },
        { ".alice@example.com", 0, POL_MB_LOCAL },
        { "alice.@example.com", 0, POL_MB_LOCAL },
        { "a..b@example.com", 0, POL_MB_LOCAL },
        { "a b@example.com", 0, POL_MB_LOCAL },
        { "a(b)@example.com", 0, POL_MB_LOCAL },
        { "a,b@example.com", 0, POL_MB_LOCAL },
        { "<a@example.com>", 0, POL_MB_LOCAL },
        { "\"abc@example.com", 0, POL_MB_LOCAL },
        { "\"a\"b@example.com", 0, POL_MB_LOCAL },
        { "\"a\\\x01\"@example.com", 0, POL_MB_LOCAL },
        { "\"a\tb\"@example.com", 0, POL_MB_LOCAL },
        { "a@[192.0.2.1]", 0, POL_MB_LITERAL },
        { "a@[IPv6:2001:db8::1]", 0, POL_MB_LITERAL },
        { "a@-x.com", 0, POL_MB_DOMAIN },
        { "a@x-.com", 0, POL_MB_DOMAIN },
        { "a@x..com", 0, POL_MB_DOMAIN },
        { "a@.x.com", 0, POL_MB_DOMAIN },
        { "a@x.com.", 0, POL_MB_DOMAIN },
        { "a@x_y.com", 0, POL_MB_DOMAIN },
        { "a@b@c.com", 0, POL_MB_DOMAIN },
        { "a@x.com ", 0, POL_MB_DOMAIN },
        /* RFC 5890 2.3.1: R-LDH labels are A-labels or nothing */
        { "a@ab--c.com", 0, POL_MB_ALABEL },
        { "a@xn--99999999999.com", 0, POL_MB_ALABEL },
        { "a@xn--99999a.com", 0, POL_MB_ALABEL },
        { "a@xn--abc-.com", 0, POL_MB_DOMAIN },
        { "a@xn--ab-.com", 0, POL_MB_DOMAIN },
        { "a@xn--ascii-.com", 0, POL_MB_DOMAIN },
        /* non-ASCII: rfc822Name none; SmtpUTF8Mailbox in the local part only */
        { "j\xc3\xbcrgen@example.com", 0, POL_MB_NON_ASCII },
        { "j\xc3\xbcrgen@example.com", POL_MB_UTF8_LOCAL, POL_MB_OK },
        { "\"j\xc3\xbcrgen x\"@example.com", POL_MB_UTF8_LOCAL, POL_MB_OK },
        { "\xe7\x94\xa8\xe6\x88\xb7@example.com", POL_MB_UTF8_LOCAL, POL_MB_OK },
        { "j\xc3\xbcrgen@ex\xc3\xa4mple.com", POL_MB_UTF8_LOCAL, POL_MB_NON_ASCII },
        { "alice@ex\xc3\xa4mple.com", 0, POL_MB_NON_ASCII },
        { "j\xc3(x@example.com", POL_MB_UTF8_LOCAL, POL_MB_UTF8 },
        { "\xc0\xaf@example.com", POL_MB_UTF8_LOCAL, POL_MB_UTF8 },
        { "\xed\xa0\x80@example.com", POL_MB_UTF8_LOCAL, POL_MB_UTF8 },
        { "\xf4\x90\x80\x80@example.com", POL_MB_UTF8_LOCAL, POL_MB_UTF8 },
        { "\xc3@example.com", POL_MB_UTF8_LOCAL, POL_MB_UTF8 },
        { "\"\\\xc3\xbc\"@example.com", POL_MB_UTF8_LOCAL, POL_MB_LOCAL },
    };
    int bad = 0;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int r = mb(cases[i].in, cases[i].flags);
        if (r != cases[i].want) {
            bad++;
            fprintf(stderr, "mailbox \"%s\" flags %u: got %d, want %d\n", cases[i].in, cases[i].flags, r,
                    cases[i].want);
        }
    }
    CHECK(bad == 0, "mailbox syntax: %zu cases of RFC 5321 4.1.2 / RFC 6531 3.3 / RFC 5890", sizeof cases / sizeof *cases);

    /* RFC 5321 4.5.3.1: local-part 64, domain 255 octets (253 in text), a
     * Path of 256 with its angle brackets: a Mailbox of 254. */
    char buf[400], label63[64];
    memset(label63, 'a', 63);
    label63[63] = 0;
    memset(buf, 'l', 64);
    strcpy(buf + 64, "@example.com");
    CHECK(mb(buf, 0) == POL_MB_OK, "local-part of 64 octets: a mailbox");
    memset(buf, 'l', 65);
    strcpy(buf + 65, "@example.com");
    CHECK(mb(buf, 0) == POL_MB_LOCAL_LEN, "local-part of 65 octets: refused (RFC 5321 4.5.3.1.1)");
    snprintf(buf, sizeof buf, "a@%s.com", label63);
    CHECK(mb(buf, 0) == POL_MB_OK, "label of 63 octets: a mailbox");
    snprintf(buf, sizeof buf, "a@%sa.com", label63);
    CHECK(mb(buf, 0) == POL_MB_LABEL_LEN, "label of 64 octets: refused (RFC 1035 2.3.4)");
    /* a@ + 3 labels of 63 + ".example.co" ... build domains of exact sizes */
    for (size_t dlen = 250; dlen <= 254; dlen++) {
        size_t k = 0;
        buf[k++] = 'a';
        buf[k++] = '@';
        while (k - 2 < dlen) {
            size_t left = dlen - (k - 2), take = left > 63 ? 63 : left;
            if (take < left && take == left - 1)
                take--; /* never leave a one-octet tail after a dot */
            memset(buf + k, 'b', take);
            k += take;
            if (k - 2 < dlen)
                buf[k++] = '.';
        }
        buf[k] = 0;
        int r = mb(buf, 0);
        int want = dlen > 253 ? POL_MB_DOMAIN_LEN : dlen + 2 > 254 ? POL_MB_TOO_LONG : POL_MB_OK;
        CHECK(r == want, "domain of %zu octets, mailbox of %zu: %d (want %d)", dlen, dlen + 2, r, want);
    }

    /* RFC 3492 6.2 decoding of A-labels */
    CHECK(pol_punycode_valid(S("bcher-kva")), "xn--bcher-kva (bücher) is a valid A-label");
    CHECK(pol_punycode_valid(S("mnchen-3ya")), "xn--mnchen-3ya (münchen) is a valid A-label");
    CHECK(pol_punycode_valid(S("p1ai")), "xn--p1ai is a valid A-label");
    CHECK(!pol_punycode_valid(S("")), "empty Punycode: not an A-label");
    CHECK(!pol_punycode_valid(S("abc-")), "only basic code points: not an A-label");
    CHECK(!pol_punycode_valid(S("99999999999")), "truncated or overflowing Punycode: refused");
    CHECK(!pol_punycode_valid(S("99999a")), "Punycode decoding beyond U+10FFFF: refused");
    CHECK(!pol_punycode_valid(S("a!b")), "Punycode with a non-digit: refused");
}

/* --- public suffixes --------------------------------------------------------- */

static int dom(const char *d) { return pol_domain_public(sl(d, strlen(d))); }

static void test_psl_cases(void)
{
    static const struct {
        const char *d;
        int want;
    } cases[] = {
        { "example.com", POL_DOM_OK },
        { "mail.example.com", POL_DOM_OK },
        { "com", POL_DOM_SUFFIX },
        { "co.uk", POL_DOM_SUFFIX },
        { "CO.UK", POL_DOM_SUFFIX },
        { "example.co.uk", POL_DOM_OK },
        { "Example.Co.UK", POL_DOM_OK },
        { "example.de", POL_DOM_OK },
        /* reserved and internal names (RFC 2606, RFC 6761, RFC 6762) */
        { "example.local", POL_DOM_TLD },
        { "example.test", POL_DOM_TLD },
        { "example.invalid", POL_DOM_TLD },
        { "example.localhost", POL_DOM_TLD },
        { "example.example", POL_DOM_TLD },
        { "host.corp", POL_DOM_TLD },
        { "example.internal", POL_DOM_TLD },
        { "mailserver", POL_DOM_TLD },
        { "example.c", POL_DOM_TLD },
        { "example.comm", POL_DOM_TLD },
        /* wildcards and exceptions */
        { "kawasaki.jp", POL_DOM_OK },
        { "foo.kawasaki.jp", POL_DOM_SUFFIX },
        { "city.kawasaki.jp", POL_DOM_OK },
        { "x.foo.kawasaki.jp", POL_DOM_OK },
        { "bd", POL_DOM_SUFFIX },
        { "foo.bd", POL_DOM_SUFFIX },
        { "x.foo.bd", POL_DOM_OK },
        { "www.ck", POL_DOM_OK },
        { "foo.ck", POL_DOM_SUFFIX },
        /* IDN TLD in A-label form (рф) */
        { "xn--p1ai", POL_DOM_SUFFIX },
        { "xn--80ak6aa92e.xn--p1ai", POL_DOM_OK },
        /* the PRIVATE section is not used */
        { "blogspot.com", POL_DOM_OK },
        { "s3.amazonaws.com", POL_DOM_OK },
    };
    int bad = 0;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int r = dom(cases[i].d);
        if (r != cases[i].want) {
            bad++;
            fprintf(stderr, "domain %s: got %d, want %d\n", cases[i].d, r, cases[i].want);
        }
    }
    CHECK(bad == 0, "domain reality: %zu cases (TLDs, reserved names, wildcards, exceptions, IDN)",
          sizeof cases / sizeof *cases);
    CHECK(!pol_psl_has(S("")) && !pol_psl_has(S("zzzzzz")) && pol_psl_has(S("zw")) && pol_psl_has(S("aaa")),
          "main list: first and last keys found, absent keys not");
}

/* Every ASCII rule of the ICANN section of Debian's list, read here. */
#define MAX_RULES 12000
static char *rules[MAX_RULES];
static size_t n_rules;

static int is_wild_parent(const char *d)
{
    for (size_t i = 0; i < n_rules; i++)
        if (rules[i][0] == '*' && !strcmp(rules[i] + 2, d))
            return 1;
    return 0;
}
static int is_exception(const char *d)
{
    for (size_t i = 0; i < n_rules; i++)
        if (rules[i][0] == '!' && !strcmp(rules[i] + 1, d))
            return 1;
    return 0;
}

static void test_psl_file(void)
{
    FILE *f = fopen("/usr/share/publicsuffix/public_suffix_list.dat", "r");
    char line[512], d[600];
    int icann = 0;
    size_t bad_rule = 0, bad_child = 0, bad_wild = 0, bad_exc = 0, n_normal = 0;
    if (!f) {
        printf("skip - /usr/share/publicsuffix/public_suffix_list.dat not installed\n");
        return;
    }
    while (fgets(line, sizeof line, f) && n_rules < MAX_RULES) {
        char *s = line, *e;
        int ascii = 1;
        if (strstr(line, "===BEGIN ICANN DOMAINS==="))
            icann = 1;
        if (strstr(line, "===END ICANN DOMAINS==="))
            icann = 0;
        while (*s == ' ' || *s == '\t')
            s++;
        if (!icann || !*s || *s == '\n' || (s[0] == '/' && s[1] == '/'))
            continue;
        for (e = s; *e && *e != ' ' && *e != '\t' && *e != '\n' && *e != '\r'; e++)
            ascii &= (unsigned char)*e < 0x80;
        *e = 0;
        if (ascii)
            rules[n_rules++] = strdup(s);
    }
    fclose(f);
    for (size_t i = 0; i < n_rules; i++) {
        const char *r = rules[i];
        if (r[0] == '!') {
            bad_exc += dom(r + 1) != POL_DOM_OK;
        } else if (r[0] == '*') {
            snprintf(d, sizeof d, "zq9x.%s", r + 2);
            bad_wild += !is_exception(d) && dom(d) != POL_DOM_SUFFIX;
        } else {
            n_normal++;
            bad_rule += dom(r) != POL_DOM_SUFFIX;
            snprintf(d, sizeof d, "zq9x.%s", r);
            bad_child += dom(d) != (is_wild_parent(r) ? POL_DOM_SUFFIX : POL_DOM_OK);
        }
    }
    CHECK(n_normal > 5000, "read %zu ASCII ICANN rules from Debian's public suffix list", n_rules);
    CHECK(bad_rule == 0, "every normal rule is a public suffix (%zu wrong)", bad_rule);
    CHECK(bad_child == 0, "one label beyond every normal rule is registrable (%zu wrong)", bad_child);
    CHECK(bad_wild == 0, "one label under every wildcard rule is a public suffix (%zu wrong)", bad_wild);
    CHECK(bad_exc == 0, "every exception rule is registrable (%zu wrong)", bad_exc);
    for (size_t i = 0; i < n_rules; i++)
        free(rules[i]);
}

/* --- ISO 3166, organizationIdentifier, LEI ----------------------------------- */

static int orgid(const char *s, pol_orgid *o) { return pol_orgid_parse((const uint8_t *)s, strlen(s), o); }

static void test_iso_orgid(void)
{
    pol_orgid o;
    CHECK(pol_iso3166_1_find((const uint8_t *)"GB") >= 0 && pol_iso3166_1_find((const uint8_t *)"AD") >= 0 &&
              pol_iso3166_1_find((const uint8_t *)"ZW") >= 0,
          "ISO 3166-1: GB, AD (first), ZW (last) found");
    CHECK(pol_iso3166_1_find((const uint8_t *)"UK") < 0 && pol_iso3166_1_find((const uint8_t *)"XX") < 0 &&
              pol_iso3166_1_find((const uint8_t *)"EL") < 0 && pol_iso3166_1_find((const uint8_t *)"gb") < 0 &&
              pol_iso3166_1_find((const uint8_t *)"XG") < 0,
          "ISO 3166-1: UK, XX, EL, XG, lowercase gb are not codes");
    CHECK(pol_iso3166_2_has((const uint8_t *)"US", S("CA")) && pol_iso3166_2_has((const uint8_t *)"GB", S("ENG")) &&
              pol_iso3166_2_has((const uint8_t *)"JP", S("13")) && pol_iso3166_2_has((const uint8_t *)"FR", S("971")) &&
              pol_iso3166_2_has((const uint8_t *)"DE", S("BY")) && pol_iso3166_2_has((const uint8_t *)"GR", S("A")),
          "ISO 3166-2: US-CA, GB-ENG, JP-13, FR-971, DE-BY, GR-A exist");
    CHECK(!pol_iso3166_2_has((const uint8_t *)"US", S("ZZ")) && !pol_iso3166_2_has((const uint8_t *)"DE", S("B")) &&
              !pol_iso3166_2_has((const uint8_t *)"US", S("ca")) && !pol_iso3166_2_has((const uint8_t *)"XX", S("01")) &&
              !pol_iso3166_2_has((const uint8_t *)"US", S("CALI")) && !pol_iso3166_2_has((const uint8_t *)"US", S("")),
          "ISO 3166-2: US-ZZ, DE-B, lowercase, unknown country, 4 characters, empty: absent");

    /* 7.1.4.2.2(d) examples and Note 2 */
    CHECK(orgid("NTRGB-12345678", &o) == 0 && o.scheme == ORGID_NTR && !memcmp(o.cc, "GB", 2) && !o.sub &&
              o.ref_len == 8 && pol_orgid_country_ok(&o),
          "NTRGB-12345678 parses (country level)");
    CHECK(orgid("NTRUS+CA-12345678", &o) == 0 && o.sub_len == 2 && pol_orgid_sub_ok(&o) && o.ref_len == 8,
          "NTRUS+CA-12345678 parses (subdivision level)");
    CHECK(orgid("PSDBE-NBB-1234.567.890", &o) == 0 && o.scheme == ORGID_PSD && o.ref_len == 16 &&
              pol_orgid_psd_ok(&o),
          "PSDBE-NBB-1234.567.890: leftmost hyphen separates, NCA NBB");
    CHECK(orgid("VATEL-123456789", &o) == 0 && pol_orgid_country_ok(&o), "VATEL-123456789: Article 215 prefix EL");
    CHECK(orgid("VATXI-123456789", &o) == 0 && pol_orgid_country_ok(&o), "VATXI-123456789: Article 215 prefix XI");
    CHECK(orgid("NTREL-123", &o) == 0 && !pol_orgid_country_ok(&o), "NTREL-123: EL only for VAT");
    CHECK(orgid("VATGR-123456789", &o) == 0 && pol_orgid_country_ok(&o), "VATGR-123456789: the ISO code also");
    CHECK(orgid("VATEL+I-1", &o) == 0 && pol_orgid_sub_ok(&o), "VATEL+I: subdivision of GR");
    CHECK(orgid("NTRDE-DER3306.HRB12345", &o) == 0, "NTRDE-DER3306.HRB12345 (EUID, Note 3) parses");
    CHECK(orgid("GOVUS", &o) == 0 && o.scheme == ORGID_GOV && !o.ref && pol_orgid_country_ok(&o), "GOVUS parses");
    CHECK(orgid("GOVUS+CA", &o) == 0 && pol_orgid_sub_ok(&o), "GOVUS+CA parses");
    CHECK(orgid("INTXG", &o) == 0 && o.scheme == ORGID_INT && pol_orgid_country_ok(&o), "INTXG parses");
    CHECK(orgid("INTUS", &o) == 0 && !pol_orgid_country_ok(&o), "INTUS: INT takes XG");
    CHECK(orgid("LEIXG-5493001KJTIIGC8Y1R12", &o) == 0 && pol_orgid_country_ok(&o) &&
              pol_lei_valid(o.ref, o.ref_len),
          "LEIXG-5493001KJTIIGC8Y1R12 parses, LEI valid");
    CHECK(orgid("LEIGB-5493001KJTIIGC8Y1R12", &o) == 0 && !pol_orgid_country_ok(&o), "LEIGB: LEI takes XG");
    CHECK(orgid("NTRXG-1", &o) == 0 && !pol_orgid_country_ok(&o), "NTRXG: XG is not an ISO 3166-1 code");
    CHECK(orgid("NTRXX-1", &o) == 0 && pol_orgid_country_ok(&o), "NTRXX: user-assigned XX as in (n)");
    CHECK(orgid("NTRUK-1", &o) == 0 && !pol_orgid_country_ok(&o), "NTRUK: not an ISO 3166-1 code");
    CHECK(orgid("NTRUS+ZZ-1", &o) == 0 && !pol_orgid_sub_ok(&o), "NTRUS+ZZ: no such subdivision");
    CHECK(orgid("NTRXX+AB-1", &o) == 0 && !pol_orgid_sub_ok(&o), "NTRXX+AB: XX has no subdivisions");
    CHECK(orgid("PSDBE-1234", &o) == 0 && !pol_orgid_psd_ok(&o), "PSDBE-1234: no NCA identifier");
    CHECK(orgid("PSDBE-N-1", &o) == 0 && !pol_orgid_psd_ok(&o), "PSDBE-N-1: NCA identifier of one letter");
    CHECK(orgid("PSDBE-ABCDEFGHI-1", &o) == 0 && !pol_orgid_psd_ok(&o), "PSDBE-ABCDEFGHI-1: NCA of 9 letters");
    CHECK(orgid("PSDBE-NBB-", &o) == 0 && !pol_orgid_psd_ok(&o), "PSDBE-NBB-: no PSP identifier");
    /* 7.1.4.2.2(d), A.1: only NTR and GOV references are assigned at a subdivision level */
    CHECK(orgid("NTRUS+CA-1", &o) == 0 && pol_orgid_sub_allowed(&o) && orgid("GOVUS+CA", &o) == 0 &&
              pol_orgid_sub_allowed(&o) && orgid("VATDE-1", &o) == 0 && pol_orgid_sub_allowed(&o),
          "subdivision allowed: NTR, GOV; no subdivision: always");
    CHECK(orgid("VATEL+I-1", &o) == 0 && !pol_orgid_sub_allowed(&o) && orgid("PSDBE+VLG-NBB-1", &o) == 0 &&
              !pol_orgid_sub_allowed(&o) && orgid("LEIXG+AB-5493001KJTIIGC8Y1R12", &o) == 0 &&
              !pol_orgid_sub_allowed(&o) && orgid("INTXG+AB", &o) == 0 && !pol_orgid_sub_allowed(&o),
          "subdivision not allowed: VAT, PSD, LEI, INT (parsed, then refused by their own row)");
    static const char *const bad[] = {
        "", "NTRGB", "NTRGB-", "ntrGB-1", "NTRgb-1", "ABCGB-1", "NTRG-1", "NTR1B-1", "NTRGB+-1", "NTRUS+CALI-1",
        "NTRUS+C_-1", "NTRGB 1", "NTRGB_1", "GOVUS-1", "GOVUS+CA-1", "GOVUS+", "INTXG-1", "LEIXG",
        "NTRGB+CA", "PASGB-1", "NTRGB12345678",
    };
    int nbad = 0;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (orgid(bad[i], &o) == 0) {
            nbad++;
            fprintf(stderr, "organizationIdentifier \"%s\" parsed\n", bad[i]);
        }
    CHECK(nbad == 0, "%zu malformed organizationIdentifiers refused", sizeof bad / sizeof *bad);

    /* ISO 17442 / ISO 7064 MOD 97-10 */
    CHECK(pol_lei_valid(S("5493001KJTIIGC8Y1R12")) && pol_lei_valid(S("529900T8BM49AURSDO55")) &&
              pol_lei_valid(S("7LTWFZYICNSX8D621K86")) && pol_lei_valid(S("HWUPKR0MPOU8FGXBT394")),
          "four LEIs with valid check digits");
    CHECK(!pol_lei_valid(S("5493001KJTIIGC8Y1R13")) && !pol_lei_valid(S("5493001KJTIIGC8Y1R1")) &&
              !pol_lei_valid(S("5493001KJTIIGC8Y1R123")) && !pol_lei_valid(S("5493001kjtiigc8y1r12")) &&
              !pol_lei_valid(S("5493001KJTIIGC8Y1RA2")) && !pol_lei_valid(S("5493001KJTIIGC8Y-R12")),
          "LEI: wrong check digit, 19/21 characters, lowercase, letter check digit, hyphen: refused");
}

/* --- strings --------------------------------------------------------------------- */

static void test_strings(void)
{
    CHECK(pol_str_valid(DER_PRINTABLE, SL("Example Ltd. (UK) 1+1=2?")) == 1, "PrintableString repertoire");
    CHECK(pol_str_valid(DER_PRINTABLE, SL("a@b")) == 0 && pol_str_valid(DER_PRINTABLE, SL("a&b")) == 0 &&
              pol_str_valid(DER_PRINTABLE, SL("a_b")) == 0 && pol_str_valid(DER_PRINTABLE, SL("")) == 0,
          "PrintableString: '@', '&', '_' and the empty string refused");
    CHECK(pol_str_valid(DER_IA5, SL("a@b.c")) == 1 && pol_str_valid(DER_IA5, SL("\x80")) == 0, "IA5String is 7-bit");
    CHECK(pol_str_valid(DER_UTF8, SL("J\xc3\xbcrgen \xe7\x94\xa8 \xf0\x9f\x98\x80")) == 1, "UTF-8 of 1 to 4 octets");
    CHECK(pol_str_valid(DER_UTF8, SL("\xc3")) == 0 && pol_str_valid(DER_UTF8, SL("\xe0\x80\xaf")) == 0 &&
              pol_str_valid(DER_UTF8, SL("\xed\xb0\x80")) == 0 && pol_str_valid(DER_UTF8, SL("\xf5\x80\x80\x80")) == 0 &&
              pol_str_valid(DER_UTF8, SL("\xbf")) == 0 && pol_str_valid(DER_UTF8, SL("\xc1\xbf")) == 0,
          "UTF-8: truncated, overlong, surrogate, beyond U+10FFFF, lone continuation refused (RFC 3629)");
    CHECK(pol_str_valid(DER_BMP, SL("\x00" "A\x00" "B")) == 1 && pol_str_valid(DER_BMP, SL("\x00" "AB")) == 0 &&
              pol_str_valid(DER_BMP, SL("\xd8\x00")) == 0,
          "BMPString: even length, no surrogates");
    CHECK(pol_str_valid(DER_UNIVERSAL, SL("\x00\x00\x00" "A")) == 1 &&
              pol_str_valid(DER_UNIVERSAL, SL("\x00\x11\x00\x00")) == 0 &&
              pol_str_valid(DER_UNIVERSAL, SL("\x00\x00" "A")) == 0,
          "UniversalString: 4 octets a character, at most U+10FFFF");
    CHECK(pol_str_valid(DER_SEQUENCE, SL("x")) == -1, "a SEQUENCE is no string");
    CHECK(pol_str_chars(DER_UTF8, SL("J\xc3\xbcrgen")) == 6 && pol_str_chars(DER_BMP, SL("\x00" "A\x00" "B")) == 2,
          "characters, not octets, are counted");
    CHECK(pol_str_eq(DER_UTF8, SL("AB"), DER_BMP, SL("\x00" "A\x00" "B")) &&
              pol_str_eq(DER_PRINTABLE, SL("Ltd"), DER_UTF8, SL("Ltd")) && !pol_str_eq(DER_UTF8, SL("Ltd"), DER_UTF8, SL("ltd")),
          "string equality by characters across string types");
    CHECK(pol_mailbox_same(DER_IA5, SL("a@EXAMPLE.com"), DER_UTF8, SL("a@example.COM")),
          "mailboxes: domain compared ignoring case");
    CHECK(!pol_mailbox_same(DER_IA5, SL("A@example.com"), DER_IA5, SL("a@example.com")),
          "mailboxes: local part compared exactly");
    CHECK(pol_mailbox_same(DER_UTF8, SL("j\xc3\xbcrgen@example.com"),
                           DER_BMP, SL("\x00j\x00\xfc\x00r\x00g\x00" "e\x00n\x00@\x00" "e\x00x\x00" "a\x00m\x00p\x00l\x00"
                                       "e\x00.\x00" "c\x00o\x00m")),
          "mailboxes: UTF8String and BMPString forms of one mailbox are the same");
    CHECK(pol_mailbox_same(DER_IA5, SL("\"a@b\"@x.com"), DER_IA5, SL("\"a@b\"@X.COM")) &&
              !pol_mailbox_same(DER_IA5, SL("\"a@b\"@x.com"), DER_IA5, SL("\"a@B\"@x.com")),
          "mailboxes: split at the last '@'");
    CHECK(!pol_mailbox_same(DER_IA5, SL("a@x.com"), DER_IA5, SL("a@x.co")) &&
              !pol_mailbox_same(DER_IA5, SL("ax.com"), DER_IA5, SL("ax.com")),
          "mailboxes: different domains, or no '@': not the same");
}

/* --- Mailbox Addresses inside attribute values (pol_mailbox_scan.c) ---------------- */

typedef struct {
    char seen[4][80];
    int n;
} visits;
static int record_visit(const void *arg, uint8_t tag, pol_slice a)
{
    visits *v = (visits *)(uintptr_t)arg;
    (void)tag;
    if (v->n < 4 && a.len < sizeof v->seen[0]) {
        memcpy(v->seen[v->n], a.p, a.len);
        v->seen[v->n][a.len] = 0;
    }
    v->n++;
    return 0;
}
/* The addresses found in (tag, value), joined by "|". */
static const char *scan(uint8_t tag, const char *s, size_t n)
{
    static char out[400];
    visits v;
    size_t o = 0;
    memset(&v, 0, sizeof v);
    pol_mailbox_scan(tag, sl(s, n), record_visit, &v);
    out[0] = 0;
    for (int i = 0; i < v.n && i < 4; i++)
        o += (size_t)snprintf(out + o, sizeof out - o, "%s%s", i ? "|" : "", v.seen[i]);
    return out;
}
#define SCAN(tag, s) scan((tag), (s), sizeof(s) - 1)
static int stop_first(const void *arg, uint8_t tag, pol_slice a)
{
    (void)arg, (void)tag, (void)a;
    return 1;
}

static void test_scan(void)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        { "bob@example.com", "bob@example.com" },
        { "\"bob smith\"@example.com", "\"bob smith\"@example.com" },  /* whole value: quoted local part */
        { "bob@localhost", "bob@localhost" },                           /* whole value: one-label domain */
        { "Bob <bob@example.com>", "bob@example.com" },
        { "a@x.com, b@y.org; c@z.net", "a@x.com|b@y.org|c@z.net" },
        { "mailto:bob@example.com", "bob@example.com" },
        { "write to bob@example.com.", "bob@example.com" },
        { "bob@example.com's desk", "bob@example.com" },
        { "x@a.com/y@b.com", "x@a.com|/y@b.com" },
        { "Engineer @ R&D@Home", "" },
        { "@example.com and @@", "" },
        { "a..b@example.com c", "" },                                   /* not a Dot-string: no Mailbox */
        { "J\xc3\xbcrgen \xc2\xabj\xc3\xbc" "rgen@example.com\xc2\xbb", "j\xc3\xbc" "rgen@example.com" },
        { "x bob@b\xc3\xbc" "cher.com", "bob@b\xc3\xbc" "cher.com" },         /* U-label domain: reported as written */
        { "x\xc2\xa0" "bob@example.com\xe2\x80\x8b", "bob@example.com" },    /* NBSP, zero-width space */
        { "no address here", "" },
    };
    int bad = 0;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *got = scan(DER_UTF8, cases[i].in, strlen(cases[i].in));
        if (strcmp(got, cases[i].want)) {
            bad++;
            fprintf(stderr, "scan \"%s\": got \"%s\", want \"%s\"\n", cases[i].in, got, cases[i].want);
        }
    }
    CHECK(bad == 0, "mailbox scan: %zu attribute values", sizeof cases / sizeof *cases);
    CHECK(!strcmp(SCAN(DER_BMP, "\x00<\x00" "a\x00@\x00x\x00.\x00" "c\x00o\x00m\x00>"), "a@x.com"),
          "mailbox scan: a BMPString value is read as its characters");
    CHECK(!strcmp(SCAN(DER_UNIVERSAL, "\0\0\0a\0\0\0@\0\0\0x\0\0\0.\0\0\0y\0\0\0 "), "a@x.y"),
          "mailbox scan: a UniversalString value too");
    CHECK(!strcmp(SCAN(DER_SEQUENCE, "a@x.com"), "") && !strcmp(SCAN(DER_UTF8, "a@x.com\xc3 b@y.com"), ""),
          "mailbox scan: no string, or malformed UTF-8 before the end of the first address: nothing");
    {
        char buf[700];
        memset(buf, 'a', 65);
        memcpy(buf + 65, "@example.com", 12);
        CHECK(!strcmp(scan(DER_UTF8, buf, 77), ""), "mailbox scan: a local part of 65 octets is no address");
        memset(buf, 'a', 64);
        memcpy(buf + 64, "@example.com", 12);
        CHECK(strlen(scan(DER_UTF8, buf, 76)) == 76, "mailbox scan: a local part of 64 octets is one");
        memcpy(buf, "x ", 2);
        memset(buf + 2, 'a', 4);
        buf[6] = '@';
        for (int k = 0; k < 130; k++)
            memcpy(buf + 7 + 4 * k, "bb.c", 4);
        CHECK(!strcmp(scan(DER_UTF8, buf, 7 + 520), ""), "mailbox scan: a domain of 520 octets is no address");
    }
    {
        visits v;
        memset(&v, 0, sizeof v);
        CHECK(pol_mailbox_scan(DER_UTF8, SL("a@x.com b@y.com"), stop_first, &v) == 1,
              "mailbox scan: stops at the first address its visitor refuses");
    }
}

int main(void)
{
    test_mailbox();
    test_psl_cases();
    test_psl_file();
    test_iso_orgid();
    test_strings();
    test_scan();
    return CHECK_DONE();
}
