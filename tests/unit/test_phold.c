/* test_phold: PHOLD's determinism (same arguments, same events and
 * checksum), its event count against the model's expectation, parameter
 * checks and the JSON line. */
#include <math.h>
#include <string.h>

#include "kernel/phold.h"
#include "test.h"

static void test_determinism(void)
{
    struct phold_params p = phold_params_default();
    struct phold_result a, b, c;
    p.lps = 256;
    p.population = 8;
    p.end = 100.0;
    check(phold_run(&p, &a) == 0 && phold_run(&p, &b) == 0, "two runs");
    check(a.events == b.events && a.checksum == b.checksum,
          "same arguments, same events (%llu) and checksum (%llu)", (unsigned long long)a.events,
          (unsigned long long)a.checksum);
    check(a.pending_peak == 256 * 8, "population stays constant: peak %llu",
          (unsigned long long)a.pending_peak);
    /* each of the N M chains advances by X per event, from a first event at
     * about X: about N M (T - X) / X events, a sum of N M renewal counts whose
     * standard deviation is about sqrt(N M T / X) (exponential gaps) */
    double want = 256.0 * 8 * (100.0 - 1.0), sd = sqrt(256.0 * 8 * 100.0);
    check_near((double)a.events, want, 5 * sd + 0.01 * want, "event count near N M T / X");
    p.seed = 2;
    check(phold_run(&p, &c) == 0 && c.checksum != a.checksum, "another seed, another run");
    /* a pinned golden value: any change to the engine's order, the rng or
     * rng_neglog shows up here (update it only for an intended change) */
    p.seed = 1;
    p.lps = 64;
    p.population = 4;
    p.end = 50.0;
    check(phold_run(&p, &c) == 0, "small run");
    printf("# golden: events %llu checksum %llu\n", (unsigned long long)c.events,
           (unsigned long long)c.checksum);
    check(c.events == 12713 && c.checksum == 2798444890932040ull, "golden checksum");
}

static void test_params(void)
{
    struct phold_params p = phold_params_default();
    struct phold_result r;
    check(p.lps == 1024 && p.population == 16 && p.remote == 0.25 && p.lookahead == 0.1 &&
              p.mean == 1.0 && p.end == 1000.0,
          "defaults");
    p.lps = 0;
    check(phold_run(&p, &r) == -1, "lps 0 rejected");
    p = phold_params_default();
    p.remote = 1.5;
    check(phold_run(&p, &r) == -1, "remote > 1 rejected");
    p = phold_params_default();
    p.mean = 0.05;
    check(phold_run(&p, &r) == -1, "mean < lookahead rejected");
    p = phold_params_default();
    p.end = INFINITY;
    check(phold_run(&p, &r) == -1, "infinite end rejected");
    /* the extremes run: all remote, no lookahead, one LP */
    p = phold_params_default();
    p.lps = 1;
    p.population = 3;
    p.remote = 1.0;
    p.lookahead = 0.0;
    p.end = 10.0;
    check(phold_run(&p, &r) == 0 && r.events > 0, "one LP, all remote, no lookahead");
}

static void test_json(void)
{
    struct phold_result r = {10, 4, 12345, 0.5, 20.0, 33.5};
    char buf[512] = {0};
    FILE *f = tmpfile();
    check(f && phold_write_json(&r, f) == 0, "write json");
    rewind(f);
    check(fgets(buf, sizeof buf, f) != NULL, "read back");
    fclose(f);
    check(strstr(buf, "\"events\": 10,") && strstr(buf, "\"wall_s\": 0.5") &&
              strstr(buf, "\"events_per_s\": 20,") && strstr(buf, "\"pending_peak\": 4,") &&
              strstr(buf, "\"bytes_per_pending\": 33.5") && strstr(buf, "\"checksum\": 12345") &&
              buf[0] == '{' && strchr(buf, '}'),
          "json line: %.*s", (int)strcspn(buf, "\n"), buf);
}

int main(void)
{
    test_plan(16);
    test_determinism();
    test_params();
    test_json();
    return test_done();
}
