/* keys.c: the scenario's key tables (see keys.h and docs/scenarios.md).
 *
 * Tables come bottom-up (a mapping's table before the table that holds it),
 * each in the order the resolved scenario writes its keys (docs/scenarios.md
 * describes every key). Ranges are bounds by meaning (scenario.h), so that
 * no value runs a command forever. Below the tables' leaves are the write
 * functions of the keys that are not single values: weights, operator
 * shares, amounts, references to a city or an operator, and the id-keyed
 * operators and cities and the interventions list. */
#include "scenario/keys.h"

#include <math.h>
#include <stdio.h>

#include "scenario/typelimits.h"
#include "scenario/units.h"

#define MAX_SERVERS 1e6
/* A lognormal service time's cv: at 100 its median is a hundredth of its
 * mean, far past measured service times; beyond it cv^2 soon overflows and
 * the draws are NaN. */
#define MAX_SERVICE_CV 100
#define MAX_COUNT KEYS_MAX_COUNT
#define MAX_DUR SCENARIO_MAX_DURATION_S
#define MAX_RATE SCENARIO_MAX_RATE
#define MAX_AMOUNT TYPELIMITS_MAX_AMOUNT_YUAN /* one sum of money (typelimits.h) */
#define MAX_WALLET TYPELIMITS_MAX_WALLET_YUAN /* an envelope, a wallet limit: 32-bit fen */

/* Enums are stored through an int (SCHEMA_ENUM). */
_Static_assert(sizeof(enum service_dist) == sizeof(int), "enum service_dist is an int");
_Static_assert(sizeof(enum intervention_kind) == sizeof(int), "enum intervention_kind is an int");

#define INF HUGE_VAL
#define OFF offsetof
#define N(a) (sizeof(a) / sizeof((a)[0]))
#define REQ SCHEMA_REQ
#define GT SCHEMA_GT
#define NONEMPTY SCHEMA_NONEMPTY
#define BYCODE SCHEMA_BYCODE
#define TABLE(a) \
    {            \
        a, N(a)  \
    }
/* A single value; an enum; a nested mapping; a key written by code. */
#define F(key, type, off, lo, hi, flags)                \
    {                                                   \
        key, type, off, lo, hi, flags, NULL, NULL, NULL \
    }
#define ENUM(key, off, names)                             \
    {                                                     \
        key, SCHEMA_ENUM, off, 0, 0, 0, names, NULL, NULL \
    }
#define MAP(key, off, sub, flags)                           \
    {                                                       \
        key, SCHEMA_MAP, off, 0, 0, flags, NULL, &sub, NULL \
    }
#define CODE(key, sub, write)                          \
    {                                                  \
        key, SCHEMA_CODE, 0, 0, 0, 0, NULL, sub, write \
    }
/* A value read by code, with its type and range, written by `write`. */
#define BY(key, type, off, lo, hi, flags, write)                    \
    {                                                               \
        key, type, off, lo, hi, (flags) | BYCODE, NULL, NULL, write \
    }

static schema_write_fn write_hourly, write_weekday, write_shares, write_amounts, write_city,
    write_operator, write_target, write_retries, write_operators, write_cities, write_interventions;

static const char *const dist_names[] = {"exponential", "deterministic", "lognormal", NULL};
/* In enum intervention_kind order. */
const char *const keys_kind_names[] = {"lottery",       "merchant_campaign", "salary",
                                       "wallet_limits", "operator_joins",    "peak",
                                       "outage",        "app_opens",         NULL};

static const struct schema_field merchant_fields[] = {
    F("innovation", SCHEMA_NUM, OFF(struct scenario, merchant_innovation), 0, INF, 0),
    F("imitation", SCHEMA_NUM, OFF(struct scenario, merchant_imitation), 0, INF, 0),
};
static const struct schema_table merchant_table = TABLE(merchant_fields);

/* people: the activity's sigma is bounded (habits.h): the ceiling of a
 * draw by activity grows as exp(3 sigma). */
static const struct schema_field people_fields[] = {
    F("activity_sigma", SCHEMA_NUM, OFF(struct scenario, activity_sigma), 0, 2, 0),
};
static const struct schema_table people_table = TABLE(people_fields);

/* adoption.corporate: corporate wallets' Bass coefficients (corporate.h). */
static const struct schema_field corp_adoption_fields[] = {
    F("innovation", SCHEMA_NUM, OFF(struct scenario, corp_innovation), 0, INF, 0),
    F("imitation", SCHEMA_NUM, OFF(struct scenario, corp_imitation), 0, INF, 0),
    F("people_effect", SCHEMA_NUM, OFF(struct scenario, corp_people_effect), 0, INF, 0),
};
static const struct schema_table corp_adoption_table = TABLE(corp_adoption_fields);

static const struct schema_field adoption_fields[] = {
    F("innovation", SCHEMA_NUM, OFF(struct scenario, innovation), 0, INF, 0),
    F("imitation", SCHEMA_NUM, OFF(struct scenario, imitation), 0, INF, 0),
    F("merchant_effect", SCHEMA_NUM, OFF(struct scenario, merchant_effect), 0, INF, 0),
    F("dormancy", SCHEMA_DUR, OFF(struct scenario, dormancy_s), 0, MAX_DUR, GT),
    F("aware_boost", SCHEMA_NUM, OFF(struct scenario, aware_boost), 0, INF, 0),
    /* at most 3: a rejection draw's tries grow as e^(3 bias sigma) */
    F("activity_bias", SCHEMA_NUM, OFF(struct scenario, activity_bias), 0, 3, 0),
    MAP("merchants", 0, merchant_table, 0),
    MAP("corporate", 0, corp_adoption_table, 0),
};
static const struct schema_table adoption_table = TABLE(adoption_fields);

static const struct schema_field ticket_fields[] = {
    F("median", SCHEMA_MONEY, OFF(struct scenario, ticket_median_fen), 0, MAX_AMOUNT, GT),
    F("sigma", SCHEMA_NUM, OFF(struct scenario, ticket_sigma), 0, INF, GT),
};
static const struct schema_table ticket_table = TABLE(ticket_fields);

/* payments.corporate: the corporate wallets' payments (corporate.h). */
static const struct schema_field corp_ticket_fields[] = {
    F("median", SCHEMA_MONEY, OFF(struct scenario, corp_ticket_median_fen), 0, MAX_AMOUNT, GT),
    F("sigma", SCHEMA_NUM, OFF(struct scenario, corp_ticket_sigma), 0, INF, GT),
};
static const struct schema_table corp_ticket_table = TABLE(corp_ticket_fields);
static const struct schema_field corp_payment_fields[] = {
    F("per_wallet_per_day", SCHEMA_NUM, OFF(struct scenario, corp_per_wallet_per_day), 0, MAX_RATE,
      0),
    MAP("ticket", 0, corp_ticket_table, 0),
    F("salary_share", SCHEMA_SHARE, OFF(struct scenario, corp_salary_share), 0, 1, 0),
    F("concentration", SCHEMA_NUM, OFF(struct scenario, corp_concentration), 0, 1, GT),
};
static const struct schema_table corp_payment_table = TABLE(corp_payment_fields);

/* hourly and weekday: lists of weights >= 0, normalized on load. */
static const struct schema_field payment_fields[] = {
    F("per_user_per_day", SCHEMA_NUM, OFF(struct scenario, payments_per_day), 0, MAX_RATE, 0),
    F("ecny_preference", SCHEMA_SHARE, OFF(struct scenario, ecny_preference), 0, 1, 0),
    F("concentration", SCHEMA_NUM, OFF(struct scenario, concentration), 0, 1, GT),
    MAP("ticket", 0, ticket_table, 0),
    BY("hourly", SCHEMA_NUM, OFF(struct scenario, hourly), 0, INF, 0, write_hourly),
    BY("weekday", SCHEMA_NUM, OFF(struct scenario, weekday), 0, INF, 0, write_weekday),
    F("topup", SCHEMA_MONEY, OFF(struct scenario, topup_fen), 0, MAX_AMOUNT, GT),
    F("transfer_share", SCHEMA_SHARE, OFF(struct scenario, transfer_share), 0, 1, 0),
    F("offline_share", SCHEMA_SHARE, OFF(struct scenario, offline_share), 0, 1, 0),
    F("offline_sync", SCHEMA_DUR, OFF(struct scenario, offline_sync_s), 0, MAX_DUR, 0),
    MAP("corporate", 0, corp_payment_table, 0),
};
static const struct schema_table payment_table = TABLE(payment_fields);

/* A wallet class: its limits (yuan or unlimited) and share of new wallets. */
#define CLASS_FIELDS(base)                                                                         \
    F("balance", SCHEMA_LIMIT, (base) + OFF(struct wallet_class, balance_fen), 0, MAX_WALLET, GT), \
        F("per_payment", SCHEMA_LIMIT, (base) + OFF(struct wallet_class, per_payment_fen), 0,      \
          MAX_WALLET, GT),                                                                         \
        F("per_day", SCHEMA_LIMIT, (base) + OFF(struct wallet_class, per_day_fen), 0, MAX_WALLET,  \
          GT)
static const struct schema_field class_fields[] = {
    CLASS_FIELDS(0),
    F("share", SCHEMA_SHARE, OFF(struct wallet_class, share), 0, 1, 0),
};
static const struct schema_table class_table = TABLE(class_fields);

#define CLASS(i) OFF(struct scenario, wallet_classes) + (i) * sizeof(struct wallet_class)
/* The classes first (entries 0-3: the loader reads them as sections). */
static const struct schema_field wallet_fields[] = {
    MAP("class1", CLASS(0), class_table, SCHEMA_FLOW),
    MAP("class2", CLASS(1), class_table, SCHEMA_FLOW),
    MAP("class3", CLASS(2), class_table, SCHEMA_FLOW),
    MAP("class4", CLASS(3), class_table, SCHEMA_FLOW),
    F("sub_wallet_share", SCHEMA_SHARE, OFF(struct scenario, sub_wallet_share), 0, 1, 0),
};
static const struct schema_table wallet_table = TABLE(wallet_fields);

/* The resource keys, for the ledger (base 0) and inside an operator. */
#define SERVICE_FIELDS(base)                                                                 \
    F("servers", SCHEMA_UINT, (base) + OFF(struct service, servers), 1, MAX_SERVERS, 0),     \
        F("service_time", SCHEMA_DUR, (base) + OFF(struct service, mean_s), 0, MAX_DUR, GT), \
        ENUM("service_dist", (base) + OFF(struct service, dist), dist_names),                \
        F("service_cv", SCHEMA_NUM, (base) + OFF(struct service, cv), 0, MAX_SERVICE_CV, 0), \
        F("timeout", SCHEMA_DUR, (base) + OFF(struct service, timeout_s), 0, MAX_DUR, GT)

static const struct schema_field ledger_fields[] = {SERVICE_FIELDS(0)};
static const struct schema_table ledger_table = TABLE(ledger_fields);

static const struct schema_field operator_fields[] = {
    F("name", SCHEMA_STR, OFF(struct operator_spec, name), 0, 0, NONEMPTY),
    SERVICE_FIELDS(OFF(struct operator_spec, service)),
};
static const struct schema_table operator_table = TABLE(operator_fields);

/* merchants and corporates are entries KEYS_CITY_MERCHANTS and
 * KEYS_CITY_CORPORATES; operators: operator id -> share. */
static const struct schema_field city_fields[] = {
    F("name", SCHEMA_STR, OFF(struct city_spec, name), 0, 0, NONEMPTY),
    F("population", SCHEMA_INT, OFF(struct city_spec, population), 1, MAX_COUNT, REQ),
    F("smartphone_share", SCHEMA_SHARE, OFF(struct city_spec, smartphone_share), 0, 1, 0),
    F("merchants", SCHEMA_INT, OFF(struct city_spec, merchants), 1, MAX_COUNT, 0),
    F("corporates", SCHEMA_INT, OFF(struct city_spec, corporates), 0, MAX_COUNT, 0),
    F("pilot_start", SCHEMA_DATE, OFF(struct city_spec, pilot_start_s), 0, 0, 0),
    F("innovation", SCHEMA_NUM, OFF(struct city_spec, innovation), 0, INF, 0),
    F("imitation", SCHEMA_NUM, OFF(struct city_spec, imitation), 0, INF, 0),
    F("initial_wallets", SCHEMA_SHARE, OFF(struct city_spec, initial_wallets), 0, 1, 0),
    F("initial_accepting", SCHEMA_SHARE, OFF(struct city_spec, initial_accepting), 0, 1, 0),
    F("hardware_share", SCHEMA_SHARE, OFF(struct city_spec, hardware_share), 0, 1, 0),
    BY("operators", SCHEMA_SHARE, OFF(struct city_spec, operator_share), 0, 1, 0, write_shares),
};
static const struct schema_table city_table = TABLE(city_fields);

static const struct schema_field window_fields[] = {
    F("from", SCHEMA_DATE, OFF(struct keys_window, from), 0, 0, REQ),
    F("until", SCHEMA_DATE, OFF(struct keys_window, until), 0, 0, REQ),
};
static const struct schema_table window_table = TABLE(window_fields);

/* Interventions: every kind has `id` and `kind` first; its other keys by
 * kind. Windows are read by code (read_window) and written as mappings. */
#define IV(member) OFF(struct intervention, member)
_Static_assert(IV(registration_until_s) ==
                       IV(registration_from_s) + OFF(struct keys_window, until) &&
                   IV(spend_until_s) == IV(spend_from_s) + OFF(struct keys_window, until) &&
                   IV(until_s) == IV(from_s) + OFF(struct keys_window, until),
               "an intervention's windows are laid out as struct keys_window");
#define IV_COMMON \
    F("id", SCHEMA_STR, IV(id), 0, 0, REQ | NONEMPTY), ENUM("kind", IV(kind), keys_kind_names)
#define WINDOW(key, from)                                                       \
    {                                                                           \
        key, SCHEMA_MAP, IV(from), 0, 0, SCHEMA_FLOW, NULL, &window_table, NULL \
    }
#define CITY CODE("city", NULL, write_city)

static const struct schema_field lottery_ticket_fields[] = {
    F("ratio", SCHEMA_NUM, IV(ticket_ratio), 0, INF, GT),
    F("sigma", SCHEMA_NUM, IV(ticket_sigma), 0, INF, 0),
};
static const struct schema_table lottery_ticket_table = TABLE(lottery_ticket_fields);

/* amount: one sum or a list of them; operators: winners' operator shares. */
static const struct schema_field lottery_fields[] = {
    IV_COMMON,
    CITY,
    F("envelopes", SCHEMA_INT, IV(envelopes), 1, MAX_COUNT, REQ),
    BY("amount", SCHEMA_MONEY, IV(amounts_fen), 0, MAX_WALLET, GT, write_amounts),
    WINDOW("registration", registration_from_s),
    F("propensity", SCHEMA_SHARE, IV(propensity), 0, 1, 0),
    WINDOW("spending", spend_from_s),
    F("claim_share", SCHEMA_SHARE, IV(claim_share), 0, 1, 0),
    F("spend_rate", SCHEMA_NUM, IV(spend_rate), 0, MAX_RATE, 0),
    /* the last key added: messages list it after the others */
    MAP("ticket", 0, lottery_ticket_table, SCHEMA_FLOW | SCHEMA_LAST),
    F("merchants", SCHEMA_INT, IV(merchants), 1, MAX_COUNT, 0),
    F("online_share", SCHEMA_SHARE, IV(online_share), 0, 1, 0),
    F("spend_sigma", SCHEMA_NUM, IV(spend_sigma), 0, 3, 0),
    F("merchant_half", SCHEMA_NUM, IV(merchant_half), 0, MAX_RATE, GT),
    F("online", SCHEMA_BOOL, IV(online), 0, 0, 0),
    F("online_weight", SCHEMA_NUM, IV(online_weight), 0, MAX_RATE, 0),
    F("offline_wallets", SCHEMA_INT, IV(offline_wallets), 0, MAX_COUNT, 0),
    BY("operators", SCHEMA_SHARE, IV(operator_share), 0, 1, 0, write_shares),
};
static const struct schema_field campaign_fields[] = {
    IV_COMMON,
    CITY,
    WINDOW("window", from_s),
    F("merchants", SCHEMA_INT, IV(merchants), 0, MAX_COUNT, REQ),
    F("subsidy", SCHEMA_MONEY, IV(subsidy_fen), 0, MAX_AMOUNT, 0),
};
static const struct schema_field salary_fields[] = {
    IV_COMMON,
    CITY,
    F("at", SCHEMA_DATE, IV(at_s), 0, 0, REQ),
    F("recipients", SCHEMA_INT, IV(recipients), 1, MAX_COUNT, REQ),
    F("amount", SCHEMA_MONEY, IV(amount_fen), 0, MAX_AMOUNT, REQ | GT),
    F("every", SCHEMA_DUR, IV(every_s), 0, MAX_DUR, 0), /* 0 or >= 1d: the loader checks */
    F("until", SCHEMA_DATE, IV(until_s), 0, 0, 0),
};
static const struct schema_field limits_fields[] = {
    IV_COMMON,
    F("at", SCHEMA_DATE, IV(at_s), 0, 0, REQ),
    F("class", SCHEMA_UINT, IV(wallet_class), 1, WALLET_CLASSES, REQ),
    CLASS_FIELDS(IV(limits)),
};
/* adoption_boost: a hazard multiplier, at most a thousandfold like a peak */
static const struct schema_field joins_fields[] = {
    IV_COMMON,
    CODE("operator", NULL, write_operator),
    F("at", SCHEMA_DATE, IV(at_s), 0, 0, REQ),
    F("adoption_boost", SCHEMA_NUM, IV(adoption_boost), 0, MAX_RATE, GT),
};
static const struct schema_field app_fields[] = {
    IV_COMMON,
    CITY,
    F("at", SCHEMA_DATE, IV(at_s), 0, 0, REQ),
    F("adoption_boost", SCHEMA_NUM, IV(adoption_boost), 0, MAX_RATE, REQ | GT),
};
static const struct schema_field peak_fields[] = {
    IV_COMMON,
    CITY,
    WINDOW("window", from_s),
    F("multiplier", SCHEMA_NUM, IV(multiplier), 0, MAX_RATE, REQ | GT),
};
static const struct schema_field outage_fields[] = {
    IV_COMMON,
    CODE("target", NULL, write_target), /* an operator id or `ledger` */
    WINDOW("window", from_s),
    F("capacity", SCHEMA_SHARE, IV(capacity), 0, 1, 0),
};

/* Each kind's keys, in enum intervention_kind order. */
const struct schema_table keys_kinds[] = {
    TABLE(lottery_fields), TABLE(campaign_fields), TABLE(salary_fields), TABLE(limits_fields),
    TABLE(joins_fields),   TABLE(peak_fields),     TABLE(outage_fields), TABLE(app_fields),
};
_Static_assert(N(keys_kinds) == N(keys_kind_names) - 1, "a table for every kind");

/* loadtest: what `pilotsim loadtest` does with this scenario (the command
 * line wins); profile and slo are checked by their own parsers. Only the
 * keys given are written, and the section only when one is. */
#define LT(member) OFF(struct loadtest_spec, member)
static const struct schema_field retry_fields[] = {
    F("max", SCHEMA_UINT, OFF(struct loadtest_retry, max), 0, 10, 0),
    F("backoff", SCHEMA_DUR, OFF(struct loadtest_retry, backoff_s), 0, MAX_DUR, GT),
    F("jitter", SCHEMA_SHARE, OFF(struct loadtest_retry, jitter), 0, 1, 0),
};
static const struct schema_table retry_table = TABLE(retry_fields);
static const struct schema_field loadtest_fields[] = {
    F("profile", SCHEMA_STR, LT(profile), 0, 0, NONEMPTY | SCHEMA_OPT),
    F("interval", SCHEMA_DUR, LT(interval_s), 0, MAX_DUR, GT | SCHEMA_OPT),
    F("warmup", SCHEMA_DUR, LT(warmup_s), 0, MAX_DUR, SCHEMA_OPT),
    F("slo", SCHEMA_STR, LT(slo), 0, 0, NONEMPTY | SCHEMA_OPT),
    F("target", SCHEMA_NUM, LT(target_per_s), 0, 1e12, GT | SCHEMA_OPT),
    {"retries", SCHEMA_MAP, LT(retries), 0, 0, SCHEMA_FLOW, NULL, &retry_table, write_retries},
};
static const struct schema_table loadtest_table = TABLE(loadtest_fields);

static const struct schema_field output_fields[] = {
    F("charts", SCHEMA_BOOL, OFF(struct scenario, charts), 0, 0, 0),
};
static const struct schema_table output_table = TABLE(output_fields);

/* The top level. start, duration and step are entries KEYS_TOP_*; `end:`
 * (a date) may stand for duration and is never written. */
static const struct schema_field top_fields[] = {
    F("name", SCHEMA_STR, OFF(struct scenario, name), 0, 0, REQ | NONEMPTY),
    F("description", SCHEMA_STR, OFF(struct scenario, description), 0, 0, 0),
    F("seed", SCHEMA_U64, OFF(struct scenario, seed), 0, 0, 0),
    F("start", SCHEMA_UNIX, OFF(struct scenario, start_unix), 0, 0, REQ),
    /* duration, or else `end:`: one of them is required (the loader checks) */
    F("duration", SCHEMA_DUR, OFF(struct scenario, duration_s), 0, MAX_DUR, GT),
    F("step", SCHEMA_DUR, OFF(struct scenario, step_s), SCENARIO_MIN_STEP_S, MAX_DUR, 0),
    F("sample", SCHEMA_NUM, OFF(struct scenario, sample), 1, INF, 0),
    BY("end", SCHEMA_UNIX, 0, 0, 0, 0, NULL),
    MAP("people", 0, people_table, 0),
    MAP("adoption", 0, adoption_table, 0),
    MAP("payments", 0, payment_table, 0),
    MAP("wallets", 0, wallet_table, 0),
    MAP("ledger", OFF(struct scenario, ledger), ledger_table, 0),
    CODE("operators", &operator_table, write_operators),
    CODE("cities", &city_table, write_cities),
    CODE("interventions", NULL, write_interventions),
    MAP("loadtest", OFF(struct scenario, loadtest), loadtest_table, SCHEMA_OPT),
    MAP("outputs", 0, output_table, 0),
};
const struct schema_table keys_top = TABLE(top_fields);
_Static_assert(N(top_fields) <= 32, "keys_top's `seen` bits fit an unsigned");

/* The value of entry f in the struct at base. */
#define AT(type, base, f) ((type)((const char *)(base) + (f)->off))

/* A flow list of numbers: the normalized hourly and weekday weights, written
 * as normalized (mean 1), which the loader keeps as they are. */
static void write_numbers(FILE *out, const char *key, const double *x, size_t n, int indent)
{
    char a[UNITS_BUF];
    size_t i;

    fprintf(out, "%*s%s: ", indent, "", key);
    for (i = 0; i < n; i++)
        fprintf(out, "%s%s", i ? ", " : "[", units_fmt_number(a, x[i]));
    fputs("]\n", out);
}

static void write_hourly(struct schema_out *o, const struct schema_field *f, const void *base,
                         int indent)
{
    write_numbers(o->f, f->key, AT(const double *, base, f), 24, indent);
}

static void write_weekday(struct schema_out *o, const struct schema_field *f, const void *base,
                          int indent)
{
    write_numbers(o->f, f->key, AT(const double *, base, f), 7, indent);
}

/* Every operator's share, zeros included, in operator order: explicit, and
 * the sum reads back exactly as it was checked. No shares: nothing. */
static void write_shares(struct schema_out *o, const struct schema_field *f, const void *base,
                         int indent)
{
    const struct scenario *s = o->ctx;
    const double *share = *AT(double *const *, base, f);
    char a[UNITS_BUF];
    size_t i;

    if (!share)
        return;
    fprintf(o->f, "%*s%s: {", indent, "", f->key);
    for (i = 0; i < s->n_operators; i++) {
        fputs(i ? ", " : "", o->f);
        schema_write_str(o->f, s->operators[i].id);
        fprintf(o->f, ": %s", units_fmt_number(a, share[i]));
    }
    fputs("}\n", o->f);
}

/* A lottery's amounts, always as a list. */
static void write_amounts(struct schema_out *o, const struct schema_field *f, const void *base,
                          int indent)
{
    const struct intervention *iv = base;
    char a[UNITS_BUF];
    size_t k;

    fprintf(o->f, "%*s%s: ", indent, "", f->key);
    for (k = 0; k < iv->n_amounts; k++)
        fprintf(o->f, "%s%s", k ? ", " : "[", units_fmt_money(a, iv->amounts_fen[k]));
    fputs("]\n", o->f);
}

/* `key: "id"`: an id, always quoted (an id like `null` or `-` would
 * otherwise read differently). */
static void write_id(struct schema_out *o, const char *key, const char *id, int indent)
{
    fprintf(o->f, "%*s%s: ", indent, "", key);
    schema_write_str(o->f, id);
    fputc('\n', o->f);
}

/* An intervention's city; none (-1: every city) is not written. */
static void write_city(struct schema_out *o, const struct schema_field *f, const void *base,
                       int indent)
{
    const struct scenario *s = o->ctx;
    const struct intervention *iv = base;

    if (iv->city >= 0)
        write_id(o, f->key, s->cities[iv->city].id, indent);
}

static void write_operator(struct schema_out *o, const struct schema_field *f, const void *base,
                           int indent)
{
    const struct scenario *s = o->ctx;
    const struct intervention *iv = base;

    write_id(o, f->key, s->operators[iv->operator].id, indent);
}

/* An outage's target: an operator, or the ledger (-1). */
static void write_target(struct schema_out *o, const struct schema_field *f, const void *base,
                         int indent)
{
    const struct scenario *s = o->ctx;
    const struct intervention *iv = base;

    write_id(o, f->key, iv->operator<0 ? "ledger" : s->operators[iv->operator].id, indent);
}

/* retries: only when the scenario gave them. */
static void write_retries(struct schema_out *o, const struct schema_field *f, const void *base,
                          int indent)
{
    if (((const struct loadtest_spec *)base)->has_retries)
        schema_write_typed(o, f, base, indent);
}

/* One element of an id-keyed mapping: its quoted id, then its keys. */
static void write_element(struct schema_out *o, const char *id, const struct schema_table *t,
                          const void *item, int indent)
{
    fprintf(o->f, "%*s", indent, "");
    schema_write_str(o->f, id);
    fputs(":\n", o->f);
    schema_write(o, t, item, indent + 2, 0);
}

static void write_operators(struct schema_out *o, const struct schema_field *f, const void *base,
                            int indent)
{
    const struct scenario *s = base;
    size_t i;

    fprintf(o->f, "%*s%s:\n", indent, "", f->key);
    for (i = 0; i < s->n_operators; i++)
        write_element(o, s->operators[i].id, f->sub, &s->operators[i], indent + 2);
}

static void write_cities(struct schema_out *o, const struct schema_field *f, const void *base,
                         int indent)
{
    const struct scenario *s = base;
    size_t i;

    fprintf(o->f, "%*s%s:\n", indent, "", f->key);
    for (i = 0; i < s->n_cities; i++)
        write_element(o, s->cities[i].id, f->sub, &s->cities[i], indent + 2);
}

/* The list of interventions, each through its kind's table. */
static void write_interventions(struct schema_out *o, const struct schema_field *f,
                                const void *base, int indent)
{
    const struct scenario *s = base;
    size_t i;

    fprintf(o->f, "%*s%s:%s\n", indent, "", f->key, s->n_interventions ? "" : " []");
    for (i = 0; i < s->n_interventions; i++)
        schema_write(o, &keys_kinds[s->interventions[i].kind], &s->interventions[i], indent + 4, 1);
}
