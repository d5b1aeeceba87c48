/* plot: which charts each command draws, from which files, with which arguments. */
#include "plot.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chart.h"
#include "report.h"

static const char *const charts[] = {"adoption", "throughput", "latency"};

static int is_file(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Where the chart scripts are: see plot.h. */
static int plot_dir(char *out, size_t size) {
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
static char *join_cities(const struct scenario *s, int names) {
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

/* Does the run's CSV hold interval columns (a replicated run)? Read from the
 * header, so `pilotsim plot DIR` redraws either kind of run the same way. */
static int has_bands(const char *csv) {
    FILE *f = fopen(csv, "r");
    char line[4096];
    int yes = f && fgets(line, sizeof line, f) && strstr(line, "_ci_lo");
    if (f)
        fclose(f);
    return yes;
}

int plot_render(const char *dir, const struct scenario *s, FILE *err) {
    char plots[PATH_MAX], charts_dir[PATH_MAX], csv[PATH_MAX];
    if (plot_dir(plots, sizeof plots) < 0) {
        fprintf(err, "pilotsim: cannot find the chart scripts (plots/*.gp); set PILOTSIM_PLOTS\n");
        return -1;
    }
    snprintf(csv, sizeof csv, "%s/timeseries.csv", dir);
    if (!is_file(csv)) {
        fprintf(err, "pilotsim: %s: no time series to plot\n", csv);
        return -1;
    }
    snprintf(charts_dir, sizeof charts_dir, "%s/charts", dir);
    if (report_mkdir(charts_dir, err) < 0)
        return -1;
    char *ids = join_cities(s, 0), *names = join_cities(s, 1);
    int rc = ids && names ? 0 : -1;
    const char *bands = has_bands(csv) ? "ci" : "";
    for (size_t i = 0; rc == 0 && i < sizeof charts / sizeof charts[0]; i++) {
        char script[PATH_MAX + 32];
        snprintf(script, sizeof script, "%s/%s.gp", plots, charts[i]);
        const char *rest[] = {s->name, ids, names, bands};
        struct chart c = {script, charts_dir, charts[i], csv, rest, 4};
        rc = chart_draw(&c, err);
    }
    free(ids);
    free(names);
    return rc;
}

/* What every chart family needs first: where the scripts are, and
 * dir/charts/ created. 0, or -1 with a message. */
static int prepare(const char *dir, char *plots, size_t size, char *charts_dir, FILE *err) {
    if (plot_dir(plots, size) < 0) {
        fprintf(err, "pilotsim: cannot find the chart scripts (plots/*.gp); set PILOTSIM_PLOTS\n");
        return -1;
    }
    snprintf(charts_dir, PATH_MAX, "%s/charts", dir);
    return report_mkdir(charts_dir, err);
}

static const char *const compare_kinds[PLOT_COMPARE_CHARTS] = {"adoption", "throughput",
                                                               "latency"};
static const char *const compare_columns[PLOT_COMPARE_CHARTS] = {"adoption", "tps_mean",
                                                                 "latency_p99_ms"};

const char *plot_compare_column(size_t k) {
    return k < PLOT_COMPARE_CHARTS ? compare_columns[k] : NULL;
}

/* One gnuplot per chart kind. The scripts build each plan's CSV path from
 * DIR and the label (path-safe by construction in compare.c), so DIR
 * travels whole as one argument; labels and city names travel as
 * tab-separated data; the title is the labels joined with " vs ". */
int plot_compare(const char *dir, const struct scenario *s, const char *const *labels,
                 size_t n_labels, const int *drawn, FILE *err) {
    char plots[PATH_MAX], charts_dir[PATH_MAX];
    if (prepare(dir, plots, sizeof plots, charts_dir, err) < 0)
        return -1;
    size_t len = 1;
    for (size_t p = 0; p < n_labels; p++)
        len += strlen(labels[p]) + 4;
    char *tabbed = malloc(len), *title = malloc(len);
    char *ids = join_cities(s, 0), *names = join_cities(s, 1);
    int rc = tabbed && title && ids && names ? 0 : -1;
    if (rc == 0) {
        tabbed[0] = title[0] = '\0';
        for (size_t p = 0; p < n_labels; p++) {
            strcat(strcat(tabbed, p ? "\t" : ""), labels[p]);
            strcat(strcat(title, p ? " vs " : ""), labels[p]);
        }
    }
    for (size_t i = 0; rc == 0 && i < PLOT_COMPARE_CHARTS; i++) {
        char script[PATH_MAX + 32], flags[SCENARIO_MAX_CITIES * 2 + 1] = "";
        for (size_t c = 0; c < s->n_cities && c < SCENARIO_MAX_CITIES; c++)
            strcat(strcat(flags, c ? "\t" : ""), drawn[i * SCENARIO_MAX_CITIES + c] ? "1" : "0");
        snprintf(script, sizeof script, "%s/compare-%s.gp", plots, compare_kinds[i]);
        const char *rest[] = {title, ids, names, tabbed, flags};
        struct chart c = {script, charts_dir, compare_kinds[i], dir, rest, 5};
        rc = chart_draw(&c, err);
    }
    free(tabbed);
    free(title);
    free(ids);
    free(names);
    return rc;
}

/* One gnuplot for one metric; the metric's name (checked against the
 * catalog: ids and leaves, no path separators) names the file. */
int plot_sweep(const char *dir, const char *title, const char *metric, const char *xkey,
               const char *xvalues, int numeric, const char *groups, int bars, FILE *err) {
    char plots[PATH_MAX], charts_dir[PATH_MAX], script[PATH_MAX + 32], csv[PATH_MAX + 32];
    if (prepare(dir, plots, sizeof plots, charts_dir, err) < 0)
        return -1;
    snprintf(script, sizeof script, "%s/sweep.gp", plots);
    snprintf(csv, sizeof csv, "%s/sweep.csv", dir);
    size_t len = strlen(metric) + 8;
    char *name = malloc(len);
    if (!name)
        return -1;
    snprintf(name, len, "sweep-%s", metric);
    const char *rest[] = {title, metric, xkey, xvalues, groups, numeric ? "numeric" : "category",
                          bars ? "ci" : ""};
    struct chart c = {script, charts_dir, name, csv, rest, 7};
    int rc = chart_draw(&c, err);
    free(name);
    return rc;
}

/* The three load-test charts; the utilization chart reads the resources'
 * CSV, whose rows come n_resources to an interval. */
int plot_loadtest(const char *dir, const char *title, const char *ids, size_t n_resources,
                  FILE *err) {
    static const char *const names[3] = {"loadtest-knee", "loadtest-latency",
                                         "loadtest-utilization"};
    static const char *const csvs[3] = {"loadtest.csv", "loadtest.csv",
                                        "loadtest_resources.csv"};
    char plots[PATH_MAX], charts_dir[PATH_MAX], nres[32];
    if (prepare(dir, plots, sizeof plots, charts_dir, err) < 0)
        return -1;
    snprintf(nres, sizeof nres, "%zu", n_resources);
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < 3; k++) {
        char script[PATH_MAX + 32], csv[PATH_MAX + 32];
        snprintf(script, sizeof script, "%s/%s.gp", plots, names[k]);
        snprintf(csv, sizeof csv, "%s/%s", dir, csvs[k]);
        const char *rest[] = {title, ids, nres};
        struct chart c = {script, charts_dir, names[k], csv, rest, 3};
        rc = chart_draw(&c, err);
    }
    return rc;
}
