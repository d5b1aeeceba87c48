/* test.h: a tiny TAP producer for the unit tests, run by `prove`.
 * check(cond, ...) prints "ok N - message" or "not ok N - message" with the
 * failing file:line; test_done() prints the plan and returns the exit status. */
#ifndef PILOTSIM_TEST_H
#define PILOTSIM_TEST_H

#include <stdio.h>

static int test_count, test_failed;

#define check(cond, ...) do {                                              \
    int ok_ = !!(cond);                                                    \
    printf("%sok %d - ", ok_ ? "" : "not ", ++test_count);                 \
    printf(__VA_ARGS__);                                                   \
    printf("\n");                                                          \
    if (!ok_) {                                                            \
        test_failed++;                                                     \
        printf("#   failed at %s:%d: %s\n", __FILE__, __LINE__, #cond);    \
    }                                                                      \
} while (0)

/* Compare doubles within an absolute tolerance, printing both on failure. */
#define check_near(got, want, tol, ...) do {                               \
    double g_ = (got), w_ = (want), t_ = (tol);                            \
    check(g_ - w_ <= t_ && w_ - g_ <= t_, __VA_ARGS__);                    \
    if (!(g_ - w_ <= t_ && w_ - g_ <= t_))                                 \
        printf("#   got %.10g, want %.10g +- %.3g\n", g_, w_, t_);         \
} while (0)

static inline int test_done(void) {
    printf("1..%d\n", test_count);
    return test_failed ? 1 : 0;
}

#endif
