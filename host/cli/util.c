/* SPDX-License-Identifier: Apache-2.0 */
/* CLI helpers: options, messages, files, PEM, hex. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "cli.h"
#include "mbedtls/base64.h"

const char *cli_opt(const cli_args *a, const char *name)
{
    for (int i = 0; i + 1 < a->argc; i++)
        if (!strcmp(a->argv[i], name))
            return a->argv[i + 1];
    return NULL;
}

int cli_flag(const cli_args *a, const char *name)
{
    for (int i = 0; i < a->argc; i++)
        if (!strcmp(a->argv[i], name))
            return 1;
    return 0;
}

int cli_check(const cli_args *a, const char *const *known)
{
    for (int i = 0; i < a->argc; i++) {
        const char *const *k;
        size_t n = strlen(a->argv[i]);
        for (k = known; *k; k++)
            if (!strncmp(*k, a->argv[i], n) && ((*k)[n] == 0 || (*k)[n] == '!'))
                break;
        if (!*k)
            return cli_fail("unknown option or argument '%s' (see --help)", a->argv[i]);
        if ((*k)[n] == 0 && ++i >= a->argc)
            return cli_fail("option %s needs a value", *k);
    }
    return 0;
}

int cli_fail(const char *fmt, ...)
{
    va_list ap;
    fputs("sbrguard: error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return 1;
}

int cli_subverb(const cli_args *a, const char *verb, const cli_sub *subs, size_t n)
{
    char bar[128] = "", comma[160] = "";
    size_t bl = 0, cl = 0;
    for (size_t i = 0; i < n; i++) {
        bl += (size_t)snprintf(bar + bl, sizeof bar - bl, "%s%s", i ? "|" : "", subs[i].name);
        cl += (size_t)snprintf(comma + cl, sizeof comma - cl, "%s%s", i ? ", " : "", subs[i].name);
        if (bl >= sizeof bar || cl >= sizeof comma)
            return cli_fail("%s: too many sub-commands", verb); /* a table of ours, never */
    }
    if (a->argc < 1)
        return cli_fail("usage: sbrguard %s %s (see --help)", verb, bar);
    cli_args rest = { a->argc - 1, a->argv + 1 };
    for (size_t i = 0; i < n; i++)
        if (!strcmp(a->argv[0], subs[i].name))
            return subs[i].fn(&rest);
    return cli_fail("unknown %s command '%s' (%s)", verb, a->argv[0], comma);
}

int cli_token_fail(sg_client *c, int rc, const char *what)
{
    if (rc == SG_E_TOKEN) {
        const char *m = sg_last_message(c);
        return cli_fail("%s: token refused: %s (status %d)%s%s", what, sg_status_name(sg_last_status(c)),
                        sg_last_status(c), *m ? ": " : "", m);
    }
    return cli_fail("%s: %s", what, sg_strerror(rc));
}

int cli_home(char *out, size_t cap)
{
    const char *h = getenv("SBRGUARD_HOME"), *home = getenv("HOME");
    int n = h && *h ? snprintf(out, cap, "%s", h) : snprintf(out, cap, "%s/.sbrguard", home ? home : "/tmp");
    if (n < 0 || (size_t)n >= cap)
        return cli_fail("SBRGUARD_HOME path too long");
    if (mkdir(out, 0700) && errno != EEXIST)
        return cli_fail("%s: %s", out, strerror(errno));
    return 0;
}

int cli_connect(sg_client **c)
{
    char path[108];
    int rc = sg_socket_path(path, sizeof path);
    if (rc == SG_OK)
        rc = sg_connect(c, path);
    if (rc == SG_OK)
        return 0;
    if (rc == SG_E_BUSY)
        return cli_fail("token busy at %s: %s; retry later", path, *sg_connect_detail() ? sg_connect_detail() : "every connection is in use");
    return cli_fail("cannot connect to the token at %s (start it with `sbrguard token start`)",
                    rc == SG_E_ARGS ? "(no socket path)" : path);
}

int cli_login_user(sg_client *c, const cli_args *a)
{
    const char *pin = cli_opt(a, "--pin");
    if (!pin)
        pin = getenv("SBRGUARD_PIN");
    if (!pin)
        return cli_fail("user PIN needed: --pin PIN or SBRGUARD_PIN");
    int rc = sg_login(c, SG_USER_USER, pin, strlen(pin));
    return rc ? cli_token_fail(c, rc, "login") : 0;
}

uint8_t *cli_read_file(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f) {
        cli_fail("%s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        uint8_t *nb = cap < (64u << 20) ? realloc(buf, cap *= 2) : NULL;
        if (!nb) {
            free(buf);
            buf = NULL;
            cli_fail("%s: too large", path);
        }
        buf = nb;
    }
    if (buf && ferror(f)) {
        cli_fail("%s: cannot read: %s", path, strerror(errno));
        free(buf);
        buf = NULL;
    }
    if (f != stdin)
        fclose(f);
    *len = n;
    return buf;
}

int cli_write_file(const char *path, const uint8_t *p, size_t len)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "wb") : stdout;
    if (!f || fwrite(p, 1, len, f) != len || (f != stdout && fclose(f)))
        return cli_fail("%s: cannot write: %s", path, strerror(errno));
    return 0;
}

uint8_t *cli_read_der(const char *path, size_t *len)
{
    uint8_t *buf = cli_read_file(path, len);
    if (!buf)
        return NULL;
    const char *b = memmem(buf, *len, "-----BEGIN ", 11);
    if (!b)
        return buf; /* DER */
    const char *s = memchr(b, '\n', *len - (size_t)(b - (char *)buf));
    const char *e = s ? memmem(s, *len - (size_t)(s - (char *)buf), "-----END ", 9) : NULL;
    size_t olen = 0;
    uint8_t *der = e ? malloc((size_t)(e - s)) : NULL;
    if (!der || mbedtls_base64_decode(der, (size_t)(e - s), &olen, (const unsigned char *)s, (size_t)(e - s))) {
        free(der);
        free(buf);
        cli_fail("%s: malformed PEM", path);
        return NULL;
    }
    free(buf);
    *len = olen;
    return der;
}

int cli_write_pem(const char *path, const char *label, const uint8_t *der, size_t len)
{
    size_t b64len = 0;
    mbedtls_base64_encode(NULL, 0, &b64len, der, len);
    char *b64 = malloc(b64len + 1), *pem = malloc(b64len + b64len / 64 + 128);
    size_t off = 0;
    int rc = 1;
    if (b64 && pem && !mbedtls_base64_encode((unsigned char *)b64, b64len + 1, &b64len, der, len)) {
        off += (size_t)sprintf(pem, "-----BEGIN %s-----\n", label);
        for (size_t i = 0; i < b64len; i += 64) {
            size_t n = b64len - i < 64 ? b64len - i : 64;
            memcpy(pem + off, b64 + i, n);
            off += n;
            pem[off++] = '\n';
        }
        off += (size_t)sprintf(pem + off, "-----END %s-----\n", label);
        rc = cli_write_file(path, (uint8_t *)pem, off);
    }
    free(b64);
    free(pem);
    return rc;
}

int cli_hex_decode(const char *hex, uint8_t *out, size_t cap, size_t *len)
{
    size_t n = strlen(hex);
    if (n % 2 || n / 2 > cap)
        return cli_fail("'%s': expected an even number of hex digits, at most %zu bytes", hex, cap);
    for (size_t i = 0; i < n / 2; i++) {
        unsigned v;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1 || !strchr("0123456789abcdefABCDEF", hex[2 * i]) ||
            !strchr("0123456789abcdefABCDEF", hex[2 * i + 1]))
            return cli_fail("'%s': not hex", hex);
        out[i] = (uint8_t)v;
    }
    *len = n / 2;
    return 0;
}

void cli_hex_print(const uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len; i++)
        printf("%02x", p[i]);
}

void cli_json_str(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            printf("\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            printf("\\u%04x", *s);
        else
            putchar(*s);
    }
    putchar('"');
}

int cli_attach_evidence(const cli_args *a, sg_client *c)
{
    const char *path = cli_opt(a, "--evidence");
    size_t len;
    uint8_t *ev;
    if (!path)
        return 0;
    if (!(ev = cli_read_der(path, &len)))
        return 1;
    int rc = sg_set_evidence(c, ev, len) ? cli_fail("--evidence %s: larger than %u bytes", path, SG_MAX_EVIDENCE) : 0;
    free(ev);
    return rc;
}

int cli_parse_time(const char *s, int64_t base, int64_t *out)
{
    struct tm tm = { 0 };
    char *end;
    if (*s == '+' || *s == '-') { /* relative: sums of [+-]N[smhd] */
        int64_t t = base;
        while (*s) {
            int sign = *s == '-' ? -1 : 1;
            long long n;
            if (*s != '+' && *s != '-')
                return -1;
            n = strtoll(s + 1, &end, 10);
            if (end == s + 1 || n < 0)
                return -1;
            switch (*end) {
            case 's': break;
            case 'm': n *= 60; break;
            case 'h': n *= 3600; break;
            case 'd': n *= 86400; break;
            default: return -1;
            }
            t += sign * n;
            s = end + 1;
        }
        *out = t;
        return 0;
    }
    long long v = strtoll(s, &end, 10);
    if (*s && !*end) {
        *out = v;
        return 0;
    }
    end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (!end || *end)
        return -1;
    *out = (int64_t)timegm(&tm);
    return 0;
}

/* Attribute short names (evidence make --drop, evidence show). */
static const struct {
    const char *name;
    uint8_t oid[9], len;
} attr_names[] = {
    { "CN", { 0x55, 4, 3 }, 3 },        { "SN", { 0x55, 4, 4 }, 3 },       { "serialNumber", { 0x55, 4, 5 }, 3 },
    { "C", { 0x55, 4, 6 }, 3 },         { "L", { 0x55, 4, 7 }, 3 },        { "ST", { 0x55, 4, 8 }, 3 },
    { "street", { 0x55, 4, 9 }, 3 },    { "O", { 0x55, 4, 10 }, 3 },       { "OU", { 0x55, 4, 11 }, 3 },
    { "title", { 0x55, 4, 12 }, 3 },    { "postalCode", { 0x55, 4, 17 }, 3 }, { "GN", { 0x55, 4, 42 }, 3 },
    { "pseudonym", { 0x55, 4, 65 }, 3 }, { "organizationIdentifier", { 0x55, 4, 97 }, 3 },
    { "emailAddress", { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x01 }, 9 },
};

const char *cli_attr_name(const uint8_t *oid, size_t len)
{
    for (size_t i = 0; i < sizeof attr_names / sizeof *attr_names; i++)
        if (len == attr_names[i].len && !memcmp(oid, attr_names[i].oid, len))
            return attr_names[i].name;
    return NULL;
}
