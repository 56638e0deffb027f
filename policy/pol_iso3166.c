/* SPDX-License-Identifier: Apache-2.0 */
/* ISO 3166-1 country codes and ISO 3166-2 subdivisions: lookups over the
 * tables policy/gen_tables.py generates (countryName, organizationIdentifier). */
#include "pol_mailbox.h"
#include "pol_tables.h"

int pol_iso3166_1_find(const uint8_t cc[2])
{
    size_t lo = 0, hi = pol_iso3166_1_n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *c = pol_iso3166_1[mid];
        int d = (uint8_t)c[0] != cc[0] ? (uint8_t)c[0] - cc[0] : (uint8_t)c[1] - cc[1];
        if (d == 0)
            return (int)mid;
        if (d < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

int pol_iso3166_2_has(const uint8_t cc[2], const uint8_t *sub, size_t len)
{
    static const uint16_t bucket[4] = { 0, 0, 36, 36 + 36 * 36 };
    int c = pol_iso3166_1_find(cc);
    uint32_t want = 0, v = 0;
    int first = 1;
    if (c < 0 || len < 1 || len > 3)
        return 0;
    for (size_t i = 0; i < len; i++) {
        uint8_t ch = sub[i];
        if (ch >= '0' && ch <= '9')
            want = want * 36 + (uint32_t)(ch - '0');
        else if (ch >= 'A' && ch <= 'Z')
            want = want * 36 + (uint32_t)(ch - 'A') + 10;
        else
            return 0;
    }
    want += bucket[len];
    for (unsigned i = pol_iso3166_2_off[c]; i < pol_iso3166_2_off[c + 1];) {
        uint32_t d = 0;
        unsigned shift = 0;
        do {
            d |= (uint32_t)(pol_iso3166_2[i] & 0x7F) << shift;
            shift += 7;
        } while (pol_iso3166_2[i++] & 0x80 && i < pol_iso3166_2_off[c + 1] && shift < 21);
        v = first ? d : v + d + 1;
        first = 0;
        if (v >= want)
            return v == want;
    }
    return 0;
}
