/* Unit tests of a sweep read back from its files (sweep_files) and of its
 * report (sweep_report): numbers for reading (5 M, 12.3 k, 1000, 0.35),
 * the scale and unit a metric is shown in (a share in percent, fen in
 * millions of yuan, payments in millions), and the answer the report
 * gives on a made-up summary.json whose response is known: it rises with
 * the first key and flattens from its second value, the second key makes
 * little difference, a metric whose highest and lowest points' paired
 * difference (from their replications.csv) holds zero makes "no clear
 * difference", one without values says so; a summary.json that
 * is not a sweep's is refused with one line. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "experiment/sweep_files.h"
#include "experiment/sweep_report.h"
#include "output/doc.h"
#include "test.h"

static char root[64];

static void put(const char *rel, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* The whole of root/rel (static; "" when absent). */
static const char *slurp(const char *rel)
{
    static char buf[1 << 16];
    char path[256];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = '\0';
    return buf;
}

static void test_numbers(void)
{
    static const struct {
        double x;
        const char *want;
    } cases[] = {{5e6, "5 M"},    {1e7, "10 M"},  {12345, "12.3 k"}, {-5e6, "-5 M"},
                 {999.6, "1000"}, {0.35, "0.35"}, {2.5e10, "25 bn"}, {1749.4, "1749"}};
    char buf[32];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check(!strcmp(sweep_files_number(cases[i].x, buf, sizeof buf), cases[i].want),
              "%.10g reads %s (got %s)", cases[i].x, cases[i].want, buf);
    check(!strcmp(sweep_files_number(NAN, buf, sizeof buf), "-"), "no number reads -");
}

/* A point: its values, and three metrics' mean, sd, ci_lo, ci_hi. */
static void point(FILE *f, int p, const char *x, const char *y, double a, double b, int last)
{
    fprintf(
        f,
        "    {\"point\": %d, \"dir\": \"points/%d\", \"values\": {\"k.x\": %s, \"k.y\": \"%s\"},\n"
        "     \"metrics\": {\"total.payments\": %.10g, \"total.payments_sd\": 1, "
        "\"total.payments_ci_lo\": %.10g, \"total.payments_ci_hi\": %.10g, "
        "\"total.adoption\": %.10g, \"total.adoption_sd\": 0.01, \"total.adoption_ci_lo\": %.10g, "
        "\"total.adoption_ci_hi\": %.10g, \"total.value_fen\": 12000000000, "
        "\"total.value_fen_sd\": null, \"total.value_fen_ci_lo\": null, "
        "\"total.value_fen_ci_hi\": null, \"total.latency_ms.p99\": null}}%s\n",
        p, p, x, y, a, a - 0.5, a + 0.5, b, b - 0.05, b + 0.05, last ? "" : ",");
}

/* Point p's replications.csv: payments a -+ 1 (the same noise at every
 * point, as common random numbers give), adoption b -+ 0.05 with the noise
 * reversed at odd points (paired differences as wide as the intervals). */
static void replications(int p, double a, double b)
{
    char rel[64], path[256];
    snprintf(rel, sizeof rel, "points/%d", p);
    snprintf(path, sizeof path, "%s/points", root);
    mkdir(path, 0777);
    snprintf(path, sizeof path, "%s/%s", root, rel);
    mkdir(path, 0777);
    snprintf(path, sizeof path, "%s/%s/replications.csv", root, rel);
    FILE *f = fopen(path, "w");
    if (!f)
        return;
    fputs("replication,total.payments,total.adoption\n", f);
    for (int r = 0; r < 3; r++)
        fprintf(f, "%d,%.10g,%.10g\n", r, a + (r - 1), b + 0.05 * (r - 1) * (p % 2 ? -1 : 1));
    fclose(f);
}

/* Payments rise with x (1 M, 2 M, 2.1 M, 2.15 M: flat from x = 2), the
 * same at y = a and b; adoption moves by less than its interval. */
static void write_sweep(void)
{
    char path[256];
    snprintf(path, sizeof path, "%s/summary.json", root);
    FILE *f = fopen(path, "w");
    if (!f)
        return;
    fputs("{\"schema_version\": 1, \"kind\": \"sweep\", \"scenario\": \"made up\", \"seed\": 1,\n"
          " \"replications\": 3, \"warnings\": [\"sample 50: latency is approximate\"],\n"
          " \"keys\": [{\"key\": \"k.x\", \"label\": \"x (k)\", \"values\": [\"1\", \"2\", \"3\", "
          "\"4\"], \"numeric\": true},\n"
          "          {\"key\": \"k.y\", \"label\": \"y (k)\", \"values\": [\"a\", \"b\"], "
          "\"numeric\": false}],\n"
          " \"metrics\": [\n"
          "  {\"name\": \"total.payments\", \"label\": \"e-CNY payments\", \"where\": \"all "
          "cities\", \"unit\": \"payments\", \"type\": \"count\", \"better\": \"higher\", "
          "\"charted\": true},\n"
          "  {\"name\": \"total.adoption\", \"label\": \"adoption\", \"where\": \"all cities\", "
          "\"unit\": \"share of the population\", \"type\": \"share\", \"better\": \"higher\", "
          "\"charted\": true},\n"
          "  {\"name\": \"total.latency_ms.p99\", \"label\": \"p99 latency\", \"where\": \"all "
          "cities\", \"unit\": \"ms\", \"type\": \"latency\", \"better\": \"lower\", \"charted\": "
          "true},\n"
          "  {\"name\": \"total.value_fen\", \"label\": \"value of e-CNY payments\", \"where\": "
          "\"all cities\", \"unit\": \"fen\", \"type\": \"count\", \"better\": \"higher\", "
          "\"charted\": false}],\n"
          " \"points\": [\n",
          f);
    static const double pay[4] = {1e6, 2e6, 2.1e6, 2.15e6};
    static const char *const xs[4] = {"1", "2", "3", "4"};
    for (int p = 0; p < 8; p++) {
        double a = pay[p / 2] + (p % 2), b = 0.1 + 0.001 * p;
        point(f, p, xs[p / 2], p % 2 ? "b" : "a", a, b, p == 7);
        replications(p, a, b);
    }
    fputs(" ],\n \"run\": {\"version\": \"test\"}}\n", f);
    fclose(f);
}

static void test_scale(const struct sweep_files *f)
{
    double scale;
    char unit[64];
    sweep_files_scale(f, 0, &scale, unit, sizeof unit);
    check(scale == 1e-6 && !strcmp(unit, "million payments"), "payments in millions: %g %s", scale,
          unit);
    sweep_files_scale(f, 1, &scale, unit, sizeof unit);
    check(scale == 100 && !strcmp(unit, "% of the population"), "a share in percent: %g %s", scale,
          unit);
    sweep_files_scale(f, 3, &scale, unit, sizeof unit);
    check(fabs(scale - 1e-8) < 1e-20 && !strcmp(unit, "million yuan"),
          "fen in millions of yuan: %g %s", scale, unit);
}

static void test_report(void)
{
    write_sweep();
    struct sweep_files f;
    int rc = sweep_files_read(root, &f, stderr);
    check(rc == 0 && f.n_keys == 2 && f.n_points == 8 && f.n_metrics == 4,
          "summary.json read back: %zu keys, %zu points, %zu metrics", f.n_keys, f.n_points,
          f.n_metrics);
    if (rc == 0)
        test_scale(&f);
    else
        for (int i = 0; i < 3; i++)
            check(0, "scale (not read)");
    check(rc == 0 && isnan(f.points[0].mean[2]) && isnan(f.points[0].sd[3]), "null is no number");
    sweep_files_destroy(&f);

    struct doc *d = doc_new("Sweep");
    rc = sweep_report_build(root, d, stderr);
    check(rc == 0 && doc_write_markdown(d, root, "sweep.md", stderr) == 0, "the report builds");
    doc_free(d);
    const char *md = slurp("sweep.md");
    check(strstr(md, "Best at x (k) 4, y (k) b: **2.15 million payments**") != NULL,
          "the best point, bold, in the metric's unit");
    check(strstr(md, "It moves most with x (k): 1 million payments at 1, 2.15 million payments "
                     "at 4 (averaged over the other keys).") != NULL,
          "the key it moves most with, first to last");
    check(strstr(md, "It flattens from 2:") != NULL, "where it flattens");
    check(strstr(md, "Across the 8 points: **e-CNY payments** from 1 million payments to 2.15 "
                     "million payments, most sensitive to x (k); adoption and p99 latency show no "
                     "clear difference.") != NULL,
          "the bottom line first: what moves with what, what does not");
    check(strstr(md, "Y (k) makes little difference to it.") != NULL,
          "the key that barely moves it");
    check(strstr(md, "(paired difference 1.15, 95% interval 1.15 to 1.15)") != NULL,
          "the range's paired difference");
    check(strstr(md, "do not differ significantly: the varied keys make no clear difference") !=
              NULL,
          "a paired difference holding zero is no clear difference");
    check(strstr(md, "No value at any point (no e-CNY payment completed)") != NULL,
          "a latency without values says why");
    check(strstr(md, "sample 50: latency is approximate") != NULL, "warnings are caveats");
    check(strstr(md, "Figure 3.") != NULL && strstr(md, "Figure 4.") == NULL,
          "a figure per charted metric");
    check(strstr(md, "| 7 | 4 | b | 2.15 | 2.15 to 2.15 |") != NULL,
          "the appendix: every point with its interval");
}

static void test_refused(void)
{
    put("summary.json", "{\"schema_version\": 1, \"scenario\": \"a run\"}\n");
    FILE *err = tmpfile();
    struct doc *d = doc_new("Sweep");
    int rc = sweep_report_build(root, d, err ? err : stderr);
    char line[512] = "";
    if (err) {
        rewind(err);
        if (!fgets(line, sizeof line, err))
            line[0] = '\0';
        fclose(err);
    }
    check(rc < 0 && strstr(line, "not a sweep's summary"), "a run's summary is refused: %s", line);
    doc_free(d);
}

int main(void)
{
    test_plan(27);
    snprintf(root, sizeof root, "/tmp/test_sweep_report.XXXXXX");
    if (!mkdtemp(root))
        return 1;
    test_numbers();
    test_report();
    test_refused();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    if (getenv("KEEP") == NULL && system(cmd) != 0)
        return 1;
    return test_done();
}
