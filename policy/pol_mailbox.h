/* SPDX-License-Identifier: Apache-2.0 */
/* Mailbox Addresses (SBR 1.6.1: RFC 5321 4.1.2 "Mailbox", amended by
 * RFC 6532 3.2), their certificate forms (rfc822Name: RFC 5280 4.2.1.6;
 * SmtpUTF8Mailbox: RFC 9598 3, RFC 6531 3.3), domain reality (public
 * suffixes), and the string helpers the name rules share. */
#ifndef POL_MAILBOX_H
#define POL_MAILBOX_H
#include "pol_der.h"

/** Why a mailbox is not one (0 = it is). */
enum pol_mb_err {
    POL_MB_OK = 0,
    POL_MB_NO_AT = -1,      /**< no "@", or nothing after it */
    POL_MB_LOCAL = -2,      /**< local-part is neither Dot-string nor Quoted-string */
    POL_MB_LOCAL_LEN = -3,  /**< local-part over 64 octets (RFC 5321 4.5.3.1.1) */
    POL_MB_DOMAIN = -4,     /**< domain is not dot-separated LDH labels */
    POL_MB_LABEL_LEN = -5,  /**< a label over 63 octets (RFC 1035 2.3.4) */
    POL_MB_DOMAIN_LEN = -6, /**< domain over 253 octets (RFC 5321 4.5.3.1.2) */
    POL_MB_TOO_LONG = -7,   /**< mailbox over 254 octets (RFC 5321 4.5.3.1.3: a Path of 256 with "<" ">") */
    POL_MB_LITERAL = -8,    /**< address-literal instead of a domain */
    POL_MB_NON_ASCII = -9,  /**< non-ASCII where the form allows none */
    POL_MB_UTF8 = -10,      /**< malformed UTF-8 (RFC 3629) */
    POL_MB_ALABEL = -11,    /**< "??--" label that is not a valid A-label (RFC 5890 2.3.1) */
};

/** Allow UTF-8 in the local part (RFC 6531 3.3: atext and qtextSMTP gain
 * UTF8-non-ascii). The domain is always in A-label/NR-LDH form. */
#define POL_MB_UTF8_LOCAL 1u

typedef struct {
    pol_slice local, domain;
} pol_mbox;

/** Parses a Mailbox; 0 and mb filled, or a pol_mb_err. */
int pol_mailbox_parse(const uint8_t *p, size_t n, unsigned flags, pol_mbox *mb);
/** The domain of a mailbox (after its last "@"), if it is a syntactically
 * valid one (LDH labels, A-labels valid, at most 253 octets): 0, or -1. */
int pol_mailbox_domain(pol_slice mailbox, pol_slice *domain);
/** 1 if s has the byte b. */
int pol_has_byte(pol_slice s, uint8_t b);
/** 1 if s has a byte outside ASCII. */
int pol_has_non_ascii(pol_slice s);
/** 1 if the Punycode part of an A-label (after "xn--") decodes (RFC 3492
 * 6.2) to valid code points, at least one of them non-ASCII. */
int pol_punycode_valid(const uint8_t *p, size_t n);

/** Domain reality against the ICANN public suffix list. */
enum pol_dom {
    POL_DOM_OK = 0,      /**< at least one label beyond a public suffix */
    POL_DOM_TLD = -1,    /**< rightmost label is not an ICANN TLD */
    POL_DOM_SUFFIX = -2, /**< the domain is itself a public suffix */
};
/** Judges a syntactically valid domain (LDH labels, at most 253 octets). */
int pol_domain_public(pol_slice domain);
/** 1 if the rightmost label is an ICANN TLD. */
int pol_domain_tld_known(pol_slice domain);
/** 1 if the domain is itself a public suffix (one label always is). */
int pol_domain_is_suffix(pol_slice domain);

/** ASCII lower case. */
static inline uint8_t pol_lower(uint8_t c) { return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c; }
/** One UTF-8 character of [*pp, end) (RFC 3629 4), *pp < end: 0 with *cp
 * and *pp past it, -1 if malformed (pol_str.c). */
int pol_utf8_next(const uint8_t **pp, const uint8_t *end, uint32_t *cp);

/** Characters of an ASN.1 string by its tag. */
typedef struct {
    const uint8_t *p, *end;
    uint8_t tag;
} pol_str;
static inline pol_str pol_str_of(uint8_t tag, pol_slice v)
{
    pol_str s = { v.p, v.p + v.len, tag };
    return s;
}
/** Next character: 1 with *cp, 0 at the end, -1 if malformed. UTF8String
 * is decoded, BMPString is UCS-2, UniversalString UCS-4, any other tag one
 * byte a character. */
int pol_str_next(pol_str *s, uint32_t *cp);
/** 1 if v is a well-formed, non-empty value of a string tag (PrintableString
 * charset, IA5 7-bit, UTF-8 per RFC 3629, ...); 0 if not; -1 if the tag is
 * no string type. */
int pol_str_valid(uint8_t tag, pol_slice v);
/** Number of characters (UTF-8: its lead octets; whether the value is
 * well-formed is pol_str_valid's question). */
long pol_str_chars(uint8_t tag, pol_slice v);
/** 1 if both strings have the same characters. */
int pol_str_eq(uint8_t ta, pol_slice a, uint8_t tb, pol_slice b);
/** 1 if the string contains the character c. */
int pol_str_has(uint8_t tag, pol_slice v, uint32_t c);
/** 1 if both are the same mailbox: the local parts (before the last "@")
 * equal, the domains equal ignoring ASCII case. */
int pol_mailbox_same(uint8_t ta, pol_slice a, uint8_t tb, pol_slice b);

/** Called for each Mailbox Address found: nonzero stops the scan. */
typedef int (*pol_mb_visit)(const void *arg, uint8_t tag, pol_slice addr);
/** Visits the Mailbox Addresses in an attribute's string value (tag, v)
 * (pol_mailbox_scan.c; docs/policy.md says what counts as one): 1 as soon
 * as a visit returns nonzero, else 0. */
int pol_mailbox_scan(uint8_t tag, pol_slice v, pol_mb_visit visit, const void *arg);

#endif
