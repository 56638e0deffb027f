/* SPDX-License-Identifier: Apache-2.0 */
/* Strict DER reading (X.690 10: DER restrictions). */
#include "pol_der.h"

int pol_der_bool(pol_slice v, int *out)
{
    if (v.len != 1 || (v.p[0] != 0 && v.p[0] != 0xFF))
        return -1;
    *out = v.p[0] != 0;
    return 0;
}

int64_t pol_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    /* Howard Hinnant's algorithm, proleptic Gregorian. */
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (int64_t)(m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int digits(const uint8_t *p, size_t n, unsigned *out)
{
    unsigned v = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10 + (unsigned)(p[i] - '0');
    }
    *out = v;
    return 0;
}

int pol_der_time(uint8_t tag, pol_slice v, int64_t *out)
{
    unsigned y, mo, d, h, mi, s;
    const uint8_t *p = v.p;
    size_t ylen = tag == DER_UTC_TIME ? 2 : 4;
    if ((tag != DER_UTC_TIME && tag != DER_GEN_TIME) || v.len != ylen + 11 || p[v.len - 1] != 'Z')
        return -1;
    if (digits(p, ylen, &y) || digits(p + ylen, 2, &mo) || digits(p + ylen + 2, 2, &d) ||
        digits(p + ylen + 4, 2, &h) || digits(p + ylen + 6, 2, &mi) || digits(p + ylen + 8, 2, &s))
        return -1;
    if (tag == DER_UTC_TIME)
        y += y >= 50 ? 1900 : 2000;
    else if (y < 2050) /* RFC 5280 4.1.2.5: GeneralizedTime only from 2050 */
        return -1;
    static const uint8_t mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap) || h > 23 ||
        mi > 59 || s > 59)
        return -1;
    *out = pol_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
    return 0;
}
