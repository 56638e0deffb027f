/* SPDX-License-Identifier: Apache-2.0 */
/* Session key pairs (PKCS#11 CKA_TOKEN = FALSE): generated like token keys
 * (fw_keys.c) but kept in this RAM table, never in flash. Each belongs to
 * the link channel that made it, which alone sees it; it is zeroized when
 * the channel closes (and HELLO, which starts a new host), at logout (the
 * private half, PKCS#11 v2.40 C_Logout: private session objects go), at
 * INIT_TOKEN and at boot. A session key is never a CA key: GENERATE_KEY
 * refuses SG_OBJ_CA with it, BIND_CA refuses its handle. */
#include <string.h>
#include "fw.h"
#include "sbrguard/tlv.h"

#if FW_SESSION_KEYS > 8
#error "session key handles carry the table index in 3 bits"
#endif

int fw_cmd_session_key_drop(fw_req *r)
{
    const uint8_t *v;
    size_t vl;
    uint32_t h, part = 0;
    if (fw_arg_u(r, SG_T_HANDLE, 2, &h) ||
        (fw_arg_opt(r, SG_T_KEY_PART, &v, &vl) == FW_OK &&
         (fw_arg_u(r, SG_T_KEY_PART, 1, &part) || (part != SG_PART_PRIVATE && part != SG_PART_PUBLIC))))
        return FW_E_ARGS;
    return FW_SKEY_HANDLE(h) ? fw_skey_destroy(r->chan, h, part) : FW_E_NO_OBJECT;
}

#if FW_SESSION_KEYS > 0
typedef struct {
    uint16_t handle; /* 0: free */
    uint8_t chan;
    uint32_t flags;  /* SG_OBJ_SESSION | SG_OBJ_PRIV_GONE | SG_OBJ_PUB_GONE */
    size_t len;
    uint8_t rec[FW_SESSION_KEY_BYTES]; /* the record, as a token key's (fw_keys.c) */
} skey;

static skey tab[FW_SESSION_KEYS];
static uint16_t serial; /* handles are not reused soon: a stale one names nothing */

static void drop(skey *k)
{
    fw_keycache_drop(k->handle);
    fw_zeroize(k, sizeof *k);
}

static skey *find(unsigned chan, unsigned h)
{
    if (!FW_SKEY_HANDLE(h))
        return NULL;
    skey *k = &tab[h & 7u];
    return (h & 7u) < FW_SESSION_KEYS && k->handle == h && k->chan == chan ? k : NULL;
}

int fw_skey_reserve(unsigned chan, unsigned *handle)
{
    for (unsigned i = 0; i < FW_SESSION_KEYS; i++)
        if (!tab[i].handle) {
            serial = (uint16_t)((serial + 1u) & 0x0FFFu);
            if (!serial)
                serial = 1;
            *handle = FW_SKEY_BASE | (unsigned)serial << 3 | i;
            (void)chan;
            return FW_OK;
        }
    return FW_E_NO_SPACE;
}

int fw_skey_commit(unsigned chan, unsigned handle, const uint8_t *rec, size_t len)
{
    skey *k = &tab[handle & 7u];
    if (!FW_SKEY_HANDLE(handle) || (handle & 7u) >= FW_SESSION_KEYS || k->handle)
        return FW_E_INTERNAL;
    if (len > sizeof k->rec)
        return FW_E_NO_SPACE;
    memcpy(k->rec, rec, len);
    k->len = len;
    k->chan = (uint8_t)chan;
    k->flags = SG_OBJ_SESSION;
    k->handle = (uint16_t)handle;
    return FW_OK;
}

size_t fw_skey_capacity(void) { return FW_SESSION_KEY_BYTES; }

int fw_skey_load(unsigned chan, unsigned handle, const uint8_t **rec, size_t *len)
{
    skey *k = find(chan, handle);
    if (!k || (k->flags & SG_OBJ_PRIV_GONE))
        return FW_E_NO_OBJECT;
    *rec = k->rec;
    *len = k->len;
    return FW_OK;
}

int fw_skey_list(fw_req *r)
{
    for (unsigned i = 0; i < FW_SESSION_KEYS; i++) {
        if (!tab[i].handle || tab[i].chan != r->chan)
            continue;
        uint8_t e[7];
        sg_be_put(e, tab[i].handle, 2);
        e[2] = FW_REC_TYPE_KEY;
        sg_be_put(e + 3, tab[i].flags, 4);
        if (fw_put(r, SG_T_LIST_ENTRY, e, sizeof e))
            return FW_E_INTERNAL;
    }
    return FW_OK;
}

int fw_skey_get(fw_req *r, unsigned handle)
{
    skey *k = find(r->chan, handle);
    const uint8_t *v;
    size_t off = 0, vl;
    uint8_t t;
    if (!k)
        return FW_E_NO_OBJECT;
    if (fw_put_u(r, SG_T_CLASS, FW_REC_TYPE_KEY, 1))
        return FW_E_INTERNAL;
    while (fw_tlv_next(k->rec, k->len, &off, &t, &v, &vl) == 1)
        if (t < FW_T_PRIVKEY && t != SG_T_FLAGS && fw_put(r, t, v, vl))
            return FW_E_INTERNAL;
    return fw_put_u(r, SG_T_FLAGS, k->flags, 4);
}

/* Removes the private key from the record in place and wipes the rest. */
static void wipe_private(skey *k)
{
    const uint8_t *v;
    size_t off = 0, out = 0, vl;
    uint8_t t;
    fw_keycache_drop(k->handle);
    while (fw_tlv_next(k->rec, k->len, &off, &t, &v, &vl) == 1) {
        if (t == FW_T_PRIVKEY)
            continue;
        memmove(k->rec + out, v - 3, 3 + vl);
        out += 3 + vl;
    }
    fw_zeroize(k->rec + out, sizeof k->rec - out);
    k->len = out;
    k->flags |= SG_OBJ_PRIV_GONE;
}

int fw_skey_destroy(unsigned chan, unsigned handle, uint32_t part)
{
    skey *k = find(chan, handle);
    uint32_t gone = part == SG_PART_PRIVATE ? SG_OBJ_PRIV_GONE : SG_OBJ_PUB_GONE;
    if (!k || (part && (k->flags & gone)))
        return FW_E_NO_OBJECT;
    /* One half while the other stays; the second half takes the entry. */
    if (part && !(k->flags & (part == SG_PART_PRIVATE ? SG_OBJ_PUB_GONE : SG_OBJ_PRIV_GONE))) {
        if (part == SG_PART_PRIVATE)
            wipe_private(k);
        else
            k->flags |= SG_OBJ_PUB_GONE;
        return FW_OK;
    }
    drop(k);
    return FW_OK;
}

void fw_skeys_logout(unsigned chan)
{
    for (unsigned i = 0; i < FW_SESSION_KEYS; i++)
        if (tab[i].handle && tab[i].chan == chan) {
            if (tab[i].flags & SG_OBJ_PUB_GONE)
                drop(&tab[i]);
            else if (!(tab[i].flags & SG_OBJ_PRIV_GONE))
                wipe_private(&tab[i]);
        }
}

void fw_skeys_drop(unsigned chan)
{
    for (unsigned i = 0; i < FW_SESSION_KEYS; i++)
        if (tab[i].handle && (chan >= FW_MAX_CHANNELS || tab[i].chan == chan))
            drop(&tab[i]);
}

unsigned fw_skeys_used(void)
{
    unsigned n = 0;
    for (unsigned i = 0; i < FW_SESSION_KEYS; i++)
        n += tab[i].handle != 0;
    return n;
}
#endif
