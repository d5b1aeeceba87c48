/* windows: the peaks and outages of a rollout plan as windows of time that
 * count the e-CNY payments started inside them (their window_payments and
 * window_failed outcomes).
 *
 * interventions_setup lists the window interventions in m->windows[];
 * payments' end hook calls windows_count once for every payment that ends,
 * completed or failed, so that a payment stuck in an outage counts for it
 * even when it fails after the window. Nothing is allocated here. */
#ifndef PILOTSIM_WINDOWS_H
#define PILOTSIM_WINDOWS_H

#include <stdint.h>

struct model;

/* A payment of `city` that started at t0 has ended: count it for every
 * peak (of its city, or of every city) and outage whose window holds t0. */
void windows_count(struct model *m, uint32_t city, double t0, int failed);

#endif
