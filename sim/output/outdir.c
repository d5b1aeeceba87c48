/* outdir: the lock, the clearing of earlier outputs, exclusive temporaries
 * and the removal of an interrupted command's files (outdir.h). */
#include "output/outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "output/proc.h"

/* ---- what pilotsim writes (a new output file is one line here) ---- */

/* The files of a run's folder (run, compare, sweep, calibrate, loadtest; a
 * compare's plans/LABEL/ and a sweep's points/POINT/ hold a replicated
 * run's). */
static const char *const run_files[] = {
    "summary.json",
    "timeseries.csv",
    "scenario.yaml",
    "replications.csv",
    "long.csv",
    "compare.csv",
    "compare.md",
    "sweep.csv",
    "calibrate.json",
    "calibrate.md",
    "calibrate.csv",
    "calibrate-trajectory.csv",
    "calibrated.yaml",
    "loadtest.csv",
    "loadtest_resources.csv",
    "report.html",
    "loadtest_capacity.csv",
};
/* Charts in charts/, each as .png and .svg; plus sweep-METRIC. */
static const char *const chart_stems[] = {
    "adoption",         "throughput",           "latency",   "loadtest-knee",
    "loadtest-latency", "loadtest-utilization", "calibrate",
};
#define N_OF(a) (sizeof(a) / sizeof(a)[0])
/* Folders of replicated runs: a compare's plans/LABEL/, a sweep's points/POINT/. */
static const char *const sub_runs[] = {"plans", "points"};

enum level { LEVEL_RUN, LEVEL_CHARTS };

static int is_chart(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot || (strcmp(dot, ".png") && strcmp(dot, ".svg")))
        return 0;
    size_t stem = (size_t)(dot - name);
    for (size_t i = 0; i < N_OF(chart_stems); i++)
        if (strlen(chart_stems[i]) == stem && !strncmp(name, chart_stems[i], stem))
            return 1;
    /* sweep-METRIC: a catalog name, never empty. */
    return stem > 6 && !strncmp(name, "sweep-", 6);
}

static int is_output(enum level lv, const char *name, size_t len)
{
    char buf[NAME_MAX + 1];
    if (len > NAME_MAX)
        return 0;
    memcpy(buf, name, len);
    buf[len] = '\0';
    if (lv == LEVEL_CHARTS)
        return is_chart(buf);
    for (size_t i = 0; i < N_OF(run_files); i++)
        if (!strcmp(buf, run_files[i]))
            return 1;
    return 0;
}

/* A temporary of an output: .NAME.tmp (pilotsim 0.2.0) or .NAME.XXXXXX.tmp. */
static int is_temporary(enum level lv, const char *name)
{
    size_t n = strlen(name);
    if (n < 6 || name[0] != '.' || strcmp(name + n - 4, ".tmp"))
        return 0;
    size_t inner = n - 5; /* NAME or NAME.XXXXXX, between the dots */
    if (is_output(lv, name + 1, inner))
        return 1;
    return inner > 7 && name[n - 11] == '.' && is_output(lv, name + 1, inner - 7);
}

/* A chart's temporary (chart.c): .NAME.tmp-PID-K.png or .svg. */
static int is_chart_temporary(const char *name)
{
    const char *mark = strstr(name, ".tmp-");
    size_t n = strlen(name);
    if (name[0] != '.' || !mark || mark == name + 1 || n < 4 ||
        (strcmp(name + n - 4, ".png") && strcmp(name + n - 4, ".svg")))
        return 0;
    const char *p = mark + 5, *ext = name + n - 4;
    size_t digits = strspn(p, "0123456789");
    if (!digits || p[digits] != '-')
        return 0;
    p += digits + 1;
    digits = strspn(p, "0123456789");
    if (!digits || p + digits != ext)
        return 0;
    char chart[NAME_MAX + 1];
    size_t stem = (size_t)(mark - name - 1);
    if (stem + 4 > NAME_MAX)
        return 0;
    memcpy(chart, name + 1, stem);
    memcpy(chart + stem, ext, 5);
    return is_chart(chart);
}

static int is_known(enum level lv, const char *name)
{
    return is_output(lv, name, strlen(name)) || is_temporary(lv, name) ||
           (lv == LEVEL_CHARTS && is_chart_temporary(name));
}

int outdir_known(const char *rel)
{
    const char *slash = strchr(rel, '/');
    if (!slash)
        return is_known(LEVEL_RUN, rel);
    if (!strncmp(rel, "charts/", 7))
        return !strchr(rel + 7, '/') && is_known(LEVEL_CHARTS, rel + 7);
    for (size_t i = 0; i < N_OF(sub_runs); i++) {
        size_t n = strlen(sub_runs[i]);
        if (strncmp(rel, sub_runs[i], n) || rel[n] != '/')
            continue;
        const char *label = rel + n + 1, *end = strchr(label, '/');
        if (!end || end == label || !strncmp(label, "../", 3) || !strncmp(label, "./", 2))
            return 0;
        /* A plan's or point's folder is a run's folder, without sub-runs. */
        for (size_t j = 0; j < N_OF(sub_runs); j++)
            if (!strncmp(end + 1, sub_runs[j], strlen(sub_runs[j])) &&
                end[1 + strlen(sub_runs[j])] == '/')
                return 0;
        return outdir_known(end + 1);
    }
    return 0;
}

/* ---- walking an earlier run's outputs ---- */

/* What a walk does with each output it finds. */
struct walk {
    int remove;                /* 1: unlink it; 0: compare with the inputs */
    const struct stat *inputs; /* [n_inputs]: stat and lstat of each input */
    size_t n_inputs;
    const char *root;                  /* for messages */
    char where[PATH_MAX];              /* the folder being walked, relative */
    char hit[PATH_MAX + NAME_MAX + 1]; /* the output that is an input */
    FILE *err;
};

/* Visit the outputs among fd's entries at level lv. -1 when an input was
 * found (check) or an output could not be removed (message on err). */
static int walk_files(struct walk *w, int fd, enum level lv)
{
    int dup_fd = dup(fd);
    DIR *dir = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
    if (!dir) {
        if (dup_fd >= 0)
            close(dup_fd);
        fprintf(w->err, "pilotsim: cannot read %s/%s: %s\n", w->root, w->where, strerror(errno));
        return -1;
    }
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(dir))) {
        struct stat st;
        if (!is_known(lv, e->d_name) || fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
            S_ISDIR(st.st_mode))
            continue;
        if (!w->remove) {
            for (size_t i = 0; i < w->n_inputs; i++)
                if (w->inputs[i].st_dev == st.st_dev && w->inputs[i].st_ino == st.st_ino) {
                    snprintf(w->hit, sizeof w->hit, "%s%s", w->where, e->d_name);
                    rc = -1;
                }
        } else if (unlinkat(fd, e->d_name, 0) != 0 && errno != ENOENT) {
            fprintf(w->err, "pilotsim: cannot remove %s/%s%s, an earlier run's output: %s\n",
                    w->root, w->where, e->d_name, strerror(errno));
            rc = -1;
        }
    }
    closedir(dir);
    return rc;
}

/* A sub-folder by name, never through a link; -1 if there is none. */
static int open_sub(int fd, const char *name)
{
    return openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

static int walk_run(struct walk *w, int fd, int top);

/* Each folder of sub (plans/ or points/, open at fd's `name`) as a run's. */
static int walk_sub_runs(struct walk *w, int fd, int sub, const char *name, size_t mark)
{
    int dup_fd = dup(sub), rc = 0;
    DIR *dir = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
    struct dirent *e;
    while (rc == 0 && dir && (e = readdir(dir))) {
        int run;
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
            (run = open_sub(sub, e->d_name)) < 0)
            continue;
        snprintf(w->where + mark, sizeof w->where - mark, "%s/%s/", name, e->d_name);
        rc = walk_run(w, run, 0);
        close(run);
        if (w->remove)
            unlinkat(sub, e->d_name, AT_REMOVEDIR);
    }
    if (dir)
        closedir(dir);
    else if (dup_fd >= 0)
        close(dup_fd);
    if (w->remove)
        unlinkat(fd, name, AT_REMOVEDIR);
    return rc;
}

/* A run's folder: its files, charts/ and (at the top) plans/LABEL/ and
 * points/POINT/. Emptied sub-folders are removed; one that holds anything
 * else stays. */
static int walk_run(struct walk *w, int fd, int top)
{
    size_t mark = strlen(w->where);
    int rc = walk_files(w, fd, LEVEL_RUN), sub;
    if (rc == 0 && (sub = open_sub(fd, "charts")) >= 0) {
        snprintf(w->where + mark, sizeof w->where - mark, "charts/");
        rc = walk_files(w, sub, LEVEL_CHARTS);
        close(sub);
        if (w->remove)
            unlinkat(fd, "charts", AT_REMOVEDIR);
    }
    for (size_t i = 0; rc == 0 && top && i < N_OF(sub_runs); i++)
        if ((sub = open_sub(fd, sub_runs[i])) >= 0) {
            rc = walk_sub_runs(w, fd, sub, sub_runs[i], mark);
            close(sub);
        }
    w->where[mark] = '\0';
    return rc;
}

/* ---- the process's list of created files (read by the signal handler) ---- */

struct note {
    char *path;
    int dir; /* a folder: rmdir, not unlink */
};

static struct note *notes; /* in creation order */
static size_t n_notes, cap_notes;
static struct outdir *current; /* the open directory, or NULL */

static void note(const char *path, int dir)
{
    if (!current)
        return;
    sigset_t all, old;
    sigfillset(&all);
    /* The handler must never see the list half-changed. */
    sigprocmask(SIG_BLOCK, &all, &old);
    if (n_notes == cap_notes) {
        size_t cap = cap_notes ? cap_notes * 2 : 32;
        struct note *grown = realloc(notes, cap * sizeof *grown);
        if (grown) {
            notes = grown;
            cap_notes = cap;
        }
    }
    char *copy = n_notes < cap_notes ? strdup(path) : NULL;
    if (copy)
        notes[n_notes++] = (struct note){copy, dir};
    sigprocmask(SIG_SETMASK, &old, NULL);
}

void outdir_note(const char *path)
{
    note(path, 0);
}
void outdir_note_dir(const char *path)
{
    note(path, 1);
}

static void notes_free(void)
{
    sigset_t all, old;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &old);
    for (size_t i = 0; i < n_notes; i++)
        free(notes[i].path);
    free(notes);
    notes = NULL;
    n_notes = cap_notes = 0;
    sigprocmask(SIG_SETMASK, &old, NULL);
}

/* The interruption: files first, then folders, newest first, while the
 * lock is still ours; then the lock, then the folders outdir_open made.
 * Async-signal-safe: unlink, rmdir and unlinkat only. */
static void on_interrupt(void)
{
    for (size_t i = n_notes; i-- > 0;)
        if (!notes[i].dir)
            unlink(notes[i].path);
    for (size_t i = n_notes; i-- > 0;)
        if (notes[i].dir)
            rmdir(notes[i].path);
    if (current) {
        unlinkat(current->dir_fd, OUTDIR_LOCK, 0);
        for (size_t i = current->n_created; i-- > 0;)
            rmdir(current->created[i]);
    }
}

/* ---- open and close ---- */

/* mkdir -p, remembering the folders it made. */
static int make_dirs(struct outdir *d, FILE *err)
{
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", d->path);
    for (char *p = buf + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        if (mkdir(buf, 0777) == 0) {
            if (d->n_created < OUTDIR_MAX_CREATED)
                snprintf(d->created[d->n_created++], OUTDIR_PATH_MAX, "%s", buf);
        } else if (errno != EEXIST) {
            fprintf(err, "pilotsim: cannot create %s: %s\n", buf, strerror(errno));
            return -1;
        }
        *p = c;
        if (c == '\0')
            return 0;
    }
}

/* Would the command write or remove one of its inputs? Walks the outputs
 * already in the directory (an input that is not there cannot be hit). */
static enum outdir_status check_inputs(struct outdir *d, const char *const *inputs, size_t n,
                                       FILE *err)
{
    struct stat *st = calloc(2 * n + 1, sizeof *st);
    size_t k = 0;
    if (!st) {
        fprintf(err, "pilotsim: out of memory\n");
        return OUTDIR_FAILED;
    }
    for (size_t i = 0; i < n; i++) {
        if (stat(inputs[i], &st[k]) == 0)
            k++;
        if (lstat(inputs[i], &st[k]) == 0)
            k++;
    }
    int fd = open(d->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    enum outdir_status rc = OUTDIR_OK;
    if (fd >= 0) {
        struct walk w = {.remove = 0, .inputs = st, .n_inputs = k, .root = d->path, .err = err};
        if (walk_run(&w, fd, 1) < 0) {
            if (w.hit[0]) {
                fprintf(err,
                        "pilotsim: %s/%s is an input of this command, and the command "
                        "writes its outputs there (choose another -o DIR)\n",
                        d->path, w.hit);
                rc = OUTDIR_REFUSED;
            } else {
                rc = OUTDIR_FAILED;
            }
        }
        close(fd);
    }
    free(st);
    return rc;
}

/* The pid of the command holding the lock, from the lock file (0: unknown). */
static long holder(int fd)
{
    char buf[32];
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    return strtol(buf, NULL, 10);
}

/* Take the lock. A holder removes the lock file when it ends, so the file
 * locked may no longer be the one at the name: then try again. */
static enum outdir_status take_lock(struct outdir *d, FILE *err)
{
    for (int tries = 0; tries < 100; tries++) {
        d->lock_fd =
            openat(d->dir_fd, OUTDIR_LOCK, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (d->lock_fd < 0) {
            fprintf(err, "pilotsim: cannot lock %s/%s: %s\n", d->path, OUTDIR_LOCK,
                    errno == ELOOP ? "it is a symbolic link" : strerror(errno));
            return OUTDIR_FAILED;
        }
        if (flock(d->lock_fd, LOCK_EX | LOCK_NB) != 0) {
            int e = errno;
            long pid = e == EWOULDBLOCK ? holder(d->lock_fd) : 0;
            close(d->lock_fd);
            d->lock_fd = -1;
            if (e != EWOULDBLOCK) {
                fprintf(err, "pilotsim: cannot lock %s/%s: %s\n", d->path, OUTDIR_LOCK,
                        strerror(e));
                return OUTDIR_FAILED;
            }
            char who[48] = "";
            if (pid > 0)
                snprintf(who, sizeof who, " (pid %ld)", pid);
            fprintf(err,
                    "pilotsim: %s is in use by another pilotsim command%s; wait for it "
                    "to end or choose another -o DIR\n",
                    d->path, who);
            return OUTDIR_FAILED;
        }
        struct stat held, named;
        if (fstat(d->lock_fd, &held) == 0 &&
            fstatat(d->dir_fd, OUTDIR_LOCK, &named, AT_SYMLINK_NOFOLLOW) == 0 &&
            held.st_dev == named.st_dev && held.st_ino == named.st_ino) {
            char pid[32];
            int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
            /* The pid only serves the other command's message: a failure
             * to write it is no reason to stop. */
            if (ftruncate(d->lock_fd, 0) == 0 && pwrite(d->lock_fd, pid, (size_t)n, 0) != n)
                (void)ftruncate(d->lock_fd, 0);
            return OUTDIR_OK;
        }
        close(d->lock_fd);
        d->lock_fd = -1;
    }
    fprintf(err, "pilotsim: cannot lock %s: the lock file keeps changing\n", d->path);
    return OUTDIR_FAILED;
}

enum outdir_status outdir_open(struct outdir *d, const char *path, const char *const *inputs,
                               size_t n_inputs, int flags, FILE *err)
{
    memset(d, 0, sizeof *d);
    d->dir_fd = d->lock_fd = -1;
    if (strlen(path) >= sizeof d->path || !*path) {
        fprintf(err, "pilotsim: %s: not a usable output directory name\n", path);
        return OUTDIR_FAILED;
    }
    snprintf(d->path, sizeof d->path, "%s", path);
    /* Before anything is made: a refusal writes nothing. */
    enum outdir_status st =
        (flags & OUTDIR_CLEAR) ? check_inputs(d, inputs, n_inputs, err) : OUTDIR_OK;
    if (st != OUTDIR_OK)
        return st;
    if (make_dirs(d, err) < 0) {
        outdir_close(d);
        return OUTDIR_FAILED;
    }
    d->dir_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (d->dir_fd < 0) {
        fprintf(err, "pilotsim: %s: %s\n", path,
                errno == ENOTDIR ? "not a directory" : strerror(errno));
        outdir_close(d);
        return OUTDIR_FAILED;
    }
    if ((st = take_lock(d, err)) != OUTDIR_OK) {
        outdir_close(d);
        return st;
    }
    if (flags & OUTDIR_CLEAR) {
        struct walk w = {.remove = 1, .root = d->path, .err = err};
        if (walk_run(&w, d->dir_fd, 1) < 0) {
            outdir_close(d);
            return OUTDIR_FAILED;
        }
    }
    current = d;
    proc_guard(on_interrupt);
    return OUTDIR_OK;
}

void outdir_close(struct outdir *d)
{
    if (current == d) {
        proc_unguard();
        current = NULL;
        notes_free();
    }
    /* The lock file goes while still locked: a command waiting on the old
     * file sees it is no longer the one at the name and takes a new one. */
    if (d->lock_fd >= 0) {
        unlinkat(d->dir_fd, OUTDIR_LOCK, 0);
        close(d->lock_fd);
        d->lock_fd = -1;
    }
    if (d->dir_fd >= 0) {
        close(d->dir_fd);
        d->dir_fd = -1;
    }
    for (size_t i = d->n_created; i-- > 0;)
        rmdir(d->created[i]);
    d->n_created = 0;
}

/* A name nobody can guess in advance is not needed (O_EXCL never follows or
 * reuses a file), only one that differs between tries. */
int outdir_tmp(const char *dir, const char *name, char *tmp, size_t size)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    static unsigned long counter;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    unsigned long long x = (unsigned long long)ts.tv_nsec ^ ((unsigned long long)getpid() << 32);
    for (int tries = 0; tries < 100; tries++) {
        char suffix[7];
        x = x * 6364136223846793005ULL + 1442695040888963407ULL + ++counter;
        for (int i = 0; i < 6; i++)
            suffix[i] = alphabet[(x >> (58 - 6 * i)) % (sizeof alphabet - 1)];
        suffix[6] = '\0';
        if (snprintf(tmp, size, "%s/.%s.%s.tmp", dir, name, suffix) >= (int)size) {
            errno = ENAMETOOLONG;
            return -1;
        }
        /* Noted only once it is ours, and before a signal can come. */
        sigset_t all, old;
        sigfillset(&all);
        sigprocmask(SIG_BLOCK, &all, &old);
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
        int e = errno;
        if (fd >= 0)
            outdir_note(tmp);
        sigprocmask(SIG_SETMASK, &old, NULL);
        errno = e;
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    errno = EEXIST;
    return -1;
}

/* ---- what a directory holds ---- */

/* The file that marks each kind, in the order they are tried: a kind whose
 * folder also holds another kind's files comes first (a compare's and a
 * sweep's may hold a top-level summary.json; a run's marker is a pair). */
static const struct {
    enum outdir_kind kind;
    const char *name, *marker, *marker2;
} kinds[] = {
    {OUTDIR_KIND_CALIBRATE, "calibrate", "calibrate.json", NULL},
    {OUTDIR_KIND_COMPARE, "compare", "compare.csv", NULL},
    {OUTDIR_KIND_SWEEP, "sweep", "sweep.csv", NULL},
    {OUTDIR_KIND_LOADTEST, "loadtest", "loadtest.csv", NULL},
    {OUTDIR_KIND_RUN, "run", "timeseries.csv", "summary.json"},
};

/* Is dir/name a regular file (links followed: a user may link outputs)? */
static int has_file(const char *dir, const char *name)
{
    char path[OUTDIR_PATH_MAX];
    struct stat st;
    return snprintf(path, sizeof path, "%s/%s", dir, name) < (int)sizeof path &&
           stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

enum outdir_kind outdir_kind(const char *dir, FILE *err)
{
    struct stat st;
    if (stat(dir, &st) != 0) {
        fprintf(err, "pilotsim: %s: %s (expected the output directory of a pilotsim command)\n",
                dir, strerror(errno));
        return OUTDIR_KIND_NONE;
    }
    if (!S_ISDIR(st.st_mode)) {
        fprintf(err,
                "pilotsim: %s is not a directory (expected the output directory of a "
                "pilotsim command)\n",
                dir);
        return OUTDIR_KIND_NONE;
    }
    for (size_t i = 0; i < N_OF(kinds); i++)
        if (has_file(dir, kinds[i].marker) &&
            (!kinds[i].marker2 || has_file(dir, kinds[i].marker2)))
            return kinds[i].kind;
    fprintf(err,
            "pilotsim: %s holds no pilotsim output (expected summary.json with timeseries.csv, "
            "compare.csv, sweep.csv, loadtest.csv or calibrate.json)\n",
            dir);
    return OUTDIR_KIND_NONE;
}

const char *outdir_kind_name(enum outdir_kind kind)
{
    for (size_t i = 0; i < N_OF(kinds); i++)
        if (kinds[i].kind == kind)
            return kinds[i].name;
    return "none";
}
