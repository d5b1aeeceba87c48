/* acceptance: the accepting stores and the pick by popularity
 * (acceptance.h has the layout and its invariants). */
#include "model/acceptance.h"

#include <assert.h>
#include <stdlib.h>

#include "kernel/rng.h"

int acceptance_init(struct acceptance *a, struct merchant *merchants, uint32_t first, uint32_t n)
{
    *a = (struct acceptance){.merchants = merchants, .first = first, .n = n};
    a->order = malloc((n ? n : 1) * sizeof *a->order);
    a->cum = malloc((n ? n : 1) * sizeof *a->cum);
    if (!a->order || !a->cum)
        return -1;
    for (uint32_t i = 0; i < n; i++) {
        a->order[i] = first + i;
        merchants[first + i].pos = i;
        a->total_weight += merchants[first + i].weight;
    }
    return 0;
}

void acceptance_destroy(struct acceptance *a)
{
    free(a->order);
    free(a->cum);
    free(a->table);
    free(a->stopped);
    free(a->stopped_bits);
    *a = (struct acceptance){0};
}

static int is_stopped(const struct acceptance *a, uint32_t id)
{
    uint32_t k = id - a->first;
    return a->stopped_bits[k / 64] >> (k % 64) & 1;
}

static void flip_stopped(struct acceptance *a, uint32_t id)
{
    uint32_t k = id - a->first;
    a->stopped_bits[k / 64] ^= UINT64_C(1) << (k % 64);
}

/* A stopped store accepts again: its slot and running sum never left. */
static void restart(struct acceptance *a, uint32_t id)
{
    flip_stopped(a, id);
    for (uint32_t k = 0; k < a->n_stopped; k++)
        if (a->stopped[k] == id) {
            a->stopped[k] = a->stopped[--a->n_stopped];
            break;
        }
    a->stopped_weight = a->n_stopped ? a->stopped_weight - a->merchants[id].weight : 0;
    a->accepting++;
}

void acceptance_start(struct acceptance *a, uint32_t id, uint16_t day)
{
    struct merchant *mc = &a->merchants[id];
    if (mc->pos < a->slots) {
        if (a->n_stopped && is_stopped(a, id)) {
            restart(a, id);
            mc->accept_day = (uint16_t)(day + 1);
        }
        return;
    }
    uint32_t to = a->slots++, other = a->order[to];
    a->accepting++;
    a->order[to] = id;
    a->order[mc->pos] = other;
    a->merchants[other].pos = mc->pos;
    mc->pos = to;
    mc->accept_day = (uint16_t)(day + 1);
    a->cum[to] = (to ? a->cum[to - 1] : 0) + mc->weight;
}

/* The alias table over every slot (Vose): weights scaled to mean 1, read
 * back from the running sums in memory order; each cell takes one light
 * store and tops it up from a heavy one, which then counts as light or
 * heavy for what is left of it. Cells left over (heavy ones, and light
 * ones that rounding left behind) keep their own store. A table that
 * cannot be built leaves the old one (or none) in place: slower, the same
 * distribution. */
static void rebuild_table(struct acceptance *a)
{
    uint32_t n = a->slots;
    double total = n ? a->cum[n - 1] : 0;
    struct acceptance_cell *t = malloc((n ? n : 1) * sizeof *t);
    double *p = malloc((n ? n : 1) * sizeof *p);
    uint32_t *light = malloc((n ? n : 1) * sizeof *light),
             *heavy = malloc((n ? n : 1) * sizeof *heavy);
    if (!t || !p || !light || !heavy || !(total > 0)) {
        free(t);
        free(p);
        free(light);
        free(heavy);
        return;
    }
    uint32_t nl = 0, nh = 0;
    for (uint32_t i = 0; i < n; i++) {
        p[i] = (a->cum[i] - (i ? a->cum[i - 1] : 0)) * n / total;
        t[i] = (struct acceptance_cell){1.0, a->order[i], a->order[i]};
        if (p[i] < 1)
            light[nl++] = i;
        else
            heavy[nh++] = i;
    }
    while (nl && nh) {
        uint32_t l = light[--nl], h = heavy[nh - 1];
        t[l].keep = p[l];
        t[l].other = a->order[h];
        p[h] = (p[h] + p[l]) - 1;
        if (p[h] < 1) {
            nh--;
            light[nl++] = h;
        }
    }
    free(p);
    free(light);
    free(heavy);
    free(a->table);
    a->table = t;
    a->table_n = n;
}

/* Drop the stopped slots: the live ones close up in their order (their
 * running sums recomputed), the stopped ones become idle, and the table is
 * rebuilt over what is left. */
static void compact(struct acceptance *a)
{
    uint32_t live = 0;
    for (uint32_t i = 0; i < a->slots; i++) {
        uint32_t id = a->order[i];
        if (is_stopped(a, id))
            continue;
        a->order[live] = id;
        a->merchants[id].pos = live;
        a->cum[live] = (live ? a->cum[live - 1] : 0) + a->merchants[id].weight;
        live++;
    }
    for (uint32_t k = 0; k < a->n_stopped; k++) {
        uint32_t id = a->stopped[k];
        flip_stopped(a, id);
        a->order[live + k] = id;
        a->merchants[id].pos = live + k;
    }
    a->slots = live;
    a->n_stopped = 0;
    a->stopped_weight = 0;
    a->table_n = 0;
    if (live)
        rebuild_table(a);
}

int acceptance_stop(struct acceptance *a, uint32_t id)
{
    if (!acceptance_accepts(a, id))
        return 0;
    if (!a->stopped) { /* the first stop: its lists, for the city's life */
        a->stopped = malloc((a->n ? a->n : 1) * sizeof *a->stopped);
        a->stopped_bits = calloc(a->n / 64 + 1, sizeof *a->stopped_bits);
        if (!a->stopped || !a->stopped_bits) {
            free(a->stopped);
            free(a->stopped_bits);
            a->stopped = NULL;
            a->stopped_bits = NULL;
            return -1;
        }
    }
    flip_stopped(a, id);
    a->stopped[a->n_stopped++] = id;
    a->stopped_weight += a->merchants[id].weight;
    a->merchants[id].accept_day = 0;
    a->accepting--;
    if (a->accepting == 0 || a->stopped_weight * 8 > a->cum[a->slots - 1] ||
        a->n_stopped > a->slots / 16 + 64)
        compact(a);
    return 0;
}

/* A slot drawn by popularity. The slots only grow at their end, so they
 * are drawn in two parts: those covered by the alias table (O(1) a draw),
 * and those that joined since, by bisection in the running sums. The table
 * is rebuilt over everyone when the newcomers outnumber a sixteenth of it,
 * so rebuilding costs O(1) a new store, however acceptance grows, and most
 * draws take the table. */
static uint32_t draw_slot(struct acceptance *a, gsl_rng *r)
{
    if (a->slots - a->table_n > a->table_n / 16 + 64)
        rebuild_table(a);
    double x = rng_uniform_pos(r) * a->cum[a->slots - 1];
    uint32_t lo = a->table_n, hi = a->slots - 1; /* the answer lies in [lo, hi] */
    /* (u x total may round up to the total: with no newcomers, the table) */
    if (a->table_n && (x < a->cum[a->table_n - 1] || a->table_n == a->slots)) {
        uint32_t low, i = rng_below_low(r, a->table_n, &low);
        const struct acceptance_cell *cell = &a->table[i];
        return (double)low * 0x1.0p-32 < cell->keep ? cell->own : cell->other;
    }
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (a->cum[mid] > x)
            hi = mid;
        else
            lo = mid + 1;
    }
    return a->order[lo];
}

/* Stopped stores are rejected and drawn again: the accepted draw then
 * follows the remaining weights exactly. */
uint32_t acceptance_pick(struct acceptance *a, gsl_rng *r)
{
    assert(a->accepting > 0);
    uint32_t id = draw_slot(a, r);
    while (a->n_stopped && is_stopped(a, id))
        id = draw_slot(a, r);
    return id;
}

/* The idle stores are order[slots, n) and the stopped ones: one uniform
 * draw over both, which is order[slots + j] when nothing is stopped. */
uint32_t acceptance_pick_idle(const struct acceptance *a, gsl_rng *r)
{
    uint32_t never = a->n - a->slots;
    uint32_t j = rng_below(r, a->n - a->accepting);
    return j < never ? a->order[a->slots + j] : a->stopped[j - never];
}

void acceptance_list(const struct acceptance *a, uint32_t *out)
{
    uint32_t k = 0;
    for (uint32_t i = 0; i < a->slots; i++)
        if (!a->n_stopped || !is_stopped(a, a->order[i]))
            out[k++] = a->order[i];
}
