/* Unit tests of the loadtest command's options (loadtest_command.h): each
 * option's value and its usage error, the scenario's `loadtest:` section
 * filling what the command line did not give (and never what it did), the
 * default profile, --fault resolved on the scenario's operators, and the
 * capacity bracket. Scenario: tests/validation/capacity.yaml (one
 * operator, `bank`), with its section given by --set. */
#include <string.h>

#include "loadtest/loadtest_command.h"
#include "test.h"

#define SCENARIO "tests/validation/capacity.yaml"

/* A command over `sets` (its loadtest: section) after options opt[i] =
 * arg[i]; 0, or -1 with the first error in *e. */
static int command(struct loadtest_command *c, const char **fault_args,
                   struct loadtest_fault *faults, const char *const *sets, size_t n_sets,
                   const int *opt, const char *const *arg, size_t n,
                   struct loadtest_command_error *e)
{
    loadtest_command_init(c, "test", fault_args, faults);
    for (size_t i = 0; i < n; i++)
        if (loadtest_command_option(c, opt[i], arg[i], e) < 0)
            return -1;
    struct scenario *s = scenario_load(SCENARIO, sets, n_sets, stderr);
    if (!s)
        return -1;
    int rc = loadtest_command_resolve(c, s, e);
    scenario_free(s);
    return rc;
}

/* The usage error of option opt with value arg holds `want`. */
static int bad_option(int opt, const char *arg, const char *want)
{
    struct loadtest_command c;
    struct loadtest_command_error e;
    char msg[512];
    loadtest_command_init(&c, "test", NULL, NULL);
    if (loadtest_command_option(&c, opt, arg, &e) == 0)
        return 0;
    snprintf(msg, sizeof msg, e.fmt, e.arg);
    return strstr(msg, want) != NULL;
}

int main(void)
{
    struct loadtest_command c;
    struct loadtest_command_error e;
    const char *fault_args[4];
    struct loadtest_fault faults[4];
    test_plan(22);

    /* Each option's value, and what it refuses. */
    check(bad_option(LOADTEST_COMMAND_PROFILE, "walk:1:2", "unknown shape 'walk'"),
          "--profile: the parser's reason");
    check(bad_option(LOADTEST_COMMAND_INTERVAL, "0", "--interval wants a duration > 0"),
          "--interval 0 is refused");
    check(bad_option(LOADTEST_COMMAND_WARMUP, "-1s", "not '-1s'"), "--warmup -1s is refused");
    check(bad_option(LOADTEST_COMMAND_SLO, "p98<1s", "unknown metric 'p98'"),
          "--slo: the parser's reason");
    check(bad_option(LOADTEST_COMMAND_RETRIES, "11:1s:1", "expected MAX:BACKOFF:JITTER"),
          "--retries 11:1s:1 is refused");
    check(bad_option(LOADTEST_COMMAND_CAPACITY_RANGE, "5:1", "0 < LO < HI"),
          "--capacity-range 5:1 is refused");
    check(bad_option(LOADTEST_COMMAND_CAPACITY_RANGE, "1:inf", "not '1:inf'"),
          "--capacity-range 1:inf is refused");
    check(bad_option(LOADTEST_COMMAND_CAPACITY_DURATION, "500ms", "at least 1s"),
          "--capacity-duration 500ms is refused");
    loadtest_command_init(&c, "test", NULL, NULL);
    check(loadtest_command_option(&c, LOADTEST_COMMAND_CAPACITY_RANGE, "400:1200", &e) == 0 &&
              c.cap.lo == 400 && c.cap.hi == 1200,
          "--capacity-range 400:1200");
    check(loadtest_command_option(&c, LOADTEST_COMMAND_WARMUP, "0", &e) == 0 && c.o.warmup_s == 0,
          "--warmup 0: no warm-up");

    /* Neither the command line nor the scenario: the defaults. */
    check(command(&c, fault_args, faults, NULL, 0, NULL, NULL, 0, &e) == 0, "no options resolve");
    check(!strncmp(c.o.profile.text, "ramp:", 5) && c.o.interval_s == 10 && c.o.warmup_s == 30 &&
              c.o.slo.n == 0 && c.o.retry.max == 2,
          "the default ramp, interval, warm-up, retries");

    /* The section fills what the command line did not say... */
    const char *sets[] = {"loadtest.profile=soak:100:20s", "loadtest.interval=5s",
                          "loadtest.warmup=2s", "loadtest.slo=p99<1s", "loadtest.retries.max=4"};
    check(command(&c, fault_args, faults, sets, 5, NULL, NULL, 0, &e) == 0, "the section resolves");
    check(!strcmp(c.o.profile.text, "soak:100:20s") && c.o.interval_s == 5 && c.o.warmup_s == 2 &&
              c.o.slo.n == 1 && c.o.retry.max == 4,
          "the section's profile, interval, warm-up, SLO and retries");
    /* ...and never what it did. */
    const int opt[] = {LOADTEST_COMMAND_PROFILE, LOADTEST_COMMAND_INTERVAL, LOADTEST_COMMAND_WARMUP,
                       LOADTEST_COMMAND_SLO, LOADTEST_COMMAND_RETRIES};
    const char *arg[] = {"soak:50:30s", "10s", "0", "p50<1s,failed<1%", "0:1s:0"};
    check(command(&c, fault_args, faults, sets, 5, opt, arg, 5, &e) == 0, "both resolve");
    check(!strcmp(c.o.profile.text, "soak:50:30s") && c.o.interval_s == 10 && c.o.warmup_s == 0 &&
              c.o.slo.n == 2 && c.o.retry.max == 0,
          "the command line wins over the section");

    /* Faults are resolved on the scenario's operators. */
    const int fo[] = {LOADTEST_COMMAND_FAULT, LOADTEST_COMMAND_FAULT};
    const char *fa[] = {"ledger:10s:5s", "bank:1s:2s:0.5"};
    check(command(&c, fault_args, faults, NULL, 0, fo, fa, 2, &e) == 0 && c.o.n_faults == 2 &&
              c.o.faults == faults,
          "two faults");
    check(faults[0].resource == -1 && faults[1].resource == 0 && faults[1].until_s == 3 &&
              faults[1].capacity == 0.5,
          "the ledger's and bank's windows");
    const char *fu[] = {"town:1s:2s"};
    check(command(&c, fault_args, faults, NULL, 0, fo, fu, 1, &e) < 0 &&
              strstr(e.arg, "unknown resource 'town'"),
          "a fault on an unknown resource");

    /* The capacity search: an SLO, and a bracket from the profile. */
    const int cf[] = {LOADTEST_COMMAND_FIND_CAPACITY, LOADTEST_COMMAND_PROFILE};
    const char *ca[] = {NULL, "step:100:400:4:10s"};
    check(command(&c, fault_args, faults, NULL, 0, cf, ca, 2, &e) < 0 &&
              !strcmp(e.fmt, "--find-capacity needs an SLO (%s)"),
          "--find-capacity without an SLO");
    check(command(&c, fault_args, faults, sets + 3, 1, cf, ca, 2, &e) == 0 && c.cap.lo == 100 &&
              c.cap.hi == 400,
          "the bracket: the profile's lowest to highest rate");
    const char *cs[] = {NULL, "soak:100:10s"};
    check(command(&c, fault_args, faults, sets + 3, 1, cf, cs, 2, &e) < 0 &&
              strstr(e.arg, "here 100 to 100 payments/s"),
          "a soak leaves no bracket");
    return test_done();
}
