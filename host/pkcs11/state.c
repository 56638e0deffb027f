/* SPDX-License-Identifier: Apache-2.0 */
/* The slots (one per configured token) with their state and locks, and
 * the slot the current call holds (p11_cur): what every entry point enters
 * and leaves. Below the connection (conn.c) and the session list
 * (sesslist.c); calls nothing of theirs. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
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
static atomic_int p11_initialized;
static atomic_uint p11_generation; /* counts C_Initialize calls that succeeded */

/* The application's mutex callbacks, if it gave them (all four or none). */
static struct {
    CK_CREATEMUTEX create;
    CK_DESTROYMUTEX destroy;
    CK_LOCKMUTEX lock;
    CK_UNLOCKMUTEX unlock;
} p11_lk;

void p11_lock_free(void)
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

CK_RV p11_lock_setup(const CK_C_INITIALIZE_ARGS *a)
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

void p11_set_initialized(int on)
{
    if (on)
        atomic_fetch_add(&p11_generation, 1);
    atomic_store(&p11_initialized, on);
}

unsigned p11_init_generation(void)
{
    return atomic_load(&p11_generation);
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

/* Every slot's lock, in slot order (no other call holds two). */
CK_RV p11_slots_lock_all(void)
{
    for (CK_ULONG i = 0; i < p11_nslots; i++) {
        if (!p11_slot_lock(&p11_slots[i])) {
            while (i--)
                p11_slot_unlock(&p11_slots[i]);
            return CKR_GENERAL_ERROR;
        }
    }
    return CKR_OK;
}

void p11_slot_unlock_at(CK_ULONG id)
{
    p11_slot_unlock(&p11_slots[id]);
}

void p11_slot_select(CK_ULONG id)
{
    p11_cur = id < p11_nslots ? &p11_slots[id].g : &p11_blank;
}

/* One slot per configured token, ids in config order. */
CK_RV p11_slots_load(void)
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


/* Sessions closed by a lost link or C_Finalize are freed only when the
 * call leaves (p11_leave), when no caller holds a pointer to them. */
void p11_sessions_sweep(void)
{
    struct p11_session **pp = &p11_g.sessions;
    while (*pp) {
        struct p11_session *s = *pp;
        if (s->dead) {
            *pp = s->next;
            free(s);
        } else {
            pp = &s->next;
        }
    }
}

/* The sign memo (sign.c) names a key of the slot's connection. */
void p11_sign_memo_drop(void) { p11_g.sign_memo.valid = 0; }

int p11_token_present(CK_SLOT_ID id)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    const char *path = p11_slot_socket(id);
    if (!*path || strlen(path) >= sizeof sa.sun_path)
        return 0;
    memcpy(sa.sun_path, path, strlen(path) + 1);
    /* Non-blocking: a listener whose backlog is full (QEMU's chardev serves
     * one client at a time) is EAGAIN, not a wait, and is there. */
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return 0;
    int ok = connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0 || errno == EAGAIN || errno == EINPROGRESS;
    close(fd);
    return ok;
}
