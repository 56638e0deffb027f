/* SPDX-License-Identifier: Apache-2.0 */
/* SBR 7.1.4.2.1: the subjectAltName content. Its mailboxes (rfc822Name,
 * SmtpUTF8Mailbox) and their domains, the Mailbox Addresses of the subject
 * and of every directoryName repeated here, and the directoryNames judged
 * by the rows on one Name (7.1.4.2.2-7.1.4.2.6). */
#include "pol_mailbox.h"
#include "pol_rules_name.h"

/* "This extension SHALL contain at least one GeneralName entry of the
 * following types: Rfc822Name and/or otherName of type
 * id-on-SmtpUTF8Mailbox, encoded in accordance with RFC 9598". */
static int san_no_mailbox(const pol_eval *e)
{
    if (!pol_ext_get(e, EXT_SAN))
        return 0; /* 7.1.2.3(h) reports the absence */
    for (uint8_t i = 0; i < e->n_san; i++)
        if (e->san[i].type == 1 || pol_san_is_smtputf8(&e->san[i]))
            return 0;
    return 1;
}

/* "For Legacy and Multipurpose Generation profiles, then the CA MAY include
 * otherName entries of any type ... The CA SHALL NOT include GeneralName
 * entries that do not conform to the requirements of this section." */
static int san_name_type(const pol_eval *e)
{
    for (uint8_t i = 0; i < e->n_san; i++) {
        const pol_gname *g = &e->san[i];
        if (g->type == 1 || g->type == 4 || pol_san_is_smtputf8(g))
            continue;
        if (g->type == 0 && (e->gen == POL_LEGACY || e->gen == POL_MULTIPURPOSE))
            continue;
        return 1;
    }
    return 0;
}

/* rfc822Name: an RFC 5321 Mailbox in an IA5String; RFC 9598 3: non-ASCII
 * local parts go in SmtpUTF8Mailbox, and domains are A-labels. */
static int rfc822_non_ascii(const pol_eval *e)
{
    for (uint8_t i = 0; i < e->n_san; i++)
        if (e->san[i].type == 1 && pol_has_non_ascii(e->san[i].value))
            return 1;
    return 0;
}
static int rfc822_syntax(const pol_eval *e)
{
    pol_mbox mb;
    for (uint8_t i = 0; i < e->n_san; i++) {
        const pol_gname *g = &e->san[i];
        if (g->type == 1 && !pol_has_non_ascii(g->value) && pol_mailbox_parse(g->value.p, g->value.len, 0, &mb))
            return 1;
    }
    return 0;
}

/* SmtpUTF8Mailbox ::= UTF8String (SIZE (1..MAX)), without a Byte-Order Mark
 * (RFC 9598 3). */
static int smtputf8_encoding(const pol_eval *e)
{
    for (uint8_t i = 0; i < e->n_san; i++) {
        uint8_t tag;
        pol_slice v;
        if (!pol_san_is_smtputf8(&e->san[i]))
            continue;
        if (!pol_san_mailbox(&e->san[i], &tag, &v) || pol_str_valid(tag, v) != 1 || pol_str_has(tag, v, 0xFEFF))
            return 1;
    }
    return 0;
}
/* A Mailbox of RFC 6531 3.3 whose domain is in A-label or NR-LDH form. */
static int smtputf8_parse(const pol_gname *g, pol_mbox *mb)
{
    uint8_t tag;
    pol_slice v;
    return pol_san_is_smtputf8(g) && pol_san_mailbox(g, &tag, &v) && pol_str_valid(tag, v) == 1 ?
               pol_mailbox_parse(v.p, v.len, POL_MB_UTF8_LOCAL, mb) :
               1; /* not one, or smtputf8_encoding's */
}
static int smtputf8_syntax(const pol_eval *e)
{
    pol_mbox mb;
    for (uint8_t i = 0; i < e->n_san; i++)
        if (pol_san_is_smtputf8(&e->san[i]) && smtputf8_parse(&e->san[i], &mb) < 0)
            return 1;
    return 0;
}
/* RFC 9598 3: "SmtpUTF8Mailbox subjectAltName MUST NOT be used unless the
 * local-part of the email address contains non-ASCII characters." */
static int smtputf8_ascii_local(const pol_eval *e)
{
    pol_mbox mb;
    for (uint8_t i = 0; i < e->n_san; i++)
        if (smtputf8_parse(&e->san[i], &mb) == 0 && !pol_has_non_ascii(mb.local))
            return 1;
    return 0;
}

/* Domains of the SAN mailboxes must be real (3.2.2: the CA validates
 * control of the mailbox or of its domain): under an ICANN TLD, with a
 * label beyond a public suffix. */
static int san_domains(const pol_eval *e, int suffix)
{
    for (uint8_t i = 0; i < e->n_san; i++) {
        uint8_t tag;
        pol_slice m, d;
        /* The domain is judged when it is well-formed, whatever the local
         * part (the syntax rows speak about that). */
        if (!pol_san_mailbox(&e->san[i], &tag, &m) || pol_mailbox_domain(m, &d))
            continue;
        /* A one-label domain is a public suffix only if it is a TLD (else
         * domain.tld speaks); more labels need no TLD lookup here. */
        if (suffix ? pol_domain_is_suffix(d) && (pol_has_byte(d, '.') || pol_domain_tld_known(d))
                   : !pol_domain_tld_known(d))
            return 1;
    }
    return 0;
}
static int domain_tld(const pol_eval *e) { return san_domains(e, 0); }
static int domain_suffix(const pol_eval *e) { return san_domains(e, 1); }

/* "All Mailbox Addresses in the subject field or entries of type
 * directoryName of this extension SHALL be repeated as rfc822Name or
 * otherName values of type id-on-SmtpUTF8Mailbox in this extension." The
 * Mailbox Addresses of a Name: every emailAddress (7.1.4.2.2(h): the whole
 * value), and those pol_mailbox_scan finds in any other attribute. */
static int not_in_san(const void *e, uint8_t tag, pol_slice addr) { return !pol_san_has(e, tag, addr); }
static int mailboxes_unrepeated(const pol_eval *e, const nview *v)
{
    for (uint8_t i = 0; i < v->n; i++) {
        const pol_attr *a = &v->a[i];
        if (pol_attr_kind(a->oid) == A_EMAIL ? !pol_san_has(e, a->tag, a->value)
                                         : pol_mailbox_scan(a->tag, a->value, not_in_san, e))
            return 1;
    }
    return 0;
}
static int subject_mailbox_unrepeated(const pol_eval *e)
{
    nview v = subject_view(e);
    return mailboxes_unrepeated(e, &v);
}

/* RFC 5280 4.2.1.6 (7.1.2.4): "conforming CAs MUST NOT issue certificates
 * with subjectAltNames containing empty GeneralName fields": a
 * directoryName whose Name is an empty SEQUENCE (30 00) is one. The other
 * types are refused empty by their own rows. */
static int dirname_empty(const pol_eval *e)
{
    for (uint8_t i = 0; i < e->n_san; i++)
        if (e->san[i].type == 4 && e->san[i].value.len == 2)
            return 1;
    return 0;
}

/* A directoryName's Name, decoded into attrs (as the subject's): the
 * number of attributes, or -1 if it is not a Name. */
static int dirname_attrs(const pol_gname *g, pol_attr *attrs)
{
    pol_der top = pol_der_of(g->value);
    pol_slice name;
    if (pol_der_expect(&top, DER_SEQUENCE, &name, NULL) || pol_der_more(&top))
        return -1;
    return pol_decode_name(name, attrs, POL_MAX_ATTRS);
}

static int dirname_mailbox_unrepeated(const pol_eval *e)
{
    pol_attr attrs[POL_MAX_ATTRS];
    for (uint8_t i = 0; i < e->n_san; i++) {
        int n = e->san[i].type == 4 ? dirname_attrs(&e->san[i], attrs) : -1;
        nview v = { attrs, (uint8_t)(n < 0 ? 0 : n) };
        if (n > 0 && mailboxes_unrepeated(e, &v))
            return 1;
    }
    return 0;
}

/* "The CA MAY include GeneralName entries of type directoryName provided
 * that the information contained in the Name complies with the
 * requirements set forth in Sections 7.1.4.2.2 through 7.1.4.2.6". */
static int dirname_content(const pol_eval *e)
{
    pol_attr attrs[POL_MAX_ATTRS];
    for (uint8_t i = 0; i < e->n_san; i++) {
        int n;
        if (e->san[i].type != 4)
            continue;
        if ((n = dirname_attrs(&e->san[i], attrs)) < 0)
            return 1;
        nview v = { attrs, (uint8_t)n };
        if (pol_name_view_fails(e, &v) || pol_orgid_view_fails(e, attrs, (uint8_t)n))
            return 1;
    }
    return 0;
}

const pol_rule pol_rules_name_san[] = {
    { "sbr.7.1.4.2.1.san.no-mailbox", "7.1.4.2.1", "subjectAltName has no rfc822Name or SmtpUTF8Mailbox", san_no_mailbox },
    { "sbr.7.1.4.2.1.san.name-type", "7.1.4.2.1",
      "GeneralName other than rfc822Name, SmtpUTF8Mailbox, directoryName (any otherName: legacy/multipurpose only)",
      san_name_type },
    { "sbr.7.1.4.2.1.rfc822.non-ascii", "7.1.4.2.1", "rfc822Name carries non-ASCII (RFC 9598 3: SmtpUTF8Mailbox, A-labels)",
      rfc822_non_ascii },
    { "sbr.7.1.4.2.1.rfc822.syntax", "7.1.4.2.1", "rfc822Name is not an RFC 5321 Mailbox within its length limits",
      rfc822_syntax },
    { "sbr.7.1.4.2.1.smtputf8.encoding", "7.1.4.2.1",
      "SmtpUTF8Mailbox is not one well-formed UTF8String without BOM (RFC 9598 3)", smtputf8_encoding },
    { "sbr.7.1.4.2.1.smtputf8.syntax", "7.1.4.2.1",
      "SmtpUTF8Mailbox is not an RFC 6531 Mailbox with an A-label domain (RFC 9598 3)", smtputf8_syntax },
    { "sbr.7.1.4.2.1.smtputf8.ascii-local", "7.1.4.2.1",
      "SmtpUTF8Mailbox with an all-ASCII local part (RFC 9598 3: use rfc822Name)", smtputf8_ascii_local },
    { "sbr.7.1.4.2.1.domain.tld", "7.1.4.2.1", "mailbox domain's TLD is not in the ICANN public suffix list",
      domain_tld },
    { "sbr.7.1.4.2.1.domain.public-suffix", "7.1.4.2.1", "mailbox domain is itself a public suffix",
      domain_suffix },
    { "sbr.7.1.4.2.1.subject-mailbox.not-in-san", "7.1.4.2.1",
      "a Mailbox Address of the subject is not repeated in the subjectAltName", subject_mailbox_unrepeated },
    { "sbr.7.1.4.2.1.dirname-mailbox.not-in-san", "7.1.4.2.1",
      "a Mailbox Address of a directoryName is not repeated in the subjectAltName", dirname_mailbox_unrepeated },
    { "sbr.7.1.4.2.1.dirname.empty", "7.1.4.2.1, 7.1.2.4 (RFC 5280 4.2.1.6)",
      "a directoryName is an empty Name (an empty GeneralName)", dirname_empty },
    { "sbr.7.1.4.2.1.dirname.content", "7.1.4.2.1",
      "a directoryName breaks 7.1.4.2.2-7.1.4.2.6 for the certificate type", dirname_content },
};
const size_t pol_rules_name_san_n = sizeof pol_rules_name_san / sizeof *pol_rules_name_san;
