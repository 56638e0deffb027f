/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: the policy engine on arbitrary TBS bytes, with and
 * without a CA binding. Any crash, leak or UB report is a failure. */
#include <stddef.h>
#include <stdint.h>
#include "../../policy/pol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static pol_workspace w, wca;
    static const uint8_t subject[] = { 0x30, 0x00 };
    pol_ca ca = { subject, sizeof subject, data, size < 20 ? size : 20, NULL, 0 };
    pol_ctx ctx = { .now = 1767225600, .ca = NULL, .not_before_skew = 3600 };
    pol_decision d;
    const uint8_t *tbs;
    size_t tbs_len;
    pol_check(data, size, &ctx, &w, &d);
    if ((d.verdict == POL_ACCEPT) != (d.n == 0))
        __builtin_trap();
    ctx.ca = &ca;
    pol_check(data, size, &ctx, &w, &d);
    /* The same bytes as a certificate and as a CA certificate. */
    if (pol_cert_tbs(data, size, &tbs, &tbs_len) == 0)
        pol_check(tbs, tbs_len, &ctx, &w, &d);
    pol_ca_from_cert(data, size, &wca, &ca);
    return 0;
}
