/* SPDX-License-Identifier: Apache-2.0 */
/* The slot's session list: a handle's session (taking its slot), and
 * closing a session with everything it holds: its running operations
 * (sign, digest, verify, find), its session objects and its session key
 * pairs (skeys.c). The entry points that open, close and log in are in
 * session.c. */
#include <stdlib.h>
#include <string.h>
#include "p11.h"

CK_RV p11_session_get(CK_SESSION_HANDLE h, struct p11_session **out)
{
    /* The handle names its slot; the call holds that slot from here on. */
    if (p11_slot_take(h >> P11_SESSION_SLOT_SHIFT) != CKR_OK)
        return CKR_SESSION_HANDLE_INVALID;
    for (struct p11_session *s = p11_g.sessions; s; s = s->next) {
        if (s->handle == h && !s->dead) {
            *out = s;
            return CKR_OK;
        }
    }
    return CKR_SESSION_HANDLE_INVALID;
}

CK_RV p11_enter_session(CK_SESSION_HANDLE h, struct p11_session **s)
{
    CK_RV rv = p11_enter();
    if (rv == CKR_OK && (rv = p11_session_get(h, s)) != CKR_OK)
        p11_leave();
    return rv;
}

CK_RV p11_enter_op(CK_SESSION_HANDLE h, enum p11_op op, struct p11_session **s)
{
    CK_RV rv = p11_enter_session(h, s);
    if (rv != CKR_OK)
        return rv;
    int running = op == P11_OP_SIGN ? (*s)->sign.active
                : op == P11_OP_DIGEST ? (*s)->digest != NULL
                : op == P11_OP_VERIFY ? (*s)->verify != NULL
                : (*s)->find_active;
    if (running)
        return CKR_OK;
    p11_leave();
    return CKR_OPERATION_NOT_INITIALIZED;
}

void p11_find_reset(struct p11_session *s)
{
    free(s->found);
    s->found = NULL;
    s->nfound = s->pos = 0;
    s->find_active = 0;
}

void p11_sign_reset(struct p11_sign *op)
{
    free(op->buf);
    memset(op, 0, sizeof(*op));
}

/* Logout or a lost login: running operations may refer to private keys. */
void p11_ops_cancel_all(void)
{
    p11_sign_memo_drop();
    for (struct p11_session *s = p11_g.sessions; s; s = s->next) {
        p11_find_reset(s);
        p11_sign_reset(&s->sign);
    }
}

static void p11_sobjs_free_owned(CK_SESSION_HANDLE owner)
{
    struct p11_sobj **pp = &p11_g.objs;
    while (*pp) {
        struct p11_sobj *o = *pp;
        if (o->owner == owner) {
            *pp = o->next;
            free(o->buf);
            free(o);
        } else {
            pp = &o->next;
        }
    }
}

/* Marks the session closed; the memory goes in p11_sessions_sweep(). */
void p11_session_close(struct p11_session *s)
{
    if (s->dead)
        return;
    s->dead = 1;
    p11_find_reset(s);
    p11_sign_reset(&s->sign);
    p11_digest_reset(s);
    p11_verify_reset(s);
    p11_sobjs_free_owned(s->handle);
    p11_skeys_close(s->handle); /* its session key pairs, in token RAM */
}

void p11_sessions_close_all(void)
{
    for (struct p11_session *s = p11_g.sessions; s; s = s->next)
        p11_session_close(s);
}

void p11_digest_reset(struct p11_session *s)
{
    if (s->digest) {
        mbedtls_md_free(&s->digest->md);
        free(s->digest);
        s->digest = NULL;
    }
}

void p11_verify_reset(struct p11_session *s)
{
    if (s->verify) {
        mbedtls_pk_free(&s->verify->pk);
        mbedtls_md_free(&s->verify->md);
        free(s->verify);
        s->verify = NULL;
    }
}
