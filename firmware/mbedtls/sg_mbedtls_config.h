/* SPDX-License-Identifier: Apache-2.0 */
/* mbedTLS 3.6 configuration for sbrguard: the token's algorithms and nothing
 * else. The same file builds the firmware (sim and Cortex-M) and the host
 * tools; only the default allocator differs (see below). */
#ifndef SG_MBEDTLS_CONFIG_H
#define SG_MBEDTLS_CONFIG_H

/* Platform: the firmware gives mbedTLS one static arena
 * (mbedtls_memory_buffer_alloc_init); there is no heap. Host tools use libc. */
#define MBEDTLS_PLATFORM_C
#define MBEDTLS_PLATFORM_MEMORY
#define MBEDTLS_MEMORY_BUFFER_ALLOC_C
#define MBEDTLS_MEMORY_ALIGN_MULTIPLE 8 /* the default 4 misaligns 64-bit headers */
#define MBEDTLS_NO_PLATFORM_ENTROPY
#if defined(SG_FREESTANDING)
#include <stddef.h>
void *fw_no_calloc(size_t n, size_t size);
void fw_no_free(void *p);
#define MBEDTLS_PLATFORM_STD_CALLOC fw_no_calloc
#define MBEDTLS_PLATFORM_STD_FREE fw_no_free
#endif

/* Big numbers and elliptic curves. Small windows keep the arena small;
 * knobs a board sets otherwise are in its own header (MBEDTLS_USER_CONFIG_FILE). */
#define MBEDTLS_BIGNUM_C
#define MBEDTLS_MPI_WINDOW_SIZE 3
#define MBEDTLS_MPI_MAX_SIZE 512 /* RSA-4096 */
#define MBEDTLS_ECP_C
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECP_DP_SECP384R1_ENABLED
#define MBEDTLS_ECP_DP_SECP521R1_ENABLED
#define MBEDTLS_ECP_NIST_OPTIM
#define MBEDTLS_ECP_WINDOW_SIZE 4
/* The generator's precomputed comb tables (const, in flash): a P-256
 * signature in the host's mbedTLS (CLI, library) 286 us instead of 841. */
#define MBEDTLS_ECP_FIXED_POINT_OPTIM 1
#define MBEDTLS_ECDSA_C

/* RSA with PKCS#1 v1.5 and PSS. */
#define MBEDTLS_RSA_C
#define MBEDTLS_GENPRIME
#define MBEDTLS_PKCS1_V15
#define MBEDTLS_PKCS1_V21

/* Hashes, DRBG, PIN derivation. */
#define MBEDTLS_MD_C
#define MBEDTLS_SHA224_C
#define MBEDTLS_SHA256_C
#define MBEDTLS_SHA384_C
#define MBEDTLS_SHA512_C
#define MBEDTLS_HMAC_DRBG_C
#define MBEDTLS_PKCS5_C

/* Key escrow (docs/bundle.md): AES-256 key wrap with padding (RFC 5649),
 * tables in flash (RAM is scarcer), the smaller table set. */
#define MBEDTLS_AES_C
#define MBEDTLS_AES_ROM_TABLES
#define MBEDTLS_AES_FEWER_TABLES
#define MBEDTLS_CIPHER_C
#define MBEDTLS_NIST_KW_C

/* Key encodings (SPKI, private keys at rest) and DER helpers. */
#define MBEDTLS_OID_C
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C
#define MBEDTLS_PK_WRITE_C
#define MBEDTLS_BASE64_C

/* Host tools only: X.509 parsing, the baseline `make bench` compares the
 * policy engine against (the firmware never parses certificates with it). */
#if !defined(SG_FREESTANDING)
#define MBEDTLS_X509_USE_C
#define MBEDTLS_X509_CRT_PARSE_C
#endif

#endif
