/* keys: every key a scenario may hold, one table per YAML mapping.
 *
 * Each table (schema.h) lists its mapping's keys in the order the resolved
 * scenario writes them, with each key's type, range and place in struct
 * scenario. The loader walks these tables and scenario_write writes through
 * them, so a key added here is read, checked and written back; a key that
 * needs code of its own (a list, an id-keyed mapping, a reference to a city
 * or an operator) says so in its entry and brings its writer here.
 * Invariants: keys_kinds[k] is the table of enum intervention_kind k and
 * keys_kind_names[k] its spelling; every table's first entries are the ones
 * whose `seen` bits the loader reads (KEYS_TOP_*, KEYS_CITY_MERCHANTS, KEYS_CITY_CORPORATES).
 * Everything here is static and constant; write functions need the
 * scenario as the schema_out's ctx. */
#ifndef PILOTSIM_KEYS_H
#define PILOTSIM_KEYS_H

#include "scenario/scenario.h"
#include "scenario/schema.h"

#define KEYS_MAX_COUNT 1e10 /* people, merchants, envelopes */

/* The bits of schema_walk's `seen` the loader reads: entries of keys_top
 * and of the city table. */
enum { KEYS_TOP_START = 3, KEYS_TOP_DURATION = 4, KEYS_TOP_STEP = 5 };
enum { KEYS_CITY_MERCHANTS = 3, KEYS_CITY_CORPORATES = 4 };

/* A window {from, until}, as the loader reads it; an intervention holds
 * its windows as two doubles laid out the same way. */
struct keys_window {
    double from, until;
};

extern const struct schema_table keys_top;     /* the file's top level */
extern const struct schema_table keys_kinds[]; /* an intervention's keys, by kind */
extern const char *const keys_kind_names[];    /* by kind, NULL-terminated */

#endif
