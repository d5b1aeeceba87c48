/* scenario_write.c: the resolved scenario as YAML (see scenario.h).
 *
 * Every key is written, defaults included, without `extends`, in the units
 * scenario_load reads: doubles in their shortest form that reads back to the
 * same bits, durations in seconds, dates as YYYY-MM-DDTHH:MM:SS in Shanghai
 * time, money as yuan with two decimals, every string double-quoted with
 * escapes. Loading the output gives back the same struct, field by field. */
#include "scenario.h"

#include <math.h>
#include <string.h>

#include "units.h"

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

/* A date given as seconds since start; loaded dates are whole seconds. */
static char *fmt_at(char *buf, const struct scenario *s, double at)
{
    return units_fmt_date(buf, s->start_unix + (int64_t)llround(at));
}

/* Keys in the order of docs/scenarios.md, two-space indents; ids and names
 * always quoted (an id like `null` or `-` would otherwise read differently).
 * stdio errors are sticky, so one ferror at the end catches them all. */
int scenario_write(const struct scenario *s, FILE *f)
{
    char a[UNITS_BUF], b[UNITS_BUF], c[UNITS_BUF];
    size_t i, k;

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
    fprintf(f, "  merchants:\n    innovation: %s\n", units_fmt_number(a, s->merchant_innovation));
    fprintf(f, "    imitation: %s\n", units_fmt_number(a, s->merchant_imitation));
    fprintf(f, "payments:\n  per_user_per_day: %s\n", units_fmt_number(a, s->payments_per_day));
    fprintf(f, "  ecny_preference: %s\n", units_fmt_number(a, s->ecny_preference));
    fprintf(f, "  ticket:\n    median: %s\n", units_fmt_money(a, s->ticket_median_fen));
    fprintf(f, "    sigma: %s\n  hourly: ", units_fmt_number(a, s->ticket_sigma));
    write_list(f, s->hourly, 24);
    fputs("  weekday: ", f);
    write_list(f, s->weekday, 7);
    fprintf(f, "  topup: %s\nledger:\n", units_fmt_money(a, s->topup_fen));
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
        fprintf(f, "    imitation: %s\n    operators: ", units_fmt_number(a, ct->imitation));
        write_shares(f, s, ct->operator_share);
    }
    fputs(s->n_interventions ? "interventions:\n" : "interventions: []\n", f);
    for (i = 0; i < s->n_interventions; i++) {
        const struct intervention *iv = &s->interventions[i];
        fputs("  - id: ", f); write_str(f, iv->id);
        fputs("\n    kind: lottery\n    city: ", f); write_str(f, s->cities[iv->city].id);
        fprintf(f, "\n    envelopes: %lld\n    amount: ", (long long)iv->envelopes);
        for (k = 0; k < iv->n_amounts; k++)
            fprintf(f, "%s%s", k ? ", " : "[", units_fmt_money(a, iv->amounts_fen[k]));
        fprintf(f, "]\n    registration: {from: %s, until: %s}\n",
                fmt_at(a, s, iv->registration_from_s), fmt_at(b, s, iv->registration_until_s));
        fprintf(f, "    propensity: %s\n", units_fmt_number(a, iv->propensity));
        fprintf(f, "    spending: {from: %s, until: %s}\n", fmt_at(a, s, iv->spend_from_s),
                fmt_at(b, s, iv->spend_until_s));
        fprintf(f, "    claim_share: %s\n", units_fmt_number(a, iv->claim_share));
        fprintf(f, "    spend_rate: %s\n", units_fmt_number(a, iv->spend_rate));
        fprintf(f, "    ticket: {median: %s, sigma: %s}\n",
                units_fmt_money(a, iv->ticket_median_fen), units_fmt_number(b, iv->ticket_sigma));
        if (iv->operator_share) {          /* absent means the city's shares */
            fputs("    operators: ", f);
            write_shares(f, s, iv->operator_share);
        }
    }
    fprintf(f, "outputs:\n  charts: %s\n", s->charts ? "true" : "false");
    return ferror(f) ? -1 : 0;
}
