/* outdir: one command owns its output directory, from start to end.
 *
 * outdir_open (1) refuses when an input file of the command is one of the
 * files it would write or remove there, (2) takes DIR/.pilotsim.lock, an
 * flock held until outdir_close, so a second command on the same DIR is
 * refused instead of interleaving with the first, (3) removes what an
 * earlier pilotsim command left there (only the names in outdir.c's table
 * of outputs, never another file), and (4) arms proc.h's handler: an
 * interrupted command removes every file and directory it created, so it
 * leaves nothing half-written. Under MPI only rank 0 opens (main.c).
 *
 * Files are written through outdir_tmp: a fresh name in the target folder,
 * created exclusively (O_CREAT|O_EXCL|O_NOFOLLOW), so no symbolic link or
 * earlier file of that name is ever followed or truncated, then renamed
 * over the final name (rename replaces a link, it does not follow it).
 *
 * The files a command creates are noted in a process-wide list (the signal
 * handler can reach nothing else): outdir_tmp notes its temporary, and
 * writers note each final name and folder before creating it. At most one
 * directory is open per process. */
#ifndef PILOTSIM_OUTDIR_H
#define PILOTSIM_OUTDIR_H

#include <stdio.h>

#define OUTDIR_LOCK ".pilotsim.lock"
#define OUTDIR_MAX_CREATED 32 /* folders made by mkdir -p that are remembered */
#define OUTDIR_PATH_MAX 4096  /* the longest path kept (Linux's PATH_MAX) */

enum outdir_status {
    OUTDIR_OK = 0,
    OUTDIR_FAILED = 1, /* the directory is in use, or cannot be made or cleared: exit 1 */
    OUTDIR_REFUSED = 2 /* an input would be overwritten or removed: exit 2 */
};

enum { OUTDIR_CLEAR = 1 }; /* outdir_open: remove an earlier run's outputs */

struct outdir {
    char path[OUTDIR_PATH_MAX];
    int dir_fd; /* -1 when not open */
    int lock_fd;
    size_t n_created; /* folders outdir_open made, outermost first */
    char created[OUTDIR_MAX_CREATED][OUTDIR_PATH_MAX];
};

/* Take `path` for this command (creating it), checking inputs[0..n_inputs)
 * first; with OUTDIR_CLEAR, remove the outputs of earlier commands. On
 * failure nothing was written and a one-line message went to err. */
enum outdir_status outdir_open(struct outdir *d, const char *path, const char *const *inputs,
                               size_t n_inputs, int flags, FILE *err);
/* Release: remove the lock file, then the folders outdir_open made if they
 * are empty (a failed command that wrote nothing leaves nothing). Safe on
 * a struct that outdir_open refused or never saw (zeroed, dir_fd -1). */
void outdir_close(struct outdir *d);

/* Create dir/.NAME.XXXXXX.tmp exclusively, never through a link; the path
 * goes to tmp[size]. The file descriptor, or -1 with errno set. */
int outdir_tmp(const char *dir, const char *name, char *tmp, size_t size);

/* Note a file, or a folder this command created, that an interruption must
 * remove (no-op when no directory is open). */
void outdir_note(const char *path);
void outdir_note_dir(const char *path);

/* Is `rel` (a path relative to an output directory, such as
 * "charts/adoption.png" or "plans/a/summary.json") a name some pilotsim
 * command writes there, or one of their temporaries? */
int outdir_known(const char *rel);

/* What kind of output a directory holds, from the files present:
 * calibrate.json (calibrate), compare.csv (compare), sweep.csv (sweep),
 * loadtest.csv (loadtest), timeseries.csv with summary.json (run). */
enum outdir_kind {
    OUTDIR_KIND_NONE = 0, /* not an output directory (or none at all) */
    OUTDIR_KIND_RUN,
    OUTDIR_KIND_COMPARE,
    OUTDIR_KIND_SWEEP,
    OUTDIR_KIND_LOADTEST,
    OUTDIR_KIND_CALIBRATE
};
/* The kind of `dir`; OUTDIR_KIND_NONE with one line on err when it is
 * missing, not a directory, or holds none of those files. */
enum outdir_kind outdir_kind(const char *dir, FILE *err);
/* "run", "compare", "sweep", "loadtest", "calibrate"; "none". */
const char *outdir_kind_name(enum outdir_kind kind);

#endif
