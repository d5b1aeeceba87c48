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
    int32_t err;  /* 0, or the errno of a failure */
    int32_t kind; /* a failure's: POOL_FAIL_TASK or POOL_FAIL_FILE */
};

/* A result beyond this many bytes can only be a corrupt stream. */
#define MAX_RESULT ((uint64_t)1 << 37)

struct worker {
    pid_t pid;   /* 0 when not started or reaped */
    int fd;      /* our end of its socket pair, -1 when closed */
    FILE *file;  /* files mode: its results' temporary file, shared with it */
    size_t task; /* the index of the task it is running */
    int busy;    /* a task is out: poll its socket */
};

struct pool {
    unsigned jobs;
    pool_work_fn work;   /* bytes mode */
    pool_write_fn write; /* files mode (pool_new_files) */
    void *ctx;
    FILE *here;        /* files mode, jobs 1: the results' temporary file */
    struct worker *w;  /* [jobs] (none when jobs is 1) */
    struct pollfd *pf; /* [jobs] */
    int spent;         /* a batch failed or pool_close: no more batches */
};

/* Where a batch's results go: done() (bytes mode) or read() (files). */
struct pool_sink {
    pool_done_fn done;
    pool_read_fn read;
    void *dctx;
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

/* Files mode: task `task`'s result written over the file's last one;
 * its length, or -1 with errno set and *kind saying whose failure: work's
 * (POOL_FAIL_TASK) or the file's (POOL_FAIL_FILE, a full disk: work's
 * writes are buffered, so only the flush may see it). */
static long write_result(struct pool *p, uint64_t task, FILE *f, int *kind)
{
    *kind = POOL_FAIL_FILE;
    rewind(f);
    if (ftruncate(fileno(f), 0) < 0)
        return -1;
    errno = 0;
    if (p->write(p->ctx, task, f) < 0) {
        *kind = POOL_FAIL_TASK;
        if (!errno)
            errno = EIO;
        return -1;
    }
    long len = fflush(f) == 0 && !ferror(f) ? ftell(f) : -1;
    if (len < 0 && !errno)
        errno = EIO;
    return len;
}

/* Run the tasks the parent sends until it closes the socket: in bytes
 * mode the result follows its header on the socket; in files mode it is
 * in the worker's file, and the header says how long. */
static void worker_loop(struct pool *p, int fd, FILE *file)
{
    uint64_t task;
    while (read_full(fd, &task, sizeof task) == 1) {
        size_t len = 0;
        void *res = NULL;
        int kind = POOL_FAIL_TASK;
        errno = 0;
        if (file) {
            long n = write_result(p, task, file, &kind);
            res = n < 0 ? NULL : p;
            len = n < 0 ? 0 : (size_t)n;
        } else {
            res = p->work(p->ctx, task, &len);
        }
        struct reply r = {res ? len : 0, res ? 0 : errno ? errno : EIO, res ? 0 : kind};
        int failed = write_full(fd, &r, sizeof r) < 0 ||
                     (!file && res && len && write_full(fd, res, len) < 0);
        if (!file)
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
    /* Files mode: the file is made before the fork, so that both sides
     * hold it (and its offset: they take turns, the worker writing a
     * result before it answers, we reading it before its next task). */
    if (p->write && !(p->w[i].file = tmpfile()))
        return -1;
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
        worker_loop(p, sv[1], p->w[i].file);
        _exit(EXITCODE_OK);
    }
    close(sv[1]);
    p->w[i].pid = pid;
    p->w[i].fd = sv[0];
    return 0;
}

/* Fork p's workers (none for jobs 1). p, or NULL (said on err, p freed). */
static struct pool *start(struct pool *p, FILE *err)
{
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

struct pool *pool_new(unsigned jobs, pool_work_fn work, void *ctx, FILE *err)
{
    struct pool *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    *p = (struct pool){.jobs = jobs ? jobs : 1, .work = work, .ctx = ctx};
    return start(p, err);
}

struct pool *pool_new_files(unsigned jobs, pool_write_fn write, void *ctx, FILE *err)
{
    struct pool *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    *p = (struct pool){.jobs = jobs ? jobs : 1, .write = write, .ctx = ctx};
    return start(p, err);
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

/* Files mode, jobs 1: task `task` written to the caller's file, then
 * read back from its start. 0, or -1 with *fail. */
static int file_here(struct pool *p, uint64_t task, size_t i, const struct pool_sink *sink,
                     struct pool_failure *fail)
{
    if (!p->here && !(p->here = tmpfile())) {
        fail_with(fail, POOL_FAIL_IO, i, errno);
        return -1;
    }
    int kind;
    long len = write_result(p, task, p->here, &kind);
    if (len < 0) {
        fail_with(fail, (enum pool_fail_kind)kind, i, errno);
        return -1;
    }
    rewind(p->here);
    errno = 0;
    if (sink->read(sink->dctx, i, 0, p->here, (size_t)len) < 0) {
        fail_with(fail, POOL_FAIL_DONE, i, errno);
        return -1;
    }
    return 0;
}

/* jobs 1: every task in the caller, in order. */
static int run_here(struct pool *p, const uint64_t *tasks, size_t n, const struct pool_sink *sink,
                    struct pool_failure *fail)
{
    for (size_t i = 0; i < n; i++) {
        if (p->write) {
            if (file_here(p, tasks[i], i, sink, fail) < 0)
                return -1;
            continue;
        }
        size_t len = 0;
        errno = 0;
        void *res = p->work(p->ctx, tasks[i], &len);
        if (!res) {
            fail_with(fail, POOL_FAIL_TASK, i, errno ? errno : EIO);
            return -1;
        }
        errno = 0;
        int rc = sink->done(sink->dctx, i, 0, res, len);
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

/* Worker i's result of len bytes, from the socket or from its file,
 * handed to the sink. 0, or -1 with *fail. */
static int deliver(struct pool *p, unsigned i, size_t len, const struct pool_sink *sink,
                   struct pool_failure *fail)
{
    struct worker *w = &p->w[i];
    if (w->file) { /* from its start, our stale buffer dropped */
        errno = 0;
        int rc = fseek(w->file, 0, SEEK_SET) == 0 ? sink->read(sink->dctx, w->task, i, w->file, len)
                                                  : -1;
        if (rc < 0)
            fail_with(fail, POOL_FAIL_DONE, w->task, errno);
        return rc;
    }
    void *res = malloc(len ? len : 1);
    if (!res) {
        fail_with(fail, POOL_FAIL_DONE, w->task, ENOMEM);
        return -1;
    }
    int rc = read_full(w->fd, res, len) == 1 || len == 0 ? 0 : -1;
    if (rc < 0)
        fail_with(fail, POOL_FAIL_DIED, w->task, 0);
    errno = 0;
    if (rc == 0 && sink->done(sink->dctx, w->task, i, res, len) < 0) {
        fail_with(fail, POOL_FAIL_DONE, w->task, errno);
        rc = -1;
    }
    free(res);
    return rc;
}

/* Take worker i's answer and hand it on. 0, or -1 with *fail. */
static int collect(struct pool *p, unsigned i, const struct pool_sink *sink,
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
        fail_with(fail, r.kind == POOL_FAIL_FILE ? POOL_FAIL_FILE : POOL_FAIL_TASK, w->task, r.err);
        return -1;
    }
    return deliver(p, i, (size_t)r.len, sink, fail);
}

/* Prime every worker with a task, then loop: poll the busy ones, take an
 * answer, refill. */
static int run_forked(struct pool *p, const uint64_t *tasks, size_t n, const struct pool_sink *sink,
                      struct progress *bar, struct pool_failure *fail)
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
            if (collect(p, i, sink, fail) < 0)
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

/* Either mode's batch. */
static int run(struct pool *p, const uint64_t *tasks, size_t n, const struct pool_sink *sink,
               struct progress *bar, struct pool_failure *fail)
{
    if (p->spent) {
        fail_with(fail, POOL_FAIL_IO, n, ECHILD);
        return -1;
    }
    if (p->jobs == 1) {
        p->spent = run_here(p, tasks, n, sink, fail) < 0;
        return p->spent ? -1 : 0;
    }
    if (run_forked(p, tasks, n, sink, bar, fail) == 0)
        return 0;
    /* The other workers may still be running tasks of this batch whose
     * answers nobody will read: stop them. */
    reap(p, 1);
    p->spent = 1;
    return -1;
}

int pool_run(struct pool *p, const uint64_t *tasks, size_t n, pool_done_fn done, void *dctx,
             struct progress *bar, struct pool_failure *fail)
{
    if (p->write) { /* a files pool's results are read, not handed over */
        fail_with(fail, POOL_FAIL_IO, n, EINVAL);
        return -1;
    }
    return run(p, tasks, n, &(struct pool_sink){.done = done, .dctx = dctx}, bar, fail);
}

int pool_run_files(struct pool *p, const uint64_t *tasks, size_t n, pool_read_fn read, void *dctx,
                   struct progress *bar, struct pool_failure *fail)
{
    if (!p->write) {
        fail_with(fail, POOL_FAIL_IO, n, EINVAL);
        return -1;
    }
    return run(p, tasks, n, &(struct pool_sink){.read = read, .dctx = dctx}, bar, fail);
}

const char *pool_failure_text(const struct pool_failure *f)
{
    switch (f->kind) {
    case POOL_FAIL_DIED:
        return "a worker process died";
    case POOL_FAIL_IO:
        return "cannot reach a worker process";
    case POOL_FAIL_FILE:
        return "cannot write its result to a temporary file";
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
    for (unsigned i = 0; p->w && i < p->jobs; i++)
        if (p->w[i].file)
            fclose(p->w[i].file);
    if (p->here)
        fclose(p->here);
    free(p->w);
    free(p->pf);
    free(p);
}
