/* SPDX-License-Identifier: Apache-2.0 */
/* SBR 6.1.5: an ECDSA key SHALL be a valid point on its NIST curve. The
 * arithmetic is the board's (hal_crypto); pol_tbs.c has already refused
 * any form but 04 || X || Y of the curve's length, and the point at
 * infinity has its own rule. */
#include "pol_int.h"
#include "sbrguard/hal_crypto.h"
#include "sbrguard/proto.h"

int pol_ec_point_valid(int key, const uint8_t *point, size_t len)
{
    if (key < KEY_P256 || key > KEY_P521)
        return 0;
    return hal_crypto_ec_point_check(SG_KEY_EC_P256 + (uint32_t)(key - KEY_P256), point, len) == HAL_CRYPTO_OK;
}
