/* SPDX-License-Identifier: Apache-2.0 */
/* mbedTLS knobs of mps2-an386, on top of firmware/mbedtls/sg_mbedtls_config.h
 * (MBEDTLS_USER_CONFIG_FILE). */
#ifndef MPS2_MBEDTLS_H
#define MPS2_MBEDTLS_H

/* The arena's peak use, reported by BOARD_INFO; a corrupt arena resets the
 * token (recorded as a fault) instead of printing or exiting. */
#define MBEDTLS_MEMORY_DEBUG
void mps2_fatal(int code);
#define MBEDTLS_PLATFORM_EXIT_MACRO mps2_fatal
#define MBEDTLS_PLATFORM_FPRINTF_MACRO mps2_no_fprintf
#define mps2_no_fprintf(...) 0

/* No precomputed generator tables: they are 10.7 KiB of flash
 * (arm-none-eabi-size of ecp_curves.o, P-256/384/521), more than is free. */
#undef MBEDTLS_ECP_FIXED_POINT_OPTIM
#define MBEDTLS_ECP_FIXED_POINT_OPTIM 0

/* No SHA-224 user on the token (SHA-256/384/512 only): its md entry and
 * wrappers are flash this board cannot spare. */
#undef MBEDTLS_SHA224_C

#endif
