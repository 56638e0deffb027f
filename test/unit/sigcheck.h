/* SPDX-License-Identifier: Apache-2.0 */
/* Verifies the token's signatures with mbedTLS: ECDSA r||s (converted to
 * DER), RSA PKCS#1 v1.5, or RSA-PSS with a given salt length. */
#ifndef SIGCHECK_H
#define SIGCHECK_H
#include <string.h>
#include "mbedtls/md.h"
#include "mbedtls/pk.h"
#include "mbedtls/rsa.h"

/* pss_slen < 0: not PSS. 1 if sig is a valid signature of hash. */
static inline int sig_verify_hash(const uint8_t *spki, size_t spki_len, mbedtls_md_type_t md, const uint8_t *hash,
                                  const uint8_t *sig, size_t sig_len, int pss_slen)
{
    mbedtls_pk_context pk;
    uint8_t der[160];
    size_t hl = mbedtls_md_get_size(mbedtls_md_info_from_type(md));
    int ok = 0;
    mbedtls_pk_init(&pk);
    if (mbedtls_pk_parse_public_key(&pk, spki, spki_len) == 0) {
        if (mbedtls_pk_get_type(&pk) == MBEDTLS_PK_ECKEY) {
            size_t n = sig_len / 2, off = 3;
            der[0] = 0x30;
            der[1] = 0x81;
            for (int i = 0; i < 2 && n <= 66; i++) {
                der[off++] = 0x02;
                der[off++] = (uint8_t)(n + 1);
                der[off++] = 0;
                memcpy(der + off, sig + i * n, n);
                off += n;
            }
            der[2] = (uint8_t)(off - 3);
            ok = n <= 66 && mbedtls_pk_verify(&pk, md, hash, hl, der, off) == 0;
        } else if (pss_slen >= 0) {
            mbedtls_rsa_context *rsa = mbedtls_pk_rsa(pk);
            mbedtls_rsa_set_padding(rsa, MBEDTLS_RSA_PKCS_V21, md);
            ok = mbedtls_rsa_rsassa_pss_verify_ext(rsa, md, (unsigned)hl, hash, md, pss_slen, sig) == 0;
        } else {
            ok = mbedtls_pk_verify(&pk, md, hash, hl, sig, sig_len) == 0;
        }
    }
    mbedtls_pk_free(&pk);
    return ok;
}

/* The same over a message, hashed with md first. */
static inline int sig_verify_msg(const uint8_t *spki, size_t spki_len, mbedtls_md_type_t md, const uint8_t *msg,
                                 size_t msg_len, const uint8_t *sig, size_t sig_len, int pss_slen)
{
    uint8_t hash[64];
    return mbedtls_md(mbedtls_md_info_from_type(md), msg, msg_len, hash) == 0 &&
           sig_verify_hash(spki, spki_len, md, hash, sig, sig_len, pss_slen);
}

#endif
