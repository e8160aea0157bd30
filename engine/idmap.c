/* Writing a user namespace's uid_map, gid_map and setgroups. */
#include "engine/idmap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/domain.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/xmalloc.h"

char *idmap_format(const struct dom_idmap *map, size_t n)
{
	char *text = xstrdup("");

	for (size_t i = 0; i < n; i++) {
		char *next = xasprintf("%s%u %u %u\n", text, map[i].start, map[i].target, map[i].count);

		free(text);
		text = next;
	}
	return text;
}

/* The kernel takes a map in one write() only. */
static int write_proc(pid_t pid, const char *file, const char *text, struct error *err)
{
	_cleanup_free_ char *path = xasprintf("/proc/%d/%s", (int)pid, file);
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
	size_t len = strlen(text);
	ssize_t n;

	if (fd < 0)
		return err_sys(err, "open '%s'", path);
	n = write(fd, text, len);
	if (n < 0)
		return err_sys(err, "write '%s'", path);
	if ((size_t)n != len)
		return err_set(err, EIO, "write '%s': short write", path);
	return 0;
}

int idmap_write(pid_t pid, const struct domain *dom, struct error *err)
{
	_cleanup_free_ char *uids = idmap_format(dom->uid_map, dom->n_uid_map);
	_cleanup_free_ char *gids = idmap_format(dom->gid_map, dom->n_gid_map);

	/* Denying setgroups keeps a group the map leaves out from being dropped
	 * to gain access that a negative group permission would refuse. */
	if (write_proc(pid, "setgroups", "deny", err) < 0 ||
	    write_proc(pid, "uid_map", uids, err) < 0 ||
	    write_proc(pid, "gid_map", gids, err) < 0)
		return err_prefix(err, "id map");
	return 0;
}
