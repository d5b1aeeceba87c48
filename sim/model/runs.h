/* runs: long runs of random draws, cut into chunks (header only).
 *
 * An rng stream holds 2^17 64-bit draws (rng.h): fewer than a pass over a
 * city's people or a lottery's registrants can need at sample 1, and a
 * stream that wraps around repeats its numbers. So a long run is cut into
 * chunks of RUNS_CHUNK items, chunk j drawn from stream (purpose, agent,
 * base + j), with room for 32 draws an item; call runs_chunk before item
 * k. Runs of one purpose keep their counters apart by `base` (a run's
 * index shifted left by RUNS_SHIFT) or by `agent` (RUNS_AGENT). Inline:
 * it sits in the set-up's loops over every person. */
#ifndef PILOTSIM_RUNS_H
#define PILOTSIM_RUNS_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

#include "kernel/rng.h"

#define RUNS_CHUNK 4096u
#define RUNS_SHIFT 28 /* 2^28 chunks of 4096: 2^40 items a run */

static inline void runs_chunk(gsl_rng *r, uint32_t purpose, uint64_t agent, uint64_t base,
                              uint64_t k)
{
    if (k % RUNS_CHUNK == 0)
        rng_at(r, purpose, agent, base + k / RUNS_CHUNK);
}

/* The agents of intervention i's long runs, apart from its own counters. */
#define RUNS_AGENT(use, i) ((uint64_t)(use) << 32 | (uint32_t)(i))

/* Which long run of an intervention: its agent is RUNS_AGENT(run, i).
 * RUNS_EAGERNESS is a stream a person (counter: the user id), not a run. */
enum runs_use { RUNS_OWNERS = 1, RUNS_PEOPLE, RUNS_MERCHANTS, RUNS_EAGERNESS, RUNS_OFFLINE };

#endif
