/* Unit tests of the corporate wallets (model/corporate.h): their Bass
 * adoption against its closed form, their payments' rate, ticket and
 * salary share against the parameters (tolerances of 4 standard
 * deviations, from the variance of each estimate), the money identity
 * with corporate payments completing, failing and paying salaries, and
 * the neutral default. Run from the repository root (make test does). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model/model.h"
#include "scenario/roster.h"
#include "scenario/scenario.h"
#include "test.h"

#define YEAR_S (365 * 86400.0)

static struct scenario *load(const char *path, const char *const *sets, size_t n)
{
    struct scenario *s = scenario_load(path, sets, n, stderr);
    if (!s)
        printf("# cannot load %s\n", path);
    return s;
}

/* Bass's cumulative adoption at t years. */
static double bass(double p, double q, double t)
{
    double e = exp(-(p + q) * t);
    return (1 - e) / (1 + q / p * e);
}

static int money_ok(const struct model_result *r)
{
    const struct money *m = &r->money;
    return m->circulation_fen == m->issued_fen - m->redeemed_fen - m->reclaimed_fen &&
           m->circulation_fen == m->wallets_fen;
}

/* Ten years of tests/validation/bass.yaml with 200,000 corporates too: the
 * corporates' share holding a corporate wallet against G(t) every day
 * (worst gap), and whether the people's adoption is the same as without
 * the corporates (`plain`: that run's rows). */
static double bass_gap(double p, double q, const struct model_result *plain, int *people_same)
{
    char a[64], b[64];
    snprintf(a, sizeof a, "adoption.corporate.innovation=%g", p);
    snprintf(b, sizeof b, "adoption.corporate.imitation=%g", q);
    const char *sets[] = {"cities.town.corporates=200000", a, b,
                          "payments.corporate.per_wallet_per_day=0"};
    struct scenario *s = load("tests/validation/bass.yaml", sets, test_len(sets));
    struct model_result *r = s ? model_run(s, 0, NULL, NULL) : NULL;
    double worst = r && r->series.n_rows == 3650 ? 0 : 1;
    *people_same = r && plain && r->series.n_rows == plain->series.n_rows;
    for (size_t i = 0; r && i < r->series.n_rows; i++) {
        const struct ts_row *w = &r->series.rows[i];
        double G = (double)w->wallets_corporate / 200000;
        worst = fmax(worst, fabs(G - bass(p, q, w->time_s / YEAR_S)));
        *people_same &= plain && w->adoption == plain->series.rows[i].adoption;
    }
    model_result_free(r);
    scenario_free(s);
    return worst;
}

static void test_bass(void)
{
    struct scenario *s = load("tests/validation/bass.yaml", NULL, 0);
    struct model_result *plain = s ? model_run(s, 0, NULL, NULL) : NULL;
    static const double pq[][2] = {{0.03, 0.38}, {0.01, 0.9}, {0.1, 0.1}};
    for (size_t k = 0; k < test_len(pq); k++) {
        int same;
        double gap = bass_gap(pq[k][0], pq[k][1], plain, &same);
        check(gap < 0.01, "corporate bass p=%g q=%g: the share within 1 point of G(t) (worst %.4f)",
              pq[k][0], pq[k][1], gap);
        check(same, "corporate bass p=%g q=%g: the people's adoption is unchanged", pq[k][0],
              pq[k][1]);
    }
    model_result_free(plain);
    scenario_free(s);
}

/* The payments of tests/validation/corporate.yaml against its parameters. */
static void test_payments(void)
{
    struct scenario *s = load("tests/validation/corporate.yaml", NULL, 0);
    struct model_result *r = s ? model_run(s, 0, NULL, NULL) : NULL;
    check(r && r->complete && r->n_cities == 1, "the corporate check runs to its horizon");
    if (!r) {
        scenario_free(s);
        return;
    }
    /* A row's stock of corporate wallets is the stock during its bucket
     * (wallets open at the day's start, after the bucket before closes):
     * the expected payments are the wallet-days times the rate. */
    double lambda = 0, n = 0, value = 0;
    for (size_t i = 0; i < r->series.n_rows; i++) {
        const struct ts_row *w = &r->series.rows[i];
        lambda += (double)w->wallets_corporate * s->corp_per_wallet_per_day;
        n += (double)w->payments_corporate;
        value += (double)w->value_corporate_fen;
    }
    const struct city_result *c = &r->cities[0];
    check(c->wallets_corporate == s->cities[0].corporates &&
              c->wallets == c->holders + c->wallets_corporate && n == (double)c->payments_corporate,
          "every corporate holds one; wallets = %lld people's + %lld corporate",
          (long long)c->holders, (long long)c->wallets_corporate);
    check(fabs(n - lambda) <= 4 * sqrt(lambda),
          "payments per corporate wallet-day: %.0f for %.0f expected (4 sd %.0f)", n, lambda,
          4 * sqrt(lambda));
    check(c->payments == c->payments_corporate && c->payments_failed == 0,
          "the corporate payments are all the payments, none failed");
    /* The mean of a lognormal ticket and its standard error. */
    double sigma = s->corp_ticket_sigma, e2 = exp(sigma * sigma);
    double mean = (double)s->corp_ticket_median_fen * sqrt(e2);
    double se = mean * sqrt(e2 - 1) / sqrt(n);
    check(fabs(value / n - mean) <= 4 * se,
          "mean ticket %.0f fen, e^(mu + sigma^2/2) = %.0f (4 se %.0f)", value / n, mean, 4 * se);
    /* The salaries stay in the people's (unlimited) balances, everything
     * else went back to the banks: the salaries' share of the value. Its
     * standard error, by the delta method for a ratio of sums of tickets
     * X B over tickets X (B a salary coin of probability f): the variance
     * of X (B - f) over n mean^2 is f (1 - f) e^(sigma^2) / n. */
    double f = s->corp_salary_share, got = (double)r->money.wallets_fen / value;
    double sd = sqrt(f * (1 - f) * e2 / n);
    check(fabs(got - f) <= 4 * sd, "salaries %.4f of the value for a share of %g (4 sd %.4f)", got,
          f, 4 * sd);
    check(money_ok(r) && r->money.issued_fen > 0 && r->money.redeemed_fen > 0,
          "money: issued %lld - redeemed %lld = wallets %lld", (long long)r->money.issued_fen,
          (long long)r->money.redeemed_fen, (long long)r->money.wallets_fen);
    model_result_free(r);
    scenario_free(s);
}

/* Corporate payments that time out: counted as failures, their money back
 * at the payer's bank, and the identity holds. */
static void test_failures(void)
{
    const char *sets[] = {"operators.bank.timeout=10ms", "operators.other.timeout=10ms",
                          "duration=3d"};
    struct scenario *s = load("tests/validation/corporate.yaml", sets, test_len(sets));
    struct model_result *r = s ? model_run(s, 0, NULL, NULL) : NULL;
    check(r && r->cities[0].payments_failed > 0 && r->cities[0].payments_corporate > 0 &&
              money_ok(r),
          "a 10 ms timeout fails corporate payments (%lld failed, %lld done): money balances",
          r ? (long long)r->cities[0].payments_failed : 0,
          r ? (long long)r->cities[0].payments_corporate : 0);
    model_result_free(r);
    scenario_free(s);
}

/* The four-city pilot with corporate adoption: everything at once
 * (lotteries, limits, salaries into limited wallets), money exact. */
static void test_pilot(void)
{
    const char *sets[] = {"adoption.corporate.innovation=0.3", "adoption.corporate.imitation=0.5",
                          "payments.corporate.per_wallet_per_day=0.05"};
    struct scenario *s = load("scenarios/pilot-2020.yaml", sets, test_len(sets));
    struct model_result *r = s ? model_run(s, 0, NULL, NULL) : NULL;
    int64_t corp = 0, pays = 0, value = 0;
    for (size_t c = 0; r && c < r->n_cities; c++) {
        corp += r->cities[c].wallets_corporate;
        pays += r->cities[c].payments_corporate;
        value += r->cities[c].value_corporate_fen;
    }
    check(r && corp > 0 && pays > 0 && value > 0 && money_ok(r),
          "pilot-2020 with corporates: %lld wallets, %lld payments, money balances",
          (long long)corp, (long long)pays);
    model_result_free(r);
    scenario_free(s);
}

/* Two-sided adoption and concentrated usage, on three years of
 * tests/validation/bass.yaml with 200,000 corporates: with imitation 0,
 * G follows G' = (1 - G) p (1 + e F), F the people's share holding a
 * wallet (the run's own rows: the day before's stock), within a point;
 * and the corporate payments are the sum over days of corporates x rate x
 * G^gamma, within 4 standard deviations. */
static void test_two_sided(void)
{
    const double p = 0.05, e = 4, rate = 0.02, gamma = 0.5;
    const char *sets[] = {"cities.town.corporates=200000",
                          "adoption.corporate.innovation=0.05",
                          "adoption.corporate.people_effect=4",
                          "duration=1095d",
                          "payments.corporate.per_wallet_per_day=0.02",
                          "payments.corporate.concentration=0.5"};
    struct scenario *s = load("tests/validation/bass.yaml", sets, test_len(sets));
    struct model_result *r = s ? model_run(s, 0, NULL, NULL) : NULL;
    double G = 0, F = 0, worst = r && r->series.n_rows == 1095 ? 0 : 1, lambda = 0, n = 0;
    for (size_t i = 0; r && i < r->series.n_rows; i++) {
        const struct ts_row *w = &r->series.rows[i];
        G = 1 - (1 - G) * exp(-p * (1 + e * F) / 365);
        double got = (double)w->wallets_corporate / 200000;
        worst = fmax(worst, fabs(got - G));
        lambda += 200000 * rate * pow(got, gamma);
        n += (double)w->payments_corporate;
        F = w->adoption;
    }
    check(worst < 0.01, "corporates driven by the people's adoption: within 1 point (worst %.4f)",
          worst);
    check(r && lambda > 1000 && fabs(n - lambda) <= 4 * sqrt(lambda),
          "concentrated corporate usage: %.0f payments for %.0f expected (4 sd %.0f)", n, lambda,
          4 * sqrt(lambda));
    model_result_free(r);
    scenario_free(s);
}

/* By the loader's defaults (a scenario that extends no base: the shipped
 * base sets the fitted corporate keys) no corporate opens a wallet, and
 * `corporates` is the national density of market entities times the
 * population. */
static void test_default(void)
{
    const char *sets[] = {"duration=60d"};
    struct scenario *s = load("tests/validation/bass.yaml", sets, test_len(sets));
    struct model_result *r = s ? model_run(s, 0, NULL, NULL) : NULL;
    int none = r != NULL;
    for (size_t c = 0; r && c < r->n_cities; c++)
        none &= r->cities[c].wallets_corporate == 0 && r->cities[c].payments_corporate == 0 &&
                r->cities[c].wallets == r->cities[c].holders;
    check(none, "by default no corporate wallet and no corporate payment");
    check(s && s->cities[0].corporates ==
                   llround((double)s->cities[0].population * ROSTER_CORPORATES_PER_PERSON),
          "default corporates: %lld for %lld people", s ? (long long)s->cities[0].corporates : 0,
          s ? (long long)s->cities[0].population : 0);
    model_result_free(r);
    scenario_free(s);
}

int main(void)
{
    test_plan(19);
    test_bass();
    test_payments();
    test_failures();
    test_pilot();
    test_two_sided();
    test_default();
    return test_done();
}
