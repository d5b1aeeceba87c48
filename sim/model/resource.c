/* resource: FIFO c-server resources as a min-heap of server free times. */
#include "model/resource.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/detmath.h"
#include "kernel/rng.h"

int resource_init(struct resource *r, unsigned servers)
{
    memset(r, 0, sizeof *r);
    r->servers = servers ? servers : 1;
    /* One slot past the heap, always +inf: resource_serve may compare a
     * last child with its missing sibling instead of testing for it. */
    r->free_at = calloc(r->servers + 1, sizeof *r->free_at);
    if (!r->free_at)
        return -1;
    r->free_at[r->servers] = INFINITY;
    return 0;
}

void resource_destroy(struct resource *r)
{
    free(r->free_at);
    free(r->starts);
    free(r->outages);
    memset(r, 0, sizeof *r);
}

int resource_add_outage(struct resource *r, double from, double until, double capacity)
{
    struct outage *o = realloc(r->outages, (r->n_outages + 1) * sizeof *o);
    if (!o)
        return -1;
    r->outages = o;
    r->outages[r->n_outages++] = (struct outage){from, until, capacity};
    return 0;
}

/* When a job that could start at `start` does start, and its service time:
 * pushed past every window in which the resource is down (repeated: windows
 * may chain), then stretched by a window in which it is slowed. */
static double outage_shift(const struct resource *r, double start, double *service)
{
    for (int moved = 1; moved;) {
        moved = 0;
        for (unsigned i = 0; i < r->n_outages; i++) {
            const struct outage *o = &r->outages[i];
            if (o->capacity <= 0 && start >= o->from && start < o->until) {
                start = o->until;
                moved = 1;
            }
        }
    }
    for (unsigned i = 0; i < r->n_outages; i++) {
        const struct outage *o = &r->outages[i];
        if (o->capacity > 0 && o->capacity < 1 && start >= o->from && start < o->until)
            *service /= o->capacity;
    }
    return start;
}

/* resource_start and resource_serve are also resource_admit's two halves,
 * inlined there (a payment's every hop goes through it): start_at and
 * serve, below. */
static inline double start_at(const struct resource *r, double arrival, double *service)
{
    double start = r->free_at[0] > arrival ? r->free_at[0] : arrival;
    return r->n_outages ? outage_shift(r, start, service) : start;
}

double resource_start(const struct resource *r, double arrival, double *service)
{
    return start_at(r, arrival, service);
}

int resource_track(struct resource *r)
{
    r->q_cap = 1024;
    r->starts = malloc(r->q_cap * sizeof *r->starts);
    r->tracked = r->starts != NULL;
    return r->tracked ? 0 : -1;
}

/* Integrate the queue length up to t, letting out the jobs that started by
 * then: the length is constant between two starts. */
size_t resource_queue(struct resource *r, double t)
{
    size_t mask = r->q_cap - 1;
    while (r->q_len && r->starts[r->q_head] <= t) {
        double s = r->starts[r->q_head];
        if (s > r->q_t) {
            r->q_area += (double)r->q_len * (s - r->q_t);
            r->q_t = s;
        }
        r->q_head = (r->q_head + 1) & mask;
        r->q_len--;
    }
    if (t > r->q_t) {
        r->q_area += (double)r->q_len * (t - r->q_t);
        r->q_t = t;
    }
    return r->q_len;
}

/* A job that waits: into the ring (grown by doubling, so no allocation per
 * job in the steady state). On no memory the queue statistics stop being
 * tracked rather than the run failing. */
static void queue_push(struct resource *r, double arrival, double start)
{
    resource_queue(r, arrival);
    if (start <= arrival)
        return;
    if (r->q_len == r->q_cap) {
        double *n = malloc(2 * r->q_cap * sizeof *n);
        if (!n) {
            r->tracked = 0;
            return;
        }
        for (size_t i = 0; i < r->q_len; i++)
            n[i] = r->starts[(r->q_head + i) & (r->q_cap - 1)];
        free(r->starts);
        r->starts = n;
        r->q_head = 0;
        r->q_cap *= 2;
    }
    r->starts[(r->q_head + r->q_len) & (r->q_cap - 1)] = start;
    if (++r->q_len > r->q_max)
        r->q_max = r->q_len;
}

void resource_drop(struct resource *r, double arrival, double start)
{
    r->dropped++;
    r->drop_wait_s += start - arrival;
    if (r->tracked)
        queue_push(r, arrival, start);
}

/* Serve on a free server and put its new free time in the heap. Under
 * load that is the earliest-free one, the root, whose new time is pushed
 * down (which child is smaller is a coin flip to the processor, so it is
 * picked by arithmetic, not by a branch). When the last leaf is free too,
 * as nearly always at a pilot's load, the leaf takes the job instead: its
 * ancestors are no later than it, so free as well and no later than the
 * job's end, and the heap holds with nothing moved, where the root's new
 * time would go down every level (5 for the ledger's 51 servers at sample
 * 20). Which free server is taken changes no start: arrivals come in time
 * order, so a server free now is free for every later arrival too. */
static inline double serve(struct resource *r, double arrival, double start, double service)
{
    double *h = r->free_at;
    double done = start + service;
    r->jobs++;
    r->busy_s += service;
    r->wait_s += start - arrival;
    if (r->tracked)
        queue_push(r, arrival, start);
    size_t n = r->servers, i = 0;
    if (h[n - 1] <= arrival) {
        h[n - 1] = done;
        return done;
    }
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        c += h[c + 1] < h[c]; /* h[n] is +inf: never picked */
        if (h[c] >= done)
            break;
        h[i] = h[c];
        i = c;
    }
    h[i] = done;
    return done;
}

double resource_serve(struct resource *r, double arrival, double start, double service)
{
    return serve(r, arrival, start, service);
}

double resource_admit(struct resource *r, double arrival, double service)
{
    double start = start_at(r, arrival, &service);
    return serve(r, arrival, start, service);
}

double resource_admit_by(struct resource *r, double arrival, double service, double deadline)
{
    double start = start_at(r, arrival, &service);
    if (start >= deadline) {
        resource_drop(r, arrival, start);
        return INFINITY;
    }
    return serve(r, arrival, start, service);
}

void resource_scale(unsigned servers, double sample, unsigned *scaled_servers,
                    double *service_factor)
{
    double c = (double)servers / sample;
    if (c >= 1) {
        /* Round the server count, then stretch service so c'/s' stays c/(k s). */
        unsigned n = (unsigned)floor(c + 0.5);
        *scaled_servers = n;
        *service_factor = (double)n / c;
    } else {
        *scaled_servers = 1;
        *service_factor = 1.0 / c;
    }
}

void resource_law_init(struct resource_law *l, const struct service *sv, double factor)
{
    double s2 = detmath_log1p(sv->cv * sv->cv); /* a lognormal's log-variance for its cv */
    l->dist = sv->dist;
    l->mean_s = sv->mean_s * factor;
    l->timeout_s = sv->timeout_s;
    l->mu = detmath_log(l->mean_s) - s2 / 2;
    l->sigma = sqrt(s2);
}

double resource_law_draw(const struct resource_law *l, gsl_rng *r)
{
    switch (l->dist) {
    case SERVICE_DETERMINISTIC:
        return l->mean_s;
    case SERVICE_LOGNORMAL:
        return resource_service_bound(rng_lognormal(r, l->mu, l->sigma));
    case SERVICE_EXPONENTIAL:
    default:
        return rng_exponential(r, l->mean_s);
    }
}
