/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers of the enforcement-log tests: a CA key bound on the in-process
 * token, TBSCertificates built from parts at a fixed token clock, reading
 * the log, and an RFC 9162 Merkle implementation of the tests' own (it
 * shares no code with firmware/fw_merkle.c) to check what the token says. */
#ifndef LOGTEST_H
#define LOGTEST_H
#include <time.h>
#include "harness.h"
#include "derbuild.h"
#include "bundle_fixture.h"
#include "mbedtls/base64.h"
#include "mbedtls/pk.h"
#include "mbedtls/sha256.h"

#define LT_SO "so-pin-1"
#define LT_PIN "user-1234"
#define LT_NOW 1767225600ull /* 2026-01-01T00:00:00Z */

/* ---- DER: derbuild.h --------------------------------------------------- */

static const uint8_t lt_alg_p256[] = { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02 };
static const uint8_t lt_ca_ski[20] = { 0x5b, 0x1e, 0x0c, 0x77, 0x93, 0x21, 0xaa, 0x10, 0x42, 0x07,
                                       0xde, 0x63, 0xe4, 0xd1, 0x8e, 0x43, 0x1e, 0x7f, 0x79, 0x18 };

/* A CA certificate around spki (ECDSA P-256): O=sbrguard tests, CN=Test Issuing CA. */
static size_t lt_ca_cert(const uint8_t *spki, size_t spki_len, uint8_t *out)
{
    static dbuf tbs, v, exts, x, cert;
    tbs.n = v.n = exts.n = x.n = cert.n = 0;
    db_put(&tbs, DB_BYTES(0xa0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x01, 0x01));
    db_put(&tbs, lt_alg_p256, sizeof lt_alg_p256);
    db_name(&tbs, "sbrguard tests", "Test Issuing CA");
    db_utc(&v, (time_t)LT_NOW - 86400);
    db_utc(&v, (time_t)LT_NOW + 3650L * 86400);
    db_tlv(&tbs, 0x30, v.b, v.n);
    db_name(&tbs, "sbrguard tests", "Test Issuing CA");
    db_put(&tbs, spki, spki_len);
    db_ca_exts(&exts, lt_ca_ski, sizeof lt_ca_ski);
    db_tlv(&x, 0x30, exts.b, exts.n);
    db_tlv(&tbs, 0xa3, x.b, x.n);
    x.n = 0;
    db_tlv(&x, 0x30, tbs.b, tbs.n);
    db_put(&x, lt_alg_p256, sizeof lt_alg_p256);
    db_put(&x, DB_BYTES(0x03, 0x03, 0x00, 0x01, 0x02));
    db_tlv(&cert, 0x30, x.b, x.n);
    memcpy(out, cert.b, cert.n);
    return cert.n;
}

/* A subscriber TBS (mailbox strict) for spki at the token clock LT_NOW;
 * serial makes each one different; bad adds serverAuth (refused). */
static size_t lt_tbs(const uint8_t *spki, size_t spki_len, unsigned serial, int bad, uint8_t *out)
{
    static dbuf tbs, v, exts, x;
    tbs.n = v.n = exts.n = x.n = 0;
    db_put(&tbs, DB_BYTES(0xa0, 0x03, 0x02, 0x01, 0x02));
    uint8_t sn[18] = { 0x02, 0x10, 0x4f, 0x3a, 0x9b, 0x1c, 0x2d, 0x7e, 0x8f, 0x6a,
                       0x5b, 0x4c, 0x3d, 0x2e, 0x1f, 0x0a, 0x9b, 0x8c };
    sn[14] = (uint8_t)(serial >> 8);
    sn[15] = (uint8_t)serial;
    db_put(&tbs, sn, sizeof sn);
    db_put(&tbs, lt_alg_p256, sizeof lt_alg_p256);
    db_name(&tbs, "sbrguard tests", "Test Issuing CA");
    db_utc(&v, (time_t)LT_NOW);
    db_utc(&v, (time_t)LT_NOW + 365L * 86400);
    db_tlv(&tbs, 0x30, v.b, v.n);
    db_name(&tbs, NULL, "alice@example.com");
    db_put(&tbs, spki, spki_len);
    db_smime_exts(&exts, lt_ca_ski, sizeof lt_ca_ski, bad);
    db_tlv(&x, 0x30, exts.b, exts.n);
    db_tlv(&tbs, 0xa3, x.b, x.n);
    x.n = 0;
    db_tlv(&x, 0x30, tbs.b, tbs.n);
    memcpy(out, x.b, x.n);
    return x.n;
}

/* The certificate `sbrguard cert assemble` makes from tbs and r || s,
 * hashed: SEQUENCE { tbs, alg, BIT STRING { 0, ECDSA-Sig-Value } }. */
static void lt_cert_hash(const uint8_t *tbs, size_t tbs_len, const uint8_t *rs, size_t rs_len, uint8_t out[32])
{
    static dbuf sig, body, cert;
    sig.n = body.n = cert.n = 0;
    dbuf ints = { .n = 0 };
    size_t n = rs_len / 2;
    for (int i = 0; i < 2; i++) {
        const uint8_t *p = rs + i * n;
        size_t l = n;
        while (l > 1 && *p == 0) {
            p++;
            l--;
        }
        dbuf in = { .n = 0 };
        if (*p & 0x80)
            db_put(&in, "\0", 1);
        db_put(&in, p, l);
        db_tlv(&ints, 0x02, in.b, in.n);
    }
    db_put(&sig, "\0", 1);
    db_tlv(&sig, 0x30, ints.b, ints.n);
    db_put(&body, tbs, tbs_len);
    db_put(&body, lt_alg_p256, sizeof lt_alg_p256);
    db_tlv(&body, 0x03, sig.b, sig.n);
    db_tlv(&cert, 0x30, body.b, body.n);
    mbedtls_sha256(cert.b, cert.n, out, 0);
}

/* ---- the token ---------------------------------------------------------------- */

typedef struct {
    unsigned handle;
    uint8_t spki[128];
    size_t spki_len;
    uint8_t key_id[32];
} lt_ca;

/* Blank flash of `sectors` sectors (0: full size), token initialized, user
 * logged in on channel 0, a P-256 key bound to a CA certificate. */
static int lt_setup(uint32_t sectors, lt_ca *ca)
{
    static uint8_t cert[2048];
    th_boot(); /* attaches th_flash the first time */
    memset(th_flash, 0xFF, sizeof th_flash);
    sim_flash_set_sectors(sectors);
    sim_clock_set(LT_NOW);
    if (th_boot() || bf_init_token(LT_SO, "log") || th_init_pin(LT_SO, LT_PIN) ||
        th_login(0, SG_USER_USER, LT_PIN))
        return -1;
    th_resp r = th_keygen(0, SG_KEY_EC_P256, "ca", 0);
    size_t l = 0;
    const uint8_t *p = th_get(r, SG_T_PUBKEY, &l);
    if (r.status || !p || l > sizeof ca->spki)
        return -1;
    ca->handle = (unsigned)th_get_u(r, SG_T_HANDLE);
    memcpy(ca->spki, p, l);
    ca->spki_len = l;
    mbedtls_sha256(p, l, ca->key_id, 0);
    size_t cl = lt_ca_cert(ca->spki, ca->spki_len, cert);
    th_begin();
    th_put_u(SG_T_HANDLE, ca->handle, 2);
    th_put(SG_T_VALUE, cert, cl);
    if (th_send(0, SG_CMD_BIND_CA).status)
        return -1;
    /* Entries so far: token init, key gen, CA bind, policy load. */
    return bf_load1(LT_SO, ca->spki, ca->spki_len) ? -1 : 0;
}

static uint8_t lt_tbs_buf[4096];
static size_t lt_tbs_len;

/* Inline issuance of TBS `serial` (bad: one the policy refuses). */
static th_resp lt_issue(const lt_ca *ca, unsigned serial, int bad)
{
    lt_tbs_len = lt_tbs(ca->spki, ca->spki_len, serial, bad, lt_tbs_buf);
    return th_sign(0, ca->handle, SG_MECH_ECDSA_SHA256, lt_tbs_buf, lt_tbs_len);
}

typedef struct {
    uint64_t size, min, cp_size;
    uint32_t free, cap, folded, status;
} lt_info;

static lt_info lt_log_info(void)
{
    lt_info i;
    th_begin();
    th_resp r = th_send(0, SG_CMD_LOG_INFO);
    i.size = th_get_u(r, SG_T_LOG_SIZE);
    i.min = th_get_u(r, SG_T_LOG_MIN);
    i.cp_size = th_get_u(r, SG_T_LOG_CP_SIZE);
    i.free = (uint32_t)th_get_u(r, SG_T_LOG_FREE);
    i.cap = (uint32_t)th_get_u(r, SG_T_LOG_CAPACITY);
    i.folded = (uint32_t)th_get_u(r, SG_T_LOG_FOLDED);
    i.status = (uint32_t)th_get_u(r, SG_T_LOG_STATUS);
    return i;
}

#define LT_MAX_ENTRIES 4096
typedef struct {
    uint16_t len;
    uint8_t b[SG_LOG_MAX_ENTRY];
} lt_entry;
static lt_entry lt_e[LT_MAX_ENTRIES];  /* by index (also keeps entries freed on the token) */
static uint8_t lt_leaf[LT_MAX_ENTRIES][32];

/* Reads entries [from, size) into lt_e; returns the count read or -1. */
static long lt_read(uint64_t from)
{
    uint64_t i = from;
    long n = 0;
    for (;;) {
        th_begin();
        th_put_u(SG_T_LOG_INDEX, i, 8);
        th_resp r = th_send(0, SG_CMD_LOG_READ);
        size_t off = 0, vl;
        uint8_t t;
        const uint8_t *v;
        long got = 0;
        if (r.status)
            return -1;
        while (sg_tlv_next(r.p, r.len, &off, &t, &v, &vl) == 1) {
            if (t != SG_T_LOG_ENTRY)
                continue;
            if (i >= LT_MAX_ENTRIES || vl > SG_LOG_MAX_ENTRY || sg_be_get(v + SG_LOG_OFF_SEQ, 8) != i)
                return -1;
            memcpy(lt_e[i].b, v, vl);
            lt_e[i].len = (uint16_t)vl;
            uint8_t z = 0;
            mbedtls_sha256_context h;
            mbedtls_sha256_init(&h);
            mbedtls_sha256_starts(&h, 0);
            mbedtls_sha256_update(&h, &z, 1);
            mbedtls_sha256_update(&h, v, vl);
            mbedtls_sha256_finish(&h, lt_leaf[i]);
            mbedtls_sha256_free(&h);
            i++;
            got++;
        }
        n += got;
        if (!got)
            return n;
    }
}

/* ---- RFC 9162, independently ---------------------------------------------------- */

static void lt_node(const uint8_t *l, const uint8_t *r, uint8_t out[32])
{
    uint8_t b[65];
    b[0] = 1;
    memcpy(b + 1, l, 32);
    memcpy(b + 33, r, 32);
    mbedtls_sha256(b, 65, out, 0);
}

/* MTH(D[a:b]) over lt_leaf, by the definition. */
static void lt_mth(uint64_t a, uint64_t b, uint8_t out[32])
{
    if (b == a) {
        mbedtls_sha256(NULL, 0, out, 0);
        return;
    }
    if (b - a == 1) {
        memcpy(out, lt_leaf[a], 32);
        return;
    }
    uint64_t k = 1;
    while (k * 2 < b - a)
        k *= 2;
    uint8_t l[32], r[32];
    lt_mth(a, a + k, l);
    lt_mth(a + k, b, r);
    lt_node(l, r, out);
}

/* RFC 9162 2.1.3.2: verifies an inclusion proof of leaf i in size n. */
static int lt_verify_inclusion(uint64_t i, uint64_t n, const uint8_t leaf[32], const uint8_t *proof, size_t k,
                               const uint8_t root[32])
{
    uint64_t fn = i, sn = n - 1;
    uint8_t r[32];
    if (i >= n)
        return 0;
    memcpy(r, leaf, 32);
    for (size_t j = 0; j < k; j++) {
        const uint8_t *p = proof + 32 * j;
        if (sn == 0)
            return 0;
        if ((fn & 1) || fn == sn) {
            lt_node(p, r, r);
            if (!(fn & 1))
                while (fn && !(fn & 1)) {
                    fn >>= 1;
                    sn >>= 1;
                }
        } else {
            lt_node(r, p, r);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && !memcmp(r, root, 32);
}

/* RFC 9162 2.1.4.2: verifies a consistency proof from (m, r1) to (n, r2). */
static int lt_verify_consistency(uint64_t m, uint64_t n, const uint8_t r1[32], const uint8_t r2[32],
                                 const uint8_t *proof, size_t k)
{
    uint8_t fr[32], sr[32];
    const uint8_t *p = proof;
    if (m == n)
        return k == 0 && !memcmp(r1, r2, 32);
    if (m == 0 || m > n)
        return 0;
    uint64_t fn = m - 1, sn = n - 1;
    size_t j = 0;
    /* If m is a power of 2, prepend r1 to the proof. */
    int pow2 = (m & (m - 1)) == 0;
    if (!pow2 && k == 0)
        return 0;
    const uint8_t *first = pow2 ? r1 : p;
    if (!pow2)
        j = 1;
    while (fn & 1) {
        fn >>= 1;
        sn >>= 1;
    }
    memcpy(fr, first, 32);
    memcpy(sr, first, 32);
    for (; j < k; j++) {
        const uint8_t *c = proof + 32 * j;
        if (sn == 0)
            return 0;
        if ((fn & 1) || fn == sn) {
            lt_node(c, fr, fr);
            lt_node(c, sr, sr);
            if (!(fn & 1))
                while (fn && !(fn & 1)) {
                    fn >>= 1;
                    sn >>= 1;
                }
        } else {
            lt_node(sr, c, sr);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && !memcmp(fr, r1, 32) && !memcmp(sr, r2, 32);
}

/* ---- checkpoints ---------------------------------------------------------------- */

typedef struct {
    uint8_t spki[128];
    size_t spki_len;
    uint8_t key_id[4];
    char origin[64];
    char vkey[256];
} lt_key;

static int lt_pubkey(lt_key *k)
{
    size_t l = 0;
    th_begin();
    th_resp r = th_send(0, SG_CMD_LOG_PUBKEY);
    const uint8_t *p = th_get(r, SG_T_PUBKEY, &l);
    memset(k, 0, sizeof *k);
    if (r.status || !p || l > sizeof k->spki)
        return -1;
    memcpy(k->spki, p, l);
    k->spki_len = l;
    if (!(p = th_get(r, SG_T_LOG_KEY_ID, &l)) || l != 4)
        return -1;
    memcpy(k->key_id, p, 4);
    if (!(p = th_get(r, SG_T_LOG_ORIGIN, &l)) || l >= sizeof k->origin)
        return -1;
    memcpy(k->origin, p, l);
    if (!(p = th_get(r, SG_T_LOG_VKEY, &l)) || l >= sizeof k->vkey)
        return -1;
    memcpy(k->vkey, p, l);
    return 0;
}

/* Checks a signed checkpoint note with the log key, as a transparency-dev
 * verifier would; returns its size and root. */
static int lt_note_check(const lt_key *k, const char *note, size_t len, uint64_t *size, uint8_t root[32])
{
    char text[256], b64[64], sigb64[200];
    unsigned long long sz;
    uint8_t raw[120], h[32];
    size_t olen = 0, tl;
    const char *sep = strstr(note, "\n\n");
    if (!sep || (size_t)(sep - note) + 1 >= sizeof text)
        return -1;
    tl = (size_t)(sep - note) + 1;
    memcpy(text, note, tl);
    text[tl] = 0;
    char origin[64];
    if (sscanf(text, "%63[^\n]\n%llu\n%63[^\n]\n", origin, &sz, b64) != 3 || strcmp(origin, k->origin))
        return -1;
    if (mbedtls_base64_decode(root, 32, &olen, (const uint8_t *)b64, strlen(b64)) || olen != 32)
        return -1;
    *size = sz;
    /* "— origin base64\n" */
    const char *line = sep + 2;
    size_t ol = strlen(k->origin);
    if (strncmp(line, "\xE2\x80\x94 ", 4) || strncmp(line + 4, k->origin, ol) || line[4 + ol] != ' ')
        return -1;
    const char *s = line + 5 + ol, *nl = memchr(s, '\n', len - (size_t)(s - note));
    if (!nl || (size_t)(nl - s) >= sizeof sigb64 || nl + 1 != note + len)
        return -1;
    memcpy(sigb64, s, (size_t)(nl - s));
    if (mbedtls_base64_decode(raw, sizeof raw, &olen, (const uint8_t *)sigb64, (size_t)(nl - s)) || olen < 8 ||
        memcmp(raw, k->key_id, 4))
        return -1;
    mbedtls_sha256((const uint8_t *)text, tl, h, 0);
    mbedtls_pk_context pk;
    mbedtls_pk_init(&pk);
    int ok = !mbedtls_pk_parse_public_key(&pk, k->spki, k->spki_len) &&
             !mbedtls_pk_verify(&pk, MBEDTLS_MD_SHA256, h, 32, raw + 4, olen - 4);
    mbedtls_pk_free(&pk);
    return ok ? 0 : -1;
}

/* LOG_CHECKPOINT; the note into note (NUL-terminated). */
static uint8_t lt_checkpoint(uint32_t flags, char *note, size_t cap, size_t *len)
{
    th_begin();
    if (flags)
        th_put_u(SG_T_FLAGS, flags, 4);
    th_resp r = th_send(0, SG_CMD_LOG_CHECKPOINT);
    size_t l = 0;
    const uint8_t *p = th_get(r, SG_T_LOG_NOTE, &l);
    if (r.status || !p || l >= cap)
        return r.status ? r.status : 0xFF;
    memcpy(note, p, l);
    note[l] = 0;
    *len = l;
    return 0;
}

#endif
