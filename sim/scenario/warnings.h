/* warnings: what a run did not refuse but the user must know (an input
 * trimmed to what a city holds, a horizon shorter than a day, latency that
 * sampling makes approximate, a fault outside a load profile). Each is one
 * line, kept in order of first report and never twice, so that merging the
 * lists of replications or ranks does not repeat a line.
 *
 * A command prints them once on stderr (warnings_print) and every
 * summary.json lists them under `warnings` (report.c), so a script
 * sees what a terminal showed. Ownership: the list owns its strings;
 * warnings_destroy frees them and leaves an empty list. */
#ifndef PILOTSIM_WARNINGS_H
#define PILOTSIM_WARNINGS_H

#include <stddef.h>
#include <stdio.h>

struct warnings {
    char **lines; /* [n], each without a trailing newline */
    size_t n, cap;
};

/* Add a printf-formatted line unless the same line is already there.
 * 0, or -1 when out of memory (the list is unchanged). */
int warnings_add(struct warnings *w, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Add every line of src to dst (duplicates skipped). 0 or -1 (out of memory). */
int warnings_merge(struct warnings *dst, const struct warnings *src);

/* Print each line as `pilotsim: warning: LINE` on err. */
void warnings_print(const struct warnings *w, FILE *err);

void warnings_destroy(struct warnings *w);

#endif
