/* loadtest_command: the `pilotsim loadtest` command once main.c has read
 * its arguments. main.c hands each load-test option's value to
 * loadtest_command_option as getopt meets it (so the first bad one is the
 * one reported), loads the scenario, and calls loadtest_command_resolve:
 * the --fault texts are parsed against the scenario's operators, and the
 * scenario's `loadtest:` section fills every option the command line did
 * not give (the command line wins), then the effective options are
 * checked before anything is written. loadtest_command_run then runs the
 * load test R times (replication r keyed r), merges the replications
 * exactly, judges the SLO per interval, searches the capacity when asked,
 * and hands it all to loadtest_report to write.
 * Errors of the options are usage errors: a format with one %s and its
 * argument, printed by main.c after "pilotsim loadtest: ".
 * Ownership: the command borrows its fault texts and faults (arrays of the
 * caller's, room for every --fault) and its output directory. */
#ifndef PILOTSIM_LOADTEST_COMMAND_H
#define PILOTSIM_LOADTEST_COMMAND_H

#include <stddef.h>
#include <stdio.h>
#include "loadtest/capacity.h"
#include "loadtest/loadtest.h"
#include "output/provenance.h"
#include "scenario/scenario.h"

/* The load test's own options, as getopt keys (main.c's table names them;
 * above main.c's own keys). */
enum loadtest_command_opt {
    LOADTEST_COMMAND_PROFILE = 512,
    LOADTEST_COMMAND_INTERVAL,
    LOADTEST_COMMAND_WARMUP,
    LOADTEST_COMMAND_SLO,
    LOADTEST_COMMAND_RETRIES,
    LOADTEST_COMMAND_FAULT,
    LOADTEST_COMMAND_FIND_CAPACITY,
    LOADTEST_COMMAND_CAPACITY_RANGE,
    LOADTEST_COMMAND_CAPACITY_DURATION,
    LOADTEST_COMMAND_TARGET
};

struct loadtest_command {
    struct loadtest_options o; /* the load test (profile, SLO, faults, ...) */
    const char *out_dir;
    const char *version;                 /* pilotsim's, for summary.json */
    const struct provenance *provenance; /* main's, for summary.json (NULL: none) */
    unsigned replications;               /* 0 or 1: one run */
    unsigned jobs;                       /* worker processes (0 or 1: none, runs one by one) */
    int quiet, charts;
    int find_capacity;
    struct capacity_params cap; /* lo/hi 0 until resolved: from the profile's rates */
    /* What the command line gave of what the scenario's section may also say. */
    int has_profile, has_interval, has_warmup, has_slo, has_retries;
    double target_per_s;     /* --target or loadtest.target (0: none) */
    const char **fault_args; /* [n_fault_args] --fault texts, parsed by resolve */
    size_t n_fault_args;
    struct loadtest_fault *faults; /* [n_fault_args] room for them (o.faults once resolved) */
};

/* A usage error: main.c prints fmt with arg after "pilotsim loadtest: ". */
struct loadtest_command_error {
    const char *fmt; /* one %s */
    const char *arg; /* the option's value, or why */
    char why[256];
};

/* The defaults (loadtest_options_default; charts on; capacity probes of
 * 60 s to 1%, 3 replications), borrowing room for argc fault texts and faults. */
void loadtest_command_init(struct loadtest_command *c, const char *version, const char **fault_args,
                           struct loadtest_fault *faults);
/* Take option `opt` (a LOADTEST_COMMAND_* key) with value arg (NULL for
 * --find-capacity); 0, or -1 with the usage error in *e. */
int loadtest_command_option(struct loadtest_command *c, int opt, const char *arg,
                            struct loadtest_command_error *e);
/* The effective options on scenario s: faults parsed, the `loadtest:`
 * section merged under the command line, the default profile when neither
 * gives one, the capacity bracket resolved; then checked (an SLO for
 * --find-capacity, at most 100y of profile, loadtest_options_check, a
 * bracket 0 < lo < hi). 0, or -1 with the usage error in *e. */
int loadtest_command_resolve(struct loadtest_command *c, const struct scenario *s,
                             struct loadtest_command_error *e);

/* The most runs c has going at once: its jobs, at most its replications
 * unless it searches the capacity (whose rounds fill every worker). */
unsigned loadtest_command_workers(const struct loadtest_command *c);

/* Run the resolved command c on s into c->out_dir (which the caller has
 * taken); the exit status (exitcode.h): OK when every SLO held (or none
 * was given; with --find-capacity, when a capacity was found), SLO when
 * one failed, RUNTIME on no memory, I/O or gnuplot (message on err). */
int loadtest_command_run(const struct scenario *s, const struct loadtest_command *c, FILE *err);

#endif
