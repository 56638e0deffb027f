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
 * Version byte of the host attribute blob the module stores in an object's
 * SG_T_HOST_ATTRS. Layout: this byte, then entries of u32 attribute type
 * (big-endian), u16 value length (big-endian), value. CK_ULONG values are
 * stored as u32 big-endian so the blob reads the same on every host.
 */
#define SG_P11_HATTRS_VERSION 0x01u

#endif
