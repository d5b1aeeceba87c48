/* detmath: the transcendental functions a draw or a figure needs (log,
 * log1p, exp, expm1), computed with IEEE-754 basic operations only (+, -,
 * *, /, and bit moves), so that they give the same bits on every machine.
 *
 * libm's versions differ between processors and library versions (glibc
 * picks an FMA variant of exp and log by processor; musl and macOS have
 * their own): a draw computed with them may round the other way on another
 * machine and change every output that follows. Basic operations are
 * correctly rounded everywhere, and the build turns off the contraction of
 * a * b + c into a fused multiply-add (-ffp-contract=off), so these
 * functions are the same function everywhere.
 *
 * Accuracy (tests/unit/test_detmath.c checks it against libm, which is
 * itself within about 0.5 ulp of the true value): each is within 1 ulp
 * of glibc's result over its whole domain, and most often the same bits;
 * special values follow C99 Annex F (log(0) = -inf, log(x < 0) = NaN,
 * exp(-inf) = 0, exp overflow = inf, NaN in, NaN out); subnormal
 * arguments and results are handled. The methods are the textbook ones
 * (reduce by multiples of ln 2, then a series on the reduced argument),
 * see detmath.c. */
#ifndef PILOTSIM_DETMATH_H
#define PILOTSIM_DETMATH_H

double detmath_log(double x);   /* natural logarithm */
double detmath_log1p(double x); /* log(1 + x), accurate for small x */
double detmath_exp(double x);   /* e^x */
double detmath_expm1(double x); /* e^x - 1, accurate for small x */
/* y[i] = detmath_exp(x[i]), the same bits, four at once (vectors where the
 * processor has them): for a hot loop with several independent draws. */
void detmath_exp4(const double x[4], double y[4]);
/* For the tests: detmath_exp4 without the processor's wider vectors. */
void detmath_exp4_portable(const double x[4], double y[4]);

#endif
