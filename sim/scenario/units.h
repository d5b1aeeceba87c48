/* units: exact parsing and printing of the value spellings a scenario uses.
 *
 * One spelling each: numbers as YAML 1.2 decimals (`12`, `-0.5`, `1e-3`; no
 * NaN, no infinity, no hex), integers as digits, money as yuan with at most
 * two decimals (`200`, `12.50`) converted to int64 fen without floating
 * point, shares as numbers or percentages (`0.11`, `11%`), durations as a
 * number and a unit (`250ms`, `30m`, `1.5h`, `7d`, `2w`, `1y`; `m` is a
 * minute, `w` 7 days, `y` 365 days, as the model's Bass rates per year), dates as ISO 8601 in
 * Asia/Shanghai (UTC+8, no DST): `2020-04-01`, `2020-04-01T08:00[:SS]`.
 *
 * Decimals are converted through one correctly rounded strtod of the exact
 * decimal value (a duration's unit factor and a percentage's shift are applied
 * to the digits first), so `0.1h`, `360s` and `6m` give the same double.
 * The parsers return 0, or -1 with *why set to a short static reason. The
 * printers write into a caller's buffer of UNITS_BUF bytes; what they print
 * parses back to the same value. No state, no allocation. */
#ifndef PILOTSIM_UNITS_H
#define PILOTSIM_UNITS_H

#include <stdint.h>

#define UNITS_BUF 40                /* enough for every printer below */
#define UNITS_MAX_TEXT 64           /* a longer number text is rejected */
#define UNITS_SHANGHAI_S (8 * 3600) /* Asia/Shanghai is UTC+8 all year */
#define UNITS_YEAR_S (365 * 86400)  /* the unit y: 365 days, no leap day */

int units_number(const char *s, double *out, const char **why);   /* finite */
int units_int(const char *s, int64_t *out, const char **why);     /* [-+]digits */
int units_uint64(const char *s, uint64_t *out, const char **why); /* digits */
int units_money(const char *s, int64_t *fen, const char **why);   /* yuan -> fen */
int units_share(const char *s, double *out, const char **why);    /* 0.11 or 11% */
int units_duration(const char *s, double *sec, const char **why); /* -> seconds */
int units_date(const char *s, int64_t *unix_s, const char **why); /* -> Unix time */

/* Printers: shortest %g that reads back to the same double; seconds with an
 * `s` suffix; yuan with two decimals; `YYYY-MM-DDTHH:MM:SS` in Shanghai time. */
char *units_fmt_number(char *buf, double x);
char *units_fmt_duration(char *buf, double sec);
char *units_fmt_money(char *buf, int64_t fen);
char *units_fmt_date(char *buf, int64_t unix_s);
/* For messages only: a duration in the largest unit that divides it
 * exactly (`100y`, `1d`, `90s`, `0s`). */
char *units_fmt_span(char *buf, double sec);

#endif
