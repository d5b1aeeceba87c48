/* loadtest_wire: a load test's result as bytes and back, so that a worker
 * process can run a replication or a capacity probe and hand its result to
 * the parent (output/pool.h moves bytes between processes).
 *
 * The bytes are for this binary only (the parent and its forked workers):
 * doubles and integers travel as their memory, so a result unpacked is
 * bit for bit the one packed, and merging unpacked results in replication
 * order gives the same bytes as merging them in one process. A histogram
 * travels as its buckets in use only. Every field of struct
 * loadtest_result travels: a field added there must be added here too
 * (tests/unit/test_loadtest_wire.c compares a round trip field by field).
 *
 * The writer (struct loadtest_wire) is also what the capacity search packs
 * a probe with: loadtest_wire_put and loadtest_wire_get move plain bytes.
 * Ownership: loadtest_wire_pack returns a malloc'd buffer (free it);
 * loadtest_wire_unpack fills a caller-owned result
 * (loadtest_result_destroy), also after a failure. */
#ifndef PILOTSIM_LOADTEST_WIRE_H
#define PILOTSIM_LOADTEST_WIRE_H

#include <stddef.h>
#include "loadtest/loadtest.h"
#include "scenario/warnings.h"

/* A growing buffer being written, or a buffer being read. */
struct loadtest_wire {
    unsigned char *buf;
    size_t len, cap; /* written (read) so far, room (size) */
    int bad;         /* out of memory, or read past the end */
};

/* Append n bytes (write) or take n bytes (read: wire.cap is the size). */
void loadtest_wire_put(struct loadtest_wire *w, const void *p, size_t n);
void loadtest_wire_get(struct loadtest_wire *w, void *p, size_t n);
/* A list of warnings, each line with its length. */
void loadtest_wire_put_warnings(struct loadtest_wire *w, const struct warnings *l);
/* 0, or -1 (no memory, or the bytes run short): lines added to l. */
int loadtest_wire_get_warnings(struct loadtest_wire *w, struct warnings *l);

/* r as bytes: a malloc'd buffer of *len bytes, or NULL (no memory). */
void *loadtest_wire_pack(const struct loadtest_result *r, size_t *len);
/* The result of loadtest_wire_pack's bytes into out; 0, or -1 (no
 * memory, or bytes that are not a packed result). */
int loadtest_wire_unpack(const void *buf, size_t len, struct loadtest_result *out);

#endif
