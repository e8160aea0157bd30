/* clone() of a container's init, its setup inside, and the handshake that
 * brings setup errors back to the caller. */
#include "engine/container.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/sched.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config/domain.h"
#include "engine/idmap.h"
#include "engine/initenv.h"
#include "engine/passwd.h"
#include "engine/rootfs.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/xmalloc.h"

/* The largest setup error the container sends back. */
#define SPAWN_MSG_MAX 4096

struct spawn_msg {
	int errnum;
	char text[SPAWN_MSG_MAX];
};

static const struct {
	int clone_flag;
	const char *name;
} ns_kinds[DOM_NS_SHARE_N] = {
	[DOM_NS_SHARE_NET] = { CLONE_NEWNET, "network" },
	[DOM_NS_SHARE_IPC] = { CLONE_NEWIPC, "ipc" },
	[DOM_NS_SHARE_UTS] = { CLONE_NEWUTS, "uts" },
};

struct spawn_ctx {
	const struct domain *dom;
	const struct container_opts *o;
	char **argv;
	int sync_fd;
	bool userns;
};

static void reset_signals(void)
{
	sigset_t all;

	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
}

/* Init's terminal: a new session with the console as its controlling tty
 * and stdio. The copy to a high fd keeps a console_fd of 0, 1 or 2 from
 * being closed as a CLOEXEC original. */
static int take_console(int console_fd, struct error *err)
{
	_cleanup_close_ int fd = fcntl(console_fd, F_DUPFD_CLOEXEC, 3);

	if (fd < 0)
		return err_sys(err, "console");
	if (setsid() < 0)
		return err_sys(err, "setsid");
	if (ioctl(fd, TIOCSCTTY, 0) < 0)
		return err_sys(err, "console: make it the controlling terminal");
	for (int i = 0; i < 3; i++)
		if (dup2(fd, i) < 0)
			return err_sys(err, "console: dup2");
	return 0;
}

static int take_identity(const struct domain *dom, const struct passwd_ident *id, bool userns,
			 struct error *err)
{
	/* setgroups is denied in a user namespace, whose init starts with none. */
	if (!userns && setgroups(id->n_groups, id->groups) < 0)
		return err_sys(err, "set groups of user '%s'", dom->inituser != NULL ? dom->inituser : "root");
	if (setresgid(id->gid, id->gid, id->gid) < 0)
		return err_sys(err, "set group %u", (unsigned)id->gid);
	if (setresuid(id->uid, id->uid, id->uid) < 0)
		return err_sys(err, "set user %u", (unsigned)id->uid);
	return 0;
}

static int join_namespaces(const struct container_opts *o, struct error *err)
{
	for (int k = 0; k < DOM_NS_SHARE_N; k++)
		if (o->ns_join[k] >= 0 && setns(o->ns_join[k], ns_kinds[k].clone_flag) < 0)
			return err_sys(err, "join the shared %s namespace", ns_kinds[k].name);
	return 0;
}

/* Everything in the container up to exec; returns only on failure. */
static int child_setup(const struct spawn_ctx *ctx, struct error *err)
{
	const struct domain *dom = ctx->dom;
	struct passwd_ident id = { 0 };
	char **env;
	char go;

	reset_signals();
	/* Init starts as the kernel starts it, not with the monitor's umask. */
	umask(022);
	/* Wait for the id maps and the caller's hook. */
	if (recv(ctx->sync_fd, &go, 1, 0) != 1)
		_exit(127);
	if (ctx->userns && (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0))
		return err_sys(err, "become root of the user namespace (is id 0 mapped?)");
	if (join_namespaces(ctx->o, err) < 0)
		return -1;
	/* A shared uts namespace keeps its owner's hostname. */
	if (ctx->o->ns_join[DOM_NS_SHARE_UTS] < 0 && sethostname(dom->name, strlen(dom->name)) < 0)
		return err_sys(err, "set hostname '%s'", dom->name);
	if (rootfs_setup(dom, ctx->o->console_fd, ctx->o->mount_label, err) < 0 ||
	    take_console(ctx->o->console_fd, err) < 0)
		return -1;
	if (ctx->o->child_hook != NULL && ctx->o->child_hook(ctx->o->hook_data, err) < 0)
		return -1;
	if (passwd_resolve("/etc/passwd", "/etc/group", dom->inituser, dom->initgroup, &id, err) < 0)
		return err_prefix(err, "init user");
	env = initenv_build(dom, id.home);
	if (take_identity(dom, &id, ctx->userns, err) < 0)
		return -1;
	if (chdir(dom->initdir != NULL ? dom->initdir : "/") < 0)
		return err_sys(err, "initdir '%s'", dom->initdir != NULL ? dom->initdir : "/");
	/* Wait for the caller's late hook. */
	if (ctx->o->parent_hook_late != NULL && recv(ctx->sync_fd, &go, 1, 0) != 1)
		_exit(127);
	/* The sync socket is among them: its closing at exec tells the caller
	 * that init is running. */
	if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		return err_sys(err, "close host descriptors");
	execve(dom->init, ctx->argv, env);
	return err_sys(err, "exec init '%s'", dom->init);
}

static _Noreturn void child_main(const struct spawn_ctx *ctx)
{
	struct error err = ERROR_INIT;
	struct spawn_msg msg = { 0 };

	child_setup(ctx, &err);
	msg.errnum = err.errnum;
	strncpy(msg.text, err_msg(&err), sizeof(msg.text) - 1);
	send(ctx->sync_fd, &msg, sizeof(msg), MSG_NOSIGNAL);
	_exit(127);
}

static char **init_argv(const struct domain *dom)
{
	char **argv = xcalloc(dom->n_initargs + 2, sizeof(*argv));

	argv[0] = dom->init;
	for (size_t i = 0; i < dom->n_initargs; i++)
		argv[i + 1] = dom->initargs[i];
	return argv;
}

/* Forks the way fork() does, into new namespaces, with a pidfd. Shared
 * namespaces are joined by the child instead. */
static pid_t clone_init(const struct domain *dom, const struct container_opts *o, int *pidfd,
			struct error *err)
{
	struct clone_args args = {
		.flags = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID | CLONE_PIDFD,
		.pidfd = (uint64_t)(uintptr_t)pidfd,
		.exit_signal = SIGCHLD,
	};
	pid_t pid;

	if (dom_wants_netns(dom))
		args.flags |= CLONE_NEWNET;
	for (int k = 0; k < DOM_NS_SHARE_N; k++)
		if (o->ns_join[k] >= 0)
			args.flags &= ~(uint64_t)ns_kinds[k].clone_flag;
	if (dom->n_uid_map > 0 || dom->n_gid_map > 0)
		args.flags |= CLONE_NEWUSER;
	pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
	if (pid < 0)
		return err_sys(err, "clone");
	return pid;
}

static void reap(pid_t pid, int pidfd)
{
	syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	close(pidfd);
}

/* The caller's half of the handshake: maps, hook, go, then the verdict. */
static int parent_setup(const struct spawn_ctx *ctx, pid_t pid, struct error *err)
{
	struct spawn_msg msg;
	const char go = 1;
	ssize_t n;

	if (ctx->userns && idmap_write(pid, ctx->dom, err) < 0)
		return -1;
	if (ctx->o->parent_hook != NULL && ctx->o->parent_hook(pid, ctx->o->hook_data, err) < 0)
		return -1;
	if (send(ctx->sync_fd, &go, 1, MSG_NOSIGNAL) != 1)
		return err_sys(err, "container setup");
	if (ctx->o->parent_hook_late != NULL) {
		if (ctx->o->parent_hook_late(pid, ctx->o->hook_data, err) < 0)
			return -1;
		/* A container that failed meanwhile has closed its end: its
		 * report is read below. */
		send(ctx->sync_fd, &go, 1, MSG_NOSIGNAL);
	}
	do
		n = recv(ctx->sync_fd, &msg, sizeof(msg), 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return err_sys(err, "container setup");
	if (n == 0)
		return 0;
	if ((size_t)n != sizeof(msg))
		return err_set(err, EPROTO, "container setup: truncated error report");
	msg.text[sizeof(msg.text) - 1] = '\0';
	err_set(err, 0, "%s", msg.text);
	err->errnum = msg.errnum;
	return -1;
}

/* A share left unresolved would silently become a private namespace. */
static int check_shares(const struct domain *dom, const struct container_opts *o, struct error *err)
{
	for (int k = 0; k < DOM_NS_SHARE_N; k++)
		if (dom->ns_share[k].type != NULL && o->ns_join[k] < 0)
			return err_set(err, EINVAL, "the %s namespace to share (%s '%s') was not opened",
				       ns_kinds[k].name, dom->ns_share[k].type,
				       dom->ns_share[k].value != NULL ? dom->ns_share[k].value : "");
	if (o->ns_join[DOM_NS_SHARE_NET] >= 0 && dom->n_interfaces > 0)
		return err_set(err, EINVAL,
			       "has its own interfaces but shares a network namespace; remove one of them");
	return 0;
}

void container_opts_init(struct container_opts *o)
{
	*o = (struct container_opts){ .console_fd = -1 };
	for (int k = 0; k < DOM_NS_SHARE_N; k++)
		o->ns_join[k] = -1;
}

int container_spawn(const struct domain *dom, const struct container_opts *o, struct container *c,
		    struct error *err)
{
	_cleanup_free_ char **argv = NULL;
	_cleanup_close_ int ours = -1;
	int sv[2], pidfd = -1;
	struct spawn_ctx ctx;
	pid_t pid;

	if (dom->init == NULL)
		return err_set(err, EINVAL, "start '%s': no init", dom->name);
	if (o->console_fd < 0)
		return err_set(err, EBADF, "start '%s': no console", dom->name);
	if (check_shares(dom, o, err) < 0 || rootfs_check(dom, err) < 0)
		return err_prefix(err, "start '%s'", dom->name);
	/* SEQPACKET keeps the error report one message. */
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return err_sys(err, "start '%s': socketpair", dom->name);
	ours = sv[0];
	argv = init_argv(dom);
	ctx = (struct spawn_ctx){
		.dom = dom,
		.o = o,
		.argv = argv,
		.sync_fd = sv[1],
		.userns = dom->n_uid_map > 0 || dom->n_gid_map > 0,
	};
	pid = clone_init(dom, o, &pidfd, err);
	if (pid == 0) {
		close(ours);
		child_main(&ctx);
	}
	close(sv[1]);
	if (pid < 0)
		return err_prefix(err, "start '%s'", dom->name);
	ctx.sync_fd = ours;
	if (parent_setup(&ctx, pid, err) < 0) {
		reap(pid, pidfd);
		return err_prefix(err, "start '%s'", dom->name);
	}
	c->pid = pid;
	c->pidfd = pidfd;
	return 0;
}

int container_kill(const struct container *c, int sig, struct error *err)
{
	if (syscall(SYS_pidfd_send_signal, c->pidfd, sig, NULL, 0) < 0)
		return err_sys(err, "signal %d to init %d", sig, (int)c->pid);
	return 0;
}

int container_wait(const struct container *c, int timeout_ms, int *wstatus, struct error *err)
{
	struct pollfd pfd = { .fd = c->pidfd, .events = POLLIN };
	int r;

	do
		r = poll(&pfd, 1, timeout_ms);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return err_sys(err, "wait for init %d", (int)c->pid);
	if (r == 0)
		return 0;
	while (waitpid(c->pid, wstatus, 0) < 0) {
		if (errno != EINTR)
			return err_sys(err, "wait for init %d", (int)c->pid);
	}
	return 1;
}

void container_release(struct container *c)
{
	if (c->pidfd >= 0)
		close(c->pidfd);
	c->pidfd = -1;
}
