/* provenance: what made an output directory, so that a reader of a
 * summary.json, a report or a chart can tell which build, which scenario
 * and which command line produced it, and run it again: pilotsim's
 * version; the git commit it was built from and whether that tree had
 * uncommitted changes (both fixed at build time by the Makefile, "unknown"
 * outside a git checkout); the SHA-256 of the resolved scenario (the exact
 * bytes of the scenario.yaml the command writes: `sha256sum
 * DIR/scenario.yaml` prints it); the command line, shell-quoted so it can
 * be pasted back; the compiler and flags.
 *
 * It lives in summary.json's `run` section (`run.provenance`), the one part
 * that may differ between two runs of one seed; CSVs carry none.
 * Ownership: provenance_init and provenance_read allocate the strings,
 * provenance_destroy frees them. A shallow copy (`struct provenance q =
 * *p`) may take its own scenario hash (provenance_scenario) while p lives;
 * only the original is destroyed. */
#ifndef PILOTSIM_PROVENANCE_H
#define PILOTSIM_PROVENANCE_H

#include <stddef.h>
#include <stdio.h>

#include "output/sha256.h"

#define PROVENANCE_LINE_CHARS 120 /* provenance_line's longest, in characters */

struct provenance {
    char *version;                    /* pilotsim's, "0.2.0" */
    char *commit;                     /* the git commit built (hex), or "unknown" */
    int dirty;                        /* the tree had changes at build time: 1, 0; -1 unknown */
    char scenario_sha256[SHA256_HEX]; /* hex of the resolved scenario; "" when none */
    char *command;                    /* the command line, shell-quoted */
    char *build;                      /* the compiler and its flags ("cc -O3 -g ...") */
};

/* In main: version, the build's commit and flags, and argv as a command
 * line (argv[0] as `pilotsim`: where the binary lay says nothing of what
 * was asked). 0, or -1 out of memory (p is then empty and may be
 * destroyed). */
int provenance_init(struct provenance *p, const char *version, int argc, char *const *argv);
void provenance_destroy(struct provenance *p); /* frees the strings; p stays destroyable */

/* Record the hash of the resolved scenario's text (the bytes written). */
void provenance_scenario(struct provenance *p, const void *text, size_t len);

/* The `provenance` object, on one line, no newline: {"version": ...,
 * "commit", "dirty" (true, false or null), "scenario_sha256" (null when
 * none), "command", "build"}. */
void provenance_json(FILE *f, const struct provenance *p);

/* Read run.provenance back from DIR/summary.json (DIR/calibrate.json when
 * there is no summary.json). 0; or -1 with one line on err when the file
 * cannot be read or holds no provenance: p is then filled with "unknown"
 * (so that provenance_line still works) and must be destroyed either way. */
int provenance_read(const char *dir, struct provenance *p, FILE *err);

/* One line for a chart or a report footer, cut to PROVENANCE_LINE_CHARS
 * characters and to n bytes (UTF-8 kept whole, "…" where cut):
 * "pilotsim 0.2.0 · commit 1a2b3c4 (dirty) · scenario sha256 1f2e3d4c5b6a ·
 * pilotsim run scenarios/x.yaml -o out/x". Control characters become
 * spaces. */
void provenance_line(const struct provenance *p, char *buf, size_t n);

/* A report's footer: provenance_line of DIR's own record, read quietly, or
 * a sentence saying the directory has none (written before provenance
 * existed): a missing record is no error in a report. */
void provenance_footer(const char *dir, char *buf, size_t n);

/* The shell-quoted form of one word into buf (n bytes, cut if short):
 * plain when it holds only characters no shell treats specially, else in
 * single quotes ('it'\''s'). Returns the length it needs, as snprintf. */
size_t provenance_quote(const char *word, char *buf, size_t n);

#endif
