/* reach: a lottery winner's spending rate and online share (reach.h). */
#include "scenario/reach.h"

/* Store reach is d / (d + merchant_half) for d participating stores per
 * 10,000 people (a winner spends sooner where a participating store is
 * near, and once one is near everyone more add little); an online
 * marketplace adds online_weight occasions on top (anywhere, any time), so
 * the online share emerges as online / (stores + online) and the rate
 * rises with it. A fixed online_share (> 0) keeps the split and implies
 * the marketplace. */
double reach_spend_rate(const struct scenario *s, const struct intervention *iv, double *online)
{
    const struct city_spec *c = &s->cities[iv->city];
    double stores = (double)(iv->merchants < c->merchants ? iv->merchants : c->merchants);
    double d = 1e4 * stores / (double)c->population;
    double near = d / (d + iv->merchant_half);
    double web = iv->online || iv->online_share > 0 ? iv->online_weight : 0;
    if (online)
        *online = iv->online_share > 0 ? iv->online_share : near + web > 0 ? web / (near + web) : 0;
    return iv->spend_rate * (near + web);
}
