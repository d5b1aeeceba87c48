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
#include "loadtest/loadtest_command.h"
#include "scenario/scenario.h"
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

/* The loadtest command: main.c's own options (take_option) and the load
 * test's (loadtest_command.h), each taken as getopt meets it, so the first
 * bad one is the one reported; then the scenario, on which the options
 * resolve. fault_args and faults have room for argc entries (every --fault
 * there may be: no fixed cap drops one). */
static int loadtest_command(int argc, char **argv, const char **fault_args,
                            struct loadtest_fault *faults) {
    static const struct option opts[] = {
        {"output", required_argument, 0, 'o'}, {"seed", required_argument, 0, OPT_SEED},
        {"set", required_argument, 0, OPT_SET}, {"quiet", no_argument, 0, 'q'},
        {"no-charts", no_argument, 0, OPT_NO_CHARTS}, {"help", no_argument, 0, 'h'},
        {"replications", required_argument, 0, OPT_REPS},
        {"profile", required_argument, 0, LOADTEST_COMMAND_PROFILE},
        {"interval", required_argument, 0, LOADTEST_COMMAND_INTERVAL},
        {"warmup", required_argument, 0, LOADTEST_COMMAND_WARMUP},
        {"slo", required_argument, 0, LOADTEST_COMMAND_SLO},
        {"retries", required_argument, 0, LOADTEST_COMMAND_RETRIES},
        {"fault", required_argument, 0, LOADTEST_COMMAND_FAULT},
        {"find-capacity", no_argument, 0, LOADTEST_COMMAND_FIND_CAPACITY},
        {"capacity-range", required_argument, 0, LOADTEST_COMMAND_CAPACITY_RANGE},
        {"capacity-duration", required_argument, 0, LOADTEST_COMMAND_CAPACITY_DURATION},
        {"max-memory", required_argument, 0, OPT_MAX_MEM}, {0, 0, 0, 0}};
    struct command_options o = {.version = PILOTSIM_VERSION};
    struct loadtest_command lc;
    struct loadtest_command_error e;
    int c, rc;
    loadtest_command_init(&lc, PILOTSIM_VERSION, fault_args, faults);
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":o:qh", opts, NULL)) != -1) {
        if (c >= LOADTEST_COMMAND_PROFILE) {
            if (loadtest_command_option(&lc, c, optarg, &e) < 0)
                return usage_error("loadtest", e.fmt, e.arg);
        } else if ((rc = take_option("loadtest", usage_loadtest, c, argv, &o)) >= 0) {
            return rc;
        }
    }
    if (optind >= argc)
        return usage_error("loadtest", "missing %s", "SCENARIO");
    if (optind + 1 < argc)
        return usage_error("loadtest", "unexpected argument '%s'", argv[optind + 1]);
    o.args[o.n_args++] = argv[optind];
    if (o.seed_set[0])
        o.sets[o.n_sets++] = o.seed_set;
    struct scenario *s = scenario_load(o.args[0], o.sets, o.n_sets, stderr);
    if (!s)
        return EXITCODE_USAGE;
    if (loadtest_command_resolve(&lc, s, &e) < 0) {
        scenario_free(s);
        return usage_error("loadtest", e.fmt, e.arg);
    }
    return command_loadtest(&o, &lc, s);
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
