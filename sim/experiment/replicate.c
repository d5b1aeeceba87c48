/* replicate: serial, forked and MPI farms of replications.
 *
 * The fork farm runs on a worker pool (output/pool.h): min(J, tasks)
 * workers forked at its first batch, after the scenarios are loaded (so
 * they share them copy-on-write and load nothing), serving every later
 * batch too. A task
 * travels as one word (plan, want_series, replication) and comes back as
 * its packed outcome; the pool hands the next task to whichever worker
 * answers first (a slow replication never delays the others) and each
 * outcome is stored at its task's index. The workers die with the parent
 * (proc.h) and leave when the farm is freed. */
#include "experiment/replicate.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "experiment/budget.h"
#include "experiment/cpus.h"
#include "experiment/mpi_farm.h"
#include "experiment/trial.h"
#include "model/model_workspace.h"
#include "output/pool.h"
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
    struct pool *pool; /* the fork farm's workers, from its first batch; NULL before */
    /* The model's arrays kept between the tasks of this process: the
     * serial farm's (J = 1), or rank 0's; each forked worker has its own
     * copy (empty: a parent with J > 1 never fills it) and fills it.
     * NULL: none. */
    struct model_workspace *ws;
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
    f->ws = model_workspace_new();
    if (!f->workers || !f->ws) {
        model_workspace_free(f->ws);
        free(f->workers);
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

void replicate_farm_finish(struct replicate_farm *f)
{
    pool_close(f->pool);
}

void replicate_farm_free(struct replicate_farm *f)
{
    if (!f)
        return;
    if (f->mpi && mpi_farm_rank() == 0)
        mpi_farm_release();
    pool_free(f->pool);
    model_workspace_free(f->ws);
    free(f->workers);
    free(f);
}

int replicate_farm_leader(const struct replicate_farm *f)
{
    return !f->mpi || mpi_farm_rank() == 0;
}

int replicate_farm_serve(struct replicate_farm *f)
{
    return f->mpi ? mpi_farm_serve(f->plans, f->n_plans, f->ws) : 0;
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

/* ---- the fork farm, on the pool ---- */

/* A task on the wire: plan, want_series, replication in one word. */
static uint64_t task_word(const struct replicate_task *t, int want_series)
{
    return (uint64_t)t->plan << 33 | (uint64_t)(want_series != 0) << 32 | t->replication;
}

/* pool_work_fn, in a worker: run the task, answer with its packed outcome
 * (errno EOVERFLOW when a sum of money overflowed, else out of memory). */
static void *farm_work(void *ctx, uint64_t word, size_t *len)
{
    const struct replicate_farm *f = ctx;
    size_t plan = (size_t)(word >> 33), n = 0;
    struct outcome o;
    if (plan >= f->n_plans) {
        errno = EINVAL;
        return NULL;
    }
    if (trial_run(f->ws, f->plans[plan], (uint32_t)word, (int)(word >> 32 & 1), NULL, NULL, &o) < 0)
        return NULL;
    double *buf = outcome_pack(&o, &n);
    outcome_destroy(&o);
    *len = n * sizeof *buf;
    return buf;
}

/* What the parent's done() needs: where outcomes go, the bar, the tally. */
struct farm_batch {
    struct replicate_farm *f;
    const struct replicate_task *tasks;
    struct outcome *out;
    struct tally *bar;
};

/* pool_done_fn: unpack task i's outcome into out[i] and count it. */
static int farm_done(void *dctx, size_t i, unsigned worker, const void *res, size_t len)
{
    struct farm_batch *b = dctx;
    if (outcome_unpack(res, len / sizeof(double), &b->out[i]) < 0)
        return -1;
    b->f->workers[worker].tasks++;
    b->f->workers[worker].busy_s += b->out[i].wall_s;
    tally_done(b->bar, b->tasks[i].plan);
    return 0;
}

/* Why a batch failed, in the words of the serial farm's messages. */
static const char *farm_why(const struct pool_failure *pf)
{
    switch (pf->kind) {
    case POOL_FAIL_TASK:
        return pf->err == EOVERFLOW ? "a sum of money overflowed 64-bit fen (" MODEL_OVERFLOW_HINT
                                      ")"
                                    : "out of memory";
    case POOL_FAIL_DONE:
        return pf->err == ENOMEM ? "out of memory" : "a malformed result";
    case POOL_FAIL_DIED:
    case POOL_FAIL_IO:
    case POOL_FAIL_FILE: /* not this farm's: its results travel as bytes */
        break;
    }
    return pool_failure_text(pf);
}

/* The fork farm's batch: min(J, n) workers, forked at the first batch
 * (after the plans are loaded: they share them copy-on-write), serve every
 * later batch; a later batch with more tasks than workers, while fewer
 * than J, gets a new pool of min(J, n). On failure the pool stops its
 * workers and the caller gets -1. */
static int fork_run(struct replicate_farm *f, const struct replicate_task *tasks, size_t n,
                    int want_series, struct outcome *out, struct tally *bar, FILE *err)
{
    unsigned want = n < f->jobs ? (unsigned)n : f->jobs;
    if (f->pool && pool_jobs(f->pool) < want) {
        pool_free(f->pool);
        f->pool = NULL;
    }
    if (!f->pool && !(f->pool = pool_new(want, farm_work, f, err)))
        return -1;
    uint64_t *words = malloc(n * sizeof *words);
    if (!words) {
        fprintf(err, "pilotsim: replications failed: out of memory\n");
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        words[i] = task_word(&tasks[i], want_series);
    struct farm_batch b = {f, tasks, out, bar};
    struct pool_failure pf;
    int rc = pool_run(f->pool, words, n, farm_done, &b, &bar->bar, &pf);
    free(words);
    if (rc == 0)
        return 0;
    /* A worker out of memory, or killed (the kernel's OOM killer leaves
     * no word): say what a run needs and where it goes. */
    const char *why = farm_why(&pf);
    char hint[512] = "", cause[480];
    if (pf.index < n && (pf.kind == POOL_FAIL_DIED || !strcmp(why, "out of memory")))
        snprintf(hint, sizeof hint, " (%s)",
                 budget_explain(f->plans[tasks[pf.index].plan], cause, sizeof cause));
    fprintf(err, "pilotsim: replications failed: %s%s\n", why, hint);
    return -1;
}

/* --jobs 1, or a batch of one: in this process, in task order. This is the
 * reference every other back end must match byte for byte. */
static int serial_run(struct replicate_farm *f, const struct replicate_task *tasks, size_t n,
                      int want_series, struct outcome *out, struct tally *bar, FILE *err)
{
    struct tally_step step = {bar};
    /* With J > 1 this is a batch of one in the parent, which may fork the
     * workers later: it keeps no arrays for them to copy and hold twice. */
    struct model_workspace *ws = f->jobs == 1 ? f->ws : NULL;
    for (size_t i = 0; i < n; i++) {
        char hint[512];
        if (trial_run(ws, f->plans[tasks[i].plan], tasks[i].replication, want_series,
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
        rc = mpi_farm_run(f->plans, f->n_plans, tasks, n, want_series, out, f->workers, f->ws,
                          &bar.bar, err);
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
