/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file hal.h
 * @brief The narrow hardware abstraction every board implements.
 *
 * The firmware never includes a board header. Flash follows NOR semantics:
 * erase sets a sector to 0xFF, a write may only clear bits, and a power cut
 * may leave any prefix of an interrupted write or erase done.
 */
#ifndef SBRGUARD_HAL_H
#define SBRGUARD_HAL_H
#include <stddef.h>
#include <stdint.h>

/** Flash geometry: sector size in bytes and number of sectors. */
uint32_t hal_flash_sector_size(void);
uint32_t hal_flash_sector_count(void);
/** Sectors reserved after the hal_flash_sector_count() ones for the SBR 6.1.1.3
 * blocklist (two banks, docs/blocklist.md); offsets there are read, written
 * and erased with the same calls. 0: the board keeps no blocklist. */
uint32_t hal_flash_bl_sectors(void);
/** 0 on success, negative on a flash error. */
int hal_flash_read(uint32_t off, void *buf, size_t len);
int hal_flash_write(uint32_t off, const void *buf, size_t len);
int hal_flash_erase(uint32_t sector);

/** Fills buf with entropy for the DRBG's seed; 0 on success. */
int hal_rng_fill(void *buf, size_t len);

/** Token clock: seconds since 1970-01-01 UTC. */
uint64_t hal_clock_now(void);
/** Sets the token clock (SET_TIME, security officer); 0 on success. */
int hal_clock_set(uint64_t now);

/** Appends the board's diagnostic TLVs (tags 0x68-0x6F: reset cause,
 * stack use, ...) for BOARD_INFO; 0 on success, -1 if out is too small. */
int hal_board_info(uint8_t *out, size_t cap, size_t *len);

/** Resets the device; does not return on hardware. */
void hal_reset(void);

#endif
