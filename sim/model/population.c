/* population: a city's people in segments and their accounts
 * (population.h has the layout and its invariants). */
#include "model/population.h"

#include <stdlib.h>

#include "kernel/rng.h"
#include "model/runs.h"

void population_init(struct population *p, uint32_t *order, uint32_t *pos, struct wallet *accounts,
                     uint32_t first, uint32_t n, uint32_t n_smart)
{
    *p = (struct population){.first = first,
                             .n = n,
                             .n_smart = n_smart,
                             .order = order,
                             .pos = pos,
                             .accounts = accounts};
}

/* Nobody moves: a tight loop over the whole city. */
void population_place_all(struct population *p)
{
    uint32_t *order = p->order, *pos = p->pos + p->first, first = p->first, n = p->n;
    for (uint32_t i = 0; i < n; i++) {
        order[i] = first + i;
        pos[i] = i;
    }
}

/* Swap the people at positions a and b. */
static void swap(struct population *p, uint32_t a, uint32_t b)
{
    uint32_t ua = p->order[a], ub = p->order[b];
    p->order[a] = ub;
    p->order[b] = ua;
    p->pos[ub] = a;
    p->pos[ua] = b;
}

/* A lottery's losers, hundreds of thousands on one day, and its winners
 * each move from a random place in order[] to a segment's start, whose
 * person is another random place in pos[]: cache misses one after another.
 * So a pass over such people fetches those places AHEAD people ahead (the
 * person's position twice as far, since it tells where the swap will
 * read). */
#define AHEAD 16

void population_fetch_ahead(const struct population *p, const uint32_t *users, uint32_t n,
                            uint32_t i, int opens)
{
    if (i + 2 * AHEAD < n)
        BIGMEM_PREFETCH_W(&p->pos[users[i + 2 * AHEAD]]);
    if (i + AHEAD < n) {
        uint32_t aware_end = p->wallets + p->aware + AHEAD, holders_end = p->wallets + AHEAD;
        BIGMEM_PREFETCH_W(&p->order[p->pos[users[i + AHEAD]]]);
        if (aware_end < p->n_smart)
            BIGMEM_PREFETCH_W(&p->pos[p->order[aware_end]]);
        if (opens && holders_end < p->n_smart)
            BIGMEM_PREFETCH_W(&p->pos[p->order[holders_end]]);
    }
}

void population_make_aware(struct population *p, const uint32_t *users, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        population_fetch_ahead(p, users, n, i, 0);
        uint32_t pos = p->pos[users[i]];
        if (population_stage(p, pos) == STAGE_UNAWARE && pos < p->n_smart)
            swap(p, pos, p->wallets + p->aware++);
    }
}

/* An unaware person first joins the aware segment's end, then the aware
 * segment's first member makes room. */
void population_open_at(struct population *p, uint32_t pos, struct wallet w)
{
    if (pos >= p->wallets + p->aware) {
        swap(p, pos, p->wallets + p->aware);
        pos = p->wallets + p->aware++;
    }
    swap(p, pos, p->wallets);
    p->accounts[p->first + p->wallets++] = w;
    p->aware--;
}

void population_open_many(struct population *p, const uint32_t *place, const struct wallet *account,
                          unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        if (i + 1 < n) /* the swap writes the next adopter's pos[] */
            BIGMEM_PREFETCH_W(&p->pos[p->order[place[i + 1]]]);
        population_open_at(p, place[i], account[i]);
    }
}

/* The last holder takes the closing one's position and account; the
 * closing one, now last of the holders, leaves them for the aware. */
uint32_t population_close(struct population *p, uint32_t u)
{
    uint32_t pos = p->pos[u], last = p->wallets - 1;
    if (pos != last) {
        swap(p, pos, last);
        p->accounts[p->first + pos] = p->accounts[p->first + last];
    }
    p->accounts[p->first + last] = (struct wallet){0};
    p->wallets--;
    p->aware++;
    return p->first + last;
}

uint64_t *population_owners_new(const struct population *p)
{
    return calloc(p->n_smart / 64 + 1, sizeof(uint64_t));
}

static inline int bit_get(const uint64_t *b, uint32_t u)
{
    return b[u / 64] >> (u % 64) & 1;
}

static inline void bit_set(uint64_t *b, uint32_t u)
{
    b[u / 64] |= UINT64_C(1) << (u % 64);
}

/* Put owner u in `taken` and, when given, in `also`. */
static inline void owners_take(uint64_t *taken, uint64_t *also, uint32_t u)
{
    bit_set(taken, u);
    if (also)
        bit_set(also, u);
}

/* Sparse sets by rejection; a set that would fill more than half of what
 * is left by selection sampling (Knuth's algorithm S, one draw per owner
 * left), so that rejection never crawls. */
void population_owners_add(const struct population *p, gsl_rng *r, uint64_t *taken, uint64_t *also,
                           uint32_t left, uint32_t n, uint32_t purpose, uint64_t agent,
                           uint64_t base)
{
    uint64_t k = 0;
    if (n > left)
        n = left;
    if (n <= left / 2) {
        while (n > 0) {
            runs_chunk(r, purpose, agent, base, k++);
            uint32_t u = rng_below(r, p->n_smart);
            if (bit_get(taken, u))
                continue;
            owners_take(taken, also, u);
            n--;
        }
        return;
    }
    for (uint32_t u = 0; n > 0; u++) {
        if (bit_get(taken, u))
            continue;
        runs_chunk(r, purpose, agent, base, k++);
        if (rng_uniform_pos(r) * left-- < n) {
            owners_take(taken, also, u);
            n--;
        }
    }
}

uint32_t population_owners_list(const struct population *p, const uint64_t *set,
                                const uint64_t *minus, uint32_t *out)
{
    uint32_t n = 0;
    for (uint32_t w = 0; w <= p->n_smart / 64; w++) {
        uint64_t b = set[w] & (minus ? ~minus[w] : ~UINT64_C(0));
        for (; b; b &= b - 1)
            out[n++] = p->first + w * 64 + (uint32_t)__builtin_ctzll(b);
    }
    return n;
}
