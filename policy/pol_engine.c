/* SPDX-License-Identifier: Apache-2.0 */
/* One decision: decode, tell the profile (SBR 7.1.6.1), run every rule,
 * collect every failure. */
#include <string.h>
#include "pol_ev.h"
#include "pol_int.h"

typedef char workspace_fits[sizeof(pol_eval) <= sizeof(pol_workspace) ? 1 : -1];

static const struct {
    const pol_rule *rules;
    const size_t *n;
} groups[] = {
    { pol_rules_cert, &pol_rules_cert_n },
    { pol_rules_ext, &pol_rules_ext_n },
    { pol_rules_ext2, &pol_rules_ext2_n },
    { pol_rules_name_san, &pol_rules_name_san_n },
    { pol_rules_name_value, &pol_rules_name_value_n },
    { pol_rules_name_cn, &pol_rules_name_cn_n },
    { pol_rules_name_place, &pol_rules_name_place_n },
    { pol_rules_name_table, &pol_rules_name_table_n },
    { pol_rules_orgid, &pol_rules_orgid_n },
    { pol_rules_key, &pol_rules_key_n },
    { pol_rules_bundle, &pol_rules_bundle_n },
    { pol_rules_evidence, &pol_rules_evidence_n }, /* recorded by pol_evidence_check */
    { pol_rules_blocklist, &pol_rules_blocklist_n },
};
#define N_GROUPS (sizeof groups / sizeof *groups)

size_t pol_rule_count(void)
{
    size_t n = 0;
    for (size_t g = 0; g < N_GROUPS; g++)
        n += *groups[g].n;
    return n;
}

const pol_rule *pol_rule_at(size_t i)
{
    for (size_t g = 0; g < N_GROUPS; g++) {
        if (i < *groups[g].n)
            return &groups[g].rules[i];
        i -= *groups[g].n;
    }
    return 0;
}

size_t pol_rule_index(const pol_rule *r)
{
    size_t base = 0;
    for (size_t g = 0; g < N_GROUPS; g++) {
        if (r >= groups[g].rules && r < groups[g].rules + *groups[g].n)
            return base + (size_t)(r - groups[g].rules);
        base += *groups[g].n;
    }
    return POL_RULE_DER_MALFORMED; /* not a row: refuse with the parse rule */
}

int pol_rule_find(const char *code)
{
    for (size_t i = 0; i < pol_rule_count(); i++) {
        const char *a = pol_rule_at(i)->code, *b = code;
        while (*a && *a == *b) {
            a++;
            b++;
        }
        if (*a == *b)
            return (int)i;
    }
    return -1;
}

const char *pol_type_name(int type)
{
    static const char *const names[] = { "mailbox", "organization", "sponsor", "individual" };
    return type >= 0 && type < 4 ? names[type] : "unknown";
}

const char *pol_gen_name(int gen)
{
    static const char *const names[] = { "legacy", "multipurpose", "strict" };
    return gen >= 0 && gen < 3 ? names[gen] : "unknown";
}

/* 2.23.140.1.5.T.G: T = type 1..4, G = generation 1..3. */
int pol_profile(pol_eval *e)
{
    static const uint8_t arc[] = { 0x67, 0x81, 0x0C, 0x01, 0x05 };
    int found = 0;
    e->type = e->gen = -1;
    for (uint8_t i = 0; i < e->n_policies; i++) {
        pol_slice o = e->policies[i];
        if (o.len != sizeof arc + 2)
            continue;
        int k = 0;
        while (k < (int)sizeof arc && o.p[k] == arc[k])
            k++;
        if (k < (int)sizeof arc || o.p[5] < 1 || o.p[5] > 4 || o.p[6] < 1 || o.p[6] > 3)
            continue;
        found++;
        e->type = o.p[5] - 1;
        e->gen = o.p[6] - 1;
    }
    if (found > 1)
        e->type = e->gen = -1;
    return found == 1 ? 0 : found == 0 ? -1 : -2;
}

static void record(pol_decision *d, size_t idx)
{
    if (d->n < POL_MAX_FINDINGS)
        d->findings[d->n++] = (uint16_t)idx;
    else if (d->dropped < 0xFFFF)
        d->dropped++;
}

void pol_check(const uint8_t *tbs, size_t len, const pol_ctx *ctx, pol_workspace *w, pol_decision *d)
{
    pol_eval *e = (pol_eval *)(void *)w->bytes;
    memset(e, 0, POL_EVAL_CLEAR);
    d->verdict = POL_REFUSE;
    d->n = d->dropped = 0;
    e->ctx = ctx;
    e->type = e->gen = -1;
    if (pol_decode(tbs, len, e) != 0) {
        /* Only the parse rule speaks about input that is not X.509 DER. */
        record(d, POL_RULE_DER_MALFORMED);
        d->type = d->gen = -1;
        return;
    }
    pol_profile(e);
    d->type = e->type;
    d->gen = e->gen;
    size_t idx = 0;
    for (size_t g = 0; g < N_GROUPS; g++)
        for (size_t i = 0; i < *groups[g].n; i++, idx++)
            if (groups[g].rules[i].violated && groups[g].rules[i].violated(e))
                record(d, idx);
    if (d->n == 0 && d->dropped == 0)
        d->verdict = POL_ACCEPT;
}

int pol_cert_layout_of(const uint8_t *tbs, size_t tbs_len, size_t sig_len, pol_cert_layout *l)
{
    pol_slice all = { tbs, tbs_len }, t, v, alg;
    pol_der top = pol_der_of(all), c;
    if (pol_der_expect(&top, DER_SEQUENCE, &t, NULL) || pol_der_more(&top))
        return -1;
    c = pol_der_of(t);
    if (pol_der_optional(&c, DER_CTX_C(0), &v, NULL) < 0 || pol_der_expect(&c, DER_INTEGER, &v, NULL) ||
        pol_der_expect(&c, DER_SEQUENCE, &v, &alg))
        return -1;
    l->alg = alg.p;
    l->alg_len = alg.len;
    l->bit_head_len = pol_der_hdr(DER_BIT_STRING, sig_len + 1, l->bit_head);
    l->head_len = pol_der_hdr(DER_SEQUENCE, tbs_len + alg.len + l->bit_head_len + 1 + sig_len, l->head);
    return 0;
}

int pol_cert_tbs(const uint8_t *cert, size_t len, const uint8_t **tbs, size_t *tbs_len)
{
    pol_slice all = { cert, len }, c, t, tlv;
    pol_der top = pol_der_of(all), in;
    if (pol_der_expect(&top, DER_SEQUENCE, &c, NULL) || pol_der_more(&top))
        return -1;
    in = pol_der_of(c);
    if (pol_der_expect(&in, DER_SEQUENCE, &t, &tlv))
        return -1;
    *tbs = tlv.p;
    *tbs_len = tlv.len;
    return 0;
}

static pol_eval *fresh(pol_workspace *w, const pol_ctx *ctx)
{
    pol_eval *e = (pol_eval *)(void *)w->bytes;
    memset(e, 0, POL_EVAL_CLEAR);
    e->ctx = ctx;
    return e;
}

int pol_tbs_not_before(const uint8_t *tbs, size_t len, pol_workspace *w, int64_t *nb)
{
    static const pol_ctx none = { 0 };
    pol_eval *e = fresh(w, &none);
    if (pol_decode(tbs, len, e))
        return -1;
    *nb = e->not_before;
    return 0;
}

int pol_tbs_spki(const uint8_t *tbs, size_t len, pol_workspace *w, const uint8_t **spki, size_t *spki_len)
{
    static const pol_ctx none = { 0 };
    pol_eval *e = fresh(w, &none);
    if (pol_decode(tbs, len, e) || e->spki.len == 0)
        return -1;
    *spki = e->spki.p;
    *spki_len = e->spki.len;
    return 0;
}

int pol_ca_from_cert(const uint8_t *cert, size_t len, pol_workspace *w, pol_ca *ca)
{
    static const pol_ctx none = { 0 };
    static const uint8_t ecdsa[3][12] = {
        { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02 },
        { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03 },
        { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04 },
    };
    const uint8_t *tbs;
    size_t tbs_len;
    pol_eval *e = fresh(w, &none);
    const pol_ext *ski;
    pol_slice v;
    if (pol_cert_tbs(cert, len, &tbs, &tbs_len) || pol_decode(tbs, tbs_len, e))
        return -1;
    ca->ca_subject = e->subject.p;
    ca->ca_subject_len = e->subject.len;
    ca->ca_ski = NULL;
    ca->ca_ski_len = 0;
    ca->sig_alg = NULL;
    ca->sig_alg_len = 0;
    ski = pol_ext_get(e, EXT_SKI);
    if (ski) {
        pol_der c = pol_der_of(ski->value);
        if (pol_der_expect(&c, DER_OCTET_STRING, &v, NULL) || pol_der_more(&c))
            return -1;
        ca->ca_ski = v.p;
        ca->ca_ski_len = v.len;
    }
    if (e->key >= KEY_P256 && e->key <= KEY_P521) {
        ca->sig_alg = ecdsa[e->key - KEY_P256];
        ca->sig_alg_len = sizeof ecdsa[0];
    }
    return 0;
}
