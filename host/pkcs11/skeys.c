/* SPDX-License-Identifier: Apache-2.0 */
/* Session key pairs (C_GenerateKeyPair with CKA_TOKEN = FALSE): the token
 * keeps them in RAM for this connection (SG_OBJ_SESSION, handles with
 * SG_HANDLE_SESSION); the module remembers which PKCS#11 session made each
 * one, so that closing that session destroys it (PKCS#11 v2.40 section
 * 4.4: session objects die with the session that created them, and are
 * visible to the whole application). Under the module lock. */
#include <stdlib.h>
#include <unistd.h>
#include "p11.h"

struct p11_skey {
    struct p11_skey *next;
    uint16_t th;             /* token handle */
    CK_SESSION_HANDLE owner;
};
static struct p11_skey *p11_skeys;

CK_RV p11_skey_add(uint16_t th, CK_SESSION_HANDLE owner)
{
    struct p11_skey *k;
    /* A handle the token issues again names a new key (the old one went
     * with a lost connection): it takes the old entry. */
    for (k = p11_skeys; k; k = k->next)
        if (k->th == th) {
            k->owner = owner;
            return CKR_OK;
        }
    if (!(k = calloc(1, sizeof(*k))))
        return CKR_HOST_MEMORY;
    k->th = th;
    k->owner = owner;
    k->next = p11_skeys;
    p11_skeys = k;
    return CKR_OK;
}

void p11_skey_forget(uint16_t th)
{
    for (struct p11_skey **pp = &p11_skeys; *pp; pp = &(*pp)->next)
        if ((*pp)->th == th) {
            struct p11_skey *k = *pp;
            *pp = k->next;
            free(k);
            return;
        }
}

void p11_skeys_close(CK_SESSION_HANDLE owner)
{
    struct p11_skey **pp = &p11_skeys;
    int any = 0;
    while (*pp) {
        struct p11_skey *k = *pp;
        if (owner && k->owner != owner) {
            pp = &k->next;
            continue;
        }
        /* Only on this process's own live connection (a forked child must
         * not destroy its parent's keys); a lost link took them already.
         * No p11_check: a failure here must not start another close. */
        if (owner && p11_g.client && p11_g.pid == getpid())
            (void)sg_drop_session_key(p11_g.client, k->th, 0);
        *pp = k->next;
        free(k);
        any = 1;
    }
    if (any)
        p11_sign_memo_drop();
}
