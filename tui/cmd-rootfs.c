/* corral rootfs create: an OS container's root filesystem from a template,
 * all or nothing, optionally defined as a domain at once. */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config/domain-xml.h"
#include "config/names.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/xmalloc.h"
#include "tui/cli-tui.h"
#include "tui/rootfs.h"

/* debootstrap's downloads, kept for the next debian tree. Shared by every
 * root (test roots included): debootstrap checks each package against the
 * archive's signed index whether or not it came from the cache. */
#define DEBOOTSTRAP_CACHE "/var/cache/corral/debootstrap"

struct names {
	char **v;
	size_t n;
};

static void names_free(struct names *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

static bool names_has(const struct names *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], name) == 0)
			return true;
	return false;
}

/* The entries directly in dir, so that a failed build can tell what it
 * added from what was there before. */
static int list_dir(const char *dir, struct names *out, struct error *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d == NULL)
		return err_sys(err, "open '%s'", dir);
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		out->v = xreallocarray(out->v, out->n + 1, sizeof(*out->v));
		out->v[out->n++] = xstrdup(e->d_name);
	}
	closedir(d);
	return 0;
}

/* mountinfo escapes blanks and backslashes in paths as \ooo. */
static void unescape(char *s)
{
	char *w = s;

	for (; *s != '\0'; s++, w++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '7' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*w = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*w = *s;
		}
	}
	*w = '\0';
}

static int longer_first(const void *a, const void *b)
{
	size_t la = strlen(*(char *const *)a), lb = strlen(*(char *const *)b);

	return la < lb ? 1 : la > lb ? -1 : 0;
}

/* A helper that died half-way (debootstrap mounts /proc and /sys in the
 * tree) can leave mounts behind; they go before the files do. */
static void unmount_below(const char *dir)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
	_cleanup_free_ char *prefix = xasprintf("%s/", dir);
	struct names mounts = { 0 };
	char *line = NULL;
	size_t cap = 0;

	while (f != NULL && getline(&line, &cap, f) >= 0) {
		char *save = line, *field = NULL;
		for (int i = 0; i < 5 && (field = strsep(&save, " ")) != NULL; i++)
			;
		if (field == NULL)
			continue;
		unescape(field);
		if (strncmp(field, prefix, strlen(prefix)) == 0) {
			mounts.v = xreallocarray(mounts.v, mounts.n + 1, sizeof(*mounts.v));
			mounts.v[mounts.n++] = xstrdup(field);
		}
	}
	free(line);
	qsort(mounts.v, mounts.n, sizeof(*mounts.v), longer_first);
	for (size_t i = 0; i < mounts.n; i++)
		umount2(mounts.v[i], MNT_DETACH);
	names_free(&mounts);
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	if (type == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

/* Removes what the build added: all of dir when it made dir, else the
 * entries that were not there before. FTW_MOUNT keeps the walk on dir's
 * own filesystem, whatever was left mounted. */
static void undo(const char *dir, bool made_dir, const struct names *before, FILE *progress)
{
	struct names now = { 0 };
	struct error err = ERROR_INIT;

	unmount_below(dir);
	if (made_dir) {
		nftw(dir, remove_one, 32, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
		fprintf(progress, "rootfs: removed '%s'\n", dir);
		return;
	}
	if (list_dir(dir, &now, &err) < 0) {
		err_clear(&err);
		return;
	}
	for (size_t i = 0; i < now.n; i++) {
		if (names_has(before, now.v[i]))
			continue;
		_cleanup_free_ char *p = xasprintf("%s/%s", dir, now.v[i]);
		nftw(p, remove_one, 32, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
	}
	fprintf(progress, "rootfs: removed what was added to '%s'\n", dir);
	names_free(&now);
}

static char *read_password(FILE *in)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, in);

	if (n <= 0) {
		free(line);
		return NULL;
	}
	line[strcspn(line, "\n")] = '\0';
	return line;
}

/* network: what eth0 attaches to; NULL for none. */
static struct domain *rootfs_domain(const char *name, const char *dir, bool debian,
				    const char *network)
{
	struct domain *dom = dom_new();

	dom->name = xstrdup(name);
	dom->memory_kib = debian ? 512 * 1024 : 128 * 1024;
	dom->current_memory_kib = dom->memory_kib;
	dom->os_type = xstrdup("exe");
	dom->init = xstrdup("/sbin/init");
	dom->filesystems = xcalloc(1, sizeof(*dom->filesystems));
	dom->filesystems[0] = (struct dom_filesystem){ .type = DOM_FS_MOUNT,
						       .source = xstrdup(dir),
						       .target = xstrdup("/") };
	dom->n_filesystems = 1;
	dom->consoles = xcalloc(1, sizeof(*dom->consoles));
	dom->consoles[0] = (struct dom_console){ xstrdup("pty"), NULL, -1 };
	dom->n_consoles = 1;
	if (network != NULL) {
		dom->interfaces = xcalloc(1, sizeof(*dom->interfaces));
		dom->interfaces[0] = (struct dom_interface){ .type = DOM_IF_NETWORK,
							     .source = xstrdup(network),
							     .guest_dev = xstrdup("eth0") };
		dom->n_interfaces = 1;
	}
	return dom;
}

static int define(struct cli_ctx *ctx, const char *name, const char *dir, bool debian)
{
	_cleanup_free_ char *xml = NULL;
	json_t *settings = NULL, *reply = NULL;
	struct domain *dom;

	/* The debian template configures eth0, on corrald.conf's
	 * default_network; busybox has no network tools set up, so it gets
	 * none. */
	if (debian && cli_domain_op(ctx, "settings", NULL, NULL, &settings) != 0) {
		fprintf(ctx->err, "the root filesystem stays in '%s'\n", dir);
		return 1;
	}
	dom = rootfs_domain(name, dir, debian,
			    debian ? cli_str(settings, "default_network", "default") : NULL);
	xml = dom_format(dom);
	dom_free(dom);
	json_decref(settings);
	if (cli_domain_op(ctx, "define", NULL, json_pack("{s:s}", "xml", xml), &reply) != 0) {
		fprintf(ctx->err, "the root filesystem stays in '%s'\n", dir);
		return 1;
	}
	cli_print_warnings(ctx, reply);
	json_decref(reply);
	fprintf(ctx->out, "Domain '%s' defined with its root in '%s'\n", name, dir);
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Makes dir (not its parents: a typo should not build a tree of
 * directories) or checks the one that is there. */
static int prepare_dir(const char *dir, bool force, bool *made, struct names *before,
		       struct error *err)
{
	struct stat st;

	*made = false;
	if (stat(dir, &st) < 0) {
		if (errno != ENOENT)
			return err_sys(err, "'%s'", dir);
		if (mkdir(dir, 0755) < 0)
			return err_sys(err, "create '%s'", dir);
		*made = true;
		return 0;
	}
	if (!S_ISDIR(st.st_mode))
		return err_set(err, 0, "'%s' exists and is not a directory", dir);
	if (list_dir(dir, before, err) < 0)
		return -1;
	if (before->n > 0 && !force)
		return err_set(err, 0, "'%s' is not empty; choose an empty or new directory, or use --force to build into it",
			       dir);
	return 0;
}

int cmd_rootfs(struct cli_ctx *ctx, int argc, char **argv)
{
	struct error err = ERROR_INIT;
	struct names before = { 0 };
	struct cli_args a;
	sigset_t block, saved;
	_cleanup_free_ char *password = NULL, *abs = NULL;
	const char *tpl, *name;
	bool made = false, debian;
	double t0 = now_s();
	int rc = cli_parse(ctx, argc, argv, &a);

	if (rc != 0)
		return rc < 0;
	if (strcmp(a.pos[0], "create") != 0)
		return cli_error(ctx, "rootfs: unknown action '%s'; expected 'create'", a.pos[0]);
	tpl = cli_value(&a, "template");
	if (tpl == NULL || (strcmp(tpl, "busybox") != 0 && strcmp(tpl, "debian") != 0))
		return cli_error(ctx, "rootfs create: --template busybox or --template debian is required");
	debian = strcmp(tpl, "debian") == 0;
	if (!debian && (cli_value(&a, "release") != NULL || cli_value(&a, "packages") != NULL))
		return cli_error(ctx, "rootfs create: --release and --packages apply to the debian template");
	name = cli_value(&a, "define");
	if (name != NULL && name_domain_problem(name) != NULL)
		return cli_error(ctx, "rootfs create: --define '%s': %s", name,
				 name_domain_problem(name));
	if (cli_value(&a, "root-password") != NULL) {
		password = strcmp(cli_value(&a, "root-password"), "-") == 0
				   ? read_password(stdin)
				   : xstrdup(cli_value(&a, "root-password"));
		if (password == NULL || password[0] == '\0')
			return cli_error(ctx, "rootfs create: --root-password: empty password (leave the option out to lock root)");
	}

	/* Until the tree is whole or removed again, an interrupt only stops
	 * the helper program; the clean-up below still runs. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &saved);
	struct rfs_opts o = {
		.hostname = name != NULL ? name : tpl,
		.release = cli_value(&a, "release") != NULL ? cli_value(&a, "release") : "bookworm",
		.packages = cli_value(&a, "packages"),
		.root_password = password,
		.cache_dir = DEBOOTSTRAP_CACHE,
		.progress = ctx->err,
	};
	rc = debian ? rfs_debian_check(&o, &err) : 0;
	if (rc == 0)
		rc = prepare_dir(a.pos[1], cli_flag(&a, "force"), &made, &before, &err);
	if (rc == 0 && (abs = realpath(a.pos[1], NULL)) == NULL)
		rc = err_sys(&err, "'%s'", a.pos[1]);
	if (rc == 0) {
		o.dir = abs;
		rc = debian ? rfs_debian(&o, &err) : rfs_busybox(&o, &err);
		if (rc < 0)
			undo(abs, made, &before, ctx->err);
	} else if (made) {
		rmdir(a.pos[1]);
	}
	names_free(&before);
	if (password != NULL)
		explicit_bzero(password, strlen(password));
	sigprocmask(SIG_SETMASK, &saved, NULL);
	if (rc < 0) {
		err_prefix(&err, "rootfs create '%s'", a.pos[1]);
		return cli_fail(ctx, &err);
	}
	fprintf(ctx->out, "Root filesystem '%s' created from the %s template in %.1f s\n", abs, tpl,
		now_s() - t0);
	return name != NULL ? define(ctx, name, abs, debian) : 0;
}
