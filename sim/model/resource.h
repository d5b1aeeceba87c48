/* resource: the payment infrastructure's queueing resources (an operator's
 * processing, the central ledger). A resource is c servers serving FIFO.
 *
 * A FIFO c-server queue needs no events of its own: a job arriving at time a
 * starts when the earliest server frees (max(a, that time)) and that server is
 * then busy until start + service (Kiefer-Wolfowitz). So admitting a job is a
 * sift in a small min-heap of server free times, and the caller schedules one
 * event at the completion. Jobs must be admitted in arrival-time order, which
 * the event loop guarantees. Busy time and waits are accumulated for
 * utilization and Little's law.
 *
 * For load tests a resource can also track its queue (resource_track): since
 * FIFO start times never decrease, the jobs waiting at time t are those
 * admitted with a start after t, a ring of start times popped from the
 * front; the ring gives the queue length, its maximum and its time integral
 * (an independent measure of the mean queue, for Little's law). A load test
 * may also look at a job's start before committing it (resource_start,
 * resource_serve) and drop a job whose client has already given up
 * (resource_drop): it waits in the queue but takes no service.
 * resource_admit_by does both for a job with a deadline (a payment whose
 * payer gives up at its timeout). A dropped job takes no server, so the
 * free times, and every later start, are those of the jobs served: a FIFO
 * queue whose customers leave unserved once their deadline has passed
 * (reneging), and the arrival-order precondition is unchanged.
 * Ownership: caller-owned (resource_init/resource_destroy); the ring belongs
 * to the resource. */
#ifndef PILOTSIM_RESOURCE_H
#define PILOTSIM_RESOURCE_H

#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>

#include "kernel/rng.h"
#include "scenario/scenario.h"

/* Children per node of the heap of server free times (resource.c). */
#define RESOURCE_ARITY 4

struct outage { /* a window of reduced capacity */
    double from, until;
    double capacity; /* share of capacity left: 0 down, 0.5 half speed */
};

struct resource_cal; /* the calendar of busy servers (resource_calendar, resource.c) */

struct resource {
    unsigned servers;       /* c, after scaling for the sample */
    struct outage *outages; /* [n_outages], few */
    unsigned n_outages;
    double *free_at; /* [servers] 4-ary min-heap of times each server frees, then 4 x +inf */
    uint64_t jobs;   /* jobs admitted */
    double busy_s;   /* total service time admitted */
    double wait_s;   /* total time jobs waited before service */
    /* queue tracking (load tests; all 0 unless resource_track was called) */
    int tracked;                 /* 1 when starts[] is kept */
    double *starts;              /* ring of start times of jobs still waiting */
    size_t q_cap, q_head, q_len; /* ring capacity (a power of two), front, length */
    size_t q_max;                /* longest queue since init or resource_queue_reset */
    double q_area;               /* integral of the queue length over time, job-seconds */
    double q_t;                  /* time up to which q_area is integrated */
    uint64_t dropped;            /* jobs dropped (resource_drop) */
    double drop_wait_s;          /* time dropped jobs waited before being discarded */
    struct resource_cal *cal; /* NULL: the heap above; else the calendar (free_at its overflow) */
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

/* resource_admit for a job whose client gives up at `deadline`: one that
 * would start at or after it is dropped (resource_drop) and INFINITY
 * returned (so a caller's one test, an end past the deadline, catches
 * both); else it is served and its completion time returned, which may
 * lie past the deadline (it started in time: the caller decides what a
 * late end means). */
double resource_admit_by(struct resource *r, double arrival, double service, double deadline);
/* resource_admit_by, also giving the job's start (*start >= deadline: it
 * was dropped): a load test's hop in one call, where resource_start and
 * resource_serve were two. */
double resource_admit_by_start(struct resource *r, double arrival, double service, double deadline,
                               double *start);

/* The two halves of resource_admit. resource_start: when a job arriving at
 * `arrival` would start (outages applied; *service is stretched by a
 * slowdown), changing nothing. resource_serve: commit it (start from
 * resource_start); returns its completion time. */
double resource_start(const struct resource *r, double arrival, double *service);
double resource_serve(struct resource *r, double arrival, double start, double service);
/* A job that waits until `start` and is then discarded without service. */
void resource_drop(struct resource *r, double arrival, double start);

/* The longest service time a draw may give (seconds, about 30 years). A
 * law with a huge spread, or a draw rounded to infinity, must not put an
 * infinite or undefined time on a clock; a sane law never comes near it. */
#define RESOURCE_SERVICE_MAX_S 1e9

/* A drawn service time as a resource takes it: NaN and anything above
 * RESOURCE_SERVICE_MAX_S become that bound. */
static inline double resource_service_bound(double service)
{
    return service <= RESOURCE_SERVICE_MAX_S ? service : RESOURCE_SERVICE_MAX_S;
}

/* A resource's service-time law with its parameters worked out once: the
 * mean stretched by `factor` (resource_scale), and for a lognormal the
 * log-mean and log-sd that give that mean and the scenario's cv. */
struct resource_law {
    enum service_dist dist;
    double mean_s;    /* seconds */
    double mu, sigma; /* lognormal only */
    double timeout_s; /* an operator's: its payers give up after this */
};

void resource_law_init(struct resource_law *l, const struct service *sv, double factor);
/* A service time drawn from the law (bounded: resource_service_bound). */
double resource_law_draw(const struct resource_law *l, gsl_rng *r);
/* resource_law_draw in two halves, for a caller that takes several draws'
 * exponentials at once (detmath_exp4): a lognormal law's exponent
 * mu + sigma Z, Z drawn from r as resource_law_draw draws it (*lognormal =
 * 1), or another law's service time itself (*lognormal = 0). For the
 * exponent x, resource_service_bound(detmath_exp(x)) is resource_law_draw's
 * value, bit for bit. */
static inline double resource_law_exponent(const struct resource_law *l, gsl_rng *r, int *lognormal)
{
    *lognormal = l->dist == SERVICE_LOGNORMAL;
    /* rng_lognormal's exponent, the same expression */
    return *lognormal ? l->mu + l->sigma * rng_normal(r) : resource_law_draw(l, r);
}

/* Keep the servers in a calendar instead of the heap, for thousands of
 * servers mostly idle (a load test's scaled-out operators): a job that
 * finds a server free takes it in constant time where the heap would sift
 * its end through log c levels. The busy servers' free times sit in
 * buckets `width_s` wide (about a sixteenth of a service time: a
 * bucket's list stays short when every server is busy), those past the
 * buckets' horizon in the heap; a bucket the arrivals have passed holds
 * servers free for every later arrival, counted idle without looking at
 * their times. Every start and end is the heap's (the same multiset of free
 * times: tests/unit/test_infra.c). Call before the first admission; 0 or
 * -1 (no memory: the heap stays). */
int resource_calendar(struct resource *r, double width_s);
/* For the tests: the free times the calendar holds past its ring. */
unsigned resource_calendar_overflow(const struct resource *r);

/* Start tracking the queue (see above); 0 or -1 (no memory). */
int resource_track(struct resource *r);
/* Advance the queue's clock to t (>= every earlier call's t and admission):
 * jobs that have started leave it. Returns the queue length at t. */
size_t resource_queue(struct resource *r, double t);

/* Servers and service-time scale that keep a resource's utilization true when
 * it sees one payment in `sample`: c/k servers when that is at least one,
 * else one server with service times stretched to match. */
void resource_scale(unsigned servers, double sample, unsigned *scaled_servers,
                    double *service_factor);

#endif
