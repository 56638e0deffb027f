/* SPDX-License-Identifier: Apache-2.0 */
/* SBR 7.1.4.2.3 to 7.1.4.2.6: the attribute tables (MAY, SHALL, SHALL NOT
 * per certificate type, attribute and generation) and Note 2's name. */
#include "pol_rules_name.h"

/* --- Attribute tables, 7.1.4.2.3 to 7.1.4.2.6 ------------------------------
 * One cell per type, attribute and generation (legacy, multipurpose,
 * strict), two bits each: MAY, SHALL (be present), SHALL NOT. */
enum { P_MAY = 0, P_SHALL = 1, P_NOT = 2 };
#define ALL(x) ((x) | (x) << 2 | (x) << 4)
#define GENS(l, m, s) ((l) | (m) << 2 | (s) << 4)
static const uint8_t presence[4][A_COUNT] = {
    [POL_MAILBOX] = { /* 7.1.4.2.3 */
        [A_CN] = ALL(P_MAY), [A_O] = ALL(P_NOT), [A_OU] = ALL(P_NOT), [A_ORGID] = ALL(P_NOT),
        [A_GIVEN] = ALL(P_NOT), [A_SURNAME] = ALL(P_NOT), [A_PSEUDONYM] = ALL(P_NOT), [A_SERIAL] = ALL(P_MAY),
        [A_EMAIL] = ALL(P_MAY), [A_TITLE] = ALL(P_NOT), [A_STREET] = ALL(P_NOT), [A_L] = ALL(P_NOT),
        [A_ST] = ALL(P_NOT), [A_POSTAL] = ALL(P_NOT), [A_C] = ALL(P_NOT), [A_OTHER] = ALL(P_NOT),
    },
    [POL_ORGANIZATION] = { /* 7.1.4.2.4 */
        [A_CN] = ALL(P_MAY), [A_O] = ALL(P_SHALL), [A_OU] = ALL(P_MAY), [A_ORGID] = ALL(P_SHALL),
        [A_GIVEN] = ALL(P_NOT), [A_SURNAME] = ALL(P_NOT), [A_PSEUDONYM] = ALL(P_NOT), [A_SERIAL] = ALL(P_MAY),
        [A_EMAIL] = ALL(P_MAY), [A_TITLE] = ALL(P_NOT), [A_STREET] = GENS(P_MAY, P_MAY, P_NOT), [A_L] = ALL(P_MAY),
        [A_ST] = ALL(P_MAY), [A_POSTAL] = GENS(P_MAY, P_MAY, P_NOT), [A_C] = ALL(P_MAY),
        [A_OTHER] = GENS(P_MAY, P_NOT, P_NOT),
    },
    [POL_SPONSOR] = { /* 7.1.4.2.5 */
        [A_CN] = ALL(P_MAY), [A_O] = ALL(P_SHALL), [A_OU] = ALL(P_MAY), [A_ORGID] = ALL(P_SHALL),
        [A_GIVEN] = ALL(P_MAY), [A_SURNAME] = ALL(P_MAY), [A_PSEUDONYM] = ALL(P_MAY), [A_SERIAL] = ALL(P_MAY),
        [A_EMAIL] = ALL(P_MAY), [A_TITLE] = ALL(P_MAY), [A_STREET] = GENS(P_MAY, P_MAY, P_NOT), [A_L] = ALL(P_MAY),
        [A_ST] = ALL(P_MAY), [A_POSTAL] = GENS(P_MAY, P_MAY, P_NOT), [A_C] = ALL(P_MAY),
        [A_OTHER] = GENS(P_MAY, P_NOT, P_NOT),
    },
    [POL_INDIVIDUAL] = { /* 7.1.4.2.6 */
        [A_CN] = ALL(P_MAY), [A_O] = ALL(P_NOT), [A_OU] = ALL(P_NOT), [A_ORGID] = ALL(P_NOT),
        [A_GIVEN] = ALL(P_MAY), [A_SURNAME] = ALL(P_MAY), [A_PSEUDONYM] = ALL(P_MAY), [A_SERIAL] = ALL(P_MAY),
        [A_EMAIL] = ALL(P_MAY), [A_TITLE] = ALL(P_MAY), [A_STREET] = GENS(P_MAY, P_MAY, P_NOT), [A_L] = ALL(P_MAY),
        [A_ST] = ALL(P_MAY), [A_POSTAL] = GENS(P_MAY, P_MAY, P_NOT), [A_C] = ALL(P_MAY),
        [A_OTHER] = GENS(P_MAY, P_NOT, P_NOT),
    },
};

/* 1 if, for the certificate's type (== type) and generation, an attribute in
 * [from, to) is absent though marked want == P_SHALL, or present though
 * marked want == P_NOT. */
static int presence_broken(const pol_eval *e, const nview *v, int type, int want, int from, int to)
{
    uint8_t cnt[A_COUNT];
    if (e->type != type || e->gen < 0 || e->gen > 2)
        return 0;
    pol_name_count(v, cnt);
    for (int k = from; k < to; k++) {
        int cell = presence[type][k] >> (2 * e->gen) & 3;
        if (cell == want && (want == P_SHALL ? cnt[k] == 0 : cnt[k] != 0))
            return 1;
    }
    return 0;
}
#define REQUIRED(e, v, t) presence_broken(e, v, t, P_SHALL, 0, A_OTHER)
#define PROHIBITED(e, v, t) presence_broken(e, v, t, P_NOT, 0, A_OTHER)
#define OTHER(e, v, t) presence_broken(e, v, t, P_NOT, A_OTHER, A_COUNT)
static int n_mailbox_prohibited(const pol_eval *e, const nview *v) { return PROHIBITED(e, v, POL_MAILBOX); }
static int n_mailbox_other(const pol_eval *e, const nview *v) { return OTHER(e, v, POL_MAILBOX); }
static int n_org_required(const pol_eval *e, const nview *v) { return REQUIRED(e, v, POL_ORGANIZATION); }
static int n_org_prohibited(const pol_eval *e, const nview *v) { return PROHIBITED(e, v, POL_ORGANIZATION); }
static int n_org_other(const pol_eval *e, const nview *v) { return OTHER(e, v, POL_ORGANIZATION); }
static int n_sponsor_required(const pol_eval *e, const nview *v) { return REQUIRED(e, v, POL_SPONSOR); }
static int n_sponsor_prohibited(const pol_eval *e, const nview *v) { return PROHIBITED(e, v, POL_SPONSOR); }
static int n_sponsor_other(const pol_eval *e, const nview *v) { return OTHER(e, v, POL_SPONSOR); }
static int n_individual_prohibited(const pol_eval *e, const nview *v) { return PROHIBITED(e, v, POL_INDIVIDUAL); }
static int n_individual_other(const pol_eval *e, const nview *v) { return OTHER(e, v, POL_INDIVIDUAL); }

/* 7.1.4.2.5 and 7.1.4.2.6, Note 2: "Multipurpose and Strict Generation
 * profiles SHALL include either subject:givenName and/or subject:surname,
 * or the subject:pseudonym." (Note 1 lets Legacy carry only a commonName.) */
static int name_missing(const pol_eval *e, const nview *v, int type)
{
    return e->type == type && (e->gen == POL_MULTIPURPOSE || e->gen == POL_STRICT) && !pol_name_has(v, A_GIVEN) &&
           !pol_name_has(v, A_SURNAME) && !pol_name_has(v, A_PSEUDONYM);
}
static int n_sponsor_name(const pol_eval *e, const nview *v) { return name_missing(e, v, POL_SPONSOR); }
static int n_individual_name(const pol_eval *e, const nview *v) { return name_missing(e, v, POL_INDIVIDUAL); }

/* The rows: X(function, code, section, message). */
#define TABLE_ROWS(X)                                                                                 \
    X(mailbox_prohibited, "sbr.7.1.4.2.3.attr.prohibited", "7.1.4.2.3",                               \
      "mailbox-validated: attribute marked SHALL NOT for this generation")                            \
    X(mailbox_other, "sbr.7.1.4.2.3.attr.other", "7.1.4.2.3",                                         \
      "mailbox-validated: attribute not in the table (Other: SHALL NOT)")                             \
    X(org_required, "sbr.7.1.4.2.4.attr.required", "7.1.4.2.4",                                       \
      "organization-validated: organizationName or organizationIdentifier absent")                    \
    X(org_prohibited, "sbr.7.1.4.2.4.attr.prohibited", "7.1.4.2.4",                                   \
      "organization-validated: attribute marked SHALL NOT for this generation")                       \
    X(org_other, "sbr.7.1.4.2.4.attr.other", "7.1.4.2.4",                                             \
      "organization-validated: attribute not in the table (Other: SHALL NOT in multipurpose/strict)") \
    X(sponsor_required, "sbr.7.1.4.2.5.attr.required", "7.1.4.2.5",                                   \
      "sponsor-validated: organizationName or organizationIdentifier absent")                         \
    X(sponsor_prohibited, "sbr.7.1.4.2.5.attr.prohibited", "7.1.4.2.5",                               \
      "sponsor-validated: attribute marked SHALL NOT for this generation")                            \
    X(sponsor_other, "sbr.7.1.4.2.5.attr.other", "7.1.4.2.5",                                         \
      "sponsor-validated: attribute not in the table (Other: SHALL NOT in multipurpose/strict)")      \
    X(sponsor_name, "sbr.7.1.4.2.5.name.absent", "7.1.4.2.5 Note 2",                                  \
      "sponsor-validated multipurpose/strict: no givenName, surname or pseudonym")                    \
    X(individual_prohibited, "sbr.7.1.4.2.6.attr.prohibited", "7.1.4.2.6",                            \
      "individual-validated: attribute marked SHALL NOT for this generation")                         \
    X(individual_other, "sbr.7.1.4.2.6.attr.other", "7.1.4.2.6",                                      \
      "individual-validated: attribute not in the table (Other: SHALL NOT in multipurpose/strict)")   \
    X(individual_name, "sbr.7.1.4.2.6.name.absent", "7.1.4.2.6 Note 2",                               \
      "individual-validated multipurpose/strict: no givenName, surname or pseudonym")
POL_NAME_FAMILY(table, TABLE_ROWS)
