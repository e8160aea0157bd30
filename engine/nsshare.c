/* Resolving <lxc:namespace> shares into namespace descriptors. */
#include "engine/nsshare.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/paths.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/xmalloc.h"

static const char *const proc_ns[DOM_NS_SHARE_N] = {
	[DOM_NS_SHARE_NET] = "net",
	[DOM_NS_SHARE_IPC] = "ipc",
	[DOM_NS_SHARE_UTS] = "uts",
};

static int parse_pid(const char *s, pid_t *pid)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v <= 0 || v > 4194304)
		return -1;
	*pid = (pid_t)v;
	return 0;
}

/* The init pid of a running container of the same root, from the state
 * file its monitor keeps. */
static int container_init_pid(const struct paths *p, const char *name, pid_t *pid,
			      struct error *err)
{
	_cleanup_free_ char *run = paths_container_run(p, name);
	_cleanup_free_ char *path = xasprintf("%s/state.json", run);
	json_error_t jerr;
	json_t *st;
	json_int_t v = 0;

	if (strchr(name, '/') != NULL || name[0] == '.')
		return err_set(err, EINVAL, "'%s' is not a container name", name);
	st = json_load_file(path, 0, &jerr);
	if (st == NULL)
		return err_set(err, ENOENT, "container '%s' is not running", name);
	if (json_unpack(st, "{s:I}", "init_pid", &v) < 0 || v <= 0) {
		json_decref(st);
		return err_set(err, ENOENT, "container '%s' is not running", name);
	}
	json_decref(st);
	*pid = (pid_t)v;
	return 0;
}

static int open_one(const struct paths *p, int kind, const struct dom_ns_share *s,
		    struct error *err)
{
	_cleanup_free_ char *path = NULL;
	pid_t pid;
	int fd;

	if (strcmp(s->type, "netns") == 0) {
		if (kind != DOM_NS_SHARE_NET)
			return err_set(err, EINVAL, "type 'netns' shares only the network");
		if (strchr(s->value, '/') != NULL || s->value[0] == '.')
			return err_set(err, EINVAL, "'%s' is not a netns name", s->value);
		path = xasprintf("/run/netns/%s", s->value);
	} else if (strcmp(s->type, "pid") == 0) {
		if (parse_pid(s->value, &pid) < 0)
			return err_set(err, EINVAL, "'%s' is not a process id", s->value);
		path = xasprintf("/proc/%d/ns/%s", (int)pid, proc_ns[kind]);
	} else if (strcmp(s->type, "name") == 0) {
		if (container_init_pid(p, s->value, &pid, err) < 0)
			return -1;
		path = xasprintf("/proc/%d/ns/%s", (int)pid, proc_ns[kind]);
	} else {
		return err_set(err, EINVAL, "unknown share type '%s'", s->type);
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_sys(err, "open '%s'", path);
	return fd;
}

int nsshare_open(const struct paths *p, const struct domain *dom, int fds[DOM_NS_SHARE_N],
		 struct error *err)
{
	for (int k = 0; k < DOM_NS_SHARE_N; k++)
		fds[k] = -1;
	for (int k = 0; k < DOM_NS_SHARE_N; k++) {
		const struct dom_ns_share *s = &dom->ns_share[k];
		if (s->type == NULL)
			continue;
		fds[k] = open_one(p, k, s, err);
		if (fds[k] < 0) {
			err_prefix(err, "<lxc:%s type='%s' value='%s'>", dom_ns_share_names[k],
				   s->type, s->value);
			nsshare_close(fds);
			return -1;
		}
	}
	return 0;
}

void nsshare_close(int fds[DOM_NS_SHARE_N])
{
	for (int k = 0; k < DOM_NS_SHARE_N; k++) {
		if (fds[k] >= 0)
			close(fds[k]);
		fds[k] = -1;
	}
}
