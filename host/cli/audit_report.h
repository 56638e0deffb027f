/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file audit_report.h
 * @brief sbrguard audit report: what the verified enforcement logs of one or
 * more tokens say about an audit period, for a compliance officer (HTML with
 * inline SVG, or CSV / JSON). Built only over logs that au_verify_run()
 * accepts; the figures are computed here once and every format prints them.
 */
#ifndef AUDIT_REPORT_H
#define AUDIT_REPORT_H
#include <stdio.h>
#include "audit.h"

/** Issuances per CA key (key_id zeros: requests the log does not attribute). */
typedef struct {
    uint8_t key_id[AU_HASH_LEN];
    uint16_t handle;
    uint8_t key_type;
    int64_t bound_entry; /**< its CA_BIND entry, or -1 */
    uint64_t accepted, preauthorized, refused, authorized;
} ar_key;

typedef struct {
    char code[AU_MAX_CODE + 1];
    uint64_t count;
} ar_reason;

/** A run of entries under one policy bundle (or blocklist) hash. */
typedef struct {
    const uint8_t *hash;       /**< zeros: none loaded */
    uint64_t first, last;      /**< entries */
    uint64_t t_first, t_last;  /**< their token times */
    int64_t load_entry;        /**< the POLICY_LOAD / BLOCKLIST_LOAD entry that put it in force, or -1 */
    uint64_t value;            /**< that entry's value (bundle version; sequence << 32 | entries) */
} ar_run;

/** One token's verified log and its figures for the report's scope. */
typedef struct {
    const char *dir;
    char key_source[4200]; /**< where the log key came from, in words */
    const char *since;     /**< the --since checkpoint matched to this log, or NULL */
    au_verify_opts vo;
    au_vres v;
    uint64_t lo;           /**< first entry in scope (the --since tree size) */
    uint64_t in_scope, accepted, preauthorized, refused, folded, authorized;
    uint64_t t_min, t_max; /**< token times of the entries in scope */
    ar_key *keys;
    size_t nkeys;
    ar_reason *reasons;
    size_t nreasons;
    ar_run *pol, *blk;
    size_t npol, nblk;
    uint64_t profile_accepted[4][3]; /**< accepted issuances by (type, gen) of the --certs given */
    uint64_t profile_unknown;        /**< accepted issuances whose certificate was not given */
} ar_token;

/** A certificate given with --certs. */
typedef struct {
    const char *path;
    char *owned; /**< path, when read from a --certs DIR (freed with the report) */
    uint8_t hash[AU_HASH_LEN];
    int readable;
    int type, gen;  /**< profile per the policy engine (SBR 7.1.6.1), -1 if unknown */
    int token;      /**< the token whose log holds it, or -1 */
    int64_t entry;  /**< its accepted-issuance entry */
    int in_scope;
} ar_cert;

typedef struct {
    ar_token *t;
    size_t nt;
    ar_cert *certs;
    size_t ncerts;
    int has_from, has_to;
    int64_t from, to; /**< --period, token time, [from, to) */
    int64_t generated;
} ar_report;

/* audit_report_words.c */
/** 1 if entry i of token t is inside the report's scope (--since, --period). */
int ar_in_scope(const ar_report *r, const ar_token *t, uint64_t i);
/** Sentence for an entry ("Certificate signed by CA key 3 ..."). */
void ar_event_words(const au_entry *e, char *out, size_t cap);
/** Short title of an event type ("Issuance accepted"). */
const char *ar_event_title(unsigned ev);
/** The SBR section of a reason code in words ("SBR 7.1.2.3(f)"), and what the rule says (may be ""). */
void ar_reason_words(const char *code, char *section, size_t scap, const char **message);
/** "ECDSA P-384", "RSA 2048", ... */
const char *ar_key_type(unsigned t);
/** "2026-12-07 15:01:45 UTC" */
const char *ar_time(uint64_t t, char *buf, size_t cap);
/** "3 days 2 hours" */
const char *ar_duration(uint64_t s, char *buf, size_t cap);
/** Short hex of a hash, grouped ("3fa2 09bc 11de 7a40"), for naming keys. */
const char *ar_fpr(const uint8_t *h, char *buf, size_t cap);
void ar_hex(const uint8_t *h, size_t n, char *out);
int ar_zero(const uint8_t *h);

/* audit_report_html.c */
void ar_write_html(const ar_report *r, FILE *fp);
/* audit_report_data.c: --format csv and json */
void ar_write_csv(const ar_report *r, FILE *fp);
void ar_write_json(const ar_report *r, FILE *fp);
/* audit_svg.c */
/** Stacked bars of accepted / refused issuances over time, markers for policy
 * loads and clock changes. */
void ar_svg_timeline(const ar_report *r, const ar_token *t, FILE *fp);
/** Horizontal bars, one per label. */
void ar_svg_bars(FILE *fp, const char *title, const char *const *labels, const uint64_t *values, size_t n,
                 const char *color);
/** Writes s HTML-escaped (also for XML attributes and SVG text). */
void ar_esc(FILE *fp, const char *s);

int audit_report(int argc, char **argv);

#endif
