/* command: the commands after their arguments are parsed (command.h). */
#include "experiment/command.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "exitcode.h"
#include "experiment/calibrate.h"
#include "experiment/compare.h"
#include "experiment/compare_plot.h"
#include "experiment/cpus.h"
#include "experiment/fit_command.h"
#include "experiment/fit_files.h"
#include "experiment/headline.h"
#include "experiment/experiment.h"
#include "experiment/mpi_farm.h"
#include "experiment/calibrate_report.h"
#include "experiment/sweep.h"
#include "experiment/sweep_plot.h"
#include "loadtest/loadtest_plot.h"
#include "model/sampling.h"
#include "output/outdir.h"
#include "output/plot.h"
#include "output/progress.h"
#include "output/report.h"
#include "scenario/scenario.h"
#include "scenario/warnings.h"

void command_default_out_dir(const char *path, const char *suffix, char *buf, size_t size)
{
    size_t len;
    const char *stem = report_stem(path, &len);
    snprintf(buf, size, "out/%.*s%s", (int)len, stem, suffix);
}

/* The output directory: -o's, else out/<scenario stem><suffix>. */
static void out_dir_of(const struct command_options *o, const char *path, const char *suffix,
                       char *out, size_t size)
{
    if (o->out_dir)
        snprintf(out, size, "%s", o->out_dir);
    else
        command_default_out_dir(path, suffix, out, size);
}

/* The experiment options of a command line, writing to out. */
static struct run_options run_options_of(const struct command_options *o, const char *out)
{
    return (struct run_options){.out_dir = out,
                                .version = o->version,
                                .provenance = o->provenance,
                                .quiet = o->quiet,
                                .charts = !o->no_charts,
                                .long_csv = o->long_csv,
                                .replications = o->replications,
                                .jobs = o->jobs,
                                .precision = o->precision,
                                .max_replications = o->max_replications};
}

/* The workers on this machine for the estimate: under MPI each rank runs
 * one replication at a time (--jobs is ignored there). */
static unsigned farm_jobs(const struct command_options *o)
{
    return mpi_farm_size() > 1 ? 1 : o->jobs;
}

int command_within_budget(const char *cmd, const struct budget *b, double max_memory)
{
    int given = max_memory > 0;
    double limit = given ? max_memory : mpi_farm_size() > 1 ? 0 : budget_available();
    return budget_check(b, cmd, limit, given, stderr);
}

int command_own_output(struct outdir *d, const char *dir, const char *const *inputs, size_t n,
                       int flags)
{
    int st = OUTDIR_OK;
    memset(d, 0, sizeof *d);
    d->dir_fd = d->lock_fd = -1;
    if (mpi_farm_rank() == 0)
        st = outdir_open(d, dir, inputs, n, flags, stderr);
    st = mpi_farm_share(st);
    return st == OUTDIR_OK ? -1 : st == OUTDIR_REFUSED ? EXITCODE_USAGE : EXITCODE_RUNTIME;
}

/* Every plan's or point's load-time warnings, each line once (points of
 * a sweep share most of them), printed as run prints its scenario's. */
static void warnings_print_all(const struct scenario *const *plans, size_t n)
{
    struct warnings all = {0};
    for (size_t i = 0; i < n; i++)
        if (warnings_merge(&all, &plans[i]->warnings) < 0) {
            /* out of memory: say them all, repeats and all, rather than none */
            for (size_t j = 0; j < n; j++)
                warnings_print(&plans[j]->warnings, stderr);
            warnings_destroy(&all);
            return;
        }
    warnings_print(&all, stderr);
    warnings_destroy(&all);
}

/* What compare and sweep do between loading and simulating: refuse what
 * the machine cannot hold, print the scenarios' warnings (after, so that a
 * refusal is one line), take the output directory. -1 when clear to go,
 * else the exit status (the message is out). */
static int start_experiment(const char *cmd, const struct command_options *o,
                            const struct scenario *const *plans, size_t n_plans,
                            const struct run_options *ro, struct outdir *d)
{
    struct budget b;
    budget_experiment(plans, n_plans, ro->replications, farm_jobs(o), &b);
    if (command_within_budget(cmd, &b, o->max_memory) < 0)
        return EXITCODE_USAGE;
    warnings_print_all(plans, n_plans);
    return command_own_output(d, ro->out_dir, o->args, o->n_args, OUTDIR_CLEAR);
}

/* A command's closing lines (headline.h), read back from what it wrote in
 * out: only when it succeeded, not under --quiet, and on one rank. */
static void closing(int (*say)(const char *, double, FILE *), const struct command_options *o,
                    const char *out, double t0, int ok)
{
    if (ok && !o->quiet && mpi_farm_rank() == 0)
        say(out, progress_clock() - t0, stderr);
}

/* The scenario at path with the command line's --set and --seed, its
 * sampled queues checked (sampling.h): NULL, with *rc the exit status,
 * after the message. */
static struct scenario *load_scenario(const struct command_options *o, const char *path, int *rc)
{
    struct scenario *s = scenario_load(path, o->sets, o->n_sets, stderr);
    *rc = EXITCODE_USAGE;
    if (s && sampling_check(s) < 0) {
        fprintf(stderr, "pilotsim: out of memory\n");
        scenario_free(s);
        s = NULL;
        *rc = EXITCODE_RUNTIME;
    }
    return s;
}

int command_run(const struct command_options *o)
{
    const char *path = o->args[0];
    int rc;
    struct scenario *s = load_scenario(o, path, &rc);
    if (!s)
        return rc;
    /* With --precision the run may go on to its cap of replications. */
    unsigned reps = o->precision > 0
                        ? (o->max_replications ? o->max_replications : EXPERIMENT_DEFAULT_MAX_REPS)
                        : o->replications;
    struct budget b;
    budget_experiment((const struct scenario *const *)&s, 1, reps, farm_jobs(o), &b);
    if (command_within_budget("run", &b, o->max_memory) < 0) {
        scenario_free(s);
        return EXITCODE_USAGE;
    }
    /* Only a run that goes ahead warns: a refusal is its one line. */
    warnings_print(&s->warnings, stderr);
    char out[PATH_MAX];
    out_dir_of(o, path, "", out, sizeof out);
    struct outdir d;
    if ((rc = command_own_output(&d, out, &path, 1, OUTDIR_CLEAR)) >= 0) {
        scenario_free(s);
        return rc;
    }
    struct run_options ro = run_options_of(o, out);
    double t0 = progress_clock();
    enum experiment_status st = experiment_run(s, &ro, stderr);
    closing(headline_run, o, out, t0, st == EXPERIMENT_OK);
    outdir_close(&d);
    scenario_free(s);
    return st == EXPERIMENT_OK ? EXITCODE_OK : EXITCODE_RUNTIME;
}

int command_compare(const struct command_options *o)
{
    struct compare *c = compare_load(o->args, o->n_args, o->sets, o->n_sets, stderr);
    if (!c)
        return EXITCODE_USAGE;
    struct run_options ro = run_options_of(o, o->out_dir ? o->out_dir : "out/compare");
    if (!ro.replications)
        ro.replications = COMPARE_DEFAULT_REPS;
    if (o->practical_set)
        c->practical = o->practical;
    size_t n_plans;
    const struct scenario *const *plans = compare_plans(c, &n_plans);
    struct outdir d;
    int rc = start_experiment("compare", o, plans, n_plans, &ro, &d);
    if (rc >= 0) {
        compare_free(c);
        return rc;
    }
    double t0 = progress_clock();
    enum experiment_status st = compare_run(c, &ro, stderr);
    closing(headline_compare, o, ro.out_dir, t0, st == EXPERIMENT_OK);
    outdir_close(&d);
    compare_free(c);
    return st == EXPERIMENT_OK ? EXITCODE_OK : EXITCODE_RUNTIME;
}

int command_sweep(const struct command_options *o)
{
    struct sweep *w = sweep_load(o->args[0], o->sets, o->n_sets, o->varies, o->n_varies, o->metrics,
                                 o->n_metrics, stderr);
    if (!w)
        return EXITCODE_USAGE;
    char out[PATH_MAX];
    out_dir_of(o, o->args[0], "-sweep", out, sizeof out);
    struct run_options ro = run_options_of(o, out);
    if (!ro.replications)
        ro.replications = SWEEP_DEFAULT_REPS;
    size_t n_points;
    const struct scenario *const *points = sweep_points(w, &n_points);
    struct outdir d;
    int rc = start_experiment("sweep", o, points, n_points, &ro, &d);
    if (rc >= 0) {
        sweep_free(w);
        return rc;
    }
    double t0 = progress_clock();
    enum experiment_status st = sweep_run(w, &ro, stderr);
    closing(headline_sweep, o, out, t0, st == EXPERIMENT_OK);
    outdir_close(&d);
    sweep_free(w);
    return st == EXPERIMENT_OK ? EXITCODE_OK : EXITCODE_RUNTIME;
}

/* calibrate --fit once the output directory is taken: the fit, then
 * calibrate.json at the best point (calibrate.h), calibrated.yaml,
 * calibrate.csv and the trajectory chart (fit_files.h), then calibrate.md
 * and report.html from them (calibrate_report.h). */
static int calibrate_fit(const struct fit_command *fc, struct fit_outcome *fo, const char *out,
                         const struct provenance *provenance)
{
    struct calibrate_fitted fitted[FIT_MAX_KEYS];
    int failed;

    if (fit_command_run(fc, fo, stderr) < 0)
        return EXITCODE_RUNTIME;
    for (size_t i = 0; i < fo->n_keys; i++)
        fitted[i] = (struct calibrate_fitted){
            fo->keys[i].key, strtod(strchr(fo->best_sets[i], '=') + 1, NULL), fo->result.p[i].ci_lo,
            fo->result.p[i].ci_hi, fo->result.p[i].identified};
    struct provenance prov = {0}; /* the best point's scenario hash */
    if (provenance) {
        prov = *provenance;
        report_scenario_hash(fo->best, &prov);
    }
    struct calibrate_result r = {fo->best,
                                 fc->targets,
                                 &fo->eval,
                                 fo->result.objective,
                                 fo->result.evaluations,
                                 fitted,
                                 fo->n_keys,
                                 provenance ? &prov : NULL};
    failed = fo->leader &&
             (calibrate_write(out, &r, stderr) < 0 || fit_files_write(out, fc, fo, stderr) < 0);
    failed = mpi_farm_share(failed); /* the trajectory's evaluation is collective */
    failed = failed || fit_files_trajectory(out, fc, fo, stderr) < 0;
    /* The reports read every file above. */
    failed = failed || (fo->leader && calibrate_report_write(out, stderr) < 0);
    return failed ? EXITCODE_RUNTIME : EXITCODE_OK;
}

/* calibrate without fitting: the scenario and the targets load (either
 * refused with its errors, status 2), then every target is evaluated. */
int command_calibrate(const struct command_options *o)
{
    int rc;
    struct scenario *s = load_scenario(o, o->args[0], &rc);
    if (!s)
        return rc;
    struct targets *t = evaluate_load_targets(o->targets, stderr);
    if (!t) {
        scenario_free(s);
        return EXITCODE_USAGE;
    }
    char out[PATH_MAX];
    out_dir_of(o, o->args[0], "-calibrate", out, sizeof out);
    struct run_options ro = run_options_of(o, out);
    if (!ro.replications)
        ro.replications = CALIBRATE_DEFAULT_REPS;
    const char *inputs[2] = {o->args[0], o->targets};
    struct fit_command fc = {
        o->args[0],      o->sets, o->n_sets,          t,        o->fits,      o->n_fits,
        ro.replications, ro.jobs, o->max_evaluations, o->quiet, !o->no_charts};
    struct fit_outcome fo = {0};
    struct budget b;
    budget_experiment((const struct scenario *const *)&s, 1, ro.replications, farm_jobs(o), &b);
    int refused = (o->n_fits && fit_command_prepare(&fc, &fo, stderr) < 0) ||
                  command_within_budget("calibrate", &b, o->max_memory) < 0;
    if (!refused) /* a refusal is its one line */
        warnings_print(&s->warnings, stderr);
    struct outdir d;
    rc = EXITCODE_USAGE;
    if (!refused && (rc = command_own_output(&d, out, inputs, 2, OUTDIR_CLEAR)) < 0) {
        double t0 = progress_clock();
        if (o->n_fits)
            rc = calibrate_fit(&fc, &fo, out, o->provenance);
        else
            rc = calibrate_evaluate(s, t, &ro, stderr) == EXPERIMENT_OK ? EXITCODE_OK
                                                                        : EXITCODE_RUNTIME;
        closing(headline_calibrate, o, out, t0, rc == EXITCODE_OK);
        outdir_close(&d);
    }
    fit_command_destroy(&fo);
    targets_free(t);
    scenario_free(s);
    return rc;
}

/* One screen: what the scenario will simulate. */
static void print_check(const struct scenario *s)
{
    printf("%s: valid\n", s->path);
    printf("  name:       %s\n", s->name);
    printf("  period:     %.0f days from unix time %lld, buckets of %g s\n", s->duration_s / 86400,
           (long long)s->start_unix, s->step_s);
    printf("  seed:       %llu    sample: 1 in %g\n", (unsigned long long)s->seed, s->sample);
    printf("  cities:     %zu\n", s->n_cities);
    for (size_t c = 0; c < s->n_cities; c++)
        printf("    %-12s %-14s population %lld, merchants %lld\n", s->cities[c].id,
               s->cities[c].name, (long long)s->cities[c].population,
               (long long)s->cities[c].merchants);
    printf("  operators:  %zu (", s->n_operators);
    for (size_t o = 0; o < s->n_operators; o++)
        printf("%s%s", o ? ", " : "", s->operators[o].id);
    printf(")\n  ledger:     %u servers, mean service %g ms\n", s->ledger.servers,
           s->ledger.mean_s * 1e3);
    struct budget b;
    char size[32];
    budget_run(s, &b);
    printf("  estimate:   about %s of memory and %.2g events a run (most: %s)\n",
           budget_fmt_size(size, sizeof size, budget_bytes(&b)), b.events, b.events_what);
    printf("  interventions: %zu\n", s->n_interventions);
    for (size_t i = 0; i < s->n_interventions; i++) {
        const struct intervention *iv = &s->interventions[i];
        printf("    %-20s %-17s %s\n", iv->id, scenario_kind_name(iv->kind),
               iv->city >= 0 ? s->cities[iv->city].id : "");
    }
}

int command_check(const struct command_options *o)
{
    int rc;
    struct scenario *s = load_scenario(o, o->args[0], &rc);
    if (!s)
        return rc;
    warnings_print(&s->warnings, stderr);
    print_check(s);
    scenario_free(s);
    return EXITCODE_OK;
}

/* A run's charts: its resolved scenario (scenario.yaml) names the cities,
 * the markers and the title. */
static int plot_run_dir(const char *dir, FILE *err)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/scenario.yaml", dir);
    struct scenario *s = scenario_load(path, NULL, 0, err);
    if (!s)
        return EXITCODE_USAGE;
    int rc = plot_render(dir, s, err) == 0 ? EXITCODE_OK : EXITCODE_RUNTIME;
    scenario_free(s);
    return rc;
}

/* Redraw DIR's charts from its files alone, whatever command wrote it
 * (outdir_kind): each kind's own function, so `pilotsim plot` draws what
 * the command drew. */
static int plot_dir_of_kind(const char *dir, enum outdir_kind kind, FILE *err)
{
    switch (kind) {
    case OUTDIR_KIND_RUN:
        return plot_run_dir(dir, err);
    case OUTDIR_KIND_SWEEP:
        return sweep_plot_dir(dir, err) == 0 ? EXITCODE_OK : EXITCODE_RUNTIME;
    case OUTDIR_KIND_CALIBRATE:
        return plot_calibrate_dir(dir, err) == 0 ? EXITCODE_OK : EXITCODE_RUNTIME;
    case OUTDIR_KIND_COMPARE:
        return compare_plot_dir(dir, err) == 0 ? EXITCODE_OK : EXITCODE_RUNTIME;
    case OUTDIR_KIND_LOADTEST:
        return loadtest_plot_dir(dir, err) == 0 ? EXITCODE_OK : EXITCODE_RUNTIME;
    case OUTDIR_KIND_NONE:
        break;
    }
    return EXITCODE_USAGE; /* outdir_kind said why */
}

int command_plot(const struct command_options *o)
{
    const char *dir = o->args[0];
    /* A missing directory is bad input: nothing is created for it. */
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        outdir_kind(dir, stderr); /* says why */
        return EXITCODE_USAGE;
    }
    /* Redrawing keeps the command's files: lock (first, so that no command
     * is writing what is read; a busy directory is refused before it is
     * looked at), but clear nothing. What it holds decides what to draw.
     * One rank draws. */
    struct outdir d;
    int rc = command_own_output(&d, dir, NULL, 0, 0);
    if (rc >= 0)
        return rc;
    enum outdir_kind kind = outdir_kind(dir, stderr);
    if (kind == OUTDIR_KIND_NONE)
        rc = EXITCODE_USAGE;
    else
        rc = mpi_farm_rank() != 0 ? EXITCODE_OK : plot_dir_of_kind(dir, kind, stderr);
    outdir_close(&d);
    return rc;
}

int command_bench(const struct phold_params *p, double max_memory)
{
    struct budget b;
    budget_phold(p, &b);
    if (command_within_budget("bench phold", &b, max_memory) < 0)
        return EXITCODE_USAGE;
    struct phold_result r;
    if (phold_run(p, &r) < 0)
        return EXITCODE_USAGE;
    return phold_write_json(&r, stdout) == 0 ? EXITCODE_OK : EXITCODE_RUNTIME;
}

int command_loadtest(const struct command_options *o, struct loadtest_command *lc,
                     struct scenario *s)
{
    const char *path = o->args[0];
    lc->quiet = o->quiet;
    lc->provenance = o->provenance;
    lc->charts = !o->no_charts;
    if (o->replications)
        lc->replications = lc->cap.replications = o->replications;
    /* --jobs as run's: the CPUs this process may use unless given; one
     * rank forks nothing (forking inside an MPI process is unsafe). */
    lc->jobs = lc->cap.jobs = mpi_farm_enabled() ? 1 : o->jobs ? o->jobs : cpus_available();
    struct budget b;
    budget_loadtest(s, &lc->o.profile, lc->o.warmup_s, lc->o.interval_s, lc->o.n_faults,
                    lc->replications, &b);
    if (lc->find_capacity)
        budget_capacity(&b, lc->cap.lo, lc->cap.hi, lc->cap.tol, lc->cap.duration_s, lc->o.warmup_s,
                        lc->cap.replications);
    budget_loadtest_workers(&b, loadtest_command_workers(lc));
    if (command_within_budget("loadtest", &b, o->max_memory) < 0) {
        scenario_free(s);
        return EXITCODE_USAGE;
    }
    char out[PATH_MAX];
    out_dir_of(o, path, "-loadtest", out, sizeof out);
    lc->out_dir = out;
    struct outdir d;
    int rc = command_own_output(&d, out, &path, 1, OUTDIR_CLEAR);
    if (rc >= 0 || mpi_farm_rank() != 0) {
        /* A load test runs on one rank: the others have nothing to do. */
        outdir_close(&d);
        scenario_free(s);
        return rc >= 0 ? rc : EXITCODE_OK;
    }
    rc = loadtest_command_run(s, lc, stderr);
    outdir_close(&d);
    scenario_free(s);
    return rc;
}
