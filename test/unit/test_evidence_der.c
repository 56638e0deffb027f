/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Malformed evidence never passes and never crashes (run under ASan+UBSan
 * too): truncation at every byte, trailing bytes, every tag replaced, every
 * byte flipped, and each field one past its bound of docs/evidence.md (with
 * a valid signature, so that only the parser can refuse it) next to the
 * same field at its bound. Refusals of structure carry the one parse code
 * sbrguard.evidence.malformed.
 */
#include "check.h"
#include "evtest.h"

#define V "test/vectors/smime/"
#define NOW 1759276800
#define MALFORMED "sbrguard.evidence.malformed"

static ev_key va;
static uint8_t trust_keys[512], trust_caa[] = { 0x16, 0x0A, 'c', 'a', '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e' };
static pol_ev_trust trust;
static uint8_t tbs[4096], base[SG_MAX_EVIDENCE * 3], buf[SG_MAX_EVIDENCE * 3];
static size_t tl, bl;
static ev_spec s;

static const char *codes(const uint8_t *p, size_t n)
{
    pol_decision d = ev_judge(tbs, tl, p, n, &trust, NOW);
    return ev_codes(&d);
}

static const char *codes_of_spec(void)
{
    size_t n = ev_make(&s, &va, buf, sizeof buf);
    return n ? codes(buf, n) : "(not made)";
}

/* The full evidence of the base case: every optional field present. */
static void base_spec(void)
{
    static const char *issuers[] = { "ca.example" };
    ev_spec_default(&s, tbs, tl, NOW, SG_EV_M_DOMAIN, &va);
    s.t.has_tbs_hash = 1;
    mbedtls_sha256(tbs, tl, s.t.tbs_hash, 0);
    for (size_t i = 0; i < s.t.n_mailboxes; i++) {
        s.mb[i].has_rv = 1;
        s.mb[i].rv_created = NOW - 7200;
        s.mb[i].rv_used = NOW - 3600;
        s.mb[i].rv_bits = 128;
        s.mb[i].caa_issuers = issuers;
        s.mb[i].n_caa_issuers = 1;
    }
}

/* Offsets of every tag in a DER value (recursing into constructed ones). */
static size_t tags_of(const uint8_t *p, size_t n, size_t off, size_t *out, size_t max, size_t k)
{
    pol_slice all = { p + off, n }, v, t;
    pol_der c = pol_der_of(all);
    uint8_t tag;
    while (k < max && pol_der_more(&c)) {
        size_t at = (size_t)(c.p - p);
        if (pol_der_next(&c, &tag, &v, &t))
            break;
        out[k++] = at;
        if (tag & 0x20)
            k = tags_of(p, v.len, (size_t)(v.p - p), out, max, k);
    }
    return k;
}

static void structure(void)
{
    size_t bad = 0, tags[512], nt, flips_bad = 0, accepted = 0;
    CHECK(!strcmp(codes(base, bl), "accept"), "base evidence (every optional field) is accepted (%zu bytes)", bl);
    for (size_t n = 1; n < bl; n++)
        bad += strcmp(codes(base, n), MALFORMED) != 0;
    CHECK(bad == 0, "truncated at each of %zu byte positions: " MALFORMED, bl - 1);
    memcpy(buf, base, bl);
    buf[bl] = 0;
    CHECK(!strcmp(codes(buf, bl + 1), MALFORMED), "one trailing byte: " MALFORMED);
    CHECK(!strcmp(codes(base, 0), "sbr.3.2.evidence.absent"), "zero bytes: absent");

    /* Every tag replaced by other tags. */
    static const uint8_t alt[] = { 0x01, 0x02, 0x04, 0x05, 0x06, 0x0C, 0x13, 0x16, 0x17, 0x18, 0x1F,
                                   0x30, 0x31, 0x80, 0x81, 0xA0, 0xA1, 0xA2, 0xA3, 0xA4, 0x00 };
    nt = tags_of(base, bl, 0, tags, 512, 0);
    bad = 0;
    size_t tried = 0, parse = 0;
    for (size_t i = 0; i < nt; i++)
        for (size_t a = 0; a < sizeof alt; a++) {
            const char *c;
            if (alt[a] == base[tags[i]])
                continue;
            memcpy(buf, base, bl);
            buf[tags[i]] = alt[a];
            c = codes(buf, bl);
            tried++;
            parse += !strcmp(c, MALFORMED);
            bad += strcmp(c, MALFORMED) && strcmp(c, "sbr.3.2.2.evidence.signature");
        }
    CHECK(nt > 60 && bad == 0, "%zu tags x %zu replacements (%zu): refused, %zu by the parse code, the rest by the "
          "signature (UTCTime for GeneralizedTime can still parse)", nt, sizeof alt - 1, tried, parse);
    /* Named ones. */
    static const struct {
        uint8_t from, to;
        const char *what;
    } named[] = {
        { 0x0C, 0x16, "mailbox UTF8String as IA5String" },
        { 0xA1, 0xA4, "mailboxes [1] as [4]" },
        { 0x80, 0x04, "tbsHash [0] as OCTET STRING" },
        { 0xA2, 0x30, "CaaCheck [2] as SEQUENCE" },
        { 0x03, 0x04, "signature BIT STRING as OCTET STRING" },
    };
    for (size_t i = 0; i < sizeof named / sizeof *named; i++) {
        size_t k = 0;
        while (k < nt && base[tags[k]] != named[i].from)
            k++;
        memcpy(buf, base, bl);
        if (k < nt)
            buf[tags[k]] = named[i].to;
        CHECK(k < nt && !strcmp(codes(buf, bl), MALFORMED), "%s: " MALFORMED, named[i].what);
    }
    memcpy(buf, base, bl);
    buf[tags[2]] ^= 0x20; /* version INTEGER 0x02 -> 0x22 (constructed) */
    CHECK(!strcmp(codes(buf, bl), MALFORMED), "constructed INTEGER: " MALFORMED);

    /* Every byte flipped: never accepted, never a refusal without a verdict. */
    for (size_t i = 0; i < bl; i++) {
        pol_decision d;
        memcpy(buf, base, bl);
        buf[i] ^= 0xFF;
        d = ev_judge(tbs, tl, buf, bl, &trust, NOW);
        accepted += d.verdict == POL_ACCEPT;
        flips_bad += d.verdict != POL_REFUSE || d.n == 0;
    }
    CHECK(accepted == 0 && flips_bad == 0, "each of %zu bytes flipped: refused with a reason", bl);

    /* Non-DER lengths and integers (edited after signing: the parser refuses first). */
    memcpy(buf, base, bl);
    CHECK(base[0] == 0x30 && base[1] == 0x82, "base evidence has a two-octet length");
    buf[1] = 0x83;
    buf[2] = 0;
    memcpy(buf + 3, base + 2, bl - 2);
    CHECK(!strcmp(codes(buf, bl + 1), MALFORMED), "non-minimal outer length: " MALFORMED);
    memcpy(buf, base, bl);
    buf[1] = 0x80;
    memmove(buf + 2, buf + 4, bl - 4);
    buf[bl - 2] = buf[bl - 1] = 0;
    CHECK(!strcmp(codes(buf, bl), MALFORMED), "indefinite length: " MALFORMED);
}

/* Adds a record for a local@example.com of len octets. */
static void extra_mailbox(char *big, size_t len)
{
    memset(big, 'a', len - 12);
    memcpy(big + len - 12, "@example.com", 13);
    s.mb[s.t.n_mailboxes] = s.mb[0];
    s.mb[s.t.n_mailboxes++].mailbox = big;
}

/* One field past its bound vs at it, signed correctly. */
static void bounds(void)
{
    static char big[400], reqs[40], dom[300];
    static const char *issuers[SG_EV_MAX_CAA_ISSUERS + 1];
    size_t n;
    memset(big, 'a', sizeof big - 1);
    memset(reqs, 'r', sizeof reqs - 1);
    memset(dom, 'd', sizeof dom - 1);

#define AT_AND_PAST(what, set_at, set_past)                                                               \
    do {                                                                                              \
        base_spec();                                                                                  \
        set_at;                                                                                       \
        const char *c_ = codes_of_spec();                                                             \
        CHECK(!strcmp(c_, "accept"), "%s at its bound: accepted (%s)", what, c_);                     \
        base_spec();                                                                                  \
        set_past;                                                                                     \
        c_ = codes_of_spec();                                                                         \
        CHECK(!strcmp(c_, MALFORMED), "%s past its bound: " MALFORMED " (%s)", what, c_);             \
    } while (0)

    /* An extra record for a mailbox the TBS does not have is harmless. */
    AT_AND_PAST("mailbox of 254 / 255 octets", extra_mailbox(big, SG_EV_MAX_MAILBOX_LEN),
                extra_mailbox(big, SG_EV_MAX_MAILBOX_LEN + 1));
    reqs[SG_EV_MAX_REQS_LEN] = 0;
    AT_AND_PAST("requirements version of 32 / 33 octets", s.mb[0].reqs = reqs + 0,
                (reqs[SG_EV_MAX_REQS_LEN] = 'r', reqs[SG_EV_MAX_REQS_LEN + 1] = 0, s.mb[0].reqs = reqs));
    for (int i = 0; i <= SG_EV_MAX_CAA_ISSUERS; i++)
        issuers[i] = "ca.example";
    AT_AND_PAST("8 / 9 CAA issuemail records", (s.mb[0].caa_issuers = issuers, s.mb[0].n_caa_issuers = 8),
                (s.mb[0].caa_issuers = issuers, s.mb[0].n_caa_issuers = 9));
    dom[SG_EV_MAX_DOMAIN_LEN] = 0;
    issuers[1] = dom;
    AT_AND_PAST("CAA issuer domain of 253 / 254 octets", (s.mb[0].caa_issuers = issuers, s.mb[0].n_caa_issuers = 2),
                (dom[SG_EV_MAX_DOMAIN_LEN] = 'd', dom[SG_EV_MAX_DOMAIN_LEN + 1] = 0, s.mb[0].caa_issuers = issuers,
                 s.mb[0].n_caa_issuers = 2));
    AT_AND_PAST("64 / 65 remote perspectives", (s.mb[0].mpic_remote = s.mb[0].mpic_ok = 64),
                (s.mb[0].mpic_remote = s.mb[0].mpic_ok = 65));
    AT_AND_PAST("corroborating = / > remote", (s.mb[0].mpic_ok = s.mb[0].mpic_remote),
                (s.mb[0].mpic_ok = s.mb[0].mpic_remote + 1));
    AT_AND_PAST("RIRs 5 / 6", (s.mb[0].mpic_rirs = 5), (s.mb[0].mpic_rirs = 6));
    AT_AND_PAST("RIRs = / > corroborating", (s.mb[0].mpic_remote = s.mb[0].mpic_ok = s.mb[0].mpic_rirs = 3),
                (s.mb[0].mpic_remote = s.mb[0].mpic_ok = 3, s.mb[0].mpic_rirs = 4));
    AT_AND_PAST("entropy 65535 / 65536 bits", (s.mb[0].rv_bits = 65535), (s.mb[0].rv_bits = 65536));
    AT_AND_PAST("TLS BR method 22 / 256", (s.mb[0].tls_method = 22), (s.mb[0].tls_method = 256));
    AT_AND_PAST("CAA TTL 2^31-1 / 2^31", (s.mb[0].caa_ttl = 0x7FFFFFFF), (s.mb[0].caa_ttl = 0x80000000u));
    AT_AND_PAST("identity method 65535 (unknown: judged) / 65536",
                (s.id[s.t.n_identities] = s.id[0], s.id[s.t.n_identities].method = 65535,
                 s.id[s.t.n_identities].value_hash[0] ^= 1, s.t.n_identities++),
                (s.id[0].method = 65536));
    AT_AND_PAST("format version 1 / 65536", (s.t.version = 1), (s.t.version = 65536));

    /* Record counts. */
    base_spec();
    while (s.t.n_mailboxes < SG_EV_MAX_MAILBOXES) {
        s.mb[s.t.n_mailboxes] = s.mb[0];
        s.mb[s.t.n_mailboxes].has_mpic = s.mb[s.t.n_mailboxes].has_rv = 0;
        s.t.n_mailboxes++;
    }
    n = ev_make(&s, &va, buf, sizeof buf);
    CHECK(n <= SG_MAX_EVIDENCE && !strcmp(codes(buf, n), "accept"), "16 mailbox records (%zu bytes): accepted", n);
    s.mb[s.t.n_mailboxes++] = s.mb[1];
    CHECK(!strcmp(codes_of_spec(), MALFORMED), "17 mailbox records: " MALFORMED);
    base_spec();
    while (s.t.n_identities < SG_EV_MAX_IDENTITIES + 1)
        s.id[s.t.n_identities++] = s.id[0];
    CHECK(!strcmp(codes_of_spec(), MALFORMED), "25 identity records: " MALFORMED);
    base_spec();
    for (size_t i = 0; i < SG_EV_MAX_MAILBOXES; i++) {
        s.mb[i] = s.mb[0];
        s.mb[i].mailbox = big;
    }
    memset(big, 'a', SG_EV_MAX_MAILBOX_LEN - 12);
    memcpy(big + SG_EV_MAX_MAILBOX_LEN - 12, "@example.com", 13);
    s.t.n_mailboxes = SG_EV_MAX_MAILBOXES;
    n = ev_make(&s, &va, buf, sizeof buf);
    CHECK(n > SG_MAX_EVIDENCE && !strcmp(codes(buf, n), MALFORMED), "evidence of %zu bytes (> SG_MAX_EVIDENCE): " MALFORMED,
          n);
    base_spec();
    s.t.n_mailboxes = 0;
    s.t.n_identities = 0;
    const char *c = codes_of_spec();
    CHECK(strstr(c, "sbr.3.2.2.evidence.mailbox-missing") && strstr(c, "sbr.3.2.3.evidence.organization-missing") &&
              strstr(c, "sbr.3.2.4.evidence.individual-missing") && strstr(c, "sbr.3.2.6.evidence.authority-missing"),
          "no records at all (both lists absent, valid DER): mailbox, organization, individual, authority missing");
    base_spec();
    s.id[0].attr_type_len = 0;
    CHECK(!strcmp(codes_of_spec(), MALFORMED), "empty attribute type OID: " MALFORMED);
    base_spec();
    s.mb[0].mailbox = "";
    CHECK(!strcmp(codes_of_spec(), MALFORMED), "empty mailbox: " MALFORMED);
    base_spec();
    s.mb[0].mailbox = "caf\xC3\xA9\xC3@example.com";
    CHECK(!strcmp(codes_of_spec(), MALFORMED), "mailbox with malformed UTF-8: " MALFORMED);
    base_spec();
    s.mb[0].validated_at = 2524608000; /* 2050-01-01: GeneralizedTime, valid DER */
    CHECK(!strcmp(codes_of_spec(), "sbr.4.2.1.evidence.future"), "validated in 2050 (GeneralizedTime): future");
}

int main(void)
{
    int ok = ev_key_load(&va, V "keys/ca-p256.pem", POL_SIG_ECDSA_SHA256) == 0 &&
             ev_tbs_of(V "valid-sponsor-strict-ec.der", tbs, sizeof tbs, &tl) == 0;
    CHECK(ok, "VA key and sponsor-validated TBS load (run from the repository root)");
    if (!ok)
        return 1;
    memcpy(trust_keys, va.spki, va.spki_len);
    trust.va_keys.p = trust_keys;
    trust.va_keys.len = va.spki_len;
    trust.caa_domains.p = trust_caa;
    trust.caa_domains.len = sizeof trust_caa;
    trust.mpic_from = SG_EV_MPIC_FROM;
    base_spec();
    bl = ev_make(&s, &va, base, sizeof base);
    structure();
    bounds();
    return CHECK_DONE();
}
