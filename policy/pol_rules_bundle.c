/* SPDX-License-Identifier: Apache-2.0 */
/* Rules of the CA's own policy (its signed bundle entry, docs/bundle.md):
 * tighter than the SBR, never looser. They apply only with ctx->rules. */
#include "pol_int.h"

#define DAY 86400

int pol_prefix_ok(const uint8_t *list, size_t len, pol_slice uri)
{
    pol_slice all = { list, len }, v;
    pol_der c = pol_der_of(all);
    if (len == 0)
        return 1;
    while (pol_der_more(&c)) {
        if (pol_der_expect(&c, DER_IA5, &v, NULL))
            return 0; /* the bundle parser let nothing else through */
        if (v.len <= uri.len) {
            size_t i = 0;
            while (i < v.len && v.p[i] == uri.p[i])
                i++;
            if (i == v.len)
                return 1;
        }
    }
    return 0;
}

static const pol_ca_rules *rules(const pol_eval *e) { return e->ctx->rules; }

/* SBR 7.1.6.1 profiles: the CA issues only those its bundle lists. */
static int profile_not_allowed(const pol_eval *e)
{
    return rules(e) && e->type >= 0 && e->gen >= 0 && !(rules(e)->profiles >> (e->type * 3 + e->gen) & 1u);
}

/* SBR 6.3.2 day arithmetic against the CA's own, tighter maximum. */
static int validity_over_max(const pol_eval *e)
{
    if (!rules(e) || e->not_after < e->not_before)
        return 0;
    int64_t days = (e->not_after - e->not_before + 1 + DAY - 1) / DAY;
    return days > (int64_t)rules(e)->max_validity_days;
}

static int crldp_prefix(const pol_eval *e) { return rules(e) && e->crl_unprefixed; }
static int aia_prefix(const pol_eval *e) { return rules(e) && e->aia_unprefixed; }

const pol_rule pol_rules_bundle[] = {
    { "sbrguard.bundle.profile-not-allowed", "7.1.6.1", "the CA's policy bundle does not allow this profile for this CA key", profile_not_allowed },
    { "sbrguard.bundle.validity-over-max", "6.3.2", "validity exceeds the CA's own maximum from its policy bundle", validity_over_max },
    { "sbrguard.bundle.crldp-prefix", "7.1.2.3(b)", "a CRL distribution point URI does not start with a prefix the CA's bundle requires", crldp_prefix },
    { "sbrguard.bundle.aia-prefix", "7.1.2.3(c)", "an AIA URI does not start with a prefix the CA's bundle requires", aia_prefix },
};
const size_t pol_rules_bundle_n = sizeof pol_rules_bundle / sizeof *pol_rules_bundle;
