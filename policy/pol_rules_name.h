/* SPDX-License-Identifier: Apache-2.0 */
/* SBR 7.1.4 name rules, shared by their files: the attribute kinds of the
 * tables of 7.1.4.2.3-7.1.4.2.6, the "name view" the subject rules judge
 * (the subject, or a SAN directoryName: 7.1.4.2.1), and the X-macro that
 * turns a family's list of rows into its rule table. */
#ifndef POL_RULES_NAME_H
#define POL_RULES_NAME_H
#include "pol_int.h"

/* The attributes of the tables of 7.1.4.2.3-7.1.4.2.6, then "Other". */
enum attr_kind {
    A_CN, A_O, A_OU, A_ORGID, A_GIVEN, A_SURNAME, A_PSEUDONYM, A_SERIAL, A_EMAIL, A_TITLE, A_STREET,
    A_L, A_ST, A_POSTAL, A_C, A_OTHER, A_COUNT
};

/* The kind of an attribute type (A_OTHER for any not in the tables). */
int pol_attr_kind(pol_slice oid);

/* The attributes of one Name: the subject, or a directoryName. */
typedef struct {
    const pol_attr *a;
    uint8_t n;
} nview;

static inline nview subject_view(const pol_eval *e)
{
    nview v = { e->attrs, e->n_attrs };
    return v;
}

/* pol_rules_name.c: views and SAN mailboxes. */
void pol_name_count(const nview *v, uint8_t cnt[A_COUNT]);
int pol_name_has(const nview *v, int kind);
/* 1 if some attribute of the kind has the same characters as (tag, val). */
int pol_name_equals_some(const nview *v, int kind, uint8_t tag, pol_slice val);
/* 1 if the GeneralName is an otherName of type id-on-SmtpUTF8Mailbox. */
int pol_san_is_smtputf8(const pol_gname *g);
/* The mailbox of an rfc822Name or of an SmtpUTF8Mailbox whose value is one
 * UTF8String (RFC 9598 3): 1 with its string tag and content. */
int pol_san_mailbox(const pol_gname *g, uint8_t *tag, pol_slice *val);
/* 1 if (tag, val) is repeated as a SAN mailbox: the local part exact, the
 * domain ignoring case. */
int pol_san_has(const pol_eval *e, uint8_t tag, pol_slice val);
/* 1 if one of the rows on one Name (every family below) fails on v. */
int pol_name_view_fails(const pol_eval *e, const nview *v);

/* A family's rows on one Name: LIST(X) calls X(function, code, section,
 * message) once a row, n_<function>(e, v) judging one view. The family
 * gets a subject rule s_<function> a row, its rule table
 * pol_rules_name_<family>[] and the checks pol_name_checks_<family>[] that
 * judge a directoryName (both of pol_rules_name_<family>_n entries). */
typedef int (*pol_name_check)(const pol_eval *e, const nview *v);
#define POL_NAME_SUBJECT_(fn, code, section, message)                                                          \
    static int s_##fn(const pol_eval *e)                                                                       \
    {                                                                                                          \
        nview v = subject_view(e);                                                                             \
        return n_##fn(e, &v);                                                                                  \
    }
#define POL_NAME_CHECK_(fn, code, section, message) n_##fn,
#define POL_NAME_ROW_(fn, code, section, message) { code, section, message, s_##fn },
#define POL_NAME_FAMILY(family, LIST)                                                                          \
    LIST(POL_NAME_SUBJECT_)                                                                                    \
    const pol_name_check pol_name_checks_##family[] = { LIST(POL_NAME_CHECK_) };                               \
    const pol_rule pol_rules_name_##family[] = { LIST(POL_NAME_ROW_) };                                        \
    const size_t pol_rules_name_##family##_n = sizeof pol_rules_name_##family / sizeof *pol_rules_name_##family;

/* The families, in the order of their rows in the rule table. */
extern const pol_name_check pol_name_checks_value[]; /* pol_rules_name_value.c: 7.1.4 encoding, 7.1.4.2 */
extern const pol_name_check pol_name_checks_cn[];    /* pol_rules_name_cn.c: 7.1.4.2.2 (a),(e),(f),(h) */
extern const pol_name_check pol_name_checks_place[]; /* pol_rules_name_place.c: 7.1.4.2.2 (j)-(n) */
extern const pol_name_check pol_name_checks_table[]; /* pol_rules_name_table.c: 7.1.4.2.3-7.1.4.2.6 */

#endif
