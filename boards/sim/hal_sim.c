/* SPDX-License-Identifier: Apache-2.0 */
/* HAL of the sim board: NOR-like flash in memory, getrandom(), time(). */
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include "sbrguard/hal.h"
#include "sbrguard/proto.h"
#include "sbrguard/tlv.h"
#include "sim.h"

static uint8_t *flash;
static unsigned long ops, cut_at;
static int cut;

void sim_flash_attach(uint8_t *mem) { flash = mem; }
void sim_flash_cut_at(unsigned long n)
{
    cut_at = n;
    ops = 0;
    cut = 0;
}
unsigned long sim_flash_ops(void) { return ops; }
int sim_flash_was_cut(void) { return cut; }

uint32_t hal_flash_sector_size(void) { return SIM_SECTOR_SIZE; }
static uint32_t sectors = SIM_SECTOR_COUNT;
void sim_flash_set_sectors(uint32_t n) { sectors = n && n <= SIM_SECTOR_COUNT ? n : SIM_SECTOR_COUNT; }
uint32_t hal_flash_sector_count(void) { return sectors; }
uint32_t hal_flash_bl_sectors(void) { return SIM_BL_SECTORS; }

/* The main sectors (maybe fewer, sim_flash_set_sectors) or the blocklist's,
 * which stay at the end of the full part. */
static int in_range(uint32_t off, size_t len)
{
    uint64_t o = off, bl = (uint64_t)SIM_SECTOR_COUNT * SIM_SECTOR_SIZE;
    if (o + len <= (uint64_t)sectors * SIM_SECTOR_SIZE)
        return 1;
    return o >= bl && o + len <= SIM_FLASH_SIZE;
}

int hal_flash_read(uint32_t off, void *buf, size_t len)
{
    if (!flash || !in_range(off, len))
        return -1;
    memcpy(buf, flash + off, len);
    return 0;
}

/* Returns how many bytes of an operation of len bytes happen before the
 * power goes: all, half (the cut one), or none (after the cut). */
static size_t survive(size_t len)
{
    if (cut)
        return 0;
    ops++;
    if (cut_at && ops == cut_at) {
        cut = 1;
        return len / 2;
    }
    return len;
}

int hal_flash_write(uint32_t off, const void *buf, size_t len)
{
    if (!flash || !in_range(off, len))
        return -1;
    size_t n = survive(len);
    const uint8_t *p = buf;
    for (size_t i = 0; i < n; i++)
        flash[off + i] &= p[i]; /* NOR: a write only clears bits */
    return 0;
}

int hal_flash_erase(uint32_t sector)
{
    if (!flash || (sector >= sectors && (sector < SIM_SECTOR_COUNT || sector >= SIM_SECTOR_COUNT + SIM_BL_SECTORS)))
        return -1;
    memset(flash + (size_t)sector * SIM_SECTOR_SIZE, 0xFF, survive(SIM_SECTOR_SIZE));
    return 0;
}

int hal_rng_fill(void *buf, size_t len)
{
    uint8_t *p = buf;
    while (len) {
        ssize_t n = getrandom(p, len, 0);
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static uint64_t fixed_clock;
static int64_t clock_offset; /* SET_TIME: until the process ends */
void sim_clock_set(uint64_t t) { fixed_clock = t; }
uint64_t hal_clock_now(void)
{
    return fixed_clock ? fixed_clock : (uint64_t)((int64_t)time(NULL) + clock_offset);
}
int hal_clock_set(uint64_t now)
{
    if (fixed_clock)
        fixed_clock = now;
    else
        clock_offset = (int64_t)now - (int64_t)time(NULL);
    return 0;
}

int hal_board_info(uint8_t *out, size_t cap, size_t *len)
{
    static const char name[] = "sim";
    *len = 0;
    return sg_tlv_append(out, cap, len, SG_T_BOARD, name, sizeof name - 1) ? -1 : 0;
}

void hal_reset(void) { abort(); }
