/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: the policy bundle parser (POLICY_LOAD's untrusted
 * input, checked before its signature) and every reader of a parsed
 * bundle; the input's tail also serves as the CA's URL-prefix lists of a
 * policy decision. Any crash, leak or UB report is a failure. */
#include <stddef.h>
#include <stdint.h>
#include "../../policy/pol_bundle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static pol_workspace w;
    pol_bundle b;
    pol_bundle_ca ca;
    pol_escrow_rule r;
    if (pol_bundle_parse(data, size, &b) == 0) {
        for (size_t i = 0; pol_bundle_ca_at(&b, i, &ca) == 0; i++) {
            pol_bundle_ca again;
            if (pol_bundle_ca_find(&b, ca.key_id, &again) != 0)
                __builtin_trap(); /* every listed entry is found by its key id */
            for (size_t k = 0; pol_bundle_escrow_rule_at(&ca, k, &r) == 0; k++)
                ;
            for (int t = 0; t < 4; t++)
                for (int g = 0; g < 3; g++)
                    if (pol_bundle_escrow_rule(&ca, t, g, &r) == 0 && !(r.profiles >> (t * 3 + g) & 1))
                        __builtin_trap();
        }
    }
    /* Arbitrary prefix lists against a decision (the TBS is the input too). */
    size_t half = size / 2;
    pol_ca_rules rules = { 07777u, 825, data, half, data + half, size - half };
    pol_ctx ctx = { .now = 1767225600, .ca = NULL, .not_before_skew = 3600, .rules = &rules };
    pol_decision d;
    pol_check(data, size, &ctx, &w, &d);
    return 0;
}
