/* SPDX-License-Identifier: Apache-2.0 */
/* The policy bundle on the host: the human-writable source (docs/bundle.md,
 * "Source format") compiled to TBSBundle DER, and the security officer's
 * signature over it. The token's parser (policy/pol_bundle.c) is the judge
 * of what comes out; this code only writes the format. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include "mbedtls/base64.h"
#include "mbedtls/pk.h"
#include "mbedtls/sha256.h"
#include "sbrguard/sbrguard.h"

/* ---- a forward DER writer: lengths fixed up when a constructed value ends ---- */

typedef struct {
    uint8_t *b;
    size_t n, cap;
    int err;
} enc;

static void put(enc *e, const void *p, size_t n)
{
    if (e->err || e->n + n > e->cap) {
        e->err = 1;
        return;
    }
    memcpy(e->b + e->n, p, n);
    e->n += n;
}

static size_t open_(enc *e, uint8_t tag)
{
    uint8_t h[2] = { tag, 0 };
    put(e, h, 2);
    return e->n;
}

static void close_(enc *e, size_t mark)
{
    if (e->err)
        return;
    size_t len = e->n - mark, k = len < 0x80 ? 0 : len < 0x100 ? 1 : 2;
    if (len > 0xFFFF || e->n + k > e->cap) {
        e->err = 1;
        return;
    }
    memmove(e->b + mark + k, e->b + mark, len);
    if (k == 0) {
        e->b[mark - 1] = (uint8_t)len;
    } else {
        e->b[mark - 1] = (uint8_t)(0x80 | k);
        for (size_t i = 0; i < k; i++)
            e->b[mark + i] = (uint8_t)(len >> (8 * (k - 1 - i)));
    }
    e->n += k;
}

static void tlv(enc *e, uint8_t tag, const void *p, size_t n)
{
    size_t m = open_(e, tag);
    put(e, p, n);
    close_(e, m);
}

static void uint_(enc *e, uint64_t v)
{
    uint8_t b[9];
    size_t n = 0;
    for (int i = 7; i >= 0; i--)
        if (n || (v >> (8 * i)) & 0xFF || i == 0) {
            if (!n && (v >> (8 * i)) & 0x80)
                b[n++] = 0;
            b[n++] = (uint8_t)(v >> (8 * i));
        }
    tlv(e, 0x02, b, n);
}

static void gtime(enc *e, int64_t t)
{
    struct tm tm;
    time_t tt = (time_t)t;
    char s[32];
    gmtime_r(&tt, &tm);
    strftime(s, sizeof s, "%Y%m%d%H%M%SZ", &tm);
    tlv(e, 0x18, s, 15);
}

/* ---- the source ---------------------------------------------------------- */

static const char *const type_names[] = { "mailbox", "organization", "sponsor", "individual" };
static const char *const gen_names[] = { "legacy", "multipurpose", "strict" };
static const char *const key_type_names[] = { NULL, "ec-p256", "ec-p384", "ec-p521", "rsa-2048", "rsa-3072", "rsa-4096" };

#define MAXN SG_BUNDLE_MAX_LIST
typedef struct {
    uint32_t profiles, period_days, key_types;
    int wrap, recovery, enc_only, set;
    uint8_t agent[SG_BUNDLE_MAX_POLICY_KEY];
    size_t agent_len;
} src_rule;

typedef struct {
    uint8_t key_id[32];
    int has_key;
    uint32_t profiles, max_days, skew, authz;
    int64_t mpic_from;
    char *crldp[MAXN], *aia[MAXN], *caa[MAXN];
    size_t n_crldp, n_aia, n_caa, n_va, n_rules;
    uint8_t va[MAXN][SG_BUNDLE_MAX_POLICY_KEY];
    size_t va_len[MAXN];
    src_rule rules[MAXN];
} src_ca;

typedef struct {
    uint32_t version;
    int64_t issued;
    src_ca cas[16];
    size_t n_cas;
    char *err;
    size_t err_cap;
    int line;
    const char *dir;
} src;

static int fail(src *s, const char *fmt, const char *arg)
{
    char m[512];
    snprintf(m, sizeof m, fmt, arg);
    if (s->err && s->err_cap)
        snprintf(s->err, s->err_cap, "line %d: %.400s", s->line, m);
    return SG_E_ARGS;
}

static int sg_parse_time(const char *v, int64_t *out)
{
    struct tm tm = { 0 };
    char *end;
    long long n = strtoll(v, &end, 10);
    if (*v && !*end) {
        *out = n;
        return SG_OK;
    }
    end = strptime(v, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (!end || *end)
        return SG_E_ARGS;
    *out = (int64_t)timegm(&tm);
    return SG_OK;
}

static int parse_u32(const char *v, uint32_t *out)
{
    char *end;
    unsigned long long n = strtoull(v, &end, 10);
    if (!*v || *end || n > 0xFFFFFFFFull || *v == '-')
        return -1;
    *out = (uint32_t)n;
    return 0;
}

static int parse_bool(const char *v, int *out)
{
    if (!strcmp(v, "yes") || !strcmp(v, "true"))
        *out = 1;
    else if (!strcmp(v, "no") || !strcmp(v, "false"))
        *out = 0;
    else
        return -1;
    return 0;
}

/* "type-generation" names, space-separated, into a profile mask. */
static int parse_profiles(src *s, char *v, uint32_t *mask)
{
    for (char *t = strtok(v, " \t"); t; t = strtok(NULL, " \t")) {
        int found = 0;
        for (int ty = 0; ty < 4; ty++)
            for (int g = 0; g < 3; g++) {
                char n[40];
                snprintf(n, sizeof n, "%s-%s", type_names[ty], gen_names[g]);
                if (!strcmp(n, t)) {
                    *mask |= 1u << (ty * 3 + g);
                    found = 1;
                }
            }
        if (!found)
            return fail(s, "unknown profile '%s' (e.g. mailbox-strict, organization-multipurpose)", t);
    }
    return SG_OK;
}

/* A file of a public key (PEM or DER SubjectPublicKeyInfo), relative to the source's folder. */
static int read_spki(src *s, const char *name, uint8_t *out, size_t cap, size_t *len)
{
    char path[400];
    uint8_t buf[8192];
    snprintf(path, sizeof path, "%s%s%s", name[0] == '/' || !s->dir ? "" : s->dir, name[0] == '/' || !s->dir ? "" : "/", name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return fail(s, "cannot read %s", path);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    const char *b = strstr((char *)buf, "-----BEGIN PUBLIC KEY-----");
    if (b) {
        const char *st = b + 26, *e = strstr(st, "-----END");
        if (!e || mbedtls_base64_decode(out, cap, len, (const uint8_t *)st, (size_t)(e - st)))
            return fail(s, "%s: malformed PEM public key", path);
    } else if (strstr((char *)buf, "-----BEGIN")) {
        return fail(s, "%s: not a PUBLIC KEY (give the SubjectPublicKeyInfo, e.g. openssl pkey -pubout)", path);
    } else {
        if (n > cap)
            return fail(s, "%s: too large", path);
        memcpy(out, buf, n);
        *len = n;
    }
    mbedtls_pk_context pk;
    mbedtls_pk_init(&pk);
    int bad = mbedtls_pk_parse_public_key(&pk, out, *len);
    mbedtls_pk_free(&pk);
    return bad ? fail(s, "%s: not a public key", path) : SG_OK;
}

static int hexid(const char *v, uint8_t out[32])
{
    if (strlen(v) != 64)
        return -1;
    for (int i = 0; i < 32; i++) {
        unsigned x;
        if (!isxdigit((unsigned char)v[2 * i]) || !isxdigit((unsigned char)v[2 * i + 1]) ||
            sscanf(v + 2 * i, "%2x", &x) != 1)
            return -1;
        out[i] = (uint8_t)x;
    }
    return 0;
}

static int list_add(src *s, char **list, size_t *n, char *v)
{
    for (char *t = strtok(v, " \t"); t; t = strtok(NULL, " \t")) {
        if (*n >= MAXN)
            return fail(s, "more than %s entries in a list", "8");
        list[(*n)++] = t;
    }
    return SG_OK;
}

static int ca_key(src *s, src_ca *ca, const char *k, char *v)
{
    uint8_t spki[SG_BUNDLE_MAX_POLICY_KEY];
    size_t l = 0;
    int rc;
    if (!strcmp(k, "key-id")) {
        if (hexid(v, ca->key_id))
            return fail(s, "key-id: 64 hex digits (SHA-256 of the CA key's SubjectPublicKeyInfo)%s", "");
        ca->has_key = 1;
    } else if (!strcmp(k, "key")) {
        if ((rc = read_spki(s, v, spki, sizeof spki, &l)))
            return rc;
        mbedtls_sha256(spki, l, ca->key_id, 0);
        ca->has_key = 1;
    } else if (!strcmp(k, "profiles")) {
        return parse_profiles(s, v, &ca->profiles);
    } else if (!strcmp(k, "max-validity-days")) {
        if (parse_u32(v, &ca->max_days))
            return fail(s, "max-validity-days: a number of days, not '%s'", v);
    } else if (!strcmp(k, "crldp-prefix")) {
        return list_add(s, ca->crldp, &ca->n_crldp, v);
    } else if (!strcmp(k, "aia-prefix")) {
        return list_add(s, ca->aia, &ca->n_aia, v);
    } else if (!strcmp(k, "caa-domain")) {
        return list_add(s, ca->caa, &ca->n_caa, v);
    } else if (!strcmp(k, "va-key")) {
        if (ca->n_va >= MAXN)
            return fail(s, "more than %s va-key lines", "8");
        size_t i = ca->n_va++;
        return read_spki(s, v, ca->va[i], sizeof ca->va[0], &ca->va_len[i]);
    } else if (!strcmp(k, "mpic-from")) {
        if (sg_parse_time(v, &ca->mpic_from))
            return fail(s, "mpic-from: YYYY-MM-DDTHH:MM:SSZ, not '%s'", v);
    } else if (!strcmp(k, "skew-seconds")) {
        if (parse_u32(v, &ca->skew))
            return fail(s, "skew-seconds: a number, not '%s'", v);
    } else if (!strcmp(k, "authz-seconds")) {
        if (parse_u32(v, &ca->authz))
            return fail(s, "authz-seconds: a number, not '%s'", v);
    } else {
        return fail(s, "unknown key '%s' in [ca]", k);
    }
    return SG_OK;
}

static int rule_key(src *s, src_rule *r, const char *k, char *v)
{
    if (!strcmp(k, "profiles"))
        return parse_profiles(s, v, &r->profiles);
    if (!strcmp(k, "period-days")) {
        if (parse_u32(v, &r->period_days))
            return fail(s, "period-days: a number of days, not '%s'", v);
    } else if (!strcmp(k, "wrap")) {
        if (!strcmp(v, "token-aes256"))
            r->wrap = SG_WRAP_TOKEN_AES256;
        else if (!strcmp(v, "agent-rsa-oaep"))
            r->wrap = SG_WRAP_AGENT_RSA_OAEP;
        else
            return fail(s, "wrap: token-aes256 or agent-rsa-oaep, not '%s'", v);
    } else if (!strcmp(k, "agent-key")) {
        return read_spki(s, v, r->agent, sizeof r->agent, &r->agent_len);
    } else if (!strcmp(k, "key-types")) {
        for (char *t = strtok(v, " \t"); t; t = strtok(NULL, " \t")) {
            int f = 0;
            for (int i = 1; i <= 6; i++)
                if (!strcmp(t, key_type_names[i])) {
                    r->key_types |= 1u << i;
                    f = 1;
                }
            if (!f)
                return fail(s, "unknown key type '%s' (ec-p256 ... rsa-4096)", t);
        }
    } else if (!strcmp(k, "recovery")) {
        if (parse_bool(v, &r->recovery))
            return fail(s, "recovery: yes or no, not '%s'", v);
    } else if (!strcmp(k, "encryption-only")) {
        if (parse_bool(v, &r->enc_only))
            return fail(s, "encryption-only: yes or no, not '%s'", v);
    } else {
        return fail(s, "unknown key '%s' in [escrow]", k);
    }
    return SG_OK;
}

static void profiles_der(enc *e, uint32_t mask)
{
    size_t m = open_(e, 0x30);
    for (int b = 0; b < 12; b++)
        if (mask >> b & 1) {
            uint8_t oid[7] = { 0x67, 0x81, 0x0C, 0x01, 0x05, (uint8_t)(b / 3 + 1), (uint8_t)(b % 3 + 1) };
            tlv(e, 0x06, oid, sizeof oid);
        }
    close_(e, m);
}

static void strings_der(enc *e, char **list, size_t n)
{
    size_t m = open_(e, 0x30);
    for (size_t i = 0; i < n; i++)
        tlv(e, 0x16, list[i], strlen(list[i]));
    close_(e, m);
}

static void encode(const src *s, enc *e)
{
    size_t top = open_(e, 0x30), cas;
    uint_(e, SG_BUNDLE_FORMAT);
    uint_(e, s->version);
    gtime(e, s->issued);
    cas = open_(e, 0x30);
    for (size_t i = 0; i < s->n_cas; i++) {
        const src_ca *c = &s->cas[i];
        size_t m = open_(e, 0x30), l;
        tlv(e, 0x04, c->key_id, 32);
        profiles_der(e, c->profiles);
        uint_(e, c->max_days);
        strings_der(e, (char **)c->crldp, c->n_crldp);
        strings_der(e, (char **)c->aia, c->n_aia);
        l = open_(e, 0x30);
        for (size_t k = 0; k < c->n_va; k++)
            put(e, c->va[k], c->va_len[k]);
        close_(e, l);
        strings_der(e, (char **)c->caa, c->n_caa);
        gtime(e, c->mpic_from);
        uint_(e, c->skew);
        uint_(e, c->authz);
        l = open_(e, 0x30);
        for (size_t k = 0; k < c->n_rules; k++) {
            const src_rule *r = &c->rules[k];
            size_t rm = open_(e, 0x30), kt;
            uint8_t w = (uint8_t)r->wrap, t = 0xFF, f = 0;
            profiles_der(e, r->profiles);
            uint_(e, r->period_days);
            tlv(e, 0x0A, &w, 1);
            if (r->wrap == SG_WRAP_AGENT_RSA_OAEP)
                put(e, r->agent, r->agent_len);
            kt = open_(e, 0x30);
            for (unsigned b = 1; b <= 6; b++)
                if (r->key_types >> b & 1)
                    uint_(e, b);
            close_(e, kt);
            tlv(e, 0x01, r->recovery ? &t : &f, 1);
            tlv(e, 0x01, r->enc_only ? &t : &f, 1);
            close_(e, rm);
        }
        close_(e, l);
        close_(e, m);
    }
    close_(e, cas);
    close_(e, top);
}

int sg_policy_compile(const char *text, const char *dir, uint8_t *out, size_t cap, size_t *len, char *err,
                      size_t err_cap)
{
    src *s = calloc(1, sizeof *s);
    char *copy = strdup(text ? text : ""), *save = NULL;
    int rc = SG_OK, sect = 0; /* 0 top, 1 [ca], 2 [escrow] */
    if (!s || !copy) {
        free(s);
        free(copy);
        return SG_E_NOMEM;
    }
    s->err = err;
    s->err_cap = err_cap;
    s->dir = dir;
    s->issued = (int64_t)time(NULL);
    if (err && err_cap)
        err[0] = 0;
    for (char *ln = strtok_r(copy, "\n", &save); ln && rc == SG_OK; ln = strtok_r(NULL, "\n", &save)) {
        s->line++;
        char *h = strchr(ln, '#');
        if (h)
            *h = 0;
        while (isspace((unsigned char)*ln))
            ln++;
        for (char *e = ln + strlen(ln); e > ln && isspace((unsigned char)e[-1]);)
            *--e = 0;
        if (!*ln)
            continue;
        if (!strcmp(ln, "[ca]")) {
            if (s->n_cas >= sizeof s->cas / sizeof *s->cas)
                rc = fail(s, "more than %s [ca] sections", "16");
            else {
                src_ca *c = &s->cas[s->n_cas++];
                c->skew = 3600;
                c->authz = SG_AUTHZ_WINDOW;
                c->mpic_from = SG_BUNDLE_MPIC_LATEST;
                sect = 1;
            }
            continue;
        }
        if (!strcmp(ln, "[escrow]")) {
            src_ca *c = s->n_cas ? &s->cas[s->n_cas - 1] : NULL;
            if (!c)
                rc = fail(s, "[escrow] belongs to a preceding [ca]%s", "");
            else if (c->n_rules >= MAXN)
                rc = fail(s, "more than %s [escrow] sections for one CA", "8");
            else {
                c->rules[c->n_rules++].set = 1;
                sect = 2;
            }
            continue;
        }
        char *eq = strchr(ln, '=');
        if (!eq) {
            rc = fail(s, "expected 'key = value' or a [section], got '%s'", ln);
            break;
        }
        char *k = ln, *v = eq + 1;
        for (*eq = 0; eq > k && isspace((unsigned char)eq[-1]);)
            *--eq = 0;
        while (isspace((unsigned char)*v))
            v++;
        if (sect == 0 && !strcmp(k, "version")) {
            if (parse_u32(v, &s->version) || s->version == 0)
                rc = fail(s, "version: a number from 1, not '%s'", v);
        } else if (sect == 0 && !strcmp(k, "issued")) {
            if (sg_parse_time(v, &s->issued))
                rc = fail(s, "issued: YYYY-MM-DDTHH:MM:SSZ, not '%s'", v);
        } else if (sect == 1) {
            rc = ca_key(s, &s->cas[s->n_cas - 1], k, v);
        } else if (sect == 2) {
            src_ca *c = &s->cas[s->n_cas - 1];
            rc = rule_key(s, &c->rules[c->n_rules - 1], k, v);
        } else {
            rc = fail(s, "unknown key '%s' before the first [ca]", k);
        }
    }
    s->line = 0;
    if (rc == SG_OK && !s->version)
        rc = fail(s, "version = N is required%s", "");
    if (rc == SG_OK && !s->n_cas)
        rc = fail(s, "at least one [ca] section is required%s", "");
    for (size_t i = 0; rc == SG_OK && i < s->n_cas; i++)
        if (!s->cas[i].has_key || !s->cas[i].profiles || !s->cas[i].max_days)
            rc = fail(s, "every [ca] needs key (or key-id), profiles and max-validity-days%s", "");
    if (rc == SG_OK) {
        enc e = { out, 0, cap, 0 };
        encode(s, &e);
        if (e.err)
            rc = fail(s, "bundle larger than %s bytes", "the buffer");
        *len = e.n;
    }
    free(copy);
    free(s);
    return rc;
}

static int rng(void *ctx, unsigned char *out, size_t len)
{
    (void)ctx;
    while (len) {
        ssize_t n = getrandom(out, len, 0);
        if (n <= 0)
            return -1;
        out += n;
        len -= (size_t)n;
    }
    return 0;
}

int sg_policy_sign(const uint8_t *tbs, size_t tbs_len, const uint8_t *key, size_t key_len, uint8_t *out, size_t cap,
                   size_t *out_len)
{
    /* ecdsa-with-SHA256/384 and sha256WithRSAEncryption (SBR 7.1.3.2 encodings). */
    static const uint8_t ecdsa256[] = { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02 };
    static const uint8_t ecdsa384[] = { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03 };
    static const uint8_t rsa256[] = { 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7,
                                      0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00 };
    mbedtls_pk_context pk;
    uint8_t hash[64], sig[MBEDTLS_PK_SIGNATURE_MAX_SIZE + 1];
    size_t sl = 0;
    int rc = SG_E_ARGS;
    const uint8_t *alg;
    size_t alg_len;
    mbedtls_md_type_t md;
    mbedtls_pk_init(&pk);
    if (mbedtls_pk_parse_key(&pk, key, key_len, NULL, 0, rng, NULL))
        goto out;
    if (mbedtls_pk_get_type(&pk) == MBEDTLS_PK_RSA && mbedtls_pk_get_bitlen(&pk) >= 2048) {
        alg = rsa256, alg_len = sizeof rsa256, md = MBEDTLS_MD_SHA256;
    } else if (mbedtls_pk_get_type(&pk) == MBEDTLS_PK_ECKEY && mbedtls_pk_get_bitlen(&pk) == 256) {
        alg = ecdsa256, alg_len = sizeof ecdsa256, md = MBEDTLS_MD_SHA256;
    } else if (mbedtls_pk_get_type(&pk) == MBEDTLS_PK_ECKEY && mbedtls_pk_get_bitlen(&pk) == 384) {
        alg = ecdsa384, alg_len = sizeof ecdsa384, md = MBEDTLS_MD_SHA384;
    } else {
        goto out; /* the token takes ECDSA P-256/P-384 or RSA >= 2048 */
    }
    const mbedtls_md_info_t *mi = mbedtls_md_info_from_type(md);
    if (mbedtls_md(mi, tbs, tbs_len, hash) ||
        mbedtls_pk_sign(&pk, md, hash, mbedtls_md_get_size(mi), sig + 1, sizeof sig - 1, &sl, rng, NULL))
        goto out;
    sig[0] = 0; /* BIT STRING: no unused bits */
    enc e = { out, 0, cap, 0 };
    size_t m = open_(&e, 0x30);
    put(&e, tbs, tbs_len);
    put(&e, alg, alg_len);
    tlv(&e, 0x03, sig, sl + 1);
    close_(&e, m);
    rc = e.err ? SG_E_BUFFER : SG_OK;
    *out_len = e.n;
out:
    mbedtls_pk_free(&pk);
    return rc;
}
