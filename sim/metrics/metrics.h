/* metrics: what a run measures, independent of any output format.
 *
 * Latency histograms are log-bucketed on integer nanoseconds (HdrHistogram's
 * layout: values below 256 ns exact, then 128 sub-buckets per power of two),
 * so any percentile is within 0.4% of the truth (bucket midpoint), two
 * histograms merge exactly by adding counts, and recording is a few integer
 * operations. Time-series rows are stored as the run closes each bucket.
 *
 * Ownership: hist and metrics are caller-owned (init/destroy); rows belong to
 * struct metrics. */
#ifndef PILOTSIM_METRICS_H
#define PILOTSIM_METRICS_H

#include <stddef.h>
#include <stdint.h>

#define HIST_SUB_BITS 7                      /* 128 sub-buckets: <= 0.4% error */
#define HIST_MAX_EXP 50                      /* up to 2^50 ns (about 13 days) */
#define HIST_BUCKETS ((1 << (HIST_SUB_BITS + 1)) + (HIST_MAX_EXP - HIST_SUB_BITS - 1) * (1 << HIST_SUB_BITS))

struct hist {
    uint64_t count;                  /* values recorded */
    uint32_t lo, hi;                 /* buckets in use: [lo, hi], when count > 0 */
    uint64_t max_ns;                 /* largest value recorded */
    double sum_s;                    /* sum of values, seconds (for means) */
    uint64_t bucket[HIST_BUCKETS];   /* counts per log bucket */
};

void hist_init(struct hist *h);                       /* empty, on fresh memory */
void hist_record(struct hist *h, double seconds);     /* negative counts as 0 */
void hist_merge(struct hist *into, const struct hist *from);
/* hist_merge, then `from` emptied, in one pass over its buckets in use. */
void hist_drain(struct hist *into, struct hist *from);
/* The q-quantile (0 < q <= 1) in seconds; 0 when empty. */
double hist_quantile(const struct hist *h, double q);
double hist_max(const struct hist *h);                /* seconds */

/* The peak of a piecewise-constant rate (an expected arrival intensity, in
 * events per second), measured over one-minute windows: the run's clock is
 * cut at every whole minute (t = 60 j) and at every bucket boundary, each
 * window's rate is its integral over its length, and a bucket's peak is the
 * highest window of the bucket. A window cut short by a bucket boundary is
 * averaged over its own length, so the peak always lies between the bucket's
 * mean rate and its highest instantaneous rate. A rate that is constant over
 * many whole minutes costs one step, not one per minute. Caller-owned,
 * zeroed by peak_meter_init; times never go backwards. */
struct peak_meter {
    double rate;               /* the rate since `since` */
    double since;              /* integrated up to here */
    double window;             /* start of the window being integrated */
    double area;               /* the integral of the rate over [window, since) */
    double bucket_peak;        /* the highest window closed in this bucket */
    double peak;               /* the highest over every bucket closed */
};

void peak_meter_init(struct peak_meter *p, double t0);
/* The rate becomes `rate` at time `now`. */
void peak_meter_set(struct peak_meter *p, double now, double rate);
/* Close the bucket ending at `now`: returns its peak and starts the next. */
double peak_meter_close(struct peak_meter *p, double now);

/* One time-series row: a city over one bucket, counts in real-population units. */
struct ts_row {
    double time_s;             /* end of the bucket, seconds since start */
    uint32_t city;             /* index into the scenario's cities */
    int64_t wallets;           /* stock: wallets opened so far */
    int64_t active_users;      /* stock: wallet holders who paid recently */
    double adoption;           /* stock: wallets / population */
    int64_t merchants_accepting; /* stock */
    int64_t payments;          /* flow: e-CNY payments completed */
    int64_t payments_failed;   /* flow: e-CNY payments timed out */
    int64_t payments_refused;  /* flow: e-CNY payments refused by a wallet limit */
    int64_t payments_offline;  /* flow: offline (hardware wallet) payments */
    int64_t value_fen;         /* flow: value of completed e-CNY payments */
    double ecny_share;         /* flow: e-CNY payments / payments by every method */
    int64_t circulation_fen;   /* stock: the city's e-CNY in circulation */
    double tps_mean;           /* payments (completed + failed) per second over the bucket */
    double tps_peak;           /* highest one-minute mean of the expected arrival rate */
    double latency_p50_ms;     /* end-to-end latency of completed payments, */
    double latency_p99_ms;     /* NaN when none completed online in the bucket */
};

/* The columns of a row after `time` and `city`, in CSV order: the report
 * writes them from this table, so a new column is one line here. */
/* int64; double 8 digits; 6; a latency: a double of 6 digits, NaN when the
 * bucket has no payment with a latency (a single run writes that as 0, a
 * replicated one leaves it out of the mean) */
enum ts_type { TS_COUNT, TS_SHARE, TS_RATE, TS_LATENCY };
struct ts_column {
    const char *name;
    enum ts_type type;
    size_t offset;             /* in struct ts_row */
};
#define TS_N_COLUMNS 15
extern const struct ts_column ts_columns[TS_N_COLUMNS];
extern const size_t ts_n_columns;

struct metrics {
    struct ts_row *rows;       /* in time order, then city order */
    size_t n_rows, cap_rows;
};

void metrics_init(struct metrics *m);
void metrics_destroy(struct metrics *m);
int metrics_add_row(struct metrics *m, const struct ts_row *row);  /* 0 or -1 */

#endif
