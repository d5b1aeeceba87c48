/* test_rng: Philox2x64-10 against the Random123 known answers, the keyed
 * streams' promises (order independence, common random numbers, distinct
 * replications), and the statistical quality of the draws: GSL-style mean and
 * bit tests, chi-square on buckets, serial correlation, Kolmogorov-Smirnov,
 * and independence between neighbouring keys. Fixed seeds; every threshold is
 * a quantile of the statistic's null distribution (p about 1e-4 or smaller). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "kernel/rng.h"
#include "kernel/rng_internal.h"
#include "test.h"

#define N_DRAWS 1000000

static void test_known_answers(void)
{
    /* Random123 tests/kat_vectors, the three philox2x64 10 lines:
     * counter (2 words), key, expected output (2 words) */
    static const uint64_t v[3][5] = {
        {0, 0, 0, 0xca00a0459843d731ull, 0x66c24222c9a845b5ull},
        {0xffffffffffffffffull, 0xffffffffffffffffull, 0xffffffffffffffffull, 0x65b021d60cd8310full,
         0x4d02f3222f86df20ull},
        {0x243f6a8885a308d3ull, 0x13198a2e03707344ull, 0xa4093822299f31d0ull, 0x0a5e742c2997341cull,
         0xb0f883d38000de5dull},
    };
    for (int i = 0; i < 3; i++) {
        uint64_t out[2];
        rng_philox2x64(v[i], v[i][2], out);
        check(out[0] == v[i][3] && out[1] == v[i][4], "philox2x64-10 known answer %d", i + 1);
    }
    /* the 128-bit product from 32-bit halves agrees with the compiler's */
    uint64_t x = 0x243f6a8885a308d3ull, y = 0xffffffffffffffffull;
    int agree = 1;
    for (int i = 0; i < 100000; i++) {
        uint64_t h1, h2, l1 = rng_mulhilo(x, y, &h1), l2 = rng_mulhilo_portable(x, y, &h2);
        agree &= l1 == l2 && h1 == h2;
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        y = i % 3 ? (y ^ (y << 13)) ^ ((y ^ (y << 13)) >> 7) : ~x;
        y ^= y << 17;
    }
    check(agree, "rng_mulhilo_portable agrees with rng_mulhilo");
}

static void test_streams(void)
{
    gsl_rng *a = rng_new(42, 0), *b = rng_new(42, 0), *c = rng_new(42, 1);
    check(a && b && c, "rng_new");
    check(strcmp(rng_name(), "philox2x64-10") == 0 && strcmp(gsl_rng_name(a), rng_name()) == 0,
          "generator name %s", rng_name());

    /* the same key gives the same numbers whatever was drawn before */
    rng_at(a, 3, 1234, 7);
    double x1 = rng_uniform_pos(a), x2 = gsl_rng_uniform(a);
    rng_at(b, 1, 99, 0);
    (void)rng_bits(b);
    rng_at(b, 3, 1234, 6);
    (void)gsl_ran_exponential(b, 1.0);
    rng_at(b, 3, 1234, 7);
    check(rng_uniform_pos(b) == x1 && gsl_rng_uniform(b) == x2, "draws depend only on the key");

    /* common random numbers: plan B draws extra on stream 5, stream 6 is unmoved */
    rng_at(a, 2, 5, 0);
    (void)rng_bits(a);
    rng_at(a, 2, 6, 0);
    uint64_t plan_a = rng_bits(a);
    rng_at(b, 2, 5, 0);
    for (int i = 0; i < 100; i++)
        (void)rng_bits(b);
    rng_at(b, 2, 6, 0);
    check(rng_bits(b) == plan_a, "an extra draw never shifts another stream");

    rng_at(c, 2, 6, 0);
    check(rng_bits(c) != plan_a, "replications differ");

    /* a stream is long: consecutive words differ across block boundaries */
    rng_at(a, 0, 0, 0);
    uint64_t first = rng_bits(a), same = 0;
    for (int i = 0; i < 1000; i++)
        same += rng_bits(a) == first;
    check(same == 0, "a stream does not repeat its first word");
    rng_free(a);
    rng_free(b);
    rng_free(c);
    rng_free(NULL);
}

/* A stream's first block computed early (rng_key, rng_block_keyed) and
 * handed back (rng_at_block): the same draws as rng_at, across block
 * boundaries and for purposes in and out of the key cache, with the
 * generator left on another purpose in between; rng_key moves nothing. */
static void test_block_ahead(void)
{
    gsl_rng *a = rng_new(7, 3), *b = rng_new(7, 3);
    int same = 1, unmoved = 1;
    for (uint32_t k = 0; k < 200; k++) {
        uint32_t purpose = k % 23; /* more than the cache keeps */
        uint64_t agent = (uint64_t)k * 0x9E3779B97F4A7C15ull, counter = k * 977u;
        rng_at(b, 5, k, 0); /* b mid-stream on another purpose */
        (void)rng_word32(b);
        uint64_t block[2], next = 0, key = rng_key(b, purpose);
        rng_block_keyed(key, agent, counter, block);
        rng_at(a, 5, k, 0);
        (void)rng_word32(a);
        unmoved &= rng_word32(b) == rng_word32(a);
        rng_at(a, purpose, agent, counter);
        rng_at_block(b, purpose, key, agent, counter, block);
        for (int i = 0; i < 9; i++) { /* words and pairs, past the first block */
            next = i % 3 ? rng_bits(a) : rng_word32(a);
            same &= next == (i % 3 ? rng_bits(b) : rng_word32(b));
        }
        /* Back to purpose 5 from the block's purpose: its key, not the block's. */
        rng_at(a, 5, k, 1);
        rng_at(b, 5, k, 1);
        same &= rng_bits(a) == rng_bits(b);
    }
    check(same, "rng_at_block with rng_block_keyed's block draws what rng_at draws");
    check(unmoved, "rng_key leaves the generator where it was");
    rng_free(a);
    rng_free(b);
}

/* GSL's own rng test style: the mean of uniforms and the frequency of each bit
 * of get(), both within 5 sigma. */
static void test_gsl_style(gsl_rng *r)
{
    double sum = 0.0;
    unsigned long bits[32] = {0};
    int bad_range = 0;
    for (int i = 0; i < N_DRAWS; i++) {
        if (i % 10000 == 0) /* a stream holds 2^18 words: move on */
            rng_at(r, 1, 0, (uint64_t)i);
        double u = gsl_rng_uniform(r);
        double p = gsl_rng_uniform_pos(r);
        unsigned long w = gsl_rng_get(r);
        bad_range += u < 0.0 || u >= 1.0 || p <= 0.0 || p >= 1.0 || w > gsl_rng_max(r);
        sum += u;
        for (int b = 0; b < 32; b++)
            bits[b] += w >> b & 1;
    }
    check(bad_range == 0, "uniform in [0,1), uniform_pos in (0,1), get within max");
    check_near(sum / N_DRAWS, 0.5, 5 * sqrt(1.0 / 12 / N_DRAWS), "mean of uniforms");
    int bad_bits = 0;
    for (int b = 0; b < 32; b++)
        bad_bits += fabs((double)bits[b] - N_DRAWS / 2.0) > 5 * sqrt(N_DRAWS / 4.0);
    check(bad_bits == 0, "every bit of get() is set half the time");
    double esum = 0.0;
    for (int i = 0; i < N_DRAWS; i++) {
        if (i % 100000 == 0)
            rng_at(r, 1, 1, (uint64_t)i);
        esum += gsl_ran_exponential(r, 2.0);
    }
    check_near(esum / N_DRAWS, 2.0, 5 * 2.0 / sqrt(N_DRAWS), "gsl_ran_exponential mean");
}

/* Chi-square of n uniforms in k buckets; returns the upper-tail p-value. */
static double chi2_p(const double *u, size_t n, size_t k)
{
    unsigned long *cnt = calloc(k, sizeof *cnt);
    for (size_t i = 0; i < n; i++)
        cnt[(size_t)(u[i] * (double)k)]++;
    double e = (double)n / (double)k, x2 = 0.0;
    for (size_t j = 0; j < k; j++)
        x2 += (cnt[j] - e) * (cnt[j] - e) / e;
    free(cnt);
    return gsl_cdf_chisq_Q(x2, (double)(k - 1));
}

/* Kolmogorov-Smirnov statistic sqrt(n) * D of n uniforms against U(0,1). */
static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double ks_stat(double *u, size_t n)
{
    double d = 0.0;
    qsort(u, n, sizeof *u, cmp_double);
    for (size_t i = 0; i < n; i++) {
        double lo = u[i] - (double)i / n, hi = (double)(i + 1) / n - u[i];
        d = fmax(d, fmax(lo, hi));
    }
    return sqrt((double)n) * d;
}

/* Pearson correlation of x[i] and y[i]. */
static double corr(const double *x, const double *y, size_t n)
{
    double mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < n; i++) {
        mx += x[i];
        my += y[i];
    }
    mx /= n;
    my /= n;
    for (size_t i = 0; i < n; i++) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    return sxy / sqrt(sxx * syy);
}

static void test_stats_one_stream(gsl_rng *r, double *u)
{
    rng_at(r, 7, 11, 0);
    /* one stream holds 2^18 words = 131072 doubles: walk several counters */
    for (size_t i = 0; i < N_DRAWS; i++) {
        if (i % 100000 == 0)
            rng_at(r, 7, 11, i / 100000);
        u[i] = gsl_rng_uniform(r);
    }
    double p = chi2_p(u, N_DRAWS, 1000);
    check(p > 1e-4 && p < 1 - 1e-4, "chi-square, 1000 buckets: p = %.4f", p);
    double rho = corr(u, u + 1, N_DRAWS - 1);
    /* under independence rho ~ N(0, 1/n): 4.4 sigma is p = 1e-5 */
    check(fabs(rho) < 4.4 / sqrt(N_DRAWS), "serial correlation lag 1: %.2e", rho);
    double rho2 = corr(u, u + 2, N_DRAWS - 2);
    check(fabs(rho2) < 4.4 / sqrt(N_DRAWS), "serial correlation lag 2: %.2e", rho2);
    /* sqrt(n) D > 1.95 has probability 0.001 under the null */
    double k = ks_stat(u, N_DRAWS);
    check(k < 1.95, "Kolmogorov-Smirnov sqrt(n)D = %.3f", k);
}

/* First draw of neighbouring keys: each key component incremented by one. */
static void test_neighbour_keys(double *x, double *y)
{
    const size_t n = N_DRAWS / 2;
    static const char *what[] = {"agent", "counter", "purpose", "replication", "seed"};
    for (int w = 0; w < 5; w++) {
        unsigned long bitdiff = 0;
        for (size_t i = 0; i < n; i++) {
            /* key i and its neighbour along component w */
            gsl_rng *a = rng_new(1000 + (w == 4 ? i : 0), w == 3 ? (uint32_t)i : 0);
            gsl_rng *b = rng_new(1000 + (w == 4 ? i + 1 : 0), w == 3 ? (uint32_t)i + 1 : 0);
            uint32_t pa = w == 2 ? (uint32_t)i : 5, pb = w == 2 ? (uint32_t)i + 1 : 5;
            uint64_t ag = w == 0 ? i : 77, ca = w == 1 ? i : 3;
            rng_at(a, pa, ag, ca);
            rng_at(b, pb, w == 0 ? ag + 1 : ag, w == 1 ? ca + 1 : ca);
            uint64_t ba = rng_bits(a), bb = rng_bits(b);
            x[i] = (double)(ba >> 11) * 0x1.0p-53;
            y[i] = (double)(bb >> 11) * 0x1.0p-53;
            bitdiff += (unsigned long)__builtin_popcountll(ba ^ bb);
            rng_free(a);
            rng_free(b);
        }
        double rho = corr(x, y, n);
        check(fabs(rho) < 4.4 / sqrt((double)n), "neighbouring %s: correlation %.2e", what[w], rho);
        /* avalanche: half of the 64 bits flip, binomial(64n, 1/2) */
        double flips = (double)bitdiff / (64.0 * n);
        check(fabs(flips - 0.5) < 4.4 * 0.5 / sqrt(64.0 * n),
              "neighbouring %s: %.5f of bits differ", what[w], flips);
        /* pairs (x, y) uniform on a 32x32 grid */
        for (size_t i = 0; i < n; i++)
            x[i] = (floor(x[i] * 32) * 32 + floor(y[i] * 32)) / 1024.0;
        double p = chi2_p(x, n, 1024);
        check(p > 1e-4 && p < 1 - 1e-4, "neighbouring %s: pairs chi-square p = %.4f", what[w], p);
    }
}

int main(void)
{
    test_plan(35);
    double *u = malloc(N_DRAWS * sizeof *u), *v = malloc(N_DRAWS * sizeof *v);
    gsl_rng *r = rng_new(20200101, 0);
    test_known_answers();
    test_streams();
    test_block_ahead();
    test_gsl_style(r);
    test_stats_one_stream(r, u);
    test_neighbour_keys(u, v);
    rng_free(r);
    free(u);
    free(v);
    return test_done();
}
