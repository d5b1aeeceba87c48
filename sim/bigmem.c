/* bigmem.c: see bigmem.h. The hint is only a hint: where madvise or huge
 * pages are missing the memory is the same, only slower to reach. */
#define _DEFAULT_SOURCE            /* madvise's MADV_HUGEPAGE, where there is one */
#include "bigmem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define BIGMEM_HUGE ((size_t)1 << 21)

void *bigmem_malloc(size_t bytes)
{
    if (bytes < BIGMEM_HUGE)
        return malloc(bytes ? bytes : 1);
    void *p = NULL;
    if (posix_memalign(&p, BIGMEM_HUGE, bytes) != 0)
        return NULL;
#ifdef MADV_HUGEPAGE
    (void)madvise(p, bytes, MADV_HUGEPAGE);   /* failure changes nothing */
#endif
    return p;
}

void *bigmem_calloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    if (n * size < BIGMEM_HUGE)
        return calloc(n ? n : 1, size ? size : 1);
    void *p = bigmem_malloc(n * size);
    if (p)
        memset(p, 0, n * size);   /* posix_memalign's memory is not zeroed */
    return p;
}
