/* SPDX-License-Identifier: Apache-2.0 */
/* sbrguard init, keygen, list, cert import, sign. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static const struct {
    const char *name;
    int type;
} key_names[] = {
    { "ec-p256", SG_KEY_EC_P256 },   { "ec-p384", SG_KEY_EC_P384 },   { "ec-p521", SG_KEY_EC_P521 },
    { "rsa-2048", SG_KEY_RSA_2048 }, { "rsa-3072", SG_KEY_RSA_3072 }, { "rsa-4096", SG_KEY_RSA_4096 },
};

static const char *key_name(int type)
{
    for (size_t i = 0; i < sizeof key_names / sizeof *key_names; i++)
        if (key_names[i].type == type)
            return key_names[i].name;
    return "?";
}

int cmd_init(cli_args *a)
{
    static const char *const known[] = { "--label", "--so-pin", "--pin", "--policy-key", NULL };
    const char *label = cli_opt(a, "--label"), *so = cli_opt(a, "--so-pin"), *pin = cli_opt(a, "--pin");
    const char *pkf = cli_opt(a, "--policy-key");
    uint8_t *pk = NULL;
    size_t pkl = 0;
    sg_client *c;
    int rc;
    if (cli_check(a, known))
        return 1;
    so = so ? so : getenv("SBRGUARD_SO_PIN");
    pin = pin ? pin : getenv("SBRGUARD_PIN");
    if (!label || !so || !pin)
        return cli_fail("init needs --label, --so-pin and --pin (see --help)");
    if (strlen(label) > SG_MAX_LABEL)
        return cli_fail("label longer than %u characters", SG_MAX_LABEL);
    if (pkf && !(pk = cli_read_der(pkf, &pkl)))
        return 1;
    if (cli_connect(&c)) {
        free(pk);
        return 1;
    }
    if ((rc = sg_init_token_policy(c, so, strlen(so), label, pk, pkl)))
        rc = cli_token_fail(c, rc, "init token");
    else if ((rc = sg_login(c, SG_USER_SO, so, strlen(so))))
        rc = cli_token_fail(c, rc, "SO login");
    else if ((rc = sg_init_pin(c, pin, strlen(pin))))
        rc = cli_token_fail(c, rc, "set user PIN");
    else if ((rc = sg_logout(c)))
        rc = cli_token_fail(c, rc, "logout");
    else
        printf("token initialized: label '%s', user PIN set%s\n", label, pk ? ", policy key set" : "");
    free(pk);
    sg_free(c);
    return rc;
}

int cmd_keygen(cli_args *a)
{
    static const char *const known[] = { "--type", "--label", "--id", "--ca!", "--pubout", "--pin", NULL };
    const char *type = cli_opt(a, "--type"), *label = cli_opt(a, "--label"), *id = cli_opt(a, "--id");
    const char *pubout = cli_opt(a, "--pubout");
    uint8_t idb[SG_MAX_ID], pub[1024];
    size_t idl = 0, publ = sizeof pub;
    int kt = 0, rc;
    uint16_t h;
    sg_client *c;
    if (cli_check(a, known))
        return 1;
    for (size_t i = 0; type && i < sizeof key_names / sizeof *key_names; i++)
        if (!strcmp(type, key_names[i].name))
            kt = key_names[i].type;
    if (!kt)
        return cli_fail("--type must be one of ec-p256 ec-p384 ec-p521 rsa-2048 rsa-3072 rsa-4096");
    if (!label || strlen(label) > SG_MAX_LABEL)
        return cli_fail("--label LABEL (at most %u characters) is required", SG_MAX_LABEL);
    if (id && cli_hex_decode(id, idb, sizeof idb, &idl))
        return 1;
    if (cli_open_user(a, &c))
        return 1;
    rc = sg_generate_key(c, kt, idb, idl, label, cli_flag(a, "--ca") ? SG_OBJ_CA : 0, NULL, 0, &h, pub, &publ);
    if (rc)
        rc = cli_token_fail(c, rc, "keygen");
    else {
        printf("generated %s key, handle %u, label '%s'%s\n", key_name(kt), h, label,
               cli_flag(a, "--ca") ? ", CA key" : "");
        if (pubout)
            rc = cli_write_pem(pubout, "PUBLIC KEY", pub, publ);
    }
    sg_free(c);
    return rc;
}

int cmd_list(cli_args *a)
{
    static const char *const known[] = { "--pin", NULL };
    static const char *const cls[] = { "?", "key", "cert", "data", "escrow" };
    sg_list_entry e[64];
    size_t n = 64;
    sg_client *c;
    static sg_object o;
    int rc;
    if (cli_check(a, known) || cli_connect(&c))
        return 1;
    if ((cli_opt(a, "--pin") || getenv("SBRGUARD_PIN")) && cli_login_user(c, a)) {
        sg_free(c);
        return 1;
    }
    if ((rc = sg_list(c, e, &n))) {
        rc = cli_token_fail(c, rc, "list");
        sg_free(c);
        return rc;
    }
    printf("%-6s %-5s %-9s %-16s %-5s %s\n", "handle", "class", "type", "id", "flags", "label");
    for (size_t i = 0; i < n && !rc; i++) {
        if ((rc = sg_get_object(c, e[i].handle, &o))) {
            rc = cli_token_fail(c, rc, "get object");
            break;
        }
        printf("%-6u %-5s %-9s ", o.handle, cls[o.cls <= 4 ? o.cls : 0], o.cls == SG_CLASS_KEY || o.cls == SG_CLASS_ESCROW ? key_name(o.key_type) : "-");
        cli_hex_print(o.id, o.id_len > 8 ? 8 : o.id_len);
        printf("%*s %-5s %.*s\n", (int)(16 - 2 * (o.id_len > 8 ? 8 : o.id_len)), "",
               o.flags & SG_OBJ_CA ? "ca" : o.flags & SG_OBJ_CA_CERT ? "ca-crt" : o.flags & SG_OBJ_PRIVATE ? "priv" : "-",
               (int)o.label_len, (const char *)o.label);
    }
    sg_free(c);
    return rc;
}

int cmd_cert(cli_args *a)
{
    static const char *const known[] = { "import!", "--key", "--cert", "--label", "--pin", NULL };
    const char *file = cli_opt(a, "--cert"), *label = cli_opt(a, "--label");
    uint16_t key = 0, h;
    size_t len;
    sg_client *c;
    if (a->argc < 1 || strcmp(a->argv[0], "import"))
        return cli_fail("usage: sbrguard cert import --key HANDLE --cert FILE | cert assemble --tbs FILE --sig FILE --out FILE");
    if (cli_check(a, known) || cli_parse_handle(cli_opt(a, "--key"), &key))
        return 1;
    if (!file)
        return cli_fail("--cert FILE is required");
    uint8_t *der = cli_read_der(file, &len);
    if (!der)
        return 1;
    int rc = cli_open_user(a, &c);
    if (!rc) {
        rc = sg_bind_ca(c, key, der, len, label ? label : "CA certificate", NULL, 0, &h);
        if (rc)
            rc = cli_token_fail(c, rc, "cert import");
        else
            printf("CA certificate bound to key %u (certificate handle %u); key %u is now a CA key\n", key, h, key);
        sg_free(c);
    }
    free(der);
    return rc;
}

int cmd_sign(cli_args *a)
{
    static const char *const known[] = { "--key", "--mech", "--in", "--out", "--salt-len", "--evidence", "--pin", NULL };
    const char *mname = cli_opt(a, "--mech"), *in = cli_opt(a, "--in"), *out = cli_opt(a, "--out");
    sg_mech m;
    uint16_t key = 0;
    size_t len, sl = 512;
    uint8_t sig[512];
    sg_client *c;
    if (cli_check(a, known) || cli_parse_handle(cli_opt(a, "--key"), &key) || cli_mech(mname, NULL, 0, &m))
        return 1;
    if (!in || !out)
        return cli_fail("--in FILE and --out FILE are required");
    uint8_t *data = cli_read_file(in, &len);
    if (!data)
        return 1;
    int rc = cli_mech(mname, cli_opt(a, "--salt-len"), len, &m);
    if (!rc)
        rc = cli_open_user(a, &c);
    if (!rc && (rc = cli_attach_evidence(a, c)))
        sg_free(c);
    if (!rc) {
        rc = sg_sign(c, key, &m, data, len, sig, &sl);
        if (rc) {
            rc = cli_token_fail(c, rc, "sign");
            cli_print_reasons(c);
        } else {
            rc = cli_write_sig(out, &m, sig, sl);
        }
        if (!rc)
            fprintf(stderr, "signed %zu bytes with key %u (%s): %s\n", len, key, mname, out);
        sg_free(c);
    }
    free(data);
    return rc;
}
