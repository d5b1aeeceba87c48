/* model: set-up of the agents, the calendar clock, adoption (users and
 * merchants), lottery draws and expiry, the run loop and the results.
 * Payments and their path through the infrastructure are in payments.c. */
#include "model_state.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

#define DAY 86400.0
#define HOUR 3600.0
#define YEAR (365.0 * DAY)

/* Local (Asia/Shanghai, UTC+8 all year) hour and weekday at time t. */
static double local_seconds(const struct model *m, double t) {
    return m->local_offset_s + t;
}

double model_profile(const struct model *m, double t) {
    double local = local_seconds(m, t);
    double day = floor(local / DAY);
    int hour = (int)((local - day * DAY) / HOUR);
    /* local_offset_s counts from the Unix epoch's local midnight, a Thursday. */
    int weekday = (int)(fmod(day + 3.0, 7.0));
    return m->s->hourly[hour] * m->s->weekday[weekday];
}

double model_draw_service(struct model *m, const struct service *sv, double factor) {
    double mean = sv->mean_s * factor;
    switch (sv->dist) {
    case SERVICE_DETERMINISTIC:
        return mean;
    case SERVICE_LOGNORMAL: {
        double s2 = log1p(sv->cv * sv->cv);
        return gsl_ran_lognormal(m->rng, log(mean) - s2 / 2, sqrt(s2));
    }
    case SERVICE_EXPONENTIAL:
    default:
        return gsl_ran_exponential(m->rng, mean);
    }
}

/* Round a simulated count of people or fen to real-population units. */
static int64_t scale(const struct model *m, int64_t x) {
    return (int64_t)llround((double)x * m->k);
}

/* An alias table over weights; NULL when all are zero or on no memory. */
static gsl_ran_discrete_t *alias_new(const double *w, size_t n) {
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += w[i];
    return sum > 0 ? gsl_ran_discrete_preproc(n, w) : NULL;
}

/* ---- set-up ---- */

static int setup_city(struct model *m, uint32_t c, uint32_t *next_user, uint32_t *next_merchant) {
    const struct scenario *s = m->s;
    const struct city_spec *spec = &s->cities[c];
    struct city_state *cs = &m->cities[c];
    cs->first = *next_user;
    cs->n = (uint32_t)llround((double)spec->population / m->k);
    cs->n_smart = (uint32_t)llround(cs->n * spec->smartphone_share);
    cs->m_first = *next_merchant;
    cs->m_n = (uint32_t)llround((double)spec->merchants / m->k);
    if (cs->m_n == 0)
        cs->m_n = 1;
    *next_user += cs->n;
    *next_merchant += cs->m_n;
    cs->order = malloc((cs->n ? cs->n : 1) * sizeof *cs->order);
    cs->m_order = malloc(cs->m_n * sizeof *cs->m_order);
    cs->latency = malloc(sizeof *cs->latency);
    cs->b_latency = malloc(sizeof *cs->b_latency);
    cs->op_pick = alias_new(spec->operator_share, s->n_operators);
    double *weights = malloc(cs->m_n * sizeof *weights);
    if (!cs->order || !weights || !cs->m_order || !cs->latency || !cs->b_latency || !cs->op_pick) {
        free(weights);
        return -1;
    }
    hist_init(cs->latency);
    hist_init(cs->b_latency);
    for (uint32_t i = 0; i < cs->n; i++) {
        cs->order[i] = cs->first + i;
        m->users[cs->first + i].pos = i;
    }
    /* Merchants: lognormal popularity (a few busy shops, many quiet ones),
     * acquiring operator by the city's shares. */
    rng_at(m->rng, P_SETUP, c, 0);
    for (uint32_t i = 0; i < cs->m_n; i++) {
        struct merchant *mc = &m->merchants[cs->m_first + i];
        mc->weight = gsl_ran_lognormal(m->rng, 0, 1);
        mc->op = (uint8_t)gsl_ran_discrete(m->rng, cs->op_pick);
        mc->pos = i;
        cs->m_order[i] = cs->m_first + i;
        cs->total_weight += weights[i] = mc->weight;
    }
    cs->all_merchants = gsl_ran_discrete_preproc(cs->m_n, weights);
    free(weights);
    cs->minute = -1;
    return cs->all_merchants ? 0 : -1;
}

static int setup_lottery(struct model *m, uint32_t i) {
    const struct intervention *iv = &m->s->interventions[i];
    struct lottery_state *ls = &m->lotteries[i];
    uint32_t cap = (uint32_t)ceil((double)iv->envelopes / m->k) + 1;
    ls->holders = malloc(cap * sizeof *ls->holders);
    if (!ls->holders)
        return -1;
    if (iv->operator_share && !(ls->op_pick = alias_new(iv->operator_share, m->s->n_operators)))
        return -1;
    engine_schedule(&m->engine, iv->registration_until_s, EV_LOTTERY_DRAW, i, 0);
    engine_schedule(&m->engine, iv->spend_from_s, EV_SPEND_OPEN, i, 0);
    engine_schedule(&m->engine, iv->spend_until_s, EV_SPEND_CLOSE, i, 0);
    return 0;
}

static int setup_resources(struct model *m) {
    const struct scenario *s = m->s;
    unsigned c;
    m->operators = calloc(s->n_operators, sizeof *m->operators);
    m->op_factor = calloc(s->n_operators, sizeof *m->op_factor);
    if (!m->operators || !m->op_factor)
        return -1;
    for (size_t o = 0; o < s->n_operators; o++) {
        resource_scale(s->operators[o].service.servers, m->k, &c, &m->op_factor[o]);
        if (resource_init(&m->operators[o], c) < 0)
            return -1;
    }
    resource_scale(s->ledger.servers, m->k, &c, &m->ledger_factor);
    return resource_init(&m->ledger, c);
}

static void model_destroy(struct model *m) {
    const struct scenario *s = m->s;
    if (m->cities)
        for (size_t c = 0; c < s->n_cities; c++) {
            struct city_state *cs = &m->cities[c];
            free(cs->order);
            free(cs->m_order);
            free(cs->latency);
            free(cs->b_latency);
            if (cs->op_pick)
                gsl_ran_discrete_free(cs->op_pick);
            if (cs->accepting)
                gsl_ran_discrete_free(cs->accepting);
            if (cs->all_merchants)
                gsl_ran_discrete_free(cs->all_merchants);
        }
    if (m->lotteries)
        for (size_t i = 0; i < s->n_interventions; i++) {
            free(m->lotteries[i].holders);
            if (m->lotteries[i].op_pick)
                gsl_ran_discrete_free(m->lotteries[i].op_pick);
        }
    if (m->operators)
        for (size_t o = 0; o < s->n_operators; o++)
            resource_destroy(&m->operators[o]);
    resource_destroy(&m->ledger);
    free(m->operators);
    free(m->op_factor);
    free(m->cities);
    free(m->lotteries);
    free(m->users);
    free(m->merchants);
    free(m->takings);
    free(m->pool);
    engine_destroy(&m->engine);
    rng_free(m->rng);
}

static int model_setup(struct model *m, const struct scenario *s, uint32_t replication) {
    memset(m, 0, sizeof *m);
    m->s = s;
    m->k = s->sample;
    /* Seconds into the local day (UTC+8) at the scenario's start. */
    m->local_offset_s = (double)(s->start_unix + 8 * 3600);
    uint64_t n_users = 0, n_merchants = 0;
    for (size_t c = 0; c < s->n_cities; c++) {
        n_users += (uint64_t)llround((double)s->cities[c].population / m->k);
        uint64_t mn = (uint64_t)llround((double)s->cities[c].merchants / m->k);
        n_merchants += mn ? mn : 1;
    }
    if (n_users >= UINT32_MAX || n_merchants >= UINT32_MAX)
        return -1;
    m->rng = rng_new(s->seed, replication);
    m->users = calloc(n_users ? n_users : 1, sizeof *m->users);
    m->merchants = calloc(n_merchants, sizeof *m->merchants);
    m->takings = malloc(n_merchants * sizeof *m->takings);
    m->cities = calloc(s->n_cities, sizeof *m->cities);
    m->lotteries = calloc(s->n_interventions ? s->n_interventions : 1, sizeof *m->lotteries);
    if (!m->rng || !m->users || !m->merchants || !m->takings || !m->cities || !m->lotteries ||
        engine_init(&m->engine, 1024) < 0 || setup_resources(m) < 0)
        return -1;
    uint32_t next_user = 0, next_merchant = 0;
    for (uint32_t c = 0; c < s->n_cities; c++)
        if (setup_city(m, c, &next_user, &next_merchant) < 0)
            return -1;
    for (uint32_t i = 0; i < s->n_interventions; i++)
        if (setup_lottery(m, i) < 0)
            return -1;
    return 0;
}

/* ---- adoption ---- */

/* Open a wallet for user u of city c at operator op: swap u into the
 * holders' prefix of order[]. */
static void open_wallet(struct model *m, uint32_t c, uint32_t u, uint8_t op) {
    struct city_state *cs = &m->cities[c];
    struct user *us = &m->users[u];
    uint32_t from = us->pos, to = cs->wallets++;
    uint32_t other = cs->order[to];
    cs->order[to] = u;
    cs->order[from] = other;
    m->users[other].pos = from;
    us->pos = to;
    us->stage = STAGE_WALLET;
    us->op = op;
}

/* One day of Bass adoption in city c: each smartphone owner without a wallet
 * opens one with probability 1 - exp(-h dt), h = (p + q F)(1 + e A) per year,
 * F the holders' share of owners, A the accepting merchants' share. The
 * number is binomial; who adopts is a uniform partial shuffle. */
static void adopt_users(struct model *m, uint32_t c, uint64_t day, double dt) {
    const struct city_spec *spec = &m->s->cities[c];
    struct city_state *cs = &m->cities[c];
    uint32_t left = cs->n_smart - cs->wallets;
    if (left == 0)
        return;
    double F = (double)cs->wallets / cs->n_smart;
    double A = (double)cs->m_accepting / cs->m_n;
    double h = (spec->innovation + spec->imitation * F) * (1 + m->s->merchant_effect * A);
    rng_at(m->rng, P_ADOPT, c, day);
    unsigned adopters = gsl_ran_binomial(m->rng, -expm1(-h * dt / YEAR), left);
    for (unsigned i = 0; i < adopters; i++) {
        uint32_t j = cs->wallets + (uint32_t)gsl_rng_uniform_int(m->rng, cs->n_smart - cs->wallets);
        open_wallet(m, c, cs->order[j], (uint8_t)gsl_ran_discrete(m->rng, cs->op_pick));
    }
}

/* Merchants adopt likewise, their imitation driven by the users' adoption. */
static void adopt_merchants(struct model *m, uint32_t c, uint64_t day, double dt) {
    struct city_state *cs = &m->cities[c];
    uint32_t left = cs->m_n - cs->m_accepting;
    if (left == 0)
        return;
    double F = cs->n_smart ? (double)cs->wallets / cs->n_smart : 0;
    double h = m->s->merchant_innovation + m->s->merchant_imitation * F;
    rng_at(m->rng, P_MERCHANT_ADOPT, c, day);
    unsigned adopters = gsl_ran_binomial(m->rng, -expm1(-h * dt / YEAR), left);
    for (unsigned i = 0; i < adopters; i++) {
        uint32_t j = cs->m_accepting + (uint32_t)gsl_rng_uniform_int(m->rng, cs->m_n - cs->m_accepting);
        uint32_t id = cs->m_order[j], to = cs->m_accepting++;
        uint32_t other = cs->m_order[to];
        cs->m_order[to] = id;
        cs->m_order[j] = other;
        m->merchants[other].pos = j;
        m->merchants[id].pos = to;
        cs->accept_weight += m->merchants[id].weight;
    }
    if (adopters)
        cs->accepting_stale = 1;
}

/* Rebuild a city's alias table over its accepting merchants. */
static int refresh_accepting(struct model *m, uint32_t c) {
    struct city_state *cs = &m->cities[c];
    if (!cs->accepting_stale)
        return 0;
    cs->accepting_stale = 0;
    if (cs->accepting)
        gsl_ran_discrete_free(cs->accepting);
    double *w = malloc(cs->m_accepting * sizeof *w);
    if (!w)
        return -1;
    double sum = 0;
    for (uint32_t i = 0; i < cs->m_accepting; i++)
        sum += w[i] = m->merchants[cs->m_order[i]].weight;
    cs->accept_weight = sum;   /* re-summed: no drift from incremental adds */
    cs->accepting = gsl_ran_discrete_preproc(cs->m_accepting, w);
    free(w);
    return cs->accepting ? 0 : -1;
}

/* Mark holders who have not paid within the dormancy window as dormant. */
static void update_dormancy(struct model *m, uint32_t c, double now) {
    struct city_state *cs = &m->cities[c];
    double cutoff_day = floor((now - m->s->dormancy_s) / DAY);
    for (uint32_t i = 0; i < cs->wallets; i++) {
        struct user *u = &m->users[cs->order[i]];
        if (u->stage == STAGE_ACTIVE && (double)u->last_pay_day - 1 < cutoff_day) {
            u->stage = STAGE_DORMANT;
            cs->active--;
        }
    }
}

/* Merchants sweep their e-CNY takings to their bank account each night;
 * only those that took e-CNY since the last sweep are visited. */
static void sweep_merchants(struct model *m) {
    for (uint32_t i = 0; i < m->n_takings; i++) {
        struct merchant *mc = &m->merchants[m->takings[i]];
        m->money.redeemed_fen += mc->balance_fen;
        mc->balance_fen = 0;
    }
    m->n_takings = 0;
}

static int day_step(struct model *m, uint64_t day, double now, double dt) {
    for (uint32_t c = 0; c < m->s->n_cities; c++) {
        if (now + dt > m->s->cities[c].pilot_start_s) {
            /* The first day of a pilot counts only its open part. */
            double open = now >= m->s->cities[c].pilot_start_s ? dt
                          : now + dt - m->s->cities[c].pilot_start_s;
            adopt_merchants(m, c, day, open);
            adopt_users(m, c, day, open);
        }
        if (refresh_accepting(m, c) < 0)
            return -1;
        update_dormancy(m, c, now);
    }
    sweep_merchants(m);
    return 0;
}

/* ---- lotteries ---- */

/* Registration closes: registrants are a binomial share of the city's
 * smartphone owners, winners a uniform sample of them, and each winner claims
 * with claim_share, opening a wallet if needed. */
static int lottery_draw(struct model *m, uint32_t i) {
    const struct intervention *iv = &m->s->interventions[i];
    struct lottery_state *ls = &m->lotteries[i];
    struct city_state *cs = &m->cities[iv->city];
    rng_at(m->rng, P_LOTTERY, i, 0);
    double p = cs->n ? fmin(1.0, iv->propensity * cs->n / fmax(1, cs->n_smart)) : 0;
    unsigned registered = gsl_ran_binomial(m->rng, p, cs->n_smart);
    double want = (double)iv->envelopes / m->k;
    uint32_t winners = (uint32_t)floor(want);
    if (gsl_rng_uniform(m->rng) < want - winners)
        winners++;   /* stochastic rounding keeps the expected count exact */
    if (winners > registered)
        winners = registered;
    ls->out.registrations = registered;
    ls->out.winners = winners;
    /* Registrants are a uniform subset of owners and winners a uniform subset
     * of registrants, so winners are a uniform subset of owners (users
     * first + [0, n_smart), a fixed set). Draw them by rejection against a
     * bitmap: winners <= registrants, about `propensity` of the owners, so
     * few draws are rejected, and the cost follows the winners, not the city. */
    uint64_t *taken = calloc(cs->n_smart / 64 + 1, sizeof *taken);
    if (!taken)
        return -1;
    for (uint32_t w = 0; w < winners; w++) {
        uint32_t u;
        do
            u = (uint32_t)gsl_rng_uniform_int(m->rng, cs->n_smart);
        while (taken[u / 64] >> (u % 64) & 1);
        taken[u / 64] |= UINT64_C(1) << (u % 64);
        if (gsl_rng_uniform(m->rng) >= iv->claim_share)
            continue;
        uint32_t id = cs->first + u;
        struct user *us = &m->users[id];
        if (us->envelope_fen > 0)
            continue;   /* one envelope at a time: a holder of another cannot claim */
        if (us->stage == STAGE_UNAWARE) {
            gsl_ran_discrete_t *pick = ls->op_pick ? ls->op_pick : cs->op_pick;
            open_wallet(m, iv->city, id, (uint8_t)gsl_ran_discrete(m->rng, pick));
        }
        int64_t amount = iv->amounts_fen[gsl_rng_uniform_int(m->rng, iv->n_amounts)];
        us->envelope_fen = (int32_t)amount;
        us->lottery = (uint8_t)(i + 1);
        m->money.issued_fen += amount;
        ls->holders[ls->n_holders++] = id;
        ls->out.claimed++;
    }
    free(taken);
    return 0;
}

static void lottery_close(struct model *m, uint32_t i) {
    struct lottery_state *ls = &m->lotteries[i];
    ls->open = 0;
    for (uint32_t h = 0; h < ls->n_holders; h++) {
        struct user *us = &m->users[ls->holders[h]];
        ls->out.reclaimed_fen += us->envelope_fen;
        m->money.reclaimed_fen += us->envelope_fen;
        us->envelope_fen = 0;
        us->lottery = 0;
    }
    ls->n_holders = 0;
    payments_update_spend_rate(m, i);
}

/* ---- the clock: buckets, days and hours ---- */

struct clock {
    double next_bucket, next_day, next_hour;
    uint64_t bucket, day, hour;    /* boundaries passed */
    uint64_t day_steps;            /* adoption steps done: the day's rng key */
    double day0, hour0;            /* the first day and hour boundaries */
};

/* Count active users and record a time-series row per city, then reset the
 * bucket's flows. */
static int close_bucket(struct model *m, struct model_result *r, double now, double length) {
    for (uint32_t c = 0; c < m->s->n_cities; c++) {
        struct city_state *cs = &m->cities[c];
        if (cs->minute_count > cs->b_peak)
            cs->b_peak = (double)cs->minute_count;
        struct ts_row row = {
            .time_s = now,
            .city = c,
            .wallets = scale(m, cs->wallets),
            .active_users = scale(m, cs->active),
            .adoption = cs->n ? (double)cs->wallets / cs->n : 0,
            .merchants_accepting = scale(m, cs->m_accepting),
            .payments = scale(m, cs->b_payments),
            .payments_failed = scale(m, cs->b_failed),
            .value_fen = scale(m, cs->b_value),
            .tps_mean = (double)(cs->b_payments + cs->b_failed) * m->k / length,
            .tps_peak = cs->b_peak * m->k / 60.0,
            .latency_p50_ms = hist_quantile(cs->b_latency, 0.50) * 1e3,
            .latency_p99_ms = hist_quantile(cs->b_latency, 0.99) * 1e3,
        };
        if (metrics_add_row(&r->series, &row) < 0)
            return -1;
        if (cs->b_peak > cs->peak)
            cs->peak = cs->b_peak;
        hist_merge(cs->latency, cs->b_latency);
        hist_reset(cs->b_latency);
        cs->b_payments = cs->b_failed = cs->b_value = 0;
        cs->b_peak = 0;
        cs->minute_count = 0;
        cs->minute = -1;
    }
    return 0;
}

static double clock_next(const struct clock *k) {
    double t = k->next_bucket;
    if (k->next_day < t)
        t = k->next_day;
    if (k->next_hour < t)
        t = k->next_hour;
    return t;
}

/* Handle every boundary that falls at `now`, in a fixed order: close the
 * bucket, then the day's adoption, then the arrival rates of the new hour. */
static int clock_tick(struct model *m, struct model_result *r, struct clock *k,
                      double now, model_progress_fn progress, void *ctx) {
    const struct scenario *s = m->s;
    if (now == k->next_bucket) {
        double from = (double)k->bucket * s->step_s;
        if (now > 0 && close_bucket(m, r, now, now - from) < 0)
            return -1;
        if (now > 0)
            k->bucket++;
        k->next_bucket = fmin((double)(k->bucket + 1) * s->step_s, s->duration_s);
        if (now >= s->duration_s)
            k->next_bucket = INFINITY;
        if (progress && now > 0)
            progress(ctx, now, s->duration_s);
    }
    if (now == k->next_day) {
        /* Day 0 may be a partial day when the start is not a local midnight. */
        if (now == k->day0 + (double)k->day * DAY)
            k->day++;
        k->next_day = k->day0 + (double)k->day * DAY;
        if (day_step(m, k->day_steps++, now, k->next_day - now) < 0)
            return -1;
    }
    if (now == k->next_hour) {
        k->hour++;
        k->next_hour = k->hour0 + (double)k->hour * HOUR;
    }
    for (uint32_t c = 0; c < s->n_cities; c++)
        payments_update_rate(m, c);
    for (uint32_t i = 0; i < s->n_interventions; i++)
        payments_update_spend_rate(m, i);
    double next = clock_next(k);
    if (next <= s->duration_s)
        engine_schedule(&m->engine, next, EV_CLOCK, 0, 0);
    return 0;
}

/* ---- results ---- */

static void collect(struct model *m, struct model_result *r) {
    const struct scenario *s = m->s;
    double horizon = r->horizon_s > 0 ? r->horizon_s : 1;
    for (uint32_t c = 0; c < s->n_cities; c++) {
        struct city_state *cs = &m->cities[c];
        struct city_result *cr = &r->cities[c];
        cr->population = s->cities[c].population;
        cr->wallets = scale(m, cs->wallets);
        cr->active_users = scale(m, cs->active);
        cr->adoption = cs->n ? (double)cs->wallets / cs->n : 0;
        cr->merchants_accepting = scale(m, cs->m_accepting);
        cr->payments = scale(m, cs->payments);
        cr->payments_failed = scale(m, cs->failed);
        cr->value_fen = scale(m, cs->value);
        cr->tps_mean = (double)(cs->payments + cs->failed) * m->k / horizon;
        cr->tps_peak = cs->peak * m->k / 60.0;
        cr->latency = cs->latency;
        cs->latency = NULL;    /* handed over to the result */
    }
    for (uint32_t i = 0; i < s->n_interventions; i++) {
        const struct lottery_result *o = &m->lotteries[i].out;
        struct lottery_result *ro = &r->interventions[i];
        ro->registrations = scale(m, o->registrations);
        ro->winners = scale(m, o->winners);
        ro->claimed = scale(m, o->claimed);
        ro->payments = scale(m, o->payments);
        ro->spent_fen = scale(m, o->spent_fen);
        ro->topup_spent_fen = scale(m, o->topup_spent_fen);
        ro->reclaimed_fen = scale(m, o->reclaimed_fen);
    }
    /* The stock, summed over every agent independently of the flow counters. */
    int64_t wallets = payments_in_flight_fen(m);
    for (uint32_t c = 0; c < s->n_cities; c++) {
        struct city_state *cs = &m->cities[c];
        for (uint32_t i = 0; i < cs->n; i++)
            wallets += m->users[cs->first + i].balance_fen + m->users[cs->first + i].envelope_fen;
        for (uint32_t i = 0; i < cs->m_n; i++)
            wallets += m->merchants[cs->m_first + i].balance_fen;
    }
    r->money.issued_fen = scale(m, m->money.issued_fen);
    r->money.redeemed_fen = scale(m, m->money.redeemed_fen);
    r->money.reclaimed_fen = scale(m, m->money.reclaimed_fen);
    r->money.circulation_fen = r->money.issued_fen - r->money.redeemed_fen - r->money.reclaimed_fen;
    r->money.wallets_fen = scale(m, wallets);
    r->events = m->events;
}

void model_result_free(struct model_result *r) {
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

static int handle(struct model *m, struct model_result *r, struct clock *k,
                  const engine_event *ev, model_progress_fn progress, void *ctx) {
    switch ((enum event_kind)ev->kind) {
    case EV_HOP:
        return payments_hop(m, ev->subject, ev->time);
    case EV_ARRIVE:
        return payments_arrive(m, ev->subject, ev->time);
    case EV_SPEND_ARRIVE:
        return payments_spend(m, ev->subject, ev->time);
    case EV_CLOCK:
        return clock_tick(m, r, k, ev->time, progress, ctx);
    case EV_LOTTERY_DRAW:
        return lottery_draw(m, ev->subject);
    case EV_SPEND_OPEN:
        m->lotteries[ev->subject].open = 1;
        payments_update_spend_rate(m, ev->subject);
        return 0;
    case EV_SPEND_CLOSE:
        lottery_close(m, ev->subject);
        return 0;
    }
    return 0;
}

static struct model_result *result_new(const struct scenario *s) {
    struct model_result *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->n_cities = s->n_cities;
    r->n_interventions = s->n_interventions;
    r->cities = calloc(s->n_cities, sizeof *r->cities);
    r->interventions = calloc(s->n_interventions ? s->n_interventions : 1, sizeof *r->interventions);
    metrics_init(&r->series);
    if (!r->cities || !r->interventions) {
        model_result_free(r);
        return NULL;
    }
    return r;
}

struct model_result *model_run(const struct scenario *s, uint32_t replication,
                               model_progress_fn progress, void *progress_ctx) {
    struct model *m = malloc(sizeof *m);
    struct model_result *r = result_new(s);
    if (!m || !r || model_setup(m, s, replication) < 0)
        goto fail;
    r->latency_exact = s->sample == 1;
    /* The first local midnight and hour boundaries after the start (or the
     * start itself when it falls on one). */
    struct clock k = {0};
    double into_day = fmod(m->local_offset_s, DAY), into_hour = fmod(m->local_offset_s, HOUR);
    k.day0 = into_day == 0 ? 0 : DAY - into_day;
    k.hour0 = into_hour == 0 ? 0 : HOUR - into_hour;
    k.next_day = 0;              /* day 0 starts at 0, partial or not */
    k.next_hour = k.hour0;
    engine_schedule(&m->engine, 0, EV_CLOCK, 0, 0);
    engine_event ev;
    while (engine_next(&m->engine, s->duration_s, &ev)) {
        m->events++;
        if (handle(m, r, &k, &ev, progress, progress_ctx) < 0)
            goto fail;
    }
    r->horizon_s = s->duration_s;
    r->complete = 1;
    r->payments = 0;
    for (uint32_t c = 0; c < s->n_cities; c++)
        r->payments += m->cities[c].payments_started;
    for (uint32_t i = 0; i < s->n_interventions; i++)
        r->payments += m->lotteries[i].payments_started;
    collect(m, r);
    model_destroy(m);
    free(m);
    return r;
fail:
    if (m) {
        model_destroy(m);
        free(m);
    }
    model_result_free(r);
    return NULL;
}
