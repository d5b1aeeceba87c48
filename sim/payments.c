/* payments: the arrival streams of e-CNY payments and each payment's path
 * through the infrastructure.
 *
 * A city's regular payments are one Poisson stream over its wallet holders
 * (DESIGN.md: no pending event per person). Only payments that will be made
 * in e-CNY are generated: the stream is thinned up front by the holders'
 * e-CNY preference and the accepting merchants' share of popularity, and the
 * merchant is then drawn among accepting ones, which is the same process
 * without the wasted draws. Rates are piecewise constant between clock ticks
 * (hour, day, bucket); at each tick the pending arrival is redrawn, which is
 * exact for a Poisson stream because it is memoryless.
 *
 * Path: payer's operator -> (ledger -> merchant's operator, when they differ).
 * Each hop is one event at the time the payment reaches the next resource
 * (infra.h). Money: the payer is debited at the start (topped up from the
 * bank when short), the merchant credited at the end; a payment slower than
 * the payer operator's timeout fails and is refunded. */
#include "model_state.h"

#include <math.h>
#include <stdlib.h>

#include "rng.h"

#define DAY 86400.0
#define POOL_FREE 0xFF           /* hop value marking a free pool slot */
#define LOTTERY_STREAM (1u << 16) /* rng stream ids: cities below, lotteries above */

/* ---- the pool of payments in flight ---- */

static int64_t pool_take(struct model *m) {
    if (m->pool_free == UINT32_MAX || m->pool_cap == 0) {
        uint32_t cap = m->pool_cap ? 2 * m->pool_cap : 1024;
        struct payment *p = realloc(m->pool, cap * sizeof *p);
        if (!p)
            return -1;
        /* Thread the new slots onto the free list. */
        for (uint32_t i = m->pool_cap; i < cap; i++) {
            p[i].hop = POOL_FREE;
            p[i].payer = i + 1 < cap ? i + 1 : UINT32_MAX;
        }
        m->pool = p;
        m->pool_free = m->pool_cap;
        m->pool_cap = cap;
    }
    uint32_t id = m->pool_free;
    m->pool_free = m->pool[id].payer;
    m->pool_used++;
    return id;
}

static void pool_give(struct model *m, uint32_t id) {
    m->pool[id].hop = POOL_FREE;
    m->pool[id].payer = m->pool_free;
    m->pool_free = id;
    m->pool_used--;
}

int64_t payments_in_flight_fen(const struct model *m) {
    int64_t sum = 0;
    for (uint32_t i = 0; i < m->pool_cap; i++)
        if (m->pool[i].hop != POOL_FREE)
            sum += m->pool[i].amount_fen;
    return sum;
}

/* ---- arrival streams ---- */

/* Replace a stream's pending arrival by one drawn at the current rate. */
static void redraw(struct model *m, uint64_t *pending, double rate, uint32_t kind,
                   uint32_t subject, uint64_t stream, uint64_t *draws) {
    if (*pending)
        engine_cancel(&m->engine, *pending);
    *pending = 0;
    if (rate <= 0)
        return;
    rng_at(m->rng, P_ARRIVAL, stream, (*draws)++);
    double t = engine_now(&m->engine) + gsl_ran_exponential(m->rng, 1.0 / rate);
    if (t <= m->s->duration_s)
        *pending = engine_schedule(&m->engine, t, kind, subject, 0);
}

void payments_update_rate(struct model *m, uint32_t c) {
    struct city_state *cs = &m->cities[c];
    const struct scenario *s = m->s;
    double accept = cs->total_weight > 0 && cs->accepting ? cs->accept_weight / cs->total_weight : 0;
    cs->rate = cs->wallets * s->payments_per_day / DAY * s->ecny_preference * accept *
               model_profile(m, engine_now(&m->engine));
    redraw(m, &cs->arrival_id, cs->rate, EV_ARRIVE, c, c, &cs->draws);
}

void payments_update_spend_rate(struct model *m, uint32_t i) {
    struct lottery_state *ls = &m->lotteries[i];
    ls->rate = ls->open ? ls->n_holders * m->s->interventions[i].spend_rate / DAY *
                          model_profile(m, engine_now(&m->engine)) : 0;
    redraw(m, &ls->arrival_id, ls->rate, EV_SPEND_ARRIVE, i, LOTTERY_STREAM + i, &ls->draws);
}

/* ---- the payment path ---- */

static int64_t draw_ticket(struct model *m, int64_t median_fen, double sigma) {
    double t = gsl_ran_lognormal(m->rng, log((double)median_fen), sigma);
    return t < 1 ? 1 : (int64_t)llround(t);
}

/* Admit payment id to its next resource at `now` and schedule its arrival
 * at the one after (or its end). */
static int route(struct model *m, uint32_t id, double now) {
    struct payment *p = &m->pool[id];
    uint8_t payer_op = m->users[p->payer].op, merchant_op = m->merchants[p->merchant].op;
    struct resource *r;
    const struct service *sv;
    double factor;
    if (p->hop == 0 || (p->hop == 2 && payer_op != merchant_op)) {
        uint8_t op = p->hop == 0 ? payer_op : merchant_op;
        r = &m->operators[op];
        sv = &m->s->operators[op].service;
        factor = m->op_factor[op];
    } else {
        r = &m->ledger;
        sv = &m->s->ledger;
        factor = m->ledger_factor;
    }
    rng_at(m->rng, P_SERVICE, p->key, p->hop);
    double done = resource_admit(r, now, model_draw_service(m, sv, factor));
    p->hop++;
    return engine_schedule(&m->engine, done, EV_HOP, id, 0) ? 0 : -1;
}

/* Start an e-CNY payment: debit the payer (envelope first, then own money,
 * topped up from the bank in whole multiples of `topup` when short). */
static int start(struct model *m, uint32_t city, uint32_t payer, uint32_t merchant,
                 int64_t amount, uint8_t lottery, uint64_t key, double now) {
    struct user *u = &m->users[payer];
    int64_t from_envelope = lottery ? (amount < u->envelope_fen ? amount : u->envelope_fen) : 0;
    int64_t own = amount - from_envelope;
    if (u->balance_fen < own) {
        int64_t unit = m->s->topup_fen;
        int64_t topup = (own - u->balance_fen + unit - 1) / unit * unit;
        u->balance_fen += topup;
        m->money.issued_fen += topup;
    }
    u->balance_fen -= own;
    u->envelope_fen -= (int32_t)from_envelope;
    int64_t id = pool_take(m);
    if (id < 0)
        return -1;
    struct payment *p = &m->pool[id];
    *p = (struct payment){.t0 = now, .key = key, .amount_fen = amount, .envelope_fen = from_envelope,
                          .payer = payer, .merchant = merchant, .city = (uint8_t)city,
                          .hop = 0, .lottery = lottery};
    return route(m, (uint32_t)id, now);
}

int payments_arrive(struct model *m, uint32_t c, double now) {
    struct city_state *cs = &m->cities[c];
    const struct scenario *s = m->s;
    cs->arrival_id = 0;
    uint64_t key = (uint64_t)c << 40 | cs->payments_started++;
    rng_at(m->rng, P_PAYMENT, key, 0);
    uint32_t payer = cs->order[gsl_rng_uniform_int(m->rng, cs->wallets)];
    uint32_t merchant = cs->m_order[gsl_ran_discrete(m->rng, cs->accepting)];
    int64_t amount = draw_ticket(m, s->ticket_median_fen, s->ticket_sigma);
    if (start(m, c, payer, merchant, amount, 0, key, now) < 0)
        return -1;
    redraw(m, &cs->arrival_id, cs->rate, EV_ARRIVE, c, c, &cs->draws);
    return 0;
}

/* A lottery winner spends: at any merchant of the city (the participating
 * merchants), envelope money first; a winner whose envelope is empty leaves
 * the holders. */
int payments_spend(struct model *m, uint32_t i, double now) {
    const struct intervention *iv = &m->s->interventions[i];
    struct lottery_state *ls = &m->lotteries[i];
    struct city_state *cs = &m->cities[iv->city];
    ls->arrival_id = 0;
    if (ls->n_holders == 0)
        return 0;
    uint64_t key = (uint64_t)(LOTTERY_STREAM + i) << 40 | ls->payments_started++;
    rng_at(m->rng, P_PAYMENT, key, 0);
    uint32_t h = (uint32_t)gsl_rng_uniform_int(m->rng, ls->n_holders);
    uint32_t payer = ls->holders[h];
    uint32_t merchant = cs->m_first + (uint32_t)gsl_ran_discrete(m->rng, cs->all_merchants);
    int64_t amount = draw_ticket(m, iv->ticket_median_fen, iv->ticket_sigma);
    if (start(m, iv->city, payer, merchant, amount, (uint8_t)(i + 1), key, now) < 0)
        return -1;
    if (m->users[payer].envelope_fen == 0)
        ls->holders[h] = ls->holders[--ls->n_holders];
    payments_update_spend_rate(m, i);
    return 0;
}

/* The payment failed: give the payer its money back. Envelope money returns
 * to the envelope while the window is open, else it is reclaimed. */
static void refund(struct model *m, const struct payment *p) {
    struct user *u = &m->users[p->payer];
    u->balance_fen += p->amount_fen - p->envelope_fen;
    if (!p->envelope_fen)
        return;
    struct lottery_state *ls = &m->lotteries[p->lottery - 1];
    if (ls->open) {
        if (u->envelope_fen == 0)
            ls->holders[ls->n_holders++] = p->payer;
        u->envelope_fen += (int32_t)p->envelope_fen;
    } else {
        ls->out.reclaimed_fen += p->envelope_fen;
        m->money.reclaimed_fen += p->envelope_fen;
    }
}

static void finish(struct model *m, uint32_t id, double now) {
    struct payment *p = &m->pool[id];
    struct city_state *cs = &m->cities[p->city];
    struct user *u = &m->users[p->payer];
    double latency = now - p->t0;
    /* The one-minute window of the peak rate. */
    int64_t minute = (int64_t)floor(now / 60);
    if (minute != cs->minute) {
        if (cs->minute_count > cs->b_peak)
            cs->b_peak = (double)cs->minute_count;
        cs->minute = minute;
        cs->minute_count = 0;
    }
    cs->minute_count++;
    if (latency > m->s->operators[u->op].service.timeout_s) {
        cs->b_failed++;
        cs->failed++;
        refund(m, p);
    } else {
        struct merchant *mc = &m->merchants[p->merchant];
        if (mc->balance_fen == 0)
            m->takings[m->n_takings++] = p->merchant;   /* sweep it tonight */
        mc->balance_fen += p->amount_fen;
        cs->b_payments++;
        cs->payments++;
        cs->b_value += p->amount_fen;
        cs->value += p->amount_fen;
        hist_record(cs->b_latency, latency);
        if (u->stage != STAGE_ACTIVE)
            cs->active++;
        u->stage = STAGE_ACTIVE;
        u->last_pay_day = (uint16_t)(1 + floor(now / DAY));
        if (p->lottery) {
            struct lottery_result *o = &m->lotteries[p->lottery - 1].out;
            o->payments++;
            o->spent_fen += p->envelope_fen;
            o->topup_spent_fen += p->amount_fen - p->envelope_fen;
        }
    }
    pool_give(m, id);
}

int payments_hop(struct model *m, uint32_t id, double now) {
    struct payment *p = &m->pool[id];
    int direct = m->users[p->payer].op == m->merchants[p->merchant].op;
    if ((direct && p->hop == 1) || p->hop == 3) {
        finish(m, id, now);
        return 0;
    }
    return route(m, id, now);
}
