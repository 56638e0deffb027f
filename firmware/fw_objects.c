/* SPDX-License-Identifier: Apache-2.0 */
/* Object slots: keys, certificates, data objects, the CA binding, and the
 * RAM index over them; the object commands are fw_cmd_objects.c's. */
#include <string.h>
#include "fw.h"
#include "mbedtls/asn1.h"
#include "sbrguard/tlv.h"

/* In-RAM index of the live objects, rebuilt after every change. */
static fw_obj_entry idx[FW_STORE_SLOTS];

static uint32_t tlv_u(const uint8_t *b, size_t len, uint8_t tag, size_t width)
{
    size_t off = 0, vl;
    uint8_t t;
    const uint8_t *v;
    while (fw_tlv_next(b, len, &off, &t, &v, &vl) == 1)
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

int fw_object_live(unsigned h)
{
    return h >= 1 && h < FW_STORE_SLOTS && idx[h].type >= SG_CLASS_KEY && idx[h].type <= SG_CLASS_ESCROW;
}

int fw_key_is_ca(unsigned handle)
{
    if (FW_SKEY_HANDLE(handle) || !fw_object_live(handle)) /* a session key never is one */
        return 0;
    if (idx[handle].flags & SG_OBJ_CA)
        return 1;
    for (unsigned s = 1; s < FW_STORE_SLOTS; s++)
        if (idx[s].type == FW_REC_TYPE_CERT && idx[s].bound_key == handle)
            return 1;
    return 0;
}

uint32_t fw_object_listed_flags(unsigned h)
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
int fw_object_visible(const fw_req *r, unsigned h)
{
    return !(idx[h].type == FW_REC_TYPE_DATA && (idx[h].flags & SG_OBJ_PRIVATE)) ||
           fw_login_state(r->chan) == SG_LOGIN_USER;
}

int fw_object_load(unsigned handle, uint8_t want_type, const uint8_t **body, size_t *len)
{
    if (!fw_object_live(handle) || (want_type && idx[handle].type != want_type))
        return FW_E_NO_OBJECT;
    /* A key whose private half was destroyed cannot sign or be escrowed. */
    if (want_type == FW_REC_TYPE_KEY && (idx[handle].flags & SG_OBJ_PRIV_GONE))
        return FW_E_NO_OBJECT;
    return fw_store_read(handle, body, len);
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
        if (fw_tlv_append(b, cap, off, attrs[i].tag, v, vl))
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

/* Destroys one half of key pair h: the public key object (the record only
 * notes it) or the private key (the record is rewritten without it, and the
 * older copy that still holds it is erased). The caller has logged it. */
int fw_object_drop_part(unsigned h, uint32_t part)
{
    uint32_t gone = part == SG_PART_PRIVATE ? SG_OBJ_PRIV_GONE : SG_OBJ_PUB_GONE;
    const uint8_t *b, *v;
    size_t len, cap, off = 0, out = 0, vl;
    uint8_t t, fl[4];
    int rc;
    if ((rc = fw_store_read(h, &b, &len)))
        return rc;
    /* The compose buffer is the one just read: compacted in place (the
     * write position never passes the read position). */
    uint8_t *w = fw_store_compose(&cap);
    while (fw_tlv_next(b, len, &off, &t, &v, &vl) == 1) {
        if (t == SG_T_FLAGS || (part == SG_PART_PRIVATE && t == FW_T_PRIVKEY))
            continue;
        memmove(w + out, v - 3, 3 + vl);
        out += 3 + vl;
    }
    fw_zeroize(w + out, len - out);
    sg_be_put(fl, idx[h].flags | gone, 4);
    if (fw_tlv_append(w, cap, &out, SG_T_FLAGS, fl, 4)) {
        fw_store_wipe();
        return FW_E_INTERNAL;
    }
    if ((rc = fw_store_commit(h, FW_REC_TYPE_KEY, fw_token_epoch(), out)))
        return rc;
    rc = part == SG_PART_PRIVATE ? fw_store_scrub(h) : FW_OK;
    fw_objects_reindex(h);
    return rc;
}

/* Frees slot h (after its deletion was logged): both copies erased. */
int fw_object_free_slot(unsigned h)
{
    int rc = fw_store_commit(h, FW_REC_TYPE_FREE, fw_token_epoch(), 0);
    if (rc)
        return rc;
    rc = fw_store_scrub(h);
    fw_objects_reindex(h);
    return rc;
}

const fw_obj_entry *fw_objects_idx(void) { return idx; }

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
