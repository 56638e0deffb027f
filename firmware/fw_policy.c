/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The CA's signed policy bundle (docs/bundle.md) in its own store slot. Only
 * its version and hash stay in RAM; the entries are read again from the
 * store when a decision needs them. POLICY_LOAD (fw_cmd_policy.c) verifies
 * and logs a bundle before fw_policy_adopt commits it as one store record:
 * a cut leaves the old bundle or the new one, never none or a mix.
 */
#include <string.h>
#include "fw_policy.h"
#include "sbrguard/hal_crypto.h"

static struct {
    uint8_t present;
    uint32_t version;
    uint8_t hash[32];
} cur;

/* The loaded bundle, parsed, in the store's buffer. */
static int read_bundle(pol_bundle *b, const uint8_t **der, size_t *len)
{
    uint32_t ep = 0;
    if (!cur.present || fw_store_type(FW_POLICY_SLOT, &ep) != FW_REC_TYPE_POLICY || ep != fw_token_epoch())
        return FW_E_NO_OBJECT;
    if (fw_store_read(FW_POLICY_SLOT, der, len))
        return FW_E_CORRUPT;
    return pol_bundle_parse(*der, *len, b) ? FW_E_CORRUPT : FW_OK;
}

int fw_policy_mount(void)
{
    const uint8_t *der;
    size_t len;
    pol_bundle b;
    memset(&cur, 0, sizeof cur);
    cur.present = 1;
    /* A bundle of an older epoch (before INIT_TOKEN) or one that fails its
     * checks is no bundle: CA keys then refuse. */
    if (read_bundle(&b, &der, &len) || hal_hash(HAL_MD_SHA256, der, len, cur.hash)) {
        memset(&cur, 0, sizeof cur);
        return FW_OK;
    }
    cur.version = b.version;
    return FW_OK;
}

const uint8_t *fw_policy_hash(void) { return cur.present ? cur.hash : NULL; }

int fw_policy_ca(const uint8_t key_id[32], pol_bundle_ca *ca)
{
    const uint8_t *der;
    size_t len;
    pol_bundle b;
    int rc = read_bundle(&b, &der, &len);
    if (rc)
        return rc;
    return pol_bundle_ca_find(&b, key_id, ca) ? FW_E_POLICY : FW_OK;
}

int fw_policy_version(uint32_t *version)
{
    *version = cur.version;
    return cur.present;
}

int fw_policy_der(const uint8_t **der, size_t *len)
{
    pol_bundle b;
    return read_bundle(&b, der, len);
}

int fw_policy_adopt(const uint8_t *der, size_t len, uint32_t version, const uint8_t hash[32])
{
    size_t cap;
    uint8_t *w = fw_store_compose(&cap);
    int rc;
    memcpy(w, der, len);
    if ((rc = fw_store_commit(FW_POLICY_SLOT, FW_REC_TYPE_POLICY, fw_token_epoch(), len)))
        return rc;
    cur.present = 1;
    cur.version = version;
    memcpy(cur.hash, hash, 32);
    return FW_OK;
}
