/* SPDX-License-Identifier: Apache-2.0 */
/* sbrguard cert assemble: Certificate ::= SEQUENCE { tbsCertificate,
 * signatureAlgorithm, signatureValue BIT STRING } (RFC 5280 4.1) from a TBS
 * and a signature the token made over it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../policy/pol.h"
#include "../../policy/pol_der.h"
#include "cli.h"

/* An ECDSA-Sig-Value: SEQUENCE { INTEGER r, INTEGER s } and nothing else. */
static int is_ecdsa_der(const uint8_t *p, size_t len)
{
    pol_slice all = { p, len }, seq, x;
    pol_der c = pol_der_of(all), in;
    if (pol_der_expect(&c, DER_SEQUENCE, &seq, NULL) || pol_der_more(&c))
        return 0;
    in = pol_der_of(seq);
    for (int i = 0; i < 2; i++)
        if (pol_der_expect(&in, DER_INTEGER, &x, NULL) || x.len == 0)
            return 0;
    return !pol_der_more(&in);
}

int cmd_cert_assemble(cli_args *a)
{
    static const char *const known[] = { "assemble!", "--tbs", "--sig", "--out", "--alg-from-tbs!", "--format", NULL };
    static const uint8_t ecdsa_oid[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03 };
    const char *tbs_file = cli_opt(a, "--tbs"), *sig_file = cli_opt(a, "--sig"), *out = cli_opt(a, "--out");
    const char *fmt = cli_opt(a, "--format");
    pol_cert_layout cl;
    size_t tbs_len, sig_len, vlen;
    uint8_t *tbs = NULL, *sig = NULL, *cert = NULL, ecd[160];
    int rc = 1;
    if (cli_check(a, known))
        return 1;
    if (!tbs_file || !sig_file || !out)
        return cli_fail("cert assemble needs --tbs FILE, --sig FILE and --out FILE");
    if (fmt && strcmp(fmt, "pem") && strcmp(fmt, "der"))
        return cli_fail("--format must be pem or der");
    if (!(tbs = cli_read_der(tbs_file, &tbs_len)) || !(sig = cli_read_file(sig_file, &sig_len)))
        goto out;
    /* RFC 5280 4.1.1.2: signatureAlgorithm is the TBS's own signature field. */
    if (pol_cert_layout_of(tbs, tbs_len, 0, &cl)) {
        cli_fail("%s: not a DER TBSCertificate", tbs_file);
        goto out;
    }
    const uint8_t *s = sig;
    size_t sl = sig_len;
    if (cl.alg_len > 2 + sizeof ecdsa_oid && !memcmp(cl.alg + 2, ecdsa_oid, sizeof ecdsa_oid)) {
        /* ECDSA: the BIT STRING holds an ECDSA-Sig-Value; r || s is converted. */
        if (!is_ecdsa_der(sig, sig_len)) {
            if (sig_len == 0 || sig_len % 2 || sig_len > 132) {
                cli_fail("%s: neither a DER ECDSA-Sig-Value nor r || s", sig_file);
                goto out;
            }
            sl = cli_ecdsa_der(sig, sig_len, ecd);
            s = ecd;
        }
    } else if (sig_len == 0 || is_ecdsa_der(sig, sig_len)) {
        cli_fail("%s: the TBS announces an RSA signature; this is not one", sig_file);
        goto out;
    }
    pol_cert_layout_of(tbs, tbs_len, sl, &cl); /* the headers for this signature's length */
    vlen = cl.head_len + tbs_len + cl.alg_len + cl.bit_head_len + 1 + sl;
    size_t off = 0;
    if (!(cert = malloc(vlen))) {
        cli_fail("out of memory");
        goto out;
    }
    memcpy(cert + off, cl.head, cl.head_len), off += cl.head_len;
    memcpy(cert + off, tbs, tbs_len), off += tbs_len;
    memcpy(cert + off, cl.alg, cl.alg_len), off += cl.alg_len;
    memcpy(cert + off, cl.bit_head, cl.bit_head_len), off += cl.bit_head_len;
    cert[off++] = 0; /* no unused bits */
    memcpy(cert + off, s, sl), off += sl;
    rc = fmt && !strcmp(fmt, "der") ? cli_write_file(out, cert, off) : cli_write_pem(out, "CERTIFICATE", cert, off);
    if (!rc)
        fprintf(stderr, "certificate assembled: %s (%zu bytes DER)\n", out, off);
out:
    free(tbs);
    free(sig);
    free(cert);
    return rc;
}
