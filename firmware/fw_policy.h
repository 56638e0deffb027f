/* SPDX-License-Identifier: Apache-2.0 */
/* The firmware's view of the CA's policy bundle, for the modules that read
 * a CA entry (fw_authz.c, fw_escrow.c). */
#ifndef FW_POLICY_H
#define FW_POLICY_H
#include "../policy/pol_bundle.h"
#include "fw.h"

/** The loaded bundle's entry for a CA key, pointing into the store's
 * buffer (valid until the next store call). FW_E_NO_OBJECT: no bundle;
 * FW_E_POLICY: no entry for this key; FW_E_CORRUPT: the record failed. */
int fw_policy_ca(const uint8_t key_id[32], pol_bundle_ca *ca);

#endif
