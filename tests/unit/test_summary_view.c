/* Unit tests of summary_view: summary.json read back in either layout (a
 * plain number with NAME_ci_lo/NAME_ci_hi beside it, or an object with
 * mean and ci_lo/ci_hi), dotted paths, null and missing keys as NaN, and
 * one line for a file that is not JSON. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/summary_view.h"
#include "test.h"

static char root[64];

static void put(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", root, name);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static const char *summary =
    "{\"schema_version\": 1, \"scenario\": \"Plan \\\"A\\\" & B\", \"replications\": 3,\n"
    " \"cities\": {\"sz\": {\"name\": \"Shenzhen\", \"wallets\": 120, \"wallets_ci_lo\": 100,\n"
    "   \"wallets_ci_hi\": 140, \"latency_ms\": {\"p99\": 12.5, \"p99_ci_lo\": null}},\n"
    "  \"xa\": {\"name\": \"Xiong'an\", \"wallets\": {\"mean\": 7, \"sd\": 1, \"ci_lo\": 5, "
    "\"ci_hi\": 9}}},\n"
    " \"warnings\": []}\n";

int main(void)
{
    test_plan(14);
    snprintf(root, sizeof root, "/tmp/pilotsim-sv-XXXXXX");
    if (!mkdtemp(root))
        return 1;
    put("summary.json", summary);
    struct summary_view v;
    check(summary_view_open(&v, root, NULL, stderr) == 0, "summary.json read");
    const struct ytree *sz = summary_view_get(v.root, "cities.sz");
    const struct ytree *xa = summary_view_get(v.root, "cities.xa");
    double lo = 0, hi = 0;
    check(sz && xa, "cities found by dotted path");
    check(strcmp(summary_view_str(v.root, "scenario", ""), "Plan \"A\" & B") == 0,
          "a JSON string with escapes");
    check(summary_view_num(v.root, "replications") == 3, "a top-level number");
    check(summary_view_num(sz, "wallets") == 120, "a plain metric");
    check(summary_view_ci(sz, "wallets", &lo, &hi) == 0 && lo == 100 && hi == 140,
          "its interval beside it");
    check(summary_view_num(xa, "wallets") == 7, "an object's mean (the older layout)");
    check(summary_view_ci(xa, "wallets", &lo, &hi) == 0 && lo == 5 && hi == 9,
          "its interval inside it");
    check(summary_view_num(sz, "latency_ms.p99") == 12.5, "a nested metric");
    check(summary_view_ci(sz, "latency_ms.p99", &lo, &hi) == -1 && isnan(lo),
          "a null interval is none");
    check(isnan(summary_view_num(sz, "payments")) && isnan(summary_view_num(sz, "name")),
          "missing or text: NaN");
    check(strcmp(summary_view_str(sz, "absent", "fallback"), "fallback") == 0,
          "a missing string: the fallback");
    summary_view_close(&v);
    put("bad.json", "{\"cities\": [\n");
    FILE *err = tmpfile();
    char msg[512] = "";
    check(summary_view_open(&v, root, "bad.json", err) == -1, "a file that is not JSON fails");
    rewind(err);
    size_t n = fread(msg, 1, sizeof msg - 1, err);
    msg[n] = '\0';
    check(n > 0 && strstr(msg, "bad.json") && strchr(msg, '\n') == msg + n - 1,
          "with one line naming it: %s", msg);
    fclose(err);
    summary_view_close(&v);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    if (system(cmd) != 0)
        return 1;
    return test_done();
}
