/* Exit classification, init kinds found through symlinks in a rootfs, and
 * their shutdown and reboot signals. */
#include <criterion/criterion.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/lifecycle.h"
#include "lib/cleanup.h"
#include "lib/xmalloc.h"

#define EXITED(code) ((code) << 8)
#define KILLED(sig) (sig)

Test(lifecycle, classifies_wait_status)
{
	cr_assert(WIFEXITED(EXITED(0)) && WIFSIGNALED(KILLED(SIGHUP)));
	cr_assert_eq(lc_classify(EXITED(0)), LC_POWEROFF);
	cr_assert_eq(lc_classify(EXITED(3)), LC_POWEROFF);
	cr_assert_eq(lc_classify(KILLED(SIGINT)), LC_POWEROFF);
	cr_assert_eq(lc_classify(KILLED(SIGHUP)), LC_REBOOT);
	cr_assert_eq(lc_classify(KILLED(SIGKILL)), LC_CRASH);
	cr_assert_eq(lc_classify(KILLED(SIGSEGV) | 0x80), LC_CRASH, "core dumped");
	cr_assert_str_eq(lc_end_name(LC_REBOOT), "reboot");
}

Test(lifecycle, signals_per_kind)
{
	cr_assert_eq(lc_shutdown_signal(LC_INIT_SYSTEMD), SIGRTMIN + 4);
	cr_assert_eq(lc_reboot_signal(LC_INIT_SYSTEMD), SIGINT);
	cr_assert_eq(lc_shutdown_signal(LC_INIT_BUSYBOX), SIGUSR2);
	cr_assert_eq(lc_reboot_signal(LC_INIT_BUSYBOX), SIGTERM);
	cr_assert_eq(lc_shutdown_signal(LC_INIT_SYSVINIT), SIGPWR);
	cr_assert_eq(lc_reboot_signal(LC_INIT_SYSVINIT), SIGINT);
	cr_assert_eq(lc_shutdown_signal(LC_INIT_SHELL), 0);
	cr_assert_eq(lc_reboot_signal(LC_INIT_OTHER), 0);
}

static char dir[] = "/tmp/corral-lc-XXXXXX";

static void mk(const char *rel, const char *link_to)
{
	_cleanup_free_ char *p = xasprintf("%s/%s", dir, rel);

	if (link_to != NULL) {
		cr_assert_eq(symlink(link_to, p), 0, "symlink %s", p);
	} else if (rel[strlen(rel) - 1] == '/') {
		cr_assert_eq(mkdir(p, 0755), 0, "mkdir %s", p);
	} else {
		FILE *f = fopen(p, "w");
		cr_assert_not_null(f);
		fclose(f);
	}
}

/* A merged-/usr tree: /sbin is a link, and links inside point with ".." and
 * with absolute paths that mean the rootfs, never the host. */
static void setup(void)
{
	cr_assert_not_null(mkdtemp(dir));
	mk("usr/", NULL);
	mk("usr/sbin/", NULL);
	mk("usr/bin/", NULL);
	mk("usr/lib/", NULL);
	mk("usr/lib/systemd/", NULL);
	mk("usr/lib/systemd/systemd", NULL);
	mk("sbin", "usr/sbin");
	mk("bin", "usr/bin");
	mk("usr/bin/busybox", NULL);
	mk("usr/bin/bash", NULL);
	mk("usr/sbin/init", "../lib/systemd/systemd");
	mk("usr/sbin/bbinit", "/bin/busybox");
	mk("usr/bin/sh", "busybox");
	mk("usr/bin/dash-link", "bash");
	mk("usr/sbin/sysv", "/usr/sbin/realinit/init");
	mk("usr/sbin/realinit/", NULL);
	mk("usr/sbin/realinit/init", NULL);
	mk("usr/bin/escape", "/../../../../bin/busybox");
}

static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(p);
}

static void teardown(void)
{
	nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

Test(lifecycle, kinds_resolved_in_rootfs, .init = setup, .fini = teardown)
{
	cr_assert_eq(lc_init_kind(dir, "/sbin/init"), LC_INIT_SYSTEMD);
	cr_assert_eq(lc_init_kind(dir, "/usr/lib/systemd/systemd"), LC_INIT_SYSTEMD);
	cr_assert_eq(lc_init_kind(dir, "/sbin/bbinit"), LC_INIT_OTHER, "busybox applet 'bbinit' is no init");
	cr_assert_eq(lc_init_kind(dir, "/bin/sh"), LC_INIT_SHELL);
	cr_assert_eq(lc_init_kind(dir, "/bin/dash-link"), LC_INIT_SHELL);
	cr_assert_eq(lc_init_kind(dir, "/sbin/sysv"), LC_INIT_SYSVINIT);
	cr_assert_eq(lc_init_kind(dir, "/bin/escape"), LC_INIT_OTHER, "'escape' runs busybox as no applet");
	cr_assert_eq(lc_init_kind(dir, "/missing/init"), LC_INIT_SYSVINIT, "judged by name");
}

Test(lifecycle, busybox_init_through_links, .init = setup, .fini = teardown)
{
	_cleanup_free_ char *p = xasprintf("%s/sbin/linuxrc", dir);
	_cleanup_free_ char *init = xasprintf("%s/usr/sbin/init", dir);

	cr_assert_eq(symlink("/bin/busybox", p), 0);
	cr_assert_eq(lc_init_kind(dir, "/sbin/linuxrc"), LC_INIT_BUSYBOX);
	cr_assert_eq(unlink(init), 0);
	cr_assert_eq(symlink("/bin/busybox", init), 0);
	cr_assert_eq(lc_init_kind(dir, "/sbin/init"), LC_INIT_BUSYBOX);
	cr_assert_str_eq(lc_init_kind_name(LC_INIT_BUSYBOX), "busybox");
}

Test(lifecycle, host_paths_without_root)
{
	cr_assert_eq(lc_init_kind(NULL, "/bin/sh"), LC_INIT_SHELL);
	cr_assert_eq(lc_init_kind("/", "/bin/bash"), LC_INIT_SHELL);
	cr_assert_eq(lc_init_kind(NULL, "/usr/bin/myapp"), LC_INIT_OTHER);
}
