/* test.h: a tiny TAP producer for the unit tests, run by `prove`.
 * A test declares its plan first: test_plan(N) prints "1..N" before any
 * check, so a test that stops early (a crash, a return) ran fewer checks
 * than it promised and fails. check(cond, ...) prints "ok N - message" or
 * "not ok N - message" with the failing file:line; test_done() returns the
 * exit status, and fails when no plan was declared or the number of checks
 * run differs from it. Checks in loops count exactly: derive N from the
 * tables and bounds the loops run over, never "at least". */
#ifndef PILOTSIM_TEST_H
#define PILOTSIM_TEST_H

#include <stdio.h>
#include <stdlib.h>

static int test_count, test_failed, test_planned = -1;

#define check(cond, ...)                                                    \
    do {                                                                    \
        int ok_ = !!(cond);                                                 \
        printf("%sok %d - ", ok_ ? "" : "not ", ++test_count);              \
        printf(__VA_ARGS__);                                                \
        printf("\n");                                                       \
        if (!ok_) {                                                         \
            test_failed++;                                                  \
            printf("#   failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                   \
    } while (0)

/* Compare doubles within an absolute tolerance, printing both on failure. */
#define check_near(got, want, tol, ...)                                \
    do {                                                               \
        double g_ = (got), w_ = (want), t_ = (tol);                    \
        check(g_ - w_ <= t_ && w_ - g_ <= t_, __VA_ARGS__);            \
        if (!(g_ - w_ <= t_ && w_ - g_ <= t_))                         \
            printf("#   got %.10g, want %.10g +- %.3g\n", g_, w_, t_); \
    } while (0)

/* A row of the validation report (make validate, docs/validation.md): when
 * the environment variable PILOTSIM_VALIDATION names a file, a check of a
 * measured value against a closed form also appends to it one
 * tab-separated line: block, what, closed form, measured, gap (measured -
 * closed form), tolerance, "yes" or "no" (|gap| <= tolerance, the check's
 * own verdict). Without the variable it writes nothing, so `make test` is
 * unchanged; tests/validation/report.sh reads the rows. */
static inline void test_row(const char *block, const char *what, double closed, double got,
                            double tol)
{
    const char *path = getenv("PILOTSIM_VALIDATION");
    if (!path || !*path)
        return;
    FILE *f = fopen(path, "a");
    if (!f) {
        printf("Bail out! cannot append a validation row to %s\n", path);
        test_failed++;
        return;
    }
    double gap = got - closed;
    fprintf(f, "%s\t%s\t%.6g\t%.6g\t%.3g\t%.3g\t%s\n", block, what, closed, got, gap, tol,
            gap <= tol && -gap <= tol ? "yes" : "no");
    if (fclose(f) != 0) {
        printf("Bail out! cannot write %s\n", path);
        test_failed++;
    }
}

/* check_near that is also a row of the validation report (test_row). */
#define check_row(block, what, got, want, tol, ...)       \
    do {                                                  \
        double r_g_ = (got), r_w_ = (want), r_t_ = (tol); \
        test_row(block, what, r_w_, r_g_, r_t_);          \
        check_near(r_g_, r_w_, r_t_, __VA_ARGS__);        \
    } while (0)

/* The number of elements of an array, for plans of checks run over a table. */
#define test_len(a) (sizeof(a) / sizeof(a)[0])

/* Declare how many checks the test runs; call it once, before any check. */
static inline void test_plan(int n)
{
    if (test_planned >= 0 || test_count > 0) {
        printf("Bail out! test_plan() called twice or after a check\n");
        test_failed++;
        return;
    }
    test_planned = n;
    printf("1..%d\n", n);
}

static inline int test_done(void)
{
    if (test_planned < 0) {
        printf("1..%d\n# no test_plan() before the checks\n", test_count);
        return 1;
    }
    if (test_count != test_planned) {
        printf("# planned %d checks, ran %d\n", test_planned, test_count);
        return 1;
    }
    return test_failed ? 1 : 0;
}

#endif
