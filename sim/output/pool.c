/* pool: forked workers that run numbered tasks and send back bytes (pool.h). */
#include "output/pool.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exitcode.h"
#include "output/proc.h"
#include "output/progress.h"

/* A worker's answer: the result's length, then len bytes. */
struct reply {
    uint64_t len; /* bytes that follow (0 when failed) */
    int32_t err;  /* 0, or work()'s errno: failed */
    int32_t pad;  /* zero: no uninitialized bytes on the wire */
};

/* A result beyond this many bytes can only be a corrupt stream. */
#define MAX_RESULT ((uint64_t)1 << 37)

struct worker {
    pid_t pid;   /* 0 when not started or reaped */
    int fd;      /* our end of its socket pair, -1 when closed */
    size_t task; /* the index of the task it is running */
    int busy;    /* a task is out: poll its socket */
};

struct pool {
    unsigned jobs;
    pool_work_fn work;
    void *ctx;
    struct worker *w;  /* [jobs] (none when jobs is 1) */
    struct pollfd *pf; /* [jobs] */
    int spent;         /* a batch failed or pool_close: no more batches */
};

/* ---- byte streams over a socket ---- */

/* Read exactly n bytes: 1, 0 at a clean end of stream, -1 on error or a
 * stream cut short. */
static int read_full(int fd, void *buf, size_t n)
{
    char *p = buf;
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, p + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return r == 0 && got == 0 ? 0 : -1;
        got += (size_t)r;
    }
    return 1;
}

/* Write all n bytes; no SIGPIPE when the other end is gone. 0 or -1. */
static int write_full(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* ---- the worker's side ---- */

/* Run the tasks the parent sends until it closes the socket. */
static void worker_loop(struct pool *p, int fd)
{
    uint64_t task;
    while (read_full(fd, &task, sizeof task) == 1) {
        size_t len = 0;
        errno = 0;
        void *res = p->work(p->ctx, task, &len);
        struct reply r = {res ? len : 0, res ? 0 : errno ? errno : EIO, 0};
        int failed =
            write_full(fd, &r, sizeof r) < 0 || (res && len && write_full(fd, res, len) < 0);
        free(res);
        if (failed)
            return;
    }
}

/* ---- the parent's side ---- */

/* Close every socket: shutdown first, so that a copy of our end inherited
 * by some other child cannot keep a worker waiting for the end of stream. */
static void hang_up(struct pool *p)
{
    for (unsigned i = 0; p->w && i < p->jobs; i++)
        if (p->w[i].fd >= 0) {
            shutdown(p->w[i].fd, SHUT_RDWR);
            close(p->w[i].fd);
            p->w[i].fd = -1;
        }
}

/* Close every socket, stop the workers when `kill_them` and reap them all. */
static void reap(struct pool *p, int kill_them)
{
    hang_up(p);
    for (unsigned i = 0; p->w && i < p->jobs; i++)
        if (kill_them && p->w[i].pid > 0)
            kill(p->w[i].pid, SIGTERM);
    for (unsigned i = 0; p->w && i < p->jobs; i++)
        if (p->w[i].pid > 0) {
            proc_wait(p->w[i].pid, NULL);
            p->w[i].pid = 0;
        }
}

/* Fork worker i with only its own end of a fresh socket pair open (so our
 * closed end reaches it as end of stream). 0, or -1 with errno set. */
static int spawn(struct pool *p, unsigned i)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
        return -1;
    /* proc_fork: the child dies with us, even if we are killed. */
    pid_t pid = proc_fork();
    if (pid < 0) {
        int saved = errno;
        close(sv[0]);
        close(sv[1]);
        errno = saved;
        return -1;
    }
    if (pid == 0) {
        close(sv[0]);
        for (unsigned j = 0; j < i; j++)
            close(p->w[j].fd);
        worker_loop(p, sv[1]);
        _exit(EXITCODE_OK);
    }
    close(sv[1]);
    p->w[i] = (struct worker){pid, sv[0], 0, 0};
    return 0;
}

struct pool *pool_new(unsigned jobs, pool_work_fn work, void *ctx, FILE *err)
{
    struct pool *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    *p = (struct pool){jobs ? jobs : 1, work, ctx, NULL, NULL, 0};
    if (p->jobs == 1)
        return p;
    p->w = calloc(p->jobs, sizeof *p->w);
    p->pf = calloc(p->jobs, sizeof *p->pf);
    if (!p->w || !p->pf) {
        fprintf(err, "pilotsim: cannot start workers: out of memory\n");
        pool_free(p);
        return NULL;
    }
    for (unsigned i = 0; i < p->jobs; i++)
        p->w[i].fd = -1;
    /* Nothing buffered for a worker to inherit and write twice. */
    fflush(stdout);
    fflush(stderr);
    for (unsigned i = 0; i < p->jobs; i++)
        if (spawn(p, i) < 0) {
            fprintf(err, "pilotsim: cannot start workers: %s\n", strerror(errno));
            pool_free(p);
            return NULL;
        }
    return p;
}

unsigned pool_jobs(const struct pool *p)
{
    return p->jobs;
}

static void fail_with(struct pool_failure *fail, enum pool_fail_kind kind, size_t index, int err)
{
    if (fail)
        *fail = (struct pool_failure){kind, index, err};
}

/* jobs 1: every task in the caller, in order. */
static int run_here(struct pool *p, const uint64_t *tasks, size_t n, pool_done_fn done, void *dctx,
                    struct pool_failure *fail)
{
    for (size_t i = 0; i < n; i++) {
        size_t len = 0;
        errno = 0;
        void *res = p->work(p->ctx, tasks[i], &len);
        if (!res) {
            fail_with(fail, POOL_FAIL_TASK, i, errno ? errno : EIO);
            return -1;
        }
        errno = 0;
        int rc = done(dctx, i, 0, res, len);
        int saved = errno;
        free(res);
        if (rc < 0) {
            fail_with(fail, POOL_FAIL_DONE, i, saved);
            return -1;
        }
    }
    return 0;
}

/* Give worker w the next task, if one is left. 0, or -1 (errno set). */
static int dispatch(struct worker *w, const uint64_t *tasks, size_t *next, size_t n)
{
    w->busy = 0;
    if (*next >= n)
        return 0;
    w->task = (*next)++;
    w->busy = 1;
    return write_full(w->fd, &tasks[w->task], sizeof tasks[w->task]);
}

/* Take worker i's answer and hand it to done(). 0, or -1 with *fail. */
static int collect(struct pool *p, unsigned i, pool_done_fn done, void *dctx,
                   struct pool_failure *fail)
{
    struct worker *w = &p->w[i];
    struct reply r;
    w->busy = 0;
    if (read_full(w->fd, &r, sizeof r) != 1 || r.len > MAX_RESULT) {
        fail_with(fail, POOL_FAIL_DIED, w->task, 0);
        return -1;
    }
    if (r.err) {
        fail_with(fail, POOL_FAIL_TASK, w->task, r.err);
        return -1;
    }
    void *res = malloc(r.len ? r.len : 1);
    if (!res) {
        fail_with(fail, POOL_FAIL_DONE, w->task, ENOMEM);
        return -1;
    }
    int rc = read_full(w->fd, res, r.len) == 1 || r.len == 0 ? 0 : -1;
    if (rc < 0)
        fail_with(fail, POOL_FAIL_DIED, w->task, 0);
    errno = 0;
    if (rc == 0 && done(dctx, w->task, i, res, r.len) < 0) {
        fail_with(fail, POOL_FAIL_DONE, w->task, errno);
        rc = -1;
    }
    free(res);
    return rc;
}

/* Prime every worker with a task, then loop: poll the busy ones, take an
 * answer, refill. */
static int run_forked(struct pool *p, const uint64_t *tasks, size_t n, pool_done_fn done,
                      void *dctx, struct progress *bar, struct pool_failure *fail)
{
    size_t next = 0, finished = 0;
    for (unsigned i = 0; i < p->jobs; i++)
        if (dispatch(&p->w[i], tasks, &next, n) < 0) {
            fail_with(fail, POOL_FAIL_IO, n, errno);
            return -1;
        }
    int ticking = bar && bar->enabled;
    while (finished < n) {
        for (unsigned i = 0; i < p->jobs; i++)
            p->pf[i] = (struct pollfd){p->w[i].busy ? p->w[i].fd : -1, POLLIN, 0};
        /* With a bar on screen, wake up now and then to move its clock. */
        int ready = poll(p->pf, (nfds_t)p->jobs, ticking ? 250 : -1);
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready < 0) {
            fail_with(fail, POOL_FAIL_IO, n, errno);
            return -1;
        }
        if (ready == 0)
            progress_tick(bar);
        for (unsigned i = 0; i < p->jobs; i++) {
            if (!p->w[i].busy || !p->pf[i].revents)
                continue;
            if (collect(p, i, done, dctx, fail) < 0)
                return -1;
            finished++;
            if (dispatch(&p->w[i], tasks, &next, n) < 0) {
                fail_with(fail, POOL_FAIL_IO, n, errno);
                return -1;
            }
        }
    }
    return 0;
}

int pool_run(struct pool *p, const uint64_t *tasks, size_t n, pool_done_fn done, void *dctx,
             struct progress *bar, struct pool_failure *fail)
{
    if (p->spent) {
        fail_with(fail, POOL_FAIL_IO, n, ECHILD);
        return -1;
    }
    if (p->jobs == 1) {
        p->spent = run_here(p, tasks, n, done, dctx, fail) < 0;
        return p->spent ? -1 : 0;
    }
    if (run_forked(p, tasks, n, done, dctx, bar, fail) == 0)
        return 0;
    /* The other workers may still be running tasks of this batch whose
     * answers nobody will read: stop them. */
    reap(p, 1);
    p->spent = 1;
    return -1;
}

const char *pool_failure_text(const struct pool_failure *f)
{
    switch (f->kind) {
    case POOL_FAIL_DIED:
        return "a worker process died";
    case POOL_FAIL_IO:
        return "cannot reach a worker process";
    case POOL_FAIL_TASK:
    case POOL_FAIL_DONE:
        break;
    }
    return strerror(f->err);
}

void pool_close(struct pool *p)
{
    if (!p)
        return;
    hang_up(p);
    p->spent = 1;
}

void pool_free(struct pool *p)
{
    if (!p)
        return;
    reap(p, 0);
    free(p->w);
    free(p->pf);
    free(p);
}
