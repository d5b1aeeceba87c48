/* Unit tests of outdir and proc: the table of outputs, exclusive
 * temporaries that follow no link, the lock, the clearing of an earlier
 * run's files (and nothing else), the input guard, and what a signal does
 * to a command's files and children. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "output/outdir.h"
#include "output/proc.h"
#include "output/report.h"
#include "test.h"

static char root[256];

/* root/rel, in a static buffer per call slot (two live at once). */
static const char *at(const char *rel)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", root, rel);
    return buf[k];
}

static void put(const char *rel, const char *text)
{
    FILE *f = fopen(at(rel), "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static int exists(const char *rel)
{
    struct stat st;
    return lstat(at(rel), &st) == 0;
}

static int holds(const char *rel, const char *text)
{
    char buf[256] = "";
    FILE *f = fopen(at(rel), "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = '\0';
    return f && strcmp(buf, text) == 0;
}

static int write_text(FILE *f, const void *ctx)
{
    return fputs(ctx, f) < 0 ? -1 : 0;
}

/* A process exists and is not a zombie (a killed child of a dead parent
 * may wait a moment for init to reap it). */
static int alive(pid_t pid)
{
    char path[64], buf[256];
    snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return kill(pid, 0) == 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *close_paren = strrchr(buf, ')');
    return !(close_paren && close_paren[1] == ' ' && close_paren[2] == 'Z');
}

/* Wait up to 5 s for a process to be gone. */
static int gone(pid_t pid)
{
    for (int i = 0; i < 500; i++) {
        if (!alive(pid))
            return 1;
        struct timespec d = {0, 10000000};
        nanosleep(&d, NULL);
    }
    return 0;
}

/* Names outdir_known takes for pilotsim's outputs, and names it must not. */
static const char *const known_yes[] = {"summary.json",
                                        "timeseries.csv",
                                        "scenario.yaml",
                                        "replications.csv",
                                        "compare.csv",
                                        "compare.md",
                                        "sweep.csv",
                                        "calibrate.json",
                                        "calibrate.md",
                                        "calibrate.csv",
                                        "calibrate-trajectory.csv",
                                        "calibrated.yaml",
                                        "charts/calibrate.png",
                                        "loadtest.csv",
                                        "loadtest_resources.csv",
                                        "report.html",
                                        "plans/a/report.html",
                                        "charts/adoption.png",
                                        "charts/latency.svg",
                                        "charts/loadtest-knee.png",
                                        "charts/sweep-total.adoption.svg",
                                        "plans/a/summary.json",
                                        "plans/x y/charts/throughput.png",
                                        "report.html",
                                        "points/07/summary.json",
                                        "points/0/charts/adoption.svg",
                                        "points/3/report.html",
                                        ".summary.json.tmp",
                                        ".timeseries.csv.Ab3dEf.tmp",
                                        "charts/.adoption.png.tmp",
                                        "plans/a/.scenario.yaml.q1w2e3.tmp",
                                        "charts/.adoption.tmp-123-0.png",
                                        "charts/.sweep-total.payments.tmp-9-12.svg"};
static const char *const known_no[] = {"notes.txt",
                                       "summary.json.bak",
                                       "scenario.yml",
                                       "charts/mine.png",
                                       "charts/sweep-.png",
                                       "charts/adoption.pdf",
                                       "charts/sub/adoption.png",
                                       "plans/summary.json",
                                       "plans/../summary.json",
                                       "plans/a/plans/b/summary.json",
                                       "points/summary.json",
                                       "points/../summary.json",
                                       "points/1/points/2/summary.json",
                                       "points/1/plans/2/summary.json",
                                       "other/summary.json",
                                       ".summary.json",
                                       ".summary.json.tmpx",
                                       ".notes.txt.tmp",
                                       ".summary.json.abcdefg.tmp",
                                       "charts",
                                       "plans/a",
                                       ".pilotsim.lock",
                                       "charts/.adoption.tmp-123-0.pdf",
                                       "charts/.mine.tmp-1-2.png",
                                       "charts/.adoption.tmp-1.png",
                                       "charts/.adoption.tmp-x-1.png"};

static void test_known(void)
{
    for (size_t i = 0; i < test_len(known_yes); i++)
        check(outdir_known(known_yes[i]), "%s is a pilotsim output", known_yes[i]);
    for (size_t i = 0; i < test_len(known_no); i++)
        check(!outdir_known(known_no[i]), "%s is not", known_no[i]);
}

/* The reproducer: DIR/.summary.json.tmp, a link, overwrote its target. */
static void test_temporaries(void)
{
    put("victim", "precious");
    check(symlink(at("victim"), at(".summary.json.tmp")) == 0, "a link at 0.2.0's fixed temporary");
    check(symlink(at("victim"), at("summary.json")) == 0, "and a link at the final name");
    check(report_atomic(root, "summary.json", write_text, "{}\n", stderr) == 0,
          "report_atomic writes beside the links");
    check(holds("victim", "precious"), "the links' target is untouched");
    struct stat st;
    check(lstat(at("summary.json"), &st) == 0 && S_ISREG(st.st_mode) &&
              holds("summary.json", "{}\n"),
          "summary.json is a regular file with the new contents (the link was replaced)");
    char a[512], b[512];
    int fa = outdir_tmp(root, "x.csv", a, sizeof a), fb = outdir_tmp(root, "x.csv", b, sizeof b);
    check(fa >= 0 && fb >= 0 && strcmp(a, b) != 0, "two temporaries of one name differ (%s, %s)", a,
          b);
    check(strncmp(a + strlen(root), "/.x.csv.", 8) == 0 && strlen(a) == strlen(root) + 18,
          "a temporary is DIR/.NAME.XXXXXX.tmp");
    close(fa);
    close(fb);
    unlink(a);
    unlink(b);
    unlink(at(".summary.json.tmp"));
    unlink(at("summary.json"));
    unlink(at("victim"));
}

static void test_lock(void)
{
    struct outdir d1, d2;
    check(outdir_open(&d1, at("locked"), NULL, 0, OUTDIR_CLEAR, stderr) == OUTDIR_OK,
          "the first command takes the directory");
    check(exists("locked/" OUTDIR_LOCK), "and holds its lock file");
    FILE *quiet = fopen("/dev/null", "w");
    check(outdir_open(&d2, at("locked"), NULL, 0, OUTDIR_CLEAR, quiet) == OUTDIR_FAILED,
          "a second is refused while it holds it");
    check(d2.dir_fd < 0 && d2.lock_fd < 0, "and keeps nothing open");
    check(outdir_open(&d2, at("locked"), NULL, 0, 0, quiet) == OUTDIR_FAILED,
          "so is a redraw (no clearing)");
    put("locked/summary.json", "{}");
    outdir_close(&d1);
    check(!exists("locked/" OUTDIR_LOCK), "closing removes the lock file");
    check(exists("locked/summary.json"), "but not the outputs");
    check(outdir_open(&d2, at("locked"), NULL, 0, OUTDIR_CLEAR, stderr) == OUTDIR_OK,
          "then the next command takes it");
    check(!exists("locked/summary.json"), "and clears the earlier outputs");
    outdir_close(&d2);
    check(exists("locked"), "a folder it did not make stays");
    rmdir(at("locked"));
    check(outdir_open(&d2, at("fresh/deeper"), NULL, 0, OUTDIR_CLEAR, stderr) == OUTDIR_OK &&
              exists("fresh/deeper"),
          "a command makes its folder and parents");
    outdir_close(&d2);
    check(!exists("fresh"), "folders it made and left empty are removed at close");
    /* A lock file that is a link is refused, never followed. */
    mkdir(at("linked"), 0777);
    put("target", "x");
    check(symlink(at("target"), at("linked/" OUTDIR_LOCK)) == 0, "a link as the lock file");
    check(outdir_open(&d1, at("linked"), NULL, 0, OUTDIR_CLEAR, quiet) == OUTDIR_FAILED,
          "is refused");
    check(holds("target", "x"), "and its target untouched");
    unlink(at("linked/" OUTDIR_LOCK));
    rmdir(at("linked"));
    unlink(at("target"));
    /* A file where the directory should be. */
    put("plain", "x");
    check(outdir_open(&d1, at("plain"), NULL, 0, OUTDIR_CLEAR, quiet) == OUTDIR_FAILED,
          "a file as the directory is refused");
    check(holds("plain", "x"), "and left alone");
    unlink(at("plain"));
    fclose(quiet);
}

/* test_clear: an earlier run's files, and the user's that must stay. */
static const char *const clear_earlier[] = {
    "c/summary.json",       "c/replications.csv",           "c/compare.md",
    "c/.summary.json.tmp",  "c/.timeseries.csv.AbCdEf.tmp", "c/charts/adoption.png",
    "c/charts/sweep-x.svg", "c/plans/a/summary.json",       "c/plans/a/timeseries.csv",
    "c/report.html"};
static const char *const clear_mine[] = {"c/notes.txt", "c/charts/mine.png", "c/plans/b/notes.txt",
                                         "c/summary.json.bak", "outside/adoption.png"};

static void test_clear(void)
{
    mkdir(at("c"), 0777);
    mkdir(at("c/charts"), 0777);
    mkdir(at("c/plans"), 0777);
    mkdir(at("c/plans/a"), 0777);
    mkdir(at("c/plans/b"), 0777);
    mkdir(at("outside"), 0777);
    for (size_t i = 0; i < test_len(clear_earlier); i++)
        put(clear_earlier[i], "old");
    for (size_t i = 0; i < test_len(clear_mine); i++)
        put(clear_mine[i], "mine");
    /* A link to a folder elsewhere, named like a plan: never followed. */
    check(symlink(at("outside"), at("c/plans/out")) == 0, "a plan folder that is a link");
    struct outdir d;
    check(outdir_open(&d, at("c"), NULL, 0, OUTDIR_CLEAR, stderr) == OUTDIR_OK, "open and clear");
    for (size_t i = 0; i < test_len(clear_earlier); i++)
        check(!exists(clear_earlier[i]), "an earlier run's %s is removed", clear_earlier[i]);
    for (size_t i = 0; i < test_len(clear_mine); i++)
        check(holds(clear_mine[i], "mine"), "the user's %s stays", clear_mine[i]);
    check(!exists("c/plans/a"), "an emptied plan folder is removed");
    check(exists("c/charts") && exists("c/plans/b") && exists("c/plans/out"),
          "folders holding other files stay");
    outdir_close(&d);
    check(exists("c/notes.txt") && !exists("c/" OUTDIR_LOCK), "close keeps the directory");
}

static void test_inputs(void)
{
    mkdir(at("own"), 0777);
    put("own/scenario.yaml", "name: mine\n");
    put("own/mine.yaml", "name: also mine\n");
    const char *input = at("own/scenario.yaml");
    struct outdir d;
    FILE *quiet = fopen("/dev/null", "w");
    check(outdir_open(&d, at("own"), &input, 1, OUTDIR_CLEAR, quiet) == OUTDIR_REFUSED,
          "an input named like an output in DIR is refused");
    check(holds("own/scenario.yaml", "name: mine\n"), "and survives byte for byte");
    check(!exists("own/" OUTDIR_LOCK), "nothing is written on a refusal");
    check(link(at("own/mine.yaml"), at("own/summary.json")) == 0, "a hard link named summary.json");
    input = at("own/mine.yaml");
    check(outdir_open(&d, at("own"), &input, 1, OUTDIR_CLEAR, quiet) == OUTDIR_REFUSED,
          "an input reached through another name is refused too");
    unlink(at("own/summary.json"));
    unlink(at("own/scenario.yaml"));
    check(outdir_open(&d, at("own"), &input, 1, OUTDIR_CLEAR, stderr) == OUTDIR_OK,
          "an input beside the outputs under its own name is fine");
    outdir_close(&d);
    check(holds("own/mine.yaml", "name: also mine\n"), "and is kept");
    fclose(quiet);
}

/* A command interrupted by SIGTERM: its children and files go, its
 * status is the signal's, what was in the directory before stays. */
static void test_interrupt(void)
{
    mkdir(at("int"), 0777);
    put("int/notes.txt", "mine");
    int p[2];
    check(pipe(p) == 0, "a pipe");
    pid_t cmd = fork();
    if (cmd == 0) {
        struct outdir d;
        close(p[0]);
        if (outdir_open(&d, at("int"), NULL, 0, OUTDIR_CLEAR, stderr) != OUTDIR_OK ||
            report_mkdir(at("int/plans/a"), stderr) < 0 ||
            report_atomic(at("int/plans/a"), "summary.json", write_text, "{}", stderr) < 0)
            _exit(3);
        pid_t w = proc_fork();
        if (w == 0) {
            pause();
            _exit(0);
        }
        pid_t g;
        char *argv[] = {"sleep", "30", NULL};
        if (w < 0 || proc_spawnp(&g, "sleep", NULL, argv) != 0)
            _exit(4);
        pid_t both[2] = {w, g};
        if (write(p[1], both, sizeof both) != sizeof both)
            _exit(5);
        for (;;)
            pause();
    }
    close(p[1]);
    pid_t kids[2] = {0, 0};
    check(read(p[0], kids, sizeof kids) == sizeof kids,
          "the command started a worker and a program");
    close(p[0]);
    check(exists("int/plans/a/summary.json") && exists("int/" OUTDIR_LOCK), "and wrote a file");
    kill(cmd, SIGTERM);
    int status = 0;
    waitpid(cmd, &status, 0);
    check(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "it dies of SIGTERM (status %d)",
          status);
    check(!alive(kids[0]) && !alive(kids[1]), "its worker and program died with it");
    check(!exists("int/plans") && !exists("int/" OUTDIR_LOCK), "its files and folders are gone");
    check(holds("int/notes.txt", "mine"), "the user's file stays");
}

/* SIGKILL cannot be caught: a worker still dies with its parent. */
static void test_parent_death(void)
{
    int p[2];
    check(pipe(p) == 0, "a pipe");
    pid_t cmd = fork();
    if (cmd == 0) {
        close(p[0]);
        pid_t w = proc_fork();
        if (w == 0) {
            pause();
            _exit(0);
        }
        if (w < 0 || write(p[1], &w, sizeof w) != sizeof w)
            _exit(5);
        for (;;)
            pause();
    }
    close(p[1]);
    pid_t w = 0;
    check(read(p[0], &w, sizeof w) == sizeof w && w > 0, "a worker started");
    close(p[0]);
    check(alive(w), "and runs");
    kill(cmd, SIGKILL);
    waitpid(cmd, NULL, 0);
    check(gone(w), "a worker whose parent was killed dies too");
    check(proc_children() == 0, "this process recorded no children");
}

/* outdir_kind: the kind from the files present, or one line why none. */
static const struct {
    const char *dir, *files; /* files: space-separated, made empty; NULL: no dir */
    enum outdir_kind want;
    const char *message; /* in the one line of a refusal */
} kind_cases[] = {
    {"k-run", "summary.json timeseries.csv", OUTDIR_KIND_RUN, NULL},
    {"k-compare", "compare.csv summary.json compare.md", OUTDIR_KIND_COMPARE, NULL},
    {"k-sweep", "sweep.csv summary.json", OUTDIR_KIND_SWEEP, NULL},
    {"k-loadtest", "loadtest.csv summary.json", OUTDIR_KIND_LOADTEST, NULL},
    {"k-calibrate", "calibrate.json calibrate.csv", OUTDIR_KIND_CALIBRATE, NULL},
    {"k-half", "summary.json notes.txt", OUTDIR_KIND_NONE, "holds no pilotsim output"},
    {"k-none", NULL, OUTDIR_KIND_NONE, "No such file or directory"},
};

static void test_kind(void)
{
    for (size_t i = 0; i < test_len(kind_cases); i++) {
        char files[128], msg[512] = "";
        if (kind_cases[i].files) {
            mkdir(at(kind_cases[i].dir), 0777);
            snprintf(files, sizeof files, "%s", kind_cases[i].files);
            for (char *f = strtok(files, " "); f; f = strtok(NULL, " ")) {
                char rel[256];
                snprintf(rel, sizeof rel, "%s/%s", kind_cases[i].dir, f);
                put(rel, "");
            }
        }
        FILE *err = tmpfile();
        enum outdir_kind k = outdir_kind(at(kind_cases[i].dir), err);
        rewind(err);
        size_t n = fread(msg, 1, sizeof msg - 1, err);
        msg[n] = '\0';
        fclose(err);
        check(k == kind_cases[i].want, "%s is a %s", kind_cases[i].dir, outdir_kind_name(k));
        if (kind_cases[i].message)
            check(strstr(msg, kind_cases[i].message) && strchr(msg, '\n') == msg + n - 1,
                  "one line: %s", msg);
        else
            check(n == 0, "nothing said");
    }
    put("k-file", "x");
    FILE *quiet = fopen("/dev/null", "w");
    check(outdir_kind(at("k-file"), quiet) == OUTDIR_KIND_NONE, "a file is no output directory");
    fclose(quiet);
}

int main(void)
{
    /* A check per name of the tables, 48 others. */
    test_plan(test_len(known_yes) + test_len(known_no) + test_len(clear_earlier) +
              test_len(clear_mine) + 2 * test_len(kind_cases) + 49);
    snprintf(root, sizeof root, "/tmp/pilotsim-outdir-XXXXXX");
    if (!mkdtemp(root))
        return 1;
    test_known();
    test_temporaries();
    test_lock();
    test_clear();
    test_inputs();
    test_interrupt();
    test_parent_death();
    test_kind();
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    if (system(cmd) != 0)
        return 1;
    return test_done();
}
