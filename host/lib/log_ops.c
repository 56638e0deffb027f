/* SPDX-License-Identifier: Apache-2.0 */
/* libsbrguard: the enforcement log's commands (docs/log.md) and its entry
 * format, one function per command as in ops.c. */
#include <string.h>
#include "client.h"
#include "sbrguard/tlv.h"

static int req_flag(const sg_client *c, uint8_t tag, void *out, size_t want)
{
    const uint8_t *v;
    size_t l;
    if (sg_tlv_find(c->resp, c->resp_len, tag, &v, &l) || l != want)
        return SG_E_PROTOCOL;
    memcpy(out, v, want);
    return SG_OK;
}

int sg_log_info(sg_client *c, sg_log_state *out)
{
    int rc = sg_call(c, SG_CMD_LOG_INFO, 0);
    const uint8_t *v;
    size_t l;
    if (rc)
        return rc;
    memset(out, 0, sizeof *out);
    uint64_t f = 0, sz = 0, mn = 0;
    if (sg_get_u(c->resp, c->resp_len, SG_T_LOG_FORMAT, 1, &f) || sg_get_u(c->resp, c->resp_len, SG_T_LOG_SIZE, 8, &sz) ||
        sg_get_u(c->resp, c->resp_len, SG_T_LOG_MIN, 8, &mn))
        return SG_E_PROTOCOL;
    out->format = (uint8_t)f;
    out->size = sz;
    out->min_index = mn;
    out->free_bytes = (uint32_t)sg_opt_u(c, SG_T_LOG_FREE, 4);
    out->capacity = (uint32_t)sg_opt_u(c, SG_T_LOG_CAPACITY, 4);
    out->folded = (uint32_t)sg_opt_u(c, SG_T_LOG_FOLDED, 4);
    out->status = (uint32_t)sg_opt_u(c, SG_T_LOG_STATUS, 4);
    out->cp_size = sg_opt_u(c, SG_T_LOG_CP_SIZE, 8);
    if (sg_tlv_find(c->resp, c->resp_len, SG_T_LOG_NOTE, &v, &l) == SG_OK) {
        if (l > SG_LOG_MAX_NOTE || req_flag(c, SG_T_LOG_ROOT, out->cp_root, 32))
            return SG_E_PROTOCOL;
        memcpy(out->cp_note, v, l);
        out->cp_note[l] = 0;
        out->cp_note_len = l;
        out->has_cp = 1;
    }
    return SG_OK;
}

int sg_log_read(sg_client *c, uint64_t index, uint8_t *buf, size_t cap, size_t *len, size_t *count)
{
    size_t off = 0, roff = 0, vl, n = 0, w = 0;
    uint8_t ib[8], cb[2], t;
    const uint8_t *v;
    sg_be_put(ib, index, 8);
    SG_PUT(SG_T_LOG_INDEX, ib, 8);
    if (count && *count) {
        sg_be_put(cb, *count > 0xFFFF ? 0xFFFF : *count, 2);
        SG_PUT(SG_T_COUNT, cb, 2);
    }
    int rc = sg_call(c, SG_CMD_LOG_READ, off);
    if (rc)
        return rc;
    while ((rc = sg_tlv_next(c->resp, c->resp_len, &roff, &t, &v, &vl)) == 1) {
        if (t != SG_T_LOG_ENTRY)
            continue;
        if (vl > 0xFFFF)
            return SG_E_PROTOCOL;
        if (cap - w < 2 + vl)
            return SG_E_BUFFER;
        buf[w] = (uint8_t)(vl >> 8);
        buf[w + 1] = (uint8_t)vl;
        memcpy(buf + w + 2, v, vl);
        w += 2 + vl;
        n++;
    }
    if (rc < 0)
        return SG_E_PROTOCOL;
    *len = w;
    if (count)
        *count = n;
    return SG_OK;
}

int sg_log_checkpoint(sg_client *c, int export_, char *note, size_t note_cap, size_t *note_len,
                      uint64_t *size, uint8_t root[32])
{
    size_t off = 0, l;
    uint8_t fb[4];
    const uint8_t *v;
    uint64_t sz;
    if (export_) {
        sg_be_put(fb, SG_LOG_CP_EXPORT, 4);
        SG_PUT(SG_T_FLAGS, fb, 4);
    }
    int rc = sg_call(c, SG_CMD_LOG_CHECKPOINT, off);
    if (rc)
        return rc;
    if (sg_get_u(c->resp, c->resp_len, SG_T_LOG_SIZE, 8, &sz) ||
        sg_tlv_find(c->resp, c->resp_len, SG_T_LOG_NOTE, &v, &l))
        return SG_E_PROTOCOL;
    if (root && req_flag(c, SG_T_LOG_ROOT, root, 32))
        return SG_E_PROTOCOL;
    if (size)
        *size = sz;
    if (note_len)
        *note_len = l;
    if (note) {
        if (l >= note_cap)
            return SG_E_BUFFER;
        memcpy(note, v, l);
        note[l] = 0;
    }
    return SG_OK;
}

int sg_log_pubkey(sg_client *c, sg_log_key *out)
{
    const uint8_t *v;
    size_t l;
    int rc = sg_call(c, SG_CMD_LOG_PUBKEY, 0);
    if (rc)
        return rc;
    memset(out, 0, sizeof *out);
    if (sg_tlv_find(c->resp, c->resp_len, SG_T_PUBKEY, &v, &l) || l > sizeof out->spki)
        return SG_E_PROTOCOL;
    memcpy(out->spki, v, l);
    out->spki_len = l;
    if (req_flag(c, SG_T_LOG_KEY_ID, out->key_id, 4) ||
        sg_tlv_find(c->resp, c->resp_len, SG_T_LOG_ORIGIN, &v, &l) || l >= sizeof out->origin)
        return SG_E_PROTOCOL;
    memcpy(out->origin, v, l);
    if (sg_tlv_find(c->resp, c->resp_len, SG_T_LOG_VKEY, &v, &l) || l >= sizeof out->vkey)
        return SG_E_PROTOCOL;
    memcpy(out->vkey, v, l);
    return SG_OK;
}

int sg_log_proof(sg_client *c, int consistency, uint64_t a, uint64_t size, sg_log_proof_data *out)
{
    size_t off = 0, l;
    uint8_t nb[8], ab[8];
    const uint8_t *v;
    sg_be_put(nb, size, 8);
    sg_be_put(ab, a, 8);
    SG_PUT(SG_T_LOG_SIZE, nb, 8);
    SG_PUT(consistency ? SG_T_LOG_OLD_SIZE : SG_T_LOG_INDEX, ab, 8);
    int rc = sg_call(c, SG_CMD_LOG_PROOF, off);
    if (rc)
        return rc;
    memset(out, 0, sizeof *out);
    if (req_flag(c, SG_T_LOG_ROOT, out->root, 32) ||
        req_flag(c, consistency ? SG_T_LOG_OLD_ROOT : SG_T_LOG_LEAF, out->first, 32) ||
        sg_tlv_find(c->resp, c->resp_len, SG_T_LOG_PROOF, &v, &l) || l % 32 || l / 32 > 64)
        return SG_E_PROTOCOL;
    memcpy(out->hashes, v, l);
    out->n = l / 32;
    return SG_OK;
}

int sg_log_ack(sg_client *c, const char *note, size_t note_len, uint64_t *min_index, uint32_t *free_bytes)
{
    size_t off = 0;
    uint64_t mn, fr;
    SG_PUT(SG_T_LOG_NOTE, note, note_len);
    int rc = sg_call(c, SG_CMD_LOG_ACK, off);
    if (rc)
        return rc;
    if (sg_get_u(c->resp, c->resp_len, SG_T_LOG_MIN, 8, &mn) || sg_get_u(c->resp, c->resp_len, SG_T_LOG_FREE, 4, &fr))
        return SG_E_PROTOCOL;
    if (min_index)
        *min_index = mn;
    if (free_bytes)
        *free_bytes = (uint32_t)fr;
    return SG_OK;
}

static const struct {
    uint8_t ev;
    const char *name;
} log_events[] = {
    { SG_LOG_EV_TOKEN_INIT, "token-init" },
    { SG_LOG_EV_KEY_GEN, "key-gen" },
    { SG_LOG_EV_CA_BIND, "ca-bind" },
    { SG_LOG_EV_KEY_DESTROY, "key-destroy" },
    { SG_LOG_EV_CA_UNBIND, "ca-unbind" },
    { SG_LOG_EV_RESET, "reset" },
    { SG_LOG_EV_ISSUE_ACCEPTED, "issue-accepted" },
    { SG_LOG_EV_ISSUE_REFUSED, "issue-refused" },
    { SG_LOG_EV_AUTHZ_ACCEPTED, "authz-accepted" },
    { SG_LOG_EV_AUTHZ_REFUSED, "authz-refused" },
    { SG_LOG_EV_REFUSAL_SUMMARY, "refusal-summary" },
    { SG_LOG_EV_POLICY_LOAD, "policy-load" },
    { SG_LOG_EV_BLOCKLIST_LOAD, "blocklist-load" },
    { SG_LOG_EV_ESCROW, "escrow" },
    { SG_LOG_EV_DELIVERY, "delivery" },
    { SG_LOG_EV_RECOVERY, "recovery" },
    { SG_LOG_EV_ESCROW_REFUSED, "escrow-refused" },
    { SG_LOG_EV_PIN_LOCKOUT, "pin-lockout" },
    { SG_LOG_EV_PIN_INIT, "pin-init" },
    { SG_LOG_EV_PIN_CHANGE, "pin-change" },
    { SG_LOG_EV_LOG_EXPORT, "log-export" },
    { SG_LOG_EV_LOG_ACK, "log-ack" },
    { SG_LOG_EV_LOG_FULL, "log-full" },
    { SG_LOG_EV_SET_TIME, "set-time" },
};

const char *sg_log_event_name(int event)
{
    for (size_t i = 0; i < sizeof log_events / sizeof *log_events; i++)
        if (log_events[i].ev == event)
            return log_events[i].name;
    return NULL;
}

int sg_log_entry_parse(const uint8_t *e, size_t len, sg_log_entry *out)
{
    size_t off = SG_LOG_OFF_REASONS;
    memset(out, 0, sizeof *out);
    if (len < SG_LOG_FIXED_LEN || len > SG_LOG_MAX_ENTRY || e[SG_LOG_OFF_FORMAT] != SG_LOG_FORMAT ||
        !sg_log_event_name(e[SG_LOG_OFF_EVENT]) || e[SG_LOG_OFF_N_REASONS] > SG_LOG_MAX_REASONS)
        return SG_E_PROTOCOL;
    out->format = e[SG_LOG_OFF_FORMAT];
    out->event = e[SG_LOG_OFF_EVENT];
    out->seq = sg_be_get(e + SG_LOG_OFF_SEQ, 8);
    out->time = sg_be_get(e + SG_LOG_OFF_TIME, 8);
    out->mech = (uint32_t)sg_be_get(e + SG_LOG_OFF_MECH, 4);
    out->handle = (uint16_t)sg_be_get(e + SG_LOG_OFF_HANDLE, 2);
    out->key_type = e[SG_LOG_OFF_KEY_TYPE];
    out->flags = e[SG_LOG_OFF_FLAGS];
    out->value = sg_be_get(e + SG_LOG_OFF_VALUE, 8);
    out->key_id = e + SG_LOG_OFF_KEY_ID;
    out->policy_hash = e + SG_LOG_OFF_POLICY_HASH;
    out->tbs_hash = e + SG_LOG_OFF_TBS_HASH;
    out->evidence_hash = e + SG_LOG_OFF_EVIDENCE_HASH;
    out->cert_hash = e + SG_LOG_OFF_CERT_HASH;
    out->blocklist_hash = e + SG_LOG_OFF_BLOCKLIST_HASH;
    out->batch_root = e + SG_LOG_OFF_BATCH_ROOT;
    out->n_reasons = e[SG_LOG_OFF_N_REASONS];
    for (size_t i = 0; i < out->n_reasons; i++) {
        if (len - off < 5)
            return SG_E_PROTOCOL;
        size_t cl = e[off + 4];
        if (cl == 0 || cl > SG_LOG_MAX_CODE || len - off - 5 < cl)
            return SG_E_PROTOCOL;
        out->reasons[i].count = (uint32_t)sg_be_get(e + off, 4);
        for (size_t k = 0; k < cl; k++) {
            uint8_t ch = e[off + 5 + k];
            if (ch <= 0x20 || ch >= 0x7F)
                return SG_E_PROTOCOL;
            out->reasons[i].code[k] = (char)ch;
        }
        off += 5 + cl;
    }
    return off == len ? SG_OK : SG_E_PROTOCOL;
}
