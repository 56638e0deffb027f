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
#include "ca_cert.h"
#include "bundle_fixture.h"
#include "../../policy/pol_blocklist.h"
#include "sbrguard/blocklist.h"

#define DIR "test/vectors/smime/"
#define SKEW 3600 /* the fixture bundle's skewSeconds (bundle_fixture.h) */

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
    CHECK(th_boot() == FW_OK && bf_init_token("so-pin-1", "corpus") == SG_ST_OK &&
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
    CHECK(bf_load1("so-pin-1", spki_copy, pl) == SG_ST_OK, "policy bundle for the CA key loaded (bundle_fixture.h)");
    /* What the fixture's bundle trusts: its VA key and CAA domain (MPIC
     * from the SBR date, the compiler's default). */
    static const uint8_t caa[] = { 0x16, 10, 'c', 'a', '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e' };
    static uint8_t ev[SG_MAX_EVIDENCE];
    const pol_ev_trust trust = { { bf_va.spki, bf_va.spki_len }, { caa, sizeof caa }, 1747267200, SKEW };
    pol_ca token_ca;
    CHECK(pol_ca_from_cert(ca_cert, cl, &wca, &token_ca) == 0, "host view of the token's CA certificate");
    /* The corpus blocklist (rows with --blocklist), signed with the SO's key
     * and loaded into the token; the host judges every row with it too (its
     * listed key appears only in the blocklist rows). */
    size_t bl_len, signed_len = 0;
    uint8_t *bl_raw = slurp("blocklist.txt", &bl_len), *signed_bl = NULL;
    sg_blocklist bl = { 0 };
    pol_blocklist blv = { 0 };
    int bl_ok = bl_raw && sg_blocklist_read(bl_raw, bl_len, NULL, 0, &bl) == 0 && bl.count > 0 &&
                sg_blocklist_build(bl.hashes, bl.count, 1, bf_priv, bf_priv_len, &signed_bl, &signed_len) == 0 &&
                th_login(BF_SO_CHAN, SG_USER_SO, "so-pin-1") == SG_ST_OK;
    for (size_t o = 0; bl_ok && o < signed_len; o += SG_BL_PIECE) {
        th_begin();
        th_put_u(SG_T_BL_OFFSET, o, 4);
        th_put(SG_T_DATA, signed_bl + o, signed_len - o < SG_BL_PIECE ? signed_len - o : SG_BL_PIECE);
        bl_ok = th_send(BF_SO_CHAN, SG_CMD_BLOCKLIST_LOAD).status == SG_ST_OK;
    }
    sg_blocklist_view(&bl, &blv);
    CHECK(bl_ok && fw_blocklist() && fw_blocklist()->count == bl.count,
          "the corpus blocklist (%u keys) signed by the SO and loaded into the token", bl.count);

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
        pol_ctx ctx = { .now = now, .ca = &token_ca, .not_before_skew = SKEW, .rules = &bf_default_rules,
                        .blocklist = &blv };
        pol_decision d;
        pol_check(tbs, tbs_len, &ctx, &w, &d);
        /* The token gets the fixture's evidence for this TBS (th_send);
         * the host judges evidence made the same way, on the same clock. */
        sim_clock_set((uint64_t)now);
        size_t el = bf_evidence(tbs, tbs_len, ev, sizeof ev);
        pol_evidence_check(tbs, tbs_len, el ? ev : NULL, el, &trust, now, &w, &d);
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
    free(bl_raw);
    free(signed_bl);
    sg_blocklist_free(&bl);
    return CHECK_DONE();
}
