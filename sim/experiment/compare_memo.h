/* compare_memo: compare.md, the one-page summary of a comparison that an
 * analyst pastes into a memo: the question, each plan's differences from
 * the baseline in a sentence, the headline table with intervals and
 * verdicts, the charts, and the caveat on multiple comparisons.
 *
 * It only reads a comparison (struct compare, compare.h) that compare_run
 * has filled. Scenario text (names, descriptions) reaches the memo as
 * Markdown text only. Ownership: borrows the comparison. */
#ifndef PILOTSIM_COMPARE_MEMO_H
#define PILOTSIM_COMPARE_MEMO_H

#include <stdio.h>
#include "experiment/compare.h"

/* Write DIR/compare.md (charts: whether DIR/charts/ was drawn). 0 or -1. */
int compare_memo_write(const struct compare *c, const char *dir, int charts, FILE *err);

#endif
