/* SPDX-License-Identifier: Apache-2.0 */
/* C_WaitForSlotEvent: a slot's event is its token appearing or going away
 * (the token process or board started or stopped), seen by probing the
 * token's socket (p11_token_present, state.c); no request is sent, so no
 * login is touched. */
#include <pthread.h>
#include <string.h>
#include <time.h>
#include "p11.h"

#define P11_EVENT_POLL_MS 200

static pthread_mutex_t p11_ev_lock = PTHREAD_MUTEX_INITIALIZER;
/* Presence last reported per slot; -1 before the first call after a
 * C_Initialize (of generation p11_ev_gen). */
static int p11_ev_known[P11_MAX_SLOTS];
static unsigned p11_ev_gen;

/* An event is pending on a slot when its presence differs from what was
 * last reported; reporting it makes it the new baseline. The lowest slot
 * with an event is reported; the others stay pending for the next call. */
static int p11_event_take(CK_SLOT_ID *slot)
{
    int now[P11_MAX_SLOTS], ev = 0;
    CK_ULONG n = p11_slot_count();
    for (CK_ULONG i = 0; i < n; i++)
        now[i] = p11_token_present(i);
    pthread_mutex_lock(&p11_ev_lock);
    unsigned gen = p11_init_generation();
    if (p11_ev_gen != gen) { /* a new C_Initialize: forget the baseline */
        p11_ev_gen = gen;
        for (size_t i = 0; i < P11_MAX_SLOTS; i++)
            p11_ev_known[i] = -1;
    }
    for (CK_ULONG i = 0; i < n; i++) {
        if (p11_ev_known[i] < 0)
            p11_ev_known[i] = now[i]; /* the first call sets the baseline */
        else if (!ev && p11_ev_known[i] != now[i]) {
            p11_ev_known[i] = now[i];
            *slot = i;
            ev = 1;
        }
    }
    pthread_mutex_unlock(&p11_ev_lock);
    return ev;
}

CK_RV C_WaitForSlotEvent(CK_FLAGS flags, CK_SLOT_ID_PTR pSlot, CK_VOID_PTR pReserved)
{
    if (!p11_is_initialized())
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    if (!pSlot || pReserved)
        return CKR_ARGUMENTS_BAD;
    /* Not under the module lock: a blocking wait must not stop other calls. */
    for (;;) {
        CK_SLOT_ID sl = 0;
        if (p11_event_take(&sl)) {
            *pSlot = sl;
            return CKR_OK;
        }
        if (flags & CKF_DONT_BLOCK)
            return CKR_NO_EVENT;
        struct timespec ts = {0, P11_EVENT_POLL_MS * 1000000L};
        nanosleep(&ts, NULL);
        /* C_Finalize from another thread ends a blocking wait (spec 5.5). */
        if (!p11_is_initialized())
            return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
}
