/* SPDX-License-Identifier: Apache-2.0 */
/* CLI helpers for the verbs that talk to the token: logins, key handles,
 * mechanisms, signatures and the reasons of a refusal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../policy/pol.h"
#include "cli.h"

static const struct {
    const char *name;
    uint32_t mech, pss_hash, pss_mgf, hlen;
} mech_names[] = {
    { "ecdsa", SG_MECH_ECDSA, 0, 0, 0 },
    { "ecdsa-sha256", SG_MECH_ECDSA_SHA256, 0, 0, 0 },
    { "ecdsa-sha384", SG_MECH_ECDSA_SHA384, 0, 0, 0 },
    { "ecdsa-sha512", SG_MECH_ECDSA_SHA512, 0, 0, 0 },
    { "rsa-pkcs", SG_MECH_RSA_PKCS, 0, 0, 0 },
    { "sha256-rsa-pkcs", SG_MECH_SHA256_RSA_PKCS, 0, 0, 0 },
    { "sha384-rsa-pkcs", SG_MECH_SHA384_RSA_PKCS, 0, 0, 0 },
    { "sha512-rsa-pkcs", SG_MECH_SHA512_RSA_PKCS, 0, 0, 0 },
    { "rsa-pkcs-pss", SG_MECH_RSA_PKCS_PSS, 0, 0, 0 }, /* hash chosen by the digest's length */
    { "sha256-rsa-pkcs-pss", SG_MECH_SHA256_RSA_PKCS_PSS, SG_MECH_SHA256, SG_MGF1_SHA256, 32 },
    { "sha384-rsa-pkcs-pss", SG_MECH_SHA384_RSA_PKCS_PSS, SG_MECH_SHA384, SG_MGF1_SHA384, 48 },
    { "sha512-rsa-pkcs-pss", SG_MECH_SHA512_RSA_PKCS_PSS, SG_MECH_SHA512, SG_MGF1_SHA512, 64 },
};

int cli_open_user(const cli_args *a, sg_client **c)
{
    if (cli_connect(c))
        return 1;
    if (cli_login_user(*c, a)) {
        sg_free(*c);
        return 1;
    }
    return 0;
}

int cli_parse_handle(const char *s, uint16_t *h)
{
    char *end;
    unsigned long v = s ? strtoul(s, &end, 10) : 0;
    if (!s || *end || v == 0 || v > 0xFFFF)
        return cli_fail("--key needs an object handle (see `sbrguard list`)");
    *h = (uint16_t)v;
    return 0;
}

int cli_login_so(sg_client *c, const cli_args *a)
{
    const char *so = cli_opt(a, "--so-pin");
    so = so ? so : getenv("SBRGUARD_SO_PIN");
    if (!so)
        return cli_fail("SO PIN needed: --so-pin SOPIN or SBRGUARD_SO_PIN");
    int rc = sg_login(c, SG_USER_SO, so, strlen(so));
    return rc ? cli_token_fail(c, rc, "SO login") : 0;
}

/* r || s to ECDSA-Sig-Value DER. */
size_t cli_ecdsa_der(const uint8_t *raw, size_t len, uint8_t *out)
{
    size_t n = len / 2, off = 2;
    for (int i = 0; i < 2; i++) {
        const uint8_t *p = raw + i * n;
        size_t l = n;
        while (l > 1 && *p == 0) {
            p++;
            l--;
        }
        int pad = *p & 0x80;
        out[off++] = 0x02;
        out[off++] = (uint8_t)(l + (pad ? 1 : 0));
        if (pad)
            out[off++] = 0;
        memcpy(out + off, p, l);
        off += l;
    }
    /* A P-521 signature exceeds 127 bytes: long-form length. */
    if (off - 2 > 127) {
        memmove(out + 3, out + 2, off - 2);
        out[1] = 0x81;
        out[2] = (uint8_t)(off - 2);
        off++;
    } else {
        out[1] = (uint8_t)(off - 2);
    }
    out[0] = 0x30;
    return off;
}

int cli_mech(const char *name, const char *salt, size_t data_len, sg_mech *m)
{
    size_t i;
    memset(m, 0, sizeof *m);
    for (i = 0; name && i < sizeof mech_names / sizeof *mech_names && strcmp(name, mech_names[i].name); i++)
        ;
    if (!name || i == sizeof mech_names / sizeof *mech_names)
        return cli_fail("--mech: unknown mechanism '%s' (see --help)", name ? name : "");
    m->mech = mech_names[i].mech;
    if (m->mech == SG_MECH_RSA_PKCS_PSS || mech_names[i].pss_hash) {
        uint32_t hl = mech_names[i].hlen ? mech_names[i].hlen : (uint32_t)data_len;
        m->has_pss = 1;
        m->pss_hash = hl == 32 ? SG_MECH_SHA256 : hl == 48 ? SG_MECH_SHA384 : SG_MECH_SHA512;
        m->pss_mgf = hl == 32 ? SG_MGF1_SHA256 : hl == 48 ? SG_MGF1_SHA384 : SG_MGF1_SHA512;
        m->pss_slen = hl;
        if (salt) {
            char *end;
            unsigned long v = strtoul(salt, &end, 10);
            if (!*salt || *end || v > 1024)
                return cli_fail("--salt-len: '%s' is not a salt length in bytes (0..1024)", salt);
            m->pss_slen = (uint32_t)v;
        }
    }
    return 0;
}

int cli_write_sig(const char *out, const sg_mech *m, const uint8_t *sig, size_t sl)
{
    uint8_t der[160];
    if (m->mech >= SG_MECH_ECDSA && m->mech <= SG_MECH_ECDSA_SHA512)
        return sl > 132 ? cli_fail("ECDSA signature too long") : cli_write_file(out, der, cli_ecdsa_der(sig, sl, der));
    return cli_write_file(out, sig, sl);
}

/* Codes the token gives outside the policy engine's rule table. */
static const struct {
    const char *code, *text;
} token_reasons[] = {
    { "sbrguard.escrow.no-bundle", "no policy bundle entry for this CA key" },
    { "sbrguard.escrow.no-rule", "the CA's bundle has no escrow rule for this profile" },
    { "sbrguard.escrow.no-consent", "no subscriber authorization (consent hash) was given" },
    { "sbrguard.escrow.encryption-only", "the escrow rule allows encryption-only keys" },
    { "sbrguard.escrow.key-type", "the escrow rule does not allow this key type" },
    { "sbrguard.escrow.transport-key", "the transport key is not RSA >= 2048 (112 bits)" },
    { "sbrguard.escrow.agent-wrapped", "the key is wrapped to the escrow agent: the token cannot deliver it" },
    { "sbrguard.escrow.period-over", "the escrow period is over" },
    { "sbrguard.escrow.recovery-forbidden", "the current bundle's rule does not allow recovery" },
    { "sbrguard.bundle.none", "no policy bundle is loaded: CA keys sign nothing (sbrguard policy load)" },
    { "sbrguard.bundle.no-entry", "the loaded policy bundle has no entry for this CA key" },
    { "sbrguard.ca.unbound", "the CA key has no CA certificate bound: nothing to judge the TBS against" },
    { "sbrguard.ca.cert-malformed", "the bound CA certificate cannot be read" },
    { "sbrguard.sign.hash", "the mechanism has no hash the SBR allows" },
    { "sbrguard.sign.hash-curve", "the ECDSA hash is not the key's curve's (P-256/SHA-256, P-384/SHA-384, P-521/SHA-512)" },
    { "sbrguard.sign.pss-params", "RSASSA-PSS parameters must be the mechanism's hash, MGF1 with it and a salt of its length" },
    { "sbrguard.policy.more-findings", "more findings than the token reports" },
    { "sbrguard.authz.none", "raw digest with a CA key and no authorization on this connection (see sbrguard authorize)" },
    { "sbrguard.authz.used", "this connection's authorization was already used" },
    { "sbrguard.authz.expired", "this connection's authorization expired" },
    { "sbrguard.authz.key-mismatch", "this connection's authorization is for another key" },
    { "sbrguard.authz.mechanism-mismatch", "this connection's authorization is for another mechanism or PSS parameters" },
    { "sbrguard.authz.digest-mismatch", "the data is not the authorized TBS's digest (for rsa-pkcs: its DigestInfo)" },
};

void cli_print_reasons(const sg_client *c)
{
    sg_reason r[64];
    size_t n = sg_last_reasons(c, r, sizeof r / sizeof *r);
    for (size_t i = 0; i < n && i < sizeof r / sizeof *r; i++) {
        const char *text = "";
        int k = pol_rule_find(r[i].code);
        if (k >= 0)
            text = pol_rule_at((size_t)k)->message;
        for (size_t j = 0; k < 0 && j < sizeof token_reasons / sizeof *token_reasons; j++)
            if (!strcmp(token_reasons[j].code, r[i].code))
                text = token_reasons[j].text;
        fprintf(stderr, "  %s [SBR %s] %s\n", r[i].code, *r[i].section ? r[i].section : "-", text);
    }
    if (n > sizeof r / sizeof *r)
        fprintf(stderr, "  (%zu more)\n", n - sizeof r / sizeof *r);
}
