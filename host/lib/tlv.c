/* SPDX-License-Identifier: Apache-2.0 */
/* TLV encoding of link payloads (docs/protocol.md), over sbrguard/tlv.h. */
#include "sbrguard/sbrguard.h"
#include "sbrguard/tlv.h"

int sg_tlv_put(uint8_t *buf, size_t cap, size_t *off, uint8_t tag, const void *val, size_t len)
{
    return sg_tlv_append(buf, cap, off, tag, val, len) ? SG_E_BUFFER : SG_OK;
}

int sg_tlv_find(const uint8_t *p, size_t len, uint8_t tag, const uint8_t **val, size_t *val_len)
{
    size_t off = 0;
    uint8_t t;
    int r;
    while ((r = sg_tlv_next(p, len, &off, &t, val, val_len)) == 1)
        if (t == tag)
            return SG_OK;
    return r < 0 ? SG_E_PROTOCOL : SG_E_ARGS;
}
