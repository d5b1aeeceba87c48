/* metrics: the time-series store. */
#include "metrics/metrics.h"

#include <stdlib.h>
#include <string.h>

void metrics_init(struct metrics *m)
{
    memset(m, 0, sizeof *m);
}

void metrics_destroy(struct metrics *m)
{
    free(m->rows);
    memset(m, 0, sizeof *m);
}

int metrics_add_row(struct metrics *m, const struct ts_row *row)
{
    if (m->n_rows == m->cap_rows) {
        size_t cap = m->cap_rows ? 2 * m->cap_rows : 256;
        struct ts_row *rows = realloc(m->rows, cap * sizeof *rows);
        if (!rows)
            return -1;
        m->rows = rows;
        m->cap_rows = cap;
    }
    m->rows[m->n_rows++] = *row;
    return 0;
}
