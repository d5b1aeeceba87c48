/* compare_summary: a comparison's top-level DIR/summary.json, for scripts:
 * the plans (label, name, spending, cost per wallet and per active user),
 * every headline metric's means, paired differences and verdicts (plain
 * numbers and words, null where a value does not apply), the practical
 * threshold, and the `run` section with the provenance. Built from the
 * directory's files (compare_files.h), as the memo is, so the two agree.
 * One shape whatever the plans or replications (docs/outputs.md). */
#ifndef PILOTSIM_COMPARE_SUMMARY_H
#define PILOTSIM_COMPARE_SUMMARY_H

#include <stdio.h>

#include "output/report.h"

/* Write dir/summary.json with practical as the threshold compare.csv's
 * verdicts used, and info as its run section. 0, or -1 with a message. */
int compare_summary_write(const char *dir, double practical, const struct run_info *info,
                          FILE *err);

#endif
