/* calibrate_report: a calibration's report (report.html) and calibrate.md,
 * built from the directory's files.
 *
 * The memo page answers first: how many targets the model meets within
 * their tolerance, which it misses and by how much, and (after a fit) the
 * fitted values with their intervals and whether the targets pin each
 * down; then the trajectory chart (a fit with series targets), the
 * caveats. The appendix lists every target. It reads DIR/calibrate.json
 * (and whether DIR/calibrate-trajectory.csv exists) only, so `pilotsim
 * report DIR` rebuilds what `pilotsim calibrate` wrote; calibrate.md is
 * the same doc in Markdown (doc_write_markdown).
 * Ownership: fills the caller's doc; writes nothing. */
#ifndef PILOTSIM_CALIBRATE_REPORT_H
#define PILOTSIM_CALIBRATE_REPORT_H

#include <stdio.h>

struct doc;

/* Fill d with the calibration in dir. 0, or -1 after a message on err. */
int calibrate_report_build(const char *dir, struct doc *d, FILE *err);

/* Build the doc and write DIR/calibrate.md and DIR/report.html. 0 or -1. */
int calibrate_report_write(const char *dir, FILE *err);

#endif
