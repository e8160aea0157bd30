/* Size-capped, rotated console log. */
#include "engine/conlog.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/xmalloc.h"

static int conlog_reopen(struct conlog *l, int extra_flags, struct error *err)
{
	struct stat st;
	int fd = open(l->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY | extra_flags, 0640);

	if (fd < 0)
		return err_sys(err, "open console log '%s'", l->path);
	if (fstat(fd, &st) < 0) {
		err_sys(err, "stat console log '%s'", l->path);
		close(fd);
		return -1;
	}
	if (l->fd >= 0)
		close(l->fd);
	l->fd = fd;
	l->size = (uint64_t)st.st_size;
	return 0;
}

int conlog_open(struct conlog *l, const char *path, uint64_t cap, struct error *err)
{
	l->path = xstrdup(path);
	l->fd = -1;
	l->cap = cap;
	l->size = 0;
	if (conlog_reopen(l, 0, err) < 0) {
		free(l->path);
		l->path = NULL;
		return -1;
	}
	return 0;
}

static int conlog_rotate(struct conlog *l, struct error *err)
{
	_cleanup_free_ char *old = xasprintf("%s.1", l->path);

	/* A rename over an existing file makes ext4 write the renamed file
	 * out at once (its guard for replace-by-rename); a log needs no such
	 * care, and a flooding console paid for it at every rotation. */
	if (unlink(old) < 0 && errno != ENOENT)
		return err_sys(err, "remove '%s'", old);
	if (rename(l->path, old) < 0)
		return err_sys(err, "rotate console log '%s' to '%s'", l->path, old);
	return conlog_reopen(l, O_TRUNC, err);
}

int conlog_write(struct conlog *l, const void *data, size_t len, struct error *err)
{
	const char *p = data;

	while (len > 0) {
		uint64_t room;
		ssize_t n;

		if (l->size >= l->cap && conlog_rotate(l, err) < 0)
			return -1;
		room = l->cap - l->size;
		n = write(l->fd, p, len < room ? len : room);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return err_sys(err, "write console log '%s'", l->path);
		}
		l->size += (uint64_t)n;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

void conlog_close(struct conlog *l)
{
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
	free(l->path);
	l->path = NULL;
}
