/* SPDX-License-Identifier: Apache-2.0 */
/*
 * RFC 9162 Merkle tree hashes (leaf 0x00, node 0x01, SHA-256): the frontier
 * of a growing tree, subtree hashes over a range whose leaves come from a
 * callback and whose pruned prefix is a frozen frontier, and inclusion and
 * consistency proofs (RFC 9162 2.1.3, 2.1.4).
 */
#include <string.h>
#include "fw.h"
#include "sbrguard/hal_crypto.h"

/* frozen_node: [a, b) spans several subtrees of the frontier. */
#define FW_E_NOT_FOUND_IN_FRONTIER 1

void fw_mk_leaf(const uint8_t *entry, size_t len, uint8_t out[32])
{
    static const uint8_t zero = 0x00;
    hal_md_ctx h;
    hal_md_start(&h, HAL_MD_SHA256);
    hal_md_update(&h, &zero, 1);
    hal_md_update(&h, entry, len);
    hal_md_finish(&h, out);
}

void fw_mk_node(const uint8_t l[32], const uint8_t r[32], uint8_t out[32])
{
    static const uint8_t one = 0x01;
    hal_md_ctx h;
    hal_md_start(&h, HAL_MD_SHA256);
    hal_md_update(&h, &one, 1);
    hal_md_update(&h, l, 32);
    hal_md_update(&h, r, 32);
    hal_md_finish(&h, out);
}

int fw_frontier_push(fw_frontier *f, const uint8_t leaf[32])
{
    uint8_t carry[32];
    unsigned h = 0;
    if (f->size >= ((uint64_t)1 << FW_LOG_MAX_HEIGHT) - 1)
        return FW_E_LOG_FULL;
    memcpy(carry, leaf, 32);
    while (f->size >> h & 1) {
        fw_mk_node(f->h[h], carry, carry);
        h++;
    }
    memcpy(f->h[h], carry, 32);
    f->size++;
    return FW_OK;
}

void fw_frontier_root(const fw_frontier *f, uint8_t out[32])
{
    int have = 0;
    if (f->size == 0) {
        hal_hash(HAL_MD_SHA256, NULL, 0, out);
        return;
    }
    for (unsigned h = 0; h < FW_LOG_MAX_HEIGHT; h++) {
        if (!(f->size >> h & 1))
            continue;
        if (!have)
            memcpy(out, f->h[h], 32);
        else
            fw_mk_node(f->h[h], out, out);
        have = 1;
    }
}

/* Largest power of two strictly below n (n >= 2). */
static uint64_t split(uint64_t n)
{
    uint64_t k = 1;
    while (k << 1 < n)
        k <<= 1;
    return k;
}

/* A node [a, b) inside the pruned prefix if it is one of the frontier's
 * perfect subtrees (the recursion in fw_mth never asks for less). */
static int frozen_node(const fw_frontier *f, uint64_t a, uint64_t b, uint8_t out[32])
{
    for (unsigned h = 0; h < FW_LOG_MAX_HEIGHT; h++) {
        if (!(f->size >> h & 1))
            continue;
        /* Subtrees of the frontier are ordered from the highest bit. */
        uint64_t start = f->size >> (h + 1) << (h + 1), end = start + ((uint64_t)1 << h);
        if (a == start && b == end) {
            memcpy(out, f->h[h], 32);
            return FW_OK;
        }
        if (a >= start && b <= end)
            return FW_E_LOG_PRUNED; /* strictly inside: those hashes are gone */
    }
    return FW_E_NOT_FOUND_IN_FRONTIER;
}

int fw_mth(const fw_tree *t, uint64_t a, uint64_t b, uint8_t out[32])
{
    uint8_t l[32], r[32];
    int rc;
    if (b <= a) {
        if (a == b && a == 0) {
            hal_hash(HAL_MD_SHA256, NULL, 0, out);
            return FW_OK;
        }
        return FW_E_INTERNAL;
    }
    /* In the pruned prefix: a subtree of the frontier, or one made of
     * several (the root of [0, min) when min is not a power of two). */
    if (b <= t->base->size) {
        rc = frozen_node(t->base, a, b, out);
        if (rc != FW_E_NOT_FOUND_IN_FRONTIER)
            return rc;
    } else if (b - a == 1) {
        return t->leaf(t->ctx, a, out);
    }
    uint64_t k = split(b - a);
    if ((rc = fw_mth(t, a, a + k, l)) || (rc = fw_mth(t, a + k, b, r)))
        return rc;
    fw_mk_node(l, r, out);
    return FW_OK;
}

typedef struct {
    uint8_t (*out)[32];
    size_t cap, n;
} proof_out;

static int emit(const fw_tree *t, proof_out *p, uint64_t a, uint64_t b)
{
    if (p->n >= p->cap)
        return FW_E_INTERNAL;
    int rc = fw_mth(t, a, b, p->out[p->n]);
    if (rc == FW_OK)
        p->n++;
    return rc;
}

/* PATH(m, D[a:b]) of RFC 9162 2.1.3.1, m absolute. */
static int path(const fw_tree *t, proof_out *p, uint64_t m, uint64_t a, uint64_t b)
{
    int rc;
    if (b - a <= 1)
        return FW_OK;
    uint64_t k = split(b - a);
    if (m < a + k) {
        if ((rc = path(t, p, m, a, a + k)))
            return rc;
        return emit(t, p, a + k, b);
    }
    if ((rc = path(t, p, m, a + k, b)))
        return rc;
    return emit(t, p, a, a + k);
}

int fw_inclusion(const fw_tree *t, uint64_t i, uint64_t n, uint8_t (*proof)[32], size_t cap, size_t *len)
{
    proof_out p = { proof, cap, 0 };
    if (i >= n)
        return FW_E_ARGS;
    if (i < t->base->size)
        return FW_E_LOG_PRUNED;
    int rc = path(t, &p, i, 0, n);
    *len = p.n;
    return rc;
}

/* SUBPROOF(m, D[a:b], whole) of RFC 9162 2.1.4.1, m relative to a. */
static int subproof(const fw_tree *t, proof_out *p, uint64_t m, uint64_t a, uint64_t b, int whole)
{
    int rc;
    if (m == b - a)
        return whole ? FW_OK : emit(t, p, a, b);
    uint64_t k = split(b - a);
    if (m <= k) {
        if ((rc = subproof(t, p, m, a, a + k, whole)))
            return rc;
        return emit(t, p, a + k, b);
    }
    if ((rc = subproof(t, p, m - k, a + k, b, 0)))
        return rc;
    return emit(t, p, a, a + k);
}

int fw_consistency(const fw_tree *t, uint64_t m, uint64_t n, uint8_t (*proof)[32], size_t cap, size_t *len)
{
    proof_out p = { proof, cap, 0 };
    *len = 0;
    if (m > n)
        return FW_E_ARGS;
    if (m < t->base->size)
        return FW_E_LOG_PRUNED;
    if (m == 0 || m == n)
        return FW_OK; /* empty proof */
    int rc = subproof(t, &p, m, 0, n, 1);
    *len = p.n;
    return rc;
}
