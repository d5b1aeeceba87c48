/* peak_meter: the peak of a piecewise-constant rate (an expected arrival
 * intensity, in events per second), measured over one-minute windows, as
 * timeseries.csv's tps_peak reports it. The run's clock is cut at every
 * whole minute (t = 60 j) and at every bucket boundary, each window's rate
 * is its integral over its length, and a bucket's peak is the highest
 * window of the bucket. A window cut short by a bucket boundary is averaged
 * over its own length, so the peak always lies between the bucket's mean
 * rate and its highest instantaneous rate. A rate that is constant over
 * many whole minutes costs one step, not one per minute.
 *
 * Ownership: caller-owned, zeroed by peak_meter_init; times never go
 * backwards. */
#ifndef PILOTSIM_PEAK_METER_H
#define PILOTSIM_PEAK_METER_H

struct peak_meter {
    double rate;        /* the rate since `since` */
    double since;       /* integrated up to here */
    double window;      /* start of the window being integrated */
    double area;        /* the integral of the rate over [window, since) */
    double bucket_peak; /* the highest window closed in this bucket */
    double peak;        /* the highest over every bucket closed */
};

void peak_meter_init(struct peak_meter *p, double t0);
/* The rate becomes `rate` at time `now`. */
void peak_meter_set(struct peak_meter *p, double now, double rate);
/* Close the bucket ending at `now`: returns its peak and starts the next. */
double peak_meter_close(struct peak_meter *p, double now);

#endif
