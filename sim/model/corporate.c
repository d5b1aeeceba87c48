/* corporate: corporate wallets and the payments they make (corporate.h). */
#include "model/corporate.h"

#include <math.h>
#include <stdlib.h>

#include "kernel/detmath.h"
#include "kernel/rng.h"
#include "model/model_state.h"

int corporate_init(struct model *m, uint32_t c)
{
    struct corporates *k = &m->cities[c].corp;
    /* Simulated corporates, like people: the real count over the sample. */
    k->n = (uint32_t)llround((double)m->s->cities[c].corporates / m->k);
    k->by_op = calloc(m->s->n_operators ? m->s->n_operators : 1, sizeof *k->by_op);
    return k->by_op ? 0 : -1;
}

void corporate_destroy(struct corporates *k)
{
    free(k->by_op);
    k->by_op = NULL;
}

/* Spread `opens` new corporate wallets over the operators that open
 * wallets now, by the city's shares among them: a multinomial drawn as one
 * binomial an operator, each of what the operators before it left. */
static void open_wallets(struct model *m, uint32_t c, uint32_t opens)
{
    const struct scenario *s = m->s;
    struct corporates *k = &m->cities[c].corp;
    double rest = 0;
    size_t last = 0;
    for (size_t o = 0; o < s->n_operators; o++)
        if (m->op_joined[o] && s->cities[c].operator_share[o] > 0) {
            rest += s->cities[c].operator_share[o];
            last = o;
        }
    if (!(rest > 0))
        return; /* no operator opens wallets yet */
    for (size_t o = 0; o <= last && opens > 0; o++) {
        double w = m->op_joined[o] ? s->cities[c].operator_share[o] : 0;
        if (w <= 0)
            continue;
        /* the last takes what is left, whatever the sum's rounding */
        uint32_t here = o == last ? opens : rng_binomial(m->rng, fmin(1, w / rest), opens);
        k->by_op[o] += here;
        k->wallets += here;
        opens -= here;
        rest -= w;
    }
}

/* One day of Bass adoption among city c's corporates: each without a
 * corporate wallet opens one with probability 1 - exp(-h dt), h = p + q G
 * per year, G the share holding one. Imitation follows the corporates'
 * own share, not the people's: a business pays and is paid by other
 * businesses, so it is their wallets that make one worth holding, and the
 * pilot's corporate wallets were opened by banks among their business
 * clients. */
void corporate_day(struct model *m, uint32_t c, uint64_t day, double now, double dt)
{
    const struct scenario *s = m->s;
    struct corporates *k = &m->cities[c].corp;
    double start = s->cities[c].pilot_start_s;
    if (now + dt <= start || k->wallets >= k->n || !m->cities[c].op_pick)
        return;      /* not yet, nobody left, or no operator opens wallets yet */
    if (now < start) /* the pilot's first day counts only its open part */
        dt = now + dt - start;
    double G = (double)k->wallets / k->n;
    /* Two-sided, like the people's hazard and merchant acceptance: a
     * business opens one sooner as its customers and staff hold personal
     * wallets (F, the city's smartphone owners holding one), so the
     * people's step change of 2021 carries the businesses with it. */
    const struct population *pop = &m->cities[c].pop;
    double F = pop->n_smart ? (double)pop->wallets / pop->n_smart : 0;
    double h = (s->corp_innovation + s->corp_imitation * G) * (1 + s->corp_people_effect * F);
    if (!(h > 0))
        return; /* no draws: a scenario without corporate adoption is unchanged */
    rng_at(m->rng, P_CORP_ADOPT, c, day);
    uint32_t opens =
        rng_binomial(m->rng, -detmath_expm1(-h * dt / CALENDAR_YEAR), k->n - k->wallets);
    open_wallets(m, c, opens);
}

double corporate_rate(const struct model *m, uint32_t c, double now)
{
    const struct corporates *k = &m->cities[c].corp;
    if (k->wallets == 0)
        return 0;
    /* Usage concentrated in the first wallets: the city's rate is
     * per_wallet_per_day x corporates x G^gamma, G the share holding one,
     * so a wallet pays per_wallet_per_day x G^(gamma - 1): public bodies
     * and state firms, which opened first, pay salaries and suppliers
     * often; the businesses that followed pay less. gamma 1: every wallet
     * alike. The rate never passes corporates x per_wallet_per_day (the
     * loader's bounds). */
    double per_wallet = m->s->corp_per_wallet_per_day;
    double gamma = m->s->corp_concentration;
    if (gamma != 1)
        per_wallet *= detmath_exp((gamma - 1) * detmath_log((double)k->wallets / k->n));
    return k->wallets * per_wallet / CALENDAR_DAY * calendar_profile(&m->cal, now);
}

/* The operator of a corporate wallet drawn uniformly among the city's. */
static uint8_t draw_op(struct model *m, const struct corporates *k)
{
    uint32_t x = rng_below(m->rng, k->wallets), o = 0;
    while (x >= k->by_op[o])
        x -= k->by_op[o++];
    return (uint8_t)o;
}

/* Draws in a fixed order: payer's operator, salary or not, payee, ticket. */
void corporate_payment(struct model *m, uint32_t c, struct payment *p)
{
    const struct scenario *s = m->s;
    struct city_state *cs = &m->cities[c];
    p->payer_op = draw_op(m, &cs->corp);
    /* A salary needs a holder to pay; without one it goes to a business. */
    if (rng_uniform_pos(m->rng) < s->corp_salary_share && cs->pop.wallets > 0) {
        p->kind = PAY_SALARY;
        p->payee = cs->pop.first +
                   population_member(&cs->pop, SEG_HOLDERS, rng_below(m->rng, cs->pop.wallets));
        p->payee_op = m->wallets[p->payee].op;
    } else {
        p->kind = PAY_BUSINESS;
        p->payee_op = draw_op(m, &cs->corp);
    }
    p->amount_fen = model_ticket_fen(m->rng, m->corp_ticket_mu, s->corp_ticket_sigma);
}
