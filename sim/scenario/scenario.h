/* scenario: everything read from a YAML scenario, validated, with units
 * resolved (seconds, integer fen, shares 0-1) and defaults filled in.
 *
 * Reading is layered: ytree.c (the only file that includes yaml.h) turns a
 * file into a tree with positions, overlay.c merges `extends` chains and
 * applies --set, schema.c reads and writes typed tables, keys.c holds the
 * tables (one per mapping, read and written alike), roster.c, rollout.c
 * and crosscheck.c the code of the keys that need some, and scenario.c the
 * defaults and the order of the load. Input errors are printed as
 * `file:line:column: message (expected ...)`, up to SCENARIO_MAX_ERRORS of
 * them, and scenario_load then returns NULL: the caller exits with status 2
 * before creating any output.
 *
 * Times are seconds since `start` (Asia/Shanghai); `start` itself is kept as a
 * Unix time for calendar arithmetic. Money is int64 fen.
 * Ownership: scenario_load returns a heap object freed with scenario_free;
 * every string and array inside it belongs to it. */
#ifndef PILOTSIM_SCENARIO_H
#define PILOTSIM_SCENARIO_H

#include <stdint.h>
#include <stdio.h>
#include <stddef.h>

#include "scenario/warnings.h"

#define SCENARIO_MAX_ERRORS 20
#define SCENARIO_MAX_CITIES 16
#define SCENARIO_MAX_OPERATORS 32
#define SCENARIO_MAX_INTERVENTIONS 10000
#define WALLET_CLASSES 4     /* KYC tiers 1 (in person) .. 4 (phone only) */
#define LIMIT_NONE INT64_MAX /* a wallet limit that does not apply */
/* Bounds by meaning, so that no value runs a command forever: no span of
 * time beyond a century (a horizon, a step, a service time, a warm-up), no
 * rate beyond a thousand a person a day or a thousandfold peak. */
#define SCENARIO_MAX_DURATION_S (100.0 * 365 * 86400) /* 100y */
#define SCENARIO_MIN_STEP_S 1.0                       /* a time-series bucket: at least 1 s */
#define SCENARIO_MIN_EVERY_S 86400.0                  /* a salary: at most daily */
#define SCENARIO_MAX_RATE 1000.0 /* payments a person a day; a peak's multiplier */

enum service_dist { SERVICE_EXPONENTIAL, SERVICE_DETERMINISTIC, SERVICE_LOGNORMAL };

struct service {            /* a queueing resource: c servers, FIFO */
    unsigned servers;       /* c >= 1 */
    enum service_dist dist; /* service-time distribution */
    double mean_s;          /* mean service time, seconds (> 0) */
    double cv;              /* coefficient of variation (lognormal only) */
    double timeout_s;       /* a payment slower than this end to end fails */
};

struct operator_spec {
    char *id;   /* key in `operators:` (icbc, abc, ...) */
    char *name; /* display name */
    struct service service;
};

struct wallet_class {        /* limits in fen; LIMIT_NONE when unlimited */
    int64_t balance_fen;     /* most a wallet may hold */
    int64_t per_payment_fen; /* largest single payment */
    int64_t per_day_fen;     /* most paid in a day */
    double share;            /* share of new wallets opened in this class */
};

struct city_spec {
    char *id;                 /* key in `cities:` (shenzhen, ...) */
    char *name;               /* display name (default: the id) */
    int64_t population;       /* census population, people */
    double smartphone_share;  /* share able to hold a wallet, 0-1 */
    int64_t merchants;        /* merchants in the city (real units) */
    double pilot_start_s;     /* when wallets can first be opened, s since start */
    double innovation;        /* Bass p per year (default: adoption.innovation) */
    double imitation;         /* Bass q per year (default: adoption.imitation) */
    double *operator_share;   /* [n_operators] wallet market shares, sum 1 */
    double initial_wallets;   /* share of smartphone owners holding a wallet at start */
    double initial_accepting; /* share of merchants accepting e-CNY at start */
    double hardware_share;    /* share of new wallets that are hardware wallets */
    int64_t corporates;       /* businesses that may open a corporate wallet (real units) */
};

enum intervention_kind {
    INTERVENTION_LOTTERY,           /* red-envelope lottery */
    INTERVENTION_MERCHANT_CAMPAIGN, /* merchant onboarding with a subsidy */
    INTERVENTION_SALARY,            /* salary or subsidy payments in e-CNY */
    INTERVENTION_WALLET_LIMITS,     /* a wallet class's limits change */
    INTERVENTION_OPERATOR_JOINS,    /* an operator starts opening wallets */
    INTERVENTION_PEAK,              /* payment rates multiplied over a window */
    INTERVENTION_OUTAGE,            /* a resource's capacity cut over a window */
    INTERVENTION_APP_OPENS          /* the e-CNY app opened to the public */
};

struct intervention {
    char *id;
    enum intervention_kind kind;
    int city; /* index into cities, -1 all (limits, peak) */
    /* lottery */
    int64_t envelopes;    /* number of envelopes (real units) */
    int64_t *amounts_fen; /* envelope amounts, drawn uniformly per winner */
    size_t n_amounts;
    double registration_from_s, registration_until_s;
    double propensity; /* share of the city's population that registers */
    double spend_from_s, spend_until_s;
    double claim_share;      /* share of winners who claim */
    double *operator_share;  /* [n_operators] or NULL: winners' wallet operators
                                 (NULL: the city's shares) */
    double spend_rate;       /* payments per winner per day at full store reach, no online */
    double spend_sigma;      /* sigma of the log of a winner's eagerness (mean 1) */
    double ticket_ratio;     /* envelope payment / envelope money left: lognormal median */
    double ticket_sigma;     /* and sigma of its log */
    int64_t merchants;       /* participating merchants (real units) */
    double merchant_half;    /* participating stores per 10,000 people at half reach */
    int online;              /* an online marketplace takes part (its share emerges) */
    double online_weight;    /* its spending occasions, relative to full store reach */
    double online_share;     /* > 0: a fixed share of envelope payments made online */
    int64_t offline_wallets; /* winners given an offline wallet (real units) */
    /* merchant campaign, peak, outage: the window */
    double from_s, until_s;
    /* merchant campaign: merchants onboarded over the window, paid a subsidy */
    int64_t subsidy_fen; /* per merchant onboarded, in e-CNY */
    /* salary: `recipients` paid `amount_fen` at `at_s`, then every `every_s`
       (0: once) until `until_s` */
    double at_s, every_s;
    int64_t recipients;
    int64_t amount_fen;
    /* wallet limits: class (1-4) and its new limits, from at_s */
    unsigned wallet_class;
    struct wallet_class limits;
    /* operator joins (at at_s) and outage (of `operator`, -1 the ledger) */
    int operator;          /* outage: -1 is the ledger */
    double adoption_boost; /* operator joins, app opens: from at_s, the user
                              adoption hazard is multiplied by this (1: none) */
    double multiplier;     /* peak: rate multiplier */
    double capacity;       /* outage: share of capacity left, 0 = down */
};

struct loadtest_retry {
    unsigned max;     /* retries after the first attempt (default 2) */
    double backoff_s; /* first back-off; doubles each retry (default 1 s) */
    double jitter;    /* 0-1: back-off times (1 - jitter * U) (default 1, full jitter) */
};

/* The scenario's `loadtest:` section, filled by the scenario loader (field
 * by field, with has_* set for the keys given); the command line wins. */
struct loadtest_spec {
    char *profile;                 /* `profile:` in --profile syntax, or NULL */
    double interval_s;             /* `interval:` duration (0: not given) */
    double warmup_s;               /* `warmup:` duration (< 0: not given) */
    char *slo;                     /* `slo:` in --slo syntax, or NULL */
    int has_retries;               /* `retries:` given */
    struct loadtest_retry retries; /* `retries: {max, backoff, jitter}` */
    double target_per_s;           /* `target:` payments/s the system must hold (0: none) */
};

struct scenario {
    char *path;        /* the file it was loaded from */
    char *name;        /* display title */
    char *description; /* may be "" */
    uint64_t seed;
    int64_t start_unix; /* start, seconds since the Unix epoch (UTC) */
    double duration_s;  /* horizon */
    double step_s;      /* time-series bucket (default 1d) */
    double sample;      /* k: one simulated person in k (>= 1) */

    /* people: how they differ */
    double activity_sigma; /* sigma of log payment-rate multiplier (model/habits.h) */

    /* adoption (users): Bass per year, and the lift from merchant acceptance */
    double innovation, imitation;
    double merchant_effect; /* hazard multiplier 1 + effect * accepting share */
    double dormancy_s;      /* an active user with no payment for this long becomes dormant */
    double aware_boost;     /* hazard multiplier for people aware of e-CNY */
    double activity_bias;   /* Bass adopters drawn with weight activity^bias */
    /* adoption (merchants): Bass per year, imitation driven by user adoption */
    double merchant_innovation, merchant_imitation;

    /* payments */
    double payments_per_day;   /* all methods, per person per day */
    double ecny_preference;    /* share of a wallet holder's payments made in
                                 e-CNY where the merchant accepts it */
    double concentration;      /* kappa: e-CNY's reach is A^kappa, A the
                                 accepting merchants' share of popularity */
    int64_t ticket_median_fen; /* lognormal ticket size: median */
    double ticket_sigma;       /* and sigma of log */
    double hourly[24];         /* weights, normalized to mean 1 */
    double weekday[7];         /* Monday first, normalized to mean 1 */
    int64_t topup_fen;         /* a short wallet is topped up in multiples of this */
    double transfer_share;     /* share of e-CNY payments that go to another person */
    double offline_share;      /* share of a hardware-wallet holder's payments made offline */
    double offline_sync_s;     /* delay before an offline payment reaches the operator */
    /* corporate wallets (model/corporate.h): Bass per year among a city's
       corporates, imitation driven by the share holding one; their payments */
    double corp_innovation, corp_imitation;
    double corp_people_effect;      /* hazard x (1 + effect x people's share holding) */
    double corp_per_wallet_per_day; /* payments a corporate wallet a day */
    int64_t corp_ticket_median_fen; /* lognormal ticket: median */
    double corp_ticket_sigma;       /* and sigma of log */
    double corp_salary_share;       /* share paid into a person's wallet */
    double corp_concentration;      /* gamma: rate x G^(gamma - 1) a wallet */

    struct wallet_class wallet_classes[WALLET_CLASSES]; /* [0] is class 1 */
    double sub_wallet_share;                            /* a holder opens a sub-wallet at each other
                                joined operator with this probability */

    struct service ledger; /* the central ledger / interbank platform */

    struct operator_spec *operators;
    size_t n_operators;
    struct city_spec *cities;
    size_t n_cities;
    struct intervention *interventions;
    size_t n_interventions;

    struct loadtest_spec loadtest; /* the `loadtest:` section (load tests only) */
    int charts;                    /* outputs.charts: draw charts (default 1) */
    struct warnings warnings;      /* what loading trimmed or doubts; also in summary.json */
};

/* Load and validate `path`, applying `--set key.path=value` overrides in order.
 * On any error prints them (up to SCENARIO_MAX_ERRORS) to `err` and returns NULL. */
struct scenario *scenario_load(const char *path, const char *const *sets, size_t n_sets, FILE *err);
void scenario_free(struct scenario *s); /* scenario_free(NULL) does nothing */

/* Write the fully resolved scenario as YAML that scenario_load reads back to
 * the same values. 0 or -1 (I/O error). */
int scenario_write(const struct scenario *s, FILE *out);

/* The YAML spelling of an intervention kind ("lottery", ...). */
const char *scenario_kind_name(enum intervention_kind kind);

/* When an intervention starts: its one date on a chart (a lottery at its
 * registration, a window at its start, the others at `at`). */
double scenario_intervention_start(const struct intervention *iv);

/* Index of a city or operator id, or -1. */
int scenario_city(const struct scenario *s, const char *id);
int scenario_operator(const struct scenario *s, const char *id);

#endif
