/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sbrguard-token: the real firmware as a host process. The link is a UNIX
 * socket (one channel per connection), the flash a file mapped in memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include "../../firmware/fw.h"
#include "sbrguard/tlv.h"
#include "sim.h"

/* A frame must arrive whole within this time once its first byte has. */
#define FRAME_TIMEOUT_MS 2000
/* Idle connections are dropped (and logged out) so that clients that hold
 * a connection and send nothing cannot lock everyone else out: after
 * --idle-timeout seconds without a request, or SILENT_S if no request
 * ever came (every client starts with HELLO at once). */
#define IDLE_TIMEOUT_S 300
#define SILENT_S 10

typedef struct {
    int fd;
    int talked;          /* served at least one frame */
    size_t have, need;
    long long deadline;  /* of the frame in progress */
    long long last;      /* accept or the last frame served */
    uint8_t in[SG_MAX_FRAME];
} conn;

static long long idle_ms = IDLE_TIMEOUT_S * 1000LL;

static conn conns[FW_MAX_CHANNELS];
/* Right after a frame the next one usually follows within microseconds: the
 * token polls without sleeping for SPIN_US, as a token's firmware polls its
 * USB endpoint, instead of paying a wake-up per request. */
#define SPIN_US 60
static long long served_us;
static uint8_t out[SG_MAX_FRAME];
static volatile sig_atomic_t stop;

static void on_signal(int sig) { (void)sig; stop = 1; }

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int send_all(int fd, const uint8_t *p, size_t n)
{
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static void drop(unsigned ch)
{
    close(conns[ch].fd);
    conns[ch].fd = -1;
    fw_channel_closed(ch);
}

static void reply_error(unsigned ch, uint8_t st)
{
    size_t n = fw_error_frame(st, out, sizeof out);
    send_all(conns[ch].fd, out, n);
    drop(ch);
}

/* Reads what is available; serves the frame once complete. */
static void service(unsigned ch)
{
    conn *c = &conns[ch];
    size_t want = c->have < SG_FRAME_HDR_LEN ? SG_FRAME_HDR_LEN : c->need;
    ssize_t r = recv(c->fd, c->in + c->have, want - c->have, 0);
    if (r < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (r <= 0) {
        drop(ch);
        return;
    }
    if (c->have == 0)
        c->deadline = now_ms() + FRAME_TIMEOUT_MS;
    c->have += (size_t)r;
    if (c->have == SG_FRAME_HDR_LEN && c->need == 0) {
        size_t plen;
        int rc = fw_frame_check_header(c->in, &plen);
        if (rc != FW_OK) {
            reply_error(ch, rc == FW_E_VERSION ? SG_ST_VERSION : rc == FW_E_TOO_LARGE ? SG_ST_TOO_LARGE : SG_ST_FRAME);
            return;
        }
        c->need = SG_FRAME_HDR_LEN + plen;
        /* The payload usually follows its header at once: read it now, not
         * after another poll (EOF or nothing yet: the next poll tells). */
        ssize_t more = plen ? recv(c->fd, c->in + c->have, c->need - c->have, MSG_DONTWAIT) : 0;
        if (more > 0)
            c->have += (size_t)more;
    }
    if (c->need && c->have == c->need) {
        int reset;
        size_t n = fw_handle_frame(ch, c->in, c->have, out, sizeof out, &reset);
        int lost = send_all(c->fd, out, n);
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        served_us = (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
        c->have = c->need = 0;
        c->talked = 1;
        c->last = now_ms();
        if (reset || lost)
            drop(ch);
    }
}

static long long idle_deadline(const conn *c)
{
    long long lim = idle_ms;
    if (!c->talked && lim > SILENT_S * 1000LL)
        lim = SILENT_S * 1000LL;
    return c->last + lim;
}

/* Over the limit: the client is told why (SG_ST_BUSY with a message) and
 * closed, rather than hanging in the listen queue. */
static void refuse_busy(int fd)
{
    static uint8_t f[SG_FRAME_HDR_LEN + 160];
    char msg[128];
    size_t off = 0;
    int n = snprintf(msg, sizeof msg, "all %u connections in use; idle ones close after %lld s", FW_MAX_CHANNELS,
                     idle_ms / 1000);
    if (n > 0 && (size_t)n < sizeof msg &&
        !sg_tlv_append(f + SG_FRAME_HDR_LEN, sizeof f - SG_FRAME_HDR_LEN, &off, SG_T_MESSAGE, msg, (size_t)n)) {
        f[0] = 'S';
        f[1] = 'G';
        f[2] = SG_PROTO_VERSION;
        f[3] = SG_ST_BUSY;
        sg_be_put(f + 4, off, 4);
        (void)!send(fd, f, SG_FRAME_HDR_LEN + off, MSG_NOSIGNAL | MSG_DONTWAIT);
    }
    close(fd);
}

static int open_flash(const char *path)
{
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    struct stat st;
    if (fd < 0 || fstat(fd, &st)) {
        fprintf(stderr, "sbrguard-token: %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB)) {
        fprintf(stderr, "sbrguard-token: %s is in use by another token\n", path);
        return -1;
    }
    if (st.st_size > SIM_FLASH_SIZE || st.st_size % SIM_SECTOR_SIZE) {
        fprintf(stderr, "sbrguard-token: %s: not a sim flash image (%lld bytes, want at most %u)\n", path,
                (long long)st.st_size, SIM_FLASH_SIZE);
        return -1;
    }
    /* Blank, or from a firmware with a smaller flash: the sectors it did not
     * have are erased (0xFF), as on a part that was never written there. */
    if (st.st_size < SIM_FLASH_SIZE) {
        static uint8_t blank[SIM_SECTOR_SIZE];
        memset(blank, 0xFF, sizeof blank);
        if (lseek(fd, st.st_size, SEEK_SET) < 0)
            return -1;
        for (off_t o = st.st_size; o < SIM_FLASH_SIZE; o += SIM_SECTOR_SIZE)
            if (write(fd, blank, sizeof blank) != (ssize_t)sizeof blank)
                return -1;
    }
    void *m = mmap(NULL, SIM_FLASH_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (m == MAP_FAILED)
        return -1;
    sim_flash_attach(m);
    return fd;
}

static int listen_on(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof sa.sun_path) {
        fprintf(stderr, "sbrguard-token: socket path too long\n");
        return -1;
    }
    strcpy(sa.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    unlink(path); /* the flash lock proves no other token owns it */
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) || listen(fd, 16)) {
        fprintf(stderr, "sbrguard-token: %s: %s\n", path, strerror(errno));
        return -1;
    }
    return fd;
}

static int usage(int rc)
{
    fprintf(rc ? stderr : stdout,
            "usage: sbrguard-token --socket PATH --flash FILE [--idle-timeout SECONDS]\n"
            "Runs the sbrguard firmware on the sim board: link on the UNIX socket PATH,\n"
            "flash in FILE (created blank if missing). Stops on SIGTERM or SIGINT.\n"
            "At most %u connections; one without a request for SECONDS (default %d;\n"
            "%d if it never sent one) is closed, and its login with it.\n",
            FW_MAX_CHANNELS, IDLE_TIMEOUT_S, SILENT_S);
    return rc;
}

int main(int argc, char **argv)
{
    const char *sock = NULL, *flash = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return usage(0);
        if (i + 1 < argc && !strcmp(argv[i], "--socket"))
            sock = argv[++i];
        else if (i + 1 < argc && !strcmp(argv[i], "--flash"))
            flash = argv[++i];
        else if (i + 1 < argc && !strcmp(argv[i], "--idle-timeout")) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (*end || v < 1 || v > 86400)
                return usage(2);
            idle_ms = v * 1000LL;
        } else
            return usage(2);
    }
    if (!sock || !flash)
        return usage(2);
    if (open_flash(flash) < 0)
        return 1;
    int rc = fw_init();
    if (rc != FW_OK) {
        fprintf(stderr, "sbrguard-token: firmware init failed (%d)\n", rc);
        return 1;
    }
    int lfd = listen_on(sock);
    if (lfd < 0)
        return 1;
    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa = { .sa_handler = on_signal };
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    for (unsigned i = 0; i < FW_MAX_CHANNELS; i++)
        conns[i].fd = -1;
    fprintf(stderr, "sbrguard-token: serving on %s\n", sock);
    while (!stop) {
        struct pollfd pf[FW_MAX_CHANNELS + 1];
        unsigned map[FW_MAX_CHANNELS + 1], n = 0;
        long long now = now_ms();
        int timeout = 1000;
        pf[n].fd = lfd;
        pf[n++].events = POLLIN;
        for (unsigned i = 0; i < FW_MAX_CHANNELS; i++) {
            if (conns[i].fd < 0)
                continue;
            if (conns[i].have && now >= conns[i].deadline) {
                reply_error(i, SG_ST_TIMEOUT);
                continue;
            }
            long long idle = idle_deadline(&conns[i]);
            if (!conns[i].have && now >= idle) {
                fprintf(stderr, "sbrguard-token: channel %u idle for %lld s: closed\n", i, (now - conns[i].last) / 1000);
                drop(i);
                continue;
            }
            map[n] = i;
            pf[n].fd = conns[i].fd;
            pf[n++].events = POLLIN;
            long long next = conns[i].have ? conns[i].deadline : idle;
            if (next - now < timeout)
                timeout = (int)(next - now);
        }
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        int spin = (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000 - served_us < SPIN_US;
        int got = poll(pf, n, spin ? 0 : timeout);
        if (got < 0 || (got == 0 && spin))
            continue;
        for (unsigned k = 1; k < n; k++)
            if (pf[k].revents)
                service(map[k]);
        if (pf[0].revents & POLLIN) {
            int cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
            unsigned i = 0;
            while (cfd >= 0 && i < FW_MAX_CHANNELS && conns[i].fd >= 0)
                i++;
            if (cfd >= 0 && i == FW_MAX_CHANNELS) {
                refuse_busy(cfd);
            } else if (cfd >= 0) {
                /* A client that stops reading must not stall the token:
                 * a response it does not take within this time drops it. */
                struct timeval tv = { .tv_sec = 1 };
                setsockopt(cfd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
                conns[i].fd = cfd;
                conns[i].have = conns[i].need = 0;
                conns[i].talked = 0;
                conns[i].last = now_ms();
                fw_channel_closed(i); /* nothing of an earlier connection */
            }
        }
    }
    unlink(sock);
    fprintf(stderr, "sbrguard-token: stopped\n");
    return 0;
}
