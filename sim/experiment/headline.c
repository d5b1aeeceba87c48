/* headline: a command's closing lines, read back from its files
 * (headline.h). */
#include "experiment/headline.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "output/progress.h"
#include "scenario/ytree.h"

#define LABEL "  %-17s " /* the figures' names, in one column */

void headline_count(char *buf, size_t size, double n)
{
    double a = fabs(n);
    if (!isfinite(n))
        snprintf(buf, size, "?");
    else if (a >= 1e9)
        snprintf(buf, size, "%.3g billion", n / 1e9);
    else if (a >= 1e6)
        snprintf(buf, size, "%.3g million", n / 1e6);
    else if (a >= 1e4) /* 52,400: a thousands separator, whatever the locale */
        snprintf(buf, size, "%s%ld,%03ld", n < 0 ? "-" : "", (long)(a + 0.5) / 1000,
                 (long)(a + 0.5) % 1000);
    else
        snprintf(buf, size, "%.0f", n);
}

void headline_yuan(char *buf, size_t size, double fen)
{
    char n[40];
    double yuan = fen / 100;
    if (fabs(yuan) < 1e4 && isfinite(yuan))
        snprintf(n, sizeof n, "%.2f", yuan);
    else
        headline_count(n, sizeof n, yuan);
    snprintf(buf, size, "%s yuan", n);
}

void headline_percent(char *buf, size_t size, double share)
{
    double p = 100 * share;
    if (!isfinite(p))
        snprintf(buf, size, "?");
    else if (p == 0 || fabs(p) >= 10)
        snprintf(buf, size, "%.1f%%", p);
    else if (fabs(p) >= 0.1)
        snprintf(buf, size, "%.2f%%", p);
    else
        snprintf(buf, size, "%.2g%%", p); /* 0.042%: two digits that mean something */
}

/* ---- reading what the command wrote ---- */

/* A figure of a summary: a number (with its interval beside it, `name_ci_lo`,
 * or inside it, {mean, ci_lo, ci_hi}, as summary.json writes replications). */
struct figure {
    double v, lo, hi; /* lo, hi NaN: no interval */
    int found;
};

static int number(const struct ytree *t, double *out)
{
    char *end;
    if (!t || t->kind != YTREE_SCALAR || !t->len || !strcmp(t->text, "null"))
        return -1;
    *out = strtod(t->text, &end);
    return *end ? -1 : 0;
}

/* The value at a dotted path ("latency_ms.p99") under map. */
static const struct ytree *at(const struct ytree *map, const char *path)
{
    char key[64];
    while (map && *path) {
        size_t n = strcspn(path, ".");
        if (n >= sizeof key || map->kind != YTREE_MAP)
            return NULL;
        memcpy(key, path, n);
        key[n] = '\0';
        map = ytree_get(map, key, NULL);
        path += n + (path[n] == '.');
    }
    return map;
}

static struct figure figure(const struct ytree *map, const char *path)
{
    struct figure f = {NAN, NAN, NAN, 0};
    char side[96];
    const struct ytree *t = at(map, path);
    if (t && t->kind == YTREE_MAP) { /* {mean, sd, ci_lo, ci_hi} */
        f.found = number(ytree_get(t, "mean", NULL), &f.v) == 0;
        if (number(ytree_get(t, "ci_lo", NULL), &f.lo) < 0 ||
            number(ytree_get(t, "ci_hi", NULL), &f.hi) < 0)
            f.lo = f.hi = NAN;
        return f;
    }
    f.found = number(t, &f.v) == 0;
    snprintf(side, sizeof side, "%s_ci_lo", path);
    if (number(at(map, side), &f.lo) < 0)
        f.lo = NAN;
    snprintf(side, sizeof side, "%s_ci_hi", path);
    if (number(at(map, side), &f.hi) < 0)
        f.hi = NAN;
    return f;
}

/* A total over the cities: the summary's `total` where it has one, else
 * the sum (or, for a latency, the worst city: *worst says so). */
static struct figure total(const struct ytree *j, const char *path, int worst, int *was_worst)
{
    char name[96];
    snprintf(name, sizeof name, "total.%s", path);
    struct figure f = figure(j, name);
    const struct ytree *cities = ytree_get(j, "cities", NULL);
    if (was_worst)
        *was_worst = 0;
    if (f.found || !cities || cities->kind != YTREE_MAP)
        return f;
    f = (struct figure){0, NAN, NAN, 0};
    for (size_t c = 0; c < cities->n; c++) {
        struct figure one = figure(cities->items[c].val, path);
        if (!one.found)
            continue;
        f.v = !f.found ? one.v : worst ? fmax(f.v, one.v) : f.v + one.v;
        f.found = 1;
    }
    if (was_worst)
        *was_worst = worst && f.found && cities->n > 1;
    return f;
}

/* Its interval in words, or "". */
static const char *interval(char *buf, size_t size, struct figure f,
                            void (*fmt)(char *, size_t, double))
{
    char lo[48], hi[48];
    if (isnan(f.lo) || isnan(f.hi)) {
        buf[0] = '\0';
        return buf;
    }
    fmt(lo, sizeof lo, f.lo);
    fmt(hi, sizeof hi, f.hi);
    snprintf(buf, size, " (95%% interval %s to %s)", lo, hi);
    return buf;
}

static struct ytree *read_json(struct ytree_ctx *c, const char *dir, const char *name, FILE *err)
{
    char path[4096];
    struct ytree_id id;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    ytree_init(c, err);
    c->what = name;
    return ytree_read(c, path, NULL, &id);
}

static int exists(const char *dir, const char *name)
{
    char path[4096];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &st) == 0;
}

/* Where to look: the report where it was written, else the files that
 * are there among `files` (NULL-terminated), charts/ last. */
static void where(const char *dir, const char *const *files, FILE *out)
{
    if (exists(dir, "report.html")) {
        fprintf(out, LABEL "%s/report.html (open it in a browser)\n", "report", dir);
        return;
    }
    fprintf(out, LABEL, "outputs");
    const char *sep = "";
    for (size_t i = 0; files[i]; i++)
        if (exists(dir, files[i])) {
            fprintf(out, "%s%s/%s", sep, dir, files[i]);
            sep = ", ";
        }
    if (exists(dir, "charts"))
        fprintf(out, "%s%s/charts/", sep, dir);
    fputc('\n', out);
}

static void wall(double wall_s, FILE *out)
{
    char d[32];
    progress_duration(d, sizeof d, wall_s);
    fprintf(out, LABEL "%s\n", "wall time", d);
}

/* ---- run ---- */

/* The simulated period and the sampling, after the scenario's name. */
static void run_title(const struct ytree *j, FILE *out)
{
    const struct ytree *name = ytree_get(j, "scenario", NULL), *start = ytree_get(j, "start", NULL);
    double horizon, sample, reps;
    fprintf(out, "pilotsim: %s", name && name->kind == YTREE_SCALAR ? name->text : "run");
    if (start && start->kind == YTREE_SCALAR &&
        number(ytree_get(j, "horizon", NULL), &horizon) == 0)
        fprintf(out, ", %.10s for %.0f days", start->text, horizon / 86400);
    if (number(ytree_get(j, "replications", NULL), &reps) == 0 && reps > 1)
        fprintf(out, ", mean of %.0f replications", reps);
    if (number(ytree_get(j, "sample", NULL), &sample) == 0 && sample > 1)
        fprintf(out, ", one person in %.0f simulated", sample);
    fputs("\n", out);
}

/* Adoption over every city: `total`'s, else the cities' shares weighted
 * by their people (a share of people with a wallet: wallets, which count
 * corporate and sub-wallets, would overstate it). */
static struct figure adoption_of(const struct ytree *j, struct figure people)
{
    struct figure f = figure(j, "total.adoption");
    const struct ytree *cities = ytree_get(j, "cities", NULL);
    if (f.found || !cities || cities->kind != YTREE_MAP || !(people.v > 0))
        return f;
    f = (struct figure){0, NAN, NAN, 1};
    for (size_t c = 0; c < cities->n; c++) {
        struct figure a = figure(cities->items[c].val, "adoption"),
                      n = figure(cities->items[c].val, "population");
        f.found &= a.found && n.found;
        f.v += a.v * n.v / people.v;
    }
    return f;
}

/* Wallets and adoption; payments and p99 latency. */
static void run_figures(const struct ytree *j, FILE *out)
{
    char a[48], b[48], ci[128];
    struct figure wallets = total(j, "wallets", 0, NULL), people = total(j, "population", 0, NULL);
    struct figure adoption = adoption_of(j, people);
    headline_count(a, sizeof a, wallets.v);
    fprintf(out, LABEL "%s%s\n", "wallets", a, interval(ci, sizeof ci, wallets, headline_count));
    headline_percent(a, sizeof a, adoption.v);
    headline_count(b, sizeof b, people.v);
    fprintf(out, LABEL "%s of %s people%s\n", "adoption", a, b,
            interval(ci, sizeof ci, adoption, headline_percent));
    struct figure pay = total(j, "payments", 0, NULL),
                  failed = total(j, "payments_failed", 0, NULL);
    headline_count(a, sizeof a, pay.v);
    headline_count(b, sizeof b, failed.v);
    fprintf(out, LABEL "%s, %s failed", "payments", a, pay.found && failed.found ? b : "?");
    if (pay.found && failed.found && pay.v > 0 && failed.v > 0) {
        headline_percent(b, sizeof b, failed.v / pay.v);
        fprintf(out, " (%s)", b);
    }
    fputs("\n", out);
    int worst;
    struct figure p99 = total(j, "latency_ms.p99", 1, &worst);
    const struct ytree *exact = ytree_get(j, "latency_exact", NULL);
    int approximate = exact && exact->kind == YTREE_SCALAR && !strcmp(exact->text, "false");
    if (!pay.found || pay.v <= 0 || !p99.found)
        fprintf(out, LABEL "none (no payments)\n", "p99 latency");
    else
        fprintf(out, LABEL "%.0f ms%s%s\n", "p99 latency", p99.v, worst ? " (the worst city)" : "",
                approximate ? ", approximate under sampling" : "");
}

/* Money: circulation (issued - redeemed - reclaimed) against the sum of
 * every wallet at the end, to the fen. */
static void run_money(const struct ytree *j, FILE *out)
{
    struct figure circ = figure(j, "money.circulation_fen"), held = figure(j, "money.wallets_fen");
    char y[48];
    if (!circ.found || !held.found) {
        fprintf(out, LABEL "not recorded\n", "money conserved");
        return;
    }
    headline_yuan(y, sizeof y, held.v);
    if (circ.v == held.v)
        fprintf(out, LABEL "yes, to the fen (%s in wallets)\n", "money conserved", y);
    else
        fprintf(out, LABEL "NO: wallets hold %.0f fen, issued less redeemed %.0f fen\n",
                "money conserved", held.v, circ.v);
}

int headline_run(const char *dir, double wall_s, FILE *out)
{
    static const char *const files[] = {"summary.json", "timeseries.csv", NULL};
    struct ytree_ctx c;
    const struct ytree *j = read_json(&c, dir, "summary.json", out);
    if (!j) {
        ytree_destroy(&c);
        fprintf(out, "pilotsim: done -> %s/\n", dir);
        return -1;
    }
    run_title(j, out);
    run_figures(j, out);
    run_money(j, out);
    wall(wall_s, out);
    where(dir, files, out);
    ytree_destroy(&c);
    return 0;
}

/* ---- CSV, as report_csv_field writes it (RFC 4180) ---- */

#define CSV_MAX_FIELDS 4096

struct csv {
    FILE *f;
    char *line; /* the current row, split in place */
    size_t cap;
    char *field[CSV_MAX_FIELDS];
    size_t n;
};

static int csv_open(struct csv *c, const char *dir, const char *name)
{
    char path[4096];
    memset(c, 0, sizeof *c);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    c->f = fopen(path, "r");
    return c->f ? 0 : -1;
}

static void csv_close(struct csv *c)
{
    if (c->f)
        fclose(c->f);
    free(c->line);
}

/* The next row's fields (quotes removed, "" as "): 0, or -1 at the end. A
 * quoted field holds no newline in the files read here. */
static int csv_row(struct csv *c)
{
    ssize_t len = getline(&c->line, &c->cap, c->f);
    if (len <= 0)
        return -1;
    char *r = c->line, *w = c->line;
    c->n = 0;
    while (c->n < CSV_MAX_FIELDS) {
        c->field[c->n++] = w;
        int quoted = *r == '"';
        r += quoted;
        for (; *r && *r != '\n' && *r != '\r'; r++) {
            if (quoted && *r == '"' && r[1] == '"')
                *w++ = *r++;
            else if (quoted && *r == '"')
                quoted = 0;
            else if (!quoted && *r == ',')
                break;
            else
                *w++ = *r;
        }
        int more = *r == ',';
        *w++ = '\0';
        if (!more)
            break;
        r++;
    }
    return 0;
}

static long csv_column(const struct csv *c, const char *name)
{
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->field[i], name))
            return (long)i;
    return -1;
}

/* ---- compare ---- */

/* A difference in the metric's words: "+0.40 pp", "-1.2 million". */
static void difference(char *buf, size_t size, const char *metric, double d)
{
    char n[40];
    int share = strstr(metric, "adoption") != NULL;
    if (share)
        snprintf(buf, size, "%+.2f pp", 100 * d);
    else {
        headline_count(n, sizeof n, fabs(d));
        snprintf(buf, size, "%s%s", d < 0 ? "-" : "+", n);
    }
}

/* What compare.csv says of each plan against the baseline on adoption and
 * payments, one line a plan: "phased: adoption better (+0.40 pp),
 * payments worse (-1.2 million)". The baseline's label in *base. */
static int compare_verdicts(const char *dir, int title, int verdicts, FILE *out)
{
    static const char *const metrics[] = {"total.adoption", "total.payments"};
    static const char *const words[] = {"adoption", "payments"};
    struct csv c;
    char said[64][2][96], plan[64][96], base[96] = "";
    size_t n = 0;
    if (csv_open(&c, dir, "compare.csv") < 0 || csv_row(&c) < 0) {
        csv_close(&c);
        return -1;
    }
    long m = csv_column(&c, "metric"), p = csv_column(&c, "plan"), d = csv_column(&c, "diff"),
         v = csv_column(&c, "verdict");
    memset(said, 0, sizeof said);
    while (m >= 0 && p >= 0 && d >= 0 && v >= 0 && csv_row(&c) == 0) {
        if ((size_t)v >= c.n)
            continue;
        size_t k = !strcmp(c.field[m], metrics[0]) ? 0 : !strcmp(c.field[m], metrics[1]) ? 1 : 2;
        if (k == 2)
            continue;
        if (!strcmp(c.field[v], "baseline")) {
            snprintf(base, sizeof base, "%s", c.field[p]);
            continue;
        }
        size_t i = 0;
        while (i < n && strcmp(plan[i], c.field[p]))
            i++;
        if (i == n && n < 64)
            snprintf(plan[n++], sizeof plan[0], "%s", c.field[p]);
        if (i < n) {
            char diff[48] = "";
            if (*c.field[d])
                difference(diff, sizeof diff, metrics[k], strtod(c.field[d], NULL));
            snprintf(said[i][k], sizeof said[i][k], "%s %s%s%s%s", words[k], c.field[v],
                     *diff ? " (" : "", diff, *diff ? ")" : "");
        }
    }
    csv_close(&c);
    if (title)
        fprintf(out, "pilotsim compare: %zu plans against the baseline %s\n", n + 1, base);
    for (size_t i = 0; verdicts && i < n; i++)
        fprintf(out, LABEL "%s: %s%s%s\n", i ? "" : "vs the baseline", plan[i], said[i][0],
                *said[i][0] && *said[i][1] ? ", " : "", said[i][1]);
    return n ? 0 : -1;
}

/* Markdown inline text as plain text: `**` dropped, backslash escapes
 * undone (doc.c's writer escapes every character that could be markup). */
static void unmark(char *s)
{
    char *w = s;
    for (char *r = s; *r; r++) {
        if (r[0] == '*' && r[1] == '*') {
            r++;
            continue;
        }
        if (r[0] == '\\' && r[1])
            r++;
        *w++ = *r;
    }
    *w = '\0';
}

/* The memo's bottom line (compare.md, "# Bottom line": its answer "> "
 * and its items "- "), each a line. 0 when printed, -1 when the memo has
 * none. */
static int compare_bottom_line(const char *dir, FILE *out)
{
    char path[4096], *line = NULL;
    size_t cap = 0, said = 0;
    int in = 0;
    snprintf(path, sizeof path, "%s/compare.md", dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) > 0 && said < 6) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#') {
            if (in)
                break;
            in = strstr(line, " Bottom line") != NULL;
        } else if (in && (!strncmp(line, "- ", 2) || !strncmp(line, "> ", 2))) {
            len = (ssize_t)strlen(line); /* the answer paragraph ends in a space */
            while (len > 2 && line[len - 1] == ' ')
                line[--len] = '\0';
            unmark(line + 2);
            fprintf(out, LABEL "%s\n", said++ ? "" : "bottom line", line + 2);
        }
    }
    free(line);
    fclose(f);
    return said ? 0 : -1;
}

/* Plan labels of a compare's summary.json, "a, b and c". */
static void plan_names(const struct ytree *plans, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t p = 0; plans && p < plans->n && len < size; p++) {
        const struct ytree *l = ytree_get(plans->items[p].val, "label", NULL);
        const char *sep = !p ? "" : p + 1 == plans->n ? " and " : ", ";
        len += (size_t)snprintf(buf + len, size - len, "%s%s", sep,
                                l && l->kind == YTREE_SCALAR ? l->text : "?");
    }
}

int headline_compare(const char *dir, double wall_s, FILE *out)
{
    static const char *const files[] = {"compare.md", "compare.csv", NULL};
    struct ytree_ctx c;
    char names[512];
    double reps;
    ytree_init(&c, out);
    const struct ytree *j =
        exists(dir, "summary.json") ? read_json(&c, dir, "summary.json", out) : NULL;
    const struct ytree *plans = j ? ytree_get(j, "plans", NULL) : NULL;
    const struct ytree *bottom = j ? ytree_get(j, "bottom_line", NULL) : NULL;
    int titled = plans && plans->kind == YTREE_SEQ && plans->n > 0, rc = 0;
    if (titled) {
        plan_names(plans, names, sizeof names);
        fprintf(out, "pilotsim compare: %s", names);
        if (number(ytree_get(j, "replications", NULL), &reps) == 0)
            fprintf(out, ", %.0f replications each", reps);
        fputs("\n", out);
    }
    if (!titled && (rc = compare_verdicts(dir, 1, 0, out)) < 0) /* the plans from compare.csv */
        fputs("pilotsim compare: done\n", out);
    /* The bottom line: summary.json's, else the memo's, else compare.csv's
     * verdicts of each plan against the baseline. */
    if (bottom && bottom->kind == YTREE_SCALAR && bottom->len)
        fprintf(out, LABEL "%s\n", "bottom line", bottom->text);
    else if (compare_bottom_line(dir, out) < 0)
        rc = compare_verdicts(dir, 0, 1, out);
    wall(wall_s, out);
    where(dir, files, out);
    ytree_destroy(&c);
    return rc;
}

/* ---- sweep ---- */

/* "lottery.amount=500, seed=2": the keys of the current row. */
static void point_name(const struct csv *c, long keys_end, char *buf, size_t size,
                       char header[][64])
{
    size_t len = 0;
    buf[0] = '\0';
    for (long k = 1; k < keys_end && len < size; k++)
        len += (size_t)snprintf(buf + len, size - len, "%s%s=%s", k > 1 ? ", " : "", header[k],
                                c->field[k]);
}

/* sweep.csv: its points, the keys (the columns between `point` and the
 * first metric, `events`), and where adoption is lowest and highest. */
int headline_sweep(const char *dir, double wall_s, FILE *out)
{
    static const char *const files[] = {"sweep.csv", "summary.json", NULL};
    char header[16][64]; /* the key columns' names (at most 8 keys) */
    char lo_at[256] = "", hi_at[256] = "", a[48], b[48];
    double lo = INFINITY, hi = -INFINITY;
    long points = 0, keys_end = -1, col = -1;
    struct csv c;
    int ok = csv_open(&c, dir, "sweep.csv") == 0 && csv_row(&c) == 0;
    if (ok) {
        keys_end = csv_column(&c, "events");
        col = csv_column(&c, "total.adoption");
        for (long k = 0; k < keys_end && k < 16; k++)
            snprintf(header[k], sizeof header[k], "%s", c.field[k]);
        if (keys_end > 16)
            keys_end = 16;
    }
    while (ok && csv_row(&c) == 0) {
        points++;
        double x = col >= 0 && (size_t)col < c.n ? strtod(c.field[col], NULL) : NAN;
        if (x < lo)
            lo = x, point_name(&c, keys_end, lo_at, sizeof lo_at, header);
        if (x > hi)
            hi = x, point_name(&c, keys_end, hi_at, sizeof hi_at, header);
    }
    csv_close(&c);
    if (!ok) {
        fputs("pilotsim sweep: done\n", out);
    } else {
        fprintf(out, "pilotsim sweep: %ld point%s over", points, points == 1 ? "" : "s");
        for (long k = 1; k < keys_end; k++)
            fprintf(out, "%s %s", k == 1 ? "" : k + 1 == keys_end ? " and" : ",", header[k]);
        fputs("\n", out);
    }
    if (ok && points > 0 && isfinite(lo) && isfinite(hi)) {
        headline_percent(a, sizeof a, lo);
        headline_percent(b, sizeof b, hi);
        fprintf(out, LABEL "lowest %s (%s), highest %s (%s)\n", "adoption", a, lo_at, b, hi_at);
    }
    wall(wall_s, out);
    where(dir, files, out);
    return ok ? 0 : -1;
}

/* ---- calibrate ---- */

/* Targets of one role: within tolerance, judged (within not null), all. */
static void count_targets(const struct ytree *targets, const char *role, size_t n[3])
{
    n[0] = n[1] = n[2] = 0;
    for (size_t i = 0; targets && i < targets->n; i++) {
        const struct ytree *t = targets->items[i].val;
        const struct ytree *r = ytree_get(t, "role", NULL), *w = ytree_get(t, "within", NULL);
        if (!r || r->kind != YTREE_SCALAR || strcmp(r->text, role))
            continue;
        n[2]++;
        if (w && w->kind == YTREE_SCALAR && strcmp(w->text, "null")) {
            n[1]++;
            n[0] += !strcmp(w->text, "true");
        }
    }
}

static void targets_line(const char *what, const size_t n[3], FILE *out)
{
    if (!n[2])
        return;
    if (n[1])
        fprintf(out, LABEL "%zu of %zu within tolerance", what, n[0], n[1]);
    else
        fprintf(out, LABEL "none applies", what);
    if (n[2] > n[1])
        fprintf(out, " (%zu out of the scenario's scope or horizon)", n[2] - n[1]);
    fputs("\n", out);
}

/* calibrate --fit: each fitted key, its value and interval. */
static void fitted_lines(const struct ytree *fitted, FILE *out)
{
    for (size_t i = 0; fitted && fitted->kind == YTREE_MAP && i < fitted->n; i++) {
        const struct ytree *k = fitted->items[i].val;
        const struct ytree *id = ytree_get(k, "identified", NULL);
        struct figure f = figure(k, "value");
        f.found = f.found && number(ytree_get(k, "ci_lo", NULL), &f.lo) == 0 &&
                  number(ytree_get(k, "ci_hi", NULL), &f.hi) == 0;
        fprintf(out, LABEL "%s = %.4g", i ? "" : "fitted", fitted->items[i].key, f.v);
        if (f.found)
            fprintf(out, " (%.4g to %.4g)", f.lo, f.hi);
        if (id && id->kind == YTREE_SCALAR && !strcmp(id->text, "false"))
            fputs(", not identified by the targets", out);
        fputs("\n", out);
    }
}

int headline_calibrate(const char *dir, double wall_s, FILE *out)
{
    static const char *const files[] = {"calibrate.md", "calibrate.json", "calibrated.yaml", NULL};
    struct ytree_ctx c;
    const struct ytree *j = read_json(&c, dir, "calibrate.json", out);
    size_t fit[3], chk[3];
    if (!j) {
        ytree_destroy(&c);
        fprintf(out, "pilotsim calibrate: done -> %s/\n", dir);
        return -1;
    }
    const struct ytree *name = ytree_get(j, "scenario", NULL),
                       *tf = ytree_get(j, "targets_file", NULL);
    fprintf(out, "pilotsim calibrate: %s", name && name->kind == YTREE_SCALAR ? name->text : "");
    if (tf && tf->kind == YTREE_SCALAR)
        fprintf(out, " against %s", tf->text);
    fputs("\n", out);
    const struct ytree *targets = ytree_get(j, "targets", NULL);
    count_targets(targets, "fit", fit);
    count_targets(targets, "check", chk);
    targets_line("fit targets", fit, out);
    targets_line("check targets", chk, out);
    const struct ytree *fitted = ytree_get(j, "fitted", NULL);
    double objective, evaluations;
    fitted_lines(fitted, out);
    if (fitted && fitted->kind == YTREE_MAP && fitted->n &&
        number(ytree_get(j, "objective", NULL), &objective) == 0 &&
        number(ytree_get(j, "evaluations", NULL), &evaluations) == 0)
        fprintf(out, LABEL "%.4g (sum of squared errors in tolerances) after %.0f evaluations\n",
                "objective", objective, evaluations);
    wall(wall_s, out);
    where(dir, files, out);
    ytree_destroy(&c);
    return 0;
}
