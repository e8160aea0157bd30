/* The "selinux" security model through libselinux: the policy's LXC
 * contexts, context checks, setexeccon for init, rootfs relabelling. */
#include <dirent.h>
#include <errno.h>
#include <linux/magic.h>
#include <selinux/selinux.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include "engine/seclabel.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/file.h"
#include "lib/xmalloc.h"

/* An lxc_contexts file is a few lines. */
#define LXC_CONTEXTS_MAX (64u << 10)
/* Deeper than any real rootfs; a bound on the recursion. */
#define RELABEL_DEPTH_MAX 256

static int selinux_base_contexts(char **process, char **file, struct error *err)
{
	const char *path = selinux_lxc_contexts_path();
	_cleanup_free_ char *text = NULL;
	size_t len;

	if (path == NULL)
		return err_set(err, ENOENT, "selinux: the policy names no lxc_contexts file");
	if (file_read_all(path, LXC_CONTEXTS_MAX, &text, &len, err) < 0 ||
	    seclabel_parse_lxc_contexts(text, process, file, err) < 0)
		return err_prefix(err, "selinux: '%s'", path);
	return 0;
}

static int selinux_check(const char *context, struct error *err)
{
	if (security_check_context(context) < 0)
		return err_set(err, EINVAL, "selinux: the policy does not know context '%s'", context);
	return 0;
}

/* setexeccon writes /proc/thread-self/attr/exec: a /proc that is not
 * procfs (a rootfs that swapped it) would take the write and leave init
 * unconfined. */
static int selinux_set_exec(const char *context, struct error *err)
{
	struct statfs sf;

	if (statfs("/proc/thread-self/attr", &sf) < 0)
		return err_sys(err, "selinux: '/proc/thread-self/attr'");
	if (sf.f_type != PROC_SUPER_MAGIC)
		return err_set(err, EPERM, "selinux: '/proc' in the container is not procfs; refusing to label through it");
	if (setexeccon(context) < 0)
		return err_sys(err, "selinux: set exec context '%s'", context);
	return 0;
}

/* Depth-first, on the tree's own filesystem, symlinks labelled as links
 * and never followed. */
static int relabel_tree(const char *path, dev_t dev, const char *context, int depth,
			struct error *err)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	int rc = 0;

	if (lstat(path, &st) < 0)
		return err_sys(err, "selinux: relabel '%s'", path);
	if (st.st_dev != dev)
		return 0;
	if (lsetfilecon(path, context) < 0 && errno != ENOTSUP)
		return err_sys(err, "selinux: relabel '%s' as '%s'", path, context);
	if (!S_ISDIR(st.st_mode))
		return 0;
	if (depth > RELABEL_DEPTH_MAX)
		return err_set(err, ELOOP, "selinux: relabel '%s': deeper than %d levels", path,
			       RELABEL_DEPTH_MAX);
	d = opendir(path);
	if (d == NULL)
		return err_sys(err, "selinux: relabel '%s'", path);
	while (rc == 0 && (e = readdir(d)) != NULL) {
		_cleanup_free_ char *child = NULL;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		child = xasprintf("%s/%s", path, e->d_name);
		rc = relabel_tree(child, dev, context, depth + 1, err);
	}
	closedir(d);
	return rc;
}

static int selinux_relabel(const char *path, const char *context, struct error *err)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return err_sys(err, "selinux: relabel '%s'", path);
	return relabel_tree(path, st.st_dev, context, 0, err);
}

const struct seclabel_backend seclabel_backend_selinux = {
	.model = "selinux",
	.doi = "0",
	.base_contexts = selinux_base_contexts,
	.check = selinux_check,
	.set_exec = selinux_set_exec,
	.relabel = selinux_relabel,
};

const struct seclabel_backend *seclabel_host_backend(void)
{
	return is_selinux_enabled() > 0 ? &seclabel_backend_selinux : &seclabel_backend_none;
}
