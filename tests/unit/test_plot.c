/* Unit tests of plot and progress: the failures plot must report, the test
 * that a chart gnuplot wrote is complete (every cut and every damaged byte
 * of a PNG refused, every cut of an SVG), the CSV reading that decides
 * whether a chart has anything to draw, the interventions marked on time
 * axes (plot_markers), and a progress bar that stays
 * silent when asked to. Drawing itself is tested end to end
 * (tests/e2e/charts.sh). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/chart.h"
#include "output/plot.h"
#include "output/progress.h"
#include "scenario/scenario.h"
#include "test.h"

/* A 1x1 grey PNG: signature, IHDR, IDAT, IEND, CRCs from zlib.crc32. */
static const unsigned char png[] = {0x89, 'P', 'N', 'G',  '\r', '\n', 0x1a, '\n', 0,    0, 0, 13,
                                    'I',  'H', 'D', 'R',  0,    0,    0,    1,    0,    0, 0, 1,
                                    8,    0,   0,   0,    0,    0x3a, 0x7e, 0x9b, 0x55, 0, 0, 0,
                                    10,   'I', 'D', 'A',  'T',  0x78, 0x9c, 0x63, 0x60, 0, 0, 0,
                                    2,    0,   1,   0x48, 0xaf, 0xa4, 0x71, 0,    0,    0, 0, 'I',
                                    'E',  'N', 'D', 0xae, 0x42, 0x60, 0x82};
static const char svg[] = "<?xml version=\"1.0\"?>\n<svg width=\"1\" height=\"1\">\n"
                          "<g></g>\n</svg>\n\n";

static int complete_bytes(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    fwrite(p, 1, n, f);
    fclose(f);
    return chart_file_complete(path);
}

static void test_complete(void)
{
    char png_path[64], svg_path[64]; /* per process: other test runs share /tmp */
    snprintf(png_path, sizeof png_path, "/tmp/pilotsim-test-plot-%ld.png", (long)getpid());
    snprintf(svg_path, sizeof svg_path, "/tmp/pilotsim-test-plot-%ld.svg", (long)getpid());
    unsigned char buf[sizeof png + 16];
    check(complete_bytes(png_path, png, sizeof png) == 1, "a whole PNG is complete");
    size_t bad = 0;
    for (size_t n = 0; n < sizeof png; n++)
        bad += complete_bytes(png_path, png, n) != 0;
    check(bad == 0, "a PNG cut at any of its %zu bytes is not (%zu passed)", sizeof png, bad);
    bad = 0;
    for (size_t i = 0; i < sizeof png; i++) {
        memcpy(buf, png, sizeof png);
        buf[i] ^= 0x10;
        bad += complete_bytes(png_path, buf, sizeof png) != 0;
    }
    check(bad == 0, "a PNG with any byte damaged is not (%zu passed)", bad);
    memcpy(buf, png, sizeof png);
    memcpy(buf + sizeof png, png + 8, 4);
    check(complete_bytes(png_path, buf, sizeof png + 4) == 0, "nor one with bytes after IEND");
    memcpy(buf, png, 8);
    memcpy(buf + 8, png + 33, sizeof png - 33); /* IDAT, IEND: no IHDR */
    check(complete_bytes(png_path, buf, 8 + sizeof png - 33) == 0, "nor one without IHDR first");

    size_t len = strlen(svg), end = strstr(svg, "</svg>") + 6 - svg;
    check(complete_bytes(svg_path, svg, len) == 1, "a whole SVG is complete");
    check(complete_bytes(svg_path, svg, end) == 1, "  also without its final newlines");
    bad = 0;
    for (size_t n = 0; n < end; n++)
        bad += complete_bytes(svg_path, svg, n) != 0;
    check(bad == 0, "an SVG cut anywhere before its end is not (%zu passed)", bad);
    check(complete_bytes(svg_path, svg + 5, len - 5) == 0, "nor one that starts mid-file");
    check(complete_bytes(png_path, svg, len) == 0, "an SVG named .png is not a PNG");
    unlink(png_path);
    check(chart_file_complete(png_path) == 0, "a missing file is not complete");
    check(chart_file_complete("tests/data/quick.yaml") == 0, "nor a file of another kind");
    unlink(svg_path);
}

/* Write text to a file and scan it for the columns named. */
static int scan_text(const char *text, struct plot_column *cols, size_t n, size_t *rows)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/pilotsim-test-plot-%ld.csv", (long)getpid());
    FILE *f = fopen(path, "w");
    if (!f)
        return -2;
    fputs(text, f);
    fclose(f);
    int rc = plot_csv_scan(path, cols, n, rows);
    unlink(path);
    return rc;
}

static void test_scan(void)
{
    size_t rows = 99;
    struct plot_column c[3] = {{.name = "a"}, {.name = "b"}, {.name = "missing"}};
    check(scan_text("a,b\n1,2\n0,-3\n,4\n", c, 3, &rows) == 0 && rows == 3,
          "three rows after the header");
    check(c[0].found && c[1].found && !c[2].found, "the header's columns are found, no other");
    check(c[0].values == 2 && c[0].positive == 1 && c[0].sum == 1,
          "a: two values (0 counts, empty does not), one above zero");
    check(c[1].values == 3 && c[1].positive == 2 && c[1].sum == 3,
          "b: three values, two above zero");
    check(c[2].values == 0, "a missing column has no values");

    struct plot_column q[2] = {{.name = "x"}, {.name = "y"}};
    check(scan_text("\"name, with comma\",x,\"y\"\r\n\"a \"\"b\"\", c\",5,6\r\n"
                    "\"two\nlines\",7,8\r\n",
                    q, 2, &rows) == 0 &&
              rows == 2,
          "quoted fields: commas, doubled quotes and newlines inside, CRLF");
    check(q[0].found && q[1].found && q[0].sum == 12 && q[1].sum == 14,
          "  the columns after them are where the header says");

    check(scan_text("x,y\nnan,inf\n1e400,abc\n3x,\n", q, 2, &rows) == 0 && rows == 3,
          "rows of non-numbers");
    check(q[0].values == 0 && q[1].values == 0,
          "  NaN, infinities, text and a partial number are no values");
    check(scan_text("x,y\n\n1,2\n\n", q, 2, &rows) == 0 && rows == 1 && q[0].values == 1,
          "empty lines are no rows");
    check(scan_text("x,y\n", q, 2, &rows) == 0 && rows == 0 && q[0].found,
          "a header alone: no rows, the columns found");
    check(scan_text("x,y\n1,2", q, 2, &rows) == 0 && rows == 1 && q[1].sum == 2,
          "a last row without a newline counts");
    check(scan_text("", q, 2, &rows) == 0 && rows == 0 && !q[0].found, "an empty file: nothing");
    check(plot_csv_scan("/nonexistent/x.csv", q, 2, &rows) < 0, "a missing file is -1");
}

/* How many tab-separated fields s has. */
static size_t fields(const char *s)
{
    size_t n = 1;
    for (; *s; s++)
        n += *s == '\t';
    return n;
}

/* plot_markers on the four-city pilot: dates in order, one marker a date,
 * the cities' openings, nothing past the horizon; then a scenario edited
 * so that many start at once (one label, cut with "+N") and a name holds
 * a tab (a space: the list still splits in pairs). */
static void test_markers(void)
{
    struct scenario *s = scenario_load("scenarios/pilot-2020.yaml", NULL, 0, stderr);
    check(s != NULL, "load the pilot-2020 scenario");
    if (!s) {
        for (int i = 0; i < 8; i++)
            check(0, "(skipped: no scenario)");
        return;
    }
    char *m = plot_markers(s);
    check(m && strncmp(m, "2020-05-01T00:00:00+08:00\tpilot: Suzhou\t", 40) == 0,
          "the first marker: Suzhou's pilot opens, dated as timeseries.csv dates (%.60s)",
          m ? m : "NULL");
    check(m && strstr(m, "\t2020-10-09T00:00:00+08:00\tpilot: Shenzhen\t"
                         "2020-10-09T18:00:00+08:00\tluohu-2020-10\t"),
          "a city's opening, then a lottery at its registration, in date order");
    check(m && strstr(m, "\t2020-12-01T00:00:00+08:00\tbocom-joins, psbc-joins\t"),
          "two operators joining on one date share one marker");
    check(m && fields(m) == 2 * 8 && !strstr(m, "pilot: Chengdu"),
          "eight markers (%zu fields): the cities open from the start are none", m ? fields(m) : 0);
    free(m);

    /* Everything on one date, one intervention past the horizon. */
    for (size_t c = 0; c < s->n_cities; c++)
        s->cities[c].pilot_start_s = 86400;
    for (size_t i = 0; i < s->n_interventions; i++) {
        struct intervention *iv = &s->interventions[i];
        iv->registration_from_s = iv->at_s = 86400;
    }
    s->interventions[0].registration_from_s = s->duration_s + 1;
    s->cities[1].name[1] = '\t'; /* "X\tong'an" */
    m = plot_markers(s);
    check(m && fields(m) == 2, "markers of one date are one (%s)", m ? m : "NULL");
    check(m && strncmp(m, "2020-04-02T00:00:00+08:00\tpilot: Shenzhen, X ong'an, ", 52) == 0,
          "  the cities first, a tab in a name a space");
    check(m && strlen(strchr(m, '\t') + 1) <= 36 + 4 && strstr(m, " +"),
          "  the label cut, the rest counted (%s)", m ? strchr(m, '\t') + 1 : "");
    check(m && !strstr(m, "luohu"), "  an intervention past the horizon is left out");
    free(m);
    scenario_free(s);
}

int main(void)
{
    test_plan(40);
    test_complete();
    test_scan();
    test_markers();

    struct scenario *s = scenario_load("tests/data/quick.yaml", NULL, 0, stderr);
    check(s != NULL, "load the quick scenario");
    if (!s)
        return test_done();
    FILE *devnull = fopen("/dev/null", "w");
    check(plot_render("/nonexistent/run", s, devnull) < 0, "a run without timeseries.csv fails");
    setenv("PILOTSIM_PLOTS", "/nonexistent/plots", 1);
    check(plot_render("tests/data", s, devnull) < 0, "missing chart scripts fail");
    unsetenv("PILOTSIM_PLOTS");
    fclose(devnull);

    struct progress p;
    progress_init(&p, "x", 1);
    check(!p.enabled, "--quiet disables the progress bar");
    progress_update(&p, 1, 2);
    progress_finish(&p);
    double t0 = progress_clock(), t1 = progress_clock();
    check(t1 >= t0, "the clock is monotonic");
    scenario_free(s);
    return test_done();
}
