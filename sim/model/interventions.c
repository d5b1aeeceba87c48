/* interventions: the levers of a rollout plan, each end to end.
 *
 * Every intervention is driven by EV_INTERVENTION events scheduled at its
 * dates, with `arg` naming the phase, and some act in the daily step:
 *   lottery          DRAW at registration close, OPEN and CLOSE its spending
 *                    window: each phase is lottery.c's, the spending stream
 *                    payments.c's
 *   merchant_campaign  onboards merchants day by day over its window
 *   salary           PAY at `at`, then every `every` until `until`
 *   wallet_limits    APPLY at `at`
 *   operator_joins   APPLY at `at`: the operator starts opening wallets,
 *                    holders open sub-wallets there, adoption is boosted
 *   app_opens        APPLY at `at`: adoption is boosted
 *   peak             OPEN and CLOSE: the city's payment rates multiplied
 *   outage           set up on the resource (resource.h) at the start
 * Peaks and outages count the payments that started inside their window
 * (windows.c, called from payments' end hook).
 * Outcomes are kept in simulated units and scaled in interventions_collect. */
#include "model/adoption.h"
#include "model/interventions.h"
#include "model/lottery.h"
#include "model/payments.h"

#include <math.h>
#include <stdlib.h>

#include "kernel/rng.h"

enum phase { PH_DRAW, PH_OPEN, PH_CLOSE, PH_PAY, PH_APPLY };

static int64_t scale(struct model *m, int64_t x)
{
    return money_scale(&m->book, x);
}

/* Schedule phase ph of intervention i at t when the run reaches t: 0, or
 * -1 when the engine is out of memory. */
static int schedule(struct model *m, double t, uint32_t i, enum phase ph)
{
    if (t >= 0 && t <= m->s->duration_s && !engine_schedule(&m->engine, t, EV_INTERVENTION, i, ph))
        return -1;
    return 0;
}

/* ---- set-up ---- */

/* Multiply the user adoption hazard of city `city` (-1: every city) by
 * `boost` from now on: an operator joining, the app opening. */
static void boost_adoption(struct model *m, int city, double boost)
{
    for (uint32_t c = 0; c < m->s->n_cities; c++)
        if (city < 0 || (uint32_t)city == c)
            m->cities[c].boost *= boost;
}

/* A boost dated at or before the start holds from the start; a later one
 * is applied by its event. */
static int schedule_boost(struct model *m, uint32_t i)
{
    const struct intervention *iv = &m->s->interventions[i];
    if (iv->at_s > 0)
        return schedule(m, iv->at_s, i, PH_APPLY);
    boost_adoption(m, iv->city, iv->adoption_boost);
    return 0;
}

int interventions_setup(struct model *m)
{
    const struct scenario *s = m->s;
    m->iv = calloc(s->n_interventions ? s->n_interventions : 1, sizeof *m->iv);
    m->windows = malloc((s->n_interventions ? s->n_interventions : 1) * sizeof *m->windows);
    if (!m->iv || !m->windows)
        return -1;
    for (uint32_t i = 0; i < s->n_interventions; i++) {
        const struct intervention *iv = &s->interventions[i];
        switch (iv->kind) {
        case INTERVENTION_LOTTERY:
            if (lottery_setup(m, i) < 0)
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
            else /* joined from the start: its event only refreshes the picks */
                boost_adoption(m, -1, iv->adoption_boost);
            if (schedule(m, iv->at_s, i, PH_APPLY) < 0)
                return -1;
            break;
        case INTERVENTION_APP_OPENS:
            if (schedule_boost(m, i) < 0)
                return -1;
            break;
        case INTERVENTION_OUTAGE: {
            struct resource *r = iv->operator<0 ? &m->ledger : & m->operators[iv->operator];
            if (resource_add_outage(r, iv->from_s, iv->until_s, iv->capacity) < 0)
                return -1;
            m->windows[m->n_windows++] = i;
            break;
        }
        case INTERVENTION_PEAK:
            if (schedule(m, iv->from_s, i, PH_OPEN) < 0 ||
                schedule(m, iv->until_s, i, PH_CLOSE) < 0)
                return -1;
            m->windows[m->n_windows++] = i;
            break;
        case INTERVENTION_MERCHANT_CAMPAIGN:
            break; /* acts in the daily step */
        }
    }
    return 0;
}

void interventions_destroy(struct model *m)
{
    if (!m->iv)
        return;
    for (size_t i = 0; i < m->s->n_interventions; i++) {
        lottery_destroy(&m->iv[i].lot);
        free(m->iv[i].recipients);
    }
    free(m->iv);
    m->iv = NULL;
    free(m->windows);
    m->windows = NULL;
}

/* ---- salaries and subsidies ---- */

/* Pay every recipient (drawn at the first payment among smartphone owners);
 * those without a wallet open one; a wallet's balance limit caps what
 * arrives in e-CNY (the rest stays in the bank account). */
static int salary_pay(struct model *m, uint32_t i, double now)
{
    const struct intervention *iv = &m->s->interventions[i];
    struct intervention_state *st = &m->iv[i];
    struct city_state *cs = &m->cities[iv->city];
    uint64_t phase = st->phase++;
    rng_at(m->rng, P_INTERVENTION, i, phase);
    if (!st->recipients) {
        uint32_t n = model_sim_count(m, iv->recipients);
        uint64_t *chosen = population_owners_new(&cs->pop);
        st->recipients = malloc((n ? n : 1) * sizeof *st->recipients);
        if (!chosen || !st->recipients) {
            free(chosen);
            return -1;
        }
        population_owners_add(&cs->pop, m->rng, chosen, NULL, cs->pop.n_smart, n, P_INTERVENTION,
                              RUNS_AGENT(RUNS_OWNERS, i), 0);
        st->n_recipients = population_owners_list(&cs->pop, chosen, NULL, st->recipients);
        st->out.recipients = st->n_recipients;
        free(chosen);
    }
    for (uint32_t k = 0; k < st->n_recipients; k++) {
        population_fetch_ahead(&cs->pop, st->recipients, st->n_recipients, k, 1);
        uint32_t u = st->recipients[k];
        runs_chunk(m->rng, P_INTERVENTION, RUNS_AGENT(RUNS_PEOPLE, i), phase << RUNS_SHIFT, k);
        if (population_stage(&cs->pop, cs->pop.pos[u]) != STAGE_WALLET) {
            if (!adoption_open_wallet(m, iv->city, u, cs->op_pick))
                continue;
            st->out.new_wallets++;
        }
        int64_t credited = payments_credit(m, population_wallet(&cs->pop, u), iv->amount_fen);
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
void interventions_day(struct model *m, uint32_t c, uint64_t day, double now, double dt)
{
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
        uint32_t due = model_saturated_count(m->rng, target);
        for (uint64_t k = 0; (uint32_t)st->out.onboarded < due && cs->acc.accepting < cs->m_n;
             k++) {
            runs_chunk(m->rng, P_INTERVENTION, RUNS_AGENT(RUNS_MERCHANTS, i), day << RUNS_SHIFT, k);
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
static int peak_edge(struct model *m, uint32_t i, int open)
{
    const struct intervention *iv = &m->s->interventions[i];
    for (uint32_t c = 0; c < m->s->n_cities; c++)
        if (iv->city < 0 || (uint32_t)iv->city == c) {
            struct city_state *cs = &m->cities[c];
            cs->multiplier =
                open ? cs->multiplier * iv->multiplier : cs->multiplier / iv->multiplier;
            if (payments_update_rate(m, c) < 0)
                return -1;
        }
    return 0;
}

int interventions_handle(struct model *m, uint32_t i, uint32_t phase, double now)
{
    const struct intervention *iv = &m->s->interventions[i];
    switch (iv->kind) {
    case INTERVENTION_LOTTERY:
        if (phase == PH_DRAW)
            return lottery_draw(m, i);
        if (phase == PH_OPEN && lottery_open(m, i, now) < 0)
            return -1;
        if (phase == PH_CLOSE)
            lottery_close(m, i);
        return payments_update_spend_rate(m, i); /* opened or closed: its rate changed */
    case INTERVENTION_SALARY:
        return salary_pay(m, i, now);
    case INTERVENTION_WALLET_LIMITS: {
        struct wallet_class *wc = &m->classes[iv->wallet_class - 1];
        double share = wc->share;
        *wc = iv->limits;
        wc->share = share; /* the limits change, not who gets the class */
        return 0;
    }
    case INTERVENTION_OPERATOR_JOINS:
        /* Holders open sub-wallets at a newcomer; joined from the start,
         * their wallets counted it when they opened. */
        if (!m->op_joined[iv->operator]) {
            adoption_operator_joins(m, i, (uint32_t)iv->operator);
            boost_adoption(m, -1, iv->adoption_boost); /* every city's users */
        }
        m->op_joined[iv->operator] = 1;
        return adoption_refresh_operators(m);
    case INTERVENTION_APP_OPENS:
        boost_adoption(m, iv->city, iv->adoption_boost);
        return 0;
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
void interventions_collect(struct model *m, struct model_result *r)
{
    for (uint32_t i = 0; i < m->s->n_interventions; i++) {
        const struct intervention *iv = &m->s->interventions[i];
        const struct intervention_result *o = &m->iv[i].out;
        r->interventions[i] =
            (struct intervention_result){.registrations = scale(m, o->registrations),
                                         .winners = scale(m, o->winners),
                                         .claimed = scale(m, o->claimed),
                                         .payments = scale(m, o->payments),
                                         .spent_fen = scale(m, o->spent_fen),
                                         .topup_spent_fen = scale(m, o->topup_spent_fen),
                                         .reclaimed_fen = scale(m, o->reclaimed_fen),
                                         .online_payments = scale(m, o->online_payments),
                                         .online_spent_fen = scale(m, o->online_spent_fen),
                                         .offline_users = scale(m, o->offline_users),
                                         .onboarded = scale(m, o->onboarded),
                                         .subsidy_fen = scale(m, o->subsidy_fen),
                                         .recipients = scale(m, o->recipients),
                                         .paid_fen = scale(m, o->paid_fen),
                                         .new_wallets = scale(m, o->new_wallets),
                                         .window_payments = scale(m, o->window_payments),
                                         .window_failed = scale(m, o->window_failed)};
        if (iv->kind == INTERVENTION_LOTTERY)
            lottery_collect(m, i, &r->interventions[i]);
        if (iv->kind == INTERVENTION_OPERATOR_JOINS) {
            int64_t n = 0;
            for (uint32_t c = 0; c < m->s->n_cities; c++) {
                const struct city_state *cs = &m->cities[c];
                for (uint32_t s = 0; s < cs->pop.k; s++) {
                    uint32_t from, to;
                    population_holders(&cs->pop, s, &from, &to);
                    for (uint32_t k = from; k < to; k++)
                        n += m->wallets[cs->pop.first + k].op == iv->operator;
                }
            }
            r->interventions[i].new_wallets = scale(m, n);
        }
    }
}
