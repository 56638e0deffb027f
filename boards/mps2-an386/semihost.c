/* SPDX-License-Identifier: Apache-2.0 */
/* ARM semihosting calls (QEMU -semihosting): host files and host time. */
#include <string.h>
#include "mps2.h"

static int sh_call(uint32_t op, const void *arg)
{
    register uint32_t r0 __asm("r0") = op;
    register const void *r1 __asm("r1") = arg;
    __asm volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
    return (int)r0;
}

int mps2_sh_open(const char *path, int mode)
{
    uint32_t a[3] = { (uint32_t)path, (uint32_t)mode, (uint32_t)strlen(path) };
    return sh_call(0x01, a);
}

int mps2_sh_close(int fd)
{
    uint32_t a[1] = { (uint32_t)fd };
    return sh_call(0x02, a);
}

/* SYS_READ / SYS_WRITE return the number of bytes NOT transferred. */
int mps2_sh_read(int fd, void *buf, size_t n)
{
    uint32_t a[3] = { (uint32_t)fd, (uint32_t)buf, (uint32_t)n };
    return sh_call(0x06, a) == 0 ? 0 : -1;
}

int mps2_sh_write(int fd, const void *buf, size_t n)
{
    uint32_t a[3] = { (uint32_t)fd, (uint32_t)buf, (uint32_t)n };
    return sh_call(0x05, a) == 0 ? 0 : -1;
}

int mps2_sh_seek(int fd, uint32_t pos)
{
    uint32_t a[2] = { (uint32_t)fd, pos };
    return sh_call(0x0A, a) == 0 ? 0 : -1;
}

long mps2_sh_flen(int fd)
{
    uint32_t a[1] = { (uint32_t)fd };
    return sh_call(0x0C, a);
}

uint32_t mps2_sh_time(void) { return (uint32_t)sh_call(0x11, 0); }

void mps2_sh_exit(int code)
{
    /* ADP_Stopped_ApplicationExit, with the code (SYS_EXIT_EXTENDED form). */
    uint32_t a[2] = { 0x20026u, (uint32_t)code };
    sh_call(0x20, a);
    for (;;)
        ;
}
