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

#endif
