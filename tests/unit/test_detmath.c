/* detmath against libm: the largest difference in units in the last place
 * over wide ranges of arguments (random bit patterns over every binade, and
 * the regions where each function is delicate: near 1 for log, near 0 for
 * log1p and expm1, the subnormal results of exp), and the special values
 * (0, subnormals, infinities, NaN, the overflow and underflow thresholds).
 * libm is the reference, within about half an ulp of the true value on
 * glibc: the bounds below are detmath.h's promises. The share of
 * arguments where the bits differ at all is printed: it is why libm's
 * functions could not be used for draws (another libm differs elsewhere). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "kernel/detmath.h"
#include "test.h"

#define N 2000000

static uint64_t lcg = 88172645463325252ull;

static uint64_t next64(void)
{
    lcg = lcg * 6364136223846793005ull + 1442695040888963407ull;
    uint64_t z = lcg;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A uniform double in [lo, hi). */
static double uniform(double lo, double hi)
{
    return lo + (hi - lo) * ((double)(next64() >> 11) * 0x1.0p-53);
}

/* A double with a random mantissa and a binary exponent in [e0, e1]. */
static double binade(int e0, int e1)
{
    double m = 1.0 + (double)(next64() >> 12) * 0x1.0p-52;
    return ldexp(m, e0 + (int)(next64() % (uint64_t)(e1 - e0 + 1)));
}

/* |got - want| in ulps of want (the subnormal ulp below the normal range). */
static double ulps(double got, double want)
{
    if (got == want || (isnan(got) && isnan(want)))
        return 0;
    if (isinf(want) || isinf(got) || isnan(got) || isnan(want))
        return INFINITY;
    double a = fabs(want);
    double ulp = nextafter(a, INFINITY) - a;
    return fabs(got - want) / ulp;
}

struct worst {
    double ulps, x; /* the largest difference and where */
    long n, differ; /* arguments tried, and how many gave other bits */
};

static void track(struct worst *w, double got, double want, double x)
{
    double u = ulps(got, want);
    w->n++;
    w->differ += u > 0;
    if (u > w->ulps) {
        w->ulps = u;
        w->x = x;
    }
}

static int same(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* Random positive doubles: every bit pattern of the normal and subnormal
 * range equally likely, so every binade is tried. */
static double any_positive(void)
{
    uint64_t b;
    do
        b = next64() >> 1;
    while (b == 0 || b >= 0x7ff0000000000000ull);
    double x;
    memcpy(&x, &b, sizeof x);
    return x;
}

static void report(const char *name, const char *range, struct worst w, double bound)
{
    check(w.ulps <= bound, "%s, %s: within %.0f ulp of libm (worst %.3f at %a; %.3f%% differ)",
          name, range, bound, w.ulps, w.x, 100.0 * (double)w.differ / (double)w.n);
}

static void test_log(void)
{
    struct worst all = {0, 0, 0, 0}, near1 = {0, 0, 0, 0}, unit = {0, 0, 0, 0};
    for (int i = 0; i < N; i++) {
        double x = any_positive();
        track(&all, detmath_log(x), log(x), x);
        x = 1.0 + uniform(-0.3, 0.42);
        track(&near1, detmath_log(x), log(x), x);
        x = uniform(0, 1);
        track(&unit, detmath_log(x), log(x), x);
    }
    report("detmath_log", "every positive binade", all, 1);
    report("detmath_log", "0.7 .. 1.42", near1, 1);
    report("detmath_log", "(0, 1)", unit, 1);
    check(detmath_log(1.0) == 0.0 && same(detmath_log(2.0), log(2.0)) &&
              same(detmath_log(0.5), log(0.5)),
          "detmath_log: log 1 = 0, log 2 and log 1/2 as libm");
    check(detmath_log(0.0) == -INFINITY && detmath_log(-0.0) == -INFINITY,
          "detmath_log(+-0) = -inf");
    check(isnan(detmath_log(-1.0)) && isnan(detmath_log(-INFINITY)) && isnan(detmath_log(NAN)),
          "detmath_log of a negative or NaN is NaN");
    check(detmath_log(INFINITY) == INFINITY, "detmath_log(inf) = inf");
    check(same(detmath_log(0x1p-1074), log(0x1p-1074)) &&
              same(detmath_log(0x1p-1060), log(0x1p-1060)),
          "detmath_log of subnormals as libm");
    check(same(detmath_log(0x1.fffffffffffffp1023), log(0x1.fffffffffffffp1023)),
          "detmath_log of the largest double as libm");
}

static void test_log1p(void)
{
    struct worst all = {0, 0, 0, 0}, small = {0, 0, 0, 0}, neg = {0, 0, 0, 0};
    for (int i = 0; i < N; i++) {
        double x = any_positive();
        track(&all, detmath_log1p(x), log1p(x), x);
        x = binade(-60, -1) * (next64() & 1 ? 1 : -1);
        track(&small, detmath_log1p(x), log1p(x), x);
        x = -uniform(0, 1);
        track(&neg, detmath_log1p(x), log1p(x), x);
    }
    report("detmath_log1p", "every positive binade", all, 1);
    report("detmath_log1p", "+-2^-60 .. +-1/2", small, 1);
    report("detmath_log1p", "(-1, 0]", neg, 1);
    check(same(detmath_log1p(0.0), 0.0) && same(detmath_log1p(-0.0), -0.0),
          "detmath_log1p(+-0) = +-0");
    check(same(detmath_log1p(0x1p-1074), 0x1p-1074) && same(detmath_log1p(-0x1p-1030), -0x1p-1030),
          "detmath_log1p of a subnormal is itself");
    check(detmath_log1p(-1.0) == -INFINITY && isnan(detmath_log1p(-1.5)) &&
              isnan(detmath_log1p(NAN)) && isnan(detmath_log1p(-INFINITY)) &&
              detmath_log1p(INFINITY) == INFINITY,
          "detmath_log1p: -1 -> -inf, below -1 and NaN -> NaN, inf -> inf");
}

static void test_exp(void)
{
    struct worst all = {0, 0, 0, 0}, small = {0, 0, 0, 0}, sub = {0, 0, 0, 0};
    for (int i = 0; i < N; i++) {
        double x = uniform(-745.2, 709.8);
        track(&all, detmath_exp(x), exp(x), x);
        x = binade(-60, 0) * (next64() & 1 ? 1 : -1);
        track(&small, detmath_exp(x), exp(x), x);
        x = uniform(-745.2, -708.3);
        track(&sub, detmath_exp(x), exp(x), x);
    }
    report("detmath_exp", "-745 .. 709.8", all, 1);
    report("detmath_exp", "+-2^-60 .. +-1", small, 1);
    report("detmath_exp", "subnormal results", sub, 1);
    check(detmath_exp(0.0) == 1.0 && detmath_exp(-0.0) == 1.0 &&
              ulps(detmath_exp(1.0), exp(1.0)) <= 1,
          "detmath_exp: e^0 = 1, e^1 within 1 ulp");
    check(detmath_exp(INFINITY) == INFINITY && same(detmath_exp(-INFINITY), 0.0) &&
              isnan(detmath_exp(NAN)),
          "detmath_exp: inf, -inf, NaN");
    check(detmath_exp(709.79) == INFINITY && detmath_exp(1e300) == INFINITY,
          "detmath_exp overflows to inf");
    check(same(detmath_exp(-745.14), 0.0) && same(detmath_exp(-1e300), 0.0),
          "detmath_exp underflows to 0");
    check(same(detmath_exp(7.09782712893383973096e+02), exp(7.09782712893383973096e+02)) &&
              same(detmath_exp(-745.13), exp(-745.13)) && same(detmath_exp(0x1p-1074), 1.0),
          "detmath_exp at the thresholds and of a subnormal as libm");
}

/* detmath_exp4 (with AVX2 where the processor has it) and its portable
 * build give detmath_exp's bits lane by lane: in the range its
 * vectors take (2^-54 .. 700 either sign, every k of the reduction) and
 * out of it (a lane of specials, tiny, huge or subnormal results sends all
 * four one by one), mixed in every lane position. */
static void test_exp4(void)
{
    long differ = 0, n = 0;
    static const double odd[] = {NAN,     INFINITY, -INFINITY, 0.0,    -0.0,  0x1p-60,
                                 0x1p-54, -0x1p-54, 700.0,     -700.0, 700.5, -700.5,
                                 709.79,  -745.13,  1e300,     -1e300};
    for (int i = 0; i < N; i++) {
        double x[4], y[4];
        for (int j = 0; j < 4; j++) {
            switch (next64() % 4) {
            case 0:
                x[j] = uniform(-3, 3); /* a draw's exponent: the hot case */
                break;
            case 1:
                x[j] = uniform(-700, 700);
                break;
            case 2:
                x[j] = binade(-56, 9) * (next64() & 1 ? 1 : -1);
                break;
            default:
                x[j] =
                    next64() % 64 ? uniform(-30, 30) : odd[next64() % (sizeof odd / sizeof odd[0])];
            }
        }
        double z[4];
        detmath_exp4(x, y);
        detmath_exp4_portable(x, z);
        for (int j = 0; j < 4; j++, n++)
            differ += !same(y[j], detmath_exp(x[j])) || !same(z[j], detmath_exp(x[j]));
    }
    check(differ == 0,
          "detmath_exp4 and its portable build: detmath_exp's bits in every lane "
          "(%ld of %ld differ)",
          differ, n);
}

static void test_expm1(void)
{
    struct worst all = {0, 0, 0, 0}, small = {0, 0, 0, 0}, mid = {0, 0, 0, 0};
    for (int i = 0; i < N; i++) {
        double x = uniform(-50, 709.78);
        track(&all, detmath_expm1(x), expm1(x), x);
        x = binade(-60, -1) * (next64() & 1 ? 1 : -1);
        track(&small, detmath_expm1(x), expm1(x), x);
        x = uniform(-40, 40);
        track(&mid, detmath_expm1(x), expm1(x), x);
    }
    report("detmath_expm1", "-50 .. 709.78", all, 1);
    report("detmath_expm1", "+-2^-60 .. +-1/2", small, 1);
    report("detmath_expm1", "-40 .. 40 (every k of the reduction)", mid, 1);
    check(same(detmath_expm1(0.0), 0.0) && same(detmath_expm1(-0.0), -0.0) &&
              same(detmath_expm1(0x1p-1074), 0x1p-1074),
          "detmath_expm1(+-0) = +-0, of a subnormal itself");
    check(detmath_expm1(INFINITY) == INFINITY && detmath_expm1(-INFINITY) == -1.0 &&
              isnan(detmath_expm1(NAN)),
          "detmath_expm1: inf, -inf -> -1, NaN");
    check(detmath_expm1(709.79) == INFINITY && detmath_expm1(-1e300) == -1.0 &&
              detmath_expm1(-40) == expm1(-40),
          "detmath_expm1: overflow to inf, large negative to -1");
}

int main(void)
{
    test_plan(30);
    test_log();
    test_log1p();
    test_exp();
    test_exp4();
    test_expm1();
    return test_done();
}
