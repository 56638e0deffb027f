/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file evidence.h
 * @brief Validation evidence (docs/evidence.md): the constants of the
 * DER format a validation authority (VA) signs and the token judges before
 * a CA key signs (SBR 3.2.2, 3.2.3, 3.2.4, 3.2.6, 4.2.1, 4.2.2).
 *
 * Plain macros only: the token, the host library, the CLI and the tests
 * share them.
 */
#ifndef SBRGUARD_EVIDENCE_H
#define SBRGUARD_EVIDENCE_H

/** Format version (TBSEvidence.version). Any other version is refused. */
#define SG_EV_VERSION 1

/** Largest evidence of a request, either form: with a TBSCertificate of up
 * to 4 KB it fits one 8192-byte link frame (SG_MAX_PAYLOAD). The batched
 * form's proof and signed root add at most about 1.2 KB to a record. */
#define SG_MAX_EVIDENCE 4096u

/** Batched form (BatchedEvidence, docs/evidence.md "Batched evidence"):
 * one VA signature over the RFC 9162 root of many records. */
#define SG_EV_BATCH_VERSION 2        /**< BatchedEvidence.version */
#define SG_EV_ROOT_VERSION 1         /**< BatchRoot.version */
#define SG_EV_BATCH_MAX_LEAVES 65536u /**< treeSize */
#define SG_EV_BATCH_MAX_PATH 16      /**< inclusion path hashes (log2 of the largest tree) */
#define SG_EV_BATCH_MAX_AGE 86400    /**< seconds a signed root is good for after its signedAt */

/** Bounds of the records and fields; anything larger is malformed. */
#define SG_EV_MAX_MAILBOXES 16      /**< MailboxRecords (the TBS has at most 16 SAN entries) */
#define SG_EV_MAX_IDENTITIES 24     /**< IdentityRecords (the TBS has at most 24 subject attributes) */
#define SG_EV_MAX_MAILBOX_LEN 254   /**< octets (RFC 5321 4.5.3.1.3) */
#define SG_EV_MAX_REQS_LEN 32       /**< requirements version string */
#define SG_EV_MAX_CAA_ISSUERS 8     /**< issuemail records per CAA check */
#define SG_EV_MAX_DOMAIN_LEN 253    /**< issuer domain name (RFC 1035) */
#define SG_EV_MAX_PERSPECTIVES 64   /**< remote Network Perspectives */
#define SG_EV_MAX_RIRS 5            /**< RIRs that exist (AFRINIC, APNIC, ARIN, LACNIC, RIPE NCC) */
#define SG_EV_HASH_LEN 32           /**< SHA-256 */

/** The VA key id: SHA-256 of the VA's SubjectPublicKeyInfo DER. */
#define SG_EV_KEY_ID_LEN SG_EV_HASH_LEN

/** Mailbox validation methods (MailboxRecord.method): the SBR section. */
#define SG_EV_M_DOMAIN 3221     /**< 3.2.2.1 authority over mailbox via domain (TLS BR 3.2.2.4.N) */
#define SG_EV_M_EMAIL 3222      /**< 3.2.2.2 control over mailbox via email (Random Value) */
#define SG_EV_M_MAIL_SERVER 3223 /**< 3.2.2.3 operator of the mail server (TLS BR 3.2.2.4.N on the SMTP FQDN) */
#define SG_EV_M_ACME 3224       /**< 3.2.2.4 ACME for S/MIME (RFC 8823; ballot SMC012) */

/** Identity validation methods (IdentityRecord.method): the SBR section. */
#define SG_EV_ID_ORGANIZATION 323 /**< 3.2.3 organization identity */
#define SG_EV_ID_INDIVIDUAL 324   /**< 3.2.4 individual identity */
#define SG_EV_ID_AUTHORITY 326    /**< 3.2.6 authority of the Applicant Representative */

/** Context tags (full identifier octets). */
#define SG_EV_TAG_TBS_HASH 0x80    /**< TBSEvidence [0] IMPLICIT OCTET STRING */
#define SG_EV_TAG_MAILBOXES 0xA1   /**< TBSEvidence [1] IMPLICIT SEQUENCE OF MailboxRecord */
#define SG_EV_TAG_IDENTITIES 0xA2  /**< TBSEvidence [2] IMPLICIT SEQUENCE OF IdentityRecord */
#define SG_EV_TAG_TLS_METHOD 0x80  /**< MailboxRecord [0] IMPLICIT INTEGER */
#define SG_EV_TAG_RANDOM 0xA1      /**< MailboxRecord [1] IMPLICIT RandomValue */
#define SG_EV_TAG_CAA 0xA2         /**< MailboxRecord [2] IMPLICIT CaaCheck */
#define SG_EV_TAG_MPIC 0xA3        /**< MailboxRecord [3] IMPLICIT Corroboration */

/** Limits (seconds unless named otherwise). */
#define SG_EV_DAY 86400
#define SG_EV_REUSE_DOMAIN_DAYS 398   /**< SBR 4.2.1 item 1: 3.2.2.1 and 3.2.2.3 */
#define SG_EV_REUSE_EMAIL_DAYS 30     /**< SBR 4.2.1 item 1: 3.2.2.2 (and 3.2.2.4, see docs) */
#define SG_EV_REUSE_PERSIST_DAYS 10   /**< TLS BR 3.2.2.4.22: persistent DCV record */
#define SG_EV_REUSE_IDENTITY_DAYS 825 /**< SBR 4.2.1 items 2 and 3: 3.2.3, 3.2.4, 3.2.6 */
#define SG_EV_RV_LIFETIME 86400       /**< SBR 3.2.2.2, 3.2.2.4: Random Value valid 24 hours */
#define SG_EV_RV_MIN_BITS 112         /**< SBR 1.6.1 Random Value */
#define SG_EV_ACME_MIN_BITS 128       /**< SBR 3.2.2.4, RFC 8823: token-part1 */
#define SG_EV_CAA_MIN_WINDOW 28800    /**< SBR 4.2.2.1: within max(TTL, 8 hours) */
#define SG_EV_MPIC_REUSE_DAYS 398     /**< TLS BR 3.2.2.9: corroborating CAA evidence reuse */

/** Effective dates (seconds since 1970, UTC). */
#define SG_EV_CAA_FROM 1741996800      /**< 2025-03-15: CAA SHALL be processed (SBR 4.2.2.1) */
#define SG_EV_MPIC_FROM 1747267200     /**< 2025-05-15: MPIC SHALL be implemented (SBR 4.2.2.2) */
#define SG_EV_MPIC_QUORUM_FROM 1757894400 /**< 2025-09-15: quorum table binding (TLS BR 3.2.2.9) */
#define SG_EV_MPIC_3_FROM 1773532800   /**< 2026-03-15: 3 remote perspectives, 2 RIRs */
#define SG_EV_MPIC_4_FROM 1781481600   /**< 2026-06-15: 4 remote perspectives */
#define SG_EV_MPIC_5_FROM 1797292800   /**< 2026-12-15: 5 remote perspectives */

#endif
