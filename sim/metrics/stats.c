/* stats: mean, standard deviation, Student-t intervals, paired differences.
 *
 * Replications are few (tens to hundreds) and their values moderate, so the
 * plain two-pass formulas are accurate enough; what matters more is that
 * the arithmetic is the same every time: values are read in the caller's
 * order, never reordered or summed in parallel, so a summary's bytes depend
 * only on the values. */
#include "metrics/stats.h"

#include <assert.h>
#include <math.h>

#include "kernel/detmath.h"

/* The Student t quantile, computed here rather than by GSL, whose
 * gsl_cdf_tdist_Pinv calls libm (tan, pow, exp, log): their last bit
 * differs between machines, and an interval printed from it could too
 * (docs/model.md, Determinism). Only basic operations, sqrt and detmath.
 *
 * P(T > t) = I_x(df/2, 1/2) / 2 with x = df / (df + t^2), the regularized
 * incomplete beta function, by its continued fraction (Lentz's method, on
 * the side of x where it converges fast, x < (a + 1) / (a + b + 2)).
 * B(df/2, 1/2) needs no gamma function for an integer df: it is pi (df =
 * 1) or 2 (df = 2) times the product of (k/2) / (k/2 + 1/2) up the odd or
 * even k below df. The quantile is then found by Newton's method on t,
 * kept inside a bracket that bisection narrows whenever a step would leave
 * it, so it converges from any start. */
static double beta_half(size_t df)
{
    double b = df % 2 ? 3.14159265358979323846 : 2.0;
    for (size_t k = df % 2 ? 1 : 2; k + 2 <= df; k += 2)
        b *= (double)k / ((double)k + 1.0);
    return b;
}

/* Lentz's guard: a partial denominator that vanishes is nudged off zero. */
static double off_zero(double v)
{
    const double TINY = 1e-300;
    return v < TINY && v > -TINY ? TINY : v;
}

/* The j-th partial numerator of I_x(a, b)'s continued fraction
 * 1 / (1 + d_1 / (1 + d_2 / (1 + ...))): for j = 2m + 1,
 * d = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)); for j = 2m,
 * d = m (b - m) x / ((a + 2m - 1)(a + 2m)). */
static double beta_term(double a, double b, double x, int j)
{
    double m = j / 2;
    if (j % 2)
        return -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
    return m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
}

/* The continued fraction above, by Lentz's method: the value of the
 * fraction cut after j terms is kept as the product of the ratios
 * C_j D_j of successive cuts, until a ratio is 1 to the last bit. */
static double beta_fraction(double a, double b, double x)
{
    double f = 1, c = 1, d = 0;
    for (int j = 1; j <= 2000; j++) {
        double dj = beta_term(a, b, x, j);
        d = 1 / off_zero(1 + dj * d);
        c = off_zero(1 + dj / c);
        double ratio = c * d;
        f *= ratio;
        if (ratio - 1 < 1e-16 && ratio - 1 > -1e-16)
            break;
    }
    return 1 / f;
}

/* P(T > t) for t >= 0 with df degrees of freedom; bhalf = B(df/2, 1/2). */
static double t_upper(double t, double df, double bhalf)
{
    double a = df / 2, b = 0.5, x = df / (df + t * t), y = t * t / (df + t * t);
    if (y == 0)
        return 0.5;
    double front = detmath_exp(a * detmath_log(x) + b * detmath_log(y)) / bhalf;
    if (x < (a + 1) / (a + b + 2))
        return front * beta_fraction(a, b, x) / a / 2;
    return (1 - front * beta_fraction(b, a, y) / b) / 2;
}

/* The upper (1 + level) / 2 quantile: a two-sided interval. For df = 1
 * (two replications) the 95% quantile is 12.7, so two replications give a
 * wide but honest interval. */
static double t_quantile(double level, size_t df)
{
    assert(df >= 1 && level > 0 && level < 1);
    double tail = (1 - level) / 2, dn = (double)df, bhalf = beta_half(df);
    double lo = 0, hi = 1;
    while (t_upper(hi, dn, bhalf) > tail && hi < 1e300)
        hi *= 2;
    double t = hi / 2;
    for (int i = 0; i < 200; i++) {
        double g = t_upper(t, dn, bhalf) - tail;
        if (g > 0)
            lo = t; /* the quantile lies above t */
        else if (g < 0)
            hi = t;
        else
            return t;
        /* density at t: (1 + t^2/df)^(-(df+1)/2) / (sqrt(df) B(df/2, 1/2)) */
        double pdf = detmath_exp(-(dn + 1) / 2 * detmath_log1p(t * t / dn)) / (sqrt(dn) * bhalf);
        double next = t + g / pdf;
        if (!(next > lo && next < hi))
            next = lo + (hi - lo) / 2; /* Newton left the bracket: bisect */
        if (next == t || hi - lo <= 0x1p-52 * hi)
            return next;
        t = next;
    }
    return t;
}

/* A summary of replications asks for the same quantile for every cell of
 * a table (timeseries.csv: tens of thousands): the last one is kept. The
 * function is pure, so the bytes are those it would compute. */
double stats_t_quantile(double level, size_t df)
{
    static double last_level = NAN, last_t;
    static size_t last_df;
    if (level != last_level || df != last_df) {
        last_t = t_quantile(level, df);
        last_level = level;
        last_df = df;
    }
    return last_t;
}

/* The i-th value: x[i] alone, or the difference b[i] - x[i] of a pair. */
static double value_at(const double *x, const double *b, size_t i, size_t stride)
{
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
                      struct stats_summary *out)
{
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
                     struct stats_summary *out)
{
    summarize(x, NULL, n, stride, level, out);
}

/* The paired t interval: the differences' own mean and sd. With common
 * random numbers the noise two plans share cancels in each difference, so
 * this interval is much narrower than the two plans' intervals side by side. */
void stats_paired(const double *a, const double *b, size_t n, size_t stride, double level,
                  struct stats_summary *out)
{
    summarize(a, b, n, stride, level, out);
}

/* Significant at the summary's level when the interval excludes zero; an
 * interval that touches zero (lo == 0) is not. */
enum stats_direction stats_direction_of(const struct stats_summary *d)
{
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
int stats_precise(const struct stats_summary *s, double rel)
{
    if (!isfinite(s->half) || !isfinite(s->mean))
        return 0;
    return s->half <= rel * fabs(s->mean);
}
