/* SPDX-License-Identifier: Apache-2.0 */
/* sbrguard escrow generate|deliver|recover: key escrow under the CA's
 * bundle (docs/bundle.md; SBR 4.12, 6.1.2, 6.3.2). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../../policy/pol.h"
#include "cli.h"
#include "mbedtls/sha256.h"

static const char *const key_types[] = { "", "ec-p256", "ec-p384", "ec-p521", "rsa-2048", "rsa-3072", "rsa-4096" };

static int parse_profile(const char *s, int *type, int *gen)
{
    for (int t = 0; s && t < 4; t++)
        for (int g = 0; g < 3; g++) {
            char n[40];
            snprintf(n, sizeof n, "%s-%s", pol_type_name(t), pol_gen_name(g));
            if (!strcmp(n, s)) {
                *type = t;
                *gen = g;
                return 0;
            }
        }
    return cli_fail("--profile TYPE-GENERATION, e.g. mailbox-strict or organization-multipurpose");
}

static int generate(cli_args *a)
{
    static const char *const known[] = { "--ca", "--profile", "--type", "--consent", "--usage", "--label", "--pubout",
                                         "--pin", NULL };
    const char *use = cli_opt(a, "--usage"), *type = cli_opt(a, "--type"), *cf = cli_opt(a, "--consent");
    const char *pubout = cli_opt(a, "--pubout");
    sg_escrow_req q = { .label = cli_opt(a, "--label"), .usage = SG_ESCROW_USE_ENCRYPT };
    sg_escrow_out o;
    sg_client *c;
    size_t cl;
    int rc;
    if (cli_check(a, known) || cli_parse_handle(cli_opt(a, "--ca"), &q.ca_key) ||
        parse_profile(cli_opt(a, "--profile"), &q.type, &q.gen))
        return 1;
    for (int i = 1; type && i <= 6; i++)
        if (!strcmp(type, key_types[i]))
            q.key_type = i;
    if (!q.key_type)
        return cli_fail("--type must be one of ec-p256 ec-p384 ec-p521 rsa-2048 rsa-3072 rsa-4096");
    if (use)
        q.usage = !strcmp(use, "encrypt") ? SG_ESCROW_USE_ENCRYPT : !strcmp(use, "sign") ? SG_ESCROW_USE_SIGN
                  : !strcmp(use, "both")  ? SG_ESCROW_USE_BOTH : 0;
    if (!q.usage)
        return cli_fail("--usage encrypt, sign or both");
    if (!cf)
        return cli_fail("--consent FILE (the subscriber's signed escrow authorization, SBR 6.1.2) is required");
    uint8_t *consent = cli_read_file(cf, &cl);
    if (!consent)
        return 1;
    mbedtls_sha256(consent, cl, q.consent, 0);
    free(consent);
    if (cli_open_user(a, &c))
        return 1;
    if ((rc = sg_escrow_generate(c, &q, &o))) {
        rc = cli_token_fail(c, rc, "escrow generate");
        cli_print_reasons(c);
    } else {
        char t[32];
        time_t tt = (time_t)o.until;
        struct tm tm;
        gmtime_r(&tt, &tm);
        strftime(t, sizeof t, "%Y-%m-%dT%H:%M:%SZ", &tm);
        printf("escrowed %s key, handle %u, wrapped %s, kept until %s\n", key_types[q.key_type], o.handle,
               o.wrap ? "to the escrow agent (RSA-OAEP + AES-256 KWP)" : "under the token's AES-256 KEK", t);
        if (pubout)
            rc = cli_write_pem(pubout, "PUBLIC KEY", o.spki, o.spki_len);
    }
    sg_free(c);
    return rc;
}

/* deliver (user) and recover (SO). */
static int export_(cli_args *a, int recover)
{
    static const char *const known_d[] = { "--key", "--transport", "--out", "--pin", NULL };
    static const char *const known_r[] = { "--key", "--transport", "--out", "--so-pin", NULL };
    const char *tf = cli_opt(a, "--transport"), *out = cli_opt(a, "--out");
    uint16_t h;
    uint8_t *tk = NULL, buf[SG_MAX_PAYLOAD];
    size_t tl = 0, len = 0;
    sg_client *c;
    int rc;
    if (cli_check(a, recover ? known_r : known_d) || cli_parse_handle(cli_opt(a, "--key"), &h))
        return 1;
    if (!out || (!recover && !tf))
        return cli_fail(recover ? "recover needs --out FILE (and --transport PUB.pem for a token-wrapped key)"
                                : "deliver needs --transport PUB.pem (the subscriber's RSA >= 2048 key) and --out FILE");
    if (tf && !(tk = cli_read_der(tf, &tl)))
        return 1;
    if (recover ? cli_connect(&c) || cli_login_so(c, a) : cli_open_user(a, &c)) {
        free(tk);
        return 1;
    }
    rc = recover ? sg_escrow_recover(c, h, tk, tl, buf, sizeof buf, &len) : sg_escrow_deliver(c, h, tk, tl, buf, sizeof buf, &len);
    if (rc) {
        rc = cli_token_fail(c, rc, recover ? "escrow recover" : "escrow deliver");
        cli_print_reasons(c);
    } else if (!(rc = cli_write_file(out, buf, len))) {
        printf("%s: %zu bytes in %s: RSA-OAEP-SHA256(K) || AES-256-KWP_K(PKCS#8 key) (docs/bundle.md)\n",
               recover ? "recovered" : "delivered", len, out);
    }
    memset(buf, 0, sizeof buf);
    sg_free(c);
    free(tk);
    return rc;
}

static int deliver(cli_args *a) { return export_(a, 0); }
static int recover(cli_args *a) { return export_(a, 1); }

int cmd_escrow(cli_args *a)
{
    static const cli_sub subs[] = { { "generate", generate }, { "deliver", deliver }, { "recover", recover } };
    return cli_subverb(a, "escrow", subs, sizeof subs / sizeof *subs);
}
