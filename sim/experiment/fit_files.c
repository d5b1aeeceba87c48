/* fit_files.c: calibrated.yaml, calibrate.csv and the trajectory chart
 * (see fit_files.h).
 *
 * calibrated.yaml is built from KEY=VALUE texts as a small tree of steps
 * (the last text for a key wins, as with --set), then written as nested
 * YAML; every step and value is quoted unless it is plainly safe, so that
 * no text from the command line can change the file's structure. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "experiment/fit_files.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "output/plot.h"
#include "output/report.h"
#include "scenario/overlay.h"
#include "scenario/units.h"

#define TREE_MAX 2048 /* steps of every key of one file */

struct step {
    char name[FIT_KEY_LEN];
    const char *value; /* a leaf's text, else NULL */
    int child, next;   /* first child, next sibling (-1: none) */
};

struct tree {
    struct step s[TREE_MAX];
    int n;
};

/* The child of `parent` named `name`, added if new; -1 when full. */
static int child(struct tree *t, int parent, const char *name, size_t len)
{
    int *link = &t->s[parent].child;

    while (*link >= 0) {
        struct step *c = &t->s[*link];
        if (strlen(c->name) == len && !memcmp(c->name, name, len))
            return *link;
        link = &c->next;
    }
    if (t->n == TREE_MAX || len >= FIT_KEY_LEN)
        return -1;
    *link = t->n;
    memset(&t->s[t->n], 0, sizeof t->s[t->n]);
    memcpy(t->s[t->n].name, name, len);
    t->s[t->n].child = t->s[t->n].next = -1;
    return t->n++;
}

/* Add `KEY=VALUE` to the tree (the value points into text). 0, or -1. */
static int add(struct tree *t, const char *text)
{
    const char *eq = strchr(text, '='), *seg = text;
    int node = 0;

    while (seg < eq) {
        const char *end = seg;
        while (end < eq && *end != '.')
            end++;
        if ((node = child(t, node, seg, (size_t)(end - seg))) < 0)
            return -1;
        seg = end + 1;
    }
    t->s[node].value = eq + 1;
    t->s[node].child = -1; /* a value replaces what was under it */
    return 0;
}

/* A scalar, plain when plainly safe (letters, digits, . _ - + % / and
 * inner colons without a space), else double-quoted with escapes. */
static void scalar(FILE *f, const char *text)
{
    const char *p;
    int plain = *text && !strchr("-:%", *text);

    for (p = text; plain && *p; p++)
        plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                strchr("._-+%/:", *p);
    if (plain && text[strlen(text) - 1] != ':') {
        fputs(text, f);
        return;
    }
    fputc('"', f);
    for (p = text; *p; p++)
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if ((unsigned char)*p < 0x20)
            fprintf(f, "\\x%02x", (unsigned char)*p);
        else
            fputc(*p, f);
    fputc('"', f);
}

/* The children of `node` as a mapping at `indent` (`first`: the first line
 * is already placed, after a list's dash). `list`: node is the top-level
 * interventions, whose children are items by id. */
static void write_map(FILE *f, const struct tree *t, int node, int indent, int first, int list)
{
    int c;

    for (c = t->s[node].child; c >= 0; c = t->s[c].next, first = 0) {
        const struct step *s = &t->s[c];
        if (list) {
            fprintf(f, "%*s- id: ", indent, "");
            scalar(f, s->name);
            fputc('\n', f);
            write_map(f, t, c, indent + 2, 0, 0);
            continue;
        }
        fprintf(f, "%*s", first ? 0 : indent, "");
        scalar(f, s->name);
        if (s->value) {
            fputs(": ", f);
            scalar(f, s->value);
            fputc('\n', f);
        } else {
            fputs(":\n", f);
            write_map(f, t, c, indent + 2, 0, node == 0 && !strcmp(s->name, "interventions"));
        }
    }
}

struct yaml_ctx {
    const struct fit_command *fc;
    const struct fit_outcome *o;
    const char *extends;
    struct tree *t;
};

static int yaml_write(FILE *f, const void *ctx)
{
    const struct yaml_ctx *y = ctx;
    const struct fit_outcome *o = y->o;
    const char *p;
    size_t i;

    fputs("# Fitted by pilotsim calibrate to ", f);
    for (p = y->fc->targets->file; *p; p++) /* a file name cannot end the comment */
        fputc((unsigned char)*p < 0x20 ? '?' : *p, f);
    fprintf(f,
            ": objective %.6g (the sum of squared\n"
            "# errors in tolerances) after %u evaluations of %u replications each.\n"
            "# Run it with: pilotsim run calibrated.yaml\n",
            o->result.objective, o->result.evaluations, y->fc->replications);
    for (i = 0; i < y->fc->n_sets; i++) {
        double v;
        int other = 0;
        const char *eq = strchr(y->fc->sets[i], '=');
        char key[FIT_KEY_LEN];
        snprintf(key, sizeof key, "%.*s", (int)(eq - y->fc->sets[i]), y->fc->sets[i]);
        overlay_number(y->fc->path, y->fc->sets, y->fc->n_sets, key, &v, &other);
        if (other) /* a comment: newlines cannot reach it (--set is checked text) */
            fprintf(f, "# not written, add it to the command: --set %s\n", y->fc->sets[i]);
    }
    fputs("extends: ", f);
    scalar(f, y->extends);
    fputc('\n', f);
    write_map(f, y->t, 0, 0, 0, 0);
    return 0;
}

/* The tree of the command line's --set and the best point's keys. */
static int build(struct tree *t, const struct fit_command *fc, const struct fit_outcome *o,
                 FILE *err)
{
    size_t i;

    t->n = 1;
    memset(&t->s[0], 0, sizeof t->s[0]);
    t->s[0].child = t->s[0].next = -1;
    for (i = 0; i < fc->n_sets; i++) {
        double v;
        int other = 0;
        const char *eq = strchr(fc->sets[i], '=');
        char key[FIT_KEY_LEN];
        snprintf(key, sizeof key, "%.*s", (int)(eq - fc->sets[i]), fc->sets[i]);
        overlay_number(fc->path, fc->sets, fc->n_sets, key, &v, &other);
        if (other)
            fprintf(err,
                    "pilotsim calibrate: warning: calibrated.yaml cannot set --set %s (a "
                    "list item): run it with that --set\n",
                    fc->sets[i]);
        else if (add(t, fc->sets[i]) < 0)
            return -1;
    }
    for (i = 0; i < o->n_keys; i++)
        if (add(t, o->best_sets[i]) < 0)
            return -1;
    return 0;
}

static int csv_write(FILE *f, const void *ctx)
{
    const struct yaml_ctx *y = ctx;
    const struct fit_outcome *o = y->o;
    const struct targets *t = y->fc->targets;
    size_t i, r;

    fputs("evaluation,phase", f);
    for (i = 0; i < o->n_keys; i++) {
        fputc(',', f);
        report_csv_field(f, o->keys[i].key);
    }
    fputs(",objective", f);
    for (i = 0; i < t->n; i++)
        if (t->items[i].role == TARGETS_FIT) {
            fputc(',', f);
            report_csv_field(f, t->items[i].id);
        }
    fputc('\n', f);
    for (r = 0; r < o->n_rows; r++) {
        const double *row = o->rows + r * o->width;
        fprintf(f, "%zu,%s", r + 1, row[0] ? "curvature" : "search");
        for (i = 1; i < o->width; i++) {
            fputc(',', f);
            report_csv_number(f, row[i]);
        }
        fputc('\n', f);
    }
    return 0;
}

int fit_files_relative(const char *dir, const char *target, char *buf, size_t size)
{
    char d[PATH_MAX], p[PATH_MAX];
    size_t common = 0, i, o = 0;

    if (!realpath(target, p))
        return -1;
    snprintf(buf, size, "%s", p);
    if (!realpath(dir, d))
        return -1;
    for (i = 0; d[i] && d[i] == p[i]; i++)
        if (d[i] == '/')
            common = i;
    if (!d[i] && p[i] == '/')
        common = i;             /* dir is an ancestor of target */
    for (i = common; d[i]; i++) /* one ../ per remaining step of dir */
        if (d[i] == '/' && d[i + 1])
            o += (size_t)snprintf(buf + o, o < size ? size - o : 0, "../");
    if (o + strlen(p + common + 1) >= size)
        return -1;
    snprintf(buf + o, size - o, "%s", p + common + 1);
    return 0;
}

int fit_files_write(const char *dir, const struct fit_command *fc, const struct fit_outcome *o,
                    FILE *err)
{
    char extends[PATH_MAX];
    struct yaml_ctx y = {fc, o, extends, malloc(sizeof *y.t)};
    int rc = -1;

    if (!y.t || build(y.t, fc, o, err) < 0)
        fprintf(err, "pilotsim calibrate: out of memory (or too many keys) for calibrated.yaml\n");
    else if (fit_files_relative(dir, fc->path, extends, sizeof extends) < 0 && !*extends)
        fprintf(err, "pilotsim calibrate: cannot find %s from %s\n", fc->path, dir);
    else if (report_atomic(dir, "calibrated.yaml", yaml_write, &y, err) == 0 &&
             report_atomic(dir, "calibrate.csv", csv_write, &y, err) == 0)
        rc = 0;
    free(y.t);
    return rc;
}

/* ---- the trajectory chart ---- */

#define TRAJ_GROUPS 16 /* panels at most: the first series met */
#define TRAJ_DAYS 60   /* points of the model's line at most */

struct trajectory {
    const struct fit_command *fc;
    const struct targets *syn;  /* the model's points: groups x days */
    const struct evaluation *e; /* their evaluation */
    char label[TRAJ_GROUPS][FIT_KEY_LEN];
    size_t n_groups, n_days;
    int64_t end_unix; /* the scenario's horizon: later published points are left out */
};

/* A series target's panel: "SERIES in CITY[ (cumulative)][ (yuan)]".
 * No comma: the label is a field of the trajectory's CSV, which gnuplot
 * splits at every comma, quoted or not. */
static void group_label(const struct target *t, char *buf, size_t size)
{
    snprintf(buf, size, "%s in %s%s%s", t->series, t->city, t->cumulative ? " (cumulative)" : "",
             t->yuan ? " (yuan)" : "");
}

/* Whether panel g is drawn: it needs a model point and a published point
 * within the horizon. A panel whose targets lie outside the scenario's
 * horizon or scope (national figures in a one-city scenario, a 2023
 * figure in a 2021 run) is left out of the chart. */
static int traj_drawn(const struct trajectory *tr, size_t g)
{
    const struct targets *t = tr->fc->targets;
    char label[FIT_KEY_LEN];
    int model = 0, published = 0;
    for (size_t d = 0; d < tr->n_days; d++)
        model |= !isnan(tr->e->targets[g * tr->n_days + d].mean);
    for (size_t i = 0; i < t->n && !published; i++) {
        const struct target *p = &t->items[i];
        if (!p->series || p->at_unix > tr->end_unix)
            continue;
        group_label(p, label, sizeof label);
        published = !strcmp(label, tr->label[g]);
    }
    return model && published;
}

static int traj_write(FILE *f, const void *ctx)
{
    const struct trajectory *tr = ctx;
    const struct targets *t = tr->fc->targets;
    char date[UNITS_BUF], label[FIT_KEY_LEN];
    size_t g, d, i;

    fputs("group,source,date,value,lo,hi\n", f);
    for (g = 0; g < tr->n_groups; g++) {
        if (!traj_drawn(tr, g))
            continue;
        for (d = 0; d < tr->n_days; d++) {
            const struct evaluation_target *m = &tr->e->targets[g * tr->n_days + d];
            if (isnan(m->mean))
                continue;
            report_csv_field(f, tr->label[g]);
            fprintf(f, ",model,%.10s,",
                    units_fmt_date(date, tr->syn->items[g * tr->n_days + d].at_unix));
            report_csv_number(f, m->mean);
            fputc(',', f);
            report_csv_number(f, m->ci_lo);
            fputc(',', f);
            report_csv_number(f, m->ci_hi);
            fputc('\n', f);
        }
        for (i = 0; i < t->n; i++) {
            const struct target *p = &t->items[i];
            double tol;
            if (!p->series || p->at_unix > tr->end_unix)
                continue;
            group_label(p, label, sizeof label);
            if (strcmp(label, tr->label[g]))
                continue;
            tol = targets_tolerance_units(p);
            report_csv_field(f, tr->label[g]);
            fprintf(f, ",published,%.10s,", units_fmt_date(date, p->at_unix));
            report_csv_number(f, p->value);
            fputc(',', f);
            report_csv_number(f, p->value - tol);
            fputc(',', f);
            report_csv_number(f, p->value + tol);
            fputc('\n', f);
        }
    }
    return 0;
}

/* The panels (one per distinct series, city and form of the series
 * targets) and, in syn, one target a day of the horizon (at most
 * TRAJ_DAYS, evenly spaced) for each: the model's line. 0, or -1. */
static int traj_targets(struct trajectory *tr, const struct scenario *s, struct targets *syn)
{
    const struct targets *t = tr->fc->targets;
    const struct target *rep[TRAJ_GROUPS];
    int64_t day0 = (int64_t)floor((double)(s->start_unix + 28800) / 86400) * 86400 - 28800;
    size_t days = (size_t)(s->duration_s / 86400), step, g, d, i;

    tr->end_unix = s->start_unix + (int64_t)s->duration_s;

    for (i = 0; i < t->n; i++) {
        char label[FIT_KEY_LEN];
        if (!t->items[i].series)
            continue;
        group_label(&t->items[i], label, sizeof label);
        for (g = 0; g < tr->n_groups && strcmp(tr->label[g], label); g++) {}
        if (g == tr->n_groups && g < TRAJ_GROUPS) {
            memcpy(tr->label[g], label, sizeof label);
            rep[tr->n_groups++] = &t->items[i];
        }
    }
    step = days / TRAJ_DAYS + 1;
    tr->n_days = days ? (days - 1) / step + 1 : 0;
    syn->n = tr->n_groups * tr->n_days;
    if (!syn->n || !(syn->items = calloc(syn->n, sizeof *syn->items)))
        return syn->n ? -1 : 0;
    for (g = 0; g < tr->n_groups; g++)
        for (d = 0; d < tr->n_days; d++) {
            struct target *p = &syn->items[g * tr->n_days + d];
            *p = *rep[g]; /* shares its strings: syn is never targets_free'd */
            p->role = TARGETS_CHECK;
            p->at_unix = day0 + (int64_t)(d * step) * 86400;
        }
    syn->file = t->file;
    return 0;
}

int fit_files_trajectory(const char *dir, const struct fit_command *fc, const struct fit_outcome *o,
                         FILE *err)
{
    struct trajectory tr = {.fc = fc};
    struct targets syn = {0};
    struct evaluation e = {0};
    char why[256] = "", groups[TRAJ_GROUPS * FIT_KEY_LEN] = "";
    size_t g;
    int rc = -1;

    if (traj_targets(&tr, o->best, &syn) < 0) {
        fprintf(err, "pilotsim calibrate: out of memory\n");
        return -1;
    }
    if (!syn.n)
        return 0; /* no series target: nothing to draw */
    tr.syn = &syn;
    tr.e = &e;
    if (evaluate_run(o->best, &syn, fc->replications, fc->jobs, &e, why, sizeof why) < 0)
        fprintf(err, "pilotsim calibrate: %s\n", why);
    else if (!e.leader)
        rc = 0;
    else if (report_atomic(dir, "calibrate-trajectory.csv", traj_write, &tr, err) == 0) {
        for (g = 0; g < tr.n_groups; g++)
            if (traj_drawn(&tr, g))
                strcat(strcat(groups, *groups ? "\t" : ""), tr.label[g]);
        rc = fc->charts && *groups ? plot_calibrate(dir, o->best->name, groups, err) : 0;
    }
    evaluate_destroy(&e);
    free(syn.items);
    return rc;
}
