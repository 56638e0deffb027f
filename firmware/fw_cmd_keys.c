/* SPDX-License-Identifier: Apache-2.0 */
/* GENERATE_KEY, SIGN and AUTHORIZE: a CA key's request is judged
 * (fw_authz.c) and its decision logged; the signature is fw_keys.c's. */
#include <string.h>
#include "../policy/pol.h"
#include "fw_keys.h"
#include "sbrguard/hal_crypto.h"
#include "sbrguard/tlv.h"

#define PUB_DER_MAX 600 /* RSA-4096 SubjectPublicKeyInfo */

/* A session key (SG_OBJ_SESSION, fw_skeys.c): never a CA key, and a table
 * entry it fits, both known before the costly generation. */
static int session_slot(fw_req *r, uint32_t flags, int rsa, unsigned bits, unsigned *slot)
{
    if (flags & SG_OBJ_CA) {
        r->msg = "a session key cannot be a CA key";
        return FW_E_PROHIBITED;
    }
    /* An RSA private key takes about 4.5 times its modulus. */
    if (rsa && (size_t)bits / 8u * 5u > fw_skey_capacity()) {
        r->msg = "session keys of this type do not fit this board's session key table (EC keys do)";
        return FW_E_NO_SPACE;
    }
    int rc = fw_skey_reserve(r->chan, slot);
    if (rc)
        r->msg = "session key table full: destroy a session key or close a session";
    return rc;
}

int fw_cmd_generate_key(fw_req *r)
{
    uint32_t kt, flags = 0;
    const uint8_t *v;
    size_t vl, cap, off;
    uint8_t *w, pub[PUB_DER_MAX], num[4];
    unsigned slot, bits;
    int rc, rsa;
    if (fw_arg_u(r, SG_T_KEY_TYPE, 1, &kt))
        return FW_E_ARGS;
    if ((rsa = fw_key_type(kt, &bits)) < 0)
        return FW_E_KEY_TYPE;
    if (fw_arg_opt(r, SG_T_FLAGS, &v, &vl) == FW_OK &&
        (fw_arg_u(r, SG_T_FLAGS, 4, &flags) || flags & ~(uint32_t)(SG_OBJ_CA | SG_OBJ_SESSION)))
        return FW_E_ARGS;
    int session = (flags & SG_OBJ_SESSION) != 0;
    rc = session ? session_slot(r, flags, rsa, bits, &slot) : fw_objects_new_slot(&slot);
    if (rc || (rc = fw_log_room(SG_LOG_EV_KEY_GEN)))
        return rc;
    size_t pcap, n, m;
    uint8_t *priv_der = fw_keys_scratch(&pcap);
    rc = FW_E_CRYPTO;
    if (!priv_der || hal_crypto_keygen(kt, priv_der, pcap, &n, pub, sizeof pub, &m))
        goto out;
    rc = fw_object_begin(r, &w, &cap, &off);
    if (rc)
        goto out;
    rc = FW_E_NO_SPACE;
    sg_be_put(num, flags, 4);
    uint8_t kt8 = (uint8_t)kt, b2[2];
    sg_be_put(b2, bits, 2);
    if (fw_tlv_append(w, cap, &off, SG_T_KEY_TYPE, &kt8, 1) ||
        fw_tlv_append(w, cap, &off, SG_T_KEY_BITS, b2, 2) ||
        fw_tlv_append(w, cap, &off, SG_T_FLAGS, num, 4) ||
        fw_tlv_append(w, cap, &off, SG_T_PUBKEY, pub + sizeof pub - m, m) ||
        fw_tlv_append(w, cap, &off, FW_T_PRIVKEY, priv_der + pcap - n, n))
        goto out;
    if (session && off > fw_skey_capacity()) {
        r->msg = "session key record too large for this board (a smaller key type, ID or fewer attributes)";
        rc = FW_E_NO_SPACE;
        goto out;
    }
    /* Logged before the key exists: a cut leaves at most an entry for a key
     * that never was, never a key without its entry. */
    uint8_t key_id[32];
    fw_log_ev ev = { .event = SG_LOG_EV_KEY_GEN, .handle = slot, .key_type = kt8, .value = flags, .key_id = key_id };
    if (hal_hash(HAL_MD_SHA256, pub + sizeof pub - m, m, key_id)) {
        rc = FW_E_CRYPTO;
        goto out;
    }
    if ((rc = fw_log_append(&ev)))
        goto out;
    if (session) { /* RAM only: the composed record is copied (wiped below) */
        if ((rc = fw_skey_commit(r->chan, slot, w, off)))
            goto out;
    } else if ((rc = fw_store_commit(slot, FW_REC_TYPE_KEY, fw_token_epoch(), off))) {
        goto out;
    } else {
        fw_objects_reindex(slot);
    }
    rc = fw_put_u(r, SG_T_HANDLE, slot, 2) | fw_put(r, SG_T_PUBKEY, pub + sizeof pub - m, m);
out:
    fw_keys_scratch_free(priv_der);
    if (session)
        fw_store_wipe(); /* the composed record held the private key */
    return rc;
}

/* The decision entry of a CA key's signature, committed before the
 * signature leaves (no log, no signature). Its own frame: its hashes are
 * not on the stack while fw_key_sign runs. */
__attribute__((noinline)) static int log_issuance(fw_req *r, const fw_sign_req *q, const fw_sig_out *so)
{
    uint8_t tbs_hash[32], cert_hash[32], ev_hash[32], root[32];
    fw_log_ev ev = { .event = SG_LOG_EV_ISSUE_ACCEPTED, .mech = q->mech, .handle = q->key,
                     .key_type = (uint8_t)q->key_type, .key_id = q->key_id, .tbs_hash = q->tbs_hash,
                     .evidence_hash = q->evidence_len ? q->evidence_hash : NULL,
                     .batch_root = q->evidence_len ? q->batch_root : NULL };
    if (q->md == HAL_MD_NONE) {
        ev.flags = SG_LOG_F_PREAUTHORIZED;
        fw_authz_tbs_hash(r->chan, tbs_hash);
        ev.tbs_hash = tbs_hash;
        fw_authz_evidence_hash(r->chan, ev_hash);
        fw_authz_batch_root(r->chan, root);
        ev.evidence_hash = ev_hash;
        ev.batch_root = root;
    } else {
        const uint8_t *s = q->scheme == FW_SIG_ECDSA ? so->der : so->raw;
        size_t sl = q->scheme == FW_SIG_ECDSA ? so->der_len : so->raw_len;
        if (fw_log_cert_hash(q->data, q->data_len, s, sl, cert_hash))
            return FW_E_CRYPTO;
        ev.cert_hash = cert_hash;
    }
    int rc = fw_log_append(&ev);
    if (rc)
        r->msg = rc == FW_E_LOG_FULL ? "enforcement log full: export it and have the SO acknowledge it"
                                     : "enforcement log cannot be written: nothing signed";
    return rc;
}

/* A refusal of a CA key's request, under the flood rule. */
static void log_refusal(fw_req *r, const fw_sign_req *q, uint8_t event)
{
    fw_log_ev ev = { .event = event, .mech = q->mech, .handle = q->key, .key_type = (uint8_t)q->key_type,
                     .key_id = q->key_id, .reasons = r, .evidence_hash = q->evidence_len ? q->evidence_hash : NULL,
                     .batch_root = q->evidence_len ? q->batch_root : NULL };
    if (q->md != HAL_MD_NONE)
        ev.tbs_hash = q->tbs_hash;
    else
        ev.flags = SG_LOG_F_PREAUTHORIZED;
    fw_log_refusal(&ev);
}

/* Signs, logs a CA key's issuance and puts the signature in the reply. Its
 * own frame holds the signature buffers, so they are not on the stack while
 * the policy judges (the deepest path on a small board). */
__attribute__((noinline)) static int sign_and_reply(fw_req *r, const fw_sign_job *j, const fw_sign_req *q, int ca,
                                                    const volatile uint32_t *allow, const volatile uint32_t *verdict)
{
    fw_sig_out so;
    int rc = fw_key_sign(j, q, allow, verdict, &so);
    fw_store_wipe(); /* the private key is not needed any more */
    if (rc == FW_OK && ca)
        rc = log_issuance(r, q, &so);
    if (rc == FW_OK)
        rc = fw_put(r, SG_T_SIGNATURE, so.raw, so.raw_len);
    fw_zeroize(&so, sizeof so);
    return rc;
}

int fw_cmd_sign(fw_req *r)
{
    volatile uint32_t allow = 0, verdict = POL_REFUSE;
    const uint8_t *b;
    size_t len;
    fw_sign_job j;
    fw_sign_req q;
    int rc, ca = 0;
    /* j.priv points into the store's buffer: every exit below wipes it. */
    if ((rc = fw_sign_resolve(r, &j, &q)))
        goto out;
    if ((ca = fw_key_is_ca(q.key))) {
        /* No room for the decision entry: no signature, decided or not. */
        if ((rc = fw_log_room(SG_LOG_EV_ISSUE_ACCEPTED))) {
            r->msg = rc == FW_E_LOG_FULL ? "enforcement log full: export it and have the SO acknowledge it"
                                         : "enforcement log unusable: nothing signed";
            goto out;
        }
        /* A CA key signs a whole TBSCertificate the policy accepts, or the
         * one digest this channel was authorized for. */
        rc = q.md != HAL_MD_NONE ? fw_ca_judge(r, &q, &verdict) : fw_authz_consume(r, &q, &verdict);
        if (rc) {
            if (rc == FW_E_POLICY)
                log_refusal(r, &q, SG_LOG_EV_ISSUE_REFUSED);
            goto out;
        }
        /* The decision read the store: load the key again. */
        if ((rc = fw_object_load(q.key, FW_REC_TYPE_KEY, &b, &len)) || (rc = fw_key_fields(b, len, &j)))
            goto out;
    } else {
        verdict = POL_ACCEPT; /* per-key capabilities: a plain key signs */
    }
    if (verdict == POL_ACCEPT)
        allow = FW_SIGN_ALLOWED;
    rc = sign_and_reply(r, &j, &q, ca, &allow, &verdict);
out:
    fw_store_wipe();
    return rc;
}

int fw_cmd_authorize(fw_req *r)
{
    volatile uint32_t verdict = POL_REFUSE;
    uint8_t digest[64];
    fw_sign_job j;
    fw_sign_req q;
    int rc;
    rc = fw_sign_resolve(r, &j, &q);
    fw_store_wipe(); /* the private key is not needed here */
    if (rc)
        return rc;
    if (!fw_key_is_ca(q.key)) {
        r->msg = "not a CA key: nothing to authorize";
        return FW_E_PROHIBITED;
    }
    if (q.md == HAL_MD_NONE) {
        r->msg = "AUTHORIZE takes the hash-and-sign mechanism that names the hash";
        return FW_E_MECHANISM;
    }
    if ((rc = fw_log_room(SG_LOG_EV_AUTHZ_ACCEPTED))) {
        r->msg = "enforcement log full: export it and have the SO acknowledge it";
        return rc;
    }
    rc = fw_ca_judge(r, &q, &verdict);
    fw_store_wipe();
    if (rc) {
        if (rc == FW_E_POLICY)
            log_refusal(r, &q, SG_LOG_EV_AUTHZ_REFUSED);
        return rc;
    }
    if (verdict != POL_ACCEPT)
        return FW_E_POLICY;
    if (q.md == HAL_MD_SHA256)
        memcpy(digest, q.tbs_hash, 32);
    else if (hal_hash(q.md, q.data, q.data_len, digest))
        return FW_E_CRYPTO;
    return fw_authz_grant(r, &q, digest, hal_md_size(q.md));
}
