/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The S/MIME corpus through the token's sign path: for every vector of
 * test/vectors/smime/expected.tsv, the firmware's judgement (SG_CMD_AUTHORIZE
 * on a CA key, in process) must give exactly the reason codes of the host
 * engine (pol_check, which `sbrguard lint` runs) with the same CA binding
 * and clock. The token's CA certificate carries the corpus CA's subject and
 * subjectKeyIdentifier around a key generated on the token.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "../../policy/pol.h"
#include "check.h"
#include "harness.h"

#define DIR "test/vectors/smime/"
#define SKEW 3600 /* the firmware's notBefore window (fw_authz.c) */

static uint8_t *slurp(const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, DIR "%s", name);
    FILE *f = fopen(path, "rb");
    uint8_t *buf = malloc(65536);
    *len = f && buf ? fread(buf, 1, 65536, f) : 0;
    if (f)
        fclose(f);
    return buf;
}

/* DER length prefix. */
static size_t put_len(uint8_t *o, size_t n)
{
    if (n < 128) {
        o[0] = (uint8_t)n;
        return 1;
    }
    o[0] = 0x82;
    o[1] = (uint8_t)(n >> 8);
    o[2] = (uint8_t)n;
    return 3;
}

static size_t wrap(uint8_t tag, const uint8_t *body, size_t n, uint8_t *o)
{
    size_t h = 1;
    o[0] = tag;
    h += put_len(o + 1, n);
    memmove(o + h, body, n);
    return h + n;
}

/* A CA certificate: the corpus CA's subject and SKI, the token key's SPKI. */
static size_t make_ca(const pol_ca *ca, const uint8_t *spki, size_t spki_len, uint8_t *out)
{
    static uint8_t tbs[2048], tmp[2048];
    static const uint8_t head[] = { 0xA0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x01, 0x01,
                                    0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02 };
    static const uint8_t validity[] = { 0x30, 0x1e, 0x17, 0x0d, '2', '0', '0', '1', '0', '1', '0', '0', '0', '0', '0', '0', 'Z',
                                        0x17, 0x0d, '4', '9', '1', '2', '3', '1', '2', '3', '5', '9', '5', '9', 'Z' };
    size_t n = 0, e;
    memcpy(tbs, head, sizeof head);
    n = sizeof head;
    memcpy(tbs + n, ca->ca_subject, ca->ca_subject_len);
    n += ca->ca_subject_len;
    memcpy(tbs + n, validity, sizeof validity);
    n += sizeof validity;
    memcpy(tbs + n, ca->ca_subject, ca->ca_subject_len);
    n += ca->ca_subject_len;
    memcpy(tbs + n, spki, spki_len);
    n += spki_len;
    /* [3] { SEQUENCE { SEQUENCE { 2.5.29.14, OCTET STRING { OCTET STRING ski } } } } */
    size_t k = wrap(0x04, ca->ca_ski, ca->ca_ski_len, tmp + 512);
    k = wrap(0x04, tmp + 512, k, tmp + 1024);
    static const uint8_t ski_oid[] = { 0x06, 0x03, 0x55, 0x1D, 0x0E };
    memcpy(tmp, ski_oid, sizeof ski_oid);
    memcpy(tmp + sizeof ski_oid, tmp + 1024, k);
    e = wrap(0x30, tmp, sizeof ski_oid + k, tmp + 256);
    e = wrap(0x30, tmp + 256, e, tmp + 768);
    e = wrap(0xA3, tmp + 768, e, tbs + n);
    n += e;
    n = wrap(0x30, tbs, n, tmp);
    memcpy(tbs, tmp, n);
    static const uint8_t tail[] = { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02,
                                    0x03, 0x03, 0x00, 0x30, 0x00 };
    memcpy(tbs + n, tail, sizeof tail);
    return wrap(0x30, tbs, n + sizeof tail, out);
}

static int64_t parse_at(const char *opts, int64_t dflt)
{
    const char *a = strstr(opts, "--at ");
    struct tm tm = { 0 };
    if (!a || !strptime(a + 5, "%Y-%m-%dT%H:%M:%SZ", &tm))
        return dflt;
    return (int64_t)timegm(&tm);
}

/* Reason codes of a refusal, as "code section" strings: same set as d? */
static int same_codes(th_resp r, const pol_decision *d)
{
    size_t off = 0, vl, n = 0;
    uint8_t t;
    const uint8_t *v;
    while (sg_tlv_next(r.p, r.len, &off, &t, &v, &vl) == 1) {
        if (t != SG_T_REASON)
            continue;
        int found = 0;
        for (uint16_t i = 0; i < d->n; i++) {
            const char *c = pol_rule_at(d->findings[i])->code;
            size_t cl = strlen(c);
            found |= vl > cl && !memcmp(v, c, cl) && v[cl] == ' ';
        }
        if (!found)
            return 0;
        n++;
    }
    return n == d->n;
}

int main(void)
{
    static pol_workspace w, wca;
    static uint8_t ca_cert[4096];
    pol_ca ca;
    size_t ca_len, pl = 0;
    uint8_t *corpus_ca = slurp("ca.der", &ca_len);
    CHECK(ca_len && pol_ca_from_cert(corpus_ca, ca_len, &wca, &ca) == 0 && ca.ca_ski, "corpus CA loads");
    CHECK(th_boot() == FW_OK && th_init_token("so-pin-1", "corpus") == SG_ST_OK &&
              th_init_pin("so-pin-1", "user-1234") == SG_ST_OK && th_login(0, SG_USER_USER, "user-1234") == SG_ST_OK,
          "token initialized, user logged in");
    th_resp r = th_keygen(0, SG_KEY_EC_P256, "corpus CA", 0);
    unsigned key = (unsigned)th_get_u(r, SG_T_HANDLE);
    const uint8_t *spki = th_get(r, SG_T_PUBKEY, &pl);
    static uint8_t spki_copy[128];
    if (!spki || pl > sizeof spki_copy)
        return 1;
    memcpy(spki_copy, spki, pl);
    size_t cl = make_ca(&ca, spki_copy, pl, ca_cert);
    th_begin();
    th_put_u(SG_T_HANDLE, key, 2);
    th_put(SG_T_VALUE, ca_cert, cl);
    CHECK(th_send(0, SG_CMD_BIND_CA).status == SG_ST_OK, "CA certificate with the corpus CA's name bound to a token key");
    pol_ca token_ca;
    CHECK(pol_ca_from_cert(ca_cert, cl, &wca, &token_ca) == 0, "host view of the token's CA certificate");

    FILE *f = fopen(DIR "expected.tsv", "r");
    char line[4096];
    int rows = 0, same = 0, accepted = 0;
    while (f && fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        char *file = strtok(line, "\t"), *verdict = strtok(NULL, "\t"), *codes = strtok(NULL, "\t"),
             *opts = strtok(NULL, "\t");
        (void)verdict;
        (void)codes;
        size_t len;
        uint8_t *der = slurp(file, &len);
        const uint8_t *tbs = der;
        size_t tbs_len = len, inner;
        const uint8_t *x;
        if (pol_cert_tbs(der, len, &x, &inner) == 0 && inner < len && x[0] == 0x30) {
            tbs = x;
            tbs_len = inner;
        }
        int64_t nb = 0;
        if (pol_tbs_not_before(tbs, tbs_len, &w, &nb))
            nb = 1767225600;
        int64_t now = parse_at(opts ? opts : "", nb);
        pol_ctx ctx = { .now = now, .ca = &token_ca, .not_before_skew = SKEW };
        pol_decision d;
        pol_check(tbs, tbs_len, &ctx, &w, &d);
        sim_clock_set((uint64_t)now);
        th_begin();
        th_put_u(SG_T_HANDLE, key, 2);
        th_put_u(SG_T_MECH, SG_MECH_ECDSA_SHA256, 4);
        th_put(SG_T_DATA, tbs, tbs_len);
        r = th_send(0, SG_CMD_AUTHORIZE);
        int ok = d.verdict == POL_ACCEPT ? r.status == SG_ST_OK
                                          : (r.status == SG_ST_POLICY_REJECTED && same_codes(r, &d)) ||
                                                (r.status == SG_ST_DATA_LEN && tbs_len > SG_MAX_SIGN_DATA);
        rows++;
        same += ok;
        accepted += r.status == SG_ST_OK;
        if (!ok)
            printf("not ok - %s: token status %u, host %s with %u findings\n", file,
                   r.status, d.verdict == POL_ACCEPT ? "accept" : "refuse", d.n);
        free(der);
    }
    if (f)
        fclose(f);
    CHECK(rows > 100 && same == rows, "%d of %d corpus vectors: the token's decision equals the host engine's (%d accepted)",
          same, rows, accepted);
    free(corpus_ca);
    return CHECK_DONE();
}
