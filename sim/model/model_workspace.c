/* model_workspace: see model_workspace.h. */
#include "model/model_workspace.h"

#include <stdlib.h>
#include <string.h>

#include "kernel/bigmem.h"
#include "model/model_state.h"

struct model_workspace {
    uint32_t *pos, *order;      /* [users] written whole by every set-up */
    struct wallet *wallets;     /* [users] zero */
    float *activity;            /* [users] zero, or NULL */
    struct merchant *merchants; /* [merchants_n] zero */
    uint32_t *takings;          /* [merchants_n] never read past n_takings */
    size_t users, merchants_n;  /* the arrays' lengths, held or lent (0: none) */
    size_t lent_merchants;      /* merchants the borrowing run uses */
    int lent;                   /* the arrays are a run's until it keeps them */
};

struct model_workspace *model_workspace_new(void)
{
    return calloc(1, sizeof(struct model_workspace));
}

/* Free the people's arrays, or the merchants'. */
static void drop_people(struct model_workspace *w)
{
    free(w->pos);
    free(w->order);
    free(w->wallets);
    free(w->activity);
    w->pos = w->order = NULL;
    w->wallets = NULL;
    w->activity = NULL;
    w->users = 0;
}

static void drop_merchants(struct model_workspace *w)
{
    free(w->merchants);
    free(w->takings);
    w->merchants = NULL;
    w->takings = NULL;
    w->merchants_n = 0;
}

void model_workspace_free(struct model_workspace *w)
{
    if (!w)
        return;
    drop_people(w);
    drop_merchants(w);
    free(w);
}

size_t model_workspace_bytes(const struct model_workspace *w)
{
    if (w->lent)
        return 0;
    size_t person =
        2 * sizeof(uint32_t) + sizeof(struct wallet) + (w->activity ? sizeof(float) : 0);
    return w->users * person + w->merchants_n * (sizeof(struct merchant) + sizeof(uint32_t));
}

/* Arrays of `held` items serve a run of `need` when they are long enough
 * and not more than twice as long (a much smaller scenario after a big
 * one should not keep the big one's memory). */
static int fits(size_t held, size_t need)
{
    return held >= need && held / 2 <= need;
}

/* Fresh arrays where m has none yet, `users` and `merchants` long (at
 * least 1), as a model without a workspace has them. */
static int lend_fresh(struct model *m, size_t users, size_t merchants, int activity)
{
    if (!m->pos && !(m->pos = bigmem_malloc(users * sizeof *m->pos)))
        return -1;
    if (!m->order && !(m->order = bigmem_malloc(users * sizeof *m->order)))
        return -1;
    if (!m->wallets && !(m->wallets = bigmem_calloc_sparse(users, sizeof *m->wallets)))
        return -1;
    /* A holder's activity beside its account (4 bytes a person, touched
     * only as wallets open), so that the payer draw reads one float. */
    if (activity && !m->activity && !(m->activity = bigmem_calloc_sparse(users, sizeof(float))))
        return -1;
    if (!m->merchants && !(m->merchants = bigmem_calloc(merchants, sizeof *m->merchants)))
        return -1;
    if (!m->takings && !(m->takings = malloc(merchants * sizeof *m->takings)))
        return -1;
    return 0;
}

/* Hand every array w holds to m (activity only when the run has people
 * who differ: else it is freed, as m->activity must stay NULL). */
static void hand_over(struct model_workspace *w, struct model *m, int activity)
{
    m->pos = w->pos;
    m->order = w->order;
    m->wallets = w->wallets;
    m->merchants = w->merchants;
    m->takings = w->takings;
    if (activity)
        m->activity = w->activity;
    else
        free(w->activity);
    w->pos = w->order = w->takings = NULL;
    w->wallets = NULL;
    w->activity = NULL;
    w->merchants = NULL;
}

int model_workspace_lend(struct model_workspace *w, struct model *m, size_t n_users,
                         size_t n_merchants, int activity)
{
    size_t users = n_users ? n_users : 1, merchants = n_merchants ? n_merchants : 1;
    if (!w)
        return lend_fresh(m, users, merchants, activity);
    if (w->lent) /* the last run failed: its model freed the arrays */
        w->users = w->merchants_n = 0;
    if (w->users && !fits(w->users, users))
        drop_people(w);
    if (w->merchants_n && !fits(w->merchants_n, merchants))
        drop_merchants(w);
    /* The lengths lent: the held arrays', or the fresh ones' */
    w->users = w->users ? w->users : users;
    w->merchants_n = w->merchants_n ? w->merchants_n : merchants;
    hand_over(w, m, activity);
    w->lent = 1;
    w->lent_merchants = n_merchants;
    return lend_fresh(m, w->users, w->merchants_n, activity);
}

/* Zero what a run wrote of the accounts and activity: the holders of
 * each city's strata (model_workspace.h says why that is all). */
static void reset_holders(struct model *m)
{
    for (uint32_t c = 0; c < m->s->n_cities; c++) {
        const struct population *p = &m->cities[c].pop;
        for (uint32_t s = 0; s < p->k; s++) {
            uint32_t from, to;
            population_holders(p, s, &from, &to);
            memset(m->wallets + p->first + from, 0, (size_t)(to - from) * sizeof *m->wallets);
            if (m->activity)
                memset(m->activity + p->first + from, 0, (size_t)(to - from) * sizeof *m->activity);
        }
    }
}

void model_workspace_keep(struct model_workspace *w, struct model *m)
{
    if (!w)
        return;
    reset_holders(m);
    memset(m->merchants, 0, w->lent_merchants * sizeof *m->merchants);
    w->pos = m->pos;
    w->order = m->order;
    w->wallets = m->wallets;
    w->activity = m->activity;
    w->merchants = m->merchants;
    w->takings = m->takings;
    m->pos = m->order = m->takings = NULL;
    m->wallets = NULL;
    m->activity = NULL;
    m->merchants = NULL;
    w->lent = 0;
}
