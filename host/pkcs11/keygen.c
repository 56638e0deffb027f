/* SPDX-License-Identifier: Apache-2.0 */
/* C_GenerateKeyPair: EC P-256/384/521 and RSA 2048/3072/4096 (e = 65537),
 * as token objects or, with CKA_TOKEN = FALSE, as session objects kept in
 * the token's RAM (skeys.c). Both halves are one token object, so they
 * share CKA_ID, CKA_LABEL (the private template's, else the public one's)
 * and CKA_TOKEN. */
#include <string.h>
#include "p11.h"

static const CK_ATTRIBUTE *p11_either(const struct p11_tmpl *a, const struct p11_tmpl *b,
                                      CK_ATTRIBUTE_TYPE type)
{
    const CK_ATTRIBUTE *x = p11_tmpl_get(a, type);
    return x ? x : p11_tmpl_get(b, type);
}

static CK_RV p11_key_type_ec(const struct p11_tmpl *pub, const struct p11_tmpl *priv, int *kt)
{
    const CK_ATTRIBUTE *p = p11_either(pub, priv, CKA_EC_PARAMS);
    if (!p)
        return CKR_TEMPLATE_INCOMPLETE;
    *kt = p11_curve_from_params(p->pValue, p->ulValueLen);
    return *kt ? CKR_OK : CKR_CURVE_NOT_SUPPORTED;
}

static CK_RV p11_key_type_rsa(const struct p11_tmpl *pub, const struct p11_tmpl *priv, int *kt)
{
    static const uint8_t f4[] = {0x01, 0x00, 0x01};
    const CK_ATTRIBUTE *bits = p11_tmpl_get(pub, CKA_MODULUS_BITS);
    const CK_ATTRIBUTE *e = p11_either(pub, priv, CKA_PUBLIC_EXPONENT);
    if (!bits)
        return CKR_TEMPLATE_INCOMPLETE;
    if (e) {
        const uint8_t *v = e->pValue;
        size_t n = e->ulValueLen;
        while (n > 0 && v[0] == 0) {
            v++;
            n--;
        }
        if (n != sizeof(f4) || memcmp(v, f4, n) != 0)
            return CKR_ATTRIBUTE_VALUE_INVALID; /* the token uses 65537 only */
    }
    switch (p11_tmpl_ulong(pub, CKA_MODULUS_BITS, 0)) {
    case 2048: *kt = SG_KEY_RSA_2048; return CKR_OK;
    case 3072: *kt = SG_KEY_RSA_3072; return CKR_OK;
    case 4096: *kt = SG_KEY_RSA_4096; return CKR_OK;
    default: return CKR_KEY_SIZE_RANGE;
    }
}

/* Class and key type, if given, must fit what we generate. */
static CK_RV p11_keygen_consistent(const struct p11_tmpl *t, CK_OBJECT_CLASS cls, CK_KEY_TYPE kt)
{
    if (p11_tmpl_ulong(t, CKA_CLASS, cls) != cls || p11_tmpl_ulong(t, CKA_KEY_TYPE, kt) != kt)
        return CKR_TEMPLATE_INCONSISTENT;
    return CKR_OK;
}

/* CKA_TOKEN of the pair: both halves are one object on the token, so the
 * templates may not disagree (one TRUE, the other FALSE); absent from both
 * is a token pair. A session pair is never a CA key. */
static CK_RV p11_keygen_lifetime(const struct p11_tmpl *pub, const struct p11_tmpl *priv, int *session)
{
    int pub_tok = p11_tmpl_bool(pub, CKA_TOKEN, CK_TRUE) != 0, priv_tok = p11_tmpl_bool(priv, CKA_TOKEN, CK_TRUE) != 0;
    if (p11_tmpl_get(pub, CKA_TOKEN) && p11_tmpl_get(priv, CKA_TOKEN) && pub_tok != priv_tok)
        return CKR_TEMPLATE_INCONSISTENT;
    *session = !pub_tok || !priv_tok;
    if (*session && (p11_tmpl_bool(priv, CKA_SBRGUARD_CA, CK_FALSE) || p11_tmpl_bool(pub, CKA_SBRGUARD_CA, CK_FALSE))) {
        p11_note("C_GenerateKeyPair: refused: a session key (CKA_TOKEN = FALSE) cannot be a CA key "
                 "(CKR_TEMPLATE_INCONSISTENT)");
        return CKR_TEMPLATE_INCONSISTENT;
    }
    return CKR_OK;
}

static CK_RV p11_keygen(struct p11_session *s, CK_MECHANISM_PTR mech, CK_ATTRIBUTE_PTR pub_a,
                        CK_ULONG pub_n, CK_ATTRIBUTE_PTR priv_a, CK_ULONG priv_n,
                        CK_OBJECT_HANDLE_PTR ph_pub, CK_OBJECT_HANDLE_PTR ph_priv)
{
    struct p11_tmpl pub, priv;
    char label[SG_MAX_LABEL + 1];
    int has_label, kt = 0;
    uint8_t hattrs[SG_MAX_HOST_ATTRS];
    size_t hlen = 0;
    uint16_t h;
    sg_client *c;
    CK_RV rv;

    if (!mech || !ph_pub || !ph_priv || (pub_n && !pub_a) || (priv_n && !priv_a))
        return CKR_ARGUMENTS_BAD;
    if (mech->mechanism != CKM_EC_KEY_PAIR_GEN && mech->mechanism != CKM_RSA_PKCS_KEY_PAIR_GEN)
        return CKR_MECHANISM_INVALID;
    if (mech->pParameter || mech->ulParameterLen)
        return CKR_MECHANISM_PARAM_INVALID;
    if ((rv = p11_tmpl_parse(&pub, pub_a, pub_n, P11_C_PUB)) != CKR_OK ||
        (rv = p11_tmpl_parse(&priv, priv_a, priv_n, P11_C_PRIV)) != CKR_OK)
        return rv;
    int session = 0;
    if ((rv = p11_keygen_lifetime(&pub, &priv, &session)) != CKR_OK)
        return rv;
    /* Spec 5.2 (session objects): a read-only session refuses token objects only. */
    if (!session && !(s->flags & CKF_RW_SESSION))
        return CKR_SESSION_READ_ONLY;
    if (p11_g.login != SG_LOGIN_USER)
        return CKR_USER_NOT_LOGGED_IN;
    int ec = mech->mechanism == CKM_EC_KEY_PAIR_GEN;
    CK_KEY_TYPE ckk = ec ? CKK_EC : CKK_RSA;
    if ((rv = p11_keygen_consistent(&pub, CKO_PUBLIC_KEY, ckk)) != CKR_OK ||
        (rv = p11_keygen_consistent(&priv, CKO_PRIVATE_KEY, ckk)) != CKR_OK)
        return rv;
    rv = ec ? p11_key_type_ec(&pub, &priv, &kt) : p11_key_type_rsa(&pub, &priv, &kt);
    if (rv != CKR_OK)
        return rv;
    if ((rv = p11_tmpl_label(&priv, label, &has_label)) != CKR_OK)
        return rv;
    if (!has_label && (rv = p11_tmpl_label(&pub, label, &has_label)) != CKR_OK)
        return rv;
    const CK_ATTRIBUTE *id = p11_either(&priv, &pub, CKA_ID);
    if (id && id->ulValueLen > SG_MAX_ID)
        return CKR_ATTRIBUTE_VALUE_INVALID;
    /* Private template first: its values win over the public one's. */
    if ((rv = p11_hattrs_encode(&priv, hattrs, sizeof(hattrs), &hlen)) != CKR_OK ||
        (rv = p11_hattrs_encode(&pub, hattrs, sizeof(hattrs), &hlen)) != CKR_OK)
        return rv;
    uint32_t flags = p11_tmpl_bool(&priv, CKA_SBRGUARD_CA, CK_FALSE) ||
                             p11_tmpl_bool(&pub, CKA_SBRGUARD_CA, CK_FALSE)
                         ? SG_OBJ_CA
                         : 0;
    if (session)
        flags = SG_OBJ_SESSION;
    if ((rv = p11_client(&c)) != CKR_OK)
        return rv;
    rv = p11_check(sg_generate_key(c, kt, id && id->ulValueLen ? id->pValue : NULL,
                                   id ? id->ulValueLen : 0, has_label ? label : NULL, flags,
                                   hattrs, hlen, &h, NULL, NULL),
                   "generate-key");
    if (rv == CKR_OK && session && (rv = p11_skey_add(h, s->handle)) != CKR_OK)
        (void)sg_drop_session_key(c, h, 0); /* not remembered: not kept */
    if (rv == CKR_OK) {
        *ph_pub = P11_HANDLE(h, P11_K_PUB);
        *ph_priv = P11_HANDLE(h, P11_K_PRIV);
    }
    return rv;
}

CK_RV C_GenerateKeyPair(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                        CK_ATTRIBUTE_PTR pPublicKeyTemplate, CK_ULONG ulPublicKeyAttributeCount,
                        CK_ATTRIBUTE_PTR pPrivateKeyTemplate, CK_ULONG ulPrivateKeyAttributeCount,
                        CK_OBJECT_HANDLE_PTR phPublicKey, CK_OBJECT_HANDLE_PTR phPrivateKey)
{
    struct p11_session *s;
    CK_RV rv = p11_enter_session(hSession, &s);
    if (rv != CKR_OK)
        return rv;
    rv = p11_keygen(s, pMechanism, pPublicKeyTemplate, ulPublicKeyAttributeCount, pPrivateKeyTemplate,
                    ulPrivateKeyAttributeCount, phPublicKey, phPrivateKey);
    p11_leave();
    return rv;
}
