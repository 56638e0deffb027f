/* SPDX-License-Identifier: Apache-2.0 */
/* sbrguard blocklist build|load|show: the SBR 6.1.1.3 compromised-key
 * blocklist (docs/blocklist.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../../policy/pol.h"
#include "cli.h"
#include "mbedtls/sha256.h"

/* Adds the hashes one input file gives: a PEM/DER certificate or public key
 * (SHA-256 of its SubjectPublicKeyInfo DER, byte for byte), a signed
 * blocklist, or a plain list of hex hashes. */
static int add_file(const char *path, uint8_t **h, size_t *n, size_t *cap)
{
    static pol_workspace w;
    size_t len, dl, tl, sl;
    uint8_t *raw = cli_read_file(path, &len);
    if (!raw)
        return -1;
    uint8_t one[32];
    const uint8_t *src = NULL, *tbs, *spki;
    sg_blocklist bl = { 0 };
    int is_pem = memmem(raw, len, "-----BEGIN ", 11) != NULL, rc = -1;
    uint8_t *der = NULL;
    if (is_pem || (len > 1 && raw[0] == 0x30)) {
        if (!(der = is_pem ? cli_read_der(path, &dl) : (dl = len, raw)))
            goto out;
        if (pol_cert_tbs(der, dl, &tbs, &tl) == 0 && pol_tbs_spki(tbs, tl, &w, &spki, &sl) == 0)
            mbedtls_sha256(spki, sl, one, 0); /* a certificate: its subject key */
        else if (is_pem && memmem(raw, len, "PUBLIC KEY-----", 15))
            mbedtls_sha256(der, dl, one, 0);  /* a SubjectPublicKeyInfo */
        else {
            cli_fail("%s: neither a certificate nor a public key (PEM or DER)", path);
            goto out;
        }
        src = one, dl = 1;
    } else if (sg_blocklist_read(raw, len, NULL, 0, &bl) == 0) {
        src = bl.hashes, dl = bl.count;
    } else {
        cli_fail("%s: not a key, certificate, signed blocklist or list of 64-hex-digit hashes", path);
        goto out;
    }
    if (*n + dl > *cap) {
        size_t nc = (*n + dl) * 2;
        uint8_t *nh = realloc(*h, nc * 32);
        if (!nh)
            goto out;
        *h = nh, *cap = nc;
    }
    memcpy(*h + 32 * *n, src, 32 * dl);
    *n += dl;
    rc = 0;
out:
    if (der != raw)
        free(der);
    free(raw);
    sg_blocklist_free(&bl);
    return rc;
}

static int bl_build(cli_args *a)
{
    static const char *const with_value[] = { "--out", "--key", "--seq", NULL };
    const char *out = cli_opt(a, "--out"), *key = cli_opt(a, "--key"), *seqs = cli_opt(a, "--seq");
    uint8_t *h = NULL, *file = NULL, *k = NULL;
    size_t n = 0, cap = 0, fl, kl;
    int rc = 1, nfiles = 0;
    if (!out)
        return cli_fail("blocklist build needs --out FILE");
    for (int i = 0; i < a->argc; i++) {
        const char *s = a->argv[i];
        int value = 0;
        for (const char *const *o = with_value; *o; o++)
            value |= !strcmp(s, *o);
        if (value) {
            i++;
        } else if (s[0] == '-' && s[1]) {
            free(h);
            return cli_fail("unknown option '%s' (see --help)", s);
        } else if (add_file(s, &h, &n, &cap)) {
            free(h);
            return 1;
        } else {
            nfiles++;
        }
    }
    if (!nfiles)
        return cli_fail("blocklist build needs at least one key, certificate or hash list");
    n = sg_blocklist_sort(h, n);
    if (!key) {
        /* No SO key: the plain list (for lint, or to sign later). */
        FILE *f = strcmp(out, "-") ? fopen(out, "w") : stdout;
        if (!f)
            goto done;
        fprintf(f, "# sbrguard blocklist (docs/blocklist.md): SHA-256 of SubjectPublicKeyInfo DER\n");
        for (size_t i = 0; i < n; i++) {
            for (int j = 0; j < 32; j++)
                fprintf(f, "%02x", h[32 * i + j]);
            fputc('\n', f);
        }
        rc = (f != stdout && fclose(f)) ? cli_fail("%s: cannot write", out) : 0;
        if (!rc)
            printf("blocklist of %zu keys (plain list) in %s\n", n, out);
        goto done;
    }
    char *end;
    unsigned long long seq = seqs ? strtoull(seqs, &end, 10) : (unsigned long long)time(NULL);
    if (seqs && (!*seqs || *end || seq == 0 || seq > 0xFFFFFFFFull)) {
        cli_fail("--seq: '%s' is not 1..4294967295", seqs);
        goto done;
    }
    if (!(k = cli_read_der(key, &kl)))
        goto done;
    if (sg_blocklist_build(h, (uint32_t)n, (uint32_t)seq, k, kl, &file, &fl)) {
        cli_fail("%s: not an ECDSA P-256/P-384 or RSA >= 2048 private key (PEM or DER)", key);
        goto done;
    }
    rc = cli_write_file(out, file, fl);
    if (!rc)
        printf("blocklist sequence %llu of %zu keys signed: %zu bytes in %s\n", seq, n, fl, out);
done:
    free(h);
    free(k);
    free(file);
    return rc;
}

static int bl_load(cli_args *a)
{
    static const char *const known[] = { "--in", "--so-pin", NULL };
    const char *in = cli_opt(a, "--in");
    sg_client *c;
    size_t len;
    uint32_t seq, count;
    uint8_t hash[32];
    int rc;
    if (cli_check(a, known))
        return 1;
    if (!in)
        return cli_fail("blocklist load needs --in FILE (a signed blocklist)");
    uint8_t *b = cli_read_file(in, &len);
    if (!b || cli_connect(&c)) {
        free(b);
        return 1;
    }
    if (!(rc = cli_login_so(c, a))) {
        if ((rc = sg_blocklist_load(c, b, len, &seq, &count, hash)))
            rc = cli_token_fail(c, rc, "blocklist load");
        else {
            printf("blocklist sequence %u of %u keys loaded, hash ", seq, count);
            cli_hex_print(hash, 32);
            printf("\n");
        }
    }
    sg_free(c);
    free(b);
    return rc;
}

static int bl_show(cli_args *a)
{
    static const char *const known[] = { "--in", "--key", NULL };
    const char *in = cli_opt(a, "--in"), *key = cli_opt(a, "--key");
    if (cli_check(a, known))
        return 1;
    if (in) {
        size_t len, kl = 0;
        uint8_t *b = cli_read_file(in, &len), *k = key ? cli_read_der(key, &kl) : NULL, hash[32];
        sg_blocklist bl;
        int rc = b && (!key || k) ? sg_blocklist_read(b, len, k, kl, &bl) : SG_E_ARGS;
        if (rc) {
            free(b), free(k);
            return cli_fail("%s: %s", in, rc == SG_E_TOKEN ? "signature does not verify with --key" : "not a blocklist");
        }
        mbedtls_sha256(b, len, hash, 0);
        if (bl.sig)
            printf("signed blocklist, sequence %u, %u keys%s\nhash ", bl.seq, bl.count,
                   key ? ", signature verified" : " (signature not checked: no --key)");
        else
            printf("plain list, %u keys\nhash ", bl.count);
        cli_hex_print(hash, 32);
        printf("\n");
        sg_blocklist_free(&bl);
        free(b), free(k);
        return 0;
    }
    sg_client *c;
    uint32_t cap, seq = 0, count = 0;
    int present, rc;
    uint8_t hash[32];
    if (cli_connect(&c))
        return 1;
    if ((rc = sg_blocklist_info(c, &cap, &present, &seq, &count, hash)))
        rc = cli_token_fail(c, rc, "blocklist info");
    else if (!present)
        printf("no blocklist loaded (capacity %u keys)\n", cap);
    else {
        printf("blocklist sequence %u, %u keys (capacity %u)\nhash ", seq, count, cap);
        cli_hex_print(hash, 32);
        printf("\n");
    }
    sg_free(c);
    return rc;
}

int cmd_blocklist(cli_args *a)
{
    static const cli_sub subs[] = { { "build", bl_build }, { "load", bl_load }, { "show", bl_show } };
    return cli_subverb(a, "blocklist", subs, sizeof subs / sizeof *subs);
}
