/* SPDX-License-Identifier: Apache-2.0 */
/* C_SignInit/C_Sign/C_SignUpdate/C_SignFinal. Multi-part data is buffered
 * here and goes to the token as one SG_CMD_SIGN, because the token's policy
 * must see a whole TBSCertificate. A CA key's raw-digest signature needs a
 * pre-authorization on this connection: the vendor mechanism
 * CKM_SBRGUARD_AUTHORIZE(m), or SBRGUARD_P11_AUTHORIZE (pkcs11_vendor.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mbedtls/base64.h"
#include "p11.h"

#define P11_AUTHZ_MASK 0xFFFF0000UL

/* Hash-and-sign mechanisms a TBS may announce, with their raw counterpart. */
static const struct {
    CK_MECHANISM_TYPE mech, hash, mgf;
    size_t hlen, out_len; /* what the raw signature is given */
} p11_authz_targets[] = {
    {CKM_ECDSA_SHA256, CKM_SHA256, CKG_MGF1_SHA256, 32, 32},
    {CKM_ECDSA_SHA384, CKM_SHA384, CKG_MGF1_SHA384, 48, 48},
    {CKM_ECDSA_SHA512, CKM_SHA512, CKG_MGF1_SHA512, 64, 64},
    {CKM_SHA256_RSA_PKCS, CKM_SHA256, CKG_MGF1_SHA256, 32, 19 + 32},
    {CKM_SHA384_RSA_PKCS, CKM_SHA384, CKG_MGF1_SHA384, 48, 19 + 48},
    {CKM_SHA512_RSA_PKCS, CKM_SHA512, CKG_MGF1_SHA512, 64, 19 + 64},
    {CKM_SHA256_RSA_PKCS_PSS, CKM_SHA256, CKG_MGF1_SHA256, 32, 32},
    {CKM_SHA384_RSA_PKCS_PSS, CKM_SHA384, CKG_MGF1_SHA384, 48, 48},
    {CKM_SHA512_RSA_PKCS_PSS, CKM_SHA512, CKG_MGF1_SHA512, 64, 64},
};
#define P11_N_TARGETS (sizeof(p11_authz_targets) / sizeof(p11_authz_targets[0]))

static size_t p11_authz_target(CK_MECHANISM_TYPE m)
{
    size_t i;
    for (i = 0; i < P11_N_TARGETS && p11_authz_targets[i].mech != m; i++)
        ;
    return i;
}

static int p11_is_authz(CK_MECHANISM_TYPE m)
{
    return (m & P11_AUTHZ_MASK) == (SG_P11_VENDOR_BASE & P11_AUTHZ_MASK);
}

/* The mechanism and PSS parameters SG_CMD_AUTHORIZE is given for target t:
 * PSS with the SBR's parameters (salt = hash length) unless given. */
static void p11_authz_mech(size_t t, const sg_mech *given, sg_mech *out)
{
    memset(out, 0, sizeof(*out));
    out->mech = (uint32_t)p11_authz_targets[t].mech;
    if (given && given->has_pss) {
        *out = *given;
        out->mech = (uint32_t)p11_authz_targets[t].mech;
    } else if (out->mech >= CKM_SHA256_RSA_PKCS_PSS && out->mech <= CKM_SHA512_RSA_PKCS_PSS) {
        out->has_pss = 1;
        out->pss_hash = (uint32_t)p11_authz_targets[t].hash;
        out->pss_mgf = (uint32_t)p11_authz_targets[t].mgf;
        out->pss_slen = (uint32_t)p11_authz_targets[t].hlen;
    }
}

/* The last private key C_SignInit looked up on this connection, so that
 * signing again with it costs no GET_OBJECT round trip. The token checks
 * the handle, the key's type against the mechanism and the login again on
 * every SIGN; this only saves the early answer. Under the slot lock. */
#define p11_sign_memo (p11_g.sign_memo) /* one per slot */

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
    size_t t = P11_N_TARGETS;
    if (p11_is_authz(mech->mechanism)) {
        /* CKM_SBRGUARD_AUTHORIZE(m): checked as m, output what the raw signature takes. */
        t = p11_authz_target(mech->mechanism & ~P11_AUTHZ_MASK);
        if (t == P11_N_TARGETS || !(m = p11_mech_find(p11_authz_targets[t].mech)))
            return CKR_MECHANISM_INVALID;
        if ((mech->pParameter || mech->ulParameterLen) && !m->pss)
            return CKR_MECHANISM_PARAM_INVALID;
        CK_MECHANISM inner = {m->type, mech->pParameter, mech->ulParameterLen};
        if (m->pss && mech->pParameter && (rv = p11_sign_params(m, &inner, &op->mech)) != CKR_OK)
            return rv;
        if (!mech->pParameter)
            memset(&op->mech, 0, sizeof(op->mech));
        op->mech.mech = (uint32_t)mech->mechanism;
    } else {
        if (!(m = p11_mech_find(mech->mechanism)) || !(m->flags & CKF_SIGN))
            return CKR_MECHANISM_INVALID;
        if ((rv = p11_sign_params(m, mech, &op->mech)) != CKR_OK)
            return rv;
    }
    if ((key & P11_H_SESSION) || (key & 3) != P11_K_PRIV || (key >> 2) > 0xFFFF) {
        /* Public keys, certificates and data objects cannot sign. */
        return !(key & P11_H_SESSION) && (key & 3) == P11_K_PUB ? CKR_KEY_FUNCTION_NOT_PERMITTED
                                                                : CKR_KEY_HANDLE_INVALID;
    }
    if (p11_g.login != SG_LOGIN_USER)
        return CKR_USER_NOT_LOGGED_IN;
    if ((rv = p11_client(&c)) != CKR_OK)
        return rv;
    sg_object *o = calloc(1, sizeof(*o)); /* the memo path fills only cls, handle, key_type */
    if (!o)
        return CKR_HOST_MEMORY;
    /* p11_client has just checked the link (sg_alive); a lost link drops
     * the memo (p11_link_lost). */
    if (p11_sign_memo.valid && p11_sign_memo.key == (uint16_t)(key >> 2)) {
        o->cls = SG_CLASS_KEY;
        o->handle = p11_sign_memo.key;
        o->key_type = p11_sign_memo.key_type;
    } else {
        p11_sign_memo.valid = 0;
        rv = p11_check(sg_get_object(c, (uint16_t)(key >> 2), o), "get-object");
        if (rv == CKR_OK && o->cls == SG_CLASS_KEY && !(o->flags & SG_OBJ_PRIV_GONE) && o->handle == (uint16_t)(key >> 2)) {
            p11_sign_memo.key = o->handle;
            p11_sign_memo.key_type = o->key_type;
            p11_sign_memo.valid = 1;
        }
    }
    if (rv == CKR_OBJECT_HANDLE_INVALID || (rv == CKR_OK && (o->cls != SG_CLASS_KEY || (o->flags & SG_OBJ_PRIV_GONE))))
        rv = CKR_KEY_HANDLE_INVALID;
    else if (rv == CKR_OK && p11_key_family(o->key_type) != m->family)
        rv = CKR_KEY_TYPE_INCONSISTENT;
    if (rv == CKR_OK) {
        op->active = 1;
        op->multipart = 0;
        op->owner = s->handle;
        op->key = o->handle;
        op->key_type = o->key_type;
        op->sig_len = sg_signature_len(o->key_type);
        op->len = 0;
        if (op->sig_len == 0)
            rv = CKR_KEY_TYPE_INCONSISTENT;
        if (t < P11_N_TARGETS)
            op->sig_len = p11_authz_targets[t].out_len;
    }
    free(o);
    if (rv != CKR_OK)
        p11_sign_reset(op);
    return rv;
}

CK_RV C_SignInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
    struct p11_session *s;
    CK_RV rv = p11_enter_session(hSession, &s);
    if (rv != CKR_OK)
        return rv;
    rv = p11_sign_init(s, pMechanism, hKey);
    p11_leave();
    return rv;
}

/* SG_CMD_AUTHORIZE for CKM_SBRGUARD_AUTHORIZE(m): out gets what the one raw
 * signature must be given. */
static CK_RV p11_authorize(sg_client *c, const struct p11_sign *op, const uint8_t *tbs, size_t len,
                           CK_BYTE_PTR out, CK_ULONG_PTR out_len)
{
    sg_mech am;
    sg_authz az;
    size_t t = p11_authz_target(op->mech.mech & ~P11_AUTHZ_MASK);
    if (t == P11_N_TARGETS)
        return CKR_MECHANISM_INVALID;
    p11_authz_mech(t, &op->mech, &am);
    CK_RV rv = p11_check(sg_authorize(c, op->key, &am, tbs, len, &az), "authorize");
    if (rv != CKR_OK)
        return rv;
    if (az.data_len > *out_len)
        return CKR_DEVICE_ERROR; /* the token answered other than the mechanism says */
    memcpy(out, az.data, az.data_len);
    *out_len = az.data_len;
    return CKR_OK;
}

/* Reads a DER file, or the first PEM block of one, into buf (cap bytes). */
static int p11_read_der(const char *path, uint8_t *buf, size_t cap, size_t *len)
{
    FILE *f = fopen(path, "rb");
    size_t n;
    if (!f)
        return -1;
    n = fread(buf, 1, cap, f);
    int big = n == cap && fgetc(f) != EOF;
    fclose(f);
    if (big || n == 0)
        return -1;
    const uint8_t *b = memmem(buf, n, "-----BEGIN ", 11);
    if (!b) {
        *len = n;
        return 0;
    }
    const uint8_t *s = memchr(b, '\n', n - (size_t)(b - buf));
    const uint8_t *e = s ? memmem(s, n - (size_t)(s - buf), "-----END ", 9) : NULL;
    size_t olen = 0;
    uint8_t *der = e ? malloc(cap) : NULL;
    int rc = !der || mbedtls_base64_decode(der, cap, &olen, s, (size_t)(e - s)) ? -1 : 0;
    if (rc == 0) {
        memcpy(buf, der, olen);
        *len = olen;
    }
    free(der);
    return rc;
}

static CK_RV p11_env_evidence(sg_client *c);

/* SBRGUARD_P11_AUTHORIZE=FILE: for applications that cannot call the vendor
 * mechanism, the module submits FILE's TBS on this connection right before
 * the process's first raw signature with a CA key. The token still judges
 * it and still requires the digest to be that TBS's. */
static CK_RV p11_env_authorize(sg_client *c, const struct p11_sign *op, size_t len)
{
    static int done;
    const char *path = getenv("SBRGUARD_P11_AUTHORIZE");
    CK_MECHANISM_TYPE raw = op->mech.mech, target = 0;
    if (done || !path || !*path || (raw != CKM_ECDSA && raw != CKM_RSA_PKCS && raw != CKM_RSA_PKCS_PSS))
        return CKR_OK;
    sg_object *o = calloc(1, sizeof(*o));
    uint8_t *tbs = malloc(SG_MAX_SIGN_DATA + 1);
    size_t tl = 0;
    CK_RV rv = o && tbs ? CKR_OK : CKR_HOST_MEMORY;
    if (rv == CKR_OK)
        rv = p11_check(sg_get_object(c, op->key, o), "get-object");
    if (rv != CKR_OK || !(o->flags & SG_OBJ_CA))
        goto out; /* a plain key signs without */
    done = 1;
    if (raw == CKM_ECDSA)
        target = o->key_type == SG_KEY_EC_P256 ? CKM_ECDSA_SHA256
               : o->key_type == SG_KEY_EC_P384 ? CKM_ECDSA_SHA384 : CKM_ECDSA_SHA512;
    else if (raw == CKM_RSA_PKCS)
        target = len == 19 + 32 ? CKM_SHA256_RSA_PKCS : len == 19 + 48 ? CKM_SHA384_RSA_PKCS : CKM_SHA512_RSA_PKCS;
    else
        target = op->mech.pss_hash == CKM_SHA256 ? CKM_SHA256_RSA_PKCS_PSS
               : op->mech.pss_hash == CKM_SHA384 ? CKM_SHA384_RSA_PKCS_PSS : CKM_SHA512_RSA_PKCS_PSS;
    if ((rv = p11_env_evidence(c)) != CKR_OK)
        goto out;
    if (p11_read_der(path, tbs, SG_MAX_SIGN_DATA + 1, &tl) || tl > SG_MAX_SIGN_DATA) {
        if (p11_debug())
            fprintf(stderr, "sbrguard-pkcs11: SBRGUARD_P11_AUTHORIZE=%s: not a readable DER or PEM TBS\n", path);
        rv = CKR_FUNCTION_FAILED;
        goto out;
    }
    sg_mech am;
    p11_authz_mech(p11_authz_target(target), raw == CKM_RSA_PKCS_PSS ? &op->mech : NULL, &am);
    rv = p11_check(sg_authorize(c, op->key, &am, tbs, tl, NULL), "authorize (SBRGUARD_P11_AUTHORIZE)");
    (void)sg_set_evidence(c, NULL, 0);
out:
    free(o);
    free(tbs);
    return rv;
}

/* SBRGUARD_P11_EVIDENCE=FILE, for applications that cannot create objects. */
static CK_RV p11_env_evidence(sg_client *c)
{
    const char *path = getenv("SBRGUARD_P11_EVIDENCE");
    uint8_t *buf;
    size_t len = 0;
    if (!path || !*path)
        return p11_check(sg_set_evidence(c, NULL, 0), "evidence");
    if (!(buf = malloc(SG_MAX_EVIDENCE + 1)))
        return CKR_HOST_MEMORY;
    CK_RV rv = CKR_OK;
    if (p11_read_der(path, buf, SG_MAX_EVIDENCE + 1, &len) || len > SG_MAX_EVIDENCE) {
        if (p11_debug())
            fprintf(stderr, "sbrguard-pkcs11: SBRGUARD_P11_EVIDENCE=%s: not a readable DER or PEM file\n", path);
        rv = CKR_FUNCTION_FAILED;
    } else {
        rv = p11_check(sg_set_evidence(c, buf, len), "evidence");
    }
    free(buf);
    return rv;
}

/* The session's newest evidence object, else SBRGUARD_P11_EVIDENCE, goes
 * with a TBS the token judges (hash-and-sign, authorization); nothing goes
 * with a raw digest. */
static CK_RV p11_attach_evidence(sg_client *c, const struct p11_sign *op, int judged)
{
    const struct p11_sobj *ev = NULL;
    for (const struct p11_sobj *o = p11_g.objs; judged && o && !ev; o = o->next)
        if (o->owner == op->owner && o->rec.cls == P11_CLS_EVIDENCE)
            ev = o;
    if (judged && !ev)
        return p11_env_evidence(c);
    return p11_check(sg_set_evidence(c, ev ? ev->rec.value : NULL, ev ? ev->rec.value_len : 0), "evidence");
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
    if ((rv = p11_client(&c)) != CKR_OK)
        goto end;
    int raw = op->mech.mech == CKM_ECDSA || op->mech.mech == CKM_RSA_PKCS || op->mech.mech == CKM_RSA_PKCS_PSS;
    if ((rv = p11_attach_evidence(c, op, !raw)) != CKR_OK)
        goto end;
    if (p11_is_authz(op->mech.mech)) {
        rv = p11_authorize(c, op, data, len, sig, sig_len);
        goto end;
    }
    if ((rv = p11_env_authorize(c, op, len)) == CKR_OK)
        rv = p11_check(sg_sign(c, op->key, &op->mech, data, len, sig, &n), "sign");
    if (rv == CKR_OK)
        *sig_len = n;
end:
    /* CKA_SBRGUARD_LAST_REFUSAL of this key: the reasons p11_check kept. */
    if (rv == CKR_FUNCTION_REJECTED) {
        p11_g.refusal_key = op->key;
        p11_g.refusal_key_set = 1;
    }
    p11_sign_reset(op);
    return rv;
}

CK_RV C_Sign(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen,
             CK_BYTE_PTR pSignature, CK_ULONG_PTR pulSignatureLen)
{
    struct p11_session *s;
    CK_RV rv = p11_enter_op(hSession, P11_OP_SIGN, &s);
    if (rv != CKR_OK)
        return rv;
    if (s->sign.multipart) {
        rv = CKR_OPERATION_ACTIVE; /* C_Sign cannot end a multi-part operation */
    } else if (!pData && ulDataLen) {
        p11_sign_reset(&s->sign);
        rv = CKR_ARGUMENTS_BAD;
    } else {
        rv = p11_sign_do(&s->sign, pData, ulDataLen, pSignature, pulSignatureLen);
    }
    p11_leave();
    return rv;
}

CK_RV C_SignUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen)
{
    struct p11_session *s;
    CK_RV rv = p11_enter_op(hSession, P11_OP_SIGN, &s);
    if (rv != CKR_OK)
        return rv;
    struct p11_sign *op = &s->sign;
    if (!pPart && ulPartLen) {
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
    if (rv != CKR_OK)
        p11_sign_reset(op);
    p11_leave();
    return rv;
}

CK_RV C_SignFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSignature,
                  CK_ULONG_PTR pulSignatureLen)
{
    struct p11_session *s;
    CK_RV rv = p11_enter_op(hSession, P11_OP_SIGN, &s);
    if (rv != CKR_OK)
        return rv;
    rv = p11_sign_do(&s->sign, s->sign.buf, s->sign.len, pSignature, pulSignatureLen);
    p11_leave();
    return rv;
}
