/* loadtest_command: the loadtest command's options, merged with the
 * scenario's `loadtest:` section and checked, then the run: replications,
 * verdicts, the capacity search, handed to loadtest_report to write (see
 * loadtest_command.h). */
#include "loadtest/loadtest_command.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "exitcode.h"
#include "loadtest/loadtest_farm.h"
#include "loadtest/loadtest_report.h"
#include "loadtest/loadtest_summary.h"
#include "loadtest/loadtest_wire.h"
#include "loadtest/slo.h"
#include "output/progress.h"
#include "output/report.h"
#include "scenario/loadtest_spec.h"
#include "scenario/slo_spec.h"
#include "scenario/units.h"

void loadtest_command_init(struct loadtest_command *c, const char *version, const char **fault_args,
                           struct loadtest_fault *faults)
{
    memset(c, 0, sizeof *c);
    loadtest_options_default(&c->o);
    c->version = version;
    c->charts = 1;
    c->cap = (struct capacity_params){.duration_s = 60, .tol = 0.01, .replications = 3};
    c->fault_args = fault_args;
    c->faults = faults;
}

/* A number, the whole text (strtod's syntax, not NaN). */
static int parse_number(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || v != v)
        return -1;
    *out = v;
    return 0;
}

/* A duration option: with a unit, or plain seconds; > 0 (>= 0 with
 * zero_ok), and at most 100y like every duration of a scenario. */
static int parse_duration(const char *s, int zero_ok, double *out)
{
    const char *why;
    if (units_duration(s, out, &why) == 0 || parse_number(s, out) == 0)
        return (*out > 0 || (zero_ok && *out == 0)) && *out <= SCENARIO_MAX_DURATION_S ? 0 : -1;
    return -1;
}

/* `LO:HI` with 0 < LO < HI, HI finite: a probe at an infinite rate never ends. */
static int parse_range(const char *s, double *lo, double *hi)
{
    const char *colon = strchr(s, ':');
    char *end;
    if (!colon)
        return -1;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || end != colon || v != v)
        return -1;
    *lo = v;
    if (parse_number(colon + 1, hi) < 0)
        return -1;
    return *lo > 0 && *hi > *lo && isfinite(*hi) ? 0 : -1;
}

static int fail(struct loadtest_command_error *e, const char *fmt, const char *arg)
{
    e->fmt = fmt;
    e->arg = arg;
    return -1;
}

/* A parser's reason, as the usage error. */
static int fail_why(struct loadtest_command_error *e)
{
    return fail(e, "%s", e->why);
}

int loadtest_command_option(struct loadtest_command *c, int opt, const char *arg,
                            struct loadtest_command_error *e)
{
    struct loadtest_options *o = &c->o;
    switch (opt) {
    case LOADTEST_COMMAND_PROFILE:
        c->has_profile = 1;
        return loadtest_spec_profile(arg, &o->profile, e->why, sizeof e->why) < 0 ? fail_why(e) : 0;
    case LOADTEST_COMMAND_INTERVAL:
        c->has_interval = 1;
        return parse_duration(arg, 0, &o->interval_s) < 0
                   ? fail(e,
                          "--interval wants a duration > 0 and at most 100y, like 10s, not "
                          "'%s'",
                          arg)
                   : 0;
    case LOADTEST_COMMAND_WARMUP:
        c->has_warmup = 1;
        return parse_duration(arg, 1, &o->warmup_s) < 0
                   ? fail(e, "--warmup wants a duration from 0 to 100y, like 30s, not '%s'", arg)
                   : 0;
    case LOADTEST_COMMAND_SLO:
        c->has_slo = 1;
        return slo_spec_parse(arg, &o->slo, e->why, sizeof e->why) < 0 ? fail_why(e) : 0;
    case LOADTEST_COMMAND_RETRIES:
        c->has_retries = 1;
        return loadtest_spec_retry(arg, &o->retry, e->why, sizeof e->why) < 0 ? fail_why(e) : 0;
    case LOADTEST_COMMAND_FAULT:
        c->fault_args[c->n_fault_args++] = arg;
        return 0;
    case LOADTEST_COMMAND_FIND_CAPACITY:
        c->find_capacity = 1;
        return 0;
    case LOADTEST_COMMAND_CAPACITY_RANGE:
        return parse_range(arg, &c->cap.lo, &c->cap.hi) < 0
                   ? fail(e,
                          "--capacity-range wants LO:HI with 0 < LO < HI, finite rates in "
                          "payments/s, not '%s'",
                          arg)
                   : 0;
    case LOADTEST_COMMAND_TARGET:
        return parse_number(arg, &c->target_per_s) < 0 || !(c->target_per_s > 0) ||
                       c->target_per_s > 1e12
                   ? fail(e, "--target wants a rate in payments/s above 0, like 10900, not '%s'",
                          arg)
                   : 0;
    case LOADTEST_COMMAND_CAPACITY_DURATION:
        /* A probe judges the payments of its soak: a shorter one sees next
         * to none, and an empty one would pass any SLO. */
        return parse_duration(arg, 0, &c->cap.duration_s) < 0 ||
                       c->cap.duration_s < CAPACITY_MIN_DURATION_S
                   ? fail(e,
                          "--capacity-duration wants a duration of at least 1s, like 60s, "
                          "not '%s'",
                          arg)
                   : 0;
    }
    return fail(e, "unknown option '%s'", "?");
}

/* The scenario's loadtest section fills what the command line did not
 * say (the loader has checked its profile and SLO already). */
static void merge_spec(struct loadtest_command *c, const struct scenario *s)
{
    const struct loadtest_spec *spec = &s->loadtest;
    struct loadtest_options *o = &c->o;
    char why[256];
    int have_profile = c->has_profile;
    if (!have_profile && spec->profile)
        have_profile = loadtest_spec_profile(spec->profile, &o->profile, why, sizeof why) == 0;
    if (!have_profile)
        loadtest_default_profile(s, &o->profile);
    if (!c->has_interval && spec->interval_s > 0)
        o->interval_s = spec->interval_s;
    if (!c->has_warmup && spec->warmup_s >= 0)
        o->warmup_s = spec->warmup_s;
    if (!c->has_slo && spec->slo)
        slo_spec_parse(spec->slo, &o->slo, why, sizeof why);
    if (!c->has_retries && spec->has_retries)
        o->retry = spec->retries;
    if (!(c->target_per_s > 0) && spec->target_per_s > 0)
        c->target_per_s = spec->target_per_s;
}

/* The capacity search's bracket as it takes it: the profile's lowest rate
 * (a hundredth of its highest when that is 0) to its highest, unless
 * --capacity-range gave one. */
static void resolve_bracket(struct loadtest_command *c)
{
    double lo, hi;
    loadtest_spec_range(&c->o.profile, &lo, &hi);
    if (!(c->cap.lo > 0))
        c->cap.lo = lo > 0 ? lo : hi / 100;
    if (!(c->cap.hi > 0))
        c->cap.hi = hi;
}

int loadtest_command_resolve(struct loadtest_command *c, const struct scenario *s,
                             struct loadtest_command_error *e)
{
    for (size_t i = 0; i < c->n_fault_args; i++)
        if (loadtest_spec_fault(c->fault_args[i], s, &c->faults[i], e->why, sizeof e->why) < 0)
            return fail_why(e);
    c->o.faults = c->faults;
    c->o.n_faults = c->n_fault_args;
    merge_spec(c, s);
    if (c->find_capacity && !c->o.slo.n)
        return fail(e, "--find-capacity needs an SLO (%s)", "--slo 'p99<500ms' or loadtest.slo");
    /* The profile and warm-up as resolved, before anything is written. */
    if (loadtest_spec_duration(&c->o.profile) > SCENARIO_MAX_DURATION_S)
        return fail(e, "the profile lasts more than 100y (%s)",
                    "expected a profile of at most 100y");
    if (loadtest_options_check(&c->o, e->why, sizeof e->why) < 0)
        return fail_why(e);
    if (c->find_capacity) {
        resolve_bracket(c);
        /* A profile at one rate (or at 0) leaves no bracket: the search
         * would report its one rate, or 0 payments/s, as a capacity. */
        if (!(c->cap.lo > 0 && c->cap.hi > c->cap.lo)) {
            snprintf(e->why, sizeof e->why,
                     "--find-capacity searches from the profile's lowest "
                     "to its highest rate, here %g to %g payments/s (expected 0 < LO < HI: "
                     "give --capacity-range LO:HI)",
                     c->cap.lo, c->cap.hi);
            return fail_why(e);
        }
    }
    return 0;
}

/* ---- the progress bar ---- */

/* What the bar says: which run of how many (replications, then capacity
 * probes), where its simulated clock is, and the share of all the
 * simulated seconds done (the search's count is an upper bound that falls
 * as its brackets close). */
struct bar {
    struct progress p;
    char label[192];
    const char *what; /* "replication" or "capacity probe" */
    unsigned n, N;    /* run n of N */
    double before_s;  /* simulated seconds of the runs done */
    double total_s;   /* of all runs */
    double reps_s;    /* of the replications */
    double probe_s;   /* of one capacity probe (warm-up + soak) */
};

/* A loadtest_options progress callback: done_s of total_s of this run. */
static void bar_sim(void *ctx, double done_s, double total_s)
{
    struct bar *b = ctx;
    snprintf(b->label, sizeof b->label, "loadtest: %s %u/%u, %.0f/%.0f s", b->what, b->n, b->N,
             done_s, total_s);
    progress_update(&b->p, b->before_s + done_s, b->total_s);
}

/* Run n (1-based) of N begins. */
static void bar_run(struct bar *b, const char *what, unsigned n, unsigned N, double before_s)
{
    b->what = what;
    b->n = n;
    b->N = N;
    b->before_s = before_s;
    snprintf(b->label, sizeof b->label, "loadtest: %s %u/%u", what, n, N);
    progress_update(&b->p, before_s, b->total_s);
}

/* A capacity_params step callback: probe done + 1 of at most `bound`. */
static void bar_probe(void *ctx, unsigned done, unsigned bound)
{
    struct bar *b = ctx;
    b->total_s = b->reps_s + bound * b->probe_s;
    bar_run(b, "capacity probe", done + 1, bound, b->reps_s + done * b->probe_s);
}

/* ---- the run ---- */

/* Said when a replication's intervals cannot be kept or judged. */
#define LOADTEST_COMMAND_UNREAD                                                                \
    "pilotsim: loadtest: out of memory, or the intervals' histograms could not be written to " \
    "or read back from their temporary file\n"

/* A run in progress: what the report is given, and what it owns. */
struct run {
    const struct loadtest_command *c;
    struct loadtest_report rep;
    struct loadtest_result m; /* merged over replications */
    double *reps_q;           /* [R][n_iv + 1][NQ]: per replication, total last */
    double *reps_wait;        /* [R][n_resources]: each replication's mean wait, ms */
    int *verdict;             /* [n_iv] */
    struct warnings warnings;
    struct capacity_result cap;
    struct bar bar;
    char started[32], host[64];
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* The process's peak resident memory so far, in bytes (Linux counts
 * ru_maxrss in KiB); 0 when unknown. For summary.json: a run's memory
 * must not grow with its length (tests/e2e/loadtest_memory.sh). */
static double max_rss_bytes(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 && ru.ru_maxrss > 0 ? (double)ru.ru_maxrss * 1024 : 0;
}

/* Keep replication r's quantiles and mean waits (the intervals over
 * replications), allocating the tables at the first. 0, or -1 (no memory). */
static int keep_replication(struct run *u, unsigned r, const struct loadtest_result *got)
{
    unsigned R = u->rep.R;
    size_t rows = got->n_intervals + 1, NQ = LOADTEST_REPORT_NQ;
    if (r == 0 && (!(u->reps_q = calloc((size_t)R * rows * NQ, sizeof *u->reps_q)) ||
                   !(u->reps_wait = calloc((size_t)R * got->n_resources, sizeof *u->reps_wait))))
        return -1;
    for (size_t k = 0; k < got->n_resources; k++)
        u->reps_wait[(size_t)r * got->n_resources + k] =
            loadtest_report_mean_wait_ms(&got->total, k);
    for (size_t i = 0; i < rows; i++) {
        const struct loadtest_interval *iv =
            i < got->n_intervals ? loadtest_interval(got, i) : NULL;
        if (i < got->n_intervals && !iv)
            return -1;
        const struct hist *h = iv ? iv->latency : got->total.latency;
        for (size_t k = 0; k < NQ; k++)
            u->reps_q[((size_t)r * rows + i) * NQ + k] = loadtest_report_quantile(h, k);
    }
    return 0;
}

/* ---- the replications, over the workers ---- */

/* What a replication's worker reads (as it was when the workers forked). */
struct reps_work {
    const struct scenario *s;
    const struct loadtest_command *c;
    struct bar *bar;  /* followed only when the runs are here (one job) */
    unsigned R, jobs; /* replications, workers */
    FILE *err;
};

/* A loadtest_farm_work_fn: replication r run and written to out. */
static int replication_work(void *ctx, uint64_t r, FILE *out)
{
    struct reps_work *x = ctx;
    struct loadtest_options o = x->c->o;
    o.replication = (unsigned)r;
    if (x->jobs <= 1) { /* here: the bar follows the simulated clock */
        o.progress = bar_sim;
        o.progress_ctx = x->bar;
        bar_run(x->bar, "replication", (unsigned)r + 1, x->R, (double)r * (x->bar->reps_s / x->R));
    }
    struct loadtest_result one;
    int rc = loadtest_run(x->s, &o, &one, x->err);
    if (rc < 0) {
        errno = EIO; /* said by loadtest_run */
    } else if ((rc = loadtest_wire_write(&one, out)) < 0) {
        fputs(LOADTEST_COMMAND_UNREAD, x->err); /* a failed write is the pool's to see */
        errno = EIO;
    }
    loadtest_result_destroy(&one);
    return rc;
}

/* The results that have come, merged in replication order as soon as
 * each one's predecessors are in: the merge is the same for any J. One
 * that comes early waits read back, its histograms in its temporary file
 * (loadtest_wire_read), so that waiting costs its counts only. */
struct reps_merge {
    struct run *u;
    struct loadtest_result *early; /* [R] a replication's result, until merged */
    unsigned char *came;           /* [R] early[r] holds one */
    unsigned next;                 /* the first replication not merged */
    FILE *err;
};

/* Merge replication r's result into u->m; `got` is u->m itself for the
 * first. 0, or -1 (said). */
static int merge_replication(struct run *u, unsigned r, struct loadtest_result *got, FILE *err)
{
    int rc = keep_replication(u, r, got);
    if (rc == 0 && r)
        rc = loadtest_result_merge(&u->m, got);
    if (rc < 0) /* both read the closed intervals back from their files */
        fputs(rc == -2 ? "pilotsim: loadtest: a sum of money overflowed 64-bit fen "
                         "merging the replications\n"
                       : LOADTEST_COMMAND_UNREAD,
              err);
    return rc < 0 ? -1 : 0;
}

/* A loadtest_farm_done_fn: replication i read back (into u->m when it is
 * the first), then merged with every one now in order. */
static int replication_done(void *dctx, size_t i, unsigned worker, FILE *in, size_t len)
{
    struct reps_merge *x = dctx;
    struct run *u = x->u;
    (void)worker;
    struct loadtest_result *got = i == 0 ? &u->m : &x->early[i];
    x->came[i] = 1;
    if (loadtest_wire_read(in, len, got) < 0) {
        fputs(LOADTEST_COMMAND_UNREAD, x->err);
        return -1;
    }
    while (x->next < u->rep.R && x->came[x->next]) {
        unsigned r = x->next++;
        struct loadtest_result *one = r == 0 ? &u->m : &x->early[r];
        int rc = merge_replication(u, r, one, x->err);
        if (r)
            loadtest_result_destroy(one);
        x->came[r] = 0;
        if (rc < 0)
            return -1;
    }
    if (u->c->jobs > 1 && u->rep.R > 1) /* the bar counts replications done */
        bar_run(&u->bar, "replication", x->next, u->rep.R,
                (double)x->next * (u->bar.reps_s / u->rep.R));
    return 0;
}

/* One job: the replications run here, one after another, each merged
 * into u->m as it ends. No bytes travel, so a run's closed intervals stay
 * in their temporary file (loadtest.h) and memory does not grow with the
 * profile's length; the merge is the farm's, in the same order, so the
 * outputs are the same bytes for any J. 0, or -1 (said). */
static int replicate_here(struct run *u, const struct loadtest_command *c, FILE *err)
{
    for (unsigned r = 0; r < u->rep.R; r++) {
        struct loadtest_options o = c->o;
        o.replication = r;
        o.progress = bar_sim;
        o.progress_ctx = &u->bar;
        bar_run(&u->bar, "replication", r + 1, u->rep.R, r * (u->bar.reps_s / u->rep.R));
        struct loadtest_result one;
        struct loadtest_result *got = r == 0 ? &u->m : &one;
        int rc = loadtest_run(u->rep.s, &o, got, err) < 0 ? -1 : merge_replication(u, r, got, err);
        if (r)
            loadtest_result_destroy(&one);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* Run the replications (replication r keyed r), merging them into u->m in
 * replication order: here with one job, else over the workers. 0, or -1
 * (said). */
static int replicate(struct run *u, const struct loadtest_command *c, FILE *err)
{
    if (c->jobs <= 1 || u->rep.R <= 1)
        return replicate_here(u, c, err);
    unsigned R = u->rep.R;
    unsigned jobs = c->jobs < R ? c->jobs : R;
    struct reps_work work = {u->rep.s, c, &u->bar, R, jobs, err};
    struct reps_merge merge = {.u = u, .err = err};
    uint64_t *ids = malloc(R * sizeof *ids);
    merge.early = calloc(R, sizeof *merge.early);
    merge.came = calloc(R, sizeof *merge.came);
    int rc = -1;
    if (!ids || !merge.early || !merge.came)
        fputs("pilotsim: loadtest: out of memory\n", err);
    else {
        for (unsigned r = 0; r < R; r++)
            ids[r] = r;
        rc = loadtest_farm_run(jobs, replication_work, &work, ids, R, replication_done, &merge,
                               &u->bar.p, "a replication", err);
    }
    /* Those that came early and were never merged (a failed batch). */
    for (unsigned r = 1; merge.early && merge.came && r < R; r++)
        if (merge.came[r])
            loadtest_result_destroy(&merge.early[r]);
    free(merge.early);
    free(merge.came);
    free(ids);
    return rc;
}

/* Each judged interval's verdict (the warm-up has none, nor any interval
 * without an SLO); 1 when none failed, -1 on no memory. */
static int judge(struct run *u, const struct slo *slo)
{
    int ok = 1;
    if (!(u->verdict = calloc(u->m.n_intervals, sizeof *u->verdict)))
        return -1;
    for (size_t i = 0; i < u->m.n_intervals; i++) {
        const struct loadtest_interval *iv = loadtest_interval(&u->m, i);
        if (!iv)
            return -1;
        struct slo_sample smp = loadtest_sample(iv);
        u->verdict[i] = !slo->n || i == 0 ? -1 : slo_judge(slo, &smp, NULL);
        ok &= u->verdict[i] != 0;
    }
    return ok;
}

/* The capacity search over the resolved bracket, said on stdout unless
 * quiet. 0, or -1 on no memory. */
static int search(struct run *u, const struct loadtest_command *c, FILE *err)
{
    const struct capacity_result *cap = &u->cap;
    struct capacity_params p = c->cap;
    struct loadtest_options o = c->o;
    p.step = bar_probe;
    p.step_ctx = &u->bar;
    p.bar = &u->bar.p;
    o.progress = bar_sim;
    o.progress_ctx = &u->bar;
    int rc = capacity_search(u->rep.s, &o, &p, &u->cap, err);
    progress_finish(&u->bar.p);
    if (rc < 0)
        return -1;
    u->rep.cap = cap;
    u->rep.cap_params = &c->cap;
    return warnings_merge(&u->warnings, &cap->warnings) < 0 ? -1 : 0;
}

/* The replications, their verdicts and the capacity search, into u. 1
 * when every interval held, 0 when one failed, -1 on an error (said). */
static int run_all(struct run *u, const struct loadtest_command *c, FILE *err)
{
    const struct scenario *s = u->rep.s;
    double t0 = now_s();
    struct bar *b = &u->bar;
    progress_init(&b->p, b->label, c->quiet);
    b->reps_s = u->rep.R * (c->o.warmup_s + loadtest_spec_duration(&c->o.profile));
    b->probe_s = c->o.warmup_s + c->cap.duration_s;
    b->total_s = b->reps_s + (c->find_capacity ? capacity_probes_bound(&c->cap) * b->probe_s : 0);
    progress_phase(&b->p, "setting up the operators and the ledger");
    int rc = replicate(u, c, err);
    progress_finish(&b->p);
    if (rc < 0) /* said */
        return -1;
    if (warnings_merge(&u->warnings, &s->warnings) < 0 ||
        warnings_merge(&u->warnings, &u->m.warnings) < 0) {
        fputs("pilotsim: loadtest: out of memory\n", err);
        return -1;
    }
    u->rep.wall_s = now_s() - t0;
    u->rep.max_rss_bytes = max_rss_bytes();
    int slo_ok = judge(u, &c->o.slo);
    if (slo_ok < 0) {
        fputs(LOADTEST_COMMAND_UNREAD, err);
        return -1;
    }
    if (!c->quiet) {
        printf("%s: %s, %u replication%s, %.1f s wall\n", s->name, c->o.profile.text, u->rep.R,
               u->rep.R > 1 ? "s" : "", u->rep.wall_s);
        u->rep.verdict = u->verdict;
        loadtest_report_print(&u->rep);
    }
    if (c->find_capacity && search(u, c, err) < 0)
        return -1;
    return slo_ok;
}

/* One topic of the verdict on stdout, wrapped at 78 columns under a
 * hanging indent. */
static void say_line(void *ctx, const char *topic, const char *text)
{
    (void)ctx;
    int col = printf("  %s:", topic);
    const char *w = text;
    while (*w) {
        size_t n = strcspn(w, " ");
        if (col + 1 + (int)n > 78 && col > 4) {
            fputs("\n   ", stdout);
            col = 3;
        }
        col += printf(" %.*s", (int)n, w);
        w += n;
        w += strspn(w, " ");
    }
    fputs(".\n", stdout);
}

/* The verdict, from the files just written (what the report says too). */
static void print_verdict(const char *dir, FILE *err)
{
    struct loadtest_summary sum;
    if (loadtest_summary_read(dir, &sum, err) == 0) {
        printf("\nVerdict:\n");
        loadtest_summary_verdict(&sum, say_line, NULL);
    }
    loadtest_summary_destroy(&sum);
}

unsigned loadtest_command_workers(const struct loadtest_command *c)
{
    unsigned jobs = c->jobs ? c->jobs : 1, runs = c->replications ? c->replications : 1;
    if (c->find_capacity) /* its rounds fill every worker */
        runs = jobs;
    return runs < jobs ? runs : jobs;
}

int loadtest_command_run(const struct scenario *s, const struct loadtest_command *c, FILE *err)
{
    struct run u = {.c = c,
                    .rep = {.s = s,
                            .o = &c->o,
                            .out_dir = c->out_dir,
                            .version = c->version,
                            .charts = c->charts,
                            .jobs = c->jobs,
                            .forked = loadtest_command_workers(c) > 1,
                            .R = c->replications ? c->replications : 1}};
    int st = EXITCODE_RUNTIME;
    time_t now = time(NULL);
    strftime(u.started, sizeof u.started, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    if (gethostname(u.host, sizeof u.host) != 0)
        snprintf(u.host, sizeof u.host, "unknown");
    u.host[sizeof u.host - 1] = '\0';
    u.rep.m = &u.m;
    u.rep.started = u.started;
    u.rep.host = u.host;
    u.rep.warnings = &u.warnings;
    u.rep.target_per_s = c->target_per_s;
    u.rep.fault_args = c->fault_args;
    u.rep.n_fault_args = c->n_fault_args;
    /* The provenance on a copy, to take this scenario's hash: the text a
     * run writes as scenario.yaml (a load test writes none). */
    struct provenance prov;
    if (c->provenance) {
        prov = *c->provenance;
        if (report_scenario_hash(s, &prov) < 0) {
            fprintf(err, "pilotsim: out of memory\n");
            return EXITCODE_RUNTIME;
        }
        u.rep.provenance = &prov;
    }
    if (report_mkdir(c->out_dir, err) < 0)
        return EXITCODE_RUNTIME;
    int slo_ok = run_all(&u, c, err);
    if (slo_ok < 0)
        goto done;
    u.rep.reps_q = u.reps_q;
    u.rep.reps_wait = u.reps_wait;
    u.rep.verdict = u.verdict;
    /* Once, before the files: what the runs did not refuse. */
    warnings_print(&u.warnings, err);
    if (loadtest_report_write(&u.rep, err) < 0)
        goto done;
    /* A capacity search answers with its own verdict; else the steps'. */
    if (c->find_capacity)
        st = u.cap.found ? EXITCODE_OK : EXITCODE_SLO;
    else
        st = slo_ok ? EXITCODE_OK : EXITCODE_SLO;
    if (!c->quiet)
        print_verdict(c->out_dir, err);
done: /* every failure has said why */
    capacity_result_destroy(&u.cap);
    loadtest_result_destroy(&u.m);
    free(u.reps_q);
    free(u.reps_wait);
    free(u.verdict);
    warnings_destroy(&u.warnings);
    return st;
}
