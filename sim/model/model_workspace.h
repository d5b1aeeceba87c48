/* model_workspace: a model's big arrays kept between runs in one process.
 *
 * A farm's worker serves many replications of the same scenarios. Each
 * replication's people are laid out afresh (every random key derives from
 * (seed, replication), so no two replications share a layout), but the
 * memory they are laid out in can stay: the people's positions and order,
 * their wallet accounts and activity, the merchants and the takings list,
 * mapped and faulted in once. A run borrows the arrays (model_workspace_lend)
 * and gives them back reset (model_workspace_keep), so that the next run
 * finds them as a fresh allocation would: zero where a fresh one is zero,
 * and never read where a fresh one is uninitialized.
 *
 * What is reset, and why that is enough: wallet accounts and activity are
 * written only at holder positions and holders only grow (no wallet
 * closes in a run), so the holders' ranges of every stratum are the whole
 * of what a run wrote there; merchants are zeroed whole (a few per
 * thousand people); positions, order and takings are written before they
 * are read by every run. A run that fails frees the arrays with its
 * model (model_destroy), and the next run builds afresh.
 *
 * Ownership: model_workspace_new's object, freed with model_workspace_free
 * (NULL does nothing), owns the arrays it holds; a lent array belongs to
 * the model until it is kept again. */
#ifndef PILOTSIM_MODEL_WORKSPACE_H
#define PILOTSIM_MODEL_WORKSPACE_H

#include <stddef.h>

struct model;
struct model_workspace;

struct model_workspace *model_workspace_new(void); /* NULL when out of memory */
void model_workspace_free(struct model_workspace *w);

/* Bytes of arrays held now (0 after a failed run, or before the first). */
size_t model_workspace_bytes(const struct model_workspace *w);

/* Give m its big arrays for n_users people and n_merchants merchants
 * (activity[] only when `activity`): w's when they fit, else fresh ones
 * (w, which may be NULL, then drops what it held). 0, or -1 when out of
 * memory, with what was made in m for model_destroy. */
int model_workspace_lend(struct model_workspace *w, struct model *m, size_t n_users,
                         size_t n_merchants, int activity);

/* After a run that succeeded: reset m's arrays and take them back into w
 * (m no longer holds them). Does nothing when w is NULL. */
void model_workspace_keep(struct model_workspace *w, struct model *m);

#endif
