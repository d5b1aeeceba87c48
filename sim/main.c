/* main: the pilotsim command line. Parses arguments (cli.h) and calls the
 * modules; nothing else lives here: what a command does once its arguments
 * are checked is experiment/command.h's. Options may come before or after
 * the scenario (getopt_long permutes). Exit statuses are exitcode.h's. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exitcode.h"
#include "experiment/budget.h"
#include "experiment/command.h"
#include "experiment/compare.h"
#include "experiment/mpi_farm.h"
#include "experiment/report_command.h"
#include "kernel/phold.h"
#include "loadtest/loadtest_command.h"
#include "output/provenance.h"
#include "scenario/scenario.h"
#include "usage.h"

#define PILOTSIM_VERSION "0.2.0"

/* The commands that read a scenario, and the options each takes. */
static const struct cli_command run = {"run", usage_run,
                                       CLI_TAKES_REPS | CLI_TAKES_JOBS | CLI_TAKES_PRECISION |
                                           CLI_TAKES_MEMORY | CLI_TAKES_LONG};
static const struct cli_command compare = {"compare", usage_compare,
                                           CLI_TAKES_REPS | CLI_TAKES_JOBS | CLI_TAKES_MANY |
                                               CLI_TAKES_MEMORY | CLI_TAKES_PRACTICAL |
                                               CLI_TAKES_LONG};
static const struct cli_command sweep = {"sweep", usage_sweep,
                                         CLI_TAKES_REPS | CLI_TAKES_JOBS | CLI_TAKES_VARY |
                                             CLI_TAKES_MEMORY | CLI_TAKES_LONG};
static const struct cli_command calibrate = {"calibrate", usage_calibrate,
                                             CLI_TAKES_REPS | CLI_TAKES_JOBS | CLI_TAKES_MEMORY |
                                                 CLI_TAKES_TARGETS};
static const struct cli_command check = {"check", usage_check, 0};
static const struct cli_command plot = {"plot", usage_plot, 0};
static const struct cli_command report = {"report", usage_report, 0};
static const struct cli_command loadtest = {"loadtest", usage_loadtest,
                                            CLI_TAKES_REPS | CLI_TAKES_JOBS | CLI_TAKES_MEMORY};

static int cmd_run(int argc, char **argv, const struct provenance *p)
{
    struct command_options o = {.version = PILOTSIM_VERSION, .provenance = p};
    int rc = cli_parse(&run, argc, argv, &o, NULL);
    if (rc >= 0)
        return rc;
    if (o.max_replications && !o.precision)
        return usage_error("run", "--max-replications needs --precision%s", "");
    if (o.max_replications == 1)
        return usage_error("run", "--max-replications must be at least 2 %s",
                           "(an interval needs two replications)");
    return command_run(&o);
}

static int cmd_compare(int argc, char **argv, const struct provenance *p)
{
    struct command_options o = {.version = PILOTSIM_VERSION, .provenance = p};
    int rc = cli_parse(&compare, argc, argv, &o, NULL);
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

static int cmd_sweep(int argc, char **argv, const struct provenance *p)
{
    struct command_options o = {.version = PILOTSIM_VERSION, .provenance = p};
    int rc = cli_parse(&sweep, argc, argv, &o, NULL);
    if (rc >= 0)
        return rc;
    if (o.n_varies == 0)
        return usage_error("sweep", "sweep needs at least one --vary KEY=V1,V2,...%s", "");
    return command_sweep(&o);
}

static int cmd_calibrate(int argc, char **argv, const struct provenance *p)
{
    struct command_options o = {.version = PILOTSIM_VERSION, .provenance = p};
    int rc = cli_parse(&calibrate, argc, argv, &o, NULL);
    if (rc >= 0)
        return rc;
    if (!o.targets)
        return usage_error("calibrate", "calibrate needs --targets FILE%s", "");
    return command_calibrate(&o);
}

static int cmd_check(int argc, char **argv, const struct provenance *p)
{
    struct command_options o = {.version = PILOTSIM_VERSION, .provenance = p};
    int rc = cli_parse(&check, argc, argv, &o, NULL);
    return rc >= 0 ? rc : command_check(&o);
}

static int cmd_plot(int argc, char **argv, const struct provenance *p)
{
    struct command_options o = {.version = PILOTSIM_VERSION, .provenance = p};
    int rc = cli_parse(&plot, argc, argv, &o, NULL);
    return rc >= 0 ? rc : command_plot(&o);
}

static int cmd_report(int argc, char **argv, const struct provenance *p)
{
    struct command_options o = {.version = PILOTSIM_VERSION, .provenance = p};
    int rc = cli_parse(&report, argc, argv, &o, NULL);
    return rc >= 0 ? rc : report_command_run(o.args[0], stderr);
}

/* loadtest, once parsed: the options resolved on the scenario (usage
 * errors, so printed here), then the run (command_loadtest). */
static int loadtest_resolved(const struct command_options *o, struct loadtest_command *lc)
{
    struct loadtest_command_error e;
    struct scenario *s = scenario_load(o->args[0], o->sets, o->n_sets, stderr);
    if (!s)
        return EXITCODE_USAGE;
    if (loadtest_command_resolve(lc, s, &e) < 0) {
        scenario_free(s);
        return usage_error("loadtest", e.fmt, e.arg);
    }
    return command_loadtest(o, lc, s);
}

static int cmd_loadtest(int argc, char **argv, const struct provenance *p)
{
    /* Room for every --fault there may be: no fixed cap drops one. */
    const char **fault_args = calloc((size_t)argc, sizeof *fault_args);
    struct loadtest_fault *faults = calloc((size_t)argc, sizeof *faults);
    struct command_options o = {.version = PILOTSIM_VERSION, .provenance = p};
    struct loadtest_command lc;
    int rc = EXITCODE_RUNTIME;
    if (fault_args && faults) {
        loadtest_command_init(&lc, PILOTSIM_VERSION, fault_args, faults);
        if ((rc = cli_parse(&loadtest, argc, argv, &o, &lc)) < 0)
            rc = loadtest_resolved(&o, &lc);
    } else {
        fputs("pilotsim: loadtest: out of memory\n", stderr);
    }
    free(fault_args);
    free(faults);
    return rc;
}

enum { OPT_LPS = CLI_KEY_END, OPT_POP, OPT_REMOTE, OPT_LOOKAHEAD, OPT_MEAN, OPT_END };

static int cmd_bench(int argc, char **argv, const struct provenance *unused)
{
    (void)unused;
    static const struct option opts[] = {{"lps", required_argument, 0, OPT_LPS},
                                         {"population", required_argument, 0, OPT_POP},
                                         {"remote", required_argument, 0, OPT_REMOTE},
                                         {"lookahead", required_argument, 0, OPT_LOOKAHEAD},
                                         {"mean", required_argument, 0, OPT_MEAN},
                                         {"end", required_argument, 0, OPT_END},
                                         {"seed", required_argument, 0, CLI_SEED},
                                         {"help", no_argument, 0, 'h'},
                                         {"max-memory", required_argument, 0, CLI_MAX_MEMORY},
                                         {0, 0, 0, 0}};
    struct phold_params p = phold_params_default();
    double max_memory = 0;
    int c, bad = 0;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_LPS:
            bad = cli_parse_u64(optarg, &p.lps);
            break;
        case OPT_POP:
            bad = cli_parse_u64(optarg, &p.population);
            break;
        case CLI_SEED:
            bad = cli_parse_u64(optarg, &p.seed);
            break;
        case OPT_REMOTE:
            bad = cli_parse_double(optarg, &p.remote);
            break;
        case OPT_LOOKAHEAD:
            bad = cli_parse_double(optarg, &p.lookahead);
            break;
        case OPT_MEAN:
            bad = cli_parse_double(optarg, &p.mean);
            break;
        case OPT_END:
            bad = cli_parse_double(optarg, &p.end);
            break;
        case CLI_MAX_MEMORY:
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

/* The commands, by name; each sees its own argv, with itself as argv[0]. */
static const struct {
    const char *name;
    int (*fn)(int argc, char **argv, const struct provenance *p);
} commands[] = {{"run", cmd_run},          {"compare", cmd_compare},
                {"sweep", cmd_sweep},      {"calibrate", cmd_calibrate},
                {"check", cmd_check},      {"plot", cmd_plot},
                {"report", cmd_report},    {"bench", cmd_bench},
                {"loadtest", cmd_loadtest}};

/* The command named by argv[1]; p: what its outputs record. */
static int dispatch(int argc, char **argv, const struct provenance *p)
{
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
            return commands[i].fn(argc - 1, argv + 1, p);
    return usage_error(NULL, "unknown command '%s'", cmd);
}

int main(int argc, char **argv)
{
    /* The MPI build: every rank runs the same command; rank 0 leads. */
    if (mpi_farm_start(&argc, &argv) < 0) {
        fputs("pilotsim: cannot start MPI\n", stderr);
        return EXITCODE_RUNTIME;
    }
    struct provenance p;
    int rc = EXITCODE_RUNTIME;
    if (provenance_init(&p, PILOTSIM_VERSION, argc, argv) == 0)
        rc = dispatch(argc, argv, &p);
    else
        fputs("pilotsim: out of memory\n", stderr);
    provenance_destroy(&p);
    mpi_farm_stop();
    return rc;
}
