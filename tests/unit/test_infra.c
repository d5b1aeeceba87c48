/* Unit tests of infra: FIFO c-server resources. */
#include "infra.h"
#include "test.h"

int main(void) {
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
