/* loadtest_wire: a load test's result as bytes and back, so that a worker
 * process can run a replication or a capacity probe and hand its result to
 * the parent (output/pool.h moves it between processes, a replication's
 * through a file: it grows with the run's length).
 *
 * The bytes are for this binary only (the parent and its forked workers):
 * doubles and integers travel as their memory, so a result read back is
 * bit for bit the one written, and merging results read back in
 * replication order gives the same bytes as merging them in one process.
 * A histogram travels as its buckets in use only. Every field of struct
 * loadtest_result travels: a field added there must be added here too
 * (tests/unit/test_loadtest_wire.c compares a round trip field by field).
 *
 * A writer or reader (struct loadtest_wire) works on a buffer in memory
 * or on a file: the capacity search packs a probe's few numbers with
 * loadtest_wire_put and loadtest_wire_get. loadtest_wire_write writes a
 * result to a file, reading its closed intervals back from the run's own
 * temporary file one at a time; loadtest_wire_read reads one into a
 * caller-owned result (loadtest_result_destroy, also after a failure),
 * each interval's histograms out to the result's temporary file as they
 * are read. Neither holds a whole result's histograms in memory. */
#ifndef PILOTSIM_LOADTEST_WIRE_H
#define PILOTSIM_LOADTEST_WIRE_H

#include <stddef.h>
#include <stdio.h>
#include "loadtest/loadtest.h"
#include "scenario/warnings.h"

/* A growing buffer being written, or a buffer being read; or, with f, a
 * file being written (a failed write left in ferror(f), for whoever
 * flushes it), or read (cap: the bytes to read there). */
struct loadtest_wire {
    unsigned char *buf;
    FILE *f;
    size_t len, cap; /* written (read) so far, room (size) */
    int bad;         /* out of memory, an I/O error, or read past the end */
};

/* Append n bytes (write) or take n bytes (read: wire.cap is the size). */
void loadtest_wire_put(struct loadtest_wire *w, const void *p, size_t n);
void loadtest_wire_get(struct loadtest_wire *w, void *p, size_t n);
/* A list of warnings, each line with its length. */
void loadtest_wire_put_warnings(struct loadtest_wire *w, const struct warnings *l);
/* 0, or -1 (no memory, or the bytes run short): lines added to l. */
int loadtest_wire_get_warnings(struct loadtest_wire *w, struct warnings *l);

/* r's bytes written to out. 0, or -1 when r's closed intervals cannot be
 * read back from its temporary file; a write to out that fails is left in
 * ferror(out) (the pool's files mode checks it as it flushes). */
int loadtest_wire_write(const struct loadtest_result *r, FILE *out);
/* The result of loadtest_wire_write's len bytes, from in (where it is,
 * and the file ends after them) into out. 0, or -1 (no memory, an I/O
 * error, or bytes that are not a result). */
int loadtest_wire_read(FILE *in, size_t len, struct loadtest_result *out);

#endif
