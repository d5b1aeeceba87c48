/* test_engine: the event list's order, FIFO ties, cancel, reschedule, stop and
 * horizon, the event held first outside the calendar, then random mixed
 * operations checked against a sorted array (the obviously correct
 * reference): a model's chains of hops, a million operations with the
 * calendar in cache, and 300,000 on the far path (defer ring, prefetch
 * cursors). */
#include <stdlib.h>
#include <string.h>

#include "kernel/engine.h"
#include "test.h"

/* Reference entry: `seq` is the reference's own schedule order. */
struct ref_ev {
    double time;
    uint64_t seq, id;
    uint32_t kind, subject, arg;
};

struct ref {
    struct ref_ev *v;
    size_t n, cap;
};

static int ref_before(const struct ref_ev *a, const struct ref_ev *b)
{
    return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

/* Insert keeping v sorted descending, so the minimum is v[n-1]. */
static void ref_push(struct ref *r, struct ref_ev x)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 64;
        r->v = realloc(r->v, r->cap * sizeof *r->v);
    }
    size_t i = r->n;
    while (i > 0 && ref_before(&r->v[i - 1], &x))
        i--;
    memmove(&r->v[i + 1], &r->v[i], (r->n - i) * sizeof *r->v);
    r->v[i] = x;
    r->n++;
}

static void ref_remove(struct ref *r, size_t i)
{
    memmove(&r->v[i], &r->v[i + 1], (r->n - i - 1) * sizeof *r->v);
    r->n--;
}

/* xorshift64*: the test's own small generator, independent of sim/rng. */
static uint64_t test_rand(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545F4914F6CDD1DULL;
}

static void test_order_and_ties(void)
{
    struct engine e;
    engine_event ev;
    check(engine_init(&e, 0) == 0, "init");
    uint64_t a = engine_schedule(&e, 5.0, 1, 10, 0);
    uint64_t b = engine_schedule(&e, 1.0, 2, 20, 0);
    uint64_t c = engine_schedule(&e, 5.0, 3, 30, 0);
    uint64_t d = engine_schedule(&e, 5.0, 4, 40, 7);
    check(a && b && c && d && a != b && b != c && c != d, "ids are nonzero and distinct");
    check(engine_pending(&e) == 4 && engine_pending_peak(&e) == 4, "pending 4");
    check(engine_next(&e, 1e9, &ev) == 1 && ev.id == b && ev.time == 1.0, "earliest first");
    check(engine_now(&e) == 1.0, "clock advanced");
    check(engine_next(&e, 1e9, &ev) == 1 && ev.id == a && ev.kind == 1, "tie: first scheduled");
    check(engine_next(&e, 1e9, &ev) == 1 && ev.id == c && ev.subject == 30, "tie: second");
    check(engine_next(&e, 1e9, &ev) == 1 && ev.id == d && ev.arg == 7, "tie: third");
    check(engine_next(&e, 1e9, &ev) == 0, "empty");
    check(engine_pending(&e) == 0 && engine_pending_peak(&e) == 4, "peak kept");
    check(engine_bytes(&e) > 0, "bytes reported");
    engine_destroy(&e);
}

static void test_cancel_reschedule(void)
{
    struct engine e;
    engine_event ev;
    engine_init(&e, 4);
    uint64_t a = engine_schedule(&e, 1.0, 1, 1, 0);
    uint64_t b = engine_schedule(&e, 2.0, 2, 2, 0);
    uint64_t c = engine_schedule(&e, 3.0, 3, 3, 0);
    check(engine_cancel(&e, b) == 0, "cancel pending");
    check(engine_cancel(&e, b) == -1, "cancel twice fails");
    check(engine_cancel(&e, 0) == -1, "cancel id 0 fails");
    check(engine_cancel(&e, 987654321) == -1, "cancel unknown id fails");
    check(engine_pending(&e) == 2, "pending excludes cancelled");
    uint64_t a2 = engine_reschedule(&e, a, 4.0);
    check(a2 != 0 && a2 != a, "reschedule gives a new id");
    check(engine_cancel(&e, a) == -1, "old id no longer pending");
    check(engine_reschedule(&e, b, 9.0) == 0, "reschedule of cancelled fails");
    check(engine_next(&e, 1e9, &ev) == 1 && ev.id == c, "cancelled and moved skipped");
    check(engine_cancel(&e, c) == -1, "cancel of a popped event fails");
    check(engine_next(&e, 1e9, &ev) == 1 && ev.id == a2 && ev.time == 4.0 && ev.kind == 1,
          "rescheduled event keeps its kind at its new time");
    check(engine_next(&e, 1e9, &ev) == 0 && engine_pending(&e) == 0, "drained");
    engine_destroy(&e);
}

static void test_horizon_stop(void)
{
    struct engine e;
    engine_event ev;
    engine_init(&e, 0);
    engine_schedule(&e, 1.0, 1, 0, 0);
    engine_schedule(&e, 2.0, 2, 0, 0);
    check(engine_next(&e, 1.0, &ev) == 1 && ev.kind == 1, "event at the horizon is handled");
    check(engine_next(&e, 1.5, &ev) == 0 && engine_pending(&e) == 1, "past horizon stays");
    engine_stop(&e);
    check(engine_next(&e, 1e9, &ev) == 0, "stopped");
    engine_destroy(&e);
}

/* engine_fault: the nth schedule from now fails as if memory ran out,
 * once, and leaves no trace: the others pop in order, a failed reschedule
 * leaves its event where it was, 0 disarms, and engine_failed (an engine
 * stopped for want of memory) is not set by a caller's failed schedule or
 * by engine_stop. */
static void test_fault(void)
{
    struct engine e;
    engine_event ev;
    engine_init(&e, 4);
    engine_fault(&e, 3);
    uint64_t a = engine_schedule(&e, 1.0, 1, 0, 0);
    uint64_t b = engine_schedule(&e, 2.0, 2, 0, 0);
    uint64_t c = engine_schedule(&e, 3.0, 3, 0, 0);
    uint64_t d = engine_schedule(&e, 4.0, 4, 0, 0);
    check(a && b && !c && d, "the third schedule fails, the others succeed");
    check(engine_pending(&e) == 3, "the failed one is not pending");
    engine_fault(&e, 1);
    check(engine_reschedule(&e, a, 5.0) == 0, "a reschedule counts: it fails");
    engine_fault(&e, 2);
    engine_fault(&e, 0);
    check(engine_schedule(&e, 6.0, 6, 0, 0) && engine_schedule(&e, 7.0, 7, 0, 0), "0 disarms");
    int order = 1;
    double want[] = {1, 2, 4, 6, 7};
    for (int i = 0; i < 5; i++)
        order &= engine_next(&e, 1e9, &ev) == 1 && ev.time == want[i];
    check(order && engine_next(&e, 1e9, &ev) == 0,
          "the rest pop in order, the failed reschedule's event where it was");
    check(!engine_failed(&e),
          "a failed schedule is the caller's to report: the engine has not failed");
    engine_stop(&e);
    check(!engine_failed(&e), "nor does engine_stop make it so");
    engine_destroy(&e);
}

/* engine_peek shows what engine_next will pop, changes nothing, and says
 * nothing on an empty list; an event scheduled after a peek may come first.
 * (test_random_against_reference checks every pop after a peek.) */
static void test_peek(void)
{
    struct engine e;
    engine_event ev, pk, again;
    engine_init(&e, 0);
    check(engine_peek(&e, &pk) == 0, "peek on an empty list");
    engine_schedule(&e, 1.0, 2, 20, 0);
    engine_schedule(&e, 1.0, 1, 10, 0); /* a tie: in the same bucket, at hand */
    check(engine_next(&e, 1e9, &ev) && ev.kind == 2, "first scheduled first");
    check(engine_peek(&e, &pk) && engine_peek(&e, &again) && pk.id == again.id && pk.kind == 1,
          "peek twice, the same event");
    check(engine_next(&e, 1e9, &ev) && ev.id == pk.id && ev.time == pk.time &&
              ev.subject == pk.subject,
          "the peeked event is the next pop");
    engine_schedule(&e, 5.0, 3, 0, 0);
    if (engine_peek(&e, &pk))
        check(pk.kind == 3, "peek sees the only event");
    engine_schedule(&e, 3.0, 4, 0, 0); /* after the peek, and earlier */
    check(engine_next(&e, 1e9, &ev) && ev.kind == 4,
          "an event scheduled after a peek can come first");
    engine_schedule(&e, 5.0, 5, 0, 0); /* a tie with kind 3: both at hand */
    engine_stop(&e);
    check(engine_peek(&e, &pk) == 0 && engine_next(&e, 1e9, &ev) == 0,
          "a stopped engine shows nothing");
    engine_destroy(&e);
}

/* The event held first, outside the calendar (an event scheduled before
 * every pending one): displaced by an earlier one, never by a tie, and
 * cancelled, rescheduled, peeked, held past the horizon and stopped like
 * any other. */
static void test_held_first(void)
{
    struct engine e;
    engine_event ev, pk;
    engine_init(&e, 0);
    engine_schedule(&e, 0.0, 9, 0, 0);
    check(engine_next(&e, 1e9, &ev) == 1, "start the clock");
    uint64_t far = engine_schedule(&e, 1e6, 1, 0, 0); /* a later bucket: the lists */
    uint64_t a = engine_schedule(&e, 0.5, 2, 0, 0);
    check(e.first == (uint32_t)a, "an event before every pending one is held first");
    uint64_t b = engine_schedule(&e, 0.25, 3, 0, 0);
    check(e.first == (uint32_t)b, "an earlier one takes its place");
    uint64_t c = engine_schedule(&e, 0.25, 4, 0, 0);
    check(e.first == (uint32_t)b && c, "a tie does not: first scheduled, first popped");
    check(engine_peek(&e, &pk) == 1 && pk.id == b, "peek shows the held event");
    check(engine_next(&e, 0.1, &ev) == 0 && engine_pending(&e) == 4,
          "held past the horizon, it stays");
    check(engine_next(&e, 1e9, &ev) == 1 && ev.id == b && ev.kind == 3 && engine_now(&e) == 0.25,
          "the held event pops first");
    check(engine_next(&e, 1e9, &ev) == 1 && ev.id == c, "then the tie");
    check(engine_next(&e, 1e9, &ev) == 1 && ev.id == a && ev.time == 0.5, "then the displaced one");
    uint64_t d = engine_schedule(&e, 0.75, 5, 0, 0);
    check(e.first == (uint32_t)d && engine_cancel(&e, d) == 0 && e.first == 0 &&
              engine_cancel(&e, d) == -1 && engine_pending(&e) == 1,
          "cancelling the held event");
    uint64_t f = engine_schedule(&e, 0.75, 6, 66, 7);
    uint64_t f2 = engine_reschedule(&e, f, 0.6);
    check(f2 && f2 != f && e.first == (uint32_t)f2 && engine_cancel(&e, f) == -1,
          "rescheduled earlier, it is held again under its new id");
    uint64_t f3 = engine_reschedule(&e, f2, 2e6);
    check(f3 && e.first == 0 && engine_pending(&e) == 2,
          "rescheduled past the rest, it joins the calendar");
    check(engine_next(&e, 1e9, &ev) == 1 && ev.id == far, "the far event");
    check(engine_next(&e, 1e300, &ev) == 1 && ev.id == f3 && ev.subject == 66 && ev.arg == 7,
          "then the moved one, fields kept");
    engine_schedule(&e, 3e6, 7, 0, 0);
    engine_stop(&e);
    check(engine_peek(&e, &pk) == 0 && engine_next(&e, 1e300, &ev) == 0, "stopped, nothing shows");
    engine_destroy(&e);
}

/* A model's mix, against a sorted array: a few streams of arrivals seconds
 * apart, each arrival starting a chain of one to three hops milliseconds
 * apart (each hop held first, nearly always), some arrivals rescheduled or
 * cancelled as rates change. */
static void test_chains_against_reference(void)
{
    struct engine e;
    struct ref r = {0};
    uint64_t s = 0x9E3779B97F4A7C15ULL, seq = 0, mismatches = 0, held = 0, pops = 0;
    uint64_t arrival[4];
    engine_init(&e, 0);
    for (uint32_t c = 0; c < 4; c++) {
        struct ref_ev v = {(double)c, seq++, 0, 0, c, 0};
        v.id = arrival[c] = engine_schedule(&e, v.time, v.kind, v.subject, v.arg);
        ref_push(&r, v);
    }
    while (pops < 300000 && r.n) {
        engine_event ev;
        int got = engine_next(&e, 1e300, &ev);
        struct ref_ev want = r.v[--r.n];
        pops++;
        if (!got || ev.id != want.id || ev.time != want.time || ev.kind != want.kind ||
            ev.subject != want.subject || ev.arg != want.arg) {
            mismatches++;
            break;
        }
        uint64_t x = test_rand(&s);
        struct ref_ev v = {ev.time, 0, 0, ev.kind, ev.subject, ev.arg};
        if (ev.kind == 0) { /* an arrival: its first hop, and the next arrival */
            v.kind = 1;
            v.arg = 1 + (uint32_t)(x % 3);
            v.time = ev.time + 1e-3 * (double)(x >> 58);
            v.seq = seq++;
            v.id = engine_schedule(&e, v.time, v.kind, v.subject, v.arg);
            held += e.first == (uint32_t)v.id;
            ref_push(&r, v);
            v = (struct ref_ev){
                ev.time + (double)(x >> 40 & 0xff) / 64.0, seq++, 0, 0, ev.subject, 0};
            v.id = arrival[ev.subject] = engine_schedule(&e, v.time, 0, v.subject, 0);
            ref_push(&r, v);
        } else if (ev.arg > 1) { /* a hop with more to go */
            v.arg--;
            v.time = ev.time + 1e-3 * (double)(x >> 58);
            v.seq = seq++;
            v.id = engine_schedule(&e, v.time, v.kind, v.subject, v.arg);
            held += e.first == (uint32_t)v.id;
            ref_push(&r, v);
        }
        if (x % 16 == 0) { /* a rate change: a stream's arrival redrawn or dropped */
            uint32_t c = (uint32_t)(x >> 8) % 4;
            size_t i = r.n;
            while (i-- > 0 && r.v[i].id != arrival[c])
                ;
            if (i < r.n && x % 32 == 0) {
                mismatches += engine_cancel(&e, arrival[c]) != 0;
                ref_remove(&r, i);
                struct ref_ev a = {engine_now(&e) + 0.5, seq++, 0, 0, c, 0};
                a.id = arrival[c] = engine_schedule(&e, a.time, 0, c, 0);
                ref_push(&r, a);
            } else if (i < r.n) {
                struct ref_ev a = r.v[i];
                ref_remove(&r, i);
                a.time = engine_now(&e) + (double)(x >> 20 & 0xff) / 128.0;
                a.seq = seq++;
                a.id = arrival[c] = engine_reschedule(&e, a.id, a.time);
                mismatches += a.id == 0;
                ref_push(&r, a);
            }
        }
        mismatches += engine_pending(&e) != r.n;
    }
    check(mismatches == 0 && pops == 300000, "hop chains: %llu pops agree with a sorted array",
          (unsigned long long)pops);
    check(held > pops / 3, "most hops were held first (%llu)", (unsigned long long)held);
    engine_destroy(&e);
    free(r.v);
}

/* Shapes that stress the calendar: a dense start that sets a narrow width,
 * then a sparse far future (years of empty buckets, width checks, rebuilds
 * and jumps); and thousands of events at one time, popped first in, first out. */
static void test_sparse_and_ties(void)
{
    struct engine e;
    engine_event ev;
    engine_init(&e, 0);
    for (int i = 0; i < 5000; i++)
        engine_schedule(&e, i * 1e-4, 1, (uint32_t)i, 0);
    for (int i = 0; i < 50; i++)
        engine_schedule(&e, 1e3 + 1e7 * i, 2, (uint32_t)i, 0);
    int ok = 1, n = 0;
    double last = -1;
    while (engine_next(&e, 1e300, &ev)) {
        ok &= ev.time >= last;
        last = ev.time;
        n++;
    }
    check(ok && n == 5050 && last == 1e3 + 1e7 * 49, "dense then sparse: %d events in order", n);
    for (uint32_t i = 0; i < 20000; i++)
        engine_schedule(&e, 5e8, 3, i, 0);
    uint32_t want = 0;
    ok = 1;
    while (engine_next(&e, 1e300, &ev))
        ok &= ev.subject == want++;
    check(ok && want == 20000, "20000 ties at one time come out first in, first out");
    engine_destroy(&e);
}

/* A model's mix: a few dozen events months ahead (clock ticks,
 * interventions) beside a stream of near ones, a pop a second on average,
 * each with a short follow-up. The pending times mostly lie far ahead, so
 * the buckets must take their width from the pops, about three pops' gap
 * (3 x 0.5 s), not from the pending times (once: 117 days, one bucket, a
 * heap). Reads the private width: a speed property, not an order one. */
static void test_width_follows_pops(void)
{
    struct engine e;
    engine_event ev;
    engine_init(&e, 0);
    for (int i = 1; i <= 40; i++)
        engine_schedule(&e, 1e6 * i, 9, 0, 0);
    engine_schedule(&e, 0.0, 1, 0, 0);
    uint64_t x = 12345;
    int ok = 1, pops = 0;
    double last = 0;
    while (pops < 200000 && engine_next(&e, 1e300, &ev)) {
        ok &= ev.time >= last;
        last = ev.time;
        pops++;
        if (ev.kind == 1) { /* the stream: the next one in [0.5, 1.5) s, a follow-up in 10 ms */
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            engine_schedule(&e, ev.time + 0.5 + (double)(x >> 11) * 0x1.0p-53, 1, 0, 0);
            engine_schedule(&e, ev.time + 0.01, 2, 0, 0);
        }
    }
    double width = 1.0 / e.inv_width;
    check(ok && pops == 200000, "the mix pops in order");
    check(width > 0.3 && width < 6.0, "bucket width %.3g s follows the pops' gap (1.5 s)", width);
    engine_destroy(&e);
}

/* A million operations: schedule (a third of them on a coarse time grid, so
 * ties are common), cancel and reschedule of pending and of stale ids, pops
 * under a moving horizon, each pop after a peek. Every answer must match
 * the sorted array. */
/* `hint` sizes the pool: 0 keeps the calendar in cache, a big one makes
 * the engine take its far path (the defer ring and the prefetch cursors)
 * from the start, so both are checked. */
static void test_random_against_reference(size_t hint, int far, uint64_t ops, const char *what_path)
{
    struct engine e;
    struct ref r = {0};
    uint64_t s = 88172645463325252ULL, seq = 0, mismatches = 0, peeks = 0;
    uint64_t stale[64] = {0};
    size_t nstale = 0, maxn = 0;
    engine_init(&e, hint);
    check(e.far == far, "%s path (far = %d)", what_path, e.far);
    for (uint64_t op = 0; op < ops; op++) {
        uint64_t x = test_rand(&s);
        unsigned what = (unsigned)(x % 1000);
        /* bias the size: grow in the first half, shrink in the second */
        unsigned grow = op < ops / 2 ? 472 : 468;
        double now = engine_now(&e);
        if (what < grow) {
            double dt = (x >> 40) % 3 == 0 ? (double)((x >> 20) % 8)
                                           : (double)(x >> 11 & 0xfffff) / 65536.0;
            struct ref_ev v = {
                now + dt,           seq++, 0, (uint32_t)(x >> 8) & 0xffff, (uint32_t)(x >> 24),
                (uint32_t)(x >> 32)};
            v.id = engine_schedule(&e, v.time, v.kind, v.subject, v.arg);
            mismatches += v.id == 0;
            ref_push(&r, v);
        } else if (what < grow + 80 && r.n) {
            size_t i = (size_t)(x >> 32) % r.n;
            uint64_t id = r.v[i].id;
            mismatches += engine_cancel(&e, id) != 0;
            ref_remove(&r, i);
            stale[nstale++ % 64] = id;
        } else if (what < grow + 120 && r.n) {
            size_t i = (size_t)(x >> 32) % r.n;
            struct ref_ev v = r.v[i];
            stale[nstale++ % 64] = v.id;
            ref_remove(&r, i);
            v.time = now + (double)((x >> 20) % 4);
            v.seq = seq++;
            v.id = engine_reschedule(&e, v.id, v.time);
            mismatches += v.id == 0;
            ref_push(&r, v);
        } else if (what < grow + 140 && nstale) {
            uint64_t id = stale[(x >> 32) % (nstale < 64 ? nstale : 64)];
            mismatches += engine_cancel(&e, id) != -1;
        } else {
            double horizon = (x >> 32) % 8 ? 1e300 : now + (double)((x >> 35) % 3);
            engine_event ev, pk;
            int peeked = engine_peek(&e, &pk);
            /* a peek, when it answers, is the reference's earliest */
            mismatches += peeked && (!r.n || pk.id != r.v[r.n - 1].id);
            peeks += peeked;
            int got = engine_next(&e, horizon, &ev);
            int want = r.n && r.v[r.n - 1].time <= horizon;
            if (got != want) {
                mismatches++;
            } else if (got) {
                struct ref_ev v = r.v[--r.n];
                mismatches += ev.id != v.id || ev.time != v.time || ev.kind != v.kind ||
                              ev.subject != v.subject || ev.arg != v.arg;
                stale[nstale++ % 64] = v.id;
            }
        }
        mismatches += engine_pending(&e) != r.n;
        if (r.n > maxn)
            maxn = r.n;
    }
    check(mismatches == 0, "%s: %llu random operations agree with a sorted array (%llu mismatches)",
          what_path, (unsigned long long)ops, (unsigned long long)mismatches);
    check(engine_pending_peak(&e) == maxn, "peak %zu == reference %zu", engine_pending_peak(&e),
          maxn);
    check(maxn > 500, "the list grew large (%zu)", maxn);
    check(peeks > ops / 20, "%s: %llu peeks checked", what_path, (unsigned long long)peeks);
    engine_destroy(&e);
    free(r.v);
}

int main(void)
{
    test_plan(70);
    test_order_and_ties();
    test_cancel_reschedule();
    test_horizon_stop();
    test_fault();
    test_peek();
    test_held_first();
    test_chains_against_reference();
    test_sparse_and_ties();
    test_width_follows_pops();
    test_random_against_reference(0, 0, 1000000, "in-cache");
    test_random_against_reference((size_t)1 << 16, 1, 300000, "far");
    return test_done();
}
