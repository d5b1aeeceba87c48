/* corporate: corporate wallets and the payments they make.
 *
 * A city's corporates (`corporates`: businesses that may open a corporate
 * wallet, real units over the sample) open corporate wallets in a daily
 * Bass step of hazard (p + q G) per year, G the share of the city's
 * corporates holding one (adoption.corporate). No business is an agent: a
 * city keeps how many corporate wallets each operator holds, which is all
 * a payment needs. A corporate payment's payer operator is drawn by those
 * counts; its payee is a holder of the city (a salary, with probability
 * salary_share) or another business (a supplier, the government, a bill),
 * whose operator is drawn by the same counts.
 *
 * Money: a corporate wallet holds nothing between payments. The payer funds
 * each payment from its bank as it starts (issued e-CNY); a business payee
 * redeems it at its bank when it completes; a salary is credited to the
 * person's wallet (what passes the balance limit goes on to the bank); a
 * failed payment's money returns to the payer's bank (redeemed). In flight
 * the money is in the payment. payments.c owns the path and those moves;
 * this file counts wallets and draws payments, and sits below payments,
 * beside lottery: it calls no behaviour.
 *
 * Ownership: corporate_init allocates a city's counts; corporate_destroy
 * frees them. */
#ifndef PILOTSIM_CORPORATE_H
#define PILOTSIM_CORPORATE_H

#include <stdint.h>

struct model;
struct payment;

struct corporates {                               /* a city's corporates */
    uint32_t n;                                   /* simulated corporates */
    uint32_t wallets;                             /* of them holding a corporate wallet */
    uint32_t *by_op;                              /* [n_operators] corporate wallets per operator */
    double rate;                                  /* corporate payments per second now */
    uint64_t arrival_id, draws, payments_started; /* its payment stream */
};

/* City c's corporates, none holding a wallet: 0, or -1 out of memory. */
int corporate_init(struct model *m, uint32_t c);
void corporate_destroy(struct corporates *k); /* zeroed or initialized */

/* The day's Bass step of city c (from its pilot's start), `dt` seconds
 * long, with the day's own draws. */
void corporate_day(struct model *m, uint32_t c, uint64_t day, double now, double dt);

/* City c's corporate payments per second at `now` (hour and weekday). */
double corporate_rate(const struct model *m, uint32_t c, double now);

/* A corporate payment of city c: kind, operators, payee and ticket into p,
 * from the generator as the payment's stream has positioned it. The city
 * holds at least one corporate wallet. */
void corporate_payment(struct model *m, uint32_t c, struct payment *p);

#endif
