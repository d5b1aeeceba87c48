/* Unit tests of warnings: lines kept in order of first report, never twice
 * (so merged replications do not repeat one), formatted like printf, and
 * printed with the pilotsim prefix; summary.json's array quoted as JSON. */
#include <stdlib.h>
#include <string.h>

#include "output/report.h"
#include "scenario/warnings.h"
#include "test.h"

int main(void)
{
    test_plan(7);
    struct warnings w = {0};
    check(warnings_add(&w, "horizon %d h is shorter than a day", 6) == 0, "add formats");
    check(warnings_add(&w, "trimmed") == 0 &&
              warnings_add(&w, "horizon 6 h is shorter than a day") == 0,
          "add a second line and a repeat of the first");
    check(w.n == 2 && strcmp(w.lines[0], "horizon 6 h is shorter than a day") == 0 &&
              strcmp(w.lines[1], "trimmed") == 0,
          "two distinct lines in order of first report");
    for (int i = 0; i < 20; i++)
        warnings_add(&w, "line %d", i % 10);
    check(w.n == 12, "twenty adds of ten lines keep ten (got %zu besides the two)", w.n - 2);

    struct warnings other = {0};
    warnings_add(&other, "trimmed");
    warnings_add(&other, "latency approximate");
    check(warnings_merge(&w, &other) == 0 && w.n == 13 &&
              strcmp(w.lines[12], "latency approximate") == 0,
          "merge adds only the new line, at the end");

    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct warnings quoted = {0};
    warnings_add(&quoted, "a \"quoted\" name");
    warnings_print(&quoted, f);
    report_json_warnings(f, &quoted);
    struct warnings none = {0};
    report_json_warnings(f, &none);
    fclose(f);
    check(strcmp(buf, "pilotsim: warning: a \"quoted\" name\n[\"a \\\"quoted\\\" name\"][]") == 0,
          "printed with the prefix, JSON-quoted in the array, [] when empty (got %s)", buf);
    free(buf);

    warnings_destroy(&w);
    warnings_destroy(&other);
    warnings_destroy(&quoted);
    check(w.n == 0 && w.lines == NULL, "destroy leaves an empty list");
    return test_done();
}
