/* windows: payments counted by the peak and outage windows (windows.h). */
#include "model/windows.h"

#include "model/model_state.h"

void windows_count(struct model *m, uint32_t city, double t0, int failed)
{
    for (uint32_t k = 0; k < m->n_windows; k++) {
        uint32_t i = m->windows[k];
        const struct intervention *iv = &m->s->interventions[i];
        if (t0 < iv->from_s || t0 >= iv->until_s ||
            (iv->kind == INTERVENTION_PEAK && iv->city >= 0 && (uint32_t)iv->city != city))
            continue;
        if (failed)
            m->iv[i].out.window_failed++;
        else
            m->iv[i].out.window_payments++;
    }
}
