/* main: the pilotsim command line. Parses arguments and calls the modules;
 * nothing else lives here. Options may come before or after the scenario
 * (getopt_long permutes). Exit statuses are the enum below (DESIGN.md). */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "experiment.h"
#include "phold.h"
#include "plot.h"
#include "scenario.h"

#define PILOTSIM_VERSION "0.1.0"
#define MAX_SETS 256

enum exit_status {
    EXIT_OK = 0,       /* success */
    EXIT_RUNTIME = 1,  /* a failure after the input was accepted (I/O, gnuplot) */
    EXIT_USAGE = 2,    /* usage error or bad input */
    EXIT_SLO = 3       /* a load test's SLO failed */
};

static const char *usage_main =
    "usage: pilotsim COMMAND [options]\n"
    "\n"
    "Simulates China's e-CNY pilot (Shenzhen, Xiong'an, Chengdu, Suzhou) from a\n"
    "YAML scenario and reports adoption and payment-infrastructure load.\n"
    "\n"
    "commands:\n"
    "  run SCENARIO     simulate and write summary.json, timeseries.csv, charts\n"
    "  check SCENARIO   validate a scenario and print a summary of it\n"
    "  plot DIR         redraw the charts of a finished run\n"
    "  bench phold      the PHOLD event-engine benchmark\n"
    "\n"
    "options:\n"
    "  -h, --help       this help (COMMAND --help: the command's own)\n"
    "  -V, --version    print the version\n"
    "\n"
    "exit status: 0 success, 1 runtime failure, 2 usage error or bad input.\n";

static const char *usage_run =
    "usage: pilotsim run SCENARIO [options]\n"
    "\n"
    "Simulate SCENARIO and write DIR/summary.json, DIR/timeseries.csv,\n"
    "DIR/scenario.yaml (the resolved scenario) and DIR/charts/*.png|svg.\n"
    "\n"
    "  -o, --output DIR     output directory (default out/<scenario name>)\n"
    "      --seed N         random seed (overrides the scenario's `seed`)\n"
    "      --set KEY=VALUE  override a scenario value, e.g. --set sample=100\n"
    "                       or --set cities.shenzhen.population=1000 (repeatable)\n"
    "  -q, --quiet          no progress bar and no closing line\n"
    "      --no-charts      do not run gnuplot\n"
    "  -h, --help           this help\n";

static const char *usage_check =
    "usage: pilotsim check SCENARIO [--set KEY=VALUE]...\n"
    "\n"
    "Validate SCENARIO (every error as file:line:column) and print a summary.\n"
    "Exit status 0 when valid, 2 when not.\n";

static const char *usage_plot =
    "usage: pilotsim plot DIR\n"
    "\n"
    "Redraw DIR/charts/ from DIR/timeseries.csv and DIR/scenario.yaml of a\n"
    "finished run.\n";

static const char *usage_bench =
    "usage: pilotsim bench phold [options]\n"
    "\n"
    "PHOLD (Fujimoto 1990) on pilotsim's event engine; prints one JSON object.\n"
    "\n"
    "  --lps N          logical processes (default 1024)\n"
    "  --population M   initial events per LP (default 16)\n"
    "  --remote P       probability of sending to a random LP (default 0.25)\n"
    "  --lookahead L    minimum time increment (default 0.1)\n"
    "  --mean X         mean time increment (default 1.0)\n"
    "  --end T          simulated end time (default 1000)\n"
    "  --seed S         random seed (default 1)\n";

/* Options shared by the commands that read a scenario. */
struct cli {
    const char *out_dir;
    const char *sets[MAX_SETS + 1];
    size_t n_sets;
    char seed_set[64];
    int quiet, no_charts;
};

static int usage_error(const char *cmd, const char *fmt, const char *arg) {
    fprintf(stderr, "pilotsim%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (see pilotsim %s%s--help)\n", cmd ? cmd : "", cmd ? " " : "");
    return EXIT_USAGE;
}

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

enum { OPT_SEED = 256, OPT_SET, OPT_NO_CHARTS, OPT_LPS, OPT_POP, OPT_REMOTE, OPT_LOOKAHEAD,
       OPT_MEAN, OPT_END };

/* Parse the options of run/check/plot; the one positional argument goes to
 * *arg. Returns -1 on success, else the exit status to return. */
static int parse_scenario_options(const char *cmd, const char *usage, int argc, char **argv,
                                  struct cli *cli, const char **arg) {
    static const struct option opts[] = {
        {"output", required_argument, 0, 'o'}, {"seed", required_argument, 0, OPT_SEED},
        {"set", required_argument, 0, OPT_SET}, {"quiet", no_argument, 0, 'q'},
        {"no-charts", no_argument, 0, OPT_NO_CHARTS}, {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    int c;
    uint64_t seed;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":o:qh", opts, NULL)) != -1) {
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
        case 'h':
            fputs(usage, stdout);
            return EXIT_OK;
        case ':':
            return usage_error(cmd, "option %s needs a value", argv[optind - 1]);
        default:
            return usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return usage_error(cmd, "missing %s", strcmp(cmd, "plot") ? "SCENARIO" : "DIR");
    if (optind + 1 < argc)
        return usage_error(cmd, "unexpected argument '%s'", argv[optind + 1]);
    *arg = argv[optind];
    /* --seed is a --set applied last, so it wins over the file. */
    if (cli->seed_set[0])
        cli->sets[cli->n_sets++] = cli->seed_set;
    return -1;
}

/* out/<file name without directory and .yaml>. */
static void default_out_dir(const char *path, char *buf, size_t size) {
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t len = strlen(base);
    if (len > 5 && strcmp(base + len - 5, ".yaml") == 0)
        len -= 5;
    else if (len > 4 && strcmp(base + len - 4, ".yml") == 0)
        len -= 4;
    snprintf(buf, size, "out/%.*s", (int)len, base);
}

static int cmd_run(int argc, char **argv) {
    struct cli cli = {0};
    const char *path;
    int rc = parse_scenario_options("run", usage_run, argc, argv, &cli, &path);
    if (rc >= 0)
        return rc;
    struct scenario *s = scenario_load(path, cli.sets, cli.n_sets, stderr);
    if (!s)
        return EXIT_USAGE;
    char out[PATH_MAX];
    if (cli.out_dir)
        snprintf(out, sizeof out, "%s", cli.out_dir);
    else
        default_out_dir(path, out, sizeof out);
    struct run_options o = {.out_dir = out, .version = PILOTSIM_VERSION, .quiet = cli.quiet,
                            .charts = !cli.no_charts};
    enum experiment_status st = experiment_run(s, &o, stderr);
    scenario_free(s);
    return st == EXPERIMENT_OK ? EXIT_OK : EXIT_RUNTIME;
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
    printf("  interventions: %zu\n", s->n_interventions);
    for (size_t i = 0; i < s->n_interventions; i++)
        printf("    %-20s lottery in %s, %lld envelopes\n", s->interventions[i].id,
               s->cities[s->interventions[i].city].id, (long long)s->interventions[i].envelopes);
}

static int cmd_check(int argc, char **argv) {
    struct cli cli = {0};
    const char *path;
    int rc = parse_scenario_options("check", usage_check, argc, argv, &cli, &path);
    if (rc >= 0)
        return rc;
    struct scenario *s = scenario_load(path, cli.sets, cli.n_sets, stderr);
    if (!s)
        return EXIT_USAGE;
    print_check(s);
    scenario_free(s);
    return EXIT_OK;
}

static int cmd_plot(int argc, char **argv) {
    struct cli cli = {0};
    const char *dir;
    int rc = parse_scenario_options("plot", usage_plot, argc, argv, &cli, &dir);
    if (rc >= 0)
        return rc;
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/scenario.yaml", dir);
    struct scenario *s = scenario_load(path, NULL, 0, stderr);
    if (!s)
        return EXIT_USAGE;
    rc = plot_render(dir, s, stderr) == 0 ? EXIT_OK : EXIT_RUNTIME;
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
        {0, 0, 0, 0}};
    struct phold_params p = phold_params_default();
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
        case 'h':
            fputs(usage_bench, stdout);
            return EXIT_OK;
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
    struct phold_result r;
    if (phold_run(&p, &r) < 0)
        return EXIT_USAGE;
    return phold_write_json(&r, stdout) == 0 ? EXIT_OK : EXIT_RUNTIME;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fputs(usage_main, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        fputs(usage_main, stdout);
        return EXIT_OK;
    }
    if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
        printf("pilotsim %s\n", PILOTSIM_VERSION);
        return EXIT_OK;
    }
    /* Each command sees its own argv, with itself as argv[0]. */
    if (!strcmp(cmd, "run"))
        return cmd_run(argc - 1, argv + 1);
    if (!strcmp(cmd, "check"))
        return cmd_check(argc - 1, argv + 1);
    if (!strcmp(cmd, "plot"))
        return cmd_plot(argc - 1, argv + 1);
    if (!strcmp(cmd, "bench"))
        return cmd_bench(argc - 1, argv + 1);
    return usage_error(NULL, "unknown command '%s'", cmd);
}
