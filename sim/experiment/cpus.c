/* cpus: the CPUs this process may use (cpus.h). */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include "experiment/cpus.h"

#include <errno.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A whole number of a line's first word: 0, or -1 unless digits (and an
 * optional minus sign when `sign`) then a space, a newline or the end. */
static int parse_int(const char *s, int sign, long long *out, const char **end)
{
    char *e;
    if (!s || !(*s == '-' ? sign : *s >= '0' && *s <= '9'))
        return -1;
    errno = 0;
    long long v = strtoll(s, &e, 10);
    if (errno || e == s || (*e && *e != ' ' && *e != '\n'))
        return -1;
    *out = v;
    if (end)
        *end = e;
    return 0;
}

double cpus_parse_cpu_max(const char *text)
{
    long long quota, period;
    const char *rest;
    if (!text)
        return -1;
    if (!strncmp(text, "max", 3) && (text[3] == ' ' || text[3] == '\n' || !text[3]))
        return 0;
    if (parse_int(text, 0, &quota, &rest) < 0 || *rest != ' ' ||
        parse_int(rest + 1, 0, &period, NULL) < 0 || quota <= 0 || period <= 0)
        return -1;
    return (double)quota / (double)period;
}

double cpus_parse_cfs(const char *quota, const char *period)
{
    long long q, p;
    if (parse_int(quota, 1, &q, NULL) < 0)
        return -1;
    if (q < 0) /* -1: no quota */
        return 0;
    if (parse_int(period, 0, &p, NULL) < 0 || q == 0 || p <= 0)
        return -1;
    return (double)q / (double)p;
}

unsigned cpus_parse_slurm(const char *value)
{
    long long n;
    const char *end;
    char *e;
    if (!value || !*value)
        return 0;
    /* "8(x2)": 8 CPUs on each of 2 nodes; this node has 8. */
    errno = 0;
    n = strtoll(value, &e, 10);
    end = e;
    if (errno || end == value || (*end && *end != '(') || n < 1 || n > 1 << 20 || *value == '-')
        return 0;
    return (unsigned)n;
}

/* Whether controller list `list` ("cpu,cpuacct") names "cpu". */
static int names_cpu(const char *list, size_t len)
{
    while (len > 0) {
        size_t n = 0;
        while (n < len && list[n] != ',')
            n++;
        if (n == 3 && !strncmp(list, "cpu", 3))
            return 1;
        list += n + (n < len);
        len -= n + (n < len);
    }
    return 0;
}

int cpus_cgroup_path(const char *text, int v2, char *buf, size_t size)
{
    /* Lines "ID:CONTROLLERS:PATH"; v2's is "0::PATH". */
    for (const char *line = text; line && *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        const char *c1 = memchr(line, ':', len);
        const char *c2 = c1 ? memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - line)) : NULL;
        if (c2) {
            size_t n_ctl = (size_t)(c2 - c1 - 1), n_path = len - (size_t)(c2 + 1 - line);
            int match =
                v2 ? n_ctl == 0 && c1 - line == 1 && line[0] == '0' : names_cpu(c1 + 1, n_ctl);
            if (match && n_path > 0 && c2[1] == '/' && n_path < size) {
                memcpy(buf, c2 + 1, n_path);
                buf[n_path] = '\0';
                return 0;
            }
        }
        line = nl ? nl + 1 : NULL;
    }
    return -1;
}

/* A small file's first line, or NULL. */
static char *read_line(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char *s = fgets(buf, (int)size, f);
    fclose(f);
    return s;
}

/* The tighter of limit *best and x (0: none). */
static void tighter(double *best, double x)
{
    if (x > 0 && (*best == 0 || x < *best))
        *best = x;
}

/* The tightest quota on cgroup `path` under `mount` and every cgroup above
 * it: a parent's limit holds its children. In a container the path may be
 * the host's, absent here: its root is the container's own cgroup. */
static double quota_up(const char *mount, const char *path, int v2)
{
    char dir[2048], file[4096], a[64], b[64];
    double best = 0;
    snprintf(dir, sizeof dir, "%s", path);
    for (;;) {
        size_t len = strlen(dir);
        while (len > 1 && dir[len - 1] == '/')
            dir[--len] = '\0';
        const char *sep = strcmp(dir, "/") ? dir : "";
        if (v2) {
            snprintf(file, sizeof file, "%s%s/cpu.max", mount, sep);
            tighter(&best, read_line(file, a, sizeof a) ? cpus_parse_cpu_max(a) : 0);
        } else {
            snprintf(file, sizeof file, "%s%s/cpu.cfs_quota_us", mount, sep);
            const char *q = read_line(file, a, sizeof a);
            snprintf(file, sizeof file, "%s%s/cpu.cfs_period_us", mount, sep);
            const char *p = read_line(file, b, sizeof b);
            tighter(&best, q && p ? cpus_parse_cfs(q, p) : 0);
        }
        char *slash = strrchr(dir, '/');
        if (!slash || !strcmp(dir, "/"))
            return best;
        slash[slash == dir] = '\0'; /* "/a" -> "/" */
    }
}

/* The cgroup quota seen under root: v2 (unified, or hybrid's "unified"
 * mount) and v1 (the mount named by the controllers, or plain "cpu"). */
static double cgroup_quota(const char *root)
{
    char text[4096] = "", file[1024], path[2048], mount[1024];
    size_t got = 0;
    double best = 0;
    snprintf(file, sizeof file, "%s/proc/self/cgroup", root);
    FILE *f = fopen(file, "r");
    if (f) {
        got = fread(text, 1, sizeof text - 1, f);
        fclose(f);
    }
    text[got] = '\0';
    if (cpus_cgroup_path(text, 1, path, sizeof path) < 0)
        snprintf(path, sizeof path, "/");
    snprintf(mount, sizeof mount, "%s/sys/fs/cgroup", root);
    tighter(&best, quota_up(mount, path, 1));
    snprintf(mount, sizeof mount, "%s/sys/fs/cgroup/unified", root);
    tighter(&best, quota_up(mount, path, 1));
    if (cpus_cgroup_path(text, 0, path, sizeof path) < 0)
        snprintf(path, sizeof path, "/");
    static const char *const v1[] = {"cpu", "cpu,cpuacct", "cpuacct,cpu"};
    for (size_t i = 0; i < sizeof v1 / sizeof v1[0]; i++) {
        snprintf(mount, sizeof mount, "%s/sys/fs/cgroup/%s", root, v1[i]);
        tighter(&best, quota_up(mount, path, 0));
    }
    return best;
}

void cpus_probe(const char *root, struct cpus_limits *l)
{
    memset(l, 0, sizeof *l);
    if (!*root) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        l->online = n > 0 ? (unsigned)n : 0;
        cpu_set_t set;
        if (sched_getaffinity(0, sizeof set, &set) == 0)
            l->affinity = (unsigned)CPU_COUNT(&set);
    }
    l->cgroup = cgroup_quota(root);
    l->slurm_task = cpus_parse_slurm(getenv("SLURM_CPUS_PER_TASK"));
    l->slurm_node = cpus_parse_slurm(getenv("SLURM_CPUS_ON_NODE"));
}

unsigned cpus_pick(const struct cpus_limits *l, const char **why)
{
    double cgroup = l->cgroup > 0 ? ceil(l->cgroup - 1e-9) : 0; /* 1.5 CPUs: 2 workers */
    const struct {
        double n;
        const char *what;
    } from[] = {{l->online, "cores"},
                {l->affinity, "affinity"},
                {cgroup, "cgroup"},
                {l->slurm_task, "SLURM_CPUS_PER_TASK"},
                {l->slurm_node, "SLURM_CPUS_ON_NODE"}};
    double best = 0;
    const char *what = "cores";
    for (size_t i = 0; i < sizeof from / sizeof from[0]; i++)
        if (from[i].n >= 1 && (best == 0 || from[i].n < best)) {
            best = from[i].n;
            what = from[i].what;
        }
    if (why)
        *why = what;
    return best >= 1 ? (unsigned)best : 1;
}

unsigned cpus_available(void)
{
    struct cpus_limits l;
    cpus_probe("", &l);
    return cpus_pick(&l, NULL);
}
