/* cli: the commands' options and their values (cli.h). */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitcode.h"
#include "experiment/budget.h"
#include "experiment/experiment.h"
#include "usage.h"

int cli_parse_u64(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    /* strtoull would take "-1" as 2^64 - 1 */
    if (!*s || *s == '-')
        return -1;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

int cli_parse_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || v != v)
        return -1;
    *out = v;
    return 0;
}

int cli_parse_count(const char *s, unsigned max, unsigned *out)
{
    uint64_t v;
    if (cli_parse_u64(s, &v) < 0 || v < 1 || v > max)
        return -1;
    *out = (unsigned)v;
    return 0;
}

int cli_parse_share(const char *s, double *out)
{
    char buf[64];
    size_t len = strlen(s);
    int percent = len > 0 && s[len - 1] == '%';
    if (len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, s, len + 1);
    if (percent)
        buf[len - 1] = '\0';
    double v;
    if (cli_parse_double(buf, &v) < 0)
        return -1;
    if (percent)
        v /= 100;
    if (!(v > 0 && v < 1))
        return -1;
    *out = v;
    return 0;
}

/* The options of run, compare, sweep, check and plot. */
static const struct option experiment_opts[] = {
    {"output", required_argument, 0, 'o'},
    {"seed", required_argument, 0, CLI_SEED},
    {"set", required_argument, 0, CLI_SET},
    {"quiet", no_argument, 0, 'q'},
    {"no-charts", no_argument, 0, CLI_NO_CHARTS},
    {"help", no_argument, 0, 'h'},
    {"replications", required_argument, 0, CLI_REPS},
    {"jobs", required_argument, 0, 'j'},
    {"precision", required_argument, 0, CLI_PRECISION},
    {"max-replications", required_argument, 0, CLI_MAX_REPS},
    {"vary", required_argument, 0, CLI_VARY},
    {"metric", required_argument, 0, CLI_METRIC},
    {"max-memory", required_argument, 0, CLI_MAX_MEMORY},
    {"targets", required_argument, 0, CLI_TARGETS},
    {"fit", required_argument, 0, CLI_FIT},
    {"max-evaluations", required_argument, 0, CLI_MAX_EVALS},
    {"practical", required_argument, 0, CLI_PRACTICAL},
    {"long", no_argument, 0, CLI_LONG},
    {0, 0, 0, 0}};

/* loadtest's: the common ones and the load test's own (loadtest_command.h). */
static const struct option loadtest_opts[] = {
    {"output", required_argument, 0, 'o'},
    {"seed", required_argument, 0, CLI_SEED},
    {"set", required_argument, 0, CLI_SET},
    {"quiet", no_argument, 0, 'q'},
    {"no-charts", no_argument, 0, CLI_NO_CHARTS},
    {"help", no_argument, 0, 'h'},
    {"replications", required_argument, 0, CLI_REPS},
    {"jobs", required_argument, 0, 'j'},
    {"profile", required_argument, 0, LOADTEST_COMMAND_PROFILE},
    {"interval", required_argument, 0, LOADTEST_COMMAND_INTERVAL},
    {"warmup", required_argument, 0, LOADTEST_COMMAND_WARMUP},
    {"slo", required_argument, 0, LOADTEST_COMMAND_SLO},
    {"retries", required_argument, 0, LOADTEST_COMMAND_RETRIES},
    {"fault", required_argument, 0, LOADTEST_COMMAND_FAULT},
    {"find-capacity", no_argument, 0, LOADTEST_COMMAND_FIND_CAPACITY},
    {"capacity-range", required_argument, 0, LOADTEST_COMMAND_CAPACITY_RANGE},
    {"capacity-duration", required_argument, 0, LOADTEST_COMMAND_CAPACITY_DURATION},
    {"target", required_argument, 0, LOADTEST_COMMAND_TARGET},
    {"max-memory", required_argument, 0, CLI_MAX_MEMORY},
    {0, 0, 0, 0}};

/* Whether option c is one of the experiment options that `takes` lacks. */
static int option_refused(int c, unsigned takes)
{
    return ((c == CLI_REPS || c == CLI_MAX_REPS) && !(takes & CLI_TAKES_REPS)) ||
           (c == 'j' && !(takes & CLI_TAKES_JOBS)) ||
           ((c == CLI_PRECISION || c == CLI_MAX_REPS) && !(takes & CLI_TAKES_PRECISION)) ||
           ((c == CLI_VARY || c == CLI_METRIC) && !(takes & CLI_TAKES_VARY)) ||
           (c == CLI_MAX_MEMORY && !(takes & CLI_TAKES_MEMORY)) ||
           (c == CLI_LONG && !(takes & CLI_TAKES_LONG)) ||
           ((c == CLI_TARGETS || c == CLI_FIT || c == CLI_MAX_EVALS) &&
            !(takes & CLI_TAKES_TARGETS)) ||
           (c == CLI_PRACTICAL && !(takes & CLI_TAKES_PRACTICAL));
}

/* A repeated option's value into list[*n]: -1, or the usage error's exit
 * status when the list is full. */
static int take_repeated(const char *cmd, const char *what, const char **list, size_t *n,
                         size_t max, const char *cap)
{
    if (*n == max)
        return usage_error(cmd, what, cap);
    list[(*n)++] = optarg;
    return -1;
}

/* A load test's own option (loadtest_command.h), lc given: -1, or the
 * usage error's exit status. */
static int take_loadtest_option(int c, struct loadtest_command *lc)
{
    struct loadtest_command_error e;
    if (loadtest_command_option(lc, c, optarg, &e) < 0)
        return usage_error("loadtest", e.fmt, e.arg);
    return -1;
}

/* --practical SHARE: a share such as 1% or 0.01, or 0 (off). -1, or the
 * usage error's exit status. */
static int take_practical(const char *name, struct command_options *o)
{
    if (strcmp(optarg, "0") != 0 && strcmp(optarg, "0%") != 0 &&
        cli_parse_share(optarg, &o->practical) < 0)
        return usage_error(name, "--practical wants a share such as 1%% or 0.01 (0: off), not '%s'",
                           optarg);
    if (optarg[0] == '0' && (optarg[1] == '\0' || optarg[1] == '%'))
        o->practical = 0;
    o->practical_set = 1;
    return -1;
}

/* Take option c of a command, its value in optarg, into *o: -1 to go on,
 * else the exit status to return (after --help, or a usage error). */
static int take_option(const struct cli_command *cmd, int c, char **argv, struct command_options *o)
{
    const char *name = cmd->name;
    uint64_t seed;
    if (c == 'q' || c == CLI_NO_CHARTS || c == CLI_LONG) { /* the flags */
        *(c == 'q' ? &o->quiet : c == CLI_LONG ? &o->long_csv : &o->no_charts) = 1;
        return -1;
    }
    switch (c) {
    case 'o':
        o->out_dir = optarg;
        return -1;
    case CLI_SEED:
        if (cli_parse_u64(optarg, &seed) < 0)
            return usage_error(name, "--seed wants a non-negative integer, not '%s'", optarg);
        snprintf(o->seed_set, sizeof o->seed_set, "seed=%" PRIu64, seed);
        return -1;
    case CLI_SET:
        if (!strchr(optarg, '='))
            return usage_error(name, "--set wants KEY=VALUE, not '%s'", optarg);
        return take_repeated(name, "too many --set options (%s)", o->sets, &o->n_sets,
                             COMMAND_MAX_SETS, "256 at most");
    case CLI_TARGETS:
        o->targets = optarg;
        return -1;
    case CLI_VARY:
        return take_repeated(name, "too many --vary options (%s)", o->varies, &o->n_varies,
                             COMMAND_MAX_ARGS, "64 at most");
    case CLI_FIT: /* checked whole by the fit (experiment/fit_command.h) */
        return take_repeated(name, "too many --fit options (%s)", o->fits, &o->n_fits,
                             COMMAND_MAX_ARGS, "64 at most");
    case CLI_MAX_EVALS:
        if (cli_parse_count(optarg, 1000000, &o->max_evaluations) < 0)
            return usage_error(name, "--max-evaluations wants a count from 1 to 1000000, not '%s'",
                               optarg);
        return -1;
    case CLI_METRIC:
        return take_repeated(name, "too many --metric options (%s)", o->metrics, &o->n_metrics,
                             COMMAND_MAX_ARGS, "64 at most");
    case CLI_REPS:
        if (cli_parse_count(optarg, EXPERIMENT_MAX_REPS, &o->replications) < 0)
            return usage_error(name, "--replications wants a count from 1 to 100000, not '%s'",
                               optarg);
        return -1;
    case CLI_MAX_REPS:
        if (cli_parse_count(optarg, EXPERIMENT_MAX_REPS, &o->max_replications) < 0)
            return usage_error(name,
                               "--max-replications wants a count from 1 to 100000, "
                               "not '%s'",
                               optarg);
        return -1;
    case 'j':
        if (cli_parse_count(optarg, 4096, &o->jobs) < 0)
            return usage_error(name, "--jobs wants a count from 1 to 4096, not '%s'", optarg);
        return -1;
    case CLI_PRECISION:
        if (cli_parse_share(optarg, &o->precision) < 0)
            return usage_error(name, "--precision wants a share such as 2%% or 0.02, not '%s'",
                               optarg);
        return -1;
    case CLI_PRACTICAL:
        return take_practical(name, o);
    case CLI_MAX_MEMORY:
        if (budget_parse_size(optarg, &o->max_memory) < 0)
            return usage_error(name, "--max-memory wants a size like 16G or 512M, not '%s'",
                               optarg);
        return -1;
    case 'h':
        fputs(cmd->usage, stdout);
        return EXITCODE_OK;
    case ':':
        return usage_error(name, "option %s needs a value", argv[optind - 1]);
    default:
        return usage_error(name, "unknown option '%s'", argv[optind - 1]);
    }
}

int cli_parse(const struct cli_command *cmd, int argc, char **argv, struct command_options *o,
              struct loadtest_command *lc)
{
    const struct option *opts = lc ? loadtest_opts : experiment_opts;
    int c, rc;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":o:qhj:", opts, NULL)) != -1) {
        if (option_refused(c, cmd->takes))
            return usage_error(cmd->name, "option '%s' does not apply here", argv[optind - 1]);
        if (lc && c >= LOADTEST_COMMAND_PROFILE)
            rc = take_loadtest_option(c, lc);
        else
            rc = take_option(cmd, c, argv, o);
        if (rc >= 0)
            return rc;
    }
    if (optind >= argc)
        return usage_error(cmd->name, "missing %s",
                           strcmp(cmd->name, "plot") && strcmp(cmd->name, "report") ? "SCENARIO"
                                                                                    : "DIR");
    if (!(cmd->takes & CLI_TAKES_MANY) && optind + 1 < argc)
        return usage_error(cmd->name, "unexpected argument '%s'", argv[optind + 1]);
    for (; optind < argc; optind++) {
        if (o->n_args == COMMAND_MAX_ARGS)
            return usage_error(cmd->name, "too many scenarios (%s)", "64 at most");
        o->args[o->n_args++] = argv[optind];
    }
    /* --seed is a --set applied last, so it wins over the file. */
    if (o->seed_set[0])
        o->sets[o->n_sets++] = o->seed_set;
    return -1;
}
