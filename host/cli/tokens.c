/* SPDX-License-Identifier: Apache-2.0 */
/* `--token LABEL|SERIAL`: which of the configured tokens (sg_token_list) a
 * verb talks to. The choice becomes $SBRGUARD_SOCKET for the rest of the
 * process, so every verb and sg_socket_path() see the one token. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

/* "SOCKET: label 'L' serial S" or why the token could not say. */
static void describe(char *out, size_t cap, const char *sock, int rc, const sg_info *in)
{
    if (rc == SG_OK)
        snprintf(out, cap, "%.107s: label '%.32s' serial %.16s", sock, in->label, in->serial);
    else
        snprintf(out, cap, "%.107s: %s", sock, rc == SG_E_BUSY ? "busy" : "not reachable");
}

/* The token at sock's info (label and serial NUL-terminated). */
static int probe(const char *sock, sg_info *in)
{
    sg_client *c = NULL;
    int rc = sg_connect(&c, sock);
    if (rc == SG_OK)
        rc = sg_get_info(c, in);
    sg_free(c);
    in->label[SG_MAX_LABEL] = in->serial[SG_SERIAL_LEN] = 0;
    return rc;
}

int cli_token_select(const char *want)
{
    char socks[SG_MAX_TOKENS][SG_SOCKET_MAX], list[SG_MAX_TOKENS * (SG_SOCKET_MAX + 80)] = "";
    size_t n = 0, hits = 0, hit = 0, off = 0;
    if (!*want)
        return cli_fail("--token needs a token label or serial number");
    if (sg_token_list(socks, SG_MAX_TOKENS, &n) != SG_OK)
        return cli_fail("config: %s", sg_conf_detail());
    for (size_t i = 0; i < n; i++) {
        sg_info in;
        int rc = probe(socks[i], &in);
        if (rc == SG_OK && (!strcmp(in.label, want) || !strcmp(in.serial, want))) {
            hits++;
            hit = i;
        }
        char one[SG_SOCKET_MAX + 80];
        describe(one, sizeof one, socks[i], rc, &in);
        int w = snprintf(list + off, sizeof list - off, "%s%s", i ? "; " : "", one);
        if (w > 0 && (size_t)w < sizeof list - off)
            off += (size_t)w;
    }
    if (hits == 0)
        return cli_fail("--token %s: no configured token has this label or serial number (%s)", want, list);
    if (hits > 1)
        return cli_fail("--token %s: %zu configured tokens have this label; give the serial number (%s)", want, hits,
                        list);
    if (setenv("SBRGUARD_SOCKET", socks[hit], 1) != 0)
        return cli_fail("--token %s: cannot select %s", want, socks[hit]);
    return 0;
}

/* `sbrguard token list`: the configured tokens in slot order. Exit 3 if
 * one is not reachable (as `token status`). */
int cli_token_list(void)
{
    char socks[SG_MAX_TOKENS][SG_SOCKET_MAX];
    size_t n = 0;
    int rc = 0;
    if (sg_token_list(socks, SG_MAX_TOKENS, &n) != SG_OK)
        return cli_fail("config: %s", sg_conf_detail());
    for (size_t i = 0; i < n; i++) {
        sg_info in;
        int r = probe(socks[i], &in);
        char one[SG_SOCKET_MAX + 80];
        describe(one, sizeof one, socks[i], r, &in);
        printf("slot %zu: %s\n", i, one);
        if (r != SG_OK)
            rc = 3;
    }
    return rc;
}

int cli_token_option(cli_args *a)
{
    for (int i = 0; i < a->argc; i++) {
        if (strcmp(a->argv[i], "--token"))
            continue;
        if (i + 1 >= a->argc)
            return cli_fail("option --token needs a value (a token label or serial number)");
        const char *want = a->argv[i + 1];
        /* The verb never sees the option. */
        memmove(a->argv + i, a->argv + i + 2, (size_t)(a->argc - i - 2) * sizeof *a->argv);
        a->argc -= 2;
        for (int j = i; j + 1 < a->argc; j++)
            if (!strcmp(a->argv[j], "--token"))
                return cli_fail("--token given twice");
        return cli_token_select(want);
    }
    return 0;
}
