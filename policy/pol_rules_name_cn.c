/* SPDX-License-Identifier: Apache-2.0 */
/* SBR 7.1.4.2.2 (a), (e), (f), (h): commonName per certificate type, the
 * pseudonym against givenName/surname, and emailAddress. */
#include "pol_mailbox.h"
#include "pol_rules_name.h"

/* (h) "subject:emailAddress SHALL contain a single Mailbox Address"; the
 * attribute is an IA5String, so the RFC 5321 (ASCII) form. */
static int n_email_syntax(const pol_eval *e, const nview *v)
{
    pol_mbox mb;
    (void)e;
    for (uint8_t i = 0; i < v->n; i++)
        if (pol_attr_kind(v->a[i].oid) == A_EMAIL && pol_mailbox_parse(v->a[i].value.p, v->a[i].value.len, 0, &mb))
            return 1;
    return 0;
}
/* (e) "The subject:givenName and/or subject:surname SHALL NOT be present if
 * the subject:pseudonym is present." (f) the same, seen from pseudonym. */
static int n_pseudonym_with_name(const pol_eval *e, const nview *v)
{
    (void)e;
    return pol_name_has(v, A_PSEUDONYM) && (pol_name_has(v, A_GIVEN) || pol_name_has(v, A_SURNAME));
}

/* (a) commonName contents per certificate type:
 *   Mailbox-validated       Mailbox Address
 *   Organization-validated  subject:organizationName or Mailbox Address
 *   Sponsor-/Individual-    Personal Name, Pseudonym, or Mailbox Address
 * "If present, the Mailbox Address SHALL contain a rfc822Name or otherName
 * value of type id-on-SmtpUTF8Mailbox from extensions:subjectAltName." "If
 * present, the Pseudonym SHALL contain the subject:pseudonym if that
 * Subject attribute is also present." "If the subject:commonName contains a
 * Personal Name, then the subject:pseudonym attribute SHALL NOT be
 * present." A commonName with an "@" is read as a Mailbox Address (no
 * Personal Name has one); a Personal Name itself cannot be judged here. */
static int n_cn_mailbox_type(const pol_eval *e, const nview *v)
{
    if (e->type != POL_MAILBOX)
        return 0;
    for (uint8_t i = 0; i < v->n; i++)
        if (pol_attr_kind(v->a[i].oid) == A_CN && !pol_san_has(e, v->a[i].tag, v->a[i].value))
            return 1;
    return 0;
}
static int n_cn_organization_type(const pol_eval *e, const nview *v)
{
    if (e->type != POL_ORGANIZATION)
        return 0;
    for (uint8_t i = 0; i < v->n; i++) {
        const pol_attr *a = &v->a[i];
        if (pol_attr_kind(a->oid) == A_CN && !pol_san_has(e, a->tag, a->value) && !pol_name_equals_some(v, A_O, a->tag, a->value))
            return 1;
    }
    return 0;
}
static int personal(const pol_eval *e) { return e->type == POL_SPONSOR || e->type == POL_INDIVIDUAL; }
static int n_cn_mailbox_not_in_san(const pol_eval *e, const nview *v)
{
    if (!personal(e))
        return 0;
    for (uint8_t i = 0; i < v->n; i++) {
        const pol_attr *a = &v->a[i];
        if (pol_attr_kind(a->oid) == A_CN && pol_str_has(a->tag, a->value, '@') && !pol_san_has(e, a->tag, a->value) &&
            !pol_name_equals_some(v, A_PSEUDONYM, a->tag, a->value))
            return 1;
    }
    return 0;
}
static int n_cn_pseudonym(const pol_eval *e, const nview *v)
{
    if (!personal(e) || !pol_name_has(v, A_PSEUDONYM))
        return 0;
    for (uint8_t i = 0; i < v->n; i++) {
        const pol_attr *a = &v->a[i];
        if (pol_attr_kind(a->oid) == A_CN && !pol_str_has(a->tag, a->value, '@') &&
            !pol_name_equals_some(v, A_PSEUDONYM, a->tag, a->value))
            return 1;
    }
    return 0;
}

/* The rows: X(function, code, section, message). */
#define CN_ROWS(X)                                                                                   \
    X(cn_mailbox_type, "sbr.7.1.4.2.2.cn.mailbox", "7.1.4.2.2(a)",                                   \
      "mailbox-validated: commonName is not a Mailbox Address of the subjectAltName")                \
    X(cn_organization_type, "sbr.7.1.4.2.2.cn.organization", "7.1.4.2.2(a)",                         \
      "organization-validated: commonName is neither organizationName nor a subjectAltName mailbox") \
    X(cn_mailbox_not_in_san, "sbr.7.1.4.2.2.cn.mailbox-not-in-san", "7.1.4.2.2(a)",                  \
      "commonName holds a Mailbox Address that is not in the subjectAltName")                        \
    X(cn_pseudonym, "sbr.7.1.4.2.2.cn.pseudonym", "7.1.4.2.2(a)",                                    \
      "pseudonym present but commonName is neither the pseudonym nor a Mailbox Address")             \
    X(pseudonym_with_name, "sbr.7.1.4.2.2.pseudonym.with-name", "7.1.4.2.2(e),(f)",                  \
      "pseudonym present together with givenName or surname")                                        \
    X(email_syntax, "sbr.7.1.4.2.2.email.syntax", "7.1.4.2.2(h)",                                    \
      "emailAddress is not a single RFC 5321 Mailbox")
POL_NAME_FAMILY(cn, CN_ROWS)
