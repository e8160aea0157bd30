/* Unix socket helpers shared by the engine, the monitor and their clients. */
#include "engine/usock.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/xmalloc.h"

static int fill_addr(struct sockaddr_un *sa, const char *path, struct error *err)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path))
		return err_set(err, ENAMETOOLONG,
			       "socket path '%s' is too long; choose a shorter --root", path);
	strcpy(sa->sun_path, path);
	return 0;
}

int usock_listen(const char *path, mode_t mode, struct error *err)
{
	_cleanup_free_ char *tmp = xasprintf("%s.new", path);
	_cleanup_close_ int fd = -1;
	struct sockaddr_un sa;
	mode_t old_umask;
	int rc;

	if (fill_addr(&sa, tmp, err) < 0)
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return err_sys(err, "socket");
	if (unlink(tmp) < 0 && errno != ENOENT)
		return err_sys(err, "remove stale '%s'", tmp);
	/* Never reachable by others, not even between bind and chmod. */
	old_umask = umask(0177);
	rc = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old_umask);
	if (rc < 0)
		return err_sys(err, "bind '%s'", tmp);
	if (chmod(tmp, mode) < 0 || listen(fd, SOMAXCONN) < 0 || rename(tmp, path) < 0) {
		err_sys(err, "listen on '%s'", path);
		unlink(tmp);
		return -1;
	}
	return move_fd(&fd);
}

int usock_connect(const char *path, struct error *err)
{
	_cleanup_close_ int fd = -1;
	struct sockaddr_un sa;

	if (fill_addr(&sa, path, err) < 0)
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return err_sys(err, "socket");
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return err_sys(err, "connect to '%s'", path);
	return move_fd(&fd);
}
