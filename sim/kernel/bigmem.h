/* bigmem: allocations for the big, randomly accessed arrays (the people of
 * a city, the event pool). At sample 1 they span gigabytes, at the default
 * sample still a hundred megabytes, and with 4 KB pages nearly every random
 * access misses the TLB as well as the cache (in a virtual machine a TLB
 * miss is a two-level page walk). So the 2 MB pages inside arrays of 4 MB
 * and more are asked to be huge pages, where the system has transparent
 * huge pages on request (Linux's madvise mode): bigmem_malloc's memory is
 * aligned to 2 MB so that all of it can be; bigmem_calloc's stays lazily
 * zeroed instead. Both are for arrays used whole. An array mostly never
 * touched (the wallet accounts: one a person, a few percent of them open)
 * takes bigmem_calloc_sparse: 4 KB pages, lazily zeroed, so that only the
 * pages in use are ever zeroed; a huge page is zeroed whole at its first
 * touch, 2 MB for one account, which costs more than the TLB misses saved.
 * Ownership: the caller frees what these return with free(). */
#ifndef PILOTSIM_BIGMEM_H
#define PILOTSIM_BIGMEM_H

#include <stddef.h>

void *bigmem_malloc(size_t bytes);                 /* NULL when out of memory */
void *bigmem_calloc(size_t n, size_t size);        /* zeroed; NULL on overflow or no memory */
void *bigmem_calloc_sparse(size_t n, size_t size); /* the same, never on huge pages */

/* Hints to fetch the cache line of p ahead of a read or a write into such
 * an array (nothing where the compiler has no prefetch). Never a fault:
 * any address will do, a wrong guess only wastes the fetch. */
#if defined(__GNUC__)
#define BIGMEM_PREFETCH(p) __builtin_prefetch(p)
#define BIGMEM_PREFETCH_W(p) __builtin_prefetch((p), 1)
#else
#define BIGMEM_PREFETCH(p) ((void)(p))
#define BIGMEM_PREFETCH_W(p) ((void)(p))
#endif

#endif
