/* replicate: serial, forked and MPI farms of replications.
 *
 * The fork farm: J children forked after the scenarios are loaded (so they
 * share them copy-on-write and load nothing), each with one end of a
 * socket pair. The parent writes a task (8 bytes), the child runs it and
 * writes back the packed outcome, length first. The parent polls every
 * busy child and hands the next task to whichever answers first (dynamic
 * load balancing: a slow replication never delays the others), and stores
 * each result at its task's index. Closing a child's socket is its signal to
 * exit. Children leave with _exit, so they never flush the parent's stdio
 * buffers or run its exit handlers. They are started by proc_fork, so a
 * signal that ends the parent kills them too (proc.h). */
#include "experiment/replicate.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exitcode.h"
#include "experiment/budget.h"
#include "experiment/cpus.h"
#include "experiment/mpi_farm.h"
#include "experiment/trial.h"
#include "output/proc.h"
#include "output/progress.h"

struct replicate_farm {
    const struct scenario *const *plans; /* borrowed: a task's plan indexes them */
    size_t n_plans;
    unsigned jobs;              /* worker processes (1: serial) */
    int quiet;                  /* no progress bar */
    const char *label;          /* the bar's: what runs ("comparing") */
    const char *group_unit;     /* what a plan is called on the bar, or NULL */
    int mpi;                    /* the ranks are the workers */
    struct run_worker *workers; /* [n_workers]: work done, over every batch */
    size_t n_workers;
};

unsigned replicate_cores(void)
{
    return cpus_available();
}

/* gethostname, always terminated; "unknown" if it fails. */
static void host_name(char *buf, size_t size)
{
    if (gethostname(buf, size) != 0)
        snprintf(buf, size, "unknown");
    buf[size - 1] = '\0';
}

/* In the MPI build the farm spans the ranks, whatever `jobs` says: forking
 * inside an MPI process is unsafe with many interconnects. */
struct replicate_farm *replicate_farm_new(const struct scenario *const *plans, size_t n_plans,
                                          unsigned jobs, int quiet)
{
    struct replicate_farm *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->plans = plans;
    f->n_plans = n_plans;
    f->quiet = quiet;
    f->label = "simulating";
    f->mpi = mpi_farm_enabled();
    f->jobs = f->mpi ? 1 : jobs ? jobs : replicate_cores();
    f->n_workers = f->mpi ? (size_t)mpi_farm_size() : f->jobs;
    f->workers = calloc(f->n_workers, sizeof *f->workers);
    if (!f->workers) {
        free(f);
        return NULL;
    }
    if (f->mpi) {
        /* Collective: every rank builds its farm at the same point. */
        if (mpi_farm_hosts(f->workers) < 0) {
            replicate_farm_free(f);
            return NULL;
        }
    } else {
        for (size_t i = 0; i < f->n_workers; i++)
            host_name(f->workers[i].host, sizeof f->workers[i].host);
    }
    return f;
}

/* Rank 0 must release the other ranks, or they would wait for tasks
 * forever and MPI_Finalize would hang: every leader path ends here. */
void replicate_farm_name(struct replicate_farm *f, const char *label, const char *group_unit)
{
    f->label = label;
    f->group_unit = group_unit;
}

void replicate_farm_free(struct replicate_farm *f)
{
    if (!f)
        return;
    if (f->mpi && mpi_farm_rank() == 0)
        mpi_farm_release();
    free(f->workers);
    free(f);
}

int replicate_farm_leader(const struct replicate_farm *f)
{
    return !f->mpi || mpi_farm_rank() == 0;
}

int replicate_farm_serve(struct replicate_farm *f)
{
    return f->mpi ? mpi_farm_serve(f->plans, f->n_plans) : 0;
}

unsigned replicate_farm_width(const struct replicate_farm *f)
{
    return f->mpi ? (unsigned)mpi_farm_size() : f->jobs;
}

void replicate_farm_info(const struct replicate_farm *f, struct run_info *info)
{
    info->backend = f->mpi ? "mpi" : f->jobs > 1 ? "fork" : "serial";
    info->n_workers = f->n_workers;
    info->workers = f->workers;
}

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

#define LEN_OVERFLOW UINT64_MAX /* the length that says a sum of money overflowed */

/* A worker process: read a task, run it, send back its packed outcome
 * (length first; length 0 says it ran out of memory, LEN_OVERFLOW that a
 * sum of money overflowed), until the parent closes. */
static void worker_loop(const struct replicate_farm *f, int fd, int want_series)
{
    struct replicate_task t;
    while (read_full(fd, &t, sizeof t) == 1) {
        struct outcome o;
        uint64_t len = 0;
        double *buf = NULL;
        size_t n = 0;
        errno = 0;
        if (t.plan < f->n_plans &&
            trial_run(f->plans[t.plan], t.replication, want_series, NULL, NULL, &o) == 0) {
            buf = outcome_pack(&o, &n);
            outcome_destroy(&o);
        }
        len = buf ? n : errno == EOVERFLOW ? LEN_OVERFLOW : 0;
        int failed = write_full(fd, &len, sizeof len) < 0 ||
                     (buf && write_full(fd, buf, n * sizeof *buf) < 0);
        free(buf);
        if (failed)
            return;
    }
}

/* Receive one result from a worker into *o. 0, or -1 (the worker died or
 * failed: *why says which). */
static int receive(int fd, struct outcome *o, const char **why)
{
    uint64_t len;
    *why = "a worker process died";
    if (read_full(fd, &len, sizeof len) != 1)
        return -1;
    /* Length 0 is the worker saying its model ran out of memory; a length
     * beyond 128 GiB of doubles can only be a corrupt stream. */
    *why = len == LEN_OVERFLOW ? "a sum of money overflowed 64-bit fen (" MODEL_OVERFLOW_HINT ")"
                               : "out of memory";
    if (len == 0 || len > ((uint64_t)1 << 34))
        return -1;
    double *buf = malloc(len * sizeof *buf);
    if (!buf)
        return -1;
    int rc = -1;
    *why = "a worker process died";
    if (read_full(fd, buf, len * sizeof *buf) == 1) {
        *why = "a malformed result";
        rc = outcome_unpack(buf, len, o);
    }
    free(buf);
    return rc;
}

struct child {
    pid_t pid;   /* 0 when never started */
    int fd;      /* our end of its socket pair, -1 when closed */
    size_t task; /* the task it is running */
    int busy;    /* a task is out: poll its socket */
};

/* Hand task `i` to a child, or close its socket when none is left. */
static int dispatch(struct child *c, const struct replicate_task *tasks, size_t *next, size_t n)
{
    if (*next >= n) {
        close(c->fd);
        c->fd = -1;
        c->busy = 0;
        return 0;
    }
    c->task = (*next)++;
    c->busy = 1;
    return write_full(c->fd, &tasks[c->task], sizeof tasks[c->task]);
}

/* Start `nw` workers; children are forked with only their own socket open
 * (so a closed parent end reaches them as end of stream). */
static int spawn(const struct replicate_farm *f, struct child *ch, size_t nw, int want_series,
                 FILE *err)
{
    fflush(stdout);
    fflush(stderr);
    for (size_t w = 0; w < nw; w++) {
        int sv[2];
        if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) {
            fprintf(err, "pilotsim: cannot start workers: %s\n", strerror(errno));
            return -1;
        }
        /* proc_fork: the child dies with us, even if we are killed. */
        pid_t pid = proc_fork();
        if (pid < 0) {
            fprintf(err, "pilotsim: cannot start workers: %s\n", strerror(errno));
            close(sv[0]);
            close(sv[1]);
            return -1;
        }
        if (pid == 0) {
            close(sv[0]);
            for (size_t j = 0; j < w; j++)
                close(ch[j].fd);
            worker_loop(f, sv[1], want_series);
            _exit(EXITCODE_OK);
        }
        close(sv[1]);
        ch[w] = (struct child){pid, sv[0], 0, 0};
    }
    return 0;
}

/* Close every socket, stop the children still running (on failure) and reap them. */
static void reap(struct child *ch, size_t nw, int failed)
{
    for (size_t w = 0; w < nw; w++) {
        if (ch[w].fd >= 0)
            close(ch[w].fd);
        if (failed && ch[w].pid > 0)
            kill(ch[w].pid, SIGTERM);
    }
    for (size_t w = 0; w < nw; w++)
        if (ch[w].pid > 0)
            proc_wait(ch[w].pid, NULL);
}

/* ---- the bar ---- */

/* The bar and what it counts: the batch's tasks, and its plans whose tasks
 * are all done (shown when the farm names its plans). */
struct tally {
    struct progress bar;
    size_t *left;       /* [n_plans] each plan's tasks not yet done; NULL: no groups */
    double groups_done; /* plans with none left */
    size_t done, n;     /* tasks done, of n */
};

/* Set the bar up for a batch: its plans counted when they have a name. */
static void tally_init(struct tally *t, const struct replicate_farm *f,
                       const struct replicate_task *tasks, size_t n)
{
    memset(t, 0, sizeof *t);
    progress_init(&t->bar, f->label, f->quiet);
    progress_counts(&t->bar, "replications");
    t->n = n;
    if (!t->bar.enabled || !f->group_unit || f->n_plans < 2 ||
        !(t->left = calloc(f->n_plans, sizeof *t->left)))
        return;
    double groups = 0;
    for (size_t i = 0; i < n; i++)
        groups += t->left[tasks[i].plan]++ == 0;
    progress_groups(&t->bar, 0, groups, f->group_unit);
}

/* Task i (of plan `plan`) is done. */
static void tally_done(struct tally *t, uint32_t plan)
{
    if (t->left && --t->left[plan] == 0)
        progress_groups(&t->bar, ++t->groups_done, t->bar.groups_total, t->bar.group_unit);
    progress_update(&t->bar, (double)++t->done, (double)t->n);
}

/* A model_progress_fn for the serial farm: the running replication's share
 * of its horizon moves the bar between replications. */
struct tally_step {
    struct tally *t;
};
static void tally_within(void *ctx, double now, double horizon)
{
    struct tally *t = ((struct tally_step *)ctx)->t;
    if (horizon > 0)
        progress_update(&t->bar, (double)t->done + now / horizon, (double)t->n);
}

/* The fork farm's batch: start min(J, n) children, prime each with a task,
 * then loop: poll the busy ones, take a result, refill. On any failure the
 * remaining children are stopped and reaped, and the caller gets -1. */
static int fork_run(struct replicate_farm *f, const struct replicate_task *tasks, size_t n,
                    int want_series, struct outcome *out, struct tally *bar, FILE *err)
{
    size_t nw = f->jobs < n ? f->jobs : n, next = 0, done = 0;
    struct child *ch = calloc(nw, sizeof *ch);
    struct pollfd *pf = calloc(nw, sizeof *pf);
    int rc = ch && pf ? 0 : -1;
    for (size_t w = 0; w < nw && ch; w++)
        ch[w].fd = -1;
    if (rc == 0)
        rc = spawn(f, ch, nw, want_series, err);
    for (size_t w = 0; rc == 0 && w < nw; w++)
        rc = dispatch(&ch[w], tasks, &next, n);
    const char *why = "cannot reach a worker process";
    size_t failed = n; /* the task whose worker failed */
    while (rc == 0 && done < n) {
        for (size_t w = 0; w < nw; w++)
            pf[w] = (struct pollfd){ch[w].busy ? ch[w].fd : -1, POLLIN, 0};
        /* With a bar on screen, wake up now and then to move its clock. */
        int ready = poll(pf, (nfds_t)nw, bar->bar.enabled ? 250 : -1);
        if (ready < 0) {
            if (errno == EINTR)
                continue;
            rc = -1;
            break;
        }
        if (ready == 0)
            progress_tick(&bar->bar);
        for (size_t w = 0; rc == 0 && w < nw; w++) {
            if (!ch[w].busy || !pf[w].revents)
                continue;
            size_t t = ch[w].task;
            rc = receive(ch[w].fd, &out[t], &why);
            if (rc < 0) {
                failed = t;
                break;
            }
            f->workers[w].tasks++;
            f->workers[w].busy_s += out[t].wall_s;
            done++;
            tally_done(bar, tasks[t].plan);
            rc = dispatch(&ch[w], tasks, &next, n);
        }
    }
    /* A worker out of memory, or killed (the kernel's OOM killer leaves
     * no word): say what a run needs and where it goes. */
    char hint[512] = "", cause[480];
    if (rc < 0 && failed < n &&
        (!strcmp(why, "out of memory") || !strcmp(why, "a worker process died")))
        snprintf(hint, sizeof hint, " (%s)",
                 budget_explain(f->plans[tasks[failed].plan], cause, sizeof cause));
    if (rc < 0 && ch)
        fprintf(err, "pilotsim: replications failed: %s%s\n", why, hint);
    if (ch)
        reap(ch, nw, rc < 0);
    free(ch);
    free(pf);
    return rc;
}

/* --jobs 1, or a batch of one: in this process, in task order. This is the
 * reference every other back end must match byte for byte. */
static int serial_run(struct replicate_farm *f, const struct replicate_task *tasks, size_t n,
                      int want_series, struct outcome *out, struct tally *bar, FILE *err)
{
    struct tally_step step = {bar};
    for (size_t i = 0; i < n; i++) {
        char hint[512];
        if (trial_run(f->plans[tasks[i].plan], tasks[i].replication, want_series,
                      bar->bar.enabled ? tally_within : NULL, &step, &out[i]) < 0) {
            if (errno == EOVERFLOW)
                fprintf(err,
                        "pilotsim: a sum of money overflowed 64-bit fen in replication %u "
                        "(" MODEL_OVERFLOW_HINT ")\n",
                        (unsigned)tasks[i].replication);
            else
                fprintf(err, "pilotsim: out of memory in replication %u (%s)\n",
                        (unsigned)tasks[i].replication,
                        budget_explain(f->plans[tasks[i].plan], hint, sizeof hint));
            return -1;
        }
        f->workers[0].tasks++;
        f->workers[0].busy_s += out[i].wall_s;
        tally_done(bar, tasks[i].plan);
    }
    return 0;
}

/* Dispatch to the back end; the progress bar counts finished tasks. */
int replicate_farm_run(struct replicate_farm *f, const struct replicate_task *tasks, size_t n,
                       int want_series, struct outcome *out, FILE *err)
{
    memset(out, 0, n * sizeof *out);
    struct tally bar;
    tally_init(&bar, f, tasks, n);
    int rc;
    if (f->mpi)
        rc = mpi_farm_run(f->plans, f->n_plans, tasks, n, want_series, out, f->workers, &bar.bar,
                          err);
    else if (f->jobs > 1 && n > 1)
        rc = fork_run(f, tasks, n, want_series, out, &bar, err);
    else
        rc = serial_run(f, tasks, n, want_series, out, &bar, err);
    progress_finish(&bar.bar);
    free(bar.left);
    if (rc < 0)
        for (size_t i = 0; i < n; i++)
            outcome_destroy(&out[i]);
    return rc;
}
