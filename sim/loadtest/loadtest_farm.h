/* loadtest_farm: a batch of a load test's runs (replications, capacity
 * probes) over J worker processes, each run's result handed back as bytes
 * (loadtest_wire.h) to the parent, which files it by its task's index.
 * The bytes go through a temporary file (the pool's files mode), never
 * whole in memory: a replication's grow with its length.
 *
 * One batch, one pool of workers (output/pool.h), forked at the start of
 * the batch: they see the caller's memory as it is then (the scenario,
 * the batch's table of tasks) and nothing written after. jobs 1 forks
 * nothing: work() then done() run here, task after task, in order, which
 * is the reference the workers must match byte for byte; the outputs do
 * not depend on J because done() stores by index and the caller merges in
 * index order.
 *
 * Errors: work() says its own (a load test's out of memory); a worker that
 * dies is said here, naming `what` ("a replication"); done() says its own.
 * Ownership: the caller owns ctx, tasks and dctx; a result can be read
 * during its done() call only. */
#ifndef PILOTSIM_LOADTEST_FARM_H
#define PILOTSIM_LOADTEST_FARM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct progress;

/* In a worker (or here when jobs is 1): run task `task` and write its
 * result to out. 0, or -1 (errno set) after saying why on stderr. */
typedef int (*loadtest_farm_work_fn)(void *ctx, uint64_t task, FILE *out);
/* Here: tasks[i]'s result of len bytes is in `in` (in any order when
 * jobs > 1). 0, or -1 after saying why, to end the batch. */
typedef int (*loadtest_farm_done_fn)(void *dctx, size_t i, unsigned worker, FILE *in, size_t len);

/* Run tasks[0..n) on min(jobs, n) workers (1: here). bar (may be NULL)
 * ticks while waiting. 0, or -1 after a message on err. */
int loadtest_farm_run(unsigned jobs, loadtest_farm_work_fn work, void *ctx, const uint64_t *tasks,
                      size_t n, loadtest_farm_done_fn done, void *dctx, struct progress *bar,
                      const char *what, FILE *err);

#endif
