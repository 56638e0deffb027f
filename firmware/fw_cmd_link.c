/* SPDX-License-Identifier: Apache-2.0 */
/* Link and board commands: HELLO (a serial link cannot see a host come or
 * go), SET_TIME (the security officer sets the clock), BOARD_INFO. */
#include <string.h>
#include "fw.h"
#include "mbedtls/memory_buffer_alloc.h"
#include "sbrguard/hal.h"
#include "sbrguard/log.h"
#include "sbrguard/tlv.h"

#define TIME_MIN 1577836800u /* 2020-01-01: earlier is a clock that was never set */
#define TIME_MAX 4102444800u /* 2100-01-01 */

int fw_cmd_hello(fw_req *r)
{
    const uint8_t *n;
    size_t nl;
    if (fw_arg(r, SG_T_NONCE, &n, &nl) || nl == 0 || nl > 32)
        return FW_E_ARGS;
    /* A new host on the link: nothing of the previous one's carries over. */
    fw_channel_closed(r->chan);
    return fw_put(r, SG_T_NONCE, n, nl);
}

int fw_cmd_set_time(fw_req *r)
{
    const uint8_t *t;
    size_t tl;
    if (fw_arg(r, SG_T_TIME, &t, &tl) || tl != 8)
        return FW_E_ARGS;
    uint64_t now = sg_be_get(t, 8);
    if (now < TIME_MIN || now >= TIME_MAX)
        return FW_E_ARGS;
    /* No unlogged clock change (issue 16): room first, then set, then log;
     * a failed append puts the old time back. */
    uint64_t old = hal_clock_now();
    int rc = fw_log_room(SG_LOG_EV_SET_TIME);
    if (rc)
        return rc;
    if (hal_clock_set(now))
        return FW_E_FLASH;
    fw_log_ev ev = { .event = SG_LOG_EV_SET_TIME, .value = old };
    if ((rc = fw_log_append(&ev)))
        hal_clock_set(old);
    return rc;
}

int fw_cmd_board_info(fw_req *r)
{
    size_t n = 0;
    if (hal_board_info(r->out + r->out_len, r->out_cap - r->out_len, &n))
        return FW_E_INTERNAL;
    r->out_len += n;
#if defined(MBEDTLS_MEMORY_DEBUG)
    size_t used, blocks;
    uint8_t a[12];
    mbedtls_memory_buffer_alloc_max_get(&used, &blocks);
    mbedtls_memory_buffer_alloc_max_reset(); /* the next report: the peak since this one */
    sg_be_put(a, used, 4);
    sg_be_put(a + 4, blocks, 4);
    sg_be_put(a + 8, fw_rng_arena_size(), 4);
    return fw_put(r, SG_T_BOARD_ARENA, a, sizeof a);
#else
    return FW_OK;
#endif
}
