/* cpus: how many CPUs this process may use, the default of --jobs.
 *
 * The machine's cores overstate it wherever a scheduler or a container
 * hands out less: the CPU affinity mask (taskset, cpusets, SLURM's binding),
 * the cgroup's CPU quota (v2 cpu.max, v1 cpu.cfs_quota_us over
 * cpu.cfs_period_us, on the process's cgroup and every cgroup above it:
 * Docker's --cpus, Kubernetes' limits, systemd's CPUQuota) and SLURM's
 * allocation (SLURM_CPUS_PER_TASK, SLURM_CPUS_ON_NODE). The smallest limit
 * wins; a quota of 1.5 CPUs allows 2 workers (rounded up: a worker
 * throttled a little still beats one idle CPU). Never below 1.
 *
 * The parsers are pure (strings in, numbers out), so the tests feed them
 * fake files; cpus_probe reads a file tree under a root ("" for the real
 * one). Ownership: nothing is allocated. */
#ifndef PILOTSIM_CPUS_H
#define PILOTSIM_CPUS_H

#include <stddef.h>

/* What each source allows; 0 where it sets no limit. */
struct cpus_limits {
    unsigned online;     /* the machine's online cores */
    unsigned affinity;   /* CPUs in the affinity mask */
    double cgroup;       /* the tightest quota, in CPUs (may be fractional) */
    unsigned slurm_task; /* SLURM_CPUS_PER_TASK */
    unsigned slurm_node; /* SLURM_CPUS_ON_NODE */
};

/* cgroup v2's cpu.max, "QUOTA PERIOD" or "max PERIOD": CPUs, 0 when
 * unlimited, -1 when malformed. */
double cpus_parse_cpu_max(const char *text);
/* cgroup v1's cpu.cfs_quota_us and cpu.cfs_period_us: CPUs, 0 when
 * unlimited (quota -1), -1 when malformed. */
double cpus_parse_cfs(const char *quota, const char *period);
/* A SLURM count such as "8" (or SLURM_CPUS_ON_NODE's "8(x2)"): 0 when
 * absent (NULL), empty or malformed. */
unsigned cpus_parse_slurm(const char *value);
/* The cgroup of /proc/self/cgroup's text: v2 (the "0::" line) or v1 (the
 * line whose controllers include "cpu"). 0 with the path in buf, or -1
 * when there is none. */
int cpus_cgroup_path(const char *proc_cgroup, int v2, char *buf, size_t size);

/* The smallest limit, at least 1; *why (if given) names the source that
 * set it: "cores", "affinity", "cgroup", "SLURM_CPUS_PER_TASK",
 * "SLURM_CPUS_ON_NODE". */
unsigned cpus_pick(const struct cpus_limits *l, const char **why);

/* Read the limits: the files under root ("" for /), the environment's
 * SLURM variables, and (root "" only) the affinity mask and the online
 * cores. */
void cpus_probe(const char *root, struct cpus_limits *l);

/* cpus_pick of cpus_probe(""): what --jobs defaults to. */
unsigned cpus_available(void);

#endif
