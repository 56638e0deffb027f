/* SPDX-License-Identifier: Apache-2.0 */
/* SBR 7.1.2.3: the extensions of a subscriber certificate. */
#include "pol_int.h"

static const uint8_t eku_email[] = { 0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x04 };
static const uint8_t eku_server[] = { 0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01 };
static const uint8_t eku_code[] = { 0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x03 };
static const uint8_t eku_time[] = { 0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x08 };
static const uint8_t eku_any[] = { 0x55, 0x1D, 0x25, 0x00 };

static int absent(const pol_eval *e, int id) { return pol_ext_get(e, id) == NULL; }
static int critical(const pol_eval *e, int id)
{
    const pol_ext *x = pol_ext_get(e, id);
    return x && x->critical;
}
static int strict_mp(const pol_eval *e) { return e->gen == POL_STRICT || e->gen == POL_MULTIPURPOSE; }

/* (a) certificatePolicies */
static int cp_absent(const pol_eval *e) { return absent(e, EXT_CP); }
static int cp_cps(const pol_eval *e) { return e->cps_bad; }
static int cp_unotice(const pol_eval *e) { return e->unotice_bad; }
/* RFC 6818 3 (7.1.2 applies it): "Conforming CAs MUST NOT encode
 * explicitText as IA5String." */
static int cp_explicit_ia5(const pol_eval *e) { return e->unotice_ia5; }
/* (a) names the two qualifiers RFC 5280 4.2.1.4 defines (PolicyQualifierId
 * ::= OBJECT IDENTIFIER (id-qt-cps | id-qt-unotice)); any other is data
 * 7.1.2.3 does not specify (7.1.2.4). */
static int cp_qualifier_other(const pol_eval *e) { return e->qualifier_other; }

/* (b) cRLDistributionPoints: an HTTP URI; strict and multipurpose: only HTTP. */
static int crldp_absent(const pol_eval *e) { return absent(e, EXT_CRLDP); }
static int crldp_no_http(const pol_eval *e) { return !absent(e, EXT_CRLDP) && e->crl.n_http == 0; }
static int crldp_scheme(const pol_eval *e) { return strict_mp(e) && e->crl.n_other > 0; }
/* (b) wants "the Issuing CA's CRL". A cRLIssuer names another CRL issuer
 * (an indirect CRL), or the issuer itself, which RFC 5280 4.2.1.13 says to
 * omit ("conforming CAs MUST omit the cRLIssuer field"): neither is data
 * 7.1.2.3 specifies (7.1.2.4). */
static int crldp_crl_issuer(const pol_eval *e) { return e->crl_issuer; }

/* (c) authorityInformationAccess */
static int aia_critical(const pol_eval *e) { return critical(e, EXT_AIA); }
static int uris_bad(const pol_eval *e, const pol_uris *u)
{
    if (u->n == 0 && u->n_other == 0)
        return 0;
    return strict_mp(e) ? u->n_other > 0 : u->n_http == 0;
}
static int aia_ocsp(const pol_eval *e) { return e->gen >= 0 && uris_bad(e, &e->ocsp); }
static int aia_ca_issuers(const pol_eval *e) { return e->gen >= 0 && uris_bad(e, &e->ca_issuers); }
/* (c) specifies id-ad-ocsp and id-ad-caIssuers; another accessMethod is
 * data not specified in 7.1.2.3 (7.1.2.4), refused as unknown extensions are. */
static int aia_method_other(const pol_eval *e) { return e->aia_other; }

/* (d) basicConstraints */
static int bc_ca(const pol_eval *e) { return e->bc_ca; }
static int bc_pathlen(const pol_eval *e) { return e->bc_pathlen; }

/* (e) keyUsage: the combinations of the table, per key type and generation. */
static int ku_absent(const pol_eval *e) { return absent(e, EXT_KU); }
static int ku_ok(const pol_eval *e)
{
    unsigned ku = e->ku, ds = KU_DIGITAL_SIGNATURE, nr = KU_NON_REPUDIATION;
    switch (e->key) {
    case KEY_RSA: {
        unsigned extra = e->gen == POL_STRICT ? 0 : KU_DATA_ENCIPHERMENT;
        if ((ku & ~(ds | nr)) == 0)
            return (ku & ds) != 0; /* signing */
        if ((ku & ~(KU_KEY_ENCIPHERMENT | extra)) == 0)
            return (ku & KU_KEY_ENCIPHERMENT) != 0; /* key management */
        return (ku & ds) && (ku & KU_KEY_ENCIPHERMENT) && (ku & ~(ds | nr | KU_KEY_ENCIPHERMENT | extra)) == 0;
    }
    case KEY_P256: case KEY_P384: case KEY_P521: {
        unsigned eo = KU_ENCIPHER_ONLY | KU_DECIPHER_ONLY;
        if ((ku & ~(ds | nr)) == 0)
            return (ku & ds) != 0;
        if ((ku & (KU_KEY_AGREEMENT)) == 0)
            return 0; /* encipherOnly/decipherOnly only with keyAgreement */
        return (ku & ~(ds | nr | KU_KEY_AGREEMENT | eo)) == 0 && ((ku & ds) || !(ku & nr)) && (ku & eo) != eo;
    }
    case KEY_ED25519: case KEY_ED448: case KEY_MLDSA44: case KEY_MLDSA65: case KEY_MLDSA87:
        return (ku & ds) && (ku & ~(ds | nr)) == 0;
    case KEY_MLKEM512: case KEY_MLKEM768: case KEY_MLKEM1024:
        return ku == KU_KEY_ENCIPHERMENT;
    default:
        return 1; /* the key itself is refused by 7.1.3.1 */
    }
}
static int ku_bits(const pol_eval *e) { return !absent(e, EXT_KU) && e->gen >= 0 && !ku_ok(e); }

/* (f) extKeyUsage */
static int has_eku(const pol_eval *e, const uint8_t *oid, size_t len)
{
    for (uint8_t i = 0; i < e->n_eku; i++)
        if (pol_eq(e->eku[i], oid, len))
            return 1;
    return 0;
}
static int eku_absent(const pol_eval *e) { return absent(e, EXT_EKU); }
static int eku_no_email(const pol_eval *e) { return !absent(e, EXT_EKU) && !has_eku(e, eku_email, sizeof eku_email); }
static int eku_prohibited(const pol_eval *e)
{
    return has_eku(e, eku_server, sizeof eku_server) || has_eku(e, eku_code, sizeof eku_code) ||
           has_eku(e, eku_time, sizeof eku_time) || has_eku(e, eku_any, sizeof eku_any);
}
static int eku_strict_other(const pol_eval *e)
{
    if (e->gen != POL_STRICT)
        return 0;
    for (uint8_t i = 0; i < e->n_eku; i++)
        if (!POL_EQ(e->eku[i], eku_email) && !POL_EQ(e->eku[i], eku_server) && !POL_EQ(e->eku[i], eku_code) &&
            !POL_EQ(e->eku[i], eku_time) && !POL_EQ(e->eku[i], eku_any))
            return 1;
    return 0;
}

/* (g) authorityKeyIdentifier */
static int aki_absent(const pol_eval *e) { return absent(e, EXT_AKI); }
static int aki_critical(const pol_eval *e) { return critical(e, EXT_AKI); }
static int aki_no_keyid(const pol_eval *e) { return !absent(e, EXT_AKI) && !e->aki_keyid; }
static int aki_issuer_serial(const pol_eval *e) { return e->aki_issuer_serial; }

/* (h) subjectAltName: content rules are 7.1.4.2.1's. */
static int san_absent(const pol_eval *e) { return absent(e, EXT_SAN); }
/* RFC 5280 4.2.1.6 (7.1.2.4; (h) "unless the subject field is an empty
 * sequence"): "If the subject field contains an empty sequence, then the
 * issuing CA MUST include a subjectAltName extension that is marked as
 * critical." */
static int san_not_critical(const pol_eval *e) { return e->n_attrs == 0 && !absent(e, EXT_SAN) && !critical(e, EXT_SAN); }

/* (i)-(n) */
static int smimecap_critical(const pol_eval *e) { return critical(e, EXT_SMIMECAP); }
static int sda_prohibited(const pol_eval *e) { return strict_mp(e) && !absent(e, EXT_SDA); }
static int sda_critical(const pol_eval *e) { return critical(e, EXT_SDA); }
static int qc_critical(const pol_eval *e) { return critical(e, EXT_QC); }
static int lei_prohibited(const pol_eval *e)
{
    return (e->type == POL_MAILBOX || e->type == POL_INDIVIDUAL) && (!absent(e, EXT_LEI) || !absent(e, EXT_LEI_ROLE));
}
static int lei_role(const pol_eval *e) { return e->type == POL_ORGANIZATION && !absent(e, EXT_LEI_ROLE); }
static int lei_critical(const pol_eval *e) { return critical(e, EXT_LEI) || critical(e, EXT_LEI_ROLE); }
static int adobe_prohibited(const pol_eval *e)
{
    return e->gen == POL_STRICT && (!absent(e, EXT_ADOBE_TS) || !absent(e, EXT_ADOBE_ARCHIVE));
}
static int adobe_critical(const pol_eval *e) { return critical(e, EXT_ADOBE_TS) || critical(e, EXT_ADOBE_ARCHIVE); }
static int ski_critical(const pol_eval *e) { return critical(e, EXT_SKI); }

const pol_rule pol_rules_ext[] = {
    { "sbr.7.1.2.3.cp.absent", "7.1.2.3(a)", "certificatePolicies is absent", cp_absent },
    { "sbr.7.1.2.3.cp.cps-uri", "7.1.2.3(a)", "id-qt-cps qualifier is not an HTTP or HTTPS URL", cp_cps },
    { "sbr.7.1.2.3.cp.user-notice", "7.1.2.3(a)", "id-qt-unotice has a noticeRef or no explicitText", cp_unotice },
    { "sbr.7.1.2.3.cp.explicit-text-ia5", "7.1.2.3(a), 7.1.2 (RFC 6818 3)", "explicitText is an IA5String", cp_explicit_ia5 },
    { "sbr.7.1.2.3.cp.qualifier-unknown", "7.1.2.3(a), 7.1.2.4 (RFC 5280 4.2.1.4)",
      "a policy qualifier other than id-qt-cps or id-qt-unotice", cp_qualifier_other },
    { "sbr.7.1.2.3.crldp.absent", "7.1.2.3(b)", "cRLDistributionPoints is absent", crldp_absent },
    { "sbr.7.1.2.3.crldp.no-http", "7.1.2.3(b)", "no distributionPoint fullName URI with the HTTP scheme", crldp_no_http },
    { "sbr.7.1.2.3.crldp.scheme", "7.1.2.3(b)", "strict/multipurpose: a CRL URI with a scheme other than HTTP", crldp_scheme },
    { "sbr.7.1.2.3.crldp.crl-issuer", "7.1.2.3(b), 7.1.2.4 (RFC 5280 4.2.1.13)",
      "a distributionPoint names a cRLIssuer: not the Issuing CA's own CRL", crldp_crl_issuer },
    { "sbr.7.1.2.3.aia.critical", "7.1.2.3(c)", "authorityInformationAccess is critical", aia_critical },
    { "sbr.7.1.2.3.aia.ocsp-scheme", "7.1.2.3(c)(1)", "id-ad-ocsp URIs break the generation's HTTP rule", aia_ocsp },
    { "sbr.7.1.2.3.aia.ca-issuers-scheme", "7.1.2.3(c)(2)", "id-ad-caIssuers URIs break the generation's HTTP rule", aia_ca_issuers },
    { "sbr.7.1.2.3.aia.access-method", "7.1.2.3(c), 7.1.2.4", "an accessMethod other than id-ad-ocsp or id-ad-caIssuers", aia_method_other },
    { "sbr.7.1.2.3.bc.ca", "7.1.2.3(d)", "basicConstraints cA is true", bc_ca },
    { "sbr.7.1.2.3.bc.pathlen", "7.1.2.3(d)", "basicConstraints pathLenConstraint is present", bc_pathlen },
    { "sbr.7.1.2.3.ku.absent", "7.1.2.3(e)", "keyUsage is absent", ku_absent },
    { "sbr.7.1.2.3.ku.bits", "7.1.2.3(e)", "keyUsage bits not allowed for this key type and generation", ku_bits },
    { "sbr.7.1.2.3.eku.absent", "7.1.2.3(f)", "extKeyUsage is absent", eku_absent },
    { "sbr.7.1.2.3.eku.no-email", "7.1.2.3(f)", "extKeyUsage lacks id-kp-emailProtection", eku_no_email },
    { "sbr.7.1.2.3.eku.prohibited", "7.1.2.3(f)", "serverAuth, codeSigning, timeStamping or anyExtendedKeyUsage present", eku_prohibited },
    { "sbr.7.1.2.3.eku.strict-other", "7.1.2.3(f)", "strict: a KeyPurposeId other than id-kp-emailProtection", eku_strict_other },
    { "sbr.7.1.2.3.aki.absent", "7.1.2.3(g)", "authorityKeyIdentifier is absent", aki_absent },
    { "sbr.7.1.2.3.aki.critical", "7.1.2.3(g)", "authorityKeyIdentifier is critical", aki_critical },
    { "sbr.7.1.2.3.aki.no-keyid", "7.1.2.3(g)", "authorityKeyIdentifier has no keyIdentifier", aki_no_keyid },
    { "sbr.7.1.2.3.aki.issuer-serial", "7.1.2.3(g)", "authorityCertIssuer or authorityCertSerialNumber present", aki_issuer_serial },
    { "sbr.7.1.2.3.san.absent", "7.1.2.3(h)", "subjectAltName is absent", san_absent },
    { "sbr.7.1.2.3.san.not-critical", "7.1.2.3(h), 7.1.2.4 (RFC 5280 4.2.1.6)",
      "subject is an empty sequence but subjectAltName is not critical", san_not_critical },
    { "sbr.7.1.2.3.smimecap.critical", "7.1.2.3(i)", "smimeCapabilities is critical", smimecap_critical },
    { "sbr.7.1.2.3.sda.prohibited", "7.1.2.3(j)", "strict/multipurpose: subjectDirectoryAttributes present", sda_prohibited },
    { "sbr.7.1.2.3.sda.critical", "7.1.2.3(j)", "subjectDirectoryAttributes is critical", sda_critical },
    { "sbr.7.1.2.3.qc.critical", "7.1.2.3(k)", "qcStatements is critical", qc_critical },
    { "sbr.7.1.2.3.lei.prohibited", "7.1.2.3(l)", "mailbox/individual: Legal Entity Identifier extension present", lei_prohibited },
    { "sbr.7.1.2.3.lei.role-prohibited", "7.1.2.3(l)", "organization: LEI role extension present", lei_role },
    { "sbr.7.1.2.3.lei.critical", "7.1.2.3(l)", "LEI extension is critical", lei_critical },
    { "sbr.7.1.2.3.adobe.prohibited", "7.1.2.3(m)", "strict: Adobe extension present", adobe_prohibited },
    { "sbr.7.1.2.3.adobe.critical", "7.1.2.3(m)", "Adobe extension is critical", adobe_critical },
    { "sbr.7.1.2.3.ski.critical", "7.1.2.3(n)", "subjectKeyIdentifier is critical", ski_critical },
};
const size_t pol_rules_ext_n = sizeof pol_rules_ext / sizeof *pol_rules_ext;
