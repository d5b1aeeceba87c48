/* Unit tests of metrics: histogram error bounds, ranks, merging and
 * draining, the peak meter against a step-by-step integration, the row
 * store. */
#include <math.h>
#include <stdlib.h>

#include "metrics/metrics.h"
#include "metrics/peak_meter.h"
#include "test.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* A piecewise-constant rate: rate[i] from at[i] to at[i + 1]. */
struct steps {
    int n;
    double at[64], rate[64];
};

/* The reference: each bucket's windows integrated second by second (every
 * change falls on a whole second), cut at each minute and bucket edge. */
static double reference_peak(const struct steps *s, double from, double to)
{
    double peak = 0;
    for (double w = from; w < to;) {
        double end = fmin((floor(w / 60) + 1) * 60, to), area = 0;
        for (double t = w; t < end; t++) {
            double r = 0;
            for (int i = 0; i < s->n && s->at[i] <= t; i++)
                r = s->rate[i];
            area += r;
        }
        peak = fmax(peak, area / (end - w));
        w = end;
    }
    return peak;
}

/* Random steps (at whole seconds, some within a minute of each other, some
 * hours apart) fed to a meter, buckets closed at `step`: every bucket's
 * peak against the reference, and the run's peak the largest of them. */
static int peak_case(unsigned seed, double step, double horizon)
{
    struct steps s = {0};
    unsigned x = seed;
    double t = 0;
    while (s.n < 64 && t < horizon) {
        s.at[s.n] = t;
        x = x * 1103515245u + 12345u;
        s.rate[s.n++] = (x >> 16) % 4 == 0 ? 0 : (double)((x >> 8) % 1000) / 7;
        x = x * 1103515245u + 12345u;
        t += (x >> 16) % 2 ? (double)((x >> 8) % 90 + 1) : (double)((x >> 8) % 20000);
    }
    struct peak_meter p;
    peak_meter_init(&p, 0);
    int ok = 1, i = 0;
    double run = 0;
    for (double b = step; b <= horizon; b += step) {
        for (; i < s.n && s.at[i] < b; i++)
            peak_meter_set(&p, s.at[i], s.rate[i]);
        double got = peak_meter_close(&p, b), want = reference_peak(&s, b - step, b);
        ok &= fabs(got - want) <= 1e-9 * (want + 1);
        run = fmax(run, want);
    }
    return ok && fabs(p.peak - run) <= 1e-9 * (run + 1);
}

static void test_peak_meter(void)
{
    struct peak_meter p;
    peak_meter_init(&p, 0);
    peak_meter_set(&p, 0, 2);
    check(peak_meter_close(&p, 3600) == 2, "a constant rate is its own peak");
    /* 1/s until 90 s, then 3/s: the minute [60, 120) averages 2. */
    peak_meter_init(&p, 0);
    peak_meter_set(&p, 0, 1);
    peak_meter_set(&p, 90, 3);
    peak_meter_set(&p, 120, 0);
    check_near(peak_meter_close(&p, 600), 2, 1e-12, "a minute with a change averages it");
    /* 10/s for 30 s inside one minute: a one-minute mean of 5, not 10. */
    peak_meter_init(&p, 0);
    peak_meter_set(&p, 615, 10);
    peak_meter_set(&p, 645, 0);
    check_near(peak_meter_close(&p, 3600), 5, 1e-12, "a burst shorter than a minute is averaged");
    /* A bucket ending 20 s into a minute: its last window is those 20 s. */
    peak_meter_init(&p, 0);
    peak_meter_set(&p, 0, 1);
    peak_meter_set(&p, 60, 4);
    check_near(peak_meter_close(&p, 80), 4, 1e-12,
               "a window cut by the bucket is averaged over its length");
    check_near(peak_meter_close(&p, 200), 4, 1e-12, "and the next bucket starts a window there");
    check(p.peak == 4, "the run's peak is the largest bucket's");
    int ok = 1;
    for (unsigned seed = 1; seed <= 40; seed++)
        ok &= peak_case(seed, seed % 3 ? 3600 : 1000, 86400);
    check(ok, "random steps: every bucket's peak equals a second-by-second integration");
}

int main(void)
{
    test_plan(19);
    test_peak_meter();
    static struct hist h, a, b;
    hist_init(&h);
    check(hist_quantile(&h, 0.5) == 0, "an empty histogram answers 0");

    /* Exact values below 256 ns. */
    hist_record(&h, 100e-9);
    check_near(hist_quantile(&h, 0.5), 100e-9, 1e-15, "small values are exact");
    check(h.count == 1 && h.max_ns == 100, "count and max are kept");

    /* Relative error of every percentile within 0.4% over 7 decades. */
    enum { N = 200001 };
    double *v = malloc(N * sizeof *v);
    hist_init(&h);
    unsigned x = 12345;
    for (int i = 0; i < N; i++) {
        x = x * 1103515245u + 12345u;
        v[i] = 1e-6 * pow(10, 7.0 * (x >> 8) / (double)(1u << 24));
        hist_record(&h, v[i]);
    }
    qsort(v, N, sizeof *v, cmp_double);
    double worst = 0;
    const double qs[] = {0.01, 0.1, 0.5, 0.9, 0.99, 0.999, 0.9999};
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        double truth = v[(size_t)ceil(qs[i] * N) - 1];
        double err = fabs(hist_quantile(&h, qs[i]) - truth) / truth;
        if (err > worst)
            worst = err;
    }
    check(worst <= 0.004, "percentiles within 0.4%% of the sorted truth (worst %.4f%%)",
          100 * worst);
    check_near(hist_max(&h), v[N - 1], v[N - 1] * 1e-9 + 1e-9, "max is the largest value");

    /* Every rank answers the bucket of the rank-th smallest value, walked
     * from either end: a histogram of that value and the largest gives it
     * at rank 1 (the same midpoint, clamped by the same max). Ranks at
     * both sides of the middle, where the walk changes direction. */
    int exact = 1;
    for (uint64_t r = 1; r <= N; r += r < N / 2 - 50 || r > N / 2 + 50 ? 997 : 1) {
        static struct hist two;
        hist_init(&two);
        hist_record(&two, v[r - 1]);
        hist_record(&two, v[N - 1]);
        double q = ((double)r - 0.5) / N; /* ceil(q N) = r */
        exact &= hist_quantile(&h, q) == hist_quantile(&two, 0.5);
    }
    exact &= hist_quantile(&h, 1.0) == hist_quantile(&h, 1.0 - 0.1 / N);
    check(exact, "each rank's bucket, from below and from above, is the rank-th value's");

    /* Merging two halves equals recording all. */
    hist_init(&a);
    hist_init(&b);
    for (int i = 0; i < N; i++)
        hist_record(i % 2 ? &a : &b, v[i]);
    hist_merge(&a, &b);
    int same = a.count == h.count && a.max_ns == h.max_ns;
    for (size_t i = 0; i < HIST_BUCKETS; i++)
        same &= a.bucket[i] == h.bucket[i];
    check(same, "merge is exact: the same buckets as one histogram");
    free(v);

    /* Draining a (all the values) into c (b's half) adds every bucket and
     * leaves a empty, ready to record afresh. */
    static struct hist c;
    hist_init(&c);
    hist_merge(&c, &b);
    hist_drain(&c, &a);
    int added =
        c.count == h.count + b.count && c.max_ns == h.max_ns && c.lo == h.lo && c.hi == h.hi;
    int empty = a.count == 0 && a.max_ns == 0 && a.sum_s == 0;
    for (size_t i = 0; i < HIST_BUCKETS; i++) {
        added &= c.bucket[i] == h.bucket[i] + b.bucket[i];
        empty &= a.bucket[i] == 0;
    }
    check(added, "drain adds every bucket to the other histogram");
    check(empty, "and empties every bucket of its own");
    hist_record(&a, 1e-3);
    check_near(hist_quantile(&a, 0.5), 1e-3, 4e-6, "which then records afresh");

    /* Huge values land in the last bucket without overflow. */
    hist_init(&h);
    hist_record(&h, 1e9);
    hist_record(&h, -1);
    check(h.count == 2 && hist_quantile(&h, 1.0) > 0, "out-of-range values are clamped");

    struct metrics m;
    metrics_init(&m);
    struct ts_row row = {.time_s = 1};
    int ok = 1;
    for (int i = 0; i < 1000; i++) {
        row.city = (uint32_t)i;
        ok &= metrics_add_row(&m, &row) == 0;
    }
    check(ok && m.n_rows == 1000 && m.rows[999].city == 999, "rows are appended in order");
    metrics_destroy(&m);
    return test_done();
}
