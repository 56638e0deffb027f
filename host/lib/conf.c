/* SPDX-License-Identifier: Apache-2.0 */
/* Where the token is: environment, config file (`socket`, `board`,
 * `firmware`), default. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sbrguard/sbrguard.h"

static int copy_out(char *out, size_t cap, const char *a, const char *b)
{
    int n = snprintf(out, cap, "%s%s", a, b ? b : "");
    return (n < 0 || (size_t)n >= cap) ? SG_E_ARGS : SG_OK;
}

/* Reads `key = VALUE` from a config file; '#' starts a comment. */
static int conf_key(const char *file, const char *key, char *out, size_t cap)
{
    FILE *f = fopen(file, "r");
    if (!f)
        return SG_E_ARGS;
    char line[1024];
    size_t kl = strlen(key);
    int rc = SG_E_ARGS;
    while (rc != SG_OK && fgets(line, sizeof line, f)) {
        char *p = line, *e;
        while (isspace((unsigned char)*p))
            p++;
        if (strncmp(p, key, kl) != 0)
            continue;
        p += kl;
        while (isspace((unsigned char)*p))
            p++;
        if (*p++ != '=')
            continue;
        while (isspace((unsigned char)*p))
            p++;
        e = p + strcspn(p, "#\r\n");
        while (e > p && isspace((unsigned char)e[-1]))
            e--;
        *e = 0;
        if (*p)
            rc = copy_out(out, cap, p, NULL);
    }
    fclose(f);
    return rc;
}
static int conf_socket(const char *file, char *out, size_t cap) { return conf_key(file, "socket", out, cap); }

int sg_conf_get(const char *key, char *out, size_t cap)
{
    const char *env = getenv("SBRGUARD_CONF"), *home = getenv("HOME");
    char file[1024];
    if (env && *env)
        return conf_key(env, key, out, cap);
    if (home && snprintf(file, sizeof file, "%s/.config/sbrguard/sbrguard.conf", home) < (int)sizeof file &&
        conf_key(file, key, out, cap) == SG_OK)
        return SG_OK;
    return conf_key("/etc/sbrguard/sbrguard.conf", key, out, cap);
}

int sg_board(char *out, size_t cap)
{
    const char *env = getenv("SBRGUARD_BOARD");
    if (env && *env)
        return copy_out(out, cap, env, NULL);
    if (sg_conf_get("board", out, cap) == SG_OK)
        return SG_OK;
    return copy_out(out, cap, "sim", NULL);
}

int sg_socket_path(char *out, size_t cap)
{
    const char *env = getenv("SBRGUARD_SOCKET");
    if (env && *env)
        return copy_out(out, cap, env, NULL);
    const char *home = getenv("HOME");
    char file[1024];
    env = getenv("SBRGUARD_CONF");
    if (env && *env)
        return conf_socket(env, out, cap);
    if (home && snprintf(file, sizeof file, "%s/.config/sbrguard/sbrguard.conf", home) < (int)sizeof file
        && conf_socket(file, out, cap) == SG_OK)
        return SG_OK;
    if (conf_socket("/etc/sbrguard/sbrguard.conf", out, cap) == SG_OK)
        return SG_OK;
    env = getenv("SBRGUARD_HOME");
    if (env && *env)
        return copy_out(out, cap, env, "/token.sock");
    if (!home)
        return SG_E_ARGS;
    return copy_out(out, cap, home, "/.sbrguard/token.sock");
}
