/* SPDX-License-Identifier: Apache-2.0 */
/* sbrguard evidence make|show: the validation authority's side of the
 * evidence format (docs/evidence.md), for tests and the demo. make lists
 * what a TBS needs evidence for with the token's own code (pol_ev_needs),
 * writes one record per mailbox and identity attribute, and signs it with
 * the VA key; options change any field, so that tests can make each defect
 * the token must refuse. show is cmd_evidence_show.c's (main.c picks it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "mbedtls/md.h"
#include "mbedtls/pk.h"
#include "mbedtls/rsa.h"
#include "mbedtls/sha256.h"
#include "sbrguard/evidence_enc.h"
#include "../../policy/pol_ev.h"
#include "cli.h"
#include "keyfile.h"

/* --- Signing with the VA key (key files: keyfile.c) ------------------------ */

/* The SBR 7.1.3.2 algorithm a VA key signs with. */
static int sig_alg_of(mbedtls_pk_context *pk, int pss)
{
    size_t bits = mbedtls_pk_get_bitlen(pk);
    if (mbedtls_pk_get_type(pk) == MBEDTLS_PK_ECKEY)
        return bits == 256 ? POL_SIG_ECDSA_SHA256 : bits == 384 ? POL_SIG_ECDSA_SHA384 : bits == 521 ? POL_SIG_ECDSA_SHA512 : -1;
    if (mbedtls_pk_get_type(pk) == MBEDTLS_PK_RSA && bits >= 2048)
        return pss ? POL_SIG_PSS_SHA256 : POL_SIG_RSA_SHA256;
    return -1;
}

static size_t sign(mbedtls_pk_context *pk, int alg, const uint8_t *msg, size_t len, uint8_t *sig, size_t cap)
{
    static const mbedtls_md_type_t mds[3] = { MBEDTLS_MD_SHA256, MBEDTLS_MD_SHA384, MBEDTLS_MD_SHA512 };
    mbedtls_md_type_t md = mds[alg % 3];
    const mbedtls_md_info_t *info = mbedtls_md_info_from_type(md);
    uint8_t h[64];
    size_t hl = mbedtls_md_get_size(info), sl = 0;
    if (!cli_drbg() || mbedtls_md(info, msg, len, h))
        return 0;
    if (alg >= POL_SIG_PSS_SHA256 && alg <= POL_SIG_PSS_SHA512) {
        mbedtls_rsa_context *rsa = mbedtls_pk_rsa(*pk);
        sl = mbedtls_rsa_get_len(rsa);
        if (sl > cap || mbedtls_rsa_set_padding(rsa, MBEDTLS_RSA_PKCS_V21, md) ||
            mbedtls_rsa_rsassa_pss_sign(rsa, cli_rng, cli_drbg(), md, (unsigned)hl, h, sig))
            return 0;
        return sl;
    }
    return mbedtls_pk_sign(pk, md, h, hl, sig, cap, &sl, cli_rng, cli_drbg()) ? 0 : sl;
}

/* --- make ------------------------------------------------------------------- */

typedef struct {
    sg_ev_tbs t;
    sg_ev_mailbox mb[SG_EV_MAX_MAILBOXES];
    sg_ev_identity id[SG_EV_MAX_IDENTITIES];
    char mbox[SG_EV_MAX_MAILBOXES][SG_EV_MAX_MAILBOX_LEN + 1];
    sg_ev_mailbox proto;    /* every mailbox record's fields but the address */
    int64_t id_validated;
    int overflow;
} make_ctx;

static void on_need(void *ctx, const pol_ev_need *n)
{
    make_ctx *m = ctx;
    if (n->kind == POL_EV_NEED_MAILBOX) {
        size_t k = m->t.n_mailboxes, l = n->value.len;
        if (l > SG_EV_MAX_MAILBOX_LEN)
            l = SG_EV_MAX_MAILBOX_LEN;
        for (size_t i = 0; i < k; i++)
            if (strlen(m->mbox[i]) == l && !memcmp(m->mbox[i], n->value.p, l))
                return; /* the same address in the SAN and the subject: one record */
        if (k == SG_EV_MAX_MAILBOXES) {
            m->overflow = 1;
            return;
        }
        memcpy(m->mbox[k], n->value.p, l);
        m->mbox[k][l] = 0;
        m->mb[k] = m->proto;
        m->mb[k].mailbox = m->mbox[k];
        m->t.n_mailboxes++;
        return;
    }
    if (m->t.n_identities == SG_EV_MAX_IDENTITIES || n->oid.len > sizeof m->id[0].attr_type) {
        m->overflow = 1;
        return;
    }
    sg_ev_identity *r = &m->id[m->t.n_identities++];
    memcpy(r->attr_type, n->oid.p, n->oid.len);
    r->attr_type_len = n->oid.len;
    pol_ev_value_hash(n->tag, n->value, r->value_hash);
    r->method = n->section;
    r->reqs = "SBR 1.0.11";
    r->validated_at = m->id_validated;
}

/* --drop WHAT: a mailbox, an attribute short name, or "authority". */
static int drop(make_ctx *m, const char *what)
{
    int hit = 0;
    for (size_t i = 0; i < m->t.n_mailboxes;)
        if (!strcmp(m->mbox[i], what)) {
            memmove(&m->mb[i], &m->mb[i + 1], (m->t.n_mailboxes - i - 1) * sizeof m->mb[0]);
            memmove(m->mbox[i], m->mbox[i + 1], (m->t.n_mailboxes - i - 1) * sizeof m->mbox[0]);
            for (size_t k = i; k + 1 < m->t.n_mailboxes; k++)
                m->mb[k].mailbox = m->mbox[k];
            m->t.n_mailboxes--;
            hit = 1;
        } else {
            i++;
        }
    for (size_t i = 0; i < m->t.n_identities;) {
        const char *n = cli_attr_name(m->id[i].attr_type, m->id[i].attr_type_len);
        int authority = m->id[i].method == SG_EV_ID_AUTHORITY;
        if ((!strcmp(what, "authority") && authority) || (!authority && n && !strcmp(n, what))) {
            memmove(&m->id[i], &m->id[i + 1], (m->t.n_identities - i - 1) * sizeof m->id[0]);
            m->t.n_identities--;
            hit = 1;
        } else {
            i++;
        }
    }
    return hit ? 0 : cli_fail("--drop %s: no such record", what);
}

static const struct {
    const char *name;
    uint32_t method;
} method_names[] = {
    { "domain", SG_EV_M_DOMAIN }, { "email", SG_EV_M_EMAIL }, { "mail-server", SG_EV_M_MAIL_SERVER },
    { "acme", SG_EV_M_ACME },
};

/* Option value as a time (absolute or relative to base), or a number. */
static int opt_time(const cli_args *a, const char *name, int64_t base, int64_t *out)
{
    const char *v = cli_opt(a, name);
    if (!v)
        return 0;
    return cli_parse_time(v, base, out) ? cli_fail("%s: '%s' is not a time (seconds, YYYY-MM-DDTHH:MM:SSZ, or "
                                                    "-/+N[smhd]... from --at)", name, v) : 0;
}
static int opt_u32(const cli_args *a, const char *name, uint32_t *out)
{
    const char *v = cli_opt(a, name);
    char *end;
    unsigned long long x;
    if (!v)
        return 0;
    x = strtoull(v, &end, 10);
    if (!*v || *end || x > 0xFFFFFFFFull)
        return cli_fail("%s: '%s' is not a number", name, v);
    *out = (uint32_t)x;
    return 0;
}

/* The TBS of a certificate, or the input itself. */
static void tbs_of(const uint8_t *der, size_t len, const uint8_t **tbs, size_t *tl)
{
    if (pol_cert_tbs(der, len, tbs, tl) == 0 && *tl < len && (*tbs)[0] == 0x30)
        return;
    *tbs = der;
    *tl = len;
}

/* The TBSEvidence of one input (a certificate or TBS: the records it
 * needs, made from m's options) into out; 0, 1 on failure, 2 on bad input. */
static int record_of(cli_args *a, make_ctx *m, const char *in, uint8_t *out, size_t cap, size_t *tl, int *type)
{
    static pol_workspace w;
    const uint8_t *tbs;
    size_t len, t_len;
    uint8_t *der;
    int rc = 2;
    m->t.n_mailboxes = m->t.n_identities = 0;
    m->t.has_tbs_hash = 0;
    m->overflow = 0;
    if (!(der = cli_read_der(in, &len)))
        return 2;
    tbs_of(der, len, &tbs, &t_len);
    if (pol_ev_key_hash(tbs, t_len, &w, m->t.key_hash) || pol_ev_needs(tbs, t_len, &w, on_need, m, type)) {
        cli_fail("%s: not a DER or PEM certificate or TBSCertificate", in);
        goto out;
    }
    if (m->overflow)
        fprintf(stderr, "sbrguard: warning: more mailboxes or attributes than one evidence holds; some left out\n");
    if (cli_flag(a, "--bind-tbs")) {
        m->t.has_tbs_hash = 1;
        mbedtls_sha256(tbs, t_len, m->t.tbs_hash, 0);
    }
    if (cli_opt(a, "--bind-key")) {
        uint8_t other[2600];
        size_t ol;
        if (cli_va_spki(cli_opt(a, "--bind-key"), other, sizeof other, &ol))
            goto out;
        mbedtls_sha256(other, ol, m->t.key_hash, 0);
    }
    for (int i = 0; i + 1 < a->argc; i++)
        if (!strcmp(a->argv[i], "--drop") && drop(m, a->argv[++i]))
            goto out;
    rc = sg_evidence_encode_tbs(&m->t, out, cap, tl) ? cli_fail("cannot encode the evidence"), 1 : 0;
out:
    free(der);
    return rc;
}

/* --batch: one record per input (a certificate or TBS made into a record
 * like the single form's, or a single-form Evidence whose TBSEvidence is
 * taken as it is), the RFC 9162 tree over them, one BatchRoot signed at
 * --signed-at (default --at), and DIR/<leaf index>.der for each input. */
static int make_batch(cli_args *a, make_ctx *m, mbedtls_pk_context *pk, int alg, int64_t at)
{
    static uint8_t tree[SG_EV_TREE_NODES(SG_EV_BATCH_MAX_LEAVES)][32];
    static uint8_t out[SG_MAX_EVIDENCE * 2];
    uint8_t root[32], root_tbs[256], sig[600], signed_root[1200], path[SG_EV_BATCH_MAX_PATH][32];
    size_t n = 0, rl, sl, al, srl, pl, ol;
    uint8_t **recs = calloc(SG_EV_BATCH_MAX_LEAVES, sizeof *recs);
    size_t *lens = calloc(SG_EV_BATCH_MAX_LEAVES, sizeof *lens);
    const char *dir = cli_opt(a, "--out-dir");
    const uint8_t *alg_der = pol_sig_alg_der(alg, &al);
    int64_t signed_at = at;
    int type, rc = 2;
    if (!recs || !lens || opt_time(a, "--signed-at", at, &signed_at))
        goto out;
    for (int i = 0; i + 1 < a->argc; i++) {
        if (strcmp(a->argv[i], "--in"))
            continue;
        const char *in = a->argv[++i];
        size_t len;
        uint8_t *der = cli_read_der(in, &len);
        pol_ev ev;
        if (n == SG_EV_BATCH_MAX_LEAVES) {
            free(der);
            cli_fail("a batch holds at most %u records", SG_EV_BATCH_MAX_LEAVES);
            goto out;
        }
        if (!der || !(recs[n] = malloc(SG_MAX_EVIDENCE * 4))) {
            free(der);
            goto out;
        }
        if (pol_ev_parse(der, len, &ev) == POL_EV_OK) { /* a single-form Evidence: its record */
            memcpy(recs[n], ev.tbs.p, ev.tbs.len);
            lens[n] = ev.tbs.len;
            if (!pol_eq(ev.va_key_id, m->t.va_key_id, 32))
                fprintf(stderr, "sbrguard: warning: %s names another VA than --va-key: the token refuses it\n", in);
            free(der);
        } else {
            free(der);
            if ((rc = record_of(a, m, in, recs[n], SG_MAX_EVIDENCE * 4, &lens[n], &type)))
                goto out;
        }
        sg_evidence_leaf_hash(recs[n], lens[n], tree[n]);
        n++;
    }
    rc = 1;
    if (sg_evidence_tree(tree, n, root) ||
        sg_evidence_encode_root(0, m->t.va_key_id, signed_at, (uint32_t)n, root, root_tbs, sizeof root_tbs, &rl) ||
        !(sl = sign(pk, alg, root_tbs, rl, sig, sizeof sig)) ||
        sg_evidence_encode(root_tbs, rl, alg_der, al, sig, sl, signed_root, sizeof signed_root, &srl)) {
        cli_fail("cannot build or sign the batch root");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        char path_name[4096];
        if (sg_evidence_path((const uint8_t(*)[32])tree, n, i, path, SG_EV_BATCH_MAX_PATH, &pl) ||
            sg_evidence_encode_batched(0, recs[i], lens[i], (uint32_t)i, (const uint8_t(*)[32])path, pl, signed_root,
                                       srl, out, sizeof out, &ol)) {
            cli_fail("cannot encode record %zu", i);
            goto out;
        }
        if (ol > SG_MAX_EVIDENCE)
            fprintf(stderr, "sbrguard: warning: record %zu: %zu bytes, more than SG_MAX_EVIDENCE (%u)\n", i, ol,
                    SG_MAX_EVIDENCE);
        snprintf(path_name, sizeof path_name, "%s/%zu.der", dir, i);
        if (cli_write_file(path_name, out, ol))
            goto out;
    }
    fprintf(stderr, "evidence: batch of %zu records, root ", n);
    for (int k = 0; k < 32; k++)
        fprintf(stderr, "%02x", root[k]);
    fprintf(stderr, ", %s/0.der .. %s/%zu.der\n", dir, dir, n - 1);
    rc = 0;
out:
    for (size_t i = 0; recs && i < SG_EV_BATCH_MAX_LEAVES && recs[i]; i++)
        free(recs[i]);
    free(recs);
    free(lens);
    return rc;
}

static int make(cli_args *a)
{
    static const char *const known[] = {
        "make!", "--va-key", "--in", "--out", "--at", "--method", "--tls-method", "--reqs", "--validated-at",
        "--rv-created", "--rv-used", "--entropy", "--no-random-value!", "--caa-checked-at", "--caa-ttl",
        "--caa-issuer", "--no-caa!", "--mpic-at", "--perspectives", "--corroborated", "--rirs", "--no-mpic!",
        "--identity-validated-at", "--bind-key", "--bind-tbs!", "--drop", "--format-version", "--pss!", "--batch!",
        "--out-dir", "--signed-at", NULL };
    static make_ctx m;
    const char *key_file = cli_opt(a, "--va-key"), *in = cli_opt(a, "--in"), *out = cli_opt(a, "--out");
    const char *meth = cli_opt(a, "--method"), *issuers[SG_EV_MAX_CAA_ISSUERS + 8];
    mbedtls_pk_context pk;
    uint8_t *der = NULL, spki[2600], tbs_ev[SG_MAX_EVIDENCE * 4], sig[600], ev[SG_MAX_EVIDENCE * 4];
    size_t tl, spki_len, el, sl, al, n_iss = 0;
    int64_t at = (int64_t)time(NULL);
    int alg, type, rc = 1;
    if (cli_check(a, known))
        return 2;
    int batched = cli_flag(a, "--batch");
    if (batched)
        out = cli_opt(a, "--out-dir");
    if (!key_file || !in || !out)
        return cli_fail(batched ? "evidence make --batch needs --va-key PEM, --in TBS-OR-CERT-OR-EVIDENCE... and "
                                  "--out-dir DIR"
                                : "evidence make needs --va-key PEM, --in TBS-OR-CERT and --out FILE") ? 2 : 0;
    if (opt_time(a, "--at", 0, &at))
        return 2;
    memset(&m, 0, sizeof m);
    sg_ev_mailbox *p = &m.proto;
    p->method = SG_EV_M_EMAIL;
    for (size_t i = 0; meth && i <= sizeof method_names / sizeof *method_names; i++) {
        char *end;
        unsigned long num = strtoul(meth, &end, 10);
        if (*meth >= '0' && *meth <= '9' && !*end && num <= 0xFFFF) { /* a number, for tests: judged as given */
            p->method = (uint32_t)num;
            break;
        }
        if (i == sizeof method_names / sizeof *method_names)
            return cli_fail("--method must be domain, email, mail-server, acme or a number") ? 2 : 0;
        if (!strcmp(meth, method_names[i].name)) {
            p->method = method_names[i].method;
            break;
        }
    }
    int domain = p->method == SG_EV_M_DOMAIN || p->method == SG_EV_M_MAIL_SERVER;
    p->reqs = domain ? "SBR 1.0.11 / TLS BR 2.2.6" : "SBR 1.0.11";
    p->validated_at = at - 3600;
    p->tls_method = domain ? (p->method == SG_EV_M_DOMAIN ? 7 : 18) : 0;
    p->has_rv = !domain && !cli_flag(a, "--no-random-value");
    p->rv_created = at - 7200;
    p->rv_used = at - 3600;
    p->rv_bits = 128;
    p->has_caa = !cli_flag(a, "--no-caa");
    p->caa_at = at - 3600;
    p->caa_ttl = 3600;
    p->has_mpic = domain && !cli_flag(a, "--no-mpic");
    p->mpic_at = at - 3600;
    p->mpic_remote = p->mpic_ok = 6;
    p->mpic_rirs = 3;
    m.id_validated = at - 10 * 86400;
    if (cli_opt(a, "--reqs"))
        p->reqs = cli_opt(a, "--reqs");
    if (opt_u32(a, "--tls-method", &p->tls_method) || opt_time(a, "--validated-at", at, &p->validated_at) ||
        opt_time(a, "--rv-created", at, &p->rv_created) || opt_time(a, "--rv-used", at, &p->rv_used) ||
        opt_u32(a, "--entropy", &p->rv_bits) || opt_time(a, "--caa-checked-at", at, &p->caa_at) ||
        opt_u32(a, "--caa-ttl", &p->caa_ttl) || opt_time(a, "--mpic-at", at, &p->mpic_at) ||
        opt_u32(a, "--perspectives", &p->mpic_remote) || opt_u32(a, "--corroborated", &p->mpic_ok) ||
        opt_u32(a, "--rirs", &p->mpic_rirs) || opt_time(a, "--identity-validated-at", at, &m.id_validated) ||
        opt_u32(a, "--format-version", &m.t.version))
        return 2;
    if (cli_opt(a, "--rv-created") || cli_opt(a, "--rv-used") || cli_opt(a, "--entropy"))
        p->has_rv = !cli_flag(a, "--no-random-value");
    if (cli_opt(a, "--perspectives") || cli_opt(a, "--corroborated") || cli_opt(a, "--rirs") || cli_opt(a, "--mpic-at"))
        p->has_mpic = !cli_flag(a, "--no-mpic");
    if (cli_opt(a, "--perspectives") && !cli_opt(a, "--corroborated"))
        p->mpic_ok = p->mpic_remote;
    for (int i = 0; i + 1 < a->argc; i++)
        if (!strcmp(a->argv[i], "--caa-issuer") && n_iss < sizeof issuers / sizeof *issuers)
            issuers[n_iss++] = a->argv[++i];
    p->caa_issuers = issuers;
    p->n_caa_issuers = n_iss;

    if (cli_key_load(key_file, &pk, 0))
        return 2;
    if ((alg = sig_alg_of(&pk, cli_flag(a, "--pss"))) < 0 || cli_pk_spki(&pk, spki, sizeof spki, &spki_len)) {
        cli_fail("%s: a VA key is EC P-256/P-384/P-521 or RSA of 2048 bits or more", key_file);
        rc = 2;
        goto out;
    }
    mbedtls_sha256(spki, spki_len, m.t.va_key_id, 0);
    m.t.produced_at = at;
    m.t.mailboxes = m.mb;
    m.t.identities = m.id;
    if (batched) {
        rc = make_batch(a, &m, &pk, alg, at);
        goto out;
    }
    if ((rc = record_of(a, &m, in, tbs_ev, sizeof tbs_ev, &tl, &type)))
        goto out;
    rc = 1;
    const uint8_t *alg_der = pol_sig_alg_der(alg, &al);
    if (!(sl = sign(&pk, alg, tbs_ev, tl, sig, sizeof sig)) ||
        sg_evidence_encode(tbs_ev, tl, alg_der, al, sig, sl, ev, sizeof ev, &el)) {
        cli_fail("cannot encode or sign the evidence");
        goto out;
    }
    if (el > SG_MAX_EVIDENCE)
        fprintf(stderr, "sbrguard: warning: %zu bytes, more than SG_MAX_EVIDENCE (%u): the token refuses it\n", el,
                SG_MAX_EVIDENCE);
    rc = cli_write_file(out, ev, el) ? 1 : 0;
    if (!rc)
        fprintf(stderr, "evidence: %zu mailbox and %zu identity records, %zu bytes, %s type\n", m.t.n_mailboxes,
                m.t.n_identities, el, pol_type_name(type));
out:
    mbedtls_pk_free(&pk);
    free(der);
    return rc;
}

int cmd_evidence(cli_args *a)
{
    if (a->argc >= 1 && !strcmp(a->argv[0], "make"))
        return make(a);
    return cli_fail("usage: sbrguard evidence make|show (see --help)") ? 2 : 0;
}
