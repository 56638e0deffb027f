/* SPDX-License-Identifier: Apache-2.0 */
/* The slot's connection to its token: made lazily, checked before each
 * call, dropped with everything that relied on it when the link breaks
 * (p11_check). Above the slots (state.c), the session list (sesslist.c)
 * and the error table (errors.c). */
#include <unistd.h>
#include "p11.h"

CK_RV p11_client(sg_client **c)
{
    /* A forked child must not share the parent's socket (and login). */
    if (p11_g.client && p11_g.pid != getpid())
        p11_link_lost();
    /* The token closes connections idle for its idle timeout: a module
     * that was not logged in just reconnects; a login is gone with it. */
    if (p11_g.client && !sg_alive(p11_g.client)) {
        int was = p11_g.login != SG_LOGIN_NONE;
        p11_link_lost();
        if (was) {
            p11_note("the token closed the idle connection: logged out, sessions closed (CKR_DEVICE_ERROR)");
            return CKR_DEVICE_ERROR;
        }
    }
    if (!p11_g.client) {
        sg_client *nc = NULL;
        int rv = sg_connect(&nc, p11_g.socket);
        if (rv != SG_OK)
            return p11_check(rv, "connect");
        p11_g.client = nc;
        p11_g.pid = getpid();
    }
    *c = p11_g.client;
    return CKR_OK;
}

void p11_link_lost(void)
{
    p11_sign_memo_drop(); /* it names a key of the connection that is gone */
    p11_skeys_close(0);   /* and so do the session keys (token RAM) */
    if (p11_g.client) {
        sg_free(p11_g.client);
        p11_g.client = NULL;
    }
    if (p11_g.login != SG_LOGIN_NONE) {
        p11_sessions_close_all();
        p11_g.login = SG_LOGIN_NONE;
    }
}

CK_RV p11_check(int sgrv, const char *what)
{
    int lost;
    CK_RV rv = p11_rv(sgrv, what, &lost);
    if (lost)
        p11_link_lost();
    return rv;
}
