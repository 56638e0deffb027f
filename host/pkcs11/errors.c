/* SPDX-License-Identifier: Apache-2.0 */
/* The one table from libsbrguard errors (SG_E_*, negative) and token
 * statuses (SG_ST_*, positive) to CKR_*, and what is told of an error
 * (note.c). Whether the link went is for the caller (p11_check, conn.c). */
#include <stdio.h>
#include <string.h>
#include "p11.h"

struct p11_errmap {
    int code;
    CK_RV rv;
    uint8_t link; /* the link is no longer usable: drop the connection */
};

static const struct p11_errmap p11_errors[] = {
    {SG_OK, CKR_OK, 0},
    {SG_E_CONNECT, CKR_DEVICE_ERROR, 1},
    {SG_E_IO, CKR_DEVICE_ERROR, 1},
    {SG_E_PROTOCOL, CKR_DEVICE_ERROR, 1},
    {SG_E_ARGS, CKR_ARGUMENTS_BAD, 0},
    {SG_E_BUFFER, CKR_GENERAL_ERROR, 0}, /* the module sizes its buffers */
    {SG_E_NOMEM, CKR_HOST_MEMORY, 0},
    {SG_E_BUSY, CKR_DEVICE_ERROR, 1},
    /* Link-level statuses: the token resets the link after them. */
    {SG_ST_FRAME, CKR_DEVICE_ERROR, 1},
    {SG_ST_VERSION, CKR_DEVICE_ERROR, 1},
    {SG_ST_TOO_LARGE, CKR_DEVICE_ERROR, 1},
    {SG_ST_TIMEOUT, CKR_DEVICE_ERROR, 1},
    {SG_ST_UNKNOWN_CMD, CKR_FUNCTION_NOT_SUPPORTED, 0},
    {SG_ST_ARGS, CKR_ARGUMENTS_BAD, 0},
    {SG_ST_NOT_INITIALIZED, CKR_TOKEN_NOT_RECOGNIZED, 0},
    {SG_ST_PIN_INCORRECT, CKR_PIN_INCORRECT, 0},
    {SG_ST_PIN_LOCKED, CKR_PIN_LOCKED, 0},
    {SG_ST_NOT_LOGGED_IN, CKR_USER_NOT_LOGGED_IN, 0},
    {SG_ST_ALREADY_LOGGED_IN, CKR_USER_ALREADY_LOGGED_IN, 0},
    {SG_ST_OTHER_USER_LOGGED_IN, CKR_USER_ANOTHER_ALREADY_LOGGED_IN, 0},
    {SG_ST_NO_OBJECT, CKR_OBJECT_HANDLE_INVALID, 0},
    {SG_ST_MECHANISM, CKR_MECHANISM_INVALID, 0},
    {SG_ST_MECH_PARAM, CKR_MECHANISM_PARAM_INVALID, 0},
    {SG_ST_KEY_TYPE, CKR_KEY_TYPE_INCONSISTENT, 0},
    {SG_ST_DATA_LEN, CKR_DATA_LEN_RANGE, 0},
    {SG_ST_NO_SPACE, CKR_DEVICE_MEMORY, 0},
    {SG_ST_FLASH, CKR_DEVICE_ERROR, 0},
    {SG_ST_CRYPTO, CKR_FUNCTION_FAILED, 0},
    {SG_ST_POLICY_REJECTED, CKR_FUNCTION_REJECTED, 0},
    {SG_ST_PIN_LEN, CKR_PIN_LEN_RANGE, 0},
    {SG_ST_USER_PIN_NOT_SET, CKR_USER_PIN_NOT_INITIALIZED, 0},
    {SG_ST_CERT_MISMATCH, CKR_ATTRIBUTE_VALUE_INVALID, 0},
    {SG_ST_PROHIBITED, CKR_ACTION_PROHIBITED, 0},
    {SG_ST_INTERNAL, CKR_DEVICE_ERROR, 0},
    {SG_ST_LOG_FULL, CKR_DEVICE_MEMORY, 0},
    {SG_ST_LOG_PRUNED, CKR_DATA_INVALID, 0},
    {SG_ST_LOG_CORRUPT, CKR_DEVICE_ERROR, 0},
};

/* One line for what every user should see: a connection that cannot be
 * made (busy, unreachable) or a policy refusal with its reason codes. */
static void p11_tell(int sgrv, int code, const char *what)
{
    if (sgrv == SG_E_BUSY) {
        const char *d = sg_connect_detail();
        p11_note("%s: token busy%s%s (CKR_DEVICE_ERROR)", what, *d ? ": " : "", d);
    } else if (sgrv == SG_E_CONNECT) {
        p11_note("%s: cannot reach the token at %s (CKR_DEVICE_ERROR)", what, p11_g.socket);
    } else if (sgrv == SG_E_TOKEN && code == SG_ST_POLICY_REJECTED) {
        p11_note("%s: refused by the token's policy: %s (CKR_FUNCTION_REJECTED)", what, p11_g.refusal);
    }
}

/* The last refusal's reason codes, "code [SBR s], ..." (p11_g.refusal). */
static void p11_refusal_keep(const sg_client *c)
{
    sg_reason r[16];
    size_t n = sg_last_reasons(c, r, 16), off = 0;
    const char *m = sg_last_message(c);
    p11_g.refusal[0] = 0;
    for (size_t i = 0; i < n && i < 16; i++) {
        int w = snprintf(p11_g.refusal + off, sizeof p11_g.refusal - off, "%s%s [SBR %s]", i ? ", " : "", r[i].code,
                         *r[i].section ? r[i].section : "-");
        if (w < 0 || (size_t)w >= sizeof p11_g.refusal - off)
            break;
        off += (size_t)w;
    }
    if (!off && m && *m)
        snprintf(p11_g.refusal, sizeof p11_g.refusal, "%s", m);
    p11_g.refusal_seq++;
}

CK_RV p11_rv(int sgrv, const char *what, int *link_broken)
{
    *link_broken = 0;
    if (sgrv == SG_OK)
        return CKR_OK;
    int code = sgrv;
    if (sgrv == SG_E_TOKEN)
        code = p11_g.client ? sg_last_status(p11_g.client) : SG_ST_INTERNAL;
    const struct p11_errmap *m = NULL;
    for (size_t i = 0; i < sizeof(p11_errors) / sizeof(p11_errors[0]); i++) {
        if (p11_errors[i].code == code) {
            m = &p11_errors[i];
            break;
        }
    }
    /* An unknown status is from a newer token; an unknown error a bug. */
    CK_RV rv = m ? m->rv : (code > 0 ? CKR_DEVICE_ERROR : CKR_GENERAL_ERROR);
    if (sgrv == SG_E_TOKEN && code == SG_ST_POLICY_REJECTED && p11_g.client)
        p11_refusal_keep(p11_g.client);
    if (!p11_debug())
        p11_tell(sgrv, code, what);
    if (p11_debug()) {
        const char *d = sgrv == SG_E_BUSY ? sg_connect_detail() : "";
        const char *msg = sgrv == SG_E_TOKEN && p11_g.client ? sg_last_message(p11_g.client) : "";
        if (*d)
            msg = d;
        fprintf(stderr, "sbrguard-pkcs11: %s: %s%s%s -> CKR 0x%lx\n", what,
                sgrv == SG_E_TOKEN ? sg_status_name(code) : sg_strerror(code),
                msg && *msg ? ": " : "", msg ? msg : "", (unsigned long)rv);
        /* A policy refusal: every reason code with its SBR section. */
        sg_reason r[16];
        size_t n = sgrv == SG_E_TOKEN && p11_g.client ? sg_last_reasons(p11_g.client, r, 16) : 0;
        for (size_t i = 0; i < n && i < 16; i++)
            fprintf(stderr, "sbrguard-pkcs11:   reason %s [SBR %s]\n", r[i].code, *r[i].section ? r[i].section : "-");
        if (n > 16)
            fprintf(stderr, "sbrguard-pkcs11:   (%zu more reasons)\n", n - 16);
    }
    *link_broken = m && m->link;
    return rv;
}
