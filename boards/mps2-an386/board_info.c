/* SPDX-License-Identifier: Apache-2.0 */
/* BOARD_INFO of mps2-an386: why the token reset, how deep its stack went,
 * and what the last policy check, signature, evidence check and SIGN
 * command cost on the emulated core. */
#include "../../policy/pol.h"
#include "../../policy/pol_evidence.h"
#include "../../firmware/fw.h"
#include "mbedtls/pk.h"
#include "mps2.h"
#include "sbrguard/hal.h"
#include "sbrguard/proto.h"
#include "sbrguard/tlv.h"

static uint32_t cost_policy, cost_sign, cost_evidence, cost_command;

/* Emulated nanoseconds: with QEMU -icount shift=0, one per instruction. */
static uint32_t ns_since(uint64_t c0)
{
    uint64_t ns = (mps2_cycles() - c0) * (1000000000u / MPS2_SYSCLK_HZ);
    return ns > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)ns;
}

/* Linked with --wrap: the firmware's own calls, timed. */
void __real_pol_check(const uint8_t *tbs, size_t len, const pol_ctx *ctx, pol_workspace *w, pol_decision *d);
void __wrap_pol_check(const uint8_t *tbs, size_t len, const pol_ctx *ctx, pol_workspace *w, pol_decision *d);
void __wrap_pol_check(const uint8_t *tbs, size_t len, const pol_ctx *ctx, pol_workspace *w, pol_decision *d)
{
    uint64_t c0 = mps2_cycles();
    __real_pol_check(tbs, len, ctx, w, d);
    cost_policy = ns_since(c0);
}

/* The evidence check and the whole SIGN command: what enforcement adds to
 * an issuance is the command less its signature, against a plain key's. */
void __real_pol_evidence_check_ex(const uint8_t *tbs, size_t tbs_len, const uint8_t *ev, size_t ev_len,
                                  const pol_ev_trust *trust, int64_t now, const pol_ev_roots *roots, pol_ev_info *info,
                                  pol_workspace *w, pol_decision *d);
void __wrap_pol_evidence_check_ex(const uint8_t *tbs, size_t tbs_len, const uint8_t *ev, size_t ev_len,
                                  const pol_ev_trust *trust, int64_t now, const pol_ev_roots *roots, pol_ev_info *info,
                                  pol_workspace *w, pol_decision *d);
void __wrap_pol_evidence_check_ex(const uint8_t *tbs, size_t tbs_len, const uint8_t *ev, size_t ev_len,
                                  const pol_ev_trust *trust, int64_t now, const pol_ev_roots *roots, pol_ev_info *info,
                                  pol_workspace *w, pol_decision *d)
{
    uint64_t c0 = mps2_cycles();
    __real_pol_evidence_check_ex(tbs, tbs_len, ev, ev_len, trust, now, roots, info, w, d);
    cost_evidence = ns_since(c0);
}

int __real_fw_cmd_sign(fw_req *r);
int __wrap_fw_cmd_sign(fw_req *r);
int __wrap_fw_cmd_sign(fw_req *r)
{
    uint64_t c0 = mps2_cycles();
    cost_sign = 0;
    int rc = __real_fw_cmd_sign(r);
    cost_command = ns_since(c0);
    return rc;
}

int __real_mbedtls_pk_sign(mbedtls_pk_context *ctx, mbedtls_md_type_t md_alg, const unsigned char *hash,
                           size_t hash_len, unsigned char *sig, size_t sig_size, size_t *sig_len,
                           int (*f_rng)(void *, unsigned char *, size_t), void *p_rng);
int __wrap_mbedtls_pk_sign(mbedtls_pk_context *ctx, mbedtls_md_type_t md_alg, const unsigned char *hash,
                           size_t hash_len, unsigned char *sig, size_t sig_size, size_t *sig_len,
                           int (*f_rng)(void *, unsigned char *, size_t), void *p_rng);
int __wrap_mbedtls_pk_sign(mbedtls_pk_context *ctx, mbedtls_md_type_t md_alg, const unsigned char *hash,
                           size_t hash_len, unsigned char *sig, size_t sig_size, size_t *sig_len,
                           int (*f_rng)(void *, unsigned char *, size_t), void *p_rng)
{
    uint64_t c0 = mps2_cycles();
    int rc = __real_mbedtls_pk_sign(ctx, md_alg, hash, hash_len, sig, sig_size, sig_len, f_rng, p_rng);
    cost_sign = ns_since(c0);
    return rc;
}

static void be32(uint8_t *p, uint32_t v) { sg_be_put(p, v, 4); }

int hal_board_info(uint8_t *out, size_t cap, size_t *len)
{
    static const char name[] = "mps2-an386";
    uint8_t rst[17], stk[8], cost[16];
    size_t total, unused = mps2_stack_unused(&total);
    rst[0] = (uint8_t)mps2_last_reset.reason;
    be32(rst + 1, mps2_last_reset.resets);
    be32(rst + 5, mps2_last_reset.pc);
    be32(rst + 9, mps2_last_reset.cfsr);
    be32(rst + 13, mps2_last_reset.hfsr);
    be32(stk, (uint32_t)(total - unused));
    be32(stk + 4, (uint32_t)total);
    be32(cost, cost_policy);
    be32(cost + 4, cost_sign);
    be32(cost + 8, cost_evidence);
    be32(cost + 12, cost_command);
    *len = 0;
    if (sg_tlv_append(out, cap, len, SG_T_BOARD, name, sizeof name - 1) ||
        sg_tlv_append(out, cap, len, SG_T_BOARD_RESET, rst, sizeof rst) ||
        sg_tlv_append(out, cap, len, SG_T_BOARD_STACK, stk, sizeof stk) ||
        sg_tlv_append(out, cap, len, SG_T_BOARD_COST, cost, sizeof cost))
        return -1;
    return 0;
}

/* Production images inject no faults (fault.c replaces these in test images). */
__attribute__((weak)) int mps2_test_frame(const uint8_t *frame, size_t len)
{
    (void)frame;
    (void)len;
    return 0;
}
__attribute__((weak)) size_t mps2_test_flash_op(size_t len) { return len; }
__attribute__((weak)) void mps2_test_after_flash_op(void) {}

/* Key generation draws from the DRBG for every prime candidate: proof of
 * progress for the watchdog during the longest operation (RSA-4096). */
int __real_fw_rng(void *ctx, unsigned char *out, size_t len);
int __wrap_fw_rng(void *ctx, unsigned char *out, size_t len);
int __wrap_fw_rng(void *ctx, unsigned char *out, size_t len)
{
    mps2_wdog_kick();
    return __real_fw_rng(ctx, out, len);
}
