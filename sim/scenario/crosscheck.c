/* crosscheck.c: rules between an intervention and the rest of the
 * scenario (see crosscheck.h). */
#include "scenario/crosscheck.h"

#include <math.h>

#include "scenario/units.h"

/* A date key (already stored in *at) must lie inside the horizon. */
void crosscheck_inside(struct loader *L, const struct ytree *item, const char *path,
                       const char *key, double at)
{
    const struct ytree *v = ytree_get(item, key, NULL);
    char sub[256], a[UNITS_BUF];

    if (!v || !L->w.origin_ok || !L->duration_ok || (at >= 0 && at <= L->s->duration_s))
        return;
    units_fmt_date(a, L->s->start_unix + (int64_t)at);
    schema_fail(&L->w, &v->mark, schema_path(sub, sizeof sub, path, key),
                "%s is outside the "
                "scenario (expected a date from start to start + duration)",
                a);
}

/* A salary repeats at most daily: `every: 1us` would pay its recipients
 * a million times a second. 0 (the default) pays once. */
void crosscheck_every(struct loader *L, const struct ytree *item, const char *path,
                      const struct intervention *iv)
{
    const struct ytree *v = ytree_get(item, "every", NULL);
    char sub[256], a[UNITS_BUF];

    if (v && iv->every_s > 0 && iv->every_s < SCENARIO_MIN_EVERY_S)
        schema_fail(&L->w, &v->mark, schema_path(sub, sizeof sub, path, "every"),
                    "%s is more "
                    "often than daily (expected 0s for a single payment, or at least 1d)",
                    units_fmt_span(a, iv->every_s));
}

/* Counts against the city they act in. More envelopes, recipients or
 * merchants than the city holds is impossible: an error at the count. More
 * than the run can reach (registrants, smartphone owners, merchants not yet
 * accepting) is trimmed by the model: a warning says by how much. A
 * lottery's default merchants (10,000) become the city's own when it has
 * fewer, so that the resolved scenario says what runs. */
void crosscheck_counts(struct loader *L, const struct ytree *item, const char *path,
                       struct intervention *iv)
{
    const struct city_spec *c;
    const char *key = iv->kind == INTERVENTION_LOTTERY  ? "envelopes"
                      : iv->kind == INTERVENTION_SALARY ? "recipients"
                                                        : "merchants";
    const struct ytree *v = ytree_get(item, key, NULL), *mv = ytree_get(item, "merchants", NULL);
    char sub[256];
    double smart, reach;

    if (iv->city < 0 || (size_t)iv->city >= L->s->n_cities || !v)
        return;
    c = &L->s->cities[iv->city];
    smart = floor((double)c->population * c->smartphone_share);
    schema_path(sub, sizeof sub, path, key);
    switch (iv->kind) {
    case INTERVENTION_LOTTERY:
        /* registrants: propensity x population, among smartphone owners */
        reach = floor(fmin(iv->propensity * (double)c->population, smart));
        if (iv->envelopes > c->population)
            schema_fail(&L->w, &v->mark, sub,
                        "%lld envelopes in a city of %lld people "
                        "(expected at most the city's population)",
                        (long long)iv->envelopes, (long long)c->population);
        else if ((double)iv->envelopes > reach)
            loader_warn(L,
                        "%s: %lld envelopes, but about %.0f people register (propensity "
                        "%g of %lld, smartphone owners only): about %.0f envelopes are not "
                        "awarded",
                        sub, (long long)iv->envelopes, reach, iv->propensity,
                        (long long)c->population, (double)iv->envelopes - reach);
        schema_path(sub, sizeof sub, path, "merchants");
        if (mv && iv->merchants > c->merchants)
            schema_fail(&L->w, &mv->mark, sub,
                        "%lld merchants in a city of %lld merchants "
                        "(expected at most the city's merchants)",
                        (long long)iv->merchants, (long long)c->merchants);
        else if (!mv && iv->merchants > c->merchants) /* the default: every merchant */
            iv->merchants = c->merchants;
        return;
    case INTERVENTION_SALARY:
        if (iv->recipients > c->population)
            schema_fail(&L->w, &v->mark, sub,
                        "%lld recipients in a city of %lld people "
                        "(expected at most the city's population)",
                        (long long)iv->recipients, (long long)c->population);
        else if ((double)iv->recipients > smart)
            loader_warn(L,
                        "%s: %lld recipients, but only the city's about %.0f smartphone "
                        "owners can hold a wallet: about %.0f are not paid",
                        sub, (long long)iv->recipients, smart, (double)iv->recipients - smart);
        return;
    case INTERVENTION_MERCHANT_CAMPAIGN:
        reach = floor((double)c->merchants * (1 - c->initial_accepting));
        if (iv->merchants > c->merchants)
            schema_fail(&L->w, &v->mark, sub,
                        "%lld merchants in a city of %lld merchants "
                        "(expected at most the city's merchants)",
                        (long long)iv->merchants, (long long)c->merchants);
        else if ((double)iv->merchants > reach)
            loader_warn(L,
                        "%s: %lld merchants, but about %.0f of the city's %lld do not "
                        "accept e-CNY at the start: the campaign onboards at most those",
                        sub, (long long)iv->merchants, reach, (long long)c->merchants);
        return;
    default:
        return;
    }
}

/* Merchant campaigns of one city together: each may fit while their sum
 * does not, and the later ones then onboard fewer. */
void crosscheck_campaigns(struct loader *L)
{
    const struct scenario *s = L->s;
    size_t c, i;

    for (c = 0; c < s->n_cities; c++) {
        const struct city_spec *cs = &s->cities[c];
        double reach = floor((double)cs->merchants * (1 - cs->initial_accepting)), sum = 0;
        int n = 0;
        for (i = 0; i < s->n_interventions; i++)
            if (s->interventions[i].kind == INTERVENTION_MERCHANT_CAMPAIGN &&
                s->interventions[i].city == (int)c) {
                sum += (double)s->interventions[i].merchants;
                n++;
            }
        if (n > 1 && sum > reach)
            loader_warn(L,
                        "cities.%s: its %d merchant campaigns onboard %.0f merchants in "
                        "all, but about %.0f do not accept e-CNY at the start: the later "
                        "campaigns onboard fewer",
                        cs->id, n, sum, reach);
    }
}
