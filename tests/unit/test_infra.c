/* Unit tests of infra: FIFO c-server resources. */
#include <math.h>
#include <stdint.h>

#include "infra.h"
#include "test.h"

/* Against a plain FIFO c-server (each job on the earliest-free server, by
 * a linear scan): the same start and end for every job, at light load
 * (the heap's free-leaf path), at overload (its root path) and in
 * between, for heaps of one to 51 servers. Arrivals in time order,
 * exponential gaps and hyperexponential services from a fixed LCG. */
static void test_against_scan(void) {
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
                double service = -log(((double)(x >> 11) + 0.5) * 0x1p-53) * (x % 10 ? 1 : 10) / 1.9;
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

int main(void) {
    test_against_scan();
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
    return test_done();
}
