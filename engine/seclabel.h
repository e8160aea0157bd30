/* A container's security label (libvirt's <seclabel>, sVirt style): which
 * model labels it, its process and file contexts, and the MCS category
 * pair that keeps two running containers apart. The model is a backend: SELinux
 * through libselinux when the host enables it, "none" otherwise. */
#ifndef CORRAL_ENGINE_SECLABEL_H
#define CORRAL_ENGINE_SECLABEL_H

#include <jansson.h>
#include <stdbool.h>

#include "config/settings.h"

struct domain;
struct error;

/* Categories c0..c1023, as the MCS policy defines them. */
#define SECLABEL_MCS_CATS 1024

struct seclabel_backend {
	const char *model; /* "selinux", "none" */
	const char *doi;   /* domain of interpretation, as virsh shows it */
	/* The policy's contexts for containers: the process and the file
	 * context that a dynamic label derives from. */
	int (*base_contexts)(char **process, char **file, struct error *err);
	/* Refuses a context the policy does not know, before anything runs. */
	int (*check)(const char *context, struct error *err);
	/* In the container, before exec: init runs with this context. */
	int (*set_exec)(const char *context, struct error *err);
	/* Labels a tree (an OS container's rootfs) with a file context. */
	int (*relabel)(const char *path, const char *context, struct error *err);
};

/* SELinux when is_selinux_enabled(), else "none". */
const struct seclabel_backend *seclabel_host_backend(void);
extern const struct seclabel_backend seclabel_backend_none;
extern const struct seclabel_backend seclabel_backend_selinux;

/* The backend corrald.conf's selinux asks for, host being
 * seclabel_host_backend(): off → none; auto → host; on → host when that is
 * SELinux, else an error, so that nothing runs unlabelled by surprise. */
int seclabel_backend_for(enum settings_selinux mode, const struct seclabel_backend *host,
			 const struct seclabel_backend **out, struct error *err);

struct seclabel {
	const char *model;
	const char *doi;
	char *label;      /* init's process context; NULL: not labelled */
	char *imagelabel; /* context of the container's mounts; NULL: none */
	bool relabel;     /* label the rootfs with imagelabel before start */
	int mcs[2];       /* the allocated category pair, -1 when none */
};

#define SECLABEL_INIT { NULL, NULL, NULL, NULL, false, { -1, -1 } }

/* Decides dom's label under backend be: type none → no label; a domain
 * that asks for SELinux explicitly (model='selinux', a label, an imagelabel,
 * a baselabel or type='static') on a host without it → an error naming
 * selinux; dynamic → the policy's contexts (or baselabel) with a category
 * pair allocated under mcs_dir for owner_pid. Fills *out; release with
 * seclabel_release. */
int seclabel_plan(const struct domain *dom, const struct seclabel_backend *be, const char *mcs_dir,
		  int owner_pid, struct seclabel *out, struct error *err);

/* Frees the category pair (its record under mcs_dir) and the strings. */
void seclabel_release(struct seclabel *sl, const char *mcs_dir);

/* Options for a tmpfs or devpts mount in the container: context="…",
 * or NULL when the mounts are not labelled. The caller frees. */
char *seclabel_mount_options(const struct seclabel *sl);

/* {"model":…, "doi":…, "label":…, "imagelabel":…} for status and dominfo. */
json_t *seclabel_json(const struct seclabel *sl);

/* Parts, apart for tests. */

/* The "process" and "file" entries of an lxc_contexts file
 * (`process = "system_u:system_r:svirt_lxc_net_t:s0"`). */
int seclabel_parse_lxc_contexts(const char *text, char **process, char **file, struct error *err);

/* base (user:role:type[:range]) at level s0 with categories c1,c2. */
int seclabel_context_mcs(const char *base, int c1, int c2, char **out, struct error *err);

/* Takes a category pair of c0..c(ncats-1) (SECLABEL_MCS_CATS but in
 * tests) that no live owner holds: a record file "mcs-cA,cB" created
 * exclusively under dir holding owner_pid, so that concurrent monitors
 * never share a pair and a restarted engine finds them; a record whose
 * owner is gone is taken over. */
int seclabel_mcs_alloc(const char *dir, int owner_pid, int ncats, int pair[2], struct error *err);
void seclabel_mcs_free(const char *dir, const int pair[2]);

#endif
