/* SPDX-License-Identifier: Apache-2.0 */
/* C_CreateObject: X.509 certificates and data objects, on the token
 * (CKA_TOKEN = TRUE) or as module session objects. A certificate with
 * CKA_SBRGUARD_CA = TRUE is bound to its key as a CA certificate. */
#include <stdlib.h>
#include <string.h>
#include "p11.h"

struct p11_newobj {
    uint8_t cls;                     /* SG_CLASS_* */
    uint32_t flags;                  /* SG_OBJ_* */
    const CK_ATTRIBUTE *id, *value, *app;
    char label[SG_MAX_LABEL + 1];
    int has_label;
    uint8_t hattrs[SG_MAX_HOST_ATTRS];
    size_t hattrs_len;
};

static const uint8_t *p11_ptr(const CK_ATTRIBUTE *a)
{
    return a && a->ulValueLen ? a->pValue : NULL;
}

static size_t p11_len(const CK_ATTRIBUTE *a)
{
    return a ? a->ulValueLen : 0;
}

/* The one private key whose CKA_ID is id, for SG_CMD_BIND_CA. */
static CK_RV p11_key_by_id(sg_client *c, const CK_ATTRIBUTE *id, uint16_t *key)
{
    size_t n = 1024, hits = 0, session_hits = 0;
    sg_list_entry *list = malloc(n * sizeof(*list));
    sg_object *o = malloc(sizeof(*o));
    CK_RV rv = list && o ? CKR_OK : CKR_HOST_MEMORY;
    if (rv == CKR_OK)
        rv = p11_check(sg_list(c, list, &n), "list");
    for (size_t i = 0; rv == CKR_OK && i < n; i++) {
        if (list[i].cls != SG_CLASS_KEY || (list[i].flags & SG_OBJ_PRIV_GONE))
            continue; /* the binding is the private key's */
        rv = p11_check(sg_get_object(c, list[i].handle, o), "get-object");
        if (rv == CKR_OBJECT_HANDLE_INVALID) {
            rv = CKR_OK;
            continue;
        }
        if (rv == CKR_OK && o->id_len == id->ulValueLen &&
            (o->id_len == 0 || memcmp(o->id, id->pValue, o->id_len) == 0)) {
            if (o->flags & SG_OBJ_SESSION) { /* token RAM only: never a CA key */
                session_hits++;
                continue;
            }
            *key = o->handle;
            hits++;
        }
    }
    free(list);
    free(o);
    if (rv == CKR_OK && hits == 0 && session_hits)
        p11_note("C_CreateObject: refused: the key with this CKA_ID is a session key, which cannot become a CA key "
                 "(CKR_TEMPLATE_INCONSISTENT)");
    if (rv == CKR_OK && hits != 1)
        rv = CKR_TEMPLATE_INCONSISTENT; /* no key, or not one we can tell */
    return rv;
}

static CK_RV p11_create_token(struct p11_session *s, struct p11_newobj *no, int ca,
                              CK_OBJECT_HANDLE *out)
{
    sg_client *c;
    uint16_t h = 0, key;
    CK_RV rv;
    if (!(s->flags & CKF_RW_SESSION))
        return CKR_SESSION_READ_ONLY;
    if (no->cls == SG_CLASS_CERT && (no->flags & SG_OBJ_PRIVATE))
        return CKR_ATTRIBUTE_VALUE_INVALID; /* token certificates are public */
    if ((rv = p11_client(&c)) != CKR_OK)
        return rv;
    const char *label = no->has_label ? no->label : NULL;
    if (ca) {
        if (!no->id)
            return CKR_TEMPLATE_INCOMPLETE;
        if ((rv = p11_key_by_id(c, no->id, &key)) != CKR_OK ||
            (rv = p11_hattrs_put(no->hattrs, sizeof(no->hattrs), &no->hattrs_len, CKA_ID,
                                 no->id->pValue, no->id->ulValueLen)) != CKR_OK)
            return rv;
        rv = p11_check(sg_bind_ca(c, key, p11_ptr(no->value), p11_len(no->value), label,
                                  no->hattrs, no->hattrs_len, &h), "bind-ca");
    } else {
        rv = p11_check(sg_create_object(c, no->cls, p11_ptr(no->value), p11_len(no->value),
                                        p11_ptr(no->id), p11_len(no->id), label,
                                        p11_ptr(no->app), p11_len(no->app), no->flags,
                                        no->hattrs, no->hattrs_len, &h), "create-object");
    }
    if (rv == CKR_OK)
        *out = P11_HANDLE(h, P11_K_OTHER);
    return rv;
}

/* Copies one field into the session object's buffer. */
static const uint8_t *p11_take(uint8_t **dst, const void *src, size_t len, size_t *out_len)
{
    const uint8_t *at = *dst;
    if (len)
        memcpy(*dst, src, len);
    *dst += len;
    *out_len = len;
    return at;
}

static CK_RV p11_create_session(struct p11_session *s, const struct p11_newobj *no,
                                CK_OBJECT_HANDLE *out)
{
    size_t label_len = strlen(no->label);
    size_t total = p11_len(no->id) + p11_len(no->value) + p11_len(no->app) + label_len +
                   no->hattrs_len;
    struct p11_sobj *so = calloc(1, sizeof(*so));
    uint8_t *buf = malloc(total ? total : 1);
    if (!so || !buf) {
        free(so);
        free(buf);
        return CKR_HOST_MEMORY;
    }
    uint8_t *p = buf;
    struct p11_rec *r = &so->rec;
    r->cls = no->cls;
    r->flags = no->flags;
    r->id = p11_take(&p, p11_ptr(no->id), p11_len(no->id), &r->id_len);
    r->value = p11_take(&p, p11_ptr(no->value), p11_len(no->value), &r->value_len);
    r->application = p11_take(&p, p11_ptr(no->app), p11_len(no->app), &r->application_len);
    r->label = p11_take(&p, no->label, label_len, &r->label_len);
    r->host_attrs = p11_take(&p, no->hattrs, no->hattrs_len, &r->host_attrs_len);
    so->buf = buf;
    *out = p11_sobj_add(so, s->handle);
    return CKR_OK;
}

/* CKA_MODIFIABLE / CKA_COPYABLE = FALSE of a session object's template. */
static uint32_t p11_session_bits(const struct p11_tmpl *t)
{
    return (p11_tmpl_bool(t, CKA_MODIFIABLE, CK_TRUE) ? 0 : P11_F_FIXED) |
           (p11_tmpl_bool(t, CKA_COPYABLE, CK_TRUE) ? 0 : P11_F_NOCOPY);
}

/* Evidence lives in the module's session only: the token sees it with
 * each TBS it judges (sign.c). */
static CK_RV p11_create_evidence(struct p11_session *s, CK_ATTRIBUTE_PTR a, CK_ULONG n,
                                 CK_OBJECT_HANDLE *out)
{
    struct p11_tmpl t;
    struct p11_newobj no;
    CK_RV rv = p11_tmpl_parse(&t, a, n, P11_C_EVIDENCE);
    if (rv != CKR_OK)
        return rv;
    memset(&no, 0, sizeof(no));
    no.cls = P11_CLS_EVIDENCE;
    no.value = p11_tmpl_get(&t, CKA_VALUE);
    if (p11_tmpl_bool(&t, CKA_TOKEN, CK_FALSE) || p11_tmpl_bool(&t, CKA_PRIVATE, CK_FALSE))
        return CKR_TEMPLATE_INCONSISTENT;
    if (!p11_len(no.value))
        return CKR_TEMPLATE_INCOMPLETE;
    if (p11_len(no.value) > SG_MAX_EVIDENCE)
        return CKR_ATTRIBUTE_VALUE_INVALID;
    if ((rv = p11_tmpl_label(&t, no.label, &no.has_label)) != CKR_OK)
        return rv;
    no.flags = p11_session_bits(&t);
    return p11_create_session(s, &no, out);
}

static CK_RV p11_create(struct p11_session *s, CK_ATTRIBUTE_PTR a, CK_ULONG n,
                        CK_OBJECT_HANDLE *out)
{
    CK_OBJECT_CLASS cls = (CK_OBJECT_CLASS)-1;
    struct p11_tmpl t;
    struct p11_newobj no;
    CK_RV rv;
    memset(&no, 0, sizeof(no));
    for (CK_ULONG i = 0; i < n; i++)
        if (a[i].type == CKA_CLASS && a[i].pValue && a[i].ulValueLen == sizeof(cls))
            memcpy(&cls, a[i].pValue, sizeof(cls));
    if (cls == (CK_OBJECT_CLASS)-1)
        return CKR_TEMPLATE_INCOMPLETE;
    if (cls == CKO_SBRGUARD_EVIDENCE)
        return p11_create_evidence(s, a, n, out);
    if (cls != CKO_CERTIFICATE && cls != CKO_DATA)
        return CKR_ATTRIBUTE_VALUE_INVALID; /* keys are generated, never imported */
    rv = p11_tmpl_parse(&t, a, n, cls == CKO_CERTIFICATE ? P11_C_CERT : P11_C_DATA);
    if (rv != CKR_OK)
        return rv;
    no.cls = cls == CKO_CERTIFICATE ? SG_CLASS_CERT : SG_CLASS_DATA;
    no.id = p11_tmpl_get(&t, CKA_ID);
    no.value = p11_tmpl_get(&t, CKA_VALUE);
    no.app = p11_tmpl_get(&t, CKA_APPLICATION);
    int token = p11_tmpl_bool(&t, CKA_TOKEN, CK_FALSE);
    int priv = p11_tmpl_bool(&t, CKA_PRIVATE, CK_FALSE);
    int ca = p11_tmpl_bool(&t, CKA_SBRGUARD_CA, CK_FALSE);
    if (cls == CKO_CERTIFICATE) {
        if (p11_tmpl_ulong(&t, CKA_CERTIFICATE_TYPE, CKC_X_509) != CKC_X_509)
            return CKR_ATTRIBUTE_VALUE_INVALID;
        if (!no.value || !no.value->ulValueLen)
            return CKR_TEMPLATE_INCOMPLETE;
    }
    if (p11_len(no.value) > SG_MAX_VALUE || p11_len(no.id) > SG_MAX_ID ||
        p11_len(no.app) > SG_MAX_APPLICATION)
        return CKR_ATTRIBUTE_VALUE_INVALID;
    if ((rv = p11_tmpl_label(&t, no.label, &no.has_label)) != CKR_OK ||
        (rv = p11_hattrs_encode(&t, no.hattrs, sizeof(no.hattrs), &no.hattrs_len)) != CKR_OK)
        return rv;
    if (ca && !token)
        return CKR_TEMPLATE_INCONSISTENT;
    if (priv && p11_g.login != SG_LOGIN_USER)
        return CKR_USER_NOT_LOGGED_IN;
    no.flags = priv ? SG_OBJ_PRIVATE : 0;
    if (token)
        return p11_create_token(s, &no, ca, out);
    no.flags |= p11_session_bits(&t);
    return p11_create_session(s, &no, out);
}

CK_RV C_CreateObject(CK_SESSION_HANDLE hSession, CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount,
                     CK_OBJECT_HANDLE_PTR phObject)
{
    struct p11_session *s;
    CK_RV rv = p11_enter_session(hSession, &s);
    if (rv != CKR_OK)
        return rv;
    if (((!pTemplate && ulCount) || !phObject))
        rv = CKR_ARGUMENTS_BAD;
    if (rv == CKR_OK)
        rv = p11_create(s, pTemplate, ulCount, phObject);
    p11_leave();
    return rv;
}
