/* SPDX-License-Identifier: Apache-2.0 */
/* SBR 6.1.5 EdDSA point check (policy/pol_edpoint.c) against Python's
 * answers (test/vectors/gen_edpoints.py -> test/vectors/edpoint/vectors.txt):
 * implementations' keys, random strings and the edges of the encoding. */
#include <stdio.h>
#include <string.h>
#include "../../policy/pol_int.h"
#include "check.h"

#define VEC "test/vectors/edpoint/vectors.txt"

static size_t unhex(const char *h, uint8_t *out, size_t cap)
{
    size_t n = strlen(h) / 2;
    if (n > cap)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        if (sscanf(h + 2 * i, "%2x", &v) != 1)
            return 0;
        out[i] = (uint8_t)v;
    }
    return n;
}

int main(void)
{
    FILE *f = fopen(VEC, "r");
    char line[256], hex[200];
    int n[2] = { 0 }, valid[2] = { 0 }, wrong[2] = { 0 };
    CHECK(f != NULL, "%s opens", VEC);
    if (!f)
        return CHECK_DONE();
    while (fgets(line, sizeof line, f)) {
        int curve, want;
        uint8_t k[64];
        size_t len;
        if (line[0] == '#' || sscanf(line, "%d %d %199s", &curve, &want, hex) != 3)
            continue;
        int c = curve == 448;
        len = unhex(hex, k, sizeof k);
        int got = pol_ed_point_valid(c ? KEY_ED448 : KEY_ED25519, k, len);
        n[c]++;
        valid[c] += want;
        if (got != want) {
            wrong[c]++;
            fprintf(stderr, "%s: got %d\n", line, got);
        }
    }
    fclose(f);
    CHECK(n[0] > 300 && wrong[0] == 0, "Ed25519: %d keys (%d points) judged as RFC 8032 5.1.3 decodes them", n[0], valid[0]);
    CHECK(n[1] > 300 && wrong[1] == 0, "Ed448: %d keys (%d points) judged as RFC 8032 5.2.3 decodes them", n[1], valid[1]);
    uint8_t k[57] = { 1 };
    CHECK(!pol_ed_point_valid(KEY_ED25519, k, 31) && !pol_ed_point_valid(KEY_ED448, k, 56) &&
              !pol_ed_point_valid(KEY_ED448, k, 58) && !pol_ed_point_valid(KEY_P256, k, 32),
          "wrong lengths and key types are no points");
    return CHECK_DONE();
}
