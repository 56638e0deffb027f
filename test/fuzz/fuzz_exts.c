/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: the extension value decoders (pol_ext_qc.c,
 * pol_ext_misc.c, pol_general_name) called directly on arbitrary bytes.
 * The first byte picks the decoder, the rest is the extnValue. Any crash,
 * leak or UB report is a failure; a decoder reports only its own bits. */
#include <stddef.h>
#include <stdint.h>
#include "../../policy/pol_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint32_t (*const fns[])(pol_slice) = {
        pol_ext_qc, pol_ext_adobe_ts, pol_ext_adobe_archive, pol_ext_sda,
        pol_ext_smimecap, pol_ext_lei, pol_ext_lei_role, pol_ext_ski,
    };
    static const uint32_t own[] = {
        XB(XB_QC_MALFORMED) | XB(XB_QC_UNKNOWN) | XB(XB_QC_FLAG_INFO) | XB(XB_QC_LIMIT) | XB(XB_QC_RETENTION) |
            XB(XB_QC_PDS) | XB(XB_QC_TYPE) | XB(XB_QC_LEGISLATION) | XB(XB_QC_PSD2) | XB(XB_QC_SEMANTICS),
        XB(XB_ADOBE_TS_MALFORMED) | XB(XB_ADOBE_TS_LOCATION) | XB(XB_ADOBE_TS_DEFAULT),
        XB(XB_ADOBE_ARCHIVE),
        XB(XB_SDA_MALFORMED) | XB(XB_SDA_UNKNOWN) | XB(XB_SDA_DOB) | XB(XB_SDA_POB) | XB(XB_SDA_GENDER) |
            XB(XB_SDA_COUNTRY),
        XB(XB_SMIMECAP),
        XB(XB_LEI_SYNTAX) | XB(XB_LEI_CHECK),
        XB(XB_LEI_ROLE),
        XB(XB_SKI),
    };
    if (size == 0)
        return 0;
    size_t k = data[0] % (sizeof fns / sizeof *fns + 1);
    pol_slice v = { data + 1, size - 1 };
    if (k < sizeof fns / sizeof *fns) {
        if (fns[k](v) & ~own[k])
            __builtin_trap();
    } else {
        pol_der c = pol_der_of(v);
        pol_gname g;
        while (pol_der_more(&c) && pol_general_name(&c, &g) == 0)
            ;
        (void)pol_der_wellformed(v, 8);
        (void)pol_set_of_sorted(v);
    }
    return 0;
}
