/* Exit classification and init kinds with their shutdown signals. */
#include "engine/lifecycle.h"

#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/xmalloc.h"

/* Symlink hops before giving up, as the kernel's own limit. */
#define LC_MAX_LINKS 40

enum lc_end lc_classify(int wstatus)
{
	if (WIFEXITED(wstatus))
		return LC_POWEROFF;
	if (WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGINT)
		return LC_POWEROFF;
	if (WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGHUP)
		return LC_REBOOT;
	return LC_CRASH;
}

const char *lc_end_name(enum lc_end e)
{
	switch (e) {
	case LC_POWEROFF:
		return "poweroff";
	case LC_REBOOT:
		return "reboot";
	case LC_CRASH:
		return "crash";
	}
	return "unknown";
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

static bool is_shell(const char *name)
{
	static const char *const shells[] = { "sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "fish", "csh", "tcsh" };

	for (size_t i = 0; i < sizeof(shells) / sizeof(shells[0]); i++)
		if (strcmp(name, shells[i]) == 0)
			return true;
	return false;
}

/* The path init finally names, following symlinks with root as "/". Each
 * hop's target is taken relative to the link's directory as written; the
 * kernel resolves the ".." in it physically, as exec would. */
static char *resolve_in_root(const char *root, const char *init)
{
	_cleanup_close_ int rootfd = open(root != NULL ? root : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	char *path = xstrdup(init);

	if (rootfd < 0)
		return path;
	for (int hop = 0; hop < LC_MAX_LINKS; hop++) {
		struct open_how how = { .flags = O_PATH | O_NOFOLLOW | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT };
		_cleanup_close_ int fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
		char target[PATH_MAX];
		struct stat st;
		ssize_t n;
		char *next;

		if (fd < 0 || fstat(fd, &st) < 0 || !S_ISLNK(st.st_mode))
			break;
		n = readlinkat(fd, "", target, sizeof(target) - 1);
		if (n <= 0)
			break;
		target[n] = '\0';
		if (target[0] == '/') {
			next = xstrdup(target);
		} else {
			size_t dirlen = (size_t)(base_name(path) - path);
			next = xasprintf("%.*s%s", (int)dirlen, path, target);
		}
		free(path);
		path = next;
	}
	return path;
}

enum lc_init_kind lc_init_kind(const char *root, const char *init)
{
	_cleanup_free_ char *final = resolve_in_root(root, init);
	const char *invoked = base_name(init);
	const char *real = base_name(final);

	if (strcmp(real, "systemd") == 0 || strcmp(invoked, "systemd") == 0)
		return LC_INIT_SYSTEMD;
	/* busybox acts as the applet its argv[0] names, which is init as given. */
	if (strcmp(real, "busybox") == 0) {
		if (strcmp(invoked, "init") == 0 || strcmp(invoked, "linuxrc") == 0)
			return LC_INIT_BUSYBOX;
		return is_shell(invoked) ? LC_INIT_SHELL : LC_INIT_OTHER;
	}
	if (is_shell(invoked) || is_shell(real))
		return LC_INIT_SHELL;
	if (strcmp(real, "init") == 0)
		return LC_INIT_SYSVINIT;
	return LC_INIT_OTHER;
}

const char *lc_init_kind_name(enum lc_init_kind k)
{
	switch (k) {
	case LC_INIT_SHELL:
		return "shell";
	case LC_INIT_SYSTEMD:
		return "systemd";
	case LC_INIT_BUSYBOX:
		return "busybox";
	case LC_INIT_SYSVINIT:
		return "sysvinit";
	case LC_INIT_OTHER:
		return "other";
	}
	return "unknown";
}

int lc_shutdown_signal(enum lc_init_kind k)
{
	switch (k) {
	case LC_INIT_SYSTEMD:
		return SIGRTMIN + 4;
	case LC_INIT_BUSYBOX:
		return SIGUSR2;
	case LC_INIT_SYSVINIT:
		return SIGPWR;
	case LC_INIT_SHELL:
	case LC_INIT_OTHER:
		return 0;
	}
	return 0;
}

int lc_reboot_signal(enum lc_init_kind k)
{
	switch (k) {
	case LC_INIT_SYSTEMD:
		return SIGINT;
	case LC_INIT_BUSYBOX:
		return SIGTERM;
	case LC_INIT_SYSVINIT:
		return SIGINT;
	case LC_INIT_SHELL:
	case LC_INIT_OTHER:
		return 0;
	}
	return 0;
}
