/* hist: log-bucketed latency histograms (the layout is in hist.h). */
#include "metrics/hist.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#define SUB (1u << HIST_SUB_BITS)

/* The smallest value that falls in bucket i, and the bucket's width. */
static void hist_bounds(size_t i, uint64_t *low, uint64_t *width)
{
    if (i < 2 * SUB) {
        *low = i;
        *width = 1;
        return;
    }
    size_t shift = (i - 2 * SUB) / SUB + 1;
    uint64_t sub = (i - 2 * SUB) % SUB;
    *low = (SUB + sub) << shift;
    *width = (uint64_t)1 << shift;
}

void hist_init(struct hist *h)
{
    memset(h, 0, sizeof *h);
}

/* The totals of `from` folded into `into` (its buckets are the caller's). */
static void hist_merge_totals(struct hist *into, const struct hist *from)
{
    if (into->count == 0 || from->lo < into->lo)
        into->lo = from->lo;
    if (into->count == 0 || from->hi > into->hi)
        into->hi = from->hi;
    into->count += from->count;
    into->sum_s += from->sum_s;
    if (from->max_ns > into->max_ns)
        into->max_ns = from->max_ns;
}

void hist_merge(struct hist *into, const struct hist *from)
{
    if (from->count == 0)
        return;
    for (size_t i = from->lo; i <= from->hi; i++)
        into->bucket[i] += from->bucket[i];
    hist_merge_totals(into, from);
}

/* Only the buckets in use are touched (a run drains one histogram per
 * bucket and city, most holding a few dozen distinct values), each added
 * and zeroed in one pass instead of a merge and then a memset. */
void hist_drain(struct hist *into, struct hist *from)
{
    if (from->count == 0)
        return;
    for (size_t i = from->lo; i <= from->hi; i++) {
        into->bucket[i] += from->bucket[i];
        from->bucket[i] = 0;
    }
    hist_merge_totals(into, from);
    from->count = from->max_ns = 0;
    from->sum_s = 0;
    from->lo = from->hi = 0;
}

/* What hist_write puts before the buckets in use. */
struct hist_head {
    uint64_t count, max_ns;
    double sum_s;
    uint32_t lo, hi;
};

int hist_write(const struct hist *h, FILE *f)
{
    struct hist_head hd = {h->count, h->max_ns, h->sum_s, h->lo, h->hi};
    size_t n = h->count ? (size_t)(h->hi - h->lo) + 1 : 0;
    return fwrite(&hd, sizeof hd, 1, f) == 1 &&
                   fwrite(h->bucket + h->lo, sizeof *h->bucket, n, f) == n
               ? 0
               : -1;
}

int hist_read(struct hist *h, FILE *f)
{
    struct hist_head hd;
    hist_init(h);
    if (fread(&hd, sizeof hd, 1, f) != 1 || (hd.count && (hd.lo > hd.hi || hd.hi >= HIST_BUCKETS)))
        return -1;
    size_t n = hd.count ? (size_t)(hd.hi - hd.lo) + 1 : 0;
    if (fread(h->bucket + hd.lo, sizeof *h->bucket, n, f) != n) {
        hist_init(h);
        return -1;
    }
    h->count = hd.count;
    h->max_ns = hd.max_ns;
    h->sum_s = hd.sum_s;
    h->lo = hd.lo;
    h->hi = hd.hi;
    return 0;
}

/* The bucket holding the rank-th smallest value, 1 <= rank <= count: the
 * first whose running count reaches rank, found from whichever end is
 * nearer (a day's p99 then walks the short tail down, not every bucket
 * up; the same bucket either way). */
static size_t hist_rank_bucket(const struct hist *h, uint64_t rank)
{
    if (rank <= h->count / 2) {
        uint64_t seen = 0;
        size_t i = h->lo;
        while ((seen += h->bucket[i]) < rank)
            i++;
        return i;
    }
    /* From the top: step down while the values below bucket i still
     * reach rank (count - above - bucket[i] of them). */
    uint64_t above = 0;
    size_t i = h->hi;
    while (i > h->lo && h->count - above - h->bucket[i] >= rank)
        above += h->bucket[i--];
    return i;
}

/* The bucket of rank ceil(q * count), answered by its midpoint, never above
 * the largest value seen. */
double hist_quantile(const struct hist *h, double q)
{
    if (h->count == 0)
        return 0;
    uint64_t rank = (uint64_t)ceil(q * (double)h->count);
    if (rank < 1)
        rank = 1;
    if (rank > h->count)
        return hist_max(h);
    uint64_t low, width;
    hist_bounds(hist_rank_bucket(h, rank), &low, &width);
    double mid = (double)low + (double)(width - 1) / 2.0;
    if (mid > (double)h->max_ns)
        mid = (double)h->max_ns;
    return mid * 1e-9;
}

double hist_max(const struct hist *h)
{
    return (double)h->max_ns * 1e-9;
}
