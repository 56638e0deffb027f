/* SPDX-License-Identifier: Apache-2.0 */
/* sbrguard token start|stop|status: the token's process, the sim board's
 * sbrguard-token or, for mps2-an386, QEMU running the firmware image. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

/* The token binary sits next to this one unless $SBRGUARD_TOKEN_BIN says. */
static int token_bin(char *out, size_t cap)
{
    const char *env = getenv("SBRGUARD_TOKEN_BIN");
    if (env && *env)
        return snprintf(out, cap, "%s", env) < (int)cap ? 0 : -1;
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return -1;
    self[n] = 0;
    char *slash = strrchr(self, '/');
    *slash = 0;
    return snprintf(out, cap, "%s/sbrguard-token", self) < (int)cap ? 0 : -1;
}

/* mps2-an386: the image next to the host build ($SBRGUARD_FIRMWARE or the
 * config's `firmware` say otherwise). */
static int firmware_image(char *out, size_t cap)
{
    const char *env = getenv("SBRGUARD_FIRMWARE");
    if (env && *env)
        return snprintf(out, cap, "%s", env) < (int)cap ? 0 : -1;
    if (sg_conf_get("firmware", out, cap) == SG_OK)
        return 0;
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return -1;
    self[n] = 0;
    *strrchr(self, '/') = 0;
    return snprintf(out, cap, "%s/../mps2-an386/sbrguard-fw.elf", self) < (int)cap ? 0 : -1;
}

/* The emulated token's stand-in for a true RNG: a seed provisioned once
 * from the host's, which the firmware replaces at every boot. */
static int provision_seed(const char *home)
{
    char path[PATH_MAX];
    uint8_t seed[32];
    if (snprintf(path, sizeof path, "%s/mps2-seed.bin", home) >= (int)sizeof path)
        return -1;
    if (access(path, F_OK) == 0)
        return 0;
    if (getrandom(seed, sizeof seed, 0) != (ssize_t)sizeof seed)
        return -1;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600), rc = -1;
    if (fd >= 0 && write(fd, seed, sizeof seed) == (ssize_t)sizeof seed)
        rc = 0;
    if (fd >= 0)
        close(fd);
    return rc;
}

static void board_status(sg_client *c);

static pid_t read_pid(const char *home)
{
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s/token.pid", home) >= (int)sizeof path)
        return 0;
    FILE *f = fopen(path, "r");
    long pid = 0;
    if (f) {
        if (fscanf(f, "%ld", &pid) != 1)
            pid = 0;
        fclose(f);
    }
    return pid > 0 && kill((pid_t)pid, 0) == 0 ? (pid_t)pid : 0;
}

static int reachable(void)
{
    sg_client *c;
    sg_info info;
    if (sg_connect(&c, NULL))
        return 0;
    int ok = sg_get_info(c, &info) == SG_OK;
    sg_free(c);
    return ok;
}

static int start(const char *home, const char *board)
{
    char bin[PATH_MAX], sock[PATH_MAX], flash[PATH_MAX], logf[PATH_MAX], pidf[PATH_MAX], chardev[PATH_MAX + 64];
    int qemu = !strcmp(board, "mps2-an386");
    if (!qemu && strcmp(board, "sim"))
        return cli_fail("unknown board '%s' (sim, mps2-an386)", board);
    if (read_pid(home) && reachable()) {
        printf("token already running (pid %ld)\n", (long)read_pid(home));
        return 0;
    }
    if (qemu && (firmware_image(bin, sizeof bin) || access(bin, R_OK)))
        return cli_fail("firmware image not found (%s); build it with `make firmware BOARD=mps2-an386`", bin);
    if (qemu && provision_seed(home))
        return cli_fail("cannot provision %s/mps2-seed.bin", home);
    if (!qemu && (token_bin(bin, sizeof bin) || access(bin, X_OK)))
        return cli_fail("token binary not found (%s); build it with `make`", bin);
    if (sg_socket_path(sock, sizeof sock))
        return cli_fail("no socket path");
    if (snprintf(flash, sizeof flash, "%s/flash.bin", home) >= (int)sizeof flash ||
        snprintf(logf, sizeof logf, "%s/token.log", home) >= (int)sizeof logf ||
        snprintf(pidf, sizeof pidf, "%s/token.pid", home) >= (int)sizeof pidf)
        return cli_fail("SBRGUARD_HOME path too long");
    pid_t pid = fork();
    if (pid < 0)
        return cli_fail("fork: %s", strerror(errno));
    if (pid == 0) {
        int fd = open(logf, O_WRONLY | O_CREAT | O_APPEND, 0600), nul = open("/dev/null", O_RDONLY);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        if (nul >= 0)
            dup2(nul, 0);
        setsid();
        if (qemu) {
            /* The firmware reaches its flash, seed and clock files through
             * semihosting, relative to QEMU's working folder. */
            const char *q = getenv("SBRGUARD_QEMU");
            if (chdir(home) ||
                snprintf(chardev, sizeof chardev, "socket,id=link,path=%s,server=on,wait=off", sock) >= (int)sizeof chardev)
                _exit(126);
            execlp(q && *q ? q : "qemu-system-arm", "qemu-system-arm", "-M", "mps2-an386", "-nographic", "-monitor",
                   "none", "-semihosting-config", "enable=on,target=native", "-chardev", chardev, "-serial",
                   "chardev:link", "-kernel", bin, (char *)NULL);
        } else {
            /* The config's `idle-timeout = SECONDS`: idle connections close. */
            char idle[16];
            if (sg_conf_get("idle-timeout", idle, sizeof idle) == SG_OK)
                execl(bin, "sbrguard-token", "--socket", sock, "--flash", flash, "--idle-timeout", idle, (char *)NULL);
            else
                execl(bin, "sbrguard-token", "--socket", sock, "--flash", flash, (char *)NULL);
        }
        _exit(127);
    }
    FILE *f = fopen(pidf, "w");
    if (f) {
        fprintf(f, "%ld\n", (long)pid);
        fclose(f);
    }
    for (int i = 0; i < (qemu ? 400 : 100); i++) {
        int st;
        if (waitpid(pid, &st, WNOHANG) == pid)
            return cli_fail("token exited at start; see %s", logf);
        if (reachable()) {
            if (qemu)
                printf("token started on mps2-an386 in QEMU (pid %ld, socket %s, flash %s/mps2-flash.bin)\n",
                       (long)pid, sock, home);
            else
                printf("token started (pid %ld, socket %s, flash %s)\n", (long)pid, sock, flash);
            return 0;
        }
        sleep_ms(50);
    }
    return cli_fail("token did not come up within %d s; see %s", qemu ? 20 : 5, logf);
}

static int stop(const char *home)
{
    pid_t pid = read_pid(home);
    if (!pid) {
        printf("token not running\n");
        return 0;
    }
    kill(pid, SIGTERM);
    for (int i = 0; i < 100 && kill(pid, 0) == 0; i++)
        sleep_ms(50);
    if (kill(pid, 0) == 0)
        return cli_fail("token (pid %ld) did not stop", (long)pid);
    printf("token stopped\n");
    return 0;
}

static int status(void)
{
    sg_client *c;
    sg_info in;
    char sock[PATH_MAX];
    int cr = SG_E_ARGS;
    if (sg_socket_path(sock, sizeof sock) || (cr = sg_connect(&c, NULL)) != SG_OK) {
        if (cr == SG_E_BUSY)
            printf("token: busy at %s: %s\n", sock, sg_connect_detail());
        else
            printf("token: not reachable at %s\n", sock);
        return 3;
    }
    int rc = sg_get_info(c, &in);
    if (rc) {
        rc = cli_token_fail(c, rc, "status");
        sg_free(c);
        return rc;
    }
    printf("token: running at %s\nfirmware: %u.%u\nserial: %s\nlabel: %s\n", sock, in.fw_major,
           in.fw_minor, in.serial, in.label);
    printf("initialized: %s\nuser PIN: %s\n", in.flags & SG_TF_INITIALIZED ? "yes" : "no",
           in.flags & SG_TF_USER_LOCKED ? "locked" : in.flags & SG_TF_USER_PIN_SET ? "set" : "not set");
    printf("user PIN tries left: %u\nSO PIN tries left: %u%s\n", in.user_tries, in.so_tries,
           in.flags & SG_TF_SO_LOCKED ? " (locked)" : "");
    printf("object slots: %u free of %u\ntoken time: %llu\n", in.free_slots, in.total_slots,
           (unsigned long long)in.time);
    board_status(c);
    sg_free(c);
    return 0;
}

static const char *const reset_names[] = { "power-on", "software", "hardfault", "watchdog" };

/* SET_TIME: the security officer sets the token's clock. */
static int set_time(const cli_args *a)
{
    sg_client *c;
    const char *t = cli_opt(a, "--time"), *pin = cli_opt(a, "--so-pin");
    char *end = NULL;
    uint64_t now = t && strcmp(t, "now") ? strtoull(t, &end, 10) : (uint64_t)time(NULL);
    if (t && end && *end)
        return cli_fail("--time: seconds since 1970 or 'now'");
    if (!pin)
        pin = getenv("SBRGUARD_SO_PIN");
    if (!pin)
        return cli_fail("SO PIN needed: --so-pin SOPIN or SBRGUARD_SO_PIN");
    if (cli_connect(&c))
        return 1;
    int rc = sg_login(c, SG_USER_SO, pin, strlen(pin));
    if (!rc)
        rc = sg_set_time(c, now);
    if (rc) {
        rc = cli_token_fail(c, rc, "set-time");
        sg_free(c);
        return rc;
    }
    sg_free(c);
    printf("token time set to %llu\n", (unsigned long long)now);
    return 0;
}

static void board_status(sg_client *c)
{
    sg_board_status b;
    if (sg_board_info(c, &b) != SG_OK || !b.board[0])
        return;
    printf("board: %s\n", b.board);
    if (b.stack_size)
        printf("last reset: %s (%u since power-on)%s\nstack: deepest %u of %u bytes\n",
               b.reset_reason < 4 ? reset_names[b.reset_reason] : "?", b.resets,
               b.reset_reason == SG_RESET_HARDFAULT ? " after a fault" : "", b.stack_used, b.stack_size);
    if (b.arena_size)
        printf("mbedTLS arena: peak %u bytes in %u blocks of %u\n", b.arena_peak, b.arena_blocks, b.arena_size);
}

int cmd_token(cli_args *a)
{
    static const char *const known[] = { "start!", "stop!", "status!", "list!", "set-time!", "--board", "--time", "--so-pin", NULL };
    char home[PATH_MAX], board[64];
    const char *b = cli_opt(a, "--board");
    if (a->argc >= 1 && !strcmp(a->argv[0], "set-time"))
        return cli_check(a, known) ? 1 : set_time(a);
    if ((a->argc != 1 && !(a->argc == 3 && b && !strcmp(a->argv[0], "start"))) || cli_check(a, known))
        return cli_fail("usage: sbrguard token start [--board sim|mps2-an386] | stop | status | list | set-time");
    if (!strcmp(a->argv[0], "status"))
        return status();
    if (!strcmp(a->argv[0], "list"))
        return cli_token_list();
    if (cli_home(home, sizeof home))
        return 1;
    if (!b && sg_board(board, sizeof board) == SG_OK)
        b = board;
    return !strcmp(a->argv[0], "start") ? start(home, b ? b : "sim") : stop(home);
}
