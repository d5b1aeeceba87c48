/* proc: children that die with their parent, and interruption (proc.h). */
#include "output/proc.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "exitcode.h"

extern char **environ;

/* The signals that end a command: the handler's and the blocked set. */
static const int stop_signals[] = {SIGTERM, SIGINT, SIGHUP};
#define N_STOP (sizeof stop_signals / sizeof stop_signals[0])

/* The process's children and cleanup hook. Only changed with the stop
 * signals blocked, so the handler always sees a consistent table. */
static pid_t children[PROC_MAX_CHILDREN];
static volatile size_t n_children;
static proc_cleanup_fn cleanup_hook;
static int guarded;

static void stop_set(sigset_t *set)
{
    sigemptyset(set);
    for (size_t i = 0; i < N_STOP; i++)
        sigaddset(set, stop_signals[i]);
}

static void block(sigset_t *old)
{
    sigset_t set;
    stop_set(&set);
    sigprocmask(SIG_BLOCK, &set, old);
}

static void restore(const sigset_t *old)
{
    sigprocmask(SIG_SETMASK, old, NULL);
}

/* Kill and reap every child, clean up, then die of the same signal with
 * the default disposition, so whoever waits for us sees the signal. */
static void on_stop(int sig)
{
    int saved = errno;
    for (size_t i = 0; i < n_children; i++)
        kill(children[i], SIGKILL);
    for (size_t i = 0; i < n_children; i++)
        while (waitpid(children[i], NULL, 0) < 0 && errno == EINTR)
            ;
    n_children = 0;
    if (cleanup_hook)
        cleanup_hook();
    signal(sig, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
    errno = saved; /* not reached */
}

void proc_guard(proc_cleanup_fn cleanup)
{
    sigset_t old;
    block(&old);
    cleanup_hook = cleanup;
    if (!guarded) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_stop;
        stop_set(&sa.sa_mask); /* one cleanup at a time */
        for (size_t i = 0; i < N_STOP; i++) {
            struct sigaction prev;
            /* A signal the shell told us to ignore (nohup, `cmd &` without
             * job control for SIGINT) stays ignored. */
            if (sigaction(stop_signals[i], NULL, &prev) == 0 && prev.sa_handler == SIG_IGN)
                continue;
            sigaction(stop_signals[i], &sa, NULL);
        }
        guarded = 1;
    }
    restore(&old);
}

void proc_unguard(void)
{
    sigset_t old;
    block(&old);
    if (guarded)
        for (size_t i = 0; i < N_STOP; i++) {
            struct sigaction prev;
            if (sigaction(stop_signals[i], NULL, &prev) == 0 && prev.sa_handler == on_stop)
                signal(stop_signals[i], SIG_DFL);
        }
    guarded = 0;
    cleanup_hook = NULL;
    restore(&old);
}

/* Record a child; called with the stop signals blocked. */
static void record(pid_t pid)
{
    if (n_children < PROC_MAX_CHILDREN)
        children[n_children++] = pid;
}

/* In a new child: the default dispositions (the parent's handler would
 * remove the parent's files) and death with the parent. The parent may
 * already be gone when the request is made: then getppid is no longer it. */
static void child_setup(pid_t parent)
{
    for (size_t i = 0; i < N_STOP; i++) {
        struct sigaction prev;
        if (sigaction(stop_signals[i], NULL, &prev) == 0 && prev.sa_handler == on_stop)
            signal(stop_signals[i], SIG_DFL);
    }
    n_children = 0;
    cleanup_hook = NULL;
    guarded = 0;
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
    if (getppid() != parent)
        _exit(EXITCODE_RUNTIME);
}

pid_t proc_fork(void)
{
    sigset_t old;
    pid_t parent = getpid();
    block(&old);
    if (n_children >= PROC_MAX_CHILDREN) {
        restore(&old);
        errno = EAGAIN;
        return -1;
    }
    pid_t pid = fork();
    if (pid == 0)
        child_setup(parent);
    else if (pid > 0)
        record(pid);
    restore(&old);
    return pid;
}

int proc_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *fa,
                char *const argv[])
{
    sigset_t old, stop;
    posix_spawnattr_t at;
    int rc = posix_spawnattr_init(&at);
    if (rc != 0)
        return rc;
    /* The program starts with the default dispositions and the mask we had
     * before blocking, whatever this process has installed. */
    block(&old);
    stop_set(&stop);
    posix_spawnattr_setsigdefault(&at, &stop);
    posix_spawnattr_setsigmask(&at, &old);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    if (n_children >= PROC_MAX_CHILDREN)
        rc = EAGAIN;
    else
        rc = posix_spawnp(pid, file, fa, &at, argv, environ);
    if (rc == 0)
        record(*pid);
    restore(&old);
    posix_spawnattr_destroy(&at);
    return rc;
}

/* Wait without reaping (waitid with WNOWAIT) while the signals can come,
 * then reap and forget the child with them blocked: a pid in the table is
 * never one the system could have given to another process. */
int proc_wait(pid_t pid, int *status)
{
    siginfo_t info;
    while (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT) < 0)
        if (errno != EINTR)
            break;
    sigset_t old;
    block(&old);
    int rc;
    while ((rc = (int)waitpid(pid, status, 0)) < 0 && errno == EINTR)
        ;
    int saved = errno;
    for (size_t i = 0; i < n_children; i++)
        if (children[i] == pid) {
            children[i] = children[--n_children];
            break;
        }
    restore(&old);
    errno = saved;
    return rc < 0 ? -1 : 0;
}

size_t proc_children(void)
{
    return n_children;
}
