/* slo: service-level objectives of a load test, parsed from one line
 * (`p99<500ms,failed<0.1%`) and judged against a latency histogram and
 * counts.
 *
 * A term is `METRIC<LIMIT` or `METRIC<=LIMIT`. Latency metrics (p50, p90,
 * p95, p99, p999, p9999, max, mean) take a duration with a unit (`500ms`,
 * `2s`, `1h`); share metrics (failed: payments that failed after their
 * retries; timeout: attempts that timed out or were dropped; both over
 * payments) take a share (`0.1%`, `0.001`). Terms are separated by commas;
 * at most SLO_MAX_TERMS. An empty SLO (no terms) always holds.
 * Ownership: plain values; nothing is allocated. */
#ifndef PILOTSIM_SLO_H
#define PILOTSIM_SLO_H

#include <stddef.h>
#include <stdint.h>
#include "metrics/metrics.h"

#define SLO_MAX_TERMS 8

enum slo_metric { SLO_QUANTILE, SLO_MAX, SLO_MEAN, SLO_FAILED, SLO_TIMEOUT };

struct slo_term {
    enum slo_metric metric;
    double q;                 /* SLO_QUANTILE: 0.5 .. 0.9999 */
    double limit;             /* seconds (latency) or share 0-1 */
    int inclusive;            /* 1 for <=, 0 for < */
    char text[48];            /* the term as written, for messages */
};

struct slo {
    size_t n;
    struct slo_term term[SLO_MAX_TERMS];
};

/* What an SLO is judged on: a latency histogram (seconds) and counts. */
struct slo_sample {
    const struct hist *latency;
    uint64_t payments;        /* payments judged (failed included) */
    uint64_t failed;          /* failed after every retry */
    uint64_t timeouts;        /* attempts that timed out or were dropped */
};

/* Parse `text`; 0, or -1 with a one-line reason in why[size]. */
int slo_parse(const char *text, struct slo *out, char *why, size_t size);
/* The observed value of term t on the sample (seconds or share). */
double slo_value(const struct slo_term *t, const struct slo_sample *s);
/* 1 when every term holds (an empty sample holds), 0 otherwise; the
 * failing terms' bits are set in *failed_mask when it is not NULL. */
int slo_judge(const struct slo *slo, const struct slo_sample *s, unsigned *failed_mask);
/* The latency limit (seconds) and its quantile for recovery times: the
 * first percentile term (p99 preferred); 0 when the SLO has none. */
double slo_latency_limit(const struct slo *slo, double *q);
/* Write the SLO back as text (terms joined by commas) into buf[size]. */
void slo_format(const struct slo *slo, char *buf, size_t size);

#endif
