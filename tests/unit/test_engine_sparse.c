/* Regression: a sparse event list far ahead of the clock. The calendar
 * queue once rebuilt itself every "year" of empty buckets and so never
 * jumped to its earliest event (found by a model run with hourly ticks and
 * a few arrivals). Here, after a busy start, two events lie hours ahead. */
#include "kernel/engine.h"
#include "test.h"

int main(void)
{
    test_plan(3);
    struct engine e;
    check(engine_init(&e, 16) == 0, "init");
    /* A burst of close events sets a narrow bucket width... */
    for (int i = 0; i < 1000; i++)
        engine_schedule(&e, 0.001 * i, 1, (uint32_t)i, 0);
    engine_event ev;
    int n = 0;
    while (n < 999 && engine_next(&e, 1e9, &ev))
        n++;
    /* ...then the list empties but for one late event, and two far ones. */
    uint64_t late = engine_schedule(&e, 40, 2, 0, 0);
    engine_schedule(&e, 3600, 3, 0, 0);
    engine_schedule(&e, 7200, 4, 0, 0);
    check(engine_cancel(&e, late) == 0, "cancel the nearest");
    int ok = engine_next(&e, 1e9, &ev) && ev.subject == 999;
    ok &= engine_next(&e, 1e9, &ev) && ev.kind == 3 && ev.time == 3600;
    ok &= engine_next(&e, 1e9, &ev) && ev.kind == 4 && ev.time == 7200;
    ok &= !engine_next(&e, 1e9, &ev);
    check(ok, "the far events come out, in order, and then nothing");
    engine_destroy(&e);
    return test_done();
}
