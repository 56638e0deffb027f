/* SPDX-License-Identifier: Apache-2.0 */
/* mps2-an386 start-up: vector table, reset, faults, SysTick, watchdog. */
#include <string.h>
#include "mps2.h"

extern uint32_t _data_start[], _data_end[], _data_load[], _bss_start[], _bss_end[];
extern uint32_t _stack_bottom[], _stack_top[];
int main(void);
void mps2_reset(void);
void mps2_nmi(void);
void mps2_hardfault(void);
void mps2_systick(void);
void mps2_uart_rx_isr(void);
void mps2_fault_c(const uint32_t *frame);
static void unhandled(void) { mps2_reset_for(MPS2_RST_HARDFAULT, 0); }

#define RESET_MAGIC 0x5352494Eu
#define PAINT 0xA5A5A5A5u
/* A reset does not clear this; the reset handler reads it, then rearms it. */
static mps2_resetinfo noinit __attribute__((section(".noinit")));
mps2_resetinfo mps2_last_reset;

__attribute__((section(".vectors"), used)) static void (*const vectors[16 + 16])(void) = {
    (void (*)(void))_stack_top, mps2_reset, mps2_nmi, mps2_hardfault,
    unhandled, unhandled, unhandled, 0, 0, 0, 0, unhandled, unhandled, 0, unhandled, mps2_systick,
    mps2_uart_rx_isr, [17 ... 31] = unhandled,
};

void mps2_reset(void)
{
    memcpy(_data_start, _data_load, (size_t)((uint8_t *)_data_end - (uint8_t *)_data_start));
    memset(_bss_start, 0, (size_t)((uint8_t *)_bss_end - (uint8_t *)_bss_start));
    /* Paint the stack below us, to measure its deepest use later. */
    uint32_t *sp;
    __asm volatile("mov %0, sp" : "=r"(sp));
    for (uint32_t *p = _stack_bottom; p < sp - 16; p++)
        *p = PAINT;
    if (noinit.magic == RESET_MAGIC) {
        mps2_last_reset = noinit;
        noinit.resets++;
    } else {
        memset(&mps2_last_reset, 0, sizeof mps2_last_reset);
        memset(&noinit, 0, sizeof noinit);
    }
    /* Until something records a cause, the next reset is an unexplained
     * one: a watchdog reset after a lockup, or QEMU's own system_reset. */
    noinit.magic = RESET_MAGIC;
    noinit.reason = MPS2_RST_WATCHDOG;
    mps2_tick_init();
    main();
    mps2_reset_for(MPS2_RST_SOFTWARE, 0);
}

void mps2_reset_for(uint32_t reason, uint32_t pc)
{
    noinit.reason = reason;
    noinit.pc = pc;
    noinit.cfsr = SCB_CFSR;
    noinit.hfsr = SCB_HFSR;
    __asm volatile("dsb");
    SCB_AIRCR = 0x05FA0004u; /* SYSRESETREQ */
    __asm volatile("dsb");
    for (;;)
        ;
}

size_t mps2_stack_unused(size_t *total)
{
    const uint32_t *p = _stack_bottom;
    while (p < _stack_top && *p == PAINT)
        p++;
    *total = (size_t)((uint8_t *)_stack_top - (uint8_t *)_stack_bottom);
    return (size_t)((const uint8_t *)p - (const uint8_t *)_stack_bottom);
}

/* The exception frame's stacked PC says where the fault happened. */
__attribute__((naked)) void mps2_hardfault(void)
{
    __asm volatile("tst lr, #4\n ite eq\n mrseq r0, msp\n mrsne r0, psp\n b mps2_fault_c\n");
}
void mps2_fault_c(const uint32_t *frame) { mps2_reset_for(MPS2_RST_HARDFAULT, frame[6]); }

/* --- SysTick: uptime, and the watchdog's time base where QEMU has none ---- */
static volatile uint32_t ticks_lo, ticks_hi, wdog_limit, wdog_last;
static int wdog_hw;

void mps2_tick_init(void)
{
    SYST_RVR = MPS2_SYSCLK_HZ / MPS2_TICK_HZ - 1u;
    SYST_CVR = 0;
    SYST_CSR = 7u; /* processor clock, interrupt, enable */
}

uint64_t mps2_ticks(void)
{
    uint32_t hi, lo;
    do {
        hi = ticks_hi;
        lo = ticks_lo;
    } while (hi != ticks_hi);
    return ((uint64_t)hi << 32) | lo;
}

__attribute__((naked)) void mps2_systick(void)
{
    __asm volatile("mov r0, sp\n push {r0, lr}\n bl mps2_systick_c\n pop {r0, pc}\n");
}
void mps2_systick_c(const uint32_t *frame);
void mps2_systick_c(const uint32_t *frame)
{
    if (++ticks_lo == 0)
        ticks_hi++;
    if (wdog_limit && !wdog_hw && ticks_lo - wdog_last > wdog_limit)
        mps2_reset_for(MPS2_RST_WATCHDOG, frame[6]);
}

/* The CMSDK watchdog interrupts (NMI) at the first timeout: record why,
 * then reset (its own reset would follow at the second timeout). */
void mps2_nmi(void)
{
    if (wdog_hw)
        mps2_reset_for(MPS2_RST_WATCHDOG, 0);
}

void mps2_wdog_start(uint32_t seconds)
{
    uint32_t load = (seconds > 160u ? 160u : seconds) * MPS2_SYSCLK_HZ;
    WDOG_LOCK = WDOG_UNLOCK_KEY;
    WDOG_LOAD = load;
    wdog_hw = WDOG_LOAD == load; /* reads back only where the part exists */
    if (wdog_hw)
        WDOG_CTRL = 3u; /* interrupt + reset */
    WDOG_LOCK = 0;
    wdog_last = ticks_lo;
    wdog_limit = seconds * MPS2_TICK_HZ;
}

void mps2_wdog_kick(void)
{
    wdog_last = ticks_lo;
    if (wdog_hw) {
        WDOG_LOCK = WDOG_UNLOCK_KEY;
        WDOG_INTCLR = 1u; /* also reloads the counter */
        WDOG_LOCK = 0;
    }
}

uint64_t mps2_cycles(void)
{
    uint64_t t;
    uint32_t v;
    do {
        t = mps2_ticks();
        v = SYST_CVR;
    } while (t != mps2_ticks());
    return t * (MPS2_SYSCLK_HZ / MPS2_TICK_HZ) + (MPS2_SYSCLK_HZ / MPS2_TICK_HZ - 1u - v);
}

/* mbedTLS found its arena corrupt (MBEDTLS_MEMORY_DEBUG): reset, recorded. */
void mps2_fatal(int code)
{
    mps2_reset_for(MPS2_RST_HARDFAULT, (uint32_t)code);
}
