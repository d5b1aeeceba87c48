/* progress: a one-line progress bar on stderr, shown only when stderr is a
 * terminal (and the user did not ask for --quiet), so logs and pipes stay
 * clean. It says what is running, the set-up phase while there is one
 * ("building the population... 1.2 s"), where the work is (the simulated
 * date, or n/N replications and plans or points, or a percentage), the
 * elapsed time and an estimate of the time left. Redraws at most ten
 * times a second; progress_format builds the line without a terminal (the
 * unit tests read it).
 * Ownership: caller-owned struct (progress_init); the strings it is given
 * (label, phase, units) are borrowed and must outlive it. */
#ifndef PILOTSIM_PROGRESS_H
#define PILOTSIM_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

struct progress {
    int enabled;       /* stderr is a terminal and not quiet */
    double started;    /* monotonic seconds at init */
    double last_draw;  /* when the bar was last drawn */
    const char *label; /* what is running */
    /* what the counts mean (progress_dates, progress_counts, progress_groups) */
    const char *phase;      /* the set-up phase being shown, or NULL */
    double work_started;    /* monotonic seconds when the phase ended */
    int dated;              /* done and total are seconds from start_unix */
    int64_t start_unix;     /* the simulated start (dated) */
    long utc_offset_s;      /* local time of the dates, east of UTC */
    const char *unit;       /* counts as "n/N unit"; NULL: a percentage */
    const char *group_unit; /* a second count before it ("plans"), or NULL */
    double groups_done;     /* of group_unit */
    double groups_total;    /* of group_unit; 0: none shown */
    double done, total;     /* the last update, for progress_tick */
    size_t drawn;           /* columns of the line on screen, to clear it */
};

void progress_init(struct progress *p, const char *label, int quiet);
/* A model_progress_fn: ctx is the struct progress. The first update ends
 * the set-up phase. */
void progress_update(void *ctx, double done, double total);
void progress_finish(struct progress *p); /* clear the line */
double progress_clock(void);              /* monotonic seconds */

/* Updates are seconds from start_unix: the bar shows the simulated date
 * (and the time of day when the whole span is under three days), in local
 * time utc_offset_s east of UTC. */
void progress_dates(struct progress *p, int64_t start_unix, long utc_offset_s);
/* Updates count `unit` ("replications"): the bar shows n/N unit. */
void progress_counts(struct progress *p, const char *unit);
/* A second count shown first ("2/4 plans"); total 0 hides it. */
void progress_groups(struct progress *p, double done, double total, const char *unit);
/* The set-up phase ("building the population"), drawn at once with its
 * elapsed time until the next update; NULL ends it. */
void progress_phase(struct progress *p, const char *what);
/* Redraw (elapsed time moves) with the last update's counts. */
void progress_tick(struct progress *p);

/* One line of the bar, built without a terminal. */
struct progress_line {
    const char *label; /* what is running */
    const char *phase; /* non-NULL: the set-up phase, drawn without a bar */
    double frac;       /* 0-1: the share done */
    const char *where; /* the date or the counts, or NULL for a percentage */
    double elapsed_s;  /* since the bar started */
    double left_s;     /* estimated time left; < 0 unknown */
    size_t width;      /* columns available (the line stays below) */
};
/* Write the line (no carriage return, no newline) into buf, cut to width
 * - 1 columns; the bar is dropped first when the line is too wide. Returns
 * the line's length. */
size_t progress_format(char *buf, size_t size, const struct progress_line *l);
/* A duration for people: "0.4 s", "12 s", "3 min 05 s", "2 h 07 min". */
void progress_duration(char *buf, size_t size, double seconds);
/* The local date seconds after start_unix: "2020-06-01", or with the time
 * of day "2020-11-11 20:15". */
void progress_date(char *buf, size_t size, int64_t start_unix, long utc_offset_s, double seconds,
                   int with_time);

#endif
