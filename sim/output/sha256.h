/* sha256: the SHA-256 hash of FIPS 180-4 (section 6.2), written here from
 * the standard, for provenance: the hash of the resolved scenario that a
 * summary.json records, so that a reader can tell which scenario.yaml made
 * it (sha256sum DIR/scenario.yaml prints the same hex).
 *
 * Streaming: sha256_init, then sha256_update with the bytes in any pieces,
 * then sha256_final; the result does not depend on how the bytes were cut.
 * Messages up to 2^61 - 1 bytes (the length is kept in bits, 64-bit).
 * Ownership: the context is the caller's (no allocation anywhere). */
#ifndef PILOTSIM_SHA256_H
#define PILOTSIM_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_BYTES 32                   /* the digest */
#define SHA256_HEX (2 * SHA256_BYTES + 1) /* its lower-case hex with a NUL */

struct sha256 {
    uint32_t h[8];         /* the hash so far (H0..H7) */
    uint64_t bytes;        /* message length so far */
    unsigned char blk[64]; /* the block being filled */
    size_t n;              /* bytes in blk */
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t len);
/* Pad, finish and write the digest; c must be initialized again to reuse. */
void sha256_final(struct sha256 *c, unsigned char out[SHA256_BYTES]);

/* The hash of one buffer as 64 lower-case hex digits and a NUL. */
void sha256_hex(const void *data, size_t len, char out[SHA256_HEX]);

#endif
