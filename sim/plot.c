/* plot: gnuplot runs for each chart, arguments passed as data. */
#include "plot.h"

#include <errno.h>
#include <limits.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report.h"

extern char **environ;

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

static int run_gnuplot(char *const argv[], FILE *err) {
    pid_t pid;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    /* gnuplot reads nothing from us: give it /dev/null, not our terminal. */
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", 0, 0);
    int rc = posix_spawnp(&pid, "gnuplot", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        fprintf(err, "pilotsim: cannot run gnuplot: %s (install gnuplot-nox, or use --no-charts)\n",
                strerror(rc));
        return -1;
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(err, "pilotsim: gnuplot failed on %s\n", argv[2]);
        return -1;
    }
    return 0;
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
    for (size_t i = 0; rc == 0 && i < sizeof charts / sizeof charts[0]; i++) {
        char script[PATH_MAX + 32], out[PATH_MAX + 32];
        snprintf(script, sizeof script, "%s/%s.gp", plots, charts[i]);
        snprintf(out, sizeof out, "%s/%s", charts_dir, charts[i]);
        char *argv[] = {"gnuplot", "-c", script, csv, out, s->name, ids, names, NULL};
        rc = run_gnuplot(argv, err);
    }
    free(ids);
    free(names);
    return rc;
}
