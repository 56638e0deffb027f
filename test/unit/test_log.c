/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The enforcement log in the in-process firmware: entries of each decision,
 * checkpoints (C2SP signed notes checked like a transparency-dev verifier
 * would), inclusion and consistency proofs checked by the tests' own RFC
 * 9162 code, the flood rule, and the log-full path: signing refused,
 * export, SO acknowledgement, truncation, signing again, and the tree still
 * verifiable across truncations and wrap-arounds of the region.
 */
#include "check.h"
#include "logtest.h"

static lt_ca ca;
static lt_key key;
static char note[SG_LOG_MAX_NOTE + 1];

/* Inclusion proof of i in n and consistency m -> n from the token, checked
 * against the tests' own tree over lt_leaf. */
static int proofs_ok(uint64_t i, uint64_t m, uint64_t n)
{
    uint8_t want[32], old[32];
    size_t l = 0, pl = 0;
    th_begin();
    th_put_u(SG_T_LOG_SIZE, n, 8);
    th_put_u(SG_T_LOG_INDEX, i, 8);
    th_resp r = th_send(0, SG_CMD_LOG_PROOF);
    const uint8_t *root = th_get(r, SG_T_LOG_ROOT, &l), *leaf = th_get(r, SG_T_LOG_LEAF, &l),
                  *p = th_get(r, SG_T_LOG_PROOF, &pl);
    lt_mth(0, n, want);
    if (r.status || !root || !leaf || !p || memcmp(root, want, 32) || memcmp(leaf, lt_leaf[i], 32) ||
        !lt_verify_inclusion(i, n, lt_leaf[i], p, pl / 32, want))
        return 0;
    th_begin();
    th_put_u(SG_T_LOG_SIZE, n, 8);
    th_put_u(SG_T_LOG_OLD_SIZE, m, 8);
    r = th_send(0, SG_CMD_LOG_PROOF);
    const uint8_t *oroot = th_get(r, SG_T_LOG_OLD_ROOT, &l);
    p = th_get(r, SG_T_LOG_PROOF, &pl);
    lt_mth(0, m, old);
    if (r.status || !oroot || memcmp(oroot, old, 32))
        return 0;
    return m == 0 || lt_verify_consistency(m, n, old, want, p ? p : (const uint8_t *)"", p ? pl / 32 : 0);
}

static uint8_t proof_status(int consistency, uint64_t a, uint64_t n)
{
    th_begin();
    th_put_u(SG_T_LOG_SIZE, n, 8);
    th_put_u(consistency ? SG_T_LOG_OLD_SIZE : SG_T_LOG_INDEX, a, 8);
    return th_send(0, SG_CMD_LOG_PROOF).status;
}

static int has_reason(const lt_entry *e, const char *code, uint32_t *count)
{
    size_t off = SG_LOG_OFF_REASONS, cl = strlen(code);
    for (unsigned k = 0; k < e->b[SG_LOG_OFF_N_REASONS]; k++) {
        size_t l = e->b[off + 4];
        if (l == cl && !memcmp(e->b + off + 5, code, cl)) {
            if (count)
                *count = (uint32_t)sg_be_get(e->b + off, 4);
            return 1;
        }
        off += 5 + l;
    }
    return 0;
}

/* Every decision becomes an entry with the documented fields. */
static void entries(void)
{
    CHECK(lt_setup(0, &ca) == 0, "token with a bound CA key");
    CHECK(lt_pubkey(&key) == 0, "LOG_PUBKEY answers");
    uint8_t h[32];
    mbedtls_sha256(key.spki, key.spki_len, h, 0);
    char want_vkey[256];
    size_t ol = 0;
    uint8_t raw[1 + 128];
    raw[0] = 0x02;
    memcpy(raw + 1, key.spki, key.spki_len);
    int n = snprintf(want_vkey, sizeof want_vkey, "%s+%02x%02x%02x%02x+", key.origin, h[0], h[1], h[2], h[3]);
    mbedtls_base64_encode((uint8_t *)want_vkey + n, sizeof want_vkey - (size_t)n, &ol, raw, 1 + key.spki_len);
    CHECK(!memcmp(key.key_id, h, 4) && !strncmp(key.origin, "sbrguard.invalid/", 17) && strlen(key.origin) == 33 &&
              !strcmp(key.vkey, want_vkey),
          "log key: origin sbrguard.invalid/<serial>, key ID = SHA-256(SPKI)[:4], vkey name+id+base64(0x02||SPKI)");

    th_resp r = lt_issue(&ca, 1, 0);
    size_t sl = 0;
    const uint8_t *sig = th_get(r, SG_T_SIGNATURE, &sl);
    uint8_t cert_hash[32], tbs_hash[32], ev_hash[32];
    CHECK(r.status == SG_ST_OK && sig && sl == 64, "accepted TBS is signed");
    mbedtls_sha256(th_evidence, th_evidence_len, ev_hash, 0);
    lt_cert_hash(lt_tbs_buf, lt_tbs_len, sig, sl, cert_hash);
    mbedtls_sha256(lt_tbs_buf, lt_tbs_len, tbs_hash, 0);
    r = lt_issue(&ca, 2, 1);
    CHECK(r.status == SG_ST_POLICY_REJECTED, "TBS with serverAuth is refused");
    uint8_t bad_hash[32];
    mbedtls_sha256(lt_tbs_buf, lt_tbs_len, bad_hash, 0);

    long got = lt_read(0);
    lt_info in = lt_log_info();
    CHECK(got == 7 && in.size == 7 && in.min == 0, "7 entries: token init, user PIN set, key gen, CA bind, policy load, accepted, refused");
    const lt_entry *e = lt_e;
    CHECK(e[0].b[0] == SG_LOG_FORMAT && e[0].b[1] == SG_LOG_EV_TOKEN_INIT && sg_be_get(e[0].b + SG_LOG_OFF_VALUE, 8) == 1 &&
              sg_be_get(e[0].b + SG_LOG_OFF_TIME, 8) == LT_NOW && e[0].len == SG_LOG_FIXED_LEN,
          "entry 0: TOKEN_INIT, epoch 1, token time");
    CHECK(e[1].b[1] == SG_LOG_EV_PIN_INIT && sg_be_get(e[1].b + SG_LOG_OFF_VALUE, 8) == SG_USER_USER,
          "entry 1: PIN_INIT, the SO set the user PIN");
    CHECK(e[2].b[1] == SG_LOG_EV_KEY_GEN && sg_be_get(e[2].b + SG_LOG_OFF_HANDLE, 2) == ca.handle &&
              e[2].b[SG_LOG_OFF_KEY_TYPE] == SG_KEY_EC_P256 && !memcmp(e[2].b + SG_LOG_OFF_KEY_ID, ca.key_id, 32),
          "entry 2: KEY_GEN with handle, key type and key id = SHA-256(SPKI)");
    CHECK(e[3].b[1] == SG_LOG_EV_CA_BIND && !memcmp(e[3].b + SG_LOG_OFF_KEY_ID, ca.key_id, 32), "entry 3: CA_BIND");
    static const uint8_t zero[32];
    CHECK(e[4].b[1] == SG_LOG_EV_POLICY_LOAD && sg_be_get(e[4].b + SG_LOG_OFF_VALUE, 8) == bf_version &&
              memcmp(e[4].b + SG_LOG_OFF_POLICY_HASH, zero, 32),
          "entry 4: POLICY_LOAD with the bundle's version and hash");
    CHECK(e[5].b[1] == SG_LOG_EV_ISSUE_ACCEPTED && sg_be_get(e[5].b + SG_LOG_OFF_MECH, 4) == SG_MECH_ECDSA_SHA256 &&
              !memcmp(e[5].b + SG_LOG_OFF_KEY_ID, ca.key_id, 32) && !memcmp(e[5].b + SG_LOG_OFF_TBS_HASH, tbs_hash, 32) &&
              !memcmp(e[5].b + SG_LOG_OFF_CERT_HASH, cert_hash, 32) &&
              !memcmp(e[5].b + SG_LOG_OFF_POLICY_HASH, e[4].b + SG_LOG_OFF_POLICY_HASH, 32) && th_evidence_len &&
              !memcmp(e[5].b + SG_LOG_OFF_EVIDENCE_HASH, ev_hash, 32),
          "entry 5: ISSUE_ACCEPTED with TBS hash, evidence hash and the hash of the certificate `cert assemble` builds");
    CHECK(e[6].b[1] == SG_LOG_EV_ISSUE_REFUSED && !memcmp(e[6].b + SG_LOG_OFF_TBS_HASH, bad_hash, 32) &&
              has_reason(&e[6], "sbr.7.1.2.3.eku.prohibited", NULL) && !memcmp(e[6].b + SG_LOG_OFF_CERT_HASH, zero, 32),
          "entry 6: ISSUE_REFUSED with the reason code of the response");

    /* Pre-authorized: AUTHZ_ACCEPTED, then ISSUE_ACCEPTED flagged. */
    lt_tbs_len = lt_tbs(ca.spki, ca.spki_len, 3, 0, lt_tbs_buf);
    mbedtls_sha256(lt_tbs_buf, lt_tbs_len, tbs_hash, 0);
    th_begin();
    th_put_u(SG_T_HANDLE, ca.handle, 2);
    th_put_u(SG_T_MECH, SG_MECH_ECDSA_SHA256, 4);
    th_put(SG_T_DATA, lt_tbs_buf, lt_tbs_len);
    r = th_send(0, SG_CMD_AUTHORIZE);
    size_t dl = 0;
    const uint8_t *d = th_get(r, SG_T_DIGEST, &dl);
    uint8_t dig[64];
    CHECK(r.status == SG_ST_OK && d && dl == 32, "authorization granted");
    memcpy(dig, d, 32);
    r = th_sign(0, ca.handle, SG_MECH_ECDSA, dig, 32);
    CHECK(r.status == SG_ST_OK, "pre-authorized raw signature");
    lt_tbs_len = lt_tbs(ca.spki, ca.spki_len, 4, 1, lt_tbs_buf);
    th_begin();
    th_put_u(SG_T_HANDLE, ca.handle, 2);
    th_put_u(SG_T_MECH, SG_MECH_ECDSA_SHA256, 4);
    th_put(SG_T_DATA, lt_tbs_buf, lt_tbs_len);
    CHECK(th_send(0, SG_CMD_AUTHORIZE).status == SG_ST_POLICY_REJECTED, "authorization refused");
    r = th_sign(0, ca.handle, SG_MECH_ECDSA, dig, 32);
    CHECK(r.status == SG_ST_POLICY_REJECTED, "raw signature without authorization refused");
    got = lt_read(7);
    CHECK(got == 4, "4 more entries");
    CHECK(e[7].b[1] == SG_LOG_EV_AUTHZ_ACCEPTED && !memcmp(e[7].b + SG_LOG_OFF_TBS_HASH, tbs_hash, 32) &&
              sg_be_get(e[7].b + SG_LOG_OFF_VALUE, 8) == LT_NOW + SG_AUTHZ_WINDOW,
          "AUTHZ_ACCEPTED with TBS hash and expiry");
    CHECK(e[8].b[1] == SG_LOG_EV_ISSUE_ACCEPTED && e[8].b[SG_LOG_OFF_FLAGS] == SG_LOG_F_PREAUTHORIZED &&
              sg_be_get(e[8].b + SG_LOG_OFF_MECH, 4) == SG_MECH_ECDSA && !memcmp(e[8].b + SG_LOG_OFF_TBS_HASH, tbs_hash, 32) &&
              !memcmp(e[8].b + SG_LOG_OFF_CERT_HASH, zero, 32),
          "pre-authorized ISSUE_ACCEPTED: flag, raw mechanism, the authorized TBS's hash, no certificate hash");
    CHECK(e[9].b[1] == SG_LOG_EV_AUTHZ_REFUSED && has_reason(&e[9], "sbr.7.1.2.3.eku.prohibited", NULL),
          "AUTHZ_REFUSED with reasons");
    CHECK(e[10].b[1] == SG_LOG_EV_ISSUE_REFUSED && (e[10].b[SG_LOG_OFF_FLAGS] & SG_LOG_F_PREAUTHORIZED) &&
              has_reason(&e[10], "sbrguard.authz.used", NULL),
          "refused raw signature: ISSUE_REFUSED, sbrguard.authz.used");

    /* A plain key signs without an entry. */
    th_resp k = th_keygen(0, SG_KEY_EC_P256, "plain", 0);
    unsigned ph = (unsigned)th_get_u(k, SG_T_HANDLE);
    CHECK(th_sign(0, ph, SG_MECH_ECDSA_SHA256, "x", 1).status == SG_ST_OK && lt_log_info().size == 12,
          "a plain key's signature is not logged (its generation is)");

    /* PIN lockout. */
    th_begin();
    th_send(0, SG_CMD_LOGOUT);
    for (int i = 0; i < 3; i++)
        th_login(1, SG_USER_USER, "wrong-pin");
    th_login(0, SG_USER_SO, LT_SO);
    got = lt_read(11);
    CHECK(got == 2 && e[11].b[1] == SG_LOG_EV_KEY_GEN && e[12].b[1] == SG_LOG_EV_PIN_LOCKOUT && sg_be_get(e[12].b + SG_LOG_OFF_VALUE, 8) == SG_USER_USER,
          "PIN_LOCKOUT when the user PIN's counter reaches 0");
    th_begin();
    th_put_s(SG_T_PIN, LT_PIN);
    th_send(0, SG_CMD_INIT_PIN);
    th_begin();
    th_send(0, SG_CMD_LOGOUT);
    th_login(0, SG_USER_USER, LT_PIN);

    /* Checkpoints. */
    size_t nl = 0;
    uint64_t cs = 0;
    uint8_t root[32], want[32];
    CHECK(lt_read(13) == 1 && e[13].b[1] == SG_LOG_EV_PIN_INIT, "the SO's new user PIN after the lockout: PIN_INIT");
    CHECK(lt_checkpoint(0, note, sizeof note, &nl) == 0, "LOG_CHECKPOINT without login");
    lt_mth(0, 14, want);
    CHECK(lt_note_check(&key, note, nl, &cs, root) == 0 && cs == 14 && !memcmp(root, want, 32),
          "checkpoint: origin, size, root = RFC 9162 root of the entries, ECDSA P-256 signature verifies");
    char again[SG_LOG_MAX_NOTE + 1];
    size_t al = 0;
    CHECK(lt_checkpoint(0, again, sizeof again, &al) == 0 && al == nl && !memcmp(again, note, nl),
          "no growth: the same checkpoint again, nothing re-signed");
    CHECK(lt_checkpoint(SG_LOG_CP_EXPORT, again, sizeof again, &al) == 0 && lt_read(14) == 1 &&
              e[14].b[1] == SG_LOG_EV_LOG_EXPORT && lt_note_check(&key, again, al, &cs, root) == 0 && cs == 15,
          "export checkpoint records LOG_EXPORT and covers it");
    CHECK(lt_checkpoint(SG_LOG_CP_EXPORT, again, sizeof again, &al) == 0 && lt_log_info().size == 15,
          "a second export with nothing new adds no entry");
    int all = 1;
    for (uint64_t n2 = 1; n2 <= 15; n2++)
        for (uint64_t i = 0; i < n2; i++)
            all &= proofs_ok(i, i + 1 <= n2 ? i + 1 : n2, n2);
    CHECK(all, "inclusion proofs of every entry in every tree size 1..15 and consistency proofs verify");
    CHECK(proof_status(0, 15, 15) == SG_ST_ARGS && proof_status(1, 5, 16) == SG_ST_ARGS &&
              proof_status(1, 6, 5) == SG_ST_ARGS,
          "proofs out of range refused");

    /* The tree survives a reboot. */
    th_boot();
    th_login(0, SG_USER_USER, LT_PIN);
    lt_info i2 = lt_log_info();
    CHECK(i2.size == 15 && i2.cp_size == 15, "after a reboot: same size, last checkpoint kept");
    for (int i = 0; i < 3; i++)
        lt_issue(&ca, 10 + i, 0);
    lt_read(15);
    CHECK(lt_checkpoint(0, note, sizeof note, &nl) == 0 && lt_note_check(&key, note, nl, &cs, root) == 0 && cs == 18,
          "new checkpoint after reboot and growth");
    CHECK(proofs_ok(3, 15, 18), "consistency 15 -> 18 across the reboot");

    /* Re-initialization keeps the log, its key and its tree. */
    th_begin();
    th_send(0, SG_CMD_LOGOUT);
    lt_key k2;
    CHECK(th_init_token(LT_SO, "again") == SG_ST_OK && lt_pubkey(&k2) == 0 && k2.spki_len == key.spki_len &&
              !memcmp(k2.spki, key.spki, key.spki_len) && lt_read(18) == 1 && lt_e[18].b[1] == SG_LOG_EV_TOKEN_INIT &&
              sg_be_get(lt_e[18].b + SG_LOG_OFF_VALUE, 8) == 2,
          "re-initialization: same log key, the tree goes on with TOKEN_INIT (epoch 2)");
    CHECK(lt_checkpoint(0, note, sizeof note, &nl) == 0 && lt_note_check(&key, note, nl, &cs, root) == 0 && cs == 19 &&
              proofs_ok(18, 18, 19),
          "checkpoint after re-initialization consistent with the one before");
}

/* Refusals past the rate are folded into summaries; they cannot fill the log. */
static void flood(void)
{
    CHECK(lt_setup(70 + 8, &ca) == 0, "token with a 32 KiB log region");
    lt_info before = lt_log_info();
    for (int i = 0; i < 200; i++)
        lt_issue(&ca, (unsigned)i, 1);
    lt_info mid = lt_log_info();
    CHECK(mid.size - before.size == 16 && mid.folded == 184,
          "200 refusals in one window: 16 entries, 184 counted in RAM (%llu, %u)",
          (unsigned long long)(mid.size - before.size), mid.folded);
    sim_clock_set(LT_NOW + 61);
    th_resp r = lt_issue(&ca, 999, 0);
    lt_info after = lt_log_info();
    CHECK(r.status == SG_ST_OK && after.folded == 0, "window over: the summary is written, issuance works");
    long got = lt_read(mid.size);
    const lt_entry *s = &lt_e[mid.size];
    uint32_t cnt = 0;
    CHECK(got == 2 && s->b[1] == SG_LOG_EV_ISSUE_ACCEPTED && s[1].b[1] == SG_LOG_EV_REFUSAL_SUMMARY &&
              sg_be_get(s[1].b + SG_LOG_OFF_VALUE, 8) == 184 && has_reason(&s[1], "sbr.7.1.2.3.eku.prohibited", &cnt) &&
              cnt == 184,
          "REFUSAL_SUMMARY: 184 requests, counted by reason code");

    /* Many windows of floods: refusals stop at 3/4 of the region. */
    uint64_t t = LT_NOW + 200;
    lt_info cur = lt_log_info();
    unsigned serial = 1000;
    for (int w = 0; w < 400 && cur.folded < 1000; w++) {
        sim_clock_set(t);
        for (int i = 0; i < 20; i++)
            lt_issue(&ca, serial++, 1);
        t += 61;
        cur = lt_log_info();
    }
    CHECK(cur.folded >= 1000 && cur.cap - cur.free <= cur.cap / 4 * 3 + 2 * (40 + SG_LOG_MAX_ENTRY),
          "refusal class stops at 3/4 of the region (used %u of %u), the rest counted", cur.cap - cur.free, cur.cap);
    r = lt_issue(&ca, 5000, 0);
    CHECK(r.status == SG_ST_OK && cur.free > 0, "accepted issuance still has its reserve");
    th_resp k = th_keygen(0, SG_KEY_EC_P256, "k", SG_OBJ_CA);
    CHECK(k.status == SG_ST_OK, "key generation still logged");
}

static uint8_t snap[SIM_FLASH_SIZE];

/* A cut at every flash operation of an acknowledgement that frees whole
 * sectors: afterwards the first retained index is the old or the new one,
 * every entry still retained is the one exported, the tree is the same, and
 * acknowledging again completes it. */
static void ack_cuts(const char *cp, size_t cp_len, uint64_t old_min, uint64_t cs, uint64_t sz)
{
    unsigned long ops, k;
    int bad = 0;
    memcpy(snap, th_flash, sizeof snap);
    sim_flash_cut_at(0);
    th_begin();
    th_put(SG_T_LOG_NOTE, cp, cp_len);
    th_send(0, SG_CMD_LOG_ACK);
    ops = sim_flash_ops();
    for (k = 1; k <= ops; k++) {
        memcpy(th_flash, snap, sizeof snap);
        th_boot();
        th_login(0, SG_USER_SO, LT_SO);
        sim_flash_cut_at(k);
        th_begin();
        th_put(SG_T_LOG_NOTE, cp, cp_len);
        th_send(0, SG_CMD_LOG_ACK);
        if (th_boot() != FW_OK) {
            bad++;
            continue;
        }
        th_login(0, SG_USER_SO, LT_SO);
        lt_info in = lt_log_info();
        static lt_entry keep[LT_MAX_ENTRIES];
        memcpy(&keep[in.min], &lt_e[in.min], sizeof keep[0] * (size_t)(sz - in.min));
        long n = lt_read(in.min);
        int ok = (in.min == old_min || in.min == cs) && (in.size == sz || in.size == sz + 1) &&
                 n == (long)(in.size - in.min) && !(in.status & SG_LOG_ST_CORRUPT);
        for (uint64_t i = in.min; ok && i < sz; i++)
            ok = keep[i].len == lt_e[i].len && !memcmp(keep[i].b, lt_e[i].b, keep[i].len);
        uint8_t root[32], want[32];
        size_t l = 0;
        th_begin();
        th_put_u(SG_T_LOG_SIZE, sz, 8);
        th_put_u(SG_T_LOG_OLD_SIZE, cs, 8);
        th_resp pr = th_send(0, SG_CMD_LOG_PROOF);
        const uint8_t *r2 = th_get(pr, SG_T_LOG_ROOT, &l);
        lt_mth(0, sz, want);
        ok = ok && pr.status == SG_ST_OK && r2 && !memcmp(r2, want, 32);
        th_begin();
        th_put(SG_T_LOG_NOTE, cp, cp_len);
        th_resp a = th_send(0, SG_CMD_LOG_ACK);
        ok = ok && a.status == SG_ST_OK && lt_log_info().min == cs;
        (void)root;
        if (!ok) {
            bad++;
            fprintf(stderr, "ack cut %lu: min %llu size %llu\n", k, (unsigned long long)in.min,
                    (unsigned long long)in.size);
        }
    }
    CHECK(bad == 0 && ops > 3, "acknowledgement cut at each of its %lu flash operations: old or new first index, "
                                "retained entries intact, same tree, a repeated ack completes it",
          ops);
    memcpy(th_flash, snap, sizeof snap);
    th_boot();
    th_login(0, SG_USER_SO, LT_SO);
}

/* Fill, refuse, export, ack, truncate, sign again; twice around the region. */
static void full_cycle(int round, uint64_t *prev_cp, uint8_t prev_root[32])
{
    unsigned serial = 10000u * (unsigned)(round + 1);
    th_resp r;
    int n = 0;
    do {
        r = lt_issue(&ca, serial++, 0);
        n++;
    } while (r.status == SG_ST_OK && n < 2000);
    lt_info in = lt_log_info();
    size_t sl = 0;
    CHECK(r.status == SG_ST_LOG_FULL && !th_get(r, SG_T_SIGNATURE, &sl) && (in.status & SG_LOG_ST_FULL),
          "round %d: after %d issuances the log is full: signing refused, no signature", round, n - 1);
    uint64_t sz = in.size;
    r = lt_issue(&ca, serial, 1);
    CHECK(r.status == SG_ST_LOG_FULL && lt_log_info().size == sz, "round %d: nothing is signed or judged", round);
    th_resp a;
    th_begin();
    th_put_u(SG_T_HANDLE, ca.handle, 2);
    th_put_u(SG_T_MECH, SG_MECH_ECDSA_SHA256, 4);
    th_put(SG_T_DATA, lt_tbs_buf, lt_tbs_len);
    a = th_send(0, SG_CMD_AUTHORIZE);
    CHECK(a.status == SG_ST_LOG_FULL, "round %d: no authorization either", round);

    /* Export: every retained entry, then a checkpoint. */
    long got = lt_read(in.min);
    size_t nl = 0;
    uint64_t cs = 0;
    uint8_t root[32], want[32];
    CHECK(got == (long)(sz - in.min) && lt_checkpoint(SG_LOG_CP_EXPORT, note, sizeof note, &nl) == 0,
          "round %d: export reads %ld entries and gets a checkpoint", round, got);
    lt_read(sz);
    lt_mth(0, lt_log_info().size, want);
    CHECK(lt_note_check(&key, note, nl, &cs, root) == 0 && !memcmp(root, want, 32),
          "round %d: checkpoint root = root over all entries ever exported (size %llu)", round, (unsigned long long)cs);
    if (*prev_cp) {
        th_begin();
        th_put_u(SG_T_LOG_SIZE, cs, 8);
        th_put_u(SG_T_LOG_OLD_SIZE, *prev_cp, 8);
        th_resp pr = th_send(0, SG_CMD_LOG_PROOF);
        size_t pl = 0;
        const uint8_t *p = th_get(pr, SG_T_LOG_PROOF, &pl);
        CHECK(pr.status == SG_ST_OK && p && lt_verify_consistency(*prev_cp, cs, prev_root, root, p, pl / 32),
              "round %d: consistent with the checkpoint acknowledged before (%llu -> %llu), across the truncation",
              round, (unsigned long long)*prev_cp, (unsigned long long)cs);
    }

    /* Acknowledgement. */
    th_begin();
    th_put(SG_T_LOG_NOTE, note, nl);
    CHECK(th_send(0, SG_CMD_LOG_ACK).status == SG_ST_NOT_LOGGED_IN, "round %d: ack needs the SO", round);
    th_begin();
    th_send(0, SG_CMD_LOGOUT);
    CHECK(th_login(0, SG_USER_SO, LT_SO) == SG_ST_OK, "SO login");
    char forged[SG_LOG_MAX_NOTE + 1];
    memcpy(forged, note, nl + 1);
    char *digit = strchr(forged, '\n') + 1;
    *digit = *digit == '9' ? '1' : (char)(*digit + 1);
    th_begin();
    th_put(SG_T_LOG_NOTE, forged, nl);
    CHECK(th_send(0, SG_CMD_LOG_ACK).status == SG_ST_ARGS, "round %d: a note the token did not sign is refused", round);
    if (round == 1)
        ack_cuts(note, nl, in.min, cs, sz);
    th_begin();
    th_put(SG_T_LOG_NOTE, note, nl);
    th_resp ack = th_send(0, SG_CMD_LOG_ACK);
    uint64_t ack_min = th_get_u(ack, SG_T_LOG_MIN);
    lt_info after = lt_log_info();
    CHECK(ack.status == SG_ST_OK && ack_min == cs && after.min == cs && after.size == cs + 1 &&
              !(after.status & SG_LOG_ST_FULL) && after.free > in.free,
          "round %d: SO ack frees entries below %llu (free %u -> %u)", round, (unsigned long long)cs, in.free, after.free);
    lt_read(cs);
    CHECK(lt_e[cs].b[1] == SG_LOG_EV_LOG_ACK && sg_be_get(lt_e[cs].b + SG_LOG_OFF_VALUE, 8) == cs &&
              !memcmp(lt_e[cs].b + SG_LOG_OFF_CERT_HASH, root, 32),
          "round %d: LOG_ACK entry with the acknowledged size and root", round);
    th_begin();
    th_send(0, SG_CMD_LOGOUT);
    th_login(0, SG_USER_USER, LT_PIN);

    th_begin();
    th_put_u(SG_T_LOG_INDEX, 0, 8);
    CHECK(th_send(0, SG_CMD_LOG_READ).status == SG_ST_LOG_PRUNED && proof_status(0, cs - 1, cs + 1) == SG_ST_LOG_PRUNED &&
              proof_status(1, cs - 1, cs + 1) == SG_ST_LOG_PRUNED,
          "round %d: freed entries and their proofs: SG_ST_LOG_PRUNED", round);

    /* Reboot with the new base (and, on round 2, a wrapped region). */
    th_boot();
    th_login(0, SG_USER_USER, LT_PIN);
    for (int i = 0; i < 5; i++)
        r = lt_issue(&ca, serial++, 0);
    CHECK(r.status == SG_ST_OK, "round %d: signing works again (after a reboot)", round);
    lt_info now = lt_log_info();
    got = lt_read(cs);
    int all = got == (long)(now.size - cs);
    for (uint64_t i = cs; i < now.size; i++)
        all &= proofs_ok(i, cs, now.size);
    CHECK(all, "round %d: inclusion of every retained entry and consistency %llu -> %llu verify against the "
               "tests' own tree over all exported entries",
          round, (unsigned long long)cs, (unsigned long long)now.size);
    *prev_cp = cs;
    memcpy(prev_root, root, 32);
}

/* Checkpoints are signed in batches: every 256 entries, or 300 s after an
 * unsigned entry. */
static void batching(void)
{
    CHECK(lt_setup(0, &ca) == 0, "fresh token");
    uint64_t size = lt_log_info().size;
    unsigned serial = 0;
    while (size < 255)
        size = (lt_issue(&ca, serial++, 0), lt_log_info().size);
    CHECK(lt_log_info().cp_size == 0, "255 entries: no checkpoint signed yet");
    lt_issue(&ca, serial++, 0);
    lt_info in = lt_log_info();
    CHECK(in.size == 256 && in.cp_size == 256, "the 256th entry: a checkpoint is signed without being asked");
    lt_issue(&ca, serial++, 0);
    sim_clock_set(LT_NOW + 299);
    lt_log_info();
    CHECK(lt_log_info().cp_size == 256, "299 s later: not yet");
    sim_clock_set(LT_NOW + 300);
    lt_log_info();
    CHECK(lt_log_info().cp_size == 257, "300 s after the first unsigned entry: signed");
    sim_clock_set(LT_NOW);
}

static void log_full(void)
{
    uint64_t prev = 0;
    uint8_t prev_root[32];
    CHECK(lt_setup(70 + 6, &ca) == 0, "token with a 24 KiB log region");
    CHECK(lt_pubkey(&key) == 0, "log key");
    for (int round = 0; round < 3; round++)
        full_cycle(round, &prev, prev_root);
}

int main(void)
{
    entries();
    batching();
    flood();
    log_full();
    sim_flash_set_sectors(0);
    return CHECK_DONE();
}
