/* plot: which charts each command draws, from which files, with which arguments. */
#include "output/plot.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "metrics/catalog.h"
#include "output/chart.h"
#include "output/provenance.h"
#include "output/report.h"
#include "scenario/ytree.h"

static const char *const charts[] = {"adoption", "throughput", "latency"};

static int is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Where the chart scripts are: see plot.h. */
static int plot_dir(char *out, size_t size)
{
    const char *env = getenv("PILOTSIM_PLOTS");
    if (env && *env) {
        snprintf(out, size, "%s", env);
        return 0;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return -1;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    static const char *const rel[] = {"/../plots", "/../../plots", "/../share/pilotsim/plots"};
    for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
        char probe[PATH_MAX + 64];
        snprintf(probe, sizeof probe, "%s%s/common.gp", exe, rel[i]);
        if (is_file(probe)) {
            snprintf(out, size, "%s%s", exe, rel[i]);
            return 0;
        }
    }
    return -1;
}

/* Join the cities' ids or names with tabs (a tab inside a name becomes a
 * space, so the list splits back the same way). */
static char *join_cities(const struct scenario *s, int names)
{
    size_t len = 1;
    for (size_t c = 0; c < s->n_cities; c++)
        len += strlen(names ? s->cities[c].name : s->cities[c].id) + 1;
    char *out = malloc(len), *p = out;
    if (!out)
        return NULL;
    for (size_t c = 0; c < s->n_cities; c++) {
        const char *v = names ? s->cities[c].name : s->cities[c].id;
        if (c)
            *p++ = '\t';
        for (; *v; v++)
            *p++ = *v == '\t' ? ' ' : *v;
    }
    *p = '\0';
    return out;
}

/* ---- the interventions marked on time axes ----
 *
 * One marker a date: the interventions and the cities' pilot openings that
 * start at the same second share one label, so that no two lines sit on
 * top of each other (six areas opening on 1 Nov 2020 are one marker). */

struct mark {
    double t;         /* seconds since the start */
    size_t order;     /* cities first, then interventions, in scenario order */
    const char *text; /* a city's name or an intervention's id */
};

static int mark_cmp(const void *a, const void *b)
{
    const struct mark *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Append text to the list (tabs and line breaks become spaces: the list
 * splits on tabs). */
static void put_text(char **p, const char *text)
{
    for (; *text; text++)
        *(*p)++ = *text == '\t' || *text == '\n' || *text == '\r' ? ' ' : *text;
}

/* A label as long as this at most, the names beyond it counted ("+3"). */
#define MARK_LABEL_MAX 36

/* The label of marks[from..to) (one date): "pilot: " before the
 * cities' names, then the interventions' ids, joined by ", ". */
static void put_label(char **p, const struct mark *marks, size_t from, size_t to, size_t n_cities)
{
    char *start = *p;
    size_t left_out = 0;
    for (size_t k = from; k < to; k++) {
        int city = marks[k].order < n_cities;
        size_t add = strlen(marks[k].text) + (k > from ? 2 : 0) + (city && k == from ? 7 : 0);
        if (k > from && (size_t)(*p - start) + add > MARK_LABEL_MAX) {
            left_out++;
            continue;
        }
        if (k > from)
            put_text(p, ", ");
        if (city && k == from)
            put_text(p, "pilot: ");
        put_text(p, marks[k].text);
    }
    if (left_out)
        *p += sprintf(*p, " +%zu", left_out);
}

char *plot_markers(const struct scenario *s)
{
    size_t n_max = s->n_cities + s->n_interventions, n = 0, bytes = 1;
    struct mark *marks = malloc((n_max ? n_max : 1) * sizeof *marks);
    if (!marks)
        return NULL;
    /* A pilot open from the start is no event; nothing past the horizon. */
    for (size_t c = 0; c < s->n_cities; c++)
        if (s->cities[c].pilot_start_s > 0 && s->cities[c].pilot_start_s <= s->duration_s)
            marks[n++] = (struct mark){s->cities[c].pilot_start_s, c, s->cities[c].name};
    for (size_t i = 0; i < s->n_interventions; i++) {
        double t = scenario_intervention_start(&s->interventions[i]);
        if (t >= 0 && t <= s->duration_s)
            marks[n++] = (struct mark){t, s->n_cities + i, s->interventions[i].id};
    }
    qsort(marks, n, sizeof *marks, mark_cmp);
    for (size_t k = 0; k < n; k++) /* a date, tabs, the text, "pilot: ", ", ", " +N" */
        bytes += 64 + strlen(marks[k].text);
    char *out = malloc(bytes), *p = out;
    if (!out) {
        free(marks);
        return NULL;
    }
    for (size_t from = 0, to; from < n; from = to) {
        for (to = from + 1; to < n && marks[to].t == marks[from].t;)
            to++;
        char when[32];
        report_time(s, marks[from].t, when);
        if (from > 0)
            *p++ = '\t';
        put_text(&p, when);
        *p++ = '\t';
        put_label(&p, marks, from, to, s->n_cities);
    }
    *p = '\0';
    free(marks);
    return out;
}

/* ---- what a CSV holds to draw ----
 *
 * gnuplot fails on a chart with no point to draw (a latency chart without
 * payments: a log scale of nothing), and the reason is in the data: so
 * each command reads its CSV first, and a chart with nothing to draw is
 * drawn empty (EMPTY "frame": the data's x axis and no line; "blank": no
 * axes) with a NOTE saying why. Both travel to the scripts as data. */

/* One field of a CSV (RFC 4180: a quoted field may hold commas, newlines
 * and doubled quotes) into buf, cut at size - 1. 1 when it ended its row,
 * 0 when a comma followed, -1 at the end of the file (nothing read). */
static int csv_field(FILE *f, char *buf, size_t size)
{
    size_t n = 0;
    int c = getc(f), quoted = 0, end = 1;
    if (c == EOF)
        return -1;
    for (; c != EOF; c = getc(f)) {
        if (c == '"' && quoted) {
            int next = getc(f);
            if (next != '"') { /* the closing quote; a doubled one is kept */
                quoted = 0;
                ungetc(next, f);
                continue;
            }
        } else if (c == '"' && n == 0) {
            quoted = 1;
            continue;
        } else if (!quoted && (c == ',' || c == '\n')) {
            end = c == '\n';
            break;
        } else if (!quoted && c == '\r') {
            continue;
        }
        if (n + 1 < size)
            buf[n++] = (char)c;
    }
    buf[n] = '\0';
    return end;
}

int plot_csv_scan(const char *path, struct plot_column *cols, size_t n_cols, size_t *rows)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    for (size_t i = 0; i < n_cols; i++) {
        cols[i].found = 0;
        cols[i].values = cols[i].positive = 0;
        cols[i].sum = 0;
    }
    /* The header: which column each position is (-1: none asked for). */
    char field[512];
    int *which = NULL, r = 0;
    size_t n_fields = 0;
    while (r == 0 && (r = csv_field(f, field, sizeof field)) >= 0) {
        int *grown = realloc(which, (n_fields + 1) * sizeof *which);
        if (!grown) {
            free(which);
            fclose(f);
            return -1;
        }
        which = grown;
        which[n_fields] = -1;
        for (size_t i = 0; i < n_cols; i++)
            if (!cols[i].found && strcmp(field, cols[i].name) == 0) {
                which[n_fields] = (int)i;
                cols[i].found = 1;
            }
        n_fields++;
    }
    *rows = 0;
    for (r = 0; r >= 0;) {
        size_t k = 0;
        int blank = 1;
        while ((r = csv_field(f, field, sizeof field)) >= 0) {
            blank &= field[0] == '\0';
            char *end;
            double v = strtod(field, &end);
            if (k < n_fields && which[k] >= 0 && end != field && *end == '\0' && isfinite(v)) {
                struct plot_column *c = &cols[which[k]];
                c->values++;
                c->positive += v > 0;
                c->sum += v;
            }
            k++;
            if (r == 1)
                break;
        }
        *rows += k > 0 && !blank; /* an empty line is no row */
    }
    int failed = ferror(f) != 0;
    free(which);
    fclose(f);
    return failed ? -1 : 0;
}

/* The run's charts: each one's NOTE and EMPTY from timeseries.csv's
 * columns. `payments` counts those completed, offline ones included;
 * latency is that of online payments, so offline ones alone draw none. */
enum { RUN_ADOPTION, RUN_TPS, RUN_P50, RUN_P99, RUN_PAYMENTS, RUN_FAILED, RUN_OFFLINE, RUN_COLS };
#define NOTE_MAX 160

static void run_notes(const struct plot_column *col, size_t rows, const char *where,
                      char note[][NOTE_MAX], const char **empty)
{
    for (size_t i = 0; i < 3; i++) {
        note[i][0] = '\0';
        empty[i] = rows ? "" : "blank";
        if (!rows)
            snprintf(note[i], NOTE_MAX, "timeseries.csv has no rows");
    }
    if (!rows)
        return;
    double done = col[RUN_PAYMENTS].sum, failed = col[RUN_FAILED].sum;
    const char *why = done + failed <= 0 ? "no e-CNY payments"
                      : done <= 0        ? "no e-CNY payment completed"
                                         : NULL;
    const char *then = done + failed > 0 ? ": every one timed out" : "";
    if (col[RUN_ADOPTION].values == 0) {
        snprintf(note[0], NOTE_MAX, "no adoption figures in timeseries.csv");
        empty[0] = "frame";
    }
    /* Throughput: zero is a figure, drawn, the note saying why. */
    if (col[RUN_TPS].values == 0) {
        snprintf(note[1], NOTE_MAX, "no throughput figures in timeseries.csv");
        empty[1] = "frame";
    } else if (why) {
        snprintf(note[1], NOTE_MAX, "%s in %s%s", why, where, then);
    }
    /* Latency: a bucket without payments has none (0 or empty), and a log
     * scale draws no zero. */
    if (col[RUN_P50].positive + col[RUN_P99].positive == 0) {
        empty[2] = "frame";
        if (why)
            snprintf(note[2], NOTE_MAX, "%s in %s%s", why, where, then);
        else if (col[RUN_OFFLINE].sum >= done)
            snprintf(note[2], NOTE_MAX, "only offline e-CNY payments in %s: they have no latency",
                     where);
        else
            snprintf(note[2], NOTE_MAX, "no latency figures in timeseries.csv");
    }
}

void plot_provenance(const char *dir, char *buf, size_t n)
{
    if (n == 0)
        return;
    buf[0] = '\0';
    /* A directory without provenance (written before it existed) draws its
     * charts without the line: quietly, not as a failure. */
    FILE *quiet = fopen("/dev/null", "w");
    if (!quiet)
        return;
    struct provenance p;
    if (provenance_read(dir, &p, quiet) == 0)
        provenance_line(&p, buf, n);
    provenance_destroy(&p);
    fclose(quiet);
}

int plot_render(const char *dir, const struct scenario *s, FILE *err)
{
    char plots[PATH_MAX], charts_dir[PATH_MAX], csv[PATH_MAX];
    if (plot_dir(plots, sizeof plots) < 0) {
        fprintf(err, "pilotsim: cannot find the chart scripts (plots/*.gp); set PILOTSIM_PLOTS\n");
        return -1;
    }
    snprintf(csv, sizeof csv, "%s/timeseries.csv", dir);
    /* adoption_ci_lo: a replicated run's bands, read from the header, so
     * `pilotsim plot DIR` redraws either kind of run the same way. */
    struct plot_column col[RUN_COLS + 1] = {
        {.name = "adoption"},         {.name = "tps_mean"},      {.name = "latency_p50_ms"},
        {.name = "latency_p99_ms"},   {.name = "payments"},      {.name = "payments_failed"},
        {.name = "payments_offline"}, {.name = "adoption_ci_lo"}};
    size_t rows;
    if (!is_file(csv) || plot_csv_scan(csv, col, RUN_COLS + 1, &rows) < 0) {
        fprintf(err, "pilotsim: %s: no time series to plot\n", csv);
        return -1;
    }
    snprintf(charts_dir, sizeof charts_dir, "%s/charts", dir);
    if (report_mkdir(charts_dir, err) < 0)
        return -1;
    int bands = col[RUN_COLS].found;
    char note[3][NOTE_MAX];
    const char *empty[3];
    run_notes(col, rows, bands ? "any replication" : "this run", note, empty);
    char *ids = join_cities(s, 0), *names = join_cities(s, 1), *markers = plot_markers(s);
    char prov[PLOT_PROVENANCE_MAX];
    plot_provenance(dir, prov, sizeof prov);
    int rc = ids && names && markers ? 0 : -1;
    if (rc < 0)
        fprintf(err, "pilotsim: out of memory drawing the charts of %s\n", dir);
    for (size_t i = 0; rc == 0 && i < sizeof charts / sizeof charts[0]; i++) {
        char script[PATH_MAX + 32], flags[64];
        snprintf(script, sizeof script, "%s/%s.gp", plots, charts[i]);
        /* gnuplot passes nine arguments at most: the modes travel as words. */
        snprintf(flags, sizeof flags, "%s %s min=%.17g", bands ? "ci" : "", empty[i], s->sample);
        const char *rest[] = {s->name, ids, names, flags, note[i], markers, prov};
        struct chart c = {script, charts_dir, charts[i], csv, rest, 7};
        rc = chart_draw(&c, err);
    }
    free(ids);
    free(names);
    free(markers);
    return rc;
}

/* What every chart family needs first: where the scripts are, and
 * dir/charts/ created. 0, or -1 with a message. */
static int prepare(const char *dir, char *plots, size_t size, char *charts_dir, FILE *err)
{
    if (plot_dir(plots, size) < 0) {
        fprintf(err, "pilotsim: cannot find the chart scripts (plots/*.gp); set PILOTSIM_PLOTS\n");
        return -1;
    }
    snprintf(charts_dir, PATH_MAX, "%s/charts", dir);
    return report_mkdir(charts_dir, err);
}

static const char *const compare_kinds[PLOT_COMPARE_CHARTS] = {"adoption", "throughput", "latency"};
static const char *const compare_columns[PLOT_COMPARE_CHARTS] = {"adoption", "tps_mean",
                                                                 "latency_p99_ms"};

const char *plot_compare_column(size_t k)
{
    return k < PLOT_COMPARE_CHARTS ? compare_columns[k] : NULL;
}

/* Tab-joined strings: malloc'd, NULL when out of memory. */
static char *join_tabbed(const char *const *v, size_t n)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(v[i]) + 1;
    char *out = malloc(len);
    if (out) {
        out[0] = '\0';
        for (size_t i = 0; i < n; i++)
            strcat(strcat(out, i ? "\t" : ""), v[i]);
    }
    return out;
}

/* One gnuplot per chart kind. The scripts build each plan's CSV path from
 * DIR and the label (path-safe by construction in compare.c), so DIR
 * travels whole as one argument; plan names, labels, city names, notes,
 * markers and the provenance travel as data (nine arguments: gnuplot's
 * most). */
int plot_compare(const char *dir, const struct plot_compare_args *a, FILE *err)
{
    char plots[PATH_MAX], charts_dir[PATH_MAX];
    if (prepare(dir, plots, sizeof plots, charts_dir, err) < 0)
        return -1;
    const struct scenario *s = a->s;
    char *labels = join_tabbed(a->labels, a->n), *names = join_tabbed(a->names, a->n);
    char *ids = join_cities(s, 0), *cities = join_cities(s, 1);
    char *notes = malloc(SCENARIO_MAX_CITIES * 64);
    int rc = labels && names && ids && cities && notes ? 0 : -1;
    /* Per city, tab-separated: "" to draw its panel, else why it is empty. */
    static const char *const why[PLOT_COMPARE_CHARTS] = {"no wallets in any plan",
                                                         "no e-CNY payments in any plan",
                                                         "no e-CNY payment latency in any plan"};
    for (size_t i = 0; rc == 0 && i < PLOT_COMPARE_CHARTS; i++) {
        char script[PATH_MAX + 32];
        notes[0] = '\0';
        for (size_t c = 0; c < s->n_cities && c < SCENARIO_MAX_CITIES; c++) {
            const char *note = a->drawn[i * SCENARIO_MAX_CITIES + c] ? ""
                               /* latency without throughput: no payments at all */
                               : i == 2 && !a->drawn[SCENARIO_MAX_CITIES + c] ? why[1]
                                                                              : why[i];
            strcat(strcat(notes, c ? "\t" : ""), note);
        }
        snprintf(script, sizeof script, "%s/compare-%s.gp", plots, compare_kinds[i]);
        const char *rest[] = {names, ids, cities, labels, notes, a->markers, a->provenance};
        struct chart c = {script, charts_dir, compare_kinds[i], dir, rest, 7};
        rc = chart_draw(&c, err);
    }
    if (!labels || !names || !ids || !cities || !notes)
        fprintf(err, "pilotsim: out of memory\n");
    free(notes);
    free(labels);
    free(names);
    free(ids);
    free(cities);
    return rc;
}

/* One gnuplot for one metric; the metric's name (checked against the
 * catalog: ids and leaves, no path separators) names the file. */
int plot_sweep(const char *dir, const char *metric, const char *const *rest, size_t n_rest,
               FILE *err)
{
    char plots[PATH_MAX], charts_dir[PATH_MAX], script[PATH_MAX + 32], csv[PATH_MAX + 32];
    char name[PATH_MAX];
    if (prepare(dir, plots, sizeof plots, charts_dir, err) < 0)
        return -1;
    snprintf(script, sizeof script, "%s/sweep.gp", plots);
    snprintf(csv, sizeof csv, "%s/sweep.csv", dir);
    snprintf(name, sizeof name, "sweep-%s", metric);
    struct chart c = {script, charts_dir, name, csv, rest, n_rest};
    return chart_draw(&c, err);
}

/* A panel of calibrate's chart for people, from its group label
 * ("SERIES in CITY[ (cumulative)][ (yuan)]", as fit_files.c spells it):
 * the catalog's label of SERIES with the place ("total": all cities), and
 * its unit ("% of the population": a share, drawn in percent). An
 * unknown series keeps
 * the label as it is. */
static void calibrate_panel(const char *group, char *head, size_t hn, char *unit, size_t un)
{
    const char *in = strstr(group, " in ");
    size_t n, len = in ? (size_t)(in - group) : 0;
    const struct catalog_metric *m = catalog_city(&n), *found = NULL;
    for (size_t i = 0; i < n && in; i++)
        if (m[i].column && strlen(m[i].column) == len && !strncmp(m[i].column, group, len))
            found = &m[i];
    int yuan = strstr(group, "(yuan)") != NULL, cumulative = strstr(group, "(cumulative)") != NULL;
    if (!found) {
        snprintf(head, hn, "%s", group);
        snprintf(unit, un, "%s", yuan ? "yuan" : "");
        return;
    }
    const char *city = in + 4, *end = strstr(city, " (");
    int city_len = end ? (int)(end - city) : (int)strlen(city);
    int total = city_len == 5 && !strncmp(city, "total", 5);
    /* Capitalized, but "e-CNY" keeps its lower-case e. */
    char first = found->label[0];
    if (first >= 'a' && first <= 'z' && found->label[1] != '-')
        first = (char)(first - 'a' + 'A');
    snprintf(head, hn, "%c%s in %.*s%s", first, found->label + 1, total ? 10 : city_len,
             total ? "all cities" : city, cumulative ? ", cumulative" : "");
    /* A share: "% of the population" from "share of the population". */
    if (found->type == CATALOG_SHARE)
        snprintf(unit, un, "%%%s",
                 !strncmp(found->unit, "share", 5) ? found->unit + 5 : " of the total");
    else
        snprintf(unit, un, "%s", yuan ? "yuan" : found->unit);
}

int plot_calibrate(const char *dir, const char *title, const char *groups, FILE *err)
{
    char plots[PATH_MAX], charts_dir[PATH_MAX], script[PATH_MAX + 32], csv[PATH_MAX + 32];
    if (prepare(dir, plots, sizeof plots, charts_dir, err) < 0)
        return -1;
    snprintf(script, sizeof script, "%s/calibrate.gp", plots);
    snprintf(csv, sizeof csv, "%s/calibrate-trajectory.csv", dir);
    /* Each group's title and unit, tab-separated in the same order. */
    size_t cap = 2 * strlen(groups) + 64, n_groups = 1;
    for (const char *g = groups; *g; g++)
        n_groups += *g == '\t';
    cap += n_groups * 96;
    char *heads = malloc(cap), *units = malloc(cap), *copy = strdup(groups);
    int rc = heads && units && copy ? 0 : -1;
    if (rc == 0) {
        char *hp = heads, *up = units, *save = NULL;
        *hp = *up = '\0';
        for (char *g = strtok_r(copy, "\t", &save); g; g = strtok_r(NULL, "\t", &save)) {
            char head[256], unit[64];
            calibrate_panel(g, head, sizeof head, unit, sizeof unit);
            hp += snprintf(hp, cap - (size_t)(hp - heads), "%s%s", hp > heads ? "\t" : "", head);
            up += snprintf(up, cap - (size_t)(up - units), "%s%s", g > copy ? "\t" : "", unit);
        }
        char prov[PLOT_PROVENANCE_MAX];
        plot_provenance(dir, prov, sizeof prov);
        const char *rest[] = {title, groups, heads, units, prov};
        struct chart c = {script, charts_dir, "calibrate", csv, rest, 5};
        rc = chart_draw(&c, err);
    } else {
        fprintf(err, "pilotsim: out of memory drawing %s/calibrate\n", charts_dir);
    }
    free(heads);
    free(units);
    free(copy);
    return rc;
}

/* The panels of a calibrate directory's trajectory: the distinct values
 * of calibrate-trajectory.csv's first column (group), tab-separated, in the
 * order met. A malloc'd string ("" when it has no rows), or NULL when it
 * cannot be read or memory runs out. */
static char *trajectory_groups(const char *csv)
{
    FILE *f = fopen(csv, "r");
    size_t cap = 256, len = 0;
    char *out = f ? malloc(cap) : NULL, field[256];
    if (!out) {
        if (f)
            fclose(f);
        return NULL;
    }
    out[0] = '\0';
    int r;
    while ((r = csv_field(f, field, sizeof field)) == 0) {} /* the header */
    while (r >= 0) {
        if ((r = csv_field(f, field, sizeof field)) < 0)
            break;
        char rest[64]; /* the row's other fields: skipped */
        for (int end = r; end == 0;)
            end = csv_field(f, rest, sizeof rest);
        if (!field[0])
            continue;
        /* New to the list? (compared whole, between tabs) */
        size_t n = strlen(field);
        int seen = 0;
        for (const char *p = out; *p && !seen; p = strchr(p, '\t') ? strchr(p, '\t') + 1 : "")
            seen = !strncmp(p, field, n) && (p[n] == '\t' || p[n] == '\0');
        if (seen)
            continue;
        if (len + n + 2 > cap) {
            char *grown = realloc(out, cap = 2 * (len + n + 2));
            if (!grown) {
                free(out);
                fclose(f);
                return NULL;
            }
            out = grown;
        }
        len += (size_t)sprintf(out + len, "%s%s", len ? "\t" : "", field);
    }
    fclose(f);
    return out;
}

int plot_calibrate_dir(const char *dir, FILE *err)
{
    char csv[PATH_MAX + 32], json[PATH_MAX + 32];
    snprintf(csv, sizeof csv, "%s/calibrate-trajectory.csv", dir);
    if (!is_file(csv)) {
        fprintf(err,
                "pilotsim: %s has no chart to draw: calibrate draws its trajectory "
                "(calibrate-trajectory.csv) only with --fit and series targets\n",
                dir);
        return 0;
    }
    char *groups = trajectory_groups(csv);
    if (!groups) {
        fprintf(err, "pilotsim: %s: cannot read it to draw the calibration\n", csv);
        return -1;
    }
    /* The title: the scenario's name, as calibrate.json records it. */
    snprintf(json, sizeof json, "%s/calibrate.json", dir);
    struct ytree_ctx ctx;
    ytree_init(&ctx, err);
    ctx.what = "calibrate.json";
    struct ytree_id id;
    struct ytree *top = ytree_read(&ctx, json, NULL, &id);
    struct ytree *name = top ? ytree_get(top, "scenario", NULL) : NULL;
    int rc = -1;
    if (!top)
        ; /* reported */
    else if (!*groups)
        fprintf(err, "pilotsim: %s has no rows: no trajectory to draw\n", csv), rc = 0;
    else
        rc = plot_calibrate(dir, name && name->kind == YTREE_SCALAR ? name->text : "", groups, err);
    ytree_destroy(&ctx);
    free(groups);
    return rc;
}

/* prepare, for the chart families drawn outside this module (the load
 * test's, sim/loadtest/loadtest_plot.c). */
int plot_prepare(const char *dir, char *plots, size_t size, char *charts_dir, FILE *err)
{
    return prepare(dir, plots, size, charts_dir, err);
}
