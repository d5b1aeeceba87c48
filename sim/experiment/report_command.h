/* report_command: `pilotsim report DIR`, which rebuilds DIR/report.html
 * from the files in DIR alone: it finds what kind of output DIR holds
 * (outdir_kind), takes DIR's lock as `plot` does (a command still writing
 * there is not read half-way), hands a fresh doc to that kind's builder
 * and writes the page. The bytes are those the command itself wrote.
 *
 * Exit statuses (exitcode.h): 2 for a DIR that is missing, not an output
 * directory, or whose files cannot be read;
 * 1 when the page cannot be written. */
#ifndef PILOTSIM_REPORT_COMMAND_H
#define PILOTSIM_REPORT_COMMAND_H

#include <stdio.h>

/* Rebuild dir/report.html; the exit status, with one line on err when
 * not 0. */
int report_command_run(const char *dir, FILE *err);

#endif
