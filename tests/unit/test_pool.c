/* Unit tests of pool: results land by index whatever J and the arrival
 * order; workers live across batches and keep their own state; every
 * worker takes tasks (dynamic balancing); results larger than a socket's
 * buffer and empty ones arrive whole; each kind of failure ends the batch,
 * names the task and leaves no child behind; pool_close ends the batches
 * and pool_free reaps. Files mode: the same results through the workers'
 * files, each written over the last; a result the disk cannot hold is a
 * failure of its own kind. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <unistd.h>

#include "output/pool.h"
#include "output/proc.h"
#include "test.h"

#define N 12        /* tasks in a batch */
#define BIG 1000000 /* bytes of the large result: beyond a socket's buffer */

/* Task codes above the plain numbers. */
#define T_FAIL 1000 /* work() fails with EDOM */
#define T_DIE 1001  /* the worker dies */
#define T_BIG 1002  /* a BIG-byte result */
#define T_NONE 1003 /* a 0-byte result */

struct ctx {
    unsigned served; /* tasks this process's copy has run */
};

/* What a result says: the task squared, who ran it, how many it had run. */
struct answer {
    uint64_t square;
    long pid;
    unsigned served;
};

static void *work(void *vctx, uint64_t task, size_t *len)
{
    struct ctx *c = vctx;
    c->served++;
    if (task == T_FAIL) {
        errno = EDOM;
        return NULL;
    }
    if (task == T_DIE)
        _exit(3);
    if (task == T_BIG || task == T_NONE) {
        *len = task == T_BIG ? BIG : 0;
        unsigned char *b = malloc(BIG);
        for (size_t i = 0; b && i < *len; i++)
            b[i] = (unsigned char)(i * 7);
        return b;
    }
    /* A little work, so that every worker is busy when tasks are handed out. */
    nanosleep(&(struct timespec){0, 5000000}, NULL);
    struct answer *a = calloc(1, sizeof *a); /* no padding left uninitialised */
    if (a)
        *a = (struct answer){task * task, (long)getpid(), c->served};
    *len = sizeof *a;
    return a;
}

struct sink {
    struct answer got[N];
    unsigned worker[N];
    size_t arrived, len_big;
    int big_ok, fail_at; /* fail_at: done() fails on that index (-1: never) */
};

static int done(void *dctx, size_t i, unsigned worker, const void *res, size_t len)
{
    struct sink *s = dctx;
    s->arrived++;
    if ((int)i == s->fail_at) {
        errno = ERANGE;
        return -1;
    }
    if (len == BIG) {
        const unsigned char *b = res;
        s->big_ok = 1;
        for (size_t k = 0; k < len; k++)
            s->big_ok &= b[k] == (unsigned char)(k * 7);
        s->len_big = len;
        return 0;
    }
    if (len == sizeof s->got[0] && i < N)
        memcpy(&s->got[i], res, len), s->worker[i] = worker;
    return 0;
}

/* Run tasks 0..N-1 on a pool; 1 when every result is task^2 at its index. */
static int squares(struct pool *p, struct sink *s)
{
    uint64_t tasks[N];
    for (size_t i = 0; i < N; i++)
        tasks[i] = i;
    memset(s, 0, sizeof *s);
    s->fail_at = -1;
    int ok = pool_run(p, tasks, N, done, s, NULL, NULL) == 0 && s->arrived == N;
    for (size_t i = 0; ok && i < N; i++)
        ok = s->got[i].square == i * i && s->worker[i] < pool_jobs(p);
    return ok;
}

/* Files mode: work()'s result written to the worker's file (a write that
 * fails is the pool's to see, pool_write_fn). */
static int write_result(void *vctx, uint64_t task, FILE *out)
{
    size_t len = 0;
    void *res = work(vctx, task, &len);
    if (res)
        fwrite(res, 1, len, out);
    free(res);
    return res ? 0 : -1;
}

/* Files mode: the result read from its file (which ends with it), then
 * done() as in bytes mode. */
static int read_result(void *dctx, size_t i, unsigned worker, FILE *in, size_t len)
{
    unsigned char *b = malloc(len + 1);
    int rc =
        b && fread(b, 1, len, in) == len && getc(in) == EOF ? done(dctx, i, worker, b, len) : -1;
    free(b);
    if (rc < 0 && errno == 0)
        errno = EBADMSG;
    return rc;
}

/* Files mode: tasks 0..N-1, then a BIG result and a small one (each
 * written over the last), then a failing task. 1 when all is as in bytes
 * mode. */
static int squares_in_files(unsigned jobs, struct pool_failure *pf)
{
    struct ctx c = {0};
    struct pool *p = pool_new_files(jobs, write_result, &c, stderr);
    uint64_t tasks[N], odd[3] = {T_BIG, 7, T_NONE}, fail[1] = {T_FAIL};
    struct sink s, big;
    for (size_t i = 0; i < N; i++)
        tasks[i] = i;
    memset(&s, 0, sizeof s);
    memset(&big, 0, sizeof big);
    big.fail_at = s.fail_at = -1;
    int ok = p && proc_children() == (jobs > 1 ? jobs : 0) &&
             pool_run_files(p, tasks, N, read_result, &s, NULL, NULL) == 0 && s.arrived == N;
    for (size_t i = 0; ok && i < N; i++)
        ok = s.got[i].square == i * i;
    ok = ok && pool_run_files(p, odd, 3, read_result, &big, NULL, NULL) == 0 && big.big_ok &&
         big.len_big == BIG && big.got[1].square == 49 && big.arrived == 3;
    ok = ok && pool_run(p, tasks, 1, done, &s, NULL, NULL) == -1; /* not its kind */
    ok = ok && pool_run_files(p, fail, 1, read_result, &s, NULL, pf) == -1;
    pool_free(p);
    return ok && proc_children() == 0;
}

/* Files mode on a full disk (the file-size limit stands in for it, its
 * signal ignored so that a write fails with EFBIG): the BIG result cannot
 * be written, and the pool says so. 1 when it does, with that errno. */
static int full_disk(unsigned jobs, struct pool_failure *pf)
{
    struct rlimit was;
    if (getrlimit(RLIMIT_FSIZE, &was) < 0)
        return 0;
    struct ctx c = {0};
    uint64_t big[1] = {T_BIG};
    struct sink s;
    memset(&s, 0, sizeof s);
    s.fail_at = -1;
    void (*old)(int) = signal(SIGXFSZ, SIG_IGN);
    setrlimit(RLIMIT_FSIZE, &(struct rlimit){BIG / 2, was.rlim_max});
    struct pool *p = pool_new_files(jobs, write_result, &c, stderr);
    int rc = p ? pool_run_files(p, big, 1, read_result, &s, NULL, pf) : 0;
    pool_free(p);
    setrlimit(RLIMIT_FSIZE, &was);
    signal(SIGXFSZ, old);
    return rc == -1 && s.arrived == 0 && pf->kind == POOL_FAIL_FILE && pf->err == EFBIG;
}

/* One task that fails as `task` says, after two plain ones. */
static int failing(unsigned jobs, uint64_t task, int fail_at, struct pool_failure *pf)
{
    struct ctx c = {0};
    struct pool *p = pool_new(jobs, work, &c, stderr);
    uint64_t tasks[3] = {4, 5, task};
    struct sink s;
    memset(&s, 0, sizeof s);
    s.fail_at = fail_at;
    int rc = p ? pool_run(p, tasks, 3, done, &s, NULL, pf) : 0;
    int spent = p && pool_run(p, tasks, 1, done, &s, NULL, NULL) == -1;
    pool_free(p);
    return rc == -1 && spent;
}

int main(void)
{
    test_plan(24);
    struct ctx c = {0};
    struct sink one, three, again;

    struct pool *p1 = pool_new(1, work, &c, stderr);
    check(p1 && squares(p1, &one), "jobs 1: every result at its index");
    check(c.served == N && proc_children() == 0, "jobs 1 runs in the caller, forks nothing");
    pool_free(p1);

    c.served = 0;
    struct pool *p3 = pool_new(3, work, &c, stderr);
    check(p3 && proc_children() == 3, "jobs 3: three workers forked");
    int ok = p3 && squares(p3, &three);
    check(ok, "jobs 3: every result at its index");
    int workers_seen = 0;
    for (unsigned w = 0; ok && w < 3; w++) {
        int seen = 0;
        for (size_t i = 0; i < N; i++)
            seen |= three.worker[i] == w;
        workers_seen += seen;
    }
    check(workers_seen == 3, "every worker took tasks (%d of 3)", workers_seen);
    int ok2 = p3 && squares(p3, &again);
    check(ok2, "a second batch on the same workers");
    int same_pids = ok && ok2, kept = ok && ok2;
    for (size_t i = 0; same_pids && i < N; i++) {
        int known = 0;
        for (size_t k = 0; k < N; k++)
            known |= again.got[i].pid == three.got[k].pid;
        same_pids = known;
    }
    unsigned most1 = 0, most2 = 0;
    for (size_t i = 0; kept && i < N; i++) {
        most1 = three.got[i].served > most1 ? three.got[i].served : most1;
        most2 = again.got[i].served > most2 ? again.got[i].served : most2;
    }
    check(same_pids, "the second batch ran in the first batch's processes");
    check(kept && most2 > most1, "a worker's state lives on across batches (%u then %u)", most1,
          most2);
    check(c.served == 0, "the parent's ctx is not touched by the workers");

    uint64_t odd[2] = {T_BIG, T_NONE};
    struct sink big;
    memset(&big, 0, sizeof big);
    big.fail_at = -1;
    check(p3 && pool_run(p3, odd, 2, done, &big, NULL, NULL) == 0 && big.big_ok &&
              big.len_big == BIG && big.arrived == 2,
          "a %d-byte result and an empty one arrive whole", BIG);
    pool_close(p3);
    check(proc_children() == 3 && pool_run(p3, odd, 1, done, &big, NULL, NULL) == -1,
          "pool_close: no more batches, the workers not yet reaped");
    pool_free(p3);
    check(proc_children() == 0, "pool_free reaps every worker");

    struct pool_failure pf;
    memset(&pf, 0, sizeof pf);
    check(failing(2, T_FAIL, -1, &pf) && pf.kind == POOL_FAIL_TASK && pf.index == 2 &&
              pf.err == EDOM,
          "a task that fails: POOL_FAIL_TASK, its index and errno; the pool is spent");
    check(!strcmp(pool_failure_text(&pf), strerror(EDOM)), "worded as its errno");
    memset(&pf, 0, sizeof pf);
    check(failing(2, T_DIE, -1, &pf) && pf.kind == POOL_FAIL_DIED && pf.index == 2,
          "a worker that dies: POOL_FAIL_DIED and the task it ran");
    check(!strcmp(pool_failure_text(&pf), "a worker process died"), "worded so");
    memset(&pf, 0, sizeof pf);
    check(failing(2, 6, 1, &pf) && pf.kind == POOL_FAIL_DONE && pf.index == 1 && pf.err == ERANGE,
          "done() refusing a result: POOL_FAIL_DONE, its index and errno");
    memset(&pf, 0, sizeof pf);
    check(failing(1, T_FAIL, -1, &pf) && pf.kind == POOL_FAIL_TASK && pf.index == 2 &&
              pf.err == EDOM,
          "jobs 1: a failing task is reported alike");
    memset(&pf, 0, sizeof pf);
    check(failing(1, 6, 0, &pf) && pf.kind == POOL_FAIL_DONE && pf.index == 0,
          "jobs 1: done() refusing is reported alike");
    check(proc_children() == 0, "no worker left behind after the failures");

    memset(&pf, 0, sizeof pf);
    check(squares_in_files(1, &pf) && pf.kind == POOL_FAIL_TASK && pf.err == EDOM,
          "files mode, jobs 1: results by index, a %d-byte one and those after it whole, "
          "a failing task reported",
          BIG);
    memset(&pf, 0, sizeof pf);
    check(squares_in_files(3, &pf) && pf.kind == POOL_FAIL_TASK && pf.err == EDOM,
          "files mode, jobs 3: the same through each worker's file");
    memset(&pf, 0, sizeof pf);
    check(full_disk(1, &pf) &&
              !strcmp(pool_failure_text(&pf), "cannot write its result to a temporary file"),
          "files mode, jobs 1: a result the disk cannot hold is POOL_FAIL_FILE, EFBIG, worded so");
    memset(&pf, 0, sizeof pf);
    check(full_disk(2, &pf) && proc_children() == 0,
          "files mode, jobs 2: a worker's too, and the workers reaped");
    return test_done();
}
