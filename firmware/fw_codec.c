/* SPDX-License-Identifier: Apache-2.0 */
/* The bottom of the firmware: frames in and out, argument access and
 * output TLVs, and the one table mapping firmware errors to wire statuses. */
#include <string.h>
#include "fw.h"
#include "sbrguard/blocklist.h"
#include "sbrguard/tlv.h"

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

uint8_t fw_status_of(int err)
{
    for (size_t i = 0; i < sizeof err_map / sizeof *err_map; i++)
        if (err_map[i].err == err)
            return err_map[i].st;
    return SG_ST_INTERNAL;
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

size_t fw_frame_out(uint8_t st, uint8_t *out, size_t body_len)
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
    return out_cap < SG_FRAME_HDR_LEN ? 0 : fw_frame_out(status, out, 0);
}

/* Every argument payload must be well formed, with each tag at most once,
 * before any handler looks at it. */
int fw_args_check(const uint8_t *p, size_t len)
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

/* The firmware's one copy of the TLV helpers: at -Os the header's static
 * inline ones stay out of line, one copy in every file that uses them. */
int fw_tlv_next(const uint8_t *p, size_t len, size_t *off, uint8_t *tag, const uint8_t **val, size_t *val_len)
{
    return sg_tlv_next(p, len, off, tag, val, val_len);
}

int fw_tlv_append(uint8_t *buf, size_t cap, size_t *off, uint8_t tag, const void *val, size_t len)
{
    return sg_tlv_append(buf, cap, off, tag, val, len);
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

/* Appends one SG_T_REASON to an error response (the first also becomes msg). */
void fw_refuse(fw_req *r, const char *code, const char *section)
{
    char v[112];
    size_t n = 0;
    if (!r->detail) {
        r->out_len = 0; /* nothing but the reasons goes out */
        r->detail = 1;
        r->msg = code;
    }
    while (code[n] && n < 80) {
        v[n] = code[n];
        n++;
    }
    if (section && *section) {
        v[n++] = ' ';
        for (size_t i = 0; section[i] && n < sizeof v; i++)
            v[n++] = section[i];
    }
    (void)fw_put(r, SG_T_REASON, v, n); /* a full response keeps the first reasons */
}

