/* population: a city's people in segments and their accounts
 * (population.h has the layout and its invariants). */
#include "model/population.h"

#include <assert.h>
#include <stdlib.h>

#include "kernel/rng.h"
#include "model/runs.h"

/* ---- the strata's trees ----
 *
 * A segment's members by stratum, as a Fenwick tree over at most 64
 * strata: a change is six additions, a draw one descent of six steps, in
 * cache. The weighed trees hold size times per[s]; the counts, per 1. */

static void tree_add(struct population_tree *t, uint32_t k, uint32_t s, int64_t members)
{
    uint64_t delta = (uint64_t)members * t->per[s]; /* modulo 2^64: exact for a removal */
    t->total += delta;
    for (uint32_t j = s + 1; j <= k; j += j & -j)
        t->sum[j] += delta;
}

/* The stratum whose range of the tree's running sum holds x (< total),
 * and x's offset in it. */
static uint32_t tree_find(const struct population_tree *t, uint32_t k, uint64_t *x)
{
    uint32_t s = 0;
    for (uint32_t step = POPULATION_MAX_STRATA; step; step >>= 1)
        if (s + step <= k && t->sum[s + step] <= *x) {
            s += step;
            *x -= t->sum[s];
        }
    return s; /* 0-based: the tree's entry s + 1 */
}

/* The members of segment seg in stratum s. */
static uint32_t members(const struct population_stratum *t, enum population_segment seg)
{
    return seg == SEG_HOLDERS ? t->wallets
           : seg == SEG_AWARE ? t->aware
                              : t->n_smart - t->wallets - t->aware;
}

/* Rebuild a tree from the strata's sizes. */
static void tree_build(struct population *p, enum population_segment seg, struct population_tree *t)
{
    for (uint32_t j = 0; j <= POPULATION_MAX_STRATA; j++)
        t->sum[j] = 0;
    t->total = 0;
    for (uint32_t s = 0; s < p->k; s++)
        tree_add(t, p->k, s, members(&p->s[s], seg));
}

/* A stratum's segment sizes change by (holders, aware, unaware): the
 * totals and the trees follow. */
static void moved(struct population *p, uint32_t s, int holders, int aware, int unaware)
{
    const int change[SEG_COUNT] = {holders, aware, unaware};
    p->s[s].wallets += (uint32_t)holders;
    p->s[s].aware += (uint32_t)aware;
    p->wallets += (uint32_t)holders;
    p->aware += (uint32_t)aware;
    for (int g = 0; g < SEG_COUNT; g++)
        if (change[g]) {
            tree_add(&p->count[g], p->k, s, change[g]);
            tree_add(&p->weight[g], p->k, s, change[g]);
        }
}

void population_init(struct population *p, uint32_t *order, uint32_t *pos, struct wallet *accounts,
                     uint32_t first, uint32_t n, uint32_t n_smart)
{
    *p = (struct population){.first = first,
                             .n = n,
                             .n_smart = n_smart,
                             .order = order,
                             .pos = pos,
                             .accounts = accounts};
    population_strata(p, 1, &n, &n_smart, &(uint32_t){0});
}

void population_strata(struct population *p, uint32_t k, const uint32_t *n, const uint32_t *n_smart,
                       const uint32_t *wallets)
{
    assert(k >= 1 && k <= POPULATION_MAX_STRATA);
    p->k = k;
    p->wallets = p->aware = 0;
    uint32_t start = 0;
    for (uint32_t s = 0; s < k; s++) {
        p->s[s] = (struct population_stratum){
            .start = start, .n = n[s], .n_smart = n_smart[s], .wallets = wallets[s]};
        start += n[s];
        p->wallets += wallets[s];
    }
    assert(start == p->n);
    for (int g = 0; g < SEG_COUNT; g++) {
        population_weigh(p, (enum population_segment)g, NULL);
        for (uint32_t s = 0; s < k; s++)
            p->count[g].per[s] = 1;
        tree_build(p, (enum population_segment)g, &p->count[g]);
    }
}

void population_weigh(struct population *p, enum population_segment seg, const uint64_t *per)
{
    for (uint32_t s = 0; s < p->k; s++)
        p->weight[seg].per[s] = per ? per[s] : 1;
    tree_build(p, seg, &p->weight[seg]);
}

/* Nobody moves: a tight loop over the whole city. */
void population_place_all(struct population *p)
{
    assert(p->k == 1 && p->wallets == 0);
    uint32_t *order = p->order, *pos = p->pos + p->first, first = p->first, n = p->n;
    for (uint32_t i = 0; i < n; i++) {
        order[i] = first + i;
        pos[i] = i;
    }
}

uint32_t population_member(const struct population *p, enum population_segment seg, uint32_t i)
{
    if (p->k == 1) /* one stratum: the segment is one range */
        return population_segment_start(p, seg, 0) + i;
    uint64_t x = i;
    uint32_t s = tree_find(&p->count[seg], p->k, &x);
    return population_segment_start(p, seg, s) + (uint32_t)x;
}

uint32_t population_holder_index(const struct population *p, uint32_t pos)
{
    uint32_t s = population_stratum_of(p, pos), i = pos - p->s[s].start;
    for (uint32_t j = s; j > 0; j -= j & -j) /* the holders of the strata before */
        i += (uint32_t)p->count[SEG_HOLDERS].sum[j];
    return i;
}

uint32_t population_weighed(const struct population *p, enum population_segment seg, uint64_t x,
                            uint32_t *s)
{
    *s = tree_find(&p->weight[seg], p->k, &x);
    /* x is uniform below members times per[s]: its quotient is a uniform
     * member. */
    return population_segment_start(p, seg, *s) + (uint32_t)(x / p->weight[seg].per[*s]);
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
 * read). The segments' ends are those of the person's stratum as they are
 * now: the moves in between may shift them a little, so the hint may miss
 * by a few cells. */
#define AHEAD 16

void population_fetch_ahead(const struct population *p, const uint32_t *users, uint32_t n,
                            uint32_t i, int opens)
{
    if (i + 2 * AHEAD < n)
        BIGMEM_PREFETCH_W(&p->pos[users[i + 2 * AHEAD]]);
    if (i + AHEAD < n) {
        uint32_t at = p->pos[users[i + AHEAD]];
        const struct population_stratum *s = &p->s[population_stratum_of(p, at)];
        uint32_t aware_end = s->start + s->wallets + s->aware + AHEAD,
                 holders_end = s->start + s->wallets + AHEAD, owners_end = s->start + s->n_smart;
        BIGMEM_PREFETCH_W(&p->order[at]);
        if (aware_end < owners_end)
            BIGMEM_PREFETCH_W(&p->pos[p->order[aware_end]]);
        if (opens && holders_end < owners_end)
            BIGMEM_PREFETCH_W(&p->pos[p->order[holders_end]]);
    }
}

void population_make_aware(struct population *p, const uint32_t *users, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        population_fetch_ahead(p, users, n, i, 0);
        uint32_t u = users[i], pos = p->pos[u], s = population_stratum_of(p, pos);
        if (population_owner(p, u) && population_stage(p, pos) == STAGE_UNAWARE) {
            swap(p, pos, population_segment_start(p, SEG_UNAWARE, s));
            moved(p, s, 0, 1, -1);
        }
    }
}

/* An unaware person first joins its stratum's aware segment's end, then
 * the aware segment's first member makes room. */
uint32_t population_open_at(struct population *p, uint32_t pos, struct wallet w)
{
    uint32_t s = population_stratum_of(p, pos);
    uint32_t aware = population_segment_start(p, SEG_AWARE, s);
    if (pos >= aware + p->s[s].aware) {
        swap(p, pos, aware + p->s[s].aware);
        pos = aware + p->s[s].aware;
        moved(p, s, 0, 1, -1);
    }
    swap(p, pos, aware);
    p->accounts[p->first + aware] = w;
    moved(p, s, 1, -1, 0);
    return p->first + aware;
}

void population_open_many(struct population *p, enum population_segment seg, const uint32_t *member,
                          const struct wallet *account, unsigned n, uint32_t *id)
{
    uint32_t next = n ? population_member(p, seg, member[0]) : 0;
    for (unsigned i = 0; i < n; i++) {
        uint32_t at = next;
        if (i + 1 < n) /* the swap writes the next adopter's pos[] */
            BIGMEM_PREFETCH_W(&p->pos[p->order[population_member(p, seg, member[i + 1])]]);
        id[i] = population_open_at(p, at, account[i]);
        if (i + 1 < n)
            next = population_member(p, seg, member[i + 1]);
    }
}

/* The last holder of the stratum takes the closing one's position and
 * account; the closing one, now last of the holders, leaves them for the
 * aware. */
uint32_t population_close(struct population *p, uint32_t u)
{
    uint32_t pos = p->pos[u], s = population_stratum_of(p, pos);
    uint32_t last = p->s[s].start + p->s[s].wallets - 1;
    if (pos != last) {
        swap(p, pos, last);
        p->accounts[p->first + pos] = p->accounts[p->first + last];
    }
    p->accounts[p->first + last] = (struct wallet){0};
    moved(p, s, -1, 1, 0);
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
