/* SPDX-License-Identifier: Apache-2.0 */
/* SBR 6.1.5: an ECDSA key SHALL be a valid point on its NIST curve. The
 * curve constants are loaded once and kept: the check itself allocates only
 * the point (mbedTLS's arena in the firmware). */
#include "mbedtls/ecp.h"
#include "pol_int.h"

int pol_ec_point_valid(int key, const uint8_t *point, size_t len);
int pol_ec_point_valid(int key, const uint8_t *point, size_t len)
{
    static const mbedtls_ecp_group_id ids[3] = { MBEDTLS_ECP_DP_SECP256R1, MBEDTLS_ECP_DP_SECP384R1,
                                                 MBEDTLS_ECP_DP_SECP521R1 };
    static mbedtls_ecp_group grp[3];
    static uint8_t loaded[3];
    int i = key - KEY_P256, ok;
    if (i < 0 || i > 2)
        return 0;
    if (!loaded[i]) {
        mbedtls_ecp_group_init(&grp[i]);
        if (mbedtls_ecp_group_load(&grp[i], ids[i]))
            return 0;
        loaded[i] = 1;
    }
    mbedtls_ecp_point p;
    mbedtls_ecp_point_init(&p);
    ok = mbedtls_ecp_point_read_binary(&grp[i], &p, point, len) == 0 && mbedtls_ecp_check_pubkey(&grp[i], &p) == 0;
    mbedtls_ecp_point_free(&p);
    return ok;
}
