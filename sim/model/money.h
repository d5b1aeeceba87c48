/* money: the run's money-flow counters, and the overflow check on every
 * sum of fen.
 *
 * Each city keeps three flows (DESIGN.md): issued (e-CNY that entered
 * wallets from outside), redeemed (left wallets for bank deposits) and
 * reclaimed (expired envelope money taken back); its circulation is issued
 * - redeemed - reclaimed. The model checks that against an independent sum
 * over every account at the end.
 *
 * Sums of money are checked where they accumulate (money_add): with the
 * loader's bounds (typelimits.h) none can overflow; if one does, `overflow`
 * is set and the run fails (model_run: EOVERFLOW) instead of reporting
 * wrapped figures. money_scale turns a simulated count or sum into
 * real-population units (times the sample), checked likewise.
 *
 * Ownership: money_init allocates the per-city counters; money_destroy
 * frees them. A book knows nothing of wallets or payments. */
#ifndef PILOTSIM_MONEY_H
#define PILOTSIM_MONEY_H

#include <stddef.h>
#include <stdint.h>

struct money_flows { /* a city's flows, simulated fen */
    int64_t issued, redeemed, reclaimed;
};

struct money_book {
    struct money_flows *cities; /* [n_cities] */
    int64_t sample;             /* k as an integer: the loader makes it whole */
    int overflow;               /* a checked sum overflowed: the run fails */
};

/* 0, or -1 when out of memory (the book is then empty, safe to destroy). */
int money_init(struct money_book *b, size_t n_cities, int64_t sample);
void money_destroy(struct money_book *b);

/* *sum += fen, flagging an overflow. */
static inline void money_add(struct money_book *b, int64_t *sum, int64_t fen)
{
    if (__builtin_add_overflow(*sum, fen, sum))
        b->overflow = 1;
}

/* A simulated count or sum of fen in real-population units: times the
 * sample, exactly (an overflow is flagged). */
static inline int64_t money_scale(struct money_book *b, int64_t x)
{
    int64_t real;
    if (__builtin_mul_overflow(x, b->sample, &real))
        b->overflow = 1;
    return real;
}

void money_issue(struct money_book *b, uint32_t city, int64_t fen);
void money_redeem(struct money_book *b, uint32_t city, int64_t fen);
void money_reclaim(struct money_book *b, uint32_t city, int64_t fen);

/* A city's issued - redeemed - reclaimed (simulated fen). */
static inline int64_t money_circulation(const struct money_book *b, uint32_t city)
{
    const struct money_flows *f = &b->cities[city];
    return f->issued - f->redeemed - f->reclaimed;
}

#endif
