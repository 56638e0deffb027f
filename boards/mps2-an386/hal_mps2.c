/* SPDX-License-Identifier: Apache-2.0 */
/*
 * HAL of mps2-an386. QEMU's board lacks three parts a real token has; each
 * has the nearest honest stand-in:
 * - persistent flash: a host file (mps2-flash.bin in QEMU's working folder)
 *   through semihosting, with NOR semantics kept here (erase to 0xFF, a
 *   write only clears bits);
 * - a true RNG: a 32-byte seed provisioned by the host when the token is
 *   first started (mps2-seed.bin), mixed with what the emulator offers
 *   (host time, SysTick phase, arrival times of link bytes) and replaced by
 *   a one-way successor at every boot, so no two runs share a pool;
 * - a battery-backed clock: the host's clock (semihosting SYS_TIME) keeps
 *   time while QEMU is off, SysTick counts it while it runs, and the
 *   security officer's SET_TIME offset is kept in mps2-rtc.bin.
 */
#include <string.h>
#include "mbedtls/sha256.h"
#include "mps2.h"
#include "sbrguard/hal.h"

#define SECTOR 4096u
#define SECTORS 128u /* as the sim board: 66 store + 2 log state + 60 log */
/* Blocklist: two banks of 1 header + 16 entry sectors = 8,192 keys each
 * (docs/blocklist.md: the part models 512 KiB + 136 KiB of NOR). */
#define BL_SECTORS 34u
#define ALL (SECTOR * (SECTORS + BL_SECTORS))
#define CHUNK 64u

static int flash_fd = -1, rtc_fd = -1;
static uint8_t pool[32];
static uint32_t pool_ctr, jitter;
static int pool_ready;
static uint64_t boot_time;
static int64_t rtc_offset;

uint32_t hal_flash_sector_size(void) { return SECTOR; }
uint32_t hal_flash_sector_count(void) { return SECTORS; }
uint32_t hal_flash_bl_sectors(void) { return BL_SECTORS; }

static int in_range(uint32_t off, size_t len)
{
    return flash_fd >= 0 && off <= ALL && len <= ALL - off;
}

int hal_flash_read(uint32_t off, void *buf, size_t len)
{
    if (!in_range(off, len) || mps2_sh_seek(flash_fd, off))
        return -1;
    return len ? mps2_sh_read(flash_fd, buf, len) : 0;
}

int hal_flash_write(uint32_t off, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    uint8_t cur[CHUNK];
    if (!in_range(off, len))
        return -1;
    len = mps2_test_flash_op(len);
    while (len) {
        size_t n = len < CHUNK ? len : CHUNK;
        if (hal_flash_read(off, cur, n))
            return -1;
        for (size_t i = 0; i < n; i++)
            cur[i] &= p[i]; /* NOR: a write only clears bits */
        if (mps2_sh_seek(flash_fd, off) || mps2_sh_write(flash_fd, cur, n))
            return -1;
        off += (uint32_t)n;
        p += n;
        len -= n;
    }
    mps2_test_after_flash_op();
    return 0;
}

static int fill_ff(uint32_t off, uint32_t len)
{
    uint8_t ff[CHUNK];
    memset(ff, 0xFF, sizeof ff);
    if (mps2_sh_seek(flash_fd, off))
        return -1;
    for (uint32_t o = 0; o < len; o += CHUNK)
        if (mps2_sh_write(flash_fd, ff, CHUNK))
            return -1;
    return 0;
}

int hal_flash_erase(uint32_t sector)
{
    if (flash_fd < 0 || sector >= SECTORS + BL_SECTORS)
        return -1;
    int rc = fill_ff(sector * SECTOR, (uint32_t)mps2_test_flash_op(SECTOR));
    mps2_test_after_flash_op();
    return rc;
}

/* Opens a host file for update, creating it if missing. */
static int open_rw(const char *name)
{
    int fd = mps2_sh_open(name, MPS2_SH_RWB);
    if (fd < 0) {
        fd = mps2_sh_open(name, MPS2_SH_WB);
        if (fd >= 0) {
            mps2_sh_close(fd);
            fd = mps2_sh_open(name, MPS2_SH_RWB);
        }
    }
    return fd;
}

static void pool_mix(const char *label, const void *p, size_t n)
{
    mbedtls_sha256_context h;
    uint32_t noise[3] = { SYST_CVR, (uint32_t)mps2_ticks(), jitter };
    mbedtls_sha256_init(&h);
    mbedtls_sha256_starts(&h, 0);
    mbedtls_sha256_update(&h, (const uint8_t *)label, strlen(label));
    mbedtls_sha256_update(&h, pool, sizeof pool);
    mbedtls_sha256_update(&h, (const uint8_t *)noise, sizeof noise);
    mbedtls_sha256_update(&h, p, n);
    mbedtls_sha256_finish(&h, pool);
    mbedtls_sha256_free(&h);
}

/* The provisioned seed, replaced by its one-way successor before use. */
static int seed_init(void)
{
    uint8_t seed[32], next[32];
    int fd = mps2_sh_open("mps2-seed.bin", MPS2_SH_RWB), rc = -1;
    if (fd < 0)
        return -1;
    if (mps2_sh_flen(fd) >= (long)sizeof seed && !mps2_sh_read(fd, seed, sizeof seed)) {
        uint32_t t = mps2_sh_time();
        pool_mix("sbrguard mps2 seed", seed, sizeof seed);
        pool_mix("host time", &t, sizeof t);
        memcpy(next, pool, sizeof next);
        pool_mix("pool", NULL, 0); /* the pool is not the stored successor */
        if (!mps2_sh_seek(fd, 0) && !mps2_sh_write(fd, next, sizeof next))
            rc = 0;
    }
    mps2_sh_close(fd);
    memset(seed, 0, sizeof seed);
    memset(next, 0, sizeof next);
    return rc;
}

void mps2_rng_jitter(uint32_t v) { jitter = (jitter << 5 | jitter >> 27) ^ v ^ SYST_CVR; }

int hal_rng_fill(void *buf, size_t len)
{
    uint8_t *p = buf, block[32];
    if (!pool_ready)
        return -1;
    while (len) {
        size_t n = len < sizeof block ? len : sizeof block;
        pool_ctr++;
        pool_mix("fill", &pool_ctr, sizeof pool_ctr);
        memcpy(block, pool, sizeof block);
        pool_mix("ratchet", NULL, 0); /* what was handed out is not the pool */
        memcpy(p, block, n);
        p += n;
        len -= n;
    }
    memset(block, 0, sizeof block);
    return 0;
}

uint64_t hal_clock_now(void)
{
    return (uint64_t)((int64_t)boot_time + (int64_t)(mps2_ticks() / MPS2_TICK_HZ) + rtc_offset);
}

int hal_clock_set(uint64_t now)
{
    uint8_t b[8];
    int64_t off = (int64_t)now - (int64_t)boot_time - (int64_t)(mps2_ticks() / MPS2_TICK_HZ);
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)((uint64_t)off >> (56 - 8 * i));
    if (rtc_fd < 0 || mps2_sh_seek(rtc_fd, 0) || mps2_sh_write(rtc_fd, b, sizeof b))
        return -1;
    rtc_offset = off;
    return 0;
}

void hal_reset(void) { mps2_reset_for(MPS2_RST_SOFTWARE, 0); }

int mps2_hal_init(void)
{
    uint8_t b[8];
    boot_time = mps2_sh_time();
    rtc_fd = open_rw("mps2-rtc.bin");
    if (rtc_fd >= 0 && mps2_sh_flen(rtc_fd) == 8 && !mps2_sh_read(rtc_fd, b, 8)) {
        uint64_t v = 0;
        for (int i = 0; i < 8; i++)
            v = v << 8 | b[i];
        rtc_offset = (int64_t)v;
    }
    pool_ready = seed_init() == 0;
    flash_fd = open_rw("mps2-flash.bin");
    if (flash_fd < 0)
        return -1;
    /* A new (or shorter) file is erased flash where it has no bytes. */
    long have = mps2_sh_flen(flash_fd);
    if (have < 0)
        have = 0;
    have -= have % (long)SECTOR;
    if ((uint32_t)have < ALL && fill_ff((uint32_t)have, ALL - (uint32_t)have))
        return -1;
    return 0;
}
