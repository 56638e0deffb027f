/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Power-safe record store. Each slot owns two areas (copies) of FW_REC_SIZE
 * bytes. A new record is written to the copy that does not hold the current
 * one: erase, body, then header, whose SHA-256 covers header and body. At
 * mount the valid copy with the higher generation wins, so a cut at any
 * write leaves either the old record or the new one, never a mix.
 */
#include <string.h>
#include "fw.h"
#include "sbrguard/hal_crypto.h"
#include "sbrguard/hal.h"
#include "sbrguard/tlv.h"

#define FW_REC_SIZE 4096u
#define REC_MAGIC 0x53475231u /* "SGR1" */
#define HDR_LEN 48u           /* magic, gen, epoch, len, type, pad, sha256 */
#define HASH_OFF 16u

typedef struct {
    uint32_t gen, epoch;
    uint16_t len;
    uint8_t type, copy; /* copy: 0/1 holds the current record, 2: none */
} slot_state;

static slot_state slots[FW_STORE_ALL_SLOTS];
static uint8_t rec[FW_REC_SIZE];

static uint32_t area_off(unsigned slot, unsigned copy)
{
    return (uint32_t)(2u * slot + copy) * FW_REC_SIZE;
}

static void rec_hash(const uint8_t *r, size_t body_len, uint8_t out[32])
{
    hal_md_ctx h;
    hal_md_start(&h, HAL_MD_SHA256);
    hal_md_update(&h, r, HASH_OFF);
    hal_md_update(&h, r + HDR_LEN, body_len);
    hal_md_finish(&h, out);
}

/* Loads one copy into rec and checks it; 0 if valid. */
/* Loads one copy into rec and checks it; 0 if valid, with its header in st
 * (copy field set too). */
static int load_copy(unsigned slot, unsigned copy, slot_state *st)
{
    uint8_t want[32];
    if (hal_flash_read(area_off(slot, copy), rec, HDR_LEN))
        return FW_E_FLASH;
    uint32_t len = (uint32_t)sg_be_get(rec + 12, 2);
    if (sg_be_get(rec, 4) != REC_MAGIC || len > FW_REC_SIZE - HDR_LEN)
        return FW_E_CORRUPT;
    if (hal_flash_read(area_off(slot, copy) + HDR_LEN, rec + HDR_LEN, len))
        return FW_E_FLASH;
    rec_hash(rec, len, want);
    uint8_t diff = 0;
    for (size_t i = 0; i < 32; i++)
        diff |= want[i] ^ rec[HASH_OFF + i];
    if (diff)
        return FW_E_CORRUPT;
    st->gen = (uint32_t)sg_be_get(rec + 4, 4);
    st->epoch = (uint32_t)sg_be_get(rec + 8, 4);
    st->len = (uint16_t)len;
    st->type = rec[14];
    st->copy = (uint8_t)copy;
    return FW_OK;
}

int fw_store_mount(void)
{
    uint32_t ss = hal_flash_sector_size();
    if (ss == 0 || FW_REC_SIZE % ss ||
        (uint64_t)hal_flash_sector_count() * ss < (uint64_t)2 * FW_STORE_ALL_SLOTS * FW_REC_SIZE)
        return FW_E_FLASH;
    for (unsigned s = 0; s < FW_STORE_ALL_SLOTS; s++) {
        /* Each copy is read and checked once; the higher generation wins. */
        slot_state c0, c1;
        int v0 = load_copy(s, 0, &c0) == FW_OK;
        int v1 = load_copy(s, 1, &c1) == FW_OK;
        if (v1 && (!v0 || c1.gen > c0.gen))
            slots[s] = c1;
        else if (v0)
            slots[s] = c0;
        else
            slots[s] = (slot_state){ .copy = 2 };
    }
    fw_zeroize(rec, sizeof rec);
    return FW_OK;
}

uint8_t fw_store_type(unsigned slot, uint32_t *epoch)
{
    if (slot >= FW_STORE_ALL_SLOTS || slots[slot].copy == 2)
        return FW_REC_TYPE_FREE;
    if (epoch)
        *epoch = slots[slot].epoch;
    return slots[slot].type;
}

int fw_store_read(unsigned slot, const uint8_t **body, size_t *len)
{
    if (slot >= FW_STORE_ALL_SLOTS || slots[slot].copy == 2)
        return FW_E_NO_OBJECT;
    /* Re-checked on every read: flash contents are not trusted between boots. */
    slot_state check;
    int rc = load_copy(slot, slots[slot].copy, &check);
    if (rc)
        return rc;
    *body = rec + HDR_LEN;
    *len = slots[slot].len;
    return FW_OK;
}

uint8_t *fw_store_compose(size_t *cap)
{
    *cap = FW_REC_SIZE - HDR_LEN;
    return rec + HDR_LEN;
}

int fw_store_commit(unsigned slot, uint8_t type, uint32_t epoch, size_t len)
{
    if (slot >= FW_STORE_ALL_SLOTS || len > FW_REC_SIZE - HDR_LEN)
        return FW_E_INTERNAL;
    slot_state *st = &slots[slot];
    unsigned copy = st->copy == 0 ? 1 : 0;
    uint32_t gen = st->copy == 2 ? 1 : st->gen + 1, ss = hal_flash_sector_size();
    sg_be_put(rec, REC_MAGIC, 4);
    sg_be_put(rec + 4, gen, 4);
    sg_be_put(rec + 8, epoch, 4);
    sg_be_put(rec + 12, len, 2);
    rec[14] = type;
    rec[15] = 0;
    rec_hash(rec, len, rec + HASH_OFF);
    int rc = FW_OK;
    for (uint32_t o = 0; o < FW_REC_SIZE && rc == FW_OK; o += ss)
        rc = hal_flash_erase((area_off(slot, copy) + o) / ss);
    /* Body before header: the header is the commit point. */
    if (rc == FW_OK && len)
        rc = hal_flash_write(area_off(slot, copy) + HDR_LEN, rec + HDR_LEN, len);
    if (rc == FW_OK)
        rc = hal_flash_write(area_off(slot, copy), rec, HDR_LEN);
    fw_zeroize(rec, sizeof rec);
    if (rc != FW_OK)
        return FW_E_FLASH;
    st->copy = (uint8_t)copy;
    st->gen = gen;
    st->epoch = epoch;
    st->len = (uint16_t)len;
    st->type = type;
    return FW_OK;
}

int fw_store_scrub(unsigned slot)
{
    uint32_t ss = hal_flash_sector_size();
    if (slot >= FW_STORE_ALL_SLOTS || slots[slot].copy > 1)
        return FW_E_INTERNAL;
    /* The current copy (a FREE record, or a key record rewritten without
     * its private key) stays; the other, older one is erased. */
    unsigned other = slots[slot].copy == 0 ? 1 : 0;
    for (uint32_t o = 0; o < FW_REC_SIZE; o += ss)
        if (hal_flash_erase((area_off(slot, other) + o) / ss))
            return FW_E_FLASH;
    return FW_OK;
}

void fw_store_wipe(void) { fw_zeroize(rec, sizeof rec); }

uint32_t fw_store_end(void) { return 2u * FW_STORE_ALL_SLOTS * FW_REC_SIZE; }
