/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file tlv.h
 * @brief TLV reader/writer shared by the token and the host (freestanding).
 *
 * A TLV is tag (u8), length (u16 big-endian), value. Readers check every
 * length against the end of the buffer before touching the value.
 */
#ifndef SBRGUARD_TLV_H
#define SBRGUARD_TLV_H
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/**
 * Reads the TLV at *off. Returns 1 and advances *off when one was read,
 * 0 at the end of the buffer, -1 if it is truncated.
 */
static inline int sg_tlv_next(const uint8_t *p, size_t len, size_t *off, uint8_t *tag,
                              const uint8_t **val, size_t *val_len)
{
    if (*off >= len)
        return 0;
    if (len - *off < 3)
        return -1;
    size_t l = ((size_t)p[*off + 1] << 8) | p[*off + 2];
    if (len - *off - 3 < l)
        return -1;
    *tag = p[*off];
    *val = p + *off + 3;
    *val_len = l;
    *off += 3 + l;
    return 1;
}

/** Appends a TLV; returns -1 (nothing written) if it does not fit. */
static inline int sg_tlv_append(uint8_t *buf, size_t cap, size_t *off, uint8_t tag,
                                const void *val, size_t len)
{
    if (len > 0xFFFFu || *off > cap || cap - *off < 3 + len)
        return -1;
    buf[*off] = tag;
    buf[*off + 1] = (uint8_t)(len >> 8);
    buf[*off + 2] = (uint8_t)len;
    if (len)
        memcpy(buf + *off + 3, val, len);
    *off += 3 + len;
    return 0;
}

/** Big-endian integer of width bytes (1..8). */
static inline uint64_t sg_be_get(const uint8_t *p, size_t width)
{
    uint64_t v = 0;
    for (size_t i = 0; i < width; i++)
        v = (v << 8) | p[i];
    return v;
}

static inline void sg_be_put(uint8_t *p, uint64_t v, size_t width)
{
    for (size_t i = 0; i < width; i++)
        p[i] = (uint8_t)(v >> (8 * (width - 1 - i)));
}

#endif
