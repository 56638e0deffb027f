/* SPDX-License-Identifier: Apache-2.0 */
/* libsbrguard: TLV helpers, socket path resolution, and the client API
 * against a real sbrguard-token process. */
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"
#include "token_proc.h"
#include "sbrguard/sbrguard.h"

static char dir[] = "/tmp/sg-hostlib-XXXXXX";
static char sock[PATH_MAX];

static void tlv(void)
{
    uint8_t b[8];
    size_t off = 0, l = 0;
    const uint8_t *v;
    CHECK(sg_tlv_put(b, sizeof b, &off, 1, "abc", 3) == SG_OK && off == 6, "TLV put");
    CHECK(sg_tlv_put(b, sizeof b, &off, 2, "abc", 3) == SG_E_BUFFER && off == 6, "TLV put past the end: SG_E_BUFFER, nothing written");
    CHECK(sg_tlv_find(b, off, 1, &v, &l) == SG_OK && l == 3 && !memcmp(v, "abc", 3), "TLV find");
    CHECK(sg_tlv_find(b, off, 9, &v, &l) == SG_E_ARGS, "TLV find of an absent tag: SG_E_ARGS");
    CHECK(sg_tlv_find(b, off - 1, 1, &v, &l) == SG_E_PROTOCOL, "truncated TLV: SG_E_PROTOCOL");
}

static void socket_path(void)
{
    char p[256], conf[PATH_MAX];
    setenv("SBRGUARD_SOCKET", "/run/x.sock", 1);
    CHECK(sg_socket_path(p, sizeof p) == SG_OK && !strcmp(p, "/run/x.sock"), "SBRGUARD_SOCKET wins");
    unsetenv("SBRGUARD_SOCKET");
    snprintf(conf, sizeof conf, "%s/sbrguard.conf", dir);
    FILE *f = fopen(conf, "w");
    fputs("# sbrguard\n  socket =  /srv/token.sock   # the sim token\n", f);
    fclose(f);
    setenv("SBRGUARD_CONF", conf, 1);
    CHECK(sg_socket_path(p, sizeof p) == SG_OK && !strcmp(p, "/srv/token.sock"), "socket from the config file");
    setenv("SBRGUARD_CONF", "/nonexistent/sbrguard.conf", 1);
    CHECK(sg_socket_path(p, sizeof p) != SG_OK, "missing config file named by SBRGUARD_CONF is an error");
    unsetenv("SBRGUARD_CONF");
    setenv("HOME", dir, 1);
    setenv("SBRGUARD_HOME", "/var/lib/sg", 1);
    CHECK(sg_socket_path(p, sizeof p) == SG_OK && !strcmp(p, "/var/lib/sg/token.sock"), "SBRGUARD_HOME/token.sock");
    unsetenv("SBRGUARD_HOME");
    char want[PATH_MAX];
    snprintf(want, sizeof want, "%s/.sbrguard/token.sock", dir);
    CHECK(sg_socket_path(p, sizeof p) == SG_OK && !strcmp(p, want), "default ~/.sbrguard/token.sock");
    CHECK(sg_socket_path(p, 8) == SG_E_ARGS, "path longer than the buffer: SG_E_ARGS");
    /* An empty SBRGUARD_CONF is unset, for sg_socket_path as for sg_token_list. */
    char home_conf[PATH_MAX];
    snprintf(home_conf, sizeof home_conf, "%s/.config", dir);
    mkdir(home_conf, 0700);
    snprintf(home_conf, sizeof home_conf, "%s/.config/sbrguard", dir);
    mkdir(home_conf, 0700);
    snprintf(home_conf, sizeof home_conf, "%s/.config/sbrguard/sbrguard.conf", dir);
    f = fopen(home_conf, "w");
    fputs("token = /run/home.sock\n", f);
    fclose(f);
    setenv("SBRGUARD_CONF", "", 1);
    CHECK(sg_socket_path(p, sizeof p) == SG_OK && !strcmp(p, "/run/home.sock"),
          "SBRGUARD_CONF empty: the token line of ~/.config/sbrguard/sbrguard.conf");
    unlink(home_conf);
    unsetenv("SBRGUARD_CONF");
}

/* Writes the config file and points SBRGUARD_CONF at it. */
static void conf_write(const char *text)
{
    char conf[PATH_MAX];
    snprintf(conf, sizeof conf, "%s/tokens.conf", dir);
    FILE *f = fopen(conf, "w");
    fputs(text, f);
    fclose(f);
    setenv("SBRGUARD_CONF", conf, 1);
}

/* Several tokens (issue 14 item 2): `socket` then `token` lines, in order;
 * bad input is SG_E_ARGS with a "FILE:LINE: what" detail. */
static void token_list(void)
{
    char socks[SG_MAX_TOKENS][SG_SOCKET_MAX], p[SG_SOCKET_MAX], big[2048];
    size_t n = 99;
    unsetenv("SBRGUARD_SOCKET");
    conf_write("socket = /run/a.sock\ntoken = /run/b.sock  # second\n  token=/run/c.sock\n");
    CHECK(sg_token_list(socks, SG_MAX_TOKENS, &n) == SG_OK && n == 3 && !strcmp(socks[0], "/run/a.sock") &&
              !strcmp(socks[1], "/run/b.sock") && !strcmp(socks[2], "/run/c.sock"),
          "socket then token lines, in config order (%zu)", n);
    conf_write("token = /run/b.sock\nsocket = /run/a.sock\n");
    CHECK(sg_token_list(socks, SG_MAX_TOKENS, &n) == SG_OK && n == 2 && !strcmp(socks[0], "/run/a.sock"),
          "socket is the first token wherever it stands");
    conf_write("token = /run/b.sock\ntoken = /run/c.sock\n");
    CHECK(sg_token_list(socks, SG_MAX_TOKENS, &n) == SG_OK && n == 2 && !strcmp(socks[0], "/run/b.sock"),
          "token lines alone");
    CHECK(sg_socket_path(p, sizeof p) == SG_OK && !strcmp(p, "/run/b.sock"), "sg_socket_path: the first token line");
    setenv("SBRGUARD_SOCKET", "/run/env.sock", 1);
    CHECK(sg_token_list(socks, SG_MAX_TOKENS, &n) == SG_OK && n == 1 && !strcmp(socks[0], "/run/env.sock"),
          "SBRGUARD_SOCKET: that one token only");
    unsetenv("SBRGUARD_SOCKET");
    conf_write("p11-log = off\n");
    CHECK(sg_token_list(socks, SG_MAX_TOKENS, &n) == SG_E_ARGS && strstr(sg_conf_detail(), "no `socket`"),
          "SBRGUARD_CONF without a token: SG_E_ARGS (%s)", sg_conf_detail());

    size_t off = 0;
    for (int i = 0; i < SG_MAX_TOKENS + 1; i++)
        off += (size_t)snprintf(big + off, sizeof big - off, "token = /run/t%d.sock\n", i);
    conf_write(big);
    CHECK(sg_token_list(socks, SG_MAX_TOKENS, &n) == SG_E_ARGS && strstr(sg_conf_detail(), ":9: more tokens"),
          "nine tokens: SG_E_ARGS at line 9 (%s)", sg_conf_detail());
    conf_write("token = /run/a.sock\ntoken = /run/b.sock\n");
    CHECK(sg_token_list(socks, 1, &n) == SG_E_ARGS, "more tokens than the caller's room: SG_E_ARGS");
    conf_write("socket = /run/a.sock\ntoken = /run/a.sock\n");
    CHECK(sg_token_list(socks, SG_MAX_TOKENS, &n) == SG_E_ARGS && strstr(sg_conf_detail(), ":2: the same socket"),
          "socket and token the same path: duplicate (%s)", sg_conf_detail());
    conf_write("token = /run/a.sock\ntoken = /run/b.sock\ntoken = /run/a.sock\n");
    CHECK(sg_token_list(socks, SG_MAX_TOKENS, &n) == SG_E_ARGS && strstr(sg_conf_detail(), ":3: the same socket"),
          "a token named twice: duplicate at line 3 (%s)", sg_conf_detail());
    conf_write("token =   # nothing\n");
    CHECK(sg_token_list(socks, SG_MAX_TOKENS, &n) == SG_E_ARGS && strstr(sg_conf_detail(), ":1: a token line without"),
          "empty token line (%s)", sg_conf_detail());
    memset(big, 0, sizeof big);
    memcpy(big, "token = /", 9);
    memset(big + 9, 'x', SG_SOCKET_MAX);
    strcat(big, "\n");
    conf_write(big);
    CHECK(sg_token_list(socks, SG_MAX_TOKENS, &n) == SG_E_ARGS && strstr(sg_conf_detail(), "longer than 107"),
          "overlong token path (%s)", sg_conf_detail());
    big[0] = 's'; /* "soken": not a key */
    memcpy(big, "socket =", 8);
    conf_write(big);
    CHECK(sg_token_list(socks, SG_MAX_TOKENS, &n) == SG_E_ARGS && strstr(sg_conf_detail(), "longer than 107"),
          "overlong socket path (%s)", sg_conf_detail());
    CHECK(sg_socket_path(p, sizeof p) == SG_E_ARGS, "sg_socket_path refuses that overlong socket path too");
    memset(big, 'x', 1500);
    memcpy(big, "token = /", 9);
    big[1500] = 0;
    conf_write(big);
    CHECK(sg_token_list(socks, SG_MAX_TOKENS, &n) == SG_E_ARGS && strstr(sg_conf_detail(), ":1: line longer"),
          "a line over 1023 bytes (%s)", sg_conf_detail());
    CHECK(sg_token_list(socks, 0, &n) == SG_E_ARGS && n == 0, "no room at all: SG_E_ARGS");
    setenv("SBRGUARD_CONF", "/nonexistent/sbrguard.conf", 1);
    CHECK(sg_token_list(socks, SG_MAX_TOKENS, &n) == SG_E_ARGS && strstr(sg_conf_detail(), "cannot read"),
          "missing SBRGUARD_CONF file (%s)", sg_conf_detail());
    unsetenv("SBRGUARD_CONF");
    setenv("SBRGUARD_HOME", "/var/lib/sg", 1);
    CHECK(sg_token_list(socks, SG_MAX_TOKENS, &n) == SG_OK && n == 1 && !strcmp(socks[0], "/var/lib/sg/token.sock"),
          "no config: the one default token");
    unsetenv("SBRGUARD_HOME");
}

static pid_t start_token(void) { return tp_start(dir, sock); }

/* The enforcement log through the library (token with 2 entries). */
static void log_calls(sg_client *c)
{
    static sg_log_state ls;
    static sg_log_key lk;
    static sg_log_proof_data pd;
    static uint8_t bundle[SG_MAX_PAYLOAD];
    static char note[SG_LOG_MAX_NOTE + 1];
    sg_log_entry le;
    size_t bl = 0, cnt = 0, nl = 0;
    uint64_t cs = 0, mn = 0;
    uint32_t fr = 0;
    uint8_t root[32];
    CHECK(sg_log_info(c, &ls) == SG_OK && ls.format == SG_LOG_FORMAT && ls.size == 3 && ls.min_index == 0 &&
              ls.capacity > 0 && ls.free_bytes > 0 && ls.status == 0,
          "sg_log_info: token init, user PIN set and key generation");
    CHECK(sg_log_pubkey(c, &lk) == SG_OK && lk.spki_len == 91 && !strncmp(lk.origin, "sbrguard.invalid/", 17) &&
              !strncmp(lk.vkey, lk.origin, strlen(lk.origin)),
          "sg_log_pubkey: SPKI, origin, vkey");
    CHECK(sg_log_read(c, 0, bundle, sizeof bundle, &bl, &cnt) == SG_OK && cnt == 3, "sg_log_read: an entry bundle");
    size_t el = (size_t)bundle[0] << 8 | bundle[1];
    CHECK(sg_log_entry_parse(bundle + 2, el, &le) == SG_OK && le.event == SG_LOG_EV_TOKEN_INIT && le.seq == 0 &&
              !strcmp(sg_log_event_name(le.event), "token-init"),
          "sg_log_entry_parse: entry 0 is TOKEN_INIT");
    CHECK(sg_log_entry_parse(bundle + 2, el - 1, &le) == SG_E_PROTOCOL, "a truncated entry is malformed");
    CHECK(sg_log_checkpoint(c, 1, note, sizeof note, &nl, &cs, root) == SG_OK && cs == 4 && nl == strlen(note),
          "sg_log_checkpoint with export: LOG_EXPORT entry, signed note");
    CHECK(sg_log_proof(c, 0, 1, 4, &pd) == SG_OK && !memcmp(pd.root, root, 32) && pd.n == 2,
          "sg_log_proof: inclusion");
    CHECK(sg_log_proof(c, 1, 3, 4, &pd) == SG_OK && !memcmp(pd.root, root, 32) && pd.n >= 1,
          "sg_log_proof: consistency");
    CHECK(sg_log_ack(c, note, nl, NULL, NULL) == SG_E_TOKEN && sg_last_status(c) == SG_ST_NOT_LOGGED_IN,
          "sg_log_ack needs the SO");
    CHECK(sg_logout(c) == SG_OK && sg_login(c, SG_USER_SO, "12345678", 8) == SG_OK &&
              sg_log_ack(c, note, nl, &mn, &fr) == SG_OK && mn == 4 && fr > 0,
          "sg_log_ack: entries below the checkpoint freed");
    CHECK(sg_log_read(c, 0, bundle, sizeof bundle, &bl, &cnt) == SG_E_TOKEN && sg_last_status(c) == SG_ST_LOG_PRUNED,
          "freed entries: SG_ST_LOG_PRUNED");
    CHECK(sg_logout(c) == SG_OK && sg_login(c, SG_USER_USER, "1234", 4) == SG_OK, "back to the user");
}

static void client(void)
{
    sg_client *c = NULL;
    sg_info in;
    CHECK(sg_connect(&c, sock) == SG_E_CONNECT && !c, "connect with no token: SG_E_CONNECT");
    pid_t pid = start_token();
    CHECK(sg_connect(&c, sock) == SG_OK, "connect to a real token");
    if (!c)
        return;
    CHECK(sg_get_info(c, &in) == SG_OK && strlen(in.serial) == SG_SERIAL_LEN && in.max_payload == SG_MAX_PAYLOAD,
          "info: serial and max payload");
    CHECK(sg_init_token(c, "12345678", 8, "lib") == SG_OK, "init token");
    CHECK(sg_login(c, SG_USER_SO, "12345678", 8) == SG_OK && sg_init_pin(c, "1234", 4) == SG_OK &&
              sg_logout(c) == SG_OK, "SO sets the user PIN");
    CHECK(sg_login(c, SG_USER_USER, "9999", 4) == SG_E_TOKEN && sg_last_status(c) == SG_ST_PIN_INCORRECT,
          "wrong PIN: SG_E_TOKEN with status PIN_INCORRECT");
    CHECK(sg_login(c, SG_USER_USER, "1234", 4) == SG_OK, "user login");
    uint16_t h = 0;
    uint8_t pub[200], sig[64];
    size_t pl = sizeof pub, sl = 10, n = 0;
    CHECK(sg_generate_key(c, SG_KEY_EC_P256, (const uint8_t *)"\x01", 1, "k", 0, NULL, 0, &h, pub, &pl) == SG_OK &&
              h && pl == 91, "generate P-256: handle and 91-byte SPKI");
    sg_mech m = { .mech = SG_MECH_ECDSA_SHA256 };
    CHECK(sg_sign(c, h, &m, (const uint8_t *)"x", 1, sig, &sl) == SG_E_BUFFER && sl == 64,
          "sign into a short buffer: SG_E_BUFFER with the needed length");
    sl = sizeof sig;
    CHECK(sg_sign(c, h, &m, (const uint8_t *)"x", 1, sig, &sl) == SG_OK && sl == 64 &&
              sg_signature_len(SG_KEY_EC_P256) == 64, "sign: 64-byte r||s");
    sg_list_entry e[1];
    CHECK(sg_list(c, e, &n) == SG_E_BUFFER && n == 1, "list into a zero-capacity array: SG_E_BUFFER and the count");
    uint8_t rnd[3000];
    CHECK(sg_random(c, rnd, sizeof rnd) == SG_OK, "3000 random bytes (split across requests)");
    static sg_object o;
    CHECK(sg_get_object(c, h, &o) == SG_OK && o.cls == SG_CLASS_KEY && o.id_len == 1 && o.pubkey_len == 91,
          "get object: class, id, public key");
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    CHECK(sg_get_info(c, &in) == SG_E_IO, "token killed: SG_E_IO");
    CHECK(sg_get_info(c, &in) == SG_E_IO, "and the dead connection keeps failing cleanly");
    sg_free(c);
    pid = start_token();
    CHECK(sg_connect(&c, sock) == SG_OK && sg_get_info(c, &in) == SG_OK && in.login_state == SG_LOGIN_NONE,
          "reconnect after restart: logged out");
    CHECK(sg_login(c, SG_USER_USER, "1234", 4) == SG_OK && sg_sign(c, h, &m, (const uint8_t *)"x", 1, sig, &sl) == SG_OK,
          "the key survived the kill and signs");
    log_calls(c);
    sg_free(c);
    kill(pid, SIGTERM);
    int st = 0;
    waitpid(pid, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "token stops cleanly on SIGTERM");
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    snprintf(sock, sizeof sock, "%s/t.sock", dir);
    tlv();
    socket_path();
    token_list();
    client();
    char cmd[PATH_MAX + 16];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    return CHECK_DONE();
}
