/* summary_view: a summary.json read back, for the reports that every kind
 * builds from its directory's files (never from memory, so that `pilotsim
 * report DIR` rebuilds what the command wrote).
 *
 * libyaml reads JSON, so the file goes through ytree_read (its size and
 * depth limits included). A metric is read in either layout: a plain
 * number (the mean, with `NAME_ci_lo` and `NAME_ci_hi` beside it) or an
 * object {mean, sd, ci_lo, ci_hi} (summary.json before one shape at any
 * R). A missing key, `null` or a non-number reads as NaN.
 * Ownership: the view owns the tree; strings it returns live until
 * summary_view_close. */
#ifndef PILOTSIM_SUMMARY_VIEW_H
#define PILOTSIM_SUMMARY_VIEW_H

#include <stdio.h>

#include "scenario/ytree.h"

struct summary_view {
    struct ytree_ctx ctx;
    const struct ytree *root; /* the top-level mapping; NULL when not open */
};

/* Read DIR/NAME (NAME NULL: summary.json): 0, or -1 with one line on err
 * (missing, unreadable or not JSON). Close it either way. */
int summary_view_open(struct summary_view *v, const char *dir, const char *name, FILE *err);
void summary_view_close(struct summary_view *v);

/* The node at a dotted path below map ("latency_ms.p99"), or NULL. */
const struct ytree *summary_view_get(const struct ytree *map, const char *path);
/* A metric's value (its mean over replications); NaN when absent. */
double summary_view_num(const struct ytree *map, const char *path);
/* Its 95% interval; 0 with both set, -1 (NaN) when there is none (R = 1). */
int summary_view_ci(const struct ytree *map, const char *path, double *lo, double *hi);
/* A string value, or `fallback` when absent or not a scalar. */
const char *summary_view_str(const struct ytree *map, const char *path, const char *fallback);

#endif
