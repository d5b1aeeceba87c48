/* budget.c: estimates of memory and events before a command starts, and
 * the refusal of what exceeds the machine (budget.h).
 *
 * A run's memory is what model.c allocates, sized by model_footprint: the
 * people (their places), the wallets that open (mean-field adoption, plus
 * the wallets lotteries and salaries open), the merchants, the payments in
 * flight at the peak rate for a timeout, the time series (a row per bucket
 * and city, with the slack of a doubling array), and the per-city, per-day
 * counts. Its events: four a payment (the arrival and up to three hops), a
 * tick per bucket, day and hour, a credit per salary recipient and payment
 * day, and a step per adopter. The mean-field follows adoption.c's hazards
 * day by day, h = (p + q F)(1 + e A) B for people (B the boosts in force)
 * and p_m + q_m F for merchants, the adopters' activity when they are drawn
 * by it, and payments.c's rate (the holders' activity x A^kappa) and
 * corporate.c's (G^gamma); it is an estimate, within tens of percent of
 * measured runs (tests/unit/test_budget.c), not a second model. */
#include "experiment/budget.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "experiment/cpus.h"
#include "metrics/metrics.h"
#include "loadtest/loadtest.h"
#include "model/habits.h"
#include "model/model.h"
#include "metrics/catalog.h"
#include "metrics/outcome.h"
#include "scenario/reach.h"
#include "scenario/units.h"

#define DAY_S 86400.0
#define YEAR_DAYS 365.0
#define EVENTS_PER_PAYMENT 4.0     /* the arrival and up to three hops */
#define BASE_BYTES (8.0 * 1048576) /* the process, the engine's first blocks, libraries */
#define HIST_BYTES ((double)sizeof(struct hist))

/* Add a memory part (parts beyond the table fold into the last one). */
static void add_part(struct budget *b, double bytes, const char *fix, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void add_part(struct budget *b, double bytes, const char *fix, const char *fmt, ...)
{
    struct budget_part *p;
    va_list ap;
    if (b->n == BUDGET_MAX_PARTS) {
        b->part[b->n - 1].bytes += bytes;
        return;
    }
    p = &b->part[b->n++];
    va_start(ap, fmt);
    vsnprintf(p->what, sizeof p->what, fmt, ap);
    va_end(ap);
    p->bytes = bytes;
    p->fix = fix;
}

/* Record a source of events; the largest names the cause. */
static void add_events(struct budget *b, double events, const char *fix, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void add_events(struct budget *b, double events, const char *fix, const char *fmt, ...)
{
    va_list ap;
    b->events += events;
    if (events <= b->events_largest)
        return;
    b->events_largest = events;
    va_start(ap, fmt);
    vsnprintf(b->events_what, sizeof b->events_what, fmt, ap);
    va_end(ap);
    b->events_fix = fix;
}

/* A span for messages, in the largest unit it reaches: 100y, 1.5h, 30s. */
static char *span_of(char *buf, double sec)
{
    static const struct {
        const char *unit;
        double s;
    } u[] = {{"y", 365 * DAY_S}, {"d", DAY_S}, {"h", 3600}, {"m", 60}, {"s", 1}, {"ms", 1e-3}};
    size_t i = 0;
    while (i < sizeof u / sizeof u[0] - 1 && sec < u[i].s)
        i++;
    snprintf(buf, UNITS_BUF, "%.3g%s", sec / u[i].s, u[i].unit);
    return buf;
}

double budget_bytes(const struct budget *b)
{
    double sum = 0;
    for (size_t i = 0; i < b->n; i++)
        sum += b->part[i].bytes;
    return sum;
}

/* ---- one run of the model ---- */

/* What one city does over the horizon, by the mean-field. */
struct city_estimate {
    double people, smart, merchants; /* simulated */
    double holders_peak;             /* most wallets open at once */
    double adopters;                 /* wallets opened during the run */
    double payments;                 /* e-CNY payments, regular and envelope */
    double credits;                  /* salary credits (recipient x payment) */
    double peak_rate;                /* highest arrival rate, per second */
};

/* What the interventions of a city do, day by day. */
struct city_days {
    double *mult;    /* [days] the peaks' rate multiplier */
    double *opened;  /* [days] wallets opened by lotteries and salaries */
    double *spend;   /* [days] envelope payments */
    double *boost;   /* [days] the adoption boosts in force */
    double *onboard; /* [days] merchants onboarded by campaigns (share) */
    double *work;    /* [days] the day's events are added here; NULL: not kept */
    double *held;    /* [days] with work: the day's wallets held are added here */
};
#define CITY_DAYS_ARRAYS 5

/* The share of day [t0, t0 + 1 d) that [from, until) covers. */
static double overlap(double t0, double from, double until)
{
    double a = fmax(t0, from), z = fmin(t0 + DAY_S, until);
    return z > a ? (z - a) / DAY_S : 0;
}

/* The first day an intervention at `at_s` acts on, within [0, days). */
static size_t day_of(double at_s, size_t days)
{
    return (size_t)fmin((double)days - 1, fmax(0, floor(at_s / DAY_S)));
}

/* A lottery's winners (wallets opened) and their envelope spending. */
static void city_lottery(const struct scenario *s, const struct intervention *iv,
                         const struct city_estimate *e, size_t days, struct city_days *cd)
{
    double reg = fmin(iv->propensity * e->people, e->smart);
    double won = fmin((double)iv->envelopes / s->sample, reg) * iv->claim_share;
    /* A payment is a lognormal multiple (ticket_ratio) of the envelope
     * money left: it empties the envelope, and its winner stops spending,
     * with probability P(ratio e^(sigma Z) >= 1). */
    double empties = iv->ticket_sigma > 0
                         ? 0.5 * erfc(-log(iv->ticket_ratio) / iv->ticket_sigma / sqrt(2))
                         : iv->ticket_ratio >= 1;
    double rate = reach_spend_rate(s, iv, NULL);
    cd->opened[day_of(iv->registration_until_s, days)] += won;
    for (size_t d = (size_t)fmax(0, floor(iv->spend_from_s / DAY_S));
         d < days && (double)d * DAY_S < iv->spend_until_s && won > 0; d++) {
        double pays =
            won * -expm1(-rate * overlap((double)d * DAY_S, iv->spend_from_s, iv->spend_until_s));
        cd->spend[d] += pays;
        won -= pays * fmax(empties, 1e-3);
    }
}

/* Fill cd for city c from the scenario's interventions (the model's
 * interventions.c): peaks, lotteries, salaries, campaigns and the adoption
 * boosts of operators joining (every city) and the app opening. */
static void city_interventions(const struct scenario *s, size_t c, struct city_estimate *e,
                               size_t days, struct city_days *cd)
{
    for (size_t d = 0; d < days; d++)
        cd->mult[d] = cd->boost[d] = 1, cd->opened[d] = cd->spend[d] = cd->onboard[d] = 0;
    for (size_t i = 0; i < s->n_interventions; i++) {
        const struct intervention *iv = &s->interventions[i];
        int all = iv->kind == INTERVENTION_OPERATOR_JOINS; /* boosts every city */
        if (!all && iv->city >= 0 && (size_t)iv->city != c)
            continue;
        if (iv->kind == INTERVENTION_PEAK) {
            for (size_t d = (size_t)fmax(0, floor(iv->from_s / DAY_S));
                 d < days && (double)d * DAY_S < iv->until_s; d++)
                cd->mult[d] *=
                    1 + (iv->multiplier - 1) * overlap((double)d * DAY_S, iv->from_s, iv->until_s);
        } else if (iv->kind == INTERVENTION_LOTTERY && iv->city >= 0) {
            city_lottery(s, iv, e, days, cd);
        } else if (iv->kind == INTERVENTION_SALARY && iv->city >= 0) {
            double n = fmin((double)iv->recipients / s->sample, e->smart);
            double pays = 1 + (iv->every_s > 0 ? floor((iv->until_s - iv->at_s) / iv->every_s) : 0);
            cd->opened[day_of(iv->at_s, days)] += n;
            e->credits += n * fmax(pays, 1);
        } else if ((all || iv->kind == INTERVENTION_APP_OPENS) && iv->adoption_boost > 0) {
            /* the boost holds from its day (from the start when dated before) */
            for (size_t d = iv->at_s > 0 ? day_of(iv->at_s, days) : 0; d < days; d++)
                cd->boost[d] *= iv->adoption_boost;
        } else if (iv->kind == INTERVENTION_MERCHANT_CAMPAIGN && iv->city >= 0 &&
                   e->merchants > 1) {
            double share = (double)iv->merchants / s->sample / (e->merchants - 1);
            for (size_t d = 0; d < days; d++)
                cd->onboard[d] += share * overlap((double)d * DAY_S, iv->from_s, iv->until_s) *
                                  DAY_S / fmax(DAY_S, iv->until_s - iv->from_s);
        }
    }
}

/* People by activity (habits.h: exp(mu + sigma Z), Z a standard normal
 * truncated at +-3), in bins of Z: those without a wallet yet, and the
 * activity the holders add to their city's payment stream. Adopters are
 * drawn with weight activity^bias (adoption.activity_bias), without
 * replacement: in the mean-field a bin keeps exp(-theta w) of its people,
 * theta set so that the day's adopters leave (successive sampling). */
#define ACTIVITY_BINS 61
struct activity {
    double left[ACTIVITY_BINS];   /* people without a wallet, by bin */
    double act[ACTIVITY_BINS];    /* a person's activity in the bin */
    double weight[ACTIVITY_BINS]; /* activity^bias: the adopter draw's weight */
    double holders_activity;      /* the holders' activity summed */
};

static void activity_init(struct activity *a, const struct scenario *s, double owners)
{
    double sum = 0, mean = 0;
    for (int j = 0; j < ACTIVITY_BINS; j++) {
        double z = HABITS_TRUNCATION * (2.0 * j / (ACTIVITY_BINS - 1) - 1);
        a->left[j] = exp(-z * z / 2);
        a->act[j] = exp(s->activity_sigma * z);
        sum += a->left[j];
        mean += a->left[j] * a->act[j];
    }
    for (int j = 0; j < ACTIVITY_BINS; j++) { /* mean activity 1, as habits_init */
        a->act[j] /= mean / sum;
        a->left[j] *= owners / sum;
        a->weight[j] = s->activity_bias > 0 ? pow(a->act[j], s->activity_bias) : 1;
    }
    a->holders_activity = 0;
}

/* n of the people left open a wallet: drawn by weight (biased) or
 * uniformly (lottery winners, salary recipients, the initial wallets). */
static void activity_open(struct activity *a, double n, int biased)
{
    double left = 0, lo = 0, hi = 1;
    for (int j = 0; j < ACTIVITY_BINS; j++)
        left += a->left[j];
    if (!(n > 0) || !(left > 0))
        return;
    if (n >= left) {
        for (int j = 0; j < ACTIVITY_BINS; j++)
            a->holders_activity += a->left[j] * a->act[j], a->left[j] = 0;
        return;
    }
    if (!biased) {
        for (int j = 0; j < ACTIVITY_BINS; j++) {
            a->holders_activity += a->left[j] * n / left * a->act[j];
            a->left[j] -= a->left[j] * n / left;
        }
        return;
    }
    /* The people taken, sum of left (1 - exp(-theta w)), grow with theta:
     * bracket, then bisect. */
    for (;;) {
        double taken = 0;
        for (int j = 0; j < ACTIVITY_BINS; j++)
            taken += a->left[j] * -expm1(-hi * a->weight[j]);
        if (taken >= n || hi > 1e12)
            break;
        lo = hi, hi *= 4;
    }
    for (int it = 0; it < 60; it++) {
        double mid = (lo + hi) / 2, taken = 0;
        for (int j = 0; j < ACTIVITY_BINS; j++)
            taken += a->left[j] * -expm1(-mid * a->weight[j]);
        *(taken < n ? &lo : &hi) = mid;
    }
    for (int j = 0; j < ACTIVITY_BINS; j++) {
        double out = a->left[j] * -expm1(-hi * a->weight[j]);
        a->holders_activity += out * a->act[j];
        a->left[j] -= out;
    }
}

/* The day's step of the mean-field, over `pending` open days. */
struct city_state_mf {
    double F, A, G; /* shares: owners holding, stores accepting, corporates holding */
    double holders;
};

static void estimate_step(const struct scenario *s, const struct city_spec *cs,
                          struct city_state_mf *x, struct activity *act, double smart, double boost,
                          double pending)
{
    double h = (cs->innovation + cs->imitation * x->F) * (1 + s->merchant_effect * x->A) * boost;
    double hm = s->merchant_innovation + s->merchant_imitation * x->F;
    double hc =
        (s->corp_innovation + s->corp_imitation * x->G) * (1 + s->corp_people_effect * x->F);
    double opens = (smart - x->holders) * -expm1(-h * pending / YEAR_DAYS);
    activity_open(act, opens, s->activity_bias > 0 && s->activity_sigma > 0);
    x->holders += opens;
    x->F = smart > 0 ? x->holders / smart : 0;
    x->A += (1 - x->A) * -expm1(-hm * pending / YEAR_DAYS);
    x->G += (1 - x->G) * -expm1(-hc * pending / YEAR_DAYS);
}

/* The city's e-CNY payment rate per day: the holders' activity, the reach
 * of accepting merchants (A^kappa, payments.concentration) and the
 * corporate wallets' payments (corporate.concentration: G^gamma). */
static double estimate_rate(const struct scenario *s, const struct city_state_mf *x,
                            const struct activity *act, double corp, double mult)
{
    double reach = x->A > 0 ? pow(x->A, s->concentration) : 0;
    double corp_rate =
        x->G > 0 ? corp * s->corp_per_wallet_per_day * pow(x->G, s->corp_concentration) : 0;
    return act->holders_activity * s->payments_per_day * s->ecny_preference * reach * mult +
           corp_rate;
}

/* Day by day: the interventions' wallets, the adoption step (a day up to
 * ~3 years, a block of days beyond, so that a sweep of many long points is
 * sized in moments), then the day's payments and its peak rate. */
static void estimate_city(const struct scenario *s, size_t c, struct city_days *cd, size_t days,
                          struct city_estimate *e)
{
    const struct city_spec *cs = &s->cities[c];
    struct activity act;
    struct city_state_mf x = {cs->initial_wallets, cs->initial_accepting, 0, 0};
    double hmax = 0, wmax = 0, pending = 0, boost = 1;
    double corp = round((double)cs->corporates / s->sample);
    size_t block = days / 1000 + 1;
    double before = 0; /* wallets at the start of the day */
    memset(e, 0, sizeof *e);
    e->people = round((double)cs->population / s->sample);
    e->smart = floor(e->people * cs->smartphone_share);
    e->merchants = fmax(1, round((double)cs->merchants / s->sample)) + 1;
    city_interventions(s, c, e, days, cd);
    for (size_t h = 0; h < 24; h++)
        hmax = fmax(hmax, s->hourly[h]);
    for (size_t w = 0; w < 7; w++)
        wmax = fmax(wmax, s->weekday[w]);
    activity_init(&act, s, e->smart);
    x.holders = x.F * e->smart;
    activity_open(&act, x.holders, 0);
    e->adopters = -x.holders;
    for (size_t d = 0; d < days; d++) {
        double t0 = (double)d * DAY_S, open = fmin(DAY_S, s->duration_s - t0) / DAY_S;
        before = x.holders;
        double more = fmin(e->smart - x.holders, cd->opened[d]);
        activity_open(&act, more, 0);
        x.holders += more;
        x.F = e->smart > 0 ? x.holders / e->smart : 0;
        x.A = fmin(1, x.A + cd->onboard[d]);
        boost = fmax(boost, cd->boost[d]); /* the largest over the block */
        if (t0 + DAY_S > cs->pilot_start_s && e->smart > 0)
            pending += open - fmax(0, cs->pilot_start_s - t0) / DAY_S;
        if (pending > 0 && ((d + 1) % block == 0 || d + 1 == days)) {
            estimate_step(s, cs, &x, &act, e->smart, boost, pending);
            pending = 0, boost = 1;
        }
        double rate = estimate_rate(s, &x, &act, corp, cd->mult[d]);
        e->payments += rate * open + cd->spend[d];
        e->peak_rate = fmax(e->peak_rate, (rate + cd->spend[d]) / DAY_S * hmax * wmax);
        e->holders_peak = fmax(e->holders_peak, x.holders);
        if (cd->work) { /* the day's payments and wallets opened, as events */
            cd->work[d] += (rate * open + cd->spend[d]) * EVENTS_PER_PAYMENT + x.holders - before;
            cd->held[d] += x.holders;
        }
    }
    e->adopters += x.holders;
}

/* The daily arrays of the mean-field for every city in turn: NULL when
 * there is no room for them. */
static double *days_new(size_t days, struct city_days *cd)
{
    double *all = malloc((days ? days : 1) * CITY_DAYS_ARRAYS * sizeof *all);
    if (all)
        *cd = (struct city_days){all,  all + days, all + 2 * days, all + 3 * days, all + 4 * days,
                                 NULL, NULL};
    return all;
}

void budget_run(const struct scenario *s, struct budget *b)
{
    struct model_footprint f;
    struct city_days cd;
    size_t days = (size_t)ceil(s->duration_s / DAY_S);
    double people = 0, adopters = 0, holders = 0, merchants = 0, payments = 0, credits = 0;
    double peak = 0, timeout = s->ledger.timeout_s, buckets = ceil(s->duration_s / s->step_s);
    double *all = days_new(days, &cd);
    char span[UNITS_BUF], step[UNITS_BUF];
    memset(b, 0, sizeof *b);
    model_footprint(&f);
    span_of(span, s->duration_s);
    span_of(step, s->step_s);
    for (size_t c = 0; c < s->n_cities; c++) {
        struct city_estimate e;
        if (all) {
            estimate_city(s, c, &cd, days, &e);
        } else { /* no room for the daily arrays: everyone holds a wallet */
            memset(&e, 0, sizeof e);
            e.people = round((double)s->cities[c].population / s->sample);
            e.smart = e.holders_peak = e.people;
            e.merchants = round((double)s->cities[c].merchants / s->sample) + 2;
            e.payments = e.people * s->payments_per_day * s->ecny_preference * (double)days;
        }
        people += e.people;
        adopters += e.adopters;
        holders += e.holders_peak;
        merchants += e.merchants;
        payments += e.payments;
        credits += e.credits;
        peak += e.peak_rate;
    }
    free(all);
    for (size_t o = 0; o < s->n_operators; o++)
        timeout = fmax(timeout, s->operators[o].service.timeout_s);
    add_part(b, people * (double)f.person + holders * (double)f.wallet, "raise sample",
             "%.3g people (%.3g wallets) at sample %g", people, holders, s->sample);
    add_part(b, merchants * (double)f.merchant, "raise sample", "%.3g merchants at sample %g",
             merchants, s->sample);
    /* The series doubles as it grows: up to twice its rows are held. */
    add_part(b, 2 * buckets * (double)s->n_cities * (double)f.row, "a longer step",
             "the time series, %.3g buckets of %s x %zu cities", buckets, step, s->n_cities);
    add_part(b,
             (double)s->n_cities * ((double)f.city + (double)days * (double)f.day) +
                 fmin(peak * timeout, 1e15) * (double)f.payment + BASE_BYTES,
             "raise sample", "the cities' counters and the payments in flight");
    b->payments = payments;
    add_events(b, payments * EVENTS_PER_PAYMENT,
               "raise sample, shorten duration or lower "
               "payments.per_user_per_day",
               "about %.2g e-CNY payments over %s at sample %g", payments, span, s->sample);
    add_events(b, buckets + (double)days * 25, "a longer step", "%.3g time-series buckets of %s",
               buckets, step);
    add_events(b, credits, "pay salaries less often (every) or to fewer recipients",
               "about %.2g salary credits", credits);
    add_events(b, adopters, "raise sample", "about %.3g wallets opened", adopters);
}

/* What an event costs, relative to the last day's, on a day when the
 * cities hold `share` of the wallets they hold at the most: measured in
 * CPU seconds per forecast event along pilot-national at samples 1 and 10
 * (docs/performance.md, "The whole pilot"), an event costs about
 * 1 + 0.07 log2(share): half when a thousandth of the wallets are held.
 * The same curve fits both samples within 10%, though their arrays differ
 * tenfold: the cost follows the run's own growth, not the cache. Without
 * it, a bar that extrapolates an early pace promises half the time left. */
#define COST_PER_DOUBLING 0.07
#define COST_FLOOR 0.3 /* the curve's floor: the first wallets' days */

static double event_cost(double share)
{
    return share > 0 ? fmax(COST_FLOOR, 1 + COST_PER_DOUBLING * log2(share)) : COST_FLOOR;
}

int budget_work(const struct scenario *s, double *work, size_t days)
{
    struct city_days cd;
    struct city_estimate e;
    double *all = days_new(days, &cd), *held = calloc(days ? days : 1, sizeof *held);
    if (!all || !held) {
        free(all);
        free(held);
        return -1;
    }
    for (size_t d = 0; d < days; d++)
        work[d] = 0;
    cd.work = work;
    cd.held = held;
    for (size_t c = 0; c < s->n_cities; c++)
        estimate_city(s, c, &cd, days, &e);
    free(all);
    double most = 0;
    for (size_t d = 0; d < days; d++)
        most = fmax(most, held[d]);
    for (size_t d = 0; d < days; d++) /* the clock's ticks (a day and its hours), and the rest */
        work[d] = 25 + work[d] * event_cost(most > 0 ? held[d] / most : 0) + (d ? work[d - 1] : 0);
    free(held);
    return 0;
}

/* ---- experiments ---- */

/* --jobs 0's workers (replicate.h): the CPUs this process may use. */
static unsigned cores(void)
{
    return cpus_available();
}

void budget_experiment(const struct scenario *const *plans, size_t n_plans, unsigned reps,
                       unsigned jobs, struct budget *b)
{
    struct budget one, worst;
    double tasks = (double)n_plans * (reps > 1 ? reps : 1), workers, outcome = 0;
    double row = 2.0 + (double)catalog_n_columns(); /* doubles per time-series row */
    memset(&worst, 0, sizeof worst);
    for (size_t p = 0; p < n_plans; p++) {
        budget_run(plans[p], &one);
        if (!p || budget_bytes(&one) > budget_bytes(&worst))
            worst = one;
        if (one.events > worst.events) { /* the longest run names the events */
            worst.events = one.events;
            memcpy(worst.events_what, one.events_what, sizeof one.events_what);
            worst.events_fix = one.events_fix;
        }
        /* an outcome: its scalars (a few hundred) and every series value */
        outcome = fmax(outcome, 8.0 * (512 + 64.0 * (double)plans[p]->n_interventions +
                                       ceil(plans[p]->duration_s / plans[p]->step_s) *
                                           (double)plans[p]->n_cities * row));
    }
    if (reps <= 1 && n_plans == 1) {
        *b = worst;
        return;
    }
    workers = fmin(jobs ? jobs : cores(), tasks);
    memset(b, 0, sizeof *b);
    for (size_t i = 0; i < worst.n; i++) {
        struct budget_part *p = &worst.part[i];
        /* each worker holds one run (and sends its outcome) at a time */
        add_part(b, p->bytes * workers, workers > 1 ? "fewer --jobs" : p->fix,
                 "%s, in each of "
                 "%.0f workers",
                 p->what, workers);
    }
    add_part(b, workers * 2 * outcome, workers > 1 ? "fewer --jobs" : "a longer step",
             "%.0f workers' outcomes in transit", workers);
    /* The leader keeps every outcome until the summary, and a summary per plan. */
    add_part(b, tasks * outcome + (double)n_plans * 4 * outcome,
             "fewer --replications, or a longer step",
             "%.0f replications' outcomes kept for "
             "the summary (%.3g time-series rows each)",
             tasks, outcome / 8 / row);
    b->events = worst.events * ceil(tasks / workers);
    if (ceil(tasks / workers) > 1 && worst.events * 10 < BUDGET_MAX_EVENTS) {
        snprintf(b->events_what, sizeof b->events_what,
                 "%.0f runs of about %.2g events on "
                 "%.0f workers",
                 tasks, worst.events, workers);
        b->events_fix = "fewer --replications, or more --jobs where there are cores";
    } else {
        memcpy(b->events_what, worst.events_what, sizeof b->events_what);
        b->events_fix = worst.events_fix;
    }
}

/* ---- load tests ---- */

void budget_loadtest(const struct scenario *s, const struct loadtest_profile *p, double warmup_s,
                     double interval_s, size_t n_faults, unsigned reps, struct budget *b)
{
    double d = loadtest_spec_duration(p), payments = 0, warm, lo, hi;
    double timeout = s->ledger.timeout_s, secs = 0;
    double len = p->shape == LOADTEST_STEP && p->n ? p->seg[0].t1 - p->seg[0].t0 : interval_s;
    double intervals = 1 + ceil(d / (len > 0 ? len : 1)), nres = (double)s->n_operators + 1;
    double runs = reps > 1 ? reps : 1;
    char span[UNITS_BUF];
    memset(b, 0, sizeof *b);
    for (size_t i = 0; i < p->n; i++)
        payments += (p->seg[i].r0 + p->seg[i].r1) / 2 * (p->seg[i].t1 - p->seg[i].t0);
    warm = warmup_s * (p->n ? p->seg[0].r0 : 0);
    loadtest_spec_range(p, &lo, &hi);
    for (size_t o = 0; o < s->n_operators; o++)
        timeout = fmax(timeout, s->operators[o].service.timeout_s);
    for (size_t i = 0; i < s->n_interventions; i++) /* outages are faults too */
        n_faults += s->interventions[i].kind == INTERVENTION_OUTAGE;
    /* a fault's recovery is read from per-second buckets (at most
     * LOADTEST_RECOVERY_BUCKETS, wider beyond) */
    if (n_faults)
        secs = fmin(warmup_s + d + 1, LOADTEST_RECOVERY_BUCKETS);
    add_part(b, secs * 12 + BASE_BYTES, "fewer --fault options",
             "the faults' recovery buckets of the %s warm-up and profile",
             span_of(span, warmup_s + d));
    /* each interval: a latency histogram per resource and one overall,
     * twice (the replications' merge); each replication's quantiles */
    add_part(b, intervals * (nres + 1) * HIST_BYTES * 2 + runs * intervals * 6 * 8,
             "a longer --interval", "%.3g intervals of %s, each with %.0f histograms", intervals,
             span_of(span, len), nres + 1);
    add_part(b, fmin(hi * timeout, 1e15) * 128, "lower the profile's rates",
             "the payments in flight at %.3g/s", hi);
    add_events(b, payments * EVENTS_PER_PAYMENT * runs,
               "lower the profile's rates or shorten "
               "it",
               "about %.2g payments in the profile%s", payments * runs,
               runs > 1 ? " over the replications" : "");
    add_events(b, warm * EVENTS_PER_PAYMENT * runs, "shorten --warmup",
               "about %.2g payments "
               "in the %s warm-up at %.3g/s%s",
               warm * runs, span_of(span, warmup_s), p->n ? p->seg[0].r0 : 0,
               runs > 1 ? " over the replications" : "");
}

/* Bisection from the bracket's ends: two probes, then one per halving
 * until the width is tol of the lower end, and one more at the capacity
 * for the bottleneck; each probe at most the top rate. */
void budget_capacity(struct budget *b, double lo, double hi, double tol, double duration_s,
                     double warmup_s, unsigned reps)
{
    double halvings = lo > 0 && tol > 0 && hi > lo ? ceil(log2((hi - lo) / (tol * lo))) : 0;
    double probes = 3 + fmax(0, halvings), runs = reps > 1 ? reps : 1;
    double payments = runs * probes * hi * (duration_s + warmup_s);
    char span[UNITS_BUF];
    add_events(b, payments * EVENTS_PER_PAYMENT,
               "a narrower --capacity-range or a shorter "
               "--capacity-duration",
               "a capacity search of about %.0f probes of %s up to "
               "%.3g/s, about %.2g payments",
               runs * probes, span_of(span, duration_s), hi, payments);
}

void budget_loadtest_workers(struct budget *b, unsigned workers)
{
    /* each worker holds one run's result while the parent merges them */
    for (size_t i = 0; workers > 1 && i < b->n; i++) {
        b->part[i].bytes *= workers;
        b->part[i].fix = "fewer --jobs";
    }
}

/* ---- PHOLD ---- */

void budget_phold(const struct phold_params *p, struct budget *b)
{
    double pending = (double)p->lps * (double)p->population;
    memset(b, 0, sizeof *b);
    if (!(p->mean > 0) || !isfinite(p->mean) || !(p->end >= 0) || !isfinite(p->end) ||
        pending >= 4294967296.0)
        return; /* parameters phold_run refuses with its own message */
    /* a pending event: its engine slot, heap key and calendar share */
    add_part(b, pending * 64 + BASE_BYTES, "lower --lps or --population",
             "%.3g pending events (--lps x --population)", pending);
    add_events(b, p->mean > 0 ? pending * p->end / p->mean : 0,
               "lower --end, --lps or "
               "--population",
               "%.3g chains of about %.3g events (--end / --mean)", pending,
               p->mean > 0 ? p->end / p->mean : 0);
}

/* ---- the refusal ---- */

char *budget_fmt_size(char *buf, size_t size, double bytes)
{
    static const char *const unit[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    size_t u = 0;
    while (bytes >= 1024 && u < sizeof unit / sizeof unit[0] - 1)
        bytes /= 1024, u++;
    if (u == sizeof unit / sizeof unit[0] - 1 && bytes >= 1024)
        snprintf(buf, size, "%.3g %s", bytes, unit[u]);
    else
        snprintf(buf, size, u ? "%.1f %s" : "%.0f %s", bytes, unit[u]);
    return buf;
}

/* The largest memory part of a budget. */
static const struct budget_part *largest_part(const struct budget *b)
{
    const struct budget_part *big = &b->part[0];
    for (size_t i = 1; i < b->n; i++)
        if (b->part[i].bytes > big->bytes)
            big = &b->part[i];
    return big;
}

int budget_check(const struct budget *b, const char *cmd, double max_bytes, int given, FILE *err)
{
    double bytes = budget_bytes(b);
    char need[32], have[32], part[32];
    if (max_bytes > 0 && bytes > max_bytes) {
        const struct budget_part *big = largest_part(b);
        fprintf(err,
                "pilotsim %s: needs about %s of memory, more than %s (%s): %s take %s; "
                "%s%s\n",
                cmd, budget_fmt_size(need, sizeof need, bytes),
                budget_fmt_size(have, sizeof have, max_bytes),
                given ? "--max-memory" : "the memory available; --max-memory to change", big->what,
                budget_fmt_size(part, sizeof part, big->bytes), big->fix,
                given ? "" : ", or run it where there is more memory");
        return -1;
    }
    if (b->events > BUDGET_MAX_EVENTS) {
        fprintf(err,
                "pilotsim %s: would handle about %.2g events in one worker, more than "
                "the %.0e a command may (hours at millions of events a second): %s; %s\n",
                cmd, b->events, BUDGET_MAX_EVENTS, b->events_what, b->events_fix);
        return -1;
    }
    return 0;
}

char *budget_explain(const struct scenario *s, char *buf, size_t size)
{
    struct budget b;
    const struct budget_part *big;
    char need[32], part[32];
    budget_run(s, &b);
    big = largest_part(&b);
    snprintf(buf, size, "a run needs about %s, most of it for %s (%s): %s",
             budget_fmt_size(need, sizeof need, budget_bytes(&b)), big->what,
             budget_fmt_size(part, sizeof part, big->bytes), big->fix);
    return buf;
}

double budget_available(void)
{
    FILE *f = fopen("/proc/meminfo", "r");
    char line[256];
    if (f) {
        double kb = -1;
        while (fgets(line, sizeof line, f))
            if (!strncmp(line, "MemAvailable:", 13)) {
                kb = strtod(line + 13, NULL);
                break;
            }
        fclose(f);
        if (kb > 0)
            return kb * 1024;
    }
#ifdef _SC_AVPHYS_PAGES
    long pages = sysconf(_SC_AVPHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    if (pages > 0 && size > 0)
        return (double)pages * (double)size;
#endif
    return 0;
}

int budget_parse_size(const char *text, double *bytes)
{
    static const char units[] = "BKMGTP";
    const char *why, *u;
    char num[64];
    double x, scale = 1;
    size_t n = strspn(text, "0123456789.");
    if (n == 0 || n >= sizeof num)
        return -1;
    /* plain decimals: an exponent's E would read as a unit */
    memcpy(num, text, n);
    num[n] = '\0';
    if (units_number(num, &x, &why) < 0 || !(x > 0))
        return -1;
    u = text + n;
    if (*u) {
        const char *hit = strchr(units, u[0] >= 'a' ? u[0] - 32 : u[0]);
        if (!hit || !u[0])
            return -1;
        scale = pow(1024, (double)(hit - units));
        u++;
        if (*u == 'i' && hit != units)
            u++;
        if (*u == 'B' && hit != units)
            u++;
        if (*u)
            return -1;
    }
    *bytes = x * scale;
    return isfinite(*bytes) ? 0 : -1;
}
