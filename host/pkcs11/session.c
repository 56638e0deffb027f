/* SPDX-License-Identifier: Apache-2.0 */
/* Sessions, login state and PINs. Login is per application (= per
 * connection on the token), so it lives in p11_g (the slot's), not in the
 * session. */
#include <stdlib.h>
#include <string.h>
#include "p11.h"

/* The next free handle of the slot: (slot << shift) | n, n never 0 and
 * not one of a session still open after the counter wrapped. */
static CK_SESSION_HANDLE p11_session_handle_new(void)
{
    const CK_ULONG mask = (1UL << P11_SESSION_SLOT_SHIFT) - 1;
    struct p11_session *found;
    CK_SESSION_HANDLE h;
    do {
        h = (p11_g.slot << P11_SESSION_SLOT_SHIFT) | p11_g.next_session;
        p11_g.next_session = (p11_g.next_session + 1) & mask;
        if (!p11_g.next_session)
            p11_g.next_session = 1;
    } while (p11_session_get(h, &found) == CKR_OK);
    return h;
}

static size_t p11_session_count(int rw_only)
{
    size_t n = 0;
    for (struct p11_session *s = p11_g.sessions; s; s = s->next)
        if (!s->dead && (!rw_only || (s->flags & CKF_RW_SESSION)))
            n++;
    return n;
}

/* Spec: closing the last session logs the application out. */
static void p11_logout_if_idle(void)
{
    if (p11_session_count(0) || p11_g.login == SG_LOGIN_NONE)
        return;
    if (p11_g.client)
        p11_check(sg_logout(p11_g.client), "logout");
    p11_g.login = SG_LOGIN_NONE;
}

CK_RV C_OpenSession(CK_SLOT_ID slotID, CK_FLAGS flags, CK_VOID_PTR pApplication,
                    CK_NOTIFY Notify, CK_SESSION_HANDLE_PTR phSession)
{
    (void)pApplication;
    (void)Notify; /* no callbacks: nothing surrenders */
    CK_RV rv = p11_enter();
    if (rv != CKR_OK)
        return rv;
    sg_client *c;
    if ((rv = p11_slot_take(slotID)) != CKR_OK)
        ;
    else if (!(flags & CKF_SERIAL_SESSION))
        rv = CKR_SESSION_PARALLEL_NOT_SUPPORTED;
    else if (!phSession)
        rv = CKR_ARGUMENTS_BAD;
    else if (!(flags & CKF_RW_SESSION) && p11_g.login == SG_LOGIN_SO)
        rv = CKR_SESSION_READ_WRITE_SO_EXISTS;
    else
        rv = p11_client(&c); /* fail early if the token is not there */
    if (rv == CKR_OK) {
        struct p11_session *s = calloc(1, sizeof(*s));
        if (!s) {
            rv = CKR_HOST_MEMORY;
        } else {
            s->handle = p11_session_handle_new();
            s->flags = (flags & CKF_RW_SESSION) | CKF_SERIAL_SESSION;
            s->next = p11_g.sessions;
            p11_g.sessions = s;
            *phSession = s->handle;
        }
    }
    p11_leave();
    return rv;
}

CK_RV C_CloseSession(CK_SESSION_HANDLE hSession)
{
    struct p11_session *s;
    CK_RV rv = p11_enter_session(hSession, &s);
    if (rv != CKR_OK)
        return rv;
    p11_session_close(s);
    p11_logout_if_idle();
    p11_leave();
    return rv;
}

CK_RV C_CloseAllSessions(CK_SLOT_ID slotID)
{
    CK_RV rv = p11_enter();
    if (rv != CKR_OK)
        return rv;
    if ((rv = p11_slot_take(slotID)) == CKR_OK) {
        p11_sessions_close_all();
        p11_logout_if_idle();
    }
    p11_leave();
    return rv;
}

CK_RV C_GetSessionInfo(CK_SESSION_HANDLE hSession, CK_SESSION_INFO_PTR pInfo)
{
    struct p11_session *s;
    CK_RV rv = p11_enter_session(hSession, &s);
    if (rv != CKR_OK)
        return rv;
    if (!pInfo)
        rv = CKR_ARGUMENTS_BAD;
    if (rv == CKR_OK) {
        int rw = (s->flags & CKF_RW_SESSION) != 0;
        memset(pInfo, 0, sizeof(*pInfo));
        pInfo->slotID = p11_g.slot;
        pInfo->flags = s->flags;
        if (p11_g.login == SG_LOGIN_SO)
            pInfo->state = CKS_RW_SO_FUNCTIONS;
        else if (p11_g.login == SG_LOGIN_USER)
            pInfo->state = rw ? CKS_RW_USER_FUNCTIONS : CKS_RO_USER_FUNCTIONS;
        else
            pInfo->state = rw ? CKS_RW_PUBLIC_SESSION : CKS_RO_PUBLIC_SESSION;
        pInfo->ulDeviceError = 0;
    }
    p11_leave();
    return rv;
}

static CK_RV p11_pin_args(CK_UTF8CHAR_PTR pin, CK_ULONG len)
{
    if (!pin) /* no protected authentication path */
        return CKR_ARGUMENTS_BAD;
    if (len > SG_MAX_PIN)
        return CKR_PIN_LEN_RANGE;
    return CKR_OK;
}

CK_RV C_Login(CK_SESSION_HANDLE hSession, CK_USER_TYPE userType, CK_UTF8CHAR_PTR pPin,
              CK_ULONG ulPinLen)
{
    struct p11_session *s;
    sg_client *c;
    int want = userType == CKU_SO ? SG_LOGIN_SO : SG_LOGIN_USER;
    CK_RV rv = p11_enter_session(hSession, &s);
    if (rv != CKR_OK)
        return rv;
    if (userType == CKU_CONTEXT_SPECIFIC) {
        /* No key needs CKA_ALWAYS_AUTHENTICATE. */
        rv = p11_g.login == SG_LOGIN_USER ? CKR_OPERATION_NOT_INITIALIZED
                                          : CKR_USER_NOT_LOGGED_IN;
        goto out;
    }
    if (userType != CKU_SO && userType != CKU_USER) {
        rv = CKR_USER_TYPE_INVALID;
        goto out;
    }
    if (p11_g.login != SG_LOGIN_NONE) {
        rv = p11_g.login == want ? CKR_USER_ALREADY_LOGGED_IN
                                 : CKR_USER_ANOTHER_ALREADY_LOGGED_IN;
        goto out;
    }
    if (want == SG_LOGIN_SO && p11_session_count(0) != p11_session_count(1)) {
        rv = CKR_SESSION_READ_ONLY_EXISTS;
        goto out;
    }
    if ((rv = p11_pin_args(pPin, ulPinLen)) != CKR_OK || (rv = p11_client(&c)) != CKR_OK)
        goto out;
    rv = p11_check(sg_login(c, (int)userType, (const char *)pPin, ulPinLen), "login");
    if (rv == CKR_OK)
        p11_g.login = want;
    p11_sign_memo_drop();
out:
    p11_leave();
    return rv;
}

CK_RV C_Logout(CK_SESSION_HANDLE hSession)
{
    struct p11_session *s;
    sg_client *c;
    CK_RV rv = p11_enter_session(hSession, &s);
    if (rv != CKR_OK)
        return rv;
    if (p11_g.login == SG_LOGIN_NONE)
        rv = CKR_USER_NOT_LOGGED_IN;
    if (rv == CKR_OK && (rv = p11_client(&c)) == CKR_OK) {
        rv = p11_check(sg_logout(c), "logout");
        if (rv == CKR_OK || rv == CKR_USER_NOT_LOGGED_IN) {
            /* Either way the token no longer has us logged in. */
            p11_g.login = SG_LOGIN_NONE;
            p11_ops_cancel_all();
            rv = CKR_OK;
        }
    }
    p11_leave();
    return rv;
}

CK_RV C_InitPIN(CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pPin, CK_ULONG ulPinLen)
{
    struct p11_session *s;
    sg_client *c;
    CK_RV rv = p11_enter_session(hSession, &s);
    if (rv != CKR_OK)
        return rv;
    if (p11_g.login != SG_LOGIN_SO)
        rv = CKR_USER_NOT_LOGGED_IN;
    if (rv == CKR_OK && !(s->flags & CKF_RW_SESSION))
        rv = CKR_SESSION_READ_ONLY;
    if (rv == CKR_OK)
        rv = p11_pin_args(pPin, ulPinLen);
    if (rv == CKR_OK && ulPinLen < SG_MIN_PIN)
        rv = CKR_PIN_LEN_RANGE;
    if (rv == CKR_OK && (rv = p11_client(&c)) == CKR_OK)
        rv = p11_check(sg_init_pin(c, (const char *)pPin, ulPinLen), "init-pin");
    p11_leave();
    return rv;
}

CK_RV C_SetPIN(CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pOldPin, CK_ULONG ulOldLen,
               CK_UTF8CHAR_PTR pNewPin, CK_ULONG ulNewLen)
{
    struct p11_session *s;
    sg_client *c;
    CK_RV rv = p11_enter_session(hSession, &s);
    if (rv != CKR_OK)
        return rv;
    if (!(s->flags & CKF_RW_SESSION))
        rv = CKR_SESSION_READ_ONLY;
    if (rv == CKR_OK && (rv = p11_pin_args(pOldPin, ulOldLen)) == CKR_OK)
        rv = p11_pin_args(pNewPin, ulNewLen);
    if (rv == CKR_OK && ulNewLen < SG_MIN_PIN)
        rv = CKR_PIN_LEN_RANGE;
    if (rv == CKR_OK && (rv = p11_client(&c)) == CKR_OK) {
        /* Spec: the SO changes the SO PIN, anyone else the user PIN. */
        int who = p11_g.login == SG_LOGIN_SO ? SG_USER_SO : SG_USER_USER;
        rv = p11_check(sg_set_pin(c, who, (const char *)pOldPin, ulOldLen,
                                  (const char *)pNewPin, ulNewLen), "set-pin");
    }
    p11_leave();
    return rv;
}
