/* typelimits: what the model's integer types can hold, checked on a scenario
 * before it runs, so that no accepted scenario can overflow one.
 *
 * Money is int64 fen. One amount (a ticket's median, a top-up step, a
 * subsidy, a salary) is at most TYPELIMITS_MAX_AMOUNT_YUAN and an envelope or a
 * wallet limit at most TYPELIMITS_MAX_WALLET_YUAN (the schema's ranges); a
 * drawn ticket is cut at TYPELIMITS_MAX_TICKET_FEN, which the scenario must put
 * TYPELIMITS_TAIL_SIGMAS standard deviations or more above its median (so the
 * cut is a 1-in-10^15 event). What a run can move in all, counts x amounts
 * x horizon, is bounded by TYPELIMITS_BUDGET_FEN, half of int64, the other
 * half a margin for chance; the model's sums are still checked and fail the
 * run if they overflow (model_state.h).
 *
 * Counts: simulated people and merchants are uint32 ids, days since the
 * start uint16, a stream's payments are numbered in 40 bits (payments.c),
 * and `sample` is a whole number, so that every figure scaled back to the
 * population is exact integer arithmetic.
 *
 * typelimits_check reports each value beyond a limit through a callback that
 * names where it is (scenario.c gives it a file:line:column); it reads the
 * scenario only and keeps nothing. */
#ifndef PILOTSIM_TYPELIMITS_H
#define PILOTSIM_TYPELIMITS_H

#include <stdint.h>

#include "scenario/scenario.h"

#define TYPELIMITS_MAX_AMOUNT_YUAN 1e9         /* one amount: 1,000,000,000 yuan */
#define TYPELIMITS_MAX_WALLET_YUAN 21474836.47 /* an envelope, a wallet limit: */
#define TYPELIMITS_MAX_WALLET_FEN 2147483647   /* INT32_MAX fen */
#define TYPELIMITS_MAX_TICKET_FEN 1e13         /* a drawn ticket is cut here (10^11 yuan) */
#define TYPELIMITS_TAIL_SIGMAS 8.0             /* the cut lies at least this far up */
#define TYPELIMITS_BUDGET_FEN 0x1p62           /* what a run can move: 2^62 fen */
#define TYPELIMITS_MAX_SAMPLE 1e10             /* a sample above any population */
#define TYPELIMITS_MAX_DAYS 65000              /* days since start: uint16 counters */
#define TYPELIMITS_MAX_SIMULATED 4294967294.0  /* people or merchants: uint32 ids, one spare */
#define TYPELIMITS_MAX_STREAM_PAYMENTS 0x1p39  /* a stream numbers 2^40: half, for chance */

/* Where a value beyond a limit is: a key path ("sample", "payments.ticket")
 * from the top of the scenario (intervention < 0) or from intervention i. */
typedef void (*typelimits_fail_fn)(void *ctx, long intervention, const char *key,
                                   const char *message);

/* Check s (already valid in every other respect) against the limits above;
 * calls fail once per value beyond one. Returns the number of calls. */
int typelimits_check(const struct scenario *s, typelimits_fail_fn fail, void *ctx);

#endif
