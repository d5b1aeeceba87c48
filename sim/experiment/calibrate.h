/* calibrate: `pilotsim calibrate SCENARIO --targets FILE`, a scenario set
 * against published figures. Without fitting it evaluates the scenario
 * (evaluate.h) against every target, fit and check, and writes
 * DIR/calibrate.json (the numbers: `fitted`, `targets`, `objective`,
 * `evaluations`), then DIR/calibrate.md and DIR/report.html for people,
 * built from calibrate.json (calibrate_report.h). A target out
 * of the scenario's reach is listed with `within: null` and its reason,
 * never refused. Fitting scenario keys builds on the same writer: it
 * passes its fitted keys, the evaluation at the fit and its count.
 * Both files depend only on the scenario, the targets and R (calibrate.json's
 * `run` section aside: the provenance, with the command line): the same
 * bytes for any --jobs or MPI ranks.
 * Ownership: borrows everything; writes only under the output directory. */
#ifndef PILOTSIM_CALIBRATE_H
#define PILOTSIM_CALIBRATE_H

#include <stddef.h>
#include <stdio.h>

#include "experiment/evaluate.h"
#include "experiment/experiment.h"
#include "output/provenance.h"
#include "scenario/scenario.h"
#include "scenario/targets.h"

#define CALIBRATE_DEFAULT_REPS 10 /* --replications when not given */

struct calibrate_fitted { /* one fitted key (none without fitting) */
    const char *key;      /* as --set spells it */
    double value;
    double ci_lo, ci_hi; /* its interval */
    int identified;      /* 0: the targets do not pin it down */
};

struct calibrate_result {
    const struct scenario *s; /* evaluated (the fitted one, after a fit) */
    const struct targets *t;
    const struct evaluation *e; /* error and within filled (evaluate_objective) */
    double objective;           /* evaluate_objective's; NaN: no fit target applies */
    size_t evaluations;         /* evaluate_run calls made */
    const struct calibrate_fitted *fitted;
    size_t n_fitted;
    const struct provenance *provenance; /* calibrate.json's run.provenance; NULL: none */
};

/* Write DIR/calibrate.json (report_atomic): the reports are built from it
 * (calibrate_report_write) once every file they read is written. 0, or -1
 * with a message on err. */
int calibrate_write(const char *dir, const struct calibrate_result *r, FILE *err);

/* Evaluate s against t (o->replications, o->jobs), write calibrate.json,
 * calibrate.md and report.html under o->out_dir and, unless quiet, say how
 * many targets are within. */
enum experiment_status calibrate_evaluate(const struct scenario *s, const struct targets *t,
                                          const struct run_options *o, FILE *err);

#endif
