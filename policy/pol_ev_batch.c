/* SPDX-License-Identifier: Apache-2.0 */
/* Batched evidence (docs/evidence.md "Batched evidence"): a VA signs one
 * BatchRoot over the RFC 9162 tree of many records, and a request carries
 * its record, the record's inclusion path and that signed root. Here: the
 * inclusion proof (RFC 9162 2.1.3.2), the root's trust and times, and its
 * signature unless the caller's cache has seen this exact signed root. The
 * check keeps no state; the cache is the caller's (the token's RAM). */
#include <string.h>
#include "sbrguard/evidence.h"
#include "pol_ev.h"
#include "sbrguard/hal_crypto.h"

/* SHA-256(prefix || a || b); out may alias a or b (read before written). */
static int hash2(uint8_t prefix, const uint8_t *a, size_t al, const uint8_t *b, size_t bl, uint8_t out[32])
{
    hal_md_ctx c;
    if (hal_md_start(&c, HAL_MD_SHA256) || hal_md_update(&c, &prefix, 1) || hal_md_update(&c, a, al) ||
        hal_md_update(&c, b, bl))
        return -1; /* c holds only public data */
    return hal_md_finish(&c, out) ? -1 : 0;
}

int pol_evb_leaf(pol_slice record, uint8_t out[32]) { return hash2(0x00, record.p, record.len, NULL, 0, out); }

int pol_evb_included(const pol_evb *b, const uint8_t leaf[32])
{
    pol_der c = pol_der_of(b->path);
    pol_slice p;
    uint32_t fn = b->index, sn;
    uint8_t r[32];
    if (b->index >= b->size)
        return -1;
    sn = b->size - 1;
    memcpy(r, leaf, sizeof r);
    while (pol_der_expect(&c, DER_OCTET_STRING, &p, NULL) == 0) {
        if (sn == 0 || p.len != sizeof r)
            return -1;
        if ((fn & 1) || fn == sn) {
            if (hash2(0x01, p.p, p.len, r, sizeof r, r))
                return -1;
            while (!(fn & 1) && fn) { /* the right edge: no sibling at these levels */
                fn >>= 1;
                sn >>= 1;
            }
        } else if (hash2(0x01, r, sizeof r, p.p, p.len, r)) {
            return -1;
        }
        fn >>= 1;
        sn >>= 1;
    }
    return !pol_der_more(&c) && sn == 0 && pol_eq(b->root, r, sizeof r) ? 0 : -1;
}

/* Cheap checks first, the signature last: a root whose proof or times fail
 * costs no signature verification, and only roots that pass everything
 * here are ever verified (and cached by the caller). */
int pol_evb_check(const pol_evb *b, const pol_ev *rec, const pol_ev_trust *t, int64_t now, const pol_ev_roots *roots,
                  pol_ev_info *info)
{
    pol_slice spki;
    uint8_t h[32];
    /* The root's VA is the one that vouches for the record: it must be
     * trusted, and be the VA the record names. */
    if (pol_ev_find_va(t, b->va_key_id, &spki) || !pol_eq(rec->va_key_id, b->va_key_id.p, b->va_key_id.len))
        return EV_BATCH_VA_UNTRUSTED;
    if (pol_evb_leaf(b->record, h) || pol_evb_included(b, h))
        return EV_BATCH_PROOF;
    if (b->signed_at > now + t->skew)
        return EV_FUTURE;
    /* A signed root is good for SG_EV_BATCH_MAX_AGE on the token's clock,
     * and covers only records the VA had produced when it signed. */
    if ((b->signed_at < now && (uint64_t)now - (uint64_t)b->signed_at > SG_EV_BATCH_MAX_AGE) ||
        rec->produced_at > b->signed_at)
        return EV_BATCH_STALE;
    if (hal_hash(HAL_MD_SHA256, b->signed_root.p, b->signed_root.len, h))
        return EV_BATCH_SIGNATURE;
    if (info)
        memcpy(info->root_id, h, sizeof h);
    if (roots && roots->seen && roots->seen(roots->ctx, h) == 1)
        return -1;
    if (pol_sig_verify(spki.p, spki.len, b->sig_alg.p, b->sig_alg.len, b->root_tbs.p, b->root_tbs.len, b->sig.p,
                       b->sig.len))
        return EV_BATCH_SIGNATURE;
    if (info)
        info->root_verified = 1;
    return -1;
}

int pol_ev_log_hashes(const uint8_t *ev, size_t len, uint8_t record_hash[32], uint8_t batch_root[32])
{
    pol_evb b;
    memset(batch_root, 0, 32);
    /* The outer structure only: the check reads the record itself. */
    if (pol_evb_is(ev, len) && pol_evb_parse(ev, len, &b, NULL) == POL_EV_OK) {
        memcpy(batch_root, b.root.p, 32);
        if (hal_hash(HAL_MD_SHA256, b.record.p, b.record.len, record_hash) == 0)
            return 1;
    }
    if (!ev || hal_hash(HAL_MD_SHA256, ev, len, record_hash))
        memset(record_hash, 0, 32);
    return 0;
}
