/* Resource limits of a container and their mapping to cgroup files, per
 * backend, the way libvirt maps <memtune>, <cputune> and <blkiotune>. */
#ifndef CORRAL_ENGINE_CGROUP_LIMITS_H
#define CORRAL_ENGINE_CGROUP_LIMITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/cgroup.h"

struct domain;
struct error;

/* "Not given" for the numbers below. */
#define CG_UNSET UINT64_MAX
/* An explicit "no limit" (written as -1 on v1, "max" on v2). */
#define CG_MAX (UINT64_MAX - 1)

/* Classes of limits, for cg_limits.optional and for messages. */
enum {
	CG_LIM_MEMORY = 1u << 0,  /* memory hard and soft limits */
	CG_LIM_SWAP = 1u << 1,    /* memory+swap limit (swap accounting) */
	CG_LIM_CPU = 1u << 2,     /* shares/weight, period, quota */
	CG_LIM_CPUSET = 1u << 3,  /* CPUs and memory nodes */
	CG_LIM_BLKIO = 1u << 4,   /* block IO weight and throttles */
	CG_LIM_PIDS = 1u << 5,    /* pids max */
	CG_LIM_DEVICES = 1u << 6, /* devices allow-list */
	CG_LIM_NET_CLS = 1u << 7, /* net_cls class id */
};

struct cg_blkio_dev {
	unsigned major, minor;
	uint64_t weight;                   /* CG_UNSET or 1..1000 */
	uint64_t read_bps, write_bps;      /* CG_UNSET, bytes per second */
	uint64_t read_iops, write_iops;    /* CG_UNSET */
};

/* One entry of a devices allow-list, as v1's devices.allow reads it. */
struct cg_dev_rule {
	char type;      /* 'c', 'b' or 'a' (all) */
	int64_t major;  /* -1 for any */
	int64_t minor;  /* -1 for any */
	unsigned access; /* CG_DEV_READ | CG_DEV_WRITE | CG_DEV_MKNOD */
};
enum { CG_DEV_READ = 1, CG_DEV_WRITE = 2, CG_DEV_MKNOD = 4 };

struct cg_limits {
	uint64_t memory_max;  /* bytes: <memtune><hard_limit>, else <memory> */
	uint64_t memory_soft; /* bytes: <memtune><soft_limit> */
	uint64_t memory_swap; /* bytes of memory+swap: <memtune><swap_hard_limit> */

	/* <vcpu> N with no cpuset: the first N CPUs the parent allows. With a
	 * cpuset: that set. Either way, unless <cputune> gives a quota, the
	 * quota is N periods, so that N is a bound on CPU time even when the
	 * cpuset is wider than N or is later widened; the cpuset alone would
	 * let a container with <vcpu>1 and cpuset 0-3 use four CPUs. */
	unsigned vcpus;      /* 0 when not given */
	char *cpuset_cpus;   /* NULL: derived from vcpus, or inherited */
	char *cpuset_mems;   /* NULL: inherited; <numatune> nodeset otherwise */
	uint64_t cpu_shares; /* v1 shares 2..262144; v2 weight by libvirt's formula */
	uint64_t cpu_period; /* microseconds */
	uint64_t cpu_quota;  /* microseconds, or CG_MAX for unlimited */

	uint64_t blkio_weight; /* 100..1000 (v1 range; v2 takes the same number) */
	struct cg_blkio_dev *blkio_devs;
	size_t n_blkio_devs;

	uint64_t pids_max; /* CG_MAX for unlimited */

	bool devices_set; /* false: leave the device controller alone */
	struct cg_dev_rule *dev_rules;
	size_t n_dev_rules;

	uint64_t net_cls_classid; /* CG_UNSET, else 0xAAAABBBB (tc major:minor) */

	unsigned optional; /* CG_LIM_ classes skipped when the host lacks them */
};

/* Inputs outside <domain>: corral's <metadata> extension and engine policy. */
struct cg_limits_extra {
	uint64_t pids_max;        /* CG_UNSET when not given */
	uint64_t net_cls_classid; /* CG_UNSET when not given */
	unsigned optional;        /* CG_LIM_ classes the domain marks optional */
	bool no_devices;          /* leave devices open (privileged debugging) */
};
#define CG_LIMITS_EXTRA_INIT { CG_UNSET, CG_UNSET, 0, false }

void cg_limits_init(struct cg_limits *lim); /* all unset */
void cg_limits_free(struct cg_limits *lim);

/* Fills lim from the domain: memory, memtune, vcpu/cpuset, numatune,
 * cputune, blkiotune (device paths resolved to major:minor with stat), the
 * devices allow-list (the standard character devices plus <hostdev>
 * storage/misc sources), and the extras. extra may be NULL. */
int cg_limits_from_domain(const struct domain *dom, const struct cg_limits_extra *extra,
			  struct cg_limits *lim, struct error *err);

/* The allow-list every container gets: null zero full random urandom tty
 * console ptmx and every pts, read, write and mknod. */
size_t cg_dev_default_rules(const struct cg_dev_rule **rules);

/* The rule (rwm) for the device node at path, block or char. */
int cg_dev_rule_from_path(const char *path, struct cg_dev_rule *rule, struct error *err);

/* libvirt's conversion of v1 cpu.shares to v2 cpu.weight and back. */
uint64_t cg_shares_to_weight(uint64_t shares);
uint64_t cg_weight_to_shares(uint64_t weight);

/* The first n CPUs of the list avail ("0-3,8"): "0-1" for n = 2. ERANGE when
 * avail has fewer. The result is a CPU list the kernel accepts. */
int cg_cpus_first_n(const char *avail, unsigned n, char **out, struct error *err);

/* One file write of a plan. The value goes to file, or, when the host does
 * not have file, to alt_file as alt_value (blkio.bfq.weight vs
 * blkio.weight). ctrl is the controller that must be present. */
struct cg_write {
	enum cg_ctrl ctrl;
	unsigned lim; /* CG_LIM_ class */
	const char *file;
	char *value;
	const char *alt_file; /* NULL when none */
	char *alt_value;
};

struct cg_plan {
	struct cg_write *w;
	size_t n;
};

/* What to write, in order, for the limits, on each backend. cpus is the
 * cpuset to write when lim->cpuset_cpus is NULL and vcpus is set, already
 * resolved against the parent (cg_cpus_first_n); NULL otherwise. The device
 * allow-list is in the v1 plan (devices.deny, devices.allow) but not the v2
 * one, which attaches a program instead (cgroup-v2.c). */
void cg_plan_v1(const struct cg_limits *lim, const char *cpus, struct cg_plan *plan);
void cg_plan_v2(const struct cg_limits *lim, const char *cpus, struct cg_plan *plan);
void cg_plan_free(struct cg_plan *plan);

/* An eBPF BPF_PROG_TYPE_CGROUP_DEVICE program that allows exactly the rules
 * and denies everything else, as crun and runc build it. insns is a
 * malloc'd array of struct bpf_insn. */
int cg_dev_bpf_build(const struct cg_dev_rule *rules, size_t n, void **insns, size_t *n_insns,
		     struct error *err);

#endif
