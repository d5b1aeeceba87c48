/* capacity: bisection on the offered rate with replications, its probes
 * judged several at once (capacity.h).
 *
 * A search is a walk down a fixed decision tree: probe lo, then hi, then
 * the midpoints of the brackets. Its state (struct step) says which rate
 * it needs next; a verdict moves it on. The rates are computed by the same
 * arithmetic (0.5 * (lo + hi)) wherever a state is reached, so a rate
 * guessed ahead of the walk is bit for bit the rate the walk will ask for,
 * and a probe is found again by its exact rate. */
#include "loadtest/capacity.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "loadtest/loadtest_farm.h"
#include "loadtest/loadtest_wire.h"
#include "metrics/stats.h"

enum stage { AT_LO, AT_HI, BISECTING, DONE };

/* Where a search is: the rate it needs next follows from this alone. */
struct step {
    enum stage stage;
    double lo, hi;  /* the bracket (AT_HI, BISECTING) */
    double result;  /* DONE: the search's result (0: lo failed) */
    int found;      /* DONE: lo passed */
    int at_ceiling; /* DONE: hi passed */
};

/* A probe judged: what the log and the warnings take from it. */
struct known {
    double rate;
    int pass;
    struct capacity_probe g;
    struct warnings w; /* its own: few payments, the run's (merged in the walk's order) */
};

/* One replication's search: its walk and every probe judged for it. */
struct walk {
    struct step at;
    struct known *known; /* [n_known] in the order they came */
    size_t n_known, cap_known;
    size_t *path; /* [n_path] indices into known: the walk's probes in order */
    size_t n_path, cap_path;
};

/* A probe to run in a round: a worker reads it from the round's table. */
struct task {
    unsigned rep;
    double rate;
    int bottleneck; /* the soak at the capacity: utilization wanted, not logged */
};

/* A search in progress. */
struct search {
    const struct scenario *s;
    const struct loadtest_options *base;
    const struct capacity_params *p;
    struct capacity_result *out;
    FILE *err;
    struct walk *walk; /* [replications] */
    struct task *task; /* [jobs] this round's probes */
    size_t n_task;
    unsigned jobs;
    struct warnings neck_warnings; /* the bottleneck soak's (said after every walk's) */
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

/* The probes a walk at `at` may still run: an upper bound. */
static unsigned walk_bound(const struct capacity_params *p, const struct step *at)
{
    unsigned whole = 2 + halvings(p->lo, p->hi, p->tol);
    return at->stage == AT_LO       ? whole
           : at->stage == AT_HI     ? whole - 1
           : at->stage == BISECTING ? halvings(at->lo, at->hi, p->tol)
                                    : 0;
}

/* A bisection whose bracket is within tol of its lower end is done. */
static struct step settle(struct step at, double tol)
{
    if (at.stage == BISECTING && !(at.hi - at.lo > tol * at.lo))
        return (struct step){.stage = DONE, .result = at.lo, .found = 1};
    return at;
}

/* The rate the walk at `at` probes next (not DONE). */
static double wanted(const struct step *at)
{
    return at->stage == AT_LO ? at->lo : at->stage == AT_HI ? at->hi : 0.5 * (at->lo + at->hi);
}

/* The walk after the verdict on wanted(at). */
static struct step advance(struct step at, int pass, double tol)
{
    double mid = wanted(&at);
    switch (at.stage) {
    case AT_LO:
        return pass ? (struct step){.stage = AT_HI, .lo = at.lo, .hi = at.hi}
                    : (struct step){.stage = DONE};
    case AT_HI:
        return pass ? (struct step){.stage = DONE, .result = at.hi, .found = 1, .at_ceiling = 1}
                    : settle((struct step){.stage = BISECTING, .lo = at.lo, .hi = at.hi}, tol);
    case BISECTING: /* invariant: lo passes, hi fails */
        if (pass)
            at.lo = mid;
        else
            at.hi = mid;
        return settle(at, tol);
    case DONE:
        break;
    }
    return at;
}

/* The probe of walk w at exactly `rate`, or NULL. */
static const struct known *find(const struct walk *w, double rate)
{
    for (size_t i = 0; i < w->n_known; i++)
        if (w->known[i].rate == rate)
            return &w->known[i];
    return NULL;
}

/* Move walk w on over the probes it has; 0, or -1 on no memory. */
static int walk_on(struct walk *w, double tol)
{
    const struct known *k;
    while (w->at.stage != DONE && (k = find(w, wanted(&w->at)))) {
        if (w->n_path == w->cap_path) {
            size_t n = w->cap_path ? 2 * w->cap_path : 16;
            size_t *p = realloc(w->path, n * sizeof *p);
            if (!p)
                return -1;
            w->path = p;
            w->cap_path = n;
        }
        w->path[w->n_path++] = (size_t)(k - w->known);
        w->at = advance(w->at, k->pass, tol);
    }
    return 0;
}

/* ---- a round: the rates most likely wanted, probed at once ---- */

/* A rate a walk may want, and how likely: 1 for the next probe and the
 * probes after it that the search expects (hi after lo, the midpoint after
 * hi), halved at each bisection ahead (either half may be kept). */
struct guess {
    unsigned rep;
    double rate;
    double weight;
    size_t order; /* its place in the walk's breadth-first order */
};

/* A state of the tree ahead of a walk, and its weight. */
struct ahead {
    struct step at;
    double weight;
};

/* Up to `max` rates walk w may want, breadth first from where it is
 * (through the probes it already has), appended at g[*n]; -1 on no
 * memory. Every rate of the tree lies in its own bracket, so none comes
 * twice. */
static int guesses_of(const struct walk *w, unsigned rep, size_t max, double tol, struct guess *g,
                      size_t *n)
{
    /* Each state taken adds at most two; a known probe adds one. */
    size_t head = 0, tail = 0, emitted = 0;
    struct ahead *q = malloc((2 * max + w->n_known + 2) * sizeof *q);
    if (!q)
        return -1;
    q[tail++] = (struct ahead){w->at, 1};
    while (head < tail && emitted < max) {
        struct ahead a = q[head++];
        if (a.at.stage == DONE)
            continue;
        double rate = wanted(&a.at), half = a.at.stage == BISECTING ? a.weight / 2 : a.weight;
        const struct known *k = find(w, rate);
        if (k) {
            q[tail++] = (struct ahead){advance(a.at, k->pass, tol), a.weight};
            continue;
        }
        g[(*n)++] = (struct guess){rep, rate, a.weight, emitted++};
        /* lo failing and hi passing end the search: no probe after them */
        if (a.at.stage != AT_HI)
            q[tail++] = (struct ahead){advance(a.at, 1, tol), half};
        if (a.at.stage != AT_LO)
            q[tail++] = (struct ahead){advance(a.at, 0, tol), half};
    }
    free(q);
    return 0;
}

/* The likeliest first; then the earlier replication, then breadth first. */
static int guess_cmp(const void *pa, const void *pb)
{
    const struct guess *a = pa, *b = pb;
    if (a->weight != b->weight)
        return a->weight > b->weight ? -1 : 1;
    if (a->rep != b->rep)
        return a->rep < b->rep ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

/* This round's probes: the `jobs` likeliest rates over the walks not
 * done. The first walk's next probe is always among them, so every round
 * moves a walk. Later walks are not asked once enough sure rates are in
 * hand (they could only tie and lose). 0, or -1 on no memory. */
static int pick(struct search *S)
{
    size_t max = S->jobs, n = 0, sure = 0;
    struct guess *g = NULL;
    for (unsigned r = 0; r < S->out->replications && sure < max && n < 64 * max; r++) {
        if (S->walk[r].at.stage == DONE)
            continue;
        struct guess *more = realloc(g, (n + max) * sizeof *g);
        if (!more || guesses_of(&S->walk[r], r, max, S->p->tol, (g = more), &n) < 0) {
            free(more ? more : g);
            return -1;
        }
        for (size_t i = 0; i < n; i++)
            sure += g[i].rep == r && g[i].weight == 1;
    }
    qsort(g, n, sizeof *g, guess_cmp);
    S->n_task = n < max ? n : max;
    for (size_t i = 0; i < S->n_task; i++)
        S->task[i] = (struct task){g[i].rep, g[i].rate, 0};
    free(g);
    return 0;
}

/* ---- a probe, in a worker ---- */

/* Whether a fault of the run overlaps its soak [0, duration). */
static int soak_faulted(const struct loadtest_result *r, double duration)
{
    for (size_t k = 0; k < r->n_faults; k++)
        if (r->faults[k].fault.from_s < duration && r->faults[k].fault.until_s > 0)
            return 1;
    return 0;
}

/* Probe k's verdict, log line and warnings from its soak r. 0, or -1 on
 * no memory. */
static int judge(const struct search *S, const struct loadtest_options *o,
                 const struct loadtest_result *r, struct known *k)
{
    double duration = S->p->duration_s;
    struct slo_sample smp = loadtest_sample(&r->total);
    k->pass = slo_judge(&o->slo, &smp, NULL);
    k->g = (struct capacity_probe){.offered_per_s = k->rate,
                                   .achieved_per_s = (double)r->total.done / duration,
                                   .p99_ms = hist_quantile(r->total.latency, 0.99) * 1e3,
                                   .failed_share =
                                       smp.payments ? (double)smp.failed / (double)smp.payments : 0,
                                   .payments = (unsigned long long)smp.payments,
                                   .pass = k->pass,
                                   .faults = soak_faulted(r, duration)};
    if (smp.payments < CAPACITY_FEW_PAYMENTS &&
        warnings_add(&k->w,
                     "a capacity probe of %.6g s at %.6g payments/s judged %llu payments "
                     "(fewer than %d): its verdict is noise; lengthen --capacity-duration or "
                     "raise the range",
                     duration, k->rate, (unsigned long long)smp.payments,
                     CAPACITY_FEW_PAYMENTS) < 0)
        return -1;
    return warnings_merge(&k->w, &r->warnings);
}

/* A loadtest_farm_work_fn: the soak of task i as bytes (its verdict, its
 * log line, the utilization of each resource, its warnings). */
static int probe_work(void *ctx, uint64_t i, FILE *out)
{
    const struct search *S = ctx;
    const struct task *t = &S->task[i];
    double duration = S->p->duration_s;
    struct loadtest_options o = *S->base;
    loadtest_spec_soak(&o.profile, t->rate, duration);
    o.interval_s = duration; /* one interval: the soak judged whole */
    o.replication = t->rep;
    o.keep_resources = 0;
    o.span = "a capacity probe's soak";
    if (S->jobs > 1 && S->n_task > 1)
        o.progress = NULL; /* a worker draws no bar: the parent's ticks */
    struct loadtest_result r;
    struct known k = {.rate = t->rate};
    struct loadtest_wire w = {.f = out};
    if (loadtest_run(S->s, &o, &r, S->err) < 0) {
        loadtest_result_destroy(&r);
        errno = EIO; /* said by loadtest_run */
        return -1;
    }
    int rc = judge(S, &o, &r, &k);
    uint64_t n_util = r.n_resources;
    k.g.replication = t->rep;
    loadtest_wire_put(&w, &k.pass, sizeof k.pass);
    loadtest_wire_put(&w, &k.g, sizeof k.g);
    loadtest_wire_put(&w, &n_util, sizeof n_util);
    /* Busy time is clipped to the soak (the drain after it is not counted). */
    for (size_t j = 0; j < r.n_resources; j++) {
        double u = r.total.busy_s[j] / ((double)r.servers[j] * duration);
        loadtest_wire_put(&w, &u, sizeof u);
    }
    loadtest_wire_put_warnings(&w, &k.w);
    loadtest_result_destroy(&r);
    warnings_destroy(&k.w);
    if (rc < 0) { /* a failed write is the pool's to see (pool_write_fn) */
        fputs("pilotsim: loadtest: out of memory\n", S->err);
        errno = ENOMEM;
        return -1;
    }
    return 0;
}

/* ---- the round, in the parent ---- */

/* Add probe k to walk w's (k's warnings move with it). 0, or -1. */
static int add_known(struct walk *w, struct known *k)
{
    if (w->n_known == w->cap_known) {
        size_t n = w->cap_known ? 2 * w->cap_known : 16;
        struct known *p = realloc(w->known, n * sizeof *p);
        if (!p)
            return -1;
        w->known = p;
        w->cap_known = n;
    }
    w->known[w->n_known++] = *k;
    return 0;
}

/* A loadtest_farm_done_fn: task i's bytes, filed with its walk (the
 * bottleneck's: its utilization into the result). */
static int probe_done(void *dctx, size_t i, unsigned worker, FILE *in, size_t len)
{
    struct search *S = dctx;
    const struct task *t = &S->task[i];
    struct loadtest_wire w = {.f = in, .cap = len};
    struct known k = {.rate = t->rate};
    uint64_t n_util = 0;
    (void)worker;
    loadtest_wire_get(&w, &k.pass, sizeof k.pass);
    loadtest_wire_get(&w, &k.g, sizeof k.g);
    loadtest_wire_get(&w, &n_util, sizeof n_util);
    for (uint64_t j = 0; j < n_util && !w.bad; j++) {
        double u;
        loadtest_wire_get(&w, &u, sizeof u);
        if (t->bottleneck && j < S->out->n_resources)
            S->out->utilization[j] = u;
    }
    int rc = w.bad ? -1 : loadtest_wire_get_warnings(&w, &k.w);
    if (rc == 0 && t->bottleneck)
        rc = warnings_merge(&S->neck_warnings, &k.w);
    else if (rc == 0)
        rc = add_known(&S->walk[t->rep], &k);
    if (rc < 0 || t->bottleneck)
        warnings_destroy(&k.w);
    if (rc < 0) {
        fputs(w.bad ? "pilotsim: loadtest: a capacity probe's result is malformed\n"
                    : "pilotsim: loadtest: out of memory\n",
              S->err);
        return -1;
    }
    S->out->soaks++;
    return 0;
}

/* Probe this round's tasks, each in a worker; every walk then moves on
 * over what it has. 0, or -1 (said). */
static int round_run(struct search *S)
{
    uint64_t *ids = malloc(S->n_task * sizeof *ids);
    if (!ids) {
        fputs("pilotsim: loadtest: out of memory\n", S->err);
        return -1;
    }
    for (size_t i = 0; i < S->n_task; i++)
        ids[i] = i;
    int rc = loadtest_farm_run(S->jobs, probe_work, S, ids, S->n_task, probe_done, S, S->p->bar,
                               "a capacity probe", S->err);
    free(ids);
    for (unsigned r = 0; rc == 0 && r < S->out->replications; r++)
        if (walk_on(&S->walk[r], S->p->tol) < 0) {
            fputs("pilotsim: loadtest: out of memory\n", S->err);
            rc = -1;
        }
    return rc;
}

/* ---- the search ---- */

/* Rounds until every walk is done; the bar told before each. 0, or -1. */
static int walk_all(struct search *S)
{
    const struct capacity_params *p = S->p;
    for (;;) {
        unsigned done = 0, bound = 1, open = 0; /* the bottleneck's soak */
        for (unsigned r = 0; r < S->out->replications; r++) {
            done += (unsigned)S->walk[r].n_path;
            bound += walk_bound(p, &S->walk[r].at);
            open += S->walk[r].at.stage != DONE;
        }
        if (!open)
            return 0;
        if (p->step)
            p->step(p->step_ctx, done, done + bound);
        if (pick(S) < 0) {
            fputs("pilotsim: loadtest: out of memory\n", S->err);
            return -1;
        }
        if (round_run(S) < 0)
            return -1;
    }
}

/* The walks' probes into the result, replication after replication, each
 * in its walk's order: the log, the warnings, each search's result. 0, or
 * -1 on no memory. */
static int collect(struct search *S)
{
    struct capacity_result *out = S->out;
    size_t n = 0;
    for (unsigned r = 0; r < out->replications; r++)
        n += S->walk[r].n_path;
    if (n && !(out->probe = malloc(n * sizeof *out->probe)))
        return -1;
    out->found = 1;
    for (unsigned r = 0; r < out->replications; r++) {
        const struct walk *w = &S->walk[r];
        for (size_t i = 0; i < w->n_path; i++) {
            const struct known *k = &w->known[w->path[i]];
            out->probe[out->n_probe++] = k->g;
            if (warnings_merge(&out->warnings, &k->w) < 0)
                return -1;
        }
        out->per_rep[r] = w->at.result;
        out->found &= w->at.found;
        out->at_ceiling |= w->at.at_ceiling;
    }
    out->probes = (unsigned)n;
    return 0;
}

/* The bottleneck: who is busiest when the system runs at its capacity
 * (replication 0's streams). 0, or -1. */
static int bottleneck(struct search *S)
{
    struct capacity_result *out = S->out;
    S->task[0] = (struct task){0, out->capacity_per_s, 1};
    S->n_task = 1;
    if (round_run(S) < 0)
        return -1;
    out->probes++;
    for (size_t i = 1; i < out->n_resources; i++)
        if (out->utilization[i] > out->utilization[out->bottleneck])
            out->bottleneck = i;
    if (warnings_merge(&out->warnings, &S->neck_warnings) < 0) {
        fputs("pilotsim: loadtest: out of memory\n", S->err);
        return -1;
    }
    return 0;
}

/* Search, with the result's arrays and the walks set up. 0, or -1. */
static int search_all(struct search *S)
{
    struct capacity_result *out = S->out;
    if (walk_all(S) < 0)
        return -1;
    if (collect(S) < 0) {
        fputs("pilotsim: loadtest: out of memory\n", S->err);
        return -1;
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
    return bottleneck(S);
}

int capacity_search(const struct scenario *s, const struct loadtest_options *base,
                    const struct capacity_params *p, struct capacity_result *out, FILE *err)
{
    struct search S = {.s = s, .base = base, .p = p, .out = out, .err = err};
    memset(out, 0, sizeof *out);
    out->replications = p->replications ? p->replications : 1;
    out->n_resources = s->n_operators + 1;
    S.jobs = p->jobs ? p->jobs : 1;
    out->per_rep = calloc(out->replications, sizeof *out->per_rep);
    out->utilization = calloc(out->n_resources, sizeof *out->utilization);
    S.walk = calloc(out->replications, sizeof *S.walk);
    S.task = calloc(S.jobs, sizeof *S.task);
    int rc = -1;
    if (!out->per_rep || !out->utilization || !S.walk || !S.task)
        fputs("pilotsim: loadtest: out of memory\n", err);
    else {
        for (unsigned r = 0; r < out->replications; r++)
            S.walk[r].at = (struct step){.stage = AT_LO, .lo = p->lo, .hi = p->hi};
        rc = search_all(&S);
    }
    for (unsigned r = 0; S.walk && r < out->replications; r++) {
        for (size_t i = 0; i < S.walk[r].n_known; i++)
            warnings_destroy(&S.walk[r].known[i].w);
        free(S.walk[r].known);
        free(S.walk[r].path);
    }
    free(S.walk);
    free(S.task);
    warnings_destroy(&S.neck_warnings);
    return rc;
}

void capacity_result_destroy(struct capacity_result *r)
{
    free(r->per_rep);
    free(r->utilization);
    free(r->probe);
    warnings_destroy(&r->warnings);
    memset(r, 0, sizeof *r);
}
