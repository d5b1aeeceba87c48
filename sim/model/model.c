/* model: set-up of the agents, the calendar clock, the run loop and the
 * results: the top of the model room. It calls the behaviours (adoption.h,
 * payments.h, interventions.h) and nothing below calls it. Below it the
 * calls run one way: interventions -> payments -> lottery, windows, corporate ->
 * adoption -> population, acceptance, money, calendar, resource. */
#include "model/model_state.h"

#include "model/adoption.h"
#include "model/corporate.h"
#include "model/interventions.h"
#include "model/model_workspace.h"
#include "model/payments.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/detmath.h"
#include "kernel/rng.h"

/* Holders whose last e-CNY payment lies within the dormancy window ending
 * at t: a sum over the window's days of the per-day counts of last
 * payments (a few dozen additions, instead of a pass over every holder). */
static uint32_t active_holders(const struct model *m, uint32_t city, double t)
{
    const struct city_state *cs = &m->cities[city];
    int64_t today = calendar_day(t), days = (int64_t)ceil(m->s->dormancy_s / CALENDAR_DAY);
    uint32_t n = 0;
    for (int64_t d = today - days < 0 ? 0 : today - days; d <= today; d++)
        n += cs->paid_on[d];
    return n;
}

/* A simulated count of people or fen in real-population units (checked). */
static int64_t scale(struct model *m, int64_t x)
{
    return money_scale(&m->book, x);
}

/* ---- set-up ---- */

static int setup_resources(struct model *m)
{
    const struct scenario *s = m->s;
    unsigned c;
    m->operators = calloc(s->n_operators, sizeof *m->operators);
    m->op_service = calloc(s->n_operators, sizeof *m->op_service);
    m->op_joined = calloc(s->n_operators, sizeof *m->op_joined);
    if (!m->operators || !m->op_service || !m->op_joined)
        return -1;
    double factor;
    for (size_t o = 0; o < s->n_operators; o++) {
        resource_scale(s->operators[o].service.servers, m->k, &c, &factor);
        resource_law_init(&m->op_service[o], &s->operators[o].service, factor);
        if (resource_init(&m->operators[o], c) < 0)
            return -1;
        m->op_joined[o] = 1; /* until an operator_joins intervention says otherwise */
    }
    resource_scale(s->ledger.servers, m->k, &c, &factor);
    resource_law_init(&m->ledger_service, &s->ledger, factor);
    return resource_init(&m->ledger, c);
}

static void model_destroy(struct model *m)
{
    const struct scenario *s = m->s;
    if (m->cities)
        for (size_t c = 0; c < s->n_cities; c++) {
            struct city_state *cs = &m->cities[c];
            free(cs->paid_on);
            free(cs->latency);
            free(cs->b_latency);
            if (cs->op_pick)
                gsl_ran_discrete_free(cs->op_pick);
            acceptance_destroy(&cs->acc);
            corporate_destroy(&cs->corp);
        }
    interventions_destroy(m);
    if (m->operators)
        for (size_t o = 0; o < s->n_operators; o++)
            resource_destroy(&m->operators[o]);
    resource_destroy(&m->ledger);
    free(m->operators);
    free(m->op_service);
    free(m->op_joined);
    free(m->cities);
    money_destroy(&m->book);
    free(m->pos);
    free(m->order);
    free(m->wallets);
    free(m->activity);
    free(m->merchants);
    free(m->takings);
    free(m->pool);
    engine_destroy(&m->engine);
    rng_free(m->rng);
}

/* Simulated people and merchants of a city: the real counts over `sample`,
 * and one extra merchant per city, its online marketplace. */
static uint64_t city_people(const struct model *m, size_t c)
{
    return (uint64_t)llround((double)m->s->cities[c].population / m->k);
}

static uint64_t city_stores(const struct model *m, size_t c)
{
    uint64_t n = (uint64_t)llround((double)m->s->cities[c].merchants / m->k);
    return n ? n : 1;
}

/* Build the agents, in the arrays of `ws` when it holds them (NULL: fresh
 * ones). On failure the model holds what was made so far, the rest zero,
 * for model_destroy. `fault` arms engine_fault before the first
 * event is scheduled (tests; 0: none). The set-up of a whole country takes
 * a while: `progress` hears the people built, city by city. */
static int model_setup(struct model *m, struct model_workspace *ws, const struct scenario *s,
                       uint32_t replication, uint64_t fault, model_progress_fn progress, void *ctx)
{
    memset(m, 0, sizeof *m);
    m->s = s;
    m->k = s->sample;
    calendar_init(&m->cal, s);
    m->ticket_mu = detmath_log((double)s->ticket_median_fen);
    m->corp_ticket_mu = detmath_log((double)s->corp_ticket_median_fen);
    memcpy(m->classes, s->wallet_classes, sizeof m->classes);
    uint64_t n_users = 0, n_merchants = 0;
    for (size_t c = 0; c < s->n_cities; c++) {
        n_users += city_people(m, c);
        n_merchants += city_stores(m, c) + 1;
    }
    if (n_users >= UINT32_MAX || n_merchants >= UINT32_MAX)
        return -1;
    m->rng = rng_new(s->seed, replication);
    m->cities = calloc(s->n_cities, sizeof *m->cities);
    /* pos[] and order[] are written whole by adoption_setup. One order[]
     * for every city (each takes a slice), so that all of it lies on huge
     * pages. The arrays are the workspace's when it holds them. */
    if (money_init(&m->book, s->n_cities, (int64_t)s->sample) < 0 || !m->rng || !m->cities ||
        model_workspace_lend(ws, m, n_users, n_merchants, s->activity_sigma > 0) < 0 ||
        engine_init(&m->engine, 1024) < 0 || setup_resources(m) < 0)
        return -1;
    engine_fault(&m->engine, fault);
    m->key_arrival = rng_key(m->rng, P_ARRIVAL);
    m->key_payment = rng_key(m->rng, P_PAYMENT);
    m->key_service = rng_key(m->rng, P_SERVICE);
    habits_init(&m->habits, s->activity_sigma, rng_key(m->rng, P_HABITS));
    m->key_bias = rng_key(m->rng, P_ADOPT_BIAS);
    uint32_t next_user = 0, next_merchant = 0;
    peak_meter_init(&m->load, 0);
    for (uint32_t c = 0; c < s->n_cities; c++) {
        struct city_state *cs = &m->cities[c];
        peak_meter_init(&cs->load, 0);
        cs->boost = 1; /* before the interventions' set-up multiplies it */
        cs->pop.first = next_user;
        cs->pop.n = (uint32_t)city_people(m, c);
        cs->m_first = next_merchant;
        cs->m_n = (uint32_t)city_stores(m, c);
        cs->online = cs->m_first + cs->m_n;
        next_user += cs->pop.n;
        next_merchant += cs->m_n + 1;
    }
    /* Interventions first: an operator that joins later must not be drawn
     * for the first wallets. */
    if (interventions_setup(m) < 0 || adoption_refresh_operators(m) < 0)
        return -1;
    for (uint32_t c = 0; c < s->n_cities; c++) {
        if (progress) /* a negative total: the set-up's (model.h) */
            progress(ctx, m->cities[c].pop.first, -(double)n_users);
        if (adoption_setup(m, c) < 0 || corporate_init(m, c) < 0)
            return -1;
    }
    if (progress)
        progress(ctx, (double)n_users, -(double)n_users);
    return 0;
}

/* ---- the clock: buckets, days and hours ---- */

struct clock {
    double next_bucket, next_day, next_hour;
    uint64_t bucket, day, hour; /* boundaries passed */
    uint64_t day_steps;         /* adoption steps done: the day's rng key */
    double day0, hour0;         /* the first day and hour boundaries */
};

static double share(double part, double whole)
{
    return whole > 0 ? part / whole : 0;
}

/* A bucket's latency quantile in ms; NaN (undefined) when no payment with a
 * latency completed in it, not 0, which would read as instant payments. */
static double bucket_latency_ms(const struct hist *h, double q)
{
    return h->count ? hist_quantile(h, q) * 1e3 : NAN;
}

/* Record a time-series row per city, then reset the bucket's flows. */
static int close_bucket(struct model *m, struct model_result *r, double now, double length)
{
    for (uint32_t c = 0; c < m->s->n_cities; c++) {
        struct city_state *cs = &m->cities[c];
        const struct city_flows *b = &cs->bucket;
        payments_accrue(cs, now);
        double peak = peak_meter_close(&cs->load, now);
        struct ts_row row = {
            .time_s = now,
            .city = c,
            .wallets = scale(m, (int64_t)cs->personal + cs->corp.wallets),
            .wallets_personal = scale(m, (int64_t)cs->personal),
            .wallets_corporate = scale(m, cs->corp.wallets),
            .active_users = scale(m, active_holders(m, c, now)),
            .adoption = share(cs->pop.wallets, cs->pop.n),
            .merchants_accepting = scale(m, cs->acc.accepting),
            .payments = scale(m, b->payments),
            .payments_corporate = scale(m, b->corporate),
            .payments_failed = scale(m, b->failed),
            .payments_refused = scale(m, b->refused),
            .payments_offline = scale(m, b->offline),
            .value_fen = scale(m, b->value),
            .value_corporate_fen = scale(m, b->corporate_value),
            .ecny_share = share((double)(b->payments - b->corporate), b->all_payments),
            .circulation_fen = scale(m, money_circulation(&m->book, c)),
            .tps_mean = (double)(b->payments + b->failed) * m->k / length,
            .tps_peak = peak * m->k,
            .latency_p50_ms = bucket_latency_ms(cs->b_latency, 0.50),
            .latency_p99_ms = bucket_latency_ms(cs->b_latency, 0.99),
        };
        if (metrics_add_row(&r->series, &row) < 0)
            return -1;
        hist_drain(cs->latency, cs->b_latency);
        memset(&cs->bucket, 0, sizeof cs->bucket);
    }
    peak_meter_close(&m->load, now);
    return 0;
}

static double clock_next(const struct clock *k)
{
    return fmin(k->next_bucket, fmin(k->next_day, k->next_hour));
}

/* Merchants sweep their e-CNY takings to their bank account each night;
 * only those that took e-CNY since the last sweep are visited. */
static void sweep_merchants(struct model *m)
{
    for (uint32_t i = 0; i < m->n_takings; i++) {
        struct merchant *mc = &m->merchants[m->takings[i]];
        money_redeem(&m->book, mc->city, mc->balance_fen);
        mc->balance_fen = 0;
    }
    m->n_takings = 0;
}

/* Handle every boundary that falls at `now`, in a fixed order: close the
 * bucket, then the day (adoption, campaigns, sweeps), then the new rates.
 * -1 when out of memory or when a sum of money overflowed. */
static int clock_tick(struct model *m, struct model_result *r, struct clock *k, double now,
                      model_progress_fn progress, void *ctx)
{
    const struct scenario *s = m->s;
    if (m->book.overflow)
        return -1; /* a sum overflowed since the last tick: stop before balances can */
    if (now == k->next_bucket) {
        double from = (double)k->bucket * s->step_s;
        if (now > 0) {
            if (close_bucket(m, r, now, now - from) < 0)
                return -1;
            k->bucket++;
            if (progress)
                progress(ctx, now, s->duration_s);
        }
        k->next_bucket = now >= s->duration_s
                             ? INFINITY
                             : fmin((double)(k->bucket + 1) * s->step_s, s->duration_s);
    }
    if (now == k->next_day && now >= s->duration_s) {
        k->next_day = INFINITY; /* no day begins at the horizon */
    } else if (now == k->next_day) {
        /* Day 0 may be a partial day when the start is not a local midnight. */
        if (now == k->day0 + (double)k->day * CALENDAR_DAY)
            k->day++;
        k->next_day = k->day0 + (double)k->day * CALENDAR_DAY;
        uint64_t day = k->day_steps++;
        for (uint32_t c = 0; c < s->n_cities; c++) {
            interventions_day(m, c, day, now, k->next_day - now);
            if (adoption_day(m, c, day, now, k->next_day - now) < 0)
                return -1;
            corporate_day(m, c, day, now, k->next_day - now);
        }
        sweep_merchants(m);
    }
    if (now == k->next_hour) {
        k->hour++;
        k->next_hour = k->hour0 + (double)k->hour * CALENDAR_HOUR;
    }
    for (uint32_t c = 0; c < s->n_cities; c++)
        if (payments_update_rate(m, c) < 0)
            return -1;
    for (uint32_t i = 0; i < s->n_interventions; i++)
        if (s->interventions[i].kind == INTERVENTION_LOTTERY &&
            payments_update_spend_rate(m, i) < 0)
            return -1;
    double next = clock_next(k);
    if (next <= s->duration_s && !engine_schedule(&m->engine, next, EV_CLOCK, 0, 0))
        return -1;
    return 0;
}

/* ---- results ---- */

static void collect_city(struct model *m, struct model_result *r, uint32_t c)
{
    struct city_state *cs = &m->cities[c];
    struct city_result *cr = &r->cities[c];
    const struct city_flows *t = &cs->total;
    double horizon = r->horizon_s > 0 ? r->horizon_s : 1;
    payments_accrue(cs, r->horizon_s);
    cr->population = m->s->cities[c].population;
    /* wallets: every wallet the PBoC counts, people's (sub-wallets
     * included) and corporate; adoption: the people holding one */
    cr->wallets = scale(m, (int64_t)cs->personal + cs->corp.wallets);
    cr->wallets_personal = scale(m, (int64_t)cs->personal);
    cr->wallets_corporate = scale(m, cs->corp.wallets);
    cr->holders = scale(m, cs->pop.wallets);
    cr->active_users = scale(m, active_holders(m, c, r->horizon_s));
    cr->adoption = share(cs->pop.wallets, cs->pop.n);
    cr->merchants_accepting = scale(m, cs->acc.accepting);
    cr->payments = scale(m, t->payments);
    cr->payments_corporate = scale(m, t->corporate);
    cr->retail_payments = scale(m, t->payments - t->corporate);
    cr->payments_failed = scale(m, t->failed);
    cr->payments_in_flight = scale(m, payments_in_flight(m, c));
    cr->payments_refused = scale(m, t->refused);
    cr->refused_balance = scale(m, t->refused_balance);
    cr->refused_per_payment = scale(m, t->refused_per_payment);
    cr->refused_per_day = scale(m, t->refused_per_day);
    cr->payments_offline = scale(m, t->offline);
    cr->transfers = scale(m, t->transfers);
    cr->value_fen = scale(m, t->value);
    cr->value_corporate_fen = scale(m, t->corporate_value);
    cr->ecny_share = share((double)(t->payments - t->corporate), t->all_payments);
    cr->circulation_fen = scale(m, money_circulation(&m->book, c));
    cr->tps_mean = (double)(t->payments + t->failed) * m->k / horizon;
    cr->tps_peak = cs->load.peak * m->k;
    cr->latency = cs->latency;
    cs->latency = NULL; /* handed over to the result */
}

/* The stock of e-CNY, summed over every account independently of the flow
 * counters: balances, envelopes, takings and payments in flight. Only
 * holders have accounts; money credited anywhere else would be missing
 * here, so the identity would catch it. */
static int64_t wallets_sum(struct model *m)
{
    int64_t sum = payments_in_flight_fen(m);
    for (uint32_t c = 0; c < m->s->n_cities; c++) {
        const struct city_state *cs = &m->cities[c];
        for (uint32_t s = 0; s < cs->pop.k; s++) { /* only holders have accounts */
            uint32_t from, to;
            population_holders(&cs->pop, s, &from, &to);
            for (uint32_t i = from; i < to; i++) {
                money_add(&m->book, &sum, m->wallets[cs->pop.first + i].balance_fen);
                money_add(&m->book, &sum, m->wallets[cs->pop.first + i].envelope_fen);
            }
        }
        for (uint32_t i = 0; i <= cs->m_n; i++) /* stores and the online marketplace */
            money_add(&m->book, &sum, m->merchants[cs->m_first + i].balance_fen);
    }
    return sum;
}

static void collect(struct model *m, struct model_result *r)
{
    struct money sim = {0};
    for (uint32_t c = 0; c < m->s->n_cities; c++) {
        collect_city(m, r, c);
        money_add(&m->book, &sim.issued_fen, m->book.cities[c].issued);
        money_add(&m->book, &sim.redeemed_fen, m->book.cities[c].redeemed);
        money_add(&m->book, &sim.reclaimed_fen, m->book.cities[c].reclaimed);
    }
    interventions_collect(m, r);
    r->tps_peak = m->load.peak * m->k;
    r->money.issued_fen = scale(m, sim.issued_fen);
    r->money.redeemed_fen = scale(m, sim.redeemed_fen);
    r->money.reclaimed_fen = scale(m, sim.reclaimed_fen);
    r->money.circulation_fen = r->money.issued_fen - r->money.redeemed_fen - r->money.reclaimed_fen;
    r->money.wallets_fen = scale(m, wallets_sum(m));
    r->events = m->events;
}

void model_result_free(struct model_result *r)
{
    if (!r)
        return;
    if (r->cities)
        for (size_t c = 0; c < r->n_cities; c++)
            free(r->cities[c].latency);
    free(r->cities);
    free(r->interventions);
    metrics_destroy(&r->series);
    free(r);
}

/* ---- the run ---- */

static int handle(struct model *m, struct model_result *r, struct clock *k, const engine_event *ev,
                  model_progress_fn progress, void *ctx)
{
    switch ((enum event_kind)ev->kind) {
    case EV_HOP:
        return payments_hop(m, ev->subject, ev->time);
    case EV_ARRIVE:
        return payments_arrive(m, ev->subject, ev->time);
    case EV_SPEND_ARRIVE:
        return payments_spend(m, ev->subject, ev->time);
    case EV_SYNC:
        payments_sync(m, ev->subject, ev->arg, ev->time);
        return 0;
    case EV_TIMEOUT:
        payments_timeout(m, ev->subject);
        return 0;
    case EV_CLOCK:
        return clock_tick(m, r, k, ev->time, progress, ctx);
    case EV_INTERVENTION:
        return interventions_handle(m, ev->subject, ev->arg, ev->time);
    case EV_CORP_ARRIVE:
        return payments_corporate_arrive(m, ev->subject, ev->time);
    }
    return 0;
}

static struct model_result *result_new(const struct scenario *s)
{
    struct model_result *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->n_cities = s->n_cities;
    r->n_interventions = s->n_interventions;
    r->cities = calloc(s->n_cities, sizeof *r->cities);
    r->interventions =
        calloc(s->n_interventions ? s->n_interventions : 1, sizeof *r->interventions);
    metrics_init(&r->series);
    if (!r->cities || !r->interventions) {
        model_result_free(r);
        return NULL;
    }
    return r;
}

/* A run, or NULL when memory ran out anywhere, the engine's included: a
 * schedule that failed, or an engine that stopped for want of memory,
 * fails the run rather than leaving it short of events and reported
 * complete; or NULL with errno EOVERFLOW when a sum of money overflowed.
 * `leak` and `fault` are for tests (model_run_leaky, model_run_fault). */
static struct model_result *run(struct model_workspace *ws, const struct scenario *s,
                                uint32_t replication, model_progress_fn progress,
                                void *progress_ctx, int64_t leak, uint64_t fault)
{
    struct model_result *r = NULL;
    struct model *m = malloc(sizeof *m);
    int why = ENOMEM; /* errno of a failure */
    if (!m)
        return NULL;
    /* model_setup zeroes the model first: from here on the failure path
     * frees what it holds, and only that. */
    if (model_setup(m, ws, s, replication, fault, progress, progress_ctx) < 0 ||
        !(r = result_new(s)))
        goto fail;
    m->leak_fen = leak;
    r->latency_exact = s->sample == 1;
    /* The first local midnight and hour boundaries after the start (or the
     * start itself when it falls on one). */
    struct clock k = {0};
    double into_day = fmod(m->cal.local_offset_s, CALENDAR_DAY),
           into_hour = fmod(m->cal.local_offset_s, CALENDAR_HOUR);
    k.day0 = into_day == 0 ? 0 : CALENDAR_DAY - into_day;
    k.hour0 = into_hour == 0 ? 0 : CALENDAR_HOUR - into_hour;
    k.next_day = 0; /* day 0 starts at 0, partial or not */
    k.next_hour = k.hour0;
    if (!engine_schedule(&m->engine, 0, EV_CLOCK, 0, 0))
        goto fail;
    if (progress) /* the set-up is over: the bar starts on the simulated date */
        progress(progress_ctx, 0, s->duration_s);
    engine_event ev;
    while (engine_next(&m->engine, s->duration_s, &ev)) {
        m->events++;
        if (handle(m, r, &k, &ev, progress, progress_ctx) < 0) {
            why = m->book.overflow ? EOVERFLOW : ENOMEM;
            goto fail;
        }
    }
    if (engine_failed(&m->engine))
        goto fail;
    r->horizon_s = s->duration_s;
    r->complete = 1;
    for (uint32_t c = 0; c < s->n_cities; c++)
        r->payments += m->cities[c].payments_started;
    for (uint32_t i = 0; i < s->n_interventions; i++)
        r->payments += m->iv[i].payments_started;
    collect(m, r);
    if (m->book.overflow) {
        why = EOVERFLOW;
        goto fail;
    }
    model_workspace_keep(ws, m); /* only a run that succeeded: its arrays are known */
    model_destroy(m);
    free(m);
    return r;
fail:
    model_destroy(m);
    free(m);
    model_result_free(r);
    errno = why;
    return NULL;
}

/* PILOTSIM_FAULT_SCHEDULE=N: the run's Nth schedule fails as if memory ran
 * out, so that the end-to-end tests can see each command report it (a
 * test hook, like model_run_fault; unset or 0 in real use). */
static uint64_t fault_from_env(void)
{
    const char *v = getenv("PILOTSIM_FAULT_SCHEDULE");
    return v ? strtoull(v, NULL, 10) : 0;
}

/* PILOTSIM_FAULT_LEAK=FEN: every completed payment leaks FEN from its
 * payee's takings (model_run_leaky), so that the end-to-end tests can
 * overflow a checked sum of money with a negative one and see each command
 * report it (a test hook; unset or 0 in real use). */
static int64_t leak_from_env(void)
{
    const char *v = getenv("PILOTSIM_FAULT_LEAK");
    return v ? strtoll(v, NULL, 10) : 0;
}

struct model_result *model_run(const struct scenario *s, uint32_t replication,
                               model_progress_fn progress, void *progress_ctx)
{
    return model_run_in(NULL, s, replication, progress, progress_ctx);
}

struct model_result *model_run_in(struct model_workspace *ws, const struct scenario *s,
                                  uint32_t replication, model_progress_fn progress,
                                  void *progress_ctx)
{
    return run(ws, s, replication, progress, progress_ctx, leak_from_env(), fault_from_env());
}

struct model_result *model_run_leaky(const struct scenario *s, uint32_t replication,
                                     int64_t leak_fen)
{
    return run(NULL, s, replication, NULL, NULL, leak_fen, 0);
}

struct model_result *model_run_fault(const struct scenario *s, uint32_t replication, uint64_t nth)
{
    return model_run_fault_in(NULL, s, replication, nth);
}

struct model_result *model_run_fault_in(struct model_workspace *ws, const struct scenario *s,
                                        uint32_t replication, uint64_t nth)
{
    return run(ws, s, replication, NULL, NULL, 0, nth);
}

/* Sizes from the structs themselves, so that an estimate follows the
 * layout when it changes. A merchant also holds its places in takings[]
 * and its city's acceptance order[], its running popularity sum and its alias cell (with the
 * cell's building lists); a payment in flight its engine slot and key. */
void model_footprint(struct model_footprint *f)
{
    f->person = sizeof(uint32_t) * 2;                  /* pos[], order[] */
    f->wallet = sizeof(struct wallet) + sizeof(float); /* and its holder's activity */
    f->merchant = sizeof(struct merchant) + sizeof(uint32_t) * 2 + sizeof(double) +
                  sizeof(struct acceptance_cell) + sizeof(double) + sizeof(uint32_t) * 2;
    f->payment = sizeof(struct payment) + 48;
    f->row = sizeof(struct ts_row);
    f->city = sizeof(struct city_state) + 2 * sizeof(struct hist);
    f->day = sizeof(uint32_t); /* paid_on[] */
}
