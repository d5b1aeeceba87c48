/* lottery: draw, claims, spending, refunds and reclaim (lottery.h). */
#include "model/lottery.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/detmath.h"
#include "kernel/rng.h"
#include "model/adoption.h"
#include "model/habits.h"
#include "model/model_state.h"
#include "scenario/reach.h"

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
    free(l->cls);
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
        m->wallets[w].flags &= (uint8_t)~WALLET_LOTTERY_OFFLINE; /* this lottery's to count */
        money_issue(&m->book, iv->city, amount);
        st->lot.claimed_fen += amount;
        st->lot.people[st->lot.n_people++] = w;
        st->out.claimed++;
    }
}

/* ---- the spenders: eagerness classes ----
 *
 * A winner's eagerness x is kept as its class: log x rounded to the
 * nearest 1/LOTTERY_STEPS (x within about 3%), clamped to [-4, 4) (x from
 * 0.018 to 55). Class k's spenders are people[start[k], start[k] + n[k]),
 * those who spent their envelope after them in its segment; a spender of
 * class k spends at rate[k] (in 1/LOTTERY_UNIT), and a small Fenwick tree
 * over the classes holds n[k] rate[k]. A pick is one descent of that tree
 * (in cache) and one place: as cheap as a uniform pick, and exact in
 * distribution for the rounded eagerness. */

static void tree_add(struct lottery_classes *c, uint32_t k, int64_t delta)
{
    c->version++;
    for (uint32_t j = k + 1; j <= LOTTERY_CLASSES; j += j & -j)
        c->tree[j] += (uint64_t)delta; /* modulo 2^64: exact for a signed change */
    c->total += (uint64_t)delta;
}

/* The descent is branchless (its comparisons are coin flips, which a
 * branch predictor loses): LOTTERY_CLASSES is a power of two, so from
 * step LOTTERY_CLASSES / 2 down, k + step stays below it. */
uint32_t lottery_pick(const struct lottery *l, uint64_t bits, uint32_t *class)
{
    const struct lottery_classes *c = l->cls;
    /* t = floor(x total / 2^32) for the high 32 bits x, exact in 64 bits:
     * total = hi 2^32 + lo. */
    uint64_t x = bits >> 32;
    uint64_t t = x * (c->total >> 32) + ((x * (c->total & 0xffffffffu)) >> 32);
    uint32_t k = 0; /* the first class whose running sum passes t */
    for (uint32_t step = LOTTERY_CLASSES / 2; step; step >>= 1) {
        uint64_t below = c->tree[k + step];
        uint32_t go = below <= t;
        t -= go ? below : 0;
        k += go ? step : 0;
    }
    *class = k;
    /* Its place among them, uniform, from the low 32 bits (a multiply-
     * shift: its bias, below n[k] / 2^32, is far below what a run shows). */
    return c->start[k] + (uint32_t)(((bits & 0xffffffffu) * c->n[k]) >> 32);
}

uint32_t lottery_pick_ahead(struct lottery *l, uint64_t bits)
{
    struct lottery_classes *c = l->cls;
    c->ahead_bits = bits;
    c->ahead_version = c->version;
    c->ahead_place = lottery_pick(l, bits, &c->ahead_class);
    return c->ahead_place;
}

/* The class of lottery i's winner `user`: its habits times exp(sigma Z -
 * sigma^2 / 2), a lognormal of mean 1, Z keyed by (lottery, person) so
 * that two plans give the same winner the same eagerness, and a refund
 * can find it again. Moves the generator. */
static uint32_t eager_class(struct model *m, uint32_t i, uint32_t user)
{
    double sigma = m->s->interventions[i].spend_sigma;
    rng_at(m->rng, P_LOTTERY, RUNS_AGENT(RUNS_EAGERNESS, i), user);
    double z =
        detmath_log(habits_activity(m, user)) + sigma * rng_normal(m->rng) - sigma * sigma / 2;
    double k = floor((z + 4) * LOTTERY_STEPS);
    return k < 0 ? 0 : k >= LOTTERY_CLASSES ? LOTTERY_CLASSES - 1 : (uint32_t)k;
}

/* Every claimer's class, then people[] grouped by class (a counting sort:
 * within a class, in claim order) and the tree. */
static int weigh(struct model *m, uint32_t i)
{
    struct lottery *l = &m->iv[i].lot;
    uint32_t n = l->n_people;
    uint8_t *cls = malloc(n ? n : 1);
    uint32_t *sorted = malloc((n ? n : 1) * sizeof *sorted);
    struct lottery_classes *c = l->cls = calloc(1, sizeof *l->cls);
    if (!cls || !sorted || !c) {
        free(cls);
        free(sorted);
        return -1;
    }
    _Static_assert(LOTTERY_CLASSES <= 256, "a class fits a byte");
    for (uint32_t h = 0; h < n; h++) {
        cls[h] = (uint8_t)eager_class(m, i, m->order[l->people[h]]);
        c->n[cls[h]]++;
    }
    for (uint32_t k = 0; k < LOTTERY_CLASSES; k++) {
        c->start[k + 1] = c->start[k] + c->n[k];
        double x = detmath_exp(-4 + (k + 0.5) / LOTTERY_STEPS); /* the class's centre */
        c->rate[k] = (uint32_t)model_llround(x * LOTTERY_UNIT);
        tree_add(c, k, (int64_t)c->n[k] * c->rate[k]);
    }
    uint32_t fill[LOTTERY_CLASSES];
    memcpy(fill, c->start, sizeof fill);
    for (uint32_t h = 0; h < n; h++)
        sorted[fill[cls[h]]++] = l->people[h];
    free(l->people);
    l->people = sorted;
    free(cls);
    return 0;
}

/* Offline wallets for `offline_wallets` claimers, a uniform draw among them
 * (a partial shuffle of places): they pay stores double offline as any
 * hardware wallet does (payments.offline_share). */
static int give_offline(struct model *m, uint32_t i)
{
    struct lottery *l = &m->iv[i].lot;
    uint32_t k = model_sim_count(m, m->s->interventions[i].offline_wallets);
    if (k > l->n_people)
        k = l->n_people;
    if (k == 0)
        return 0;
    uint32_t *place = malloc(l->n_people * sizeof *place);
    if (!place)
        return -1;
    for (uint32_t h = 0; h < l->n_people; h++)
        place[h] = h;
    for (uint32_t j = 0; j < k; j++) {
        runs_chunk(m->rng, P_LOTTERY, RUNS_AGENT(RUNS_OFFLINE, i), 0, j);
        uint32_t r = j + rng_below(m->rng, l->n_people - j), t = place[j];
        place[j] = place[r];
        place[r] = t;
        m->wallets[l->people[place[j]]].flags |= WALLET_HARDWARE;
    }
    free(place);
    return 0;
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
    if (weigh(m, i) < 0)
        return -1;
    return give_offline(m, i);
}

/* How often a winner of eagerness 1 spends, and where: the scenario's
 * formula (reach_spend_rate), per unit of weight. */
static void reach(struct model *m, uint32_t i)
{
    struct lottery *l = &m->iv[i].lot;
    l->per_weight = reach_spend_rate(m->s, &m->s->interventions[i], &l->online) / LOTTERY_UNIT;
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
    reach(m, i);
    l->open = 1;
    return l->merchant_pick ? 0 : -1;
}

/* The window closes: unspent envelope money is taken back (from the
 * claimers still holding this lottery's envelope). */
void lottery_close(struct model *m, uint32_t i)
{
    struct intervention_state *st = &m->iv[i];
    uint32_t city = (uint32_t)m->s->interventions[i].city;
    st->lot.open = 0;
    for (uint32_t h = 0; h < st->lot.n_people; h++) {
        struct wallet *us = &m->wallets[st->lot.people[h]];
        if (us->lottery != i + 1)
            continue; /* spent it, and holds another lottery's now */
        st->out.reclaimed_fen += us->envelope_fen;
        money_reclaim(&m->book, city, us->envelope_fen);
        us->envelope_fen = 0;
        us->lottery = 0;
    }
    if (st->lot.cls) {
        st->lot.cls->total = 0;
        st->lot.cls->version++;
    }
}

/* A winner spends, picked by eagerness, online with probability `online`
 * (lottery_open), else at a participating merchant by popularity: the
 * ticket is a lognormal multiple of the envelope money left (people spend
 * the envelope, often adding a little of their own), envelope money first. */
uint32_t lottery_spending(struct model *m, uint32_t i, struct payment *p)
{
    const struct intervention *iv = &m->s->interventions[i];
    struct lottery *l = &m->iv[i].lot;
    struct lottery_classes *c = l->cls;
    uint64_t bits = rng_bits(m->rng);
    uint32_t h;
    if (bits == c->ahead_bits && c->version == c->ahead_version) { /* picked ahead */
        h = c->ahead_place;
        c->last = c->ahead_class;
    } else {
        h = lottery_pick(l, bits, &c->last);
    }
    p->payer = l->people[h];
    if (rng_coin(rng_word32(m->rng), l->online))
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
    if (m->wallets[l->people[place]].envelope_fen != 0)
        return;
    /* It leaves its class's spenders: swapped with the last of them. */
    struct lottery_classes *c = l->cls;
    uint32_t k = c->last, last = c->start[k] + --c->n[k];
    uint32_t t = l->people[place];
    l->people[place] = l->people[last];
    l->people[last] = t;
    tree_add(c, k, -(int64_t)c->rate[k]);
}

/* A spender whose envelope money came back rejoins its class: found
 * among those who spent theirs (rare: failed payments only). */
static void rejoin(struct model *m, uint32_t i, uint32_t wallet)
{
    struct lottery *l = &m->iv[i].lot;
    struct lottery_classes *c = l->cls;
    uint32_t k = eager_class(m, i, m->order[wallet]), first = c->start[k] + c->n[k];
    for (uint32_t h = first; h < c->start[k + 1]; h++)
        if (l->people[h] == wallet) {
            l->people[h] = l->people[first];
            l->people[first] = wallet;
            c->n[k]++;
            tree_add(c, k, c->rate[k]);
            return;
        }
}

/* Completed: counted (a first double-offline payment counts its payer).
 * Failed: the envelope money returns to the envelope while the window is
 * open (its holder rejoins the spenders), else it is reclaimed. */
void lottery_ended(struct model *m, const struct payment *p, int failed, int offline)
{
    struct intervention_state *st = &m->iv[p->lottery - 1];
    struct intervention_result *o = &st->out;
    struct wallet *u = &m->wallets[p->payer];
    if (!failed) {
        o->payments++;
        o->spent_fen += p->envelope_fen;
        o->topup_spent_fen += p->amount_fen - p->envelope_fen;
        if (p->kind == PAY_MERCHANT && m->merchants[p->payee].category == MERCHANT_ONLINE) {
            o->online_payments++;
            o->online_spent_fen += p->amount_fen;
            st->lot.online_env_fen += p->envelope_fen;
        }
        if (offline && !(u->flags & WALLET_LOTTERY_OFFLINE)) {
            u->flags |= WALLET_LOTTERY_OFFLINE;
            o->offline_users++;
        }
        return;
    }
    if (!p->envelope_fen)
        return;
    if (st->lot.open) {
        if (u->envelope_fen == 0)
            rejoin(m, p->lottery - 1, p->payer);
        u->envelope_fen += p->envelope_fen;
    } else {
        o->reclaimed_fen += p->envelope_fen;
        money_reclaim(&m->book, p->city, p->envelope_fen);
    }
}

/* Shares of simulated counts: the same in real units. An empty
 * denominator gives 0. */
void lottery_collect(const struct model *m, uint32_t i, struct intervention_result *r)
{
    const struct intervention *iv = &m->s->interventions[i];
    const struct intervention_state *st = &m->iv[i];
    const struct intervention_result *o = &st->out;
    r->claimed_share = (double)r->claimed / (double)iv->envelopes; /* envelopes >= 1 */
    r->spent_share =
        st->lot.claimed_fen > 0 ? (double)o->spent_fen / (double)st->lot.claimed_fen : 0;
    r->online_share = o->spent_fen > 0 ? (double)st->lot.online_env_fen / (double)o->spent_fen : 0;
}
