/* report: writes a run's outputs (DESIGN.md's output contract) into a
 * directory: summary.json, timeseries.csv and the resolved scenario.yaml.
 *
 * Every file is written to a temporary name in the same directory and
 * renamed into place only when complete, so a reader never sees a file
 * half-written and a failed run leaves no partial output. Numbers are
 * printed with fixed formats, so the same results give the same bytes.
 * Knows nothing of gnuplot. */
#ifndef PILOTSIM_REPORT_H
#define PILOTSIM_REPORT_H

#include <stdio.h>
#include "model.h"
#include "scenario.h"

/* What depends on the machine or the moment: summary.json's `run` section. */
struct run_info {
    const char *version;
    char started_at[32];       /* ISO 8601, UTC */
    double wall_s;             /* the simulation's wall time */
    char host[64];
};

/* Create `dir` (and its parents) if needed; 0 or -1 with a message on err. */
int report_mkdir(const char *dir, FILE *err);

/* Write summary.json, timeseries.csv and scenario.yaml; 0, or -1 with a
 * one-line message on err. */
int report_write(const char *dir, const struct scenario *s, const struct model_result *r,
                 const struct run_info *info, FILE *err);

/* Format scenario time t as local ISO 8601 (Asia/Shanghai) into buf[32]. */
void report_time(const struct scenario *s, double t, char buf[32]);

#endif
