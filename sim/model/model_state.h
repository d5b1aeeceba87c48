/* model_state: the model's private state, shared by model.c (set-up, clock,
 * run loop, results) and the behaviours below it: adoption (wallets and
 * merchant acceptance), interventions (lotteries, campaigns, salaries,
 * limits, operators, peaks, outages) and payments (arrival streams, limits,
 * the payment path), each with a header of its own. Types and inline
 * helpers only: no function here is defined in model.c. Not for use
 * outside the model.
 *
 * Agents are arrays indexed by id; a city owns a contiguous range of users
 * (its population: segments by stage, positions, wallet accounts, in
 * population.h) and of merchants (which accept, and the pick: acceptance.h).
 * Everything is in simulated units (one person stands for `sample`). */
#ifndef PILOTSIM_MODEL_STATE_H
#define PILOTSIM_MODEL_STATE_H

#include <math.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "kernel/engine.h"
#include "kernel/rng.h"
#include "model/acceptance.h"
#include "model/calendar.h"
#include "model/corporate.h"
#include "model/habits.h"
#include "model/lottery.h"
#include "model/model.h"
#include "model/money.h"
#include "model/population.h"
#include "model/runs.h"
#include "metrics/peak_meter.h"
#include "model/resource.h"
#include "scenario/typelimits.h"

/* Event kinds: the run loop switches on these. */
enum event_kind {
    EV_CLOCK,        /* a bucket, day or hour boundary */
    EV_ARRIVE,       /* subject city: a regular e-CNY payment starts */
    EV_HOP,          /* subject payment: it reaches its next resource or ends */
    EV_SPEND_ARRIVE, /* subject intervention: a lottery winner spends */
    EV_INTERVENTION, /* subject intervention, arg its phase: see interventions.c */
    EV_SYNC,         /* subject operator: an offline payment reaches it */
    EV_TIMEOUT,      /* subject payment: its payer gives up, it fails */
    EV_CORP_ARRIVE   /* subject city: a corporate wallet pays (corporate.h) */
};

/* Random-stream purposes (rng keys); never renumber: it changes every run. */
enum purpose {
    P_SETUP = 1,      /* agent attributes at start */
    P_ADOPT,          /* daily user adoption, per city and day */
    P_MERCHANT_ADOPT, /* daily merchant adoption, per city and day */
    P_ARRIVAL,        /* inter-arrival times, per stream and draw */
    P_PAYMENT,        /* payer, merchant, ticket, per stream and payment */
    P_SERVICE,        /* service times, per payment and hop */
    P_LOTTERY,        /* registration, winners, claims, per intervention */
    P_INTERVENTION,   /* other interventions' draws, per intervention and phase */
    P_HABITS,         /* a person's activity (habits.h), per user */
    P_CORP_ADOPT,     /* daily corporate-wallet adoption, per city and day */
    P_ADOPT_BIAS      /* retries of a Bass adopter drawn by activity, per city and try */
};

_Static_assert(sizeof(struct wallet) == 24, "a wallet is 24 bytes");
_Static_assert(TYPELIMITS_MAX_WALLET_FEN <= INT32_MAX, "an envelope fits envelope_fen");
_Static_assert(TYPELIMITS_MAX_DAYS + 1 <= UINT16_MAX, "1 + a day fits last_pay_day");
_Static_assert(SCENARIO_MAX_INTERVENTIONS + 1 <= UINT16_MAX, "1 + an index fits lottery");
_Static_assert(SCENARIO_MAX_OPERATORS <= UINT8_MAX && SCENARIO_MAX_CITIES <= UINT8_MAX,
               "operators and cities fit a byte");

/* A corporate payment (PAY_SALARY, PAY_BUSINESS) has no payer wallet: its
 * payer_op is drawn with it (corporate.h), and `payer` is unused. */
enum payment_kind {
    PAY_MERCHANT, /* a holder pays a merchant */
    PAY_TRANSFER, /* a holder pays another holder */
    PAY_SALARY,   /* a corporate wallet pays a holder (payee: its wallet) */
    PAY_BUSINESS  /* a corporate wallet pays a business (payee: unused) */
};

struct payment {          /* an e-CNY payment in flight (72 bytes) */
    double t0;            /* when it started */
    uint64_t key;         /* stream << 40 | number in stream: its rng key */
    int64_t amount_fen;   /* ticket */
    double service[3];    /* each hop's service time, drawn at the start */
    int32_t envelope_fen; /* part paid from a red envelope */
    uint32_t payer;       /* wallet */
    uint32_t payee;       /* merchant, or wallet for a transfer */
    uint8_t city;
    uint8_t hop;                /* resources passed so far */
    uint8_t kind;               /* enum payment_kind */
    uint8_t payer_op, payee_op; /* the operators at either end */
    uint16_t lottery;           /* 1 + intervention, 0 a regular payment */
};

/* Counters of a city over a bucket or the whole run (simulated units). */
struct city_flows {
    int64_t payments, failed, value, refused, offline, transfers;
    int64_t refused_balance, refused_per_payment, refused_per_day;
    int64_t corporate, corporate_value; /* completed corporate payments, their value */
    double all_payments;                /* expected payments by every method */
};

/* A payment stream's next payment, looked ahead: its rng key and the
 * first blocks of its payment and service streams, and the first block of
 * the stream's next arrival draw, computed before they are needed
 * (payments.c); key 0 none (the first payment of city 0 is never looked
 * ahead). */
struct payment_ahead {
    uint64_t key, block[2];    /* the next payment's key and its first block */
    uint64_t service[2];       /* its service stream's first block */
    uint64_t draw, arrival[2]; /* the stream's next arrival draw and its block */
};

struct city_state {
    struct population pop;       /* its people and their accounts */
    double activity_sum;         /* holders' activity summed (sigma > 0 only) */
    uint64_t personal;           /* wallets of its holders, sub-wallets included */
    uint32_t *paid_on;           /* [day] holders whose last payment was that day */
    uint32_t m_first, m_n;       /* stores [m_first, m_first + m_n) */
    uint32_t online;             /* the city's online marketplace (a merchant id) */
    struct acceptance acc;       /* which stores accept, the pick */
    gsl_ran_discrete_t *op_pick; /* operator of a new wallet (joined operators) */
    double multiplier;           /* product of the peaks active now */
    double boost;                /* product of the adoption boosts in force */
    double rate, rate_all;       /* e-CNY arrivals now; payments by every method */
    double rate_since;           /* when rate_all last changed */
    uint64_t arrival_id;         /* pending EV_ARRIVE, 0 none */
    uint64_t draws, payments_started;
    struct payment_ahead ahead; /* the next payment's first draws (payments.c) */
    struct city_flows bucket, total;
    struct hist *b_latency, *latency;
    struct peak_meter load; /* the expected arrival rate (regular and
                                       its lotteries' spending): tps_peak */
    struct corporates corp; /* its corporate wallets (corporate.h) */
};

/* State of an intervention while it runs; which fields count depends on
 * its kind (interventions.c). */
struct intervention_state {
    struct lottery lot;   /* lottery: its own state (lottery.h) */
    uint32_t *recipients; /* salary: its recipients (users) */
    uint32_t n_recipients;
    double rate; /* lottery spending arrivals per second now */
    uint64_t arrival_id, draws, payments_started, phase;
    struct payment_ahead ahead;     /* lottery: the next spending's first draws */
    struct intervention_result out; /* in simulated units */
};

struct model {
    const struct scenario *s;
    double k; /* sample */
    gsl_rng *rng;
    struct engine engine;
    uint32_t *pos;          /* [users] index in its city's order[] */
    uint32_t *order;        /* [users] the cities' order[]s, end to end */
    struct wallet *wallets; /* [users] by holder position (see above) */
    float *activity;        /* [users] by wallet id: its holder's activity
                               (habits.h), kept for the payer draw; NULL
                               when people do not differ */
    struct merchant *merchants;
    struct city_state *cities;
    struct intervention_state *iv; /* [n_interventions] */
    uint32_t *windows;             /* peaks and outages: they count payments */
    uint32_t n_windows;
    struct resource *operators;      /* [n_operators] */
    struct resource_law *op_service; /* [n_operators] */
    uint8_t *op_joined;              /* [n_operators] opening wallets yet */
    struct resource ledger;
    struct resource_law ledger_service;
    struct wallet_class classes[WALLET_CLASSES]; /* limits now */
    uint32_t *takings;                           /* merchants holding e-CNY: swept nightly */
    uint32_t n_takings;
    struct payment *pool; /* payments in flight, with a free list */
    uint32_t pool_cap, pool_free, pool_used;
    struct calendar cal;    /* local days and hours */
    struct money_book book; /* money flows per city, the overflow flag */
    double ticket_mu;       /* log of the regular ticket's median (fen) */
    double corp_ticket_mu;  /* and of the corporate ticket's */
    struct habits habits;   /* people's activity (habits.h) */
    struct peak_meter load; /* every city's expected arrival rate summed */
    uint64_t events;
    uint64_t key_arrival, key_payment, key_service; /* the hot purposes' rng keys */
    uint64_t key_bias;                              /* P_ADOPT_BIAS's */
    int64_t leak_fen; /* tests only: fen lost on purpose per payment */
};

/* llround(t) for t >= 1, inline below 2^52 (llround is a call into libm).
 * There t + 0.5 is exact, or (just below a power of two) rounds to a
 * neighbour with the same integer part, so truncating it is llround; from
 * 2^52 on, where t + 0.5 may round up to the next integer, libm's. */
static inline int64_t model_llround(double t)
{
    return t < 0x1p52 ? (int64_t)(t + 0.5) : (int64_t)llround(t);
}

/* A ticket of log-median mu (log fen), at least one fen and at most
 * TYPELIMITS_MAX_TICKET_FEN: the loader puts that cut 8 standard deviations
 * up or more, and it keeps a draw in the integers' range whatever comes. */
static inline int64_t model_ticket_fen(gsl_rng *r, double mu, double sigma)
{
    double t = rng_lognormal(r, mu, sigma);
    return t < 1                           ? 1
           : t > TYPELIMITS_MAX_TICKET_FEN ? (int64_t)TYPELIMITS_MAX_TICKET_FEN
                                           : model_llround(t);
}

/* The simulated share of `want` units, rounded stochastically so that the
 * expected count is exact, and at most UINT32_MAX: more than there are
 * people or merchants to take (the callers trim to those), and where the
 * conversion of a larger double would be undefined. */
static inline uint32_t model_saturated_count(gsl_rng *r, double want)
{
    if (want >= UINT32_MAX) {
        (void)rng_uniform_pos(r); /* the same draws as below */
        return UINT32_MAX;
    }
    uint32_t n = (uint32_t)floor(want);
    if (rng_uniform_pos(r) < want - n)
        n++;
    return n;
}

/* A count in real units as simulated people. */
static inline uint32_t model_sim_count(struct model *m, int64_t real)
{
    return model_saturated_count(m->rng, (double)real / m->k);
}

#endif
