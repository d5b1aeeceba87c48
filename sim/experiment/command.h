/* command: what each command of the command line does once main.c has
 * parsed its arguments: load the scenarios, refuse what the machine cannot
 * hold (budget.h), print the scenarios' warnings, take the output
 * directory (outdir.h), run the pipeline and map its outcome to an exit
 * status (exitcode.h). main.c checks the options themselves (their values,
 * what goes with what) and prints usage errors; everything after is here.
 * Under MPI every rank runs the same command; rank 0 alone takes the
 * output directory and the others follow its verdict.
 * Ownership: the options borrow main's argv; a command frees what it
 * loads before it returns. */
#ifndef PILOTSIM_COMMAND_H
#define PILOTSIM_COMMAND_H

#include <stddef.h>
#include <stdio.h>

#include "kernel/phold.h"
#include "loadtest/loadtest_command.h"
#include "experiment/budget.h"
#include "output/outdir.h"
#include "output/provenance.h"

#define COMMAND_MAX_SETS 256 /* --set options */
#define COMMAND_MAX_ARGS 64  /* scenarios of compare, --vary and --metric options */

/* The parsed command line of a command that reads a scenario. */
struct command_options {
    const char *version;                    /* pilotsim's, recorded in the outputs */
    const struct provenance *provenance;    /* main's: what every summary.json records */
    const char *out_dir;                    /* -o; NULL: the command's default */
    const char *sets[COMMAND_MAX_SETS + 1]; /* --set KEY=VALUE, --seed's last */
    size_t n_sets;
    char seed_set[64]; /* "seed=N" from --seed, or "" */
    int quiet, no_charts;
    int long_csv;                       /* --long: DIR/long.csv too */
    unsigned replications;              /* 0: not given */
    unsigned jobs;                      /* 0: one per core */
    double precision;                   /* 0: not given */
    unsigned max_replications;          /* 0: not given */
    double max_memory;                  /* --max-memory, bytes (0: the memory available) */
    const char *args[COMMAND_MAX_ARGS]; /* positional arguments */
    size_t n_args;
    const char *varies[COMMAND_MAX_ARGS]; /* --vary KEY=V1,V2,... */
    size_t n_varies;
    const char *metrics[COMMAND_MAX_ARGS]; /* --metric NAME */
    size_t n_metrics;
    const char *targets;                /* --targets FILE (calibrate) */
    const char *fits[COMMAND_MAX_ARGS]; /* --fit KEY=LO:HI (calibrate) */
    size_t n_fits;
    unsigned max_evaluations; /* --max-evaluations (0: not given) */
    int practical_set;        /* --practical given (compare) */
    double practical;         /* its share, 0 <= practical < 1 */
};

/* The commands; each returns its exit status (exitcode.h) with its
 * messages on stderr. run, check: args[0] is the scenario; compare: the
 * args are the plans (2 to COMPARE_MAX_PLANS); sweep: args[0] and at least
 * one --vary; plot: args[0] is a run's output directory. */
int command_run(const struct command_options *o);
int command_compare(const struct command_options *o);
int command_sweep(const struct command_options *o);
int command_check(const struct command_options *o);
int command_plot(const struct command_options *o);
/* calibrate: args[0] is the scenario, o->targets the targets file. */
int command_calibrate(const struct command_options *o);
/* bench phold: the benchmark with p, refused beyond max_memory bytes (0:
 * the memory available); its JSON on stdout. */
int command_bench(const struct phold_params *p, double max_memory);

/* loadtest: lc resolved on s (loadtest_command_resolve, by main.c, which
 * prints its usage errors); -q, --no-charts and --replications from o.
 * Frees s. */
int command_loadtest(const struct command_options *o, struct loadtest_command *lc,
                     struct scenario *s);

/* The steps every command shares (the load tester's too) follow.
 * The default output directory: out/<file name without directory and
 * .yaml><suffix> in buf. */
void command_default_out_dir(const char *path, const char *suffix, char *buf, size_t size);
/* 0 when the machine can hold and finish b within max_memory bytes (0: the
 * memory available), else -1 after the message. Under MPI the ranks must
 * all decide alike while their hosts' free memory differs: there only an
 * explicit --max-memory (and the events) can refuse. */
int command_within_budget(const char *cmd, const struct budget *b, double max_memory);
/* Take the output directory dir for the whole command (outdir_open with
 * inputs and flags): -1 when taken, else the exit status (the message is
 * out). */
int command_own_output(struct outdir *d, const char *dir, const char *const *inputs, size_t n,
                       int flags);

#endif
