/* SPDX-License-Identifier: Apache-2.0 */
/* What the module tells: one line per refusal or connection failure to
 * stderr or syslog (p11_note), everything with SBRGUARD_P11_DEBUG=1; and
 * blank-padded PKCS#11 text fields. Calls no other file of the module. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include "p11.h"

static int p11_debug_on = -1;

int p11_debug(void)
{
    if (p11_debug_on < 0) {
        const char *e = getenv("SBRGUARD_P11_DEBUG");
        p11_debug_on = e && *e && strcmp(e, "0") != 0;
    }
    return p11_debug_on;
}

void p11_pad(unsigned char *dst, size_t cap, const char *s, size_t len)
{
    memset(dst, ' ', cap);
    memcpy(dst, s, len < cap ? len : cap);
}

/* Where refusals and connection failures are told without
 * SBRGUARD_P11_DEBUG: the config's `p11-log = stderr|syslog|off`
 * (default stderr), read once per process. */
enum { P11_LOG_UNSET = -1, P11_LOG_OFF, P11_LOG_STDERR, P11_LOG_SYSLOG };
static int p11_log_mode = P11_LOG_UNSET;

static int p11_log_get(void)
{
    if (p11_log_mode == P11_LOG_UNSET) {
        char v[16];
        p11_log_mode = P11_LOG_STDERR;
        if (sg_conf_get("p11-log", v, sizeof v) == SG_OK) {
            if (!strcmp(v, "off"))
                p11_log_mode = P11_LOG_OFF;
            else if (!strcmp(v, "syslog"))
                p11_log_mode = P11_LOG_SYSLOG;
        }
    }
    return p11_log_mode;
}

void p11_note(const char *fmt, ...)
{
    char line[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    int m = p11_debug() ? P11_LOG_STDERR : p11_log_get();
    if (m == P11_LOG_STDERR)
        fprintf(stderr, "sbrguard-pkcs11: %s\n", line);
    else if (m == P11_LOG_SYSLOG)
        syslog(LOG_USER | LOG_NOTICE, "sbrguard-pkcs11: %s", line);
}
