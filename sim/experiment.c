/* experiment: one run, end to end. */
#include "experiment.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model.h"
#include "plot.h"
#include "progress.h"
#include "report.h"

static void run_info_fill(struct run_info *info, const char *version, double wall_s) {
    info->version = version;
    info->wall_s = wall_s;
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(info->started_at, sizeof info->started_at, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (gethostname(info->host, sizeof info->host) != 0)
        strcpy(info->host, "unknown");
    info->host[sizeof info->host - 1] = '\0';
}

enum experiment_status experiment_run(const struct scenario *s, const struct run_options *o,
                                      FILE *err) {
    struct progress bar;
    progress_init(&bar, "simulating", o->quiet);
    double t0 = progress_clock();
    struct model_result *r = model_run(s, 0, progress_update, &bar);
    double wall = progress_clock() - t0;
    progress_finish(&bar);
    if (!r) {
        fprintf(err, "pilotsim: out of memory simulating %s (try a larger `sample`)\n", s->path);
        return EXPERIMENT_FAILED;
    }
    struct run_info info;
    run_info_fill(&info, o->version, wall);
    int rc = report_write(o->out_dir, s, r, &info, err);
    if (rc == 0 && o->charts && s->charts)
        rc = plot_render(o->out_dir, s, err);
    if (rc == 0 && !o->quiet)
        fprintf(stderr, "pilotsim: %s: %llu events in %.2f s (%.1f M events/s) -> %s/\n",
                s->name, (unsigned long long)r->events, wall,
                (double)r->events / (wall > 0 ? wall : 1e-9) / 1e6, o->out_dir);
    model_result_free(r);
    return rc == 0 ? EXPERIMENT_OK : EXPERIMENT_FAILED;
}
