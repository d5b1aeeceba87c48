/* acceptance (acceptance.h) against its distribution: accepting stores drawn
 * in proportion to their popularity, through the alias table alone, through
 * the table plus bisection over newcomers, after stores stopped accepting
 * (by rejection, then compacted away) and after a stopped one restarted;
 * the idle pick uniform over the stores that do not accept. Weights 1..10
 * on 1000 stores; each distribution is checked with a chi-square test at
 * 1 in 10,000 (the tolerance follows from the counts' variance), and a
 * store that does not accept must never be drawn. */
#include <stdlib.h>

#include <gsl/gsl_cdf.h>

#include "kernel/rng.h"
#include "model/acceptance.h"
#include "test.h"

#define STORES 1000
#define DRAWS 2000000

static double weight_of(uint32_t i)
{
    return 1 + i % 10;
}

/* chi-square of DRAWS picks against the accepting stores' weights; df
 * gets its degrees of freedom; *strays counts picks of stores that do not
 * accept. `idle`: the idle pick against equal weights over the others. */
static double chi2_of(struct acceptance *a, gsl_rng *r, int idle, int *df, long *strays)
{
    long *count = calloc(STORES, sizeof *count);
    double total = 0, chi2 = 0;
    int cells = 0;
    for (uint32_t i = 0; i < STORES; i++)
        if (acceptance_accepts(a, i) != idle)
            total += idle ? 1 : weight_of(i);
    for (long d = 0; d < DRAWS; d++) {
        if (d % 40000 == 0) /* two draws a pick, a few more on rejection */
            rng_at(r, 1, STORES + (uint64_t)idle, (uint64_t)d);
        count[idle ? acceptance_pick_idle(a, r) : acceptance_pick(a, r)]++;
    }
    *strays = 0;
    for (uint32_t i = 0; i < STORES; i++) {
        if (acceptance_accepts(a, i) == idle) {
            *strays += count[i];
            continue;
        }
        double want = DRAWS * (idle ? 1 : weight_of(i)) / total;
        chi2 += (count[i] - want) * (count[i] - want) / want;
        cells++;
    }
    *df = cells - 1;
    free(count);
    return chi2;
}

static int fits(double chi2, int df)
{
    return chi2 < gsl_cdf_chisq_Qinv(1e-4, df);
}

int main(void)
{
    test_plan(16);
    struct merchant *mc = calloc(STORES, sizeof *mc);
    struct acceptance a;
    gsl_rng *r = rng_new(7, 0);
    int df;
    long strays;
    for (uint32_t i = 0; i < STORES; i++)
        mc[i].weight = (float)weight_of(i);
    check(acceptance_init(&a, mc, 0, STORES) == 0 && a.total_weight == 5500, "1000 stores set up");
    for (uint32_t i = 0; i < 500; i++)
        acceptance_start(&a, i, 0);
    double chi2 = chi2_of(&a, r, 0, &df, &strays);
    check(a.table_n == 500 && fits(chi2, df) && !strays,
          "500 stores, all in the table: chi2 %.1f with %d df", chi2, df);
    for (uint32_t i = 500; i < 550; i++)
        acceptance_start(&a, i, 0);
    chi2 = chi2_of(&a, r, 0, &df, &strays);
    check(a.table_n == 500 && fits(chi2, df) && !strays,
          "and 50 newcomers drawn by bisection: chi2 %.1f with %d df", chi2, df);
    for (uint32_t i = 550; i < 950; i++)
        acceptance_start(&a, i, 0);
    chi2 = chi2_of(&a, r, 0, &df, &strays);
    check(a.table_n == 950 && fits(chi2, df) && !strays,
          "400 more: the table is rebuilt over all %u: chi2 %.1f", (unsigned)a.table_n, chi2);

    /* 40 stores stop (every 23rd: all weights): kept in their slots and
     * rejected, fewer than a sixteenth and an eighth of the weight. */
    double before = acceptance_weight(&a);
    int stop_ok = 1;
    for (uint32_t i = 0; i < 950; i += 23)
        stop_ok &=
            acceptance_stop(&a, i) == 0 && !acceptance_accepts(&a, i) && mc[i].accept_day == 0;
    check(stop_ok, "every 23rd store stops, and says so");
    double gone = 0;
    for (uint32_t i = 0; i < 950; i += 23)
        gone += weight_of(i);
    check(a.accepting == 950 - 42 && a.n_stopped == 42 && a.slots == 950 &&
              acceptance_weight(&a) == before - gone,
          "42 stopped, still in their slots; the weight is the remaining stores'");
    chi2 = chi2_of(&a, r, 0, &df, &strays);
    check(fits(chi2, df) && !strays && df == 950 - 42 - 1,
          "the pick follows the remaining weights: chi2 %.1f with %d df, %ld strays", chi2, df,
          strays);
    chi2 = chi2_of(&a, r, 1, &df, &strays);
    check(fits(chi2, df) && !strays && df == 50 + 42 - 1,
          "the idle pick is uniform over never- and no-longer-accepting: chi2 %.1f with %d df",
          chi2, df);
    uint32_t *list = malloc(STORES * sizeof *list), listed_ok = 1;
    acceptance_list(&a, list);
    for (uint32_t k = 0; k < a.accepting; k++)
        listed_ok &= acceptance_accepts(&a, list[k]);
    check(listed_ok, "the list holds the accepting stores only");

    /* A stopped store restarts in its old slot. */
    acceptance_start(&a, 23, 4);
    check(acceptance_accepts(&a, 23) && a.n_stopped == 41 && mc[23].accept_day == 5,
          "store 23 accepts again, from day 4");
    chi2 = chi2_of(&a, r, 0, &df, &strays);
    check(fits(chi2, df) && !strays, "and is drawn again by its weight: chi2 %.1f with %d df", chi2,
          df);

    /* More stops pass a sixteenth of the slots: compacted away. */
    uint32_t stops = 0;
    for (uint32_t i = 1; i < 950 && a.n_stopped + 1 > 0 && stops < 200; i += 4, stops++)
        acceptance_stop(&a, i);
    check(a.n_stopped < 41 + stops && a.slots == a.accepting + a.n_stopped,
          "%u more stops: compacted (%u stopped left in %u slots)", (unsigned)stops,
          (unsigned)a.n_stopped, (unsigned)a.slots);
    uint32_t pos_ok = 1;
    for (uint32_t i = 0; i < STORES; i++)
        pos_ok &= a.order[mc[i].pos] == i;
    check(pos_ok, "every store's pos still indexes it in order[]");
    chi2 = chi2_of(&a, r, 0, &df, &strays);
    check(fits(chi2, df) && !strays, "after compaction: chi2 %.1f with %d df", chi2, df);
    chi2 = chi2_of(&a, r, 1, &df, &strays);
    check(fits(chi2, df) && !strays, "and the idle pick: chi2 %.1f with %d df", chi2, df);

    /* Every store stops: nothing accepts, the weight is 0 exactly. */
    for (uint32_t i = 0; i < STORES; i++)
        acceptance_stop(&a, i);
    check(a.accepting == 0 && a.slots == 0 && acceptance_weight(&a) == 0,
          "all stopped: no slots, no weight");
    free(list);
    acceptance_destroy(&a);
    free(mc);
    rng_free(r);
    return test_done();
}
