/* infra: FIFO c-server resources as a min-heap of server free times. */
#include "infra.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int resource_init(struct resource *r, unsigned servers) {
    memset(r, 0, sizeof *r);
    r->servers = servers ? servers : 1;
    r->free_at = calloc(r->servers, sizeof *r->free_at);
    return r->free_at ? 0 : -1;
}

void resource_destroy(struct resource *r) {
    free(r->free_at);
    free(r->outages);
    memset(r, 0, sizeof *r);
}

int resource_add_outage(struct resource *r, double from, double until, double capacity) {
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
static double outage_shift(const struct resource *r, double start, double *service) {
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

/* Take the earliest-free server (the heap's root), serve, and push its new
 * free time back down the heap. */
double resource_admit(struct resource *r, double arrival, double service) {
    double *h = r->free_at;
    double start = h[0] > arrival ? h[0] : arrival;
    if (r->n_outages)
        start = outage_shift(r, start, &service);
    double done = start + service;
    r->jobs++;
    r->busy_s += service;
    r->wait_s += start - arrival;
    size_t n = r->servers, i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && h[c + 1] < h[c])
            c++;
        if (h[c] >= done)
            break;
        h[i] = h[c];
        i = c;
    }
    h[i] = done;
    return done;
}

void resource_scale(unsigned servers, double sample, unsigned *scaled_servers,
                    double *service_factor) {
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
