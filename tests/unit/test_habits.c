/* habits (habits.h): a person's activity. The quantile against GSL's; the
 * mean 1 of the truncated lognormal, by GSL's quadrature with GSL's normal
 * density (independent of the Simpson's rule in habits.c) to 1e-9, and by
 * the sample of 2^21 people within 4 standard errors; the spread of log
 * activity against sigma times the truncated normal's standard deviation;
 * the bounds; sigma 0 gives everyone 1; and the draw is a pure function of
 * the key and the user. The payer draw (habits_pick) against the weights
 * activity / sum, by a chi-square test at 1 in 10,000 over 64 holders; the
 * adopters' acceptance (habits_weight) against (activity / ceiling)^power. */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_randist.h>

#include "kernel/rng.h"
#include "model/habits.h"
#include "test.h"

#define PEOPLE (1u << 21)

static const double sigmas[] = {0.5, 1.0, 2.0};

static double integrand(double z, void *p)
{
    const struct habits *h = p;
    return exp(h->mu + h->sigma * z) * gsl_ran_ugaussian_pdf(z);
}

/* E[activity] by GSL: the truncated density's integral. */
static double exact_mean(const struct habits *h)
{
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(1000);
    gsl_function f = {integrand, (void *)h};
    double v, err;
    gsl_integration_qags(&f, -3, 3, 0, 1e-13, 1000, w, &v, &err);
    gsl_integration_workspace_free(w);
    return v / (gsl_cdf_ugaussian_P(3) - gsl_cdf_ugaussian_P(-3));
}

/* The truncated standard normal's standard deviation. */
static double truncated_sd(void)
{
    double mass = gsl_cdf_ugaussian_P(3) - gsl_cdf_ugaussian_P(-3);
    return sqrt(1 - 2 * 3 * gsl_ran_ugaussian_pdf(3) / mass);
}

static void moments(const struct habits *h)
{
    double sum = 0, sum2 = 0, lsum = 0, lsum2 = 0;
    double lo = exp(h->mu - 3 * h->sigma);
    int bounded = 1;
    for (uint32_t u = 0; u < PEOPLE; u++) {
        double a = habits_of(h, u), l = log(a);
        sum += a;
        sum2 += a * a;
        lsum += l;
        lsum2 += l * l;
        bounded &= a <= h->ceiling && a >= lo * (1 - 1e-12);
    }
    double mean = sum / PEOPLE, sd = sqrt(sum2 / PEOPLE - mean * mean);
    double lmean = lsum / PEOPLE, lsd = sqrt(lsum2 / PEOPLE - lmean * lmean);
    check_near(exact_mean(h), 1, 1e-9, "sigma %g: E[activity] = 1 (quadrature)", h->sigma);
    check_near(mean, 1, 4 * sd / sqrt(PEOPLE), "sigma %g: the mean of %u people is 1", h->sigma,
               PEOPLE);
    /* The sample sd of log activity: its standard error is about
     * sd / sqrt(2 n) (near normal). */
    double want = h->sigma * truncated_sd();
    check_near(lsd, want, 4 * want / sqrt(2.0 * PEOPLE), "sigma %g: sd of log activity", h->sigma);
    check(bounded, "sigma %g: every activity within [exp(mu - 3 sigma), ceiling %g]", h->sigma,
          h->ceiling);
}

#define HOLDERS 64
#define PICKS 2000000

/* Payers drawn from HOLDERS holders of activity a[]: the counts against
 * n a / sum a, chi-square with HOLDERS - 1 degrees of freedom. */
static void pick_fits(const struct habits *h, gsl_rng *r)
{
    float a[HOLDERS];
    double sum = 0, stat = 0;
    uint32_t count[HOLDERS] = {0};
    for (uint32_t i = 0; i < HOLDERS; i++)
        sum += a[i] = (float)habits_of(h, 1000 + i);
    for (uint32_t k = 0; k < PICKS; k++) {
        rng_at(r, 3, k, 0); /* a stream a payment, as the model draws */
        uint32_t coin, at = rng_below_low(r, HOLDERS, &coin);
        count[habits_pick(r, a, HOLDERS, h->ceiling, at, &coin)]++;
    }
    for (uint32_t i = 0; i < HOLDERS; i++) {
        double want = PICKS * a[i] / sum;
        stat += (count[i] - want) * (count[i] - want) / want;
    }
    double pv = gsl_cdf_chisq_Q(stat, HOLDERS - 1);
    check(pv > 1e-4, "sigma %g: payers by activity, chi-square %.1f on %d df (p %.3g)", h->sigma,
          stat, HOLDERS - 1, pv);
}

/* habits_weight against (activity / ceiling)^power, by libm. */
static void weight_fits(const struct habits *h)
{
    double worst = 0;
    for (uint32_t u = 0; u < 10000; u++) {
        double want = pow(habits_of(h, u) / h->ceiling, 1.5);
        double e = fabs(habits_weight(h, u, 1.5) / want - 1);
        worst = e > worst ? e : worst;
    }
    check(worst < 1e-9, "sigma %g: weight = (activity / ceiling)^1.5 (worst %.3g)", h->sigma,
          worst);
}

int main(void)
{
    test_plan(5 + 6 * (int)test_len(sigmas));
    gsl_rng *r = rng_new(7, 0);
    uint64_t key = rng_key(r, 9), other = rng_key(r, 10);

    double worst = 0;
    for (int i = 1; i < 100000; i++) {
        double p = i / 100000.0, want = gsl_cdf_ugaussian_Pinv(p);
        double e = fabs(habits_normal_quantile(p) - want) / fmax(fabs(want), 1e-3);
        worst = e > worst ? e : worst;
    }
    check(worst < 2e-9, "the normal quantile within 2e-9 of GSL's (worst %.3g)", worst);

    struct habits h;
    habits_init(&h, 0, key);
    int ones = h.ceiling == 1;
    for (uint32_t u = 0; u < 1000; u++)
        ones &= habits_of(&h, u) == 1;
    check(ones, "sigma 0: everyone exactly 1, ceiling 1");

    for (size_t i = 0; i < test_len(sigmas); i++) {
        habits_init(&h, sigmas[i], key);
        moments(&h);
        pick_fits(&h, r);
        weight_fits(&h);
    }

    struct habits a, b, c;
    habits_init(&a, 1, key);
    habits_init(&b, 1, key);
    habits_init(&c, 1, other);
    int same = 1, differ = 0;
    for (uint32_t u = 0; u < 1000; u++) {
        same &= habits_of(&a, u) == habits_of(&b, u);
        differ += habits_of(&a, u) != habits_of(&c, u);
    }
    check(same, "the same key gives the same people");
    check(differ == 1000, "another key gives other people (%d of 1000 differ)", differ);
    check(habits_of(&a, 5) != habits_of(&a, 6), "two people differ");
    rng_free(r);
    return test_done();
}
