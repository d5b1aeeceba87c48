/* scenario_write.c: the resolved scenario as YAML (see scenario.h).
 *
 * Every key is written, defaults included, without `extends`, in the units
 * scenario_load reads: doubles in their shortest form that reads back to the
 * same bits, durations in seconds, dates as YYYY-MM-DDTHH:MM:SS in Shanghai
 * time, money as yuan with two decimals, every string double-quoted with
 * escapes. Loading the output gives back the same struct, field by field. */
#include "scenario/scenario.h"

#include <math.h>
#include <string.h>

#include "scenario/units.h"

/* A YAML double-quoted string: quotes, backslashes, control characters, C1
 * controls, line and paragraph separators and non-characters escaped; other
 * UTF-8 (Xiong'an's 雄安) passes through. */
static void write_str(FILE *f, const char *str)
{
    const unsigned char *p = (const unsigned char *)str;

    fputc('"', f);
    for (; *p; p++) {
        if (*p == '"' || *p == '\\') fprintf(f, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f) fprintf(f, "\\x%02X", *p);
        else if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) fprintf(f, "\\x%02X", *++p);
        else if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)) {
            fputs(p[2] == 0xA8 ? "\\L" : "\\P", f);
            p += 2;
        } else if (p[0] == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF)) {
            fprintf(f, "\\uFFF%c", p[2] == 0xBE ? 'E' : 'F');
            p += 2;
        } else fputc(*p, f);
    }
    fputc('"', f);
}

/* The resource keys of the ledger or an operator, one per line. */
static void write_service(FILE *f, const char *indent, const struct service *v)
{
    static const char *const dist[] = { "exponential", "deterministic", "lognormal" };
    char a[UNITS_BUF], b[UNITS_BUF], c[UNITS_BUF];

    fprintf(f, "%sservers: %u\n%sservice_time: %s\n%sservice_dist: %s\n"
            "%sservice_cv: %s\n%stimeout: %s\n", indent, v->servers, indent,
            units_fmt_duration(a, v->mean_s), indent, dist[v->dist], indent,
            units_fmt_number(b, v->cv), indent, units_fmt_duration(c, v->timeout_s));
}

/* A flow list of numbers: the normalized hourly and weekday weights, written
 * as normalized (mean 1), which the loader keeps as they are. */
static void write_list(FILE *f, const double *x, size_t n)
{
    char a[UNITS_BUF];
    size_t i;

    for (i = 0; i < n; i++) fprintf(f, "%s%s", i ? ", " : "[", units_fmt_number(a, x[i]));
    fputs("]\n", f);
}

/* Every operator's share, zeros included, in operator order: explicit, and
 * the sum reads back exactly as it was checked. */
static void write_shares(FILE *f, const struct scenario *s, const double *share)
{
    char a[UNITS_BUF];
    size_t i;

    fputc('{', f);
    for (i = 0; i < s->n_operators; i++) {
        fputs(i ? ", " : "", f);
        write_str(f, s->operators[i].id);
        fprintf(f, ": %s", units_fmt_number(a, share[i]));
    }
    fputs("}\n", f);
}

static char *fmt_limit(char *buf, int64_t fen)
{
    if (fen == LIMIT_NONE) {
        strcpy(buf, "unlimited");
        return buf;
    }
    return units_fmt_money(buf, fen);
}

/* A class's limits as flow-mapping entries. */
static void write_limits(FILE *f, const struct wallet_class *w)
{
    char a[UNITS_BUF], b[UNITS_BUF], c[UNITS_BUF];

    fprintf(f, "balance: %s, per_payment: %s, per_day: %s", fmt_limit(a, w->balance_fen),
            fmt_limit(b, w->per_payment_fen), fmt_limit(c, w->per_day_fen));
}

/* A date given as seconds since start; loaded dates are whole seconds. */
static char *fmt_at(char *buf, const struct scenario *s, double at)
{
    return units_fmt_date(buf, s->start_unix + (int64_t)llround(at));
}

static void write_window(FILE *f, const struct scenario *s, const char *key, double from,
                         double until)
{
    char a[UNITS_BUF], b[UNITS_BUF];

    fprintf(f, "    %s: {from: %s, until: %s}\n", key, fmt_at(a, s, from), fmt_at(b, s, until));
}

/* One intervention, with the keys of its kind. */
static void write_intervention(FILE *f, const struct scenario *s, const struct intervention *iv)
{
    char a[UNITS_BUF], b[UNITS_BUF];
    size_t k;

    fputs("  - id: ", f); write_str(f, iv->id);
    fprintf(f, "\n    kind: %s\n", scenario_kind_name(iv->kind));
    if (iv->city >= 0) {
        fputs("    city: ", f); write_str(f, s->cities[iv->city].id); fputc('\n', f);
    }
    switch (iv->kind) {
    case INTERVENTION_LOTTERY:
        fprintf(f, "    envelopes: %lld\n    amount: ", (long long)iv->envelopes);
        for (k = 0; k < iv->n_amounts; k++)
            fprintf(f, "%s%s", k ? ", " : "[", units_fmt_money(a, iv->amounts_fen[k]));
        fputs("]\n", f);
        write_window(f, s, "registration", iv->registration_from_s, iv->registration_until_s);
        fprintf(f, "    propensity: %s\n", units_fmt_number(a, iv->propensity));
        write_window(f, s, "spending", iv->spend_from_s, iv->spend_until_s);
        fprintf(f, "    claim_share: %s\n", units_fmt_number(a, iv->claim_share));
        fprintf(f, "    spend_rate: %s\n", units_fmt_number(a, iv->spend_rate));
        fprintf(f, "    ticket: {ratio: %s, sigma: %s}\n", units_fmt_number(a, iv->ticket_ratio),
                units_fmt_number(b, iv->ticket_sigma));
        fprintf(f, "    merchants: %lld\n", (long long)iv->merchants);
        fprintf(f, "    online_share: %s\n", units_fmt_number(a, iv->online_share));
        if (iv->operator_share) {
            fputs("    operators: ", f);
            write_shares(f, s, iv->operator_share);
        }
        break;
    case INTERVENTION_MERCHANT_CAMPAIGN:
        write_window(f, s, "window", iv->from_s, iv->until_s);
        fprintf(f, "    merchants: %lld\n    subsidy: %s\n", (long long)iv->merchants,
                units_fmt_money(a, iv->subsidy_fen));
        break;
    case INTERVENTION_SALARY:
        fprintf(f, "    at: %s\n    recipients: %lld\n    amount: %s\n", fmt_at(a, s, iv->at_s),
                (long long)iv->recipients, units_fmt_money(b, iv->amount_fen));
        fprintf(f, "    every: %s\n    until: %s\n", units_fmt_duration(a, iv->every_s),
                fmt_at(b, s, iv->until_s));
        break;
    case INTERVENTION_WALLET_LIMITS:
        fprintf(f, "    at: %s\n    class: %u\n", fmt_at(a, s, iv->at_s), iv->wallet_class);
        fprintf(f, "    balance: %s\n", fmt_limit(a, iv->limits.balance_fen));
        fprintf(f, "    per_payment: %s\n", fmt_limit(a, iv->limits.per_payment_fen));
        fprintf(f, "    per_day: %s\n", fmt_limit(a, iv->limits.per_day_fen));
        break;
    case INTERVENTION_OPERATOR_JOINS:
        fputs("    operator: ", f); write_str(f, s->operators[iv->operator].id);
        fprintf(f, "\n    at: %s\n", fmt_at(a, s, iv->at_s));
        break;
    case INTERVENTION_PEAK:
        write_window(f, s, "window", iv->from_s, iv->until_s);
        fprintf(f, "    multiplier: %s\n", units_fmt_number(a, iv->multiplier));
        break;
    case INTERVENTION_OUTAGE:
        fputs("    target: ", f);
        write_str(f, iv->operator < 0 ? "ledger" : s->operators[iv->operator].id);
        fputc('\n', f);
        write_window(f, s, "window", iv->from_s, iv->until_s);
        fprintf(f, "    capacity: %s\n", units_fmt_number(a, iv->capacity));
        break;
    }
}


/* Keys in the order of docs/scenarios.md, two-space indents; ids and names
 * always quoted (an id like `null` or `-` would otherwise read differently).
 * stdio errors are sticky, so one ferror at the end catches them all. */
/* The loadtest section, only the keys that were given. */
static void write_loadtest(FILE *f, const struct loadtest_spec *lt)
{
    char a[UNITS_BUF], b[UNITS_BUF];

    if (!lt->profile && !lt->slo && !(lt->interval_s > 0) && lt->warmup_s < 0 && !lt->has_retries)
        return;
    fputs("loadtest:\n", f);
    if (lt->profile) {
        fputs("  profile: ", f); write_str(f, lt->profile); fputc('\n', f);
    }
    if (lt->interval_s > 0) fprintf(f, "  interval: %s\n", units_fmt_duration(a, lt->interval_s));
    if (lt->warmup_s >= 0) fprintf(f, "  warmup: %s\n", units_fmt_duration(a, lt->warmup_s));
    if (lt->slo) {
        fputs("  slo: ", f); write_str(f, lt->slo); fputc('\n', f);
    }
    if (lt->has_retries)
        fprintf(f, "  retries: {max: %u, backoff: %s, jitter: %s}\n", lt->retries.max,
                units_fmt_duration(a, lt->retries.backoff_s), units_fmt_number(b, lt->retries.jitter));
}

int scenario_write(const struct scenario *s, FILE *f)
{
    char a[UNITS_BUF], b[UNITS_BUF], c[UNITS_BUF];
    size_t i;

    fputs("# The resolved scenario: every key with its value, defaults filled in.\n", f);
    fputs("name: ", f); write_str(f, s->name);
    fputs("\ndescription: ", f); write_str(f, s->description);
    fprintf(f, "\nseed: %llu\nstart: %s\nduration: %s\nstep: %s\n",
            (unsigned long long)s->seed, units_fmt_date(a, s->start_unix),
            units_fmt_duration(b, s->duration_s), units_fmt_duration(c, s->step_s));
    fprintf(f, "sample: %s\n", units_fmt_number(a, s->sample));
    fprintf(f, "adoption:\n  innovation: %s\n", units_fmt_number(a, s->innovation));
    fprintf(f, "  imitation: %s\n", units_fmt_number(a, s->imitation));
    fprintf(f, "  merchant_effect: %s\n", units_fmt_number(a, s->merchant_effect));
    fprintf(f, "  dormancy: %s\n", units_fmt_duration(a, s->dormancy_s));
    fprintf(f, "  aware_boost: %s\n", units_fmt_number(a, s->aware_boost));
    fprintf(f, "  merchants:\n    innovation: %s\n", units_fmt_number(a, s->merchant_innovation));
    fprintf(f, "    imitation: %s\n", units_fmt_number(a, s->merchant_imitation));
    fprintf(f, "payments:\n  per_user_per_day: %s\n", units_fmt_number(a, s->payments_per_day));
    fprintf(f, "  ecny_preference: %s\n", units_fmt_number(a, s->ecny_preference));
    fprintf(f, "  ticket:\n    median: %s\n", units_fmt_money(a, s->ticket_median_fen));
    fprintf(f, "    sigma: %s\n  hourly: ", units_fmt_number(a, s->ticket_sigma));
    write_list(f, s->hourly, 24);
    fputs("  weekday: ", f);
    write_list(f, s->weekday, 7);
    fprintf(f, "  topup: %s\n", units_fmt_money(a, s->topup_fen));
    fprintf(f, "  transfer_share: %s\n", units_fmt_number(a, s->transfer_share));
    fprintf(f, "  offline_share: %s\n", units_fmt_number(a, s->offline_share));
    fprintf(f, "  offline_sync: %s\nwallets:\n", units_fmt_duration(a, s->offline_sync_s));
    for (i = 0; i < WALLET_CLASSES; i++) {
        fprintf(f, "  class%zu: {", i + 1);
        write_limits(f, &s->wallet_classes[i]);
        fprintf(f, ", share: %s}\n", units_fmt_number(a, s->wallet_classes[i].share));
    }
    fputs("ledger:\n", f);
    write_service(f, "  ", &s->ledger);
    fputs("operators:\n", f);
    for (i = 0; i < s->n_operators; i++) {
        fputs("  ", f); write_str(f, s->operators[i].id);
        fputs(":\n    name: ", f); write_str(f, s->operators[i].name);
        fputc('\n', f);
        write_service(f, "    ", &s->operators[i].service);
    }
    fputs("cities:\n", f);
    for (i = 0; i < s->n_cities; i++) {
        const struct city_spec *ct = &s->cities[i];
        fputs("  ", f); write_str(f, ct->id);
        fputs(":\n    name: ", f); write_str(f, ct->name);
        fprintf(f, "\n    population: %lld\n    smartphone_share: %s\n    merchants: %lld\n",
                (long long)ct->population, units_fmt_number(a, ct->smartphone_share),
                (long long)ct->merchants);
        fprintf(f, "    pilot_start: %s\n", fmt_at(a, s, ct->pilot_start_s));
        fprintf(f, "    innovation: %s\n", units_fmt_number(a, ct->innovation));
        fprintf(f, "    imitation: %s\n", units_fmt_number(a, ct->imitation));
        fprintf(f, "    initial_wallets: %s\n", units_fmt_number(a, ct->initial_wallets));
        fprintf(f, "    initial_accepting: %s\n", units_fmt_number(a, ct->initial_accepting));
        fprintf(f, "    hardware_share: %s\n    operators: ", units_fmt_number(a, ct->hardware_share));
        write_shares(f, s, ct->operator_share);
    }
    fputs(s->n_interventions ? "interventions:\n" : "interventions: []\n", f);
    for (i = 0; i < s->n_interventions; i++)
        write_intervention(f, s, &s->interventions[i]);
    write_loadtest(f, &s->loadtest);
    fprintf(f, "outputs:\n  charts: %s\n", s->charts ? "true" : "false");
    return ferror(f) ? -1 : 0;
}
