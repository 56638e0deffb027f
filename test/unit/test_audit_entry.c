/* SPDX-License-Identifier: Apache-2.0 */
/* The auditor's log entry parser and summary (host/cli/audit_entry.c),
 * written from docs/log.md: well-formed entries of each kind, malformed ones
 * refused with their reason. Its constants are compared with the firmware's
 * public header include/sbrguard/log.h here, and nowhere else. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "../../host/cli/audit_entry.c"
#include "../../host/cli/util.c"
#include "sbrguard/log.h"

static size_t mk_entry(uint8_t *e, uint8_t event, uint64_t seq, const char *const *codes, unsigned n)
{
    memset(e, 0, AU_ENTRY_FIXED);
    e[0] = 2;
    e[1] = event;
    for (int i = 0; i < 8; i++) {
        e[2 + i] = (uint8_t)(seq >> (56 - 8 * i));
        e[10 + i] = (uint8_t)(1767225600ull >> (56 - 8 * i));
    }
    if (event == AU_EV_ISSUE_ACCEPTED) {
        memset(e + 34, 0x11, 32);  /* key_id */
        memset(e + 98, 0x22, 32);  /* tbs_hash */
        memset(e + 162, 0x33, 32); /* cert_hash */
    }
    if (event == AU_EV_LOG_EXPORT)
        e[33] = (uint8_t)seq;
    e[258] = (uint8_t)n;
    size_t off = AU_ENTRY_FIXED;
    for (unsigned i = 0; i < n; i++) {
        size_t l = strlen(codes[i]);
        memset(e + off, 0, 3);
        e[off + 3] = 1;
        e[off + 4] = (uint8_t)l;
        memcpy(e + off + 5, codes[i], l);
        off += 5 + l;
    }
    return off;
}

static int bad_entry(const uint8_t *e, size_t len, uint64_t seq, const char *want)
{
    au_entry pe;
    char err[256] = "";
    int rc = au_entry_parse(e, len, seq, &pe, err, sizeof err);
    if (rc == AU_OK || !strstr(err, want)) {
        fprintf(stderr, "  expected an error with '%s', got %d '%s'\n", want, rc, err);
        return 0;
    }
    return 1;
}

static void entries(void)
{
    /* The auditor reads docs/log.md; the firmware's header must say the same. */
    CHECK(AU_ENTRY_FORMAT == SG_LOG_FORMAT && AU_ENTRY_FIXED == SG_LOG_FIXED_LEN && AU_ENTRY_MAX == SG_LOG_MAX_ENTRY &&
              AU_MAX_REASONS == SG_LOG_MAX_REASONS && AU_MAX_CODE == SG_LOG_MAX_CODE && SG_LOG_OFF_SEQ == 2 &&
              SG_LOG_OFF_TIME == 10 && SG_LOG_OFF_MECH == 18 && SG_LOG_OFF_HANDLE == 22 && SG_LOG_OFF_KEY_TYPE == 24 &&
              SG_LOG_OFF_FLAGS == 25 && SG_LOG_OFF_VALUE == 26 && SG_LOG_OFF_KEY_ID == 34 &&
              SG_LOG_OFF_POLICY_HASH == 66 && SG_LOG_OFF_TBS_HASH == 98 && SG_LOG_OFF_EVIDENCE_HASH == 130 &&
              SG_LOG_OFF_CERT_HASH == 162 && SG_LOG_OFF_BLOCKLIST_HASH == 194 && SG_LOG_OFF_BATCH_ROOT == 226 &&
              SG_LOG_OFF_N_REASONS == 258 && SG_LOG_OFF_REASONS == 259 &&
              SG_LOG_HASH_LEN == AU_HASH_LEN && SG_LOG_SIG_TYPE == 0x02,
          "entry layout of docs/log.md (the auditor's) equals include/sbrguard/log.h");
    CHECK(AU_EV_TOKEN_INIT == SG_LOG_EV_TOKEN_INIT && AU_EV_KEY_GEN == SG_LOG_EV_KEY_GEN &&
              AU_EV_CA_BIND == SG_LOG_EV_CA_BIND && AU_EV_ISSUE_ACCEPTED == SG_LOG_EV_ISSUE_ACCEPTED &&
              AU_EV_ISSUE_REFUSED == SG_LOG_EV_ISSUE_REFUSED && AU_EV_AUTHZ_ACCEPTED == SG_LOG_EV_AUTHZ_ACCEPTED &&
              AU_EV_AUTHZ_REFUSED == SG_LOG_EV_AUTHZ_REFUSED && AU_EV_REFUSAL_SUMMARY == SG_LOG_EV_REFUSAL_SUMMARY &&
              AU_EV_POLICY_LOAD == SG_LOG_EV_POLICY_LOAD && AU_EV_ESCROW == SG_LOG_EV_ESCROW &&
              AU_EV_DELIVERY == SG_LOG_EV_DELIVERY && AU_EV_RECOVERY == SG_LOG_EV_RECOVERY &&
              AU_EV_PIN_LOCKOUT == SG_LOG_EV_PIN_LOCKOUT && AU_EV_LOG_EXPORT == SG_LOG_EV_LOG_EXPORT &&
              AU_EV_LOG_ACK == SG_LOG_EV_LOG_ACK && AU_F_PREAUTHORIZED == SG_LOG_F_PREAUTHORIZED &&
              AU_F_REASONS_TRUNCATED == SG_LOG_F_REASONS_TRUNCATED,
          "event types and flags of docs/log.md equal include/sbrguard/log.h");
    static const char *const codes[] = { "sbr.7.1.2.3.eku.prohibited", "sbr.7.1.6.1.policy.absent" };
    uint8_t e[AU_ENTRY_MAX + 8], x[AU_ENTRY_MAX + 8];
    au_entry pe;
    char err[256];
    size_t n = mk_entry(e, AU_EV_ISSUE_REFUSED, 7, codes, 2);
    CHECK(!au_entry_parse(e, n, 7, &pe, err, sizeof err) && pe.event == AU_EV_ISSUE_REFUSED && pe.seq == 7 &&
              pe.time == 1767225600ull && pe.n_reasons == 2 && pe.reasons[1].len == strlen(codes[1]) &&
              !memcmp(pe.reasons[1].code, codes[1], pe.reasons[1].len),
          "a refusal entry with two reason codes parses");
    int ok = 1;
    uint64_t sq = 7;
#define MUT(what, stmt, len, want)                                                                                     \
    do {                                                                                                               \
        memcpy(x, e, n);                                                                                               \
        stmt;                                                                                                          \
        if (!bad_entry(x, len, sq, want)) {                                                                            \
            fprintf(stderr, "  mutation: %s\n", what);                                                                 \
            ok = 0;                                                                                                    \
        }                                                                                                              \
    } while (0)
    MUT("format 1", x[0] = 1, n, "format version 1");
    MUT("unknown event", x[1] = 0x99, n, "unknown event type 0x99");
    MUT("seq 8 at index 7", x[9] = 8, n, "sequence number 8 at index 7");
    MUT("truncated", (void)0, 258, "shorter than");
    MUT("trailing byte", x[n] = 0, n + 1, "trailing");
    MUT("code length 0", x[AU_ENTRY_FIXED + 4] = 0, n, "code length 0");
    MUT("code length 65", x[AU_ENTRY_FIXED + 4] = 65, n, "code length 65");
    MUT("control byte in code", x[AU_ENTRY_FIXED + 6] = 0x0a, n, "not printable");
    MUT("13 reasons", x[258] = 13, n, "13 reasons");
    MUT("3 reasons announced, 2 present", x[258] = 3, n, "past the end");
    MUT("unknown flag", x[25] = 0x80, n, "unknown flags");
    MUT("count 2 in a single refusal", x[AU_ENTRY_FIXED + 3] = 2, n, "count 2");
    MUT("refusal with a certificate hash", x[170] = 1, n, "certificate hash");
    MUT("refusal without reasons", x[258] = 0, AU_ENTRY_FIXED, "without a reason");
    size_t na = mk_entry(e, AU_EV_ISSUE_ACCEPTED, 7, NULL, 0);
    CHECK(!au_entry_parse(e, na, 7, &pe, err, sizeof err) && pe.cert_hash[0] == 0x33,
          "an accepted issuance entry parses");
    n = na;
    MUT("accepted without certificate hash", memset(x + 162, 0, 32), n, "without a certificate hash");
    MUT("pre-authorized with certificate hash", x[25] = AU_F_PREAUTHORIZED, n, "pre-authorized issuance with");
    MUT("accepted without TBS hash", memset(x + 98, 0, 32), n, "without a TBS hash");
    MUT("accepted with a reason", (x[258] = 1, memcpy(x + n, "\0\0\0\1\1a", 6)), n + 6, "with reason codes");
    sq = 9;
    n = mk_entry(e, AU_EV_LOG_EXPORT, 9, NULL, 0);
    MUT("export value is not its seq", x[33] = 3, n, "not its own sequence number");
    n = mk_entry(e, AU_EV_PIN_LOCKOUT, 9, NULL, 0);
    MUT("PIN lockout of user type 2", x[33] = 2, n, "user type 2");
    n = mk_entry(e, AU_EV_LOG_ACK, 9, NULL, 0);
    MUT("ack of more entries than precede it", x[33] = 10, n, "more than precede it");
    MUT("batch_root not zeros", x[230] = 1, n, "batch_root");
    n = mk_entry(e, AU_EV_BLOCKLIST_LOAD, 9, NULL, 0);
    MUT("blocklist load without its hash", (void)0, n, "without the new list's hash");
    CHECK(ok, "malformed entries are refused with the field named (26 mutations)");
#undef MUT
    au_summary sum;
    au_summary_init(&sum);
    n = mk_entry(e, AU_EV_ISSUE_REFUSED, 0, codes, 2);
    au_entry_parse(e, n, 0, &pe, err, sizeof err);
    au_summary_add(&sum, &pe);
    n = mk_entry(e, AU_EV_ISSUE_ACCEPTED, 1, NULL, 0);
    au_entry_parse(e, n, 1, &pe, err, sizeof err);
    au_summary_add(&sum, &pe);
    n = mk_entry(e, AU_EV_REFUSAL_SUMMARY, 2, codes, 1);
    e[33] = 5;
    e[AU_ENTRY_FIXED + 3] = 5;
    CHECK(!au_entry_parse(e, n, 2, &pe, err, sizeof err), "a refusal summary of 5 requests parses");
    au_summary_add(&sum, &pe);
    CHECK(sum.entries == 3 && sum.accepted == 1 && sum.refused_requests == 6 && sum.folded == 5 && sum.n_codes == 2 &&
              sum.codes[0].count == 6 && sum.codes[1].count == 1,
          "summary: 1 accepted, 6 refused (5 folded), per-code counts 6 and 1");
    au_summary_free(&sum);
}

int main(void)
{
    entries();
    return CHECK_DONE();
}
