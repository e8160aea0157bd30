/* Container limits from the domain model, and the files each backend writes
 * for them (libvirt's mapping), plus the v2 device program. */
#include "engine/cgroup-limits.h"

#include <errno.h>
#include <inttypes.h>
#include <linux/bpf.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "config/domain.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/xmalloc.h"

/* The kernel's default CFS period, used when a quota comes from <vcpu>
 * and <cputune> names no period. */
#define CG_DEFAULT_PERIOD_US 100000

void cg_limits_init(struct cg_limits *lim)
{
	memset(lim, 0, sizeof(*lim));
	lim->memory_max = lim->memory_soft = lim->memory_swap = CG_UNSET;
	lim->cpu_shares = lim->cpu_period = lim->cpu_quota = CG_UNSET;
	lim->blkio_weight = CG_UNSET;
	lim->pids_max = CG_UNSET;
	lim->net_cls_classid = CG_UNSET;
}

void cg_limits_free(struct cg_limits *lim)
{
	free(lim->cpuset_cpus);
	free(lim->cpuset_mems);
	free(lim->blkio_devs);
	free(lim->dev_rules);
	cg_limits_init(lim);
}

/* Mounting a node is harmless without read or write, and an OS container's
 * init makes its own /dev; "m" on every device is what docker and runc
 * allow too. */
static const struct cg_dev_rule default_rules[] = {
	{ 'c', -1, -1, CG_DEV_MKNOD },
	{ 'b', -1, -1, CG_DEV_MKNOD },
	{ 'c', 1, 3, CG_DEV_READ | CG_DEV_WRITE | CG_DEV_MKNOD },   /* null */
	{ 'c', 1, 5, CG_DEV_READ | CG_DEV_WRITE | CG_DEV_MKNOD },   /* zero */
	{ 'c', 1, 7, CG_DEV_READ | CG_DEV_WRITE | CG_DEV_MKNOD },   /* full */
	{ 'c', 1, 8, CG_DEV_READ | CG_DEV_WRITE | CG_DEV_MKNOD },   /* random */
	{ 'c', 1, 9, CG_DEV_READ | CG_DEV_WRITE | CG_DEV_MKNOD },   /* urandom */
	{ 'c', 5, 0, CG_DEV_READ | CG_DEV_WRITE | CG_DEV_MKNOD },   /* tty */
	{ 'c', 5, 1, CG_DEV_READ | CG_DEV_WRITE | CG_DEV_MKNOD },   /* console */
	{ 'c', 5, 2, CG_DEV_READ | CG_DEV_WRITE | CG_DEV_MKNOD },   /* ptmx */
	{ 'c', 136, -1, CG_DEV_READ | CG_DEV_WRITE | CG_DEV_MKNOD }, /* pts */
};

size_t cg_dev_default_rules(const struct cg_dev_rule **rules)
{
	*rules = default_rules;
	return sizeof(default_rules) / sizeof(default_rules[0]);
}

int cg_dev_rule_from_path(const char *path, struct cg_dev_rule *rule, struct error *err)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return err_sys(err, "device '%s'", path);
	if (S_ISBLK(st.st_mode))
		rule->type = 'b';
	else if (S_ISCHR(st.st_mode))
		rule->type = 'c';
	else
		return err_set(err, ENODEV, "device '%s': not a block or character device", path);
	rule->major = major(st.st_rdev);
	rule->minor = minor(st.st_rdev);
	rule->access = CG_DEV_READ | CG_DEV_WRITE | CG_DEV_MKNOD;
	return 0;
}

static uint64_t kib_to_bytes(uint64_t kib)
{
	if (kib == DOM_UNSET)
		return CG_UNSET;
	if (kib >= DOM_MEMORY_MAX_KIB)
		return CG_MAX;
	return kib * 1024;
}

static int blkio_from_domain(const struct domain *dom, struct cg_limits *lim, struct error *err)
{
	lim->blkio_weight = dom->blkio_weight == DOM_UNSET ? CG_UNSET : dom->blkio_weight;
	if (dom->n_blkio_devices == 0)
		return 0;
	lim->blkio_devs = xcalloc(dom->n_blkio_devices, sizeof(*lim->blkio_devs));
	for (size_t i = 0; i < dom->n_blkio_devices; i++) {
		const struct dom_blkio_device *d = &dom->blkio_devices[i];
		struct cg_blkio_dev *o = &lim->blkio_devs[i];
		struct stat st;

		if (stat(d->path, &st) < 0)
			return err_sys(err, "<blkiotune> device '%s'", d->path);
		if (!S_ISBLK(st.st_mode))
			return err_set(err, ENOTBLK, "<blkiotune> device '%s': not a block device",
				       d->path);
		o->major = major(st.st_rdev);
		o->minor = minor(st.st_rdev);
		o->weight = d->weight;
		o->read_bps = d->read_bytes;
		o->write_bps = d->write_bytes;
		o->read_iops = d->read_iops;
		o->write_iops = d->write_iops;
		lim->n_blkio_devs++;
	}
	return 0;
}

static int devices_from_domain(const struct domain *dom, struct cg_limits *lim,
			       struct error *err)
{
	const struct cg_dev_rule *def;
	size_t n_def = cg_dev_default_rules(&def);

	lim->devices_set = true;
	lim->dev_rules = xcalloc(n_def + dom->n_hostdevs, sizeof(*lim->dev_rules));
	memcpy(lim->dev_rules, def, n_def * sizeof(*def));
	lim->n_dev_rules = n_def;
	for (size_t i = 0; i < dom->n_hostdevs; i++) {
		const struct dom_hostdev *hd = &dom->hostdevs[i];

		if (hd->type == DOM_HD_NET)
			continue;
		if (cg_dev_rule_from_path(hd->source, &lim->dev_rules[lim->n_dev_rules], err) < 0)
			return err_prefix(err, "<hostdev> on line %d", hd->line);
		lim->n_dev_rules++;
	}
	return 0;
}

int cg_limits_from_domain(const struct domain *dom, const struct cg_limits_extra *extra,
			  struct cg_limits *lim, struct error *err)
{
	const struct cg_limits_extra none = CG_LIMITS_EXTRA_INIT;

	if (extra == NULL)
		extra = &none;
	cg_limits_init(lim);

	/* libvirt writes <memory> then lets <memtune><hard_limit> override. */
	lim->memory_max = kib_to_bytes(dom->hard_limit_kib != DOM_UNSET ? dom->hard_limit_kib
									 : dom->memory_kib);
	lim->memory_soft = kib_to_bytes(dom->soft_limit_kib);
	lim->memory_swap = kib_to_bytes(dom->swap_hard_limit_kib);

	lim->vcpus = dom->vcpus;
	if (dom->cpuset != NULL)
		lim->cpuset_cpus = xstrdup(dom->cpuset);
	if (dom->numa_nodeset != NULL)
		lim->cpuset_mems = xstrdup(dom->numa_nodeset);
	lim->cpu_shares = dom->cpu_shares == DOM_UNSET ? CG_UNSET : dom->cpu_shares;
	lim->cpu_period = dom->cpu_period == DOM_UNSET ? CG_UNSET : dom->cpu_period;
	if (dom->has_cpu_quota) {
		lim->cpu_quota = dom->cpu_quota < 0 ? CG_MAX : (uint64_t)dom->cpu_quota;
	} else if (dom->vcpus > 0) {
		/* See struct cg_limits: <vcpu> bounds CPU time as well. */
		if (lim->cpu_period == CG_UNSET)
			lim->cpu_period = CG_DEFAULT_PERIOD_US;
		lim->cpu_quota = (uint64_t)dom->vcpus * lim->cpu_period;
	}

	if (blkio_from_domain(dom, lim, err) < 0)
		goto fail;
	if (!extra->no_devices && devices_from_domain(dom, lim, err) < 0)
		goto fail;

	lim->pids_max = extra->pids_max;
	lim->net_cls_classid = extra->net_cls_classid;
	/* A class id is for tc where the host can classify; v2 has no net_cls
	 * at all, so it never stops a container. */
	lim->optional = extra->optional | CG_LIM_NET_CLS;
	return 0;
fail:
	cg_limits_free(lim);
	return -1;
}

uint64_t cg_shares_to_weight(uint64_t shares)
{
	if (shares < 2)
		shares = 2;
	if (shares > 262144)
		shares = 262144;
	return 1 + ((shares - 2) * 9999) / 262142;
}

uint64_t cg_weight_to_shares(uint64_t weight)
{
	if (weight < 1)
		weight = 1;
	if (weight > 10000)
		weight = 10000;
	return 2 + ((weight - 1) * 262142) / 9999;
}

/* --- cpu lists --- */

static void append_range(char **out, unsigned a, unsigned b)
{
	char *prev = *out;

	if (a == b)
		*out = xasprintf("%s%s%u", prev, *prev ? "," : "", a);
	else
		*out = xasprintf("%s%s%u-%u", prev, *prev ? "," : "", a, b);
	free(prev);
}

int cg_cpus_first_n(const char *avail, unsigned n, char **out, struct error *err)
{
	_cleanup_free_ char *res = xstrdup("");
	unsigned taken = 0;
	const char *p = avail;

	if (n == 0)
		return err_set(err, EINVAL, "cpuset: zero CPUs asked for");
	while (*p != '\0' && *p != '\n' && taken < n) {
		char *end;
		unsigned long a = strtoul(p, &end, 10), b;

		if (end == p)
			return err_set(err, EINVAL, "cpu list '%s': malformed", avail);
		b = a;
		if (*end == '-') {
			p = end + 1;
			b = strtoul(p, &end, 10);
			if (end == p || b < a)
				return err_set(err, EINVAL, "cpu list '%s': malformed", avail);
		}
		if (b - a + 1 > n - taken)
			b = a + (n - taken) - 1;
		append_range(&res, (unsigned)a, (unsigned)b);
		taken += (unsigned)(b - a + 1);
		p = end;
		if (*p == ',')
			p++;
		else if (*p != '\0' && *p != '\n')
			return err_set(err, EINVAL, "cpu list '%s': malformed", avail);
	}
	if (taken < n)
		return err_set(err, ERANGE, "<vcpu> %u: only %u CPUs available ('%s')", n, taken,
			       avail);
	*out = move_ptr(res);
	return 0;
}

/* --- plans --- */

static void plan_add(struct cg_plan *plan, enum cg_ctrl ctrl, unsigned lim, const char *file,
		     char *value)
{
	plan->w = xreallocarray(plan->w, plan->n + 1, sizeof(*plan->w));
	plan->w[plan->n++] = (struct cg_write){ ctrl, lim, file, value, NULL, NULL };
}

static void plan_add_alt(struct cg_plan *plan, enum cg_ctrl ctrl, unsigned lim,
			 const char *file, char *value, const char *alt_file, char *alt_value)
{
	plan_add(plan, ctrl, lim, file, value);
	plan->w[plan->n - 1].alt_file = alt_file;
	plan->w[plan->n - 1].alt_value = alt_value;
}

void cg_plan_free(struct cg_plan *plan)
{
	for (size_t i = 0; i < plan->n; i++) {
		free(plan->w[i].value);
		free(plan->w[i].alt_value);
	}
	free(plan->w);
	plan->w = NULL;
	plan->n = 0;
}

static char *num_or(uint64_t v, const char *unlimited)
{
	return v == CG_MAX ? xstrdup(unlimited) : xasprintf("%" PRIu64, v);
}

static const char *plan_cpus(const struct cg_limits *lim, const char *cpus)
{
	return lim->cpuset_cpus != NULL ? lim->cpuset_cpus : cpus;
}

static char *dev_rule_string(const struct cg_dev_rule *r)
{
	char maj[24], min[24], acc[4];
	size_t k = 0;

	if (r->type == 'a')
		return xstrdup("a");
	if (r->major < 0)
		snprintf(maj, sizeof(maj), "*");
	else
		snprintf(maj, sizeof(maj), "%" PRId64, r->major);
	if (r->minor < 0)
		snprintf(min, sizeof(min), "*");
	else
		snprintf(min, sizeof(min), "%" PRId64, r->minor);
	if (r->access & CG_DEV_READ)
		acc[k++] = 'r';
	if (r->access & CG_DEV_WRITE)
		acc[k++] = 'w';
	if (r->access & CG_DEV_MKNOD)
		acc[k++] = 'm';
	acc[k] = '\0';
	return xasprintf("%c %s:%s %s", r->type, maj, min, acc);
}

void cg_plan_v1(const struct cg_limits *lim, const char *cpus, struct cg_plan *plan)
{
	const char *set = plan_cpus(lim, cpus);

	plan->w = NULL;
	plan->n = 0;
	/* memsw must not go below the memory limit at any moment: the memory
	 * limit goes first (a fresh group starts unlimited in both). */
	if (lim->memory_max != CG_UNSET)
		plan_add(plan, CG_MEMORY, CG_LIM_MEMORY, "memory.limit_in_bytes",
			 num_or(lim->memory_max, "-1"));
	if (lim->memory_soft != CG_UNSET)
		plan_add(plan, CG_MEMORY, CG_LIM_MEMORY, "memory.soft_limit_in_bytes",
			 num_or(lim->memory_soft, "-1"));
	if (lim->memory_swap != CG_UNSET)
		plan_add(plan, CG_MEMORY, CG_LIM_SWAP, "memory.memsw.limit_in_bytes",
			 num_or(lim->memory_swap, "-1"));

	if (set != NULL)
		plan_add(plan, CG_CPUSET, CG_LIM_CPUSET, "cpuset.cpus", xstrdup(set));
	if (lim->cpuset_mems != NULL)
		plan_add(plan, CG_CPUSET, CG_LIM_CPUSET, "cpuset.mems", xstrdup(lim->cpuset_mems));

	if (lim->cpu_shares != CG_UNSET)
		plan_add(plan, CG_CPU, CG_LIM_CPU, "cpu.shares",
			 xasprintf("%" PRIu64, lim->cpu_shares));
	/* The period first: the kernel checks quota against it. */
	if (lim->cpu_period != CG_UNSET)
		plan_add(plan, CG_CPU, CG_LIM_CPU, "cpu.cfs_period_us",
			 xasprintf("%" PRIu64, lim->cpu_period));
	if (lim->cpu_quota != CG_UNSET)
		plan_add(plan, CG_CPU, CG_LIM_CPU, "cpu.cfs_quota_us", num_or(lim->cpu_quota, "-1"));

	/* libvirt prefers BFQ's file, which is where weights act today. */
	if (lim->blkio_weight != CG_UNSET)
		plan_add_alt(plan, CG_BLKIO, CG_LIM_BLKIO, "blkio.bfq.weight",
			     xasprintf("%" PRIu64, lim->blkio_weight), "blkio.weight",
			     xasprintf("%" PRIu64, lim->blkio_weight));
	for (size_t i = 0; i < lim->n_blkio_devs; i++) {
		const struct cg_blkio_dev *d = &lim->blkio_devs[i];
		const struct {
			uint64_t v;
			const char *file;
		} thr[] = {
			{ d->read_bps, "blkio.throttle.read_bps_device" },
			{ d->write_bps, "blkio.throttle.write_bps_device" },
			{ d->read_iops, "blkio.throttle.read_iops_device" },
			{ d->write_iops, "blkio.throttle.write_iops_device" },
		};

		if (d->weight != CG_UNSET)
			plan_add_alt(plan, CG_BLKIO, CG_LIM_BLKIO, "blkio.bfq.weight_device",
				     xasprintf("%u:%u %" PRIu64, d->major, d->minor, d->weight),
				     "blkio.weight_device",
				     xasprintf("%u:%u %" PRIu64, d->major, d->minor, d->weight));
		for (size_t k = 0; k < sizeof(thr) / sizeof(thr[0]); k++)
			if (thr[k].v != CG_UNSET)
				plan_add(plan, CG_BLKIO, CG_LIM_BLKIO, thr[k].file,
					 xasprintf("%u:%u %" PRIu64, d->major, d->minor, thr[k].v));
	}

	if (lim->pids_max != CG_UNSET)
		plan_add(plan, CG_PIDS, CG_LIM_PIDS, "pids.max", num_or(lim->pids_max, "max"));

	if (lim->devices_set) {
		plan_add(plan, CG_DEVICES, CG_LIM_DEVICES, "devices.deny", xstrdup("a"));
		for (size_t i = 0; i < lim->n_dev_rules; i++)
			plan_add(plan, CG_DEVICES, CG_LIM_DEVICES, "devices.allow",
				 dev_rule_string(&lim->dev_rules[i]));
	}

	if (lim->net_cls_classid != CG_UNSET)
		plan_add(plan, CG_NET_CLS, CG_LIM_NET_CLS, "net_cls.classid",
			 xasprintf("%" PRIu64, lim->net_cls_classid));
}

static void append_kv(char **s, const char *key, uint64_t v)
{
	char *prev = *s;

	if (v == CG_UNSET)
		return;
	if (v == CG_MAX)
		*s = xasprintf("%s %s=max", prev, key);
	else
		*s = xasprintf("%s %s=%" PRIu64, prev, key, v);
	free(prev);
}

void cg_plan_v2(const struct cg_limits *lim, const char *cpus, struct cg_plan *plan)
{
	const char *set = plan_cpus(lim, cpus);

	plan->w = NULL;
	plan->n = 0;
	if (lim->memory_max != CG_UNSET)
		plan_add(plan, CG_MEMORY, CG_LIM_MEMORY, "memory.max", num_or(lim->memory_max, "max"));
	/* libvirt maps soft_limit to memory.high, v2's "reclaim above this"
	 * (memory.low would protect instead of limit). */
	if (lim->memory_soft != CG_UNSET)
		plan_add(plan, CG_MEMORY, CG_LIM_MEMORY, "memory.high",
			 num_or(lim->memory_soft, "max"));
	/* swap_hard_limit is memory plus swap, as v1's memsw; v2 limits swap
	 * alone, so libvirt writes the difference. */
	if (lim->memory_swap != CG_UNSET) {
		uint64_t swap = lim->memory_swap;

		if (swap != CG_MAX && lim->memory_max != CG_UNSET && lim->memory_max != CG_MAX)
			swap = swap > lim->memory_max ? swap - lim->memory_max : 0;
		plan_add(plan, CG_MEMORY, CG_LIM_SWAP, "memory.swap.max", num_or(swap, "max"));
	}

	if (set != NULL)
		plan_add(plan, CG_CPUSET, CG_LIM_CPUSET, "cpuset.cpus", xstrdup(set));
	if (lim->cpuset_mems != NULL)
		plan_add(plan, CG_CPUSET, CG_LIM_CPUSET, "cpuset.mems", xstrdup(lim->cpuset_mems));

	if (lim->cpu_shares != CG_UNSET)
		plan_add(plan, CG_CPU, CG_LIM_CPU, "cpu.weight",
			 xasprintf("%" PRIu64, cg_shares_to_weight(lim->cpu_shares)));
	if (lim->cpu_quota != CG_UNSET || lim->cpu_period != CG_UNSET) {
		char *q = lim->cpu_quota == CG_UNSET || lim->cpu_quota == CG_MAX
				  ? xstrdup("max")
				  : xasprintf("%" PRIu64, lim->cpu_quota);
		char *v = lim->cpu_period != CG_UNSET ? xasprintf("%s %" PRIu64, q, lim->cpu_period)
						       : xstrdup(q);
		free(q);
		plan_add(plan, CG_CPU, CG_LIM_CPU, "cpu.max", v);
	}

	if (lim->blkio_weight != CG_UNSET)
		plan_add_alt(plan, CG_BLKIO, CG_LIM_BLKIO, "io.bfq.weight",
			     xasprintf("%" PRIu64, lim->blkio_weight), "io.weight",
			     xasprintf("default %" PRIu64, lim->blkio_weight));
	for (size_t i = 0; i < lim->n_blkio_devs; i++) {
		const struct cg_blkio_dev *d = &lim->blkio_devs[i];
		char *max;

		if (d->weight != CG_UNSET)
			plan_add_alt(plan, CG_BLKIO, CG_LIM_BLKIO, "io.bfq.weight",
				     xasprintf("%u:%u %" PRIu64, d->major, d->minor, d->weight),
				     "io.weight",
				     xasprintf("%u:%u %" PRIu64, d->major, d->minor, d->weight));
		max = xasprintf("%u:%u", d->major, d->minor);
		size_t bare = strlen(max);
		append_kv(&max, "rbps", d->read_bps);
		append_kv(&max, "wbps", d->write_bps);
		append_kv(&max, "riops", d->read_iops);
		append_kv(&max, "wiops", d->write_iops);
		if (strlen(max) > bare)
			plan_add(plan, CG_BLKIO, CG_LIM_BLKIO, "io.max", max);
		else
			free(max);
	}

	if (lim->pids_max != CG_UNSET)
		plan_add(plan, CG_PIDS, CG_LIM_PIDS, "pids.max", num_or(lim->pids_max, "max"));

	if (lim->net_cls_classid != CG_UNSET)
		plan_add(plan, CG_NET_CLS, CG_LIM_NET_CLS, "net_cls.classid",
			 xasprintf("%" PRIu64, lim->net_cls_classid));
}

/* --- the v2 device program ---
 * r1 holds struct bpf_cgroup_dev_ctx. The prologue loads the type (low 16
 * bits of access_type) into r2, the access (high 16 bits) into r3, major
 * into r4 and minor into r5; each rule then jumps past itself on a mismatch
 * and returns 1 (allow) on a match; the end returns 0 (deny). */

static struct bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	return (struct bpf_insn){ .code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm };
}

static struct bpf_insn ld_ctx_u32(uint8_t dst, int16_t off)
{
	return insn(BPF_LDX | BPF_W | BPF_MEM, dst, BPF_REG_1, off, 0);
}

static unsigned bpf_access(unsigned access)
{
	return (access & CG_DEV_READ ? BPF_DEVCG_ACC_READ : 0) |
	       (access & CG_DEV_WRITE ? BPF_DEVCG_ACC_WRITE : 0) |
	       (access & CG_DEV_MKNOD ? BPF_DEVCG_ACC_MKNOD : 0);
}

int cg_dev_bpf_build(const struct cg_dev_rule *rules, size_t n, void **insns_out,
		     size_t *n_insns, struct error *err)
{
	const unsigned all = BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE | BPF_DEVCG_ACC_MKNOD;
	struct bpf_insn *p = xcalloc(6 + n * 8 + 2, sizeof(*p));
	size_t k = 0;

	p[k++] = ld_ctx_u32(BPF_REG_2, offsetof(struct bpf_cgroup_dev_ctx, access_type));
	p[k++] = insn(BPF_ALU | BPF_AND | BPF_K, BPF_REG_2, 0, 0, 0xFFFF);
	p[k++] = ld_ctx_u32(BPF_REG_3, offsetof(struct bpf_cgroup_dev_ctx, access_type));
	p[k++] = insn(BPF_ALU | BPF_RSH | BPF_K, BPF_REG_3, 0, 0, 16);
	p[k++] = ld_ctx_u32(BPF_REG_4, offsetof(struct bpf_cgroup_dev_ctx, major));
	p[k++] = ld_ctx_u32(BPF_REG_5, offsetof(struct bpf_cgroup_dev_ctx, minor));

	for (size_t i = 0; i < n; i++) {
		const struct cg_dev_rule *r = &rules[i];
		unsigned acc = bpf_access(r->access);
		bool by_type = r->type != 'a';
		bool by_acc = acc != all;
		bool by_major = r->type != 'a' && r->major >= 0;
		bool by_minor = r->type != 'a' && r->minor >= 0;
		int len = by_type + 3 * by_acc + by_major + by_minor + 2;
		int at = 0;

		if (r->type != 'a' && r->type != 'b' && r->type != 'c') {
			free(p);
			return err_set(err, EINVAL, "device rule %zu: type '%c'", i, r->type);
		}
		if (r->major > INT32_MAX || r->minor > INT32_MAX) {
			free(p);
			return err_set(err, ERANGE, "device rule %zu: number out of range", i);
		}
		/* A jump at index at of the block skips to the next block. */
		if (by_type) {
			int t = r->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR;
			p[k++] = insn(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_2, 0, (int16_t)(len - at - 1), t);
			at++;
		}
		if (by_acc) {
			/* Allowed only if every requested bit is in the rule. */
			p[k++] = insn(BPF_ALU | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_3, 0, 0);
			p[k++] = insn(BPF_ALU | BPF_AND | BPF_K, BPF_REG_1, 0, 0, (int32_t)acc);
			at += 2;
			p[k++] = insn(BPF_JMP | BPF_JNE | BPF_X, BPF_REG_1, BPF_REG_3,
				      (int16_t)(len - at - 1), 0);
			at++;
		}
		if (by_major) {
			p[k++] = insn(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_4, 0, (int16_t)(len - at - 1),
				      (int32_t)r->major);
			at++;
		}
		if (by_minor) {
			p[k++] = insn(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_5, 0, (int16_t)(len - at - 1),
				      (int32_t)r->minor);
			at++;
		}
		p[k++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 1);
		p[k++] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	}
	p[k++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0);
	p[k++] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	*insns_out = p;
	*n_insns = k;
	return 0;
}
