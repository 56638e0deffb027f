/* SPDX-License-Identifier: Apache-2.0 */
/* RFC 9162 2.1 Merkle tree over SHA-256: tree heads, inclusion and consistency
 * proofs (the recursive definitions of 2.1.1, 2.1.3.1, 2.1.4.1) and their
 * verification (the algorithms of 2.1.3.2 and 2.1.4.2). */
#include <string.h>
#include "audit.h"
#include "mbedtls/sha256.h"

static void hash2(uint8_t prefix, const uint8_t *a, size_t alen, const uint8_t *b, size_t blen,
                  uint8_t out[AU_HASH_LEN])
{
    mbedtls_sha256_context c;
    mbedtls_sha256_init(&c);
    mbedtls_sha256_starts(&c, 0);
    mbedtls_sha256_update(&c, &prefix, 1);
    if (alen)
        mbedtls_sha256_update(&c, a, alen);
    if (blen)
        mbedtls_sha256_update(&c, b, blen);
    mbedtls_sha256_finish(&c, out);
    mbedtls_sha256_free(&c);
}

void au_leaf_hash(const uint8_t *d, size_t len, uint8_t out[AU_HASH_LEN])
{
    hash2(0x00, d, len, NULL, 0, out);
}

void au_node_hash(const uint8_t l[AU_HASH_LEN], const uint8_t r[AU_HASH_LEN], uint8_t out[AU_HASH_LEN])
{
    hash2(0x01, l, AU_HASH_LEN, r, AU_HASH_LEN, out);
}

/* The largest power of two smaller than n (n > 1). */
static uint64_t split(uint64_t n)
{
    uint64_t k = 1;
    while (k < n - k)
        k <<= 1;
    return k;
}

void au_mth(const uint8_t *leaves, uint64_t n, uint8_t out[AU_HASH_LEN])
{
    if (n == 0) {
        mbedtls_sha256((const unsigned char *)"", 0, out, 0);
        return;
    }
    if (n == 1) {
        memcpy(out, leaves, AU_HASH_LEN);
        return;
    }
    uint64_t k = split(n);
    uint8_t l[AU_HASH_LEN], r[AU_HASH_LEN];
    au_mth(leaves, k, l);
    au_mth(leaves + k * AU_HASH_LEN, n - k, r);
    au_node_hash(l, r, out);
}

typedef struct {
    uint8_t *p;
    size_t cap, n;
    int overflow;
} proof_buf;

static void push(proof_buf *b, const uint8_t *leaves, uint64_t n)
{
    if (b->n >= b->cap) {
        b->overflow = 1;
        return;
    }
    au_mth(leaves, n, b->p + b->n++ * AU_HASH_LEN);
}

/* PATH(m, D[n]): the sibling subtrees, leaf level first. */
static void path(proof_buf *b, const uint8_t *leaves, uint64_t n, uint64_t m)
{
    if (n <= 1)
        return;
    uint64_t k = split(n);
    if (m < k) {
        path(b, leaves, k, m);
        push(b, leaves + k * AU_HASH_LEN, n - k);
    } else {
        path(b, leaves + k * AU_HASH_LEN, n - k, m - k);
        push(b, leaves, k);
    }
}

/* SUBPROOF(m, D[n], b). */
static void subproof(proof_buf *b, const uint8_t *leaves, uint64_t n, uint64_t m, int whole)
{
    if (m == n) {
        if (!whole)
            push(b, leaves, n);
        return;
    }
    uint64_t k = split(n);
    if (m <= k) {
        subproof(b, leaves, k, m, whole);
        push(b, leaves + k * AU_HASH_LEN, n - k);
    } else {
        subproof(b, leaves + k * AU_HASH_LEN, n - k, m - k, 0);
        push(b, leaves, k);
    }
}

int au_inclusion_proof(const uint8_t *leaves, uint64_t n, uint64_t m, uint8_t *proof, size_t cap, size_t *count)
{
    if (m >= n)
        return AU_E_ARGS;
    proof_buf b = { proof, cap, 0, 0 };
    path(&b, leaves, n, m);
    *count = b.n;
    return b.overflow ? AU_E_ARGS : AU_OK;
}

int au_consistency_proof(const uint8_t *leaves, uint64_t n, uint64_t m, uint8_t *proof, size_t cap, size_t *count)
{
    if (m == 0 || m > n)
        return AU_E_ARGS;
    proof_buf b = { proof, cap, 0, 0 };
    subproof(&b, leaves, n, m, 1);
    *count = b.n;
    return b.overflow ? AU_E_ARGS : AU_OK;
}

int au_inclusion_verify(uint64_t index, uint64_t size, const uint8_t leaf[AU_HASH_LEN], const uint8_t *proof,
                        size_t count, const uint8_t root[AU_HASH_LEN])
{
    if (index >= size)
        return AU_E_ARGS;
    uint64_t fn = index, sn = size - 1;
    uint8_t r[AU_HASH_LEN];
    memcpy(r, leaf, AU_HASH_LEN);
    for (size_t i = 0; i < count; i++) {
        const uint8_t *p = proof + i * AU_HASH_LEN;
        if (sn == 0)
            return AU_E_PROOF;
        if ((fn & 1) || fn == sn) {
            au_node_hash(p, r, r);
            if (!(fn & 1))
                while (!(fn & 1) && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
        } else {
            au_node_hash(r, p, r);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && !memcmp(r, root, AU_HASH_LEN) ? AU_OK : AU_E_PROOF;
}

static int is_pow2(uint64_t x)
{
    return x && !(x & (x - 1));
}

int au_consistency_verify(uint64_t first, uint64_t second, const uint8_t first_root[AU_HASH_LEN],
                          const uint8_t second_root[AU_HASH_LEN], const uint8_t *proof, size_t count)
{
    if (first > second)
        return AU_E_ARGS;
    if (first == 0) /* the empty tree is a prefix of every tree */
        return count == 0 ? AU_OK : AU_E_PROOF;
    if (first == second)
        return count == 0 && !memcmp(first_root, second_root, AU_HASH_LEN) ? AU_OK : AU_E_PROOF;
    /* 1. An empty path fails. */
    if (count == 0)
        return AU_E_PROOF;
    /* 2. If first is an exact power of 2, first_hash is prepended. */
    const uint8_t *c0 = proof;
    size_t i = 1;
    if (is_pow2(first)) {
        c0 = first_root;
        i = 0;
    }
    /* 3.-4. */
    uint64_t fn = first - 1, sn = second - 1;
    while (fn & 1) {
        fn >>= 1;
        sn >>= 1;
    }
    /* 5. */
    uint8_t fr[AU_HASH_LEN], sr[AU_HASH_LEN];
    memcpy(fr, c0, AU_HASH_LEN);
    memcpy(sr, c0, AU_HASH_LEN);
    /* 6. */
    for (; i < count; i++) {
        const uint8_t *c = proof + i * AU_HASH_LEN;
        if (sn == 0)
            return AU_E_PROOF;
        if ((fn & 1) || fn == sn) {
            au_node_hash(c, fr, fr);
            au_node_hash(c, sr, sr);
            if (!(fn & 1))
                while (!(fn & 1) && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
        } else {
            au_node_hash(sr, c, sr);
        }
        fn >>= 1;
        sn >>= 1;
    }
    /* 7. */
    return sn == 0 && !memcmp(fr, first_root, AU_HASH_LEN) && !memcmp(sr, second_root, AU_HASH_LEN) ? AU_OK
                                                                                                    : AU_E_PROOF;
}
