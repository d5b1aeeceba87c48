/* payments: the arrival streams of e-CNY payments, wallet limits, and each
 * payment's path through the infrastructure.
 *
 * A city's regular payments are one Poisson stream over its wallet holders
 * (DESIGN.md: no pending event per person). Only payments that will be made
 * in e-CNY are generated: the stream is thinned up front by the holders'
 * e-CNY preference and the accepting merchants' share of popularity, and the
 * merchant is then drawn among accepting ones: the same process without the
 * wasted draws. Payments by other methods are counted in expectation. Rates
 * are piecewise constant between clock ticks and intervention edges; at each
 * change the pending arrival is redrawn, exact for a memoryless stream.
 *
 * Path: payer's operator -> (ledger -> payee's operator, when they differ).
 * Each hop is one event at the time the payment reaches the next resource
 * (resource.h); the hops' service times are drawn together at the start, in
 * hop order from the payment's one service stream (a block or two, instead
 * of a block a hop). Money: the payer is debited at the start (topped up from the
 * bank when short and the class's balance limit allows), the payee credited
 * at the end. The payer gives up when the payer operator's timeout has
 * passed since the start (its deadline): a payment that cannot end by then
 * fails at the deadline, is refunded then, and goes no further; a resource
 * it could not start on by then does not serve it (resource_admit_by), so
 * an outage leaves no backlog of abandoned payments behind it. A hardware
 * wallet may pay offline: settled at once, and synchronized with its
 * operator later. Every payment that started ends in one hook (`ended`):
 * the city's counters, its lottery (lottery.c) and the peak and outage
 * windows (windows.c) learn of it there and nowhere else. A city's
 * corporate wallets pay as a stream of their own (corporate.c draws each
 * payment; the money moves here: issued as it starts, redeemed at a
 * business payee or on failure, credited to a salary's holder). Payments
 * sits above those three and below interventions: it calls down only. */
#include "model/corporate.h"
#include "model/lottery.h"
#include "model/payments.h"
#include "model/windows.h"

#include <math.h>
#include <stdlib.h>

#include "kernel/bigmem.h"
#include "kernel/detmath.h"
#include "kernel/rng.h"
#include "model/habits.h"

#define POOL_FREE 0xFF              /* hop value marking a free pool slot */
#define LOTTERY_STREAM (1u << 16)   /* rng stream ids: cities below, lotteries above, */
#define CORPORATE_STREAM (1u << 17) /* then each city's corporate payments */
#define TOPUP_HOP 250               /* rng counter of a top-up's service draw */
#define SYNC_HOP 251                /* and of an offline payment's synchronization */

/* ---- the pool of payments in flight ---- */

static int64_t pool_take(struct model *m)
{
    if (m->pool_used == m->pool_cap) {
        if (m->pool_cap > UINT32_MAX / 2)
            return -1; /* ids are uint32 (UINT32_MAX ends the free list) */
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

static void pool_give(struct model *m, uint32_t id)
{
    m->pool[id].hop = POOL_FREE;
    m->pool[id].payer = m->pool_free;
    m->pool_free = id;
    m->pool_used--;
}

int64_t payments_in_flight_fen(const struct model *m)
{
    int64_t sum = 0;
    for (uint32_t i = 0; i < m->pool_cap; i++)
        if (m->pool[i].hop != POOL_FREE)
            sum += m->pool[i].amount_fen;
    return sum;
}

/* ---- arrival streams ---- */

/* Position the generator on stream (purpose, agent, counter) under the
 * purpose's key: from its first block, looked ahead (look_ahead, below),
 * when `ahead` says that block is this stream's, else afresh. */
static void stream_at(struct model *m, uint32_t purpose, uint64_t key, uint64_t agent,
                      uint64_t counter, int ahead, const uint64_t block[2])
{
    if (ahead)
        rng_at_block(m->rng, purpose, key, agent, counter, block);
    else
        rng_at(m->rng, purpose, agent, counter);
}

/* Whether a's look-ahead is payment `key`'s (key 0: none was made). */
static int ahead_of(const struct payment_ahead *a, uint64_t key)
{
    return a->key == key && key;
}

/* Replace a stream's pending arrival by one drawn at the current rate:
 * 0, or -1 when the engine is out of memory. */
static int redraw(struct model *m, uint64_t *pending, double rate, uint32_t kind, uint32_t subject,
                  uint64_t stream, uint64_t *draws, const struct payment_ahead *a)
{
    if (*pending)
        engine_cancel(&m->engine, *pending);
    *pending = 0;
    if (rate <= 0)
        return 0;
    stream_at(m, P_ARRIVAL, m->key_arrival, stream, *draws, a->key && a->draw == *draws,
              a->arrival);
    ++*draws;
    double t = engine_now(&m->engine) + rng_exponential(m->rng, 1.0 / rate);
    if (t <= m->s->duration_s && !(*pending = engine_schedule(&m->engine, t, kind, subject, 0)))
        return -1;
    return 0;
}

/* Fold the expected payments by every method since the rate last changed:
 * the denominator of ecny_share, counted in expectation, not simulated. */
void payments_accrue(struct city_state *cs, double now)
{
    double e = cs->rate_all * (now - cs->rate_since);
    cs->bucket.all_payments += e;
    cs->total.all_payments += e;
    cs->rate_since = now;
}

/* The expected arrival rate of city c's e-CNY payments changed at `now`
 * (its regular stream's or one of its lotteries' spending): the peak
 * meters of tps_peak follow the city's rate and every city's sum. Both are
 * rates of the process the streams are drawn from, so they do not depend
 * on how many payments a sampled run happens to draw in a minute. */
static void load_changed(struct model *m, uint32_t c, double now)
{
    const struct scenario *s = m->s;
    double rate = m->cities[c].rate + m->cities[c].corp.rate, all = 0;
    for (uint32_t i = 0; i < s->n_interventions; i++)
        if (s->interventions[i].kind == INTERVENTION_LOTTERY &&
            (uint32_t)s->interventions[i].city == c)
            rate += m->iv[i].rate;
    peak_meter_set(&m->cities[c].load, now, rate);
    for (uint32_t k = 0; k < s->n_cities; k++)
        all += m->cities[k].load.rate;
    peak_meter_set(&m->load, now, all);
}

/* No look-ahead for the corporate streams: a payment's first blocks are
 * drawn when it comes (they are few beside the people's). */
static const struct payment_ahead no_ahead;

/* Redraw city c's pending corporate payment at its current rate: nothing
 * at all while it holds no corporate wallet (rate 0). */
static int redraw_corporate(struct model *m, uint32_t c)
{
    struct corporates *k = &m->cities[c].corp;
    return redraw(m, &k->arrival_id, k->rate, EV_CORP_ARRIVE, c, CORPORATE_STREAM + c, &k->draws,
                  &no_ahead);
}

int payments_update_rate(struct model *m, uint32_t c)
{
    struct city_state *cs = &m->cities[c];
    const struct scenario *s = m->s;
    double now = engine_now(&m->engine);
    double per_person =
        s->payments_per_day / CALENDAR_DAY * calendar_profile(&m->cal, now) * cs->multiplier;
    double accept =
        cs->acc.total_weight > 0 ? acceptance_weight(&cs->acc) / cs->acc.total_weight : 0;
    /* Acceptance concentrated where holders pay (payments.concentration,
     * kappa): their payments that can go e-CNY are A^kappa, not A. */
    if (s->concentration != 1 && accept > 0)
        accept = detmath_exp(s->concentration * detmath_log(accept));
    /* People who differ: the stream is the sum of its holders' activity. */
    double holders = m->activity ? cs->activity_sum : (double)cs->pop.wallets;
    payments_accrue(cs, now); /* the old rate up to now, then the new one */
    cs->rate_all = cs->pop.n * per_person;
    cs->rate = holders * per_person * s->ecny_preference * accept;
    cs->corp.rate = corporate_rate(m, c, now);
    load_changed(m, c, now);
    return redraw(m, &cs->arrival_id, cs->rate, EV_ARRIVE, c, c, &cs->draws, &cs->ahead) < 0 ||
                   redraw_corporate(m, c) < 0
               ? -1
               : 0;
}

int payments_update_spend_rate(struct model *m, uint32_t i)
{
    struct intervention_state *st = &m->iv[i];
    double now = engine_now(&m->engine), was = st->rate;
    st->rate = st->lot.open ? (double)lottery_weight(&st->lot) * st->lot.per_weight / CALENDAR_DAY *
                                  calendar_profile(&m->cal, now)
                            : 0;
    if (st->rate != was)
        load_changed(m, (uint32_t)m->s->interventions[i].city, now);
    return redraw(m, &st->arrival_id, st->rate, EV_SPEND_ARRIVE, i, LOTTERY_STREAM + i, &st->draws,
                  &st->ahead);
}

/* ---- money and limits ---- */

/* Credit a wallet, up to its class's balance limit; returns what was
 * credited (the rest stays in, or goes to, the person's bank account). */
int64_t payments_credit(struct model *m, uint32_t wallet, int64_t fen)
{
    struct wallet *u = &m->wallets[wallet];
    int64_t cap = m->classes[u->flags & WALLET_CLASS].balance_fen;
    int64_t room = cap == LIMIT_NONE ? fen : cap - u->balance_fen;
    int64_t credited = fen < room ? fen : room > 0 ? room : 0;
    u->balance_fen += credited;
    return credited;
}

enum refusal { OK, REFUSED_PER_PAYMENT, REFUSED_PER_DAY, REFUSED_BALANCE };

/* The payment's deadline: when its payer gives up, the payer operator's
 * timeout after its start. */
static inline double deadline(const struct model *m, uint8_t payer_op, double t0)
{
    return t0 + m->op_service[payer_op].timeout_s;
}

/* Check the payer's class limits for a payment of `amount` of which `own`
 * comes from its own balance; on success top it up when short (a top-up is
 * issued e-CNY and a job for its operator, which, like the payment's own,
 * is not served when it cannot start before the payer gives up) and count
 * the day's spending. */
static enum refusal authorize(struct model *m, uint32_t city, struct wallet *u, int64_t amount,
                              int64_t own, uint64_t key, double now)
{
    const struct wallet_class *wc = &m->classes[u->flags & WALLET_CLASS];
    uint16_t today = calendar_day(now);
    int64_t spent = u->spent_day == today ? u->spent_today_fen : 0;
    if (amount > wc->per_payment_fen)
        return REFUSED_PER_PAYMENT;
    if (wc->per_day_fen != LIMIT_NONE && spent + amount > wc->per_day_fen)
        return REFUSED_PER_DAY;
    if (u->balance_fen < own) {
        int64_t unit = m->s->topup_fen;
        int64_t topup = (own - u->balance_fen + unit - 1) / unit * unit;
        if (wc->balance_fen != LIMIT_NONE && u->balance_fen + topup > wc->balance_fen)
            topup = own - u->balance_fen; /* the exact shortfall still fits? */
        if (wc->balance_fen != LIMIT_NONE && u->balance_fen + topup > wc->balance_fen)
            return REFUSED_BALANCE;
        u->balance_fen += topup;
        money_issue(&m->book, city, topup);
        rng_at(m->rng, P_SERVICE, key, TOPUP_HOP);
        resource_admit_by(&m->operators[u->op], now,
                          resource_law_draw(&m->op_service[u->op], m->rng),
                          deadline(m, u->op, now));
    }
    int64_t total = spent + amount;
    u->spent_today_fen = total > INT32_MAX ? INT32_MAX : (int32_t)total;
    u->spent_day = today;
    return OK;
}

static void count_refusal(struct city_state *cs, enum refusal why)
{
    struct city_flows *f[2] = {&cs->bucket, &cs->total};
    for (int i = 0; i < 2; i++) {
        f[i]->refused++;
        f[i]->refused_per_payment += why == REFUSED_PER_PAYMENT;
        f[i]->refused_per_day += why == REFUSED_PER_DAY;
        f[i]->refused_balance += why == REFUSED_BALANCE;
    }
}

/* ---- the payment path ---- */

static uint8_t payee_op(const struct model *m, const struct payment *p)
{
    return p->kind == PAY_TRANSFER ? m->wallets[p->payee].op : m->merchants[p->payee].op;
}

/* Whether a corporate wallet pays: no payer wallet (corporate.h). */
static inline int corporate(const struct payment *p)
{
    return p->kind == PAY_SALARY || p->kind == PAY_BUSINESS;
}

/* Resources on p's path: its operator alone, or both and the ledger. */
static inline uint8_t path_hops(const struct payment *p)
{
    return p->payer_op == p->payee_op ? 1 : 3;
}

/* Fix payment p's path and draw its service times, in hop order from the
 * stream (service, payment): the first is the same whether or not the path
 * goes on through the ledger, so two plans that route a payment differently
 * still share its first draw. */
static void draw_path(struct model *m, struct payment *p)
{
    const struct payment_ahead *a =
        p->lottery ? &m->iv[p->lottery - 1].ahead : &m->cities[p->city].ahead;
    if (corporate(p)) {
        a = &no_ahead; /* its operators were drawn with it */
    } else {
        p->payer_op = m->wallets[p->payer].op;
        p->payee_op = payee_op(m, p);
    }
    stream_at(m, P_SERVICE, m->key_service, p->key, 0, ahead_of(a, p->key), a->service);
    p->service[0] = resource_law_draw(&m->op_service[p->payer_op], m->rng);
    if (path_hops(p) == 3) {
        p->service[1] = resource_law_draw(&m->ledger_service, m->rng);
        p->service[2] = resource_law_draw(&m->op_service[p->payee_op], m->rng);
    }
}

/* Admit payment id to its next resource at `now` and schedule its arrival
 * at the one after (or its end); or, when it cannot end that hop by its
 * deadline (the resource would start it too late: dropped unserved; or
 * its service would end too late: served in vain, not forwarded), its
 * failure at the deadline. The test is the payment's latency at the hop's
 * end against the timeout, as at its end: hops only add to it. */
static int route(struct model *m, uint32_t id, double now)
{
    struct payment *p = &m->pool[id];
    struct resource *r =
        p->hop == 1 ? &m->ledger : &m->operators[p->hop == 0 ? p->payer_op : p->payee_op];
    double timeout = m->op_service[p->payer_op].timeout_s;
    double at = resource_admit_by(r, now, p->service[p->hop], p->t0 + timeout);
    uint32_t kind = EV_HOP;
    p->hop++;
    if (at - p->t0 > timeout) { /* dropped (INFINITY) or late */
        at = p->t0 + timeout;
        kind = EV_TIMEOUT;
    }
    return engine_schedule(&m->engine, at, kind, id, 0) ? 0 : -1;
}

static void credit_payee(struct model *m, const struct payment *p)
{
    if (p->kind == PAY_BUSINESS) { /* the payee redeems it at its bank */
        money_redeem(&m->book, p->city, p->amount_fen);
        return;
    }
    if (p->kind == PAY_TRANSFER || p->kind == PAY_SALARY) {
        /* Beyond the payee's balance limit the money goes on to its bank. */
        int64_t credited = payments_credit(m, p->payee, p->amount_fen);
        money_redeem(&m->book, p->city, p->amount_fen - credited);
        return;
    }
    struct merchant *mc = &m->merchants[p->payee];
    if (mc->balance_fen == 0)
        m->takings[m->n_takings++] = p->payee; /* swept tonight */
    money_add(&m->book, &mc->balance_fen, p->amount_fen - m->leak_fen);
}

/* Count a completed payment and what it did for its payer. */
static void count_done(struct model *m, const struct payment *p, double latency, int offline)
{
    struct city_state *cs = &m->cities[p->city];
    struct city_flows *f[2] = {&cs->bucket, &cs->total};
    int corp = corporate(p);
    for (int i = 0; i < 2; i++) {
        f[i]->payments++;
        f[i]->offline += offline;
        f[i]->transfers += p->kind == PAY_TRANSFER;
        f[i]->corporate += corp;
    }
    cs->bucket.value += p->amount_fen; /* at most the total's */
    money_add(&m->book, &cs->total.value, p->amount_fen);
    if (!offline)
        hist_record(cs->b_latency, latency);
    if (corp) {
        cs->bucket.corporate_value += p->amount_fen; /* at most the total's */
        money_add(&m->book, &cs->total.corporate_value, p->amount_fen);
        return; /* no person paid: nobody's activity */
    }
    struct wallet *u = &m->wallets[p->payer];
    /* Move the payer to today's count of last payments (activity). */
    uint16_t today = calendar_day(p->t0 + latency);
    if (u->last_pay_day)
        cs->paid_on[u->last_pay_day - 1]--;
    cs->paid_on[today]++;
    u->last_pay_day = (uint16_t)(today + 1);
}

enum ending { ENDED_DONE, ENDED_OFFLINE, ENDED_FAILED };

/* The one hook: every e-CNY payment that started ends here, once,
 * completed (online after `latency`, or settled offline) or failed, and
 * everyone who counts payments is told: the city's flows and its payer's
 * activity, the payment's lottery, the peak and outage windows. `t0` is
 * when it started (a payment settled offline is a prototype that never
 * entered the pool: its own t0 is unset). A failed payment's payer gets
 * its own money back here; its envelope money, the lottery. */
static void ended(struct model *m, const struct payment *p, enum ending how, double latency,
                  double t0)
{
    if (how == ENDED_FAILED) {
        struct city_state *cs = &m->cities[p->city];
        cs->bucket.failed++;
        cs->total.failed++;
        if (corporate(p)) /* back to the payer's bank */
            money_redeem(&m->book, p->city, p->amount_fen);
        else
            m->wallets[p->payer].balance_fen += p->amount_fen - p->envelope_fen;
    } else {
        count_done(m, p, latency, how == ENDED_OFFLINE);
    }
    if (p->lottery)
        lottery_ended(m, p, how == ENDED_FAILED, how == ENDED_OFFLINE);
    if (m->n_windows)
        windows_count(m, p->city, t0, how == ENDED_FAILED);
}

/* Send a payment whose payer has paid on its path from `now`: 0 or -1. */
static int launch(struct model *m, const struct payment *proto, double now)
{
    int64_t id = pool_take(m);
    if (id < 0)
        return -1;
    struct payment *p = &m->pool[id];
    *p = *proto;
    p->t0 = now;
    p->hop = 0;
    draw_path(m, p);
    return route(m, (uint32_t)id, now);
}

/* Start an e-CNY payment: check the limits, debit the payer (envelope first,
 * then own money), then send it on its path, or settle it at once offline. */
static int start(struct model *m, const struct payment *proto, double now)
{
    struct wallet *u = &m->wallets[proto->payer];
    struct city_state *cs = &m->cities[proto->city];
    int64_t own = proto->amount_fen - proto->envelope_fen;
    enum refusal why = authorize(m, proto->city, u, proto->amount_fen, own, proto->key, now);
    if (why != OK) {
        count_refusal(cs, why); /* the payer pays by another method */
        return 0;
    }
    u->balance_fen -= own;
    u->envelope_fen -= proto->envelope_fen;
    /* A hardware wallet pays a shop (not the online marketplace) offline
     * with probability offline_share: settled now, synchronized with the
     * operator after offline_sync. */
    if ((u->flags & WALLET_HARDWARE) && proto->kind == PAY_MERCHANT &&
        m->merchants[proto->payee].category != MERCHANT_ONLINE &&
        rng_uniform_pos(m->rng) < m->s->offline_share) {
        credit_payee(m, proto);
        ended(m, proto, ENDED_OFFLINE, 0, now);
        double at = now + m->s->offline_sync_s;
        if (at <= m->s->duration_s &&
            !engine_schedule(&m->engine, at, EV_SYNC, u->op, (uint32_t)(proto->key & 0xffffffffu)))
            return -1;
        return 0;
    }
    return launch(m, proto, now);
}

/* A corporate payment starts: its payer funds it from its bank (issued),
 * with no wallet limit of its own, and it takes the path. */
static int start_corporate(struct model *m, const struct payment *proto, double now)
{
    money_issue(&m->book, proto->city, proto->amount_fen);
    return launch(m, proto, now);
}

/* An offline payment reaches its operator: a job, no latency to record.
 * `seq` is the low bits of the payment's number, keying the service draw. */
void payments_sync(struct model *m, uint32_t op, uint32_t seq, double now)
{
    rng_at(m->rng, P_SERVICE, (uint64_t)op << 32 | seq, SYNC_HOP);
    resource_admit(&m->operators[op], now, resource_law_draw(&m->op_service[op], m->rng));
}

/* The payer's account is a random place in memory, and the draws that pick
 * it are known before the payment arrives: a stream's next payment has the
 * next key. So after each arrival the next payment's first block is
 * computed, and the payer's place among n candidates that its first draw
 * (rng_below_low) gives is returned, for the caller to fetch the account
 * during the events in between; the block is handed back to the generator
 * when the payment comes (stream_at). The guess uses today's n: a wrong
 * one (wallets opened, envelopes spent in between) only wastes the fetch.
 * The first blocks of the payment's service stream (draw_path) and of the
 * stream's next arrival draw (redraw) are computed with it: three
 * independent Philox chains side by side, off the paths that wait for
 * them, so that no payment waits for its own first blocks. A block whose
 * key is not the one asked for (a rate change redrew the arrival) is
 * simply not used. */
static uint32_t look_ahead(struct model *m, struct payment_ahead *a, uint64_t key, uint32_t n,
                           uint64_t stream, uint64_t draw)
{
    a->key = key;
    a->draw = draw;
    rng_block_keyed(m->key_payment, key, 0, a->block);
    rng_block_keyed(m->key_service, key, 0, a->service);
    rng_block_keyed(m->key_arrival, stream, draw, a->arrival);
    return (uint32_t)(((a->block[0] >> 32) * n) >> 32);
}

static uint64_t payment_key(uint32_t stream, uint64_t n)
{
    return (uint64_t)stream << 40 | n;
}

int payments_arrive(struct model *m, uint32_t c, double now)
{
    struct city_state *cs = &m->cities[c];
    const struct scenario *s = m->s;
    cs->arrival_id = 0;
    struct payment p = {.city = (uint8_t)c, .kind = PAY_MERCHANT};
    p.key = payment_key(c, cs->payments_started++);
    stream_at(m, P_PAYMENT, m->key_payment, p.key, 0, ahead_of(&cs->ahead, p.key), cs->ahead.block);
    uint32_t coin, payer; /* a holder's position */
    if (m->activity)      /* people differ: a payer by its activity */
        payer = habits_pick(m->rng, &cs->pop, m->activity, m->habits.ceiling, &coin);
    else
        payer =
            population_member(&cs->pop, SEG_HOLDERS, rng_below_low(m->rng, cs->pop.wallets, &coin));
    p.payer = cs->pop.first + payer;
    /* The account was fetched at the city's last arrival (look_ahead);
     * fetching it again here, while that fetch may still be on its way,
     * costs more than it saves. The payee is a random place too: fetched
     * as soon as it is drawn, it arrives while the ticket is. */
    if (cs->pop.wallets > 1 && rng_coin(coin, s->transfer_share)) {
        /* To another holder: draw among the others. */
        uint32_t j = rng_below(m->rng, cs->pop.wallets - 1),
                 skip = population_holder_index(&cs->pop, payer);
        p.payee = cs->pop.first + population_member(&cs->pop, SEG_HOLDERS, j >= skip ? j + 1 : j);
        p.kind = PAY_TRANSFER;
        BIGMEM_PREFETCH_W(&m->wallets[p.payee]);
    } else {
        p.payee = acceptance_pick(&cs->acc, m->rng);
        BIGMEM_PREFETCH_W(&m->merchants[p.payee]);
    }
    p.amount_fen = model_ticket_fen(m->rng, m->ticket_mu, s->ticket_sigma);
    if (start(m, &p, now) < 0 ||
        redraw(m, &cs->arrival_id, cs->rate, EV_ARRIVE, c, c, &cs->draws, &cs->ahead) < 0)
        return -1;
    if (cs->arrival_id) {
        uint32_t first = look_ahead(m, &cs->ahead, payment_key(c, cs->payments_started),
                                    cs->pop.wallets, c, cs->draws);
        /* The payer that draw gives (the first try, by activity). */
        uint32_t payer = m->activity ? habits_pick_guess(&cs->pop, cs->ahead.block[0])
                                     : population_member(&cs->pop, SEG_HOLDERS, first);
        BIGMEM_PREFETCH_W(&m->wallets[cs->pop.first + payer]);
        if (m->activity) /* what the pick's first try reads */
            BIGMEM_PREFETCH(&m->activity[cs->pop.first + payer]);
    }
    return 0;
}

/* A corporate wallet of city c pays (corporate.c draws who, to whom and
 * how much): the stream's part, like payments_arrive's. */
int payments_corporate_arrive(struct model *m, uint32_t c, double now)
{
    struct corporates *k = &m->cities[c].corp;
    k->arrival_id = 0;
    struct payment p = {.city = (uint8_t)c};
    p.key = payment_key(CORPORATE_STREAM + c, k->payments_started++);
    rng_at(m->rng, P_PAYMENT, p.key, 0);
    corporate_payment(m, c, &p);
    if (start_corporate(m, &p, now) < 0)
        return -1;
    return redraw_corporate(m, c);
}

/* A lottery winner spends (lottery.c picks who, where and how much): the
 * stream's part, like payments_arrive's. */
int payments_spend(struct model *m, uint32_t i, double now)
{
    const struct intervention *iv = &m->s->interventions[i];
    struct intervention_state *st = &m->iv[i];
    st->arrival_id = 0;
    if (lottery_weight(&st->lot) == 0)
        return 0;
    struct payment p = {
        .city = (uint8_t)iv->city, .kind = PAY_MERCHANT, .lottery = (uint16_t)(i + 1)};
    p.key = payment_key(LOTTERY_STREAM + i, st->payments_started++);
    stream_at(m, P_PAYMENT, m->key_payment, p.key, 0, ahead_of(&st->ahead, p.key), st->ahead.block);
    uint32_t place = lottery_spending(m, i, &p);
    if (start(m, &p, now) < 0)
        return -1;
    lottery_spent(m, i, place);
    if (payments_update_spend_rate(m, i) < 0)
        return -1;
    if (st->arrival_id && lottery_weight(&st->lot)) {
        look_ahead(m, &st->ahead, payment_key(LOTTERY_STREAM + i, st->payments_started), 0,
                   LOTTERY_STREAM + i, st->draws);
        uint32_t next = lottery_pick_ahead(&st->lot, st->ahead.block[0]);
        BIGMEM_PREFETCH_W(&m->wallets[st->lot.people[next]]);
    }
    return 0;
}

/* The last hop is done within the timeout (route saw to that): the payee
 * is credited. */
static void finish(struct model *m, uint32_t id, double now)
{
    struct payment *p = &m->pool[id];
    credit_payee(m, p);
    ended(m, p, ENDED_DONE, now - p->t0, p->t0);
    pool_give(m, id);
}

int payments_hop(struct model *m, uint32_t id, double now)
{
    if (m->pool[id].hop == path_hops(&m->pool[id])) {
        finish(m, id, now);
        return 0;
    }
    return route(m, id, now);
}

/* The payer gives up (route scheduled this at the payment's deadline):
 * the payment fails now, in this bucket, and the payer is refunded now. */
void payments_timeout(struct model *m, uint32_t id)
{
    struct payment *p = &m->pool[id];
    ended(m, p, ENDED_FAILED, 0, p->t0);
    pool_give(m, id);
}

/* Payments of a city still in flight (started, neither completed nor
 * failed): at the horizon, those whose end or deadline lies beyond it. */
uint32_t payments_in_flight(const struct model *m, uint32_t city)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < m->pool_cap; i++)
        n += m->pool[i].hop != POOL_FREE && m->pool[i].city == city;
    return n;
}
