/* SPDX-License-Identifier: Apache-2.0 */
/* Malformed DER never passes the policy engine: truncations at every byte,
 * trailing bytes, indefinite and non-minimal lengths, lengths off by one,
 * and every byte of a valid TBS flipped (no crash, ASan/UBSan runs too). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../policy/pol.h"
#include "check.h"

static uint8_t cert[4096], buf[4200];
static pol_workspace w;

static int der_malformed_only(const uint8_t *p, size_t len, int64_t now)
{
    pol_ctx ctx = { .now = now };
    pol_decision d;
    pol_check(p, len, &ctx, &w, &d);
    return d.verdict == POL_REFUSE && d.n == 1 && !strcmp(pol_rule_at(d.findings[0])->code, "sbr.7.1.2.4.der.malformed");
}

int main(void)
{
    FILE *f = fopen("test/vectors/der/base.der", "rb");
    size_t clen = f ? fread(cert, 1, sizeof cert, f) : 0;
    const uint8_t *tbs;
    size_t len;
    int64_t nb;
    if (f)
        fclose(f);
    CHECK(clen > 0 && pol_cert_tbs(cert, clen, &tbs, &len) == 0, "base certificate loads (test/vectors/der/base.der)");
    if (!clen)
        return 1;
    CHECK(pol_tbs_not_before(tbs, len, &w, &nb) == 0, "base TBS decodes");
    pol_ctx ctx = { .now = nb };
    pol_decision d;
    pol_check(tbs, len, &ctx, &w, &d);
    CHECK(d.verdict == POL_ACCEPT, "base TBS is accepted (mailbox/strict)");

    size_t bad = 0;
    for (size_t n = 0; n < len; n++)
        bad += !der_malformed_only(tbs, n, nb);
    CHECK(bad == 0, "truncated at each of %zu byte positions: refused as sbr.7.1.2.4.der.malformed", len);

    memcpy(buf, tbs, len);
    buf[len] = 0;
    CHECK(der_malformed_only(buf, len + 1, nb), "one trailing byte: refused");

    /* Outer SEQUENCE: 30 82 HH LL. */
    CHECK(tbs[0] == 0x30 && tbs[1] == 0x82, "base TBS uses a two-byte long-form length");
    memcpy(buf, tbs, len);
    buf[1] = 0x80; /* indefinite, closed by end-of-contents */
    memmove(buf + 2, buf + 4, len - 4);
    buf[len - 2] = buf[len - 1] = 0;
    CHECK(der_malformed_only(buf, len, nb), "indefinite length: refused");

    buf[0] = 0x30;
    buf[1] = 0x83;
    buf[2] = 0;
    memcpy(buf + 3, tbs + 2, len - 2);
    CHECK(der_malformed_only(buf, len + 1, nb), "non-minimal length (leading zero octet): refused");

    int off_by_one = 0;
    for (int delta = -1; delta <= 1; delta += 2) {
        memcpy(buf, tbs, len);
        unsigned l = (unsigned)(buf[2] << 8 | buf[3]) + (unsigned)delta;
        buf[2] = (uint8_t)(l >> 8);
        buf[3] = (uint8_t)l;
        off_by_one += der_malformed_only(buf, len, nb);
    }
    CHECK(off_by_one == 2, "outer length one too short and one too long: refused");

    /* Every byte flipped: any verdict is possible (a changed letter in a
     * name is still DER), but never a crash and never a decision without
     * findings on refusal. */
    size_t accepted = 0, incoherent = 0;
    for (size_t i = 0; i < len; i++) {
        memcpy(buf, tbs, len);
        buf[i] ^= 0xFF;
        pol_check(buf, len, &ctx, &w, &d);
        accepted += d.verdict == POL_ACCEPT;
        incoherent += (d.verdict == POL_ACCEPT) != (d.n == 0 && d.dropped == 0);
    }
    CHECK(incoherent == 0, "%zu single-byte flips: every refusal names a reason (%zu still accepted)", len, accepted);
    return CHECK_DONE();
}
