/* SPDX-License-Identifier: Apache-2.0 */
/* The seam where the S/MIME BR engine attaches. Until it exists, refuse. */
#include "policy.h"

void pol_check_ca_sign(const pol_request *rq, pol_decision *d)
{
    (void)rq;
    d->verdict = POL_REFUSE;
    d->reason = "sbrguard.policy.engine-absent";
}
