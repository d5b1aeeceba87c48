/* phold: the classic PHOLD benchmark (Fujimoto 1990) on the engine and rng.
 *
 * N logical processes (LPs) each start with M events. Handling an event at LP
 * i and time t schedules exactly one new event at t + L + Exp(X - L) (mean
 * increment X), sent to a uniformly chosen LP with probability P and to i
 * otherwise; events past T are not handled. Each event begets one: the N M
 * initial events start N M chains, and an event's draws come from the rng
 * stream keyed by (chain, hop number mod 2^16, its time), so which events
 * happen does not depend on the order they are handled in, and the run is
 * fixed by its arguments: the same events and checksum on every run and
 * machine (the exponential is plain IEEE arithmetic, not the platform's libm).
 *
 * Ownership: the caller owns params and result; phold_run frees what it made. */
#ifndef PILOTSIM_PHOLD_H
#define PILOTSIM_PHOLD_H

#include <stdint.h>
#include <stdio.h>

struct phold_params {
    uint64_t lps;        /* N: logical processes */
    uint64_t population; /* M: initial events per LP */
    double remote;       /* P: probability that an event goes to a random LP */
    double lookahead;    /* L: minimum time increment */
    double mean;         /* X: mean time increment (> L) */
    double end;          /* T: events after T are not handled */
    uint64_t seed;       /* rng seed */
};

struct phold_result {
    uint64_t events;          /* events handled */
    uint64_t pending_peak;    /* most events pending at once */
    uint64_t checksum;        /* hash of every handled (time, LP) in order */
    double wall_s;            /* wall-clock seconds of the whole run */
    double events_per_s;      /* events / wall_s */
    double bytes_per_pending; /* peak resident memory / pending_peak */
};

/* N=1024, M=16, P=0.25, L=0.1, X=1.0, T=1000, seed 1. */
struct phold_params phold_params_default(void);

/* Run PHOLD: 0 on success, -1 on bad parameters (message on stderr) or no memory. */
int phold_run(const struct phold_params *p, struct phold_result *out);

/* One JSON object and a newline: 0, or -1 on a write error. */
int phold_write_json(const struct phold_result *r, FILE *f);

#endif
