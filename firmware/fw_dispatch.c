/* SPDX-License-Identifier: Apache-2.0 */
/* The top of the firmware: the command table, who may call what, boot. */
#include <string.h>
#include "fw.h"
#include "sbrguard/blocklist.h"

/* The command table: who may call a command (checked here, before the
 * handler runs), whether it may change the token's state, whether it writes
 * log entries. The access rules of the token are this table
 * (firmware/README.md, test_roles); handlers check arguments and object
 * rights only. LOGIN and SET_PIN prove a PIN themselves, INIT_TOKEN takes
 * the SO PIN; LOG_CHECKPOINT's export flag needs a login (an argument, so
 * its handler's rule). */
static const fw_cmd cmds[] = {
    { SG_CMD_INFO, FW_ROLE_PUBLIC, 0, 0, fw_cmd_info },
    { SG_CMD_INIT_TOKEN, FW_ROLE_PUBLIC, 1, 1, fw_cmd_init_token },
    { SG_CMD_LOGIN, FW_ROLE_INIT, 1, 1, fw_cmd_login },
    { SG_CMD_LOGOUT, FW_ROLE_LOGIN, 0, 0, fw_cmd_logout },
    { SG_CMD_INIT_PIN, FW_ROLE_SO, 1, 1, fw_cmd_init_pin },
    { SG_CMD_SET_PIN, FW_ROLE_INIT, 1, 1, fw_cmd_set_pin },
    { SG_CMD_GENERATE_KEY, FW_ROLE_USER, 1, 1, fw_cmd_generate_key },
    { SG_CMD_LIST, FW_ROLE_INIT, 0, 0, fw_cmd_list },
    { SG_CMD_GET_OBJECT, FW_ROLE_INIT, 0, 0, fw_cmd_get_object },
    { SG_CMD_SIGN, FW_ROLE_USER, 1, 1, fw_cmd_sign },
    { SG_CMD_CREATE_OBJECT, FW_ROLE_USER, 1, 0, fw_cmd_create_object },
    { SG_CMD_DESTROY_OBJECT, FW_ROLE_USER, 1, 1, fw_cmd_destroy_object },
    { SG_CMD_RANDOM, FW_ROLE_PUBLIC, 0, 0, fw_cmd_random },
    { SG_CMD_BIND_CA, FW_ROLE_USER, 1, 1, fw_cmd_bind_ca },
    { SG_CMD_AUTHORIZE, FW_ROLE_USER, 1, 1, fw_cmd_authorize },
    { SG_CMD_LOG_INFO, FW_ROLE_INIT, 0, 0, fw_cmd_log_info },
    { SG_CMD_LOG_READ, FW_ROLE_INIT, 0, 0, fw_cmd_log_read },
    { SG_CMD_LOG_CHECKPOINT, FW_ROLE_INIT, 1, 1, fw_cmd_log_checkpoint },
    { SG_CMD_LOG_PUBKEY, FW_ROLE_INIT, 0, 0, fw_cmd_log_pubkey },
    { SG_CMD_LOG_PROOF, FW_ROLE_INIT, 0, 0, fw_cmd_log_proof },
    { SG_CMD_LOG_ACK, FW_ROLE_SO, 1, 1, fw_cmd_log_ack },
    { SG_CMD_POLICY_LOAD, FW_ROLE_SO, 1, 1, fw_cmd_policy_load },
    { SG_CMD_POLICY_INFO, FW_ROLE_INIT, 0, 0, fw_cmd_policy_info },
    { SG_CMD_BLOCKLIST_LOAD, FW_ROLE_SO, 1, 1, fw_cmd_blocklist_load },
    { SG_CMD_BLOCKLIST_INFO, FW_ROLE_PUBLIC, 0, 0, fw_cmd_blocklist_info },
    { SG_CMD_ESCROW_GENERATE, FW_ROLE_USER, 1, 1, fw_cmd_escrow_generate },
    { SG_CMD_ESCROW_DELIVER, FW_ROLE_USER, 1, 1, fw_cmd_escrow_deliver },
    { SG_CMD_ESCROW_RECOVER, FW_ROLE_SO, 1, 1, fw_cmd_escrow_recover },
    { SG_CMD_HELLO, FW_ROLE_PUBLIC, 0, 0, fw_cmd_hello },
    { SG_CMD_SET_TIME, FW_ROLE_SO, 1, 1, fw_cmd_set_time },
    { SG_CMD_BOARD_INFO, FW_ROLE_PUBLIC, 0, 0, fw_cmd_board_info },
    { SG_CMD_SESSION_KEY_DROP, FW_ROLE_INIT, 0, 0, fw_cmd_session_key_drop },
};

const fw_cmd *fw_cmd_table(size_t *n)
{
    *n = sizeof cmds / sizeof *cmds;
    return cmds;
}

/* The caller's standing against a command's role: FW_OK or the status a
 * caller without it gets. */
static int role_ok(uint8_t role, unsigned chan)
{
    int st = fw_login_state(chan);
    if (role == FW_ROLE_PUBLIC)
        return FW_OK;
    if (role == FW_ROLE_LOGIN) /* a login implies an initialized token */
        return st != SG_LOGIN_NONE ? FW_OK : FW_E_NOT_LOGGED_IN;
    if (!fw_token_initialized())
        return FW_E_NOT_INITIALIZED;
    if (role == FW_ROLE_INIT || (role == FW_ROLE_USER && st == SG_LOGIN_USER) || (role == FW_ROLE_SO && st == SG_LOGIN_SO))
        return FW_OK;
    return FW_E_NOT_LOGGED_IN;
}

static int booted;

int fw_init(void)
{
    int rc;
    booted = 0;
    fw_keycache_clear(); /* a reset: nothing loaded survives it */
    fw_skeys_drop(FW_MAX_CHANNELS); /* nor a session key (RAM only) */
    if ((rc = fw_store_mount()) || (rc = fw_token_mount()) || (rc = fw_objects_wipe_stale()) ||
        (rc = fw_objects_index()) || (rc = fw_policy_mount()) || (rc = fw_blocklist_mount()) || (rc = fw_log_mount()))
        return rc;
    for (unsigned c = 0; c < FW_MAX_CHANNELS; c++)
        fw_logout_channel(c);
    fw_authz_drop(FW_MAX_CHANNELS);
    fw_evcache_clear();
    fw_log_boot();
    booted = 1;
    return FW_OK;
}

size_t fw_handle_frame(unsigned chan, const uint8_t *in, size_t in_len, uint8_t *out,
                       size_t out_cap, int *reset)
{
    size_t plen = 0;
    int rc;
    *reset = 0;
    /* A board short of RAM may give less than SG_MAX_FRAME: a response
     * that does not fit then fails (FW_E_INTERNAL) instead of being cut. */
    if (out_cap < SG_FRAME_HDR_LEN + 64)
        return 0;
    if (in_len < SG_FRAME_HDR_LEN) {
        *reset = 1;
        return fw_frame_out(SG_ST_FRAME, out, 0);
    }
    rc = fw_frame_check_header(in, &plen);
    if (rc != FW_OK || plen != in_len - SG_FRAME_HDR_LEN) {
        *reset = 1;
        return fw_frame_out(fw_status_of(rc ? rc : FW_E_FRAME), out, 0);
    }
    fw_req r = {
        .chan = chan < FW_MAX_CHANNELS ? chan : 0,
        .args = in + SG_FRAME_HDR_LEN,
        .args_len = plen,
        .out = out + SG_FRAME_HDR_LEN,
        .out_cap = out_cap - SG_FRAME_HDR_LEN < SG_MAX_PAYLOAD ? out_cap - SG_FRAME_HDR_LEN : SG_MAX_PAYLOAD,
    };
    rc = booted ? fw_args_check(r.args, r.args_len) : FW_E_FLASH;
    if (rc == FW_OK) {
        rc = FW_E_UNKNOWN_CMD;
        for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++)
            if (cmds[i].cmd == in[3] && (rc = role_ok(cmds[i].role, r.chan)) == FW_OK)
                rc = cmds[i].fn(&r);
        /* Housekeeping once the command is done: refusal summaries,
         * batched checkpoints (they use the store's buffer). */
        fw_log_idle();
    }
    if (rc != FW_OK) {
        /* Partial output of a failed command is never sent, only the
         * detail TLVs a refusal wrote on purpose (fw_refuse). */
        if (!r.detail)
            r.out_len = 0;
        if (r.msg)
            fw_put(&r, SG_T_MESSAGE, r.msg, strlen(r.msg));
    }
    return fw_frame_out(fw_status_of(rc), out, r.out_len);
}
