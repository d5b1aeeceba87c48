/* engine.c: first version of the event list, a 4-ary min-heap of inline
 * events keyed by (time, id). Cancel marks a tombstone (found by a scan);
 * tombstones are dropped when they reach the top. Simple and correct: the
 * reference the faster structures are checked against. */
#include "engine.h"

#include <assert.h>
#include <stdlib.h>

#define ENGINE_DEAD UINT32_MAX     /* kind of a cancelled entry */

/* a strictly before b in (time, id) order */
static int engine_before(const engine_event *a, const engine_event *b)
{
    return a->time < b->time || (a->time == b->time && a->id < b->id);
}

static void engine_sift_up(engine_event *h, size_t i, engine_event x)
{
    while (i) {
        size_t p = (i - 1) / 4;
        if (!engine_before(&x, &h[p]))
            break;
        h[i] = h[p];
        i = p;
    }
    h[i] = x;
}

static void engine_sift_down(engine_event *h, size_t n, engine_event x)
{
    size_t i = 0;
    for (;;) {
        size_t c = 4 * i + 1, best = c, lim = c + 4 < n ? c + 4 : n;
        if (c >= n)
            break;
        for (size_t k = c + 1; k < lim; k++)
            if (engine_before(&h[k], &h[best]))
                best = k;
        if (!engine_before(&h[best], &x))
            break;
        h[i] = h[best];
        i = best;
    }
    h[i] = x;
}

int engine_init(struct engine *e, size_t capacity_hint)
{
    e->now = 0.0;
    e->next_id = 1;
    e->stopped = 0;
    e->n = e->cancelled = e->peak = 0;
    e->cap = capacity_hint > 16 ? capacity_hint : 16;
    e->heap = malloc(e->cap * sizeof *e->heap);
    return e->heap ? 0 : -1;
}

void engine_destroy(struct engine *e)
{
    free(e->heap);
    e->heap = NULL;
    e->n = e->cap = 0;
}

uint64_t engine_schedule(struct engine *e, double time, uint32_t kind,
                         uint32_t subject, uint32_t arg)
{
    assert(kind < 65536);
    if (e->n == e->cap) {
        engine_event *h = realloc(e->heap, 2 * e->cap * sizeof *h);
        if (!h)
            return 0;
        e->heap = h;
        e->cap *= 2;
    }
    engine_event x = { time, e->next_id++, kind, subject, arg };
    engine_sift_up(e->heap, e->n++, x);
    if (engine_pending(e) > e->peak)
        e->peak = engine_pending(e);
    return x.id;
}

/* Linear search: fine for the first version, replaced by O(1) handles. */
static engine_event *engine_find(struct engine *e, uint64_t id)
{
    for (size_t i = 0; i < e->n; i++)
        if (e->heap[i].id == id && e->heap[i].kind != ENGINE_DEAD)
            return &e->heap[i];
    return NULL;
}

int engine_cancel(struct engine *e, uint64_t id)
{
    engine_event *x = engine_find(e, id);
    if (!x)
        return -1;
    x->kind = ENGINE_DEAD;
    e->cancelled++;
    return 0;
}

uint64_t engine_reschedule(struct engine *e, uint64_t id, double time)
{
    engine_event *x = engine_find(e, id);
    if (!x)
        return 0;
    engine_event copy = *x;
    x->kind = ENGINE_DEAD;
    e->cancelled++;
    return engine_schedule(e, time, copy.kind, copy.subject, copy.arg);
}

int engine_next(struct engine *e, double horizon, engine_event *out)
{
    while (!e->stopped && e->n && e->heap[0].time <= horizon) {
        engine_event top = e->heap[0];
        if (--e->n)
            engine_sift_down(e->heap, e->n, e->heap[e->n]);
        if (top.kind == ENGINE_DEAD) {
            e->cancelled--;
            continue;
        }
        e->now = top.time;
        *out = top;
        return 1;
    }
    return 0;
}

void engine_stop(struct engine *e) { e->stopped = 1; }
double engine_now(const struct engine *e) { return e->now; }
size_t engine_pending(const struct engine *e) { return e->n - e->cancelled; }
size_t engine_pending_peak(const struct engine *e) { return e->peak; }
size_t engine_bytes(const struct engine *e) { return e->cap * sizeof *e->heap; }
