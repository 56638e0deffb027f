/* SPDX-License-Identifier: Apache-2.0 */
/* The CA's signed policy bundle (docs/bundle.md): strict DER, every value in
 * range, every CA entry checked once at parse so that a bundle the token
 * accepted never fails later. Slices point into the input. */
#include "pol_bundle.h"
#include "pol_der.h"
#include "sbrguard/bundle.h"

/* 2.23.140.1.5: the reserved S/MIME policy arc (SBR 7.1.6.1). */
static const uint8_t smime_arc[] = { 0x67, 0x81, 0x0C, 0x01, 0x05 };

/* Non-negative INTEGER of at most 32 bits, minimal, within [lo, hi]. */
static int der_uint(pol_der *c, uint32_t lo, uint32_t hi, uint32_t *out)
{
    pol_slice v;
    uint64_t n = 0;
    if (pol_der_expect(c, DER_INTEGER, &v, NULL) || v.len == 0 || v.len > 5 || (v.p[0] & 0x80) ||
        (v.len > 1 && v.p[0] == 0 && !(v.p[1] & 0x80)))
        return -1;
    for (size_t i = 0; i < v.len; i++)
        n = n << 8 | v.p[i];
    if (n < lo || n > hi)
        return -1;
    *out = (uint32_t)n;
    return 0;
}

static int der_bool(pol_der *c, uint8_t *out)
{
    pol_slice v;
    int b;
    if (pol_der_expect(c, DER_BOOLEAN, &v, NULL) || pol_der_bool(v, &b))
        return -1;
    *out = (uint8_t)b;
    return 0;
}

/* GeneralizedTime YYYYMMDDHHMMSSZ, any year from 1970 (unlike X.509's 2050 rule). */
static int der_gtime(pol_der *c, int64_t *out)
{
    static const uint8_t mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    pol_slice v;
    unsigned f[6] = { 0 }, w[6] = { 4, 2, 2, 2, 2, 2 };
    size_t k = 0;
    if (pol_der_expect(c, DER_GEN_TIME, &v, NULL) || v.len != 15 || v.p[14] != 'Z')
        return -1;
    for (int i = 0; i < 6; i++)
        for (unsigned j = 0; j < w[i]; j++, k++) {
            if (v.p[k] < '0' || v.p[k] > '9')
                return -1;
            f[i] = f[i] * 10 + (unsigned)(v.p[k] - '0');
        }
    int leap = (f[0] % 4 == 0 && f[0] % 100 != 0) || f[0] % 400 == 0;
    if (f[0] < 1970 || f[1] < 1 || f[1] > 12 || f[2] < 1 || f[2] > mdays[f[1] - 1] || (f[1] == 2 && f[2] == 29 && !leap) ||
        f[3] > 23 || f[4] > 59 || f[5] > 59)
        return -1;
    *out = pol_days_from_civil(f[0], f[1], f[2]) * 86400 + f[3] * 3600 + f[4] * 60 + f[5];
    return 0;
}

/* SEQUENCE SIZE (1..12) OF OBJECT IDENTIFIER (2.23.140.1.5.T.G), no repeats. */
static int profiles(pol_der *c, uint32_t *mask)
{
    pol_slice s, o;
    pol_der d;
    *mask = 0;
    if (pol_der_expect(c, DER_SEQUENCE, &s, NULL))
        return -1;
    d = pol_der_of(s);
    while (pol_der_more(&d)) {
        if (pol_der_expect(&d, DER_OID, &o, NULL) || o.len != sizeof smime_arc + 2)
            return -1;
        for (size_t i = 0; i < sizeof smime_arc; i++)
            if (o.p[i] != smime_arc[i])
                return -1;
        uint8_t t = o.p[5], g = o.p[6];
        if (t < 1 || t > 4 || g < 1 || g > 3)
            return -1;
        uint32_t bit = 1u << ((t - 1) * 3 + (g - 1));
        if (*mask & bit)
            return -1;
        *mask |= bit;
    }
    return *mask ? 0 : -1;
}

/* SEQUENCE SIZE (0..8) OF IA5String of 1..max printable characters; the
 * contents (the string TLVs) into out, at most cap bytes. */
static int ia5_list(pol_der *c, size_t max, size_t cap, pol_bytes *out)
{
    pol_slice s, v;
    pol_der d;
    unsigned n = 0;
    if (pol_der_expect(c, DER_SEQUENCE, &s, NULL) || s.len > cap)
        return -1;
    d = pol_der_of(s);
    while (pol_der_more(&d)) {
        if (pol_der_expect(&d, DER_IA5, &v, NULL) || v.len == 0 || v.len > max || ++n > SG_BUNDLE_MAX_LIST)
            return -1;
        for (size_t i = 0; i < v.len; i++)
            if (v.p[i] < 0x21 || v.p[i] > 0x7E)
                return -1;
    }
    out->p = s.p;
    out->len = s.len;
    return 0;
}

/* SubjectPublicKeyInfo's shape: SEQUENCE { SEQUENCE { OID, ... }, BIT STRING }. */
static int spki_shape(pol_slice body)
{
    pol_der d = pol_der_of(body), a;
    pol_slice alg, oid, bits;
    if (pol_der_expect(&d, DER_SEQUENCE, &alg, NULL) || pol_der_expect(&d, DER_BIT_STRING, &bits, NULL) ||
        pol_der_more(&d) || bits.len < 2 || bits.p[0] != 0)
        return -1;
    a = pol_der_of(alg);
    return pol_der_expect(&a, DER_OID, &oid, NULL);
}

/* SEQUENCE SIZE (0..8) OF SubjectPublicKeyInfo. */
static int spki_list(pol_der *c, pol_bytes *out)
{
    pol_slice s, v;
    pol_der d;
    unsigned n = 0;
    if (pol_der_expect(c, DER_SEQUENCE, &s, NULL))
        return -1;
    d = pol_der_of(s);
    while (pol_der_more(&d))
        if (pol_der_expect(&d, DER_SEQUENCE, &v, NULL) || spki_shape(v) || ++n > SG_BUNDLE_MAX_LIST)
            return -1;
    out->p = s.p;
    out->len = s.len;
    return 0;
}

/* One EscrowRule; ca_profiles bounds its profiles. */
static int escrow_rule(pol_slice body, uint32_t ca_profiles, pol_escrow_rule *r)
{
    pol_der c = pol_der_of(body), k;
    pol_slice v, tlv, ks;
    uint32_t wrap, kt;
    r->agent_spki.p = NULL;
    r->agent_spki.len = 0;
    r->key_types = 0;
    if (profiles(&c, &r->profiles) || (r->profiles & ~ca_profiles) ||
        der_uint(&c, 1, SG_BUNDLE_MAX_PERIOD, &r->period_days))
        return -1;
    if (pol_der_expect(&c, 0x0A /* ENUMERATED */, &v, NULL) || v.len != 1 || v.p[0] > POL_WRAP_AGENT_RSA_OAEP)
        return -1;
    wrap = v.p[0];
    r->wrap = (uint8_t)wrap;
    if (wrap == POL_WRAP_AGENT_RSA_OAEP) {
        if (pol_der_expect(&c, DER_SEQUENCE, &v, &tlv) || spki_shape(v))
            return -1;
        r->agent_spki.p = tlv.p;
        r->agent_spki.len = tlv.len;
    }
    if (pol_der_expect(&c, DER_SEQUENCE, &ks, NULL))
        return -1;
    k = pol_der_of(ks);
    while (pol_der_more(&k)) {
        if (der_uint(&k, 1, 6, &kt) || (r->key_types & (1u << kt)))
            return -1;
        r->key_types |= 1u << kt;
    }
    if (der_bool(&c, &r->recovery_allowed) || der_bool(&c, &r->encryption_only) || pol_der_more(&c))
        return -1;
    return 0;
}

/* One CAPolicy, every field checked (docs/bundle.md). */
static int ca_entry(pol_slice body, pol_bundle_ca *ca)
{
    pol_der c = pol_der_of(body), e;
    pol_slice id, es, rv;
    pol_escrow_rule r;
    unsigned n = 0;
    if (pol_der_expect(&c, DER_OCTET_STRING, &id, NULL) || id.len != 32)
        return -1;
    for (size_t i = 0; i < 32; i++)
        ca->key_id[i] = id.p[i];
    if (profiles(&c, &ca->profiles) || der_uint(&c, 1, 1185, &ca->max_validity_days))
        return -1;
    /* SBR 6.3.2: 825 days for strict and multipurpose, 1185 for legacy. */
    if ((ca->profiles & 06666u) && ca->max_validity_days > 825)
        return -1;
    if (ia5_list(&c, SG_BUNDLE_MAX_URL, SG_BUNDLE_MAX_PREFIX_BYTES, &ca->crldp_prefixes) ||
        ia5_list(&c, SG_BUNDLE_MAX_URL, SG_BUNDLE_MAX_PREFIX_BYTES, &ca->aia_prefixes) ||
        spki_list(&c, &ca->va_keys) || ia5_list(&c, 253, SG_BUNDLE_MAX, &ca->caa_domains) ||
        der_gtime(&c, &ca->mpic_from) || ca->mpic_from > SG_BUNDLE_MPIC_LATEST ||
        der_uint(&c, 0, SG_BUNDLE_MAX_SKEW, &ca->skew_seconds) ||
        der_uint(&c, 1, SG_BUNDLE_MAX_AUTHZ, &ca->authz_seconds) || pol_der_expect(&c, DER_SEQUENCE, &es, NULL) ||
        pol_der_more(&c))
        return -1;
    ca->escrow.p = es.p;
    ca->escrow.len = es.len;
    e = pol_der_of(es);
    while (pol_der_more(&e))
        if (pol_der_expect(&e, DER_SEQUENCE, &rv, NULL) || escrow_rule(rv, ca->profiles, &r) ||
            ++n > SG_BUNDLE_MAX_LIST)
            return -1;
    return 0;
}

int pol_bundle_parse(const uint8_t *der, size_t len, pol_bundle *b)
{
    pol_slice all = { der, len }, outer, tbs, tbs_tlv, alg, alg_tlv, sig, cas, v;
    pol_der top = pol_der_of(all), c, t, l;
    uint32_t fmt, n = 0;
    pol_bundle_ca ca;
    if (len == 0 || len > SG_BUNDLE_MAX)
        return -1;
    if (pol_der_expect(&top, DER_SEQUENCE, &outer, NULL) || pol_der_more(&top))
        return -1;
    c = pol_der_of(outer);
    if (pol_der_expect(&c, DER_SEQUENCE, &tbs, &tbs_tlv) || pol_der_expect(&c, DER_SEQUENCE, &alg, &alg_tlv) ||
        pol_der_expect(&c, DER_BIT_STRING, &sig, NULL) || pol_der_more(&c))
        return -1;
    /* The SO signs with ECDSA or RSA (SBR 7.1.3.2 encodings, pol_sig.c). */
    int id = pol_sig_alg_id(alg_tlv.p, alg_tlv.len);
    if (id < 0 || id > POL_SIG_ECDSA_SHA512 || sig.len < 2 || sig.p[0] != 0)
        return -1;
    t = pol_der_of(tbs);
    if (der_uint(&t, SG_BUNDLE_FORMAT, SG_BUNDLE_FORMAT, &fmt) || der_uint(&t, 1, 0xFFFFFFFFu, &b->version) ||
        der_gtime(&t, &b->issued_at) || pol_der_expect(&t, DER_SEQUENCE, &cas, NULL) || pol_der_more(&t) ||
        cas.len == 0)
        return -1;
    /* Every entry well-formed, every CA key named once. */
    l = pol_der_of(cas);
    while (pol_der_more(&l)) {
        const uint8_t *prev = l.p;
        if (pol_der_expect(&l, DER_SEQUENCE, &v, NULL) || ca_entry(v, &ca) || ++n > 64)
            return -1;
        pol_bundle_ca other;
        pol_bundle head = { .cas = { cas.p, (size_t)(prev - cas.p) } };
        if (pol_bundle_ca_find(&head, ca.key_id, &other) == 0)
            return -1;
    }
    b->tbs.p = tbs_tlv.p;
    b->tbs.len = tbs_tlv.len;
    b->sig_alg.p = alg_tlv.p;
    b->sig_alg.len = alg_tlv.len;
    b->sig.p = sig.p + 1;
    b->sig.len = sig.len - 1;
    b->cas.p = cas.p;
    b->cas.len = cas.len;
    return 0;
}

int pol_bundle_ca_find(const pol_bundle *b, const uint8_t key_id[32], pol_bundle_ca *ca)
{
    pol_slice all = { b->cas.p, b->cas.len }, v, id;
    pol_der l = pol_der_of(all);
    while (pol_der_more(&l)) {
        if (pol_der_expect(&l, DER_SEQUENCE, &v, NULL))
            return -1;
        pol_der e = pol_der_of(v);
        if (pol_der_expect(&e, DER_OCTET_STRING, &id, NULL) || id.len != 32)
            return -1;
        uint8_t diff = 0;
        for (size_t i = 0; i < 32; i++)
            diff |= id.p[i] ^ key_id[i];
        if (!diff)
            return ca_entry(v, ca);
    }
    return -1;
}

int pol_bundle_escrow_rule(const pol_bundle_ca *ca, int type, int gen, pol_escrow_rule *r)
{
    pol_slice all = { ca->escrow.p, ca->escrow.len }, v;
    pol_der l = pol_der_of(all);
    if (type < 0 || type > 3 || gen < 0 || gen > 2)
        return -1;
    while (pol_der_more(&l)) {
        if (pol_der_expect(&l, DER_SEQUENCE, &v, NULL) || escrow_rule(v, ca->profiles, r))
            return -1;
        if (r->profiles >> (type * 3 + gen) & 1u)
            return 0;
    }
    return -1;
}

int pol_bundle_ca_at(const pol_bundle *b, size_t i, pol_bundle_ca *ca)
{
    pol_slice all = { b->cas.p, b->cas.len }, v;
    pol_der l = pol_der_of(all);
    for (size_t k = 0; pol_der_more(&l); k++) {
        if (pol_der_expect(&l, DER_SEQUENCE, &v, NULL))
            return -1;
        if (k == i)
            return ca_entry(v, ca);
    }
    return -1;
}

int pol_bundle_escrow_rule_at(const pol_bundle_ca *ca, size_t i, pol_escrow_rule *r)
{
    pol_slice all = { ca->escrow.p, ca->escrow.len }, v;
    pol_der l = pol_der_of(all);
    for (size_t k = 0; pol_der_more(&l); k++) {
        if (pol_der_expect(&l, DER_SEQUENCE, &v, NULL))
            return -1;
        if (k == i)
            return escrow_rule(v, ca->profiles, r);
    }
    return -1;
}
