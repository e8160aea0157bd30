/* Building an OS container's root filesystem from a template (busybox,
 * debian), and the file and process helpers the templates share. */
#ifndef CORRAL_TUI_ROOTFS_H
#define CORRAL_TUI_ROOTFS_H

#include <stdio.h>
#include <sys/types.h>

struct error;

struct rfs_opts {
	const char *dir;           /* absolute, exists */
	const char *hostname;
	const char *release;       /* debian: suite or codename */
	const char *packages;      /* debian: comma-separated, extra to the base */
	const char *root_password; /* NULL: root's password is locked */
	const char *cache_dir;     /* debian: debootstrap's package cache, NULL for none */
	FILE *progress;            /* where progress lines go */
};

int rfs_busybox(const struct rfs_opts *o, struct error *err);
int rfs_debian(const struct rfs_opts *o, struct error *err);
/* What rfs_debian can tell before it touches anything: the options, and
 * that debootstrap is there. */
int rfs_debian_check(const struct rfs_opts *o, struct error *err);

/* Helpers for the templates; rel is a path inside dir, without a leading '/'. */
int rfs_mkdir(const char *dir, const char *rel, mode_t mode, struct error *err);
/* Replaces the file with text (0 for mode keeps 0644). */
int rfs_write(const char *dir, const char *rel, const char *text, mode_t mode, struct error *err);
/* Replaces whatever is at rel with a symlink to target. */
int rfs_symlink(const char *dir, const char *rel, const char *target, struct error *err);
/* Runs argv (no shell) with stdin from /dev/null. Its output goes to
 * progress line by line, each prefixed with "  ", or, when capture is not
 * NULL, is collected there (stderr still goes to progress). Fails unless
 * it exits 0. */
int rfs_run(char *const argv[], FILE *progress, char **capture, struct error *err);
/* Sets root's password in DIR/etc/shadow (crypt(3), the library's
 * preferred method), or locks it when password is NULL. */
int rfs_root_password(const char *dir, const char *password, struct error *err);

#endif
