/* SPDX-License-Identifier: Apache-2.0 */
/* Objects: C_GetAttributeValue, C_SetAttributeValue, C_CopyObject,
 * C_FindObjects* and C_DestroyObject (C_CreateObject is in create.c; handle
 * mapping and visibility in handles.c). Token objects are fetched from the
 * token on every call (another process may have changed them); module
 * session objects live in p11_g.objs. */
#include <stdlib.h>
#include <string.h>
#include "p11.h"

#define P11_LIST_CAP 1024 /* more than one SG_CMD_LIST payload can carry */

static CK_RV p11_attr_copy(CK_ATTRIBUTE *t, const struct p11_view *v)
{
    const struct p11_attr *a = p11_view_find(v, t->type);
    if (!a || a->sensitive) {
        t->ulValueLen = CK_UNAVAILABLE_INFORMATION;
        return a ? CKR_ATTRIBUTE_SENSITIVE : CKR_ATTRIBUTE_TYPE_INVALID;
    }
    if (!t->pValue) {
        t->ulValueLen = a->len;
        return CKR_OK;
    }
    if (t->ulValueLen < a->len) {
        t->ulValueLen = CK_UNAVAILABLE_INFORMATION;
        return CKR_BUFFER_TOO_SMALL;
    }
    memcpy(t->pValue, v->buf + a->off, a->len);
    t->ulValueLen = a->len;
    return CKR_OK;
}

CK_RV C_GetAttributeValue(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject,
                          CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount)
{
    struct p11_session *s;
    struct p11_view *v = NULL;
    CK_RV rv = p11_enter_session(hSession, &s);
    if (rv != CKR_OK)
        return rv;
    if (!pTemplate && ulCount)
        rv = CKR_ARGUMENTS_BAD;
    if (rv == CKR_OK && !(v = malloc(sizeof(*v))))
        rv = CKR_HOST_MEMORY;
    if (rv == CKR_OK)
        rv = p11_obj_view(hObject, v);
    /* Spec: go through the whole template; report one of the errors. */
    if (rv == CKR_OK) {
        for (CK_ULONG i = 0; i < ulCount; i++) {
            CK_RV r = p11_attr_copy(&pTemplate[i], v);
            if (rv == CKR_OK)
                rv = r;
        }
    }
    free(v);
    p11_leave();
    return rv;
}

/* The attributes C_SetAttributeValue and C_CopyObject may change on a
 * module session object (spec 4.4-4.6: label, ID, application, a data
 * object's value); 0 if it may not. Class, token, private, the CA flag and
 * every derived attribute are read-only, so a session object never becomes
 * a CA object. */
static size_t p11_modifiable_max(uint8_t cls, CK_ATTRIBUTE_TYPE t)
{
    switch (t) {
    case CKA_LABEL: return SG_MAX_LABEL;
    case CKA_ID: return cls == SG_CLASS_CERT || cls == SG_CLASS_DATA ? SG_MAX_ID : 0;
    case CKA_APPLICATION: return cls == SG_CLASS_DATA ? SG_MAX_APPLICATION : 0;
    case CKA_VALUE: return cls == SG_CLASS_DATA ? SG_MAX_VALUE : 0;
    default: return 0;
    }
}

/* Checks the whole template before anything changes (all or nothing). */
static CK_RV p11_mod_check(const struct p11_sobj *so, const struct p11_view *v, const CK_ATTRIBUTE *t,
                           CK_ULONG n, int copy)
{
    for (CK_ULONG i = 0; i < n; i++) {
        const CK_ATTRIBUTE *a = &t[i];
        if (!a->pValue && a->ulValueLen)
            return CKR_ATTRIBUTE_VALUE_INVALID;
        /* Spec: a copy may restate CKA_TOKEN/CKA_PRIVATE; a session object
         * stays one and cannot become a CA object. */
        if (copy && (a->type == CKA_TOKEN || a->type == CKA_SBRGUARD_CA)) {
            if (a->ulValueLen != sizeof(CK_BBOOL))
                return CKR_ATTRIBUTE_VALUE_INVALID;
            if (*(const CK_BBOOL *)a->pValue)
                return CKR_TEMPLATE_INCONSISTENT;
            continue;
        }
        if (copy && a->type == CKA_PRIVATE) {
            if (a->ulValueLen != sizeof(CK_BBOOL))
                return CKR_ATTRIBUTE_VALUE_INVALID;
            if ((*(const CK_BBOOL *)a->pValue != 0) != ((so->rec.flags & SG_OBJ_PRIVATE) != 0))
                return CKR_TEMPLATE_INCONSISTENT;
            continue;
        }
        size_t max = p11_modifiable_max(so->rec.cls, a->type);
        if (!max)
            return p11_view_find(v, a->type) ? CKR_ATTRIBUTE_READ_ONLY : CKR_ATTRIBUTE_TYPE_INVALID;
        if (a->ulValueLen > max || (a->type == CKA_LABEL && memchr(a->pValue, 0, a->ulValueLen)))
            return CKR_ATTRIBUTE_VALUE_INVALID;
    }
    return CKR_OK;
}

/* The value of field type in the new object: the template's, else rec's. */
static const CK_ATTRIBUTE *p11_mod_get(const CK_ATTRIBUTE *t, CK_ULONG n, CK_ATTRIBUTE_TYPE type)
{
    const CK_ATTRIBUTE *last = NULL;
    for (CK_ULONG i = 0; i < n; i++)
        if (t[i].type == type)
            last = &t[i];
    return last;
}

/* Builds into dst (a fresh buffer) the record of so with the template's
 * values applied. */
static CK_RV p11_mod_build(const struct p11_sobj *so, const CK_ATTRIBUTE *t, CK_ULONG n, struct p11_rec *r,
                           uint8_t **buf)
{
    struct {
        CK_ATTRIBUTE_TYPE type;
        const uint8_t **ptr;
        size_t *len;
    } f[] = {
        {CKA_ID, &r->id, &r->id_len},
        {CKA_VALUE, &r->value, &r->value_len},
        {CKA_APPLICATION, &r->application, &r->application_len},
        {CKA_LABEL, &r->label, &r->label_len},
    };
    *r = so->rec;
    size_t total = r->host_attrs_len;
    for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
        const CK_ATTRIBUTE *a = p11_mod_get(t, n, f[i].type);
        if (a) {
            *f[i].ptr = a->pValue;
            *f[i].len = a->ulValueLen;
        }
        total += *f[i].len;
    }
    uint8_t *b = malloc(total ? total : 1), *p = b;
    if (!b)
        return CKR_HOST_MEMORY;
    for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
        if (*f[i].len)
            memcpy(p, *f[i].ptr, *f[i].len);
        *f[i].ptr = p;
        p += *f[i].len;
    }
    if (r->host_attrs_len)
        memcpy(p, r->host_attrs, r->host_attrs_len);
    r->host_attrs = p;
    *buf = b;
    return CKR_OK;
}

/* A token object: not modifiable (CKA_MODIFIABLE = FALSE). A request that
 * would move a CA binding (CKA_ID, CKA_SBRGUARD_CA of a CA key or
 * certificate) is also told on stderr/syslog. */
static CK_RV p11_mod_token(CK_OBJECT_HANDLE h, const CK_ATTRIBUTE *t, CK_ULONG n, const char *what)
{
    struct p11_view *v = malloc(sizeof(*v));
    if (!v)
        return CKR_HOST_MEMORY;
    CK_RV rv = p11_obj_view(h, v);
    if (rv == CKR_OK) {
        const struct p11_attr *ca = p11_view_find(v, CKA_SBRGUARD_CA);
        int is_ca = ca && ca->len == 1 && v->buf[ca->off];
        for (CK_ULONG i = 0; is_ca && i < n; i++)
            if (t[i].type == CKA_ID || t[i].type == CKA_SBRGUARD_CA) {
                p11_note("%s: refused: it would move the CA binding of object 0x%lx (CKR_ACTION_PROHIBITED)", what,
                         (unsigned long)h);
                break;
            }
        rv = CKR_ACTION_PROHIBITED;
    }
    free(v);
    return rv;
}

CK_RV C_SetAttributeValue(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject,
                          CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount)
{
    struct p11_session *s;
    struct p11_view *v = NULL;
    struct p11_sobj *so;
    CK_RV rv = p11_enter_session(hSession, &s);
    if (rv != CKR_OK)
        return rv;
    if (!pTemplate && ulCount) {
        rv = CKR_ARGUMENTS_BAD;
    } else if (!(hObject & P11_H_SESSION)) {
        rv = p11_mod_token(hObject, pTemplate, ulCount, "C_SetAttributeValue");
    } else if (!(so = p11_sobj_find(hObject))) {
        rv = CKR_OBJECT_HANDLE_INVALID;
    } else if (so->rec.flags & P11_F_FIXED) {
        rv = CKR_ACTION_PROHIBITED;
    } else if (!(v = malloc(sizeof(*v)))) {
        rv = CKR_HOST_MEMORY;
    } else if ((rv = p11_view_build(v, &so->rec, P11_K_OTHER, 0, 0)) == CKR_OK &&
               (rv = p11_mod_check(so, v, pTemplate, ulCount, 0)) == CKR_OK) {
        struct p11_rec r;
        uint8_t *buf;
        if ((rv = p11_mod_build(so, pTemplate, ulCount, &r, &buf)) == CKR_OK) {
            free(so->buf);
            so->buf = buf;
            so->rec = r;
        }
    }
    free(v);
    p11_leave();
    return rv;
}

CK_RV C_CopyObject(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject, CK_ATTRIBUTE_PTR pTemplate,
                   CK_ULONG ulCount, CK_OBJECT_HANDLE_PTR phNewObject)
{
    struct p11_session *s;
    struct p11_view *v = NULL;
    struct p11_sobj *so, *n = NULL;
    CK_RV rv = p11_enter_session(hSession, &s);
    if (rv != CKR_OK)
        return rv;
    if ((!pTemplate && ulCount) || !phNewObject) {
        rv = CKR_ARGUMENTS_BAD;
    } else if (!(hObject & P11_H_SESSION)) {
        rv = p11_mod_token(hObject, pTemplate, ulCount, "C_CopyObject"); /* CKA_COPYABLE = FALSE */
    } else if (!(so = p11_sobj_find(hObject))) {
        rv = CKR_OBJECT_HANDLE_INVALID;
    } else if (so->rec.flags & P11_F_NOCOPY) {
        rv = CKR_ACTION_PROHIBITED;
    } else if (!(v = malloc(sizeof(*v))) || !(n = calloc(1, sizeof(*n)))) {
        rv = CKR_HOST_MEMORY;
    } else if ((rv = p11_view_build(v, &so->rec, P11_K_OTHER, 0, 0)) == CKR_OK &&
               (rv = p11_mod_check(so, v, pTemplate, ulCount, 1)) == CKR_OK &&
               (rv = p11_mod_build(so, pTemplate, ulCount, &n->rec, &n->buf)) == CKR_OK) {
        *phNewObject = p11_sobj_add(n, s->handle);
        n = NULL;
    }
    free(n);
    free(v);
    p11_leave();
    return rv;
}

/* Matches the attributes that need no fetch; others are checked later. */
static int p11_cheap_match(const CK_ATTRIBUTE *t, CK_ULONG n, CK_OBJECT_CLASS cls,
                           CK_BBOOL token, CK_BBOOL priv)
{
    for (CK_ULONG i = 0; i < n; i++) {
        if (t[i].type == CKA_CLASS) {
            if (t[i].ulValueLen != sizeof(cls) || !t[i].pValue ||
                memcmp(t[i].pValue, &cls, sizeof(cls)) != 0)
                return 0;
        } else if (t[i].type == CKA_TOKEN || t[i].type == CKA_PRIVATE) {
            CK_BBOOL want = t[i].type == CKA_TOKEN ? token : priv;
            if (t[i].ulValueLen != sizeof(CK_BBOOL) || !t[i].pValue ||
                (*(CK_BBOOL *)t[i].pValue != 0) != (want != 0))
                return 0;
        }
    }
    return 1;
}

static CK_OBJECT_CLASS p11_pk_class(uint8_t cls, unsigned kind)
{
    if (cls == SG_CLASS_KEY)
        return kind == P11_K_PRIV ? CKO_PRIVATE_KEY : CKO_PUBLIC_KEY;
    return cls == SG_CLASS_CERT ? CKO_CERTIFICATE : CKO_DATA;
}

struct p11_found {
    CK_OBJECT_HANDLE *h;
    size_t n, cap;
};

static CK_RV p11_found_add(struct p11_found *f, CK_OBJECT_HANDLE h)
{
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 32;
        CK_OBJECT_HANDLE *nh = realloc(f->h, cap * sizeof(*nh));
        if (!nh)
            return CKR_HOST_MEMORY;
        f->h = nh;
        f->cap = cap;
    }
    f->h[f->n++] = h;
    return CKR_OK;
}

/* Token objects matching the template, in list order. */
static CK_RV p11_find_token(const CK_ATTRIBUTE *t, CK_ULONG n, int cheap, struct p11_found *f,
                            struct p11_view *v)
{
    sg_client *c;
    size_t cnt = P11_LIST_CAP;
    CK_RV rv = p11_client(&c);
    if (rv != CKR_OK)
        return rv;
    sg_list_entry *list = malloc(P11_LIST_CAP * sizeof(*list));
    sg_object *o = malloc(sizeof(*o));
    if (!list || !o) {
        rv = CKR_HOST_MEMORY;
        goto out;
    }
    rv = p11_check(sg_list(c, list, &cnt), "list");
    if (rv == CKR_TOKEN_NOT_RECOGNIZED) {
        rv = CKR_OK; /* an uninitialized token holds no objects */
        cnt = 0;
    }
    for (size_t i = 0; rv == CKR_OK && i < cnt; i++) {
        const sg_list_entry *e = &list[i];
        unsigned kinds[2], nk = 0;
        int fetched = 0;
        if (e->cls == SG_CLASS_KEY) {
            kinds[nk++] = P11_K_PRIV;
            kinds[nk++] = P11_K_PUB;
        } else if (e->cls == SG_CLASS_CERT || e->cls == SG_CLASS_DATA) {
            kinds[nk++] = P11_K_OTHER;
        }
        for (unsigned k = 0; rv == CKR_OK && k < nk; k++) {
            unsigned kind = kinds[k];
            int priv = kind == P11_K_PRIV || (e->cls != SG_CLASS_KEY && (e->flags & SG_OBJ_PRIVATE));
            if (!p11_visible(e->cls, kind, e->flags) ||
                !p11_cheap_match(t, n, p11_pk_class(e->cls, kind), !(e->flags & SG_OBJ_SESSION), (CK_BBOOL)priv))
                continue;
            if (!cheap) {
                if (!fetched) {
                    rv = p11_check(sg_get_object(c, e->handle, o), "get-object");
                    if (rv == CKR_OBJECT_HANDLE_INVALID || rv == CKR_USER_NOT_LOGGED_IN) {
                        rv = CKR_OK; /* gone meanwhile, or not ours to see */
                        break;
                    }
                    if (rv != CKR_OK)
                        break;
                    fetched = 1;
                }
                if (p11_token_view(o, kind, v) != CKR_OK || !p11_view_match(v, t, n))
                    continue;
            }
            rv = p11_found_add(f, P11_HANDLE(e->handle, kind));
        }
    }
out:
    free(list);
    free(o);
    return rv;
}

CK_RV C_FindObjectsInit(CK_SESSION_HANDLE hSession, CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount)
{
    struct p11_session *s;
    struct p11_found f = {0};
    struct p11_view *v = NULL;
    int cheap = 1;
    CK_RV rv = p11_enter_session(hSession, &s);
    if (rv != CKR_OK)
        return rv;
    if (s->find_active)
        rv = CKR_OPERATION_ACTIVE;
    if (rv == CKR_OK && !pTemplate && ulCount)
        rv = CKR_ARGUMENTS_BAD;
    if (rv == CKR_OK && !(v = malloc(sizeof(*v))))
        rv = CKR_HOST_MEMORY;
    if (rv != CKR_OK)
        goto out;
    for (CK_ULONG i = 0; i < ulCount; i++)
        cheap &= p11_is_cheap_attr(pTemplate[i].type);
    rv = p11_find_token(pTemplate, ulCount, cheap, &f, v);
    for (struct p11_sobj *o = p11_g.objs; rv == CKR_OK && o; o = o->next) {
        if (!p11_visible(o->rec.cls, P11_K_OTHER, o->rec.flags))
            continue;
        if (p11_view_build(v, &o->rec, P11_K_OTHER, 0, 0) == CKR_OK &&
            p11_view_match(v, pTemplate, ulCount))
            rv = p11_found_add(&f, o->handle);
    }
    /* The link may have dropped (and closed s) in between. */
    if (rv == CKR_OK && !s->dead) {
        s->found = f.h;
        s->nfound = f.n;
        s->pos = 0;
        s->find_active = 1;
        f.h = NULL;
    }
out:
    free(f.h);
    free(v);
    p11_leave();
    return rv;
}

CK_RV C_FindObjects(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE_PTR phObject,
                    CK_ULONG ulMaxObjectCount, CK_ULONG_PTR pulObjectCount)
{
    struct p11_session *s;
    CK_RV rv = p11_enter_session(hSession, &s);
    if (rv != CKR_OK)
        return rv;
    if (!pulObjectCount || (!phObject && ulMaxObjectCount))
        rv = CKR_ARGUMENTS_BAD;
    if (rv == CKR_OK && !s->find_active)
        rv = CKR_OPERATION_NOT_INITIALIZED;
    if (rv == CKR_OK) {
        CK_ULONG n = 0;
        while (n < ulMaxObjectCount && s->pos < s->nfound)
            phObject[n++] = s->found[s->pos++];
        *pulObjectCount = n;
    }
    p11_leave();
    return rv;
}

CK_RV C_FindObjectsFinal(CK_SESSION_HANDLE hSession)
{
    struct p11_session *s;
    CK_RV rv = p11_enter_op(hSession, P11_OP_FIND, &s);
    if (rv != CKR_OK)
        return rv;
    p11_find_reset(s);
    p11_leave();
    return rv;
}

CK_RV C_DestroyObject(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject)
{
    struct p11_session *s;
    sg_object *o = NULL;
    uint16_t th;
    unsigned kind;
    sg_client *c;
    CK_RV rv = p11_enter_session(hSession, &s);
    if (rv != CKR_OK)
        return rv;
    p11_sign_memo_drop(); /* the memo is the session's slot's */
    if (hObject & P11_H_SESSION) {
        struct p11_sobj **pp = &p11_g.objs;
        rv = CKR_OBJECT_HANDLE_INVALID;
        for (; *pp; pp = &(*pp)->next) {
            struct p11_sobj *so = *pp;
            if (so->handle == hObject && p11_visible(so->rec.cls, P11_K_OTHER, so->rec.flags)) {
                *pp = so->next;
                free(so->buf);
                free(so);
                rv = CKR_OK;
                break;
            }
        }
        goto out;
    }
    if (!p11_split(hObject, &th, &kind)) {
        rv = CKR_OBJECT_HANDLE_INVALID;
        goto out;
    }
    /* Check the handle really names this object before the token deletes
     * it: (h << 2) | 3 of a key must not destroy the key. */
    if (!(o = malloc(sizeof(*o)))) {
        rv = CKR_HOST_MEMORY;
        goto out;
    }
    if ((rv = p11_fetch(th, kind, o)) != CKR_OK)
        goto out;
    /* Spec 5.2: a read-only session may destroy session objects. */
    int session = o->cls == SG_CLASS_KEY && (o->flags & SG_OBJ_SESSION);
    if (!session && !(s->flags & CKF_RW_SESSION))
        rv = CKR_SESSION_READ_ONLY;
    else if ((rv = p11_client(&c)) == CKR_OK)
        rv = p11_check(session ? sg_drop_session_key(c, th, kind == P11_K_PRIV ? SG_PART_PRIVATE : SG_PART_PUBLIC)
                       : o->cls == SG_CLASS_KEY
                           ? sg_destroy_key_part(c, th, kind == P11_K_PRIV ? SG_PART_PRIVATE : SG_PART_PUBLIC)
                           : sg_destroy_object(c, th),
                       "destroy");
    /* The second half took the pair. */
    if (rv == CKR_OK && session && (o->flags & (kind == P11_K_PRIV ? SG_OBJ_PUB_GONE : SG_OBJ_PRIV_GONE)))
        p11_skey_forget(th);
out:
    free(o);
    p11_leave();
    return rv;
}
