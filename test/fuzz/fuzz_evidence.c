/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: validation evidence, both forms (docs/evidence.md).
 * The input is two bytes of TBS length, the TBS, then the evidence. Both go through the whole check (a
 * mutated input rarely keeps a valid signature, so this mostly reaches the
 * parser) and, once parsed, through the judging that follows the signature
 * check; a batched one through its inclusion proof and, with a cache that
 * claims every root, past the root signature into the judging; the log's
 * hashes of it; and the VA side's list of needs. Any crash, leak or UB report, or
 * a refusal without a reason, is a failure. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "sbrguard/evidence.h"
#include "../../policy/pol_ev.h"

static void need(void *ctx, const pol_ev_need *n)
{
    size_t *count = ctx;
    if (n->value.len && !n->value.p)
        __builtin_trap();
    (*count)++;
}

static int seen_all(void *ctx, const uint8_t id[32])
{
    (void)ctx;
    (void)id;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static pol_workspace w;
    static const uint8_t caa[] = { 0x16, 0x0A, 'c', 'a', '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e' };
    pol_ev_trust trust = { { NULL, 0 }, { caa, sizeof caa }, SG_EV_MPIC_FROM, 0 };
    pol_decision d;
    pol_ev ev;
    size_t tl, count = 0;
    int type;
    if (size < 2)
        return 0;
    tl = (size_t)data[0] << 8 | data[1];
    if (tl > size - 2)
        tl = size - 2;
    const uint8_t *tbs = data + 2, *evp = tbs + tl;
    size_t el = size - 2 - tl;
    /* A trusted key from the input, so that the signature check runs. */
    trust.va_keys.p = tbs;
    trust.va_keys.len = tl;
    memset(&d, 0, sizeof d);
    d.verdict = POL_ACCEPT;
    pol_evidence_check(tbs, tl, evp, el, &trust, 1767225600, &w, &d);
    if (d.verdict != POL_REFUSE || d.n == 0)
        __builtin_trap(); /* a bundle whose signature nobody made is never accepted */
    if (pol_ev_parse(evp, el, &ev) == POL_EV_OK) {
        pol_ev_mailbox m;
        pol_ev_identity r;
        pol_der c = pol_der_of(ev.mailboxes);
        while (pol_ev_next_mailbox(&c, &m) == 1)
            ;
        c = pol_der_of(ev.identities);
        while (pol_ev_next_identity(&c, &r) == 1)
            ;
        memset(&d, 0, sizeof d);
        d.verdict = POL_ACCEPT;
        pol_ev_judge(tbs, tl, &ev, &trust, 1767225600, &w, &d);
        if ((d.verdict == POL_ACCEPT) != (d.n == 0))
            __builtin_trap();
    }
    pol_evb b;
    if (pol_evb_parse(evp, el, &b, &ev) == POL_EV_OK) {
        pol_ev_roots all = { seen_all, NULL };
        pol_ev_info info;
        uint8_t leaf[32];
        if (pol_evb_leaf(b.record, leaf) == 0)
            (void)pol_evb_included(&b, leaf);
        memset(&d, 0, sizeof d);
        d.verdict = POL_ACCEPT;
        pol_evidence_check_ex(tbs, tl, evp, el, &trust, 1767225600, &all, &info, &w, &d);
        if ((d.verdict == POL_ACCEPT) != (d.n == 0) || !info.batched || info.root_verified)
            __builtin_trap();
    }
    uint8_t rh[32], root[32];
    pol_ev_log_hashes(evp, el, rh, root);
    pol_ev_needs(tbs, tl, &w, need, &count, &type);
    return 0;
}
