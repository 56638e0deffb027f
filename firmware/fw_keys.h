/* SPDX-License-Identifier: Apache-2.0 */
/* The signing path of fw_keys.c, for its commands (fw_cmd_keys.c): it speaks
 * mbedTLS's ECDSA signature size. */
#ifndef FW_KEYS_H
#define FW_KEYS_H
#include "fw.h"
#include "mbedtls/ecdsa.h" /* MBEDTLS_ECDSA_MAX_LEN */

/** A key record's fields for a signature (pointing into the record). */
typedef struct {
    uint32_t key_type;
    const uint8_t *priv, *pub;
    size_t priv_len, pub_len;
} fw_sign_job;
/* A signature made but not yet returned: raw as the link carries it, and
 * for ECDSA the DER ECDSA-Sig-Value the certificate will carry. */
typedef struct {
    uint8_t raw[512], der[MBEDTLS_ECDSA_MAX_LEN];
    size_t raw_len, der_len;
} fw_sig_out;

/** "Allowed to sign": checked again right before the private key is used. */
#define FW_SIGN_ALLOWED 0x5AA53CC3u
/** Points j into a key record (the store's buffer). */
int fw_key_fields(const uint8_t *b, size_t len, fw_sign_job *j);
/** Resolves a SIGN or AUTHORIZE request: key, mechanism, parameters and data
 * lengths into q, the key record's fields into j (valid until the next store
 * call). On a CA key q->key_id is its SPKI's SHA-256. */
int fw_sign_resolve(fw_req *r, fw_sign_job *j, fw_sign_req *q);
/** Signs with the key in j into so; allow and verdict are checked once more
 * right before the private key is used. */
int fw_key_sign(const fw_sign_job *j, const fw_sign_req *q, const volatile uint32_t *allow,
                const volatile uint32_t *verdict, fw_sig_out *so);

#endif
