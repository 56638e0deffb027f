/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Power cut at every flash operation of a sequence of issuances (inline and
 * pre-authorized), refusals, a key generation, a checkpoint and an SO
 * acknowledgement. After each cut the token reboots and:
 * - every entry committed before the interrupted step is there, unchanged;
 * - the interrupted step's entry is either whole or absent (a half-written
 *   one is discarded);
 * - every signature returned (steps that completed before the power went)
 *   has its entry, with the hash of the certificate it completes;
 * - the tree root is the RFC 9162 root of the entries, any checkpoint
 *   returned before the cut is consistent with the tree, and the token goes
 *   on logging and signing.
 */
#include "check.h"
#include "logtest.h"

enum { S_ISSUE, S_REFUSE, S_KEYGEN, S_AUTHZ, S_RAW, S_CHECKPOINT, S_ACK };
static const struct {
    int kind;
    unsigned serial;
    uint8_t event; /* the entry the step appends, 0: none */
} steps[] = {
    { S_ISSUE, 1, SG_LOG_EV_ISSUE_ACCEPTED },  { S_REFUSE, 2, SG_LOG_EV_ISSUE_REFUSED },
    { S_KEYGEN, 0, SG_LOG_EV_KEY_GEN },        { S_ISSUE, 3, SG_LOG_EV_ISSUE_ACCEPTED },
    { S_AUTHZ, 4, SG_LOG_EV_AUTHZ_ACCEPTED },  { S_RAW, 4, SG_LOG_EV_ISSUE_ACCEPTED },
    { S_CHECKPOINT, 0, 0 },                    { S_ISSUE, 5, SG_LOG_EV_ISSUE_ACCEPTED },
    { S_REFUSE, 6, SG_LOG_EV_ISSUE_REFUSED },  { S_ACK, 0, SG_LOG_EV_LOG_ACK },
    { S_ISSUE, 7, SG_LOG_EV_ISSUE_ACCEPTED },
};
#define NSTEPS (sizeof steps / sizeof *steps)

static lt_ca ca;
static lt_key key;
static uint8_t snap[SIM_FLASH_SIZE];
static uint8_t digest[32];
static char cp_note[SG_LOG_MAX_NOTE + 1];
static size_t cp_len;

typedef struct {
    int done;            /* completed before the cut: its response went out */
    uint64_t entry;      /* index of its entry (steps that append one) */
    uint8_t status;
    uint8_t cert_hash[32];
    int signed_;
} outcome;

/* Committed entries as the token showed them after each completed step. */
static lt_entry seen[64];
static uint64_t seen_n;

static void snapshot_log(void)
{
    lt_info in = lt_log_info();
    long n = lt_read(in.min);
    seen_n = n < 0 ? 0 : in.min + (uint64_t)n;
    memcpy(seen, lt_e, sizeof seen);
}

static void run_step(size_t s, outcome *o)
{
    th_resp r;
    size_t l = 0;
    const uint8_t *p;
    memset(o, 0, sizeof *o);
    switch (steps[s].kind) {
    case S_ISSUE:
    case S_REFUSE:
        r = lt_issue(&ca, steps[s].serial, steps[s].kind == S_REFUSE);
        if ((p = th_get(r, SG_T_SIGNATURE, &l))) {
            lt_cert_hash(lt_tbs_buf, lt_tbs_len, p, l, o->cert_hash);
            o->signed_ = 1;
        }
        break;
    case S_KEYGEN:
        r = th_keygen(0, SG_KEY_EC_P256, "k", 0);
        break;
    case S_AUTHZ:
        lt_tbs_len = lt_tbs(ca.spki, ca.spki_len, steps[s].serial, 0, lt_tbs_buf);
        th_begin();
        th_put_u(SG_T_HANDLE, ca.handle, 2);
        th_put_u(SG_T_MECH, SG_MECH_ECDSA_SHA256, 4);
        th_put(SG_T_DATA, lt_tbs_buf, lt_tbs_len);
        r = th_send(0, SG_CMD_AUTHORIZE);
        if ((p = th_get(r, SG_T_DIGEST, &l)) && l == 32)
            memcpy(digest, p, 32);
        break;
    case S_RAW:
        r = th_sign(0, ca.handle, SG_MECH_ECDSA, digest, 32);
        o->signed_ = th_get(r, SG_T_SIGNATURE, &l) != NULL;
        break;
    case S_CHECKPOINT:
        r.status = lt_checkpoint(0, cp_note, sizeof cp_note, &cp_len);
        break;
    default: /* S_ACK: the SO acknowledges the checkpoint of the step before */
        th_begin();
        th_send(0, SG_CMD_LOGOUT);
        th_login(0, SG_USER_SO, LT_SO);
        th_begin();
        th_put(SG_T_LOG_NOTE, cp_note, cp_len);
        r = th_send(0, SG_CMD_LOG_ACK);
        th_begin();
        th_send(0, SG_CMD_LOGOUT);
        th_login(0, SG_USER_USER, LT_PIN);
        break;
    }
    o->status = r.status;
}

static int expect_ok(size_t s) { return steps[s].kind != S_REFUSE; }

int main(void)
{
    outcome ref[NSTEPS], got[NSTEPS];
    CHECK(lt_setup(0, &ca) == 0 && lt_pubkey(&key) == 0, "token with a bound CA key");
    /* The fixed clock keeps the sequence identical in every run. */
    th_boot();
    memcpy(snap, th_flash, sizeof snap);

    /* Reference run, no cut. */
    th_login(0, SG_USER_USER, LT_PIN);
    sim_flash_cut_at(0);
    int ok = 1;
    for (size_t s = 0; s < NSTEPS; s++) {
        run_step(s, &ref[s]);
        ok &= (ref[s].status == SG_ST_OK) == expect_ok(s);
    }
    unsigned long total = sim_flash_ops();
    uint64_t ref_size = lt_log_info().size;
    CHECK(ok && total > 20, "reference run: %zu steps, %lu flash operations, %llu entries", NSTEPS, total,
          (unsigned long long)ref_size);

    int lost = 0, torn = 0, unsigned_sig = 0, bad_tree = 0, dead = 0, reached = 0;
    unsigned long whole = 0, absent = 0;
    for (unsigned long k = 1; k <= total; k++) {
        memcpy(th_flash, snap, sizeof snap);
        th_boot();
        th_login(0, SG_USER_USER, LT_PIN);
        sim_flash_cut_at(k);
        size_t cut_step = NSTEPS;
        snapshot_log();
        uint64_t committed = seen_n;
        static lt_entry before[64];
        memcpy(before, seen, sizeof before);
        int have_cp = 0;
        char note[SG_LOG_MAX_NOTE + 1];
        size_t note_len = 0;
        for (size_t s = 0; s < NSTEPS; s++) {
            run_step(s, &got[s]);
            if (sim_flash_was_cut()) {
                cut_step = s;
                break;
            }
            got[s].done = 1;
            if (steps[s].kind == S_CHECKPOINT && got[s].status == SG_ST_OK) {
                have_cp = 1;
                memcpy(note, cp_note, cp_len + 1);
                note_len = cp_len;
            }
            /* What the token shows as committed now (reads write nothing). */
            snapshot_log();
            got[s].entry = seen_n - 1;
            committed = seen_n;
            memcpy(before, seen, sizeof before);
        }
        if (cut_step == NSTEPS)
            continue;
        reached++;
        if (th_boot() != FW_OK) {
            dead++;
            fprintf(stderr, "cut %lu: no boot\n", k);
            continue;
        }
        th_login(0, SG_USER_USER, LT_PIN);
        lt_info in = lt_log_info();
        long n = lt_read(in.min);
        /* After an acknowledgement entries below min are gone from the
         * token: compare what is still there. */
        int same = n >= 0 && (uint64_t)n + in.min == in.size && in.size >= committed && in.size <= committed + 1 &&
                   !(in.status & SG_LOG_ST_CORRUPT);
        for (uint64_t i = in.min; same && i < committed && i < 64; i++)
            same = lt_e[i].len == before[i].len && !memcmp(lt_e[i].b, before[i].b, before[i].len);
        if (!same) {
            lost++;
            fprintf(stderr, "cut %lu (step %zu): committed %llu, now %llu..%llu\n", k, cut_step,
                    (unsigned long long)committed, (unsigned long long)in.min, (unsigned long long)in.size);
            continue;
        }
        if (in.size == committed + 1) {
            whole++;
            const lt_entry *e = &lt_e[committed];
            if (e->b[SG_LOG_OFF_FORMAT] != SG_LOG_FORMAT || e->b[SG_LOG_OFF_EVENT] != steps[cut_step].event) {
                torn++;
                fprintf(stderr, "cut %lu: extra entry of event %u in step %zu\n", k, e->b[1], cut_step);
            }
        } else {
            absent++;
        }
        /* Every signature that went out has its entry with its certificate
         * hash (those still on the token; freed ones were checked by
         * earlier cuts). */
        for (size_t s = 0; s < cut_step; s++) {
            uint64_t i = got[s].entry;
            if (!got[s].signed_ || i < in.min)
                continue;
            const lt_entry *e = &lt_e[i];
            int found = i < in.size && e->b[1] == SG_LOG_EV_ISSUE_ACCEPTED &&
                        (steps[s].kind == S_RAW ? e->b[SG_LOG_OFF_FLAGS] == SG_LOG_F_PREAUTHORIZED
                                                : !memcmp(e->b + SG_LOG_OFF_CERT_HASH, got[s].cert_hash, 32));
            if (!found) {
                unsigned_sig++;
                fprintf(stderr, "cut %lu: signature of step %zu returned without its entry\n", k, s);
            }
        }
        /* The tree: the token's root over what it holds, and an earlier
         * checkpoint still consistent; then it goes on. */
        uint8_t root[32], want[32];
        size_t nl = 0;
        uint64_t cs = 0;
        char now_note[SG_LOG_MAX_NOTE + 1];
        int tree = lt_checkpoint(0, now_note, sizeof now_note, &nl) == 0 &&
                   lt_note_check(&key, now_note, nl, &cs, root) == 0 && cs == in.size;
        if (tree && in.min == 0) {
            lt_mth(0, cs, want);
            tree = !memcmp(root, want, 32);
        }
        if (tree && have_cp) {
            uint64_t os = 0;
            uint8_t oroot[32];
            tree = lt_note_check(&key, note, note_len, &os, oroot) == 0 && os <= cs;
            if (tree && os >= in.min) {
                th_begin();
                th_put_u(SG_T_LOG_SIZE, cs, 8);
                th_put_u(SG_T_LOG_OLD_SIZE, os, 8);
                th_resp pr = th_send(0, SG_CMD_LOG_PROOF);
                size_t pl = 0;
                const uint8_t *p = th_get(pr, SG_T_LOG_PROOF, &pl);
                tree = pr.status == SG_ST_OK &&
                       lt_verify_consistency(os, cs, oroot, root, p ? p : (const uint8_t *)"", p ? pl / 32 : 0);
            }
        }
        th_resp r = lt_issue(&ca, 900 + (unsigned)k, 0);
        lt_info next = lt_log_info();
        if (!tree || r.status != SG_ST_OK || next.size != in.size + 1) {
            bad_tree++;
            fprintf(stderr, "cut %lu: tree %d, issuance after reboot %u, size %llu -> %llu\n", k, tree, r.status,
                    (unsigned long long)in.size, (unsigned long long)next.size);
        }
    }
    printf("# %lu cut points exercised (%lu left the interrupted entry whole, %lu discarded it)\n", total, whole,
           absent);
    CHECK(reached == (int)total, "every one of the %lu flash operations was cut", total);
    CHECK(dead == 0, "the token boots after every cut");
    CHECK(lost == 0, "no committed entry lost or altered at any cut");
    CHECK(torn == 0 && whole + absent == total, "the interrupted entry is whole or absent");
    CHECK(absent > 0 && whole > 0, "both outcomes were exercised");
    CHECK(unsigned_sig == 0, "no signature returned without its committed entry");
    CHECK(bad_tree == 0, "after every cut: root = RFC 9162 root, earlier checkpoint consistent, logging goes on");
    return CHECK_DONE();
}
