/* SPDX-License-Identifier: Apache-2.0 */
/* Frames in, frames out: header checks, the command table, error mapping. */
#include <string.h>
#include "fw.h"
#include "sbrguard/blocklist.h"
#include "sbrguard/tlv.h"

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

/* The one place firmware errors become wire statuses. */
static const struct {
    int err;
    uint8_t st;
} err_map[] = {
    { FW_OK, SG_ST_OK },
    { FW_E_FRAME, SG_ST_FRAME },
    { FW_E_VERSION, SG_ST_VERSION },
    { FW_E_TOO_LARGE, SG_ST_TOO_LARGE },
    { FW_E_UNKNOWN_CMD, SG_ST_UNKNOWN_CMD },
    { FW_E_ARGS, SG_ST_ARGS },
    { FW_E_NOT_INITIALIZED, SG_ST_NOT_INITIALIZED },
    { FW_E_PIN_INCORRECT, SG_ST_PIN_INCORRECT },
    { FW_E_PIN_LOCKED, SG_ST_PIN_LOCKED },
    { FW_E_NOT_LOGGED_IN, SG_ST_NOT_LOGGED_IN },
    { FW_E_ALREADY_LOGGED_IN, SG_ST_ALREADY_LOGGED_IN },
    { FW_E_OTHER_USER, SG_ST_OTHER_USER_LOGGED_IN },
    { FW_E_NO_OBJECT, SG_ST_NO_OBJECT },
    { FW_E_MECHANISM, SG_ST_MECHANISM },
    { FW_E_MECH_PARAM, SG_ST_MECH_PARAM },
    { FW_E_KEY_TYPE, SG_ST_KEY_TYPE },
    { FW_E_DATA_LEN, SG_ST_DATA_LEN },
    { FW_E_NO_SPACE, SG_ST_NO_SPACE },
    { FW_E_FLASH, SG_ST_FLASH },
    { FW_E_CRYPTO, SG_ST_CRYPTO },
    { FW_E_POLICY, SG_ST_POLICY_REJECTED },
    { FW_E_PIN_LEN, SG_ST_PIN_LEN },
    { FW_E_USER_PIN_NOT_SET, SG_ST_USER_PIN_NOT_SET },
    { FW_E_CERT_MISMATCH, SG_ST_CERT_MISMATCH },
    { FW_E_PROHIBITED, SG_ST_PROHIBITED },
    { FW_E_INTERNAL, SG_ST_INTERNAL },
    { FW_E_CORRUPT, SG_ST_FLASH },
    { FW_E_LOG_FULL, SG_ST_LOG_FULL },
    { FW_E_LOG_PRUNED, SG_ST_LOG_PRUNED },
    { FW_E_LOG_CORRUPT, SG_ST_LOG_CORRUPT },
    { FW_E_BUNDLE_SIG, SG_ST_BUNDLE_SIGNATURE },
    { FW_E_BUNDLE_ROLLBACK, SG_ST_BUNDLE_ROLLBACK },
    { FW_E_BUNDLE_MALFORMED, SG_ST_BUNDLE_MALFORMED },
    { FW_E_NO_POLICY_KEY, SG_ST_NO_POLICY_KEY },
    { FW_E_ESCROW, SG_ST_ESCROW_REFUSED },
    { FW_E_BUNDLE_TOO_LARGE, SG_ST_BUNDLE_TOO_LARGE },
    { FW_E_BL_SIG, SG_ST_BLOCKLIST_SIGNATURE },
    { FW_E_BL_ROLLBACK, SG_ST_BLOCKLIST_ROLLBACK },
    { FW_E_BL_MALFORMED, SG_ST_BLOCKLIST_MALFORMED },
    { FW_E_BL_TOO_LARGE, SG_ST_BLOCKLIST_TOO_LARGE },
};

static uint8_t status_of(int err)
{
    for (size_t i = 0; i < sizeof err_map / sizeof *err_map; i++)
        if (err_map[i].err == err)
            return err_map[i].st;
    return SG_ST_INTERNAL;
}

static int booted;

int fw_init(void)
{
    int rc;
    booted = 0;
    fw_keycache_clear(); /* a reset: nothing loaded survives it */
    fw_skeys_drop(FW_MAX_CHANNELS); /* nor a session key (RAM only) */
    if ((rc = fw_store_mount()) || (rc = fw_token_mount()) || (rc = fw_objects_index()) ||
        (rc = fw_policy_mount()) || (rc = fw_blocklist_mount()) || (rc = fw_log_mount()))
        return rc;
    for (unsigned c = 0; c < FW_MAX_CHANNELS; c++)
        fw_logout_channel(c);
    fw_authz_drop(FW_MAX_CHANNELS);
    fw_evcache_clear();
    fw_log_boot();
    booted = 1;
    return FW_OK;
}

int fw_frame_check_header(const uint8_t hdr[SG_FRAME_HDR_LEN], size_t *payload_len)
{
    if (hdr[0] != 'S' || hdr[1] != 'G')
        return FW_E_FRAME;
    if (hdr[2] != SG_PROTO_VERSION)
        return FW_E_VERSION;
    uint64_t len = sg_be_get(hdr + 4, 4);
    if (len > SG_MAX_PAYLOAD)
        return FW_E_TOO_LARGE;
    *payload_len = (size_t)len;
    return FW_OK;
}

static size_t frame_out(uint8_t st, uint8_t *out, size_t body_len)
{
    out[0] = 'S';
    out[1] = 'G';
    out[2] = SG_PROTO_VERSION;
    out[3] = st;
    sg_be_put(out + 4, body_len, 4);
    return SG_FRAME_HDR_LEN + body_len;
}

size_t fw_error_frame(uint8_t status, uint8_t *out, size_t out_cap)
{
    return out_cap < SG_FRAME_HDR_LEN ? 0 : frame_out(status, out, 0);
}

/* Every argument payload must be well formed, with each tag at most once,
 * before any handler looks at it. */
static int check_args(const uint8_t *p, size_t len)
{
    uint8_t seen[32] = { 0 }, tag;
    const uint8_t *v;
    size_t off = 0, vl;
    int r;
    while ((r = sg_tlv_next(p, len, &off, &tag, &v, &vl)) == 1) {
        if (seen[tag >> 3] & (1u << (tag & 7)))
            return FW_E_ARGS;
        seen[tag >> 3] |= (uint8_t)(1u << (tag & 7));
    }
    return r < 0 ? FW_E_FRAME : FW_OK;
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
        return frame_out(SG_ST_FRAME, out, 0);
    }
    rc = fw_frame_check_header(in, &plen);
    if (rc != FW_OK || plen != in_len - SG_FRAME_HDR_LEN) {
        *reset = 1;
        return frame_out(status_of(rc ? rc : FW_E_FRAME), out, 0);
    }
    fw_req r = {
        .chan = chan < FW_MAX_CHANNELS ? chan : 0,
        .args = in + SG_FRAME_HDR_LEN,
        .args_len = plen,
        .out = out + SG_FRAME_HDR_LEN,
        .out_cap = out_cap - SG_FRAME_HDR_LEN < SG_MAX_PAYLOAD ? out_cap - SG_FRAME_HDR_LEN : SG_MAX_PAYLOAD,
    };
    rc = booted ? check_args(r.args, r.args_len) : FW_E_FLASH;
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
    return frame_out(status_of(rc), out, r.out_len);
}

int fw_arg_opt(const fw_req *r, uint8_t tag, const uint8_t **val, size_t *len)
{
    size_t off = 0;
    uint8_t t;
    while (sg_tlv_next(r->args, r->args_len, &off, &t, val, len) == 1)
        if (t == tag)
            return FW_OK;
    *val = NULL;
    *len = 0;
    return FW_E_NO_OBJECT;
}

int fw_arg(const fw_req *r, uint8_t tag, const uint8_t **val, size_t *len)
{
    return fw_arg_opt(r, tag, val, len) == FW_OK ? FW_OK : FW_E_ARGS;
}

int fw_arg_u(const fw_req *r, uint8_t tag, size_t width, uint32_t *v)
{
    const uint8_t *p;
    size_t l;
    if (fw_arg(r, tag, &p, &l) || l != width)
        return FW_E_ARGS;
    *v = (uint32_t)sg_be_get(p, width);
    return FW_OK;
}

int fw_put(fw_req *r, uint8_t tag, const void *val, size_t len)
{
    return sg_tlv_append(r->out, r->out_cap, &r->out_len, tag, val, len) ? FW_E_INTERNAL : FW_OK;
}

int fw_put_u(fw_req *r, uint8_t tag, uint64_t v, size_t width)
{
    uint8_t b[8];
    sg_be_put(b, v, width);
    return fw_put(r, tag, b, width);
}

void fw_channel_closed(unsigned chan)
{
    fw_logout_channel(chan);
    fw_authz_drop(chan);
    fw_skeys_drop(chan); /* its session keys end with it */
}
