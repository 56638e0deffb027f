/* SPDX-License-Identifier: Apache-2.0 */
/* Key pairs generated on the token, and signatures; what a CA key may sign
 * is decided in fw_authz.c. Private keys leave the store only into this
 * file's buffers, which are wiped on one exit path. */
#include <string.h>
#include "../policy/pol.h"
#include "../policy/pol_evidence.h"
#include "fw.h"
#include "mbedtls/asn1.h"     /* DER reading only */
#include "mbedtls/ecdsa.h"    /* MBEDTLS_ECDSA_MAX_LEN */
#include "mbedtls/platform.h" /* the arena */
#include "sbrguard/hal_crypto.h"
#include "sbrguard/tlv.h"

#define PRIV_DER_MAX 2464 /* RSA-4096 PKCS#1 private key in a PKCS#8 wrapper, with margin */
#define PUB_DER_MAX 600   /* RSA-4096 SubjectPublicKeyInfo */
#define SIGN_ALLOWED 0x5AA53CC3u

static const struct {
    uint8_t type, rsa;
    uint16_t bits;
} key_types[] = {
    { SG_KEY_EC_P256, 0, 256 }, { SG_KEY_EC_P384, 0, 384 }, { SG_KEY_EC_P521, 0, 521 },
    { SG_KEY_RSA_2048, 1, 2048 }, { SG_KEY_RSA_3072, 1, 3072 }, { SG_KEY_RSA_4096, 1, 4096 },
};

static const struct {
    uint32_t mech;
    uint8_t rsa, scheme;
    uint8_t md; /* HAL_MD_* */
} mechs[] = {
    { SG_MECH_ECDSA, 0, FW_SIG_ECDSA, HAL_MD_NONE },
    { SG_MECH_ECDSA_SHA256, 0, FW_SIG_ECDSA, HAL_MD_SHA256 },
    { SG_MECH_ECDSA_SHA384, 0, FW_SIG_ECDSA, HAL_MD_SHA384 },
    { SG_MECH_ECDSA_SHA512, 0, FW_SIG_ECDSA, HAL_MD_SHA512 },
    { SG_MECH_RSA_PKCS, 1, FW_SIG_PKCS1, HAL_MD_NONE },
    { SG_MECH_SHA256_RSA_PKCS, 1, FW_SIG_PKCS1, HAL_MD_SHA256 },
    { SG_MECH_SHA384_RSA_PKCS, 1, FW_SIG_PKCS1, HAL_MD_SHA384 },
    { SG_MECH_SHA512_RSA_PKCS, 1, FW_SIG_PKCS1, HAL_MD_SHA512 },
    { SG_MECH_RSA_PKCS_PSS, 1, FW_SIG_PSS, HAL_MD_NONE },
    { SG_MECH_SHA256_RSA_PKCS_PSS, 1, FW_SIG_PSS, HAL_MD_SHA256 },
    { SG_MECH_SHA384_RSA_PKCS_PSS, 1, FW_SIG_PSS, HAL_MD_SHA384 },
    { SG_MECH_SHA512_RSA_PKCS_PSS, 1, FW_SIG_PSS, HAL_MD_SHA512 },
};

static int key_type_index(uint32_t t)
{
    for (size_t i = 0; i < sizeof key_types / sizeof *key_types; i++)
        if (key_types[i].type == t)
            return (int)i;
    return -1;
}

/* The one buffer a private key is in clear: in mbedTLS's arena, not
 * static, since a board's RAM peaks in a signature, not here. */
uint8_t *fw_keys_scratch(size_t *cap)
{
    *cap = PRIV_DER_MAX;
    return mbedtls_calloc(1, PRIV_DER_MAX);
}

void fw_keys_scratch_free(uint8_t *p)
{
    if (p) {
        fw_zeroize(p, PRIV_DER_MAX);
        mbedtls_free(p);
    }
}

/* A session key (SG_OBJ_SESSION, fw_skeys.c): never a CA key, and a table
 * entry it fits, both known before the costly generation. */
static int session_slot(fw_req *r, uint32_t flags, int k, unsigned *slot)
{
    if (flags & SG_OBJ_CA) {
        r->msg = "a session key cannot be a CA key";
        return FW_E_PROHIBITED;
    }
    /* An RSA private key takes about 4.5 times its modulus. */
    if (key_types[k].rsa && (size_t)key_types[k].bits / 8u * 5u > fw_skey_capacity()) {
        r->msg = "session keys of this type do not fit this board's session key table (EC keys do)";
        return FW_E_NO_SPACE;
    }
    int rc = fw_skey_reserve(r->chan, slot);
    if (rc)
        r->msg = "session key table full: destroy a session key or close a session";
    return rc;
}

int fw_cmd_generate_key(fw_req *r)
{
    uint32_t kt, flags = 0;
    const uint8_t *v;
    size_t vl, cap, off;
    uint8_t *w, pub[PUB_DER_MAX], num[4];
    unsigned slot;
    int rc, k;
    if (fw_arg_u(r, SG_T_KEY_TYPE, 1, &kt))
        return FW_E_ARGS;
    if ((k = key_type_index(kt)) < 0)
        return FW_E_KEY_TYPE;
    if (fw_arg_opt(r, SG_T_FLAGS, &v, &vl) == FW_OK &&
        (fw_arg_u(r, SG_T_FLAGS, 4, &flags) || flags & ~(uint32_t)(SG_OBJ_CA | SG_OBJ_SESSION)))
        return FW_E_ARGS;
    int session = (flags & SG_OBJ_SESSION) != 0;
    rc = session ? session_slot(r, flags, k, &slot) : fw_objects_new_slot(&slot);
    if (rc || (rc = fw_log_room(SG_LOG_EV_KEY_GEN)))
        return rc;
    size_t pcap, n, m;
    uint8_t *priv_der = fw_keys_scratch(&pcap);
    rc = FW_E_CRYPTO;
    if (!priv_der || hal_crypto_keygen(kt, priv_der, pcap, &n, pub, sizeof pub, &m))
        goto out;
    rc = fw_object_begin(r, &w, &cap, &off);
    if (rc)
        goto out;
    rc = FW_E_NO_SPACE;
    sg_be_put(num, flags, 4);
    uint8_t kt8 = (uint8_t)kt, bits[2];
    sg_be_put(bits, key_types[k].bits, 2);
    if (fw_tlv_append(w, cap, &off, SG_T_KEY_TYPE, &kt8, 1) ||
        fw_tlv_append(w, cap, &off, SG_T_KEY_BITS, bits, 2) ||
        fw_tlv_append(w, cap, &off, SG_T_FLAGS, num, 4) ||
        fw_tlv_append(w, cap, &off, SG_T_PUBKEY, pub + sizeof pub - m, m) ||
        fw_tlv_append(w, cap, &off, FW_T_PRIVKEY, priv_der + pcap - n, n))
        goto out;
    if (session && off > fw_skey_capacity()) {
        r->msg = "session key record too large for this board (a smaller key type, ID or fewer attributes)";
        rc = FW_E_NO_SPACE;
        goto out;
    }
    /* Logged before the key exists: a cut leaves at most an entry for a key
     * that never was, never a key without its entry. */
    uint8_t key_id[32];
    fw_log_ev ev = { .event = SG_LOG_EV_KEY_GEN, .handle = slot, .key_type = kt8, .value = flags, .key_id = key_id };
    if (hal_hash(HAL_MD_SHA256, pub + sizeof pub - m, m, key_id)) {
        rc = FW_E_CRYPTO;
        goto out;
    }
    if ((rc = fw_log_append(&ev)))
        goto out;
    if (session) { /* RAM only: the composed record is copied (wiped below) */
        if ((rc = fw_skey_commit(r->chan, slot, w, off)))
            goto out;
    } else if ((rc = fw_store_commit(slot, FW_REC_TYPE_KEY, fw_token_epoch(), off))) {
        goto out;
    } else {
        fw_objects_reindex(slot);
    }
    rc = fw_put_u(r, SG_T_HANDLE, slot, 2) | fw_put(r, SG_T_PUBKEY, pub + sizeof pub - m, m);
out:
    fw_keys_scratch_free(priv_der);
    if (session)
        fw_store_wipe(); /* the composed record held the private key */
    return rc;
}

/* ECDSA-Sig-Value DER to the PKCS#11 form r || s, each n bytes. */
static int ecdsa_raw(const uint8_t *der, size_t len, size_t n, uint8_t *out)
{
    unsigned char *p = (unsigned char *)(uintptr_t)der, *end = p + len;
    size_t l;
    if (mbedtls_asn1_get_tag(&p, end, &l, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE))
        return FW_E_CRYPTO;
    for (int i = 0; i < 2; i++) {
        if (mbedtls_asn1_get_tag(&p, end, &l, MBEDTLS_ASN1_INTEGER))
            return FW_E_CRYPTO;
        while (l > 0 && *p == 0) {
            p++;
            l--;
        }
        if (l > n)
            return FW_E_CRYPTO;
        memset(out + i * n, 0, n - l);
        memcpy(out + i * n + n - l, p, l);
        p += l;
    }
    return FW_OK;
}

typedef struct {
    uint32_t key_type;
    const uint8_t *priv, *pub;
    size_t priv_len, pub_len;
} sign_job;

/* Points j into a key record (the store's buffer). */
static int key_fields(const uint8_t *b, size_t len, sign_job *j)
{
    size_t off = 0, vl;
    uint8_t t;
    const uint8_t *v;
    j->priv = j->pub = NULL;
    j->key_type = 0;
    while (fw_tlv_next(b, len, &off, &t, &v, &vl) == 1) {
        if (t == SG_T_KEY_TYPE && vl == 1)
            j->key_type = v[0];
        else if (t == SG_T_PUBKEY) {
            j->pub = v;
            j->pub_len = vl;
        } else if (t == FW_T_PRIVKEY) {
            j->priv = v;
            j->priv_len = vl;
        }
    }
    return j->priv && j->pub && key_type_index(j->key_type) >= 0 ? FW_OK : FW_E_CORRUPT;
}

/* PSS parameters of the request: returns the HAL_MD_* of hash and MGF1 (one
 * hash for both, as mbedTLS has it) or a negative error; *hlen its length. */
static int pss_params(const fw_req *r, int md, size_t *hlen, size_t *slen)
{
    static const struct {
        uint32_t hash, mgf;
        int md;
    } pss[] = {
        { SG_MECH_SHA256, SG_MGF1_SHA256, HAL_MD_SHA256 },
        { SG_MECH_SHA384, SG_MGF1_SHA384, HAL_MD_SHA384 },
        { SG_MECH_SHA512, SG_MGF1_SHA512, HAL_MD_SHA512 },
    };
    uint32_t h, mgf, s;
    if (fw_arg_u(r, SG_T_PSS_HASH, 4, &h) || fw_arg_u(r, SG_T_PSS_MGF, 4, &mgf) ||
        fw_arg_u(r, SG_T_PSS_SLEN, 4, &s))
        return FW_E_MECH_PARAM;
    for (size_t i = 0; i < sizeof pss / sizeof *pss; i++)
        if (pss[i].hash == h && pss[i].mgf == mgf && (md == HAL_MD_NONE || md == pss[i].md)) {
            *hlen = hal_md_size(pss[i].md);
            *slen = s;
            return (int)pss[i].md;
        }
    return FW_E_MECH_PARAM;
}

/* Resolves a SIGN or AUTHORIZE request: key, mechanism, parameters and data
 * lengths into q, the key record's fields into j (valid until the next
 * store call). On a CA key q->key_id is its SPKI's SHA-256. */
static int resolve(fw_req *r, sign_job *j, fw_sign_req *q)
{
    const uint8_t *b;
    size_t len, m, hlen = 0;
    uint32_t hv;
    int rc, k;
    memset(q, 0, sizeof *q);
    if (fw_arg_u(r, SG_T_HANDLE, 2, &hv) || fw_arg_u(r, SG_T_MECH, 4, &q->mech) ||
        fw_arg(r, SG_T_DATA, &q->data, &q->data_len))
        return FW_E_ARGS;
    if (q->data_len > SG_MAX_SIGN_DATA)
        return FW_E_DATA_LEN;
    (void)fw_arg_opt(r, SG_T_EVIDENCE, &q->evidence, &q->evidence_len); /* optional */
    if (q->evidence_len > SG_MAX_EVIDENCE)
        return FW_E_DATA_LEN;
    if (q->evidence_len) /* a batched evidence: its record's hash, and the root of its batch */
        pol_ev_log_hashes(q->evidence, q->evidence_len, q->evidence_hash, q->batch_root);
    q->key = hv;
    rc = FW_SKEY_HANDLE(hv) ? fw_skey_load(r->chan, hv, &b, &len) : fw_object_load(hv, FW_REC_TYPE_KEY, &b, &len);
    if (rc || (rc = key_fields(b, len, j)))
        return rc;
    k = key_type_index(j->key_type);
    q->key_type = j->key_type;
    for (m = 0; m < sizeof mechs / sizeof *mechs && mechs[m].mech != q->mech; m++)
        ;
    if (m == sizeof mechs / sizeof *mechs || mechs[m].rsa != key_types[k].rsa)
        return FW_E_MECHANISM;
    q->scheme = mechs[m].scheme;
    q->md = mechs[m].md;
    q->pss_md = HAL_MD_NONE;
    if (q->scheme == FW_SIG_PSS) {
        int pmd = pss_params(r, mechs[m].md, &hlen, &q->pss_slen);
        if (pmd < 0)
            return pmd;
        q->pss_md = pmd;
        if (q->pss_slen + hlen + 2 > (size_t)key_types[k].bits / 8)
            return FW_E_MECH_PARAM;
    }
    if (q->md == HAL_MD_NONE) {
        /* Raw: a digest (ECDSA, PSS) or an encoded DigestInfo (PKCS#1 v1.5). */
        if (q->data_len == 0 || (q->scheme == FW_SIG_ECDSA && q->data_len > 64) ||
            (q->scheme == FW_SIG_PSS && q->data_len != hlen) ||
            (q->scheme == FW_SIG_PKCS1 && q->data_len + 11 > (size_t)key_types[k].bits / 8))
            return FW_E_DATA_LEN;
    }
    if (fw_key_is_ca(q->key) && (hal_hash(HAL_MD_SHA256, j->pub, j->pub_len, q->key_id) ||
                                 (q->md != HAL_MD_NONE && hal_hash(HAL_MD_SHA256, q->data, q->data_len, q->tbs_hash))))
        return FW_E_CRYPTO;
    return FW_OK;
}

/* A signature made but not yet returned: raw as the link carries it, and
 * for ECDSA the DER ECDSA-Sig-Value the certificate will carry. */
typedef struct {
    uint8_t raw[512], der[MBEDTLS_ECDSA_MAX_LEN];
    size_t raw_len, der_len;
} sig_out;

/* Signs with the key in j into so. allow and verdict are checked once more
 * right before the private key is used; the loaded key comes from the
 * cache (parsed once), the decision never does. */
static int do_sign(const sign_job *j, const fw_sign_req *q, const volatile uint32_t *allow,
                   const volatile uint32_t *verdict, sig_out *so)
{
    uint8_t hash[64];
    const uint8_t *h = q->data;
    size_t hlen = q->data_len, slen = 0;
    int k = key_type_index(j->key_type), rc = FW_E_CRYPTO;
    struct hal_key *key = NULL;
    so->raw_len = so->der_len = 0;
    if (q->md == HAL_MD_SHA256 && fw_key_is_ca(q->key)) {
        memcpy(hash, q->tbs_hash, 32); /* the TBS is hashed once per request (resolve) */
        h = hash;
        hlen = 32;
    } else if (q->md != HAL_MD_NONE) {
        if (hal_hash(q->md, q->data, q->data_len, hash))
            goto out;
        h = hash;
        hlen = hal_md_size(q->md);
    }
    if (fw_keycache_get(q->key, j->key_type, j->pub, j->pub_len, j->priv, j->priv_len, &key))
        goto out;
    if (*allow != SIGN_ALLOWED || *verdict != POL_ACCEPT) /* re-checked right before the key is used */
        goto out;
    if (q->scheme == FW_SIG_ECDSA) {
        size_t n = (key_types[k].bits + 7u) / 8u;
        if (hal_crypto_sign(key, HAL_SIG_ECDSA, HAL_MD_NONE, HAL_MD_NONE, 0, h, hlen, so->der, sizeof so->der,
                            &so->der_len) ||
            ecdsa_raw(so->der, so->der_len, n, so->raw))
            goto out;
        slen = 2 * n;
    } else if (hal_crypto_sign(key, q->scheme == FW_SIG_PKCS1 ? HAL_SIG_PKCS1 : HAL_SIG_PSS, q->md, q->pss_md,
                               q->pss_slen, h, hlen, so->raw, sizeof so->raw, &slen) ||
               slen != (size_t)key_types[k].bits / 8u) {
        goto out;
    }
    so->raw_len = slen;
    rc = FW_OK;
out:
    fw_keycache_put(key);
    fw_zeroize(hash, sizeof hash);
    return rc;
}

/* The decision entry of a CA key's signature, committed before the
 * signature leaves (no log, no signature). */
static int log_issuance(fw_req *r, const fw_sign_req *q, const sig_out *so)
{
    uint8_t tbs_hash[32], cert_hash[32], ev_hash[32], root[32];
    fw_log_ev ev = { .event = SG_LOG_EV_ISSUE_ACCEPTED, .mech = q->mech, .handle = q->key,
                     .key_type = (uint8_t)q->key_type, .key_id = q->key_id, .tbs_hash = q->tbs_hash,
                     .evidence_hash = q->evidence_len ? q->evidence_hash : NULL,
                     .batch_root = q->evidence_len ? q->batch_root : NULL };
    if (q->md == HAL_MD_NONE) {
        ev.flags = SG_LOG_F_PREAUTHORIZED;
        fw_authz_tbs_hash(r->chan, tbs_hash);
        ev.tbs_hash = tbs_hash;
        fw_authz_evidence_hash(r->chan, ev_hash);
        fw_authz_batch_root(r->chan, root);
        ev.evidence_hash = ev_hash;
        ev.batch_root = root;
    } else {
        const uint8_t *s = q->scheme == FW_SIG_ECDSA ? so->der : so->raw;
        size_t sl = q->scheme == FW_SIG_ECDSA ? so->der_len : so->raw_len;
        if (fw_log_cert_hash(q->data, q->data_len, s, sl, cert_hash))
            return FW_E_CRYPTO;
        ev.cert_hash = cert_hash;
    }
    int rc = fw_log_append(&ev);
    if (rc)
        r->msg = rc == FW_E_LOG_FULL ? "enforcement log full: export it and have the SO acknowledge it"
                                     : "enforcement log cannot be written: nothing signed";
    return rc;
}

/* A refusal of a CA key's request, under the flood rule. */
static void log_refusal(fw_req *r, const fw_sign_req *q, uint8_t event)
{
    fw_log_ev ev = { .event = event, .mech = q->mech, .handle = q->key, .key_type = (uint8_t)q->key_type,
                     .key_id = q->key_id, .reasons = r, .evidence_hash = q->evidence_len ? q->evidence_hash : NULL,
                     .batch_root = q->evidence_len ? q->batch_root : NULL };
    if (q->md != HAL_MD_NONE)
        ev.tbs_hash = q->tbs_hash;
    else
        ev.flags = SG_LOG_F_PREAUTHORIZED;
    fw_log_refusal(&ev);
}

/* Signs, logs a CA key's issuance and puts the signature in the reply. Its
 * own frame holds the signature buffers, so they are not on the stack while
 * the policy judges (the deepest path on a small board). */
__attribute__((noinline)) static int sign_and_reply(fw_req *r, const sign_job *j, const fw_sign_req *q, int ca,
                                                    const volatile uint32_t *allow, const volatile uint32_t *verdict)
{
    sig_out so;
    int rc = do_sign(j, q, allow, verdict, &so);
    fw_store_wipe(); /* the private key is not needed any more */
    if (rc == FW_OK && ca)
        rc = log_issuance(r, q, &so);
    if (rc == FW_OK)
        rc = fw_put(r, SG_T_SIGNATURE, so.raw, so.raw_len);
    fw_zeroize(&so, sizeof so);
    return rc;
}

int fw_cmd_sign(fw_req *r)
{
    volatile uint32_t allow = 0, verdict = POL_REFUSE;
    const uint8_t *b;
    size_t len;
    sign_job j;
    fw_sign_req q;
    int rc, ca = 0;
    /* j.priv points into the store's buffer: every exit below wipes it. */
    if ((rc = resolve(r, &j, &q)))
        goto out;
    if ((ca = fw_key_is_ca(q.key))) {
        /* No room for the decision entry: no signature, decided or not. */
        if ((rc = fw_log_room(SG_LOG_EV_ISSUE_ACCEPTED))) {
            r->msg = rc == FW_E_LOG_FULL ? "enforcement log full: export it and have the SO acknowledge it"
                                         : "enforcement log unusable: nothing signed";
            goto out;
        }
        /* A CA key signs a whole TBSCertificate the policy accepts, or the
         * one digest this channel was authorized for. */
        rc = q.md != HAL_MD_NONE ? fw_ca_judge(r, &q, &verdict) : fw_authz_consume(r, &q, &verdict);
        if (rc) {
            if (rc == FW_E_POLICY)
                log_refusal(r, &q, SG_LOG_EV_ISSUE_REFUSED);
            goto out;
        }
        /* The decision read the store: load the key again. */
        if ((rc = fw_object_load(q.key, FW_REC_TYPE_KEY, &b, &len)) || (rc = key_fields(b, len, &j)))
            goto out;
    } else {
        verdict = POL_ACCEPT; /* per-key capabilities: a plain key signs */
    }
    if (verdict == POL_ACCEPT)
        allow = SIGN_ALLOWED;
    rc = sign_and_reply(r, &j, &q, ca, &allow, &verdict);
out:
    fw_store_wipe();
    return rc;
}

int fw_cmd_authorize(fw_req *r)
{
    volatile uint32_t verdict = POL_REFUSE;
    uint8_t digest[64];
    sign_job j;
    fw_sign_req q;
    int rc;
    rc = resolve(r, &j, &q);
    fw_store_wipe(); /* the private key is not needed here */
    if (rc)
        return rc;
    if (!fw_key_is_ca(q.key)) {
        r->msg = "not a CA key: nothing to authorize";
        return FW_E_PROHIBITED;
    }
    if (q.md == HAL_MD_NONE) {
        r->msg = "AUTHORIZE takes the hash-and-sign mechanism that names the hash";
        return FW_E_MECHANISM;
    }
    if ((rc = fw_log_room(SG_LOG_EV_AUTHZ_ACCEPTED))) {
        r->msg = "enforcement log full: export it and have the SO acknowledge it";
        return rc;
    }
    rc = fw_ca_judge(r, &q, &verdict);
    fw_store_wipe();
    if (rc) {
        if (rc == FW_E_POLICY)
            log_refusal(r, &q, SG_LOG_EV_AUTHZ_REFUSED);
        return rc;
    }
    if (verdict != POL_ACCEPT)
        return FW_E_POLICY;
    if (q.md == HAL_MD_SHA256)
        memcpy(digest, q.tbs_hash, 32);
    else if (hal_hash(q.md, q.data, q.data_len, digest))
        return FW_E_CRYPTO;
    return fw_authz_grant(r, &q, digest, hal_md_size(q.md));
}
