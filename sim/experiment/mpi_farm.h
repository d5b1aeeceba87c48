/* mpi_farm: the distributed back end of replicate, on MPI (OpenMPI or MPICH).
 *
 * Compiled for real only into build/pilotsim-mpi (mpicc -DPILOTSIM_MPI);
 * in the normal build every function is a stub that says there is no MPI.
 *
 * Every rank parses the same command line and loads the same scenarios, so
 * a task travels as two integers (plan, replication) and a result as an
 * array of doubles (outcome_pack). Rank 0 leads and works too: it keeps each
 * other rank two tasks deep (one running, one queued, so a rank never waits
 * for rank 0 to hand out the next), runs tasks itself in between, and
 * services the other ranks from inside its own model runs (the model's
 * progress callback, once per time-series bucket). Results land in task
 * order, so the merge on rank 0 is the serial one.
 * Names start mpi_farm_ (libmpi itself exports lower-case mpi_ symbols). */
#ifndef PILOTSIM_MPI_FARM_H
#define PILOTSIM_MPI_FARM_H

#include <stdio.h>
#include "metrics/outcome.h"
#include "model/model_workspace.h"
#include "output/report.h"
#include "scenario/scenario.h"

struct replicate_task;
struct progress;

/* MPI_Init and MPI_Finalize, from main (stubs: 0 and nothing). */
int mpi_farm_start(int *argc, char ***argv);
void mpi_farm_stop(void);
/* 1 in the MPI build. */
int mpi_farm_enabled(void);
int mpi_farm_rank(void); /* 0 without MPI */
int mpi_farm_size(void); /* 1 without MPI */

/* Collective: every rank returns rank 0's v (stub: v). For a decision only
 * rank 0 can make, such as taking the output directory. */
int mpi_farm_share(int v);

/* Collective: every rank sends its host name; rank 0 fills w[0..size). */
int mpi_farm_hosts(struct run_worker *w);

/* Non-zero ranks: run tasks, in the rank's workspace ws (model_workspace.h;
 * NULL: none), until rank 0 releases them. 0 or -1. */
int mpi_farm_serve(const struct scenario *const *plans, size_t n_plans, struct model_workspace *ws);

/* Rank 0: run tasks[0..n) over every rank, out[i] for task i, its own in
 * workspace ws; w[rank] counts each rank's work. 0, or -1 with a message
 * on err. */
int mpi_farm_run(const struct scenario *const *plans, size_t n_plans,
                 const struct replicate_task *tasks, size_t n, int want_series, struct outcome *out,
                 struct run_worker *w, struct model_workspace *ws, struct progress *bar, FILE *err);

/* Rank 0: tell every other rank to stop serving. */
void mpi_farm_release(void);

#endif
