/* SPDX-License-Identifier: Apache-2.0 */
/* C2SP signed-note (signature type 0x02, ECDSA with SHA-256) and
 * tlog-checkpoint: parsing and verification for the auditor. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "audit.h"
#include "mbedtls/pk.h"
#include "mbedtls/sha256.h"

#define SIG_TYPE_ECDSA 0x02
#define MAX_SIGS 64 /* signed-note: verifiers MUST accept at least 16 */

static int fail(char *err, size_t cap, int rc, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int fail(char *err, size_t cap, int rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (err && cap)
        vsnprintf(err, cap, fmt, ap);
    va_end(ap);
    return rc;
}

static int b64val(uint8_t c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Strict RFC 4648 section 4 base64: padded, no whitespace, canonical. */
static int b64_decode(const uint8_t *s, size_t len, uint8_t *out, size_t cap, size_t *olen)
{
    if (len % 4)
        return AU_E_FORMAT;
    size_t n = 0;
    for (size_t i = 0; i < len; i += 4) {
        int v[4], pad = 0;
        for (int j = 0; j < 4; j++) {
            v[j] = b64val(s[i + j]);
            if (s[i + j] == '=' && i + 4 == len && j >= 2) {
                v[j] = 0;
                pad++;
            } else if (v[j] < 0 || pad) {
                return AU_E_FORMAT;
            }
        }
        uint32_t x = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
        if ((pad == 1 && (x & 0xff)) || (pad == 2 && (x & 0xffff)))
            return AU_E_FORMAT; /* non-canonical trailing bits */
        if (n + 3 - (size_t)pad > cap)
            return AU_E_ARGS;
        out[n++] = (uint8_t)(x >> 16);
        if (pad < 2)
            out[n++] = (uint8_t)(x >> 8);
        if (pad < 1)
            out[n++] = (uint8_t)x;
    }
    *olen = n;
    return AU_OK;
}

static size_t b64_encode(const uint8_t *p, size_t len, char *out, size_t cap)
{
    static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n = 0;
    if (cap < (len + 2) / 3 * 4 + 1)
        return 0;
    for (size_t i = 0; i < len; i += 3) {
        uint32_t x = (uint32_t)p[i] << 16 | (i + 1 < len ? (uint32_t)p[i + 1] << 8 : 0) | (i + 2 < len ? p[i + 2] : 0);
        out[n++] = a[x >> 18 & 63];
        out[n++] = a[x >> 12 & 63];
        out[n++] = i + 1 < len ? a[x >> 6 & 63] : '=';
        out[n++] = i + 2 < len ? a[x & 63] : '=';
    }
    out[n] = 0;
    return n;
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

uint32_t au_keyid_spki(const uint8_t *spki, size_t len)
{
    uint8_t h[32];
    mbedtls_sha256(spki, len, h, 0);
    return be32(h);
}

uint32_t au_keyid_named(const char *name, const uint8_t *spki, size_t len)
{
    uint8_t h[32], sep[2] = { 0x0a, SIG_TYPE_ECDSA };
    mbedtls_sha256_context c;
    mbedtls_sha256_init(&c);
    mbedtls_sha256_starts(&c, 0);
    mbedtls_sha256_update(&c, (const uint8_t *)name, strlen(name));
    mbedtls_sha256_update(&c, sep, 2);
    mbedtls_sha256_update(&c, spki, len);
    mbedtls_sha256_finish(&c, h);
    mbedtls_sha256_free(&c);
    return be32(h);
}

/* Parses an SPKI, requires ECDSA on P-256/384/521 (signed-note type 0x02), and
 * stores its canonical DER re-encoding. */
static int set_spki(au_vkey *k, const uint8_t *der, size_t len, char *err, size_t cap)
{
    mbedtls_pk_context pk;
    mbedtls_pk_init(&pk);
    int rc = mbedtls_pk_parse_public_key(&pk, der, len);
    if (rc) {
        mbedtls_pk_free(&pk);
        return fail(err, cap, AU_E_FORMAT, "not a SubjectPublicKeyInfo (mbedTLS -0x%04x)", (unsigned)-rc);
    }
    size_t bits = mbedtls_pk_get_bitlen(&pk);
    if (mbedtls_pk_get_type(&pk) != MBEDTLS_PK_ECKEY || (bits != 256 && bits != 384 && bits != 521)) {
        mbedtls_pk_free(&pk);
        return fail(err, cap, AU_E_FORMAT, "not an ECDSA P-256/P-384/P-521 public key (signed-note type 0x02)");
    }
    uint8_t buf[sizeof k->spki];
    int n = mbedtls_pk_write_pubkey_der(&pk, buf, sizeof buf);
    mbedtls_pk_free(&pk);
    if (n <= 0)
        return fail(err, cap, AU_E_FORMAT, "cannot encode the public key");
    memcpy(k->spki, buf + sizeof buf - (size_t)n, (size_t)n);
    k->spki_len = (size_t)n;
    return AU_OK;
}

int au_vkey_load(const uint8_t *buf, size_t len, au_vkey *k, char *err, size_t cap)
{
    memset(k, 0, sizeof *k);
    /* DER first, at its own length: its last byte may well be 0x0a or 0x20,
     * which the text forms below strip as line ends. */
    if (len >= 2 && buf[0] == 0x30) {
        size_t hl = 2, cl = buf[1];
        if (cl & 0x80) {
            size_t nb = cl & 0x7f;
            if (nb == 0 || nb > 2 || len < 2 + nb)
                return fail(err, cap, AU_E_FORMAT, "DER public key with a bad length");
            cl = 0;
            for (size_t i = 0; i < nb; i++)
                cl = cl << 8 | buf[2 + i];
            hl += nb;
        }
        if (hl + cl > len)
            return fail(err, cap, AU_E_FORMAT, "DER public key cut short");
        for (size_t i = hl + cl; i < len; i++)
            if (buf[i] != '\n' && buf[i] != '\r' && buf[i] != ' ')
                return fail(err, cap, AU_E_FORMAT, "bytes after the DER public key");
        return set_spki(k, buf, hl + cl, err, cap);
    }
    while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r' || buf[len - 1] == ' '))
        len--;
    const uint8_t *b = memmem(buf, len, "-----BEGIN PUBLIC KEY-----", 26);
    uint8_t der[1024];
    size_t dl = 0;
    if (b) {
        const uint8_t *s = b + 26, *e = memmem(s, len - (size_t)(s - buf), "-----END PUBLIC KEY-----", 24);
        if (!e)
            return fail(err, cap, AU_E_FORMAT, "PEM without an END line");
        /* Body: base64 lines; strip line ends and decode strictly. */
        uint8_t body[1400];
        size_t bl = 0;
        for (const uint8_t *p = s; p < e; p++) {
            if (*p == '\n' || *p == '\r' || *p == ' ' || *p == '\t')
                continue;
            if (bl == sizeof body)
                return fail(err, cap, AU_E_FORMAT, "PEM public key too long");
            body[bl++] = *p;
        }
        if (b64_decode(body, bl, der, sizeof der, &dl))
            return fail(err, cap, AU_E_FORMAT, "malformed PEM base64");
        return set_spki(k, der, dl, err, cap);
    }
    /* vkey: name+hexid+base64(type || key) */
    const uint8_t *p1 = memchr(buf, '+', len);
    const uint8_t *p2 = p1 ? memchr(p1 + 1, '+', len - (size_t)(p1 + 1 - buf)) : NULL;
    if (!p2 || p1 == buf || (size_t)(p1 - buf) >= sizeof k->name || p2 - p1 - 1 != 8)
        return fail(err, cap, AU_E_FORMAT, "neither a PEM/DER public key nor a vkey name+id+key");
    for (const uint8_t *p = buf; p < p1; p++)
        if (*p <= ' ')
            return fail(err, cap, AU_E_FORMAT, "vkey: key name with spaces or control characters");
    memcpy(k->name, buf, (size_t)(p1 - buf));
    uint32_t id = 0;
    for (const uint8_t *p = p1 + 1; p < p2; p++) {
        int v = *p >= '0' && *p <= '9' ? *p - '0' : *p >= 'a' && *p <= 'f' ? *p - 'a' + 10 : -1;
        if (v < 0)
            return fail(err, cap, AU_E_FORMAT, "vkey: key ID is not 8 lowercase hex digits");
        id = id << 4 | (uint32_t)v;
    }
    const uint8_t *k64 = p2 + 1;
    if (b64_decode(k64, len - (size_t)(k64 - buf), der, sizeof der, &dl) || dl < 2)
        return fail(err, cap, AU_E_FORMAT, "vkey: malformed base64 key");
    if (der[0] != SIG_TYPE_ECDSA)
        return fail(err, cap, AU_E_FORMAT, "vkey: signature type 0x%02x, only 0x02 (ECDSA) is supported", der[0]);
    int rc = set_spki(k, der + 1, dl - 1, err, cap);
    if (rc)
        return rc;
    if (id != au_keyid_spki(k->spki, k->spki_len))
        return fail(err, cap, AU_E_FORMAT, "vkey: key ID %08x is not SHA-256(SPKI)[:4] = %08x (signed-note, type 0x02)",
                    (unsigned)id, (unsigned)au_keyid_spki(k->spki, k->spki_len));
    k->id = id;
    k->has_id = 1;
    return AU_OK;
}

int au_vkey_format(const au_vkey *k, char *out, size_t cap)
{
    uint8_t raw[1 + sizeof k->spki];
    char b64[sizeof raw * 4 / 3 + 8];
    raw[0] = SIG_TYPE_ECDSA;
    memcpy(raw + 1, k->spki, k->spki_len);
    if (!b64_encode(raw, 1 + k->spki_len, b64, sizeof b64))
        return AU_E_ARGS;
    int n = snprintf(out, cap, "%s+%08x+%s", k->name, (unsigned)k->id, b64);
    return n < 0 || (size_t)n >= cap ? AU_E_ARGS : AU_OK;
}

/* Valid UTF-8 without overlongs or surrogates; no control characters but '\n'. */
static int note_chars_ok(const uint8_t *p, size_t len, size_t *bad)
{
    for (size_t i = 0; i < len;) {
        uint8_t c = p[i];
        size_t n;
        uint32_t cp;
        if (c < 0x80) {
            if (c < 0x20 && c != '\n') {
                *bad = i;
                return 0;
            }
            i++;
            continue;
        }
        if ((c & 0xe0) == 0xc0) {
            n = 2;
            cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            n = 3;
            cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            n = 4;
            cp = c & 0x07;
        } else {
            *bad = i;
            return 0;
        }
        if (len - i < n) {
            *bad = i;
            return 0;
        }
        for (size_t j = 1; j < n; j++) {
            if ((p[i + j] & 0xc0) != 0x80) {
                *bad = i;
                return 0;
            }
            cp = cp << 6 | (p[i + j] & 0x3f);
        }
        if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff)) {
            *bad = i;
            return 0;
        }
        i += n;
    }
    return 1;
}

/* The checkpoint's note text: origin, size, root hash, extension lines. */
static int parse_body(const uint8_t *t, size_t len, au_checkpoint *c, char *err, size_t cap)
{
    const uint8_t *line = t, *end = t + len;
    unsigned no = 0;
    while (line < end) {
        const uint8_t *nl = memchr(line, '\n', (size_t)(end - line));
        size_t ll = (size_t)(nl - line);
        no++;
        if (ll == 0)
            return fail(err, cap, AU_E_FORMAT, "checkpoint: line %u is empty", no);
        if (no == 1) {
            if (ll >= sizeof c->origin)
                return fail(err, cap, AU_E_FORMAT, "checkpoint: origin longer than %u bytes", AU_MAX_ORIGIN - 1);
            memcpy(c->origin, line, ll);
            c->origin[ll] = 0;
        } else if (no == 2) {
            uint64_t v = 0;
            if (ll > 20 || (line[0] == '0' && ll > 1))
                return fail(err, cap, AU_E_FORMAT,
                            "checkpoint: tree size '%.*s' is not a decimal without leading zeroes",
                            (int)(ll > 24 ? 24 : ll), line);
            for (size_t i = 0; i < ll; i++) {
                if (line[i] < '0' || line[i] > '9' || v > (UINT64_MAX - (uint64_t)(line[i] - '0')) / 10)
                    return fail(err, cap, AU_E_FORMAT, "checkpoint: tree size '%.*s' is not a decimal number", (int)ll,
                                line);
                v = v * 10 + (uint64_t)(line[i] - '0');
            }
            c->size = v;
        } else if (no == 3) {
            size_t rl = 0;
            if (b64_decode(line, ll, c->root, sizeof c->root, &rl) || rl != AU_HASH_LEN)
                return fail(err, cap, AU_E_FORMAT, "checkpoint: root hash is not the base64 of 32 bytes");
        } else {
            c->ext_lines++;
        }
        line = nl + 1;
    }
    if (no < 3)
        return fail(err, cap, AU_E_FORMAT, "checkpoint: %u lines, at least 3 needed (origin, size, root hash)", no);
    return AU_OK;
}

static int ecdsa_verify(const au_vkey *k, const uint8_t *text, size_t tlen, const uint8_t *sig, size_t slen)
{
    mbedtls_pk_context pk;
    uint8_t h[32];
    mbedtls_pk_init(&pk);
    int rc = mbedtls_pk_parse_public_key(&pk, k->spki, k->spki_len);
    if (!rc) {
        mbedtls_sha256(text, tlen, h, 0);
        rc = mbedtls_pk_verify(&pk, MBEDTLS_MD_SHA256, h, sizeof h, sig, slen);
    }
    mbedtls_pk_free(&pk);
    return rc ? AU_E_SIG : AU_OK;
}

int au_checkpoint_verify(const uint8_t *note, size_t len, const au_vkey *k, au_checkpoint *c, char *err, size_t cap)
{
    memset(c, 0, sizeof *c);
    size_t bad;
    if (len == 0 || note[len - 1] != '\n')
        return fail(err, cap, AU_E_FORMAT, "signed note does not end in a newline");
    if (!note_chars_ok(note, len, &bad))
        return fail(err, cap, AU_E_FORMAT, "signed note: invalid UTF-8 or control character at byte %zu", bad);
    /* The text ends at the last empty line; signatures follow it. */
    size_t sep = len;
    for (size_t i = len - 1; i > 0; i--)
        if (note[i] == '\n' && note[i - 1] == '\n') {
            sep = i;
            break;
        }
    if (sep == len)
        return fail(err, cap, AU_E_FORMAT, "signed note: no blank line before the signatures");
    c->text_len = sep; /* includes the text's final newline */
    int rc = parse_body(note, c->text_len, c, err, cap);
    if (rc)
        return rc;
    const char *name = k->name[0] ? k->name : c->origin;
    uint32_t id_spki = au_keyid_spki(k->spki, k->spki_len), id_named = au_keyid_named(name, k->spki, k->spki_len);
    const uint8_t *line = note + sep + 1, *end = note + len;
    unsigned verified = 0, name_only = 0;
    uint32_t other_id = 0;
    while (line < end) {
        const uint8_t *nl = memchr(line, '\n', (size_t)(end - line));
        size_t ll = (size_t)(nl - line);
        if (++c->sigs > MAX_SIGS)
            return fail(err, cap, AU_E_FORMAT, "signed note: more than %d signatures", MAX_SIGS);
        if (ll < 4 || memcmp(line, "\xe2\x80\x94 ", 4))
            return fail(err, cap, AU_E_FORMAT,
                        "signed note: signature line %u does not start with an em dash and a space", c->sigs);
        const uint8_t *nm = line + 4, *sp = memchr(nm, ' ', ll - 4);
        if (!sp || sp == nm)
            return fail(err, cap, AU_E_FORMAT, "signed note: signature line %u has no key name or no signature",
                        c->sigs);
        size_t nlen = (size_t)(sp - nm);
        if (memchr(nm, '+', nlen))
            return fail(err, cap, AU_E_FORMAT, "signed note: key name on signature line %u contains '+'", c->sigs);
        uint8_t sig[600];
        size_t slen = 0;
        if (b64_decode(sp + 1, (size_t)(nl - sp - 1), sig, sizeof sig, &slen) || slen < 5)
            return fail(err, cap, AU_E_FORMAT,
                        "signed note: signature line %u is not base64 of a key ID and a signature", c->sigs);
        line = nl + 1;
        if (nlen != strlen(name) || memcmp(nm, name, nlen))
            continue; /* another key: ignored */
        uint32_t id = be32(sig);
        if (id != (k->has_id ? k->id : id_spki)) {
            name_only++;
            other_id = id;
            continue; /* same name, other key ID: an unknown key, ignored */
        }
        c->sigs_known++;
        if (ecdsa_verify(k, note, c->text_len, sig + 4, slen - 4))
            return fail(err, cap, AU_E_SIG, "checkpoint: the signature of %s (key ID %08x) does not verify", name,
                        (unsigned)id);
        verified++;
        c->key_id = id;
    }
    if (c->sigs == 0)
        return fail(err, cap, AU_E_FORMAT, "signed note: no signature lines");
    if (!verified) {
        if (name_only && other_id == id_named)
            return fail(
                err, cap, AU_E_SIG,
                "checkpoint: the signature of %s carries key ID %08x = SHA-256(name || 0x0A || 0x02 || SPKI)[:4], "
                "signed-note's generic rule; for type 0x02 the key ID is SHA-256(SPKI)[:4] = %08x",
                name, (unsigned)other_id, (unsigned)id_spki);
        if (name_only)
            return fail(err, cap, AU_E_SIG,
                        "checkpoint: no signature by the given key: a signature of %s carries key ID %08x, "
                        "the key's ID is %08x",
                        name, (unsigned)other_id, (unsigned)(k->has_id ? k->id : id_spki));
        return fail(err, cap, AU_E_SIG, "checkpoint: no signature by the key name %s", name);
    }
    return AU_OK;
}
