/* phold.c: PHOLD on the engine. The loop is the engine's own hot path
 * (engine_next, one handler, one engine_schedule) plus one Philox block per
 * event, computed inline (rng_stream_block): 64 bits for the exponential
 * increment, 32 for the destination and 32 for the remote decision
 * (Lemire's multiply-shift with rejection, so the choice is exactly
 * uniform). */
#include "kernel/phold.h"
#include "kernel/engine.h"
#include "kernel/rng.h"
#include "kernel/rng_internal.h" /* the state, for rng_neglog's table */

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { PHOLD_INIT = 1, PHOLD_EVENT = 2 }; /* rng purposes */

struct phold_params phold_params_default(void)
{
    struct phold_params p = {1024, 16, 0.25, 0.1, 1.0, 1000.0, 1};
    return p;
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
    uint32_t t = (uint32_t)((0x100000000ull - n) % n); /* 2^32 mod n */
    if ((uint32_t)m >= t)
        return m;
    rng_at(r, PHOLD_EVENT, agent, ctr);
    (void)rng_bits(r); /* the first block went to the event's draws */
    (void)rng_bits(r);
    while ((uint32_t)m < t)
        m = (uint64_t)(uint32_t)(rng_bits(r) >> 32) * n;
    return m;
}

/* The stream of an event's hop: (chain, hop mod 2^16 in `kind`, the time's
 * 64 bits), unique since a chain's times never decrease and a hop that
 * does not advance the time still changes the hop number. The agent, with
 * the time's bits in *tb (their low 48 are the counter). */
static inline uint64_t phold_stream(const engine_event *ev, uint64_t *tb)
{
    memcpy(tb, &ev->time, sizeof *tb);
    return ev->arg | (uint64_t)ev->kind << 32 | (*tb >> 48) << 48;
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
    const struct rng_state *rs = r->state;
    /* initial events go to their own LP, as in ROSS and phold_ref.c; event
     * i M + k starts chain i M + k, which its descendants carry in `arg` */
    rng_at(r, PHOLD_INIT, 0, 0); /* the initial events' key: event j draws stream j */
    for (uint64_t i = 0; i < n && rc == 0; i++)
        for (uint64_t k = 0; k < p->population; k++) {
            uint64_t w[2];
            rng_stream_block(r, i * p->population + k, 0, w);
            double t = p->lookahead + scale * rng_neglog(rs, rng_uniform_of(w[0]));
            if (!engine_schedule(&e, t, 0, (uint32_t)i, (uint32_t)(i * p->population + k))) {
                rc = -1;
                break;
            }
        }
    rng_at(r, PHOLD_EVENT, 0, 0); /* the events' key, for rng_stream_block */
    uint64_t events = 0, sum = 0xCBF29CE484222325ull;
    engine_event ev, next;
    uint64_t next_id = 0, next_w[2] = {0, 0}; /* the block drawn ahead, for event next_id */
    while (rc == 0 && engine_next(&e, p->end, &ev)) {
        uint32_t lp = ev.subject;
        uint64_t tb, agent = phold_stream(&ev, &tb), w[2];
        if (ev.id == next_id) {
            w[0] = next_w[0];
            w[1] = next_w[1];
        } else {
            rng_stream_block(r, agent, tb, w);
        }
        /* The next event's block now: its ten dependent multiplies run
         * beside this event's work instead of after it. */
        next_id = 0;
        if (engine_peek(&e, &next)) {
            uint64_t ntb, nagent = phold_stream(&next, &ntb);
            rng_stream_block(r, nagent, ntb, next_w);
            next_id = next.id;
        }
        double t = ev.time + p->lookahead + scale * rng_neglog(rs, rng_uniform_of(w[0]));
        /* the destination without a branch on the coin (a 1 in 4 guess the
         * processor would miss often): both sides computed, one kept */
        uint64_t m = (w[1] >> 32) * n;
        uint32_t remote = -(uint32_t)((uint32_t)w[1] < remote_below);
        if (((uint32_t)m < n) & (remote != 0)) /* one rare branch, not a coin flip */
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
    out->checksum = sum & ((1ull << 53) - 1); /* exact in any JSON reader */
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
    int n = fprintf(f,
                    "{\"events\": %llu, \"wall_s\": %.6f, \"events_per_s\": %.0f, "
                    "\"pending_peak\": %llu, \"bytes_per_pending\": %.2f, "
                    "\"checksum\": %llu, \"rng\": \"%s\"}\n",
                    (unsigned long long)r->events, r->wall_s, r->events_per_s,
                    (unsigned long long)r->pending_peak, r->bytes_per_pending,
                    (unsigned long long)r->checksum, rng_name());
    return n < 0 || fflush(f) != 0 ? -1 : 0;
}
