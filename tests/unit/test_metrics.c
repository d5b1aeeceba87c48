/* Unit tests of metrics: histogram error bounds, ranks, merging and
 * draining, the row store. */
#include <math.h>
#include <stdlib.h>

#include "metrics.h"
#include "test.h"

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(void) {
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
    check(worst <= 0.004, "percentiles within 0.4%% of the sorted truth (worst %.4f%%)", 100 * worst);
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
        double q = ((double)r - 0.5) / N;        /* ceil(q N) = r */
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
    int added = c.count == h.count + b.count && c.max_ns == h.max_ns && c.lo == h.lo && c.hi == h.hi;
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
