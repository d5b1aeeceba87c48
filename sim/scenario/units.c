/* units.c: exact parsing and printing of scenario values (see units.h).
 *
 * Every decimal goes through `struct decimal`: the digits as written and a
 * power of ten. A unit or a percent sign changes the digits or the power
 * exactly (multiplying the digit string by 60, 3600 or 86400, or shifting the
 * exponent), and one strtod, which glibc rounds correctly, makes the double.
 * Money never becomes a double: the digits are accumulated in int64 fen with
 * overflow checks. */
#include "scenario/units.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct decimal {
    int neg;
    char dig[UNITS_MAX_TEXT + 12]; /* significant digits, room for a x31536000 carry */
    int nd;                        /* number of digits in dig (>= 1) */
    long exp;                      /* value = dig * 10^exp */
};

#define EXP_CLAMP 100000L /* beyond this strtod over/underflows anyway */

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Parse a YAML 1.2 decimal: [-+]? (.digits | digits(.digits?)?) ([eE][-+]?digits)?.
 * Stops at the first character that cannot continue the number and stores
 * it in *end; the caller decides what may follow (a unit, '%', nothing). */
static int decimal_parse(const char *s, struct decimal *d, const char **end, int allow_exp,
                         const char **why)
{
    const char *p = s;
    int frac = 0, seen = 0;

    if (strlen(s) > UNITS_MAX_TEXT) {
        *why = "too long";
        return -1;
    }
    d->neg = 0;
    d->nd = 0;
    d->exp = 0;
    if (*p == '-' || *p == '+')
        d->neg = *p++ == '-';
    for (; is_digit(*p) || (*p == '.' && !frac); p++) {
        if (*p == '.') {
            frac = 1;
            continue;
        }
        seen = 1;
        if (d->nd == 1 && d->dig[0] == '0')
            d->nd = 0; /* drop leading zeros */
        d->dig[d->nd++] = *p;
        if (frac)
            d->exp--;
    }
    if (!seen) {
        const char *w = s + (*s == '-' || *s == '+');
        *why = (!strcmp(w, ".inf") || !strcmp(w, ".Inf") || !strcmp(w, ".INF") ||
                !strcmp(w, ".nan") || !strcmp(w, ".NaN") || !strcmp(w, ".NAN") ||
                !strcmp(w, "inf") || !strcmp(w, "nan") || !strcmp(w, "infinity"))
                   ? "not finite"
                   : "not a number";
        return -1;
    }
    if (allow_exp && (*p == 'e' || *p == 'E')) {
        const char *q = p + 1;
        int eneg = 0;
        long e = 0;
        if (*q == '-' || *q == '+')
            eneg = *q++ == '-';
        if (is_digit(*q)) { /* otherwise the 'e' is not ours */
            for (; is_digit(*q); q++)
                if (e < EXP_CLAMP)
                    e = e * 10 + (*q - '0');
            d->exp += eneg ? -e : e;
            p = q;
        }
    }
    d->dig[d->nd] = '\0';
    *end = p;
    return 0;
}

/* Multiply the digit string by a small factor, exactly. */
static void decimal_mul(struct decimal *d, unsigned factor)
{
    char out[sizeof d->dig];
    unsigned long carry = 0;
    int i, n = 0;

    for (i = d->nd - 1; i >= 0; i--) {
        carry += (unsigned long)(d->dig[i] - '0') * factor;
        out[n++] = (char)('0' + carry % 10);
        carry /= 10;
    }
    for (; carry; carry /= 10)
        out[n++] = (char)('0' + carry % 10);
    while (n > 1 && out[n - 1] == '0')
        n--;
    for (i = 0; i < n; i++)
        d->dig[i] = out[n - 1 - i];
    d->nd = n;
    d->dig[n] = '\0';
}

/* The correctly rounded double of the decimal; overflow is an error. */
static int decimal_double(const struct decimal *d, double *out, const char **why)
{
    char buf[sizeof d->dig + 32];
    double x;

    snprintf(buf, sizeof buf, "%s%se%ld", d->neg ? "-" : "", d->dig, d->exp);
    errno = 0;
    x = strtod(buf, NULL);
    if (errno == ERANGE && isinf(x)) {
        *why = "out of range";
        return -1;
    }
    *out = x;
    return 0;
}

/* The parsers below accept the whole string or nothing: trailing text
 * ("12abc", "30 m") is an error, never ignored. */
int units_number(const char *s, double *out, const char **why)
{
    struct decimal d;
    const char *end;

    if (decimal_parse(s, &d, &end, 1, why))
        return -1;
    if (*end) {
        *why = "not a number";
        return -1;
    }
    return decimal_double(&d, out, why);
}

/* Digits (with an optional sign) into int64 magnitude <= INT64_MAX. */
static int parse_int(const char *s, int allow_sign, int64_t *out, const char **why)
{
    const char *p = s;
    int neg = 0;
    int64_t v = 0;

    if (allow_sign && (*p == '-' || *p == '+'))
        neg = *p++ == '-';
    if (!is_digit(*p)) {
        *why = "not an integer";
        return -1;
    }
    for (; is_digit(*p); p++) {
        int dgt = *p - '0';
        if (v > (INT64_MAX - dgt) / 10) {
            *why = "out of range";
            return -1;
        }
        v = v * 10 + dgt;
    }
    if (*p) {
        *why = "not an integer";
        return -1;
    }
    *out = neg ? -v : v;
    return 0;
}

int units_int(const char *s, int64_t *out, const char **why)
{
    return parse_int(s, 1, out, why);
}

int units_uint64(const char *s, uint64_t *out, const char **why)
{
    uint64_t v = 0;
    const char *p = s;

    if (*p == '+')
        p++;
    if (!is_digit(*p)) {
        *why = "not a non-negative integer";
        return -1;
    }
    for (; is_digit(*p); p++) {
        unsigned dgt = (unsigned)(*p - '0');
        if (v > (UINT64_MAX - dgt) / 10) {
            *why = "out of range";
            return -1;
        }
        v = v * 10 + dgt;
    }
    if (*p) {
        *why = "not a non-negative integer";
        return -1;
    }
    *out = v;
    return 0;
}

/* Yuan to fen: digits, then at most two decimals; no exponent, no rounding. */
int units_money(const char *s, int64_t *fen, const char **why)
{
    struct decimal d;
    const char *end;
    int64_t v = 0;
    int i, shift;

    if (decimal_parse(s, &d, &end, 0, why))
        return -1;
    if (*end) {
        *why = "not an amount";
        return -1;
    }
    if (d.exp < -2) {
        *why = "more than 2 decimals";
        return -1;
    }
    shift = (int)(2 + d.exp); /* 0, 1 or 2 zeros to append */
    for (i = 0; i < d.nd + shift; i++) {
        int dgt = i < d.nd ? d.dig[i] - '0' : 0;
        if (v > (INT64_MAX - dgt) / 10) {
            *why = "out of range";
            return -1;
        }
        v = v * 10 + dgt;
    }
    *fen = d.neg ? -v : v;
    return 0;
}

/* "11%" moves the decimal point of the digits, not the double: 33.3% gives
 * the same bits as 0.333. The range (0-1) is the schema's to check. */
int units_share(const char *s, double *out, const char **why)
{
    struct decimal d;
    const char *end;

    if (decimal_parse(s, &d, &end, 1, why))
        return -1;
    if (end[0] == '%' && end[1] == '\0')
        d.exp -= 2; /* 11% is 11e-2 */
    else if (*end) {
        *why = "not a number or percentage";
        return -1;
    }
    return decimal_double(&d, out, why);
}

/* Sub-second units shift the exponent, longer ones multiply the digits
 * exactly; either way one rounding happens, in strtod. Units are case
 * sensitive and follow the number without a space. */
int units_duration(const char *s, double *sec, const char **why)
{
    struct decimal d;
    const char *u;

    if (decimal_parse(s, &d, &u, 1, why))
        return -1;
    if (!*u) {
        *why = "no unit";
        return -1;
    }
    if (!strcmp(u, "us"))
        d.exp -= 6;
    else if (!strcmp(u, "ms"))
        d.exp -= 3;
    else if (!strcmp(u, "s"))
        (void)0;
    else if (!strcmp(u, "m"))
        decimal_mul(&d, 60);
    else if (!strcmp(u, "h"))
        decimal_mul(&d, 3600);
    else if (!strcmp(u, "d"))
        decimal_mul(&d, 86400);
    else if (!strcmp(u, "w"))
        decimal_mul(&d, 7 * 86400);
    else if (!strcmp(u, "y"))
        decimal_mul(&d, UNITS_YEAR_S);
    else {
        *why = "unknown unit";
        return -1;
    }
    return decimal_double(&d, sec, why);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    int64_t era, doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* Exactly n digits at s. */
static int fixed_digits(const char *s, int n, int *out)
{
    int i, v = 0;

    for (i = 0; i < n; i++) {
        if (!is_digit(s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* A Shanghai wall-clock date and time to Unix time. China has had no DST
 * since 1991, and the scenarios start in 2020, so a fixed UTC+8 is exact;
 * T24:00 (end of day, used by the lottery announcements) is accepted. */
int units_date(const char *s, int64_t *unix_s, const char **why)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, mo, d, h = 0, mi = 0, sec = 0, dim;
    const char *p = s + 10;

    if (fixed_digits(s, 4, &y) || s[4] != '-' || fixed_digits(s + 5, 2, &mo) || s[7] != '-' ||
        fixed_digits(s + 8, 2, &d)) {
        *why = "not a date";
        return -1;
    }
    if (*p == 'T') {
        if (fixed_digits(p + 1, 2, &h) || p[3] != ':' || fixed_digits(p + 4, 2, &mi)) {
            *why = "bad time of day";
            return -1;
        }
        p += 6;
        if (*p == ':') {
            if (fixed_digits(p + 1, 2, &sec)) {
                *why = "bad seconds";
                return -1;
            }
            p += 3;
        }
    }
    if (*p == 'Z' || *p == '+' || *p == '-') {
        *why = "time zones are not allowed (all dates are Asia/Shanghai)";
        return -1;
    }
    if (*p == ' ' || *p == 't') {
        *why = "date and time must be joined by T";
        return -1;
    }
    if (*p) {
        *why = "not a date";
        return -1;
    }
    if (y < 1900 || y > 9999) {
        *why = "year out of range 1900-9999";
        return -1;
    }
    if (mo < 1 || mo > 12) {
        *why = "no such month";
        return -1;
    }
    dim = mdays[mo - 1] + (mo == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    if (d < 1 || d > dim) {
        *why = "no such day in that month";
        return -1;
    }
    if (h > 24 || mi > 59 || sec > 59 || (h == 24 && (mi || sec))) {
        *why = "no such time of day";
        return -1;
    }
    *unix_s = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - UNITS_SHANGHAI_S;
    return 0;
}

/* Whole numbers print without an exponent (31536000, not 3.1536e+07);
 * anything else in the fewest significant digits that read back to the
 * same double, at most 17. */
char *units_fmt_number(char *buf, double x)
{
    int p;

    if (x == floor(x) && fabs(x) < 1e15) { /* whole numbers without exponent */
        snprintf(buf, UNITS_BUF, "%.0f", x);
        return buf;
    }
    for (p = 1; p <= 17; p++) { /* shortest that reads back */
        snprintf(buf, UNITS_BUF, "%.*g", p, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    return buf;
}

char *units_fmt_duration(char *buf, double sec)
{
    units_fmt_number(buf, sec);
    strcat(buf, "s");
    return buf;
}

/* For messages: the largest unit that divides the duration exactly, so a
 * bound reads 100y or 1d rather than 3153600000s. */
char *units_fmt_span(char *buf, double sec)
{
    static const struct {
        const char *unit;
        double s;
    } u[] = {{"y", UNITS_YEAR_S}, {"w", 7 * 86400}, {"d", 86400}, {"h", 3600},
             {"m", 60},           {"s", 1},         {"ms", 1e-3}, {"us", 1e-6}};
    size_t i;

    if (sec == 0)
        return strcpy(buf, "0s");
    for (i = 0; i < sizeof u / sizeof u[0] - 1; i++)
        if (sec >= u[i].s && sec / u[i].s == floor(sec / u[i].s) && sec / u[i].s < 1e15)
            break;
    units_fmt_number(buf, sec / u[i].s);
    strcat(buf, u[i].unit);
    return buf;
}

char *units_fmt_money(char *buf, int64_t fen)
{
    uint64_t u = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;

    snprintf(buf, UNITS_BUF, "%s%" PRIu64 ".%02u", fen < 0 ? "-" : "", u / 100,
             (unsigned)(u % 100));
    return buf;
}

char *units_fmt_date(char *buf, int64_t unix_s)
{
    int64_t local = unix_s + UNITS_SHANGHAI_S, y;
    int64_t days = (local >= 0 ? local : local - 86399) / 86400;
    int64_t rem = local - days * 86400;
    int m, d;

    civil_from_days(days, &y, &m, &d);
    snprintf(buf, UNITS_BUF, "%04" PRId64 "-%02d-%02dT%02d:%02d:%02d", y, m, d, (int)(rem / 3600),
             (int)(rem / 60 % 60), (int)(rem % 60));
    return buf;
}
