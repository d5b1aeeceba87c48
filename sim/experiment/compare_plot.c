/* compare_plot: a comparison's charts from its files (compare_plot.h).
 *
 * The markers: every plan's interventions and city openings, per city, by
 * the date each starts (a lottery's registration, a window's start, the
 * `at` of the others), labelled by their ids; the names of one date share
 * one label, each once (the plans' own lists are in their scenario.yaml
 * and the memo's appendix). */
#include "experiment/compare_plot.h"

#include <stdlib.h>
#include <string.h>

#include "experiment/compare_files.h"
#include "output/plot.h"
#include "output/provenance.h"
#include "output/report.h"

#define MARK_LABEL 96

/* One marker of one city. */
struct mark {
    double t;
    char label[MARK_LABEL];
};

static int by_time(const void *a, const void *b)
{
    const struct mark *x = a, *y = b;
    return x->t < y->t ? -1 : x->t > y->t ? 1 : strcmp(x->label, y->label);
}

/* City c's markers over every plan, sorted by date; those of one date
 * joined into one label ("pilot opens, sz-merchants"), each name once. */
static size_t city_marks(const struct compare_files *cf, size_t c, struct mark *m, size_t max)
{
    size_t n = 0;
    for (size_t p = 0; p < cf->n; p++) {
        const struct scenario *s = cf->plans[p].s;
        for (size_t i = 0; i <= s->n_interventions && n < max; i++) {
            const struct intervention *iv = i < s->n_interventions ? &s->interventions[i] : NULL;
            double t = iv ? scenario_intervention_start(iv) : s->cities[c].pilot_start_s;
            if ((iv && iv->city >= 0 && (size_t)iv->city != c) || t <= 0 || t > s->duration_s)
                continue;
            snprintf(m[n].label, MARK_LABEL, "%s", iv ? iv->id : "pilot opens");
            m[n++].t = t;
        }
    }
    qsort(m, n, sizeof *m, by_time);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k > 0 && m[k - 1].t == m[i].t) {
            size_t len = strlen(m[k - 1].label);
            /* a name already in the label (sorted: the last one) once */
            const char *last = strrchr(m[k - 1].label, ',');
            last = last ? last + 2 : m[k - 1].label;
            if (strcmp(last, m[i].label) != 0 && len + 2 < MARK_LABEL)
                snprintf(m[k - 1].label + len, MARK_LABEL - len, ", %s", m[i].label);
            continue;
        }
        m[k++] = m[i];
    }
    return k;
}

/* Every city's markers, as plot_compare wants them: a malloc'd string. */
static char *markers(const struct compare_files *cf)
{
    const struct scenario *s = cf->plans[0].s;
    size_t max = 0;
    for (size_t p = 0; p < cf->n; p++)
        max += cf->plans[p].s->n_interventions + 1;
    struct mark *m = malloc(max * sizeof *m + 1);
    char *out = malloc(s->n_cities * (max * (MARK_LABEL + 40)) + 1);
    if (!m || !out) {
        free(m);
        free(out);
        return NULL;
    }
    size_t k = 0;
    out[0] = '\0';
    for (size_t c = 0; c < s->n_cities; c++) {
        size_t n = city_marks(cf, c, m, max);
        k += (size_t)sprintf(out + k, "%s", c ? "\037" : "");
        for (size_t i = 0; i < n; i++) {
            char when[32];
            report_time(s, m[i].t, when);
            k += (size_t)sprintf(out + k, "%s%s\t%s", i ? "\t" : "", when, m[i].label);
        }
    }
    free(m);
    return out;
}

int compare_plot_dir(const char *dir, FILE *err)
{
    struct compare_files cf;
    int drawn[PLOT_COMPARE_CHARTS * SCENARIO_MAX_CITIES];
    if (compare_files_read(dir, &cf, err) < 0 || compare_files_drawn(dir, &cf, drawn, err) < 0) {
        compare_files_destroy(&cf);
        return -1;
    }
    const char *labels[64], *names[64];
    for (size_t p = 0; p < cf.n && p < 64; p++)
        labels[p] = cf.plans[p].label, names[p] = cf.plans[p].name;
    struct provenance prov;
    char line[512] = "";
    FILE *null = fopen("/dev/null", "w"); /* a directory without provenance: no line */
    if (provenance_read(dir, &prov, null ? null : err) == 0)
        provenance_line(&prov, line, sizeof line);
    provenance_destroy(&prov);
    if (null)
        fclose(null);
    char *marks = markers(&cf);
    struct plot_compare_args a = {cf.plans[0].s,      labels, names, cf.n < 64 ? cf.n : 64, drawn,
                                  marks ? marks : "", line};
    int rc = marks ? plot_compare(dir, &a, err) : -1;
    if (!marks)
        fprintf(err, "pilotsim: out of memory\n");
    free(marks);
    compare_files_destroy(&cf);
    return rc;
}
