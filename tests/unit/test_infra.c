/* Unit tests of infra: FIFO c-server resources. */
#include <math.h>
#include <stdint.h>

#include "model/resource.h"
#include "test.h"

/* Against a plain FIFO c-server (each job on the earliest-free server, by
 * a linear scan): the same start and end for every job, at light load
 * (the heap's free-leaf path), at overload (its root path) and in
 * between, for heaps of one to 51 servers. Arrivals in time order,
 * exponential gaps and hyperexponential services from a fixed LCG. */
static void test_against_scan(void)
{
    static const unsigned sizes[] = {1, 2, 3, 5, 8, 51};
    static const double loads[] = {0.05, 0.7, 0.95, 1.3};
    uint64_t x = 42;
    int same = 1;
    for (size_t a = 0; a < sizeof sizes / sizeof sizes[0]; a++)
        for (size_t b = 0; b < sizeof loads / sizeof loads[0]; b++) {
            unsigned c = sizes[a];
            struct resource r;
            double free_at[64] = {0}, t = 0, wait = 0;
            if (resource_init(&r, c) != 0)
                return;
            for (int k = 0; k < 20000; k++) {
                x = x * 6364136223846793005ull + 1442695040888963407ull;
                double gap = -log(((double)(x >> 11) + 0.5) * 0x1p-53) / (c * loads[b]);
                x = x * 6364136223846793005ull + 1442695040888963407ull;
                /* hyperexponential: one job in ten 10 times longer (mean 1.9),
                 * so long jobs sit above short ones in the heap */
                double service =
                    -log(((double)(x >> 11) + 0.5) * 0x1p-53) * (x % 10 ? 1 : 10) / 1.9;
                t += gap;
                unsigned best = 0;
                for (unsigned i = 1; i < c; i++)
                    if (free_at[i] < free_at[best])
                        best = i;
                double start = free_at[best] > t ? free_at[best] : t;
                free_at[best] = start + service;
                wait += start - t;
                same &= resource_admit(&r, t, service) == start + service;
            }
            same &= r.wait_s == wait;
            resource_destroy(&r);
        }
    check(same, "every job ends when a linear scan's FIFO c-server ends it");
}

/* A down window and a slowdown, as the reference applies them: a start
 * inside [200, 400) moves to 400; one inside [600, 700) takes twice as
 * long. */
static double ref_outage(double start, double *service)
{
    if (start >= 200 && start < 400)
        start = 400;
    if (start >= 600 && start < 700)
        *service /= 0.5;
    return start;
}

/* resource_admit_by against a linear-scan FIFO c-server whose customers
 * leave unserved when they would start at or after their deadline: the
 * same drops and the same ends, job by job, with and without the two
 * windows above, at loads from light to far past capacity (where most
 * jobs renege), for one to 51 servers. Patience is exponential (mean 3,
 * about twice a service), so deadlines come out of arrival order. */
static void test_reneging_against_scan(void)
{
    static const unsigned sizes[] = {1, 2, 3, 5, 8, 51};
    static const double loads[] = {0.05, 0.7, 0.95, 1.3, 3};
    uint64_t x = 7;
    int same = 1;
    uint64_t drops = 0, served = 0;
    for (int windows = 0; windows < 2; windows++)
        for (size_t a = 0; a < sizeof sizes / sizeof sizes[0]; a++)
            for (size_t b = 0; b < sizeof loads / sizeof loads[0]; b++) {
                unsigned c = sizes[a];
                struct resource r;
                double free_at[64] = {0}, t = 0, wait = 0, drop_wait = 0;
                uint64_t dropped = 0;
                if (resource_init(&r, c) != 0)
                    return;
                if (windows && (resource_add_outage(&r, 200, 400, 0) != 0 ||
                                resource_add_outage(&r, 600, 700, 0.5) != 0))
                    return;
                for (int k = 0; k < 5000; k++) {
                    double u[3];
                    for (int i = 0; i < 3; i++) {
                        x = x * 6364136223846793005ull + 1442695040888963407ull;
                        u[i] = ((double)(x >> 11) + 0.5) * 0x1p-53;
                    }
                    t += -log(u[0]) / (c * loads[b]);
                    double service = -log(u[1]) * (x % 10 ? 1 : 10) / 1.9;
                    double deadline = t - 3 * log(u[2]);
                    unsigned best = 0;
                    for (unsigned i = 1; i < c; i++)
                        if (free_at[i] < free_at[best])
                            best = i;
                    double start = free_at[best] > t ? free_at[best] : t, s = service;
                    if (windows)
                        start = ref_outage(start, &s);
                    double want = INFINITY;
                    if (start < deadline) {
                        free_at[best] = want = start + s;
                        wait += start - t;
                        served++;
                    } else {
                        dropped++;
                        drop_wait += start - t;
                        drops++;
                    }
                    same &= resource_admit_by(&r, t, service, deadline) == want;
                }
                same &= r.wait_s == wait && r.dropped == dropped && r.drop_wait_s == drop_wait;
                resource_destroy(&r);
            }
    check(same, "a job with a deadline is dropped or ends as in a linear scan's reneging FIFO");
    check(drops > 10000 && served > 10000, "both happen often (%llu dropped, %llu served)",
          (unsigned long long)drops, (unsigned long long)served);
}

/* The calendar (resource_calendar) against the heap, job by job: the same
 * start, drop and end for every job of one stream, for one to 3,000
 * servers, from light load (idle servers taken from passed buckets) to far
 * past capacity (the least time found in the first bucket), with buckets
 * of a sixteenth of a service and of a thousandth (a ring too short for
 * the services: times overflow to the heap and come back), with and
 * without the down window and the slowdown, deadlines out of arrival
 * order. */
static void test_calendar_against_heap(void)
{
    static const unsigned sizes[] = {1, 3, 51, 3000};
    static const double loads[] = {0.05, 0.875, 1.3, 3};
    static const double widths[] = {1.0 / 16, 1.0 / 1000};
    uint64_t x = 11;
    int same = 1, built = 1;
    uint64_t jobs = 0, overflowed = 0;
    for (int windows = 0; windows < 2; windows++)
        for (size_t a = 0; a < sizeof sizes / sizeof sizes[0]; a++)
            for (size_t b = 0; b < sizeof loads / sizeof loads[0]; b++)
                for (size_t w = 0; w < 2; w++) {
                    unsigned c = sizes[a];
                    struct resource heap, cal;
                    built &= resource_init(&heap, c) == 0 && resource_init(&cal, c) == 0 &&
                             resource_calendar(&cal, widths[w]) == 0 && cal.cal != NULL;
                    if (windows)
                        built &= resource_add_outage(&heap, 200, 400, 0) == 0 &&
                                 resource_add_outage(&heap, 600, 700, 0.5) == 0 &&
                                 resource_add_outage(&cal, 200, 400, 0) == 0 &&
                                 resource_add_outage(&cal, 600, 700, 0.5) == 0;
                    /* 1,000 s of arrivals (the windows lie within), at most 40,000 jobs. */
                    double t = 0, rate = c * loads[b], end = fmin(1000, 40000 / rate);
                    while (built && t < end) {
                        double u[3];
                        for (int i = 0; i < 3; i++) {
                            x = x * 6364136223846793005ull + 1442695040888963407ull;
                            u[i] = ((double)(x >> 11) + 0.5) * 0x1p-53;
                        }
                        t += -log(u[0]) / rate;
                        double service = -log(u[1]) * (x % 10 ? 1 : 10) / 1.9;
                        double deadline = t - 3 * log(u[2]);
                        same &= resource_admit_by(&heap, t, service, deadline) ==
                                resource_admit_by(&cal, t, service, deadline);
                        overflowed += resource_calendar_overflow(&cal) > 0;
                        jobs++;
                    }
                    same &= heap.wait_s == cal.wait_s && heap.dropped == cal.dropped &&
                            heap.jobs == cal.jobs;
                    resource_destroy(&heap);
                    resource_destroy(&cal);
                }
    check(built && same, "the calendar starts, drops and ends every job as the heap does");
    check(jobs > 1000000 && overflowed > 10000, "over %llu jobs, %llu with times in the overflow",
          (unsigned long long)jobs, (unsigned long long)overflowed);
}

int main(void)
{
    test_plan(30);
    test_against_scan();
    test_reneging_against_scan();
    test_calendar_against_heap();
    struct resource r;
    check(resource_init(&r, 2) == 0, "init two servers");
    /* Three jobs at t=0 of 1 s each on two servers: 1, 1, 2. */
    check_near(resource_admit(&r, 0, 1), 1, 1e-12, "first job served at once");
    check_near(resource_admit(&r, 0, 1), 1, 1e-12, "second job on the other server");
    check_near(resource_admit(&r, 0, 1), 2, 1e-12, "third job waits for a server");
    check_near(r.wait_s, 1, 1e-12, "total wait 1 s");
    check_near(resource_admit(&r, 5, 0.5), 5.5, 1e-12, "an idle system serves at once");
    check(r.jobs == 4, "jobs counted");
    check_near(r.busy_s, 3.5, 1e-12, "busy time summed");
    resource_destroy(&r);

    /* Down from 10 to 14: a job arriving at 11 with a deadline of 12 is
     * dropped and takes no server, so the next, at 13 with patience to 20,
     * starts at 14 on a free server; one that would start exactly at its
     * deadline is dropped too. */
    check(resource_init(&r, 1) == 0 && resource_add_outage(&r, 10, 14, 0) == 0, "init, one outage");
    check(resource_admit_by(&r, 11, 1, 12) == INFINITY,
          "a job that would start after its deadline is dropped");
    check(r.dropped == 1 && r.jobs == 0 && r.drop_wait_s == 3,
          "counted as dropped, its wait to 14 kept");
    check_near(resource_admit_by(&r, 13, 1, 20), 15, 1e-12, "the next starts when the outage ends");
    check(resource_admit_by(&r, 14.5, 1, 15) == INFINITY,
          "a start equal to the deadline is too late");
    check_near(resource_admit_by(&r, 14.5, 1, 15.5), 16, 1e-12,
               "a start before it is served, even past it");
    resource_destroy(&r);

    /* A deterministic D/D/1 at utilization 1 never queues. */
    check(resource_init(&r, 1) == 0, "init one server");
    double done = 0;
    for (int i = 0; i < 1000; i++)
        done = resource_admit(&r, i * 0.1, 0.1);
    check_near(done, 100.0, 1e-9, "D/D/1 at rho 1 finishes on time");
    check_near(r.wait_s, 0, 1e-9, "and nobody waits");
    resource_destroy(&r);

    unsigned c;
    double f;
    resource_scale(64, 1, &c, &f);
    check(c == 64 && f == 1, "sample 1 keeps the resource");
    resource_scale(64, 10, &c, &f);
    check(c == 6 && f > 0.93 && f < 0.94, "sample 10: 6 servers, service x %.4f keeps c/s", f);
    resource_scale(64, 1000, &c, &f);
    check(c == 1 && f > 15.6 && f < 15.7, "sample 1000: 1 server, service x %.3f", f);

    /* A drawn service time is finite whatever the law gave: NaN (a lognormal
     * whose cv^2 overflowed) and infinity become the bound; others pass. */
    check(resource_service_bound(0.02) == 0.02, "a sane draw passes unchanged");
    check(resource_service_bound(0) == 0, "zero passes");
    check(resource_service_bound(NAN) == RESOURCE_SERVICE_MAX_S, "NaN becomes the bound");
    check(resource_service_bound(INFINITY) == RESOURCE_SERVICE_MAX_S, "infinity becomes the bound");
    check(resource_service_bound(2 * RESOURCE_SERVICE_MAX_S) == RESOURCE_SERVICE_MAX_S,
          "above the bound: the bound");
    return test_done();
}
