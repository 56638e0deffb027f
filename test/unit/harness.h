/* SPDX-License-Identifier: Apache-2.0 */
/* In-process token for unit tests: the firmware core over the sim board's
 * in-memory flash, driven with real frames. */
#ifndef HARNESS_H
#define HARNESS_H
/* Each test uses some of these helpers. */
#pragma GCC diagnostic ignored "-Wunused-function"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fw.h"
#include "sbrguard/tlv.h"
#include "sim.h"

static uint8_t th_flash[SIM_FLASH_SIZE];
static uint8_t th_out[SG_MAX_FRAME];
static uint8_t th_req[SG_MAX_FRAME];

typedef struct {
    uint8_t status;
    int reset;
    size_t len;
    const uint8_t *p; /* response payload (in th_out) */
} th_resp;

/* Power on: blank flash the first time, then whatever it holds. */
static int th_boot(void)
{
    static int attached;
    if (!attached) {
        memset(th_flash, 0xFF, sizeof th_flash);
        sim_flash_attach(th_flash);
        attached = 1;
    }
    sim_flash_cut_at(0);
    return fw_init();
}

/* Sends a raw frame. */
static th_resp th_raw(unsigned chan, const uint8_t *frame, size_t len)
{
    th_resp r = { 0 };
    size_t n = fw_handle_frame(chan, frame, len, th_out, sizeof th_out, &r.reset);
    r.status = n >= SG_FRAME_HDR_LEN ? th_out[3] : 0xFF;
    r.len = n >= SG_FRAME_HDR_LEN ? n - SG_FRAME_HDR_LEN : 0;
    r.p = th_out + SG_FRAME_HDR_LEN;
    return r;
}

/* Request builder: th_begin, th_put*, th_send. */
static size_t th_off;
static void th_begin(void) { th_off = 0; }
static void th_put(uint8_t tag, const void *v, size_t len)
{
    if (sg_tlv_append(th_req + SG_FRAME_HDR_LEN, SG_MAX_PAYLOAD, &th_off, tag, v, len))
        abort();
}
static void th_put_u(uint8_t tag, uint64_t v, size_t w)
{
    uint8_t b[8];
    sg_be_put(b, v, w);
    th_put(tag, b, w);
}
static void th_put_s(uint8_t tag, const char *s) { th_put(tag, s, strlen(s)); }
/* Like sg_set_evidence on a connection: when set, every SIGN and AUTHORIZE
 * without its own EVIDENCE gets what th_evidence_fn makes for its DATA
 * (0: none). The bundle fixture sets it to real evidence by a trusted VA. */
static size_t (*th_evidence_fn)(const uint8_t *data, size_t len, uint8_t *out, size_t cap);

static uint8_t th_evidence[SG_MAX_EVIDENCE]; /* the last evidence attached */
static size_t th_evidence_len;

static void th_add_evidence(uint8_t cmd)
{
    const uint8_t *v, *data = NULL;
    size_t off = 0, vl, dl = 0, n;
    uint8_t t;
    if (!th_evidence_fn || (cmd != SG_CMD_SIGN && cmd != SG_CMD_AUTHORIZE))
        return;
    while (sg_tlv_next(th_req + SG_FRAME_HDR_LEN, th_off, &off, &t, &v, &vl) == 1) {
        if (t == SG_T_EVIDENCE)
            return;
        if (t == SG_T_DATA) {
            data = v;
            dl = vl;
        }
    }
    if (data && (n = th_evidence_fn(data, dl, th_evidence, sizeof th_evidence)) &&
        !sg_tlv_append(th_req + SG_FRAME_HDR_LEN, SG_MAX_PAYLOAD, &th_off, SG_T_EVIDENCE, th_evidence, n))
        th_evidence_len = n;
}

static th_resp th_send(unsigned chan, uint8_t cmd)
{
    th_add_evidence(cmd);
    th_req[0] = 'S';
    th_req[1] = 'G';
    th_req[2] = SG_PROTO_VERSION;
    th_req[3] = cmd;
    sg_be_put(th_req + 4, th_off, 4);
    return th_raw(chan, th_req, SG_FRAME_HDR_LEN + th_off);
}

/* Finds a TLV in a response. */
static const uint8_t *th_get(th_resp r, uint8_t tag, size_t *len)
{
    size_t off = 0, vl;
    uint8_t t;
    const uint8_t *v;
    while (sg_tlv_next(r.p, r.len, &off, &t, &v, &vl) == 1)
        if (t == tag) {
            *len = vl;
            return v;
        }
    return NULL;
}

static uint64_t th_get_u(th_resp r, uint8_t tag)
{
    size_t l = 0;
    const uint8_t *v = th_get(r, tag, &l);
    return v ? sg_be_get(v, l) : 0xFFFFFFFFFFFFFFFFull;
}

/* Does the response carry REASON "code section" (section NULL: any)? */
static int th_has_reason(th_resp r, const char *code, const char *section)
{
    size_t off = 0, vl, cl = strlen(code);
    uint8_t t;
    const uint8_t *v;
    while (sg_tlv_next(r.p, r.len, &off, &t, &v, &vl) == 1) {
        if (t != SG_T_REASON || vl < cl || memcmp(v, code, cl) || (vl > cl && v[cl] != ' '))
            continue;
        if (!section)
            return 1;
        return vl == cl + 1 + strlen(section) && !memcmp(v + cl + 1, section, strlen(section));
    }
    return 0;
}

/* Common steps. */
static uint8_t th_login(unsigned chan, int user, const char *pin)
{
    th_begin();
    th_put_u(SG_T_USER_TYPE, (uint64_t)user, 1);
    th_put_s(SG_T_PIN, pin);
    return th_send(chan, SG_CMD_LOGIN).status;
}

static uint8_t th_init_token(const char *so, const char *label)
{
    th_begin();
    th_put_s(SG_T_PIN, so);
    th_put_s(SG_T_LABEL, label);
    return th_send(0, SG_CMD_INIT_TOKEN).status;
}

static uint8_t th_init_pin(const char *so, const char *pin)
{
    uint8_t st = th_login(0, SG_USER_SO, so);
    if (st)
        return st;
    th_begin();
    th_put_s(SG_T_PIN, pin);
    st = th_send(0, SG_CMD_INIT_PIN).status;
    th_begin();
    th_send(0, SG_CMD_LOGOUT);
    return st;
}

static uint8_t th_set_pin(unsigned chan, int user, const char *old, const char *nw)
{
    th_begin();
    th_put_u(SG_T_USER_TYPE, (uint64_t)user, 1);
    th_put_s(SG_T_PIN, old);
    th_put_s(SG_T_NEW_PIN, nw);
    return th_send(chan, SG_CMD_SET_PIN).status;
}

static th_resp th_keygen(unsigned chan, int type, const char *label, uint32_t flags)
{
    th_begin();
    th_put_u(SG_T_KEY_TYPE, (uint64_t)type, 1);
    th_put_s(SG_T_LABEL, label);
    th_put_u(SG_T_FLAGS, flags, 4);
    return th_send(chan, SG_CMD_GENERATE_KEY);
}

static th_resp th_sign(unsigned chan, unsigned handle, uint32_t mech, const void *data, size_t len)
{
    th_begin();
    th_put_u(SG_T_HANDLE, handle, 2);
    th_put_u(SG_T_MECH, mech, 4);
    th_put(SG_T_DATA, data, len);
    return th_send(chan, SG_CMD_SIGN);
}

#endif
