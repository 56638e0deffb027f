/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file pkcs11_vendor.h
 * @brief Vendor-defined PKCS#11 constants of libsbrguard-pkcs11.so.
 *
 * Every value is CKA_VENDOR_DEFINED (0x80000000) | 0x53470000 ("SG") | n, so
 * this header can be used with or without pkcs11.h.
 */
#ifndef SBRGUARD_PKCS11_VENDOR_H
#define SBRGUARD_PKCS11_VENDOR_H

/** Base of the sbrguard vendor range: CKA_VENDOR_DEFINED | "SG" << 16. */
#define SG_P11_VENDOR_BASE 0xD3470000UL

/**
 * CK_BBOOL, CA flag.
 *
 * Keys (both halves): TRUE for a CA key, which signs only what the token's
 * policy accepts. Set it to TRUE in a C_GenerateKeyPair template to reserve
 * the new key as a CA key.
 *
 * Certificates: TRUE for a CA certificate bound to its key. A C_CreateObject
 * template with CKO_CERTIFICATE, CKA_TOKEN = TRUE, CKA_SBRGUARD_CA = TRUE and
 * a CKA_ID binds the certificate to the one private key with that CKA_ID (the
 * certificate must carry that key's public key). Read-only afterwards.
 */
#define CKA_SBRGUARD_CA (SG_P11_VENDOR_BASE | 0x01UL)

/**
 * CK_OBJECT_HANDLE, read-only, CA certificates only: the private key object
 * the certificate is bound to (visible once the user is logged in).
 */
#define CKA_SBRGUARD_BOUND_KEY (SG_P11_VENDOR_BASE | 0x02UL)

/**
 * UTF-8 string, read-only, private keys: why the token's policy last refused
 * a signature or authorization with this key in this process, as
 * "CODE [SBR SECTION], CODE [SBR SECTION], ..." (the token's reason codes,
 * docs/reasons.md); empty if it refused nothing yet. Every client sees a
 * refusal only as CKR_FUNCTION_REJECTED; this attribute (and one line on
 * stderr or syslog, config `p11-log`) says why.
 */
#define CKA_SBRGUARD_LAST_REFUSAL (SG_P11_VENDOR_BASE | 0x03UL)

/**
 * Vendor object class (CKA_CLASS): signed validation evidence for the TBS
 * certificates this session submits (docs/evidence.md). A session object
 * only (CKA_TOKEN = FALSE) with CKA_VALUE = the DER evidence (at most
 * SG_MAX_EVIDENCE bytes) and an optional CKA_LABEL:
 *
 *     CK_OBJECT_CLASS cls = CKO_SBRGUARD_EVIDENCE;
 *     CK_ATTRIBUTE t[] = { {CKA_CLASS, &cls, sizeof cls}, {CKA_VALUE, ev, evLen} };
 *     C_CreateObject(s, t, 2, &hEvidence);
 *     C_SignInit(s, {CKM_ECDSA_SHA256, NULL, 0}, caKey);
 *     C_Sign(s, tbs, tbsLen, sig, &sigLen);   // judged with the evidence
 *
 * The newest evidence object of the session goes with each of its
 * hash-and-sign C_Sign and CKM_SBRGUARD_AUTHORIZE calls, until it is
 * destroyed. The token hashes it into the decision and the log.
 * Applications that cannot create objects (OpenSSL's engine) name a DER or
 * PEM evidence file in SBRGUARD_P11_EVIDENCE, used with
 * SBRGUARD_P11_AUTHORIZE.
 */
#define CKO_SBRGUARD_EVIDENCE (SG_P11_VENDOR_BASE | 0x10UL)

/**
 * Vendor mechanism CKM_SBRGUARD_AUTHORIZE(m): pre-authorizes one raw-digest
 * signature by a CA key. m is the hash-and-sign mechanism whose signature the
 * TBSCertificate announces: CKM_ECDSA_SHA256/384/512,
 * CKM_SHA256/384/512_RSA_PKCS or CKM_SHA256/384/512_RSA_PKCS_PSS (parameter:
 * NULL, or the CK_RSA_PKCS_PSS_PARAMS the later signature will use).
 *
 *     C_SignInit(s, {CKM_SBRGUARD_AUTHORIZE(CKM_ECDSA_SHA256), NULL, 0}, caKey);
 *     C_Sign(s, tbs, tbsLen, out, &outLen);          // the DER TBSCertificate
 *     C_SignInit(s, {CKM_ECDSA, NULL, 0}, caKey);
 *     C_Sign(s, out, outLen, sig, &sigLen);          // signs exactly once
 *
 * The first C_Sign submits the TBS to the token's policy (CKR_FUNCTION_REJECTED
 * on refusal, reasons with SBRGUARD_P11_DEBUG=1) and returns exactly what the
 * one raw signature must be given: the digest (CKM_ECDSA, CKM_RSA_PKCS_PSS) or
 * its DigestInfo (CKM_RSA_PKCS). The authorization lives on the module's
 * connection to the token, i.e. in this application, for SG_AUTHZ_WINDOW
 * seconds, for one signature of that key; a new one replaces it.
 * Applications that cannot call this (OpenSSL's engine) can name a DER TBS
 * file in SBRGUARD_P11_AUTHORIZE: the module then submits it on its own
 * connection right before its first raw signature with a CA key.
 */
#define CKM_SBRGUARD_AUTHORIZE(m) (SG_P11_VENDOR_BASE | ((m) & 0xFFFFUL))

/**
 * Version byte of the host attribute blob the module stores in an object's
 * SG_T_HOST_ATTRS. Layout: this byte, then entries of u32 attribute type
 * (big-endian), u16 value length (big-endian), value. CK_ULONG values are
 * stored as u32 big-endian so the blob reads the same on every host.
 */
#define SG_P11_HATTRS_VERSION 0x01u

#endif
