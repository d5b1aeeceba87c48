/* Unit tests of plot and progress: the failures plot must report, and a
 * progress bar that stays silent when asked to. Drawing itself is tested end
 * to end (tests/e2e). */
#include <stdio.h>
#include <stdlib.h>

#include "plot.h"
#include "progress.h"
#include "scenario.h"
#include "test.h"

int main(void) {
    struct scenario *s = scenario_load("tests/data/quick.yaml", NULL, 0, stderr);
    check(s != NULL, "load the quick scenario");
    if (!s)
        return test_done();
    FILE *devnull = fopen("/dev/null", "w");
    check(plot_render("/nonexistent/run", s, devnull) < 0, "a run without timeseries.csv fails");
    setenv("PILOTSIM_PLOTS", "/nonexistent/plots", 1);
    check(plot_render("tests/data", s, devnull) < 0, "missing chart scripts fail");
    unsetenv("PILOTSIM_PLOTS");
    fclose(devnull);

    struct progress p;
    progress_init(&p, "x", 1);
    check(!p.enabled, "--quiet disables the progress bar");
    progress_update(&p, 1, 2);
    progress_finish(&p);
    double t0 = progress_clock(), t1 = progress_clock();
    check(t1 >= t0, "the clock is monotonic");
    scenario_free(s);
    return test_done();
}
