/* bigmem.c: see bigmem.h. The memory comes from malloc and calloc, so it is
 * freed with free() and a big calloc stays lazily zeroed (glibc maps fresh
 * pages for it and skips the memset: untouched pages cost nothing, which
 * matters for the wallet accounts, mostly never used). The advice covers
 * the whole 2 MB pages inside the block; it is only a hint: where madvise
 * or huge pages are missing the memory is the same, only slower to reach. */
#define _DEFAULT_SOURCE /* madvise's MADV_HUGEPAGE, where there is one */
#include "kernel/bigmem.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#define BIGMEM_HUGE ((uintptr_t)1 << 21)

static void *bigmem_advise(void *p, size_t bytes)
{
#ifdef MADV_HUGEPAGE
    if (p && bytes >= 2 * BIGMEM_HUGE) {
        uintptr_t from = ((uintptr_t)p + BIGMEM_HUGE - 1) & ~(BIGMEM_HUGE - 1);
        uintptr_t to = ((uintptr_t)p + bytes) & ~(BIGMEM_HUGE - 1);
        (void)madvise((void *)from, to - from, MADV_HUGEPAGE); /* failure changes nothing */
    }
#endif
    return p;
}

/* Uninitialized memory is also aligned to 2 MB, so that every page of it
 * can be huge. */
void *bigmem_malloc(size_t bytes)
{
    void *p = NULL;
    if (bytes < 2 * BIGMEM_HUGE)
        return malloc(bytes ? bytes : 1);
    return posix_memalign(&p, BIGMEM_HUGE, bytes) == 0 ? bigmem_advise(p, bytes) : NULL;
}

void *bigmem_calloc(size_t n, size_t size)
{
    void *p = bigmem_calloc_sparse(n, size);
    return p ? bigmem_advise(p, n * size) : NULL;
}

void *bigmem_calloc_sparse(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    return calloc(n ? n : 1, size ? size : 1);
}
