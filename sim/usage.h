/* usage: the help texts of the command line, and the one-line usage error.
 * Kept apart from main.c so that main reads as the parsing and dispatch it
 * is; the texts are what `pilotsim COMMAND --help` prints, so they change
 * with the options main.c parses.
 * Ownership: constant strings, nothing to free. */
#ifndef PILOTSIM_USAGE_H
#define PILOTSIM_USAGE_H

extern const char usage_main[];
extern const char usage_run[];
extern const char usage_compare[];
extern const char usage_sweep[];
extern const char usage_calibrate[];
extern const char usage_loadtest[];
extern const char usage_check[];
extern const char usage_plot[];
extern const char usage_report[];
extern const char usage_bench[];

/* Print `pilotsim CMD: <fmt with arg> (see pilotsim CMD --help)` on stderr
 * (CMD NULL: the program itself) and return EXITCODE_USAGE (exitcode.h). */
int usage_error(const char *cmd, const char *fmt, const char *arg);

#endif
