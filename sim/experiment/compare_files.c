/* compare_files: a comparison read back from its directory (compare_files.h).
 *
 * Two readers: a small RFC 4180 CSV reader (compare.csv, replications.csv:
 * quoted fields, doubled quotes, line breaks inside quotes) and ytree for
 * summary.json (libyaml reads JSON). Numbers are parsed whole or taken as
 * missing (NAN), as the writers print them (report_csv_number). */
#include "experiment/compare_files.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "output/plot.h"
#include "scenario/ytree.h"

/* ---- CSV ---- */

/* A CSV file as rows of fields: cells[r * cols + c]; every row is padded
 * (or cut) to the header's width. */
struct csv {
    char **cells;
    size_t rows, cols; /* rows counts the header */
    size_t cap;
};

static void csv_free(struct csv *t)
{
    for (size_t i = 0; t->cells && i < t->rows * t->cols; i++)
        free(t->cells[i]);
    free(t->cells);
    memset(t, 0, sizeof *t);
}

/* Append one field; the header row fixes the width. */
static int csv_push(struct csv *t, char *field, size_t *col)
{
    if (!field)
        return -1;
    if (t->rows > 0 && *col >= t->cols) {
        free(field); /* a field beyond the header's width is dropped */
        return 0;
    }
    size_t at = t->rows * t->cols + *col; /* the header's row: cols is 0 */
    if (at >= t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 256;
        char **cells = realloc(t->cells, cap * sizeof *cells);
        if (!cells) {
            free(field);
            return -1;
        }
        t->cells = cells;
        t->cap = cap;
    }
    t->cells[at] = field;
    (*col)++;
    return 0;
}

/* End a row: the first fixes the width; a short row is padded with "". */
static int csv_row_end(struct csv *t, size_t *col)
{
    if (t->rows == 0)
        t->cols = *col;
    while (*col < t->cols)
        if (csv_push(t, strdup(""), col) < 0)
            return -1;
    t->rows++;
    *col = 0;
    return 0;
}

/* One field from f, its first character c already read; *end gets the
 * character after it (',', '\n' or EOF). */
static char *csv_field(FILE *f, int c, int *end)
{
    size_t n = 0, cap = 32;
    char *s = malloc(cap);
    int quoted = c == '"';
    if (quoted)
        c = getc(f);
    for (; s; c = getc(f)) {
        if (c == EOF || (!quoted && (c == ',' || c == '\n')))
            break;
        if (quoted && c == '"') {
            c = getc(f);
            if (c != '"') {
                quoted = 0;
                if (c == EOF || c == ',' || c == '\n')
                    break;
            }
        }
        if (c == '\r' && !quoted)
            continue;
        if (n + 2 > cap) {
            char *t = realloc(s, cap *= 2);
            if (!t)
                free(s);
            s = t;
            if (!s)
                break;
        }
        s[n++] = (char)c;
    }
    if (s)
        s[n] = '\0';
    *end = c;
    return s;
}

/* Read path whole: 0, or -1 (the file cannot be read, is empty, or memory
 * ran out). */
static int csv_read(const char *path, struct csv *t)
{
    memset(t, 0, sizeof *t);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t col = 0;
    int rc = 0, c;
    while (rc == 0 && (c = getc(f)) != EOF) {
        if (c == '\n' && col == 0)
            continue; /* an empty line */
        int end;
        rc = csv_push(t, csv_field(f, c, &end), &col);
        if (rc == 0 && (end == '\n' || end == EOF))
            rc = csv_row_end(t, &col);
        if (end == EOF)
            break;
    }
    if (rc == 0 && col > 0)
        rc = csv_row_end(t, &col);
    fclose(f);
    if (rc < 0 || t->rows == 0) {
        csv_free(t);
        return -1;
    }
    return 0;
}

static const char *csv_at(const struct csv *t, size_t row, size_t col)
{
    return t->cells[row * t->cols + col];
}

static long csv_column(const struct csv *t, const char *name)
{
    for (size_t c = 0; c < t->cols; c++)
        if (strcmp(csv_at(t, 0, c), name) == 0)
            return (long)c;
    return -1;
}

/* A number written whole, else NAN (an empty field: undefined). */
static double number(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    return *s && !*end ? v : NAN;
}

/* ---- summary.json ---- */

/* A metric's value: a number, or an object's "mean"; NAN when absent. */
static double json_number(const struct ytree *t)
{
    if (t && t->kind == YTREE_MAP)
        t = ytree_get(t, "mean", NULL);
    return t && t->kind == YTREE_SCALAR ? number(t->text) : NAN;
}

/* The interventions' money, by kind, summed over the plan's list. */
static void spending(struct compare_files_plan *p, const struct ytree *ivs)
{
    static const struct {
        const char *kind, *field;
        size_t at;
    } money[] = {
        {"lottery", "spent_fen", offsetof(struct compare_files_plan, lottery_fen)},
        {"merchant_campaign", "subsidy_fen", offsetof(struct compare_files_plan, subsidy_fen)},
        {"salary", "paid_fen", offsetof(struct compare_files_plan, salary_fen)}};
    for (size_t i = 0; ivs && ivs->kind == YTREE_SEQ && i < ivs->n; i++) {
        const struct ytree *iv = ivs->items[i].val, *kind = ytree_get(iv, "kind", NULL);
        for (size_t k = 0; kind && k < sizeof money / sizeof money[0]; k++) {
            double v = json_number(ytree_get(iv, money[k].field, NULL));
            if (strcmp(kind->text, money[k].kind) == 0 && isfinite(v))
                *(double *)((char *)p + money[k].at) += v;
        }
    }
}

/* plans/LABEL/summary.json: the name, replications, sampling and money. */
static int read_summary(const char *path, struct compare_files_plan *p, FILE *err)
{
    struct ytree_ctx c;
    struct ytree_id id;
    ytree_init(&c, err);
    c.what = "summary";
    const struct ytree *root = ytree_read(&c, path, NULL, &id);
    const struct ytree *name = root ? ytree_get(root, "scenario", NULL) : NULL;
    int rc = name && name->kind == YTREE_SCALAR ? 0 : -1;
    if (rc == 0) {
        p->name = strdup(name->text);
        double reps = json_number(ytree_get(root, "replications", NULL));
        double sample = json_number(ytree_get(root, "sample", NULL));
        const struct ytree *exact = ytree_get(root, "latency_exact", NULL);
        p->reps = isfinite(reps) && reps >= 1 ? (unsigned)reps : 1;
        p->sample = isfinite(sample) ? sample : 1;
        p->latency_exact = !exact || strcmp(exact->text ? exact->text : "", "false") != 0;
        spending(p, ytree_get(root, "interventions", NULL));
        rc = p->name ? 0 : -1;
    }
    if (root && rc < 0)
        fprintf(err, "pilotsim: %s: not a pilotsim summary (no scenario name)\n", path);
    ytree_destroy(&c);
    return rc;
}

/* DIR/summary.json's practical threshold, if the file is there. */
static double read_practical(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/summary.json", dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return COMPARE_FILES_PRACTICAL;
    fclose(f);
    struct ytree_ctx c;
    struct ytree_id id;
    ytree_init(&c, NULL);
    FILE *null = fopen("/dev/null", "w");
    c.err = null ? null : stderr;
    const struct ytree *root = ytree_read(&c, path, NULL, &id);
    double v = root ? json_number(ytree_get(root, "practical", NULL)) : NAN;
    ytree_destroy(&c);
    if (null)
        fclose(null);
    return isfinite(v) && v >= 0 && v < 1 ? v : COMPARE_FILES_PRACTICAL;
}

/* ---- the pieces ---- */

/* compare.csv: the plans (in the order of the first metric's rows) and
 * every metric's cells. */
static int read_compare_csv(const char *dir, struct compare_files *cf, FILE *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/compare.csv", dir);
    struct csv t;
    if (csv_read(path, &t) < 0) {
        fprintf(err, "pilotsim: %s: cannot read it (is %s a comparison's directory?)\n", path, dir);
        return -1;
    }
    static const char *const want[] = {"metric", "plan", "better",     "mean",       "ci_lo",
                                       "ci_hi",  "diff", "diff_ci_lo", "diff_ci_hi", "verdict"};
    long col[10];
    int rc = 0;
    for (size_t k = 0; k < 10; k++)
        rc |= (col[k] = csv_column(&t, want[k])) < 0 ? -1 : 0;
    size_t n = 0;
    while (rc == 0 && n + 1 < t.rows &&
           strcmp(csv_at(&t, n + 1, (size_t)col[0]), csv_at(&t, 1, (size_t)col[0])) == 0)
        n++;
    if (rc < 0 || n < 2 || (t.rows - 1) % n != 0) {
        fprintf(err, "pilotsim: %s: not a comparison (its header or its rows)\n", path);
        csv_free(&t);
        return -1;
    }
    cf->n = n;
    cf->n_metrics = (t.rows - 1) / n;
    cf->plans = calloc(n, sizeof *cf->plans);
    cf->metrics = calloc(cf->n_metrics, sizeof *cf->metrics);
    rc = cf->plans && cf->metrics ? 0 : -1;
    for (size_t p = 0; rc == 0 && p < n; p++)
        rc = (cf->plans[p].label = strdup(csv_at(&t, 1 + p, (size_t)col[1]))) ? 0 : -1;
    for (size_t j = 0; rc == 0 && j < cf->n_metrics; j++) {
        struct compare_files_metric *m = &cf->metrics[j];
        m->name = strdup(csv_at(&t, 1 + j * n, (size_t)col[0]));
        snprintf(m->better, sizeof m->better, "%s", csv_at(&t, 1 + j * n, (size_t)col[2]));
        m->cells = calloc(n, sizeof *m->cells);
        rc = m->name && m->cells ? 0 : -1;
        for (size_t p = 0; rc == 0 && p < n; p++) {
            size_t row = 1 + j * n + p;
            struct compare_files_cell *c = &m->cells[p];
            double *v[] = {&c->mean, &c->lo, &c->hi, &c->diff, &c->dlo, &c->dhi};
            for (size_t k = 0; k < 6; k++)
                *v[k] = number(csv_at(&t, row, (size_t)col[3 + k]));
            snprintf(c->verdict, sizeof c->verdict, "%s", csv_at(&t, row, (size_t)col[9]));
        }
    }
    if (rc < 0)
        fprintf(err, "pilotsim: out of memory\n");
    csv_free(&t);
    return rc;
}

/* plans/LABEL/replications.csv as numbers. */
static int read_replications(const char *path, struct compare_files_plan *p, FILE *err)
{
    struct csv t;
    if (csv_read(path, &t) < 0) {
        fprintf(err, "pilotsim: %s: cannot read it\n", path);
        return -1;
    }
    p->n_columns = t.cols;
    p->columns = calloc(t.cols, sizeof *p->columns);
    p->values = calloc(t.cols * (t.rows - 1) + 1, sizeof *p->values);
    int rc = p->columns && p->values ? 0 : -1;
    for (size_t c = 0; rc == 0 && c < t.cols; c++)
        rc = (p->columns[c] = strdup(csv_at(&t, 0, c))) ? 0 : -1;
    for (size_t r = 1; rc == 0 && r < t.rows; r++)
        for (size_t c = 0; c < t.cols; c++)
            p->values[(r - 1) * t.cols + c] = number(csv_at(&t, r, c));
    if (rc == 0 && t.rows - 1 < p->reps) {
        fprintf(err, "pilotsim: %s: %zu replications, summary.json says %u\n", path, t.rows - 1,
                p->reps);
        rc = -1;
    }
    csv_free(&t);
    return rc;
}

/* One plan's directory: summary.json, replications.csv, scenario.yaml. */
static int read_plan(const char *dir, struct compare_files_plan *p, FILE *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/plans/%s/summary.json", dir, p->label);
    if (read_summary(path, p, err) < 0)
        return -1;
    snprintf(path, sizeof path, "%s/plans/%s/replications.csv", dir, p->label);
    if (read_replications(path, p, err) < 0)
        return -1;
    snprintf(path, sizeof path, "%s/plans/%s/scenario.yaml", dir, p->label);
    p->s = scenario_load(path, NULL, 0, err);
    return p->s ? 0 : -1;
}

/* Plans of one scenario name are told apart by their directory's name:
 * "quick test (late)". 0, or -1 out of memory. */
static int unique_names(struct compare_files *cf)
{
    int *dup = calloc(cf->n, sizeof *dup);
    if (!dup)
        return -1;
    for (size_t p = 0; p < cf->n; p++)
        for (size_t q = p + 1; q < cf->n; q++)
            if (strcmp(cf->plans[p].name, cf->plans[q].name) == 0)
                dup[p] = dup[q] = 1;
    int rc = 0;
    for (size_t p = 0; p < cf->n && rc == 0; p++) {
        if (!dup[p])
            continue;
        struct compare_files_plan *q = &cf->plans[p];
        size_t len = strlen(q->name) + strlen(q->label) + 4;
        char *name = malloc(len);
        if (name) {
            snprintf(name, len, "%s (%s)", q->name, q->label);
            free(q->name);
            q->name = name;
        }
        rc = name ? 0 : -1;
    }
    free(dup);
    return rc;
}

int compare_files_read(const char *dir, struct compare_files *cf, FILE *err)
{
    memset(cf, 0, sizeof *cf);
    if (read_compare_csv(dir, cf, err) < 0)
        return -1;
    for (size_t p = 0; p < cf->n; p++) {
        /* a label from the CSV becomes a path: only what compare writes */
        if (strspn(cf->plans[p].label, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                       "0123456789._-") != strlen(cf->plans[p].label) ||
            cf->plans[p].label[0] == '.' || !cf->plans[p].label[0]) {
            fprintf(err, "pilotsim: %s/compare.csv: plan '%s' is not a plan's directory name\n",
                    dir, cf->plans[p].label);
            return -1;
        }
        if (read_plan(dir, &cf->plans[p], err) < 0)
            return -1;
    }
    cf->practical = read_practical(dir);
    return unique_names(cf);
}

void compare_files_destroy(struct compare_files *cf)
{
    for (size_t p = 0; cf->plans && p < cf->n; p++) {
        struct compare_files_plan *q = &cf->plans[p];
        free(q->label);
        free(q->name);
        scenario_free(q->s);
        for (size_t c = 0; q->columns && c < q->n_columns; c++)
            free(q->columns[c]);
        free(q->columns);
        free(q->values);
    }
    for (size_t j = 0; cf->metrics && j < cf->n_metrics; j++) {
        free(cf->metrics[j].name);
        free(cf->metrics[j].cells);
    }
    free(cf->plans);
    free(cf->metrics);
    memset(cf, 0, sizeof *cf);
}

long compare_files_metric(const struct compare_files *cf, const char *name)
{
    for (size_t j = 0; j < cf->n_metrics; j++)
        if (strcmp(cf->metrics[j].name, name) == 0)
            return (long)j;
    return -1;
}

const double *compare_files_reps(const struct compare_files *cf, size_t p, const char *name,
                                 size_t *stride)
{
    const struct compare_files_plan *q = &cf->plans[p];
    for (size_t c = 0; c < q->n_columns; c++)
        if (strcmp(q->columns[c], name) == 0) {
            *stride = q->n_columns;
            return q->values + c;
        }
    return NULL;
}

/* One plan's timeseries.csv into drawn: its city column matched by id. */
static int drawn_plan(const char *path, const struct scenario *s, int *drawn, FILE *err)
{
    struct csv t;
    if (csv_read(path, &t) < 0) {
        fprintf(err, "pilotsim: %s: cannot read it\n", path);
        return -1;
    }
    long city = csv_column(&t, "city");
    for (size_t k = 0; city >= 0 && k < PLOT_COMPARE_CHARTS; k++) {
        char hi[64];
        snprintf(hi, sizeof hi, "%s_ci_hi", plot_compare_column(k));
        long cols[2] = {csv_column(&t, plot_compare_column(k)), csv_column(&t, hi)};
        for (size_t r = 1; r < t.rows; r++)
            for (size_t c = 0; c < s->n_cities && c < SCENARIO_MAX_CITIES; c++) {
                if (strcmp(csv_at(&t, r, (size_t)city), s->cities[c].id) != 0)
                    continue;
                for (size_t q = 0; q < 2; q++)
                    if (cols[q] >= 0 && number(csv_at(&t, r, (size_t)cols[q])) > 0)
                        drawn[k * SCENARIO_MAX_CITIES + c] = 1;
            }
    }
    csv_free(&t);
    return 0;
}

int compare_files_drawn(const char *dir, const struct compare_files *cf, int *drawn, FILE *err)
{
    memset(drawn, 0, PLOT_COMPARE_CHARTS * SCENARIO_MAX_CITIES * sizeof *drawn);
    for (size_t p = 0; p < cf->n; p++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/plans/%s/timeseries.csv", dir, cf->plans[p].label);
        if (drawn_plan(path, cf->plans[0].s, drawn, err) < 0)
            return -1;
    }
    return 0;
}

double compare_files_spending(const struct compare_files_plan *p)
{
    return p->lottery_fen + p->subsidy_fen + p->salary_fen;
}

const char *compare_files_verdict(enum catalog_better better, const struct stats_summary *d,
                                  double reference, double practical)
{
    if (stats_direction_of(d) != STATS_SAME && isfinite(reference) &&
        fabs(d->mean) < practical * fabs(reference))
        return "no practical difference";
    return catalog_verdict(better, d);
}

enum catalog_better compare_files_better(const char *word)
{
    return strcmp(word, "higher") == 0  ? CATALOG_HIGHER
           : strcmp(word, "lower") == 0 ? CATALOG_LOWER
                                        : CATALOG_NEITHER;
}

/* Adoption first, payments third: the bottom line reads those two. */
static const struct compare_files_headline headlines[] = {
    {"total.adoption", "Adoption", "wallet adoption", 1},
    {"total.active_users", "Active users", "active users", 1},
    {"total.payments", "Payments", "e-CNY payments", 1},
    {"total.value_fen", "Value paid", "value paid", 1},
    {"total.payments_failed", "Failed payments", "failed payments", 1},
    {"total.latency_ms.p99", "p99 latency", "p99 latency", 1},
    {"money.circulation_fen", "e-CNY in circulation", "e-CNY in circulation", 0}};

const struct compare_files_headline *compare_files_headlines(size_t *n)
{
    *n = sizeof headlines / sizeof headlines[0];
    return headlines;
}
