/* Unit tests of headline, a command's closing lines: the numbers in words
 * (counts, yuan, percentages), and headline_run on summary.json files
 * written here: a single run, a replicated one ({mean, ci_lo, ci_hi}),
 * the one shape (a number with `_ci_lo` and `_ci_hi` beside it), money
 * that does not add up, a run without payments, and a directory without
 * a summary. The commands' real lines are checked in tests/e2e/terminal.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "experiment/headline.h"
#include "test.h"

static char dir[64];

/* Write dir/name. */
static void put(const char *name, const char *text)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* What headline_run says of dir, in a static buffer; *rc its status. */
static const char *said(int (*say)(const char *, double, FILE *), int *rc)
{
    static char buf[4096];
    FILE *f = fmemopen(buf, sizeof buf, "w");
    if (!f)
        return "";
    *rc = say(dir, 65, f);
    fclose(f);
    return buf;
}

#define CITY(w, pop, share, pay, fail, p99)                                               \
    "{\"name\": \"X\", \"population\": " pop ", \"wallets\": " w ", \"adoption\": " share \
    ", \"payments\": " pay ", \"payments_failed\": " fail ", \"latency_ms\": {\"p99\": " p99 "}}"

int main(void)
{
    test_plan(29);
    char b[64];
    int rc = 0;

    headline_count(b, sizeof b, 940);
    check(!strcmp(b, "940"), "a small count as is (%s)", b);
    headline_count(b, sizeof b, 52400);
    check(!strcmp(b, "52,400"), "thousands with a separator (%s)", b);
    headline_count(b, sizeof b, 8712345);
    check(!strcmp(b, "8.71 million"), "millions in words (%s)", b);
    headline_count(b, sizeof b, 1.2e9);
    check(!strcmp(b, "1.2 billion"), "billions in words (%s)", b);
    headline_yuan(b, sizeof b, 17252305546000.0);
    check(!strcmp(b, "173 billion yuan"), "fen as yuan (%s)", b);
    headline_yuan(b, sizeof b, 1234);
    check(!strcmp(b, "12.34 yuan"), "a few yuan with fen (%s)", b);
    headline_percent(b, sizeof b, 0.069);
    check(!strcmp(b, "6.90%"), "a share as a percentage (%s)", b);
    headline_percent(b, sizeof b, 0.00042);
    check(!strcmp(b, "0.042%"), "a small share keeps two digits (%s)", b);
    headline_percent(b, sizeof b, 0.5);
    check(!strcmp(b, "50.0%"), "a large share (%s)", b);

    strcpy(dir, "/tmp/pilotsim-headline-XXXXXX");
    check(mkdtemp(dir) != NULL, "a directory for the files");

    /* A single run, two cities, no `total` (the sum and the worst city). */
    put("summary.json",
        "{\"scenario\": \"Two cities\", \"start\": \"2020-04-01T00:00:00+08:00\", "
        "\"horizon\": 864000, \"sample\": 20, \"latency_exact\": false, "
        "\"cities\": {\"a\": " CITY(
            "1000000", "10000000", "0.08", "5000000", "0",
            "120.4") ", \"b\": " CITY("500000", "5000000", "0.14", "2000000", "50",
                                      "131.6") "}, \"money\": {\"circulation_fen\": 12345600, "
                                               "\"wallets_fen\": "
                                               "12345600}}\n");
    const char *s = said(headline_run, &rc);
    check(rc == 0 && strstr(s, "pilotsim: Two cities, 2020-04-01 for 10 days, one person in 20 "
                               "simulated\n"),
          "the title: name, period, sampling");
    check(strstr(s, "  wallets           1.5 million\n") != NULL, "wallets summed over cities");
    check(strstr(s, "  adoption          10.0% of 15 million people\n") != NULL,
          "adoption: the cities' shares weighted by their people, not wallets / people");
    check(strstr(s, "  payments          7 million, 50 failed (0.00071%)\n") != NULL,
          "payments and the failed share");
    check(strstr(s, "  p99 latency       132 ms (the worst city), approximate under sampling\n") !=
              NULL,
          "p99: the worst city, approximate");
    check(strstr(s, "  money conserved   yes, to the fen (123,456 yuan in wallets)\n") != NULL,
          "money conserved");
    check(strstr(s, "  wall time         1 min 05 s\n") != NULL, "the wall time");
    check(strstr(s, "  outputs           ") && strstr(s, "/summary.json\n"),
          "no report.html: the files that are there");

    /* Replicated, the one shape: numbers with intervals beside them. */
    put("summary.json", "{\"scenario\": \"R\", \"replications\": 3, \"total\": {\"population\": "
                        "1000, \"wallets\": 400, \"wallets_ci_lo\": 380, \"wallets_ci_hi\": 420, "
                        "\"adoption\": 0.4, \"adoption_ci_lo\": 0.38, \"adoption_ci_hi\": 0.42, "
                        "\"payments\": 0, \"payments_failed\": 0, \"latency_ms\": {\"p99\": 0}}, "
                        "\"money\": {\"circulation_fen\": 5, \"wallets_fen\": 4}}\n");
    put("report.html", "<html></html>\n");
    s = said(headline_run, &rc);
    check(strstr(s, "mean of 3 replications") != NULL, "the replications in the title");
    check(strstr(s, "  wallets           400 (95% interval 380 to 420)\n") != NULL,
          "an interval beside the number");
    check(strstr(s, "  adoption          40.0% of 1000 people (95% interval 38.0% to 42.0%)\n") !=
              NULL,
          "adoption's interval");
    check(strstr(s, "  p99 latency       none (no payments)\n") != NULL, "no payments, no p99");
    check(strstr(s, "  money conserved   NO: wallets hold 4 fen, issued less redeemed 5 fen\n") !=
              NULL,
          "money that does not add up says NO");
    check(strstr(s, "  report            ") && strstr(s, "/report.html (open it in a browser)\n"),
          "report.html named when it is there");

    /* Replicated, the objects' shape. */
    put("summary.json", "{\"scenario\": \"R\", \"total\": {\"population\": 100, \"wallets\": "
                        "{\"mean\": 40, \"sd\": 1, \"ci_lo\": 38, \"ci_hi\": 42}}}\n");
    s = said(headline_run, &rc);
    check(strstr(s, "  wallets           40 (95% interval 38 to 42)\n") != NULL,
          "{mean, ci_lo, ci_hi} read too");

    unlink(strcat(strcpy(b, dir), "/summary.json"));
    s = said(headline_run, &rc);
    check(rc < 0 && strstr(s, "pilotsim: done -> ") != NULL, "no summary.json: a short line");

    /* compare: the plans from compare.csv; the memo's bottom line, else
     * each plan's verdicts against the baseline. */
    put("compare.csv", "metric,plan,better,mean,ci_lo,ci_hi,diff,diff_ci_lo,diff_ci_hi,verdict\n"
                       "total.adoption,phased,higher,0.05,0.04,0.06,,,,baseline\n"
                       "total.adoption,bigbang,higher,0.06,0.05,0.07,0.0128,0.0125,0.0131,better\n"
                       "total.payments,phased,higher,2e6,1e6,3e6,,,,baseline\n"
                       "total.payments,bigbang,higher,1e6,1e6,1e6,-1.2e6,-1.3e6,-1.1e6,worse\n");
    s = said(headline_compare, &rc);
    check(strstr(s, "pilotsim compare: 2 plans against the baseline phased\n") &&
              strstr(s, "  vs the baseline   bigbang: adoption better (+1.28 pp), payments worse "
                        "(-1.2 million)\n"),
          "compare without a memo: each plan against the baseline");
    put("compare.md", "# Comparing\n\n## Bottom line\n\n> **B** wins. \n\n- **Big bang** leads: "
                      "+1.28 pp \\[+1.25, "
                      "+1.31\\] over **Phased**.\n- **The trade-off:** fewer payments.\n\n"
                      "## Plans\n\n- not this\n");
    s = said(headline_compare, &rc);
    check(strstr(s, "  bottom line       B wins.\n"
                    "                    Big bang leads: +1.28 pp [+1.25, +1.31] over Phased.\n"
                    "                    The trade-off: fewer payments.\n") &&
              !strstr(s, "not this") && !strstr(s, "vs the baseline"),
          "compare: the memo's bottom line, as plain text");
    unlink(strcat(strcpy(b, dir), "/compare.csv"));
    unlink(strcat(strcpy(b, dir), "/compare.md"));
    unlink(strcat(strcpy(b, dir), "/report.html"));
    check(rmdir(dir) == 0, "the directory removed");
    return test_done();
}
