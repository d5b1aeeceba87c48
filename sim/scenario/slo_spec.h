/* slo_spec: service-level objectives of a load test as the scenario and
 * the command line write them, one line (`p99<500ms,failed<0.1%`) parsed
 * into terms. Judging them against a run's figures is loadtest/slo.h's.
 *
 * A term is `METRIC<LIMIT` or `METRIC<=LIMIT`. Latency metrics (p50, p90,
 * p95, p99, p999, p9999, max, mean) take a duration with a unit (`500ms`,
 * `2s`, `1h`); share metrics (failed: payments that failed after their
 * retries; timeout: attempts that timed out or were dropped; both over
 * payments) take a share (`0.1%`, `0.001`). Terms are separated by commas;
 * at most SLO_MAX_TERMS. An empty SLO (no terms) always holds.
 * Ownership: plain values; nothing is allocated. */
#ifndef PILOTSIM_SLO_SPEC_H
#define PILOTSIM_SLO_SPEC_H

#include <stddef.h>

#define SLO_MAX_TERMS 8

enum slo_metric { SLO_QUANTILE, SLO_MAX, SLO_MEAN, SLO_FAILED, SLO_TIMEOUT };

struct slo_term {
    enum slo_metric metric;
    double q;      /* SLO_QUANTILE: 0.5 .. 0.9999 */
    double limit;  /* seconds (latency) or share 0-1 */
    int inclusive; /* 1 for <=, 0 for < */
    char text[48]; /* the term as written, for messages */
};

struct slo {
    size_t n;
    struct slo_term term[SLO_MAX_TERMS];
};

/* Parse `text`; 0, or -1 with a one-line reason in why[size]. */
int slo_spec_parse(const char *text, struct slo *out, char *why, size_t size);

#endif
