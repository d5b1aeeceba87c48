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

void hist_init(struct hist *h);                   /* empty, on fresh memory */
void hist_record(struct hist *h, double seconds); /* negative counts as 0 */
void hist_merge(struct hist *into, const struct hist *from);
/* hist_merge, then `from` emptied, in one pass over its buckets in use. */
void hist_drain(struct hist *into, struct hist *from);
/* A histogram to a stream and back, its buckets in use only (a few
 * hundred of its thousands): for keeping many out of memory. The bytes are
 * this machine's (a temporary file, never an output). 0, or -1 on a short
 * write or read (hist_read leaves h empty then). */
int hist_write(const struct hist *h, FILE *f);
int hist_read(struct hist *h, FILE *f);
/* The q-quantile (0 < q <= 1) in seconds; 0 when empty. */
double hist_quantile(const struct hist *h, double q);
double hist_max(const struct hist *h); /* seconds */

#endif
