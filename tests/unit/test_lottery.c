/* A lottery's spending responds to what it should (docs/model.md,
 * Red-envelope lotteries): the share spent rises with the participating
 * merchants and with an online channel, the online share emerges from the
 * two, winners who differ spend less of the money than alike winners of
 * the same mean rate, and the offline wallets are what double-offline
 * users come from. Synthetic towns with flat hourly and weekday profiles;
 * tolerances are standard deviations of the claimers' binomial shares. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "model/model.h"
#include "scenario/scenario.h"
#include "test.h"

/* A city of 4 M people and 400,000 stores at one in ten, a lottery of
 * 40,000 envelopes of 100 yuan (4,000 simulated claimers) spent over two
 * days: short enough that the share spent is far from 1. `extra` ends the
 * lottery's mapping. */
#define TOWN(extra)                                                                           \
    "name: t\nstart: 2021-01-04\nduration: 6d\nseed: 7\nsample: 10\n"                         \
    "adoption: {innovation: 0, imitation: 0}\n"                                               \
    "payments: {per_user_per_day: 0.01, offline_share: 1,\n"                                  \
    "  hourly: [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1],\n"                          \
    "  weekday: [1,1,1,1,1,1,1]}\n"                                                           \
    "operators: {bank: {}}\n"                                                                 \
    "cities:\n  town: {population: 4000000, smartphone_share: 1, merchants: 400000}\n"        \
    "interventions:\n  - {id: l, kind: lottery, city: town, envelopes: 40000, amount: 100,\n" \
    "     claim_share: 1, registration: {from: 2021-01-04T01:00, until: 2021-01-04T02:00},\n" \
    "     spending: {from: 2021-01-05, until: 2021-01-07}" extra "}\n"

static struct model_result *run(const char *const *sets, size_t n_sets)
{
    char path[] = "/tmp/pilotsim-lottery-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f)
        return NULL;
    fputs(TOWN(""), f);
    fclose(f);
    struct scenario *s = scenario_load(path, sets, n_sets, stderr);
    unlink(path);
    struct model_result *r = s ? model_run(s, 0, NULL, NULL) : NULL;
    scenario_free(s);
    return r;
}

/* The lottery's outcome under `merchants` and `online` (and one more key). */
static struct intervention_result outcome(long merchants, int online, const char *more)
{
    char m[64], o[64];
    snprintf(m, sizeof m, "interventions.l.merchants=%ld", merchants);
    snprintf(o, sizeof o, "interventions.l.online=%s", online ? "true" : "false");
    const char *sets[] = {m, o, more ? more : "seed=7"};
    struct model_result *r = run(sets, 3);
    struct intervention_result x = {.spent_share = -1};
    if (r)
        x = r->interventions[0];
    model_result_free(r);
    return x;
}

/* The standard deviation of a difference of two shares of n claimers. */
static double sd_diff(double a, double b, double n)
{
    return sqrt((a * (1 - a) + b * (1 - b)) / n);
}

/* Merchants 100 -> 400,000, without and with an online marketplace: the
 * share spent rises with each (reach d / (d + 1) for d stores per 10,000
 * people: 0.2 at 100 stores, 0.999 at 400,000), and where the rise is
 * smaller than the noise it must not fall by more than 3 of its sds. */
static void test_sweep(void)
{
    static const long count[] = {100, 1000, 10000, 100000, 400000};
    enum { N = sizeof count / sizeof count[0] };
    struct intervention_result x[2][N];
    const double claimers = 4000;
    for (int on = 0; on < 2; on++)
        for (int k = 0; k < N; k++)
            x[on][k] = outcome(count[k], on, NULL);
    for (int on = 0; on < 2; on++) {
        for (int k = 1; k < N; k++) {
            double a = x[on][k - 1].spent_share, b = x[on][k].spent_share;
            check(b > a - 3 * sd_diff(a, b, claimers),
                  "online %s: share spent %.2f%% at %ld merchants, %.2f%% at %ld: no fall",
                  on ? "on" : "off", 100 * a, count[k - 1], 100 * b, count[k]);
        }
        double a = x[on][0].spent_share, b = x[on][N - 1].spent_share;
        check(b > a + 0.10, "online %s: share spent rises from %.2f%% to %.2f%% (100 -> 400,000)",
              on ? "on" : "off", 100 * a, 100 * b);
    }
    for (int k = 0; k < N; k++) {
        double a = x[0][k].spent_share, b = x[1][k].spent_share;
        check(b > a + 3 * sd_diff(a, b, claimers) && x[0][k].online_share == 0,
              "%ld merchants: an online channel raises the share spent (%.2f%% -> %.2f%%)",
              count[k], 100 * a, 100 * b);
    }
    /* The online share emerges: 0.6 / (reach + 0.6), 75% at 100 stores
     * and 37.5% at 400,000; a share of about 3,000 payments' money. */
    double lo = 0.6 / (0.2 + 0.6), hi = 0.6 / (1000.0 / 1001 + 0.6);
    double sd = sqrt(0.25 / 3000);
    check(fabs(x[1][0].online_share - lo) < 4 * sd && fabs(x[1][N - 1].online_share - hi) < 4 * sd,
          "online share %.1f%% at 100 merchants (want %.1f%%), %.1f%% at 400,000 (want %.1f%%)",
          100 * x[1][0].online_share, 100 * lo, 100 * x[1][N - 1].online_share, 100 * hi);
}

/* Winners who differ (spend_sigma 1.5) spend less of the money than alike
 * winners of the same mean rate (spend_sigma 0): 1 - E[e^{-x r t}] is below
 * 1 - e^{-r t} (Jensen), here by about 20 points; habits that differ
 * (mean 1 too) enter the eagerness alike. */
static void test_heterogeneity(void)
{
    struct intervention_result a = outcome(400000, 0, "interventions.l.spend_sigma=0");
    struct intervention_result b = outcome(400000, 0, "interventions.l.spend_sigma=1.5");
    check(b.spent_share < a.spent_share - 3 * sd_diff(a.spent_share, b.spent_share, 4000),
          "winners who differ spend less: %.2f%% (sigma 1.5) against %.2f%% (sigma 0)",
          100 * b.spent_share, 100 * a.spent_share);
    /* The winners' habits (people.activity_sigma) spread them the same way. */
    struct intervention_result d = outcome(400000, 0, NULL);
    struct intervention_result c = outcome(400000, 0, "people.activity_sigma=1.5");
    check(c.spent_share < d.spent_share - 3 * sd_diff(d.spent_share, c.spent_share, 4000),
          "and so do winners whose habits differ: %.2f%% (activity sigma 1.5) against %.2f%% (0)",
          100 * c.spent_share, 100 * d.spent_share);
}

/* Offline wallets: none, no double-offline users; 2,000 (200 simulated),
 * each store payment offline (offline_share 1): every one of them that
 * paid a store counts once, so between none and all of them, and more
 * than half (each spends about once in two days at rate 0.49 x 0.999). */
static void test_offline(void)
{
    struct intervention_result a = outcome(400000, 1, NULL);
    struct intervention_result b = outcome(400000, 0, "interventions.l.offline_wallets=2000");
    check(a.offline_users == 0, "no offline wallets, no double-offline users (%lld)",
          (long long)a.offline_users);
    check(b.offline_users > 800 && b.offline_users <= 2000,
          "2,000 offline wallets: %lld paid double offline", (long long)b.offline_users);
}

int main(void)
{
    test_plan(20);
    test_sweep();
    test_heterogeneity();
    test_offline();
    return test_done();
}
