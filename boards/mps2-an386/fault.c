/* SPDX-License-Identifier: Apache-2.0 */
/* Test images only: faults injected through BOARD_INFO with SG_T_BOARD_TEST
 * (u8 SG_FAULT_*, u32 argument), answered before the fault strikes. */
#include "mps2.h"
#include "sbrguard/proto.h"
#include "sbrguard/tlv.h"

static uint32_t cut_in; /* flash operations left before the cut one; 0: off */
static int cut;

int mps2_test_frame(const uint8_t *f, size_t len)
{
    size_t off = 0, vl;
    uint8_t tag;
    const uint8_t *v;
    if (len < SG_FRAME_HDR_LEN || f[3] != SG_CMD_BOARD_INFO)
        return 0;
    while (sg_tlv_next(f + SG_FRAME_HDR_LEN, len - SG_FRAME_HDR_LEN, &off, &tag, &v, &vl) == 1) {
        if (tag != SG_T_BOARD_TEST || vl != 5)
            continue;
        uint32_t arg = (uint32_t)sg_be_get(v + 1, 4);
        switch (v[0]) {
        case SG_FAULT_HARDFAULT:
            __asm volatile("udf #0");
            break;
        case SG_FAULT_HANG:
            mps2_wdog_start(arg);
            for (;;)
                ;
        case SG_FAULT_FLASH_CUT:
            cut_in = arg;
            return 1;
        }
        return 0;
    }
    return 0;
}

/* The cut operation does half its work, then the core faults. */
size_t mps2_test_flash_op(size_t len)
{
    if (!cut_in || --cut_in)
        return len;
    cut = 1;
    return len / 2;
}

void mps2_test_after_flash_op(void)
{
    if (cut)
        __asm volatile("udf #1");
}
