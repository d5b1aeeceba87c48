/* interventions: the levers of a rollout plan, each end to end.
 *
 * Every intervention is driven by EV_INTERVENTION events scheduled at its
 * dates, with `arg` naming the phase, and some act in the daily step:
 *   lottery          DRAW at registration close, OPEN and CLOSE its spending
 *                    window (the spending itself is a stream in payments.c)
 *   merchant_campaign  onboards merchants day by day over its window
 *   salary           PAY at `at`, then every `every` until `until`
 *   wallet_limits    APPLY at `at`
 *   operator_joins   APPLY at `at`: the operator starts opening wallets
 *   peak             OPEN and CLOSE: the city's payment rates multiplied
 *   outage           set up on the resource (resource.h) at the start
 * Peaks and outages count the payments that started inside their window
 * (interventions_count, called as each payment ends).
 * Outcomes are kept in simulated units and scaled in interventions_collect. */
#include "model/adoption.h"
#include "model/interventions.h"
#include "model/payments.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/rng.h"

enum phase { PH_DRAW, PH_OPEN, PH_CLOSE, PH_PAY, PH_APPLY };

static int64_t scale(struct model *m, int64_t x) {
    return money_scale(&m->book, x);
}

/* The simulated share of `want` units, rounded stochastically so that the
 * expected count is exact, and at most UINT32_MAX: more than there are
 * people or merchants to take (the callers trim to those), and where the
 * conversion of a larger double would be undefined. */
static uint32_t saturated_count(struct model *m, double want) {
    if (want >= UINT32_MAX) {
        (void)rng_uniform_pos(m->rng);   /* the same draws as below */
        return UINT32_MAX;
    }
    uint32_t n = (uint32_t)floor(want);
    if (rng_uniform_pos(m->rng) < want - n)
        n++;
    return n;
}

/* A count in real units as simulated people. */
static uint32_t sim_count(struct model *m, int64_t real) {
    return saturated_count(m, (double)real / m->k);
}

/* Schedule phase ph of intervention i at t when the run reaches t: 0, or
 * -1 when the engine is out of memory. */
static int schedule(struct model *m, double t, uint32_t i, enum phase ph) {
    if (t >= 0 && t <= m->s->duration_s && !engine_schedule(&m->engine, t, EV_INTERVENTION, i, ph))
        return -1;
    return 0;
}

/* ---- set-up ---- */

int interventions_setup(struct model *m) {
    const struct scenario *s = m->s;
    m->iv = calloc(s->n_interventions ? s->n_interventions : 1, sizeof *m->iv);
    m->windows = malloc((s->n_interventions ? s->n_interventions : 1) * sizeof *m->windows);
    if (!m->iv || !m->windows)
        return -1;
    for (uint32_t i = 0; i < s->n_interventions; i++) {
        const struct intervention *iv = &s->interventions[i];
        struct intervention_state *st = &m->iv[i];
        switch (iv->kind) {
        case INTERVENTION_LOTTERY:
            if (iv->operator_share && !(st->op_pick = adoption_alias(iv->operator_share, s->n_operators)))
                return -1;
            if (schedule(m, iv->registration_until_s, i, PH_DRAW) < 0 ||
                schedule(m, iv->spend_from_s, i, PH_OPEN) < 0 ||
                schedule(m, iv->spend_until_s, i, PH_CLOSE) < 0)
                return -1;
            break;
        case INTERVENTION_SALARY:
            if (schedule(m, iv->at_s, i, PH_PAY) < 0)
                return -1;
            break;
        case INTERVENTION_WALLET_LIMITS:
            if (schedule(m, iv->at_s, i, PH_APPLY) < 0)
                return -1;
            break;
        case INTERVENTION_OPERATOR_JOINS:
            if (iv->at_s > 0)
                m->op_joined[iv->operator] = 0;
            if (schedule(m, iv->at_s, i, PH_APPLY) < 0)
                return -1;
            break;
        case INTERVENTION_OUTAGE: {
            struct resource *r = iv->operator < 0 ? &m->ledger : &m->operators[iv->operator];
            if (resource_add_outage(r, iv->from_s, iv->until_s, iv->capacity) < 0)
                return -1;
            m->windows[m->n_windows++] = i;
            break;
        }
        case INTERVENTION_PEAK:
            if (schedule(m, iv->from_s, i, PH_OPEN) < 0 || schedule(m, iv->until_s, i, PH_CLOSE) < 0)
                return -1;
            m->windows[m->n_windows++] = i;
            break;
        case INTERVENTION_MERCHANT_CAMPAIGN:
            break;   /* acts in the daily step */
        }
    }
    return 0;
}

void interventions_destroy(struct model *m) {
    if (!m->iv)
        return;
    for (size_t i = 0; i < m->s->n_interventions; i++) {
        free(m->iv[i].people);
        free(m->iv[i].merchants);
        if (m->iv[i].op_pick)
            gsl_ran_discrete_free(m->iv[i].op_pick);
        if (m->iv[i].merchant_pick)
            gsl_ran_discrete_free(m->iv[i].merchant_pick);
    }
    free(m->iv);
    m->iv = NULL;
    free(m->windows);
    m->windows = NULL;
}

/* ---- lotteries ---- */

/* Registration closes: registrants are a binomial share `propensity` of the
 * city's population, drawn among smartphone owners; winners are the first
 * `envelopes` of them (a uniform subset), the others become aware of e-CNY.
 * Each winner claims with claim_share, opening a wallet if needed. */
static int lottery_draw(struct model *m, uint32_t i) {
    const struct intervention *iv = &m->s->interventions[i];
    struct intervention_state *st = &m->iv[i];
    struct city_state *cs = &m->cities[iv->city];
    rng_at(m->rng, P_LOTTERY, i, 0);
    double p = cs->pop.n_smart ? fmin(1.0, iv->propensity * cs->pop.n / cs->pop.n_smart) : 0;
    uint32_t registered = rng_binomial(m->rng, p, cs->pop.n_smart);
    uint32_t winners = sim_count(m, iv->envelopes);
    if (winners > registered)
        winners = registered;
    /* Winners: a uniform set of owners; the other registrants: a uniform
     * set of the rest. Together, a uniform set of registrants of which the
     * winners are a uniform subset, as in a real draw. */
    uint64_t *taken = population_owners_new(&cs->pop), *won = population_owners_new(&cs->pop);
    uint32_t *reg = malloc((registered ? registered : 1) * sizeof *reg);
    st->people = malloc((winners ? winners : 1) * sizeof *st->people);
    if (!taken || !won || !reg || !st->people) {
        free(taken);
        free(won);
        free(reg);
        return -1;
    }
    const uint64_t agent = RUNS_AGENT(RUNS_OWNERS, i);
    population_owners_add(&cs->pop, m->rng, taken, won, cs->pop.n_smart, winners, P_LOTTERY, agent, 0);
    population_owners_add(&cs->pop, m->rng, taken, NULL, cs->pop.n_smart - winners,
                          registered - winners, P_LOTTERY, agent,
               1ull << RUNS_SHIFT);
    st->out.registrations = registered;
    st->out.winners = winners;
    gsl_ran_discrete_t *ops = st->op_pick ? st->op_pick : cs->op_pick;
    uint32_t n_won = population_owners_list(&cs->pop, won, NULL, reg);
    for (uint32_t k = 0; k < n_won; k++) {
        population_fetch_ahead(&m->cities[iv->city].pop, reg, n_won, k, 1);
        uint32_t u = reg[k];
        int holder = population_stage(&cs->pop, cs->pop.pos[u]) == STAGE_WALLET;
        runs_chunk(m->rng, P_LOTTERY, RUNS_AGENT(RUNS_PEOPLE, i), 0, k);
        if (rng_uniform_pos(m->rng) >= iv->claim_share ||
            (holder && m->wallets[population_wallet(&m->cities[iv->city].pop, u)].envelope_fen > 0))
            continue;   /* not claimed; or holds another envelope: one at a time */
        if (!holder) {
            if (!adoption_open_wallet(m, iv->city, u, ops))
                continue;
            st->out.new_wallets++;
        }
        uint32_t w = population_wallet(&m->cities[iv->city].pop, u);
        int64_t amount = iv->amounts_fen[rng_below(m->rng, (uint32_t)iv->n_amounts)];
        m->wallets[w].envelope_fen = (int32_t)amount;
        m->wallets[w].lottery = (uint16_t)(i + 1);
        money_issue(&m->book, iv->city, amount);
        st->people[st->n_people++] = w;
        st->out.claimed++;
    }
    population_make_aware(&cs->pop, reg, population_owners_list(&cs->pop, taken, won, reg));
    free(taken);
    free(won);
    free(reg);
    return 0;
}

/* The spending window opens: the participating merchants are drawn, the
 * accepting ones first, the rest onboarded for the lottery. */
static int lottery_open(struct model *m, uint32_t i, double now) {
    const struct intervention *iv = &m->s->interventions[i];
    struct intervention_state *st = &m->iv[i];
    struct city_state *cs = &m->cities[iv->city];
    rng_at(m->rng, P_LOTTERY, i, 1);
    uint32_t n = sim_count(m, iv->merchants);
    if (n < 1)
        n = 1;
    if (n > cs->m_n)
        n = cs->m_n;
    const uint64_t agent = RUNS_AGENT(RUNS_MERCHANTS, i);
    for (uint64_t k = 0; cs->acc.accepting < n; k++) {
        runs_chunk(m->rng, P_LOTTERY, agent, 0, k);
        acceptance_start(&cs->acc, acceptance_pick_idle(&cs->acc, m->rng), calendar_day(now));
    }
    st->merchants = malloc(n * sizeof *st->merchants);
    double *w = malloc(n * sizeof *w);
    if (!st->merchants || !w) {
        free(w);
        return -1;
    }
    /* n of the accepting merchants, uniformly (a partial shuffle of a copy). */
    uint32_t *pool = malloc(cs->acc.accepting * sizeof *pool);
    if (!pool) {
        free(w);
        return -1;
    }
    acceptance_list(&cs->acc, pool);
    for (uint32_t k = 0; k < n; k++) {
        runs_chunk(m->rng, P_LOTTERY, agent, 1ull << RUNS_SHIFT, k);
        uint32_t j = k + rng_below(m->rng, cs->acc.accepting - k);
        uint32_t t = pool[k];
        pool[k] = pool[j];
        pool[j] = t;
        st->merchants[k] = pool[k];
        w[k] = m->merchants[pool[k]].weight;
    }
    free(pool);
    st->n_merchants = n;
    st->merchant_pick = gsl_ran_discrete_preproc(n, w);
    free(w);
    st->open = 1;
    if (!st->merchant_pick)
        return -1;
    return payments_update_spend_rate(m, i);
}

/* The window closes: unspent envelope money is taken back. */
static int lottery_close(struct model *m, uint32_t i) {
    struct intervention_state *st = &m->iv[i];
    uint32_t city = (uint32_t)m->s->interventions[i].city;
    st->open = 0;
    for (uint32_t h = 0; h < st->n_people; h++) {
        struct wallet *us = &m->wallets[st->people[h]];
        st->out.reclaimed_fen += us->envelope_fen;
        money_reclaim(&m->book, city, us->envelope_fen);
        us->envelope_fen = 0;
        us->lottery = 0;
    }
    st->n_people = 0;
    return payments_update_spend_rate(m, i);
}

/* ---- salaries and subsidies ---- */

/* Pay every recipient (drawn at the first payment among smartphone owners);
 * those without a wallet open one; a wallet's balance limit caps what
 * arrives in e-CNY (the rest stays in the bank account). */
static int salary_pay(struct model *m, uint32_t i, double now) {
    const struct intervention *iv = &m->s->interventions[i];
    struct intervention_state *st = &m->iv[i];
    struct city_state *cs = &m->cities[iv->city];
    uint64_t phase = st->phase++;
    rng_at(m->rng, P_INTERVENTION, i, phase);
    if (!st->people) {
        uint32_t n = sim_count(m, iv->recipients);
        uint64_t *chosen = population_owners_new(&cs->pop);
        st->people = malloc((n ? n : 1) * sizeof *st->people);
        if (!chosen || !st->people) {
            free(chosen);
            return -1;
        }
        population_owners_add(&cs->pop, m->rng, chosen, NULL, cs->pop.n_smart, n, P_INTERVENTION,
                   RUNS_AGENT(RUNS_OWNERS, i), 0);
        st->n_people = population_owners_list(&cs->pop, chosen, NULL, st->people);
        st->out.recipients = st->n_people;
        free(chosen);
    }
    for (uint32_t k = 0; k < st->n_people; k++) {
        population_fetch_ahead(&m->cities[iv->city].pop, st->people, st->n_people, k, 1);
        uint32_t u = st->people[k];
        runs_chunk(m->rng, P_INTERVENTION, RUNS_AGENT(RUNS_PEOPLE, i),
                    phase << RUNS_SHIFT, k);
        if (population_stage(&cs->pop, cs->pop.pos[u]) != STAGE_WALLET) {
            if (!adoption_open_wallet(m, iv->city, u, cs->op_pick))
                continue;
            st->out.new_wallets++;
        }
        int64_t credited = payments_credit(m, population_wallet(&m->cities[iv->city].pop, u), iv->amount_fen);
        money_issue(&m->book, iv->city, credited);
        st->out.paid_fen += credited;
    }
    if (iv->every_s > 0 && now + iv->every_s <= iv->until_s)
        return schedule(m, now + iv->every_s, i, PH_PAY);
    return 0;
}

/* ---- merchant campaigns ---- */

/* Onboard the campaign's merchants evenly over its window: by the end of
 * each day, the share of the window passed; each is paid its subsidy in
 * e-CNY. */
void interventions_day(struct model *m, uint32_t c, uint64_t day, double now, double dt) {
    for (uint32_t i = 0; i < m->s->n_interventions; i++) {
        const struct intervention *iv = &m->s->interventions[i];
        if (iv->kind != INTERVENTION_MERCHANT_CAMPAIGN || (uint32_t)iv->city != c ||
            now + dt <= iv->from_s || now >= iv->until_s)
            continue;
        struct intervention_state *st = &m->iv[i];
        struct city_state *cs = &m->cities[c];
        double passed = fmin(1.0, (now + dt - iv->from_s) / (iv->until_s - iv->from_s));
        double target = passed * (double)iv->merchants / m->k;
        rng_at(m->rng, P_INTERVENTION, i, day);
        uint32_t due = saturated_count(m, target);
        for (uint64_t k = 0; (uint32_t)st->out.onboarded < due && cs->acc.accepting < cs->m_n; k++) {
            runs_chunk(m->rng, P_INTERVENTION, RUNS_AGENT(RUNS_MERCHANTS, i),
                        day << RUNS_SHIFT, k);
            uint32_t id = acceptance_pick_idle(&cs->acc, m->rng);
            acceptance_start(&cs->acc, id, calendar_day(now));
            st->out.onboarded++;
            if (iv->subsidy_fen > 0) {
                struct merchant *mc = &m->merchants[id];
                if (mc->balance_fen == 0)
                    m->takings[m->n_takings++] = id;
                money_add(&m->book, &mc->balance_fen, iv->subsidy_fen);
                money_issue(&m->book, c, iv->subsidy_fen);
                st->out.subsidy_fen += iv->subsidy_fen;
            }
        }
    }
}

/* ---- windows: peaks and outages ---- */

/* A peak opens or closes: the rates of its city (or every city) change. */
static int peak_edge(struct model *m, uint32_t i, int open) {
    const struct intervention *iv = &m->s->interventions[i];
    for (uint32_t c = 0; c < m->s->n_cities; c++)
        if (iv->city < 0 || (uint32_t)iv->city == c) {
            struct city_state *cs = &m->cities[c];
            cs->multiplier = open ? cs->multiplier * iv->multiplier : cs->multiplier / iv->multiplier;
            if (payments_update_rate(m, c) < 0)
                return -1;
        }
    return 0;
}

/* A payment of `city` that started at t0 has ended: count it for every peak
 * (of its city) and outage whose window holds t0, so that a payment stuck
 * in an outage counts for it even when it fails after the window. */
void interventions_count(struct model *m, uint32_t city, double t0, int failed) {
    for (uint32_t k = 0; k < m->n_windows; k++) {
        uint32_t i = m->windows[k];
        const struct intervention *iv = &m->s->interventions[i];
        if (t0 < iv->from_s || t0 >= iv->until_s ||
            (iv->kind == INTERVENTION_PEAK && iv->city >= 0 && (uint32_t)iv->city != city))
            continue;
        if (failed)
            m->iv[i].out.window_failed++;
        else
            m->iv[i].out.window_payments++;
    }
}

int interventions_handle(struct model *m, uint32_t i, uint32_t phase, double now) {
    const struct intervention *iv = &m->s->interventions[i];
    switch (iv->kind) {
    case INTERVENTION_LOTTERY:
        if (phase == PH_DRAW)
            return lottery_draw(m, i);
        if (phase == PH_OPEN)
            return lottery_open(m, i, now);
        return lottery_close(m, i);
    case INTERVENTION_SALARY:
        return salary_pay(m, i, now);
    case INTERVENTION_WALLET_LIMITS: {
        struct wallet_class *wc = &m->classes[iv->wallet_class - 1];
        double share = wc->share;
        *wc = iv->limits;
        wc->share = share;   /* the limits change, not who gets the class */
        return 0;
    }
    case INTERVENTION_OPERATOR_JOINS:
        m->op_joined[iv->operator] = 1;
        return adoption_refresh_operators(m);
    case INTERVENTION_PEAK:
        return peak_edge(m, i, phase == PH_OPEN);
    case INTERVENTION_OUTAGE:
    case INTERVENTION_MERCHANT_CAMPAIGN:
        return 0;
    }
    return 0;
}

/* Outcomes in real units (every field of the result is a count or a sum
 * of fen); an operator's new wallets are counted at the end. */
void interventions_collect(struct model *m, struct model_result *r) {
    for (uint32_t i = 0; i < m->s->n_interventions; i++) {
        const struct intervention *iv = &m->s->interventions[i];
        const struct intervention_result *o = &m->iv[i].out;
        r->interventions[i] = (struct intervention_result){
            .registrations = scale(m, o->registrations), .winners = scale(m, o->winners),
            .claimed = scale(m, o->claimed), .payments = scale(m, o->payments),
            .spent_fen = scale(m, o->spent_fen), .topup_spent_fen = scale(m, o->topup_spent_fen),
            .reclaimed_fen = scale(m, o->reclaimed_fen),
            .online_payments = scale(m, o->online_payments),
            .online_spent_fen = scale(m, o->online_spent_fen),
            .onboarded = scale(m, o->onboarded), .subsidy_fen = scale(m, o->subsidy_fen),
            .recipients = scale(m, o->recipients), .paid_fen = scale(m, o->paid_fen),
            .new_wallets = scale(m, o->new_wallets),
            .window_payments = scale(m, o->window_payments),
            .window_failed = scale(m, o->window_failed)};
        if (iv->kind == INTERVENTION_OPERATOR_JOINS) {
            int64_t n = 0;
            for (uint32_t c = 0; c < m->s->n_cities; c++) {
                const struct city_state *cs = &m->cities[c];
                for (uint32_t k = 0; k < cs->pop.wallets; k++)
                    n += m->wallets[cs->pop.first + k].op == iv->operator;
            }
            r->interventions[i].new_wallets = scale(m, n);
        }
    }
}
