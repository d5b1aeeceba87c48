/* long_csv: long.csv (long_csv.h). */
#include "output/long_csv.h"

#include "output/report.h"

/* The catalog entries long.csv writes: the all-city totals and each city's. */
static int in_long(const struct catalog_entry *e)
{
    return e->section == CATALOG_TOTAL || e->section == CATALOG_CITY;
}

size_t long_csv_rows(const struct catalog *c, size_t n_reps)
{
    size_t n = 0;
    for (size_t k = 0; k < c->n; k++)
        n += in_long(&c->entries[k]);
    return n * n_reps;
}

/* One group's rows, replication by replication in catalog order. */
static void group_rows(FILE *f, const struct long_csv *l, size_t g)
{
    const struct catalog *c = l->catalogs ? l->catalogs[g] : l->catalog;
    const struct scenario *s = l->scenarios[g];
    for (size_t r = 0; r < l->n_reps; r++) {
        const struct outcome *o = &l->reps[g * l->n_reps + r];
        for (size_t k = 0; k < c->n; k++) {
            const struct catalog_entry *e = &c->entries[k];
            if (!in_long(e))
                continue;
            for (size_t j = 0; j < l->n_columns; j++) {
                report_csv_field(f, l->labels[g * l->n_columns + j]);
                fputc(',', f);
            }
            fprintf(f, "%zu,", r);
            report_csv_field(f, e->section == CATALOG_TOTAL ? "total" : s->cities[e->owner].id);
            fputc(',', f);
            report_csv_field(f, e->leaf);
            fputc(',', f);
            report_csv_number(f, outcome_scalar(o, k));
            fputc(',', f);
            report_csv_field(f, e->unit ? e->unit : "");
            fputc('\n', f);
        }
    }
}

static int long_write(FILE *f, const void *ctx)
{
    const struct long_csv *l = ctx;
    for (size_t j = 0; j < l->n_columns; j++) {
        report_csv_field(f, l->columns[j]);
        fputc(',', f);
    }
    fputs("replication,city,metric,value,unit\n", f);
    for (size_t g = 0; g < l->n_groups; g++)
        group_rows(f, l, g);
    return 0;
}

int long_csv_write(const char *dir, const struct long_csv *l, FILE *err)
{
    return report_atomic(dir, "long.csv", long_write, l, err);
}
