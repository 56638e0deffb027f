/* SPDX-License-Identifier: Apache-2.0 */
/* sbrguard authorize: a TBSCertificate checked by the token, which then
 * allows one raw-digest signature of it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../../policy/pol.h"
#include "cli.h"

int cmd_authorize(cli_args *a)
{
    static const char *const known[] = { "--key", "--mech", "--tbs", "--sign", "--out", "--digest-out", "--evidence", "--pin", NULL };
    const char *mname, *tbs_file, *sign_file, *out, *dout;
    char **cmd = NULL;
    sg_mech m;
    sg_authz az;
    uint16_t key = 0;
    size_t len, dlen = 0;
    uint8_t *tbs, *digest = NULL;
    sg_client *c;
    /* Everything after "--" is a command to run once the TBS is accepted. */
    for (int i = 0; i < a->argc; i++)
        if (!strcmp(a->argv[i], "--")) {
            cmd = a->argv + i + 1;
            a->argc = i;
            break;
        }
    mname = cli_opt(a, "--mech");
    tbs_file = cli_opt(a, "--tbs");
    sign_file = cli_opt(a, "--sign");
    out = cli_opt(a, "--out");
    dout = cli_opt(a, "--digest-out");
    if (cli_check(a, known) || cli_parse_handle(cli_opt(a, "--key"), &key) || cli_mech(mname, NULL, 0, &m))
        return 1;
    if (m.mech == SG_MECH_ECDSA || m.mech == SG_MECH_RSA_PKCS || m.mech == SG_MECH_RSA_PKCS_PSS)
        return cli_fail("--mech names the hash-and-sign mechanism of the TBS's signature (e.g. ecdsa-sha256)");
    if (!tbs_file)
        return cli_fail("--tbs FILE (a DER TBSCertificate) is required");
    if (!sign_file != !out)
        return cli_fail("--sign DIGEST and --out SIG go together");
    if (cmd && (!cmd[0] || sign_file || !strcmp(tbs_file, "-")))
        return cli_fail("-- needs a command, a --tbs file (not stdin) and no --sign");
    if (!(tbs = cli_read_der(tbs_file, &len)))
        return 1;
    if (sign_file && !(digest = cli_read_file(sign_file, &dlen))) {
        free(tbs);
        return 1;
    }
    int rc = cli_open_user(a, &c);
    if (rc)
        goto done;
    if ((rc = cli_attach_evidence(a, c)))
        goto close;
    rc = sg_authorize(c, key, &m, tbs, len, &az);
    if (rc) {
        rc = cli_token_fail(c, rc, "authorize");
        cli_print_reasons(c);
        goto close;
    }
    printf("authorized: key %u may sign once, on this connection, until token time %llu, with %s:\n  ", key,
           (unsigned long long)az.expires, az.raw_mech == SG_MECH_ECDSA ? "ecdsa" : az.raw_mech == SG_MECH_RSA_PKCS ? "rsa-pkcs" : "rsa-pkcs-pss");
    cli_hex_print(az.data, az.data_len);
    printf("\n");
    fflush(stdout);
    if (dout && (rc = cli_write_file(dout, az.data, az.data_len)))
        goto close;
    if (sign_file) {
        /* The one raw signature, on the connection that holds the authorization. */
        sg_mech raw = m;
        uint8_t sig[512];
        size_t sl = sizeof sig;
        raw.mech = az.raw_mech;
        if ((rc = sg_sign(c, key, &raw, digest, dlen, sig, &sl))) {
            rc = cli_token_fail(c, rc, "sign");
            cli_print_reasons(c);
        } else if (!(rc = cli_write_sig(out, &raw, sig, sl))) {
            fprintf(stderr, "signed the authorized digest with key %u: %s\n", key, out);
        }
    }
close:
    sg_free(c);
    if (!rc && cmd) {
        /* This connection's authorization ends here. The command's PKCS#11
         * module submits the same TBS on its own connection right before
         * its raw signature (SBRGUARD_P11_AUTHORIZE, docs/protocol.md). */
        const char *ev = cli_opt(a, "--evidence");
        fflush(NULL);
        if (setenv("SBRGUARD_P11_AUTHORIZE", tbs_file, 1) || (ev && setenv("SBRGUARD_P11_EVIDENCE", ev, 1))) {
            rc = cli_fail("setenv failed");
        } else {
            execvp(cmd[0], cmd);
            rc = cli_fail("%s: cannot run it", cmd[0]);
        }
    }
done:
    free(tbs);
    free(digest);
    return rc;
}
