/* Each intervention kind and each wallet limit, end to end, on small
 * synthetic scenarios: flat hourly and weekday profiles, so that expected
 * counts have closed forms, and tolerances of 4 standard deviations. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/model.h"
#include "scenario/scenario.h"
#include "test.h"

/* One town of 2,000 people, all holding a class-4 wallet, every shop
 * accepting, every payment in e-CNY to a shop: a rate of `lambda` payments a
 * person a day, flat through the day and the week. */
#define TOWN(lambda, extra)                                                             \
    "name: t\nstart: 2021-01-04\nduration: 10d\nseed: 3\n"                              \
    "adoption: {innovation: 0, imitation: 0}\n"                                         \
    "payments: {per_user_per_day: " lambda ", ecny_preference: 1, transfer_share: 0,\n" \
    "  hourly: [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1],\n"                    \
    "  weekday: [1,1,1,1,1,1,1], ticket: {median: 50, sigma: 0.000001}}\n"              \
    "operators: {bank: {}, other: {}}\n"                                                \
    "cities:\n  town: {population: 2000, smartphone_share: 1, merchants: 50,\n"         \
    "    initial_wallets: 1, initial_accepting: 1, operators: {bank: 0.5, other: 0.5}}\n" extra

static struct model_result *run_text_sets(const char *yaml, const char *const *sets, size_t n_sets,
                                          struct scenario **out)
{
    char path[] = "/tmp/pilotsim-iv-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f)
        return NULL;
    fputs(yaml, f);
    fclose(f);
    struct scenario *s = scenario_load(path, sets, n_sets, stderr);
    unlink(path);
    struct model_result *r = s ? model_run(s, 0, NULL, NULL) : NULL;
    if (out)
        *out = s;
    else
        scenario_free(s);
    return r;
}

static struct model_result *run_text(const char *yaml, struct scenario **out)
{
    return run_text_sets(yaml, NULL, 0, out);
}

static int balanced(const struct model_result *r)
{
    return r && r->money.circulation_fen == r->money.wallets_fen;
}

/* Tickets of exactly 50 yuan against limits of 100 and 49.99 yuan. */
static void test_per_payment(void)
{
    struct model_result *r =
        run_text(TOWN("1", "wallets: {class4: {per_payment: 100, share: 1}}\n"), NULL);
    check(r && r->cities[0].payments > 15000 && r->cities[0].payments_refused == 0,
          "a 50-yuan ticket under a 100-yuan limit: none refused (%lld paid)",
          r ? (long long)r->cities[0].payments : -1LL);
    model_result_free(r);
    r = run_text(TOWN("1", "wallets: {class4: {per_payment: 49.99, share: 1}}\n"), NULL);
    check(r && r->cities[0].payments == 0 && r->cities[0].refused_per_payment > 15000,
          "over the per-payment limit: every payment refused for that reason (%lld)",
          r ? (long long)r->cities[0].refused_per_payment : -1LL);
    check(balanced(r), "refusals move no money");
    model_result_free(r);
}

/* A per-day limit of one ticket: with N ~ Poisson(2) attempts a person-day,
 * E[paid] = 1 - e^-2 and E[refused] = 2 - (1 - e^-2) per person-day. */
static void test_per_day(void)
{
    struct model_result *r =
        run_text(TOWN("2", "wallets: {class4: {per_day: 50, share: 1}}\n"), NULL);
    double days = 2000 * 10.0, paid = days * (1 - exp(-2)), refused = days * (2 - (1 - exp(-2)));
    double got_paid = r ? (double)r->cities[0].payments : 0;
    double got_refused = r ? (double)r->cities[0].refused_per_day : 0;
    check(fabs(got_paid - paid) < 4 * sqrt(paid), "per-day limit: %.0f paid, expected %.0f",
          got_paid, paid);
    check(fabs(got_refused - refused) < 4 * sqrt(refused) + 0.01 * refused,
          "per-day limit: %.0f refused, expected %.0f", got_refused, refused);
    check(r && r->cities[0].refused_per_payment == 0 && r->cities[0].refused_balance == 0,
          "and for no other reason");
    model_result_free(r);
}

/* A balance limit below the ticket: the top-up cannot fit. */
static void test_balance(void)
{
    struct model_result *r =
        run_text(TOWN("1", "wallets: {class4: {balance: 40, share: 1}}\n"), NULL);
    check(r && r->cities[0].payments == 0 && r->cities[0].refused_balance > 15000,
          "a 40-yuan balance cannot hold a 50-yuan payment: refused for balance");
    model_result_free(r);
}

/* A limit change: refused before day 5, paid after. */
static void test_limit_change(void)
{
    struct model_result *r =
        run_text(TOWN("1", "wallets: {class4: {per_payment: 10, share: 1}}\n"
                           "interventions:\n  - {id: raise, kind: wallet_limits, at: 2021-01-09, "
                           "class: 4, per_payment: 2000}\n"),
                 NULL);
    int ok = r != NULL;
    for (size_t i = 0; r && i < r->series.n_rows; i++) {
        const struct ts_row *w = &r->series.rows[i];
        if (w->time_s <= 5 * 86400)
            ok &= w->payments == 0 && w->payments_refused > 0;
        else
            ok &= w->payments > 0 && w->payments_refused == 0;
    }
    check(ok, "wallet_limits: refused every day before the change, none after");
    model_result_free(r);
}

static void test_campaign_and_salary(void)
{
    struct scenario *s = NULL;
    struct model_result *r = run_text(
        "name: t\nstart: 2021-01-04\nduration: 20d\nseed: 5\n"
        "adoption: {innovation: 0, imitation: 0, merchants: {innovation: 0, imitation: 0}}\n"
        "operators: {bank: {}}\n"
        "cities:\n  town: {population: 20000, merchants: 1000}\n"
        "interventions:\n"
        "  - {id: onboard, kind: merchant_campaign, city: town, merchants: 300, subsidy: 500,\n"
        "     window: {from: 2021-01-05, until: 2021-01-15}}\n"
        "  - {id: wages, kind: salary, city: town, at: 2021-01-06T09:00, recipients: 1000,\n"
        "     amount: 3000, every: 7d}\n",
        &s);
    const struct intervention_result *c = r ? &r->interventions[0] : NULL,
                                     *w = r ? &r->interventions[1] : NULL;
    check(c && c->onboarded == 300 && c->subsidy_fen == 300 * 50000,
          "merchant_campaign: 300 onboarded, 500 yuan each (%lld)",
          c ? (long long)c->onboarded : -1LL);
    check(r && r->cities[0].merchants_accepting == 300, "and only they accept (no adoption)");
    /* Paid on days 2, 9 and 16: three payments of 3,000 yuan to 1,000 people. */
    check(w && w->recipients == 1000 && w->new_wallets == 1000 &&
              w->paid_fen == 3LL * 1000 * 300000,
          "salary: 1,000 recipients, wallets opened, 3 x 3,000 yuan each (%lld fen)",
          w ? (long long)w->paid_fen : -1LL);
    check(balanced(r), "money balances with subsidies and salaries");
    model_result_free(r);
    scenario_free(s);
}

/* A salary larger than the class-4 balance limit arrives only up to it. */
static void test_salary_capped(void)
{
    struct model_result *r = run_text(
        "name: t\nstart: 2021-01-04\nduration: 3d\n"
        "payments: {ecny_preference: 0}\n"
        "operators: {bank: {}}\ncities:\n  town: {population: 1000}\n"
        "interventions:\n  - {id: big, kind: salary, city: town, at: 2021-01-05, recipients: 100,\n"
        "     amount: 15000}\n",
        NULL);
    check(r && r->interventions[0].paid_fen == 100LL * 1000000,
          "salary above the 10,000-yuan balance limit: 10,000 each arrives");
    model_result_free(r);
}

static void test_operator_joins(void)
{
    struct model_result *r = run_text(
        "name: t\nstart: 2021-01-04\nduration: 60d\nseed: 2\n"
        "adoption: {innovation: 2, imitation: 0}\n"
        "operators: {bank: {}, late: {}}\n"
        "cities:\n  town: {population: 10000, operators: {bank: 0.5, late: 0.5}}\n"
        "interventions:\n  - {id: join, kind: operator_joins, operator: late, at: 2021-02-03}\n",
        NULL);
    /* Half the wallets opened after the join go to it; about 15% of the town
     * adopts in the 30 days after, so about 700 wallets. */
    int64_t n = r ? r->interventions[0].new_wallets : -1;
    check(n > 400 && n < 1100, "operator_joins: %lld wallets at the late operator", (long long)n);
    model_result_free(r);
    r = run_text(
        "name: t\nstart: 2021-01-04\nduration: 60d\nseed: 2\n"
        "adoption: {innovation: 2, imitation: 0}\n"
        "operators: {bank: {}, late: {}}\n"
        "cities:\n  town: {population: 10000, operators: {bank: 0.5, late: 0.5}}\n"
        "interventions:\n  - {id: join, kind: operator_joins, operator: late, at: 2021-03-05}\n",
        NULL);
    check(r && r->interventions[0].new_wallets == 0, "before it joins, no wallet opens there");
    model_result_free(r);
}

/* A peak triples the rate over two days: its window holds about 3 x 2 days'
 * payments of the flat town. */
static void test_peak(void)
{
    struct model_result *r =
        run_text(TOWN("1", "interventions:\n  - {id: rush, kind: peak, city: town, multiplier: 3,\n"
                           "     window: {from: 2021-01-06, until: 2021-01-08}}\n"),
                 NULL);
    double want = 3 * 2 * 2000.0, got = r ? (double)r->interventions[0].window_payments : 0;
    check(fabs(got - want) < 4 * sqrt(want) + 50,
          "peak x3: %.0f payments in the window, expected %.0f", got, want);
    model_result_free(r);
}

/* The ledger down for an hour with a 10 s timeout: interbank payments in
 * that hour fail; with full capacity none do. */
static void test_outage(void)
{
    struct model_result *r =
        run_text(TOWN("4", "interventions:\n  - {id: down, kind: outage, target: ledger,\n"
                           "     window: {from: 2021-01-06T12:00, until: 2021-01-06T13:00}}\n"),
                 NULL);
    /* 2,000 x 4 / 24 payments an hour, half of them interbank. */
    check(r && r->interventions[0].window_failed > 100 &&
              r->cities[0].payments_failed >= r->interventions[0].window_failed,
          "outage: %lld payments failed in the window",
          r ? (long long)r->interventions[0].window_failed : -1LL);
    check(balanced(r), "failed payments are refunded");
    model_result_free(r);
    r = run_text(TOWN("4",
                      "interventions:\n  - {id: down, kind: outage, target: ledger, capacity: 1,\n"
                      "     window: {from: 2021-01-06T12:00, until: 2021-01-06T13:00}}\n"),
                 NULL);
    check(r && r->cities[0].payments_failed == 0, "at full capacity nothing fails");
    model_result_free(r);
    /* An operator down for an hour: its payers' payments in that hour wait
     * an hour and fail; the event list then holds little but far events. */
    r = run_text(TOWN("4", "interventions:\n  - {id: down, kind: outage, target: bank,\n"
                           "     window: {from: 2021-01-06T12:00, until: 2021-01-06T13:00}}\n"),
                 NULL);
    check(r && r->interventions[0].window_failed > 100, "operator outage: %lld failed",
          r ? (long long)r->interventions[0].window_failed : -1LL);
    model_result_free(r);
}

/* Hardware wallets pay shops offline half the time. */
static void test_offline(void)
{
    struct model_result *r =
        run_text("name: t\nstart: 2021-01-04\nduration: 10d\nseed: 3\n"
                 "adoption: {innovation: 0, imitation: 0}\n"
                 "payments: {per_user_per_day: 1, ecny_preference: 1, transfer_share: 0, "
                 "offline_share: 0.5}\n"
                 "operators: {bank: {}}\n"
                 "cities:\n  town: {population: 2000, smartphone_share: 1, merchants: 50,\n"
                 "    initial_wallets: 1, initial_accepting: 1, hardware_share: 1}\n",
                 NULL);
    double all = r ? (double)r->cities[0].payments : 0,
           off = r ? (double)r->cities[0].payments_offline : 0;
    check(all > 0 && fabs(off / all - 0.5) < 4 * sqrt(0.25 / all), "offline: %.1f%% of payments",
          100 * off / (all > 0 ? all : 1));
    check(balanced(r), "offline payments settle money at once");
    model_result_free(r);
}

/* Transfers: to other people, money conserved even over balance limits. */
static void test_transfers(void)
{
    struct model_result *r =
        run_text(TOWN("1", "wallets: {class4: {balance: 60, share: 1}}\n"), NULL);
    check(r && r->cities[0].transfers == 0, "transfer_share 0: no transfers");
    model_result_free(r);
    r = run_text("name: t\nstart: 2021-01-04\nduration: 10d\nseed: 3\nadoption: {innovation: 0, "
                 "imitation: 0}\n"
                 "payments: {per_user_per_day: 1, ecny_preference: 1, transfer_share: 0.5}\n"
                 "wallets: {class4: {balance: 100, share: 1}}\n"
                 "operators: {bank: {}}\ncities:\n  town: {population: 2000, merchants: 50,\n"
                 "    initial_wallets: 1, initial_accepting: 1}\n",
                 NULL);
    double all = r ? (double)r->cities[0].payments : 0, tr = r ? (double)r->cities[0].transfers : 0;
    check(all > 0 && fabs(tr / all - 0.5) < 0.05, "transfer_share 0.5: %.1f%% transfers",
          100 * tr / (all > 0 ? all : 1));
    check(balanced(r), "transfers over a payee's balance limit go on to its bank: money balances");
    model_result_free(r);
}

/* A leak planted in every payment: the money check must catch it. */
static void test_leak(void)
{
    struct scenario *s = scenario_load("tests/data/quick.yaml", NULL, 0, stderr);
    struct model_result *r = s ? model_run_leaky(s, 0, 1) : NULL;
    check(r && r->money.circulation_fen != r->money.wallets_fen,
          "a planted leak of 1 fen a payment breaks the identity (%lld vs %lld)",
          r ? (long long)r->money.circulation_fen : 0LL, r ? (long long)r->money.wallets_fen : 0LL);
    model_result_free(r);
    scenario_free(s);
}

/* The sums of money are checked: a leak that adds 2^62 fen to a merchant's
 * takings with every payment overflows them within a day, and the run
 * fails (NULL, errno EOVERFLOW) instead of reporting wrapped figures. */
static void test_overflow(void)
{
    struct scenario *s = scenario_load("tests/data/quick.yaml", NULL, 0, stderr);
    errno = 0;
    struct model_result *r = s ? model_run_leaky(s, 0, -(INT64_C(1) << 62)) : NULL;
    int why = errno;
    check(s && !r && why == EOVERFLOW, "an overflowing sum of money fails the run (errno %d)", why);
    model_result_free(r);
    r = s ? model_run_leaky(s, 0, -(INT64_C(1) << 20)) : NULL;
    check(r && r->complete, "a large leak that does not overflow still completes");
    model_result_free(r);
    scenario_free(s);
}

/* A lottery bigger than one random stream: 300,000 registrants and 200,000
 * winners in a city of a million, one simulated person each. Before long
 * runs of draws were chunked, the registrant draws wrapped around their
 * stream (2^17 draws) and, repeating, never found enough distinct people.
 * Registrations are binomial(n, p): 4 standard deviations. At 90% the
 * registrants are drawn by selection sampling instead of rejection. */
#define BIG_LOTTERY(propensity)                                                                 \
    "name: big\nstart: 2021-01-04\nduration: 3d\nseed: 5\nsample: 1\n"                          \
    "payments: {per_user_per_day: 0.01}\n"                                                      \
    "operators: {bank: {}}\n"                                                                   \
    "cities:\n  city: {population: 1000000, smartphone_share: 1, merchants: 1000}\n"            \
    "interventions:\n  - {id: big, kind: lottery, city: city, envelopes: 200000, amount: 10,\n" \
    "     propensity: " propensity ", claim_share: 0.5,\n"                                      \
    "     registration: {from: 2021-01-04T01:00, until: 2021-01-04T02:00},\n"                   \
    "     spending: {from: 2021-01-05, until: 2021-01-06}}\n"

static void test_big_lottery(void)
{
    const double n = 1e6, p[2] = {0.3, 0.9};
    const char *text[2] = {BIG_LOTTERY("0.3"), BIG_LOTTERY("0.9")};
    for (int k = 0; k < 2; k++) {
        struct model_result *r = run_text(text[k], NULL);
        const struct intervention_result *o = r ? &r->interventions[0] : NULL;
        double reg = o ? (double)o->registrations : -1, sd = sqrt(n * p[k] * (1 - p[k]));
        check(o && fabs(reg - n * p[k]) < 4 * sd && o->winners == 200000,
              "lottery at %.0f%%: %.0f registrants (want %.0f +- %.0f), %lld winners", 100 * p[k],
              reg, n * p[k], 4 * sd, o ? (long long)o->winners : -1LL);
        sd = sqrt(200000 * 0.25);
        check(o && fabs((double)o->claimed - 100000) < 4 * sd && o->new_wallets <= o->claimed &&
                  o->new_wallets > 0,
              "and half the winners claim (%lld), opening wallets (%lld)",
              o ? (long long)o->claimed : -1LL, o ? (long long)o->new_wallets : -1LL);
        check(balanced(r), "its money balances");
        model_result_free(r);
    }
}

/* Issue 17, class 10: the bank down from 12:00 to 16:00 on the third day,
 * in hourly buckets. A payment that meets it fails when its timeout (10 s)
 * passes: its failure is in the bucket of its deadline, so each of the
 * four hours shows its own (before, every one waited for 16:00 and they all
 * failed in the hour after, with a one-minute peak of every payment of
 * the outage). The bank then does not serve the payments whose payers gave
 * up, so the hour after the outage is like the hour before: no failures,
 * no phantom peak, the usual latency. Half the payers and a quarter of the
 * payees are at the bank: 3/4 of 2,000 x 4 / 24 payments an hour fail,
 * 4 standard deviations. */
#define TOWN_DOWN(until)                                                               \
    TOWN("4", "step: 1h\ninterventions:\n  - {id: down, kind: outage, target: bank,\n" \
              "     window: {from: 2021-01-06T12:00, until: " until "}}\n")

static void test_outage_hours(void)
{
    struct model_result *r = run_text(TOWN_DOWN("2021-01-06T16:00"), NULL);
    const struct ts_row *row = r ? r->series.rows : NULL;
    check(r && r->series.n_rows == 240, "hourly rows (%zu)", r ? r->series.n_rows : 0);
    if (!r || r->series.n_rows != 240) {
        model_result_free(r);
        return;
    }
    /* row i is the hour ending at i + 1 hours: Jan 6 12:00-13:00 is 60 */
    double want = 0.75 * 2000 * 4 / 24.0;
    int each = 1;
    for (int i = 60; i < 64; i++) {
        each &= fabs((double)row[i].payments_failed - want) < 4 * sqrt(want);
        printf("#   hour ending %02d:00: %lld failed, %lld paid, peak %.3f/s\n", (i + 1) % 24,
               (long long)row[i].payments_failed, (long long)row[i].payments, row[i].tps_peak);
    }
    check(each, "each hour of the outage has its own failures (about %.0f)", want);
    check(row[59].payments_failed == 0 && row[64].payments_failed == 0 &&
              row[65].payments_failed == 0,
          "none in the hour before or the hours after (%lld, %lld)",
          (long long)row[64].payments_failed, (long long)row[65].payments_failed);
    double peak = 0; /* the highest minute of the day before */
    for (int i = 24; i < 48; i++)
        peak = fmax(peak, row[i].tps_peak);
    check(row[64].tps_mean < 1.5 * row[58].tps_mean && row[64].tps_peak <= 1.5 * peak &&
              r->cities[0].tps_peak <= 1.5 * peak,
          "no phantom load after the outage: %.3f/s (the hour before it %.3f/s), peak %.3f/s, "
          "the run's %.3f/s, the day before's %.3f/s",
          row[64].tps_mean, row[58].tps_mean, row[64].tps_peak, r->cities[0].tps_peak, peak);
    check(row[64].latency_p99_ms < 2 * row[40].latency_p99_ms,
          "latency after the outage as the day before: p99 %.1f ms (%.1f ms)",
          row[64].latency_p99_ms, row[40].latency_p99_ms);
    int64_t failed = 0;
    for (int i = 0; i < 240; i++)
        failed += row[i].payments_failed;
    check(failed == r->interventions[0].window_failed && failed == r->cities[0].payments_failed,
          "every failure is the outage's (%lld)", (long long)failed);
    check(balanced(r), "refunded when they fail: money balances");
    model_result_free(r);
}

/* Payments accounted for: each started payment is completed, failed,
 * refused or still in flight at the horizon. An outage lasting to the end
 * of the run fails payments through its last hours (before, none failed
 * and none were reported), and with a timeout longer than what is left of
 * the run, the payments that met it are in flight at the horizon. */
static int64_t unaccounted(const struct model_result *r)
{
    int64_t n = (int64_t)r->payments;
    for (size_t c = 0; c < r->n_cities; c++)
        n -= r->cities[c].payments + r->cities[c].payments_failed + r->cities[c].payments_refused +
             r->cities[c].payments_in_flight;
    return n;
}

static void test_outage_to_the_end(void)
{
    struct model_result *r = run_text(TOWN_DOWN("2021-01-14T00:00"), NULL);
    double want = 0.75 * 2000 * 4 / 24.0 * 12;
    int64_t last = 0;
    for (size_t i = r ? 228 : 0; r && i < 240; i++)
        last += r->series.rows[i].payments_failed;
    check(r && fabs((double)last - want) < 4 * sqrt(want),
          "an outage to the end: its last 12 hours fail %lld payments (about %.0f)",
          (long long)last, want);
    check(r && unaccounted(r) == 0 && balanced(r), "every payment accounted for, money balances");
    model_result_free(r);
    const char *sets[] = {"operators.bank.timeout=2h", "operators.other.timeout=2h"};
    r = run_text_sets(TOWN_DOWN("2021-01-14T00:00"), sets, 2, NULL);
    want = 0.75 * 2000 * 4 / 24.0 * 2;
    check(r && fabs((double)r->cities[0].payments_in_flight - want) < 4 * sqrt(want),
          "a 2 h timeout: the last 2 hours' %lld are in flight at the horizon (about %.0f)",
          r ? (long long)r->cities[0].payments_in_flight : -1LL, want);
    check(r && unaccounted(r) == 0 && balanced(r), "accounted for, and their money is in flight");
    model_result_free(r);
}

int main(void)
{
    test_plan(45);
    test_per_payment();
    test_per_day();
    test_balance();
    test_limit_change();
    test_campaign_and_salary();
    test_salary_capped();
    test_operator_joins();
    test_peak();
    test_outage();
    test_outage_hours();
    test_outage_to_the_end();
    test_offline();
    test_transfers();
    test_leak();
    test_overflow();
    test_big_lottery();
    return test_done();
}
