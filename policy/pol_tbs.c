/* SPDX-License-Identifier: Apache-2.0 */
/* Decoding a TBSCertificate (RFC 5280 4.1) into the view the rules read,
 * with the contents of the extensions SBR 7.1.2.3 names. */
#include "pol_int.h"
#include "pol_weakkey.h"

#define OID(...) { __VA_ARGS__ }
static const struct {
    uint8_t len;
    uint8_t der[10];
} ext_oids[EXT_COUNT] = {
    [EXT_CP] = { 3, OID(0x55, 0x1D, 0x20) },
    [EXT_CRLDP] = { 3, OID(0x55, 0x1D, 0x1F) },
    [EXT_AIA] = { 8, OID(0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x01) },
    [EXT_BC] = { 3, OID(0x55, 0x1D, 0x13) },
    [EXT_KU] = { 3, OID(0x55, 0x1D, 0x0F) },
    [EXT_EKU] = { 3, OID(0x55, 0x1D, 0x25) },
    [EXT_AKI] = { 3, OID(0x55, 0x1D, 0x23) },
    [EXT_SAN] = { 3, OID(0x55, 0x1D, 0x11) },
    [EXT_SKI] = { 3, OID(0x55, 0x1D, 0x0E) },
    [EXT_SMIMECAP] = { 9, OID(0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x0F) },
    [EXT_SDA] = { 3, OID(0x55, 0x1D, 0x09) },
    [EXT_QC] = { 8, OID(0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x03) },
    [EXT_LEI] = { 9, OID(0x2B, 0x06, 0x01, 0x04, 0x01, 0x83, 0x98, 0x2A, 0x01) },
    [EXT_LEI_ROLE] = { 9, OID(0x2B, 0x06, 0x01, 0x04, 0x01, 0x83, 0x98, 0x2A, 0x02) },
    [EXT_ADOBE_TS] = { 10, OID(0x2A, 0x86, 0x48, 0x86, 0xF7, 0x2F, 0x01, 0x01, 0x09, 0x01) },
    [EXT_ADOBE_ARCHIVE] = { 10, OID(0x2A, 0x86, 0x48, 0x86, 0xF7, 0x2F, 0x01, 0x01, 0x09, 0x02) },
};

int pol_oid_is(pol_slice oid, const uint8_t *der, size_t len) { return pol_eq(oid, der, len); }

/* Name ::= SEQUENCE OF RelativeDistinguishedName (SET OF AttributeTypeAndValue):
 * the body of the SEQUENCE into attrs; the count, or -1 if it is not a Name.
 * An attribute is counted only once decoded whole. A multi-valued RDN is a
 * DER SET OF: its values in order (X.690 11.6). */
int pol_decode_name(pol_slice name, pol_attr *attrs, size_t max)
{
    pol_der c = pol_der_of(name), rdn;
    pol_slice set, atv;
    size_t n = 0;
    uint8_t r = 0;
    while (pol_der_more(&c)) {
        if (pol_der_expect(&c, DER_SET, &set, NULL) || set.len == 0)
            return -1;
        rdn = pol_der_of(set);
        size_t first = n;
        while (pol_der_more(&rdn)) {
            pol_der a;
            pol_attr *at = &attrs[n];
            if (n == max || pol_der_expect(&rdn, DER_SEQUENCE, &atv, NULL))
                return -1;
            a = pol_der_of(atv);
            if (pol_der_expect(&a, DER_OID, &at->oid, NULL) || pol_der_next(&a, &at->tag, &at->value, NULL) ||
                pol_der_more(&a))
                return -1;
            at->rdn = r;
            n++;
        }
        if (n - first > 1 && !pol_set_of_sorted(set))
            return -1;
        r++;
    }
    return (int)n;
}

/* SubjectPublicKeyInfo: the key kind by the exact AlgorithmIdentifier
 * encodings of SBR 7.1.3.1; anything else stays KEY_UNKNOWN. */
static const struct {
    int key;
    uint8_t len;
    uint8_t der[24];
} spki_algs[] = {
    { KEY_RSA, 15, OID(0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00) },
    { KEY_P256, 21, OID(0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48,
                        0xce, 0x3d, 0x03, 0x01, 0x07) },
    { KEY_P384, 18, OID(0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x05, 0x2b, 0x81, 0x04,
                        0x00, 0x22) },
    { KEY_P521, 18, OID(0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x05, 0x2b, 0x81, 0x04,
                        0x00, 0x23) },
    { KEY_ED25519, 7, OID(0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70) },
    { KEY_ED448, 7, OID(0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x71) },
    { KEY_MLDSA44, 13, OID(0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x11) },
    { KEY_MLDSA65, 13, OID(0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x12) },
    { KEY_MLDSA87, 13, OID(0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x13) },
    { KEY_MLKEM512, 13, OID(0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x04, 0x01) },
    { KEY_MLKEM768, 13, OID(0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x04, 0x02) },
    { KEY_MLKEM1024, 13, OID(0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x04, 0x03) },
};

/* Key lengths (BIT STRING content, with its unused-bits byte). */
static const uint16_t key_len[] = {
    [KEY_P256] = 66, [KEY_P384] = 98, [KEY_P521] = 134, [KEY_ED25519] = 33, [KEY_ED448] = 58,
    [KEY_MLDSA44] = 1313, [KEY_MLDSA65] = 1953, [KEY_MLDSA87] = 2593,
    [KEY_MLKEM512] = 801, [KEY_MLKEM768] = 1185, [KEY_MLKEM1024] = 1569,
};

static void decode_key(pol_eval *e)
{
    e->key = KEY_UNKNOWN;
    for (size_t i = 0; i < sizeof spki_algs / sizeof *spki_algs; i++)
        if (pol_eq(e->spki_alg, spki_algs[i].der, spki_algs[i].len))
            e->key = spki_algs[i].key;
    if (e->spki_key.len == 0 || e->spki_key.p[0] != 0) {
        e->key_malformed = 1;
        return;
    }
    if (e->key == KEY_P256 || e->key == KEY_P384 || e->key == KEY_P521) {
        /* Uncompressed point 04 || X || Y (RFC 5480 2.2); the point at
         * infinity (00, or 04 with zero coordinates) has its own rule. */
        e->ec_infinity = pol_wk_ec_infinity(e->spki_key.p + 1, e->spki_key.len - 1);
        e->key_malformed = !e->ec_infinity && (e->spki_key.len != key_len[e->key] || e->spki_key.p[1] != 0x04);
    } else if (e->key != KEY_RSA && e->key != KEY_UNKNOWN) {
        e->key_malformed = e->spki_key.len != key_len[e->key];
    } else if (e->key == KEY_RSA) {
        /* RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } */
        pol_slice k = { e->spki_key.p + 1, e->spki_key.len - 1 }, seq, n, x;
        pol_der c = pol_der_of(k), s;
        if (pol_der_expect(&c, DER_SEQUENCE, &seq, NULL) || pol_der_more(&c)) {
            e->key_malformed = 1;
            return;
        }
        s = pol_der_of(seq);
        /* Both positive INTEGERs in minimal form (X.690 8.3.2). */
        if (pol_der_expect(&s, DER_INTEGER, &n, NULL) || pol_der_expect(&s, DER_INTEGER, &x, NULL) ||
            pol_der_more(&s) || n.len == 0 || (n.p[0] & 0x80) || (n.len > 1 && n.p[0] == 0 && !(n.p[1] & 0x80)) ||
            x.len == 0 || (x.p[0] & 0x80) || (x.len > 1 && x.p[0] == 0 && !(x.p[1] & 0x80))) {
            e->key_malformed = 1;
            return;
        }
        e->rsa_n = n;
        size_t skip = n.p[0] == 0 ? 1 : 0;
        unsigned top = n.len > skip ? n.p[skip] : 0, bits = 0;
        while (top) {
            bits++;
            top >>= 1;
        }
        e->rsa_bits = (unsigned)(n.len - skip - 1) * 8 + bits;
        /* SBR 6.1.6: odd and >= 3. */
        e->rsa_exp_ok = (x.p[x.len - 1] & 1) && (x.len > 1 || x.p[0] >= 3);
    }
}

/* Which SBR extension an OID names, -1 if none. Most are id-ce (2.5.29.x):
 * decided by their last byte without a table walk. */
static int ext_id(pol_slice oid)
{
    if (oid.len == 3 && oid.p[0] == 0x55 && oid.p[1] == 0x1D) {
        switch (oid.p[2]) {
        case 0x20: return EXT_CP;
        case 0x1F: return EXT_CRLDP;
        case 0x13: return EXT_BC;
        case 0x0F: return EXT_KU;
        case 0x25: return EXT_EKU;
        case 0x23: return EXT_AKI;
        case 0x11: return EXT_SAN;
        case 0x0E: return EXT_SKI;
        case 0x09: return EXT_SDA;
        default: return -1;
        }
    }
    for (int k = 0; k < EXT_COUNT; k++)
        if (ext_oids[k].len > 3 && pol_eq(oid, ext_oids[k].der, ext_oids[k].len))
            return k;
    return -1;
}

static int decode_exts(pol_slice exts, pol_eval *e)
{
    pol_der c = pol_der_of(exts);
    pol_slice ext;
    if (exts.len == 0) /* SEQUENCE SIZE (1..MAX) */
        return -1;
    while (pol_der_more(&c)) {
        pol_der x;
        pol_slice crit;
        pol_ext *xe;
        int r;
        if (e->n_exts == POL_MAX_EXTS || pol_der_expect(&c, DER_SEQUENCE, &ext, NULL))
            return -1;
        xe = &e->exts[e->n_exts];
        x = pol_der_of(ext);
        xe->critical = 0;
        if (pol_der_expect(&x, DER_OID, &xe->oid, NULL))
            return -1;
        r = pol_der_optional(&x, DER_BOOLEAN, &crit, NULL);
        /* DER: a DEFAULT FALSE is never encoded. */
        if (r < 0 || (r == 1 && (pol_der_bool(crit, &xe->critical) || !xe->critical)))
            return -1;
        if (pol_der_expect(&x, DER_OCTET_STRING, &xe->value, NULL) || pol_der_more(&x))
            return -1;
        int id = ext_id(xe->oid);
        for (uint8_t k = 0; k < e->n_exts; k++)
            if (pol_eq(xe->oid, e->exts[k].oid.p, e->exts[k].oid.len))
                e->ext_dup = 1;
        if (id < 0)
            e->ext_unknown = 1;
        else if (e->ext[id] < 0)
            e->ext[id] = (int8_t)e->n_exts;
        e->n_exts++;
    }
    return 0;
}

int pol_prepare(pol_eval *e);

int pol_decode(const uint8_t *tbs, size_t len, pol_eval *e)
{
    pol_slice all = { tbs, len }, t, v, validity, spki, time;
    pol_der top = pol_der_of(all), c, d;
    uint8_t tag;
    int r;
    for (int k = 0; k < EXT_COUNT; k++)
        e->ext[k] = -1;
    if (pol_der_expect(&top, DER_SEQUENCE, &t, NULL) || pol_der_more(&top))
        return -1;
    c = pol_der_of(t);
    e->version = 0;
    r = pol_der_optional(&c, DER_CTX_C(0), &v, NULL);
    if (r < 0)
        return -1;
    if (r == 1) {
        pol_slice ver;
        d = pol_der_of(v);
        /* DER: v1 (the DEFAULT) is never encoded explicitly. */
        if (pol_der_expect(&d, DER_INTEGER, &ver, NULL) || pol_der_more(&d) || ver.len != 1 || ver.p[0] == 0 ||
            ver.p[0] > 2)
            return -1;
        e->version = ver.p[0];
    }
    if (pol_der_expect(&c, DER_INTEGER, &e->serial, NULL) || e->serial.len == 0 ||
        (e->serial.len > 1 && ((e->serial.p[0] == 0 && !(e->serial.p[1] & 0x80)) ||
                               (e->serial.p[0] == 0xFF && (e->serial.p[1] & 0x80)))))
        return -1;
    if (pol_der_expect(&c, DER_SEQUENCE, &v, &e->sig_alg) || pol_der_expect(&c, DER_SEQUENCE, &v, &e->issuer) ||
        pol_der_expect(&c, DER_SEQUENCE, &validity, NULL))
        return -1;
    d = pol_der_of(validity);
    if (pol_der_next(&d, &tag, &time, NULL) || pol_der_time(tag, time, &e->not_before) ||
        pol_der_next(&d, &tag, &time, NULL) || pol_der_time(tag, time, &e->not_after) || pol_der_more(&d))
        return -1;
    if (pol_der_expect(&c, DER_SEQUENCE, &v, &e->subject) || (r = pol_decode_name(v, e->attrs, POL_MAX_ATTRS)) < 0)
        return -1;
    e->n_attrs = (uint8_t)r;
    if (pol_der_expect(&c, DER_SEQUENCE, &spki, &e->spki))
        return -1;
    d = pol_der_of(spki);
    if (pol_der_expect(&d, DER_SEQUENCE, &v, &e->spki_alg) || pol_der_expect(&d, DER_BIT_STRING, &e->spki_key, NULL) ||
        pol_der_more(&d))
        return -1;
    decode_key(e);
    for (uint8_t id = 1; id <= 2; id++) {
        r = pol_der_optional(&c, DER_CTX(id), &v, NULL);
        if (r < 0)
            return -1;
        e->has_unique_ids |= r;
    }
    r = pol_der_optional(&c, DER_CTX_C(3), &v, NULL);
    if (r < 0 || pol_der_more(&c))
        return -1;
    if (r == 1) {
        pol_slice seq;
        d = pol_der_of(v);
        if (e->version != 2 || pol_der_expect(&d, DER_SEQUENCE, &seq, NULL) || pol_der_more(&d) ||
            decode_exts(seq, e))
            return -1;
    }
    e->ext_malformed = pol_prepare(e) != 0;
    return 0;
}
