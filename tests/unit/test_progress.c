/* Unit tests of the progress bar's words, built without a terminal
 * (progress_format, progress_duration, progress_date): the set-up phase,
 * the simulated date, n/N counts, elapsed time and time left, and a line
 * that never outgrows the terminal; the set-up's people; a time left that
 * keeps its promise when the work per simulated day grows a hundredfold
 * (a forecast of the work, the recent pace) and none where no honest
 * figure exists. The terminal itself is tested in tests/e2e/cli.sh
 * through script(1). */
#include <math.h>
#include <string.h>

#include "output/progress.h"
#include "test.h"

/* 2020-04-01 00:00 in Beijing (UTC+8), as a Unix time. */
#define START 1585670400LL
#define CST (8 * 3600L)

static const char *line(const struct progress_line *l)
{
    static char buf[256];
    progress_format(buf, sizeof buf, l);
    return buf;
}

#define DAYS 100

/* A run whose day d holds (d + 1)^2 units of work, each costing `cost`
 * seconds times (1 + drift x the share of the days passed): the bar is
 * asked for the time left at day `at`, and the truth is returned in *truth. */
static double left_at(size_t at, double cost, double drift, int forecast, double *truth)
{
    static double work[DAYS];
    struct progress p;
    double t = 100, clock_at = 0; /* the monotonic clock, any origin */
    for (size_t d = 0; d < DAYS; d++)
        work[d] = (d ? work[d - 1] : 0) + (double)((d + 1) * (d + 1));
    progress_init(&p, "simulating", 1);
    progress_dates(&p, START, CST);
    if (forecast)
        progress_work(&p, work, DAYS, 86400);
    progress_phase(&p, "building the population");
    progress_update_at(&p, 0, DAYS * 86400.0, t);
    for (size_t d = 0; d < DAYS; d++) {
        t += (double)((d + 1) * (d + 1)) * cost * (1 + drift * (double)d / DAYS);
        if (d + 1 == at)
            clock_at = t;
        if (d + 1 <= at)
            progress_update_at(&p, (double)(d + 1) * 86400, DAYS * 86400.0, t);
    }
    *truth = t - clock_at;
    return progress_left(&p, clock_at);
}

static void test_time_left(void)
{
    double truth, left;
    /* Constant cost per unit of work: at day 50 an eighth of the work is
     * done, so seven eighths of the time remain, not half. */
    left = left_at(50, 1e-4, 0, 1, &truth);
    check(fabs(left / truth - 1) < 0.05, "work-weighted: %.1f s left, truly %.1f s", left, truth);
    /* The cost per unit of work doubles over the run (arrays grow, caches
     * miss more): the recent pace follows it. */
    left = left_at(50, 1e-4, 1, 1, &truth);
    check(fabs(left / truth - 1) < 0.2, "a drifting pace: %.1f s left, truly %.1f s", left, truth);
    left = left_at(90, 1e-4, 1, 1, &truth);
    check(fabs(left / truth - 1) < 0.1, "late in the run: %.1f s left, truly %.1f s", left, truth);
    /* Without a forecast a dated bar gives no figure rather than a wrong
     * one (by days, day 50 would promise 7x too little). */
    left = left_at(50, 1e-4, 0, 0, &truth);
    check(left < 0, "no forecast of the work: no time left shown (%.1f)", left);
    /* Too little done: nothing yet. */
    left = left_at(2, 1e-4, 0, 1, &truth);
    check(left < 0, "after 0.01%% of the work: no time left shown (%.3f)", left);
}

static void test_setup(void)
{
    struct progress p;
    progress_init(&p, "simulating", 0);
    progress_dates(&p, START, CST);
    progress_phase(&p, "building the population");
    progress_update(&p, 12e6, -154e6);
    check(p.phase != NULL && p.setup_done == 12e6 && p.setup_total == 154e6,
          "a set-up update (negative total) counts people and keeps the phase");
    progress_update(&p, 0, 86400);
    check(p.phase == NULL, "the first dated update ends the set-up");
    struct progress_line l = {
        "simulating", "building the population", 0, "12 M of 154 M people", 1.25, -1, 80};
    check(!strcmp(line(&l), "simulating: building the population... 12 M of 154 M people, 1.2 s"),
          "the set-up line counts the people built: %s", line(&l));
}

int main(void)
{
    test_plan(30);
    test_time_left();
    test_setup();
    char b[64];

    progress_duration(b, sizeof b, 0.42);
    check(!strcmp(b, "0.4 s"), "under 10 s: tenths (%s)", b);
    progress_duration(b, sizeof b, 12.4);
    check(!strcmp(b, "12 s"), "under a minute: seconds (%s)", b);
    progress_duration(b, sizeof b, 185);
    check(!strcmp(b, "3 min 05 s"), "minutes and seconds (%s)", b);
    progress_duration(b, sizeof b, 7620);
    check(!strcmp(b, "2 h 07 min"), "hours and minutes (%s)", b);
    progress_duration(b, sizeof b, -1);
    check(!strcmp(b, "0.0 s"), "a negative duration is none (%s)", b);

    progress_date(b, sizeof b, START, CST, 0, 0);
    check(!strcmp(b, "2020-04-01"), "the start's local date (%s)", b);
    progress_date(b, sizeof b, START, CST, 86400 * 61 + 3600 * 15, 0);
    check(!strcmp(b, "2020-06-01"), "61 days and 15 hours on (%s)", b);
    progress_date(b, sizeof b, START, CST, 86400 * 61 + 3600 * 15 + 60 * 7, 1);
    check(!strcmp(b, "2020-06-01 15:07"), "with the time of day (%s)", b);
    progress_date(b, sizeof b, START, 0, 0, 1);
    check(!strcmp(b, "2020-03-31 16:00"), "the same moment in UTC (%s)", b);

    struct progress_line setup = {"simulating", "building the population", 0, NULL, 1.25, -1, 80};
    check(!strcmp(line(&setup), "simulating: building the population... 1.2 s"),
          "the set-up phase says so, with its elapsed time: %s", line(&setup));

    struct progress_line dated = {"simulating", NULL, 0.5, "2020-09-30 of 2021-03-31", 3, 3, 120};
    check(!strcmp(line(&dated),
                  "simulating [##########..........] 2020-09-30 of 2021-03-31, 3.0 s, about "
                  "3.0 s left"),
          "half way: the bar, the simulated date, elapsed and left: %s", line(&dated));

    struct progress_line counts = {"comparing", NULL, 0.25, "1/4 plans, 5/20 replications",
                                   65,          90,   120};
    check(strstr(line(&counts), "] 1/4 plans, 5/20 replications, 1 min 05 s, about 1 min 30 s "
                                "left") != NULL,
          "n/N plans and replications: %s", line(&counts));

    struct progress_line pct = {"searching", NULL, 0.333, NULL, 2, -1, 80};
    check(!strcmp(line(&pct), "searching [######..............] 33%, 2.0 s"),
          "no date, no counts: a percentage; time left unknown is not shown: %s", line(&pct));

    struct progress_line done = {"simulating", NULL, 1, "3/3 replications", 9, 0, 80};
    check(strstr(line(&done), "[####################] 3/3 replications, 9.0 s") &&
              !strstr(line(&done), "left"),
          "finished: a full bar, nothing left to wait for: %s", line(&done));

    struct progress_line over = {"simulating", NULL, 1.7, NULL, 1, -1, 80};
    check(strstr(line(&over), "[####################] 100%") != NULL,
          "a share above 1 is drawn as 1: %s", line(&over));

    /* A narrow terminal: the bar goes first, then the line is cut. */
    struct progress_line narrow = dated;
    narrow.width = 60;
    const char *n = line(&narrow);
    check(strlen(n) <= 59 && !strchr(n, '['), "60 columns: no bar, %zu columns: %s", strlen(n), n);
    check(!strncmp(n, "simulating 2020-09-30 of 2021-03-31, 3.0 s", 42),
          "60 columns: the date and the time stay: %s", n);
    narrow.width = 20;
    n = line(&narrow);
    check(strlen(n) == 19, "20 columns: cut to 19 (%zu): %s", strlen(n), n);

    char tiny[8];
    size_t len = progress_format(tiny, sizeof tiny, &dated);
    check(len == 7 && strlen(tiny) == 7, "a small buffer: cut, terminated (%zu)", len);

    /* Not a terminal, or --quiet: nothing is drawn, and the state still
     * follows the updates (the bar is off under `prove`). */
    struct progress p;
    progress_init(&p, "simulating", 0);
    check(!p.enabled, "stderr under prove is no terminal: no bar");
    progress_dates(&p, START, CST);
    progress_phase(&p, "building the population");
    check(p.phase != NULL && p.dated, "a phase and dates are kept");
    progress_update(&p, 3600, 86400);
    check(p.phase == NULL && p.done == 3600 && p.total == 86400,
          "the first update ends the set-up phase");
    progress_tick(&p);
    progress_finish(&p);
    return test_done();
}
