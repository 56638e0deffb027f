/* SPDX-License-Identifier: Apache-2.0 */
/* Object handles: which object a handle names (a token object fetched from
 * the token on every call, another process may have changed it; a module
 * session object in p11_g.objs), and whether the application may see it. */
#include <stdlib.h>
#include <string.h>
#include "p11.h"

int p11_user(void)
{
    return p11_g.login == SG_LOGIN_USER;
}

/* Private keys and private objects exist for the application only while
 * the user is logged in. */
int p11_visible(uint8_t cls, unsigned kind, uint32_t flags)
{
    /* Each half of a key pair is its own object, destroyed on its own. */
    if (cls == SG_CLASS_KEY && (flags & (kind == P11_K_PRIV ? SG_OBJ_PRIV_GONE : SG_OBJ_PUB_GONE)))
        return 0;
    if (kind == P11_K_PRIV || (cls != SG_CLASS_KEY && (flags & SG_OBJ_PRIVATE)))
        return p11_user();
    return 1;
}

static int p11_kind_fits(uint8_t cls, unsigned kind)
{
    if (cls == SG_CLASS_KEY)
        return kind == P11_K_PRIV || kind == P11_K_PUB;
    return (cls == SG_CLASS_CERT || cls == SG_CLASS_DATA || cls == P11_CLS_EVIDENCE) && kind == P11_K_OTHER;
}

int p11_split(CK_OBJECT_HANDLE h, uint16_t *th, unsigned *kind)
{
    if ((h & P11_H_SESSION) || (h & 3) == 0 || (h >> 2) > 0xFFFF)
        return 0;
    *th = (uint16_t)(h >> 2);
    *kind = (unsigned)(h & 3);
    return 1;
}

struct p11_sobj *p11_sobj_find(CK_OBJECT_HANDLE h)
{
    for (struct p11_sobj *o = p11_g.objs; o; o = o->next)
        if (o->handle == h && p11_visible(o->rec.cls, P11_K_OTHER, o->rec.flags))
            return o;
    return NULL;
}

CK_OBJECT_HANDLE p11_sobj_add(struct p11_sobj *so, CK_SESSION_HANDLE owner)
{
    so->owner = owner;
    so->handle = P11_H_SESSION | (p11_g.next_obj & 0x7FFFFFFFUL);
    p11_g.next_obj = (p11_g.next_obj + 1) & 0x7FFFFFFFUL;
    if (p11_g.next_obj == 0)
        p11_g.next_obj = 1;
    so->next = p11_g.objs;
    p11_g.objs = so;
    return so->handle;
}

/* Fetches token object th into o, as the handle's kind, if visible. */
CK_RV p11_fetch(uint16_t th, unsigned kind, sg_object *o)
{
    sg_client *c;
    if (kind == P11_K_PRIV && !p11_user())
        return CKR_OBJECT_HANDLE_INVALID;
    CK_RV rv = p11_client(&c);
    if (rv != CKR_OK)
        return rv;
    rv = p11_check(sg_get_object(c, th, o), "get-object");
    if (rv == CKR_USER_NOT_LOGGED_IN)
        return CKR_OBJECT_HANDLE_INVALID;
    if (rv != CKR_OK)
        return rv;
    if (!p11_kind_fits(o->cls, kind) || !p11_visible(o->cls, kind, o->flags))
        return CKR_OBJECT_HANDLE_INVALID;
    return CKR_OK;
}

CK_RV p11_token_view(const sg_object *o, unsigned kind, struct p11_view *v)
{
    struct p11_rec r;
    p11_rec_from_sg(&r, o);
    /* A session key pair is in the token's RAM: CKA_TOKEN = FALSE. */
    return p11_view_build(v, &r, kind, !(o->flags & SG_OBJ_SESSION), P11_HANDLE(o->bound_key, P11_K_PRIV));
}

/* View of any object handle the application may see. */
CK_RV p11_obj_view(CK_OBJECT_HANDLE h, struct p11_view *v)
{
    uint16_t th;
    unsigned kind;
    if (h & P11_H_SESSION) {
        struct p11_sobj *so = p11_sobj_find(h);
        return so ? p11_view_build(v, &so->rec, P11_K_OTHER, 0, 0) : CKR_OBJECT_HANDLE_INVALID;
    }
    if (!p11_split(h, &th, &kind))
        return CKR_OBJECT_HANDLE_INVALID;
    sg_object *o = malloc(sizeof(*o));
    if (!o)
        return CKR_HOST_MEMORY;
    CK_RV rv = p11_fetch(th, kind, o);
    if (rv == CKR_OK)
        rv = p11_token_view(o, kind, v);
    free(o);
    return rv;
}

CK_RV p11_object_class(CK_OBJECT_HANDLE h, CK_OBJECT_CLASS *cls)
{
    struct p11_view *v = malloc(sizeof(*v));
    if (!v)
        return CKR_HOST_MEMORY;
    CK_RV rv = p11_obj_view(h, v);
    const struct p11_attr *a = rv == CKR_OK ? p11_view_find(v, CKA_CLASS) : NULL;
    if (rv == CKR_OK && (!a || a->len != sizeof(*cls)))
        rv = CKR_GENERAL_ERROR;
    else if (rv == CKR_OK)
        memcpy(cls, v->buf + a->off, sizeof(*cls));
    free(v);
    return rv;
}
