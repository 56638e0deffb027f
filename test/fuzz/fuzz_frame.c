/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: link frames into the firmware core, on the sim board's
 * in-memory flash. The input is a sequence of frames: each chunk is one
 * byte of channel, two bytes of length, then that many bytes of frame. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "fw.h"
#include "sim.h"

static uint8_t flash[SIM_FLASH_SIZE], out[SG_MAX_FRAME];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int booted;
    if (!booted) {
        memset(flash, 0xFF, sizeof flash);
        sim_flash_attach(flash);
        booted = 1;
    }
    /* Each input starts from the same blank token. */
    memset(flash, 0xFF, sizeof flash);
    if (fw_init() != FW_OK)
        __builtin_trap();
    while (size >= 3) {
        unsigned chan = data[0] % FW_MAX_CHANNELS;
        size_t len = (size_t)data[1] << 8 | data[2];
        data += 3;
        size -= 3;
        if (len > size)
            len = size;
        int reset;
        size_t n = fw_handle_frame(chan, data, len, out, sizeof out, &reset);
        if (n < SG_FRAME_HDR_LEN || n > sizeof out || out[0] != 'S' || out[1] != 'G')
            __builtin_trap();
        if (reset)
            fw_channel_closed(chan);
        data += len;
        size -= len;
    }
    return 0;
}
