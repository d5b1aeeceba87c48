/* habits (habits.h): a person's activity. The quantile against GSL's; the
 * mean 1 of the truncated lognormal, by GSL's quadrature with GSL's normal
 * density (independent of the Simpson's rule in habits.c) to 1e-9, and by
 * the sample of 2^21 people within 4 standard errors; the spread of log
 * activity against sigma times the truncated normal's standard deviation;
 * the bounds; sigma 0 gives everyone 1; and the draw is a pure function of
 * the key and the user. The draws by activity through strata (habits_pick,
 * habits_draw) against the weights, by chi-square tests at 1 in 10,000 over
 * 512 people, the adopters' mean against the old sampler's and their tries
 * (about one); the adopters' acceptance (habits_weight) against
 * (activity / ceiling)^power. */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_randist.h>

#include "kernel/rng.h"
#include "model/habits.h"
#include "test.h"

#define PEOPLE (1u << 21)

static const double sigmas[] = {0.5, 1.0, 2.0};

static double integrand(double z, void *p)
{
    const struct habits *h = p;
    return exp(h->mu + h->sigma * z) * gsl_ran_ugaussian_pdf(z);
}

/* E[activity] by GSL: the truncated density's integral. */
static double exact_mean(const struct habits *h)
{
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(1000);
    gsl_function f = {integrand, (void *)h};
    double v, err;
    gsl_integration_qags(&f, -3, 3, 0, 1e-13, 1000, w, &v, &err);
    gsl_integration_workspace_free(w);
    return v / (gsl_cdf_ugaussian_P(3) - gsl_cdf_ugaussian_P(-3));
}

/* The truncated standard normal's standard deviation. */
static double truncated_sd(void)
{
    double mass = gsl_cdf_ugaussian_P(3) - gsl_cdf_ugaussian_P(-3);
    return sqrt(1 - 2 * 3 * gsl_ran_ugaussian_pdf(3) / mass);
}

static void moments(const struct habits *h)
{
    double sum = 0, sum2 = 0, lsum = 0, lsum2 = 0;
    double lo = exp(h->mu - 3 * h->sigma);
    int bounded = 1;
    for (uint32_t u = 0; u < PEOPLE; u++) {
        double a = habits_of(h, u), l = log(a);
        sum += a;
        sum2 += a * a;
        lsum += l;
        lsum2 += l * l;
        bounded &= a <= h->ceiling && a >= lo * (1 - 1e-12);
    }
    double mean = sum / PEOPLE, sd = sqrt(sum2 / PEOPLE - mean * mean);
    double lmean = lsum / PEOPLE, lsd = sqrt(lsum2 / PEOPLE - lmean * lmean);
    check_near(exact_mean(h), 1, 1e-9, "sigma %g: E[activity] = 1 (quadrature)", h->sigma);
    check_near(mean, 1, 4 * sd / sqrt(PEOPLE), "sigma %g: the mean of %u people is 1", h->sigma,
               PEOPLE);
    /* The sample sd of log activity: its standard error is about
     * sd / sqrt(2 n) (near normal). */
    double want = h->sigma * truncated_sd();
    check_near(lsd, want, 4 * want / sqrt(2.0 * PEOPLE), "sigma %g: sd of log activity", h->sigma);
    check(bounded, "sigma %g: every activity within [exp(mu - 3 sigma), ceiling %g]", h->sigma,
          h->ceiling);
}

#define PEOPLE_S 512 /* a city of this many, laid out in strata */
#define FIRST 1000   /* its first user id */
#define PICKS 2000000

/* A city of PEOPLE_S smartphone owners in h's strata, stratum after
 * stratum (as adoption.c lays them out), every one a holder or none. */
static void layout(const struct habits *h, struct population *p, uint32_t *order, uint32_t *pos,
                   struct wallet *acct, int holders)
{
    uint32_t n[POPULATION_MAX_STRATA] = {0}, held[POPULATION_MAX_STRATA] = {0},
             next[POPULATION_MAX_STRATA];
    for (uint32_t i = 0; i < PEOPLE_S; i++)
        n[habits_stratum(h, FIRST + i)]++;
    for (uint32_t s = 0; s < habits_strata(h); s++)
        held[s] = holders ? n[s] : 0;
    population_init(p, order, pos, acct, FIRST, PEOPLE_S, PEOPLE_S);
    population_strata(p, habits_strata(h), n, n, held);
    for (uint32_t s = 0; s < habits_strata(h); s++)
        next[s] = p->s[s].start;
    for (uint32_t i = 0; i < PEOPLE_S; i++)
        population_place(p, i, next[habits_stratum(h, FIRST + i)]++);
}

/* The tries a weighed draw takes on average: the segment's weight in
 * bounds over its weight in (activity / ceiling)^power. */
static double mean_tries(const struct habits *h, const struct population *p, double power)
{
    double w = 0;
    for (uint32_t i = 0; i < PEOPLE_S; i++)
        w += habits_weight(h, FIRST + i, power);
    return (double)p->weight[SEG_UNAWARE].total * HABITS_UNIT / w;
}

/* Counts against PICKS w / sum w: the chi-square's p-value, the people
 * expected fewer than 5 times pooled into one cell (the test's rule). */
static double fit(const uint32_t *count, const double *w)
{
    double sum = 0, stat = 0, rare_want = 0, rare_got = 0;
    int cells = 0;
    for (uint32_t i = 0; i < PEOPLE_S; i++)
        sum += w[i];
    for (uint32_t i = 0; i < PEOPLE_S; i++) {
        double want = PICKS * w[i] / sum;
        if (want < 5) {
            rare_want += want, rare_got += count[i];
            continue;
        }
        stat += (count[i] - want) * (count[i] - want) / want;
        cells++;
    }
    if (rare_want > 0) {
        stat += (rare_got - rare_want) * (rare_got - rare_want) / rare_want;
        cells++;
    }
    return gsl_cdf_chisq_Q(stat, cells - 1);
}

/* Payers drawn from PEOPLE_S holders in strata by activity a[] (by wallet
 * id): the counts by person against n a / sum a, chi-square with
 * PEOPLE_S - 1 degrees of freedom. */
static void pick_fits(const struct habits *h, gsl_rng *r)
{
    uint32_t order[PEOPLE_S], pos[FIRST + PEOPLE_S];
    static struct wallet acct[FIRST + PEOPLE_S];
    static float a[FIRST + PEOPLE_S];
    static uint32_t count[PEOPLE_S];
    double w[PEOPLE_S];
    struct population p;
    uint64_t per[POPULATION_MAX_STRATA];
    layout(h, &p, order, pos, acct, 1);
    habits_bounds(h, 1, per);
    population_weigh(&p, SEG_HOLDERS, per);
    for (uint32_t i = 0; i < PEOPLE_S; i++) {
        w[i] = a[FIRST + pos[FIRST + i]] = (float)habits_of(h, FIRST + i);
        count[i] = 0;
    }
    for (uint32_t k = 0; k < PICKS; k++) {
        rng_at(r, 3, k, 0); /* a stream a payment, as the model draws */
        uint32_t coin;
        count[order[habits_pick(r, &p, a, h->ceiling, &coin)] - FIRST]++;
    }
    double pv = fit(count, w);
    check(pv > 1e-4, "sigma %g: payers by activity in %u strata, p %.3g (chi-square on %d df)",
          h->sigma, p.k, pv, PEOPLE_S - 1);
}

/* Adopters drawn with weight activity^2 from PEOPLE_S unaware people in
 * strata (habits_draw, as adoption.c draws them): by chi-square against
 * w; the mean activity of PICKS adopters against that of PICKS / 8 drawn
 * by the old sampler (rejection against the ceiling, hundreds of tries at
 * sigma 2), within 4 standard errors; and a draw takes about one try. */
static void draw_fits(const struct habits *h, uint64_t key)
{
    uint32_t order[PEOPLE_S], pos[FIRST + PEOPLE_S];
    static struct wallet acct[FIRST + PEOPLE_S];
    static uint32_t count[PEOPLE_S];
    double w[PEOPLE_S], sum[2] = {0}, sum2[2] = {0}, wsum = 0;
    const uint32_t n[2] = {PICKS, PICKS / 8};
    struct population p;
    uint64_t per[POPULATION_MAX_STRATA], block[2];
    layout(h, &p, order, pos, acct, 0);
    habits_bounds(h, 2, per);
    population_weigh(&p, SEG_UNAWARE, per);
    for (uint32_t i = 0; i < PEOPLE_S; i++) {
        wsum += w[i] = habits_weight(h, FIRST + i, 2);
        count[i] = 0;
    }
    for (uint32_t k = 0; k < n[0]; k++) {
        uint32_t u = order[habits_draw(h, &p, SEG_UNAWARE, 2, key, 1ull << 32, k)];
        count[u - FIRST]++;
        double a = habits_of(h, u);
        sum[0] += a, sum2[0] += a * a;
    }
    for (uint32_t k = 0; k < n[1]; k++) {
        uint32_t u;
        for (uint32_t t = 0;; t++) { /* a uniform person, kept with its weight */
            rng_block_keyed(key, 2ull << 32 | t, k, block);
            u = FIRST + (uint32_t)(((block[0] >> 32) * PEOPLE_S) >> 32);
            if (rng_uniform_of(block[1]) < habits_weight(h, u, 2))
                break;
        }
        double a = habits_of(h, u);
        sum[1] += a, sum2[1] += a * a;
    }
    double pv = fit(count, w), var = 0, mean[2];
    for (int j = 0; j < 2; j++) {
        mean[j] = sum[j] / n[j];
        var += (sum2[j] / n[j] - mean[j] * mean[j]) / n[j];
    }
    check(pv > 1e-4, "sigma %g: adopters by activity^2 in strata, p %.3g", h->sigma, pv);
    check_near(mean[0], mean[1], 4 * sqrt(var),
               "sigma %g: the adopters' mean activity, strata against the old sampler", h->sigma);
    double tries = mean_tries(h, &p, 2);
    check(tries < 1.3, "sigma %g: %.3f tries a draw by activity^2 (the ceiling's %.1f)", h->sigma,
          tries, PEOPLE_S / wsum);
}

/* habits_weight against (activity / ceiling)^power, by libm. */
static void weight_fits(const struct habits *h)
{
    double worst = 0;
    for (uint32_t u = 0; u < 10000; u++) {
        double want = pow(habits_of(h, u) / h->ceiling, 1.5);
        double e = fabs(habits_weight(h, u, 1.5) / want - 1);
        worst = e > worst ? e : worst;
    }
    check(worst < 1e-9, "sigma %g: weight = (activity / ceiling)^1.5 (worst %.3g)", h->sigma,
          worst);
}

/* The strata found among the edges (habits_stratum_bits) against the
 * quantile's (habits_stratum_exact): the edges increase and every stratum
 * is reached; the two agree around every edge (each side of it and of
 * its guard, and 20,000 uniforms within 2^36 of it) and at a million
 * random uniforms. */
static void strata_fit(const struct habits *h)
{
    int rising = h->edge[0] == 0;
    for (uint32_t s = 1; s < HABITS_STRATA; s++)
        rising &= h->edge[s] > h->edge[s - 1];
    uint32_t mixed = 0;
    for (uint32_t i = 0; i < HABITS_SLICES; i++)
        mixed += h->slice[i] == HABITS_MIXED;
    check(rising && mixed >= HABITS_STRATA - 1 && mixed <= 2 * (HABITS_STRATA - 1),
          "the strata's edges rise from 0; %u slices of %u hold one (or its guard)", mixed,
          HABITS_SLICES);
    uint64_t x = 0x9E3779B97F4A7C15ull, wrong = 0, tried = 0;
    for (uint32_t s = 1; s < HABITS_STRATA; s++) {
        const int64_t near[] = {-1,
                                0,
                                1,
                                -(1ll << 33) - 2,
                                -(1ll << 33) - 1,
                                -(1ll << 33),
                                (1ll << 33),
                                (1ll << 33) + 1};
        for (size_t i = 0; i < test_len(near); i++, tried++) {
            uint64_t v = h->edge[s] + (uint64_t)near[i];
            wrong += habits_stratum_bits(h, v << 11) != habits_stratum_exact(v << 11);
        }
        for (int i = 0; i < 20000; i++, tried++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift64 */
            uint64_t v = h->edge[s] - (1ull << 36) + (x >> 27);
            wrong += habits_stratum_bits(h, v << 11) != habits_stratum_exact(v << 11);
        }
    }
    for (int i = 0; i < 1000000; i++, tried++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        wrong += habits_stratum_bits(h, x) != habits_stratum_exact(x);
    }
    check(wrong == 0, "the edges' strata are the quantile's (%llu of %llu differ)",
          (unsigned long long)wrong, (unsigned long long)tried);
}

int main(void)
{
    test_plan(7 + 9 * (int)test_len(sigmas));
    gsl_rng *r = rng_new(7, 0);
    uint64_t key = rng_key(r, 9), other = rng_key(r, 10);

    double worst = 0;
    for (int i = 1; i < 100000; i++) {
        double p = i / 100000.0, want = gsl_cdf_ugaussian_Pinv(p);
        double e = fabs(habits_normal_quantile(p) - want) / fmax(fabs(want), 1e-3);
        worst = e > worst ? e : worst;
    }
    check(worst < 2e-9, "the normal quantile within 2e-9 of GSL's (worst %.3g)", worst);

    struct habits h;
    habits_init(&h, 0, key);
    int ones = h.ceiling == 1;
    for (uint32_t u = 0; u < 1000; u++)
        ones &= habits_of(&h, u) == 1;
    check(ones, "sigma 0: everyone exactly 1, ceiling 1");

    for (size_t i = 0; i < test_len(sigmas); i++) {
        habits_init(&h, sigmas[i], key);
        moments(&h);
        pick_fits(&h, r);
        draw_fits(&h, other);
        weight_fits(&h);
    }

    struct habits a, b, c;
    habits_init(&a, 1, key);
    strata_fit(&a);
    habits_init(&b, 1, key);
    habits_init(&c, 1, other);
    int same = 1, differ = 0;
    for (uint32_t u = 0; u < 1000; u++) {
        same &= habits_of(&a, u) == habits_of(&b, u);
        differ += habits_of(&a, u) != habits_of(&c, u);
    }
    check(same, "the same key gives the same people");
    check(differ == 1000, "another key gives other people (%d of 1000 differ)", differ);
    check(habits_of(&a, 5) != habits_of(&a, 6), "two people differ");
    rng_free(r);
    return test_done();
}
