/* SPDX-License-Identifier: Apache-2.0 */
/* BLOCKLIST_LOAD and BLOCKLIST_INFO (docs/blocklist.md): fw_blocklist.c takes
 * the pieces and verifies the whole file; it is logged here, with its hash,
 * before its bank's header makes it the list in force. */
#include "fw.h"
#include "sbrguard/blocklist.h"
#include "sbrguard/log.h"

/* The whole file is in: verify, log, commit the bank's header. */
static int commit(fw_req *r)
{
    uint8_t hdr[FW_BL_HDR_LEN], fh[32];
    uint32_t seq, count;
    int rc;
    if ((rc = fw_blocklist_seal(r, hdr, fh, &seq, &count)))
        return rc;
    /* Logged with the new hash before it takes effect (as POLICY_LOAD). */
    fw_log_ev ev = { .event = SG_LOG_EV_BLOCKLIST_LOAD, .value = (uint64_t)seq << 32 | count, .blocklist_hash = fh };
    if ((rc = fw_log_room(SG_LOG_EV_BLOCKLIST_LOAD)) || (rc = fw_log_append(&ev)) || (rc = fw_blocklist_adopt(hdr)))
        return rc;
    return fw_put_u(r, SG_T_BL_SEQ, seq, 4) | fw_put_u(r, SG_T_BL_COUNT, count, 4) | fw_put(r, SG_T_BL_HASH, fh, 32);
}

int fw_cmd_blocklist_load(fw_req *r)
{
    const uint8_t *data;
    size_t len;
    uint32_t off, next;
    int rc, done;
    if (fw_arg_u(r, SG_T_BL_OFFSET, 4, &off) || fw_arg(r, SG_T_DATA, &data, &len))
        return FW_E_ARGS;
    if ((rc = fw_blocklist_feed(r, off, data, len, &next, &done)))
        return rc;
    if (!done)
        return fw_put_u(r, SG_T_BL_NEXT, next, 4);
    rc = commit(r);
    fw_blocklist_upload_end();
    return rc;
}

int fw_cmd_blocklist_info(fw_req *r)
{
    uint32_t seq, count;
    if (fw_put_u(r, SG_T_BL_CAPACITY, fw_blocklist_capacity(), 4))
        return FW_E_INTERNAL;
    if (!fw_blocklist_in_force(&seq, &count))
        return FW_OK;
    return fw_put_u(r, SG_T_BL_SEQ, seq, 4) | fw_put_u(r, SG_T_BL_COUNT, count, 4) |
           fw_put(r, SG_T_BL_HASH, fw_blocklist_hash(), 32);
}
