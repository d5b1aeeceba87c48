/* test_scenario: the scenario loader end to end, without the binary.
 *
 * - round trip: load -> scenario_write -> load gives the same struct, field
 *   by field and bit for bit, for a scenario that sets every key to a
 *   non-default value (with hostile names) and for the shipped scenarios;
 *   every key of keys.c's tables is written, so a key added to a table needs
 *   no writer of its own;
 * - defaults, units through the schema, --set, extends (merge, order,
 *   chains, cycles, errors in a base file);
 * - hostile input built on the fly: size cap, node cap, key cap, chain cap,
 *   the 20-error cap, a directory, a missing file;
 * - the bad-input corpus, tests/bad/NAME.yaml: each file's first error line must
 *   start with its `# expect:` header (run from the repository root). */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scenario/keys.h"
#include "scenario/scenario.h"
#include "scenario/overlay.h"
#include "test.h"

static char tmpdir[64]; /* this run's scratch folder */

/* Write `text` to tmpdir/name and return the path (static: until the next call). */
static const char *put(const char *name, const char *text)
{
    static char path[4][256];
    static int k;
    char *p = path[k++ % 4];
    FILE *f;

    snprintf(p, 256, "%s/%s", tmpdir, name);
    if ((f = fopen(p, "w"))) {
        fputs(text, f);
        fclose(f);
    }
    return p;
}

/* Load with the error text captured; *errs is malloc'd (caller frees). */
static struct scenario *load(const char *path, const char *const *sets, size_t n, char **errs)
{
    size_t len;
    FILE *err = open_memstream(errs, &len);
    struct scenario *s = scenario_load(path, sets, n, err);

    fclose(err);
    return s;
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* Loading fails and the first error line starts with `want`. */
static void fails(const char *path, const char *const *sets, size_t n, const char *want,
                  const char *what)
{
    char *errs = NULL;
    struct scenario *s = load(path, sets, n, &errs);

    check(!s && !strncmp(errs, want, strlen(want)), "%s: error '%s'", what, want);
    if (s || strncmp(errs, want, strlen(want)))
        printf("#   got: %s", errs);
    scenario_free(s);
    free(errs);
}

#define MIN                                       \
    "name: t\nstart: 2020-04-01\nduration: 30d\n" \
    "operators: {icbc: {}, abc: {}}\ncities:\n  shenzhen: {population: 1000}\n"

/* A scenario with every key set, none to its default. */
static const char full[] =
    "# every key, no default\n"
    "name: \"Xiong'an \\\"雄安\\\": `rm -rf` \\\\ \\t tab, colon: x\"\n"
    "description: \"line one\\nline two \\u2028 \\x85 #not a comment\"\n"
    "seed: 18446744073709551615\n"
    "start: 2020-04-01T08:30:15\n"
    "duration: 1.5h\n"
    "step: 1250ms\n"
    "sample: 13\n"
    "adoption: {innovation: 0.03, imitation: 0.4, merchant_effect: 2.5, dormancy: 7d,\n"
    "           aware_boost: 4.5,\n"
    "           merchants: {innovation: 0.01, imitation: 0.9}}\n"
    "payments:\n"
    "  per_user_per_day: 2.25\n"
    "  ecny_preference: 33.3%\n"
    "  ticket: {median: 12.34, sigma: 0.7}\n"
    "  hourly: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,\n"
    "           21, 22, 23, 0]\n"
    "  weekday: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]\n"
    "  topup: 0.01\n"
    "  transfer_share: 15%\n"
    "  offline_share: 0.25\n"
    "  offline_sync: 90m\n"
    "wallets:\n"
    "  class1: {balance: 1000000, per_payment: unlimited, per_day: 0.01, share: 0.1}\n"
    "  class2: {share: 0.2}\n"
    "  class3: {balance: unlimited, share: 0.3}\n"
    "  class4: {per_day: 12.5, share: 0.4}\n"
    "ledger: {servers: 3, service_time: 7us, service_dist: deterministic, service_cv: 0,\n"
    "         timeout: 1m}\n"
    "operators:\n"
    "  icbc: {name: \"I:C\", servers: 5, service_time: 1.5ms, service_dist: lognormal,\n"
    "         service_cv: 2.5, timeout: 2s}\n"
    "  abc: {}\n"
    "  boc:\n"
    "cities:\n"
    "  shenzhen:\n"
    "    name: 深圳\n"
    "    population: 17560000\n"
    "    smartphone_share: 0.5\n"
    "    merchants: 700\n"
    "    pilot_start: 2019-12-31T23:59:59\n"
    "    innovation: 0.1\n"
    "    imitation: 0.2\n"
    "    initial_wallets: 0.01\n"
    "    initial_accepting: 2%\n"
    "    hardware_share: 0.125\n"
    "    operators: {icbc: 0.1, abc: 0.2, boc: 70%}\n"
    "  xiong-an_2: {population: 10}\n"
    "interventions:\n"
    "  - id: futian-2021\n"
    "    kind: lottery\n"
    "    city: shenzhen\n"
    "    envelopes: 100000\n"
    "    amount: [178, 238.5]\n"
    "    registration: {from: 2020-04-01T08:31, until: 2020-04-01T08:40}\n"
    "    propensity: 12%\n"
    "    spending: {from: 2020-04-01T08:40, until: 2020-04-01T10:00:15}\n"
    "    claim_share: 0.5\n"
    "    spend_rate: 1.25\n"
    "    ticket: {ratio: 0.99, sigma: 0.25}\n"
    "    merchants: 77\n"
    "    online_share: 45%\n"
    "    operators: {boc: 1}\n"
    "  - id: second\n"
    "    city: xiong-an_2\n"
    "    envelopes: 1\n"
    "    amount: 0.01\n"
    "    registration: {from: 2020-04-01T08:30:15, until: 2020-04-01T08:30:16}\n"
    "    spending: {from: 2020-04-01T08:30:16, until: 2020-04-01T10:00:15}\n"
    "  - {id: onboard, kind: merchant_campaign, city: shenzhen, merchants: 5, subsidy: 1000,\n"
    "     window: {from: 2020-04-01T09:00, until: 2020-04-01T09:30}}\n"
    "  - {id: pay, kind: salary, city: shenzhen, at: 2020-04-01T09:00, recipients: 3,\n"
    "     amount: 5000.5, every: 1.5d, until: 2020-04-01T09:45}\n"
    "  - {id: limits, kind: wallet_limits, at: 2020-04-01T09:10, class: 2, per_day: 7,\n"
    "     balance: unlimited}\n"
    "  - {id: join, kind: operator_joins, operator: abc, at: 2020-04-01T09:20}\n"
    "  - {id: rush, kind: peak, city: xiong-an_2, multiplier: 2.5,\n"
    "     window: {from: 2020-04-01T09:00, until: 2020-04-01T09:05}}\n"
    "  - {id: rushall, kind: peak, multiplier: 0.5,\n"
    "     window: {from: 2020-04-01T09:00, until: 2020-04-01T09:05}}\n"
    "  - {id: down, kind: outage, target: ledger, capacity: 10%,\n"
    "     window: {from: 2020-04-01T09:00, until: 2020-04-01T09:05}}\n"
    "  - {id: down2, kind: outage, target: icbc,\n"
    "     window: {from: 2020-04-01T09:00, until: 2020-04-01T09:05}}\n"
    "loadtest: {profile: \"spike:10:100:1m:30s\", interval: 5s, warmup: 0s,\n"
    "  slo: \"p99<500ms,failed<0.1%\", retries: {max: 0, backoff: 250ms, jitter: 0}}\n"
    "outputs: {charts: false}\n";

#define SAME(field)                                          \
    do {                                                     \
        if (memcmp(&a->field, &b->field, sizeof a->field)) { \
            printf("#   %s differs\n", #field);              \
            return 0;                                        \
        }                                                    \
    } while (0)
#define SAMESTR(field)                                                            \
    do {                                                                          \
        if (strcmp(a->field, b->field)) {                                         \
            printf("#   %s differs: '%s' vs '%s'\n", #field, a->field, b->field); \
            return 0;                                                             \
        }                                                                         \
    } while (0)
#define SAMEARR(field, n)                                                \
    do {                                                                 \
        if ((n) && memcmp(a->field, b->field, (n) * sizeof *a->field)) { \
            printf("#   %s differs\n", #field);                          \
            return 0;                                                    \
        }                                                                \
    } while (0)

static int same_service(const struct service *a, const struct service *b)
{
    SAME(servers);
    SAME(dist);
    SAME(mean_s);
    SAME(cv);
    SAME(timeout_s);
    return 1;
}

static int same_city(const struct city_spec *a, const struct city_spec *b, size_t nops)
{
    SAMESTR(id);
    SAMESTR(name);
    SAME(population);
    SAME(smartphone_share);
    SAME(merchants);
    SAME(pilot_start_s);
    SAME(innovation);
    SAME(imitation);
    SAME(initial_wallets);
    SAME(initial_accepting);
    SAME(hardware_share);
    SAMEARR(operator_share, nops);
    return 1;
}

static int same_intervention(const struct intervention *a, const struct intervention *b,
                             size_t nops)
{
    SAMESTR(id);
    SAME(kind);
    SAME(city);
    SAME(envelopes);
    SAME(n_amounts);
    SAMEARR(amounts_fen, a->n_amounts);
    SAME(registration_from_s);
    SAME(registration_until_s);
    SAME(propensity);
    SAME(spend_from_s);
    SAME(spend_until_s);
    SAME(claim_share);
    SAME(spend_rate);
    SAME(ticket_ratio);
    SAME(ticket_sigma);
    SAME(merchants);
    SAME(online_share);
    SAME(from_s);
    SAME(until_s);
    SAME(subsidy_fen);
    SAME(at_s);
    SAME(every_s);
    SAME(recipients);
    SAME(amount_fen);
    SAME(wallet_class);
    SAME(limits.balance_fen);
    SAME(limits.per_payment_fen);
    SAME(limits.per_day_fen);
    SAME(operator);
    SAME(multiplier);
    SAME(capacity);
    if (!a->operator_share != !b->operator_share)
        return 0;
    if (a->operator_share)
        SAMEARR(operator_share, nops);
    return 1;
}

/* Field by field, bit for bit (path aside: it names the file). */
static int same(const struct scenario *a, const struct scenario *b)
{
    size_t i;

    SAMESTR(name);
    SAMESTR(description);
    SAME(seed);
    SAME(start_unix);
    SAME(duration_s);
    SAME(step_s);
    SAME(sample);
    SAME(innovation);
    SAME(imitation);
    SAME(merchant_effect);
    SAME(dormancy_s);
    SAME(merchant_innovation);
    SAME(merchant_imitation);
    SAME(payments_per_day);
    SAME(ecny_preference);
    SAME(ticket_median_fen);
    SAME(ticket_sigma);
    SAME(hourly);
    SAME(weekday);
    SAME(topup_fen);
    SAME(charts);
    SAME(aware_boost);
    SAME(transfer_share);
    SAME(offline_share);
    SAME(offline_sync_s);
    SAME(wallet_classes);
    SAME(loadtest.interval_s);
    SAME(loadtest.warmup_s);
    SAME(loadtest.has_retries);
    SAME(loadtest.retries);
    if (!a->loadtest.profile != !b->loadtest.profile || !a->loadtest.slo != !b->loadtest.slo)
        return 0;
    if (a->loadtest.profile)
        SAMESTR(loadtest.profile);
    if (a->loadtest.slo)
        SAMESTR(loadtest.slo);
    if (!same_service(&a->ledger, &b->ledger))
        return 0;
    SAME(n_operators);
    SAME(n_cities);
    SAME(n_interventions);
    for (i = 0; i < a->n_operators; i++)
        if (strcmp(a->operators[i].id, b->operators[i].id) ||
            strcmp(a->operators[i].name, b->operators[i].name) ||
            !same_service(&a->operators[i].service, &b->operators[i].service))
            return 0;
    for (i = 0; i < a->n_cities; i++)
        if (!same_city(&a->cities[i], &b->cities[i], a->n_operators))
            return 0;
    for (i = 0; i < a->n_interventions; i++)
        if (!same_intervention(&a->interventions[i], &b->interventions[i], a->n_operators))
            return 0;
    return 1;
}

/* load(path) -> write -> load: equal; and writing again gives the same text. */
static void round_trip(const char *path, const char *what)
{
    char *errs = NULL, *text1 = NULL, *text2 = NULL;
    size_t len;
    struct scenario *a = load(path, NULL, 0, &errs), *b = NULL, *c = NULL;
    FILE *f;

    check(a != NULL, "%s loads", what);
    if (!a) {
        printf("#   %s", errs);
        free(errs);
        return;
    }
    f = open_memstream(&text1, &len);
    check(scenario_write(a, f) == 0, "%s: scenario_write succeeds", what);
    fclose(f);
    free(errs);
    b = load(put("rt.yaml", text1), NULL, 0, &errs);
    check(b != NULL, "%s: the written scenario loads", what);
    if (!b)
        printf("#   %s", errs);
    check(b && same(a, b), "%s: written and read back, every field is the same", what);
    free(errs);
    if (b) {
        f = open_memstream(&text2, &len);
        scenario_write(b, f);
        fclose(f);
        check(!strcmp(text1, text2), "%s: writing it again gives the same text", what);
        c = load(put("rt2.yaml", text2), NULL, 0, &errs);
        check(c && same(b, c), "%s: and reads back the same again", what);
        free(errs);
    }
    check(!strstr(text1, "extends"), "%s: the resolved scenario has no extends", what);
    scenario_free(a);
    scenario_free(b);
    scenario_free(c);
    free(text1);
    free(text2);
}

/* How many DIR/NAME.yaml there are: for the plan. */
static int count_yaml(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    while (d && (e = readdir(d))) {
        size_t len = strlen(e->d_name);
        n += len >= 6 && !strcmp(e->d_name + len - 5, ".yaml");
    }
    if (d)
        closedir(d);
    return n;
}

/* Every shipped scenario (scenarios/NAME.yaml, all runnable) loads and
 * round-trips; run from the repository root. */
static void round_trip_shipped(void)
{
    DIR *d = opendir("scenarios");
    struct dirent *e;
    char path[512];
    int n = 0;

    if (!d) {
        check(0, "scenarios/ opens (run from the repository root)");
        return;
    }
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".yaml"))
            continue;
        snprintf(path, sizeof path, "scenarios/%s", e->d_name);
        round_trip(path, path);
        n++;
    }
    closedir(d);
    check(n >= 1, "%d shipped scenarios round-trip", n);
}

/* Whether `key:` opens a line, a flow entry or a list item of text. */
static int has_key(const char *text, const char *key)
{
    size_t n = strlen(key);
    const char *p;

    for (p = strstr(text, key); p; p = strstr(p + 1, key))
        if (p > text && strchr(" {\n", p[-1]) && p[n] == ':')
            return 1;
    return 0;
}

/* Keys of t (and of the tables below it) that `text` does not write;
 * `end:` is never written (it stands for duration). */
static int keys_missing(const struct schema_table *t, const char *text)
{
    size_t i;
    int n = 0;

    for (i = 0; i < t->n; i++) {
        const struct schema_field *f = &t->fields[i];
        if (!strcmp(f->key, "end"))
            continue;
        if (!has_key(text, f->key)) {
            printf("#   key '%s' is not written\n", f->key);
            n++;
        }
        if (f->sub)
            n += keys_missing(f->sub, text);
    }
    return n;
}

/* The every-key scenario's written text holds every key of every table. */
static void every_key_written(const struct scenario *s)
{
    char *text = NULL;
    size_t len, k;
    int n;
    FILE *f = open_memstream(&text, &len);

    scenario_write(s, f);
    fclose(f);
    n = keys_missing(&keys_top, text);
    for (k = 0; keys_kind_names[k]; k++)
        n += keys_missing(&keys_kinds[k], text);
    check(n == 0, "every key of the tables is written (%d missing)", n);
    free(text);
}

static void test_round_trip(void)
{
    char *errs = NULL;
    struct scenario *s = load(put("full.yaml", full), NULL, 0, &errs);

    check(s != NULL, "the every-key scenario loads");
    if (!s) {
        printf("#   %s", errs);
        free(errs);
        return;
    }
    free(errs);
    check(!strcmp(s->name, "Xiong'an \"雄安\": `rm -rf` \\ \t tab, colon: x"), "hostile name kept");
    check(s->seed == UINT64_MAX, "seed 2^64-1");
    check(s->start_unix == 1585701015, "start with seconds, Shanghai time");
    check(s->duration_s == 5400 && s->step_s == 1.25 && s->sample == 13, "horizon, step, sample");
    check(s->ledger.mean_s == 7e-6 && s->ledger.timeout_s == 60, "7us and 1m");
    check(s->ticket_median_fen == 1234 && s->topup_fen == 1, "money in fen");
    check(s->ecny_preference == 0.333, "33.3%% is 0.333");
    check(s->hourly[0] * 276 == 24 && s->hourly[23] == 0, "hourly normalized to mean 1");
    check(s->cities[0].pilot_start_s == -(91 * 86400 + 30616), "pilot_start before start");
    check(s->cities[1].merchants == 1 && s->cities[1].smartphone_share == 0.86,
          "defaults: merchants at least 1, smartphone share 0.86");
    check(s->cities[0].operator_share[2] == 0.7, "70%% share");
    check(s->cities[1].operator_share[0] == 1.0 / 3, "default shares equal");
    check(!strcmp(s->operators[2].name, "boc") && s->operators[2].service.servers == 16,
          "an operator given as `boc:` takes the defaults");
    check(s->interventions[0].n_amounts == 2 && s->interventions[0].amounts_fen[1] == 23850,
          "amount list in fen");
    check(s->interventions[0].operator_share && s->interventions[0].operator_share[2] == 1,
          "intervention operator shares");
    check(!s->interventions[1].operator_share && s->interventions[1].city == 1 &&
              s->interventions[1].propensity == 0.11 && s->interventions[1].claim_share == 0.956,
          "intervention defaults");
    check(s->interventions[0].registration_from_s == 45 &&
              s->interventions[0].spend_until_s == 5400,
          "windows in seconds since start");
    check(!s->charts, "charts off");
    check(scenario_city(s, "xiong-an_2") == 1 && scenario_city(s, "nope") == -1 &&
              scenario_operator(s, "boc") == 2 && scenario_operator(s, "x") == -1,
          "id lookups");
    every_key_written(s);
    scenario_free(s);
    round_trip(put("full.yaml", full), "every-key scenario");
    round_trip(put("min.yaml", MIN), "minimal scenario");
    round_trip_shipped();
}

static void test_defaults(void)
{
    char *errs = NULL;
    struct scenario *s = load(put("min.yaml", MIN), NULL, 0, &errs);
    double sum = 0;
    int i;

    check(s != NULL, "minimal scenario loads");
    if (!s) {
        printf("#   %s", errs);
        free(errs);
        return;
    }
    for (i = 0; i < 24; i++)
        sum += s->hourly[i];
    check(sum > 23.999999 && sum < 24.000001, "default hourly has mean 1");
    check(s->hourly[3] < 0.2 && s->hourly[12] > 1.4 && s->hourly[19] > 1.4,
          "default hourly: quiet night, noon and evening peaks");
    check(s->seed == 1 && s->step_s == 86400 && s->sample == 1, "seed 1, step 1d, sample 1");
    check(s->payments_per_day == 1.6 && s->ecny_preference == 0.2 && s->ticket_median_fen == 5000 &&
              s->topup_fen == 10000,
          "payment defaults");
    check(s->ledger.servers == 64 && s->ledger.mean_s == 0.005 && s->ledger.timeout_s == 10,
          "ledger defaults");
    check(s->operators[0].service.servers == 16 && s->operators[0].service.mean_s == 0.02 &&
              !strcmp(s->operators[0].name, "icbc"),
          "operator defaults");
    check(s->cities[0].merchants == 25 && s->cities[0].pilot_start_s == 0 &&
              s->cities[0].innovation == 0.02,
          "city defaults");
    check(!strcmp(s->description, "") && s->charts == 1, "description empty, charts on");
    check(s->wallet_classes[3].balance_fen == 1000000 && s->wallet_classes[3].share == 1 &&
              s->wallet_classes[0].per_day_fen == LIMIT_NONE,
          "wallet classes: PBoC 2021 limits");
    scenario_free(s);
    free(errs);
    s = load(put("short.yaml", "name: t\nstart: 2020-04-01\nduration: 2h\n"
                               "operators: {a: {}}\ncities: {c: {population: 1}}\n"),
             NULL, 0, &errs);
    check(s && s->step_s == 7200, "a run shorter than a day gets one step");
    scenario_free(s);
    free(errs);
}

static void test_set(void)
{
    const char *ok[] = {"seed=7",
                        "cities.shenzhen.population=1000",
                        "interventions.futian-2021.envelopes=500",
                        "interventions.1.envelopes=3",
                        "payments.hourly.23=1",
                        "name=it's: a \"name\"",
                        "ledger.servers=9",
                        "cities.shenzhen.operators.icbc=0.3",
                        "cities.shenzhen.operators.boc=0.5"};
    const char *path = put("full.yaml", full);
    char *errs = NULL;
    struct scenario *s = load(path, ok, sizeof ok / sizeof *ok, &errs);

    check(s != NULL, "--set overrides load");
    if (!s) {
        printf("#   %s", errs);
        free(errs);
        return;
    }
    check(s->seed == 7, "--set seed=7");
    check(s->cities[0].population == 1000, "--set cities.shenzhen.population");
    check(s->interventions[0].envelopes == 500, "--set a list item by its id");
    check(s->interventions[1].envelopes == 3, "--set a list item by its index");
    check(s->hourly[23] > 0, "--set one hourly weight");
    check(!strcmp(s->name, "it's: a \"name\""), "--set value taken as plain text");
    check(s->ledger.servers == 9, "--set ledger.servers");
    check(s->cities[0].operator_share[0] == 0.3, "--set an operator share");
    scenario_free(s);
    free(errs);
    s = load(put("min.yaml", MIN), (const char *[]){"ledger.timeout=3s"}, 1, &errs);
    check(s && s->ledger.timeout_s == 3, "--set a key the file does not have");
    scenario_free(s);
    free(errs);

    fails(path, (const char *[]){"sede=7"}, 1,
          "--set:1:1: unknown key 'sede' (did you mean 'seed'?)", "--set unknown key");
    fails(path, (const char *[]){"seed=1", "ledger.servers=0"}, 2,
          "--set:2:16: ledger.servers: 0 is out of range", "second --set out of range");
    fails(path, (const char *[]){"cities.shenzen.population=3"}, 1,
          "--set:1:8: unknown city 'shenzen' (did you mean 'shenzhen'?)", "--set unknown city");
    fails(path, (const char *[]){"operators.icbd.servers=3"}, 1,
          "--set:1:11: unknown operator 'icbd' (did you mean 'icbc'?)", "--set unknown operator");
    fails(path, (const char *[]){"interventions.nope.envelopes=1"}, 1,
          "--set:1:15: no item with id 'nope' in 'interventions'", "--set unknown list id");
    fails(path, (const char *[]){"seed.x=1"}, 1, "--set:1:6: 'seed' is a single value",
          "--set through a value");
    fails(path, (const char *[]){"seed"}, 1, "--set:1:1: 'seed' has no key path",
          "--set without =");
    fails(path, (const char *[]){"seed="}, 1, "--set:1:6: seed: missing value",
          "--set empty value");
    fails(path, (const char *[]){"seed=abc"}, 1, "--set:1:6: seed: 'abc': not a non-negative",
          "--set bad value");
    fails(path, (const char *[]){"a..b=1"}, 1, "--set:1:3: empty step", "--set empty step");
    fails(path, (const char *[]){"name=a\x01"}, 1, "--set:1:1: not UTF-8 text or a control",
          "--set control character");
    fails(path, (const char *[]){"name=\xff"}, 1, "--set:1:1: not UTF-8 text", "--set bad UTF-8");
    fails(path, (const char *[]){"extends=x.yaml"}, 1, "--set:1:1: extends cannot be set",
          "--set extends");
}

/* An extending file's interventions merge with the base's by id. */
static void test_merge_by_id(void)
{
    char *errs = NULL, want[160];
    struct scenario *s;

    put("base/two.yaml", "name: t\nseed: 5\nstart: 2020-04-01\nduration: 10d\n"
                         "operators: {icbc: {}}\n"
                         "cities: {a: {population: 1000}}\ninterventions:\n"
                         "  - {id: x, kind: lottery, city: a, envelopes: 10, amount: 1,\n"
                         "     registration: {from: 2020-04-02, until: 2020-04-03},\n"
                         "     spending: {from: 2020-04-03, until: 2020-04-04}}\n"
                         "  - {id: y, kind: peak, multiplier: 2,\n"
                         "     window: {from: 2020-04-05, until: 2020-04-06}}\n");
    s = load(put("m1.yaml", "extends: base/two.yaml\ninterventions:\n"
                            "  - {id: x, spend_rate: 0.4, spending: {until: 2020-04-05}}\n"
                            "  - {id: z, kind: wallet_limits, at: 2020-04-02, class: 4,\n"
                            "     per_day: 100}\n"),
             NULL, 0, &errs);
    check(s && s->n_interventions == 3 && !strcmp(s->interventions[0].id, "x") &&
              !strcmp(s->interventions[1].id, "y") && !strcmp(s->interventions[2].id, "z"),
          "interventions merge by id: base order, then new ids");
    if (!s)
        printf("#   %s", errs);
    check(s && s->interventions[0].spend_rate == 0.4 && s->interventions[0].envelopes == 10 &&
              s->interventions[0].spend_until_s == 4 * 86400.0 &&
              s->interventions[0].spend_from_s == 2 * 86400.0,
          "one intervention's keys change, nested keys merge, the rest stay");
    scenario_free(s);
    free(errs);
    errs = NULL;
    s = load(put("m2.yaml", "extends: base/two.yaml\ninterventions:\n"
                            "  - {id: y, remove: true}\n"
                            "  - {id: x, kind: peak, multiplier: 3,\n"
                            "     window: {from: 2020-04-05, until: 2020-04-06}}\n"),
             NULL, 0, &errs);
    check(s && s->n_interventions == 1 && s->interventions[0].kind == INTERVENTION_PEAK,
          "remove drops a base item; another kind replaces it whole");
    if (!s)
        printf("#   %s", errs);
    scenario_free(s);
    free(errs);
    {
        double v = 0;
        int other = 1;
        const char *n1 = put("n1.yaml", "extends: m1.yaml\nlist: [5, 6]\nname: '7'\n");
        const char *sets[] = {"interventions.z.per_day=250"};
        check(overlay_number(n1, NULL, 0, "interventions.x.spend_rate", &v, &other) == 0 &&
                  v == 0.4 && !other,
              "overlay_number: an intervention's key, through the merge by id");
        check(overlay_number(n1, sets, 1, "interventions.z.per_day", &v, &other) == 0 && v == 250,
              "overlay_number: after the --set");
        check(overlay_number(n1, NULL, 0, "list.1", &v, &other) == 0 && v == 6 && other,
              "overlay_number: through another list, said");
        check(overlay_number(n1, NULL, 0, "ledger.servers", &v, &other) < 0 &&
                  overlay_number(n1, NULL, 0, "name", &v, &other) < 0,
              "overlay_number: absent (a default), or not a plain number");
    }
    snprintf(want, sizeof want, "%s/m3.yaml:3:5: interventions item without an id", tmpdir);
    fails(put("m3.yaml", "extends: base/two.yaml\ninterventions:\n  - {spend_rate: 0.4}\n"), NULL,
          0, want, "an item without id over a base list");
    snprintf(want, sizeof want, "%s/m4.yaml:4:5: duplicate id 'x'", tmpdir);
    fails(put("m4.yaml", "extends: base/two.yaml\ninterventions:\n  - {id: x, amount: 2}\n"
                         "  - {id: x, amount: 3}\n"),
          NULL, 0, want, "an id twice in the extending list");
    snprintf(want, sizeof want, "%s/m5.yaml:3:5: remove: no item 'w'", tmpdir);
    fails(put("m5.yaml", "extends: base/two.yaml\ninterventions:\n  - {id: w, remove: true}\n"),
          NULL, 0, want, "removing an id the base lacks");
    snprintf(want, sizeof want, "%s/m6.yaml:3:13: remove: only `remove: true`", tmpdir);
    fails(put("m6.yaml", "extends: base/two.yaml\ninterventions:\n  - {id: x, remove: yes}\n"),
          NULL, 0, want, "remove with another value");
}

static void test_extends(void)
{
    char *errs = NULL, sub[128];
    struct scenario *s;
    int i;

    snprintf(sub, sizeof sub, "%s/base", tmpdir);
    mkdir(sub, 0777);
    put("base/root.yaml", "seed: 5\nstart: 2020-04-01\nledger: {servers: 7, timeout: 3s}\n"
                          "operators: {icbc: {servers: 2}, abc: {}}\n"
                          "interventions: [{id: x, city: a, envelopes: 1, amount: 1,\n"
                          "  registration: {from: 2020-04-02, until: 2020-04-03},\n"
                          "  spending: {from: 2020-04-03, until: 2020-04-04}}]\n"
                          "cities: {a: {population: 10}}\n");
    put("base/mid.yaml", "# the middle of a chain\nextends: root.yaml\nduration: 10d\n"
                         "operators: {ccb: {}, icbc: {name: ICBC}}\n");
    s = load(put("top.yaml", "extends: base/mid.yaml\nname: top\nledger: {servers: 9}\n"
                             "interventions: []\ncities: {b: {population: 20}}\n"),
             NULL, 0, &errs);
    check(s != NULL, "a chain of three files loads");
    if (!s)
        printf("#   %s", errs);
    free(errs);
    if (s) {
        check(s->seed == 5 && s->duration_s == 864000 && !strcmp(s->name, "top"),
              "keys from every file of the chain");
        check(s->ledger.servers == 9 && s->ledger.timeout_s == 3, "mappings merge key by key");
        check(s->n_operators == 3 && !strcmp(s->operators[0].id, "icbc") &&
                  !strcmp(s->operators[2].id, "ccb"),
              "base order, then new keys");
        check(s->operators[0].service.servers == 2 && !strcmp(s->operators[0].name, "ICBC"),
              "a nested mapping merges too");
        check(s->n_interventions == 0, "a sequence replaces");
        check(s->n_cities == 2, "cities merge");
    }
    scenario_free(s);

    test_merge_by_id();

    put("base/bad.yaml", "name: x\npopulaton: 1\n");
    fails(put("e1.yaml", "extends: base/bad.yaml\n"), NULL, 0, "", "error in a base file");
    snprintf(sub, sizeof sub, "%s/base/bad.yaml:2:1: unknown key 'populaton'", tmpdir);
    fails(put("e1.yaml", "extends: base/bad.yaml\n"), NULL, 0, sub, "names the base file");
    put("base/cyc.yaml", "extends: ../e2.yaml\n");
    snprintf(sub, sizeof sub, "%s/base/cyc.yaml:1:10: extends cycle: ", tmpdir);
    fails(put("e2.yaml", "extends: base/cyc.yaml\n"), NULL, 0, sub, "a cycle");
    snprintf(sub, sizeof sub, "%s/e3.yaml:2:10: extends: cannot read", tmpdir);
    fails(put("e3.yaml", "name: x\nextends: nope.yaml\n"), NULL, 0, sub, "a missing base");
    for (i = 0; i < 17; i++) { /* c0 extends c1 ... c16 */
        char name[32], text[64];
        snprintf(name, sizeof name, "c%d.yaml", i);
        snprintf(text, sizeof text, i < 16 ? "extends: c%d.yaml\n" : "name: x\n", i + 1);
        put(name, text);
    }
    snprintf(sub, sizeof sub, "%s/c15.yaml:1:10: extends: chain longer than 16", tmpdir);
    fails(put("c0.yaml", "extends: c1.yaml\n"), NULL, 0, sub, "a chain of 17 files");
}

/* Write `n` bytes made by `gen` into a file; return its path. */
static const char *put_big(const char *name, size_t n, int kind)
{
    static char path[256];
    FILE *f;
    size_t i;

    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    if (!(f = fopen(path, "w")))
        return path;
    if (kind == 0)
        for (i = 0; i < n; i++)
            fputc(i % 80 ? '#' : '\n', f);
    if (kind == 1) {
        fputs("x: [", f);
        for (i = 0; i < n; i++)
            fputs("1,", f);
        fputs("]\n", f);
    }
    if (kind == 2)
        for (i = 0; i < n; i++)
            fprintf(f, "k%zu: 1\n", i);
    if (kind == 3)
        for (i = 0; i < n; i++)
            fprintf(f, "k%zu: 1\n", i % 30);
    fclose(f);
    return path;
}

static void test_hostile(void)
{
    char want[300], *errs = NULL;
    struct scenario *s;

    snprintf(want, sizeof want, "%s/big.yaml: cannot read scenario: larger than 16 MiB", tmpdir);
    fails(put_big("big.yaml", (16u << 20) + 1, 0), NULL, 0, want, "a file over 16 MiB");
    snprintf(want, sizeof want, "%s: cannot read scenario: Is a directory", tmpdir);
    fails(tmpdir, NULL, 0, want, "a directory");
    snprintf(want, sizeof want, "%s/none.yaml: cannot read scenario: No such file", tmpdir);
    snprintf(want + 200, 100, "%s/none.yaml", tmpdir);
    fails(want + 200, NULL, 0, want, "a missing file");
    snprintf(want, sizeof want, "%s/nodes.yaml:1:", tmpdir);
    fails(put_big("nodes.yaml", 200001, 1), NULL, 0, want, "more than 200000 values");
    snprintf(want, sizeof want, "%s/keys.yaml:1:1: mapping with 1025 keys", tmpdir);
    fails(put_big("keys.yaml", 1025, 2), NULL, 0, want, "more than 1024 keys");
    s = load(put("bom.yaml", "\xEF\xBB\xBF" MIN), NULL, 0, &errs);
    check(s != NULL, "a UTF-8 byte order mark is dropped, as editors do");
    if (!s)
        printf("#   %s", errs);
    scenario_free(s);
    free(errs);
    snprintf(want, sizeof want, "%s/bom2.yaml:1:8: YAML syntax error", tmpdir);
    fails(put("bom2.yaml", "\xEF\xBB\xBF"
                           "a: [1, }\n"),
          NULL, 0, want, "columns after a byte order mark");
    snprintf(want, sizeof want, "%s/mb.yaml:1:9: invalid leading UTF-8 octet", tmpdir);
    fails(put("mb.yaml", "name: \xE9\x9B\x84\xE5\xAE\x89\xFF\n"), NULL, 0, want,
          "a reader error's column counts characters, not bytes");
    snprintf(want, sizeof want, "%s/crlf.yaml:2:4: invalid leading UTF-8 octet", tmpdir);
    fails(put("crlf.yaml", "a: 1\r\nb: \xFF\r\n"), NULL, 0, want,
          "a reader error's line counts CRLF as one break");
    snprintf(want, sizeof want, "%s/nel.yaml:2:2: invalid leading UTF-8 octet", tmpdir);
    fails(put("nel.yaml", "a: [1,\xC2\x85 \xFF]\n"), NULL, 0, want,
          "NEL is a line break, as libyaml counts it");
    s = load(put_big("many.yaml", 100, 3), NULL, 0, &errs);
    check(!s && count_lines(errs) == 20, "at most 20 errors are printed (got %d)",
          count_lines(errs));
    free(errs);
}

/* Every tests/bad/NAME.yaml: its first error line starts with its `# expect:`. */
static void test_corpus(void)
{
    DIR *d = opendir("tests/bad");
    struct dirent *e;
    int n = 0;

    if (!d) {
        check(0, "tests/bad opens (run from the repository root)");
        return;
    }
    while ((e = readdir(d))) {
        char path[512], line[512], want[1100], args[512] = "";
        const char *sets[8];
        size_t ns = 0, len = strlen(e->d_name);
        FILE *f;
        char *tok, *save;
        if (len < 6 || strcmp(e->d_name + len - 5, ".yaml"))
            continue;
        snprintf(path, sizeof path, "tests/bad/%s", e->d_name);
        if (!(f = fopen(path, "r")))
            continue;
        want[0] = '\0';
        while (fgets(line, sizeof line, f) && line[0] == '#') {
            line[strcspn(line, "\n")] = '\0';
            if (!strncmp(line, "# expect: ", 10)) {
                const char *x = line + 10;
                if (x[0] >= '0' && x[0] <= '9')
                    snprintf(want, sizeof want, "%s:%s", path, x);
                else if (!strncmp(x, "--set:", 6) || x[0] == '/')
                    snprintf(want, sizeof want, "%s", x);
                else
                    snprintf(want, sizeof want, "tests/bad/%s", x);
            }
            if (!strncmp(line, "# args: ", 8))
                snprintf(args, sizeof args, "%s", line + 8);
        }
        fclose(f);
        for (tok = strtok_r(args, " ", &save); tok && ns < 8; tok = strtok_r(NULL, " ", &save))
            if (strcmp(tok, "--set"))
                sets[ns++] = tok;
        check(want[0], "%s has an # expect: header", path);
        if (want[0])
            fails(path, sets, ns, want, path);
        n++;
    }
    closedir(d);
    check(n >= 40, "the corpus has %d bad scenarios", n);
}

int main(void)
{
    char cmd[128];

    /* round_trip runs 7 checks on each shipped scenario, test_corpus 2 on
     * each bad one; the rest is fixed. */
    test_plan(7 * count_yaml("scenarios") + 2 * count_yaml("tests/bad") + 105);

    snprintf(tmpdir, sizeof tmpdir, "/tmp/test_scenario.XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_round_trip();
    test_defaults();
    test_set();
    test_extends();
    test_hostile();
    test_corpus();
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd))
        printf("# could not remove %s\n", tmpdir);
    return test_done();
}
