/* rng_binomial: chi-square goodness of fit against the binomial pmf at
 * (n, p) on both sides of the switch between inversion (n p < 10) and
 * BTRD, with p on both sides of 1/2 (drawn as n - Bin(n, 1 - p)), from a
 * few trials to four billion; the mean within 4 of its standard errors;
 * the edge cases; Stirling's remainder against lgamma. Cells merge from
 * the left until each expects at least 20 draws (the last merges into its
 * neighbour), so the chi-square approximation holds; the critical value
 * is the 1 in 100,000 quantile for the cells' degrees of freedom, so the
 * dozen tests together fail by chance about once in 8,000 runs on a
 * changed seed, and never on this fixed one. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>

#include "kernel/rng.h"
#include "test.h"

#define DRAWS 200000

/* log P(k) for Bin(n, p), from lgamma: the reference, libm allowed here. */
static double log_pmf(double n, double p, double k)
{
    return lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1) + k * log(p) + (n - k) * log1p(-p);
}

static void fit(gsl_rng *r, uint32_t n, double p, const char *path)
{
    double mean = n * p, sd = sqrt(n * p * (1 - p));
    double lo = floor(mean - 12 * sd - 1), hi = ceil(mean + 12 * sd + 1);
    if (lo < 0)
        lo = 0;
    if (hi > n)
        hi = n;
    size_t width = (size_t)(hi - lo) + 1;
    long *count = calloc(width, sizeof *count);
    double sum = 0;
    int outside = 0;
    for (long i = 0; i < DRAWS; i++) {
        if (i % 10000 == 0)
            rng_at(r, 20, n, (uint64_t)i);
        uint32_t k = rng_binomial(r, p, n);
        sum += k;
        if (k > n || k < lo || k > hi)
            outside++; /* beyond 12 sd: probability far below 1e-20 */
        else
            count[(size_t)(k - lo)]++;
    }
    /* cells of at least 20 expected draws, from the left */
    double chi2 = 0, want = 0, got = 0, last_want = 0, last_got = 0;
    int cells = 0;
    for (size_t j = 0; j < width; j++) {
        want += DRAWS * exp(log_pmf(n, p, lo + (double)j));
        got += (double)count[j];
        if (want >= 20 || j + 1 == width) {
            if (want < 20 && cells > 0) { /* a short last cell joins the one before */
                chi2 -= (last_got - last_want) * (last_got - last_want) / last_want;
                want += last_want;
                got += last_got;
                cells--;
            }
            chi2 += (got - want) * (got - want) / want;
            cells++;
            last_want = want;
            last_got = got;
            want = got = 0;
        }
    }
    free(count);
    double crit = cells > 1 ? gsl_cdf_chisq_Qinv(1e-5, cells - 1) : 0;
    check(outside == 0 && (cells == 1 || chi2 < crit),
          "Bin(%u, %g) [%s]: chi2 %.1f over %d cells (critical %.1f)", n, p, path, chi2, cells,
          crit);
    check_near(sum / DRAWS, mean, 4 * sd / sqrt(DRAWS) + 1e-12, "Bin(%u, %g): mean %.4f", n, p,
               sum / DRAWS);
}

static void test_fits(gsl_rng *r)
{
    fit(r, 20, 0.1, "inversion");
    fit(r, 1000, 0.003, "inversion");
    fit(r, 24, 0.4, "inversion, n p = 9.6");
    fit(r, 25, 0.4, "BTRD, n p = 10");
    fit(r, 9, 0.5, "inversion, p = 1/2");
    fit(r, 10, 0.99, "inversion of 1 - p");
    fit(r, 100, 0.3, "BTRD");
    fit(r, 200, 0.95, "BTRD of 1 - p");
    fit(r, 878000, 0.0001, "BTRD, adoption-like");
    fit(r, 878000, 2e-6, "inversion, adoption-like");
    fit(r, 1000000, 0.5, "BTRD, p = 1/2");
    fit(r, 4000000000u, 0.25, "BTRD, n = 4e9");
}

static void test_edges(gsl_rng *r)
{
    rng_at(r, 21, 0, 0);
    int ok = 1;
    for (int i = 0; i < 100; i++) {
        ok &= rng_binomial(r, 0.3, 0) == 0;
        ok &= rng_binomial(r, 0.0, 1000) == 0 && rng_binomial(r, -1.0, 1000) == 0;
        ok &= rng_binomial(r, NAN, 1000) == 0;
        ok &= rng_binomial(r, 1.0, 1000) == 1000 && rng_binomial(r, 2.0, 7) == 7;
        ok &= rng_binomial(r, 1e-300, 4000000000u) == 0;
        ok &= rng_binomial(r, 1 - 0x1p-53, 5) == 5;
        uint32_t k = rng_binomial(r, 0.5, 1);
        ok &= k <= 1;
        ok &= rng_binomial(r, 0.999, 4294967295u) <= 4294967295u;
    }
    check(ok, "n = 0, p <= 0 or NaN, p >= 1, tiny p of a huge n, p just below 1: as they must");
}

/* BTRD's remainder against the definition, through lgamma, where lgamma
 * and the log are precise enough to tell (their own rounding, about
 * 1e-13 at k = 100, grows with k). */
static void test_stirling(void)
{
    double worst = 0;
    for (int k = 0; k <= 100; k++) {
        double want = lgamma(k + 1.0) - (k + 0.5) * log(k + 1.0) + (k + 1) -
                      0.5 * log(2 * 3.14159265358979323846);
        double err = fabs(rng_stirling_tail(k) - want);
        if (err > worst)
            worst = err;
    }
    check(worst < 2e-13, "Stirling's remainder within 2e-13 of lgamma's, k = 0..100 (%.2g)", worst);
}

int main(void)
{
    test_plan(2 * 12 + 2); /* two checks for each of the 12 laws test_fits draws from */
    gsl_rng *r = rng_new(17, 0);
    test_fits(r);
    test_edges(r);
    test_stirling();
    rng_free(r);
    return test_done();
}
