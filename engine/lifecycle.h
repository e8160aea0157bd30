/* Why a container's init ended, and which signals ask an init of a given
 * kind to power off or reboot. */
#ifndef CORRAL_ENGINE_LIFECYCLE_H
#define CORRAL_ENGINE_LIFECYCLE_H

enum lc_end { LC_POWEROFF, LC_REBOOT, LC_CRASH };

/* From init's wait status: a clean exit (any code) or a SIGINT kill is a
 * poweroff, a SIGHUP kill a reboot (the kernel kills a pid-namespace init
 * with these when reboot(2) is called inside), anything else a crash. */
enum lc_end lc_classify(int wstatus);
const char *lc_end_name(enum lc_end e);

enum lc_init_kind { LC_INIT_SHELL, LC_INIT_SYSTEMD, LC_INIT_BUSYBOX, LC_INIT_SYSVINIT, LC_INIT_OTHER };

/* The kind of the init at path init, following symlinks inside root (the
 * rootfs directory of an OS container; NULL or "/" for the host's), so that
 * /sbin/init -> /bin/busybox is busybox init while /bin/sh -> busybox is a
 * shell. An init that cannot be resolved is judged by its name alone. */
enum lc_init_kind lc_init_kind(const char *root, const char *init);
const char *lc_init_kind_name(enum lc_init_kind k);

/* The signal that asks an init of this kind to power off or reboot; 0 when
 * it has none (a shell, an unknown program). */
int lc_shutdown_signal(enum lc_init_kind k);
int lc_reboot_signal(enum lc_init_kind k);

#endif
