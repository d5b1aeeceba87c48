/* test_units: the value spellings parse exactly (durations, money, shares,
 * dates, numbers), reject what they must (NaN, infinity, overflow, a missing
 * or unknown unit, a third decimal, a time zone), and every printer's output
 * parses back to the same bits. */
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/units.h"
#include "test.h"

/* A duration parses to exactly `want` (compared bit for bit). */
static void dur_is(const char *text, double want)
{
    double got = -1;
    const char *why = NULL;
    int rc = units_duration(text, &got, &why);
    check(rc == 0 && got == want, "duration %s = %.17g (got %.17g%s%s)", text, want, got,
          why ? ", " : "", why ? why : "");
}

static void dur_bad(const char *text, const char *reason)
{
    double got;
    const char *why = NULL;
    check(units_duration(text, &got, &why) == -1 && why && strstr(why, reason),
          "duration '%s' rejected: %s", text, why ? why : "(accepted)");
}

static void money_is(const char *text, int64_t want)
{
    int64_t got = -1;
    const char *why = NULL;
    check(units_money(text, &got, &why) == 0 && got == want,
          "money %s = %" PRId64 " fen (got %" PRId64 ")", text, want, got);
}

static void money_bad(const char *text, const char *reason)
{
    int64_t got;
    const char *why = NULL;
    check(units_money(text, &got, &why) == -1 && why && strstr(why, reason),
          "money '%s' rejected: %s", text, why ? why : "(accepted)");
}

static void number_bad(const char *text, const char *reason)
{
    double got;
    const char *why = NULL;
    check(units_number(text, &got, &why) == -1 && why && strstr(why, reason),
          "number '%s' rejected: %s", text, why ? why : "(accepted)");
}

static void date_is(const char *text, int64_t want)
{
    int64_t got = -1;
    const char *why = NULL;
    check(units_date(text, &got, &why) == 0 && got == want,
          "date %s = %" PRId64 " (got %" PRId64 ")", text, want, got);
}

static void date_bad(const char *text, const char *reason)
{
    int64_t got;
    const char *why = NULL;
    check(units_date(text, &got, &why) == -1 && why && strstr(why, reason),
          "date '%s' rejected: %s", text, why ? why : "(accepted)");
}

static void test_durations(void)
{
    dur_is("250ms", 0.25);
    dur_is("5ms", strtod("0.005", NULL));
    dur_is("0.1ms", strtod("0.0001", NULL)); /* one rounding, not two */
    dur_is("3us", strtod("0.000003", NULL));
    dur_is("10s", 10);
    dur_is("30m", 1800);
    dur_is("0.1h", 360);
    dur_is("6m", 360);
    dur_is("1.5h", 5400);
    dur_is("150h", 540000);
    dur_is("7d", 604800);
    dur_is("365d", 31536000);
    dur_is("2w", 1209600);  /* a week is 7 days */
    dur_is("1y", 31536000); /* a year is 365 days */
    dur_is("100y", 3153600000.0);
    dur_is("0.5y", 15768000);
    dur_is("1e-3y", 31536);
    dur_is(".5d", 43200);
    dur_is("1e-5s", strtod("1e-5", NULL));
    dur_is("0.005s", strtod("0.005", NULL));
    dur_is("-5s", -5); /* the range is the schema's */
    dur_bad("30", "no unit");
    dur_bad("30min", "unknown unit");
    dur_bad("30 m", "unknown unit");
    dur_bad("1.5H", "unknown unit");
    dur_bad("1Y", "unknown unit");
    dur_bad("6mo", "unknown unit"); /* months have no fixed length */
    { /* the longest number text times a year's seconds fits the digits */
        char big[UNITS_MAX_TEXT + 1];
        double got;
        const char *why = NULL;
        memset(big, '9', UNITS_MAX_TEXT - 1);
        strcpy(big + UNITS_MAX_TEXT - 1, "y");
        check(units_duration(big, &got, &why) == 0 && got > 3e70, "63 nines of years parse");
    }
    dur_bad("ms", "not a number");
    dur_bad("1e999s", "out of range");
    dur_bad("", "not a number");
}

static void test_money(void)
{
    money_is("200", 20000);
    money_is("12.50", 1250);
    money_is("12.5", 1250);
    money_is("0.01", 1);
    money_is("178", 17800);
    money_is("-3.5", -350);
    money_is("92233720368547758.07", INT64_MAX);
    money_bad("92233720368547758.08", "out of range");
    money_bad("12.505", "more than 2 decimals");
    money_bad("1e3", "not an amount");
    money_bad("12,50", "not an amount");
    money_bad(".inf", "not finite");
    money_bad("¥5", "not a number");
}

static void test_numbers(void)
{
    double x = 0;
    const char *why;
    int64_t i = 0;
    uint64_t u = 0;

    check(units_number("0.35", &x, &why) == 0 && x == 0.35, "0.35");
    check(units_number("+1.", &x, &why) == 0 && x == 1.0, "+1. is 1");
    check(units_number("1e-400", &x, &why) == 0 && x == 0, "underflow is 0");
    number_bad(".nan", "not finite");
    number_bad(".inf", "not finite");
    number_bad("-.inf", "not finite");
    number_bad("nan", "not finite");
    number_bad("1e309", "out of range");
    number_bad("0x10", "not a number");
    number_bad("1_000", "not a number");
    number_bad("1.2.3", "not a number");
    number_bad("12345678901234567890123456789012345678901234567890123456789012345", "too long");
    check(units_share("11%", &x, &why) == 0 && x == 0.11, "11%% is 0.11 exactly");
    check(units_share("33.3%", &x, &why) == 0 && x == strtod("0.333", NULL), "33.3%% is 0.333");
    check(units_share("0.2", &x, &why) == 0 && x == 0.2, "0.2 as a share");
    check(units_share("11 %", &x, &why) == -1, "11 %% rejected");
    check(units_int("9223372036854775807", &i, &why) == 0 && i == INT64_MAX, "int64 max");
    check(units_int("9223372036854775808", &i, &why) == -1, "int64 overflow rejected");
    check(units_int("-42", &i, &why) == 0 && i == -42, "negative int");
    check(units_int("1.0", &i, &why) == -1, "1.0 is not an integer");
    check(units_int("1e6", &i, &why) == -1, "1e6 is not an integer");
    check(units_uint64("18446744073709551615", &u, &why) == 0 && u == UINT64_MAX, "uint64 max");
    check(units_uint64("18446744073709551616", &u, &why) == -1, "uint64 overflow rejected");
    check(units_uint64("-1", &u, &why) == -1, "negative seed rejected");
}

static void test_dates(void)
{
    date_is("2020-04-01", 1585670400); /* 2020-03-31T16:00Z */
    date_is("1970-01-01T08:00", 0);
    date_is("2020-04-01T08:00", 1585670400 + 8 * 3600);
    date_is("2020-04-01T08:00:30", 1585670400 + 8 * 3600 + 30);
    date_is("2020-10-18T24:00", 1585670400 + 201 * 86400); /* = 10-19T00:00 */
    date_is("2020-02-29", 1582905600);
    date_bad("2021-02-29", "no such day");
    date_bad("2100-02-29", "no such day");
    date_bad("2020-13-01", "no such month");
    date_bad("2020-4-1", "not a date");
    date_bad("2020-04-01 08:00", "joined by T");
    date_bad("2020-04-01T08:00Z", "time zones");
    date_bad("2020-04-01T08:00+08:00", "time zones");
    date_bad("2020-04-01T25:00", "no such time");
    date_bad("2020-04-01T24:01", "no such time");
    date_bad("2020-04-01T08", "bad time");
    date_bad("1800-01-01", "year out of range");
    date_bad("", "not a date");
}

/* Printers: what they write reads back to the same value. */
static void test_printers(void)
{
    char buf[UNITS_BUF];
    const char *why;
    double x, back;
    int64_t t, fen;
    int i, ok = 1;
    uint64_t state = 0x9E3779B97F4A7C15u;

    for (i = 0; i < 100000; i++) { /* random bit patterns, finite ones */
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        memcpy(&x, &state, sizeof x);
        if (!isfinite(x))
            continue;
        if (units_number(units_fmt_number(buf, x), &back, &why) || back != x ||
            units_duration(units_fmt_duration(buf, x), &back, &why) || back != x) {
            ok = 0;
            printf("# %.17g printed as %s\n", x, buf);
            break;
        }
    }
    check(ok, "100000 random doubles print and read back bit for bit");
    check(!strcmp(units_fmt_duration(buf, 0.005), "0.005s"), "5 ms prints as 0.005s");
    check(!strcmp(units_fmt_duration(buf, 86400), "86400s"), "1 d prints as 86400s");
    check(!strcmp(units_fmt_number(buf, 1.0 / 3), "0.3333333333333333"), "1/3 shortest");
    check(!strcmp(units_fmt_span(buf, 3153600000.0), "100y"), "100 years span as 100y");
    check(!strcmp(units_fmt_span(buf, 86400), "1d"), "a day spans as 1d");
    check(!strcmp(units_fmt_span(buf, 1209600), "2w"), "two weeks span as 2w");
    check(!strcmp(units_fmt_span(buf, 90), "90s"), "90 s spans as 90s");
    check(!strcmp(units_fmt_span(buf, 360), "6m"), "360 s spans as 6m");
    check(!strcmp(units_fmt_span(buf, 0), "0s"), "0 spans as 0s");
    check(!strcmp(units_fmt_span(buf, 0.25), "250ms"), "0.25 s spans as 250ms");
    check(!strcmp(units_fmt_money(buf, 1250), "12.50"), "1250 fen prints 12.50");
    check(!strcmp(units_fmt_money(buf, -5), "-0.05"), "-5 fen prints -0.05");
    check(units_money(units_fmt_money(buf, INT64_MAX), &fen, &why) == 0 && fen == INT64_MAX,
          "int64 max fen reads back");
    check(!strcmp(units_fmt_date(buf, 1585670400), "2020-04-01T00:00:00"), "start prints");
    for (ok = 1, t = -2208988800LL; t < 253402300799LL - 86400; t += 86400 * 37 + 3607)
        if (units_date(units_fmt_date(buf, t), &fen, &why) || fen != t) {
            ok = 0;
            break;
        }
    check(ok, "dates 1900-9999 print and read back");
}

int main(void)
{
    test_plan(102);
    test_durations();
    test_money();
    test_numbers();
    test_dates();
    test_printers();
    return test_done();
}
