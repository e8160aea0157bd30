/* Real containers: APP and busybox OS containers spawned as root, their
 * namespaces, mounts, console, identity, setup errors and how they end. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config/domain.h"
#include "engine/container.h"
#include "engine/lifecycle.h"
#include "engine/pty.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/file.h"
#include "lib/xmalloc.h"

#define MKROOTFS "tests/fixtures/mkrootfs-busybox.sh"
#define WAIT_MS 5000
/* busybox init pauses between its TERM and KILL rounds at shutdown. */
#define SHUTDOWN_MS 15000

/* One container per test; Criterion runs each test in its own process. */
static struct {
	struct pty pty;
	struct container c;
	bool running;
	char dir[64];
	char out[1 << 16];
	size_t n_out;
} fx = { .pty = { -1, -1 }, .c = { 0, -1 } };

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void setup(void)
{
	snprintf(fx.dir, sizeof(fx.dir), "/tmp/corral-ct-XXXXXX");
	cr_assert_not_null(mkdtemp(fx.dir));
	/* A user-namespace root is not the host's root and must still pass. */
	chmod(fx.dir, 0755);
}

static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(p);
}

/* Whatever a test left mounted under its directory on the host; a correct
 * container leaves nothing, but a broken one must not make rm cross into a
 * bind-mounted host tree. */
static void umount_under(const char *dir)
{
	_cleanup_free_ char *info = NULL;
	struct error err = ERROR_INIT;
	size_t len = strlen(dir);

	if (file_read_all("/proc/self/mountinfo", 1 << 22, &info, NULL, &err) < 0) {
		err_clear(&err);
		return;
	}
	for (char *line = strtok(info, "\n"); line != NULL; line = strtok(NULL, "\n")) {
		char mnt[4096];

		if (sscanf(line, "%*s %*s %*s %*s %4095s", mnt) == 1 && strncmp(mnt, dir, len) == 0)
			umount2(mnt, MNT_DETACH);
	}
}

static void teardown(void)
{
	struct error err = ERROR_INIT;
	int status;

	if (fx.running) {
		container_kill(&fx.c, SIGKILL, &err);
		container_wait(&fx.c, WAIT_MS, &status, &err);
		err_clear(&err);
	}
	container_release(&fx.c);
	pty_close(&fx.pty);
	umount_under(fx.dir);
	nftw(fx.dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

TestSuite(container, .init = setup, .fini = teardown, .timeout = 60);

/* A test process that dies takes its container with it. */
static int die_with_test(void *data, struct error *err)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		return err_sys(err, "PR_SET_PDEATHSIG");
	return 0;
}

static struct domain *new_dom(const char *name, const char *init, const char *script)
{
	struct domain *dom = dom_new();

	dom->name = xstrdup(name);
	dom->init = xstrdup(init);
	if (script != NULL) {
		dom->initargs = xcalloc(2, sizeof(char *));
		dom->initargs[0] = xstrdup("-c");
		dom->initargs[1] = xstrdup(script);
		dom->n_initargs = 2;
	}
	return dom;
}

static void add_fs(struct domain *dom, enum dom_fs_type type, const char *src, const char *target,
		   bool readonly, uint64_t kib)
{
	struct dom_filesystem *fs;

	dom->filesystems = xreallocarray(dom->filesystems, dom->n_filesystems + 1, sizeof(*fs));
	fs = &dom->filesystems[dom->n_filesystems++];
	*fs = (struct dom_filesystem){ .type = type, .target = xstrdup(target), .readonly = readonly,
				       .usage_kib = kib };
	if (src != NULL)
		fs->source = xstrdup(src);
}

static char *build_rootfs(void)
{
	char *root = xasprintf("%s/root", fx.dir);
	char *argv[] = { "sh", MKROOTFS, root, NULL };
	pid_t pid;
	int status;

	cr_assert_eq(access(MKROOTFS, R_OK), 0, "run from the source tree: %s not found", MKROOTFS);
	cr_assert_eq(posix_spawnp(&pid, "sh", NULL, NULL, argv, NULL), 0);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "mkrootfs failed");
	return root;
}

static int spawn_with(const struct domain *dom, struct container_opts *o, struct error *err)
{
	struct error perr = ERROR_INIT;

	if (fx.pty.master < 0)
		cr_assert_eq(pty_open(&fx.pty, &perr), 0, "%s", err_msg(&perr));
	o->console_fd = fx.pty.slave;
	if (container_spawn(dom, o, &fx.c, err) < 0)
		return -1;
	fx.running = true;
	return 0;
}

static void spawn(const struct domain *dom)
{
	struct container_opts o;
	struct error err = ERROR_INIT;

	container_opts_init(&o);
	o.child_hook = die_with_test;
	cr_assert_eq(spawn_with(dom, &o, &err), 0, "%s", err_msg(&err));
}

/* Reads the console until needle shows up; the output so far stays in fx. */
static const char *read_until(const char *needle, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;

	for (;;) {
		struct pollfd pfd = { .fd = fx.pty.master, .events = POLLIN };
		long long left = deadline - now_ms();
		ssize_t n;

		fx.out[fx.n_out] = '\0';
		if (strstr(fx.out, needle) != NULL)
			return strstr(fx.out, needle);
		cr_assert_gt(left, 0, "no '%s' on the console within %d ms; got:\n%s", needle, timeout_ms, fx.out);
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		n = read(fx.pty.master, fx.out + fx.n_out, sizeof(fx.out) - 1 - fx.n_out);
		cr_assert_gt(n, 0, "console read: %s; got:\n%s", strerror(errno), fx.out);
		fx.n_out += (size_t)n;
	}
}

static void console_write(const char *s)
{
	cr_assert_eq(write(fx.pty.master, s, strlen(s)), (ssize_t)strlen(s));
}

static int wait_end(int timeout_ms)
{
	struct error err = ERROR_INIT;
	int status = 0;

	cr_assert_eq(container_wait(&fx.c, timeout_ms, &status, &err), 1, "init still running: %s",
		     fx.n_out ? fx.out : "");
	fx.running = false;
	return status;
}

static bool host_mounted(const char *what)
{
	_cleanup_free_ char *info = NULL;
	struct error err = ERROR_INIT;

	cr_assert_eq(file_read_all("/proc/self/mountinfo", 1 << 22, &info, NULL, &err), 0);
	return strstr(info, what) != NULL;
}

Test(container, app_namespaces)
{
	_cleanup_free_ char *mnt = xasprintf("%s/mnt", fx.dir);
	_cleanup_free_ char *script = xasprintf(
		"echo pid=[$$]; echo host=[$(hostname)];"
		"mount -t tmpfs corral-leak-check %s && grep -q corral-leak-check /proc/self/mountinfo"
		" && echo mounted=[yes];"
		"echo procs=[ /proc/[0-9]* ];"
		"grep -q ' /sys sysfs ro,' /proc/mounts && echo sys=[ro];"
		"/bin/sh -c 'echo fds=[ /proc/1/fd/* ]';"
		"read line; echo bye",
		mnt);
	_cleanup_domain_ struct domain *dom = new_dom("corral-app", "/bin/sh", script);
	struct error err = ERROR_INIT;
	int status;

	cr_assert_eq(mkdir(mnt, 0755), 0);
	spawn(dom);
	cr_assert_gt(fx.c.pid, 1);
	read_until("fds=[", WAIT_MS);
	read_until(" ]", WAIT_MS);
	cr_assert_not_null(strstr(fx.out, "pid=[1]"), "%s", fx.out);
	cr_assert_not_null(strstr(fx.out, "host=[corral-app]"), "%s", fx.out);
	cr_assert_not_null(strstr(fx.out, "mounted=[yes]"), "%s", fx.out);
	cr_assert_not_null(strstr(fx.out, "procs=[ /proc/1 ]"), "%s", fx.out);
	cr_assert_not_null(strstr(fx.out, "sys=[ro]"), "%s", fx.out);
	cr_assert_not_null(strstr(fx.out, "fds=[ /proc/1/fd/0 /proc/1/fd/1 /proc/1/fd/2 ]"), "%s", fx.out);
	/* Still running, with the mount in place inside. */
	cr_assert_eq(container_wait(&fx.c, 50, &status, &err), 0);
	cr_assert_not(host_mounted("corral-leak-check"), "a container mount leaked to the host");
	console_write("\n");
	read_until("bye", WAIT_MS);
	status = wait_end(WAIT_MS);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	cr_assert_eq(lc_classify(status), LC_POWEROFF);
}

Test(container, app_env_identity_and_dir)
{
	_cleanup_domain_ struct domain *dom =
		new_dom("corral-env", "/bin/sh",
			"echo env=[$container/$LIBVIRT_LXC_NAME/$HOME/$FOO/$TERM] uid=[$(id -u)] gid=[$(id -g)]"
			" dir=[$(pwd)] n=[$(env | wc -l)]; : </dev/tty && echo ctty=[yes]");

	dom->inituser = xstrdup("nobody");
	dom->initgroup = xstrdup("65534");
	dom->initdir = xstrdup("/tmp");
	dom->n_initenv = 1;
	dom->initenv_names = xcalloc(1, sizeof(char *));
	dom->initenv_values = xcalloc(1, sizeof(char *));
	dom->initenv_names[0] = xstrdup("FOO");
	dom->initenv_values[0] = xstrdup("bar");
	setenv("CORRAL_HOST_ONLY", "1", 1);
	spawn(dom);
	read_until("ctty=[yes]", WAIT_MS);
	cr_assert_not_null(strstr(fx.out, "env=[corral/corral-env/"), "%s", fx.out);
	cr_assert_not_null(strstr(fx.out, "/bar/linux]"), "%s", fx.out);
	cr_assert_not_null(strstr(fx.out, "uid=[65534] gid=[65534]"), "%s", fx.out);
	cr_assert_not_null(strstr(fx.out, "dir=[/tmp]"), "%s", fx.out);
	/* container PATH TERM HOME NAME UUID FOO, and PWD that sh adds. */
	cr_assert_not_null(strstr(fx.out, "n=[8]"), "%s", fx.out);
	cr_assert(WIFEXITED(wait_end(WAIT_MS)));
}

Test(container, os_busybox_rootfs_and_filesystems)
{
	_cleanup_free_ char *root = build_rootfs();
	_cleanup_free_ char *share = xasprintf("%s/share", fx.dir);
	_cleanup_free_ char *hello = xasprintf("%s/hello", share);
	_cleanup_domain_ struct domain *dom = new_dom(
		"corral-os", "/bin/sh",
		"echo os=[$$/$(hostname)/$(cat /etc/hostname)] home=[$HOME];"
		"echo share=[$(cat /mnt/share/hello)]; touch /mnt/share/x 2>/dev/null || echo ro=[yes];"
		"grep -q ' /scratch tmpfs .*size=1024k' /proc/mounts && echo ram=[yes];"
		"[ -c /dev/null ] && [ -c /dev/urandom ] && [ -L /dev/ptmx ] && [ -e /dev/pts/ptmx ]"
		" && [ -c /dev/console ] && echo dev=[yes];"
		"grep -q ' /sys sysfs ro,' /proc/mounts && echo sys=[ro];"
		"echo host=[$(ls /tmp | wc -l)];"
		"echo procs=[ /proc/[0-9]* ]; echo done");
	_cleanup_free_ char *leak = xasprintf("%s/root/tmp/leak", fx.dir);
	struct error err = ERROR_INIT;

	cr_assert_eq(mkdir(share, 0755), 0);
	cr_assert_eq(file_write_atomic(hello, "hi\n", 3, 0644, &err), 0, "%s", err_msg(&err));
	add_fs(dom, DOM_FS_MOUNT, root, "/", false, 0);
	add_fs(dom, DOM_FS_MOUNT, share, "/mnt/share", true, 0);
	add_fs(dom, DOM_FS_RAM, NULL, "/scratch", false, 1024);
	spawn(dom);
	read_until("done", WAIT_MS);
	cr_assert_not_null(strstr(fx.out, "os=[1/corral-os/busybox] home=[/root]"), "%s", fx.out);
	cr_assert_not_null(strstr(fx.out, "share=[hi]"), "%s", fx.out);
	cr_assert_not_null(strstr(fx.out, "ro=[yes]"), "%s", fx.out);
	cr_assert_not_null(strstr(fx.out, "ram=[yes]"), "%s", fx.out);
	cr_assert_not_null(strstr(fx.out, "dev=[yes]"), "%s", fx.out);
	cr_assert_not_null(strstr(fx.out, "sys=[ro]"), "%s", fx.out);
	/* The rootfs's own /tmp, empty, not the host's. */
	cr_assert_not_null(strstr(fx.out, "host=[0]"), "%s", fx.out);
	cr_assert_not_null(strstr(fx.out, "procs=[ /proc/1 ]"), "%s", fx.out);
	cr_assert(WIFEXITED(wait_end(WAIT_MS)));
	cr_assert_neq(access(leak, F_OK), 0);
}

Test(container, os_readonly_root_and_inituser_from_its_passwd)
{
	_cleanup_free_ char *root = build_rootfs();
	_cleanup_domain_ struct domain *dom =
		new_dom("corral-user", "/bin/sh",
			"echo x >/dev/null && echo null=[w]; touch /home/corral/x 2>/dev/null || echo ro=[yes];"
			"echo id=[$(id -u):$(id -g):$(id -G)] home=[$HOME]");
	_cleanup_free_ char *written = xasprintf("%s/home/corral/x", root);

	add_fs(dom, DOM_FS_MOUNT, root, "/", true, 0);
	/* "corral" exists only in the rootfs's passwd, not the host's. */
	dom->inituser = xstrdup("corral");
	spawn(dom);
	read_until("home=[", WAIT_MS);
	read_until("]", WAIT_MS);
	cr_assert_not_null(strstr(fx.out, "id=[1000:1000:1000 10] home=[/home/corral]"), "%s", fx.out);
	cr_assert_not_null(strstr(fx.out, "ro=[yes]"), "%s", fx.out);
	cr_assert_not_null(strstr(fx.out, "null=[w]"), "%s", fx.out);
	cr_assert(WIFEXITED(wait_end(WAIT_MS)));
	cr_assert_neq(access(written, F_OK), 0, "read-only root written");
}

Test(container, os_busybox_init_shuts_down_on_its_signal)
{
	_cleanup_free_ char *root = build_rootfs();
	_cleanup_domain_ struct domain *dom = new_dom("corral-init", "/sbin/init", NULL);
	struct error err = ERROR_INIT;
	enum lc_init_kind kind;
	int status;

	add_fs(dom, DOM_FS_MOUNT, root, "/", false, 0);
	kind = lc_init_kind(root, dom->init);
	cr_assert_eq(kind, LC_INIT_BUSYBOX, "kind %s", lc_init_kind_name(kind));
	spawn(dom);
	read_until("sysinit done", WAIT_MS);
	console_write("echo answer=$((6*7))\n");
	read_until("answer=42", WAIT_MS);
	cr_assert_eq(container_kill(&fx.c, lc_shutdown_signal(kind), &err), 0, "%s", err_msg(&err));
	read_until("shutting down", WAIT_MS);
	status = wait_end(SHUTDOWN_MS);
	cr_assert_eq(lc_classify(status), LC_POWEROFF, "status %#x", status);
}

/* The guard keeps a broken pid namespace from rebooting the host. */
Test(container, reboot_inside_is_a_reboot)
{
	_cleanup_domain_ struct domain *dom =
		new_dom("corral-reboot", "/bin/sh", "[ $$ = 1 ] && exec /bin/busybox reboot -f");
	int status;

	spawn(dom);
	status = wait_end(WAIT_MS);
	cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGHUP, "status %#x", status);
	cr_assert_eq(lc_classify(status), LC_REBOOT);
}

Test(container, poweroff_inside_is_a_poweroff)
{
	_cleanup_domain_ struct domain *dom =
		new_dom("corral-poweroff", "/bin/sh", "[ $$ = 1 ] && exec /bin/busybox poweroff -f");
	int status;

	spawn(dom);
	status = wait_end(WAIT_MS);
	cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT, "status %#x", status);
	cr_assert_eq(lc_classify(status), LC_POWEROFF);
}

Test(container, killed_init_is_a_crash)
{
	_cleanup_domain_ struct domain *dom = new_dom("corral-crash", "/bin/sh", "echo up; read x");
	struct error err = ERROR_INIT;

	spawn(dom);
	read_until("up", WAIT_MS);
	cr_assert_eq(container_kill(&fx.c, SIGKILL, &err), 0);
	cr_assert_eq(lc_classify(wait_end(WAIT_MS)), LC_CRASH);
	cr_assert_lt(container_kill(&fx.c, SIGTERM, &err), 0, "a reaped init is not signalled");
	err_clear(&err);
}

static void assert_no_children(void)
{
	cr_assert_eq(waitpid(-1, NULL, WNOHANG), -1, "a process was left behind");
	cr_assert_eq(errno, ECHILD);
}

static void assert_spawn_fails(const struct domain *dom, const char *want)
{
	struct container_opts o;
	struct error err = ERROR_INIT;

	container_opts_init(&o);
	o.child_hook = die_with_test;
	cr_assert_lt(spawn_with(dom, &o, &err), 0);
	cr_assert_str_eq(err_msg(&err), want);
	err_clear(&err);
	assert_no_children();
}

Test(container, setup_errors_come_back)
{
	_cleanup_domain_ struct domain *missing = new_dom("web", "/bin/true", NULL);
	_cleanup_domain_ struct domain *block = new_dom("web", "/bin/true", NULL);
	_cleanup_domain_ struct domain *noexec = new_dom("web", "/nonexistent/init", NULL);
	_cleanup_domain_ struct domain *nouser = new_dom("web", "/bin/true", NULL);

	add_fs(missing, DOM_FS_MOUNT, "/nonexistent-corral/web", "/srv", false, 0);
	assert_spawn_fails(missing, "start 'web': mount '/nonexistent-corral/web' on '/srv': No such file or directory");
	add_fs(block, DOM_FS_BLOCK, "/dev/sda1", "/data", false, 0);
	assert_spawn_fails(block, "start 'web': filesystem on '/data': type 'block' is not supported yet: Operation not supported");
	assert_spawn_fails(noexec, "start 'web': exec init '/nonexistent/init': No such file or directory");
	nouser->inituser = xstrdup("no-such-user-corral");
	assert_spawn_fails(nouser, "start 'web': init user: user 'no-such-user-corral' not found in '/etc/passwd'");
}

static int refuse(pid_t pid, void *data, struct error *err)
{
	*(pid_t *)data = pid;
	return err_set(err, 0, "cgroup join refused");
}

static int child_refuses(void *data, struct error *err)
{
	return err_set(err, EACCES, "label");
}

Test(container, hook_errors_come_back)
{
	_cleanup_domain_ struct domain *dom = new_dom("hooked", "/bin/true", NULL);
	struct container_opts o;
	struct error err = ERROR_INIT;
	pid_t seen = 0;

	container_opts_init(&o);
	o.parent_hook = refuse;
	o.hook_data = &seen;
	cr_assert_lt(spawn_with(dom, &o, &err), 0);
	cr_assert_str_eq(err_msg(&err), "start 'hooked': cgroup join refused");
	cr_assert_gt(seen, 1);
	assert_no_children();
	container_opts_init(&o);
	o.child_hook = child_refuses;
	cr_assert_lt(spawn_with(dom, &o, &err), 0);
	cr_assert_str_eq(err_msg(&err), "start 'hooked': label: Permission denied");
	cr_assert_eq(err.errnum, EACCES);
	err_clear(&err);
	assert_no_children();
}

/* The late hook runs while the container sets itself up, and init waits
 * for it: after 100 ms in the hook, the container has not exec'd yet. */
static int late_looks(pid_t pid, void *data, struct error *err)
{
	_cleanup_free_ char *path = xasprintf("/proc/%d/comm", (int)pid);
	char comm[32] = "";
	FILE *f;

	usleep(100 * 1000);
	f = fopen(path, "re");
	if (f != NULL) {
		if (fgets(comm, sizeof(comm), f) == NULL)
			comm[0] = '\0';
		fclose(f);
	}
	*(bool *)data = strncmp(comm, "true", 4) != 0;
	return 0;
}

static int late_refuses(pid_t pid, void *data, struct error *err)
{
	return err_set(err, 0, "interfaces refused");
}

Test(container, late_hook_runs_before_init_and_its_errors_come_back)
{
	_cleanup_domain_ struct domain *dom = new_dom("late", "/bin/true", NULL);
	struct container_opts o;
	struct error err = ERROR_INIT;
	bool before_exec = false;

	container_opts_init(&o);
	o.child_hook = die_with_test;
	o.parent_hook_late = late_looks;
	o.hook_data = &before_exec;
	cr_assert_eq(spawn_with(dom, &o, &err), 0, "%s", err_msg(&err));
	cr_assert(before_exec, "init was exec'd before the late hook returned");
	cr_assert_eq(lc_classify(wait_end(WAIT_MS)), LC_POWEROFF);

	container_opts_init(&o);
	o.parent_hook_late = late_refuses;
	cr_assert_lt(spawn_with(dom, &o, &err), 0);
	cr_assert_str_eq(err_msg(&err), "start 'late': interfaces refused");
	err_clear(&err);
	assert_no_children();

	/* The container fails while the hook runs: its report wins. */
	container_opts_init(&o);
	o.child_hook = child_refuses;
	o.parent_hook_late = late_looks;
	o.hook_data = &before_exec;
	cr_assert_lt(spawn_with(dom, &o, &err), 0);
	cr_assert_str_eq(err_msg(&err), "start 'late': label: Permission denied");
	err_clear(&err);
	assert_no_children();
}

Test(container, os_user_namespace)
{
	_cleanup_free_ char *root = build_rootfs();
	_cleanup_domain_ struct domain *dom = new_dom(
		"corral-userns", "/bin/sh",
		"echo map=[$(cat /proc/self/uid_map | tr -s ' ')] gmap=[$(cat /proc/self/gid_map | tr -s ' ')]"
		" sg=[$(cat /proc/self/setgroups)] id=[$(id -u)] pid=[$$]; [ -c /dev/null ] && echo dev=[yes]");
	struct dom_idmap map = { 0, 100000, 65536 };

	add_fs(dom, DOM_FS_MOUNT, root, "/", false, 0);
	dom->uid_map = xmalloc(sizeof(map));
	dom->gid_map = xmalloc(sizeof(map));
	*dom->uid_map = map;
	*dom->gid_map = map;
	dom->n_uid_map = dom->n_gid_map = 1;
	spawn(dom);
	read_until("dev=[yes]", WAIT_MS);
	cr_assert_not_null(strstr(fx.out, "map=[ 0 100000 65536] gmap=[ 0 100000 65536] sg=[deny] id=[0] pid=[1]"),
			   "%s", fx.out);
	cr_assert(WIFEXITED(wait_end(WAIT_MS)));
}

/* A link in the image pointing at an absolute path means the rootfs's path:
 * a mount through it lands inside the rootfs, never on the host. */
Test(container, os_mount_targets_stay_in_rootfs)
{
	_cleanup_free_ char *root = build_rootfs();
	_cleanup_free_ char *link = xasprintf("%s/srv", root);
	_cleanup_free_ char *inside = xasprintf("%s/var/log/corral-escape-check", root);
	_cleanup_domain_ struct domain *dom = new_dom(
		"corral-links", "/bin/sh",
		"grep -q ' /var/log/corral-escape-check tmpfs' /proc/mounts && echo ok=[yes]");

	cr_assert_eq(symlink("/var/log", link), 0);
	add_fs(dom, DOM_FS_MOUNT, root, "/", false, 0);
	add_fs(dom, DOM_FS_RAM, NULL, "/srv/corral-escape-check", false, 64);
	spawn(dom);
	read_until("ok=[yes]", WAIT_MS);
	cr_assert(WIFEXITED(wait_end(WAIT_MS)));
	cr_assert_eq(access(inside, F_OK), 0, "mount point made inside the rootfs");
	cr_assert_neq(access("/var/log/corral-escape-check", F_OK), 0, "mount point made on the host");
}

/* A second container joins the first one's network, ipc and uts
 * namespaces, as <lxc:namespace> asks. */
Test(container, shares_namespaces_of_another)
{
	static const char *const kinds[DOM_NS_SHARE_N] = { "net", "ipc", "uts" };
	_cleanup_domain_ struct domain *first = new_dom(
		"corral-first", "/bin/sh", "echo first=[$(readlink /proc/self/ns/net)]; read x");
	_cleanup_domain_ struct domain *second = new_dom(
		"corral-second", "/bin/sh",
		"echo second=[$(readlink /proc/self/ns/net)] host=[$(hostname)]");
	struct container_opts o;
	struct container c2 = { 0, -1 };
	struct error err = ERROR_INIT;
	struct pty pty2;
	char out2[4096];
	ssize_t n;
	char want[128];
	const char *p;
	int status;

	first->privnet = true;
	spawn(first);
	p = read_until("first=[net:[", WAIT_MS);
	read_until("]]", WAIT_MS);
	cr_assert_eq(sscanf(p, "first=[%100[^]]]", want), 1);
	cr_assert_eq(pty_open(&pty2, &err), 0, "%s", err_msg(&err));
	container_opts_init(&o);
	o.console_fd = pty2.slave;
	o.child_hook = die_with_test;
	second->privnet = true;
	for (int k = 0; k < DOM_NS_SHARE_N; k++) {
		_cleanup_free_ char *ns = xasprintf("/proc/%d/ns/%s", (int)fx.c.pid, kinds[k]);

		second->ns_share[k].type = xstrdup("name");
		second->ns_share[k].value = xstrdup("corral-first");
		o.ns_join[k] = open(ns, O_RDONLY | O_CLOEXEC);
		cr_assert_geq(o.ns_join[k], 0);
	}
	cr_assert_eq(container_spawn(second, &o, &c2, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(container_wait(&c2, WAIT_MS, &status, &err), 1);
	container_release(&c2);
	/* Init has ended; its output waits in the pty. */
	n = read(pty2.master, out2, sizeof(out2) - 1);
	cr_assert_gt(n, 0);
	out2[n] = '\0';
	pty_close(&pty2);
	cr_assert_not_null(strstr(out2, want), "want %s in %s", want, out2);
	cr_assert_not_null(strstr(out2, "host=[corral-first]"), "%s", out2);
	for (int k = 0; k < DOM_NS_SHARE_N; k++)
		close(o.ns_join[k]);

	/* Unresolved shares and interfaces beside a shared network are refused. */
	container_opts_init(&o);
	o.console_fd = fx.pty.slave;
	cr_assert_lt(container_spawn(second, &o, &c2, &err), 0);
	cr_assert_str_eq(err_msg(&err),
			 "start 'corral-second': the network namespace to share (name 'corral-first') was not opened: "
			 "Invalid argument");
	o.ns_join[DOM_NS_SHARE_NET] = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	o.ns_join[DOM_NS_SHARE_IPC] = o.ns_join[DOM_NS_SHARE_UTS] = o.ns_join[DOM_NS_SHARE_NET];
	second->interfaces = xcalloc(1, sizeof(*second->interfaces));
	second->n_interfaces = 1;
	cr_assert_lt(container_spawn(second, &o, &c2, &err), 0);
	cr_assert_not_null(strstr(err_msg(&err), "has its own interfaces but shares a network namespace"),
			   "%s", err_msg(&err));
	close(o.ns_join[DOM_NS_SHARE_NET]);
	err_clear(&err);
}
