/* SPDX-License-Identifier: Apache-2.0 */
/* C_Digest*: SHA-256/384/512 computed on the host with the module's mbedTLS.
 * A digest needs no secret, so the token is not asked. */
#include <stdlib.h>
#include "mbedtls/md.h"
#include "p11.h"

CK_RV C_DigestInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism)
{
    struct p11_session *s;
    mbedtls_md_type_t t = MBEDTLS_MD_NONE;
    CK_RV rv = p11_enter_session(hSession, &s);
    if (rv != CKR_OK)
        return rv;
    if (!pMechanism)
        rv = CKR_ARGUMENTS_BAD;
    else if (s->digest)
        rv = CKR_OPERATION_ACTIVE;
    else if ((t = p11_md_type(pMechanism->mechanism)) == MBEDTLS_MD_NONE)
        rv = CKR_MECHANISM_INVALID;
    else if (pMechanism->pParameter || pMechanism->ulParameterLen)
        rv = CKR_MECHANISM_PARAM_INVALID;
    else if (!(s->digest = calloc(1, sizeof(*s->digest))))
        rv = CKR_HOST_MEMORY;
    if (rv != CKR_OK)
        goto out;
    const mbedtls_md_info_t *info = mbedtls_md_info_from_type(t);
    mbedtls_md_init(&s->digest->md);
    s->digest->len = mbedtls_md_get_size(info);
    if (mbedtls_md_setup(&s->digest->md, info, 0) != 0 || mbedtls_md_starts(&s->digest->md) != 0) {
        p11_digest_reset(s);
        rv = CKR_HOST_MEMORY;
    }
out:
    p11_leave();
    return rv;
}

/* Output length rules (spec 5.2): NULL asks the length, short buffer keeps
 * the operation; anything else ends it. */
static CK_RV p11_digest_out(struct p11_session *s, const CK_BYTE *in, CK_ULONG in_len,
                            CK_BYTE_PTR out, CK_ULONG_PTR out_len)
{
    CK_RV rv = CKR_OK;
    if (!out_len) {
        rv = CKR_ARGUMENTS_BAD;
    } else if (!out) {
        *out_len = s->digest->len;
        return CKR_OK;
    } else if (*out_len < s->digest->len) {
        *out_len = s->digest->len;
        return CKR_BUFFER_TOO_SMALL;
    } else if ((in_len && mbedtls_md_update(&s->digest->md, in, in_len) != 0) ||
               mbedtls_md_finish(&s->digest->md, out) != 0) {
        rv = CKR_FUNCTION_FAILED;
    } else {
        *out_len = s->digest->len;
    }
    p11_digest_reset(s);
    return rv;
}

CK_RV C_Digest(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen,
               CK_BYTE_PTR pDigest, CK_ULONG_PTR pulDigestLen)
{
    struct p11_session *s;
    CK_RV rv = p11_enter_op(hSession, P11_OP_DIGEST, &s);
    if (rv != CKR_OK)
        return rv;
    if (s->digest->multipart) {
        rv = CKR_OPERATION_ACTIVE; /* C_Digest cannot end a multi-part operation */
    } else if (!pData && ulDataLen) {
        p11_digest_reset(s);
        rv = CKR_ARGUMENTS_BAD;
    } else {
        rv = p11_digest_out(s, pData, ulDataLen, pDigest, pulDigestLen);
    }
    p11_leave();
    return rv;
}

CK_RV C_DigestUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen)
{
    struct p11_session *s;
    CK_RV rv = p11_enter_op(hSession, P11_OP_DIGEST, &s);
    if (rv != CKR_OK)
        return rv;
    if (!pPart && ulPartLen) {
        rv = CKR_ARGUMENTS_BAD;
    } else if (ulPartLen && mbedtls_md_update(&s->digest->md, pPart, ulPartLen) != 0) {
        rv = CKR_FUNCTION_FAILED;
    } else {
        s->digest->multipart = 1;
    }
    if (rv != CKR_OK)
        p11_digest_reset(s); /* an error in C_DigestUpdate ends the operation */
    p11_leave();
    return rv;
}

/* The token's keys are asymmetric and their secret halves never leave it:
 * no key is digestible (C_DigestKey digests secret keys only); a handle
 * that is no key at all is CKR_KEY_HANDLE_INVALID. The error ends the
 * operation like any other. */
CK_RV C_DigestKey(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hKey)
{
    struct p11_session *s;
    CK_RV rv = p11_enter_op(hSession, P11_OP_DIGEST, &s);
    if (rv != CKR_OK)
        return rv;
    CK_OBJECT_CLASS cls = CKO_DATA;
    CK_RV crv = hKey == CK_INVALID_HANDLE ? CKR_OBJECT_HANDLE_INVALID : p11_object_class(hKey, &cls);
    if (crv == CKR_OBJECT_HANDLE_INVALID || (crv == CKR_OK && cls != CKO_PRIVATE_KEY && cls != CKO_PUBLIC_KEY))
        rv = CKR_KEY_HANDLE_INVALID;
    else
        rv = crv == CKR_OK ? CKR_KEY_INDIGESTIBLE : crv;
    if (!s->dead) /* else the link dropped meanwhile: the session is gone already */
        p11_digest_reset(s);
    p11_leave();
    return rv;
}

CK_RV C_DigestFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pDigest, CK_ULONG_PTR pulDigestLen)
{
    struct p11_session *s;
    CK_RV rv = p11_enter_op(hSession, P11_OP_DIGEST, &s);
    if (rv != CKR_OK)
        return rv;
    rv = p11_digest_out(s, NULL, 0, pDigest, pulDigestLen);
    p11_leave();
    return rv;
}
