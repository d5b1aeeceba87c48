/* compare_format: numbers as a memo prints them. Shares in percent (a
 * difference of shares in percentage points), money in yuan with k, M or
 * bn, counts with k, M or bn, latency in ms, rates per second; a mean and
 * its interval at one scale ("+22.8 M [+22.6, +23.0]"), so they read
 * alike. A value is rounded before its sign is chosen: nothing prints as
 * "-0.00". An undefined value prints "n/a". Writes into the caller's
 * buffer, cut to its size. */
#ifndef PILOTSIM_COMPARE_FORMAT_H
#define PILOTSIM_COMPARE_FORMAT_H

#include <stddef.h>

enum compare_format_unit {
    COMPARE_FORMAT_SHARE, /* 0-1, printed in % (differences in pp) */
    COMPARE_FORMAT_FEN,   /* money, printed in yuan */
    COMPARE_FORMAT_MS,    /* latency */
    COMPARE_FORMAT_RATE,  /* per second */
    COMPARE_FORMAT_COUNT
};

/* The unit of a metric from its name (compare.csv's, summary.json's). */
enum compare_format_unit compare_format_unit_of(const char *metric);

/* v with its unit: "7.28%", "+0.74 pp", "31.2 M", "62.0 M yuan"; a sign
 * only when `difference` and v rounds above zero. */
void compare_format_value(char *buf, size_t n, double v, enum compare_format_unit u,
                          int difference);
/* "mean [lo, hi]" at the scale of the largest; without bounds, the mean. */
void compare_format_interval(char *buf, size_t n, double m, double lo, double hi,
                             enum compare_format_unit u, int difference);

#endif
