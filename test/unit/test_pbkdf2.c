/* SPDX-License-Identifier: Apache-2.0 */
/* PBKDF2-HMAC-SHA256 of the PIN hash (firmware/fw_pbkdf2.c, on the board's
 * hal_md): RFC 7914 section 11's two vectors, and OpenSSL's
 * PKCS5_PBKDF2_HMAC as an independent implementation over the edges (empty,
 * block-sized and longer-than-a-block passwords, the HMAC key hash path;
 * outputs shorter than, equal to and spanning several SHA-256 blocks). */
#include <openssl/evp.h>
#include <string.h>
#include "check.h"
#include "fw.h"
#include "fw_pbkdf2.h"

static int unhex(const char *h, uint8_t *out)
{
    size_t n = strlen(h) / 2;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        if (sscanf(h + 2 * i, "%2x", &v) != 1)
            return -1;
        out[i] = (uint8_t)v;
    }
    return (int)n;
}

int main(void)
{
    static const struct {
        const char *pw, *salt;
        uint32_t iter;
        const char *dk;
    } rfc7914[] = {
        { "passwd", "salt", 1,
          "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783" },
        { "Password", "NaCl", 80000,
          "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d" },
    };
    for (size_t i = 0; i < 2; i++) {
        uint8_t want[64], got[64];
        int n = unhex(rfc7914[i].dk, want);
        int rc = fw_pbkdf2_sha256((const uint8_t *)rfc7914[i].pw, strlen(rfc7914[i].pw), (const uint8_t *)rfc7914[i].salt,
                                  strlen(rfc7914[i].salt), rfc7914[i].iter, got, sizeof got);
        CHECK(n == 64 && rc == FW_OK && !memcmp(got, want, 64), "RFC 7914 11: P=\"%s\" S=\"%s\" c=%u", rfc7914[i].pw,
              rfc7914[i].salt, rfc7914[i].iter);
    }
    static const size_t pw_lens[] = { 0, 1, 63, 64, 65, 200 }, out_lens[] = { 1, 20, 32, 33, 64, 100 };
    uint8_t pw[200], salt[16];
    for (size_t i = 0; i < sizeof pw; i++)
        pw[i] = (uint8_t)(i * 7 + 1);
    memset(salt, 0xa5, sizeof salt);
    for (size_t a = 0; a < sizeof pw_lens / sizeof *pw_lens; a++)
        for (size_t b = 0; b < sizeof out_lens / sizeof *out_lens; b++) {
            uint8_t got[100], want[100];
            size_t ol = out_lens[b];
            int rc = fw_pbkdf2_sha256(pw, pw_lens[a], salt, sizeof salt, 1000, got, ol);
            int ok = PKCS5_PBKDF2_HMAC((const char *)pw, (int)pw_lens[a], salt, sizeof salt, 1000, EVP_sha256(), (int)ol,
                                       want) == 1;
            CHECK(rc == FW_OK && ok && !memcmp(got, want, ol), "password of %zu bytes, %zu bytes out: as OpenSSL's",
                  pw_lens[a], ol);
        }
    uint8_t x[32];
    CHECK(fw_pbkdf2_sha256(pw, 8, salt, sizeof salt, 0, x, sizeof x) == FW_E_CRYPTO, "0 iterations: refused");
    return CHECK_DONE();
}
