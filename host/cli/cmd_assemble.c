/* SPDX-License-Identifier: Apache-2.0 */
/* sbrguard cert assemble: Certificate ::= SEQUENCE { tbsCertificate,
 * signatureAlgorithm, signatureValue BIT STRING } (RFC 5280 4.1) from a TBS
 * and a signature the token made over it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

/* One DER TLV at *p (before end): tag, header and value length. */
static int der_tlv(const uint8_t *p, const uint8_t *end, uint8_t *tag, size_t *hdr, size_t *len)
{
    size_t n = (size_t)(end - p), l, h = 2;
    if (n < 2)
        return -1;
    *tag = p[0];
    l = p[1];
    if (l & 0x80) {
        size_t k = l & 0x7F;
        if (k == 0 || k > 3 || n < 2 + k)
            return -1;
        l = 0;
        for (size_t i = 0; i < k; i++)
            l = (l << 8) | p[2 + i];
        h += k;
    }
    if (l > n - h)
        return -1;
    *hdr = h;
    *len = l;
    return 0;
}

/* TBSCertificate ::= SEQUENCE { [0] version OPTIONAL, serialNumber,
 * signature AlgorithmIdentifier, ... }: the signature field's TLV. */
static int tbs_sig_alg(const uint8_t *tbs, size_t len, const uint8_t **alg, size_t *alg_len)
{
    const uint8_t *p = tbs, *end = tbs + len;
    uint8_t t;
    size_t h, l;
    if (der_tlv(p, end, &t, &h, &l) || t != 0x30 || h + l != len)
        return -1;
    p += h;
    if (der_tlv(p, end, &t, &h, &l))
        return -1;
    if (t == 0xA0) {
        p += h + l;
        if (der_tlv(p, end, &t, &h, &l))
            return -1;
    }
    if (t != 0x02)
        return -1;
    p += h + l;
    if (der_tlv(p, end, &t, &h, &l) || t != 0x30)
        return -1;
    *alg = p;
    *alg_len = h + l;
    return 0;
}

/* An ECDSA-Sig-Value: SEQUENCE { INTEGER r, INTEGER s } and nothing else. */
static int is_ecdsa_der(const uint8_t *p, size_t len)
{
    const uint8_t *end = p + len;
    uint8_t t;
    size_t h, l;
    if (der_tlv(p, end, &t, &h, &l) || t != 0x30 || h + l != len)
        return 0;
    p += h;
    for (int i = 0; i < 2; i++) {
        if (der_tlv(p, end, &t, &h, &l) || t != 0x02 || l == 0)
            return 0;
        p += h + l;
    }
    return p == end;
}

static size_t der_hdr(uint8_t tag, size_t len, uint8_t *out)
{
    out[0] = tag;
    if (len < 0x80) {
        out[1] = (uint8_t)len;
        return 2;
    }
    if (len < 0x100) {
        out[1] = 0x81;
        out[2] = (uint8_t)len;
        return 3;
    }
    if (len < 0x10000) {
        out[1] = 0x82;
        out[2] = (uint8_t)(len >> 8);
        out[3] = (uint8_t)len;
        return 4;
    }
    out[1] = 0x83;
    out[2] = (uint8_t)(len >> 16);
    out[3] = (uint8_t)(len >> 8);
    out[4] = (uint8_t)len;
    return 5;
}

int cmd_cert_assemble(cli_args *a)
{
    static const char *const known[] = { "assemble!", "--tbs", "--sig", "--out", "--alg-from-tbs!", "--format", NULL };
    static const uint8_t ecdsa_oid[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03 };
    const char *tbs_file = cli_opt(a, "--tbs"), *sig_file = cli_opt(a, "--sig"), *out = cli_opt(a, "--out");
    const char *fmt = cli_opt(a, "--format");
    const uint8_t *alg;
    size_t tbs_len, sig_len, alg_len, vlen;
    uint8_t *tbs = NULL, *sig = NULL, *cert = NULL, ecd[160], bh[6], ch[6];
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
    if (tbs_sig_alg(tbs, tbs_len, &alg, &alg_len)) {
        cli_fail("%s: not a DER TBSCertificate", tbs_file);
        goto out;
    }
    const uint8_t *s = sig;
    size_t sl = sig_len;
    if (alg_len > 2 + sizeof ecdsa_oid && !memcmp(alg + 2, ecdsa_oid, sizeof ecdsa_oid)) {
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
    size_t bhl = der_hdr(0x03, sl + 1, bh);
    vlen = tbs_len + alg_len + bhl + 1 + sl;
    size_t chl = der_hdr(0x30, vlen, ch), off = 0;
    if (!(cert = malloc(chl + vlen))) {
        cli_fail("out of memory");
        goto out;
    }
    memcpy(cert + off, ch, chl), off += chl;
    memcpy(cert + off, tbs, tbs_len), off += tbs_len;
    memcpy(cert + off, alg, alg_len), off += alg_len;
    memcpy(cert + off, bh, bhl), off += bhl;
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
