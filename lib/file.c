/* Bounded whole-file reads and crash-safe file replacement. */
#include "lib/file.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/xmalloc.h"

int file_read_all(const char *path, size_t max, char **out, size_t *len, struct error *err)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	_cleanup_free_ char *buf = NULL;
	size_t used = 0, cap = 0;

	if (fd < 0)
		return err_sys(err, "open '%s'", path);
	for (;;) {
		if (used == cap) {
			if (cap > max)
				return err_set(err, EFBIG, "read '%s': larger than %zu bytes", path, max);
			cap = cap ? cap * 2 : 4096;
			buf = xrealloc(buf, cap + 1);
		}
		ssize_t n = read(fd, buf + used, cap - used);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return err_sys(err, "read '%s'", path);
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	if (used > max)
		return err_set(err, EFBIG, "read '%s': larger than %zu bytes", path, max);
	buf[used] = '\0';
	*out = move_ptr(buf);
	if (len != NULL)
		*len = used;
	return 0;
}

static int write_full(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int fsync_dir_of(const char *path, struct error *err)
{
	_cleanup_free_ char *copy = xstrdup(path);
	const char *dir = dirname(copy);
	_cleanup_close_ int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return err_sys(err, "open directory '%s'", dir);
	if (fsync(fd) < 0)
		return err_sys(err, "fsync directory '%s'", dir);
	return 0;
}

static int write_temp(const char *path, const void *data, size_t len, mode_t mode,
		      bool durable, char **tmp_out, struct error *err)
{
	_cleanup_free_ char *copy = xstrdup(path);
	_cleanup_free_ char *copy2 = xstrdup(path);
	_cleanup_free_ char *tmp = xasprintf("%s/.%s.XXXXXX", dirname(copy), basename(copy2));
	_cleanup_close_ int fd = mkostemp(tmp, O_CLOEXEC);

	if (fd < 0)
		return err_sys(err, "create temporary file for '%s'", path);
	if (fchmod(fd, mode) < 0 || write_full(fd, data, len) < 0 || (durable && fsync(fd) < 0)) {
		err_sys(err, "write '%s'", tmp);
		unlink(tmp);
		return -1;
	}
	if (close(move_fd(&fd)) < 0) {
		err_sys(err, "close '%s'", tmp);
		unlink(tmp);
		return -1;
	}
	*tmp_out = move_ptr(tmp);
	return 0;
}

int file_write_temp(const char *path, const void *data, size_t len, mode_t mode,
		    char **tmp_out, struct error *err)
{
	return write_temp(path, data, len, mode, true, tmp_out, err);
}

int file_commit_temp(const char *tmp, const char *path, struct error *err)
{
	if (rename(tmp, path) < 0)
		return err_sys(err, "rename '%s' to '%s'", tmp, path);
	return fsync_dir_of(path, err);
}

int file_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
		      struct error *err)
{
	_cleanup_free_ char *tmp = NULL;

	if (file_write_temp(path, data, len, mode, &tmp, err) < 0)
		return -1;
	if (file_commit_temp(tmp, path, err) < 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

int file_write_replace(const char *path, const void *data, size_t len, mode_t mode,
		       struct error *err)
{
	_cleanup_free_ char *tmp = NULL;

	if (write_temp(path, data, len, mode, false, &tmp, err) < 0)
		return -1;
	if (rename(tmp, path) < 0) {
		err_sys(err, "rename '%s' to '%s'", tmp, path);
		unlink(tmp);
		return -1;
	}
	return 0;
}

char *file_find_companion(const char *name)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *dir, *path;

	if (n <= 0)
		return NULL;
	self[n] = '\0';
	dir = dirname(self);
	path = xasprintf("%s/%s", dir, name);
	if (access(path, X_OK) == 0)
		return path;
	free(path);
	path = xasprintf("%s/../libexec/corral/%s", dir, name);
	if (access(path, X_OK) == 0)
		return path;
	free(path);
	return NULL;
}

int file_mkdir_p(const char *path, mode_t mode, struct error *err)
{
	_cleanup_free_ char *p = NULL;

	/* Mostly the directory is there: one call then, not one a component
	 * (a container start leases and releases addresses through it). */
	if (mkdir(path, mode) == 0 || errno == EEXIST)
		return 0;
	p = xstrdup(path);
	for (char *s = p + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, mode) < 0 && errno != EEXIST)
			return err_sys(err, "create directory '%s'", p);
		*s = c;
		if (c == '\0')
			break;
	}
	return 0;
}
