/* Unit tests of loadtest_wire (a load test's result as bytes and back):
 * a round trip through a file keeps every field (checked field by field,
 * the histograms bucket by bucket, the per-resource histograms and the
 * warnings too), leaves the histograms read back in the result's
 * temporary file, and writes again to the same bytes; merging results read
 * back gives the bytes of merging the originals; bytes cut short, with
 * another magic, or with trailing bytes are refused. Scenario: tests/validation/capacity.yaml
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

/* r written to a fresh temporary file: the file at its start, *len its
 * bytes; NULL when it cannot be written. */
static FILE *written(const struct loadtest_result *r, size_t *len)
{
    FILE *f = tmpfile();
    if (!f || loadtest_wire_write(r, f) < 0 || fflush(f) != 0) {
        if (f)
            fclose(f);
        return NULL;
    }
    *len = (size_t)ftell(f);
    rewind(f);
    return f;
}

/* The file's whole contents, malloc'd (*len bytes). */
static unsigned char *slurp(FILE *f, size_t len)
{
    unsigned char *b = malloc(len + 1);
    rewind(f);
    if (b && fread(b, 1, len, f) != len) {
        free(b);
        return NULL;
    }
    rewind(f);
    return b;
}

/* len bytes of b (the first one xor'd with flip), then `extra` zero bytes,
 * read back as a result: 0, or -1 when refused. */
static int read_bytes(const unsigned char *b, size_t len, unsigned char flip, size_t extra,
                      size_t claim)
{
    FILE *f = tmpfile();
    struct loadtest_result back;
    if (!f)
        return 0;
    fputc(b[0] ^ flip, f);
    fwrite(b + 1, 1, len - 1, f);
    for (size_t i = 0; i < extra; i++)
        fputc(0, f);
    rewind(f);
    int rc = loadtest_wire_read(f, claim, &back);
    loadtest_result_destroy(&back);
    fclose(f);
    return rc;
}

/* r written, read back and written again: the same result and the same
 * bytes; a read of the wrong length or of other bytes is refused. */
static void round_trip(const struct loadtest_result *r)
{
    size_t len = 0, len2 = 0;
    FILE *f = written(r, &len);
    struct loadtest_result back;
    check(f != NULL && len > 0, "a result is written (%zu bytes)", len);
    check(loadtest_wire_read(f, len, &back) == 0, "and read back");
    check(same_result(r, &back), "every field survives the trip");
    check(back.iv[1].latency == NULL && back.iv[back.n_intervals].latency == NULL,
          "the intervals read back have their histograms in the temporary file");
    FILE *f2 = written(&back, &len2);
    unsigned char *b = slurp(f, len), *b2 = f2 ? slurp(f2, len2) : NULL;
    check(b && b2 && len2 == len && !memcmp(b, b2, len), "and are written again to the same bytes");
    loadtest_result_destroy(&back);
    /* Refusals: a cut, a stub, a byte too many (claimed or not), another magic. */
    check(b && read_bytes(b, len - 1, 0, 0, len - 1) < 0, "bytes cut short are refused");
    check(b && read_bytes(b, 3, 0, 0, 3) < 0, "a stub is refused");
    check(b && read_bytes(b, len, 0, 1, len + 1) < 0, "a trailing byte is refused");
    check(b && read_bytes(b, len, 0, 1, len) < 0, "a file longer than its result is refused");
    check(b && read_bytes(b, len, 0xff, 0, len) < 0, "another magic is refused");
    free(b);
    free(b2);
    fclose(f);
    if (f2)
        fclose(f2);
}

/* Merging two replications read back gives the bytes of merging them here. */
static void merge_read_back(const struct scenario *s)
{
    struct loadtest_result a, b, a2, b2;
    size_t la = 0, lb = 0, l1 = 0, l2 = 0;
    check(run(s, 0, &a) == 0 && run(s, 1, &b) == 0, "two replications run");
    FILE *fa = written(&a, &la), *fb = written(&b, &lb);
    check(fa && fb && loadtest_wire_read(fa, la, &a2) == 0 && loadtest_wire_read(fb, lb, &b2) == 0,
          "both travel");
    check(loadtest_result_merge(&a, &b) == 0 && loadtest_result_merge(&a2, &b2) == 0,
          "both pairs merge");
    FILE *m1 = written(&a, &l1), *m2 = written(&a2, &l2);
    unsigned char *c1 = m1 ? slurp(m1, l1) : NULL, *c2 = m2 ? slurp(m2, l2) : NULL;
    check(c1 && c2 && l1 == l2 && !memcmp(c1, c2, l1) && same_result(&a, &a2),
          "the merge of those read back is the merge of the originals");
    free(c1);
    free(c2);
    for (FILE **f = (FILE *[]){fa, fb, m1, m2, NULL}; *f; f++)
        fclose(*f);
    loadtest_result_destroy(&a);
    loadtest_result_destroy(&b);
    loadtest_result_destroy(&a2);
    loadtest_result_destroy(&b2);
}

int main(void)
{
    test_plan(15);
    struct scenario *s = scenario_load("tests/validation/capacity.yaml", NULL, 0, stderr);
    struct loadtest_result r;
    check(s && run(s, 0, &r) == 0 && r.warnings.n > 0 && r.n_faults == 1 &&
              loadtest_interval(&r, 1) && loadtest_interval(&r, 1)->res_latency,
          "a load test with a fault, a warning and per-resource histograms");
    round_trip(&r);
    loadtest_result_destroy(&r);
    merge_read_back(s);
    scenario_free(s);
    return test_done();
}
