/* SPDX-License-Identifier: Apache-2.0 */
/* Object slots: keys, certificates, data objects, and the CA binding. */
#include <string.h>
#include "fw.h"
#include "mbedtls/asn1.h"
#include "sbrguard/hal_crypto.h"
#include "sbrguard/tlv.h"

/* In-RAM index of the live objects, rebuilt after every change. */
typedef struct {
    uint8_t type;
    uint32_t flags;
    uint16_t bound_key;
} obj_index;

static obj_index idx[FW_STORE_SLOTS];

static uint32_t tlv_u(const uint8_t *b, size_t len, uint8_t tag, size_t width)
{
    size_t off = 0, vl;
    uint8_t t;
    const uint8_t *v;
    while (sg_tlv_next(b, len, &off, &t, &v, &vl) == 1)
        if (t == tag && vl == width)
            return (uint32_t)sg_be_get(v, width);
    return 0;
}

/* Rebuilds one slot's index entry from its record. */
void fw_objects_reindex(unsigned s)
{
    fw_keycache_drop(s); /* the slot changed: a loaded key of it is stale */
    uint32_t ep = 0;
    uint8_t type = fw_store_type(s, &ep);
    const uint8_t *b;
    size_t len;
    memset(&idx[s], 0, sizeof idx[s]);
    if (type == FW_REC_TYPE_FREE || ep != fw_token_epoch())
        return;
    /* A record that fails its check stays out of the index; the slot is
     * not reused so the damage remains visible rather than overwritten. */
    if (fw_store_read(s, &b, &len)) {
        idx[s].type = 0xFF;
        return;
    }
    idx[s].type = type;
    idx[s].flags = tlv_u(b, len, SG_T_FLAGS, 4);
    idx[s].bound_key = (uint16_t)tlv_u(b, len, SG_T_BOUND_KEY, 2);
}

int fw_objects_index(void)
{
    for (unsigned s = 1; s < FW_STORE_SLOTS; s++)
        fw_objects_reindex(s);
    return FW_OK;
}

unsigned fw_objects_free(void)
{
    unsigned n = 0;
    for (unsigned s = 1; s < FW_STORE_SLOTS; s++)
        n += idx[s].type == FW_REC_TYPE_FREE;
    return n;
}

int fw_objects_new_slot(unsigned *slot)
{
    for (unsigned s = 1; s < FW_STORE_SLOTS; s++)
        if (idx[s].type == FW_REC_TYPE_FREE) {
            *slot = s;
            return FW_OK;
        }
    return FW_E_NO_SPACE;
}

static int live(unsigned h)
{
    return h >= 1 && h < FW_STORE_SLOTS && idx[h].type >= SG_CLASS_KEY && idx[h].type <= SG_CLASS_ESCROW;
}

int fw_key_is_ca(unsigned handle)
{
    if (FW_SKEY_HANDLE(handle) || !live(handle)) /* a session key never is one */
        return 0;
    if (idx[handle].flags & SG_OBJ_CA)
        return 1;
    for (unsigned s = 1; s < FW_STORE_SLOTS; s++)
        if (idx[s].type == FW_REC_TYPE_CERT && idx[s].bound_key == handle)
            return 1;
    return 0;
}

static uint32_t listed_flags(unsigned h)
{
    uint32_t f = idx[h].flags;
    /* The CA binding belongs to the private key. */
    if (idx[h].type == FW_REC_TYPE_KEY && fw_key_is_ca(h))
        f |= SG_OBJ_CA;
    if (f & SG_OBJ_PRIV_GONE)
        f &= ~(uint32_t)SG_OBJ_CA;
    return f;
}

/* Private data objects are visible only to the logged-in user. */
static int visible(const fw_req *r, unsigned h)
{
    return !(idx[h].type == FW_REC_TYPE_DATA && (idx[h].flags & SG_OBJ_PRIVATE)) ||
           fw_login_state(r->chan) == SG_LOGIN_USER;
}

int fw_object_load(unsigned handle, uint8_t want_type, const uint8_t **body, size_t *len)
{
    if (!live(handle) || (want_type && idx[handle].type != want_type))
        return FW_E_NO_OBJECT;
    /* A key whose private half was destroyed cannot sign or be escrowed. */
    if (want_type == FW_REC_TYPE_KEY && (idx[handle].flags & SG_OBJ_PRIV_GONE))
        return FW_E_NO_OBJECT;
    return fw_store_read(handle, body, len);
}

int fw_cmd_list(fw_req *r)
{
    for (unsigned s = 1; s < FW_STORE_SLOTS; s++) {
        if (!live(s) || !visible(r, s))
            continue;
        uint8_t e[7];
        sg_be_put(e, s, 2);
        e[2] = idx[s].type;
        sg_be_put(e + 3, listed_flags(s), 4);
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
    return live(v) && visible(r, v) ? FW_OK : FW_E_NO_OBJECT;
}

int fw_cmd_get_object(fw_req *r)
{
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
    if (fw_put_u(r, SG_T_CLASS, idx[h].type, 1))
        return FW_E_INTERNAL;
    /* Record-only tags (private key, flags) never leave; flags are sent
     * with the CA binding folded in. */
    while (sg_tlv_next(b, len, &off, &t, &v, &vl) == 1)
        if (t < FW_T_PRIVKEY && t != SG_T_FLAGS && fw_put(r, t, v, vl))
            return FW_E_INTERNAL;
    return fw_put_u(r, SG_T_FLAGS, listed_flags(h), 4);
}

/* Copies the optional attribute TLVs a host may set on a new object. */
static int copy_attrs(const fw_req *r, uint8_t *b, size_t cap, size_t *off)
{
    static const struct {
        uint8_t tag;
        uint16_t max;
    } attrs[] = {
        { SG_T_ID, SG_MAX_ID },
        { SG_T_LABEL, SG_MAX_LABEL },
        { SG_T_APPLICATION, SG_MAX_APPLICATION },
        { SG_T_HOST_ATTRS, SG_MAX_HOST_ATTRS },
    };
    for (size_t i = 0; i < sizeof attrs / sizeof *attrs; i++) {
        const uint8_t *v;
        size_t vl;
        if (fw_arg_opt(r, attrs[i].tag, &v, &vl) != FW_OK)
            continue;
        if (vl > attrs[i].max)
            return FW_E_ARGS;
        if (sg_tlv_append(b, cap, off, attrs[i].tag, v, vl))
            return FW_E_NO_SPACE;
    }
    return FW_OK;
}

int fw_object_begin(const fw_req *r, uint8_t **b, size_t *cap, size_t *off)
{
    *off = 0;
    *b = fw_store_compose(cap);
    return copy_attrs(r, *b, *cap, off);
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
    if (sg_tlv_append(w, cap, &off, SG_T_VALUE, val, vl) || sg_tlv_append(w, cap, &off, SG_T_FLAGS, fl, 4))
        return FW_E_NO_SPACE;
    if ((rc = fw_store_commit(slot, (uint8_t)cls, fw_token_epoch(), off)))
        return rc;
    fw_objects_reindex(slot);
    return fw_put_u(r, SG_T_HANDLE, slot, 2);
}

/* Destroys one half of key pair h: the public key object (the record only
 * notes it) or the private key (the record is rewritten without it, and the
 * older copy that still holds it is erased). */
static int destroy_part(unsigned h, uint32_t part)
{
    uint32_t gone = part == SG_PART_PRIVATE ? SG_OBJ_PRIV_GONE : SG_OBJ_PUB_GONE;
    const uint8_t *b, *v;
    size_t len, cap, off = 0, out = 0, vl;
    uint8_t t, fl[4];
    int rc;
    if (idx[h].flags & gone)
        return FW_E_NO_OBJECT;
    if (part == SG_PART_PRIVATE) {
        fw_log_ev ev = { .event = SG_LOG_EV_KEY_DESTROY, .handle = h, .value = FW_REC_TYPE_KEY };
        if ((rc = fw_log_append(&ev)))
            return rc;
    }
    if ((rc = fw_store_read(h, &b, &len)))
        return rc;
    /* The compose buffer is the one just read: compacted in place (the
     * write position never passes the read position). */
    uint8_t *w = fw_store_compose(&cap);
    while (sg_tlv_next(b, len, &off, &t, &v, &vl) == 1) {
        if (t == SG_T_FLAGS || (part == SG_PART_PRIVATE && t == FW_T_PRIVKEY))
            continue;
        memmove(w + out, v - 3, 3 + vl);
        out += 3 + vl;
    }
    fw_zeroize(w + out, len - out);
    sg_be_put(fl, idx[h].flags | gone, 4);
    if (sg_tlv_append(w, cap, &out, SG_T_FLAGS, fl, 4)) {
        fw_store_wipe();
        return FW_E_INTERNAL;
    }
    if ((rc = fw_store_commit(h, FW_REC_TYPE_KEY, fw_token_epoch(), out)))
        return rc;
    rc = part == SG_PART_PRIVATE ? fw_store_scrub(h) : FW_OK;
    fw_objects_reindex(h);
    return rc;
}

int fw_cmd_destroy_object(fw_req *r)
{
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
         idx[h].type != FW_REC_TYPE_KEY))
        return FW_E_ARGS;
    /* One half, while the other stays; the second half takes the record. */
    if (part && !(idx[h].flags & (part == SG_PART_PRIVATE ? SG_OBJ_PUB_GONE : SG_OBJ_PRIV_GONE)))
        return destroy_part(h, part);
    if (part && (idx[h].flags & (part == SG_PART_PRIVATE ? SG_OBJ_PRIV_GONE : SG_OBJ_PUB_GONE)))
        return FW_E_NO_OBJECT;
    /* A CA certificate stays while its key's private half exists:
     * unbinding would turn a CA key back into one that signs without the
     * policy. */
    if (idx[h].type == FW_REC_TYPE_CERT && live(idx[h].bound_key) &&
        !(idx[idx[h].bound_key].flags & SG_OBJ_PRIV_GONE))
        return FW_E_PROHIBITED;
    /* An escrowed key stays for the bundle's period (SBR 6.3.2, 4.12.1). */
    if (idx[h].type == FW_REC_TYPE_ESCROW && (rc = fw_escrow_may_destroy(h)))
        return rc;
    /* Keys and CA certificates are security state: logged before they go. */
    uint8_t t = idx[h].type;
    fw_log_ev ev = { .event = t == FW_REC_TYPE_CERT ? SG_LOG_EV_CA_UNBIND : SG_LOG_EV_KEY_DESTROY, .handle = h,
                     .value = t == FW_REC_TYPE_CERT ? idx[h].bound_key : t };
    int logged = (t == FW_REC_TYPE_KEY && !(idx[h].flags & SG_OBJ_PRIV_GONE)) || t == FW_REC_TYPE_ESCROW || (t == FW_REC_TYPE_CERT && idx[h].bound_key);
    if (logged && (rc = fw_log_append(&ev)))
        return rc;
    if ((rc = fw_store_commit(h, FW_REC_TYPE_FREE, fw_token_epoch(), 0)))
        return rc;
    rc = fw_store_scrub(h);
    fw_objects_reindex(h);
    return rc;
}

/* Certificate ::= SEQUENCE { tbs SEQUENCE { [0] version OPTIONAL, serial,
 * signature, issuer, validity, subject, subjectPublicKeyInfo, ... } ... } */
int fw_cert_spki(const uint8_t *cert, size_t len, const uint8_t **spki, size_t *spki_len)
{
    unsigned char *p = (unsigned char *)(uintptr_t)cert, *end = p + len, *tbs_end;
    size_t l;
    if (mbedtls_asn1_get_tag(&p, end, &l, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) ||
        p + l != end)
        return FW_E_ARGS;
    if (mbedtls_asn1_get_tag(&p, end, &l, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE))
        return FW_E_ARGS;
    tbs_end = p + l;
    if (mbedtls_asn1_get_tag(&p, tbs_end, &l, MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_ASN1_CONSTRUCTED) == 0)
        p += l;
    /* serial, signature, issuer, validity, subject */
    static const int skip[] = {
        MBEDTLS_ASN1_INTEGER,
        MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE,
        MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE,
        MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE,
        MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE,
    };
    for (size_t i = 0; i < sizeof skip / sizeof *skip; i++) {
        if (mbedtls_asn1_get_tag(&p, tbs_end, &l, skip[i]))
            return FW_E_ARGS;
        p += l;
    }
    unsigned char *start = p;
    if (mbedtls_asn1_get_tag(&p, tbs_end, &l, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE))
        return FW_E_ARGS;
    *spki = start;
    *spki_len = (size_t)(p - start) + l;
    return FW_OK;
}

int fw_cmd_bind_ca(fw_req *r)
{
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
    if (idx[key].type != FW_REC_TYPE_KEY || (idx[key].flags & SG_OBJ_PRIV_GONE))
        return FW_E_NO_OBJECT;
    if (fw_arg(r, SG_T_VALUE, &cert, &cert_len) || cert_len == 0 || cert_len > SG_MAX_VALUE)
        return FW_E_ARGS;
    for (unsigned s = 1; s < FW_STORE_SLOTS; s++)
        if (idx[s].type == FW_REC_TYPE_CERT && idx[s].bound_key == key) {
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
    while (sg_tlv_next(b, len, &off, &t, &v, &vl) == 1) {
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
    if (fw_arg_opt(r, SG_T_ID, &v, &vl) != FW_OK && sg_tlv_append(w, cap, &off, SG_T_ID, key_id, key_id_len))
        return FW_E_NO_SPACE;
    if (sg_tlv_append(w, cap, &off, SG_T_VALUE, cert, cert_len) ||
        sg_tlv_append(w, cap, &off, SG_T_FLAGS, fl, 4) ||
        sg_tlv_append(w, cap, &off, SG_T_BOUND_KEY, bk, 2))
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

/* Deletes every object of an older epoch (after a re-initialization). */
int fw_objects_wipe_stale(void)
{
    for (unsigned s = 1; s < FW_STORE_SLOTS; s++) {
        uint32_t ep = 0;
        if (fw_store_type(s, &ep) == FW_REC_TYPE_FREE || ep == fw_token_epoch())
            continue;
        int rc = fw_store_commit(s, FW_REC_TYPE_FREE, fw_token_epoch(), 0);
        if (rc || (rc = fw_store_scrub(s)))
            return rc;
        fw_objects_reindex(s);
    }
    return FW_OK;
}
