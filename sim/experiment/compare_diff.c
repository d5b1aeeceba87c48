/* compare_diff: a plan's differences from the baseline (compare_diff.h).
 *
 * What is compared is a list (cities, then the model's behaviour, then the
 * interventions); adding a parameter an analyst sets is one line below.
 * Each difference is formatted into a local buffer and handed on whole. */
#include "experiment/compare_diff.h"

#include <stdio.h>
#include <string.h>

#include "output/report.h"

#define TEXT_MAX 512

void compare_diff_date(const struct scenario *s, double t, char out[32])
{
    report_time(s, t, out);
    out[10] = '\0';
}

/* The differences found so far, and where they go. */
struct found {
    size_t n;
    void (*each)(void *ctx, const char *text);
    void *ctx;
};

/* Count one difference and hand its text on. */
static void found(struct found *f, const char *text)
{
    f->n++;
    if (f->each)
        f->each(f->ctx, text);
}

/* "what: A → B" for a number that differs. */
static void number(struct found *f, const char *what, double a, double b)
{
    char text[TEXT_MAX + 64];
    if (a == b)
        return;
    snprintf(text, sizeof text, "%s: %g → %g", what, a, b);
    found(f, text);
}

/* An integer with thousands separators: 310,000. */
static const char *grouped(char buf[32], long long v)
{
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%lld", v < 0 ? -v : v), k = 0;
    if (v < 0)
        buf[k++] = '-';
    for (int i = 0; i < n; i++) {
        buf[k++] = digits[i];
        if ((n - i - 1) % 3 == 0 && i + 1 < n)
            buf[k++] = ',';
    }
    buf[k] = '\0';
    return buf;
}

/* A city's display name; interventions without a city apply to all. */
static const char *city_name(const struct scenario *s, int city)
{
    return city >= 0 && (size_t)city < s->n_cities ? s->cities[city].name : "every city";
}

/* An intervention in a few words: its kind, id and city, and for the kinds
 * a rollout plan is made of, its size and dates. */
static void describe(char *buf, size_t n, const struct scenario *s, const struct intervention *iv)
{
    char from[32], until[32], reg[32], a[32], b[32];
    int k = snprintf(buf, n, "%s %s in %s",
                     iv->kind == INTERVENTION_MERCHANT_CAMPAIGN ? "merchant campaign"
                                                                : scenario_kind_name(iv->kind),
                     iv->id, city_name(s, iv->city));
    if (k < 0 || (size_t)k >= n)
        return;
    buf += k, n -= (size_t)k;
    if (iv->kind == INTERVENTION_LOTTERY) {
        compare_diff_date(s, iv->registration_from_s, reg);
        compare_diff_date(s, iv->spend_from_s, from);
        compare_diff_date(s, iv->spend_until_s, until);
        snprintf(buf, n, " (%s envelopes of %g yuan, registration from %s, spent %s to %s)",
                 grouped(a, iv->envelopes), iv->n_amounts ? (double)iv->amounts_fen[0] / 100 : 0.0,
                 reg, from, until);
    } else if (iv->kind == INTERVENTION_MERCHANT_CAMPAIGN) {
        compare_diff_date(s, iv->from_s, from);
        compare_diff_date(s, iv->until_s, until);
        snprintf(buf, n, " (%s merchants paid %g yuan each, %s to %s)", grouped(a, iv->merchants),
                 (double)iv->subsidy_fen / 100, from, until);
    } else if (iv->kind == INTERVENTION_SALARY) {
        compare_diff_date(s, iv->at_s, from);
        snprintf(buf, n, " (%s people paid %s yuan from %s)", grouped(a, iv->recipients),
                 grouped(b, (long long)(iv->amount_fen / 100)), from);
    }
}

/* Interventions are matched across plans by id. */
static const struct intervention *find(const struct scenario *s, const char *id)
{
    for (size_t i = 0; i < s->n_interventions; i++)
        if (strcmp(s->interventions[i].id, id) == 0)
            return &s->interventions[i];
    return NULL;
}

/* Do two interventions of the same id differ in what a plan sets? */
static int differs(const struct intervention *a, const struct intervention *b)
{
    if (a->kind != b->kind || a->city != b->city || a->envelopes != b->envelopes ||
        a->n_amounts != b->n_amounts || a->spend_from_s != b->spend_from_s ||
        a->spend_until_s != b->spend_until_s || a->registration_from_s != b->registration_from_s ||
        a->registration_until_s != b->registration_until_s || a->propensity != b->propensity ||
        a->claim_share != b->claim_share || a->spend_rate != b->spend_rate ||
        a->spend_sigma != b->spend_sigma || a->merchant_half != b->merchant_half ||
        a->online != b->online || a->online_weight != b->online_weight ||
        a->online_share != b->online_share || a->offline_wallets != b->offline_wallets ||
        a->ticket_ratio != b->ticket_ratio || a->ticket_sigma != b->ticket_sigma ||
        a->merchants != b->merchants || a->subsidy_fen != b->subsidy_fen ||
        a->from_s != b->from_s || a->until_s != b->until_s || a->at_s != b->at_s ||
        a->every_s != b->every_s || a->recipients != b->recipients ||
        a->amount_fen != b->amount_fen || a->multiplier != b->multiplier ||
        a->capacity != b->capacity ||
        a->operator!= b->operator|| a->adoption_boost != b->adoption_boost)
        return 1;
    for (size_t i = 0; i < a->n_amounts; i++)
        if (a->amounts_fen[i] != b->amounts_fen[i])
            return 1;
    return 0;
}

/* The cities' openings, adoption coefficients and sizes. */
static void cities(struct found *f, const struct scenario *a, const struct scenario *b)
{
    char text[TEXT_MAX], da[32], db[32];
    for (size_t i = 0; i < a->n_cities && i < b->n_cities; i++) {
        const struct city_spec *x = &a->cities[i], *y = &b->cities[i];
        compare_diff_date(a, x->pilot_start_s, da);
        compare_diff_date(b, y->pilot_start_s, db);
        if (strcmp(da, db) != 0) {
            snprintf(text, sizeof text, "%s opens: %s → %s", y->name, da, db);
            found(f, text);
        }
        static const char *const what[] = {"Bass p",    "Bass q",     "population",
                                           "merchants", "corporates", "smartphone share"};
        const double va[] = {x->innovation,        x->imitation,          (double)x->population,
                             (double)x->merchants, (double)x->corporates, x->smartphone_share};
        const double vb[] = {y->innovation,        y->imitation,          (double)y->population,
                             (double)y->merchants, (double)y->corporates, y->smartphone_share};
        for (size_t k = 0; k < sizeof what / sizeof what[0]; k++) {
            snprintf(text, sizeof text, "%s's %s", y->name, what[k]);
            number(f, text, va[k], vb[k]);
        }
    }
}

/* Interventions added or changed (in the plan's order), then dropped. */
static void interventions(struct found *f, const struct scenario *a, const struct scenario *b)
{
    char text[3 * TEXT_MAX], was[TEXT_MAX], is[TEXT_MAX];
    for (size_t i = 0; i < b->n_interventions; i++) {
        const struct intervention *y = &b->interventions[i], *x = find(a, y->id);
        if (x && !differs(x, y))
            continue;
        describe(is, sizeof is, b, y);
        if (x) {
            describe(was, sizeof was, a, x);
            snprintf(text, sizeof text, "changed: %s → %s%s", was, is,
                     strcmp(was, is) == 0 ? " (in a parameter not shown here: see scenario.yaml)"
                                          : "");
        } else
            snprintf(text, sizeof text, "added: %s", is);
        found(f, text);
    }
    for (size_t i = 0; i < a->n_interventions; i++)
        if (!find(b, a->interventions[i].id)) {
            describe(was, sizeof was, a, &a->interventions[i]);
            snprintf(text, sizeof text, "dropped: %s", was);
            found(f, text);
        }
}

size_t compare_diff_list(const struct scenario *a, const struct scenario *b,
                         void (*each)(void *ctx, const char *text), void *ctx)
{
    struct found f = {0, each, ctx};
    cities(&f, a, b);
    number(&f, "merchant effect", a->merchant_effect, b->merchant_effect);
    number(&f, "merchants' Bass p", a->merchant_innovation, b->merchant_innovation);
    number(&f, "merchants' Bass q", a->merchant_imitation, b->merchant_imitation);
    number(&f, "corporate wallets' Bass p", a->corp_innovation, b->corp_innovation);
    number(&f, "corporate wallets' Bass q", a->corp_imitation, b->corp_imitation);
    number(&f, "corporate payments per wallet per day", a->corp_per_wallet_per_day,
           b->corp_per_wallet_per_day);
    number(&f, "e-CNY preference", a->ecny_preference, b->ecny_preference);
    number(&f, "payments per person per day", a->payments_per_day, b->payments_per_day);
    number(&f, "sample (1 simulated in k)", a->sample, b->sample);
    interventions(&f, a, b);
    return f.n;
}
