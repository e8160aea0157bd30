/* Mount namespace setup for OS and APP containers. */
#include "engine/rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "config/domain.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/xmalloc.h"

/* Room for "/proc/self/fd/" and any fd number. */
#define FD_PATH_MAX 32

struct dev_node {
	const char *name;
	unsigned major, minor;
};

static const struct dev_node dev_nodes[] = {
	{ "null", 1, 3 }, { "zero", 1, 5 }, { "full", 1, 7 },
	{ "random", 1, 8 }, { "urandom", 1, 9 }, { "tty", 5, 0 },
};
#define N_DEV_NODES (sizeof(dev_nodes) / sizeof(dev_nodes[0]))

static const char *fs_type_name(enum dom_fs_type t)
{
	switch (t) {
	case DOM_FS_MOUNT:
		return "mount";
	case DOM_FS_BLOCK:
		return "block";
	case DOM_FS_FILE:
		return "file";
	case DOM_FS_RAM:
		return "ram";
	case DOM_FS_BIND:
		return "bind";
	}
	return "unknown";
}

int rootfs_check(const struct domain *dom, struct error *err)
{
	const struct dom_filesystem *root = dom_root_fs(dom);
	struct stat st;

	for (size_t i = 0; i < dom->n_filesystems; i++) {
		const struct dom_filesystem *fs = &dom->filesystems[i];

		if (fs->target == NULL || fs->target[0] != '/')
			return err_set(err, EINVAL, "filesystem target '%s' is not an absolute path",
				       fs->target != NULL ? fs->target : "");
		if (fs->type == DOM_FS_BLOCK || fs->type == DOM_FS_FILE)
			return err_set(err, ENOTSUP, "filesystem on '%s': type '%s' is not supported yet",
				       fs->target, fs_type_name(fs->type));
		if (fs->type != DOM_FS_RAM && fs->source == NULL)
			return err_set(err, EINVAL, "filesystem on '%s' has no source", fs->target);
	}
	if (root == NULL)
		return 0;
	if (root->type != DOM_FS_MOUNT)
		return err_set(err, ENOTSUP, "root filesystem of type '%s' is not supported yet",
			       fs_type_name(root->type));
	if (stat(root->source, &st) < 0)
		return err_sys(err, "root filesystem '%s'", root->source);
	if (!S_ISDIR(st.st_mode))
		return err_set(err, ENOTDIR, "root filesystem '%s'", root->source);
	return 0;
}

static void fd_path(char buf[FD_PATH_MAX], int fd)
{
	snprintf(buf, FD_PATH_MAX, "/proc/self/fd/%d", fd);
}

static int open_beneath(int rootfd, const char *path)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};

	return (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
}

/* Creates the last component of path under dirfd: a directory or an empty
 * file, for a mount point of that kind. */
static int create_at(int dirfd, const char *name, bool dir)
{
	int fd;

	if (dir)
		return mkdirat(dirfd, name, 0755) < 0 && errno != EEXIST ? -1 : 0;
	fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0644);
	if (fd < 0)
		return errno == EEXIST ? 0 : -1;
	close(fd);
	return 0;
}

/* An O_PATH fd of path inside the rootfs, with every symlink resolved as
 * the container will see it, so that a link in an image cannot send a mount
 * onto the host. Missing components are created (directories, and the last
 * one as a directory or a file as dir says). */
static int open_in_root(int rootfd, const char *path, bool dir, struct error *err)
{
	_cleanup_free_ char *prefix = NULL;
	_cleanup_close_ int parent = -1;
	int fd = open_beneath(rootfd, path);
	size_t at = 0, len = strlen(path);

	if (fd >= 0 || errno != ENOENT)
		return fd >= 0 ? fd : err_sys(err, "open '%s' in the container", path);
	prefix = xstrdup(path);
	parent = fcntl(rootfd, F_DUPFD_CLOEXEC, 3);
	if (parent < 0)
		return err_sys(err, "dup");
	while (at < len) {
		size_t start, end;
		bool last;
		int next;

		while (at < len && path[at] == '/')
			at++;
		start = at;
		while (at < len && path[at] != '/')
			at++;
		end = at;
		if (end == start)
			break;
		last = path[at] == '\0' || strspn(path + at, "/") == len - at;
		memcpy(prefix, path, end);
		prefix[end] = '\0';
		next = open_beneath(rootfd, prefix);
		if (next < 0 && errno == ENOENT) {
			_cleanup_free_ char *name = xstrndup(path + start, end - start);

			if (create_at(parent, name, !last || dir) < 0)
				return err_sys(err, "create '%s' in the container", prefix);
			next = open_beneath(rootfd, prefix);
			if (next < 0 && errno == ENOENT)
				return err_set(err, ENOENT, "create '%s' in the container: a dangling symlink is in the way",
					       prefix);
		}
		if (next < 0)
			return err_sys(err, "open '%s' in the container", prefix);
		close(parent);
		parent = next;
	}
	return move_fd(&parent);
}

/* The flags a bind remount must repeat, since the kernel refuses to clear
 * those that a less privileged mount namespace has locked. */
static unsigned long kept_flags(const char *path)
{
	static const struct {
		unsigned long st, ms;
	} map[] = {
		{ ST_NOSUID, MS_NOSUID },     { ST_NODEV, MS_NODEV },
		{ ST_NOEXEC, MS_NOEXEC },     { ST_NOATIME, MS_NOATIME },
		{ ST_NODIRATIME, MS_NODIRATIME }, { ST_RELATIME, MS_RELATIME },
	};
	unsigned long flags = 0;
	struct statvfs sv;

	if (statvfs(path, &sv) < 0)
		return 0;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (sv.f_flag & map[i].st)
			flags |= map[i].ms;
	return flags;
}

/* Makes the mount now at target (inside the rootfs) read-only. */
static int remount_ro(int rootfd, const char *target, struct error *err)
{
	_cleanup_close_ int fd = open_in_root(rootfd, target, true, err);
	char p[FD_PATH_MAX];

	if (fd < 0)
		return -1;
	fd_path(p, fd);
	if (mount(NULL, p, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | kept_flags(p), NULL) < 0)
		return err_sys(err, "remount '%s' read-only", target);
	return 0;
}

/* mount(2) onto target inside the rootfs. */
static int mount_at(int rootfd, const char *source, const char *target, bool dir, const char *fstype,
		    unsigned long flags, const char *data, struct error *err)
{
	_cleanup_close_ int fd = open_in_root(rootfd, target, dir, err);
	char p[FD_PATH_MAX];

	if (fd < 0)
		return -1;
	fd_path(p, fd);
	if (mount(source, p, fstype, flags, data) < 0)
		return err_sys(err, "mount '%s' on '%s'", source, target);
	return 0;
}

/* data for a tmpfs or devpts mount, with the label options when the
 * container's mounts are labelled. The caller frees. */
static char *with_label(const char *data, const char *label_opts)
{
	if (label_opts == NULL)
		return xstrdup(data);
	return xasprintf("%s,%s", data, label_opts);
}

/* Hands a first attempt's error to the caller's err, which may be NULL. */
static int pass_error(struct error *err, struct error *first)
{
	if (err != NULL) {
		err_clear(err);
		*err = *first;
	} else {
		err_clear(first);
	}
	return -1;
}

/* The whole tree at target read-only, submounts included: the host's
 * /sys carries its cgroup mounts, whose release_agent and limits root in a
 * container must not write (CVE-2022-0492, CVE-2023-25809). */
static int make_tree_ro(int rootfd, const char *target, struct error *err)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };
	_cleanup_close_ int fd = open_in_root(rootfd, target, true, err);

	if (fd < 0)
		return -1;
	if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof(attr)) < 0)
		return err_sys(err, "make '%s' and its submounts read-only", target);
	return 0;
}

static int mount_sys(int rootfd, struct error *err)
{
	const unsigned long flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;
	struct error first = ERROR_INIT;

	if (mount_at(rootfd, "sysfs", "/sys", true, "sysfs", flags | MS_RDONLY, NULL, &first) == 0)
		return 0;
	/* A container sharing the host's network namespace gets the host's
	 * sysfs, read-only: a new mount of it is refused, as a second mount of
	 * the same superblock on /sys (EBUSY) or, in a user namespace, as not
	 * owning the network namespace (EPERM). */
	if (first.errnum != EPERM && first.errnum != EBUSY)
		return pass_error(err, &first);
	err_clear(&first);
	if (mount_at(rootfd, "/sys", "/sys", true, NULL, MS_BIND | MS_REC, NULL, err) < 0)
		return -1;
	return make_tree_ro(rootfd, "/sys", err);
}

/* mknod, or where a user namespace forbids it, a bind of the host's node
 * (opened before /dev was covered). */
static int make_node(int rootfd, int devfd, const struct dev_node *n, int hostfd, struct error *err)
{
	_cleanup_free_ char *target = xasprintf("/dev/%s", n->name);
	char p[FD_PATH_MAX];

	if (mknodat(devfd, n->name, S_IFCHR | 0666, makedev(n->major, n->minor)) == 0) {
		/* Past the umask: every user writes /dev/null. */
		if (fchmodat(devfd, n->name, 0666, 0) < 0)
			return err_sys(err, "chmod '%s'", target);
		return 0;
	}
	if (errno != EPERM || hostfd < 0)
		return err_sys(err, "mknod '%s'", target);
	fd_path(p, hostfd);
	return mount_at(rootfd, p, target, false, NULL, MS_BIND, NULL, err);
}

static int make_links(int devfd, struct error *err)
{
	static const char *const links[][2] = {
		{ "ptmx", "pts/ptmx" },          { "fd", "/proc/self/fd" },
		{ "stdin", "/proc/self/fd/0" },  { "stdout", "/proc/self/fd/1" },
		{ "stderr", "/proc/self/fd/2" },
	};

	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		if (symlinkat(links[i][1], devfd, links[i][0]) < 0)
			return err_sys(err, "symlink '/dev/%s'", links[i][0]);
	return 0;
}

static int mount_devpts(int rootfd, const char *label_opts, struct error *err)
{
	const unsigned long flags = MS_NOSUID | MS_NOEXEC;
	_cleanup_free_ char *data = with_label("newinstance,ptmxmode=0666,mode=0620,gid=5", label_opts);
	_cleanup_free_ char *nogid = with_label("newinstance,ptmxmode=0666,mode=0620", label_opts);
	struct error first = ERROR_INIT;

	if (mount_at(rootfd, "devpts", "/dev/pts", true, "devpts", flags, data, &first) == 0)
		return 0;
	/* A user namespace that does not map the tty group cannot use it. */
	if (first.errnum != EINVAL)
		return pass_error(err, &first);
	err_clear(&first);
	return mount_at(rootfd, "devpts", "/dev/pts", true, "devpts", flags, nogid, err);
}

/* The console pty slave as a path of this mount namespace: a bind from the
 * caller's fd would be from the caller's namespace, which mount(2) refuses.
 * The device number check guards against a name that now means another. */
static int open_console(int console_fd, struct error *err)
{
	char p[FD_PATH_MAX], name[4096];
	struct stat want, got;
	ssize_t n;
	int fd;

	fd_path(p, console_fd);
	n = readlink(p, name, sizeof(name) - 1);
	if (n < 0 || fstat(console_fd, &want) < 0)
		return err_sys(err, "console");
	name[n] = '\0';
	fd = open(name, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return err_sys(err, "console '%s'", name);
	if (fstat(fd, &got) < 0 || !S_ISCHR(got.st_mode) || got.st_rdev != want.st_rdev) {
		close(fd);
		return err_set(err, ENXIO, "console '%s' is not the console pty", name);
	}
	return fd;
}

static int mount_dev(int rootfd, int console_fd, const char *label_opts, struct error *err)
{
	_cleanup_close_ int console = open_console(console_fd, err);
	_cleanup_free_ char *dev_data = with_label("mode=755,size=65536k", label_opts);
	_cleanup_free_ char *shm_data = with_label("mode=1777", label_opts);
	int hostfds[N_DEV_NODES];
	_cleanup_close_ int devfd = -1;
	char p[FD_PATH_MAX];
	int r = -1;

	if (console < 0)
		return -1;

	for (size_t i = 0; i < N_DEV_NODES; i++) {
		_cleanup_free_ char *host = xasprintf("/dev/%s", dev_nodes[i].name);

		hostfds[i] = open(host, O_PATH | O_CLOEXEC);
	}
	if (mount_at(rootfd, "tmpfs", "/dev", true, "tmpfs", MS_NOSUID | MS_STRICTATIME, dev_data,
		     err) < 0)
		goto out;
	devfd = open_in_root(rootfd, "/dev", true, err);
	if (devfd < 0)
		goto out;
	for (size_t i = 0; i < N_DEV_NODES; i++)
		if (make_node(rootfd, devfd, &dev_nodes[i], hostfds[i], err) < 0)
			goto out;
	if (make_links(devfd, err) < 0 || mount_devpts(rootfd, label_opts, err) < 0 ||
	    mount_at(rootfd, "tmpfs", "/dev/shm", true, "tmpfs", MS_NOSUID | MS_NODEV, shm_data,
		     err) < 0)
		goto out;
	fd_path(p, console);
	if (mount_at(rootfd, p, "/dev/console", false, NULL, MS_BIND, NULL, err) < 0) {
		err_prefix(err, "console");
		goto out;
	}
	r = 0;
out:
	for (size_t i = 0; i < N_DEV_NODES; i++)
		if (hostfds[i] >= 0)
			close(hostfds[i]);
	return r;
}

static int mount_fs(int rootfd, const struct dom_filesystem *fs, const char *label_opts,
		    struct error *err)
{
	_cleanup_close_ int srcfd = -1;
	_cleanup_free_ char *data = NULL;
	char p[FD_PATH_MAX];
	struct stat st;

	switch (fs->type) {
	case DOM_FS_MOUNT:
		if (stat(fs->source, &st) < 0)
			return err_sys(err, "mount '%s' on '%s'", fs->source, fs->target);
		if (mount_at(rootfd, fs->source, fs->target, S_ISDIR(st.st_mode), NULL, MS_BIND | MS_REC,
			     NULL, err) < 0)
			return -1;
		break;
	case DOM_FS_BIND:
		/* The source is a path inside the container. */
		srcfd = open_beneath(rootfd, fs->source);
		if (srcfd < 0 || fstat(srcfd, &st) < 0)
			return err_sys(err, "bind '%s' on '%s'", fs->source, fs->target);
		fd_path(p, srcfd);
		if (mount_at(rootfd, p, fs->target, S_ISDIR(st.st_mode), NULL, MS_BIND | MS_REC, NULL,
			     err) < 0)
			return err_prefix(err, "bind '%s'", fs->source);
		break;
	case DOM_FS_RAM:
		data = xasprintf("size=%lluk,mode=755%s%s", (unsigned long long)fs->usage_kib,
				 label_opts != NULL ? "," : "", label_opts != NULL ? label_opts : "");
		return mount_at(rootfd, "tmpfs", fs->target, true, "tmpfs",
				MS_NOSUID | MS_NODEV | (fs->readonly ? MS_RDONLY : 0), data, err);
	case DOM_FS_BLOCK:
	case DOM_FS_FILE:
		return err_set(err, ENOTSUP, "filesystem on '%s': type '%s' is not supported yet",
			       fs->target, fs_type_name(fs->type));
	}
	return fs->readonly ? remount_ro(rootfd, fs->target, err) : 0;
}

/* pivot_root(".", ".") stacks the old root on the new one; detaching it
 * leaves the rootfs alone, with no directory left behind for it. */
static int enter_root(const char *root, bool readonly, struct error *err)
{
	if (chdir(root) < 0)
		return err_sys(err, "chdir '%s'", root);
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return err_sys(err, "pivot_root '%s'", root);
	if (umount2(".", MNT_DETACH) < 0)
		return err_sys(err, "detach the old root");
	if (chdir("/") < 0)
		return err_sys(err, "chdir '/'");
	if (readonly && mount(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | kept_flags("/"), NULL) < 0)
		return err_sys(err, "remount '/' read-only");
	return 0;
}

/* corral mounts procfs, sysfs and /dev only on directories of the rootfs:
 * a symlink there is an image trying to move them (and the writes made
 * through them) somewhere else (CVE-2019-19921 and kin). */
static int check_fixed_targets(int rootfd, struct error *err)
{
	static const char *const fixed[] = { "/proc", "/sys", "/dev" };

	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		struct open_how how = {
			.flags = O_PATH | O_CLOEXEC,
			.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS,
		};
		int fd = (int)syscall(SYS_openat2, rootfd, fixed[i], &how, sizeof(how));
		struct stat st;

		if (fd < 0 && errno == ENOENT)
			continue;
		if (fd < 0 && errno == ELOOP)
			return err_set(err, 0, "'%s' in the root filesystem is a symlink; corral mounts it only on a directory",
				       fixed[i]);
		if (fd < 0)
			return err_sys(err, "'%s' in the root filesystem", fixed[i]);
		if (fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode)) {
			close(fd);
			return err_set(err, 0, "'%s' in the root filesystem is not a directory",
				       fixed[i]);
		}
		close(fd);
	}
	return 0;
}

int rootfs_setup(const struct domain *dom, int console_fd, const char *label_opts,
		 struct error *err)
{
	const struct dom_filesystem *rootfs = dom_root_fs(dom);
	const char *root = rootfs != NULL ? rootfs->source : "/";
	_cleanup_close_ int rootfd = -1;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return err_sys(err, "make mounts private");
	if (rootfs != NULL && mount(root, root, NULL, MS_BIND | MS_REC, NULL) < 0)
		return err_sys(err, "bind root filesystem '%s'", root);
	rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return err_sys(err, "open root filesystem '%s'", root);
	if (check_fixed_targets(rootfd, err) < 0)
		return -1;
	if (mount_at(rootfd, "proc", "/proc", true, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL,
		     err) < 0 ||
	    mount_sys(rootfd, err) < 0 || mount_dev(rootfd, console_fd, label_opts, err) < 0)
		return -1;
	for (size_t i = 0; i < dom->n_filesystems; i++)
		if (&dom->filesystems[i] != rootfs && mount_fs(rootfd, &dom->filesystems[i], label_opts, err) < 0)
			return -1;
	if (rootfs != NULL)
		return enter_root(root, rootfs->readonly, err);
	if (chdir("/") < 0)
		return err_sys(err, "chdir '/'");
	return 0;
}
