/* loadtest_wire: a load test's result as bytes and back (loadtest_wire.h). */
#include "loadtest/loadtest_wire.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/hist.h"

#define WIRE_MAGIC UINT32_C(0x4c545731) /* "LTW1": the bytes are a written result */

void loadtest_wire_put(struct loadtest_wire *w, const void *p, size_t n)
{
    if (w->bad || n == 0)
        return;
    if (w->f) { /* a failure stays in the file's error indicator (ferror) */
        fwrite(p, 1, n, w->f);
        w->len += n;
        return;
    }
    if (w->cap - w->len < n) {
        size_t cap = w->cap ? w->cap : 4096;
        while (cap - w->len < n)
            cap *= 2;
        unsigned char *b = realloc(w->buf, cap);
        if (!b) {
            w->bad = 1;
            return;
        }
        w->buf = b;
        w->cap = cap;
    }
    memcpy(w->buf + w->len, p, n);
    w->len += n;
}

void loadtest_wire_get(struct loadtest_wire *w, void *p, size_t n)
{
    if (w->bad || w->cap - w->len < n ||
        (w->f ? fread(p, 1, n, w->f) != n : (memcpy(p, w->buf + w->len, n), 0))) {
        w->bad = 1;
        memset(p, 0, n);
        return;
    }
    w->len += n;
}

void loadtest_wire_put_warnings(struct loadtest_wire *w, const struct warnings *l)
{
    uint64_t n = l->n;
    loadtest_wire_put(w, &n, sizeof n);
    for (size_t i = 0; i < l->n; i++) {
        uint64_t len = strlen(l->lines[i]);
        loadtest_wire_put(w, &len, sizeof len);
        loadtest_wire_put(w, l->lines[i], len);
    }
}

int loadtest_wire_get_warnings(struct loadtest_wire *w, struct warnings *l)
{
    uint64_t n = 0;
    loadtest_wire_get(w, &n, sizeof n);
    for (uint64_t i = 0; i < n && !w->bad; i++) {
        uint64_t len = 0;
        loadtest_wire_get(w, &len, sizeof len);
        char *line = w->bad || len > w->cap - w->len ? NULL : malloc(len + 1);
        if (!line)
            return w->bad = 1, -1;
        loadtest_wire_get(w, line, len);
        line[len] = '\0'; /* no terminator on the wire */
        int rc = w->bad ? -1 : warnings_add(l, "%s", line);
        free(line);
        if (rc < 0)
            return w->bad = 1, -1;
    }
    return w->bad ? -1 : 0;
}

/* A histogram: its scalars, then the buckets in use [lo, hi]. */
static void put_hist(struct loadtest_wire *w, const struct hist *h)
{
    loadtest_wire_put(w, &h->count, sizeof h->count);
    loadtest_wire_put(w, &h->lo, sizeof h->lo);
    loadtest_wire_put(w, &h->hi, sizeof h->hi);
    loadtest_wire_put(w, &h->max_ns, sizeof h->max_ns);
    loadtest_wire_put(w, &h->sum_s, sizeof h->sum_s);
    if (h->count)
        loadtest_wire_put(w, &h->bucket[h->lo], (h->hi - h->lo + 1) * sizeof h->bucket[0]);
}

static void get_hist(struct loadtest_wire *w, struct hist *h)
{
    hist_init(h);
    loadtest_wire_get(w, &h->count, sizeof h->count);
    loadtest_wire_get(w, &h->lo, sizeof h->lo);
    loadtest_wire_get(w, &h->hi, sizeof h->hi);
    loadtest_wire_get(w, &h->max_ns, sizeof h->max_ns);
    loadtest_wire_get(w, &h->sum_s, sizeof h->sum_s);
    if (!h->count)
        return;
    if (h->lo > h->hi || h->hi >= HIST_BUCKETS) {
        w->bad = 1;
        return;
    }
    loadtest_wire_get(w, &h->bucket[h->lo], (h->hi - h->lo + 1) * sizeof h->bucket[0]);
}

/* n bytes at p out (writing) or in (reading). */
static void move(struct loadtest_wire *w, void *p, size_t n, int reading)
{
    if (reading)
        loadtest_wire_get(w, p, n);
    else
        loadtest_wire_put(w, p, n);
}

static void move_hist(struct loadtest_wire *w, struct hist *h, int reading)
{
    if (reading)
        get_hist(w, h);
    else
        put_hist(w, h);
}

/* One interval over nres resources, written or read field by field in one
 * order; its per-resource histograms when the result keeps them (the
 * header says). Reading fills an interval of loadtest_result_init's, its
 * histograms made; writing leaves iv as it is. */
static void move_interval(struct loadtest_wire *w, struct loadtest_interval *iv, size_t nres,
                          int reading)
{
    uint64_t *counts[] = {&iv->offered, &iv->attempts, &iv->ok,   &iv->failed,
                          &iv->done,    &iv->timeouts, &iv->drops};
    move(w, &iv->t0, sizeof iv->t0, reading);
    move(w, &iv->t1, sizeof iv->t1, reading);
    for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++)
        move(w, counts[k], sizeof *counts[k], reading);
    move(w, &iv->value_fen, sizeof iv->value_fen, reading);
    move_hist(w, iv->latency, reading);
    move(w, iv->busy_s, nres * sizeof *iv->busy_s, reading);
    move(w, iv->jobs, nres * sizeof *iv->jobs, reading);
    move(w, iv->wait_s, nres * sizeof *iv->wait_s, reading);
    move(w, iv->max_queue, nres * sizeof *iv->max_queue, reading);
    for (size_t r = 0; iv->res_latency && r < nres; r++)
        move_hist(w, iv->res_latency[r], reading);
}

/* Writing never changes what it moves: the casts are safe. */
static void put_interval(struct loadtest_wire *w, const struct loadtest_interval *iv, size_t nres)
{
    move_interval(w, (struct loadtest_interval *)iv, nres, 0);
}

int loadtest_wire_write(const struct loadtest_result *r, FILE *out)
{
    struct loadtest_wire w = {.f = out};
    const uint32_t magic = WIRE_MAGIC;
    const uint64_t sizes[] = {r->n_resources, r->n_intervals, r->n_faults,
                              r->total.res_latency != NULL};
    size_t nres = r->n_resources;
    loadtest_wire_put(&w, &magic, sizeof magic);
    loadtest_wire_put(&w, sizes, sizeof sizes);
    loadtest_wire_put(&w, r->servers, nres * sizeof *r->servers);
    /* A closed interval's histograms may be in the run's temporary file:
     * read back one at a time (loadtest_interval). */
    for (size_t i = 0; i <= r->n_intervals && !w.bad; i++) {
        const struct loadtest_interval *iv = loadtest_interval(r, i);
        if (!iv)
            w.bad = 1;
        else
            put_interval(&w, iv, nres);
    }
    put_interval(&w, &r->total, nres);
    loadtest_wire_put(&w, r->res_wait_s, nres * sizeof *r->res_wait_s);
    loadtest_wire_put(&w, r->res_q_area, nres * sizeof *r->res_q_area);
    loadtest_wire_put(&w, r->res_drop_wait_s, nres * sizeof *r->res_drop_wait_s);
    loadtest_wire_put(&w, r->res_jobs_all, nres * sizeof *r->res_jobs_all);
    loadtest_wire_put(&w, &r->horizon_s, sizeof r->horizon_s);
    loadtest_wire_put(&w, &r->events, sizeof r->events);
    loadtest_wire_put(&w, r->faults, r->n_faults * sizeof *r->faults);
    loadtest_wire_put_warnings(&w, &r->warnings);
    return w.bad ? -1 : 0;
}

/* The intervals, each read into its place and then, like a run's closed
 * intervals, out to the result's temporary file: the parent of many
 * workers holds a result's counts but not its histograms, so its memory
 * does not grow with the profile's length either. */
static int get_intervals(struct loadtest_wire *w, struct loadtest_result *out)
{
    for (size_t i = 0; i <= out->n_intervals && !w->bad; i++) {
        if (loadtest_interval_open(out, i) < 0)
            return -1;
        move_interval(w, &out->iv[i], out->n_resources, 1);
        loadtest_interval_spool(out, i);
    }
    move_interval(w, &out->total, out->n_resources, 1);
    return w->bad ? -1 : 0;
}

int loadtest_wire_read(FILE *in, size_t len, struct loadtest_result *out)
{
    struct loadtest_wire w = {.f = in, .cap = len};
    uint32_t magic = 0;
    uint64_t sizes[4] = {0};
    memset(out, 0, sizeof *out);
    loadtest_wire_get(&w, &magic, sizeof magic);
    loadtest_wire_get(&w, sizes, sizeof sizes);
    /* Sizes beyond what the bytes could hold are not a written result. */
    if (w.bad || magic != WIRE_MAGIC || sizes[0] > len || sizes[1] > len || sizes[2] > len ||
        sizes[3] > 1 ||
        loadtest_result_init(out, (size_t)sizes[0], (size_t)sizes[1], (size_t)sizes[2],
                             (int)sizes[3]) < 0)
        return -1;
    size_t nres = out->n_resources;
    out->n_faults = (size_t)sizes[2];
    loadtest_wire_get(&w, out->servers, nres * sizeof *out->servers);
    if (get_intervals(&w, out) < 0)
        return -1;
    loadtest_wire_get(&w, out->res_wait_s, nres * sizeof *out->res_wait_s);
    loadtest_wire_get(&w, out->res_q_area, nres * sizeof *out->res_q_area);
    loadtest_wire_get(&w, out->res_drop_wait_s, nres * sizeof *out->res_drop_wait_s);
    loadtest_wire_get(&w, out->res_jobs_all, nres * sizeof *out->res_jobs_all);
    loadtest_wire_get(&w, &out->horizon_s, sizeof out->horizon_s);
    loadtest_wire_get(&w, &out->events, sizeof out->events);
    loadtest_wire_get(&w, out->faults, out->n_faults * sizeof *out->faults);
    if (loadtest_wire_get_warnings(&w, &out->warnings) < 0)
        return -1;
    /* All len bytes, and the file ends there. */
    return w.bad || w.len != len || getc(in) != EOF ? -1 : 0;
}
