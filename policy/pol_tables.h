/* SPDX-License-Identifier: Apache-2.0 */
/* Value lists generated at build time (policy/gen_tables.py). */
#ifndef POL_TABLES_H
#define POL_TABLES_H

/** ISO 3166-1 alpha-2 codes, sorted. */
extern const char pol_iso3166_alpha2[][3];
extern const unsigned pol_iso3166_alpha2_n;

#endif
