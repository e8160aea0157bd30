/* The debian template: debootstrap (minbase) from the host's configured
 * mirror, then the tuning a systemd guest needs to boot in a container. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/file.h"
#include "lib/xmalloc.h"
#include "tui/rootfs.h"

#define DEFAULT_MIRROR "http://deb.debian.org/debian"
/* systemd as init, and what the tuning below configures. */
#define BASE_PACKAGES "systemd-sysv,iproute2"

static bool mirror_ok(const char *u)
{
	if (strncmp(u, "http://", 7) != 0 && strncmp(u, "https://", 8) != 0 &&
	    strncmp(u, "file:/", 6) != 0)
		return false;
	for (; *u != '\0'; u++)
		if (isspace((unsigned char)*u) || *u == '[')
			return false;
	return true;
}

/* The first Debian archive (not the security one) named in the host's apt
 * sources, one-line or deb822 format. */
static char *mirror_from_file(const char *path)
{
	_cleanup_free_ char *text = NULL;
	struct error err = ERROR_INIT;
	size_t len;

	if (file_read_all(path, 1u << 20, &text, &len, &err) < 0) {
		err_clear(&err);
		return NULL;
	}
	for (char *rest = text, *ln; (ln = strsep(&rest, "\n")) != NULL;) {
		char *tok[4] = { NULL };
		int n = 0;

		for (char *save = ln, *t; n < 4 && (t = strsep(&save, " \t")) != NULL;)
			if (*t != '\0')
				tok[n++] = t;
		if (n == 0 || tok[0][0] == '#')
			continue;
		const char *uri = NULL;
		if (strcmp(tok[0], "deb") == 0 && n >= 2)
			uri = tok[1][0] == '[' && n >= 3 ? tok[2] : tok[1];
		else if (strcmp(tok[0], "URIs:") == 0 && n >= 2)
			uri = tok[1];
		if (uri != NULL && mirror_ok(uri) && strstr(uri, "security") == NULL)
			return xstrdup(uri);
	}
	return NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *find_mirror(void)
{
	char *m = mirror_from_file("/etc/apt/sources.list");
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;

	if (m != NULL)
		return m;
	d = opendir("/etc/apt/sources.list.d");
	while (d != NULL && (e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);
		if ((l > 5 && strcmp(e->d_name + l - 5, ".list") == 0) ||
		    (l > 8 && strcmp(e->d_name + l - 8, ".sources") == 0)) {
			names = xreallocarray(names, n + 1, sizeof(*names));
			names[n++] = xasprintf("/etc/apt/sources.list.d/%s", e->d_name);
		}
	}
	if (d != NULL)
		closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		if (m == NULL)
			m = mirror_from_file(names[i]);
		free(names[i]);
	}
	free(names);
	return m != NULL ? m : xstrdup(DEFAULT_MIRROR);
}

/* Debian package names, so that nothing the operator typed reaches
 * debootstrap as an option. */
static bool package_list_ok(const char *s)
{
	bool start = true;

	for (; *s != '\0'; s++) {
		if (*s == ',') {
			if (start)
				return false;
			start = true;
			continue;
		}
		if (start ? !(islower((unsigned char)*s) || isdigit((unsigned char)*s))
			  : !(islower((unsigned char)*s) || isdigit((unsigned char)*s) ||
			      strchr("+-.", *s) != NULL))
			return false;
		start = false;
	}
	return !start;
}

static bool release_ok(const char *s)
{
	if (*s == '\0' || *s == '-')
		return false;
	for (; *s != '\0'; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '-')
			return false;
	return true;
}

int rfs_debian_check(const struct rfs_opts *o, struct error *err)
{
	if (o->packages != NULL && !package_list_ok(o->packages))
		return err_set(err, 0, "--packages '%s': expected Debian package names separated by commas",
			       o->packages);
	if (!release_ok(o->release))
		return err_set(err, 0, "--release '%s': expected a Debian suite or codename such as bookworm",
			       o->release);
	if (access("/usr/sbin/debootstrap", X_OK) < 0)
		return err_set(err, 0, "debootstrap is not installed (apt-get install debootstrap)");
	return 0;
}

static int debootstrap(const struct rfs_opts *o, struct error *err)
{
	_cleanup_free_ char *mirror = find_mirror();
	_cleanup_free_ char *include = NULL, *cache = NULL;
	char *argv[8];
	int n = 0;

	include = o->packages != NULL && o->packages[0] != '\0'
			  ? xasprintf("--include=%s,%s", BASE_PACKAGES, o->packages)
			  : xstrdup("--include=" BASE_PACKAGES);
	argv[n++] = "/usr/sbin/debootstrap";
	argv[n++] = "--variant=minbase";
	argv[n++] = include;
	if (o->cache_dir != NULL) {
		if (file_mkdir_p(o->cache_dir, 0755, err) < 0)
			return -1;
		cache = xasprintf("--cache-dir=%s", o->cache_dir);
		argv[n++] = cache;
	}
	argv[n++] = (char *)o->release;
	argv[n++] = (char *)o->dir;
	argv[n++] = mirror;
	argv[n] = NULL;
	fprintf(o->progress, "rootfs: debootstrap %s from %s (minbase, %s)\n", o->release, mirror,
		include + 10);
	if (rfs_run(argv, o->progress, NULL, err) < 0)
		return err_prefix(err, "debootstrap %s from %s", o->release, mirror);
	return 0;
}

/* Units that wait for hardware, udev or mounts a container does not have. */
static const char *const masked_units[] = {
	"systemd-udevd.service",           "systemd-udevd-control.socket",
	"systemd-udevd-kernel.socket",     "systemd-udev-trigger.service",
	"systemd-udev-settle.service",     "systemd-modules-load.service",
	"systemd-remount-fs.service",      "systemd-journald-audit.socket",
	"sys-kernel-config.mount",         "sys-kernel-debug.mount",
	"sys-kernel-tracing.mount",        "sys-fs-fuse-connections.mount",
	"dev-hugepages.mount",             "dev-mqueue.mount",
	"systemd-networkd-wait-online.service", "getty@.service",
	"getty-static.service",            NULL,
};

static int tune(const struct rfs_opts *o, struct error *err)
{
	/* The engine gives eth0 its address from the host side before init
	 * runs; KeepConfiguration stops networkd from dropping it, DHCP covers
	 * a bridge whose network has its own DHCP server. */
	static const char network[] = "[Match]\nName=eth0\n\n"
				      "[Network]\nDHCP=yes\nKeepConfiguration=yes\n";
	static const char fstab[] = "# The container manager mounts what the container needs.\n";
	_cleanup_free_ char *hostname = xasprintf("%s\n", o->hostname);
	_cleanup_free_ char *hosts =
		xasprintf("127.0.0.1\tlocalhost\n127.0.1.1\t%s\n::1\tlocalhost ip6-localhost ip6-loopback\n",
			  o->hostname);
	_cleanup_free_ char *securetty = NULL;

	fprintf(o->progress, "rootfs: tuning for a container (fstab, getty, udev, eth0, securetty, "
			     "root password, machine-id)\n");
	if (rfs_write(o->dir, "etc/fstab", fstab, 0644, err) < 0 ||
	    rfs_write(o->dir, "etc/hostname", hostname, 0644, err) < 0 ||
	    rfs_write(o->dir, "etc/hosts", hosts, 0644, err) < 0)
		return -1;
	if (rfs_mkdir(o->dir, "etc/systemd/system/getty.target.wants", 0755, err) < 0 ||
	    rfs_mkdir(o->dir, "etc/systemd/system/multi-user.target.wants", 0755, err) < 0 ||
	    rfs_mkdir(o->dir, "etc/systemd/system/sockets.target.wants", 0755, err) < 0 ||
	    rfs_mkdir(o->dir, "etc/systemd/network", 0755, err) < 0)
		return -1;
	for (int i = 0; masked_units[i] != NULL; i++) {
		_cleanup_free_ char *rel = xasprintf("etc/systemd/system/%s", masked_units[i]);
		if (rfs_symlink(o->dir, rel, "/dev/null", err) < 0)
			return -1;
	}
	/* A getty on the container's console (the pty corral holds), none on
	 * virtual terminals that do not exist. */
	if (rfs_symlink(o->dir, "etc/systemd/system/getty.target.wants/console-getty.service",
			"/lib/systemd/system/console-getty.service", err) < 0 ||
	    rfs_symlink(o->dir, "etc/systemd/system/multi-user.target.wants/systemd-networkd.service",
			"/lib/systemd/system/systemd-networkd.service", err) < 0 ||
	    rfs_symlink(o->dir, "etc/systemd/system/sockets.target.wants/systemd-networkd.socket",
			"/lib/systemd/system/systemd-networkd.socket", err) < 0 ||
	    rfs_write(o->dir, "etc/systemd/network/80-container-eth0.network", network, 0644, err) < 0)
		return -1;
	/* Logins on the console come in on a pts; pam_securetty, where it is
	 * used, must let root in there. */
	securetty = xstrdup("console\n");
	for (int i = 0; i < 10; i++) {
		char *s = xasprintf("%spts/%d\n", securetty, i);
		free(securetty);
		securetty = s;
	}
	if (rfs_write(o->dir, "etc/securetty", securetty, 0600, err) < 0)
		return -1;
	if (rfs_root_password(o->dir, o->root_password, err) < 0)
		return -1;
	/* Every container from this tree must get its own identity at first
	 * boot; an empty file tells systemd to make one. */
	if (rfs_write(o->dir, "etc/machine-id", "", 0444, err) < 0)
		return -1;
	_cleanup_free_ char *dbus_id = xasprintf("%s/var/lib/dbus/machine-id", o->dir);
	if (unlink(dbus_id) < 0 && errno != ENOENT)
		return err_sys(err, "remove '%s'", dbus_id);
	return 0;
}

int rfs_debian(const struct rfs_opts *o, struct error *err)
{
	fprintf(o->progress, "rootfs: debian template (%s) in '%s'\n", o->release, o->dir);
	if (debootstrap(o, err) < 0)
		return -1;
	return tune(o, err);
}
