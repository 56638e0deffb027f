/* SPDX-License-Identifier: Apache-2.0 */
/* Domain reality (SBR 7.1.4.2.1 via 3.2.2): lookups of a mailbox domain in
 * the ICANN section of the public suffix list, front-coded by
 * policy/gen_tables.py. */
#include "pol_mailbox.h"
#include "pol_tables.h"

/* The main list is sorted and front-coded (policy/gen_tables.py). Scanning
 * a block from its restart point, m is the length the key shares with the
 * previous entry, which sorts below the key; an entry that shares fewer
 * than m bytes with it sorts above the key, one that shares more sorts
 * below, and only one that shares exactly m needs its bytes compared. */

static inline const uint8_t *entry_head(const uint8_t *q, const uint8_t *end, size_t *shared, size_t *ntok)
{
    if (q >= end)
        return NULL;
    *shared = *q & 31u;
    *ntok = *q++ >> 5;
    if (*shared == 31) {
        if (q >= end)
            return NULL;
        *shared = *q++;
    }
    if (*ntok == 0) {
        if (q >= end)
            return NULL;
        *ntok = *q++;
    }
    return (size_t)(end - q) >= *ntok ? q : NULL;
}

/* Compares the entry whose first *m bytes equal the key's, continued by the
 * tokens tok[0..ntok), with the key: <0, 0, >0 as the entry sorts below,
 * equal to, above the key; *m becomes their common length. */
static inline int entry_cmp(const uint8_t *tok, size_t ntok, const uint8_t *key, size_t len, size_t *m)
{
    size_t j = *m;
    for (size_t t = 0; t < ntok; t++) {
        const char *c = pol_psl_tok + pol_psl_tok_off[tok[t]], *e = pol_psl_tok + pol_psl_tok_off[tok[t] + 1];
        for (; c < e; c++, j++) {
            if (j == len || (uint8_t)*c != key[j]) {
                *m = j;
                return j == len || (uint8_t)*c > key[j] ? 1 : -1;
            }
        }
    }
    *m = j;
    return j == len ? 0 : -1;
}

static const uint8_t *block_end(size_t r)
{
    return pol_psl_blob + (r + 1 < pol_psl_restart_n ? pol_psl_restart[r + 1] : pol_psl_blob_n);
}

/* Block r's first key against the key: by the head bytes, and only on a tie
 * by the key itself. */
static int block_cmp(size_t r, unsigned head, const uint8_t *key, size_t len)
{
    size_t shared, ntok, m = 0;
    const uint8_t *q;
    if (pol_psl_head[r] != head)
        return pol_psl_head[r] < head ? -1 : 1;
    q = entry_head(pol_psl_blob + pol_psl_restart[r], block_end(r), &shared, &ntok);
    return q && shared == 0 ? entry_cmp(q, ntok, key, len, &m) : 1;
}

int pol_psl_has(const uint8_t *key, size_t len)
{
    size_t lo, hi, shared, ntok, m;
    const uint8_t *q, *end;
    unsigned head = 0;
    int c;
    if (len == 0 || key[0] < 'a' || key[0] > 'z')
        return 0; /* every key starts with a letter */
    for (size_t i = 1; i < 3; i++)
        head = head << 8 | (i < len ? key[i] : 0u);
    /* Blocks before lo start below the key's letter, blocks from hi above
     * it: the key is in the last block of [lo - 1, hi) whose first key is
     * not above it. */
    lo = pol_psl_first[key[0] - 'a'];
    hi = pol_psl_first[key[0] - 'a' + 1];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (block_cmp(mid, head, key, len) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return 0;
    end = block_end(lo - 1);
    q = pol_psl_blob + pol_psl_restart[lo - 1];
    m = 0;
    while ((q = entry_head(q, end, &shared, &ntok)) != NULL) {
        if (shared < m)
            return 0;
        if (shared == m) {
            c = entry_cmp(q, ntok, key, len, &m);
            if (c >= 0)
                return c == 0;
        }
        q += ntok;
    }
    return 0;
}

static int list_has(const char *const *list, const uint8_t *key, size_t len)
{
    for (; *list; list++) {
        const char *k = *list;
        size_t i = 0;
        if ((uint8_t)k[0] > key[0])
            return 0; /* sorted */
        while (i < len && (uint8_t)k[i] == key[i])
            i++;
        if (i == len && !k[i])
            return 1;
    }
    return 0;
}

/* key = the labels of d rightmost first, lowercase ("mail.example.co.uk"
 * -> "uk.co.example.mail"); *leftmost = where its last label's "." is (0
 * for one label). 0, or -1 if d does not fit. */
static int psl_key(pol_slice d, uint8_t key[253], size_t *leftmost)
{
    size_t k = 0, e = d.len;
    *leftmost = 0;
    if (d.len == 0 || d.len > 253)
        return -1;
    while (e > 0) {
        size_t s = e;
        while (s > 0 && d.p[s - 1] != '.')
            s--;
        if (k) {
            *leftmost = k;
            key[k++] = '.';
        }
        for (size_t i = s; i < e && k < 253; i++)
            key[k++] = pol_lower(d.p[i]);
        e = s ? s - 1 : 0;
    }
    return k == d.len ? 0 : -1;
}

int pol_domain_tld_known(pol_slice d)
{
    uint8_t tld[63];
    size_t s = d.len, n = 0;
    while (s > 0 && d.p[s - 1] != '.')
        s--;
    if (d.len - s == 0 || d.len - s > sizeof tld)
        return 0;
    for (size_t i = s; i < d.len; i++)
        tld[n++] = pol_lower(d.p[i]);
    return pol_psl_has(tld, n);
}

int pol_domain_is_suffix(pol_slice d)
{
    uint8_t key[253];
    size_t leftmost;
    if (psl_key(d, key, &leftmost))
        return 0;
    /* One label: a TLD, or a public suffix by the list's implicit "*" rule. */
    if (leftmost == 0 || pol_psl_has(key, d.len))
        return 1;
    return list_has(pol_psl_wild, key, leftmost) && !list_has(pol_psl_exc, key, d.len);
}

int pol_domain_public(pol_slice d)
{
    if (!pol_domain_tld_known(d))
        return POL_DOM_TLD;
    return pol_domain_is_suffix(d) ? POL_DOM_SUFFIX : POL_DOM_OK;
}
