/* SPDX-License-Identifier: Apache-2.0 */
/* Key types, mechanisms, and signatures; what a CA key may sign is decided
 * in fw_authz.c, the commands are fw_cmd_keys.c's. Private keys leave the
 * store only into this file's buffers, which are wiped on one exit path. */
#include <string.h>
#include "../policy/pol.h"
#include "../policy/pol_evidence.h"
#include "fw_keys.h"
#include "mbedtls/asn1.h"     /* DER reading only */
#include "mbedtls/platform.h" /* the arena */
#include "sbrguard/hal_crypto.h"
#include "sbrguard/tlv.h"

#define PRIV_DER_MAX 2464 /* RSA-4096 PKCS#1 private key in a PKCS#8 wrapper, with margin */

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

/* Points j into a key record (the store's buffer). */
int fw_key_fields(const uint8_t *b, size_t len, fw_sign_job *j)
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
int fw_sign_resolve(fw_req *r, fw_sign_job *j, fw_sign_req *q)
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
    if (rc || (rc = fw_key_fields(b, len, j)))
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

/* Signs with the key in j into so. allow and verdict are checked once more
 * right before the private key is used; the loaded key comes from the
 * cache (parsed once), the decision never does. */
int fw_key_sign(const fw_sign_job *j, const fw_sign_req *q, const volatile uint32_t *allow,
                const volatile uint32_t *verdict, fw_sig_out *so)
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
    if (*allow != FW_SIGN_ALLOWED || *verdict != POL_ACCEPT) /* re-checked right before the key is used */
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


int fw_key_type(uint32_t t, unsigned *bits)
{
    int k = key_type_index(t);
    if (k < 0)
        return -1;
    *bits = key_types[k].bits;
    return key_types[k].rsa;
}
