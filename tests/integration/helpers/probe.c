/* What root in a container tries in isolation.bats, one attempt per verb,
 * built static into the test rootfs. Prints "denied: WHAT: REASON" and
 * exits 0 when the kernel refused, "ESCAPED: WHAT" and exits 1 when it did
 * not. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int verdict(int rc, const char *what)
{
	if (rc < 0) {
		printf("denied: %s: %s\n", what, strerror(errno));
		return 0;
	}
	printf("ESCAPED: %s\n", what);
	return 1;
}

/* mknod of a block device (major:minor of the host's disk), then, should
 * that pass, open it. */
static int do_mknod(const char *dev)
{
	unsigned maj = 8, min = 0;
	int fd;

	if (dev != NULL)
		sscanf(dev, "%u:%u", &maj, &min);
	unlink("/tmp/probe-blk");
	if (mknod("/tmp/probe-blk", S_IFBLK | 0600, makedev(maj, min)) < 0)
		return verdict(-1, "mknod block device");
	fd = open("/tmp/probe-blk", O_RDONLY);
	unlink("/tmp/probe-blk");
	if (fd >= 0)
		close(fd);
	return verdict(fd, "open a block device made with mknod");
}

static int do_settime(void)
{
	struct timespec ts;
	struct timeval tv;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (clock_settime(CLOCK_REALTIME, &ts) == 0)
		return verdict(0, "clock_settime");
	gettimeofday(&tv, NULL);
	return verdict(settimeofday(&tv, NULL), "clock_settime and settimeofday");
}

static int do_module(void)
{
	int fd = open("/bin/busybox", O_RDONLY | O_CLOEXEC);

	/* finit_module checks CAP_SYS_MODULE before it reads the file. */
	if (syscall(SYS_finit_module, fd, "", 0) == 0)
		return verdict(0, "finit_module");
	/* A kernel built without modules refuses everyone (ENOSYS). */
	if (errno != EPERM && errno != ENOSYS)
		return verdict(0, "finit_module (not refused for want of privilege)");
	if (syscall(SYS_delete_module, "probe_nonexistent", O_NONBLOCK) == 0 ||
	    (errno != EPERM && errno != ENOSYS))
		return verdict(0, "delete_module (not refused for want of privilege)");
	return verdict(-1, "finit_module and delete_module");
}

/* open_by_handle_at ("shocker"): with dac_read_search it opens any inode
 * of the rootfs's filesystem, the host's root included. */
static int do_handle(void)
{
	struct file_handle *h = malloc(sizeof(*h) + MAX_HANDLE_SZ);
	int mnt, fd;

	h->handle_bytes = MAX_HANDLE_SZ;
	if (name_to_handle_at(AT_FDCWD, "/", h, &mnt, 0) < 0) {
		printf("denied: name_to_handle_at: %s\n", strerror(errno));
		return 0;
	}
	fd = open_by_handle_at(open("/", O_RDONLY | O_DIRECTORY), h, O_RDONLY);
	return verdict(fd, "open_by_handle_at");
}

static int do_tiocsti(const char *text)
{
	for (const char *p = text; *p != '\0'; p++)
		if (ioctl(0, TIOCSTI, p) < 0)
			return verdict(-1, "TIOCSTI");
	printf("pushed: %zu bytes into its own terminal\n", strlen(text));
	return 0;
}

int main(int argc, char **argv)
{
	const char *verb = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IONBF, 0);
	if (strcmp(verb, "mknod") == 0)
		return do_mknod(argc > 2 ? argv[2] : NULL);
	if (strcmp(verb, "settime") == 0)
		return do_settime();
	if (strcmp(verb, "module") == 0)
		return do_module();
	if (strcmp(verb, "handle") == 0)
		return do_handle();
	if (strcmp(verb, "tiocsti") == 0)
		return do_tiocsti(argc > 2 ? argv[2] : "");
	if (strcmp(verb, "reboot") == 0)
		return verdict(reboot(RB_AUTOBOOT), "reboot");
	fprintf(stderr, "usage: probe mknod [MAJ:MIN] | settime | module | handle | tiocsti TEXT | reboot\n");
	return 2;
}
