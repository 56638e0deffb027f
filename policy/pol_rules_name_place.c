/* SPDX-License-Identifier: Apache-2.0 */
/* SBR 7.1.4.2.2 (j) to (n): the address attributes (streetAddress,
 * localityName, stateOrProvinceName, postalCode) and countryName. */
#include "pol_rules_name.h"
#include "pol_tables.h"

/* (n) "the two-letter ISO 3166-1 country code ... If a Country is not
 * represented by an official ISO 3166-1 country code, the CA MUST specify
 * the ISO 3166-1 user-assigned code of XX". */
static int country_ok(const uint8_t cc[2]) { return (cc[0] == 'X' && cc[1] == 'X') || pol_iso3166_1_find(cc) >= 0; }
static int n_country_code(const pol_eval *e, const nview *v)
{
    (void)e;
    for (uint8_t i = 0; i < v->n; i++)
        if (pol_attr_kind(v->a[i].oid) == A_C && (v->a[i].value.len != 2 || !country_ok(v->a[i].value.p)))
            return 1;
    return 0;
}

/* (j) "The subject:streetAddress field SHALL only be used if the
 * subject:localityName or subject:stateOrProvinceName field is present."
 * (k), (l), (m): localityName, stateOrProvinceName, postalCode "SHALL only
 * be used if the subject:countryName field is present." */
static int n_street_alone(const pol_eval *e, const nview *v)
{
    (void)e;
    return pol_name_has(v, A_STREET) && !pol_name_has(v, A_L) && !pol_name_has(v, A_ST);
}
static int n_locality_alone(const pol_eval *e, const nview *v)
{
    (void)e;
    return pol_name_has(v, A_L) && !pol_name_has(v, A_C);
}
static int n_state_alone(const pol_eval *e, const nview *v)
{
    (void)e;
    return pol_name_has(v, A_ST) && !pol_name_has(v, A_C);
}
static int n_postal_alone(const pol_eval *e, const nview *v)
{
    (void)e;
    return pol_name_has(v, A_POSTAL) && !pol_name_has(v, A_C);
}

/* The rows: X(function, code, section, message). */
#define PLACE_ROWS(X)                                                                                           \
    X(street_alone, "sbr.7.1.4.2.2.street.no-locality", "7.1.4.2.2(j)",                                         \
      "streetAddress without localityName or stateOrProvinceName")                                              \
    X(locality_alone, "sbr.7.1.4.2.2.locality.no-country", "7.1.4.2.2(k)",                                      \
      "localityName without countryName")                                                                       \
    X(state_alone, "sbr.7.1.4.2.2.state.no-country", "7.1.4.2.2(l)", "stateOrProvinceName without countryName") \
    X(postal_alone, "sbr.7.1.4.2.2.postal-code.no-country", "7.1.4.2.2(m)", "postalCode without countryName")   \
    X(country_code, "sbr.7.1.4.2.2.country.code", "7.1.4.2.2(n)",                                               \
      "countryName is not an ISO 3166-1 alpha-2 code or XX")
POL_NAME_FAMILY(place, PLACE_ROWS)
