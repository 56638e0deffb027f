/* SPDX-License-Identifier: Apache-2.0 */
/* SBR 7.1.4: names (subject attributes, subjectAltName content). */
#include "pol_int.h"

const pol_rule pol_rules_name[] = {
    { "sbr.7.1.4.2.1.san.no-mailbox", "7.1.4.2.1", "subjectAltName has no rfc822Name or SmtpUTF8Mailbox", NULL },
};
const size_t pol_rules_name_n = 0;
