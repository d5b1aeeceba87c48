/* compare_format: numbers as a memo prints them (compare_format.h). */
#include "experiment/compare_format.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The unit from the metric's name: the naming is regular (adoption and
 * _share are shares, _fen money, latency_ms, tps_ rates), so no table to
 * keep in step. */
enum compare_format_unit compare_format_unit_of(const char *metric)
{
    size_t n = strlen(metric);
    if ((n >= 8 && strcmp(metric + n - 8, "adoption") == 0) ||
        (n >= 6 && strcmp(metric + n - 6, "_share") == 0))
        return COMPARE_FORMAT_SHARE;
    if (n >= 4 && strcmp(metric + n - 4, "_fen") == 0)
        return COMPARE_FORMAT_FEN;
    if (strstr(metric, "latency_ms"))
        return COMPARE_FORMAT_MS;
    if (strstr(metric, ".tps_"))
        return COMPARE_FORMAT_RATE;
    return COMPARE_FORMAT_COUNT;
}

/* How a group of numbers prints: divided by div, `decimals` places, then
 * the suffix (" M yuan"); shares in percent, differences of shares in
 * percentage points. One scale for a mean and its bounds, so they read
 * alike. */
struct scale {
    double div;
    int decimals;
    char suffix[16];
};

static struct scale scale_of(enum compare_format_unit u, double big, int difference)
{
    struct scale s = {1, 0, ""};
    if (u == COMPARE_FORMAT_SHARE) {
        s.div = 0.01, s.decimals = 2;
        strcpy(s.suffix, difference ? " pp" : "%");
        return s;
    }
    if (u == COMPARE_FORMAT_MS) {
        s.decimals = 1;
        strcpy(s.suffix, " ms");
        return s;
    }
    double a = fabs(u == COMPARE_FORMAT_FEN ? big / 100 : big);
    const char *mag = "";
    s.div = u == COMPARE_FORMAT_FEN ? 100 : 1;
    if (a >= 1e9 && u != COMPARE_FORMAT_RATE)
        s.div *= 1e9, mag = " bn";
    else if (a >= 1e6 && u != COMPARE_FORMAT_RATE)
        s.div *= 1e6, mag = " M";
    else if (a >= 1e4 && u != COMPARE_FORMAT_RATE)
        s.div *= 1e3, mag = " k";
    double scaled = fabs(big) / s.div;
    s.decimals = scaled >= 100 || (u == COMPARE_FORMAT_COUNT && !*mag) ? 0 : scaled >= 10 ? 1 : 2;
    snprintf(s.suffix, sizeof s.suffix, "%s%s", mag,
             u == COMPARE_FORMAT_FEN    ? (*mag ? " yuan" : " yuan")
             : u == COMPARE_FORMAT_RATE ? " /s"
                                        : "");
    return s;
}

/* One number at a scale: rounded first, so a value that rounds to zero
 * prints "0.00", never "-0.00"; a sign only on a difference above zero. */
static int put(char *buf, size_t n, double v, const struct scale *s, int sign)
{
    if (!isfinite(v))
        return snprintf(buf, n, "n/a");
    double p = pow(10, s->decimals), r = round(v / s->div * p) / p;
    if (r == 0)
        r = 0; /* -0 */
    return snprintf(buf, n, sign && r > 0 ? "+%.*f" : "%.*f", s->decimals, r);
}

/* A value with its unit: "7.28%", "+0.74 pp", "31.2 M", "62.0 M yuan". */
void compare_format_value(char *buf, size_t n, double v, enum compare_format_unit u, int difference)
{
    struct scale s = scale_of(u, v, difference);
    int k = put(buf, n, v, &s, difference);
    if (k >= 0 && (size_t)k < n && isfinite(v))
        snprintf(buf + k, n - (size_t)k, "%s", s.suffix);
}

/* A mean and its interval at one scale: "+0.74 pp [+0.72, +0.77]". */
void compare_format_interval(char *buf, size_t n, double m, double lo, double hi,
                             enum compare_format_unit u, int difference)
{
    double big = fmax(fabs(m), fmax(isfinite(lo) ? fabs(lo) : 0, isfinite(hi) ? fabs(hi) : 0));
    struct scale s = scale_of(u, isfinite(big) ? big : m, difference);
    char a[32], b[32], c[32];
    put(a, sizeof a, m, &s, difference);
    put(b, sizeof b, lo, &s, difference);
    put(c, sizeof c, hi, &s, difference);
    char all[160];
    if (isfinite(lo) && isfinite(hi))
        snprintf(all, sizeof all, "%s%s [%s, %s]", a, isfinite(m) ? s.suffix : "", b, c);
    else
        snprintf(all, sizeof all, "%s%s", a, isfinite(m) ? s.suffix : "");
    size_t k = strlen(all) < n ? strlen(all) : n - 1; /* n > 0 */
    memcpy(buf, all, k);
    buf[k] = '\0';
}
