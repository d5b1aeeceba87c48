/* Unit tests of report: files written whole and atomically, JSON escaping,
 * CSV layout, local ISO times, and failures that leave nothing behind. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "experiment/trial.h"
#include "metrics/catalog.h"
#include "model/model.h"
#include "output/report.h"
#include "scenario/scenario.h"
#include "test.h"

static char *slurp(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    if (buf)
        buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Files in dir whose name starts with a dot (temporaries). */
static int hidden_files(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += e->d_name[0] == '.' && strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    if (d)
        closedir(d);
    return n;
}

/* A single run's files, through the one writer (R = 1). */
static int write_one(const char *dir, const struct scenario *s, const struct model_result *r,
                     const struct run_info *info, FILE *err)
{
    struct catalog *cat = catalog_new(s);
    struct outcome one;
    if (!cat || trial_outcome(s, r, 1, &one) < 0) {
        catalog_free(cat);
        return -1;
    }
    struct report_run run = {s, cat, &one, 1, NULL, info, NULL};
    int rc = report_write(dir, &run, err);
    outcome_destroy(&one);
    catalog_free(cat);
    return rc;
}

int main(void)
{
    /* Root writes into a read-only folder: those three checks need a user. */
    test_plan(17 + (getuid() != 0 ? 3 : 0));
    const char *sets[] = {"sample=5000"};
    struct scenario *s = scenario_load("tests/data/quick.yaml", sets, 1, stderr);
    check(s != NULL, "load the quick scenario");
    if (!s)
        return test_done();
    struct model_result *r = model_run(s, 0, NULL, NULL);
    check(r != NULL, "run it");
    if (!r)
        return test_done();

    char time_buf[32];
    report_time(s, 0, time_buf);
    check(strcmp(time_buf, "2020-12-01T00:00:00+08:00") == 0, "start in local ISO 8601: %s",
          time_buf);
    report_time(s, 86400 + 3600.25, time_buf);
    check(strcmp(time_buf, "2020-12-02T01:00:00.250+08:00") == 0, "milliseconds when not whole: %s",
          time_buf);

    char dir[] = "/tmp/pilotsim-report-XXXXXX";
    check(mkdtemp(dir) != NULL, "temporary directory");
    char out[600];
    snprintf(out, sizeof out, "%s/a/b", dir);

    /* A name that needs every JSON escape. */
    char *name = s->name;
    s->name = "Quote \" backslash \\ newline \n tab \t bell \a";
    struct run_info info = {.version = "test", .wall_s = 1.5};
    strcpy(info.started_at, "2026-01-01T00:00:00Z");
    strcpy(info.host, "h");
    check(write_one(out, s, r, &info, stderr) == 0, "report_write creates parents and writes");
    s->name = name;
    char *json = slurp(out, "summary.json"), *csv = slurp(out, "timeseries.csv"),
         *yaml = slurp(out, "scenario.yaml");
    check(json && csv && yaml, "summary.json, timeseries.csv and scenario.yaml exist");
    check(hidden_files(out) == 0, "no temporary file is left");
    check(json && strstr(json, "\"Quote \\\" backslash \\\\ newline \\n tab \\t bell \\u0007\""),
          "names are escaped as JSON strings");
    check(json && strstr(json, "{\n  \"schema_version\": 2,"), "schema_version first");
    check(json && strstr(json, "\"wall_s\": 1.5,"), "the run section carries wall_s");
    check(csv && strncmp(csv, "time,city,wallets,", 18) == 0, "CSV header first");
    size_t lines = 0;
    for (const char *p = csv; p && *p; p++)
        lines += *p == '\n';
    check(lines == r->series.n_rows + 1, "a CSV line per row plus the header (%zu)", lines);
    check(csv && strstr(csv, "\n2020-12-02T00:00:00+08:00,shenzhen,"),
          "rows start with the bucket's end");
    free(json);
    free(csv);
    free(yaml);

    /* A scenario that reads back the same. */
    char resolved[700];
    snprintf(resolved, sizeof resolved, "%s/scenario.yaml", out);
    struct scenario *back = scenario_load(resolved, NULL, 0, stderr);
    check(back && back->seed == s->seed && back->duration_s == s->duration_s &&
              back->n_cities == s->n_cities && back->sample == s->sample,
          "the resolved scenario loads back");
    scenario_free(back);

    /* Failures: a path under a regular file, then an unwritable directory. */
    char file[600], under[700];
    snprintf(file, sizeof file, "%s/file", dir);
    fclose(fopen(file, "w"));
    snprintf(under, sizeof under, "%s/x", file);
    FILE *devnull = fopen("/dev/null", "w");
    check(write_one(under, s, r, &info, devnull) < 0, "a path under a file fails");
    if (getuid() != 0) {
        char ro[600];
        snprintf(ro, sizeof ro, "%s/ro", dir);
        check(report_mkdir(ro, devnull) == 0, "make a directory");
        chmod(ro, 0500);
        check(write_one(ro, s, r, &info, devnull) < 0, "an unwritable directory fails");
        check(hidden_files(ro) == 0, "and leaves no temporary behind");
        chmod(ro, 0700);
    }
    fclose(devnull);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    check(system(cmd) == 0, "clean up");
    model_result_free(r);
    scenario_free(s);
    return test_done();
}
