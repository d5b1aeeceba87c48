/* Unit tests of the load driver: profile, fault and retry parsing (every
 * error), the open-loop arrival process (counts within Poisson bounds,
 * unchanged by overload), determinism, retries and failures under
 * overload, exact merging, faults with backlog and recovery, and the
 * nominal capacity, closed intervals read back from their spool and
 * histograms written and read. Scenarios: tests/validation/capacity.yaml (one M/D/8
 * operator, 800 payments/s), scenarios/double11.yaml and design-peak.yaml. */
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "loadtest/loadtest.h"
#include "test.h"

static int bad_profile(const char *text, const char *want)
{
    struct loadtest_profile p;
    char why[256] = "";
    return loadtest_spec_profile(text, &p, why, sizeof why) < 0 && strstr(why, want);
}

static int run(const struct scenario *s, const char *profile, double warmup, const char *slo,
               struct loadtest_result *r)
{
    struct loadtest_options o;
    char why[256];
    loadtest_options_default(&o);
    o.warmup_s = warmup;
    if (loadtest_spec_profile(profile, &o.profile, why, sizeof why) < 0 ||
        (slo && slo_spec_parse(slo, &o.slo, why, sizeof why) < 0))
        return -1;
    return loadtest_run(s, &o, r, stderr);
}

/* Issue 17: every figure of an interval is its own. Utilization is busy
 * server time within the interval over servers x its length (0-1); the
 * drain after the profile (iv[n_intervals]) holds the work done after it,
 * so the last interval's completions are bounded by what its servers can
 * do; every completion and every wait is counted in exactly one interval,
 * and the total leaves out the warm-up and the drain. */
static void drain_and_shares(const struct loadtest_result *r, unsigned servers, double service)
{
    size_t n = r->n_intervals, r0 = 0;
    int shares = 1;
    for (size_t i = 1; i < n; i++) {
        double len = r->iv[i].t1 - r->iv[i].t0;
        for (size_t k = 0; k < r->n_resources; k++)
            shares &= r->iv[i].busy_s[k] <= (double)r->servers[k] * len * (1 + 1e-12);
    }
    check(shares, "every interval's busy time fits its servers x its length");
    const struct loadtest_interval *last = &r->iv[n - 1], *drain = &r->iv[n];
    double most = servers * (last->t1 - last->t0) / service + servers;
    check((double)last->done <= most, "the last interval completes %llu, at most %.0f",
          (unsigned long long)last->done, most);
    check(drain->busy_s[r0] > 0 && drain->done > 0,
          "the drain after the profile holds the rest "
          "(%llu completions)",
          (unsigned long long)drain->done);
    check(drain->t0 == r->total.t1 && isinf(drain->t1), "the drain runs from the profile's end");
    uint64_t done = 0, ok = 0, jobs = 0, judged_jobs = 0;
    double wait = 0, judged_wait = 0;
    for (size_t i = 0; i <= n; i++) {
        done += r->iv[i].done;
        ok += i < n ? r->iv[i].ok : 0;
        jobs += r->iv[i].jobs[r0];
        wait += r->iv[i].wait_s[r0];
        if (i > 0 && i < n) {
            judged_jobs += r->iv[i].jobs[r0];
            judged_wait += r->iv[i].wait_s[r0];
        }
    }
    check(done == ok, "every completion counted once by its time (%llu)", (unsigned long long)done);
    check(jobs == r->res_jobs_all[r0], "every hop counted once by its arrival");
    check_near(wait, r->res_wait_s[r0], 1e-9 * wait, "every wait counted once");
    check(r->total.jobs[r0] == judged_jobs && r->total.wait_s[r0] == judged_wait,
          "the total's waits leave out the warm-up and the drain");
    check(r->iv[0].wait_s[r0] > 0, "(the warm-up had waits to leave out)");
}

/* Options with a profile and interval; loadtest_options_check's verdict. */
static int checks(const char *profile, double interval, double warmup, const char *want)
{
    struct loadtest_options o;
    char why[256] = "";
    loadtest_options_default(&o);
    o.interval_s = interval;
    o.warmup_s = warmup;
    if (loadtest_spec_profile(profile, &o.profile, why, sizeof why) < 0)
        return 0;
    int rc = loadtest_options_check(&o, why, sizeof why);
    return want ? rc < 0 && strstr(why, want) : rc == 0;
}

/* hist_write and hist_read: the buckets in use and the totals come back
 * exactly; a stream cut short is an error and leaves the histogram empty. */
static void hist_round_trip(void)
{
    static struct hist h, back;
    hist_init(&h);
    for (int k = 1; k <= 1000; k++)
        hist_record(&h, 1e-3 * k * k);
    FILE *f = tmpfile();
    check(f && hist_write(&h, f) == 0, "a histogram written");
    if (!f)
        return;
    long size = ftell(f);
    rewind(f);
    check(hist_read(&back, f) == 0 && back.count == h.count && back.sum_s == h.sum_s &&
              back.max_ns == h.max_ns && memcmp(back.bucket, h.bucket, sizeof h.bucket) == 0,
          "read back the same (%ld bytes for %zu)", size, sizeof h);
    rewind(f);
    check(ftruncate(fileno(f), size / 2) == 0 && hist_read(&back, f) < 0 && back.count == 0,
          "a stream cut short: -1, empty");
    fclose(f);
}

int main(void)
{
    test_plan(96);
    hist_round_trip();
    struct loadtest_profile p;
    char why[256];
    check(loadtest_spec_profile("ramp:100:300:10s", &p, why, sizeof why) == 0, "ramp parses");
    check(p.n == 1 && loadtest_spec_duration(&p) == 10, "one segment of 10 s");
    check_near(loadtest_spec_rate(&p, 5), 200, 1e-9, "the ramp is linear");
    check(loadtest_spec_profile("step:100:400:4:1m", &p, why, sizeof why) == 0, "step parses");
    check(p.n == 4 && loadtest_spec_duration(&p) == 240, "four steps of 60 s");
    check_near(loadtest_spec_rate(&p, 130), 300, 1e-9, "third step at 300/s");
    check(loadtest_spec_profile("spike:100:1000:30s:10s", &p, why, sizeof why) == 0, "spike");
    check(loadtest_spec_duration(&p) == 70, "a spike lasts as long after as before by default");
    double lo, hi;
    loadtest_spec_range(&p, &lo, &hi);
    check(lo == 100 && hi == 1000, "range of the spike");
    check(loadtest_spec_profile("spike:1:2:3:4:100", &p, why, sizeof why) == 0 &&
              loadtest_spec_duration(&p) == 100,
          "spike with a total duration");
    check(loadtest_spec_profile("soak:50:1h", &p, why, sizeof why) == 0 &&
              loadtest_spec_duration(&p) == 3600,
          "soak");
    check(bad_profile("wave:1:2", "unknown shape 'wave'"), "unknown shape");
    check(bad_profile("ramp:1:2", "wrong number of fields"), "too few fields");
    check(bad_profile("ramp:-1:2:10s", "bad value"), "negative rate");
    check(bad_profile("ramp:1:2:0s", "bad value"), "zero duration");
    check(bad_profile("step:1:2:0:10s", "bad value"), "zero steps");
    check(bad_profile("spike:1:2:30s:10s:20s", "DURATION >= AT + LENGTH"), "spike too short");
    check(bad_profile("soak:abc:10s", "bad value"), "rate not a number");
    check(bad_profile("soak:1:100000000000000000000000000000000000000000000000000000000000000000"
                      "00000000000000000000000000000000000",
                      "too long"),
          "profile too long");

    struct loadtest_retry rt;
    check(loadtest_spec_retry("3:500ms:0.5", &rt, why, sizeof why) == 0 && rt.max == 3 &&
              rt.backoff_s == 0.5 && rt.jitter == 0.5,
          "retries parse");
    check(loadtest_spec_retry("3:500ms", &rt, why, sizeof why) < 0 && strstr(why, "MAX:BACKOFF"),
          "retries: missing jitter");
    check(loadtest_spec_retry("11:1s:1", &rt, why, sizeof why) < 0, "retries: too many");
    check(loadtest_spec_retry("1:1s:2", &rt, why, sizeof why) < 0, "retries: jitter above 1");
    check(loadtest_spec_retry("2:100y:0", &rt, why, sizeof why) == 0, "retries: back-off 100y");
    check(loadtest_spec_retry("10:1e308s:0", &rt, why, sizeof why) < 0 && strstr(why, "100y"),
          "retries: back-off past 100y, like the scenario's retries.backoff");

    struct scenario *cap = scenario_load("tests/validation/capacity.yaml", NULL, 0, stderr);
    struct scenario *d11 = scenario_load("scenarios/double11.yaml", NULL, 0, stderr);
    check(cap && d11, "the scenarios load");
    if (!cap || !d11)
        return test_done();
    struct loadtest_fault f;
    check(loadtest_spec_fault("ledger:60s:30s:0.5", d11, &f, why, sizeof why) == 0 &&
              f.resource == -1 && f.from_s == 60 && f.until_s == 90 && f.capacity == 0.5,
          "ledger slowdown parses");
    check(loadtest_spec_fault("ccb:10:5", d11, &f, why, sizeof why) == 0 && f.resource == 1 &&
              f.capacity == 0,
          "operator outage parses (plain seconds, down)");
    check(loadtest_spec_fault("cbc:10:5", d11, &f, why, sizeof why) < 0 &&
              strstr(why, "unknown resource 'cbc'"),
          "unknown resource");
    check(loadtest_spec_fault("ccb:10", d11, &f, why, sizeof why) < 0 &&
              strstr(why, "RESOURCE:FROM:LENGTH"),
          "fault without length");
    check(loadtest_spec_fault("ccb:10:5:1.5", d11, &f, why, sizeof why) < 0, "capacity above 1");
    check(loadtest_spec_fault("ccb:0s:5s", d11, &f, why, sizeof why) == 0 && f.from_s == 0 &&
              f.until_s == 5,
          "a fault from 0s parses, like one from 0");
    check(loadtest_spec_fault("ccb:100y:100y", d11, &f, why, sizeof why) == 0,
          "a fault at the 100y bounds parses");
    check(loadtest_spec_fault("ccb:1e308s:1e308s", d11, &f, why, sizeof why) < 0 &&
              strstr(why, "100y"),
          "a fault past 100y is refused (it would end at inf)");
    check(loadtest_spec_fault("ccb:1s:101y", d11, &f, why, sizeof why) < 0, "length past 100y");
    check(loadtest_spec_fault("ccb:nan:1s", d11, &f, why, sizeof why) < 0, "FROM nan");

    check_near(loadtest_nominal_capacity(cap), 800, 1e-9, "capacity.yaml: c / s = 800/s");
    double c11 = loadtest_nominal_capacity(d11);
    check(c11 > 13000 && c11 < 14500, "double11: ICBC saturates near 13,700/s (%.0f)", c11);
    /* design-peak.yaml is double11 scaled out 25 times: it carries the stated
     * 300,000/s with ICBC 87.5% busy (25 x 13,714/s). */
    struct scenario *peak = scenario_load("scenarios/design-peak.yaml", NULL, 0, stderr);
    check(peak && fabs(loadtest_nominal_capacity(peak) - 25 * c11) < 1e-6 * c11 &&
              fabs(300000 / loadtest_nominal_capacity(peak) - 0.875) < 1e-9,
          "design-peak: 25 x double11, ICBC 87.5%% busy at 300,000/s");
    scenario_free(peak);

    /* Open loop: 500/s for 100 s offers 50,000 payments (Poisson: sd 224). */
    struct loadtest_result a, b, over;
    check(run(cap, "soak:500:100s", 0, "p99<1s", &a) == 0, "a soak runs");
    check(fabs((double)a.total.offered - 50000) < 5 * sqrt(50000), "offered %llu ~ 50,000",
          (unsigned long long)a.total.offered);
    check(a.total.ok == a.total.offered && a.total.failed == 0, "under capacity all complete");
    check(a.n_intervals == 11, "ten intervals of 10 s and the warm-up");
    /* The judged intervals' histograms went to the spool as they closed
     * (iv[i].latency NULL): read back, each holds its own payments, and
     * together the total's. */
    uint64_t spooled = 0, back = 0, held = 1;
    for (size_t i = 1; i < a.n_intervals; i++) {
        const struct loadtest_interval *iv = loadtest_interval(&a, i);
        spooled += a.iv[i].latency == NULL;
        held &= iv && iv->latency && iv->latency->count == iv->ok + iv->failed;
        back += iv && iv->latency ? iv->latency->count : 0;
    }
    check(spooled == 10 && held && back == a.total.latency->count,
          "closed intervals read back from the spool: %llu of 10, %llu payments",
          (unsigned long long)spooled, (unsigned long long)back);
    check(loadtest_interval(&a, a.n_intervals + 1) == NULL, "no interval past the drain");
    double u = a.total.busy_s[0] / (8 * 100.0);
    check(fabs(u - 500 / 800.0) < 0.02, "utilization %.3f ~ 0.625", u);
    check(run(cap, "soak:500:100s", 0, "p99<1s", &b) == 0, "run again");
    check(a.total.latency->count == b.total.latency->count &&
              memcmp(a.total.latency->bucket, b.total.latency->bucket,
                     sizeof a.total.latency->bucket) == 0,
          "same seed: the same histogram");
    check(loadtest_result_merge(&a, &b) == 0 && a.total.offered == 2 * b.total.offered &&
              a.total.latency->count == 2 * b.total.latency->count,
          "merging adds exactly");
    loadtest_result_destroy(&a);
    loadtest_result_destroy(&b);

    /* Overload at 2x capacity: arrivals never wait (same offered count as
     * the same seed at a rate that copes, scaled), queues grow, clients time
     * out and retry, payments fail. */
    check(run(cap, "soak:1600:100s", 10, NULL, &over) == 0, "overload runs");
    check(fabs((double)over.total.offered - 160000) < 5 * sqrt(160000), "offered %llu ~ 160,000",
          (unsigned long long)over.total.offered);
    check(over.total.attempts > over.total.offered, "retries add load");
    check(over.total.drops + over.total.timeouts > 0, "attempts time out or are dropped");
    check(over.total.failed > 0, "payments fail");
    check(over.total.max_queue[0] > 1000, "the queue grows (%u)", over.total.max_queue[0]);
    check(over.total.ok + over.total.failed == over.total.offered, "every payment accounted for");
    check(hist_max(over.total.latency) > 30, "latency from the intended arrival includes retries");
    drain_and_shares(&over, 8, 0.010);
    loadtest_result_destroy(&over);

    /* A fault: the only operator down for 20 s at 60% load. */
    struct loadtest_options o;
    loadtest_options_default(&o);
    o.warmup_s = 5;
    loadtest_spec_profile("soak:480:120s", &o.profile, why, sizeof why);
    slo_spec_parse("p99<200ms", &o.slo, why, sizeof why);
    struct loadtest_fault fault;
    loadtest_spec_fault("bank:30s:20s", cap, &fault, why, sizeof why);
    o.faults = &fault;
    o.n_faults = 1;
    check(loadtest_run(cap, &o, &a, stderr) == 0, "a run with an outage");
    check(a.n_faults == 1, "one fault reported");
    check(a.faults[0].backlog_max > 1000, "backlog builds (%llu)",
          (unsigned long long)a.faults[0].backlog_max);
    check(a.faults[0].recovery_s > 0 && a.faults[0].recovery_s < 60, "recovers in %.0f s",
          a.faults[0].recovery_s);
    loadtest_result_destroy(&a);

    /* Sizes: at most LOADTEST_MAX_INTERVALS intervals, finite durations. */
    check(checks("soak:1:1e300s", 10, 30, "makes 1e+299 intervals"), "soak:1:1e300s is refused");
    check(checks("soak:1:100000s", 10, 30, NULL), "10,000 intervals are accepted");
    check(checks("soak:1:100001s", 10, 30, "expected at most 10000"), "10,001 are not");
    check(checks("soak:100:10s", 1e-4, 30, "take --interval 1s or longer"),
          "a tiny interval is refused with the way out");
    check(checks("soak:100:10s", 1e300, 30, NULL), "an interval longer than the profile is fine");
    check(checks("soak:100:10s", 10, INFINITY, "expected finite durations"), "an infinite warm-up");
    check(checks("step:1:2:256:1e300s", 10, 0, NULL), "a step profile reports per step");
    o.interval_s = 1;
    loadtest_spec_profile("soak:1:100000s", &o.profile, why, sizeof why);
    check(loadtest_run(cap, &o, &a, NULL) < 0 && a.iv == NULL, "loadtest_run refuses it too");
    loadtest_result_destroy(&a);

    /* An interval far longer than the profile: one judged interval, the
     * whole profile (it used to write past the interval array). */
    loadtest_options_default(&o);
    o.warmup_s = 1;
    o.interval_s = 1e12;
    loadtest_spec_profile("soak:100:10s", &o.profile, why, sizeof why);
    check(loadtest_run(cap, &o, &a, stderr) == 0, "an interval of 1e12 s on a 10 s profile");
    check(a.n_intervals == 2 && a.iv[1].t0 == 0 && a.iv[1].t1 == 10, "one judged interval, 0-10 s");
    check(a.iv[1].offered == a.total.offered && a.total.offered > 900, "it holds every payment");
    loadtest_result_destroy(&a);

    /* Faults outside the profile are kept and reported, once. */
    struct loadtest_fault two[2];
    loadtest_spec_fault("bank:1h:1s", cap, &two[0], why, sizeof why);
    loadtest_spec_fault("bank:5s:10s", cap, &two[1], why, sizeof why);
    o.interval_s = 10;
    o.faults = two;
    o.n_faults = 2;
    check(loadtest_run(cap, &o, &a, stderr) == 0, "faults past the profile run");
    check(a.n_faults == 2, "both kept");
    check(a.warnings.n == 2, "two warnings (%zu)", a.warnings.n);
    check(a.warnings.n == 2 && strstr(a.warnings.lines[0], "--fault on bank from 3600 s to 3601 s "
                                                           "starts after the profile ends at 10 s"),
          "one starts after the end: %s", a.warnings.n ? a.warnings.lines[0] : "");
    check(a.warnings.n == 2 &&
              strstr(a.warnings.lines[1], "lasts past the end of the profile at 10 s: "
                                          "only its first 5 s are judged"),
          "one outlasts it: %s", a.warnings.n > 1 ? a.warnings.lines[1] : "");
    check(a.faults[0].recovery_s < 0 && a.faults[1].recovery_s < 0, "no recovery measured");
    check(run(cap, "soak:100:10s", 1, NULL, &b) == 0 && b.warnings.n == 0 && b.n_faults == 0,
          "no faults, no warnings");
    check(loadtest_result_merge(&a, &a) == 0 && a.warnings.n == 2, "merging repeats no warning");
    check(loadtest_result_merge(&a, &b) < 0, "results with other faults do not merge");
    loadtest_result_destroy(&a);
    loadtest_result_destroy(&b);

    /* --fault adds to the scenario's outages, however many. */
    struct loadtest_fault many[40];
    for (size_t k = 0; k < 40; k++)
        loadtest_spec_fault("ledger:1s:100ms:0.9", d11, &many[k], why, sizeof why);
    loadtest_spec_profile("soak:500:5s", &o.profile, why, sizeof why);
    o.faults = many;
    o.n_faults = 40;
    check(loadtest_run(d11, &o, &a, stderr) == 0, "40 faults on double11");
    check(a.n_faults == 41 && a.faults[40].fault.resource == 0 && a.faults[40].fault.from_s == 240,
          "and its ICBC outage, last: %zu faults", a.n_faults);
    loadtest_result_destroy(&a);
    o.use_outages = 0;
    check(loadtest_run(d11, &o, &a, stderr) == 0 && a.n_faults == 40, "without outages: 40");
    loadtest_result_destroy(&a);
    scenario_free(cap);
    scenario_free(d11);
    return test_done();
}
