/* Unit tests of slo: parsing (every error message), judging, the latency
 * limit used for recovery times, and formatting back. */
#include <stdlib.h>
#include <string.h>

#include "loadtest/slo.h"
#include "test.h"

static int parses(const char *text)
{
    struct slo s;
    char why[256];
    return slo_spec_parse(text, &s, why, sizeof why) == 0;
}

/* The reason a bad SLO gives contains `want`. */
static int fails_with(const char *text, const char *want)
{
    struct slo s;
    char why[256] = "";
    return slo_spec_parse(text, &s, why, sizeof why) < 0 && strstr(why, want) != NULL;
}

int main(void)
{
    test_plan(35);
    struct slo s;
    char why[256], buf[256];
    check(slo_spec_parse("p99<500ms,failed<0.1%", &s, why, sizeof why) == 0,
          "the issue's example parses");
    check(s.n == 2, "two terms");
    check(s.term[0].metric == SLO_QUANTILE && s.term[0].q == 0.99, "p99 is the 0.99 quantile");
    check_near(s.term[0].limit, 0.5, 1e-15, "500ms is 0.5 s");
    check(s.term[1].metric == SLO_FAILED, "failed is a share");
    check_near(s.term[1].limit, 0.001, 1e-15, "0.1%% is 0.001");
    check(parses("p50<1s, p9999<=2s , max<1h,mean<100ms,timeout<5%,p95<1s,p90<1s,p999<1s"),
          "every metric, spaces and <=");
    check(fails_with("", "empty SLO term"), "empty SLO");
    check(fails_with("p99<1s,", "empty SLO term"), "trailing comma");
    check(fails_with("p99>1s", "has no '<'"), "no <");
    check(fails_with("p98<1s", "unknown metric 'p98'"), "unknown metric");
    check(fails_with("p99<500", "expected a duration with a unit"), "latency without a unit");
    check(fails_with("failed<2", "expected a share"), "share above 1");
    check(fails_with("p99<1s,p99<1s,p99<1s,p99<1s,p99<1s,p99<1s,p99<1s,p99<1s,p99<1s",
                     "too many SLO terms"),
          "too many terms");
    check(fails_with("p99<1000000000000000000000000000000000000000000000000000000000000000ms",
                     "too long"),
          "term too long");
    /* Limits no latency or share can be under: refused, not failed forever. */
    check(fails_with("p99<-5ms", "'-5ms' is out of range (expected a duration > 0"),
          "a negative latency limit (the issue's reproducer)");
    check(fails_with("p99<0ms", "'0ms' is out of range"), "a zero latency limit");
    check(fails_with("p50<=0s", "'0s' is out of range"), "a zero latency limit with <=");
    check(fails_with("mean<-1s", "out of range"), "a negative mean");
    check(fails_with("max<-1us", "out of range"), "a negative max");
    check(fails_with("p99<inf", "not finite"), "an infinite limit");
    check(fails_with("failed<0", "can never hold"), "failed < 0 never holds");
    check(fails_with("timeout<0%", "can never hold"), "timeout < 0%% never holds");
    check(fails_with("failed<-1%", "expected a share"), "a negative share");
    check(parses("failed<=0") && parses("p99<1us") && parses("timeout<=0%"),
          "the smallest limits that can hold parse");

    /* Judging: 1000 payments at 10 ms, 10 at 2 s. */
    struct hist *h = malloc(sizeof *h);
    hist_init(h);
    for (int i = 0; i < 1000; i++)
        hist_record(h, 0.010);
    for (int i = 0; i < 10; i++)
        hist_record(h, 2.0);
    struct slo_sample smp = {h, 1010, 10, 12};
    unsigned mask;
    slo_spec_parse("p99<500ms", &s, why, sizeof why);
    check(slo_judge(&s, &smp, &mask) == 1 && mask == 0, "p99 is 10 ms: holds");
    slo_spec_parse("p999<500ms,failed<0.1%,timeout<5%", &s, why, sizeof why);
    check(slo_judge(&s, &smp, &mask) == 0 && mask == 3, "p999 and failed fail, timeout holds");
    check_near(slo_value(&s.term[1], &smp), 10.0 / 1010, 1e-12, "failed share");
    slo_spec_parse("max<=2s", &s, why, sizeof why);
    check(slo_judge(&s, &smp, NULL) == 1, "max <= 2 s holds within the histogram's error");
    slo_spec_parse("mean<30ms", &s, why, sizeof why);
    check(slo_judge(&s, &smp, NULL) == 1, "mean about 29.7 ms holds");
    struct slo_sample empty = {h, 0, 0, 0};
    slo_spec_parse("failed<0.1%", &s, why, sizeof why);
    check(slo_judge(&s, &empty, NULL) == 1, "no payments: the share SLO holds");

    double q = 0;
    slo_spec_parse("p50<1s,failed<1%,p99<250ms", &s, why, sizeof why);
    check_near(slo_latency_limit(&s, &q), 0.25, 1e-15, "recovery uses p99 when present");
    check(q == 0.99, "and its quantile");
    slo_spec_parse("failed<1%", &s, why, sizeof why);
    check(slo_latency_limit(&s, &q) == 0, "no latency term: no limit");
    slo_spec_parse(" p99<1s ,failed<1%", &s, why, sizeof why);
    slo_format(&s, buf, sizeof buf);
    check(strcmp(buf, "p99<1s,failed<1%") == 0, "formatted back without spaces: %s", buf);
    free(h);
    return test_done();
}
