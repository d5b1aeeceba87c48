/* typelimits.c: the checks of typelimits.h, on a scenario that is otherwise valid.
 *
 * The money a run can move is bounded from above, source by source, in
 * real-population fen and in doubles (an overflow to infinity is simply a
 * value beyond the budget):
 *   regular payments  people with a smartphone x per_user_per_day x
 *                     ecny_preference x 2 when people differ (activity)
 *                     x the highest hourly and weekday
 *                     weights x the highest product of overlapping peaks x
 *                     days, each payment a mean ticket and at most one
 *                     top-up step beyond it;
 *   a lottery         its envelopes x the largest amount, and what their
 *                     spending can draw at spend_rate over its window, each
 *                     payment the envelope's mean ticket plus a top-up step;
 *   a salary          recipients x amount x the number of pay days;
 *   a campaign        merchants x subsidy;
 *   corporate wallets every corporate holding one from the start (when
 *                     any can open one) x per_wallet_per_day x the highest
 *                     hourly and weekday weights x days x a mean ticket.
 * Counts are rounded up to a multiple of `sample`, the most the sampled
 * model can report. Every flow counter (issued, redeemed, the value of
 * payments, an intervention's sums) and every balance is at most this sum,
 * since money leaves wallets only after it came in and a payment's value
 * is its ticket. */
#include "scenario/typelimits.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "scenario/reach.h"
#include "scenario/units.h"

#define DAY_S 86400.0

struct checker {
    const struct scenario *s;
    typelimits_fail_fn fail;
    void *ctx;
    int n; /* failures reported */
};

static void fail(struct checker *c, long iv, const char *key, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
static void fail(struct checker *c, long iv, const char *key, const char *fmt, ...)
{
    char msg[768];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    c->fail(c->ctx, iv, key, msg);
    c->n++;
}

/* Yuan of a double count of fen, for messages ("1.5e+20" when huge). */
static char *yuan(char *buf, double fen)
{
    if (fabs(fen) < 1e17)
        units_fmt_money(buf, (int64_t)llround(fen));
    else
        snprintf(buf, UNITS_BUF, "%.3g", fen / 100);
    return buf;
}

/* A count for messages: digits, or "1.5e+20" when huge. */
static char *count(char *buf, double n)
{
    snprintf(buf, UNITS_BUF, n < 1e15 ? "%.0f" : "%.3g", n);
    return buf;
}

/* A real count as the sampled model can report it: a whole number of
 * simulated units (sim_count rounds up at most) times the sample. */
static double sampled(double count, double k)
{
    return ceil(count / k) * k;
}

/* `sample` is a whole number: a count or a sum of fen scaled by it stays
 * an integer computed exactly, so the reported flows and the reported
 * stock agree to the fen (with k = 1.5 each would be rounded on its own). */
static void check_sample(struct checker *c)
{
    char a[UNITS_BUF];
    double k = c->s->sample;

    if (k != floor(k))
        fail(c, -1, "sample",
             "%s is not a whole number (expected an integer from 1 to "
             "10000000000: counts and fen are scaled by it exactly)",
             units_fmt_number(a, k));
    else if (k > TYPELIMITS_MAX_SAMPLE)
        fail(c, -1, "sample", "%s is out of range (expected an integer from 1 to 10000000000)",
             units_fmt_number(a, k));
}

/* Days since the start are 16-bit counters (a wallet's last payment and
 * spending day, a merchant's first day of acceptance). */
static void check_days(struct checker *c)
{
    char a[UNITS_BUF];
    double days = c->s->duration_s / DAY_S;

    if (days > TYPELIMITS_MAX_DAYS)
        fail(c, -1, "duration",
             "%s days is longer than the model's day counters hold "
             "(expected at most 65000d, about 178 years)",
             units_fmt_number(a, days));
}

/* Simulated people and merchants (one online marketplace a city) are
 * uint32 ids: model.c gives each city round(count / sample) of them. */
static void check_simulated(struct checker *c)
{
    const struct scenario *s = c->s;
    double people = 0, merchants = 0, real = 0;
    size_t i;

    for (i = 0; i < s->n_cities; i++) {
        double m = round((double)s->cities[i].merchants / s->sample);
        people += round((double)s->cities[i].population / s->sample);
        merchants += (m > 1 ? m : 1) + 1;
        real += (double)s->cities[i].population + (double)s->cities[i].merchants;
    }
    if (people > TYPELIMITS_MAX_SIMULATED || merchants > TYPELIMITS_MAX_SIMULATED)
        fail(c, -1, "sample",
             "%.0f simulated people and %.0f merchants at sample %.0f "
             "(expected at most 4294967294 of each, 32-bit ids: a sample of at least %.0f)",
             people, merchants, s->sample,
             ceil(real / (TYPELIMITS_MAX_SIMULATED - 2.0 * (double)s->n_cities)));
}

/* A lognormal ticket of this median and sigma, the one at `key`: its cut
 * must lie TYPELIMITS_TAIL_SIGMAS standard deviations up or more. */
static void check_tail(struct checker *c, const char *key, int64_t median_fen, double sigma)
{
    char a[UNITS_BUF], b[UNITS_BUF], h[96];
    double tail = (double)median_fen * exp(TYPELIMITS_TAIL_SIGMAS * sigma);

    if (tail <= TYPELIMITS_MAX_TICKET_FEN)
        return;
    double median = floor(TYPELIMITS_MAX_TICKET_FEN / exp(TYPELIMITS_TAIL_SIGMAS * sigma));
    h[0] = '\0';
    if (median >= 1)
        snprintf(h, sizeof h, ", or a median of at most %s yuan with this sigma", yuan(a, median));
    fail(c, -1, key,
         "a median of %s yuan with sigma %g puts a ticket 8 "
         "standard deviations up at %s yuan (expected median x e^(8 x sigma) at most "
         "100000000000 yuan, where a drawn ticket is cut: sigma at most %.4g with this "
         "median%s)",
         units_fmt_money(a, median_fen), sigma, yuan(b, tail),
         log(TYPELIMITS_MAX_TICKET_FEN / (double)median_fen) / TYPELIMITS_TAIL_SIGMAS, h);
}

/* A drawn ticket is cut at TYPELIMITS_MAX_TICKET_FEN; the scenario must put the
 * cut TYPELIMITS_TAIL_SIGMAS standard deviations above the median or more. */
static void check_tails(struct checker *c)
{
    const struct scenario *s = c->s;
    char a[UNITS_BUF], b[UNITS_BUF], h[96];
    double tail;
    size_t i, j;

    check_tail(c, "payments.ticket", s->ticket_median_fen, s->ticket_sigma);
    check_tail(c, "payments.corporate.ticket", s->corp_ticket_median_fen, s->corp_ticket_sigma);
    for (i = 0; i < s->n_interventions; i++) {
        const struct intervention *iv = &s->interventions[i];
        double most = 0, spread;
        if (iv->kind != INTERVENTION_LOTTERY)
            continue;
        for (j = 0; j < iv->n_amounts; j++)
            if ((double)iv->amounts_fen[j] > most)
                most = (double)iv->amounts_fen[j];
        spread = exp(TYPELIMITS_TAIL_SIGMAS * iv->ticket_sigma);
        tail = most * iv->ticket_ratio * spread;
        if (tail <= TYPELIMITS_MAX_TICKET_FEN)
            continue;
        if (most * iv->ticket_ratio < TYPELIMITS_MAX_TICKET_FEN)
            snprintf(h, sizeof h, "sigma at most %.4g with this ratio, or ",
                     log(TYPELIMITS_MAX_TICKET_FEN / (most * iv->ticket_ratio)) /
                         TYPELIMITS_TAIL_SIGMAS);
        else
            h[0] = '\0';
        fail(c, (long)i, "ticket",
             "ratio %g and sigma %g on an envelope of %s yuan put a "
             "ticket 8 standard deviations up at %s yuan (expected amount x ratio x e^(8 x "
             "sigma) at most 100000000000 yuan, where a drawn ticket is cut: %sa ratio of at "
             "most %.4g with this sigma)",
             iv->ticket_ratio, iv->ticket_sigma, yuan(a, most), yuan(b, tail), h,
             TYPELIMITS_MAX_TICKET_FEN / (most * spread));
    }
}

/* ---- the money a run can move ---- */

struct edge {
    double t, log_m;
};

static int edge_cmp(const void *pa, const void *pb)
{
    const struct edge *a = pa, *b = pb;
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    return a->log_m < b->log_m ? -1 : a->log_m > b->log_m; /* ends before starts */
}

/* The highest product of peak multipliers in force at one time, as if
 * every peak were in every city; multipliers below 1 count as 1. Returns
 * -1 when out of memory. */
static double peak_most(const struct scenario *s)
{
    struct edge *e = malloc((2 * s->n_interventions + 1) * sizeof *e);
    double sum = 0, most = 0;
    size_t i, n = 0;

    if (!e)
        return -1;
    for (i = 0; i < s->n_interventions; i++) {
        const struct intervention *iv = &s->interventions[i];
        if (iv->kind != INTERVENTION_PEAK || iv->multiplier <= 1)
            continue;
        e[n++] = (struct edge){iv->from_s, log(iv->multiplier)};
        e[n++] = (struct edge){iv->until_s, -log(iv->multiplier)};
    }
    qsort(e, n, sizeof *e, edge_cmp);
    for (i = 0; i < n; i++) {
        sum += e[i].log_m;
        if (sum > most)
            most = sum;
    }
    free(e);
    return exp(most);
}

static double max_of(const double *w, size_t n)
{
    double m = 0;
    size_t i;

    for (i = 0; i < n; i++)
        if (w[i] > m)
            m = w[i];
    return m;
}

struct source {     /* the largest source of money so far */
    double fen;     /* what it can move */
    double per_fen; /* fen moved per fen of its key's value */
    long iv;        /* where its key is (-1: top level) */
    const char *key;
    char what[256]; /* "20000 recipients paid ..." */
};

static void consider(struct source *big, double fen, double per_fen, long iv, const char *key,
                     const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;
static void consider(struct source *big, double fen, double per_fen, long iv, const char *key,
                     const char *fmt, ...)
{
    va_list ap;

    if (!(fen > big->fen) && big->key)
        return;
    big->fen = fen;
    big->per_fen = per_fen;
    big->iv = iv;
    big->key = key;
    va_start(ap, fmt);
    vsnprintf(big->what, sizeof big->what, fmt, ap);
    va_end(ap);
}

/* Regular payments of the whole run, and each city's stream's count. A
 * wallet is topped up in whole steps only when short, so what top-ups
 * issue beyond the tickets is at most one step a wallet at a time. */
static double regular_payments(struct checker *c, double rate_most, struct source *big)
{
    const struct scenario *s = c->s;
    char a[UNITS_BUF], n1[UNITS_BUF], n2[UNITS_BUF];
    double days = s->duration_s / DAY_S, all = 0, wallets = 0, tickets, steps;
    double mean = fmin((double)s->ticket_median_fen * exp(s->ticket_sigma * s->ticket_sigma / 2),
                       TYPELIMITS_MAX_TICKET_FEN);
    /* People who differ (people.activity_sigma): a city's stream is the
     * sum of its holders' activity, at most everybody's, whose mean over
     * the city is 1 up to its sampling error; twice that covers the error
     * wherever a bound can bite (millions of people). */
    double per = s->payments_per_day * s->ecny_preference * rate_most * days *
                 (s->activity_sigma > 0 ? 2 : 1);
    size_t i;

    for (i = 0; i < s->n_cities; i++) {
        const struct city_spec *cs = &s->cities[i];
        double owners = sampled((double)cs->population * cs->smartphone_share, s->sample);
        double n = sampled(owners * per, s->sample);
        char key[80];
        all += n;
        wallets += owners;
        if (n / s->sample > TYPELIMITS_MAX_STREAM_PAYMENTS) {
            snprintf(key, sizeof key, "cities.%s", cs->id);
            fail(c, -1, key,
                 "up to %.3g e-CNY payments to simulate at sample %.0f (expected at "
                 "most 549755813888 a city, 2^39, as a city's payments are numbered in 40 bits: "
                 "raise sample or shorten the run)",
                 n / s->sample, s->sample);
        }
    }
    tickets = all * mean;
    steps = wallets * (double)s->topup_fen;
    if (tickets >= steps)
        consider(big, tickets + steps, all * mean / (double)s->ticket_median_fen, -1,
                 "payments.ticket", "%s e-CNY payments of %s yuan on average", count(n1, all),
                 yuan(a, mean));
    else
        consider(big, tickets + steps, wallets, -1, "payments.topup",
                 "%s wallets topped up "
                 "in steps of %s yuan, and their %s payments,",
                 count(n1, wallets), yuan(a, (double)s->topup_fen), count(n2, all));
    return tickets + steps;
}

/* Corporate payments of the whole run: every corporate holding a wallet
 * from the start, at the highest hourly and weekday weights, each payment
 * a mean ticket issued as it starts. None when no corporate can ever open
 * one (no innovation: the imitation has nobody to imitate). */
static double corporate_payments(struct checker *c, double profile_most, struct source *big)
{
    const struct scenario *s = c->s;
    char a[UNITS_BUF], n1[UNITS_BUF];
    double days = s->duration_s / DAY_S, all = 0;
    double mean = fmin((double)s->corp_ticket_median_fen *
                           exp(s->corp_ticket_sigma * s->corp_ticket_sigma / 2),
                       TYPELIMITS_MAX_TICKET_FEN);
    size_t i;

    if (!(s->corp_innovation > 0))
        return 0;
    for (i = 0; i < s->n_cities; i++) {
        const struct city_spec *cs = &s->cities[i];
        double n = sampled(sampled((double)cs->corporates, s->sample) * s->corp_per_wallet_per_day *
                               profile_most * days,
                           s->sample);
        char key[80];
        all += n;
        if (n / s->sample > TYPELIMITS_MAX_STREAM_PAYMENTS) {
            snprintf(key, sizeof key, "cities.%s.corporates", cs->id);
            fail(c, -1, key,
                 "up to %.3g corporate payments to simulate at sample %.0f (expected at "
                 "most 549755813888 a city, 2^39, as a city's payments are numbered in 40 bits: "
                 "raise sample or shorten the run)",
                 n / s->sample, s->sample);
        }
    }
    consider(big, all * mean, all * mean / (double)s->corp_ticket_median_fen, -1,
             "payments.corporate.ticket", "%s corporate payments of %s yuan on average",
             count(n1, all), yuan(a, mean));
    return all * mean;
}

/* What intervention i can bring into wallets and move there. */
static double intervention_money(struct checker *c, size_t i, double profile_most,
                                 struct source *big)
{
    const struct scenario *s = c->s;
    const struct intervention *iv = &s->interventions[i];
    char a[UNITS_BUF], b[UNITS_BUF], n1[UNITS_BUF], n2[UNITS_BUF];
    double k = s->sample, fen, n, most = 0, pays, ticket;
    size_t j;

    switch (iv->kind) {
    case INTERVENTION_LOTTERY:
        for (j = 0; j < iv->n_amounts; j++)
            if ((double)iv->amounts_fen[j] > most)
                most = (double)iv->amounts_fen[j];
        n = sampled((double)iv->envelopes, k);
        pays = n * reach_spend_rate(s, iv, NULL) * profile_most *
               (iv->spend_until_s - iv->spend_from_s) / DAY_S;
        ticket = fmin(most * iv->ticket_ratio * exp(iv->ticket_sigma * iv->ticket_sigma / 2),
                      TYPELIMITS_MAX_TICKET_FEN);
        if (pays / k > TYPELIMITS_MAX_STREAM_PAYMENTS)
            fail(c, (long)i, "spend_rate",
                 "up to %.3g payments to simulate at sample %.0f "
                 "(expected at most 549755813888 a lottery, 2^39, as its payments are numbered "
                 "in 40 bits: raise sample or lower spend_rate)",
                 pays / k, k);
        fen = n * most + pays * ticket + n * (double)s->topup_fen;
        consider(big, fen, n + pays * ticket / most, (long)i, "amount",
                 "%s envelopes of up "
                 "to %s yuan and %s payments from them",
                 count(n1, n), yuan(a, most), count(n2, pays));
        return fen;
    case INTERVENTION_SALARY:
        n = sampled((double)iv->recipients, k);
        pays = iv->every_s > 0 ? floor((iv->until_s - iv->at_s) / iv->every_s) + 1 : 1;
        fen = n * pays * (double)iv->amount_fen;
        consider(big, fen, n * pays, (long)i, "amount", "%s recipients paid %s yuan %s times",
                 count(n1, n), yuan(a, (double)iv->amount_fen), count(n2, pays));
        return fen;
    case INTERVENTION_MERCHANT_CAMPAIGN:
        n = sampled((double)iv->merchants, k);
        fen = n * (double)iv->subsidy_fen;
        consider(big, fen, n, (long)i, "subsidy", "%s merchants paid %s yuan", count(n1, n),
                 yuan(b, (double)iv->subsidy_fen));
        return fen;
    default:
        return 0;
    }
}

static void check_budget(struct checker *c)
{
    const struct scenario *s = c->s;
    double profile_most = max_of(s->hourly, 24) * max_of(s->weekday, 7);
    double peaks = peak_most(s), total, rest, room;
    struct source big = {0, 0, -1, NULL, ""};
    char a[UNITS_BUF], b[UNITS_BUF], hint[96] = "";
    size_t i;

    if (peaks < 0) {
        fail(c, -1, "interventions", "out of memory checking the peaks");
        return;
    }
    total = regular_payments(c, profile_most * peaks, &big);
    total += corporate_payments(c, profile_most, &big);
    for (i = 0; i < s->n_interventions; i++)
        total += intervention_money(c, i, profile_most, &big);
    if (total <= TYPELIMITS_BUDGET_FEN)
        return;
    rest = total - big.fen;
    room = (TYPELIMITS_BUDGET_FEN - rest) / big.per_fen;
    if (rest < TYPELIMITS_BUDGET_FEN && big.per_fen > 0 && room >= 1)
        snprintf(hint, sizeof hint, ": at most %s yuan here", yuan(a, floor(room)));
    fail(c, big.iv, big.key,
         "%s could move up to %s yuan, and the whole run %s yuan (expected "
         "at most 46116860184273879.04 yuan in a run, 2^62 fen, half of what int64 fen can "
         "hold%s)",
         big.what, yuan(a, big.fen), yuan(b, total), hint);
}

int typelimits_check(const struct scenario *s, typelimits_fail_fn fail_fn, void *ctx)
{
    struct checker c = {s, fail_fn, ctx, 0};

    check_sample(&c);
    check_days(&c);
    if (c.n)
        return c.n; /* what follows divides by both */
    check_simulated(&c);
    check_tails(&c);
    if (c.n)
        return c.n; /* the budget assumes the tails are in range */
    check_budget(&c);
    return c.n;
}
