/* capacity: bisection on the offered rate with replications (capacity.h). */
#include "loadtest/capacity.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/stats.h"

/* One soak at `rate` with replication `rep`: 1 pass, 0 fail, -1 no memory.
 * With `util` the resources' utilization over the soak is filled too. The
 * run's warnings go to w. */
static int probe(const struct scenario *s, const struct loadtest_options *base, double rate,
                 double duration, unsigned rep, double *util, struct warnings *w, FILE *err)
{
    struct loadtest_options o = *base;
    loadtest_spec_soak(&o.profile, rate, duration);
    o.interval_s = duration; /* one interval: the soak judged whole */
    o.replication = rep;
    o.keep_resources = 0;
    o.span = "a capacity probe's soak";
    struct loadtest_result r;
    if (loadtest_run(s, &o, &r, err) < 0) {
        loadtest_result_destroy(&r);
        return -1;
    }
    struct slo_sample smp = loadtest_sample(&r.total);
    int pass = slo_judge(&o.slo, &smp, NULL);
    /* Busy time is clipped to the soak (the drain after it is not counted). */
    for (size_t i = 0; util && i < r.n_resources; i++)
        util[i] = r.total.busy_s[i] / ((double)r.servers[i] * duration);
    if (smp.payments < CAPACITY_FEW_PAYMENTS &&
        warnings_add(w,
                     "a capacity probe of %.6g s at %.6g payments/s judged %llu payments "
                     "(fewer than %d): its verdict is noise; lengthen --capacity-duration or "
                     "raise the range",
                     duration, rate, (unsigned long long)smp.payments, CAPACITY_FEW_PAYMENTS) < 0)
        pass = -1;
    if (warnings_merge(w, &r.warnings) < 0)
        pass = -1;
    if (pass < 0)
        fputs("pilotsim: loadtest: out of memory\n", err);
    loadtest_result_destroy(&r);
    return pass;
}

static void note(FILE *log, unsigned rep, double rate, int pass)
{
    if (log)
        fprintf(log, "  capacity: replication %u, %.6g payments/s: %s\n", rep + 1, rate,
                pass ? "SLO holds" : "SLO fails");
}

/* One replication's search: the highest passing rate (0 if lo fails). */
static int search_one(const struct scenario *s, const struct loadtest_options *base,
                      const struct capacity_params *p, unsigned rep, double *cap, int *ceiling,
                      unsigned *probes, struct warnings *w, FILE *log, FILE *err)
{
    double lo = p->lo, hi = p->hi;
    int pass = probe(s, base, lo, p->duration_s, rep, NULL, w, err);
    ++*probes;
    note(log, rep, lo, pass);
    if (pass <= 0) {
        *cap = 0;
        return pass;
    }
    pass = probe(s, base, hi, p->duration_s, rep, NULL, w, err);
    ++*probes;
    note(log, rep, hi, pass);
    if (pass < 0)
        return -1;
    if (pass) {
        *cap = hi;
        *ceiling = 1;
        return 1;
    }
    /* Invariant: lo passes, hi fails. */
    while (hi - lo > p->tol * lo) {
        double mid = 0.5 * (lo + hi);
        pass = probe(s, base, mid, p->duration_s, rep, NULL, w, err);
        ++*probes;
        note(log, rep, mid, pass);
        if (pass < 0)
            return -1;
        if (pass)
            lo = mid;
        else
            hi = mid;
    }
    *cap = lo;
    return 1;
}

int capacity_search(const struct scenario *s, const struct loadtest_options *base,
                    const struct capacity_params *p, struct capacity_result *out, FILE *log,
                    FILE *err)
{
    memset(out, 0, sizeof *out);
    out->replications = p->replications ? p->replications : 1;
    out->n_resources = s->n_operators + 1;
    out->per_rep = calloc(out->replications, sizeof *out->per_rep);
    out->utilization = calloc(out->n_resources, sizeof *out->utilization);
    if (!out->per_rep || !out->utilization) {
        fputs("pilotsim: loadtest: out of memory\n", err);
        return -1;
    }
    out->found = 1;
    for (unsigned r = 0; r < out->replications; r++) {
        int rc = search_one(s, base, p, r, &out->per_rep[r], &out->at_ceiling, &out->probes,
                            &out->warnings, log, err);
        if (rc < 0)
            return -1;
        if (rc == 0)
            out->found = 0;
    }
    struct stats_summary sum;
    stats_summarize(out->per_rep, out->replications, 1, STATS_LEVEL, &sum);
    out->ci_lo = sum.lo;
    out->ci_hi = sum.hi;
    if (!out->found) {
        out->capacity_per_s = 0;
        return 0;
    }
    out->capacity_per_s = sum.mean;
    /* The bottleneck: who is busiest when the system runs at its capacity. */
    if (probe(s, base, out->capacity_per_s, p->duration_s, 0, out->utilization, &out->warnings,
              err) < 0)
        return -1;
    out->probes++;
    for (size_t i = 1; i < out->n_resources; i++)
        if (out->utilization[i] > out->utilization[out->bottleneck])
            out->bottleneck = i;
    return 0;
}

void capacity_result_destroy(struct capacity_result *r)
{
    free(r->per_rep);
    free(r->utilization);
    warnings_destroy(&r->warnings);
    memset(r, 0, sizeof *r);
}
