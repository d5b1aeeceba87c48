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
 * `people` (wallets with envelope money left) has one owner: this file.
 * Callers: interventions.c runs the phases (and then updates the spending
 * rate, payments_update_spend_rate); payments.c calls spending, spent and
 * ended. The lottery calls neither: it sits below payments. */
#ifndef PILOTSIM_LOTTERY_H
#define PILOTSIM_LOTTERY_H

#include <gsl/gsl_randist.h>
#include <stdint.h>

struct model;
struct payment;

struct lottery {
    uint32_t *people; /* [n_people] wallets with envelope money left */
    uint32_t n_people;
    uint32_t *merchants; /* [n_merchants] participating merchants */
    uint32_t n_merchants;
    gsl_ran_discrete_t *merchant_pick; /* by popularity among them */
    gsl_ran_discrete_t *op_pick;       /* winners' operator, NULL: the city's */
    int open;                          /* inside its spending window */
};

/* Lottery i's winners' operators (its operator_share): 0, or -1 when out
 * of memory. */
int lottery_setup(struct model *m, uint32_t i);
void lottery_destroy(struct lottery *l);

/* The phases: 0, or -1 when out of memory. */
int lottery_draw(struct model *m, uint32_t i);
int lottery_open(struct model *m, uint32_t i, double now);
void lottery_close(struct model *m, uint32_t i);

/* A winner of lottery i spends: payer, payee, ticket and envelope part into
 * p, from the generator as the payment's stream has positioned it. Returns
 * the payer's place in people[], for lottery_spent. */
uint32_t lottery_spending(struct model *m, uint32_t i, struct payment *p);
/* After the payment started: a winner whose envelope is empty leaves. */
void lottery_spent(struct model *m, uint32_t i, uint32_t place);
/* A spending payment ended: completed, or failed (refund the envelope). */
void lottery_ended(struct model *m, const struct payment *p, int failed);

#endif
