/* peak_meter: the peak of a rate over one-minute windows (the rules are in
 * peak_meter.h). */
#include "metrics/peak_meter.h"

#include <math.h>
#include <string.h>

#define PEAK_WINDOW 60.0

void peak_meter_init(struct peak_meter *p, double t0)
{
    memset(p, 0, sizeof *p);
    p->since = p->window = t0;
}

static void peak_window_close(struct peak_meter *p, double end)
{
    if (end > p->window) {
        double mean = p->area / (end - p->window);
        if (mean > p->bucket_peak)
            p->bucket_peak = mean;
    }
    p->area = 0;
    p->window = end;
}

/* Integrate the current rate from `since` to t, closing each window whose
 * minute ends on the way; the whole minutes in between all average the
 * rate itself, so they are one comparison. */
static void peak_meter_advance(struct peak_meter *p, double t)
{
    while (p->since < t) {
        double edge = (floor(p->since / PEAK_WINDOW) + 1) * PEAK_WINDOW;
        if (edge > t) {
            p->area += p->rate * (t - p->since);
            p->since = t;
            return;
        }
        p->area += p->rate * (edge - p->since);
        peak_window_close(p, edge);
        p->since = edge;
        double last = floor(t / PEAK_WINDOW) * PEAK_WINDOW;
        if (last > p->since) { /* whole minutes at this rate */
            if (p->rate > p->bucket_peak)
                p->bucket_peak = p->rate;
            p->since = p->window = last;
        }
    }
}

void peak_meter_set(struct peak_meter *p, double now, double rate)
{
    peak_meter_advance(p, now);
    p->rate = rate;
}

double peak_meter_close(struct peak_meter *p, double now)
{
    peak_meter_advance(p, now);
    peak_window_close(p, now);
    double peak = p->bucket_peak;
    if (peak > p->peak)
        p->peak = peak;
    p->bucket_peak = 0;
    return peak;
}
