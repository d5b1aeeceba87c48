/* loadtest_report: the `pilotsim loadtest` command after parsing. Runs the
 * load test R times (replication r keyed r), merges the replications
 * exactly, judges the SLO per interval, optionally searches the capacity,
 * and writes DIR/loadtest.csv (one row per judged interval),
 * DIR/loadtest_resources.csv (per interval and resource), DIR/summary.json
 * (its `loadtest` section) and DIR/charts/loadtest-{knee,latency,
 * utilization}.png|svg (docs/outputs.md). Files are written atomically.
 * Charts run gnuplot with the scenario's text as argument data only.
 * Ownership: borrows the scenario and the options. */
#ifndef PILOTSIM_LOADTEST_REPORT_H
#define PILOTSIM_LOADTEST_REPORT_H

#include <stdio.h>
#include "loadtest/loadtest_command.h"
#include "scenario/scenario.h"

enum loadtest_status {
    LOADTEST_OK = 0,              /* done; every SLO held (or none was given) */
    LOADTEST_RUNTIME = 1,         /* out of memory, I/O or gnuplot failed */
    LOADTEST_SLO_FAILED = 3       /* an interval failed the SLO, or no capacity found */
};

enum loadtest_status loadtest_report_command(const struct scenario *s,
                                             const struct loadtest_command *c, FILE *err);

#endif
