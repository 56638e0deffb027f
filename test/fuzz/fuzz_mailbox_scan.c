/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: the Mailbox Address scan of attribute values
 * (policy/pol_mailbox_scan.c). The first byte picks the string type, the
 * rest is the value. Every address it reports must be a Mailbox of at most
 * 254 octets (or one with a U-label domain), and a visitor's "stop" must
 * stop the scan. Any crash, leak or UB report is a failure too. */
#include <stddef.h>
#include <stdint.h>
#include "../../policy/pol_mailbox.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int check(const void *arg, uint8_t tag, pol_slice a)
{
    pol_mbox mb;
    int r = tag == DER_UTF8 || tag == DER_IA5 || tag == DER_VISIBLE ? pol_mailbox_parse(a.p, a.len, POL_MB_UTF8_LOCAL, &mb) : -99;
    unsigned *n = (unsigned *)(uintptr_t)arg;
    if (a.len == 0 || a.len > 320 || (r != 0 && r != POL_MB_NON_ASCII))
        __builtin_trap();
    ++*n;
    return 0;
}
static int stop(const void *arg, uint8_t tag, pol_slice a)
{
    (void)tag, (void)a;
    ++*(unsigned *)(uintptr_t)arg;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t tags[] = { DER_UTF8, DER_IA5, DER_BMP, DER_UNIVERSAL, DER_PRINTABLE, DER_T61, DER_VISIBLE, 0x04 };
    unsigned all = 0, stopped = 0;
    pol_slice v;
    if (size < 1)
        return 0;
    v.p = data + 1;
    v.len = size - 1;
    uint8_t tag = tags[data[0] % sizeof tags];
    int r = pol_mailbox_scan(tag, v, check, &all);
    if (r != 0)
        __builtin_trap(); /* check never stops the scan */
    r = pol_mailbox_scan(tag, v, stop, &stopped);
    if ((all > 0) != (r == 1) || stopped != (all > 0))
        __builtin_trap();
    return 0;
}
