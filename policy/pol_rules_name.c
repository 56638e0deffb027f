/* SPDX-License-Identifier: Apache-2.0 */
/* SBR 7.1.4: names. The subjectAltName content (7.1.4.2.1), the subject
 * distinguished name fields (7.1.4.2.2) and the attribute tables per
 * certificate type and generation (7.1.4.2.3 to 7.1.4.2.6), one file a
 * family (pol_rules_name_*.c, in the order of their rows).
 *
 * The subject rules judge a "name view" (attributes of one Name), so that
 * the same rows also judge the directoryName entries of the SAN, which
 * 7.1.4.2.1 holds to 7.1.4.2.2-7.1.4.2.6 as well. This file holds what the
 * families share: views and SAN mailboxes. */
#include <string.h>
#include "pol_mailbox.h"
#include "pol_rules_name.h"

/* id-on-SmtpUTF8Mailbox 1.3.6.1.5.5.7.8.9 (RFC 9598); pkcs-9 emailAddress. */
static const uint8_t oid_smtputf8[] = { 0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x08, 0x09 };
static const uint8_t oid_email[] = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x01 };

int pol_attr_kind(pol_slice oid)
{
    if (oid.len == 3 && oid.p[0] == 0x55 && oid.p[1] == 0x04) { /* id-at (2.5.4) */
        switch (oid.p[2]) {
        case 3: return A_CN;
        case 4: return A_SURNAME;
        case 5: return A_SERIAL;
        case 6: return A_C;
        case 7: return A_L;
        case 8: return A_ST;
        case 9: return A_STREET;
        case 10: return A_O;
        case 11: return A_OU;
        case 12: return A_TITLE;
        case 17: return A_POSTAL;
        case 42: return A_GIVEN;
        case 65: return A_PSEUDONYM;
        case 97: return A_ORGID;
        default: return A_OTHER;
        }
    }
    return oid.len == sizeof oid_email && !memcmp(oid.p, oid_email, sizeof oid_email) ? A_EMAIL : A_OTHER;
}

void pol_name_count(const nview *v, uint8_t cnt[A_COUNT])
{
    for (int k = 0; k < A_COUNT; k++)
        cnt[k] = 0;
    for (uint8_t i = 0; i < v->n; i++)
        cnt[pol_attr_kind(v->a[i].oid)]++;
}

int pol_name_has(const nview *v, int kind)
{
    for (uint8_t i = 0; i < v->n; i++)
        if (pol_attr_kind(v->a[i].oid) == kind)
            return 1;
    return 0;
}

/* 1 if some attribute of the kind has the same characters as (tag, val). */
int pol_name_equals_some(const nview *v, int kind, uint8_t tag, pol_slice val)
{
    for (uint8_t i = 0; i < v->n; i++)
        if (pol_attr_kind(v->a[i].oid) == kind && pol_str_eq(v->a[i].tag, v->a[i].value, tag, val))
            return 1;
    return 0;
}

/* --- SAN mailboxes ---------------------------------------------------------- */

int pol_san_is_smtputf8(const pol_gname *g) { return g->type == 0 && POL_EQ(g->other_oid, oid_smtputf8); }

/* The mailbox of an rfc822Name or of an SmtpUTF8Mailbox whose value is one
 * UTF8String (RFC 9598 3): 1 with its string tag and content. */
int pol_san_mailbox(const pol_gname *g, uint8_t *tag, pol_slice *val)
{
    if (g->type == 1) {
        *tag = DER_IA5;
        *val = g->value;
        return 1;
    }
    if (pol_san_is_smtputf8(g)) {
        pol_der c = pol_der_of(g->value);
        if (pol_der_expect(&c, DER_UTF8, val, NULL) || pol_der_more(&c))
            return 0;
        *tag = DER_UTF8;
        return 1;
    }
    return 0;
}

/* 1 if (tag, val) is repeated as a SAN mailbox: the local part exact, the
 * domain ignoring case. */
int pol_san_has(const pol_eval *e, uint8_t tag, pol_slice val)
{
    for (uint8_t i = 0; i < e->n_san; i++) {
        uint8_t t;
        pol_slice m;
        if (pol_san_mailbox(&e->san[i], &t, &m) && pol_mailbox_same(t, m, tag, val))
            return 1;
    }
    return 0;
}

/* The rows on one Name, every family; a directoryName is judged by them all. */
static const struct {
    const pol_name_check *checks;
    const size_t *n;
} families[] = {
    { pol_name_checks_value, &pol_rules_name_value_n },
    { pol_name_checks_cn, &pol_rules_name_cn_n },
    { pol_name_checks_place, &pol_rules_name_place_n },
    { pol_name_checks_table, &pol_rules_name_table_n },
};

int pol_name_view_fails(const pol_eval *e, const nview *v)
{
    for (size_t f = 0; f < sizeof families / sizeof *families; f++)
        for (size_t k = 0; k < *families[f].n; k++)
            if (families[f].checks[k](e, v))
                return 1;
    return 0;
}
