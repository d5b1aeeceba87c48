/* chart: one gnuplot run that writes one chart whole or not at all. */
#include "output/chart.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "output/outdir.h"
#include "output/proc.h"

/* A relative path as gnuplot must see it: a name that starts with '<' or
 * '|' would be a command to gnuplot's `plot`, `load` and `set output`, so
 * every path we pass starts with '/' or "./". The result is malloc'd. */
static char *gp_path(const char *path)
{
    size_t n = strlen(path) + 3;
    char *out = malloc(n);
    if (out)
        snprintf(out, n, "%s%s", path[0] == '/' ? "" : "./", path);
    return out;
}

/* What gnuplot printed (its stdout and stderr): kept to quote when it fails,
 * dropped when it succeeds. Past the cap, the oldest half goes: the error
 * that ends a failed run comes last. */
#define SAID_MAX 16384
struct said {
    char text[SAID_MAX];
    size_t n;
    int cut; /* something was dropped from the front */
};

static void said_add(struct said *s, const char *p, size_t n)
{
    if (n > SAID_MAX / 2) { /* a huge read: its tail alone */
        p += n - SAID_MAX / 2;
        n = SAID_MAX / 2;
        s->n = 0;
        s->cut = 1;
    }
    if (s->n + n > SAID_MAX) { /* full: keep the newer half */
        size_t drop = s->n + n - SAID_MAX / 2;
        memmove(s->text, s->text + drop, s->n - drop);
        s->n -= drop;
        s->cut = 1;
    }
    memcpy(s->text + s->n, p, n);
    s->n += n;
}

/* Run gnuplot with argv, its output read from a pipe into `said` until it
 * exits (reading as it goes, so a talkative gnuplot never blocks on a full
 * pipe). 0 with its wait status in *status, or -1 (it could not start:
 * the message is on err). */
static int gp_spawn(char *const argv[], struct said *said, int *status, FILE *err)
{
    int fd[2];
    if (pipe(fd) != 0) {
        fprintf(err, "pilotsim: cannot run gnuplot: %s\n", strerror(errno));
        return -1;
    }
    /* Our end must not leak into other children (the replication farm's). */
    fcntl(fd[0], F_SETFD, FD_CLOEXEC);
    fcntl(fd[1], F_SETFD, FD_CLOEXEC);
    pid_t pid;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    /* gnuplot reads nothing from us: give it /dev/null, not our terminal;
     * what it prints goes to the pipe, not to the user. */
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fd[1], 1);
    posix_spawn_file_actions_adddup2(&fa, fd[1], 2);
    /* proc_spawnp: an interrupted command kills gnuplot too (proc.h). */
    int rc = proc_spawnp(&pid, "gnuplot", &fa, argv);
    posix_spawn_file_actions_destroy(&fa);
    close(fd[1]);
    if (rc != 0) {
        close(fd[0]);
        fprintf(err, "pilotsim: cannot run gnuplot: %s (install gnuplot-nox, or use --no-charts)\n",
                strerror(rc));
        return -1;
    }
    char buf[4096];
    for (;;) {
        ssize_t n = read(fd[0], buf, sizeof buf);
        if (n > 0)
            said_add(said, buf, (size_t)n);
        else if (n == 0 || errno != EINTR)
            break;
    }
    close(fd[0]);
    if (proc_wait(pid, status) < 0) {
        fprintf(err, "pilotsim: waiting for gnuplot: %s\n", strerror(errno));
        return -1;
    }
    return 0;
}

/* PNG: the signature, then chunks (length, type, data, CRC-32 of type and
 * data) from IHDR to IEND, and nothing after IEND. Every CRC is checked, so
 * a file with a hole (a write that failed, then one that did not) fails
 * as surely as a cut one. */
static uint32_t png_crc(uint32_t crc, const unsigned char *p, size_t n)
{
    while (n--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
    }
    return crc;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int png_complete(const unsigned char *p, size_t n)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (n < 8 || memcmp(p, sig, 8) != 0)
        return 0;
    for (size_t at = 8, first = 1; n - at >= 12; first = 0) {
        uint32_t len = be32(p + at);
        if (len > n - at - 12)
            return 0;
        const unsigned char *type = p + at + 4;
        if (first && memcmp(type, "IHDR", 4) != 0)
            return 0;
        if (png_crc(0xFFFFFFFFu, type, 4 + (size_t)len) ^ 0xFFFFFFFFu ^ be32(type + 4 + len))
            return 0;
        at += 12 + (size_t)len;
        if (memcmp(type, "IEND", 4) == 0)
            return at == n;
    }
    return 0;
}

/* SVG: the XML declaration or <svg first, the closing </svg> last
 * (whitespace after it aside). gnuplot writes the file front to back, so a
 * cut file lacks the end. */
static int svg_complete(const unsigned char *p, size_t n)
{
    while (n > 0 && (p[n - 1] == '\n' || p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    return n >= 11 && (memcmp(p, "<?xml", 5) == 0 || memcmp(p, "<svg", 4) == 0) &&
           memcmp(p + n - 6, "</svg>", 6) == 0;
}

int chart_file_complete(const char *path)
{
    size_t len = strlen(path);
    int png = len > 4 && strcmp(path + len - 4, ".png") == 0;
    int svg = len > 4 && strcmp(path + len - 4, ".svg") == 0;
    FILE *f = png || svg ? fopen(path, "rb") : NULL;
    if (!f)
        return 0;
    unsigned char *data = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n == cap) {
            unsigned char *grown = realloc(data, cap = cap ? 2 * cap : 65536);
            if (!grown)
                break;
            data = grown;
        }
        size_t got = fread(data + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    int ok = !ferror(f) && data && (png ? png_complete(data, n) : svg_complete(data, n));
    fclose(f);
    free(data);
    return ok;
}

static const char *const chart_ext[2] = {".png", ".svg"};

/* The temporaries are made first, exclusively, so that gnuplot never
 * writes through a name someone else made (a stale temporary, a link).
 * Both names share `base` (size bytes each); 0 when both files exist,
 * else -1 after the message (none of ours is left). */
static int make_temporaries(const struct chart *c, size_t size, char *base, char *tmp[2],
                            char *const final[2], FILE *err)
{
    /* A name of our own for both files; another (a stale temporary, a link
     * planted there) is never opened, we take the next. */
    for (unsigned k = 0; k < 1000; k++) {
        snprintf(base, size, "%s/.%s.tmp-%ld-%u", c->charts_dir, c->name, (long)getpid(), k);
        int fd[2] = {-1, -1};
        for (int i = 0; i < 2; i++) {
            snprintf(tmp[i], size, "%s%s", base, chart_ext[i]);
            fd[i] = open(tmp[i], O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
            if (fd[i] < 0)
                break;
            outdir_note(tmp[i]); /* an interruption removes it */
        }
        int saved = errno;
        for (int i = 0; i < 2; i++)
            if (fd[i] >= 0)
                close(fd[i]);
        if (fd[0] >= 0 && fd[1] >= 0)
            return 0;
        if (fd[0] >= 0)
            unlink(tmp[0]);
        if (saved != EEXIST) {
            fprintf(err, "pilotsim: cannot write chart %s: %s\n", final[0], strerror(saved));
            return -1;
        }
    }
    fprintf(err, "pilotsim: cannot write chart %s: no free temporary name\n", final[0]);
    return -1;
}

/* Say why gnuplot failed (its wait status), then its own words, blank
 * lines trimmed, after ours. */
static void report_gnuplot_failure(const struct chart *c, int status, const struct said *said,
                                   FILE *err)
{
    if (WIFSIGNALED(status))
        fprintf(err, "pilotsim: cannot draw chart %s/%s: gnuplot was killed by signal %d",
                c->charts_dir, c->name, WTERMSIG(status));
    else
        fprintf(err, "pilotsim: cannot draw chart %s/%s: gnuplot failed (exit status %d)",
                c->charts_dir, c->name, WEXITSTATUS(status));
    size_t from = 0, to = said->n;
    while (from < to && (said->text[from] == '\n' || said->text[from] == '\r'))
        from++;
    while (to > from && (said->text[to - 1] == '\n' || said->text[to - 1] == '\r'))
        to--;
    if (to > from)
        fprintf(err, "; it said:\n%s%.*s\n", said->cut ? "[...]\n" : "", (int)(to - from),
                said->text + from);
    else
        fputc('\n', err);
}

/* Give the temporaries gnuplot wrote their final names, once both are
 * checked complete: 0, or -1 after the message (a file cut short by a full
 * disk is told from a damaged one). */
static int install_charts(const struct chart *c, char *const tmp[2], char *const final[2],
                          FILE *err)
{
    for (int i = 0; i < 2; i++)
        if (!chart_file_complete(tmp[i])) {
            /* statvfs tells a full disk from another failed write. */
            struct statvfs fs;
            int full = statvfs(c->charts_dir, &fs) == 0 && fs.f_bavail == 0;
            struct stat st;
            long long bytes = stat(tmp[i], &st) == 0 ? (long long)st.st_size : 0;
            if (full)
                fprintf(err,
                        "pilotsim: cannot write chart %s: no space left on device "
                        "(gnuplot's file is incomplete, %lld bytes)\n",
                        final[i], bytes);
            else
                fprintf(err,
                        "pilotsim: cannot write chart %s: the file gnuplot wrote is "
                        "incomplete or damaged (%lld bytes)\n",
                        final[i], bytes);
            return -1;
        }
    for (int i = 0; i < 2; i++)
        outdir_note(final[i]);
    for (int i = 0; i < 2; i++)
        if (rename(tmp[i], final[i]) != 0) {
            fprintf(err, "pilotsim: cannot write chart %s: %s\n", final[i], strerror(errno));
            return -1;
        }
    return 0;
}

/* Run the chart's script with the temporaries' common name `base` as its
 * output, then install what it drew: 0, or -1 after the message. */
static int draw_into(const struct chart *c, char *script, char *arg1, const char *base,
                     char *const tmp[2], char *const final[2], FILE *err)
{
    char *out = gp_path(base);
    char *argv[CHART_MAX_REST + 6] = {"gnuplot", "-c", script, arg1, out};
    for (size_t i = 0; i < c->n_rest; i++)
        argv[5 + i] = (char *)c->rest[i]; /* posix_spawn's argv is not const */
    argv[5 + c->n_rest] = NULL;
    struct said *said = calloc(1, sizeof *said);
    int status, rc = -1;
    if (!out || !said)
        fprintf(err, "pilotsim: out of memory drawing %s/%s\n", c->charts_dir, c->name);
    else if (gp_spawn(argv, said, &status, err) < 0)
        ;
    else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        report_gnuplot_failure(c, status, said, err);
    else
        rc = install_charts(c, tmp, final, err);
    free(said);
    free(out);
    return rc;
}

int chart_draw(const struct chart *c, FILE *err)
{
    size_t size = strlen(c->charts_dir) + strlen(c->name) + 64;
    char *base = malloc(size), *tmp[2] = {malloc(size), malloc(size)};
    char *final[2] = {malloc(size), malloc(size)};
    char *script = gp_path(c->script), *arg1 = gp_path(c->arg1);
    int rc = -1;
    assert(c->n_rest <= CHART_MAX_REST);
    if (!base || !tmp[0] || !tmp[1] || !final[0] || !final[1] || !script || !arg1) {
        fprintf(err, "pilotsim: out of memory drawing %s/%s\n", c->charts_dir, c->name);
    } else {
        for (int i = 0; i < 2; i++)
            snprintf(final[i], size, "%s/%s%s", c->charts_dir, c->name, chart_ext[i]);
        if (make_temporaries(c, size, base, tmp, final, err) == 0) {
            rc = draw_into(c, script, arg1, base, tmp, final, err);
            /* Whatever was not renamed is a temporary: none is left. */
            for (int i = 0; i < 2; i++)
                unlink(tmp[i]);
        }
    }
    free(base);
    free(script);
    free(arg1);
    for (int i = 0; i < 2; i++) {
        free(tmp[i]);
        free(final[i]);
    }
    return rc;
}
