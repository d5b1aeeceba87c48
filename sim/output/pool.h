/* pool: J worker processes, alive across batches, that run numbered tasks
 * and send back results as bytes (the fork farm of replications and of the
 * load tester's probes).
 *
 * pool_new forks the workers at once (jobs > 1): each sees the caller's
 * memory as it is at that moment, ctx included, copy-on-write, so whatever
 * the parent built before pool_new is shared and never rebuilt. From then
 * on each worker has its own copy: work() may keep state in ctx between
 * tasks (a cache that only that worker sees; the parent's ctx never
 * changes), and what the parent changes after pool_new no worker sees.
 *
 * pool_run sends each worker a task number (8 bytes) over its socket pair;
 * the worker calls work(ctx, task, &len) and answers with a header (the
 * length, the errno of a failure) and the len bytes. Every worker holds one
 * task at a time and the next task goes to whichever answers first
 * (dynamic balancing: a slow task never delays the others). done() runs in
 * the parent as each result arrives, in arrival order, with the task's
 * index in tasks[]: store by index and the outputs do not depend on J.
 *
 * jobs 1 forks nothing: pool_run calls work() then done() in the caller,
 * task after task, in order (work()'s state then lives in the caller's
 * ctx).
 *
 * Files mode (pool_new_files, pool_run_files), for results that grow with
 * a run (a load test's intervals): each worker has a temporary file, made
 * before the fork so that both sides hold it. The worker writes a task's
 * result there over the last one, then answers with its length; the
 * parent reads it from the file's start before the worker gets its next
 * task. Neither side holds the result in memory. With jobs 1 the caller
 * has one such file.
 *
 * Workers are started by proc_fork (proc.h): a signal that ends the parent
 * kills them, and a parent killed by SIGKILL takes them with it. They leave
 * with _exit (never flushing the parent's stdio buffers or running its exit
 * handlers); stdout and stderr are flushed before they are forked.
 *
 * Failure: work() returning NULL, a worker dying, done() returning -1 or a
 * socket failing ends the batch: pool_run stops (SIGTERM) and reaps every
 * worker, fills *fail and returns -1; the pool is spent (pool_run returns
 * -1 at once from then on; pool_free it). The pool writes no message for
 * these: the caller knows what a task is and words it (pool_failure_text
 * gives a default).
 *
 * Ownership: the caller owns ctx (which must outlive the pool), tasks, and
 * the pool (pool_free). A result belongs to the pool: done() reads it and
 * copies what it keeps. */
#ifndef PILOTSIM_POOL_H
#define PILOTSIM_POOL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct progress;
struct pool;

/* In a worker (or in the caller when jobs is 1): run task `task` and
 * return a malloc'd result of *len bytes (0 bytes: a non-NULL pointer and
 * *len 0), or NULL with errno set on failure (errno 0 reads as EIO). ctx
 * is the worker's copy of pool_new's ctx. */
typedef void *(*pool_work_fn)(void *ctx, uint64_t task, size_t *len);

/* In the parent: task tasks[i]'s result of len bytes (malloc-aligned,
 * valid during the call only) has arrived from worker `worker` (0..jobs-1;
 * always 0 when jobs is 1). 0, or -1 (errno set) to end the batch. */
typedef int (*pool_done_fn)(void *dctx, size_t i, unsigned worker, const void *res, size_t len);

/* Files mode, in a worker (or in the caller when jobs is 1): write task
 * `task`'s result to out (empty, at its start). 0, or -1 with errno set
 * (0 reads as EIO) for a failure of the task's own. The pool flushes out
 * and sees a write that failed (ferror): POOL_FAIL_FILE. */
typedef int (*pool_write_fn)(void *ctx, uint64_t task, FILE *out);

/* Files mode, in the parent: task tasks[i]'s result is in `in`, len bytes
 * from its start (where `in` is). Read it during the call. 0, or -1 (errno
 * set) to end the batch. */
typedef int (*pool_read_fn)(void *dctx, size_t i, unsigned worker, FILE *in, size_t len);

/* Why a batch failed. */
enum pool_fail_kind {
    POOL_FAIL_TASK = 1, /* work() returned NULL: err is its errno */
    POOL_FAIL_DIED,     /* the worker running task `index` died (a crash, the OOM killer) */
    POOL_FAIL_DONE,     /* done() returned -1: err is its errno */
    POOL_FAIL_IO,       /* a socket or poll failed (err); index is n: no task's */
    POOL_FAIL_FILE,     /* files mode: a result could not be written to its file (err) */
};
struct pool_failure {
    enum pool_fail_kind kind;
    size_t index; /* the failed task's index in tasks[] (n: none) */
    int err;      /* the errno, as kind says (0 for POOL_FAIL_DIED) */
};

/* Fork `jobs` workers (jobs >= 1; 1: none). NULL when out of memory or a
 * worker cannot be started, with the reason written to err ("pilotsim:
 * cannot start workers: ..."); the workers already forked are reaped. */
struct pool *pool_new(unsigned jobs, pool_work_fn work, void *ctx, FILE *err);

/* Run tasks[0..n) on the workers. bar (may be NULL): redrawn with
 * progress_tick about four times a second while waiting, so its clock
 * moves; done() moves its counts. 0, or -1 with *fail filled (fail may be
 * NULL); see "Failure" above. */
int pool_run(struct pool *p, const uint64_t *tasks, size_t n, pool_done_fn done, void *dctx,
             struct progress *bar, struct pool_failure *fail);

/* A pool in files mode: as pool_new, each worker with its temporary
 * file (NULL also when one cannot be made: said on err). */
struct pool *pool_new_files(unsigned jobs, pool_write_fn write, void *ctx, FILE *err);

/* pool_run for a files pool: read() takes each result from its file. Each
 * kind of pool runs only its own kind of batch (-1, EINVAL, otherwise). */
int pool_run_files(struct pool *p, const uint64_t *tasks, size_t n, pool_read_fn read, void *dctx,
                   struct progress *bar, struct pool_failure *fail);

/* Workers (jobs as given to pool_new). */
unsigned pool_jobs(const struct pool *p);

/* A default wording of a failure: "a worker process died", "cannot reach a
 * worker process", "cannot write its result to a temporary file" (err
 * says why), or strerror(err). */
const char *pool_failure_text(const struct pool_failure *f);

/* No more batches: tell every worker to leave (end of stream on its
 * socket) without waiting, so that the workers exit while the caller goes
 * on (writing its outputs); pool_run fails from then on, pool_free reaps
 * them. NULL: nothing. */
void pool_close(struct pool *p);

/* Tell every worker to leave (end of stream on its socket), reap them and
 * free. NULL: nothing. */
void pool_free(struct pool *p);

#endif
