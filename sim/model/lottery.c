/* lottery: draw, claims, spending, refunds and reclaim (lottery.h). */
#include "model/lottery.h"

#include <math.h>
#include <stdlib.h>

#include "kernel/detmath.h"
#include "kernel/rng.h"
#include "model/adoption.h"
#include "model/model_state.h"

int lottery_setup(struct model *m, uint32_t i)
{
    const struct intervention *iv = &m->s->interventions[i];
    struct lottery *l = &m->iv[i].lot;
    if (iv->operator_share && !(l->op_pick = adoption_alias(iv->operator_share, m->s->n_operators)))
        return -1;
    return 0;
}

void lottery_destroy(struct lottery *l)
{
    free(l->people);
    free(l->merchants);
    if (l->op_pick)
        gsl_ran_discrete_free(l->op_pick);
    if (l->merchant_pick)
        gsl_ran_discrete_free(l->merchant_pick);
    *l = (struct lottery){0};
}

/* Each winner claims with claim_share, opening a wallet if needed, unless
 * it holds another envelope (one at a time): won[0, n_won) in increasing
 * order, item k of the run (RUNS_PEOPLE). */
static void claim(struct model *m, uint32_t i, const uint32_t *won, uint32_t n_won)
{
    const struct intervention *iv = &m->s->interventions[i];
    struct intervention_state *st = &m->iv[i];
    struct population *pop = &m->cities[iv->city].pop;
    gsl_ran_discrete_t *ops = st->lot.op_pick ? st->lot.op_pick : m->cities[iv->city].op_pick;
    for (uint32_t k = 0; k < n_won; k++) {
        population_fetch_ahead(pop, won, n_won, k, 1);
        uint32_t u = won[k];
        int holder = population_stage(pop, pop->pos[u]) == STAGE_WALLET;
        runs_chunk(m->rng, P_LOTTERY, RUNS_AGENT(RUNS_PEOPLE, i), 0, k);
        if (rng_uniform_pos(m->rng) >= iv->claim_share ||
            (holder && m->wallets[population_wallet(pop, u)].envelope_fen > 0))
            continue; /* not claimed; or holds another envelope: one at a time */
        if (!holder) {
            if (!adoption_open_wallet(m, iv->city, u, ops))
                continue;
            st->out.new_wallets++;
        }
        uint32_t w = population_wallet(pop, u);
        int64_t amount = iv->amounts_fen[rng_below(m->rng, (uint32_t)iv->n_amounts)];
        m->wallets[w].envelope_fen = (int32_t)amount;
        m->wallets[w].lottery = (uint16_t)(i + 1);
        money_issue(&m->book, iv->city, amount);
        st->lot.people[st->lot.n_people++] = w;
        st->out.claimed++;
    }
}

/* Registration closes: registrants are a binomial share `propensity` of the
 * city's population, drawn among smartphone owners; winners are the first
 * `envelopes` of them (a uniform subset), the others become aware of e-CNY. */
int lottery_draw(struct model *m, uint32_t i)
{
    const struct intervention *iv = &m->s->interventions[i];
    struct intervention_state *st = &m->iv[i];
    struct population *pop = &m->cities[iv->city].pop;
    rng_at(m->rng, P_LOTTERY, i, 0);
    double p = pop->n_smart ? fmin(1.0, iv->propensity * pop->n / pop->n_smart) : 0;
    uint32_t registered = rng_binomial(m->rng, p, pop->n_smart);
    uint32_t winners = model_sim_count(m, iv->envelopes);
    if (winners > registered)
        winners = registered;
    /* Winners: a uniform set of owners; the other registrants: a uniform
     * set of the rest. Together, a uniform set of registrants of which the
     * winners are a uniform subset, as in a real draw. */
    uint64_t *taken = population_owners_new(pop), *won = population_owners_new(pop);
    uint32_t *reg = malloc((registered ? registered : 1) * sizeof *reg);
    st->lot.people = malloc((winners ? winners : 1) * sizeof *st->lot.people);
    if (!taken || !won || !reg || !st->lot.people) {
        free(taken);
        free(won);
        free(reg);
        return -1;
    }
    const uint64_t agent = RUNS_AGENT(RUNS_OWNERS, i);
    population_owners_add(pop, m->rng, taken, won, pop->n_smart, winners, P_LOTTERY, agent, 0);
    population_owners_add(pop, m->rng, taken, NULL, pop->n_smart - winners, registered - winners,
                          P_LOTTERY, agent, 1ull << RUNS_SHIFT);
    st->out.registrations = registered;
    st->out.winners = winners;
    claim(m, i, reg, population_owners_list(pop, won, NULL, reg));
    population_make_aware(pop, reg, population_owners_list(pop, taken, won, reg));
    free(taken);
    free(won);
    free(reg);
    return 0;
}

/* The spending window opens: the participating merchants are drawn, the
 * accepting ones first, the rest onboarded for the lottery. */
int lottery_open(struct model *m, uint32_t i, double now)
{
    const struct intervention *iv = &m->s->interventions[i];
    struct lottery *l = &m->iv[i].lot;
    struct city_state *cs = &m->cities[iv->city];
    rng_at(m->rng, P_LOTTERY, i, 1);
    uint32_t n = model_sim_count(m, iv->merchants);
    if (n < 1)
        n = 1;
    if (n > cs->m_n)
        n = cs->m_n;
    const uint64_t agent = RUNS_AGENT(RUNS_MERCHANTS, i);
    for (uint64_t k = 0; cs->acc.accepting < n; k++) {
        runs_chunk(m->rng, P_LOTTERY, agent, 0, k);
        acceptance_start(&cs->acc, acceptance_pick_idle(&cs->acc, m->rng), calendar_day(now));
    }
    l->merchants = malloc(n * sizeof *l->merchants);
    double *w = malloc(n * sizeof *w);
    /* n of the accepting merchants, uniformly (a partial shuffle of a copy). */
    uint32_t *pool = malloc(cs->acc.accepting * sizeof *pool);
    if (!l->merchants || !w || !pool) {
        free(w);
        free(pool);
        return -1;
    }
    acceptance_list(&cs->acc, pool);
    for (uint32_t k = 0; k < n; k++) {
        runs_chunk(m->rng, P_LOTTERY, agent, 1ull << RUNS_SHIFT, k);
        uint32_t j = k + rng_below(m->rng, cs->acc.accepting - k);
        uint32_t t = pool[k];
        pool[k] = pool[j];
        pool[j] = t;
        l->merchants[k] = pool[k];
        w[k] = m->merchants[pool[k]].weight;
    }
    free(pool);
    l->n_merchants = n;
    l->merchant_pick = gsl_ran_discrete_preproc(n, w);
    free(w);
    l->open = 1;
    return l->merchant_pick ? 0 : -1;
}

/* The window closes: unspent envelope money is taken back. */
void lottery_close(struct model *m, uint32_t i)
{
    struct intervention_state *st = &m->iv[i];
    uint32_t city = (uint32_t)m->s->interventions[i].city;
    st->lot.open = 0;
    for (uint32_t h = 0; h < st->lot.n_people; h++) {
        struct wallet *us = &m->wallets[st->lot.people[h]];
        st->out.reclaimed_fen += us->envelope_fen;
        money_reclaim(&m->book, city, us->envelope_fen);
        us->envelope_fen = 0;
        us->lottery = 0;
    }
    st->lot.n_people = 0;
}

/* A winner spends, at a participating merchant or online: the ticket is a
 * lognormal multiple of the envelope money left (people spend the
 * envelope, often adding a little of their own), envelope money first. */
uint32_t lottery_spending(struct model *m, uint32_t i, struct payment *p)
{
    const struct intervention *iv = &m->s->interventions[i];
    struct lottery *l = &m->iv[i].lot;
    uint32_t coin, h = rng_below_low(m->rng, l->n_people, &coin);
    p->payer = l->people[h];
    if (rng_coin(coin, iv->online_share))
        p->payee = m->cities[iv->city].online;
    else
        p->payee = l->merchants[gsl_ran_discrete(m->rng, l->merchant_pick)];
    int64_t left = m->wallets[p->payer].envelope_fen;
    p->amount_fen =
        model_ticket_fen(m->rng, detmath_log((double)left * iv->ticket_ratio), iv->ticket_sigma);
    p->envelope_fen = (int32_t)(p->amount_fen < left ? p->amount_fen : left);
    return h;
}

void lottery_spent(struct model *m, uint32_t i, uint32_t place)
{
    struct lottery *l = &m->iv[i].lot;
    if (m->wallets[l->people[place]].envelope_fen == 0)
        l->people[place] = l->people[--l->n_people];
}

/* Completed: counted. Failed: the envelope money returns to the envelope
 * while the window is open (its holder rejoins the spenders), else it is
 * reclaimed. */
void lottery_ended(struct model *m, const struct payment *p, int failed)
{
    struct intervention_state *st = &m->iv[p->lottery - 1];
    struct intervention_result *o = &st->out;
    if (!failed) {
        o->payments++;
        o->spent_fen += p->envelope_fen;
        o->topup_spent_fen += p->amount_fen - p->envelope_fen;
        if (p->kind == PAY_MERCHANT && m->merchants[p->payee].category == MERCHANT_ONLINE) {
            o->online_payments++;
            o->online_spent_fen += p->amount_fen;
        }
        return;
    }
    if (!p->envelope_fen)
        return;
    struct wallet *u = &m->wallets[p->payer];
    if (st->lot.open) {
        if (u->envelope_fen == 0)
            st->lot.people[st->lot.n_people++] = p->payer;
        u->envelope_fen += p->envelope_fen;
    } else {
        o->reclaimed_fen += p->envelope_fen;
        money_reclaim(&m->book, p->city, p->envelope_fen);
    }
}
