/* The cgroup v2 backend: one unified group, controllers enabled from the
 * root down, devices filtered by an eBPF program. */
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "engine/cgroup-internal.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/log.h"
#include "lib/xmalloc.h"

/* The controllers a container group gets, in the order they are enabled. */
static const enum cg_ctrl wanted[] = { CG_CPUSET, CG_CPU, CG_BLKIO, CG_MEMORY, CG_PIDS };

static char *parent_of(const char *dir)
{
	const char *slash = strrchr(dir, '/');

	return xstrndup(dir, slash != NULL ? (size_t)(slash - dir) : 0);
}

static bool has_word(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; (p = strstr(p, word)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' ' || p[n] == '\n'))
			return true;
	return false;
}

/* Enables in dir's cgroup.subtree_control each wanted controller that dir
 * has. One write per controller: a combined write fails whole if one is
 * refused (cpu, while a realtime task sits in the group, say), and a refused
 * one is reported by cg_apply when a limit needs it. */
static void enable_controllers(const struct cg *cg, const char *dir)
{
	_cleanup_free_ char *have = NULL, *on = NULL;
	struct error e = ERROR_INIT;

	if (cg_read_file(cg, dir, "cgroup.controllers", &have, &e) < 0 ||
	    cg_read_file(cg, dir, "cgroup.subtree_control", &on, &e) < 0) {
		log_warn("%s", err_msg(&e));
		err_clear(&e);
		return;
	}
	for (size_t i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++) {
		const char *name = cg_ctrl_name(wanted[i], true);
		_cleanup_free_ char *cmd = NULL;

		if (!has_word(have, name) || has_word(on, name))
			continue;
		cmd = xasprintf("+%s", name);
		if (cg_write_file(cg, dir, "cgroup.subtree_control", cmd, &e) < 0) {
			log_warn("%s", err_msg(&e));
			err_clear(&e);
		}
	}
}

static void read_group_controllers(struct cg *cg)
{
	_cleanup_free_ char *list = NULL;
	struct error e = ERROR_INIT;

	cg->v2_ctrls = 1u << CG_FREEZER | 1u << CG_DEVICES | 1u << CG_CPUACCT;
	if (cg_read_file(cg, cg->v2, "cgroup.controllers", &list, &e) < 0) {
		log_warn("%s", err_msg(&e));
		err_clear(&e);
		return;
	}
	for (size_t i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++)
		if (has_word(list, cg_ctrl_name(wanted[i], true)))
			cg->v2_ctrls |= 1u << wanted[i];
}

static int v2_create(struct cg *cg, struct error *err)
{
	_cleanup_free_ char *parent = NULL;
	bool made;

	cg->v2 = xasprintf("%s/%s", cg->host->v2_dir, cg->name);
	cg_add_dir(cg, cg->v2);
	parent = parent_of(cg->v2);
	enable_controllers(cg, cg->host->v2_dir);
	if (cg_mkdir(cg, parent, false, &made, err) < 0)
		return err_prefix(err, "create");
	enable_controllers(cg, parent);
	if (cg_mkdir(cg, cg->v2, true, &made, err) < 0)
		return err_prefix(err, "create");
	read_group_controllers(cg);
	return 0;
}

static int v2_open(struct cg *cg, struct error *err)
{
	struct stat st;

	cg->v2 = xasprintf("%s/%s", cg->host->v2_dir, cg->name);
	cg_add_dir(cg, cg->v2);
	if (stat(cg->v2, &st) < 0)
		return err_sys(err, "cgroup '%s': open '%s'", cg->name, cg->v2);
	read_group_controllers(cg);
	return 0;
}

static const char *v2_dir_of(const struct cg *cg, enum cg_ctrl c)
{
	return (cg->v2_ctrls & 1u << c) != 0 ? cg->v2 : NULL;
}

static int v2_vcpu_cpus(struct cg *cg, const struct cg_limits *lim, char **cpus,
			struct error *err)
{
	_cleanup_free_ char *parent = NULL, *avail = NULL;

	*cpus = NULL;
	if (lim->cpuset_cpus != NULL || lim->vcpus == 0)
		return 0;
	if (v2_dir_of(cg, CG_CPUSET) == NULL) {
		if (lim->optional & CG_LIM_CPUSET)
			return 0;
		return err_set(err, ENOTSUP,
			       "cgroup '%s': the host has no cpuset controller, needed for <vcpu> "
			       "(mark the limit optional to run without it)",
			       cg->name);
	}
	parent = parent_of(cg->v2);
	if (cg_read_file(cg, parent, "cpuset.cpus.effective", &avail, err) < 0)
		return -1;
	if (cg_cpus_first_n(avail, lim->vcpus, cpus, err) < 0)
		return err_prefix(err, "cgroup '%s'", cg->name);
	return 0;
}

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

static uint64_t ptr_u64(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

#define BPF_LOG_SIZE 16384
#define BPF_OLD_MAX 64

/* Loads the allow-list program and attaches it to the group, then detaches
 * whatever program was there before, so that the group is never without a
 * filter while the list changes. */
static int v2_devices(struct cg *cg, const struct cg_limits *lim, struct error *err)
{
	_cleanup_free_ void *insns = NULL;
	_cleanup_free_ char *log = xcalloc(1, BPF_LOG_SIZE);
	_cleanup_close_ int prog = -1, dirfd = -1;
	uint32_t old[BPF_OLD_MAX];
	uint32_t n_old = BPF_OLD_MAX;
	size_t n_insns;
	union bpf_attr a;

	if (cg_dev_bpf_build(lim->dev_rules, lim->n_dev_rules, &insns, &n_insns, err) < 0)
		return err_prefix(err, "cgroup '%s': device program", cg->name);

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	a.insns = ptr_u64(insns);
	a.insn_cnt = (uint32_t)n_insns;
	a.license = ptr_u64("GPL");
	a.log_buf = ptr_u64(log);
	a.log_size = BPF_LOG_SIZE;
	a.log_level = 1;
	prog = (int)sys_bpf(BPF_PROG_LOAD, &a);
	if (prog < 0) {
		int e = errno;
		/* The verifier's last line says why. */
		size_t len = strlen(log);
		while (len > 0 && log[len - 1] == '\n')
			log[--len] = '\0';
		const char *last = strrchr(log, '\n');
		errno = e;
		return err_sys(err, "cgroup '%s': load device program%s%s", cg->name,
			       len > 0 ? ": verifier: " : "", len > 0 ? (last ? last + 1 : log) : "");
	}

	dirfd = open(cg->v2, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return err_sys(err, "cgroup '%s': open '%s'", cg->name, cg->v2);

	memset(&a, 0, sizeof(a));
	a.query.target_fd = (uint32_t)dirfd;
	a.query.attach_type = BPF_CGROUP_DEVICE;
	a.query.prog_ids = ptr_u64(old);
	a.query.prog_cnt = n_old;
	if (sys_bpf(BPF_PROG_QUERY, &a) < 0) {
		log_debug("cgroup '%s': query device programs: %s", cg->name, strerror(errno));
		n_old = 0;
	} else {
		n_old = a.query.prog_cnt < BPF_OLD_MAX ? a.query.prog_cnt : BPF_OLD_MAX;
	}

	memset(&a, 0, sizeof(a));
	a.target_fd = (uint32_t)dirfd;
	a.attach_bpf_fd = (uint32_t)prog;
	a.attach_type = BPF_CGROUP_DEVICE;
	a.attach_flags = BPF_F_ALLOW_MULTI;
	if (sys_bpf(BPF_PROG_ATTACH, &a) < 0)
		return err_sys(err, "cgroup '%s': attach device program", cg->name);

	for (uint32_t i = 0; i < n_old; i++) {
		_cleanup_close_ int fd = -1;

		memset(&a, 0, sizeof(a));
		a.prog_id = old[i];
		fd = (int)sys_bpf(BPF_PROG_GET_FD_BY_ID, &a);
		if (fd < 0)
			continue;
		memset(&a, 0, sizeof(a));
		a.target_fd = (uint32_t)dirfd;
		a.attach_bpf_fd = (uint32_t)fd;
		a.attach_type = BPF_CGROUP_DEVICE;
		if (sys_bpf(BPF_PROG_DETACH, &a) < 0)
			log_warn("cgroup '%s': detach old device program %u: %s", cg->name, old[i],
				 strerror(errno));
	}
	return 0;
}

static int v2_apply(struct cg *cg, const struct cg_limits *lim, struct error *err)
{
	_cleanup_free_ char *cpus = NULL;
	struct cg_plan plan;
	int r;

	if (v2_vcpu_cpus(cg, lim, &cpus, err) < 0)
		return -1;
	cg_plan_v2(lim, cpus, &plan);
	r = cg_run_plan(cg, &plan, lim->optional, v2_dir_of, err);
	cg_plan_free(&plan);
	if (r < 0 || !lim->devices_set)
		return r;
	if (v2_devices(cg, lim, err) < 0) {
		if (!(lim->optional & CG_LIM_DEVICES))
			return -1;
		log_info("%s; skipping the optional device allow-list", err_msg(err));
		err_clear(err);
	}
	return 0;
}

static int v2_is_frozen(struct cg *cg, bool *frozen, struct error *err)
{
	_cleanup_free_ char *events = NULL;

	if (cg_read_file(cg, cg->v2, "cgroup.events", &events, err) < 0)
		return -1;
	*frozen = strstr(events, "frozen 1") != NULL;
	return 0;
}

static int v2_freeze(struct cg *cg, bool frozen, int timeout_ms, struct error *err)
{
	long long deadline = cg_now_ms() + timeout_ms;

	if (!cg_file_exists(cg->v2, "cgroup.freeze"))
		return err_set(err, ENOTSUP, "cgroup '%s': the kernel has no cgroup.freeze (5.2+)",
			       cg->name);
	if (cg_write_file(cg, cg->v2, "cgroup.freeze", frozen ? "1" : "0", err) < 0)
		return err_prefix(err, frozen ? "freeze" : "thaw");
	for (;;) {
		bool now;

		if (v2_is_frozen(cg, &now, err) < 0)
			return err_prefix(err, frozen ? "freeze" : "thaw");
		if (now == frozen)
			return 0;
		if (!cg_wait_step(deadline, 5))
			return err_set(err, ETIMEDOUT, "cgroup '%s': cgroup.events not %s after %d ms",
				       cg->name, frozen ? "frozen" : "thawed", timeout_ms);
	}
}

static size_t v2_stat_files(const struct cg *cg, struct cg_stat_src *src, size_t max)
{
	const char *d = cg->v2;
	const struct cg_stat_src all[] = {
		{ d, "cpu.stat", CG_SK_V2_CPU_STAT, false },
		{ d, "memory.current", CG_SK_V2_MEM_CURRENT, false },
		{ d, "memory.max", CG_SK_V2_MEM_MAX, false },
		{ d, "memory.peak", CG_SK_V2_MEM_PEAK, false },
		{ d, "memory.swap.current", CG_SK_V2_MEM_SWAP_CURRENT, false },
		{ d, "memory.stat", CG_SK_V2_MEM_STAT, false },
		{ d, "memory.events", CG_SK_V2_MEM_EVENTS, false },
		{ d, "io.stat", CG_SK_V2_IO_STAT, false },
		{ d, "pids.current", CG_SK_PIDS_CURRENT, false },
		{ d, "pids.max", CG_SK_PIDS_MAX, false },
		{ d, "cpu.pressure", CG_SK_PSI_CPU, false },
		{ d, "memory.pressure", CG_SK_PSI_MEMORY, false },
		{ d, "io.pressure", CG_SK_PSI_IO, false },
	};
	size_t n = 0;

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]) && n < max; i++)
		src[n++] = all[i];
	return n;
}

const struct cg_ops cg_v2_ops = {
	.name = "v2",
	.create = v2_create,
	.open = v2_open,
	.apply = v2_apply,
	.freeze = v2_freeze,
	.is_frozen = v2_is_frozen,
	.stat_files = v2_stat_files,
};
