/* SPDX-License-Identifier: Apache-2.0 */
/* fw_zeroize: a wipe the compiler may not drop (mbedTLS's, which uses a
 * volatile function pointer), in a file of its own at the bottom so that
 * every layer may wipe. */
#include "fw.h"
#include "mbedtls/platform_util.h"

void fw_zeroize(void *p, size_t n) { mbedtls_platform_zeroize(p, n); }
