/* cli: the options of the commands that read a scenario (run, compare,
 * sweep, calibrate, check, plot, loadtest), parsed into experiment/command.h's
 * struct command_options with one getopt loop, and the option values'
 * parsers. A command names the options it takes beyond the common ones;
 * an experiment option it does not take is refused ("does not apply
 * here"), and every bad value is a one-line usage error (usage.h) naming
 * the option and the value, so the first bad option is the one reported.
 * The value parsers are strict: the whole string or nothing (no trailing
 * text, no sign where none is meant, no NaN); each returns 0 with the
 * value in *out, or -1 leaving *out alone.
 * Ownership: the options borrow argv; nothing is allocated. */
#ifndef PILOTSIM_CLI_H
#define PILOTSIM_CLI_H

#include <stdint.h>

#include "experiment/command.h"
#include "loadtest/loadtest_command.h"

/* getopt_long's keys of the long-only options (bench's table uses some). */
enum cli_key {
    CLI_SEED = 256,
    CLI_SET,
    CLI_NO_CHARTS,
    CLI_REPS,
    CLI_PRECISION,
    CLI_MAX_REPS,
    CLI_VARY,
    CLI_METRIC,
    CLI_MAX_MEMORY,
    CLI_TARGETS,
    CLI_FIT,
    CLI_MAX_EVALS,
    CLI_PRACTICAL,
    CLI_LONG,
    CLI_KEY_END /* the first key free for a command's own */
};

/* Which options a command takes beyond -o, --seed, --set, -q, --no-charts. */
enum cli_takes {
    CLI_TAKES_REPS = 1,        /* --replications (--max-replications with precision) */
    CLI_TAKES_JOBS = 2,        /* -j, --jobs */
    CLI_TAKES_PRECISION = 4,   /* --precision, --max-replications */
    CLI_TAKES_VARY = 8,        /* --vary, --metric */
    CLI_TAKES_MANY = 16,       /* more than one positional argument */
    CLI_TAKES_MEMORY = 32,     /* --max-memory */
    CLI_TAKES_TARGETS = 64,    /* --targets (calibrate) */
    CLI_TAKES_PRACTICAL = 128, /* --practical (compare) */
    CLI_TAKES_LONG = 256       /* --long (run, compare, sweep) */
};

struct cli_command {
    const char *name;  /* as typed: "run" */
    const char *usage; /* its --help text (usage.h) */
    unsigned takes;    /* enum cli_takes, or'ed */
};

/* Parse a command's options into *o (zeroed by the caller) and its
 * positional arguments into o->args: exactly one unless it takes many.
 * --seed is added to o->sets last, so that it wins. With lc (loadtest),
 * the load test's own options too, each handed to loadtest_command_option
 * as getopt meets it. Returns -1 on success, else the exit status to
 * return (0 after --help, else the usage error's, its message printed). */
int cli_parse(const struct cli_command *cmd, int argc, char **argv, struct command_options *o,
              struct loadtest_command *lc);

/* A non-negative integer. */
int cli_parse_u64(const char *s, uint64_t *out);
/* A double, not NaN. */
int cli_parse_double(const char *s, double *out);
/* A count: 1 <= value <= max. */
int cli_parse_count(const char *s, unsigned max, unsigned *out);
/* A share: "2%" or "0.02", strictly between 0 and 1. */
int cli_parse_share(const char *s, double *out);

#endif
