/* Calibration: the lottery behaviour of the lottery defaults (and
 * scenarios/base/pilot-behaviour.yaml) against the real Futian (Jan 2021)
 * and Suzhou (Dec 2020) lotteries in ../shared/data/calibration.yaml, as a
 * mean over seeds 1-10, with the tolerances of targets.yaml: claims within
 * 2 points, payments within 15%, share spent within 5 points, own money
 * within 25%, online share within 5 points, double-offline users within
 * 30%. Futian's are the targets the defaults were fitted to; Suzhou's are
 * checks, never fitted (docs/model.md, Calibration). */
#include <math.h>
#include <stdio.h>

#include "model/model.h"
#include "scenario/scenario.h"
#include "test.h"

struct outcome {
    double claimed, payments, spent_share, topup_yuan, online_share, offline_users;
};

static struct outcome mean_over_seeds(const char *path)
{
    struct outcome mean = {0};
    char seed[32];
    for (int k = 1; k <= 10; k++) {
        snprintf(seed, sizeof seed, "seed=%d", k);
        const char *sets[] = {seed};
        struct scenario *s = scenario_load(path, sets, 1, stderr);
        struct model_result *r = s ? model_run(s, 0, NULL, NULL) : NULL;
        if (!r) {
            printf("# cannot run %s\n", path);
            scenario_free(s);
            return mean;
        }
        const struct intervention_result *o = &r->interventions[0];
        mean.claimed += o->claimed_share / 10;
        mean.payments += (double)o->payments / 10;
        mean.spent_share += o->spent_share / 10;
        mean.topup_yuan += (double)o->topup_spent_fen / 100 / 10;
        mean.online_share += o->online_share / 10;
        mean.offline_users += (double)o->offline_users / 10;
        model_result_free(r);
        scenario_free(s);
    }
    return mean;
}

int main(void)
{
    test_plan(8);
    /* Futian (fit): 95,628 of 100,000 claimed; 139,794 payments; 18.22 M
     * yuan spent of 95,628 x 200; 1.51 M yuan of own money. */
    struct outcome f = mean_over_seeds("scenarios/futian-2021.yaml");
    check(fabs(f.claimed - 0.95628) <= 0.02, "Futian claims %.2f%% (real 95.63%%, within 2 points)",
          100 * f.claimed);
    check(fabs(f.payments / 139794 - 1) <= 0.15, "Futian payments %.0f (real 139,794, within 15%%)",
          f.payments);
    double real = 18220000.0 / (95628 * 200.0);
    check(fabs(f.spent_share - real) <= 0.05,
          "Futian share spent %.2f%% (real %.2f%%, within 5 points)", 100 * f.spent_share,
          100 * real);
    check(fabs(f.topup_yuan / 1510000 - 1) <= 0.25,
          "Futian own money spent %.2f M yuan (real 1.51 M, within 25%%)", f.topup_yuan / 1e6);

    /* Suzhou (check): 96,614 claimed; 18,968,200 yuan spent, 44.7% online;
     * 536 winners paid double offline. */
    struct outcome z = mean_over_seeds("scenarios/suzhou-2020.yaml");
    check(fabs(z.claimed - 0.96614) <= 0.02, "Suzhou claims %.2f%% (real 96.61%%, within 2 points)",
          100 * z.claimed);
    real = 18968200.0 / (96614 * 200.0);
    check(fabs(z.spent_share - real) <= 0.05,
          "Suzhou share spent %.2f%% (real %.2f%%, within 5 points)", 100 * z.spent_share,
          100 * real);
    check(fabs(z.online_share - 0.447) <= 0.05,
          "Suzhou spent online %.1f%% (real 44.7%%, within 5 points)", 100 * z.online_share);
    check(fabs(z.offline_users / 536 - 1) <= 0.30,
          "Suzhou double-offline users %.0f (real 536, within 30%%)", z.offline_users);
    return test_done();
}
