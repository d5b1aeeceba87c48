/* Unit tests of loadtest_wire (a load test's result as bytes and back):
 * a round trip keeps every field (checked field by field, the histograms
 * bucket by bucket, the per-resource histograms and the warnings too) and
 * packs again to the same bytes; merging unpacked results gives the bytes
 * of merging the originals; bytes cut short, with another magic, or with
 * trailing bytes are refused. Scenario: tests/validation/capacity.yaml
 * with a fault (so faults and warnings travel). */
#include <stdlib.h>
#include <string.h>

#include "loadtest/loadtest_wire.h"
#include "metrics/hist.h"
#include "test.h"

/* A short load test of replication rep, per-resource histograms kept, with
 * a fault past the profile (a warning). */
static int run(const struct scenario *s, unsigned rep, struct loadtest_result *r)
{
    static const struct loadtest_fault fault = {.resource = 0, .from_s = 30, .until_s = 31};
    struct loadtest_options o;
    char why[256];
    loadtest_options_default(&o);
    o.warmup_s = 2;
    o.interval_s = 2;
    o.replication = rep;
    o.keep_resources = 1;
    o.faults = &fault;
    o.n_faults = 1;
    if (loadtest_spec_profile("ramp:200:1200:6s", &o.profile, why, sizeof why) < 0)
        return -1;
    return loadtest_run(s, &o, r, stderr);
}

static int same_hist(const struct hist *a, const struct hist *b)
{
    return a->count == b->count && a->max_ns == b->max_ns && a->sum_s == b->sum_s &&
           (!a->count || (a->lo == b->lo && a->hi == b->hi)) &&
           !memcmp(a->bucket, b->bucket, sizeof a->bucket);
}

static int same_interval(const struct loadtest_interval *a, const struct loadtest_interval *b,
                         size_t nres)
{
    int same = a->t0 == b->t0 && a->t1 == b->t1 && a->offered == b->offered &&
               a->attempts == b->attempts && a->ok == b->ok && a->failed == b->failed &&
               a->done == b->done && a->timeouts == b->timeouts && a->drops == b->drops &&
               a->value_fen == b->value_fen && same_hist(a->latency, b->latency) &&
               !memcmp(a->busy_s, b->busy_s, nres * sizeof *a->busy_s) &&
               !memcmp(a->jobs, b->jobs, nres * sizeof *a->jobs) &&
               !memcmp(a->wait_s, b->wait_s, nres * sizeof *a->wait_s) &&
               !memcmp(a->max_queue, b->max_queue, nres * sizeof *a->max_queue) &&
               !a->res_latency == !b->res_latency;
    for (size_t r = 0; same && a->res_latency && r < nres; r++)
        same = same_hist(a->res_latency[r], b->res_latency[r]);
    return same;
}

/* Every field of a and b, arrays element by element. */
static int same_result(const struct loadtest_result *a, const struct loadtest_result *b)
{
    size_t nres = a->n_resources;
    int same = a->n_resources == b->n_resources && a->n_intervals == b->n_intervals &&
               a->n_faults == b->n_faults && a->horizon_s == b->horizon_s &&
               a->events == b->events &&
               !memcmp(a->servers, b->servers, nres * sizeof *a->servers) &&
               !memcmp(a->res_wait_s, b->res_wait_s, nres * sizeof *a->res_wait_s) &&
               !memcmp(a->res_q_area, b->res_q_area, nres * sizeof *a->res_q_area) &&
               !memcmp(a->res_drop_wait_s, b->res_drop_wait_s, nres * sizeof *a->res_drop_wait_s) &&
               !memcmp(a->res_jobs_all, b->res_jobs_all, nres * sizeof *a->res_jobs_all) &&
               !memcmp(a->faults, b->faults, a->n_faults * sizeof *a->faults) &&
               a->warnings.n == b->warnings.n && same_interval(&a->total, &b->total, nres);
    /* A run's closed intervals are in its temporary file: read back. */
    for (size_t i = 0; same && i <= a->n_intervals; i++) {
        const struct loadtest_interval *ia = loadtest_interval(a, i), *ib = loadtest_interval(b, i);
        same = ia && ib && same_interval(ia, ib, nres);
    }
    for (size_t i = 0; same && i < a->warnings.n; i++)
        same = !strcmp(a->warnings.lines[i], b->warnings.lines[i]);
    return same;
}

/* r packed, unpacked and packed again: the same result and the same bytes. */
static void round_trip(const struct loadtest_result *r)
{
    size_t len = 0, len2 = 0;
    void *buf = loadtest_wire_pack(r, &len);
    struct loadtest_result back;
    check(buf != NULL && len > 0, "a result packs (%zu bytes)", len);
    check(loadtest_wire_unpack(buf, len, &back) == 0, "and unpacks");
    check(same_result(r, &back), "every field survives the trip");
    check(back.iv[1].latency == NULL && back.iv[back.n_intervals].latency == NULL,
          "the unpacked intervals' histograms wait in the temporary file");
    void *buf2 = loadtest_wire_pack(&back, &len2);
    check(buf2 && len2 == len && !memcmp(buf, buf2, len), "and packs again to the same bytes");
    free(buf2);
    loadtest_result_destroy(&back);
    /* Refusals: a cut, another magic, a byte too many. */
    check(loadtest_wire_unpack(buf, len - 1, &back) < 0, "bytes cut short are refused");
    loadtest_result_destroy(&back);
    check(loadtest_wire_unpack(buf, 3, &back) < 0, "a stub is refused");
    loadtest_result_destroy(&back);
    unsigned char *more = malloc(len + 1);
    memcpy(more, buf, len);
    more[len] = 0;
    check(loadtest_wire_unpack(more, len + 1, &back) < 0, "a trailing byte is refused");
    loadtest_result_destroy(&back);
    more[0] ^= 0xff;
    check(loadtest_wire_unpack(more, len, &back) < 0, "another magic is refused");
    loadtest_result_destroy(&back);
    free(more);
    free(buf);
}

/* Merging two replications unpacked gives the bytes of merging them here. */
static void merge_unpacked(const struct scenario *s)
{
    struct loadtest_result a, b, a2, b2;
    size_t la, lb, l1, l2;
    check(run(s, 0, &a) == 0 && run(s, 1, &b) == 0, "two replications run");
    void *pa = loadtest_wire_pack(&a, &la), *pb = loadtest_wire_pack(&b, &lb);
    check(pa && pb && loadtest_wire_unpack(pa, la, &a2) == 0 &&
              loadtest_wire_unpack(pb, lb, &b2) == 0,
          "both travel");
    check(loadtest_result_merge(&a, &b) == 0 && loadtest_result_merge(&a2, &b2) == 0,
          "both pairs merge");
    void *m1 = loadtest_wire_pack(&a, &l1), *m2 = loadtest_wire_pack(&a2, &l2);
    check(m1 && m2 && l1 == l2 && !memcmp(m1, m2, l1) && same_result(&a, &a2),
          "the merge of the unpacked is the merge of the originals");
    free(pa);
    free(pb);
    free(m1);
    free(m2);
    loadtest_result_destroy(&a);
    loadtest_result_destroy(&b);
    loadtest_result_destroy(&a2);
    loadtest_result_destroy(&b2);
}

int main(void)
{
    test_plan(14);
    struct scenario *s = scenario_load("tests/validation/capacity.yaml", NULL, 0, stderr);
    struct loadtest_result r;
    check(s && run(s, 0, &r) == 0 && r.warnings.n > 0 && r.n_faults == 1 &&
              loadtest_interval(&r, 1) && loadtest_interval(&r, 1)->res_latency,
          "a load test with a fault, a warning and per-resource histograms");
    round_trip(&r);
    loadtest_result_destroy(&r);
    merge_unpacked(s);
    scenario_free(s);
    return test_done();
}
