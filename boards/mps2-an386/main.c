/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The token on mps2-an386: frames over UART0 (QEMU connects it to a UNIX
 * socket). A UART does not see a host connect or leave, so the stream is
 * resynchronised on the magic "SG", a frame must complete within
 * FRAME_TIMEOUT, and the host library starts every connection with HELLO,
 * which ends the previous host's login (docs/protocol.md).
 */
#include "../../firmware/fw.h"
#include "mps2.h"

#define FRAME_TIMEOUT (2u * MPS2_TICK_HZ)
#define WATCHDOG_S 60u /* longest step between kicks: one RSA-4096 prime test */

/* One buffer: the request at its start, the response right after it (no
 * request and response are both large; a response that does not fit is an
 * error). Two SG_MAX_FRAME buffers would not fit the RAM budget. */
#define RESPONSE_MIN 1024u
static uint8_t buf[SG_MAX_FRAME + RESPONSE_MIN];
#define in buf
static int booted;


static void link_reset(void)
{
    fw_channel_closed(0);
}

static void reply_error(uint8_t st)
{
    uint8_t f[SG_FRAME_HDR_LEN];
    mps2_uart_write(f, fw_error_frame(st, f, sizeof f));
    link_reset();
}

static void serve(size_t len)
{
    int reset = 0;
    size_t n, cap = sizeof buf - len;
    uint8_t *out = buf + len;
    if (mps2_test_frame(in, len))
        n = fw_error_frame(SG_ST_OK, out, cap);
    else if (booted)
        n = fw_handle_frame(0, in, len, out, cap, &reset);
    else
        n = fw_error_frame(SG_ST_FLASH, out, cap); /* no flash, no seed */
    mps2_uart_write(out, n);
    if (reset)
        link_reset();
}

int main(void)
{
    size_t have = 0, need = 0;
    uint64_t deadline = 0;
    mps2_uart_init();
    mps2_wdog_start(WATCHDOG_S);
    booted = mps2_hal_init() == 0 && fw_init() == FW_OK;
    /* A host still waiting for an answer learns that its request and its
     * login are gone (with no host on the socket, QEMU drops this). */
    uint8_t f[SG_FRAME_HDR_LEN];
    mps2_uart_write(f, fw_error_frame(SG_ST_RESET, f, sizeof f));
    for (;;) {
        mps2_wdog_kick();
        int c = mps2_uart_getc();
        if (c < 0) {
            if (have && mps2_ticks() > deadline) {
                reply_error(SG_ST_TIMEOUT);
                have = need = 0;
            }
            mps2_uart_wait();
            continue;
        }
        mps2_rng_jitter((uint32_t)c);
        /* Out of sync: skip to the next "SG". */
        if ((have == 0 && c != 'S') || (have == 1 && c != 'G')) {
            have = c == 'S';
            deadline = mps2_ticks() + FRAME_TIMEOUT;
            in[0] = 'S';
            continue;
        }
        if (have == 0)
            deadline = mps2_ticks() + FRAME_TIMEOUT;
        in[have++] = (uint8_t)c;
        if (have == SG_FRAME_HDR_LEN) {
            size_t plen;
            int rc = fw_frame_check_header(in, &plen);
            if (rc != FW_OK) {
                reply_error(rc == FW_E_VERSION ? SG_ST_VERSION : rc == FW_E_TOO_LARGE ? SG_ST_TOO_LARGE : SG_ST_FRAME);
                have = 0;
                continue;
            }
            need = SG_FRAME_HDR_LEN + plen;
        }
        if (have >= SG_FRAME_HDR_LEN && have == need) {
            serve(have);
            have = need = 0;
        }
    }
}
