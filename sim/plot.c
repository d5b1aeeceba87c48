/* plot: gnuplot runs for each chart, arguments passed as data. */
#include "plot.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
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

/* A relative path as gnuplot must see it: a name that starts with '<' or
 * '|' would be a command to gnuplot's `plot`, `load` and `set output`, so
 * every path we pass starts with '/' or "./". The result is malloc'd. */
static char *gp_path(const char *path) {
    size_t n = strlen(path) + 3;
    char *out = malloc(n);
    if (out)
        snprintf(out, n, "%s%s", path[0] == '/' ? "" : "./", path);
    return out;
}

/* What gnuplot printed (its stdout and stderr): kept to quote when it fails,
 * dropped when it succeeds. Past the cap, the oldest half goes: the error
 * that ends a failed run comes last. */
#define SAID_MAX 16384
struct said {
    char text[SAID_MAX];
    size_t n;
    int cut;                   /* something was dropped from the front */
};

static void said_add(struct said *s, const char *p, size_t n) {
    if (n > SAID_MAX / 2) {            /* a huge read: its tail alone */
        p += n - SAID_MAX / 2;
        n = SAID_MAX / 2;
        s->n = 0;
        s->cut = 1;
    }
    if (s->n + n > SAID_MAX) {         /* full: keep the newer half */
        size_t drop = s->n + n - SAID_MAX / 2;
        memmove(s->text, s->text + drop, s->n - drop);
        s->n -= drop;
        s->cut = 1;
    }
    memcpy(s->text + s->n, p, n);
    s->n += n;
}

/* Run gnuplot with argv, its output read from a pipe into `said` until it
 * exits (reading as it goes, so a talkative gnuplot never blocks on a full
 * pipe). 0 with its wait status in *status, or -1 (it could not start:
 * the message is on err). */
static int gp_spawn(char *const argv[], struct said *said, int *status, FILE *err) {
    int fd[2];
    if (pipe(fd) != 0) {
        fprintf(err, "pilotsim: cannot run gnuplot: %s\n", strerror(errno));
        return -1;
    }
    /* Our end must not leak into other children (the replication farm's). */
    fcntl(fd[0], F_SETFD, FD_CLOEXEC);
    fcntl(fd[1], F_SETFD, FD_CLOEXEC);
    pid_t pid;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    /* gnuplot reads nothing from us: give it /dev/null, not our terminal;
     * what it prints goes to the pipe, not to the user. */
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fd[1], 1);
    posix_spawn_file_actions_adddup2(&fa, fd[1], 2);
    int rc = posix_spawnp(&pid, "gnuplot", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fd[1]);
    if (rc != 0) {
        close(fd[0]);
        fprintf(err, "pilotsim: cannot run gnuplot: %s (install gnuplot-nox, or use --no-charts)\n",
                strerror(rc));
        return -1;
    }
    char buf[4096];
    for (;;) {
        ssize_t n = read(fd[0], buf, sizeof buf);
        if (n > 0)
            said_add(said, buf, (size_t)n);
        else if (n == 0 || errno != EINTR)
            break;
    }
    close(fd[0]);
    while (waitpid(pid, status, 0) < 0)
        if (errno != EINTR) {
            fprintf(err, "pilotsim: waiting for gnuplot: %s\n", strerror(errno));
            return -1;
        }
    return 0;
}

/* PNG: the signature, then chunks (length, type, data, CRC-32 of type and
 * data) from IHDR to IEND, and nothing after IEND. Every CRC is checked, so
 * a file with a hole (a write that failed, then one that did not) fails
 * as surely as a cut one. */
static uint32_t png_crc(uint32_t crc, const unsigned char *p, size_t n) {
    while (n--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
    }
    return crc;
}

static uint32_t be32(const unsigned char *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int png_complete(const unsigned char *p, size_t n) {
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (n < 8 || memcmp(p, sig, 8) != 0)
        return 0;
    for (size_t at = 8, first = 1; n - at >= 12; first = 0) {
        uint32_t len = be32(p + at);
        if (len > n - at - 12)
            return 0;
        const unsigned char *type = p + at + 4;
        if (first && memcmp(type, "IHDR", 4) != 0)
            return 0;
        if (png_crc(0xFFFFFFFFu, type, 4 + (size_t)len) ^ 0xFFFFFFFFu ^ be32(type + 4 + len))
            return 0;
        at += 12 + (size_t)len;
        if (memcmp(type, "IEND", 4) == 0)
            return at == n;
    }
    return 0;
}

/* SVG: the XML declaration or <svg first, the closing </svg> last
 * (whitespace after it aside). gnuplot writes the file front to back, so a
 * cut file lacks the end. */
static int svg_complete(const unsigned char *p, size_t n) {
    while (n > 0 && (p[n - 1] == '\n' || p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    return n >= 11 && (memcmp(p, "<?xml", 5) == 0 || memcmp(p, "<svg", 4) == 0) &&
           memcmp(p + n - 6, "</svg>", 6) == 0;
}

int plot_file_complete(const char *path) {
    size_t len = strlen(path);
    int png = len > 4 && strcmp(path + len - 4, ".png") == 0;
    int svg = len > 4 && strcmp(path + len - 4, ".svg") == 0;
    FILE *f = png || svg ? fopen(path, "rb") : NULL;
    if (!f)
        return 0;
    unsigned char *data = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n == cap) {
            unsigned char *grown = realloc(data, cap = cap ? 2 * cap : 65536);
            if (!grown)
                break;
            data = grown;
        }
        size_t got = fread(data + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    int ok = !ferror(f) && data && (png ? png_complete(data, n) : svg_complete(data, n));
    fclose(f);
    free(data);
    return ok;
}

/* One chart: gnuplot runs SCRIPT with ARG1, OUT and the rest, and writes
 * OUT.png and OUT.svg, where OUT is a temporary name in charts_dir
 * (.NAME.tmp-PID-K) whose two files we create first, exclusively and
 * without following links. Both are renamed to NAME.png and NAME.svg only
 * when gnuplot exited 0 and each file is complete (plot_file_complete):
 * gnuplot does not report a failed write (a full disk), so a cut file
 * would otherwise pass. On failure both temporaries go, the message names
 * the chart and quotes what gnuplot said, and nothing of the chart is left. */
struct chart {
    const char *script;        /* path of plots/NAME.gp */
    const char *charts_dir;    /* DIR/charts */
    const char *name;          /* the chart's file name without extension */
    const char *arg1;          /* the data: a CSV, or compare's directory */
    const char *const *rest;   /* ARG3 ... */
    size_t n_rest;
};

#define CHART_MAX_ARGS 12

static int draw(const struct chart *c, FILE *err) {
    static const char *const ext[2] = {".png", ".svg"};
    size_t size = strlen(c->charts_dir) + strlen(c->name) + 64;
    char *base = malloc(size), *tmp[2] = {malloc(size), malloc(size)};
    char *final[2] = {malloc(size), malloc(size)};
    char *script = gp_path(c->script), *arg1 = gp_path(c->arg1), *out = NULL;
    int rc = -1, made = 0;
    if (!base || !tmp[0] || !tmp[1] || !final[0] || !final[1] || !script || !arg1 ||
        c->n_rest + 5 > CHART_MAX_ARGS) {
        fprintf(err, "pilotsim: out of memory drawing %s/%s\n", c->charts_dir, c->name);
        goto done;
    }
    for (int i = 0; i < 2; i++)
        snprintf(final[i], size, "%s/%s%s", c->charts_dir, c->name, ext[i]);
    /* A name of our own for both files; another (a stale temporary, a link
     * planted there) is never opened, we take the next. */
    for (unsigned k = 0; !made && k < 1000; k++) {
        snprintf(base, size, "%s/.%s.tmp-%ld-%u", c->charts_dir, c->name, (long)getpid(), k);
        int fd[2] = {-1, -1};
        for (int i = 0; i < 2; i++) {
            snprintf(tmp[i], size, "%s%s", base, ext[i]);
            fd[i] = open(tmp[i], O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
            if (fd[i] < 0)
                break;
        }
        int saved = errno;
        for (int i = 0; i < 2; i++)
            if (fd[i] >= 0)
                close(fd[i]);
        made = fd[0] >= 0 && fd[1] >= 0;
        if (!made && fd[0] >= 0)
            unlink(tmp[0]);
        if (!made && saved != EEXIST) {
            fprintf(err, "pilotsim: cannot write chart %s: %s\n", final[0], strerror(saved));
            goto done;
        }
    }
    if (!made) {
        fprintf(err, "pilotsim: cannot write chart %s: no free temporary name\n", final[0]);
        goto done;
    }
    out = gp_path(base);
    char *argv[CHART_MAX_ARGS + 1] = {"gnuplot", "-c", script, arg1, out};
    for (size_t i = 0; i < c->n_rest; i++)
        argv[5 + i] = (char *)c->rest[i];   /* posix_spawn's argv is not const */
    argv[5 + c->n_rest] = NULL;
    struct said *said = calloc(1, sizeof *said);
    int status;
    if (!out || !said)
        fprintf(err, "pilotsim: out of memory drawing %s/%s\n", c->charts_dir, c->name);
    else if (gp_spawn(argv, said, &status, err) < 0)
        ;
    else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        if (WIFSIGNALED(status))
            fprintf(err, "pilotsim: cannot draw chart %s/%s: gnuplot was killed by signal %d",
                    c->charts_dir, c->name, WTERMSIG(status));
        else
            fprintf(err, "pilotsim: cannot draw chart %s/%s: gnuplot failed (exit status %d)",
                    c->charts_dir, c->name, WEXITSTATUS(status));
        /* Its own words, blank lines trimmed, after ours. */
        size_t from = 0, to = said->n;
        while (from < to && (said->text[from] == '\n' || said->text[from] == '\r'))
            from++;
        while (to > from && (said->text[to - 1] == '\n' || said->text[to - 1] == '\r'))
            to--;
        if (to > from)
            fprintf(err, "; it said:\n%s%.*s\n", said->cut ? "[...]\n" : "", (int)(to - from),
                    said->text + from);
        else
            fputc('\n', err);
    } else {
        rc = 0;
        for (int i = 0; rc == 0 && i < 2; i++)
            if (!plot_file_complete(tmp[i])) {
                /* statvfs tells a full disk from another failed write. */
                struct statvfs fs;
                int full = statvfs(c->charts_dir, &fs) == 0 && fs.f_bavail == 0;
                struct stat st;
                long long bytes = stat(tmp[i], &st) == 0 ? (long long)st.st_size : 0;
                if (full)
                    fprintf(err, "pilotsim: cannot write chart %s: no space left on device "
                            "(gnuplot's file is incomplete, %lld bytes)\n", final[i], bytes);
                else
                    fprintf(err, "pilotsim: cannot write chart %s: the file gnuplot wrote is "
                            "incomplete or damaged (%lld bytes)\n", final[i], bytes);
                rc = -1;
            }
        for (int i = 0; rc == 0 && i < 2; i++)
            if (rename(tmp[i], final[i]) != 0) {
                fprintf(err, "pilotsim: cannot write chart %s: %s\n", final[i], strerror(errno));
                rc = -1;
            }
    }
    free(said);
    /* Whatever was not renamed is a temporary: none is left. */
    for (int i = 0; i < 2; i++)
        unlink(tmp[i]);
done:
    free(base);
    free(out);
    free(script);
    free(arg1);
    for (int i = 0; i < 2; i++) {
        free(tmp[i]);
        free(final[i]);
    }
    return rc;
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
        rc = draw(&c, err);
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
        rc = draw(&c, err);
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
    int rc = draw(&c, err);
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
        rc = draw(&c, err);
    }
    return rc;
}
