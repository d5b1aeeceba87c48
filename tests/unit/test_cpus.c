/* Unit tests of cpus, the default of --jobs: the parsers on the texts the
 * kernel and SLURM write (and malformed ones), the smallest limit winning,
 * and cpus_probe on fake file trees: cgroup v2 with a parent's limit, a
 * container whose /proc/self/cgroup names a host path, cgroup v1, and
 * none at all. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "experiment/cpus.h"
#include "test.h"

/* Write text to root/rel, making the directories on the way. */
static int put(const char *root, const char *rel, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    for (char *p = path + strlen(root) + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0755);
            *p = '/';
        }
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

/* A fresh tree, the last one removed (rm -rf on a name we made). */
static char *tree(char *buf)
{
    char cmd[128];
    if (buf[0]) {
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", buf);
        if (system(cmd) != 0)
            printf("# could not remove %s\n", buf);
    }
    strcpy(buf, "/tmp/pilotsim-cpus-XXXXXX");
    return mkdtemp(buf);
}

int main(void)
{
    test_plan(35);

    check(cpus_parse_cpu_max("max 100000\n") == 0, "cpu.max 'max': no limit");
    check(cpus_parse_cpu_max("200000 100000\n") == 2, "cpu.max 200000/100000: 2 CPUs");
    check(cpus_parse_cpu_max("150000 100000") == 1.5, "cpu.max 150000/100000: 1.5 CPUs");
    check(cpus_parse_cpu_max("abc 100000") < 0, "cpu.max malformed quota");
    check(cpus_parse_cpu_max("100000") < 0, "cpu.max without a period");
    check(cpus_parse_cpu_max("100000 0") < 0, "cpu.max with period 0");
    check(cpus_parse_cpu_max(NULL) < 0, "cpu.max absent");

    check(cpus_parse_cfs("-1\n", "100000\n") == 0, "cfs quota -1: no limit");
    check(cpus_parse_cfs("300000\n", "100000\n") == 3, "cfs 300000/100000: 3 CPUs");
    check(cpus_parse_cfs("50000", "100000") == 0.5, "cfs 50000/100000: half a CPU");
    check(cpus_parse_cfs("x", "100000") < 0, "cfs malformed quota");
    check(cpus_parse_cfs("50000", NULL) < 0, "cfs without a period");

    check(cpus_parse_slurm("8") == 8, "SLURM 8");
    check(cpus_parse_slurm("8(x2)") == 8, "SLURM_CPUS_ON_NODE 8(x2): 8 here");
    check(cpus_parse_slurm(NULL) == 0 && cpus_parse_slurm("") == 0, "SLURM unset or empty");
    check(cpus_parse_slurm("-4") == 0 && cpus_parse_slurm("0") == 0 && cpus_parse_slurm("4x") == 0,
          "SLURM malformed: ignored");

    char path[256];
    const char *v1 = "12:pids:/user.slice\n4:cpu,cpuacct:/docker/abc\n0::/ignored\n";
    check(cpus_cgroup_path(v1, 0, path, sizeof path) == 0 && !strcmp(path, "/docker/abc"),
          "v1: the cpu controller's cgroup (%s)", path);
    check(cpus_cgroup_path("0::/user.slice/job.scope\n", 1, path, sizeof path) == 0 &&
              !strcmp(path, "/user.slice/job.scope"),
          "v2: the '0::' line's cgroup (%s)", path);
    check(cpus_cgroup_path("3:cpuacct:/a\n", 0, path, sizeof path) < 0,
          "v1: cpuacct alone is not cpu");
    check(cpus_cgroup_path("", 1, path, sizeof path) < 0, "no cgroup file");

    /* The smallest limit wins, and says which it was. */
    const char *why;
    struct cpus_limits l = {64, 16, 0, 0, 0};
    check(cpus_pick(&l, &why) == 16 && !strcmp(why, "affinity"), "affinity 16 of 64 cores");
    l.cgroup = 2.5;
    check(cpus_pick(&l, &why) == 3 && !strcmp(why, "cgroup"), "a quota of 2.5 CPUs: 3 workers");
    l.slurm_task = 2;
    check(cpus_pick(&l, &why) == 2 && !strcmp(why, "SLURM_CPUS_PER_TASK"), "SLURM's 2 per task");
    l.slurm_node = 1;
    check(cpus_pick(&l, &why) == 1 && !strcmp(why, "SLURM_CPUS_ON_NODE"), "SLURM's 1 on node");
    struct cpus_limits none = {0, 0, 0.2, 0, 0};
    check(cpus_pick(&none, &why) == 1, "at least one worker (a fifth of a CPU)");

    /* Fake trees. */
    char root[64] = "";
    unsetenv("SLURM_CPUS_PER_TASK");
    unsetenv("SLURM_CPUS_ON_NODE");
    check(tree(root) && put(root, "proc/self/cgroup", "0::/a/b\n") == 0 &&
              put(root, "sys/fs/cgroup/a/b/cpu.max", "max 100000\n") == 0 &&
              put(root, "sys/fs/cgroup/a/cpu.max", "400000 100000\n") == 0 &&
              put(root, "sys/fs/cgroup/cpu.max", "800000 100000\n") == 0,
          "a cgroup v2 tree");
    cpus_probe(root, &l);
    check(l.cgroup == 4, "v2: the parent's 4 CPUs hold the child (%g)", l.cgroup);
    check(put(root, "proc/self/cgroup", "0::/host/path/not/here\n") == 0, "a host's path");
    cpus_probe(root, &l);
    check(l.cgroup == 8, "v2 in a container: its root's quota (%g)", l.cgroup);
    setenv("SLURM_CPUS_PER_TASK", "3", 1);
    cpus_probe(root, &l);
    check(l.slurm_task == 3 && cpus_pick(&l, &why) == 3, "SLURM_CPUS_PER_TASK read");
    unsetenv("SLURM_CPUS_PER_TASK");

    check(tree(root) && put(root, "proc/self/cgroup", "2:cpu,cpuacct:/job\n1:memory:/\n") == 0 &&
              put(root, "sys/fs/cgroup/cpu,cpuacct/job/cpu.cfs_quota_us", "150000\n") == 0 &&
              put(root, "sys/fs/cgroup/cpu,cpuacct/job/cpu.cfs_period_us", "100000\n") == 0,
          "a cgroup v1 tree");
    cpus_probe(root, &l);
    check(l.cgroup == 1.5 && cpus_pick(&l, NULL) == 2, "v1: 1.5 CPUs, 2 workers (%g)", l.cgroup);

    check(tree(root) != NULL, "an empty tree");
    cpus_probe(root, &l);
    check(l.cgroup == 0 && cpus_pick(&l, NULL) == 1, "no files: no quota, one worker");
    rmdir(root);

    /* This machine: at least one, at most its cores. */
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned n = cpus_available();
    check(n >= 1 && (cores < 1 || n <= (unsigned)cores), "here: %u of %ld cores", n, cores);
    return test_done();
}
