/* adoption: who holds a wallet and which merchants accept e-CNY.
 *
 * Users move along the segments of their city's population (population.h):
 * unaware -> aware -> wallet holder; each move is one swap, so a uniform draw
 * from a segment is one index. Each day a city's adoption is a Bass step,
 * raised by merchant acceptance and, for the aware, by their awareness;
 * merchants adopt likewise, their imitation driven by the users. (Whether a
 * holder is active or dormant is derived from its last payment: model.c.)
 * adoption.h has the API. */
#include "model/adoption.h"

#include <math.h>
#include <stdlib.h>

#include "kernel/detmath.h"
#include "kernel/rng.h"
#include "model/habits.h"

/* The sub-wallets a new holder opens with its wallet at operator `op`:
 * one at each other joined operator with probability sub_wallet_share, a
 * binomial count, at most WALLET_MAX_SUBS (eight wallets a person). */
static unsigned sub_wallets(struct model *m, uint8_t op)
{
    uint32_t others = 0;
    for (size_t o = 0; o < m->s->n_operators; o++)
        others += m->op_joined[o] && o != op;
    uint32_t n = rng_binomial(m->rng, m->s->sub_wallet_share, others);
    return n < WALLET_MAX_SUBS ? n : WALLET_MAX_SUBS;
}

/* A new account: its operator, class and whether it is a hardware wallet,
 * drawn, and its sub-wallets. */
static struct wallet draw_wallet(struct model *m, uint32_t c, gsl_ran_discrete_t *ops)
{
    struct wallet w = {0};
    w.op = (uint8_t)gsl_ran_discrete(m->rng, ops);
    /* The wallet class: by the scenario's shares of new wallets. */
    double x = rng_uniform_pos(m->rng), acc = 0;
    int cls = WALLET_CLASSES - 1;
    for (int i = 0; i < WALLET_CLASSES; i++)
        if (x < (acc += m->s->wallet_classes[i].share)) {
            cls = i;
            break;
        }
    w.flags = (uint8_t)cls;
    if (m->s->cities[c].hardware_share > 0 &&
        rng_uniform_pos(m->rng) < m->s->cities[c].hardware_share)
        w.flags |= WALLET_HARDWARE;
    if (m->s->sub_wallet_share > 0) /* no draw without: the same draws as before */
        w.flags |= (uint8_t)(sub_wallets(m, w.op) << WALLET_SUBS_SHIFT);
    return w;
}

/* Wallet id w of city c has just opened: when people differ, its
 * holder's activity is kept beside the account and added to the city's
 * sum, the weight of its payment stream. */
static void opened(struct model *m, uint32_t c, uint32_t w)
{
    struct city_state *cs = &m->cities[c];
    cs->personal += population_wallet_count(m->wallets[w].flags);
    if (m->activity) {
        float a = (float)habits_activity(m, cs->pop.order[w - cs->pop.first]);
        m->activity[w] = a;
        cs->activity_sum += a;
    }
}

/* Open a wallet for user u. Returns 1 when a wallet was opened, 0 when u
 * already had one, has no smartphone, or no operator opens wallets yet. */
int adoption_open_wallet(struct model *m, uint32_t c, uint32_t u, gsl_ran_discrete_t *ops)
{
    struct city_state *cs = &m->cities[c];
    uint32_t pos = cs->pop.pos[u];
    if (population_stage(&cs->pop, pos) == STAGE_WALLET || pos >= cs->pop.n_smart || !ops)
        return 0;
    population_open_at(&cs->pop, pos, draw_wallet(m, c, ops));
    opened(m, c, cs->pop.first + cs->pop.wallets - 1);
    return 1;
}

void adoption_operator_joins(struct model *m, uint32_t i, uint32_t op)
{
    const double share = m->s->sub_wallet_share;
    if (share <= 0)
        return;
    for (uint32_t c = 0; c < m->s->n_cities; c++) {
        struct city_state *cs = &m->cities[c];
        const uint64_t base = (uint64_t)c << RUNS_SHIFT; /* a run a city */
        for (uint32_t k = 0; k < cs->pop.wallets; k++) {
            struct wallet *w = &m->wallets[cs->pop.first + k];
            runs_chunk(m->rng, P_INTERVENTION, RUNS_AGENT(RUNS_PEOPLE, i), base, k);
            unsigned subs = (w->flags & WALLET_SUBS) >> WALLET_SUBS_SHIFT;
            if (rng_uniform_pos(m->rng) < share && w->op != op && subs < WALLET_MAX_SUBS) {
                w->flags = (uint8_t)(w->flags + (1u << WALLET_SUBS_SHIFT));
                cs->personal++;
            }
        }
    }
}

gsl_ran_discrete_t *adoption_alias(const double *w, size_t n)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += w[i];
    return sum > 0 ? gsl_ran_discrete_preproc(n, w) : NULL;
}

/* The operators that open wallets now, by each city's shares. */
int adoption_refresh_operators(struct model *m)
{
    const struct scenario *s = m->s;
    double w[SCENARIO_MAX_OPERATORS];
    for (uint32_t c = 0; c < s->n_cities; c++) {
        struct city_state *cs = &m->cities[c];
        for (size_t o = 0; o < s->n_operators; o++)
            w[o] = m->op_joined[o] ? s->cities[c].operator_share[o] : 0;
        if (cs->op_pick)
            gsl_ran_discrete_free(cs->op_pick);
        cs->op_pick = adoption_alias(w, s->n_operators);
    }
    return 0;
}

/* Set up a city's people and merchants: merchants' popularity (lognormal: a
 * few busy shops, many quiet ones) and acquiring operator, the city's online
 * marketplace, and the wallets and acceptance the scenario starts with. */
int adoption_setup(struct model *m, uint32_t c)
{
    const struct city_spec *spec = &m->s->cities[c];
    struct city_state *cs = &m->cities[c];
    uint32_t first = cs->pop.first, n = cs->pop.n;
    population_init(&cs->pop, m->order + first, m->pos, m->wallets, first, n,
                    (uint32_t)llround(n * spec->smartphone_share));
    cs->latency = malloc(sizeof *cs->latency);
    cs->b_latency = malloc(sizeof *cs->b_latency);
    cs->paid_on = calloc((size_t)calendar_day(m->s->duration_s) + 2, sizeof *cs->paid_on);
    if (!cs->latency || !cs->b_latency || !cs->paid_on)
        return -1;
    hist_init(cs->latency);
    hist_init(cs->b_latency);
    cs->multiplier = 1;
    /* Three long runs of set-up draws (runs.h): merchants, initial
     * wallets, initial acceptance. */
    const uint64_t merchants_run = 0, wallets_run = 1ull << RUNS_SHIFT,
                   accept_run = 2ull << RUNS_SHIFT;
    gsl_ran_discrete_t *ops = cs->op_pick;
    for (uint32_t i = 0; i <= cs->m_n; i++) {
        struct merchant *mc = &m->merchants[cs->m_first + i];
        runs_chunk(m->rng, P_SETUP, c, merchants_run, i);
        mc->op = ops ? (uint8_t)gsl_ran_discrete(m->rng, ops) : 0;
        mc->city = (uint8_t)c;
        mc->pos = i;
        if (i == cs->m_n) { /* the online marketplace */
            mc->category = MERCHANT_ONLINE;
            mc->accept_day = 1;
            break;
        }
        mc->weight = (float)rng_lognormal(m->rng, 0, 1);
    }
    if (acceptance_init(&cs->acc, m->merchants, cs->m_first, cs->m_n) < 0)
        return -1;
    /* The wallets the scenario starts with: a uniform subset of the owners
     * (selection sampling, Knuth's algorithm S), with order[] and every
     * user's position written in one pass in memory order: this is the
     * set-up's hot loop, over a whole city. */
    uint32_t need = ops ? (uint32_t)llround(spec->initial_wallets * cs->pop.n_smart) : 0;
    uint32_t holder = 0, other = need; /* the next position in each segment */
    cs->pop.wallets = need;
    if (need == 0) { /* nobody moves */
        population_place_all(&cs->pop);
    } else {
        for (uint32_t i = 0; i < cs->pop.n; i++) {
            uint32_t pos = i; /* no smartphone: stays where it is */
            int opens = 0;
            if (i < cs->pop.n_smart) {
                if (need)
                    runs_chunk(m->rng, P_SETUP, c, wallets_run, i);
                opens = need && rng_uniform_pos(m->rng) * (cs->pop.n_smart - i) < need;
                pos = opens ? holder++ : other++;
                need -= (uint32_t)opens;
            }
            population_place(&cs->pop, i, pos);
            if (opens) {
                m->wallets[cs->pop.first + pos] = draw_wallet(m, c, ops);
                opened(m, c, cs->pop.first + pos);
            }
        }
    }
    uint32_t accepting = (uint32_t)llround(spec->initial_accepting * cs->m_n);
    for (uint64_t k = 0; cs->acc.accepting < accepting; k++) {
        runs_chunk(m->rng, P_SETUP, c, accept_run, k);
        acceptance_start(&cs->acc, acceptance_pick_idle(&cs->acc, m->rng), 0);
    }
    return 0;
}

/* A day's adopters are random places in order[] and, through it, in
 * pos[] (population.h): cache misses one after another. But each adoption shrinks its
 * segment by one and moves its start by one, so the places of the next
 * ADOPT_AHEAD adopters, and their accounts, can be drawn before any of them
 * moves, in the order the draws were always made, and their order[] cells
 * fetched together. */
#define ADOPT_AHEAD 32

/* An adopter drawn with weight activity^bias among the `size` places from
 * `from` (adoption.activity_bias): `place` is the uniform candidate of the
 * run's draws, accepted with (activity / ceiling)^bias; a rejected one is
 * replaced from the blocks of P_ADOPT_BIAS keyed by (city, try) and the
 * run's item, so that the run's own draws stay as many as without bias. */
static uint32_t biased_place(struct model *m, uint32_t c, uint32_t from, uint32_t size,
                             uint32_t place, uint64_t item)
{
    const struct population *p = &m->cities[c].pop;
    uint64_t block[2];
    for (uint32_t t = 0; t + 1 < HABITS_MAX_TRIES; t++) {
        rng_block_keyed(m->key_bias, (uint64_t)c << 32 | t, item, block);
        if (rng_uniform_of(block[0]) <
            habits_weight(&m->habits, p->order[place], m->s->activity_bias))
            break;
        place = from + (uint32_t)(((block[1] >> 32) * size) >> 32);
    }
    return place;
}

/* Open `n` wallets among the aware (or the unaware) smartphone owners:
 * items *k onwards of the day's run of draws (`base`). Adopters drawn by
 * activity are drawn one at a time: a candidate's person is read from
 * order[] as it is then. */
static void adopt_from(struct model *m, uint32_t c, unsigned n, int aware, uint64_t base,
                       uint64_t *k)
{
    struct city_state *cs = &m->cities[c];
    uint32_t place[ADOPT_AHEAD];
    struct wallet account[ADOPT_AHEAD];
    int biased = m->s->activity_bias > 0 && m->habits.sigma > 0;
    unsigned ahead = biased ? 1 : ADOPT_AHEAD;
    while (n > 0) {
        unsigned b = 0, full = 1;
        uint32_t before = cs->pop.wallets;
        for (; b < ahead && b < n; b++) {
            runs_chunk(m->rng, P_ADOPT, c, base, ++*k);
            uint32_t from = cs->pop.wallets + b + (aware ? 0 : cs->pop.aware);
            uint32_t size =
                (aware ? cs->pop.aware : cs->pop.n_smart - cs->pop.wallets - cs->pop.aware) - b;
            if (size == 0) {
                full = 0;
                break;
            }
            place[b] = from + rng_below(m->rng, size);
            if (biased)
                place[b] = biased_place(m, c, from, size, place[b], base + *k);
            account[b] = draw_wallet(m, c, cs->op_pick);
            population_fetch_place(&cs->pop, place[b]);
        }
        population_open_many(&cs->pop, place, account, b);
        for (unsigned j = 0; j < b; j++)
            opened(m, c, cs->pop.first + before + j);
        if (!full)
            return;
        n -= b;
    }
}

/* One day of Bass adoption in city c: a smartphone owner without a wallet
 * opens one with probability 1 - exp(-h dt), h = (p + q F)(1 + e A) B per
 * year, B the boosts in force (times aware_boost for the aware), F the holders' share of owners, A the
 * accepting merchants' share. The numbers are binomial; who adopts is a
 * uniform draw within each segment. Merchants adopt likewise, with hazard
 * p_m + q_m F. */
static void adopt(struct model *m, uint32_t c, uint64_t day, double dt)
{
    const struct scenario *s = m->s;
    const struct city_spec *spec = &s->cities[c];
    struct city_state *cs = &m->cities[c];
    double F = cs->pop.n_smart ? (double)cs->pop.wallets / cs->pop.n_smart : 0;
    double A = (double)cs->acc.accepting / cs->m_n;
    double h = (spec->innovation + spec->imitation * F) * (1 + s->merchant_effect * A);
    h *= cs->boost; /* operators joining, the app opened (interventions.c); 1: none */
    /* The day's runs of draws: item 0 the numbers, then one per adopter. */
    const uint64_t base = day << RUNS_SHIFT;
    uint64_t k = 0;
    runs_chunk(m->rng, P_ADOPT, c, base, k);
    if (cs->op_pick) {
        uint32_t unaware = cs->pop.n_smart - cs->pop.wallets - cs->pop.aware;
        unsigned from_aware = rng_binomial(
            m->rng, -detmath_expm1(-h * s->aware_boost * dt / CALENDAR_YEAR), cs->pop.aware);
        unsigned from_unaware =
            rng_binomial(m->rng, -detmath_expm1(-h * dt / CALENDAR_YEAR), unaware);
        adopt_from(m, c, from_aware, 1, base, &k);
        adopt_from(m, c, from_unaware, 0, base, &k);
    }
    double hm = s->merchant_innovation + s->merchant_imitation * F;
    runs_chunk(m->rng, P_MERCHANT_ADOPT, c, base, 0);
    unsigned merchants =
        rng_binomial(m->rng, -detmath_expm1(-hm * dt / CALENDAR_YEAR), cs->m_n - cs->acc.accepting);
    uint16_t today = calendar_day((double)day * CALENDAR_DAY);
    for (unsigned i = 0; i < merchants; i++) {
        runs_chunk(m->rng, P_MERCHANT_ADOPT, c, base, i + 1);
        acceptance_start(&cs->acc, acceptance_pick_idle(&cs->acc, m->rng), today);
    }
}

int adoption_day(struct model *m, uint32_t c, uint64_t day, double now, double dt)
{
    double start = m->s->cities[c].pilot_start_s;
    if (now + dt > start) /* the pilot's first day counts only its open part */
        adopt(m, c, day, now >= start ? dt : now + dt - start);
    return 0;
}
