/* proc: the child processes a command starts, and what an interruption does.
 *
 * A command that writes a directory (outdir.h) calls proc_guard: from then
 * on SIGTERM, SIGINT and SIGHUP kill every child this process started
 * (replication workers, gnuplot) with SIGKILL, reap them, run the cleanup
 * hook (outdir's: remove what the command wrote) and end the process by the
 * same signal, so its exit status is 128 + the signal's number.
 *
 * Children are started only through proc_fork and proc_spawnp, which block
 * those signals while the child is created and recorded, so no signal can
 * fall between the fork and the record. A forked child gets the default
 * dispositions back (it must not run the parent's cleanup) and asks the
 * kernel for SIGKILL when its parent dies (PR_SET_PDEATHSIG on Linux), so
 * even a parent killed by SIGKILL leaves no worker behind; a spawned program
 * (gnuplot) is killed by the handler only.
 *
 * The table of children and the hook are the process's own state, not a
 * run's: a signal handler can reach nothing else. Everything the handler
 * does is async-signal-safe (kill, waitpid, unlink, rmdir, raise). */
#ifndef PILOTSIM_PROC_H
#define PILOTSIM_PROC_H

#include <spawn.h>
#include <sys/types.h>

#define PROC_MAX_CHILDREN 4160 /* --jobs 4096 and a gnuplot, with room */

/* Called by the handler after the children are reaped; must be
 * async-signal-safe. */
typedef void (*proc_cleanup_fn)(void);

/* Install the handlers (idempotent) and set the cleanup hook (NULL: none). */
void proc_guard(proc_cleanup_fn cleanup);
/* Restore the default dispositions and drop the hook. */
void proc_unguard(void);

/* fork(2) with the child recorded, its signals reset and its death tied to
 * the parent's. Returns as fork does: the pid in the parent, 0 in the
 * child, -1 (errno set) on failure. */
pid_t proc_fork(void);

/* posix_spawnp(3) with the child recorded and its signal dispositions and
 * mask the defaults; fa may be NULL. 0 or an error number, as
 * posix_spawnp. */
int proc_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *fa,
                char *const argv[]);

/* waitpid for a recorded child (retrying on EINTR), then forget it.
 * 0, or -1 (errno set). */
int proc_wait(pid_t pid, int *status);

/* How many children are recorded (for tests). */
size_t proc_children(void);

#endif
