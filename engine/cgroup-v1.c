/* The cgroup v1 backend: one directory per controller hierarchy, and on a
 * hybrid host a companion group in the unified hierarchy. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/cgroup-internal.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/log.h"
#include "lib/xmalloc.h"

static void v1_paths(struct cg *cg)
{
	const struct cg_host *h = cg->host;

	for (int c = 0; c < CG_N_CTRL; c++) {
		if (h->v1_dir[c] == NULL)
			continue;
		cg->dir[c] = xasprintf("%s/%s", h->v1_dir[c], cg->name);
		cg_add_dir(cg, cg->dir[c]);
	}
	/* The unified companion of a hybrid host holds no controller; it is
	 * there for what only v2 offers a v1 group: per-group pressure (PSI)
	 * and cgroup.kill. */
	if (h->layout == CG_LAYOUT_HYBRID && h->v2_dir != NULL)
		cg->v2 = xasprintf("%s/%s", h->v2_dir, cg->name);
	/* A systemd guest makes its own groups below its group in the
	 * name=systemd hierarchy; giving it one of ours keeps them inside the
	 * container's group, where removal finds them. */
	if (h->v1_named != NULL)
		cg->named = xasprintf("%s/%s", h->v1_named, cg->name);
}

static char *parent_of(const char *dir)
{
	const char *slash = strrchr(dir, '/');

	return xstrndup(dir, slash != NULL ? (size_t)(slash - dir) : 0);
}

/* Makes (or finds) an extra directory that the group works without:
 * the unified companion, the name=systemd group. Dropped with a warning
 * (create) or silently (open) when it cannot be had. */
static void extra_dir(struct cg *cg, char **dir, bool create, const char *what)
{
	struct stat st;

	if (*dir == NULL)
		return;
	if (create) {
		_cleanup_free_ char *parent = parent_of(*dir);
		struct error e = ERROR_INIT;
		bool m;

		if (cg_mkdir(cg, parent, false, &m, &e) < 0 || cg_mkdir(cg, *dir, true, &m, &e) < 0) {
			log_warn("%s; %s", err_msg(&e), what);
			err_clear(&e);
			free(*dir);
			*dir = NULL;
			return;
		}
	} else if (stat(*dir, &st) < 0) {
		free(*dir);
		*dir = NULL;
		return;
	}
	cg_add_dir(cg, *dir);
}

/* A new v1 cpuset group starts with no CPUs and no memory nodes, and takes
 * no task until both are set: copy them from the parent. */
static int cpuset_inherit(const struct cg *cg, const char *dir, struct error *err)
{
	_cleanup_free_ char *parent = parent_of(dir);
	static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };

	for (size_t i = 0; i < 2; i++) {
		_cleanup_free_ char *mine = NULL, *theirs = NULL;

		if (!cg_file_exists(dir, files[i]))
			continue;
		if (cg_read_file(cg, dir, files[i], &mine, err) < 0)
			return -1;
		if (mine[0] != '\0')
			continue;
		if (cg_read_file(cg, parent, files[i], &theirs, err) < 0 ||
		    cg_write_file(cg, dir, files[i], theirs, err) < 0)
			return -1;
	}
	return 0;
}

static int v1_create(struct cg *cg, struct error *err)
{
	const char *made[CG_DIRS_MAX];
	size_t n_made = 0;
	bool m;

	v1_paths(cg);
	for (size_t i = 0; i < cg->n_dirs; i++) {
		const char *dir = cg->dirs[i];
		_cleanup_free_ char *parent = parent_of(dir);
		bool is_cpuset = cg->dir[CG_CPUSET] != NULL && strcmp(dir, cg->dir[CG_CPUSET]) == 0;

		if (cg_mkdir(cg, parent, false, &m, err) < 0)
			goto fail;
		if (is_cpuset && cpuset_inherit(cg, parent, err) < 0)
			goto fail;
		if (cg_mkdir(cg, dir, true, &m, err) < 0)
			goto fail;
		made[n_made++] = dir;
		if (is_cpuset && cpuset_inherit(cg, dir, err) < 0)
			goto fail;
	}
	extra_dir(cg, &cg->v2, true, "no pressure figures nor cgroup.kill for it");
	extra_dir(cg, &cg->named, true, "a systemd guest's own groups stay outside it");
	return 0;
fail:
	while (n_made > 0)
		rmdir(made[--n_made]);
	return err_prefix(err, "create");
}

static int v1_open(struct cg *cg, struct error *err)
{
	struct stat st;

	v1_paths(cg);
	for (size_t i = 0; i < cg->n_dirs; i++)
		if (stat(cg->dirs[i], &st) < 0)
			return err_sys(err, "cgroup '%s': open '%s'", cg->name, cg->dirs[i]);
	extra_dir(cg, &cg->v2, false, NULL);
	extra_dir(cg, &cg->named, false, NULL);
	return 0;
}

static const char *v1_dir_of(const struct cg *cg, enum cg_ctrl c)
{
	return cg->dir[c];
}

/* <vcpu> without a cpuset: the first N CPUs the parent group may use. */
static int v1_vcpu_cpus(struct cg *cg, const struct cg_limits *lim, char **cpus,
			struct error *err)
{
	_cleanup_free_ char *parent = NULL, *avail = NULL;
	const char *dir = cg->dir[CG_CPUSET];

	*cpus = NULL;
	if (lim->cpuset_cpus != NULL || lim->vcpus == 0)
		return 0;
	if (dir == NULL) {
		if (lim->optional & CG_LIM_CPUSET)
			return 0;
		return err_set(err, ENOTSUP,
			       "cgroup '%s': the host has no cpuset controller, needed for <vcpu> "
			       "(mark the limit optional to run without it)",
			       cg->name);
	}
	parent = parent_of(dir);
	if (cg_read_file(cg, parent,
			 cg_file_exists(parent, "cpuset.effective_cpus") ? "cpuset.effective_cpus"
									 : "cpuset.cpus",
			 &avail, err) < 0)
		return -1;
	if (cg_cpus_first_n(avail, lim->vcpus, cpus, err) < 0)
		return err_prefix(err, "cgroup '%s'", cg->name);
	return 0;
}

static int v1_apply(struct cg *cg, const struct cg_limits *lim, struct error *err)
{
	_cleanup_free_ char *cpus = NULL;
	struct cg_plan plan;
	int r;

	if (v1_vcpu_cpus(cg, lim, &cpus, err) < 0)
		return -1;
	cg_plan_v1(lim, cpus, &plan);
	r = cg_run_plan(cg, &plan, lim->optional, v1_dir_of, err);
	cg_plan_free(&plan);
	return r;
}

static int v1_is_frozen(struct cg *cg, bool *frozen, struct error *err)
{
	_cleanup_free_ char *state = NULL;
	const char *dir = cg->dir[CG_FREEZER];

	if (dir == NULL)
		return err_set(err, ENOTSUP, "cgroup '%s': the host has no freezer controller",
			       cg->name);
	if (cg_read_file(cg, dir, "freezer.state", &state, err) < 0)
		return -1;
	*frozen = strcmp(state, "FROZEN") == 0;
	return 0;
}

static int v1_freeze(struct cg *cg, bool frozen, int timeout_ms, struct error *err)
{
	const char *want = frozen ? "FROZEN" : "THAWED";
	const char *dir = cg->dir[CG_FREEZER];
	long long deadline = cg_now_ms() + timeout_ms;

	if (dir == NULL)
		return err_set(err, ENOTSUP, "cgroup '%s': the host has no freezer controller",
			       cg->name);
	for (;;) {
		_cleanup_free_ char *state = NULL;

		/* Writing FROZEN again while FREEZING retries the tasks that
		 * were busy in the kernel the first time. */
		if (cg_write_file(cg, dir, "freezer.state", want, err) < 0 ||
		    cg_read_file(cg, dir, "freezer.state", &state, err) < 0)
			return err_prefix(err, frozen ? "freeze" : "thaw");
		if (strcmp(state, want) == 0)
			return 0;
		if (!cg_wait_step(deadline, 5))
			return err_set(err, ETIMEDOUT, "cgroup '%s': freezer.state still %s after %d ms",
				       cg->name, state, timeout_ms);
	}
}

static size_t v1_stat_files(const struct cg *cg, struct cg_stat_src *src, size_t max)
{
	const char *acct = cg->dir[CG_CPUACCT], *cpu = cg->dir[CG_CPU];
	const char *mem = cg->dir[CG_MEMORY], *pids = cg->dir[CG_PIDS];
	const char *blk = cg->dir[CG_BLKIO], *v2 = cg->v2;
	const struct cg_stat_src all[] = {
		{ acct, "cpuacct.usage", CG_SK_V1_CPUACCT_USAGE, false },
		{ acct, "cpuacct.usage_user", CG_SK_V1_CPUACCT_USAGE_USER, false },
		{ acct, "cpuacct.usage_sys", CG_SK_V1_CPUACCT_USAGE_SYS, false },
		/* ns figures above where the kernel has them (4.16+),
		 * USER_HZ ticks otherwise. */
		{ acct, "cpuacct.stat", CG_SK_V1_CPUACCT_STAT, true },
		{ cpu, "cpu.stat", CG_SK_V1_CPU_STAT, false },
		{ mem, "memory.usage_in_bytes", CG_SK_V1_MEM_USAGE, false },
		{ mem, "memory.limit_in_bytes", CG_SK_V1_MEM_LIMIT, false },
		{ mem, "memory.max_usage_in_bytes", CG_SK_V1_MEM_MAX_USAGE, false },
		{ mem, "memory.stat", CG_SK_V1_MEM_STAT, false },
		{ mem, "memory.oom_control", CG_SK_V1_MEM_OOM_CONTROL, false },
		{ pids, "pids.current", CG_SK_PIDS_CURRENT, false },
		{ pids, "pids.max", CG_SK_PIDS_MAX, false },
		/* The recursive files count the groups below as well. */
		{ blk, "blkio.throttle.io_service_bytes_recursive", CG_SK_V1_BLKIO_BYTES, false },
		{ blk, "blkio.throttle.io_service_bytes", CG_SK_V1_BLKIO_BYTES, true },
		{ blk, "blkio.throttle.io_serviced_recursive", CG_SK_V1_BLKIO_OPS, false },
		{ blk, "blkio.throttle.io_serviced", CG_SK_V1_BLKIO_OPS, true },
		{ v2, "cpu.pressure", CG_SK_PSI_CPU, false },
		{ v2, "memory.pressure", CG_SK_PSI_MEMORY, false },
		{ v2, "io.pressure", CG_SK_PSI_IO, false },
	};
	size_t n = 0;

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]) && n < max; i++) {
		/* A primary and its fallback share a directory, so they
		 * are left out together. */
		if (all[i].dir == NULL)
			continue;
		src[n++] = all[i];
	}
	return n;
}

const struct cg_ops cg_v1_ops = {
	.name = "v1",
	.create = v1_create,
	.open = v1_open,
	.apply = v1_apply,
	.freeze = v1_freeze,
	.is_frozen = v1_is_frozen,
	.stat_files = v1_stat_files,
};
