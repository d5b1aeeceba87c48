/* lottery: a red-envelope lottery's whole life, in one place.
 *
 *   draw     at registration close: registrants among smartphone owners,
 *            winners a uniform subset of them; each winner claims with
 *            claim_share (opening a wallet if needed), the others become
 *            aware of e-CNY; claimed envelopes are issued e-CNY
 *   open     the spending window: participating merchants drawn (accepting
 *            ones first, the rest onboarded for it)
 *   spend    a winner spends (lottery_spending fills in the payment that
 *            payments.c then starts; lottery_spent after it)
 *   ended    a spending payment ended (payments.c's end hook): counted, or
 *            on failure its envelope money refunded to the envelope, or
 *            reclaimed once the window has closed
 *   close    what is left in envelopes is reclaimed
 *
 * Who spends: each claimer has an eagerness (its habits times a lognormal
 * of mean 1), fixed at the draw and kept as a class (lottery.c); a spender
 * (a claimer with envelope money left) is picked in proportion to it, so
 * each winner spends as a Poisson process of its own rate, the stream's
 * rate being the spenders' summed eagerness times `per_weight`.
 *
 * `people` and its classes have one owner: this file. Callers:
 * interventions.c runs the phases (and then updates the spending rate,
 * payments_update_spend_rate); payments.c calls spending, spent and ended,
 * and lottery_pick to fetch the next payer early. The lottery calls
 * neither: it sits below payments. */
#ifndef PILOTSIM_LOTTERY_H
#define PILOTSIM_LOTTERY_H

#include <gsl/gsl_randist.h>
#include <stdint.h>

struct model;
struct payment;
struct intervention_result;

#define LOTTERY_UNIT 4096.0 /* rate of a spender of eagerness 1 */
#define LOTTERY_STEPS 16    /* eagerness classes a unit of its log */
#define LOTTERY_CLASSES 128 /* log eagerness in [-4, 4): a power of two */

struct lottery_classes {                 /* the spenders by eagerness */
    uint32_t start[LOTTERY_CLASSES + 1]; /* class k's segment of people[] */
    uint32_t n[LOTTERY_CLASSES];         /* its spenders, first in it */
    uint32_t rate[LOTTERY_CLASSES];      /* their eagerness, in 1/LOTTERY_UNIT */
    uint64_t tree[LOTTERY_CLASSES + 1];  /* Fenwick sums of n[k] rate[k] */
    uint64_t total;                      /* all of them: 0, nobody spends */
    uint32_t last;                       /* the class of the last payer picked */
    uint64_t version;                    /* changes whenever the spenders do */
    uint64_t ahead_bits, ahead_version;  /* lottery_pick_ahead's question */
    uint32_t ahead_place, ahead_class;   /* and its answer */
};

struct lottery {
    uint32_t *people; /* [n_people] claimers' wallets, by class (lottery.c) */
    uint32_t n_people;
    struct lottery_classes *cls; /* NULL before the draw */
    uint32_t *merchants;         /* [n_merchants] participating merchants */
    uint32_t n_merchants;
    gsl_ran_discrete_t *merchant_pick; /* by popularity among them */
    gsl_ran_discrete_t *op_pick;       /* winners' operator, NULL: the city's */
    double per_weight;                 /* spending payments a day per unit of weight */
    double online;                     /* probability that a spending payment is online */
    int64_t claimed_fen;               /* envelope money issued */
    int64_t online_env_fen;            /* envelope money spent online */
    int open;                          /* inside its spending window */
};

/* The spenders' summed eagerness (in 1/LOTTERY_UNIT): 0, nobody spends. */
static inline uint64_t lottery_weight(const struct lottery *l)
{
    return l->cls ? l->cls->total : 0;
}

/* Lottery i's winners' operators (its operator_share): 0, or -1 when out
 * of memory. */
int lottery_setup(struct model *m, uint32_t i);
void lottery_destroy(struct lottery *l);

/* The phases: 0, or -1 when out of memory. */
int lottery_draw(struct model *m, uint32_t i);
int lottery_open(struct model *m, uint32_t i, double now);
void lottery_close(struct model *m, uint32_t i);

/* The place in people[] of the spender that 64 random bits pick (the high
 * half its class, by eagerness; the low half its place in it), and its class:
 * a pure function of the bits and the classes, so payments.c can fetch the
 * next payer early. lottery_weight(l) must not be 0. */
uint32_t lottery_pick(const struct lottery *l, uint64_t bits, uint32_t *class);
/* lottery_pick for the next payment, remembered: its spending reuses the
 * answer when the bits are the same and the spenders have not changed. */
uint32_t lottery_pick_ahead(struct lottery *l, uint64_t bits);
/* A winner of lottery i spends: payer, payee, ticket and envelope part into
 * p, from the generator as the payment's stream has positioned it. Returns
 * the payer's place in people[], for lottery_spent. */
uint32_t lottery_spending(struct model *m, uint32_t i, struct payment *p);
/* After the payment started: a winner whose envelope is empty leaves. */
void lottery_spent(struct model *m, uint32_t i, uint32_t place);
/* A spending payment ended: completed (online, or settled double offline),
 * or failed (refund the envelope). */
void lottery_ended(struct model *m, const struct payment *p, int failed, int offline);
/* Lottery i's shares (claimed, spent, online) into r, whose counts are
 * already in real units. */
void lottery_collect(const struct model *m, uint32_t i, struct intervention_result *r);

#endif
