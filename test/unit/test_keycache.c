/* SPDX-License-Identifier: Apache-2.0 */
/* The loaded-key cache (fw_keycache.c): a second signature does not load
 * the key again; logout, destroy, a new key in a reused slot,
 * re-initialization and reset each leave nothing loaded that could sign;
 * a refused request never loads its key; the log key is loaded once for
 * every checkpoint it signs. Signatures are verified with
 * mbedTLS against the public key the token returned at generation. */
#include "check.h"
#include "harness.h"
#include "sigcheck.h"
#include "bundle_fixture.h"

#define SO "so-pin-1"
#define PIN "user-1234"

typedef struct {
    unsigned h;
    uint8_t spki[600];
    size_t spki_len;
} key;

static int gen(int type, const char *label, uint32_t flags, key *k)
{
    size_t l = 0;
    th_resp r = th_keygen(0, type, label, flags);
    const uint8_t *p = th_get(r, SG_T_PUBKEY, &l);
    if (r.status != SG_ST_OK || !p || l > sizeof k->spki)
        return 0;
    k->h = (unsigned)th_get_u(r, SG_T_HANDLE);
    memcpy(k->spki, p, l);
    k->spki_len = l;
    return 1;
}

/* Signs a fixed digest (CKM_ECDSA) or message (SHA256-RSA-PKCS) with k and
 * verifies the signature under k's own public key. */
static int signs(const key *k, int rsa)
{
    static const uint8_t msg[] = "the loaded key must be this key";
    uint8_t hash[32];
    size_t sl = 0;
    mbedtls_md(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), msg, sizeof msg, hash);
    th_resp r = rsa ? th_sign(0, k->h, SG_MECH_SHA256_RSA_PKCS, msg, sizeof msg) : th_sign(0, k->h, SG_MECH_ECDSA, hash, 32);
    const uint8_t *sig = th_get(r, SG_T_SIGNATURE, &sl);
    return r.status == SG_ST_OK && sig && sig_verify_hash(k->spki, k->spki_len, MBEDTLS_MD_SHA256, hash, sig, sl, -1);
}

static unsigned loaded(uint32_t *hits, uint32_t *loads)
{
    return fw_keycache_stats(hits, loads);
}

int main(void)
{
    uint32_t h0, l0, h1, l1;
    key ec, rsa, ec2, ca;
    CHECK(th_boot() == FW_OK && bf_init_token(SO, "keycache") == SG_ST_OK && th_init_pin(SO, PIN) == SG_ST_OK &&
              th_login(0, SG_USER_USER, PIN) == SG_ST_OK,
          "token initialized, user logged in");
    CHECK(gen(SG_KEY_EC_P256, "ec", 0, &ec) && gen(SG_KEY_RSA_2048, "rsa", 0, &rsa), "P-256 and RSA-2048 keys generated");
    CHECK(loaded(&h0, &l0) == 0, "key generation loads nothing into the cache");

    CHECK(signs(&ec, 0), "first P-256 signature verifies");
    loaded(&h0, &l0);
    CHECK(signs(&ec, 0) && signs(&ec, 0), "two more P-256 signatures verify");
    CHECK(loaded(&h1, &l1) == 1 && l1 == l0 && h1 == h0 + 2, "they used the loaded key: no new load, two hits");
    CHECK(signs(&rsa, 1) && loaded(&h1, &l1) == 2, "an RSA-2048 signature verifies; two keys loaded");

    /* A refused request is decided before any key is loaded. */
    CHECK(gen(SG_KEY_EC_P256, "ca", SG_OBJ_CA, &ca), "a key reserved as a CA key");
    th_resp r = th_sign(0, ca.h, SG_MECH_ECDSA, ec.spki, 32);
    CHECK(r.status != SG_ST_OK && !th_get(r, SG_T_SIGNATURE, &(size_t){ 0 }), "the CA key signs no raw digest unauthorized");
    CHECK(loaded(&h1, &l1) == 2, "the refused request loaded nothing");

    /* Logout frees everything; after a new login the key is loaded anew. */
    th_begin();
    CHECK(th_send(0, SG_CMD_LOGOUT).status == SG_ST_OK && loaded(&h0, &l0) == 0, "logout: nothing loaded");
    CHECK(th_sign(0, ec.h, SG_MECH_ECDSA, ec.spki, 32).status == SG_ST_NOT_LOGGED_IN, "logged out: no signature");
    CHECK(th_login(0, SG_USER_USER, PIN) == SG_ST_OK && signs(&ec, 0) && loaded(&h1, &l1) == 1 && l1 == l0 + 1,
          "logged in again: the key is parsed again and signs");
    /* Another channel's logout (or its connection closing) frees it too. */
    fw_channel_closed(1);
    CHECK(loaded(&h0, &l0) == 0, "a channel closing: nothing loaded");
    CHECK(signs(&ec, 0) && loaded(&h0, &l0) == 1, "loaded again");

    /* Destroy: the loaded key goes with the object; signing fails. */
    th_begin();
    th_put_u(SG_T_HANDLE, ec.h, 2);
    CHECK(th_send(0, SG_CMD_DESTROY_OBJECT).status == SG_ST_OK, "P-256 key destroyed");
    CHECK(loaded(&h0, &l0) == 0, "its loaded key is gone");
    r = th_sign(0, ec.h, SG_MECH_ECDSA, ec.spki, 32);
    CHECK(r.status != SG_ST_OK && !th_get(r, SG_T_SIGNATURE, &(size_t){ 0 }), "the destroyed key's handle signs nothing");
    /* A new key in the freed slot signs as itself, never as the old one. */
    CHECK(gen(SG_KEY_EC_P256, "ec2", 0, &ec2), "a new P-256 key");
    CHECK(signs(&ec2, 0), "the new key's signature verifies under its own public key");
    CHECK(!(ec2.spki_len == ec.spki_len && memcmp(ec2.spki, ec.spki, ec.spki_len) == 0), "and it is another key");

    /* Re-initialization and reset. */
    CHECK(signs(&rsa, 1) && loaded(&h0, &l0) == 2, "two keys loaded");
    CHECK(th_boot() == FW_OK && loaded(&h0, &l0) == 0, "reset: nothing loaded");
    CHECK(th_login(0, SG_USER_USER, PIN) == SG_ST_OK && signs(&rsa, 1) && loaded(&h0, &l0) == 1,
          "after reset the RSA key is loaded again and signs");
    CHECK(bf_init_token(SO, "keycache-2") == SG_ST_OK && loaded(&h0, &l0) == 0, "re-initialization: nothing loaded");
    CHECK(th_init_pin(SO, PIN) == SG_ST_OK && th_login(0, SG_USER_USER, PIN) == SG_ST_OK, "logged in after re-init");
    r = th_sign(0, rsa.h, SG_MECH_SHA256_RSA_PKCS, "x", 1);
    CHECK(r.status != SG_ST_OK && loaded(&h0, &l0) == 0, "the old epoch's key is gone and nothing was loaded");

    /* The log key is loaded once too: the next checkpoint parses nothing. */
    th_begin();
    CHECK(th_send(0, SG_CMD_LOG_CHECKPOINT).status == SG_ST_OK && loaded(&h0, &l0) >= 1, "a checkpoint is signed");
    CHECK(gen(SG_KEY_EC_P256, "logged", 0, &ec2), "a key generation: one more log entry");
    th_begin();
    CHECK(th_send(0, SG_CMD_LOG_CHECKPOINT).status == SG_ST_OK && loaded(&h1, &l1) >= 1 && l1 == l0 && h1 == h0 + 1,
          "the next checkpoint is signed with the loaded log key: no new load");

    /* More keys than the cache holds: the least recently used goes, each still signs. */
    key many[FW_KEY_CACHE + 2];
    int all = 1;
    for (unsigned i = 0; i < FW_KEY_CACHE + 2; i++)
        all &= gen(SG_KEY_EC_P256, "many", 0, &many[i]) && signs(&many[i], 0);
    CHECK(all && loaded(&h0, &l0) == FW_KEY_CACHE, "%u keys sign; the cache holds its %u", FW_KEY_CACHE + 2,
          FW_KEY_CACHE);
    CHECK(signs(&many[0], 0) && loaded(&h1, &l1) == FW_KEY_CACHE && l1 == l0 + 1, "an evicted key loads again and signs");
    return CHECK_DONE();
}
