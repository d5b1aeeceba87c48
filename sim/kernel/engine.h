/* engine: the discrete-event kernel. A clock and a list of pending events,
 * popped in (time, insertion sequence) order, so a seed fixes a run.
 *
 * Knows nothing of payments or YAML. An event is a compact value (time, id,
 * kind, subject, arg); the caller's run loop switches on `kind`, so there is no
 * function pointer per event and no allocation per event: events live in a
 * pool of 32-byte slots (grown by doubling, reused through a free list),
 * linked into the buckets of a calendar queue (see engine.c), or held
 * beside it when it comes before every other pending event.
 *
 * Every engine_schedule takes the next value of a 64-bit sequence, which
 * breaks ties in time (first scheduled, first popped). An id is an opaque
 * nonzero handle for engine_cancel and engine_reschedule: the event's slot
 * and the low 32 bits of its sequence, so a stale id is recognised as such
 * (it could only alias after 2^32 later schedules into the same slot).
 * Ownership: struct engine is caller-owned (engine_init/engine_destroy). */
#ifndef PILOTSIM_ENGINE_H
#define PILOTSIM_ENGINE_H

#include <stddef.h>
#include <stdint.h>

typedef struct engine_event {
    double time;      /* seconds since scenario start */
    uint64_t id;      /* handle returned by engine_schedule */
    uint32_t kind;    /* caller's event kind (< 65536) */
    uint32_t subject; /* caller's subject id (agent, resource, LP...) */
    uint32_t arg;     /* caller's extra argument */
} engine_event;

struct engine_slot; /* a pending event in the pool (engine.c) */
struct engine_key;  /* an entry of the current bucket's heap (engine.c) */

/* The event list. Fields are private to engine.c; the struct is here only so
 * that callers can own it (engine_init on their storage). */
struct engine {
    double now;               /* the clock: time of the last popped event */
    uint64_t next_id;         /* next insertion sequence; starts at 1 */
    int stopped;              /* set by engine_stop */
    struct engine_slot *pool; /* slots; slot 0 is the null link */
    uint32_t pool_cap;        /* slots allocated */
    uint32_t pool_used;       /* slots ever handed out (high-water mark) */
    uint32_t free_head;       /* free list through slot.next (0: empty) */
    uint32_t *heads;          /* bucket b: first slot of its list (0: empty) */
    uint64_t nb;              /* buckets, a power of two */
    double inv_width;         /* 1 / bucket width (seconds) */
    uint64_t cur_vb;          /* current virtual bucket floor(time / width) */
    uint64_t in_lists;        /* slots linked in bucket lists (cancelled included) */
    uint64_t year_steps;      /* buckets advanced since the last width check */
    uint64_t year_pops;       /* events popped since then */
    uint64_t pop_limit;       /* pops that force a check before a year is out */
    double year_start;        /* the clock at the last check */
    uint32_t ahead[8];        /* prefetch cursors, one per bucket ahead */
    uint32_t defer[8];        /* slots placed but not yet linked (0: none) */
    uint32_t defer_pos;       /* next defer[] entry to use, modulo 8 */
    uint64_t defer_min;       /* a bound: no virtual bucket in defer[] is below it */
    int far;                  /* pool and buckets outgrow the cache: defer and prefetch */
    size_t near_bytes;        /* what "the cache" holds: this machine's L2, 1 MB at most */
    struct engine_key *cur;   /* min-heap of the events of virtual buckets <= cur_vb */
    size_t cur_n, cur_cap;    /* its size and capacity */
    size_t pending, peak;     /* live events (cancelled excluded) and their peak */
    uint32_t first;           /* slot of an event before all others, held out of the
                                 calendar (0: none; see engine.c) */
    int nomem;                /* stopped because memory ran out (engine_failed) */
    uint64_t fault_seq;       /* tests: the schedule that would take this sequence
                                 fails as if memory ran out (0: none; engine_fault) */
    uint64_t grow_at;         /* events held that send a schedule down the slow path:
                                 2 nb, or 0 while a fault is armed (engine.c) */
};

int engine_init(struct engine *e, size_t capacity_hint); /* 0 or -1 (no memory) */
void engine_destroy(struct engine *e);

/* Schedule an event at `time` (>= engine_now). Returns its id, or 0 when out of memory. */
uint64_t engine_schedule(struct engine *e, double time, uint32_t kind, uint32_t subject,
                         uint32_t arg);
/* Cancel a pending event: 0 done, -1 when it is not pending. */
int engine_cancel(struct engine *e, uint64_t id);
/* Cancel `id` and schedule the same event at `time`; returns the new id, or
 * 0 when `id` is not pending or memory ran out (the event then stays as it was). */
uint64_t engine_reschedule(struct engine *e, uint64_t id, double time);
/* Pop the next event with time <= horizon into *out and advance the clock:
 * 1 when one was popped, 0 when the list is empty, the next event lies past
 * the horizon, or engine_stop was called (or memory for the current bucket
 * ran out, which stops the engine as engine_stop does). */
int engine_next(struct engine *e, double horizon, engine_event *out);
/* The event engine_next would pop next, when it is already at hand (the
 * earliest of the current bucket, pending, the engine not stopped): 1 with
 * *out filled, else 0. Changes nothing. A loop may use it to start on its next event early
 * (fetch its data, draw its numbers) while the current one's work runs;
 * an event scheduled meanwhile can still come first, so compare ids. */
int engine_peek(const struct engine *e, engine_event *out);
void engine_stop(struct engine *e); /* engine_next returns 0 from now on */
/* 1 when the engine stopped because memory ran out (engine_next's current
 * bucket): the events left were not run, so a caller must not take the
 * end of its loop for the horizon. */
int engine_failed(const struct engine *e);
/* Fault injection for tests: the nth engine_schedule or engine_reschedule
 * from now (1: the next) fails as if memory ran out, once; 0 disarms. It
 * shows that every caller handles a failed schedule. */
void engine_fault(struct engine *e, uint64_t nth);
double engine_now(const struct engine *e);
size_t engine_pending(const struct engine *e);
size_t engine_pending_peak(const struct engine *e);
size_t engine_bytes(const struct engine *e); /* bytes held by the event list */

#endif
