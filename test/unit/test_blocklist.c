/* SPDX-License-Identifier: Apache-2.0 */
/* The SBR 6.1.1.3 compromised-key blocklist (docs/blocklist.md): the parser
 * (signature, tamper, order, truncation at every byte), the token's
 * BLOCKLIST_LOAD in pieces (rollback, 100,000 entries, lookup), and a power
 * cut at every flash write of a load. */
#include <stdlib.h>
#include "../../policy/pol_blocklist.h"
#include "bundle_fixture.h"
#include "check.h"
#include "fw.h"
#include "sbrguard/blocklist.h"

#define SO "so-pin-1234"
static uint8_t file[POL_BL_HDR_LEN + 100000 * 32 + 2 + 80];

/* Entry i: SHA-256 of its index, then sorted (qsort by bytes). */
static int cmp32(const void *a, const void *b) { return memcmp(a, b, 32); }

/* A signed file of n entries (sorted, distinct) with sequence seq. */
static size_t build(uint32_t seq, uint32_t n, uint32_t salt)
{
    uint8_t *p = file, h[32];
    memcpy(p, "SGBL", 4);
    p[4] = POL_BL_FORMAT, p[5] = POL_SIG_ECDSA_SHA256, p[6] = p[7] = 0;
    sg_be_put(p + 8, seq, 4);
    sg_be_put(p + 12, n, 4);
    for (uint32_t i = 0; i < n; i++) {
        uint8_t in[8];
        sg_be_put(in, i, 4);
        sg_be_put(in + 4, salt, 4);
        mbedtls_sha256(in, 8, p + 16 + 32 * (size_t)i, 0);
    }
    qsort(p + 16, n, 32, cmp32);
    size_t m = 16 + 32 * (size_t)n, sl = 0;
    mbedtls_pk_context pk;
    mbedtls_pk_init(&pk);
    mbedtls_sha256(p, m, h, 0);
    if (bf_policy_key() || mbedtls_pk_parse_key(&pk, bf_priv, bf_priv_len, NULL, 0, bf_rng, NULL) ||
        mbedtls_pk_sign(&pk, MBEDTLS_MD_SHA256, h, 32, p + m + 2, 80, &sl, bf_rng, NULL))
        sl = 0;
    mbedtls_pk_free(&pk);
    sg_be_put(p + m, sl, 2);
    return m + 2 + sl;
}

static int parse(const uint8_t *p, size_t len, size_t step)
{
    pol_bl_stream s;
    int rc = 0;
    pol_bl_stream_init(&s, POL_BL_MAX_ENTRIES);
    for (size_t o = 0; o < len && !rc; o += step)
        rc = pol_bl_stream_feed(&s, p + o, len - o < step ? len - o : step, POL_BL_MAX_ENTRIES, NULL, NULL);
    int f = pol_bl_stream_finish(&s, bf_pub, bf_pub_len);
    return rc ? rc : f;
}

static th_resp load(const uint8_t *p, size_t len)
{
    th_resp r = { 0 };
    for (size_t o = 0; o < len; o += SG_BL_PIECE) {
        th_begin();
        th_put_u(SG_T_BL_OFFSET, o, 4);
        th_put(SG_T_DATA, p + o, len - o < SG_BL_PIECE ? len - o : SG_BL_PIECE);
        r = th_send(BF_SO_CHAN, SG_CMD_BLOCKLIST_LOAD);
        if (r.status)
            break;
    }
    return r;
}

static int listed(const uint8_t h[32])
{
    const pol_blocklist *bl = fw_blocklist();
    return bl ? pol_blocklist_find(bl, h) : -2;
}

static void parser_tests(void)
{
    size_t n = build(1, 5, 0);
    CHECK(parse(file, n, n) == 0 && parse(file, n, 1) == 0 && parse(file, n, 7) == 0,
          "a signed list of 5 parses whole, byte by byte and in 7-byte pieces");
    int trunc_ok = 1;
    for (size_t k = 0; k < n; k++)
        trunc_ok &= parse(file, k, 3) == POL_BL_E_MALFORMED;
    CHECK(trunc_ok, "truncated at every byte (0..%zu): malformed", n - 1);
    uint8_t extra[512];
    memcpy(extra, file, n);
    extra[n] = 0;
    CHECK(parse(extra, n + 1, 1) == POL_BL_E_MALFORMED, "a trailing byte: malformed");
    file[16 + 40] ^= 1;
    CHECK(parse(file, n, n) == POL_BL_E_SIGNATURE || parse(file, n, n) == POL_BL_E_ORDER, "a flipped entry bit: refused");
    n = build(1, 5, 0);
    memcpy(file + 16 + 32, file + 16, 32);
    CHECK(parse(file, n, n) == POL_BL_E_ORDER, "a repeated entry: order error");
    n = build(1, 5, 0);
    uint8_t t[32];
    memcpy(t, file + 16, 32), memcpy(file + 16, file + 48, 32), memcpy(file + 48, t, 32);
    CHECK(parse(file, n, n) == POL_BL_E_ORDER, "two entries swapped: order error");
    n = build(1, 5, 0);
    file[0] = 'X';
    CHECK(parse(file, n, n) == POL_BL_E_MALFORMED, "bad magic: malformed");
    n = build(1, 5, 0);
    file[n - 3] ^= 0x40;
    CHECK(parse(file, n, n) != 0, "a flipped signature byte: refused");
    n = build(1, 5, 0);
    pol_bl_stream s;
    pol_bl_stream_init(&s, 4);
    CHECK(pol_bl_stream_feed(&s, file, n, 4, NULL, NULL) == POL_BL_E_SIZE, "more entries than the capacity: size error");
    pol_bl_stream_free(&s);
}

static void token_tests(void)
{
    CHECK(th_boot() == 0 && bf_init_token(SO, "bl") == 0 && th_login(BF_SO_CHAN, SG_USER_SO, SO) == 0,
          "token initialized with a policy key, SO logged in");
    size_t n = build(2, 100000, 1);
    uint8_t fh[32], probe[32], in[8];
    mbedtls_sha256(file, n, fh, 0);
    th_resp r = load(file, n);
    CHECK(r.status == 0 && th_get_u(r, SG_T_BL_COUNT) == 100000 && th_get_u(r, SG_T_BL_SEQ) == 2,
          "a 100,000-entry list loads in %zu pieces", (n + SG_BL_PIECE - 1) / SG_BL_PIECE);
    CHECK(fw_blocklist_hash() && !memcmp(fw_blocklist_hash(), fh, 32), "the token names the file's SHA-256");
    sg_be_put(in, 77777, 4), sg_be_put(in + 4, 1, 4);
    mbedtls_sha256(in, 8, probe, 0);
    int hit = listed(probe);
    sg_be_put(in + 4, 2, 4);
    mbedtls_sha256(in, 8, probe, 0);
    CHECK(hit == 1 && listed(probe) == 0, "lookup: a listed hash is found, an unlisted one is not");
    CHECK(th_boot() == 0 && listed(file + 16 + 32 * 99999) == 1 && fw_blocklist()->count == 100000,
          "after a reboot the list is in force (bank checked at mount)");
    th_login(BF_SO_CHAN, SG_USER_SO, SO);
    n = build(2, 3, 9);
    CHECK(load(file, n).status == SG_ST_BLOCKLIST_ROLLBACK, "the same sequence again: rollback refused");
    n = build(3, 3, 9);
    file[20] ^= 1;
    CHECK(load(file, n).status != 0 && fw_blocklist()->count == 100000, "a tampered list is refused, the old one stays");
    th_begin();
    th_put_u(SG_T_BL_OFFSET, 64, 4);
    th_put(SG_T_DATA, file, 8);
    CHECK(th_send(BF_SO_CHAN, SG_CMD_BLOCKLIST_LOAD).status == SG_ST_BLOCKLIST_MALFORMED, "a piece out of order: malformed");
}

static uint8_t snap[SIM_FLASH_SIZE];

static void powercut_tests(void)
{
    size_t n = build(10, 600, 5); /* 3 pieces, 2 entry sectors */
    memcpy(snap, th_flash, sizeof snap);
    int old_or_new = 1, cuts = 0, saw_new = 0;
    for (unsigned long k = 1; k < 100000; k++) {
        memcpy(th_flash, snap, sizeof snap);
        th_boot();
        th_login(BF_SO_CHAN, SG_USER_SO, SO);
        sim_flash_cut_at(k);
        load(file, n);
        int was_cut = sim_flash_was_cut();
        th_boot();
        uint32_t c = fw_blocklist() ? fw_blocklist()->count : 0;
        if (c != 100000 && !(c == 600 && listed(file + 16 + 32 * 599) == 1))
            old_or_new = 0;
        saw_new |= c == 600;
        if (!was_cut)
            break;
        cuts++;
    }
    CHECK(old_or_new && cuts > 20 && saw_new, "a cut at each of %d flash writes of a load leaves the old list or the new", cuts);
}

int main(void)
{
    parser_tests();
    token_tests();
    powercut_tests();
    return check_failures != 0;
}
