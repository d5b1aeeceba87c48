/* loadtest: open-loop load driver over the scenario's resources (see
 * loadtest.h). The hot path is one payment: a few draws from its own keyed
 * stream, a heap sift per hop, at most two engine events (the ledger and the
 * payee's operator), a histogram record. No allocation per payment: the
 * payments in flight live in a slot pool reused through a free stack. */
/* The draws refill the random stream inline here (rng_internal.h): before
 * any header, as the first one already brings rng.h in. */
#define RNG_INLINE_REFILL 1
#include "loadtest/loadtest.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/detmath.h"
#include "kernel/engine.h"
#include "model/resource.h"
#include "scenario/typelimits.h"
#include "kernel/rng.h"

/* The fewest servers a resource keeps in a calendar rather than a heap
 * (lt_setup). */
#define CALENDAR_SERVERS 64

/* Random-stream purposes: a payment's first attempt and its retries; keyed
 * by the payment's index, so payment i is the same payment (operators,
 * ticket, service times) at any rate and under any profile. */
enum { LT_PURPOSE_PAYMENT = 101, LT_PURPOSE_RETRY = 102 };
enum { LT_EV_HOP = 1, LT_EV_RETRY = 2, LT_EV_PROBE = 3 };

/* A payment in flight: one cache line, aligned (the pool is bigger than
 * the cache, so each hop's first touch of its payment is a miss: one). */
struct lt_pay {
    _Alignas(64) double t0; /* intended arrival (internal clock) */
    double deadline;        /* the current attempt's deadline */
    double svc[3];          /* service times of its hops this attempt */
    uint64_t index;         /* payment number: its random stream */
    int64_t ticket_fen;
    uint16_t op1, op2; /* payer's and payee's operators (op1 != op2: through the ledger) */
    uint16_t iv0;      /* lt_interval(t0), worked out once (at most LOADTEST_MAX_INTERVALS + 1) */
    uint8_t attempt;   /* 0 first try, then retries */
};

/* The run's state: one per loadtest_run, nothing global. */
struct lt {
    const struct loadtest_options *o;
    struct loadtest_result *out;
    struct engine e;
    gsl_rng *rng;
    size_t nres, nops, ledger; /* ledger = nres - 1 */
    struct resource *res;
    struct resource_law *law; /* [nres] service laws, the model's (resource.h) */
    double *cum;              /* [nops] cumulative operator mix */
    double *timeout;          /* [nops] payer operator's timeout */
    double ticket_mu, ticket_sigma;
    double warmup, end, len; /* warm-up, its end + the profile (internal clock), interval length */
    /* The interval of the clock's last events, and the internal times it
     * spans, [now_lo, now_hi) (lt_interval_now). */
    size_t now_iv;
    double now_lo, now_hi;
    /* Judged intervals open (histograms in memory) up to `opened`; the
     * first still open is `next_close`, closed once the clock passes
     * close_at: its end + close_lag, the longest a payment can take
     * (every attempt's timeout and back-off), after which none adds to it. */
    size_t opened, next_close;
    double close_lag, close_at;
    struct lt_pay *pay;
    uint32_t *free_stack;
    size_t pay_cap, n_free, pay_used;
    uint64_t (*sec)[3];   /* per bucket of t0: payments, over the limit, failed */
    size_t n_sec;         /* buckets (0: no faults, none kept) */
    double sec_s;         /* a bucket's width: 1 s unless the run is very long */
    double limit_s;       /* latency limit for recovery (0: none) */
    uint64_t retry_draws; /* times a retry positioned the stream (lt_drive) */
    int nomem;
    int overflow; /* the value of payments overflowed int64 fen */
    int64_t leak; /* tests only: PILOTSIM_FAULT_LEAK, fen added to each value */
};

void loadtest_options_default(struct loadtest_options *o)
{
    memset(o, 0, sizeof *o);
    o->interval_s = 10;
    o->warmup_s = 30;
    o->retry = (struct loadtest_retry){2, 1.0, 1.0};
    o->use_outages = 1;
    o->keep_resources = 1;
}

const char *loadtest_resource_id(const struct scenario *s, size_t i)
{
    return i < s->n_operators ? s->operators[i].id : "ledger";
}

/* Each resource's work per payment: the payer's operator always, the
 * ledger and the payee's operator when they differ (probability
 * sum over o of p_o (1 - p_o)); capacity c / mean service over that share. */
double loadtest_nominal_capacity(const struct scenario *s)
{
    double total = 0, best = INFINITY, interbank = 0;
    for (size_t c = 0; c < s->n_cities; c++)
        total += (double)s->cities[c].population;
    for (size_t o = 0; o < s->n_operators; o++) {
        double p = 0;
        for (size_t c = 0; c < s->n_cities; c++)
            p += (double)s->cities[c].population * s->cities[c].operator_share[o] / total;
        interbank += p * (1 - p);
        const struct service *sv = &s->operators[o].service;
        if (p > 0)
            best = fmin(best, sv->servers / sv->mean_s / (p + p * (1 - p)));
    }
    if (interbank > 0)
        best = fmin(best, s->ledger.servers / s->ledger.mean_s / interbank);
    return best;
}

void loadtest_default_profile(const struct scenario *s, struct loadtest_profile *p)
{
    double c = loadtest_nominal_capacity(s);
    char text[96], why[160];
    snprintf(text, sizeof text, "ramp:%.6g:%.6g:10m", 0.1 * c, 1.5 * c);
    if (loadtest_spec_profile(text, p, why, sizeof why) < 0)
        loadtest_spec_soak(p, c, 600);
}

/* ---- results ---- */

/* An interval's histograms: end-to-end latency, and each resource's hop
 * sojourn when kept. They exist while the interval is open; a closed one's
 * live in the spool (below). 0 or -1 (no memory: those made are kept, for
 * interval_hists_free). */
static int interval_hists_new(struct loadtest_interval *iv, size_t nres)
{
    if (!(iv->latency = malloc(sizeof *iv->latency)))
        return -1;
    hist_init(iv->latency);
    for (size_t r = 0; iv->res_latency && r < nres; r++) {
        if (!(iv->res_latency[r] = malloc(sizeof *iv->res_latency[r])))
            return -1;
        hist_init(iv->res_latency[r]);
    }
    return 0;
}

static void interval_hists_free(struct loadtest_interval *iv, size_t nres)
{
    free(iv->latency);
    iv->latency = NULL;
    for (size_t r = 0; iv->res_latency && r < nres; r++) {
        free(iv->res_latency[r]);
        iv->res_latency[r] = NULL;
    }
}

/* The counts of an interval, and its histograms when `hists`. */
static int interval_init(struct loadtest_interval *iv, size_t nres, int keep, int hists)
{
    memset(iv, 0, sizeof *iv);
    iv->busy_s = calloc(nres, sizeof *iv->busy_s);
    iv->jobs = calloc(nres, sizeof *iv->jobs);
    iv->wait_s = calloc(nres, sizeof *iv->wait_s);
    iv->max_queue = calloc(nres, sizeof *iv->max_queue);
    iv->res_latency = keep ? calloc(nres, sizeof *iv->res_latency) : NULL;
    if (!iv->busy_s || !iv->jobs || !iv->wait_s || !iv->max_queue || (keep && !iv->res_latency))
        return -1;
    return hists ? interval_hists_new(iv, nres) : 0;
}

static void interval_destroy(struct loadtest_interval *iv, size_t nres)
{
    interval_hists_free(iv, nres);
    free(iv->busy_s);
    free(iv->jobs);
    free(iv->wait_s);
    free(iv->max_queue);
    free(iv->res_latency);
}

/* Add b's counts into a (not the histograms): exact for counts. 0, or -1
 * when the value of payments overflowed int64 fen (the rest is added all
 * the same). */
static int interval_add_counts(struct loadtest_interval *a, const struct loadtest_interval *b,
                               size_t nres)
{
    int overflow = __builtin_add_overflow(a->value_fen, b->value_fen, &a->value_fen);
    a->offered += b->offered;
    a->attempts += b->attempts;
    a->ok += b->ok;
    a->done += b->done;
    a->failed += b->failed;
    a->timeouts += b->timeouts;
    a->drops += b->drops;
    for (size_t r = 0; r < nres; r++) {
        a->busy_s[r] += b->busy_s[r];
        a->jobs[r] += b->jobs[r];
        a->wait_s[r] += b->wait_s[r];
        if (b->max_queue[r] > a->max_queue[r])
            a->max_queue[r] = b->max_queue[r];
    }
    return overflow ? -1 : 0;
}

/* Add b's histograms into a's (exact). */
static void interval_add_hists(struct loadtest_interval *a, const struct loadtest_interval *b,
                               size_t nres)
{
    hist_merge(a->latency, b->latency);
    for (size_t r = 0; a->res_latency && b->res_latency && r < nres; r++)
        hist_merge(a->res_latency[r], b->res_latency[r]);
}

/* ---- the spool: closed intervals' histograms out of memory ----
 *
 * A run's memory must not grow with its length, and an interval's
 * histograms (one per resource and one end to end, 45 KB each) are most
 * of what grows: once no payment can add to an interval, its histograms
 * go to a temporary file, their buckets in use only, and are read back one
 * interval at a time by whoever writes the rows (loadtest_interval). The
 * counts stay in memory (a few hundred bytes an interval, at most
 * LOADTEST_MAX_INTERVALS of them). Without a temporary file everything
 * stays in memory, as it did before. */
struct loadtest_spool {
    FILE *f;                      /* the temporary file (NULL: none, all in memory) */
    long *at;                     /* [n_intervals + 1] interval i's offset (-1: in memory) */
    struct loadtest_interval buf; /* the interval last read back */
    size_t buf_i;                 /* which (SIZE_MAX: none) */
    int keep;                     /* res_latency kept */
};

static struct loadtest_spool *spool_new(size_t n_iv, size_t nres, int keep)
{
    struct loadtest_spool *sp = calloc(1, sizeof *sp);
    if (!sp)
        return NULL;
    sp->buf_i = SIZE_MAX;
    sp->keep = keep;
    if (!(sp->at = malloc((n_iv + 1) * sizeof *sp->at)) ||
        interval_init(&sp->buf, nres, keep, 1) < 0) {
        interval_destroy(&sp->buf, nres);
        free(sp->at);
        free(sp);
        return NULL;
    }
    for (size_t i = 0; i <= n_iv; i++)
        sp->at[i] = -1;
    sp->f = tmpfile(); /* NULL: no spooling, the histograms stay */
    return sp;
}

static void spool_free(struct loadtest_spool *sp, size_t nres)
{
    if (!sp)
        return;
    if (sp->f)
        fclose(sp->f);
    free(sp->at);
    interval_destroy(&sp->buf, nres);
    free(sp);
}

/* Write interval iv's histograms at the end of f; their offset, or -1
 * (no file, or they could not be written: the caller keeps them). */
static long spool_put(FILE *f, const struct loadtest_interval *iv, size_t nres)
{
    if (!f || fseek(f, 0, SEEK_END) != 0)
        return -1;
    long at = ftell(f);
    int bad = at < 0 || hist_write(iv->latency, f) < 0;
    for (size_t r = 0; !bad && iv->res_latency && r < nres; r++)
        bad = hist_write(iv->res_latency[r], f) < 0;
    return bad ? -1 : at;
}

const struct loadtest_interval *loadtest_interval(const struct loadtest_result *r, size_t i)
{
    struct loadtest_spool *sp = r->spool;
    if (i > r->n_intervals)
        return NULL;
    if (!sp || sp->at[i] < 0)
        return &r->iv[i];
    struct loadtest_interval *b = &sp->buf;
    /* The counts are iv[i]'s own; only the histograms come from the file. */
    struct hist *lat = b->latency, **res = b->res_latency;
    double *busy = b->busy_s, *wait = b->wait_s;
    uint64_t *jobs = b->jobs;
    uint32_t *maxq = b->max_queue;
    *b = r->iv[i];
    b->latency = lat;
    b->res_latency = res;
    b->busy_s = busy;
    b->wait_s = wait;
    b->jobs = jobs;
    b->max_queue = maxq;
    memcpy(busy, r->iv[i].busy_s, r->n_resources * sizeof *busy);
    memcpy(wait, r->iv[i].wait_s, r->n_resources * sizeof *wait);
    memcpy(jobs, r->iv[i].jobs, r->n_resources * sizeof *jobs);
    memcpy(maxq, r->iv[i].max_queue, r->n_resources * sizeof *maxq);
    if (sp->buf_i == i)
        return b;
    sp->buf_i = SIZE_MAX;
    int bad = fseek(sp->f, sp->at[i], SEEK_SET) != 0 || hist_read(lat, sp->f) < 0;
    for (size_t k = 0; !bad && res && k < r->n_resources; k++)
        bad = hist_read(res[k], sp->f) < 0;
    if (bad)
        return NULL;
    sp->buf_i = i;
    return b;
}

void loadtest_result_destroy(struct loadtest_result *r)
{
    spool_free(r->spool, r->n_resources);
    for (size_t i = 0; r->iv && i <= r->n_intervals; i++)
        interval_destroy(&r->iv[i], r->n_resources);
    free(r->iv);
    interval_destroy(&r->total, r->n_resources);
    free(r->faults);
    warnings_destroy(&r->warnings);
    free(r->servers);
    free(r->res_wait_s);
    free(r->res_q_area);
    free(r->res_drop_wait_s);
    free(r->res_jobs_all);
    memset(r, 0, sizeof *r);
}

int loadtest_result_init(struct loadtest_result *r, size_t nres, size_t n_iv, size_t n_faults,
                         int keep)
{
    memset(r, 0, sizeof *r);
    r->n_resources = nres;
    r->n_intervals = n_iv;
    r->iv = calloc(n_iv + 1, sizeof *r->iv);
    r->faults = calloc(n_faults ? n_faults : 1, sizeof *r->faults);
    r->servers = calloc(nres, sizeof *r->servers);
    r->res_wait_s = calloc(nres, sizeof *r->res_wait_s);
    r->res_q_area = calloc(nres, sizeof *r->res_q_area);
    r->res_drop_wait_s = calloc(nres, sizeof *r->res_drop_wait_s);
    r->res_jobs_all = calloc(nres, sizeof *r->res_jobs_all);
    if (!r->iv || !r->faults || !r->servers || !r->res_wait_s || !r->res_q_area ||
        !r->res_jobs_all || !r->res_drop_wait_s)
        return -1;
    /* Histograms for the warm-up and the drain now, for the judged
     * intervals as the clock reaches them (lt_open). */
    for (size_t i = 0; i <= n_iv; i++)
        if (interval_init(&r->iv[i], nres, keep, i == 0 || i == n_iv) < 0)
            return -1;
    if (!(r->spool = spool_new(n_iv, nres, keep)))
        return -1;
    return interval_init(&r->total, nres, keep, 1);
}

int loadtest_interval_open(struct loadtest_result *r, size_t i)
{
    struct loadtest_interval *iv = &r->iv[i];
    if (iv->latency || r->spool->at[i] >= 0)
        return 0;
    return interval_hists_new(iv, r->n_resources);
}

void loadtest_interval_spool(struct loadtest_result *r, size_t i)
{
    struct loadtest_spool *sp = r->spool;
    struct loadtest_interval *iv = &r->iv[i];
    if (!iv->latency)
        return; /* already there */
    long at = spool_put(sp->f, iv, r->n_resources);
    if (at >= 0) {
        sp->at[i] = at;
        interval_hists_free(iv, r->n_resources);
    }
}

/* Each interval of `from` into `into`'s: the counts in memory, the
 * histograms where into's are, in memory, or read back, added and
 * written to a new spool that replaces into's. 0, or -1 (no memory, or
 * the spool could not be read or written); *overflow when a value of
 * payments overflowed. */
static int merge_intervals(struct loadtest_result *into, const struct loadtest_result *from,
                           int *overflow)
{
    struct loadtest_spool *sp = into->spool;
    size_t nres = into->n_resources;
    FILE *nf = sp && sp->f ? tmpfile() : NULL;
    if (sp && sp->f && !nf)
        return -1;
    int rc = 0;
    for (size_t i = 0; i <= into->n_intervals && rc == 0; i++) {
        const struct loadtest_interval *b = loadtest_interval(from, i);
        if (!b) {
            rc = -1;
            break;
        }
        struct loadtest_interval *a = &into->iv[i];
        if (a->latency) {
            interval_add_hists(a, b, nres);
        } else {
            /* Spooled: merged in the spool's buffer, then written anew. */
            struct loadtest_interval *ab = (struct loadtest_interval *)loadtest_interval(into, i);
            if (!ab) {
                rc = -1;
                break;
            }
            interval_add_hists(ab, b, nres);
            sp->buf_i = SIZE_MAX; /* no longer what the file holds */
            if ((sp->at[i] = spool_put(nf, ab, nres)) < 0)
                rc = -1;
        }
        *overflow |= interval_add_counts(a, &from->iv[i], nres) < 0;
    }
    if (nf) {
        fclose(sp->f);
        sp->f = nf;
    }
    return rc;
}

int loadtest_result_merge(struct loadtest_result *into, const struct loadtest_result *from)
{
    if (into->n_intervals != from->n_intervals || into->n_resources != from->n_resources ||
        into->n_faults != from->n_faults)
        return -1;
    int overflow = 0;
    if (merge_intervals(into, from, &overflow) < 0)
        return -1;
    overflow |= interval_add_counts(&into->total, &from->total, into->n_resources) < 0;
    interval_add_hists(&into->total, &from->total, into->n_resources);
    for (size_t r = 0; r < into->n_resources; r++) {
        into->res_wait_s[r] += from->res_wait_s[r];
        into->res_q_area[r] += from->res_q_area[r];
        into->res_drop_wait_s[r] += from->res_drop_wait_s[r];
        into->res_jobs_all[r] += from->res_jobs_all[r];
    }
    into->events += from->events;
    into->horizon_s = fmax(into->horizon_s, from->horizon_s);
    for (size_t f = 0; f < into->n_faults; f++) {
        into->faults[f].failed += from->faults[f].failed;
        into->faults[f].backlog = from->faults[f].backlog > into->faults[f].backlog
                                      ? from->faults[f].backlog
                                      : into->faults[f].backlog;
        if (from->faults[f].backlog_max > into->faults[f].backlog_max)
            into->faults[f].backlog_max = from->faults[f].backlog_max;
        /* The slowest replication's recovery; never recovering wins. */
        double a = into->faults[f].recovery_s, b = from->faults[f].recovery_s;
        into->faults[f].recovery_s = (a < 0 || b < 0) ? -1 : fmax(a, b);
    }
    if (warnings_merge(&into->warnings, &from->warnings) < 0)
        return -1;
    return overflow ? -2 : 0;
}

struct slo_sample loadtest_sample(const struct loadtest_interval *iv)
{
    return (struct slo_sample){iv->latency, iv->ok + iv->failed, iv->failed,
                               iv->timeouts + iv->drops};
}

/* ---- the run ---- */

/* Interval of internal time t: 0 is the warm-up, then slices of s->len up
 * to the profile's end, then the drain (n_intervals). There is always one
 * judged interval at least, so n - 1 >= 1. */
static inline size_t lt_interval(const struct lt *s, double t)
{
    size_t n = s->out->n_intervals;
    if (t < s->warmup)
        return 0;
    if (t >= s->end)
        return n;
    double k = (t - s->warmup) / s->len;
    return k >= (double)(n - 2) ? n - 1 : 1 + (size_t)k;
}

/* The least internal time t with lt_interval(t) >= k, for 1 <= k <= n:
 * the warm-up's end, the profile's end, or between, the division's own
 * boundary, found by stepping from its nominal time to the neighbouring
 * doubles (the quotient is monotone in t, so the boundary is where it
 * first reaches k - 1). */
static double lt_bound(const struct lt *s, size_t k)
{
    size_t n = s->out->n_intervals;
    if (k <= 1)
        return s->warmup;
    if (k >= n)
        return s->end;
    double want = (double)(k - 1), t = s->warmup + want * s->len;
    while (t > s->warmup && (nextafter(t, -INFINITY) - s->warmup) / s->len >= want)
        t = nextafter(t, -INFINITY);
    while ((t - s->warmup) / s->len < want)
        t = nextafter(t, INFINITY);
    return t;
}

/* lt_interval for the times the clock reaches and those just after (a
 * hop's start and end): a test against the bounds of the interval last
 * reached instead of a division; the bounds move when the clock leaves
 * it. The same answer as lt_interval (the golden load tests keep their
 * bytes, tests/e2e/golden.sh). */
static inline size_t lt_interval_at(const struct lt *s, double t)
{
    return t >= s->now_lo && t < s->now_hi ? s->now_iv : lt_interval(s, t);
}

/* Judged intervals up to k get their histograms (the clock has reached
 * k: its payments and hops are about to be recorded). */
static void lt_open(struct lt *s, size_t k)
{
    size_t n = s->out->n_intervals;
    for (; s->opened < k && s->opened + 1 < n; s->opened++) {
        struct loadtest_interval *iv = &s->out->iv[s->opened + 1];
        if (!iv->latency && interval_hists_new(iv, s->nres) < 0)
            s->nomem = 1;
    }
}

/* Close the first open judged interval: its histograms into the total
 * (in interval order, as a sum after the run would), then out to the
 * spool. */
static void lt_close_next(struct lt *s)
{
    size_t k = s->next_close++, n = s->out->n_intervals;
    struct loadtest_interval *iv = &s->out->iv[k];
    lt_open(s, k); /* one the clock skipped (no payment in it) is empty */
    if (s->nomem)
        return;
    interval_add_hists(&s->out->total, iv, s->nres);
    loadtest_interval_spool(s->out, k);
    s->close_at = s->next_close < n ? lt_bound(s, s->next_close + 1) + s->close_lag : INFINITY;
}

/* lt_interval_now's way out of the clock's interval, out of line: the
 * clock leaves an interval once a minute of simulated time. */
static __attribute__((noinline)) size_t lt_interval_move(struct lt *s, double now)
{
    size_t k = lt_interval(s, now), n = s->out->n_intervals;
    lt_open(s, k);
    s->now_iv = k;
    s->now_lo = k == 0 ? -INFINITY : lt_bound(s, k);
    s->now_hi = k == n ? INFINITY : lt_bound(s, k + 1);
    return k;
}

/* The interval of `now`, a time the clock reached: its histograms opened
 * when it is new to the clock. */
static inline size_t lt_interval_now(struct lt *s, double now)
{
    return now >= s->now_lo && now < s->now_hi ? s->now_iv : lt_interval_move(s, now);
}

/* The first operator whose cumulative share exceeds u (the last when
 * rounding leaves u above them all): counted without branches, as the
 * operator is a coin flip to the processor. */
static inline uint16_t lt_operator(const struct lt *s, double u)
{
    size_t o = 0;
    for (size_t k = 0; k + 1 < s->nops; k++)
        o += u >= s->cum[k];
    return (uint16_t)o;
}

/* Draw an attempt's service times from the stream already positioned,
 * after the payment's ticket when `ticket` (a first attempt): the normals
 * in the stream's order, then their exponentials, four at once when more
 * than one is wanted (detmath_exp4, the same bits as rng_lognormal's one
 * by one; an unused lane holds 1, in the range its vectors take), else
 * the one alone (an M/M/c queue's ticket: detmath_exp is cheaper than four). */
static inline void lt_draw_services(const struct lt *s, struct lt_pay *p, int ticket)
{
    size_t hop_res[3] = {p->op1, s->ledger, p->op2};
    unsigned hops = p->op1 != p->op2 ? 3 : 1;
    double x[4] = {1, 1, 1, 1}, y[4];
    int lognormal[4] = {0, 0, 0, ticket}, wanted = ticket;
    if (ticket)
        x[3] = s->ticket_mu + s->ticket_sigma * rng_normal(s->rng);
    for (unsigned h = 0; h < hops; h++) {
        x[h] = resource_law_exponent(&s->law[hop_res[h]], s->rng, &lognormal[h]);
        wanted += lognormal[h];
    }
    if (wanted > 1)
        detmath_exp4(x, y);
    else
        for (unsigned k = 0; k < 4; k++)
            y[k] = lognormal[k] ? detmath_exp(x[k]) : x[k];
    for (unsigned h = 0; h < hops; h++)
        p->svc[h] = lognormal[h] ? resource_service_bound(y[h]) : x[h];
    if (ticket) {
        /* Cut like the model's ticket (typelimits.h): the conversion stays
         * defined whatever the draw (fmin's value, NaN included). */
        double cut = y[3] < TYPELIMITS_MAX_TICKET_FEN ? y[3] : TYPELIMITS_MAX_TICKET_FEN;
        p->ticket_fen = (int64_t)(cut + 0.5);
    }
}

/* Recovery bookkeeping by the bucket (second) of the intended arrival;
 * kept only when there are faults. */
static inline void lt_second(struct lt *s, double t0, double latency, int failed)
{
    if (!s->n_sec)
        return;
    double x = t0 / s->sec_s;
    size_t k = x < (double)(s->n_sec - 1) ? (size_t)x : s->n_sec - 1;
    s->sec[k][0]++;
    if (failed || (s->limit_s > 0 && latency >= s->limit_s))
        s->sec[k][1]++;
    s->sec[k][2] += (uint64_t)failed;
}

static inline void lt_release(struct lt *s, uint32_t slot)
{
    s->free_stack[s->n_free++] = slot;
}

static void lt_attempt(struct lt *s, uint32_t slot, double now);

/* The client gives up on an attempt at `at`: retry after the back-off, or
 * fail the payment, which then counts at the time it gave up. */
static void lt_give_up(struct lt *s, uint32_t slot, double at)
{
    struct lt_pay *p = &s->pay[slot];
    struct loadtest_interval *iv = &s->out->iv[p->iv0];
    const struct loadtest_retry *rt = &s->o->retry;
    if (p->attempt < rt->max) {
        p->attempt++;
        rng_at(s->rng, LT_PURPOSE_RETRY, p->index, p->attempt);
        s->retry_draws++;
        double u = rng_uniform_pos(s->rng);
        double backoff = rt->backoff_s * ldexp(1.0, p->attempt - 1) * (1 - rt->jitter * u);
        lt_draw_services(s, p, 0);
        if (!engine_schedule(&s->e, at + backoff, LT_EV_RETRY, slot, 0))
            s->nomem = 1;
        return;
    }
    iv->failed++;
    hist_record(iv->latency, at - p->t0);
    lt_second(s, p->t0, at - p->t0, 1);
    lt_release(s, slot);
}

/* Service [a, b) on resource r, shared among the intervals it spans, each
 * taking only its own part: the warm-up from -inf, the drain to +inf. */
static void lt_busy(struct lt *s, size_t r, double a, double b)
{
    size_t i = lt_interval_at(s, a), j = lt_interval_at(s, b), n = s->out->n_intervals;
    if (i == j) {
        s->out->iv[i].busy_s[r] += b - a;
        return;
    }
    for (size_t k = i; k <= j; k++) {
        const struct loadtest_interval *iv = &s->out->iv[k];
        double lo = k == 0 ? -INFINITY : k == n ? s->end : iv->t0 + s->warmup;
        double hi = k == n ? INFINITY : iv->t1 + s->warmup;
        double x = fmax(a, lo), y = fmin(b, hi);
        if (y > x)
            s->out->iv[k].busy_s[r] += y - x;
    }
}

/* Hop h (0 payer's operator, 1 ledger, 2 payee's operator) reached at now. */
static void lt_hop(struct lt *s, uint32_t slot, unsigned h, double now)
{
    struct lt_pay *p = &s->pay[slot];
    size_t r = h == 0 ? p->op1 : h == 1 ? s->ledger : p->op2;
    struct resource *q = &s->res[r];
    struct loadtest_interval *here = &s->out->iv[lt_interval_now(s, now)];
    double start, done = resource_admit_by_start(q, now, p->svc[h], p->deadline, &start);
    if (start >= p->deadline) {
        /* The server reaches it after the client left: discarded unserved
         * (resource_drop, by resource_admit_by_start). */
        if (q->q_len > here->max_queue[r])
            here->max_queue[r] = (uint32_t)q->q_len;
        s->out->iv[p->iv0].drops++;
        lt_give_up(s, slot, p->deadline);
        return;
    }
    here->jobs[r]++;
    here->wait_s[r] += start - now;
    if (q->q_len > here->max_queue[r])
        here->max_queue[r] = (uint32_t)q->q_len;
    if (here->res_latency)
        hist_record(here->res_latency[r], done - now);
    lt_busy(s, r, start, done);
    struct loadtest_interval *iv = &s->out->iv[p->iv0];
    if (done > p->deadline) {
        /* Served in vain: the client gives up at its deadline, and the hop's
         * server does not forward what nobody waits for (so a hop is always
         * reached before the deadline, and a retry never lies in the past). */
        iv->timeouts++;
        lt_give_up(s, slot, p->deadline);
        return;
    }
    if (h == 0 && p->op1 != p->op2) {
        if (!engine_schedule(&s->e, done, LT_EV_HOP, slot, 1))
            s->nomem = 1;
        return;
    }
    if (h == 1) {
        if (!engine_schedule(&s->e, done, LT_EV_HOP, slot, 2))
            s->nomem = 1;
        return;
    }
    iv->ok++;
    s->out->iv[lt_interval_at(s, done)].done++;
    if (__builtin_add_overflow(iv->value_fen, p->ticket_fen - s->leak, &iv->value_fen))
        s->overflow = 1; /* checked, like the model's sums of money */
    hist_record(iv->latency, done - p->t0);
    lt_second(s, p->t0, done - p->t0, 0);
    lt_release(s, slot);
}

static void lt_attempt(struct lt *s, uint32_t slot, double now)
{
    struct lt_pay *p = &s->pay[slot];
    p->deadline = now + s->timeout[p->op1];
    s->out->iv[p->iv0].attempts++;
    lt_hop(s, slot, 0, now);
}

/* A slot for a new payment (the pool doubles when full, aligned to the
 * cache line as realloc would not keep it). */
static int lt_slot(struct lt *s, uint32_t *slot)
{
    if (!s->n_free) {
        size_t cap = s->pay_cap ? 2 * s->pay_cap : 4096;
        struct lt_pay *np = aligned_alloc(_Alignof(struct lt_pay), cap * sizeof *np);
        if (!np)
            return -1;
        if (s->pay_cap)
            memcpy(np, s->pay, s->pay_cap * sizeof *np);
        free(s->pay);
        s->pay = np;
        uint32_t *nf = realloc(s->free_stack, cap * sizeof *nf);
        if (!nf)
            return -1;
        s->free_stack = nf;
        for (size_t i = cap; i > s->pay_cap; i--)
            s->free_stack[s->n_free++] = (uint32_t)(i - 1);
        s->pay_cap = cap;
    }
    *slot = s->free_stack[--s->n_free];
    return 0;
}

/* The open-loop arrival clock: unit-rate exponential gaps mapped through
 * the inverse of the integrated rate, segment by segment. seg -1 is the
 * warm-up at the first segment's starting rate. */
struct lt_clock {
    long seg;
    double t; /* internal time of the last arrival */
};

static double lt_next_arrival(const struct lt *s, struct lt_clock *c, double e)
{
    const struct loadtest_profile *p = &s->o->profile;
    while (c->seg < (long)p->n) {
        double t0, t1, r0, r1;
        if (c->seg < 0) {
            t0 = 0, t1 = s->warmup, r0 = r1 = p->seg[0].r0;
        } else {
            const struct loadtest_segment *g = &p->seg[c->seg];
            t0 = g->t0 + s->warmup, t1 = g->t1 + s->warmup, r0 = g->r0, r1 = g->r1;
        }
        double slope = t1 > t0 ? (r1 - r0) / (t1 - t0) : 0;
        double rate = r0 + slope * (c->t - t0), left = t1 - c->t;
        double mass = rate * left + 0.5 * slope * left * left;
        if (e < mass) {
            /* Solve rate d + slope d^2 / 2 = e, in the form stable for slope <= 0.
             * At a constant rate that is e / rate, the same bits: the square
             * root of a rounded square is the number, and halving is exact. */
            double d;
            if (slope == 0 && rate > 0x1p-400 && rate < 0x1p400) {
                d = e / rate;
            } else {
                double disc = fmax(rate * rate + 2 * slope * e, 0);
                d = 2 * e / (rate + sqrt(disc));
            }
            double next = c->t + d;
            c->t = next < t1 ? next : t1; /* fmin, NaN included, without libm's call */
            return c->t;
        }
        e -= fmax(mass, 0);
        c->seg++;
        c->t = t1;
    }
    return INFINITY;
}

/* A payment's first attempt's draws after its arrival time (operators,
 * ticket, service times), from the stream where it stands. */
static void lt_draw_rest(struct lt *s, struct lt_pay *p)
{
    p->op1 = lt_operator(s, rng_uniform_pos(s->rng));
    p->op2 = lt_operator(s, rng_uniform_pos(s->rng));
    lt_draw_services(s, p, 1);
}

/* Payment i's arrival time from the clock, and unless it lies past the
 * profile, the rest of its draws, from its own stream, into p. */
static void lt_draw_payment(struct lt *s, struct lt_clock *clock, uint64_t i, struct lt_pay *p)
{
    rng_at(s->rng, LT_PURPOSE_PAYMENT, i, 0);
    p->t0 = lt_next_arrival(s, clock, rng_exponential(s->rng, 1.0));
    if (p->t0 >= s->end)
        return;
    p->index = i;
    p->attempt = 0;
    lt_draw_rest(s, p);
}

/* The payment drawn by lt_draw_payment arrives (at drawn->t0). */
static void lt_arrive(struct lt *s, const struct lt_pay *drawn)
{
    uint32_t slot;
    if (lt_slot(s, &slot) < 0) {
        s->nomem = 1;
        return;
    }
    struct lt_pay *p = &s->pay[slot];
    *p = *drawn;
    p->iv0 = (uint16_t)lt_interval_now(s, p->t0);
    s->out->iv[p->iv0].offered++;
    lt_attempt(s, slot, p->t0);
}

static void lt_handle(struct lt *s, const engine_event *ev)
{
    switch (ev->kind) {
    case LT_EV_HOP:
        lt_hop(s, ev->subject, ev->arg, ev->time);
        break;
    case LT_EV_RETRY:
        lt_attempt(s, ev->subject, ev->time);
        break;
    case LT_EV_PROBE: {
        struct loadtest_fault_result *f = &s->out->faults[ev->subject];
        size_t r = f->fault.resource < 0 ? s->ledger : (size_t)f->fault.resource;
        f->backlog = resource_queue(&s->res[r], ev->time);
        break;
    }
    }
}

/* Resources, service laws and the operator mix from the scenario, at full
 * scale (a load test never samples). */
static int lt_setup(struct lt *s, const struct scenario *sc)
{
    s->nops = sc->n_operators;
    s->nres = s->nops + 1;
    s->ledger = s->nops;
    s->res = calloc(s->nres, sizeof *s->res);
    s->law = calloc(s->nres, sizeof *s->law);
    s->cum = calloc(s->nops, sizeof *s->cum);
    s->timeout = calloc(s->nops, sizeof *s->timeout);
    if (!s->res || !s->law || !s->cum || !s->timeout)
        return -1;
    for (size_t r = 0; r < s->nres; r++) {
        const struct service *sv = r < s->nops ? &sc->operators[r].service : &sc->ledger;
        if (resource_init(&s->res[r], sv->servers) < 0 || resource_track(&s->res[r]) < 0)
            return -1;
        s->out->servers[r] = s->res[r].servers;
        /* Full scale: no service factor (a load test never samples). */
        resource_law_init(&s->law[r], sv, 1.0);
        /* Thousands of servers, mostly idle below capacity: a calendar of
         * buckets a sixteenth of a mean service wide (resource.h). A few
         * servers, mostly busy, stay in the heap: there the calendar's
         * ring costs more than a sift of a level or two (an M/M/8 queue at
         * 90% took 18% longer). Both give every job the same times. */
        if (sv->servers >= CALENDAR_SERVERS &&
            resource_calendar(&s->res[r], s->law[r].mean_s / 16) < 0)
            return -1;
        if (r < s->nops)
            s->timeout[r] = sv->timeout_s;
    }
    /* A payer's operator: the cities' wallet shares weighted by population. */
    double total = 0;
    for (size_t c = 0; c < sc->n_cities; c++)
        total += (double)sc->cities[c].population;
    double acc = 0;
    for (size_t o = 0; o < s->nops; o++) {
        for (size_t c = 0; c < sc->n_cities; c++)
            acc += (double)sc->cities[c].population * sc->cities[c].operator_share[o] / total;
        s->cum[o] = acc;
    }
    s->ticket_mu = detmath_log((double)sc->ticket_median_fen);
    s->ticket_sigma = sc->ticket_sigma;
    return 0;
}

/* A window of reduced capacity on resource f->resource, on the internal
 * clock, as fault k; `what` names it for a warning when it does not lie
 * within the profile (it is kept: it may still shape the drain). */
static int lt_fault(struct lt *s, const struct scenario *sc, const struct loadtest_fault *f,
                    size_t k, const char *what)
{
    size_t r = f->resource < 0 ? s->ledger : (size_t)f->resource;
    double profile = s->end - s->warmup;
    const char *span = s->o->span ? s->o->span : "the profile";
    s->out->faults[k].fault = *f;
    s->out->n_faults = k + 1;
    int rc = 0;
    if (f->from_s >= profile)
        rc = warnings_add(&s->out->warnings,
                          "%s on %s from %.10g s to %.10g s starts after %s "
                          "ends at %.10g s: no judged figure sees it",
                          what, loadtest_resource_id(sc, r), f->from_s, f->until_s, span, profile);
    else if (f->until_s > profile)
        rc = warnings_add(&s->out->warnings,
                          "%s on %s from %.10g s to %.10g s lasts past the end "
                          "of %s at %.10g s: only its first %.10g s are judged and its recovery "
                          "is not measured",
                          what, loadtest_resource_id(sc, r), f->from_s, f->until_s, span, profile,
                          profile - f->from_s);
    if (rc < 0 || resource_add_outage(&s->res[r], f->from_s + s->warmup, f->until_s + s->warmup,
                                      f->capacity) < 0)
        return -1;
    return engine_schedule(&s->e, f->until_s + s->warmup, LT_EV_PROBE, (uint32_t)k, 0) ? 0 : -1;
}

/* Every fault: the options' first, then the scenario's outages. */
static int lt_faults(struct lt *s, const struct scenario *sc)
{
    const struct loadtest_options *o = s->o;
    size_t nf = 0;
    for (size_t k = 0; k < o->n_faults; k++)
        if (lt_fault(s, sc, &o->faults[k], nf++, "--fault") < 0)
            return -1;
    for (size_t k = 0; o->use_outages && k < sc->n_interventions; k++) {
        const struct intervention *iv = &sc->interventions[k];
        if (iv->kind != INTERVENTION_OUTAGE)
            continue;
        char what[160];
        snprintf(what, sizeof what, "outage '%s'", iv->id);
        struct loadtest_fault f = {iv->operator, iv->from_s, iv->until_s, iv->capacity};
        if (lt_fault(s, sc, &f, nf++, what) < 0)
            return -1;
    }
    return 0;
}

/* How many faults a run has: the options' and the scenario's outages. */
static size_t lt_count_faults(const struct scenario *sc, const struct loadtest_options *o)
{
    size_t n = o->n_faults;
    for (size_t k = 0; o->use_outages && k < sc->n_interventions; k++)
        n += sc->interventions[k].kind == INTERVENTION_OUTAGE;
    return n;
}

/* After the run: each fault's failures, backlog and recovery time, the
 * first bucket (second) from its end whose share over the latency limit is
 * within the limit's quantile (p99 under the SLO), from the per-bucket
 * counts. */
static void lt_fault_results(struct lt *s, double q)
{
    for (size_t k = 0; k < s->out->n_faults; k++) {
        struct loadtest_fault_result *f = &s->out->faults[k];
        size_t r = f->fault.resource < 0 ? s->ledger : (size_t)f->fault.resource;
        double from = f->fault.from_s + s->warmup, end = f->fault.until_s + s->warmup;
        double w = s->sec_s;
        /* Bucket indices as doubles first: a fault past the run has none. */
        double first = floor(end / w), begin = floor(from / w);
        f->recovery_s = -1;
        for (double i = first; s->limit_s > 0 && i < (double)s->n_sec; i++) {
            const uint64_t *b = s->sec[(size_t)i];
            if (b[0] && (double)b[1] <= (1 - q) * (double)b[0]) {
                f->recovery_s = fmax(0, i * w - end);
                break;
            }
        }
        double stop = f->recovery_s >= 0 ? floor((end + f->recovery_s) / w) : (double)s->n_sec;
        for (double i = begin; i < stop && i < (double)s->n_sec; i++)
            f->failed += s->sec[(size_t)i][2];
        for (size_t i = lt_interval(s, from); i <= lt_interval(s, end); i++)
            if (s->out->iv[i].max_queue[r] > f->backlog_max)
                f->backlog_max = s->out->iv[i].max_queue[r];
    }
}

/* The interval length: a step's hold for step profiles, else interval_s. */
static double lt_interval_length(const struct loadtest_options *o)
{
    return o->profile.shape == LOADTEST_STEP && o->profile.n
               ? o->profile.seg[0].t1 - o->profile.seg[0].t0
               : o->interval_s;
}

/* Judged intervals: the profile cut in slices of len, the last one
 * possibly shorter; a remainder within rounding of a whole slice is none.
 * As a double, so that an absurd ratio is seen before any conversion. */
static double lt_count_intervals(double duration, double len)
{
    double n = ceil(duration / len - 1e-9);
    return n < 1 ? 1 : n;
}

int loadtest_options_check(const struct loadtest_options *o, char *why, size_t size)
{
    double d = loadtest_spec_duration(&o->profile), len = lt_interval_length(o);
    if (!(d > 0 && isfinite(d)) || !(o->warmup_s >= 0 && isfinite(o->warmup_s)) ||
        !isfinite(d + o->warmup_s)) {
        snprintf(why, size,
                 "profile of %.6g s after a warm-up of %.6g s: expected finite "
                 "durations",
                 d, o->warmup_s);
        return -1;
    }
    if (!(len > 0 && isfinite(len))) {
        snprintf(why, size, "interval of %.6g s: expected a finite duration > 0", len);
        return -1;
    }
    double n = lt_count_intervals(d, len);
    if (n > LOADTEST_MAX_INTERVALS) {
        snprintf(why, size,
                 "a profile of %.6g s in intervals of %.6g s makes %.6g intervals "
                 "(expected at most %d: take --interval %.6gs or longer)",
                 d, len, n, LOADTEST_MAX_INTERVALS, ceil(d / LOADTEST_MAX_INTERVALS));
        return -1;
    }
    return 0;
}

static void lt_free(struct lt *s)
{
    for (size_t r = 0; s->res && r < s->nres; r++)
        resource_destroy(&s->res[r]);
    free(s->res);
    free(s->law);
    free(s->cum);
    free(s->timeout);
    free(s->pay);
    free(s->free_stack);
    free(s->sec);
    engine_destroy(&s->e);
    rng_free(s->rng);
}

/* The payment of the event after this one, fetched into the cache while
 * this one's work runs (the pool is bigger than the cache): a hint, which
 * changes nothing if another event comes first. */
static inline void lt_prefetch_next(const struct lt *s)
{
    engine_event next;
    if (engine_peek(&s->e, &next) && next.kind != LT_EV_PROBE)
        __builtin_prefetch(&s->pay[next.subject]);
}

/* Arrivals interleaved with the engine's events in time order: the
 * events up to the next arrival, then the arrival (no event for it); then
 * the drain. Stops early on no memory (s->nomem). */
static void lt_drive(struct lt *s)
{
    struct lt_clock clock = {-1, 0};
    engine_event ev;
    struct lt_pay due, ahead;
    lt_draw_payment(s, &clock, 0, &ahead);
    for (uint64_t i = 0; !s->nomem; i++) {
        due = ahead;
        double t = due.t0;
        if (t >= s->end)
            break;
        /* The next payment is drawn one arrival ahead: its draws (a Philox
         * block, the exponentials' long chains) depend on nothing the
         * events below change, so the processor overlaps them with those
         * events instead of waiting for them at the arrival, where the
         * first hop's service time is needed at once. */
        lt_draw_payment(s, &clock, i + 1, &ahead);
        /* A cheap test on the arrival count: a call every 2^16 payments. */
        if (s->o->progress && (i & 0xffff) == 0)
            s->o->progress(s->o->progress_ctx, t, s->end);
        while (t > s->close_at && !s->nomem)
            lt_close_next(s);
        uint64_t retries = s->retry_draws;
        while (engine_next(&s->e, t, &ev)) {
            s->out->events++;
            lt_prefetch_next(s);
            lt_handle(s, &ev);
        }
        /* A payment's draws after its arrival time have always come from
         * the stream where it stood at the arrival: after a retry among
         * these events, the retry's stream, not the payment's own. Drawn
         * again from there, so that runs with retries keep their numbers. */
        if (s->retry_draws != retries)
            lt_draw_rest(s, &due);
        lt_arrive(s, &due);
    }
    while (!s->nomem && engine_next(&s->e, INFINITY, &ev)) {
        s->out->events++;
        lt_prefetch_next(s);
        lt_handle(s, &ev);
    }
    while (!s->nomem && s->next_close < s->out->n_intervals)
        lt_close_next(s);
}

/* The longest a payment can take from its arrival to its last record: each
 * attempt ends by its deadline (the payer's timeout; a hop is never
 * reached after it), and the back-offs between attempts double from
 * backoff_s (jitter only shortens them); with a margin for rounding. */
static double lt_close_lag(const struct lt *s)
{
    const struct loadtest_retry *rt = &s->o->retry;
    double timeout = 0;
    for (size_t o = 0; o < s->nops; o++)
        timeout = fmax(timeout, s->timeout[o]);
    double lag = (rt->max + 1.0) * timeout + rt->backoff_s * (ldexp(1.0, (int)rt->max) - 1);
    return lag * (1 + 1e-6) + 1e-3;
}

int loadtest_run(const struct scenario *sc, const struct loadtest_options *o,
                 struct loadtest_result *out, FILE *err)
{
    struct lt s = {.o = o, .out = out};
    const char *leak = getenv("PILOTSIM_FAULT_LEAK"); /* a test hook, as in model.c */
    char why[256];
    s.leak = leak ? strtoll(leak, NULL, 10) : 0;
    memset(out, 0, sizeof *out);
    if (loadtest_options_check(o, why, sizeof why) < 0) {
        if (err)
            fprintf(err, "pilotsim: loadtest: %s\n", why);
        return -1;
    }
    double D = loadtest_spec_duration(&o->profile);
    s.warmup = o->warmup_s;
    s.end = s.warmup + D;
    s.len = lt_interval_length(o);
    size_t n_iv = 1 + (size_t)lt_count_intervals(D, s.len);
    double q = 0.99;
    s.limit_s = slo_latency_limit(&o->slo, &q);
    size_t n_faults = lt_count_faults(sc, o);
    /* Recovery buckets only when there is a fault to recover from: one per
     * second of the run, wider when that would be too many. */
    s.sec_s = fmax(1, ceil(s.end / LOADTEST_RECOVERY_BUCKETS));
    s.n_sec = n_faults ? (size_t)ceil(s.end / s.sec_s) + 1 : 0;
    int rc = -1;
    if (loadtest_result_init(out, sc->n_operators + 1, n_iv, n_faults, o->keep_resources) < 0 ||
        engine_init(&s.e, 1 << 16) < 0 || !(s.rng = rng_new(sc->seed, o->replication)) ||
        (s.n_sec && !(s.sec = calloc(s.n_sec, sizeof *s.sec))) || lt_setup(&s, sc) < 0)
        goto done;
    for (size_t i = 0; i <= n_iv; i++) {
        out->iv[i].t0 = i == 0 ? -s.warmup : i == n_iv ? D : (double)(i - 1) * s.len;
        out->iv[i].t1 = i == 0 ? 0 : i == n_iv ? INFINITY : fmin((double)i * s.len, D);
    }
    if (lt_faults(&s, sc) < 0)
        goto done;
    s.next_close = 1;
    s.close_lag = lt_close_lag(&s);
    s.close_at = lt_bound(&s, 2) + s.close_lag;

    lt_drive(&s);
    if (s.nomem)
        goto done;
    out->horizon_s = fmax(s.end, engine_now(&s.e));
    for (size_t r = 0; r < s.nres; r++) {
        /* Past the last event a dropped job may still wait: integrate to
         * the last start in the queue, so every wait is counted. */
        struct resource *q = &s.res[r];
        double last = q->q_len ? q->starts[(q->q_head + q->q_len - 1) & (q->q_cap - 1)] : 0;
        resource_queue(q, fmax(out->horizon_s, last));
        out->res_wait_s[r] = s.res[r].wait_s;
        out->res_q_area[r] = s.res[r].q_area;
        out->res_drop_wait_s[r] = s.res[r].drop_wait_s;
        out->res_jobs_all[r] = s.res[r].jobs;
    }
    /* The histograms went into the total as each interval closed. */
    for (size_t i = 1; i < n_iv; i++)
        s.overflow |= interval_add_counts(&out->total, &out->iv[i], s.nres) < 0;
    if (s.overflow) {
        if (err)
            fputs("pilotsim: loadtest: a sum of money overflowed 64-bit fen (the scenario's bounds "
                  "should prevent this: please report it)\n",
                  err);
        rc = -2; /* said; not out of memory */
        goto done;
    }
    out->total.t0 = 0;
    out->total.t1 = D;
    lt_fault_results(&s, q);
    rc = 0;
done:
    if (rc == -1 && err)
        fputs("pilotsim: loadtest: out of memory\n", err);
    lt_free(&s);
    return rc < 0 ? -1 : 0;
}
