/* loadtest_farm: a batch of load-test runs over worker processes
 * (loadtest_farm.h), on the shared pool (output/pool.h). */
#include "loadtest/loadtest_farm.h"

#include <string.h>

#include "output/pool.h"

int loadtest_farm_run(unsigned jobs, loadtest_farm_work_fn work, void *ctx, const uint64_t *tasks,
                      size_t n, loadtest_farm_done_fn done, void *dctx, struct progress *bar,
                      const char *what, FILE *err)
{
    if (n == 0)
        return 0;
    /* No more workers than tasks: a batch of one runs here, forking nothing. */
    struct pool *p = pool_new_files(jobs < n ? jobs : (unsigned)n, work, ctx, err);
    if (!p)
        return -1; /* pool_new said why */
    struct pool_failure f;
    int rc = pool_run_files(p, tasks, n, done, dctx, bar, &f);
    /* work() and done() said their own failures; a dead worker, a socket
     * or a full disk said nothing. */
    if (rc < 0 && f.kind == POOL_FAIL_FILE)
        fprintf(err, "pilotsim: loadtest: %s failed: %s: %s\n", what, pool_failure_text(&f),
                strerror(f.err));
    else if (rc < 0 && (f.kind == POOL_FAIL_DIED || f.kind == POOL_FAIL_IO))
        fprintf(err, "pilotsim: loadtest: %s failed: %s\n", what, pool_failure_text(&f));
    pool_free(p);
    return rc;
}
