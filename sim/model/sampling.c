/* sampling: the predicted latency error of a sampled run, and the warning
 * when it passes the tolerance (sampling.h). */
#include "model/sampling.h"

#include <math.h>
#include <stdio.h>

#include "model/resource.h"
#include "scenario/reach.h"

#define DAY_S 86400.0

/* Erlang C: the probability that an arrival waits in an M/M/c with
 * offered load a = c rho, by the stable recursion on Erlang B. */
static double erlang_c(unsigned c, double rho)
{
    double a = rho * c, b = 1;
    for (unsigned k = 1; k <= c; k++)
        b = a * b / (k + a * b);
    return b / (1 - rho + rho * b);
}

double sampling_sojourn(unsigned c, double service_s, double cv2, double rho)
{
    if (rho >= 1)
        return INFINITY;
    if (rho <= 0)
        return service_s;
    /* Allen-Cunneen: the M/M/c wait, times (1 + cv^2) / 2 for other
     * service distributions (exact for exponential; within a few percent
     * for deterministic service at these loads). */
    double wait = erlang_c(c, rho) * service_s / (c * (1 - rho)) * (1 + cv2) / 2;
    return service_s + wait;
}

double sampling_error(unsigned c, double service_s, double cv2, double rho, double sample)
{
    if (sample == 1)
        return 0;
    if (rho >= 1)
        return INFINITY;
    unsigned n;
    double factor;
    resource_scale(c, sample, &n, &factor);
    return sampling_sojourn(n, service_s * factor, cv2, rho) /
               sampling_sojourn(c, service_s, cv2, rho) -
           1;
}

static double cv2_of(const struct service *sv)
{
    switch (sv->dist) {
    case SERVICE_DETERMINISTIC:
        return 0;
    case SERVICE_LOGNORMAL:
        return sv->cv * sv->cv;
    case SERVICE_EXPONENTIAL:
    default:
        return 1;
    }
}

static double max_of(const double *w, size_t n)
{
    double m = 0;
    for (size_t i = 0; i < n; i++)
        m = fmax(m, w[i]);
    return m;
}

/* The largest product of the peaks open at once over city c: the product
 * is highest at some peak's opening, so only those instants are tried. */
static double peak_multiplier(const struct scenario *s, size_t c)
{
    double best = 1;
    for (size_t i = 0; i < s->n_interventions; i++) {
        const struct intervention *a = &s->interventions[i];
        if (a->kind != INTERVENTION_PEAK || (a->city >= 0 && (size_t)a->city != c))
            continue;
        double product = 1;
        for (size_t j = 0; j < s->n_interventions; j++) {
            const struct intervention *b = &s->interventions[j];
            if (b->kind == INTERVENTION_PEAK && (b->city < 0 || (size_t)b->city == c) &&
                b->from_s <= a->from_s && a->from_s < b->until_s)
                product *= b->multiplier;
        }
        best = fmax(best, product);
    }
    return best;
}

/* The highest load: every smartphone owner and every corporate holds a
 * wallet and every merchant accepts, at the busiest hour and weekday, with every peak that
 * overlaps and every lottery's winners spending at once. A payment is a job
 * at its payer's operator and, when the payee's differs, one at the ledger
 * and one at the payee's; a top-up is another job at the payer's (counted
 * for every payment). A slowdown outage divides its resource's capacity. */
void sampling_peak_load(const struct scenario *s, double *rho)
{
    size_t n_ops = s->n_operators;
    double busiest = max_of(s->hourly, 24) * max_of(s->weekday, 7);
    for (size_t o = 0; o <= n_ops; o++)
        rho[o] = 0;
    for (size_t c = 0; c < s->n_cities; c++) {
        const struct city_spec *city = &s->cities[c];
        double rate = (double)city->population * city->smartphone_share * s->payments_per_day /
                      DAY_S * s->ecny_preference * busiest * peak_multiplier(s, c);
        for (size_t i = 0; i < s->n_interventions; i++) {
            const struct intervention *iv = &s->interventions[i];
            if (iv->kind == INTERVENTION_LOTTERY && (size_t)iv->city == c)
                rate += (double)iv->envelopes * reach_spend_rate(s, iv, NULL) / DAY_S * busiest;
        }
        /* Every corporate holding a corporate wallet (when any can open
         * one): a job at the payer's operator, and at the ledger and the
         * payee's when they differ; no top-up. */
        double corp = s->corp_innovation > 0
                          ? (double)city->corporates * s->corp_per_wallet_per_day / DAY_S * busiest
                          : 0;
        double same = 0;
        for (size_t o = 0; o < n_ops; o++) {
            double share = city->operator_share[o];
            rho[o] += rate * share * (3 - share); /* payer (+ top-up), or payee */
            rho[o] += corp * share * (2 - share);
            same += share * share;
        }
        rho[n_ops] += (rate + corp) * (1 - same);
    }
    for (size_t o = 0; o <= n_ops; o++) {
        const struct service *sv = o < n_ops ? &s->operators[o].service : &s->ledger;
        double capacity = 1;
        for (size_t i = 0; i < s->n_interventions; i++) {
            const struct intervention *iv = &s->interventions[i];
            /* Down altogether (capacity 0), a queue drains at the full rate
             * afterwards in both runs; only a slowdown raises utilization. */
            if (iv->kind == INTERVENTION_OUTAGE && iv->capacity > 0 &&
                (iv->operator<0 ? o == n_ops : (size_t)iv->operator== o))
                capacity = fmin(capacity, iv->capacity);
        }
        rho[o] *= sv->mean_s / sv->servers / capacity;
    }
}

/* Mean time in resource o (operators, then the ledger) at `sample` and
 * utilization rho. A payer's hop (payer = 1) comes right after its
 * top-up, when there is one (probability `topup`), admitted at the same
 * operator at the same instant: with one server the payment waits for the
 * whole top-up; with n it waits only when the other n - 1 are busy (Erlang
 * C of n - 1 servers at the same work), for about a service over n - 1. */
static double resource_time(const struct scenario *s, size_t o, double rho, double sample,
                            int payer, double topup)
{
    const struct service *sv = o < s->n_operators ? &s->operators[o].service : &s->ledger;
    unsigned n = sv->servers;
    double factor = 1;
    if (sample != 1)
        resource_scale(sv->servers, sample, &n, &factor);
    double t = sampling_sojourn(n, sv->mean_s * factor, cv2_of(sv), rho);
    if (payer && topup > 0) {
        double service = sv->mean_s * factor;
        double other = n == 1 ? 1 : rho * n / (n - 1) < 1 ? erlang_c(n - 1, rho * n / (n - 1)) : 1;
        t += topup * other * service / (n == 1 ? 1 : n - 1);
    }
    return t;
}

/* The share of payments that top up first: a top-up brings at least
 * `topup`, so in the long run one payment in topup / mean ticket needs
 * one (at most every payment). */
static double topup_share(const struct scenario *s)
{
    double mean = (double)s->ticket_median_fen * exp(s->ticket_sigma * s->ticket_sigma / 2);
    return s->topup_fen > 0 ? fmin(1, mean / (double)s->topup_fen) : 1;
}

/* The predicted relative error of a city's mean end-to-end latency at
 * `sample`, with every resource at utilization scale x rho[o] (scale 0:
 * idle, 1: the highest load): a payment visits its payer's operator
 * (share s of the city's wallets) and, when the payee's operator differs,
 * the ledger and the payee's, so operator o is visited s (2 - s) times a
 * payment and the ledger 1 - sum s^2 times. *top is the resource whose
 * error weighs most. INFINITY when a resource saturates. */
static double city_error(const struct scenario *s, size_t c, const double *rho, double scale,
                         double sample, size_t *top)
{
    const double *share = s->cities[c].operator_share;
    double sampled = 0, real = 0, same = 0, most = -1, topup = topup_share(s);
    for (size_t o = 0; o < s->n_operators; o++)
        same += share[o] * share[o];
    for (size_t o = 0; o <= s->n_operators; o++) {
        /* visits as payer's operator, and as payee's (or the ledger) */
        double as_payer = o < s->n_operators ? share[o] : 0;
        double other = o < s->n_operators ? share[o] * (1 - share[o]) : 1 - same;
        if (as_payer + other <= 0)
            continue;
        double r = scale * rho[o];
        double t1 = as_payer * resource_time(s, o, r, 1, 1, topup) +
                    other * resource_time(s, o, r, 1, 0, 0);
        double tk = as_payer * resource_time(s, o, r, sample, 1, topup) +
                    other * resource_time(s, o, r, sample, 0, 0);
        if (isinf(t1) || isinf(tk)) {
            *top = o;
            return INFINITY;
        }
        sampled += tk;
        real += t1;
        if (fabs(tk - t1) > most) {
            most = fabs(tk - t1);
            *top = o;
        }
    }
    return real > 0 ? sampled / real - 1 : 0;
}

/* The worst predicted error over the cities, idle and at the highest
 * load; which city and resource. */
static double worst_error(const struct scenario *s, const double *rho, double sample, size_t *city,
                          size_t *resource, double *at)
{
    double worst = 0;
    for (size_t c = 0; c < s->n_cities; c++)
        for (int loaded = 0; loaded <= 1; loaded++) {
            size_t top = 0;
            double e = fabs(city_error(s, c, rho, loaded, sample, &top));
            if (e > worst || (isinf(e) && !isinf(worst))) {
                worst = e;
                *city = c;
                *resource = top;
                *at = loaded;
            }
        }
    return worst;
}

int sampling_check(struct scenario *s)
{
    if (s->sample == 1 || s->n_operators == 0)
        return 0;
    double rho[SCENARIO_MAX_OPERATORS + 1], at = 0;
    size_t city = 0, which = 0, c2, w2;
    sampling_peak_load(s, rho);
    double worst = worst_error(s, rho, s->sample, &city, &which, &at);
    if (worst <= SAMPLING_TOLERANCE)
        return 0;
    /* The largest whole sample below this one that keeps every city within
     * the tolerance (the error is not monotone in k: rounding c/k to whole
     * servers comes and goes). Sample 1 always does. */
    double keep = 1, at2;
    for (double k = ceil(s->sample) - 1, tries = 0; k > 1 && tries < 100000; k--, tries++)
        if (worst_error(s, rho, k, &c2, &w2, &at2) <= SAMPLING_TOLERANCE) {
            keep = k;
            break;
        }
    const struct service *sv = which < s->n_operators ? &s->operators[which].service : &s->ledger;
    const char *id = which < s->n_operators ? s->operators[which].id : "ledger";
    unsigned n;
    double factor;
    resource_scale(sv->servers, s->sample, &n, &factor);
    char what[300];
    if (isinf(worst))
        snprintf(what, sizeof what, "%s may saturate (utilization up to %.0f%%)", id,
                 100 * rho[which]);
    else
        snprintf(what, sizeof what,
                 "%s: mean latency predicted %+.0f%% %s; %s's %u servers become %u "
                 "with a mean service of %.4g ms instead of %.4g ms",
                 s->cities[city].id, 100 * city_error(s, city, rho, at, s->sample, &w2),
                 at ? "at the highest load it can reach" : "with idle queues", id, sv->servers, n,
                 1e3 * sv->mean_s * factor, 1e3 * sv->mean_s);
    return warnings_add(
        &s->warnings,
        "sample %g: sampled queues cannot keep latency within %.0f%% of sample 1 (%s); "
        "latency percentiles and payments_failed are approximate; sample %g keeps "
        "every city within %.0f%%",
        s->sample, 100 * SAMPLING_TOLERANCE, what, keep, 100 * SAMPLING_TOLERANCE);
}
