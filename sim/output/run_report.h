/* run_report: a run's report.html (R = 1 or R > 1), built from the files
 * of its directory alone (summary.json, scenario.yaml, timeseries.csv and
 * the charts), so that `pilotsim report DIR` rebuilds the same bytes as
 * `pilotsim run` wrote.
 *
 * The memo page: the answer (adoption, wallets, payments and their value,
 * peak throughput, p99 latency, failures, money conserved), a table by
 * city, the interventions' outcomes, the three charts, the caveats that
 * apply to this run. The appendix: every city's figures in full, every
 * intervention's outcomes, the money counters, the scenario's key
 * settings, how the replications ran and which files hold what. */
#ifndef PILOTSIM_RUN_REPORT_H
#define PILOTSIM_RUN_REPORT_H

#include <stdio.h>

#include "output/doc.h"

/* Fill d from DIR's files: 0, or -1 with one line on err (a file missing
 * or unreadable). */
int run_report_build(const char *dir, struct doc *d, FILE *err);
/* Build and write DIR/report.html: 0 or -1 (message on err). */
int run_report_write(const char *dir, FILE *err);

#endif
