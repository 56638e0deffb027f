/* SPDX-License-Identifier: Apache-2.0 */
/* Module life cycle: C_Initialize/C_Finalize, the slots (one per configured
 * token) with their locks and connections, C_GetInfo and the function list. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "p11.h"

/* A slot: its state and its lock (pthreads or the application's mutex). */
struct p11_slot {
    struct p11_global g;
    void *app_mutex;
    pthread_mutex_t os;
};
static struct p11_slot p11_slots[P11_MAX_SLOTS];
static CK_ULONG p11_nslots;
/* What p11_g is before a call takes a slot: no client, no sessions. */
static struct p11_global p11_blank;
__thread struct p11_global *p11_cur = &p11_blank;
static __thread struct p11_slot *p11_held;

/* Guards initialization itself; the app's mutex (if any) exists only after. */
static pthread_mutex_t p11_init_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int p11_initialized;
static pid_t p11_init_pid;

static int p11_debug_on = -1;

int p11_debug(void)
{
    if (p11_debug_on < 0) {
        const char *e = getenv("SBRGUARD_P11_DEBUG");
        p11_debug_on = e && *e && strcmp(e, "0") != 0;
    }
    return p11_debug_on;
}

void p11_pad(unsigned char *dst, size_t cap, const char *s, size_t len)
{
    memset(dst, ' ', cap);
    memcpy(dst, s, len < cap ? len : cap);
}

/* The application's mutex callbacks, if it gave them (all four or none). */
static struct {
    CK_CREATEMUTEX create;
    CK_DESTROYMUTEX destroy;
    CK_LOCKMUTEX lock;
    CK_UNLOCKMUTEX unlock;
} p11_lk;

static void p11_lock_free(void)
{
    for (CK_ULONG i = 0; i < p11_nslots; i++) {
        if (p11_lk.destroy)
            p11_lk.destroy(p11_slots[i].app_mutex);
        else
            pthread_mutex_destroy(&p11_slots[i].os);
        p11_slots[i].app_mutex = NULL;
    }
    memset(&p11_lk, 0, sizeof(p11_lk));
}

static CK_RV p11_lock_setup(const CK_C_INITIALIZE_ARGS *a)
{
    memset(&p11_lk, 0, sizeof(p11_lk));
    int have = a && a->CreateMutex; /* all four or none: C_Initialize checked */
    /* Spec: with CKF_OS_LOCKING_OK we may use OS primitives even when the
     * app also passes callbacks; without it, the callbacks must be used. */
    if (have && !(a->flags & CKF_OS_LOCKING_OK)) {
        p11_lk.create = a->CreateMutex;
        p11_lk.destroy = a->DestroyMutex;
        p11_lk.lock = a->LockMutex;
        p11_lk.unlock = a->UnlockMutex;
    }
    CK_ULONG n = p11_nslots;
    CK_RV rv = CKR_OK;
    for (p11_nslots = 0; p11_nslots < n; p11_nslots++) {
        struct p11_slot *sl = &p11_slots[p11_nslots];
        if (p11_lk.create)
            rv = p11_lk.create(&sl->app_mutex);
        else
            rv = pthread_mutex_init(&sl->os, NULL) == 0 ? CKR_OK : CKR_CANT_LOCK;
        if (rv != CKR_OK)
            break;
    }
    if (rv != CKR_OK)
        p11_lock_free(); /* the ones made so far */
    return rv;
}

int p11_is_initialized(void)
{
    return atomic_load(&p11_initialized);
}

CK_RV p11_enter(void)
{
    if (!atomic_load(&p11_initialized))
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    p11_held = NULL;
    p11_cur = &p11_blank;
    return CKR_OK;
}

static int p11_slot_lock(struct p11_slot *sl)
{
    if (p11_lk.lock)
        return p11_lk.lock(sl->app_mutex) == CKR_OK;
    return pthread_mutex_lock(&sl->os) == 0;
}

static void p11_slot_unlock(struct p11_slot *sl)
{
    if (p11_lk.unlock)
        p11_lk.unlock(sl->app_mutex);
    else
        pthread_mutex_unlock(&sl->os);
}

CK_RV p11_slot_take(CK_SLOT_ID id)
{
    if (id >= p11_nslots)
        return CKR_SLOT_ID_INVALID;
    struct p11_slot *sl = &p11_slots[id];
    if (p11_held == sl)
        return CKR_OK;
    if (p11_held || !p11_slot_lock(sl))
        return CKR_GENERAL_ERROR;
    if (!atomic_load(&p11_initialized)) { /* C_Finalize came first */
        p11_slot_unlock(sl);
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    p11_held = sl;
    p11_cur = &sl->g;
    return CKR_OK;
}

void p11_leave(void)
{
    struct p11_slot *sl = p11_held;
    if (!sl)
        return;
    /* Sessions closed by a lost link are freed only now, when no caller
     * holds a pointer to them any more. */
    p11_sessions_sweep();
    p11_held = NULL;
    p11_cur = &p11_blank;
    p11_slot_unlock(sl);
}

CK_ULONG p11_slot_count(void)
{
    return p11_nslots;
}

const char *p11_slot_socket(CK_SLOT_ID id)
{
    return id < p11_nslots ? p11_slots[id].g.socket : "";
}

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

/* Drops what a parent process left in every slot (after fork). */
static void p11_slots_forget(void)
{
    for (CK_ULONG i = 0; i < p11_nslots; i++) {
        p11_cur = &p11_slots[i].g;
        p11_sessions_close_all();
        p11_sessions_sweep();
        sg_free(p11_g.client);
        p11_g.client = NULL;
    }
    p11_cur = &p11_blank;
}

/* One slot per configured token, ids in config order. */
static CK_RV p11_slots_load(void)
{
    char socks[P11_MAX_SLOTS][SG_SOCKET_MAX];
    size_t n = 0;
    if (sg_token_list(socks, P11_MAX_SLOTS, &n) != SG_OK) {
        p11_note("config: %s (CKR_GENERAL_ERROR)", sg_conf_detail());
        return CKR_GENERAL_ERROR;
    }
    memset(p11_slots, 0, sizeof(p11_slots));
    for (size_t i = 0; i < n; i++) {
        struct p11_global *g = &p11_slots[i].g;
        g->slot = i;
        memcpy(g->socket, socks[i], sizeof g->socket);
        g->login = SG_LOGIN_NONE;
        g->next_session = 1;
        g->next_obj = 1;
    }
    p11_nslots = n;
    return CKR_OK;
}

CK_RV C_Initialize(CK_VOID_PTR pInitArgs)
{
    CK_RV rv;
    pthread_mutex_lock(&p11_init_lock);
    if (atomic_load(&p11_initialized) && p11_init_pid != getpid()) {
        /* A forked child starts afresh (spec): the parent's sessions, login
         * and socket are not its own, and a lock may have been held by a
         * parent thread at fork time, so nothing inherited is waited on. */
        p11_slots_forget();
        atomic_store(&p11_initialized, 0);
    }
    if (atomic_load(&p11_initialized)) {
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
    p11_events_reset();
    atomic_store(&p11_initialized, 1);
out:
    pthread_mutex_unlock(&p11_init_lock);
    return rv;
}

CK_RV C_Finalize(CK_VOID_PTR pReserved)
{
    if (!atomic_load(&p11_initialized))
        return CKR_CRYPTOKI_NOT_INITIALIZED; /* before any argument check (spec 5.1) */
    if (pReserved)
        return CKR_ARGUMENTS_BAD;
    pthread_mutex_lock(&p11_init_lock);
    /* Every slot's lock (in slot order; no other call holds two), so no call
     * is half-way through a slot when the module goes. */
    for (CK_ULONG i = 0; i < p11_nslots; i++) {
        if (!p11_slot_lock(&p11_slots[i])) {
            while (i--)
                p11_slot_unlock(&p11_slots[i]);
            pthread_mutex_unlock(&p11_init_lock);
            return CKR_GENERAL_ERROR;
        }
    }
    atomic_store(&p11_initialized, 0);
    for (CK_ULONG i = 0; i < p11_nslots; i++) {
        p11_cur = &p11_slots[i].g;
        p11_sessions_close_all();
        p11_sessions_sweep();
        sg_free(p11_g.client); /* closing the link logs the token out */
        p11_g.client = NULL;
        p11_g.login = SG_LOGIN_NONE;
        p11_slot_unlock(&p11_slots[i]);
    }
    p11_cur = &p11_blank;
    p11_lock_free();
    pthread_mutex_unlock(&p11_init_lock);
    return CKR_OK;
}

CK_RV C_GetInfo(CK_INFO_PTR pInfo)
{
    if (!atomic_load(&p11_initialized))
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

static CK_FUNCTION_LIST p11_functions = {
    .version = {2, 40},
    .C_Initialize = C_Initialize,
    .C_Finalize = C_Finalize,
    .C_GetInfo = C_GetInfo,
    .C_GetFunctionList = C_GetFunctionList,
    .C_GetSlotList = C_GetSlotList,
    .C_GetSlotInfo = C_GetSlotInfo,
    .C_GetTokenInfo = C_GetTokenInfo,
    .C_GetMechanismList = C_GetMechanismList,
    .C_GetMechanismInfo = C_GetMechanismInfo,
    .C_InitToken = C_InitToken,
    .C_InitPIN = C_InitPIN,
    .C_SetPIN = C_SetPIN,
    .C_OpenSession = C_OpenSession,
    .C_CloseSession = C_CloseSession,
    .C_CloseAllSessions = C_CloseAllSessions,
    .C_GetSessionInfo = C_GetSessionInfo,
    .C_GetOperationState = C_GetOperationState,
    .C_SetOperationState = C_SetOperationState,
    .C_Login = C_Login,
    .C_Logout = C_Logout,
    .C_CreateObject = C_CreateObject,
    .C_CopyObject = C_CopyObject,
    .C_DestroyObject = C_DestroyObject,
    .C_GetObjectSize = C_GetObjectSize,
    .C_GetAttributeValue = C_GetAttributeValue,
    .C_SetAttributeValue = C_SetAttributeValue,
    .C_FindObjectsInit = C_FindObjectsInit,
    .C_FindObjects = C_FindObjects,
    .C_FindObjectsFinal = C_FindObjectsFinal,
    .C_EncryptInit = C_EncryptInit,
    .C_Encrypt = C_Encrypt,
    .C_EncryptUpdate = C_EncryptUpdate,
    .C_EncryptFinal = C_EncryptFinal,
    .C_DecryptInit = C_DecryptInit,
    .C_Decrypt = C_Decrypt,
    .C_DecryptUpdate = C_DecryptUpdate,
    .C_DecryptFinal = C_DecryptFinal,
    .C_DigestInit = C_DigestInit,
    .C_Digest = C_Digest,
    .C_DigestUpdate = C_DigestUpdate,
    .C_DigestKey = C_DigestKey,
    .C_DigestFinal = C_DigestFinal,
    .C_SignInit = C_SignInit,
    .C_Sign = C_Sign,
    .C_SignUpdate = C_SignUpdate,
    .C_SignFinal = C_SignFinal,
    .C_SignRecoverInit = C_SignRecoverInit,
    .C_SignRecover = C_SignRecover,
    .C_VerifyInit = C_VerifyInit,
    .C_Verify = C_Verify,
    .C_VerifyUpdate = C_VerifyUpdate,
    .C_VerifyFinal = C_VerifyFinal,
    .C_VerifyRecoverInit = C_VerifyRecoverInit,
    .C_VerifyRecover = C_VerifyRecover,
    .C_DigestEncryptUpdate = C_DigestEncryptUpdate,
    .C_DecryptDigestUpdate = C_DecryptDigestUpdate,
    .C_SignEncryptUpdate = C_SignEncryptUpdate,
    .C_DecryptVerifyUpdate = C_DecryptVerifyUpdate,
    .C_GenerateKey = C_GenerateKey,
    .C_GenerateKeyPair = C_GenerateKeyPair,
    .C_WrapKey = C_WrapKey,
    .C_UnwrapKey = C_UnwrapKey,
    .C_DeriveKey = C_DeriveKey,
    .C_SeedRandom = C_SeedRandom,
    .C_GenerateRandom = C_GenerateRandom,
    .C_GetFunctionStatus = C_GetFunctionStatus,
    .C_CancelFunction = C_CancelFunction,
    .C_WaitForSlotEvent = C_WaitForSlotEvent,
};

CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR ppFunctionList)
{
    if (!ppFunctionList)
        return CKR_ARGUMENTS_BAD;
    *ppFunctionList = &p11_functions;
    return CKR_OK;
}
