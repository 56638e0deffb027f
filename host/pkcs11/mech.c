/* SPDX-License-Identifier: Apache-2.0 */
/* The mechanism table (what the token signs with, what the host digests
 * and verifies) and the checks of a mechanism's parameters that signing
 * and verifying share. */
#include <string.h>
#include "mbedtls/md.h"
#include "p11.h"

#define P11_EC_FLAGS (CKF_EC_F_P | CKF_EC_NAMEDCURVE | CKF_EC_UNCOMPRESS)

/* Mechanisms the token implements; key sizes in bits. Signing is the
 * token's; verification runs on the host (verify.c). */
static const struct p11_mech p11_mechs[] = {
    {CKM_EC_KEY_PAIR_GEN, 256, 521, CKF_HW | CKF_GENERATE_KEY_PAIR | P11_EC_FLAGS, P11_EC, 0, 0},
    {CKM_ECDSA, 256, 521, CKF_HW | CKF_SIGN | CKF_VERIFY | P11_EC_FLAGS, P11_EC, 0, 0},
    {CKM_ECDSA_SHA256, 256, 521, CKF_HW | CKF_SIGN | CKF_VERIFY | P11_EC_FLAGS, P11_EC, 0, CKM_SHA256},
    {CKM_ECDSA_SHA384, 256, 521, CKF_HW | CKF_SIGN | CKF_VERIFY | P11_EC_FLAGS, P11_EC, 0, CKM_SHA384},
    {CKM_ECDSA_SHA512, 256, 521, CKF_HW | CKF_SIGN | CKF_VERIFY | P11_EC_FLAGS, P11_EC, 0, CKM_SHA512},
    {CKM_RSA_PKCS_KEY_PAIR_GEN, 2048, 4096, CKF_HW | CKF_GENERATE_KEY_PAIR, P11_RSA, 0, 0},
    {CKM_RSA_PKCS, 2048, 4096, CKF_HW | CKF_SIGN | CKF_VERIFY, P11_RSA, 0, 0},
    {CKM_SHA256_RSA_PKCS, 2048, 4096, CKF_HW | CKF_SIGN | CKF_VERIFY, P11_RSA, 0, CKM_SHA256},
    {CKM_SHA384_RSA_PKCS, 2048, 4096, CKF_HW | CKF_SIGN | CKF_VERIFY, P11_RSA, 0, CKM_SHA384},
    {CKM_SHA512_RSA_PKCS, 2048, 4096, CKF_HW | CKF_SIGN | CKF_VERIFY, P11_RSA, 0, CKM_SHA512},
    {CKM_RSA_PKCS_PSS, 2048, 4096, CKF_HW | CKF_SIGN | CKF_VERIFY, P11_RSA, 1, 0},
    {CKM_SHA256_RSA_PKCS_PSS, 2048, 4096, CKF_HW | CKF_SIGN | CKF_VERIFY, P11_RSA, 1, CKM_SHA256},
    {CKM_SHA384_RSA_PKCS_PSS, 2048, 4096, CKF_HW | CKF_SIGN | CKF_VERIFY, P11_RSA, 1, CKM_SHA384},
    {CKM_SHA512_RSA_PKCS_PSS, 2048, 4096, CKF_HW | CKF_SIGN | CKF_VERIFY, P11_RSA, 1, CKM_SHA512},
    /* Digests run on the host (digest.c): no CKF_HW, no key sizes. */
    {CKM_SHA256, 0, 0, CKF_DIGEST, 0, 0, 0},
    {CKM_SHA384, 0, 0, CKF_DIGEST, 0, 0, 0},
    {CKM_SHA512, 0, 0, CKF_DIGEST, 0, 0, 0},
};
#define P11_NMECHS (sizeof(p11_mechs) / sizeof(p11_mechs[0]))
_Static_assert(P11_NMECHS <= P11_MECHS_MAX, "P11_MECHS_MAX");

const struct p11_mech *p11_mech_find(CK_MECHANISM_TYPE type)
{
    for (size_t i = 0; i < P11_NMECHS; i++)
        if (p11_mechs[i].type == type)
            return &p11_mechs[i];
    return NULL;
}

size_t p11_mechs_for(int family, CK_FLAGS flag, CK_MECHANISM_TYPE *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < P11_NMECHS; i++)
        if (p11_mechs[i].family == family && (p11_mechs[i].flags & flag) && n < cap)
            out[n++] = p11_mechs[i].type;
    return n;
}

int p11_key_family(int key_type)
{
    switch (key_type) {
    case SG_KEY_EC_P256: case SG_KEY_EC_P384: case SG_KEY_EC_P521:
        return P11_EC;
    case SG_KEY_RSA_2048: case SG_KEY_RSA_3072: case SG_KEY_RSA_4096:
        return P11_RSA;
    default:
        return 0;
    }
}

const struct p11_mech *p11_mech_table(size_t *n)
{
    *n = P11_NMECHS;
    return p11_mechs;
}

mbedtls_md_type_t p11_md_type(CK_MECHANISM_TYPE m)
{
    switch (m) {
    case CKM_SHA256: return MBEDTLS_MD_SHA256;
    case CKM_SHA384: return MBEDTLS_MD_SHA384;
    case CKM_SHA512: return MBEDTLS_MD_SHA512;
    default: return MBEDTLS_MD_NONE;
    }
}

CK_RV p11_sign_params(const struct p11_mech *m, const CK_MECHANISM *mech, sg_mech *out)
{
    memset(out, 0, sizeof(*out));
    out->mech = (uint32_t)m->type;
    if (!m->pss)
        return mech->pParameter || mech->ulParameterLen ? CKR_MECHANISM_PARAM_INVALID : CKR_OK;
    if (!mech->pParameter || mech->ulParameterLen != sizeof(CK_RSA_PKCS_PSS_PARAMS))
        return CKR_MECHANISM_PARAM_INVALID;
    CK_RSA_PKCS_PSS_PARAMS p;
    memcpy(&p, mech->pParameter, sizeof(p));
    static const struct {
        CK_MECHANISM_TYPE hash;
        CK_RSA_PKCS_MGF_TYPE mgf;
    } ok[] = {
        {CKM_SHA256, CKG_MGF1_SHA256},
        {CKM_SHA384, CKG_MGF1_SHA384},
        {CKM_SHA512, CKG_MGF1_SHA512},
    };
    int hash_ok = 0, mgf_ok = 0;
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        hash_ok |= p.hashAlg == ok[i].hash;
        mgf_ok |= p.mgf == ok[i].mgf;
    }
    /* Hash-and-sign PSS: the parameters must name the mechanism's hash. */
    if (!hash_ok || !mgf_ok || (m->hash && p.hashAlg != m->hash) || p.sLen > 0xFFFFFFFFul)
        return CKR_MECHANISM_PARAM_INVALID;
    out->has_pss = 1;
    out->pss_hash = (uint32_t)p.hashAlg;
    out->pss_mgf = (uint32_t)p.mgf;
    out->pss_slen = (uint32_t)p.sLen;
    return CKR_OK;
}
