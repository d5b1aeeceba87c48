/* The inline draws of rng.h (rng_below, rng_exponential, rng_normal,
 * rng_lognormal; rng_binomial has test_binomial.c): their distributions on a fixed seed, with tolerances
 * from their variances (4 standard deviations) or a chi-square critical
 * value, and that they depend on the stream's key only. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "kernel/rng.h"
#include "kernel/rng_internal.h"
#include "test.h"

#define N 1000000
#define KNOWN_DIGEST 0x87ec21168061bbb2ull /* test_known_answers */

/* rng_below(7): a chi-square test of the seven cells (6 degrees of
 * freedom, 1 in 10,000 critical value); n = 1 always 0; a huge n below n. */
static void test_below(gsl_rng *r)
{
    long cells[7] = {0};
    rng_at(r, 1, 0, 0);
    for (long i = 0; i < N; i++) {
        if (i % 100000 == 0)
            rng_at(r, 1, 0, (uint64_t)i); /* a stream holds 2^17 draws */
        cells[rng_below(r, 7)]++;
    }
    double chi2 = 0, want = N / 7.0;
    for (int k = 0; k < 7; k++)
        chi2 += (cells[k] - want) * (cells[k] - want) / want;
    check(chi2 < gsl_cdf_chisq_Qinv(1e-4, 6), "rng_below(7) uniform: chi2 %.2f with 6 df", chi2);
    int zero = 1, below = 1;
    for (int i = 0; i < 1000; i++) {
        zero &= rng_below(r, 1) == 0;
        below &= rng_below(r, 4294967295u) < 4294967295u;
    }
    check(zero && below, "rng_below(1) is 0; rng_below(2^32 - 1) stays below");
    /* n = 2^31 + 1 has the largest rejected sliver: still uniform in halves */
    long low = 0;
    for (int i = 0; i < 100000; i++) {
        if (i % 10000 == 0)
            rng_at(r, 1, 1, (uint64_t)i); /* about two draws each: half are redrawn */
        low += rng_below(r, 2147483649u) < 1073741825u;
    }
    check(fabs(low - 50000.0) < 4 * sqrt(25000.0),
          "rng_below(2^31 + 1): %ld of 100000 in the lower half", low);
    /* one word a draw: four draws are one block's four words, in order */
    int words = 1;
    for (int i = 0; i < 1000; i++) {
        uint32_t w[8];
        rng_at(r, 8, 0, (uint64_t)i);
        for (int k = 0; k < 8; k++)
            w[k] = rng_word32(r);
        rng_at(r, 8, 0, (uint64_t)i);
        for (int k = 0; k < 8; k++)
            words &= rng_below(r, 1000) == (uint32_t)((uint64_t)w[k] * 1000 >> 32);
    }
    check(words, "rng_below takes one 32-bit word a draw");
}

/* rng_below_low: the same position as rng_below on the same stream, and a
 * coin from the spare half that is fair and independent of it (the 2x2
 * table of position parity against the coin: chi-square, 1 df). */
static void test_below_low(gsl_rng *r)
{
    int same = 1;
    for (int i = 0; i < 1000; i++) {
        uint32_t low;
        rng_at(r, 6, 0, (uint64_t)i);
        uint32_t a = rng_below_low(r, 1000003, &low);
        rng_at(r, 6, 0, (uint64_t)i);
        same &= a == rng_below(r, 1000003);
    }
    check(same, "rng_below_low draws rng_below's position");
    long cell[2][2] = {{0}}, heads = 0;
    for (long i = 0; i < N; i++) {
        uint32_t low;
        if (i % 100000 == 0)
            rng_at(r, 7, 0, (uint64_t)i);
        uint32_t pos = rng_below_low(r, 1000, &low);
        int coin = rng_coin(low, 0.3);
        heads += coin;
        cell[pos & 1][coin]++;
    }
    check_near((double)heads / N, 0.3, 4 * sqrt(0.21 / N), "rng_coin(0.3): %.5f heads",
               (double)heads / N);
    double chi2 = 0;
    for (int a = 0; a < 2; a++)
        for (int c = 0; c < 2; c++) {
            double want = N * 0.5 * (c ? 0.3 : 0.7);
            chi2 += (cell[a][c] - want) * (cell[a][c] - want) / want;
        }
    check(chi2 < gsl_cdf_chisq_Qinv(1e-4, 3), "coin independent of the position: chi2 %.2f", chi2);
    uint32_t all = 0xFFFFFFFFu;
    check(rng_coin(all, 1.0) && !rng_coin(0, 0.0), "rng_coin(p = 1) always, (p = 0) never");
}

/* Means and variances of n draws: the mean within 4 sd of the mean, the
 * variance within 4 of its sd (normal: sqrt(2/n); exponential: about
 * sqrt(8/n) relative). */
static void test_exponential_normal(gsl_rng *r)
{
    double s = 0, s2 = 0;
    for (long i = 0; i < N; i++) {
        if (i % 100000 == 0)
            rng_at(r, 2, 0, (uint64_t)i);
        double x = rng_exponential(r, 2.5);
        s += x;
        s2 += x * x;
    }
    double mean = s / N, var = s2 / N - mean * mean;
    check_near(mean, 2.5, 4 * 2.5 / sqrt(N), "rng_exponential(2.5) mean %.5f", mean);
    check_near(var, 6.25, 4 * 6.25 * sqrt(8.0 / N), "and variance %.4f", var);
    s = s2 = 0;
    double s3 = 0, s4 = 0;
    long tail = 0;
    for (long i = 0; i < N; i++) {
        if (i % 50000 == 0)
            rng_at(r, 3, 0, (uint64_t)i);
        double z = rng_normal(r);
        tail += fabs(z) > 3;
        s += z;
        s2 += z * z;
        s3 += z * z * z;
        s4 += z * z * z * z;
    }
    check_near(s / N, 0, 4 / sqrt(N), "rng_normal mean %.5f", s / N);
    check_near(s2 / N, 1, 4 * sqrt(2.0 / N), "rng_normal variance %.5f", s2 / N);
    check_near(s3 / N, 0, 4 * sqrt(15.0 / N), "rng_normal skewness %.5f", s3 / N);
    check_near(s4 / N, 3, 4 * sqrt(96.0 / N), "rng_normal kurtosis %.5f", s4 / N);
    double p3 = 2 * gsl_cdf_ugaussian_Q(3); /* the ziggurat's tail is its own branch */
    check_near((double)tail, N * p3, 4 * sqrt(N * p3), "rng_normal beyond 3 sd: %ld", tail);
    s = 0;
    for (long i = 0; i < N; i++) {
        if (i % 50000 == 0)
            rng_at(r, 4, 0, (uint64_t)i);
        s += log(rng_lognormal(r, 1.5, 0.5));
    }
    check_near(s / N, 1.5, 4 * 0.5 / sqrt(N), "rng_lognormal(1.5, 0.5): mean log %.5f", s / N);
}

/* Positioned on the same key, two generators draw the same numbers,
 * whatever was drawn before. */
static void test_keyed(void)
{
    gsl_rng *a = rng_new(42, 3), *b = rng_new(42, 3);
    for (int i = 0; i < 17; i++)
        (void)rng_normal(b);
    rng_at(a, 5, 99, 7);
    rng_at(b, 5, 99, 7);
    int same = 1;
    for (int i = 0; i < 100; i++) {
        same &= rng_below(a, 1000) == rng_below(b, 1000);
        same &= rng_normal(a) == rng_normal(b);
        same &= rng_exponential(a, 1) == rng_exponential(b, 1);
    }
    check(same, "the same key, the same draws, whatever came before");
    rng_free(a);
    rng_free(b);
}

/* rng_at's cache of purpose keys: going back to a purpose, or to one that
 * shares its cache slot (purpose mod 8), draws what a fresh generator
 * draws; reseeding through GSL forgets the old seed's keys. */
static void test_key_cache(void)
{
    gsl_rng *a = rng_new(9, 2);
    uint32_t order[] = {3, 11, 3, 19, 11, 4, 3}; /* 3, 11 and 19 share a slot */
    int same = 1;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        gsl_rng *fresh = rng_new(9, 2); /* an empty cache */
        rng_at(a, order[i], 77, 5);
        rng_at(fresh, order[i], 77, 5);
        same &= rng_bits(a) == rng_bits(fresh);
        rng_free(fresh);
    }
    check(same, "purpose keys from the cache are the keys (slots shared and revisited)");
    gsl_rng_set(a, 10);
    gsl_rng *b = rng_new(10, 0);
    rng_at(a, 3, 77, 5);
    rng_at(b, 3, 77, 5);
    check(rng_bits(a) == rng_bits(b), "gsl_rng_set: the new seed's keys, not the cached ones");
    rng_free(a);
    rng_free(b);
}

/* rng_normal against the normal distribution function: a chi-square test
 * over 100 cells of equal probability (99 degrees of freedom, 1 in 10,000
 * critical value), and cells cut at the ziggurat's own seams (the base
 * rectangle's edge R = 3.4426, the tail beyond it, and far into it), each
 * count within 4 sd of its expectation; and how often the fast path (one
 * word, inside a rectangle) serves. */
static void test_normal_fit(gsl_rng *r)
{
    enum { CELLS = 100 };
    static long cell[CELLS];
    long beyond_r = 0, beyond_4 = 0, beyond_5 = 0, fast = 0;
    const struct rng_state *st = r->state;
    for (long i = 0; i < N; i++) {
        if (i % 50000 == 0)
            rng_at(r, 10, 0, (uint64_t)i);
        /* the fast path's test, on a copy of the generator's position */
        struct rng_state save = *st;
        uint32_t w = rng_word32(r);
        *(struct rng_state *)r->state = save;
        fast += (w >> 8) < st->zig_k[w & (RNG_ZIG_LAYERS - 1)];
        double z = rng_normal(r);
        int c = (int)(gsl_cdf_ugaussian_P(z) * CELLS);
        cell[c < 0 ? 0 : c >= CELLS ? CELLS - 1 : c]++;
        beyond_r += fabs(z) > 3.442619855899;
        beyond_4 += fabs(z) > 4;
        beyond_5 += fabs(z) > 5;
    }
    double chi2 = 0, want = (double)N / CELLS;
    for (int c = 0; c < CELLS; c++)
        chi2 += (cell[c] - want) * (cell[c] - want) / want;
    check(chi2 < gsl_cdf_chisq_Qinv(1e-4, CELLS - 1),
          "rng_normal fits the normal: chi2 %.1f, 99 df", chi2);
    double p_r = 2 * gsl_cdf_ugaussian_Q(3.442619855899), p4 = 2 * gsl_cdf_ugaussian_Q(4),
           p5 = 2 * gsl_cdf_ugaussian_Q(5);
    check_near((double)beyond_r, N * p_r, 4 * sqrt(N * p_r), "rng_normal beyond R (the tail): %ld",
               beyond_r);
    check_near((double)beyond_4, N * p4, 4 * sqrt(N * p4), "rng_normal beyond 4: %ld", beyond_4);
    check_near((double)beyond_5, N * p5, 4 * sqrt(N * p5) + 1, "rng_normal beyond 5: %ld",
               beyond_5);
    /* the rectangles' share of the area: sum of k_i / 2^24 over 128 layers */
    double share = 0;
    for (int i = 0; i < RNG_ZIG_LAYERS; i++)
        share += st->zig_k[i] * 0x1.0p-24 / RNG_ZIG_LAYERS;
    check(share > 0.97, "the rectangles hold %.2f%% of the ziggurat", 100 * share);
    check_near((double)fast, N * share, 4 * sqrt(N * share * (1 - share)),
               "rng_normal: %ld draws of %d on the fast path", fast, N);
}

/* The draws are the same bits on every machine: a digest of the first
 * values of each sampler on a fixed key, against the value this source
 * gave when it was written. Any change of a sampler, a table or the
 * floating-point contract of the build changes it (and the goldens). */
static void test_known_answers(void)
{
    gsl_rng *r = rng_new(20201009, 1);
    uint64_t h = 1469598103934665603ull;
    for (int i = 0; i < 20000; i++) {
        double v[4];
        rng_at(r, 12, (uint64_t)i, 0);
        v[0] = rng_normal(r);
        v[1] = rng_lognormal(r, 8.5, 1.0);
        v[2] = rng_exponential(r, 3.0);
        v[3] = (double)rng_binomial(r, i % 2 ? 0.3 : 1e-4, (uint32_t)(i * 997u % 100000u));
        for (int k = 0; k < 4; k++) {
            uint64_t b;
            memcpy(&b, &v[k], sizeof b);
            h = (h ^ b) * 1099511628211ull;
        }
    }
    printf("# draws digest %016llx\n", (unsigned long long)h);
    check(h == KNOWN_DIGEST, "the draws of a fixed key are the bits they always were");
    rng_free(r);
}

/* rng_neglog against libm's -log over the uniforms rng_uniform_pos gives
 * and smaller ones: within 4 ulp, or 2e-16 absolutely near u = 1 (where
 * the result is tiny and only absolute error matters to a draw). */
static void test_neglog(gsl_rng *r)
{
    const struct rng_state *s = r->state;
    double worst = 0.0;
    int bad = 0;
    for (int i = 0; i < 1000000; i++) {
        if (i % 100000 == 0)
            rng_at(r, 9, 0, (uint64_t)i);
        double u = i % 2 ? rng_uniform_pos(r) : ldexp(rng_uniform_pos(r), -(i % 60));
        double got = rng_neglog(s, u), want = -log(u);
        double ulps = fabs(got - want) / (nextafter(want, INFINITY) - want);
        bad += fabs(got - want) > 2e-16 && ulps > 4;
        if (want > 1.0 / 64 && ulps > worst)
            worst = ulps;
    }
    check(bad == 0, "rng_neglog within 4 ulp or 2e-16 of -log (%d outside)", bad);
    printf("# rng_neglog: worst %.2f ulp where -log(u) > 1/64\n", worst);
}

int main(void)
{
    test_plan(27);
    gsl_rng *r = rng_new(2026, 0);
    test_below(r);
    test_below_low(r);
    test_exponential_normal(r);
    test_keyed();
    test_key_cache();
    test_normal_fit(r);
    test_known_answers();
    test_neglog(r);
    rng_free(r);
    return test_done();
}
