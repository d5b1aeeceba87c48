/* stats: mean, standard deviation, Student-t intervals, paired differences.
 *
 * Replications are few (tens to hundreds) and their values moderate, so the
 * plain two-pass formulas are accurate enough; what matters more is that
 * the arithmetic is the same every time: values are read in the caller's
 * order, never reordered or summed in parallel, so a summary's bytes depend
 * only on the values. */
#include "stats.h"

#include <assert.h>
#include <math.h>

#include <gsl/gsl_cdf.h>

/* GSL inverts the t distribution's CDF; for df = 1 (two replications) the
 * 95% quantile is 12.7, so two replications give a wide but honest interval. */
double stats_t_quantile(double level, size_t df) {
    assert(df >= 1 && level > 0 && level < 1);
    /* The upper (1 + level) / 2 quantile: a two-sided interval. */
    return gsl_cdf_tdist_Pinv(0.5 + level / 2, (double)df);
}

/* The i-th value: x[i] alone, or the difference b[i] - x[i] of a pair. */
static double value_at(const double *x, const double *b, size_t i, size_t stride) {
    return b ? b[i * stride] - x[i * stride] : x[i * stride];
}

/* Two passes (the mean, then squared deviations from it): exact enough for
 * the few hundred values an experiment has, and order-fixed. A constant
 * sample keeps its value as the mean exactly (a sum divided back may not),
 * so a metric that does not vary prints as itself and two identical plans
 * differ by exactly 0. A value that is not finite is undefined in its
 * replication (a latency where no payment completed) and is left out, a
 * pair with it too: averaging it as 0 would invent a latency. */
static void summarize(const double *x, const double *b, size_t n, size_t stride, double level,
                      struct stats_summary *out) {
    assert(stride >= 1);
    out->n = 0;
    out->mean = out->sd = out->half = out->lo = out->hi = NAN;
    double sum = 0, first = NAN;
    int constant = 1;
    for (size_t i = 0; i < n; i++) {
        double v = value_at(x, b, i, stride);
        if (!isfinite(v))
            continue;
        if (out->n++ == 0)
            first = v;
        sum += v;
        constant &= v == first;
    }
    if (out->n == 0)
        return;
    double mean = constant ? first : sum / (double)out->n;
    out->mean = mean;
    /* One value has no spread: sd and the interval stay NaN ("undefined"),
     * which the writers print as empty or null rather than as a guess. */
    if (out->n < 2)
        return;
    double ss = 0;
    for (size_t i = 0; i < n && !constant; i++) {
        double v = value_at(x, b, i, stride);
        if (isfinite(v))
            ss += (v - mean) * (v - mean);
    }
    /* The sample sd (divisor n - 1) and the t interval of the mean. */
    size_t m = out->n;
    out->sd = sqrt(ss / (double)(m - 1));
    out->half = stats_t_quantile(level, m - 1) * out->sd / sqrt((double)m);
    out->lo = mean - out->half;
    out->hi = mean + out->half;
}

void stats_summarize(const double *x, size_t n, size_t stride, double level,
                     struct stats_summary *out) {
    summarize(x, NULL, n, stride, level, out);
}

/* The paired t interval: the differences' own mean and sd. With common
 * random numbers the noise two plans share cancels in each difference, so
 * this interval is much narrower than the two plans' intervals side by side. */
void stats_paired(const double *a, const double *b, size_t n, size_t stride, double level,
                  struct stats_summary *out) {
    summarize(a, b, n, stride, level, out);
}

/* Significant at the summary's level when the interval excludes zero; an
 * interval that touches zero (lo == 0) is not. */
enum stats_direction stats_direction_of(const struct stats_summary *d) {
    if (!isfinite(d->lo) || !isfinite(d->hi))
        return STATS_SAME;
    if (d->lo > 0)
        return STATS_HIGHER;
    if (d->hi < 0)
        return STATS_LOWER;
    return STATS_SAME;
}

/* The --precision rule: relative half-width against |mean|, so negative
 * metrics and metrics near zero are judged by their size. */
int stats_precise(const struct stats_summary *s, double rel) {
    if (!isfinite(s->half) || !isfinite(s->mean))
        return 0;
    return s->half <= rel * fabs(s->mean);
}
