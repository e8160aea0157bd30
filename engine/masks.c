/* Masked and read-only /proc and /sys paths of a container, applied through
 * descriptors opened beneath a verified procfs or sysfs, never through a
 * path a rootfs could redirect. */
#include "engine/masks.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/error.h"

/* Room for "/proc/self/fd/" and any fd number. */
#define FD_PATH_MAX 32

/* runc's and libvirt's lists: each exposes the host kernel's memory,
 * keyrings, timers, hardware or firmware to root in a container. */
static const char *const masked[] = {
	"/proc/kcore",        "/proc/keys",         "/proc/timer_list", "/proc/timer_stats",
	"/proc/sched_debug",  "/proc/latency_stats", "/proc/acpi",       "/proc/asound",
	"/proc/scsi",         "/sys/firmware",      "/sys/devices/virtual/powercap",
	"/sys/kernel/debug",  "/sys/kernel/security",
};

/* Writable, each changes the host kernel: sysctls, sysrq, irq affinity,
 * bus devices, filesystem tunables. */
static const char *const readonly[] = {
	"/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus", "/proc/fs",
};

/* Flags every mount under /proc and /sys has, repeated on a remount so
 * that the kernel does not refuse it as clearing them. */
#define PSEUDO_FLAGS (MS_NOSUID | MS_NODEV | MS_NOEXEC)

static void fd_path(char buf[FD_PATH_MAX], int fd)
{
	snprintf(buf, FD_PATH_MAX, "/proc/self/fd/%d", fd);
}

/* The root of a procfs or sysfs mount at path, checked by its magic. */
static int open_pseudo(const char *path, long magic, const char *kind, struct error *err)
{
	_cleanup_close_ int fd = open(path, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct statfs sf;

	if (fd < 0)
		return err_sys(err, "open '%s' in the container", path);
	if (fstatfs(fd, &sf) < 0)
		return err_sys(err, "statfs '%s'", path);
	if (sf.f_type != magic)
		return err_set(err, EPERM, "'%s' in the container is not %s; refusing to write through it",
			       path, kind);
	return move_fd(&fd);
}

/* rel beneath dirfd, with no symlink on the way. */
static int open_under(int dirfd, const char *rel)
{
	struct open_how how = {
		.flags = O_PATH | O_NOFOLLOW | O_CLOEXEC,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS,
	};

	return (int)syscall(SYS_openat2, dirfd, rel, &how, sizeof(how));
}

static int mask_one(int procfd, int sysfd, int nullfd, const char *path, struct error *err)
{
	bool in_proc = strncmp(path, "/proc/", 6) == 0;
	_cleanup_close_ int fd = open_under(in_proc ? procfd : sysfd, path + (in_proc ? 6 : 5));
	char target[FD_PATH_MAX], src[FD_PATH_MAX];
	struct stat st;

	if (fd < 0)
		return errno == ENOENT ? 0 : err_sys(err, "mask '%s'", path);
	if (fstat(fd, &st) < 0)
		return err_sys(err, "mask '%s'", path);
	fd_path(target, fd);
	if (S_ISDIR(st.st_mode)) {
		if (mount("tmpfs", target, "tmpfs", MS_RDONLY | PSEUDO_FLAGS, "size=0,mode=0555") < 0)
			return err_sys(err, "mask '%s' with an empty tmpfs", path);
		return 0;
	}
	fd_path(src, nullfd);
	if (mount(src, target, NULL, MS_BIND, NULL) < 0)
		return err_sys(err, "mask '%s' with /dev/null", path);
	return 0;
}

static int readonly_one(int procfd, const char *path, struct error *err)
{
	_cleanup_close_ int fd = open_under(procfd, path + 6);
	_cleanup_close_ int bound = -1;
	char p[FD_PATH_MAX];

	if (fd < 0)
		return errno == ENOENT ? 0 : err_sys(err, "make '%s' read-only", path);
	fd_path(p, fd);
	if (mount(p, p, NULL, MS_BIND | MS_REC, NULL) < 0)
		return err_sys(err, "make '%s' read-only", path);
	/* fd still names what lies under the new bind; the remount is of
	 * the bind, found by opening the path again. */
	bound = open_under(procfd, path + 6);
	if (bound < 0)
		return err_sys(err, "make '%s' read-only", path);
	fd_path(p, bound);
	if (mount(NULL, p, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | PSEUDO_FLAGS, NULL) < 0)
		return err_sys(err, "make '%s' read-only", path);
	return 0;
}

/* The container's own /dev/null, made by corral on its tmpfs /dev; checked
 * to be the null device before it covers anything. */
static int open_null(struct error *err)
{
	_cleanup_close_ int fd = open("/dev/null", O_PATH | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;

	if (fd < 0 || fstat(fd, &st) < 0)
		return err_sys(err, "'/dev/null' in the container");
	if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3))
		return err_set(err, EPERM, "'/dev/null' in the container is not the null device");
	return move_fd(&fd);
}

int masks_apply(struct error *err)
{
	_cleanup_close_ int procfd = open_pseudo("/proc", PROC_SUPER_MAGIC, "procfs", err);
	_cleanup_close_ int sysfd = -1, nullfd = -1;

	if (procfd < 0)
		return -1;
	sysfd = open_pseudo("/sys", SYSFS_MAGIC, "sysfs", err);
	if (sysfd < 0)
		return -1;
	nullfd = open_null(err);
	if (nullfd < 0)
		return -1;
	for (size_t i = 0; i < sizeof(masked) / sizeof(masked[0]); i++)
		if (mask_one(procfd, sysfd, nullfd, masked[i], err) < 0)
			return -1;
	for (size_t i = 0; i < sizeof(readonly) / sizeof(readonly[0]); i++)
		if (readonly_one(procfd, readonly[i], err) < 0)
			return -1;
	return 0;
}
