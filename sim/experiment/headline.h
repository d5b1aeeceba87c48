/* headline: the few lines a command ends with on the terminal, the answer
 * first and then where to look. Read back from the files the command
 * wrote (summary.json, calibrate.json), as every report is, so the
 * terminal never disagrees with them:
 *   run        wallets, adoption, payments, p99 latency, money conserved
 *              to the fen (yes or no), wall time, the report
 *   compare    the plans; the bottom line (summary.json's, else the memo's
 *              compare.md), else each plan against the baseline (compare.csv)
 *   sweep      points, replications, wall time; sweep.csv and the report
 *   calibrate  targets within tolerance, fitted keys; the report
 * The report is DIR/report.html where it exists, else the files to open.
 * The commands (command.c) print it unless --quiet, on rank 0 only.
 * Ownership: nothing is kept; the number formatters write into the
 * caller's buffer. */
#ifndef PILOTSIM_HEADLINE_H
#define PILOTSIM_HEADLINE_H

#include <stddef.h>
#include <stdio.h>

/* A count for people: "940", "52,400", "8.71 million", "1.2 billion". */
void headline_count(char *buf, size_t size, double n);
/* An amount of fen in yuan, in the same words: "172.5 million yuan". */
void headline_yuan(char *buf, size_t size, double fen);
/* A share 0-1 as a percentage with enough digits: "6.9%", "0.042%". */
void headline_percent(char *buf, size_t size, double share);

/* The closing lines of each command, for the directory it wrote and the
 * wall time it took, on out. 0, or -1 when its files could not be read
 * (a shorter line is printed instead). */
int headline_run(const char *dir, double wall_s, FILE *out);
int headline_compare(const char *dir, double wall_s, FILE *out);
int headline_sweep(const char *dir, double wall_s, FILE *out);
int headline_calibrate(const char *dir, double wall_s, FILE *out);

#endif
