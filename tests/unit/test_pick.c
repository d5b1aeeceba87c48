/* adoption_pick_merchant against its distribution: accepting stores drawn
 * in proportion to their popularity, through the alias table alone and
 * through the table plus bisection over newcomers. A white-box test on a
 * hand-built city (model_state.h): weights 1..10, a chi-square test of the
 * counts at 1 in 10,000. */
#include <gsl/gsl_cdf.h>
#include <stdlib.h>

#include "model/adoption.h"
#include "test.h"

#define STORES 1000
#define DRAWS 2000000

/* chi-square of the counts of stores [0, n) against weights 1 + i % 10 */
static double chi2_of(struct model *m, uint32_t n) {
    long *count = calloc(STORES, sizeof *count);
    double total = 0, chi2 = 0;
    for (uint32_t i = 0; i < n; i++)
        total += 1 + i % 10;
    for (long d = 0; d < DRAWS; d++) {
        if (d % 50000 == 0)   /* two draws a pick; a stream holds 2^17 */
            rng_at(m->rng, 1, n, (uint64_t)d);
        count[adoption_pick_merchant(m, 0)]++;
    }
    for (uint32_t i = 0; i < n; i++) {
        double want = DRAWS * (1 + i % 10) / total;
        chi2 += (count[i] - want) * (count[i] - want) / want;
    }
    free(count);
    return chi2;
}

int main(void) {
    struct model m = {0};
    struct city_state city = {0};
    struct merchant *mc = calloc(STORES, sizeof *mc);
    city.m_n = STORES;
    city.m_order = malloc(STORES * sizeof *city.m_order);
    city.accept_cum = malloc(STORES * sizeof *city.accept_cum);
    m.cities = &city;
    m.merchants = mc;
    m.rng = rng_new(7, 0);
    for (uint32_t i = 0; i < STORES; i++) {
        mc[i].weight = (float)(1 + i % 10);
        mc[i].pos = i;
        city.m_order[i] = i;
    }
    for (uint32_t i = 0; i < 500; i++)
        adoption_accept(&m, 0, i, 0);
    double chi2 = chi2_of(&m, 500);
    check(city.table_n == 500 && chi2 < gsl_cdf_chisq_Qinv(1e-4, 499),
          "500 stores, all in the table: chi2 %.1f with 499 df", chi2);
    for (uint32_t i = 500; i < 550; i++)
        adoption_accept(&m, 0, i, 0);
    chi2 = chi2_of(&m, 550);
    check(city.table_n == 500 && chi2 < gsl_cdf_chisq_Qinv(1e-4, 549),
          "and 50 newcomers drawn by bisection: chi2 %.1f with 549 df", chi2);
    for (uint32_t i = 550; i < STORES; i++)
        adoption_accept(&m, 0, i, 0);
    chi2 = chi2_of(&m, STORES);
    check(city.table_n == STORES && chi2 < gsl_cdf_chisq_Qinv(1e-4, STORES - 1),
          "450 more: the table is rebuilt over all %u: chi2 %.1f", (unsigned)city.table_n, chi2);
    free(city.accept_table);
    free(city.accept_cum);
    free(city.m_order);
    free(mc);
    rng_free(m.rng);
    return test_done();
}
