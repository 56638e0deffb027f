/* SPDX-License-Identifier: Apache-2.0 */
/* SBR 6.1.5 EC public-key validation on both boards' engines: the sim's
 * OpenSSL (linked as the board) and mps2-an386's mbedTLS
 * (boards/common/hal_crypto_mbedtls.c, compiled here a second time under
 * other names) must decide alike on every point, valid or not. The points
 * are made here: a fresh key's, its negation (valid), and each broken in one
 * way (off the curve, a coordinate of p, zero, another form or length). */
#include <stdio.h>
#include <string.h>
#include "check.h"

#include "hal_boards.h"

static const struct {
    uint32_t kt;
    const char *name;
    size_t n;         /* coordinate bytes */
    uint8_t p[66];    /* the field prime, big-endian in n bytes */
} curves[] = {
    { SG_KEY_EC_P256, "P-256", 32,
      { 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } },
    { SG_KEY_EC_P384, "P-384", 48,
      { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
        0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff } },
    { SG_KEY_EC_P521, "P-521", 66, { 0x01 } }, /* 2^521 - 1: filled in main */
};

/* a = m - a over n big-endian bytes (a < m). */
static void sub_from(const uint8_t *m, uint8_t *a, size_t n)
{
    int borrow = 0;
    for (size_t i = n; i--;) {
        int d = m[i] - a[i] - borrow;
        borrow = d < 0;
        a[i] = (uint8_t)d;
    }
}

/* Both engines' verdicts on one point: 1 valid, 0 refused, -1 they differ. */
static int verdict(uint32_t kt, const uint8_t *pt, size_t len)
{
    int ossl = hal_crypto_ec_point_check(kt, pt, len) == HAL_CRYPTO_OK;
    int mbed = mbed_ec_point_check(kt, pt, len) == HAL_CRYPTO_OK;
    return ossl == mbed ? ossl : -1;
}

int main(void)
{
    static uint8_t p521[66];
    memset(p521 + 1, 0xff, 65);
    p521[0] = 0x01;
    for (size_t c = 0; c < sizeof curves / sizeof *curves; c++) {
        uint8_t priv[256], pub[256], pt[1 + 2 * 66], bad[sizeof pt];
        size_t pl, ul, n = curves[c].n, len = 1 + 2 * n;
        const uint8_t *p = curves[c].kt == SG_KEY_EC_P521 ? p521 : curves[c].p;
        const char *nm = curves[c].name;
        if (hal_crypto_keygen(curves[c].kt, priv, sizeof priv, &pl, pub, sizeof pub, &ul) || ul < len) {
            CHECK(0, "%s: key generation", nm);
            continue;
        }
        memcpy(pt, pub + sizeof pub - len, len); /* the SPKI ends with the BIT STRING's point */
        CHECK(pt[0] == 0x04, "%s: the SPKI carries an uncompressed point", nm);
        CHECK(verdict(curves[c].kt, pt, len) == 1, "%s: a fresh key's point is valid on both engines", nm);

        memcpy(bad, pt, len);
        sub_from(p, bad + 1 + n, n);
        CHECK(verdict(curves[c].kt, bad, len) == 1, "%s: its negation (x, p - y) is valid on both", nm);

        memcpy(bad, pt, len);
        bad[len - 1] ^= 1;
        CHECK(verdict(curves[c].kt, bad, len) == 0, "%s: y changed in its last bit: off the curve on both", nm);

        memcpy(bad, pt, len);
        memcpy(bad + 1, p, n);
        CHECK(verdict(curves[c].kt, bad, len) == 0, "%s: x = p (not reduced): refused on both", nm);

        memcpy(bad, pt, len);
        memcpy(bad + 1 + n, p, n);
        CHECK(verdict(curves[c].kt, bad, len) == 0, "%s: y = p (not reduced): refused on both", nm);

        memset(bad, 0, len);
        bad[0] = 0x04;
        CHECK(verdict(curves[c].kt, bad, len) == 0, "%s: 04 with zero coordinates: refused on both", nm);

        memcpy(bad, pt, len);
        bad[0] = 0x02 | (pt[len - 1] & 1);
        CHECK(verdict(curves[c].kt, bad, 1 + n) == 0, "%s: the compressed form: refused on both", nm);
        bad[0] = 0x06;
        CHECK(verdict(curves[c].kt, bad, len) == 0, "%s: the hybrid form: refused on both", nm);

        CHECK(verdict(curves[c].kt, pt, len - 1) == 0, "%s: one byte short: refused on both", nm);
        bad[0] = 0x00;
        CHECK(verdict(curves[c].kt, bad, 1) == 0, "%s: the point at infinity (00): refused on both", nm);

        uint32_t other = curves[c].kt == SG_KEY_EC_P256 ? SG_KEY_EC_P384 : SG_KEY_EC_P256;
        CHECK(verdict(other, pt, len) == 0, "%s: the point under another curve's type: refused on both", nm);
    }
    CHECK(verdict(SG_KEY_RSA_2048, (const uint8_t *)"\x04", 1) == 0, "an RSA key type: refused on both");
    return CHECK_DONE();
}
