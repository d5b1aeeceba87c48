/* slo: judge load-test objectives on a run's figures (see slo.h). */
#include "loadtest/slo.h"

#include <stdio.h>

double slo_value(const struct slo_term *t, const struct slo_sample *s)
{
    double n = (double)s->payments;
    switch (t->metric) {
    case SLO_QUANTILE:
        return hist_quantile(s->latency, t->q);
    case SLO_MAX:
        return hist_max(s->latency);
    case SLO_MEAN:
        return s->latency->count ? s->latency->sum_s / (double)s->latency->count : 0;
    case SLO_FAILED:
        return n > 0 ? (double)s->failed / n : 0;
    case SLO_TIMEOUT:
        return n > 0 ? (double)s->timeouts / n : 0;
    }
    return 0;
}

int slo_judge(const struct slo *slo, const struct slo_sample *s, unsigned *failed_mask)
{
    unsigned mask = 0;
    for (size_t i = 0; i < slo->n; i++) {
        const struct slo_term *t = &slo->term[i];
        double v = slo_value(t, s);
        int ok = t->inclusive ? v <= t->limit : v < t->limit;
        if (!ok)
            mask |= 1u << i;
    }
    if (failed_mask)
        *failed_mask = mask;
    return mask == 0;
}

double slo_latency_limit(const struct slo *slo, double *q)
{
    const struct slo_term *best = NULL;
    for (size_t i = 0; i < slo->n; i++) {
        const struct slo_term *t = &slo->term[i];
        if (t->metric != SLO_QUANTILE)
            continue;
        /* p99 is what the recovery time is defined on; else the first. */
        if (!best || (t->q == 0.99 && best->q != 0.99))
            best = t;
    }
    if (!best)
        return 0;
    *q = best->q;
    return best->limit;
}

void slo_format(const struct slo *slo, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < slo->n && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? "," : "", slo->term[i].text);
}
