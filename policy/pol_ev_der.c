/* SPDX-License-Identifier: Apache-2.0 */
/* Strict DER reading of validation evidence (docs/evidence.md, ASN.1 module
 * SBRGuardEvidence-v1): every field's tag, length bound and value range
 * checked; nothing after the end of any structure. */
#include "sbrguard/evidence.h"
#include "pol_ev.h"
#include "pol_mailbox.h"

/* INTEGER in minimal form, 0..max. */
static int uint_of(pol_slice v, uint32_t max, uint32_t *out)
{
    uint64_t x = 0;
    if (v.len == 0 || v.len > 5 || (v.p[0] & 0x80) || (v.len > 1 && v.p[0] == 0 && !(v.p[1] & 0x80)))
        return -1;
    for (size_t i = 0; i < v.len; i++)
        x = (x << 8) | v.p[i];
    if (x > max)
        return -1;
    *out = (uint32_t)x;
    return 0;
}

static int get_uint(pol_der *c, uint8_t tag, uint32_t max, uint32_t *out)
{
    pol_slice v;
    return pol_der_expect(c, tag, &v, NULL) || uint_of(v, max, out) ? -1 : 0;
}

static int get_time(pol_der *c, int64_t *t)
{
    uint8_t tag;
    pol_slice v;
    return pol_der_next(c, &tag, &v, NULL) || pol_der_time(tag, v, t) ? -1 : 0;
}

/* UTF8String (SIZE (1..max)), well-formed UTF-8. */
static int get_utf8(pol_der *c, size_t max, pol_slice *out)
{
    return pol_der_expect(c, DER_UTF8, out, NULL) || out->len > max || pol_str_valid(DER_UTF8, *out) != 1 ? -1 : 0;
}

static int get_hash(pol_der *c, uint8_t tag, pol_slice *out)
{
    return pol_der_expect(c, tag, out, NULL) || out->len != SG_EV_HASH_LEN ? -1 : 0;
}

/* The contents of a constructed field, which must be its whole value. */
static int open_seq(pol_der *c, uint8_t tag, pol_der *in)
{
    pol_slice v;
    if (pol_der_expect(c, tag, &v, NULL))
        return -1;
    *in = pol_der_of(v);
    return 0;
}

/* CaaCheck ::= SEQUENCE { checkedAt Time, ttl INTEGER, issuemail SEQUENCE OF IA5String } */
static int caa_of(pol_der *s, pol_ev_mailbox *m)
{
    pol_der in, names;
    pol_slice v;
    unsigned n = 0;
    if (open_seq(s, SG_EV_TAG_CAA, &in) || get_time(&in, &m->caa_at) || get_uint(&in, DER_INTEGER, 0x7FFFFFFF, &m->caa_ttl) ||
        pol_der_expect(&in, DER_SEQUENCE, &m->caa_issuers, NULL) || pol_der_more(&in))
        return -1;
    names = pol_der_of(m->caa_issuers);
    while (pol_der_more(&names)) {
        /* An empty issuer (";") is a record that names no CA (RFC 8659 4.2). */
        if (++n > SG_EV_MAX_CAA_ISSUERS || pol_der_expect(&names, DER_IA5, &v, NULL) ||
            v.len > SG_EV_MAX_DOMAIN_LEN)
            return -1;
        for (size_t i = 0; i < v.len; i++)
            if (v.p[i] <= 0x20 || v.p[i] >= 0x7F)
                return -1;
    }
    m->has_caa = 1;
    return 0;
}

int pol_ev_next_mailbox(pol_der *c, pol_ev_mailbox *m)
{
    pol_der s;
    int r;
    if (!pol_der_more(c))
        return 0;
    m->tls_method = 0;
    m->has_rv = m->has_caa = m->has_mpic = 0;
    if (open_seq(c, DER_SEQUENCE, &s) || get_utf8(&s, SG_EV_MAX_MAILBOX_LEN, &m->mailbox) ||
        get_uint(&s, DER_INTEGER, 0xFFFF, &m->method))
        return -1;
    if (pol_der_more(&s) && s.p[0] == SG_EV_TAG_TLS_METHOD &&
        (get_uint(&s, SG_EV_TAG_TLS_METHOD, 255, &m->tls_method) || m->tls_method == 0))
        return -1;
    if (get_utf8(&s, SG_EV_MAX_REQS_LEN, &m->reqs) || get_time(&s, &m->validated_at))
        return -1;
    if (pol_der_more(&s) && s.p[0] == SG_EV_TAG_RANDOM) {
        pol_der in;
        if (open_seq(&s, SG_EV_TAG_RANDOM, &in) || get_time(&in, &m->rv_created) || get_time(&in, &m->rv_used) ||
            get_uint(&in, DER_INTEGER, 0xFFFF, &m->rv_bits) || pol_der_more(&in))
            return -1;
        m->has_rv = 1;
    }
    if (pol_der_more(&s) && s.p[0] == SG_EV_TAG_CAA && caa_of(&s, m))
        return -1;
    if (pol_der_more(&s) && s.p[0] == SG_EV_TAG_MPIC) {
        pol_der in;
        if (open_seq(&s, SG_EV_TAG_MPIC, &in) || get_time(&in, &m->mpic_at) ||
            get_uint(&in, DER_INTEGER, SG_EV_MAX_PERSPECTIVES, &m->mpic_remote) ||
            get_uint(&in, DER_INTEGER, SG_EV_MAX_PERSPECTIVES, &m->mpic_ok) ||
            get_uint(&in, DER_INTEGER, SG_EV_MAX_RIRS, &m->mpic_rirs) || pol_der_more(&in) ||
            m->mpic_ok > m->mpic_remote || m->mpic_rirs > m->mpic_ok)
            return -1;
        m->has_mpic = 1;
    }
    r = pol_der_more(&s) ? -1 : 1;
    return r;
}

int pol_ev_next_identity(pol_der *c, pol_ev_identity *r)
{
    pol_der s;
    if (!pol_der_more(c))
        return 0;
    if (open_seq(c, DER_SEQUENCE, &s) || pol_der_expect(&s, DER_OID, &r->attr_type, NULL) || r->attr_type.len == 0 ||
        r->attr_type.len > 32 || get_hash(&s, DER_OCTET_STRING, &r->value_hash) ||
        get_uint(&s, DER_INTEGER, 0xFFFF, &r->method) || get_utf8(&s, SG_EV_MAX_REQS_LEN, &r->reqs) ||
        get_time(&s, &r->validated_at) || pol_der_more(&s))
        return -1;
    return 1;
}

/* SEQUENCE SIZE (1..max) OF records, each read whole. */
static int records_ok(pol_slice list, int mailboxes, unsigned max)
{
    pol_der c = pol_der_of(list);
    unsigned n = 0;
    int r;
    if (list.len == 0)
        return -1;
    do {
        pol_ev_mailbox m;
        pol_ev_identity id;
        r = mailboxes ? pol_ev_next_mailbox(&c, &m) : pol_ev_next_identity(&c, &id);
        if (r < 0 || (r == 1 && ++n > max))
            return -1;
    } while (r == 1);
    return 0;
}

int pol_ev_parse_tbs(pol_slice tbs, pol_ev *ev)
{
    pol_der t = pol_der_of(tbs), c;
    int r;
    ev->tbs = tbs;
    if (open_seq(&t, DER_SEQUENCE, &c) || pol_der_more(&t) || get_uint(&c, DER_INTEGER, 0xFFFF, &ev->version))
        return POL_EV_MALFORMED;
    /* Another version may be another structure: judged before the rest. */
    if (ev->version != SG_EV_VERSION)
        return POL_EV_BAD_VERSION;
    ev->tbs_hash.p = ev->mailboxes.p = ev->identities.p = NULL;
    ev->tbs_hash.len = ev->mailboxes.len = ev->identities.len = 0;
    if (get_hash(&c, DER_OCTET_STRING, &ev->va_key_id) || get_time(&c, &ev->produced_at) ||
        get_hash(&c, DER_OCTET_STRING, &ev->key_hash))
        return POL_EV_MALFORMED;
    if ((r = pol_der_optional(&c, SG_EV_TAG_TBS_HASH, &ev->tbs_hash, NULL)) < 0 ||
        (r == 1 && ev->tbs_hash.len != SG_EV_HASH_LEN))
        return POL_EV_MALFORMED;
    if ((r = pol_der_optional(&c, SG_EV_TAG_MAILBOXES, &ev->mailboxes, NULL)) < 0 ||
        (r == 1 && records_ok(ev->mailboxes, 1, SG_EV_MAX_MAILBOXES)))
        return POL_EV_MALFORMED;
    if ((r = pol_der_optional(&c, SG_EV_TAG_IDENTITIES, &ev->identities, NULL)) < 0 ||
        (r == 1 && records_ok(ev->identities, 0, SG_EV_MAX_IDENTITIES)))
        return POL_EV_MALFORMED;
    return pol_der_more(&c) ? POL_EV_MALFORMED : POL_EV_OK;
}

/* Evidence and SignedBatchRoot: SEQUENCE { tbs SEQUENCE, alg, BIT STRING }. */
int pol_ev_signed(const uint8_t *p, size_t len, pol_slice *tbs, pol_slice *alg, pol_slice *sig)
{
    pol_slice all = { p, len }, v, bits;
    pol_der top = pol_der_of(all), c;
    if (!p || len == 0 || open_seq(&top, DER_SEQUENCE, &c) || pol_der_more(&top) ||
        pol_der_expect(&c, DER_SEQUENCE, &v, tbs) || pol_der_expect(&c, DER_SEQUENCE, &v, alg) ||
        pol_der_expect(&c, DER_BIT_STRING, &bits, NULL) || pol_der_more(&c) || bits.len < 2 || bits.p[0] != 0)
        return POL_EV_MALFORMED;
    sig->p = bits.p + 1;
    sig->len = bits.len - 1;
    return POL_EV_OK;
}

int pol_ev_parse(const uint8_t *p, size_t len, pol_ev *ev)
{
    pol_slice tbs;
    if (!p || len == 0 || len > SG_MAX_EVIDENCE || pol_ev_signed(p, len, &tbs, &ev->sig_alg, &ev->sig))
        return POL_EV_MALFORMED;
    return pol_ev_parse_tbs(tbs, ev);
}

/* --- Batched form ------------------------------------------------------------ */

int pol_evb_is(const uint8_t *p, size_t len)
{
    pol_slice all = { p, len }, v;
    pol_der c = pol_der_of(all);
    uint8_t tag;
    return p && pol_der_next(&c, &tag, &v, NULL) == 0 && tag == DER_SEQUENCE && v.len && v.p[0] == DER_INTEGER;
}

/* BatchRoot ::= SEQUENCE { version, vaKeyId, signedAt, treeSize, rootHash } */
static int root_of(pol_evb *b)
{
    pol_der t = pol_der_of(b->root_tbs), c;
    uint32_t version;
    if (open_seq(&t, DER_SEQUENCE, &c) || get_uint(&c, DER_INTEGER, 0xFFFF, &version))
        return POL_EV_MALFORMED;
    if (version != SG_EV_ROOT_VERSION)
        return POL_EV_BAD_VERSION;
    if (get_hash(&c, DER_OCTET_STRING, &b->va_key_id) || get_time(&c, &b->signed_at) ||
        get_uint(&c, DER_INTEGER, SG_EV_BATCH_MAX_LEAVES, &b->size) || b->size == 0 ||
        get_hash(&c, DER_OCTET_STRING, &b->root) || pol_der_more(&c))
        return POL_EV_MALFORMED;
    return POL_EV_OK;
}

int pol_evb_parse(const uint8_t *p, size_t len, pol_evb *b, pol_ev *rec)
{
    pol_slice all = { p, len }, v, h;
    pol_der top = pol_der_of(all), c, path;
    uint32_t version;
    int r;
    if (!p || len == 0 || len > SG_MAX_EVIDENCE || open_seq(&top, DER_SEQUENCE, &c) || pol_der_more(&top) ||
        get_uint(&c, DER_INTEGER, 0xFFFF, &version) || version < SG_EV_BATCH_VERSION)
        return POL_EV_MALFORMED; /* version 1 is the single form, another shape */
    if (version != SG_EV_BATCH_VERSION)
        return POL_EV_BAD_VERSION;
    if (pol_der_expect(&c, DER_SEQUENCE, &v, &b->record) ||
        get_uint(&c, DER_INTEGER, SG_EV_BATCH_MAX_LEAVES - 1, &b->index) ||
        pol_der_expect(&c, DER_SEQUENCE, &b->path, NULL) || pol_der_expect(&c, DER_SEQUENCE, &v, &b->signed_root) ||
        pol_der_more(&c))
        return POL_EV_MALFORMED;
    path = pol_der_of(b->path);
    for (b->path_len = 0; pol_der_more(&path); b->path_len++)
        if (b->path_len == SG_EV_BATCH_MAX_PATH || get_hash(&path, DER_OCTET_STRING, &h))
            return POL_EV_MALFORMED;
    if (pol_ev_signed(b->signed_root.p, b->signed_root.len, &b->root_tbs, &b->sig_alg, &b->sig))
        return POL_EV_MALFORMED;
    if ((r = root_of(b)) != POL_EV_OK || !rec)
        return r;
    rec->sig_alg = b->sig_alg;
    rec->sig = b->sig;
    return pol_ev_parse_tbs(b->record, rec);
}
