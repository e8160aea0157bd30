/* Creating a container: its namespaces, mounts, console and init. */
#ifndef CORRAL_ENGINE_CONTAINER_H
#define CORRAL_ENGINE_CONTAINER_H

#include <sys/types.h>

#include "config/domain.h"

struct error;

struct container_opts {
	/* The console pty slave: init's controlling terminal and stdio, and
	 * /dev/console. The caller keeps the master. */
	int console_fd;
	/* Run in the caller once the container's process exists, its id maps
	 * written, before it sets anything up: the place to put it into
	 * cgroups or move network devices into its namespace. NULL for none. */
	int (*parent_hook)(pid_t pid, void *data, struct error *err);
	/* Run in the caller after parent_hook, while the container sets
	 * itself up; init is exec'd only once it has returned: the place for
	 * what init needs but the setup does not, such as its interfaces.
	 * NULL for none. */
	int (*parent_hook_late)(pid_t pid, void *data, struct error *err);
	/* Run in the container after its mounts, before init's identity is
	 * taken and it is exec'd: the place for security labels and capability
	 * bounding. NULL for none. */
	int (*child_hook)(void *data, struct error *err);
	void *hook_data;
	/* Options for the container's tmpfs and devpts mounts, its security
	 * label (context="…"); NULL for none. */
	const char *mount_label;
	/* <lxc:namespace>: per kind, an fd of the namespace to join instead of
	 * making one (/proc/PID/ns/net, /run/netns/NAME, …), -1 for a new one.
	 * The caller resolves the domain's ns_share into these and keeps them. */
	int ns_join[DOM_NS_SHARE_N];
};

/* No console, no hooks, new namespaces of every kind. */
void container_opts_init(struct container_opts *o);

struct container {
	pid_t pid;  /* init, as the host sees it */
	int pidfd;  /* O_CLOEXEC; readable once init has ended */
};

/* Starts dom's init as PID 1 of new mount, uts, ipc and pid namespaces (and
 * a network namespace when the domain needs one, a user namespace when it
 * has <idmap>). Returns once init has been exec'd; a failure on the way,
 * in the caller or in the container, comes back as the error, e.g. "start
 * 'web': mount '/srv/web' on '/srv': No such file or directory", with no
 * process left behind. */
int container_spawn(const struct domain *dom, const struct container_opts *o, struct container *c,
		    struct error *err);

/* Sends sig to init, through its pidfd so a recycled pid is never hit. */
int container_kill(const struct container *c, int sig, struct error *err);

/* Waits up to timeout_ms (-1 for ever) for init to end and reaps it.
 * Returns 1 with *wstatus set when it ended, 0 on timeout. */
int container_wait(const struct container *c, int timeout_ms, int *wstatus, struct error *err);

/* Closes the pidfd; init, if still running, is not touched. */
void container_release(struct container *c);

#endif
