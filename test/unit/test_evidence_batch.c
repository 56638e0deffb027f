/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Batched evidence (docs/evidence.md "Batched evidence"): the RFC 9162
 * tree the VA side builds (libsbrguard) against the tree's definition
 * (RFC 9162 2.1.1, computed here recursively), every leaf of trees of 1 to
 * 70 leaves proven under its root by the token's check (2.1.3.2), then each
 * refusal with its own code: a root from an untrusted VA, a root whose
 * signature fails, a proof that does not lead to the root (wrong index,
 * path cut by a hash, a flipped byte anywhere in it, a changed record), a
 * stale root (24 h after signedAt, or signed before its record), a future
 * one, versions, and the DER cut at every byte. The record itself is then
 * judged like single evidence (SBR 3.2.2, 4.2.1). Runs from the repository
 * root.
 */
#include "check.h"
#include "evtest.h"

#define V "test/vectors/smime/"
#define NOW 1759276800 /* 2025-10-01T00:00:00Z */
#define AGE SG_EV_BATCH_MAX_AGE

static ev_key va, va2, stranger;
static uint8_t trust_keys[2048], trust_caa[32];
static pol_ev_trust trust;
static uint8_t tbs[4096], ev[SG_MAX_EVIDENCE * 2], ev2[SG_MAX_EVIDENCE * 2];
static size_t tl;
static ev_spec s;
static ev_batch b;
static uint8_t recs[64][SG_MAX_EVIDENCE];
static size_t rec_len[64];

static const char *codes(const uint8_t *e, size_t n, int64_t now)
{
    pol_decision d = ev_judge(tbs, tl, e, n, &trust, now);
    return ev_codes(&d);
}

#define EXPECT(e, n, now, want, ...)                                            \
    do {                                                                       \
        const char *got_ = codes((e), (n), (now));                             \
        CHECK(!strcmp(got_, (want)), __VA_ARGS__);                             \
        if (strcmp(got_, (want)))                                              \
            fprintf(stderr, "  expected %s, got %s\n", (want), got_);          \
    } while (0)

/* n records for the TBS (each a little different: its own producedAt),
 * record i changed by edit, under a root signed by k at signed_at. */
static int batch(size_t n, ev_key *k, int64_t signed_at, void (*edit)(ev_spec *, size_t))
{
    const uint8_t *p[64];
    for (size_t i = 0; i < n; i++) {
        if (ev_spec_default(&s, tbs, tl, NOW, SG_EV_M_EMAIL, &va))
            return -1;
        memcpy(s.t.va_key_id, k->id, 32);
        s.t.produced_at = (signed_at < NOW ? signed_at : NOW) - 60 - (int64_t)i;
        if (edit)
            edit(&s, i);
        if (!(rec_len[i] = ev_record(&s, recs[i], sizeof recs[i])))
            return -1;
        p[i] = recs[i];
    }
    return ev_batch_make(&b, p, rec_len, n, k, signed_at);
}

static size_t of(size_t i, uint8_t *out) { return ev_batch_evidence(&b, i, recs[i], rec_len[i], out, SG_MAX_EVIDENCE * 2); }

/* RFC 9162 2.1.1, as written. */
static void mth(const uint8_t (*leaves)[32], size_t n, uint8_t out[32])
{
    uint8_t l[32], r[32], pre = 1;
    size_t k = 1;
    if (n == 1) {
        memcpy(out, leaves[0], 32);
        return;
    }
    while (k * 2 < n)
        k *= 2;
    mth(leaves, k, l);
    mth(leaves + k, n - k, r);
    mbedtls_sha256_context c;
    mbedtls_sha256_init(&c);
    mbedtls_sha256_starts(&c, 0);
    mbedtls_sha256_update(&c, &pre, 1);
    mbedtls_sha256_update(&c, l, 32);
    mbedtls_sha256_update(&c, r, 32);
    mbedtls_sha256_finish(&c, out);
    mbedtls_sha256_free(&c);
}

static void trees(void)
{
    static uint8_t leaves[1000][32];
    uint8_t want[32];
    int roots = 1, proofs = 1;
    for (size_t n = 1; n <= 70; n++) {
        batch(n < 64 ? n : 64, &va, NOW - 60, NULL);
        if (n > 64) { /* beyond the stored records: leaves of any data */
            for (size_t i = 0; i < n; i++)
                sg_evidence_leaf_hash((const uint8_t *)&i, sizeof i, b.tree[i]);
            b.n = n;
            sg_evidence_tree(b.tree, n, b.root);
        }
        memcpy(leaves, b.tree, n * 32);
        mth((const uint8_t(*)[32])leaves, n, want);
        roots &= !memcmp(want, b.root, 32);
        for (size_t i = 0; n <= 64 && i < n; i++)
            proofs &= !strcmp(codes(ev, of(i, ev), NOW), "accept");
    }
    CHECK(roots, "the VA side's tree root is RFC 9162 MTH for every size 1..70");
    CHECK(proofs, "every record of batches of 1..64 is accepted with its own inclusion proof");
    for (size_t i = 0; i < 1000; i++)
        sg_evidence_leaf_hash((const uint8_t *)&i, sizeof i, leaves[i]);
    memcpy(b.tree, leaves, sizeof leaves);
    sg_evidence_tree(b.tree, 1000, b.root);
    mth((const uint8_t(*)[32])leaves, 1000, want);
    CHECK(!memcmp(want, b.root, 32), "and for 1000 leaves");
}

static void other_va(ev_spec *x, size_t i) { if (i == 3) memcpy(x->t.va_key_id, va2.id, 32); }
static void late(ev_spec *x, size_t i) { if (i == 2) x->t.produced_at = NOW - 60 + 1; }
static void at_root(ev_spec *x, size_t i) { if (i == 2) x->t.produced_at = NOW - 60; }
static void stale_mailbox(ev_spec *x, size_t i)
{
    if (i == 1)
        x->mb[0].rv_created = x->mb[0].rv_used = x->mb[0].validated_at = NOW - 31 * 86400;
}
static void bump_version(ev_spec *x, size_t i) { if (i == 0) x->t.version = 2; }

/* Rewrites the BatchedEvidence of record i with its own parts changed. */
static size_t rebuild(size_t i, uint32_t version, uint32_t index, size_t drop, size_t extra, uint8_t *out)
{
    uint8_t path[SG_EV_BATCH_MAX_PATH + 2][32];
    size_t pl, n = 0;
    sg_evidence_path((const uint8_t(*)[32])b.tree, b.n, i, path, SG_EV_BATCH_MAX_PATH, &pl);
    pl -= drop;
    for (size_t k = 0; k < extra; k++)
        memcpy(path[pl++], b.root, 32);
    return sg_evidence_encode_batched(version, recs[i], rec_len[i], index, (const uint8_t(*)[32])path, pl,
                                      b.signed_root, b.signed_root_len, out, SG_MAX_EVIDENCE * 2, &n)
               ? 0 : n;
}

static void refusals(void)
{
    size_t n;
    CHECK(batch(16, &va, NOW - 60, NULL) == 0, "a batch of 16 records under one root signed by the trusted VA");
    n = of(5, ev);
    EXPECT(ev, n, NOW, "accept", "record 5 of 16 with its proof: accepted (%zu bytes)", n);

    /* The VA. */
    batch(16, &stranger, NOW - 60, NULL);
    EXPECT(ev, of(0, ev), NOW, "sbr.3.2.2.evidence.batch-va-untrusted",
           "root signed by a VA the policy does not trust: batch-va-untrusted (SBR 3.2.2)");
    batch(16, &va, NOW - 60, other_va);
    EXPECT(ev, of(3, ev), NOW, "sbr.3.2.2.evidence.batch-va-untrusted",
           "record naming another (trusted) VA than the root's: batch-va-untrusted");
    EXPECT(ev, of(4, ev), NOW, "accept", "its neighbour naming the root's VA: accepted");

    /* The signature. */
    {
        const uint8_t *p[16];
        for (size_t i = 0; i < 16; i++)
            p[i] = recs[i];
        batch(16, &va, NOW - 60, NULL);
        ev_batch_make_as(&b, p, rec_len, 16, &stranger, va.id, NOW - 60);
        EXPECT(ev, of(0, ev), NOW, "sbr.3.2.2.evidence.batch-signature",
               "root naming the trusted VA but signed by another key: batch-signature (SBR 3.2.2)");
        batch(16, &va, NOW - 60, NULL);
        n = of(7, ev);
        ev[n - 3] ^= 0x40; /* inside the root's signature, the last field */
        EXPECT(ev, n, NOW, "sbr.3.2.2.evidence.batch-signature", "a byte of the root's signature flipped: batch-signature");
    }

    /* The proof (RFC 9162 2.1.3.2). */
    batch(16, &va, NOW - 60, NULL);
    n = rebuild(5, 0, 6, 0, 0, ev);
    EXPECT(ev, n, NOW, "sbr.3.2.2.evidence.batch-proof", "record 5 claiming leaf index 6: batch-proof");
    n = rebuild(5, 0, 16, 0, 0, ev);
    EXPECT(ev, n, NOW, "sbr.3.2.2.evidence.batch-proof", "leaf index = tree size: batch-proof");
    n = rebuild(5, 0, 5, 1, 0, ev);
    EXPECT(ev, n, NOW, "sbr.3.2.2.evidence.batch-proof", "the path without its last hash: batch-proof");
    n = rebuild(5, 0, 5, 0, 1, ev);
    EXPECT(ev, n, NOW, "sbr.3.2.2.evidence.batch-proof", "the path with one hash too many: batch-proof");
    n = rebuild(5, 0, 5, 4, 0, ev);
    EXPECT(ev, n, NOW, "sbr.3.2.2.evidence.batch-proof", "no path at all (a tree of 16): batch-proof");
    /* Every byte of the path's hashes flipped in turn. */
    {
        pol_evb pb;
        pol_ev pr;
        size_t hits = 0, tried = 0;
        n = of(9, ev);
        int parsed = pol_evb_parse(ev, n, &pb, &pr) == POL_EV_OK && pb.path_len == 4;
        size_t off = parsed ? (size_t)(pb.path.p - ev) : 0;
        for (size_t h = 0; parsed && h < 4; h++)
            for (size_t k = 0; k < 32; k++) {
                memcpy(ev2, ev, n);
                ev2[off + h * 34 + 2 + k] ^= 0x01;
                tried++;
                hits += !strcmp(codes(ev2, n, NOW), "sbr.3.2.2.evidence.batch-proof");
            }
        CHECK(tried == 128 && hits == tried, "each of the 128 bytes of the path flipped: batch-proof (%zu of %zu)",
              hits, tried);
    }
    n = of(2, ev);
    {
        /* A record changed after the VA signed (still well-formed): the
         * subject key hash's first octet. */
        size_t k = 0;
        while (k + 34 < n && !(ev[k] == 0x04 && ev[k + 1] == 0x20 && !memcmp(ev + k + 2, s.t.key_hash, 32)))
            k++;
        ev[k + 2] ^= 0x01;
        EXPECT(ev, n, NOW, "sbr.3.2.2.evidence.batch-proof",
               "a record altered after the root was signed (its subject key hash): batch-proof, not other-key");
    }

    /* Times: the root's signedAt against the token's clock and its record. */
    batch(16, &va, NOW - AGE, NULL);
    EXPECT(ev, of(1, ev), NOW, "accept", "root signed exactly 24 h before the token's clock: accepted");
    batch(16, &va, NOW - AGE - 1, NULL);
    EXPECT(ev, of(1, ev), NOW, "sbrguard.evidence.batch-stale", "root signed 24 h + 1 s before: batch-stale");
    batch(16, &va, NOW - 60, late);
    EXPECT(ev, of(2, ev), NOW, "sbrguard.evidence.batch-stale",
           "a record produced 1 s after the root that covers it was signed: batch-stale");
    batch(16, &va, NOW - 60, at_root);
    EXPECT(ev, of(2, ev), NOW, "accept", "a record produced the second the root was signed: accepted");
    trust.skew = 3600;
    batch(16, &va, NOW + 3600, NULL);
    EXPECT(ev, of(0, ev), NOW, "accept", "root signed 1 h ahead of the token's clock, skew 1 h: accepted");
    batch(16, &va, NOW + 3601, NULL);
    EXPECT(ev, of(0, ev), NOW, "sbr.4.2.1.evidence.future", "root signed 1 h + 1 s ahead: future");
    trust.skew = 0;

    /* The record is judged once its batch is authentic. */
    batch(16, &va, NOW - 60, stale_mailbox);
    EXPECT(ev, of(1, ev), NOW, "sbr.4.2.1.evidence.mailbox-stale",
           "an authentic record whose 3.2.2.2 validation is 31 days old: mailbox-stale (SBR 4.2.1)");

    /* Versions. */
    batch(16, &va, NOW - 60, NULL);
    EXPECT(ev, rebuild(0, 3, 0, 0, 0, ev), NOW, "sbrguard.evidence.version", "BatchedEvidence version 3: version");
    EXPECT(ev, rebuild(0, 1, 0, 0, 0, ev), NOW, "sbrguard.evidence.malformed",
           "BatchedEvidence version 1 (the single form's number, another shape): malformed");
    batch(16, &va, NOW - 60, bump_version);
    EXPECT(ev, of(0, ev), NOW, "sbrguard.evidence.version", "a record of TBSEvidence version 2: version");
    {
        const uint8_t *p[1] = { recs[1] };
        uint8_t root_tbs[256], sig[600];
        size_t rl, sl, al;
        const uint8_t *alg = pol_sig_alg_der(va.alg, &al);
        batch(2, &va, NOW - 60, NULL);
        ev_batch_make(&b, p, &rec_len[1], 1, &va, NOW - 60);
        sg_evidence_encode_root(2, va.id, NOW - 60, 1, b.root, root_tbs, sizeof root_tbs, &rl);
        sl = ev_sign(&va, root_tbs, rl, sig, sizeof sig);
        sg_evidence_encode(root_tbs, rl, alg, al, sig, sl, b.signed_root, sizeof b.signed_root, &b.signed_root_len);
        n = ev_batch_evidence(&b, 0, recs[1], rec_len[1], ev, sizeof ev);
        EXPECT(ev, n, NOW, "sbrguard.evidence.version", "a BatchRoot of version 2: version");
        sg_evidence_encode_root(0, va.id, NOW - 60, 0, b.root, root_tbs, sizeof root_tbs, &rl);
        sl = ev_sign(&va, root_tbs, rl, sig, sizeof sig);
        sg_evidence_encode(root_tbs, rl, alg, al, sig, sl, b.signed_root, sizeof b.signed_root, &b.signed_root_len);
        n = ev_batch_evidence(&b, 0, recs[1], rec_len[1], ev, sizeof ev);
        EXPECT(ev, n, NOW, "sbrguard.evidence.malformed", "treeSize 0 (even signed): malformed");
    }

    /* Sizes. */
    batch(16, &va, NOW - 60, NULL);
    n = rebuild(5, 0, 5, 0, SG_EV_BATCH_MAX_PATH - 4, ev);
    EXPECT(ev, n, NOW, "sbr.3.2.2.evidence.batch-proof", "a path of 16 hashes (the most): read, batch-proof");
    n = rebuild(5, 0, 5, 0, SG_EV_BATCH_MAX_PATH - 3, ev);
    EXPECT(ev, n, NOW, "sbrguard.evidence.malformed", "a path of 17 hashes: malformed");
}

/* Every prefix of a valid batched evidence is refused, none accepted, and
 * what is cut inside the DER is malformed. */
static void cuts(void)
{
    batch(40, &va, NOW - 60, NULL);
    size_t n = of(37, ev), malformed = 0, other = 0;
    EXPECT(ev, n, NOW, "accept", "record 37 of 40: accepted");
    for (size_t k = 0; k < n; k++) {
        const char *c = codes(ev, k, NOW);
        if (!strcmp(c, k ? "sbrguard.evidence.malformed" : "sbr.3.2.evidence.absent"))
            malformed++;
        else
            other++;
    }
    CHECK(malformed == n && other == 0, "the evidence cut at each of its %zu bytes: refused as malformed every time", n);
    memcpy(ev2, ev, n);
    ev2[n] = 0;
    EXPECT(ev2, n + 1, NOW, "sbrguard.evidence.malformed", "one byte after it: malformed");
}

/* The caller's cache: a root it has seen is not verified again. */
static uint8_t cached[32];
static int cache_lookups;
static int seen(void *ctx, const uint8_t id[32])
{
    (void)ctx;
    cache_lookups++;
    return !memcmp(id, cached, 32);
}
static int seen_all(void *ctx, const uint8_t id[32])
{
    (void)ctx;
    (void)id;
    return 1;
}

static void cache(void)
{
    pol_ev_roots roots = { seen, NULL }, liar = { seen_all, NULL };
    pol_ev_info info;
    pol_decision d;
    uint8_t id[32];
    batch(16, &va, NOW - 60, NULL);
    mbedtls_sha256(b.signed_root, b.signed_root_len, id, 0);
    memset(cached, 0, 32);
    d = ev_judge_ex(tbs, tl, ev, of(0, ev), &trust, NOW, &roots, &info);
    CHECK(d.verdict == POL_ACCEPT && info.batched && info.root_verified && !memcmp(info.root_id, id, 32),
          "an unknown root is verified; info names it (SHA-256 of the SignedBatchRoot DER) for the cache");
    memcpy(cached, id, 32);
    d = ev_judge_ex(tbs, tl, ev, of(1, ev), &trust, NOW, &roots, &info);
    CHECK(d.verdict == POL_ACCEPT && info.batched && !info.root_verified, "a root the cache knows: accepted, not verified again");
    size_t n = of(2, ev);
    ev[n - 3] ^= 0x40;
    d = ev_judge_ex(tbs, tl, ev, n, &trust, NOW, &roots, &info);
    CHECK(!strcmp(ev_codes(&d), "sbr.3.2.2.evidence.batch-signature") && !info.root_verified,
          "the cached root with one signature byte changed is another root: verified, refused");
    d = ev_judge_ex(tbs, tl, ev, n, &trust, NOW, &liar, &info);
    CHECK(d.verdict == POL_ACCEPT, "(a cache that claims every root: trusted as told, which is why the token's keys "
                                   "its entries by the whole signed root's hash)");
    cache_lookups = 0;
    batch(16, &va, NOW - AGE - 1, NULL);
    d = ev_judge_ex(tbs, tl, ev, of(0, ev), &trust, NOW, &roots, &info);
    batch(16, &va, NOW - 60, NULL);
    n = rebuild(5, 0, 6, 0, 0, ev);
    pol_decision d2 = ev_judge_ex(tbs, tl, ev, n, &trust, NOW, &roots, &info);
    CHECK(d.verdict == POL_REFUSE && d2.verdict == POL_REFUSE && cache_lookups == 0 && !info.root_verified,
          "a stale root and a failing proof are refused before the cache or the signature is consulted");
}

static void forms(void)
{
    uint8_t h[32], r[32], want[32];
    ev_spec_default(&s, tbs, tl, NOW, SG_EV_M_EMAIL, &va);
    size_t n = ev_make(&s, &va, ev, sizeof ev);
    EXPECT(ev, n, NOW, "accept", "the single form stays valid next to the batched one");
    CHECK(pol_ev_log_hashes(ev, n, h, r) == 0 && (mbedtls_sha256(ev, n, want, 0), !memcmp(h, want, 32)) &&
              !memcmp(r, (uint8_t[32]){ 0 }, 32),
          "single form: the log keeps the Evidence's SHA-256, no batch root");
    batch(16, &va, NOW - 60, NULL);
    n = of(11, ev);
    CHECK(pol_ev_log_hashes(ev, n, h, r) == 1 && (mbedtls_sha256(recs[11], rec_len[11], want, 0), !memcmp(h, want, 32)) &&
              !memcmp(r, b.root, 32),
          "batched: the log keeps the record's SHA-256 and the batch's root hash");
    CHECK(pol_ev_log_hashes(ev, n - 1, h, r) == 0 && (mbedtls_sha256(ev, n - 1, want, 0), !memcmp(h, want, 32)),
          "a batched evidence that does not read: the hash of its bytes");
}

/* The largest record (16 mailboxes, CAA and MPIC each), the deepest path
 * (16 hashes) and an RSA-3072 root signature fit SG_MAX_EVIDENCE. */
static void largest(void)
{
    static ev_batch big;
    static uint8_t rec[SG_MAX_EVIDENCE];
    ev_spec_default(&s, tbs, tl, NOW, SG_EV_M_DOMAIN, &va2);
    static char names[SG_EV_MAX_MAILBOXES][80];
    for (size_t i = s.t.n_mailboxes; i < SG_EV_MAX_MAILBOXES; i++) {
        s.mb[i] = s.mb[0];
        snprintf(names[i], sizeof names[i], "a-rather-long-local-part-%02zu@mail.subdomain.example.com", i);
        s.mb[i].mailbox = names[i];
    }
    s.t.n_mailboxes = SG_EV_MAX_MAILBOXES;
    size_t rl = ev_record(&s, rec, sizeof rec);
    const uint8_t *p = rec;
    /* A tree of 65536 leaves: this record at the last index, the rest any data. */
    uint8_t(*tree)[32] = malloc(SG_EV_TREE_NODES(SG_EV_BATCH_MAX_LEAVES) * 32);
    for (uint32_t i = 0; tree && i + 1 < SG_EV_BATCH_MAX_LEAVES; i++)
        sg_evidence_leaf_hash((const uint8_t *)&i, sizeof i, tree[i]);
    uint8_t root[32], root_tbs[256], sig[600], path[SG_EV_BATCH_MAX_PATH][32];
    size_t tlen, sl, al, pl, n = 0;
    const uint8_t *alg = pol_sig_alg_der(va2.alg, &al);
    int ok = tree && !sg_evidence_leaf_hash(p, rl, tree[SG_EV_BATCH_MAX_LEAVES - 1]) &&
             !sg_evidence_tree(tree, SG_EV_BATCH_MAX_LEAVES, root) &&
             !sg_evidence_path((const uint8_t(*)[32])tree, SG_EV_BATCH_MAX_LEAVES, SG_EV_BATCH_MAX_LEAVES - 1, path,
                               SG_EV_BATCH_MAX_PATH, &pl) &&
             !sg_evidence_encode_root(0, va2.id, NOW - 60, SG_EV_BATCH_MAX_LEAVES, root, root_tbs, sizeof root_tbs,
                                      &tlen) &&
             (sl = ev_sign(&va2, root_tbs, tlen, sig, sizeof sig)) &&
             !sg_evidence_encode(root_tbs, tlen, alg, al, sig, sl, big.signed_root, sizeof big.signed_root,
                                 &big.signed_root_len) &&
             !sg_evidence_encode_batched(0, rec, rl, SG_EV_BATCH_MAX_LEAVES - 1, (const uint8_t(*)[32])path, pl,
                                         big.signed_root, big.signed_root_len, ev, sizeof ev, &n);
    free(tree);
    CHECK(ok && pl == SG_EV_BATCH_MAX_PATH && n <= SG_MAX_EVIDENCE,
          "16 mailbox records with CAA and MPIC, a 16-hash path, an RSA-3072 root signature: %zu bytes <= "
          "SG_MAX_EVIDENCE (%u)", n, SG_MAX_EVIDENCE);
    pol_decision d = ev_judge(tbs, tl, ev, n, &trust, NOW);
    CHECK(d.verdict == POL_ACCEPT && d.n == 0, "and it is accepted: leaf 65535 of 65536 proven under its root (%s)",
          ev_codes(&d));
}

int main(void)
{
    CHECK(ev_key_load(&va, V "keys/ca-p256.pem", POL_SIG_ECDSA_SHA256) == 0 &&
              ev_key_load(&va2, V "keys/sub-rsa3072.pem", POL_SIG_RSA_SHA256) == 0 &&
              ev_key_load(&stranger, V "keys/sub-p256.pem", POL_SIG_ECDSA_SHA256) == 0 &&
              ev_tbs_of(V "valid-mailbox-strict-ec.der", tbs, sizeof tbs, &tl) == 0,
          "VA keys and a mailbox-strict TBS of the corpus (run from the repository root)");
    memcpy(trust_keys, va.spki, va.spki_len);
    memcpy(trust_keys + va.spki_len, va2.spki, va2.spki_len);
    trust.va_keys.p = trust_keys;
    trust.va_keys.len = va.spki_len + va2.spki_len;
    memcpy(trust_caa, "\x16\x0a" "ca.example", 12);
    trust.caa_domains.p = trust_caa;
    trust.caa_domains.len = 12;
    trust.mpic_from = SG_EV_MPIC_FROM;
    trees();
    refusals();
    cuts();
    cache();
    forms();
    largest();
    char never[256] = "";
    for (int r = EV_BATCH_VA_UNTRUSTED; r < EV_RULE_COUNT; r++)
        if (!(ev_fired & (1ull << r)))
            snprintf(never + strlen(never), sizeof never - strlen(never), " %s", pol_rules_evidence[r].code);
    CHECK(!never[0], "every batch row was the expected refusal of some case%s", never);
    return CHECK_DONE();
}
