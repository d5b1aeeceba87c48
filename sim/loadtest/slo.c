/* slo: parse and judge load-test objectives (see slo.h). */
#include "loadtest/slo.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "scenario/units.h"

/* The metric names a term may use; quantiles carry their q. */
static const struct {
    const char *name;
    enum slo_metric metric;
    double q;
} slo_names[] = {
    {"p50", SLO_QUANTILE, 0.5},   {"p90", SLO_QUANTILE, 0.9},     {"p95", SLO_QUANTILE, 0.95},
    {"p99", SLO_QUANTILE, 0.99},  {"p999", SLO_QUANTILE, 0.999},  {"p9999", SLO_QUANTILE, 0.9999},
    {"max", SLO_MAX, 1},          {"mean", SLO_MEAN, 0},          {"failed", SLO_FAILED, 0},
    {"timeout", SLO_TIMEOUT, 0},
};

/* One term, text[0..len) without surrounding spaces. */
static int parse_term(const char *text, size_t len, struct slo_term *t, char *why, size_t size) {
    char buf[64];
    if (len == 0) {
        snprintf(why, size, "empty SLO term (expected METRIC<LIMIT, like p99<500ms)");
        return -1;
    }
    if (len >= sizeof buf || len >= sizeof t->text) {
        snprintf(why, size, "SLO term '%.*s...' is too long", 20, text);
        return -1;
    }
    memcpy(buf, text, len);
    buf[len] = '\0';
    memcpy(t->text, buf, len + 1);
    char *lt = strchr(buf, '<');
    if (!lt) {
        snprintf(why, size, "SLO term '%s' has no '<' (expected METRIC<LIMIT, like p99<500ms)",
                 t->text);
        return -1;
    }
    *lt = '\0';
    const char *limit = lt + 1;
    t->inclusive = *limit == '=';
    limit += t->inclusive;
    size_t i, n = sizeof slo_names / sizeof slo_names[0];
    for (i = 0; i < n && strcmp(buf, slo_names[i].name) != 0; i++)
        ;
    if (i == n) {
        snprintf(why, size, "SLO term '%s': unknown metric '%s' (expected p50, p90, p95, p99, "
                 "p999, p9999, max, mean, failed or timeout)", t->text, buf);
        return -1;
    }
    t->metric = slo_names[i].metric;
    t->q = slo_names[i].q;
    const char *reason = NULL;
    if (t->metric == SLO_FAILED || t->metric == SLO_TIMEOUT) {
        if (units_share(limit, &t->limit, &reason) < 0 || t->limit < 0 || t->limit > 1) {
            if (!reason)
                reason = "out of range";
            snprintf(why, size, "SLO term '%s': '%s': %s (expected a share, like 0.1%%)", t->text,
                     limit, reason);
            return -1;
        }
    } else if (units_duration(limit, &t->limit, &reason) < 0) {
        snprintf(why, size, "SLO term '%s': '%s': %s (expected a duration with a unit, like "
                 "500ms)", t->text, limit, reason);
        return -1;
    } else if (!(t->limit > 0) || !isfinite(t->limit)) {
        /* No latency is below zero: such a term fails every step. */
        snprintf(why, size, "SLO term '%s': '%s' is out of range (expected a duration > 0 with "
                 "a unit, like 500ms)", t->text, limit);
        return -1;
    }
    /* `failed<0`: no share is below zero, so the term could never hold. */
    if (!t->inclusive && t->limit <= 0) {
        snprintf(why, size, "SLO term '%s' can never hold (expected a share > 0 after '<', or "
                 "'<=0' for none at all)", t->text);
        return -1;
    }
    return 0;
}

int slo_parse(const char *text, struct slo *out, char *why, size_t size) {
    memset(out, 0, sizeof *out);
    const char *p = text;
    for (;;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        while (len && (*p == ' ')) {
            p++;
            len--;
        }
        while (len && p[len - 1] == ' ')
            len--;
        if (out->n == SLO_MAX_TERMS) {
            snprintf(why, size, "too many SLO terms (expected at most %d)", SLO_MAX_TERMS);
            return -1;
        }
        if (parse_term(p, len, &out->term[out->n], why, size) < 0)
            return -1;
        out->n++;
        if (!end)
            return 0;
        p = end + 1;
    }
}

double slo_value(const struct slo_term *t, const struct slo_sample *s) {
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

int slo_judge(const struct slo *slo, const struct slo_sample *s, unsigned *failed_mask) {
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

double slo_latency_limit(const struct slo *slo, double *q) {
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

void slo_format(const struct slo *slo, char *buf, size_t size) {
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < slo->n && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? "," : "", slo->term[i].text);
}
