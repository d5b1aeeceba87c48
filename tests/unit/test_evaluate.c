/* Unit tests of evaluate: targets measured on tests/data/tiny.yaml. A
 * series summed from the start to the horizon must equal the run's own
 * totals in summary.json's paths (payments, value in yuan), a stock read
 * at the horizon its end value (wallets over the cities, a city's
 * adoption), a day's flow the bucket's value; targets out of the
 * scenario's reach are not applicable with their reason; the numbers are
 * the same bits for 1 and 2 workers; the objective is the sum of squared
 * errors in tolerances over the fit targets. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "experiment/evaluate.h"
#include "experiment/trial.h"
#include "scenario/scenario.h"
#include "test.h"

static const char targets_yaml[] =
    "targets:\n"
    "  - {id: pay-series, role: fit, value: 5000, tolerance: 20%, series: payments,\n"
    "     city: total, at: 2020-12-30, cumulative: true}\n"
    "  - {id: pay-path, role: check, value: 5000, tolerance: 20%, path: total.payments}\n"
    "  - {id: wallets-series, role: check, value: 1000, tolerance: 10%, series: wallets,\n"
    "     city: total, at: 2020-12-30, cumulative: true}\n"
    "  - {id: wallets-path, role: check, value: 1000, tolerance: 10%, path: total.wallets}\n"
    "  - {id: value-series, role: check, value: 1000, tolerance: 10%, unit: yuan,\n"
    "     series: value_fen, city: total, at: 2020-12-30, cumulative: true}\n"
    "  - {id: value-path, role: check, value: 1000, tolerance: 10%, unit: yuan,\n"
    "     path: total.value_fen}\n"
    "  - {id: adoption-series, role: check, value: 0.01, tolerance: 1 point,\n"
    "     series: adoption, city: town, at: 2020-12-30}\n"
    "  - {id: adoption-path, role: check, value: 0.01, tolerance: 1 point,\n"
    "     path: cities.town.adoption}\n"
    "  - {id: village-day, role: check, value: 10, tolerance: 50%, series: payments,\n"
    "     city: village, at: 2020-12-15}\n"
    "  - {id: late, role: fit, value: 1, tolerance: 5%, series: wallets, city: town,\n"
    "     at: 2020-12-31}\n"
    "  - {id: early, role: fit, value: 1, tolerance: 5%, series: wallets, city: town,\n"
    "     at: 2020-11-30}\n"
    "  - {id: no-city, role: fit, value: 1, tolerance: 5%, series: wallets,\n"
    "     city: shenzhen, at: 2020-12-10}\n"
    "  - {id: no-scope, role: fit, value: 1, tolerance: 5%, path: total.wallets,\n"
    "     scope: [town, shenzhen]}\n"
    "  - {id: no-lottery, role: fit, value: 0.9, tolerance: 2 points,\n"
    "     path: interventions.futian-2021-01.claimed}\n"
    "  - {id: no-city-path, role: fit, value: 1, tolerance: 5%, path: cities.xian.wallets}\n";

enum {
    PAY_S,
    PAY_P,
    WAL_S,
    WAL_P,
    VAL_S,
    VAL_P,
    ADO_S,
    ADO_P,
    DAY,
    LATE,
    EARLY,
    NO_CITY,
    NO_SCOPE,
    NO_LOTTERY,
    NO_CITY_PATH,
    N_TARGETS
};

static const char *const reasons[] = {
    "after the horizon (the scenario's last day is 2020-12-30)",
    "before the start (the scenario starts on 2020-12-01)",
    "city shenzhen is not in the scenario",
    "scope: city shenzhen is not in the scenario",
    "intervention futian-2021-01 is not in the scenario",
    "city xian is not in the scenario",
};

static struct targets *load_targets(void)
{
    char path[] = "/tmp/pilotsim-targets-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f)
        return NULL;
    fputs(targets_yaml, f);
    fclose(f);
    struct targets *t = evaluate_load_targets(path, stderr);
    unlink(path);
    return t;
}

/* Village's payments on 15 December in replication r, from its rows. */
static double village_day(const struct scenario *s, uint32_t r)
{
    struct outcome o;
    double v = NAN;
    if (trial_run(NULL, s, r, 1, NULL, NULL, &o) < 0)
        return v;
    long village = scenario_city(s, "village");
    for (size_t i = 0; i < o.n_rows; i++) {
        const double *row = outcome_row(&o, i);
        if (row[0] == 15 * 86400.0 && (long)row[1] == village)
            v = row[2 + 4]; /* payments: the column after merchants_accepting */
    }
    outcome_destroy(&o);
    return v;
}

static void test_measure(const struct scenario *s, const struct targets *t)
{
    struct evaluation one, two;
    char err[256] = "";
    int a = evaluate_run(s, t, 3, 1, &one, err, sizeof err);
    check(a == 0 && one.leader && one.n == N_TARGETS, "3 replications on 1 worker (%s)", err);
    int b = evaluate_run(s, t, 3, 2, &two, err, sizeof err);
    check(b == 0 && two.n == N_TARGETS, "and on 2 workers (%s)", err);
    if (a || b) {
        for (int i = 0; i < 15; i++)
            check(0, "skipped: the evaluation failed");
        return;
    }
    int same = 1;
    for (size_t k = 0; k < N_TARGETS; k++)
        same &= !memcmp(&one.targets[k], &two.targets[k], sizeof one.targets[k]);
    check(same, "the same bits for 1 and 2 workers");
    const struct evaluation_target *e = one.targets;
    check(e[PAY_S].mean == e[PAY_P].mean && e[PAY_S].mean > 0,
          "payments summed to the horizon = total.payments (%g)", e[PAY_S].mean);
    check(e[PAY_S].ci_lo == e[PAY_P].ci_lo && e[PAY_S].ci_lo < e[PAY_S].ci_hi,
          "with the same interval (%g .. %g)", e[PAY_S].ci_lo, e[PAY_S].ci_hi);
    check(e[WAL_S].mean == e[WAL_P].mean && e[WAL_S].mean > 0,
          "wallets at the horizon = total.wallets (%g)", e[WAL_S].mean);
    check_near(e[VAL_S].mean, e[VAL_P].mean, 1e-6 * e[VAL_P].mean,
               "value summed, in yuan = total.value_fen / 100 (%g)", e[VAL_S].mean);
    check_near(e[ADO_S].mean, e[ADO_P].mean, 1e-12,
               "a share at the horizon = cities.town.adoption (%g)", e[ADO_S].mean);
    double day = (village_day(s, 0) + village_day(s, 1) + village_day(s, 2)) / 3;
    check_near(e[DAY].mean, day, 1e-9 * day, "a day's flow: village's payments on 15 December");
    check(e[DAY].n == 3 && e[PAY_S].n == 3, "every replication measured");
    int na = 1, why = 1;
    for (size_t k = LATE; k < N_TARGETS; k++) {
        na &= isnan(e[k].mean) && isnan(e[k].ci_lo) && isnan(e[k].ci_hi) && e[k].n == 0;
        why &= !strcmp(e[k].why, reasons[k - LATE]);
        if (strcmp(e[k].why, reasons[k - LATE]))
            printf("# %s: '%s'\n", t->items[k].id, e[k].why);
    }
    check(na, "out of reach: NaN, measured by no replication");
    check(why, "each with its reason");
    check(e[PAY_S].why[0] == '\0', "an applicable target has no reason");
    double obj = evaluate_objective(t, &one);
    double want = pow((e[PAY_S].mean - 5000) / 1000, 2);
    check_near(obj, want, 1e-12, "the objective: the one applicable fit target's error squared");
    check(one.targets[LATE].within == -1 && isnan(one.targets[LATE].error),
          "not applicable: within -1, error NaN");
    check_near(one.targets[ADO_S].error, (e[ADO_S].mean - 0.01) / 0.01, 1e-12,
               "a tolerance in points: 1 point is 0.01");
    check(one.targets[ADO_S].within == (fabs(one.targets[ADO_S].error) <= 1),
          "within is |error| <= 1");
    evaluate_destroy(&one);
    evaluate_destroy(&two);
}

/* The objective on numbers set by hand: percent and points, fit and check,
 * and NaN when no fit target applies. */
static void test_objective(void)
{
    struct target items[3] = {
        {.role = TARGETS_FIT, .value = 200, .tolerance = 10, .tolerance_kind = TARGETS_PERCENT},
        {.role = TARGETS_FIT, .value = 0.5, .tolerance = 2, .tolerance_kind = TARGETS_POINTS},
        {.role = TARGETS_CHECK, .value = 10, .tolerance = 10, .tolerance_kind = TARGETS_PERCENT}};
    struct targets t = {NULL, items, 3};
    struct evaluation_target et[3] = {{.mean = 230}, {.mean = 0.49}, {.mean = 30}};
    struct evaluation e = {et, 3, 1, 1};
    check_near(evaluate_objective(&t, &e), 1.5 * 1.5 + 0.5 * 0.5, 1e-12,
               "(30 / 20)^2 + (0.01 / 0.02)^2; the check target left out");
    check(et[0].within == 0 && et[1].within == 1 && et[2].within == 0,
          "within: 1.5 no, -0.5 yes, 20 no");
    check_near(et[2].error, 20, 1e-12, "a check target's error is still given");
    et[0].mean = et[1].mean = NAN;
    check(isnan(evaluate_objective(&t, &e)), "no applicable fit target: NaN");
}

int main(void)
{
    test_plan(22);
    struct scenario *s = scenario_load("tests/data/tiny.yaml", NULL, 0, stderr);
    struct targets *t = load_targets();
    check(s && t && t->n == N_TARGETS, "tiny.yaml and the targets load");
    if (s && t)
        test_measure(s, t);
    test_objective();
    targets_free(t);
    scenario_free(s);
    return test_done();
}
