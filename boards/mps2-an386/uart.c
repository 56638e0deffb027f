/* SPDX-License-Identifier: Apache-2.0 */
/* CMSDK UART0, the token's link. Received bytes go through an interrupt
 * into a ring, so that the core sleeps (WFI) instead of polling, and QEMU
 * can hand over the next byte while the last one is still being parsed. */
#include "mps2.h"

#define UART0_INTCLR MPS2_REG(0x4000400Cu)
#define NVIC_ISER0 MPS2_REG(0xE000E100u)
#define UART_CTRL_TX_EN 1u
#define UART_CTRL_RX_EN 2u
#define UART_CTRL_RX_INT 8u
#define RING 256u /* power of two */

static volatile uint8_t ring[RING];
static volatile uint32_t head, tail;

void mps2_uart_rx_isr(void);
void mps2_uart_rx_isr(void)
{
    UART0_INTCLR = UART_RX_FULL;
    /* A full ring leaves the byte in the UART: QEMU then holds the rest. */
    while ((UART0_STATE & UART_RX_FULL) && head - tail < RING) {
        ring[head % RING] = (uint8_t)UART0_DATA;
        head++;
    }
}

void mps2_uart_init(void)
{
    UART0_BAUDDIV = 16; /* any valid divisor: QEMU's link has no baud rate */
    UART0_CTRL = UART_CTRL_TX_EN | UART_CTRL_RX_EN | UART_CTRL_RX_INT;
    NVIC_ISER0 = 1u; /* IRQ 0: UART0 RX */
}

int mps2_uart_getc(void)
{
    if (head == tail) {
        /* The ring may have been full: take what waits in the UART. */
        __asm volatile("cpsid i");
        mps2_uart_rx_isr();
        __asm volatile("cpsie i");
        if (head == tail)
            return -1;
    }
    int c = ring[tail % RING];
    tail++;
    return c;
}

/* Sleeps until a byte or a tick arrives, unless one is already waiting. */
void mps2_uart_wait(void)
{
    __asm volatile("cpsid i");
    if (head == tail && !(UART0_STATE & UART_RX_FULL))
        __asm volatile("wfi");
    __asm volatile("cpsie i");
}

void mps2_uart_write(const uint8_t *p, size_t n)
{
    while (n--) {
        while (UART0_STATE & UART_TX_FULL)
            ;
        UART0_DATA = *p++;
    }
}
