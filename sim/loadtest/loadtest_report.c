/* loadtest_report: writes a load test as it is given (see
 * loadtest_report.h). */
#include "loadtest/loadtest_report.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>

#include "kernel/rng.h"
#include "loadtest/loadtest_doc.h"
#include "loadtest/loadtest_plot.h"
#include "metrics/stats.h"
#include "output/doc.h"
#include "output/report.h"

#define LR_NQ LOADTEST_REPORT_NQ
static const char *const lr_qname[LR_NQ] = {"p50", "p90", "p99", "p999", "p9999", "max"};
static const double lr_q[LR_NQ] = {0.5, 0.9, 0.99, 0.999, 0.9999, 1};

double loadtest_report_quantile(const struct hist *h, size_t k)
{
    return (k == LR_NQ - 1 ? hist_max(h) : hist_quantile(h, lr_q[k])) * 1e3;
}

static void lr_json_number(FILE *f, double x)
{
    if (isfinite(x))
        fprintf(f, "%.10g", x);
    else
        fputs("null", f);
}

/* The interval over replications of quantile k of row i (i = n_iv: total). */
static void lr_ci(const struct loadtest_report *l, size_t i, size_t k, double *lo, double *hi)
{
    size_t row = l->m->n_intervals + 1;
    struct stats_summary sum;
    stats_summarize(l->reps_q + i * LR_NQ + k, l->R, row * LR_NQ, STATS_LEVEL, &sum);
    *lo = sum.lo;
    *hi = sum.hi;
}

double loadtest_report_mean_wait_ms(const struct loadtest_interval *t, size_t r)
{
    return t->jobs[r] ? t->wait_s[r] / (double)t->jobs[r] * 1e3 : 0;
}

/* ---- loadtest.csv ---- */

/* A closed interval's histograms could not be read back from the
 * temporary file: the file being written is abandoned. */
static int lr_unread(FILE *f)
{
    (void)f;
    errno = EIO;
    return -1;
}

static int lr_write_csv(FILE *f, const void *ctx)
{
    const struct loadtest_report *l = ctx;
    const struct loadtest_result *m = l->m;
    fputs("start_s,end_s,offered_per_s,achieved_per_s,payments,completed,failed,timed_out,"
          "dropped,retries",
          f);
    for (size_t k = 0; k < LR_NQ; k++) {
        fprintf(f, ",%s_ms", lr_qname[k]);
        if (l->R > 1)
            fprintf(f, ",%s_ms_ci_lo,%s_ms_ci_hi", lr_qname[k], lr_qname[k]);
    }
    fputs(",slo", f);
    for (size_t r = 0; r < m->n_resources; r++) {
        char name[96];
        snprintf(name, sizeof name, "util_%s", loadtest_resource_id(l->s, r));
        fputc(',', f);
        report_csv_field(f, name);
        snprintf(name, sizeof name, "queue_max_%s", loadtest_resource_id(l->s, r));
        fputc(',', f);
        report_csv_field(f, name);
    }
    fputc('\n', f);
    for (size_t i = 1; i < m->n_intervals; i++) {
        /* One interval's histograms in memory at a time (loadtest.h). */
        const struct loadtest_interval *iv = loadtest_interval(m, i);
        if (!iv)
            return lr_unread(f);
        double len = (iv->t1 - iv->t0) * l->R;
        report_csv_number(f, iv->t0);
        fputc(',', f);
        report_csv_number(f, iv->t1);
        fprintf(f, ",%.6g,%.6g,%llu,%llu,%llu,%llu,%llu,%llu", (double)iv->offered / len,
                (double)iv->done / len, (unsigned long long)iv->offered, (unsigned long long)iv->ok,
                (unsigned long long)iv->failed, (unsigned long long)iv->timeouts,
                (unsigned long long)iv->drops, (unsigned long long)(iv->attempts - iv->offered));
        for (size_t k = 0; k < LR_NQ; k++) {
            fprintf(f, ",%.6g", loadtest_report_quantile(iv->latency, k));
            if (l->R > 1) {
                double lo, hi;
                lr_ci(l, i, k, &lo, &hi);
                fprintf(f, ",%.6g,%.6g", lo, hi);
            }
        }
        fputs(l->verdict[i] < 0 ? "," : l->verdict[i] ? ",pass" : ",fail", f);
        for (size_t r = 0; r < m->n_resources; r++)
            fprintf(f, ",%.6g,%u", iv->busy_s[r] / ((double)m->servers[r] * len),
                    (unsigned)iv->max_queue[r]);
        fputc('\n', f);
    }
    return ferror(f) ? -1 : 0;
}

static int lr_write_resources(FILE *f, const void *ctx)
{
    const struct loadtest_report *l = ctx;
    const struct loadtest_result *m = l->m;
    fputs("start_s,end_s,resource,jobs,utilization,queue_max", f);
    for (size_t k = 0; k < LR_NQ; k++)
        fprintf(f, ",%s_ms", lr_qname[k]);
    fputc('\n', f);
    for (size_t i = 1; i < m->n_intervals; i++) {
        const struct loadtest_interval *iv = loadtest_interval(m, i);
        if (!iv)
            return lr_unread(f);
        double len = (iv->t1 - iv->t0) * l->R;
        for (size_t r = 0; r < m->n_resources; r++) {
            report_csv_number(f, iv->t0);
            fputc(',', f);
            report_csv_number(f, iv->t1);
            fputc(',', f);
            report_csv_field(f, loadtest_resource_id(l->s, r));
            fprintf(f, ",%llu,%.6g,%u", (unsigned long long)iv->jobs[r],
                    iv->busy_s[r] / ((double)m->servers[r] * len), (unsigned)iv->max_queue[r]);
            for (size_t k = 0; k < LR_NQ; k++)
                fprintf(f, ",%.6g",
                        iv->res_latency ? loadtest_report_quantile(iv->res_latency[r], k) : 0.0);
            fputc('\n', f);
        }
    }
    return ferror(f) ? -1 : 0;
}

/* ---- loadtest_capacity.csv: the capacity search's probes ---- */

static int lr_write_probes(FILE *f, const void *ctx)
{
    const struct capacity_result *c = ((const struct loadtest_report *)ctx)->cap;
    fputs("replication,offered_per_s,achieved_per_s,payments,failed_share,p99_ms,slo,faulted\n", f);
    for (size_t i = 0; i < c->n_probe; i++) {
        const struct capacity_probe *g = &c->probe[i];
        fprintf(f, "%u,%.10g,%.6g,%llu,%.6g,%.6g,%s,%d\n", g->replication + 1, g->offered_per_s,
                g->achieved_per_s, g->payments, g->failed_share, g->p99_ms,
                g->pass ? "pass" : "fail", g->faults);
    }
    return ferror(f) ? -1 : 0;
}

/* ---- summary.json ---- */

static void lr_json_latency(FILE *f, const struct loadtest_report *l, const struct hist *h, int ci)
{
    fputs("{", f);
    for (size_t k = 0; k < LR_NQ; k++) {
        fprintf(f, "%s\"%s\": ", k ? ", " : "", lr_qname[k]);
        lr_json_number(f, loadtest_report_quantile(h, k));
    }
    fputs("}", f);
    if (ci && l->R > 1) {
        fputs(",\n    \"latency_ms_ci\": {", f);
        for (size_t k = 0; k < LR_NQ; k++) {
            double lo, hi;
            lr_ci(l, l->m->n_intervals, k, &lo, &hi);
            fprintf(f, "%s\"%s\": [", k ? ", " : "", lr_qname[k]);
            lr_json_number(f, lo);
            fputs(", ", f);
            lr_json_number(f, hi);
            fputs("]", f);
        }
        fputs("}", f);
    }
}

static void lr_json_capacity(FILE *f, const struct loadtest_report *l)
{
    const struct capacity_result *c = l->cap;
    fputs(",\n    \"capacity_per_s\": ", f);
    lr_json_number(f, c->found ? c->capacity_per_s : NAN);
    fputs(", \"capacity_ci\": [", f);
    lr_json_number(f, c->found ? c->ci_lo : NAN);
    fputs(", ", f);
    lr_json_number(f, c->found ? c->ci_hi : NAN);
    fprintf(f, "], \"capacity_at_ceiling\": %s, \"capacity_probes\": %u,\n",
            c->at_ceiling ? "true" : "false", c->probes);
    fprintf(f,
            "    \"capacity_range\": [%.10g, %.10g], \"capacity_duration_s\": %.10g, "
            "\"capacity_replications\": %u,\n    \"bottleneck\": ",
            l->cap_params->lo, l->cap_params->hi, l->cap_params->duration_s, c->replications);
    if (!c->found) {
        fputs("null", f);
        return;
    }
    fputs("{\"resource\": ", f);
    report_json_string(f, loadtest_resource_id(l->s, c->bottleneck));
    fputs(", \"utilization\": {", f);
    for (size_t r = 0; r < c->n_resources; r++) {
        fputs(r ? ", " : "", f);
        report_json_string(f, loadtest_resource_id(l->s, r));
        fputs(": ", f);
        lr_json_number(f, c->utilization[r]);
    }
    fputs("}}", f);
}

/* Each resource's figures over the judged intervals of D seconds (all
 * replications'). */
static void lr_json_resources(FILE *f, const struct loadtest_report *l, double D)
{
    const struct loadtest_result *m = l->m;
    const struct loadtest_interval *t = &m->total;
    for (size_t r = 0; r < m->n_resources; r++) {
        fputs(r ? ",\n      " : "\n      ", f);
        report_json_string(f, loadtest_resource_id(l->s, r));
        fputs(": {\"name\": ", f);
        report_json_string(f, r < l->s->n_operators ? l->s->operators[r].name : "Central ledger");
        fprintf(f, ", \"servers\": %u, \"jobs\": %llu, \"utilization\": ", m->servers[r],
                (unsigned long long)t->jobs[r]);
        lr_json_number(f, t->busy_s[r] / ((double)m->servers[r] * D));
        fprintf(f, ", \"queue_max\": %u, \"mean_wait_ms\": ", (unsigned)t->max_queue[r]);
        lr_json_number(f, loadtest_report_mean_wait_ms(t, r));
        if (l->R > 1) {
            struct stats_summary sum;
            stats_summarize(l->reps_wait + r, l->R, m->n_resources, STATS_LEVEL, &sum);
            fputs(", \"mean_wait_ms_ci\": [", f);
            lr_json_number(f, sum.lo);
            fputs(", ", f);
            lr_json_number(f, sum.hi);
            fputs("]", f);
        }
        fputs(", \"latency_ms\": ", f);
        if (t->res_latency)
            lr_json_latency(f, l, t->res_latency[r], 0);
        else
            fputs("null", f);
        fputs("}", f);
    }
}

/* Fault k's name: `--fault TEXT`, or `outage 'ID'` for the scenario's
 * outages, which follow the --fault options in the run's order. */
static void lr_fault_name(const struct loadtest_report *l, size_t k, char *buf, size_t size)
{
    if (k < l->n_fault_args) {
        snprintf(buf, size, "--fault %s", l->fault_args[k]);
        return;
    }
    size_t nth = k - l->n_fault_args;
    for (size_t i = 0; i < l->s->n_interventions; i++)
        if (l->s->interventions[i].kind == INTERVENTION_OUTAGE && nth-- == 0) {
            snprintf(buf, size, "outage '%s'", l->s->interventions[i].id);
            return;
        }
    snprintf(buf, size, "fault %zu", k + 1);
}

/* Each fault, with its failures, backlog and recovery. */
static void lr_json_faults(FILE *f, const struct loadtest_report *l)
{
    const struct loadtest_result *m = l->m;
    for (size_t k = 0; k < m->n_faults; k++) {
        const struct loadtest_fault_result *fr = &m->faults[k];
        char name[256];
        lr_fault_name(l, k, name, sizeof name);
        fputs(k ? ",\n      {\"name\": " : "\n      {\"name\": ", f);
        report_json_string(f, name);
        fputs(", \"resource\": ", f);
        report_json_string(f, fr->fault.resource < 0 ? "ledger"
                                                     : l->s->operators[fr->fault.resource].id);
        fprintf(f,
                ", \"from_s\": %.10g, \"until_s\": %.10g, \"capacity\": %.10g, \"failed\": %llu, "
                "\"backlog\": %llu, \"backlog_max\": %llu, \"recovery_s\": ",
                fr->fault.from_s, fr->fault.until_s, fr->fault.capacity,
                (unsigned long long)fr->failed, (unsigned long long)fr->backlog,
                (unsigned long long)fr->backlog_max);
        lr_json_number(f, fr->recovery_s >= 0 ? fr->recovery_s : NAN);
        fputs("}", f);
    }
}

/* The first judged interval whose SLO failed, with its failing terms and
 * what they observed (latency in ms, shares 0-1); null when none failed. */
static void lr_json_first_failure(FILE *f, const struct loadtest_report *l)
{
    const struct loadtest_result *m = l->m;
    const struct slo *slo = &l->o->slo;
    size_t i = 1;
    while (i < m->n_intervals && l->verdict[i] != 0)
        i++;
    fputs(",\n    \"first_failure\": ", f);
    if (i >= m->n_intervals) {
        fputs("null", f);
        return;
    }
    const struct loadtest_interval *iv = loadtest_interval(m, i);
    if (!iv) {
        fputs("null", f);
        return;
    }
    struct slo_sample smp = loadtest_sample(iv);
    unsigned mask = 0;
    slo_judge(slo, &smp, &mask);
    fprintf(f, "{\"start_s\": %.10g, \"end_s\": %.10g, \"offered_per_s\": ", iv->t0, iv->t1);
    lr_json_number(f, (double)iv->offered / ((iv->t1 - iv->t0) * l->R));
    fputs(", \"terms\": [", f);
    for (size_t k = 0, n = 0; k < slo->n; k++)
        if (mask & (1u << k)) {
            fputs(n++ ? ", " : "", f);
            report_json_string(f, slo->term[k].text);
        }
    fputs("], \"observed\": [", f);
    for (size_t k = 0, n = 0; k < slo->n; k++)
        if (mask & (1u << k)) {
            const struct slo_term *t = &slo->term[k];
            int share = t->metric == SLO_FAILED || t->metric == SLO_TIMEOUT;
            fputs(n++ ? ", " : "", f);
            lr_json_number(f, slo_value(t, &smp) * (share ? 1 : 1e3));
        }
    fputs("]}", f);
}

/* summary.json's run section: how this run was made, not what it found. */
static void lr_json_run(FILE *f, const struct loadtest_report *l)
{
    fputs(",\n  \"run\": {\"version\": ", f);
    report_json_string(f, l->version);
    fputs(", \"started_at\": ", f);
    report_json_string(f, l->started);
    fputs(", \"wall_s\": ", f);
    lr_json_number(f, l->wall_s);
    fputs(", \"payments_per_s\": ", f);
    lr_json_number(f, (double)l->m->total.attempts / fmax(l->wall_s, 1e-9));
    fputs(", \"events_per_s\": ", f);
    lr_json_number(f, (double)l->m->events / fmax(l->wall_s, 1e-9));
    fputs(", \"max_rss_bytes\": ", f);
    lr_json_number(f, l->max_rss_bytes > 0 ? l->max_rss_bytes : NAN);
    fputs(", \"host\": ", f);
    report_json_string(f, l->host);
    if (l->provenance) {
        fputs(", \"provenance\": ", f);
        provenance_json(f, l->provenance);
    }
    /* How the runs were farmed out: machine-dependent, so here, as run's. */
    fprintf(f, ", \"backend\": \"%s\", \"jobs\": %u", l->forked ? "fork" : "serial",
            l->jobs ? l->jobs : 1);
    if (l->cap)
        fprintf(f, ", \"capacity_soaks\": %u", l->cap->soaks);
}

static int lr_write_summary(FILE *f, const void *ctx)
{
    const struct loadtest_report *l = ctx;
    const struct loadtest_result *m = l->m;
    const struct loadtest_options *o = l->o;
    const struct loadtest_interval *t = &m->total;
    double D = t->t1 * l->R;
    fputs("{\n  \"schema_version\": 1,\n  \"scenario\": ", f);
    report_json_string(f, l->s->name);
    fprintf(f, ",\n  \"seed\": %llu,\n  \"rng\": ", (unsigned long long)l->s->seed);
    report_json_string(f, rng_name());
    fputs(",\n  \"warnings\": ", f);
    report_json_warnings(f, l->warnings);
    lr_json_run(f, l);
    fputs("},\n  \"loadtest\": {\n    \"profile\": ", f);
    report_json_string(f, o->profile.text);
    fprintf(f, ", \"duration_s\": %.10g, \"target_per_s\": ", t->t1);
    lr_json_number(f, l->target_per_s > 0 ? l->target_per_s : NAN);
    fprintf(f, ", \"warmup_s\": %.10g, \"interval_s\": %.10g, \"replications\": %u,\n", o->warmup_s,
            m->n_intervals > 1 ? m->iv[1].t1 - m->iv[1].t0 : 0, l->R);
    fprintf(f, "    \"retries\": {\"max\": %u, \"backoff_s\": %.10g, \"jitter\": %.10g},\n",
            o->retry.max, o->retry.backoff_s, o->retry.jitter);
    char slo[512];
    slo_format(&o->slo, slo, sizeof slo);
    size_t failed_steps = 0;
    for (size_t i = 1; i < m->n_intervals; i++)
        failed_steps += l->verdict[i] == 0;
    fputs("    \"slo\": ", f);
    if (o->slo.n)
        report_json_string(f, slo);
    else
        fputs("null", f);
    fprintf(f, ", \"slo_passed\": %s, \"steps\": %zu, \"steps_failed\": %zu",
            !o->slo.n      ? "null"
            : failed_steps ? "false"
                           : "true",
            m->n_intervals - 1, failed_steps);
    lr_json_first_failure(f, l);
    fputs(",\n", f);
    fprintf(f,
            "    \"payments\": %llu, \"completed\": %llu, \"failed\": %llu, \"timed_out\": %llu, "
            "\"dropped\": %llu, \"retries_sent\": %llu, \"value_fen\": %lld,\n",
            (unsigned long long)t->offered, (unsigned long long)t->ok,
            (unsigned long long)t->failed, (unsigned long long)t->timeouts,
            (unsigned long long)t->drops, (unsigned long long)(t->attempts - t->offered),
            (long long)t->value_fen);
    fputs("    \"offered_per_s\": ", f);
    lr_json_number(f, (double)t->offered / D);
    fputs(", \"achieved_per_s\": ", f);
    lr_json_number(f, (double)t->ok / D);
    fputs(",\n    \"latency_ms\": ", f);
    lr_json_latency(f, l, t->latency, 1);
    fputs(",\n    \"resources\": {", f);
    lr_json_resources(f, l, D);
    fputs("},\n    \"faults\": [", f);
    lr_json_faults(f, l);
    fputs("]", f);
    if (l->cap)
        lr_json_capacity(f, l);
    fputs("\n  }\n}\n", f);
    return ferror(f) ? -1 : 0;
}

/* Print each judged interval and its verdict (stdout, unless quiet). */
void loadtest_report_print(const struct loadtest_report *l)
{
    const struct loadtest_result *m = l->m;
    for (size_t i = 1; i < m->n_intervals; i++) {
        const struct loadtest_interval *iv = loadtest_interval(m, i);
        if (!iv)
            return;
        double len = (iv->t1 - iv->t0) * l->R, n = (double)(iv->ok + iv->failed);
        printf("  %7.0f-%-7.0fs offered %9.1f/s achieved %9.1f/s p50 %9.2f ms p99 %10.2f ms "
               "failed %6.2f%%%s\n",
               iv->t0, iv->t1, (double)iv->offered / len, (double)iv->done / len,
               loadtest_report_quantile(iv->latency, 0), loadtest_report_quantile(iv->latency, 2),
               n > 0 ? 100.0 * (double)iv->failed / n : 0.0,
               l->verdict[i] < 0 ? ""
               : l->verdict[i]   ? "  SLO pass"
                                 : "  SLO FAIL");
    }
}

int loadtest_report_write(const struct loadtest_report *l, FILE *err)
{
    if (report_atomic(l->out_dir, "loadtest.csv", lr_write_csv, l, err) < 0 ||
        report_atomic(l->out_dir, "loadtest_resources.csv", lr_write_resources, l, err) < 0 ||
        report_atomic(l->out_dir, "summary.json", lr_write_summary, l, err) < 0 ||
        (l->cap && report_atomic(l->out_dir, "loadtest_capacity.csv", lr_write_probes, l, err) < 0))
        return -1;
    if (l->charts && loadtest_plot_dir(l->out_dir, err) < 0)
        return -1;
    /* The report from the files just written, as `pilotsim report` would. */
    struct doc *d = doc_new("Load test"); /* the builder titles it from the files */
    int rc = !d || loadtest_report_build(l->out_dir, d, err) < 0 ||
                     doc_write_html(d, l->out_dir, err) < 0
                 ? -1
                 : 0;
    if (!d)
        fputs("pilotsim: loadtest: out of memory\n", err);
    doc_free(d);
    return rc;
}

int loadtest_report_build(const char *dir, struct doc *d, FILE *err)
{
    return loadtest_doc_build(dir, d, err);
}
