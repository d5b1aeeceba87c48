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
    memset(r, 0, sizeof *r);
}

/* Take the earliest-free server (the heap's root), serve, and push its new
 * free time back down the heap. */
double resource_admit(struct resource *r, double arrival, double service) {
    double *h = r->free_at;
    double start = h[0] > arrival ? h[0] : arrival;
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
