/* engine.c: a calendar queue (Brown, CACM 1988) over a pool of slots.
 *
 * Time is cut into buckets of equal width; virtual bucket vb(t) = floor(t /
 * width) maps to bucket vb mod nb, whose list holds its events of every
 * "year" unsorted (insertion is a push). Only the current virtual bucket is
 * ordered: its events sit in a small binary heap of (time, sequence) keys.
 * Invariant: the heap holds exactly the events with vb <= cur_vb, the lists
 * those with vb > cur_vb; so the heap's top is the global minimum, and
 * advancing cur_vb moves one bucket's matching events into the heap.
 *
 * The structure only decides speed, never order: the pop order is (time,
 * sequence) whatever the width or the number of buckets. Both adapt: nb
 * doubles when events outnumber 2 nb and halves below nb / 8; the width,
 * about three gaps between popped events, is re-estimated when a year of
 * buckets turned out too empty, or too full (also found before the year is
 * out, by counting pops). Each rebuild is O(n) and happens at most once
 * per doubling or per year of pops, so the cost stays O(1) per event.
 *
 * An event scheduled before every pending one (a payment's next hop,
 * milliseconds ahead, when the next arrival is seconds away) is not put in
 * the calendar at all: its slot is held aside as `first`, and engine_next
 * hands it out without a heap push and pop. An event scheduled before it
 * takes its place, and it goes into the calendar as any other would; one
 * scheduled after it goes into the calendar, so `first` is always the
 * earliest. Order is unchanged: still (time, sequence).
 *
 * Why a calendar and not a heap: a heap of inline events costs O(log n)
 * cache misses per event, the calendar about two, which is what matters at
 * 16 M pending events. Hiding those misses (a defer ring for list
 * insertions, cursors walking ahead of the buckets) only pays once the pool
 * and the buckets outgrow the cache; below the L2 (a megabyte at most) a
 * cheaper prefetch from the heads does. PHOLD measures it (`make bench`,
 * docs/performance.md). */
#include "kernel/engine.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/bigmem.h"

enum { ENGINE_FREE, ENGINE_PENDING, ENGINE_CANCELLED }; /* slot states */

/* A pending event: 32 bytes, two to a cache line. */
struct engine_slot {
    double time;      /* when it happens */
    uint64_t seq;     /* insertion sequence: the tie-break */
    uint32_t subject; /* caller's subject */
    uint32_t arg;     /* caller's argument */
    uint32_t next;    /* bucket list or free list link (0: end) */
    uint16_t kind;    /* caller's kind */
    uint16_t state;   /* ENGINE_FREE, _PENDING or _CANCELLED */
};

/* The current bucket's heap entry: the order key and where the event lives. */
struct engine_key {
    double time;
    uint64_t seq;
    uint32_t slot;
};

#define ENGINE_MIN_BUCKETS 16u
#define ENGINE_VB_MAX ((uint64_t)1 << 62) /* far times share this bucket */
#define ENGINE_SAMPLE 1024                /* times sampled to set the width */
#define ENGINE_MIN_POPS 64                /* pops that tell a width */
#ifndef ENGINE_PER_BUCKET
#define ENGINE_PER_BUCKET 3.0 /* target events per bucket width */
#endif
#define ENGINE_AHEAD 8                      /* buckets walked ahead */
#define ENGINE_DEFER 8                      /* list insertions held back */
#define ENGINE_NEAR_BYTES ((size_t)1 << 20) /* pool + buckets that stay in cache, at most */
_Static_assert(sizeof((struct engine *)0)->defer == ENGINE_DEFER * sizeof(uint32_t),
               "engine.h: defer[] holds ENGINE_DEFER slots");
_Static_assert(sizeof((struct engine *)0)->ahead == ENGINE_AHEAD * sizeof(uint32_t),
               "engine.h: ahead[] holds one cursor per bucket walked ahead");

/* Where a call's register saves cost more than its body: engine_add is
 * inlined into its two callers whatever the compiler thinks of its size
 * (as a call of its own, its saves were a fifth of its instructions), and
 * engine_next's calendar path is kept out of the held first event's path. */
#if defined(__GNUC__)
#define ENGINE_ALWAYS_INLINE inline __attribute__((always_inline))
#define ENGINE_NOINLINE __attribute__((noinline))
#else
#define ENGINE_ALWAYS_INLINE inline
#define ENGINE_NOINLINE
#endif

/* Clamped in doubles, then converted as signed: one instruction on x86,
 * where an unsigned conversion adds a test and a second path. */
static inline uint64_t engine_vb(const struct engine *e, double t)
{
    double x = t * e->inv_width;
    x = x < (double)ENGINE_VB_MAX ? x : (double)ENGINE_VB_MAX;
    return (uint64_t)(int64_t)x;
}

/* The defer ring and the prefetch cursors hide cache misses; when the pool
 * and the bucket array fit in the cache there are none to hide, and they
 * only cost work. "In the cache" is this machine's L2, up to a megabyte:
 * a calendar bigger than a smaller L2 already gains from the far path. */
static size_t engine_near_bytes(void)
{
    long l2 = -1;
#ifdef _SC_LEVEL2_CACHE_SIZE
    l2 = sysconf(_SC_LEVEL2_CACHE_SIZE); /* 0 or -1 where it is not known */
#endif
    return l2 > 0 && (unsigned long)l2 < ENGINE_NEAR_BYTES ? (size_t)l2 : ENGINE_NEAR_BYTES;
}

static inline void engine_set_far(struct engine *e)
{
    e->far = (size_t)e->pool_cap * sizeof *e->pool + e->nb * sizeof *e->heads > e->near_bytes;
}

static inline int engine_key_before(const struct engine_key *a, const struct engine_key *b)
{
    return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static inline uint64_t engine_handle(const struct engine_slot *sl, uint32_t s)
{
    return (uint64_t)(uint32_t)sl->seq << 32 | s;
}

/* Make room for n keys in the current heap: 0 or -1. */
static int engine_cur_reserve(struct engine *e, size_t n)
{
    if (n <= e->cur_cap)
        return 0;
    size_t cap = e->cur_cap ? e->cur_cap : 64;
    while (cap < n)
        cap *= 2;
    struct engine_key *c = realloc(e->cur, cap * sizeof *c);
    if (!c)
        return -1;
    e->cur = c;
    e->cur_cap = cap;
    return 0;
}

/* Push a key onto the current heap (grown by doubling): 0 or -1. */
static inline int engine_cur_push(struct engine *e, struct engine_key k)
{
    if (e->cur_n == e->cur_cap && engine_cur_reserve(e, e->cur_n + 1) != 0)
        return -1;
    size_t i = e->cur_n++;
    while (i) {
        size_t p = (i - 1) / 2;
        if (!engine_key_before(&k, &e->cur[p]))
            break;
        e->cur[i] = e->cur[p];
        i = p;
    }
    e->cur[i] = k;
    return 0;
}

static inline void engine_cur_pop(struct engine *e)
{
    size_t n = --e->cur_n, i = 0;
    struct engine_key x = e->cur[n];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && engine_key_before(&e->cur[c + 1], &e->cur[c]))
            c++;
        if (!engine_key_before(&e->cur[c], &x))
            break;
        e->cur[i] = e->cur[c];
        i = c;
    }
    e->cur[i] = x;
}

static inline void engine_free_slot(struct engine *e, uint32_t s)
{
    e->pool[s].state = ENGINE_FREE;
    e->pool[s].next = e->free_head;
    e->free_head = s;
}

/* A pending event is no longer wanted: the held first one is in no list
 * and is freed now; any other is marked and freed when its bucket comes up. */
static void engine_discard(struct engine *e, uint32_t s)
{
    if (s == e->first) {
        e->first = 0;
        engine_free_slot(e, s);
    } else {
        e->pool[s].state = ENGINE_CANCELLED;
    }
}

/* Link slot s, of virtual bucket vb, at the head of its bucket's list. */
static inline void engine_link_vb(struct engine *e, uint32_t s, uint64_t vb)
{
    uint32_t *head = &e->heads[vb & (e->nb - 1)];
    e->pool[s].next = *head;
    *head = s;
}

static inline void engine_link(struct engine *e, uint32_t s)
{
    engine_link_vb(e, s, engine_vb(e, e->pool[s].time));
}

/* Link the events still waiting in the defer ring (see engine_place_vb). */
static void engine_flush(struct engine *e)
{
    for (int i = 0; i < ENGINE_DEFER; i++)
        if (e->defer[i]) {
            engine_link(e, e->defer[i]);
            e->defer[i] = 0;
        }
    e->defer_min = UINT64_MAX;
}

/* Put slot s where the invariant wants it: the heap, or its bucket's list.
 * The list head is a random place in a big array, a cache miss that would
 * stall the caller; so it is prefetched, and the linking is done
 * ENGINE_DEFER placements later, when it has arrived. The deferred events
 * all lie past cur_vb: cur_vb only moves in engine_refill, which flushes
 * the ring before collecting a bucket at or past defer_min (rarely: a
 * lookahead puts most events many buckets ahead, and flushing at every
 * refill would link them before their heads arrive), and in
 * engine_rebuild, which drops the ring and places everything afresh. So
 * the invariant holds wherever it is read. */
static int engine_place_vb(struct engine *e, uint32_t s, uint64_t vb)
{
    struct engine_slot *sl = &e->pool[s];
    if (vb <= e->cur_vb) {
        struct engine_key k = {sl->time, sl->seq, s};
        return engine_cur_push(e, k);
    }
    e->in_lists++;
    if (!e->far) {
        engine_link_vb(e, s, vb);
        return 0;
    }
    BIGMEM_PREFETCH_W(&e->heads[vb & (e->nb - 1)]);
    uint32_t *ring = &e->defer[e->defer_pos++ % ENGINE_DEFER], old = *ring;
    *ring = s;
    if (vb < e->defer_min)
        e->defer_min = vb;
    if (old)
        engine_link(e, old);
    return 0;
}

static int engine_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int engine_width_ok(double w)
{
    return w > 0 && isfinite(w) && isfinite(1.0 / w);
}

/* The width from the events popped since the last check: ENGINE_PER_BUCKET
 * times their mean gap in time, which is what a bucket will hold if the
 * next events come as densely as the last. 0 when too few were popped to
 * tell, or all at one time. */
static double engine_pop_width(const struct engine *e)
{
    double span = e->now - e->year_start;
    return e->year_pops >= ENGINE_MIN_POPS && span > 0
               ? ENGINE_PER_BUCKET * span / (double)e->year_pops
               : 0.0;
}

/* The width without that history (at the start): ENGINE_PER_BUCKET times
 * the mean gap between the earliest pending events, measured on a sample
 * (its lowest quarter, so that a few far-future events do not stretch it).
 * Pending times mislead when most of them lie far ahead (a model's clock
 * ticks and interventions months away beside payments seconds away),
 * which is why the pops' gap comes first. Falls back to the old width when
 * all the sampled times are equal. */
static double engine_sample_width(const struct engine *e, double *t, size_t n, uint64_t total)
{
    qsort(t, n, sizeof *t, engine_cmp_double);
    size_t q = n / 4;
    double span = q ? t[q] - t[0] : 0.0;
    double w = span > 0 ? ENGINE_PER_BUCKET * span / ((double)total * (double)q / (double)n) : 0;
    return engine_width_ok(w) ? w : 1.0 / e->inv_width;
}

static void engine_year_reset(struct engine *e)
{
    e->year_steps = e->year_pops = 0;
    e->year_start = e->now;
    e->pop_limit = (uint64_t)(4 * ENGINE_PER_BUCKET * (double)e->nb);
}

/* grow_at: see engine_grow. */
static inline void engine_set_grow_at(struct engine *e)
{
    e->grow_at = e->fault_seq ? 0 : 2 * e->nb;
}

/* Rebuild with nb buckets and a fresh width: `width` when it is one (the
 * pops' estimate), else one estimated from the pending times. The pool is
 * scanned in order (a stream, where walking the lists would be a miss per
 * event): O(slots ever used + nb). Nothing changes until the new bucket
 * array and the heap's room are secured, so a failure leaves the old shape
 * (slower, still right); cancelled events are freed on the way. */
static void engine_rebuild(struct engine *e, uint64_t nb, double width)
{
    double sample[ENGINE_SAMPLE];
    size_t ns = 0;
    uint64_t stride = e->pool_used / ENGINE_SAMPLE + 1, total = 0, to_heap = 0;
    for (uint32_t s = 1; s < e->pool_used; s++)
        if (e->pool[s].state == ENGINE_PENDING) {
            if (s % stride == 0 && ns < ENGINE_SAMPLE)
                sample[ns++] = e->pool[s].time;
            total++;
        }
    struct engine shape = *e; /* the new width, tried on a copy */
    if (!engine_width_ok(width))
        width = engine_sample_width(e, sample, ns, total);
    shape.inv_width = 1.0 / width;
    shape.cur_vb = engine_vb(&shape, e->now);
    for (uint32_t s = 1; s < e->pool_used; s++)
        to_heap += e->pool[s].state == ENGINE_PENDING &&
                   engine_vb(&shape, e->pool[s].time) <= shape.cur_vb;
    uint32_t *heads = bigmem_calloc(nb, sizeof *heads);
    if (!heads || engine_cur_reserve(e, to_heap) != 0) {
        free(heads);
        return;
    }
    free(e->heads);
    e->heads = heads;
    e->nb = nb;
    engine_set_grow_at(e);
    engine_set_far(e);
    e->inv_width = shape.inv_width;
    e->cur_vb = shape.cur_vb;
    e->cur_n = 0;
    e->in_lists = 0;
    e->first = 0; /* pending like the rest: the scan places it */
    engine_year_reset(e);
    memset(e->ahead, 0, sizeof e->ahead);
    memset(e->defer, 0, sizeof e->defer); /* the scan below places them */
    e->defer_min = UINT64_MAX;
    for (uint32_t s = 1; s < e->pool_used; s++) {
        if (e->pool[s].state == ENGINE_CANCELLED)
            engine_free_slot(e, s);
        else if (e->pool[s].state == ENGINE_PENDING)
            (void)engine_place_vb(e, s, engine_vb(e, e->pool[s].time)); /* room reserved */
    }
    engine_flush(e);
}

int engine_init(struct engine *e, size_t capacity_hint)
{
    memset(e, 0, sizeof *e);
    e->next_id = 1;
    e->pool_cap = capacity_hint < 16               ? 16
                  : capacity_hint < UINT32_MAX - 1 ? (uint32_t)capacity_hint + 1
                                                   : UINT32_MAX;
    e->pool_used = 1; /* slot 0 is the null link */
    e->pool = bigmem_malloc((size_t)e->pool_cap * sizeof *e->pool);
    e->nb = ENGINE_MIN_BUCKETS;
    engine_set_grow_at(e);
    e->heads = bigmem_calloc(e->nb, sizeof *e->heads);
    e->inv_width = 1.0;
    e->defer_min = UINT64_MAX;
    e->near_bytes = engine_near_bytes();
    engine_set_far(e);
    engine_year_reset(e);
    if (!e->pool || !e->heads) {
        engine_destroy(e);
        return -1;
    }
    return 0;
}

void engine_destroy(struct engine *e)
{
    free(e->pool);
    free(e->heads);
    free(e->cur);
    memset(e, 0, sizeof *e);
}

/* A never used slot, for when the free list is empty (engine_add takes the
 * most recently freed slot first, still in cache), from a doubled pool if
 * need be. 0 when out of memory. */
static uint32_t engine_alloc_fresh(struct engine *e)
{
    if (e->pool_used == e->pool_cap) {
        if (e->pool_cap == UINT32_MAX)
            return 0;
        uint32_t cap = e->pool_cap > UINT32_MAX / 2 ? UINT32_MAX : 2 * e->pool_cap;
        struct engine_slot *p = bigmem_malloc((size_t)cap * sizeof *p);
        if (!p)
            return 0;
        memcpy(p, e->pool, (size_t)e->pool_used * sizeof *p);
        free(e->pool);
        e->pool = p;
        e->pool_cap = cap;
        engine_set_far(e); /* turning far, the ring is empty: nothing to flush */
    }
    return e->pool_used++;
}

/* Whether an event at t, due in the current bucket and scheduled now (so
 * after every pending event at t), comes before every pending event:
 * before the held first one; with none, before the current bucket's
 * earliest (a cancelled one will do: it is a bound), or the bucket is
 * empty (the lists hold only later buckets). Only an event due in the
 * current bucket can be first, so the others (most of PHOLD's) never pay
 * for the test. */
static inline int engine_is_first(const struct engine *e, double t)
{
    if (e->first)
        return t < e->pool[e->first].time;
    return e->cur_n == 0 || t < e->cur[0].time;
}

/* Hold slot s, which comes before every pending event, as the first; the
 * one it displaces goes onto the current bucket's heap. 0 or -1. */
static int engine_hold_first(struct engine *e, uint32_t s)
{
    uint32_t was = e->first;
    if (was) {
        struct engine_key k = {e->pool[was].time, e->pool[was].seq, was};
        if (engine_cur_push(e, k) != 0)
            return -1;
    }
    e->first = s;
    return 0;
}

/* engine_add's slow path, taken when the events held reach grow_at: the
 * buckets double once the events outnumber 2 nb; and while a fault is
 * armed (grow_at 0 sends every schedule here) the schedule it names
 * fails: 1 then, else 0. One compare in engine_add serves both, so an
 * unarmed engine pays nothing for the fault hook. */
static ENGINE_NOINLINE int engine_grow(struct engine *e)
{
    if (e->fault_seq && e->next_id == e->fault_seq) {
        e->fault_seq = 0; /* engine_fault: this one fails, once */
        engine_set_grow_at(e);
        return 1;
    }
    if (e->in_lists + e->cur_n >= 2 * e->nb)
        engine_rebuild(e, 2 * e->nb, engine_pop_width(e));
    return 0;
}

/* engine_schedule without the pending count: the id, or 0. The common
 * cases (a recycled slot; an event before all others; the current bucket,
 * or a later one of a calendar in cache) are straight code; the rest goes
 * through engine_alloc_fresh and engine_place_vb. */
static ENGINE_ALWAYS_INLINE uint64_t engine_add(struct engine *e, double time, uint32_t kind,
                                                uint32_t subject, uint32_t arg)
{
    assert(kind < 65536);
    assert(time >= e->now); /* also rejects NaN */
    if (e->in_lists + e->cur_n >= e->grow_at && engine_grow(e))
        return 0;
    uint32_t s = e->free_head;
    if (s)
        e->free_head = e->pool[s].next;
    else if (!(s = engine_alloc_fresh(e)))
        return 0;
    struct engine_slot *sl = &e->pool[s];
    uint64_t seq = e->next_id++;
    sl->time = time;
    sl->seq = seq;
    sl->subject = subject;
    sl->arg = arg;
    sl->kind = (uint16_t)kind;
    sl->state = ENGINE_PENDING;
    uint64_t vb = engine_vb(e, time);
    int rc = 0;
    if (vb <= e->cur_vb) { /* due in the current bucket */
        struct engine_key k = {time, seq, s};
        rc = engine_is_first(e, time) ? engine_hold_first(e, s) /* a model's next hop */
                                      : engine_cur_push(e, k);
    } else if (!e->far) {
        engine_link_vb(e, s, vb);
        e->in_lists++;
    } else {
        rc = engine_place_vb(e, s, vb);
    }
    if (rc != 0) {
        engine_free_slot(e, s);
        return 0;
    }
    return (uint64_t)(uint32_t)seq << 32 | s;
}

uint64_t engine_schedule(struct engine *e, double time, uint32_t kind, uint32_t subject,
                         uint32_t arg)
{
    uint64_t id = engine_add(e, time, kind, subject, arg);
    if (id && ++e->pending > e->peak)
        e->peak = e->pending;
    return id;
}

/* The pending slot behind id, or NULL when id is stale or was never given. */
static struct engine_slot *engine_lookup(struct engine *e, uint64_t id)
{
    uint32_t s = (uint32_t)id;
    if (s == 0 || s >= e->pool_used)
        return NULL;
    struct engine_slot *sl = &e->pool[s];
    return sl->state == ENGINE_PENDING && (uint32_t)sl->seq == id >> 32 ? sl : NULL;
}

int engine_cancel(struct engine *e, uint64_t id)
{
    struct engine_slot *sl = engine_lookup(e, id);
    if (!sl)
        return -1;
    engine_discard(e, (uint32_t)id);
    e->pending--;
    return 0;
}

uint64_t engine_reschedule(struct engine *e, uint64_t id, double time)
{
    struct engine_slot *sl = engine_lookup(e, id);
    if (!sl)
        return 0;
    uint64_t nid = engine_add(e, time, sl->kind, sl->subject, sl->arg);
    if (nid) /* by its slot: the pool may have moved */
        engine_discard(e, (uint32_t)id);
    return nid;
}

/* The smallest virtual bucket in the lists (they are not empty). */
static uint64_t engine_min_vb(const struct engine *e)
{
    uint64_t m = UINT64_MAX;
    for (uint64_t b = 0; b < e->nb; b++)
        for (uint32_t s = e->heads[b]; s; s = e->pool[s].next) {
            uint64_t vb = engine_vb(e, e->pool[s].time);
            if (vb < m)
                m = vb;
        }
    return m;
}

/* Move the events of virtual bucket vb from its list into the heap. */
static inline void engine_collect(struct engine *e, uint64_t vb)
{
    uint32_t *link = &e->heads[vb & (e->nb - 1)];
    while (*link) {
        uint32_t s = *link;
        struct engine_slot *sl = &e->pool[s];
        if (engine_vb(e, sl->time) > vb) {
            link = &sl->next;
            continue;
        }
        *link = sl->next;
        e->in_lists--;
        struct engine_key k = {sl->time, sl->seq, s};
        if (sl->state == ENGINE_CANCELLED)
            engine_free_slot(e, s);
        else if (engine_cur_push(e, k) != 0) {
            /* no memory for the heap: put it back and stop for good */
            sl->next = *link;
            *link = s;
            e->in_lists++;
            e->stopped = 1;
            e->nomem = 1;
            return;
        }
    }
}

/* Bucket lists are chains of random slots, so walking one is a series of
 * dependent cache misses. Buckets are visited in order, so walk ahead: one
 * cursor per bucket of the next ENGINE_AHEAD, each advanced by one node (and
 * that node prefetched) every time cur_vb moves. By the time a bucket is
 * collected, its first ENGINE_AHEAD nodes are in cache. Cursors are only
 * hints: a stale one costs a useless prefetch, never a wrong answer. */
static inline void engine_prefetch(struct engine *e, uint64_t vb)
{
    const uint64_t m = e->nb - 1;
    uint32_t *cursor = e->ahead;
    for (int i = 1; i < ENGINE_AHEAD; i++) {
        uint32_t s = cursor[(vb + (uint64_t)i) % ENGINE_AHEAD];
        if (s && s < e->pool_used) {
            s = e->pool[s].next;
            BIGMEM_PREFETCH(&e->pool[s]);
            cursor[(vb + (uint64_t)i) % ENGINE_AHEAD] = s;
        }
    }
    /* the bucket entering the window starts at its head */
    uint32_t s = e->heads[(vb + ENGINE_AHEAD) & m];
    BIGMEM_PREFETCH(&e->pool[s]);
    cursor[vb % ENGINE_AHEAD] = s;
}

/* The same idea for a calendar in cache, where a miss costs an L2 hit, not
 * a trip to memory, so the cursors' upkeep would cost more than it saves:
 * the first node of each of the next ENGINE_NEAR_AHEAD buckets and the
 * second of the next one, found from the heads without a branch (an empty
 * list is slot 0, a harmless address). */
#define ENGINE_NEAR_AHEAD 3

static inline void engine_prefetch_near(const struct engine *e, uint64_t vb)
{
    const uint64_t m = e->nb - 1;
    for (uint64_t j = 1; j <= ENGINE_NEAR_AHEAD; j++)
        BIGMEM_PREFETCH(&e->pool[e->heads[(vb + j) & m]]);
    BIGMEM_PREFETCH(&e->pool[e->pool[e->heads[(vb + 1) & m]].next]);
}

/* The width check, after a year of buckets (engine_refill) or after
 * pop_limit pops inside one (engine_next: a year that long means buckets
 * far too full). Far fewer events popped per bucket than the target
 * (mostly empty scanning) or far more (a big heap) asks for a rebuild with
 * the pops' width; so does a calendar grown too big for what it holds.
 * Returns 1 when it rebuilt. */
static int engine_check_width(struct engine *e)
{
    double per = (double)e->year_pops / (double)(e->year_steps ? e->year_steps : 1);
    double width = engine_pop_width(e);
    uint64_t nb = e->nb;
    engine_year_reset(e); /* also when the rebuild fails: no retry at every pop */
    if (e->in_lists < nb / 8 && nb > ENGINE_MIN_BUCKETS)
        nb /= 2;
    if (nb == e->nb && per >= ENGINE_PER_BUCKET / 8 && per <= 2 * ENGINE_PER_BUCKET)
        return 0;
    engine_rebuild(e, nb, width);
    return 1;
}

/* Refill the empty heap from the next nonempty virtual bucket: 0 when no
 * event is left; checks the width once a year of buckets. */
static int engine_refill(struct engine *e)
{
    uint64_t empty_run = 0;
    while (e->cur_n == 0) {
        if (e->in_lists == 0)
            return 0;
        /* A rebuild starts again from now's bucket: empty_run keeps
         * counting, or a sparse list would rebuild forever without ever
         * jumping to its earliest event. */
        if (e->year_steps >= e->nb && engine_check_width(e))
            continue;
        if (++empty_run > e->nb) {
            /* a whole year with nothing due: jump to the earliest event */
            engine_flush(e);
            e->cur_vb = engine_min_vb(e);
            empty_run = 0;
        } else {
            e->cur_vb++;
        }
        e->year_steps++;
        if (e->cur_vb >= e->defer_min)
            engine_flush(e);
        if (e->far)
            engine_prefetch(e, e->cur_vb);
        else
            engine_prefetch_near(e, e->cur_vb);
        engine_collect(e, e->cur_vb);
        if (e->stopped)
            return 0;
    }
    return 1;
}

/* Bring the earliest live event to the top of the current heap, dropping
 * cancelled ones on the way: 1, or 0 when none is left or the engine stopped. */
static int engine_top_slow(struct engine *e)
{
    while (!e->stopped) {
        if (e->cur_n == 0 && !engine_refill(e))
            return 0;
        uint32_t s = e->cur[0].slot;
        if (e->pool[s].state != ENGINE_CANCELLED)
            return 1;
        engine_cur_pop(e);
        engine_free_slot(e, s);
    }
    return 0;
}

static inline int engine_top(struct engine *e)
{
    if (e->cur_n != 0 && !e->stopped && e->pool[e->cur[0].slot].state == ENGINE_PENDING)
        return 1;
    return engine_top_slow(e);
}

static inline void engine_fill(const struct engine *e, uint32_t s, engine_event *out)
{
    const struct engine_slot *sl = &e->pool[s];
    out->time = sl->time;
    out->id = engine_handle(sl, s);
    out->kind = sl->kind;
    out->subject = sl->subject;
    out->arg = sl->arg;
}

/* engine_next's path for the held first event: no heap to pop, and not a
 * pop of the calendar's (its width follows the gaps between those). */
static int engine_next_first(struct engine *e, double horizon, engine_event *out)
{
    uint32_t s = e->first;
    if (e->stopped || e->pool[s].time > horizon)
        return 0;
    engine_fill(e, s, out);
    e->now = out->time;
    e->pending--;
    e->first = 0;
    engine_free_slot(e, s);
    return 1;
}

/* engine_next's path through the calendar: out of line, so that the held
 * first event's path saves no registers for it. */
static ENGINE_NOINLINE int engine_next_calendar(struct engine *e, double horizon, engine_event *out)
{
    if (!engine_top(e) || e->cur[0].time > horizon)
        return 0;
    struct engine_key top = e->cur[0];
    engine_cur_pop(e);
    engine_fill(e, top.slot, out);
    e->now = top.time;
    e->pending--;
    engine_free_slot(e, top.slot);
    if (++e->year_pops >= e->pop_limit)
        (void)engine_check_width(e);
    return 1;
}

int engine_next(struct engine *e, double horizon, engine_event *out)
{
    return e->first ? engine_next_first(e, horizon, out) : engine_next_calendar(e, horizon, out);
}

int engine_peek(const struct engine *e, engine_event *out)
{
    if (e->stopped)
        return 0;
    if (e->first) {
        engine_fill(e, e->first, out);
        return 1;
    }
    if (e->cur_n == 0 || e->pool[e->cur[0].slot].state != ENGINE_PENDING)
        return 0;
    engine_fill(e, e->cur[0].slot, out);
    return 1;
}

void engine_stop(struct engine *e)
{
    e->stopped = 1;
}
int engine_failed(const struct engine *e)
{
    return e->nomem;
}

void engine_fault(struct engine *e, uint64_t nth)
{
    e->fault_seq = nth ? e->next_id + nth - 1 : 0;
    engine_set_grow_at(e);
}
double engine_now(const struct engine *e)
{
    return e->now;
}
size_t engine_pending(const struct engine *e)
{
    return e->pending;
}
size_t engine_pending_peak(const struct engine *e)
{
    return e->peak;
}

size_t engine_bytes(const struct engine *e)
{
    return (size_t)e->pool_cap * sizeof *e->pool + e->nb * sizeof *e->heads +
           e->cur_cap * sizeof *e->cur;
}
