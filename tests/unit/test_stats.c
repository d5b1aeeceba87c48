/* Unit tests of stats: Student-t quantiles against published tables, mean,
 * standard deviation and interval of known samples, paired differences
 * (identical plans differ by exactly zero), verdicts, the precision rule, and
 * the coverage of the 95% interval over 1,000 small experiments on a normal
 * output. */
#include <math.h>
#include <stdio.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "metrics/stats.h"
#include "test.h"

/* Coverage: 1,000 experiments of n draws from N(mu, sigma); the share of
 * intervals holding mu. With a true 95% level the share is binomial with sd
 * sqrt(0.95 * 0.05 / 1000) = 0.0069, so 93-97% is about +-2.9 sd. */
static double coverage(gsl_rng *g, size_t n, double mu, double sigma, size_t experiments)
{
    double x[64];
    size_t hits = 0;
    for (size_t e = 0; e < experiments; e++) {
        for (size_t i = 0; i < n; i++)
            x[i] = mu + gsl_ran_gaussian(g, sigma);
        struct stats_summary s;
        stats_summarize(x, n, 1, STATS_LEVEL, &s);
        hits += s.lo <= mu && mu <= s.hi;
    }
    return (double)hits / (double)experiments;
}

int main(void)
{
    test_plan(34);
    /* Two-sided 95% quantiles (any t table). */
    check_near(stats_t_quantile(0.95, 1), 12.7062047, 1e-6, "t(0.975, 1)");
    check_near(stats_t_quantile(0.95, 4), 2.77644511, 1e-7, "t(0.975, 4)");
    check_near(stats_t_quantile(0.95, 9), 2.26215716, 1e-7, "t(0.975, 9)");
    check_near(stats_t_quantile(0.95, 1000), 1.96233908, 1e-7, "t(0.975, 1000) nears 1.96");
    check_near(stats_t_quantile(0.99, 4), 4.60409487, 1e-7, "t(0.995, 4)");
    /* The last quantile is kept: asked again, after another level and after
     * another df, each is still its own, to the bit. */
    double t95 = stats_t_quantile(0.95, 4);
    check(stats_t_quantile(0.95, 4) == t95 && stats_t_quantile(0.99, 4) != t95 &&
              stats_t_quantile(0.95, 4) == t95 && stats_t_quantile(0.95, 5) != t95 &&
              stats_t_quantile(0.95, 4) == t95,
          "a kept quantile is the one asked for (level and df both)");
    /* Closed forms: P(|T| <= t) is 2 atan(t) / pi for df = 1 and
     * t / sqrt(2 + t^2) for df = 2. */
    double worst = 0;
    for (int i = 1; i < 100; i++) {
        double level = i / 100.0;
        double t1 = tan(3.14159265358979323846 * level / 2);
        double t2 = level * sqrt(2 / (1 - level * level));
        worst = fmax(worst, fabs(stats_t_quantile(level, 1) - t1) / t1);
        worst = fmax(worst, fabs(stats_t_quantile(level, 2) - t2) / t2);
    }
    check(worst < 1e-13,
          "t quantiles of df 1 and 2 at levels 0.01..0.99 as their closed forms (%.2g)", worst);
    /* Against 40-digit values (mpmath: the root of the regularized
     * incomplete beta), within a few ulps. */
    static const struct {
        double level;
        size_t df;
        double t;
    } exact[] = {
        {0.95, 1, 12.706204736174693314},    {0.95, 4, 2.7764451051977934898},
        {0.95, 9, 2.2621571627982049992},    {0.99, 30, 2.7499956535672249664},
        {0.95, 1000, 1.9623390808264081039}, {1 - 0.05 / 7, 7, 3.7526982426780032645},
    };
    worst = 0;
    for (size_t k = 0; k < sizeof exact / sizeof exact[0]; k++)
        worst = fmax(worst,
                     fabs(stats_t_quantile(exact[k].level, exact[k].df) - exact[k].t) / exact[k].t);
    check(worst < 2e-15, "t quantiles within 2e-15 of 40-digit values (%.2g)", worst);
    /* Against GSL's gsl_cdf_tdist_Pinv (libm inside: a reference, not a
     * source of output bits), df 1..2000, levels from 0.5 to Bonferroni's;
     * GSL's own error reaches 7e-13 (df 1, level 0.9999). */
    static const double levels[] = {0.5, 0.8, 0.9, 0.95, 0.99, 1 - 0.05 / 7, 1 - 0.05 / 60, 0.9999};
    worst = 0;
    for (size_t df = 1; df <= 2000; df += df < 50 ? 1 : 37)
        for (size_t k = 0; k < sizeof levels / sizeof levels[0]; k++) {
            double want = gsl_cdf_tdist_Pinv(0.5 + levels[k] / 2, (double)df);
            worst = fmax(worst, fabs(stats_t_quantile(levels[k], df) - want) / want);
        }
    check(worst < 1e-12, "t quantiles as GSL's to 1e-12, df 1..2000, levels 0.5..0.9999 (%.2g)",
          worst);

    double x[] = {1, 2, 3, 4, 5};
    struct stats_summary s;
    stats_summarize(x, 5, 1, STATS_LEVEL, &s);
    check(s.n == 5, "n");
    check_near(s.mean, 3, 1e-15, "mean of 1..5");
    check_near(s.sd, sqrt(2.5), 1e-15, "sd of 1..5 (n - 1)");
    check_near(s.half, 2.77644511 * sqrt(2.5) / sqrt(5), 1e-7, "half-width t sd / sqrt(n)");
    check_near(s.lo, s.mean - s.half, 0, "lo = mean - half");
    check_near(s.hi, s.mean + s.half, 0, "hi = mean + half");

    double strided[] = {1, -9, 2, -9, 3, -9};
    stats_summarize(strided, 3, 2, STATS_LEVEL, &s);
    check(s.mean == 2 && s.sd == 1, "a stride skips the values between");

    double one = 42;
    stats_summarize(&one, 1, 1, STATS_LEVEL, &s);
    check(s.mean == 42 && isnan(s.sd) && isnan(s.lo) && isnan(s.hi),
          "one value: a mean, no sd, no interval");
    stats_summarize(x, 0, 1, STATS_LEVEL, &s);
    check(isnan(s.mean), "no value: no mean");

    double c[] = {0.1, 0.1, 0.1};
    stats_summarize(c, 3, 1, STATS_LEVEL, &s);
    check(s.mean == 0.1 && s.sd == 0 && s.lo == 0.1 && s.hi == 0.1,
          "a constant sample keeps its value exactly, with a zero-width interval");

    /* Paired differences. */
    double a[] = {10.5, 11.25, 9.75, 10.125}, b[] = {10.5, 11.25, 9.75, 10.125};
    stats_paired(a, b, 4, 1, STATS_LEVEL, &s);
    check(s.mean == 0 && s.sd == 0 && s.lo == 0 && s.hi == 0,
          "identical plans: a paired difference of exactly zero");
    check(stats_direction_of(&s) == STATS_SAME, "and no significant difference");
    double up[] = {11.5, 12.5, 10.5, 11.0};
    stats_paired(a, up, 4, 1, STATS_LEVEL, &s);
    check_near(s.mean, 0.96875, 1e-12, "paired mean of b - a");
    check(stats_direction_of(&s) == STATS_HIGHER, "a consistent rise is higher");
    stats_paired(up, a, 4, 1, STATS_LEVEL, &s);
    check(stats_direction_of(&s) == STATS_LOWER, "and the reverse is lower");
    /* Pairing removes the shared noise: unpaired these overlap widely. */
    double noisy_a[] = {5, 50, 500, 5000}, noisy_b[] = {6, 51, 501, 5001};
    stats_paired(noisy_a, noisy_b, 4, 1, STATS_LEVEL, &s);
    check(s.mean == 1 && s.half == 0 && stats_direction_of(&s) == STATS_HIGHER,
          "paired: a constant shift is significant however noisy the levels");
    double noisy_c[] = {7, 50, 501, 4999};
    stats_paired(noisy_a, noisy_c, 4, 1, STATS_LEVEL, &s);
    check(stats_direction_of(&s) == STATS_SAME, "a shift that changes sign is not");

    /* The precision rule. */
    struct stats_summary p = {.n = 5, .mean = 100, .half = 1.9};
    check(stats_precise(&p, 0.02), "1.9 is within 2%% of 100");
    p.half = 2.1;
    check(!stats_precise(&p, 0.02), "2.1 is not");
    p.mean = -100;
    p.half = 1.5;
    check(stats_precise(&p, 0.02), "a negative mean counts by its size");
    p.mean = 0;
    p.half = 0;
    check(stats_precise(&p, 0.02), "a mean of zero needs a zero half-width");
    p.half = NAN;
    check(!stats_precise(&p, 0.02), "an undefined interval is never precise");

    /* Coverage of the 95% interval over 1,000 repeated small experiments. */
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 20200401);
    double cov5 = coverage(g, 5, 10, 2, 1000);
    check(cov5 >= 0.93 && cov5 <= 0.97, "95%% intervals of n=5 cover the true mean: %.3f", cov5);
    double cov2 = coverage(g, 2, -3, 0.5, 1000);
    check(cov2 >= 0.93 && cov2 <= 0.97, "and of n=2 (t with 1 df): %.3f", cov2);
    double cov30 = coverage(g, 30, 1e6, 1e4, 1000);
    check(cov30 >= 0.93 && cov30 <= 0.97, "and of n=30: %.3f", cov30);
    gsl_rng_free(g);
    return test_done();
}
