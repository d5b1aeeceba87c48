/* slo_spec: the SLO line parsed into its terms (see slo_spec.h). */
#include "scenario/slo_spec.h"

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
    {"p50", SLO_QUANTILE, 0.5},  {"p90", SLO_QUANTILE, 0.9},    {"p95", SLO_QUANTILE, 0.95},
    {"p99", SLO_QUANTILE, 0.99}, {"p999", SLO_QUANTILE, 0.999}, {"p9999", SLO_QUANTILE, 0.9999},
    {"max", SLO_MAX, 1},         {"mean", SLO_MEAN, 0},         {"failed", SLO_FAILED, 0},
    {"timeout", SLO_TIMEOUT, 0},
};

/* One term, text[0..len) without surrounding spaces. */
static int parse_term(const char *text, size_t len, struct slo_term *t, char *why, size_t size)
{
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
        snprintf(why, size,
                 "SLO term '%s': unknown metric '%s' (expected p50, p90, p95, p99, "
                 "p999, p9999, max, mean, failed or timeout)",
                 t->text, buf);
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
        snprintf(why, size,
                 "SLO term '%s': '%s': %s (expected a duration with a unit, like "
                 "500ms)",
                 t->text, limit, reason);
        return -1;
    } else if (!(t->limit > 0) || !isfinite(t->limit)) {
        /* No latency is below zero: such a term fails every step. */
        snprintf(why, size,
                 "SLO term '%s': '%s' is out of range (expected a duration > 0 with "
                 "a unit, like 500ms)",
                 t->text, limit);
        return -1;
    }
    /* `failed<0`: no share is below zero, so the term could never hold. */
    if (!t->inclusive && t->limit <= 0) {
        snprintf(why, size,
                 "SLO term '%s' can never hold (expected a share > 0 after '<', or "
                 "'<=0' for none at all)",
                 t->text);
        return -1;
    }
    return 0;
}

int slo_spec_parse(const char *text, struct slo *out, char *why, size_t size)
{
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
