/* Unit tests of the model: Bass diffusion against its closed form, money
 * conservation, lottery accounting, determinism and replications. Run from
 * the repository root (make test does). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "kernel/detmath.h"
#include "metrics/catalog.h"
#include "model/model.h"
#include "model/model_state.h"
#include "scenario/scenario.h"
#include "test.h"

/* Bass's cumulative adoption at t years (detmath: the same bits on every
 * machine, as the validation report's rows must be). */
static double bass(double p, double q, double t)
{
    double e = detmath_exp(-(p + q) * t);
    return (1 - e) / (1 + q / p * e);
}

static struct scenario *load(const char *path, const char *const *sets, size_t n)
{
    struct scenario *s = scenario_load(path, sets, n, stderr);
    if (!s)
        printf("# cannot load %s\n", path);
    return s;
}

#define BASS_DAYS 3650
static const int bass_years[] = {1, 2, 3, 5, 10}; /* rows of the report */

/* One run of bass.yaml: the adoption column against F(t), the worst day
 * and the ends of bass_years. */
struct bass_case {
    double p, q;
    long worst_day; /* 1-based day of the largest gap */
    double worst_f, worst_model;
    double year_f[test_len(bass_years)], year_model[test_len(bass_years)];
};

static int bass_run(const char *const *sets, size_t n, struct bass_case *c)
{
    memset(c, 0, sizeof *c);
    struct scenario *s = load("tests/validation/bass.yaml", sets, n);
    if (!s)
        return -1;
    c->p = s->innovation;
    c->q = s->imitation;
    struct model_result *r = model_run(s, 0, NULL, NULL);
    double worst = -1;
    for (size_t i = 0; r && i < r->series.n_rows; i++) {
        const struct ts_row *w = &r->series.rows[i];
        double f = bass(c->p, c->q, w->time_s / (365 * 86400.0));
        if (fabs(w->adoption - f) > worst) {
            worst = fabs(w->adoption - f);
            c->worst_day = (long)i + 1;
            c->worst_f = f;
            c->worst_model = w->adoption;
        }
        for (size_t y = 0; y < test_len(bass_years); y++)
            if ((long)i + 1 == 365L * bass_years[y]) {
                c->year_f[y] = f;
                c->year_model[y] = w->adoption;
            }
    }
    int ok = r && r->series.n_rows == BASS_DAYS;
    check(ok, "bass: a row per day for ten years");
    model_result_free(r);
    scenario_free(s);
    return ok ? 0 : -1;
}

/* Adoption within one point of F(t) on every day (the worst day checked),
 * for Bass's median p and q (bass.yaml), a fast and a slow diffusion. */
static void test_bass(void)
{
    const char *fast[] = {"adoption.innovation=0.01", "adoption.imitation=0.9"};
    const char *slow[] = {"adoption.innovation=0.1", "adoption.imitation=0.1"};
    const char *const *sets[] = {NULL, fast, slow};
    for (size_t k = 0; k < test_len(sets); k++) {
        struct bass_case c;
        int ran = bass_run(sets[k], sets[k] ? 2 : 0, &c);
        char what[96];
        snprintf(what, sizeof what, "p=%g q=%g: worst of %d days (day %ld)", c.p, c.q, BASS_DAYS,
                 c.worst_day);
        check_row("bass", what, ran == 0 ? c.worst_model : NAN, c.worst_f, 0.01,
                  "bass p=%g q=%g: adoption within 1 point of F(t) (worst %.4f, day %ld)", c.p, c.q,
                  fabs(c.worst_model - c.worst_f), c.worst_day);
        for (size_t y = 0; k == 0 && y < test_len(bass_years); y++) {
            snprintf(what, sizeof what, "p=%g q=%g: end of year %d", c.p, c.q, bass_years[y]);
            check_row("bass", what, c.year_model[y], c.year_f[y], 0.01,
                      "bass p=%g q=%g: year %d, adoption %.4f vs F %.4f", c.p, c.q, bass_years[y],
                      c.year_model[y], c.year_f[y]);
        }
    }
}

/* The time at which Bass(p, q) reaches F (bisection: F rises with t). */
static double bass_time(double p, double q, double F)
{
    double lo = 0, hi = 100;
    for (int i = 0; i < 200; i++) {
        double mid = (lo + hi) / 2;
        if (bass(p, q, mid) < F)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2;
}

/* tests/validation/bass-boost.yaml's adoption against Bass with p and q
 * times `before` up to `at` years, then times `after` from where it
 * stood (the closed form shifted in time): the worst gap. */
static double boost_gap(const char *const *sets, size_t n, double before, double at, double after)
{
    struct scenario *s = load("tests/validation/bass-boost.yaml", sets, n);
    struct model_result *r = s ? model_run(s, 0, NULL, NULL) : NULL;
    double worst = r ? 0 : 1;
    for (size_t i = 0; r && i < r->series.n_rows; i++) {
        const struct ts_row *w = &r->series.rows[i];
        double p = s->innovation, q = s->imitation, t = w->time_s / (365 * 86400.0), F;
        if (t <= at) {
            F = bass(before * p, before * q, t);
        } else {
            double from = bass_time(after * p, after * q, bass(before * p, before * q, at));
            F = bass(after * p, after * q, from + t - at);
        }
        worst = fmax(worst, fabs(w->adoption - F));
    }
    model_result_free(r);
    scenario_free(s);
    return worst;
}

/* Adoption boosts (operator_joins, app_opens): the hazard multiplied by
 * each boost in force, from its date. */
static void test_boosts(void)
{
    const char *two[] = {"interventions.bank-joins.adoption_boost=1"};
    double gap = boost_gap(two, 1, 2, 0, 2);
    check(gap < 0.01, "app opens, boost 2: Bass with p and q doubled (worst %.4f)", gap);
    gap = boost_gap(NULL, 0, 3, 0, 3);
    check(gap < 0.01, "and an operator joins, boost 1.5: boosts multiply (worst %.4f)", gap);
    const char *later[] = {"interventions.app.at=2021-12-31"}; /* 730 days in */
    gap = boost_gap(later, 1, 1.5, 2, 3);
    check(gap < 0.01, "the app opens after two years: the hazard doubles from then (worst %.4f)",
          gap);
}

/* Equal, or both undefined (a latency without payments is NaN). */
static int same(double a, double b)
{
    return a == b || (isnan(a) && isnan(b));
}

/* Rows compared column by column, every column of the catalog (a struct's
 * padding may differ). */
static int rows_equal(const struct metrics *a, const struct metrics *b)
{
    if (a->n_rows != b->n_rows)
        return 0;
    for (size_t i = 0; i < a->n_rows; i++) {
        const struct ts_row *x = &a->rows[i], *y = &b->rows[i];
        if (x->time_s != y->time_s || x->city != y->city)
            return 0;
        for (size_t k = 0; k < catalog_n_columns(); k++) {
            const struct catalog_metric *c = catalog_column(k);
            const char *p = (const char *)x + c->series, *q = (const char *)y + c->series;
            int64_t m, n;
            double u, v;
            if (c->type == CATALOG_COUNT) {
                memcpy(&m, p, sizeof m);
                memcpy(&n, q, sizeof n);
                if (m != n)
                    return 0;
            } else {
                memcpy(&u, p, sizeof u);
                memcpy(&v, q, sizeof v);
                if (!same(u, v))
                    return 0;
            }
        }
    }
    return 1;
}

static int money_ok(const struct model_result *r)
{
    const struct money *m = &r->money;
    return m->circulation_fen == m->issued_fen - m->redeemed_fen - m->reclaimed_fen &&
           m->circulation_fen == m->wallets_fen;
}

static void test_money_and_lottery(void)
{
    struct scenario *s = load("tests/data/quick.yaml", NULL, 0);
    if (!s)
        return;
    struct model_result *r = model_run(s, 0, NULL, NULL);
    check(r && r->complete, "quick scenario runs to its horizon");
    if (!r) {
        scenario_free(s);
        return;
    }
    check(money_ok(r), "money: circulation %lld = issued - redeemed - reclaimed = wallets %lld",
          (long long)r->money.circulation_fen, (long long)r->money.wallets_fen);
    check(r->money.issued_fen > 0 && r->money.redeemed_fen > 0, "money flowed in and out");
    const struct intervention_result *o = &r->interventions[0];
    const struct intervention *iv = &s->interventions[0];
    /* Winners are drawn at 1 in `sample`: the count is exact up to the
     * stochastic rounding of envelopes / sample (one simulated winner). */
    check(fabs((double)o->winners - (double)iv->envelopes) <= s->sample,
          "lottery: %lld winners for %lld envelopes", (long long)o->winners,
          (long long)iv->envelopes);
    /* Claims are binomial(winners, claim_share): 4 standard deviations. */
    double n = (double)o->winners / s->sample,
           sd = sqrt(n * iv->claim_share * (1 - iv->claim_share));
    check(fabs((double)o->claimed / s->sample - n * iv->claim_share) <= 4 * sd + 1,
          "lottery: %lld claimed, about %.0f%% of winners", (long long)o->claimed,
          100 * iv->claim_share);
    check(o->registrations > o->winners, "lottery: more registrations than winners");
    /* Every envelope fen is spent or reclaimed (none in flight at the end:
     * the spending window closes before the horizon). */
    check(o->spent_fen + o->reclaimed_fen == o->claimed * iv->amounts_fen[0],
          "lottery: spent %lld + reclaimed %lld = claimed x amount", (long long)o->spent_fen,
          (long long)o->reclaimed_fen);
    check(o->payments > 0 && o->spent_fen > 0, "lottery: winners spent their envelopes");

    /* Determinism: the same seed gives the same rows; another replication differs. */
    struct model_result *again = model_run(s, 0, NULL, NULL);
    struct model_result *other = model_run(s, 1, NULL, NULL);
    check(again && rows_equal(&again->series, &r->series), "the same seed gives identical rows");
    check(other && !rows_equal(&other->series, &r->series), "another replication gives other rows");
    check(other && money_ok(other), "money is conserved in replication 1 too");
    model_result_free(again);
    model_result_free(other);
    model_result_free(r);
    scenario_free(s);
}

/* Failures: a timeout shorter than the service time fails payments, which
 * are refunded, and money still balances. */
static void test_failures(void)
{
    const char *sets[] = {"operators.icbc.timeout=1ms", "operators.abc.timeout=1ms"};
    struct scenario *s = load("tests/data/quick.yaml", sets, 2);
    if (!s)
        return;
    struct model_result *r = model_run(s, 0, NULL, NULL);
    int64_t failed = 0, done = 0;
    for (size_t c = 0; r && c < r->n_cities; c++) {
        failed += r->cities[c].payments_failed;
        done += r->cities[c].payments;
    }
    check(r && failed > 0 && done > 0,
          "a 1 ms timeout fails some payments (%lld failed, %lld done)", (long long)failed,
          (long long)done);
    check(r && money_ok(r), "failed payments are refunded: money balances");
    model_result_free(r);
    scenario_free(s);
}

/* Issue 17, class 8: an event schedule that fails (the engine out of
 * memory) must fail the run, never leave it short of events and report it
 * complete. Each schedule of a small run with every kind of event
 * (tests/data/faults.yaml: set-up, clock, arrivals, hops, timeouts,
 * offline synchronizations, every intervention's phases) fails in turn;
 * the first n that gives a run is past the run's last schedule, so at
 * least one more than its events, and that run is the reference run.
 * Under `make SAN=1 test` this also checks that each failure path frees
 * what it made, and only that. */
static void test_schedule_faults(void)
{
    struct scenario *s = load("tests/data/faults.yaml", NULL, 0);
    if (!s)
        return;
    struct model_result *ref = model_run(s, 0, NULL, NULL), *r = NULL;
    uint64_t n = 1;
    while (n < 100000 && !(r = model_run_fault(s, 0, n)))
        n++;
    int64_t failed = 0, offline = 0;
    for (size_t c = 0; ref && c < ref->n_cities; c++) {
        failed += ref->cities[c].payments_failed;
        offline += ref->cities[c].payments_offline;
    }
    check(ref && ref->complete && failed > 0 && offline > 0,
          "the fault run has timeouts (%lld) and offline payments (%lld)", (long long)failed,
          (long long)offline);
    check(ref && r && n > ref->events,
          "each of its first %llu schedules fails the run (%llu events)", (unsigned long long)n - 1,
          ref ? (unsigned long long)ref->events : 0ull);
    check(ref && r && r->complete && rows_equal(&r->series, &ref->series) && money_ok(r) &&
              r->money.wallets_fen == ref->money.wallets_fen && r->events == ref->events,
          "a fault past the last schedule changes nothing");
    model_result_free(r);
    model_result_free(ref);
    scenario_free(s);
}

/* model_llround against libm's llround where a ticket is rounded: halves,
 * their neighbours, just below each power of two (where t + 0.5 would
 * round up), and random values across [1, 2^60]. */
static void test_llround(void)
{
    int same = 1;
    uint64_t x = 88172645463325252ull;
    for (int k = 0; k < 63; k++) {
        double p = ldexp(1, k), around[] = {p - 0.5, p, p + 0.5};
        for (int j = 0; j < 3; j++) {
            double t = around[j];
            if (t < 1)
                continue;
            same &= model_llround(t) == llround(t);
            same &= model_llround(nextafter(t, 0)) == llround(nextafter(t, 0));
            same &= model_llround(nextafter(t, INFINITY)) == llround(nextafter(t, INFINITY));
        }
    }
    for (int i = 0; i < 1000000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift64 */
        double t = ldexp(1.0 + (double)(x >> 11) * 0x1p-53, (int)(x % 61));
        double half = floor(t) + 0.5;
        same &= model_llround(t) == llround(t) && model_llround(half) == llround(half);
    }
    check(same, "model_llround is llround for every t >= 1 tried");
}

int main(void)
{
    test_plan(26 + (int)test_len(bass_years));
    test_llround();
    test_bass();
    test_boosts();
    test_money_and_lottery();
    test_failures();
    test_schedule_faults();
    return test_done();
}
