/* adoption: who holds a wallet and which merchants accept e-CNY.
 *
 * Users move along the segments of their city's order[] (model_state.h):
 * unaware -> aware -> wallet holder; each move is one swap, so a uniform draw
 * from a segment is one index. Each day a city's adoption is a Bass step,
 * raised by merchant acceptance and, for the aware, by their awareness;
 * merchants adopt likewise, their imitation driven by the users. (Whether a
 * holder is active or dormant is derived from its last payment: model.c.)
 * adoption.h has the API. */
#include "model/adoption.h"

#include <math.h>
#include <stdlib.h>

#include "kernel/bigmem.h"
#include "kernel/detmath.h"
#include "kernel/rng.h"

/* Swap the users at positions a and b of a city's order[]. */
static void swap_users(struct model *m, struct city_state *cs, uint32_t a, uint32_t b) {
    uint32_t ua = cs->order[a], ub = cs->order[b];
    cs->order[a] = ub;
    cs->order[b] = ua;
    m->pos[ub] = a;
    m->pos[ua] = b;
}

/* A lottery's losers, hundreds of thousands on one day, and its winners
 * each move from a random place in order[] to a segment's start, whose
 * person is another random place in pos[]: cache misses one after another.
 * So a pass over such people fetches those places AHEAD people ahead (the
 * person's position twice as far, since it tells where the swap will
 * read). Only hints: a stale guess costs a useless fetch, never a wrong
 * swap. `opens`: the pass opens wallets, so the holders' segment moves too. */
#define AHEAD 16

void adoption_fetch_ahead(const struct model *m, uint32_t c, const uint32_t *users, uint32_t n,
                          uint32_t i, int opens) {
    const struct city_state *cs = &m->cities[c];
    if (i + 2 * AHEAD < n)
        BIGMEM_PREFETCH_W(&m->pos[users[i + 2 * AHEAD]]);
    if (i + AHEAD < n) {
        uint32_t aware_end = cs->wallets + cs->aware + AHEAD, holders_end = cs->wallets + AHEAD;
        BIGMEM_PREFETCH_W(&cs->order[m->pos[users[i + AHEAD]]]);
        if (aware_end < cs->n_smart)
            BIGMEM_PREFETCH_W(&m->pos[cs->order[aware_end]]);
        if (opens && holders_end < cs->n_smart)
            BIGMEM_PREFETCH_W(&m->pos[cs->order[holders_end]]);
    }
}

void adoption_make_aware(struct model *m, uint32_t c, const uint32_t *users, uint32_t n) {
    struct city_state *cs = &m->cities[c];
    for (uint32_t i = 0; i < n; i++) {
        adoption_fetch_ahead(m, c, users, n, i, 0);
        uint32_t pos = m->pos[users[i]];
        if (adoption_stage(cs, pos) == STAGE_UNAWARE && pos < cs->n_smart)
            swap_users(m, cs, pos, cs->wallets + cs->aware++);
    }
}

/* A new account: its operator, class and whether it is a hardware wallet,
 * drawn. */
static struct wallet draw_wallet(struct model *m, uint32_t c, gsl_ran_discrete_t *ops) {
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
    if (m->s->cities[c].hardware_share > 0 && rng_uniform_pos(m->rng) < m->s->cities[c].hardware_share)
        w.flags |= WALLET_HARDWARE;
    return w;
}

/* Move the person at position `pos`, aware or unaware, to the holders'
 * segment with account w (an unaware person first joins the aware
 * segment's end, then the aware segment's first member makes room). */
static void open_at(struct model *m, uint32_t c, uint32_t pos, struct wallet w) {
    struct city_state *cs = &m->cities[c];
    if (pos >= cs->wallets + cs->aware) {
        swap_users(m, cs, pos, cs->wallets + cs->aware);
        pos = cs->wallets + cs->aware++;
    }
    swap_users(m, cs, pos, cs->wallets);
    m->wallets[cs->first + cs->wallets++] = w;
    cs->aware--;
}

/* Open a wallet for user u. Returns 1 when a wallet was opened, 0 when u
 * already had one, has no smartphone, or no operator opens wallets yet. */
int adoption_open_wallet(struct model *m, uint32_t c, uint32_t u, gsl_ran_discrete_t *ops) {
    struct city_state *cs = &m->cities[c];
    uint32_t pos = m->pos[u];
    if (adoption_stage(cs, pos) == STAGE_WALLET || pos >= cs->n_smart || !ops)
        return 0;
    open_at(m, c, pos, draw_wallet(m, c, ops));
    return 1;
}

gsl_ran_discrete_t *adoption_alias(const double *w, size_t n) {
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += w[i];
    return sum > 0 ? gsl_ran_discrete_preproc(n, w) : NULL;
}

/* The operators that open wallets now, by each city's shares. */
int adoption_refresh_operators(struct model *m) {
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
int adoption_setup(struct model *m, uint32_t c) {
    const struct city_spec *spec = &m->s->cities[c];
    struct city_state *cs = &m->cities[c];
    cs->n_smart = (uint32_t)llround(cs->n * spec->smartphone_share);
    cs->order = m->order + cs->first;     /* its slice of the one array */
    cs->latency = malloc(sizeof *cs->latency);
    cs->b_latency = malloc(sizeof *cs->b_latency);
    cs->paid_on = calloc((size_t)calendar_day(m->s->duration_s) + 2, sizeof *cs->paid_on);
    if (!cs->latency || !cs->b_latency || !cs->paid_on)
        return -1;
    hist_init(cs->latency);
    hist_init(cs->b_latency);
    cs->multiplier = 1;
    /* Three long runs of set-up draws (model_chunk): merchants, initial
     * wallets, initial acceptance. */
    const uint64_t merchants_run = 0, wallets_run = 1ull << MODEL_RUN_SHIFT,
                   accept_run = 2ull << MODEL_RUN_SHIFT;
    gsl_ran_discrete_t *ops = cs->op_pick;
    for (uint32_t i = 0; i <= cs->m_n; i++) {
        struct merchant *mc = &m->merchants[cs->m_first + i];
        model_chunk(m->rng, P_SETUP, c, merchants_run, i);
        mc->op = ops ? (uint8_t)gsl_ran_discrete(m->rng, ops) : 0;
        mc->city = (uint8_t)c;
        mc->pos = i;
        if (i == cs->m_n) {           /* the online marketplace */
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
    uint32_t need = ops ? (uint32_t)llround(spec->initial_wallets * cs->n_smart) : 0;
    uint32_t holder = 0, other = need;   /* the next position in each segment */
    cs->wallets = need;
    if (need == 0) {                  /* nobody moves: a tight loop */
        uint32_t *order = cs->order, *pos = m->pos + cs->first, first = cs->first, n = cs->n;
        for (uint32_t i = 0; i < n; i++) {
            order[i] = first + i;
            pos[i] = i;
        }
    } else {
        for (uint32_t i = 0; i < cs->n; i++) {
            uint32_t pos = i;            /* no smartphone: stays where it is */
            int opens = 0;
            if (i < cs->n_smart) {
                if (need)
                    model_chunk(m->rng, P_SETUP, c, wallets_run, i);
                opens = need && rng_uniform_pos(m->rng) * (cs->n_smart - i) < need;
                pos = opens ? holder++ : other++;
                need -= (uint32_t)opens;
            }
            cs->order[pos] = cs->first + i;
            m->pos[cs->first + i] = pos;
            if (opens)
                m->wallets[cs->first + pos] = draw_wallet(m, c, ops);
        }
    }
    uint32_t accepting = (uint32_t)llround(spec->initial_accepting * cs->m_n);
    for (uint64_t k = 0; cs->acc.accepting < accepting; k++) {
        model_chunk(m->rng, P_SETUP, c, accept_run, k);
        acceptance_start(&cs->acc, acceptance_pick_idle(&cs->acc, m->rng), 0);
    }
    return 0;
}

/* A day's adopters are random places in order[] and, through it, in
 * pos[]: cache misses one after another. But each adoption shrinks its
 * segment by one and moves its start by one, so the places of the next
 * ADOPT_AHEAD adopters, and their accounts, can be drawn before any of them
 * moves, in the order the draws were always made, and their order[] cells
 * fetched together. */
#define ADOPT_AHEAD 32

/* Open `n` wallets among the aware (or the unaware) smartphone owners:
 * items *k onwards of the day's run of draws (`base`). */
static void adopt_from(struct model *m, uint32_t c, unsigned n, int aware, uint64_t base,
                       uint64_t *k) {
    struct city_state *cs = &m->cities[c];
    uint32_t place[ADOPT_AHEAD];
    struct wallet account[ADOPT_AHEAD];
    while (n > 0) {
        unsigned b = 0, full = 1;
        for (; b < ADOPT_AHEAD && b < n; b++) {
            model_chunk(m->rng, P_ADOPT, c, base, ++*k);
            uint32_t from = cs->wallets + b + (aware ? 0 : cs->aware);
            uint32_t size = (aware ? cs->aware : cs->n_smart - cs->wallets - cs->aware) - b;
            if (size == 0) {
                full = 0;
                break;
            }
            place[b] = from + rng_below(m->rng, size);
            account[b] = draw_wallet(m, c, cs->op_pick);
            BIGMEM_PREFETCH(&cs->order[place[b]]);
        }
        for (unsigned i = 0; i < b; i++) {
            if (i + 1 < b)     /* the swap writes the next adopter's pos[] */
                BIGMEM_PREFETCH_W(&m->pos[cs->order[place[i + 1]]]);
            open_at(m, c, place[i], account[i]);
        }
        if (!full)
            return;
        n -= b;
    }
}

/* One day of Bass adoption in city c: a smartphone owner without a wallet
 * opens one with probability 1 - exp(-h dt), h = (p + q F)(1 + e A) per year
 * (times aware_boost for the aware), F the holders' share of owners, A the
 * accepting merchants' share. The numbers are binomial; who adopts is a
 * uniform draw within each segment. Merchants adopt likewise, with hazard
 * p_m + q_m F. */
static void adopt(struct model *m, uint32_t c, uint64_t day, double dt) {
    const struct scenario *s = m->s;
    const struct city_spec *spec = &s->cities[c];
    struct city_state *cs = &m->cities[c];
    double F = cs->n_smart ? (double)cs->wallets / cs->n_smart : 0;
    double A = (double)cs->acc.accepting / cs->m_n;
    double h = (spec->innovation + spec->imitation * F) * (1 + s->merchant_effect * A);
    /* The day's runs of draws: item 0 the numbers, then one per adopter. */
    const uint64_t base = day << MODEL_RUN_SHIFT;
    uint64_t k = 0;
    model_chunk(m->rng, P_ADOPT, c, base, k);
    if (cs->op_pick) {
        uint32_t unaware = cs->n_smart - cs->wallets - cs->aware;
        unsigned from_aware = rng_binomial(m->rng, -detmath_expm1(-h * s->aware_boost * dt / CALENDAR_YEAR), cs->aware);
        unsigned from_unaware = rng_binomial(m->rng, -detmath_expm1(-h * dt / CALENDAR_YEAR), unaware);
        adopt_from(m, c, from_aware, 1, base, &k);
        adopt_from(m, c, from_unaware, 0, base, &k);
    }
    double hm = s->merchant_innovation + s->merchant_imitation * F;
    model_chunk(m->rng, P_MERCHANT_ADOPT, c, base, 0);
    unsigned merchants = rng_binomial(m->rng, -detmath_expm1(-hm * dt / CALENDAR_YEAR), cs->m_n - cs->acc.accepting);
    uint16_t today = calendar_day((double)day * CALENDAR_DAY);
    for (unsigned i = 0; i < merchants; i++) {
        model_chunk(m->rng, P_MERCHANT_ADOPT, c, base, i + 1);
        acceptance_start(&cs->acc, acceptance_pick_idle(&cs->acc, m->rng), today);
    }
}

int adoption_day(struct model *m, uint32_t c, uint64_t day, double now, double dt) {
    double start = m->s->cities[c].pilot_start_s;
    if (now + dt > start)   /* the pilot's first day counts only its open part */
        adopt(m, c, day, now >= start ? dt : now + dt - start);
    return 0;
}
