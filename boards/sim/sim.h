/* SPDX-License-Identifier: Apache-2.0 */
/* The sim board: flash in memory (a mapped file for the token process),
 * with power-cut injection for tests. */
#ifndef SIM_H
#define SIM_H
#include <stddef.h>
#include <stdint.h>

#define SIM_SECTOR_SIZE 4096u
#define SIM_SECTOR_COUNT 128u /* 66 store + 2 log state + 2 policy bundle + 58 log region */
/* Blocklist: two banks of 1 header + 196 entry sectors = 100,352 keys (docs/blocklist.md). */
#define SIM_BL_SECTORS 394u
#define SIM_FLASH_SIZE (SIM_SECTOR_SIZE * (SIM_SECTOR_COUNT + SIM_BL_SECTORS))

/** Uses mem (SIM_FLASH_SIZE bytes) as the flash. */
void sim_flash_attach(uint8_t *mem);
/**
 * Power cut: the n-th flash operation (write or erase, counted from 1 after
 * this call) stops halfway and every later one is ignored. 0 disables.
 */
void sim_flash_cut_at(unsigned long n);
/** Flash operations since the last sim_flash_cut_at(); nonzero once cut. */
unsigned long sim_flash_ops(void);
int sim_flash_was_cut(void);
/**
 * Emulates a smaller flash part: hal_flash_sector_count() reports n sectors
 * (at most SIM_SECTOR_COUNT; 0 restores the full size). For tests that fill
 * the log region.
 */
void sim_flash_set_sectors(uint32_t n);
/** Sets the token clock (seconds since 1970) for tests; 0: the host's clock. */
void sim_clock_set(uint64_t t);

#endif
