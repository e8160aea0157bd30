/* The busybox template: a small OS container from the host's static
 * busybox, every applet a link to /bin/busybox, busybox init with a root
 * shell on the console. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/xmalloc.h"
#include "tui/rootfs.h"

#define BUSYBOX "/bin/busybox"

static int copy_file(const char *from, const char *to, mode_t mode, struct error *err)
{
	_cleanup_close_ int in = open(from, O_RDONLY | O_CLOEXEC);
	_cleanup_close_ int out = -1;
	char buf[65536];
	ssize_t n;

	if (in < 0)
		return err_sys(err, "open '%s'", from);
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode);
	if (out < 0)
		return err_sys(err, "create '%s'", to);
	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return err_sys(err, "read '%s'", from);
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return err_sys(err, "write '%s'", to);
			off += w;
		}
	}
	if (fchmod(out, mode) < 0)
		return err_sys(err, "chmod '%s'", to);
	if (close(move_fd(&out)) < 0)
		return err_sys(err, "write '%s'", to);
	return 0;
}

/* A dynamically linked busybox (Debian's "busybox" package) would find no
 * libc inside the container; only busybox-static works there. */
static int check_static(const char *path, struct error *err)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	Elf64_Ehdr eh;

	if (fd < 0)
		return err_sys(err, "open '%s' (install busybox-static)", path);
	if (pread(fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh) || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_phentsize != sizeof(Elf64_Phdr))
		return err_set(err, 0, "'%s' is not a 64-bit ELF program", path);
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		if (pread(fd, &ph, sizeof(ph), (off_t)(eh.e_phoff + i * sizeof(ph))) != (ssize_t)sizeof(ph))
			return err_set(err, 0, "'%s': truncated program headers", path);
		if (ph.p_type == PT_INTERP)
			return err_set(err, 0, "'%s' is dynamically linked and cannot run in the container; install busybox-static",
				       path);
	}
	return 0;
}

/* `busybox --install -s` would point each link at the host path of the
 * busybox it ran from, which is wrong inside the container. */
static int link_applets(const struct rfs_opts *o, struct error *err)
{
	char *argv[] = { BUSYBOX, "--list-full", NULL };
	_cleanup_free_ char *list = NULL;
	size_t n = 0;

	if (rfs_run(argv, o->progress, &list, err) < 0)
		return err_prefix(err, "'%s' gives no applet list (install busybox-static)", BUSYBOX);
	for (char *rest = list, *applet; (applet = strsep(&rest, "\n")) != NULL;) {
		if (*applet == '\0' || strcmp(applet, "bin/busybox") == 0)
			continue;
		/* The list comes from a program; its lines must stay inside the tree. */
		if (applet[0] == '/' || strstr(applet, "..") != NULL)
			return err_set(err, 0, "busybox lists an odd applet path '%s'", applet);
		if (rfs_symlink(o->dir, applet, BUSYBOX, err) < 0)
			return -1;
		n++;
	}
	fprintf(o->progress, "rootfs: %zu busybox applets linked\n", n);
	return 0;
}

int rfs_busybox(const struct rfs_opts *o, struct error *err)
{
	static const char *const dirs[] = { "bin", "sbin", "usr/bin", "usr/sbin", "etc", "proc",
					     "sys", "dev", "run", "var/log", "home/corral", NULL };
	/* The container arrives with /proc, /sys and /dev mounted, so sysinit
	 * has nothing to mount; the shell respawns on the console (empty tty
	 * field). */
	static const char inittab[] = "::sysinit:/bin/echo corral-rootfs: sysinit done\n"
				      "::respawn:-/bin/sh\n"
				      "::ctrlaltdel:/sbin/reboot\n"
				      "::shutdown:/bin/echo corral-rootfs: shutting down\n";
	static const char passwd[] = "root:x:0:0:root:/root:/bin/sh\n"
				     "corral:x:1000:1000:corral user:/home/corral:/bin/sh\n"
				     "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n";
	static const char group[] = "root:x:0:\ntty:x:5:\nwheel:x:10:corral\ncorral:x:1000:\n"
				    "nogroup:x:65534:\n";
	_cleanup_free_ char *bb = xasprintf("%s/bin/busybox", o->dir);
	_cleanup_free_ char *hostname = xasprintf("%s\n", o->hostname);
	_cleanup_free_ char *home = xasprintf("%s/home/corral", o->dir);

	fprintf(o->progress, "rootfs: busybox template in '%s'\n", o->dir);
	if (check_static(BUSYBOX, err) < 0)
		return -1;
	for (int i = 0; dirs[i] != NULL; i++)
		if (rfs_mkdir(o->dir, dirs[i], 0755, err) < 0)
			return -1;
	if (rfs_mkdir(o->dir, "tmp", 01777, err) < 0 || rfs_mkdir(o->dir, "root", 0700, err) < 0)
		return -1;
	if (copy_file(BUSYBOX, bb, 0755, err) < 0)
		return err_prefix(err, "copy the host's busybox (install busybox-static)");
	if (link_applets(o, err) < 0)
		return -1;
	if (rfs_write(o->dir, "etc/inittab", inittab, 0644, err) < 0 ||
	    rfs_write(o->dir, "etc/passwd", passwd, 0644, err) < 0 ||
	    rfs_write(o->dir, "etc/group", group, 0644, err) < 0 ||
	    rfs_write(o->dir, "etc/hostname", hostname, 0644, err) < 0 ||
	    rfs_root_password(o->dir, o->root_password, err) < 0)
		return -1;
	if (chown(home, 1000, 1000) < 0)
		return err_sys(err, "chown '%s'", home);
	return 0;
}
