/* loadtest_doc: a load test's report from its files (loadtest_doc.h). */
#include "loadtest/loadtest_doc.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loadtest/loadtest_summary.h"
#include "output/doc.h"
#include "output/provenance.h"

/* ---- a CSV as the load test writes it ---- */

struct ld_csv {
    char *text;   /* the file, cut into fields in place */
    char **field; /* [rows + 1][cols]: the header first */
    size_t cols, rows;
};

/* Cut one field at *p (quoted or not) in place; returns its start and
 * moves *p past its separator; *eol set at the end of a row. */
static char *ld_field(char **p, int *eol)
{
    char *s = *p, *out = s, *start = s;
    if (*s == '"') {
        for (s++; *s; s++) {
            if (*s == '"' && s[1] == '"')
                *out++ = *s++;
            else if (*s == '"') {
                s++;
                break;
            } else
                *out++ = *s;
        }
    } else
        while (*s && *s != ',' && *s != '\n' && *s != '\r')
            *out++ = *s++;
    *eol = *s != ',';
    if (*s == '\r')
        s++;
    if (*s)
        s++;
    *out = '\0';
    *p = s;
    return start;
}

/* Read path; 0, -1 when unreadable or out of memory (errno says which). */
static int ld_csv_read(const char *path, struct ld_csv *c)
{
    memset(c, 0, sizeof *c);
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t cap = 1 << 16, n = 0, got;
    c->text = malloc(cap + 1);
    while (c->text && (got = fread(c->text + n, 1, cap - n, f)) > 0)
        if ((n += got) == cap) {
            char *t = realloc(c->text, 2 * cap + 1);
            if (!t) {
                free(c->text);
                c->text = NULL;
            }
            c->text = t;
            cap *= 2;
        }
    fclose(f);
    if (!c->text)
        return -1;
    c->text[n] = '\0';
    size_t lines = 1, cells = 1;
    for (size_t i = 0; i < n; i++) {
        lines += c->text[i] == '\n';
        cells += c->text[i] == ',' || c->text[i] == '\n';
    }
    if (!(c->field = calloc(cells + lines, sizeof *c->field))) {
        free(c->text);
        c->text = NULL;
        return -1;
    }
    char *p = c->text;
    size_t k = 0, row_cells = 0;
    while (*p && *p != '\n') {
        int eol;
        c->field[k++] = ld_field(&p, &eol);
        c->cols++;
        if (eol)
            break;
    }
    while (*p && c->cols) {
        int eol = 0;
        for (row_cells = 0; row_cells < c->cols && !eol; row_cells++)
            c->field[k++] = ld_field(&p, &eol);
        for (; row_cells < c->cols; row_cells++)
            c->field[k++] = "";
        c->rows++;
        while (*p == '\n' || *p == '\r')
            p++;
    }
    return 0;
}

static void ld_csv_free(struct ld_csv *c)
{
    free(c->text);
    free(c->field);
}

/* Column `name`, or -1. */
static long ld_col(const struct ld_csv *c, const char *name)
{
    for (size_t j = 0; j < c->cols; j++)
        if (!strcmp(c->field[j], name))
            return (long)j;
    return -1;
}

/* Row i's (0-based) value in column j as a number; NaN when none. */
static double ld_num(const struct ld_csv *c, size_t i, long j)
{
    if (j < 0 || i >= c->rows)
        return NAN;
    const char *s = c->field[(i + 1) * c->cols + (size_t)j];
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    return end == s || *end || errno ? NAN : x;
}

static const char *ld_str(const struct ld_csv *c, size_t i, long j)
{
    return j < 0 || i >= c->rows ? "" : c->field[(i + 1) * c->cols + (size_t)j];
}

/* ---- the memo page ---- */

/* The verdict: the first sentence is the answer, the others bullets. */
struct ld_say {
    struct doc *d;
    int n;
};

static void ld_say(void *ctx, const char *topic, const char *text)
{
    struct ld_say *s = ctx;
    if (s->n++ == 0)
        doc_para_begin(s->d, DOC_ANSWER);
    else
        doc_item_begin(s->d);
    doc_strong(s->d, "%s: ", topic);
    doc_text(s->d, "%s.", text);
    doc_para_end(s->d);
}

/* One row of the headline table. */
static void ld_row(struct doc *d, const char *what, const char *value)
{
    doc_cell(d, "%s", what);
    doc_cell(d, "%s", value);
}

static void ld_headline(struct doc *d, const struct loadtest_summary *s)
{
    static const char *const head[] = {"Figure", "Value"};
    char v[160], a[64], b[64];
    doc_table_begin(d, 2, head, "lr");
    snprintf(v, sizeof v, "%s: %.0f s after a %.0f s warm-up, %.0f replication%s",
             s->profile ? s->profile : "?", s->duration_s, s->warmup_s, s->replications,
             s->replications > 1 ? "s" : "");
    ld_row(d, "Load profile", v);
    loadtest_summary_rate(a, sizeof a, s->target_per_s);
    snprintf(v, sizeof v, "%s; target %s", s->slo ? s->slo : "none",
             isfinite(s->target_per_s) ? a : "none given");
    ld_row(d, "SLO; target", v);
    loadtest_summary_rate(a, sizeof a, s->offered_per_s);
    loadtest_summary_rate(b, sizeof b, s->achieved_per_s);
    snprintf(v, sizeof v, "%s offered, %s achieved", a, b);
    ld_row(d, "Mean rate over the profile", v);
    loadtest_summary_count(a, sizeof a, s->payments);
    ld_row(d, "Payments offered", a);
    loadtest_summary_percent(a, sizeof a, s->payments > 0 ? s->failed / s->payments : 0);
    loadtest_summary_count(b, sizeof b, s->failed);
    snprintf(v, sizeof v, "%s (%s)", b, a);
    ld_row(d, "Failed after every retry", v);
    loadtest_summary_ms(a, sizeof a, s->latency_ms[0]);
    loadtest_summary_ms(b, sizeof b, s->latency_ms[2]);
    snprintf(v, sizeof v, "%s / %s", a, b);
    ld_row(d, "Latency p50 / p99, whole profile", v);
    doc_table_end(d);
}

static void ld_figures(struct doc *d, const struct loadtest_summary *s)
{
    if (s->searched)
        doc_figure(d, "loadtest-knee",
                   "Throughput achieved (left axis) and p99 latency (right, log scale) against "
                   "the offered rate, one point per capacity probe: a soak of %.0f s at one "
                   "rate, so that no fault of the profile bends the curve. The capacity (green, "
                   "its 95%% interval shaded), the target (dashed) and the SLO's p99 limit "
                   "(dotted).",
                   s->probe_duration_s);
    else
        doc_figure(d, "loadtest-knee",
                   "Throughput achieved (left axis) and p99 latency (right, log scale) against "
                   "the offered rate, one point per step of the profile; steps during or after "
                   "a fault (until it recovered) are hollow and grey: they show the fault, not "
                   "the system's capacity. The SLO's p99 limit is dotted.");
    doc_figure(d, "loadtest-latency",
               "End-to-end latency percentiles over the profile (log scale), from each "
               "payment's intended arrival, retries included. Faults are shaded dark grey, "
               "their aftermath until latency recovered light grey.");
}

/* The utilization chart, in the appendix. */
static void ld_utilization(struct doc *d)
{
    doc_figure(d, "loadtest-utilization",
               "Utilization of each operator and the central ledger over the profile: the share "
               "of its servers' time spent serving payments. Faults shaded as in Figure %d.",
               doc_figures(d));
}

static void ld_caveats(struct doc *d, const struct loadtest_summary *s)
{
    doc_heading(d, 2, "Caveats");
    doc_para_begin(d, DOC_NOTE);
    doc_text(d, "Servers, service times and operator shares are the scenario's assumptions, not "
                "published figures; the capacity is that of the model, not of the real system. "
                "Payments arrive open loop (they never wait for the system) and retry after a "
                "back-off, as clients do, so an overload or an outage can keep the system "
                "saturated after its cause has gone.");
    doc_para_end(d);
    if (s->searched) {
        doc_para_begin(d, DOC_NOTE);
        doc_text(d,
                 "Each replication's search stops within 1%% of its result, so replications that "
                 "land on the same rate give an interval of width 0: the search's resolution, "
                 "not certainty. The probes are soaks of %.0f s: a fault or outage outside them "
                 "does not count against the capacity (see the appendix for which probes a "
                 "fault overlapped).",
                 s->probe_duration_s);
        doc_para_end(d);
    }
    if (s->n_warning) {
        doc_para_begin(d, DOC_NOTE);
        doc_text(d, "This run has %zu warning%s: see the appendix.", s->n_warning,
                 s->n_warning > 1 ? "s" : "");
        doc_para_end(d);
    }
}

static void ld_warnings(struct doc *d, const struct loadtest_summary *s)
{
    if (!s->n_warning)
        return;
    doc_heading(d, 2, "Warnings");
    for (size_t i = 0; i < s->n_warning; i++) {
        doc_item_begin(d);
        doc_text(d, "%s", s->warning[i]);
        doc_para_end(d);
    }
}

/* ---- the appendix ---- */

/* Every step of loadtest.csv. */
static void ld_steps(struct doc *d, const struct ld_csv *c)
{
    static const char *const head[] = {"Step (s)", "Offered /s", "Achieved /s", "Payments",
                                       "Failed",   "p50",        "p99",         "SLO"};
    long t0 = ld_col(c, "start_s"), t1 = ld_col(c, "end_s"), off = ld_col(c, "offered_per_s"),
         ach = ld_col(c, "achieved_per_s"), pay = ld_col(c, "payments"), fail = ld_col(c, "failed"),
         p50 = ld_col(c, "p50_ms"), p99 = ld_col(c, "p99_ms"), slo = ld_col(c, "slo");
    char a[64];
    doc_heading(d, 2, "Every step");
    doc_table_begin(d, 8, head, "lrrrrrrl");
    for (size_t i = 0; i < c->rows; i++) {
        doc_cell(d, "%s-%s", ld_str(c, i, t0), ld_str(c, i, t1));
        loadtest_summary_count(a, sizeof a, ld_num(c, i, off));
        doc_cell(d, "%s", a);
        loadtest_summary_count(a, sizeof a, ld_num(c, i, ach));
        doc_cell(d, "%s", a);
        loadtest_summary_count(a, sizeof a, ld_num(c, i, pay));
        doc_cell(d, "%s", a);
        double n = ld_num(c, i, pay);
        loadtest_summary_percent(a, sizeof a, n > 0 ? ld_num(c, i, fail) / n : 0);
        doc_cell(d, "%s", a);
        loadtest_summary_ms(a, sizeof a, ld_num(c, i, p50));
        doc_cell(d, "%s", a);
        loadtest_summary_ms(a, sizeof a, ld_num(c, i, p99));
        doc_cell(d, "%s", a);
        const char *v = ld_str(c, i, slo);
        if (!strcmp(v, "fail"))
            doc_cell_strong(d, "fail");
        else
            doc_cell(d, "%s", *v ? v : "-");
    }
    doc_table_end(d);
}

/* Every resource, from summary.json. */
static void ld_resources(struct doc *d, const struct loadtest_summary *s)
{
    static const char *const head[] = {"Resource",    "Servers",       "Hops",      "Busy",
                                       "At capacity", "Longest queue", "Mean wait", "p99 inside"};
    char a[64];
    doc_heading(d, 2, "Every resource");
    doc_table_begin(d, 8, head, "lrrrrrrr");
    for (size_t r = 0; r < s->n_res; r++) {
        const struct loadtest_summary_resource *x = &s->res[r];
        doc_cell(d, "%s", x->name ? x->name : x->id);
        doc_cell(d, "%.0f", x->servers);
        loadtest_summary_count(a, sizeof a, x->jobs);
        doc_cell(d, "%s", a);
        loadtest_summary_percent(a, sizeof a, x->utilization);
        doc_cell(d, "%s", a);
        loadtest_summary_percent(a, sizeof a, x->bottleneck_utilization);
        doc_cell(d, "%s", isfinite(x->bottleneck_utilization) ? a : "-");
        loadtest_summary_count(a, sizeof a, x->queue_max);
        doc_cell(d, "%s", a);
        loadtest_summary_ms(a, sizeof a, x->mean_wait_ms);
        doc_cell(d, "%s", a);
        loadtest_summary_ms(a, sizeof a, x->p99_ms);
        doc_cell(d, "%s", a);
    }
    doc_table_end(d);
}

static void ld_faults(struct doc *d, const struct loadtest_summary *s)
{
    static const char *const head[] = {"Fault",   "From-until (s)", "Capacity left", "Failed",
                                       "Backlog", "Longest queue",  "Recovery"};
    char a[64];
    if (!s->n_fault)
        return;
    doc_heading(d, 2, "Every fault");
    doc_table_begin(d, 7, head, "lrrrrrr");
    for (size_t k = 0; k < s->n_fault; k++) {
        const struct loadtest_summary_fault *f = &s->fault[k];
        doc_cell(d, "%s on %s", f->name ? f->name : "fault", f->resource ? f->resource : "?");
        doc_cell(d, "%.0f-%.0f", f->from_s, f->until_s);
        doc_cell(d, "%.0f%%", 100 * f->capacity);
        loadtest_summary_count(a, sizeof a, f->failed);
        doc_cell(d, "%s", a);
        loadtest_summary_count(a, sizeof a, f->backlog);
        doc_cell(d, "%s", a);
        loadtest_summary_count(a, sizeof a, f->backlog_max);
        doc_cell(d, "%s", a);
        if (isfinite(f->recovery_s))
            doc_cell(d, "%.0f s", f->recovery_s);
        else
            doc_cell(d, "not measured or never");
    }
    doc_table_end(d);
}

/* Every capacity probe of loadtest_capacity.csv (none without a search). */
static void ld_probes(struct doc *d, const struct ld_csv *c)
{
    static const char *const head[] = {"Replication", "Offered /s", "Achieved /s", "Payments",
                                       "Failed",      "p99",        "SLO",         "Fault in it"};
    long rep = ld_col(c, "replication"), off = ld_col(c, "offered_per_s"),
         ach = ld_col(c, "achieved_per_s"), pay = ld_col(c, "payments"),
         fail = ld_col(c, "failed_share"), p99 = ld_col(c, "p99_ms"), slo = ld_col(c, "slo"),
         flt = ld_col(c, "faulted");
    char a[64];
    doc_heading(d, 2, "Every capacity probe");
    doc_table_begin(d, 8, head, "rrrrrrll");
    for (size_t i = 0; i < c->rows; i++) {
        doc_cell(d, "%s", ld_str(c, i, rep));
        loadtest_summary_count(a, sizeof a, ld_num(c, i, off));
        doc_cell(d, "%s", a);
        loadtest_summary_count(a, sizeof a, ld_num(c, i, ach));
        doc_cell(d, "%s", a);
        loadtest_summary_count(a, sizeof a, ld_num(c, i, pay));
        doc_cell(d, "%s", a);
        loadtest_summary_percent(a, sizeof a, ld_num(c, i, fail));
        doc_cell(d, "%s", a);
        loadtest_summary_ms(a, sizeof a, ld_num(c, i, p99));
        doc_cell(d, "%s", a);
        doc_cell(d, "%s", ld_str(c, i, slo));
        doc_cell(d, "%s", ld_num(c, i, flt) > 0 ? "yes" : "no");
    }
    doc_table_end(d);
}

/* ---- the report ---- */

static void ld_build(struct doc *d, const struct loadtest_summary *s, const struct ld_csv *steps,
                     const struct ld_csv *probes)
{
    struct ld_say say = {d, 0};
    doc_title(d, "Load test: %s", s->scenario ? s->scenario : "?");
    loadtest_summary_verdict(s, ld_say, &say);
    ld_headline(d, s);
    ld_figures(d, s);
    ld_caveats(d, s);
    doc_page_end(d);
    doc_heading(d, 1, "Appendix");
    ld_utilization(d);
    ld_steps(d, steps);
    ld_resources(d, s);
    ld_faults(d, s);
    if (probes->rows)
        ld_probes(d, probes);
    ld_warnings(d, s);
    doc_footer(d, "pilotsim %s, load test started %s, seed %.0f, replications %.0f",
               s->version ? s->version : "?", s->started_at ? s->started_at : "?", s->seed,
               s->replications);
}

/* The provenance line under the report, when summary.json has one. */
static void ld_provenance(struct doc *d, const char *dir, const struct loadtest_summary *s,
                          FILE *err)
{
    struct provenance p;
    char line[512];
    if (!s->has_provenance)
        return;
    if (provenance_read(dir, &p, err) == 0) {
        provenance_line(&p, line, sizeof line);
        doc_footer(d, "%s", line);
    }
    provenance_destroy(&p);
}

int loadtest_doc_build(const char *dir, struct doc *d, FILE *err)
{
    struct loadtest_summary s;
    struct ld_csv steps, probes;
    char path[4096];
    int rc = -1;
    memset(&probes, 0, sizeof probes);
    if (loadtest_summary_read(dir, &s, err) < 0) {
        loadtest_summary_destroy(&s);
        return -1;
    }
    snprintf(path, sizeof path, "%s/loadtest.csv", dir);
    if (ld_csv_read(path, &steps) < 0)
        fprintf(err, "pilotsim: %s: cannot read: %s\n", path, strerror(errno));
    else {
        snprintf(path, sizeof path, "%s/loadtest_capacity.csv", dir);
        if (s.searched && ld_csv_read(path, &probes) < 0)
            memset(&probes, 0, sizeof probes); /* the appendix goes without it */
        ld_build(d, &s, &steps, &probes);
        ld_provenance(d, dir, &s, err);
        rc = doc_failed(d) ? -1 : 0;
        if (rc < 0)
            fputs("pilotsim: out of memory building the load test's report\n", err);
    }
    ld_csv_free(&steps);
    ld_csv_free(&probes);
    loadtest_summary_destroy(&s);
    return rc;
}
