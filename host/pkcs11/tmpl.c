/* SPDX-License-Identifier: Apache-2.0 */
/* Application templates (C_CreateObject, C_GenerateKeyPair): one row per
 * attribute says where it is accepted, its type, and what value the token
 * can honour. Attributes the token has no field for, but the application
 * wants back, go into the host attribute blob (SG_T_HOST_ATTRS). */
#include <string.h>
#include "p11.h"

enum p11_kind { K_BOOL, K_ULONG, K_BYTES, K_DATE };
enum p11_must { M_ANY, M_FALSE, M_TRUE };

#define C_KEYS (P11_C_PUB | P11_C_PRIV)
#define C_ALL (P11_C_CERT | P11_C_DATA | C_KEYS | P11_C_EVIDENCE)

struct p11_arow {
    CK_ATTRIBUTE_TYPE type;
    uint8_t kind;   /* enum p11_kind */
    uint8_t ctx;    /* enum p11_ctx where accepted */
    uint8_t must;   /* enum p11_must: the only value the token honours */
    uint8_t hattr;  /* kept in the host attribute blob */
};

/* Usage flags (CKA_SIGN, CKA_DECRYPT...) are accepted with any value: the
 * object's attributes then say what the token really does with the key. */
static const struct p11_arow p11_arows[] = {
    {CKA_CLASS, K_ULONG, C_ALL, M_ANY, 0},
    {CKA_TOKEN, K_BOOL, C_ALL, M_ANY, 0},
    {CKA_PRIVATE, K_BOOL, C_ALL, M_ANY, 0},
    {CKA_MODIFIABLE, K_BOOL, C_ALL, M_ANY, 0},
    {CKA_COPYABLE, K_BOOL, C_ALL, M_ANY, 0},
    {CKA_DESTROYABLE, K_BOOL, C_ALL, M_TRUE, 0},
    {CKA_LABEL, K_BYTES, C_ALL, M_ANY, 0},
    {CKA_ID, K_BYTES, P11_C_CERT | C_KEYS, M_ANY, 0},
    {CKA_VALUE, K_BYTES, P11_C_CERT | P11_C_DATA | P11_C_EVIDENCE, M_ANY, 0},
    {CKA_APPLICATION, K_BYTES, P11_C_DATA, M_ANY, 0},
    {CKA_OBJECT_ID, K_BYTES, P11_C_DATA, M_ANY, 1},
    {CKA_CERTIFICATE_TYPE, K_ULONG, P11_C_CERT, M_ANY, 0},
    {CKA_SUBJECT, K_BYTES, P11_C_CERT | C_KEYS, M_ANY, 1},
    {CKA_ISSUER, K_BYTES, P11_C_CERT, M_ANY, 1},
    {CKA_SERIAL_NUMBER, K_BYTES, P11_C_CERT, M_ANY, 1},
    {CKA_TRUSTED, K_BOOL, P11_C_CERT | P11_C_PUB, M_FALSE, 0},
    {CKA_CERTIFICATE_CATEGORY, K_ULONG, P11_C_CERT, M_ANY, 1},
    {CKA_CHECK_VALUE, K_BYTES, P11_C_CERT, M_ANY, 0},
    {CKA_START_DATE, K_DATE, P11_C_CERT | C_KEYS, M_ANY, 1},
    {CKA_END_DATE, K_DATE, P11_C_CERT | C_KEYS, M_ANY, 1},
    {CKA_URL, K_BYTES, P11_C_CERT, M_ANY, 1},
    {CKA_HASH_OF_SUBJECT_PUBLIC_KEY, K_BYTES, P11_C_CERT, M_ANY, 1},
    {CKA_HASH_OF_ISSUER_PUBLIC_KEY, K_BYTES, P11_C_CERT, M_ANY, 1},
    {CKA_JAVA_MIDP_SECURITY_DOMAIN, K_ULONG, P11_C_CERT, M_ANY, 1},
    {CKA_NAME_HASH_ALGORITHM, K_ULONG, P11_C_CERT, M_ANY, 1},
    {CKA_KEY_TYPE, K_ULONG, C_KEYS, M_ANY, 0},
    {CKA_SENSITIVE, K_BOOL, P11_C_PRIV, M_TRUE, 0},
    {CKA_EXTRACTABLE, K_BOOL, P11_C_PRIV, M_FALSE, 0},
    {CKA_ALWAYS_AUTHENTICATE, K_BOOL, P11_C_PRIV, M_FALSE, 0},
    {CKA_WRAP_WITH_TRUSTED, K_BOOL, P11_C_PRIV, M_ANY, 0},
    {CKA_SIGN, K_BOOL, P11_C_PRIV, M_ANY, 0},
    {CKA_SIGN_RECOVER, K_BOOL, P11_C_PRIV, M_ANY, 0},
    {CKA_DECRYPT, K_BOOL, P11_C_PRIV, M_ANY, 0},
    {CKA_UNWRAP, K_BOOL, P11_C_PRIV, M_ANY, 0},
    {CKA_DERIVE, K_BOOL, C_KEYS, M_ANY, 0},
    {CKA_VERIFY, K_BOOL, P11_C_PUB, M_ANY, 0},
    {CKA_VERIFY_RECOVER, K_BOOL, P11_C_PUB, M_ANY, 0},
    {CKA_ENCRYPT, K_BOOL, P11_C_PUB, M_ANY, 0},
    {CKA_WRAP, K_BOOL, P11_C_PUB, M_ANY, 0},
    {CKA_MODULUS_BITS, K_ULONG, P11_C_PUB, M_ANY, 0},
    {CKA_PUBLIC_EXPONENT, K_BYTES, C_KEYS, M_ANY, 0},
    {CKA_EC_PARAMS, K_BYTES, C_KEYS, M_ANY, 0},
    {CKA_SBRGUARD_CA, K_BOOL, P11_C_CERT | C_KEYS, M_ANY, 0},
};
#define P11_NAROWS (sizeof(p11_arows) / sizeof(p11_arows[0]))
_Static_assert(P11_NAROWS <= P11_TMPL_ROWS, "struct p11_tmpl too small");

static int p11_arow(CK_ATTRIBUTE_TYPE type)
{
    for (size_t i = 0; i < P11_NAROWS; i++)
        if (p11_arows[i].type == type)
            return (int)i;
    return -1;
}

int p11_attr_is_ulong(CK_ATTRIBUTE_TYPE type)
{
    int r = p11_arow(type);
    return r >= 0 && p11_arows[r].kind == K_ULONG;
}

int p11_attr_is_hattr(CK_ATTRIBUTE_TYPE type)
{
    int r = p11_arow(type);
    return r >= 0 && p11_arows[r].hattr;
}

int p11_is_cheap_attr(CK_ATTRIBUTE_TYPE type)
{
    return type == CKA_CLASS || type == CKA_TOKEN || type == CKA_PRIVATE;
}

CK_RV p11_tmpl_parse(struct p11_tmpl *t, const CK_ATTRIBUTE *a, CK_ULONG n, unsigned ctx)
{
    memset(t, 0, sizeof(*t));
    if (n && !a)
        return CKR_ARGUMENTS_BAD;
    for (CK_ULONG i = 0; i < n; i++) {
        int r = p11_arow(a[i].type);
        if (r < 0)
            return CKR_ATTRIBUTE_TYPE_INVALID;
        const struct p11_arow *row = &p11_arows[r];
        if (!(row->ctx & ctx))
            return CKR_TEMPLATE_INCONSISTENT;
        if (t->at[r])
            return CKR_TEMPLATE_INCONSISTENT; /* given twice */
        if (a[i].ulValueLen && !a[i].pValue)
            return CKR_ATTRIBUTE_VALUE_INVALID;
        switch (row->kind) {
        case K_BOOL:
            if (a[i].ulValueLen != sizeof(CK_BBOOL))
                return CKR_ATTRIBUTE_VALUE_INVALID;
            if ((row->must == M_FALSE && *(CK_BBOOL *)a[i].pValue) ||
                (row->must == M_TRUE && !*(CK_BBOOL *)a[i].pValue))
                return CKR_ATTRIBUTE_VALUE_INVALID;
            break;
        case K_ULONG:
            if (a[i].ulValueLen != sizeof(CK_ULONG))
                return CKR_ATTRIBUTE_VALUE_INVALID;
            break;
        case K_DATE:
            if (a[i].ulValueLen != 0 && a[i].ulValueLen != sizeof(CK_DATE))
                return CKR_ATTRIBUTE_VALUE_INVALID;
            break;
        default:
            break;
        }
        t->at[r] = &a[i];
    }
    return CKR_OK;
}

const CK_ATTRIBUTE *p11_tmpl_get(const struct p11_tmpl *t, CK_ATTRIBUTE_TYPE type)
{
    int r = p11_arow(type);
    return r < 0 ? NULL : t->at[r];
}

CK_BBOOL p11_tmpl_bool(const struct p11_tmpl *t, CK_ATTRIBUTE_TYPE type, CK_BBOOL def)
{
    const CK_ATTRIBUTE *a = p11_tmpl_get(t, type);
    return a ? (*(CK_BBOOL *)a->pValue ? CK_TRUE : CK_FALSE) : def;
}

CK_ULONG p11_tmpl_ulong(const struct p11_tmpl *t, CK_ATTRIBUTE_TYPE type, CK_ULONG def)
{
    const CK_ATTRIBUTE *a = p11_tmpl_get(t, type);
    CK_ULONG v;
    if (!a)
        return def;
    memcpy(&v, a->pValue, sizeof(v));
    return v;
}

CK_RV p11_tmpl_label(const struct p11_tmpl *t, char out[SG_MAX_LABEL + 1], int *present)
{
    const CK_ATTRIBUTE *a = p11_tmpl_get(t, CKA_LABEL);
    out[0] = '\0';
    if (present)
        *present = a != NULL;
    if (!a)
        return CKR_OK;
    if (a->ulValueLen > SG_MAX_LABEL || memchr(a->pValue, 0, a->ulValueLen))
        return CKR_ATTRIBUTE_VALUE_INVALID;
    memcpy(out, a->pValue, a->ulValueLen);
    out[a->ulValueLen] = '\0';
    return CKR_OK;
}

/* True if the blob already holds an entry of this type. */
static int p11_hattrs_has(const uint8_t *b, size_t len, CK_ATTRIBUTE_TYPE type)
{
    size_t off = 1;
    while (len > 0 && off + 6 <= len) {
        uint32_t ty = (uint32_t)b[off] << 24 | (uint32_t)b[off + 1] << 16 |
                      (uint32_t)b[off + 2] << 8 | b[off + 3];
        size_t l = (size_t)b[off + 4] << 8 | b[off + 5];
        if (ty == (uint32_t)type)
            return 1;
        off += 6 + l;
    }
    return 0;
}

CK_RV p11_hattrs_put(uint8_t *blob, size_t cap, size_t *len, CK_ATTRIBUTE_TYPE type,
                     const void *v, size_t vlen)
{
    if (*len == 0) {
        if (cap < 1)
            return CKR_ATTRIBUTE_VALUE_INVALID;
        blob[(*len)++] = SG_P11_HATTRS_VERSION;
    }
    if (vlen > 0xFFFF || type > 0xFFFFFFFFul || cap - *len < 6 + vlen)
        return CKR_ATTRIBUTE_VALUE_INVALID; /* more than the token keeps */
    uint32_t ty = (uint32_t)type;
    blob[*len] = (uint8_t)(ty >> 24);
    blob[*len + 1] = (uint8_t)(ty >> 16);
    blob[*len + 2] = (uint8_t)(ty >> 8);
    blob[*len + 3] = (uint8_t)ty;
    blob[*len + 4] = (uint8_t)(vlen >> 8);
    blob[*len + 5] = (uint8_t)vlen;
    if (vlen)
        memcpy(blob + *len + 6, v, vlen);
    *len += 6 + vlen;
    return CKR_OK;
}

CK_RV p11_hattrs_encode(const struct p11_tmpl *t, uint8_t *blob, size_t cap, size_t *len)
{
    for (size_t r = 0; r < P11_NAROWS; r++) {
        const CK_ATTRIBUTE *a = t->at[r];
        if (!p11_arows[r].hattr || !a || p11_hattrs_has(blob, *len, a->type))
            continue;
        uint8_t u32[4];
        const uint8_t *v = a->pValue;
        size_t vlen = a->ulValueLen;
        if (p11_arows[r].kind == K_ULONG) {
            CK_ULONG x;
            memcpy(&x, a->pValue, sizeof(x));
            if (x > 0xFFFFFFFFul)
                return CKR_ATTRIBUTE_VALUE_INVALID;
            u32[0] = (uint8_t)(x >> 24);
            u32[1] = (uint8_t)(x >> 16);
            u32[2] = (uint8_t)(x >> 8);
            u32[3] = (uint8_t)x;
            v = u32;
            vlen = 4;
        }
        CK_RV rv = p11_hattrs_put(blob, cap, len, a->type, v, vlen);
        if (rv != CKR_OK)
            return rv;
    }
    return CKR_OK;
}
