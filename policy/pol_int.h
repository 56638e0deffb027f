/* SPDX-License-Identifier: Apache-2.0 */
/* Policy engine internals: the decoded TBS and what the rules read. */
#ifndef POL_INT_H
#define POL_INT_H
#include "pol.h"
#include "pol_der.h"

#define POL_MAX_ATTRS 24
#define POL_MAX_EXTS 20
#define POL_MAX_NAMES 16   /* SAN entries */
#define POL_MAX_EKU 12
#define POL_MAX_POLICIES 8
#define POL_MAX_URIS 8

/* Extensions the SBR names (7.1.2.3), by index. */
enum pol_ext_id {
    EXT_CP, EXT_CRLDP, EXT_AIA, EXT_BC, EXT_KU, EXT_EKU, EXT_AKI, EXT_SAN, EXT_SKI,
    EXT_SMIMECAP, EXT_SDA, EXT_QC, EXT_LEI, EXT_LEI_ROLE, EXT_ADOBE_TS, EXT_ADOBE_ARCHIVE,
    EXT_COUNT
};

/* Subject public key kinds of SBR 7.1.3.1. */
enum pol_key {
    KEY_UNKNOWN, KEY_RSA, KEY_P256, KEY_P384, KEY_P521, KEY_ED25519, KEY_ED448,
    KEY_MLDSA44, KEY_MLDSA65, KEY_MLDSA87, KEY_MLKEM512, KEY_MLKEM768, KEY_MLKEM1024
};

/* keyUsage bits, numbered as in RFC 5280 4.2.1.3 (bit 0 = digitalSignature). */
#define KU_DIGITAL_SIGNATURE (1u << 0)
#define KU_NON_REPUDIATION (1u << 1)
#define KU_KEY_ENCIPHERMENT (1u << 2)
#define KU_DATA_ENCIPHERMENT (1u << 3)
#define KU_KEY_AGREEMENT (1u << 4)
#define KU_KEY_CERT_SIGN (1u << 5)
#define KU_CRL_SIGN (1u << 6)
#define KU_ENCIPHER_ONLY (1u << 7)
#define KU_DECIPHER_ONLY (1u << 8)

typedef struct {
    pol_slice oid;
    uint8_t tag;      /* string type */
    pol_slice value;
    uint8_t rdn;      /* index of its RDN */
} pol_attr;

typedef struct {
    pol_slice oid, value;
    int critical;
} pol_ext;

typedef struct {
    uint8_t type;     /* GeneralName choice: 0 otherName, 1 rfc822Name, ... 6 URI */
    pol_slice value;  /* IA5 content, or otherName value */
    pol_slice other_oid;
} pol_gname;

/* Per-class findings of the value decoders of pol_ext_qc.c and
 * pol_ext_misc.c: bits of pol_eval.ext_bad, one rule row each
 * (pol_rules_ext2.c). */
enum pol_xb {
    XB_QC_MALFORMED, XB_QC_UNKNOWN, XB_QC_FLAG_INFO, XB_QC_LIMIT, XB_QC_RETENTION, XB_QC_PDS,
    XB_QC_TYPE, XB_QC_LEGISLATION, XB_QC_PSD2, XB_QC_SEMANTICS,
    XB_ADOBE_TS_MALFORMED, XB_ADOBE_TS_LOCATION, XB_ADOBE_TS_DEFAULT, XB_ADOBE_ARCHIVE,
    XB_SDA_MALFORMED, XB_SDA_UNKNOWN, XB_SDA_DOB, XB_SDA_POB, XB_SDA_GENDER, XB_SDA_COUNTRY,
    XB_SMIMECAP, XB_LEI_SYNTAX, XB_LEI_CHECK, XB_LEI_ROLE, XB_SKI,
    XB_COUNT
};
#define XB(b) (1u << (b))

/* URIs of a CRLDP or an AIA access method. */
typedef struct {
    uint8_t n, n_http, n_other;
} pol_uris;

struct pol_eval {
    const pol_ctx *ctx;
    int type, gen;
    /* TBSCertificate */
    int version;
    pol_slice serial, sig_alg, issuer, subject, spki_alg, spki_key;
    pol_slice spki; /* the whole SubjectPublicKeyInfo TLV (SBR 6.1.1.3 blocklist) */
    int64_t not_before, not_after;
    int has_unique_ids;
    uint8_t n_attrs;
    uint8_t n_exts;
    int ext_dup, ext_unknown, ext_malformed;
    int8_t ext[EXT_COUNT]; /* index into exts, -1 if absent */
    /* subject public key */
    int key;
    unsigned rsa_bits;
    int rsa_exp_ok, key_malformed;
    pol_slice rsa_n;  /* modulus INTEGER content */
    int ec_infinity;  /* SBR 6.1.1.3: the point at infinity (not malformed) */
    /* prepared extension values */
    unsigned ku;
    uint8_t n_eku;
    int bc_ca, bc_pathlen;
    int aki_keyid, aki_issuer_serial;
    pol_slice aki_keyid_value;
    uint8_t n_san;
    uint8_t n_policies;
    int cps_bad, unotice_bad;
    uint8_t unotice_ia5;    /* explicitText an IA5String (RFC 6818 3) */
    uint8_t qualifier_other; /* a policy qualifier other than id-qt-cps / id-qt-unotice */
    uint8_t aia_other;       /* an accessMethod other than id-ad-ocsp / id-ad-caIssuers */
    uint8_t crl_issuer;      /* a DistributionPoint with a cRLIssuer */
    pol_uris crl, ocsp, ca_issuers;
    uint8_t crl_unprefixed, aia_unprefixed; /* URIs without a prefix of the CA's bundle */
    uint32_t ext_bad; /* XB_* bits */
    /* Arrays last: only the fields above are cleared per decision; an
     * array entry is always written before its count covers it. */
    pol_attr attrs[POL_MAX_ATTRS];
    pol_ext exts[POL_MAX_EXTS];
    pol_slice eku[POL_MAX_EKU];
    pol_gname san[POL_MAX_NAMES];
    pol_slice policies[POL_MAX_POLICIES];
};
#define POL_EVAL_CLEAR (offsetof(pol_eval, attrs))

/* pol_tbs.c: decoding. Returns 0, or -1 when the TBS is not well-formed DER
 * of the X.509 structure (nothing else is judged then). */
int pol_decode(const uint8_t *tbs, size_t len, pol_eval *e);
/* A Name's SEQUENCE body into attrs: the count, or -1 if malformed. */
int pol_decode_name(pol_slice name, pol_attr *attrs, size_t max);
/* Extension helpers for rules. */
static inline const pol_ext *pol_ext_get(const pol_eval *e, int id)
{
    return e->ext[id] < 0 ? NULL : &e->exts[e->ext[id]];
}
int pol_oid_is(pol_slice oid, const uint8_t *der, size_t len);

/* pol_exts.c: one GeneralName at c (RFC 5280 4.2.1.6), its contents
 * checked (IA5 characters, IP lengths, OIDs, one Name); 0 or -1. */
int pol_general_name(pol_der *c, pol_gname *g);
/* 1 if u starts with the lowercase prefix "scheme://" (scheme
 * case-insensitive, RFC 3986 3.1) and names a host: the authority is not
 * empty and neither is its host (RFC 9110 4.2.1: an "http" URI never has
 * an empty host; 4.2.2 for "https"). */
int pol_has_scheme(pol_slice u, const char *prefix);

/* pol_ext_misc.c: value checks shared by the decoders. */
/* 1 if o is the content of a well-formed OBJECT IDENTIFIER (X.690 8.19). */
int pol_oid_valid(pol_slice o);
/* 1 if v is a minimal INTEGER content (X.690 8.3.2). */
int pol_int_valid(pol_slice v);
/* 1 if v is a sequence of well-formed DER TLVs down to depth levels (the
 * contents of ANY: BOOLEAN, INTEGER, NULL, OID, BIT STRING and string
 * values checked, universal strings primitive). */
int pol_der_wellformed(pol_slice v, int depth);
/* 1 if the elements of a SET OF body are in DER order (X.690 11.6). */
int pol_set_of_sorted(pol_slice body);

/* The value decoders: XB_* bits of what breaks the extension's ASN.1
 * definition (0: decoded whole). Pure functions of the value bytes. */
uint32_t pol_ext_qc(pol_slice v);           /* pol_ext_qc.c */
uint32_t pol_ext_adobe_ts(pol_slice v);     /* pol_ext_misc.c */
uint32_t pol_ext_adobe_archive(pol_slice v);
uint32_t pol_ext_sda(pol_slice v);
uint32_t pol_ext_smimecap(pol_slice v);
uint32_t pol_ext_lei(pol_slice v);
uint32_t pol_ext_lei_role(pol_slice v);
uint32_t pol_ext_ski(pol_slice v);

/* pol_ecpoint.c: 1 if point (04||X||Y) is on the key's NIST curve. */
int pol_ec_point_valid(int key, const uint8_t *point, size_t len);
/* pol_edpoint.c: 1 if an Ed25519 / Ed448 key (RFC 8032 encoding) decodes
 * to a point of its curve (SBR 6.1.5). */
int pol_ed_point_valid(int key, const uint8_t *k, size_t len);

/* pol_profile.c: profile from the reserved policy OIDs (SBR 7.1.6.1):
 * 0 with e->type/gen set, -1 none, -2 more than one. */
int pol_profile(pol_eval *e);

/* sbr.7.1.2.4.der.malformed: the first row of the first group, recorded by
 * the engine itself (no lookup by name on the failure path). */
#define POL_RULE_DER_MALFORMED 0u

/* Index in the rule table of a row of one of the groups. */
size_t pol_rule_index(const pol_rule *r);

/* The rules, by file (each returns nonzero when violated). */
extern const pol_rule pol_rules_ext[];
extern const size_t pol_rules_ext_n;
extern const pol_rule pol_rules_ext2[];
extern const size_t pol_rules_ext2_n;
extern const pol_rule pol_rules_cert[];
extern const size_t pol_rules_cert_n;
/* SBR 7.1.4 names, by family (pol_rules_name.h): 7.1.4.2.1, attribute
 * values, commonName and personal names, address and country, the tables. */
extern const pol_rule pol_rules_name_san[];
extern const size_t pol_rules_name_san_n;
extern const pol_rule pol_rules_name_value[];
extern const size_t pol_rules_name_value_n;
extern const pol_rule pol_rules_name_cn[];
extern const size_t pol_rules_name_cn_n;
extern const pol_rule pol_rules_name_place[];
extern const size_t pol_rules_name_place_n;
extern const pol_rule pol_rules_name_table[];
extern const size_t pol_rules_name_table_n;
extern const pol_rule pol_rules_orgid[];
extern const size_t pol_rules_orgid_n;
extern const pol_rule pol_rules_key[];
extern const size_t pol_rules_key_n;
extern const pol_rule pol_rules_bundle[];
extern const size_t pol_rules_bundle_n;
extern const pol_rule pol_rules_blocklist[];
extern const size_t pol_rules_blocklist_n;

/* pol_rules_orgid.c: 1 if an organizationIdentifier row fails on the
 * attributes of one Name (a SAN directoryName: 7.1.4.2.1). */
int pol_orgid_view_fails(const pol_eval *e, const pol_attr *a, uint8_t n);

/* pol_rules_bundle.c: 1 if uri starts with one of the IA5String TLVs of
 * list (byte-exact), or the list is empty. */
int pol_prefix_ok(const uint8_t *list, size_t len, pol_slice uri);

#endif
