/* SPDX-License-Identifier: Apache-2.0 */
/* libsbrguard: the token's clock and its board (docs/protocol.md, "Serial
 * links and boards"). */
#include <string.h>
#include "client.h"
#include "sbrguard/tlv.h"

int sg_set_time(sg_client *c, uint64_t now)
{
    size_t off = 0;
    uint8_t t[8];
    sg_be_put(t, now, 8);
    if (sg_tlv_append(c->req, sizeof c->req, &off, SG_T_TIME, t, sizeof t))
        return SG_E_ARGS;
    return sg_call(c, SG_CMD_SET_TIME, off);
}

int sg_board_info(sg_client *c, sg_board_status *b)
{
    const uint8_t *v;
    size_t vl;
    int rc = sg_call(c, SG_CMD_BOARD_INFO, 0);
    if (rc)
        return rc;
    memset(b, 0, sizeof *b);
    if (sg_tlv_find(c->resp, c->resp_len, SG_T_BOARD, &v, &vl) == SG_OK) {
        vl = vl < sizeof b->board - 1 ? vl : sizeof b->board - 1;
        for (size_t i = 0; i < vl; i++)
            b->board[i] = v[i] >= 0x20 && v[i] < 0x7F ? (char)v[i] : '?';
    }
    if (sg_tlv_find(c->resp, c->resp_len, SG_T_BOARD_RESET, &v, &vl) == SG_OK && vl == 17) {
        b->reset_reason = v[0];
        b->resets = (uint32_t)sg_be_get(v + 1, 4);
        b->fault_pc = (uint32_t)sg_be_get(v + 5, 4);
        b->cfsr = (uint32_t)sg_be_get(v + 9, 4);
        b->hfsr = (uint32_t)sg_be_get(v + 13, 4);
    }
    if (sg_tlv_find(c->resp, c->resp_len, SG_T_BOARD_STACK, &v, &vl) == SG_OK && vl == 8) {
        b->stack_used = (uint32_t)sg_be_get(v, 4);
        b->stack_size = (uint32_t)sg_be_get(v + 4, 4);
    }
    if (sg_tlv_find(c->resp, c->resp_len, SG_T_BOARD_ARENA, &v, &vl) == SG_OK && vl == 12) {
        b->arena_peak = (uint32_t)sg_be_get(v, 4);
        b->arena_blocks = (uint32_t)sg_be_get(v + 4, 4);
        b->arena_size = (uint32_t)sg_be_get(v + 8, 4);
    }
    if (sg_tlv_find(c->resp, c->resp_len, SG_T_BOARD_COST, &v, &vl) == SG_OK && vl >= 8) { /* mps2-an386 adds evidence and command */
        b->cost_policy = (uint32_t)sg_be_get(v, 4);
        b->cost_sign = (uint32_t)sg_be_get(v + 4, 4);
    }
    return SG_OK;
}
