/* adoption: who holds a wallet and which merchants accept e-CNY.
 *
 * Users move along the segments of their city's population (population.h):
 * unaware -> aware -> wallet holder; each move is one swap within the
 * person's activity stratum, and a uniform draw from a segment is one
 * index. Each day a city's adoption is a Bass step,
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
    if (population_stage(&cs->pop, pos) == STAGE_WALLET || !population_owner(&cs->pop, u) || !ops)
        return 0;
    opened(m, c, population_open_at(&cs->pop, pos, draw_wallet(m, c, ops)));
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
        uint64_t k = 0; /* the run's item: holders stratum after stratum */
        for (uint32_t t = 0; t < cs->pop.k; t++) {
            uint32_t from, to;
            population_holders(&cs->pop, t, &from, &to);
            for (uint32_t at = from; at < to; at++, k++) {
                struct wallet *w = &m->wallets[cs->pop.first + at];
                runs_chunk(m->rng, P_INTERVENTION, RUNS_AGENT(RUNS_PEOPLE, i), base, k);
                unsigned subs = (w->flags & WALLET_SUBS) >> WALLET_SUBS_SHIFT;
                if (rng_uniform_pos(m->rng) < share && w->op != op && subs < WALLET_MAX_SUBS) {
                    w->flags = (uint8_t)(w->flags + (1u << WALLET_SUBS_SHIFT));
                    cs->personal++;
                }
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

/* The wallets the scenario starts with: a uniform subset of the owners
 * (selection sampling, Knuth's algorithm S), drawn person by person in
 * user order. With `place`, each person is put at the next position of
 * its stratum's segment (cursor[], holders and owners, then the others),
 * and each holder's account drawn and opened; without, the pass only
 * counts the strata's holders into held[] (the same draws, replayed). The
 * person's stratum is pos[]'s scratch value until it is placed. This is
 * the set-up's hot loop, over a whole city. */
static void initial_pass(struct model *m, uint32_t c, int place, uint32_t *held, uint32_t *cursor)
{
    struct city_state *cs = &m->cities[c];
    struct population *p = &cs->pop;
    const uint64_t wallets_run = 1ull << RUNS_SHIFT;
    uint32_t need =
        cs->op_pick ? (uint32_t)llround(m->s->cities[c].initial_wallets * p->n_smart) : 0;
    if (!place && !need)
        return; /* no holders to count (the usual case: no initial wallets) */
    for (uint32_t i = 0; i < p->n; i++) {
        uint32_t s = p->pos[p->first + i] % POPULATION_MAX_STRATA;
        int opens = 0;
        if (i < p->n_smart && need) {
            runs_chunk(m->rng, P_SETUP, c, wallets_run, i);
            opens = rng_uniform_pos(m->rng) * (p->n_smart - i) < need;
            need -= (uint32_t)opens;
        }
        struct wallet w = opens ? draw_wallet(m, c, cs->op_pick) : (struct wallet){0};
        if (!place) {
            held[s] += (uint32_t)opens;
            continue;
        }
        /* cursor: holders, then owners, then the others, a triple a stratum */
        uint32_t at = cursor[3 * s + (opens ? 0 : i < p->n_smart ? 1 : 2)]++;
        population_place(p, i, at);
        if (opens) {
            m->wallets[p->first + at] = w;
            opened(m, c, p->first + at);
        }
    }
}

/* The city's people in their strata (population.h): each person's stratum
 * from its habits, counted, laid out, then everyone placed with the
 * initial wallets; the strata weighed for the draws by activity. One
 * stratum when people do not differ: then the layout is the one without
 * strata, position by position. */
static int place_people(struct model *m, uint32_t c)
{
    struct city_state *cs = &m->cities[c];
    struct population *p = &cs->pop;
    uint32_t k = habits_strata(&m->habits);
    uint32_t n[POPULATION_MAX_STRATA] = {0}, smart[POPULATION_MAX_STRATA] = {0},
             held[POPULATION_MAX_STRATA] = {0}, cursor[3 * POPULATION_MAX_STRATA];
    for (uint32_t i = 0; i < p->n; i++) {
        uint32_t s = habits_stratum(&m->habits, p->first + i);
        p->pos[p->first + i] = s; /* scratch until placed */
        n[s]++;
        smart[s] += i < p->n_smart;
    }
    initial_pass(m, c, 0, held, NULL);
    population_strata(p, k, n, smart, held);
    for (uint32_t s = 0; s < k; s++) {
        cursor[3 * s] = p->s[s].start;
        cursor[3 * s + 1] = p->s[s].start + held[s];
        cursor[3 * s + 2] = p->s[s].start + p->s[s].n_smart;
    }
    initial_pass(m, c, 1, NULL, cursor);
    if (k > 1) {
        uint64_t per[POPULATION_MAX_STRATA];
        habits_bounds(&m->habits, 1, per); /* the payers, by activity */
        population_weigh(p, SEG_HOLDERS, per);
        if (m->s->activity_bias > 0) { /* the adopters, by activity^bias */
            habits_bounds(&m->habits, m->s->activity_bias, per);
            population_weigh(p, SEG_AWARE, per);
            population_weigh(p, SEG_UNAWARE, per);
        }
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
    const uint64_t merchants_run = 0, accept_run = 2ull << RUNS_SHIFT; /* 1: initial_pass */
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
    if (place_people(m, c) < 0)
        return -1;
    uint32_t accepting = (uint32_t)llround(spec->initial_accepting * cs->m_n);
    for (uint64_t k = 0; cs->acc.accepting < accepting; k++) {
        runs_chunk(m->rng, P_SETUP, c, accept_run, k);
        acceptance_start(&cs->acc, acceptance_pick_idle(&cs->acc, m->rng), 0);
    }
    return 0;
}

/* A day's adopters are random places in order[] and, through it, in
 * pos[] (population.h): cache misses one after another. But each adoption
 * shrinks its segment by one, so the member indices of the next
 * ADOPT_AHEAD adopters, and their accounts, can be drawn before any of them
 * moves, in the order the draws were always made, and their order[] cells
 * fetched together (exactly with one stratum; near them with more, where
 * an open shifts only its own stratum). */
#define ADOPT_AHEAD 32

/* An adopter drawn with weight activity^bias from segment seg
 * (adoption.activity_bias, habits_draw: about 1.1 tries at sigma 1 and
 * bias 2): its tries come from the blocks of P_ADOPT_BIAS keyed by (city,
 * try) and the run's item, so that the run's own draws do not depend on
 * the tries. */
static uint32_t biased_place(struct model *m, uint32_t c, enum population_segment seg,
                             uint64_t item)
{
    return habits_draw(&m->habits, &m->cities[c].pop, seg, m->s->activity_bias, m->key_bias,
                       (uint64_t)c << 32, item);
}

/* Open `n` wallets among the aware (or the unaware) smartphone owners:
 * items *k onwards of the day's run of draws (`base`). Adopters drawn by
 * activity are drawn and opened one at a time: a candidate's person is
 * read from order[] as it is then. */
static void adopt_from(struct model *m, uint32_t c, unsigned n, int aware, uint64_t base,
                       uint64_t *k)
{
    struct city_state *cs = &m->cities[c];
    const enum population_segment seg = aware ? SEG_AWARE : SEG_UNAWARE;
    uint32_t member[ADOPT_AHEAD], id[ADOPT_AHEAD];
    struct wallet account[ADOPT_AHEAD];
    int biased = m->s->activity_bias > 0 && m->habits.sigma > 0;
    while (n > 0) {
        unsigned b = 0, full = 1;
        for (; b < ADOPT_AHEAD && b < n; b++) {
            runs_chunk(m->rng, P_ADOPT, c, base, ++*k);
            uint32_t size = population_size(&cs->pop, seg) - (biased ? 0 : b);
            if (size == 0) {
                full = 0;
                break;
            }
            if (biased) {
                uint32_t at = biased_place(m, c, seg, base + *k);
                opened(m, c, population_open_at(&cs->pop, at, draw_wallet(m, c, cs->op_pick)));
                continue;
            }
            member[b] = rng_below(m->rng, size);
            account[b] = draw_wallet(m, c, cs->op_pick);
            /* one stratum: the segment's start will have moved b places */
            population_fetch_place(&cs->pop, population_member(&cs->pop, seg, member[b]) +
                                                 (cs->pop.k == 1 ? b : 0));
        }
        if (!biased) {
            population_open_many(&cs->pop, seg, member, account, b, id);
            for (unsigned j = 0; j < b; j++)
                opened(m, c, id[j]);
        }
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
