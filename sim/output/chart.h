/* chart: one gnuplot run that writes one chart, its PNG and its SVG, whole
 * or not at all. Charts are outputs like the CSVs (report_atomic): gnuplot
 * writes under a temporary name in the charts directory (.NAME.tmp-PID-K.png
 * and .svg, created here first, exclusively, without following links), and
 * both files are renamed to NAME.png and NAME.svg only when gnuplot exited 0
 * and each is complete. gnuplot does not report a failed write (a full
 * disk), so completeness is checked here, not taken from its exit status.
 *
 * gnuplot runs without a shell (posix_spawnp), stdin /dev/null; its stdout
 * and stderr are read from a pipe and shown only when it fails, after our
 * message, which names the chart. Every path handed to it starts with '/'
 * or "./": a leading '<' or '|' would make it a command to gnuplot. Knows
 * nothing of what a chart shows (plot.c). */
#ifndef PILOTSIM_CHART_H
#define PILOTSIM_CHART_H

#include <stddef.h>
#include <stdio.h>

/* `gnuplot -c SCRIPT ARG1 OUT REST...`: OUT is the temporary's path without
 * extension, which the script extends with .png and .svg. */
#define CHART_MAX_REST 10
struct chart {
    const char *script;      /* path of plots/NAME.gp */
    const char *charts_dir;  /* DIR/charts, existing */
    const char *name;        /* the chart's file name without extension */
    const char *arg1;        /* the data: a CSV, or compare's directory */
    const char *const *rest; /* ARG3 ...: data, printed by the scripts */
    size_t n_rest;           /* at most CHART_MAX_REST */
};

/* Draw c into charts_dir/NAME.png and NAME.svg. 0, or -1 with one message
 * on err naming the chart (and quoting gnuplot when it failed); then
 * neither temporary is left, and an earlier NAME.png or NAME.svg is
 * untouched. */
int chart_draw(const struct chart *c, FILE *err);

/* Is the file at path a complete chart: a PNG whose chunks all pass their
 * CRC-32, from IHDR to a final IEND with nothing after it, or an SVG from
 * its start to its closing </svg> (by the name's extension)? 1 or 0 (also
 * when unreadable). */
int chart_file_complete(const char *path);

#endif
