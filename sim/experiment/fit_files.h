/* fit_files: what `calibrate --fit` writes beside calibrate.json.
 *
 * calibrated.yaml is a scenario that `extends:` the fitted one by a path
 * relative to the output directory and sets the command line's --set and
 * the fitted keys at the best point, as nested YAML (an intervention's key
 * as an `interventions` item with its id: the overlay merges such items by
 * id), so `pilotsim run DIR/calibrated.yaml` runs the best point. A --set
 * through another list (payments.hourly.12) cannot be said that way: it is
 * written as a comment and warned about.
 * calibrate.csv has one row per evaluation, in order: its number, phase
 * (search or curvature), each key's value, the objective and each fit
 * target's model mean. Ownership: borrows everything; files go through
 * report_atomic (complete or absent). */
#ifndef PILOTSIM_FIT_FILES_H
#define PILOTSIM_FIT_FILES_H

#include <stdio.h>

#include "experiment/fit_command.h"

/* calibrated.yaml and calibrate.csv into dir. 0, or -1 after a message. */
int fit_files_write(const char *dir, const struct fit_command *fc, const struct fit_outcome *o,
                    FILE *err);

/* calibrate-trajectory.csv and charts/calibrate.png|svg: the best
 * point's series (one more evaluation, a target a day, at most 60 days
 * evenly spaced) against the published points of the series targets, one
 * panel per series and city (at most 16). Nothing without series targets;
 * no chart when fc->charts is 0. Under MPI every rank calls it (the
 * evaluation is collective); rank 0 writes. 0, or -1 after a message. */
int fit_files_trajectory(const char *dir, const struct fit_command *fc, const struct fit_outcome *o,
                         FILE *err);

/* The path of `target` relative to the directory `dir` (both must exist),
 * into buf. 0, or -1 (then buf holds target's absolute path if known). */
int fit_files_relative(const char *dir, const char *target, char *buf, size_t size);

#endif
