/* flock-based exclusion of engines sharing a root. */
#include "engine/lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/error.h"

/* The pid written in the file, or 0 when it holds none (yet). */
static pid_t read_pid(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	long v = strtol(buf, NULL, 10);
	return v > 0 ? (pid_t)v : 0;
}

int lock_take(const char *path, int *out, struct error *err)
{
	_cleanup_close_ int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);

	if (fd < 0)
		return err_sys(err, "open lock '%s'", path);
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK)
			return err_sys(err, "lock '%s'", path);
		pid_t pid = read_pid(fd);
		if (pid > 0)
			err_set(err, 0, "another corrald (pid %d) already serves this root: '%s' is locked",
				(int)pid, path);
		else
			err_set(err, 0, "another corrald is starting on this root: '%s' is locked",
				path);
		return -EBUSY;
	}
	*out = move_fd(&fd);
	return 0;
}

int lock_set_pid(int fd, pid_t pid, struct error *err)
{
	char buf[32];
	int len = snprintf(buf, sizeof(buf), "%d\n", (int)pid);

	if (ftruncate(fd, 0) < 0 || pwrite(fd, buf, (size_t)len, 0) != len)
		return err_sys(err, "write pid to lock file");
	return 0;
}
