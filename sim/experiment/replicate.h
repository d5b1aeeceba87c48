/* replicate: farms replications out to workers and gathers their outcomes.
 *
 * A task is (plan, replication): run replication r of plan p (model_run is
 * pure per seed and replication, so any worker computes the same numbers).
 * Backends: serial (jobs 1: in this process), fork (jobs J > 1: J worker
 * processes on this machine, each fed one task at a time over a socket pair,
 * so a slow replication never holds up the others), and mpi (in the MPI
 * build: every rank works, rank 0 included, see mpi_farm.h). Whatever the
 * backend, out[i] receives task i's outcome, so the caller merges in task
 * order and the outputs do not depend on J or the number of ranks.
 *
 * In the MPI build every rank builds the same farm; only the leader (rank 0)
 * calls replicate_farm_run, the others call replicate_farm_serve.
 * Ownership: the farm borrows the plans, which must outlive it. */
#ifndef PILOTSIM_REPLICATE_H
#define PILOTSIM_REPLICATE_H

#include <stdint.h>
#include <stdio.h>
#include "metrics/outcome.h"
#include "output/report.h"
#include "scenario/scenario.h"

struct replicate_task {
    uint32_t plan;        /* index into the farm's plans */
    uint32_t replication; /* the rng's replication key */
};

struct replicate_farm;

/* jobs: worker processes (0: one per CPU this process may use, cpus.h);
 * ignored in the MPI build, where the ranks are the workers. quiet: no
 * progress bar. NULL when out of memory. */
struct replicate_farm *replicate_farm_new(const struct scenario *const *plans, size_t n_plans,
                                          unsigned jobs, int quiet);
/* How the progress bar names the work ("comparing") and the plans
 * ("plans", "points"; NULL: not counted). Default: "simulating", none.
 * The strings are borrowed. */
void replicate_farm_name(struct replicate_farm *f, const char *label, const char *group_unit);
/* No more batches: the fork farm's workers may leave now, while the
 * caller writes (replicate_farm_free reaps them); replicate_farm_info stays
 * valid. Nothing for the serial and MPI farms. */
void replicate_farm_finish(struct replicate_farm *f);
/* Release the workers (MPI: tell every rank to stop) and free. NULL: nothing. */
void replicate_farm_free(struct replicate_farm *f);

/* 1 on the process that runs tasks and writes outputs (always, except on
 * MPI ranks other than 0). */
int replicate_farm_leader(const struct replicate_farm *f);
/* On a non-leader MPI rank: run the tasks rank 0 sends until released.
 * 0, or -1 on failure. */
int replicate_farm_serve(struct replicate_farm *f);

/* Run tasks[0..n) and fill out[0..n) (time series only when want_series).
 * 0, or -1 with a message on err (out of memory, a worker died); on failure
 * every out[] is destroyed. */
int replicate_farm_run(struct replicate_farm *f, const struct replicate_task *tasks, size_t n,
                       int want_series, struct outcome *out, FILE *err);

/* How many tasks run at once (J, or the MPI ranks): a batch size. */
unsigned replicate_farm_width(const struct replicate_farm *f);
/* Fill the run section's backend and workers (valid while the farm lives). */
void replicate_farm_info(const struct replicate_farm *f, struct run_info *info);

/* The CPUs this process may use (cpus.h: affinity, cgroup quota, SLURM;
 * at least 1): the workers of jobs 0. */
unsigned replicate_cores(void);

#endif
