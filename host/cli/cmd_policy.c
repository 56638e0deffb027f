/* SPDX-License-Identifier: Apache-2.0 */
/* sbrguard policy sign|load|show: the CA's signed policy bundle (docs/bundle.md). */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../../policy/pol_bundle.h"
#include "cli.h"
#include "mbedtls/sha256.h"

static int policy_sign(cli_args *a)
{
    static const char *const known[] = { "--key", "--in", "--out", NULL };
    const char *key = cli_opt(a, "--key"), *in = cli_opt(a, "--in"), *out = cli_opt(a, "--out");
    uint8_t tbs[SG_BUNDLE_MAX + 512], signed_[SG_BUNDLE_MAX + 1024];
    size_t kl, tl, sl, srcl;
    char err[256], dir[4096];
    if (cli_check(a, known))
        return 1;
    if (!key || !in || !out)
        return cli_fail("policy sign needs --key SO.pem --in policy.conf --out bundle.der");
    uint8_t *src = cli_read_file(in, &srcl), *k = src ? cli_read_der(key, &kl) : NULL;
    int rc = 1;
    if (!src || !k)
        goto done;
    char *text = malloc(srcl + 1);
    if (!text)
        goto done;
    memcpy(text, src, srcl);
    text[srcl] = 0;
    snprintf(dir, sizeof dir, "%s", in);
    int crc = sg_policy_compile(text, dirname(dir), tbs, sizeof tbs, &tl, err, sizeof err);
    free(text);
    if (crc) {
        cli_fail("%s: %s", in, crc == SG_E_ARGS ? err : sg_strerror(crc));
        goto done;
    }
    if (sg_policy_sign(tbs, tl, k, kl, signed_, sizeof signed_, &sl)) {
        cli_fail("%s: not an ECDSA P-256/P-384 or RSA >= 2048 private key (PEM or DER)", key);
        goto done;
    }
    pol_bundle b;
    if (pol_bundle_parse(signed_, sl, &b)) {
        cli_fail("%s: the bundle is out of the format's ranges or above %u bytes (docs/bundle.md)", in,
                 SG_BUNDLE_MAX);
        goto done;
    }
    rc = cli_write_file(out, signed_, sl);
    if (!rc)
        printf("policy bundle version %u signed: %zu bytes in %s\n", b.version, sl, out);
done:
    free(src);
    free(k);
    return rc;
}

static int policy_load(cli_args *a)
{
    static const char *const known[] = { "--in", "--so-pin", NULL };
    const char *in = cli_opt(a, "--in");
    sg_client *c;
    size_t len;
    uint32_t ver = 0;
    uint8_t hash[32];
    int rc;
    if (cli_check(a, known))
        return 1;
    if (!in)
        return cli_fail("policy load needs --in bundle.der");
    uint8_t *b = cli_read_der(in, &len);
    if (!b || cli_connect(&c)) {
        free(b);
        return 1;
    }
    if (!(rc = cli_login_so(c, a))) {
        if ((rc = sg_policy_load(c, b, len, &ver, hash)))
            rc = cli_token_fail(c, rc, "policy load");
        else {
            printf("policy bundle version %u loaded, hash ", ver);
            cli_hex_print(hash, 32);
            printf("\n");
        }
    }
    sg_free(c);
    free(b);
    return rc;
}

static const char *profile_list(uint32_t mask, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = 0;
    for (int bit = 0; bit < 12; bit++)
        if (mask >> bit & 1)
            n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, "%s%s-%s", n ? " " : "", pol_type_name(bit / 3),
                                  pol_gen_name(bit % 3));
    return out;
}

/* Prints the strings (IA5String TLVs) of a list. */
static void strings(pol_bytes l, int json)
{
    size_t off = 0, k = 0;
    if (json)
        printf("[");
    while (off + 2 <= l.len) {
        size_t hl = l.p[off + 1] < 0x80 ? 2 : 3, vl = hl == 2 ? l.p[off + 1] : l.p[off + 2];
        char s[260];
        memcpy(s, l.p + off + hl, vl < 259 ? vl : 259);
        s[vl < 259 ? vl : 259] = 0;
        if (json) {
            printf("%s", k ? "," : "");
            cli_json_str(s);
        } else {
            printf(" %s", s);
        }
        off += hl + vl;
        k++;
    }
    if (json)
        printf("]");
}

static size_t count_seq(pol_bytes l)
{
    size_t off = 0, n = 0;
    while (off + 2 <= l.len) {
        size_t b = l.p[off + 1], hl = b < 0x80 ? 2 : 2 + (b & 0x7F), vl = 0;
        for (size_t i = 2; i < hl; i++)
            vl = vl << 8 | l.p[off + i];
        off += hl + (b < 0x80 ? b : vl);
        n++;
    }
    return n;
}

static void iso(int64_t t, char *buf, size_t cap)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static const char *const kt_names[] = { "", "ec-p256", "ec-p384", "ec-p521", "rsa-2048", "rsa-3072", "rsa-4096" };

static void show(const uint8_t *der, size_t len, const pol_bundle *b, int json, const char *verified)
{
    uint8_t h[32];
    char t[32], pl[512];
    pol_bundle_ca ca;
    pol_escrow_rule r;
    mbedtls_sha256(der, len, h, 0);
    iso(b->issued_at, t, sizeof t);
    if (json) {
        printf("{\"version\":%u,\"issued\":\"%s\",\"hash\":\"", b->version, t);
        cli_hex_print(h, 32);
        printf("\",\"size\":%zu,\"signature\":\"%s\",\"cas\":[", len, verified);
    } else {
        printf("policy bundle version %u, issued %s, %zu bytes\nhash ", b->version, t, len);
        cli_hex_print(h, 32);
        printf("\nsignature: %s\n", verified);
    }
    for (size_t i = 0; pol_bundle_ca_at(b, i, &ca) == 0; i++) {
        iso(ca.mpic_from, t, sizeof t);
        profile_list(ca.profiles, pl, sizeof pl);
        if (json) {
            printf("%s{\"key_id\":\"", i ? "," : "");
            cli_hex_print(ca.key_id, 32);
            printf("\",\"profiles\":");
            cli_json_str(pl);
            printf(",\"max_validity_days\":%u,\"crldp_prefixes\":", ca.max_validity_days);
            strings(ca.crldp_prefixes, 1);
            printf(",\"aia_prefixes\":");
            strings(ca.aia_prefixes, 1);
            printf(",\"va_keys\":%zu,\"caa_domains\":", count_seq(ca.va_keys));
            strings(ca.caa_domains, 1);
            printf(",\"mpic_from\":\"%s\",\"skew_seconds\":%u,\"authz_seconds\":%u,\"escrow\":[", t, ca.skew_seconds,
                   ca.authz_seconds);
        } else {
            printf("CA key ");
            cli_hex_print(ca.key_id, 32);
            printf("\n  profiles: %s\n  max validity: %u days\n  CRLDP prefixes:", pl, ca.max_validity_days);
            strings(ca.crldp_prefixes, 0);
            printf("%s\n  AIA prefixes:", ca.crldp_prefixes.len ? "" : " (any)");
            strings(ca.aia_prefixes, 0);
            printf("%s\n  validation authority keys: %zu\n  CAA issuer domains:", ca.aia_prefixes.len ? "" : " (any)",
                   count_seq(ca.va_keys));
            strings(ca.caa_domains, 0);
            printf("\n  MPIC required from %s\n  notBefore skew: %u s, pre-authorization: %u s\n", t, ca.skew_seconds,
                   ca.authz_seconds);
        }
        for (size_t k = 0; pol_bundle_escrow_rule_at(&ca, k, &r) == 0; k++) {
            char kts[64] = "";
            size_t n = 0;
            for (int x = 1; x <= 6; x++)
                if (r.key_types >> x & 1)
                    n += (size_t)snprintf(kts + n, sizeof kts - n, "%s%s", n ? " " : "", kt_names[x]);
            profile_list(r.profiles, pl, sizeof pl);
            if (json) {
                printf("%s{\"profiles\":", k ? "," : "");
                cli_json_str(pl);
                printf(",\"period_days\":%u,\"wrap\":\"%s\",\"key_types\":", r.period_days,
                       r.wrap ? "agent-rsa-oaep" : "token-aes256");
                cli_json_str(n ? kts : "any");
                printf(",\"recovery\":%s,\"encryption_only\":%s}", r.recovery_allowed ? "true" : "false",
                       r.encryption_only ? "true" : "false");
            } else {
                printf("  escrow: %s for %u days, wrap %s, key types %s, recovery %s%s\n", pl, r.period_days,
                       r.wrap ? "agent-rsa-oaep" : "token-aes256", n ? kts : "any", r.recovery_allowed ? "yes" : "no",
                       r.encryption_only ? ", encryption only" : "");
            }
        }
        if (json)
            printf("]}");
    }
    if (json)
        printf("]}\n");
}

static int policy_show(cli_args *a)
{
    static const char *const known[] = { "--in", "--key", "--json!", NULL };
    const char *in = cli_opt(a, "--in"), *keyf = cli_opt(a, "--key");
    int json = cli_flag(a, "--json"), rc = 1;
    uint8_t *der = NULL, *key = NULL;
    size_t len = 0, kl = 0;
    sg_policy_state *st = NULL;
    const char *verified = "not checked (no --key)";
    if (cli_check(a, known))
        return 1;
    if (in) {
        if (!(der = cli_read_der(in, &len)))
            return 1;
        if (keyf && !(key = cli_read_der(keyf, &kl)))
            goto done;
    } else {
        sg_client *c;
        if (!(st = calloc(1, sizeof *st)) || cli_connect(&c))
            goto done;
        int trc = sg_policy_info(c, st);
        if (trc)
            cli_token_fail(c, trc, "policy info");
        sg_free(c);
        if (trc)
            goto done;
        if (!st->has_bundle) {
            rc = st->has_key ? cli_fail("the token has a policy key but no bundle loaded: CA keys refuse")
                             : cli_fail("the token has no policy key (sbrguard init --policy-key) and no bundle");
            goto done;
        }
        der = st->bundle;
        len = st->bundle_len;
        key = st->key;
        kl = st->key_len;
    }
    pol_bundle b;
    if (pol_bundle_parse(der, len, &b)) {
        cli_fail("%s: not a SignedPolicyBundle of format %u (docs/bundle.md)", in ? in : "token", SG_BUNDLE_FORMAT);
        goto done;
    }
    if (key) {
        if (pol_sig_verify(key, kl, b.sig_alg.p, b.sig_alg.len, b.tbs.p, b.tbs.len, b.sig.p, b.sig.len)) {
            cli_fail("%s: the signature does not verify with %s", in ? in : "token bundle", keyf ? keyf : "the token's policy key");
            goto done;
        }
        verified = in ? "verified with --key" : "verified with the token's policy key";
    }
    show(der, len, &b, json, verified);
    rc = 0;
done:
    if (in) {
        free(der);
        free(key);
    }
    free(st);
    return rc;
}

int cmd_policy(cli_args *a)
{
    static const cli_sub subs[] = { { "sign", policy_sign }, { "load", policy_load }, { "show", policy_show } };
    return cli_subverb(a, "policy", subs, sizeof subs / sizeof *subs);
}
