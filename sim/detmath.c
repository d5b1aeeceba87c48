/* detmath.c: log, log1p, exp and expm1 from basic operations (detmath.h).
 *
 * det_exp and det_expm1 are fdlibm's e_exp.c and s_expm1.c (Sun
 * Microsystems, 1993: "Permission to use, copy, modify, and distribute
 * this software is freely granted, provided that this notice is
 * preserved"), rewritten with memcpy for the bit moves: x = k ln2 + r with
 * |r| <= ln2/2 (ln2 split in two so that k * LN2_HI is exact), then a
 * rational function of r whose coefficients come from a Remez fit, error
 * under 1 ulp. det_log is the same reduction with the series of atanh, and
 * det_log1p corrects det_log(1 + x) by the rounding error of 1 + x, which
 * an addition gives exactly (Fast2Sum). Nothing here calls libm. */
#include "detmath.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

static const double LN2_HI = 6.93147180369123816490e-01;   /* 0x3fe62e42 fee00000 */
static const double LN2_LO = 1.90821492927058770002e-10;   /* 0x3dea39ef 35793c76 */
static const double INV_LN2 = 1.44269504088896338700e+00;

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

/* The high 32 bits with the sign cleared: fdlibm's range tests. */
static uint32_t high_abs(double x)
{
    return (uint32_t)(bits_of(x) >> 32) & 0x7fffffffu;
}

/* 2^e for a normal exponent, -1022 <= e <= 1023. */
static double pow2(int e)
{
    return of_bits((uint64_t)(e + 1023) << 52);
}

/* y 2^k for y in [1/2, 4) and -1100 < k < 1100, rounded once: a result
 * below the normal range is brought to within 53 binades of it exactly
 * first (as musl's scalbn), so a subnormal result is rounded a single time. */
static double scale(double y, int k)
{
    if (k > 1023) {
        y *= 0x1p1023;
        k -= 1023;
    } else if (k < -1022) {
        y *= 0x1p-1022 * 0x1p53;   /* exact: y stays normal */
        k += 1022 - 53;
        if (k < -1022)
            k = -1022;             /* the result is 0 anyway */
    }
    return y * pow2(k);
}

/* log(x) = k ln2 + log(1+f), 1+f in [sqrt(1/2), sqrt(2)). With s = f/(2+f),
 * log(1+f) = 2 atanh(s) = f - f^2/2 + s (f^2/2 + R), R = 2 s^2 (1/3 + s^2/5
 * + ...); |s| < 0.172, so ten terms reach 1e-19, summed by Estrin's scheme
 * (shorter dependency chains than Horner's). The exact f comes first and
 * only small corrections are rounded. */
double det_log(double x)
{
    static const double SQRT2 = 1.41421356237309504880;
    int k = 0;
    if (!(x >= 0x1.0p-1022 && x <= 0x1.fffffffffffffp1023)) {
        if (x > 0 && x < 0x1.0p-1022) {
            x *= 0x1.0p54;            /* subnormal: scale into the normal range */
            k = -54;
        } else {
            return x == 0 ? -HUGE_VAL : x > 0 ? x : (x - x) / (x - x);   /* inf, NaN */
        }
    }
    uint64_t b = bits_of(x);
    k += (int)(b >> 52) - 1023;
    double m = of_bits((b & 0x000FFFFFFFFFFFFFull) | 0x3FF0000000000000ull);   /* [1, 2) */
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
double det_log1p(double x)
{
    if (!(x > -1.0)) {
        if (x == -1.0)
            return -HUGE_VAL;
        return (x - x) / (x - x);      /* x < -1: NaN; NaN stays NaN */
    }
    if (x == HUGE_VAL)
        return x;
    double ax = x < 0 ? -x : x;
    if (ax < 0x1p-29)
        return ax < 0x1p-54 ? x : x - x * x * 0.5;
    double u = 1.0 + x;
    double e = ax <= 1.0 ? x - (u - 1.0) : 1.0 - (u - x);
    return det_log(u) + e / u;
}

/* exp(x) = 2^k exp(r), x = k ln2 + r, |r| <= ln2/2 (r = hi - lo as two
 * doubles). exp(r) = 1 + r + r c / (2 - c), c = r - r^2 (P1 + r^2 P2 + ...),
 * the Remez fit of r (e^r + 1)/(e^r - 1) - 2 on [0, 0.347] (error 2^-59). */
double det_exp(double x)
{
    static const double O_THRESHOLD = 7.09782712893383973096e+02;
    static const double U_THRESHOLD = -7.45133219101941108420e+02;
    static const double P1 = 1.66666666666666019037e-01;
    static const double P2 = -2.77777777770155933842e-03;
    static const double P3 = 6.61375632143793436117e-05;
    static const double P4 = -1.65339022054652515390e-06;
    static const double P5 = 4.13813679705723846039e-08;
    if (x != x)
        return x + x;
    if (x > O_THRESHOLD)
        return HUGE_VAL;
    if (x < U_THRESHOLD)
        return 0.0;
    uint32_t hx = high_abs(x);
    double hi = 0, lo = 0;
    int k = 0;
    if (hx > 0x3fd62e42u) {                 /* |x| > ln2/2 */
        if (hx < 0x3ff0a2b2u)               /* and < 3 ln2/2: k = +-1 */
            k = x < 0 ? -1 : 1;
        else
            k = (int)(INV_LN2 * x + (x < 0 ? -0.5 : 0.5));
        double dk = k;
        hi = x - dk * LN2_HI;               /* exact */
        lo = dk * LN2_LO;
        x = hi - lo;
    } else if (hx < 0x3e300000u) {          /* |x| < 2^-28: 1 + x rounds right */
        return 1.0 + x;
    }
    double t = x * x;
    double c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
    if (k == 0)
        return 1.0 - ((x * c) / (c - 2.0) - x);
    double y = 1.0 - ((lo - (x * c) / (2.0 - c)) - hi);
    return scale(y, k);
}

/* expm1(x) = 2^k (exp(r) - 1) + (2^k - 1), x = k ln2 + r: the rational
 * form of fdlibm's s_expm1.c, with the reduction's rounding error c
 * carried, and the two terms added in an order that keeps 1 ulp for each
 * range of k. */
double det_expm1(double x)
{
    static const double O_THRESHOLD = 7.09782712893383973096e+02;
    static const double Q1 = -3.33333333333331316428e-02;
    static const double Q2 = 1.58730158725481460165e-03;
    static const double Q3 = -7.93650757867487942473e-05;
    static const double Q4 = 4.00821782732936239552e-06;
    static const double Q5 = -2.01099218183624371326e-07;
    if (x != x)
        return x + x;
    uint32_t hx = high_abs(x);
    int neg = x < 0;
    if (hx >= 0x4043687au) {                /* |x| >= 56 ln2 */
        if (neg)
            return -1.0;                    /* -inf included */
        if (x > O_THRESHOLD)
            return HUGE_VAL;                /* +inf included */
    }
    double hi, lo, c = 0;
    int k = 0;
    if (hx > 0x3fd62e42u) {                 /* |x| > ln2/2 */
        if (hx < 0x3ff0a2b2u)
            k = neg ? -1 : 1;
        else
            k = (int)(INV_LN2 * x + (neg ? -0.5 : 0.5));
        double dk = k;
        hi = x - dk * LN2_HI;               /* exact */
        lo = dk * LN2_LO;
        x = hi - lo;
        c = (hi - x) - lo;                  /* what x = hi - lo lost */
    } else if (hx < 0x3c900000u) {          /* |x| < 2^-54 */
        return x;
    }
    double hfx = 0.5 * x, hxs = x * hfx;
    double r1 = 1.0 + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
    double t = 3.0 - r1 * hfx;
    double e = hxs * ((r1 - t) / (6.0 - x * t));
    if (k == 0)
        return x - (x * e - hxs);
    e = x * (e - c) - c;
    e -= hxs;
    if (k == -1)
        return 0.5 * (x - e) - 0.5;
    if (k == 1)
        return x < -0.25 ? -2.0 * (e - (x + 0.5)) : 1.0 + 2.0 * (x - e);
    double y;
    if (k <= -2 || k > 56) {                /* 2^k - 1 is -1 or 2^k to the last bit */
        y = 1.0 - (e - x);
        return scale(y, k) - 1.0;
    }
    if (k < 20) {
        y = (1.0 - pow2(-k)) - (e - x);     /* 1 - 2^-k is exact */
        return scale(y, k);
    }
    y = x - (e + pow2(-k));
    y += 1.0;
    return scale(y, k);
}
