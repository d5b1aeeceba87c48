/* population: a city's people, their adoption stage and their wallet
 * accounts.
 *
 * The city's people are split into k activity strata (habits.h: k = 1
 * when people do not differ), and order[] is a permutation of its n people
 * (user ids first..first+n-1), stratum after stratum, each stratum a
 * contiguous range [start, start + n) of positions in segments:
 *     [start, +wallets)          wallet holders
 *     [.., +aware)               aware of e-CNY, no wallet
 *     [.., start + n_smart)      smartphone owners, unaware
 *     [start + n_smart, +n)      no smartphone: cannot hold a wallet
 * and pos[u] is user u's index in it (pos[] and order[] are inverses), so
 * a person's stage is the segment its position lies in within its
 * stratum, and a move between segments is one swap inside the stratum.
 * Smartphone owners are the users first + u, u < n_smart (the city's
 * count), whatever their stratum.
 *
 * A segment's members are numbered stratum after stratum: a draw of index
 * i among them is a descent of a small Fenwick tree of the strata's
 * segment sizes (population_member), so a uniform draw is still one index;
 * with k = 1, member i is the segment's start + i, as without strata. A
 * segment may also be weighed: stratum s's members each count W[s]
 * (population_weigh, an upper bound of their weights in integer units),
 * and a draw of x below the total weight (population_weighed) picks a
 * stratum by size times W and a member uniformly in it, which the caller
 * accepts with (weight / W): exact rejection with about one try when the
 * strata are narrow.
 *
 * A holder's account lives apart from its person, in accounts[w] with
 * w = first + position (a wallet id). A stratum's holders' segment grows
 * at its end only, so a holder's position, and its wallet id, never
 * change, except when a wallet closes (population_close): then the last
 * holder of its stratum moves into the closed one's place, account and
 * all (O(1)), and the caller renames that one wallet id wherever it keeps
 * it. Wallet ids of holders are not contiguous when k > 1: a pass over the
 * holders goes stratum by stratum (population_holders).
 *
 * Passes over many people are cache misses one after another; the
 * population_fetch_* hints hide that (a stale hint costs a useless fetch,
 * never a wrong move).
 *
 * Ownership: order[], pos[] and accounts[] are the model's arrays (one for
 * every city, on huge pages), borrowed; a population allocates nothing but
 * the owner sets it returns (freed by the caller with free()). */
#ifndef PILOTSIM_POPULATION_H
#define PILOTSIM_POPULATION_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

#include "kernel/bigmem.h"

/* A person's stage, from its position; a holder is further *active* when
 * its last e-CNY payment lies within the dormancy window and *dormant*
 * when it is older, which the model derives from last_pay_day, never
 * stored: no daily pass. */
enum stage { STAGE_UNAWARE, STAGE_AWARE, STAGE_WALLET };

/* 0x40 is free; 0x80 is the lottery's. */
enum wallet_flags {
    WALLET_CLASS = 0x03,          /* wallet class - 1 (0-3) */
    WALLET_HARDWARE = 0x04,       /* a hardware wallet: can pay offline */
    WALLET_SUBS = 0x38,           /* sub-wallets at other operators (0-7): the
                                     person holds 1 + these wallets */
    WALLET_LOTTERY_OFFLINE = 0x80 /* paid double offline with its envelope (lottery.c) */
};
#define WALLET_SUBS_SHIFT 3
#define WALLET_MAX_SUBS 7

/* The wallets a holder holds, its account's and its sub-wallets (1-8). */
static inline unsigned population_wallet_count(uint8_t flags)
{
    return 1 + ((flags & WALLET_SUBS) >> WALLET_SUBS_SHIFT);
}

/* The narrow fields hold what the loader lets through (typelimits.h): an
 * envelope and a day's spending under a limit fit 32 bits of fen, a day
 * since the start 16 bits, an intervention's index (any of them may be a
 * lottery) 16 bits. */
struct wallet {              /* 24 bytes: a holder's account (see above) */
    int64_t balance_fen;     /* own e-CNY */
    int32_t envelope_fen;    /* red-envelope money, spendable in its window */
    int32_t spent_today_fen; /* paid on day spent_day (saturates) */
    uint16_t last_pay_day;   /* 1 + day of the last e-CNY payment, 0 never */
    uint16_t spent_day;      /* the day spent_today_fen counts */
    uint8_t op;              /* wallet operator */
    uint8_t flags;           /* enum wallet_flags */
    uint16_t lottery;        /* 1 + intervention of its envelope, 0 none */
};

#define POPULATION_MAX_STRATA 64 /* a power of two (the trees' descent) */

/* The segments a draw picks from. */
enum population_segment { SEG_HOLDERS, SEG_AWARE, SEG_UNAWARE, SEG_COUNT };

struct population_stratum {
    uint32_t start, n, n_smart; /* positions [start, start + n); owners among them */
    uint32_t wallets, aware;    /* its segment sizes */
};

/* A Fenwick tree over the strata (1-based), with each stratum's weight a
 * member (1 for plain counts). */
struct population_tree {
    uint64_t sum[POPULATION_MAX_STRATA + 1];
    uint64_t per[POPULATION_MAX_STRATA]; /* a member's weight in stratum s */
    uint64_t total;                      /* the whole segment's weight */
};

struct population {
    uint32_t first, n, n_smart; /* users [first, first + n); smartphone owners */
    uint32_t *order;            /* [n] the city's slice of the model's order[] */
    uint32_t *pos;              /* the model's pos[], by user id */
    struct wallet *accounts;    /* the model's accounts, by wallet id */
    uint32_t wallets, aware;    /* segment sizes, all strata together */
    uint32_t k;                 /* strata (1 to POPULATION_MAX_STRATA) */
    struct population_stratum s[POPULATION_MAX_STRATA];
    struct population_tree count[SEG_COUNT];  /* members of each segment by stratum */
    struct population_tree weight[SEG_COUNT]; /* the same, weighed (population_weigh) */
};

/* A city of n people from user `first`, n_smart of them smartphone owners,
 * one stratum, nobody placed yet (population_place, population_place_all). */
void population_init(struct population *p, uint32_t *order, uint32_t *pos, struct wallet *accounts,
                     uint32_t first, uint32_t n, uint32_t n_smart);
/* Set-up only: k strata (k <= POPULATION_MAX_STRATA) of n[s] people,
 * n_smart[s] of them owners and wallets[s] holders, laid out one after
 * another; nobody placed yet, nobody aware. */
void population_strata(struct population *p, uint32_t k, const uint32_t *n, const uint32_t *n_smart,
                       const uint32_t *wallets);
/* Set-up only: user first + i at position `at` (the caller makes a
 * permutation of them, each stratum's holders first, whose accounts it
 * writes). */
static inline void population_place(struct population *p, uint32_t i, uint32_t at)
{
    p->order[at] = p->first + i;
    p->pos[p->first + i] = at;
}
/* Set-up only, one stratum: everyone where they are, nobody a holder. */
void population_place_all(struct population *p);
/* Set-up only: segment seg's members in stratum s weigh per[s] (>= 1;
 * NULL: 1 each, the plain counts). Sizes times weights must fit 64 bits. */
void population_weigh(struct population *p, enum population_segment seg, const uint64_t *per);

/* The stratum of position pos: a binary search of the strata's starts. */
static inline uint32_t population_stratum_of(const struct population *p, uint32_t pos)
{
    uint32_t lo = 0, hi = p->k; /* s[lo].start <= pos < s[hi].start */
    while (hi - lo > 1) {
        uint32_t mid = (lo + hi) / 2;
        if (p->s[mid].start <= pos)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static inline enum stage population_stage(const struct population *p, uint32_t pos)
{
    const struct population_stratum *s = &p->s[population_stratum_of(p, pos)];
    uint32_t at = pos - s->start;
    return at < s->wallets              ? STAGE_WALLET
           : at < s->wallets + s->aware ? STAGE_AWARE
                                        : STAGE_UNAWARE;
}
/* Whether user u owns a smartphone (can hold a wallet). */
static inline int population_owner(const struct population *p, uint32_t u)
{
    return u - p->first < p->n_smart;
}
/* The wallet id of user u, who holds one. */
static inline uint32_t population_wallet(const struct population *p, uint32_t u)
{
    return p->first + p->pos[u];
}
/* The members of segment seg (all strata). */
static inline uint32_t population_size(const struct population *p, enum population_segment seg)
{
    return (uint32_t)p->count[seg].total;
}
/* The first position of segment seg in stratum s. */
static inline uint32_t population_segment_start(const struct population *p,
                                                enum population_segment seg, uint32_t s)
{
    const struct population_stratum *t = &p->s[s];
    return t->start + (seg == SEG_HOLDERS ? 0
                       : seg == SEG_AWARE ? t->wallets
                                          : t->wallets + t->aware);
}
/* The holders of stratum s are positions [*from, *to). */
static inline void population_holders(const struct population *p, uint32_t s, uint32_t *from,
                                      uint32_t *to)
{
    *from = p->s[s].start;
    *to = p->s[s].start + p->s[s].wallets;
}

/* The position of member i (< population_size) of segment seg. */
uint32_t population_member(const struct population *p, enum population_segment seg, uint32_t i);
/* Member i's index back from a holder's position (population_member's
 * inverse on the holders). */
uint32_t population_holder_index(const struct population *p, uint32_t pos);
/* A weighed draw: x below p->weight[seg].total picks the position
 * returned, uniform within stratum *s (whose members weigh
 * p->weight[seg].per[*s]), with probability size times weight. */
uint32_t population_weighed(const struct population *p, enum population_segment seg, uint64_t x,
                            uint32_t *s);

/* Move the person at position `pos`, aware or unaware smartphone owner, to
 * its stratum's holders with account w. Returns its wallet id. */
uint32_t population_open_at(struct population *p, uint32_t pos, struct wallet w);
/* Open the n wallets of members member[] of segment seg (each index drawn
 * after the earlier ones moved) with accounts account[]; their wallet ids
 * go to id[]. */
void population_open_many(struct population *p, enum population_segment seg, const uint32_t *member,
                          const struct wallet *account, unsigned n, uint32_t *id);
/* Make the n users[] aware of e-CNY, in order (the unaware smartphone
 * owners among them join the aware segment). */
void population_make_aware(struct population *p, const uint32_t *users, uint32_t n);
/* User u's wallet closes: u rejoins the aware, and the last holder of its
 * stratum's account moves to u's wallet id. Returns the wallet id that moved (it is
 * now u's old one), or u's own when u was the last holder. */
uint32_t population_close(struct population *p, uint32_t u);

/* Hints for a pass over users[0, n) that moves users[i] now: fetch what
 * the moves a little ahead will touch (opens: the pass opens wallets). */
void population_fetch_ahead(const struct population *p, const uint32_t *users, uint32_t n,
                            uint32_t i, int opens);
/* A hint for a move of the person at position `pos` soon. */
static inline void population_fetch_place(const struct population *p, uint32_t pos)
{
    BIGMEM_PREFETCH(&p->order[pos]);
}

/* Sets of smartphone owners: bitmaps over [0, n_smart) (owner u is user
 * first + u), read back in increasing order, so that a pass over the
 * chosen people walks the arrays forward instead of jumping about them. */
uint64_t *population_owners_new(const struct population *p); /* empty; NULL: no memory */
/* Add n of the `left` owners not in `taken` to it (and to `also`, when
 * given), uniformly among them, with the draws of the run (purpose, agent,
 * base) (model_chunk). */
void population_owners_add(const struct population *p, gsl_rng *r, uint64_t *taken, uint64_t *also,
                           uint32_t left, uint32_t n, uint32_t purpose, uint64_t agent,
                           uint64_t base);
/* The users in `set` and not in `minus` (when given), in increasing order,
 * into out[]; returns how many. */
uint32_t population_owners_list(const struct population *p, const uint64_t *set,
                                const uint64_t *minus, uint32_t *out);

#endif
