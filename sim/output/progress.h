/* progress: a one-line progress bar on stderr, shown only when stderr is a
 * terminal (and the user did not ask for --quiet), so logs and pipes stay
 * clean. It says what is running, the set-up phase while there is one
 * ("building the population... 12 M of 154 M people, 1.2 s"), where the
 * work is (the simulated date, or n/N replications and plans or points, or
 * a percentage), the elapsed time and an estimate of the time left.
 *
 * The time left is the work left at the recent pace (the seconds per share
 * of work over about the last third of the time worked: a pace that
 * drifts, as a model's cost per event does while its arrays grow, is
 * followed), so the bar's share must be a share of the work: of
 * replications, of events. A simulated day is not a unit of work (a
 * growing pilot's late days hold a hundred times the payments of its
 * first), so a dated bar estimates the time left only from a forecast of
 * the work by simulated time (progress_work), and says nothing without one.
 *
 * Redraws at most ten times a second; progress_format builds the line
 * without a terminal (the unit tests read it).
 * Ownership: caller-owned struct (progress_init); the strings it is given
 * (label, phase, units) are borrowed and must outlive it. */
#ifndef PILOTSIM_PROGRESS_H
#define PILOTSIM_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

#define PROGRESS_PACE_EVERY 32 /* a pace sample each 1/32 of the time worked, */
#define PROGRESS_PACE_KEPT 11  /* 11 kept: the pace of about the last third */

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
    double setup_done;      /* people set up so far (set-up phase) */
    double setup_total;     /* people in all; 0: not told */
    const double *work;     /* [work_n] cumulative work by the end of each
                               work_per seconds of the dates; NULL: none */
    size_t work_n;
    double work_per;
    struct {                    /* the pace: (clock, share) samples, */
        double at, share;       /* one every 1/PROGRESS_PACE_EVERY */
    } pace[PROGRESS_PACE_KEPT]; /* of the time worked, a ring */
    size_t paced;               /* samples taken */
};

void progress_init(struct progress *p, const char *label, int quiet);
/* A model_progress_fn: ctx is the struct progress. An update with a
 * negative total is the set-up's (done of -total people built: the phase
 * line shows it); the first other update ends the set-up phase. */
void progress_update(void *ctx, double done, double total);
void progress_finish(struct progress *p); /* clear the line */
double progress_clock(void);              /* monotonic seconds */

/* Updates are seconds from start_unix: the bar shows the simulated date
 * (and the time of day when the whole span is under three days), in local
 * time utc_offset_s east of UTC. */
void progress_dates(struct progress *p, int64_t start_unix, long utc_offset_s);
/* A dated bar's work, a forecast by simulated time: work[i] the work
 * (events) expected by the end of interval i, intervals of per_s seconds
 * from the start, cumulative (borrowed; budget_work makes one). The share
 * done, and so the time left, follow the work, not the date. */
void progress_work(struct progress *p, const double *work, size_t n, double per_s);
/* The share of the work done at the last update (0-1): of the forecast
 * work when there is one, else of the updates' total. */
double progress_share(const struct progress *p);
/* The time left at monotonic time `now`, or -1 when no honest figure can
 * be given: too little done yet (1% and a second of work), or a dated bar
 * without a forecast of its work. */
double progress_left(const struct progress *p, double now);
/* progress_update at a given monotonic time (the tests' clock). */
void progress_update_at(struct progress *p, double done, double total, double now);
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
