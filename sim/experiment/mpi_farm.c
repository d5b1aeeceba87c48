/* mpi_farm: replications over MPI ranks; stubs in the normal build (mpi_farm.h).
 *
 * Messages: a task is three uint32 (plan, replication, want_series; plan
 * STOP ends serving) with tag TAG_TASK from rank 0; a result is an array
 * of doubles (outcome_pack; empty: the task failed) with tag TAG_RESULT to
 * rank 0. A rank runs its tasks in the order received and MPI keeps the
 * order of messages between two ranks, so rank 0 matches each result to the
 * oldest task it has out at that rank, with no task number on the wire. */
#include "experiment/mpi_farm.h"

#include "experiment/replicate.h"

#ifndef PILOTSIM_MPI

/* The normal build: one process, rank 0 of 1, and no MPI back end (the
 * farm never calls these but the size and rank). */
int mpi_farm_start(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}
void mpi_farm_stop(void)
{
}
int mpi_farm_enabled(void)
{
    return 0;
}
int mpi_farm_rank(void)
{
    return 0;
}
int mpi_farm_size(void)
{
    return 1;
}
int mpi_farm_share(int v)
{
    return v;
}
int mpi_farm_hosts(struct run_worker *w)
{
    (void)w;
    return -1;
}
/* A worker rank's whole life in an experiment: receive, run, send back,
 * until STOP. It loaded the same plans from the same command line, so the
 * two integers of a task are all it needs. */
int mpi_farm_serve(const struct scenario *const *plans, size_t n_plans, struct model_workspace *ws)
{
    (void)plans;
    (void)n_plans;
    (void)ws;
    return -1;
}
int mpi_farm_run(const struct scenario *const *plans, size_t n_plans,
                 const struct replicate_task *tasks, size_t n, int want_series, struct outcome *out,
                 struct run_worker *w, struct model_workspace *ws, struct progress *bar, FILE *err)
{
    (void)plans, (void)n_plans, (void)tasks, (void)n, (void)want_series, (void)out, (void)w;
    (void)ws;
    (void)bar;
    fprintf(err, "pilotsim: built without MPI (make mpi)\n");
    return -1;
}
void mpi_farm_release(void)
{
}

#else

#include <mpi.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "experiment/trial.h"
#include "output/progress.h"

enum { TAG_TASK = 1, TAG_RESULT = 2 };
#define STOP UINT32_MAX /* a task whose plan is STOP ends serving */
#define DEPTH 2         /* tasks in flight per rank: one running, one queued */

/* MPI_Init; then the ranks other than 0 send their stdout and stderr to
 * /dev/null, since every rank runs the same command and would print every
 * message (a usage error, the closing line) once per rank. */
int mpi_farm_start(int *argc, char ***argv)
{
    if (MPI_Init(argc, argv) != MPI_SUCCESS)
        return -1;
    /* Only rank 0 speaks: the others would repeat every message N times. */
    if (mpi_farm_rank() != 0) {
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
            return -1;
    }
    return 0;
}

void mpi_farm_stop(void)
{
    MPI_Finalize();
}
int mpi_farm_enabled(void)
{
    return 1;
}

int mpi_farm_rank(void)
{
    int r = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &r);
    return r;
}

int mpi_farm_size(void)
{
    int n = 1;
    MPI_Comm_size(MPI_COMM_WORLD, &n);
    return n;
}

int mpi_farm_share(int v)
{
    MPI_Bcast(&v, 1, MPI_INT, 0, MPI_COMM_WORLD);
    return v;
}

/* Where each rank runs, for summary.json's run section: one gather when
 * the farm is built (every rank builds it at the same point). */
int mpi_farm_hosts(struct run_worker *w)
{
    char host[sizeof w->host] = {0};
    if (gethostname(host, sizeof host - 1) != 0)
        strcpy(host, "unknown");
    int size = mpi_farm_size(), rank = mpi_farm_rank();
    char *all = rank == 0 ? calloc((size_t)size, sizeof host) : NULL;
    if (rank == 0 && !all)
        return -1;
    int rc = MPI_Gather(host, (int)sizeof host, MPI_CHAR, all, (int)sizeof host, MPI_CHAR, 0,
                        MPI_COMM_WORLD);
    for (int i = 0; rank == 0 && i < size; i++) {
        memcpy(w[i].host, all + (size_t)i * sizeof host, sizeof host);
        w[i].host[sizeof host - 1] = '\0';
    }
    free(all);
    return rc == MPI_SUCCESS ? 0 : -1;
}

/* Wait for a message without spinning: MPI's blocking calls busy-poll a
 * core, which on a shared or oversubscribed node slows the ranks that have
 * work. Polls with a back-off from 50 us to 2 ms (tasks take far longer). */
static void wait_message(int source, int tag, MPI_Status *st)
{
    long ns = 50000;
    for (;;) {
        int flag = 0;
        MPI_Iprobe(source, tag, MPI_COMM_WORLD, &flag, st);
        if (flag)
            return;
        struct timespec d = {0, ns};
        nanosleep(&d, NULL);
        if (ns < 2000000)
            ns *= 2;
    }
}

/* A worker rank's whole life in an experiment: receive, run, send back,
 * until STOP. It loaded the same plans from the same command line, so the
 * two integers of a task are all it needs. */
int mpi_farm_serve(const struct scenario *const *plans, size_t n_plans, struct model_workspace *ws)
{
    for (;;) {
        uint32_t t[3];
        MPI_Status st;
        wait_message(0, TAG_TASK, &st);
        if (MPI_Recv(t, 3, MPI_UINT32_T, 0, TAG_TASK, MPI_COMM_WORLD, MPI_STATUS_IGNORE) !=
            MPI_SUCCESS)
            return -1;
        if (t[0] == STOP)
            return 0;
        struct outcome o;
        double *buf = NULL;
        size_t n = 0;
        if (t[0] < n_plans && trial_run(ws, plans[t[0]], t[1], (int)t[2], NULL, NULL, &o) == 0) {
            buf = outcome_pack(&o, &n);
            outcome_destroy(&o);
        }
        /* An empty result tells rank 0 this task failed. */
        int rc = MPI_Send(buf, buf ? (int)n : 0, MPI_DOUBLE, 0, TAG_RESULT, MPI_COMM_WORLD);
        free(buf);
        if (rc != MPI_SUCCESS)
            return -1;
    }
}

/* Rank 0's view of a batch. */
struct lead {
    const struct replicate_task *tasks; /* the batch */
    size_t n;                           /* its size */
    size_t next;                        /* the next task not handed out */
    size_t done;                        /* tasks finished (here or elsewhere) */
    int want_series;                    /* sent along with every task */
    struct outcome *out;                /* [n]: results by task index */
    struct run_worker *w;               /* [size]: work done per rank */
    struct progress *bar;               /* counts done tasks */
    size_t (*queue)[DEPTH];             /* [size]: tasks sent to each rank, oldest first */
    size_t *depth;                      /* [size]: how many */
    int size;                           /* ranks */
    int failed;
};

/* Keep rank r DEPTH tasks deep while tasks remain (none after a failure);
 * near the end only one deep, so the last tasks spread over every rank
 * (rank 0 included) instead of queueing behind a busy one. */
static void feed(struct lead *L, int r)
{
    for (;;) {
        size_t left = L->n - L->next, want = left >= (size_t)L->size * DEPTH ? DEPTH : 1;
        if (L->failed || L->depth[r] >= want || left == 0)
            return;
        size_t i = L->next++;
        uint32_t t[3] = {L->tasks[i].plan, L->tasks[i].replication, (uint32_t)L->want_series};
        MPI_Send(t, 3, MPI_UINT32_T, r, TAG_TASK, MPI_COMM_WORLD);
        L->queue[r][L->depth[r]++] = i;
    }
}

/* Receive every result that has arrived (wait for one when `block`), give
 * the sender more work. Results from one rank arrive in the order its tasks
 * were sent (MPI does not overtake), so the oldest queued task is the one. */
static void service(struct lead *L, int block)
{
    for (;;) {
        MPI_Status st;
        int flag = 1;
        if (block)
            wait_message(MPI_ANY_SOURCE, TAG_RESULT, &st);
        else
            MPI_Iprobe(MPI_ANY_SOURCE, TAG_RESULT, MPI_COMM_WORLD, &flag, &st);
        if (!flag)
            return;
        block = 0;
        int count = 0, r = st.MPI_SOURCE;
        MPI_Get_count(&st, MPI_DOUBLE, &count);
        double *buf = malloc((count > 0 ? (size_t)count : 1) * sizeof *buf);
        MPI_Recv(buf, buf ? count : 0, MPI_DOUBLE, r, TAG_RESULT, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
        size_t i = L->queue[r][0];
        memmove(L->queue[r], L->queue[r] + 1, (DEPTH - 1) * sizeof L->queue[r][0]);
        L->depth[r]--;
        if (!buf || count == 0 || outcome_unpack(buf, (size_t)count, &L->out[i]) < 0) {
            L->failed = 1;
        } else {
            L->w[r].tasks++;
            L->w[r].busy_s += L->out[i].wall_s;
        }
        free(buf);
        L->done++;
        progress_update(L->bar, (double)L->done, (double)L->n);
        feed(L, r);
    }
}

/* Rank 0's model runs call this once per bucket: service the other ranks. */
static void lead_progress(void *ctx, double now, double horizon)
{
    (void)now;
    (void)horizon;
    service(ctx, 0);
}

/* Rank 0's batch: prime the other ranks, then alternate between
 * collecting what has arrived and running a task itself (collecting again
 * inside that run, per bucket); once every task is out, wait for the rest.
 * A failed task stops the handing out, but the tasks already out are still
 * collected, so no rank is left blocked sending a result nobody receives. */
int mpi_farm_run(const struct scenario *const *plans, size_t n_plans,
                 const struct replicate_task *tasks, size_t n, int want_series, struct outcome *out,
                 struct run_worker *w, struct model_workspace *ws, struct progress *bar, FILE *err)
{
    (void)n_plans;
    int size = mpi_farm_size();
    struct lead L = {tasks, n, 0, 0, want_series, out, w, bar, NULL, NULL, size, 0};
    L.queue = calloc((size_t)size, sizeof *L.queue);
    L.depth = calloc((size_t)size, sizeof *L.depth);
    if (!L.queue || !L.depth) {
        free(L.queue);
        free(L.depth);
        fprintf(err, "pilotsim: out of memory\n");
        return -1;
    }
    for (int r = 1; r < size; r++)
        feed(&L, r);
    /* Until every task sent out is back and, barring a failure, none is left. */
    for (;;) {
        service(&L, 0);
        if (!L.failed && L.next < n) {
            /* Rank 0 works too. */
            size_t i = L.next++;
            if (trial_run(ws, plans[tasks[i].plan], tasks[i].replication, want_series,
                          lead_progress, &L, &out[i]) < 0) {
                L.failed = 1;
            } else {
                w[0].tasks++;
                w[0].busy_s += out[i].wall_s;
            }
            L.done++;
            progress_update(bar, (double)L.done, (double)n);
        } else if (L.done < L.next) {
            service(&L, 1);
        } else {
            break;
        }
    }
    free(L.queue);
    free(L.depth);
    if (L.failed)
        fprintf(err, "pilotsim: replications failed: out of memory on a rank\n");
    return L.failed ? -1 : 0;
}

/* After the last batch: every other rank is idle in mpi_farm_serve (all
 * results were collected), so a STOP reaches each of them. */
void mpi_farm_release(void)
{
    uint32_t t[3] = {STOP, 0, 0};
    for (int r = 1; r < mpi_farm_size(); r++)
        MPI_Send(t, 3, MPI_UINT32_T, r, TAG_TASK, MPI_COMM_WORLD);
}

#endif
