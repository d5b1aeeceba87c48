/* hist: latency histograms, log-bucketed on integer nanoseconds
 * (HdrHistogram's layout: values below 256 ns exact, then 128 sub-buckets
 * per power of two), so any percentile is within 0.4% of the truth (bucket
 * midpoint), two histograms merge exactly by adding counts, and recording is
 * a few integer operations. The buckets in use are tracked ([lo, hi]), so a
 * merge or a drain touches only those.
 *
 * Ownership: a hist is caller-owned storage (hist_init on fresh memory); it
 * holds no pointer, so there is nothing to destroy. */
#ifndef PILOTSIM_HIST_H
#define PILOTSIM_HIST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define HIST_SUB_BITS 7 /* 128 sub-buckets: <= 0.4% error */
#define HIST_MAX_EXP 50 /* up to 2^50 ns (about 13 days) */
#define HIST_BUCKETS \
    ((1 << (HIST_SUB_BITS + 1)) + (HIST_MAX_EXP - HIST_SUB_BITS - 1) * (1 << HIST_SUB_BITS))

struct hist {
    uint64_t count;                /* values recorded */
    uint32_t lo, hi;               /* buckets in use: [lo, hi], when count > 0 */
    uint64_t max_ns;               /* largest value recorded */
    double sum_s;                  /* sum of values, seconds (for means) */
    uint64_t bucket[HIST_BUCKETS]; /* counts per log bucket */
};

void hist_init(struct hist *h); /* empty, on fresh memory */
void hist_merge(struct hist *into, const struct hist *from);
/* hist_merge, then `from` emptied, in one pass over its buckets in use. */
void hist_drain(struct hist *into, struct hist *from);
/* A histogram to a stream and back, its buckets in use only (a few
 * hundred of its thousands): for keeping many out of memory. The bytes are
 * this machine's (a temporary file, never an output). 0, or -1 on a short
 * write or read (hist_read leaves h empty then). */
int hist_write(const struct hist *h, FILE *f);
int hist_read(struct hist *h, FILE *f);
/* Bucket of a value in ns: exact below 2 * 2^HIST_SUB_BITS, then
 * 2^HIST_SUB_BITS buckets per octave. */
static inline size_t hist_index(uint64_t v)
{
    const uint64_t sub = (uint64_t)1 << HIST_SUB_BITS;
    if (v < 2 * sub)
        return (size_t)v;
    int msb = 63 - __builtin_clzll(v);
    if (msb >= HIST_MAX_EXP)
        return HIST_BUCKETS - 1;
    int shift = msb - HIST_SUB_BITS;
    return 2 * sub + (size_t)(shift - 1) * sub + (size_t)((v >> shift) & (sub - 1));
}

/* Record a value (negative counts as 0). Inline: a load test records
 * three or four a payment. */
static inline void hist_record(struct hist *h, double seconds)
{
    double ns = seconds * 1e9;
    uint64_t v = ns > 0 ? (ns < 9.0e18 ? (uint64_t)(ns + 0.5) : UINT64_C(9000000000000000000)) : 0;
    size_t i = hist_index(v);
    h->bucket[i]++;
    if (h->count == 0 || i < h->lo)
        h->lo = (uint32_t)i;
    if (h->count == 0 || i > h->hi)
        h->hi = (uint32_t)i;
    h->count++;
    h->sum_s += seconds > 0 ? seconds : 0;
    if (v > h->max_ns)
        h->max_ns = v;
}

/* The q-quantile (0 < q <= 1) in seconds; 0 when empty. */
double hist_quantile(const struct hist *h, double q);
double hist_max(const struct hist *h); /* seconds */

#endif
