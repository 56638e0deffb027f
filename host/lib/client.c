/* SPDX-License-Identifier: Apache-2.0 */
/* libsbrguard: connection and framing (docs/protocol.md). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include "client.h"
#include "sbrguard/tlv.h"

/* A key generation (RSA-4096) may take long on a slow token; a dead token
 * shows up as EOF, not as this timeout. */
#define SG_REPLY_TIMEOUT_S 600

static __thread char connect_detail[128];

const char *sg_connect_detail(void) { return connect_detail; }

static void copy_msg(char *dst, size_t cap, const uint8_t *p, size_t len)
{
    const uint8_t *m;
    size_t ml;
    dst[0] = 0;
    if (sg_tlv_find(p, len, SG_T_MESSAGE, &m, &ml) != SG_OK)
        return;
    if (ml >= cap)
        ml = cap - 1;
    for (size_t i = 0; i < ml; i++)
        dst[i] = (m[i] >= 0x20 && m[i] < 0x7F) ? (char)m[i] : '?';
    dst[ml] = 0;
}

int sg_connect(sg_client **out, const char *path)
{
    char def[sizeof(((struct sockaddr_un *)0)->sun_path)];
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    *out = NULL;
    connect_detail[0] = 0;
    if (!path) {
        if (sg_socket_path(def, sizeof def) != SG_OK)
            return SG_E_ARGS;
        path = def;
    }
    if (strlen(path) >= sizeof sa.sun_path)
        return SG_E_ARGS;
    strcpy(sa.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return SG_E_CONNECT;
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        return SG_E_CONNECT;
    }
    struct timeval tv = { .tv_sec = SG_REPLY_TIMEOUT_S };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sg_client *c = calloc(1, sizeof *c);
    if (!c) {
        close(fd);
        return SG_E_NOMEM;
    }
    c->fd = fd;
    int hr = sg_hello(c);
    if (hr != SG_OK) {
        sg_free(c);
        return hr == SG_E_BUSY ? SG_E_BUSY : SG_E_CONNECT;
    }
    *out = c;
    return SG_OK;
}

void sg_free(sg_client *c)
{
    if (!c)
        return;
    if (c->fd >= 0)
        close(c->fd);
    free(c);
}

int sg_alive(const sg_client *c)
{
    struct pollfd pf = { .fd = c->fd, .events = POLLIN };
    if (c->fd < 0)
        return 0;
    int n = poll(&pf, 1, 0);
    return n == 0;
}

int sg_last_status(const sg_client *c) { return c->last_status; }
const char *sg_last_message(const sg_client *c) { return c->last_msg; }

static int write_all(int fd, const uint8_t *p, size_t n)
{
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return SG_E_IO;
        p += w;
        n -= (size_t)w;
    }
    return SG_OK;
}

/* The token answers a P-256 signature in about 30 us: the reply is
 * awaited without sleeping for SPIN_US first (a wake-up costs more than
 * that answer on an idle machine); longer ones are waited for. */
#define SPIN_US 60

static long long mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int read_all(int fd, uint8_t *p, size_t n)
{
    long long until = mono_us() + SPIN_US;
    int spin = 1;
    while (n) {
        ssize_t r = recv(fd, p, n, spin ? MSG_DONTWAIT : 0);
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && spin) {
            spin = mono_us() < until; /* that recv did not wait: again, or wait */
            continue;
        }
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return SG_E_IO;
        p += r;
        n -= (size_t)r;
    }
    return SG_OK;
}

/* After an I/O error the stream is out of sync: the connection is dropped
 * and every later call fails until the caller reconnects. */
static int broken(sg_client *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    return SG_E_IO;
}

/* Reads until the magic "SG": a serial link may carry a stale partial
 * frame from the previous host. */
static int read_frame(sg_client *c, uint8_t hdr[SG_FRAME_HDR_LEN], size_t *len)
{
    uint8_t b = 0;
    hdr[0] = 0;
    for (size_t skipped = 0; skipped <= 2 * SG_MAX_FRAME; skipped++) {
        if (read_all(c->fd, &b, 1))
            return SG_E_IO;
        if (hdr[0] == 'S' && b == 'G')
            break;
        hdr[0] = b;
    }
    if (b != 'G' || read_all(c->fd, hdr + 2, SG_FRAME_HDR_LEN - 2))
        return SG_E_IO;
    hdr[1] = 'G';
    *len = ((size_t)hdr[4] << 24) | ((size_t)hdr[5] << 16) | ((size_t)hdr[6] << 8) | hdr[7];
    if (hdr[2] != SG_PROTO_VERSION || *len > sizeof c->resp)
        return SG_E_PROTOCOL;
    return *len ? read_all(c->fd, c->resp, *len) : SG_OK;
}

/* HELLO (docs/protocol.md): on a UART the token cannot see a host come, so
 * the first frame ends whatever login the last host left. Until an answer
 * carries the latest nonce, earlier output (a reset notice, the answer to
 * a stale partial frame, a TIMEOUT) is skipped. The HELLO is sent again
 * only after HELLO_QUIET_MS of silence, when a stale frame may have eaten it;
 * answers to the earlier ones then come first and are skipped too. */
#define HELLO_QUIET_MS 3000
#define HELLO_TRIES 200 /* 10 min: a token busy with a key generation */
int sg_hello(sg_client *c)
{
    uint8_t nonce[8], hdr[SG_FRAME_HDR_LEN];
    size_t len, off;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd < 0 || read(fd, nonce, sizeof nonce) != (ssize_t)sizeof nonce) {
        if (fd >= 0)
            close(fd);
        return SG_E_IO;
    }
    close(fd);
    for (size_t i = 0; i < sizeof nonce; i++)
        if (nonce[i] == 'S') /* nothing the token could resync on */
            nonce[i] = 0;
    for (int tries = 0; tries < HELLO_TRIES; tries++) {
        nonce[0] = (uint8_t)tries;
        off = 0;
        hdr[0] = 'S';
        hdr[1] = 'G';
        hdr[2] = SG_PROTO_VERSION;
        hdr[3] = SG_CMD_HELLO;
        sg_tlv_append(c->req, sizeof c->req, &off, SG_T_NONCE, nonce, sizeof nonce);
        sg_be_put(hdr + 4, off, 4);
        /* A token over its connection limit says so and closes, maybe
         * before it saw the HELLO: its answer is read even then. */
        int wfail = write_all(c->fd, hdr, sizeof hdr) || write_all(c->fd, c->req, off);
        if (wfail && tries)
            return SG_E_IO;
        for (;;) {
            struct pollfd pf = { .fd = c->fd, .events = POLLIN };
            int n = poll(&pf, 1, wfail ? 1000 : HELLO_QUIET_MS);
            if (wfail && n == 0)
                return SG_E_IO;
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                return SG_E_IO;
            if (n == 0)
                break; /* silence: send again */
            int rc = read_frame(c, hdr, &len);
            if (rc == SG_E_IO)
                return rc;
            const uint8_t *v;
            size_t vl;
            uint8_t st = hdr[3];
            if (rc != SG_OK)
                continue;
            if (st == SG_ST_BUSY) {
                copy_msg(connect_detail, sizeof connect_detail, c->resp, len);
                return SG_E_BUSY;
            }
            if (st == SG_ST_OK && sg_tlv_find(c->resp, len, SG_T_NONCE, &v, &vl) == SG_OK &&
                vl == sizeof nonce && !memcmp(v, nonce, sizeof nonce))
                return SG_OK;
            /* A token that cannot serve (no flash or seed) still
             * answers: connected; its next answer says why. */
            if (st == SG_ST_FLASH)
                return SG_OK;
        }
    }
    return SG_E_PROTOCOL;
}

int sg_transact(sg_client *c, uint8_t cmd, const uint8_t *req, size_t req_len,
                uint8_t *status, uint8_t *resp, size_t resp_cap, size_t *resp_len)
{
    uint8_t hdr[SG_FRAME_HDR_LEN] = { 'S', 'G', SG_PROTO_VERSION, cmd };
    if (c->fd < 0)
        return SG_E_IO;
    if (req_len > SG_MAX_PAYLOAD)
        return SG_E_ARGS;
    hdr[4] = (uint8_t)(req_len >> 24);
    hdr[5] = (uint8_t)(req_len >> 16);
    hdr[6] = (uint8_t)(req_len >> 8);
    hdr[7] = (uint8_t)req_len;
    if (write_all(c->fd, hdr, sizeof hdr) || (req_len && write_all(c->fd, req, req_len)))
        return broken(c);
    if (read_all(c->fd, hdr, sizeof hdr))
        return broken(c);
    size_t len = ((size_t)hdr[4] << 24) | ((size_t)hdr[5] << 16) | ((size_t)hdr[6] << 8) | hdr[7];
    if (hdr[0] != 'S' || hdr[1] != 'G' || hdr[2] != SG_PROTO_VERSION || len > SG_MAX_PAYLOAD) {
        broken(c);
        return SG_E_PROTOCOL;
    }
    if (len > resp_cap) {
        broken(c);
        return SG_E_PROTOCOL;
    }
    if (len && read_all(c->fd, resp, len))
        return broken(c);
    /* The token reset under this request (a serial link stays up): the
     * request and the login are gone, as if the connection had dropped. */
    if (hdr[3] == SG_ST_RESET && len == 0)
        return broken(c);
    *status = hdr[3];
    *resp_len = len;
    return SG_OK;
}

/* Sends a request built in c->req and checks the status; the payload of a
 * success stays in c->resp / c->resp_len. */
int sg_call(sg_client *c, uint8_t cmd, size_t req_len)
{
    uint8_t st;
    int rc = sg_transact(c, cmd, c->req, req_len, &st, c->resp, sizeof c->resp, &c->resp_len);
    if (rc != SG_OK)
        return rc;
    c->last_status = st;
    c->last_msg[0] = 0;
    if (st == SG_ST_OK)
        return SG_OK;
    copy_msg(c->last_msg, sizeof c->last_msg, c->resp, c->resp_len);
    return SG_E_TOKEN;
}
