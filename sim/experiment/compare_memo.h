/* compare_memo: the comparison's memo, built from the files of its
 * directory (compare_files.h), never from a run's memory, so that
 * `pilotsim report DIR` rebuilds exactly what `compare` wrote.
 *
 * One builder, two renderings (output/doc.h): DIR/compare.md and
 * DIR/report.html. The memo page answers first (which plan wins on what, by
 * how much, the trade-off), then says what each plan spends and what a
 * wallet and an active user cost, the headline table with plans as
 * columns and plain verdicts, two charts, the caveats that apply and the
 * provenance; the appendix lists every difference of every plan from the
 * baseline (old -> new) and every metric, city by city. Nothing in it
 * depends on the machine: it is byte-identical whatever --jobs or ranks. */
#ifndef PILOTSIM_COMPARE_MEMO_H
#define PILOTSIM_COMPARE_MEMO_H

#include <stdio.h>

#include "experiment/compare_files.h"
#include "output/doc.h"

/* Add the memo of the comparison in dir to d (made by doc_new). 0, or -1
 * after a one-line message on err (a file missing or malformed). */
int compare_memo_build(const char *dir, struct doc *d, FILE *err);

/* The bottom line as one plain sentence, for summary.json and the
 * terminal: "C reaches the highest wallet adoption, 9.30% (+1.29 pp [+1.26,
 * +1.31] over B); B carries the most e-CNY payments, ...". "" when
 * compare.csv lacks the metrics. Cut to n bytes. */
void compare_memo_bottom_line(const struct compare_files *cf, char *buf, size_t n);

/* Build the memo and write dir/compare.md and dir/report.html. 0 or -1. */
int compare_memo_write(const char *dir, FILE *err);

#endif
