/* overlay: a scenario as layers. overlay_load reads the file named on the
 * command line and the chain of files it `extends` (paths relative to the
 * extending file, at most YTREE_MAX_EXTENDS, cycles reported with the chain)
 * and merges them deepest first: mappings merge key by key (the extending
 * file wins; base keys keep their order, new keys follow); the top-level
 * `interventions` list merges by `id` (an item naming a base item's id
 * merges into it key by key, or replaces it if its `kind` differs, or drops
 * it with `remove: true`; a new id is added after the base's items; an empty
 * list clears the base's); other sequences and single values replace. The
 * merged tree has no `extends` key.
 *
 * overlay_set then applies one `--set key.path=value`, as if the file said
 * it: the value is taken as a plain YAML scalar, positioned `--set:N:COLUMN`
 * for errors; a step through a sequence picks the mapping whose `id` is that
 * step (else the item at that 0-based index); a missing mapping key is added
 * and flagged `created`, for the schema to judge.
 * Ownership: trees live in the ytree_ctx arena (ytree.h). */
#ifndef PILOTSIM_OVERLAY_H
#define PILOTSIM_OVERLAY_H

#include "scenario/ytree.h"

/* The merged tree of `path` and its extends chain; NULL after errors. */
struct ytree *overlay_load(struct ytree_ctx *c, const char *path);

/* Apply --set number `index` (1-based) to `root`. 0, or -1 after an error. */
int overlay_set(struct ytree_ctx *c, struct ytree *root, int index, const char *arg);

/* The number at a --set key path of the scenario `file` with sets[0..n)
 * applied (steps through lists pick by id, as overlay_set): 0 with *value,
 * or -1 when the key is absent (a default), not a plain number, or the
 * file does not load (no message: the caller's own load reports it).
 * *other_list is set when a step goes through a list other than the
 * top-level interventions (which an extending file cannot change item by
 * item). */
int overlay_number(const char *file, const char *const *sets, size_t n, const char *key,
                   double *value, int *other_list);

#endif
