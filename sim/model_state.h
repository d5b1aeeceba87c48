/* model_state: the model's private state, shared by model.c (set-up, clock,
 * adoption, results) and payments.c (arrival streams, the payment path,
 * lotteries). Not for use outside the model.
 *
 * Agents are arrays indexed by id; a city owns a contiguous range of users and
 * of merchants. Per city, `order` is a permutation of its users whose first
 * `wallets` entries are the wallet holders and whose first `n_smart` entries
 * are the smartphone owners, so adoption picks new holders by a swap and a
 * payer is one uniform draw. Merchants likewise, accepting ones first.
 * Everything is in simulated units (one person stands for `sample`). */
#ifndef PILOTSIM_MODEL_STATE_H
#define PILOTSIM_MODEL_STATE_H

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "engine.h"
#include "infra.h"
#include "model.h"

enum stage { STAGE_UNAWARE, STAGE_WALLET, STAGE_ACTIVE, STAGE_DORMANT };

/* Event kinds: the run loop switches on these. */
enum event_kind {
    EV_CLOCK,          /* a bucket, day or hour boundary */
    EV_ARRIVE,         /* subject city: a regular e-CNY payment starts */
    EV_HOP,            /* subject payment: it reaches its next resource or ends */
    EV_LOTTERY_DRAW,   /* subject intervention: registration closes, draw winners */
    EV_SPEND_OPEN,     /* subject intervention: envelopes become spendable */
    EV_SPEND_ARRIVE,   /* subject intervention: a winner spends */
    EV_SPEND_CLOSE     /* subject intervention: unspent envelopes reclaimed */
};

/* Random-stream purposes (rng keys); never renumber: it changes every run. */
enum purpose {
    P_SETUP = 1,       /* agent attributes at start */
    P_ADOPT,           /* daily user adoption, per city and day */
    P_MERCHANT_ADOPT,  /* daily merchant adoption, per city and day */
    P_ARRIVAL,         /* inter-arrival times, per stream and draw */
    P_PAYMENT,         /* payer, merchant, ticket, per stream and payment */
    P_SERVICE,         /* service times, per payment and hop */
    P_LOTTERY          /* registration, winners, claims, per intervention */
};

struct user {                  /* 24 bytes */
    int64_t balance_fen;       /* own e-CNY */
    int32_t envelope_fen;      /* red-envelope money, spendable in its window */
    uint32_t pos;              /* index in its city's order[] */
    uint16_t last_pay_day;     /* 1 + day of the last e-CNY payment, 0 never */
    uint8_t stage;             /* enum stage */
    uint8_t op;                /* wallet operator */
    uint8_t lottery;           /* 1 + intervention of its envelope, 0 none */
};

struct merchant {              /* 24 bytes */
    int64_t balance_fen;       /* takings not yet swept to the bank */
    double weight;             /* popularity */
    uint32_t pos;              /* index in its city's m_order[] */
    uint8_t op;                /* acquiring operator */
};

struct payment {               /* an e-CNY payment in flight */
    double t0;                 /* when it started */
    uint64_t key;              /* stream << 40 | number in stream: its rng key */
    int64_t amount_fen;        /* ticket */
    int64_t envelope_fen;      /* part paid from a red envelope */
    uint32_t payer, merchant;
    uint8_t city;
    uint8_t hop;               /* resources passed so far */
    uint8_t lottery;           /* 1 + intervention, 0 a regular payment */
};

struct city_state {
    uint32_t first, n, n_smart;     /* users [first, first+n); smartphone owners */
    uint32_t *order;                /* [n] permutation, holders first */
    uint32_t wallets;               /* holders: order[0, wallets) */
    uint32_t active;                /* holders in STAGE_ACTIVE */
    uint32_t m_first, m_n, m_accepting;
    uint32_t *m_order;              /* [m_n] permutation, accepting first */
    double accept_weight, total_weight; /* popularity: accepting and all */
    gsl_ran_discrete_t *accepting;  /* alias table over m_order[0, m_accepting) */
    gsl_ran_discrete_t *all_merchants; /* alias table over every merchant, by id */
    int accepting_stale;            /* acceptance changed since the table was built */
    gsl_ran_discrete_t *op_pick;    /* operator of a new wallet */
    double rate;                    /* regular e-CNY arrivals per second now */
    uint64_t arrival_id;            /* pending EV_ARRIVE, 0 none */
    uint64_t draws, payments_started;
    /* current bucket */
    int64_t b_payments, b_failed, b_value;
    struct hist *b_latency;
    double b_peak;                  /* highest one-minute count so far */
    int64_t minute, minute_count;   /* minute index now and its count */
    /* whole run */
    int64_t payments, failed, value;
    struct hist *latency;
    double peak;
};

struct lottery_state {
    uint32_t *holders;              /* winners with envelope money left */
    uint32_t n_holders;
    int open;                       /* inside the spending window */
    double rate;                    /* spending arrivals per second now */
    uint64_t arrival_id, draws, payments_started;
    gsl_ran_discrete_t *op_pick;    /* winners' operator, NULL: the city's */
    struct lottery_result out;      /* in simulated units */
};

struct model {
    const struct scenario *s;
    double k;                       /* sample */
    gsl_rng *rng;
    struct engine engine;
    struct user *users;
    struct merchant *merchants;
    struct city_state *cities;
    struct lottery_state *lotteries;
    struct resource *operators;     /* [n_operators] */
    double *op_factor;              /* service-time stretch per operator */
    struct resource ledger;
    double ledger_factor;
    uint32_t *takings;              /* merchants holding e-CNY: swept nightly */
    uint32_t n_takings;
    struct payment *pool;           /* payments in flight, with a free list */
    uint32_t pool_cap, pool_free, pool_used;
    struct money money;             /* simulated units */
    double local_offset_s;          /* seconds into the local day at t = 0 */
    uint64_t events;
};

/* payments.c */
void payments_update_rate(struct model *m, uint32_t city);
void payments_update_spend_rate(struct model *m, uint32_t lottery);
int payments_arrive(struct model *m, uint32_t city, double now);
int payments_spend(struct model *m, uint32_t lottery, double now);
int payments_hop(struct model *m, uint32_t id, double now);
int64_t payments_in_flight_fen(const struct model *m);

/* model.c */
double model_profile(const struct model *m, double t);   /* hourly x weekday weight */
double model_draw_service(struct model *m, const struct service *sv, double factor);

#endif
