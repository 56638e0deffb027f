/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Key escrow under the CA's bundle (docs/bundle.md; SBR 4.12, 6.1.2, 6.3.2,
 * ballot SMC07). A subscriber key pair is generated here and kept only
 * wrapped: AES-256 KWP (RFC 5649) under the token's KEK, or RSA-OAEP-SHA256
 * of a fresh AES-256 key to the escrow agent followed by KWP of the key
 * (PKCS#11 CKM_RSA_AES_KEY_WRAP's layout). Delivery and recovery leave
 * wrapped the same way to an RSA >= 2048 transport key. The private key in
 * clear exists only in fw_keys.c's scratch buffer, wiped on every exit.
 */
#include <string.h>
#include "../policy/pol_der.h"
#include "fw_policy.h"
#include "sbrguard/hal.h"
#include "sbrguard/hal_crypto.h"
#include "sbrguard/tlv.h"

#define DAY 86400u
#define PUB_MAX 600


static int refuse(fw_req *r, uint8_t cmd, unsigned handle, const uint8_t *key_id, const char *code, const char *sec)
{
    fw_refuse(r, code, sec);
    fw_log_ev ev = { .event = SG_LOG_EV_ESCROW_REFUSED, .handle = handle, .value = cmd, .key_id = key_id, .reasons = r };
    fw_log_refusal(&ev);
    return FW_E_ESCROW;
}

/* PKCS#8 PrivateKeyInfo around the key DER at the end of buf: its start. */
static const uint8_t *pkcs8(uint8_t *buf, size_t cap, size_t key_len, uint32_t kt, size_t *len)
{
    static const uint8_t rsa[] = { 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00 };
    static const uint8_t ec[3][21] = {
        { 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 },
        { 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22 },
        { 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23 },
    };
    static const uint8_t version[] = { 0x02, 0x01, 0x00 };
    const uint8_t *alg = kt <= SG_KEY_EC_P521 ? ec[kt - 1] : rsa;
    size_t alg_len = kt <= SG_KEY_EC_P521 ? (size_t)alg[1] + 2 : sizeof rsa;
    uint8_t h1[5], h2[5];
    size_t l1 = pol_der_hdr(DER_OCTET_STRING, key_len, h1), body = sizeof version + alg_len + l1 + key_len;
    size_t l2 = pol_der_hdr(DER_SEQUENCE, body, h2);
    if (kt < SG_KEY_EC_P256 || kt > SG_KEY_RSA_4096 || l2 + body > cap)
        return NULL;
    uint8_t *p = buf + cap - key_len;
    memcpy(p -= l1, h1, l1);
    memcpy(p -= alg_len, alg, alg_len);
    memcpy(p -= sizeof version, version, sizeof version);
    memcpy(p -= l2, h2, l2);
    *len = l2 + body;
    return p;
}

static int kwp(const uint8_t key[32], int wrap, const uint8_t *in, size_t in_len, uint8_t *out, size_t cap, size_t *len)
{
    return hal_crypto_aes_kwp(wrap, key, in, in_len, out, cap, len) ? FW_E_CRYPTO : FW_OK;
}

/* An RSA >= 2048 public key (SBR 6.1.2: at least 112 bits), loaded into *pk. */
static int rsa_key(hal_pub **pk, const uint8_t *spki, size_t len)
{
    int alg;
    unsigned bits;
    if (hal_crypto_pub_load(spki, len, pk, &alg, &bits))
        return FW_E_KEY_TYPE;
    if (alg == HAL_PK_RSA && bits >= 2048)
        return FW_OK;
    hal_crypto_pub_free(*pk);
    *pk = NULL;
    return FW_E_KEY_TYPE;
}

/* RSA-OAEP-SHA256(K) || KWP_K(in) into out, K fresh and wiped. */
static int hybrid(hal_pub *pk, const uint8_t *in, size_t in_len, uint8_t *out, size_t cap, size_t *len)
{
    uint8_t k[32];
    size_t n = 0, wl = 0;
    int rc = FW_E_CRYPTO;
    if (fw_rng(NULL, k, sizeof k) || hal_crypto_rsa_oaep_encrypt(pk, k, sizeof k, out, cap, &n))
        goto out;
    if ((rc = kwp(k, 1, in, in_len, out + n, cap - n, &wl)) == FW_OK)
        *len = n + wl;
out:
    fw_zeroize(k, sizeof k);
    return rc;
}

/* Reserves a TLV header in the response; the value goes to *v. */
static uint8_t *tlv_open(fw_req *r, size_t *cap)
{
    if (r->out_cap - r->out_len < 3)
        return NULL;
    *cap = r->out_cap - r->out_len - 3;
    if (*cap > 0xFFFF)
        *cap = 0xFFFF;
    return r->out + r->out_len + 3;
}
static void tlv_close(fw_req *r, uint8_t tag, size_t len)
{
    r->out[r->out_len] = tag;
    sg_be_put(r->out + r->out_len + 1, len, 2);
    r->out_len += 3 + len;
}

/* ---- ESCROW_GENERATE ------------------------------------------------------- */

int fw_cmd_escrow_generate(fw_req *r)
{
    const uint8_t *prof, *consent, *b, *v;
    size_t pl, cl, len, vl, off = 0, cap, n8 = 0, kcap;
    uint32_t ca_h, kt, usage;
    uint8_t t = 0, ca_id[32], pub[PUB_MAX], zero = 0, key_id[32];
    pol_bundle_ca ca;
    pol_escrow_rule rule;
    hal_pub *agent = NULL;
    unsigned slot;
    int rc;
    if (fw_arg_u(r, SG_T_HANDLE, 2, &ca_h) || fw_arg(r, SG_T_PROFILE, &prof, &pl) || pl != 2 || prof[0] > 3 ||
        prof[1] > 2 || fw_arg_u(r, SG_T_KEY_TYPE, 1, &kt) || fw_arg_u(r, SG_T_ESCROW_USAGE, 1, &usage) || usage < 1 ||
        usage > 3)
        return FW_E_ARGS;
    if (kt < SG_KEY_EC_P256 || kt > SG_KEY_RSA_4096)
        return FW_E_KEY_TYPE;
    /* The CA key: its bundle entry applies. */
    if (!fw_key_is_ca(ca_h) || fw_object_load(ca_h, FW_REC_TYPE_KEY, &b, &len))
        return FW_E_NO_OBJECT;
    while (fw_tlv_next(b, len, &off, &t, &v, &vl) == 1 && t != SG_T_PUBKEY)
        ;
    if (t != SG_T_PUBKEY || hal_hash(HAL_MD_SHA256, v, vl, ca_id))
        return FW_E_CORRUPT;
    if (fw_policy_ca(ca_id, &ca))
        return refuse(r, SG_CMD_ESCROW_GENERATE, ca_h, ca_id, "sbrguard.escrow.no-bundle", "4.12.1");
    if (pol_bundle_escrow_rule(&ca, prof[0], prof[1], &rule))
        return refuse(r, SG_CMD_ESCROW_GENERATE, ca_h, ca_id, "sbrguard.escrow.no-rule", "4.12.1");
    /* SBR 6.1.2: not archived without the subscriber's authorization. */
    if (fw_arg(r, SG_T_CONSENT, &consent, &cl) || cl != 32)
        return refuse(r, SG_CMD_ESCROW_GENERATE, ca_h, ca_id, "sbrguard.escrow.no-consent", "6.1.2");
    for (size_t i = 0; i < 32; i++)
        zero |= consent[i];
    if (!zero)
        return refuse(r, SG_CMD_ESCROW_GENERATE, ca_h, ca_id, "sbrguard.escrow.no-consent", "6.1.2");
    if (rule.encryption_only && usage != SG_ESCROW_USE_ENCRYPT)
        return refuse(r, SG_CMD_ESCROW_GENERATE, ca_h, ca_id, "sbrguard.escrow.encryption-only", "4.12.1");
    if (rule.key_types && !(rule.key_types >> kt & 1u))
        return refuse(r, SG_CMD_ESCROW_GENERATE, ca_h, ca_id, "sbrguard.escrow.key-type", "4.12.1");
    if ((rc = fw_objects_new_slot(&slot)) || (rc = fw_log_room(SG_LOG_EV_ESCROW)))
        return rc;
    uint64_t until = hal_clock_now() + (uint64_t)rule.period_days * DAY;
    uint8_t wrap = rule.wrap, kek[32];
    uint8_t *scratch = fw_keys_scratch(&kcap), *w;
    const uint8_t *p8 = NULL;
    /* The agent key is parsed now: the entry lives in the store's buffer. */
    if (wrap == POL_WRAP_AGENT_RSA_OAEP ? rsa_key(&agent, rule.agent_spki.p, rule.agent_spki.len)
                                        : fw_token_escrow_kek(kek)) {
        rc = FW_E_CRYPTO;
        goto out;
    }
    size_t m;
    if (!scratch || hal_crypto_keygen(kt, scratch, kcap, &n8, pub, sizeof pub, &m) ||
        !(p8 = pkcs8(scratch, kcap, n8, kt, &n8)) || hal_hash(HAL_MD_SHA256, pub + sizeof pub - m, m, key_id)) {
        rc = FW_E_CRYPTO;
        goto out;
    }
    const uint8_t *spki = pub + sizeof pub - m;
    if ((rc = fw_object_begin(r, &w, &cap, &off)))
        goto out;
    uint8_t kt8 = (uint8_t)kt, u8 = (uint8_t)usage, fl[4] = { 0 }, until8[8];
    sg_be_put(until8, until, 8);
    if (fw_tlv_append(w, cap, &off, SG_T_KEY_TYPE, &kt8, 1) || fw_tlv_append(w, cap, &off, SG_T_PUBKEY, spki, (size_t)m) ||
        fw_tlv_append(w, cap, &off, SG_T_FLAGS, fl, 4) || fw_tlv_append(w, cap, &off, SG_T_PROFILE, prof, 2) ||
        fw_tlv_append(w, cap, &off, SG_T_CA_KEY_ID, ca_id, 32) || fw_tlv_append(w, cap, &off, SG_T_CONSENT, consent, 32) ||
        fw_tlv_append(w, cap, &off, SG_T_ESCROW_UNTIL, until8, 8) || fw_tlv_append(w, cap, &off, SG_T_WRAP, &wrap, 1) ||
        fw_tlv_append(w, cap, &off, SG_T_ESCROW_USAGE, &u8, 1) || cap - off < 3) {
        rc = FW_E_NO_SPACE;
        goto out;
    }
    /* The wrapped key straight into the record: never stored in clear (SBR 4.12.1). */
    size_t wl = 0;
    rc = wrap == POL_WRAP_AGENT_RSA_OAEP ? hybrid(agent, p8, n8, w + off + 3, cap - off - 3, &wl)
                                         : kwp(kek, 1, p8, n8, w + off + 3, cap - off - 3, &wl);
    if (rc || wl > 0xFFFF)
        goto out;
    w[off] = SG_T_WRAPPED_KEY;
    sg_be_put(w + off + 1, wl, 2);
    off += 3 + wl;
    /* Logged before the record exists. */
    fw_log_ev ev = { .event = SG_LOG_EV_ESCROW, .handle = slot, .key_type = kt8, .value = until, .key_id = key_id,
                     .tbs_hash = consent, .cert_hash = ca_id };
    if ((rc = fw_log_append(&ev)) || (rc = fw_store_commit(slot, FW_REC_TYPE_ESCROW, fw_token_epoch(), off)))
        goto out;
    fw_objects_reindex(slot);
    rc = fw_put_u(r, SG_T_HANDLE, slot, 2) | fw_put(r, SG_T_PUBKEY, spki, (size_t)m) |
         fw_put_u(r, SG_T_ESCROW_UNTIL, until, 8) | fw_put_u(r, SG_T_WRAP, wrap, 1);
out:
    hal_crypto_pub_free(agent);
    fw_keys_scratch_free(scratch);
    fw_zeroize(kek, sizeof kek);
    fw_store_wipe();
    return rc;
}

/* Unwraps a token-wrapped record (kek fetched before the record was read)
 * into the scratch buffer, re-wraps it to pk into the response, logs ev
 * before the response is complete. */
static int rewrap(fw_req *r, const fw_escrow_rec *e, const uint8_t kek[32], hal_pub *pk, fw_log_ev *ev)
{
    size_t kcap, n8 = 0, cap, wl = 0;
    uint8_t *scratch = fw_keys_scratch(&kcap), *out = tlv_open(r, &cap);
    int rc = out && scratch ? kwp(kek, 0, e->wrapped, e->wrapped_len, scratch, kcap, &n8) : FW_E_INTERNAL;
    if (rc == FW_OK)
        rc = hybrid(pk, scratch, n8, out, cap, &wl);
    fw_keys_scratch_free(scratch);
    fw_store_wipe();
    /* No log entry, no key: the entry is committed before the response leaves. */
    if (rc == FW_OK && (rc = fw_log_append(ev)) == FW_OK)
        tlv_close(r, SG_T_WRAPPED_KEY, wl);
    return rc;
}

/* The transport key argument, parsed; its hash into th. */
static int transport(fw_req *r, hal_pub **pk, uint8_t th[32])
{
    const uint8_t *v;
    size_t vl;
    if (fw_arg(r, SG_T_TRANSPORT_KEY, &v, &vl) || vl > PUB_MAX)
        return FW_E_ARGS;
    if (rsa_key(pk, v, vl) || hal_hash(HAL_MD_SHA256, v, vl, th))
        return FW_E_KEY_TYPE;
    return FW_OK;
}

/* ---- ESCROW_DELIVER (SBR 6.1.2) -------------------------------------------------- */

int fw_cmd_escrow_deliver(fw_req *r)
{
    uint32_t h;
    fw_escrow_rec e;
    uint8_t th[32], kek[32];
    hal_pub *pk = NULL;
    int rc;
    if (fw_arg_u(r, SG_T_HANDLE, 2, &h))
        return FW_E_ARGS;
    if ((rc = fw_token_escrow_kek(kek)))
        return rc;
    rc = transport(r, &pk, th);
    if (rc == FW_E_KEY_TYPE)
        rc = refuse(r, SG_CMD_ESCROW_DELIVER, h, NULL, "sbrguard.escrow.transport-key", "6.1.2");
    else if (rc == FW_OK && (rc = fw_log_room(SG_LOG_EV_DELIVERY)) == FW_OK && (rc = fw_escrow_load(h, &e)) == FW_OK) {
        fw_log_ev ev = { .event = SG_LOG_EV_DELIVERY, .handle = h, .key_type = e.key_type, .value = e.until,
                         .key_id = e.key_id, .tbs_hash = e.consent, .cert_hash = th };
        if (e.wrap != POL_WRAP_TOKEN_AES256)
            rc = refuse(r, SG_CMD_ESCROW_DELIVER, h, e.key_id, "sbrguard.escrow.agent-wrapped", "6.1.2");
        else if (hal_clock_now() > e.until)
            rc = refuse(r, SG_CMD_ESCROW_DELIVER, h, e.key_id, "sbrguard.escrow.period-over", "6.3.2");
        else
            rc = rewrap(r, &e, kek, pk, &ev);
    }
    hal_crypto_pub_free(pk);
    fw_zeroize(kek, sizeof kek);
    fw_store_wipe();
    return rc;
}

/* ---- ESCROW_RECOVER (SBR 4.12.1: only as the CA's policy permits) ------------------ */

int fw_cmd_escrow_recover(fw_req *r)
{
    uint32_t h;
    fw_escrow_rec e;
    uint8_t th[32];
    pol_bundle_ca ca;
    pol_escrow_rule rule;
    hal_pub *pk = NULL;
    const uint8_t *v;
    size_t vl;
    int rc;
    if (fw_arg_u(r, SG_T_HANDLE, 2, &h))
        return FW_E_ARGS;
    if ((rc = fw_log_room(SG_LOG_EV_RECOVERY)) || (rc = fw_escrow_load(h, &e)))
        return rc;
    /* The current bundle decides, not the one in force at escrow time. */
    if (fw_policy_ca(e.ca_key_id, &ca) || pol_bundle_escrow_rule(&ca, e.type, e.gen, &rule) || !rule.recovery_allowed)
        return refuse(r, SG_CMD_ESCROW_RECOVER, h, e.key_id, "sbrguard.escrow.recovery-forbidden", "4.12.1");
    if (hal_clock_now() > e.until)
        return refuse(r, SG_CMD_ESCROW_RECOVER, h, e.key_id, "sbrguard.escrow.period-over", "6.3.2");
    int has_t = fw_arg_opt(r, SG_T_TRANSPORT_KEY, &v, &vl) == FW_OK;
    if (e.wrap == POL_WRAP_AGENT_RSA_OAEP) {
        /* Only the agent can unwrap it: the stored blob leaves as it is. */
        size_t cap;
        uint8_t *out = tlv_open(r, &cap);
        if (has_t) {
            r->msg = "an agent-wrapped key is recovered to its escrow agent: no TRANSPORT_KEY";
            return FW_E_ARGS;
        }
        if ((rc = fw_escrow_load(h, &e)) || !out || e.wrapped_len > cap || hal_hash(HAL_MD_SHA256, e.wrapped, e.wrapped_len, th))
            return rc ? rc : FW_E_INTERNAL;
        memcpy(out, e.wrapped, e.wrapped_len);
        fw_store_wipe();
        fw_log_ev ev = { .event = SG_LOG_EV_RECOVERY, .handle = h, .key_type = e.key_type, .value = e.until,
                         .key_id = e.key_id, .tbs_hash = e.consent, .cert_hash = th };
        if ((rc = fw_log_append(&ev)))
            return rc;
        tlv_close(r, SG_T_WRAPPED_KEY, e.wrapped_len);
        return fw_put_u(r, SG_T_WRAP, e.wrap, 1);
    }
    uint8_t kek[32];
    if ((rc = fw_token_escrow_kek(kek)))
        return rc;
    rc = transport(r, &pk, th);
    if (rc == FW_E_KEY_TYPE)
        rc = refuse(r, SG_CMD_ESCROW_RECOVER, h, e.key_id, "sbrguard.escrow.transport-key", "6.1.2");
    else if (rc == FW_OK && (rc = fw_escrow_load(h, &e)) == FW_OK) {
        fw_log_ev ev = { .event = SG_LOG_EV_RECOVERY, .handle = h, .key_type = e.key_type, .value = e.until,
                         .key_id = e.key_id, .tbs_hash = e.consent, .cert_hash = th };
        if ((rc = rewrap(r, &e, kek, pk, &ev)) == FW_OK)
            rc = fw_put_u(r, SG_T_WRAP, e.wrap, 1);
    }
    hal_crypto_pub_free(pk);
    fw_zeroize(kek, sizeof kek);
    fw_store_wipe();
    return rc;
}
