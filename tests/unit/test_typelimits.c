/* test_typelimits: typelimits_check on scenarios built by hand, at each limit and
 * one step beyond, including those the loader's other bounds keep out of a
 * YAML file (a horizon past the 16-bit day counters): the types must be
 * safe on their own. And the model's checked sums and its saturated day. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/calendar.h"
#include "model/money.h"
#include "scenario/scenario.h"
#include "scenario/typelimits.h"
#include "test.h"

#define TOWN                                                                           \
    "name: t\nstart: 2021-01-04\nduration: 30d\nsample: 10\n"                          \
    "operators: {bank: {}}\n"                                                          \
    "cities:\n  town: {population: 2000000}\n"                                         \
    "interventions:\n"                                                                 \
    "  - {id: wages, kind: salary, city: town, at: 2021-01-05, recipients: 2000000,\n" \
    "     amount: 3000, every: 1d}\n"                                                  \
    "  - {id: draw, kind: lottery, city: town, envelopes: 1000, amount: 200,\n"        \
    "     registration: {from: 2021-01-05, until: 2021-01-06},\n"                      \
    "     spending: {from: 2021-01-07, until: 2021-01-20}}\n"

static struct scenario *load_text(const char *yaml)
{
    char path[] = "/tmp/pilotsim-limits-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f)
        return NULL;
    fputs(yaml, f);
    fclose(f);
    struct scenario *s = scenario_load(path, NULL, 0, stderr);
    unlink(path);
    return s;
}

struct seen { /* the last failure reported */
    int n;
    long iv;
    char key[64], msg[800];
};

static void record(void *ctx, long iv, const char *key, const char *message)
{
    struct seen *w = ctx;
    w->n++;
    w->iv = iv;
    snprintf(w->key, sizeof w->key, "%s", key);
    snprintf(w->msg, sizeof w->msg, "%s", message);
}

static struct seen run_check(const struct scenario *s)
{
    struct seen w = {0, -2, "", ""};
    typelimits_check(s, record, &w);
    return w;
}

/* The horizon against the day counters: 65,000 days pass, one more does
 * not (the loader's 100-year bound keeps such a file out on its own). */
static void test_days(struct scenario *s)
{
    double was = s->duration_s;
    s->duration_s = TYPELIMITS_MAX_DAYS * 86400.0;
    struct seen w = run_check(s);
    check(w.n == 0, "a horizon of 65000 days fits the day counters (%s)", w.msg);
    s->duration_s = (TYPELIMITS_MAX_DAYS + 1) * 86400.0;
    w = run_check(s);
    check(w.n == 1 && !strcmp(w.key, "duration") && strstr(w.msg, "at most 65000d"),
          "65001 days is refused at duration, with the limit: %s", w.msg);
    s->duration_s = was;
}

static void test_sample(struct scenario *s)
{
    double was = s->sample;
    s->sample = 10.5;
    struct seen w = run_check(s);
    check(w.n == 1 && !strcmp(w.key, "sample") && strstr(w.msg, "not a whole number"),
          "sample 10.5 is refused: %s", w.msg);
    s->sample = 1e10;
    w = run_check(s);
    check(w.n == 0, "sample 1e10 is accepted (%s)", w.msg);
    s->sample = 1e10 + 1;
    w = run_check(s);
    check(w.n == 1 && strstr(w.msg, "out of range"), "sample 1e10 + 1 is refused: %s", w.msg);
    s->sample = was;
}

/* uint32 ids: the sum of round(population / sample) over the cities. */
static void test_simulated(struct scenario *s)
{
    int64_t was = s->cities[0].population;
    double k = s->sample;
    s->sample = 1;
    s->cities[0].population = 4294967294;
    struct seen w = run_check(s);
    check(w.n == 0, "4294967294 simulated people fit (%s)", w.msg);
    s->cities[0].population = 4294967295;
    w = run_check(s);
    check(w.n >= 1 && !strcmp(w.key, "sample") && strstr(w.msg, "a sample of at least 2"),
          "one more is refused, with the sample that would do: %s", w.msg);
    s->cities[0].population = was;
    s->sample = k;
}

/* The ticket's tail: median x e^(8 sigma) at the cut passes, beyond fails;
 * the lottery's amount x ratio x e^(8 sigma) likewise. */
static void test_tails(struct scenario *s)
{
    double was = s->ticket_sigma;
    s->ticket_sigma = log(TYPELIMITS_MAX_TICKET_FEN / (double)s->ticket_median_fen) / 8 * 0.999999;
    struct seen w = run_check(s);
    check(w.n == 0, "a sigma just inside the cut passes (%s)", w.msg);
    s->ticket_sigma = log(TYPELIMITS_MAX_TICKET_FEN / (double)s->ticket_median_fen) / 8 * 1.000001;
    w = run_check(s);
    check(w.n == 1 && !strcmp(w.key, "payments.ticket") && strstr(w.msg, "100000000000 yuan"),
          "just beyond is refused at payments.ticket, with the cut: %s", w.msg);
    s->ticket_sigma = was;
    struct intervention *iv = &s->interventions[1];
    double ratio = iv->ticket_ratio;
    iv->ticket_ratio = TYPELIMITS_MAX_TICKET_FEN / (20000.0 * exp(8 * iv->ticket_sigma)) * 0.999999;
    w = run_check(s);
    check(w.n == 0, "a lottery ratio just inside the cut passes (%s)", w.msg);
    iv->ticket_ratio *= 1.00001;
    w = run_check(s);
    check(w.n == 1 && w.iv == 1 && !strcmp(w.key, "ticket"),
          "just beyond is refused at the lottery's ticket: %s", w.msg);
    iv->ticket_ratio = ratio;
}

/* The budget: a salary that pays more than 2^62 fen over the run is
 * refused at its amount, and the amount the message offers passes. */
static void test_budget(struct scenario *s)
{
    struct intervention *iv = &s->interventions[0];
    int64_t was = iv->amount_fen;
    iv->amount_fen = 100000000000; /* 1e9 yuan, 2e6 recipients, 25 times */
    struct seen w = run_check(s);
    check(w.n == 1 && w.iv == 0 && !strcmp(w.key, "amount") && strstr(w.msg, "2^62 fen"),
          "a salary of 1e9 yuan to two million people daily is refused: %s", w.msg);
    const char *at = strstr(w.msg, "at most "), *hint = at ? strstr(at + 8, "at most ") : NULL;
    double yuan = hint ? strtod(hint + 8, NULL) : 0;
    iv->amount_fen = (int64_t)llround(yuan * 100);
    w = run_check(s);
    check(yuan > 0 && w.n == 0, "the %.2f yuan it offers instead passes (%s)", yuan, w.msg);
    iv->amount_fen += 100000;
    w = run_check(s);
    check(w.n == 1, "1000 yuan more does not");
    iv->amount_fen = was;
}

/* The model's checked sums: an add or a scaling beyond int64 sets the
 * overflow flag, and stores no undefined value. */
static void test_checked(void)
{
    struct money_book b;
    memset(&b, 0, sizeof b);
    b.sample = 3;
    int64_t sum = INT64_MAX - 5;
    money_add(&b, &sum, 5);
    check(!b.overflow && sum == INT64_MAX, "INT64_MAX - 5 + 5 fits");
    money_add(&b, &sum, 1);
    check(b.overflow, "one fen more overflows, and says so");
    b.overflow = 0;
    check(money_scale(&b, INT64_MAX / 3) == INT64_MAX / 3 * 3 && !b.overflow,
          "scaling by a whole sample is exact");
    money_scale(&b, INT64_MAX / 3 + 1);
    check(b.overflow, "a scaling beyond int64 says so");
    check(calendar_day(TYPELIMITS_MAX_DAYS * 86400.0) == TYPELIMITS_MAX_DAYS &&
              calendar_day(1e300) == TYPELIMITS_MAX_DAYS && calendar_day(-5) == 0,
          "the day counter saturates instead of wrapping");
}

int main(void)
{
    test_plan(21);
    struct scenario *s = load_text(TOWN);
    check(s != NULL, "the town loads");
    if (s) {
        struct seen w = run_check(s);
        check(w.n == 0, "and is within every limit (%s)", w.msg);
        test_days(s);
        test_sample(s);
        test_simulated(s);
        test_tails(s);
        test_budget(s);
    }
    scenario_free(s);
    test_checked();
    return test_done();
}
