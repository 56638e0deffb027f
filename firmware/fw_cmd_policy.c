/* SPDX-License-Identifier: Apache-2.0 */
/* POLICY_LOAD and POLICY_INFO: a bundle is verified (the policy key given to
 * INIT_TOKEN, structure, escrow agents, version above the loaded one) and
 * logged with its hash before fw_policy.c adopts it. */
#include <string.h>
#include "fw_policy.h"
#include "sbrguard/hal_crypto.h"

/* Escrow agents are RSA >= 2048 (OAEP, SBR 6.1.2: >= 112 bits). */
static int agents_ok(const pol_bundle *b)
{
    pol_bundle_ca ca;
    pol_escrow_rule rule;
    for (size_t i = 0; pol_bundle_ca_at(b, i, &ca) == 0; i++)
        for (size_t k = 0; pol_bundle_escrow_rule_at(&ca, k, &rule) == 0; k++) {
            if (rule.wrap != POL_WRAP_AGENT_RSA_OAEP)
                continue;
            int alg;
            unsigned bits;
            if (hal_crypto_pub_load(rule.agent_spki.p, rule.agent_spki.len, NULL, &alg, &bits) || alg != HAL_PK_RSA ||
                bits < 2048)
                return 0;
        }
    return 1;
}

int fw_cmd_policy_load(fw_req *r)
{
    const uint8_t *der, *key;
    size_t len, key_len, cap;
    pol_bundle b;
    uint8_t hash[32];
    uint32_t loaded;
    int rc;
    if (fw_arg(r, SG_T_BUNDLE, &der, &len))
        return FW_E_ARGS;
    if (len > SG_BUNDLE_MAX || len > (fw_store_compose(&cap), cap))
        return FW_E_BUNDLE_TOO_LARGE;
    if (pol_bundle_parse(der, len, &b)) {
        r->msg = "not a SignedPolicyBundle of format 1 (docs/bundle.md)";
        return FW_E_BUNDLE_MALFORMED;
    }
    if (!agents_ok(&b)) {
        r->msg = "escrow agent key is not RSA >= 2048";
        return FW_E_BUNDLE_MALFORMED;
    }
    /* The key points into the store's buffer; no store call until verified. */
    if ((rc = fw_token_policy_key(&key, &key_len)))
        return rc;
    if (pol_sig_verify(key, key_len, b.sig_alg.p, b.sig_alg.len, b.tbs.p, b.tbs.len, b.sig.p, b.sig.len)) {
        r->msg = "bundle signature does not verify with the token's policy key";
        return FW_E_BUNDLE_SIG;
    }
    if (fw_policy_version(&loaded) && b.version <= loaded) {
        r->msg = "bundle version is not above the loaded one (rollback)";
        return FW_E_BUNDLE_ROLLBACK;
    }
    if (hal_hash(HAL_MD_SHA256, der, len, hash))
        return FW_E_CRYPTO;
    /* Logged with the new hash before it takes effect: a cut leaves at most
     * an entry for a load that did not happen, never a policy unlogged. */
    fw_log_ev ev = { .event = SG_LOG_EV_POLICY_LOAD, .value = b.version, .policy_hash = hash };
    if ((rc = fw_log_room(SG_LOG_EV_POLICY_LOAD)) || (rc = fw_log_append(&ev)))
        return rc;
    if ((rc = fw_policy_adopt(der, len, b.version, hash)))
        return rc;
    return fw_put_u(r, SG_T_POLICY_VERSION, b.version, 4) | fw_put(r, SG_T_POLICY_HASH, hash, 32);
}

int fw_cmd_policy_info(fw_req *r)
{
    const uint8_t *key, *der;
    size_t key_len, len;
    uint32_t version;
    if (fw_token_policy_key(&key, &key_len) == FW_OK && fw_put(r, SG_T_POLICY_KEY, key, key_len))
        return FW_E_INTERNAL;
    if (!fw_policy_version(&version))
        return FW_OK;
    if (fw_policy_der(&der, &len))
        return FW_E_CORRUPT;
    return fw_put_u(r, SG_T_POLICY_VERSION, version, 4) | fw_put(r, SG_T_POLICY_HASH, fw_policy_hash(), 32) |
           fw_put(r, SG_T_BUNDLE, der, len);
}
