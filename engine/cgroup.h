/* Cgroups for containers: the host's layout, and one container's group behind
 * one interface whatever the host runs (v1, v2 or hybrid). */
#ifndef CORRAL_ENGINE_CGROUP_H
#define CORRAL_ENGINE_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct error;
struct cg_limits;
struct cg_stats;

enum cg_layout {
	CG_LAYOUT_NONE,   /* no cgroup hierarchy under the root */
	CG_LAYOUT_V1,     /* v1 controllers only */
	CG_LAYOUT_V2,     /* a single unified hierarchy at the root */
	CG_LAYOUT_HYBRID, /* v1 controllers plus a cgroup2 mount at ROOT/unified */
};

/* The controllers corral uses, by their v1 names. On v2 CG_BLKIO is "io",
 * CG_CPUACCT is part of "cpu", CG_FREEZER is core (cgroup.freeze) and
 * CG_DEVICES is an eBPF program rather than a controller. */
enum cg_ctrl {
	CG_CPU,
	CG_CPUACCT,
	CG_CPUSET,
	CG_MEMORY,
	CG_DEVICES,
	CG_FREEZER,
	CG_BLKIO,
	CG_PIDS,
	CG_NET_CLS,
	CG_N_CTRL,
};

struct cg_host {
	enum cg_layout layout;
	char *root;              /* "/sys/fs/cgroup" or a fixture directory */
	char *v1_dir[CG_N_CTRL]; /* v1: the hierarchy holding each controller, or NULL */
	char *v2_dir;            /* the cgroup2 mount (root, or ROOT/unified), or NULL */
	char *v1_named;          /* v1: the name=systemd hierarchy, or NULL */
	unsigned v2_ctrls;       /* v2: 1u << cg_ctrl for each in the root's cgroup.controllers */
};

/* Reads the layout under mount_root without touching it. A v1 hierarchy is
 * a directory holding cgroup.procs whose name lists its controllers
 * ("cpu,cpuacct", "memory"); a cgroup2 hierarchy holds cgroup.controllers.
 * Names rather than /proc/self/mountinfo, so that a fixture tree reads
 * exactly as a host does; co-mount symlinks are followed and merged. */
int cg_detect(const char *mount_root, struct cg_host *h, struct error *err);
void cg_host_free(struct cg_host *h);
const char *cg_layout_name(enum cg_layout layout);
/* The v1 name ("blkio"), or the v2 name ("io") when v2 is true. */
const char *cg_ctrl_name(enum cg_ctrl c, bool v2);
/* True when a container group on this host can use controller c. */
bool cg_host_has(const struct cg_host *h, enum cg_ctrl c);

/* A container's group: PARENT/NAME in every hierarchy corral uses. The host
 * must outlive it. cg_free releases memory and descriptors only; the group
 * stays on the host until cg_remove. */
struct cg;

/* parent is struct paths' cgroup_name ("corral" or "corral-<hash>"); it is
 * created when missing and shared by the containers of one engine. An
 * existing group of the same name is an error (EEXIST): a stale one is
 * re-adopted with cg_open_existing or removed first. */
int cg_create(const struct cg_host *h, const char *parent, const char *name, struct cg **out,
	      struct error *err);
/* Re-adopts a group that a previous engine made (ENOENT when it is gone). */
int cg_open_existing(const struct cg_host *h, const char *parent, const char *name,
		     struct cg **out, struct error *err);
void cg_free(struct cg *cg);
#define _cleanup_cg_ __attribute__((cleanup(cg_freep)))
static inline void cg_freep(struct cg **cg)
{
	if (*cg != NULL)
		cg_free(*cg);
}

/* "corral/web": the group's path below each hierarchy, for messages. */
const char *cg_name(const struct cg *cg);
/* The directory of the group in the hierarchy of controller c (v1) or the v2
 * group for any c; NULL when the group has no such directory. For tests and
 * diagnostics: every operation has its own call below. */
const char *cg_dir(const struct cg *cg, enum cg_ctrl c);

/* Moves pid (all its threads) into the group in every hierarchy. */
int cg_attach(struct cg *cg, pid_t pid, struct error *err);

/* The group's cgroup.procs files, opened for writing, so that a forked child
 * can move itself in between fork and exec with cg_procs_enter (which only
 * calls write(2) and is async-signal-safe). */
#define CG_PROCS_MAX (CG_N_CTRL + 1)
struct cg_procs {
	int fds[CG_PROCS_MAX];
	size_t n;
};
int cg_procs_open(const struct cg *cg, struct cg_procs *p, struct error *err);
/* Returns 0, or -1 with errno of the first failing write. */
int cg_procs_enter(const struct cg_procs *p);
void cg_procs_close(struct cg_procs *p);

/* Writes every limit set in lim. A limit whose controller (or file) the host
 * lacks is an error naming it, unless lim->optional has its CG_LIM_ bit,
 * in which case it is logged and skipped. */
int cg_apply(struct cg *cg, const struct cg_limits *lim, struct error *err);

/* Freezes (or thaws) every task in the group and waits, up to timeout_ms,
 * until the kernel reports the state settled (ETIMEDOUT otherwise). */
int cg_freeze(struct cg *cg, int timeout_ms, struct error *err);
int cg_thaw(struct cg *cg, int timeout_ms, struct error *err);
int cg_is_frozen(struct cg *cg, bool *frozen, struct error *err);

/* Number of processes in the group (0 when empty). */
int cg_count_procs(struct cg *cg, size_t *n, struct error *err);

/* SIGKILLs every process in the group, waiting up to timeout_ms until it is
 * empty: cgroup.kill where the kernel has it, else freeze (so nothing forks
 * between reading and killing), signal each pid in cgroup.procs, thaw,
 * repeat. */
int cg_kill(struct cg *cg, int timeout_ms, struct error *err);

/* Removes the group (and any groups the container made below it), leaf
 * first, retrying with bounded waits while the kernel still reports EBUSY;
 * the group must be empty (cg_kill first). cg_free is still needed. */
int cg_remove(struct cg *cg, int timeout_ms, struct error *err);

/* Removes the parent ("corral-<hash>") from every hierarchy if no group is
 * left in it; an engine with a private root calls it when it stops. */
int cg_remove_parent(const struct cg_host *h, const char *parent, struct error *err);

#endif
