/* SPDX-License-Identifier: Apache-2.0 */
/* libsbrguard internals. */
#ifndef SG_CLIENT_H
#define SG_CLIENT_H
#include "sbrguard/sbrguard.h"

struct sg_client {
    int fd;
    int last_status;
    char last_msg[128];
    size_t resp_len;
    uint8_t req[SG_MAX_PAYLOAD];
    uint8_t resp[SG_MAX_PAYLOAD];
    size_t evidence_len; /* sg_set_evidence: sent with SIGN and AUTHORIZE */
    uint8_t evidence[SG_MAX_EVIDENCE];
};

int sg_call(sg_client *c, uint8_t cmd, size_t req_len);
int sg_hello(sg_client *c);
int sg_get_u(const uint8_t *p, size_t len, uint8_t tag, size_t width, uint64_t *v);
/* An optional field of the last answer: zero when absent or malformed. */
uint64_t sg_opt_u(const sg_client *c, uint8_t tag, size_t width);

/* Appends a TLV to c->req at off (a local of the caller); SG_E_ARGS if full. */
#define SG_PUT(tag, v, l)                                                  \
    do {                                                                   \
        if (sg_tlv_put(c->req, sizeof c->req, &off, (tag), (v), (l)))      \
            return SG_E_ARGS;                                              \
    } while (0)

#endif
