/* evaluate.c: a scenario measured against targets (see evaluate.h).
 *
 * Each target is first resolved against the scenario into a probe: where
 * its number lies in an outcome (a scalar's index, or a column, a city and
 * a bucket of the time series), or why it is not applicable. The probes
 * then read every replication's outcome; nothing here knows the model. */
#include "experiment/evaluate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "experiment/experiment.h"
#include "experiment/replicate.h"
#include "metrics/catalog.h"
#include "metrics/outcome.h"
#include "metrics/stats.h"
#include "scenario/units.h"

#define TIME_EPS 1e-6 /* seconds: bucket ends are sums of steps */

/* ---- the vocabulary: what a targets file may name ---- */

struct vocab {
    struct targets_vocabulary v;
    struct targets_name *series, *paths;
    char *names; /* storage of the paths' names */
};

static unsigned fen_flag(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && !strcmp(name + n - 4, "_fen") ? TARGETS_FEN : 0;
}

/* The column of timeseries.csv holding city_result's field at `offset`
 * (a per-person total's numerator), or CATALOG_NONE. */
static size_t column_of(size_t offset)
{
    for (size_t k = 0; k < catalog_n_columns(); k++)
        if (catalog_column(k)->offset == offset)
            return k;
    return CATALOG_NONE;
}

/* Can `city: total` be computed from the series alone? A sum can; a share
 * of the population can when its numerator has a column; a peak, a merged
 * quantile or a share of every payment cannot. */
static int series_total(const struct catalog_metric *m)
{
    return m->total == CATALOG_SUM ||
           (m->total == CATALOG_PER_PERSON && column_of(m->of) != CATALOG_NONE);
}

/* Add one path (printf-style) with its flags; a first pass (v->names NULL)
 * only counts paths and bytes. */
static void add_path(struct vocab *v, size_t *bytes, const char *a, const char *b, unsigned flags)
{
    size_t len = strlen(a) + strlen(b) + 1;
    if (v->names) {
        char *name = v->names + *bytes;
        snprintf(name, len, "%s%s", a, b);
        v->paths[v->v.n_paths] = (struct targets_name){name, flags | fen_flag(name)};
    }
    v->v.n_paths++;
    *bytes += len;
}

/* Every kind's outcome names once, in the order of the kinds. */
static int seen_before(enum intervention_kind kind, size_t j)
{
    size_t n, m;
    const struct catalog_field *f = catalog_intervention(kind, &n);
    for (int k = 0; k <= (int)kind; k++) {
        const struct catalog_field *g = catalog_intervention((enum intervention_kind)k, &m);
        for (size_t i = 0; i < m && (k < (int)kind || i < j); i++)
            if (!strcmp(g[i].name, f[j].name))
                return 1;
    }
    return 0;
}

static void walk_paths(struct vocab *v, size_t *bytes)
{
    size_t n;
    const struct catalog_metric *city = catalog_city(&n);
    v->v.n_paths = 0;
    *bytes = 0;
    add_path(v, bytes, "events", "", 0);
    for (size_t j = 0; j < n; j++)
        if (city[j].total != CATALOG_NO_TOTAL)
            add_path(v, bytes, "total.", city[j].name, 0);
    for (size_t j = 0; j < n; j++)
        add_path(v, bytes, "cities.*.", city[j].name, TARGETS_CITY_PATH);
    for (int k = 0; k <= (int)INTERVENTION_OUTAGE; k++) {
        const struct catalog_field *f = catalog_intervention((enum intervention_kind)k, &n);
        for (size_t j = 0; j < n; j++)
            if (!seen_before((enum intervention_kind)k, j))
                add_path(v, bytes, "interventions.*.", f[j].name, 0);
    }
    const struct catalog_field *money = catalog_money(&n);
    for (size_t j = 0; j < n; j++)
        add_path(v, bytes, "money.", money[j].name, 0);
}

static void vocab_free(struct vocab *v)
{
    free(v->series);
    free(v->paths);
    free(v->names);
}

/* The catalog's columns and paths. 0, or -1 out of memory. */
static int vocab_init(struct vocab *v)
{
    size_t bytes, n = catalog_n_columns();
    memset(v, 0, sizeof *v);
    walk_paths(v, &bytes);
    v->series = calloc(n, sizeof *v->series);
    v->paths = calloc(v->v.n_paths, sizeof *v->paths);
    v->names = malloc(bytes);
    if (!v->series || !v->paths || !v->names) {
        vocab_free(v);
        return -1;
    }
    walk_paths(v, &bytes);
    for (size_t k = 0; k < n; k++) {
        const struct catalog_metric *m = catalog_column(k);
        unsigned f = fen_flag(m->column);
        f |= m->kind == CATALOG_STOCK ? TARGETS_STOCK : 0;
        f |= m->kind == CATALOG_FLOW && m->type == CATALOG_COUNT ? TARGETS_SUMMABLE : 0;
        f |= series_total(m) ? TARGETS_HAS_TOTAL : 0;
        v->series[k] = (struct targets_name){m->column, f};
    }
    v->v.series = v->series, v->v.n_series = n;
    v->v.paths = v->paths;
    return 0;
}

struct targets *evaluate_load_targets(const char *file, FILE *err)
{
    struct vocab v;
    if (vocab_init(&v) < 0) {
        fprintf(err, "pilotsim: out of memory\n");
        return NULL;
    }
    struct targets *t = targets_load(file, &v.v, err);
    vocab_free(&v);
    return t;
}

/* ---- probes: a target resolved against a scenario ---- */

enum probe_kind { PROBE_NONE, PROBE_SCALAR, PROBE_SERIES };

struct probe {
    enum probe_kind kind;
    size_t scalar;     /* PROBE_SCALAR: its index in an outcome */
    size_t col;        /* PROBE_SERIES: its column among a row's values */
    size_t of_col;     /* per_person: the numerator's column */
    long city;         /* its city, -1 the total */
    double t_end;      /* `at`'s end of day, seconds since start */
    int sum_flows;     /* a cumulative flow: every bucket up to t_end's */
    int per_person;    /* the total is of_col summed over the population */
    double population; /* summed over cities (per_person) */
    double scale;      /* from the metric's unit to the target's */
};

/* The path form: its index in the catalog, or why not. */
static void resolve_path(const struct scenario *s, const struct catalog *cat,
                         const struct target *t, struct probe *p, char *why, size_t size)
{
    long k = catalog_find(cat, t->path);
    if (k >= 0) {
        p->kind = PROBE_SCALAR;
        p->scalar = (size_t)k;
        return;
    }
    long iv = -1;
    for (size_t i = 0; t->path_id && i < s->n_interventions; i++)
        if (!strcmp(s->interventions[i].id, t->path_id))
            iv = (long)i;
    if (t->flags & TARGETS_CITY_PATH)
        snprintf(why, size, "city %s is not in the scenario", t->path_id);
    else if (iv < 0)
        snprintf(why, size, "intervention %s is not in the scenario", t->path_id);
    else
        snprintf(why, size, "intervention %s (%s) has no outcome %s", t->path_id,
                 scenario_kind_name(s->interventions[iv].kind), strrchr(t->path, '.') + 1);
}

/* The series form: its column, city and day, or why not. */
static void resolve_series(const struct scenario *s, const struct target *t, struct probe *p,
                           char *why, size_t size)
{
    char a[UNITS_BUF];
    p->t_end = (double)(t->at_unix + 86400 - s->start_unix);
    p->city = strcmp(t->city, "total") ? scenario_city(s, t->city) : -1;
    if (p->city < 0 && strcmp(t->city, "total")) {
        snprintf(why, size, "city %s is not in the scenario", t->city);
        return;
    }
    /* Dates as days: the horizon's last whole day, the start's day. */
    if (p->t_end > s->duration_s + TIME_EPS) {
        units_fmt_date(a, s->start_unix + (int64_t)floor(s->duration_s / 86400) * 86400 - 86400);
        snprintf(why, size, "after the horizon (the scenario's last day is %.10s)", a);
        return;
    }
    if (p->t_end <= 0) {
        units_fmt_date(a, s->start_unix);
        snprintf(why, size, "before the start (the scenario starts on %.10s)", a);
        return;
    }
    for (p->col = 0; strcmp(catalog_column(p->col)->column, t->series); p->col++) {}
    const struct catalog_metric *m = catalog_column(p->col);
    p->sum_flows = t->cumulative && m->kind == CATALOG_FLOW;
    p->per_person = p->city < 0 && m->total == CATALOG_PER_PERSON;
    if (p->per_person) {
        p->of_col = column_of(m->of);
        for (size_t c = 0; c < s->n_cities; c++)
            p->population += (double)s->cities[c].population;
    }
    p->kind = PROBE_SERIES;
}

/* Resolve t into p; a target out of reach gets a reason in why. */
static void resolve(const struct scenario *s, const struct catalog *cat, const struct target *t,
                    struct probe *p, char *why, size_t size)
{
    memset(p, 0, sizeof *p);
    p->scale = t->yuan ? 0.01 : 1; /* fen to yuan */
    why[0] = '\0';
    for (size_t i = 0; i < t->n_scope; i++)
        if (scenario_city(s, t->scope[i]) < 0) {
            snprintf(why, size, "scope: city %s is not in the scenario", t->scope[i]);
            return;
        }
    if (t->path)
        resolve_path(s, cat, t, p, why, size);
    else
        resolve_series(s, t, p, why, size);
}

/* A series probe on one replication: the bucket that holds t_end (the
 * first that ends at or after it), then its value or the sum up to it. */
static double measure_series(const struct probe *p, const struct outcome *o)
{
    size_t r = 0;
    while (r < o->n_rows && outcome_row(o, r)[0] < p->t_end - TIME_EPS)
        r++;
    if (r == o->n_rows)
        return NAN;
    double end = outcome_row(o, r)[0], acc = 0, num = 0;
    for (size_t i = p->sum_flows ? 0 : r; i < o->n_rows; i++) {
        const double *row = outcome_row(o, i);
        if (row[0] > end)
            break;
        if ((p->sum_flows || row[0] == end) && (p->city < 0 || (long)row[1] == p->city)) {
            acc += row[2 + p->col];
            if (p->per_person)
                num += row[2 + p->of_col];
        }
    }
    return p->per_person ? (p->population > 0 ? num / p->population : NAN) : acc;
}

static double measure(const struct probe *p, const struct outcome *o)
{
    if (p->kind == PROBE_SCALAR)
        return outcome_scalar(o, p->scalar) * p->scale;
    if (p->kind == PROBE_SERIES)
        return measure_series(p, o) * p->scale;
    return NAN;
}

/* ---- the evaluation ---- */

void evaluate_destroy(struct evaluation *e)
{
    free(e->targets);
    memset(e, 0, sizeof *e);
}

/* Every target's mean and interval over reps[0..n). 0, or -1 out of memory. */
static int summarize(const struct probe *probes, const struct outcome *reps, uint32_t n,
                     struct evaluation *e)
{
    double *x = malloc((n ? n : 1) * sizeof *x);
    if (!x)
        return -1;
    for (size_t k = 0; k < e->n; k++) {
        struct evaluation_target *et = &e->targets[k];
        struct stats_summary st = {0, NAN, NAN, NAN, NAN, NAN};
        if (probes[k].kind != PROBE_NONE) {
            for (uint32_t r = 0; r < n; r++)
                x[r] = measure(&probes[k], &reps[r]);
            stats_summarize(x, n, 1, STATS_LEVEL, &st);
        }
        et->mean = st.mean, et->ci_lo = st.lo, et->ci_hi = st.hi, et->n = st.n;
        et->error = NAN, et->within = -1;
        if (probes[k].kind != PROBE_NONE && st.n == 0) /* every replication undefined */
            snprintf(et->why, sizeof et->why, "undefined in every replication");
    }
    free(x);
    return 0;
}

/* Run the replications on a farm and summarize; errors printed on err. */
static int run_farm(const struct scenario *s, const struct probe *probes, uint32_t reps,
                    unsigned jobs, int quiet, struct evaluation *out, FILE *err)
{
    struct replicate_farm *farm = replicate_farm_new(&s, 1, jobs, quiet);
    if (!farm) {
        fprintf(err, "out of memory");
        return -1;
    }
    replicate_farm_name(farm, "calibrating", NULL);
    if (!replicate_farm_leader(farm)) { /* an MPI rank: serve rank 0 */
        int rc = replicate_farm_serve(farm);
        replicate_farm_free(farm);
        return rc;
    }
    out->leader = 1;
    int series = 0;
    for (size_t k = 0; k < out->n; k++)
        series |= probes[k].kind == PROBE_SERIES;
    struct outcome *o = calloc(reps, sizeof *o);
    int rc = o ? experiment_replicate(farm, 1, reps, series, o, err) : -1;
    int ran = rc == 0; /* a failed farm run destroyed every outcome */
    replicate_farm_free(farm);
    if (!o || (ran && summarize(probes, o, reps, out) < 0)) {
        fprintf(err, "out of memory");
        rc = -1;
    }
    for (uint32_t r = 0; ran && r < reps; r++)
        outcome_destroy(&o[r]);
    free(o);
    return rc;
}

int evaluate_run(const struct scenario *s, const struct targets *t, uint32_t replications,
                 unsigned jobs, struct evaluation *out, char *err, size_t errlen)
{
    return evaluate_run_shown(s, t, replications, jobs, 1, out, err, errlen);
}

int evaluate_run_shown(const struct scenario *s, const struct targets *t, uint32_t replications,
                       unsigned jobs, int quiet, struct evaluation *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->replications = replications ? replications : 1;
    out->n = t->n;
    out->targets = calloc(t->n ? t->n : 1, sizeof *out->targets);
    struct catalog *cat = catalog_new(s);
    struct probe *probes = calloc(t->n ? t->n : 1, sizeof *probes);
    char *msg = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&msg, &len);
    int rc = -1;
    if (out->targets && cat && probes && mem) {
        for (size_t k = 0; k < t->n; k++)
            resolve(s, cat, &t->items[k], &probes[k], out->targets[k].why,
                    sizeof out->targets[k].why);
        rc = run_farm(s, probes, out->replications, jobs, quiet, out, mem);
    }
    if (mem)
        fclose(mem);
    if (rc < 0) {
        /* the farm's message, on one line without its prefix and newline */
        const char *m = msg && *msg ? msg : "out of memory";
        if (!strncmp(m, "pilotsim: ", 10))
            m += 10;
        snprintf(err, errlen, "%.*s", (int)strcspn(m, "\n"), m);
        evaluate_destroy(out);
    }
    free(msg);
    free(probes);
    catalog_free(cat);
    return rc;
}

double evaluate_objective(const struct targets *t, struct evaluation *e)
{
    double sum = 0;
    int any = 0;
    for (size_t k = 0; k < e->n && k < t->n; k++) {
        const struct target *x = &t->items[k];
        struct evaluation_target *et = &e->targets[k];
        if (!isfinite(et->mean)) {
            et->error = NAN, et->within = -1;
            continue;
        }
        et->error = (et->mean - x->value) / targets_tolerance_units(x);
        et->within = fabs(et->error) <= 1;
        if (x->role == TARGETS_FIT) {
            sum += et->error * et->error;
            any = 1;
        }
    }
    return any ? sum : NAN;
}
