/* detmath.c: log, log1p, exp and expm1 from basic operations (detmath.h).
 *
 * Each reduces its argument by multiples of ln 2 (ln 2 split in a short
 * head and a tail, so that k times the head is exact), then sums a series
 * on the reduced argument: log the series of atanh, exp and expm1 Taylor's
 * to r^13/13!, whose coefficients are 1/n! themselves. detmath_log1p corrects
 * detmath_log(1 + x) by the rounding error of 1 + x, which an addition gives
 * exactly (Fast2Sum). Nothing here calls libm. */
#include "kernel/detmath.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* ln 2 = LN2_HI + LN2_LO: a head of 42 significant bits and the rest. */
static const double LN2_HI = 0x1.62e42fefa38p-1;
static const double LN2_LO = 0x1.ef35793c7673p-45;
static const double INV_LN2 = 0x1.71547652b82fep+0; /* 1 / ln 2 */

static uint64_t bits_of(double x)
{
    uint64_t b;
    memcpy(&b, &x, sizeof b);
    return b;
}

static double of_bits(uint64_t b)
{
    double x;
    memcpy(&x, &b, sizeof x);
    return x;
}

/* 2^e for a normal exponent, -1022 <= e <= 1023. */
static double pow2(int e)
{
    return of_bits((uint64_t)(e + 1023) << 52);
}

/* y 2^k for y in [1/2, 4) and -1100 < k < 1100, rounded once: a result
 * below the normal range is brought to within 53 binades of it exactly
 * first, so a subnormal result is rounded a single time. */
static double scale(double y, int k)
{
    if (k > 1023) {
        y *= 0x1p1023;
        k -= 1023;
    } else if (k < -1022) {
        y *= 0x1p-1022 * 0x1p53; /* exact: y stays normal */
        k += 1022 - 53;
        if (k < -1022)
            k = -1022; /* the result is 0 anyway */
    }
    return y * pow2(k);
}

/* log(x) = k ln2 + log(1+f), 1+f in [sqrt(1/2), sqrt(2)). With s = f/(2+f),
 * log(1+f) = 2 atanh(s) = f - f^2/2 + s (f^2/2 + R), R = 2 s^2 (1/3 + s^2/5
 * + ...); |s| < 0.172, so ten terms reach 1e-19, summed by Estrin's scheme
 * (shorter dependency chains than Horner's). The exact f comes first and
 * only small corrections are rounded. */
double detmath_log(double x)
{
    static const double SQRT2 = 1.41421356237309504880;
    int k = 0;
    if (!(x >= 0x1.0p-1022 && x <= 0x1.fffffffffffffp1023)) {
        if (x > 0 && x < 0x1.0p-1022) {
            x *= 0x1.0p54; /* subnormal: scale into the normal range */
            k = -54;
        } else {
            return x == 0 ? -HUGE_VAL : x > 0 ? x : (x - x) / (x - x); /* inf, NaN */
        }
    }
    uint64_t b = bits_of(x);
    k += (int)(b >> 52) - 1023;
    double m = of_bits((b & 0x000FFFFFFFFFFFFFull) | 0x3FF0000000000000ull); /* [1, 2) */
    if (m > SQRT2) {
        m *= 0.5;
        k++;
    }
    double f = m - 1.0, s = f / (2.0 + f), z = s * s, z2 = z * z, z4 = z2 * z2;
    double p = ((1.0 / 3 + z * (1.0 / 5)) + z2 * (1.0 / 7 + z * (1.0 / 9))) +
               z4 * ((1.0 / 11 + z * (1.0 / 13)) + z2 * (1.0 / 15 + z * (1.0 / 17))) +
               z4 * z4 * (1.0 / 19 + z * (1.0 / 21));
    double hfsq = 0.5 * f * f, r = 2.0 * z * p, dk = k;
    return dk * LN2_HI - ((hfsq - (s * (hfsq + r) + dk * LN2_LO)) - f);
}

/* log(1+x) = log(u) + log(1 + e/u), u = 1 + x rounded and e its rounding
 * error, exact by Fast2Sum (the larger of 1 and x first); e/u is below
 * 2^-52, so log(1 + e/u) = e/u to far below an ulp. Tiny x: x - x^2/2. */
double detmath_log1p(double x)
{
    if (!(x > -1.0)) {
        if (x == -1.0)
            return -HUGE_VAL;
        return (x - x) / (x - x); /* x < -1: NaN; NaN stays NaN */
    }
    if (x == HUGE_VAL)
        return x;
    double ax = x < 0 ? -x : x;
    if (ax < 0x1p-29)
        return ax < 0x1p-54 ? x : x - x * x * 0.5;
    double u = 1.0 + x;
    double e = ax <= 1.0 ? x - (u - 1.0) : 1.0 - (u - x);
    return detmath_log(u) + e / u;
}

/* x = k ln2 + r, |r| <= ln2/2 + a little, k the nearest integer to
 * x/ln2. ln2 is split in a head of 42 significant bits, so that k * LN2_HI
 * is exact for |k| < 2^11 and x - k * LN2_HI loses nothing, and a tail;
 * *c is what rounding r = head - k * LN2_LO lost. */
static double reduce(double x, int *k, double *c)
{
    *k = (int)(INV_LN2 * x + (x < 0 ? -0.5 : 0.5));
    double dk = *k, head = x - dk * LN2_HI, tail = dk * LN2_LO;
    double r = head - tail;
    *c = (head - r) - tail;
    return r;
}

/* e^r - 1 - r for |r| < ln 2: the Taylor series to r^17/17!, whose next
 * term is below 3e-19 of the result, summed by Horner's scheme from the
 * smallest term. The coefficients 1/n! are divisions the compiler rounds
 * once, the same everywhere. A macro, so that detmath_exp4's vectors (GCC's
 * vector extension: a scalar operand is broadcast) take the very same
 * operations in the same order as one double. */
#define EXPM1_TAIL(r)                                                               \
    ((r) * (r) *                                                                    \
     (0.5 +                                                                         \
      (r) *                                                                         \
          (1.0 / 6 +                                                                \
           (r) * (1.0 / 24 +                                                        \
                  (r) * (1.0 / 120 +                                                \
                         (r) * (1.0 / 720 +                                         \
                                (r) * (1.0 / 5040 +                                 \
                                       (r) * (1.0 / 40320 +                         \
                                              (r) * (1.0 / 362880 +                 \
                                                     (r) * (1.0 / 3628800 +         \
                                                            (r) * (1.0 / 39916800 + \
                                                                   (r)*EXPM1_TAIL_13(r))))))))))))
/* From 1/12! on (the macro above would not fit the line). */
#define EXPM1_TAIL_13(r)                        \
    (1.0 / 479001600 +                          \
     (r) * (1.0 / 6227020800 +                  \
            (r) * (1.0 / 87178291200 +          \
                   (r) * (1.0 / 1307674368000 + \
                          (r) * (1.0 / 20922789888000 + (r) * (1.0 / 355687428096000))))))

static double expm1_tail(double r)
{
    return EXPM1_TAIL(r);
}

/* e^(r + c) - 1 for |r| <= 0.35 and a tiny c: (r + tail) (1 + c) + c. */
static double expm1_reduced(double r, double c)
{
    double em = r + expm1_tail(r);
    return em + (c + c * em);
}

/* exp(x) = 2^k e^r. 1 + e^r - 1 is summed with its first rounding error
 * kept (Fast2Sum of 1 and r, |r| < 1), so y is rounded about once before
 * the exact (or, below the normal range, once rounded) scaling by 2^k. */
double detmath_exp(double x)
{
    if (x != x)
        return x + x;
    if (x > 710.0)
        return HUGE_VAL; /* above ln(DBL_MAX) = 709.78 */
    if (x < -746.0)
        return 0.0; /* below ln of the least subnormal / 2 */
    double ax = x < 0 ? -x : x;
    if (ax < 0x1p-54)
        return 1.0 + x;
    int k;
    double c, r = reduce(x, &k, &c);
    double s = 1.0 + r, lost = (1.0 - s) + r;
    double y = s + (lost + expm1_tail(r) + c * (1.0 + r));
    return k == 0 ? y : scale(y, k);
}

/* expm1(x) = 2^k (e^r - 1) + (2^k - 1). Below ln 2 the series alone,
 * with no 1 added and taken away. Above, k >= 1 and r >= 0 (to a rounding):
 * 1 - 2^-k is exact and the sum (1 - 2^-k) + (e^r - 1) >= 1/2 is rounded
 * once before the exact scaling; past 2^53, the 1 taken away is below the
 * last place. Below -ln 2, e^x - 1 is in [-1, -1/2], where detmath_exp's error
 * stays within an ulp of the difference. */
double detmath_expm1(double x)
{
    if (x != x)
        return x + x;
    if (x > 710.0)
        return HUGE_VAL;
    if (x < -746.0)
        return -1.0; /* e^x below half an ulp of 1 */
    double ax = x < 0 ? -x : x;
    if (ax < 0x1p-54)
        return x; /* +-0 and subnormals included */
    if (ax < 0x1.62e42fefa39efp-1)
        return x + expm1_tail(x); /* |x| < ln 2: no reduction */
    if (x < 0)
        return detmath_exp(x) - 1.0;
    int k;
    double c, r = reduce(x, &k, &c);
    double em = expm1_reduced(r, c);
    if (k <= 53)
        return scale((1.0 - pow2(-k)) + em, k);
    return scale(1.0 + em, k) - 1.0;
}

#if defined(__GNUC__)
/* Four at once, in vectors of GCC's extension (Clang has it too), where
 * every lane is rounded as a double is (IEEE-754 basic operations, no
 * contraction), so each result is detmath_exp's bits. Only the common
 * range takes the vectors: 2^-54 <= |x| <= 700 in every lane, where k =
 * round(x / ln 2) lies within +-1010, so that 2^k and y 2^k are normal and
 * scale(y, k) is the single exact product y * 2^k (y * 1 for k = 0);
 * anything else goes through detmath_exp one by one. */
typedef double exp_v4d __attribute__((vector_size(32)));
typedef long long exp_v4l __attribute__((vector_size(32)));
typedef int exp_v4i __attribute__((vector_size(16)));

static inline __attribute__((always_inline)) void exp4_body(const double x[4], double y[4])
{
    exp_v4d v;
    memcpy(&v, x, sizeof v);
    exp_v4l sign_bit = {INT64_MIN, INT64_MIN, INT64_MIN, INT64_MIN};
    exp_v4d ax = (exp_v4d)((exp_v4l)v & ~sign_bit);
    exp_v4l in = (ax >= 0x1p-54) & (ax <= 700.0); /* per lane -1 or 0; NaN: 0 */
    if ((in[0] & in[1] & in[2] & in[3]) == 0) {
        for (int i = 0; i < 4; i++)
            y[i] = detmath_exp(x[i]);
        return;
    }
    /* reduce(): +-0.5 with x's sign (x is not +-0 here) */
    exp_v4d half = (exp_v4d)(((exp_v4l)v & sign_bit) | (exp_v4l)(exp_v4d){0.5, 0.5, 0.5, 0.5});
    exp_v4i k = __builtin_convertvector(INV_LN2 * v + half, exp_v4i); /* truncated, as (int) */
    exp_v4d dk = __builtin_convertvector(k, exp_v4d), head = v - dk * LN2_HI, tail = dk * LN2_LO;
    exp_v4d r = head - tail, c = (head - r) - tail;
    /* detmath_exp's sum */
    exp_v4d s = 1.0 + r, lost = (1.0 - s) + r;
    exp_v4d e = s + (lost + EXPM1_TAIL(r) + c * (1.0 + r));
    exp_v4l p2 = (__builtin_convertvector(k, exp_v4l) + 1023) << 52; /* pow2(k) */
    e = e * (exp_v4d)p2;
    memcpy(y, &e, sizeof e);
}

#if defined(__x86_64__)
/* On x86 also built for AVX2 (one 256-bit vector instead of two of 128
 * bits), taken where the processor has it: the same operations either way
 * (tests/unit/test_detmath.c compares both with detmath_exp). */
__attribute__((target("avx2"))) static void exp4_avx2(const double x[4], double y[4])
{
    exp4_body(x, y);
}
#endif

void detmath_exp4_portable(const double x[4], double y[4])
{
    exp4_body(x, y);
}

void detmath_exp4(const double x[4], double y[4])
{
#if defined(__x86_64__)
    if (__builtin_cpu_supports("avx2")) {
        exp4_avx2(x, y);
        return;
    }
#endif
    exp4_body(x, y);
}
#else
void detmath_exp4_portable(const double x[4], double y[4])
{
    for (int i = 0; i < 4; i++)
        y[i] = detmath_exp(x[i]);
}

void detmath_exp4(const double x[4], double y[4])
{
    detmath_exp4_portable(x, y);
}
#endif
