/* compare_memo: compare.md, the one-page summary of a comparison that an
 * analyst pastes into a memo: the question, each plan's differences from
 * the baseline in a sentence, the headline table with intervals and
 * verdicts, the charts, and the caveat on multiple comparisons.
 *
 * Also the state compare.c and the memo share (struct compare). Scenario
 * text (names, descriptions) reaches the memo as Markdown text only.
 * Ownership: struct compare owns every array in it (compare_free). */
#ifndef PILOTSIM_COMPARE_MEMO_H
#define PILOTSIM_COMPARE_MEMO_H

#include <stdio.h>
#include "experiment/outcome.h"
#include "scenario/scenario.h"
#include "metrics/stats.h"

#define COMPARE_LABEL_MAX 64

struct compare {
    struct scenario **plans;            /* [n]: plans[0] is the baseline */
    struct outcome_catalog **catalogs;  /* [n] */
    char (*labels)[COMPARE_LABEL_MAX];  /* [n]: file names, unique, path-safe */
    size_t n;
    size_t *metrics;                    /* [n_metrics]: common metrics, indices
                                           into catalogs[0] */
    size_t n_metrics;
    unsigned reps;                      /* replications per plan */
    struct stats_summary *means;        /* [n_metrics * n]: metric j, plan p at j * n + p */
    struct stats_summary *diffs;        /* [n_metrics * n]: plan p - baseline, paired */
};

/* "better", "worse", "higher", "lower" or "no significant difference". */
const char *compare_verdict(enum outcome_better better, const struct stats_summary *d);

/* Write DIR/compare.md (charts: whether DIR/charts/ was drawn). 0 or -1. */
int compare_memo_write(const struct compare *c, const char *dir, int charts, FILE *err);

#endif
