/* SPDX-License-Identifier: Apache-2.0 */
/* mps2-an386 (Cortex-M4 in QEMU): registers and the board's internal API. */
#ifndef MPS2_H
#define MPS2_H
#include <stddef.h>
#include <stdint.h>

#define MPS2_REG(a) (*(volatile uint32_t *)(a))
#define MPS2_SYSCLK_HZ 25000000u

/* CMSDK APB UART0: the token's link. */
#define UART0_DATA MPS2_REG(0x40004000u)
#define UART0_STATE MPS2_REG(0x40004004u)
#define UART0_CTRL MPS2_REG(0x40004008u)
#define UART0_BAUDDIV MPS2_REG(0x40004010u)
#define UART_TX_FULL 1u
#define UART_RX_FULL 2u

/* CMSDK APB watchdog. */
#define WDOG_LOAD MPS2_REG(0x40008000u)
#define WDOG_VALUE MPS2_REG(0x40008004u)
#define WDOG_CTRL MPS2_REG(0x40008008u)
#define WDOG_INTCLR MPS2_REG(0x4000800Cu)
#define WDOG_LOCK MPS2_REG(0x40008C00u)
#define WDOG_UNLOCK_KEY 0x1ACCE551u

/* System control space. */
#define SYST_CSR MPS2_REG(0xE000E010u)
#define SYST_RVR MPS2_REG(0xE000E014u)
#define SYST_CVR MPS2_REG(0xE000E018u)
#define SCB_ICSR MPS2_REG(0xE000ED04u)
#define SCB_AIRCR MPS2_REG(0xE000ED0Cu)
#define SCB_CFSR MPS2_REG(0xE000ED28u)
#define SCB_HFSR MPS2_REG(0xE000ED2Cu)

/* Why the token last reset (SG_T_BOARD_RESET values, docs/protocol.md). */
enum mps2_reset {
    MPS2_RST_POWER_ON = 0,
    MPS2_RST_SOFTWARE = 1,
    MPS2_RST_HARDFAULT = 2,
    MPS2_RST_WATCHDOG = 3,
};

/** What the previous run left in RAM that a reset does not clear. */
typedef struct {
    uint32_t magic;
    uint32_t reason;  /**< mps2_reset of the reset that ended that run */
    uint32_t pc, cfsr, hfsr;
    uint32_t resets;  /**< resets since power-on */
} mps2_resetinfo;
extern mps2_resetinfo mps2_last_reset; /* copied at boot */
/** Records why the device is about to reset, then resets it. */
void mps2_reset_for(uint32_t reason, uint32_t pc) __attribute__((noreturn));
void mps2_fatal(int code) __attribute__((noreturn));
/** Bytes of the stack never touched since reset (painted at reset). */
size_t mps2_stack_unused(size_t *total);

/* SysTick at 100 Hz: uptime in ticks, and the software side of the watchdog. */
#define MPS2_TICK_HZ 100u
uint64_t mps2_ticks(void);
void mps2_tick_init(void);
/** Starts the watchdog (seconds) / proves progress to it. */
void mps2_wdog_start(uint32_t seconds);
void mps2_wdog_kick(void);

/* UART link. */
void mps2_uart_init(void);
int mps2_uart_getc(void); /* -1 if nothing has arrived */
void mps2_uart_write(const uint8_t *p, size_t n);
void mps2_uart_wait(void);
/** Folds an unpredictable event (a link byte's arrival time) into the pool. */
void mps2_rng_jitter(uint32_t v);
/** Emulated processor cycles since reset (SysTick). */
uint64_t mps2_cycles(void);

/* ARM semihosting (QEMU -semihosting): the host files that stand in for
 * the parts QEMU's board lacks. */
int mps2_sh_open(const char *path, int mode);
int mps2_sh_close(int fd);
int mps2_sh_read(int fd, void *buf, size_t n);  /* 0 on success */
int mps2_sh_write(int fd, const void *buf, size_t n);
int mps2_sh_seek(int fd, uint32_t pos);
long mps2_sh_flen(int fd);
uint32_t mps2_sh_time(void);
void mps2_sh_exit(int code) __attribute__((noreturn));
#define MPS2_SH_RB 1      /* "rb" */
#define MPS2_SH_RWB 3     /* "r+b" */
#define MPS2_SH_WB 5      /* "wb" */

/* Fault injection of test images (fault.c; production images: none).
 * mps2_test_flash_op returns how much of a flash operation of len bytes
 * happens; mps2_test_after_flash_op faults if that was a cut one. */
int mps2_test_frame(const uint8_t *frame, size_t len);
size_t mps2_test_flash_op(size_t len);
void mps2_test_after_flash_op(void);

/* hal_mps2.c */
int mps2_hal_init(void);

#endif
