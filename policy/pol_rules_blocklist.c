/* SPDX-License-Identifier: Apache-2.0 */
/* SBR 6.1.1.3: a subject key known compromised is refused. The SO's signed
 * blocklist (docs/blocklist.md) reaches the rule through pol_ctx. */
#include "pol_int.h"
#include "pol_blocklist.h"
#include "sbrguard/hal_crypto.h"

static int key_compromised(const pol_eval *e)
{
    const pol_blocklist *bl = e->ctx->blocklist;
    uint8_t h[32];
    if (!bl || !bl->count)
        return 0;
    if (e->spki.len == 0 || hal_hash(HAL_MD_SHA256, e->spki.p, e->spki.len, h))
        return 1; /* refusal on any doubt */
    return pol_blocklist_find(bl, h) != 0; /* a read failure refuses too */
}

const pol_rule pol_rules_blocklist[] = {
    { "sbr.6.1.1.3.key.compromised", "6.1.1.3", "the subject public key is on the compromised-key blocklist", key_compromised },
};
const size_t pol_rules_blocklist_n = sizeof pol_rules_blocklist / sizeof *pol_rules_blocklist;
