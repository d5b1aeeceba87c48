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
 *   outage           set up on the resource (infra.h) at the start
 * Peaks and outages count the payments that started inside their window
 * (interventions_count, called as each payment ends).
 * Outcomes are kept in simulated units and scaled in interventions_collect. */
#include "model_state.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

enum phase { PH_DRAW, PH_OPEN, PH_CLOSE, PH_PAY, PH_APPLY };

static int64_t scale(const struct model *m, int64_t x) {
    return (int64_t)llround((double)x * m->k);
}

/* A count in real units as simulated people: stochastic rounding keeps the
 * expected count exact. */
static uint32_t sim_count(struct model *m, int64_t real) {
    double want = (double)real / m->k;
    uint32_t n = (uint32_t)floor(want);
    if (gsl_rng_uniform(m->rng) < want - n)
        n++;
    return n;
}

static void schedule(struct model *m, double t, uint32_t i, enum phase ph) {
    if (t >= 0 && t <= m->s->duration_s)
        engine_schedule(&m->engine, t, EV_INTERVENTION, i, ph);
}

/* n distinct smartphone owners of city c, uniformly, into out[] (rejection
 * against a bitmap: n is a small share of the owners). Returns n or -1. */
static int64_t draw_owners(struct model *m, uint32_t c, uint32_t n, uint32_t *out) {
    struct city_state *cs = &m->cities[c];
    if (n > cs->n_smart)
        n = cs->n_smart;
    uint64_t *taken = calloc(cs->n_smart / 64 + 1, sizeof *taken);
    if (!taken)
        return -1;
    for (uint32_t k = 0; k < n; k++) {
        uint32_t u;
        do
            u = (uint32_t)gsl_rng_uniform_int(m->rng, cs->n_smart);
        while (taken[u / 64] >> (u % 64) & 1);
        taken[u / 64] |= UINT64_C(1) << (u % 64);
        out[k] = cs->first + u;   /* owners are users first + [0, n_smart) */
    }
    free(taken);
    return n;
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
            if (iv->operator_share && !(st->op_pick = model_alias(iv->operator_share, s->n_operators)))
                return -1;
            schedule(m, iv->registration_until_s, i, PH_DRAW);
            schedule(m, iv->spend_from_s, i, PH_OPEN);
            schedule(m, iv->spend_until_s, i, PH_CLOSE);
            break;
        case INTERVENTION_SALARY:
            schedule(m, iv->at_s, i, PH_PAY);
            break;
        case INTERVENTION_WALLET_LIMITS:
            schedule(m, iv->at_s, i, PH_APPLY);
            break;
        case INTERVENTION_OPERATOR_JOINS:
            if (iv->at_s > 0)
                m->op_joined[iv->operator] = 0;
            schedule(m, iv->at_s, i, PH_APPLY);
            break;
        case INTERVENTION_OUTAGE: {
            struct resource *r = iv->operator < 0 ? &m->ledger : &m->operators[iv->operator];
            if (resource_add_outage(r, iv->from_s, iv->until_s, iv->capacity) < 0)
                return -1;
            m->windows[m->n_windows++] = i;
            break;
        }
        case INTERVENTION_PEAK:
            schedule(m, iv->from_s, i, PH_OPEN);
            schedule(m, iv->until_s, i, PH_CLOSE);
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
    double p = cs->n_smart ? fmin(1.0, iv->propensity * cs->n / cs->n_smart) : 0;
    uint32_t registered = gsl_ran_binomial(m->rng, p, cs->n_smart);
    uint32_t winners = sim_count(m, iv->envelopes);
    if (winners > registered)
        winners = registered;
    uint32_t *reg = malloc((registered ? registered : 1) * sizeof *reg);
    st->people = malloc((winners ? winners : 1) * sizeof *st->people);
    if (!reg || !st->people || draw_owners(m, iv->city, registered, reg) < 0) {
        free(reg);
        return -1;
    }
    st->out.registrations = registered;
    st->out.winners = winners;
    gsl_ran_discrete_t *ops = st->op_pick ? st->op_pick : cs->op_pick;
    for (uint32_t w = 0; w < winners; w++) {
        struct user *us = &m->users[reg[w]];
        if (gsl_rng_uniform(m->rng) >= iv->claim_share || us->envelope_fen > 0)
            continue;   /* not claimed; or holds another envelope: one at a time */
        if (us->stage < STAGE_WALLET) {
            if (!adoption_open_wallet(m, iv->city, reg[w], ops))
                continue;
            st->out.new_wallets++;
        }
        int64_t amount = iv->amounts_fen[gsl_rng_uniform_int(m->rng, iv->n_amounts)];
        us->envelope_fen = (int32_t)amount;
        us->lottery = (uint8_t)(i + 1);
        model_issue(m, iv->city, amount);
        st->people[st->n_people++] = reg[w];
        st->out.claimed++;
    }
    for (uint32_t r = winners; r < registered; r++)
        adoption_make_aware(m, iv->city, reg[r]);
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
    while (cs->m_accepting < n) {
        uint32_t j = cs->m_accepting + (uint32_t)gsl_rng_uniform_int(m->rng, cs->m_n - cs->m_accepting);
        adoption_accept(m, iv->city, cs->m_order[j], now);
    }
    st->merchants = malloc(n * sizeof *st->merchants);
    double *w = malloc(n * sizeof *w);
    if (!st->merchants || !w) {
        free(w);
        return -1;
    }
    /* n of the accepting merchants, uniformly (a partial shuffle of a copy). */
    uint32_t *pool = malloc(cs->m_accepting * sizeof *pool);
    if (!pool) {
        free(w);
        return -1;
    }
    memcpy(pool, cs->m_order, cs->m_accepting * sizeof *pool);
    for (uint32_t k = 0; k < n; k++) {
        uint32_t j = k + (uint32_t)gsl_rng_uniform_int(m->rng, cs->m_accepting - k);
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
    payments_update_spend_rate(m, i);
    return st->merchant_pick ? 0 : -1;
}

/* The window closes: unspent envelope money is taken back. */
static void lottery_close(struct model *m, uint32_t i) {
    struct intervention_state *st = &m->iv[i];
    uint32_t city = (uint32_t)m->s->interventions[i].city;
    st->open = 0;
    for (uint32_t h = 0; h < st->n_people; h++) {
        struct user *us = &m->users[st->people[h]];
        st->out.reclaimed_fen += us->envelope_fen;
        model_reclaim(m, city, us->envelope_fen);
        us->envelope_fen = 0;
        us->lottery = 0;
    }
    st->n_people = 0;
    payments_update_spend_rate(m, i);
}

/* ---- salaries and subsidies ---- */

/* Pay every recipient (drawn at the first payment among smartphone owners);
 * those without a wallet open one; a wallet's balance limit caps what
 * arrives in e-CNY (the rest stays in the bank account). */
static int salary_pay(struct model *m, uint32_t i, double now) {
    const struct intervention *iv = &m->s->interventions[i];
    struct intervention_state *st = &m->iv[i];
    struct city_state *cs = &m->cities[iv->city];
    rng_at(m->rng, P_INTERVENTION, i, st->phase++);
    if (!st->people) {
        uint32_t n = sim_count(m, iv->recipients);
        st->people = malloc((n ? n : 1) * sizeof *st->people);
        int64_t got = st->people ? draw_owners(m, iv->city, n, st->people) : -1;
        if (got < 0)
            return -1;
        st->n_people = (uint32_t)got;
        st->out.recipients = got;
    }
    for (uint32_t k = 0; k < st->n_people; k++) {
        uint32_t u = st->people[k];
        if (m->users[u].stage < STAGE_WALLET) {
            if (!adoption_open_wallet(m, iv->city, u, cs->op_pick))
                continue;
            st->out.new_wallets++;
        }
        int64_t credited = payments_credit(m, iv->city, u, iv->amount_fen);
        model_issue(m, iv->city, credited);
        st->out.paid_fen += credited;
    }
    if (iv->every_s > 0 && now + iv->every_s <= iv->until_s)
        schedule(m, now + iv->every_s, i, PH_PAY);
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
        uint32_t due = (uint32_t)floor(target);
        if (gsl_rng_uniform(m->rng) < target - due)
            due++;
        while ((uint32_t)st->out.onboarded < due && cs->m_accepting < cs->m_n) {
            uint32_t j = cs->m_accepting + (uint32_t)gsl_rng_uniform_int(m->rng, cs->m_n - cs->m_accepting);
            uint32_t id = cs->m_order[j];
            adoption_accept(m, c, id, now);
            st->out.onboarded++;
            if (iv->subsidy_fen > 0) {
                struct merchant *mc = &m->merchants[id];
                if (mc->balance_fen == 0)
                    m->takings[m->n_takings++] = id;
                mc->balance_fen += iv->subsidy_fen;
                model_issue(m, c, iv->subsidy_fen);
                st->out.subsidy_fen += iv->subsidy_fen;
            }
        }
    }
}

/* ---- windows: peaks and outages ---- */

/* A peak opens or closes: the rates of its city (or every city) change. */
static void peak_edge(struct model *m, uint32_t i, int open) {
    const struct intervention *iv = &m->s->interventions[i];
    for (uint32_t c = 0; c < m->s->n_cities; c++)
        if (iv->city < 0 || (uint32_t)iv->city == c) {
            struct city_state *cs = &m->cities[c];
            cs->multiplier = open ? cs->multiplier * iv->multiplier : cs->multiplier / iv->multiplier;
            payments_update_rate(m, c);
        }
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
        lottery_close(m, i);
        return 0;
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
        peak_edge(m, i, phase == PH_OPEN);
        return 0;
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
                for (uint32_t k = 0; k < cs->wallets; k++)
                    n += m->users[cs->order[k]].op == iv->operator;
            }
            r->interventions[i].new_wallets = scale(m, n);
        }
    }
}
