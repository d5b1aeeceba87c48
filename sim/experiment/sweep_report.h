/* sweep_report: a sweep's report.html, built from its directory's files.
 *
 * The memo page answers first: for each charted metric, the best point
 * (by the metric's direction) with its 95% interval, the range over the
 * grid, and how the metric responds to the first key (where it flattens,
 * or whether the response is within the noise); then the charts with
 * numbered captions and the caveats. The appendix holds the points at a
 * glance and every listed metric at every point, and where its outputs
 * are; the footer the provenance. Reads only DIR/summary.json (sweep_files.h) and
 * the charts, so `pilotsim report DIR` rebuilds what `pilotsim sweep`
 * wrote. Ownership: fills the caller's doc; writes nothing. */
#ifndef PILOTSIM_SWEEP_REPORT_H
#define PILOTSIM_SWEEP_REPORT_H

#include <stdio.h>

struct doc;

/* Fill d with the sweep in dir. 0, or -1 after a message on err. */
int sweep_report_build(const char *dir, struct doc *d, FILE *err);

/* Build the doc and write DIR/report.html. 0, or -1 after a message. */
int sweep_report_write(const char *dir, FILE *err);

#endif
