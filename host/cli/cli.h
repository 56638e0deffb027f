/* SPDX-License-Identifier: Apache-2.0 */
/* sbrguard CLI internals. */
#ifndef CLI_H
#define CLI_H
#include <stddef.h>
#include <stdint.h>
#include "sbrguard/sbrguard.h"

/** Option parser: `--name value` pairs and `--flag` switches. */
typedef struct {
    int argc;
    char **argv;
} cli_args;

const char *cli_opt(const cli_args *a, const char *name);
int cli_flag(const cli_args *a, const char *name);
/** Rejects options not in the NULL-terminated list (flags end with '!'). */
int cli_check(const cli_args *a, const char *const *known);

int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** A verb's sub-commands: `sbrguard VERB NAME ...` runs fn with the rest. */
typedef struct {
    const char *name;
    int (*fn)(cli_args *a);
} cli_sub;
/** Runs the sub-command a->argv[0] names; a usage message without one, an
 * error for an unknown one (both list the names). */
int cli_subverb(const cli_args *a, const char *verb, const cli_sub *subs, size_t n);
int cli_token_fail(sg_client *c, int rc, const char *what);

/** SBRGUARD_HOME or ~/.sbrguard, created on demand. */
int cli_home(char *out, size_t cap);
int cli_connect(sg_client **c);
/** `--token LABEL|SERIAL` out of the verb's arguments: selects the one
 * configured token with that label or serial ($SBRGUARD_SOCKET from then
 * on); nonzero with a message if none or several match. */
int cli_token_option(cli_args *a);
int cli_token_select(const char *want);
/** `sbrguard token list`: every configured token, in slot order. */
int cli_token_list(void);
/** Logs in as the user with --pin or $SBRGUARD_PIN. */
int cli_login_user(sg_client *c, const cli_args *a);

uint8_t *cli_read_file(const char *path, size_t *len);
int cli_write_file(const char *path, const uint8_t *p, size_t len);
/** PEM (any label) or DER input to DER; returns a malloc'ed buffer. */
uint8_t *cli_read_der(const char *path, size_t *len);
int cli_write_pem(const char *path, const char *label, const uint8_t *der, size_t len);
int cli_hex_decode(const char *hex, uint8_t *out, size_t cap, size_t *len);
void cli_hex_print(const uint8_t *p, size_t len);
/** A time: seconds since 1970, YYYY-MM-DDTHH:MM:SSZ, or relative to base
 * as a sum of [+-]N[smhd] terms (e.g. "-398d-1s"); 0 on success. */
int cli_parse_time(const char *s, int64_t base, int64_t *out);
/** Short name of an attribute type OID ("CN", "O", "emailAddress", ...), or NULL. */
const char *cli_attr_name(const uint8_t *oid, size_t len);
/** Writes s to stdout as a JSON string (quoted, escaped). */
void cli_json_str(const char *s);

/** The SubjectPublicKeyInfo DER of a key file (public or private, PEM or DER; keyfile.c). */
int cli_va_spki(const char *path, uint8_t *out, size_t cap, size_t *len);

/* ---- token_util.c ---- */
/** Connects and logs in as the user (--pin or $SBRGUARD_PIN). */
int cli_open_user(const cli_args *a, sg_client **c);
/** Attaches --evidence FILE (DER or PEM) to the connection, if given. */
int cli_attach_evidence(const cli_args *a, sg_client *c);
/** --key HANDLE value. */
int cli_parse_handle(const char *s, uint16_t *h);
/** Mechanism by CLI name; PSS parameters from the name's hash (raw
 * rsa-pkcs-pss: from data_len) and salt (NULL: the hash length). */
int cli_mech(const char *name, const char *salt, size_t data_len, sg_mech *m);
/** r || s to ECDSA-Sig-Value DER (out: at least len + 9 bytes). */
size_t cli_ecdsa_der(const uint8_t *raw, size_t len, uint8_t *out);
/** Writes a signature: ECDSA as DER, RSA as is. */
int cli_write_sig(const char *out, const sg_mech *m, const uint8_t *sig, size_t sl);
/** After a policy refusal: every reason code with its SBR section, on stderr. */
void cli_print_reasons(const sg_client *c);
/** Logs in as the security officer with --so-pin or $SBRGUARD_SO_PIN. */
int cli_login_so(sg_client *c, const cli_args *a);

/* ---- verbs (cmd_*.c), called only by main.c ---- */

int cmd_token(cli_args *a);
int cmd_init(cli_args *a);
int cmd_keygen(cli_args *a);
int cmd_list(cli_args *a);
int cmd_cert(cli_args *a);
int cmd_sign(cli_args *a);
int cmd_lint(cli_args *a);
int cmd_authorize(cli_args *a);
int cmd_cert_assemble(cli_args *a);
int cmd_audit(cli_args *a);
int cmd_policy(cli_args *a);
int cmd_blocklist(cli_args *a);
int cmd_escrow(cli_args *a);
int cmd_evidence(cli_args *a);
/** evidence show (cmd_evidence_show.c). */
int cmd_evidence_show(cli_args *a);

#endif
