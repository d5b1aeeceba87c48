/* population (population.h): segments, positions and accounts through
 * opens, awareness and closes. After wallets close, every invariant of the
 * header holds (order[] and pos[] inverse, segments by stage, each holder's
 * account at its wallet id), and a payer drawn as the payment path draws
 * it (one uniform index into the holders) is uniform over the remaining
 * holders: a chi-square test at 1 in 10,000, whose tolerance follows from
 * the counts' variance; a closed wallet is never drawn. */
#include <stdlib.h>

#include <gsl/gsl_cdf.h>

#include "kernel/rng.h"
#include "model/population.h"
#include "test.h"

#define PEOPLE 1000
#define SMART 800
#define DRAWS 1000000

/* Every invariant, and each holder's account tagged with its user id. */
static int sound(const struct population *p)
{
    int ok = p->wallets + p->aware <= p->n_smart;
    for (uint32_t i = 0; i < p->n; i++) {
        uint32_t u = p->order[i];
        ok &= p->pos[u] == i;
        if (i < p->wallets)
            ok &= p->accounts[p->first + i].balance_fen == u;
        if (u - p->first >= SMART)
            ok &= i == u - p->first; /* no smartphone: never moves */
    }
    return ok;
}

int main(void)
{
    test_plan(6);
    uint32_t *order = malloc(PEOPLE * sizeof *order), *pos = malloc((PEOPLE + 5) * sizeof *pos);
    struct wallet *acct = calloc(PEOPLE + 5, sizeof *acct);
    struct population p;
    gsl_rng *r = rng_new(11, 0);
    rng_at(r, 1, 0, 0);
    population_init(&p, order, pos, acct, 5, PEOPLE, SMART); /* users 5..1004 */
    population_place_all(&p);
    check(sound(&p) && p.wallets == 0 && p.aware == 0, "everyone placed, nobody aware");

    /* 100 made aware, then 300 wallets opened at random places among the
     * owners without one. */
    uint32_t users[100];
    for (uint32_t i = 0; i < 100; i++)
        users[i] = 5 + 7 * i;
    population_make_aware(&p, users, 100);
    check(p.aware == 100 && population_stage(&p, pos[12]) == STAGE_AWARE && sound(&p),
          "100 made aware");
    for (int i = 0; i < 300; i++) {
        uint32_t at = p.wallets + rng_below(r, SMART - p.wallets);
        population_open_at(&p, at, (struct wallet){.balance_fen = order[at]});
    }
    check(p.wallets == 300 && sound(&p), "300 wallets opened, each account at its holder's id");

    /* 60 wallets close: the last holder's account moves into each place. */
    uint32_t closed[60];
    int close_ok = 1;
    for (int i = 0; i < 60; i++) {
        uint32_t u = order[rng_below(r, p.wallets)], moved_from = p.first + p.wallets - 1;
        uint32_t w = population_wallet(&p, u);
        uint32_t moved = population_close(&p, u);
        close_ok &= moved == moved_from && population_stage(&p, pos[u]) == STAGE_AWARE &&
                    (w == moved_from || acct[w].balance_fen == order[w - p.first]);
        closed[i] = u;
    }
    check(close_ok && p.wallets == 240 && sound(&p),
          "60 closed: each rejoins the aware, the last holder's account moves into its place");

    /* The payer draw over the remaining holders. */
    long *count = calloc(PEOPLE + 5, sizeof *count);
    for (long d = 0; d < DRAWS; d++) {
        if (d % 100000 == 0)
            rng_at(r, 2, 0, (uint64_t)d);
        count[order[rng_below(r, p.wallets)]]++;
    }
    double want = (double)DRAWS / p.wallets, chi2 = 0;
    long strays = 0;
    for (uint32_t u = 5; u < PEOPLE + 5; u++) {
        if (population_stage(&p, pos[u]) != STAGE_WALLET) {
            strays += count[u];
            continue;
        }
        chi2 += (count[u] - want) * (count[u] - want) / want;
    }
    for (int i = 0; i < 60; i++)
        strays += population_stage(&p, pos[closed[i]]) == STAGE_WALLET ? 0 : count[closed[i]];
    check(!strays && chi2 < gsl_cdf_chisq_Qinv(1e-4, p.wallets - 1),
          "payers uniform over the 240 holders left: chi2 %.1f with %u df, %ld strays", chi2,
          (unsigned)(p.wallets - 1), strays);

    /* Owner sets: n of the owners not yet taken, listed in increasing order. */
    uint64_t *taken = population_owners_new(&p), *also = population_owners_new(&p);
    population_owners_add(&p, r, taken, also, SMART, 50, 3, 0, 0);
    population_owners_add(&p, r, taken, NULL, SMART - 50, 600, 3, 1, 0);
    uint32_t *list = malloc(SMART * sizeof *list);
    uint32_t n_all = population_owners_list(&p, taken, NULL, list);
    int sorted = 1;
    for (uint32_t i = 1; i < n_all; i++)
        sorted &= list[i - 1] < list[i] && list[i] < 5 + SMART;
    uint32_t n_rest = population_owners_list(&p, taken, also, list);
    check(n_all == 650 && n_rest == 600 && sorted,
          "owner sets: 50 then 600 more, disjoint, listed in order (%u, %u)", (unsigned)n_all,
          (unsigned)n_rest);

    free(list);
    free(taken);
    free(also);
    free(count);
    free(order);
    free(pos);
    free(acct);
    rng_free(r);
    return test_done();
}
