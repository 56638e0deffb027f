/* SPDX-License-Identifier: Apache-2.0 */
/* libsbrguard: the policy bundle and key escrow commands (sbrguard/bundle.h). */
#include <string.h>
#include "client.h"
#include "sbrguard/tlv.h"

#define PUT(tag, v, l)                                                \
    do {                                                              \
        if (sg_tlv_put(c->req, sizeof c->req, &off, (tag), (v), (l))) \
            return SG_E_ARGS;                                         \
    } while (0)

/* Copies a response TLV into out (cap bytes); SG_E_PROTOCOL if absent. */
static int blob(const sg_client *c, uint8_t tag, uint8_t *out, size_t cap, size_t *len)
{
    const uint8_t *v;
    size_t l;
    if (sg_tlv_find(c->resp, c->resp_len, tag, &v, &l))
        return SG_E_PROTOCOL;
    if (l > cap) {
        *len = l;
        return SG_E_BUFFER;
    }
    memcpy(out, v, l);
    *len = l;
    return SG_OK;
}

int sg_init_token_policy(sg_client *c, const char *so_pin, size_t so_pin_len, const char *label,
                         const uint8_t *policy_key, size_t policy_key_len)
{
    size_t off = 0;
    PUT(SG_T_PIN, so_pin, so_pin_len);
    PUT(SG_T_LABEL, label, label ? strlen(label) : 0);
    if (policy_key_len)
        PUT(SG_T_POLICY_KEY, policy_key, policy_key_len);
    return sg_call(c, SG_CMD_INIT_TOKEN, off);
}

int sg_policy_load(sg_client *c, const uint8_t *bundle, size_t len, uint32_t *version, uint8_t hash[32])
{
    size_t off = 0, hl;
    uint64_t v;
    int rc;
    PUT(SG_T_BUNDLE, bundle, len);
    if ((rc = sg_call(c, SG_CMD_POLICY_LOAD, off)) || (rc = sg_get_u(c->resp, c->resp_len, SG_T_POLICY_VERSION, 4, &v)))
        return rc;
    if (version)
        *version = (uint32_t)v;
    if (hash && ((rc = blob(c, SG_T_POLICY_HASH, hash, 32, &hl)) || hl != 32))
        return rc ? rc : SG_E_PROTOCOL;
    return SG_OK;
}

int sg_policy_info(sg_client *c, sg_policy_state *out)
{
    uint64_t v;
    size_t hl;
    int rc = sg_call(c, SG_CMD_POLICY_INFO, 0);
    if (rc)
        return rc;
    memset(out, 0, sizeof *out);
    out->has_key = blob(c, SG_T_POLICY_KEY, out->key, sizeof out->key, &out->key_len) == SG_OK;
    if (sg_get_u(c->resp, c->resp_len, SG_T_POLICY_VERSION, 4, &v) != SG_OK)
        return SG_OK;
    out->version = (uint32_t)v;
    if (blob(c, SG_T_POLICY_HASH, out->hash, 32, &hl) || hl != 32 ||
        blob(c, SG_T_BUNDLE, out->bundle, sizeof out->bundle, &out->bundle_len))
        return SG_E_PROTOCOL;
    out->has_bundle = 1;
    return SG_OK;
}

int sg_escrow_generate(sg_client *c, const sg_escrow_req *q, sg_escrow_out *out)
{
    size_t off = 0;
    uint8_t h[2] = { (uint8_t)(q->ca_key >> 8), (uint8_t)q->ca_key }, prof[2] = { (uint8_t)q->type, (uint8_t)q->gen };
    uint8_t kt = (uint8_t)q->key_type, use = (uint8_t)q->usage;
    uint64_t v;
    int rc;
    PUT(SG_T_HANDLE, h, 2);
    PUT(SG_T_PROFILE, prof, 2);
    PUT(SG_T_KEY_TYPE, &kt, 1);
    PUT(SG_T_CONSENT, q->consent, 32);
    PUT(SG_T_ESCROW_USAGE, &use, 1);
    if (q->label)
        PUT(SG_T_LABEL, q->label, strlen(q->label));
    if (q->id_len)
        PUT(SG_T_ID, q->id, q->id_len);
    if ((rc = sg_call(c, SG_CMD_ESCROW_GENERATE, off)))
        return rc;
    memset(out, 0, sizeof *out);
    if ((rc = sg_get_u(c->resp, c->resp_len, SG_T_HANDLE, 2, &v)))
        return rc;
    out->handle = (uint16_t)v;
    if ((rc = sg_get_u(c->resp, c->resp_len, SG_T_ESCROW_UNTIL, 8, &out->until)) ||
        (rc = sg_get_u(c->resp, c->resp_len, SG_T_WRAP, 1, &v)))
        return rc;
    out->wrap = (int)v;
    return blob(c, SG_T_PUBKEY, out->spki, sizeof out->spki, &out->spki_len);
}

/* DELIVER (user) or RECOVER (SO): the wrapped key into out. */
static int export_key(sg_client *c, uint8_t cmd, uint16_t handle, const uint8_t *transport, size_t tlen,
                      uint8_t *out, size_t cap, size_t *len)
{
    size_t off = 0;
    uint8_t h[2] = { (uint8_t)(handle >> 8), (uint8_t)handle };
    int rc;
    PUT(SG_T_HANDLE, h, 2);
    if (tlen)
        PUT(SG_T_TRANSPORT_KEY, transport, tlen);
    if ((rc = sg_call(c, cmd, off)))
        return rc;
    return blob(c, SG_T_WRAPPED_KEY, out, cap, len);
}

int sg_escrow_deliver(sg_client *c, uint16_t handle, const uint8_t *transport, size_t tlen, uint8_t *out, size_t cap,
                      size_t *len)
{
    if (!tlen)
        return SG_E_ARGS;
    return export_key(c, SG_CMD_ESCROW_DELIVER, handle, transport, tlen, out, cap, len);
}

int sg_escrow_recover(sg_client *c, uint16_t handle, const uint8_t *transport, size_t tlen, uint8_t *out, size_t cap,
                      size_t *len)
{
    return export_key(c, SG_CMD_ESCROW_RECOVER, handle, transport, tlen, out, cap, len);
}
