/* SPDX-License-Identifier: Apache-2.0 */
/* The token's commands: INFO, INIT_TOKEN (which wipes every module's state
 * of the old epoch), LOGIN, LOGOUT, INIT_PIN, SET_PIN, RANDOM. The metadata
 * and the PIN checks are fw_token.c's. */
#include "fw.h"
#include "sbrguard/hal_crypto.h"
#include "sbrguard/hal.h"

/* The user type of LOGIN and SET_PIN. */
static int user_type_arg(const fw_req *r, uint32_t *ut)
{
    if (fw_arg_u(r, SG_T_USER_TYPE, 1, ut) || (*ut != SG_USER_SO && *ut != SG_USER_USER))
        return FW_E_ARGS;
    return FW_OK;
}

static int pin_arg(const fw_req *r, uint8_t tag, const uint8_t **pin, size_t *len)
{
    if (fw_arg(r, tag, pin, len))
        return FW_E_ARGS;
    return (*len < SG_MIN_PIN || *len > SG_MAX_PIN) ? FW_E_PIN_LEN : FW_OK;
}

/* fw_token_pin_check, and the lockout's log entry when this guess used the
 * last try: logged once the counter is committed, so a cut in between loses
 * only this entry, never the lockout. */
static int pin_check(int so, const uint8_t *pin, size_t len)
{
    int rc = fw_token_pin_check(so, pin, len);
    if (rc == FW_E_PIN_INCORRECT && fw_token_tries(so) == 0) {
        fw_log_ev ev = { .event = SG_LOG_EV_PIN_LOCKOUT, .value = so ? SG_USER_SO : SG_USER_USER };
        fw_log_append(&ev);
    }
    return rc;
}

int fw_cmd_info(fw_req *r)
{
    int bad = fw_token_put_info(r) | fw_put_u(r, SG_T_FREE_SLOTS, fw_objects_free(), 2) |
              fw_put_u(r, SG_T_TOTAL_SLOTS, FW_MAX_OBJECTS, 2) | fw_put_u(r, SG_T_TIME, hal_clock_now(), 8) |
              fw_put_u(r, SG_T_MAX_PAYLOAD, SG_MAX_PAYLOAD, 4) |
              fw_put_u(r, SG_T_LOGIN_STATE, fw_login_state(r->chan), 1);
    return bad ? FW_E_INTERNAL : FW_OK;
}

/* The SO's policy-signing key: ECDSA P-256/P-384 or RSA >= 2048 (docs/bundle.md). */
static int policy_key_ok(const uint8_t *spki, size_t len)
{
    int alg;
    unsigned bits;
    if (len == 0 || len > SG_BUNDLE_MAX_POLICY_KEY || hal_crypto_pub_load(spki, len, NULL, &alg, &bits))
        return 0;
    return alg == HAL_PK_RSA ? bits >= 2048 : bits == 256 || bits == 384;
}

int fw_cmd_init_token(fw_req *r)
{
    const uint8_t *pin, *label, *pkey;
    size_t pin_len, label_len, pkey_len;
    int rc;
    if ((rc = pin_arg(r, SG_T_PIN, &pin, &pin_len)))
        return rc;
    if (fw_arg_opt(r, SG_T_LABEL, &label, &label_len) == FW_OK && label_len > SG_MAX_LABEL)
        return FW_E_ARGS;
    if (fw_arg_opt(r, SG_T_POLICY_KEY, &pkey, &pkey_len) == FW_OK && !policy_key_ok(pkey, pkey_len)) {
        r->msg = "policy key must be an ECDSA P-256/P-384 or RSA >= 2048 SubjectPublicKeyInfo";
        return FW_E_ARGS;
    }
    if (fw_token_initialized()) {
        if ((rc = pin_check(1, pin, pin_len)))
            return rc;
    } else if ((rc = fw_token_pin_set(1, pin, pin_len))) {
        return rc;
    }
    /* The log (and its key) first, then its TOKEN_INIT entry, then the
     * new epoch: a cut leaves at most an entry for an init that did not
     * happen. */
    fw_log_ev ev = { .event = SG_LOG_EV_TOKEN_INIT, .value = fw_token_epoch() + 1u };
    if ((rc = fw_log_create()) || (rc = fw_log_append(&ev)))
        return rc;
    if ((rc = fw_token_reinit(label, label_len, pkey, pkey_len)))
        return rc;
    fw_policy_mount();
    fw_evcache_clear();
    for (unsigned c = 0; c < FW_MAX_CHANNELS; c++)
        fw_token_set_login(c, SG_LOGIN_NONE);
    fw_keycache_clear();
    fw_skeys_drop(FW_MAX_CHANNELS); /* every channel's session keys */
    return fw_objects_wipe_stale();
}

int fw_cmd_login(fw_req *r)
{
    const uint8_t *pin;
    size_t len;
    uint32_t ut;
    int rc;
    if ((rc = user_type_arg(r, &ut)))
        return rc;
    uint8_t want = ut == SG_USER_SO ? SG_LOGIN_SO : SG_LOGIN_USER;
    if (fw_login_state(r->chan) != SG_LOGIN_NONE)
        return fw_login_state(r->chan) == want ? FW_E_ALREADY_LOGGED_IN : FW_E_OTHER_USER;
    if ((rc = pin_arg(r, SG_T_PIN, &pin, &len)))
        return rc;
    if (want == SG_LOGIN_USER && !(fw_token_flags() & SG_TF_USER_PIN_SET))
        return FW_E_USER_PIN_NOT_SET;
    if ((rc = pin_check(ut == SG_USER_SO, pin, len)) || (rc = fw_token_save()))
        return rc;
    fw_token_set_login(r->chan, want);
    return FW_OK;
}

int fw_cmd_logout(fw_req *r)
{
    fw_logout_channel(r->chan);
    return FW_OK;
}

int fw_cmd_init_pin(fw_req *r)
{
    const uint8_t *pin;
    size_t len;
    int rc;
    if ((rc = fw_log_room(SG_LOG_EV_PIN_INIT)) || (rc = pin_arg(r, SG_T_PIN, &pin, &len)) ||
        (rc = fw_token_init_user_pin(pin, len)))
        return rc;
    fw_log_ev ev = { .event = SG_LOG_EV_PIN_INIT, .value = SG_USER_USER };
    return fw_log_append(&ev);
}

int fw_cmd_set_pin(fw_req *r)
{
    const uint8_t *old, *nw;
    size_t old_len, new_len;
    uint32_t ut;
    int rc;
    if ((rc = user_type_arg(r, &ut)))
        return rc;
    if ((rc = pin_arg(r, SG_T_PIN, &old, &old_len)) || (rc = pin_arg(r, SG_T_NEW_PIN, &nw, &new_len)))
        return rc;
    if (ut == SG_USER_USER && !(fw_token_flags() & SG_TF_USER_PIN_SET))
        return FW_E_USER_PIN_NOT_SET;
    if ((rc = pin_check(ut == SG_USER_SO, old, old_len)) || (rc = fw_log_room(SG_LOG_EV_PIN_CHANGE)) ||
        (rc = fw_token_pin_set(ut == SG_USER_SO, nw, new_len)) || (rc = fw_token_save()))
        return rc;
    fw_log_ev ev = { .event = SG_LOG_EV_PIN_CHANGE, .value = ut };
    return fw_log_append(&ev);
}

int fw_cmd_random(fw_req *r)
{
    uint32_t n;
    uint8_t buf[SG_MAX_RANDOM];
    if (fw_arg_u(r, SG_T_COUNT, 2, &n) || n == 0 || n > SG_MAX_RANDOM)
        return FW_E_ARGS;
    int rc = fw_rng(NULL, buf, n) ? FW_E_CRYPTO : fw_put(r, SG_T_VALUE, buf, n);
    fw_zeroize(buf, n);
    return rc;
}
