/* outcome: a run's records as a vector in catalog order, its wire form,
 * and summaries over replications.
 *
 * outcome_fill walks the same tables in the same order as the catalog's
 * names (catalog.c, walk): events, the totals, each city, each
 * intervention, the money; so value k is always the catalog's entry k,
 * which the tests check by name. */
#include "metrics/outcome.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/hist.h"

/* A latency in ms from a histogram; undefined (NaN) without a payment. */
static double latency_ms(const struct hist *h, double q)
{
    if (!h->count)
        return NAN;
    return (q >= 1 ? hist_max(h) : hist_quantile(h, q)) * 1e3;
}

static double int_at(const void *record, size_t offset)
{
    int64_t x;
    memcpy(&x, (const char *)record + offset, sizeof x);
    return (double)x;
}

static double real_at(const void *record, size_t offset)
{
    double x;
    memcpy(&x, (const char *)record + offset, sizeof x);
    return x;
}

/* A city metric's value for one city. */
static double city_value(const struct catalog_metric *m, const struct city_result *c)
{
    switch (m->type) {
    case CATALOG_COUNT:
        return int_at(c, m->offset);
    case CATALOG_LATENCY: {
        const struct hist *h;
        memcpy(&h, (const char *)c + m->offset, sizeof h);
        return latency_ms(h, m->q);
    }
    default:
        return real_at(c, m->offset);
    }
}

/* A city metric totalled over the cities, as its row says (catalog.h);
 * `all` is every city's latency merged. Sums run in city order. */
static double total_value(const struct catalog_metric *m, const struct scenario *s,
                          const struct outcome_records *r, const struct hist *all)
{
    double sum = 0, whole = 0;
    for (size_t i = 0; i < s->n_cities; i++) {
        const struct city_result *c = &r->cities[i];
        if (m->total == CATALOG_SUM) {
            sum += city_value(m, c);
        } else if (m->total == CATALOG_PER_PERSON) {
            sum += int_at(c, m->of);
            whole += (double)c->population;
        } else if (m->total == CATALOG_SHARE_OF_ALL) {
            /* payments by every method, recovered from the city's share */
            double share = real_at(c, m->offset), part = int_at(c, m->of);
            sum += part;
            whole += share > 0 ? part / share : 0;
        }
    }
    switch (m->total) {
    case CATALOG_PER_PERSON:
    case CATALOG_SHARE_OF_ALL:
        return whole > 0 ? sum / whole : 0;
    case CATALOG_RUN_PEAK:
        return r->tps_peak;
    case CATALOG_MERGED:
        return latency_ms(all, m->q);
    default:
        return sum;
    }
}

/* The totals, then every city's metrics; returns the position after them.
 * Latency totals merge the cities' histograms (exact: counts add). */
static double *cities(const struct scenario *s, const struct outcome_records *r, double *v)
{
    size_t n;
    const struct catalog_metric *t = catalog_city(&n);
    struct hist *all = malloc(sizeof *all);
    if (!all)
        return NULL;
    hist_init(all);
    for (size_t i = 0; i < s->n_cities; i++)
        hist_merge(all, r->cities[i].latency);
    for (size_t j = 0; j < n; j++)
        if (t[j].total != CATALOG_NO_TOTAL)
            *v++ = total_value(&t[j], s, r, all);
    free(all);
    for (size_t i = 0; i < s->n_cities; i++)
        for (size_t j = 0; j < n; j++)
            *v++ = city_value(&t[j], &r->cities[i]);
    return v;
}

/* Each intervention's outcomes (its kind's fields), then the money. */
static double *counters(const struct scenario *s, const struct outcome_records *r, double *v)
{
    size_t n;
    for (size_t i = 0; i < s->n_interventions; i++) {
        const struct catalog_field *f = catalog_intervention(s->interventions[i].kind, &n);
        for (size_t j = 0; j < n; j++)
            *v++ = f[j].type == CATALOG_COUNT ? int_at(&r->interventions[i], f[j].offset)
                                              : real_at(&r->interventions[i], f[j].offset);
    }
    const struct catalog_field *f = catalog_money(&n);
    for (size_t j = 0; j < n; j++)
        *v++ = int_at(r->money, f[j].offset);
    return v;
}

/* Each row: its time and city (the same in every replication), then its
 * values in timeseries.csv's column order. 0, or -1 out of memory. */
static int series(const struct metrics *m, size_t n_cols, double *v)
{
    const struct catalog_metric **col = malloc((n_cols ? n_cols : 1) * sizeof *col);
    if (!col)
        return -1;
    for (size_t k = 0; k < n_cols; k++)
        col[k] = catalog_column(k);
    for (size_t i = 0; i < m->n_rows; i++) {
        const struct ts_row *w = &m->rows[i];
        *v++ = w->time_s;
        *v++ = w->city;
        for (size_t k = 0; k < n_cols; k++)
            *v++ = col[k]->type == CATALOG_COUNT ? int_at(w, col[k]->series)
                                                 : real_at(w, col[k]->series);
    }
    free(col);
    return 0;
}

/* How many scalars a scenario's catalog has, without building its names. */
static size_t n_scalars(const struct scenario *s)
{
    size_t n, total = 0;
    const struct catalog_metric *t = catalog_city(&n);
    for (size_t j = 0; j < n; j++)
        total += t[j].total != CATALOG_NO_TOTAL;
    size_t k = 1 + total + s->n_cities * n;
    for (size_t i = 0; i < s->n_interventions; i++) {
        catalog_intervention(s->interventions[i].kind, &n);
        k += n;
    }
    catalog_money(&n);
    return k + n;
}

/* Counts are int64 in the records and exact as doubles below 2^53 (9e15
 * fen is 90 trillion yuan). */
int outcome_fill(const struct scenario *s, const struct outcome_records *r, struct outcome *o)
{
    memset(o, 0, sizeof *o);
    o->n_scalars = n_scalars(s);
    /* A sweep needs no series: leaving it out keeps its results small. */
    o->n_rows = r->series ? r->series->n_rows : 0;
    o->n_cols = catalog_n_columns();
    o->values = malloc((o->n_scalars + o->n_rows * (2 + o->n_cols)) * sizeof *o->values);
    if (!o->values)
        return -1;
    o->complete = r->complete;
    o->payments_sim = (double)r->payments;
    double *v = o->values;
    *v++ = (double)r->events;
    if (!(v = cities(s, r, v))) {
        outcome_destroy(o);
        return -1;
    }
    v = counters(s, r, v);
    if (r->series && series(r->series, o->n_cols, v) < 0) {
        outcome_destroy(o);
        return -1;
    }
    return 0;
}

void outcome_destroy(struct outcome *o)
{
    free(o->values);
    o->values = NULL;
    o->n_scalars = o->n_rows = 0;
}

/* ---- wire form: [n_scalars, n_rows, n_cols, complete, wall_s, payments_sim, values...] ---- */

#define WIRE_HEAD 6 /* doubles before the values */

/* Counts travel as doubles too: they are below 2^53, so exact. The wire form
 * is native doubles: fine between processes of one machine and over MPI,
 * which converts MPI_DOUBLE between hosts of different byte orders. */
double *outcome_pack(const struct outcome *o, size_t *n)
{
    size_t nv = o->n_scalars + o->n_rows * (2 + o->n_cols);
    double *buf = malloc((WIRE_HEAD + nv) * sizeof *buf);
    if (!buf)
        return NULL;
    buf[0] = (double)o->n_scalars;
    buf[1] = (double)o->n_rows;
    buf[2] = (double)o->n_cols;
    buf[3] = o->complete;
    buf[4] = o->wall_s;
    buf[5] = o->payments_sim;
    if (nv)
        memcpy(buf + WIRE_HEAD, o->values, nv * sizeof *buf);
    *n = WIRE_HEAD + nv;
    return buf;
}

/* The inverse of outcome_pack, checking that the counts in the head match
 * the length received (a short or corrupt message is rejected, not read). */
int outcome_unpack(const double *buf, size_t n, struct outcome *o)
{
    memset(o, 0, sizeof *o);
    if (n < WIRE_HEAD)
        return -1;
    for (size_t i = 0; i < 3; i++)
        if (!(buf[i] >= 0) || buf[i] > 1e9)
            return -1;
    size_t ns = (size_t)buf[0], nr = (size_t)buf[1], nc = (size_t)buf[2];
    size_t nv = ns + nr * (2 + nc);
    if (n != WIRE_HEAD + nv)
        return -1;
    o->values = malloc((nv ? nv : 1) * sizeof *o->values);
    if (!o->values)
        return -1;
    if (nv)
        memcpy(o->values, buf + WIRE_HEAD, nv * sizeof *buf);
    o->n_scalars = ns;
    o->n_rows = nr;
    o->n_cols = nc;
    o->complete = buf[3] != 0;
    o->wall_s = buf[4];
    o->payments_sim = buf[5];
    return 0;
}

/* ---- summaries over replications ---- */

/* Storage for a summary of ns scalars and nr rows of nc values. */
static struct outcome_summary *summary_new(size_t ns, size_t nr, size_t nc)
{
    struct outcome_summary *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->scalars = calloc(ns ? ns : 1, sizeof *s->scalars);
    s->row_time = calloc(nr ? nr : 1, sizeof *s->row_time);
    s->row_city = calloc(nr ? nr : 1, sizeof *s->row_city);
    s->series = calloc(nr * nc > 0 ? nr * nc : 1, sizeof *s->series);
    if (!s->scalars || !s->row_time || !s->row_city || !s->series) {
        outcome_summary_free(s);
        return NULL;
    }
    s->n_scalars = ns;
    s->n_rows = nr;
    s->n_cols = nc;
    return s;
}

/* Every scalar and every time-series cell summarized over the replications,
 * gathering one column at a time into `col` in replication order (the order
 * fixes the sums, so the same outcomes give the same bytes). Replications
 * that disagree on their sizes (a scenario changed under a running farm,
 * or a bug) are refused rather than mixed. */
struct outcome_summary *outcome_summarize(const struct outcome *reps, size_t n)
{
    if (n == 0)
        return NULL;
    size_t ns = reps[0].n_scalars, nr = reps[0].n_rows, nc = reps[0].n_cols;
    int agree = 1;
    for (size_t i = 1; i < n; i++)
        agree &= reps[i].n_scalars == ns && reps[i].n_rows == nr && reps[i].n_cols == nc;
    double *col = agree ? malloc(n * sizeof *col) : NULL;
    struct outcome_summary *s = col ? summary_new(ns, nr, nc) : NULL;
    if (!s) {
        free(col);
        return NULL;
    }
    s->n_reps = n;
    s->complete = 1;
    for (size_t i = 0; i < n; i++) {
        s->complete &= reps[i].complete;
        s->events_total += reps[i].values[0];
        s->payments_sim += reps[i].payments_sim;
    }
    for (size_t k = 0; k < ns; k++) {
        for (size_t i = 0; i < n; i++)
            col[i] = reps[i].values[k];
        stats_summarize(col, n, 1, STATS_LEVEL, &s->scalars[k]);
    }
    for (size_t row = 0; row < nr; row++) {
        const double *r0 = outcome_row(&reps[0], row);
        s->row_time[row] = r0[0];
        s->row_city[row] = (uint32_t)r0[1];
        for (size_t j = 0; j < nc; j++) {
            for (size_t i = 0; i < n; i++)
                col[i] = outcome_row(&reps[i], row)[2 + j];
            stats_summarize(col, n, 1, STATS_LEVEL, &s->series[row * nc + j]);
        }
    }
    free(col);
    return s;
}

void outcome_summary_free(struct outcome_summary *s)
{
    if (!s)
        return;
    free(s->scalars);
    free(s->row_time);
    free(s->row_city);
    free(s->series);
    free(s);
}
