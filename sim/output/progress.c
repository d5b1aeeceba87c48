/* progress: the terminal progress bar (progress.h). The state decides what
 * the line says; progress_format alone decides how, so that the tests can
 * read a line without a terminal. */
#include "output/progress.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define BAR_WIDTH 20
#define REDRAW_S 0.1          /* at most ten redraws a second */
#define DATED_TIME_S 259200.0 /* spans under three days show the time of day */

double progress_clock(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

void progress_init(struct progress *p, const char *label, int quiet)
{
    memset(p, 0, sizeof *p);
    p->enabled = !quiet && isatty(STDERR_FILENO);
    p->started = p->work_started = progress_clock();
    p->label = label;
}

void progress_dates(struct progress *p, int64_t start_unix, long utc_offset_s)
{
    p->dated = 1;
    p->start_unix = start_unix;
    p->utc_offset_s = utc_offset_s;
}

void progress_counts(struct progress *p, const char *unit)
{
    p->unit = unit;
}

void progress_groups(struct progress *p, double done, double total, const char *unit)
{
    p->groups_done = done;
    p->groups_total = total;
    p->group_unit = unit;
}

void progress_duration(char *buf, size_t size, double s)
{
    if (!(s >= 0))
        s = 0;
    if (s < 10)
        snprintf(buf, size, "%.1f s", s);
    else if (s < 60)
        snprintf(buf, size, "%.0f s", s);
    else if (s < 3600) {
        long whole = lround(s);
        snprintf(buf, size, "%ld min %02ld s", whole / 60, whole % 60);
    } else {
        long min = lround(s / 60);
        snprintf(buf, size, "%ld h %02ld min", min / 60, min % 60);
    }
}

void progress_date(char *buf, size_t size, int64_t start_unix, long utc_offset_s, double seconds,
                   int with_time)
{
    time_t t = (time_t)(start_unix + utc_offset_s + (int64_t)floor(seconds));
    struct tm tm;
    if (!gmtime_r(&t, &tm)) {
        snprintf(buf, size, "?");
        return;
    }
    strftime(buf, size, with_time ? "%Y-%m-%d %H:%M" : "%Y-%m-%d", &tm);
}

/* Append to buf at *len, never past size; returns 0 when it fitted. */
static int put(char *buf, size_t size, size_t *len, const char *fmt, const char *s)
{
    int n = snprintf(buf + *len, size - *len, fmt, s);
    if (n < 0 || (size_t)n >= size - *len) {
        *len = size - 1;
        return -1;
    }
    *len += (size_t)n;
    return 0;
}

/* The line with or without its bar. */
static size_t compose(char *buf, size_t size, const struct progress_line *l, int with_bar)
{
    char elapsed[32], left[32], pct[16], bar[BAR_WIDTH + 3];
    size_t len = 0;
    buf[0] = '\0';
    progress_duration(elapsed, sizeof elapsed, l->elapsed_s);
    if (l->phase) {
        put(buf, size, &len, "%s: ", l->label);
        put(buf, size, &len, "%s... ", l->phase);
        if (l->where)
            put(buf, size, &len, "%s, ", l->where);
        put(buf, size, &len, "%s", elapsed);
        return len;
    }
    double frac = l->frac < 0 ? 0 : l->frac > 1 ? 1 : l->frac;
    put(buf, size, &len, "%s ", l->label);
    if (with_bar) {
        int filled = (int)(frac * BAR_WIDTH);
        bar[0] = '[';
        for (int i = 0; i < BAR_WIDTH; i++)
            bar[1 + i] = i < filled ? '#' : '.';
        bar[BAR_WIDTH + 1] = ']';
        bar[BAR_WIDTH + 2] = '\0';
        put(buf, size, &len, "%s ", bar);
    }
    snprintf(pct, sizeof pct, "%.0f%%", 100 * frac);
    put(buf, size, &len, "%s", l->where ? l->where : pct);
    put(buf, size, &len, ", %s", elapsed);
    if (l->left_s >= 0 && frac < 1) {
        progress_duration(left, sizeof left, l->left_s);
        put(buf, size, &len, ", about %s left", left);
    }
    return len;
}

size_t progress_format(char *buf, size_t size, const struct progress_line *l)
{
    if (size == 0)
        return 0;
    size_t max = l->width > 1 ? l->width - 1 : 1; /* the last column would wrap */
    if (max > size - 1)
        max = size - 1;
    size_t len = compose(buf, size, l, 1);
    if (len > max)
        len = compose(buf, size, l, 0);
    if (len > max) {
        buf[max] = '\0';
        len = max;
    }
    return len;
}

/* The terminal's columns (stderr), or 80 when it does not say. */
static size_t columns(void)
{
    struct winsize ws;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 80;
}

/* Where the work is: the simulated date, the counts or NULL (a percentage). */
static const char *where(const struct progress *p, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    if (p->dated) {
        /* By day the horizon is the end of the last day: name that day. */
        int with_time = p->total < DATED_TIME_S;
        double last = with_time || p->total < 1 ? p->total : p->total - 1;
        char now[32], end[32];
        progress_date(now, sizeof now, p->start_unix, p->utc_offset_s,
                      p->done < last ? p->done : last, with_time);
        progress_date(end, sizeof end, p->start_unix, p->utc_offset_s, last, with_time);
        snprintf(buf, size, "%s of %s", now, end);
        return buf;
    }
    if (!p->unit)
        return NULL;
    if (p->groups_total > 0)
        len = (size_t)snprintf(buf, size, "%.0f/%.0f %s, ", floor(p->groups_done), p->groups_total,
                               p->group_unit);
    if (len < size)
        snprintf(buf + len, size - len, "%.0f/%.0f %s", floor(p->done), p->total, p->unit);
    return buf;
}

/* A count of people for the set-up line: "950", "12 M", "1.5 M". */
static void people(char *buf, size_t size, double n)
{
    if (n < 1e6)
        snprintf(buf, size, "%.0f", n);
    else
        snprintf(buf, size, n < 1e7 ? "%.1f M" : "%.0f M", n / 1e6);
}

double progress_share(const struct progress *p)
{
    if (p->work && p->work_n > 0 && p->work_per > 0 && p->work[p->work_n - 1] > 0) {
        /* the forecast, linear within an interval */
        double at = p->done / p->work_per, whole = floor(at), got;
        size_t i = (size_t)fmax(0, whole);
        if (at <= 0)
            return 0;
        if (i >= p->work_n)
            return 1;
        got = (i ? p->work[i - 1] : 0) + (at - whole) * (p->work[i] - (i ? p->work[i - 1] : 0));
        return got / p->work[p->work_n - 1];
    }
    return p->total > 0 ? p->done / p->total : 0;
}

double progress_left(const struct progress *p, double now)
{
    double frac = progress_share(p), worked = now - p->work_started;
    if (p->dated && !p->work)
        return -1; /* a simulated day is no unit of work: no figure */
    if (!(frac > 0.01) || !(worked > 1) || frac >= 1 || p->paced == 0)
        return -1; /* an estimate from too little is noise */
    /* the oldest sample kept: about a third of the time worked ago */
    size_t oldest = p->paced > PROGRESS_PACE_KEPT ? p->paced % PROGRESS_PACE_KEPT : 0;
    double t0 = p->pace[oldest].at, f0 = p->pace[oldest].share;
    if (!(frac > f0) || !(now > t0)) /* no work since: the pace from the start */
        t0 = p->work_started, f0 = 0;
    return (now - t0) * (1 - frac) / (frac - f0);
}

/* Keep a pace sample when 1/PROGRESS_PACE_EVERY of the time worked has
 * passed since the last one. */
static void pace_note(struct progress *p, double now)
{
    double worked = now - p->work_started;
    size_t last = (p->paced + PROGRESS_PACE_KEPT - 1) % PROGRESS_PACE_KEPT;
    if (p->paced && now - p->pace[last].at < worked / PROGRESS_PACE_EVERY)
        return;
    p->pace[p->paced % PROGRESS_PACE_KEPT].at = now;
    p->pace[p->paced % PROGRESS_PACE_KEPT].share = progress_share(p);
    p->paced++;
}

static void draw(struct progress *p, double now)
{
    char line[512], at[128];
    struct progress_line l = {p->label,         p->phase, progress_share(p), NULL,
                              now - p->started, -1,       columns()};
    if (!p->phase) {
        l.where = where(p, at, sizeof at);
        l.left_s = progress_left(p, now);
    } else if (p->setup_total > 0) {
        char done[32], all[32];
        people(done, sizeof done, p->setup_done);
        people(all, sizeof all, p->setup_total);
        snprintf(at, sizeof at, "%s of %s people", done, all);
        l.where = at;
    }
    size_t len = progress_format(line, sizeof line, &l);
    /* Pad over what the last line left on screen. */
    fprintf(stderr, "\r%s%*s", line, p->drawn > len ? (int)(p->drawn - len) : 0, "");
    fflush(stderr);
    p->drawn = len;
    p->last_draw = now;
}

void progress_phase(struct progress *p, const char *what)
{
    p->phase = what;
    if (!what)
        p->work_started = progress_clock();
    if (p->enabled)
        draw(p, progress_clock());
}

void progress_work(struct progress *p, const double *work, size_t n, double per_s)
{
    p->work = work;
    p->work_n = n;
    p->work_per = per_s;
}

/* A set-up update: the phase line counts the people built. */
static void setup_update(struct progress *p, double done, double total, double now)
{
    int first = p->setup_total == 0; /* drawn at once: the people to build */
    p->setup_done = done;
    p->setup_total = total;
    if (!p->enabled || !p->phase)
        return;
    if (first || now - p->last_draw >= REDRAW_S)
        draw(p, now);
}

void progress_update(void *ctx, double done, double total)
{
    progress_update_at(ctx, done, total, progress_clock());
}

void progress_update_at(struct progress *p, double done, double total, double now)
{
    if (total < 0) {
        setup_update(p, done, -total, now);
        return;
    }
    p->done = done;
    p->total = total;
    if (p->phase) {
        p->phase = NULL;
        p->work_started = now;
        p->last_draw = 0; /* show at once that the work began */
        p->paced = 0;
    }
    pace_note(p, now);
    if (!p->enabled || total <= 0)
        return;
    if (now - p->last_draw < REDRAW_S && done < total)
        return;
    draw(p, now);
}

void progress_tick(struct progress *p)
{
    if (!p->enabled || (!p->phase && p->total <= 0))
        return;
    double now = progress_clock();
    if (now - p->last_draw >= REDRAW_S)
        draw(p, now);
}

void progress_finish(struct progress *p)
{
    if (p->enabled && p->drawn)
        fprintf(stderr, "\r%*s\r", (int)p->drawn, "");
    p->drawn = 0;
}
