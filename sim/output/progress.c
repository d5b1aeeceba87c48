/* progress: the terminal progress bar. */
#include "output/progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define BAR_WIDTH 30

double progress_clock(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

void progress_init(struct progress *p, const char *label, int quiet)
{
    p->enabled = !quiet && isatty(STDERR_FILENO);
    p->started = progress_clock();
    p->last_draw = 0;
    p->label = label;
}

void progress_update(void *ctx, double done, double total)
{
    struct progress *p = ctx;
    if (!p->enabled || total <= 0)
        return;
    double now = progress_clock();
    if (now - p->last_draw < 0.1 && done < total)
        return;
    p->last_draw = now;
    double frac = done / total > 1 ? 1 : done / total;
    double elapsed = now - p->started;
    double eta = frac > 0 ? elapsed * (1 - frac) / frac : 0;
    int filled = (int)(frac * BAR_WIDTH);
    fprintf(stderr, "\r%s [", p->label);
    for (int i = 0; i < BAR_WIDTH; i++)
        fputc(i < filled ? '#' : '.', stderr);
    fprintf(stderr, "] %3.0f%%  ETA %4.0fs ", 100 * frac, eta);
    fflush(stderr);
}

void progress_finish(struct progress *p)
{
    if (p->enabled)
        fprintf(stderr, "\r%*s\r", BAR_WIDTH + 40, "");
}
