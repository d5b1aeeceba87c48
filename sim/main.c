/* main: the pilotsim command line. Parses arguments and calls the modules;
 * nothing else lives here. Options may come before or after the scenario
 * (getopt_long permutes). Exit statuses are exitcode.h's (DESIGN.md). */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "experiment/budget.h"
#include "experiment/compare.h"
#include "experiment/experiment.h"
#include "loadtest/loadtest_report.h"
#include "experiment/mpi_farm.h"
#include "output/outdir.h"
#include "kernel/phold.h"
#include "output/plot.h"
#include "model/sampling.h"
#include "scenario/scenario.h"
#include "experiment/sweep.h"
#include "exitcode.h"
#include "usage.h"
#include "scenario/units.h"

#define PILOTSIM_VERSION "0.2.0"
#define MAX_SETS 256
#define MAX_ARGS 64          /* scenarios of compare, --vary and --metric options */

/* Options shared by the commands that read a scenario. */
struct cli {
    const char *out_dir;
    const char *sets[MAX_SETS + 1];
    size_t n_sets;
    char seed_set[64];
    int quiet, no_charts;
    unsigned replications;        /* 0: not given */
    unsigned jobs;                /* 0: one per core */
    double precision;             /* 0: not given */
    unsigned max_replications;    /* 0: not given */
    double max_memory;            /* --max-memory, bytes (0: the memory available) */
    const char *args[MAX_ARGS];   /* positional arguments */
    size_t n_args;
    const char *varies[MAX_ARGS];
    size_t n_varies;
    const char *metrics[MAX_ARGS];
    size_t n_metrics;
};


/* Parse a non-negative integer option; 0 or -1. */
static int parse_u64(const char *s, uint64_t *out) {
    char *end;
    errno = 0;
    if (!*s || *s == '-')
        return -1;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

static int parse_double(const char *s, double *out) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || v != v)
        return -1;
    *out = v;
    return 0;
}

/* A count option: 1 <= value <= max. */
static int parse_count(const char *s, unsigned max, unsigned *out) {
    uint64_t v;
    if (parse_u64(s, &v) < 0 || v < 1 || v > max)
        return -1;
    *out = (unsigned)v;
    return 0;
}

/* A share: "2%" or "0.02", strictly between 0 and 1. */
static int parse_share(const char *s, double *out) {
    char buf[64];
    size_t len = strlen(s);
    int percent = len > 0 && s[len - 1] == '%';
    if (len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, s, len + 1);
    if (percent)
        buf[len - 1] = '\0';
    double v;
    if (parse_double(buf, &v) < 0)
        return -1;
    if (percent)
        v /= 100;
    if (!(v > 0 && v < 1))
        return -1;
    *out = v;
    return 0;
}

enum { OPT_SEED = 256, OPT_SET, OPT_NO_CHARTS, OPT_LPS, OPT_POP, OPT_REMOTE, OPT_LOOKAHEAD,
       OPT_MEAN, OPT_END, OPT_REPS, OPT_PRECISION, OPT_MAX_REPS, OPT_VARY, OPT_METRIC,
       OPT_MAX_MEM };

/* Which options a command takes beyond -o, --seed, --set, -q, --no-charts. */
enum { TAKES_REPS = 1, TAKES_JOBS = 2, TAKES_PRECISION = 4, TAKES_VARY = 8, TAKES_MANY = 16,
       TAKES_MEMORY = 32 };

/* Parse the options of a command; positional arguments go to cli->args
 * (exactly one unless the command TAKES_MANY). `takes` says which of the
 * experiment options the command accepts. Returns -1 on success, else the
 * exit status to return. */
static int parse_options(const char *cmd, const char *usage, unsigned takes, int argc,
                         char **argv, struct cli *cli) {
    static const struct option opts[] = {
        {"output", required_argument, 0, 'o'}, {"seed", required_argument, 0, OPT_SEED},
        {"set", required_argument, 0, OPT_SET}, {"quiet", no_argument, 0, 'q'},
        {"no-charts", no_argument, 0, OPT_NO_CHARTS}, {"help", no_argument, 0, 'h'},
        {"replications", required_argument, 0, OPT_REPS}, {"jobs", required_argument, 0, 'j'},
        {"precision", required_argument, 0, OPT_PRECISION},
        {"max-replications", required_argument, 0, OPT_MAX_REPS},
        {"vary", required_argument, 0, OPT_VARY}, {"metric", required_argument, 0, OPT_METRIC},
        {"max-memory", required_argument, 0, OPT_MAX_MEM}, {0, 0, 0, 0}};
    int c;
    uint64_t seed;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":o:qhj:", opts, NULL)) != -1) {
        /* An experiment option on a command that does not take it. */
        if (((c == OPT_REPS || c == OPT_MAX_REPS) && !(takes & TAKES_REPS)) ||
            (c == 'j' && !(takes & TAKES_JOBS)) ||
            ((c == OPT_PRECISION || c == OPT_MAX_REPS) && !(takes & TAKES_PRECISION)) ||
            ((c == OPT_VARY || c == OPT_METRIC) && !(takes & TAKES_VARY)) ||
            (c == OPT_MAX_MEM && !(takes & TAKES_MEMORY)))
            return usage_error(cmd, "option '%s' does not apply here", argv[optind - 1]);
        switch (c) {
        case 'o':
            cli->out_dir = optarg;
            break;
        case OPT_SEED:
            if (parse_u64(optarg, &seed) < 0)
                return usage_error(cmd, "--seed wants a non-negative integer, not '%s'", optarg);
            snprintf(cli->seed_set, sizeof cli->seed_set, "seed=%" PRIu64, seed);
            break;
        case OPT_SET:
            if (!strchr(optarg, '='))
                return usage_error(cmd, "--set wants KEY=VALUE, not '%s'", optarg);
            if (cli->n_sets == MAX_SETS)
                return usage_error(cmd, "too many --set options (%s)", "256 at most");
            cli->sets[cli->n_sets++] = optarg;
            break;
        case 'q':
            cli->quiet = 1;
            break;
        case OPT_NO_CHARTS:
            cli->no_charts = 1;
            break;
        case OPT_REPS:
            if (parse_count(optarg, EXPERIMENT_MAX_REPS, &cli->replications) < 0)
                return usage_error(cmd, "--replications wants a count from 1 to 100000, not '%s'",
                                   optarg);
            break;
        case OPT_MAX_REPS:
            if (parse_count(optarg, EXPERIMENT_MAX_REPS, &cli->max_replications) < 0)
                return usage_error(cmd, "--max-replications wants a count from 1 to 100000, "
                                        "not '%s'", optarg);
            break;
        case 'j':
            if (parse_count(optarg, 4096, &cli->jobs) < 0)
                return usage_error(cmd, "--jobs wants a count from 1 to 4096, not '%s'", optarg);
            break;
        case OPT_PRECISION:
            if (parse_share(optarg, &cli->precision) < 0)
                return usage_error(cmd, "--precision wants a share such as 2%% or 0.02, not '%s'",
                                   optarg);
            break;
        case OPT_MAX_MEM:
            if (budget_parse_size(optarg, &cli->max_memory) < 0)
                return usage_error(cmd, "--max-memory wants a size like 16G or 512M, not '%s'",
                                   optarg);
            break;
        case OPT_VARY:
            if (cli->n_varies == MAX_ARGS)
                return usage_error(cmd, "too many --vary options (%s)", "64 at most");
            cli->varies[cli->n_varies++] = optarg;
            break;
        case OPT_METRIC:
            if (cli->n_metrics == MAX_ARGS)
                return usage_error(cmd, "too many --metric options (%s)", "64 at most");
            cli->metrics[cli->n_metrics++] = optarg;
            break;
        case 'h':
            fputs(usage, stdout);
            return EXITCODE_OK;
        case ':':
            return usage_error(cmd, "option %s needs a value", argv[optind - 1]);
        default:
            return usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return usage_error(cmd, "missing %s", strcmp(cmd, "plot") ? "SCENARIO" : "DIR");
    if (!(takes & TAKES_MANY) && optind + 1 < argc)
        return usage_error(cmd, "unexpected argument '%s'", argv[optind + 1]);
    for (; optind < argc; optind++) {
        if (cli->n_args == MAX_ARGS)
            return usage_error(cmd, "too many scenarios (%s)", "64 at most");
        cli->args[cli->n_args++] = argv[optind];
    }
    /* --seed is a --set applied last, so it wins over the file. */
    if (cli->seed_set[0])
        cli->sets[cli->n_sets++] = cli->seed_set;
    return -1;
}

/* The options of run/check/plot: the one positional argument goes to *arg. */
static int parse_scenario_options(const char *cmd, const char *usage, int argc, char **argv,
                                  struct cli *cli, const char **arg) {
    int rc = parse_options(cmd, usage, 0, argc, argv, cli);
    if (rc < 0)
        *arg = cli->args[0];
    return rc;
}

/* out/<file name without directory and .yaml><suffix>. */
static void default_out_dir(const char *path, const char *suffix, char *buf, size_t size) {
    size_t len;
    const char *stem = report_stem(path, &len);
    snprintf(buf, size, "out/%.*s%s", (int)len, stem, suffix);
}

/* The experiment options of a command line. */
static struct run_options run_options_of(const struct cli *cli, const char *out) {
    return (struct run_options){.out_dir = out, .version = PILOTSIM_VERSION, .quiet = cli->quiet,
                                .charts = !cli->no_charts, .replications = cli->replications,
                                .jobs = cli->jobs, .precision = cli->precision,
                                .max_replications = cli->max_replications};
}

/* The workers on this machine for the estimate: under MPI each rank runs
 * one replication at a time (--jobs is ignored there). */
static unsigned farm_jobs(const struct cli *cli) {
    return mpi_farm_size() > 1 ? 1 : cli->jobs;
}

/* Refuse, before anything is written, a command the machine cannot hold
 * or would not finish (budget.h): 0, or -1 after the message. Under MPI
 * the ranks must all decide alike, and their hosts' free memory differs:
 * there only an explicit --max-memory (and the events) can refuse. */
static int within_budget(const char *cmd, const struct budget *b, double max_memory) {
    int given = max_memory > 0;
    double limit = given ? max_memory : mpi_farm_size() > 1 ? 0 : budget_available();
    return budget_check(b, cmd, limit, given, stderr);
}

/* Take the output directory for the whole command (outdir.h): under MPI
 * rank 0 alone takes it and the other ranks follow its verdict. -1 when
 * taken, else the exit status (the message is out). */
static int own_output(struct outdir *d, const char *dir, const char *const *inputs, size_t n,
                      int flags) {
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
static void warnings_print_all(const struct scenario *const *plans, size_t n) {
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
static int start_experiment(const char *cmd, const struct cli *cli,
                            const struct scenario *const *plans, size_t n_plans,
                            const struct run_options *o, struct outdir *d) {
    struct budget b;
    budget_experiment(plans, n_plans, o->replications, farm_jobs(cli), &b);
    if (within_budget(cmd, &b, cli->max_memory) < 0)
        return EXITCODE_USAGE;
    warnings_print_all(plans, n_plans);
    return own_output(d, o->out_dir, cli->args, cli->n_args, OUTDIR_CLEAR);
}

static int cmd_run(int argc, char **argv) {
    struct cli cli = {0};
    int rc = parse_options("run", usage_run,
                           TAKES_REPS | TAKES_JOBS | TAKES_PRECISION | TAKES_MEMORY, argc, argv,
                           &cli);
    if (rc >= 0)
        return rc;
    if (cli.max_replications && !cli.precision)
        return usage_error("run", "--max-replications needs --precision%s", "");
    if (cli.max_replications == 1)
        return usage_error("run", "--max-replications must be at least 2 %s",
                           "(an interval needs two replications)");
    const char *path = cli.args[0];
    struct scenario *s = scenario_load(path, cli.sets, cli.n_sets, stderr);
    if (!s)
        return EXITCODE_USAGE;
    if (sampling_check(s) < 0) {
        fprintf(stderr, "pilotsim: out of memory\n");
        scenario_free(s);
        return EXITCODE_RUNTIME;
    }
    /* With --precision the run may go on to its cap of replications. */
    unsigned reps = cli.precision > 0 ? (cli.max_replications ? cli.max_replications
                                                               : EXPERIMENT_DEFAULT_MAX_REPS)
                                      : cli.replications;
    struct budget b;
    budget_experiment((const struct scenario *const *)&s, 1, reps, farm_jobs(&cli), &b);
    if (within_budget("run", &b, cli.max_memory) < 0) {
        scenario_free(s);
        return EXITCODE_USAGE;
    }
    /* Only a run that goes ahead warns: a refusal is its one line. */
    warnings_print(&s->warnings, stderr);
    char out[PATH_MAX];
    if (cli.out_dir)
        snprintf(out, sizeof out, "%s", cli.out_dir);
    else
        default_out_dir(path, "", out, sizeof out);
    struct outdir d;
    if ((rc = own_output(&d, out, &path, 1, OUTDIR_CLEAR)) >= 0) {
        scenario_free(s);
        return rc;
    }
    struct run_options o = run_options_of(&cli, out);
    enum experiment_status st = experiment_run(s, &o, stderr);
    outdir_close(&d);
    scenario_free(s);
    return st == EXPERIMENT_OK ? EXITCODE_OK : EXITCODE_RUNTIME;
}

static int cmd_compare(int argc, char **argv) {
    struct cli cli = {0};
    int rc = parse_options("compare", usage_compare,
                           TAKES_REPS | TAKES_JOBS | TAKES_MANY | TAKES_MEMORY, argc, argv, &cli);
    if (rc >= 0)
        return rc;
    if (cli.n_args < 2)
        return usage_error("compare", "compare needs at least two plans%s", "");
    if (cli.n_args > COMPARE_MAX_PLANS)
        return usage_error("compare", "too many plans (%s)", "16 at most");
    if (cli.replications == 1)
        return usage_error("compare", "--replications must be at least 2 %s",
                           "(a paired interval needs two)");
    struct compare *c = compare_load(cli.args, cli.n_args, cli.sets, cli.n_sets, stderr);
    if (!c)
        return EXITCODE_USAGE;
    struct run_options o = run_options_of(&cli, cli.out_dir ? cli.out_dir : "out/compare");
    if (!o.replications)
        o.replications = COMPARE_DEFAULT_REPS;
    size_t n_plans;
    const struct scenario *const *plans = compare_plans(c, &n_plans);
    struct outdir d;
    if ((rc = start_experiment("compare", &cli, plans, n_plans, &o, &d)) >= 0) {
        compare_free(c);
        return rc;
    }
    enum experiment_status st = compare_run(c, &o, stderr);
    outdir_close(&d);
    compare_free(c);
    return st == EXPERIMENT_OK ? EXITCODE_OK : EXITCODE_RUNTIME;
}

static int cmd_sweep(int argc, char **argv) {
    struct cli cli = {0};
    int rc = parse_options("sweep", usage_sweep,
                           TAKES_REPS | TAKES_JOBS | TAKES_VARY | TAKES_MEMORY, argc, argv, &cli);
    if (rc >= 0)
        return rc;
    if (cli.n_varies == 0)
        return usage_error("sweep", "sweep needs at least one --vary KEY=V1,V2,...%s", "");
    struct sweep *w = sweep_load(cli.args[0], cli.sets, cli.n_sets, cli.varies, cli.n_varies,
                                 cli.metrics, cli.n_metrics, stderr);
    if (!w)
        return EXITCODE_USAGE;
    char out[PATH_MAX];
    if (cli.out_dir)
        snprintf(out, sizeof out, "%s", cli.out_dir);
    else
        default_out_dir(cli.args[0], "-sweep", out, sizeof out);
    struct run_options o = run_options_of(&cli, out);
    if (!o.replications)
        o.replications = SWEEP_DEFAULT_REPS;
    size_t n_points;
    const struct scenario *const *points = sweep_points(w, &n_points);
    struct outdir d;
    if ((rc = start_experiment("sweep", &cli, points, n_points, &o, &d)) >= 0) {
        sweep_free(w);
        return rc;
    }
    enum experiment_status st = sweep_run(w, &o, stderr);
    outdir_close(&d);
    sweep_free(w);
    return st == EXPERIMENT_OK ? EXITCODE_OK : EXITCODE_RUNTIME;
}

/* One screen: what the scenario will simulate. */
static void print_check(const struct scenario *s) {
    printf("%s: valid\n", s->path);
    printf("  name:       %s\n", s->name);
    printf("  period:     %.0f days from unix time %lld, buckets of %g s\n",
           s->duration_s / 86400, (long long)s->start_unix, s->step_s);
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

static int cmd_check(int argc, char **argv) {
    struct cli cli = {0};
    const char *path;
    int rc = parse_scenario_options("check", usage_check, argc, argv, &cli, &path);
    if (rc >= 0)
        return rc;
    struct scenario *s = scenario_load(path, cli.sets, cli.n_sets, stderr);
    if (!s)
        return EXITCODE_USAGE;
    if (sampling_check(s) < 0) {
        fprintf(stderr, "pilotsim: out of memory\n");
        scenario_free(s);
        return EXITCODE_RUNTIME;
    }
    warnings_print(&s->warnings, stderr);
    print_check(s);
    scenario_free(s);
    return EXITCODE_OK;
}

static int cmd_plot(int argc, char **argv) {
    struct cli cli = {0};
    const char *dir;
    int rc = parse_scenario_options("plot", usage_plot, argc, argv, &cli, &dir);
    if (rc >= 0)
        return rc;
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/scenario.yaml", dir);
    /* Redrawing keeps the run's files: lock (first, so that no run is
     * writing what is read), but clear nothing. One rank draws. */
    struct outdir d;
    if ((rc = own_output(&d, dir, NULL, 0, 0)) >= 0)
        return rc;
    struct scenario *s = scenario_load(path, NULL, 0, stderr);
    if (!s)
        rc = EXITCODE_USAGE;
    else
        rc = mpi_farm_rank() != 0 || plot_render(dir, s, stderr) == 0 ? EXITCODE_OK : EXITCODE_RUNTIME;
    outdir_close(&d);
    scenario_free(s);
    return rc;
}

static int cmd_bench(int argc, char **argv) {
    static const struct option opts[] = {
        {"lps", required_argument, 0, OPT_LPS}, {"population", required_argument, 0, OPT_POP},
        {"remote", required_argument, 0, OPT_REMOTE},
        {"lookahead", required_argument, 0, OPT_LOOKAHEAD},
        {"mean", required_argument, 0, OPT_MEAN}, {"end", required_argument, 0, OPT_END},
        {"seed", required_argument, 0, OPT_SEED}, {"help", no_argument, 0, 'h'},
        {"max-memory", required_argument, 0, OPT_MAX_MEM}, {0, 0, 0, 0}};
    struct phold_params p = phold_params_default();
    double max_memory = 0;
    int c, bad = 0;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_LPS: bad = parse_u64(optarg, &p.lps); break;
        case OPT_POP: bad = parse_u64(optarg, &p.population); break;
        case OPT_SEED: bad = parse_u64(optarg, &p.seed); break;
        case OPT_REMOTE: bad = parse_double(optarg, &p.remote); break;
        case OPT_LOOKAHEAD: bad = parse_double(optarg, &p.lookahead); break;
        case OPT_MEAN: bad = parse_double(optarg, &p.mean); break;
        case OPT_END: bad = parse_double(optarg, &p.end); break;
        case OPT_MAX_MEM:
            if (budget_parse_size(optarg, &max_memory) < 0)
                return usage_error("bench", "--max-memory wants a size like 16G or 512M, not '%s'",
                                   optarg);
            break;
        case 'h':
            fputs(usage_bench, stdout);
            return EXITCODE_OK;
        case ':':
            return usage_error("bench", "option %s needs a value", argv[optind - 1]);
        default:
            return usage_error("bench", "unknown option '%s'", argv[optind - 1]);
        }
        if (bad)
            return usage_error("bench", "bad number '%s'", optarg);
    }
    if (optind >= argc || strcmp(argv[optind], "phold") != 0)
        return usage_error("bench", "which benchmark? (%s)", "phold");
    if (optind + 1 < argc)
        return usage_error("bench", "unexpected argument '%s'", argv[optind + 1]);
    struct budget b;
    budget_phold(&p, &b);
    if (within_budget("bench phold", &b, max_memory) < 0)
        return EXITCODE_USAGE;
    struct phold_result r;
    if (phold_run(&p, &r) < 0)
        return EXITCODE_USAGE;
    return phold_write_json(&r, stdout) == 0 ? EXITCODE_OK : EXITCODE_RUNTIME;
}

enum { OPT_PROFILE = 512, OPT_INTERVAL, OPT_WARMUP, OPT_SLO, OPT_RETRIES, OPT_FAULT,
       OPT_FIND_CAP, OPT_CAP_RANGE, OPT_CAP_DURATION };

/* A duration option: with a unit, or plain seconds; > 0 (>= 0 with
 * zero_ok), and at most 100y like every duration of a scenario. */
static int parse_duration_opt(const char *s, int zero_ok, double *out) {
    const char *why;
    if (units_duration(s, out, &why) == 0 || parse_double(s, out) == 0)
        return (*out > 0 || (zero_ok && *out == 0)) && *out <= SCENARIO_MAX_DURATION_S ? 0 : -1;
    return -1;
}

/* The loadtest command; fault_args and faults have room for argc entries
 * (every --fault there may be: no fixed cap drops one). */
static int loadtest_command(int argc, char **argv, const char **fault_args,
                            struct loadtest_fault *faults) {
    static const struct option opts[] = {
        {"output", required_argument, 0, 'o'}, {"seed", required_argument, 0, OPT_SEED},
        {"set", required_argument, 0, OPT_SET}, {"quiet", no_argument, 0, 'q'},
        {"no-charts", no_argument, 0, OPT_NO_CHARTS}, {"help", no_argument, 0, 'h'},
        {"replications", required_argument, 0, OPT_REPS},
        {"profile", required_argument, 0, OPT_PROFILE},
        {"interval", required_argument, 0, OPT_INTERVAL},
        {"warmup", required_argument, 0, OPT_WARMUP}, {"slo", required_argument, 0, OPT_SLO},
        {"retries", required_argument, 0, OPT_RETRIES}, {"fault", required_argument, 0, OPT_FAULT},
        {"find-capacity", no_argument, 0, OPT_FIND_CAP},
        {"capacity-range", required_argument, 0, OPT_CAP_RANGE},
        {"capacity-duration", required_argument, 0, OPT_CAP_DURATION},
        {"max-memory", required_argument, 0, OPT_MAX_MEM}, {0, 0, 0, 0}};
    struct cli cli = {0};
    struct loadtest_cmd lc = {.version = PILOTSIM_VERSION, .charts = 1,
                              .cap = {.duration_s = 60, .tol = 0.01, .replications = 3}};
    loadtest_options_default(&lc.o);
    size_t n_faults = 0;
    int have_profile = 0, have_interval = 0, have_warmup = 0, have_slo = 0, have_retries = 0, c;
    char why[256], *colon;
    uint64_t seed;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":o:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'o': cli.out_dir = optarg; break;
        case 'q': lc.quiet = 1; break;
        case OPT_NO_CHARTS: lc.charts = 0; break;
        case OPT_FIND_CAP: lc.find_capacity = 1; break;
        case OPT_SEED:
            if (parse_u64(optarg, &seed) < 0)
                return usage_error("loadtest", "--seed wants a non-negative integer, not '%s'",
                                   optarg);
            snprintf(cli.seed_set, sizeof cli.seed_set, "seed=%" PRIu64, seed);
            break;
        case OPT_SET:
            if (!strchr(optarg, '='))
                return usage_error("loadtest", "--set wants KEY=VALUE, not '%s'", optarg);
            if (cli.n_sets == MAX_SETS)
                return usage_error("loadtest", "too many --set options (%s)", "256 at most");
            cli.sets[cli.n_sets++] = optarg;
            break;
        case OPT_REPS:
            if (parse_count(optarg, EXPERIMENT_MAX_REPS, &lc.replications) < 0)
                return usage_error("loadtest", "--replications wants a count from 1 to 100000, "
                                   "not '%s'", optarg);
            lc.cap.replications = lc.replications;
            break;
        case OPT_PROFILE:
            if (loadtest_spec_profile(optarg, &lc.o.profile, why, sizeof why) < 0)
                return usage_error("loadtest", "%s", why);
            have_profile = 1;
            break;
        case OPT_INTERVAL:
            if (parse_duration_opt(optarg, 0, &lc.o.interval_s) < 0)
                return usage_error("loadtest", "--interval wants a duration > 0 and at most "
                                   "100y, like 10s, not '%s'", optarg);
            have_interval = 1;
            break;
        case OPT_WARMUP:
            if (parse_duration_opt(optarg, 1, &lc.o.warmup_s) < 0)
                return usage_error("loadtest", "--warmup wants a duration from 0 to 100y, "
                                   "like 30s, not '%s'", optarg);
            have_warmup = 1;
            break;
        case OPT_SLO:
            if (slo_spec_parse(optarg, &lc.o.slo, why, sizeof why) < 0)
                return usage_error("loadtest", "%s", why);
            have_slo = 1;
            break;
        case OPT_RETRIES:
            if (loadtest_spec_retry(optarg, &lc.o.retry, why, sizeof why) < 0)
                return usage_error("loadtest", "%s", why);
            have_retries = 1;
            break;
        case OPT_FAULT:
            fault_args[n_faults++] = optarg;
            break;
        case OPT_CAP_RANGE:
            colon = strchr(optarg, ':');
            /* Finite: a probe at an infinite rate never ends. */
            if (!colon || (*colon = '\0', parse_double(optarg, &lc.cap.lo) < 0) ||
                parse_double(colon + 1, &lc.cap.hi) < 0 || !(lc.cap.lo > 0) ||
                !(lc.cap.hi > lc.cap.lo) || !isfinite(lc.cap.hi)) {
                if (colon)
                    *colon = ':';
                return usage_error("loadtest", "--capacity-range wants LO:HI with 0 < LO < HI, "
                                   "finite rates in payments/s, not '%s'", optarg);
            }
            *colon = ':';
            break;
        case OPT_CAP_DURATION:
            /* A probe judges the payments of its soak: a shorter one sees
             * next to none, and an empty one would pass any SLO. */
            if (parse_duration_opt(optarg, 0, &lc.cap.duration_s) < 0 ||
                lc.cap.duration_s < CAPACITY_MIN_DURATION_S)
                return usage_error("loadtest", "--capacity-duration wants a duration of at "
                                   "least 1s, like 60s, not '%s'", optarg);
            break;
        case OPT_MAX_MEM:
            if (budget_parse_size(optarg, &cli.max_memory) < 0)
                return usage_error("loadtest", "--max-memory wants a size like 16G or 512M, "
                                   "not '%s'", optarg);
            break;
        case 'h':
            fputs(usage_loadtest, stdout);
            return EXITCODE_OK;
        case ':':
            return usage_error("loadtest", "option %s needs a value", argv[optind - 1]);
        default:
            return usage_error("loadtest", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return usage_error("loadtest", "missing %s", "SCENARIO");
    if (optind + 1 < argc)
        return usage_error("loadtest", "unexpected argument '%s'", argv[optind + 1]);
    const char *path = argv[optind];
    if (cli.seed_set[0])
        cli.sets[cli.n_sets++] = cli.seed_set;
    struct scenario *s = scenario_load(path, cli.sets, cli.n_sets, stderr);
    if (!s)
        return EXITCODE_USAGE;
    for (size_t i = 0; i < n_faults; i++)
        if (loadtest_spec_fault(fault_args[i], s, &faults[i], why, sizeof why) < 0) {
            scenario_free(s);
            return usage_error("loadtest", "%s", why);
        }
    lc.o.faults = faults;
    lc.o.n_faults = n_faults;
    /* The scenario's loadtest section fills what the command line did not
     * say (the loader has checked its profile and SLO already). */
    const struct loadtest_spec *spec = &s->loadtest;
    if (!have_profile && spec->profile)
        have_profile = loadtest_spec_profile(spec->profile, &lc.o.profile, why, sizeof why) == 0;
    if (!have_profile)
        loadtest_default_profile(s, &lc.o.profile);
    if (!have_interval && spec->interval_s > 0)
        lc.o.interval_s = spec->interval_s;
    if (!have_warmup && spec->warmup_s >= 0)
        lc.o.warmup_s = spec->warmup_s;
    if (!have_slo && spec->slo)
        slo_spec_parse(spec->slo, &lc.o.slo, why, sizeof why);
    if (!have_retries && spec->has_retries)
        lc.o.retry = spec->retries;
    if (lc.find_capacity && !lc.o.slo.n) {
        scenario_free(s);
        return usage_error("loadtest", "--find-capacity needs an SLO (%s)",
                           "--slo 'p99<500ms' or loadtest.slo");
    }
    /* The profile and warm-up as resolved, before anything is written. */
    if (loadtest_spec_duration(&lc.o.profile) > SCENARIO_MAX_DURATION_S) {
        scenario_free(s);
        return usage_error("loadtest", "the profile lasts more than 100y (%s)",
                           "expected a profile of at most 100y");
    }
    if (loadtest_options_check(&lc.o, why, sizeof why) < 0) {
        scenario_free(s);
        return usage_error("loadtest", "%s", why);
    }
    struct budget b;
    budget_loadtest(s, &lc.o.profile, lc.o.warmup_s, lc.o.interval_s, lc.o.n_faults,
                    lc.replications, &b);
    if (lc.find_capacity) {   /* the bracket's defaults as the search takes them */
        double lo, hi;
        loadtest_spec_range(&lc.o.profile, &lo, &hi);
        double cap_lo = lc.cap.lo > 0 ? lc.cap.lo : lo > 0 ? lo : hi / 100;
        double cap_hi = lc.cap.hi > 0 ? lc.cap.hi : hi;
        /* A profile at one rate (or at 0) leaves no bracket: the search
         * would report its one rate, or 0 payments/s, as a capacity. */
        if (!(cap_lo > 0 && cap_hi > cap_lo)) {
            scenario_free(s);
            snprintf(why, sizeof why, "--find-capacity searches from the profile's lowest to "
                     "its highest rate, here %g to %g payments/s (expected 0 < LO < HI: give "
                     "--capacity-range LO:HI)", cap_lo, cap_hi);
            return usage_error("loadtest", "%s", why);
        }
        budget_capacity(&b, cap_lo, cap_hi, lc.cap.tol, lc.cap.duration_s, lc.o.warmup_s,
                        lc.cap.replications);
    }
    if (within_budget("loadtest", &b, cli.max_memory) < 0) {
        scenario_free(s);
        return EXITCODE_USAGE;
    }
    char out[PATH_MAX];
    if (cli.out_dir)
        snprintf(out, sizeof out, "%s", cli.out_dir);
    else
        default_out_dir(path, "-loadtest", out, sizeof out);
    lc.out_dir = out;
    struct outdir d;
    int rc = own_output(&d, out, &path, 1, OUTDIR_CLEAR);
    if (rc >= 0 || mpi_farm_rank() != 0) {
        /* A load test runs on one rank: the others have nothing to do. */
        outdir_close(&d);
        scenario_free(s);
        return rc >= 0 ? rc : EXITCODE_OK;
    }
    enum loadtest_status st = loadtest_report_command(s, &lc, stderr);
    outdir_close(&d);
    scenario_free(s);
    return st == LOADTEST_OK ? EXITCODE_OK : st == LOADTEST_SLO_FAILED ? EXITCODE_SLO : EXITCODE_RUNTIME;
}

static int cmd_loadtest(int argc, char **argv) {
    const char **fault_args = calloc((size_t)argc, sizeof *fault_args);
    struct loadtest_fault *faults = calloc((size_t)argc, sizeof *faults);
    int rc = EXITCODE_RUNTIME;
    if (fault_args && faults)
        rc = loadtest_command(argc, argv, fault_args, faults);
    else
        fputs("pilotsim: loadtest: out of memory\n", stderr);
    free(fault_args);
    free(faults);
    return rc;
}

/* The command named by argv[1]. */
static int dispatch(int argc, char **argv) {
    if (argc < 2) {
        fputs(usage_main, stderr);
        return EXITCODE_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        fputs(usage_main, stdout);
        return EXITCODE_OK;
    }
    if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
        printf("pilotsim %s%s\n", PILOTSIM_VERSION, mpi_farm_enabled() ? " (MPI)" : "");
        return EXITCODE_OK;
    }
    /* Each command sees its own argv, with itself as argv[0]. */
    if (!strcmp(cmd, "run"))
        return cmd_run(argc - 1, argv + 1);
    if (!strcmp(cmd, "compare"))
        return cmd_compare(argc - 1, argv + 1);
    if (!strcmp(cmd, "sweep"))
        return cmd_sweep(argc - 1, argv + 1);
    if (!strcmp(cmd, "check"))
        return cmd_check(argc - 1, argv + 1);
    if (!strcmp(cmd, "plot"))
        return cmd_plot(argc - 1, argv + 1);
    if (!strcmp(cmd, "bench"))
        return cmd_bench(argc - 1, argv + 1);
    if (!strcmp(cmd, "loadtest"))
        return cmd_loadtest(argc - 1, argv + 1);
    return usage_error(NULL, "unknown command '%s'", cmd);
}

int main(int argc, char **argv) {
    /* The MPI build: every rank runs the same command; rank 0 leads. */
    if (mpi_farm_start(&argc, &argv) < 0) {
        fputs("pilotsim: cannot start MPI\n", stderr);
        return EXITCODE_RUNTIME;
    }
    int rc = dispatch(argc, argv);
    mpi_farm_stop();
    return rc;
}
