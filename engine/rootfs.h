/* The container's mount namespace: its root, /proc, /sys, /dev and the
 * domain's <filesystem> entries. */
#ifndef CORRAL_ENGINE_ROOTFS_H
#define CORRAL_ENGINE_ROOTFS_H

struct domain;
struct error;

/* What can be refused before any process exists: filesystem types not
 * supported yet, relative targets, a root that is not a directory. */
int rootfs_check(const struct domain *dom, struct error *err);

/* Run in the container's new mount namespace, as its root. Makes every
 * mount private; for an OS container binds the rootfs onto itself; mounts
 * /proc, a read-only /sys, a tmpfs /dev with the standard nodes, a new devpts
 * instance, /dev/console bound to console_fd (the pty slave) and the
 * <filesystem> entries; then, for an OS container, enters the rootfs with
 * pivot_root and detaches the old root. An APP container keeps the host's
 * root. Ends with "/" as the working directory. label_opts (NULL for none)
 * is added to the options of its tmpfs and devpts mounts: context="…".
 * /proc, /sys and /dev of the rootfs must be directories, not symlinks. */
int rootfs_setup(const struct domain *dom, int console_fd, const char *label_opts,
		 struct error *err);

#endif
