/* population: a city's people, their adoption stage and their wallet
 * accounts.
 *
 * order[] is a permutation of the city's n people (user ids first..
 * first+n-1) in segments:
 *     [0, wallets)              wallet holders
 *     [wallets, wallets+aware)  aware of e-CNY, no wallet
 *     [.., n_smart)             smartphone owners, unaware
 *     [n_smart, n)              no smartphone: cannot hold a wallet
 * and pos[u] is user u's index in it (pos[] and order[] are inverses), so
 * a person's stage is the segment its position lies in, a move between
 * segments is one swap, and a uniform draw from a segment is one index.
 * Smartphone owners are the users first + u, u < n_smart, whose positions
 * stay below n_smart.
 *
 * A holder's account lives apart from its person, in accounts[w] with
 * w = first + position (a wallet id): each city's accounts are contiguous,
 * and the payment path touches only them. The holders' segment grows at
 * its end only, so a holder's position, and its wallet id, never change,
 * except when a wallet closes (population_close): then the last holder
 * moves into the closed one's place, account and all (O(1)), and the
 * caller renames that one wallet id wherever it keeps it.
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

struct population {
    uint32_t first, n, n_smart; /* users [first, first + n); smartphone owners */
    uint32_t *order;            /* [n] the city's slice of the model's order[] */
    uint32_t *pos;              /* the model's pos[], by user id */
    struct wallet *accounts;    /* the model's accounts, by wallet id */
    uint32_t wallets, aware;    /* segment sizes */
};

/* A city of n people from user `first`, n_smart of them smartphone owners,
 * nobody placed yet (population_place, population_place_all). */
void population_init(struct population *p, uint32_t *order, uint32_t *pos, struct wallet *accounts,
                     uint32_t first, uint32_t n, uint32_t n_smart);
/* Set-up only: user first + i at position `at` (the caller makes a
 * permutation of them, holders first, whose accounts it writes). */
static inline void population_place(struct population *p, uint32_t i, uint32_t at)
{
    p->order[at] = p->first + i;
    p->pos[p->first + i] = at;
}
/* Set-up only: everyone where they are, nobody a holder. */
void population_place_all(struct population *p);

static inline enum stage population_stage(const struct population *p, uint32_t pos)
{
    return pos < p->wallets              ? STAGE_WALLET
           : pos < p->wallets + p->aware ? STAGE_AWARE
                                         : STAGE_UNAWARE;
}
/* The wallet id of user u, who holds one. */
static inline uint32_t population_wallet(const struct population *p, uint32_t u)
{
    return p->first + p->pos[u];
}

/* Move the person at position `pos`, aware or unaware smartphone owner, to
 * the holders with account w. */
void population_open_at(struct population *p, uint32_t pos, struct wallet w);
/* Open the n wallets at positions place[] (drawn from the aware or unaware
 * segments, each before the earlier ones moved) with accounts account[]. */
void population_open_many(struct population *p, const uint32_t *place, const struct wallet *account,
                          unsigned n);
/* Make the n users[] aware of e-CNY, in order (the unaware smartphone
 * owners among them join the aware segment). */
void population_make_aware(struct population *p, const uint32_t *users, uint32_t n);
/* User u's wallet closes: u rejoins the aware, and the last holder's
 * account moves to u's wallet id. Returns the wallet id that moved (it is
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
