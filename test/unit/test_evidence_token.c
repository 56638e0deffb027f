/* SPDX-License-Identifier: Apache-2.0 */
/* Validation evidence on the token's sign path (docs/evidence.md,
 * docs/protocol.md): the EVIDENCE TLV of SIGN and AUTHORIZE is judged
 * against the CA's bundle entry, refusals carry their own code and SBR
 * section, and the evidence hash goes into the decision's log entry. The
 * evidence rules themselves are covered row by row in test_evidence.c;
 * here each kind of refusal is seen once through the firmware. */
#include "check.h"
#include "logtest.h"

static lt_ca ca;

/* SIGN of the fixture TBS with explicit evidence (NULL: none). */
static th_resp sign_with(const uint8_t *ev, size_t len, uint8_t cmd)
{
    lt_tbs_len = lt_tbs(ca.spki, ca.spki_len, 7, 0, lt_tbs_buf);
    th_begin();
    th_put_u(SG_T_HANDLE, ca.handle, 2);
    th_put_u(SG_T_MECH, SG_MECH_ECDSA_SHA256, 4);
    th_put(SG_T_DATA, lt_tbs_buf, lt_tbs_len);
    if (ev)
        th_put(SG_T_EVIDENCE, ev, len);
    size_t (*keep)(const uint8_t *, size_t, uint8_t *, size_t) = th_evidence_fn;
    th_evidence_fn = NULL; /* exactly what this test gives */
    th_resp r = th_send(0, cmd);
    th_evidence_fn = keep;
    return r;
}

/* Evidence for the fixture TBS, changed by edit, signed by key. */
static size_t make(void (*edit)(ev_spec *), ev_key *key, uint8_t *out, size_t cap)
{
    static ev_spec s;
    lt_tbs_len = lt_tbs(ca.spki, ca.spki_len, 7, 0, lt_tbs_buf);
    if (ev_spec_default(&s, lt_tbs_buf, lt_tbs_len, (int64_t)hal_clock_now(), SG_EV_M_EMAIL, &bf_va))
        return 0;
    memcpy(s.t.va_key_id, key->id, sizeof s.t.va_key_id);
    if (edit)
        edit(&s);
    return ev_make(&s, key, out, cap);
}

/* SBR 4.2.1: 30 days for 3.2.2.2, counted from the Random Value's creation. */
static void stale(ev_spec *s)
{
    s->mb[0].rv_created = s->now - 31 * 86400;
    s->mb[0].rv_used = s->mb[0].validated_at = s->now - 31 * 86400 + 600;
}
static void other_key(ev_spec *s) { s->t.key_hash[0] ^= 1; }
static void no_mailbox(ev_spec *s) { s->t.n_mailboxes = 0; }
/* The VA's clock ahead of the token's: within the bundle's skew-seconds
 * (3600 in the fixture) or beyond it. */
static void ahead_30s(ev_spec *s) { s->t.produced_at = s->now + 30; }
static void ahead_2h(ev_spec *s) { s->t.produced_at = s->now + 7200; }

/* The log's last entry. */
static const lt_entry *last_entry(void)
{
    lt_info in = lt_log_info();
    lt_read(in.size - 1);
    return &lt_e[in.size - 1];
}

int main(void)
{
    static uint8_t ev[SG_MAX_EVIDENCE + 16], hash[32];
    size_t n;
    th_resp r;
    CHECK(lt_setup(0, &ca) == 0, "token, CA key, bundle trusting the fixture's VA");

    r = sign_with(NULL, 0, SG_CMD_SIGN);
    CHECK(r.status == SG_ST_POLICY_REJECTED && th_has_reason(r, "sbr.3.2.evidence.absent", NULL),
          "a conforming TBS without evidence is refused (sbr.3.2.evidence.absent)");
    const lt_entry *e = last_entry();
    CHECK(e->b[1] == SG_LOG_EV_ISSUE_REFUSED, "the refusal is logged");

    n = make(NULL, &bf_va, ev, sizeof ev);
    r = sign_with(ev, n, SG_CMD_SIGN);
    mbedtls_sha256(ev, n, hash, 0);
    e = last_entry();
    CHECK(n && r.status == SG_ST_OK && e->b[1] == SG_LOG_EV_ISSUE_ACCEPTED &&
              !memcmp(e->b + SG_LOG_OFF_EVIDENCE_HASH, hash, 32),
          "with fresh evidence by the trusted VA: signed, the log entry carries the evidence's SHA-256");

    n = make(stale, &bf_va, ev, sizeof ev);
    r = sign_with(ev, n, SG_CMD_SIGN);
    int why = th_has_reason(r, "sbr.4.2.1.evidence.mailbox-stale", NULL); /* before the next request reuses the buffer */
    mbedtls_sha256(ev, n, hash, 0);
    e = last_entry();
    CHECK(r.status == SG_ST_POLICY_REJECTED && why && e->b[1] == SG_LOG_EV_ISSUE_REFUSED && !memcmp(e->b + SG_LOG_OFF_EVIDENCE_HASH, hash, 32),
          "3.2.2.2 validation 31 days old: refused (sbr.4.2.1.evidence.mailbox-stale), logged with its hash");

    n = make(ahead_30s, &bf_va, ev, sizeof ev);
    CHECK(sign_with(ev, n, SG_CMD_SIGN).status == SG_ST_OK,
          "evidence produced 30 s ahead of the token's clock (within the bundle's skew): signed");
    n = make(ahead_2h, &bf_va, ev, sizeof ev);
    CHECK(th_has_reason(sign_with(ev, n, SG_CMD_SIGN), "sbr.4.2.1.evidence.future", NULL),
          "evidence produced 2 h ahead (beyond the 1 h skew): refused (future)");

    n = make(no_mailbox, &bf_va, ev, sizeof ev);
    CHECK(th_has_reason(sign_with(ev, n, SG_CMD_SIGN), "sbr.3.2.2.evidence.mailbox-missing", NULL),
          "evidence without the SAN's mailbox: refused (mailbox-missing)");
    n = make(other_key, &bf_va, ev, sizeof ev);
    CHECK(th_has_reason(sign_with(ev, n, SG_CMD_SIGN), "sbr.3.2.evidence.other-key", NULL),
          "evidence bound to another subscriber key: refused (other-key)");

    ev_key rogue;
    CHECK(ev_key_load(&rogue, "test/vectors/smime/keys/ca-p384.pem", POL_SIG_ECDSA_SHA384) == 0, "a VA key the bundle does not trust");
    n = make(NULL, &rogue, ev, sizeof ev);
    CHECK(th_has_reason(sign_with(ev, n, SG_CMD_SIGN), "sbr.3.2.2.evidence.va-untrusted", NULL),
          "evidence signed by an untrusted VA: refused (va-untrusted)");
    mbedtls_pk_free(&rogue.pk);

    n = make(NULL, &bf_va, ev, sizeof ev);
    ev[n - 5] ^= 0x01; /* inside the signature */
    CHECK(th_has_reason(sign_with(ev, n, SG_CMD_SIGN), "sbr.3.2.2.evidence.signature", NULL),
          "tampered evidence (a signature byte flipped): refused (signature)");
    CHECK(th_has_reason(sign_with(ev, n / 2, SG_CMD_SIGN), "sbrguard.evidence.malformed", NULL),
          "truncated evidence: refused with the parse code (sbrguard.evidence.malformed)");
    memset(ev, 0x30, SG_MAX_EVIDENCE + 1);
    CHECK(sign_with(ev, SG_MAX_EVIDENCE + 1, SG_CMD_SIGN).status == SG_ST_DATA_LEN,
          "evidence over SG_MAX_EVIDENCE bytes: DATA_LEN, nothing judged");

    /* Pre-authorized: the evidence goes with AUTHORIZE; the raw signature's
     * entry carries the hash it was judged with. */
    n = make(NULL, &bf_va, ev, sizeof ev);
    mbedtls_sha256(ev, n, hash, 0);
    r = sign_with(ev, n, SG_CMD_AUTHORIZE);
    size_t dl = 0;
    const uint8_t *dg = th_get(r, SG_T_DIGEST, &dl);
    uint8_t digest[64];
    CHECK(r.status == SG_ST_OK && dg && dl == 32, "AUTHORIZE with evidence: accepted");
    memcpy(digest, dg, 32);
    CHECK(!memcmp(last_entry()->b + SG_LOG_OFF_EVIDENCE_HASH, hash, 32), "the AUTHZ_ACCEPTED entry carries the evidence hash");
    r = th_sign(0, ca.handle, SG_MECH_ECDSA, digest, 32);
    e = last_entry();
    CHECK(r.status == SG_ST_OK && e->b[1] == SG_LOG_EV_ISSUE_ACCEPTED && (e->b[SG_LOG_OFF_FLAGS] & SG_LOG_F_PREAUTHORIZED) &&
              !memcmp(e->b + SG_LOG_OFF_EVIDENCE_HASH, hash, 32),
          "the raw signature's entry carries the hash of the evidence its TBS was judged with");
    r = sign_with(NULL, 0, SG_CMD_AUTHORIZE);
    CHECK(r.status == SG_ST_POLICY_REJECTED && th_has_reason(r, "sbr.3.2.evidence.absent", NULL), "AUTHORIZE without evidence: refused");
    return CHECK_DONE();
}
