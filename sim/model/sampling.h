/* sampling: when `sample: k` keeps latency honest, and when it cannot.
 *
 * A sampled run sends 1/k of the payments through each resource, scaled by
 * resource_scale (resource.h) to c/k servers (rounded, service stretched by
 * the rounding), or one server with service k/c times as long when c/k < 1.
 * Utilization stays true; the time a job spends in the resource does not:
 * the stretch changes every service time, and fewer servers at the same
 * utilization wait more (Erlang C). sampling_error predicts the relative
 * error of the mean time in a resource (wait + service) from the M/G/c
 * approximation of Allen and Cunneen (Erlang C's wait times (1 + cv^2) / 2),
 * compared at sample k and at sample 1 for the same utilization.
 *
 * sampling_check applies it to a scenario at load: for every resource it
 * estimates the highest utilization the scenario can reach (every
 * smartphone owner holding a wallet, every merchant accepting, the busiest
 * hour and weekday, every peak and lottery at once, slowdowns), takes the
 * worse of the predicted errors at that load and at none, and when some
 * resource's passes SAMPLING_TOLERANCE adds one warning to s->warnings
 * saying so, naming the worst resource and the largest sample that keeps
 * them all within it. Latency percentiles and timeouts (payments_failed)
 * of such a run are not to be trusted. Nothing is allocated but the
 * warning's line (the scenario's list owns it). */
#ifndef PILOTSIM_SAMPLING_H
#define PILOTSIM_SAMPLING_H

#include "scenario/scenario.h"

#define SAMPLING_TOLERANCE 0.10 /* relative error of the mean time in a resource */

/* Mean time in an M/G/c resource (wait + service), seconds: c servers,
 * mean service s, squared coefficient of variation cv2, utilization rho
 * (< 1; INFINITY from 1 on). */
double sampling_sojourn(unsigned servers, double service_s, double cv2, double rho);

/* The predicted relative error (sampled / true - 1) of the mean time in a
 * resource of c servers at utilization rho when run at `sample`; INFINITY
 * when rho >= 1 (a saturated queue: no promise). */
double sampling_error(unsigned servers, double service_s, double cv2, double rho, double sample);

/* The highest utilization of each resource the scenario can reach, in
 * rho[0 .. n_operators - 1] (operators) and rho[n_operators] (the ledger). */
void sampling_peak_load(const struct scenario *s, double *rho);

/* Warn (s->warnings) when `sample` cannot keep latency within the
 * tolerance; 0, or -1 when out of memory. Does nothing at sample 1. */
int sampling_check(struct scenario *s);

#endif
