/* engine: the discrete-event kernel. A clock and a list of pending events,
 * popped in (time, insertion sequence) order, so a seed fixes a run.
 *
 * Knows nothing of payments or YAML. An event is a compact value (time, id,
 * kind, subject, arg); the caller's run loop switches on `kind`, so there is no
 * function pointer per event and no allocation per event: entries live inline
 * in the event list, which grows by doubling and is reused.
 *
 * Ids are opaque, nonzero handles for engine_cancel and engine_reschedule;
 * ties in time go to the earlier engine_schedule call (a 64-bit sequence).
 * Ownership: struct engine is caller-owned (engine_init/engine_destroy). */
#ifndef PILOTSIM_ENGINE_H
#define PILOTSIM_ENGINE_H

#include <stddef.h>
#include <stdint.h>

typedef struct engine_event {
    double time;       /* seconds since scenario start */
    uint64_t id;       /* handle returned by engine_schedule */
    uint32_t kind;     /* caller's event kind (< 65536) */
    uint32_t subject;  /* caller's subject id (agent, resource, LP...) */
    uint32_t arg;      /* caller's extra argument */
} engine_event;

/* The event list. Fields are private to engine.c; the struct is here only so
 * that callers can own it (engine_init on their storage). */
struct engine {
    double now;               /* the clock: time of the last popped event */
    uint64_t next_id;         /* next insertion sequence; ids start at 1 */
    int stopped;              /* set by engine_stop */
    engine_event *heap;       /* 4-ary min-heap on (time, id) */
    size_t n, cap;            /* entries in use (cancelled included), capacity */
    size_t cancelled;         /* tombstones still in the heap */
    size_t peak;              /* largest engine_pending seen */
};

int engine_init(struct engine *e, size_t capacity_hint);  /* 0 or -1 (no memory) */
void engine_destroy(struct engine *e);

/* Schedule an event at `time` (>= engine_now). Returns its id, or 0 when out of memory. */
uint64_t engine_schedule(struct engine *e, double time, uint32_t kind,
                         uint32_t subject, uint32_t arg);
/* Cancel a pending event: 0 done, -1 when it is not pending. */
int engine_cancel(struct engine *e, uint64_t id);
/* Cancel `id` and schedule the same event at `time`; returns the new id (0 on failure). */
uint64_t engine_reschedule(struct engine *e, uint64_t id, double time);
/* Pop the next event with time <= horizon into *out and advance the clock:
 * 1 when one was popped, 0 when the list is empty, the next event lies past
 * the horizon, or engine_stop was called. */
int engine_next(struct engine *e, double horizon, engine_event *out);
void engine_stop(struct engine *e);            /* engine_next returns 0 from now on */
double engine_now(const struct engine *e);
size_t engine_pending(const struct engine *e);
size_t engine_pending_peak(const struct engine *e);
size_t engine_bytes(const struct engine *e);   /* bytes held by the event list */

#endif
