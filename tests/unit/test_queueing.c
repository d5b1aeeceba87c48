/* Validation of the queueing resources against queueing theory: an M/M/c
 * queue against Erlang C (mean wait and probability of waiting) at
 * utilization 0.5, 0.8 and 0.95, an M/D/1 queue against Pollaczek-Khinchine,
 * and Little's law (time-average queue = arrival rate x mean wait) on every
 * resource of a load test. Fixed seeds; each tolerance is derived from the
 * run's own variance by batch means (20 batches after a warm-up, Student t
 * at 99.9%), so it is as tight as the sample allows and not guessed.
 * Each comparison is also a row of the validation report (check_row in
 * test.h; make validate). detmath's log draws the times, so the rows are
 * the same on every machine. */
#include <math.h>
#include <stdlib.h>

#include "kernel/detmath.h"
#include "kernel/rng.h"
#include "loadtest/loadtest.h"
#include "metrics/stats.h"
#include "model/resource.h"
#include "scenario/scenario.h"
#include "test.h"

#define BATCHES 20

/* Erlang C: probability that an arrival waits in an M/M/c with offered load
 * a = lambda / mu (< c), by the stable recursion on Erlang B. */
static double erlang_c(unsigned c, double a)
{
    double b = 1;
    for (unsigned k = 1; k <= c; k++)
        b = a * b / (k + a * b);
    double rho = a / c;
    return b / (1 - rho + rho * b);
}

struct queue_stats {
    struct stats_summary wait, waited; /* batch means: wait, share waiting */
};

/* Simulate `n` customers after `warm` on a c-server resource with Poisson
 * arrivals at `lambda` and service `svc(u)` (mean 1 / mu). */
static void simulate(unsigned c, double lambda, int exponential, double mean_s, long warm, long n,
                     uint64_t seed, struct queue_stats *out)
{
    struct resource r;
    gsl_rng *g = rng_new(seed, 0);
    double batch_w[BATCHES] = {0}, batch_p[BATCHES] = {0}, t = 0;
    long per = n / BATCHES;
    resource_init(&r, c);
    for (long i = -warm; i < per * BATCHES; i++) {
        if ((i + warm) % 4096 == 0)
            rng_at(g, 1, (uint64_t)(i + warm) / 4096, 0);
        t += -detmath_log(rng_uniform_pos(g)) / lambda;
        double s = exponential ? -mean_s * detmath_log(rng_uniform_pos(g)) : mean_s;
        double before = r.wait_s;
        resource_admit(&r, t, s);
        double w = r.wait_s - before;
        if (i >= 0) {
            batch_w[i / per] += w / (double)per;
            batch_p[i / per] += (w > 0) / (double)per;
        }
    }
    stats_summarize(batch_w, BATCHES, 1, 0.999, &out->wait);
    stats_summarize(batch_p, BATCHES, 1, 0.999, &out->waited);
    resource_destroy(&r);
    rng_free(g);
}

static void erlang_case(unsigned c, double rho, long warm, long n)
{
    double mu = 1, lambda = rho * c * mu, a = lambda / mu;
    double pw = erlang_c(c, a), wq = pw / (c * mu - lambda);
    struct queue_stats q;
    simulate(c, lambda, 1, 1 / mu, warm, n, 42 + (uint64_t)(rho * 100), &q);
    char what[96];
    snprintf(what, sizeof what, "M/M/%u at rho %.2f: mean wait (x mean service), %ld customers", c,
             rho, n);
    check_row("erlang", what, q.wait.mean, wq, q.wait.half,
              "M/M/%u at rho %.2f: mean wait %.4f vs Erlang C %.4f "
              "(+- %.4f, %ld customers)",
              c, rho, q.wait.mean, wq, q.wait.half, n);
    snprintf(what, sizeof what, "M/M/%u at rho %.2f: share of customers who wait", c, rho);
    check_row("erlang", what, q.waited.mean, pw, q.waited.half,
              "M/M/%u at rho %.2f: P(wait) %.4f vs Erlang C "
              "%.4f (+- %.4f)",
              c, rho, q.waited.mean, pw, q.waited.half);
    /* The tolerance must be a real test: well under the value itself. */
    check(q.wait.half < 0.1 * wq,
          "rho %.2f: the batch-means half-width is under 10%% of the "
          "mean wait",
          rho);
}

/* double11.yaml's resources: the ledger and six operators. */
#define DOUBLE11_RESOURCES 7

/* Little's law on every resource of a load test: the queue's length
 * integrated over time equals the waits summed (served and dropped jobs),
 * and utilization equals the work admitted over capacity. */
static void little(void)
{
    struct scenario *s = scenario_load("scenarios/double11.yaml", NULL, 0, stderr);
    check(s != NULL, "double11.yaml loads");
    if (!s)
        return;
    struct loadtest_options o;
    loadtest_options_default(&o);
    char why[160];
    check(loadtest_spec_profile("ramp:2000:16000:60s", &o.profile, why, sizeof why) == 0,
          "a ramp into overload");
    o.warmup_s = 5;
    o.use_outages = 0;
    struct loadtest_result r;
    check(loadtest_run(s, &o, &r, stderr) == 0, "the load test runs");
    for (size_t i = 0; i < r.n_resources; i++) {
        double T = r.horizon_s, lq = r.res_q_area[i] / T;
        double lambda = (double)r.res_jobs_all[i] / T;
        double w = r.res_wait_s[i] / (double)(r.res_jobs_all[i] ? r.res_jobs_all[i] : 1);
        /* Drops wait too: Little's law counts every job that queued. */
        check(lq > 0, "%s: a queue formed", loadtest_resource_id(s, i));
        char what[96];
        snprintf(what, sizeof what, "%s: mean queue L vs lambda %.1f/s x mean wait %.4f s",
                 loadtest_resource_id(s, i), lambda, w);
        check_row("little", what, lq, lambda * w + r.res_drop_wait_s[i] / T, 1e-6 * (lq + 1),
                  "%s: L = lambda W (L %.3f, lambda %.1f/s, W %.4f s)", loadtest_resource_id(s, i),
                  lq, lambda, w);
    }
    loadtest_result_destroy(&r);
    scenario_free(s);
}

int main(void)
{
    /* Three checks per Erlang case, two for M/D/1, then little(): three,
     * and two per resource of double11.yaml. */
    test_plan(3 * 3 + 2 + 3 + 2 * DOUBLE11_RESOURCES);
    erlang_case(4, 0.5, 100000, 1000000);
    erlang_case(4, 0.8, 100000, 2000000);
    erlang_case(4, 0.95, 1000000, 10000000);

    /* M/D/1 against Pollaczek-Khinchine: Wq = rho s / (2 (1 - rho)). */
    struct queue_stats q;
    double s = 0.01, rho = 0.8, wq = rho * s / (2 * (1 - rho));
    simulate(1, rho / s, 0, s, 100000, 2000000, 7, &q);
    check_row("pk", "M/D/1 at rho 0.80: mean wait (s), service 10 ms, 2000000 customers",
              q.wait.mean, wq, q.wait.half,
              "M/D/1 at rho 0.8: mean wait %.5f vs P-K %.5f (+- %.5f)", q.wait.mean, wq,
              q.wait.half);
    check_row("pk", "M/D/1 at rho 0.80: share of customers who wait (= rho)", q.waited.mean, rho,
              q.waited.half, "M/D/1: P(wait) = rho (%.4f)", q.waited.mean);

    little();
    return test_done();
}
