/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Batched evidence on the token (docs/evidence.md "Batched evidence"): the
 * first request of a batch verifies the VA's root signature, the others hit
 * the RAM cache (FW_EV_ROOTS roots, the oldest replaced first), a reset or
 * INIT_TOKEN empties it; each batch refusal comes back with its code and is
 * logged; the log entry's evidence_hash is the record's SHA-256 and the
 * issuance path holds the batch root. Then a power cut at every flash
 * operation of a sequence of batched issuances: the token boots, keeps
 * every committed entry, every signature returned has its entry with the
 * record's hash, and the batch's next request is verified afresh.
 */
#include "check.h"
#include "logtest.h"

static lt_ca ca;
static uint8_t recs[FW_EV_ROOTS + 2][8][1024];
static size_t rec_len[FW_EV_ROOTS + 2][8];
static ev_batch batches[FW_EV_ROOTS + 2];
static uint8_t ev[SG_MAX_EVIDENCE];

/* Batch k: 8 records for the fixture TBS, root signed by key at signed_at. */
static int make_batch(size_t k, ev_key *key, int64_t signed_at)
{
    static ev_spec s;
    const uint8_t *p[8];
    lt_tbs_len = lt_tbs(ca.spki, ca.spki_len, 7, 0, lt_tbs_buf);
    for (size_t i = 0; i < 8; i++) {
        if (ev_spec_default(&s, lt_tbs_buf, lt_tbs_len, (int64_t)hal_clock_now(), SG_EV_M_EMAIL, &bf_va))
            return -1;
        memcpy(s.t.va_key_id, key->id, 32);
        s.t.produced_at = signed_at - 60 - (int64_t)(k * 8 + i);
        rec_len[k][i] = ev_record(&s, recs[k][i], sizeof recs[k][i]);
        p[i] = recs[k][i];
    }
    return ev_batch_make(&batches[k], p, rec_len[k], 8, key, signed_at);
}

static size_t evidence(size_t k, size_t i)
{
    return ev_batch_evidence(&batches[k], i, recs[k][i], rec_len[k][i], ev, sizeof ev);
}

static th_resp send_ev(const uint8_t *e, size_t n, uint8_t cmd, unsigned serial)
{
    lt_tbs_len = lt_tbs(ca.spki, ca.spki_len, serial, 0, lt_tbs_buf);
    th_begin();
    th_put_u(SG_T_HANDLE, ca.handle, 2);
    th_put_u(SG_T_MECH, SG_MECH_ECDSA_SHA256, 4);
    th_put(SG_T_DATA, lt_tbs_buf, lt_tbs_len);
    th_put(SG_T_EVIDENCE, e, n);
    return th_send(0, cmd);
}
static th_resp issue(size_t k, size_t i) { return send_ev(ev, evidence(k, i), SG_CMD_SIGN, 7); }

static const lt_entry *last_entry(void)
{
    lt_info in = lt_log_info();
    lt_read(in.size - 1);
    return &lt_e[in.size - 1];
}

static void stats(uint32_t *hits, uint32_t *added) { fw_evcache_stats(hits, added); }

static void cache(void)
{
    uint32_t h0, a0, h, a;
    uint8_t hash[32];
    make_batch(0, &bf_va, (int64_t)LT_NOW - 60);
    stats(&h0, &a0);
    int ok = 1;
    for (size_t i = 0; i < 8; i++) {
        th_resp r = issue(0, i);
        mbedtls_sha256(recs[0][i], rec_len[0][i], hash, 0);
        const lt_entry *e = last_entry();
        ok &= r.status == SG_ST_OK && e->b[1] == SG_LOG_EV_ISSUE_ACCEPTED &&
              !memcmp(e->b + SG_LOG_OFF_EVIDENCE_HASH, hash, 32) &&
              !memcmp(e->b + SG_LOG_OFF_BATCH_ROOT, batches[0].root, 32);
    }
    stats(&h, &a);
    CHECK(ok, "8 requests of one batch signed; each entry's evidence_hash is its record's SHA-256, its batch_root the VA tree's root");
    CHECK(a - a0 == 1 && h - h0 == 7, "one root signature verified for the batch, 7 cache hits (%u, %u)", a - a0, h - h0);

    /* The bound: FW_EV_ROOTS + 1 roots, then the first again. */
    for (size_t k = 1; k <= FW_EV_ROOTS + 1; k++)
        make_batch(k, &bf_va, (int64_t)LT_NOW - 60 - (int64_t)k);
    th_boot();
    th_login(0, SG_USER_USER, LT_PIN);
    stats(&h, &a);
    CHECK(h == 0 && a == 0, "a reset empties the cache");
    ok = 1;
    for (size_t k = 1; k <= FW_EV_ROOTS; k++)
        ok &= issue(k, 0).status == SG_ST_OK;
    stats(&h, &a);
    CHECK(ok && a == FW_EV_ROOTS && h == 0, "%d batches: %d roots verified and kept", FW_EV_ROOTS, FW_EV_ROOTS);
    ok = 1;
    for (size_t k = 1; k <= FW_EV_ROOTS; k++)
        ok &= issue(k, 1).status == SG_ST_OK;
    stats(&h, &a);
    CHECK(ok && a == FW_EV_ROOTS && h == FW_EV_ROOTS, "at the bound every one of them is still a hit");
    issue(FW_EV_ROOTS + 1, 0);
    issue(1, 2);
    stats(&h, &a);
    CHECK(a == FW_EV_ROOTS + 2 && h == FW_EV_ROOTS, "one root more replaces the oldest: batch 1 is verified again");
    issue(FW_EV_ROOTS, 2);
    issue(FW_EV_ROOTS + 1, 1);
    stats(&h, &a);
    CHECK(a == FW_EV_ROOTS + 2 && h == FW_EV_ROOTS + 2, "the newest roots are still kept");

    /* After a reset the same root is verified again. */
    th_boot();
    th_login(0, SG_USER_USER, LT_PIN);
    CHECK(issue(1, 3).status == SG_ST_OK && (stats(&h, &a), a == 1 && h == 0),
          "after a reset a cached batch's request is verified again, then signed");

    /* Preauthorized: the root goes with the channel's authorization. */
    size_t n = evidence(1, 4);
    th_resp r = send_ev(ev, n, SG_CMD_AUTHORIZE, 7);
    uint8_t root[32];
    fw_authz_batch_root(0, root);
    CHECK(r.status == SG_ST_OK && !memcmp(root, batches[1].root, 32),
          "AUTHORIZE with batched evidence: the authorization holds the batch root for the raw signature's entry");
}

static void refusals(void)
{
    ev_key rogue;
    uint32_t h, a, h2, a2;
    th_resp r;
    CHECK(ev_key_load(&rogue, "test/vectors/smime/keys/ca-p384.pem", POL_SIG_ECDSA_SHA384) == 0, "a VA key the bundle does not trust");
    make_batch(0, &rogue, (int64_t)LT_NOW - 60);
    r = issue(0, 0);
    CHECK(r.status == SG_ST_POLICY_REJECTED && th_has_reason(r, "sbr.3.2.2.evidence.batch-va-untrusted", "3.2.2") &&
              last_entry()->b[1] == SG_LOG_EV_ISSUE_REFUSED,
          "root by an untrusted VA: refused (batch-va-untrusted 3.2.2), logged");
    mbedtls_pk_free(&rogue.pk);
    make_batch(0, &bf_va, (int64_t)LT_NOW - SG_EV_BATCH_MAX_AGE - 1);
    stats(&h, &a);
    r = issue(0, 0);
    stats(&h2, &a2);
    CHECK(th_has_reason(r, "sbrguard.evidence.batch-stale", "3.2") && a2 == a,
          "root signed 24 h + 1 s ago: refused (batch-stale), not cached");
    make_batch(0, &bf_va, (int64_t)LT_NOW - 60);
    size_t n = evidence(0, 3);
    ev[n - 4] ^= 0x10;
    CHECK(th_has_reason(send_ev(ev, n, SG_CMD_SIGN, 7), "sbr.3.2.2.evidence.batch-signature", "3.2.2"),
          "root signature byte flipped: refused (batch-signature)");
    n = evidence(0, 3);
    ev[n - 200] ^= 0x10; /* inside the path */
    r = send_ev(ev, n, SG_CMD_SIGN, 7);
    CHECK(th_has_reason(r, "sbr.3.2.2.evidence.batch-proof", "3.2.2"), "path byte flipped: refused (batch-proof)");
    n = evidence(0, 3);
    CHECK(th_has_reason(send_ev(ev, n - 1, SG_CMD_SIGN, 7), "sbrguard.evidence.malformed", NULL),
          "cut by one byte: refused (malformed)");
}

/* ---- power cuts -------------------------------------------------------------- */

static uint8_t snap[SIM_FLASH_SIZE];

/* Issues records 0..3 of batch 2 (inline), AUTHORIZE + raw with record 4.
 * Fills which signatures went out. */
static int run(int *signed_, uint8_t (*hash)[32])
{
    int done = 0;
    for (size_t i = 0; i < 6; i++) {
        th_resp r;
        size_t l = 0;
        signed_[i] = 0;
        if (i < 4) {
            r = issue(2, i);
        } else if (i == 4) {
            r = send_ev(ev, evidence(2, 4), SG_CMD_AUTHORIZE, 9);
            const uint8_t *d = th_get(r, SG_T_DIGEST, &l);
            if (d && l == 32)
                memcpy(hash[5], d, 32);
        } else {
            r = th_sign(0, ca.handle, SG_MECH_ECDSA, hash[5], 32);
        }
        if (sim_flash_was_cut())
            return done;
        signed_[i] = th_get(r, SG_T_SIGNATURE, &l) != NULL;
        if (i < 5)
            mbedtls_sha256(recs[2][i], rec_len[2][i], hash[i], 0);
        done++;
    }
    return done;
}

static void power_cuts(void)
{
    int sig[6];
    uint8_t hash[6][32];
    make_batch(2, &bf_va, (int64_t)LT_NOW - 30);
    th_boot();
    memcpy(snap, th_flash, sizeof snap);
    th_login(0, SG_USER_USER, LT_PIN);
    sim_flash_cut_at(0);
    uint64_t size0 = lt_log_info().size;
    int done = run(sig, hash);
    unsigned long total = sim_flash_ops();
    CHECK(done == 6 && sig[0] && sig[3] && sig[5] && lt_log_info().size == size0 + 6,
          "reference: 4 inline and 1 pre-authorized issuance of one batch, %lu flash operations", total);
    int dead = 0, lost = 0, unlogged = 0, stuck = 0;
    for (unsigned long k = 1; k <= total; k++) {
        memcpy(th_flash, snap, sizeof snap);
        th_boot();
        th_login(0, SG_USER_USER, LT_PIN);
        sim_flash_cut_at(k);
        done = run(sig, hash);
        sim_flash_cut_at(0);
        if (th_boot() != FW_OK) {
            dead++;
            continue;
        }
        th_login(0, SG_USER_USER, LT_PIN);
        lt_info in = lt_log_info();
        long got = lt_read(in.min);
        if (got < 0 || in.size < size0 + (uint64_t)done || in.size > size0 + (uint64_t)done + 1) {
            lost++;
            fprintf(stderr, "cut %lu: %d steps done, log %llu..%llu\n", k, done, (unsigned long long)size0,
                    (unsigned long long)in.size);
            continue;
        }
        for (int s = 0; s < done; s++) {
            const lt_entry *e = &lt_e[size0 + (uint64_t)s];
            int want = s == 5 ? 4 : s; /* the raw signature's entry: the hash AUTHORIZE judged */
            if (sig[s] && (e->b[1] != SG_LOG_EV_ISSUE_ACCEPTED || memcmp(e->b + SG_LOG_OFF_EVIDENCE_HASH, hash[want], 32)))
                unlogged++;
        }
        uint32_t h, a;
        th_resp r = issue(2, 6);
        stats(&h, &a);
        if (r.status != SG_ST_OK || a != 1)
            stuck++;
    }
    CHECK(dead == 0, "the token boots after a cut at each of the %lu flash operations", total);
    CHECK(lost == 0, "no committed entry lost; the interrupted one whole or absent");
    CHECK(unlogged == 0, "every signature returned has its entry with the record's hash");
    CHECK(stuck == 0, "after every cut the batch's next request is verified afresh (empty cache) and signed");
}

int main(void)
{
    CHECK(lt_setup(0, &ca) == 0, "token, CA key, bundle trusting the fixture's VA");
    cache();
    refusals();
    power_cuts();
    uint32_t h, a;
    stats(&h, &a);
    uint8_t st = bf_init_token(LT_SO, "again");
    uint32_t h2, a2;
    stats(&h2, &a2);
    CHECK(a >= 1 && st == SG_ST_OK && h2 == 0 && a2 == 0 && !fw_evcache_seen(NULL, batches[2].root),
          "INIT_TOKEN empties the cache");
    return CHECK_DONE();
}
