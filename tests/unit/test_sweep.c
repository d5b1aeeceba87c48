/* Unit tests of sweep: the grid expands with the first --vary key slowest,
 * each point is the base scenario with its values set, sweep.csv labels
 * every point with its values in that order, and bad --vary or --metric
 * options (and a first key with one value) are refused with one line
 * before anything runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "experiment/sweep.h"
#include "test.h"

static const char *const sets[] = {"step=12h"};

/* sweep_load with one message line captured in msg (empty when none). */
static struct sweep *load(const char *const *varies, size_t n, const char *metric, char *msg,
                          size_t size)
{
    FILE *err = tmpfile();
    struct sweep *w = sweep_load("tests/data/tiny.yaml", sets, 1, varies, n, &metric,
                                 metric ? 1 : 0, err ? err : stderr);
    msg[0] = '\0';
    if (err) {
        rewind(err);
        if (!fgets(msg, (int)size, err))
            msg[0] = '\0';
        fclose(err);
    }
    return w;
}

/* The grid: seed slowest (1, 2), sample fastest (100, 200, 300). */
static void test_grid(void)
{
    const char *varies[] = {"seed=1,2", "sample=100,200,300"};
    char msg[512];
    struct sweep *w = load(varies, 2, NULL, msg, sizeof msg);
    check(w != NULL, "a 2 x 3 grid loads");
    size_t n = 0;
    const struct scenario *const *p = w ? sweep_points(w, &n) : NULL;
    static const double want[6][2] = {{1, 100}, {1, 200}, {1, 300}, {2, 100}, {2, 200}, {2, 300}};
    int ok = n == 6;
    for (size_t i = 0; ok && i < n; i++)
        ok = (double)p[i]->seed == want[i][0] && p[i]->sample == want[i][1];
    check(ok, "six points, the first key slowest (%zu)", n);
    check(ok && p[0]->step_s == 43200 && p[5]->step_s == 43200,
          "each point keeps the base's --set");

    /* sweep.csv: point, the keys, then every metric's mean and interval. */
    char dir[] = "/tmp/pilotsim-sweep-XXXXXX", path[600];
    struct run_options o = {
        .out_dir = dir, .version = "test", .quiet = 1, .charts = 0, .replications = 2, .jobs = 1};
    int ran = w && mkdtemp(dir) && sweep_run(w, &o, stderr) == EXPERIMENT_OK;
    check(ran, "the sweep runs (2 replications a point)");
    snprintf(path, sizeof path, "%s/sweep.csv", dir);
    FILE *f = ran ? fopen(path, "r") : NULL;
    char *line[8] = {NULL};
    size_t lines = 0, cap[8] = {0};
    while (f && lines < 8 && getline(&line[lines], &cap[lines], f) > 0)
        lines++;
    if (f)
        fclose(f);
    static const char head[] = "point,seed,sample,events,events_ci_lo,events_ci_hi,total.wallets,";
    check(lines == 7 && strncmp(line[0], head, strlen(head)) == 0,
          "a header (point, the keys, the catalog's metrics) and a row per point");
    static const char *const heads[6] = {"0,1,100,", "1,1,200,", "2,1,300,",
                                         "3,2,100,", "4,2,200,", "5,2,300,"};
    ok = lines == 7;
    for (size_t i = 0; ok && i < 6; i++)
        ok = strncmp(line[i + 1], heads[i], strlen(heads[i])) == 0;
    check(ok, "rows labelled with their values, in grid order");
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    check(system(cmd) == 0, "clean up");
    for (size_t i = 0; i < 8; i++)
        free(line[i]);
    sweep_free(w);
}

/* Refusals: one line, and no sweep. */
static void test_refusals(void)
{
    char msg[512];
    const char *dup[] = {"seed=1,2", "seed=3"};
    struct sweep *w = load(dup, 2, NULL, msg, sizeof msg);
    check(!w && strstr(msg, "--vary seed given twice"), "a key given twice: %s", msg);
    const char *empty[] = {"seed=1,,2"};
    w = load(empty, 1, NULL, msg, sizeof msg);
    check(!w && strstr(msg, "an empty value"), "an empty value: %s", msg);
    const char *ok[] = {"seed=1,2"};
    w = load(ok, 1, "total.adoptoin", msg, sizeof msg);
    check(!w && strstr(msg, "unknown metric 'total.adoptoin'") &&
              strstr(msg, "did you mean 'total.adoption'"),
          "an unknown metric, with the closest name: %s", msg);
    w = load(ok, 1, "cities.hamlet.latency_ms.p999", msg, sizeof msg);
    check(w != NULL && msg[0] == '\0', "a city's metric from the catalog is accepted");
    sweep_free(w);
    /* The first key is the charts' x axis: one value would be a lone point. */
    const char *lone[] = {"seed=3", "sample=100,200"};
    w = load(lone, 2, NULL, msg, sizeof msg);
    check(!w && strstr(msg, "--vary seed has one value; the first --vary key needs two or more") &&
              strstr(msg, "use --set seed=3"),
          "a first key with one value: %s", msg);
    const char *later[] = {"sample=100,200", "seed=3"};
    w = load(later, 2, NULL, msg, sizeof msg);
    check(w != NULL && msg[0] == '\0', "a later key with one value is accepted");
    sweep_free(w);
}

int main(void)
{
    test_plan(13);
    test_grid();
    test_refusals();
    return test_done();
}
