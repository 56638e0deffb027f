/* SPDX-License-Identifier: Apache-2.0 */
/* Inline SVG charts of the audit report: no script, no external font or
 * image; the figures are also in the tables next to them. */
#include <stdio.h>
#include <string.h>
#include "audit_report.h"

#define BINS 48
#define W 760
#define H 220
#define PAD_L 48
#define PAD_R 12
#define PAD_T 16
#define PAD_B 42

void ar_esc(FILE *fp, const char *s)
{
    for (; *s; s++)
        switch (*s) {
        case '<': fputs("&lt;", fp); break;
        case '>': fputs("&gt;", fp); break;
        case '&': fputs("&amp;", fp); break;
        case '"': fputs("&quot;", fp); break;
        case '\'': fputs("&#39;", fp); break;
        default:
            if ((unsigned char)*s < 0x20)
                fputc(' ', fp);
            else
                fputc(*s, fp);
        }
}

static int marker(const au_entry *e)
{
    return e->event == AU_EV_POLICY_LOAD || e->event == AU_EV_BLOCKLIST_LOAD || e->event == AU_EV_SET_TIME ||
           e->event == AU_EV_TOKEN_INIT || e->event == AU_EV_RESET || e->event == AU_EV_LOG_FULL;
}

void ar_svg_timeline(const ar_report *r, const ar_token *t, FILE *fp)
{
    uint64_t acc[BINS] = { 0 }, ref[BINS] = { 0 }, peak = 1;
    uint64_t t0 = r->has_from && (uint64_t)r->from < t->t_min ? (uint64_t)r->from : t->t_min;
    uint64_t t1 = r->has_to && (uint64_t)r->to > t->t_max ? (uint64_t)r->to : t->t_max + 1;
    if (t1 <= t0)
        t1 = t0 + 1;
    double span = (double)(t1 - t0);
    for (uint64_t i = 0; i < t->v.log.n; i++) {
        const au_entry *e = &t->v.parsed[i];
        if (!ar_in_scope(r, t, i) || e->time < t0 || e->time >= t1)
            continue;
        unsigned b = (unsigned)((double)(e->time - t0) / span * BINS);
        b = b >= BINS ? BINS - 1 : b;
        if (e->event == AU_EV_ISSUE_ACCEPTED)
            acc[b]++;
        else if (e->event == AU_EV_ISSUE_REFUSED || e->event == AU_EV_AUTHZ_REFUSED || e->event == AU_EV_ESCROW_REFUSED)
            ref[b]++;
        else if (e->event == AU_EV_REFUSAL_SUMMARY)
            ref[b] += e->value;
    }
    for (unsigned b = 0; b < BINS; b++)
        peak = acc[b] + ref[b] > peak ? acc[b] + ref[b] : peak;
    peak = (peak + 3) / 4 * 4; /* whole numbers on the four gridlines */
    double pw = W - PAD_L - PAD_R, ph = H - PAD_T - PAD_B, bw = pw / BINS;
    char a[40], z[40], d[64];
    fprintf(fp, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
                "role=\"img\" aria-label=\"Issuances accepted and refused over time\">\n", W, H, W, H);
    fprintf(fp, "<title>Issuances accepted (green) and refused (red) over time, %s per bar</title>\n",
            ar_duration((t1 - t0 + BINS - 1) / BINS, d, sizeof d));
    fprintf(fp, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"#fafafa\" stroke=\"#ccc\"/>\n", PAD_L,
            PAD_T, pw, ph);
    for (int g = 0; g <= 4; g++) { /* gridlines with counts */
        double y = PAD_T + ph - ph * g / 4.0;
        fprintf(fp, "<line x1=\"%d\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>"
                    "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\" fill=\"#555\">%llu</text>\n",
                PAD_L, PAD_L + pw, y, y, PAD_L - 4, y + 3, (unsigned long long)(peak * (uint64_t)g / 4));
    }
    for (unsigned b = 0; b < BINS; b++) {
        double x = PAD_L + b * bw + 1, ha = ph * (double)acc[b] / (double)peak, hr = ph * (double)ref[b] / (double)peak;
        if (acc[b])
            fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#2e7d32\"><title>%llu accepted</title></rect>\n",
                    x, PAD_T + ph - ha, bw - 2, ha, (unsigned long long)acc[b]);
        if (ref[b])
            fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#c62828\"><title>%llu refused</title></rect>\n",
                    x, PAD_T + ph - ha - hr, bw - 2, hr, (unsigned long long)ref[b]);
    }
    for (uint64_t i = 0; i < t->v.log.n; i++) { /* state changes as dashed lines */
        const au_entry *e = &t->v.parsed[i];
        if (!ar_in_scope(r, t, i) || !marker(e) || e->time < t0 || e->time >= t1)
            continue;
        double x = PAD_L + pw * (double)(e->time - t0) / span;
        const char *c = e->event == AU_EV_SET_TIME ? "#ef6c00" : e->event == AU_EV_TOKEN_INIT ? "#6a1b9a" : "#1565c0";
        fprintf(fp, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-dasharray=\"4 3\">"
                    "<title>entry %llu: %s</title></line>\n",
                x, x, PAD_T, PAD_T + ph, c, (unsigned long long)i, ar_event_title(e->event));
    }
    fprintf(fp, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#333\">%s</text>"
                "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"end\" fill=\"#333\">%s</text>\n",
            PAD_L, H - PAD_B + 16, ar_time(t0, a, sizeof a), PAD_L + pw, H - PAD_B + 16, ar_time(t1, z, sizeof z));
    fprintf(fp, "<g font-size=\"11\" fill=\"#333\"><rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"#2e7d32\"/>"
                "<text x=\"%d\" y=\"%d\">accepted</text>"
                "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"#c62828\"/><text x=\"%d\" y=\"%d\">refused</text>"
                "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#1565c0\" stroke-dasharray=\"4 3\"/>"
                "<text x=\"%d\" y=\"%d\">policy or blocklist load</text>"
                "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#ef6c00\" stroke-dasharray=\"4 3\"/>"
                "<text x=\"%d\" y=\"%d\">clock set</text></g>\n",
            PAD_L, H - 16, PAD_L + 14, H - 7, PAD_L + 90, H - 16, PAD_L + 104, H - 7, PAD_L + 170, PAD_L + 170, H - 18,
            H - 6, PAD_L + 176, H - 7, PAD_L + 330, PAD_L + 330, H - 18, H - 6, PAD_L + 336, H - 7);
    fputs("</svg>\n", fp);
}

void ar_svg_bars(FILE *fp, const char *title, const char *const *labels, const uint64_t *values, size_t n,
                 const char *color)
{
    uint64_t peak = 1;
    const int row = 22, lw = 300, bwmax = W - lw - 70;
    for (size_t i = 0; i < n; i++)
        peak = values[i] > peak ? values[i] : peak;
    int h = (int)n * row + 8;
    fprintf(fp, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
                "role=\"img\" aria-label=\"",
            W, h, W, h);
    ar_esc(fp, title);
    fputs("\"><title>", fp);
    ar_esc(fp, title);
    fputs("</title>\n", fp);
    for (size_t i = 0; i < n; i++) {
        int y = 4 + (int)i * row;
        double bw = (double)bwmax * (double)values[i] / (double)peak;
        fprintf(fp, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\" fill=\"#333\">", lw - 6, y + 14);
        char lab[64];
        snprintf(lab, sizeof lab, "%s", labels[i]);
        if (strlen(labels[i]) > 48)
            memcpy(lab + 45, "...", 4);
        ar_esc(fp, lab);
        fprintf(fp, "</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>"
                    "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" fill=\"#333\">%llu</text>\n",
                lw, y + 3, bw < 1 ? 1 : bw, row - 6, color, lw + (bw < 1 ? 1 : bw) + 4, y + 14,
                (unsigned long long)values[i]);
    }
    fputs("</svg>\n", fp);
}
