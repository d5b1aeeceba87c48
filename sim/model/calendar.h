/* calendar: simulated time as days and local hours.
 *
 * Time is seconds since the scenario's start (double). The scenario's start
 * date is a Unix time in China Standard Time (UTC+8, no daylight saving);
 * calendar_profile gives the payment-arrival weight at a time, the
 * scenario's hourly weight times its weekday weight, both in local time.
 * calendar_day counts whole days since the start (day 0 may be partial
 * when the start is not a local midnight: that is the clock's business).
 *
 * A calendar borrows the scenario's weight tables; it owns nothing. */
#ifndef PILOTSIM_CALENDAR_H
#define PILOTSIM_CALENDAR_H

#include <stdint.h>

#include "scenario/scenario.h"

#define CALENDAR_DAY 86400.0
#define CALENDAR_HOUR 3600.0
#define CALENDAR_YEAR (365.0 * CALENDAR_DAY)
#define CALENDAR_UTC_OFFSET_S (8 * 3600) /* China Standard Time */

struct calendar {
    const double *hourly;  /* [24] the scenario's weights, local hours */
    const double *weekday; /* [7] Monday first */
    double local_offset_s; /* local seconds since the epoch at t = 0 */
};

void calendar_init(struct calendar *k, const struct scenario *s);

/* The arrival weight at time t: hourly x weekday, in local time. */
double calendar_profile(const struct calendar *k, double t);

/* The day index of time t, clamped to [0, TYPELIMITS_MAX_DAYS]. */
uint16_t calendar_day(double t);

#endif
