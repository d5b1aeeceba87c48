/* phold.c: PHOLD on the engine. The loop is the engine's own hot path
 * (engine_next, one handler, one engine_schedule) plus one Philox block per
 * event, computed inline (rng_stream_block): 64 bits for the exponential
 * increment, 32 for the destination and 32 for the remote decision
 * (Lemire's multiply-shift with rejection, so the choice is exactly
 * uniform). */
#include "phold.h"
#include "engine.h"
#include "rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { PHOLD_INIT = 1, PHOLD_EVENT = 2 };     /* rng purposes */

struct phold_params phold_params_default(void)
{
    struct phold_params p = { 1024, 16, 0.25, 0.1, 1.0, 1000.0, 1 };
    return p;
}

/* log(x) = k ln2 + log(1+f), 1+f in [sqrt(1/2), sqrt(2)). With s = f/(2+f),
 * log(1+f) = 2 atanh(s) = f - f^2/2 + s (f^2/2 + R), R = 2 s^2 (1/3 + s^2/5
 * + ...); |s| < 0.172, so ten terms reach 1e-19, summed by Estrin's scheme
 * (shorter dependency chains than Horner's). The exact f comes first and
 * only small corrections are rounded; ln2 is split so that k * LN2_HI is
 * exact. Only +, *, / and bit moves: the same bits on every IEEE machine
 * (the build uses -std=c11, which keeps the compiler from fusing
 * multiply-adds). */
double phold_log(double x)
{
    static const double LN2_HI = 6.93147180369123816490e-01;
    static const double LN2_LO = 1.90821492927058770002e-10;
    static const double SQRT2 = 1.41421356237309504880;
    uint64_t b;
    int k = 0;
    if (!(x > 0x1.0p-1022 && x <= 0x1.fffffffffffffp1023)) {
        if (x > 0 && x < 0x1.0p-1022) {
            x *= 0x1.0p54;            /* subnormal: scale into the normal range */
            k = -54;
        } else {
            return x == 0 ? -HUGE_VAL : x > 0 ? x : (x - x) / (x - x);   /* inf, NaN */
        }
    }
    memcpy(&b, &x, sizeof b);
    k += (int)(b >> 52) - 1023;
    b = (b & 0x000FFFFFFFFFFFFFull) | 0x3FF0000000000000ull;   /* m in [1, 2) */
    double m;
    memcpy(&m, &b, sizeof m);
    if (m > SQRT2) {
        m *= 0.5;
        k++;
    }
    double f = m - 1.0, s = f / (2.0 + f), z = s * s, z2 = z * z, z4 = z2 * z2;
    double p = ((1.0 / 3 + z * (1.0 / 5)) + z2 * (1.0 / 7 + z * (1.0 / 9))) +
               z4 * ((1.0 / 11 + z * (1.0 / 13)) + z2 * (1.0 / 15 + z * (1.0 / 17))) +
               z4 * z4 * (1.0 / 19 + z * (1.0 / 21));
    double hfsq = 0.5 * f * f, r = 2.0 * z * p, dk = k;
    return dk * LN2_HI - ((hfsq - (s * (hfsq + r) + dk * LN2_LO)) - f);
}

/* The loop's exponential: -log(u) for u in (0,1) from a 128-entry table.
 * u = 2^k m, m in [1,2); c = 1 + (j + 1/2)/128 is the centre of m's
 * 1/128-wide cell, so m - c is exact, r = (m - c)/c lies within 1/256, and
 * log u = k ln2 + log c + log1p(r), log1p by its series to r^6 (error under
 * 1e-17). The table comes from phold_log, so it is the same everywhere; the
 * absolute error, about 1e-16, is far below the ulp of the times it is
 * added to. No division and no branch: a third of the cost of phold_log. */
struct phold_exp {
    double inv_c[128];   /* 1 / c_j, rounded */
    double log_c[128];   /* log c_j, within 1 ulp */
};

static void phold_exp_init(struct phold_exp *t)
{
    for (int j = 0; j < 128; j++) {
        double c = (double)(257 + 2 * j) / 256.0;    /* exact */
        t->inv_c[j] = 1.0 / c;
        t->log_c[j] = phold_log(c);
    }
}

static inline double phold_exp(const struct phold_exp *t, double u)
{
    static const double LN2_HI = 6.93147180369123816490e-01;
    static const double LN2_LO = 1.90821492927058770002e-10;
    uint64_t b;
    memcpy(&b, &u, sizeof b);
    int k = (int)(b >> 52) - 1023;
    unsigned j = (unsigned)(b >> 45) & 127u;
    b = (b & 0x000FFFFFFFFFFFFFull) | 0x3FF0000000000000ull;
    double m;
    memcpy(&m, &b, sizeof m);
    double r = (m - (double)(257 + 2 * j) / 256.0) * t->inv_c[j], r2 = r * r;
    double p = (r - r2 * (0.5 - r * (1.0 / 3))) +
               r2 * r2 * ((-0.25 + r * 0.2) - r2 * (1.0 / 6));
    double dk = k;
    return -(dk * LN2_HI + ((dk * LN2_LO + t->log_c[j]) + p));
}

static double phold_clock(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Peak resident memory in bytes (Linux's VmHWM), 0 when unknown. */
static double phold_peak_rss(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    double kb = 0.0;
    if (!f)
        return 0.0;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "VmHWM:", 6) == 0) {
            kb = strtod(line + 6, NULL);
            break;
        }
    fclose(f);
    return kb * 1024.0;
}

static int phold_check(const struct phold_params *p)
{
    const char *bad = NULL;
    if (p->lps < 1 || p->lps > UINT32_MAX)
        bad = "--lps must be in 1..4294967295";
    else if (p->population < 1 || p->population > (UINT32_MAX - 1) / p->lps)
        bad = "--population must be at least 1, and lps * population below 2^32";
    else if (!(p->remote >= 0.0 && p->remote <= 1.0))
        bad = "--remote must be a probability in [0, 1]";
    else if (!(p->lookahead >= 0.0 && isfinite(p->lookahead)))
        bad = "--lookahead must be finite and >= 0";
    else if (!(p->mean >= p->lookahead && p->mean > 0.0 && isfinite(p->mean)))
        bad = "--mean must be finite, > 0 and >= --lookahead";
    else if (!(p->end >= 0.0 && isfinite(p->end)))
        bad = "--end must be finite and >= 0";
    if (bad)
        fprintf(stderr, "pilotsim bench phold: %s\n", bad);
    return bad ? -1 : 0;
}

/* Lemire's multiply-shift: the LP in [0, n) is the high half of x n, exactly
 * uniform once the rare low halves under 2^32 mod n are rejected. This is
 * the rejection path (probability < n / 2^32): more bits from the event's
 * own stream, past its first block, until the low half passes. */
static uint64_t phold_repick(gsl_rng *r, uint64_t m, uint64_t n, uint64_t agent, uint64_t ctr)
{
    uint32_t t = (uint32_t)((0x100000000ull - n) % n);   /* 2^32 mod n */
    if ((uint32_t)m >= t)
        return m;
    rng_at(r, PHOLD_EVENT, agent, ctr);
    (void)rng_bits(r);            /* the first block went to the event's draws */
    (void)rng_bits(r);
    while ((uint32_t)m < t)
        m = (uint64_t)(uint32_t)(rng_bits(r) >> 32) * n;
    return m;
}

/* FNV-style fold of one 64-bit word into the checksum. */
static uint64_t phold_fold(uint64_t c, uint64_t w)
{
    return (c ^ w) * 0x100000001B3ull;
}

int phold_run(const struct phold_params *p, struct phold_result *out)
{
    if (phold_check(p) != 0)
        return -1;
    const uint64_t n = p->lps, pop = n * p->population;
    const double scale = p->mean - p->lookahead;
    /* remote when the low 32 bits fall under P * 2^32 (P = 1: always) */
    const uint64_t remote_below = (uint64_t)(p->remote * 4294967296.0);
    double t0 = phold_clock();
    struct engine e;
    gsl_rng *r = rng_new(p->seed, 0);
    if (!r || engine_init(&e, pop) != 0) {
        rng_free(r);
        fprintf(stderr, "pilotsim bench phold: out of memory\n");
        return -1;
    }
    int rc = 0;
    struct phold_exp ex;
    phold_exp_init(&ex);
    /* initial events go to their own LP, as in ROSS and phold_ref.c; event
     * i M + k starts chain i M + k, which its descendants carry in `arg` */
    for (uint64_t i = 0; i < n && rc == 0; i++)
        for (uint64_t k = 0; k < p->population; k++) {
            rng_at(r, PHOLD_INIT, i * p->population + k, 0);
            double t = p->lookahead + scale * phold_exp(&ex, rng_uniform_pos(r));
            if (!engine_schedule(&e, t, 0, (uint32_t)i, (uint32_t)(i * p->population + k))) {
                rc = -1;
                break;
            }
        }
    rng_at(r, PHOLD_EVENT, 0, 0);  /* the events' key, for rng_stream_block */
    uint64_t events = 0, sum = 0xCBF29CE484222325ull;
    engine_event ev;
    while (rc == 0 && engine_next(&e, p->end, &ev)) {
        uint32_t lp = ev.subject;
        /* the stream of this hop: (chain, hop mod 2^16 in `kind`, the time's
         * 64 bits), unique since a chain's times never decrease and a hop
         * that does not advance the time still changes the hop number */
        uint64_t tb;
        memcpy(&tb, &ev.time, sizeof tb);
        uint64_t agent = ev.arg | (uint64_t)ev.kind << 32 | (tb >> 48) << 48;
        uint64_t w[2];
        rng_stream_block(r, agent, tb, w);
        double u = ((double)(w[0] >> 11) + 0.5) * 0x1.0p-53;
        double t = ev.time + p->lookahead + scale * phold_exp(&ex, u);
        /* the destination without a branch on the coin (a 1 in 4 guess the
         * processor would miss often): both sides computed, one kept */
        uint64_t m = (w[1] >> 32) * n;
        uint32_t remote = -(uint32_t)((uint32_t)w[1] < remote_below);
        if (((uint32_t)m < n) & (remote != 0))   /* one rare branch, not a coin flip */
            m = phold_repick(r, m, n, agent, tb);
        uint32_t dest = ((uint32_t)(m >> 32) & remote) | (lp & ~remote);
        if (!engine_schedule(&e, t, (ev.kind + 1) & 0xFFFFu, dest, ev.arg))
            rc = -1;
        sum = phold_fold(sum, tb ^ ((uint64_t)lp << 32));
        events++;
    }
    if (rc != 0)
        fprintf(stderr, "pilotsim bench phold: out of memory\n");
    out->events = events;
    out->pending_peak = engine_pending_peak(&e);
    out->checksum = sum & ((1ull << 53) - 1);   /* exact in any JSON reader */
    engine_destroy(&e);
    rng_free(r);
    out->wall_s = phold_clock() - t0;
    out->events_per_s = out->wall_s > 0 ? (double)events / out->wall_s : 0.0;
    double rss = phold_peak_rss();
    out->bytes_per_pending = out->pending_peak ? rss / (double)out->pending_peak : 0.0;
    return rc;
}

int phold_write_json(const struct phold_result *r, FILE *f)
{
    int n = fprintf(f, "{\"events\": %llu, \"wall_s\": %.6f, \"events_per_s\": %.0f, "
                       "\"pending_peak\": %llu, \"bytes_per_pending\": %.2f, "
                       "\"checksum\": %llu, \"rng\": \"%s\"}\n",
                    (unsigned long long)r->events, r->wall_s, r->events_per_s,
                    (unsigned long long)r->pending_peak, r->bytes_per_pending,
                    (unsigned long long)r->checksum, rng_name());
    return n < 0 || fflush(f) != 0 ? -1 : 0;
}
