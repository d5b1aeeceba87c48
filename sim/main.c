/* main: the pilotsim command line. Parses arguments and calls the modules;
 * nothing else lives here: what a command does once its arguments are
 * checked is experiment/command.h's. Options may come before or after the
 * scenario (getopt_long permutes). Exit statuses are exitcode.h's. */
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exitcode.h"
#include "experiment/budget.h"
#include "experiment/command.h"
#include "experiment/compare.h"
#include "experiment/experiment.h"
#include "experiment/mpi_farm.h"
#include "kernel/phold.h"
#include "loadtest/loadtest_report.h"
#include "scenario/scenario.h"
#include "scenario/units.h"
#include "usage.h"

#define PILOTSIM_VERSION "0.2.0"

enum { OPT_SEED = 256, OPT_SET, OPT_NO_CHARTS, OPT_LPS, OPT_POP, OPT_REMOTE, OPT_LOOKAHEAD,
       OPT_MEAN, OPT_END, OPT_REPS, OPT_PRECISION, OPT_MAX_REPS, OPT_VARY, OPT_METRIC,
       OPT_MAX_MEM };

/* Which options a command takes beyond -o, --seed, --set, -q, --no-charts. */
enum { TAKES_REPS = 1, TAKES_JOBS = 2, TAKES_PRECISION = 4, TAKES_VARY = 8, TAKES_MANY = 16,
       TAKES_MEMORY = 32 };

/* Whether option c is one of the experiment options that `takes` lacks. */
static int option_refused(int c, unsigned takes) {
    return ((c == OPT_REPS || c == OPT_MAX_REPS) && !(takes & TAKES_REPS)) ||
           (c == 'j' && !(takes & TAKES_JOBS)) ||
           ((c == OPT_PRECISION || c == OPT_MAX_REPS) && !(takes & TAKES_PRECISION)) ||
           ((c == OPT_VARY || c == OPT_METRIC) && !(takes & TAKES_VARY)) ||
           (c == OPT_MAX_MEM && !(takes & TAKES_MEMORY));
}

/* Take option c of a command, its value in optarg, into *o: -1 to go on,
 * else the exit status to return (after --help, or a usage error). */
static int take_option(const char *cmd, const char *usage, int c, char **argv,
                       struct command_options *o) {
    uint64_t seed;
    switch (c) {
    case 'o':
        o->out_dir = optarg;
        return -1;
    case OPT_SEED:
        if (cli_parse_u64(optarg, &seed) < 0)
            return usage_error(cmd, "--seed wants a non-negative integer, not '%s'", optarg);
        snprintf(o->seed_set, sizeof o->seed_set, "seed=%" PRIu64, seed);
        return -1;
    case OPT_SET:
        if (!strchr(optarg, '='))
            return usage_error(cmd, "--set wants KEY=VALUE, not '%s'", optarg);
        if (o->n_sets == COMMAND_MAX_SETS)
            return usage_error(cmd, "too many --set options (%s)", "256 at most");
        o->sets[o->n_sets++] = optarg;
        return -1;
    case 'q':
        o->quiet = 1;
        return -1;
    case OPT_NO_CHARTS:
        o->no_charts = 1;
        return -1;
    case OPT_REPS:
        if (cli_parse_count(optarg, EXPERIMENT_MAX_REPS, &o->replications) < 0)
            return usage_error(cmd, "--replications wants a count from 1 to 100000, not '%s'",
                               optarg);
        return -1;
    case OPT_MAX_REPS:
        if (cli_parse_count(optarg, EXPERIMENT_MAX_REPS, &o->max_replications) < 0)
            return usage_error(cmd, "--max-replications wants a count from 1 to 100000, "
                                    "not '%s'", optarg);
        return -1;
    case 'j':
        if (cli_parse_count(optarg, 4096, &o->jobs) < 0)
            return usage_error(cmd, "--jobs wants a count from 1 to 4096, not '%s'", optarg);
        return -1;
    case OPT_PRECISION:
        if (cli_parse_share(optarg, &o->precision) < 0)
            return usage_error(cmd, "--precision wants a share such as 2%% or 0.02, not '%s'",
                               optarg);
        return -1;
    case OPT_MAX_MEM:
        if (budget_parse_size(optarg, &o->max_memory) < 0)
            return usage_error(cmd, "--max-memory wants a size like 16G or 512M, not '%s'",
                               optarg);
        return -1;
    case OPT_VARY:
    case OPT_METRIC: {
        int vary = c == OPT_VARY;
        size_t *n = vary ? &o->n_varies : &o->n_metrics;
        if (*n == COMMAND_MAX_ARGS)
            return usage_error(cmd, vary ? "too many --vary options (%s)"
                                         : "too many --metric options (%s)", "64 at most");
        (vary ? o->varies : o->metrics)[(*n)++] = optarg;
        return -1;
    }
    case 'h':
        fputs(usage, stdout);
        return EXITCODE_OK;
    case ':':
        return usage_error(cmd, "option %s needs a value", argv[optind - 1]);
    default:
        return usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
    }
}

/* Parse the options of a command; positional arguments go to o->args
 * (exactly one unless the command TAKES_MANY). `takes` says which of the
 * experiment options the command accepts. Returns -1 on success, else the
 * exit status to return. */
static int parse_options(const char *cmd, const char *usage, unsigned takes, int argc,
                         char **argv, struct command_options *o) {
    static const struct option opts[] = {
        {"output", required_argument, 0, 'o'}, {"seed", required_argument, 0, OPT_SEED},
        {"set", required_argument, 0, OPT_SET}, {"quiet", no_argument, 0, 'q'},
        {"no-charts", no_argument, 0, OPT_NO_CHARTS}, {"help", no_argument, 0, 'h'},
        {"replications", required_argument, 0, OPT_REPS}, {"jobs", required_argument, 0, 'j'},
        {"precision", required_argument, 0, OPT_PRECISION},
        {"max-replications", required_argument, 0, OPT_MAX_REPS},
        {"vary", required_argument, 0, OPT_VARY}, {"metric", required_argument, 0, OPT_METRIC},
        {"max-memory", required_argument, 0, OPT_MAX_MEM}, {0, 0, 0, 0}};
    int c, rc;
    o->version = PILOTSIM_VERSION;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":o:qhj:", opts, NULL)) != -1) {
        if (option_refused(c, takes))
            return usage_error(cmd, "option '%s' does not apply here", argv[optind - 1]);
        if ((rc = take_option(cmd, usage, c, argv, o)) >= 0)
            return rc;
    }
    if (optind >= argc)
        return usage_error(cmd, "missing %s", strcmp(cmd, "plot") ? "SCENARIO" : "DIR");
    if (!(takes & TAKES_MANY) && optind + 1 < argc)
        return usage_error(cmd, "unexpected argument '%s'", argv[optind + 1]);
    for (; optind < argc; optind++) {
        if (o->n_args == COMMAND_MAX_ARGS)
            return usage_error(cmd, "too many scenarios (%s)", "64 at most");
        o->args[o->n_args++] = argv[optind];
    }
    /* --seed is a --set applied last, so it wins over the file. */
    if (o->seed_set[0])
        o->sets[o->n_sets++] = o->seed_set;
    return -1;
}

static int cmd_run(int argc, char **argv) {
    struct command_options o = {0};
    int rc = parse_options("run", usage_run,
                           TAKES_REPS | TAKES_JOBS | TAKES_PRECISION | TAKES_MEMORY, argc, argv,
                           &o);
    if (rc >= 0)
        return rc;
    if (o.max_replications && !o.precision)
        return usage_error("run", "--max-replications needs --precision%s", "");
    if (o.max_replications == 1)
        return usage_error("run", "--max-replications must be at least 2 %s",
                           "(an interval needs two replications)");
    return command_run(&o);
}

static int cmd_compare(int argc, char **argv) {
    struct command_options o = {0};
    int rc = parse_options("compare", usage_compare,
                           TAKES_REPS | TAKES_JOBS | TAKES_MANY | TAKES_MEMORY, argc, argv, &o);
    if (rc >= 0)
        return rc;
    if (o.n_args < 2)
        return usage_error("compare", "compare needs at least two plans%s", "");
    if (o.n_args > COMPARE_MAX_PLANS)
        return usage_error("compare", "too many plans (%s)", "16 at most");
    if (o.replications == 1)
        return usage_error("compare", "--replications must be at least 2 %s",
                           "(a paired interval needs two)");
    return command_compare(&o);
}

static int cmd_sweep(int argc, char **argv) {
    struct command_options o = {0};
    int rc = parse_options("sweep", usage_sweep,
                           TAKES_REPS | TAKES_JOBS | TAKES_VARY | TAKES_MEMORY, argc, argv, &o);
    if (rc >= 0)
        return rc;
    if (o.n_varies == 0)
        return usage_error("sweep", "sweep needs at least one --vary KEY=V1,V2,...%s", "");
    return command_sweep(&o);
}

static int cmd_check(int argc, char **argv) {
    struct command_options o = {0};
    int rc = parse_options("check", usage_check, 0, argc, argv, &o);
    return rc >= 0 ? rc : command_check(&o);
}

static int cmd_plot(int argc, char **argv) {
    struct command_options o = {0};
    int rc = parse_options("plot", usage_plot, 0, argc, argv, &o);
    return rc >= 0 ? rc : command_plot(&o);
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
        case OPT_LPS: bad = cli_parse_u64(optarg, &p.lps); break;
        case OPT_POP: bad = cli_parse_u64(optarg, &p.population); break;
        case OPT_SEED: bad = cli_parse_u64(optarg, &p.seed); break;
        case OPT_REMOTE: bad = cli_parse_double(optarg, &p.remote); break;
        case OPT_LOOKAHEAD: bad = cli_parse_double(optarg, &p.lookahead); break;
        case OPT_MEAN: bad = cli_parse_double(optarg, &p.mean); break;
        case OPT_END: bad = cli_parse_double(optarg, &p.end); break;
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
    return command_bench(&p, max_memory);
}

enum { OPT_PROFILE = 512, OPT_INTERVAL, OPT_WARMUP, OPT_SLO, OPT_RETRIES, OPT_FAULT,
       OPT_FIND_CAP, OPT_CAP_RANGE, OPT_CAP_DURATION };

/* A duration option: with a unit, or plain seconds; > 0 (>= 0 with
 * zero_ok), and at most 100y like every duration of a scenario. */
static int parse_duration_opt(const char *s, int zero_ok, double *out) {
    const char *why;
    if (units_duration(s, out, &why) == 0 || cli_parse_double(s, out) == 0)
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
    struct command_options cli = {0};
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
            if (cli_parse_u64(optarg, &seed) < 0)
                return usage_error("loadtest", "--seed wants a non-negative integer, not '%s'",
                                   optarg);
            snprintf(cli.seed_set, sizeof cli.seed_set, "seed=%" PRIu64, seed);
            break;
        case OPT_SET:
            if (!strchr(optarg, '='))
                return usage_error("loadtest", "--set wants KEY=VALUE, not '%s'", optarg);
            if (cli.n_sets == COMMAND_MAX_SETS)
                return usage_error("loadtest", "too many --set options (%s)", "256 at most");
            cli.sets[cli.n_sets++] = optarg;
            break;
        case OPT_REPS:
            if (cli_parse_count(optarg, EXPERIMENT_MAX_REPS, &lc.replications) < 0)
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
            if (!colon || (*colon = '\0', cli_parse_double(optarg, &lc.cap.lo) < 0) ||
                cli_parse_double(colon + 1, &lc.cap.hi) < 0 || !(lc.cap.lo > 0) ||
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
    if (command_within_budget("loadtest", &b, cli.max_memory) < 0) {
        scenario_free(s);
        return EXITCODE_USAGE;
    }
    char out[PATH_MAX];
    if (cli.out_dir)
        snprintf(out, sizeof out, "%s", cli.out_dir);
    else
        command_default_out_dir(path, "-loadtest", out, sizeof out);
    lc.out_dir = out;
    struct outdir d;
    int rc = command_own_output(&d, out, &path, 1, OUTDIR_CLEAR);
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

/* The commands, by name; each sees its own argv, with itself as argv[0]. */
static const struct {
    const char *name;
    int (*fn)(int argc, char **argv);
} commands[] = {{"run", cmd_run},     {"compare", cmd_compare}, {"sweep", cmd_sweep},
                {"check", cmd_check}, {"plot", cmd_plot},       {"bench", cmd_bench},
                {"loadtest", cmd_loadtest}};

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
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(cmd, commands[i].name))
            return commands[i].fn(argc - 1, argv + 1);
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
