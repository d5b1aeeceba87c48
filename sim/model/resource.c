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
    /* Slots past the heap, always +inf: resource_serve may compare a last
     * child with its missing siblings instead of testing for them. */
    r->free_at = calloc(r->servers + RESOURCE_ARITY, sizeof *r->free_at);
    if (!r->free_at)
        return -1;
    for (unsigned k = 0; k < RESOURCE_ARITY; k++)
        r->free_at[r->servers + k] = INFINITY;
    return 0;
}

/* ---- the calendar (resource_calendar) ----
 *
 * Server free times in three places: idle servers (a count: their times
 * lie before an arrival already seen, so every later arrival finds them
 * free and their times no longer matter), the ring of CAL_BUCKETS buckets
 * from bucket number `cur` on (bucket floor(t / width), a list of nodes),
 * and the overflow heap (free_at, 4-ary) for times past the ring. Bucket
 * numbers grow with the time (a product and a floor are monotone), so the
 * ring's first nonempty bucket holds its least time, the overflow's least
 * is above every ring time, and a bucket below an arrival's own holds
 * only times before it: idle. */
#define CAL_BUCKETS 1024u /* a power of two */
#define CAL_NONE UINT32_MAX

struct resource_cal {
    double inv_w;               /* 1 / bucket width */
    uint64_t cur;               /* bucket number of the ring's first bucket */
    uint32_t head[CAL_BUCKETS]; /* each bucket's first node (CAL_NONE: empty) */
    uint32_t *next;             /* [servers] the next node in a bucket, or on the free stack */
    double *t;                  /* [servers] a node's free time */
    uint32_t free_top;          /* the free stack of nodes (CAL_NONE: empty) */
    unsigned ring_n, ov_n;      /* times in the ring, in the overflow heap */
};

/* Sift v down from position i of the 4-ary heap h[0 .. n) (h[n .. n + 3]
 * +inf). Which child is least is a coin flip to the processor: picked by
 * arithmetic, not branches. */
static inline void heap_sift(double *h, size_t n, size_t i, double v)
{
    for (;;) {
        size_t c = RESOURCE_ARITY * i + 1;
        if (c >= n)
            break;
        size_t a = c + (h[c + 1] < h[c]), b = c + 2 + (h[c + 3] < h[c + 2]);
        c = h[b] < h[a] ? b : a;
        if (h[c] >= v)
            break;
        h[i] = h[c];
        i = c;
    }
    h[i] = v;
}

/* Converted as signed (x < 2^62, the same value): one instruction on x86,
 * where an unsigned conversion adds a test and a second path. */
static inline uint64_t cal_bucket(const struct resource_cal *c, double t)
{
    double x = t * c->inv_w;
    return x > 0 ? (x < 0x1p62 ? (uint64_t)(int64_t)x : (uint64_t)1 << 62) : 0;
}

static void ov_push(struct resource *r, double v)
{
    double *h = r->free_at;
    size_t i = r->cal->ov_n++;
    while (i > 0 && h[(i - 1) / RESOURCE_ARITY] > v) {
        h[i] = h[(i - 1) / RESOURCE_ARITY];
        i = (i - 1) / RESOURCE_ARITY;
    }
    h[i] = v;
}

static double ov_pop(struct resource *r)
{
    double *h = r->free_at, least = h[0];
    size_t n = --r->cal->ov_n;
    double last = h[n];
    h[n] = INFINITY;
    if (n)
        heap_sift(h, n, 0, last);
    return least;
}

/* A busy server's free time t, never before the last arrival released. */
static void cal_insert(struct resource *r, double t)
{
    struct resource_cal *c = r->cal;
    uint64_t k = cal_bucket(c, t);
    if (k >= c->cur + CAL_BUCKETS) {
        ov_push(r, t);
        return;
    }
    uint32_t node = c->free_top, slot = (uint32_t)((k < c->cur ? c->cur : k) & (CAL_BUCKETS - 1));
    c->free_top = c->next[node];
    c->t[node] = t;
    c->next[node] = c->head[slot];
    c->head[slot] = node;
    c->ring_n++;
}

/* An arrival at a: the buckets before its own become idle servers (their
 * nodes go back to the free stack), and overflow times that the ring now
 * reaches come into it. */
static void cal_release(struct resource *r, double a)
{
    struct resource_cal *c = r->cal;
    uint64_t ka = cal_bucket(c, a);
    if (ka <= c->cur)
        return;
    for (; c->cur < ka && c->ring_n; c->cur++) {
        uint32_t *h = &c->head[c->cur & (CAL_BUCKETS - 1)];
        while (*h != CAL_NONE) {
            uint32_t node = *h;
            *h = c->next[node];
            c->next[node] = c->free_top;
            c->free_top = node;
            c->ring_n--;
        }
    }
    if (c->cur < ka)
        c->cur = ka; /* the ring is empty: jump */
    while (c->ov_n && cal_bucket(c, r->free_at[0]) < c->cur + CAL_BUCKETS) {
        double t = ov_pop(r);
        if (cal_bucket(c, t) >= c->cur)
            cal_insert(r, t); /* else before a: idle */
    }
}

/* The first nonempty bucket's slot in the ring (ring_n > 0). */
static uint32_t cal_first(const struct resource_cal *c)
{
    uint64_t k = c->cur;
    while (c->head[k & (CAL_BUCKETS - 1)] == CAL_NONE)
        k++;
    return (uint32_t)(k & (CAL_BUCKETS - 1));
}

/* The earliest free time: -inf when a server is idle. */
static double cal_least(const struct resource *r)
{
    const struct resource_cal *c = r->cal;
    if (c->ring_n + c->ov_n < r->servers)
        return -INFINITY;
    if (!c->ring_n)
        return r->free_at[0];
    double least = INFINITY;
    for (uint32_t n = c->head[cal_first(c)]; n != CAL_NONE; n = c->next[n])
        least = c->t[n] < least ? c->t[n] : least;
    return least;
}

/* Take a server for a job arriving at a: an idle one, else the earliest to
 * free (the one resource_start waited for). */
static void cal_take(struct resource *r, double a)
{
    struct resource_cal *c = r->cal;
    cal_release(r, a);
    if (c->ring_n + c->ov_n < r->servers)
        return;
    if (!c->ring_n) {
        ov_pop(r);
        return;
    }
    uint32_t *link = &c->head[cal_first(c)], *best = link;
    for (; *link != CAL_NONE; link = &c->next[*link])
        if (c->t[*link] < c->t[*best])
            best = link;
    uint32_t node = *best;
    *best = c->next[node];
    c->next[node] = c->free_top;
    c->free_top = node;
    c->ring_n--;
}

int resource_calendar(struct resource *r, double width_s)
{
    if (!(width_s > 0) || !(1 / width_s < INFINITY) || r->cal)
        return 0; /* no width to bucket by: the heap serves */
    struct resource_cal *c = calloc(1, sizeof *c);
    if (!c || !(c->next = malloc(r->servers * sizeof *c->next)) ||
        !(c->t = malloc(r->servers * sizeof *c->t))) {
        if (c)
            free(c->next);
        free(c);
        return -1;
    }
    c->inv_w = 1 / width_s;
    for (unsigned k = 0; k < CAL_BUCKETS; k++)
        c->head[k] = CAL_NONE;
    for (unsigned n = 0; n < r->servers; n++)
        c->next[n] = n + 1 < r->servers ? n + 1 : CAL_NONE;
    for (unsigned k = 0; k < r->servers + RESOURCE_ARITY; k++)
        r->free_at[k] = INFINITY; /* the overflow heap, empty: every server idle */
    r->cal = c;
    return 0;
}

unsigned resource_calendar_overflow(const struct resource *r)
{
    return r->cal ? r->cal->ov_n : 0;
}

void resource_destroy(struct resource *r)
{
    if (r->cal) {
        free(r->cal->next);
        free(r->cal->t);
        free(r->cal);
    }
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
    double least = r->cal ? cal_least(r) : r->free_at[0];
    double start = least > arrival ? least : arrival;
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
 * down. The heap is 4-ary: a job's new free time is nearly always the
 * latest, so it sinks to a leaf, and four children a level (one or two
 * cache lines, their least picked by arithmetic, not by branches: which is
 * smaller is a coin flip to the processor) halve the levels of a binary
 * heap over thousands of servers. When the last leaf is free too,
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
    if (r->cal) {
        cal_take(r, arrival);
        cal_insert(r, done);
        return done;
    }
    size_t n = r->servers;
    if (h[n - 1] <= arrival) {
        h[n - 1] = done;
        return done;
    }
    heap_sift(h, n, 0, done); /* h[n .. n + 3] are +inf: never picked */
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

double resource_admit_by_start(struct resource *r, double arrival, double service, double deadline,
                               double *start)
{
    *start = start_at(r, arrival, &service);
    if (*start >= deadline) {
        resource_drop(r, arrival, *start);
        return INFINITY;
    }
    return serve(r, arrival, *start, service);
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
