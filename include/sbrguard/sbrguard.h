/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file sbrguard.h
 * @brief libsbrguard: the host-side client of the sbrguard token.
 *
 * One sg_client is one link connection to the token; login state lives on
 * the token per connection. A client is not thread-safe: callers serialize
 * (the PKCS#11 module holds a mutex around every call).
 *
 * Every function returns SG_OK (0) or a negative SG_E_* code. Token refusals
 * are SG_E_TOKEN with the token's status in sg_last_status() and an optional
 * detail string in sg_last_message().
 */
#ifndef SBRGUARD_H
#define SBRGUARD_H

#include <stddef.h>
#include <stdint.h>
#include "sbrguard/proto.h"

#ifdef __cplusplus
extern "C" {
#endif

enum sg_error {
    SG_OK = 0,
    SG_E_CONNECT = -1,   /**< the token's socket cannot be reached */
    SG_E_IO = -2,        /**< the link failed mid-request (token gone) */
    SG_E_PROTOCOL = -3,  /**< the token sent something we cannot parse */
    SG_E_TOKEN = -4,     /**< the token answered with an error status */
    SG_E_ARGS = -5,      /**< caller error: bad argument or too long */
    SG_E_BUFFER = -6,    /**< output buffer too small (needed length is returned) */
    SG_E_NOMEM = -7,
};

typedef struct sg_client sg_client;

/** Token information (SG_CMD_INFO). */
typedef struct {
    uint8_t fw_major, fw_minor;
    char serial[SG_SERIAL_LEN + 1];
    char label[SG_MAX_LABEL + 1];
    uint32_t flags;        /**< SG_TF_* */
    uint8_t user_tries, so_tries;
    uint16_t free_slots, total_slots;
    uint64_t time;
    uint32_t max_payload;
    uint8_t login_state;   /**< SG_LOGIN_* of this connection */
} sg_info;

/** One object as listed by the token. */
typedef struct {
    uint16_t handle;
    uint8_t cls;           /**< SG_CLASS_* */
    uint32_t flags;        /**< SG_OBJ_* */
} sg_list_entry;

/** One object's attributes. Pointers refer into the sg_object's own buffer. */
typedef struct {
    uint16_t handle;
    uint8_t cls, key_type;
    uint16_t key_bits;
    uint32_t flags;
    uint16_t bound_key;    /**< certificate: key it is bound to, else 0 */
    const uint8_t *id; size_t id_len;
    const uint8_t *label; size_t label_len;
    const uint8_t *pubkey; size_t pubkey_len;   /**< keys: SPKI DER */
    const uint8_t *value; size_t value_len;     /**< certs and data */
    const uint8_t *application; size_t application_len;
    const uint8_t *host_attrs; size_t host_attrs_len;
    uint8_t buf[SG_MAX_PAYLOAD];
} sg_object;

/** Signing mechanism with its optional PSS parameters. */
typedef struct {
    uint32_t mech;         /**< SG_MECH_* */
    uint32_t pss_hash, pss_mgf, pss_slen;
    int has_pss;
} sg_mech;

/**
 * Socket path of the token: $SBRGUARD_SOCKET, else `socket = PATH` from the
 * config file ($SBRGUARD_CONF, else ~/.config/sbrguard/sbrguard.conf, else
 * /etc/sbrguard/sbrguard.conf), else $SBRGUARD_HOME/token.sock (default
 * SBRGUARD_HOME: ~/.sbrguard). Writes at most cap bytes including the NUL.
 */
int sg_socket_path(char *out, size_t cap);

/** Connects to the token at path (NULL: sg_socket_path()). */
int sg_connect(sg_client **out, const char *path);
void sg_free(sg_client *c);

/** Token status of the last SG_E_TOKEN result, detail message (may be ""). */
int sg_last_status(const sg_client *c);
const char *sg_last_message(const sg_client *c);
/** Short stable name of an sg_error or token status, for messages. */
const char *sg_strerror(int err);
const char *sg_status_name(int status);

/**
 * Raw request: sends cmd with payload, waits for the response. On success
 * *status holds the token status and resp, *resp_len the payload.
 */
int sg_transact(sg_client *c, uint8_t cmd, const uint8_t *req, size_t req_len,
                uint8_t *status, uint8_t *resp, size_t resp_cap, size_t *resp_len);

int sg_get_info(sg_client *c, sg_info *info);
int sg_init_token(sg_client *c, const char *so_pin, size_t so_pin_len, const char *label);
int sg_login(sg_client *c, int user_type, const char *pin, size_t pin_len);
int sg_logout(sg_client *c);
int sg_init_pin(sg_client *c, const char *pin, size_t pin_len);
int sg_set_pin(sg_client *c, int user_type, const char *old_pin, size_t old_len,
               const char *new_pin, size_t new_len);

/**
 * Generates a key pair on the token. flags: SG_OBJ_CA to reserve it as a CA
 * key. host_attrs is an opaque blob the token stores for the caller.
 * pubkey (SPKI DER) may be NULL.
 */
int sg_generate_key(sg_client *c, int key_type, const uint8_t *id, size_t id_len,
                    const char *label, uint32_t flags,
                    const uint8_t *host_attrs, size_t host_attrs_len,
                    uint16_t *handle, uint8_t *pubkey, size_t *pubkey_len);

/** Lists objects; *n in: capacity of out, out: number of objects. */
int sg_list(sg_client *c, sg_list_entry *out, size_t *n);
int sg_get_object(sg_client *c, uint16_t handle, sg_object *obj);

/** Creates a certificate or data object (cls = SG_CLASS_CERT / SG_CLASS_DATA). */
int sg_create_object(sg_client *c, int cls, const uint8_t *value, size_t value_len,
                     const uint8_t *id, size_t id_len, const char *label,
                     const uint8_t *application, size_t application_len, uint32_t flags,
                     const uint8_t *host_attrs, size_t host_attrs_len, uint16_t *handle);
int sg_destroy_object(sg_client *c, uint16_t handle);

/** Binds CA certificate cert (DER) to key; the key becomes a CA key. */
int sg_bind_ca(sg_client *c, uint16_t key, const uint8_t *cert, size_t cert_len,
               const char *label, const uint8_t *host_attrs, size_t host_attrs_len,
               uint16_t *cert_handle);

/**
 * Signs data with key. *sig_len in: capacity, out: signature length.
 * Returns SG_E_BUFFER with the needed length in *sig_len if sig is too small
 * (the signature is then lost: size sig for the key, see sg_signature_len()).
 */
int sg_sign(sg_client *c, uint16_t key, const sg_mech *mech, const uint8_t *data,
            size_t data_len, uint8_t *sig, size_t *sig_len);

/** A pre-authorization granted by the token (SG_CMD_AUTHORIZE). */
typedef struct {
    uint32_t raw_mech;     /**< the raw mechanism that may sign once: SG_MECH_ECDSA, _RSA_PKCS, _RSA_PKCS_PSS */
    uint8_t data[96];      /**< exactly what that signature must be given: the TBS's digest,
                                for SG_MECH_RSA_PKCS its DigestInfo */
    size_t data_len;
    uint64_t expires;      /**< token time (seconds since 1970) after which it lapses */
} sg_authz;

/**
 * Submits a TBSCertificate for CA key `key` with the hash-and-sign mechanism
 * whose signature it announces (e.g. SG_MECH_ECDSA_SHA256; PSS with its
 * parameters). If the policy accepts it, the token allows exactly one raw
 * signature (out->raw_mech over out->data) with that key, on this connection
 * only, within SG_AUTHZ_WINDOW seconds; a new authorization replaces it.
 * A refusal is SG_E_TOKEN with SG_ST_POLICY_REJECTED and sg_last_reasons().
 * out may be NULL.
 */
int sg_authorize(sg_client *c, uint16_t key, const sg_mech *mech, const uint8_t *tbs,
                 size_t tbs_len, sg_authz *out);

/** One reason of a policy refusal. */
typedef struct {
    char code[96];         /**< stable code, e.g. "sbr.7.1.2.3.eku.prohibited" */
    char section[32];      /**< SBR section, e.g. "7.1.2.3(f)"; may be "" */
} sg_reason;

/**
 * Reasons the token gave for refusing the last request on c (one per policy
 * finding, SG_T_REASON). Fills at most cap entries of out (may be NULL) and
 * returns how many the token sent; 0 if the last request was not refused.
 * Valid until the next request on c.
 */
size_t sg_last_reasons(const sg_client *c, sg_reason *out, size_t cap);

/** Signature length for a key type (ECDSA r||s, RSA modulus), 0 if unknown. */
size_t sg_signature_len(int key_type);
/** Key size in bits for a key type, 0 if unknown. */
unsigned sg_key_bits(int key_type);

int sg_random(sg_client *c, uint8_t *out, size_t len);

/* TLV helpers, shared by the module and the CLI. */

/** Appends tag/len/value at *off; returns SG_E_BUFFER if it does not fit. */
int sg_tlv_put(uint8_t *buf, size_t cap, size_t *off, uint8_t tag,
               const void *val, size_t len);
/**
 * Finds the first TLV with tag in a payload; SG_E_PROTOCOL if the payload is
 * malformed, SG_E_ARGS if absent.
 */
int sg_tlv_find(const uint8_t *p, size_t len, uint8_t tag, const uint8_t **val,
                size_t *val_len);

#ifdef __cplusplus
}
#endif
#endif
