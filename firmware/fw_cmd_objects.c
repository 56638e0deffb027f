/* SPDX-License-Identifier: Apache-2.0 */
/* The object commands: LIST, GET_OBJECT, CREATE_OBJECT, DESTROY_OBJECT
 * (either half of a key pair; an escrowed key only once its period is over)
 * and BIND_CA, over fw_objects.c's slots; keys and bindings are logged
 * before they change. */
#include <string.h>
#include "fw.h"
#include "sbrguard/hal_crypto.h"
#include "sbrguard/tlv.h"

int fw_cmd_list(fw_req *r)
{
    const fw_obj_entry *ix = fw_objects_idx();
    for (unsigned s = 1; s < FW_STORE_SLOTS; s++) {
        if (!fw_object_live(s) || !fw_object_visible(r, s))
            continue;
        uint8_t e[7];
        sg_be_put(e, s, 2);
        e[2] = ix[s].type;
        sg_be_put(e + 3, fw_object_listed_flags(s), 4);
        if (fw_put(r, SG_T_LIST_ENTRY, e, sizeof e))
            return FW_E_INTERNAL;
    }
    return fw_skey_list(r); /* and this channel's session keys */
}

static int handle_arg(const fw_req *r, unsigned *h)
{
    uint32_t v;
    if (fw_arg_u(r, SG_T_HANDLE, 2, &v))
        return FW_E_ARGS;
    *h = v;
    return fw_object_live(v) && fw_object_visible(r, v) ? FW_OK : FW_E_NO_OBJECT;
}

int fw_cmd_get_object(fw_req *r)
{
    const fw_obj_entry *ix = fw_objects_idx();
    unsigned h;
    const uint8_t *b, *v;
    size_t len, off = 0, vl;
    uint8_t t;
    int rc;
    uint32_t hv;
    if (fw_arg_u(r, SG_T_HANDLE, 2, &hv) == FW_OK && FW_SKEY_HANDLE(hv))
        return fw_skey_get(r, hv);
    if ((rc = handle_arg(r, &h)) || (rc = fw_store_read(h, &b, &len)))
        return rc;
    if (fw_put_u(r, SG_T_CLASS, ix[h].type, 1))
        return FW_E_INTERNAL;
    /* Record-only tags (private key, flags) never leave; flags are sent
     * with the CA binding folded in. */
    while (fw_tlv_next(b, len, &off, &t, &v, &vl) == 1)
        if (t < FW_T_PRIVKEY && t != SG_T_FLAGS && fw_put(r, t, v, vl))
            return FW_E_INTERNAL;
    return fw_put_u(r, SG_T_FLAGS, fw_object_listed_flags(h), 4);
}

int fw_cmd_create_object(fw_req *r)
{
    uint32_t cls, flags = 0;
    const uint8_t *val, *b;
    size_t vl, cap, off;
    uint8_t *w;
    unsigned slot;
    int rc;
    if (fw_arg_u(r, SG_T_CLASS, 1, &cls) || (cls != SG_CLASS_CERT && cls != SG_CLASS_DATA) ||
        fw_arg(r, SG_T_VALUE, &val, &vl) || vl > SG_MAX_VALUE || (cls == SG_CLASS_CERT && vl == 0))
        return FW_E_ARGS;
    if (fw_arg_opt(r, SG_T_FLAGS, &b, &off) == FW_OK && fw_arg_u(r, SG_T_FLAGS, 4, &flags))
        return FW_E_ARGS;
    if (flags & ~(uint32_t)SG_OBJ_PRIVATE || (flags && cls != SG_CLASS_DATA))
        return FW_E_ARGS;
    if ((rc = fw_objects_new_slot(&slot)) || (rc = fw_object_begin(r, &w, &cap, &off)))
        return rc;
    uint8_t fl[4];
    sg_be_put(fl, flags, 4);
    if (fw_tlv_append(w, cap, &off, SG_T_VALUE, val, vl) || fw_tlv_append(w, cap, &off, SG_T_FLAGS, fl, 4))
        return FW_E_NO_SPACE;
    if ((rc = fw_store_commit(slot, (uint8_t)cls, fw_token_epoch(), off)))
        return rc;
    fw_objects_reindex(slot);
    return fw_put_u(r, SG_T_HANDLE, slot, 2);
}

/* One half of key pair h; the private half's destruction is logged first. */
static int destroy_part(unsigned h, uint32_t part)
{
    const fw_obj_entry *ix = fw_objects_idx();
    int rc;
    if (ix[h].flags & (part == SG_PART_PRIVATE ? SG_OBJ_PRIV_GONE : SG_OBJ_PUB_GONE))
        return FW_E_NO_OBJECT;
    if (part == SG_PART_PRIVATE) {
        fw_log_ev ev = { .event = SG_LOG_EV_KEY_DESTROY, .handle = h, .value = FW_REC_TYPE_KEY };
        if ((rc = fw_log_append(&ev)))
            return rc;
    }
    return fw_object_drop_part(h, part);
}

int fw_cmd_destroy_object(fw_req *r)
{
    const fw_obj_entry *ix = fw_objects_idx();
    unsigned h;
    uint32_t part = 0;
    const uint8_t *pv;
    size_t pl;
    int rc;
    uint32_t hv;
    if (fw_arg_u(r, SG_T_HANDLE, 2, &hv) == FW_OK && FW_SKEY_HANDLE(hv)) {
        /* A session key: RAM only, so neither flash nor the log is touched. */
        if (fw_arg_opt(r, SG_T_KEY_PART, &pv, &pl) == FW_OK &&
            (fw_arg_u(r, SG_T_KEY_PART, 1, &part) || (part != SG_PART_PRIVATE && part != SG_PART_PUBLIC)))
            return FW_E_ARGS;
        return fw_skey_destroy(r->chan, hv, part);
    }
    if ((rc = handle_arg(r, &h)))
        return rc;
    if (fw_arg_opt(r, SG_T_KEY_PART, &pv, &pl) == FW_OK &&
        (fw_arg_u(r, SG_T_KEY_PART, 1, &part) || (part != SG_PART_PRIVATE && part != SG_PART_PUBLIC) ||
         ix[h].type != FW_REC_TYPE_KEY))
        return FW_E_ARGS;
    /* One half, while the other stays; the second half takes the record. */
    if (part && !(ix[h].flags & (part == SG_PART_PRIVATE ? SG_OBJ_PUB_GONE : SG_OBJ_PRIV_GONE)))
        return destroy_part(h, part);
    if (part && (ix[h].flags & (part == SG_PART_PRIVATE ? SG_OBJ_PRIV_GONE : SG_OBJ_PUB_GONE)))
        return FW_E_NO_OBJECT;
    /* A CA certificate stays while its key's private half exists:
     * unbinding would turn a CA key back into one that signs without the
     * policy. */
    if (ix[h].type == FW_REC_TYPE_CERT && fw_object_live(ix[h].bound_key) &&
        !(ix[ix[h].bound_key].flags & SG_OBJ_PRIV_GONE))
        return FW_E_PROHIBITED;
    /* An escrowed key stays for the bundle's period (SBR 6.3.2, 4.12.1). */
    if (ix[h].type == FW_REC_TYPE_ESCROW && (rc = fw_escrow_may_destroy(h)))
        return rc;
    /* Keys and CA certificates are security state: logged before they go. */
    uint8_t t = ix[h].type;
    fw_log_ev ev = { .event = t == FW_REC_TYPE_CERT ? SG_LOG_EV_CA_UNBIND : SG_LOG_EV_KEY_DESTROY, .handle = h,
                     .value = t == FW_REC_TYPE_CERT ? ix[h].bound_key : t };
    int logged = (t == FW_REC_TYPE_KEY && !(ix[h].flags & SG_OBJ_PRIV_GONE)) || t == FW_REC_TYPE_ESCROW || (t == FW_REC_TYPE_CERT && ix[h].bound_key);
    if (logged && (rc = fw_log_append(&ev)))
        return rc;
    return fw_object_free_slot(h);
}

int fw_cmd_bind_ca(fw_req *r)
{
    const fw_obj_entry *ix = fw_objects_idx();
    unsigned key, slot;
    const uint8_t *cert, *spki, *b, *pub = NULL;
    size_t cert_len, spki_len, len, pub_len = 0, off, cap;
    uint8_t *w, t;
    int rc;
    uint32_t hv;
    /* A session key lives in RAM for one connection: never a CA key. */
    if (fw_arg_u(r, SG_T_HANDLE, 2, &hv) == FW_OK && FW_SKEY_HANDLE(hv)) {
        r->msg = "a session key cannot be bound to a CA certificate";
        return FW_E_PROHIBITED;
    }
    if ((rc = handle_arg(r, &key)))
        return rc;
    if (ix[key].type != FW_REC_TYPE_KEY || (ix[key].flags & SG_OBJ_PRIV_GONE))
        return FW_E_NO_OBJECT;
    if (fw_arg(r, SG_T_VALUE, &cert, &cert_len) || cert_len == 0 || cert_len > SG_MAX_VALUE)
        return FW_E_ARGS;
    for (unsigned s = 1; s < FW_STORE_SLOTS; s++)
        if (ix[s].type == FW_REC_TYPE_CERT && ix[s].bound_key == key) {
            r->msg = "key already bound to a CA certificate";
            return FW_E_PROHIBITED;
        }
    if (fw_cert_spki(cert, cert_len, &spki, &spki_len)) {
        r->msg = "not a DER X.509 certificate";
        return FW_E_ARGS;
    }
    if ((rc = fw_store_read(key, &b, &len)))
        return rc;
    const uint8_t *v;
    size_t vl;
    uint8_t key_id[SG_MAX_ID];
    size_t key_id_len = 0;
    off = 0;
    while (fw_tlv_next(b, len, &off, &t, &v, &vl) == 1) {
        if (t == SG_T_PUBKEY) {
            pub = v;
            pub_len = vl;
        } else if (t == SG_T_ID && vl <= sizeof key_id) {
            memcpy(key_id, v, vl);
            key_id_len = vl;
        }
    }
    if (!pub || pub_len != spki_len || memcmp(pub, spki, spki_len)) {
        r->msg = "certificate public key differs from the key's";
        return FW_E_CERT_MISMATCH;
    }
    /* The key record is no longer needed: compose the certificate record. */
    if ((rc = fw_objects_new_slot(&slot)) || (rc = fw_object_begin(r, &w, &cap, &off)))
        return rc;
    uint8_t fl[4], bk[2];
    sg_be_put(fl, SG_OBJ_CA_CERT, 4);
    sg_be_put(bk, key, 2);
    /* Without an ID of its own the certificate takes the key's (PKCS#11
     * applications pair keys and certificates by CKA_ID). */
    if (fw_arg_opt(r, SG_T_ID, &v, &vl) != FW_OK && fw_tlv_append(w, cap, &off, SG_T_ID, key_id, key_id_len))
        return FW_E_NO_SPACE;
    if (fw_tlv_append(w, cap, &off, SG_T_VALUE, cert, cert_len) ||
        fw_tlv_append(w, cap, &off, SG_T_FLAGS, fl, 4) ||
        fw_tlv_append(w, cap, &off, SG_T_BOUND_KEY, bk, 2))
        return FW_E_NO_SPACE;
    /* Logged before the binding exists (it makes the key a CA key). */
    uint8_t kid[32], ch[32];
    fw_log_ev ev = { .event = SG_LOG_EV_CA_BIND, .handle = key, .value = slot, .key_id = kid, .cert_hash = ch };
    if (hal_hash(HAL_MD_SHA256, spki, spki_len, kid) || hal_hash(HAL_MD_SHA256, cert, cert_len, ch))
        return FW_E_CRYPTO;
    if ((rc = fw_log_append(&ev)) || (rc = fw_store_commit(slot, FW_REC_TYPE_CERT, fw_token_epoch(), off)))
        return rc;
    fw_objects_reindex(slot);
    return fw_put_u(r, SG_T_HANDLE, slot, 2);
}
