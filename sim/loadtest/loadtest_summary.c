/* loadtest_summary: a load test read back from DIR/summary.json, and its
 * verdict in words (loadtest_summary.h). */
#include "loadtest/loadtest_summary.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/ytree.h"

static const char *const ls_qname[LOADTEST_SUMMARY_NQ] = {"p50",  "p90",   "p99",
                                                          "p999", "p9999", "max"};

/* ---- reading ---- */

/* The number under key (NaN: absent, null or not a number). */
static double num(const struct ytree *map, const char *key)
{
    const struct ytree *v = map ? ytree_get(map, key, NULL) : NULL;
    if (!v || v->kind != YTREE_SCALAR)
        return NAN;
    char *end;
    errno = 0;
    double x = strtod(v->text, &end);
    return errno || end == v->text || *end ? NAN : x;
}

/* A count: 0 when absent. */
static double count(const struct ytree *map, const char *key)
{
    double x = num(map, key);
    return isfinite(x) ? x : 0;
}

/* A copy of the string under key; NULL when absent or null. *bad set on
 * no memory. */
static char *str(const struct ytree *map, const char *key, int *bad)
{
    const struct ytree *v = map ? ytree_get(map, key, NULL) : NULL;
    if (!v || v->kind != YTREE_SCALAR || (v->plain && !strcmp(v->text, "null")))
        return NULL;
    char *s = strdup(v->text);
    *bad |= !s;
    return s;
}

static int boolean(const struct ytree *map, const char *key)
{
    const struct ytree *v = map ? ytree_get(map, key, NULL) : NULL;
    return v && v->kind == YTREE_SCALAR ? !strcmp(v->text, "true")    ? 1
                                          : !strcmp(v->text, "false") ? 0
                                                                      : -1
                                        : -1;
}

/* Element i of the sequence under key, a number (NaN when none). */
static double nth(const struct ytree *map, const char *key, size_t i)
{
    const struct ytree *v = map ? ytree_get(map, key, NULL) : NULL;
    if (!v || v->kind != YTREE_SEQ || i >= v->n || v->items[i].val->kind != YTREE_SCALAR)
        return NAN;
    char *end;
    double x = strtod(v->items[i].val->text, &end);
    return end == v->items[i].val->text || *end ? NAN : x;
}

static int read_resources(const struct ytree *lt, struct loadtest_summary *s)
{
    const struct ytree *res = ytree_get(lt, "resources", NULL);
    const struct ytree *bn = ytree_get(lt, "bottleneck", NULL);
    const struct ytree *bu =
        bn && bn->kind == YTREE_MAP ? ytree_get(bn, "utilization", NULL) : NULL;
    int bad = 0;
    if (!res || res->kind != YTREE_MAP)
        return 0;
    if (!(s->res = calloc(res->n + 1, sizeof *s->res)))
        return -1;
    for (size_t i = 0; i < res->n; i++) {
        const struct ytree *r = res->items[i].val;
        struct loadtest_summary_resource *o = &s->res[s->n_res++];
        bad |= !(o->id = strdup(res->items[i].key));
        o->name = str(r, "name", &bad);
        o->servers = num(r, "servers");
        o->jobs = count(r, "jobs");
        o->utilization = num(r, "utilization");
        o->queue_max = count(r, "queue_max");
        o->mean_wait_ms = num(r, "mean_wait_ms");
        o->p99_ms = num(ytree_get(r, "latency_ms", NULL), "p99");
        o->bottleneck_utilization = num(bu, res->items[i].key);
    }
    s->bottleneck = bn && bn->kind == YTREE_MAP ? str(bn, "resource", &bad) : NULL;
    return bad ? -1 : 0;
}

static int read_faults(const struct ytree *lt, struct loadtest_summary *s)
{
    const struct ytree *fl = ytree_get(lt, "faults", NULL);
    int bad = 0;
    if (!fl || fl->kind != YTREE_SEQ || !fl->n)
        return 0;
    if (!(s->fault = calloc(fl->n, sizeof *s->fault)))
        return -1;
    for (size_t i = 0; i < fl->n; i++) {
        const struct ytree *f = fl->items[i].val;
        struct loadtest_summary_fault *o = &s->fault[s->n_fault++];
        o->name = str(f, "name", &bad);
        o->resource = str(f, "resource", &bad);
        o->from_s = num(f, "from_s");
        o->until_s = num(f, "until_s");
        o->capacity = num(f, "capacity");
        o->failed = count(f, "failed");
        o->backlog = count(f, "backlog");
        o->backlog_max = count(f, "backlog_max");
        o->recovery_s = num(f, "recovery_s");
    }
    return bad ? -1 : 0;
}

static int read_failure(const struct ytree *lt, struct loadtest_summary *s)
{
    const struct ytree *f = ytree_get(lt, "first_failure", NULL);
    const struct ytree *terms = f && f->kind == YTREE_MAP ? ytree_get(f, "terms", NULL) : NULL;
    if (!terms || terms->kind != YTREE_SEQ)
        return 0;
    s->has_failure = 1;
    s->first.start_s = num(f, "start_s");
    s->first.end_s = num(f, "end_s");
    s->first.offered_per_s = num(f, "offered_per_s");
    for (size_t i = 0; i < terms->n && i < LOADTEST_SUMMARY_TERMS; i++) {
        if (terms->items[i].val->kind != YTREE_SCALAR)
            continue;
        snprintf(s->first.term[s->first.n], sizeof s->first.term[0], "%s",
                 terms->items[i].val->text);
        s->first.observed[s->first.n++] = nth(f, "observed", i);
    }
    return 0;
}

static int read_warnings(const struct ytree *top, struct loadtest_summary *s)
{
    const struct ytree *w = ytree_get(top, "warnings", NULL);
    if (!w || w->kind != YTREE_SEQ || !w->n)
        return 0;
    if (!(s->warning = calloc(w->n, sizeof *s->warning)))
        return -1;
    for (size_t i = 0; i < w->n; i++)
        if (w->items[i].val->kind == YTREE_SCALAR &&
            !(s->warning[s->n_warning++] = strdup(w->items[i].val->text)))
            return -1;
    return 0;
}

/* The loadtest section's figures. */
static int read_loadtest(const struct ytree *top, const struct ytree *lt,
                         struct loadtest_summary *s)
{
    int bad = 0;
    const struct ytree *run = ytree_get(top, "run", NULL);
    s->scenario = str(top, "scenario", &bad);
    s->seed = num(top, "seed");
    s->version = str(run, "version", &bad);
    s->started_at = str(run, "started_at", &bad);
    s->wall_s = num(run, "wall_s");
    s->has_provenance = run && ytree_get(run, "provenance", NULL) != NULL;
    s->profile = str(lt, "profile", &bad);
    s->slo = str(lt, "slo", &bad);
    s->replications = num(lt, "replications");
    s->warmup_s = num(lt, "warmup_s");
    s->interval_s = num(lt, "interval_s");
    s->slo_passed = boolean(lt, "slo_passed");
    s->steps = count(lt, "steps");
    s->steps_failed = count(lt, "steps_failed");
    static const char *const counts[] = {"payments",  "completed", "failed",
                                         "timed_out", "dropped",   "retries_sent"};
    double *to[] = {&s->payments,  &s->completed, &s->failed,
                    &s->timed_out, &s->dropped,   &s->retries_sent};
    for (size_t i = 0; i < sizeof counts / sizeof *counts; i++)
        *to[i] = count(lt, counts[i]);
    s->offered_per_s = num(lt, "offered_per_s");
    s->achieved_per_s = num(lt, "achieved_per_s");
    for (size_t k = 0; k < LOADTEST_SUMMARY_NQ; k++)
        s->latency_ms[k] = num(ytree_get(lt, "latency_ms", NULL), ls_qname[k]);
    s->target_per_s = num(lt, "target_per_s");
    s->searched = ytree_get(lt, "capacity_probes", NULL) != NULL;
    s->capacity_per_s = num(lt, "capacity_per_s");
    s->ci_lo = nth(lt, "capacity_ci", 0);
    s->ci_hi = nth(lt, "capacity_ci", 1);
    s->at_ceiling = boolean(lt, "capacity_at_ceiling") == 1;
    s->probes = count(lt, "capacity_probes");
    s->probe_duration_s = num(lt, "capacity_duration_s");
    s->replications_search = num(lt, "capacity_replications");
    s->range_lo = nth(lt, "capacity_range", 0);
    s->range_hi = nth(lt, "capacity_range", 1);
    s->duration_s = num(lt, "duration_s");
    if (bad || read_resources(lt, s) < 0 || read_faults(lt, s) < 0 || read_failure(lt, s) < 0 ||
        read_warnings(top, s) < 0)
        return -1;
    return 0;
}

int loadtest_summary_read(const char *dir, struct loadtest_summary *s, FILE *err)
{
    char path[4096];
    struct ytree_ctx c;
    struct ytree_id id;
    memset(s, 0, sizeof *s);
    snprintf(path, sizeof path, "%s/summary.json", dir);
    ytree_init(&c, err);
    c.what = "summary.json";
    const struct ytree *top = ytree_read(&c, path, NULL, &id);
    const struct ytree *lt = top ? ytree_get(top, "loadtest", NULL) : NULL;
    int rc = -1;
    if (top && (!lt || lt->kind != YTREE_MAP))
        fprintf(err, "pilotsim: %s is not a load test's summary (it has no `loadtest` section)\n",
                path);
    else if (lt && read_loadtest(top, lt, s) < 0)
        fprintf(err, "pilotsim: out of memory reading %s\n", path);
    else if (lt)
        rc = 0;
    ytree_destroy(&c);
    return rc;
}

void loadtest_summary_destroy(struct loadtest_summary *s)
{
    free(s->scenario);
    free(s->profile);
    free(s->slo);
    free(s->version);
    free(s->started_at);
    free(s->bottleneck);
    for (size_t i = 0; i < s->n_res; i++) {
        free(s->res[i].id);
        free(s->res[i].name);
    }
    free(s->res);
    for (size_t i = 0; i < s->n_fault; i++) {
        free(s->fault[i].name);
        free(s->fault[i].resource);
    }
    free(s->fault);
    for (size_t i = 0; i < s->n_warning; i++)
        free(s->warning[i]);
    free(s->warning);
    memset(s, 0, sizeof *s);
}

const struct loadtest_summary_resource *loadtest_summary_resource(const struct loadtest_summary *s,
                                                                  const char *id)
{
    for (size_t i = 0; id && i < s->n_res; i++)
        if (!strcmp(s->res[i].id, id))
            return &s->res[i];
    return NULL;
}

/* ---- the verdict in words ---- */

void loadtest_summary_count(char *buf, size_t size, double x)
{
    char digits[64];
    snprintf(digits, sizeof digits, "%.0f", fabs(x));
    size_t n = strlen(digits), o = 0;
    if (x <= -0.5 && o + 1 < size)
        buf[o++] = '-';
    for (size_t i = 0; i < n && o + 1 < size; i++) {
        if (i && (n - i) % 3 == 0 && o + 2 < size)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
}

void loadtest_summary_rate(char *buf, size_t size, double per_s)
{
    char n[40];
    if (!isfinite(per_s))
        snprintf(buf, size, "none");
    else if (fabs(per_s) >= 100) {
        loadtest_summary_count(n, sizeof n, per_s);
        snprintf(buf, size, "%s payments/s", n);
    } else
        snprintf(buf, size, "%.3g payments/s", per_s);
}

void loadtest_summary_ms(char *buf, size_t size, double ms)
{
    if (!isfinite(ms))
        snprintf(buf, size, "none");
    else if (ms < 10)
        snprintf(buf, size, "%.2g ms", ms);
    else if (ms < 1000)
        snprintf(buf, size, "%.0f ms", ms);
    else
        snprintf(buf, size, "%.3g s", ms / 1e3);
}

void loadtest_summary_percent(char *buf, size_t size, double share)
{
    if (share < 0.001 && share > 0)
        snprintf(buf, size, "%.2g%%", 100 * share);
    else
        snprintf(buf, size, "%.3g%%", 100 * share);
}

static const char *res_name(const struct loadtest_summary *s, const char *id)
{
    const struct loadtest_summary_resource *r = loadtest_summary_resource(s, id);
    return r && r->name ? r->name : id ? id : "?";
}

static void say_capacity(const struct loadtest_summary *s,
                         void (*say)(void *, const char *, const char *), void *ctx)
{
    char t[1024], cap[64], lo[64], hi[64], target[64];
    size_t n = 0;
    loadtest_summary_rate(target, sizeof target, s->target_per_s);
    if (!isfinite(s->capacity_per_s)) {
        char low[64];
        loadtest_summary_rate(low, sizeof low, s->range_lo);
        n = (size_t)snprintf(t, sizeof t,
                             "none found: the SLO fails even at the lowest rate searched, %s", low);
        if (isfinite(s->target_per_s))
            snprintf(t + n, sizeof t - n, ", so the target of %s is not met", target);
        say(ctx, "Capacity", t);
        return;
    }
    loadtest_summary_rate(cap, sizeof cap, s->capacity_per_s);
    loadtest_summary_rate(hi, sizeof hi, s->ci_hi);
    loadtest_summary_count(lo, sizeof lo, s->ci_lo);
    if (isfinite(s->ci_lo) && isfinite(s->ci_hi))
        n = (size_t)snprintf(t, sizeof t,
                             "%s (95%% interval %s to %s over %.0f replications, each searched to "
                             "within 1%%)",
                             cap, lo, hi, s->replications_search);
    else
        n = (size_t)snprintf(t, sizeof t, "%s (one replication: no interval)", cap);
    if (isfinite(s->target_per_s) && n < sizeof t) {
        double ratio = s->capacity_per_s / s->target_per_s - 1;
        int met = isfinite(s->ci_lo) ? s->ci_lo >= s->target_per_s : ratio >= 0;
        int short_ = isfinite(s->ci_hi) ? s->ci_hi < s->target_per_s : ratio < 0;
        char pct[32];
        loadtest_summary_percent(pct, sizeof pct, fabs(ratio));
        n += (size_t)snprintf(t + n, sizeof t - n, ", %s %s the target of %s: %s", pct,
                              ratio >= 0 ? "above" : "below", target,
                              met      ? "the target is met"
                              : short_ ? "the target is NOT met"
                                       : "the target lies within the interval, not shown met");
    }
    if (s->at_ceiling && n < sizeof t)
        snprintf(t + n, sizeof t - n,
                 "; the highest rate searched passed, so the capacity may be higher "
                 "(widen --capacity-range)");
    say(ctx, "Capacity", t);
}

/* The busiest resource and the next one, by `at` (the utilization at the
 * capacity, or over the profile). */
static void say_bottleneck(const struct loadtest_summary *s,
                           void (*say)(void *, const char *, const char *), void *ctx)
{
    int at_cap = s->bottleneck != NULL;
    size_t best = s->n_res, next = s->n_res;
    for (size_t i = 0; i < s->n_res; i++) {
        double u = at_cap ? s->res[i].bottleneck_utilization : s->res[i].utilization;
        if (!isfinite(u))
            continue;
        double ub = best < s->n_res
                        ? (at_cap ? s->res[best].bottleneck_utilization : s->res[best].utilization)
                        : -1;
        double un = next < s->n_res
                        ? (at_cap ? s->res[next].bottleneck_utilization : s->res[next].utilization)
                        : -1;
        if (at_cap ? !strcmp(s->res[i].id, s->bottleneck) : u > ub) {
            if (best < s->n_res && !at_cap)
                next = best;
            best = i;
        } else if (u > un)
            next = i;
    }
    if (best == s->n_res)
        return;
    char t[512], u1[32], u2[32];
    const struct loadtest_summary_resource *b = &s->res[best];
    loadtest_summary_percent(u1, sizeof u1, at_cap ? b->bottleneck_utilization : b->utilization);
    size_t n = (size_t)snprintf(t, sizeof t, "%s, %s busy %s", res_name(s, b->id), u1,
                                at_cap ? "at the capacity" : "over the whole profile");
    double un = next < s->n_res
                    ? (at_cap ? s->res[next].bottleneck_utilization : s->res[next].utilization)
                    : 0;
    if (next < s->n_res && un > 0) {
        const struct loadtest_summary_resource *x = &s->res[next];
        loadtest_summary_percent(u2, sizeof u2,
                                 at_cap ? x->bottleneck_utilization : x->utilization);
        snprintf(t + n, sizeof t - n, " (next: %s, %s)", res_name(s, x->id), u2);
    }
    say(ctx, at_cap ? "Bottleneck" : "Busiest resource", t);
}

static void say_fault(const struct loadtest_summary *s, const struct loadtest_summary_fault *f,
                      double duration_s, void (*say)(void *, const char *, const char *), void *ctx)
{
    char t[1024], failed[64], cut[64], limit[64] = "";
    loadtest_summary_count(failed, sizeof failed, f->failed);
    if (f->capacity > 0)
        snprintf(cut, sizeof cut, "at %.0f%% of its capacity", 100 * f->capacity);
    else
        snprintf(cut, sizeof cut, "down");
    size_t n = (size_t)snprintf(t, sizeof t, "%s: %s %s from %.0f s to %.0f s; %s payments failed",
                                f->name ? f->name : "a fault", res_name(s, f->resource), cut,
                                f->from_s, f->until_s, failed);
    if (s->replications > 1)
        n += (size_t)snprintf(t + n, sizeof t - n, " over %.0f replications", s->replications);
    if (s->slo) /* the latency term recovery is judged by */
        snprintf(limit, sizeof limit, " (p99 back within the SLO)");
    if (isfinite(duration_s) && f->from_s >= duration_s)
        snprintf(t + n, sizeof t - n,
                 "; it starts after the profile's end: no judged figure sees it");
    else if (isfinite(f->recovery_s))
        snprintf(t + n, sizeof t - n, "; recovered %.0f s after it ended%s", f->recovery_s, limit);
    else if (isfinite(duration_s) && f->until_s >= duration_s)
        snprintf(t + n, sizeof t - n, "; it lasts past the profile's end: recovery not measured");
    else if (!s->slo)
        snprintf(t + n, sizeof t - n, "; recovery not measured (no SLO)");
    else
        snprintf(t + n, sizeof t - n,
                 "; NOT recovered by the profile's end (latency never came back within the SLO)");
    say(ctx, f->name && !strncmp(f->name, "outage", 6) ? "Outage" : "Fault", t);
}

static void say_slo(const struct loadtest_summary *s,
                    void (*say)(void *, const char *, const char *), void *ctx)
{
    char t[1024];
    if (!s->slo)
        return;
    if (s->slo_passed == 1) {
        if (s->steps == 1)
            snprintf(t, sizeof t, "%s held over the profile (one step)", s->slo);
        else
            snprintf(t, sizeof t, "%s held in all %.0f steps of the profile", s->slo, s->steps);
        say(ctx, "SLO passed", t);
        return;
    }
    size_t n = (size_t)snprintf(t, sizeof t, "%s failed in %.0f of %.0f steps of the profile",
                                s->slo, s->steps_failed, s->steps);
    if (s->has_failure) {
        char rate[64];
        loadtest_summary_rate(rate, sizeof rate, s->first.offered_per_s);
        n += (size_t)snprintf(t + n, sizeof t - n,
                              ", first at %.0f-%.0f s (offered %s):", s->first.start_s,
                              s->first.end_s, rate);
        for (size_t i = 0; i < s->first.n && n < sizeof t; i++) {
            char v[64];
            const char *term = s->first.term[i];
            if (!strncmp(term, "failed", 6) || !strncmp(term, "timeout", 7))
                loadtest_summary_percent(v, sizeof v, s->first.observed[i]);
            else
                loadtest_summary_ms(v, sizeof v, s->first.observed[i]);
            n += (size_t)snprintf(t + n, sizeof t - n, "%s %.*s was %s against %s", i ? ";" : "",
                                  (int)strcspn(term, "<"), term, v, term);
        }
    }
    say(ctx, "SLO FAILED", t);
}

void loadtest_summary_verdict(const struct loadtest_summary *s,
                              void (*say)(void *ctx, const char *topic, const char *text),
                              void *ctx)
{
    /* The answer first: the capacity when searched, else the SLO. */
    if (s->searched)
        say_capacity(s, say, ctx);
    else
        say_slo(s, say, ctx);
    say_bottleneck(s, say, ctx);
    for (size_t i = 0; i < s->n_fault; i++)
        say_fault(s, &s->fault[i], s->duration_s, say, ctx);
    if (s->searched)
        say_slo(s, say, ctx);
}
