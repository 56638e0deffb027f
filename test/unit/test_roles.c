/* SPDX-License-Identifier: Apache-2.0 */
/* The token's access rules are its command table (firmware/fw_dispatch.c,
 * firmware/README.md): this walks the table and proves, for every command,
 * that a caller without the command's role gets the status of its standing
 * (NOT_INITIALIZED on a blank token, NOT_LOGGED_IN without the login) before
 * the handler runs, with a request the handler would accept or refuse
 * alike, and that nothing changed in flash; and that a command the table
 * marks as not changing state leaves flash as it was. */
#include "check.h"
#include "harness.h"

#define SO "so-pin-1"
#define PIN "user-1234"

static uint8_t snap[SIM_FLASH_SIZE];

/* Arguments most handlers look for, so that the role check, not a missing
 * argument, is what answers. */
static void plausible_args(void)
{
    th_begin();
    th_put_u(SG_T_HANDLE, 1, 2);
    th_put_u(SG_T_USER_TYPE, SG_USER_USER, 1);
    th_put_s(SG_T_PIN, SO);
    th_put_s(SG_T_NEW_PIN, PIN);
    th_put_u(SG_T_MECH, SG_MECH_ECDSA_SHA256, 4);
    th_put_u(SG_T_KEY_TYPE, SG_KEY_EC_P256, 1);
    th_put_s(SG_T_DATA, "0123456789abcdef0123456789abcdef");
    th_put_s(SG_T_LABEL, "roles");
    th_put_u(SG_T_COUNT, 16, 2);
}

/* The status a caller of this standing gets for a command of this role,
 * or -1 if the standing has the role. */
static int want_status(uint8_t role, int initialized, int login)
{
    if (role == FW_ROLE_PUBLIC)
        return -1;
    if (role == FW_ROLE_LOGIN)
        return login != SG_LOGIN_NONE ? -1 : SG_ST_NOT_LOGGED_IN;
    if (!initialized)
        return SG_ST_NOT_INITIALIZED;
    if (role == FW_ROLE_INIT || (role == FW_ROLE_USER && login == SG_LOGIN_USER) ||
        (role == FW_ROLE_SO && login == SG_LOGIN_SO))
        return -1;
    return SG_ST_NOT_LOGGED_IN;
}

/* One standing: every command it lacks the role for, empty and with
 * arguments; returns the number of commands refused. */
static int walk(const char *standing, int initialized, int login, int *bad)
{
    size_t n;
    const fw_cmd *t = fw_cmd_table(&n);
    int refused = 0;
    for (size_t i = 0; i < n; i++) {
        int want = want_status(t[i].role, initialized, login);
        if (want < 0)
            continue;
        for (int with_args = 0; with_args < 2; with_args++) {
            if (with_args)
                plausible_args();
            else
                th_begin();
            memcpy(snap, th_flash, sizeof snap);
            th_resp r = th_send(0, t[i].cmd);
            int same = !memcmp(snap, th_flash, sizeof snap);
            if (r.status != want || !same) {
                fprintf(stderr, "%s: command 0x%02x (role %u)%s: status %u, want %d%s\n", standing, t[i].cmd,
                        t[i].role, with_args ? " with arguments" : "", r.status, want,
                        same ? "" : ", flash changed");
                (*bad)++;
            }
        }
        refused++;
    }
    return refused;
}

/* Commands marked as not changing state, called with their role and no
 * arguments: flash stays as it was. */
static int unchanged(int login, int *bad)
{
    size_t n;
    const fw_cmd *t = fw_cmd_table(&n);
    int tried = 0;
    for (size_t i = 0; i < n; i++) {
        if (t[i].changes || want_status(t[i].role, 1, login) >= 0)
            continue;
        th_begin();
        memcpy(snap, th_flash, sizeof snap);
        th_send(0, t[i].cmd);
        if (memcmp(snap, th_flash, sizeof snap)) {
            fprintf(stderr, "command 0x%02x is marked as not changing state but wrote flash\n", t[i].cmd);
            (*bad)++;
        }
        tried++;
        if (t[i].cmd == SG_CMD_LOGOUT && login != SG_LOGIN_NONE)
            th_login(0, login == SG_LOGIN_SO ? SG_USER_SO : SG_USER_USER, login == SG_LOGIN_SO ? SO : PIN);
    }
    return tried;
}

int main(void)
{
    size_t n;
    const fw_cmd *t = fw_cmd_table(&n);
    int distinct = 1, roles_ok = 1;
    for (size_t i = 0; i < n; i++) {
        roles_ok &= t[i].role <= FW_ROLE_SO && t[i].fn != NULL && (t[i].logged ? t[i].changes : 1);
        for (size_t j = 0; j < i; j++)
            distinct &= t[i].cmd != t[j].cmd;
    }
    CHECK(n >= 31 && distinct && roles_ok,
          "the table: %zu commands, each once, with a role, and a logged command marked as changing state", n);

    int bad = 0, k;
    CHECK(th_boot() == FW_OK, "blank token boots");
    k = walk("blank token", 0, SG_LOGIN_NONE, &bad);
    CHECK(bad == 0 && k > 20, "blank token: %d commands refused before their handler (NOT_INITIALIZED or NOT_LOGGED_IN), "
                              "flash unchanged", k);
    CHECK(th_init_token(SO, "roles") == SG_ST_OK && th_init_pin(SO, PIN) == SG_ST_OK, "token initialized, user PIN set");
    CHECK(th_login(0, SG_USER_USER, PIN) == SG_ST_OK && th_keygen(0, SG_KEY_EC_P256, "k", 0).status == SG_ST_OK,
          "a key to act on");
    th_begin();
    th_send(0, SG_CMD_LOGOUT);

    bad = 0;
    k = walk("not logged in", 1, SG_LOGIN_NONE, &bad);
    CHECK(bad == 0 && k > 10, "no login: %d commands refused with NOT_LOGGED_IN, flash unchanged", k);
    th_login(0, SG_USER_USER, PIN);
    bad = 0;
    k = walk("user", 1, SG_LOGIN_USER, &bad);
    CHECK(bad == 0 && k >= 6, "user logged in: the %d SO commands refused with NOT_LOGGED_IN, flash unchanged", k);
    bad = 0;
    k = unchanged(SG_LOGIN_USER, &bad);
    CHECK(bad == 0 && k > 8, "user logged in: %d commands marked as not changing state leave flash as it was", k);
    th_begin();
    th_send(0, SG_CMD_LOGOUT);
    th_login(0, SG_USER_SO, SO);
    bad = 0;
    k = walk("SO", 1, SG_LOGIN_SO, &bad);
    CHECK(bad == 0 && k >= 8, "SO logged in: the %d user commands refused with NOT_LOGGED_IN, flash unchanged", k);
    return CHECK_DONE();
}
