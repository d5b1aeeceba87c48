/* Usage (docs/model.md, Heterogeneous people; Payments): e-CNY payments
 * per holder-day of tests/validation/usage.yaml against their closed form
 * per_user_per_day x ecny_preference x A^kappa x the holders' mean
 * activity, whose tolerances follow from the Poisson counts (sd 1 /
 * sqrt(n)) and, where people differ, the sampling error of the holders'
 * mean activity (sd about 1.3 / sqrt(holders) at sigma 1):
 *   - people alike, and people who differ but hold wallets at random: the
 *     ratio to per_user_per_day x ecny_preference is 1;
 *   - concentration: with half the stores accepting, the ratio at kappa
 *     0.5 and 0.25 is the ratio at kappa 1 (A itself) to that power;
 *   - activity_bias: Bass adopters drawn by activity make the first
 *     adopters heavy payers (holders' mean activity near E[a^2], 2.6 at
 *     sigma 1, in the first four weeks) and the mean returns to 1 as
 *     adoption saturates (the last eight weeks of two years at p = 3);
 *     without bias, the first weeks' ratio is 1;
 *   - sub-wallets (tests/validation/wallets.yaml): wallets per holder
 *     1 + E[min(Bin(joined - 1, s), 7)] when wallets open, one more with
 *     probability s when an operator joins, within 4 sd of the binomial
 *     counts; at s = 1, exactly eight a holder (the cap).
 * Run from the repository root (make test does). */
#include <math.h>
#include <stdio.h>

#include <gsl/gsl_randist.h>

#include "model/model.h"
#include "scenario/scenario.h"
#include "test.h"

#define BASE "tests/validation/usage.yaml"
#define RATE (1.6 * 0.02) /* per_user_per_day x ecny_preference of BASE */
#define DAY 86400.0

/* Payments started (completed, failed or refused: each is an arrival) and
 * holder-days over the rows whose bucket ends in (from_d, to_d] days, a
 * row's holders counted as the mean of its start and end. */
struct usage {
    double payments, holder_days;
};

static struct usage measure(const char *const *sets, size_t n, double from_d, double to_d)
{
    struct usage u = {0, 0};
    struct scenario *s = scenario_load(BASE, sets, n, stderr);
    struct model_result *r = s ? model_run(s, 0, NULL, NULL) : NULL;
    double prev_w = 0, prev_t = 0;
    for (size_t i = 0; r && i < r->series.n_rows; i++) {
        const struct ts_row *w = &r->series.rows[i];
        double d = w->time_s / DAY, len = (w->time_s - prev_t) / DAY;
        if (i == 0) /* the first bucket starts with the scenario's wallets */
            prev_w = s->cities[0].initial_wallets * s->cities[0].population;
        if (d > from_d + 1e-9 && d <= to_d + 1e-9) {
            u.payments += (double)(w->payments + w->payments_failed + w->payments_refused);
            u.holder_days += (prev_w + (double)w->wallets) / 2 * len;
        }
        prev_w = (double)w->wallets;
        prev_t = w->time_s;
    }
    if (!r)
        printf("# cannot run %s\n", BASE);
    model_result_free(r);
    scenario_free(s);
    return u;
}

/* Payments per holder-day over RATE, and its Poisson sd. */
static double ratio(struct usage u, double rate, double *sd)
{
    double x = u.payments / u.holder_days / rate;
    *sd = x / sqrt(u.payments > 1 ? u.payments : 1);
    return x;
}

static void test_alike_and_differ(void)
{
    double sd;
    double x = ratio(measure(NULL, 0, 0, 28), RATE, &sd);
    check_near(x, 1, 4 * sd, "people alike: payments per holder-day = rate x preference");
    const char *differ[] = {"people.activity_sigma=1"};
    x = ratio(measure(differ, 1, 0, 28), RATE, &sd);
    /* the 50,000 holders' mean activity: sd 1.3 / sqrt(50000) */
    double pop = 1.3 / sqrt(50000.0);
    check_near(x, 1, 4 * sqrt(sd * sd + pop * pop),
               "sigma 1, holders at random: payments per holder-day = rate x preference");
}

static void test_concentration(void)
{
    const char *k1[] = {"cities.town.initial_accepting=50%"};
    const char *k05[] = {"cities.town.initial_accepting=50%", "payments.concentration=0.5"};
    const char *k025[] = {"cities.town.initial_accepting=50%", "payments.concentration=0.25"};
    double sd1, sd05, sd025;
    double a = ratio(measure(k1, 1, 0, 28), RATE, &sd1);
    double x05 = ratio(measure(k05, 2, 0, 28), RATE, &sd05);
    double x025 = ratio(measure(k025, 2, 0, 28), RATE, &sd025);
    check(a > 0.3 && a < 0.7, "kappa 1: A, half the stores' popularity, is %.3f", a);
    /* var(A^k) = (k A^(k-1))^2 var(A), beside the other count's */
    double e05 = 0.5 * pow(a, -0.5) * sd1, e025 = 0.25 * pow(a, -0.75) * sd1;
    check_near(x05, pow(a, 0.5), 4 * sqrt(sd05 * sd05 + e05 * e05),
               "kappa 0.5: payments per holder-day x A^0.5");
    check_near(x025, pow(a, 0.25), 4 * sqrt(sd025 * sd025 + e025 * e025),
               "kappa 0.25: payments per holder-day x A^0.25");
}

static void test_bias(void)
{
    const char *bass[] = {"duration=728d",
                          "step=1d",
                          "cities.town.initial_wallets=0",
                          "adoption.innovation=3",
                          "payments.ecny_preference=0.5%",
                          "people.activity_sigma=1",
                          "adoption.activity_bias=1"};
    const double rate = 1.6 * 0.005;
    double sd;
    double early = ratio(measure(bass, 7, 0, 28), rate, &sd);
    check(early - 4 * sd > 1.5, "bias 1: the first four weeks' holders pay %.2f times the mean",
          early);
    double late = ratio(measure(bass, 7, 728 - 56, 728), rate, &sd);
    check_near(late, 1, 0.03, "bias 1: back to the mean as adoption saturates (%.3f)", late);
    double plain = ratio(measure(bass, 6, 0, 28), rate, &sd);
    check_near(plain, 1, 4 * sqrt(sd * sd + 0.01 * 0.01),
               "bias 0: the first four weeks' holders pay the mean (%.3f)", plain);
}

/* E[min(Bin(n, s), 7)]: a holder's sub-wallets, capped. */
static double capped_mean(unsigned n, double s)
{
    double e = 0;
    for (unsigned k = 0; k <= n; k++)
        e += (k < 7 ? k : 7) * gsl_ran_binomial_pdf(k, s, n);
    return e;
}

static void test_sub_wallets(void)
{
    struct scenario *s = scenario_load("tests/validation/wallets.yaml", NULL, 0, stderr);
    struct model_result *r = s ? model_run(s, 0, NULL, NULL) : NULL;
    const char *all[] = {"wallets.sub_wallet_share=1"};
    struct scenario *s1 = scenario_load("tests/validation/wallets.yaml", all, 1, stderr);
    struct model_result *r1 = s1 ? model_run(s1, 0, NULL, NULL) : NULL;
    if (!r || !r1 || r->series.n_rows != 4 || r1->series.n_rows != 4) {
        check(0, "sub-wallets: the runs");
        check(0, "sub-wallets: after the join");
        check(0, "sub-wallets: capped");
    } else {
        const double holders = 50000, share = 0.3;
        const struct ts_row *before = &r->series.rows[0], *after = &r->series.rows[3];
        check_near((double)before->wallets_personal / holders, 1 + capped_mean(8, share),
                   4 * sqrt(8 * share * (1 - share) / holders),
                   "sub-wallets at opening: 1 + E[min(Bin(8, 0.3), 7)] a holder (%.4f)",
                   (double)before->wallets_personal / holders);
        check_near((double)after->wallets_personal / holders, 1 + capped_mean(9, share),
                   4 * sqrt(9 * share * (1 - share) / holders),
                   "an operator joins: 1 + E[min(Bin(9, 0.3), 7)] a holder (%.4f)",
                   (double)after->wallets_personal / holders);
        check(r1->series.rows[0].wallets_personal == 8 * 50000 &&
                  r1->series.rows[3].wallets_personal == 8 * 50000 &&
                  r1->series.rows[3].wallets == 8 * 50000 && r1->cities[0].holders == 50000 &&
                  r1->cities[0].adoption == 0.5,
              "share 1: eight wallets a holder, before and after the join; adoption holders");
    }
    model_result_free(r);
    model_result_free(r1);
    scenario_free(s);
    scenario_free(s1);
}

int main(void)
{
    test_plan(11);
    test_alike_and_differ();
    test_concentration();
    test_bias();
    test_sub_wallets();
    return test_done();
}
