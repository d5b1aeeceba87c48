/* capacity: bisection on the offered rate with replications (capacity.h). */
#include "loadtest/capacity.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/stats.h"

/* A search in progress: its parameters, what it has found, its log. */
struct search {
    const struct scenario *s;
    const struct loadtest_options *base;
    const struct capacity_params *p;
    struct capacity_result *out;
    size_t cap_probe; /* room in out->probe */
    FILE *err;
    /* Where the search is, for the progress bound. */
    unsigned rep;  /* the replication searching */
    int stage;     /* 0 before its lowest rate, 1 before its highest, 2 bisecting, 3 done */
    double lo, hi; /* its bracket while bisecting */
};

/* Halvings left for a bracket [lo, hi] to close within tol of lo: an upper
 * bound, as lo only grows. */
static unsigned halvings(double lo, double hi, double tol)
{
    double k = ceil(log2((hi - lo) / (tol * lo)));
    return k > 0 && isfinite(k) ? (unsigned)k : 0;
}

unsigned capacity_probes_bound(const struct capacity_params *p)
{
    unsigned R = p->replications ? p->replications : 1;
    return R * (2 + halvings(p->lo, p->hi, p->tol)) + 1;
}

/* The probes left, this one included: at most the current replication's,
 * the later ones' whole searches, and the bottleneck's soak. */
static unsigned probes_left(const struct search *S)
{
    const struct capacity_params *p = S->p;
    unsigned whole = 2 + halvings(p->lo, p->hi, p->tol);
    unsigned now = S->stage == 0   ? whole
                   : S->stage == 1 ? whole - 1
                   : S->stage == 2 ? halvings(S->lo, S->hi, p->tol)
                                   : 0;
    return now + (S->out->replications - S->rep - 1) * whole + 1;
}

/* Keep probe g in the log; 0, or -1 on no memory. */
static int keep(struct search *S, const struct capacity_probe *g)
{
    struct capacity_result *out = S->out;
    if (out->n_probe == S->cap_probe) {
        size_t n = S->cap_probe ? 2 * S->cap_probe : 32;
        struct capacity_probe *p = realloc(out->probe, n * sizeof *p);
        if (!p)
            return -1;
        out->probe = p;
        S->cap_probe = n;
    }
    out->probe[out->n_probe++] = *g;
    return 0;
}

/* Whether a fault of the run overlaps its soak [0, duration). */
static int soak_faulted(const struct loadtest_result *r, double duration)
{
    for (size_t k = 0; k < r->n_faults; k++)
        if (r->faults[k].fault.from_s < duration && r->faults[k].fault.until_s > 0)
            return 1;
    return 0;
}

/* One soak at `rate` with replication `rep`: 1 pass, 0 fail, -1 no memory.
 * With `util` the resources' utilization over the soak is filled too (the
 * bottleneck's soak, not logged); else the probe is logged. */
static int probe(struct search *S, double rate, unsigned rep, double *util)
{
    const struct capacity_params *p = S->p;
    double duration = p->duration_s;
    struct loadtest_options o = *S->base;
    struct warnings *w = &S->out->warnings;
    if (p->step)
        p->step(p->step_ctx, S->out->probes, S->out->probes + (util ? 1 : probes_left(S)));
    loadtest_spec_soak(&o.profile, rate, duration);
    o.interval_s = duration; /* one interval: the soak judged whole */
    o.replication = rep;
    o.keep_resources = 0;
    o.span = "a capacity probe's soak";
    struct loadtest_result r;
    if (loadtest_run(S->s, &o, &r, S->err) < 0) {
        loadtest_result_destroy(&r);
        return -1;
    }
    S->out->probes++;
    struct slo_sample smp = loadtest_sample(&r.total);
    int pass = slo_judge(&o.slo, &smp, NULL);
    /* Busy time is clipped to the soak (the drain after it is not counted). */
    for (size_t i = 0; util && i < r.n_resources; i++)
        util[i] = r.total.busy_s[i] / ((double)r.servers[i] * duration);
    struct capacity_probe g = {.replication = rep,
                               .offered_per_s = rate,
                               .achieved_per_s = (double)r.total.done / duration,
                               .p99_ms = hist_quantile(r.total.latency, 0.99) * 1e3,
                               .failed_share =
                                   smp.payments ? (double)smp.failed / (double)smp.payments : 0,
                               .payments = (unsigned long long)smp.payments,
                               .pass = pass,
                               .faults = soak_faulted(&r, duration)};
    if ((!util && keep(S, &g) < 0) ||
        (smp.payments < CAPACITY_FEW_PAYMENTS &&
         warnings_add(w,
                      "a capacity probe of %.6g s at %.6g payments/s judged %llu payments "
                      "(fewer than %d): its verdict is noise; lengthen --capacity-duration or "
                      "raise the range",
                      duration, rate, (unsigned long long)smp.payments, CAPACITY_FEW_PAYMENTS) < 0))
        pass = -1;
    if (warnings_merge(w, &r.warnings) < 0)
        pass = -1;
    if (pass < 0)
        fputs("pilotsim: loadtest: out of memory\n", S->err);
    loadtest_result_destroy(&r);
    return pass;
}

/* One replication's search: the highest passing rate (0 if lo fails). */
static int search_one(struct search *S, unsigned rep, double *cap)
{
    const struct capacity_params *p = S->p;
    double lo = p->lo, hi = p->hi;
    S->rep = rep;
    S->stage = 0;
    int pass = probe(S, lo, rep, NULL);
    S->stage = 3;
    if (pass <= 0) {
        *cap = 0;
        return pass;
    }
    S->stage = 1;
    pass = probe(S, hi, rep, NULL);
    S->stage = 3;
    if (pass < 0)
        return -1;
    if (pass) {
        *cap = hi;
        S->out->at_ceiling = 1;
        return 1;
    }
    /* Invariant: lo passes, hi fails. */
    S->stage = 2;
    while (hi - lo > p->tol * lo) {
        double mid = 0.5 * (lo + hi);
        S->lo = lo;
        S->hi = hi;
        pass = probe(S, mid, rep, NULL);
        if (pass < 0)
            return -1;
        if (pass)
            lo = mid;
        else
            hi = mid;
    }
    S->stage = 3;
    *cap = lo;
    return 1;
}

int capacity_search(const struct scenario *s, const struct loadtest_options *base,
                    const struct capacity_params *p, struct capacity_result *out, FILE *err)
{
    struct search S = {.s = s, .base = base, .p = p, .out = out, .err = err};
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
        int rc = search_one(&S, r, &out->per_rep[r]);
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
    if (probe(&S, out->capacity_per_s, 0, out->utilization) < 0)
        return -1;
    for (size_t i = 1; i < out->n_resources; i++)
        if (out->utilization[i] > out->utilization[out->bottleneck])
            out->bottleneck = i;
    return 0;
}

void capacity_result_destroy(struct capacity_result *r)
{
    free(r->per_rep);
    free(r->utilization);
    free(r->probe);
    warnings_destroy(&r->warnings);
    memset(r, 0, sizeof *r);
}
