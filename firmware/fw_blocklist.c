/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SBR 6.1.1.3 compromised-key blocklist (docs/blocklist.md) in its own
 * flash area after the board's main sectors: two banks, each a header sector
 * and the entries' 8-byte prefixes, sorted. A load streams the signed file in
 * pieces into the bank not in force; nothing takes effect until the whole
 * file is verified (order, signature, sequence), logged (fw_cmd_blocklist.c),
 * and the bank's header (the commit point, its own hash) is written. At mount the valid
 * bank of this epoch with the higher generation wins, so a cut at any write
 * leaves the old list or the new one.
 */
#include <string.h>
#include "fw.h"
#include "../policy/pol_blocklist.h"
#include "sbrguard/blocklist.h"
#include "sbrguard/hal.h"
#include "sbrguard/hal_crypto.h"
#include "sbrguard/tlv.h"

#define HDR_MAGIC 0x53474248u /* "SGBH" */
#define HDR_LEN FW_BL_HDR_LEN

typedef struct {
    uint32_t gen, epoch, seq, count;
    uint8_t file_hash[32];
} bank_hdr;

static struct {
    uint8_t present;
    unsigned bank;
    bank_hdr h;
    pol_blocklist bl;
} cur;

static struct {
    uint8_t active;
    unsigned chan, bank;
    uint32_t next;
    pol_bl_stream st;
    hal_md_ctx file;
    int werr;
} up;

static uint32_t bank_sectors(void) { return hal_flash_bl_sectors() / 2; }
static uint32_t bank_off(unsigned b)
{
    return (hal_flash_sector_count() + b * bank_sectors()) * hal_flash_sector_size();
}
/* Entries a bank holds: every sector but its header, 8 bytes each. */
uint32_t fw_blocklist_capacity(void)
{
    uint32_t n = bank_sectors();
    return n < 2 ? 0 : (n - 1) * (hal_flash_sector_size() / POL_BL_PREFIX_LEN);
}
static uint32_t entry_off(unsigned b, uint32_t i)
{
    return bank_off(b) + hal_flash_sector_size() + i * POL_BL_PREFIX_LEN;
}

static int read_prefix(const void *arg, uint32_t i, uint8_t out[POL_BL_PREFIX_LEN])
{
    (void)arg;
    return i < cur.h.count && hal_flash_read(entry_off(cur.bank, i), out, POL_BL_PREFIX_LEN) == 0 ? 0 : -1;
}

/* SHA-256 of bank b's first count prefixes, as they read back from flash. */
static int prefixes_hash(unsigned b, uint32_t count, uint8_t out[32])
{
    uint8_t buf[256];
    hal_md_ctx c;
    hal_md_start(&c, HAL_MD_SHA256);
    uint64_t left = (uint64_t)count * POL_BL_PREFIX_LEN;
    for (uint32_t o = 0; left;) {
        size_t n = left < sizeof buf ? (size_t)left : sizeof buf;
        if (hal_flash_read(entry_off(b, 0) + o, buf, n))
            return -1; /* c: public data, no cleanup */
        hal_md_update(&c, buf, n);
        o += (uint32_t)n;
        left -= n;
    }
    return hal_md_finish(&c, out) ? -1 : 0;
}

/* Reads and checks one bank: header hash, then the hash of its prefixes. */
static int load_bank(unsigned b, bank_hdr *h)
{
    uint8_t r[HDR_LEN], want[32];
    if (hal_flash_read(bank_off(b), r, HDR_LEN) || sg_be_get(r, 4) != HDR_MAGIC)
        return -1;
    hal_hash(HAL_MD_SHA256, r, HDR_LEN - 32, want);
    if (memcmp(want, r + HDR_LEN - 32, 32))
        return -1;
    h->gen = (uint32_t)sg_be_get(r + 4, 4);
    h->epoch = (uint32_t)sg_be_get(r + 8, 4);
    h->seq = (uint32_t)sg_be_get(r + 12, 4);
    h->count = (uint32_t)sg_be_get(r + 16, 4);
    memcpy(h->file_hash, r + 20, 32);
    if (h->count > fw_blocklist_capacity() || prefixes_hash(b, h->count, want))
        return -1;
    return memcmp(want, r + 52, 32) ? -1 : 0;
}

int fw_blocklist_mount(void)
{
    bank_hdr h[2];
    int v[2];
    memset(&cur, 0, sizeof cur);
    if (fw_blocklist_capacity() == 0)
        return FW_OK;
    for (unsigned b = 0; b < 2; b++)
        v[b] = load_bank(b, &h[b]) == 0;
    unsigned w = v[1] && (!v[0] || h[1].gen > h[0].gen) ? 1 : 0;
    if (!v[w])
        return FW_OK;
    cur.present = 1;
    cur.bank = w;
    cur.h = h[w];
    cur.bl.count = h[w].count;
    cur.bl.read = read_prefix;
    return FW_OK;
}

/* A list of an older epoch (before INIT_TOKEN) is no list, and no floor. */
static int in_force(void) { return cur.present && cur.h.epoch == fw_token_epoch(); }

const pol_blocklist *fw_blocklist(void) { return in_force() ? &cur.bl : NULL; }
const uint8_t *fw_blocklist_hash(void) { return in_force() ? cur.h.file_hash : NULL; }

void fw_blocklist_upload_end(void)
{
    if (up.active)
        pol_bl_stream_free(&up.st);
    memset(&up, 0, sizeof up);
}

/* Each entry's prefix goes to the new bank as it arrives; a sector is
 * erased when the first entry reaches it. */
static int put_entry(void *arg, uint32_t i, const uint8_t e[POL_BL_ENTRY_LEN])
{
    (void)arg;
    uint32_t off = entry_off(up.bank, i), ss = hal_flash_sector_size();
    if ((off % ss == 0 && hal_flash_erase(off / ss)) || hal_flash_write(off, e, POL_BL_PREFIX_LEN)) {
        up.werr = 1;
        return -1;
    }
    return 0;
}

static int stream_err(int rc)
{
    return rc == POL_BL_E_SIZE ? FW_E_BL_TOO_LARGE : rc == POL_BL_E_SIGNATURE ? FW_E_BL_SIG : FW_E_BL_MALFORMED;
}

int fw_blocklist_in_force(uint32_t *seq, uint32_t *count)
{
    *seq = cur.h.seq;
    *count = cur.h.count;
    return in_force();
}

int fw_blocklist_feed(fw_req *r, uint32_t off, const uint8_t *data, size_t len, uint32_t *next, int *done)
{
    int rc;
    if (fw_blocklist_capacity() == 0)
        return FW_E_BL_TOO_LARGE;
    if (off == 0) {
        /* A new load: the bank not in force, its old header erased first so
         * that no earlier list can be mistaken for this one. */
        fw_blocklist_upload_end();
        up.active = 1;
        up.chan = r->chan;
        up.bank = cur.present ? !cur.bank : 0;
        pol_bl_stream_init(&up.st, fw_blocklist_capacity());
        hal_md_start(&up.file, HAL_MD_SHA256);
        if (hal_flash_erase(bank_off(up.bank) / hal_flash_sector_size())) {
            fw_blocklist_upload_end();
            return FW_E_FLASH;
        }
    } else if (!up.active || up.chan != r->chan || off != up.next) {
        r->msg = "blocklist piece out of order (a load starts at offset 0)";
        return FW_E_BL_MALFORMED;
    }
    hal_md_update(&up.file, data, len);
    rc = pol_bl_stream_feed(&up.st, data, len, fw_blocklist_capacity(), put_entry, NULL);
    if (rc || up.werr) {
        rc = up.werr ? FW_E_FLASH : stream_err(rc);
        if (rc == FW_E_BL_MALFORMED)
            r->msg = "not a blocklist of format 1, or entries not strictly ascending (docs/blocklist.md)";
        fw_blocklist_upload_end();
        return rc;
    }
    *next = up.next = off + (uint32_t)len;
    *done = up.st.done;
    return FW_OK;
}

int fw_blocklist_seal(fw_req *r, uint8_t hdr[FW_BL_HDR_LEN], uint8_t fh[32], uint32_t *seq, uint32_t *count)
{
    const uint8_t *key;
    size_t key_len;
    int rc;
    *seq = up.st.seq;
    *count = up.st.count;
    if ((rc = fw_token_policy_key(&key, &key_len)))
        return rc;
    if ((rc = pol_bl_stream_finish(&up.st, key, key_len))) {
        r->msg = rc == POL_BL_E_SIGNATURE ? "blocklist signature does not verify with the token's policy key"
                                          : "not a blocklist of format 1 (docs/blocklist.md)";
        return stream_err(rc);
    }
    if (in_force() && *seq <= cur.h.seq) {
        r->msg = "blocklist sequence is not above the loaded one (rollback)";
        return FW_E_BL_ROLLBACK;
    }
    hal_md_finish(&up.file, fh);
    sg_be_put(hdr, HDR_MAGIC, 4);
    sg_be_put(hdr + 4, cur.present ? cur.h.gen + 1 : 1, 4);
    sg_be_put(hdr + 8, fw_token_epoch(), 4);
    sg_be_put(hdr + 12, *seq, 4);
    sg_be_put(hdr + 16, *count, 4);
    memcpy(hdr + 20, fh, 32);
    if (prefixes_hash(up.bank, *count, hdr + 52)) /* what the bank holds, read back */
        return FW_E_FLASH;
    hal_hash(HAL_MD_SHA256, hdr, HDR_LEN - 32, hdr + HDR_LEN - 32);
    return FW_OK;
}

int fw_blocklist_adopt(const uint8_t hdr[FW_BL_HDR_LEN])
{
    bank_hdr h;
    if (hal_flash_write(bank_off(up.bank), hdr, HDR_LEN) || load_bank(up.bank, &h))
        return FW_E_FLASH;
    cur.present = 1;
    cur.bank = up.bank;
    cur.h = h;
    cur.bl.count = h.count;
    cur.bl.read = read_prefix;
    return FW_OK;
}
