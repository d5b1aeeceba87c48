/* Unit tests of compare: plans loaded with their labels and common
 * metrics, then paired differences and verdicts computed from hand-made
 * outcomes (no simulation) against values worked out by hand. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "experiment/compare.h"
#include "experiment/compare_files.h"
#include "metrics/catalog.h"
#include "metrics/outcome.h"
#include "test.h"

#define REPS 3
#define T_2 4.302652730 /* Student t, 2 degrees of freedom, 95% two-sided */

/* A metric's place among the common metrics, or -1. */
static long common(const struct compare *c, const char *name)
{
    for (size_t j = 0; j < c->n_metrics; j++)
        if (strcmp(c->catalogs[0]->entries[c->metrics[j]].name, name) == 0)
            return (long)j;
    return -1;
}

/* Hand-made values: metric name, the baseline's three replications, the
 * plan's, the paired difference's mean and sd, and the verdict. */
static const struct {
    const char *name;
    double base[REPS], plan[REPS];
    double diff_mean, diff_sd;
    const char *verdict;
} cases[] = {
    {"total.adoption", {0.1, 0.2, 0.3}, {1.1, 1.3, 1.2}, 1.0, 0.1, "better"},
    {"total.payments_failed", {0.1, 0.2, 0.3}, {1.1, 1.3, 1.2}, 1.0, 0.1, "worse"},
    {"total.tps_mean", {0.1, 0.2, 0.3}, {1.1, 1.3, 1.2}, 1.0, 0.1, "higher"},
    {"total.payments", {10, 20, 30}, {11, 19, 33}, 1.0, 2.0, "no significant difference"},
    {"total.value_fen", {5, 5, 5}, {3, 3.1, 2.9}, -2.0, 0.1, "worse"},
    {"money.redeemed_fen", {5, 5, 5}, {3, 3.1, 2.9}, -2.0, 0.1, "lower"},
};

static void test_differences(struct compare *c)
{
    size_t n = c->catalogs[0]->n;
    struct outcome out[2 * REPS];
    memset(out, 0, sizeof out);
    int ok = 1;
    for (size_t i = 0; i < 2 * REPS; i++) {
        out[i].n_scalars = n;
        out[i].complete = 1;
        ok &= (out[i].values = calloc(n, sizeof *out[i].values)) != NULL;
    }
    for (size_t k = 0; ok && k < test_len(cases); k++) {
        long at = catalog_find(c->catalogs[0], cases[k].name);
        ok &= at >= 0;
        for (size_t r = 0; ok && r < REPS; r++) {
            out[r].values[at] = cases[k].base[r];
            out[REPS + r].values[at] = cases[k].plan[r];
        }
    }
    ok = ok && compare_summarize(c, out, REPS) == 0;
    check(ok, "hand-made outcomes summarized");
    for (size_t k = 0; k < test_len(cases); k++) {
        long j = ok ? common(c, cases[k].name) : -1;
        const struct stats_summary *m0 = j >= 0 ? &c->means[(size_t)j * c->n] : NULL;
        const struct stats_summary *d = j >= 0 ? &c->diffs[(size_t)j * c->n + 1] : NULL;
        const struct stats_summary *d0 = j >= 0 ? &c->diffs[(size_t)j * c->n] : NULL;
        double base_mean = (cases[k].base[0] + cases[k].base[1] + cases[k].base[2]) / 3;
        check(d && fabs(m0->mean - base_mean) < 1e-12 && d0->mean == 0 &&
                  fabs(d->mean - cases[k].diff_mean) < 1e-12 &&
                  fabs(d->sd - cases[k].diff_sd) < 1e-12 &&
                  fabs(d->hi - d->mean - T_2 * cases[k].diff_sd / sqrt(3.0)) < 1e-6,
              "%s: baseline mean %g, difference %g, sd %g, a t interval", cases[k].name, base_mean,
              cases[k].diff_mean, cases[k].diff_sd);
        const char *v = d ? catalog_verdict(c->catalogs[0]->entries[c->metrics[j]].better, d) : "";
        check(strcmp(v, cases[k].verdict) == 0, "%s: %s (got %s)", cases[k].name, cases[k].verdict,
              v);
    }
    for (size_t i = 0; i < 2 * REPS; i++)
        free(out[i].values);
}

/* The practical threshold: a significant difference below practical x
 * |reference| is no practical difference; at or above it, or without a
 * threshold, the statistical verdict stands; an interval holding zero is
 * never practical. */
static void test_practical(void)
{
    struct stats_summary small = {3, 0.5, 0.1, 0.2, 0.3, 0.7}; /* significant, +0.5 */
    struct stats_summary wide = {3, 0.5, 1, 0.6, -0.1, 1.1};   /* holds zero */
    struct stats_summary down = {3, -2, 0.1, 0.2, -2.2, -1.8};
    check(strcmp(compare_files_verdict(CATALOG_HIGHER, &small, 100, 0.005), "better") == 0 &&
              strcmp(compare_files_verdict(CATALOG_HIGHER, &small, 100, 0.004), "better") == 0,
          "0.5 on a baseline of 100 is at least 0.5%% of it: better");
    check(strcmp(compare_files_verdict(CATALOG_HIGHER, &small, 100, 0.005 + 1e-9),
                 "no practical difference") == 0 &&
              strcmp(compare_files_verdict(CATALOG_NEITHER, &small, -60, 0.01),
                     "no practical difference") == 0,
          "below the threshold (of |baseline|): no practical difference, whatever the direction");
    check(strcmp(compare_files_verdict(CATALOG_HIGHER, &small, 100, 0), "better") == 0 &&
              strcmp(compare_files_verdict(CATALOG_LOWER, &down, 0, 0.5), "better") == 0,
          "a threshold of 0, or a baseline of 0: the statistical verdict");
    check(strcmp(compare_files_verdict(CATALOG_HIGHER, &wide, 100, 0.01),
                 "no significant difference") == 0,
          "an interval holding zero: no significant difference, not practical");
    check(compare_files_better("lower") == CATALOG_LOWER &&
              compare_files_better("higher") == CATALOG_HIGHER &&
              compare_files_better("neither") == CATALOG_NEITHER,
          "compare.csv's better words read back");
}

int main(void)
{
    test_plan(5 + 2 * (int)test_len(cases) + 2 + 5);
    test_practical();
    const char *paths[] = {"tests/data/tiny.yaml", "tests/data/tiny.yaml"};
    struct compare *c = compare_load(paths, 2, NULL, 0, stderr);
    check(c != NULL, "two plans load");
    if (!c)
        return test_done();
    check(strcmp(c->labels[0], "tiny") == 0 && strcmp(c->labels[1], "tiny-2") == 0,
          "labels from the file names, made unique (%s, %s)", c->labels[0], c->labels[1]);
    check(c->n_metrics == c->catalogs[0]->n - 1 && common(c, "events") < 0,
          "every metric is common but events (%zu)", c->n_metrics);
    check(c->plans[1]->seed == c->plans[0]->seed, "the second plan runs with the first's seed");
    test_differences(c);
    /* One replication: no interval, so no verdict either way. */
    struct stats_summary one = {1, 5, NAN, NAN, NAN, NAN};
    check(strcmp(catalog_verdict(CATALOG_HIGHER, &one), "no significant difference") == 0,
          "an undefined interval is no significant difference");
    check(strcmp(catalog_better_name(CATALOG_LOWER), "lower") == 0 &&
              strcmp(catalog_better_name(CATALOG_NEITHER), "neither") == 0,
          "directions are named as compare.csv writes them");
    compare_free(c);
    return test_done();
}
