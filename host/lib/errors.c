/* SPDX-License-Identifier: Apache-2.0 */
/* Names of library errors and token statuses, for messages. */
#include "sbrguard/sbrguard.h"
#include "sbrguard/blocklist.h"
#include "sbrguard/bundle.h"

const char *sg_strerror(int err)
{
    switch (err) {
    case SG_OK: return "ok";
    case SG_E_CONNECT: return "cannot reach the token (is it started? see `sbrguard token status`)";
    case SG_E_IO: return "link to the token failed";
    case SG_E_PROTOCOL: return "malformed response from the token";
    case SG_E_TOKEN: return "refused by the token";
    case SG_E_ARGS: return "invalid argument";
    case SG_E_BUFFER: return "buffer too small";
    case SG_E_NOMEM: return "out of memory";
    case SG_E_BUSY: return "token busy: every connection is in use (retry later)";
    default: return "unknown error";
    }
}

static const char *const status_names[] = {
    [SG_ST_OK] = "ok",
    [SG_ST_FRAME] = "malformed frame",
    [SG_ST_VERSION] = "unsupported protocol version",
    [SG_ST_TOO_LARGE] = "frame too large",
    [SG_ST_UNKNOWN_CMD] = "unknown command",
    [SG_ST_ARGS] = "invalid arguments",
    [SG_ST_NOT_INITIALIZED] = "token not initialized",
    [SG_ST_PIN_INCORRECT] = "PIN incorrect",
    [SG_ST_PIN_LOCKED] = "PIN locked",
    [SG_ST_NOT_LOGGED_IN] = "not logged in",
    [SG_ST_ALREADY_LOGGED_IN] = "already logged in",
    [SG_ST_OTHER_USER_LOGGED_IN] = "another user is logged in",
    [SG_ST_NO_OBJECT] = "no such object",
    [SG_ST_MECHANISM] = "mechanism not supported for this key",
    [SG_ST_MECH_PARAM] = "invalid mechanism parameters",
    [SG_ST_KEY_TYPE] = "unsupported key type",
    [SG_ST_DATA_LEN] = "data length out of range",
    [SG_ST_NO_SPACE] = "token storage full",
    [SG_ST_FLASH] = "token storage failure",
    [SG_ST_CRYPTO] = "cryptographic operation failed",
    [SG_ST_POLICY_REJECTED] = "rejected by policy",
    [SG_ST_PIN_LEN] = "PIN length out of range",
    [SG_ST_USER_PIN_NOT_SET] = "user PIN not initialized",
    [SG_ST_CERT_MISMATCH] = "certificate does not match the key",
    [SG_ST_PROHIBITED] = "action prohibited",
    [SG_ST_TIMEOUT] = "frame timeout",
    [SG_ST_INTERNAL] = "internal token error",
    [SG_ST_LOG_FULL] = "enforcement log full",
    [SG_ST_LOG_PRUNED] = "log entries freed by acknowledgement",
    [SG_ST_LOG_CORRUPT] = "enforcement log failed its integrity check",
    [SG_ST_BUNDLE_SIGNATURE] = "policy bundle signature does not verify",
    [SG_ST_BUNDLE_ROLLBACK] = "policy bundle version not above the loaded one (rollback)",
    [SG_ST_BUNDLE_MALFORMED] = "malformed policy bundle",
    [SG_ST_NO_POLICY_KEY] = "token initialized without a policy key",
    [SG_ST_ESCROW_REFUSED] = "refused by the escrow rules",
    [SG_ST_BUNDLE_TOO_LARGE] = "policy bundle too large",
    [SG_ST_BLOCKLIST_SIGNATURE] = "blocklist signature does not verify",
    [SG_ST_BLOCKLIST_ROLLBACK] = "blocklist sequence not above the loaded one (rollback)",
    [SG_ST_BLOCKLIST_MALFORMED] = "malformed blocklist (format, order, truncation or piece order)",
    [SG_ST_BLOCKLIST_TOO_LARGE] = "blocklist above the token's capacity",
    [SG_ST_RESET] = "token reset",
    [SG_ST_BUSY] = "token busy",
};

const char *sg_status_name(int status)
{
    if (status < 0 || (size_t)status >= sizeof status_names / sizeof *status_names || !status_names[status])
        return "unknown status";
    return status_names[status];
}
