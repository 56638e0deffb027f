/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: the blocklist parser (BLOCKLIST_LOAD's untrusted input,
 * checked as it streams in), fed in pieces whose sizes the first byte sets,
 * then the lookup over the entries it accepted. Any crash or UB is a failure. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "../../policy/pol_blocklist.h"

static uint8_t got[256][POL_BL_PREFIX_LEN];
static uint32_t n_got;

static int keep(void *arg, uint32_t i, const uint8_t e[POL_BL_ENTRY_LEN])
{
    (void)arg;
    if (i >= 256)
        return -1;
    memcpy(got[i], e, POL_BL_PREFIX_LEN);
    n_got = i + 1;
    return 0;
}

static int rd(const void *arg, uint32_t i, uint8_t out[POL_BL_PREFIX_LEN])
{
    (void)arg;
    memcpy(out, got[i], POL_BL_PREFIX_LEN);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pol_bl_stream s;
    if (size < 1)
        return 0;
    size_t step = (size_t)data[0] + 1;
    n_got = 0;
    pol_bl_stream_init(&s, 256);
    for (size_t o = 1; o < size; o += step)
        if (pol_bl_stream_feed(&s, data + o, size - o < step ? size - o : step, 256, keep, NULL))
            break;
    if (pol_bl_stream_finish(&s, NULL, 0) == 0) {
        pol_blocklist bl = { n_got, rd, NULL };
        uint8_t h[32] = { 0 };
        for (uint32_t i = 0; i < n_got; i++) {
            memcpy(h, got[i], POL_BL_PREFIX_LEN);
            if (pol_blocklist_find(&bl, h) != 1)
                __builtin_trap(); /* an accepted entry must be found */
        }
    }
    return 0;
}
