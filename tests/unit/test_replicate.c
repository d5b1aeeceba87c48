/* Unit tests of replicate: the farm's outcomes do not depend on how many
 * workers computed them (serial, and two forked workers, give the same
 * vectors bit for bit, in task order), replication r is the one a single
 * process computes for r, and replications differ from one another. A
 * fork farm's second batch (on the same workers) gives the same outcomes
 * as its first. A farm forks no more workers than a batch has tasks, more
 * when a later batch needs them, and none are left when it is freed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "experiment/replicate.h"
#include "experiment/trial.h"
#include "metrics/outcome.h"
#include "output/proc.h"
#include "scenario/scenario.h"
#include "test.h"

#define TASKS 4

/* Two outcomes with the same sizes and the same bits. */
static int same(const struct outcome *a, const struct outcome *b)
{
    size_t n = a->n_scalars + a->n_rows * (2 + a->n_cols);
    return a->n_scalars == b->n_scalars && a->n_rows == b->n_rows && a->n_cols == b->n_cols &&
           a->complete == b->complete && a->payments_sim == b->payments_sim &&
           memcmp(a->values, b->values, n * sizeof *a->values) == 0;
}

/* Run TASKS replications of s on a farm of `jobs` workers (series kept);
 * with `first`, run the batch twice on the same farm: first gets the first
 * batch's outcomes, out the second's. */
static int farm_run(const struct scenario *s, unsigned jobs, struct outcome *out,
                    struct outcome *first)
{
    fflush(stdout); /* nothing buffered for a worker to inherit */
    struct replicate_farm *f = replicate_farm_new(&s, 1, jobs, 1);
    if (!f)
        return -1;
    struct replicate_task tasks[TASKS];
    for (uint32_t i = 0; i < TASKS; i++)
        tasks[i] = (struct replicate_task){0, (TASKS - 1 - i) % TASKS}; /* 3, 2, 1, 0 */
    int rc =
        replicate_farm_width(f) == jobs ? replicate_farm_run(f, tasks, TASKS, 1, out, stderr) : -1;
    if (rc == 0 && first) {
        memcpy(first, out, TASKS * sizeof *out);
        rc = replicate_farm_run(f, tasks, TASKS, 1, out, stderr);
        for (size_t i = 0; rc < 0 && i < TASKS; i++)
            outcome_destroy(&first[i]);
    }
    replicate_farm_free(f);
    return rc;
}

/* Workers alive after batches of 2 then 4 tasks on a farm of jobs 3, and
 * after the farm is freed. */
static void worker_counts(const struct scenario *s, size_t counts[3])
{
    struct replicate_farm *f = replicate_farm_new(&s, 1, 3, 1);
    struct replicate_task tasks[4] = {{0, 0}, {0, 1}, {0, 2}, {0, 3}};
    struct outcome out[4];
    counts[0] = counts[1] = (size_t)-1;
    for (size_t b = 0; f && b < 2; b++) {
        size_t n = b ? 4 : 2;
        if (replicate_farm_run(f, tasks, n, 0, out, stderr) < 0)
            break;
        counts[b] = proc_children();
        for (size_t i = 0; i < n; i++)
            outcome_destroy(&out[i]);
    }
    replicate_farm_free(f);
    counts[2] = proc_children();
}

int main(void)
{
    test_plan(8);
    struct scenario *s = scenario_load("tests/data/tiny.yaml", NULL, 0, stderr);
    if (!s) {
        printf("Bail out! cannot load tests/data/tiny.yaml\n");
        return 1;
    }
    struct outcome serial[TASKS], forked[TASKS], again[TASKS], direct;
    int a = farm_run(s, 1, serial, NULL) == 0, b = farm_run(s, 2, again, forked) == 0;
    check(a, "a serial farm (jobs 1) runs four replications");
    check(b, "a fork farm (jobs 2) runs them too");
    int all = a && b;
    for (size_t i = 0; all && i < TASKS; i++)
        all = same(&serial[i], &forked[i]);
    check(all, "the two farms give the same outcomes, bit for bit, in task order");
    int all2 = b;
    for (size_t i = 0; all2 && i < TASKS; i++)
        all2 = same(&forked[i], &again[i]);
    check(all2, "the fork farm's second batch, on the same workers, gives them again");
    int d = a && trial_run(NULL, s, 3, 1, NULL, NULL, &direct) == 0;
    check(d && same(&direct, &serial[0]), "task 0 (replication 3) is replication 3 run alone");
    check(a && serial[0].n_rows > 0 && serial[0].n_scalars > 100,
          "outcomes carry the series (%zu rows)", a ? serial[0].n_rows : 0);
    check(a && !same(&serial[0], &serial[1]), "replications 3 and 2 differ");
    size_t counts[3];
    worker_counts(s, counts);
    check(counts[0] == 2 && counts[1] == 3 && counts[2] == 0,
          "jobs 3: 2 workers for 2 tasks, 3 for 4, none after (%zu, %zu, %zu)", counts[0],
          counts[1], counts[2]);
    if (d)
        outcome_destroy(&direct);
    for (size_t i = 0; i < TASKS; i++) {
        if (a)
            outcome_destroy(&serial[i]);
        if (b) {
            outcome_destroy(&forked[i]);
            outcome_destroy(&again[i]);
        }
    }
    scenario_free(s);
    return test_done();
}
