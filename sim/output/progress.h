/* progress: a one-line progress bar with ETA on stderr, shown only when
 * stderr is a terminal (and the user did not ask for --quiet), so logs and
 * pipes stay clean. Redraws at most ten times a second.
 * Ownership: caller-owned struct (progress_init). */
#ifndef PILOTSIM_PROGRESS_H
#define PILOTSIM_PROGRESS_H

struct progress {
    int enabled;       /* stderr is a terminal and not quiet */
    double started;    /* monotonic seconds at init */
    double last_draw;  /* when the bar was last drawn */
    const char *label; /* what is running */
};

void progress_init(struct progress *p, const char *label, int quiet);
/* A model_progress_fn: ctx is the struct progress. */
void progress_update(void *ctx, double done, double total);
void progress_finish(struct progress *p); /* clear the line */
double progress_clock(void);              /* monotonic seconds */

#endif
