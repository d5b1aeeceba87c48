/* slo: a load test's service-level objectives (scenario/slo_spec.h, which
 * parses them) judged against a latency histogram and counts: per
 * interval, per capacity probe, and for the recovery time after a fault.
 * A term holds when its observed value is below its limit (or equal, for
 * `<=`); an empty sample holds every term.
 * Ownership: plain values; nothing is allocated. */
#ifndef PILOTSIM_SLO_H
#define PILOTSIM_SLO_H

#include <stddef.h>
#include <stdint.h>
#include "metrics/hist.h"
#include "scenario/slo_spec.h"

/* What an SLO is judged on: a latency histogram (seconds) and counts. */
struct slo_sample {
    const struct hist *latency;
    uint64_t payments; /* payments judged (failed included) */
    uint64_t failed;   /* failed after every retry */
    uint64_t timeouts; /* attempts that timed out or were dropped */
};

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
