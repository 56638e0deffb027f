/* SPDX-License-Identifier: Apache-2.0 */
/* libsbrguard: one function per token command. */
#include <string.h>
#include "client.h"
#include "sbrguard/tlv.h"

int sg_get_u(const uint8_t *p, size_t len, uint8_t tag, size_t width, uint64_t *v)
{
    const uint8_t *val;
    size_t vl;
    int rc = sg_tlv_find(p, len, tag, &val, &vl);
    if (rc != SG_OK)
        return rc == SG_E_ARGS ? SG_E_PROTOCOL : rc;
    if (vl != width)
        return SG_E_PROTOCOL;
    *v = sg_be_get(val, vl);
    return SG_OK;
}

uint64_t sg_opt_u(const sg_client *c, uint8_t tag, size_t width)
{
    uint64_t v = 0;
    return sg_get_u(c->resp, c->resp_len, tag, width, &v) == SG_OK ? v : 0;
}

static void opt_str(const sg_client *c, uint8_t tag, char *out, size_t cap)
{
    const uint8_t *v;
    size_t l = 0;
    if (sg_tlv_find(c->resp, c->resp_len, tag, &v, &l) != SG_OK)
        l = 0;
    if (l >= cap)
        l = cap - 1;
    memcpy(out, l ? (const char *)v : "", l);
    out[l] = 0;
}

int sg_get_info(sg_client *c, sg_info *info)
{
    int rc = sg_call(c, SG_CMD_INFO, 0);
    if (rc)
        return rc;
    memset(info, 0, sizeof *info);
    uint64_t v = sg_opt_u(c, SG_T_FW_VERSION, 2);
    info->fw_major = (uint8_t)(v >> 8);
    info->fw_minor = (uint8_t)v;
    opt_str(c, SG_T_SERIAL, info->serial, sizeof info->serial);
    opt_str(c, SG_T_LABEL, info->label, sizeof info->label);
    info->flags = (uint32_t)sg_opt_u(c, SG_T_TOKEN_FLAGS, 4);
    info->user_tries = (uint8_t)sg_opt_u(c, SG_T_USER_TRIES, 1);
    info->so_tries = (uint8_t)sg_opt_u(c, SG_T_SO_TRIES, 1);
    info->free_slots = (uint16_t)sg_opt_u(c, SG_T_FREE_SLOTS, 2);
    info->total_slots = (uint16_t)sg_opt_u(c, SG_T_TOTAL_SLOTS, 2);
    info->time = sg_opt_u(c, SG_T_TIME, 8);
    info->max_payload = (uint32_t)sg_opt_u(c, SG_T_MAX_PAYLOAD, 4);
    info->login_state = (uint8_t)sg_opt_u(c, SG_T_LOGIN_STATE, 1);
    return SG_OK;
}

int sg_init_token(sg_client *c, const char *so_pin, size_t so_pin_len, const char *label)
{
    size_t off = 0;
    SG_PUT(SG_T_PIN, so_pin, so_pin_len);
    SG_PUT(SG_T_LABEL, label, label ? strlen(label) : 0);
    return sg_call(c, SG_CMD_INIT_TOKEN, off);
}

int sg_login(sg_client *c, int user_type, const char *pin, size_t pin_len)
{
    size_t off = 0;
    uint8_t ut = (uint8_t)user_type;
    SG_PUT(SG_T_USER_TYPE, &ut, 1);
    SG_PUT(SG_T_PIN, pin, pin_len);
    return sg_call(c, SG_CMD_LOGIN, off);
}

int sg_logout(sg_client *c) { return sg_call(c, SG_CMD_LOGOUT, 0); }

int sg_init_pin(sg_client *c, const char *pin, size_t pin_len)
{
    size_t off = 0;
    SG_PUT(SG_T_PIN, pin, pin_len);
    return sg_call(c, SG_CMD_INIT_PIN, off);
}

int sg_set_pin(sg_client *c, int user_type, const char *old_pin, size_t old_len,
               const char *new_pin, size_t new_len)
{
    size_t off = 0;
    uint8_t ut = (uint8_t)user_type;
    SG_PUT(SG_T_USER_TYPE, &ut, 1);
    SG_PUT(SG_T_PIN, old_pin, old_len);
    SG_PUT(SG_T_NEW_PIN, new_pin, new_len);
    return sg_call(c, SG_CMD_SET_PIN, off);
}

static int get_handle(sg_client *c, uint16_t *handle)
{
    uint64_t v;
    int rc = sg_get_u(c->resp, c->resp_len, SG_T_HANDLE, 2, &v);
    if (rc == SG_OK && handle)
        *handle = (uint16_t)v;
    return rc;
}

int sg_generate_key(sg_client *c, int key_type, const uint8_t *id, size_t id_len,
                    const char *label, uint32_t flags, const uint8_t *host_attrs,
                    size_t host_attrs_len, uint16_t *handle, uint8_t *pubkey, size_t *pubkey_len)
{
    size_t off = 0;
    uint8_t kt = (uint8_t)key_type, fl[4];
    sg_be_put(fl, flags, 4);
    SG_PUT(SG_T_KEY_TYPE, &kt, 1);
    SG_PUT(SG_T_ID, id, id_len);
    SG_PUT(SG_T_LABEL, label, label ? strlen(label) : 0);
    SG_PUT(SG_T_FLAGS, fl, 4);
    if (host_attrs_len)
        SG_PUT(SG_T_HOST_ATTRS, host_attrs, host_attrs_len);
    int rc = sg_call(c, SG_CMD_GENERATE_KEY, off);
    if (rc || (rc = get_handle(c, handle)))
        return rc;
    if (pubkey && pubkey_len) {
        const uint8_t *pk;
        size_t pl;
        if (sg_tlv_find(c->resp, c->resp_len, SG_T_PUBKEY, &pk, &pl))
            return SG_E_PROTOCOL;
        if (pl > *pubkey_len) {
            *pubkey_len = pl;
            return SG_E_BUFFER;
        }
        memcpy(pubkey, pk, pl);
        *pubkey_len = pl;
    }
    return SG_OK;
}

int sg_list(sg_client *c, sg_list_entry *out, size_t *n)
{
    int rc = sg_call(c, SG_CMD_LIST, 0);
    if (rc)
        return rc;
    size_t off = 0, k = 0;
    while (off < c->resp_len) {
        const uint8_t *e = c->resp + off;
        if (c->resp_len - off < 3)
            return SG_E_PROTOCOL;
        size_t l = ((size_t)e[1] << 8) | e[2];
        if (c->resp_len - off - 3 < l)
            return SG_E_PROTOCOL;
        if (e[0] == SG_T_LIST_ENTRY) {
            if (l != 7)
                return SG_E_PROTOCOL;
            if (k < *n) {
                out[k].handle = (uint16_t)((e[3] << 8) | e[4]);
                out[k].cls = e[5];
                out[k].flags = ((uint32_t)e[6] << 24) | ((uint32_t)e[7] << 16) | ((uint32_t)e[8] << 8) | e[9];
            }
            k++;
        }
        off += 3 + l;
    }
    rc = k > *n ? SG_E_BUFFER : SG_OK;
    *n = k;
    return rc;
}

static void opt_blob(sg_object *o, size_t len, uint8_t tag, const uint8_t **p, size_t *l)
{
    if (sg_tlv_find(o->buf, len, tag, p, l) != SG_OK) {
        *p = NULL;
        *l = 0;
    }
}

int sg_get_object(sg_client *c, uint16_t handle, sg_object *obj)
{
    size_t off = 0;
    uint8_t h[2] = { (uint8_t)(handle >> 8), (uint8_t)handle };
    SG_PUT(SG_T_HANDLE, h, 2);
    int rc = sg_call(c, SG_CMD_GET_OBJECT, off);
    if (rc)
        return rc;
    memset(obj, 0, offsetof(sg_object, buf));
    memcpy(obj->buf, c->resp, c->resp_len);
    obj->handle = handle;
    obj->cls = (uint8_t)sg_opt_u(c, SG_T_CLASS, 1);
    obj->key_type = (uint8_t)sg_opt_u(c, SG_T_KEY_TYPE, 1);
    obj->key_bits = (uint16_t)sg_opt_u(c, SG_T_KEY_BITS, 2);
    obj->flags = (uint32_t)sg_opt_u(c, SG_T_FLAGS, 4);
    obj->bound_key = (uint16_t)sg_opt_u(c, SG_T_BOUND_KEY, 2);
    opt_blob(obj, c->resp_len, SG_T_ID, &obj->id, &obj->id_len);
    opt_blob(obj, c->resp_len, SG_T_LABEL, &obj->label, &obj->label_len);
    opt_blob(obj, c->resp_len, SG_T_PUBKEY, &obj->pubkey, &obj->pubkey_len);
    opt_blob(obj, c->resp_len, SG_T_VALUE, &obj->value, &obj->value_len);
    opt_blob(obj, c->resp_len, SG_T_APPLICATION, &obj->application, &obj->application_len);
    opt_blob(obj, c->resp_len, SG_T_HOST_ATTRS, &obj->host_attrs, &obj->host_attrs_len);
    return obj->cls ? SG_OK : SG_E_PROTOCOL;
}

int sg_create_object(sg_client *c, int cls, const uint8_t *value, size_t value_len,
                     const uint8_t *id, size_t id_len, const char *label,
                     const uint8_t *application, size_t application_len, uint32_t flags,
                     const uint8_t *host_attrs, size_t host_attrs_len, uint16_t *handle)
{
    size_t off = 0;
    uint8_t cl = (uint8_t)cls, fl[4];
    sg_be_put(fl, flags, 4);
    SG_PUT(SG_T_CLASS, &cl, 1);
    SG_PUT(SG_T_VALUE, value, value_len);
    SG_PUT(SG_T_ID, id, id_len);
    SG_PUT(SG_T_LABEL, label, label ? strlen(label) : 0);
    SG_PUT(SG_T_APPLICATION, application, application_len);
    SG_PUT(SG_T_FLAGS, fl, 4);
    if (host_attrs_len)
        SG_PUT(SG_T_HOST_ATTRS, host_attrs, host_attrs_len);
    int rc = sg_call(c, SG_CMD_CREATE_OBJECT, off);
    return rc ? rc : get_handle(c, handle);
}

int sg_destroy_object(sg_client *c, uint16_t handle)
{
    size_t off = 0;
    uint8_t h[2] = { (uint8_t)(handle >> 8), (uint8_t)handle };
    SG_PUT(SG_T_HANDLE, h, 2);
    return sg_call(c, SG_CMD_DESTROY_OBJECT, off);
}

int sg_destroy_key_part(sg_client *c, uint16_t handle, int part)
{
    size_t off = 0;
    uint8_t h[2] = { (uint8_t)(handle >> 8), (uint8_t)handle }, p = (uint8_t)part;
    SG_PUT(SG_T_HANDLE, h, 2);
    SG_PUT(SG_T_KEY_PART, &p, 1);
    return sg_call(c, SG_CMD_DESTROY_OBJECT, off);
}

int sg_drop_session_key(sg_client *c, uint16_t handle, int part)
{
    size_t off = 0;
    uint8_t h[2] = { (uint8_t)(handle >> 8), (uint8_t)handle }, p = (uint8_t)part;
    SG_PUT(SG_T_HANDLE, h, 2);
    if (part)
        SG_PUT(SG_T_KEY_PART, &p, 1);
    return sg_call(c, SG_CMD_SESSION_KEY_DROP, off);
}

int sg_bind_ca(sg_client *c, uint16_t key, const uint8_t *cert, size_t cert_len,
               const char *label, const uint8_t *host_attrs, size_t host_attrs_len,
               uint16_t *cert_handle)
{
    size_t off = 0;
    uint8_t h[2] = { (uint8_t)(key >> 8), (uint8_t)key };
    SG_PUT(SG_T_HANDLE, h, 2);
    SG_PUT(SG_T_VALUE, cert, cert_len);
    SG_PUT(SG_T_LABEL, label, label ? strlen(label) : 0);
    if (host_attrs_len)
        SG_PUT(SG_T_HOST_ATTRS, host_attrs, host_attrs_len);
    int rc = sg_call(c, SG_CMD_BIND_CA, off);
    return rc ? rc : get_handle(c, cert_handle);
}

size_t sg_signature_len(int key_type)
{
    switch (key_type) {
    case SG_KEY_EC_P256: return 64;
    case SG_KEY_EC_P384: return 96;
    case SG_KEY_EC_P521: return 132;
    case SG_KEY_RSA_2048: return 256;
    case SG_KEY_RSA_3072: return 384;
    case SG_KEY_RSA_4096: return 512;
    default: return 0;
    }
}

unsigned sg_key_bits(int key_type)
{
    static const unsigned bits[] = { 0, 256, 384, 521, 2048, 3072, 4096 };
    return key_type > 0 && key_type <= SG_KEY_RSA_4096 ? bits[key_type] : 0;
}

static int put_mech(sg_client *c, size_t *offp, const sg_mech *mech);

int sg_set_evidence(sg_client *c, const uint8_t *ev, size_t len)
{
    if (!c || len > sizeof c->evidence || (!ev && len))
        return SG_E_ARGS;
    if (len)
        memcpy(c->evidence, ev, len);
    c->evidence_len = len;
    return SG_OK;
}

int sg_sign(sg_client *c, uint16_t key, const sg_mech *mech, const uint8_t *data,
            size_t data_len, uint8_t *sig, size_t *sig_len)
{
    size_t off = 0;
    uint8_t h[2] = { (uint8_t)(key >> 8), (uint8_t)key };
    int rc;
    SG_PUT(SG_T_HANDLE, h, 2);
    if ((rc = put_mech(c, &off, mech)))
        return rc;
    SG_PUT(SG_T_DATA, data, data_len);
    if (c->evidence_len)
        SG_PUT(SG_T_EVIDENCE, c->evidence, c->evidence_len);
    if ((rc = sg_call(c, SG_CMD_SIGN, off)))
        return rc;
    const uint8_t *s;
    size_t sl;
    if (sg_tlv_find(c->resp, c->resp_len, SG_T_SIGNATURE, &s, &sl))
        return SG_E_PROTOCOL;
    if (sl > *sig_len) {
        *sig_len = sl;
        return SG_E_BUFFER;
    }
    memcpy(sig, s, sl);
    *sig_len = sl;
    return SG_OK;
}

int sg_random(sg_client *c, uint8_t *out, size_t len)
{
    while (len) {
        size_t n = len > SG_MAX_RANDOM ? SG_MAX_RANDOM : len, off = 0;
        uint8_t cnt[2] = { (uint8_t)(n >> 8), (uint8_t)n };
        SG_PUT(SG_T_COUNT, cnt, 2);
        int rc = sg_call(c, SG_CMD_RANDOM, off);
        if (rc)
            return rc;
        const uint8_t *v;
        size_t vl;
        if (sg_tlv_find(c->resp, c->resp_len, SG_T_VALUE, &v, &vl) || vl != n)
            return SG_E_PROTOCOL;
        memcpy(out, v, n);
        out += n;
        len -= n;
    }
    return SG_OK;
}

/* MECH and, with PSS, its parameters. */
static int put_mech(sg_client *c, size_t *offp, const sg_mech *mech)
{
    size_t off = *offp;
    uint8_t m[4];
    sg_be_put(m, mech->mech, 4);
    SG_PUT(SG_T_MECH, m, 4);
    if (mech->has_pss) {
        sg_be_put(m, mech->pss_hash, 4);
        SG_PUT(SG_T_PSS_HASH, m, 4);
        sg_be_put(m, mech->pss_mgf, 4);
        SG_PUT(SG_T_PSS_MGF, m, 4);
        sg_be_put(m, mech->pss_slen, 4);
        SG_PUT(SG_T_PSS_SLEN, m, 4);
    }
    *offp = off;
    return SG_OK;
}

int sg_authorize(sg_client *c, uint16_t key, const sg_mech *mech, const uint8_t *tbs,
                 size_t tbs_len, sg_authz *out)
{
    size_t off = 0;
    uint8_t h[2] = { (uint8_t)(key >> 8), (uint8_t)key };
    int rc;
    if (!mech || (!tbs && tbs_len))
        return SG_E_ARGS;
    SG_PUT(SG_T_HANDLE, h, 2);
    if ((rc = put_mech(c, &off, mech)))
        return rc;
    SG_PUT(SG_T_DATA, tbs, tbs_len);
    if (c->evidence_len)
        SG_PUT(SG_T_EVIDENCE, c->evidence, c->evidence_len);
    if ((rc = sg_call(c, SG_CMD_AUTHORIZE, off)))
        return rc;
    if (!out)
        return SG_OK;
    const uint8_t *d;
    size_t dl;
    uint64_t v;
    memset(out, 0, sizeof *out);
    if ((rc = sg_get_u(c->resp, c->resp_len, SG_T_MECH, 4, &v)))
        return rc;
    out->raw_mech = (uint32_t)v;
    if ((rc = sg_get_u(c->resp, c->resp_len, SG_T_EXPIRES, 8, &out->expires)))
        return rc;
    if (sg_tlv_find(c->resp, c->resp_len, SG_T_DIGEST, &d, &dl) || dl == 0 || dl > sizeof out->data)
        return SG_E_PROTOCOL;
    memcpy(out->data, d, dl);
    out->data_len = dl;
    return SG_OK;
}

/* Copies a printable field of at most cap - 1 characters. */
static void reason_field(char *dst, size_t cap, const uint8_t *p, size_t n)
{
    if (n >= cap)
        n = cap - 1;
    for (size_t i = 0; i < n; i++)
        dst[i] = p[i] >= 0x20 && p[i] < 0x7F ? (char)p[i] : '?';
    dst[n] = 0;
}

size_t sg_last_reasons(const sg_client *c, sg_reason *out, size_t cap)
{
    size_t off = 0, vl, n = 0;
    uint8_t t;
    const uint8_t *v;
    if (c->last_status == SG_ST_OK)
        return 0;
    while (sg_tlv_next(c->resp, c->resp_len, &off, &t, &v, &vl) == 1) {
        if (t != SG_T_REASON)
            continue;
        if (out && n < cap) {
            const uint8_t *sp = memchr(v, ' ', vl);
            size_t cl = sp ? (size_t)(sp - v) : vl;
            reason_field(out[n].code, sizeof out[n].code, v, cl);
            reason_field(out[n].section, sizeof out[n].section, sp ? sp + 1 : v, sp ? vl - cl - 1 : 0);
        }
        n++;
    }
    return n;
}
