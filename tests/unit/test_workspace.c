/* Unit tests of model_workspace: a replication run in a workspace that
 * other runs used before it (other replications, other scenarios of other
 * sizes, a run that failed half-way) gives the same packed outcome, byte
 * for byte, as the same replication run fresh. The scenarios cover what
 * writes the kept arrays: interventions of every kind (a lottery's
 * envelopes, salaries, an operator that joins later), corporate payments,
 * activity strata and people who do not differ. Run from the repository
 * root (make test does); `make valgrind` runs it under valgrind, which
 * also sees any read of memory a reset left uninitialized. */
#include <stdio.h>
#include <string.h>

#include "experiment/trial.h"
#include "model/model.h"
#include "model/model_workspace.h"
#include "scenario/scenario.h"
#include "test.h"

/* The plans: every intervention kind with activity strata (sample 2000);
 * the same with people who do not differ, at twice the people (the arrays
 * still fit); a town of 200 (too small for the others' arrays: a fresh
 * build, then theirs again); corporate wallets alone. */
static const char *const plan_kind[] = {"tests/data/every-kind.yaml", "sample=2000"};
static const char *const plan_flat[] = {"tests/data/every-kind.yaml", "sample=1000",
                                        "people.activity_sigma=0"};
static const char *const plan_town[] = {"tests/data/faults.yaml"};
static const char *const plan_corp[] = {"tests/validation/corporate.yaml", "sample=20",
                                        "duration=6d"};
static const char *const *const plans[] = {plan_kind, plan_flat, plan_town, plan_corp};
static const size_t plan_sets[] = {1, 2, 0, 2};
#define N_PLANS 4
#define N_REPS 3

/* A task of the shuffled order: a plan and a replication; `fault` > 0
 * fails that run at its fault-th schedule first (model_run_fault_in). */
struct task {
    unsigned plan, replication;
    unsigned long long fault;
};
static const struct task order[] = {
    {0, 2, 0},    {0, 0, 0}, {2, 0, 0}, {0, 0, 0}, {0, 1, 0},    {1, 1, 0}, {3, 0, 0}, {3, 2, 0},
    {0, 1, 1600}, {1, 0, 0}, {1, 2, 0}, {2, 2, 0}, {3, 2, 9000}, {0, 1, 0}, {2, 1, 0}, {1, 2, 0},
    {3, 1, 40},   {0, 2, 0}, {3, 1, 0}, {0, 0, 0}, {2, 1, 150},  {2, 1, 0}, {1, 1, 0}, {0, 2, 0},
};
#define N_TASKS (sizeof order / sizeof order[0])

/* The outcome of a finished run as the farms send it (time series
 * included, wall time zero): *n doubles, NULL on failure. */
static double *packed(const struct scenario *s, const struct model_result *r, size_t *n)
{
    struct outcome o;
    if (!r || trial_outcome(s, r, 1, &o) < 0)
        return NULL;
    o.wall_s = 0;
    double *buf = outcome_pack(&o, n);
    outcome_destroy(&o);
    return buf;
}

static int same(const double *a, size_t na, const double *b, size_t nb)
{
    return a && b && na == nb && memcmp(a, b, na * sizeof *a) == 0;
}

int main(void)
{
    size_t n_faults = 0;
    for (size_t t = 0; t < N_TASKS; t++)
        n_faults += order[t].fault > 0;
    test_plan((int)(N_PLANS + N_TASKS + 2 * n_faults + 2));
    struct scenario *s[N_PLANS] = {0};
    double *fresh[N_PLANS][N_REPS] = {{0}};
    size_t fresh_n[N_PLANS][N_REPS] = {{0}};
    FILE *quiet = fopen("/dev/null", "w"); /* the sampled plans' warnings */
    for (unsigned p = 0; p < N_PLANS; p++) {
        s[p] = scenario_load(plans[p][0], plans[p] + 1, plan_sets[p], quiet ? quiet : stderr);
        int ok = s[p] != NULL;
        for (unsigned r = 0; ok && r < N_REPS; r++) {
            struct model_result *res = model_run(s[p], r, NULL, NULL);
            ok = res && res->complete && (fresh[p][r] = packed(s[p], res, &fresh_n[p][r]));
            model_result_free(res);
        }
        check(ok, "%s: %d fresh replications", plans[p][0], N_REPS);
    }
    struct model_workspace *ws = model_workspace_new();
    check(ws && model_workspace_bytes(ws) == 0, "a new workspace holds nothing");
    size_t held_kind = 0;
    for (size_t t = 0; t < N_TASKS; t++) {
        const struct task *k = &order[t];
        const struct scenario *sc = s[k->plan];
        if (k->fault) {
            struct model_result *bad =
                sc ? model_run_fault_in(ws, sc, k->replication, k->fault) : NULL;
            check(sc && !bad, "task %zu: plan %u replication %u fails at schedule %llu", t, k->plan,
                  k->replication, k->fault);
            model_result_free(bad);
            check(ws && model_workspace_bytes(ws) == 0,
                  "task %zu: after a failure it holds nothing", t);
        }
        struct model_result *r = sc ? model_run_in(ws, sc, k->replication, NULL, NULL) : NULL;
        size_t n = 0;
        double *got = packed(sc, r, &n);
        check(same(got, n, fresh[k->plan][k->replication], fresh_n[k->plan][k->replication]),
              "task %zu: plan %u replication %u in the workspace is the fresh run's bytes", t,
              k->plan, k->replication);
        if (k->plan == 0 && ws)
            held_kind = model_workspace_bytes(ws);
        free(got);
        model_result_free(r);
    }
    /* every-kind at sample 2000: 26,000 people, 32 bytes each at least */
    check(held_kind > 26000 * 32, "after a run it holds the run's arrays (%zu bytes)", held_kind);
    model_workspace_free(ws);
    model_workspace_free(NULL);
    for (unsigned p = 0; p < N_PLANS; p++) {
        for (unsigned r = 0; r < N_REPS; r++)
            free(fresh[p][r]);
        scenario_free(s[p]);
    }
    if (quiet)
        fclose(quiet);
    return test_done();
}
