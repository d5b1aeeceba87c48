/* model_state: the model's private state, shared by model.c (set-up, clock,
 * run loop, results), adoption.c (wallets and merchant acceptance),
 * interventions.c (lotteries, campaigns, salaries, limits, operators, peaks,
 * outages) and payments.c (arrival streams, limits, the payment path). Not
 * for use outside the model.
 *
 * Agents are arrays indexed by id; a city owns a contiguous range of users and
 * of merchants. Per city, `order` is a permutation of its users in segments:
 *     [0, wallets)              wallet holders
 *     [wallets, wallets+aware)  aware of e-CNY, no wallet
 *     [.., n_smart)             smartphone owners, unaware
 *     [n_smart, n)              no smartphone: cannot hold a wallet
 * so adoption moves a person one segment left by a swap and a payer is one
 * uniform draw. Merchants likewise, accepting ones first. Everything is in
 * simulated units (one person stands for `sample`).
 *
 * A holder's position never changes: the holders' segment only grows at its
 * end, and swaps happen right of it. So a wallet's account lives apart from
 * its person, in wallets[w] with w = first + position: each city's accounts
 * are contiguous, in the order the wallets opened, and the payment path
 * (payers, transfers, envelopes, limits) touches only them. A person is
 * only its position, 4 bytes (pos[u], the inverse of order[]): its stage is
 * the segment that position lies in (adoption_stage), so a move between
 * segments writes nothing but the swap. The accounts in use fit in cache
 * where the people do not. */
#ifndef PILOTSIM_MODEL_STATE_H
#define PILOTSIM_MODEL_STATE_H

#include <math.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "kernel/engine.h"
#include "model/resource.h"
#include "scenario/typelimits.h"
#include "model/model.h"
#include "metrics/peak_meter.h"
#include "kernel/rng.h"

#define DAY 86400.0
#define HOUR 3600.0
#define YEAR (365.0 * DAY)

/* A person's stage, from its position (adoption_stage); a holder is further
 * *active* when its last e-CNY payment lies within the dormancy window and
 * *dormant* when it is older, which is derived from last_pay_day
 * (model_active), never stored: no daily pass. */
enum stage { STAGE_UNAWARE, STAGE_AWARE, STAGE_WALLET };

/* Event kinds: the run loop switches on these. */
enum event_kind {
    EV_CLOCK,          /* a bucket, day or hour boundary */
    EV_ARRIVE,         /* subject city: a regular e-CNY payment starts */
    EV_HOP,            /* subject payment: it reaches its next resource or ends */
    EV_SPEND_ARRIVE,   /* subject intervention: a lottery winner spends */
    EV_INTERVENTION,   /* subject intervention, arg its phase: see interventions.c */
    EV_SYNC,           /* subject operator: an offline payment reaches it */
    EV_TIMEOUT         /* subject payment: its payer gives up, it fails */
};

/* Random-stream purposes (rng keys); never renumber: it changes every run. */
enum purpose {
    P_SETUP = 1,       /* agent attributes at start */
    P_ADOPT,           /* daily user adoption, per city and day */
    P_MERCHANT_ADOPT,  /* daily merchant adoption, per city and day */
    P_ARRIVAL,         /* inter-arrival times, per stream and draw */
    P_PAYMENT,         /* payer, merchant, ticket, per stream and payment */
    P_SERVICE,         /* service times, per payment and hop */
    P_LOTTERY,         /* registration, winners, claims, per intervention */
    P_INTERVENTION     /* other interventions' draws, per intervention and phase */
};

/* Long runs of draws. An rng stream holds 2^17 64-bit draws (rng.h): fewer
 * than a pass over a city's people or a lottery's registrants can need at
 * sample 1, and a stream that wraps around repeats its numbers. So a long
 * run is cut into chunks of MODEL_CHUNK items, chunk j drawn from stream
 * (purpose, agent, base + j), with room for 32 draws an item; call
 * model_chunk before item k. Runs of one purpose keep their counters apart
 * by `base` (a run's index shifted left by MODEL_RUN_SHIFT) or by `agent`. */
#define MODEL_CHUNK 4096u
#define MODEL_RUN_SHIFT 28     /* 2^28 chunks of 4096: 2^40 items a run */

static inline void model_chunk(gsl_rng *r, uint32_t purpose, uint64_t agent, uint64_t base,
                               uint64_t k) {
    if (k % MODEL_CHUNK == 0)
        rng_at(r, purpose, agent, base + k / MODEL_CHUNK);
}

/* llround(t) for t >= 1, inline below 2^52 (llround is a call into libm).
 * There t + 0.5 is exact, or (just below a power of two) rounds to a
 * neighbour with the same integer part, so truncating it is llround; from
 * 2^52 on, where t + 0.5 may round up to the next integer, libm's. */
static inline int64_t model_llround(double t) {
    return t < 0x1p52 ? (int64_t)(t + 0.5) : (int64_t)llround(t);
}

/* The agents of intervention i's long runs, apart from its own counters. */
#define MODEL_RUN_AGENT(use, i) ((uint64_t)(use) << 32 | (uint32_t)(i))

enum wallet_flags {
    WALLET_CLASS = 0x03,   /* wallet class - 1 (0-3) */
    WALLET_HARDWARE = 0x04 /* a hardware wallet: can pay offline */
};

/* The narrow fields hold what the loader lets through (typelimits.h): an
 * envelope and a day's spending under a limit fit 32 bits of fen, a day
 * since the start 16 bits, an intervention's index (any of them may be a
 * lottery) 16 bits. */
struct wallet {                /* 24 bytes: a holder's account (see above) */
    int64_t balance_fen;       /* own e-CNY */
    int32_t envelope_fen;      /* red-envelope money, spendable in its window */
    int32_t spent_today_fen;   /* paid on day spent_day (saturates) */
    uint16_t last_pay_day;     /* 1 + day of the last e-CNY payment, 0 never */
    uint16_t spent_day;        /* the day spent_today_fen counts */
    uint8_t op;                /* wallet operator */
    uint8_t flags;             /* enum wallet_flags */
    uint16_t lottery;          /* 1 + intervention of its envelope, 0 none */
};
_Static_assert(sizeof(struct wallet) == 24, "a wallet is 24 bytes");
_Static_assert(TYPELIMITS_MAX_WALLET_FEN <= INT32_MAX, "an envelope fits envelope_fen");
_Static_assert(TYPELIMITS_MAX_DAYS + 1 <= UINT16_MAX, "1 + a day fits last_pay_day");
_Static_assert(SCENARIO_MAX_INTERVENTIONS + 1 <= UINT16_MAX, "1 + an index fits lottery");
_Static_assert(SCENARIO_MAX_OPERATORS <= UINT8_MAX && SCENARIO_MAX_CITIES <= UINT8_MAX,
               "operators and cities fit a byte");

enum merchant_category { MERCHANT_STORE, MERCHANT_ONLINE };

struct merchant {              /* 24 bytes */
    int64_t balance_fen;       /* takings not yet swept to the bank */
    float weight;              /* popularity */
    uint32_t pos;              /* index in its city's m_order[] */
    uint16_t accept_day;       /* 1 + day it began accepting e-CNY, 0 not yet */
    uint8_t op;                /* acquiring operator */
    uint8_t category;          /* enum merchant_category */
    uint8_t city;
};

enum payment_kind { PAY_MERCHANT, PAY_TRANSFER };

struct payment {               /* an e-CNY payment in flight (72 bytes) */
    double t0;                 /* when it started */
    uint64_t key;              /* stream << 40 | number in stream: its rng key */
    int64_t amount_fen;        /* ticket */
    double service[3];         /* each hop's service time, drawn at the start */
    int32_t envelope_fen;      /* part paid from a red envelope */
    uint32_t payer;            /* wallet */
    uint32_t payee;            /* merchant, or wallet for a transfer */
    uint8_t city;
    uint8_t hop;               /* resources passed so far */
    uint8_t kind;              /* enum payment_kind */
    uint8_t payer_op, payee_op;   /* the operators at either end */
    uint16_t lottery;          /* 1 + intervention, 0 a regular payment */
};

/* Counters of a city over a bucket or the whole run (simulated units). */
struct city_flows {
    int64_t payments, failed, value, refused, offline, transfers;
    int64_t refused_balance, refused_per_payment, refused_per_day;
    double all_payments;            /* expected payments by every method */
};

/* A cell of an alias table (Walker; Vose's construction): drawn uniformly,
 * cell i gives store `own` with probability `keep`, else store `other`.
 * Both ids sit in the cell, so a draw reads one 16-byte cell: one cache
 * miss where GSL's table and then m_order[] would cost three. */
struct alias_cell {
    double keep;
    uint32_t own, other;            /* merchant ids */
};

/* A payment stream's next payment, looked ahead: its rng key and the
 * first blocks of its payment and service streams, and the first block of
 * the stream's next arrival draw, computed before they are needed
 * (payments.c); key 0 none (the first payment of city 0 is never looked
 * ahead). */
struct payment_ahead {
    uint64_t key, block[2];         /* the next payment's key and its first block */
    uint64_t service[2];            /* its service stream's first block */
    uint64_t draw, arrival[2];      /* the stream's next arrival draw and its block */
};

struct city_state {
    uint32_t first, n, n_smart;     /* users [first, first+n); smartphone owners */
    uint32_t *order;                /* [n] permutation in segments (see above):
                                       its slice of the model's order[] */
    uint32_t wallets, aware;        /* segment sizes */
    uint32_t *paid_on;              /* [day] holders whose last payment was that day */
    uint32_t m_first, m_n, m_accepting;
    uint32_t *m_order;              /* [m_n] permutation, accepting first */
    uint32_t online;                /* the city's online marketplace (a merchant id) */
    double total_weight;            /* popularity of all stores */
    double *accept_cum;             /* [m_n] running sums of the popularity of
                                       m_order[0, m_accepting) (append-only,
                                       like the accepting segment) */
    struct alias_cell *accept_table; /* [table_n] alias table over m_order[0, table_n) */
    uint32_t table_n;               /* accepting stores the table covers */
    gsl_ran_discrete_t *op_pick;    /* operator of a new wallet (joined operators) */
    double multiplier;              /* product of the peaks active now */
    double rate, rate_all;          /* e-CNY arrivals now; payments by every method */
    double rate_since;              /* when rate_all last changed */
    uint64_t arrival_id;            /* pending EV_ARRIVE, 0 none */
    uint64_t draws, payments_started;
    struct payment_ahead ahead;     /* the next payment's first draws (payments.c) */
    int64_t issued, redeemed, reclaimed; /* money flows of the city */
    struct city_flows bucket, total;
    struct hist *b_latency, *latency;
    struct peak_meter load;         /* the expected arrival rate (regular and
                                       its lotteries' spending): tps_peak */
};

/* State of an intervention while it runs; which fields count depends on
 * its kind (interventions.c). */
struct intervention_state {
    uint32_t *people;               /* lottery: wallets with envelope money left;
                                       salary: its recipients (users) */
    uint32_t n_people, cap_people;
    uint32_t *merchants;            /* lottery: participating merchants */
    uint32_t n_merchants;
    gsl_ran_discrete_t *merchant_pick; /* lottery: by popularity among them */
    int open;                       /* inside its window */
    double rate;                    /* lottery spending arrivals per second now */
    uint64_t arrival_id, draws, payments_started, phase;
    struct payment_ahead ahead;     /* lottery: the next spending's first draws */
    gsl_ran_discrete_t *op_pick;    /* lottery winners' operator, NULL: the city's */
    struct intervention_result out; /* in simulated units */
};

/* A resource's service-time draw with its parameters worked out once: the
 * mean stretched for the sample (resource_scale), and for a lognormal the
 * log-mean and log-sd that give that mean and the scenario's cv. */
struct service_time {
    enum service_dist dist;
    double mean_s;                  /* seconds */
    double mu, sigma;               /* lognormal only */
    double timeout_s;               /* an operator's: its payers give up after this */
};

struct model {
    const struct scenario *s;
    double k;                       /* sample */
    gsl_rng *rng;
    struct engine engine;
    uint32_t *pos;                  /* [users] index in its city's order[] */
    uint32_t *order;                /* [users] the cities' order[]s, end to end */
    struct wallet *wallets;         /* [users] by holder position (see above) */
    struct merchant *merchants;
    struct city_state *cities;
    struct intervention_state *iv;  /* [n_interventions] */
    uint32_t *windows;              /* peaks and outages: they count payments */
    uint32_t n_windows;
    struct resource *operators;     /* [n_operators] */
    struct service_time *op_service; /* [n_operators] */
    uint8_t *op_joined;             /* [n_operators] opening wallets yet */
    struct resource ledger;
    struct service_time ledger_service;
    struct wallet_class classes[WALLET_CLASSES]; /* limits now */
    uint32_t *takings;              /* merchants holding e-CNY: swept nightly */
    uint32_t n_takings;
    struct payment *pool;           /* payments in flight, with a free list */
    uint32_t pool_cap, pool_free, pool_used;
    double local_offset_s;          /* local seconds since the epoch at t = 0 */
    double ticket_mu;               /* log of the regular ticket's median (fen) */
    struct peak_meter load;         /* every city's expected arrival rate summed */
    uint64_t events;
    uint64_t key_arrival, key_payment, key_service; /* the hot purposes' rng keys */
    int64_t sample;                 /* k as an integer: the loader makes it whole */
    int overflow;                   /* a sum of money overflowed: the run fails */
    int64_t leak_fen;               /* tests only: fen lost on purpose per payment */
};

/* Sums of money are checked where they accumulate: a city's issued,
 * redeemed and reclaimed fen and its total value of payments, a merchant's
 * takings, the sums over cities and accounts, and the scaling to real
 * units. Every wallet's balance and every other counter is at most one of
 * them (money leaves a wallet only after it came in, and stays in its
 * city; a bucket's value is at most the total's), so those need no check
 * of their own. With the loader's bounds (typelimits.h)
 * none can overflow; if one did, the run fails (model_run: EOVERFLOW)
 * instead of reporting wrapped figures. */
static inline void model_add_fen(struct model *m, int64_t *sum, int64_t fen) {
    if (__builtin_add_overflow(*sum, fen, sum))
        m->overflow = 1;
}

/* A simulated count or sum of fen in real-population units: times the
 * sample, exactly. */
static inline int64_t model_scale(struct model *m, int64_t x) {
    int64_t real;
    if (__builtin_mul_overflow(x, m->sample, &real))
        m->overflow = 1;
    return real;
}

/* model.c */
double model_profile(const struct model *m, double t);   /* hourly x weekday weight */
double model_draw_service(struct model *m, const struct service_time *st);
uint16_t model_day(double t);                           /* day index of time t */
uint32_t model_active(const struct model *m, uint32_t city, double t); /* active holders */
gsl_ran_discrete_t *model_alias(const double *w, size_t n); /* NULL if all 0 */
void model_issue(struct model *m, uint32_t city, int64_t fen);
void model_redeem(struct model *m, uint32_t city, int64_t fen);
void model_reclaim(struct model *m, uint32_t city, int64_t fen);

/* adoption.c */
int adoption_setup(struct model *m, uint32_t city);
int adoption_open_wallet(struct model *m, uint32_t city, uint32_t user, gsl_ran_discrete_t *ops);
/* The stage of the person at position `pos` of a city's order[]: the
 * segment it lies in (above; no smartphone counts as unaware). */
static inline enum stage adoption_stage(const struct city_state *cs, uint32_t pos) {
    return pos < cs->wallets ? STAGE_WALLET
           : pos < cs->wallets + cs->aware ? STAGE_AWARE : STAGE_UNAWARE;
}
/* The wallet of user u of city c, who holds one. */
static inline uint32_t adoption_wallet(const struct model *m, uint32_t c, uint32_t u) {
    return m->cities[c].first + m->pos[u];
}
/* Make the n users[] aware of e-CNY, in order (the unaware smartphone
 * owners among them join the aware segment). */
void adoption_make_aware(struct model *m, uint32_t city, const uint32_t *users, uint32_t n);
/* Hints for a pass over users[0, n) that moves users[i] now: fetch what
 * the moves a little ahead will touch (opens: the pass opens wallets). */
void adoption_fetch_ahead(const struct model *m, uint32_t city, const uint32_t *users, uint32_t n,
                          uint32_t i, int opens);
void adoption_accept(struct model *m, uint32_t city, uint32_t merchant, double now);
uint32_t adoption_pick_merchant(struct model *m, uint32_t city); /* an accepting store */
/* The accepting stores' popularity: the last of their running sums. */
static inline double adoption_accept_weight(const struct city_state *cs) {
    return cs->m_accepting ? cs->accept_cum[cs->m_accepting - 1] : 0;
}
int adoption_day(struct model *m, uint32_t city, uint64_t day, double now, double dt);
int adoption_refresh_operators(struct model *m);

/* interventions.c */
int interventions_setup(struct model *m);
int interventions_handle(struct model *m, uint32_t i, uint32_t phase, double now);
void interventions_day(struct model *m, uint32_t city, uint64_t day, double now, double dt);
void interventions_collect(struct model *m, struct model_result *r);
void interventions_count(struct model *m, uint32_t city, double t0, int failed);
void interventions_destroy(struct model *m);

/* payments.c */
void payments_accrue(struct city_state *cs, double now);
int payments_update_rate(struct model *m, uint32_t city);          /* 0 or -1 (no memory) */
int payments_update_spend_rate(struct model *m, uint32_t lottery); /* 0 or -1 (no memory) */
int payments_arrive(struct model *m, uint32_t city, double now);
int payments_spend(struct model *m, uint32_t lottery, double now);
int payments_hop(struct model *m, uint32_t id, double now);
void payments_timeout(struct model *m, uint32_t id);
uint32_t payments_in_flight(const struct model *m, uint32_t city);
void payments_sync(struct model *m, uint32_t op, uint32_t seq, double now);
int64_t payments_in_flight_fen(const struct model *m);
int64_t payments_credit(struct model *m, uint32_t wallet, int64_t fen);

#endif
