/* SPDX-License-Identifier: Apache-2.0 */
/* C_VerifyInit/C_Verify/C_VerifyUpdate/C_VerifyFinal for every signing
 * mechanism, computed on the host with the module's mbedTLS against the
 * token's public key object: verifying needs no secret, so the token is
 * asked only for the key. */
#include <stdlib.h>
#include <string.h>
#include "mbedtls/ecdsa.h"
#include "mbedtls/md.h"
#include "mbedtls/pk.h"
#include "mbedtls/rsa.h"
#include "p11.h"

/* The public key object's SPKI, checked to be a token public key. */
static CK_RV p11_verify_key(CK_OBJECT_HANDLE key, const struct p11_mech *m, struct p11_verify *op)
{
    sg_client *c;
    if ((key & P11_H_SESSION) || (key >> 2) > 0xFFFF || (key & 3) == 0)
        return CKR_KEY_HANDLE_INVALID;
    if ((key & 3) != P11_K_PUB) /* private keys sign, certificates and data do neither */
        return (key & 3) == P11_K_PRIV ? CKR_KEY_FUNCTION_NOT_PERMITTED : CKR_KEY_HANDLE_INVALID;
    sg_object *o = malloc(sizeof(*o));
    if (!o)
        return CKR_HOST_MEMORY;
    CK_RV rv = p11_client(&c);
    if (rv == CKR_OK)
        rv = p11_check(sg_get_object(c, (uint16_t)(key >> 2), o), "get-object");
    if (rv == CKR_OBJECT_HANDLE_INVALID || rv == CKR_USER_NOT_LOGGED_IN ||
        (rv == CKR_OK && (o->cls != SG_CLASS_KEY || (o->flags & SG_OBJ_PUB_GONE))))
        rv = CKR_KEY_HANDLE_INVALID;
    else if (rv == CKR_OK && p11_key_family(o->key_type) != m->family)
        rv = CKR_KEY_TYPE_INCONSISTENT;
    else if (rv == CKR_OK && (mbedtls_pk_parse_public_key(&op->pk, o->pubkey, o->pubkey_len) != 0 ||
                              !(op->sig_len = sg_signature_len(o->key_type))))
        rv = CKR_DEVICE_ERROR; /* the token's key does not parse */
    free(o);
    return rv;
}

CK_RV C_VerifyInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
    struct p11_session *s;
    const struct p11_mech *m = NULL;
    struct p11_verify *op = NULL;
    CK_RV rv = p11_enter_session(hSession, &s);
    if (rv != CKR_OK)
        return rv;
    if (s->verify) {
        rv = CKR_OPERATION_ACTIVE;
        goto out;
    }
    if (!pMechanism) {
        rv = CKR_ARGUMENTS_BAD;
        goto out;
    }
    if (!(m = p11_mech_find(pMechanism->mechanism)) || !(m->flags & CKF_VERIFY)) {
        rv = CKR_MECHANISM_INVALID;
        goto out;
    }
    if (!(op = calloc(1, sizeof(*op)))) {
        rv = CKR_HOST_MEMORY;
        goto out;
    }
    op->m = m;
    mbedtls_pk_init(&op->pk);
    mbedtls_md_init(&op->md);
    if ((rv = p11_sign_params(m, pMechanism, &op->params)) != CKR_OK)
        goto out;
    /* MGF1 with the hash of the parameters, as the token signs (and as
     * mbedTLS verifies: one hash for both). */
    if (op->params.has_pss &&
        !((op->params.pss_hash == CKM_SHA256 && op->params.pss_mgf == CKG_MGF1_SHA256) ||
          (op->params.pss_hash == CKM_SHA384 && op->params.pss_mgf == CKG_MGF1_SHA384) ||
          (op->params.pss_hash == CKM_SHA512 && op->params.pss_mgf == CKG_MGF1_SHA512))) {
        rv = CKR_MECHANISM_PARAM_INVALID;
        goto out;
    }
    if ((rv = p11_verify_key(hKey, m, op)) != CKR_OK)
        goto out;
    if (m->hash) {
        const mbedtls_md_info_t *info = mbedtls_md_info_from_type(p11_md_type(m->hash));
        if (!info || mbedtls_md_setup(&op->md, info, 0) != 0 || mbedtls_md_starts(&op->md) != 0) {
            rv = CKR_HOST_MEMORY;
            goto out;
        }
        op->has_md = 1;
    }
    /* The link may have dropped (and closed s) meanwhile. */
    if (s->dead) {
        rv = CKR_SESSION_HANDLE_INVALID;
        goto out;
    }
    s->verify = op;
    op = NULL;
out:
    if (op) {
        mbedtls_pk_free(&op->pk);
        mbedtls_md_free(&op->md);
        free(op);
    }
    p11_leave();
    return rv;
}

static CK_RV p11_verify_feed(struct p11_verify *op, const CK_BYTE *in, CK_ULONG len)
{
    if (!len)
        return CKR_OK;
    if (op->has_md)
        return mbedtls_md_update(&op->md, in, len) == 0 ? CKR_OK : CKR_FUNCTION_FAILED;
    if (len > sizeof(op->raw) - op->raw_len)
        return CKR_DATA_LEN_RANGE;
    memcpy(op->raw + op->raw_len, in, len);
    op->raw_len += len;
    return CKR_OK;
}

/* ECDSA r||s (each the order's length) as the DER that mbedTLS verifies. */
static size_t p11_ecdsa_der(const uint8_t *sig, size_t len, uint8_t *out)
{
    size_t half = len / 2, o = 0, body = 0;
    size_t hl[2];
    const uint8_t *p[2] = {sig, sig + half};
    for (int i = 0; i < 2; i++) {
        size_t n = half;
        while (n > 1 && *p[i] == 0) {
            p[i]++;
            n--;
        }
        hl[i] = n + (*p[i] & 0x80 ? 1 : 0);
        body += 2 + (hl[i] >= 0x80) + hl[i];
    }
    out[o++] = 0x30;
    if (body >= 0x80)
        out[o++] = 0x81;
    out[o++] = (uint8_t)body;
    for (int i = 0; i < 2; i++) {
        out[o++] = 0x02;
        if (hl[i] >= 0x80)
            out[o++] = 0x81;
        out[o++] = (uint8_t)hl[i];
        size_t n = hl[i];
        if (*p[i] & 0x80) {
            out[o++] = 0;
            n--;
        }
        memcpy(out + o, p[i], n);
        o += n;
    }
    return o;
}

static CK_RV p11_verify_sig(struct p11_verify *op, const CK_BYTE *sig, CK_ULONG sig_len)
{
    uint8_t hash[MBEDTLS_MD_MAX_SIZE];
    const uint8_t *h = op->raw;
    size_t hl = op->raw_len;
    mbedtls_md_type_t md = MBEDTLS_MD_NONE;
    if (sig_len != op->sig_len)
        return CKR_SIGNATURE_LEN_RANGE;
    if (op->has_md) {
        md = p11_md_type(op->m->hash);
        if (mbedtls_md_finish(&op->md, hash) != 0)
            return CKR_FUNCTION_FAILED;
        h = hash;
        hl = mbedtls_md_get_size(mbedtls_md_info_from_type(md));
    }
    int r;
    if (op->m->family == P11_EC) {
        uint8_t der[2 * 70 + 8];
        if (sig_len > 2 * 66 || hl == 0)
            return hl == 0 ? CKR_DATA_LEN_RANGE : CKR_SIGNATURE_LEN_RANGE;
        size_t dl = p11_ecdsa_der(sig, sig_len, der);
        r = mbedtls_pk_verify(&op->pk, MBEDTLS_MD_NONE, h, hl, der, dl);
    } else {
        mbedtls_rsa_context *rsa = mbedtls_pk_rsa(op->pk);
        if (op->m->pss) {
            mbedtls_md_type_t ph = p11_md_type(op->params.pss_hash);
            size_t want = mbedtls_md_get_size(mbedtls_md_info_from_type(ph));
            if (hl != want)
                return CKR_DATA_LEN_RANGE;
            r = mbedtls_rsa_rsassa_pss_verify_ext(rsa, ph, (unsigned)hl, h, ph, (int)op->params.pss_slen, sig);
        } else {
            if (!op->has_md && hl > sig_len - 11)
                return CKR_DATA_LEN_RANGE;
            /* Raw CKM_RSA_PKCS: the data (a DigestInfo) is the padded block. */
            r = mbedtls_rsa_rsassa_pkcs1_v15_verify(rsa, md, (unsigned)hl, h, sig);
        }
    }
    return r == 0 ? CKR_OK : CKR_SIGNATURE_INVALID;
}

CK_RV C_Verify(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen,
               CK_BYTE_PTR pSignature, CK_ULONG ulSignatureLen)
{
    struct p11_session *s;
    CK_RV rv = p11_enter_op(hSession, P11_OP_VERIFY, &s);
    if (rv != CKR_OK)
        return rv;
    if (s->verify->multipart) {
        rv = CKR_OPERATION_ACTIVE; /* C_Verify cannot end a multi-part operation */
    } else {
        /* One-shot: whatever the outcome, the operation ends (spec 5.13). */
        if ((!pData && ulDataLen) || !pSignature)
            rv = CKR_ARGUMENTS_BAD;
        else if ((rv = p11_verify_feed(s->verify, pData, ulDataLen)) == CKR_OK)
            rv = p11_verify_sig(s->verify, pSignature, ulSignatureLen);
        p11_verify_reset(s);
    }
    p11_leave();
    return rv;
}

CK_RV C_VerifyUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen)
{
    struct p11_session *s;
    CK_RV rv = p11_enter_op(hSession, P11_OP_VERIFY, &s);
    if (rv != CKR_OK)
        return rv;
    if (!pPart && ulPartLen)
        rv = CKR_ARGUMENTS_BAD;
    else
        rv = p11_verify_feed(s->verify, pPart, ulPartLen);
    if (rv == CKR_OK)
        s->verify->multipart = 1;
    else
        p11_verify_reset(s); /* an error in C_VerifyUpdate ends the operation */
    p11_leave();
    return rv;
}

CK_RV C_VerifyFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSignature, CK_ULONG ulSignatureLen)
{
    struct p11_session *s;
    CK_RV rv = p11_enter_op(hSession, P11_OP_VERIFY, &s);
    if (rv != CKR_OK)
        return rv;
    rv = pSignature ? p11_verify_sig(s->verify, pSignature, ulSignatureLen) : CKR_ARGUMENTS_BAD;
    p11_verify_reset(s);
    p11_leave();
    return rv;
}
