/* payments: the arrival streams of e-CNY payments, wallet limits, and each
 * payment's path through the infrastructure (payments.c says how).
 *
 * The run loop (model.c) hands it the payment events (EV_ARRIVE, EV_HOP,
 * EV_TIMEOUT, EV_SYNC, EV_SPEND_ARRIVE, EV_CORP_ARRIVE); interventions change its rates.
 * It owns the pool of payments in flight. The functions returning int give
 * 0, or -1 when out of memory. */
#ifndef PILOTSIM_PAYMENTS_H
#define PILOTSIM_PAYMENTS_H

#include "model/model_state.h"

/* Fold a city's expected payments by every method up to `now`. */
void payments_accrue(struct city_state *cs, double now);
/* A city's regular rate, or a lottery's spending rate, may have changed:
 * recompute it and redraw the stream's pending arrival. */
int payments_update_rate(struct model *m, uint32_t city);
int payments_update_spend_rate(struct model *m, uint32_t lottery);

/* The events. */
int payments_arrive(struct model *m, uint32_t city, double now);
int payments_spend(struct model *m, uint32_t lottery, double now);
int payments_corporate_arrive(struct model *m, uint32_t city, double now);
int payments_hop(struct model *m, uint32_t id, double now);
void payments_timeout(struct model *m, uint32_t id);
void payments_sync(struct model *m, uint32_t op, uint32_t seq, double now);

/* Credit a wallet up to its class's balance limit; returns what was
 * credited (the rest stays in, or goes to, the person's bank account). */
int64_t payments_credit(struct model *m, uint32_t wallet, int64_t fen);

/* Payments in flight: a city's count, every city's value. */
uint32_t payments_in_flight(const struct model *m, uint32_t city);
int64_t payments_in_flight_fen(const struct model *m);

#endif
