/* SPDX-License-Identifier: Apache-2.0 */
/* The auditor's Merkle tree, tiles and checkpoint code (host/cli/audit_*.c)
 * against the known answers of test/vectors/merkle/gen_kat.py (an independent
 * Python implementation using only hashlib), plus negative cases: tampered
 * proofs and checkpoints. The log entries: test_audit_entry.c.
 * Usage: test_merkle [KAT-FILE]. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "../../host/cli/audit_merkle.c"
#include "../../host/cli/audit_tiles.c"
#include "../../host/cli/audit_note.c"
#include "../../host/cli/audit_entry.c"
#include "../../host/cli/util.c"
#include "sbrguard/log.h"
#include "mbedtls/ecp.h"
#include "mbedtls/hmac_drbg.h"
#include "mbedtls/md.h"

#define NLEAVES 1100
static uint8_t *leaf_data[NLEAVES];
static size_t leaf_len[NLEAVES];
static uint8_t leaves[NLEAVES * AU_HASH_LEN];

/* The generator's leaves: RFC 6962's test inputs, then truncated hashes. */
static void make_leaves(void)
{
    static const char *rfc[] = {
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"
    };
    for (size_t i = 0; i < NLEAVES; i++) {
        leaf_data[i] = malloc(48);
        if (i < 8) {
            leaf_len[i] = strlen(rfc[i]) / 2;
            for (size_t j = 0; j < leaf_len[i]; j++) {
                unsigned v;
                sscanf(rfc[i] + 2 * j, "%2x", &v);
                leaf_data[i][j] = (uint8_t)v;
            }
        } else {
            char s[64];
            uint8_t h[32];
            int n = snprintf(s, sizeof s, "sbrguard kat leaf %zu", i);
            mbedtls_sha256((const uint8_t *)s, (size_t)n, h, 0);
            leaf_len[i] = i % 41 < 32 ? i % 41 : 32;
            memcpy(leaf_data[i], h, leaf_len[i]);
        }
        au_leaf_hash(leaf_data[i], leaf_len[i], leaves + i * AU_HASH_LEN);
    }
}

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
    size_t n = 0;
    if (!strcmp(s, "-"))
        return 0;
    while (s[0] && s[1] && s[0] != ',' && n < cap) {
        unsigned v;
        if (sscanf(s, "%2x", &v) != 1)
            break;
        out[n++] = (uint8_t)v;
        s += 2;
    }
    return n;
}

/* "h1,h2,..." or "-" into hashes; returns the count. */
static size_t unhex_list(const char *s, uint8_t *out, size_t cap)
{
    size_t n = 0;
    if (!strcmp(s, "-"))
        return 0;
    for (;;) {
        if (n == cap || unhex(s, out + n * AU_HASH_LEN, AU_HASH_LEN) != AU_HASH_LEN)
            return (size_t)-1;
        n++;
        s += 64;
        if (*s != ',')
            break;
        s++;
    }
    return n;
}

static void sha_hex(const uint8_t *p, size_t len, char out[65])
{
    uint8_t h[32];
    mbedtls_sha256(p, len, h, 0);
    for (int i = 0; i < 32; i++)
        sprintf(out + 2 * i, "%02x", h[i]);
}

static void hex(const uint8_t *p, size_t len, char *out)
{
    for (size_t i = 0; i < len; i++)
        sprintf(out + 2 * i, "%02x", p[i]);
    out[2 * len] = 0;
}

/* Tampered copies of a proof must not verify. Returns the number that did.
 * (A proof checked against a larger size may verify when the path has the
 * same shape, e.g. leaf 0 of 3 and of 4: the size is bound to the root by
 * the signed checkpoint, not by the proof, so that is no negative case.) */
static int incl_negatives(uint64_t n, uint64_t m, const uint8_t *p, size_t cnt, const uint8_t *root)
{
    uint8_t q[AU_MAX_PROOF * AU_HASH_LEN + AU_HASH_LEN];
    int bad = 0;
    for (size_t i = 0; i < cnt; i++) {
        memcpy(q, p, cnt * AU_HASH_LEN);
        q[i * AU_HASH_LEN + (i * 7) % AU_HASH_LEN] ^= 0x01;
        bad += !au_inclusion_verify(m, n, leaves + m * AU_HASH_LEN, q, cnt, root);
    }
    if (cnt)
        bad += !au_inclusion_verify(m, n, leaves + m * AU_HASH_LEN, p, cnt - 1, root);
    memcpy(q, p, cnt * AU_HASH_LEN);
    memcpy(q + cnt * AU_HASH_LEN, root, AU_HASH_LEN);
    bad += !au_inclusion_verify(m, n, leaves + m * AU_HASH_LEN, q, cnt + 1, root);
    if (n > 1)
        bad += !au_inclusion_verify((m + 1) % n, n, leaves + m * AU_HASH_LEN, p, cnt, root);
    bad += !au_inclusion_verify(n, n, leaves + m * AU_HASH_LEN, p, cnt, root);
    return bad;
}

static int cons_negatives(uint64_t m, uint64_t n, const uint8_t *r1, const uint8_t *r2, const uint8_t *p, size_t cnt)
{
    uint8_t q[AU_MAX_PROOF * AU_HASH_LEN + AU_HASH_LEN], x1[32], x2[32];
    int bad = 0;
    for (size_t i = 0; i < cnt; i++) {
        memcpy(q, p, cnt * AU_HASH_LEN);
        q[i * AU_HASH_LEN + (i * 5) % AU_HASH_LEN] ^= 0x80;
        bad += !au_consistency_verify(m, n, r1, r2, q, cnt);
    }
    if (cnt)
        bad += !au_consistency_verify(m, n, r1, r2, p, cnt - 1);
    memcpy(q, p, cnt * AU_HASH_LEN);
    memcpy(q + cnt * AU_HASH_LEN, r1, AU_HASH_LEN);
    bad += !au_consistency_verify(m, n, r1, r2, q, cnt + 1);
    memcpy(x1, r1, 32);
    x1[0] ^= 1;
    memcpy(x2, r2, 32);
    x2[31] ^= 1;
    bad += !au_consistency_verify(m, n, x1, r2, p, cnt);
    bad += !au_consistency_verify(m, n, r1, x2, p, cnt);
    if (m != n) {
        bad += !au_consistency_verify(m + 1, n, r1, r2, p, cnt) && m + 1 != n;
        bad += !au_consistency_verify(n, m, r2, r1, p, cnt);
    }
    return bad;
}

static void kat(const char *path)
{
    FILE *f = fopen(path, "r");
    CHECK(f != NULL, "known-answer file %s opens", path);
    if (!f)
        return;
    char *line = NULL;
    size_t cap = 0;
    int n_leaf = 0, bad_leaf = 0, n_root = 0, bad_root = 0, n_incl = 0, bad_incl_gen = 0, bad_incl_ver = 0;
    int neg_incl = 0, n_cons = 0, bad_cons_gen = 0, bad_cons_ver = 0, neg_cons = 0, n_tile = 0, bad_tile = 0;
    int n_bundle = 0, bad_bundle = 0;
    static uint8_t proof[AU_MAX_PROOF * AU_HASH_LEN], want[AU_MAX_PROOF * AU_HASH_LEN];
    static uint8_t tilebuf[AU_TILE_WIDTH * AU_HASH_LEN], bundle[AU_TILE_WIDTH * 64];
    static au_tile tl[400];
    while (getline(&line, &cap, f) > 0) {
        line[strcspn(line, "\n")] = 0;
        char a[80], b[80], c[80], d[32768], e[128], g[128];
        unsigned long long x, y, w;
        uint8_t h[32], r1[32], r2[32];
        if (line[0] == '#' || !line[0])
            continue;
        if (sscanf(line, "leaf %llu %127s", &x, e) == 2) {
            uint8_t v[64];
            size_t vl = unhex(e, v, sizeof v);
            n_leaf++;
            bad_leaf += x >= NLEAVES || vl != leaf_len[x] || memcmp(v, leaf_data[x], vl);
        } else if (sscanf(line, "leafhash %llu %64s", &x, a) == 2) {
            n_leaf++;
            bad_leaf += x >= NLEAVES || unhex(a, h, 32) != 32 || memcmp(h, leaves + x * AU_HASH_LEN, 32);
        } else if (sscanf(line, "root %llu %64s", &x, a) == 2) {
            uint8_t got[32];
            n_root++;
            au_mth(leaves, x, got);
            if (unhex(a, h, 32) != 32 || memcmp(h, got, 32)) {
                bad_root++;
                fprintf(stderr, "root %llu differs\n", x);
            }
        } else if (sscanf(line, "incl %llu %llu %32767s", &x, &y, d) == 3) {
            size_t cnt = 0, wc = unhex_list(d, want, AU_MAX_PROOF);
            n_incl++;
            au_mth(leaves, x, r1);
            if (au_inclusion_proof(leaves, x, y, proof, AU_MAX_PROOF, &cnt) || cnt != wc ||
                memcmp(proof, want, cnt * AU_HASH_LEN)) {
                bad_incl_gen++;
                fprintf(stderr, "inclusion proof %llu in %llu differs\n", y, x);
            }
            if (wc == (size_t)-1 || au_inclusion_verify(y, x, leaves + y * AU_HASH_LEN, want, wc, r1)) {
                bad_incl_ver++;
                fprintf(stderr, "inclusion proof %llu in %llu does not verify\n", y, x);
            } else {
                int nb = incl_negatives(x, y, want, wc, r1);
                if (nb)
                    fprintf(stderr, "inclusion %llu in %llu: %d tampered proofs verify\n", y, x, nb);
                neg_incl += nb;
            }
        } else if (sscanf(line, "cons %llu %llu %32767s", &x, &y, d) == 3) {
            size_t cnt = 0, wc = unhex_list(d, want, AU_MAX_PROOF);
            n_cons++;
            au_mth(leaves, x, r1);
            au_mth(leaves, y, r2);
            if (au_consistency_proof(leaves, y, x, proof, AU_MAX_PROOF, &cnt) || cnt != wc ||
                memcmp(proof, want, cnt * AU_HASH_LEN)) {
                bad_cons_gen++;
                fprintf(stderr, "consistency proof %llu -> %llu differs\n", x, y);
            }
            if (wc == (size_t)-1 || au_consistency_verify(x, y, r1, r2, want, wc)) {
                bad_cons_ver++;
                fprintf(stderr, "consistency proof %llu -> %llu does not verify\n", x, y);
            } else {
                int nb = cons_negatives(x, y, r1, r2, want, wc);
                if (nb)
                    fprintf(stderr, "consistency %llu -> %llu: %d tampered proofs verify\n", x, y, nb);
                neg_cons += nb;
            }
        } else if (sscanf(line, "path %llu %llu %llu %127s", &x, &y, &w, e) == 4) {
            au_tile t = { (int)x, y, w ? (unsigned)w : AU_TILE_WIDTH };
            char got[128];
            CHECK(!au_tile_path(&t, got, sizeof got) && !strcmp(got, e),
                  "tile path of level %llu index %llu width %llu: %s", x, y, w, e);
        } else if (sscanf(line, "tiles %llu %32767s", &x, d) == 2 || sscanf(line, "entries %llu %32767s", &x, d) == 2) {
            int entries = line[0] == 'e';
            size_t nt = au_tiles_of(x, tl, sizeof tl / sizeof *tl), k = 0;
            char got[sizeof d] = "", p[128];
            for (size_t i = 0; i < nt && i < sizeof tl / sizeof *tl; i++) {
                au_tile t = tl[i];
                if (entries && t.level != 0)
                    continue;
                if (entries)
                    t.level = AU_LEVEL_ENTRIES;
                au_tile_path(&t, p, sizeof p);
                k += (size_t)snprintf(got + k, sizeof got - k, "%s%s:%u", k ? "," : "", p, t.width);
            }
            CHECK(!strcmp(got, d), "%s of a tree of size %llu (%zu tiles)", entries ? "entry bundles" : "hash tiles", x,
                  nt);
        } else if (sscanf(line, "tile %llu %63s %llu %64s %64s %64s", &x, a, &w, b, c, g) == 6) {
            size_t nt = au_tiles_of(x, tl, sizeof tl / sizeof *tl);
            int found = 0;
            n_tile++;
            for (size_t i = 0; i < nt; i++) {
                char p[128], sh[65];
                au_tile_path(&tl[i], p, sizeof p);
                if (strcmp(p, a))
                    continue;
                found = 1;
                au_tile_hashes(leaves, x, &tl[i], tilebuf);
                sha_hex(tilebuf, (size_t)w * AU_HASH_LEN, sh);
                char h0[65], hl[65];
                hex(tilebuf, 32, h0);
                hex(tilebuf + (w - 1) * AU_HASH_LEN, 32, hl);
                if (tl[i].width != w || strcmp(sh, b) || strcmp(h0, c) || strcmp(hl, g)) {
                    bad_tile++;
                    fprintf(stderr, "tree %llu: tile %s differs\n", x, a);
                }
            }
            bad_tile += !found;
        } else if (sscanf(line, "bundle %llu %63s %llu %64s", &x, a, &y, b) == 4) {
            /* tile/entries/NNN[.p/W]: entries from index NNN * 256 */
            unsigned long long idx = strtoull(a + strlen("tile/entries/"), NULL, 10);
            size_t k = 0;
            char sh[65];
            for (unsigned long long i = idx * 256; i < idx * 256 + y; i++) {
                bundle[k++] = (uint8_t)(leaf_len[i] >> 8);
                bundle[k++] = (uint8_t)leaf_len[i];
                memcpy(bundle + k, leaf_data[i], leaf_len[i]);
                k += leaf_len[i];
            }
            sha_hex(bundle, k, sh);
            au_slice sl[AU_TILE_WIDTH];
            size_t cnt = 0;
            int prc = au_bundle_parse(bundle, k, sl, AU_TILE_WIDTH, &cnt);
            n_bundle++;
            if (strcmp(sh, b) || prc || cnt != y || sl[cnt - 1].len != leaf_len[idx * 256 + y - 1]) {
                bad_bundle++;
                fprintf(stderr, "bundle %s of tree %llu differs\n", a, x);
            }
        } else if (sscanf(line, "keyid %127s %255s %8s %8s", e, d, a, b) == 4) {
            uint8_t spki[128];
            size_t sl = unhex(d, spki, sizeof spki);
            char s1[9], s2[9];
            snprintf(s1, sizeof s1, "%08x", (unsigned)au_keyid_spki(spki, sl));
            snprintf(s2, sizeof s2, "%08x", (unsigned)au_keyid_named(e, spki, sl));
            CHECK(!strcmp(s1, a) && !strcmp(s2, b), "signed-note key IDs for %s: SHA-256(SPKI) %s, named %s", e, a, b);
        } else {
            CHECK(0, "unknown known-answer line: %.40s", line);
        }
    }
    free(line);
    fclose(f);
    CHECK(n_leaf >= 80 && !bad_leaf, "leaf inputs and leaf hashes SHA-256(0x00 || d) (%d values)", n_leaf);
    CHECK(n_root >= 48 && !bad_root, "tree heads MTH(D[n]) for n = 0..40 and 7 larger trees (%d roots)", n_root);
    CHECK(n_incl > 300 && !bad_incl_gen, "inclusion proofs PATH(m, D[n]) equal the known answers (%d proofs)", n_incl);
    CHECK(n_incl > 300 && !bad_incl_ver, "known inclusion proofs verify (RFC 9162 2.1.3.2)");
    CHECK(!neg_incl, "tampered inclusion proofs fail: each hash flipped, truncated, extended, wrong index");
    CHECK(n_cons > 300 && !bad_cons_gen, "consistency proofs PROOF(m, D[n]) equal the known answers (%d proofs)",
          n_cons);
    CHECK(n_cons > 300 && !bad_cons_ver, "known consistency proofs verify (RFC 9162 2.1.4.2)");
    CHECK(!neg_cons, "tampered consistency proofs fail: hash flipped, truncated, extended, wrong roots, swapped sizes");
    CHECK(n_tile >= 10 && !bad_tile,
          "tile contents (hashes MTH(D[(n*256+i)*256**l : ...])) for trees of 1, 5, 256, "
          "257, 600 entries (%d tiles)",
          n_tile);
    CHECK(n_bundle >= 5 && !bad_bundle, "entry bundles (uint16 length-prefixed) build and parse (%d bundles)",
          n_bundle);
}

/* Every proof this code makes for small trees verifies (self-consistency
 * beyond the sampled known answers). */
static void exhaustive(void)
{
    uint8_t p[AU_MAX_PROOF * AU_HASH_LEN], r1[32], r2[32];
    int bad = 0, total = 0;
    for (uint64_t n = 1; n <= 70; n++) {
        au_mth(leaves, n, r2);
        for (uint64_t m = 0; m < n; m++) {
            size_t cnt;
            total++;
            bad += au_inclusion_proof(leaves, n, m, p, AU_MAX_PROOF, &cnt) ||
                   au_inclusion_verify(m, n, leaves + m * AU_HASH_LEN, p, cnt, r2);
            au_mth(leaves, m + 1, r1);
            total++;
            bad += au_consistency_proof(leaves, n, m + 1, p, AU_MAX_PROOF, &cnt) ||
                   au_consistency_verify(m + 1, n, r1, r2, p, cnt);
        }
    }
    CHECK(!bad, "all %d inclusion and consistency proofs of trees up to 70 leaves verify", total);
    au_mth(leaves, 0, r1);
    CHECK(!au_consistency_verify(0, 5, r1, r2, NULL, 0), "the empty tree is consistent with any tree");
    CHECK(au_inclusion_proof(leaves, 5, 5, p, AU_MAX_PROOF, (size_t[]){ 0 }) == AU_E_ARGS &&
              au_consistency_proof(leaves, 5, 6, p, AU_MAX_PROOF, (size_t[]){ 0 }) == AU_E_ARGS,
          "proofs for an index or size beyond the tree are refused");
}

/* Checkpoints signed with a throwaway P-256 key. */
static int rng(void *ctx, unsigned char *out, size_t len)
{
    return mbedtls_hmac_drbg_random(ctx, out, len);
}

static size_t sign_note(mbedtls_pk_context *pk, mbedtls_hmac_drbg_context *drbg, const char *text, const char *name,
                        uint32_t id, char *out, size_t cap)
{
    uint8_t h[32], sig[4 + MBEDTLS_PK_SIGNATURE_MAX_SIZE];
    size_t sl = 0;
    mbedtls_sha256((const uint8_t *)text, strlen(text), h, 0);
    if (mbedtls_pk_sign(pk, MBEDTLS_MD_SHA256, h, 32, sig + 4, sizeof sig - 4, &sl, rng, drbg))
        return 0;
    sig[0] = (uint8_t)(id >> 24);
    sig[1] = (uint8_t)(id >> 16);
    sig[2] = (uint8_t)(id >> 8);
    sig[3] = (uint8_t)id;
    char b64[256];
    b64_encode(sig, sl + 4, b64, sizeof b64);
    return (size_t)snprintf(out, cap, "%s\n\xe2\x80\x94 %s %s\n", text, name, b64);
}

static int cp_verify(const char *note, const au_vkey *k, au_checkpoint *c, char *err)
{
    int rc = au_checkpoint_verify((const uint8_t *)note, strlen(note), k, c, err, 256);
    if (rc)
        fprintf(stderr, "  (%s)\n", err);
    return rc;
}

static void checkpoints(void)
{
    mbedtls_pk_context pk;
    mbedtls_hmac_drbg_context drbg;
    mbedtls_pk_init(&pk);
    mbedtls_hmac_drbg_init(&drbg);
    static const uint8_t seed[] = "test_merkle throwaway log key";
    int rc = mbedtls_hmac_drbg_seed_buf(&drbg, mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), seed, sizeof seed);
    rc = rc ? rc : mbedtls_pk_setup(&pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY));
    rc = rc ? rc : mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(pk), rng, &drbg);
    uint8_t der[200];
    int dl = rc ? -1 : mbedtls_pk_write_pubkey_der(&pk, der, sizeof der);
    CHECK(dl > 0, "throwaway P-256 log key generated");
    if (dl <= 0)
        return;
    au_vkey k;
    char err[256], note[2048], note2[4096], text[512], vk[512];
    CHECK(!au_vkey_load(der + sizeof der - dl, (size_t)dl, &k, err, sizeof err) && k.spki_len == (size_t)dl,
          "verifier key loads from SPKI DER");
    /* A DER key ends in whatever byte its point ends in: 0x0a, 0x0d and 0x20
     * are no line ends there (the log key of 1 token in 85 ended in one). */
    int whole = 1, tried = 0;
    mbedtls_pk_context pk2;
    mbedtls_pk_init(&pk2);
    whole = !mbedtls_pk_setup(&pk2, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY));
    for (int n = 0; whole && n < 3 && tried < 4000; tried++) {
        uint8_t d2[200];
        int l2 = mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(pk2), rng, &drbg)
                     ? -1
                     : mbedtls_pk_write_pubkey_der(&pk2, d2, sizeof d2);
        uint8_t last = l2 > 0 ? d2[sizeof d2 - 1] : 0;
        if (last != 0x0a && last != 0x0d && last != 0x20)
            continue;
        au_vkey k3;
        whole &= !au_vkey_load(d2 + sizeof d2 - l2, (size_t)l2, &k3, err, sizeof err) && k3.spki_len == (size_t)l2;
        n++;
    }
    mbedtls_pk_free(&pk2);
    CHECK(whole && tried < 4000, "SPKI DER ending in 0x0a, 0x0d or 0x20 loads whole (%d keys made)", tried);
    const char *name = "sbrguard.test/log";
    uint8_t root[32];
    au_mth(leaves, 13, root);
    char r64[64];
    b64_encode(root, 32, r64, sizeof r64);
    snprintf(text, sizeof text, "%s\n13\n%s\n", name, r64);
    uint32_t id = au_keyid_spki(k.spki, k.spki_len), idn = au_keyid_named(name, k.spki, k.spki_len);
    au_checkpoint c;
    sign_note(&pk, &drbg, text, name, id, note, sizeof note);
    CHECK(!cp_verify(note, &k, &c, err) && c.size == 13 && !memcmp(c.root, root, 32) && !strcmp(c.origin, name) &&
              c.key_id == id,
          "checkpoint signed with key ID SHA-256(SPKI)[:4] verifies; origin, size, root parsed");
    sign_note(&pk, &drbg, text, name, idn, note2, sizeof note2);
    CHECK(
        cp_verify(note2, &k, &c, err) == AU_E_SIG && strstr(err, "generic rule"),
        "key ID SHA-256(name||0A||02||SPKI)[:4] is not type 0x02's: no signature by the key, and the message says why");
    au_vkey kid = k;
    kid.id = idn;
    kid.has_id = 1;
    CHECK(!cp_verify(note2, &kid, &c, err) && cp_verify(note, &kid, &c, err) == AU_E_SIG,
          "a key pinned to a key ID counts only signatures carrying that ID");
    int flips = 0, total = 0;
    size_t nl = strlen(note);
    for (size_t i = 0; i < nl; i++) {
        char t[2048];
        memcpy(t, note, nl + 1);
        t[i] ^= 0x01;
        total++;
        if (!au_checkpoint_verify((const uint8_t *)t, nl, &k, &c, err, sizeof err))
            flips++;
    }
    CHECK(!flips, "every single-bit flip of the signed checkpoint (%d bytes) is refused", total);
    /* Unknown signatures are ignored; other keys' lines in front. */
    snprintf(note2, sizeof note2, "%s\xe2\x80\x94 witness.example AAAAAAAA\n", note);
    CHECK(!cp_verify(note2, &k, &c, err) && c.sigs == 2 && c.sigs_known == 1,
          "an unknown witness signature is ignored");
    /* Same name, unknown ID (another key): ignored, so no signature remains. */
    char *sp = strstr(note, "\xe2\x80\x94 ");
    snprintf(note2, sizeof note2, "%.*s\xe2\x80\x94 %s AAAAAAAAAAAA\n", (int)(sp - note), note, name);
    CHECK(cp_verify(note2, &k, &c, err) == AU_E_SIG && strstr(err, "key ID 00000000"),
          "a signature line with the log's name but another key ID does not count");
    snprintf(note2, sizeof note2, "%s", note);
    note2[strlen(note2) - 1] = 0;
    CHECK(cp_verify(note2, &k, &c, err) == AU_E_FORMAT, "a note not ending in a newline is refused");
    snprintf(text, sizeof text, "%s\n013\n%s\n", name, r64);
    sign_note(&pk, &drbg, text, name, id, note2, sizeof note2);
    CHECK(cp_verify(note2, &k, &c, err) == AU_E_FORMAT, "tree size with a leading zero is refused (even if signed)");
    snprintf(text, sizeof text, "%s\n13\n%.43s\n", name, r64);
    sign_note(&pk, &drbg, text, name, id, note2, sizeof note2);
    CHECK(cp_verify(note2, &k, &c, err) == AU_E_FORMAT, "root hash without base64 padding is refused");
    snprintf(text, sizeof text, "%s\n13\n%s\next\t1\n", name, r64);
    sign_note(&pk, &drbg, text, name, id, note2, sizeof note2);
    CHECK(cp_verify(note2, &k, &c, err) == AU_E_FORMAT, "a control character (tab) in the note is refused");
    snprintf(text, sizeof text, "%s\n13\n%s\nextension\n", name, r64);
    sign_note(&pk, &drbg, text, name, id, note2, sizeof note2);
    CHECK(!cp_verify(note2, &k, &c, err) && c.ext_lines == 1, "an extension line is accepted and counted");
    snprintf(text, sizeof text, "%s\n13\n", name);
    sign_note(&pk, &drbg, text, name, id, note2, sizeof note2);
    CHECK(cp_verify(note2, &k, &c, err) == AU_E_FORMAT, "a checkpoint of two lines is refused");
    /* vkey round trip and PEM. */
    snprintf(k.name, sizeof k.name, "%s", name);
    k.id = id;
    au_vkey k2;
    CHECK(!au_vkey_format(&k, vk, sizeof vk) && !au_vkey_load((const uint8_t *)vk, strlen(vk), &k2, err, sizeof err) &&
              k2.has_id && k2.id == id && !strcmp(k2.name, name) && !cp_verify(note, &k2, &c, err),
          "vkey %.40s... round trip verifies the checkpoint", vk);
    char pem[600] = "-----BEGIN PUBLIC KEY-----\n";
    size_t off = strlen(pem);
    char b64[300];
    size_t bl = b64_encode(k.spki, k.spki_len, b64, sizeof b64);
    for (size_t i = 0; i < bl; i += 64)
        off += (size_t)snprintf(pem + off, sizeof pem - off, "%.64s\n", b64 + i);
    snprintf(pem + off, sizeof pem - off, "-----END PUBLIC KEY-----\n");
    CHECK(!au_vkey_load((const uint8_t *)pem, strlen(pem), &k2, err, sizeof err) && !k2.has_id &&
              !cp_verify(note, &k2, &c, err),
          "PEM public key loads and verifies the checkpoint");
    mbedtls_pk_free(&pk);
    mbedtls_hmac_drbg_free(&drbg);
}

int main(int argc, char **argv)
{
    make_leaves();
    kat(argc > 1 ? argv[1] : "test/vectors/merkle/kat.txt");
    exhaustive();
    checkpoints();
    for (size_t i = 0; i < NLEAVES; i++)
        free(leaf_data[i]);
    return CHECK_DONE();
}
