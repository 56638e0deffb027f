/* SPDX-License-Identifier: Apache-2.0 */
/* Where the tokens are: environment, config file (`socket`, `token`,
 * `board`, `firmware`), default. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sbrguard/sbrguard.h"

static __thread char conf_detail[256];

const char *sg_conf_detail(void) { return conf_detail; }

static int copy_out(char *out, size_t cap, const char *a, const char *b)
{
    int n = snprintf(out, cap, "%s%s", a, b ? b : "");
    return (n < 0 || (size_t)n >= cap) ? SG_E_ARGS : SG_OK;
}

/* The value of a `key = VALUE` line ('#' starts a comment), NUL-terminated
 * in place; NULL if the line is not about key. */
static char *conf_line(char *line, const char *key)
{
    char *p = line, *e;
    size_t kl = strlen(key);
    while (isspace((unsigned char)*p))
        p++;
    if (strncmp(p, key, kl) != 0)
        return NULL;
    p += kl;
    while (isspace((unsigned char)*p))
        p++;
    if (*p++ != '=')
        return NULL;
    while (isspace((unsigned char)*p))
        p++;
    e = p + strcspn(p, "#\r\n");
    while (e > p && isspace((unsigned char)e[-1]))
        e--;
    *e = 0;
    return p;
}

/* Reads `key = VALUE` from a config file: the first non-empty one. */
static int conf_key(const char *file, const char *key, char *out, size_t cap)
{
    FILE *f = fopen(file, "r");
    if (!f)
        return SG_E_ARGS;
    char line[1024];
    int rc = SG_E_ARGS;
    while (rc != SG_OK && fgets(line, sizeof line, f)) {
        const char *v = conf_line(line, key);
        if (v && *v)
            rc = copy_out(out, cap, v, NULL);
    }
    fclose(f);
    return rc;
}

/* The config file that names the token: $SBRGUARD_CONF, else the first of
 * ~/.config/sbrguard/sbrguard.conf and /etc/sbrguard/sbrguard.conf with a
 * `socket` or `token` line. 0 if none does. */
static int conf_file_for_tokens(char *file, size_t cap)
{
    const char *env = getenv("SBRGUARD_CONF"), *home = getenv("HOME");
    char v[1024];
    if (env && *env)
        return copy_out(file, cap, env, NULL) == SG_OK;
    if (home && copy_out(file, cap, home, "/.config/sbrguard/sbrguard.conf") == SG_OK &&
        (conf_key(file, "socket", v, sizeof v) == SG_OK || conf_key(file, "token", v, sizeof v) == SG_OK))
        return 1;
    return copy_out(file, cap, "/etc/sbrguard/sbrguard.conf", NULL) == SG_OK &&
           (conf_key(file, "socket", v, sizeof v) == SG_OK || conf_key(file, "token", v, sizeof v) == SG_OK);
}

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

/* The default when no file names a token: $SBRGUARD_HOME/token.sock. */
static int default_socket(char *out, size_t cap)
{
    const char *env = getenv("SBRGUARD_HOME"), *home = getenv("HOME");
    if (env && *env)
        return copy_out(out, cap, env, "/token.sock");
    if (!home)
        return SG_E_ARGS;
    return copy_out(out, cap, home, "/.sbrguard/token.sock");
}

static int conf_fail(const char *file, unsigned line, const char *what)
{
    int n = snprintf(conf_detail, sizeof conf_detail, "%.160s:%u: %s", file, line, what);
    (void)n; /* a long file name is cut: the detail stays readable */
    return SG_E_ARGS;
}

/* One token's socket into the list: bounded, unique. */
static int token_add(char socks[][SG_SOCKET_MAX], size_t cap, size_t *n, const char *v,
                     const char *file, unsigned line)
{
    if (!*v)
        return conf_fail(file, line, "a token line without a socket path");
    if (strlen(v) >= SG_SOCKET_MAX)
        return conf_fail(file, line, "socket path longer than 107 bytes");
    for (size_t i = 0; i < *n; i++)
        if (!strcmp(socks[i], v))
            return conf_fail(file, line, "the same socket names two tokens");
    if (*n >= cap || *n >= SG_MAX_TOKENS)
        return conf_fail(file, line, "more tokens than the module serves (8)");
    memcpy(socks[*n], v, strlen(v) + 1);
    (*n)++;
    return SG_OK;
}

/* `socket = A` (the first, if any) is the first token, then each
 * `token = B` line in file order: two passes over the file. */
static int tokens_from_file(const char *file, char socks[][SG_SOCKET_MAX], size_t cap, size_t *n)
{
    FILE *f = fopen(file, "r");
    if (!f)
        return conf_fail(file, 0, "cannot read the config file");
    char line[1024];
    int rc = SG_OK;
    for (int pass = 0; pass < 2 && rc == SG_OK; pass++) {
        unsigned no = 0;
        int done = 0;
        rewind(f);
        while (rc == SG_OK && !done && fgets(line, sizeof line, f)) {
            no++;
            if (!strchr(line, '\n') && !feof(f))
                rc = conf_fail(file, no, "line longer than 1023 bytes");
            const char *v = rc == SG_OK ? conf_line(line, pass ? "token" : "socket") : NULL;
            if (v && (pass || *v)) {
                rc = token_add(socks, cap, n, v, file, no);
                done = !pass; /* only the first socket line counts */
            }
        }
    }
    fclose(f);
    return rc;
}

int sg_token_list(char socks[][SG_SOCKET_MAX], size_t cap, size_t *n)
{
    const char *env = getenv("SBRGUARD_SOCKET");
    char file[1024];
    *n = 0;
    conf_detail[0] = 0;
    if (cap == 0)
        return SG_E_ARGS;
    if (env && *env)
        return token_add(socks, cap, n, env, "SBRGUARD_SOCKET", 0);
    if (conf_file_for_tokens(file, sizeof file)) {
        int rc = tokens_from_file(file, socks, cap, n);
        if (rc != SG_OK || *n)
            return rc;
        if (getenv("SBRGUARD_CONF") && *getenv("SBRGUARD_CONF"))
            return conf_fail(file, 0, "no `socket` or `token` line");
    }
    int rc = default_socket(socks[0], SG_SOCKET_MAX);
    if (rc != SG_OK)
        return conf_fail("default", 0, "no socket path ($SBRGUARD_HOME or $HOME too long or unset)");
    *n = 1;
    return SG_OK;
}

/* The first token of sg_token_list: one reading of the environment and the
 * config file for every caller, with the same refusals. */
int sg_socket_path(char *out, size_t cap)
{
    char socks[SG_MAX_TOKENS][SG_SOCKET_MAX];
    size_t n;
    int rc = sg_token_list(socks, SG_MAX_TOKENS, &n);
    return rc != SG_OK ? rc : copy_out(out, cap, socks[0], NULL);
}
