/* SPDX-License-Identifier: Apache-2.0 */
/* Module life cycle: C_Initialize/C_Finalize (the slots themselves, their
 * locks and connections: state.c, conn.c) and C_GetInfo. */
#include <pthread.h>
#include <string.h>
#include <unistd.h>
#include "p11.h"

/* Guards initialization itself; the app's mutex (if any) exists only after. */
static pthread_mutex_t p11_init_lock = PTHREAD_MUTEX_INITIALIZER;
static pid_t p11_init_pid;

/* Drops what a parent process left in every slot (after fork). */
static void p11_slots_forget(void)
{
    for (CK_ULONG i = 0; i < p11_slot_count(); i++) {
        p11_slot_select(i);
        p11_sessions_close_all();
        p11_sessions_sweep();
        sg_free(p11_g.client);
        p11_g.client = NULL;
    }
    p11_slot_select(P11_MAX_SLOTS); /* none */
}

CK_RV C_Initialize(CK_VOID_PTR pInitArgs)
{
    CK_RV rv;
    pthread_mutex_lock(&p11_init_lock);
    if (p11_is_initialized() && p11_init_pid != getpid()) {
        /* A forked child starts afresh (spec): the parent's sessions, login
         * and socket are not its own, and a lock may have been held by a
         * parent thread at fork time, so nothing inherited is waited on. */
        p11_slots_forget();
        p11_set_initialized(0);
    }
    if (p11_is_initialized()) {
        rv = CKR_CRYPTOKI_ALREADY_INITIALIZED;
        goto out;
    }
    const CK_C_INITIALIZE_ARGS *a = pInitArgs;
    if (a && (a->pReserved || (!!a->CreateMutex + !!a->DestroyMutex + !!a->LockMutex + !!a->UnlockMutex) % 4)) {
        rv = CKR_ARGUMENTS_BAD;
        goto out;
    }
    if ((rv = p11_slots_load()) != CKR_OK || (rv = p11_lock_setup(a)) != CKR_OK)
        goto out;
    p11_init_pid = getpid();
    p11_set_initialized(1); /* a new generation: events.c takes a new baseline */
out:
    pthread_mutex_unlock(&p11_init_lock);
    return rv;
}

CK_RV C_Finalize(CK_VOID_PTR pReserved)
{
    if (!p11_is_initialized())
        return CKR_CRYPTOKI_NOT_INITIALIZED; /* before any argument check (spec 5.1) */
    if (pReserved)
        return CKR_ARGUMENTS_BAD;
    pthread_mutex_lock(&p11_init_lock);
    /* Every slot's lock, so no call is half-way through a slot when the
     * module goes. */
    if (p11_slots_lock_all() != CKR_OK) {
        pthread_mutex_unlock(&p11_init_lock);
        return CKR_GENERAL_ERROR;
    }
    p11_set_initialized(0);
    for (CK_ULONG i = 0; i < p11_slot_count(); i++) {
        p11_slot_select(i);
        p11_sessions_close_all();
        p11_sessions_sweep();
        sg_free(p11_g.client); /* closing the link logs the token out */
        p11_g.client = NULL;
        p11_g.login = SG_LOGIN_NONE;
        p11_slot_unlock_at(i);
    }
    p11_slot_select(P11_MAX_SLOTS); /* none */
    p11_lock_free();
    pthread_mutex_unlock(&p11_init_lock);
    return CKR_OK;
}

CK_RV C_GetInfo(CK_INFO_PTR pInfo)
{
    if (!p11_is_initialized())
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    if (!pInfo)
        return CKR_ARGUMENTS_BAD;
    memset(pInfo, 0, sizeof(*pInfo));
    pInfo->cryptokiVersion.major = 2;
    pInfo->cryptokiVersion.minor = 40;
    p11_pad(pInfo->manufacturerID, sizeof(pInfo->manufacturerID), "sbrguard", 8);
    static const char desc[] = "sbrguard PKCS#11 module";
    p11_pad(pInfo->libraryDescription, sizeof(pInfo->libraryDescription), desc,
            sizeof(desc) - 1);
    pInfo->libraryVersion.major = 0;
    pInfo->libraryVersion.minor = 1;
    return CKR_OK;
}
