/* infra: the payment infrastructure's queueing resources (an operator's
 * processing, the central ledger). A resource is c servers serving FIFO.
 *
 * A FIFO c-server queue needs no events of its own: a job arriving at time a
 * starts when the earliest server frees (max(a, that time)) and that server is
 * then busy until start + service (Kiefer-Wolfowitz). So admitting a job is a
 * sift in a small min-heap of server free times, and the caller schedules one
 * event at the completion. Jobs must be admitted in arrival-time order, which
 * the event loop guarantees. Busy time and waits are accumulated for
 * utilization and Little's law.
 * Ownership: caller-owned (resource_init/resource_destroy). */
#ifndef PILOTSIM_INFRA_H
#define PILOTSIM_INFRA_H

#include <stdint.h>

struct outage {              /* a window of reduced capacity */
    double from, until;
    double capacity;       /* share of capacity left: 0 down, 0.5 half speed */
};

struct resource {
    unsigned servers;      /* c, after scaling for the sample */
    struct outage *outages;/* [n_outages], few */
    unsigned n_outages;
    double *free_at;       /* [servers] min-heap of times each server frees */
    uint64_t jobs;         /* jobs admitted */
    double busy_s;         /* total service time admitted */
    double wait_s;         /* total time jobs waited before service */
};

/* 0 or -1 (no memory). All servers start free at time 0. */
int resource_init(struct resource *r, unsigned servers);
void resource_destroy(struct resource *r);
/* Add a window of reduced capacity: a job that would start while the
 * resource is down starts when it comes back; one that starts during a
 * slowdown takes service / capacity. 0 or -1 (no memory). */
int resource_add_outage(struct resource *r, double from, double until, double capacity);
/* Admit a job arriving at `arrival` needing `service` seconds; returns its
 * completion time. */
double resource_admit(struct resource *r, double arrival, double service);

/* Servers and service-time scale that keep a resource's utilization true when
 * it sees one payment in `sample`: c/k servers when that is at least one,
 * else one server with service times stretched to match. */
void resource_scale(unsigned servers, double sample, unsigned *scaled_servers,
                    double *service_factor);

#endif
