/* SPDX-License-Identifier: Apache-2.0 */
/* An escrow record (docs/bundle.md): its fields, and whether its key may
 * go yet (SBR 6.3.2, 4.12.1: not while the bundle's period runs). The
 * escrow commands are fw_cmd_escrow.c's. */
#include <string.h>
#include "fw.h"
#include "sbrguard/hal.h"
#include "sbrguard/hal_crypto.h"
#include "sbrguard/tlv.h"

int fw_escrow_load(unsigned h, fw_escrow_rec *e)
{
    const uint8_t *b, *v;
    size_t len, off = 0, vl;
    uint8_t t;
    int seen = 0;
    if (fw_object_load(h, FW_REC_TYPE_ESCROW, &b, &len))
        return FW_E_NO_OBJECT;
    memset(e, 0, sizeof *e);
    while (fw_tlv_next(b, len, &off, &t, &v, &vl) == 1) {
        if (t == SG_T_KEY_TYPE && vl == 1)
            e->key_type = v[0], seen |= 1;
        else if (t == SG_T_PUBKEY && !hal_hash(HAL_MD_SHA256, v, vl, e->key_id))
            seen |= 2;
        else if (t == SG_T_PROFILE && vl == 2)
            e->type = v[0], e->gen = v[1], seen |= 4;
        else if (t == SG_T_CA_KEY_ID && vl == 32)
            memcpy(e->ca_key_id, v, 32), seen |= 8;
        else if (t == SG_T_CONSENT && vl == 32)
            memcpy(e->consent, v, 32), seen |= 16;
        else if (t == SG_T_ESCROW_UNTIL && vl == 8)
            e->until = sg_be_get(v, 8), seen |= 32;
        else if (t == SG_T_WRAP && vl == 1)
            e->wrap = v[0], seen |= 64;
        else if (t == SG_T_ESCROW_USAGE && vl == 1)
            e->usage = v[0];
        else if (t == SG_T_WRAPPED_KEY)
            e->wrapped = v, e->wrapped_len = vl, seen |= 128;
    }
    return seen == 255 ? FW_OK : FW_E_CORRUPT;
}

int fw_escrow_may_destroy(unsigned h)
{
    fw_escrow_rec e;
    int rc = fw_escrow_load(h, &e);
    fw_store_wipe();
    return rc == FW_OK && hal_clock_now() <= e.until ? FW_E_PROHIBITED : FW_OK;
}
