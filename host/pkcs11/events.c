/* SPDX-License-Identifier: Apache-2.0 */
/* C_WaitForSlotEvent: the slot's event is its token appearing or going
 * away (the token process or board started or stopped), seen by probing
 * the token's socket; no request is sent, so no login is touched. */
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include "p11.h"

#define P11_EVENT_POLL_MS 200

static pthread_mutex_t p11_ev_lock = PTHREAD_MUTEX_INITIALIZER;
static int p11_ev_known = -1; /* presence last reported; -1 before the first call */

/* 1 if something accepts connections on the token's socket. */
static int p11_token_present(void)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (sg_socket_path(sa.sun_path, sizeof sa.sun_path) != SG_OK)
        return 0;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    int ok = connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
    close(fd);
    return ok;
}

/* An event is pending when presence differs from what was last reported;
 * reporting it makes it the new baseline. */
static int p11_event_take(void)
{
    int now = p11_token_present(), ev = 0;
    pthread_mutex_lock(&p11_ev_lock);
    if (p11_ev_known < 0)
        p11_ev_known = now; /* the first call sets the baseline */
    else if (p11_ev_known != now) {
        p11_ev_known = now;
        ev = 1;
    }
    pthread_mutex_unlock(&p11_ev_lock);
    return ev;
}

void p11_events_reset(void)
{
    pthread_mutex_lock(&p11_ev_lock);
    p11_ev_known = -1;
    pthread_mutex_unlock(&p11_ev_lock);
}

CK_RV C_WaitForSlotEvent(CK_FLAGS flags, CK_SLOT_ID_PTR pSlot, CK_VOID_PTR pReserved)
{
    if (!p11_is_initialized())
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    if (!pSlot || pReserved)
        return CKR_ARGUMENTS_BAD;
    /* Not under the module lock: a blocking wait must not stop other calls. */
    for (;;) {
        if (p11_event_take()) {
            *pSlot = P11_SLOT_ID;
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
