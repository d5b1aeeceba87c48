/* cli: the values of command-line options, parsed strictly: the whole
 * string or nothing (no trailing text, no sign where none is meant, no
 * NaN). Each returns 0 with the value in *out, or -1 leaving *out alone;
 * the caller words the usage error, since it knows the option.
 * Ownership: nothing is kept or allocated. */
#ifndef PILOTSIM_CLI_H
#define PILOTSIM_CLI_H

#include <stdint.h>

/* A non-negative integer. */
int cli_parse_u64(const char *s, uint64_t *out);
/* A finite-or-infinite double, not NaN. */
int cli_parse_double(const char *s, double *out);
/* A count: 1 <= value <= max. */
int cli_parse_count(const char *s, unsigned max, unsigned *out);
/* A share: "2%" or "0.02", strictly between 0 and 1. */
int cli_parse_share(const char *s, double *out);

#endif
