/* SPDX-License-Identifier: Apache-2.0 */
/* CLI helpers for key files (PEM or DER) read with mbedTLS, and the
 * random generator their signatures use. */
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include "cli.h"
#include "keyfile.h"

int cli_rng(void *ctx, unsigned char *out, size_t len) { return mbedtls_hmac_drbg_random(ctx, out, len); }

mbedtls_hmac_drbg_context *cli_drbg(void)
{
    static mbedtls_hmac_drbg_context d;
    static int ready;
    uint8_t seed[48];
    if (!ready) {
        mbedtls_hmac_drbg_init(&d);
        if (getrandom(seed, sizeof seed, 0) != (ssize_t)sizeof seed ||
            mbedtls_hmac_drbg_seed_buf(&d, mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), seed, sizeof seed))
            return NULL;
        ready = 1;
    }
    return &d;
}

/* A private key (PEM or DER: PKCS#8, SEC1, PKCS#1), or with pub_ok a
 * public key. */
int cli_key_load(const char *path, mbedtls_pk_context *pk, int pub_ok)
{
    size_t len;
    uint8_t *der = cli_read_der(path, &len);
    int rc = -1;
    mbedtls_pk_init(pk);
    if (!der)
        return -1;
    if (cli_drbg() && mbedtls_pk_parse_key(pk, der, len, NULL, 0, cli_rng, cli_drbg()) == 0)
        rc = 0;
    else if (pub_ok) {
        mbedtls_pk_free(pk);
        mbedtls_pk_init(pk);
        rc = mbedtls_pk_parse_public_key(pk, der, len) ? -1 : 0;
    }
    free(der);
    if (rc)
        cli_fail("%s: not a%s key (PEM or DER)", path, pub_ok ? "n EC or RSA" : "n EC or RSA private");
    return rc;
}

/* The SubjectPublicKeyInfo DER of a key. */
int cli_pk_spki(mbedtls_pk_context *pk, uint8_t *out, size_t cap, size_t *len)
{
    uint8_t tmp[2600];
    int n = mbedtls_pk_write_pubkey_der(pk, tmp, sizeof tmp);
    if (n <= 0 || (size_t)n > cap)
        return -1;
    memcpy(out, tmp + sizeof tmp - n, (size_t)n);
    *len = (size_t)n;
    return 0;
}

int cli_va_spki(const char *path, uint8_t *out, size_t cap, size_t *len)
{
    mbedtls_pk_context pk;
    int rc = cli_key_load(path, &pk, 1);
    if (!rc && cli_pk_spki(&pk, out, cap, len))
        rc = cli_fail("%s: cannot encode its public key", path);
    mbedtls_pk_free(&pk);
    return rc ? -1 : 0;
}
