/* SPDX-License-Identifier: Apache-2.0 */
/* Object views: every PKCS#11 attribute of one object, built from its token
 * record (or module session object), so C_GetAttributeValue and
 * C_FindObjects read the same values. */
#include <string.h>
#include "p11.h"

/* Values are copied into v->buf; a full view means a bug in the sizes. */
static int p11_put(struct p11_view *v, CK_ATTRIBUTE_TYPE type, const void *val, size_t len)
{
    struct p11_attr *a = NULL;
    for (size_t i = 0; i < v->n; i++)
        if (v->a[i].type == type)
            a = &v->a[i];
    if (!a) {
        if (v->n == P11_VIEW_MAX_ATTRS)
            return -1;
        a = &v->a[v->n++];
        a->type = type;
        a->len = 0;
    }
    a->sensitive = 0;
    if (len > a->len || a->len == 0) {
        if (len > P11_VIEW_BUF - v->used)
            return -1;
        a->off = (uint32_t)v->used;
        v->used += len;
    }
    a->len = (uint32_t)len;
    if (len)
        memcpy(v->buf + a->off, val, len);
    return 0;
}

static int p11_put_bool(struct p11_view *v, CK_ATTRIBUTE_TYPE type, int b)
{
    CK_BBOOL x = b ? CK_TRUE : CK_FALSE;
    return p11_put(v, type, &x, sizeof(x));
}

static int p11_put_ulong(struct p11_view *v, CK_ATTRIBUTE_TYPE type, CK_ULONG x)
{
    return p11_put(v, type, &x, sizeof(x));
}

static int p11_put_sensitive(struct p11_view *v, CK_ATTRIBUTE_TYPE type)
{
    if (p11_put(v, type, NULL, 0) != 0)
        return -1;
    for (size_t i = 0; i < v->n; i++)
        if (v->a[i].type == type)
            v->a[i].sensitive = 1;
    return 0;
}

const struct p11_attr *p11_view_find(const struct p11_view *v, CK_ATTRIBUTE_TYPE t)
{
    for (size_t i = 0; i < v->n; i++)
        if (v->a[i].type == t)
            return &v->a[i];
    return NULL;
}

int p11_view_match(const struct p11_view *v, const CK_ATTRIBUTE *t, CK_ULONG n)
{
    for (CK_ULONG i = 0; i < n; i++) {
        const struct p11_attr *a = p11_view_find(v, t[i].type);
        if (!a || a->sensitive || a->len != t[i].ulValueLen)
            return 0;
        if (a->len && (!t[i].pValue || memcmp(v->buf + a->off, t[i].pValue, a->len) != 0))
            return 0;
    }
    return 1;
}

void p11_rec_from_sg(struct p11_rec *r, const sg_object *o)
{
    memset(r, 0, sizeof(*r));
    r->handle = o->handle;
    r->cls = o->cls;
    r->key_type = o->key_type;
    r->flags = o->flags;
    r->bound_key = o->bound_key;
    r->id = o->id, r->id_len = o->id_len;
    r->label = o->label, r->label_len = o->label_len;
    r->pubkey = o->pubkey, r->pubkey_len = o->pubkey_len;
    r->value = o->value, r->value_len = o->value_len;
    r->application = o->application, r->application_len = o->application_len;
    r->host_attrs = o->host_attrs, r->host_attrs_len = o->host_attrs_len;
}

/* Host attributes override the defaults; a malformed blob is ignored from
 * the first bad entry on (it is only a convenience for the host). */
static int p11_put_hattrs(struct p11_view *v, const struct p11_rec *r)
{
    const uint8_t *b = r->host_attrs;
    size_t len = r->host_attrs_len;
    if (len < 1 || b[0] != SG_P11_HATTRS_VERSION)
        return 0;
    for (size_t off = 1; off + 6 <= len;) {
        CK_ATTRIBUTE_TYPE ty = (CK_ATTRIBUTE_TYPE)((uint32_t)b[off] << 24 |
                                                   (uint32_t)b[off + 1] << 16 |
                                                   (uint32_t)b[off + 2] << 8 | b[off + 3]);
        size_t l = (size_t)b[off + 4] << 8 | b[off + 5];
        const uint8_t *val = b + off + 6;
        if (l > len - off - 6)
            return 0;
        off += 6 + l;
        /* CKA_ID only where the token has none: SG_CMD_BIND_CA through
         * sg_bind_ca() cannot carry an ID, so the module keeps it here. */
        if (!p11_attr_is_hattr(ty) && !(ty == CKA_ID && r->id_len == 0))
            continue;
        if (p11_attr_is_ulong(ty)) {
            if (l != 4)
                continue;
            CK_ULONG x = (CK_ULONG)val[0] << 24 | (CK_ULONG)val[1] << 16 |
                         (CK_ULONG)val[2] << 8 | val[3];
            if (p11_put_ulong(v, ty, x) != 0)
                return -1;
        } else if (p11_put(v, ty, val, l) != 0) {
            return -1;
        }
    }
    return 0;
}

static int p11_put_pubkey(struct p11_view *v, const struct p11_rec *r, int fam)
{
    struct p11_spki k;
    int e = 0;
    e |= p11_put(v, CKA_PUBLIC_KEY_INFO, r->pubkey, r->pubkey_len);
    if (r->pubkey_len == 0 || p11_spki_parse(r->pubkey, r->pubkey_len, &k) != 0)
        return e; /* the token gave no usable key: leave the rest out */
    if (fam == P11_EC && k.ec_point) {
        /* CKA_EC_POINT is the DER OCTET STRING of the point (X9.62). */
        uint8_t pt[4 + 160];
        size_t h = p11_der_hdr(0x04, k.ec_point_len, pt);
        if (k.ec_point_len > sizeof(pt) - h)
            return -1;
        memcpy(pt + h, k.ec_point, k.ec_point_len);
        e |= p11_put(v, CKA_EC_POINT, pt, h + k.ec_point_len);
        e |= p11_put(v, CKA_EC_PARAMS, k.ec_params, k.ec_params_len);
    } else if (fam == P11_RSA && k.modulus) {
        CK_ULONG bits = (CK_ULONG)k.modulus_len * 8;
        for (uint8_t top = k.modulus[0]; bits && !(top & 0x80); top = (uint8_t)(top << 1))
            bits--;
        e |= p11_put(v, CKA_MODULUS, k.modulus, k.modulus_len);
        e |= p11_put_ulong(v, CKA_MODULUS_BITS, bits);
        e |= p11_put(v, CKA_PUBLIC_EXPONENT, k.exponent, k.exponent_len);
    }
    return e;
}

static int p11_view_key(struct p11_view *v, const struct p11_rec *r, unsigned kind)
{
    int fam = p11_key_family(r->key_type);
    int priv = kind == P11_K_PRIV;
    int e = 0;
    CK_MECHANISM_TYPE mechs[16];
    size_t nm = p11_mechs_for(fam, CKF_SIGN, mechs, 16);

    e |= p11_put_ulong(v, CKA_CLASS, priv ? CKO_PRIVATE_KEY : CKO_PUBLIC_KEY);
    e |= p11_put_ulong(v, CKA_KEY_TYPE, fam == P11_EC ? CKK_EC : CKK_RSA);
    e |= p11_put_bool(v, CKA_PRIVATE, priv);
    /* Each half is destroyed on its own (C_DestroyObject). */
    e |= p11_put_bool(v, CKA_DESTROYABLE, 1);
    e |= p11_put(v, CKA_ID, r->id, r->id_len);
    e |= p11_put(v, CKA_START_DATE, NULL, 0);
    e |= p11_put(v, CKA_END_DATE, NULL, 0);
    e |= p11_put(v, CKA_SUBJECT, NULL, 0);
    e |= p11_put_bool(v, CKA_DERIVE, 0);
    e |= p11_put_bool(v, CKA_LOCAL, 1);
    e |= p11_put_ulong(v, CKA_KEY_GEN_MECHANISM,
                       fam == P11_EC ? CKM_EC_KEY_PAIR_GEN : CKM_RSA_PKCS_KEY_PAIR_GEN);
    e |= p11_put(v, CKA_ALLOWED_MECHANISMS, mechs, nm * sizeof(mechs[0]));
    e |= p11_put_bool(v, CKA_SBRGUARD_CA, (r->flags & SG_OBJ_CA) != 0);
    e |= p11_put_pubkey(v, r, fam);
    if (priv) {
        e |= p11_put_bool(v, CKA_SENSITIVE, 1);
        e |= p11_put_bool(v, CKA_DECRYPT, 0);
        e |= p11_put_bool(v, CKA_SIGN, 1);
        e |= p11_put_bool(v, CKA_SIGN_RECOVER, 0);
        e |= p11_put_bool(v, CKA_UNWRAP, 0);
        e |= p11_put_bool(v, CKA_EXTRACTABLE, 0);
        e |= p11_put_bool(v, CKA_ALWAYS_SENSITIVE, 1);
        e |= p11_put_bool(v, CKA_NEVER_EXTRACTABLE, 1);
        e |= p11_put_bool(v, CKA_WRAP_WITH_TRUSTED, 0);
        e |= p11_put_bool(v, CKA_ALWAYS_AUTHENTICATE, 0);
        int refused = p11_g.refusal_key_set && p11_g.refusal_key == r->handle;
        e |= p11_put(v, CKA_SBRGUARD_LAST_REFUSAL, refused ? p11_g.refusal : "",
                     refused ? strlen(p11_g.refusal) : 0);
        if (fam == P11_EC) {
            e |= p11_put_sensitive(v, CKA_VALUE);
        } else {
            static const CK_ATTRIBUTE_TYPE rsa_secret[] = {
                CKA_PRIVATE_EXPONENT, CKA_PRIME_1, CKA_PRIME_2,
                CKA_EXPONENT_1, CKA_EXPONENT_2, CKA_COEFFICIENT,
            };
            for (size_t i = 0; i < sizeof(rsa_secret) / sizeof(rsa_secret[0]); i++)
                e |= p11_put_sensitive(v, rsa_secret[i]);
        }
    } else {
        e |= p11_put_bool(v, CKA_ENCRYPT, 0);
        e |= p11_put_bool(v, CKA_VERIFY, 1);
        e |= p11_put_bool(v, CKA_VERIFY_RECOVER, 0);
        e |= p11_put_bool(v, CKA_WRAP, 0);
        e |= p11_put_bool(v, CKA_TRUSTED, 0);
    }
    return e;
}

static int p11_view_cert(struct p11_view *v, const struct p11_rec *r, CK_OBJECT_HANDLE bound)
{
    struct p11_cert c;
    int e = 0;
    int ok = p11_cert_parse(r->value, r->value_len, &c) == 0;
    e |= p11_put_ulong(v, CKA_CLASS, CKO_CERTIFICATE);
    e |= p11_put_ulong(v, CKA_CERTIFICATE_TYPE, CKC_X_509);
    e |= p11_put_bool(v, CKA_PRIVATE, (r->flags & SG_OBJ_PRIVATE) != 0);
    e |= p11_put_bool(v, CKA_DESTROYABLE, 1);
    e |= p11_put_bool(v, CKA_TRUSTED, 0);
    e |= p11_put_ulong(v, CKA_CERTIFICATE_CATEGORY, 0); /* unspecified */
    e |= p11_put_ulong(v, CKA_JAVA_MIDP_SECURITY_DOMAIN, 0);
    e |= p11_put(v, CKA_ID, r->id, r->id_len);
    e |= p11_put(v, CKA_VALUE, r->value, r->value_len);
    e |= p11_put(v, CKA_START_DATE, NULL, 0);
    e |= p11_put(v, CKA_END_DATE, NULL, 0);
    e |= p11_put(v, CKA_URL, NULL, 0);
    e |= p11_put(v, CKA_HASH_OF_SUBJECT_PUBLIC_KEY, NULL, 0);
    e |= p11_put(v, CKA_HASH_OF_ISSUER_PUBLIC_KEY, NULL, 0);
    e |= p11_put(v, CKA_SUBJECT, ok ? c.subject : NULL, ok ? c.subject_len : 0);
    e |= p11_put(v, CKA_ISSUER, ok ? c.issuer : NULL, ok ? c.issuer_len : 0);
    e |= p11_put(v, CKA_SERIAL_NUMBER, ok ? c.serial : NULL, ok ? c.serial_len : 0);
    e |= p11_put(v, CKA_PUBLIC_KEY_INFO, ok ? c.spki : NULL, ok ? c.spki_len : 0);
    e |= p11_put_bool(v, CKA_SBRGUARD_CA, (r->flags & SG_OBJ_CA_CERT) != 0);
    if (r->flags & SG_OBJ_CA_CERT)
        e |= p11_put_ulong(v, CKA_SBRGUARD_BOUND_KEY, bound);
    return e;
}

static int p11_view_data(struct p11_view *v, const struct p11_rec *r)
{
    int e = 0;
    e |= p11_put_ulong(v, CKA_CLASS, CKO_DATA);
    e |= p11_put_bool(v, CKA_PRIVATE, (r->flags & SG_OBJ_PRIVATE) != 0);
    e |= p11_put_bool(v, CKA_DESTROYABLE, 1);
    e |= p11_put(v, CKA_APPLICATION, r->application, r->application_len);
    e |= p11_put(v, CKA_OBJECT_ID, NULL, 0);
    e |= p11_put(v, CKA_VALUE, r->value, r->value_len);
    return e;
}

static int p11_view_evidence(struct p11_view *v, const struct p11_rec *r)
{
    int e = 0;
    e |= p11_put_ulong(v, CKA_CLASS, CKO_SBRGUARD_EVIDENCE);
    e |= p11_put_bool(v, CKA_PRIVATE, 0);
    e |= p11_put_bool(v, CKA_DESTROYABLE, 1);
    e |= p11_put(v, CKA_VALUE, r->value, r->value_len);
    return e;
}

CK_RV p11_view_build(struct p11_view *v, const struct p11_rec *r, unsigned kind, int token,
                     CK_OBJECT_HANDLE bound_key)
{
    int e = 0;
    v->n = v->used = 0;
    e |= p11_put_bool(v, CKA_TOKEN, token);
    /* Token objects are fixed; session objects follow their template. */
    e |= p11_put_bool(v, CKA_MODIFIABLE, !token && !(r->flags & P11_F_FIXED));
    e |= p11_put_bool(v, CKA_COPYABLE, !token && !(r->flags & P11_F_NOCOPY));
    e |= p11_put(v, CKA_LABEL, r->label, r->label_len);
    if (r->cls == SG_CLASS_KEY && (kind == P11_K_PRIV || kind == P11_K_PUB) &&
        p11_key_family(r->key_type))
        e |= p11_view_key(v, r, kind);
    else if (r->cls == SG_CLASS_CERT && kind == P11_K_OTHER)
        e |= p11_view_cert(v, r, bound_key);
    else if (r->cls == SG_CLASS_DATA && kind == P11_K_OTHER)
        e |= p11_view_data(v, r);
    else if (r->cls == P11_CLS_EVIDENCE && kind == P11_K_OTHER && !token)
        e |= p11_view_evidence(v, r);
    else
        return CKR_OBJECT_HANDLE_INVALID;
    e |= p11_put_hattrs(v, r);
    return e ? CKR_GENERAL_ERROR : CKR_OK;
}
