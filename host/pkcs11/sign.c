/* SPDX-License-Identifier: Apache-2.0 */
/* C_SignInit/C_Sign/C_SignUpdate/C_SignFinal. Multi-part data is buffered
 * here and goes to the token as one SG_CMD_SIGN, because the token's policy
 * must see a whole TBSCertificate. */
#include <stdlib.h>
#include <string.h>
#include "p11.h"

static CK_RV p11_sign_params(const struct p11_mech *m, const CK_MECHANISM *mech, sg_mech *out)
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

static CK_RV p11_sign_init(struct p11_session *s, CK_MECHANISM_PTR mech, CK_OBJECT_HANDLE key)
{
    struct p11_sign *op = &s->sign;
    const struct p11_mech *m;
    sg_client *c;
    CK_RV rv;
    if (op->active)
        return CKR_OPERATION_ACTIVE;
    if (!mech)
        return CKR_ARGUMENTS_BAD;
    if (!(m = p11_mech_find(mech->mechanism)) || !(m->flags & CKF_SIGN))
        return CKR_MECHANISM_INVALID;
    if ((rv = p11_sign_params(m, mech, &op->mech)) != CKR_OK)
        return rv;
    if ((key & P11_H_SESSION) || (key & 3) != P11_K_PRIV || (key >> 2) > 0xFFFF) {
        /* Public keys, certificates and data objects cannot sign. */
        return !(key & P11_H_SESSION) && (key & 3) == P11_K_PUB ? CKR_KEY_FUNCTION_NOT_PERMITTED
                                                                : CKR_KEY_HANDLE_INVALID;
    }
    if (p11_g.login != SG_LOGIN_USER)
        return CKR_USER_NOT_LOGGED_IN;
    sg_object *o = malloc(sizeof(*o));
    if (!o)
        return CKR_HOST_MEMORY;
    if ((rv = p11_client(&c)) == CKR_OK)
        rv = p11_check(sg_get_object(c, (uint16_t)(key >> 2), o), "get-object");
    if (rv == CKR_OBJECT_HANDLE_INVALID || (rv == CKR_OK && o->cls != SG_CLASS_KEY))
        rv = CKR_KEY_HANDLE_INVALID;
    else if (rv == CKR_OK && p11_key_family(o->key_type) != m->family)
        rv = CKR_KEY_TYPE_INCONSISTENT;
    if (rv == CKR_OK) {
        op->active = 1;
        op->multipart = 0;
        op->key = o->handle;
        op->key_type = o->key_type;
        op->sig_len = sg_signature_len(o->key_type);
        op->len = 0;
        if (op->sig_len == 0)
            rv = CKR_KEY_TYPE_INCONSISTENT;
    }
    free(o);
    if (rv != CKR_OK)
        p11_sign_reset(op);
    return rv;
}

CK_RV C_SignInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
    CK_RV rv = p11_enter();
    if (rv != CKR_OK)
        return rv;
    struct p11_session *s;
    rv = p11_session_get(hSession, &s);
    if (rv == CKR_OK)
        rv = p11_sign_init(s, pMechanism, hKey);
    p11_leave();
    return rv;
}

/* Signs data; keeps the operation for a length query or a short buffer,
 * ends it otherwise (spec). */
static CK_RV p11_sign_do(struct p11_sign *op, const uint8_t *data, size_t len, CK_BYTE_PTR sig,
                         CK_ULONG_PTR sig_len)
{
    sg_client *c;
    CK_RV rv;
    if (!sig_len) {
        rv = CKR_ARGUMENTS_BAD;
        goto end;
    }
    if (!sig) {
        *sig_len = op->sig_len;
        return CKR_OK;
    }
    if (*sig_len < op->sig_len) {
        *sig_len = op->sig_len;
        return CKR_BUFFER_TOO_SMALL;
    }
    if (len > SG_MAX_SIGN_DATA) {
        rv = CKR_DATA_LEN_RANGE;
        goto end;
    }
    size_t n = *sig_len;
    if ((rv = p11_client(&c)) == CKR_OK)
        rv = p11_check(sg_sign(c, op->key, &op->mech, data, len, sig, &n), "sign");
    if (rv == CKR_OK)
        *sig_len = n;
end:
    p11_sign_reset(op);
    return rv;
}

CK_RV C_Sign(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen,
             CK_BYTE_PTR pSignature, CK_ULONG_PTR pulSignatureLen)
{
    CK_RV rv = p11_enter();
    if (rv != CKR_OK)
        return rv;
    struct p11_session *s;
    rv = p11_session_get(hSession, &s);
    if (rv == CKR_OK && !s->sign.active)
        rv = CKR_OPERATION_NOT_INITIALIZED;
    else if (rv == CKR_OK && s->sign.multipart)
        rv = CKR_OPERATION_ACTIVE; /* C_Sign cannot end a multi-part operation */
    else if (rv == CKR_OK && !pData && ulDataLen) {
        p11_sign_reset(&s->sign);
        rv = CKR_ARGUMENTS_BAD;
    } else if (rv == CKR_OK) {
        rv = p11_sign_do(&s->sign, pData, ulDataLen, pSignature, pulSignatureLen);
    }
    p11_leave();
    return rv;
}

CK_RV C_SignUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen)
{
    CK_RV rv = p11_enter();
    if (rv != CKR_OK)
        return rv;
    struct p11_session *s;
    struct p11_sign *op;
    if ((rv = p11_session_get(hSession, &s)) != CKR_OK)
        goto out;
    op = &s->sign;
    if (!op->active) {
        rv = CKR_OPERATION_NOT_INITIALIZED;
    } else if (!pPart && ulPartLen) {
        rv = CKR_ARGUMENTS_BAD;
    } else if (ulPartLen > SG_MAX_SIGN_DATA - op->len) {
        rv = CKR_DATA_LEN_RANGE; /* one SG_CMD_SIGN is all the token takes */
    } else if (!op->buf && !(op->buf = malloc(SG_MAX_SIGN_DATA))) {
        rv = CKR_HOST_MEMORY;
    } else {
        if (ulPartLen)
            memcpy(op->buf + op->len, pPart, ulPartLen);
        op->len += ulPartLen;
        op->multipart = 1;
    }
    if (rv != CKR_OK && rv != CKR_OPERATION_NOT_INITIALIZED)
        p11_sign_reset(op);
out:
    p11_leave();
    return rv;
}

CK_RV C_SignFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSignature,
                  CK_ULONG_PTR pulSignatureLen)
{
    CK_RV rv = p11_enter();
    if (rv != CKR_OK)
        return rv;
    struct p11_session *s;
    rv = p11_session_get(hSession, &s);
    if (rv == CKR_OK && !s->sign.active)
        rv = CKR_OPERATION_NOT_INITIALIZED;
    else if (rv == CKR_OK)
        rv = p11_sign_do(&s->sign, s->sign.buf, s->sign.len, pSignature, pulSignatureLen);
    p11_leave();
    return rv;
}
