/* population (population.h): segments, positions and accounts through
 * opens, awareness and closes. After wallets close, every invariant of the
 * header holds (order[] and pos[] inverse, segments by stage, each holder's
 * account at its wallet id), and a payer drawn as the payment path draws
 * it (one uniform index into the holders) is uniform over the remaining
 * holders: a chi-square test at 1 in 10,000, whose tolerance follows from
 * the counts' variance; a closed wallet is never drawn. The same with four
 * activity strata (strata_test): the invariants through moves in every
 * stratum, members onto holders, uniform and weighed draws. */
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

/* ---- strata: four of them, of unequal sizes ---- */
#define STRATA 4
static const uint32_t strata_n[STRATA] = {100, 400, 0, 500};
static uint8_t stratum_of[PEOPLE + 5]; /* by user id: fixed at set-up */

/* Every invariant with strata: order[] and pos[] inverse, each person in
 * its own stratum's range, owners before the others there, each holder's
 * account tagged with its user id, and the trees' totals the segments'. */
static int sound_strata(const struct population *p)
{
    int ok = 1;
    uint32_t holders = 0, aware = 0;
    for (uint32_t t = 0; t < p->k; t++) {
        const struct population_stratum *s = &p->s[t];
        ok &= s->wallets + s->aware <= s->n_smart;
        holders += s->wallets, aware += s->aware;
        for (uint32_t i = s->start; i < s->start + s->n; i++) {
            uint32_t u = p->order[i];
            ok &= p->pos[u] == i && stratum_of[u] == t && population_stratum_of(p, i) == t;
            ok &= population_owner(p, u) == (i < s->start + s->n_smart);
            if (i < s->start + s->wallets)
                ok &= p->accounts[p->first + i].balance_fen == u;
        }
    }
    return ok && holders == p->wallets && aware == p->aware &&
           population_size(p, SEG_HOLDERS) == holders && population_size(p, SEG_AWARE) == aware &&
           population_size(p, SEG_UNAWARE) == p->n_smart - holders - aware;
}

/* Users 5.. in strata round the table (user i's stratum: i's place in a
 * cycle of the sizes), laid out stratum after stratum, owners first. */
static void strata_layout(struct population *p)
{
    uint32_t n[STRATA] = {0}, smart[STRATA] = {0}, none[STRATA] = {0}, next[2 * STRATA];
    for (uint32_t i = 0; i < PEOPLE; i++) {
        uint32_t t = i % 10 == 0 ? 0 : i % 2 ? 3 : 1; /* 100, 400, 0, 500 */
        stratum_of[5 + i] = (uint8_t)t;
        n[t]++;
        smart[t] += i < SMART;
    }
    population_strata(p, STRATA, n, smart, none);
    for (uint32_t t = 0; t < STRATA; t++) {
        next[2 * t] = p->s[t].start;
        next[2 * t + 1] = p->s[t].start + p->s[t].n_smart;
    }
    for (uint32_t i = 0; i < PEOPLE; i++)
        population_place(p, i, next[2 * stratum_of[5 + i] + (i >= SMART)]++);
}

/* Opens, awareness and closes across strata keep every invariant; member
 * indices map one to one onto the holders (population_holder_index its
 * inverse); a uniform member draw is uniform over the holders and a
 * weighed one picks strata by size times weight (chi-square at 1 in
 * 10,000). */
static void strata_test(uint32_t *order, uint32_t *pos, struct wallet *acct, gsl_rng *r)
{
    struct population p;
    population_init(&p, order, pos, acct, 5, PEOPLE, SMART);
    strata_layout(&p);
    int same = 1;
    for (uint32_t t = 0; t < STRATA; t++)
        same &= p.s[t].n == strata_n[t];
    check(same && sound_strata(&p), "four strata laid out, sizes 100, 400, 0, 500");

    uint32_t users[150];
    for (uint32_t i = 0; i < 150; i++)
        users[i] = 5 + 3 * i;
    population_make_aware(&p, users, 150);
    int moves = sound_strata(&p);
    for (int i = 0; i < 400; i++) {
        enum population_segment g = rng_below(r, 3) == 0 ? SEG_AWARE : SEG_UNAWARE;
        if (population_size(&p, g) == 0)
            continue;
        uint32_t at = population_member(&p, g, rng_below(r, population_size(&p, g)));
        moves &= population_stage(&p, at) == (g == SEG_AWARE ? STAGE_AWARE : STAGE_UNAWARE);
        uint32_t u = order[at], w = population_open_at(&p, at, (struct wallet){.balance_fen = u});
        moves &= w == population_wallet(&p, u) && population_stage(&p, pos[u]) == STAGE_WALLET;
    }
    for (int i = 0; i < 50; i++) {
        uint32_t u = order[population_member(&p, SEG_HOLDERS, rng_below(r, p.wallets))];
        uint32_t moved = population_close(&p, u);
        moves &= population_stage(&p, pos[u]) == STAGE_AWARE && moved - p.first == pos[u];
    }
    check(moves && sound_strata(&p) && p.wallets == 350,
          "aware, 400 opens and 50 closes across strata: order[] and pos[] inverse, segments "
          "by stratum, accounts at their holders' ids");

    int inverse = 1;
    for (uint32_t i = 0; i < p.wallets; i++)
        inverse &= population_holder_index(&p, population_member(&p, SEG_HOLDERS, i)) == i &&
                   population_stage(&p, population_member(&p, SEG_HOLDERS, i)) == STAGE_WALLET;
    check(inverse, "holder members 0..%u: each a holder, population_holder_index the inverse",
          (unsigned)p.wallets - 1);

    /* Uniform over the holders, then weighed 1, 2, 3, 4 by stratum. */
    long *count = calloc(PEOPLE + 5, sizeof *count), by[STRATA] = {0};
    for (long d = 0; d < DRAWS; d++) {
        if (d % 100000 == 0)
            rng_at(r, 4, 0, (uint64_t)d);
        count[order[population_member(&p, SEG_HOLDERS, rng_below(r, p.wallets))]]++;
    }
    double want = (double)DRAWS / p.wallets, chi2 = 0;
    for (uint32_t u = 5; u < PEOPLE + 5; u++)
        if (population_stage(&p, pos[u]) == STAGE_WALLET)
            chi2 += (count[u] - want) * (count[u] - want) / want;
    check(chi2 < gsl_cdf_chisq_Qinv(1e-4, p.wallets - 1),
          "member draws uniform over the holders in strata: chi2 %.1f with %u df", chi2,
          (unsigned)(p.wallets - 1));
    const uint64_t per[STRATA] = {1, 2, 3, 4};
    population_weigh(&p, SEG_HOLDERS, per);
    for (long d = 0; d < DRAWS; d++) {
        if (d % 100000 == 0)
            rng_at(r, 5, 0, (uint64_t)d);
        uint32_t t, at = population_weighed(
                        &p, SEG_HOLDERS, rng_below(r, (uint32_t)p.weight[SEG_HOLDERS].total), &t);
        by[t] += population_stratum_of(&p, at) == t && population_stage(&p, at) == STAGE_WALLET;
    }
    double chi2w = 0;
    int df = -1;
    for (uint32_t t = 0; t < STRATA; t++) {
        double e = (double)DRAWS * p.s[t].wallets * per[t] / p.weight[SEG_HOLDERS].total;
        if (e > 0) {
            chi2w += (by[t] - e) * (by[t] - e) / e;
            df++;
        }
    }
    check(chi2w < gsl_cdf_chisq_Qinv(1e-4, df),
          "weighed draws: strata by holders times weight, chi2 %.2f with %d df", chi2w, df);
    free(count);
}

int main(void)
{
    test_plan(11);
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

    strata_test(order, pos, acct, r);

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
