/* acceptance: a city's stores, which of them accept e-CNY, and the pick of
 * an accepting store by popularity.
 *
 * order[] is a permutation of the city's n stores (ids first..first+n-1,
 * global merchant ids): [0, slots) are the draw's slots, [slots, n) stores
 * that never accepted (idle). merchants[id].pos is the store's index in
 * order[]. cum[i] is the running sum of the popularity of order[0, i]; a
 * store joins at the end of the slots, so cum[] and the slots only grow,
 * and an alias table (table[], Walker/Vose) covers the first table_n slots
 * and is rebuilt when the newcomers outnumber a sixteenth of it: O(1) a
 * pick, O(1) amortized a start.
 *
 * A store that stops accepting keeps its slot, flagged (stopped_bits) and
 * listed (stopped[]): a pick that lands on it is drawn again (rejection:
 * the draw then follows the remaining weights exactly), and the idle pick
 * counts it as idle. When the stopped slots hold more than an eighth of
 * the slots' weight, or a sixteenth of their number, they are compacted
 * away (O(slots), so O(1) amortized a stop) and rejection stays under 8/7
 * draws a pick. With no store stopped, every pick makes exactly the draws
 * it made before stopping existed, and the check costs one test of a
 * counter.
 *
 * Ownership: caller-owned (acceptance_init/acceptance_destroy); order[],
 * cum[], the table and the stopped lists belong to it; merchants[] is the
 * model's, borrowed (the module writes only pos, weight and accept_day). */
#ifndef PILOTSIM_ACCEPTANCE_H
#define PILOTSIM_ACCEPTANCE_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

enum merchant_category { MERCHANT_STORE, MERCHANT_ONLINE };

struct merchant {        /* 24 bytes */
    int64_t balance_fen; /* takings not yet swept to the bank */
    float weight;        /* popularity */
    uint32_t pos;        /* index in its city's acceptance order[] */
    uint16_t accept_day; /* 1 + day it began accepting e-CNY, 0 not now */
    uint8_t op;          /* acquiring operator */
    uint8_t category;    /* enum merchant_category */
    uint8_t city;
};

/* A cell of an alias table (Walker; Vose's construction): drawn uniformly,
 * cell i gives store `own` with probability `keep`, else store `other`.
 * Both ids sit in the cell, so a draw reads one 16-byte cell: one cache
 * miss where GSL's table and then order[] would cost three. */
struct acceptance_cell {
    double keep;
    uint32_t own, other; /* merchant ids */
};

struct acceptance {
    struct merchant *merchants;    /* the model's, indexed by merchant id */
    uint32_t first, n;             /* the stores: ids [first, first + n) */
    uint32_t *order;               /* [n] slots, then idle stores (above) */
    uint32_t slots;                /* accepting stores and stopped ones in slots */
    uint32_t accepting;            /* stores accepting now */
    double total_weight;           /* popularity of every store */
    double *cum;                   /* [n] running sums over order[0, slots) */
    struct acceptance_cell *table; /* [table_n] alias table over order[0, table_n) */
    uint32_t table_n;
    uint32_t *stopped; /* [n_stopped] stopped stores still in slots */
    uint32_t n_stopped;
    uint64_t *stopped_bits; /* bit id - first: stopped (NULL until the first stop) */
    double stopped_weight;  /* their popularity */
};

/* The n stores from `first`, none accepting, their weights already in
 * merchants[]: 0, or -1 when out of memory (then safe to destroy). */
int acceptance_init(struct acceptance *a, struct merchant *merchants, uint32_t first, uint32_t n);
void acceptance_destroy(struct acceptance *a);

/* Store `id` accepts from day `day` (0-based); nothing if it already does. */
void acceptance_start(struct acceptance *a, uint32_t id, uint16_t day);
/* Store `id` stops accepting; nothing if it does not accept. 0, or -1 when
 * out of memory (nothing changed). */
int acceptance_stop(struct acceptance *a, uint32_t id);
static inline int acceptance_accepts(const struct acceptance *a, uint32_t id)
{
    uint32_t k = id - a->first;
    return a->merchants[id].pos < a->slots &&
           !(a->n_stopped && (a->stopped_bits[k / 64] >> (k % 64) & 1));
}

/* The accepting stores' popularity. */
static inline double acceptance_weight(const struct acceptance *a)
{
    return a->slots ? a->cum[a->slots - 1] - a->stopped_weight : 0;
}

/* An accepting store drawn by popularity (one must accept). */
uint32_t acceptance_pick(struct acceptance *a, gsl_rng *r);
/* A store that does not accept, uniformly (one must not accept). */
uint32_t acceptance_pick_idle(const struct acceptance *a, gsl_rng *r);
/* The accepting stores' ids, in slot order, into out[accepting]. */
void acceptance_list(const struct acceptance *a, uint32_t *out);

#endif
