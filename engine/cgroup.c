/* The cgroup front end: layout detection, the group object, and what both
 * backends do alike (attach, kill, remove). */
#include "engine/cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "engine/cgroup-internal.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/file.h"
#include "lib/log.h"
#include "lib/xmalloc.h"

/* Big enough for any control file corral reads whole (cgroup.procs of a
 * fork-bombed group included); stat files go through cgroup-stats.c. */
#define CG_READ_MAX (4u << 20)

static const char *const v1_names[CG_N_CTRL] = {
	[CG_CPU] = "cpu",         [CG_CPUACCT] = "cpuacct", [CG_CPUSET] = "cpuset",
	[CG_MEMORY] = "memory",   [CG_DEVICES] = "devices", [CG_FREEZER] = "freezer",
	[CG_BLKIO] = "blkio",     [CG_PIDS] = "pids",       [CG_NET_CLS] = "net_cls",
};

static const char *const v2_names[CG_N_CTRL] = {
	[CG_CPU] = "cpu",         [CG_CPUACCT] = "cpu",     [CG_CPUSET] = "cpuset",
	[CG_MEMORY] = "memory",   [CG_DEVICES] = "devices", [CG_FREEZER] = "freezer",
	[CG_BLKIO] = "io",        [CG_PIDS] = "pids",       [CG_NET_CLS] = "net_cls",
};

const char *cg_layout_name(enum cg_layout layout)
{
	switch (layout) {
	case CG_LAYOUT_V1:
		return "v1";
	case CG_LAYOUT_V2:
		return "v2";
	case CG_LAYOUT_HYBRID:
		return "hybrid";
	case CG_LAYOUT_NONE:
		break;
	}
	return "none";
}

const char *cg_ctrl_name(enum cg_ctrl c, bool v2)
{
	if ((unsigned)c >= CG_N_CTRL)
		return "?";
	return v2 ? v2_names[c] : v1_names[c];
}

bool cg_file_exists(const char *dir, const char *file)
{
	_cleanup_free_ char *p = xasprintf("%s/%s", dir, file);

	return access(p, F_OK) == 0;
}

static int ctrl_from_v1_name(const char *s)
{
	for (int c = 0; c < CG_N_CTRL; c++)
		if (strcmp(s, v1_names[c]) == 0)
			return c;
	return -1;
}

/* Parses a cgroup.controllers line into 1u << cg_ctrl bits. The cpu
 * controller carries v1's cpuacct figures; freezer and devices are always
 * there on v2 (cgroup.freeze, eBPF). */
static unsigned parse_v2_controllers(const char *line)
{
	unsigned bits = 1u << CG_FREEZER | 1u << CG_DEVICES;
	_cleanup_free_ char *copy = xstrdup(line);
	char *save = NULL;

	for (char *t = strtok_r(copy, " \t\n", &save); t != NULL; t = strtok_r(NULL, " \t\n", &save)) {
		if (strcmp(t, "cpu") == 0)
			bits |= 1u << CG_CPU | 1u << CG_CPUACCT;
		else if (strcmp(t, "cpuset") == 0)
			bits |= 1u << CG_CPUSET;
		else if (strcmp(t, "memory") == 0)
			bits |= 1u << CG_MEMORY;
		else if (strcmp(t, "io") == 0)
			bits |= 1u << CG_BLKIO;
		else if (strcmp(t, "pids") == 0)
			bits |= 1u << CG_PIDS;
	}
	return bits;
}

static int read_v2_controllers(const char *dir, unsigned *bits, struct error *err)
{
	_cleanup_free_ char *p = xasprintf("%s/cgroup.controllers", dir);
	_cleanup_free_ char *buf = NULL;

	if (file_read_all(p, CG_READ_MAX, &buf, NULL, err) < 0)
		return -1;
	*bits = parse_v2_controllers(buf);
	return 0;
}

/* A v1 hierarchy directory: its controllers come from its name, following a
 * co-mount symlink ("cpu" -> "cpu,cpuacct") to the real one. */
static void detect_v1_dir(struct cg_host *h, const char *path)
{
	_cleanup_free_ char *real = realpath(path, NULL);
	_cleanup_free_ char *names = NULL;
	char *save = NULL;

	if (real == NULL)
		return;
	const char *base = strrchr(real, '/');
	names = xstrdup(base != NULL ? base + 1 : real);
	for (char *t = strtok_r(names, ",", &save); t != NULL; t = strtok_r(NULL, ",", &save)) {
		int c = ctrl_from_v1_name(t);
		if (c >= 0 && h->v1_dir[c] == NULL)
			h->v1_dir[c] = xstrdup(real);
	}
}

int cg_detect(const char *mount_root, struct cg_host *h, struct error *err)
{
	_cleanup_free_ char *v2 = NULL;
	DIR *d;
	struct dirent *de;
	bool any_v1 = false;

	memset(h, 0, sizeof(*h));
	h->root = xstrdup(mount_root);
	if (cg_file_exists(mount_root, "cgroup.controllers")) {
		h->layout = CG_LAYOUT_V2;
		h->v2_dir = xstrdup(mount_root);
		if (read_v2_controllers(h->v2_dir, &h->v2_ctrls, err) < 0) {
			cg_host_free(h);
			return err_prefix(err, "cgroup layout");
		}
		return 0;
	}

	d = opendir(mount_root);
	if (d == NULL) {
		err_sys(err, "cgroup layout: open '%s'", mount_root);
		cg_host_free(h);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		_cleanup_free_ char *p = xasprintf("%s/%s", mount_root, de->d_name);
		struct stat st;

		if (stat(p, &st) < 0 || !S_ISDIR(st.st_mode))
			continue;
		if (cg_file_exists(p, "cgroup.controllers")) {
			if (v2 == NULL)
				v2 = move_ptr(p);
		} else if (strcmp(de->d_name, "systemd") == 0 && cg_file_exists(p, "cgroup.procs")) {
			free(h->v1_named);
			h->v1_named = move_ptr(p);
		} else if (cg_file_exists(p, "cgroup.procs")) {
			detect_v1_dir(h, p);
		}
	}
	closedir(d);

	for (int c = 0; c < CG_N_CTRL; c++)
		any_v1 |= h->v1_dir[c] != NULL;
	if (any_v1) {
		/* Hybrid: every controller corral uses is taken from v1; the
		 * unified mount usually has none (hugetlb at most here). The
		 * backend uses it only for what v1 lacks: per-group pressure
		 * (PSI) and cgroup.kill. */
		h->layout = v2 != NULL ? CG_LAYOUT_HYBRID : CG_LAYOUT_V1;
		h->v2_dir = move_ptr(v2);
	} else if (v2 != NULL) {
		/* Only a cgroup2 mount below the root: a v2 host mounted in an
		 * odd place, used as v2. */
		h->layout = CG_LAYOUT_V2;
		h->v2_dir = move_ptr(v2);
		if (read_v2_controllers(h->v2_dir, &h->v2_ctrls, err) < 0) {
			cg_host_free(h);
			return err_prefix(err, "cgroup layout");
		}
	} else {
		h->layout = CG_LAYOUT_NONE;
	}
	return 0;
}

void cg_host_free(struct cg_host *h)
{
	for (int c = 0; c < CG_N_CTRL; c++) {
		free(h->v1_dir[c]);
		h->v1_dir[c] = NULL;
	}
	free(h->root);
	free(h->v2_dir);
	free(h->v1_named);
	h->v1_named = NULL;
	h->root = NULL;
	h->v2_dir = NULL;
}

bool cg_host_has(const struct cg_host *h, enum cg_ctrl c)
{
	if ((unsigned)c >= CG_N_CTRL)
		return false;
	if (h->layout == CG_LAYOUT_V2)
		return (h->v2_ctrls & 1u << c) != 0;
	return h->v1_dir[c] != NULL;
}

/* --- helpers shared with the backends --- */

long long cg_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool cg_wait_step(long long deadline_ms, int step_ms)
{
	long long left = deadline_ms - cg_now_ms();

	if (left <= 0)
		return false;
	if (left < step_ms)
		step_ms = (int)left;
	struct timespec ts = { step_ms / 1000, (long)(step_ms % 1000) * 1000000 };
	nanosleep(&ts, NULL);
	return true;
}

int cg_write_file(const struct cg *cg, const char *dir, const char *file, const char *value,
		  struct error *err)
{
	_cleanup_free_ char *p = xasprintf("%s/%s", dir, file);
	/* O_TRUNC is ignored by cgroupfs and makes a fixture file read back
	 * as the last value written. */
	_cleanup_close_ int fd = open(p, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOCTTY);
	size_t len = strlen(value);
	ssize_t n;

	if (fd < 0)
		return err_sys(err, "cgroup '%s': open %s", cg->name, file);
	do
		n = write(fd, value, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return err_sys(err, "cgroup '%s': write %s", cg->name, file);
	if ((size_t)n != len)
		return err_set(err, EIO, "cgroup '%s': write %s: short write", cg->name, file);
	return 0;
}

int cg_read_file(const struct cg *cg, const char *dir, const char *file, char **out,
		 struct error *err)
{
	_cleanup_free_ char *p = xasprintf("%s/%s", dir, file);
	char *buf;
	size_t len;

	if (file_read_all(p, CG_READ_MAX, &buf, &len, err) < 0)
		return err_prefix(err, "cgroup '%s'", cg->name);
	while (len > 0 && buf[len - 1] == '\n')
		buf[--len] = '\0';
	*out = buf;
	return 0;
}

int cg_mkdir(const struct cg *cg, const char *path, bool must_be_new, bool *made,
	     struct error *err)
{
	*made = false;
	if (mkdir(path, 0755) == 0) {
		*made = true;
		return 0;
	}
	if (errno == EEXIST && !must_be_new)
		return 0;
	return err_sys(err, "cgroup '%s': mkdir '%s'", cg->name, path);
}

void cg_add_dir(struct cg *cg, const char *dir)
{
	for (size_t i = 0; i < cg->n_dirs; i++)
		if (strcmp(cg->dirs[i], dir) == 0)
			return;
	if (cg->n_dirs < CG_DIRS_MAX)
		cg->dirs[cg->n_dirs++] = dir;
}

/* What a host that lacks or refuses a file answers (a read-only cgroupfs
 * inside another container, say), for the optional limits. */
static bool missing_errno(int e)
{
	return e == ENOENT || e == EACCES || e == EROFS || e == EPERM;
}

int cg_run_plan(struct cg *cg, const struct cg_plan *plan, unsigned optional,
		const char *(*dir_of)(const struct cg *cg, enum cg_ctrl c), struct error *err)
{
	bool v2 = cg->ops == &cg_v2_ops;

	for (size_t i = 0; i < plan->n; i++) {
		const struct cg_write *w = &plan->w[i];
		const char *dir = dir_of(cg, w->ctrl);
		bool opt = (optional & w->lim) != 0;
		const char *file = w->file;
		const char *value = w->value;

		if (dir == NULL) {
			if (opt) {
				log_info("cgroup '%s': no %s controller, skipping optional %s", cg->name,
					 cg_ctrl_name(w->ctrl, v2), w->file);
				continue;
			}
			return err_set(err, ENOTSUP,
				       "cgroup '%s': the host has no %s controller, needed for %s "
				       "(mark the limit optional to run without it)",
				       cg->name, cg_ctrl_name(w->ctrl, v2), w->file);
		}
		if (!cg_file_exists(dir, file) && w->alt_file != NULL) {
			file = w->alt_file;
			value = w->alt_value;
		}
		if (!cg_file_exists(dir, file)) {
			if (opt) {
				log_info("cgroup '%s': no %s, skipping optional limit", cg->name, file);
				continue;
			}
			if (w->alt_file != NULL)
				return err_set(err, ENOTSUP,
					       "cgroup '%s': the host's %s controller has neither %s "
					       "nor %s (mark the limit optional to run without it)",
					       cg->name, cg_ctrl_name(w->ctrl, v2), w->file, w->alt_file);
			return err_set(err, ENOTSUP,
				       "cgroup '%s': the host's %s controller has no %s "
				       "(mark the limit optional to run without it)",
				       cg->name, cg_ctrl_name(w->ctrl, v2), file);
		}
		if (cg_write_file(cg, dir, file, value, err) < 0) {
			if (opt && missing_errno(err->errnum)) {
				log_info("%s: skipping optional limit", err_msg(err));
				err_clear(err);
				continue;
			}
			return -1;
		}
		log_debug("cgroup '%s': %s = %s", cg->name, file, value);
	}
	return 0;
}

/* --- the group object --- */

static bool valid_component(const char *s)
{
	return s != NULL && s[0] != '\0' && strchr(s, '/') == NULL && strcmp(s, ".") != 0 &&
	       strcmp(s, "..") != 0 && strlen(s) < NAME_MAX;
}

static int cg_new(const struct cg_host *h, const char *parent, const char *name, bool create,
		  struct cg **out, struct error *err)
{
	struct cg *cg;
	int r;

	if (!valid_component(parent) || !valid_component(name))
		return err_set(err, EINVAL, "cgroup name '%s/%s' is not a plain name",
			       parent != NULL ? parent : "", name != NULL ? name : "");
	if (h->layout == CG_LAYOUT_NONE)
		return err_set(err, ENOENT, "cgroup '%s/%s': no cgroup hierarchy under '%s'", parent,
			       name, h->root);
	cg = xcalloc(1, sizeof(*cg));
	cg->host = h;
	cg->ops = h->layout == CG_LAYOUT_V2 ? &cg_v2_ops : &cg_v1_ops;
	cg->name = xasprintf("%s/%s", parent, name);
	r = create ? cg->ops->create(cg, err) : cg->ops->open(cg, err);
	if (r < 0) {
		cg_free(cg);
		return -1;
	}
	*out = cg;
	return 0;
}

int cg_create(const struct cg_host *h, const char *parent, const char *name, struct cg **out,
	      struct error *err)
{
	return cg_new(h, parent, name, true, out, err);
}

int cg_open_existing(const struct cg_host *h, const char *parent, const char *name,
		     struct cg **out, struct error *err)
{
	return cg_new(h, parent, name, false, out, err);
}

void cg_free(struct cg *cg)
{
	if (cg == NULL)
		return;
	for (int c = 0; c < CG_N_CTRL; c++)
		free(cg->dir[c]);
	free(cg->v2);
	free(cg->named);
	free(cg->name);
	free(cg);
}

const char *cg_name(const struct cg *cg)
{
	return cg->name;
}

const char *cg_dir(const struct cg *cg, enum cg_ctrl c)
{
	if (cg->ops == &cg_v2_ops)
		return cg->v2;
	if ((unsigned)c >= CG_N_CTRL)
		return NULL;
	return cg->dir[c];
}

int cg_attach(struct cg *cg, pid_t pid, struct error *err)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%d", (int)pid);
	for (size_t i = 0; i < cg->n_dirs; i++)
		if (cg_write_file(cg, cg->dirs[i], "cgroup.procs", buf, err) < 0)
			return err_prefix(err, "attach pid %d to '%s'", (int)pid, cg->dirs[i]);
	return 0;
}

int cg_procs_open(const struct cg *cg, struct cg_procs *p, struct error *err)
{
	p->n = 0;
	for (size_t i = 0; i < cg->n_dirs; i++) {
		_cleanup_free_ char *path = xasprintf("%s/cgroup.procs", cg->dirs[i]);
		int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);

		if (fd < 0) {
			err_sys(err, "cgroup '%s': open '%s'", cg->name, path);
			cg_procs_close(p);
			return -1;
		}
		p->fds[p->n++] = fd;
	}
	return 0;
}

int cg_procs_enter(const struct cg_procs *p)
{
	for (size_t i = 0; i < p->n; i++) {
		ssize_t n;

		do
			n = pwrite(p->fds[i], "0", 1, 0);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return -1;
	}
	return 0;
}

void cg_procs_close(struct cg_procs *p)
{
	for (size_t i = 0; i < p->n; i++)
		close(p->fds[i]);
	p->n = 0;
}

/* Reads the pids of cgroup.procs in every hierarchy of the group; a process
 * that a hierarchy lacks (moved out behind corral's back) still counts. */
static int read_pids(struct cg *cg, pid_t **pids, size_t *n, struct error *err)
{
	pid_t *v = NULL;
	size_t len = 0;

	for (size_t i = 0; i < cg->n_dirs; i++) {
		_cleanup_free_ char *buf = NULL;
		char *save = NULL;

		if (cg_read_file(cg, cg->dirs[i], "cgroup.procs", &buf, err) < 0) {
			free(v);
			return -1;
		}
		for (char *t = strtok_r(buf, "\n", &save); t != NULL; t = strtok_r(NULL, "\n", &save)) {
			pid_t pid = (pid_t)strtol(t, NULL, 10);
			bool seen = false;

			if (pid <= 0)
				continue;
			for (size_t k = 0; k < len && !seen; k++)
				seen = v[k] == pid;
			if (seen)
				continue;
			v = xreallocarray(v, len + 1, sizeof(*v));
			v[len++] = pid;
		}
	}
	*pids = v;
	*n = len;
	return 0;
}

int cg_count_procs(struct cg *cg, size_t *n, struct error *err)
{
	_cleanup_free_ pid_t *pids = NULL;

	return read_pids(cg, &pids, n, err);
}

int cg_apply(struct cg *cg, const struct cg_limits *lim, struct error *err)
{
	return cg->ops->apply(cg, lim, err);
}

int cg_freeze(struct cg *cg, int timeout_ms, struct error *err)
{
	return cg->ops->freeze(cg, true, timeout_ms, err);
}

int cg_thaw(struct cg *cg, int timeout_ms, struct error *err)
{
	return cg->ops->freeze(cg, false, timeout_ms, err);
}

int cg_is_frozen(struct cg *cg, bool *frozen, struct error *err)
{
	return cg->ops->is_frozen(cg, frozen, err);
}

static int wait_empty(struct cg *cg, long long deadline, struct error *err)
{
	for (;;) {
		size_t n;

		if (cg_count_procs(cg, &n, err) < 0)
			return -1;
		if (n == 0)
			return 0;
		if (!cg_wait_step(deadline, 5))
			return err_set(err, ETIMEDOUT, "cgroup '%s': %zu processes left after SIGKILL",
				       cg->name, n);
	}
}

/* cgroup.kill kills atomically with respect to fork. It exists on v2
 * groups from 5.14, which on a hybrid host means the unified companion. */
static bool try_cgroup_kill(struct cg *cg)
{
	struct error e = ERROR_INIT;
	bool ok;

	if (cg->v2 == NULL || !cg_file_exists(cg->v2, "cgroup.kill"))
		return false;
	ok = cg_write_file(cg, cg->v2, "cgroup.kill", "1", &e) == 0;
	if (!ok)
		log_warn("%s; killing pid by pid", err_msg(&e));
	err_clear(&e);
	return ok;
}

int cg_kill(struct cg *cg, int timeout_ms, struct error *err)
{
	long long deadline = cg_now_ms() + timeout_ms;
	bool can_freeze = cg_dir(cg, CG_FREEZER) != NULL;

	if (try_cgroup_kill(cg)) {
		struct error e = ERROR_INIT;

		/* A task frozen by the v1 freezer (a suspended container on a
		 * hybrid host) dies only once thawed; with SIGKILL pending it
		 * runs no code of its own after. */
		if (cg->ops == &cg_v1_ops && can_freeze && cg_thaw(cg, 1000, &e) < 0) {
			log_warn("%s", err_msg(&e));
			err_clear(&e);
		}
		/* The companion of a hybrid host might not hold a process
		 * someone moved in v1 only; the loop below catches it. */
		if (wait_empty(cg, cg_now_ms() + timeout_ms / 2, &e) == 0)
			return 0;
		err_clear(&e);
	}
	for (;;) {
		_cleanup_free_ pid_t *pids = NULL;
		size_t n;

		if (read_pids(cg, &pids, &n, err) < 0)
			return err_prefix(err, "kill");
		if (n == 0)
			return 0;
		/* Frozen, nothing in the group can fork between the read and
		 * the kill; the pids are read again once frozen. */
		if (can_freeze) {
			struct error e = ERROR_INIT;

			if (cg_freeze(cg, 200, &e) < 0)
				log_debug("%s", err_msg(&e));
			err_clear(&e);
			free(pids);
			pids = NULL;
			if (read_pids(cg, &pids, &n, err) < 0)
				return err_prefix(err, "kill");
		}
		for (size_t i = 0; i < n; i++)
			if (kill(pids[i], SIGKILL) < 0 && errno != ESRCH)
				log_warn("cgroup '%s': kill %d: %s", cg->name, (int)pids[i], strerror(errno));
		/* A frozen task dies only once thawed, whatever the freezer
		 * state reads; thaw even if the freeze timed out half way. */
		if (can_freeze && cg_thaw(cg, 1000, err) < 0)
			return err_prefix(err, "kill");
		if (!cg_wait_step(deadline, 5)) {
			size_t left = 0;
			struct error e = ERROR_INIT;

			cg_count_procs(cg, &left, &e);
			err_clear(&e);
			if (left == 0)
				return 0;
			return err_set(err, ETIMEDOUT, "cgroup '%s': %zu processes left after SIGKILL",
				       cg->name, left);
		}
	}
}

/* Removes dir and the groups below it, deepest first. */
static int rmdir_tree(const struct cg *cg, const char *dir, long long deadline, struct error *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (d == NULL) {
		if (errno == ENOENT)
			return 0;
		return err_sys(err, "cgroup '%s': open '%s'", cg->name, dir);
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_type != DT_DIR || strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		_cleanup_free_ char *sub = xasprintf("%s/%s", dir, de->d_name);
		if (rmdir_tree(cg, sub, deadline, err) < 0) {
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	for (;;) {
		if (rmdir(dir) == 0 || errno == ENOENT)
			return 0;
		/* EBUSY while the last tasks are still exiting (a zombie's
		 * parent has not reaped it yet, or css offlining lags). */
		if (errno != EBUSY || !cg_wait_step(deadline, 10))
			return err_sys(err, "cgroup '%s': rmdir '%s'", cg->name, dir);
	}
}

int cg_remove(struct cg *cg, int timeout_ms, struct error *err)
{
	long long deadline = cg_now_ms() + timeout_ms;
	int r = 0;

	/* Every hierarchy is tried, so that one busy group does not leave the
	 * others behind; the first error is reported. */
	for (size_t i = 0; i < cg->n_dirs; i++) {
		struct error e = ERROR_INIT;

		if (rmdir_tree(cg, cg->dirs[i], deadline, &e) < 0) {
			if (r == 0) {
				err_set(err, 0, "%s", err_msg(&e));
				err->errnum = e.errnum;
			}
			r = -1;
		}
		err_clear(&e);
	}
	return r;
}

static int remove_parent_in(const char *hier, const char *parent, struct error *err)
{
	_cleanup_free_ char *p = xasprintf("%s/%s", hier, parent);

	if (rmdir(p) == 0 || errno == ENOENT || errno == ENOTEMPTY || errno == EBUSY)
		return 0;
	return err_sys(err, "cgroup '%s': rmdir '%s'", parent, p);
}

int cg_remove_parent(const struct cg_host *h, const char *parent, struct error *err)
{
	if (!valid_component(parent))
		return err_set(err, EINVAL, "cgroup name '%s' is not a plain name", parent);
	for (int c = 0; c < CG_N_CTRL; c++) {
		bool dup = false;

		for (int k = 0; k < c && !dup; k++)
			dup = h->v1_dir[k] != NULL && h->v1_dir[c] != NULL &&
			      strcmp(h->v1_dir[k], h->v1_dir[c]) == 0;
		if (h->v1_dir[c] != NULL && !dup && remove_parent_in(h->v1_dir[c], parent, err) < 0)
			return -1;
	}
	if (h->v2_dir != NULL && remove_parent_in(h->v2_dir, parent, err) < 0)
		return -1;
	if (h->v1_named != NULL && remove_parent_in(h->v1_named, parent, err) < 0)
		return -1;
	return 0;
}
