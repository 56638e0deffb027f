/* SPDX-License-Identifier: Apache-2.0 */
/* Rules on the certificate as a whole: DER, profile, version, serial,
 * validity, keys and algorithms, and the CA binding. */
#include "pol_int.h"

/* 2025-07-15T00:00:00Z: legacy generation sunset (SBR 7.1.6.1). */
#define LEGACY_SUNSET 1752537600
#define DAY 86400

static int never(const pol_eval *e) { (void)e; return 0; } /* recorded by the engine */

static int no_profile(const pol_eval *e)
{
    int found = 0;
    for (uint8_t i = 0; i < e->n_policies; i++) {
        pol_slice o = e->policies[i];
        found += o.len == 7 && o.p[0] == 0x67 && o.p[1] == 0x81 && o.p[2] == 0x0C && o.p[3] == 1 && o.p[4] == 5 &&
                 o.p[5] >= 1 && o.p[5] <= 4 && o.p[6] >= 1 && o.p[6] <= 3;
    }
    return found;
}
static int policy_absent(const pol_eval *e) { return no_profile(e) == 0; }
static int policy_multiple(const pol_eval *e) { return no_profile(e) > 1; }

static int legacy_sunset(const pol_eval *e) { return e->gen == POL_LEGACY && e->ctx->now >= LEGACY_SUNSET; }
static int version_not_v3(const pol_eval *e) { return e->version != 2; }
static int unique_ids(const pol_eval *e) { return e->has_unique_ids; }

/* Serial: > 0, < 2^159 (SBR 7.1). */
static int serial_not_positive(const pol_eval *e)
{
    pol_slice s = e->serial;
    int zero = 1;
    for (size_t i = 0; i < s.len; i++)
        zero &= s.p[i] == 0;
    return (s.p[0] & 0x80) || zero;
}
static int serial_too_large(const pol_eval *e) { return e->serial.len > 20; }

/* At least 64 bits from a CSPRNG: fewer than 8 significant octets cannot
 * hold them, and a value of one repeated octet is not random output. */
static int serial_low_entropy(const pol_eval *e)
{
    pol_slice s = e->serial;
    size_t off = s.len > 1 && s.p[0] == 0 ? 1 : 0, distinct = 0;
    uint8_t seen[32] = { 0 };
    if (s.len - off < 8)
        return 1;
    for (size_t i = off; i < s.len; i++)
        if (!(seen[s.p[i] >> 3] & (1u << (s.p[i] & 7)))) {
            seen[s.p[i] >> 3] |= (uint8_t)(1u << (s.p[i] & 7));
            distinct++;
        }
    return distinct < 3;
}

/* SBR 6.3.2: validity in days of 86,400 s, any fraction an extra day; the
 * period runs from notBefore through notAfter inclusive (RFC 5280 4.1.2.5). */
static int validity_inverted(const pol_eval *e) { return e->not_after < e->not_before; }
static int validity_too_long(const pol_eval *e)
{
    if (e->gen < 0 || e->not_after < e->not_before)
        return 0;
    int64_t secs = e->not_after - e->not_before + 1;
    int64_t days = (secs + DAY - 1) / DAY;
    return days > (e->gen == POL_LEGACY ? 1185 : 825);
}

static int spki_encoding(const pol_eval *e) { return e->key == KEY_UNKNOWN; }
static int key_malformed(const pol_eval *e) { return e->key != KEY_UNKNOWN && e->key_malformed; }
static int rsa_size(const pol_eval *e)
{
    return e->key == KEY_RSA && !e->key_malformed && (e->rsa_bits < 2048 || e->rsa_bits % 8);
}
static int ec_point(const pol_eval *e)
{
    if (e->key < KEY_P256 || e->key > KEY_P521 || e->key_malformed || e->ec_infinity)
        return 0; /* infinity: sbr.6.1.1.3.ec.infinity */
    return !pol_ec_point_valid(e->key, e->spki_key.p + 1, e->spki_key.len - 1);
}
/* 6.1.5: "the key represents a valid point on the curve25519 or curve 448
 * elliptic curve" (pol_edpoint.c). */
static int ed_point(const pol_eval *e)
{
    if ((e->key != KEY_ED25519 && e->key != KEY_ED448) || e->key_malformed)
        return 0;
    return !pol_ed_point_valid(e->key, e->spki_key.p + 1, e->spki_key.len - 1);
}
static int rsa_exponent(const pol_eval *e) { return e->key == KEY_RSA && !e->key_malformed && !e->rsa_exp_ok; }

/* SBR 7.1.3.2: the byte-exact signature AlgorithmIdentifiers (pol_sig.c). */
static int sig_alg_encoding(const pol_eval *e) { return pol_sig_alg_id(e->sig_alg.p, e->sig_alg.len) < 0; }

static int ext_duplicate(const pol_eval *e) { return e->ext_dup; }
static int ext_unknown(const pol_eval *e) { return e->ext_unknown; }
static int ext_malformed(const pol_eval *e) { return e->ext_malformed; }

/* The CA binding (only with a CA). */
static int ca_issuer(const pol_eval *e)
{
    const pol_ca *ca = e->ctx->ca;
    return ca && !pol_eq(e->issuer, ca->ca_subject, ca->ca_subject_len);
}
static int ca_aki(const pol_eval *e)
{
    const pol_ca *ca = e->ctx->ca;
    /* A CA without a subjectKeyIdentifier cannot be matched: refused. */
    return ca && e->aki_keyid && (!ca->ca_ski || !pol_eq(e->aki_keyid_value, ca->ca_ski, ca->ca_ski_len));
}
static int ca_sig_alg(const pol_eval *e)
{
    const pol_ca *ca = e->ctx->ca;
    return ca && ca->sig_alg && !pol_eq(e->sig_alg, ca->sig_alg, ca->sig_alg_len);
}
static int ca_not_before(const pol_eval *e)
{
    const pol_ctx *c = e->ctx;
    int64_t d = e->not_before - c->now;
    return c->ca && (d > c->not_before_skew || -d > c->not_before_skew);
}

const pol_rule pol_rules_cert[] = {
    { "sbr.7.1.2.4.der.malformed", "7.1.2.4", "TBSCertificate is not DER of the RFC 5280 structure", never },
    { "sbr.7.1.6.1.policy.absent", "7.1.6.1", "no reserved S/MIME policy identifier: profile unknown", policy_absent },
    { "sbr.7.1.6.1.policy.multiple", "7.1.6.1", "more than one reserved S/MIME policy identifier", policy_multiple },
    { "sbr.7.1.6.1.legacy.sunset", "7.1.6.1", "legacy generation profile after 2025-07-15", legacy_sunset },
    { "sbr.7.1.1.version", "7.1.1", "certificate is not X.509 v3", version_not_v3 },
    { "sbr.7.1.2.4.unique-id", "7.1.2.4", "issuerUniqueID or subjectUniqueID present (RFC 5280 4.1.2.8)", unique_ids },
    { "sbr.7.1.serial.not-positive", "7.1", "serial number is not greater than zero", serial_not_positive },
    { "sbr.7.1.serial.too-large", "7.1", "serial number is not less than 2^159", serial_too_large },
    { "sbr.7.1.serial.low-entropy", "7.1", "serial number cannot carry 64 bits of CSPRNG output", serial_low_entropy },
    { "sbr.6.3.2.validity.inverted", "6.3.2", "notAfter is before notBefore", validity_inverted },
    { "sbr.6.3.2.validity.too-long", "6.3.2", "validity exceeds the generation's maximum (825 or 1185 days)", validity_too_long },
    { "sbr.7.1.3.1.spki.encoding", "7.1.3.1", "SubjectPublicKeyInfo AlgorithmIdentifier is not an allowed encoding", spki_encoding },
    { "sbr.6.1.5.key.malformed", "6.1.5", "public key is malformed for its algorithm", key_malformed },
    { "sbr.6.1.5.rsa.size", "6.1.5", "RSA modulus below 2048 bits or not a multiple of 8", rsa_size },
    { "sbr.6.1.5.ec.point", "6.1.5", "ECDSA public key is not a valid point on its NIST curve", ec_point },
    { "sbr.6.1.5.eddsa.point", "6.1.5", "EdDSA public key is not a point on curve25519 / curve448 (RFC 8032 5.1.3, 5.2.3)", ed_point },
    { "sbr.6.1.6.rsa.exponent", "6.1.6", "RSA public exponent is not odd and at least 3", rsa_exponent },
    { "sbr.7.1.3.2.sigalg.encoding", "7.1.3.2", "signature AlgorithmIdentifier is not an allowed encoding", sig_alg_encoding },
    { "sbr.7.1.2.4.ext.duplicate", "7.1.2.4", "an extension appears more than once (RFC 5280 4.2)", ext_duplicate },
    { "sbr.7.1.2.4.ext.unknown", "7.1.2.4", "extension not specified in 7.1.2.3", ext_unknown },
    { "sbr.7.1.2.4.ext.malformed", "7.1.2.4", "extension value is not valid DER for its type", ext_malformed },
    { "sbr.7.1.4.1.issuer.mismatch", "7.1.4.1", "issuer is not byte-identical to the CA certificate's subject", ca_issuer },
    { "sbr.7.1.2.3.aki.mismatch", "7.1.2.3(g)", "authorityKeyIdentifier is not the CA's subjectKeyIdentifier", ca_aki },
    { "sbr.7.1.3.2.sigalg.ca-mismatch", "7.1.3.2", "signature algorithm is not the one the CA key produces", ca_sig_alg },
    { "sbrguard.clock.not-before", "7.1.2.4", "notBefore is outside the token's clock window", ca_not_before },
};
const size_t pol_rules_cert_n = sizeof pol_rules_cert / sizeof *pol_rules_cert;
