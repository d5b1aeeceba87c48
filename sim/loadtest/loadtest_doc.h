/* loadtest_doc: a load test's report (report.html, through output/doc.h)
 * built from its directory's files alone: summary.json (loadtest_summary),
 * loadtest.csv and, after a
 * capacity search, loadtest_capacity.csv. The memo page: the verdict first
 * (capacity against the target, bottleneck, faults, SLO), a table of the
 * headline figures, the three charts with numbered captions, the caveats
 * that apply to this run; then the appendix: every step, every resource,
 * every fault and capacity probe, the warnings. The CSVs are read as the
 * load test writes them (a header row, RFC 4180 quoting).
 * Ownership: the doc is the caller's; nothing else is kept. */
#ifndef PILOTSIM_LOADTEST_DOC_H
#define PILOTSIM_LOADTEST_DOC_H

#include <stdio.h>

struct doc;

/* Fill d with the load test in dir. 0, or -1 with a message on err
 * (summary.json or loadtest.csv unreadable, or no memory). */
int loadtest_doc_build(const char *dir, struct doc *d, FILE *err);

#endif
