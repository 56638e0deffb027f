/* SPDX-License-Identifier: Apache-2.0 */
/* SBR 7.1.2.3 (i)-(n) and 7.1.2.4: the values of the optional extensions,
 * each fault class of their ASN.1 definitions a row (decoders:
 * pol_ext_qc.c, pol_ext_misc.c). */
#include "pol_int.h"

#define BIT(fn, b) static int fn(const pol_eval *e) { return (e->ext_bad >> (b)) & 1u; }
BIT(qc_malformed, XB_QC_MALFORMED)
BIT(qc_unknown, XB_QC_UNKNOWN)
BIT(qc_flag_info, XB_QC_FLAG_INFO)
BIT(qc_limit, XB_QC_LIMIT)
BIT(qc_retention, XB_QC_RETENTION)
BIT(qc_pds, XB_QC_PDS)
BIT(qc_type, XB_QC_TYPE)
BIT(qc_legislation, XB_QC_LEGISLATION)
BIT(qc_psd2, XB_QC_PSD2)
BIT(qc_semantics, XB_QC_SEMANTICS)
BIT(adobe_ts_malformed, XB_ADOBE_TS_MALFORMED)
BIT(adobe_ts_location, XB_ADOBE_TS_LOCATION)
BIT(adobe_ts_default, XB_ADOBE_TS_DEFAULT)
BIT(adobe_archive, XB_ADOBE_ARCHIVE)
BIT(sda_malformed, XB_SDA_MALFORMED)
BIT(sda_unknown, XB_SDA_UNKNOWN)
BIT(sda_dob, XB_SDA_DOB)
BIT(sda_pob, XB_SDA_POB)
BIT(sda_gender, XB_SDA_GENDER)
BIT(sda_country, XB_SDA_COUNTRY)
BIT(smimecap_malformed, XB_SMIMECAP)
BIT(lei_syntax, XB_LEI_SYNTAX)
BIT(lei_check, XB_LEI_CHECK)
BIT(lei_role_syntax, XB_LEI_ROLE)
BIT(ski_malformed, XB_SKI)

const pol_rule pol_rules_ext2[] = {
    { "sbr.7.1.2.3.qc.malformed", "7.1.2.3(k)", "qcStatements is not a SEQUENCE OF QCStatement (RFC 3739 3.2.6)", qc_malformed },
    { "sbr.7.1.2.3.qc.unknown-statement", "7.1.2.3(k)", "a statementId outside RFC 3739, EN 319 412-5 and TS 119 495", qc_unknown },
    { "sbr.7.1.2.3.qc.flag-info", "7.1.2.3(k)", "QcCompliance or QcSSCD carries a statementInfo (EN 319 412-5 4.2.1, 4.2.2)", qc_flag_info },
    { "sbr.7.1.2.3.qc.limit-value", "7.1.2.3(k)", "QcLimitValue is not a MonetaryValue (EN 319 412-5 4.3.2)", qc_limit },
    { "sbr.7.1.2.3.qc.retention", "7.1.2.3(k)", "QcRetentionPeriod is not a non-negative INTEGER (EN 319 412-5 4.3.3)", qc_retention },
    { "sbr.7.1.2.3.qc.pds", "7.1.2.3(k)", "QcPDS is not PdsLocations of https URLs and ISO 639-1 codes (EN 319 412-5 4.3.4)", qc_pds },
    { "sbr.7.1.2.3.qc.type", "7.1.2.3(k)", "QcType is not a non-empty list of esign/eseal/web OIDs (EN 319 412-5 4.2.3)", qc_type },
    { "sbr.7.1.2.3.qc.cc-legislation", "7.1.2.3(k)", "QcCClegislation is not a list of ISO 3166 codes (EN 319 412-5 4.2.4)", qc_legislation },
    { "sbr.7.1.2.3.qc.psd2", "7.1.2.3(k)", "PSD2 statement is not a PSD2QcType (ETSI TS 119 495 5.1)", qc_psd2 },
    { "sbr.7.1.2.3.qc.semantics", "7.1.2.3(k)", "pkixQCSyntax statementInfo is not a SemanticsInformation (RFC 3739 3.2.6.1)", qc_semantics },
    { "sbr.7.1.2.3.adobe.ts-malformed", "7.1.2.3(m)", "Adobe Time-stamp is not SEQUENCE { version 1, location, requiresAuth }", adobe_ts_malformed },
    { "sbr.7.1.2.3.adobe.ts-location", "7.1.2.3(m)", "Adobe Time-stamp location is not an http(s) uniformResourceIdentifier", adobe_ts_location },
    { "sbr.7.1.2.3.adobe.ts-default", "7.1.2.3(m)", "Adobe Time-stamp encodes requiresAuth FALSE, its DEFAULT (X.690 11.5)", adobe_ts_default },
    { "sbr.7.1.2.3.adobe.archive-malformed", "7.1.2.3(m)", "Adobe ArchiveRevInfo is not SEQUENCE { version 1 }", adobe_archive },
    { "sbr.7.1.2.3.sda.malformed", "7.1.2.3(j)", "subjectDirectoryAttributes is not a SEQUENCE OF Attribute (RFC 5280 4.2.1.8)", sda_malformed },
    { "sbr.7.1.2.3.sda.unknown-attribute", "7.1.2.3(j)", "an attribute other than those of RFC 3739 3.2.2", sda_unknown },
    { "sbr.7.1.2.3.sda.date-of-birth", "7.1.2.3(j)", "dateOfBirth is not one GeneralizedTime date at 12:00:00Z (RFC 3739 3.2.2)", sda_dob },
    { "sbr.7.1.2.3.sda.place-of-birth", "7.1.2.3(j)", "placeOfBirth is not one DirectoryString of 1..128 characters (RFC 3739 3.2.2)", sda_pob },
    { "sbr.7.1.2.3.sda.gender", "7.1.2.3(j)", "gender is not one PrintableString M, F, m or f (RFC 3739 3.2.2)", sda_gender },
    { "sbr.7.1.2.3.sda.country", "7.1.2.3(j)", "countryOfCitizenship/Residence is not a PrintableString ISO 3166 code (RFC 3739 3.2.2)", sda_country },
    { "sbr.7.1.2.3.smimecap.malformed", "7.1.2.3(i)", "smimeCapabilities is not a SEQUENCE OF SMIMECapability (RFC 8551 2.5.2)", smimecap_malformed },
    { "sbr.7.1.2.3.lei.syntax", "7.1.2.3(l)", "LEI is not a PrintableString of 20 characters [0-9A-Z] (ISO 17442-2 4)", lei_syntax },
    { "sbr.7.1.2.3.lei.check-digits", "7.1.2.3(l)", "LEI check digits are wrong (ISO 17442-1 6, ISO 7064 MOD 97-10)", lei_check },
    { "sbr.7.1.2.3.lei.role-syntax", "7.1.2.3(l)", "LEI role is not a PrintableString of 1..100 characters (ISO 17442-2 4)", lei_role_syntax },
    { "sbr.7.1.2.3.ski.malformed", "7.1.2.3(n)", "subjectKeyIdentifier is not a non-empty OCTET STRING (RFC 5280 4.2.1.2)", ski_malformed },
};
const size_t pol_rules_ext2_n = sizeof pol_rules_ext2 / sizeof *pol_rules_ext2;
