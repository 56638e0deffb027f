/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Security-state events of the log (issue 16, docs/log.md): a log-full
 * episode is one LOG_FULL entry (with the event that did not fit), not
 * repeated by further refusals, by LOG_INFO or across a reboot, and a new
 * one after the acknowledgement that ended the episode; a board that
 * reports no reset cause (the sim) adds no RESET entry at boot.
 */
#include "check.h"
#include "logtest.h"

static lt_ca ca;
static char note[SG_LOG_MAX_NOTE + 1];

static unsigned count_event(uint64_t from, uint64_t to, uint8_t ev)
{
    unsigned n = 0;
    for (uint64_t i = from; i < to; i++)
        n += lt_e[i].b[SG_LOG_OFF_EVENT] == ev;
    return n;
}

/* Issues until the token says the log is full; the size then. */
static uint64_t fill(unsigned *serial)
{
    th_resp r;
    int n = 0;
    do {
        r = lt_issue(&ca, (*serial)++, 0);
    } while (r.status == SG_ST_OK && ++n < 3000);
    return r.status == SG_ST_LOG_FULL ? lt_log_info().size : 0;
}

int main(void)
{
    unsigned serial = 1;
    CHECK(lt_setup(70 + 6, &ca) == 0, "token with a 24 KiB log region, CA key bound, bundle loaded");
    uint64_t sz = fill(&serial);
    lt_info in = lt_log_info();
    CHECK(sz && (in.status & SG_LOG_ST_FULL), "issuances until the log is full (%llu entries)", (unsigned long long)sz);
    CHECK(lt_read(in.min) == (long)(sz - in.min), "entries read");
    const lt_entry *last = &lt_e[sz - 1];
    CHECK(last->b[SG_LOG_OFF_EVENT] == SG_LOG_EV_LOG_FULL &&
              sg_be_get(last->b + SG_LOG_OFF_VALUE, 8) == SG_LOG_EV_ISSUE_ACCEPTED &&
              count_event(in.min, sz, SG_LOG_EV_LOG_FULL) == 1,
          "one LOG_FULL entry, the last, naming the issuance that did not fit");
    th_resp r = lt_issue(&ca, serial++, 0);
    lt_log_info();
    CHECK(r.status == SG_ST_LOG_FULL && lt_log_info().size == sz, "a second refusal and LOG_INFO add nothing");
    th_boot();
    th_login(0, SG_USER_USER, LT_PIN);
    CHECK(lt_log_info().size == sz, "reboot on the sim (no reset cause reported): no RESET entry");
    r = lt_issue(&ca, serial++, 0);
    CHECK(r.status == SG_ST_LOG_FULL && lt_log_info().size == sz, "after the reboot the same episode is not logged again");

    /* Export and acknowledge: the episode ends; the next one is logged. */
    size_t nl = 0;
    CHECK(lt_checkpoint(SG_LOG_CP_EXPORT, note, sizeof note, &nl) == 0, "export checkpoint of the full log");
    th_begin();
    th_send(0, SG_CMD_LOGOUT);
    th_login(0, SG_USER_SO, LT_SO);
    th_begin();
    th_put(SG_T_LOG_NOTE, note, nl);
    CHECK(th_send(0, SG_CMD_LOG_ACK).status == SG_ST_OK, "SO acknowledges the export");
    th_begin();
    th_send(0, SG_CMD_LOGOUT);
    th_login(0, SG_USER_USER, LT_PIN);
    uint64_t base = lt_log_info().min, sz2 = fill(&serial);
    CHECK(sz2 > sz && lt_read(base) == (long)(sz2 - base), "filled again after the acknowledgement");
    CHECK(lt_e[sz2 - 1].b[SG_LOG_OFF_EVENT] == SG_LOG_EV_LOG_FULL && count_event(base, sz2, SG_LOG_EV_LOG_FULL) == 1 &&
              lt_e[base].b[SG_LOG_OFF_EVENT] == SG_LOG_EV_LOG_ACK,
          "a second episode: one more LOG_FULL entry after the LOG_ACK");
    th_begin();
    th_send(0, SG_CMD_LOGOUT);
    th_login(0, SG_USER_SO, LT_SO);
    CHECK(lt_checkpoint(SG_LOG_CP_EXPORT, note, sizeof note, &nl) == 0, "second export");
    th_begin();
    th_put(SG_T_LOG_NOTE, note, nl);
    th_resp ack = th_send(0, SG_CMD_LOG_ACK);
    CHECK(ack.status == SG_ST_OK && lt_log_info().size == sz2 + 1 && lt_read(sz2) == 1 &&
              lt_e[sz2].b[SG_LOG_OFF_EVENT] == SG_LOG_EV_LOG_ACK,
          "the LOG_FULL entry left room in the system reserve: the second acknowledgement is logged");
    sim_flash_set_sectors(0);
    return CHECK_DONE();
}
