/* Reading the resource settings of a domain: memory sizes, <memtune>,
 * <blkiotune>, <vcpu>, <cputune>, <numatune> and <resource>, each checked
 * against what the kernel's cgroups accept. */
#include <stdlib.h>
#include <string.h>

#include "config/cpulist.h"
#include "config/parse-ctx.h"
#include "config/units.h"
#include "lib/cleanup.h"
#include "lib/xmalloc.h"

#define NONE ((const char *const[]){ NULL })
#define ATTRS(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* Limits the kernel (cgroups) and libvirt accept. */
#define VCPU_MAX 4096
#define CPU_SHARES_MIN 2
#define CPU_SHARES_MAX 262144
#define CPU_PERIOD_MIN 1000
#define CPU_PERIOD_MAX 1000000
#define CPU_QUOTA_MIN 1000
#define CPU_QUOTA_MAX INT64_C(17592186044415)
#define BLKIO_WEIGHT_MIN 100
#define BLKIO_WEIGHT_MAX 1000
#define BLKIO_DEV_WEIGHT_MIN 10

static void set_str(char **dst, char *src)
{
	free(*dst);
	*dst = src;
}

void dom_parse_mem_value(struct px *p, xmlNode *n, const char *field, uint64_t *out)
{
	_cleanup_free_ char *unit = px_attr(p, n, "unit", field);
	_cleanup_free_ char *val = px_text(n);
	uint64_t kib;

	px_attrs(p, n, "memory", field, ATTRS("unit"));
	if (px_size(p, n, field, val, unit, DOM_MEMORY_MAX_KIB, &kib) == 0)
		*out = kib;
}

static void p_hard_limit(struct px *p, xmlNode *n, void *obj)
{
	dom_parse_mem_value(p, n, "<memtune><hard_limit>", &((struct domain *)obj)->hard_limit_kib);
}

static void p_soft_limit(struct px *p, xmlNode *n, void *obj)
{
	dom_parse_mem_value(p, n, "<memtune><soft_limit>", &((struct domain *)obj)->soft_limit_kib);
}

static void p_swap_hard_limit(struct px *p, xmlNode *n, void *obj)
{
	dom_parse_mem_value(p, n, "<memtune><swap_hard_limit>", &((struct domain *)obj)->swap_hard_limit_kib);
}

void dom_parse_memtune(struct px *p, xmlNode *n, void *obj)
{
	static const struct px_child tab[] = {
		{ "hard_limit", p_hard_limit },
		{ "soft_limit", p_soft_limit },
		{ "swap_hard_limit", p_swap_hard_limit },
		{ NULL, NULL },
	};
	struct domain *dom = obj;

	px_attrs(p, n, "memtune", "<memtune>", NONE);
	px_children(p, n, "memtune", "<memtune>", tab, dom);
	if (dom->hard_limit_kib != DOM_UNSET && dom->swap_hard_limit_kib != DOM_UNSET &&
	    dom->swap_hard_limit_kib < dom->hard_limit_kib)
		px_error(p, n, "<memtune>: swap_hard_limit (%llu KiB) is below hard_limit (%llu KiB); expected swap_hard_limit >= hard_limit, as it limits memory and swap together",
			 (unsigned long long)dom->swap_hard_limit_kib,
			 (unsigned long long)dom->hard_limit_kib);
}

static void blkio_weight(struct px *p, xmlNode *n, void *obj)
{
	struct domain *dom = obj;
	uint64_t v;

	px_attrs(p, n, "weight", "<blkiotune><weight>", NONE);
	if (px_u64_text(p, n, "<blkiotune><weight>", BLKIO_WEIGHT_MIN, BLKIO_WEIGHT_MAX, &v) == 0)
		dom->blkio_weight = v;
}

static void dev_path(struct px *p, xmlNode *n, void *obj)
{
	struct dom_blkio_device *dev = obj;
	char *s = px_text(n);

	px_attrs(p, n, "path", "<blkiotune><device><path>", NONE);
	px_abs_path(p, n, "<blkiotune><device><path>", s);
	set_str(&dev->path, s);
}

static void dev_weight(struct px *p, xmlNode *n, void *obj)
{
	struct dom_blkio_device *dev = obj;
	const char *field = "<blkiotune><device><weight>";
	_cleanup_free_ char *s = px_text(n);
	uint64_t v;

	px_attrs(p, n, "weight", field, NONE);
	if (px_u64(p, n, field, s, 0, BLKIO_WEIGHT_MAX, &v) < 0)
		return;
	if (v != 0 && v < BLKIO_DEV_WEIGHT_MIN) {
		px_error(p, n, "%s: %s is out of range; expected 0 (no weight) or 10 to 1000", field, s);
		return;
	}
	dev->weight = v;
}

#define DEV_THROTTLE(fn, member, elem)                                                        \
	static void fn(struct px *p, xmlNode *n, void *obj)                                   \
	{                                                                                     \
		struct dom_blkio_device *dev = obj;                                           \
		uint64_t v;                                                                   \
		px_attrs(p, n, elem, "<blkiotune><device><" elem ">", NONE);                  \
		if (px_u64_text(p, n, "<blkiotune><device><" elem ">", 0, UINT64_MAX - 1, &v) == 0) \
			dev->member = v;                                                      \
	}
DEV_THROTTLE(dev_read_iops, read_iops, "read_iops_sec")
DEV_THROTTLE(dev_write_iops, write_iops, "write_iops_sec")
DEV_THROTTLE(dev_read_bytes, read_bytes, "read_bytes_sec")
DEV_THROTTLE(dev_write_bytes, write_bytes, "write_bytes_sec")

static void blkio_device(struct px *p, xmlNode *n, void *obj)
{
	static const struct px_child tab[] = {
		{ "path", dev_path },
		{ "weight", dev_weight },
		{ "read_iops_sec", dev_read_iops },
		{ "write_iops_sec", dev_write_iops },
		{ "read_bytes_sec", dev_read_bytes },
		{ "write_bytes_sec", dev_write_bytes },
		{ NULL, NULL },
	};
	struct domain *dom = obj;
	struct dom_blkio_device *dev;

	dom->blkio_devices = xreallocarray(dom->blkio_devices, dom->n_blkio_devices + 1,
					   sizeof(*dom->blkio_devices));
	dev = &dom->blkio_devices[dom->n_blkio_devices++];
	memset(dev, 0, sizeof(*dev));
	dev->weight = dev->read_iops = dev->write_iops = DOM_UNSET;
	dev->read_bytes = dev->write_bytes = DOM_UNSET;
	px_attrs(p, n, "device", "<blkiotune><device>", NONE);
	px_children(p, n, "blkiotune-device", "<blkiotune><device>", tab, dev);
	if (dev->path == NULL)
		px_error(p, n, "<blkiotune><device>: missing <path>; expected the block device, for example <path>/dev/sda</path>");
}

void dom_parse_blkiotune(struct px *p, xmlNode *n, void *obj)
{
	static const struct px_child tab[] = {
		{ "weight", blkio_weight },
		{ "device", blkio_device },
		{ NULL, NULL },
	};

	px_attrs(p, n, "blkiotune", "<blkiotune>", NONE);
	px_children(p, n, "blkiotune", "<blkiotune>", tab, obj);
}

void dom_parse_vcpu(struct px *p, xmlNode *n, void *obj)
{
	static const char *const placements[] = { "static", "auto" };
	struct domain *dom = obj;
	_cleanup_free_ char *placement = px_attr(p, n, "placement", "<vcpu>");
	char *cpuset = px_attr(p, n, "cpuset", "<vcpu>");
	uint64_t v;
	int idx = 0;

	px_attrs(p, n, "vcpu", "<vcpu>", ATTRS("placement", "cpuset"));
	if (px_u64_text(p, n, "<vcpu>", 1, VCPU_MAX, &v) == 0)
		dom->vcpus = (unsigned)v;
	if (placement != NULL && px_enum(p, n, "<vcpu placement>", placement, placements, 2, &idx) < 0)
		idx = 0;
	set_str(&dom->vcpu_placement, xstrdup(placements[idx]));
	if (cpuset != NULL) {
		const char *why = cpulist_problem(cpuset);
		if (why != NULL)
			px_error(p, n, "<vcpu cpuset>: '%s' is not a valid CPU list: %s; expected a list such as '0-3,6,^2'",
				 cpuset, why);
	}
	set_str(&dom->cpuset, cpuset);
}

static void cpu_shares(struct px *p, xmlNode *n, void *obj)
{
	struct domain *dom = obj;
	uint64_t v;

	px_attrs(p, n, "shares", "<cputune><shares>", NONE);
	if (px_u64_text(p, n, "<cputune><shares>", CPU_SHARES_MIN, CPU_SHARES_MAX, &v) == 0)
		dom->cpu_shares = v;
}

static void cpu_period(struct px *p, xmlNode *n, void *obj)
{
	struct domain *dom = obj;
	uint64_t v;

	px_attrs(p, n, "period", "<cputune><period>", NONE);
	if (px_u64_text(p, n, "<cputune><period>", CPU_PERIOD_MIN, CPU_PERIOD_MAX, &v) == 0)
		dom->cpu_period = v;
}

static void cpu_quota(struct px *p, xmlNode *n, void *obj)
{
	struct domain *dom = obj;
	_cleanup_free_ char *s = px_text(n);
	int64_t v;

	px_attrs(p, n, "quota", "<cputune><quota>", NONE);
	if (unit_parse_i64(s, &v) != UNIT_OK || (v != -1 && (v < CPU_QUOTA_MIN || v > CPU_QUOTA_MAX))) {
		px_error(p, n, "<cputune><quota>: '%s' is not valid; expected -1 (no limit) or microseconds from 1000 to 17592186044415",
			 s);
		return;
	}
	dom->cpu_quota = v;
	dom->has_cpu_quota = true;
}

void dom_parse_cputune(struct px *p, xmlNode *n, void *obj)
{
	static const struct px_child tab[] = {
		{ "shares", cpu_shares },
		{ "period", cpu_period },
		{ "quota", cpu_quota },
		{ NULL, NULL },
	};

	px_attrs(p, n, "cputune", "<cputune>", NONE);
	px_children(p, n, "cputune", "<cputune>", tab, obj);
}

static void numa_memory(struct px *p, xmlNode *n, void *obj)
{
	static const char *const modes[] = { "strict", "preferred", "interleave", "restrictive" };
	struct domain *dom = obj;
	char *mode = px_attr(p, n, "mode", "<numatune><memory>");
	char *nodeset = px_attr(p, n, "nodeset", "<numatune><memory>");
	int idx;

	px_attrs(p, n, "numatune-memory", "<numatune><memory>", ATTRS("mode", "nodeset"));
	if (mode == NULL)
		mode = xstrdup("strict");
	else
		px_enum(p, n, "<numatune><memory mode>", mode, modes, 4, &idx);
	if (nodeset != NULL) {
		const char *why = cpulist_problem(nodeset);
		if (why != NULL)
			px_error(p, n, "<numatune><memory nodeset>: '%s' is not a valid node list: %s; expected a list such as '0-1,3'",
				 nodeset, why);
	}
	set_str(&dom->numa_mode, mode);
	set_str(&dom->numa_nodeset, nodeset);
}

void dom_parse_numatune(struct px *p, xmlNode *n, void *obj)
{
	static const struct px_child tab[] = { { "memory", numa_memory }, { NULL, NULL } };

	px_attrs(p, n, "numatune", "<numatune>", NONE);
	px_children(p, n, "numatune", "<numatune>", tab, obj);
}

static void partition(struct px *p, xmlNode *n, void *obj)
{
	struct domain *dom = obj;
	char *s = px_text(n);

	px_attrs(p, n, "partition", "<resource><partition>", NONE);
	px_abs_path(p, n, "<resource><partition>", s);
	set_str(&dom->resource_partition, s);
}

void dom_parse_resource(struct px *p, xmlNode *n, void *obj)
{
	static const struct px_child tab[] = { { "partition", partition }, { NULL, NULL } };

	px_attrs(p, n, "resource", "<resource>", NONE);
	px_children(p, n, "resource", "<resource>", tab, obj);
}
