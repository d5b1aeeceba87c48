/* calendar: days and local hours of simulated time (calendar.h). */
#include "model/calendar.h"

#include <math.h>

#include "scenario/typelimits.h"

void calendar_init(struct calendar *k, const struct scenario *s)
{
    k->hourly = s->hourly;
    k->weekday = s->weekday;
    k->local_offset_s = (double)(s->start_unix + CALENDAR_UTC_OFFSET_S);
}

double calendar_profile(const struct calendar *k, double t)
{
    double local = k->local_offset_s + t;
    double day = floor(local / CALENDAR_DAY);
    int hour = (int)((local - day * CALENDAR_DAY) / CALENDAR_HOUR);
    /* local_offset_s counts from the Unix epoch's local midnight, a Thursday;
     * an integer remainder, not fmod (a tenth of the cost, the same day). */
    int64_t d = (int64_t)day;
    int weekday = (int)(((d + 3) % 7 + 7) % 7);
    return k->hourly[hour] * k->weekday[weekday];
}

/* The loader keeps the horizon within TYPELIMITS_MAX_DAYS; the clamp only
 * keeps the conversion defined. */
uint16_t calendar_day(double t)
{
    double d = t / CALENDAR_DAY; /* converted by truncation: floor, once d >= 0 */
    return d < 0 ? 0 : d > TYPELIMITS_MAX_DAYS ? TYPELIMITS_MAX_DAYS : (uint16_t)d;
}
