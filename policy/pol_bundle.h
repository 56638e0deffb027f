/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file pol_bundle.h
 * @brief The CA's own policy: a bundle signed by the security officer's
 * policy key (format: docs/bundle.md, constants: sbrguard/bundle.h).
 *
 * The parser only reads: every slice points into the bundle DER. It checks
 * structure, not the signature (pol_sig_verify does that, with the SO key
 * the token was initialized with).
 */
#ifndef POL_BUNDLE_H
#define POL_BUNDLE_H
#include "pol.h"

/** A byte range of the input. */
typedef struct {
    const uint8_t *p;
    size_t len;
} pol_bytes;

/** A parsed bundle: its signed part and signature. */
typedef struct {
    uint32_t version;   /**< must increase with every load (rollback refused) */
    int64_t issued_at;  /**< when the SO signed it */
    pol_bytes tbs;      /**< the signed DER (the signature covers exactly this) */
    pol_bytes sig_alg;  /**< AlgorithmIdentifier TLV */
    pol_bytes sig;      /**< signature value (BIT STRING content without the unused-bits byte) */
    pol_bytes cas;      /**< contents of the SEQUENCE OF per-CA entries */
} pol_bundle;

/** One CA key's rules. A sequence's contents (pol_bytes) hold its elements' TLVs. */
typedef struct {
    uint8_t key_id[32];          /**< SHA-256 of the CA key's SubjectPublicKeyInfo DER */
    uint32_t profiles;           /**< bit (type * 3 + gen) set: that profile may be issued */
    uint32_t max_validity_days;  /**< at most the SBR 6.3.2 maximum of each generation */
    pol_bytes crldp_prefixes;    /**< IA5String TLVs: every CRLDP URI starts with one; empty = any */
    pol_bytes aia_prefixes;      /**< IA5String TLVs: every AIA URI starts with one; empty = any */
    pol_bytes va_keys;           /**< SubjectPublicKeyInfo TLVs: validation authorities trusted */
    pol_bytes caa_domains;       /**< IA5String TLVs: the CA's CAA issuer domain names (RFC 9495) */
    int64_t mpic_from;           /**< MPIC required from this time; never later than 2025-05-15 */
    uint32_t skew_seconds;       /**< |notBefore - token clock| allowed */
    uint32_t authz_seconds;      /**< life of a pre-authorization */
    pol_bytes escrow;            /**< EscrowRule TLVs */
} pol_bundle_ca;

/** How an escrowed key is wrapped (SBR 6.1.2: at least 112 bits). */
enum pol_escrow_wrap { POL_WRAP_TOKEN_AES256 = 0, POL_WRAP_AGENT_RSA_OAEP = 1 };

/** One escrow rule of a CA (SBR 4.12, 6.1.2, 6.3.2; SMC07). */
typedef struct {
    uint32_t profiles;          /**< bit (type * 3 + gen): profiles whose keys may be escrowed */
    uint32_t period_days;       /**< how long the escrowed key is kept (not bound to validity) */
    uint8_t wrap;               /**< POL_WRAP_* */
    pol_bytes agent_spki;       /**< POL_WRAP_AGENT_RSA_OAEP: RSA >= 2048 escrow agent key */
    uint8_t recovery_allowed;   /**< the SO may recover the key during the period */
    uint8_t encryption_only;    /**< the key may serve encryption certificates only */
    uint32_t key_types;         /**< bit SG_KEY_* set: key types that may be escrowed; 0 = any (added field) */
} pol_escrow_rule;

/** Parses a signed bundle's structure; 0 on success. */
int pol_bundle_parse(const uint8_t *der, size_t len, pol_bundle *b);
/** The entry for a CA key; 0 if found, -1 if the bundle has none for it. */
int pol_bundle_ca_find(const pol_bundle *b, const uint8_t key_id[32], pol_bundle_ca *ca);
/** The escrow rule of a CA for a profile; 0 if one allows it, -1 if none. */
int pol_bundle_escrow_rule(const pol_bundle_ca *ca, int type, int gen, pol_escrow_rule *r);
/** Entry i of a parsed bundle (for listing); 0 if it exists (added function). */
int pol_bundle_ca_at(const pol_bundle *b, size_t i, pol_bundle_ca *ca);
/** Escrow rule i of a CA entry (for listing); 0 if it exists (added function). */
int pol_bundle_escrow_rule_at(const pol_bundle_ca *ca, size_t i, pol_escrow_rule *r);

#endif
