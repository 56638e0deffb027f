/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file bundle.h
 * @brief The CA's signed policy bundle and key escrow: format constants,
 *        link commands, statuses, TLV tags and the escrow object class.
 *        Format and semantics: docs/bundle.md.
 *
 * A bundle is the DER of SignedPolicyBundle (docs/bundle.md, ASN.1 module
 * SbrguardPolicyBundle-2025), signed by the security officer's policy key
 * given to INIT_TOKEN. Its hash (SHA-256 of the whole DER) goes into the
 * policy_hash field of every log entry.
 */
#ifndef SBRGUARD_BUNDLE_H
#define SBRGUARD_BUNDLE_H

#define SG_BUNDLE_FORMAT 1u           /**< TBSBundle.formatVersion */
/** Largest bundle: one store record body (4096-byte record, 48-byte header). */
#define SG_BUNDLE_MAX 4048u
#define SG_BUNDLE_MAX_POLICY_KEY 600u /**< policy key SPKI (RSA-4096 is 550 bytes) */
#define SG_BUNDLE_MAX_LIST 8u         /**< elements of each list of a CA entry */
#define SG_BUNDLE_MAX_URL 128u        /**< characters of one URL prefix */
/** IA5String TLVs of one URL-prefix list: the token copies them for a decision. */
#define SG_BUNDLE_MAX_PREFIX_BYTES 256u
#define SG_BUNDLE_MAX_SKEW 86400u     /**< skewSeconds upper bound */
#define SG_BUNDLE_MAX_AUTHZ 3600u     /**< authzSeconds upper bound */
#define SG_BUNDLE_MAX_PERIOD 36500u   /**< escrow periodDays upper bound (100 years) */
/** MPIC is required from 2025-05-15 (SBR 4.2.2.2): mpicFrom is never later. */
#define SG_BUNDLE_MPIC_LATEST 1747267200

/* Escrow usages (SG_T_ESCROW_USAGE): what the subscriber's certificate will do. */
#define SG_ESCROW_USE_ENCRYPT 1u /**< key management only (keyEncipherment / keyAgreement) */
#define SG_ESCROW_USE_SIGN 2u    /**< signing only */
#define SG_ESCROW_USE_BOTH 3u    /**< dual use */

/* Escrow wrapping (SG_T_WRAP) = pol_escrow_wrap. */
#define SG_WRAP_TOKEN_AES256 0u    /**< RFC 5649 KWP under the token's escrow KEK */
#define SG_WRAP_AGENT_RSA_OAEP 1u  /**< RSA-OAEP-SHA256(AES-256 key) || KWP(PKCS#8), to the agent */

/* Object class of an escrow record (continues proto.h's enum sg_class). */
#define SG_CLASS_ESCROW 4u

/* Link commands (continue proto.h's enum sg_cmd). */
#define SG_CMD_POLICY_LOAD 0x18u      /**< SO: BUNDLE -> POLICY_VERSION, POLICY_HASH */
#define SG_CMD_POLICY_INFO 0x19u      /**< -> [POLICY_KEY], [POLICY_VERSION, POLICY_HASH, BUNDLE] */
#define SG_CMD_ESCROW_GENERATE 0x1Au  /**< user: HANDLE (CA key), PROFILE, KEY_TYPE, CONSENT, ESCROW_USAGE,
                                           [ID, LABEL] -> HANDLE (escrow record), PUBKEY, ESCROW_UNTIL, WRAP */
#define SG_CMD_ESCROW_DELIVER 0x1Bu   /**< user: HANDLE (escrow record), TRANSPORT_KEY -> WRAPPED_KEY */
#define SG_CMD_ESCROW_RECOVER 0x1Cu   /**< SO: HANDLE (escrow record), [TRANSPORT_KEY] -> WRAPPED_KEY, WRAP */
/* 0x1D stays reserved for escrow. */

/* Response statuses (continue proto.h's enum sg_status). */
#define SG_ST_BUNDLE_SIGNATURE 30u  /**< the bundle's signature does not verify with the policy key */
#define SG_ST_BUNDLE_ROLLBACK 31u   /**< the bundle's version is not above the loaded one */
#define SG_ST_BUNDLE_MALFORMED 32u  /**< not a SignedPolicyBundle of this format, or a value out of range */
#define SG_ST_NO_POLICY_KEY 33u     /**< the token was initialized without a policy key */
#define SG_ST_ESCROW_REFUSED 34u    /**< escrow, delivery or recovery refused; REASON TLVs say why */
#define SG_ST_BUNDLE_TOO_LARGE 35u  /**< bundle above SG_BUNDLE_MAX */

/* TLV tags (continue proto.h's enum sg_tag). */
#define SG_T_POLICY_KEY 0x70u     /**< SubjectPublicKeyInfo DER: ECDSA P-256/P-384 or RSA >= 2048 */
#define SG_T_BUNDLE 0x71u         /**< SignedPolicyBundle DER */
#define SG_T_POLICY_VERSION 0x72u /**< u32: bundle version */
#define SG_T_POLICY_HASH 0x73u    /**< 32 bytes: SHA-256 of the bundle DER */
#define SG_T_PROFILE 0x74u        /**< 2 bytes: type (pol_type), generation (pol_gen) */
#define SG_T_CONSENT 0x75u        /**< 32 bytes: SHA-256 of the subscriber's signed escrow consent */
#define SG_T_TRANSPORT_KEY 0x76u  /**< SubjectPublicKeyInfo DER: RSA >= 2048 */
#define SG_T_WRAPPED_KEY 0x77u    /**< RSA-OAEP-SHA256(K) || KWP_K(PKCS#8 private key) */
#define SG_T_ESCROW_UNTIL 0x78u   /**< u64: end of the escrow period, token time */
#define SG_T_ESCROW_USAGE 0x79u   /**< u8: SG_ESCROW_USE_* */
#define SG_T_CA_KEY_ID 0x7Au      /**< 32 bytes: SHA-256 of the CA key's SPKI */
#define SG_T_WRAP 0x7Bu           /**< u8: SG_WRAP_* */

#endif
