/* SPDX-License-Identifier: Apache-2.0 */
/* Value lists generated at build time (policy/gen_tables.py, which documents
 * the formats) from Debian's iso-codes and publicsuffix, and the lookups
 * over them. */
#ifndef POL_TABLES_H
#define POL_TABLES_H
#include <stddef.h>
#include <stdint.h>

/** ISO 3166-1 alpha-2 codes, sorted, two bytes each (no NUL). */
extern const char pol_iso3166_1[][2];
extern const uint16_t pol_iso3166_1_n;
/** ISO 3166-2 subdivisions of country i: bytes [off[i], off[i+1]) of
 * pol_iso3166_2, ascending code numbers, LEB128 deltas. */
extern const uint16_t pol_iso3166_2_off[];
extern const uint8_t pol_iso3166_2[];

/** ISO 639-1 two-letter language codes: bitmap, bit (a-'a')*26 + (b-'a'). */
extern const uint8_t pol_iso639_1[85];
/** 1 if the two bytes are a lowercase ISO 639-1 code (pol_ext_misc.c). */
int pol_iso639_1_has(const uint8_t code[2]);

/** Public suffixes, ICANN section: front-coded, byte-pair-coded main list. */
extern const uint16_t pol_psl_n;
extern const uint16_t pol_psl_restart_n;
extern const uint16_t pol_psl_restart[];
extern const uint16_t pol_psl_first[27];
extern const uint16_t pol_psl_head[];
extern const uint8_t pol_psl_blob[];
extern const uint16_t pol_psl_blob_n;
extern const uint16_t pol_psl_tok_off[257];
extern const char pol_psl_tok[];
/** Keys X of "*.X" and of "!X" rules: sorted, ended by NULL. */
extern const char *const pol_psl_wild[];
extern const char *const pol_psl_exc[];

/** Index of an ISO 3166-1 alpha-2 code (uppercase), or -1. */
int pol_iso3166_1_find(const uint8_t cc[2]);
/** 1 if sub (1 to 3 of [0-9A-Z]) is an ISO 3166-2 subdivision of the
 * ISO 3166-1 country cc, else 0. */
int pol_iso3166_2_has(const uint8_t cc[2], const uint8_t *sub, size_t len);
/** 1 if key (labels rightmost first, '.'-joined, lowercase A-labels) is in
 * the public suffix main list, else 0. */
int pol_psl_has(const uint8_t *key, size_t len);

/* organizationIdentifier (SBR 7.1.4.2.2(d), Appendix A.1): the syntax and
 * the value checks over these tables (pol_rules_orgid.c). */
enum { ORGID_NTR, ORGID_VAT, ORGID_PSD, ORGID_LEI, ORGID_GOV, ORGID_INT };
typedef struct {
    int scheme;          /**< ORGID_*, -1 if unknown */
    uint8_t cc[2];       /**< country code as written (EL, XI, XG included) */
    const uint8_t *sub;  /**< ISO 3166-2 part after "+", or NULL */
    size_t sub_len;
    const uint8_t *ref;  /**< Registration Reference after "-", or NULL */
    size_t ref_len;
} pol_orgid;
/** Splits "SSSCC[+SUB]-REF" (or the GOV/INT forms of Note 2); 0 or -1. */
int pol_orgid_parse(const uint8_t *p, size_t n, pol_orgid *o);
/** 1 if the country suits the scheme (XG for LEI/INT; ISO 3166-1 or XX;
 * VAT also EL and XI of Directive 2006/112/EC Article 215). */
int pol_orgid_country_ok(const pol_orgid *o);
/** 1 if there is no subdivision or the scheme may carry one (NTR, GOV). */
int pol_orgid_sub_allowed(const pol_orgid *o);
/** 1 if there is no subdivision or it is an ISO 3166-2 code of the country. */
int pol_orgid_sub_ok(const pol_orgid *o);
/** 1 if a PSD reference is "NCA-PSPID" (ETSI TS 119 495 5.2.1). */
int pol_orgid_psd_ok(const pol_orgid *o);
/** 1 if p is an ISO 17442 LEI with valid ISO 7064 MOD 97-10 check digits. */
int pol_lei_valid(const uint8_t *p, size_t n);

#endif
